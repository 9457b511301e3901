//! A progress-update reminder: a short email chasing the update an earlier letter
//! of the case asked for (a reprimand's `progress_update`) once its date has
//! passed, with a new date for it.
//!
//! Which update it chases: the one letter before it that asks for an update, or,
//! when the case has several, the one dated `chases`. The date that passed is the
//! latest the office set for that update: the letter's deadline, the office's
//! extension of it (`extended_to`), or the new date of an earlier reminder. The
//! new date is `within` (default 14 days) after the reminder's date, moved to the
//! next working day of the case's nation.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Occasion, Scope};
use crate::case::raw::Text;
use crate::case::{Checker, schema};
use crate::case::{Period, Unit};
use crate::derive::{self, Chase, Facts, FactsError, FollowUp, SetBy, period_words};
use crate::english::join_and;
use crate::escape;
use crate::templates::Templates;

/// How long after a reminder the update is due when it says nothing else.
pub const DEFAULT_WITHIN: Period = Period {
    count: 14,
    unit: Unit::Days,
};

/// A progress-update reminder: chases the update an earlier letter asked for, once its date has passed, with a new date for it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fields {
    /// The date of the earlier letter whose update it chases; needed only when more than one letter of the case asks for an update.
    #[schemars(transform = schema::date)]
    chases: Option<Text>,
    /// How long after the reminder the update is now due: N days, N weeks or N months (default 14 days), moved to the next working day.
    #[schemars(transform = schema::period)]
    within: Option<Text>,
}

/// Its own parts.
#[derive(Debug, Clone)]
pub struct Body {
    /// The place, among the case's letters (from 0), of the letter whose update
    /// it chases.
    pub chases: usize,
    /// How long after the reminder's date the update is now due.
    pub within: Period,
}

/// What its template sees of its own parts.
#[derive(Debug, Serialize)]
pub struct View {
    /// The letter whose update is chased, and the date that passed.
    chases: ChasedView,
    /// The new date.
    within: WithinView,
}

#[derive(Debug, Serialize)]
struct ChasedView {
    /// Its kind's key (`reprimand`).
    kind: &'static str,
    /// Its date (ISO).
    date: String,
    /// The date the update was due (ISO).
    missed: String,
    /// What set that date: `letter`, `extension` or `reminder`.
    set_by: &'static str,
    /// The date of the earlier reminder that set it (ISO), if one did.
    reminder: Option<String>,
    /// The numbers of the steps the update covers.
    steps: Vec<usize>,
    /// "1 and 2", or empty when the letter marked no step.
    steps_text: String,
    /// Where the update goes, if the letter named an address.
    to: Option<String>,
}

#[derive(Debug, Serialize)]
struct WithinView {
    /// The period in words ("14 days").
    period: String,
    /// The new date (ISO).
    due: String,
    /// Whether it was moved to a working day (then name the weekday).
    rolled: bool,
}

pub(super) fn validate(
    fields: &Fields,
    check: &mut Checker<'_>,
    scope: &Scope<'_>,
) -> Option<Body> {
    let within = match &fields.within {
        None => Some(DEFAULT_WITHIN),
        Some(text) => match text.value.trim().parse::<Period>() {
            Ok(period) => Some(period),
            Err(why) => {
                check.error_with_note(
                    "bad-period",
                    format!("this is not a period: {}", why.reason()),
                    text,
                    &why.to_string(),
                    Some("expected a period such as 14 days or 2 weeks".into()),
                );
                None
            }
        },
    };
    let chases_date = match &fields.chases {
        None => Some(None),
        Some(text) => check.date(text).map(Some),
    };
    // An invalid earlier letter is reported as such; nothing here can be told.
    let (earlier, chases_date) = (scope.earlier?, chases_date?);
    let at = Occasion {
        date: scope.date?,
        earlier,
        nation: scope.nation?,
        holidays: &check.vocabulary.holidays,
    };
    let date = at.date;
    let chases = chased(check, fields, scope, &at, chases_date)?;
    // The dates are checked when they can be worked out; when they cannot, the
    // chased letter reports why.
    if let Ok(Some(follow_up)) = at.earlier_follow_up(chases)
        && let Ok(Some((missed, set_by))) = missed(&at, chases, &follow_up)
    {
        if date <= missed {
            let set = match set_by {
                SetBy::Letter => "the deadline the letter set",
                SetBy::Extension => "the later date the office agreed (`extended_to`)",
                SetBy::Reminder(_) => "the new date an earlier reminder set",
            };
            check.error_with_note(
                "reminder-before-deadline",
                "the reminder is dated before the update it chases is overdue".into(),
                scope.dated,
                &format!(
                    "the update is due on {}: it is overdue from the day after",
                    crate::english::weekday_date(missed)
                ),
                Some(format!(
                    "the update is due by {set}; date the reminder after that day"
                )),
            );
        }
        if let Some(received) = follow_up.received
            && received <= date
        {
            check.error_with_note(
                "update-already-received",
                "the update this reminder chases has already been received".into(),
                scope.kind,
                &format!(
                    "the {} records the update as received on {received}",
                    earlier[chases].kind.key()
                ),
                Some("remove the reminder, or correct the letter's `received` date".into()),
            );
        }
    }
    Some(Body {
        chases,
        within: within?,
    })
}

