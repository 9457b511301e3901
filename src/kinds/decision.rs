//! A no-further-action decision: its reasons and recommendations.

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::Scope;
use crate::case::raw::{Recommendation, Text};
use crate::case::{Checker, Markdown, text_at};
use crate::derive::Facts;
use crate::templates::Templates;

/// Its own keys.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fields {
    reasons: Option<Spanned<Vec<Text>>>,
    recommendations: Option<Spanned<Vec<Spanned<Recommendation>>>>,
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

pub(super) fn view(body: &Body, _: &Facts, _: &Templates) -> View {
    View {
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
