//! How every derived fact of a case was worked out, step by step, as a case
//! officer would check it by hand: the regime of each date whose law applies and
//! the rule (from `regimes.yaml`) that chose it, the time-limit test of a breach
//! report, the power each letter is issued under, and each progress-update
//! deadline from the letter's date to the day the letter names.
//!
//! Every step comes from the facts the letter itself is written from (the
//! [`Engine`]'s, each kind's through the kinds registry), and the wording the
//! letter uses is quoted from the letter, rendered by the same templates, so the
//! explanation cannot disagree with the letter.

use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;
use serde::Serialize;

use super::{ExplainWording, fill};
use crate::case::{Breach, Case, Letter, Regimes};
use crate::case::{NonWorking, Regime};
use crate::derive::{self, DeadlineSteps, Facts, FollowUp, SetBy};
use crate::diag::Diagnostic;
use crate::english::{long_date, weekday_date};
use crate::pipeline::Engine;

/// The explanation of one case.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// The case reference.
    pub reference: String,
    /// The organisation.
    pub organisation: String,
    /// What the case is about: `breach`, `investigation` or `complaint`.
    pub matter: &'static str,
    /// Each date whose law applies (a breach's incidents, the breach itself, the
    /// ends of an investigation's period, a complaint's day) with its regime and
    /// rule, oldest first.
    pub incidents: Vec<IncidentRule>,
    /// The time-limit test, for a breach; `null` for another matter.
    pub late: Option<LateTest>,
    /// The letters explained (all of them, or the one asked for).
    pub letters: Vec<LetterFacts>,
}

/// A date's regime and why.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentRule {
    /// The incident's reference, or `null` for the matter itself.
    pub incident: Option<String>,
    /// The date.
    pub date: NaiveDate,
    /// The regime's key (`uk-gdpr`).
    pub regime: Regime,
    /// Which rule of `regimes.yaml`: `before` (the regime's `until`), `between`
    /// (`from` and `until`), `from`, or `always` (neither).
    pub rule: &'static str,
    /// The rule in words.
    pub text: String,
}

/// The time-limit test of a breach report.
#[derive(Debug, Clone, Serialize)]
pub struct LateTest {
    /// When the breach was discovered (RFC 3339, in the office's time zone).
    pub discovered: String,
    /// When it was reported.
    pub reported: String,
    /// The real time between them, in minutes.
    pub minutes: i64,
    /// The limit, in hours, of the law in force when the breach was discovered;
    /// none if that law sets none.
    pub limit_hours: Option<u32>,
    /// Whether the report was late.
    pub late: bool,
    /// The test in words.
    pub text: String,
}

/// The derived facts of one letter.
#[derive(Debug, Clone, Serialize)]
pub struct LetterFacts {
    /// Its place among the case's letters, from 1.
    pub number: usize,
    /// Its kind.
    pub kind: &'static str,
    /// Its date.
    pub date: NaiveDate,
    /// The heading in words.
    pub heading: String,
    /// For a kind issued under a legal power: the power for the dates of each regime.
    pub powers: Vec<PowerRule>,
    /// The progress-update deadline, if the letter sets one.
    pub deadline: Option<DeadlineExplained>,
}

/// The power (or none) for the dates of one regime.
#[derive(Debug, Clone, Serialize)]
pub struct PowerRule {
    /// The regime's key.
    pub regime: Regime,
    /// How many incidents (or dates of the matter) fall under it.
    pub incidents: usize,
    /// The power the letter is issued under, or `null` for none.
    pub power: Option<String>,
    /// The rule in words.
    pub text: String,
}

/// The earlier letter whose update a letter chases.
#[derive(Debug, Clone, Serialize)]
pub struct ChaseExplained {
    /// Its place among the case's letters, from 1.
    pub letter: usize,
    /// Its kind.
    pub kind: &'static str,
    /// Its date.
    pub date: NaiveDate,
    /// The date the update was due when this letter was written.
    pub missed: NaiveDate,
    /// What set that date: `letter`, `extension` or `reminder`.
    pub set_by: &'static str,
}

