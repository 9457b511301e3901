//! Which version of the office's wording was in force on a letter's date.
//!
//! A value of `office.yaml` or a standard paragraph may be given in versions,
//! each in force from a day to a day. Both ends are inclusive, as in
//! `regimes.yaml`: a version `until: 2020-12-31` is in force on 31 December
//! 2020, and the next one starts `from: 2021-01-01`. A version with no `from`
//! has always been in force; one with no `until` still is.

use chrono::NaiveDate;

/// The days a version is in force: from `from` to `until`, both inclusive; an
/// absent end is open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InForce {
    /// The first day it is in force, if it has one.
    pub from: Option<NaiveDate>,
    /// The last day it is in force, if it has one.
    pub until: Option<NaiveDate>,
}

impl InForce {
    /// Whether it is in force on `date`.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|from| from <= date) && self.until.is_none_or(|until| date <= until)
    }

    /// Whether it is in force on no day at all (it ends before it starts).
    pub fn is_empty(&self) -> bool {
        matches!((self.from, self.until), (Some(from), Some(until)) if until < from)
    }

    /// Whether some day is in force in both.
    pub fn overlaps(&self, other: &InForce) -> bool {
        let starts = match (self.from, other.from) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let ends = match (self.until, other.until) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        !self.is_empty()
            && !other.is_empty()
            && match (starts, ends) {
                (Some(starts), Some(ends)) => starts <= ends,
                _ => true,
            }
    }
}

/// The index of the version in force on `date`, if any. Versions must not
/// overlap (checked where they are read), so at most one is.
pub fn in_force_on(versions: &[InForce], date: NaiveDate) -> Option<usize> {
    versions.iter().position(|version| version.covers(date))
}

/// The first pair of versions (by index) that are both in force on some day.
pub fn first_overlap(versions: &[InForce]) -> Option<(usize, usize)> {
    (0..versions.len()).find_map(|j| {
        (0..j)
            .find(|&i| versions[i].overlaps(&versions[j]))
            .map(|i| (i, j))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("a date")
    }

    fn span(from: Option<&str>, until: Option<&str>) -> InForce {
        InForce {
            from: from.map(day),
            until: until.map(day),
        }
    }

    /// The office's wording of the laws, as `office.yaml` ships it.
    fn three() -> Vec<InForce> {
        vec![
            span(None, Some("2018-05-24")),
            span(Some("2018-05-25"), Some("2020-12-31")),
            span(Some("2021-01-01"), None),
        ]
    }

    #[test]
    fn the_version_in_force_is_the_one_whose_days_hold_the_date() {
        let cases = [
            ("1999-03-01", Some(0)),
            ("2018-05-24", Some(0)), // `until` is inclusive
            ("2018-05-25", Some(1)), // `from` is inclusive
            ("2020-12-31", Some(1)),
            ("2021-01-01", Some(2)),
            ("2099-12-31", Some(2)),
        ];
        for (date, expected) in cases {
            assert_eq!(in_force_on(&three(), day(date)), expected, "{date}");
        }
    }

    #[test]
    fn a_date_outside_every_version_has_none() {
        let versions = [
            span(Some("2018-05-25"), Some("2020-12-31")),
            span(Some("2021-02-01"), None),
        ];
        for date in ["2018-05-24", "2021-01-01", "2021-01-31"] {
            assert_eq!(in_force_on(&versions, day(date)), None, "{date}");
        }
        assert_eq!(in_force_on(&versions, day("2021-02-01")), Some(1));
        assert_eq!(in_force_on(&[], day("2021-02-01")), None);
    }

    #[test]
    fn a_plain_value_is_always_in_force() {
        for date in ["0001-01-01", "2021-01-01", "9999-12-31"] {
            assert_eq!(in_force_on(&[InForce::default()], day(date)), Some(0));
        }
    }

    #[test]
    fn versions_overlap_when_they_share_a_day() {
        let cases = [
            // Adjacent: the day after `until` is the next `from`.
            (
                span(None, Some("2020-12-31")),
                span(Some("2021-01-01"), None),
                false,
            ),
            // One day shared: both ends are inclusive.
            (
                span(None, Some("2021-01-01")),
                span(Some("2021-01-01"), None),
                true,
            ),
            (span(None, None), span(Some("2021-01-01"), None), true),
            (
                span(None, Some("2018-01-01")),
                span(None, Some("2019-01-01")),
                true,
            ),
            (
                span(Some("2018-01-01"), None),
                span(Some("2030-01-01"), None),
                true,
            ),
            (
                span(Some("2018-01-01"), Some("2018-12-31")),
                span(Some("2019-01-01"), Some("2019-12-31")),
                false,
            ),
            (
                span(Some("2018-01-01"), Some("2019-06-30")),
                span(Some("2019-01-01"), Some("2019-12-31")),
                true,
            ),
            // A version in force on no day overlaps nothing.
            (
                span(Some("2019-01-01"), Some("2018-01-01")),
                span(None, None),
                false,
            ),
        ];
        for (a, b, expected) in cases {
            assert_eq!(a.overlaps(&b), expected, "{a:?} {b:?}");
            assert_eq!(b.overlaps(&a), expected, "{b:?} {a:?}");
        }
    }

    #[test]
    fn the_first_overlap_names_both_versions() {
        assert_eq!(first_overlap(&three()), None);
        let mut versions = three();
        versions.push(span(Some("2020-06-01"), Some("2020-06-30")));
        assert_eq!(first_overlap(&versions), Some((1, 3)));
    }
}