/// The place of the letter whose update a reminder chases: the one dated
/// `chases`, or the only earlier letter asking for an update; else a located error.
fn chased(
    check: &mut Checker<'_>,
    fields: &Fields,
    scope: &Scope<'_>,
    at: &Occasion<'_>,
    chases: Option<NaiveDate>,
) -> Option<usize> {
    // A letter whose deadline cannot be worked out still asks for an update (its
    // own checks say why the date is wrong).
    let asking: Vec<usize> = (0..at.earlier.len())
        .filter(|&i| match at.earlier_follow_up(i) {
            Ok(Some(f)) => f.deadline.is_some() && f.chases.is_none(),
            Ok(None) => false,
            Err(_) => true,
        })
        .collect();
    let dates: Vec<String> = asking
        .iter()
        .map(|&i| at.earlier[i].date.to_string())
        .collect();
    match (chases, fields.chases.as_ref()) {
        (Some(date), Some(text)) => {
            let found = asking.iter().copied().find(|&i| at.earlier[i].date == date);
            if found.is_none() {
                let label = if dates.is_empty() {
                    "no letter before this one asks for a progress update".to_owned()
                } else {
                    format!("the letters asking for one are dated {}", join_and(&dates))
                };
                check.error_with_note(
                    "no-update-to-chase",
                    "no letter before this reminder, of the date it names, asks for a progress update".into(),
                    text,
                    &label,
                    Some("`chases` is the date of the letter whose progress update is overdue".into()),
                );
            }
            found
        }
        _ => match asking.as_slice() {
            [only] => Some(*only),
            [] => {
                check.error_with_note(
                    "no-update-to-chase",
                    "there is no progress update to chase: no letter before this reminder asks for one".into(),
                    scope.kind,
                    "a reminder with nothing to chase",
                    Some("a reminder follows a reprimand whose `progress_update` is overdue".into()),
                );
                None
            }
            several => {
                check.error_with_note(
                    "which-update",
                    format!(
                        "{} letters before this reminder ask for a progress update: say which it chases",
                        several.len()
                    ),
                    scope.kind,
                    &format!("the letters dated {} ask for one", join_and(&dates)),
                    Some("add `chases: <date>`, the date of the letter whose update is overdue".into()),
                );
                None
            }
        },
    }
}

/// The date the update of letter `chased` was due before the reminder at `at`,
/// and what set it: the latest earlier reminder's new date, else the office's
/// extension, else the letter's own deadline. `None` when that letter asks for
/// no update.
fn missed(
    at: &Occasion<'_>,
    chased: usize,
    theirs: &FollowUp,
) -> Result<Option<(NaiveDate, SetBy)>, FactsError> {
    let mut missed = match (theirs.extended_to, &theirs.deadline) {
        (Some(extended), _) => Some((extended, SetBy::Extension)),
        (None, Some(deadline)) => Some((deadline.date(), SetBy::Letter)),
        (None, None) => None,
    };
    for index in chased + 1..at.earlier.len() {
        if let Some(reminder) = at.earlier_follow_up(index)?
            && reminder.chases.is_some_and(|c| c.letter == chased)
            && let Some(deadline) = &reminder.deadline
        {
            missed = Some((deadline.date(), SetBy::Reminder(at.earlier[index].date)));
        }
    }
    Ok(missed)
}

pub(super) fn follow_up(body: &Body, at: &Occasion<'_>) -> Result<FollowUp, FactsError> {
    let (Some(theirs), Some(letter)) = (
        at.earlier_follow_up(body.chases)?,
        at.earlier.get(body.chases),
    ) else {
        return Ok(FollowUp::default());
    };
    let Some((missed, set_by)) = missed(at, body.chases, &theirs)? else {
        return Ok(FollowUp::default());
    };
    let deadline = derive::deadline_steps(at.date, body.within, Some((at.holidays, at.nation)))?;
    Ok(FollowUp {
        deadline: Some(deadline),
        steps: theirs.steps,
        recommendations: theirs.recommendations,
        to: theirs.to,
        extended_to: None,
        received: None,
        note: None,
        chases: Some(Chase {
            letter: body.chases,
            kind: letter.kind,
            date: letter.date,
            missed,
            set_by,
        }),
    })
}

pub(super) fn view(body: &Body, facts: &Facts, _: &Templates) -> View {
    let follow_up = &facts.follow_up;
    let steps: Vec<String> = follow_up.steps.iter().map(usize::to_string).collect();
    let (kind, date, missed, set_by, reminder) = match &follow_up.chases {
        Some(chase) => {
            let (set_by, reminder) = match chase.set_by {
                SetBy::Letter => ("letter", None),
                SetBy::Extension => ("extension", None),
                SetBy::Reminder(date) => ("reminder", Some(date.to_string())),
            };
            (
                chase.kind.key(),
                chase.date.to_string(),
                chase.missed.to_string(),
                set_by,
                reminder,
            )
        }
        // Facts always chase a letter once the case is valid.
        None => ("letter", String::new(), String::new(), "letter", None),
    };
    let (due, rolled) = follow_up
        .stated()
        .map_or((String::new(), false), |d| (d.date.to_string(), d.rolled));
    View {
        chases: ChasedView {
            kind,
            date,
            missed,
            set_by,
            reminder,
            steps: follow_up.steps.clone(),
            steps_text: join_and(&steps),
            to: follow_up.to.as_deref().map(escape::markdown),
        },
        within: WithinView {
            period: period_words(body.within),
            due,
            rolled,
        },
    }
}
