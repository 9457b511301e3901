//! The facts one letter states, computed from its case: never typed by hand.

use chrono::NaiveDate;

use super::{DeadlineSteps, is_late};
use crate::case::{CalendarError, Period, Regime, Regimes};
use crate::case::{Case, LetterKind, Markdown, Matter};

/// What a letter says that is derived rather than written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// Within how many hours the breach had to be reported, by the law in force
    /// when the controller became aware of it (none for another matter, or a law
    /// that sets no limit).
    pub report_within_hours: Option<u32>,
    /// The breach was reported after that limit (never without one).
    pub late: bool,
    /// Each day whose law applies to the matter (a breach's incidents, or the
    /// breach itself; the ends of the period an investigation examined; the day
    /// a complaint arrived) with the law in force on it, oldest first.
    pub incidents: Vec<IncidentFacts>,
    /// How many incidents fall under each regime, in the order the regimes came into force.
    pub regimes: Vec<(Regime, usize)>,
    /// What only the letter's kind derives: a progress-update deadline and its steps.
    pub follow_up: FollowUp,
    /// How far a breach reached, as its report gives it (none for another matter).
    pub scale: Option<Scale>,
}

/// How far a breach reached: the people and records it affected and the kinds of
/// data involved, each as the case gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scale {
    /// How many people the breach affected, when the case says (`breach.data_subjects`).
    pub people: Option<u64>,
    /// How many records it involved, when the case says (`breach.records`).
    pub records: Option<u64>,
    /// The categories of personal data involved, by key of `categories.yaml`.
    pub categories: Vec<String>,
}

/// One incident and its regime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentFacts {
    /// Index into the breach's incidents, or `None` for a matter without incidents.
    pub index: Option<usize>,
    /// When it happened.
    pub date: NaiveDate,
    /// The law in force then.
    pub regime: Regime,
}

/// A progress-update deadline, as a letter states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    /// The period asked for.
    pub period: Period,
    /// The day it is due.
    pub date: NaiveDate,
    /// Whether it was moved off a weekend or bank holiday (the letter then names the weekday).
    pub rolled: bool,
}

/// Why a letter's facts could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum FactsError {
    /// The deadline is past the end of the bank-holiday data.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// The deadline is beyond the calendar.
    #[error("the progress-update deadline is out of the calendar's range")]
    Overflow,
}

/// The facts only some kinds of letter derive (see [`crate::kinds`]): a progress
/// update asked for, what became of it, and which earlier letter's update a
/// letter chases.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowUp {
    /// The date the letter sets for a progress update, worked out step by step.
    pub deadline: Option<DeadlineSteps>,
    /// The 1-based numbers of the recommendations the update covers (of the
    /// chased letter, for a letter that chases one).
    pub steps: Vec<usize>,
    /// Every recommendation of the letter (or of the chased letter), numbered
    /// from 1 as `steps` counts them.
    pub recommendations: Vec<Markdown>,
    /// Where the update goes, when not to the office's own address.
    pub to: Option<String>,
    /// A later date the office agreed for the update.
    pub extended_to: Option<NaiveDate>,
    /// When the update arrived.
    pub received: Option<NaiveDate>,
    /// What the office noted about the update.
    pub note: Option<Markdown>,
    /// For a letter that chases an earlier letter's update (a reminder): which,
    /// and the date that passed. Its `deadline` then replaces that date.
    pub chases: Option<Chase>,
}

/// An earlier letter's overdue update that a letter chases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chase {
    /// The chased letter's place among the case's letters, from 0.
    pub letter: usize,
    /// The chased letter's kind.
    pub kind: LetterKind,
    /// The chased letter's date.
    pub date: NaiveDate,
    /// The date the update was due when this letter was written.
    pub missed: NaiveDate,
    /// What set that date.
    pub set_by: SetBy,
}

/// What set the date a progress update is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetBy {
    /// The letter that asked for the update.
    Letter,
    /// The office, extending the letter's deadline.
    Extension,
    /// An earlier reminder, of this date.
    Reminder(NaiveDate),
}

impl FollowUp {
    /// The deadline as the letter states it.
    pub fn stated(&self) -> Option<Deadline> {
        self.deadline.as_ref().map(DeadlineSteps::deadline)
    }
}

/// Computes the facts of a case that a letter states, with those its kind derives.
pub fn facts(case: &Case, regimes: &Regimes, follow_up: FollowUp) -> Facts {
    let regime = |date| regimes.in_force(date, case.processing).clone();
    let mut incidents: Vec<IncidentFacts> = match &case.matter {
        Matter::Breach(breach) if !breach.incidents.is_empty() => breach
            .incidents
            .iter()
            .enumerate()
            .map(|(index, incident)| IncidentFacts {
                index: Some(index),
                date: incident.date,
                regime: regime(incident.date),
            })
            .collect(),
        Matter::Breach(_) | Matter::Investigation(_) | Matter::Complaint(_) => {
            // One entry per law: a period under one law is one matter, not two.
            let mut facts: Vec<IncidentFacts> = case
                .matter
                .dates()
                .into_iter()
                .map(|date| IncidentFacts {
                    index: None,
                    date,
                    regime: regime(date),
                })
                .collect();
            facts.dedup_by(|a, b| a.regime == b.regime);
            facts
        }
    };
    incidents.sort_by_key(|i| (i.date, i.index));
    let mut counts: Vec<(Regime, usize)> = Vec::new();
    for incident in &incidents {
        match counts.iter_mut().find(|(r, _)| *r == incident.regime) {
            Some((_, count)) => *count += 1,
            None => counts.push((incident.regime.clone(), 1)),
        }
    }
    counts.sort_by_key(|(r, _)| regimes.rank(r));
    let report_within_hours = case.matter.breach().and_then(|breach| {
        let aware = breach.discovered.date_naive();
        regimes.report_limit(aware, case.processing).1
    });
    Facts {
        late: case
            .matter
            .breach()
            .zip(report_within_hours)
            .is_some_and(|(breach, hours)| is_late(&breach.discovered, &breach.reported, hours)),
        report_within_hours,
        incidents,
        regimes: counts,
        follow_up,
        scale: case.matter.breach().map(|breach| Scale {
            people: breach.data_subjects,
            records: breach.records,
            categories: breach.categories.clone(),
        }),
    }
}
