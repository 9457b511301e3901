//! The `letter-templates/` folder, read once: everything a regulator adopts
//! casewright by editing, from its name and address to each letter's wording.
//!
//! | file | what |
//! | --- | --- |
//! | `office.yaml` | the office: name, addresses, links, per-kind subject and style, attachments |
//! | `provisions.yaml` | legal provisions a reprimand can cite, by key |
//! | `categories.yaml` | categories of personal data, by key |
//! | `regimes.yaml` | how each legal regime is named, and the power each kind of letter is issued under |
//! | `bank-holidays.yaml` | bank holidays per nation |
//! | `<kind>.md.tera`, `partials/`, `paragraphs/`, `attachments/` | the letters' Markdown |
//! | `layout.typ`, `fonts/` | the page design (read by [`crate::typeset`]) |

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::case::{BankHolidays, InForce, Regime, Regimes, first_overlap};
use crate::case::{Catalogue, CatalogueEntry, LetterKind, RegimeWording, Vocabulary};
use crate::diag::{Diagnostic, Source};

mod dated;
mod page;
pub use dated::{Dated, Version, paragraph_variant};
pub use page::{Logo, Post, Window};

/// The issuing office, from `office.yaml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Office {
    /// Full name ("Information Commissioner's Office").
    pub name: Dated<String>,
    /// Short name used in running text.
    pub short_name: Dated<String>,
    /// A line under the name on the letterhead.
    #[serde(default)]
    pub strapline: Option<Dated<String>>,
    /// Postal address lines.
    pub address: Dated<Vec<String>>,
    /// Main phone number.
    pub phone: Dated<String>,
    /// Website as shown ("ico.org.uk").
    pub website: Dated<String>,
    /// The casework mailbox letters are sent from and replies go to.
    pub email: Dated<String>,
    /// The display name of the casework mailbox.
    pub email_name: Dated<String>,
    /// Links the templates cite, by name.
    #[serde(default)]
    pub links: BTreeMap<String, Dated<String>>,
    /// The laws the office names as those it is subject to, as they stood on
    /// each date (a letter's footer names them).
    #[serde(default)]
    pub laws: Option<Dated<String>>,
    /// Labels the page layout prints.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Per letter kind: its style, PDF title and email subject.
    pub kinds: BTreeMap<String, KindSettings>,
    /// Standard attachments a letter may ask for, by key.
    #[serde(default)]
    pub attachments: BTreeMap<String, Attachment>,
    /// A letter longer than this many pages is an error, not a hang.
    #[serde(default = "default_max_pages")]
    pub max_pages: usize,
    /// A letter still being typeset after this many seconds stops the run with an
    /// error, rather than let a looping `layout.typ` run for ever.
    #[serde(default = "default_max_typeset_seconds")]
    pub max_typeset_seconds: std::num::NonZeroU64,
    /// A letter whose typesetting needs more memory than this many MiB stops the
    /// run with an error, rather than let a runaway `layout.typ` abort it.
    #[serde(default = "default_max_typeset_memory_mib")]
    pub max_typeset_memory_mib: std::num::NonZeroU64,
    /// The time zone case times are in unless written with an offset, by its
    /// IANA name ("Europe/London", the default).
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
    /// The PDF standards every PDF is exported to and checked against: PDF/UA-1
    /// and PDF/A-2a unless `office.yaml` says otherwise.
    #[serde(default)]
    pub pdf: crate::typeset::PdfSettings,
    /// The logo on the letterhead, if any.
    #[serde(default)]
    pub logo: Option<Logo>,
    /// Where a posted letter's address goes: an envelope's window.
    #[serde(default)]
    pub post: Post,
    /// The word a public copy puts for each thing it withholds.
    #[serde(default = "default_redacted")]
    pub redacted: String,
    /// What loading does with an invisible or direction character in a case
    /// that has a public copy: refuse it (the default) or remove it from the
    /// public copy, with a warning.
    #[serde(default)]
    pub invisible_characters: crate::case::Invisible,
}

