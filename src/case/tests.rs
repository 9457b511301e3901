//! Property tests of the loader: no input makes it panic, every error it reports
//! points inside the file, and plain values read back as written.

use proptest::prelude::*;

use super::*;

const VALID: &str = include_str!("../../cases/IC-31191-G5C6.yaml");

fn vocabulary() -> Vocabulary {
    let categories = [
        "basic-identifiers",
        "economic-and-financial",
        "official-documents",
    ];
    Vocabulary {
        categories: categories.iter().map(|c| c.to_string()).collect(),
        ..bare()
    }
}

/// The shipped templates' vocabulary with no provisions, categories,
/// paragraphs or attachments: only the regimes, the calendar and time zone.
fn bare() -> Vocabulary {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("letter-templates");
    let templates = crate::templates::Templates::load(&dir).expect("the templates load");
    Vocabulary {
        provisions: Default::default(),
        categories: Default::default(),
        paragraphs: Default::default(),
        attachments: Default::default(),
        catalogue: Default::default(),
        ..templates.vocabulary()
    }
}

/// Every diagnostic's span lies within its source, on a character boundary.
fn well_located(result: &Result<Case, Vec<Diagnostic>>) -> Result<(), String> {
    let Err(diagnostics) = result else {
        return Ok(());
    };
    if diagnostics.is_empty() {
        return Err("an error with no diagnostic".into());
    }
    for d in diagnostics {
        if let Some(source) = &d.source {
            let text = &source.text;
            if d.span.end > text.len()
                || !text.is_char_boundary(d.span.start)
                || !text.is_char_boundary(d.span.end)
            {
                return Err(format!("{:?} outside {} bytes", d.span, text.len()));
            }
        }
    }
    Ok(())
}

#[test]
fn the_sample_loads() {
    let case = load("c.yaml", VALID.as_bytes(), &vocabulary()).expect("valid");
    assert_eq!(case.reference.as_str(), "IC-31191-G5C6");
    assert_eq!(case.letters.len(), 2);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let result = load("x.yaml", &bytes, &vocabulary());
        prop_assert!(result.is_err());
        prop_assert_eq!(well_located(&result), Ok(()));
    }

    #[test]
    fn mangled_cases_never_panic(
        cut in 0usize..VALID.len(),
        len in 0usize..40,
        insert in "[ -~\\t\\n:\\-\\[\\]{}&*!|>'\"%@`#,]{0,12}",
    ) {
        let mut text = VALID.to_owned();
        let start = (0..=cut).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let end = (start + len..=text.len()).find(|&i| text.is_char_boundary(i)).unwrap_or(text.len());
        text.replace_range(start..end, &insert);
        let result = load("x.yaml", text.as_bytes(), &vocabulary());
        prop_assert_eq!(well_located(&result), Ok(()));
    }

    #[test]
    fn plain_values_read_back_verbatim(name in "\\PC{1,60}") {
        // A JSON string is a valid YAML double-quoted scalar.
        let quoted = serde_json::to_string(&name).unwrap_or_default();
        let text = VALID.replace("name: Lothian Valley Council", &format!("name: {quoted}"));
        let result = load("x.yaml", text.as_bytes(), &vocabulary());
        match result {
            Ok(case) => prop_assert_eq!(case.controller.name, name.trim()),
            Err(diagnostics) => {
                prop_assert!(name.trim().is_empty() || name.chars().any(char::is_control), "{:?}", diagnostics);
                prop_assert_eq!(diagnostics.len(), 1);
            }
        }
    }
}

/// A reprimand and a decision with every Markdown field, each set to `{md}`.
const EVERY_MARKDOWN_FIELD: &str = "\
reference: IC-1-DEEP
controller: { name: Example Ltd, email: dpo@example.org }
officer: { name: Sam Reed, title: Case Officer }
breach:
  occurred: 2023-01-02
  discovered: 2023-01-03T09:00
  reported: 2023-01-04T09:00
  summary: {summary}
letters:
  - kind: decision
    date: 2023-01-05
    reasons: [{reasons}]
    recommendations: [{decision_recommendations}]
  - kind: reprimand
    date: 2023-02-01
    investigation: {investigation}
    summary: {reprimand_summary}
    findings: [{findings}]
    mitigation: [{mitigation}]
    remedial_action: {remedial_action}
    infringements: [uk-gdpr-art5-1-f]
    infringement_summary: {infringement_summary}
    recommendations:
      - text: {recommendation_text}
      - {recommendation_plain}
