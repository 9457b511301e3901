//! `docket` and `explain` run as a user runs them, on the sample cases: golden
//! outputs for a fixed `--as-of` in every format, the `.ics` read back with an
//! independent parser (`ical`), exit codes, and the explanation checked against
//! the letters' own facts.
//!
//! Rewrite the golden files with
//! `CASEWRIGHT_BLESS=1 cargo test --test integration followup` and review the diff.

use std::path::Path;

use casewright::followup::{self, explain};

use crate::golden::compare;
use crate::support::{
    ACK, each_sample_letter, root, run, sample_cases, templates, text, workspace,
};

/// The day the golden dockets are for.
const AS_OF: &str = "2026-12-16";

fn assert_golden(name: &str, actual: &str) {
    let mut failures = Vec::new();
    compare(Path::new(name), actual, &mut failures);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_docket_of_the_sample_cases_in_every_format() {
    for (format, file) in [
        ("table", "table.txt"),
        ("json", "docket.jsonl"),
        ("ics", "docket.ics"),
    ] {
        let output = run(&root(), &["docket", "--as-of", AS_OF, "--format", format]);
        let (stdout, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(0), "{format}: {stderr}");
        assert!(stderr.is_empty(), "{format}: {stderr}");
        assert!(
            !stdout.contains('\x1b'),
            "{format}: no colour off a terminal"
        );
        assert_golden(&format!("docket/{file}"), &stdout);
    }
}

#[test]
fn the_table_lists_overdue_first_then_by_date() {
    let output = run(&root(), &["docket", "--as-of", AS_OF]);
    let (stdout, _) = text(&output);
    let states: Vec<&str> = stdout
        .lines()
        .skip(1)
        .filter_map(|l| {
            [
                "overdue", "due-soon", "reminded", "extended", "received", "due",
            ]
            .into_iter()
            .find(|s| l.contains(&format!("  {s}  ")))
        })
        .collect();
    assert_eq!(
        states,
        [
            "overdue", "received", "received", "received", "received", "received", "due-soon",
            "extended"
        ],
        "{stdout}"
    );
}

#[test]
fn the_json_fields_are_stable() {
    let output = run(&root(), &["docket", "--as-of", AS_OF, "--format", "json"]);
    let (stdout, _) = text(&output);
    let mut dues = Vec::new();
    for line in stdout.lines() {
        let value: serde_json::Value = serde_json::from_str(line).expect("one object a line");
        let object = value.as_object().expect("an object");
        let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "as_of",
                "case",
                "days_left",
                "days_overdue",
                "deadline",
                "due",
                "extended_to",
                "letter",
                "note",
                "officer",
                "organisation",
                "received",
                "received_days_late",
                "reference",
                "revisions",
                "set_by",
                "state",
                "steps",
                "weekday"
            ]
        );
        dues.push(object["due"].as_str().expect("a date").to_owned());
    }
    let mut sorted = dues.clone();
    sorted.sort();
    assert_eq!(dues, sorted, "sorted by due date");
    let states: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json")["state"].clone())
        .collect();
    for state in ["overdue", "due-soon", "extended", "received"] {
        assert!(
            states.iter().any(|s| s == state),
            "the samples have a {state} deadline"
        );
    }
}

/// The calendar read back by an independent parser: one all-day event per open
/// deadline, stable UIDs, the extension as a new SEQUENCE of the same event.
#[test]
fn the_calendar_parses_back() {
    let output = run(&root(), &["docket", "--as-of", AS_OF, "--format", "ics"]);
    assert!(
        output.stdout.windows(2).any(|w| w == b"\r\n"),
        "content lines end in CRLF"
    );
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(&output.stdout[..]));
    let calendar = calendars.next().expect("a calendar").expect("it parses");
    assert!(calendars.next().is_none(), "one calendar");
    let property = |props: &[ical::property::Property], name: &str| {
        props
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_default()
    };
    assert_eq!(property(&calendar.properties, "VERSION"), "2.0");
    assert!(!property(&calendar.properties, "PRODID").is_empty());
    let events: Vec<_> = calendar
        .events
        .iter()
        .map(|e| {
            let start = e
                .properties
                .iter()
                .find(|p| p.name == "DTSTART")
                .expect("DTSTART");
            let all_day = start
                .params
                .as_ref()
                .is_some_and(|ps| ps.iter().any(|(k, v)| k == "VALUE" && v == &["DATE"]));
            assert!(all_day, "all-day events");
            (
                property(&e.properties, "UID"),
                property(&e.properties, "DTSTART"),
                property(&e.properties, "DTEND"),
                property(&e.properties, "SEQUENCE"),
                property(&e.properties, "SUMMARY"),
                property(&e.properties, "DESCRIPTION"),
            )
        })
        .collect();
    assert_eq!(events.len(), 3, "the open deadlines only: {events:?}");
    let (uid, start, end, sequence, summary, description) = events
        .iter()
        .find(|e| e.0.starts_with("IC-197364-T8M3"))
        .expect("the extended deadline");
    assert_eq!(
        uid, "IC-197364-T8M3-reprimand-2026-07-14-due-2026-10-14@casewright",
        "the UID keeps the letter's deadline when the date moves"
    );
    assert_eq!((start.as_str(), end.as_str()), ("20270115", "20270116"));
    assert_eq!(sequence, "1");
    assert!(summary.contains("IC-197364-T8M3") && summary.contains("Loch Arran Health Board"));
    assert!(description.contains("step 1"), "{description}");
    // Nothing the letter does not name: no email addresses, no contact.
    for (.., description) in &events {
        assert!(!description.contains('@'), "{description}");
        assert!(!description.contains("Ms C MacLeod"), "{description}");
    }
    // A re-run gives the same bytes: the stamp is the as-of day, not the clock.
    let again = run(&root(), &["docket", "--as-of", AS_OF, "--format", "ics"]);
    assert_eq!(again.stdout, output.stdout);
}