fn default_redacted() -> String {
    crate::case::DEFAULT_REDACTED.to_owned()
}

/// The office's words as they stood on one date: each value of [`Office`] that
/// may change over time, in the version in force then.
#[derive(Debug, Clone, PartialEq)]
pub struct OfficeWords {
    /// Full name.
    pub name: String,
    /// Short name used in running text.
    pub short_name: String,
    /// A line under the name on the letterhead.
    pub strapline: Option<String>,
    /// Postal address lines.
    pub address: Vec<String>,
    /// Main phone number.
    pub phone: String,
    /// Website as shown.
    pub website: String,
    /// The casework mailbox.
    pub email: String,
    /// The display name of the casework mailbox.
    pub email_name: String,
    /// Links the templates cite, by name.
    pub links: BTreeMap<String, String>,
    /// The laws the office names as those it is subject to.
    pub laws: Option<String>,
}

/// The days each version of a value is in force, and where it is written (line
/// and column; `(0, 0)` for a plain value).
pub type VersionSpans = Vec<(InForce, (usize, usize))>;

impl Office {
    /// Every value that may be given in versions: its key as `office.yaml`
    /// writes it (`links.security`), and its versions' days and places.
    pub fn dated(&self) -> Vec<(String, VersionSpans)> {
        fn spans<T>(dated: &Dated<T>) -> VersionSpans {
            dated.versions.iter().map(|v| (v.in_force, v.at)).collect()
        }
        let mut all = vec![
            ("name".to_owned(), spans(&self.name)),
            ("short_name".to_owned(), spans(&self.short_name)),
            ("address".to_owned(), spans(&self.address)),
            ("phone".to_owned(), spans(&self.phone)),
            ("website".to_owned(), spans(&self.website)),
            ("email".to_owned(), spans(&self.email)),
            ("email_name".to_owned(), spans(&self.email_name)),
        ];
        if let Some(strapline) = &self.strapline {
            all.push(("strapline".to_owned(), spans(strapline)));
        }
        if let Some(laws) = &self.laws {
            all.push(("laws".to_owned(), spans(laws)));
        }
        for (name, link) in &self.links {
            all.push((format!("links.{name}"), spans(link)));
        }
        all
    }

    /// The office's words in force on `date`, or the key of the first value
    /// with no version in force then.
    pub fn on(&self, date: NaiveDate) -> Result<OfficeWords, String> {
        fn pick<T: Clone>(dated: &Dated<T>, key: &str, date: NaiveDate) -> Result<T, String> {
            dated.on(date).cloned().ok_or_else(|| key.to_owned())
        }
        let optional = |dated: &Option<Dated<String>>, key: &str| {
            dated
                .as_ref()
                .map(|dated| pick(dated, key, date))
                .transpose()
        };
        Ok(OfficeWords {
            name: pick(&self.name, "name", date)?,
            short_name: pick(&self.short_name, "short_name", date)?,
            strapline: optional(&self.strapline, "strapline")?,
            address: pick(&self.address, "address", date)?,
            phone: pick(&self.phone, "phone", date)?,
            website: pick(&self.website, "website", date)?,
            email: pick(&self.email, "email", date)?,
            email_name: pick(&self.email_name, "email_name", date)?,
            links: self
                .links
                .iter()
                .map(|(name, link)| Ok((name.clone(), pick(link, &format!("links.{name}"), date)?)))
                .collect::<Result<_, String>>()?,
            laws: optional(&self.laws, "laws")?,
        })
    }
}

fn default_max_pages() -> usize {
    12
}

fn default_time_zone() -> String {
    crate::case::DEFAULT_TIME_ZONE.name().to_owned()
}

fn default_max_typeset_seconds() -> std::num::NonZeroU64 {
    std::num::NonZeroU64::new(30).unwrap_or(std::num::NonZeroU64::MIN)
}

