//! The law a case falls under, as case files and the templates name it: the kind
//! of processing and the regimes. Which regimes there are, when each is in force,
//! for which processing, and what it empowers are data: `letter-templates/regimes.yaml`,
//! read into [`Regimes`].

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::kinds::LetterKind;

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

impl Processing {
    /// Its key, as case files write it (`law-enforcement`).
    pub fn key(self) -> &'static str {
        self.into()
    }
}

/// A data-protection regime: one of the keys of `regimes.yaml`. Which regimes
/// there are is the templates' to say; provisions and messages name one by its key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Regime(Arc<str>);

impl Regime {
    /// The regime with this key (whether `regimes.yaml` names it is
    /// [`Regimes::get`]'s to say).
    pub fn new(key: &str) -> Regime {
        Regime(Arc::from(key))
    }

    /// Its key, as templates and `provisions.yaml` write it (`uk-gdpr`).
    pub fn key(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Regime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Regime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Regime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Regime, D::Error> {
        String::deserialize(deserializer).map(|key| Regime::new(&key))
    }
}

impl std::borrow::Borrow<str> for Regime {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// How a legal regime is named, when it is in force, and what it empowers and
/// requires, from `regimes.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegimeWording {
    /// Its full name on first mention in a letter.
    pub name: String,
    /// Its short name afterwards.
    pub short: String,
    /// Its name in messages to case officers.
    pub called: String,
    /// Per kind of letter, the power such a letter is issued under; a kind not
    /// listed cannot be issued under this regime.
    #[serde(default)]
    pub powers: BTreeMap<LetterKind, String>,
    /// The first day it is in force, if it has one.
    #[serde(default)]
    pub from: Option<NaiveDate>,
    /// The last day it is in force, if it has one.
    #[serde(default)]
    pub until: Option<NaiveDate>,
    /// The kinds of processing it applies to.
    pub processing: Vec<Processing>,
    /// Within how many hours of becoming aware of a breach the controller must
    /// report it, if the regime sets a limit.
    #[serde(default)]
    pub report_breach_within_hours: Option<u32>,
}

impl RegimeWording {
    /// The power a letter of `kind` is issued under in this regime, if any: the one
    /// place that decides whether a regime allows a kind of letter.
    pub fn power(&self, kind: LetterKind) -> Option<&str> {
        self.powers.get(&kind).map(String::as_str)
    }

    /// Whether it governs `date` for the kind of processing.
    fn governs(&self, date: NaiveDate, processing: Processing) -> bool {
        self.processing.contains(&processing)
            && self.from.is_none_or(|from| from <= date)
            && self.until.is_none_or(|until| date <= until)
    }
}

/// The regimes of `regimes.yaml`, in the order they came into force, checked to
/// give every date exactly one regime for each kind of processing.
#[derive(Debug, Clone)]
pub struct Regimes {
    /// Each regime and its wording, the earliest first (then by key).
    regimes: Vec<(Regime, RegimeWording)>,
}

impl Regimes {
    /// The regimes as `regimes.yaml` lists them, or every reason they cannot
    /// decide the law of a date: for each kind of processing, the regimes that
    /// apply to it must follow one another, the first with no start, the last with
    /// no end, and each starting the day after the one before ends.
    pub fn new(regimes: BTreeMap<Regime, RegimeWording>) -> Result<Regimes, Vec<String>> {
        let mut regimes: Vec<(Regime, RegimeWording)> = regimes.into_iter().collect();
        regimes.sort_by(|(a, x), (b, y)| (x.from, a).cmp(&(y.from, b)));
        let problems: Vec<String> = <Processing as strum::VariantArray>::VARIANTS
            .iter()
            .flat_map(|&processing| coverage_problems(&regimes, processing))
            .collect();
        if problems.is_empty() {
            Ok(Regimes { regimes })
        } else {
            Err(problems)
        }
    }

    /// Each regime and its wording, in the order they came into force.
    pub fn iter(&self) -> impl Iterator<Item = (&Regime, &RegimeWording)> {
        self.regimes
            .iter()
            .map(|(regime, wording)| (regime, wording))
    }

    /// The wording of the regime with this key, if `regimes.yaml` names it.
    pub fn get(&self, key: &str) -> Option<&RegimeWording> {
        self.regimes
            .iter()
            .find(|(regime, _)| regime.key() == key)
            .map(|(_, wording)| wording)
    }

    /// The regime named by `key`, if `regimes.yaml` names it.
    pub fn regime(&self, key: &str) -> Option<&Regime> {
        self.regimes
            .iter()
            .find(|(regime, _)| regime.key() == key)
            .map(|(regime, _)| regime)
    }

    /// The regime in force on `date` for the kind of processing.
    pub fn in_force(&self, date: NaiveDate, processing: Processing) -> &Regime {
        let found = self
            .regimes
            .iter()
            .find(|(_, wording)| wording.governs(date, processing));
        // `new` refused regimes that leave any date of any processing uncovered.
        &found.expect("regimes cover every date").0
    }

    /// The power a letter of `kind` is issued under in `regime`; none if the
    /// regime gives no such power (see [`RegimeWording::power`]).
    pub fn power(&self, regime: &Regime, kind: LetterKind) -> Option<&str> {
        self.get(regime.key())?.power(kind)
    }

