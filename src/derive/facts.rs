//! The facts one letter states, computed from its case: never typed by hand.

use chrono::NaiveDate;

use std::collections::BTreeMap;

use super::{BankHolidays, CalendarError, Nation, Period, Regime, add_period, is_late};
use crate::case::{Case, Matter, RegimeWording, regime_of};

/// What a letter says that is derived rather than written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// The breach was reported more than 72 hours after it was discovered (never
    /// for another matter).
    pub late: bool,
    /// Each day whose law applies to the matter (a breach's incidents, or the
    /// breach itself; the ends of the period an investigation examined; the day
    /// a complaint arrived) with the law in force on it, oldest first.
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
    /// Index into the breach's incidents, or `None` for a matter without incidents.
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

/// The facts only some kinds of letter derive (see [`crate::kinds`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowUp {
    /// The progress-update deadline, for a letter that asks for one.
    pub deadline: Option<Deadline>,
    /// The 1-based numbers of the recommendations the update covers.
    pub steps: Vec<usize>,
}

/// Computes the facts of a case that a letter states, with those its kind derives.
pub fn facts(case: &Case, regimes: &BTreeMap<Regime, RegimeWording>, follow_up: FollowUp) -> Facts {
    let regime = |date| regime_of(regimes, date, case.processing);
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
            facts.dedup_by_key(|f| f.regime);
            facts
        }
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
    Facts {
        late: case
            .matter
            .breach()
            .is_some_and(|breach| is_late(&breach.discovered, &breach.reported)),
        incidents,
        regimes,
        deadline: follow_up.deadline,
        update_steps: follow_up.steps,
    }
}

/// The day a period after `from` ends, moved to the next working day of a nation
/// when `roll` gives its holidays.
pub fn deadline(
    from: NaiveDate,
    period: Period,
    roll: Option<(&BankHolidays, Nation)>,
) -> Result<Deadline, FactsError> {
    let due = add_period(from, period).ok_or(FactsError::Overflow)?;
    let date = match roll {
        Some((holidays, nation)) => holidays.roll_forward(due, nation)?,
        None => due,
    };
    Ok(Deadline {
        period,
        date,
        rolled: date != due,
    })
}