fn default_max_typeset_memory_mib() -> std::num::NonZeroU64 {
    std::num::NonZeroU64::new(1024).unwrap_or(std::num::NonZeroU64::MIN)
}

/// How one kind of letter is presented.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindSettings {
    /// `letter` (formal, with an addressee block) or `email`.
    pub style: Style,
    /// The document title, a Tera template ("Reprimand: {{ case.reference }}").
    pub title: String,
    /// The email subject, a Tera template that must name the case reference.
    pub subject: String,
    /// Whether a letter of this kind sent by post still gets an email draft: for a
    /// formal letter, its covering email (whose template can say the letter was
    /// posted, as `letter.delivery` is `post`). Without it a posted letter gets no
    /// `.eml`, so no draft says "please find attached" of a letter in the post.
    #[serde(default)]
    pub cover_posted: bool,
    /// Whether a letter of this kind is addressed to someone (the default). A
    /// document addressed to no one, such as a notice for publication, has no
    /// address block or email header in its PDF, and its title is set as a
    /// notice's.
    #[serde(default = "yes")]
    pub addressed: bool,
}

/// The default of a setting that is on unless turned off.
fn yes() -> bool {
    true
}

/// The presentation of a letter.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Style {
    /// A formal letter on letterhead, sent as a PDF attachment.
    Letter,
    /// An email, with the PDF as its printable record.
    Email,
}

/// A standard attachment.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// Its title.
    pub title: String,
    /// The Markdown template it is typeset from, relative to `letter-templates/`.
    pub template: String,
    /// The attached file's name.
    pub file_name: String,
}

/// A legal provision a reprimand can cite.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provision {
    /// The regime it belongs to.
    pub regime: Regime,
    /// How the letter names it (its article or section, and the law).
    pub title: String,
    /// The name of the principle it sets out, if it has one ("the sixth data protection principle").
    #[serde(default)]
    pub name: Option<String>,
    /// What it says, as the letter paraphrases it ("which states that ...").
    pub text: String,
    /// The provisions of other regimes that require the same (`dpa2018-s40` for
    /// `uk-gdpr-art5-1-f`), suggested when a case cites this one under the wrong
    /// regime. Listed once, on either side: the relation goes both ways.
    #[serde(default)]
    pub counterparts: Vec<String>,
    /// Each duty the provision imposes, as a short phrase its `text` states in
    /// those words ("within one month of receipt of the request"): a summary
    /// may be short, but never leave one out, which a test holds.
    #[serde(default)]
    pub duties: Vec<String>,
}

/// A category of personal data.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Its name in running text ("health data").
    pub name: String,
    /// Whether it is special category or criminal offence data.
    #[serde(default)]
    pub special: bool,
}

/// Everything in `letter-templates/` except what the typesetter reads.
#[derive(Debug)]
pub struct Templates {
    /// The folder they were read from.
    pub dir: PathBuf,
    /// The office.
    pub office: Office,
    /// Provisions by key.
    pub provisions: BTreeMap<String, Provision>,
    /// Categories by key.
    pub categories: BTreeMap<String, Category>,
    /// Each regime's names, dates and powers, oldest first.
    pub regimes: Arc<Regimes>,
    /// Bank holidays.
    pub holidays: BankHolidays,
    /// The office's time zone (`time_zone` in `office.yaml`).
    pub time_zone: Tz,
    /// Tera template sources by name (relative path with `/`), for the renderer and for diagnostics.
    pub sources: BTreeMap<String, Source>,
    /// Standard paragraphs by key: each variant's days and template name.
    pub paragraphs: BTreeMap<String, Vec<(InForce, String)>>,
}