";

const FIELDS: [&str; 11] = [
    "summary",
    "reasons",
    "decision_recommendations",
    "investigation",
    "reprimand_summary",
    "findings",
    "mitigation",
    "remedial_action",
    "infringement_summary",
    "recommendation_text",
    "recommendation_plain",
];

/// The case above with `field` set to `markdown` and every other field to "Fine.".
fn with_markdown(field: &str, markdown: &str) -> String {
    let mut text = EVERY_MARKDOWN_FIELD.to_owned();
    for name in FIELDS {
        let value = if name == field { markdown } else { "Fine." };
        let quoted = serde_json::to_string(value).unwrap_or_default();
        text = text.replace(&format!("{{{name}}}"), &quoted);
    }
    text
}

fn reprimand_vocabulary() -> Vocabulary {
    Vocabulary {
        provisions: [("uk-gdpr-art5-1-f".to_owned(), Regime::new("uk-gdpr"))].into(),
        ..law()
    }
}

/// A vocabulary with the regimes of `letter-templates/regimes.yaml` only.
fn law() -> Vocabulary {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("letter-templates");
    let templates = crate::templates::Templates::load(&dir).expect("the templates load");
    Vocabulary {
        regimes: templates.regimes,
        ..bare()
    }
}

#[test]
fn every_markdown_field_is_refused_when_nested_too_deep() {
    let vocabulary = reprimand_vocabulary();
    assert!(
        load("c.yaml", with_markdown("", "").as_bytes(), &vocabulary).is_ok(),
        "the base case loads"
    );
    let deep = format!("{}x", "> ".repeat(128));
    for field in FIELDS {
        let text = with_markdown(field, &deep);
        let diagnostics = load("c.yaml", text.as_bytes(), &vocabulary).expect_err(field);
        let [diagnostic] = diagnostics.as_slice() else {
            panic!("{field}: one diagnostic, got {diagnostics:?}");
        };
        assert_eq!(diagnostic.code, "markdown-too-deep", "{field}");
        assert!(
            diagnostic.message.contains("more than the 16"),
            "{field}: {}",
            diagnostic.message
        );
        let source = diagnostic.source.as_ref().expect("located");
        assert!(
            source.text[diagnostic.span.clone()].starts_with("\"> > "),
            "{field}: the label is under the value, at {:?}",
            diagnostic.span
        );
        assert!(!diagnostic.notes.is_empty(), "{field}: a hint");
    }
}

#[test]
fn markdown_nesting_is_limited_to_sixteen_levels_of_any_kind() {
    let vocabulary = reprimand_vocabulary();
    let emphasis = |levels: usize| crate::escape::tests::nested_emphasis(levels, "x");
    for (what, markdown, ok) in [
        ("quotes at the limit", format!("{}x", "> ".repeat(15)), true),
        (
            "quotes past the limit",
            format!("{}x", "> ".repeat(16)),
            false,
        ),
        ("a list of lists at the limit", nested_list(8), true),
        ("a list of lists past the limit", nested_list(9), false),
        ("emphasis at the limit", emphasis(15), true),
        ("emphasis past the limit", emphasis(16), false),
        (
            "a link in emphasis in quotes",
            format!("{}*[x](https://example.org)*", "> ".repeat(14)),
            false,
        ),
        (
            "an ordinary letter",
            "One.\n\n- a *b* [c](https://example.org)\n  - **d**\n\n> e".to_owned(),
            true,
        ),
    ] {
        let result = load(
            "c.yaml",
            with_markdown("findings", &markdown).as_bytes(),
            &vocabulary,
        );
        match (result, ok) {
            (Ok(_), true) => {}
            (Err(diagnostics), false) => assert!(
                diagnostics.iter().any(|d| d.code == "markdown-too-deep"),
                "{what}: {diagnostics:?}"
            ),
            (result, _) => panic!("{what}: {markdown:?} gave {:?}", result.err()),
        }
    }
}

/// Bullet lists nested `levels` deep: each level is a list and an item.
fn nested_list(levels: usize) -> String {
    (0..levels)
        .map(|level| format!("{}- item\n", "  ".repeat(level)))
        .collect()
}

