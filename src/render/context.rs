//! [`LetterContext`]: the only thing a letter template sees.
//!
//! Every string in it is Markdown. Plain values from the case file are escaped here,
//! once, so a template cannot forget to; Markdown fields pass as written. Dates are
//! ISO strings for the `long_date` and `weekday_date` filters; counts are numbers.

use serde::Serialize;

use crate::case::Regime;
use crate::case::{Case, Letter, Markdown, Matter, Officer};
use crate::derive::{Facts, addressee};
use crate::escape;
use crate::kinds::View;
use crate::templates::{OfficeWords, Style, Templates};

/// Escapes a plain value for Markdown.
fn md(text: &str) -> String {
    escape::markdown(text)
}

fn md_opt(text: &Option<String>) -> Option<String> {
    text.as_deref().map(md)
}

fn raw(text: &Markdown) -> String {
    text.0.clone()
}

/// What a letter template sees.
#[derive(Debug, Serialize)]
pub struct LetterContext {
    /// The issuing office (from `office.yaml`).
    pub office: OfficeContext,
    /// The case as a whole.
    pub case: CaseContext,
    /// What the case is about: its `type` (`breach`, `investigation`,
    /// `complaint`) and that type's facts.
    pub matter: MatterContext,
    /// The law the matter falls under, and the incidents it joins.
    pub law: LawContext,
    /// This letter.
    pub letter: LetterFields,
}

/// The office, escaped; links are the office's own and pass as written.
#[derive(Debug, Serialize)]
pub struct OfficeContext {
    name: String,
    short_name: String,
    strapline: Option<String>,
    address: Vec<String>,
    phone: String,
    website: String,
    email: String,
    email_name: String,
    links: std::collections::BTreeMap<String, String>,
    /// The laws the office names as those it is subject to, on the letter's date.
    laws: Option<String>,
    /// The labels of `office.yaml`, by name (`schedule`: the title of the
    /// schedule of incidents).
    labels: std::collections::BTreeMap<String, String>,
}

/// The case.
#[derive(Debug, Serialize)]
pub struct CaseContext {
    reference: String,
    controller: ControllerContext,
    processing: &'static str,
}

#[derive(Debug, Serialize)]
struct ControllerContext {
    name: String,
    short_name: Option<String>,
    /// The short name if given, else the full name: for running text.
    display: String,
    address: Vec<String>,
    email: String,
    their_reference: Option<String>,
}

/// The matter, tagged with its type so templates can branch on `matter.type`.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum MatterContext {
    /// A breach.
    Breach(BreachContext),
    /// An investigation.
    Investigation(InvestigationContext),
    /// A complaint.
    Complaint(ComplaintContext),
}

/// The breach.
#[derive(Debug, Serialize)]
pub struct BreachContext {
    occurred: String,
    discovered: String,
    reported: String,
    follow_ups: Vec<String>,
    summary: Option<String>,
    data_subjects: Option<u64>,
    records: Option<u64>,
    categories: Vec<CategoryContext>,
    cyber: bool,
    /// Within how many hours the law in force when the controller became aware of
    /// the breach required its report; absent if that law set no limit.
    report_within_hours: Option<u32>,
    late: bool,
}

/// The investigation.
#[derive(Debug, Serialize)]
pub struct InvestigationContext {
    opened: String,
    from: String,
    until: String,
    summary: String,
}

/// The complaint. The complainant is named only when the case allows it.
#[derive(Debug, Serialize)]
pub struct ComplaintContext {
    received: String,
    summary: String,
    complainant: Option<String>,
}

/// The law of the matter.
#[derive(Debug, Serialize)]
pub struct LawContext {
    incidents: Vec<IncidentContext>,
    /// Incidents under a regime that gives no power for this kind of letter.
    excluded: Vec<IncidentContext>,
    /// Each regime the incidents fall under, oldest first, with its count and wording.
    regimes: Vec<RegimeContext>,
    /// The regimes that give a power for this kind of letter.
    empowered: Vec<RegimeContext>,
    /// The regimes that give none: the law of the excluded incidents.
    unempowered: Vec<RegimeContext>,
}

#[derive(Debug, Serialize)]
struct CategoryContext {
    key: String,
    name: String,
    special: bool,
}

