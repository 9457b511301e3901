//! [`LetterContext`]: the only thing a letter template sees.
//!
//! Every string in it is Markdown. Plain values from the case file are escaped here,
//! once, so a template cannot forget to; Markdown fields pass as written. Dates are
//! ISO strings for the `long_date` and `weekday_date` filters; counts are numbers.

use serde::Serialize;

use crate::case::{Case, Delivery, Letter, LetterBody, Markdown, Officer};
use crate::convert::escape;
use crate::derive::{Facts, Regime, addressee, join_and, period_words};
use crate::templates::{Style, Templates};

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
    /// The breach and its incidents.
    pub breach: BreachContext,
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
    late: bool,
    incidents: Vec<IncidentContext>,
    /// Incidents under a regime that allows no reprimand.
    excluded: Vec<IncidentContext>,
    /// Each regime the incidents fall under, oldest first, with its count and wording.
    regimes: Vec<RegimeContext>,
    /// The regimes a reprimand is issued under.
    reprimand_regimes: Vec<RegimeContext>,
}

#[derive(Debug, Serialize)]
struct CategoryContext {
    key: String,
    name: String,
    special: bool,
}

#[derive(Debug, Clone, Serialize)]
struct IncidentContext {
    reference: String,
    their_reference: Option<String>,
    date: String,
    regime: &'static str,
}

#[derive(Debug, Clone, Serialize)]
struct RegimeContext {
    key: &'static str,
    count: usize,
    name: String,
    short: String,
    power: Option<String>,
}

/// The letter being written.
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
    attachments: Vec<AttachmentContext>,
    reasons: Vec<String>,
    recommendations: Vec<RecommendationContext>,
    investigation: Option<String>,
    summary: Option<String>,
    findings: Vec<String>,
    mitigation: Vec<String>,
    remedial_action: Option<String>,
    infringements: Vec<ProvisionContext>,
    infringement_summary: Option<String>,
    progress_update: Option<ProgressContext>,
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

#[derive(Debug, Serialize)]
struct RecommendationContext {
    number: usize,
    text: String,
    progress_update: bool,
}

#[derive(Debug, Serialize)]
struct ProvisionContext {
    key: String,
    title: String,
    name: Option<String>,
    text: String,
    regime: &'static str,
}

#[derive(Debug, Serialize)]
struct ProgressContext {
    /// The period in words ("three months", "28 days").
    period: String,
    /// The unit of the period: `days`, `weeks` or `months`.
    unit: &'static str,
    /// The number of units.
    count: u32,
    /// The deadline (ISO).
    due: String,
    /// Whether the deadline was moved to a working day (then name the weekday).
    rolled: bool,
    to: Option<String>,
    /// The numbers of the steps the update covers.
    steps: Vec<usize>,
    /// "1 and 2", "1, 2 and 4", or empty when no step is marked.
    steps_text: String,
}

