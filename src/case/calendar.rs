//! Working days: weekends and the bank holidays of each nation of the UK, read
//! from `letter-templates/bank-holidays.yaml` so an office can keep them current.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;

/// A nation with its own bank holidays: one of the keys of `nations` in
/// `bank-holidays.yaml`. Which nations there are is the templates' to say; a case
/// names one by its key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Nation(Arc<str>);

impl Nation {
    /// The nation with this key (whether the calendar knows it is
    /// [`BankHolidays::nation`]'s to say).
    pub fn new(key: &str) -> Nation {
        Nation(Arc::from(key))
    }

    /// Its key, as case files write it (`england-and-wales`).
    pub fn key(&self) -> &str {
        &self.0
    }
}

impl serde::Serialize for Nation {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl std::borrow::Borrow<str> for Nation {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// Whether `text` can be a key: lower-case letters, digits and hyphens.
fn is_key(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

impl std::fmt::Display for Nation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Bank holidays per nation, over the span of dates the data covers.
#[derive(Debug, Clone)]
pub struct BankHolidays {
    from: NaiveDate,
    to: NaiveDate,
    /// Each nation, in the order of its key, with its name and holidays.
    nations: BTreeMap<Nation, NationDays>,
    /// The nation of a case that names none.
    default: Option<Nation>,
}

/// One nation's name and holidays.
#[derive(Debug, Clone)]
struct NationDays {
    name: String,
    days: HashMap<NaiveDate, HolidayName>,
}

/// What a bank holiday is called, as `bank-holidays.yaml` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidayName {
    /// The holiday's name ("Boxing Day").
    pub name: String,
    /// Whether this is the day off given for the holiday falling on a weekend.
    pub substitute: bool,
}

/// Why a day is not a working day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NonWorking {
    /// A Saturday or a Sunday (that is not also a bank holiday).
    Weekend,
    /// A bank holiday of the nation.
    Holiday(HolidayName),
}

/// A date moved to the next working day, with every day it passed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rolled {
    /// The working day reached.
    pub date: NaiveDate,
    /// Each day skipped, in order, and why.
    pub skipped: Vec<(NaiveDate, NonWorking)>,
}

