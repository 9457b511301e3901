//! Public copies of letters: withheld text is replaced before typesetting, and
//! afterwards it is proven absent from everything a reader of the published files
//! could see.
//!
//! Matching is loose on purpose, in the direction of safety: it ignores capitals,
//! Unicode compatibility forms (NFKC, and accents), curly against straight
//! quotes, whitespace and line breaks, hyphens (so a name hyphenated at a line end
//! is still found) and zero-width characters. A withheld "O'Brien" is found as
//! "O’BRIEN", "O' Brien" and "O'Bri-\nen".

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The fewest characters (letters and digits, after folding) a withheld string
/// may have: a shorter one would redact words it was never meant to.
pub const MIN_WITHHELD_CHARS: usize = 4;

/// Why a withheld string cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WithheldError {
    /// Too short to withhold safely.
    #[error(
        "a withheld string needs at least {MIN_WITHHELD_CHARS} letters or digits, or it would redact too much"
    )]
    TooShort,
    /// Part of the word that replaces withheld text, so never provably absent.
    #[error("the word that replaces withheld text contains it, so it could never be proven absent")]
    InRedactionWord,
}

/// Checks a string to withhold, given the word that will replace it.
pub fn check_withheld(text: &str, redacted: &str) -> Result<(), WithheldError> {
    let folded = Folded::new(text);
    let significant = folded.chars.iter().filter(|c| c.is_alphanumeric()).count();
    if significant < MIN_WITHHELD_CHARS {
        return Err(WithheldError::TooShort);
    }
    if Folded::new(redacted).contains(&folded.chars) {
        return Err(WithheldError::InRedactionWord);
    }
    Ok(())
}

