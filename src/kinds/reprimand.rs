//! A reprimand: its investigation, findings, infringements and recommendations,
//! and the progress update it may ask for, with that update's deadline and what
//! became of it (received, or extended by the office).

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::decision::RecommendationView;
use super::{LetterKind, Occasion, Scope, law};
use crate::case::Period;
use crate::case::raw::{self, Located, Text};
use crate::case::{Checker, Markdown, Matter, schema, text_at};
use crate::derive::{self, Facts, FactsError, FollowUp, period_words};
use crate::english::join_and;
use crate::escape;
use crate::templates::Templates;

/// A reprimand: what an investigation found, the provisions infringed, and the steps recommended, with a progress update it may ask for.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fields {
    /// (Markdown) What was investigated: "... completed its investigation into <investigation>." Needed unless the matter is an investigation, whose summary then stands in.
    #[schemars(transform = schema::markdown, transform = schema::needed_unless_investigation)]
    investigation: Option<Text>,
    /// (Markdown) What happened, in paragraphs.
    #[schemars(transform = schema::markdown)]
    summary: Option<Text>,
    /// (Markdown) What the investigation found, an item each.
    #[schemars(transform = schema::markdown)]
    findings: Option<Located<Vec<Text>>>,
    /// (Markdown) What was taken into account in mitigation, an item each.
    #[schemars(transform = schema::markdown)]
    mitigation: Option<Located<Vec<Text>>>,
    /// (Markdown) What the controller has done since.
    #[schemars(transform = schema::markdown)]
    remedial_action: Option<Text>,
    /// The provisions infringed, by key (casewright list provisions), of the law the matter falls under.
    #[schemars(required, transform = schema::provision, transform = schema::at_least_one)]
    infringements: Option<Located<Vec<Text>>>,
    /// (Markdown) What the infringements come to.
    #[schemars(transform = schema::markdown)]
    infringement_summary: Option<Text>,
    /// The steps recommended, numbered in the letter: each its text (Markdown), or text and progress_update: true for a step the update covers. Left out for a reprimand that recommends nothing.
    #[schemars(transform = schema::at_least_one)]
    recommendations: Option<Located<Vec<Located<raw::Recommendation>>>>,
    /// A progress update the letter asks for: when it is due and where it goes.
    progress_update: Option<Located<RawProgressUpdate>>,
}

/// A requested progress update, as written.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ProgressUpdate", transform = schema::in_order::<Self>)]
pub struct RawProgressUpdate {
    /// How long after the letter's date it is due: N days, N weeks or N months, the count in figures or words (3 months, six weeks).
    #[schemars(transform = schema::period)]
    within: Text,
    /// The address to send it to.
    #[schemars(transform = schema::email)]
    to: Option<Text>,
    /// Whether a deadline on a weekend or a bank holiday moves: next-working-day moves it to the next working day; none (the default) does not.
    #[schemars(transform = rolls)]
    roll: Option<Text>,
    /// Later, once it arrives: the day the update was received (not before the letter's date).
    #[schemars(transform = schema::date)]
    received: Option<Text>,
    /// Later, if the office agrees: the later day the update is now due (after the deadline).
    #[schemars(transform = schema::date)]
    extended_to: Option<Text>,
    /// (Markdown) What the office noted about the update or its extension.
    #[schemars(transform = schema::markdown)]
    note: Option<Text>,
}

/// The rules for a deadline on a day off, as written, and whether each moves it.
const ROLLS: [(&str, bool); 2] = [("next-working-day", true), ("none", false)];

/// The schema of `roll`: one of [`ROLLS`].
fn rolls(schema: &mut schemars::Schema) {
    schema::choices(schema, ROLLS.iter().map(|(key, _)| *key));
}

