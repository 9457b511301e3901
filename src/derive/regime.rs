//! Which law governs an incident, whether a reprimand can be issued under it, and
//! whether a breach was reported late. How each regime is named is the templates'
//! business (`letter-templates/regimes.yaml`); here are only the dates and rules.

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone};
use serde::{Deserialize, Serialize};

/// The kind of processing a case concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Processing {
    /// General processing.
    General,
    /// Processing for law enforcement purposes (Part 3 of the DPA 2018).
    LawEnforcement,
}

/// A data-protection regime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Regime {
    /// The Data Protection Act 1998, before 25 May 2018.
    #[serde(rename = "dpa1998")]
    Dpa1998,
    /// The GDPR, 25 May 2018 to 31 December 2020.
    Gdpr,
    /// The UK GDPR, from 1 January 2021.
    UkGdpr,
    /// Part 3 of the Data Protection Act 2018 (law enforcement), from 25 May 2018.
    #[serde(rename = "dpa2018-part3")]
    Dpa2018Part3,
}

/// The day the GDPR and the DPA 2018 took effect.
const GDPR_IN_FORCE: (i32, u32, u32) = (2018, 5, 25);
/// The day the UK GDPR took the GDPR's place, at the end of the transition period.
const UK_GDPR_IN_FORCE: (i32, u32, u32) = (2021, 1, 1);

fn day((year, month, day): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

impl Regime {
    /// Every regime, oldest first.
    pub const ALL: [Regime; 4] = [
        Regime::Dpa1998,
        Regime::Gdpr,
        Regime::UkGdpr,
        Regime::Dpa2018Part3,
    ];

    /// The key templates and `provisions.yaml` use.
    pub fn key(self) -> &'static str {
        match self {
            Regime::Dpa1998 => "dpa1998",
            Regime::Gdpr => "gdpr",
            Regime::UkGdpr => "uk-gdpr",
            Regime::Dpa2018Part3 => "dpa2018-part3",
        }
    }

    /// Whether a reprimand can be issued for an incident under this regime: not
    /// under the 1998 Act, which had no such power.
    pub fn can_reprimand(self) -> bool {
        self != Regime::Dpa1998
    }
}

/// The regime in force on an incident's date for the kind of processing.
pub fn regime(date: NaiveDate, processing: Processing) -> Regime {
    regime_rule(date, processing).0
}

/// Which rule chose an incident's regime, with the dates it compares against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegimeRule {
    /// The date is before `in_force`, the day the GDPR and the DPA 2018 took effect.
    Before {
        /// The first day of the GDPR.
        in_force: NaiveDate,
    },
    /// Law-enforcement processing on or after `in_force`.
    LawEnforcement {
        /// The first day of Part 3 of the DPA 2018.
        in_force: NaiveDate,
    },
    /// General processing from `from` to `to`, both included.
    Between {
        /// The first day of the GDPR.
        from: NaiveDate,
        /// Its last day, the day before the UK GDPR.
        to: NaiveDate,
    },
    /// General processing on or after `in_force`.
    From {
        /// The first day of the UK GDPR.
        in_force: NaiveDate,
    },
}

/// [`regime`], with the rule that chose it: the one rule both for the letter and
/// for its explanation.
pub fn regime_rule(date: NaiveDate, processing: Processing) -> (Regime, RegimeRule) {
    let (gdpr, uk_gdpr) = (day(GDPR_IN_FORCE), day(UK_GDPR_IN_FORCE));
    if date < gdpr {
        return (Regime::Dpa1998, RegimeRule::Before { in_force: gdpr });
    }
    match processing {
        Processing::LawEnforcement => (
            Regime::Dpa2018Part3,
            RegimeRule::LawEnforcement { in_force: gdpr },
        ),
        Processing::General if date < uk_gdpr => (
            Regime::Gdpr,
            RegimeRule::Between {
                from: gdpr,
                to: uk_gdpr.pred_opt().unwrap_or(uk_gdpr),
            },
        ),
        Processing::General => (Regime::UkGdpr, RegimeRule::From { in_force: uk_gdpr }),
    }
}

/// A report later than this many hours after discovery is late.
pub const LATE_AFTER_HOURS: i64 = 72;

/// The real time between discovery and report, however the clocks moved.
pub fn elapsed<Z: TimeZone>(discovered: &DateTime<Z>, reported: &DateTime<Z>) -> TimeDelta {
    reported.clone() - discovered.clone()
}