/// A deadline, step by step.
#[derive(Debug, Clone, Serialize)]
pub struct DeadlineExplained {
    /// For a reminder: the update it chases, else `null`.
    pub chases: Option<ChaseExplained>,
    /// The letter's date.
    pub start: NaiveDate,
    /// The period ("6 months").
    pub period: String,
    /// The start plus the period.
    pub added: NaiveDate,
    /// The day of the month the month's end cut short, or `null`.
    pub clamped_from: Option<u32>,
    /// Whether the deadline rolls to the next working day.
    pub roll: bool,
    /// Each day skipped.
    pub skipped: Vec<Skipped>,
    /// The deadline the letter names.
    pub due: NaiveDate,
    /// The office's extension, or `null`.
    pub extended_to: Option<NaiveDate>,
    /// When the update arrived, or `null`.
    pub received: Option<NaiveDate>,
    /// The letter's sentence naming the deadline, as plain text.
    pub letter_says: Option<String>,
    /// Every step in words, in order.
    pub steps: Vec<String>,
}

/// A day a roll passed over.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    /// The day.
    pub date: NaiveDate,
    /// `weekend` or `holiday`.
    pub why: &'static str,
    /// The holiday's name, or `null`.
    pub holiday: Option<String>,
    /// Whether the holiday is a substitute day.
    pub substitute: bool,
    /// The step in words.
    pub text: String,
}

/// Explains a case: every letter, or only letter `only` (from 1).
pub fn explain(
    case: &Case,
    only: Option<usize>,
    engine: &Engine,
    wording: &ExplainWording,
) -> Result<Explanation, Diagnostic> {
    let first = case.letters.first().ok_or_else(|| {
        Diagnostic::error("no-letters", "the case has no letters").in_file(&case.source)
    })?;
    // The case's own facts are the same for every letter.
    let facts = engine.facts(case, first)?;
    let regimes = &engine.templates.regimes;
    let breach = case.matter.breach();
    let matter_words = wording.matter.get(case.matter.key()).cloned();
    let incidents = facts
        .incidents
        .iter()
        .map(|incident| {
            let reference = incident
                .index
                .zip(breach)
                .and_then(|(i, breach)| breach.incidents.get(i))
                .map(|i| i.reference.clone());
            let what = reference
                .clone()
                .or_else(|| matter_words.clone())
                .unwrap_or_else(|| case.matter.key().to_owned());
            let (rule, text) = regime_rule(case, incident.date, &incident.regime, regimes, wording);
            IncidentRule {
                incident: reference,
                date: incident.date,
                regime: incident.regime.clone(),
                rule,
                text: fill(&wording.incident, &[("what", &what), ("rule", &text)]),
            }
        })
        .collect();
    let late = breach.map(|breach| late_test(case, breach, &facts, regimes, wording));
    let mut letters = Vec::new();
    for (index, letter) in case.letters.iter().enumerate() {
        if only.is_some_and(|n| n != index + 1) {
            continue;
        }
        letters.push(letter_facts(case, index, letter, engine, wording)?);
    }
    Ok(Explanation {
        reference: case.reference.to_string(),
        organisation: case.controller.name.clone(),
        matter: case.matter.key(),
        incidents,
        late,
        letters,
    })
}

/// The name `explain` gives a regime: its short name in letters (as `regimes.yaml` gives it).
fn regime_name(regime: &Regime, regimes: &Regimes) -> String {
    regimes
        .get(regime.key())
        .map_or_else(|| regime.key().to_owned(), |w| w.short.clone())
}