impl Templates {
    /// Reads and checks the folder. Every problem found is returned; a folder that
    /// is not there at all is one problem, not one per file it should hold.
    // Long because it reads every file of the folder and gathers every problem
    // before giving up: one pass, in the order a reader of the folder expects.
    pub fn load(dir: &Path) -> Result<Templates, Vec<Diagnostic>> {
        if let Some(missing) = missing_folder(dir) {
            return Err(vec![missing]);
        }
        let mut errors = Vec::new();
        let office: Option<Office> = read_yaml(dir, "office.yaml", &mut errors);
        let provisions: Option<BTreeMap<String, Provision>> =
            read_yaml(dir, "provisions.yaml", &mut errors);
        let categories = read_yaml(dir, "categories.yaml", &mut errors);
        let regimes: Option<BTreeMap<Regime, RegimeWording>> =
            read_yaml(dir, "regimes.yaml", &mut errors);
        let holidays = read_source(dir, "bank-holidays.yaml", &mut errors).and_then(|source| {
            BankHolidays::from_yaml(&source.text)
                .map_err(|e| errors.push(yaml_diagnostic(&source, &e)))
                .ok()
        });
        let sources = read_tera_sources(dir, &mut errors);
        let paragraphs = paragraph_variants(dir, &sources, &mut errors);
        let time_zone = office
            .as_ref()
            .and_then(|office| time_zone(dir, &office.time_zone, &mut errors));
        if let Some(office) = &office {
            if let Err(why) = office.pdf.standards() {
                errors.push(
                    Diagnostic::error(
                        "pdf-standards",
                        format!(
                            "office.yaml: the PDF standards under `pdf:` cannot be combined ({why})"
                        ),
                    )
                    .in_file(&Source::new(display(dir, "office.yaml"), ""))
                    .note(
                        "PDF/UA-1 needs PDF 1.7: choose a-2a, a-2u, a-2b, a-3a, a-3u, a-3b or none",
                    ),
                );
            }
            page::check(dir, office, &mut errors);
            check_versions(dir, office, &mut errors);
            check_header_values(dir, office, &mut errors);
            for kind in LetterKind::ALL {
                if !office.kinds.contains_key(kind.key()) {
                    errors.push(
                        Diagnostic::error(
                            "template-missing",
                            format!(
                                "office.yaml has no settings for letters of kind {}",
                                kind.key()
                            ),
                        )
                        .in_file(&Source::new(display(dir, "office.yaml"), ""))
                        .note("add it under `kinds:` with its style, title and subject"),
                    );
                }
                let name = format!("{}.md.tera", kind.key());
                if !sources.contains_key(&name) {
                    errors.push(Diagnostic::error(
                        "template-missing",
                        format!("{} is missing", display(dir, &name)),
                    ));
                }
            }
            for (key, attachment) in &office.attachments {
                if !sources.contains_key(&attachment.template) {
                    errors.push(Diagnostic::error(
                        "template-missing",
                        format!(
                            "attachment `{key}` names {}, which is missing",
                            attachment.template
                        ),
                    ));
                }
            }
        }
        if let Some(provisions) = &provisions {
            check_counterparts(dir, provisions, &mut errors);
        }
        let regimes = regimes.and_then(|regimes| checked_regimes(dir, regimes, &mut errors));
        if let (Some(provisions), Some(regimes)) = (&provisions, &regimes) {
            check_provision_regimes(dir, provisions, regimes, &mut errors);
        }
        match (office, provisions, categories, regimes, holidays, time_zone) {
            (
                Some(office),
                Some(provisions),
                Some(categories),
                Some(regimes),
                Some(holidays),
                Some(time_zone),
            ) if errors.is_empty() => Ok(Templates {
                dir: dir.to_path_buf(),
                office,
                provisions,
                categories,
                regimes: Arc::new(regimes),
                holidays,
                time_zone,
                sources,
                paragraphs,
            }),
            _ => Err(errors),
        }
    }

