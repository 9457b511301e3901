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
            "overdue", "received", "received", "received", "received", "received", "received",
            "received", "received", "received", "due-soon", "extended"
        ],
        "{stdout}"
    );
    let reminded = stdout
        .lines()
        .find(|l| l.contains("IC-211502-H6C9"))
        .expect("the reminded case");
    let words: Vec<&str> = reminded.split_whitespace().collect();
    assert_eq!(
        words[..6],
        ["Monday", "26", "October", "2026", "reminder", "2026-10-12"],
        "the reminder's date replaces the letter's: {reminded}"
    );
}

/// A reminder moves the date that counts: before its new date the deadline is
/// `reminded`, after it `overdue` again, counted from the new date.
#[test]
fn a_reminder_moves_the_deadline() {
    let case = "cases/IC-211502-H6C9.yaml";
    for (as_of, state, when) in [
        ("2026-10-20", "reminded", "6 days left"),
        ("2026-10-26", "reminded", "due today"),
        ("2026-10-27", "overdue", "1 day overdue"),
    ] {
        let output = run(&root(), &["docket", "--as-of", as_of, case]);
        let (stdout, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(0), "{stderr}");
        let row = stdout.lines().nth(1).expect("one deadline");
        assert!(
            row.contains(&format!("  {when}  ")) && row.contains(&format!("  {state}  ")),
            "{as_of}: {row}"
        );
        assert_eq!(stdout.lines().count(), 2, "one row, not one per letter");
    }
    let json = run(
        &root(),
        &["docket", "--as-of", "2026-10-20", "--format", "json", case],
    );
    let value: serde_json::Value = serde_json::from_str(text(&json).0.trim()).expect("json");
    assert_eq!(value["due"], "2026-10-26");
    assert_eq!(value["deadline"], "2026-09-30");
    assert_eq!(value["set_by"], "reminder");
    assert_eq!(value["state"], "reminded");
    assert_eq!(
        value["revisions"],
        serde_json::json!([{"date": "2026-10-26", "by": "reminder", "number": 2, "letter_date": "2026-10-12"}])
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
    let (uid, start, _, sequence, _, description) = events
        .iter()
        .find(|e| e.0.starts_with("IC-211502-H6C9"))
        .expect("the reminded deadline");
    assert_eq!(
        uid, "IC-211502-H6C9-reprimand-2026-03-31-due-2026-09-30@casewright",
        "a reminder moves the event, it adds none"
    );
    assert_eq!((start.as_str(), sequence.as_str()), ("20261026", "1"));
    // Compared without spaces and escapes: the parser read back drops a space
    // that ends a folded line.
    let flat = |text: &str| text.replace(['\\', ' '], "");
    assert!(
        flat(description).contains(&flat(
            "Chased by our reminder of 12 October 2026; first due 30 September 2026."
        )),
        "{description}"
    );
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
        stdout.contains("208 days left") && stdout.contains("  reminded  "),
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
            &["explain", "cases/IC-205118-P4L6.yaml", "--letter", "4"][..],
            2,
            "the case has 3 letters",
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
    assert!(deadlines >= 9, "every sample deadline was checked");
}

/// A case with two reprimands asking for updates: a reminder names the one it
/// chases with `chases`, and a second reminder chases the date the first set.
const TWO_REPRIMANDS: &str = "\
reference: IC-2-TEST
controller:
  name: Example Ltd
  email: dpo@example.org
officer: { name: Sam Reed, title: Case Officer }
breach:
  occurred: 2023-01-02
  discovered: 2023-01-03T09:00
  reported: 2023-01-04T09:00
letters:
  - kind: reprimand
    date: 2023-05-05
    investigation: the loss of a laptop
    infringements: [uk-gdpr-art5-1-f]
    recommendations:
      - { text: Encrypt every laptop., progress_update: true }
      - { text: Train staff. }
    progress_update: { within: 6 months, roll: next-working-day }
  - kind: reprimand
    date: 2023-06-05
    investigation: the loss of a phone
    infringements: [uk-gdpr-art5-1-f]
    recommendations:
      - { text: Lock every phone. }
      - { text: Keep a register of phones., progress_update: true }
    progress_update: { within: 3 months, to: phones@example.org }
  - kind: progress-reminder
    date: 2023-09-11
    chases: 2023-06-05
  - kind: progress-reminder
    date: 2023-09-26
    chases: 2023-06-05
    within: 1 week
";

#[test]
fn reminders_name_the_update_they_chase_and_follow_one_another() {
    let dir = workspace(&[("two.yaml", TWO_REPRIMANDS)]);
    let output = run(
        dir.path(),
        &["docket", "--as-of", "2023-09-28", "--format", "json"],
    );
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let rows: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(rows.len(), 2, "one row per reprimand: {stdout}");
    // The phones reprimand: due 5 September, reminded to 25 September, then to
    // 3 October (one week after 26 September).
    let phones = &rows[0];
    assert_eq!(phones["letter"]["date"], "2023-06-05");
    assert_eq!(phones["deadline"], "2023-09-05");
    assert_eq!(phones["due"], "2023-10-03");
    assert_eq!(phones["state"], "reminded");
    assert_eq!(
        phones["revisions"],
        serde_json::json!([
            {"date": "2023-09-25", "by": "reminder", "number": 3, "letter_date": "2023-09-11"},
            {"date": "2023-10-03", "by": "reminder", "number": 4, "letter_date": "2023-09-26"}
        ])
    );
    // The laptop reprimand is untouched: 5 November 2023 is a Sunday.
    assert_eq!(rows[1]["due"], "2023-11-06");
    assert_eq!(rows[1]["set_by"], "letter");

    let render = run(dir.path(), &["render", "--format", "md"]);
    assert_eq!(render.status.code(), Some(0), "{}", text(&render).1);
    let second = std::fs::read_to_string(
        dir.path()
            .join("output/IC-2-TEST/2023-09-26-progress-reminder.md"),
    )
    .expect("the second reminder");
    let second = second.split_whitespace().collect::<Vec<_>>().join(" ");
    for words in [
        "our reprimand of 5 June 2023",
        "on step 2 of our recommendations by 25 September 2023, as our email of 11 September 2023 asked",
        "Please send the update to phones@example.org within one week, by no later than 3 October 2023",
        "what has been done on that step",
    ] {
        assert!(second.contains(words), "{words}: {second}");
    }
    let explained = run(dir.path(), &["explain", "cases/two.yaml", "--letter", "4"]);
    let (stdout, stderr) = text(&explained);
    assert_eq!(explained.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.contains(
            "chases the update letter 2 (reprimand of 5 June 2023) asks for, due Monday 25 September 2023 by the reminder of 11 September 2023"
        ),
        "{stdout}"
    );
}

/// A reminder on or before the date an earlier reminder set is early.
#[test]
fn a_second_reminder_before_the_first_ones_date_is_an_error() {
    let early = TWO_REPRIMANDS.replace("date: 2023-09-26", "date: 2023-09-25");
    let dir = workspace(&[("two.yaml", &early)]);
    let output = run(dir.path(), &["check"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error[reminder-before-deadline]")
            && stderr.contains("cases/two.yaml:31:11")
            && stderr.contains("Monday 25 September 2023")
            && stderr.contains("the new date an earlier reminder set"),
        "{stderr}"
    );
}
