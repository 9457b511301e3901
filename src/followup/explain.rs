//! How every derived fact of a case was worked out, step by step, as a case
//! officer would check it by hand: each incident's regime and the rule that chose
//! it, the 72-hour test, each reprimand's power, and each progress-update
//! deadline from the letter's date to the day the letter names.
//!
//! Every step comes from the function that computes the letter's fact
//! (`derive::regime_rule`, `derive::elapsed`, `derive::letter_deadline`), and the
//! wording the letter uses is quoted from the letter itself, rendered by the same
//! templates, so the explanation cannot disagree with the letter.

use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;
use serde::Serialize;

use super::{ExplainWording, fill};
use crate::case::{Case, Letter};
use crate::derive::{
    self, LATE_AFTER_HOURS, Nation, NonWorking, Regime, RegimeRule, long_date, weekday_date,
};
use crate::diag::Diagnostic;
use crate::render::Renderer;
use crate::templates::Templates;

/// The explanation of one case.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// The case reference.
    pub reference: String,
    /// The organisation.
    pub organisation: String,
    /// Each incident (or the breach) with its regime and rule, oldest first.
    pub incidents: Vec<IncidentRule>,
    /// The 72-hour test.
    pub late: LateTest,
    /// The letters explained (all of them, or the one asked for).
    pub letters: Vec<LetterFacts>,
}

/// An incident's regime and why.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentRule {
    /// The incident's reference, or `null` for the breach itself.
    pub incident: Option<String>,
    /// Its date.
    pub date: NaiveDate,
    /// The regime's key (`uk-gdpr`).
    pub regime: &'static str,
    /// Which rule: `before`, `law-enforcement`, `between` or `from`.
    pub rule: &'static str,
    /// The rule in words.
    pub text: String,
}

/// The 72-hour test.
#[derive(Debug, Clone, Serialize)]
pub struct LateTest {
    /// When the breach was discovered (RFC 3339, in the office's time zone).
    pub discovered: String,
    /// When it was reported.
    pub reported: String,
    /// The real time between them, in minutes.
    pub minutes: i64,
    /// The limit, in hours.
    pub limit_hours: i64,
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
    /// For a reprimand: the power for the incidents of each regime.
    pub powers: Vec<PowerRule>,
    /// The progress-update deadline, if the letter sets one.
    pub deadline: Option<DeadlineExplained>,
}

/// The power (or none) for the incidents of one regime.
#[derive(Debug, Clone, Serialize)]
pub struct PowerRule {
    /// The regime's key.
    pub regime: &'static str,
    /// How many incidents fall under it.
    pub incidents: usize,
    /// The power a reprimand is issued under, or `null` for none.
    pub power: Option<String>,
    /// The rule in words.
    pub text: String,
}

/// A deadline, step by step.
#[derive(Debug, Clone, Serialize)]
pub struct DeadlineExplained {
    /// The letter's date.
    pub start: NaiveDate,
    /// The period ("6 months").
    pub period: String,
    /// The start plus the period.
    pub added: NaiveDate,
    /// The day of the month the month's end cut short, or `null`.
    pub clamped_from: Option<u32>,
    /// Whether the letter asks for a roll to the next working day.
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
    templates: &Templates,
    renderer: &Renderer,
    wording: &ExplainWording,
) -> Result<Explanation, Diagnostic> {
    let failed = |e| facts_failed(case, e);
    let regime_name = |regime: Regime| {
        templates
            .regimes
            .get(regime.key())
            .map_or_else(|| regime.key().to_owned(), |w| w.short.clone())
    };
    let first = case.letters.first().ok_or_else(|| {
        Diagnostic::error("no-letters", "the case has no letters").in_file(&case.source)
    })?;
    let facts = derive::facts(case, first, &templates.holidays).map_err(failed)?;
    let incidents = facts
        .incidents
        .iter()
        .map(|incident| {
            let (regime, rule) = derive::regime_rule(incident.date, case.processing);
            debug_assert_eq!(regime, incident.regime);
            let reference = incident
                .index
                .and_then(|i| case.breach.incidents.get(i))
                .map(|i| i.reference.clone());
            let what = reference.clone().unwrap_or_else(|| wording.breach.clone());
            let rule_text = regime_rule_text(incident.date, rule, &regime_name(regime), wording);
            IncidentRule {
                incident: reference,
                date: incident.date,
                regime: regime.key(),
                rule: rule_key(rule),
                text: fill(&wording.incident, &[("what", &what), ("rule", &rule_text)]),
            }
        })
        .collect();
    let late = late_test(&case.breach.discovered, &case.breach.reported, wording);
    debug_assert_eq!(late.late, facts.late);
    let mut letters = Vec::new();
    for (index, letter) in case.letters.iter().enumerate() {
        if only.is_some_and(|n| n != index + 1) {
            continue;
        }
        letters.push(letter_facts(
            case,
            index,
            letter,
            templates,
            renderer,
            wording,
            &regime_name,
        )?);
    }
    Ok(Explanation {
        reference: case.reference.to_string(),
        organisation: case.controller.name.clone(),
        incidents,
        late,
        letters,
    })
}

