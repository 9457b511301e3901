//! The case's people, checked, and references to them in Markdown fields
//! resolved; a listed person's name written out in a Markdown field, rather
//! than referred to, is a warning at its field.

use super::Checker;
use crate::case::raw::{self, Located, Text};
use crate::case::yaml::span_of_value;
use crate::case::{PERSON_FORMS, Person, Role, people};
use crate::diag::{Diagnostic, did_you_mean, quote};
use crate::publication::{Seek, Sought};

impl Checker<'_> {
    /// The complainant of a complaint (key `complainant`), then every person of
    /// `people`: keys well formed and unique, names given, roles known.
    pub(super) fn people(&mut self, raw: &raw::CaseFile) -> Vec<Person> {
        let mut people = Vec::new();
        if let Some(complaint) = &raw.complaint {
            let name = &complaint.value.complainant.name;
            people.push(Person {
                key: "complainant".to_owned(),
                name: name.value.trim().to_owned(),
                title: None,
                role: Role::Complainant,
                withheld: true,
                span: span_of_value(self.source, name),
            });
        }
        for item in &raw.people {
            let person = &item.value;
            let key = person.key.value.trim();
            let well_formed = key.starts_with(|c: char| c.is_ascii_lowercase())
                && key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !well_formed {
                self.error_with_note(
                    "bad-person-key",
                    "a person's key is lowercase letters, digits and hyphens, starting with a letter".into(),
                    &person.key,
                    &format!("{} is not such a key", quote(key)),
                    Some("Markdown fields refer to the person as @key: choose a short key such as jp".into()),
                );
            } else if people.iter().any(|p: &Person| p.key == key) {
                self.error(
                    "duplicate-person",
                    format!("two people of the case have the key `{key}`"),
                    &person.key,
                    "this key is already taken",
                );
            }
            let name = self.plain_required(&person.name);
            let title = self.plain_opt(&person.title);
            let role = self.choose::<Role>(&person.role, "role");
            people.push(Person {
                key: key.to_owned(),
                name,
                title,
                role: role.unwrap_or(Role::ThirdParty),
                withheld: person.withheld.as_ref().is_none_or(|w| w.value),
                span: span_of_value(self.source, item),
            });
        }
        people
    }

    /// A Markdown field's text with its references to people resolved; each
    /// reference to no one is a located error, and a listed person's name
    /// written out a warning.
    pub(super) fn resolve_people(&mut self, text: &Text, markdown: &str) -> String {
        self.name_written_out(text, markdown);
        match people::resolve(markdown, &self.people) {
            Ok(resolved) => resolved,
            Err(bad) => {
                for reference in bad {
                    self.bad_reference(text, reference);
                }
                markdown.to_owned()
            }
        }
    }

    fn bad_reference(&mut self, text: &Text, reference: people::BadReference) {
        let keys: Vec<&str> = self.people.iter().map(|p| p.key.as_str()).collect();
        let (message, label, note) = match &reference.form {
            Some(form) => (
                format!(
                    "`@{}.{form}` asks for a form of a name there is not",
                    reference.key
                ),
                format!("`{form}` is not a form"),
                format!("the forms are: {}", PERSON_FORMS.join(", ")),
            ),
            None => (
                format!("`@{}` refers to no person of the case", reference.key),
                "not a key of `people`".to_owned(),
                match did_you_mean(&reference.key, keys.iter().copied()) {
                    Some(near) => {
                        format!("did you mean `@{near}`? (write `\\@` for an @ as it is)")
                    }
                    None if keys.is_empty() => {
                        "the case lists no `people`; write `\\@` for an @ as it is".to_owned()
                    }
                    None => format!(
                        "the people are: {}; write `\\@` for an @ as it is",
                        keys.join(", ")
                    ),
                },
            ),
        };
        let span = place_in_source(self.source, text, reference.at.clone())
            .unwrap_or_else(|| span_of_value(self.source, text));
        let found = Diagnostic::error("unknown-person", message)
            .at(self.source, span, label)
            .note(note);
        self.diagnostics.push(found);
    }

    /// A warning for each listed person whose name (in full, or the surname
    /// written with a capital) a Markdown field writes out instead of
    /// referring to them: a public copy still withholds it, but only a
    /// reference keeps every form of the name in step.
    fn name_written_out(&mut self, text: &Located<String>, markdown: &str) {
        let redacted = self.vocabulary.redacted.clone();
        let mut found = Vec::new();
        for person in &self.people {
            let mut forms = vec![person.name.clone()];
            forms.extend(crate::names::surname(&person.name));
            forms.retain(|f| crate::publication::usable_form(f, &redacted));
            let sought = Sought::new([Seek {
                forms: &forms,
                name: true,
            }]);
            if let Some(first) = sought.occurrences(markdown).into_iter().flatten().next() {
                found.push((person.key.clone(), person.role, first));
            }
        }
        for (key, role, at) in found {
            let span = place_in_source(self.source, text, at)
                .unwrap_or_else(|| span_of_value(self.source, text));
            let warning = Diagnostic::warning(
                "name-written-out",
                format!(
                    "this names the {} `{key}` of `people` in words",
                    role.words()
                ),
                )
                .at(self.source, span, "written out")
                .note(format!("write @{key} (or @{key}.short, @{key}.surname) so every form of the name is the case's"));
            self.warnings.push(warning);
        }
    }
}

/// Where bytes `at` of a value are in the case file: found by their text in the
/// value's span (a block scalar's lines are indented, a quoted one escaped), or
/// `None` when that text is not there exactly once.
fn place_in_source(
    source: &crate::diag::Source,
    text: &Text,
    at: std::ops::Range<usize>,
) -> Option<std::ops::Range<usize>> {
    let span = span_of_value(source, text);
    let written = source.text.get(span.clone())?;
    let part = text.value.get(at)?;
    let mut found = written.match_indices(part);
    let (offset, _) = found.next()?;
    found
        .next()
        .is_none()
        .then(|| span.start + offset..span.start + offset + part.len())
}
