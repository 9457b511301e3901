//! The facts a letter states, derived from its case by pure functions: which law
//! applies, whether a report was late, when a progress update is due, and how all
//! of it is worded. Each rule is table-tested next to its code.

mod calendar;
mod deadline;
mod facts;
mod in_force;
mod period;
mod regime;
mod salutation;
mod time;
mod wording;

pub use calendar::{BankHolidays, CalendarError, HolidayName, Nation, NonWorking, Rolled};
pub use deadline::{DeadlineSteps, deadline_steps};
pub use facts::{Chase, Deadline, Facts, FactsError, FollowUp, IncidentFacts, Scale, SetBy, facts};
pub use in_force::{InForce, first_overlap, in_force_on};
pub use period::{Added, Period, PeriodError, Unit, add_period, add_period_steps};
pub use regime::{LATE_AFTER_HOURS, Processing, Regime, elapsed, is_late};
pub use salutation::addressee;
pub use time::{DEFAULT_TIME_ZONE, TimeError, case_time};
pub(crate) use wording::NUMBER_WORDS;
pub use wording::{
    capitalise_first, count_words, indefinite_article, join_and, join_or, long_date, period_words,
    thousands, weekday_date,
};
