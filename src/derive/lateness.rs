//! Whether a breach was reported late. (The limit is the law's: the regime in
//! force when the controller became aware of the breach sets it, in
//! `letter-templates/regimes.yaml`, or sets none.)

use chrono::{DateTime, TimeDelta, TimeZone};

/// The real time between discovery and report, however the clocks moved.
pub fn elapsed<Z: TimeZone>(discovered: &DateTime<Z>, reported: &DateTime<Z>) -> TimeDelta {
    reported.clone() - discovered.clone()
}

/// Whether a breach was reported late: more than `limit_hours` after the
/// controller became aware of it, in real elapsed time (a clock change in between
/// moves the local times, not the hours). Exactly the limit is in time.
pub fn is_late<Z: TimeZone>(
    discovered: &DateTime<Z>,
    reported: &DateTime<Z>,
    limit_hours: u32,
) -> bool {
    elapsed(discovered, reported) > TimeDelta::hours(i64::from(limit_hours))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A case time in UK local time, as a case file writes it.
    fn datetime(text: &str) -> chrono::DateTime<chrono_tz::Tz> {
        crate::case::case_time(text, crate::case::DEFAULT_TIME_ZONE).expect("a test time")
    }

    /// Lateness is real elapsed time against a limit of 72 hours: one row per
    /// rule, with UK local times as a case writes them, and the hours that really
    /// passed.
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
                is_late(&discovered_at, &reported_at, 72),
                late,
                "{discovered} → {reported}"
            );
        }
    }

    /// The limit is the regime's: the same report is late against a shorter one.
    #[test]
    fn the_limit_decides() {
        let (discovered, reported) = (datetime("2023-07-25T09:00"), datetime("2023-07-27T09:00"));
        for (limit, late) in [(24, true), (47, true), (48, false), (72, false)] {
            assert_eq!(
                is_late(&discovered, &reported, limit),
                late,
                "{limit} hours"
            );
        }
    }
}
