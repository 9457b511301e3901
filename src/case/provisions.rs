//! The catalogue of provisions a case may cite, as the validator needs it: each
//! key's regime and title, which provisions of other regimes require the same,
//! and what to suggest for a key that is not in the catalogue.
//!
//! A suggestion never crosses from one principle to another: a near miss of
//! `uk-gdpr-art5-1-e` may be `gdpr-art5-1-e` (the same article in another regime)
//! but never `uk-gdpr-art5-1-f`, however close the two keys are as strings.

use std::collections::{BTreeMap, BTreeSet};

use crate::case::Regime;

/// One provision, as the catalogue knows it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The regime it belongs to.
    pub regime: Regime,
    /// How a letter names it ("Article 5(1)(e) of the regulation", as `provisions.yaml` titles it).
    pub title: String,
    /// The name of the principle or right it sets out, if it has one.
    pub name: Option<String>,
    /// Provisions of other regimes listed as requiring the same.
    pub counterparts: Vec<String>,
}

/// Every provision key with what the validator needs to know of it.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    entries: BTreeMap<String, Entry>,
    /// Each regime's key prefix (`uk-gdpr-`), found from its keys.
    prefixes: Vec<String>,
}

/// The most keys one suggestion lists.
const MAX_SUGGESTIONS: usize = 6;

impl Catalogue {
    /// The catalogue of these provisions.
    pub fn new(entries: BTreeMap<String, Entry>) -> Catalogue {
        let mut by_regime: BTreeMap<Regime, Vec<&str>> = BTreeMap::new();
        for (key, entry) in &entries {
            by_regime.entry(entry.regime.clone()).or_default().push(key);
        }
        let mut prefixes: Vec<String> = by_regime
            .values()
            .filter(|keys| keys.len() > 1)
            .filter_map(|keys| key_prefix(keys))
            .collect();
        // Longest first, so `uk-gdpr-` is tried before `gdpr-` could be.
        prefixes.sort_by_key(|p| std::cmp::Reverse(p.len()));
        Catalogue { entries, prefixes }
    }