/// Its own parts.
#[derive(Debug, Clone)]
pub struct Body {
    /// "... completed its investigation into <this>."
    pub investigation: Markdown,
    /// Summary paragraphs.
    pub summary: Option<Markdown>,
    /// What the investigation found.
    pub findings: Vec<Markdown>,
    /// What was considered in mitigation.
    pub mitigation: Vec<Markdown>,
    /// Remedial action the controller took.
    pub remedial_action: Option<Markdown>,
    /// Provision keys infringed.
    pub infringements: Vec<String>,
    /// What the infringements come to.
    pub infringement_summary: Option<Markdown>,
    /// Numbered recommendations.
    pub recommendations: Vec<Recommendation>,
    /// The requested progress update, if any.
    pub progress_update: Option<ProgressUpdate>,
}

/// One numbered recommendation.
#[derive(Debug, Clone)]
pub struct Recommendation {
    /// The step, as Markdown.
    pub text: Markdown,
    /// Whether the progress update covers this step.
    pub progress_update: bool,
}

/// A requested progress update.
#[derive(Debug, Clone)]
pub struct ProgressUpdate {
    /// How long after the letter's date it is due.
    pub within: Period,
    /// Where to send it.
    pub to: Option<String>,
    /// Whether a deadline on a weekend or bank holiday moves to the next working day.
    pub roll: bool,
    /// When the update arrived, once it has.
    pub received: Option<NaiveDate>,
    /// The later date the office agreed, if it extended the deadline.
    pub extended_to: Option<NaiveDate>,
    /// What the office noted about the update, as Markdown.
    pub note: Option<Markdown>,
}

/// What its template sees of its own parts.
#[derive(Debug, Serialize)]
pub struct View {
    recommendations: Vec<RecommendationView>,
    investigation: String,
    summary: Option<String>,
    findings: Vec<String>,
    mitigation: Vec<String>,
    remedial_action: Option<String>,
    infringements: Vec<law::ProvisionView>,
    infringement_summary: Option<String>,
    progress_update: Option<ProgressView>,
    /// How far the breach reached (`letter.scale`; see [`super::ScaleView`]).
    scale: Option<super::ScaleView>,
}

#[derive(Debug, Serialize)]
struct ProgressView {
    /// The period in words ("three months", "28 days").
    period: String,
    /// The unit of the period: `days`, `weeks` or `months`.
    unit: &'static str,
    /// The number of units.
    count: u32,
    /// The deadline (ISO).
    due: String,
    /// Whether the deadline was moved to a working day (then name the weekday).
    rolled: bool,
    to: Option<String>,
    /// The numbers of the steps the update covers.
    steps: Vec<usize>,
    /// "1 and 2", "1, 2 and 4", or empty when no step is marked.
    steps_text: String,
}

pub(super) fn validate(raw: &Fields, check: &mut Checker<'_>, scope: &Scope<'_>) -> Option<Body> {
    let processing = scope.processing;
    // After an investigation, the letter's `investigation` may be left to the
    // matter's own summary.
    let investigation = match (&raw.investigation, scope.matter) {
        (None, Some(Matter::Investigation(matter))) => Some(matter.summary.clone()),
        _ => required(check, &raw.investigation, "investigation", scope.kind),
    };
    let infringements = required_list(check, &raw.infringements, "infringements", scope.kind);
    let recommendations_raw = raw.recommendations.as_ref();
    let regimes = law::case_regimes(check, scope, LetterKind::Reprimand);
    let keys = infringements.iter().flat_map(|list| list.value.iter());
    let provisions = law::provisions(check, keys, regimes.as_deref(), processing);
    let mut recommendations = Vec::new();
    let mut marked = None;
    for item in recommendations_raw.iter().flat_map(|r| r.value.iter()) {
        let flag = item.value.progress_update.as_ref();
        if flag.is_some_and(|f| f.value) {
            marked = marked.or(flag);
        }
        recommendations.push(Recommendation {
            text: check.markdown(&text_at(item)),
            progress_update: flag.is_some_and(|f| f.value),
        });
    }
    if let Some(list) = recommendations_raw
        && list.value.is_empty()
    {
        check.error_with_note(
            "missing-key",
            "a list of recommendations needs at least one".into(),
            list,
            "empty list",
            Some("leave out `recommendations` for a reprimand that recommends nothing".into()),
        );
    }
    if recommendations_raw.is_none()
        && let Some(update) = &raw.progress_update
    {
        check.error_with_note(
            "no-recommendations",
            "the letter asks for a progress update, but recommends nothing to report on".into(),
            update,
            "progress update asked for here",
            Some(
                "add the `recommendations` the update is to cover, or remove `progress_update`"
                    .into(),
            ),
        );
    }
    let progress_update = match &raw.progress_update {
        None => {
            if let Some(flag) = marked {
                check.error_with_note(
                    "no-progress-update",
                    "a recommendation is marked for the progress update, but the letter asks for no update".into(),
                    flag,
                    "marked here",
                    Some("add `progress_update: { within: 3 months }` to the letter, or remove this mark".into()),
                );
            }
            None
        }
        Some(update) => progress_update(check, update),
    };
    check_deadline(check, raw, progress_update.as_ref(), scope);
    Some(Body {
        investigation: investigation?,
        summary: raw.summary.as_ref().map(|s| check.markdown(s)),
        findings: check.markdown_list(&raw.findings),
        mitigation: check.markdown_list(&raw.mitigation),
        remedial_action: raw.remedial_action.as_ref().map(|s| check.markdown(s)),
        infringements: provisions,
        infringement_summary: raw.infringement_summary.as_ref().map(|s| check.markdown(s)),
        recommendations,
        progress_update: match &raw.progress_update {
            Some(_) => Some(progress_update?),
            None => None,
        },
    })
}