/// A reprimand citing `provision`, for a case of `processing` whose breach
/// occurred on `occurred`.
fn citing(provision: &str, processing: &str, occurred: &str) -> String {
    format!(
        "reference: IC-1-TEST
controller: {{ name: Example Ltd, email: dpo@example.org }}
officer: {{ name: Sam Reed, title: Case Officer }}
processing: {processing}
breach:
  occurred: {occurred}
  discovered: {occurred}T09:00
  reported: {occurred}T10:00
letters:
  - kind: reprimand
    date: 2024-01-10
    investigation: the loss of a laptop
    infringements: [{provision}]
    recommendations: [Encrypt laptops.]
"
    )
}

#[test]
fn a_provision_of_the_wrong_regime_gets_the_hint_that_fits_its_cause() {
    let provisions = [
        (
            "gdpr-art5-1-f",
            Regime::new("gdpr"),
            "Article 5(1)(f) of the GDPR",
            None,
        ),
        (
            "uk-gdpr-art5-1-f",
            Regime::new("uk-gdpr"),
            "Article 5(1)(f) of the UK GDPR",
            Some("dpa2018-s40"),
        ),
        (
            "dpa2018-s40",
            Regime::new("dpa2018-part3"),
            "Section 40 of the DPA 2018",
            None,
        ),
        (
            "gdpr-art32-1-b",
            Regime::new("gdpr"),
            "Article 32(1)(b) of the GDPR",
            None,
        ),
        (
            "uk-gdpr-art32-1-b",
            Regime::new("uk-gdpr"),
            "Article 32(1)(b) of the UK GDPR",
            None,
        ),
    ];
    let catalogue = Catalogue::new(
        provisions
            .iter()
            .map(|(key, regime, title, counterpart)| {
                let entry = CatalogueEntry {
                    regime: regime.clone(),
                    title: (*title).to_owned(),
                    name: None,
                    counterparts: counterpart.iter().map(|c| (*c).to_owned()).collect(),
                };
                ((*key).to_owned(), entry)
            })
            .collect(),
    );
    let vocabulary = Vocabulary {
        provisions: provisions
            .iter()
            .map(|(k, r, _, _)| (k.to_string(), r.clone()))
            .collect(),
        catalogue: std::sync::Arc::new(catalogue),
        ..law()
    };
    let by_processing = "provisions are for general processing, but this case's `processing` is law-enforcement: cite a provision of dpa2018-part3 instead, or set `processing: general`";
    let by_general = "`dpa2018-part3` provisions are for law-enforcement processing, but this case's `processing` is general: cite a provision of uk-gdpr instead, or set `processing: law-enforcement`";
    let by_date = "cite the provision of the law in force on the incident's date";
    for (provision, processing, occurred, hint, suggestion) in [
        // Law enforcement citing a GDPR provision: the processing is the cause.
        (
            "uk-gdpr-art5-1-f",
            "law-enforcement",
            "2023-03-01",
            by_processing,
            Some("`dpa2018-s40`"),
        ),
        (
            "gdpr-art5-1-f",
            "law-enforcement",
            "2019-03-01",
            by_processing,
            Some("`dpa2018-s40`"),
        ),
        // ... with no Part 3 counterpart to suggest.
        (
            "uk-gdpr-art32-1-b",
            "law-enforcement",
            "2023-03-01",
            by_processing,
            None,
        ),
        // General processing citing a Part 3 provision.
        (
            "dpa2018-s40",
            "general",
            "2023-03-01",
            by_general,
            Some("`uk-gdpr-art5-1-f`"),
        ),
        // The GDPR and the UK GDPR: the incident's date is the cause.
        (
            "gdpr-art5-1-f",
            "general",
            "2023-03-01",
            by_date,
            Some("`uk-gdpr-art5-1-f`"),
        ),
        (
            "uk-gdpr-art5-1-f",
            "general",
            "2019-03-01",
            by_date,
            Some("`gdpr-art5-1-f`"),
        ),
        (
            "uk-gdpr-art32-1-b",
            "general",
            "2020-12-31",
            by_date,
            Some("`gdpr-art32-1-b`"),
        ),
    ] {
        let row = format!("{provision} in a {processing} case of {occurred}");
        let text = citing(provision, processing, occurred);
        let diagnostics = load("c.yaml", text.as_bytes(), &vocabulary).expect_err(&row);
        let [diagnostic] = diagnostics.as_slice() else {
            panic!("{row}: one diagnostic, got {diagnostics:?}");
        };
        assert_eq!(diagnostic.code, "provision-regime", "{row}");
        assert!(
            diagnostic.notes[0].contains(hint),
            "{row}: {:?}",
            diagnostic.notes
        );
        let suggested = diagnostic.notes.get(1).map(String::as_str);
        assert_eq!(
            suggested,
            suggestion.map(|s| format!("did you mean {s}?")).as_deref(),
            "{row}"
        );
    }
    // A provision of the right regime loads.
    let text = citing("dpa2018-s40", "law-enforcement", "2023-03-01");
    assert!(load("c.yaml", text.as_bytes(), &vocabulary).is_ok());
}

