//! Case files: YAML in, a typed and validated [`Case`] out.
//!
//! Loading is pure: it takes the file's name and bytes, and the [`Vocabulary`] of
//! keys the letter templates define, and returns either a [`Case`] or every
//! [`Diagnostic`] the file deserves (not only the first).
//!
//! The types a case is written in live here too: the law (`law.rs`: processing
//! and regimes), the calendar a case's nation follows (`calendar.rs`), case times
//! (`time.rs`) and periods (`period.rs`). Later stages read them; this module
//! reads no later stage (the letter kinds' registry, [`crate::kinds`], is the one
//! module both sides share: a kind's keys are loaded here).

mod calendar;
mod in_force;
mod law;
pub mod markdown;
mod people;
mod period;
mod placeholder;
mod provisions;
pub(crate) mod raw;
mod reference;
pub mod schema;
mod time;
mod validate;
mod yaml;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;

use crate::diag::{Diagnostic, Source};

pub use crate::kinds::{Body, LetterKind};
pub use calendar::{BankHolidays, CalendarError, HolidayName, Nation, NonWorking, Rolled};
pub use in_force::{InForce, first_overlap, in_force_on};
pub use law::{Processing, Regime, RegimeWording, Regimes};
pub use people::{PERSON_FORMS, Person, Reason, Role};
pub use period::{Added, Period, PeriodError, Unit, add_period, add_period_steps};
pub use placeholder::{is_placeholder, placeholder};
pub use provisions::{Catalogue, Entry as CatalogueEntry, citation};
pub use reference::{OWN_NAME_PREFIX, Reference};
pub use time::{DEFAULT_TIME_ZONE, TimeError, case_time};
pub(crate) use validate::{Checker, text_at};

/// The largest case file accepted, in bytes. Real case files are a few kilobytes;
/// the cap keeps a stray multi-megabyte file from exhausting a batch.
pub const MAX_CASE_BYTES: usize = 256 * 1024;

/// How deeply a Markdown field may nest quotes, lists, emphasis and links, counted
/// together (see [`markdown::nesting_depth`]). A letter needs three or four
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
    /// The days each standard paragraph's versions are in force, by key.
    pub paragraph_versions: BTreeMap<String, Vec<crate::case::InForce>>,
    /// The values of `office.yaml` every letter uses (`links.security`), and the
    /// days each of their versions is in force.
    pub office_versions: Vec<(String, Vec<crate::case::InForce>)>,
    /// Attachment keys (`security-leaflet`).
    pub attachments: BTreeSet<String>,
    /// The nations a case may name, the default one, and their bank holidays (to
    /// check at load time that a rolled deadline is within the data).
    pub holidays: std::sync::Arc<crate::case::BankHolidays>,
    /// The provisions' titles and counterparts, for suggestions.
    pub catalogue: std::sync::Arc<Catalogue>,
    /// The zone of case times written without an offset (`time_zone` in
    /// `office.yaml`).
    pub time_zone: Tz,
    /// Each regime's names, dates and powers (`regimes.yaml`).
    pub regimes: std::sync::Arc<Regimes>,
    /// The word a public copy puts for what it withholds (`redacted` in
    /// `office.yaml`): no withheld string may be part of it.
    pub redacted: String,
    /// What loading does with an invisible or direction character in a case
    /// that has a public copy.
    pub invisible: Invisible,
}

/// What loading does with a character that shows nothing, or changes the
/// direction of text, in a case with a public copy: what is stored there is not
/// what a reader sees, so redaction could not be proven.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    serde::Deserialize,
    serde::Serialize,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Invisible {
    /// A located error: the case file must be corrected.
    #[default]
    Refuse,
    /// A located warning, and the character left out of the public copy.
    Remove,
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
    /// What the case is about, and its facts.
    pub matter: Matter,
    /// The people the case names, the complainant of a complaint first (key
    /// `complainant`), then `people` in order.
    pub people: Vec<Person>,
    /// The correspondence, oldest first.
    pub letters: Vec<Letter>,
    /// What loading found odd but not wrong (a letter dated on a bank holiday),
    /// reported beside the letters, which are still written.
    pub warnings: Vec<Diagnostic>,
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

/// What a case is about: each type of matter has its own facts, and the rules
/// that need those facts (the time limit of a breach report) apply only to its type.
#[derive(Debug, Clone, strum::IntoStaticStr, strum::EnumDiscriminants)]
#[strum(serialize_all = "lowercase")]
#[strum_discriminants(
    name(MatterType),
    derive(strum::IntoStaticStr, strum::VariantArray),
    strum(serialize_all = "lowercase")
)]
pub enum Matter {
    /// A personal data breach the controller reported.
    Breach(Breach),
    /// An investigation the office opened.
    Investigation(Investigation),
    /// A complaint from a member of the public.
    Complaint(Complaint),
}

impl MatterType {
    /// Every type of matter, in the order messages list them.
    pub const ALL: &'static [MatterType] = <MatterType as strum::VariantArray>::VARIANTS;

    /// The case file's key for the matter (`breach`).
    pub fn key(self) -> &'static str {
        self.into()
    }
}

