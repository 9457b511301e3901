//! The people a case names, and how its Markdown fields refer to them: `@jp`
//! prints the person's name, `@jp.short` the title and surname ("Mr Pike"),
//! `@jp.surname` and `@jp.forenames` those alone. A public copy withholds every
//! form of a withheld person's name, so a reference is the safe way to write one.

use std::ops::Range;

/// A person the case names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// How Markdown fields refer to them (`jp`).
    pub key: String,
    /// Their name, as a letter prints it ("Jordan Pike").
    pub name: String,
    /// Their title, if any ("Mr").
    pub title: Option<String>,
    /// Who they are in the case.
    pub role: Role,
    /// Whether a public copy withholds them unless it names them.
    pub withheld: bool,
    /// Where the case file gives them (bytes of the case's source).
    pub span: Range<usize>,
}

impl Person {
    /// Their name with their title ("Mr Jordan Pike").
    pub fn full_name(&self) -> String {
        match &self.title {
            Some(title) => format!("{title} {}", self.name),
            None => self.name.clone(),
        }
    }

    /// The text a reference prints, by its form (`None`: the full name).
    pub fn form(&self, form: Option<&str>) -> Option<String> {
        let full = self.full_name();
        let bare = crate::names::without_title(&full);
        let words: Vec<&str> = bare.split_whitespace().collect();
        let surname = crate::names::surname(&bare).unwrap_or_else(|| bare.clone());
        Some(match form {
            None => full,
            Some("short") => crate::names::addressee(&full),
            Some("surname") => surname,
            Some("forenames") => {
                let taken = surname.split_whitespace().count();
                let forenames = words[..words.len().saturating_sub(taken)].join(" ");
                if forenames.is_empty() {
                    bare.clone()
                } else {
                    forenames
                }
            }
            Some(_) => return None,
        })
    }
}

/// The forms a reference may ask for (`@jp.short`).
pub const PERSON_FORMS: &[&str] = &["short", "surname", "forenames"];

/// Who a person is in the case.
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
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Role {
    /// The person who complained.
    Complainant,
    /// Someone who works for the organisation.
    StaffMember,
    /// Someone whose personal data the matter is about.
    DataSubject,
    /// Anyone else (a witness, a relative, a contractor).
    ThirdParty,
}

impl Role {
    /// The role in words ("staff member").
    pub fn words(self) -> String {
        let key: &'static str = self.into();
        key.replace('-', " ")
    }
}

/// Why a public copy withholds something, naming it without its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// A string of the publication's `withhold`, by its place (from 1).
    Text(usize),
    /// A field of the case, by its path.
    Field(&'static str),
    /// A person of the case, by their key and role; `asked` when `withhold`
    /// names them, else they are withheld by default.
    Person {
        /// Their place in the case's people (from 1).
        index: usize,
        /// Who they are in the case.
        role: Role,
        /// Whether `withhold` names them.
        asked: bool,
    },
    /// The officer's direct line or email, which no public copy shows.
    OfficerContact(&'static str),
}

impl Reason {
    /// What is withheld, in words ("person 2 of the case", "field `contact`").
    pub fn what(&self) -> String {
        match self {
            Reason::Text(index) => format!("string {index} of `withhold`"),
            Reason::Field(path) | Reason::OfficerContact(path) => format!("field `{path}`"),
            Reason::Person { index, .. } => format!("person {index} of the case"),
        }
    }

    /// Why, in words ("a staff member, withheld by default").
    pub fn why(&self) -> String {
        match self {
            Reason::Text(_) | Reason::Field(_) => "the publication withholds it".to_owned(),
            Reason::Person { role, asked, .. } => {
                let role = role.words();
                let article = crate::english::indefinite_article(&role);
                if *asked {
                    format!("{article} {role}, named in `withhold`")
                } else {
                    format!("{article} {role}, withheld by default")
                }
            }
            Reason::OfficerContact(_) => "never published".to_owned(),
        }
    }
}

/// A reference in a Markdown field that names no person or form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadReference {
    /// Its bytes in the field's text.
    pub at: Range<usize>,
    /// The key written.
    pub key: String,
    /// The form written, when the key is known but the form is not.
    pub form: Option<String>,
}