/// A case of one letter of `kind`, with `controller` and `letter` lines added.
fn with_salutation(kind: &str, controller: &str, letter: &str) -> String {
    let body = match kind {
        "decision" => "    reasons: [It was an isolated incident.]\n",
        "reprimand" => {
            "    investigation: the loss of a laptop\n    infringements: [uk-gdpr-art5-1-f]\n    recommendations: [Encrypt laptops.]\n"
        }
        _ => "",
    };
    format!(
        "reference: IC-1-TEST
controller:
  name: Example Police
  email: dpo@example.org
  contact: Chief Superintendent J Ferguson
{controller}officer: {{ name: Sam Reed, title: Case Officer }}
breach:
  occurred: 2023-03-01
  discovered: 2023-03-02T09:00
  reported: 2023-03-03T09:00
letters:
  - kind: {kind}
    date: 2023-03-10
{letter}{body}"
    )
}

#[test]
fn salutation_is_set_by_the_letter_or_the_controller_for_every_kind() {
    let controller = "  salutation: Dear Chief Constable\n";
    let letter = "    salutation: Dear Colleague\n";
    let other_contact = "    contact: Ms A Example\n";
    for kind in ["acknowledgement", "decision", "reprimand"] {
        for (what, controller, letter, expected) in [
            ("none set", "", "", None),
            (
                "the controller's",
                controller,
                "",
                Some("Dear Chief Constable"),
            ),
            ("the letter's", "", letter, Some("Dear Colleague")),
            (
                "the letter's over the controller's",
                controller,
                letter,
                Some("Dear Colleague"),
            ),
            // The controller's greeting is for its own contact, not another.
            ("another contact", controller, other_contact, None),
            (
                "another contact with its own",
                controller,
                &format!("{other_contact}{letter}"),
                Some("Dear Colleague"),
            ),
        ] {
            let text = with_salutation(kind, controller, letter);
            let case = load("c.yaml", text.as_bytes(), &reprimand_vocabulary())
                .unwrap_or_else(|e| panic!("{kind}, {what}: {e:?}"));
            assert_eq!(
                case.letters[0].salutation.as_deref(),
                expected,
                "{kind}, {what}"
            );
        }
    }
}

/// A letter's own keys are read by its kind wherever `kind` is written in the map,
/// and a key of another kind is refused at its value, naming the letter's kind.
#[test]
fn a_letters_keys_are_read_by_its_kind_wherever_kind_is_written() {
    let decision = "  - date: 2023-01-05\n    reasons: [Isolated.]\n    kind: decision\n";
    let case = VALID.replace(
        &VALID[VALID.find("letters:").expect("letters")..],
        &format!("letters:\n{decision}"),
    );
    let loaded = load("c.yaml", case.as_bytes(), &vocabulary()).expect("valid");
    let crate::kinds::Body::Decision(body) = &loaded.letters[0].body else {
        panic!("a decision");
    };
    assert_eq!(body.reasons, [Markdown("Isolated.".into())]);

    let misplaced = case.replace("reasons: [Isolated.]", "findings: [Found.]");
    let errors = load("c.yaml", misplaced.as_bytes(), &vocabulary()).expect_err("refused");
    assert_eq!(errors[0].code, "key-not-for-kind");
    assert_eq!(
        errors[0].message,
        "`findings` is not used by a letter of kind decision"
    );
    assert_eq!(&misplaced[errors[0].span.clone()], "[");
}

