//! The docket as an RFC 5545 calendar, for Outlook, Google Calendar and
//! Thunderbird: one all-day event per open deadline.
//!
//! An event's UID comes from the case reference, the letter and the deadline the
//! letter set, so importing the calendar again updates each event rather than
//! adding a second one; when the date that counts moves (an extension, a
//! reminder), the event keeps its UID and its SEQUENCE rises by one for each move. The event
//! says no more than the letter itself does: the reference, the organisation,
//! the steps, the officer who signed.

use chrono::{NaiveDate, NaiveTime};
use icalendar::{Calendar, Component, EventLike, EventStatus};

use super::docket::{Entry, RevisedBy};
use super::{CalendarWording, fill};
use crate::english::{join_and, long_date};

/// The identifier of a deadline's event: stable across runs and changes of date.
pub fn uid(entry: &Entry) -> String {
    format!(
        "{}-{}-{}-due-{}@casewright",
        entry.reference.replace('/', "-"),
        entry.letter.kind,
        entry.letter.date,
        entry.deadline
    )
}

/// The calendar of the open deadlines (those not yet received). `as_of` stamps
/// every event, so the same cases and day give the same bytes.
pub fn calendar(entries: &[Entry], wording: &CalendarWording, as_of: NaiveDate) -> String {
    let mut calendar = Calendar::empty();
    for (key, value) in [
        ("VERSION", "2.0"),
        ("PRODID", "-//casewright//docket//EN"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
    ] {
        calendar.append_property((key, value));
    }
    calendar.name(&wording.name);
    let stamp = as_of.and_time(NaiveTime::MIN).and_utc();
    for entry in entries.iter().filter(|e| e.received.is_none()) {
        let due = entry.due();
        let next_day = due.succ_opt().unwrap_or(due);
        let organisation = entry.organisation.as_str();
        let summary = fill(
            &wording.summary,
            &[
                ("reference", &entry.reference),
                ("organisation", organisation),
            ],
        );
        let event = icalendar::Event::new()
            .uid(&uid(entry))
            .sequence(entry.revisions.len() as u32)
            .timestamp(stamp)
            .starts(due)
            .ends(next_day)
            .summary(&summary)
            .description(&description(entry, wording))
            .status(EventStatus::Confirmed)
            .add_property("TRANSP", "TRANSPARENT")
            .done();
        calendar.push(event);
    }
    calendar.to_string()
}

/// What an event says: the letter, the steps due (each with its text), any
/// extension.
fn description(entry: &Entry, wording: &CalendarWording) -> String {
    let numbers: Vec<String> = entry.steps.iter().map(usize::to_string).collect();
    let steps = match numbers.len() {
        0 => wording.all_steps.clone(),
        1 => fill(&wording.step, &[("numbers", &numbers[0])]),
        _ => fill(&wording.steps, &[("numbers", &join_and(&numbers))]),
    };
    let mut text = fill(
        &wording.description,
        &[
            ("steps", &steps),
            ("kind", entry.letter.kind),
            ("letter_date", &long_date(entry.letter.date)),
            ("reference", &entry.reference),
            ("organisation", &entry.organisation),
            ("due", &long_date(entry.due())),
            ("officer", &entry.officer),
        ],
    );
    for revision in &entry.revisions {
        let said = match revision.by {
            RevisedBy::Extension => fill(
                &wording.extended,
                &[("deadline", &long_date(entry.deadline))],
            ),
            RevisedBy::Reminder { letter_date, .. } => fill(
                &wording.reminded,
                &[
                    ("date", &long_date(letter_date)),
                    ("deadline", &long_date(entry.deadline)),
                ],
            ),
        };
        text.push(' ');
        text.push_str(&said);
    }
    let numbered: Vec<usize> = if entry.steps.is_empty() {
        (1..=entry.step_texts.len()).collect()
    } else {
        entry.steps.clone()
    };
    for (number, step) in numbered.iter().zip(&entry.step_texts) {
        text.push_str(&format!("\n\n{number}. {step}"));
    }
    text
}
