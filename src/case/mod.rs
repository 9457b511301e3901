//! Case files: YAML in, a typed and validated [`Case`] out.
//!
//! Loading is pure: it takes the file's name and bytes, and the [`Vocabulary`] of
//! keys the letter templates define, and returns either a [`Case`] or every
//! [`Diagnostic`] the file deserves (not only the first).

mod provisions;
mod raw;
mod reference;
mod validate;
mod yaml;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;

use crate::derive::{Nation, Period, Processing, Regime};
use crate::diag::{Diagnostic, Source};

pub use provisions::{Catalogue, Entry as CatalogueEntry, citation};
pub use reference::Reference;

/// The largest case file accepted, in bytes. Real case files are a few kilobytes;
/// the cap keeps a stray multi-megabyte file from exhausting a batch.
pub const MAX_CASE_BYTES: usize = 256 * 1024;

/// How deeply a Markdown field may nest quotes, lists, emphasis and links, counted
/// together (see [`crate::convert::nesting_depth`]). A letter needs three or four
/// levels; the limit stays far below where Typst gives up (and below
/// [`crate::convert::MAX_TYPST_NESTING`], past which the converter flattens), so
/// that a runaway field is refused at load, with its place in the case file.
pub const MAX_MARKDOWN_DEPTH: usize = 16;

/// The keys a case file may use that the letter templates define, and the
/// office's time zone case times are read in.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    /// Provision keys (`uk-gdpr-art5-1-f`) and the regime each belongs to.
    pub provisions: BTreeMap<String, Regime>,
    /// Category-of-data keys (`health`).
    pub categories: BTreeSet<String>,
    /// Standard paragraph keys (`pandemic-delays`).
    pub paragraphs: BTreeSet<String>,
    /// Attachment keys (`security-leaflet`).
    pub attachments: BTreeSet<String>,
    /// Bank holidays, to check at load time that a rolled deadline is within the data.
    pub holidays: Option<std::sync::Arc<crate::derive::BankHolidays>>,
    /// The provisions' titles and counterparts, for suggestions.
    pub catalogue: std::sync::Arc<Catalogue>,
    /// The zone of case times written without an offset (`time_zone` in
    /// `office.yaml`).
    pub time_zone: Tz,
}

impl Default for Vocabulary {
    fn default() -> Vocabulary {
        Vocabulary {
            provisions: BTreeMap::new(),
            categories: BTreeSet::new(),
            paragraphs: BTreeSet::new(),
            attachments: BTreeSet::new(),
            holidays: None,
            catalogue: std::sync::Arc::default(),
            time_zone: crate::derive::DEFAULT_TIME_ZONE,
        }
    }
}

/// Text written as Markdown in the case file; it is passed to the letter as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Markdown(pub String);

/// A validated case.
#[derive(Debug, Clone)]
pub struct Case {
    /// The case file, for diagnostics found later (in templates or typesetting).
    pub source: Source,
    /// The regulator's case reference.
    pub reference: Reference,
    /// Where the reference is written in the case file (bytes of `source`).
    pub reference_span: std::ops::Range<usize>,
    /// The organisation the letters go to.
    pub controller: Controller,
    /// Who signs, unless a letter names another officer.
    pub officer: Officer,
    /// General processing or law enforcement.
    pub processing: Processing,
    /// Whose bank holidays apply.
    pub nation: Nation,
    /// Facts of the breach.
    pub breach: Breach,
    /// The correspondence, oldest first.
    pub letters: Vec<Letter>,
}

/// The organisation the letters go to.
#[derive(Debug, Clone)]
pub struct Controller {
    /// Full name.
    pub name: String,
    /// Name used in running text, if shorter.
    pub short_name: Option<String>,
    /// Postal address lines.
    pub address: Vec<String>,
    /// Email address.
    pub email: String,
    /// The controller's own reference for the case.
    pub their_reference: Option<String>,
    /// The person to address ("Ms E Morrison").
    pub contact: Option<String>,
    /// The greeting as written ("Dear Chief Constable"), instead of the one worked
    /// out from the contact.
    pub salutation: Option<String>,
}

