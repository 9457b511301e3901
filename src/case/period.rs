//! Periods ("3 months", "six weeks", "28 days") and adding them to dates.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, Months, NaiveDate};

use crate::english::NUMBER_WORDS;

/// The unit of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// Calendar days.
    Days,
    /// Weeks of seven days.
    Weeks,
    /// Calendar months: the same day of the month, clamped to the month's end.
    Months,
}

impl Unit {
    /// Every unit.
    pub const ALL: [Unit; 3] = [Unit::Days, Unit::Weeks, Unit::Months];

    /// The plural word, as templates see it: `days`, `weeks`, `months`.
    pub fn key(self) -> &'static str {
        match self {
            Unit::Days => "days",
            Unit::Weeks => "weeks",
            Unit::Months => "months",
        }
    }

    /// The singular word: `day`, `week`, `month`.
    pub fn singular(self) -> &'static str {
        match self {
            Unit::Days => "day",
            Unit::Weeks => "week",
            Unit::Months => "month",
        }
    }
}

/// A period such as three months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    /// How many units.
    pub count: u32,
    /// Of what.
    pub unit: Unit,
}

/// Why a period could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// Not `<count> <unit>`.
    #[error("expected a period such as \"3 months\", \"6 weeks\" or \"28 days\"")]
    Shape,
    /// The count is not a number or a number word up to twenty.
    #[error(
        "{} is not a number; write it in figures (3) or words up to twenty (three)",
        crate::diag::quote(.0)
    )]
    Count(String),
    /// The unit is not days, weeks or months.
    #[error("{} is not a unit; use days, weeks or months", crate::diag::quote(.0))]
    Unit(String),
    /// "1 months" or "3 month".
    #[error("write \"{count} {expected}\", not \"{count} {found}\"")]
    Agreement {
        /// The count as written.
        count: String,
        /// The unit as written.
        found: String,
        /// The unit it should be.
        expected: &'static str,
    },
    /// A period of nothing.
    #[error("a period must be at least one day")]
    Zero,
}

impl PeriodError {
    /// What is wrong, without the text of the period: for a message, which must
    /// not quote case text (the [`Display`](fmt::Display) form, which does, is
    /// for the label under it).
    pub fn reason(&self) -> &'static str {
        match self {
            PeriodError::Shape => "it is not a count and a unit",
            PeriodError::Count(_) => "its count is not a number",
            PeriodError::Unit(_) => "its unit is not days, weeks or months",
            PeriodError::Agreement { .. } => "its unit does not agree with its count",
            PeriodError::Zero => "it is no time at all",
        }
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    /// Reads `3 months`, `1 month`, `six weeks`, `28 days`. The count is figures or a
    /// word up to twenty; the unit agrees with it ("1 month", "3 months").
    fn from_str(text: &str) -> Result<Period, PeriodError> {
        let mut words = text.split_whitespace();
        let (Some(count_text), Some(unit_text), None) = (words.next(), words.next(), words.next())
        else {
            return Err(PeriodError::Shape);
        };
        let lower = count_text.to_ascii_lowercase();
        let count = match lower.parse::<u32>() {
            Ok(count) => count,
            Err(_) => NUMBER_WORDS
                .iter()
                .position(|w| *w == lower)
                .map(|n| n as u32)
                .ok_or_else(|| PeriodError::Count(count_text.to_owned()))?,
        };
        if count == 0 {
            return Err(PeriodError::Zero);
        }
        let unit_lower = unit_text.to_ascii_lowercase();
        let unit = Unit::ALL
            .into_iter()
            .find(|u| unit_lower == u.key() || unit_lower == u.singular())
            .ok_or_else(|| PeriodError::Unit(unit_text.to_owned()))?;
        let expected = if count == 1 {
            unit.singular()
        } else {
            unit.key()
        };
        if unit_lower != expected {
            return Err(PeriodError::Agreement {
                count: count_text.to_owned(),
                found: unit_text.to_owned(),
                expected,
            });
        }
        Ok(Period { count, unit })
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = if self.count == 1 {
            self.unit.singular()
        } else {
            self.unit.key()
        };
        write!(f, "{} {unit}", self.count)
    }
}

/// The date a period after `date`: months keep the day of the month, clamped to the
/// end of a shorter month (31 August + 6 months is the last day of February).
/// `None` only past the end of the calendar.
pub fn add_period(date: NaiveDate, period: Period) -> Option<NaiveDate> {
    add_period_steps(date, period).map(|added| added.date)
}

/// A period added to a date, and whether the month's end cut it short.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Added {
    /// The date reached.
    pub date: NaiveDate,
    /// When months were added and the target month is too short for the day of
    /// the month: that day (31, for 31 August + 6 months), which `date`, the
    /// month's last day, stands in for.
    pub clamped_from: Option<u32>,
}

