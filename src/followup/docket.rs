//! The docket: every progress-update deadline across the cases, with where each
//! stands on a given day.
//!
//! A deadline starts as the date the letter states; each later change to it is a
//! [`Revision`] (an extension the office agreed, or the new date of a reminder),
//! and the last revision is the date that counts. A reminder adds its revision to
//! the deadline it chases rather than a deadline of its own, so the calendar event
//! moves instead of doubling. Every date comes from the letters' facts, worked out
//! by the [`Engine`] through each kind's module.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use crate::case::Case;
use crate::derive::FollowUp;
use crate::diag::Diagnostic;
use crate::english::weekday_date;
use crate::pipeline::Engine;

/// Where a deadline stands on the day the docket is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// Open, and its date has passed.
    Overdue,
    /// Open, due within the `--within` days (or today).
    DueSoon,
    /// Open, its date moved by a reminder.
    Reminded,
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
            State::Reminded => "reminded",
            State::Extended => "extended",
            State::Due => "due",
            State::Received => "received",
        }
    }
}

/// What moved a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "by")]
pub enum RevisedBy {
    /// The office agreed a later date (`extended_to`).
    Extension,
    /// A reminder set a new date.
    Reminder {
        /// The reminder's place among the case's letters, from 1.
        number: usize,
        /// The reminder's date.
        letter_date: NaiveDate,
    },
}

/// A change to a deadline's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Revision {
    /// The new date.
    pub date: NaiveDate,
    /// What moved it.
    #[serde(flatten)]
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
    /// What the office noted about the update, as written (Markdown).
    pub note: Option<String>,
}

impl Entry {
    /// The date that counts: the last revision's, else the letter's.
    pub fn due(&self) -> NaiveDate {
        self.revisions.last().map_or(self.deadline, |r| r.date)
    }

    /// The date the office agreed: its extension, else the letter's deadline. An
    /// update is late against this date; a reminder's new date excuses nothing.
    pub fn agreed(&self) -> NaiveDate {
        self.extended_to().unwrap_or(self.deadline)
    }

    /// What set the date that counts: `letter`, `extension` or `reminder`.
    pub fn set_by(&self) -> &'static str {
        match self.revisions.last().map(|r| r.by) {
            None => "letter",
            Some(RevisedBy::Extension) => "extension",
            Some(RevisedBy::Reminder { .. }) => "reminder",
        }
    }

    /// The office's extension, if any.
    pub fn extended_to(&self) -> Option<NaiveDate> {
        self.revisions
            .iter()
            .rev()
            .find(|r| r.by == RevisedBy::Extension)
            .map(|r| r.date)
    }

    /// Where the deadline stands on `as_of`, with `within` days counting as soon.
    pub fn state(&self, as_of: NaiveDate, within: u32) -> State {
        let left = self.days_left(as_of);
        if self.received.is_some() {
            State::Received
        } else if left < 0 {
            State::Overdue
        } else if let Some(last) = self.revisions.last() {
            match last.by {
                RevisedBy::Extension => State::Extended,
                RevisedBy::Reminder { .. } => State::Reminded,
            }
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

    /// How many days after the agreed date the update arrived (0 when in time).
    pub fn received_late_by(&self) -> Option<i64> {
        self.received
            .map(|received| (received - self.agreed()).num_days().max(0))
    }
}

/// Every progress-update deadline of the cases, sorted by the date that counts,
/// and an error for each case whose facts cannot be worked out (its deadlines are
/// left out).
pub fn entries<'a>(
    cases: impl IntoIterator<Item = (&'a str, &'a Case)>,
    engine: &Engine,
) -> (Vec<Entry>, Vec<Diagnostic>) {
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    for (file, case) in cases {
        match case_entries(file, case, engine) {
            Ok(found) => entries.extend(found),
            Err(error) => errors.push(error),
        }
    }
    entries.sort_by(|a, b| {
        (a.due(), &a.reference, a.letter.number).cmp(&(b.due(), &b.reference, b.letter.number))
    });
    (entries, errors)
}

/// The deadlines of one case: one for each letter asking for an update, moved by
/// the letters that chase it.
fn case_entries(file: &str, case: &Case, engine: &Engine) -> Result<Vec<Entry>, Diagnostic> {
    // By letter index: the entry of each letter that asks for an update.
    let mut entries: Vec<(usize, Entry)> = Vec::new();
    for (index, letter) in case.letters.iter().enumerate() {
        let facts = engine.facts(case, letter)?;
        let follow_up = facts.follow_up;
        let Some(deadline) = follow_up.deadline.as_ref().map(|d| d.date()) else {
            continue;
        };
        match follow_up.chases {
            Some(chase) => {
                if let Some((_, entry)) = entries.iter_mut().find(|(i, _)| *i == chase.letter) {
                    entry.revisions.push(Revision {
                        date: deadline,
                        by: RevisedBy::Reminder {
                            number: index + 1,
                            letter_date: letter.date,
                        },
                    });
                }
            }
            None => {
                let entry = entry(file, case, index, deadline, follow_up);
                entries.push((index, entry));
            }
        }
    }
    Ok(entries.into_iter().map(|(_, entry)| entry).collect())
}