/// One incident of the case, as the schedule of incidents lists it.
#[derive(Debug, Clone, Serialize)]
struct IncidentContext {
    /// Its number in the schedule, from 1, oldest first.
    number: usize,
    reference: String,
    their_reference: Option<String>,
    date: String,
    regime: Regime,
    /// Whether its regime gives the power this kind of letter is issued under
    /// (`RegimeWording::power`): an incident under a law that gives no power to
    /// reprimand is not covered by a reprimand. Always true for a kind issued
    /// under no power.
    covered: bool,
}

/// A regime the matter's dates fall under, as `regimes.yaml` words it.
#[derive(Debug, Clone, Serialize)]
struct RegimeContext {
    key: Regime,
    /// How many of the matter's dates fall under it.
    count: usize,
    name: String,
    short: String,
    /// Its name in running text, without the short form ("the Data Protection
    /// Act 1998").
    called: String,
    /// The first and last days it is in force (ISO), if it has them.
    from: Option<String>,
    until: Option<String>,
    power: Option<String>,
}

/// The letter being written: the keys every letter has, then its kind's own.
#[derive(Debug, Serialize)]
pub struct LetterFields {
    kind: &'static str,
    style: Style,
    date: String,
    to: String,
    cc: Vec<String>,
    /// "Ms Morrison" for "Ms E Morrison"; absent when no contact is named.
    addressee: Option<String>,
    /// The whole greeting, when the case sets one ("Dear Chief Constable").
    salutation: Option<String>,
    contact: Option<String>,
    delivery: Option<&'static str>,
    officer: OfficerContext,
    /// Extra standard paragraphs, rendered.
    pub paragraphs: Vec<String>,
    /// In a public copy, the day it is published (ISO); none in the letter itself.
    pub published: Option<String>,
    /// In a letter that has a public copy, what the copy will be: the day it is
    /// published (ISO) and whether it withholds anything; none otherwise.
    publication: Option<PublicationContext>,
    attachments: Vec<AttachmentContext>,
    /// The kind's own parts.
    #[serde(flatten)]
    own: View,
}

#[derive(Debug, Serialize)]
struct PublicationContext {
    date: String,
    withholds: bool,
}

#[derive(Debug, Serialize)]
struct OfficerContext {
    name: String,
    title: String,
    team: Option<String>,
    phone: Option<String>,
    email: Option<String>,
}

#[derive(Debug, Serialize)]
struct AttachmentContext {
    title: String,
    file_name: String,
}

impl LetterContext {
    /// Builds the context of one letter.
    // Long because it is one struct literal: every value a template sees, escaped
    // where it is built.
    pub fn new(
        case: &Case,
        letter: &Letter,
        facts: &Facts,
        templates: &Templates,
        office: &OfficeWords,
    ) -> LetterContext {
        let power = |regime: &Regime| templates.regimes.power(regime, letter.kind);
        let regime_context = |regime: &Regime, count: usize| {
            let wording = templates.regimes.get(regime.key())?;
            Some(RegimeContext {
                key: regime.clone(),
                count,
                name: wording.name.clone(),
                short: wording.short.clone(),
                called: wording.called.clone(),
                from: wording.from.map(|d| d.to_string()),
                until: wording.until.map(|d| d.to_string()),
                power: power(regime).map(str::to_owned),
            })
        };
        let issued_under_power = templates
            .regimes
            .iter()
            .any(|(_, wording)| wording.power(letter.kind).is_some());
        let listed: Vec<(&Regime, IncidentContext)> = facts
            .incidents
            .iter()
            .filter_map(|f| {
                let incident = &case.matter.breach()?.incidents[f.index?];
                let context = IncidentContext {
                    number: 0,
                    covered: !issued_under_power || power(&f.regime).is_some(),
                    reference: md(&incident.reference),
                    their_reference: md_opt(&incident.their_reference),
                    date: f.date.to_string(),
                    regime: f.regime.clone(),
                };
                Some((&f.regime, context))
            })
            .collect();
        let listed: Vec<(&Regime, IncidentContext)> = listed
            .into_iter()
            .enumerate()
            .map(|(i, (regime, incident))| {
                let number = i + 1;
                (regime, IncidentContext { number, ..incident })
            })
            .collect();
        let excluded = listed
            .iter()
            .filter(|(regime, _)| power(regime).is_none())
            .map(|(_, incident)| incident.clone())
            .collect();
        let incidents: Vec<IncidentContext> = listed.into_iter().map(|(_, i)| i).collect();
        let regimes: Vec<RegimeContext> = facts
            .regimes
            .iter()
            .filter_map(|(regime, count)| regime_context(regime, *count))
            .collect();
        let controller = &case.controller;
        LetterContext {
            office: OfficeContext {
                name: md(&office.name),
                short_name: md(&office.short_name),
                strapline: md_opt(&office.strapline),
                address: office.address.iter().map(|l| md(l)).collect(),
                phone: md(&office.phone),
                website: md(&office.website),
                email: md(&office.email),
                email_name: md(&office.email_name),
                links: office.links.clone(),
                laws: md_opt(&office.laws),
                labels: templates
                    .office
                    .labels
                    .iter()
                    .map(|(name, label)| (name.clone(), md(label)))
                    .collect(),
            },
            case: CaseContext {
                reference: md(case.reference.as_str()),
                controller: ControllerContext {
                    name: md(&controller.name),
                    short_name: md_opt(&controller.short_name),
                    display: md(controller.short_name.as_ref().unwrap_or(&controller.name)),
                    address: controller.address.iter().map(|l| md(l)).collect(),
                    email: md(&controller.email),
                    their_reference: md_opt(&controller.their_reference),
                },
                processing: case.processing.into(),
            },
            matter: matter_context(case, facts, templates),
            law: LawContext {
                excluded,
                incidents,
                empowered: regimes
                    .iter()
                    .filter(|r| r.power.is_some())
                    .cloned()
                    .collect(),
                unempowered: regimes
                    .iter()
                    .filter(|r| r.power.is_none())
                    .cloned()
                    .collect(),
                regimes,
            },
            letter: letter_fields(letter, facts, templates),
        }
    }
}

