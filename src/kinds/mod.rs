//! Letter kinds: each kind is one module holding everything only it has.
//!
//! A kind's module defines:
//!
//! - `Fields`: its own keys as written in the case file, a serde struct that denies
//!   unknown keys (the keys every letter may have are read by [`crate::case`]), whose
//!   doc comment describes the kind and whose fields' doc comments describe its keys
//!   in the schema and in scaffolds (`JsonSchema`);
//! - `Body` and `validate`: those fields checked, with every problem located;
//! - `follow_up`: the facts only it derives (a deadline, the steps it covers, the
//!   earlier letter it chases), from its own parts and the letters before it;
//! - `View` and `view`: what its template sees of its own parts, escaped.
//!
//! The registry below lists the kinds once, one line each (`Variant => module`):
//! it declares the modules and writes every enum and `match` over the kinds, all
//! exhaustive, so a kind added there must provide all of the above.

use chrono::NaiveDate;
use serde::Serialize;
use serde::de::{self, Deserialize, Deserializer, Visitor};

use crate::case::raw::Text;
use crate::case::{BankHolidays, Nation, Processing};
use crate::case::{Case, Checker, Letter, Matter};
use crate::derive::{Facts, FactsError, FollowUp};
use crate::templates::Templates;

/// Writes the kind enums and their dispatch from one list of `Variant => module`.
macro_rules! registry {
    ($($variant:ident => $module:ident,)*) => {
        $(pub mod $module;)*

        /// The kinds of letter casewright writes, in the order they are usually sent.
        /// Each key is the variant's name in kebab case.
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            strum::EnumString, strum::IntoStaticStr, strum::VariantArray,
            serde::Deserialize,
        )]
        #[strum(serialize_all = "kebab-case")]
        #[serde(rename_all = "kebab-case")]
        pub enum LetterKind {
            $(
                #[doc = concat!("See [`", stringify!($module), "`].")]
                $variant,
            )*
        }

        /// A letter's own keys as written in the case file.
        #[derive(Debug)]
        pub enum Fields {
            $(
                #[doc = concat!("See [`", stringify!($module), "::Fields`].")]
                $variant(Box<$module::Fields>),
            )*
        }

        /// A letter's own parts, checked.
        #[derive(Debug, Clone)]
        pub enum Body {
            $(
                #[doc = concat!("See [`", stringify!($module), "::Body`].")]
                $variant(Box<$module::Body>),
            )*
        }

        /// What a letter's template sees of its own parts, beside the common ones.
        #[derive(Debug, Serialize)]
        #[serde(untagged)]
        pub enum View {
            $(
                #[doc = concat!("See [`", stringify!($module), "::View`].")]
                $variant(Box<$module::View>),
            )*
        }

        impl LetterKind {
            /// The keys only this kind takes, as its `Fields` names them.
            pub fn own_keys(self) -> &'static [&'static str] {
                match self {
                    $(LetterKind::$variant => serde_fields::<$module::Fields>(),)*
                }
            }

            /// The JSON Schema of this kind's own keys, described by its `Fields`
            /// (see [`crate::case::schema`]).
            pub(crate) fn fields_schema(self, generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                match self {
                    $(LetterKind::$variant => <$module::Fields as schemars::JsonSchema>::json_schema(generator),)*
                }
            }

            /// Reads this kind's own keys from a letter's map.
            pub(crate) fn fields<'de, D: Deserializer<'de>>(self, from: D) -> Result<Fields, D::Error> {
                match self {
                    $(LetterKind::$variant => $module::Fields::deserialize(from).map(|f| Fields::$variant(Box::new(f))),)*
                }
            }
        }

        impl Fields {
            /// Checks a letter's own fields.
            pub(crate) fn validate(&self, check: &mut Checker<'_>, scope: &Scope<'_>) -> Option<Body> {
                match self {
                    $(Fields::$variant(fields) => {
                        $module::validate(fields, check, scope).map(|b| Body::$variant(Box::new(b)))
                    })*
                }
            }
        }

        impl Body {
            /// The kind of letter this is.
            pub fn kind(&self) -> LetterKind {
                match self {
                    $(Body::$variant(_) => LetterKind::$variant,)*
                }
            }

            /// The facts only this kind derives.
            fn follow_up(&self, at: &Occasion<'_>) -> Result<FollowUp, FactsError> {
                match self {
                    $(Body::$variant(body) => $module::follow_up(body, at),)*
                }
            }

            /// What the template sees of this letter's own parts.
            pub fn view(&self, facts: &Facts, templates: &Templates) -> View {
                match self {
                    $(Body::$variant(body) => View::$variant(Box::new($module::view(body, facts, templates))),)*
                }
            }
        }
    };
}

/// What kinds issued under a legal power share: not a kind of its own.
mod law;

registry! {
    Acknowledgement => acknowledgement,
    Decision => decision,
    Reprimand => reprimand,
    ReprimandNotice => reprimand_notice,
    ProgressReminder => progress_reminder,
}

impl LetterKind {
    /// Every kind, in the order they are usually sent.
    pub const ALL: &'static [LetterKind] = <LetterKind as strum::VariantArray>::VARIANTS;

    /// The key used in case files, template names and output file names.
    pub fn key(self) -> &'static str {
        self.into()
    }

    /// The kind whose own keys include `key`, if any.
    pub fn owning(key: &str) -> Option<(LetterKind, &'static str)> {
        LetterKind::ALL.iter().find_map(|&kind| {
            let own = kind.own_keys().iter().find(|k| **k == key)?;
            Some((kind, *own))
        })
    }
}

