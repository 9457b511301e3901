//! Which law governs an incident, whether a reprimand can be issued under it, and
//! whether a breach was reported late. How each regime is named is the templates'
//! business (`letter-templates/regimes.yaml`); here are only the dates and rules.

use chrono::{DateTime, TimeDelta, TimeZone};
use serde::{Deserialize, Serialize};

/// The kind of processing a case concerns.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Deserialize,
    schemars::JsonSchema,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[strum(serialize_all = "kebab-case")]
#[serde(rename_all = "kebab-case")]
pub enum Processing {
    /// General processing.
    General,
    /// Processing for law enforcement purposes.
    LawEnforcement,
}

/// A data-protection regime: when it is in force, for which processing, and
/// what it empowers are in `letter-templates/regimes.yaml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Regime {
    /// The law before the current ones, which gives no power to reprimand.
    #[serde(rename = "dpa1998")]
    Dpa1998,
    /// The regulation in force for general processing until the transition ended.
    Gdpr,
    /// The regulation for general processing since.
    UkGdpr,
    /// The law for law-enforcement processing.
    #[serde(rename = "dpa2018-part3")]
    Dpa2018Part3,
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
}

/// A breach report later than this many hours after discovery is late.
pub const LATE_AFTER_HOURS: i64 = 72;

/// The real time between discovery and report, however the clocks moved.
pub fn elapsed<Z: TimeZone>(discovered: &DateTime<Z>, reported: &DateTime<Z>) -> TimeDelta {
    reported.clone() - discovered.clone()
}

/// Whether a breach was reported late: more than [`LATE_AFTER_HOURS`] after the
/// controller became aware of it, in real elapsed time (a clock change in between
/// moves the local times, not the hours). Exactly 72 hours is in time.
pub fn is_late<Z: TimeZone>(discovered: &DateTime<Z>, reported: &DateTime<Z>) -> bool {
    elapsed(discovered, reported) > TimeDelta::hours(LATE_AFTER_HOURS)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A case time in UK local time, as a case file writes it.
    fn datetime(text: &str) -> chrono::DateTime<chrono_tz::Tz> {
        crate::derive::case_time(text, crate::derive::DEFAULT_TIME_ZONE).expect("a test time")
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
            let elapsed = elapsed(&discovered_at, &reported_at);
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
