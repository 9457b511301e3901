//! The docket: every progress-update deadline across the cases, with where each
//! stands on a given day.
//!
//! A deadline starts as the date the letter states ([`derive::facts`]);
//! each later change to it is a [`Revision`] (today an extension the office
//! agreed), and the last revision is the date that counts. A letter that sets a
//! new date for an earlier letter's update adds its revision to that deadline,
//! rather than a deadline of its own, so the calendar event moves instead of
//! doubling.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use crate::case::{Case, Letter, LetterBody};
use crate::derive::{self, BankHolidays, FactsError, weekday_date};

/// Where a deadline stands on the day the docket is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// Open, and its date has passed.
    Overdue,
    /// Open, due within the `--within` days (or today).
    DueSoon,
    /// Open, its date extended by the office.
    Extended,
    /// Open, due later.
    Due,
    /// The update has arrived.
    Received,
}

impl State {
    /// The state's name, as the table and JSON write it.
    pub fn key(self) -> &'static str {
        match self {
            State::Overdue => "overdue",
            State::DueSoon => "due-soon",
            State::Extended => "extended",
            State::Due => "due",
            State::Received => "received",
        }
    }
}

/// What moved a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RevisedBy {
    /// The office agreed a later date (`extended_to`).
    Extension,
}

/// A change to a deadline's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Revision {
    /// The new date.
    pub date: NaiveDate,
    /// What moved it.
    pub by: RevisedBy,
}

/// The letter a deadline comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LetterRef {
    /// Its place among the case's letters, from 1.
    pub number: usize,
    /// Its kind.
    pub kind: &'static str,
    /// Its date.
    pub date: NaiveDate,
}

/// One progress-update deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The case file.
    pub case: String,
    /// The case reference.
    pub reference: String,
    /// The organisation, as the letter names it.
    pub organisation: String,
    /// The letter that asks for the update.
    pub letter: LetterRef,
    /// The numbers of the steps the update covers (empty: all of them).
    pub steps: Vec<usize>,
    /// The text of each step the update covers (of every step, when none is
    /// marked), as plain text.
    pub step_texts: Vec<String>,
    /// The officer who signed the letter.
    pub officer: String,
    /// The deadline the letter set.
    pub deadline: NaiveDate,
    /// Later changes to it, oldest first.
    pub revisions: Vec<Revision>,
    /// When the update arrived, if it has.
    pub received: Option<NaiveDate>,
}

impl Entry {
    /// The date that counts: the last revision's, else the letter's.
    pub fn due(&self) -> NaiveDate {
        self.revisions.last().map_or(self.deadline, |r| r.date)
    }

    /// Where the deadline stands on `as_of`, with `within` days counting as soon.
    pub fn state(&self, as_of: NaiveDate, within: u32) -> State {
        let left = self.days_left(as_of);
        if self.received.is_some() {
            State::Received
        } else if left < 0 {
            State::Overdue
        } else if !self.revisions.is_empty() {
            State::Extended
        } else if left <= i64::from(within) {
            State::DueSoon
        } else {
            State::Due
        }
    }

    /// Days from `as_of` to the date that counts (negative once it has passed).
    pub fn days_left(&self, as_of: NaiveDate) -> i64 {
        (self.due() - as_of).num_days()
    }

    /// How many days after the date that counts the update arrived (0 when in time).
    pub fn received_late_by(&self) -> Option<i64> {
        self.received
            .map(|received| (received - self.due()).num_days().max(0))
    }
}

/// Every progress-update deadline of the cases, sorted by the date that counts.
pub fn entries<'a>(
    cases: impl IntoIterator<Item = (&'a str, &'a Case)>,
    holidays: &BankHolidays,
) -> Result<Vec<Entry>, FactsError> {
    let mut entries = Vec::new();
    for (file, case) in cases {
        for (index, letter) in case.letters.iter().enumerate() {
            if let Some(entry) = entry(file, case, index, letter, holidays)? {
                entries.push(entry);
            }
        }
    }
    entries.sort_by(|a, b| {
        (a.due(), &a.reference, a.letter.number).cmp(&(b.due(), &b.reference, b.letter.number))
    });
    Ok(entries)
}

fn entry(
    file: &str,
    case: &Case,
    index: usize,
    letter: &Letter,
    holidays: &BankHolidays,
) -> Result<Option<Entry>, FactsError> {
    let LetterBody::Reprimand(reprimand) = &letter.body else {
        return Ok(None);
    };
    // The letter's own facts: the deadline and steps it states.
    let facts = derive::facts(case, letter, holidays)?;
    let (Some(update), Some(deadline)) = (&reprimand.progress_update, facts.deadline) else {
        return Ok(None);
    };
    let revisions = update
        .extended_to
        .map(|date| Revision {
            date,
            by: RevisedBy::Extension,
        })
        .into_iter()
        .collect();
    let step_texts = reprimand
        .recommendations
        .iter()
        .enumerate()
        .filter(|(i, _)| facts.update_steps.is_empty() || facts.update_steps.contains(&(i + 1)))
        .map(|(_, r)| {
            crate::convert::to_text(&r.text.0, usize::MAX)
                .trim()
                .to_owned()
        })
        .collect();
    Ok(Some(Entry {
        case: file.to_owned(),
        reference: case.reference.to_string(),
        organisation: case.controller.name.clone(),
        letter: LetterRef {
            number: index + 1,
            kind: letter.kind.key(),
            date: letter.date,
        },
        steps: facts.update_steps,
        step_texts,
        officer: letter.officer.name.clone(),
        deadline: deadline.date,
        revisions,
        received: update.received,
    }))
}

