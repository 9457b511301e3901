//! The facts a letter states, derived from its case by pure functions: which law
//! applies, whether a report was late, when a progress update is due, and how all
//! of it is worded. Each rule is table-tested next to its code. It reads the
//! case's types ([`crate::case`]) and never the other way round.

mod deadline;
mod facts;
mod lateness;
mod period_words;

pub use crate::names::addressee;
pub use deadline::{DeadlineSteps, deadline_steps};
pub use facts::{Chase, Deadline, Facts, FactsError, FollowUp, IncidentFacts, Scale, SetBy, facts};
pub use lateness::{elapsed, is_late};
pub use period_words::period_words;
