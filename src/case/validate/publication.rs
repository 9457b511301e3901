//! A letter's public copy: its date, and what it withholds, each item checked
//! and resolved to the forms the copy leaves out; and the case's people, who are
//! withheld from every public copy unless it names them.

use chrono::NaiveDate;

use super::Checker;
use crate::case::raw::{self, Located};
use crate::case::yaml::span_of_value;
use crate::case::{
    Controller, Invisible, Matter, Officer, Person, Publication, Reason, WITHHELD_FIELDS, Withheld,
};
use crate::diag::{did_you_mean, quote};
use crate::publication::{WithheldError, check_withheld, usable_form};

/// The fields whose values are people's names: withheld in every form.
const NAME_FIELDS: &[&str] = &[
    "controller.contact",
    "officer.name",
    "contact",
    "complaint.complainant.name",
];

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

/// Every form of a person's name a letter may print, for the word that
/// replaces them.
fn person_forms(person: &Person, redacted: &str) -> Vec<String> {
    let mut forms = crate::names::forms(&person.full_name());
    forms.extend(crate::names::forms(&person.name));
    name_forms(forms, redacted)
}

/// Forms of a name, longest first, without repeats or ones too short to
/// withhold.
fn name_forms(mut forms: Vec<String>, redacted: &str) -> Vec<String> {
    forms.retain(|form| usable_form(form, redacted));
    forms.sort_by_key(|form| std::cmp::Reverse(form.chars().count()));
    let mut seen = std::collections::HashSet::new();
    forms.retain(|form| seen.insert(form.clone()));
    forms
}