/// Which of `regimes.yaml`'s dates put `date` under `regime`, in words:
/// "<date> is before <the next regime's start> → <the regime>", in `follow-up.yaml`'s words.
fn regime_rule(
    case: &Case,
    date: NaiveDate,
    regime: &Regime,
    regimes: &Regimes,
    wording: &ExplainWording,
) -> (&'static str, String) {
    let law = regimes.get(regime.key());
    let (from, until) = law.map_or((None, None), |l| (l.from, l.until));
    let (rule, values): (&'static str, Vec<(&str, String)>) = match (from, until) {
        (None, Some(until)) => {
            let next = until.succ_opt().unwrap_or(until);
            ("before", vec![("next", long_date(next))])
        }
        (Some(from), Some(until)) => (
            "between",
            vec![("from", long_date(from)), ("until", long_date(until))],
        ),
        (Some(from), None) => ("from", vec![("from", long_date(from))]),
        (None, None) => ("always", Vec::new()),
    };
    // The processing chose the regime too when the regime is not for every kind.
    let every = <crate::case::Processing as strum::VariantArray>::VARIANTS.len();
    let processing_key: &str = case.processing.into();
    let processing = match law {
        Some(law) if law.processing.len() < every => wording
            .processing
            .get(processing_key)
            .map_or("", String::as_str),
        _ => "",
    };
    let date = long_date(date);
    let name = regime_name(regime, regimes);
    let mut all: Vec<(&str, &str)> = vec![
        ("date", &date),
        ("regime", &name),
        ("processing", processing),
    ];
    all.extend(values.iter().map(|(k, v)| (*k, v.as_str())));
    let phrase = wording.regime.get(rule).map_or("", String::as_str);
    (rule, fill(phrase, &all))
}

/// "25 July 2023 09:00", in the office's time zone.
fn local_time(time: &DateTime<Tz>) -> String {
    format!("{} {}", long_date(time.date_naive()), time.format("%H:%M"))
}

/// "169 hours", "71 hours 30 minutes".
fn elapsed_words(minutes: i64, wording: &ExplainWording) -> String {
    let words = &wording.lateness;
    let (hours, minutes) = (minutes / 60, minutes % 60);
    let hours = match hours {
        1 => words.hour.clone(),
        n => fill(&words.hours, &[("n", &n.to_string())]),
    };
    match minutes {
        0 => hours,
        1 => format!("{hours} {}", words.minute),
        n => format!("{hours} {}", fill(&words.minutes, &[("n", &n.to_string())])),
    }
}

/// The breach's report against the limit of the law in force when the
/// controller became aware of it, as the letter's facts found it: late, in time,
/// or under a law with no limit.
fn late_test(
    case: &Case,
    breach: &Breach,
    facts: &Facts,
    regimes: &Regimes,
    wording: &ExplainWording,
) -> LateTest {
    let (discovered, reported) = (&breach.discovered, &breach.reported);
    let elapsed = derive::elapsed(discovered, reported);
    let (law, _) = regimes.report_limit(discovered.date_naive(), case.processing);
    let (limit, late) = (facts.report_within_hours, facts.late);
    let phrase = match limit {
        None => &wording.lateness.no_limit,
        Some(_) if late => &wording.lateness.late,
        Some(_) => &wording.lateness.in_time,
    };
    let limit_words = limit.map_or_else(String::new, |hours| {
        elapsed_words(i64::from(hours) * 60, wording)
    });
    let text = fill(
        phrase,
        &[
            ("discovered", &local_time(discovered)),
            ("reported", &local_time(reported)),
            ("elapsed", &elapsed_words(elapsed.num_minutes(), wording)),
            ("limit", &limit_words),
            ("regime", &regime_name(law, regimes)),
        ],
    );
    LateTest {
        discovered: discovered.to_rfc3339(),
        reported: reported.to_rfc3339(),
        minutes: elapsed.num_minutes(),
        limit_hours: limit,
        late,
        text,
    }
}

fn letter_facts(
    case: &Case,
    index: usize,
    letter: &Letter,
    engine: &Engine,
    wording: &ExplainWording,
) -> Result<LetterFacts, Diagnostic> {
    let facts = engine.facts(case, letter)?;
    let kind = letter.kind.key();
    let heading = fill(
        &wording.letter,
        &[
            ("number", &(index + 1).to_string()),
            ("kind", kind),
            ("date", &long_date(letter.date)),
        ],
    );
    let regimes = &engine.templates.regimes;
    // A kind some regime gives a power for is issued under one: say which.
    let empowered = regimes.iter().any(|(_, w)| w.power(letter.kind).is_some());
    let powers = if empowered {
        facts
            .regimes
            .iter()
            .map(|(regime, count)| power_rule(case, letter, regime, *count, regimes, wording))
            .collect()
    } else {
        Vec::new()
    };
    let deadline = match &facts.follow_up.deadline {
        None => None,
        Some(steps) => {
            let rendered = engine.render(case, letter, &facts)?;
            let text = crate::convert::to_text(&rendered.body, usize::MAX);
            let letter_says = sentence_with(&text, &stated_date(steps));
            let nation = engine.templates.holidays.name(&case.nation);
            Some(deadline_explained(
                case,
                &facts,
                steps,
                letter_says,
                nation,
                wording,
            ))
        }
    };
    Ok(LetterFacts {
        number: index + 1,
        kind,
        date: letter.date,
        heading,
        powers,
        deadline,
    })
}

