//! The schema's patterns held to the checks they stand for, one row per case, and
//! the shape of the document.

use serde_json::{Value, json};

use super::*;
use crate::case::Reference;
use crate::case::validate::check_email;
use crate::case::{DEFAULT_TIME_ZONE, Period, case_time};

/// Whether `text` matches the schema's `pattern`, as a JSON Schema validator sees it.
fn matches(pattern: &str, text: &str) -> bool {
    jsonschema::draft202012::is_valid(&json!({ "pattern": pattern }), &json!(text))
}

/// The pattern a transform gives a string.
fn pattern_of(transform: fn(&mut Schema)) -> String {
    let mut schema = json_schema!({ "type": "string" });
    transform(&mut schema);
    schema
        .get("pattern")
        .and_then(Value::as_str)
        .expect("a pattern")
        .to_owned()
}

#[test]
fn a_period_matches_exactly_when_it_reads() {
    let pattern = period_pattern();
    for text in [
        "3 months",
        "1 month",
        "01 month",
        "one month",
        "One Month",
        "six WEEKS",
        "twenty days",
        "28 days",
        "100 days",
        "+3 days",
        "  3   weeks ",
        "1 months",
        "3 month",
        "one months",
        "0 days",
        "zero days",
        "twenty-one days",
        "21 day",
        "3months",
        "3 monthz",
        "three fortnights",
        "3 months later",
        "",
    ] {
        assert_eq!(
            matches(&pattern, text),
            text.parse::<Period>().is_ok(),
            "{text:?}"
        );
    }
}

#[test]
fn a_reference_matches_exactly_when_it_is_valid() {
    let mut schema = json_schema!({ "type": "string" });
    reference(&mut schema);
    let schema = schema.to_value();
    for text in [
        "IC-31191-G5C6",
        "INV/0864/2021",
        "a_b.c-1",
        "9",
        "/etc/passwd",
        ".hidden",
        "a..b",
        "../../etc",
        "a\\b",
        "a b",
        "ends.",
        "ends/",
        "CON",
        "con",
        "Con.txt",
        "COM1",
        "CONSOLE",
        "CON/x",
        "LPT9.a.b",
        "casewright-manifest.txt",
        "CaseWright-x",
        "casewright/x",
        "casewright",
        "casewrights-1",
        "",
        &"A".repeat(64),
        &"A".repeat(65),
    ] {
        assert_eq!(
            jsonschema::draft202012::is_valid(&schema, &json!(text)),
            Reference::parse(text).is_ok(),
            "{text:?}"
        );
    }
}

#[test]
fn a_time_matches_when_its_shape_is_one_the_checks_read() {
    let pattern = pattern_of(date_time);
    for text in [
        "2019-12-18T16:42",
        "2019-12-18T16:42:05",
        "2019-12-18 16:42",
        "2019-12-18 16:42:05",
        "2023-03-27T11:00+01:00",
        "2023-03-27T11:00+0100",
        "2023-03-27T11:00+01",
        "2023-03-27T10:00Z",
        "2023-03-27T10:00-05:00",
        "2019-12-18",
        "2019-12-18T16",
        "2019-12-18T16:42+1",
        "2023-03-25T10:30+25:00",
        "2023-03-25T10:30+01:60",
        "2023-03-25T24:30",
        "2023-03-25T10:60",
        "2023-13-25T10:00",
        "2023-03-32T10:00",
        "18/12/2019 16:42",
        "2019-12-18 9.00am",
    ] {
        assert_eq!(
            matches(&pattern, text),
            case_time(text, DEFAULT_TIME_ZONE).is_ok(),
            "{text:?}"
        );
    }
}

#[test]
fn plain_text_matches_unless_it_holds_an_encoded_word() {
    for transform in [plain as fn(&mut Schema), line] {
        let pattern = pattern_of(transform);
        for text in [
            "Ms A Example",
            "a = b? c",
            "=?utf-8?B?QWxpY2U=?=",
            "Ms =?iso-8859-1?q?A=E9?= Example",
            "x ?= y =? z",
        ] {
            assert_eq!(
                matches(&pattern, text),
                !crate::case::has_encoded_word(text),
                "{text:?}"
            );
        }
    }
}

