//! A letter's public copy: its date, and the strings and case fields it
//! withholds, each checked and resolved to the strings the copy leaves out.

use chrono::NaiveDate;

use super::Checker;
use crate::case::raw::{self, Located};
use crate::case::yaml::span_of_value;
use crate::case::{Controller, Matter, Officer, Publication, WITHHELD_FIELDS, Withheld};
use crate::diag::{did_you_mean, quote};
use crate::publication::{WithheldError, check_withheld};

/// The values a withheld field may name: the case's, and this letter's.
pub(super) struct Sources<'a> {
    pub controller: &'a Controller,
    pub officer: &'a Officer,
    pub matter: Option<&'a Matter>,
    pub contact: Option<&'a str>,
    pub to: &'a str,
    pub cc: &'a [String],
}

impl Sources<'_> {
    /// The values of the field at `path` (none when the case leaves it out);
    /// `None` when `path` names no field a public copy may withhold.
    fn values(&self, path: &str) -> Option<Vec<String>> {
        let one = |value: Option<&String>| value.into_iter().cloned().collect();
        Some(match path {
            "controller.contact" => one(self.controller.contact.as_ref()),
            "controller.address" => self.controller.address.clone(),
            "controller.email" => vec![self.controller.email.clone()],
            "controller.their_reference" => one(self.controller.their_reference.as_ref()),
            "officer.name" => vec![self.officer.name.clone()],
            "officer.phone" => one(self.officer.phone.as_ref()),
            "officer.email" => one(self.officer.email.as_ref()),
            "contact" => self.contact.map(str::to_owned).into_iter().collect(),
            "to" => vec![self.to.to_owned()],
            "cc" => self.cc.to_vec(),
            "complaint.complainant.name" => match self.matter {
                Some(Matter::Complaint(complaint)) => vec![complaint.complainant.name.clone()],
                Some(Matter::Breach(_) | Matter::Investigation(_)) | None => Vec::new(),
            },
            "breach.incidents.their_reference" => match self.matter {
                Some(Matter::Breach(breach)) => breach
                    .incidents
                    .iter()
                    .filter_map(|i| i.their_reference.clone())
                    .collect(),
                Some(Matter::Investigation(_) | Matter::Complaint(_)) | None => Vec::new(),
            },
            _ => return None,
        })
    }
}

impl Checker<'_> {
    /// A letter's public copy, checked: its date not before the letter's, every
    /// withheld string long enough and not part of the replacement word, every
    /// field one a copy may withhold and given in the case.
    pub(super) fn publication(
        &mut self,
        raw: &Located<raw::Publication>,
        letter_date: Option<NaiveDate>,
        from: &Sources<'_>,
    ) -> Option<Publication> {
        let date = self.date(&raw.value.date);
        if let (Some(published), Some(dated)) = (date, letter_date)
            && published < dated
        {
            self.error(
                "publication-before-letter",
                "the public copy is published before the letter is sent".into(),
                &raw.value.date,
                &format!("the letter is dated {dated}"),
            );
        }
        let mut withheld = Vec::new();
        let mut valid = true;
        for item in &raw.value.withhold {
            let span = span_of_value(self.source, item);
            match &item.value {
                raw::Withheld::Text(text) => {
                    valid &= self.withheld_text(text, item, None);
                    withheld.push(Withheld {
                        text: text.clone(),
                        field: None,
                        span,
                    });
                }
                raw::Withheld::Field(path) => {
                    let Some(values) = from.values(&path.value) else {
                        let near = did_you_mean(&path.value, WITHHELD_FIELDS.iter().copied());
                        self.error_with_note(
                            "unknown-withheld-field",
                            "this is not a field a public copy can withhold".into(),
                            path,
                            &format!("{} is not one of them", quote(&path.value)),
                            Some(match near {
                                Some(near) => format!("did you mean `{near}`?"),
                                None => format!("the fields are: {}", WITHHELD_FIELDS.join(", ")),
                            }),
                        );
                        valid = false;
                        continue;
                    };
                    let field = WITHHELD_FIELDS.iter().copied().find(|f| *f == path.value);
                    if values.is_empty() {
                        self.error_with_note(
                            "withheld-field-empty",
                            "the field named is not given, so there is nothing to withhold".into(),
                            path,
                            &format!("this case or letter leaves out `{}`", path.value),
                            Some("remove this item, or withhold the text itself".into()),
                        );
                        valid = false;
                    }
                    let span = span_of_value(self.source, path);
                    for value in values {
                        valid &= self.withheld_text(&value, path, field);
                        withheld.push(Withheld {
                            text: value,
                            field,
                            span: span.clone(),
                        });
                    }
                }
            }
        }
        let span = span_of_value(self.source, raw);
        (valid).then_some(())?;
        Some(Publication {
            date: date?,
            withheld,
            span,
        })
    }

    /// Whether a string may be withheld: else a located error (never quoting it).
    fn withheld_text(&mut self, text: &str, at: &Located<impl Sized>, field: Option<&str>) -> bool {
        let (what, which) = match field {
            Some(field) => (
                "a value of the field named",
                format!("a value of `{field}`: "),
            ),
            None => ("this string", String::new()),
        };
        match check_withheld(text, &self.vocabulary.redacted) {
            Ok(()) => true,
            Err(WithheldError::TooShort) => {
                self.error_with_note(
                    "withheld-too-short",
                    format!("{what} is too short to withhold safely"),
                    at,
                    &format!("{which}fewer than four letters or digits"),
                    Some(WithheldError::TooShort.to_string()),
                );
                false
            }
            Err(WithheldError::InRedactionWord) => {
                self.error_with_note(
                    "withheld-in-redaction-word",
                    format!("{what} is part of the word that replaces withheld text"),
                    at,
                    &format!("{which}it could never be proven absent"),
                    Some("the word is `redacted` in office.yaml".into()),
                );
                false
            }
        }
    }
}
