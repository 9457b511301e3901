//! An acknowledgement of a breach report: it has nothing of its own.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Scope;
use crate::case::Checker;
use crate::derive::Facts;
use crate::templates::Templates;

/// An acknowledgement that the matter reached the office: it takes only the keys every letter takes.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fields {}

/// Its own parts: none.
#[derive(Debug, Clone)]
pub struct Body;

/// What its template sees of its own parts: nothing.
#[derive(Debug, Serialize)]
pub struct View {}

pub(super) fn validate(_: &Fields, _: &mut Checker<'_>, _: &Scope<'_>) -> Option<Body> {
    Some(Body)
}

pub(super) use super::no_follow_up as follow_up;

pub(super) fn view(_: &Body, _: &Facts, _: &Templates) -> View {
    View {}
}