fn power_rule(
    case: &Case,
    letter: &Letter,
    regime: &Regime,
    count: usize,
    regimes: &Regimes,
    wording: &ExplainWording,
) -> PowerRule {
    let words = &wording.power_rule;
    let incidents = case
        .matter
        .breach()
        .is_some_and(|b| !b.incidents.is_empty());
    let counted = match (incidents, count) {
        (true, 1) => words.incident.clone(),
        (true, n) => fill(&words.incidents, &[("n", &n.to_string())]),
        (false, _) => wording
            .matter
            .get(case.matter.key())
            .cloned()
            .unwrap_or_else(|| case.matter.key().to_owned()),
    };
    let power = regimes.power(regime, letter.kind).map(str::to_owned);
    let name = regime_name(regime, regimes);
    let kind = letter.kind.key();
    let text = match &power {
        Some(power) => fill(
            &words.power,
            &[("count", &counted), ("regime", &name), ("power", power)],
        ),
        None => fill(
            &words.none,
            &[("count", &counted), ("regime", &name), ("kind", kind)],
        ),
    };
    PowerRule {
        regime: regime.clone(),
        incidents: count,
        power,
        text,
    }
}

/// The deadline as the letter writes it: with its weekday when it was moved to a
/// working day.
fn stated_date(steps: &DeadlineSteps) -> String {
    if steps.deadline().rolled {
        weekday_date(steps.date())
    } else {
        long_date(steps.date())
    }
}

/// The sentence of `text` that holds `needle`, if any: from the end of the
/// sentence before to the end of its own.
fn sentence_with(text: &str, needle: &str) -> Option<String> {
    let paragraph = text.split("\n\n").find(|p| p.contains(needle))?;
    let paragraph = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    let at = paragraph.find(needle)?;
    let start = paragraph[..at].rfind(". ").map_or(0, |i| i + 2);
    let after = at + needle.len();
    let end = paragraph[after..]
        .find(". ")
        .map_or(paragraph.len(), |i| after + i + 1);
    Some(paragraph[start..end].trim().to_owned())
}

/// What a chasing letter says of the update it chases.
fn chase_explained(
    case: &Case,
    follow_up: &FollowUp,
    wording: &ExplainWording,
) -> Option<(ChaseExplained, String)> {
    let chase = follow_up.chases?;
    let words = &wording.steps;
    let (set_by, said) = match chase.set_by {
        SetBy::Letter => ("letter", words.set_by.letter.clone()),
        SetBy::Extension => ("extension", words.set_by.extension.clone()),
        SetBy::Reminder(date) => (
            "reminder",
            fill(&words.set_by.reminder, &[("date", &long_date(date))]),
        ),
    };
    let number = chase.letter + 1;
    let line = fill(
        &words.chases,
        &[
            ("number", &number.to_string()),
            ("kind", chase.kind.key()),
            ("date", &long_date(chase.date)),
            ("missed", &weekday_date(chase.missed)),
            ("set_by", &said),
        ],
    );
    debug_assert!(case.letters.get(chase.letter).is_some());
    let explained = ChaseExplained {
        letter: number,
        kind: chase.kind.key(),
        date: chase.date,
        missed: chase.missed,
        set_by,
    };
    Some((explained, line))
}