/// A date the calendar cannot answer for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The date is outside the span the bank-holiday data covers.
    #[error(
        "{date} is outside the bank holidays in letter-templates/bank-holidays.yaml \
         ({covered_from} to {covered_to}); add the holidays of that year"
    )]
    OutOfRange {
        /// The date asked about.
        date: NaiveDate,
        /// First date covered.
        covered_from: NaiveDate,
        /// Last date covered.
        covered_to: NaiveDate,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    covers: Covers,
    default: String,
    nations: BTreeMap<String, NationFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NationFile {
    name: String,
    holidays: Vec<Holiday>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Covers {
    from: NaiveDate,
    to: NaiveDate,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Holiday {
    date: NaiveDate,
    name: String,
    #[serde(default)]
    substitute: bool,
}

impl BankHolidays {
    /// Reads the bank-holiday file. Every date must lie within `covers`, and no
    /// nation may list a date twice.
    pub fn from_yaml(text: &str) -> Result<BankHolidays, serde_saphyr::Error> {
        let file: File = serde_saphyr::from_str(text)?;
        let invalid = |message: String| <serde_saphyr::Error as serde::de::Error>::custom(message);
        if file.covers.from > file.covers.to {
            return Err(invalid("`covers.from` is after `covers.to`".into()));
        }
        let mut nations = BTreeMap::new();
        for (key, nation) in &file.nations {
            if !is_key(key) {
                return Err(invalid(format!(
                    "`{key}` is not a nation key: lower-case letters, digits and hyphens"
                )));
            }
            let mut days = HashMap::new();
            for holiday in &nation.holidays {
                if holiday.date < file.covers.from || holiday.date > file.covers.to {
                    return Err(invalid(format!("{} is outside `covers`", holiday.date)));
                }
                let name = HolidayName {
                    name: holiday.name.clone(),
                    substitute: holiday.substitute,
                };
                if days.insert(holiday.date, name).is_some() {
                    return Err(invalid(format!(
                        "{} is listed twice for {key}",
                        holiday.date
                    )));
                }
            }
            let name = nation.name.clone();
            nations.insert(Nation::new(key), NationDays { name, days });
        }
        let default = Nation::new(&file.default);
        if !nations.contains_key(&default) {
            return Err(invalid(format!(
                "`default: {}` is not one of `nations`",
                file.default
            )));
        }
        Ok(BankHolidays {
            from: file.covers.from,
            to: file.covers.to,
            nations,
            default: Some(default),
        })
    }

    fn check(&self, date: NaiveDate) -> Result<(), CalendarError> {
        if date < self.from || date > self.to {
            return Err(CalendarError::OutOfRange {
                date,
                covered_from: self.from,
                covered_to: self.to,
            });
        }
        Ok(())
    }

    /// A calendar without data: every question about a day is out of its range.
    /// For checks that run without the templates' calendar (a rolled deadline
    /// then cannot be worked out, and is not checked).
    pub fn empty() -> BankHolidays {
        BankHolidays {
            from: NaiveDate::MAX,
            to: NaiveDate::MIN,
            nations: BTreeMap::new(),
            default: None,
        }
    }

    /// Every nation, by key, with its name ("England and Wales").
    pub fn nations(&self) -> impl Iterator<Item = (&Nation, &str)> {
        self.nations.iter().map(|(n, d)| (n, d.name.as_str()))
    }

    /// The nation whose key is `key`, if the calendar has it.
    pub fn nation(&self, key: &str) -> Option<&Nation> {
        self.nations.get_key_value(key).map(|(nation, _)| nation)
    }

    /// The nation of a case that names none (`default`); none for a calendar
    /// without data.
    pub fn default_nation(&self) -> Option<&Nation> {
        self.default.as_ref()
    }

    /// How `nation` is named ("Northern Ireland"), or its key if the calendar
    /// does not have it.
    pub fn name<'a>(&'a self, nation: &'a Nation) -> &'a str {
        self.nations
            .get(nation)
            .map_or(nation.key(), |d| d.name.as_str())
    }

    fn days(&self, nation: &Nation) -> Option<&HashMap<NaiveDate, HolidayName>> {
        self.nations.get(nation).map(|d| &d.days)
    }

    /// The first and last dates the data covers.
    pub fn covers(&self) -> (NaiveDate, NaiveDate) {
        (self.from, self.to)
    }

    /// Whether `date` is a bank holiday in `nation`.
    pub fn is_bank_holiday(&self, date: NaiveDate, nation: &Nation) -> Result<bool, CalendarError> {
        self.check(date)?;
        Ok(self
            .days(nation)
            .is_some_and(|days| days.contains_key(&date)))
    }

    /// Why `date` is not a working day in `nation`, or `None` when it is one.
    pub fn non_working(
        &self,
        date: NaiveDate,
        nation: &Nation,
    ) -> Result<Option<NonWorking>, CalendarError> {
        self.check(date)?;
        if let Some(name) = self.days(nation).and_then(|days| days.get(&date)) {
            return Ok(Some(NonWorking::Holiday(name.clone())));
        }
        Ok(matches!(date.weekday(), Weekday::Sat | Weekday::Sun).then_some(NonWorking::Weekend))
    }

    /// Whether `date` is neither a weekend nor a bank holiday in `nation`.
    pub fn is_working_day(&self, date: NaiveDate, nation: &Nation) -> Result<bool, CalendarError> {
        Ok(self.non_working(date, nation)?.is_none())
    }

    /// `date` if it is a working day in `nation`, else the next working day.
    pub fn roll_forward(
        &self,
        date: NaiveDate,
        nation: &Nation,
    ) -> Result<NaiveDate, CalendarError> {
        self.roll_forward_steps(date, nation)
            .map(|rolled| rolled.date)
    }

    /// [`BankHolidays::roll_forward`], with each day it skipped and why: the one
    /// rule both for the letter's deadline and for its explanation.
    pub fn roll_forward_steps(
        &self,
        date: NaiveDate,
        nation: &Nation,
    ) -> Result<Rolled, CalendarError> {
        let mut day = date;
        let mut skipped = Vec::new();
        while let Some(why) = self.non_working(day, nation)? {
            skipped.push((day, why));
            day = day.succ_opt().ok_or(CalendarError::OutOfRange {
                date: day,
                covered_from: self.from,
                covered_to: self.to,
            })?;
        }
        Ok(Rolled { date: day, skipped })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use std::sync::LazyLock;

    use super::*;

    fn holidays() -> BankHolidays {
        let text = include_str!("../../letter-templates/bank-holidays.yaml");
        BankHolidays::from_yaml(text).expect("the bank-holiday file is valid")
    }

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a test date")
    }

    static EW: LazyLock<Nation> = LazyLock::new(|| Nation::new("england-and-wales"));
    static SC: LazyLock<Nation> = LazyLock::new(|| Nation::new("scotland"));
    static NI: LazyLock<Nation> = LazyLock::new(|| Nation::new("northern-ireland"));

    #[test]
    fn rolls_to_the_next_working_day() {
        let holidays = holidays();
        for (from, nation, expected) in [
            ("2023-11-05", &EW, "2023-11-06"), // a Sunday
            ("2023-11-04", &EW, "2023-11-06"), // a Saturday
            ("2023-11-06", &EW, "2023-11-06"), // a Monday stays
            ("2023-12-25", &EW, "2023-12-27"), // Christmas, then Boxing Day
            ("2023-12-25", &SC, "2023-12-27"),
            ("2024-01-02", &SC, "2024-01-03"), // 2 January: Scotland only
            ("2024-01-02", &EW, "2024-01-02"),
            ("2024-01-02", &NI, "2024-01-02"),
            ("2025-03-17", &NI, "2025-03-18"), // St Patrick's Day: Northern Ireland only
            ("2025-03-17", &EW, "2025-03-17"),
            ("2025-03-17", &SC, "2025-03-17"),
            ("2023-07-12", &NI, "2023-07-13"), // Battle of the Boyne: Northern Ireland only
            ("2023-07-12", &EW, "2023-07-12"),
            ("2022-09-19", &EW, "2022-09-20"), // the State Funeral, everywhere
            ("2022-09-19", &SC, "2022-09-20"),
            ("2022-09-19", &NI, "2022-09-20"),
            ("2023-05-08", &EW, "2023-05-09"), // the Coronation, everywhere
            ("2023-05-08", &SC, "2023-05-09"),
            ("2023-05-08", &NI, "2023-05-09"),
            ("2022-06-02", &EW, "2022-06-06"), // Jubilee Thursday and Friday, then a weekend
            ("2020-05-08", &EW, "2020-05-11"), // VE day moved the early May holiday
            ("2020-05-04", &EW, "2020-05-04"), // ... so the first Monday was a working day
            ("2021-12-25", &EW, "2021-12-29"), // Saturday Christmas: substitutes on 27 and 28
            ("2022-01-01", &EW, "2022-01-04"), // Saturday New Year: substitute on the 3rd
            ("2022-01-01", &SC, "2022-01-05"), // ... and in Scotland the 4th too
            ("2019-11-30", &SC, "2019-12-03"), // St Andrew's Day on a Saturday: Monday off
            ("2019-11-30", &EW, "2019-12-02"),
            ("2024-08-05", &SC, "2024-08-06"), // Scotland's summer holiday: first Monday
            ("2024-08-26", &EW, "2024-08-27"), // elsewhere: last Monday
            ("2024-08-26", &SC, "2024-08-26"),
            ("2030-12-25", &EW, "2030-12-27"),
        ] {
            assert_eq!(
                holidays.roll_forward(date(from), nation),
                Ok(date(expected)),
                "{from} {nation:?}"
            );
        }
    }

    /// Every day a roll passes over is named: a weekend day, or the bank holiday
    /// as `bank-holidays.yaml` names it, substitute days marked.
    #[test]
    fn skipped_days_are_named() {
        let holidays = holidays();
        let weekend = || NonWorking::Weekend;
        let holiday = |name: &str, substitute| {
            NonWorking::Holiday(HolidayName {
                name: name.into(),
                substitute,
            })
        };
        for (from, nation, expected) in [
            ("2023-11-06", &EW, vec![]),
            ("2023-11-05", &EW, vec![("2023-11-05", weekend())]),
            (
                "2026-12-25",
                &EW,
                vec![
                    ("2026-12-25", holiday("Christmas Day", false)),
                    ("2026-12-26", weekend()),
                    ("2026-12-27", weekend()),
                    ("2026-12-28", holiday("Boxing Day", true)),
                ],
            ),
            (
                "2022-01-01",
                &SC,
                vec![
                    ("2022-01-01", weekend()),
                    ("2022-01-02", weekend()),
                    ("2022-01-03", holiday("New Year's Day", true)),
                    ("2022-01-04", holiday("2nd January", true)),
                ],
            ),
            (
                "2022-01-01",
                &EW,
                vec![
                    ("2022-01-01", weekend()),
                    ("2022-01-02", weekend()),
                    ("2022-01-03", holiday("New Year's Day", true)),
                ],
            ),
            (
                "2024-01-02",
                &SC,
                vec![("2024-01-02", holiday("2nd January", false))],
            ),
            (
                "2025-03-17",
                &NI,
                vec![("2025-03-17", holiday("St Patrick's Day", false))],
            ),
            (
                "2023-07-12",
                &NI,
                vec![(
                    "2023-07-12",
                    holiday("Battle of the Boyne (Orangemen's Day)", false),
                )],
            ),
            (
                "2023-05-06",
                &EW,
                vec![
                    ("2023-05-06", weekend()),
                    ("2023-05-07", weekend()),
                    (
                        "2023-05-08",
                        holiday("Bank holiday for the coronation of King Charles III", false),
                    ),
                ],
            ),
        ] {
            let rolled = holidays
                .roll_forward_steps(date(from), nation)
                .expect("within the data");
            let expected: Vec<(NaiveDate, NonWorking)> = expected
                .into_iter()
                .map(|(d, why)| (date(d), why))
                .collect();
            assert_eq!(rolled.skipped, expected, "{from} {nation:?}");
            assert_eq!(
                Ok(rolled.date),
                holidays.roll_forward(date(from), nation),
                "{from} {nation:?}"
            );
        }
    }

    #[test]
    fn dates_past_the_data_are_errors() {
        let holidays = holidays();
        for text in ["2031-01-01", "2017-12-31"] {
            let result = holidays.roll_forward(date(text), &EW);
            assert!(
                matches!(result, Err(CalendarError::OutOfRange { .. })),
                "{text}: {result:?}"
            );
        }
        // Rolling past the last covered day is an error too, never a guess.
        let short = "covers: { from: 2024-01-01, to: 2024-01-06 }\ndefault: england-and-wales\nnations: { england-and-wales: { name: E, holidays: [] } }\n";
        let short = BankHolidays::from_yaml(short).expect("valid");
        assert!(
            short.roll_forward(date("2024-01-06"), &EW).is_err(),
            "Saturday 6 January rolls past the data"
        );
    }

    #[test]
    fn easter_holidays_follow_the_computus() {
        let holidays = holidays();
        for year in 2018..=2030 {
            let easter = computus(year);
            let good_friday = easter - chrono::Days::new(2);
            let easter_monday = easter + chrono::Days::new(1);
            for nation in [&EW, &SC, &NI] {
                assert_eq!(
                    holidays.is_bank_holiday(good_friday, nation),
                    Ok(true),
                    "{year} {nation:?}"
                );
            }
            assert_eq!(
                holidays.is_bank_holiday(easter_monday, &EW),
                Ok(true),
                "{year}"
            );
            assert_eq!(
                holidays.is_bank_holiday(easter_monday, &NI),
                Ok(true),
                "{year}"
            );
            assert_eq!(
                holidays.is_bank_holiday(easter_monday, &SC),
                Ok(false),
                "{year}"
            );
        }
    }

    /// Easter Sunday by the anonymous Gregorian algorithm.
    fn computus(year: i32) -> NaiveDate {
        let a = year % 19;
        let b = year / 100;
        let c = year % 100;
        let h = (19 * a + b - b / 4 - (b - (b + 8) / 25 + 1) / 3 + 15) % 30;
        let l = (32 + 2 * (b % 4) + 2 * (c / 4) - h - c % 4) % 7;
        let m = (a + 11 * h + 22 * l) / 451;
        let month = (h + l - 7 * m + 114) / 31;
        let day = (h + l - 7 * m + 114) % 31 + 1;
        NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("a real date")
    }

    #[test]
    fn every_nation_has_eight_to_ten_holidays_a_year() {
        let holidays = holidays();
        for nation in [&EW, &SC, &NI] {
            for year in 2018..=2030 {
                let count = holidays
                    .days(nation)
                    .expect("a shipped nation")
                    .keys()
                    .filter(|d| d.year() == year)
                    .count();
                assert!((8..=12).contains(&count), "{nation:?} {year}: {count}");
            }
        }
    }

    #[test]
    fn bad_files_are_rejected() {
        let base = "covers: { from: 2020-01-01, to: 2020-12-31 }\n";
        let nation = |holidays: &str| {
            format!("nations: {{ wales: {{ name: Wales, holidays: [{holidays}] }} }}")
        };
        for (rest, why) in [
            (
                format!(
                    "default: wales\n{}",
                    nation("{ date: 2021-01-01, name: x }")
                ),
                "outside",
            ),
            (
                format!(
                    "default: wales\n{}",
                    nation("{ date: 2020-01-01, name: x }, { date: 2020-01-01, name: y }")
                ),
                "twice",
            ),
            (
                format!("default: england\n{}", nation("")),
                "is not one of `nations`",
            ),
            (
                "default: Wales\nnations: { Wales: { name: Wales, holidays: [] } }".to_owned(),
                "not a nation key",
            ),
            (
                format!("default: wales\n{}\nwales: []", nation("")),
                "unknown field",
            ),
            (nation(""), "missing field `default`"),
        ] {
            let error = BankHolidays::from_yaml(&format!("{base}{rest}\n")).expect_err(&rest);
            assert!(error.to_string().contains(why), "{rest}: {error}");
        }
    }

    proptest! {
        #[test]
        fn a_rolled_date_is_a_near_working_day(days in 0u64..4_500, n in 0usize..3) {
            let holidays = holidays();
            let nation = [&EW, &SC, &NI][n];
            let from = date("2018-01-01") + chrono::Days::new(days);
            let rolled = holidays.roll_forward(from, nation).expect("within the data");
            prop_assert!(holidays.is_working_day(rolled, nation).expect("covered"));
            prop_assert!(rolled >= from);
            prop_assert!((rolled - from).num_days() <= 5, "{} → {}", from, rolled);
        }
    }
}