#[test]
fn an_email_address_matches_when_the_checks_take_it() {
    let pattern = pattern_of(email);
    for text in [
        "dpo@example.org",
        "data.protection@lothianvalley.example",
        "a+b@sub.example.co.uk",
        "dpo.example.org",
        "@example.org",
        "dpo@",
        "dpo@example",
        "dpo@.example.org",
        "dpo@example.org.",
        "dpo@exa mple.org",
        "dpo@example.org\nBcc: x@y.z",
        "a<b@example.org",
        "a@b@example.org",
    ] {
        assert_eq!(
            matches(&pattern, text),
            check_email(text).is_ok(),
            "{text:?}"
        );
    }
}

#[test]
fn plain_text_is_one_line_and_markdown_may_have_many() {
    let (plain, line, markdown) = (pattern_of(plain), pattern_of(line), pattern_of(markdown));
    for (text, is_plain, says_something, is_markdown) in [
        ("Ministry of Justice", true, true, true),
        ("", true, false, true),
        ("   ", true, false, true),
        ("two\nlines", false, false, true),
        ("tab\there", false, false, true),
        ("bell\u{7}", false, false, false),
        ("c1 \u{85} control", false, false, false),
        ("Ünïcode ✓", true, true, true),
    ] {
        assert_eq!(matches(&plain, text), is_plain, "plain {text:?}");
        assert_eq!(matches(&line, text), says_something, "line {text:?}");
        assert_eq!(matches(&markdown, text), is_markdown, "markdown {text:?}");
    }
}

#[test]
fn the_document_has_every_kind_and_every_common_key_in_order() {
    let document = document(&Keys::default());
    let defs = &document["$defs"];
    for &kind in LetterKind::ALL {
        let branch = &defs[kind.key()];
        let properties = branch["properties"].as_object().expect("properties");
        for key in COMMON_KEYS.iter().chain(kind.own_keys()) {
            assert!(properties.contains_key(*key), "{}: {key}", kind.key());
        }
        assert_eq!(properties.len(), COMMON_KEYS.len() + kind.own_keys().len());
        assert_eq!(branch["properties"]["kind"]["const"], kind.key());
        assert_eq!(branch["additionalProperties"], false);
        let order = branch[ORDER].as_array().expect("an order");
        assert_eq!(order.len(), properties.len(), "{}", kind.key());
    }
    // Every object says the order of its keys, for a scaffold.
    for (name, def) in defs.as_object().expect("defs") {
        if def.get("properties").is_some() {
            assert!(def.get(ORDER).is_some(), "{name} has no order");
        }
    }
    let printed = printable(document).to_string();
    assert!(!printed.contains(OWN), "{printed}");
}

#[test]
fn a_reprimand_needs_its_investigation_unless_the_case_is_one() {
    let document = document(&Keys::default());
    let validator = jsonschema::draft202012::new(&document).expect("a schema");
    let case = |matter: Value, letter: Value| {
        let mut case = json!({
            "reference": "IC-1",
            "controller": { "name": "A", "email": "a@example.org" },
            "officer": { "name": "B", "title": "C" },
            "letters": [letter],
        });
        case[matter["key"].as_str().expect("key")] = matter["facts"].clone();
        case
    };
    let breach = json!({ "key": "breach", "facts": {
        "occurred": "2023-01-02", "discovered": "2023-01-03T09:00", "reported": "2023-01-04T09:00",
    } });
    let investigation = json!({ "key": "investigation", "facts": {
        "opened": "2023-01-02", "period": { "from": "2022-01-01", "until": "2022-12-31" }, "summary": "S",
    } });
    let without = json!({
        "kind": "reprimand", "date": "2023-02-01", "infringements": ["x"], "recommendations": ["R"],
    });
    let mut with = without.clone();
    with["investigation"] = json!("the incident");
    assert!(!validator.is_valid(&case(breach.clone(), without.clone())));
    assert!(validator.is_valid(&case(breach, with)));
    assert!(validator.is_valid(&case(investigation, without)));
}

/// The keys of a map by the name it is written under: declared order, and none
/// for a name that is no map's, or whose maps differ.
#[test]
fn map_keys_by_name() {
    for (key, expected) in [
        ("complainant", Some(vec!["name"])),
        ("period", Some(vec!["from", "until"])),
        (
            "officer",
            Some(vec!["name", "title", "team", "phone", "email"]),
        ),
        ("reference", None),
        ("no-such-key", None),
    ] {
        let expected = expected.map(|keys| keys.into_iter().map(str::to_owned).collect::<Vec<_>>());
        assert_eq!(map_keys(key), expected, "{key}");
    }
}
