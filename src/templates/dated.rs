//! Values of `office.yaml` that change over time, and standard paragraphs in
//! dated variants: each letter gets the version in force on its date (the rule
//! is [`crate::derive::in_force_on`]).
//!
//! A value is written plainly when it does not change, or as a list of versions,
//! each a mapping of `value` and optional `from` and `until` (YYYY-MM-DD, both
//! inclusive):
//!
//! ```yaml
//! phone: 0303 123 1113
//! laws:
//!   - { until: 2020-12-31, value: the GDPR }
//!   - { from: 2021-01-01, value: the UK GDPR }
//! ```
//!
//! A paragraph `paragraphs/<key>.md.tera` is always in force; its dated
//! variants are `paragraphs/<key>@<from>..<until>.md.tera`, either end left out
//! when open (`pandemic-delays@2020-03-23..2022-03-31.md.tera`,
//! `complaints@2021-01-01...md.tera` or, the same, `complaints@2021-01-01.md.tera`).

use chrono::NaiveDate;
use serde::de::{self, Deserialize, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Serialize, Serializer};
use serde_saphyr::Spanned;

use crate::case::{InForce, in_force_on};

/// A value in versions, each in force over some days. A plain value is one
/// version in force on every day.
#[derive(Debug, Clone, PartialEq)]
pub struct Dated<T> {
    /// The versions, as written.
    pub versions: Vec<Version<T>>,
}

/// One version of a [`Dated`] value.
#[derive(Debug, Clone, PartialEq)]
pub struct Version<T> {
    /// The days it is in force.
    pub in_force: InForce,
    /// The value.
    pub value: T,
    /// Where the version is written (line and column, from 1); `(0, 0)` for a
    /// plain value.
    pub at: (usize, usize),
}

impl<T> Dated<T> {
    /// A value that never changes.
    pub fn plain(value: T) -> Dated<T> {
        Dated {
            versions: vec![Version {
                in_force: InForce::default(),
                value,
                at: (0, 0),
            }],
        }
    }

    /// The version in force on `date`, if any.
    pub fn on(&self, date: NaiveDate) -> Option<&T> {
        in_force_on(&self.spans(), date).map(|index| &self.versions[index].value)
    }

    /// The days each version is in force.
    pub fn spans(&self) -> Vec<InForce> {
        self.versions.iter().map(|v| v.in_force).collect()
    }

    /// Whether it is given in versions (not as one plain value).
    pub fn is_versioned(&self) -> bool {
        self.versions.iter().any(|v| v.at != (0, 0))
    }
}

impl<T: Serialize> Serialize for Dated<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.versions.as_slice() {
            [only] if !self.is_versioned() => only.value.serialize(serializer),
            versions => {
                let written: Vec<serde_json::Value> = versions
                    .iter()
                    .map(|v| {
                        serde_json::json!({
                            "from": v.in_force.from.map(|d| d.to_string()),
                            "until": v.in_force.until.map(|d| d.to_string()),
                            "value": serde_json::to_value(&v.value).unwrap_or_default(),
                        })
                    })
                    .collect();
                written.serialize(serializer)
            }
        }
    }
}

/// A YAML node as read, each item and entry with its place: enough to tell a
/// list of versions from a plain list, and to point at a version.
#[derive(Debug)]
enum Node {
    Null,
    Scalar(String),
    Seq(Vec<Spanned<Node>>),
    Map(Vec<(String, Spanned<Node>)>),
}

impl Node {
    /// The node as JSON, scalars as strings (every dated value is text).
    fn json(self) -> serde_json::Value {
        match self {
            Node::Null => serde_json::Value::Null,
            Node::Scalar(text) => serde_json::Value::String(text),
            Node::Seq(items) => items.into_iter().map(|i| i.value.json()).collect(),
            Node::Map(entries) => entries
                .into_iter()
                .map(|(k, v)| (k, v.value.json()))
                .collect::<serde_json::Map<_, _>>()
                .into(),
        }
    }

