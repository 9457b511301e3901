//! The checks only a reprimand needs: its regime and provisions, its
//! recommendations and progress update, and the deadline that update implies.

use std::collections::BTreeSet;

use serde_saphyr::Spanned;

use super::{Checker, incident_dates, text_at};
use crate::case::raw::{self, Text};
use crate::case::{
    Breach, Delivery, Letter, LetterBody, Markdown, ProgressUpdate, Recommendation, Reprimand,
};
use crate::derive::{self, Nation, Period, Processing, Regime};
use crate::diag::quote;

impl Checker<'_> {
    /// A deadline that rolls past the end of the bank-holiday data is an error here,
    /// at the period's place in the file, rather than when the letter is rendered;
    /// so are an update received before the letter was sent and an extension to
    /// before the deadline it extends.
    pub(super) fn check_deadlines(
        &mut self,
        raw: &raw::CaseFile,
        letters: &[Letter],
        nation: Nation,
    ) {
        let holidays = self.vocabulary.holidays.clone();
        for (raw_letter, letter) in raw.letters.value.iter().zip(letters) {
            let LetterBody::Reprimand(reprimand) = &letter.body else {
                continue;
            };
            let (Some(update), Some(raw_update)) =
                (&reprimand.progress_update, &raw_letter.progress_update)
            else {
                continue;
            };
            let raw_update = &raw_update.value;
            if let (Some(received), Some(at)) = (update.received, &raw_update.received)
                && received < letter.date
            {
                self.error_with_note(
                    "received-before-letter",
                    "the progress update is received before the letter asking for it was sent"
                        .into(),
                    at,
                    &format!("the letter is dated {}", letter.date),
                    Some("check the date the update arrived".into()),
                );
            }
            let roll = match (&holidays, update.roll) {
                (Some(holidays), true) => Some((&**holidays, nation)),
                _ => None,
            };
            match derive::deadline_steps(letter.date, update.within, roll) {
                Err(problem) if holidays.is_some() => {
                    self.error(
                        "deadline",
                        format!("the progress-update deadline cannot be worked out: {problem}"),
                        &raw_update.within,
                        "the deadline is this long after the letter's date",
                    );
                }
                Err(_) => {}
                Ok(steps) => {
                    if let (Some(extended), Some(at)) =
                        (update.extended_to, &raw_update.extended_to)
                        && extended < steps.date()
                    {
                        self.error_with_note(
                            "extension-before-deadline",
                            "the deadline is extended to a date before the deadline itself".into(),
                            at,
                            &format!("the deadline is {}", steps.date()),
                            Some(
                                "an extension gives a later date than the letter's deadline".into(),
                            ),
                        );
                    }
                }
            }
        }
    }

    pub(super) fn reprimand(
        &mut self,
        raw: &raw::Letter,
        breach: Option<&Breach>,
        processing: Option<Processing>,
    ) -> Option<Reprimand> {
        let investigation = self.required(&raw.investigation, "investigation", &raw.kind);
        let infringements = self.required_list(&raw.infringements, "infringements", &raw.kind);
        let recommendations_raw = raw.recommendations.as_ref();
        if recommendations_raw.is_none() {
            self.missing("recommendations", &raw.kind);
        }
        let delivery = match &raw.delivery {
            None => Some(Delivery::Email),
            Some(text) => self.choice(
                text,
                "delivery",
                &[("email", Delivery::Email), ("post", Delivery::Post)],
            ),
        };
        // Which regimes the reprimand can be issued under, from the incidents' dates.
        let regimes: Option<BTreeSet<Regime>> =
            breach.zip(processing).map(|(breach, processing)| {
                incident_dates(breach)
                    .map(|date| derive::regime(date, processing))
                    .collect()
            });
        if let Some(regimes) = &regimes
            && !regimes.iter().any(|r| r.can_reprimand())
        {
            self.error_with_note(
                "no-reprimand-power",
                "every incident of this case falls under the Data Protection Act 1998, under which no reprimand can be issued".into(),
                &raw.kind,
                "a reprimand needs at least one incident from 25 May 2018",
                Some("check the incident dates, or send a decision instead".into()),
            );
        }
        let mut provisions = Vec::new();
        for key in infringements.iter().flat_map(|list| list.value.iter()) {
            match self.vocabulary.provisions.get(&key.value) {
                None => {
                    let note = self.vocabulary.catalogue.suggestion_note(&key.value);
                    self.error_with_note(
                        "unknown-provision",
                        format!("unknown provision {}", quote(&key.value)),
                        key,
                        "not a key of letter-templates/provisions.yaml",
                        note,
                    );
                }
                Some(&regime) => {
                    if let (Some(regimes), Some(processing)) = (&regimes, processing)
                        && !regimes.contains(&regime)
                    {
                        let found: Vec<&str> = regimes.iter().map(|r| r.key()).collect();
                        self.error(
                            "provision-regime",
                            format!(
                                "`{}` is a provision of {}, but no incident of this case falls under it",
                                key.value,
                                regime.key()
                            ),
                            key,
                            &format!("the incidents fall under: {}", found.join(", ")),
                        );
                        let notes = self.regime_hints(&key.value, regime, regimes, processing);
                        if let Some(last) = self.diagnostics.last_mut() {
                            last.notes.extend(notes);
                        }
                    }
                }
            }
            provisions.push(key.value.clone());
        }
        let mut recommendations = Vec::new();
        let mut marked = None;
        for item in recommendations_raw.iter().flat_map(|r| r.value.iter()) {
            let flag = item.value.progress_update.as_ref();
            if flag.is_some_and(|f| f.value) {
                marked = marked.or(flag);
            }
            recommendations.push(Recommendation {
                text: self.markdown(&text_at(item)),
                progress_update: flag.is_some_and(|f| f.value),
            });
        }
        if let Some(list) = recommendations_raw
            && list.value.is_empty()
        {
            self.error(
                "missing-key",
                "a reprimand needs at least one recommendation".into(),
                list,
                "empty list",
            );
        }
        let progress_update = match &raw.progress_update {
            None => {
                if let Some(flag) = marked {
                    self.error_with_note(
                        "no-progress-update",
                        "a recommendation is marked for the progress update, but the letter asks for no update".into(),
                        flag,
                        "marked here",
                        Some("add `progress_update: { within: 3 months }` to the letter, or remove this mark".into()),
                    );
                }
                None
            }
            Some(update) => self.progress_update(update),
        };
        Some(Reprimand {
            delivery: delivery?,
            investigation: investigation?,
            summary: raw.summary.as_ref().map(|s| self.markdown(s)),
            findings: self.markdown_list(&raw.findings),
            mitigation: self.markdown_list(&raw.mitigation),
            remedial_action: raw.remedial_action.as_ref().map(|s| self.markdown(s)),
            infringements: provisions,
            infringement_summary: raw.infringement_summary.as_ref().map(|s| self.markdown(s)),
            recommendations,
            progress_update: match &raw.progress_update {
                Some(_) => Some(progress_update?),
                None => None,
            },
        })
    }

    /// Why a provision's regime is not the case's, and which provision to cite
    /// instead. The processing decides between Part 3 and the GDPRs, the incidents'
    /// dates between the GDPR and the UK GDPR: the hint names the one that is wrong.
    fn regime_hints(
        &self,
        key: &str,
        regime: Regime,
        regimes: &BTreeSet<Regime>,
        processing: Processing,
    ) -> Vec<String> {
        let part3 = Regime::Dpa2018Part3;
        let mut notes = vec![match processing {
            Processing::LawEnforcement if regime != part3 && regimes.contains(&part3) => format!(
                "`processing: law-enforcement` means the incidents fall under Part 3 of the DPA 2018 ({}): cite its provisions, or set `processing: general` if this is not law enforcement",
                part3.key()
            ),
            Processing::General if regime == part3 && regimes.iter().any(|r| r.can_reprimand()) => {
                format!(
                    "{} provisions are for law-enforcement processing, and this case's `processing` is general: cite a provision of {}, or set `processing: law-enforcement`",
                    part3.key(),
                    regimes
                        .iter()
                        .filter(|r| r.can_reprimand())
                        .map(|r| r.key())
                        .collect::<Vec<_>>()
                        .join(" or ")
                )
            }
            _ => "cite the provision of the law in force on the incident's date".to_owned(),
        }];
        let instead: Vec<String> = self
            .vocabulary
            .catalogue
            .counterparts(key)
            .into_iter()
            .filter(|other| {
                self.vocabulary
                    .provisions
                    .get(*other)
                    .is_some_and(|r| regimes.contains(r))
            })
            .map(|other| format!("`{other}`"))
            .collect();
        if !instead.is_empty() {
            notes.push(format!("did you mean {}?", instead.join(" or ")));
        }
        notes
    }

    fn progress_update(&mut self, update: &Spanned<raw::ProgressUpdate>) -> Option<ProgressUpdate> {
        let update = &update.value;
        let within = match update.within.value.trim().parse::<Period>() {
            Ok(period) => Some(period),
            Err(why) => {
                self.error_with_note(
                    "bad-period",
                    format!("this is not a period: {}", why.reason()),
                    &update.within,
                    &why.to_string(),
                    Some("expected a period such as 3 months, 6 weeks or 28 days".into()),
                );
                None
            }
        };
        let to = update.to.as_ref().map(|to| self.email(to));
        let roll = match &update.roll {
            None => Some(false),
            Some(roll) => self.choice(
                roll,
                "roll rule",
                &[("next-working-day", true), ("none", false)],
            ),
        };
        let received = update.received.as_ref().map(|d| self.date(d));
        let extended_to = update.extended_to.as_ref().map(|d| self.date(d));
        let note = update.note.as_ref().map(|n| self.markdown(n));
        Some(ProgressUpdate {
            within: within?,
            to,
            roll: roll?,
            received: received.map(|d| d.ok_or(())).transpose().ok()?,
            extended_to: extended_to.map(|d| d.ok_or(())).transpose().ok()?,
            note,
        })
    }

    fn missing(&mut self, key: &str, kind: &Text) {
        self.error(
            "missing-key",
            format!("a reprimand needs `{key}`"),
            kind,
            &format!("this letter has no `{key}`"),
        );
    }

    fn required(&mut self, text: &Option<Text>, key: &str, kind: &Text) -> Option<Markdown> {
        match text {
            Some(text) => Some(self.markdown(text)),
            None => {
                self.missing(key, kind);
                None
            }
        }
    }

    fn required_list<'l>(
        &mut self,
        list: &'l Option<Spanned<Vec<Text>>>,
        key: &str,
        kind: &Text,
    ) -> Option<&'l Spanned<Vec<Text>>> {
        match list {
            Some(list) if !list.value.is_empty() => Some(list),
            Some(list) => {
                self.error(
                    "missing-key",
                    format!("`{key}` is empty"),
                    list,
                    "add at least one item",
                );
                None
            }
            None => {
                self.missing(key, kind);
                None
            }
        }
    }
}
