//! The case file as written: serde structs that mirror the YAML one to one.
//!
//! Every struct denies unknown keys, so a typo is an error rather than a silently
//! ignored fact. Values that are checked after parsing (dates, references, keys)
//! are kept as [`Located`] strings so their errors can point at the exact text.
//!
//! The same structs give the case file's JSON Schema (`casewright schema`, see
//! [`super::schema`]): each field's doc comment is its description there and its
//! comment in a scaffold (`casewright new`), so it says what the key means and how
//! it is written, in one line.

use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use super::schema;
use crate::case::Processing;
use crate::kinds::{Fields, LetterKind};

/// A value of the case file and where it is written: the parser's [`Spanned`],
/// which casewright's own type lets the schema see through (its schema is its
/// value's).
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where the value is used (an alias, for a value defined elsewhere).
    pub referenced: Location,
    /// Where the value is written.
    pub defined: Location,
}

impl<T> Located<T> {
    /// A value and its places.
    pub fn new(value: T, referenced: Location, defined: Location) -> Located<T> {
        Located {
            value,
            referenced,
            defined,
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Located<T> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<T>::deserialize(deserializer)?;
        Ok(Located::new(
            spanned.value,
            spanned.referenced,
            spanned.defined,
        ))
    }
}

/// A located string.
pub type Text = Located<String>;

/// The whole case file.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = schema::in_order::<Self>, transform = schema::one_matter)]
pub struct CaseFile {
    /// The office's reference for the case, which names its output folder: letters, digits and - _ . /, starting with a letter or digit (IC-31191-G5C6, INV/0864/2021).
    #[schemars(transform = schema::reference)]
    pub reference: Text,
    /// The organisation the letters go to.
    pub controller: Controller,
    /// Who signs the letters, unless a letter names another officer.
    pub officer: Officer,
    /// The kind of processing, which with the dates decides the law that applies: general (the default) or law-enforcement.
    #[schemars(with = "Option<Processing>")]
    pub processing: Option<Text>,
    /// Whose bank holidays deadlines and letter dates follow: a nation of the templates' calendar (casewright list nations); without it, the calendar's default.
    #[schemars(transform = schema::nation)]
    pub nation: Option<Text>,
    // Exactly one of the three matters: checked in validation, which can name both
    // keys when two are given.
    /// The matter, when it is a personal data breach the controller reported: a case has exactly one of breach, investigation and complaint.
    pub breach: Option<Located<Breach>>,
    /// The matter, when it is an investigation the office opened: a case has exactly one of breach, investigation and complaint.
    pub investigation: Option<Located<Investigation>>,
    /// The matter, when it is a complaint from a member of the public: a case has exactly one of breach, investigation and complaint.
    pub complaint: Option<Located<Complaint>>,
    /// The people the case names (staff, data subjects, third parties, complainants): each with a key that Markdown fields refer to as @key, and withheld from every public copy unless marked otherwise.
    #[serde(default)]
    pub people: Vec<Located<Person>>,
    /// The case's letters, oldest first: each its kind, its date and the keys of its kind.
    #[schemars(transform = schema::at_least_one)]
    pub letters: Located<Letters>,
}

/// A person the case names.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = schema::in_order::<Self>)]
pub struct Person {
    /// How Markdown fields refer to them: @key prints their name, @key.short the title and surname ("Mr Pike"), @key.surname and @key.forenames those alone. Lowercase letters, digits and hyphens, starting with a letter (jp, duty-manager).
    #[schemars(transform = schema::person_key)]
    pub key: Text,
    /// Their full name, as a letter would print it ("Jordan Pike").
    #[schemars(transform = schema::line)]
    pub name: Text,
    /// Their title, if a letter uses one ("Mr", "Dr", "Detective Inspector").
    #[schemars(transform = schema::plain)]
    pub title: Option<Text>,
    /// Who they are in the case: complainant, staff-member, data-subject or third-party.
    #[schemars(with = "crate::case::Role")]
    pub role: Text,
    /// Whether a public copy withholds every form of their name (true, the default, for every role); false for someone a published letter may name, such as a chief executive.
    pub withheld: Option<Located<bool>>,
}

/// The organisation the letters go to.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = schema::in_order::<Self>)]
pub struct Controller {
    /// Its full name, as letters address it.
    #[schemars(transform = schema::line)]
    pub name: Text,
    /// A shorter name for running text ("the Council").
    #[schemars(transform = schema::plain)]
    pub short_name: Option<Text>,
    /// Its postal address, a line an item, the postcode last.
    #[serde(default)]
    #[schemars(transform = schema::plain)]
    pub address: Vec<Text>,
    /// The address letters are emailed to.
    #[schemars(transform = schema::email)]
    pub email: Text,
    /// Its own reference for the case ("Your reference: ...").
    #[schemars(transform = schema::plain)]
    pub their_reference: Option<Text>,
    /// The person letters are addressed to ("Ms E Morrison" is greeted "Dear Ms Morrison"); without one, a neutral greeting.
    #[schemars(transform = schema::plain)]
    pub contact: Option<Text>,
    /// The greeting as written ("Dear Chief Constable"), instead of the one worked out from contact.
    #[schemars(transform = schema::plain)]
    pub salutation: Option<Text>,
}

/// Who signs.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = schema::in_order::<Self>)]
pub struct Officer {
    /// Their full name, as signed.
    #[schemars(transform = schema::line)]
    pub name: Text,
    /// Their job title, under the name.
    #[schemars(transform = schema::line)]
    pub title: Text,
    /// Their team.
    #[schemars(transform = schema::plain)]
    pub team: Option<Text>,
    /// Their direct line.
    #[schemars(transform = schema::plain)]
    pub phone: Option<Text>,
    /// Their direct email address.
    #[schemars(transform = schema::email)]
    pub email: Option<Text>,
}

/// Facts from the controller's breach report.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = schema::in_order::<Self>)]
pub struct Breach {
    /// The day the breach happened, YYYY-MM-DD: with processing, it decides the law that applies (unless incidents give their own dates).
    #[schemars(transform = schema::date)]
    pub occurred: Text,
    /// When the controller became aware of it, YYYY-MM-DDTHH:MM: local time, unless an offset follows (Z, +01:00).
    #[schemars(transform = schema::date_time)]
    pub discovered: Text,
    /// When the report reached the office, YYYY-MM-DDTHH:MM like discovered: later than the time limit of the law in force when the controller became aware of it (regimes.yaml) is a late report.
    #[schemars(transform = schema::date_time)]
    pub reported: Text,
    /// The days further information arrived, YYYY-MM-DD each.
    #[serde(default)]
    #[schemars(transform = schema::date)]
    pub follow_ups: Vec<Text>,
    /// (Markdown) What happened, as the letters tell it back: "You told us about an incident <summary>."
    #[schemars(transform = schema::markdown)]
    pub summary: Option<Text>,
    /// How many people's data was involved.
    pub data_subjects: Option<u64>,
    /// How many records were involved.
    pub records: Option<u64>,
    /// The categories of personal data involved, by key (casewright list categories).
    #[serde(default)]
    #[schemars(transform = schema::category)]
    pub categories: Vec<Text>,
    /// Whether it was a cyber incident.
    #[serde(default)]
    pub cyber: bool,
    /// The incidents the case joins, when it joins several: the law of each follows its date.
    #[serde(default)]
    pub incidents: Vec<Incident>,
}

/// Facts of an investigation the office opened of its own motion.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = schema::in_order::<Self>)]
pub struct Investigation {
    /// The day the office opened it, YYYY-MM-DD: no letter is older.
    #[schemars(transform = schema::date)]
    pub opened: Text,
    /// The period it examined, both days included: with processing, its first and last days decide the law that applies.
    pub period: Examined,
    /// (Markdown) What it looked into: "... an investigation into <summary>."
    #[schemars(transform = schema::markdown)]
    pub summary: Text,
}

/// The period an investigation examined, both days included.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = schema::in_order::<Self>)]
pub struct Examined {
    /// Its first day, YYYY-MM-DD.
    #[schemars(transform = schema::date)]
    pub from: Text,
    /// Its last day, YYYY-MM-DD, not before from.
    #[schemars(transform = schema::date)]
    pub until: Text,
}

/// Facts of a complaint from a member of the public.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = schema::in_order::<Self>)]
pub struct Complaint {
    /// The day it reached the office, YYYY-MM-DD: it decides the law that applies, and no letter is older.
    #[schemars(transform = schema::date)]
    pub received: Text,
    /// Who complained.
    pub complainant: Complainant,
    /// (Markdown) What it is about: "the complaint ... about <summary>."
    #[schemars(transform = schema::markdown)]
    pub summary: Text,
    /// Whether letters to the controller name the complainant.
    #[serde(default)]
    pub name_in_letter: bool,
}

/// Who complained.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = schema::in_order::<Self>)]
pub struct Complainant {
    /// Their name, as they gave it.
    #[schemars(transform = schema::line)]
    pub name: Text,
}

/// One incident of a case that joins several.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = schema::in_order::<Self>)]
pub struct Incident {
    /// The office's reference for the incident.
    #[schemars(transform = schema::plain)]
    pub reference: Text,
    /// The controller's reference for it.
    #[schemars(transform = schema::plain)]
    pub their_reference: Option<Text>,
    /// The day it happened, YYYY-MM-DD: its law follows this date.
    #[schemars(transform = schema::date)]
    pub date: Text,
}

/// One letter of the case: the keys every letter may have, then its kind's own
/// (see [`crate::kinds`]), read from the same map so that every value keeps its place
/// in the file.
#[derive(Debug)]
pub struct Letter {
    pub kind: Text,
    pub date: Text,
    pub to: Option<Text>,
    pub cc: Vec<Text>,
    pub contact: Option<Text>,
    pub salutation: Option<Text>,
    pub officer: Option<Officer>,
    pub delivery: Option<Text>,
    pub paragraphs: Vec<Text>,
    pub attachments: Vec<Text>,
    pub publication: Option<Located<Publication>>,
    /// The kind's own keys; `None` when the kind is not known (reported as such).
    pub fields: Option<Fields>,
    /// Keys of another kind, with where their values are: reported by the checks,
    /// which can say which kind takes them.
    pub misplaced: Vec<(&'static str, Location)>,
}

/// The keys every letter may have, in the order the "allowed" hint lists them.
pub(super) const COMMON_KEYS: [&str; 11] = [
    "kind",
    "date",
    "to",
    "cc",
    "contact",
    "salutation",
    "officer",
    "delivery",
    "paragraphs",
    "attachments",
    "publication",
];

/// The letters of a case file.
#[derive(Debug)]
pub struct Letters(pub Vec<Letter>);

thread_local! {
    /// The kind of each letter, by position, read before the case file itself: a
    /// letter's own keys may come before its `kind`, and serde-saphyr takes no seed
    /// at the top, so the kinds reach [`Letters`] this way (see [`with_kinds`]).
    static KINDS: std::cell::RefCell<Vec<Option<LetterKind>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs `parse` with the kinds of the file's letters known to [`Letters`].
pub fn with_kinds<T>(kinds: Vec<Option<LetterKind>>, parse: impl FnOnce() -> T) -> T {
    KINDS.with(|k| *k.borrow_mut() = kinds);
    let result = parse();
    KINDS.with(|k| k.borrow_mut().clear());
    result
}

/// The first reading of a case file: only each letter's kind, all else skipped.
#[derive(Debug, Deserialize)]
pub struct KindsOnly {
    #[serde(default)]
    letters: Vec<KindOnly>,
}

#[derive(Debug, Deserialize)]
struct KindOnly {
    kind: Option<String>,
}

impl KindsOnly {
    /// Each letter's kind, if it is one.
    pub fn kinds(self) -> Vec<Option<LetterKind>> {
        self.letters
            .into_iter()
            .map(|l| l.kind.and_then(|k| k.parse().ok()))
            .collect()
    }
}

impl<'de> Deserialize<'de> for Letters {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(LettersVisitor)
    }
}

struct LettersVisitor;

impl<'de> Visitor<'de> for LettersVisitor {
    type Value = Letters;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of letters")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Letters, A::Error> {
        let mut letters = Vec::new();
        loop {
            let kind = KINDS.with(|k| k.borrow().get(letters.len()).copied().flatten());
            match seq.next_element_seed(LetterSeed(kind))? {
                Some(letter) => letters.push(letter),
                None => return Ok(Letters(letters)),
            }
        }
    }
}

/// Reads one letter, knowing its kind.
struct LetterSeed(Option<LetterKind>);

impl<'de> DeserializeSeed<'de> for LetterSeed {
    type Value = Letter;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Letter, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for LetterSeed {
    type Value = Letter;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a letter: a map with `kind`, `date` and the kind's keys")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Letter, A::Error> {
        let mut map = LetterMap {
            inner: map,
            kind: self.0,
            common: Common::default(),
        };
        let fields = match self.0 {
            Some(kind) => Some(kind.fields(MapDeserializer(&mut map))?),
            None => {
                while map.next_key::<de::IgnoredAny>()?.is_some() {}
                None
            }
        };
        let common = map.common;
        Ok(Letter {
            kind: common
                .kind
                .ok_or_else(|| de::Error::missing_field("kind"))?,
            date: common
                .date
                .ok_or_else(|| de::Error::missing_field("date"))?,
            to: common.to,
            cc: common.cc,
            contact: common.contact,
            salutation: common.salutation,
            officer: common.officer,
            delivery: common.delivery,
            paragraphs: common.paragraphs,
            attachments: common.attachments,
            publication: common.publication,
            fields,
            misplaced: common.misplaced,
        })
    }
}

/// The common keys of a letter, as they are read; its schema is the part of every
/// letter's schema that is not its kind's own (see [`super::schema`]).
#[derive(Default, JsonSchema)]
pub(super) struct Common {
    /// The kind of letter.
    #[schemars(required)]
    kind: Option<Text>,
    /// The letter's date, YYYY-MM-DD: the day it is sent.
    #[schemars(required, transform = schema::date)]
    date: Option<Text>,
    /// Another address to send it to, instead of the controller's email.
    #[schemars(transform = schema::email)]
    to: Option<Text>,
    /// Addresses to copy it to.
    #[serde(default)]
    #[schemars(transform = schema::email)]
    cc: Vec<Text>,
    /// Another person to address it to, instead of the controller's contact.
    #[schemars(transform = schema::plain)]
    contact: Option<Text>,
    /// The greeting as written ("Dear Chief Constable"), instead of the one worked out from contact.
    #[schemars(transform = schema::plain)]
    salutation: Option<Text>,
    /// Another officer to sign it, instead of the case's officer.
    officer: Option<Officer>,
    /// How it is sent: email (the default), or post, the address in the envelope window.
    #[schemars(with = "Option<super::Delivery>")]
    delivery: Option<Text>,
    /// Standard paragraphs to add, by key (casewright list paragraphs).
    #[serde(default)]
    #[schemars(transform = schema::paragraph)]
    paragraphs: Vec<Text>,
    /// Standard attachments to send with it, by key (casewright list attachments).
    #[serde(default)]
    #[schemars(transform = schema::attachment)]
    attachments: Vec<Text>,
    /// A public copy of the letter, written beside it as <date>-<kind>.public.md and .pdf: the day it is published, and what it withholds.
    publication: Option<Located<Publication>>,
    #[schemars(skip)]
    misplaced: Vec<(&'static str, Location)>,
}

/// A letter's map as its kind's `Fields` sees it: the common keys are read aside,
/// and only the kind's own keys are passed on.
struct LetterMap<A> {
    inner: A,
    kind: Option<LetterKind>,
    common: Common,
}

impl<'de, A: MapAccess<'de>> LetterMap<A> {
    /// Reads the value of a common key; false if `key` is not one.
    fn common(&mut self, key: &str) -> Result<bool, A::Error> {
        let common = &mut self.common;
        let inner = &mut self.inner;
        match key {
            "kind" => common.kind = Some(inner.next_value()?),
            "date" => common.date = Some(inner.next_value()?),
            "to" => common.to = inner.next_value()?,
            "cc" => common.cc = inner.next_value()?,
            "contact" => common.contact = inner.next_value()?,
            "salutation" => common.salutation = inner.next_value()?,
            "officer" => common.officer = inner.next_value()?,
            "delivery" => common.delivery = inner.next_value()?,
            "paragraphs" => common.paragraphs = inner.next_value()?,
            "attachments" => common.attachments = inner.next_value()?,
            "publication" => common.publication = inner.next_value()?,
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// Reads a letter's key, refusing one that no letter takes: inside the parser's
/// reading of the key, so the error is located at it.
struct KnownKey(Option<LetterKind>);

impl<'de> DeserializeSeed<'de> for KnownKey {
    type Value = String;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        let key = String::deserialize(deserializer)?;
        let own = self.0.map_or(&[][..], LetterKind::own_keys);
        if COMMON_KEYS.contains(&key.as_str()) || LetterKind::owning(&key).is_some() {
            return Ok(key);
        }
        let keys: Vec<String> = COMMON_KEYS
            .iter()
            .chain(own)
            .map(|k| format!("`{k}`"))
            .collect();
        // Worded as serde words it, which the diagnostics read back.
        Err(de::Error::custom(format_args!(
            "unknown field `{key}`, expected one of {}",
            keys.join(", ")
        )))
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for LetterMap<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            let Some(key) = self.inner.next_key_seed(KnownKey(self.kind))? else {
                return Ok(None);
            };
            if self.common(&key)? {
                continue;
            }
            let own = self.kind.map_or(&[][..], LetterKind::own_keys);
            if own.contains(&key.as_str()) {
                return seed.deserialize(key.into_deserializer()).map(Some);
            }
            if let Some((_, name)) = LetterKind::owning(&key) {
                let value: Located<de::IgnoredAny> = self.inner.next_value()?;
                self.common.misplaced.push((name, value.referenced));
            }
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.inner.next_value_seed(seed)
    }
}

/// Hands a [`LetterMap`] to a kind's derived `Deserialize`.
struct MapDeserializer<'m, A>(&'m mut LetterMap<A>);

impl<'de, A: MapAccess<'de>> de::Deserializer<'de> for MapDeserializer<'_, A> {
    type Error = A::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        visitor.visit_map(self.0)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
        struct enum identifier ignored_any
    }
}

/// A recommendation: either its text, or `{ text, progress_update }`.
#[derive(Debug)]
pub struct Recommendation {
    pub text: String,
    /// Where the text is, when written as `text:` in a map (a plain item is
    /// located by the item itself).
    pub text_at: Option<(serde_saphyr::Location, serde_saphyr::Location)>,
    pub progress_update: Option<Located<bool>>,
}

impl<'de> Deserialize<'de> for Recommendation {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RecommendationVisitor)
    }
}