/// `text` with every reference to a person (`@key`, `@key.form`) replaced by
/// the text it prints, escaped for Markdown; or every reference that names no
/// person or form. An `@` after a letter or digit (an email address) or after a
/// backslash (`\@`) is not a reference, nor one before anything but a
/// lowercase letter.
pub fn resolve(text: &str, people: &[Person]) -> Result<String, Vec<BadReference>> {
    let mut out = String::with_capacity(text.len());
    let mut bad = Vec::new();
    let mut at = 0;
    for (start, _) in text.match_indices('@') {
        if start < at {
            continue;
        }
        let before = text[..start].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '\\') {
            continue;
        }
        let rest = &text[start + 1..];
        let key_len = key_length(rest);
        if key_len == 0 {
            continue;
        }
        let key = &rest[..key_len];
        let mut end = start + 1 + key_len;
        let form = rest[key_len..].strip_prefix('.').and_then(|after| {
            let len = after
                .find(|c: char| !c.is_ascii_lowercase())
                .unwrap_or(after.len());
            (len > 0).then(|| &after[..len])
        });
        let Some(person) = people.iter().find(|p| p.key == key) else {
            bad.push(BadReference {
                at: start..end,
                key: key.to_owned(),
                form: None,
            });
            continue;
        };
        // A `.` then a space or the end is the end of a sentence ("written by
        // @jp."); a `.` then a word asks for a form.
        if let Some(form) = form {
            end += 1 + form.len();
        }
        match person.form(form) {
            Some(printed) => {
                out.push_str(&text[at..start]);
                out.push_str(&crate::escape::markdown(&printed));
                at = end;
            }
            None => bad.push(BadReference {
                at: start..end,
                key: key.to_owned(),
                form: form.map(str::to_owned),
            }),
        }
    }
    out.push_str(&text[at..]);
    if bad.is_empty() { Ok(out) } else { Err(bad) }
}

/// How long the key at the start of `text` is: a lowercase letter, then
/// lowercase letters, digits and hyphens (a final hyphen is not part of it).
fn key_length(text: &str) -> usize {
    if !text.starts_with(|c: char| c.is_ascii_lowercase()) {
        return 0;
    }
    let len = text
        .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
        .unwrap_or(text.len());
    text[..len].trim_end_matches('-').len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people() -> Vec<Person> {
        vec![
            Person {
                key: "jp".into(),
                name: "Jordan Pike".into(),
                title: Some("Mr".into()),
                role: Role::StaffMember,
                withheld: true,
                span: 0..0,
            },
            Person {
                key: "hvb".into(),
                name: "Hans van der Berg".into(),
                title: None,
                role: Role::ThirdParty,
                withheld: true,
                span: 0..0,
            },
        ]
    }

    #[test]
    fn a_reference_prints_the_form_it_asks_for() {
        for (text, expected) in [
            ("@jp reported it", "Mr Jordan Pike reported it"),
            ("told @jp.short.", "told Mr Pike."),
            ("@jp.surname's note", "Pike's note"),
            ("@jp.forenames and @hvb.surname", "Jordan and van der Berg"),
            ("@hvb.short", "Hans van der Berg"),
            ("by @jp.", "by Mr Jordan Pike."),
            ("(@jp)", "(Mr Jordan Pike)"),
            ("dpo@example.org", "dpo@example.org"),
            ("\\@jp", "\\@jp"),
            ("@ the office, @Twitter", "@ the office, @Twitter"),
        ] {
            assert_eq!(
                resolve(text, &people()),
                Ok(expected.to_owned()),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_reference_to_no_one_is_reported_where_it_is() {
        assert_eq!(
            resolve("by @jq and @jp.nickname", &people()),
            Err(vec![
                BadReference {
                    at: 3..6,
                    key: "jq".into(),
                    form: None
                },
                BadReference {
                    at: 11..23,
                    key: "jp".into(),
                    form: Some("nickname".into())
                },
            ])
        );
    }
}
