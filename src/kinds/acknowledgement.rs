//! An acknowledgement of a breach report: it has nothing of its own.

use serde::{Deserialize, Serialize};

use super::Scope;
use crate::case::Checker;
use crate::derive::Facts;
use crate::templates::Templates;

/// Its own keys: none.
#[derive(Debug, Deserialize)]
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