    /// Whether it is a mapping of `value` and, optionally, `from` and `until`.
    fn is_version(&self) -> bool {
        match self {
            Node::Map(entries) => {
                entries.iter().any(|(k, _)| k == "value")
                    && entries
                        .iter()
                        .all(|(k, _)| matches!(k.as_str(), "from" | "until" | "value"))
            }
            _ => false,
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a value, or a list of versions (`from`, `until`, `value`)")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_owned()))
    }
    // Every dated value is text: a scalar YAML reads as a number or a yes/no has
    // already lost how it was written (`0303...` as 303...), so it is refused.
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Err(not_text("true or false", &v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Err(not_text("a number", &v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Err(not_text("a number", &v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Err(not_text("a number", &v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Node>>()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry::<String, Spanned<Node>>()? {
            entries.push(entry);
        }
        Ok(Node::Map(entries))
    }
}

/// Why a value YAML reads as other than text (`read` as `as_read`) is refused.
fn not_text<E: de::Error>(read: &str, as_read: &str) -> E {
    E::custom(format!(
        "this value is read as {read} ({as_read}), not as text: put it in quotes to keep it as written"
    ))
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Dated<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let node = Node::deserialize(deserializer)?;
        let value = |node: Node| serde_json::from_value::<T>(node.json());
        match node {
            Node::Seq(items) if !items.is_empty() && items.iter().all(|i| i.value.is_version()) => {
                let mut versions = Vec::new();
                for item in items {
                    let at = (
                        item.referenced.line() as usize,
                        item.referenced.column() as usize,
                    );
                    let Node::Map(entries) = item.value else {
                        continue;
                    };
                    let mut in_force = InForce::default();
                    let mut found = None;
                    for (key, entry) in entries {
                        match (key.as_str(), entry.value) {
                            ("value", node) => {
                                found = Some(value(node).map_err(de::Error::custom)?)
                            }
                            (end, Node::Scalar(text)) => {
                                let date = text.parse::<NaiveDate>().map_err(|_| {
                                    de::Error::custom(format!(
                                        "`{end}` of a version must be a date, YYYY-MM-DD (line {})",
                                        entry.referenced.line()
                                    ))
                                })?;
                                if end == "from" {
                                    in_force.from = Some(date);
                                } else {
                                    in_force.until = Some(date);
                                }
                            }
                            (end, _) => {
                                return Err(de::Error::custom(format!(
                                    "`{end}` of a version must be a date, YYYY-MM-DD (line {})",
                                    entry.referenced.line()
                                )));
                            }
                        }
                    }
                    let Some(value) = found else { continue };
                    versions.push(Version {
                        in_force,
                        value,
                        at,
                    });
                }
                Ok(Dated { versions })
            }
            node => value(node).map(Dated::plain).map_err(de::Error::custom),
        }
    }
}

/// A paragraph file's name, `<key>` or `<key>@<from>..<until>` (the part before
/// `.md.tera`): its key and the days it is in force, or why the dates are wrong.
pub fn paragraph_variant(stem: &str) -> Result<(&str, InForce), String> {
    let Some((key, days)) = stem.split_once('@') else {
        return Ok((stem, InForce::default()));
    };
    let (from, until) = days.split_once("..").unwrap_or((days, ""));
    let date = |text: &str| -> Result<Option<NaiveDate>, String> {
        if text.is_empty() {
            return Ok(None);
        }
        text.parse()
            .map(Some)
            .map_err(|_| format!("`{text}` is not a date, YYYY-MM-DD"))
    };
    let in_force = InForce {
        from: date(from)?,
        until: date(until)?,
    };
    if in_force == InForce::default() {
        return Err("a variant names at least one date: `<key>@<from>..<until>`".to_owned());
    }
    if in_force.is_empty() {
        return Err("its `until` date is before its `from` date".to_owned());
    }
    Ok((key, in_force))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Office {
        phone: Dated<String>,
        address: Dated<Vec<String>>,
        #[serde(default)]
        strapline: Option<Dated<String>>,
        links: BTreeMap<String, Dated<String>>,
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("a date")
    }

    const YAML: &str = "\
phone: 0303 123 1113
address: [Wycliffe House, Water Lane]
links:
  guide: https://example.org/guide
  security:
    - { until: 2020-12-31, value: https://example.org/old }
    - from: 2021-01-01
      value: https://example.org/new
";

    #[test]
    fn plain_values_stay_plain_and_lists_stay_lists() {
        let office: Office = serde_saphyr::from_str(YAML).expect("reads");
        assert_eq!(office.phone, Dated::plain("0303 123 1113".to_owned()));
        assert_eq!(
            office.address.on(day("1999-01-01")),
            Some(&vec!["Wycliffe House".to_owned(), "Water Lane".to_owned()])
        );
        assert!(office.strapline.is_none());
        assert!(!office.links["guide"].is_versioned());
    }

    /// A value YAML reads as a number or a yes/no has lost how it was written:
    /// refused, plain or in a version, and quoted it is kept as written.
    #[test]
    fn values_that_are_not_text_are_refused() {
        for (phone, refused) in [
            ("03031231113", Some("read as a number (3031231113)")),
            ("0303.1", Some("read as a number (303.1)")),
            ("yes", Some("read as true or false (true)")),
            ("true", Some("read as true or false (true)")),
            (
                "[{ from: 2021-01-01, value: 0303 }]",
                Some("read as a number (303)"),
            ),
            ("\"03031231113\"", None),
            ("'0303 123 1113'", None),
        ] {
            let yaml = format!("phone: {phone}\naddress: [A]\nlinks: {{}}\n");
            let read = serde_saphyr::from_str::<Office>(&yaml);
            match refused {
                Some(why) => {
                    let error = read.expect_err(phone).to_string();
                    assert!(error.contains(why), "{phone}: {error}");
                    assert!(error.contains("put it in quotes"), "{phone}: {error}");
                }
                None => assert!(read.is_ok(), "{phone}: {read:?}"),
            }
        }
    }

    #[test]
    fn versions_are_read_with_their_days_and_lines() {
        let office: Office = serde_saphyr::from_str(YAML).expect("reads");
        let security = &office.links["security"];
        assert!(security.is_versioned());
        assert_eq!(security.versions[0].at.0, 6);
        assert_eq!(security.versions[1].at.0, 7);
        assert_eq!(
            security.on(day("2020-12-31")).map(String::as_str),
            Some("https://example.org/old")
        );
        assert_eq!(
            security.on(day("2021-01-01")).map(String::as_str),
            Some("https://example.org/new")
        );
    }

    #[test]
    fn a_list_of_versions_of_a_list() {
        let yaml = "phone: x\nlinks: {}\naddress:\n  - { until: 2020-12-31, value: [Old House] }\n  - { from: 2021-01-01, value: [New House, Leeds] }\n";
        let office: Office = serde_saphyr::from_str(yaml).expect("reads");
        assert_eq!(
            office.address.on(day("2021-06-01")),
            Some(&vec!["New House".to_owned(), "Leeds".to_owned()])
        );
    }

    #[test]
    fn a_version_with_a_bad_date_is_an_error() {
        let yaml = "phone:\n  - { from: 2021-13-01, value: x }\naddress: []\nlinks: {}\n";
        let error = serde_saphyr::from_str::<Office>(yaml).expect_err("a bad date");
        assert!(
            error
                .to_string()
                .contains("`from` of a version must be a date"),
            "{error}"
        );
    }

    #[test]
    fn paragraph_file_names_give_key_and_days() {
        let none = InForce::default();
        type Expected<'a> = Result<(&'a str, InForce), ()>;
        let cases: [(&str, Expected); 7] = [
            ("pandemic-delays", Ok(("pandemic-delays", none))),
            (
                "p@2020-03-23..2022-03-31",
                Ok((
                    "p",
                    InForce {
                        from: Some(day("2020-03-23")),
                        until: Some(day("2022-03-31")),
                    },
                )),
            ),
            (
                "p@2021-01-01",
                Ok((
                    "p",
                    InForce {
                        from: Some(day("2021-01-01")),
                        until: None,
                    },
                )),
            ),
            (
                "p@..2020-12-31",
                Ok((
                    "p",
                    InForce {
                        from: None,
                        until: Some(day("2020-12-31")),
                    },
                )),
            ),
            ("p@", Err(())),
            ("p@2021-02-30", Err(())),
            ("p@2021-01-01..2020-01-01", Err(())),
        ];
        for (stem, expected) in cases {
            assert_eq!(paragraph_variant(stem).map_err(|_| ()), expected, "{stem}");
        }
    }
}
