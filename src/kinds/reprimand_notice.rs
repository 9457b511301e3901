//! A reprimand notice: the standalone form of an earlier reprimand of the case,
//! as the office publishes it. It restates that reprimand's facts (its
//! infringements, findings, mitigation, remedial action, recommendations and
//! progress update), named by the reprimand's date in `of`, and adds what only
//! the notice has: the aggravating factors, each with the provision it rests on.
//!
//! The notice asks for nothing of its own: the progress update it states is the
//! reprimand's, so the docket and reminders keep following the reprimand.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::law::{self, ProvisionView};
use super::reprimand;
use super::{Body as AnyBody, LetterKind, Occasion, Scope};
use crate::case::Nation;
use crate::case::raw::{Located, Text};
use crate::case::{Checker, Markdown, schema};
use crate::derive::{Facts, FactsError, FollowUp};
use crate::english::join_and;
use crate::templates::Templates;

/// A reprimand notice: the published form of an earlier reprimand of the case, named by its date, with the aggravating factors the notice adds.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fields {
    /// The date of the reprimand of this case the notice publishes, YYYY-MM-DD: the notice restates its facts, infringements and recommendations.
    #[schemars(required, transform = schema::date)]
    of: Option<Text>,
    /// The aggravating factors, an item each: its text (Markdown) and the provision it rests on, by key (casewright list provisions).
    aggravating: Option<Located<Vec<Located<RawAggravating>>>>,
}

/// An aggravating factor, as written.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Aggravating", transform = schema::in_order::<Self>)]
pub struct RawAggravating {
    /// (Markdown) What made the infringement worse.
    #[schemars(transform = schema::markdown)]
    text: Text,
    /// The provision it rests on, by key (casewright list provisions), of the law the matter falls under.
    #[schemars(transform = schema::provision)]
    provision: Text,
}

/// Its own parts.
#[derive(Debug, Clone)]
pub struct Body {
    /// The place, among the case's letters (from 0), of the reprimand it publishes.
    pub of: usize,
    /// That reprimand's date.
    pub reprimand_date: NaiveDate,
    /// That reprimand's own parts, as they were checked.
    pub reprimand: reprimand::Body,
    /// The case's nation, whose working days the reprimand's deadline rolls to.
    pub nation: Nation,
    /// The aggravating factors.
    pub aggravating: Vec<Aggravating>,
}

/// One aggravating factor.
#[derive(Debug, Clone)]
pub struct Aggravating {
    /// What made the infringement worse, as Markdown.
    pub text: Markdown,
    /// The key of the provision it rests on.
    pub provision: String,
}

/// What its template sees of its own parts: the reprimand's, and its own.
#[derive(Debug, Serialize)]
pub struct View {
    /// The reprimand's parts, as the reprimand's own template sees them.
    #[serde(flatten)]
    reprimand: reprimand::View,
    /// The reprimand's date (ISO).
    of: String,
    /// The aggravating factors, each with its provision.
    aggravating: Vec<AggravatingView>,
}

#[derive(Debug, Serialize)]
struct AggravatingView {
    text: String,
    provision: ProvisionView,
}

pub(super) fn validate(
    fields: &Fields,
    check: &mut Checker<'_>,
    scope: &Scope<'_>,
) -> Option<Body> {
    let of_date = match &fields.of {
        Some(text) => check.date(text),
        None => {
            check.error_with_note(
                "missing-key",
                "a reprimand notice needs `of`".into(),
                scope.kind,
                "this letter has no `of`",
                Some("`of` is the date of the reprimand the notice publishes".into()),
            );
            None
        }
    };
    let regimes = law::case_regimes(check, scope, LetterKind::ReprimandNotice);
    let mut aggravating = Vec::new();
    for item in fields.aggravating.iter().flat_map(|list| list.value.iter()) {
        let keys = law::provisions(
            check,
            [&item.value.provision],
            regimes.as_deref(),
            scope.processing,
        );
        aggravating.push(Aggravating {
            text: check.markdown(&item.value.text),
            provision: keys.into_iter().next()?,
        });
    }
    // An invalid earlier letter is reported as such; nothing here can be told.
    let (earlier, of_date, of_text) = (scope.earlier?, of_date?, fields.of.as_ref()?);
    let found = earlier
        .iter()
        .enumerate()
        .find_map(|(i, letter)| match &letter.body {
            AnyBody::Reprimand(body) if letter.date == of_date => Some((i, body)),
            _ => None,
        });
    let Some((of, reprimand)) = found else {
        let dates: Vec<String> = earlier
            .iter()
            .filter(|l| matches!(l.body, AnyBody::Reprimand(_)))
            .map(|l| l.date.to_string())
            .collect();
        let label = if dates.is_empty() {
            "no reprimand comes before this notice in the case".to_owned()
        } else {
            format!(
                "the case's reprimands before it are dated {}",
                join_and(&dates)
            )
        };
        check.error_with_note(
            "no-reprimand",
            "`of` names no reprimand of this case before the notice".into(),
            of_text,
            &label,
            Some("`of` is the date of the reprimand letter the notice publishes".into()),
        );
        return None;
    };
    Some(Body {
        of,
        reprimand_date: of_date,
        reprimand: (**reprimand).clone(),
        nation: scope.nation?.clone(),
        aggravating,
    })
}

/// The notice derives no deadline of its own: the update it states is its
/// reprimand's, worked out again for its view.
pub(super) fn follow_up(_: &Body, _: &Occasion<'_>) -> Result<FollowUp, FactsError> {
    Ok(FollowUp::default())
}

pub(super) fn view(body: &Body, facts: &Facts, templates: &Templates) -> View {
    // The reprimand's facts, worked out as they are for the reprimand itself
    // (its follow-up reads no earlier letter); when they cannot be, the
    // reprimand reports why, and the notice states no deadline.
    let at = Occasion {
        date: body.reprimand_date,
        earlier: &[],
        nation: &body.nation,
        holidays: &templates.holidays,
    };
    let mut reprimand_facts = facts.clone();
    reprimand_facts.follow_up = reprimand::follow_up(&body.reprimand, &at).unwrap_or_default();
    View {
        reprimand: reprimand::view(&body.reprimand, &reprimand_facts, templates),
        of: body.reprimand_date.to_string(),
        aggravating: body
            .aggravating
            .iter()
            .map(|a| AggravatingView {
                text: a.text.0.clone(),
                provision: law::provision_view(&a.provision, templates),
            })
            .collect(),
    }
}