#[test]
fn fail_on_overdue_exits_1_only_when_something_is_overdue() {
    let overdue = run(&root(), &["docket", "--as-of", AS_OF, "--fail-on-overdue"]);
    assert_eq!(overdue.status.code(), Some(1));
    let early = run(
        &root(),
        &[
            "docket",
            "--as-of",
            "2026-04-01",
            "--fail-on-overdue",
            "cases/IC-211502-H6C9.yaml",
        ],
    );
    let (stdout, stderr) = text(&early);
    assert_eq!(early.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.contains("182 days left") && stdout.contains("  due  "),
        "{stdout}"
    );
}

#[test]
fn docket_errors() {
    let dir = workspace(&[("ok.yaml", ACK), ("bad.yaml", "reference: [")]);
    let output = run(dir.path(), &["docket", "--as-of", AS_OF]);
    let (stdout, stderr) = text(&output);
    assert_eq!(
        output.status.code(),
        Some(1),
        "an invalid case fails the run"
    );
    assert!(stderr.contains("cases/bad.yaml"), "{stderr}");
    assert!(
        stdout.starts_with("DEADLINE"),
        "the valid cases are still listed"
    );
    let missing = run(dir.path(), &["docket", "nowhere"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing).1.contains("no such case file or folder"));
    let bad_date = run(dir.path(), &["docket", "--as-of", "2026-13-01"]);
    assert_eq!(bad_date.status.code(), Some(2));
    let no_templates = run(&dir.path().join("cases"), &["docket"]);
    assert_eq!(no_templates.status.code(), Some(2));
    std::fs::remove_file(dir.path().join("letter-templates/follow-up.yaml")).expect("removed");
    let no_wording = run(dir.path(), &["docket", "--as-of", AS_OF, "cases/ok.yaml"]);
    assert_eq!(no_wording.status.code(), Some(1));
    assert!(text(&no_wording).1.contains("follow-up.yaml"));
}

#[test]
fn the_docket_defaults_to_today() {
    let output = run(&root(), &["docket", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(text(&output).0.contains("\"as_of\":"));
}

/// The explanation of every sample case, as text, and one as JSON.
#[test]
fn every_sample_case_is_explained() {
    for file in sample_cases() {
        let name = file
            .file_stem()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        let relative = format!("cases/{name}.yaml");
        let output = run(&root(), &["explain", &relative]);
        let (stdout, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(0), "{name}: {stderr}");
        assert_golden(&format!("explain/{name}.txt"), &stdout);
    }
    let output = run(
        &root(),
        &[
            "explain",
            "cases/IC-205118-P4L6.yaml",
            "--letter",
            "2",
            "--format",
            "json",
        ],
    );
    assert_eq!(output.status.code(), Some(0));
    assert_golden("explain/IC-205118-P4L6.letter-2.json", &text(&output).0);
}

#[test]
fn explain_errors() {
    for (args, code, words) in [
        (
            &["explain", "cases/IC-205118-P4L6.yaml", "--letter", "3"][..],
            2,
            "the case has 2 letters",
        ),
        (
            &["explain", "cases/IC-205118-P4L6.yaml", "--letter", "0"][..],
            2,
            "--letter",
        ),
        (&["explain", "cases"][..], 2, "not a folder"),
        (
            &["explain", "cases/nowhere.yaml"][..],
            2,
            "no such case file",
        ),
        (
            &["explain", "tests/bad-cases/received-before-letter.yaml"][..],
            1,
            "received before the letter",
        ),
    ] {
        let output = run(&root(), args);
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(stderr.contains(words), "{args:?}: {stderr}");
    }
    let dir = workspace(&[("ok.yaml", ACK)]);
    let no_templates = run(&dir.path().join("cases"), &["explain", "ok.yaml"]);
    assert_eq!(no_templates.status.code(), Some(2));
    let acknowledgement = run(dir.path(), &["explain", "cases/ok.yaml"]);
    let (stdout, stderr) = text(&acknowledgement);
    assert_eq!(acknowledgement.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.contains("Letter 1: acknowledgement of 5 January 2023"),
        "{stdout}"
    );
    assert!(!stdout.contains("Progress-update deadline"), "{stdout}");
}

/// The explanation's deadline is the letter's, and the sentence it quotes is in
/// the rendered letter.
#[test]
fn explanations_agree_with_the_letters() {
    let (engine, wording) = followup::load_templates(&templates()).expect("templates");
    let mut deadlines = 0;
    each_sample_letter(&engine, |case, letter| {
        let facts = engine.facts(case, letter).expect("facts");
        let number = case
            .letters
            .iter()
            .position(|l| std::ptr::eq(l, letter))
            .expect("in the case")
            + 1;
        let explained =
            explain::explain(case, Some(number), &engine, &wording.explain).expect("explains");
        let letter_facts = &explained.letters[0];
        assert_eq!(
            letter_facts.deadline.as_ref().map(|d| d.due),
            facts.follow_up.deadline.as_ref().map(|d| d.date())
        );
        if let Some(deadline) = &letter_facts.deadline {
            deadlines += 1;
            let sentence = deadline
                .letter_says
                .as_deref()
                .expect("the letter's sentence is found");
            let files = engine
                .letter_files(case, letter, &[casewright::output::Format::Md])
                .expect("renders");
            let markdown = String::from_utf8_lossy(&files[0].bytes)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let last_words = sentence.rsplit(", ").next().expect("words");
            assert!(markdown.contains(last_words), "{last_words}");
        }
    });
    assert!(deadlines >= 8, "every sample deadline was checked");
}