    /// The keys case files may use.
    pub fn vocabulary(&self) -> Vocabulary {
        Vocabulary {
            provisions: self
                .provisions
                .iter()
                .map(|(k, p)| (k.clone(), p.regime.clone()))
                .collect(),
            categories: self.categories.keys().cloned().collect(),
            paragraphs: self.paragraphs.keys().cloned().collect(),
            paragraph_versions: self
                .paragraphs
                .iter()
                .map(|(key, variants)| (key.clone(), variants.iter().map(|v| v.0).collect()))
                .collect(),
            office_versions: self
                .office
                .dated()
                .into_iter()
                .map(|(key, versions)| (key, versions.into_iter().map(|v| v.0).collect()))
                .collect(),
            attachments: self.office.attachments.keys().cloned().collect(),
            holidays: std::sync::Arc::new(self.holidays.clone()),
            catalogue: std::sync::Arc::new(catalogue(&self.provisions)),
            regimes: Arc::clone(&self.regimes),
            time_zone: self.time_zone,
            redacted: self.office.redacted.clone(),
            invisible: self.office.invisible_characters,
        }
    }

    /// The template of the standard paragraph `key` in force on `date`, if any.
    pub fn paragraph(&self, key: &str, date: NaiveDate) -> Option<&str> {
        let variants = self.paragraphs.get(key)?;
        let days: Vec<InForce> = variants.iter().map(|v| v.0).collect();
        crate::case::in_force_on(&days, date).map(|i| variants[i].1.as_str())
    }

    /// The settings of a kind of letter (present: checked at load).
    pub fn kind(&self, kind: LetterKind) -> &KindSettings {
        &self.office.kinds[kind.key()]
    }
}