/// `text` with every occurrence of each withheld string replaced by `word`.
/// Occurrences that overlap or touch are replaced as one.
pub fn redact(text: &str, withheld: &[&str], word: &str) -> String {
    let folded = Folded::new(text);
    let mut ranges: Vec<Range<usize>> = withheld
        .iter()
        .flat_map(|w| folded.find_all(&Folded::new(w).chars))
        .collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for range in merged {
        out.push_str(&text[at..range.start]);
        out.push_str(word);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// A withheld string found where it must not be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Survivor {
    /// Which withheld string (its index in the list given).
    pub withheld: usize,
    /// Where it was found (the name given with the text searched).
    pub place: String,
}

/// Every withheld string found in any of `places` (a name and its text).
pub fn survivors(withheld: &[&str], places: &[(String, String)]) -> Vec<Survivor> {
    let needles: Vec<Vec<char>> = withheld.iter().map(|w| Folded::new(w).chars).collect();
    let mut found = Vec::new();
    for (place, text) in places {
        let folded = Folded::new(text);
        for (index, needle) in needles.iter().enumerate() {
            if !needle.is_empty() && folded.contains(needle) {
                found.push(Survivor {
                    withheld: index,
                    place: place.clone(),
                });
            }
        }
    }
    found
}

/// Why a written PDF could not be read back.
#[derive(Debug, thiserror::Error)]
#[error("the PDF could not be read back to check it: {0}")]
pub struct UnreadablePdf(String);

/// Everything a reader of a PDF can see as text, by place: the text layer of
/// its pages, every text string of its objects (the document information,
/// bookmarks, alternative and actual text, link targets) and its XMP metadata.
pub fn pdf_places(pdf: &[u8]) -> Result<Vec<(String, String)>, UnreadablePdf> {
    let text = pdf_extract::extract_text_from_mem(pdf).map_err(|e| UnreadablePdf(e.to_string()))?;
    let document = lopdf::Document::load_mem(pdf).map_err(|e| UnreadablePdf(e.to_string()))?;
    let mut strings = Vec::new();
    let mut streams = Vec::new();
    for object in document.objects.values() {
        collect_strings(object, &mut strings);
        if let lopdf::Object::Stream(stream) = object {
            let is_metadata = stream
                .dict
                .get(b"Type")
                .and_then(lopdf::Object::as_name)
                .is_ok_and(|name| name == b"Metadata");
            if is_metadata {
                let content = stream
                    .decompressed_content()
                    .unwrap_or_else(|_| stream.content.clone());
                streams.push(String::from_utf8_lossy(&content).into_owned());
            }
        }
    }
    Ok(vec![
        ("the PDF's text".to_owned(), text),
        ("the PDF's text strings".to_owned(), strings.join("\n")),
        ("the PDF's XMP metadata".to_owned(), streams.join("\n")),
    ])
}

/// Every text string in `object`, decoded, recursively.
fn collect_strings(object: &lopdf::Object, out: &mut Vec<String>) {
    match object {
        lopdf::Object::String(..) => {
            if let Ok(text) = lopdf::decode_text_string(object) {
                out.push(text);
            }
        }
        lopdf::Object::Array(items) => items.iter().for_each(|o| collect_strings(o, out)),
        lopdf::Object::Dictionary(dict) => dict.iter().for_each(|(_, o)| collect_strings(o, out)),
        lopdf::Object::Stream(stream) => {
            stream
                .dict
                .iter()
                .for_each(|(_, o)| collect_strings(o, out));
        }
        _ => {}
    }
}

/// Text folded for matching, each folded character remembering the bytes of the
/// original character it came from.
struct Folded {
    chars: Vec<char>,
    /// For each folded character, the byte range of its original character.
    origin: Vec<Range<usize>>,
}

impl Folded {
    fn new(text: &str) -> Folded {
        let mut chars = Vec::with_capacity(text.len());
        let mut origin = Vec::with_capacity(text.len());
        for (at, c) in text.char_indices() {
            let source = at..at + c.len_utf8();
            for d in std::iter::once(c).nfkd() {
                if ignored(d) || is_combining_mark(d) {
                    continue;
                }
                for lower in d.to_lowercase() {
                    chars.push(same_quote(lower));
                    origin.push(source.clone());
                }
            }
        }
        Folded { chars, origin }
    }

    fn contains(&self, needle: &[char]) -> bool {
        self.chars.windows(needle.len()).any(|w| w == needle)
    }

    /// The byte ranges of the original text where `needle` occurs.
    fn find_all(&self, needle: &[char]) -> Vec<Range<usize>> {
        if needle.is_empty() {
            return Vec::new();
        }
        self.chars
            .windows(needle.len())
            .enumerate()
            .filter(|(_, w)| *w == needle)
            .map(|(i, _)| self.origin[i].start..self.origin[i + needle.len() - 1].end)
            .collect()
    }
}

/// Characters matching never looks at: whitespace, hyphens, Markdown's escaping
/// backslash and the invisible.
fn ignored(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            // A backslash is how Markdown escapes: "Fenwick \& Hale".
            '\\' | '-' | '\u{00AD}' | '\u{2010}' | '\u{2011}' | '\u{200B}'
                ..='\u{200D}' | '\u{2060}' | '\u{FEFF}'
        )
}