fn entry(file: &str, case: &Case, index: usize, deadline: NaiveDate, follow_up: FollowUp) -> Entry {
    let letter = &case.letters[index];
    Entry {
        case: file.to_owned(),
        reference: case.reference.to_string(),
        organisation: case.controller.name.clone(),
        letter: LetterRef {
            number: index + 1,
            kind: letter.kind.key(),
            date: letter.date,
        },
        step_texts: step_texts(&follow_up),
        steps: follow_up.steps,
        officer: letter.officer.name.clone(),
        deadline,
        // An extension comes before any reminder: it moves the letter's own date.
        revisions: follow_up
            .extended_to
            .map(|date| Revision {
                date,
                by: RevisedBy::Extension,
            })
            .into_iter()
            .collect(),
        received: follow_up.received,
        note: follow_up.note.map(|n| n.0),
    }
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
    /// What set `due`: `letter`, `extension` or `reminder`.
    pub set_by: &'static str,
    /// Every change to the letter's deadline, oldest first.
    pub revisions: &'a [Revision],
    /// `overdue`, `due-soon`, `reminded`, `extended`, `due` or `received`.
    pub state: State,
    /// Days from `as_of` to `due`, negative once passed; `null` once received.
    pub days_left: Option<i64>,
    /// Days past `due`, for an overdue deadline; else `null`.
    pub days_overdue: Option<i64>,
    /// When the update arrived, or `null`.
    pub received: Option<NaiveDate>,
    /// Days after the agreed date (the extension, else the deadline) it
    /// arrived (0 in time); `null` until received.
    pub received_days_late: Option<i64>,
    /// What the office noted about the update (Markdown, as written), or `null`.
    pub note: Option<&'a str>,
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

/// The text of each step the update covers (of every recommendation, when the
/// letter marks none), as plain text on one line.
fn step_texts(follow_up: &FollowUp) -> Vec<String> {
    follow_up
        .recommendations
        .iter()
        .enumerate()
        .filter(|(i, _)| follow_up.steps.is_empty() || follow_up.steps.contains(&(i + 1)))
        .map(|(_, text)| {
            let text = crate::convert::to_text(&text.0, usize::MAX);
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
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
            extended_to: entry.extended_to(),
            set_by: entry.set_by(),
            revisions: &entry.revisions,
            state,
            days_left: open.then(|| entry.days_left(as_of)),
            days_overdue: (state == State::Overdue).then(|| -entry.days_left(as_of)),
            received: entry.received,
            received_days_late: entry.received_late_by(),
            note: entry.note.as_deref(),
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

/// The table's column of states, the one coloured.
const STATE_COLUMN: usize = 3;

/// The "set by" column: the letter, the office's extension, or a reminder (with
/// its date).
fn set_by(entry: &Entry) -> String {
    match entry.revisions.last().map(|r| r.by) {
        None => "letter".to_owned(),
        Some(RevisedBy::Extension) => "extension".to_owned(),
        Some(RevisedBy::Reminder { letter_date, .. }) => format!("reminder {letter_date}"),
    }
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
        "SET BY",
        "WHEN",
        "STATE",
        "REFERENCE",
        "ORGANISATION",
        "LETTER",
        "STEPS",
        "OFFICER",
    ];
    let cells: Vec<[String; 9]> = rows
        .iter()
        .map(|(e, state)| {
            let steps: Vec<String> = e.steps.iter().map(usize::to_string).collect();
            [
                weekday_date(e.due()),
                set_by(e),
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
                (STATE_COLUMN, Some(code)) => {
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
        State::Reminded => Some("35"),
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

    /// A deadline, with the office's extension, a reminder's new date (the
    /// reminder sent the day before the date it moves) and when the update came.
    fn entry(
        deadline: &str,
        extended: Option<&str>,
        reminded: Option<&str>,
        received: Option<&str>,
    ) -> Entry {
        let extension = extended.map(|d| Revision {
            date: date(d),
            by: RevisedBy::Extension,
        });
        let reminder = reminded.map(|d| Revision {
            date: date(d),
            by: RevisedBy::Reminder {
                number: 2,
                letter_date: date(d).pred_opt().expect("a day before"),
            },
        });
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
            revisions: extension.into_iter().chain(reminder).collect(),
            received: received.map(date),
            note: None,
        }
    }

    /// One row per rule: received beats everything, then overdue, then the last
    /// change of date (a reminder, an extension), then due soon (within the days
    /// given, today included), then due. Lateness counts from the agreed date,
    /// never from a reminder's.
    #[test]
    fn states() {
        let as_of = date("2026-12-01");
        let (due, soon, overdue, reminded, extended, received) = (
            State::Due,
            State::DueSoon,
            State::Overdue,
            State::Reminded,
            State::Extended,
            State::Received,
        );
        for (deadline, extension, reminder, arrived, state, left, late) in [
            ("2026-12-31", None, None, None, due, 30, None),
            ("2026-12-16", None, None, None, due, 15, None),
            ("2026-12-15", None, None, None, soon, 14, None),
            ("2026-12-01", None, None, None, soon, 0, None),
            ("2026-11-30", None, None, None, overdue, -1, None),
            (
                "2026-10-01",
                Some("2026-12-10"),
                None,
                None,
                extended,
                9,
                None,
            ),
            (
                "2026-10-01",
                Some("2026-11-10"),
                None,
                None,
                overdue,
                -21,
                None,
            ),
            (
                "2026-10-01",
                None,
                Some("2026-12-10"),
                None,
                reminded,
                9,
                None,
            ),
            (
                "2026-10-01",
                None,
                Some("2026-11-20"),
                None,
                overdue,
                -11,
                None,
            ),
            (
                "2026-10-01",
                Some("2026-10-20"),
                Some("2026-12-04"),
                None,
                reminded,
                3,
                None,
            ),
            (
                "2026-10-01",
                None,
                None,
                Some("2026-09-28"),
                received,
                -61,
                Some(0),
            ),
            (
                "2026-10-01",
                None,
                None,
                Some("2026-10-01"),
                received,
                -61,
                Some(0),
            ),
            (
                "2026-10-01",
                None,
                None,
                Some("2026-10-09"),
                received,
                -61,
                Some(8),
            ),
            (
                "2026-10-01",
                Some("2026-11-01"),
                None,
                Some("2026-10-09"),
                received,
                -30,
                Some(0),
            ),
            (
                "2026-10-01",
                None,
                Some("2026-10-20"),
                Some("2026-10-16"),
                received,
                -42,
                Some(15),
            ),
            (
                "2027-01-01",
                None,
                None,
                Some("2026-11-20"),
                received,
                31,
                Some(0),
            ),
        ] {
            let entry = entry(deadline, extension, reminder, arrived);
            let what = format!("{deadline} {extension:?} {reminder:?} {arrived:?}");
            assert_eq!(entry.state(as_of, 14), state, "{what}");
            assert_eq!(entry.days_left(as_of), left, "{what}");
            assert_eq!(entry.received_late_by(), late, "{what}");
        }
    }

    #[test]
    fn the_when_and_set_by_columns() {
        let as_of = date("2026-12-01");
        for (deadline, reminder, received, expected_when, expected_set_by) in [
            ("2026-12-02", None, None, "1 day left", "letter"),
            ("2026-12-01", None, None, "due today", "letter"),
            ("2026-11-30", None, None, "1 day overdue", "letter"),
            ("2026-10-01", None, None, "61 days overdue", "letter"),
            (
                "2026-10-01",
                Some("2026-12-03"),
                None,
                "2 days left",
                "reminder 2026-12-02",
            ),
            (
                "2026-10-01",
                None,
                Some("2026-10-01"),
                "received in time",
                "letter",
            ),
            (
                "2026-10-01",
                None,
                Some("2026-10-04"),
                "received 3 days late",
                "letter",
            ),
        ] {
            let entry = entry(deadline, None, reminder, received);
            assert_eq!(when(&entry, as_of), expected_when);
            assert_eq!(set_by(&entry), expected_set_by);
        }
        let extended = entry("2026-10-01", Some("2026-12-20"), None, None);
        assert_eq!(set_by(&extended), "extension");
        assert_eq!(extended.set_by(), "extension");
    }

    #[test]
    fn the_table_puts_overdue_first_and_colours_only_when_asked() {
        let as_of = date("2026-12-01");
        let entries = [
            entry("2026-11-20", None, None, Some("2026-11-19")),
            entry("2026-11-25", None, None, None),
            entry("2026-12-20", None, None, None),
            entry("2026-11-02", None, Some("2026-12-09"), None),
        ];
        let plain = table(&entries, as_of, 14, false);
        let states: Vec<&str> = plain
            .lines()
            .skip(1)
            .map(|l| {
                l.split("  ")
                    .filter(|c| !c.is_empty())
                    .nth(STATE_COLUMN)
                    .unwrap_or("")
            })
            .map(str::trim)
            .collect();
        assert_eq!(
            states,
            ["overdue", "received", "reminded", "due"],
            "{plain}"
        );
        assert!(!plain.contains('\x1b'));
        let coloured = table(&entries, as_of, 14, true);
        assert!(coloured.contains("\x1b[31;1moverdue\x1b[0m"), "{coloured}");
    }
}