/// The standard paragraphs by key, from `paragraphs/<key>.md.tera` and its
/// dated variants `paragraphs/<key>@<from>..<until>.md.tera`, which must not
/// overlap.
fn paragraph_variants(
    dir: &Path,
    sources: &BTreeMap<String, Source>,
    errors: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Vec<(InForce, String)>> {
    let mut paragraphs: BTreeMap<String, Vec<(InForce, String)>> = BTreeMap::new();
    for name in sources.keys() {
        let Some(stem) = name
            .strip_prefix("paragraphs/")
            .and_then(|n| n.strip_suffix(".md.tera"))
        else {
            continue;
        };
        match paragraph_variant(stem) {
            Ok((key, days)) => paragraphs
                .entry(key.to_owned())
                .or_default()
                .push((days, name.clone())),
            Err(why) => errors.push(
                Diagnostic::error(
                    "template-error",
                    format!("{}: the paragraph's dates cannot be read: {why}", display(dir, name)),
                )
                .note("name a dated variant `<key>@<from>..<until>.md.tera`, dates YYYY-MM-DD, either end left out when open"),
            ),
        }
    }
    for (key, variants) in &paragraphs {
        let days: Vec<InForce> = variants.iter().map(|v| v.0).collect();
        if let Some((first, second)) = first_overlap(&days) {
            errors.push(
                Diagnostic::error(
                    "template-error",
                    format!(
                        "{} and {} are both in force on some day: the versions of paragraph `{key}` overlap",
                        display(dir, &variants[first].1),
                        display(dir, &variants[second].1)
                    ),
                )
                .note("end one version the day before the next starts (both dates are inclusive)"),
            );
        }
    }
    paragraphs
}

/// The versions of each value of `office.yaml` must not overlap: on any date at
/// most one is in force.
fn check_versions(dir: &Path, office: &Office, errors: &mut Vec<Diagnostic>) {
    let text = std::fs::read_to_string(dir.join("office.yaml")).unwrap_or_default();
    let source = Source::new(display(dir, "office.yaml"), text);
    for (key, versions) in office.dated() {
        let days: Vec<InForce> = versions.iter().map(|v| v.0).collect();
        for (index, version) in days.iter().enumerate() {
            if version.is_empty() {
                let (line, column) = versions[index].1;
                let start = source.offset(line, column);
                errors.push(
                    Diagnostic::error(
                        "template-error",
                        format!("office.yaml: a version of `{key}` ends before it starts"),
                    )
                    .at(&source, start..start + 1, "`until` is before `from`"),
                );
            }
        }
        if let Some((first, second)) = first_overlap(&days) {
            let (line, column) = versions[second].1;
            let start = source.offset(line, column);
            errors.push(
                Diagnostic::error(
                    "template-error",
                    format!(
                        "office.yaml: the versions of `{key}` overlap: the one at line {} and the one at line {line} are both in force on some day",
                        versions[first].1.0
                    ),
                )
                .at(&source, start..start + 1, "overlaps an earlier version")
                .note("end one version the day before the next starts (both `from` and `until` are inclusive)"),
            );
        }
    }
}

/// The office's values that go into an email's headers (its name, email
/// address and the sender's display name) may not hold RFC 2047 encoded-word
/// syntax, which a mail client would decode into a name the office never wrote.
fn check_header_values(dir: &Path, office: &Office, errors: &mut Vec<Diagnostic>) {
    let text = std::fs::read_to_string(dir.join("office.yaml")).unwrap_or_default();
    let source = Source::new(display(dir, "office.yaml"), text);
    for (key, dated) in [
        ("name", &office.name),
        ("email", &office.email),
        ("email_name", &office.email_name),
    ] {
        for version in &dated.versions {
            if !crate::case::has_encoded_word(&version.value) {
                continue;
            }
            let start = match version.at {
                (0, 0) => source.text.find(version.value.as_str()).unwrap_or(0),
                (line, column) => source.offset(line, column),
            };
            errors.push(
                Diagnostic::error(
                    "encoded-word",
                    format!("office.yaml: `{key}` holds encoded-word syntax (`=?...?=`)"),
                )
                .at(
                    &source,
                    start..start + 1,
                    "a mail client would decode this into other text",
                )
                .note("write the value as it should read: casewright encodes headers itself"),
            );
        }
    }
}

/// The office's time zone, by its IANA name.
fn time_zone(dir: &Path, name: &str, errors: &mut Vec<Diagnostic>) -> Option<Tz> {
    match name.parse::<Tz>() {
        Ok(zone) => Some(zone),
        Err(_) => {
            let near =
                crate::diag::did_you_mean(name, chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()));
            errors.push(
                Diagnostic::error(
                    "template-error",
                    format!("office.yaml: `time_zone` is not a time zone: `{name}`"),
                )
                .in_file(&Source::new(display(dir, "office.yaml"), ""))
                .note(match near {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => "name a zone of the IANA database, such as Europe/London".to_owned(),
                }),
            );
            None
        }
    }
}

/// The provisions as the validator needs them: titles and counterparts.
fn catalogue(provisions: &BTreeMap<String, Provision>) -> Catalogue {
    Catalogue::new(
        provisions
            .iter()
            .map(|(key, p)| {
                let entry = CatalogueEntry {
                    regime: p.regime.clone(),
                    title: p.title.clone(),
                    name: p.name.clone(),
                    counterparts: p.counterparts.clone(),
                };
                (key.clone(), entry)
            })
            .collect(),
    )
}