/// One deadline as `--format json` prints it: the documented, stable fields.
#[derive(Debug, Serialize)]
pub struct JsonEntry<'a> {
    /// The date that counts (ISO).
    pub due: NaiveDate,
    /// Its weekday ("Monday").
    pub weekday: String,
    /// The deadline the letter set.
    pub deadline: NaiveDate,
    /// The office's extension, if any.
    pub extended_to: Option<NaiveDate>,
    /// `overdue`, `due-soon`, `extended`, `due` or `received`.
    pub state: State,
    /// Days from `as_of` to `due`, negative once passed; `null` once received.
    pub days_left: Option<i64>,
    /// Days past `due`, for an overdue deadline; else `null`.
    pub days_overdue: Option<i64>,
    /// When the update arrived, or `null`.
    pub received: Option<NaiveDate>,
    /// Days after `due` it arrived (0 in time); `null` until received.
    pub received_days_late: Option<i64>,
    /// The case reference.
    pub reference: &'a str,
    /// The organisation.
    pub organisation: &'a str,
    /// The letter asking for the update.
    pub letter: &'a LetterRef,
    /// The steps the update covers (empty: all).
    pub steps: &'a [usize],
    /// The officer who signed the letter.
    pub officer: &'a str,
    /// The case file.
    pub case: &'a str,
    /// The day the docket is for.
    pub as_of: NaiveDate,
}