impl LetterContext {
    /// Builds the context of one letter.
    pub fn new(
        case: &Case,
        letter: &Letter,
        facts: &Facts,
        templates: &Templates,
    ) -> LetterContext {
        let office = &templates.office;
        let regime_context = |regime: Regime, count: usize| {
            let wording = &templates.regimes[regime.key()];
            RegimeContext {
                key: regime.key(),
                count,
                name: wording.name.clone(),
                short: wording.short.clone(),
                power: wording.power.clone(),
            }
        };
        let incidents: Vec<IncidentContext> = facts
            .incidents
            .iter()
            .filter_map(|f| {
                let incident = &case.breach.incidents[f.index?];
                Some(IncidentContext {
                    reference: md(&incident.reference),
                    their_reference: md_opt(&incident.their_reference),
                    date: f.date.to_string(),
                    regime: f.regime.key(),
                })
            })
            .collect();
        let regimes: Vec<RegimeContext> = facts
            .regimes
            .iter()
            .map(|&(regime, count)| regime_context(regime, count))
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
                processing: match case.processing {
                    crate::derive::Processing::General => "general",
                    crate::derive::Processing::LawEnforcement => "law-enforcement",
                },
            },
            breach: BreachContext {
                occurred: case.breach.occurred.to_string(),
                discovered: case.breach.discovered.date_naive().to_string(),
                reported: case.breach.reported.date_naive().to_string(),
                follow_ups: case
                    .breach
                    .follow_ups
                    .iter()
                    .map(|d| d.to_string())
                    .collect(),
                summary: case.breach.summary.as_ref().map(raw),
                data_subjects: case.breach.data_subjects,
                records: case.breach.records,
                categories: case
                    .breach
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
                cyber: case.breach.cyber,
                late: facts.late,
                excluded: incidents
                    .iter()
                    .filter(|i| i.regime == Regime::Dpa1998.key())
                    .cloned()
                    .collect(),
                incidents,
                reprimand_regimes: regimes
                    .iter()
                    .filter(|r| r.power.is_some())
                    .cloned()
                    .collect(),
                regimes,
            },
            letter: letter_fields(letter, facts, templates),
        }
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
    let mut fields = LetterFields {
        kind: letter.kind.key(),
        style: templates.kind(letter.kind).style,
        date: letter.date.to_string(),
        to: md(&letter.to),
        cc: letter.cc.iter().map(|c| md(c)).collect(),
        addressee: letter.contact.as_deref().map(|c| md(&addressee(c))),
        salutation: md_opt(&letter.salutation),
        contact: md_opt(&letter.contact),
        delivery: None,
        officer: officer_context(&letter.officer),
        paragraphs: Vec::new(),
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
        reasons: Vec::new(),
        recommendations: Vec::new(),
        investigation: None,
        summary: None,
        findings: Vec::new(),
        mitigation: Vec::new(),
        remedial_action: None,
        infringements: Vec::new(),
        infringement_summary: None,
        progress_update: None,
    };
    match &letter.body {
        LetterBody::Acknowledgement => {}
        LetterBody::Decision {
            reasons,
            recommendations,
        } => {
            fields.reasons = reasons.iter().map(raw).collect();
            fields.recommendations = recommendations
                .iter()
                .enumerate()
                .map(|(i, text)| RecommendationContext {
                    number: i + 1,
                    text: raw(text),
                    progress_update: false,
                })
                .collect();
        }
        LetterBody::Reprimand(reprimand) => {
            fields.delivery = Some(match reprimand.delivery {
                Delivery::Email => "email",
                Delivery::Post => "post",
            });
            fields.investigation = Some(raw(&reprimand.investigation));
            fields.summary = reprimand.summary.as_ref().map(raw);
            fields.findings = reprimand.findings.iter().map(raw).collect();
            fields.mitigation = reprimand.mitigation.iter().map(raw).collect();
            fields.remedial_action = reprimand.remedial_action.as_ref().map(raw);
            fields.infringements = reprimand
                .infringements
                .iter()
                .map(|key| {
                    let provision = &templates.provisions[key];
                    ProvisionContext {
                        key: key.clone(),
                        title: provision.title.clone(),
                        name: provision.name.clone(),
                        text: provision.text.clone(),
                        regime: provision.regime.key(),
                    }
                })
                .collect();
            fields.infringement_summary = reprimand.infringement_summary.as_ref().map(raw);
            fields.recommendations = reprimand
                .recommendations
                .iter()
                .enumerate()
                .map(|(i, r)| RecommendationContext {
                    number: i + 1,
                    text: raw(&r.text),
                    progress_update: r.progress_update,
                })
                .collect();
            if let (Some(update), Some(deadline)) = (&reprimand.progress_update, facts.deadline) {
                let steps: Vec<String> = facts.update_steps.iter().map(|s| s.to_string()).collect();
                fields.progress_update = Some(ProgressContext {
                    period: period_words(update.within),
                    unit: update.within.unit.key(),
                    count: update.within.count,
                    due: deadline.date.to_string(),
                    rolled: deadline.rolled,
                    to: md_opt(&update.to),
                    steps: facts.update_steps.clone(),
                    steps_text: join_and(&steps),
                });
            }
        }
    }
    fields
}