    /// The provision of this key.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.get(key)
    }

    /// The provisions of other regimes that require the same as `key`: the same
    /// citation in another regime ("Article 5(1)(e)" of two regulations,
    /// one before and one after a change of law), the provisions listed as its counterparts either way, and theirs
    /// by citation. Not transitive beyond that, so two articles that map onto
    /// one section never become each other's counterparts.
    pub fn counterparts(&self, key: &str) -> BTreeSet<&str> {
        let key = match self.entries.get_key_value(key) {
            Some((own, _)) => own.as_str(),
            None => return BTreeSet::new(),
        };
        let mut found = BTreeSet::new();
        for same in self.same_citation(key) {
            found.insert(same);
            for listed in self.listed(same) {
                found.extend(self.same_citation(listed));
            }
        }
        found.remove(key);
        found
    }

    /// The keys to suggest for one that is not in the catalogue, closest first:
    /// keys that cite the same article or section (in any regime, and its
    /// paragraphs and points where the typed key stops short), or, failing
    /// that, keys whose title or name holds every word of it
    /// (`storage-limitation`, `article-5-1-e`).
    pub fn suggest(&self, typed: &str) -> Vec<&str> {
        let typed = typed.to_lowercase();
        let marks = citation_marks(self.strip_prefix(&typed));
        let mut found: Vec<&str> = if marks.iter().any(|m| m.is_numeric()) {
            self.entries
                .keys()
                .filter(|key| citation_marks(self.strip_prefix(key)).starts_with(&marks))
                .map(String::as_str)
                .collect()
        } else {
            Vec::new()
        };
        if found.is_empty() {
            let words = words(&typed);
            if !words.is_empty() {
                found = self
                    .entries
                    .iter()
                    .filter(|(_, entry)| {
                        let mut told = words_of(&entry.title);
                        told.extend(entry.name.as_deref().map(words_of).unwrap_or_default());
                        words.iter().all(|w| told.contains(w))
                    })
                    .map(|(key, _)| key.as_str())
                    .collect();
            }
        }
        found.sort_by_key(|key| strsim::damerau_levenshtein(&typed, key));
        found
    }

    /// The note that offers `suggest`'s keys, with their titles, if there are any.
    pub fn suggestion_note(&self, typed: &str) -> Option<String> {
        let found = self.suggest(typed);
        let shown: Vec<String> = found
            .iter()
            .take(MAX_SUGGESTIONS)
            .map(|key| format!("`{key}` ({})", self.entries[*key].title))
            .collect();
        let more = found.len().saturating_sub(MAX_SUGGESTIONS);
        match shown.as_slice() {
            [] => None,
            [one] => Some(format!("did you mean {one}?")),
            [first, rest @ ..] if more == 0 => Some(format!(
                "did you mean {first}, or one of: {}?",
                rest.join(", ")
            )),
            _ => Some(format!(
                "did you mean one of: {}, and {more} more?",
                shown.join(", ")
            )),
        }
    }

    /// `key` and the keys of other regimes with the same citation (nothing for
    /// a key not in the catalogue).
    fn same_citation(&self, key: &str) -> Vec<&str> {
        let Some((own, entry)) = self.entries.get_key_value(key) else {
            return Vec::new();
        };
        let cited = citation(&entry.title);
        let mut found = vec![own.as_str()];
        found.extend(
            self.entries
                .iter()
                .filter(|(_, other)| {
                    other.regime != entry.regime && citation(&other.title) == cited
                })
                .map(|(other, _)| other.as_str()),
        );
        found
    }

    /// The provisions listed as `key`'s counterparts, or listing it as theirs.
    fn listed<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        let own = self
            .entries
            .get(key)
            .into_iter()
            .flat_map(|e| e.counterparts.iter().map(String::as_str));
        let theirs = self
            .entries
            .iter()
            .filter(move |(_, e)| e.counterparts.iter().any(|c| c == key))
            .map(|(other, _)| other.as_str());
        own.chain(theirs)
    }

    /// The key without its regime's prefix, compared ignoring punctuation.
    fn strip_prefix<'a>(&self, key: &'a str) -> &'a str {
        for prefix in &self.prefixes {
            let mut wanted = prefix.chars().filter(|c| c.is_alphanumeric()).peekable();
            for (at, c) in key.char_indices() {
                if wanted.peek().is_none() {
                    return &key[at..];
                }
                if !c.is_alphanumeric() {
                    continue;
                }
                if Some(c) != wanted.next() {
                    break;
                }
            }
        }
        key
    }
}

/// The citation a title makes, without the law it belongs to: "Article 5(1)(e)"
/// of "Article 5(1)(e) of the regulation".
pub fn citation(title: &str) -> &str {
    title.split_once(" of ").map_or(title, |(cited, _)| cited)
}

/// The common prefix of a regime's keys, up to and including its last `-`
/// (`uk-gdpr-` of `uk-gdpr-art5-1-f` and `uk-gdpr-art32-1`).
fn key_prefix(keys: &[&str]) -> Option<String> {
    let first = keys.first()?;
    let mut len = first.len();
    for key in keys {
        len = first
            .bytes()
            .zip(key.bytes())
            .take(len)
            .take_while(|(a, b)| a == b)
            .count();
    }
    let common = &first[..len];
    common.rfind('-').map(|end| common[..=end].to_owned())
}

/// What identifies a citation within its regime: the word before the first
/// number (`art`, `s`), every number, and each single letter after it (the
/// points: `5`, `1`, `e` of `art5-1-e`).
fn citation_marks(rest: &str) -> Vec<Mark> {
    let mut marks = Vec::new();
    let mut seen_number = false;
    let mut lead = None;
    for token in tokens(rest) {
        if token.chars().all(|c| c.is_ascii_digit()) {
            if !seen_number {
                marks.extend(lead.take().map(Mark::Word));
            }
            seen_number = true;
            marks.push(Mark::Number(token.trim_start_matches('0').to_owned()));
        } else if seen_number {
            if token.chars().count() == 1 {
                marks.push(Mark::Point(token));
            }
        } else {
            lead = Some(token);
        }
    }
    marks
}

