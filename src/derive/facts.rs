//! The facts one letter states, computed from its case: never typed by hand.

use chrono::NaiveDate;

use super::{BankHolidays, CalendarError, Period, Regime, is_late, letter_deadline, regime};
use crate::case::{Case, Letter, LetterBody};

/// What a letter says that is derived rather than written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// The breach was reported more than 72 hours after it was discovered.
    pub late: bool,
    /// Each incident (or the breach itself) with the law in force on its date, oldest first.
    pub incidents: Vec<IncidentFacts>,
    /// How many incidents fall under each regime, in the order the regimes came into force.
    pub regimes: Vec<(Regime, usize)>,
    /// The progress-update deadline, for a reprimand that asks for one.
    pub deadline: Option<Deadline>,
    /// The 1-based numbers of the recommendations the update covers.
    pub update_steps: Vec<usize>,
}

/// One incident and its regime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentFacts {
    /// Index into the case's incidents, or `None` for a case without incidents.
    pub index: Option<usize>,
    /// When it happened.
    pub date: NaiveDate,
    /// The law in force then.
    pub regime: Regime,
}

/// A progress-update deadline.
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

/// Computes the facts of one letter of a case.
pub fn facts(case: &Case, letter: &Letter, holidays: &BankHolidays) -> Result<Facts, FactsError> {
    let breach = &case.breach;
    let mut incidents: Vec<IncidentFacts> = if breach.incidents.is_empty() {
        vec![IncidentFacts {
            index: None,
            date: breach.occurred,
            regime: regime(breach.occurred, case.processing),
        }]
    } else {
        breach
            .incidents
            .iter()
            .enumerate()
            .map(|(index, incident)| IncidentFacts {
                index: Some(index),
                date: incident.date,
                regime: regime(incident.date, case.processing),
            })
            .collect()
    };
    incidents.sort_by_key(|i| (i.date, i.index));
    let mut regimes: Vec<(Regime, usize)> = Vec::new();
    for incident in &incidents {
        match regimes.iter_mut().find(|(r, _)| *r == incident.regime) {
            Some((_, count)) => *count += 1,
            None => regimes.push((incident.regime, 1)),
        }
    }
    regimes.sort_by_key(|(r, _)| *r);
    let update_steps = match &letter.body {
        LetterBody::Reprimand(reprimand) => reprimand
            .recommendations
            .iter()
            .enumerate()
            .filter(|(_, r)| r.progress_update)
            .map(|(i, _)| i + 1)
            .collect(),
        _ => Vec::new(),
    };
    let deadline = letter_deadline(case, letter, holidays)?.map(|steps| steps.deadline());
    Ok(Facts {
        late: is_late(&breach.discovered, &breach.reported),
        incidents,
        regimes,
        deadline,
        update_steps,
    })
}