struct RecommendationVisitor;

impl<'de> Visitor<'de> for RecommendationVisitor {
    type Value = Recommendation;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a recommendation: its text, or a map with `text` and `progress_update`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Recommendation, A::Error> {
        let mut text = None;
        let mut progress_update = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "text" if text.is_none() => text = Some(map.next_value::<Text>()?),
                "progress_update" if progress_update.is_none() => {
                    progress_update = Some(map.next_value()?)
                }
                "text" => return Err(de::Error::duplicate_field("text")),
                "progress_update" => return Err(de::Error::duplicate_field("progress_update")),
                other => {
                    return Err(de::Error::unknown_field(
                        other,
                        &["text", "progress_update"],
                    ));
                }
            }
        }
        let text = text.ok_or_else(|| de::Error::missing_field("text"))?;
        Ok(Recommendation {
            text: text.value,
            text_at: Some((text.referenced, text.defined)),
            progress_update,
        })
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Recommendation, E> {
        Ok(Recommendation {
            text: text.to_owned(),
            text_at: None,
            progress_update: None,
        })
    }
}

/// A letter's public copy, as written.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = schema::in_order::<Self>)]
pub struct Publication {
    /// The day the public copy is published, YYYY-MM-DD: not before the letter's date.
    #[schemars(transform = schema::date)]
    pub date: Text,
    /// What the public copy leaves out besides the people of the case, each replaced by the office's word for it: a string as the letter gives it (at least four letters or digits), field: and the path of a case field (controller.contact, complaint.complainant.name), or person: and a key of people.
    #[serde(default)]
    pub withhold: Vec<Located<Withheld>>,
    /// Keys of people the public copy names although they are withheld by default (a complainant who agreed to be named).
    #[serde(default)]
    pub names: Vec<Text>,
}

/// One thing a public copy withholds: a string, or a field of the case by its path.
#[derive(Debug)]
pub enum Withheld {
    /// A string, as the letter gives it.
    Text(String),
    /// The path of a field of the case (`controller.contact`), where it is written.
    Field(Text),
    /// The key of a person of the case (`people`), where it is written.
    Person(Text),
}

impl<'de> Deserialize<'de> for Withheld {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(WithheldVisitor)
    }
}

struct WithheldVisitor;

impl<'de> Visitor<'de> for WithheldVisitor {
    type Value = Withheld;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string to withhold, or a map with `field` and the path of a case field, or with `person` and a key of people")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Withheld, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "field" | "person" if found.is_some() => {
                    return Err(de::Error::custom(
                        "an item withholds one thing: a `field` or a `person`",
                    ));
                }
                "field" => found = Some(Withheld::Field(map.next_value::<Text>()?)),
                "person" => found = Some(Withheld::Person(map.next_value::<Text>()?)),
                other => return Err(de::Error::unknown_field(other, &["field", "person"])),
            }
        }
        found.ok_or_else(|| de::Error::missing_field("field"))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Withheld, E> {
        Ok(Withheld::Text(text.to_owned()))
    }
}