/// What a kind's checks may need of the rest of the case and letter; `None` where
/// that part is itself invalid (and already reported).
pub(crate) struct Scope<'a> {
    /// Where the letter's `kind` is written, for problems of the letter as a whole.
    pub kind: &'a Text,
    /// Where the letter's `date` is written.
    pub dated: &'a Text,
    /// The letter's date.
    pub date: Option<NaiveDate>,
    /// The case's matter.
    pub matter: Option<&'a Matter>,
    /// The case's processing.
    pub processing: Option<Processing>,
    /// The case's nation.
    pub nation: Option<&'a Nation>,
    /// The case's letters before this one, checked; `None` when one of them is
    /// invalid (a letter that refers to an earlier one then checks nothing more).
    pub earlier: Option<&'a [Letter]>,
}

/// What a kind's facts are worked out from, beside its own parts.
pub(crate) struct Occasion<'a> {
    /// The letter's date.
    pub date: NaiveDate,
    /// The case's letters before this one, oldest first.
    pub earlier: &'a [Letter],
    /// The case's nation, whose working days a deadline rolls to.
    pub nation: &'a Nation,
    /// The bank holidays.
    pub holidays: &'a BankHolidays,
}

impl Occasion<'_> {
    /// The facts of the earlier letter at `index`, worked out as they are for that
    /// letter itself (from the letters before it).
    fn earlier_follow_up(&self, index: usize) -> Result<Option<FollowUp>, FactsError> {
        let Some(letter) = self.earlier.get(index) else {
            return Ok(None);
        };
        let at = Occasion {
            date: letter.date,
            earlier: &self.earlier[..index],
            nation: self.nation,
            holidays: self.holidays,
        };
        letter.body.follow_up(&at).map(Some)
    }
}

/// The `follow_up` of a kind that derives no facts of its own.
fn no_follow_up<B>(_: &B, _: &Occasion<'_>) -> Result<FollowUp, FactsError> {
    Ok(FollowUp::default())
}

/// Computes the facts of one letter of a case: the case's, then its kind's own.
/// A letter is found among its case's letters by its kind and date, which no two
/// letters of a case share (checked at load).
pub fn facts(case: &Case, letter: &Letter, templates: &Templates) -> Result<Facts, FactsError> {
    let index = case
        .letters
        .iter()
        .position(|l| l.kind == letter.kind && l.date == letter.date)
        .unwrap_or(case.letters.len());
    let at = Occasion {
        date: letter.date,
        earlier: &case.letters[..index],
        nation: &case.nation,
        holidays: &templates.holidays,
    };
    let follow_up = letter.body.follow_up(&at)?;
    Ok(crate::derive::facts(case, &templates.regimes, follow_up))
}

/// The field names a serde struct declares, read from its derived `Deserialize`:
/// the one list of a kind's keys.
pub(crate) fn serde_fields<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    let mut names: &'static [&'static str] = &[];
    let _ = T::deserialize(FieldNames(&mut names));
    names
}

/// A deserializer that only records the field names a struct asks for.
struct FieldNames<'a>(&'a mut &'static [&'static str]);

impl<'de> Deserializer<'de> for FieldNames<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(de::Error::custom("only the names were wanted"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
        enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_own_keys_belong_to_one_kind() {
        for &kind in LetterKind::ALL {
            assert_eq!(kind.key().parse::<LetterKind>().ok(), Some(kind));
            for key in kind.own_keys() {
                let owner = LetterKind::owning(key).map(|(k, _)| k);
                // A key two kinds share is credited to the first; it is still each one's own.
                assert!(owner.is_some_and(|o| o.own_keys().contains(key)), "{key}");
            }
        }
        assert_eq!(LetterKind::Acknowledgement.own_keys(), &[] as &[&str]);
        assert_eq!(
            LetterKind::Decision.own_keys(),
            &["reasons", "recommendations"]
        );
        assert_eq!(
            LetterKind::ProgressReminder.own_keys(),
            &["chases", "within"]
        );
        assert_eq!(
            "progress-reminder".parse::<LetterKind>().ok(),
            Some(LetterKind::ProgressReminder)
        );
    }
}

/// The scale of a breach as a decision's or a reprimand's template sees it
/// (`letter.scale`): counts as numbers (the templates word them with `words`),
/// categories by their names in `categories.yaml`. Absent for a matter other
/// than a breach.
#[derive(Debug, serde::Serialize)]
pub(crate) struct ScaleView {
    /// How many people the breach affected, when the case gives it.
    people: Option<u64>,
    /// How many records it involved, when the case gives it.
    records: Option<u64>,
    /// The names of the categories of personal data involved, in the case's order.
    categories: Vec<String>,
    /// The names of those that are special category or criminal offence data.
    special: Vec<String>,
}

/// The scale of the breach, if the case is about one.
pub(crate) fn scale_view(
    facts: &Facts,
    templates: &crate::templates::Templates,
) -> Option<ScaleView> {
    let scale = facts.scale.as_ref()?;
    let named = |special_only: bool| {
        scale
            .categories
            .iter()
            .filter_map(|key| templates.categories.get(key))
            .filter(|category| !special_only || category.special)
            .map(|category| crate::escape::markdown(&category.name))
            .collect()
    };
    Some(ScaleView {
        people: scale.people,
        records: scale.records,
        categories: named(false),
        special: named(true),
    })
}