fn matter_context(case: &Case, facts: &Facts, templates: &Templates) -> MatterContext {
    match &case.matter {
        Matter::Breach(breach) => MatterContext::Breach(BreachContext {
            occurred: breach.occurred.to_string(),
            discovered: breach.discovered.date_naive().to_string(),
            reported: breach.reported.date_naive().to_string(),
            follow_ups: breach.follow_ups.iter().map(|d| d.to_string()).collect(),
            summary: breach.summary.as_ref().map(raw),
            data_subjects: breach.data_subjects,
            records: breach.records,
            categories: breach
                .categories
                .iter()
                .map(|key| {
                    let category = &templates.categories[key];
                    CategoryContext {
                        key: key.clone(),
                        name: md(&category.name),
                        special: category.special,
                    }
                })
                .collect(),
            cyber: breach.cyber,
            report_within_hours: facts.report_within_hours,
            late: facts.late,
        }),
        Matter::Investigation(investigation) => {
            MatterContext::Investigation(InvestigationContext {
                opened: investigation.opened.to_string(),
                from: investigation.period.from.to_string(),
                until: investigation.period.until.to_string(),
                summary: raw(&investigation.summary),
            })
        }
        Matter::Complaint(complaint) => MatterContext::Complaint(ComplaintContext {
            received: complaint.received.to_string(),
            summary: raw(&complaint.summary),
            complainant: complaint
                .name_in_letter
                .then(|| md(&complaint.complainant.name)),
        }),
    }
}

fn officer_context(officer: &Officer) -> OfficerContext {
    OfficerContext {
        name: md(&officer.name),
        title: md(&officer.title),
        team: md_opt(&officer.team),
        phone: md_opt(&officer.phone),
        email: md_opt(&officer.email),
    }
}

fn letter_fields(letter: &Letter, facts: &Facts, templates: &Templates) -> LetterFields {
    let style = templates.kind(letter.kind).style;
    LetterFields {
        kind: letter.kind.key(),
        style,
        date: letter.date.to_string(),
        to: md(&letter.to),
        cc: letter.cc.iter().map(|c| md(c)).collect(),
        addressee: letter.contact.as_deref().map(|c| md(&addressee(c))),
        salutation: md_opt(&letter.salutation),
        contact: md_opt(&letter.contact),
        delivery: super::meta::delivery(letter, style).map(Into::into),
        officer: officer_context(&letter.officer),
        paragraphs: Vec::new(),
        published: None,
        publication: letter.publication.as_ref().map(|p| PublicationContext {
            date: p.date.to_string(),
            withholds: !p.withheld.is_empty(),
        }),
        attachments: letter
            .attachments
            .iter()
            .map(|key| {
                let attachment = &templates.office.attachments[key];
                AttachmentContext {
                    title: md(&attachment.title),
                    file_name: md(&attachment.file_name),
                }
            })
            .collect(),
        own: letter.body.view(facts, templates),
    }
}