impl Checker<'_> {
    /// A letter's public copy, checked: its date not before the letter's, every
    /// withheld string long enough, plain and not part of the replacement word,
    /// every field one a copy may withhold and given in the case, every person
    /// one of the case's; then every person withheld by default that the copy
    /// does not name.
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
        let mut asked = Vec::new();
        let mut strings = 0;
        for item in &raw.value.withhold {
            let span = span_of_value(self.source, item);
            match &item.value {
                raw::Withheld::Text(text) => {
                    strings += 1;
                    valid &= self.withheld_text(text, item, None);
                    withheld.push(Withheld {
                        forms: vec![text.clone()],
                        name: false,
                        reason: Reason::Text(strings),
                        span,
                    });
                }
                raw::Withheld::Field(path) => {
                    valid &= self.withheld_field(path, from, &mut withheld);
                }
                raw::Withheld::Person(key) => match self.person_at(key) {
                    Some(index) => asked.push((index, span_of_value(self.source, key))),
                    None => valid = false,
                },
            }
        }
        let mut named = Vec::new();
        for key in &raw.value.names {
            match self.person_at(key) {
                Some(index) => named.push(index),
                None => valid = false,
            }
        }
        let redacted = self.vocabulary.redacted.clone();
        for (index, person) in self.people.iter().enumerate() {
            let span = asked
                .iter()
                .find(|(i, _)| *i == index)
                .map(|(_, s)| s.clone());
            if span.is_none() && (!person.withheld || named.contains(&index)) {
                continue;
            }
            withheld.push(Withheld {
                forms: person_forms(person, &redacted),
                name: true,
                reason: Reason::Person {
                    index: index + 1,
                    role: person.role,
                    asked: span.is_some(),
                },
                span: span.unwrap_or_else(|| person.span.clone()),
            });
        }
        let span = span_of_value(self.source, raw);
        valid.then_some(())?;
        Some(Publication {
            date: date?,
            withheld,
            span,
        })
    }

    /// A field to withhold: its values, each checked; a name's every form.
    fn withheld_field(
        &mut self,
        path: &raw::Text,
        from: &Sources<'_>,
        withheld: &mut Vec<Withheld>,
    ) -> bool {
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
            return false;
        };
        let Some(field) = WITHHELD_FIELDS.iter().copied().find(|f| *f == path.value) else {
            return false;
        };
        let mut valid = true;
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
        let is_name = NAME_FIELDS.contains(&field);
        for value in values {
            valid &= self.withheld_text(&value, path, Some(field));
            let forms = if is_name {
                let mut forms = crate::names::forms(&value);
                forms.push(value.clone());
                name_forms(forms, &self.vocabulary.redacted)
            } else {
                vec![value]
            };
            withheld.push(Withheld {
                forms,
                name: is_name,
                reason: Reason::Field(field),
                span: span.clone(),
            });
        }
        valid
    }

    /// The place in the case's people of the person `key` names, or a located
    /// error.
    fn person_at(&mut self, key: &raw::Text) -> Option<usize> {
        if let Some(index) = self.people.iter().position(|p| p.key == key.value) {
            return Some(index);
        }
        let keys: Vec<String> = self.people.iter().map(|p| p.key.clone()).collect();
        let note = match did_you_mean(&key.value, keys.iter().map(String::as_str)) {
            Some(near) => format!("did you mean `{near}`?"),
            None if keys.is_empty() => "the case lists no `people`".to_owned(),
            None => format!("the people are: {}", keys.join(", ")),
        };
        self.error_with_note(
            "unknown-person",
            "no person of the case has this key".into(),
            key,
            &format!("{} is not a key of `people`", quote(&key.value)),
            Some(note),
        );
        None
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
        let error = match check_withheld(text, &self.vocabulary.redacted) {
            Ok(()) => return true,
            Err(error) => error,
        };
        let (code, message, label, note) = match &error {
            WithheldError::TooShort => (
                "withheld-too-short",
                format!("{what} is too short to withhold safely"),
                format!("{which}fewer than four letters or digits"),
                error.to_string(),
            ),
            WithheldError::InRedactionWord => (
                "withheld-in-redaction-word",
                format!("{what} is part of the word that replaces withheld text"),
                format!("{which}it could never be proven absent"),
                "the word is `redacted` in office.yaml".to_owned(),
            ),
            WithheldError::Invisible(code) => (
                "withheld-invisible",
                format!("{what} holds a character a reader cannot see"),
                format!("{which}U+{code:04X} is invisible, a control or a direction character"),
                "remove it: a withheld string must be written as a reader sees it".to_owned(),
            ),
            WithheldError::MixedScript => (
                "withheld-mixed-script",
                format!("{what} mixes letters of different scripts"),
                format!("{which}a word of it has letters of two scripts"),
                "retype it: a look-alike letter (Cyrillic о for Latin o) would match nothing a reader sees".to_owned(),
            ),
        };
        self.error_with_note(code, message, at, &label, Some(note));
        false
    }

    /// In a case with a public copy, every invisible or direction character of
    /// the file: a located error (or, where the office removes them, a warning),
    /// since what is stored there is not what a reader sees.
    pub(super) fn invisible_characters(&mut self) {
        let text = std::sync::Arc::clone(&self.source.text);
        for (at, c) in text.char_indices() {
            if !(crate::publication::is_ignorable(c) || crate::publication::is_direction_control(c))
            {
                continue;
            }
            let kind = if crate::publication::is_direction_control(c) {
                "a direction control"
            } else {
                "an invisible character"
            };
            let span = at..at + c.len_utf8();
            let label = format!("U+{:04X} is {kind}", u32::from(c));
            let message = format!(
                "this case has a public copy, and its text holds {kind}, which makes what is stored differ from what a reader sees"
            );
            match self.vocabulary.invisible {
                Invisible::Refuse => {
                    let found = crate::diag::Diagnostic::error("invisible-character", message)
                        .at(self.source, span, label)
                        .note("delete the character (retype the text around it)");
                    self.diagnostics.push(found);
                }
                Invisible::Remove => {
                    let found = crate::diag::Diagnostic::warning("invisible-character", message)
                        .at(self.source, span, label)
                        .note("it is left out of the public copy (`invisible_characters: remove` in office.yaml)");
                    self.warnings.push(found);
                }
            }
        }
    }
}
