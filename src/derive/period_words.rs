//! A period in words, as a letter gives it.

use crate::case::Period;
use crate::english::count_words;

/// "three months", "one month", "28 days".
pub fn period_words(period: Period) -> String {
    let unit = period.unit.key();
    let unit = if period.count == 1 {
        unit.trim_end_matches('s')
    } else {
        unit
    };
    format!("{} {unit}", count_words(u64::from(period.count)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Unit;

    #[test]
    fn periods_in_words() {
        for (count, unit, words) in [
            (3, Unit::Months, "three months"),
            (6, Unit::Months, "six months"),
            (1, Unit::Months, "one month"),
            (28, Unit::Days, "28 days"),
            (1, Unit::Days, "one day"),
            (2, Unit::Weeks, "two weeks"),
        ] {
            assert_eq!(period_words(Period { count, unit }), words);
        }
    }
}