/// The docket as JSON lines: one object per deadline, sorted by `due`.
pub fn json(entries: &[Entry], as_of: NaiveDate, within: u32) -> String {
    let mut out = String::new();
    for entry in entries {
        let state = entry.state(as_of, within);
        let open = entry.received.is_none();
        let object = JsonEntry {
            due: entry.due(),
            weekday: entry.due().format("%A").to_string(),
            deadline: entry.deadline,
            extended_to: entry
                .revisions
                .iter()
                .rev()
                .find(|r| r.by == RevisedBy::Extension)
                .map(|r| r.date),
            state,
            days_left: open.then(|| entry.days_left(as_of)),
            days_overdue: (state == State::Overdue).then(|| -entry.days_left(as_of)),
            received: entry.received,
            received_days_late: entry.received_late_by(),
            reference: &entry.reference,
            organisation: &entry.organisation,
            letter: &entry.letter,
            steps: &entry.steps,
            officer: &entry.officer,
            case: &entry.case,
            as_of,
        };
        let line = serde_json::to_string(&object).unwrap_or_default();
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// How many days, in words a terminal reader takes in at a glance.
fn days(n: i64) -> String {
    match n {
        1 => "1 day".to_owned(),
        n => format!("{n} days"),
    }
}

/// The "when" column: days left, overdue, or how the update arrived.
fn when(entry: &Entry, as_of: NaiveDate) -> String {
    match entry.received_late_by() {
        Some(0) => "received in time".to_owned(),
        Some(late) => format!("received {} late", days(late)),
        None => match entry.days_left(as_of) {
            0 => "due today".to_owned(),
            left if left < 0 => format!("{} overdue", days(-left)),
            left => format!("{} left", days(left)),
        },
    }
}

/// The docket as an aligned table: overdue deadlines first, then the rest by
/// date. With `color`, states are coloured (only on a terminal without `NO_COLOR`).
pub fn table(entries: &[Entry], as_of: NaiveDate, within: u32, color: bool) -> String {
    let mut rows: Vec<(&Entry, State)> = entries
        .iter()
        .map(|e| (e, e.state(as_of, within)))
        .collect();
    rows.sort_by_key(|(e, state)| (*state != State::Overdue, e.due()));
    let header = [
        "DEADLINE",
        "WHEN",
        "STATE",
        "REFERENCE",
        "ORGANISATION",
        "LETTER",
        "STEPS",
        "OFFICER",
    ];
    let cells: Vec<[String; 8]> = rows
        .iter()
        .map(|(e, state)| {
            let steps: Vec<String> = e.steps.iter().map(usize::to_string).collect();
            [
                weekday_date(e.due()),
                when(e, as_of),
                state.key().to_owned(),
                e.reference.clone(),
                e.organisation.clone(),
                format!("{} {}", e.letter.kind, e.letter.date),
                if steps.is_empty() {
                    "all".to_owned()
                } else {
                    steps.join(", ")
                },
                e.officer.clone(),
            ]
        })
        .collect();
    let width = |i: usize| {
        cells
            .iter()
            .map(|row| textwrap::core::display_width(&row[i]))
            .chain([header[i].len()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..header.len()).map(width).collect();
    let mut out = String::new();
    let mut line = |row: &[String], state: Option<State>| {
        let mut text = String::new();
        for (i, cell) in row.iter().enumerate() {
            let pad = widths[i] - textwrap::core::display_width(cell);
            let last = i + 1 == row.len();
            match (i, state.and_then(|s| paint(s, color))) {
                (2, Some(code)) => {
                    let _ = write!(text, "\x1b[{code}m{cell}\x1b[0m");
                }
                _ => text.push_str(cell),
            }
            if !last {
                text.push_str(&" ".repeat(pad + 2));
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&header.map(str::to_owned), None);
    for (row, (_, state)) in cells.iter().zip(&rows) {
        line(row, Some(*state));
    }
    out
}

/// The ANSI colour of a state, when colour is on.
fn paint(state: State, color: bool) -> Option<&'static str> {
    if !color {
        return None;
    }
    match state {
        State::Overdue => Some("31;1"),
        State::DueSoon => Some("33"),
        State::Extended => Some("36"),
        State::Due => None,
        State::Received => Some("32"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a test date")
    }

    fn entry(deadline: &str, extended: Option<&str>, received: Option<&str>) -> Entry {
        Entry {
            case: "cases/a.yaml".into(),
            reference: "IC-1-TEST".into(),
            organisation: "Example Ltd".into(),
            letter: LetterRef {
                number: 1,
                kind: "reprimand",
                date: date("2026-01-05"),
            },
            steps: vec![1, 2],
            step_texts: vec!["Train staff.".into(), "Encrypt laptops.".into()],
            officer: "Sam Reed".into(),
            deadline: date(deadline),
            revisions: extended
                .map(|d| Revision {
                    date: date(d),
                    by: RevisedBy::Extension,
                })
                .into_iter()
                .collect(),
            received: received.map(date),
        }
    }

    /// One row per rule: received beats everything, then overdue, then extended,
    /// then due soon (within the days given, today included), then due.
    #[test]
    fn states() {
        let as_of = date("2026-12-01");
        for (deadline, extended, received, state, left, late) in [
            ("2026-12-31", None, None, State::Due, 30, None),
            ("2026-12-16", None, None, State::Due, 15, None),
            ("2026-12-15", None, None, State::DueSoon, 14, None),
            ("2026-12-01", None, None, State::DueSoon, 0, None),
            ("2026-11-30", None, None, State::Overdue, -1, None),
            (
                "2026-10-01",
                Some("2026-12-10"),
                None,
                State::Extended,
                9,
                None,
            ),
            (
                "2026-10-01",
                Some("2026-11-10"),
                None,
                State::Overdue,
                -21,
                None,
            ),
            (
                "2026-10-01",
                None,
                Some("2026-09-28"),
                State::Received,
                -61,
                Some(0),
            ),
            (
                "2026-10-01",
                None,
                Some("2026-10-01"),
                State::Received,
                -61,
                Some(0),
            ),
            (
                "2026-10-01",
                None,
                Some("2026-10-09"),
                State::Received,
                -61,
                Some(8),
            ),
            (
                "2026-10-01",
                Some("2026-11-01"),
                Some("2026-10-09"),
                State::Received,
                -30,
                Some(0),
            ),
            (
                "2027-01-01",
                None,
                Some("2026-11-20"),
                State::Received,
                31,
                Some(0),
            ),
        ] {
            let entry = entry(deadline, extended, received);
            let what = format!("{deadline} {extended:?} {received:?}");
            assert_eq!(entry.state(as_of, 14), state, "{what}");
            assert_eq!(entry.days_left(as_of), left, "{what}");
            assert_eq!(entry.received_late_by(), late, "{what}");
        }
    }

    #[test]
    fn the_when_column() {
        let as_of = date("2026-12-01");
        for (deadline, received, expected) in [
            ("2026-12-02", None, "1 day left"),
            ("2026-12-01", None, "due today"),
            ("2026-11-30", None, "1 day overdue"),
            ("2026-10-01", None, "61 days overdue"),
            ("2026-10-01", Some("2026-10-01"), "received in time"),
            ("2026-10-01", Some("2026-10-04"), "received 3 days late"),
        ] {
            assert_eq!(when(&entry(deadline, None, received), as_of), expected);
        }
    }

    #[test]
    fn the_table_puts_overdue_first_and_colours_only_when_asked() {
        let as_of = date("2026-12-01");
        let entries = [
            entry("2026-11-20", None, Some("2026-11-19")),
            entry("2026-11-25", None, None),
            entry("2026-12-20", None, None),
        ];
        let plain = table(&entries, as_of, 14, false);
        let states: Vec<&str> = plain
            .lines()
            .skip(1)
            .map(|l| l.split("  ").filter(|c| !c.is_empty()).nth(2).unwrap_or(""))
            .map(str::trim)
            .collect();
        assert_eq!(states, ["overdue", "received", "due"], "{plain}");
        assert!(!plain.contains('\x1b'));
        let coloured = table(&entries, as_of, 14, true);
        assert!(coloured.contains("\x1b[31;1moverdue\x1b[0m"), "{coloured}");
    }
}