/// Whether a breach was reported late: more than 72 hours after the controller
/// became aware of it, in real elapsed time (a clock change in between moves the
/// local times, not the hours). Exactly 72 hours is in time.
pub fn is_late<Z: TimeZone>(discovered: &DateTime<Z>, reported: &DateTime<Z>) -> bool {
    elapsed(discovered, reported) > TimeDelta::hours(LATE_AFTER_HOURS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a test date")
    }

    /// A case time in UK local time, as a case file writes it.
    fn datetime(text: &str) -> chrono::DateTime<chrono_tz::Tz> {
        crate::derive::case_time(text, crate::derive::DEFAULT_TIME_ZONE).expect("a test time")
    }

    #[test]
    fn regime_by_date_and_processing() {
        use Processing::{General as G, LawEnforcement as L};
        for (text, processing, expected) in [
            ("2018-05-17", G, Regime::Dpa1998),
            ("2018-05-23", G, Regime::Dpa1998),
            ("2018-05-24", G, Regime::Dpa1998),
            ("2018-05-25", G, Regime::Gdpr),
            ("2019-12-07", G, Regime::Gdpr),
            ("2020-12-31", G, Regime::Gdpr),
            ("2021-01-01", G, Regime::UkGdpr),
            ("2023-08-01", G, Regime::UkGdpr),
            ("2018-05-01", L, Regime::Dpa1998),
            ("2018-05-24", L, Regime::Dpa1998),
            ("2018-05-25", L, Regime::Dpa2018Part3),
            ("2020-12-31", L, Regime::Dpa2018Part3),
            ("2021-03-01", L, Regime::Dpa2018Part3),
        ] {
            assert_eq!(
                regime(date(text), processing),
                expected,
                "{text} {processing:?}"
            );
        }
    }

    #[test]
    fn each_regime_names_its_rule() {
        use Processing::{General as G, LawEnforcement as L};
        let (gdpr, last_gdpr, uk) = (date("2018-05-25"), date("2020-12-31"), date("2021-01-01"));
        for (text, processing, expected) in [
            ("2018-05-23", G, RegimeRule::Before { in_force: gdpr }),
            ("2018-05-23", L, RegimeRule::Before { in_force: gdpr }),
            (
                "2018-05-25",
                L,
                RegimeRule::LawEnforcement { in_force: gdpr },
            ),
            (
                "2018-05-25",
                G,
                RegimeRule::Between {
                    from: gdpr,
                    to: last_gdpr,
                },
            ),
            (
                "2020-12-31",
                G,
                RegimeRule::Between {
                    from: gdpr,
                    to: last_gdpr,
                },
            ),
            ("2021-01-01", G, RegimeRule::From { in_force: uk }),
        ] {
            let (regime, rule) = regime_rule(date(text), processing);
            assert_eq!(rule, expected, "{text} {processing:?}");
            assert_eq!(regime, super::regime(date(text), processing));
        }
    }

    #[test]
    fn reprimand_powers_exist_from_2018() {
        for (regime, expected) in [
            (Regime::Dpa1998, false),
            (Regime::Gdpr, true),
            (Regime::UkGdpr, true),
            (Regime::Dpa2018Part3, true),
        ] {
            assert_eq!(regime.can_reprimand(), expected, "{regime:?}");
        }
    }

    #[test]
    fn keys_match_serde_names() {
        for regime in Regime::ALL {
            let parsed: Regime = serde_saphyr::from_str(regime.key()).expect("a key parses");
            assert_eq!(parsed, regime);
        }
    }

    /// Lateness is real elapsed time: one row per rule, with UK local times as a
    /// case writes them, and the hours that really passed.
    #[test]
    fn lateness() {
        for (discovered, reported, hours, late) in [
            ("2019-12-18T16:42", "2019-12-20T18:16", "49:34", false),
            ("2023-07-25T09:00", "2023-08-01T10:00", "169:00", true),
            ("2023-07-25T09:00", "2023-07-28T09:00", "72:00", false), // exactly 72 hours
            ("2023-07-25T09:00", "2023-07-28T09:01", "72:01", true),  // one minute over
            ("2023-07-25T09:00", "2023-07-25T09:00", "0:00", false),
            // Spring, clocks forward on 26 March 2023: an hour fewer than the clock
            // shows. 72.5 hours by the clock is 71.5 really: in time.
            ("2023-03-24T10:30", "2023-03-27T11:00", "71:30", false),
            ("2023-03-24T23:30", "2023-03-27T23:30", "71:00", false),
            ("2023-03-24T12:00", "2023-03-27T13:00", "72:00", false), // exactly 72 hours
            ("2023-03-24T12:00", "2023-03-27T13:01", "72:01", true),
            // Autumn, clocks back on 29 October 2023: an hour more. 71.5 hours by
            // the clock is 72.5 really: late.
            ("2023-10-27T10:00", "2023-10-30T09:30", "72:30", true),
            ("2023-10-27T10:00", "2023-10-30T09:00", "72:00", false), // exactly 72 hours
            ("2023-10-27T10:00", "2023-10-30T10:00", "73:00", true),
            // With offsets: the instants as written, whatever the local clock.
            (
                "2023-03-24T10:30Z",
                "2023-03-27T11:00+01:00",
                "71:30",
                false,
            ),
            ("2023-07-25T08:00Z", "2023-07-28T09:00", "72:00", false), // exactly 72 hours
            ("2023-07-25T09:00+02:00", "2023-07-28T09:00", "73:00", true),
            ("2023-10-26T01:30", "2023-10-29T01:30+01:00", "72:00", false), // the first 01:30
            ("2023-10-26T01:30", "2023-10-29T01:30+00:00", "73:00", true),  // the second
        ] {
            let (discovered_at, reported_at) = (datetime(discovered), datetime(reported));
            let elapsed = reported_at - discovered_at;
            let shown = format!("{}:{:02}", elapsed.num_hours(), elapsed.num_minutes() % 60);
            assert_eq!(shown, hours, "{discovered} → {reported}");
            assert_eq!(
                is_late(&discovered_at, &reported_at),
                late,
                "{discovered} → {reported}"
            );
        }
    }
}