fn progress_update(
    check: &mut Checker<'_>,
    update: &Located<RawProgressUpdate>,
) -> Option<ProgressUpdate> {
    let update = &update.value;
    let within = match update.within.value.trim().parse::<Period>() {
        Ok(period) => Some(period),
        Err(why) => {
            check.error_with_note(
                "bad-period",
                format!("this is not a period: {}", why.reason()),
                &update.within,
                &why.to_string(),
                Some("expected a period such as 3 months, 6 weeks or 28 days".into()),
            );
            None
        }
    };
    let to = update.to.as_ref().map(|to| check.email(to));
    let roll = match &update.roll {
        None => Some(false),
        Some(roll) => check.choice(roll, "roll rule", &ROLLS),
    };
    let received = optional_date(check, &update.received)?;
    let extended_to = optional_date(check, &update.extended_to)?;
    let note = update.note.as_ref().map(|n| check.markdown(n));
    Some(ProgressUpdate {
        within: within?,
        to,
        roll: roll?,
        received,
        extended_to,
        note,
    })
}

/// A date that may be absent: `None` when it is given but invalid (reported).
fn optional_date(check: &mut Checker<'_>, text: &Option<Text>) -> Option<Option<NaiveDate>> {
    match text {
        None => Some(None),
        Some(text) => check.date(text).map(Some),
    }
}

fn missing(check: &mut Checker<'_>, key: &str, kind: &Text) {
    check.error(
        "missing-key",
        format!("a reprimand needs `{key}`"),
        kind,
        &format!("this letter has no `{key}`"),
    );
}

fn required(
    check: &mut Checker<'_>,
    text: &Option<Text>,
    key: &str,
    kind: &Text,
) -> Option<Markdown> {
    match text {
        Some(text) => Some(check.markdown(text)),
        None => {
            missing(check, key, kind);
            None
        }
    }
}

fn required_list<'l>(
    check: &mut Checker<'_>,
    list: &'l Option<Located<Vec<Text>>>,
    key: &str,
    kind: &Text,
) -> Option<&'l Located<Vec<Text>>> {
    match list {
        Some(list) if !list.value.is_empty() => Some(list),
        Some(list) => {
            check.error(
                "missing-key",
                format!("`{key}` is empty"),
                list,
                "add at least one item",
            );
            None
        }
        None => {
            missing(check, key, kind);
            None
        }
    }
}