/// A fact that cannot be worked out (a deadline past the bank-holiday data).
fn facts_failed(case: &Case, error: derive::FactsError) -> Diagnostic {
    Diagnostic::error(
        "deadline",
        format!("failed to compute the case's facts: {error}"),
    )
    .in_file(&case.source)
}

fn rule_key(rule: RegimeRule) -> &'static str {
    match rule {
        RegimeRule::Before { .. } => "before",
        RegimeRule::LawEnforcement { .. } => "law-enforcement",
        RegimeRule::Between { .. } => "between",
        RegimeRule::From { .. } => "from",
    }
}

/// "2018-05-23 is before 25 May 2018 → the DPA 1998".
fn regime_rule_text(
    date: NaiveDate,
    rule: RegimeRule,
    regime: &str,
    wording: &ExplainWording,
) -> String {
    let phrase = wording
        .regime
        .get(rule_key(rule))
        .map_or("", String::as_str);
    let date = long_date(date);
    let values: Vec<(&str, String)> = match rule {
        RegimeRule::Before { in_force }
        | RegimeRule::LawEnforcement { in_force }
        | RegimeRule::From { in_force } => vec![("in_force", long_date(in_force))],
        RegimeRule::Between { from, to } => {
            vec![("from", long_date(from)), ("to", long_date(to))]
        }
    };
    let mut all: Vec<(&str, &str)> = vec![("date", &date), ("regime", regime)];
    all.extend(values.iter().map(|(k, v)| (*k, v.as_str())));
    fill(phrase, &all)
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

fn late_test(
    discovered: &DateTime<Tz>,
    reported: &DateTime<Tz>,
    wording: &ExplainWording,
) -> LateTest {
    let elapsed = derive::elapsed(discovered, reported);
    let late = derive::is_late(discovered, reported);
    let phrase = if late {
        &wording.lateness.late
    } else {
        &wording.lateness.in_time
    };
    let text = fill(
        phrase,
        &[
            ("discovered", &local_time(discovered)),
            ("reported", &local_time(reported)),
            ("elapsed", &elapsed_words(elapsed.num_minutes(), wording)),
            ("limit", &elapsed_words(LATE_AFTER_HOURS * 60, wording)),
        ],
    );
    LateTest {
        discovered: discovered.to_rfc3339(),
        reported: reported.to_rfc3339(),
        minutes: elapsed.num_minutes(),
        limit_hours: LATE_AFTER_HOURS,
        late,
        text,
    }
}

fn nation_key(nation: Nation) -> &'static str {
    match nation {
        Nation::EnglandAndWales => "england-and-wales",
        Nation::Scotland => "scotland",
        Nation::NorthernIreland => "northern-ireland",
    }
}

fn letter_facts(
    case: &Case,
    index: usize,
    letter: &Letter,
    templates: &Templates,
    renderer: &Renderer,
    wording: &ExplainWording,
    regime_name: &dyn Fn(Regime) -> String,
) -> Result<LetterFacts, Diagnostic> {
    let failed = |e| facts_failed(case, e);
    let facts = derive::facts(case, letter, &templates.holidays).map_err(failed)?;
    let heading = fill(
        &wording.letter,
        &[
            ("number", &(index + 1).to_string()),
            ("kind", letter.kind.key()),
            ("date", &long_date(letter.date)),
        ],
    );
    let reprimand = matches!(letter.body, crate::case::LetterBody::Reprimand(_));
    let powers = if reprimand {
        facts
            .regimes
            .iter()
            .map(|&(regime, count)| power_rule(regime, count, templates, wording, regime_name))
            .collect()
    } else {
        Vec::new()
    };
    let deadline =
        match derive::letter_deadline(case, letter, &templates.holidays).map_err(failed)? {
            None => None,
            Some(steps) => {
                debug_assert_eq!(Some(steps.deadline()), facts.deadline);
                let rendered = renderer.render(case, letter, &facts, templates)?;
                let date_words = if steps.deadline().rolled {
                    weekday_date(steps.date())
                } else {
                    long_date(steps.date())
                };
                let letter_says = sentence_with(
                    &crate::convert::to_text(&rendered.body, usize::MAX),
                    &date_words,
                );
                let update = match &letter.body {
                    crate::case::LetterBody::Reprimand(r) => r.progress_update.as_ref(),
                    _ => None,
                };
                Some(deadline_explained(
                    &steps,
                    case.nation,
                    update.and_then(|u| u.extended_to),
                    update.and_then(|u| u.received),
                    letter_says,
                    wording,
                ))
            }
        };
    Ok(LetterFacts {
        number: index + 1,
        kind: letter.kind.key(),
        date: letter.date,
        heading,
        powers,
        deadline,
    })
}

