//! Letters as complete as real ones: the wording in force on each letter's date,
//! the schedule of incidents, and the scale of the breach, read back from the
//! files a render writes.

use casewright::output::Format;
use chrono::NaiveDate;
use mail_parser::MimeHeaders;

use crate::support::{each_sample_letter, engine};

/// Every way a letter could name the UK GDPR.
fn names_the_uk_gdpr(text: &str) -> bool {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    text.contains("UK GDPR") || text.contains("UK General Data Protection Regulation")
}

#[test]
fn no_file_of_a_letter_dated_before_2021_names_the_uk_gdpr() {
    let engine = engine();
    let start = NaiveDate::from_ymd_opt(2021, 1, 1).expect("a date");
    let (mut before, mut after) = (0, 0);
    each_sample_letter(&engine, |case, letter| {
        let files = engine
            .letter_files(case, letter, &[Format::Md, Format::Pdf, Format::Eml])
            .expect("renders");
        let mut named = false;
        for file in &files {
            let text = match file.format {
                Format::Pdf => pdf_extract::extract_text_from_mem(&file.bytes).expect("text"),
                _ => String::from_utf8_lossy(&file.bytes).into_owned(),
            };
            if letter.date < start {
                assert!(
                    !names_the_uk_gdpr(&text),
                    "{} names the UK GDPR before 2021",
                    file.path.display()
                );
            }
            named |= names_the_uk_gdpr(&text);
        }
        if letter.date < start {
            before += 1;
        } else if named {
            after += 1;
        }
    });
    assert!(before >= 4, "{before} sample letters are dated before 2021");
    assert!(after >= 1, "later letters do name the UK GDPR");
}

/// The sample letters of 2018, 2020 and 2024 print three versions of the laws
/// and of the security link.
#[test]
fn the_sample_letters_show_three_versions_of_the_office_wording() {
    let root = crate::support::root().join("output");
    let read = |path: &str| std::fs::read_to_string(root.join(path)).expect(path);
    let y2018 = read("IC-41207-D3F8/2018-03-13-acknowledgement.md");
    let y2020 = read("IC-58340-N2T5/2020-08-10-acknowledgement.md");
    let y2024 = read("IC-289114-W3R7/2024-06-11-reprimand.md");
    assert!(y2018.contains("principle-7-security"), "{y2018}");
    assert!(y2020.contains("guide-to-the-general-data-protection-regulation-gdpr/security"));
    let laws_2024 = "the UK General Data Protection Regulation, the Data Protection Act 2018";
    assert!(y2024.contains(laws_2024), "{y2024}");
    assert!(y2018.contains("including the Data Protection Act 1998 and the Freedom"));
    assert!(y2020.contains("including the General Data Protection Regulation, the Data"));
    let decision_2018 = read("IC-41207-D3F8/2018-05-08-decision.md");
    assert!(!decision_2018.contains("GDPR"), "{decision_2018}");
}

#[test]
fn a_schedule_of_many_incidents_repeats_its_header_on_the_next_page() {
    let engine = engine();
    let path = crate::support::root().join("cases/IC-289114-W3R7.yaml");
    let bytes = std::fs::read(&path).expect("case");
    let case = engine
        .load(&path.display().to_string(), &bytes)
        .expect("valid");
    let files = engine
        .letter_files(&case, &case.letters[0], &[Format::Md, Format::Pdf])
        .expect("renders");
    let markdown = String::from_utf8_lossy(&files[0].bytes).into_owned();
    assert!(markdown.contains("## Schedule of incidents"), "{markdown}");
    assert_eq!(markdown.matches("| Excluded (DPA 1998) |").count(), 3);
    assert_eq!(markdown.matches("| Covered |").count(), 41);
    let pages = pdf_extract::extract_text_from_mem_by_pages(&files[1].bytes).expect("text");
    let header = "Our reference";
    let with_header: Vec<usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, page)| page.contains(header))
        .map(|(i, _)| i + 1)
        .collect();
    // The schedule's own column: the excluded incidents are also listed in the body.
    let first_row = "Covered by this reprimand";
    let last_row = "SEC-2024-29";
    let first = pages
        .iter()
        .position(|p| p.contains(first_row))
        .expect("first row");
    let last = pages
        .iter()
        .rposition(|p| p.contains(last_row))
        .expect("last row");
    assert!(
        last > first,
        "the table runs across a page break: {first} {last}"
    );
    for page in first..=last {
        assert!(
            with_header.contains(&(page + 1)),
            "page {} of the schedule repeats the header row: {with_header:?}",
            page + 1
        );
    }
}

#[test]
fn one_incident_gets_no_schedule_and_a_decision_states_the_scale() {
    let root = crate::support::root().join("output");
    let decision = std::fs::read_to_string(root.join("IC-58340-N2T5/2020-10-06-decision.md"))
        .expect("decision");
    assert!(!decision.contains("Schedule of incidents"), "{decision}");
    assert!(
        decision.contains("The breach affected up to 2,340 people and 2,512 records"),
        "{decision}"
    );
    let small = std::fs::read_to_string(root.join("IC-41207-D3F8/2018-05-08-decision.md"))
        .expect("decision");
    assert!(
        small.contains("affected up to fourteen people and fourteen records"),
        "{small}"
    );
}