/// A deadline step by step: the update it chases, the start, the period, any
/// clamp, each day skipped, the date, and what became of the update.
fn deadline_explained(
    case: &Case,
    facts: &Facts,
    steps: &DeadlineSteps,
    letter_says: Option<String>,
    nation: &str,
    wording: &ExplainWording,
) -> DeadlineExplained {
    let follow_up = &facts.follow_up;
    let words = &wording.steps;
    let period = steps.period.to_string();
    let mut lines = Vec::new();
    let chases = chase_explained(case, follow_up, wording).map(|(chase, line)| {
        lines.push(line);
        chase
    });
    lines.push(fill(&words.start, &[("date", &long_date(steps.start))]));
    lines.push(fill(&words.period, &[("period", &period)]));
    lines.push(fill(
        &words.added,
        &[
            ("start", &long_date(steps.start)),
            ("period", &period),
            ("date", &long_date(steps.added.date)),
        ],
    ));
    if let Some(day) = steps.added.clamped_from {
        let month = steps.added.date.format("%B %Y").to_string();
        lines.push(fill(
            &words.clamped,
            &[
                ("month", &month),
                ("day", &day.to_string()),
                ("date", &long_date(steps.added.date)),
            ],
        ));
    }
    let mut skipped = Vec::new();
    match &steps.rolled {
        None => lines.push(words.no_roll.clone()),
        Some(rolled) => {
            for (date, why) in &rolled.skipped {
                let day = skipped_day(*date, why, nation, wording);
                lines.push(day.text.clone());
                skipped.push(day);
            }
            lines.push(fill(
                &words.working,
                &[("date", &weekday_date(rolled.date))],
            ));
        }
    }
    lines.push(fill(&words.due, &[("date", &stated_date(steps))]));
    if let Some(sentence) = &letter_says {
        lines.push(fill(&words.letter_says, &[("sentence", sentence)]));
    }
    if let Some(date) = follow_up.extended_to {
        lines.push(fill(&words.extended, &[("date", &weekday_date(date))]));
    }
    if let Some(date) = follow_up.received {
        lines.push(fill(&words.received, &[("date", &weekday_date(date))]));
    }
    DeadlineExplained {
        chases,
        start: steps.start,
        period,
        added: steps.added.date,
        clamped_from: steps.added.clamped_from,
        roll: steps.rolled.is_some(),
        skipped,
        due: steps.date(),
        extended_to: follow_up.extended_to,
        received: follow_up.received,
        letter_says,
        steps: lines,
    }
}

/// One day a roll passed over, named as `follow-up.yaml` words it: "Sunday 5
/// November 2023: a weekend day", "Christmas Day", "substitute day for Boxing Day".
pub fn skipped_day(
    date: NaiveDate,
    why: &NonWorking,
    nation_name: &str,
    wording: &ExplainWording,
) -> Skipped {
    let words = &wording.steps;
    let day = weekday_date(date);
    match why {
        NonWorking::Weekend => Skipped {
            date,
            why: "weekend",
            holiday: None,
            substitute: false,
            text: fill(&words.weekend, &[("date", &day)]),
        },
        NonWorking::Holiday(name) => {
            let named = if name.substitute {
                fill(&words.substitute, &[("name", &name.name)])
            } else {
                name.name.clone()
            };
            Skipped {
                date,
                why: "holiday",
                holiday: Some(name.name.clone()),
                substitute: name.substitute,
                text: fill(
                    &words.holiday,
                    &[("date", &day), ("holiday", &named), ("nation", nation_name)],
                ),
            }
        }
    }
}

impl Explanation {
    /// The explanation as indented text, for a terminal or a file.
    pub fn text(&self, wording: &ExplainWording) -> String {
        let mut out = format!("{}: {}\n", self.reference, self.organisation);
        let heading = wording
            .regimes
            .get(self.matter)
            .map_or(self.matter, String::as_str);
        out.push_str(&format!("\n{heading}\n"));
        for incident in &self.incidents {
            out.push_str(&format!("  {}\n", incident.text));
        }
        let late = match &self.late {
            Some(test) => test.text.as_str(),
            None => wording.lateness.not_tested.as_str(),
        };
        out.push_str(&format!("\n{}\n  {late}\n", wording.late));
        for letter in &self.letters {
            out.push_str(&format!("\n{}\n", letter.heading));
            if !letter.powers.is_empty() {
                let heading = fill(&wording.power, &[("kind", letter.kind)]);
                out.push_str(&format!("  {heading}\n"));
                for power in &letter.powers {
                    out.push_str(&format!("    {}\n", power.text));
                }
            }
            if let Some(deadline) = &letter.deadline {
                out.push_str(&format!("  {}\n", wording.deadline));
                for step in &deadline.steps {
                    out.push_str(&format!("    {step}\n"));
                }
            }
        }
        out
    }

