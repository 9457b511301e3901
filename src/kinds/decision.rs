//! A no-further-action decision: its reasons and recommendations.

use super::Scope;
use crate::case::raw::{Located, Recommendation, Text};
use crate::case::{Checker, Markdown, schema, text_at};
use crate::derive::Facts;
use crate::templates::Templates;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A decision to take no further action: the reasons for it, and what the controller is recommended to do.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fields {
    /// (Markdown) The reasons for the decision, an item each.
    #[schemars(transform = schema::markdown)]
    reasons: Option<Located<Vec<Text>>>,
    /// (Markdown) What the controller is recommended to do, an item each.
    recommendations: Option<Located<Vec<Located<Recommendation>>>>,
}

/// Its own parts.
#[derive(Debug, Clone)]
pub struct Body {
    /// Reasons for the decision, as Markdown items.
    pub reasons: Vec<Markdown>,
    /// Recommendations, as Markdown items.
    pub recommendations: Vec<Markdown>,
}

/// What its template sees of its own parts.
#[derive(Debug, Serialize)]
pub struct View {
    reasons: Vec<String>,
    recommendations: Vec<RecommendationView>,
    /// How far the breach reached (`letter.scale`; see [`super::ScaleView`]).
    scale: Option<super::ScaleView>,
}

/// One numbered recommendation, as a template sees it.
#[derive(Debug, Serialize)]
pub(super) struct RecommendationView {
    pub number: usize,
    pub text: String,
    pub progress_update: bool,
}

pub(super) fn validate(fields: &Fields, check: &mut Checker<'_>, _: &Scope<'_>) -> Option<Body> {
    let reasons = check.markdown_list(&fields.reasons);
    let mut recommendations = Vec::new();
    for item in fields.recommendations.iter().flat_map(|r| r.value.iter()) {
        if let Some(flag) = &item.value.progress_update {
            check.error(
                "key-not-for-kind",
                "a decision asks for no progress update".into(),
                flag,
                "only a reprimand's recommendations can be marked for an update",
            );
        }
        recommendations.push(check.markdown(&text_at(item)));
    }
    Some(Body {
        reasons,
        recommendations,
    })
}

pub(super) use super::no_follow_up as follow_up;

pub(super) fn view(body: &Body, facts: &Facts, templates: &Templates) -> View {
    View {
        scale: super::scale_view(facts, templates),
        reasons: body.reasons.iter().map(|r| r.0.clone()).collect(),
        recommendations: body
            .recommendations
            .iter()
            .enumerate()
            .map(|(i, text)| RecommendationView {
                number: i + 1,
                text: text.0.clone(),
                progress_update: false,
            })
            .collect(),
    }
}