    /// How messages name a regime (its `called`), or its key.
    pub fn called<'a>(&'a self, regime: &'a Regime) -> &'a str {
        self.get(regime.key())
            .map_or(regime.key(), |wording| wording.called.as_str())
    }

    /// The regime in force on the day the controller became aware of a breach,
    /// and within how many hours it requires the breach to be reported (none if
    /// it sets no limit): the one place that decides a report's time limit.
    pub fn report_limit(&self, aware: NaiveDate, processing: Processing) -> (&Regime, Option<u32>) {
        let regime = self.in_force(aware, processing);
        let hours = self
            .get(regime.key())
            .and_then(|law| law.report_breach_within_hours);
        (regime, hours)
    }

    /// Where a regime comes among the others, to list regimes oldest first.
    pub fn rank(&self, regime: &Regime) -> usize {
        self.regimes
            .iter()
            .position(|(r, _)| r == regime)
            .unwrap_or(self.regimes.len())
    }

    /// The keys of the regimes, oldest first.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.regimes.iter().map(|(regime, _)| regime.key())
    }
}

/// Why the regimes that apply to `processing` do not give each date one regime.
fn coverage_problems(regimes: &[(Regime, RegimeWording)], processing: Processing) -> Vec<String> {
    let spans: Vec<&(Regime, RegimeWording)> = regimes
        .iter()
        .filter(|(_, law)| law.processing.contains(&processing))
        .collect();
    let mut problems = Vec::new();
    match (spans.first(), spans.last()) {
        (Some((first, law)), _) if law.from.is_some() => {
            problems.push(format!("the earliest, `{first}`, has a `from` date"));
        }
        (_, Some((last, law))) if law.until.is_some() => {
            problems.push(format!("the latest, `{last}`, has an `until` date"));
        }
        (None, _) => problems.push("none applies to it".to_owned()),
        _ => {}
    }
    for pair in spans.windows(2) {
        let ((before, earlier), (after, later)) = (pair[0], pair[1]);
        if earlier.until.and_then(|d| d.succ_opt()) != later.from {
            problems.push(format!(
                "`{after}` does not start the day after `{before}` ends"
            ));
        }
    }
    let processing = processing.key();
    problems
        .into_iter()
        .map(|problem| format!("for {processing} processing, {problem}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regime(from: Option<&str>, until: Option<&str>, processing: &[Processing]) -> RegimeWording {
        let date = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("a date");
        RegimeWording {
            name: String::new(),
            short: String::new(),
            called: String::new(),
            powers: BTreeMap::new(),
            from: from.map(date),
            until: until.map(date),
            processing: processing.to_vec(),
            report_breach_within_hours: None,
        }
    }

    /// Each way regimes can fail to give a date one regime, one row each.
    #[test]
    fn coverage() {
        use Processing::{General as G, LawEnforcement as L};
        for (rows, expected) in [
            (
                vec![
                    ("old", None, Some("2018-05-24"), vec![G, L]),
                    ("new", Some("2018-05-25"), None, vec![G, L]),
                ],
                vec![],
            ),
            (
                vec![
                    ("old", None, Some("2018-05-24"), vec![G, L]),
                    ("new", Some("2018-05-26"), None, vec![G, L]),
                ],
                vec![
                    "for general processing, `new` does not start the day after `old` ends",
                    "for law-enforcement processing, `new` does not start the day after `old` ends",
                ],
            ),
            (
                vec![("only", None, None, vec![G])],
                vec!["for law-enforcement processing, none applies to it"],
            ),
            (
                vec![("late", Some("2000-01-01"), None, vec![G, L])],
                vec![
                    "for general processing, the earliest, `late`, has a `from` date",
                    "for law-enforcement processing, the earliest, `late`, has a `from` date",
                ],
            ),
            (
                vec![("ends", None, Some("2030-01-01"), vec![G, L])],
                vec![
                    "for general processing, the latest, `ends`, has an `until` date",
                    "for law-enforcement processing, the latest, `ends`, has an `until` date",
                ],
            ),
        ] {
            let regimes = rows
                .iter()
                .map(|(key, from, until, processing)| {
                    (Regime::new(key), regime(*from, *until, processing))
                })
                .collect();
            let found = Regimes::new(regimes).err().unwrap_or_default();
            assert_eq!(found, expected, "{rows:?}");
        }
    }

    /// Regimes are listed by when they came into force, whatever their keys.
    #[test]
    fn oldest_first() {
        use Processing::General as G;
        let regimes = Regimes::new(
            [
                (
                    Regime::new("a-new"),
                    regime(Some("2021-01-01"), None, &[G, Processing::LawEnforcement]),
                ),
                (
                    Regime::new("z-old"),
                    regime(None, Some("2020-12-31"), &[G, Processing::LawEnforcement]),
                ),
            ]
            .into(),
        )
        .expect("regimes");
        assert_eq!(regimes.keys().collect::<Vec<_>>(), ["z-old", "a-new"]);
        let date = NaiveDate::from_ymd_opt(2020, 12, 31).expect("a date");
        assert_eq!(regimes.in_force(date, G).key(), "z-old");
        assert_eq!(
            regimes.in_force(date.succ_opt().expect("a day"), G).key(),
            "a-new"
        );
    }
}
