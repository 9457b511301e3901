//! A progress-update deadline, worked out one step at a time: the letter's date,
//! the period added (with any month-end clamp), then each day a roll to the next
//! working day passes over. The letter states the last step; `explain` shows them
//! all, from this one computation, so the two cannot disagree.

use chrono::NaiveDate;

use super::{Deadline, FactsError};
use crate::case::{Added, BankHolidays, Nation, Period, Rolled, add_period_steps};

/// Every step of a deadline's computation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineSteps {
    /// The day counted from: the letter's date.
    pub start: NaiveDate,
    /// The period asked for.
    pub period: Period,
    /// The start plus the period, before any roll.
    pub added: Added,
    /// The roll to the next working day, when the letter asks for one.
    pub rolled: Option<Rolled>,
}

impl DeadlineSteps {
    /// The day the update is due.
    pub fn date(&self) -> NaiveDate {
        self.rolled.as_ref().map_or(self.added.date, |r| r.date)
    }

    /// The deadline as a letter states it.
    pub fn deadline(&self) -> Deadline {
        Deadline {
            period: self.period,
            date: self.date(),
            rolled: self.date() != self.added.date,
        }
    }
}

/// Works out a deadline `period` after `from`, rolled to the next working day of
/// a nation when `roll` gives the bank holidays.
pub fn deadline_steps(
    from: NaiveDate,
    period: Period,
    roll: Option<(&BankHolidays, &Nation)>,
) -> Result<DeadlineSteps, FactsError> {
    let added = add_period_steps(from, period).ok_or(FactsError::Overflow)?;
    let rolled = match roll {
        Some((holidays, nation)) => Some(holidays.roll_forward_steps(added.date, nation)?),
        None => None,
    };
    Ok(DeadlineSteps {
        start: from,
        period,
        added,
        rolled,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a test date")
    }

    fn holidays() -> BankHolidays {
        let text = include_str!("../../letter-templates/bank-holidays.yaml");
        BankHolidays::from_yaml(text).expect("the bank-holiday file is valid")
    }

    #[test]
    fn each_step_of_a_deadline() {
        let holidays = holidays();
        let ew = Nation::new("england-and-wales");
        for (from, within, roll, added, clamped, skipped, due) in [
            (
                "2023-05-05",
                "6 months",
                true,
                "2023-11-05",
                None,
                1,
                "2023-11-06",
            ),
            (
                "2023-05-05",
                "6 months",
                false,
                "2023-11-05",
                None,
                0,
                "2023-11-05",
            ),
            (
                "2023-08-31",
                "6 months",
                true,
                "2024-02-29",
                Some(31),
                0,
                "2024-02-29",
            ),
            (
                "2026-09-25",
                "3 months",
                true,
                "2026-12-25",
                None,
                4,
                "2026-12-29",
            ),
            (
                "2022-05-19",
                "3 months",
                false,
                "2022-08-19",
                None,
                0,
                "2022-08-19",
            ),
        ] {
            let roll = roll.then_some((&holidays, &ew));
            let within: Period = within.parse().expect("a period");
            let steps = deadline_steps(date(from), within, roll).expect("computes");
            assert_eq!(steps.added.date, date(added), "{from} + {within}");
            assert_eq!(steps.added.clamped_from, clamped, "{from} + {within}");
            assert_eq!(
                steps.rolled.as_ref().map_or(0, |r| r.skipped.len()),
                skipped,
                "{from} + {within}"
            );
            assert_eq!(steps.date(), date(due), "{from} + {within}");
            assert_eq!(steps.deadline().rolled, due != added);
        }
    }
}