/// The officer who signs a letter.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Officer {
    /// Full name.
    pub name: String,
    /// Job title.
    pub title: String,
    /// Team, if named.
    pub team: Option<String>,
    /// Direct line, if given.
    pub phone: Option<String>,
    /// Direct email, if given.
    pub email: Option<String>,
}

/// Facts of the breach from the controller's report.
#[derive(Debug, Clone)]
pub struct Breach {
    /// When the breach happened.
    pub occurred: NaiveDate,
    /// When the controller became aware of it: an instant, given in the office's
    /// time zone (so its date is the local date there).
    pub discovered: DateTime<Tz>,
    /// When the report reached the regulator, likewise.
    pub reported: DateTime<Tz>,
    /// Dates further information was received.
    pub follow_ups: Vec<NaiveDate>,
    /// What happened, as Markdown.
    pub summary: Option<Markdown>,
    /// How many people's data was involved.
    pub data_subjects: Option<u64>,
    /// How many records were involved.
    pub records: Option<u64>,
    /// Category keys of the data involved.
    pub categories: Vec<String>,
    /// Whether it was a cyber incident.
    pub cyber: bool,
    /// The incidents this case joins (empty for a single breach).
    pub incidents: Vec<Incident>,
}

/// One incident of a case that joins several.
#[derive(Debug, Clone)]
pub struct Incident {
    /// The regulator's reference for the incident.
    pub reference: String,
    /// The controller's reference for it.
    pub their_reference: Option<String>,
    /// When it happened.
    pub date: NaiveDate,
}

/// The kinds of letter casewright writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LetterKind {
    /// Acknowledges a breach report.
    Acknowledgement,
    /// Decides that no further action is needed.
    Decision,
    /// Issues a reprimand with recommendations.
    Reprimand,
}

impl LetterKind {
    /// Every kind, in the order they are usually sent.
    pub const ALL: [LetterKind; 3] = [
        LetterKind::Acknowledgement,
        LetterKind::Decision,
        LetterKind::Reprimand,
    ];

    /// The key used in case files, template names and output file names.
    pub fn key(self) -> &'static str {
        match self {
            LetterKind::Acknowledgement => "acknowledgement",
            LetterKind::Decision => "decision",
            LetterKind::Reprimand => "reprimand",
        }
    }
}

/// One letter of a case, with its addressee and signatory resolved.
#[derive(Debug, Clone)]
pub struct Letter {
    /// What kind of letter.
    pub kind: LetterKind,
    /// Its date.
    pub date: NaiveDate,
    /// The email address it goes to.
    pub to: String,
    /// Copies.
    pub cc: Vec<String>,
    /// The person addressed, if any.
    pub contact: Option<String>,
    /// The greeting as written, if the letter (or, for the controller's own
    /// contact, the controller) sets one; else it is worked out from `contact`.
    pub salutation: Option<String>,
    /// Who signs.
    pub officer: Officer,
    /// Extra standard paragraphs, by key.
    pub paragraphs: Vec<String>,
    /// Extra attachments, by key.
    pub attachments: Vec<String>,
    /// What only some kinds have.
    pub body: LetterBody,
}

/// The parts of a letter that depend on its kind.
#[derive(Debug, Clone)]
pub enum LetterBody {
    /// An acknowledgement has nothing of its own.
    Acknowledgement,
    /// A no-further-action decision.
    Decision {
        /// Reasons for the decision, as Markdown items.
        reasons: Vec<Markdown>,
        /// Recommendations, as Markdown items.
        recommendations: Vec<Markdown>,
    },
    /// A reprimand.
    Reprimand(Box<Reprimand>),
}

/// The parts of a reprimand.
#[derive(Debug, Clone)]
pub struct Reprimand {
    /// How the letter is delivered.
    pub delivery: Delivery,
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

/// How a letter reaches the controller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Delivery {
    /// "By email only to: ..."
    Email,
    /// By post to the address.
    Post,
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

/// Loads and validates one case file.
///
/// `name` is how the file is named in diagnostics. Every problem found is returned,
/// in file order.
pub fn load(name: &str, bytes: &[u8], vocabulary: &Vocabulary) -> Result<Case, Vec<Diagnostic>> {
    let (source, raw) = yaml::parse(name, bytes)?;
    validate::validate(source, raw, vocabulary)
}

#[cfg(test)]
mod tests;
