//! Times of day in a case: local time in the office's zone (`time_zone` in
//! `office.yaml`), with its clock changes, unless written with an offset from UTC
//! (`2023-03-27T11:00+01:00`, `2023-03-27T10:00Z`). A time is resolved to an
//! instant, so that the hours to a report are real elapsed time however the
//! clocks moved in between.

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDateTime, TimeDelta, TimeZone};
use chrono_tz::Tz;

/// The zone of case times when `office.yaml` names none: UK local time.
pub const DEFAULT_TIME_ZONE: Tz = Tz::Europe__London;

/// The formats a case time may be written in, before any offset.
const FORMATS: [&str; 4] = [
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
];

/// Why a case time names no single instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeError {
    /// Not a date and time in a known format (or with a malformed offset).
    Format,
    /// A local time in the gap when the clocks went forward: it never happened.
    Skipped {
        /// The offsets either side of the gap ("+00:00", "+01:00").
        before: String,
        /// The offset after the gap.
        after: String,
    },
    /// A local time in the hour repeated when the clocks went back: it happened twice.
    Repeated {
        /// The offset of the first time ("+01:00").
        first: String,
        /// The offset of the second time ("+00:00").
        second: String,
    },
}

/// Reads a case time: local time in `zone`, or the offset written after it. The
/// instant is given in `zone`, so its date is the local date there.
pub fn case_time(text: &str, zone: Tz) -> Result<DateTime<Tz>, TimeError> {
    let text = text.trim();
    let (local, offset) = split_offset(text).ok_or(TimeError::Format)?;
    let naive = FORMATS
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(local, format).ok())
        .ok_or(TimeError::Format)?;
    if let Some(offset) = offset {
        let instant = naive
            .and_local_timezone(offset)
            .single()
            .ok_or(TimeError::Format)?;
        return Ok(instant.with_timezone(&zone));
    }
    match zone.from_local_datetime(&naive) {
        LocalResult::Single(instant) => Ok(instant),
        LocalResult::Ambiguous(first, second) => Err(TimeError::Repeated {
            first: first.format("%:z").to_string(),
            second: second.format("%:z").to_string(),
        }),
        LocalResult::None => {
            let offset_at =
                |naive: NaiveDateTime| zone.from_utc_datetime(&naive).format("%:z").to_string();
            Err(TimeError::Skipped {
                before: offset_at(naive - TimeDelta::days(1)),
                after: offset_at(naive + TimeDelta::days(1)),
            })
        }
    }
}