/// The regimes of `regimes.yaml`, if they give every date one regime for each
/// kind of processing (see [`Regimes::new`]).
fn checked_regimes(
    dir: &Path,
    regimes: BTreeMap<Regime, RegimeWording>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Regimes> {
    Regimes::new(regimes)
        .map_err(|problems| {
            errors.extend(problems.into_iter().map(|problem| {
                Diagnostic::error("template-error", format!("regimes.yaml: {problem}"))
                    .in_file(&Source::new(display(dir, "regimes.yaml"), ""))
                    .note("each kind of processing needs one regime for every date")
            }));
        })
        .ok()
}

/// Every provision's regime must be one `regimes.yaml` names.
fn check_provision_regimes(
    dir: &Path,
    provisions: &BTreeMap<String, Provision>,
    regimes: &Regimes,
    errors: &mut Vec<Diagnostic>,
) {
    for (key, provision) in provisions {
        if regimes.get(provision.regime.key()).is_none() {
            errors.push(
                Diagnostic::error(
                    "template-error",
                    format!(
                        "provision `{key}` is of the regime `{}`, which regimes.yaml does not name",
                        provision.regime
                    ),
                )
                .in_file(&Source::new(display(dir, "provisions.yaml"), ""))
                .note(format!(
                    "the regimes are: {}",
                    regimes.keys().collect::<Vec<_>>().join(", ")
                )),
            );
        }
    }
}

/// A counterpart must be a provision, of another regime.
fn check_counterparts(
    dir: &Path,
    provisions: &BTreeMap<String, Provision>,
    errors: &mut Vec<Diagnostic>,
) {
    for (key, provision) in provisions {
        for other in &provision.counterparts {
            let problem = match provisions.get(other) {
                None => "which is not a provision here",
                Some(found) if found.regime == provision.regime => {
                    "which is of the same regime: a counterpart is another regime's provision"
                }
                Some(_) => continue,
            };
            errors.push(
                Diagnostic::error(
                    "template-error",
                    format!("provision `{key}` names `{other}` as a counterpart, {problem}"),
                )
                .in_file(&Source::new(display(dir, "provisions.yaml"), "")),
            );
        }
    }
}

/// The one error for a templates folder that does not exist (or is not a folder):
/// usually casewright was run from the wrong folder.
pub fn missing_folder(dir: &Path) -> Option<Diagnostic> {
    let shown = dir.display().to_string();
    let shown = shown.trim_end_matches(['/', '\\']);
    let message = match std::fs::metadata(dir) {
        Ok(metadata) if metadata.is_dir() => return None,
        Ok(_) => format!("`{shown}` is not a folder"),
        Err(_) if dir.is_relative() => format!("no `{shown}/` here"),
        Err(_) => format!("no templates folder at `{shown}`"),
    };
    let note = if dir.is_relative() {
        "run casewright from the folder that holds it, or pass `--templates`"
    } else {
        "pass `--templates` the folder that holds office.yaml and the letter templates"
    };
    Some(Diagnostic::error(
        "no-templates",
        format!("{message}: {note}"),
    ))
}

/// How a template file is named in messages: relative to where the user runs casewright.
pub fn display(dir: &Path, name: &str) -> String {
    dir.join(name).display().to_string()
}

fn read_source(dir: &Path, name: &str, errors: &mut Vec<Diagnostic>) -> Option<Source> {
    let path = dir.join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(Source::new(display(dir, name), text)),
        Err(error) => {
            errors.push(Diagnostic::error(
                "template-missing",
                format!("failed to read {} ({error})", path.display()),
            ));
            None
        }
    }
}