/// A case about `matter` (its key and facts, as YAML) with one acknowledgement.
fn about(matter: &str) -> String {
    format!(
        "reference: IC-1-MTR\ncontroller: {{ name: Example Ltd, email: dpo@example.org }}\n\
         officer: {{ name: Sam Reed, title: Case Officer }}\n{matter}\n\
         letters:\n  - kind: acknowledgement\n    date: 2024-06-01\n"
    )
}

#[test]
fn each_matter_has_its_own_dates_law_and_rules() {
    use crate::derive::{FollowUp, facts};
    let law = law();
    for (matter, key, dates, began, regimes, late) in [
        (
            "breach: { occurred: 2020-12-30, discovered: 2021-01-02T09:00, reported: 2021-01-06T09:00 }",
            "breach",
            vec!["2020-12-30"],
            "2021-01-06",
            vec![Regime::new("gdpr")],
            true,
        ),
        (
            "investigation: { opened: 2024-02-12, period: { from: 2020-10-01, until: 2021-03-31 }, summary: requests }",
            "investigation",
            vec!["2020-10-01", "2021-03-31"],
            "2024-02-12",
            vec![Regime::new("gdpr"), Regime::new("uk-gdpr")],
            false,
        ),
        (
            "investigation: { opened: 2024-02-12, period: { from: 2023-04-01, until: 2024-01-31 }, summary: requests }",
            "investigation",
            vec!["2023-04-01", "2024-01-31"],
            "2024-02-12",
            vec![Regime::new("uk-gdpr")],
            false,
        ),
        (
            "complaint: { received: 2024-05-03, complainant: { name: Ms L Carter }, summary: a request }",
            "complaint",
            vec!["2024-05-03"],
            "2024-05-03",
            vec![Regime::new("uk-gdpr")],
            false,
        ),
    ] {
        let case = load("x.yaml", about(matter).as_bytes(), &law)
            .unwrap_or_else(|d| panic!("{matter}: {d:?}"));
        assert_eq!(case.matter.key(), key, "{matter}");
        let found: Vec<String> = case.matter.dates().iter().map(|d| d.to_string()).collect();
        assert_eq!(found, dates, "{matter}");
        let facts = facts(&case, &law.regimes, FollowUp::default());
        assert_eq!(case.matter.began().to_string(), began, "{matter}");
        let found: Vec<Regime> = facts.regimes.iter().map(|(r, _)| r.clone()).collect();
        assert_eq!(found, regimes, "{matter}");
        assert_eq!(facts.late, late, "{matter}");
    }
}

/// A breach is late by the limit of the law in force on the day the controller
/// became aware of it: before the regimes with a limit, no report is late.
#[test]
fn the_report_limit_is_the_law_of_the_day_of_awareness() {
    use crate::derive::{FollowUp, facts};
    let law = law();
    for (discovered, reported, limit, late) in [
        // Under the law with no limit: nine days is not late.
        ("2018-03-01T09:00", "2018-03-10T09:00", None, false),
        ("2018-05-24T09:00", "2018-05-29T09:00", None, false),
        // Aware the first day of a law with a limit: late after 72 hours.
        ("2018-05-25T09:00", "2018-05-29T09:00", Some(72), true),
        ("2018-05-25T09:00", "2018-05-28T09:00", Some(72), false),
        ("2021-01-01T09:00", "2021-01-04T09:01", Some(72), true),
    ] {
        let matter = format!(
            "breach: {{ occurred: 2018-02-01, discovered: {discovered}, reported: {reported} }}"
        );
        let case = load("x.yaml", about(&matter).as_bytes(), &law)
            .unwrap_or_else(|d| panic!("{matter}: {d:?}"));
        let facts = facts(&case, &law.regimes, FollowUp::default());
        assert_eq!(facts.report_within_hours, limit, "{matter}");
        assert_eq!(facts.late, late, "{matter}");
    }
}

#[test]
fn encoded_word_syntax_is_found_wherever_it_is() {
    for text in [
        "=?utf-8?B?QWxpY2U=?=",
        "Ms =?iso-8859-1?q?A=E9?= Example",
        "=??=",
    ] {
        assert!(super::has_encoded_word(text), "{text}");
    }
    for text in ["Ms A Example", "a = b? c", "x ?= y =? z", "=?"] {
        assert!(!super::has_encoded_word(text), "{text}");
    }
}