/// A short name written in lower case for running text, as "the Council" may be.
const LOWER_SHORT_NAME: &str = "the lower body";

/// A case file's text with its controller's short name set to [`LOWER_SHORT_NAME`].
fn with_lower_short_name(yaml: &str) -> String {
    let mut out = String::new();
    let mut in_controller = false;
    for line in yaml.lines() {
        if in_controller && line.starts_with("  short_name:") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
        if line.starts_with("controller:") {
            in_controller = true;
            out.push_str(&format!("  short_name: {LOWER_SHORT_NAME}\n"));
        } else if !line.starts_with(' ') && !line.starts_with('#') {
            in_controller = false;
        }
    }
    out
}

/// The sentences of Markdown: each block's text split after a full stop, a
/// question mark or a colon that ends a sentence.
fn sentence_starts(markdown: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let mut blocks = vec![String::new()];
    for event in casewright::convert::parser(markdown) {
        match event {
            Event::Start(Tag::Paragraph | Tag::Item | Tag::Heading { .. } | Tag::TableCell)
            | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) => {
                blocks.push(String::new());
            }
            Event::Text(text) | Event::Code(text) => {
                blocks.last_mut().expect("a block").push_str(&text);
            }
            Event::SoftBreak | Event::HardBreak => blocks.last_mut().expect("a block").push(' '),
            _ => {}
        }
    }
    blocks
        .iter()
        .flat_map(|block| {
            block
                .replace(['?', '!'], ".")
                .split(". ")
                .map(|s| s.trim_start().to_owned())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn a_lower_case_short_name_is_capitalised_wherever_it_starts_a_sentence() {
    let engine = engine();
    let mut kinds = std::collections::BTreeSet::new();
    let mut named = 0;
    for file in crate::support::sample_cases() {
        let yaml = with_lower_short_name(&std::fs::read_to_string(&file).expect("case"));
        let case = engine
            .load(&file.display().to_string(), yaml.as_bytes())
            .expect("the sample is valid with any short name");
        for letter in &case.letters {
            kinds.insert(format!("{:?}", letter.kind));
            let files = engine
                .letter_files(&case, letter, &[Format::Md, Format::Eml])
                .expect("renders");
            for file in &files {
                let text = match file.format {
                    Format::Eml => mail_parser::MessageParser::default()
                        .parse(&file.bytes)
                        .and_then(|m| m.body_text(0).map(|t| t.into_owned()))
                        .expect("a text body"),
                    _ => String::from_utf8(file.bytes.clone()).expect("utf-8"),
                };
                named += text.matches(LOWER_SHORT_NAME).count();
                for sentence in sentence_starts(&text) {
                    assert!(
                        !sentence.starts_with(LOWER_SHORT_NAME),
                        "{}: a sentence starts in lower case: {sentence}",
                        file.path.display()
                    );
                }
            }
        }
    }
    assert!(named > 20, "the letters use the short name");
    assert_eq!(
        kinds.len(),
        5,
        "every kind's template is rendered: {kinds:?}"
    );
}

/// A reprimand and its notice; `extra` is added to the reprimand's keys.
fn reprimand_case(extra: &str) -> String {
    format!(
        "reference: IC-9300-SEC
controller:
  name: Example Borough Council
  short_name: the Council
  address: [\"Town Hall\", \"Exampleton\", \"EX1 1AA\"]
  email: dpo@council.example
officer:
  name: Sam Green
  title: Case Officer
processing: general
nation: england-and-wales
investigation:
  opened: 2024-02-12
  period: {{ from: 2023-04-01, until: 2024-01-31 }}
  summary: the way the Council handled requests
letters:
  - kind: reprimand
    date: 2024-09-18
    delivery: email
    findings: [Requests went unanswered.]
    infringements: [uk-gdpr-art12-3]
{extra}
  - kind: reprimand-notice
    date: 2024-09-25
    of: 2024-09-18
"
    )
}

/// The Markdown of each letter of a case.
fn markdown_of(yaml: &str) -> Vec<String> {
    let engine = engine();
    let case = engine
        .load("cases/IC-9300-SEC.yaml", yaml.as_bytes())
        .unwrap_or_else(|d| panic!("{}", d.iter().map(|d| d.render(false)).collect::<String>()));
    case.letters
        .iter()
        .map(|letter| {
            let files = engine
                .letter_files(&case, letter, &[Format::Md])
                .expect("renders");
            String::from_utf8(files[0].bytes.clone()).expect("utf-8")
        })
        .collect()
}

#[test]
fn a_notice_leaves_out_an_empty_section_and_every_mention_of_it() {
    let recommendations = "    recommendations: [Answer the requests.]";
    let notice = &markdown_of(&reprimand_case(recommendations))[1];
    assert!(!notice.contains("itigating"), "{notice}");
    assert!(!notice.contains("none was found"), "{notice}");
    assert!(!notice.contains("aggravating"), "{notice}");
    assert!(
        notice.contains("Taking into account all the circumstances of this case, the Commissioner"),
        "{notice}"
    );
    let with = format!(
        "{recommendations}\n    mitigation: [Staff were added.]\n    remedial_action: A new system is in use."
    );
    let notice = &markdown_of(&reprimand_case(&with))[1];
    assert!(notice.contains("## Mitigating factors"), "{notice}");
    assert!(
        notice.contains("the following mitigating factor:"),
        "{notice}"
    );
    assert!(
        notice
            .contains("including the mitigating factors and the remedial steps already taken, the"),
        "{notice}"
    );
}

#[test]
fn a_reprimand_without_recommendations_asks_for_no_update_and_suggests_nothing() {
    let letters = markdown_of(&reprimand_case(""));
    for letter in &letters {
        assert!(!letter.contains("ecommend"), "{letter}");
        assert!(!letter.contains("progress"), "{letter}");
        assert!(!letter.contains("suggestions"), "{letter}");
    }
    assert!(letters[0].contains("We now consider the matter closed."));
    let one = markdown_of(&reprimand_case(
        "    recommendations: [{ text: Answer the requests., progress_update: true }]\n    progress_update: { within: 3 months }",
    ));
    assert!(
        one[0].contains("take the following step to improve"),
        "{}",
        one[0]
    );
    assert!(
        one[0].contains("once we have received the progress update"),
        "{}",
        one[0]
    );
    assert!(
        !one[0].contains("We now consider the matter closed."),
        "{}",
        one[0]
    );
    assert!(
        one[1].contains("This recommendation is not legally binding"),
        "{}",
        one[1]
    );
}

/// The abbreviations the regimes define ("UK GDPR" for "… (the UK GDPR)"), from
/// `regimes.yaml`.
fn abbreviations() -> Vec<String> {
    let regimes =
        std::fs::read_to_string(crate::support::templates().join("regimes.yaml")).expect("regimes");
    let mut found: Vec<String> = regimes
        .lines()
        .filter_map(|line| line.trim().strip_prefix("short: the "))
        .map(str::to_owned)
        .collect();
    found.sort();
    found.dedup();
    found
}

/// Where `word` first stands in `text` as a whole abbreviation (not inside a
/// longer one: "GDPR" is not found in "UK GDPR").
fn first_use(text: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = text[from..].find(word).map(|i| i + from) {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        let longer = text[..at].ends_with("UK ") || text[..at].ends_with("UK\n");
        if !before.is_some_and(char::is_alphanumeric)
            && !after.is_some_and(char::is_alphanumeric)
            && !longer
        {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

#[test]
fn every_golden_letter_defines_each_abbreviation_at_its_first_use() {
    let abbreviations = abbreviations();
    assert!(abbreviations.len() >= 4, "{abbreviations:?}");
    let mut checked = 0;
    for file in crate::support::files_under(&crate::support::root().join("tests/golden")) {
        if !file.ends_with(".md") {
            continue;
        }
        let path = crate::support::root().join("tests/golden").join(&file);
        let text = std::fs::read_to_string(&path).expect("golden");
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for word in &abbreviations {
            if let Some(at) = first_use(&text, word) {
                checked += 1;
                assert!(
                    text[..at].ends_with("(the "),
                    "{file}: {word} is used before it is defined: …{}…",
                    &text[at.saturating_sub(80)..(at + 40).min(text.len())]
                );
            }
        }
    }
    assert!(checked > 10, "{checked}");
}

#[test]
fn a_public_copy_is_dated_as_published_and_the_covering_email_says_what_it_attaches() {
    let engine = engine();
    let path = crate::support::root().join("cases/IC-205118-P4L6.yaml");
    let case = engine
        .load(
            "cases/IC-205118-P4L6.yaml",
            &std::fs::read(&path).expect("sample"),
        )
        .expect("valid");
    let notice = case
        .letters
        .iter()
        .find(|l| l.publication.is_some())
        .expect("a letter with a public copy");
    let files = engine
        .letter_files(
            &case,
            notice,
            &[Format::PublicMd, Format::PublicPdf, Format::Eml],
        )
        .expect("renders");
    let public = String::from_utf8(files[0].bytes.clone()).expect("utf-8");
    let head = public.split("---").next().expect("a head");
    assert!(
        head.contains("9 October 2026") && !head.contains("2 October 2026"),
        "{head}"
    );
    let pdf = &files[1].bytes;
    let holds = |needle: &str| pdf.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(
        holds("2026-10-09") && !holds("2026-10-02"),
        "the PDF is dated as published"
    );
    let message = mail_parser::MessageParser::default()
        .parse(&files[2].bytes)
        .expect("eml parses");
    let text = message
        .body_text(0)
        .expect("text")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("in full and as issued"), "{text}");
    assert!(
        text.contains("We will publish the notice on 9 October 2026"),
        "{text}"
    );
    assert!(
        !text.contains("in the form in which we publish it"),
        "{text}"
    );
    let names: Vec<String> = message
        .attachments()
        .filter_map(|a| a.attachment_name().map(str::to_owned))
        .collect();
    assert_eq!(names, ["Reprimand IC-205118-P4L6 2026-10-02.pdf"]);
}
