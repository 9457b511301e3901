//! Public copies: withheld text is gone from the published files, and a template
//! that lets it through is caught by the proof.

use casewright::Engine;
use casewright::output::Format;
use casewright::publication::{pdf_places, survivors};
use proptest::prelude::*;

use crate::support::{engine, root, run, text, workspace};

/// The sample case whose notice has a public copy, and what it withholds.
const SAMPLE: &str = "cases/IC-205118-P4L6.yaml";
const SAMPLE_WITHHELD: [&str; 2] = ["Mr D Okafor", "Jordan Pike"];
/// The officer's direct line in the sample, never in a public copy.
const SAMPLE_PHONE: &str = "0330 414 6912";

/// Every stream of a PDF, decompressed where it can be, as bytes.
fn streams(pdf: &[u8]) -> Vec<Vec<u8>> {
    let document = lopdf::Document::load_mem(pdf).expect("the PDF parses");
    document
        .objects
        .values()
        .filter_map(|object| match object {
            lopdf::Object::Stream(stream) => Some(
                stream
                    .decompressed_content()
                    .unwrap_or_else(|_| stream.content.clone()),
            ),
            _ => None,
        })
        .collect()
}

/// Whether `needle` is in `haystack`, as bytes (UTF-8, and UTF-16BE as PDF text
/// strings are written), ignoring ASCII case.
fn holds(haystack: &[u8], needle: &str) -> bool {
    let lower: Vec<u8> = haystack.to_ascii_lowercase();
    let utf8 = needle.to_ascii_lowercase().into_bytes();
    let utf16: Vec<u8> = needle
        .to_ascii_lowercase()
        .encode_utf16()
        .flat_map(u16::to_be_bytes)
        .collect();
    [utf8, utf16]
        .iter()
        .any(|n| !n.is_empty() && lower.windows(n.len()).any(|w| w == n.as_slice()))
}

fn public_files(engine: &Engine, name: &str, yaml: &str) -> Result<(String, Vec<u8>), String> {
    let case = engine
        .load(name, yaml.as_bytes())
        .map_err(|d| d.iter().map(|d| d.render(false)).collect::<String>())?;
    let letter = case
        .letters
        .iter()
        .find(|l| l.publication.is_some())
        .ok_or("no letter with a public copy")?;
    let files = engine
        .letter_files(&case, letter, &[Format::PublicMd, Format::PublicPdf])
        .map_err(|d| d.iter().map(|d| d.render(false)).collect::<String>())?;
    Ok((
        String::from_utf8(files[0].bytes.clone()).map_err(|e| e.to_string())?,
        files[1].bytes.clone(),
    ))
}

#[test]
fn the_sample_public_copy_holds_no_withheld_text_anywhere() {
    let yaml = std::fs::read_to_string(root().join(SAMPLE)).expect("sample");
    for withheld in SAMPLE_WITHHELD {
        assert!(yaml.contains(withheld), "the sample withholds {withheld}");
    }
    let (markdown, pdf) = public_files(&engine(), SAMPLE, &yaml).expect("public copy");
    assert!(markdown.contains("[REDACTED]"), "{markdown}");
    let places = pdf_places(&pdf).expect("reads back");
    let mut sought = SAMPLE_WITHHELD.to_vec();
    sought.push(SAMPLE_PHONE);
    assert!(survivors(&sought, &places).is_empty());
    let text = &places[0].1;
    assert!(
        text.contains("REDACTED"),
        "the text layer shows the replacement"
    );
    for stream in streams(&pdf) {
        for withheld in &sought {
            assert!(
                !holds(&stream, withheld),
                "{withheld} is in a content stream"
            );
        }
    }
    // The committed public PDF is the one a render writes.
    let committed =
        std::fs::read(root().join("output/IC-205118-P4L6/2026-10-02-reprimand-notice.public.pdf"))
            .expect("the public PDF is committed");
    assert_eq!(committed, pdf);
}