fn read_yaml<T: serde::de::DeserializeOwned>(
    dir: &Path,
    name: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<T> {
    let source = read_source(dir, name, errors)?;
    match serde_saphyr::from_str::<T>(&source.text) {
        Ok(value) => Some(value),
        Err(error) => {
            errors.push(yaml_diagnostic(&source, &error));
            None
        }
    }
}

fn yaml_diagnostic(source: &Source, error: &serde_saphyr::Error) -> Diagnostic {
    let message = error
        .without_snippet()
        .render_with_options(serde_saphyr::render_options! {
            snippets: serde_saphyr::SnippetMode::Off,
        });
    let message = message.lines().next().unwrap_or_default();
    let message = message.rsplit_once(" at line ").map_or(message, |(m, _)| m);
    let span = error.location().map_or(0..0, |at| {
        let start = source.offset(at.line() as usize, at.column() as usize);
        start..start + 1
    });
    Diagnostic::error(
        "template-error",
        format!("invalid template data: {message}"),
    )
    .at(source, span, "here")
}

/// Reads every `*.tera` file under the folder, named by its relative path.
fn read_tera_sources(dir: &Path, errors: &mut Vec<Diagnostic>) -> BTreeMap<String, Source> {
    let mut sources = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                errors.push(Diagnostic::error(
                    "template-missing",
                    format!("failed to read the template folder ({error})"),
                ));
                continue;
            }
        };
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "tera") {
            continue;
        }
        let Ok(relative) = path.strip_prefix(dir) else {
            continue;
        };
        let name = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if let Some(source) = read_source(dir, &name, errors) {
            sources.insert(name, source);
        }
    }
    sources
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A style's one key table is strum's; serde writes the same keys.
    #[test]
    fn style_keys_are_serde_names() {
        for &style in <Style as strum::VariantArray>::VARIANTS {
            let key: &str = style.into();
            assert_eq!(
                serde_json::to_value(style).ok(),
                Some(serde_json::json!(key))
            );
        }
    }

    fn provision(regime: Regime, counterparts: &[&str]) -> Provision {
        Provision {
            regime,
            title: String::new(),
            name: None,
            text: String::new(),
            counterparts: counterparts.iter().map(|c| c.to_string()).collect(),
            duties: Vec::new(),
        }
    }

    /// Every duty `provisions.yaml` lists for a shipped provision is stated, in
    /// its words, by the text a letter prints for it; the provisions a
    /// reprimand most often rests on list theirs.
    #[test]
    fn every_shipped_provision_text_states_each_of_its_duties() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("letter-templates");
        let templates = Templates::load(&dir).expect("the shipped templates load");
        let squash = |t: &str| {
            t.to_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        for (key, provision) in &templates.provisions {
            let text = squash(&provision.text);
            for duty in &provision.duties {
                assert!(text.contains(&squash(duty)), "{key} leaves out: {duty}");
            }
        }
        for key in [
            "uk-gdpr-art12-3",
            "uk-gdpr-art15-3",
            "dpa2018-s38-3",
            "dpa2018-s57-1",
        ] {
            assert!(
                !templates.provisions[key].duties.is_empty(),
                "{key} lists its duties"
            );
        }
    }

    /// Over the whole shipped catalogue: a key taken out is never replaced by a
    /// suggestion of another article or section.
    #[test]
    fn the_shipped_catalogue_never_suggests_another_principle() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("letter-templates");
        let templates = Templates::load(&dir).expect("the shipped templates load");
        assert!(
            templates.provisions.len() >= 100,
            "{}",
            templates.provisions.len()
        );
        for key in templates.provisions.keys() {
            let mut others = templates.provisions.clone();
            let cited = crate::case::citation(&others.remove(key).expect("key").title).to_owned();
            let without = catalogue(&others);
            for typed in [key.clone(), key.replace('-', ""), key.to_uppercase()] {
                for found in without.suggest(&typed) {
                    let title = &templates.provisions[found].title;
                    let found_cites = crate::case::citation(title);
                    // The same article or section: the citation, a point of it
                    // (32(1)(b) for 32(1)) or another subsection (38(3) for 38(1)).
                    let division = |c: &str| c.split('(').next().unwrap_or_default().to_owned();
                    assert!(
                        division(found_cites) == division(&cited),
                        "{typed} → {found}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_counterpart_must_be_another_regimes_provision() {
        let provisions: BTreeMap<String, Provision> = [
            (
                "uk",
                provision(Regime::new("uk-gdpr"), &["gdpr", "missing", "uk-too"]),
            ),
            ("gdpr", provision(Regime::new("gdpr"), &[])),
            ("uk-too", provision(Regime::new("uk-gdpr"), &[])),
        ]
        .into_iter()
        .map(|(k, p)| (k.to_owned(), p))
        .collect();
        let mut errors = Vec::new();
        check_counterparts(Path::new("t"), &provisions, &mut errors);
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "provision `uk` names `missing` as a counterpart, which is not a provision here",
                "provision `uk` names `uk-too` as a counterpart, which is of the same regime: a counterpart is another regime's provision",
            ]
        );
    }
}