/// [`add_period`], saying whether the month's end clamped the day: the one rule
/// both for the letter's deadline and for its explanation.
pub fn add_period_steps(date: NaiveDate, period: Period) -> Option<Added> {
    let result = match period.unit {
        Unit::Days => date.checked_add_days(Days::new(u64::from(period.count)))?,
        Unit::Weeks => date.checked_add_days(Days::new(7 * u64::from(period.count)))?,
        Unit::Months => {
            let result = date.checked_add_months(Months::new(period.count))?;
            debug_assert!(result.day() <= date.day());
            result
        }
    };
    let clamped_from =
        (period.unit == Unit::Months && result.day() != date.day()).then_some(date.day());
    Some(Added {
        date: result,
        clamped_from,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a test date")
    }

    fn period(text: &str) -> Period {
        text.parse().expect("a test period")
    }

    #[test]
    fn adds_periods() {
        for (from, within, expected) in [
            ("2022-05-19", "3 months", "2022-08-19"),
            ("2023-04-27", "6 months", "2023-10-27"),
            ("2023-05-05", "6 months", "2023-11-05"),
            ("2023-08-31", "6 months", "2024-02-29"),
            ("2022-08-31", "6 months", "2023-02-28"),
            ("2024-01-31", "1 month", "2024-02-29"),
            ("2023-01-31", "one month", "2023-02-28"),
            ("2023-03-31", "1 month", "2023-04-30"),
            ("2023-12-15", "3 months", "2024-03-15"),
            ("2024-02-29", "12 months", "2025-02-28"),
            ("2022-05-19", "28 days", "2022-06-16"),
            ("2022-12-20", "14 days", "2023-01-03"),
            ("2022-05-19", "2 weeks", "2022-06-02"),
            ("2024-02-22", "1 week", "2024-02-29"),
            ("2022-05-19", "six weeks", "2022-06-30"),
        ] {
            assert_eq!(
                add_period(date(from), period(within)),
                Some(date(expected)),
                "{from} + {within}"
            );
        }
    }

    #[test]
    fn says_when_the_month_end_clamps() {
        for (from, within, expected, clamped_from) in [
            ("2023-08-31", "6 months", "2024-02-29", Some(31)),
            ("2023-03-31", "1 month", "2023-04-30", Some(31)),
            ("2024-01-30", "1 month", "2024-02-29", Some(30)),
            ("2024-02-29", "12 months", "2025-02-28", Some(29)),
            ("2023-05-05", "6 months", "2023-11-05", None),
            ("2023-01-31", "28 days", "2023-02-28", None),
            ("2023-01-31", "4 weeks", "2023-02-28", None),
        ] {
            assert_eq!(
                add_period_steps(date(from), period(within)),
                Some(Added {
                    date: date(expected),
                    clamped_from
                }),
                "{from} + {within}"
            );
        }
    }

    #[test]
    fn reads_periods() {
        for (text, count, unit) in [
            ("3 months", 3, Unit::Months),
            ("1 month", 1, Unit::Months),
            ("one month", 1, Unit::Months),
            ("Three Months", 3, Unit::Months),
            ("28 days", 28, Unit::Days),
            ("1 day", 1, Unit::Days),
            ("6 weeks", 6, Unit::Weeks),
            ("twenty days", 20, Unit::Days),
            ("  2   weeks ", 2, Unit::Weeks),
        ] {
            assert_eq!(text.parse(), Ok(Period { count, unit }), "{text}");
        }
    }

    #[test]
    fn rejects_bad_periods() {
        for (text, error) in [
            ("", PeriodError::Shape),
            ("3", PeriodError::Shape),
            ("3 months time", PeriodError::Shape),
            ("a few months", PeriodError::Shape),
            ("several months", PeriodError::Count("several".into())),
            ("twenty-one days", PeriodError::Count("twenty-one".into())),
            ("3 monthz", PeriodError::Unit("monthz".into())),
            ("3 years", PeriodError::Unit("years".into())),
            ("0 days", PeriodError::Zero),
            (
                "1 months",
                PeriodError::Agreement {
                    count: "1".into(),
                    found: "months".into(),
                    expected: "month",
                },
            ),
            (
                "3 month",
                PeriodError::Agreement {
                    count: "3".into(),
                    found: "month".into(),
                    expected: "months",
                },
            ),
        ] {
            assert_eq!(text.parse::<Period>(), Err(error), "{text:?}");
        }
        for (text, reason) in [
            ("soon", "not a count and a unit"),
            ("several months", "count is not a number"),
            ("3 monthz", "unit is not days, weeks or months"),
            ("1 months", "does not agree"),
            ("0 days", "no time"),
        ] {
            let error = text.parse::<Period>().expect_err(text);
            assert!(
                error.reason().contains(reason),
                "{text:?}: {}",
                error.reason()
            );
            for word in text.split_whitespace() {
                assert!(
                    !error.reason().contains(word),
                    "{text:?}: {}",
                    error.reason()
                );
            }
        }
        let message = "1 months".parse::<Period>().map_err(|e| e.to_string());
        assert_eq!(
            message,
            Err("write \"1 month\", not \"1 months\"".to_string())
        );
    }

    proptest::proptest! {
        #[test]
        fn adding_never_panics(days in -3_000_000i32..3_000_000, count in 0u32..=1200, unit in 0usize..3) {
            let start = NaiveDate::from_num_days_from_ce_opt(days).unwrap_or(NaiveDate::MIN);
            let unit = [Unit::Days, Unit::Weeks, Unit::Months][unit];
            let _ = add_period(start, Period { count, unit });
        }

        #[test]
        fn months_keep_the_day_or_clamp_and_never_go_backwards(
            a in 0u64..5_000, gap in 0u64..400, count in 1u32..=24,
        ) {
            let first = date("2018-01-01") + Days::new(a);
            let later = first + Days::new(gap);
            let period = Period { count, unit: Unit::Months };
            let (due_first, due_later) = (add_period(first, period).expect("in range"), add_period(later, period).expect("in range"));
            proptest::prop_assert!(due_first <= due_later);
            proptest::prop_assert!(due_first.day() == first.day() || due_first.succ_opt().is_some_and(|d| d.day() == 1));
            let months = (due_first.year() - first.year()) * 12 + due_first.month() as i32 - first.month() as i32;
            proptest::prop_assert_eq!(months, count as i32);
        }
    }

    #[test]
    fn displays_periods() {
        assert_eq!(period("three months").to_string(), "3 months");
        assert_eq!(period("one week").to_string(), "1 week");
    }
}
