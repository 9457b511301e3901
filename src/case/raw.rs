//! The case file as written: serde structs that mirror the YAML one to one.
//!
//! Every struct denies unknown keys, so a typo is an error rather than a silently
//! ignored fact. Values that are checked after parsing (dates, references, keys)
//! are kept as [`Spanned`] strings so their errors can point at the exact text.

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use serde_saphyr::Spanned;

/// A spanned string.
pub type Text = Spanned<String>;

/// The whole case file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFile {
    pub reference: Text,
    pub controller: Controller,
    pub officer: Officer,
    pub processing: Option<Text>,
    pub nation: Option<Text>,
    pub breach: Breach,
    pub letters: Spanned<Vec<Letter>>,
}

/// The organisation the letters go to.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Controller {
    pub name: Text,
    pub short_name: Option<Text>,
    #[serde(default)]
    pub address: Vec<Text>,
    pub email: Text,
    pub their_reference: Option<Text>,
    pub contact: Option<Text>,
    pub salutation: Option<Text>,
}

/// Who signs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Officer {
    pub name: Text,
    pub title: Text,
    pub team: Option<Text>,
    pub phone: Option<Text>,
    pub email: Option<Text>,
}

/// Facts from the controller's breach report.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Breach {
    pub occurred: Text,
    pub discovered: Text,
    pub reported: Text,
    #[serde(default)]
    pub follow_ups: Vec<Text>,
    pub summary: Option<Text>,
    pub data_subjects: Option<u64>,
    pub records: Option<u64>,
    #[serde(default)]
    pub categories: Vec<Text>,
    #[serde(default)]
    pub cyber: bool,
    #[serde(default)]
    pub incidents: Vec<Incident>,
}

/// One incident of a case that joins several.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Incident {
    pub reference: Text,
    pub their_reference: Option<Text>,
    pub date: Text,
}

/// One letter of the case. Which keys a kind allows is checked after parsing, so
/// the error can say "`findings` is not used by a decision".
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Letter {
    pub kind: Text,
    pub date: Text,
    pub to: Option<Text>,
    #[serde(default)]
    pub cc: Vec<Text>,
    pub contact: Option<Text>,
    pub salutation: Option<Text>,
    pub officer: Option<Officer>,
    #[serde(default)]
    pub paragraphs: Vec<Text>,
    #[serde(default)]
    pub attachments: Vec<Text>,
    // decision
    pub reasons: Option<Spanned<Vec<Text>>>,
    // decision and reprimand
    pub recommendations: Option<Spanned<Vec<Spanned<Recommendation>>>>,
    // reprimand
    pub delivery: Option<Text>,
    pub investigation: Option<Text>,
    pub summary: Option<Text>,
    pub findings: Option<Spanned<Vec<Text>>>,
    pub mitigation: Option<Spanned<Vec<Text>>>,
    pub remedial_action: Option<Text>,
    pub infringements: Option<Spanned<Vec<Text>>>,
    pub infringement_summary: Option<Text>,
    pub progress_update: Option<Spanned<ProgressUpdate>>,
}

impl Letter {
    /// The kind-specific keys that are present, with their locations.
    pub fn present_keys(&self) -> Vec<(&'static str, serde_saphyr::Location)> {
        fn at<T>(
            key: &'static str,
            value: &Option<Spanned<T>>,
        ) -> Option<(&'static str, serde_saphyr::Location)> {
            value.as_ref().map(|v| (key, v.referenced))
        }
        [
            at("reasons", &self.reasons),
            at("recommendations", &self.recommendations),
            at("delivery", &self.delivery),
            at("investigation", &self.investigation),
            at("summary", &self.summary),
            at("findings", &self.findings),
            at("mitigation", &self.mitigation),
            at("remedial_action", &self.remedial_action),
            at("infringements", &self.infringements),
            at("infringement_summary", &self.infringement_summary),
            at("progress_update", &self.progress_update),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// A recommendation: either its text, or `{ text, progress_update }`.
#[derive(Debug)]
pub struct Recommendation {
    pub text: String,
    /// Where the text is, when written as `text:` in a map (a plain item is
    /// located by the item itself).
    pub text_at: Option<(serde_saphyr::Location, serde_saphyr::Location)>,
    pub progress_update: Option<Spanned<bool>>,
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

/// A requested progress update.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgressUpdate {
    pub within: Text,
    pub to: Option<Text>,
    pub roll: Option<Text>,
    pub received: Option<Text>,
    pub extended_to: Option<Text>,
    pub note: Option<Text>,
}
