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