    /// The explanation as one JSON object.
    pub fn json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::case::{BankHolidays, HolidayName};

    #[test]
    fn the_sentence_naming_a_date() {
        let text = "Dear Sir,\n\nWe thank you. We ask for an update in six months’ time, or by no later than Monday 6 November 2023. Please send it to us.\n\nYours";
        assert_eq!(
            sentence_with(text, "Monday 6 November 2023").as_deref(),
            Some(
                "We ask for an update in six months’ time, or by no later than Monday 6 November 2023."
            )
        );
        assert_eq!(sentence_with(text, "7 November 2023"), None);
    }

    fn wording() -> ExplainWording {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("letter-templates");
        super::super::Wording::load(&dir)
            .expect("follow-up.yaml is valid")
            .explain
    }

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a test date")
    }

    /// Each day a roll skips is named as the shipped calendar and wording name
    /// it: one row per day, in each nation.
    #[test]
    fn skipped_days_are_named() {
        let text = include_str!("../../letter-templates/bank-holidays.yaml");
        let holidays = BankHolidays::from_yaml(text).expect("the bank-holiday file is valid");
        let [ew, ni, sc] = ["england-and-wales", "northern-ireland", "scotland"]
            .map(|key| holidays.nation(key).expect("a shipped nation").clone());
        let wording = wording();
        for (day, nation, expected) in [
            (
                "2023-11-05",
                &ew,
                "Sunday 5 November 2023: a weekend day, skipped",
            ),
            (
                "2023-11-04",
                &sc,
                "Saturday 4 November 2023: a weekend day, skipped",
            ),
            (
                "2026-12-25",
                &ew,
                "Friday 25 December 2026: Christmas Day in England and Wales, skipped",
            ),
            (
                "2026-12-28",
                &ew,
                "Monday 28 December 2026: substitute day for Boxing Day in England and Wales, skipped",
            ),
            (
                "2022-01-03",
                &ew,
                "Monday 3 January 2022: substitute day for New Year's Day in England and Wales, skipped",
            ),
            (
                "2024-01-02",
                &sc,
                "Tuesday 2 January 2024: 2nd January in Scotland, skipped",
            ),
            (
                "2025-03-17",
                &ni,
                "Monday 17 March 2025: St Patrick's Day in Northern Ireland, skipped",
            ),
            (
                "2023-07-12",
                &ni,
                "Wednesday 12 July 2023: Battle of the Boyne (Orangemen's Day) in Northern Ireland, skipped",
            ),
            (
                "2022-09-19",
                &sc,
                "Monday 19 September 2022: Bank Holiday for the State Funeral of Queen Elizabeth II in Scotland, skipped",
            ),
        ] {
            let why = holidays
                .non_working(date(day), nation)
                .expect("within the data")
                .unwrap_or_else(|| panic!("{day} is not a working day"));
            assert_eq!(
                skipped_day(date(day), &why, holidays.name(nation), &wording).text,
                expected,
                "{day} {nation:?}"
            );
        }
        // A working day is not skipped at all.
        assert_eq!(holidays.non_working(date("2023-11-06"), &ew), Ok(None));
        let substitute = NonWorking::Holiday(HolidayName {
            name: "Boxing Day".into(),
            substitute: true,
        });
        let named = skipped_day(
            date("2020-12-28"),
            &substitute,
            "England and Wales",
            &wording,
        );
        assert_eq!(
            (named.why, named.holiday.as_deref(), named.substitute),
            ("holiday", Some("Boxing Day"), true)
        );
    }
}