/// One part of a citation (see [`citation_marks`]).
#[derive(Debug, PartialEq, Eq)]
enum Mark {
    Word(String),
    Number(String),
    Point(String),
}

impl Mark {
    fn is_numeric(&self) -> bool {
        matches!(self, Mark::Number(_))
    }
}

/// The runs of letters and of digits in `text`, lowercased.
fn tokens(text: &str) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    let mut last: Option<bool> = None;
    for c in text.chars() {
        if !c.is_alphanumeric() {
            last = None;
            continue;
        }
        let digit = c.is_ascii_digit();
        match tokens.last_mut() {
            Some(token) if last == Some(digit) => token.extend(c.to_lowercase()),
            _ => tokens.push(c.to_lowercase().collect()),
        }
        last = Some(digit);
    }
    tokens
}

/// The words of a typed key worth matching against titles: every token but the
/// one-letter ones (`s`, the `a` of `art5-1-a` is matched by citation instead).
fn words(typed: &str) -> Vec<String> {
    tokens(typed).into_iter().filter(|t| t.len() > 1).collect()
}

/// The tokens of a title or name, as a set.
fn words_of(text: &str) -> BTreeSet<String> {
    tokens(text).into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key, its regime, title, name and listed counterparts.
    type Row = (
        &'static str,
        Regime,
        &'static str,
        Option<&'static str>,
        &'static [&'static str],
    );

    fn catalogue() -> Catalogue {
        let rows: [Row; 13] = [
            (
                "gdpr-art5-1-e",
                Regime::new("gdpr"),
                "Article 5(1)(e) of the GDPR",
                Some("the storage limitation principle"),
                &[],
            ),
            (
                "gdpr-art5-1-f",
                Regime::new("gdpr"),
                "Article 5(1)(f) of the GDPR",
                None,
                &[],
            ),
            (
                "gdpr-art13",
                Regime::new("gdpr"),
                "Article 13 of the GDPR",
                None,
                &[],
            ),
            (
                "gdpr-art14",
                Regime::new("gdpr"),
                "Article 14 of the GDPR",
                None,
                &[],
            ),
            (
                "gdpr-art35-1",
                Regime::new("gdpr"),
                "Article 35(1) of the GDPR",
                None,
                &[],
            ),
            (
                "uk-gdpr-art5-1-e",
                Regime::new("uk-gdpr"),
                "Article 5(1)(e) of the UK GDPR",
                Some("the storage limitation principle"),
                &["dpa2018-s39"],
            ),
            (
                "uk-gdpr-art5-1-f",
                Regime::new("uk-gdpr"),
                "Article 5(1)(f) of the UK GDPR",
                None,
                &["dpa2018-s40"],
            ),
            (
                "uk-gdpr-art13",
                Regime::new("uk-gdpr"),
                "Article 13 of the UK GDPR",
                None,
                &["dpa2018-s44"],
            ),
            (
                "uk-gdpr-art14",
                Regime::new("uk-gdpr"),
                "Article 14 of the UK GDPR",
                None,
                &["dpa2018-s44"],
            ),
            (
                "dpa2018-s35",
                Regime::new("dpa2018-part3"),
                "Section 35 of the DPA 2018",
                None,
                &[],
            ),
            (
                "dpa2018-s39",
                Regime::new("dpa2018-part3"),
                "Section 39 of the DPA 2018",
                Some("the fifth data protection principle"),
                &[],
            ),
            (
                "dpa2018-s40",
                Regime::new("dpa2018-part3"),
                "Section 40 of the DPA 2018",
                None,
                &[],
            ),
            (
                "dpa2018-s44",
                Regime::new("dpa2018-part3"),
                "Section 44 of the DPA 2018",
                None,
                &[],
            ),
        ];
        Catalogue::new(
            rows.into_iter()
                .map(|(key, regime, title, name, counterparts)| {
                    let entry = Entry {
                        regime,
                        title: title.to_owned(),
                        name: name.map(str::to_owned),
                        counterparts: counterparts.iter().map(|c| c.to_string()).collect(),
                    };
                    (key.to_owned(), entry)
                })
                .collect(),
        )
    }

    #[test]
    fn suggestions_keep_to_the_same_citation_or_the_words_typed() {
        let catalogue = catalogue();
        for (typed, expected) in [
            // Punctuation and capitals: the same citation, in its own regime first.
            (
                "uk-gdpr-art5-1e",
                &["uk-gdpr-art5-1-e", "gdpr-art5-1-e"][..],
            ),
            ("UK-GDPR-Art5-1-F", &["uk-gdpr-art5-1-f", "gdpr-art5-1-f"]),
            ("uk-gpdr-art5-1-f", &["uk-gdpr-art5-1-f", "gdpr-art5-1-f"]),
            ("dpa-2018-s39", &["dpa2018-s39"]),
            ("s39", &["dpa2018-s39"]),
            // A neighbouring principle is never offered, however close the key.
            ("dpa2018-s38", &[]),
            ("uk-gdpr-art5-1-d", &[]),
            ("uk-gdpr-art5-1-g", &[]),
            // An article is not a section of the same number; a key that stops
            // short gets the article's paragraphs.
            ("art35", &["gdpr-art35-1"]),
            (
                "uk-gdpr-art5",
                &[
                    "uk-gdpr-art5-1-e",
                    "uk-gdpr-art5-1-f",
                    "gdpr-art5-1-e",
                    "gdpr-art5-1-f",
                ],
            ),
            ("s35", &["dpa2018-s35"]),
            // Words of the title or name.
            ("storage-limitation", &["gdpr-art5-1-e", "uk-gdpr-art5-1-e"]),
            ("fifth-principle", &["dpa2018-s39"]),
            ("article-13", &["gdpr-art13", "uk-gdpr-art13"]),
            ("security", &[]),
        ] {
            assert_eq!(catalogue.suggest(typed), expected, "{typed}");
        }
    }

    #[test]
    fn counterparts_follow_citations_and_listings_but_never_join_two_articles() {
        let catalogue = catalogue();
        for (key, expected) in [
            ("gdpr-art5-1-e", &["dpa2018-s39", "uk-gdpr-art5-1-e"][..]),
            ("uk-gdpr-art5-1-e", &["dpa2018-s39", "gdpr-art5-1-e"]),
            ("dpa2018-s39", &["gdpr-art5-1-e", "uk-gdpr-art5-1-e"]),
            ("gdpr-art13", &["dpa2018-s44", "uk-gdpr-art13"]),
            (
                "dpa2018-s44",
                &["gdpr-art13", "gdpr-art14", "uk-gdpr-art13", "uk-gdpr-art14"],
            ),
            ("gdpr-art35-1", &[]),
            ("dpa2018-s35", &[]),
            ("not-a-key", &[]),
        ] {
            let found: Vec<&str> = catalogue.counterparts(key).into_iter().collect();
            assert_eq!(found, expected, "{key}");
        }
    }

    #[test]
    fn notes_list_every_suggestion_with_its_title() {
        let catalogue = catalogue();
        assert_eq!(
            catalogue.suggestion_note("s39").as_deref(),
            Some("did you mean `dpa2018-s39` (Section 39 of the DPA 2018)?")
        );
        assert_eq!(
            catalogue.suggestion_note("uk-gdpr-art5-1e").as_deref(),
            Some(
                "did you mean `uk-gdpr-art5-1-e` (Article 5(1)(e) of the UK GDPR), or one of: `gdpr-art5-1-e` (Article 5(1)(e) of the GDPR)?"
            )
        );
        assert_eq!(catalogue.suggestion_note("uk-gdpr-art5-1-g"), None);
    }

    #[test]
    fn a_regimes_prefix_is_where_its_keys_part() {
        assert_eq!(
            key_prefix(&["uk-gdpr-art5-1-f", "uk-gdpr-art32-1"]).as_deref(),
            Some("uk-gdpr-")
        );
        assert_eq!(
            key_prefix(&["dpa2018-s40", "dpa2018-s57"]).as_deref(),
            Some("dpa2018-")
        );
        assert_eq!(key_prefix(&["a1", "b2"]), None);
        assert_eq!(citation("Section 40 of the DPA 2018"), "Section 40");
        assert_eq!(citation("Schedule 13"), "Schedule 13");
    }
}