/// A template that prints a withheld field in a form the replacement does not
/// match (the surname split by a link's markup) lets it into the PDF: the proof catches it, at
/// the line that withholds it, and nothing is written.
#[test]
fn a_survivor_through_a_template_is_a_located_error() {
    let yaml = std::fs::read_to_string(root().join(SAMPLE)).expect("sample");
    let dir = workspace(&[("IC-205118-P4L6.yaml", &yaml)]);
    let template = dir.path().join("letter-templates/reprimand-notice.md.tera");
    let source = std::fs::read_to_string(&template).expect("template");
    let leaky = source.replace(
        "**TO:** {{ case.controller.name }}",
        "**TO:** {{ case.controller.name }}, for the attention of Mr D [Oka](https://example.org)for",
    );
    assert_ne!(leaky, source);
    std::fs::write(&template, leaky).expect("template written");
    let output = run(dir.path(), &["render"]);
    let (_, stderr) = text(&output);
    assert!(!output.status.success(), "{stderr}");
    let line = yaml
        .lines()
        .position(|l| l.contains("field: controller.contact"))
        .expect("the sample withholds the contact")
        + 1;
    assert!(stderr.contains("error[withheld-survives]"), "{stderr}");
    assert!(
        stderr.contains(&format!("cases/IC-205118-P4L6.yaml:{line}:")),
        "{stderr}"
    );
    assert!(
        stderr.contains("withheld here (field `controller.contact`)"),
        "{stderr}"
    );
    assert!(stderr.contains("the PDF's text"), "{stderr}");
    assert!(
        !dir.path()
            .join("output/IC-205118-P4L6/2026-10-02-reprimand-notice.public.pdf")
            .exists()
    );
    assert!(
        !dir.path()
            .join("output/IC-205118-P4L6/2026-10-02-reprimand-notice.public.md")
            .exists()
    );
}