impl Matter {
    /// The case file's key for the matter (`breach`).
    pub fn key(&self) -> &'static str {
        MatterType::from(self).key()
    }

    /// The days whose law applies to the matter, oldest first: a breach's
    /// incidents (or the day it occurred), the first and last days an
    /// investigation examined, the day a complaint was received.
    pub fn dates(&self) -> Vec<NaiveDate> {
        let mut dates: Vec<NaiveDate> = match self {
            Matter::Breach(breach) => validate::incident_dates(breach).collect(),
            Matter::Investigation(investigation) => {
                vec![investigation.period.from, investigation.period.until]
            }
            Matter::Complaint(complaint) => vec![complaint.received],
        };
        dates.sort();
        dates
    }

    /// The day the case began for the office (a breach's report, an
    /// investigation's opening, a complaint's receipt): no letter is older.
    pub fn began(&self) -> NaiveDate {
        match self {
            Matter::Breach(breach) => breach.reported.date_naive(),
            Matter::Investigation(investigation) => investigation.opened,
            Matter::Complaint(complaint) => complaint.received,
        }
    }

    /// The breach, when the matter is one.
    pub fn breach(&self) -> Option<&Breach> {
        match self {
            Matter::Breach(breach) => Some(breach),
            Matter::Investigation(_) | Matter::Complaint(_) => None,
        }
    }
}

/// Facts of an investigation the office opened.
#[derive(Debug, Clone)]
pub struct Investigation {
    /// When it was opened.
    pub opened: NaiveDate,
    /// The period it examined.
    pub period: Examined,
    /// What it looked into, as Markdown ("the way you handled ...").
    pub summary: Markdown,
}

/// A period examined, both days included.
#[derive(Debug, Clone, Copy)]
pub struct Examined {
    /// Its first day.
    pub from: NaiveDate,
    /// Its last day.
    pub until: NaiveDate,
}

/// Facts of a complaint from a member of the public.
#[derive(Debug, Clone)]
pub struct Complaint {
    /// When it reached the office.
    pub received: NaiveDate,
    /// Who complained.
    pub complainant: Complainant,
    /// What it is about, as Markdown ("the way you handled ...").
    pub summary: Markdown,
    /// Whether letters to the controller may name the complainant.
    pub name_in_letter: bool,
}

/// Who complained.
#[derive(Debug, Clone)]
pub struct Complainant {
    /// Their name, as they gave it.
    pub name: String,
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
    /// How it is delivered, if the case says.
    pub delivery: Option<Delivery>,
    /// Its public copy, if it has one.
    pub publication: Option<Publication>,
    /// What only its kind has.
    pub body: Body,
}

/// The word a public copy puts for what it withholds when `office.yaml` names
/// none.
pub const DEFAULT_REDACTED: &str = "[REDACTED]";

/// The paths of the case fields a public copy may withhold by name, in the order
/// messages list them.
pub const WITHHELD_FIELDS: &[&str] = &[
    "controller.contact",
    "controller.address",
    "controller.email",
    "controller.their_reference",
    "officer.name",
    "officer.phone",
    "officer.email",
    "contact",
    "to",
    "cc",
    "complaint.complainant.name",
    "breach.incidents.their_reference",
];

/// A letter's public copy: when it is published, and what it withholds.
#[derive(Debug, Clone)]
pub struct Publication {
    /// The day it is published.
    pub date: NaiveDate,
    /// What it withholds, each string where the case file asks for it.
    pub withheld: Vec<Withheld>,
    /// Where `publication` is written (bytes of the case's source).
    pub span: std::ops::Range<usize>,
}

/// One thing a public copy withholds: the forms it is sought in, and why.
#[derive(Debug, Clone)]
pub struct Withheld {
    /// Every form of it a letter may print, longest first: a string alone, a
    /// name's every form ([`crate::names::forms`]).
    pub forms: Vec<String>,
    /// Whether it is a person's name (whose one-word forms count only when
    /// written with a capital, as a name is).
    pub name: bool,
    /// Why it is withheld, and what it is, in words that hold none of it.
    pub reason: Reason,
    /// Where the case file withholds it, or names the person (bytes of the
    /// case's source).
    pub span: std::ops::Range<usize>,
}

/// How a letter reaches the controller.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    serde::Serialize,
    schemars::JsonSchema,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Delivery {
    /// "By email only to: ..."
    Email,
    /// By post to the address.
    Post,
}

/// Whether `text` holds RFC 2047 encoded-word syntax: `=?`, later followed by
/// `?=`. A mail client decodes such a word in a header (`=?utf-8?B?...?=` in a
/// name) into text the letter never showed, so no value of a case may hold one.
pub fn has_encoded_word(text: &str) -> bool {
    text.find("=?")
        .is_some_and(|start| text[start + 2..].contains("?="))
}

/// Loads and validates one case file.
///
/// `name` is how the file is named in diagnostics. Every problem found is returned,
/// in file order; a placeholder left from `casewright new` is one.
pub fn load(name: &str, bytes: &[u8], vocabulary: &Vocabulary) -> Result<Case, Vec<Diagnostic>> {
    placeholder::mark(name, bytes, load_values(name, bytes, vocabulary))
}

fn load_values(name: &str, bytes: &[u8], vocabulary: &Vocabulary) -> Result<Case, Vec<Diagnostic>> {
    let (source, raw, mut found) = yaml::parse(name, bytes)?;
    match validate::validate(source, raw, vocabulary) {
        Ok(case) if found.is_empty() => Ok(case),
        Ok(_) => Err(found),
        Err(more) => {
            found.extend(more);
            found.sort_by_key(|d| d.span.start);
            Err(found)
        }
    }
}

#[cfg(test)]
mod tests;