/// One quote for every kind of quote mark.
fn same_quote(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => '"',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn redaction_finds_what_a_reader_would_call_the_same_text() {
        for (text, withheld, expected) in [
            ("Dear Ms O'Brien,", "O'Brien", "Dear Ms [R],"),
            ("Dear Ms O’Brien,", "O'Brien", "Dear Ms [R],"),
            ("DEAR MS O'BRIEN,", "o'brien", "DEAR MS [R],"),
            ("Jane  Smith and\nJane\nSmith", "Jane Smith", "[R] and\n[R]"),
            ("Anne-\nMarie Jones", "Anne-Marie Jones", "[R]"),
            ("José Álvarez", "Jose Alvarez", "[R]"),
            ("ﬁnance@example.org", "finance@example.org", "[R]"),
            ("call 0113 496 0000 now", "01134960000", "call [R] now"),
            ("no match here", "Jane Smith", "no match here"),
            // Markdown's escapes are not part of what a reader sees.
            ("Fenwick \\& Hale Ltd", "Fenwick & Hale", "[R] Ltd"),
            // Overlapping withheld strings are replaced once.
            ("Jane Smith-Jones", "Smith-Jones", "Jane [R]"),
        ] {
            assert_eq!(redact(text, &[withheld], "[R]"), expected, "{text:?}");
        }
        assert_eq!(
            redact(
                "Jane Smith of 1 High Street",
                &["Jane Smith", "Smith of 1 High"],
                "[R]"
            ),
            "[R] Street"
        );
    }

    #[test]
    fn survivors_are_found_in_each_place_named() {
        let places = vec![
            ("text".to_owned(), "Dear Ms O’Bri-\nen".to_owned()),
            ("title".to_owned(), "Reprimand".to_owned()),
        ];
        assert_eq!(
            survivors(&["O'Brien", "Reprimand to"], &places),
            [Survivor {
                withheld: 0,
                place: "text".into()
            }]
        );
    }

    #[test]
    fn a_withheld_string_must_have_four_letters_or_digits() {
        for (text, ok) in [
            ("Jane", true),
            ("J. S.", false),
            ("  ab ", false),
            ("1234", true),
            ("’’’’", false),
        ] {
            assert_eq!(check_withheld(text, "[REDACTED]").is_ok(), ok, "{text:?}");
        }
        assert_eq!(
            check_withheld("dacted", "[REDACTED]"),
            Err(WithheldError::InRedactionWord)
        );
    }

    /// A letter as casewright writes it: the name of the organisation is in the
    /// text layer, the document title in the information strings and the XMP.
    #[test]
    fn a_written_pdf_is_read_back_in_every_place() {
        let pdf = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("output/INV-0864-2021/2022-05-19-reprimand.pdf"),
        )
        .expect("a sample letter");
        let places = pdf_places(&pdf).expect("it reads back");
        let withheld = ["Probation Board for Northern Ireland", "INV/0864/2021"];
        let survivors = survivors(&withheld, &places);
        let found: Vec<(usize, &str)> = survivors
            .iter()
            .map(|s| (s.withheld, s.place.as_str()))
            .collect();
        assert!(found.contains(&(0, "the PDF's text")), "{found:?}");
        assert!(found.contains(&(1, "the PDF's text")), "{found:?}");
        assert!(found.contains(&(1, "the PDF's text strings")), "{found:?}");
        assert!(found.contains(&(1, "the PDF's XMP metadata")), "{found:?}");
        assert!(pdf_places(b"%PDF-1.7 not really").is_err());
    }

    proptest! {
        /// Whatever the text around it, a withheld string is gone after redaction
        /// and the proof then finds nothing.
        #[test]
        fn redacted_text_never_holds_what_was_withheld(
            before in "[a-zA-Z ,.'\n-]{0,40}",
            after in "[a-zA-Z ,.'\n-]{0,40}",
            withheld in "[A-Za-z][a-z]{3,10}( [A-Z][a-z]{2,10})?",
        ) {
            // (A withheld string inside the replacement word itself could never
            // be proven absent; the loader refuses those.)
            prop_assume!(!"[redacted]".contains(&withheld.to_lowercase().replace(' ', "")));
            let text = format!("{before}{withheld}{after}");
            let public = redact(&text, &[&withheld], "[REDACTED]");
            let places = vec![("md".to_owned(), public.clone())];
            prop_assert!(survivors(&[&withheld], &places).is_empty(), "{public:?}");
        }

        /// Any text and any withheld string: no panic (every cut falls on a
        /// character boundary), nothing withheld leaves the text as it was, and
        /// what is withheld is then absent.
        #[test]
        fn redacting_any_text_is_safe(text in any::<String>(), withheld in any::<String>()) {
            prop_assert_eq!(redact(&text, &[], "[R]"), text.clone());
            let public = redact(&text, &[&withheld], "[R]");
            prop_assume!(!"[r]".contains(&withheld.to_lowercase()));
            let places = vec![("md".to_owned(), public)];
            let folded = Folded::new(&withheld).chars;
            prop_assume!(!folded.is_empty() && !"[r]".chars().collect::<Vec<_>>().windows(folded.len()).any(|w| w == folded.as_slice()));
            prop_assert!(survivors(&[&withheld], &places).is_empty());
        }
    }
}