fn power_rule(
    regime: Regime,
    count: usize,
    templates: &Templates,
    wording: &ExplainWording,
    regime_name: &dyn Fn(Regime) -> String,
) -> PowerRule {
    let words = &wording.power_rule;
    let counted = match count {
        1 => words.incident.clone(),
        n => fill(&words.incidents, &[("n", &n.to_string())]),
    };
    let power = regime
        .can_reprimand()
        .then(|| {
            templates
                .regimes
                .get(regime.key())
                .and_then(|w| w.power.clone())
        })
        .flatten();
    let name = regime_name(regime);
    let text = match &power {
        Some(power) => fill(
            &words.power,
            &[("count", &counted), ("regime", &name), ("power", power)],
        ),
        None => fill(&words.none, &[("count", &counted), ("regime", &name)]),
    };
    PowerRule {
        regime: regime.key(),
        incidents: count,
        power,
        text,
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

fn deadline_explained(
    steps: &derive::DeadlineSteps,
    nation: Nation,
    extended_to: Option<NaiveDate>,
    received: Option<NaiveDate>,
    letter_says: Option<String>,
    wording: &ExplainWording,
) -> DeadlineExplained {
    let words = &wording.steps;
    let period = steps.period.to_string();
    let mut lines = vec![
        fill(&words.start, &[("date", &long_date(steps.start))]),
        fill(&words.period, &[("period", &period)]),
        fill(
            &words.added,
            &[
                ("start", &long_date(steps.start)),
                ("period", &period),
                ("date", &long_date(steps.added.date)),
            ],
        ),
    ];
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
    let nation_name = wording
        .nations
        .get(nation_key(nation))
        .map_or(nation_key(nation), String::as_str);
    let mut skipped = Vec::new();
    match &steps.rolled {
        None => lines.push(words.no_roll.clone()),
        Some(rolled) => {
            for (date, why) in &rolled.skipped {
                let day = weekday_date(*date);
                let (kind, holiday, substitute, text) = match why {
                    NonWorking::Weekend => (
                        "weekend",
                        None,
                        false,
                        fill(&words.weekend, &[("date", &day)]),
                    ),
                    NonWorking::Holiday(name) => {
                        let named = if name.substitute {
                            fill(&words.substitute, &[("name", &name.name)])
                        } else {
                            name.name.clone()
                        };
                        let text = fill(
                            &words.holiday,
                            &[("date", &day), ("holiday", &named), ("nation", nation_name)],
                        );
                        ("holiday", Some(name.name.clone()), name.substitute, text)
                    }
                };
                lines.push(text.clone());
                skipped.push(Skipped {
                    date: *date,
                    why: kind,
                    holiday,
                    substitute,
                    text,
                });
            }
            lines.push(fill(
                &words.working,
                &[("date", &weekday_date(rolled.date))],
            ));
        }
    }
    let due_words = if steps.deadline().rolled {
        weekday_date(steps.date())
    } else {
        long_date(steps.date())
    };
    lines.push(fill(&words.due, &[("date", &due_words)]));
    if let Some(sentence) = &letter_says {
        lines.push(fill(&words.letter_says, &[("sentence", sentence)]));
    }
    if let Some(date) = extended_to {
        lines.push(fill(&words.extended, &[("date", &weekday_date(date))]));
    }
    if let Some(date) = received {
        lines.push(fill(&words.received, &[("date", &weekday_date(date))]));
    }
    DeadlineExplained {
        start: steps.start,
        period,
        added: steps.added.date,
        clamped_from: steps.added.clamped_from,
        roll: steps.rolled.is_some(),
        skipped,
        due: steps.date(),
        extended_to,
        received,
        letter_says,
        steps: lines,
    }
}

impl Explanation {
    /// The explanation as indented text, for a terminal or a file.
    pub fn text(&self, wording: &ExplainWording) -> String {
        let mut out = format!("{}: {}\n", self.reference, self.organisation);
        out.push_str(&format!("\n{}\n", wording.incidents));
        for incident in &self.incidents {
            out.push_str(&format!("  {}\n", incident.text));
        }
        out.push_str(&format!("\n{}\n  {}\n", wording.late, self.late.text));
        for letter in &self.letters {
            out.push_str(&format!("\n{}\n", letter.heading));
            if !letter.powers.is_empty() {
                out.push_str(&format!("  {}\n", wording.power));
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
    use super::*;

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
}