/// A deadline that rolls past the end of the bank-holiday data is an error here,
/// at the period's place in the file, rather than when the letter is rendered; so
/// are an update received before the letter was sent and an extension to before
/// the deadline it extends.
fn check_deadline(
    check: &mut Checker<'_>,
    raw: &Fields,
    update: Option<&ProgressUpdate>,
    scope: &Scope<'_>,
) {
    let (Some(update), Some(raw_update), Some(date)) = (update, &raw.progress_update, scope.date)
    else {
        return;
    };
    let raw_update = &raw_update.value;
    if let (Some(received), Some(at)) = (update.received, &raw_update.received)
        && received < date
    {
        check.error_with_note(
            "received-before-letter",
            "the progress update is received before the letter asking for it was sent".into(),
            at,
            &format!("the letter is dated {date}"),
            Some("check the date the update arrived".into()),
        );
    }
    let Some(nation) = scope.nation else {
        return;
    };
    let roll = update.roll.then_some((&*check.vocabulary.holidays, nation));
    match derive::deadline_steps(date, update.within, roll) {
        Err(problem) => {
            let problem = match problem {
                FactsError::Overflow => "the deadline is beyond the calendar".to_owned(),
                FactsError::Calendar(e) => e.to_string(),
            };
            check.error(
                "deadline",
                format!("the progress-update deadline cannot be worked out: {problem}"),
                &raw_update.within,
                "the deadline is this long after the letter's date",
            );
        }
        Ok(steps) => {
            if let (Some(extended), Some(at)) = (update.extended_to, &raw_update.extended_to)
                && extended < steps.date()
            {
                check.error_with_note(
                    "extension-before-deadline",
                    "the deadline is extended to a date before the deadline itself".into(),
                    at,
                    &format!("the deadline is {}", steps.date()),
                    Some("an extension gives a later date than the letter's deadline".into()),
                );
            }
        }
    }
}

pub(super) fn follow_up(body: &Body, at: &Occasion<'_>) -> Result<FollowUp, FactsError> {
    let steps = body
        .recommendations
        .iter()
        .enumerate()
        .filter(|(_, r)| r.progress_update)
        .map(|(i, _)| i + 1)
        .collect();
    let recommendations = body
        .recommendations
        .iter()
        .map(|r| r.text.clone())
        .collect();
    let Some(update) = &body.progress_update else {
        return Ok(FollowUp {
            steps,
            recommendations,
            ..FollowUp::default()
        });
    };
    let roll = update.roll.then_some((at.holidays, at.nation));
    Ok(FollowUp {
        deadline: Some(derive::deadline_steps(at.date, update.within, roll)?),
        steps,
        recommendations,
        to: update.to.clone(),
        extended_to: update.extended_to,
        received: update.received,
        note: update.note.clone(),
        chases: None,
    })
}

pub(super) fn view(body: &Body, facts: &Facts, templates: &Templates) -> View {
    let raw = |text: &Markdown| text.0.clone();
    let follow_up = &facts.follow_up;
    let progress_update = match (&body.progress_update, follow_up.stated()) {
        (Some(update), Some(deadline)) => {
            let steps: Vec<String> = follow_up.steps.iter().map(|s| s.to_string()).collect();
            Some(ProgressView {
                period: period_words(update.within),
                unit: update.within.unit.key(),
                count: update.within.count,
                due: deadline.date.to_string(),
                rolled: deadline.rolled,
                to: update.to.as_deref().map(escape::markdown),
                steps: follow_up.steps.clone(),
                steps_text: join_and(&steps),
            })
        }
        _ => None,
    };
    View {
        scale: super::scale_view(facts, templates),
        recommendations: body
            .recommendations
            .iter()
            .enumerate()
            .map(|(i, r)| RecommendationView {
                number: i + 1,
                text: raw(&r.text),
                progress_update: r.progress_update,
            })
            .collect(),
        investigation: raw(&body.investigation),
        summary: body.summary.as_ref().map(raw),
        findings: body.findings.iter().map(raw).collect(),
        mitigation: body.mitigation.iter().map(raw).collect(),
        remedial_action: body.remedial_action.as_ref().map(raw),
        infringements: body
            .infringements
            .iter()
            .map(|key| law::provision_view(key, templates))
            .collect(),
        infringement_summary: body.infringement_summary.as_ref().map(raw),
        progress_update,
    }
}