/// A case with `names` placed in the fields `places` chooses, all withheld.
fn case_with(names: &[String], places: &[usize]) -> String {
    let mut slots = [
        "Ms A Example".to_owned(),
        "1 High Street".to_owned(),
        "an email sent to the wrong people".to_owned(),
        "The email was recalled.".to_owned(),
        "Staff were not trained.".to_owned(),
    ];
    for (name, &place) in names.iter().zip(places) {
        let count = slots.len();
        let slot = &mut slots[place % count];
        *slot = format!("{slot} {name}");
    }
    let withhold: String = names
        .iter()
        .map(|n| format!("\n        - \"{n}\""))
        .collect();
    format!(
        "reference: IC-9100-PUB
controller:
  name: Example Data Ltd
  address: [\"{address}\", \"Leeds\", \"LS1 1AA\"]
  email: dpo@example.org
  contact: {contact}
officer: {{ name: Sam Reed, title: Case Officer, phone: \"0113 496 0999\" }}
breach:
  occurred: 2023-03-01
  discovered: 2023-03-02T09:00
  reported: 2023-03-03T09:00
letters:
  - kind: reprimand
    date: 2023-05-10
    investigation: \"{investigation}\"
    mitigation: [\"{mitigation}\"]
    infringements: [uk-gdpr-art5-1-f]
    recommendations: [\"Check the recipients of every email.\"]
  - kind: reprimand-notice
    date: 2023-05-17
    of: 2023-05-10
    aggravating:
      - text: \"{aggravating}\"
        provision: uk-gdpr-art32-1
    publication:
      date: 2023-05-24
      withhold:{withhold}
",
        contact = slots[0],
        address = slots[1],
        investigation = slots[2],
        mitigation = slots[3],
        aggravating = slots[4],
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Random withheld strings, placed in random fields of a case, never appear in
    /// the public PDF: not in its text, its metadata or any content stream.
    #[test]
    fn withheld_strings_never_reach_the_public_pdf(
        names in proptest::collection::vec("[A-Z][a-z]{3,8} [A-Z][a-z]{3,9}", 1..4),
        places in proptest::collection::vec(0usize..5, 3),
    ) {
        let engine = engine();
        let yaml = case_with(&names, &places);
        let (markdown, pdf) = public_files(&engine, "cases/IC-9100-PUB.yaml", &yaml)
            .map_err(TestCaseError::fail)?;
        let needles: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut places_read = pdf_places(&pdf).map_err(|e| TestCaseError::fail(e.to_string()))?;
        places_read.push(("md".to_owned(), markdown));
        prop_assert!(survivors(&needles, &places_read).is_empty());
        prop_assert!(survivors(&["0113 496 0999"], &places_read).is_empty());
        for stream in streams(&pdf) {
            for name in &needles {
                prop_assert!(!holds(&stream, name));
            }
        }
    }
}

/// The sample case with one aggravating factor's text replaced by `text` (YAML
/// double-quoted), and the contact by `contact`.
fn leak_case(text: &str, contact: &str) -> String {
    let yaml = std::fs::read_to_string(root().join(SAMPLE)).expect("sample");
    let factor = "The company reported the breach seven days after it became aware of it, so candidates were told late that their documents had been exposed.";
    assert!(yaml.contains(factor));
    yaml.replace(factor, &format!("\"{text}\""))
        .replace("contact: Mr D Okafor", &format!("contact: {contact}"))
        .replace("Mr D Okafor, had asked", "the lead had asked")
}

/// The public copy of a leak case, and its PDF's text layer lower-cased.
fn leak_copy(text: &str, contact: &str) -> (String, String, Vec<(String, String)>) {
    let (markdown, pdf) = public_files(&engine(), SAMPLE, &leak_case(text, contact))
        .unwrap_or_else(|e| panic!("{e}"));
    let places = pdf_places(&pdf).expect("reads back");
    let shown = places[..2].iter().map(|(_, t)| t.to_lowercase()).collect();
    (markdown, shown, places)
}

/// Leak 1: a withheld contact returns in its derived forms: the greeting, the
/// surname, a possessive, a forename, the initials.
#[test]
fn a_withheld_contact_is_withheld_in_every_derived_form() {
    let (markdown, shown, _) = leak_copy(
        "Morrison's team, led by Eleanor and signed EM, answered late.",
        "Ms Eleanor Morrison",
    );
    for form in ["morrison", "eleanor", " em,"] {
        assert!(!shown.contains(form), "{form} is shown: {shown}");
        assert!(
            !markdown.to_lowercase().contains(form),
            "{form}: {markdown}"
        );
    }
    assert!(markdown.contains("[REDACTED]'s team"), "{markdown}");
}

/// Leak 2: characters the matcher must fold, in the text a reader sees.
#[test]
fn look_alike_and_unfolded_letters_are_withheld() {
    for (written, plain) in [
        ("M\u{043E}rrison", "morrison"),
        ("MORRI\u{0405}ON", "morrison"),
        ("Morr\u{0131}son", "morrison"),
        ("M\u{00F8}rrison", "morrison"),
        ("Ms Morrison\u{2019}s", "morrison"),
    ] {
        let (_, shown, places) =
            leak_copy(&format!("{written} answered late."), "Ms Eleanor Morrison");
        assert!(!shown.contains(plain), "{written}: {shown}");
        assert!(survivors(&["Morrison"], &places).is_empty(), "{written}");
    }
}

/// Leak 3: direction controls make the stored text differ from the shown
/// text: refused at load, at their place.
#[test]
fn a_direction_control_in_a_published_case_is_refused_at_its_place() {
    let yaml = leak_case(
        "\u{202E}nosirroM\u{202C} answered late.",
        "Ms Eleanor Morrison",
    );
    let error = engine().load(SAMPLE, yaml.as_bytes()).expect_err("refused");
    let shown: String = error.iter().map(|d| d.render(false)).collect();
    assert!(shown.contains("error[invisible-character]"), "{shown}");
    assert!(shown.contains("U+202E is a direction control"), "{shown}");
}

/// Leak 4: a withheld name inside a link target, percent-encoded or with `+`
/// and `_` for spaces, and in a character reference.
#[test]
fn a_withheld_name_inside_a_link_is_withheld_from_its_target() {
    let (markdown, _, places) = leak_copy(
        "See [the log](mailto:eleanor%20morrison%40example.org), [the file](https://example.org/?who=Eleanor+Morrison), [the note](https://example.org/eleanor_morrison) and Morri&#115;on.",
        "Ms Eleanor Morrison",
    );
    let strings = &places
        .iter()
        .find(|(p, _)| p == "the PDF's text strings")
        .expect("strings")
        .1;
    for plain in [
        "eleanor%20morrison",
        "eleanor+morrison",
        "eleanor_morrison",
        "morri&#115;on",
    ] {
        assert!(
            !strings.to_lowercase().contains(plain),
            "{plain}: {strings}"
        );
        assert!(
            !markdown.to_lowercase().contains(plain),
            "{plain}: {markdown}"
        );
    }
}

/// Leak 5: over-redaction. Withholding a name changes nothing around it.
#[test]
fn text_around_a_withheld_name_is_unchanged() {
    let text = "She made an offer, and the Deanery agreed; Dean Moss did not.";
    let yaml = leak_case(text, "Ms Eleanor Morrison").replace(
        "- field: controller.contact",
        "- field: controller.contact\n        - Dean Moss",
    );
    let (markdown, _) = public_files(&engine(), SAMPLE, &yaml).expect("public copy");
    assert!(
        markdown.contains("She made an offer, and the Deanery agreed; [REDACTED] did not."),
        "{markdown}"
    );
}

/// Every sample public copy is its letter's Markdown with whole words replaced
/// and nothing else changed.
#[test]
fn every_sample_public_copy_differs_from_its_letter_only_by_replacements() {
    let mut compared = 0;
    for entry in walkdir::WalkDir::new(root().join("output")) {
        let path = entry.expect("walk").into_path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(stem) = name.strip_suffix(".public.md") else {
            continue;
        };
        let public = std::fs::read_to_string(&path).expect("public md");
        let letter =
            std::fs::read_to_string(path.with_file_name(format!("{stem}.md"))).expect("letter md");
        let log = std::fs::read_to_string(path.with_file_name(format!("{stem}.public.log")))
            .expect("log");
        let published = log
            .lines()
            .find_map(|l| l.strip_prefix("Published: "))
            .expect("the log names the publication date");
        // The public copy has no officer's direct line: leave it, and the hard
        // break before it, out of the letter.
        let plain = |text: &str| -> String {
            text.lines()
                .filter(|l| {
                    !(l.chars().any(|c| c.is_ascii_digit())
                        && l.chars().all(|c| c.is_ascii_digit() || c == ' '))
                })
                .map(|l| l.trim_end_matches('\\'))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let (letter, public) = (plain(&letter), plain(&public));
        let diff = similar::TextDiff::from_words(&letter, &public);
        for change in diff.iter_all_changes() {
            if change.tag() == similar::ChangeTag::Insert {
                let value = change.value().trim();
                // The replacement word, or the publication date (the copy is
                // dated as published, and may say so).
                let word = value.trim_matches(|c: char| !c.is_alphanumeric());
                assert!(
                    value.is_empty()
                        || value.contains("[REDACTED]")
                        || published.split(' ').any(|w| w == word)
                        || public
                            .lines()
                            .any(|l| l.starts_with("*Published on") && l.contains(value)),
                    "{name}: inserted {value:?}"
                );
            }
        }
        compared += 1;
    }
    assert!(compared >= 2, "{compared} public copies compared");
}

/// Names from a mixed corpus: accents, letters NFKD keeps, apostrophes,
/// hyphens.
const CORPUS: [(&str, &str); 6] = [
    ("Łucja", "Wałęsa"),
    ("Søren", "Ærøskøbing"),
    ("Siobhán", "O'Connell"),
    ("Anne-Marie", "Dupré-Lefèvre"),
    ("Þóra", "Guðmundsdóttir"),
    ("Zoë", "MacGregor"),
];

/// A form of a person's name as a letter may hold it, by `form`: the name, the
/// surname's possessive, the surname in capitals, the surname with a Cyrillic
/// look-alike `о` or `а`, the name in a link target, the surname in a list item.
fn written(forename: &str, surname: &str, form: usize) -> String {
    match form % 6 {
        0 => format!("{forename} {surname}"),
        1 => format!("{surname}’s note"),
        2 => surname.to_uppercase(),
        3 => surname
            .replacen('o', "\u{043E}", 1)
            .replacen('a', "\u{0430}", 1),
        4 => format!(
            "[the file](https://example.org/{}%20{})",
            forename,
            surname.replace('\'', "%27")
        ),
        _ => format!("\n\n    - {surname} wrote"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    /// People from a mixed corpus, written in random forms into random fields:
    /// no public copy holds any of them where a reader finds it, and every word
    /// that is not part of a name is still there.
    #[test]
    fn people_in_any_form_never_reach_the_public_pdf(
        picks in proptest::collection::vec((0usize..6, 0usize..6), 1..4),
    ) {
        let people: String = picks
            .iter()
            .enumerate()
            .map(|(i, (who, _))| format!("\n  - {{ key: p{i}, name: \"{} {}\", role: third-party }}", CORPUS[*who].0, CORPUS[*who].1))
            .collect();
        let mentions: String = picks
            .iter()
            .map(|(who, form)| written(CORPUS[*who].0, CORPUS[*who].1, *form))
            .collect::<Vec<_>>()
            .join(" and ");
        let text = format!("Staff told the school and {mentions}.");
        let yaml = case_with(&[], &[])
            .replace("letters:", &format!("people:{people}\nletters:"))
            .replace("text: \"Staff were not trained.\"", &format!("text: {}", serde_json::to_string(&text).unwrap_or_default()))
            .replace("      withhold:\n", "      withhold: []\n");
        let (markdown, pdf) = public_files(&engine(), "cases/IC-9100-PUB.yaml", &yaml)
            .map_err(TestCaseError::fail)?;
        let mut places = pdf_places(&pdf).map_err(|e| TestCaseError::fail(e.to_string()))?;
        places.push(("md".to_owned(), markdown.clone()));
        let surnames: Vec<&str> = picks.iter().map(|(who, _)| CORPUS[*who].1).collect();
        prop_assert!(survivors(&surnames, &places).is_empty(), "{markdown}");
        prop_assert!(markdown.contains("Staff told the school and"), "{markdown}");
    }
}