/// The local part of a time and its offset, if one is written: `Z`, `+01:00`,
/// `+0100` or `+01`. `None` when the offset is malformed.
fn split_offset(text: &str) -> Option<(&str, Option<FixedOffset>)> {
    if let Some(local) = text.strip_suffix(['Z', 'z']) {
        return Some((local, FixedOffset::east_opt(0)));
    }
    // The offset's sign comes after the date's own `-`s: past "YYYY-MM-DDTHH".
    let Some(at) = text
        .char_indices()
        .skip(13)
        .find(|(_, c)| matches!(c, '+' | '-'))
        .map(|(i, _)| i)
    else {
        return Some((text, None));
    };
    let (local, offset) = text.split_at(at);
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let digits = |part: &str| part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit());
    let rest = &offset[1..];
    let (hours, minutes) = match (rest.get(..2), rest.get(2..)) {
        (Some(hours), Some("")) => (hours, "00"),
        (Some(hours), Some(minutes)) => (hours, minutes.strip_prefix(':').unwrap_or(minutes)),
        _ => return None,
    };
    if !digits(hours) || !digits(minutes) {
        return None;
    }
    let (hours, minutes): (i32, i32) = (hours.parse().ok()?, minutes.parse().ok()?);
    if hours > 23 || minutes > 59 {
        return None;
    }
    let offset = FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))?;
    Some((local, Some(offset)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONDON: Tz = DEFAULT_TIME_ZONE;

    /// The instant a case time names, in UTC, or why it names none.
    fn utc(text: &str, zone: Tz) -> Result<String, TimeError> {
        case_time(text, zone).map(|t| t.naive_utc().format("%Y-%m-%dT%H:%M").to_string())
    }

    fn skipped(before: &str, after: &str) -> Result<String, TimeError> {
        Err(TimeError::Skipped {
            before: before.into(),
            after: after.into(),
        })
    }

    fn repeated(first: &str, second: &str) -> Result<String, TimeError> {
        Err(TimeError::Repeated {
            first: first.into(),
            second: second.into(),
        })
    }

    fn ok(utc: &str) -> Result<String, TimeError> {
        Ok(utc.into())
    }

    #[test]
    fn case_times_are_local_unless_they_carry_an_offset() {
        for (text, zone, expected) in [
            // Winter: GMT is UTC; summer: BST is an hour ahead.
            ("2023-01-10T09:00", LONDON, ok("2023-01-10T09:00")),
            ("2023-07-10T09:00", LONDON, ok("2023-07-10T08:00")),
            ("2023-07-10 09:00:30", LONDON, ok("2023-07-10T08:00")),
            // An offset or Z says the time as written is already fixed.
            ("2023-07-10T09:00Z", LONDON, ok("2023-07-10T09:00")),
            ("2023-07-10T09:00+01:00", LONDON, ok("2023-07-10T08:00")),
            ("2023-07-10T09:00+0100", LONDON, ok("2023-07-10T08:00")),
            ("2023-07-10T09:00+01", LONDON, ok("2023-07-10T08:00")),
            ("2023-07-10T09:00-05:00", LONDON, ok("2023-07-10T14:00")),
            ("2023-01-10T09:00:00+00:00", LONDON, ok("2023-01-10T09:00")),
            // Spring, 26 March 2023: 01:00 GMT became 02:00 BST.
            ("2023-03-26T00:59", LONDON, ok("2023-03-26T00:59")),
            ("2023-03-26T01:00", LONDON, skipped("+00:00", "+01:00")),
            ("2023-03-26T01:30", LONDON, skipped("+00:00", "+01:00")),
            ("2023-03-26T01:59", LONDON, skipped("+00:00", "+01:00")),
            ("2023-03-26T02:00", LONDON, ok("2023-03-26T01:00")),
            ("2023-03-26T01:30+00:00", LONDON, ok("2023-03-26T01:30")),
            // Autumn, 29 October 2023: 02:00 BST became 01:00 GMT.
            ("2023-10-29T00:59", LONDON, ok("2023-10-28T23:59")),
            ("2023-10-29T01:00", LONDON, repeated("+01:00", "+00:00")),
            ("2023-10-29T01:30", LONDON, repeated("+01:00", "+00:00")),
            ("2023-10-29T01:59", LONDON, repeated("+01:00", "+00:00")),
            ("2023-10-29T02:00", LONDON, ok("2023-10-29T02:00")),
            ("2023-10-29T01:30+01:00", LONDON, ok("2023-10-29T00:30")),
            ("2023-10-29T01:30+00:00", LONDON, ok("2023-10-29T01:30")),
            ("2023-10-29T01:30Z", LONDON, ok("2023-10-29T01:30")),
            // Another office's zone, from its office.yaml.
            (
                "2023-03-12T02:30",
                Tz::America__New_York,
                skipped("-05:00", "-04:00"),
            ),
            (
                "2023-07-10T09:00",
                Tz::Europe__Dublin,
                ok("2023-07-10T08:00"),
            ),
            ("2023-07-10T09:00", Tz::UTC, ok("2023-07-10T09:00")),
            // Not a time.
            ("2023-07-10", LONDON, Err(TimeError::Format)),
            ("2023-07-10T25:00", LONDON, Err(TimeError::Format)),
            ("2023-07-10T09:00+25:00", LONDON, Err(TimeError::Format)),
            ("2023-07-10T09:00+1", LONDON, Err(TimeError::Format)),
            ("2023-07-10T09:00+01:0", LONDON, Err(TimeError::Format)),
            ("2023-07-10T09:00 BST", LONDON, Err(TimeError::Format)),
            ("2023-07-10T09:00ZZ", LONDON, Err(TimeError::Format)),
        ] {
            assert_eq!(utc(text, zone), expected, "{text} in {}", zone.name());
        }
    }

    #[test]
    fn the_date_of_a_time_is_its_date_in_the_office_zone() {
        for (text, date) in [
            ("2023-07-10T23:30", "2023-07-10"),
            ("2023-07-10T23:30Z", "2023-07-11"),
            ("2023-01-10T23:30Z", "2023-01-10"),
            ("2023-07-11T00:30+02:00", "2023-07-10"),
        ] {
            let time = case_time(text, LONDON).expect(text);
            assert_eq!(time.date_naive().to_string(), date, "{text}");
        }
    }
}
