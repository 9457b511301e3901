//! The one matcher behind a public copy: what replaces withheld text and what
//! proves it gone compare text the same way, so nothing the replacement misses
//! can pass the proof unseen, and nothing the proof would flag is left in.
//!
//! Text is compared on a *skeleton*, built one character of the original at a
//! time so every folded character remembers where it came from:
//!
//! 1. escapes a reader never sees are decoded: percent-encoding (`%20`, `%C5%82`),
//!    HTML character references (`&amp;`, `&#77;`, `&#x4D;`);
//! 2. compatibility forms are decomposed (NFKD) and accents dropped;
//! 3. full Unicode case folding (`ß` is `ss`, a final sigma is a sigma);
//! 4. a letter of another script than Latin becomes its look-alike by the
//!    confusable skeleton of UTS #39 (Cyrillic `о` is `o`, Greek `Ρ` is `P`);
//!    what is still not ASCII is transliterated (`ł` is `l`, `ø` is `o`, `æ` is
//!    `ae`, `þ` is `th`, dotless `ı` is `i`, small capitals their letters) and
//!    lower-cased;
//! 5. every space, dash, hyphen, minus, apostrophe, dot, underscore, plus,
//!    asterisk and Markdown's escaping backslash is dropped ("O'Brien", "O’Brien"
//!    and "O Brien" are one), and every double quote is one quote.
//!
//! A match counts only where it starts and ends on a word boundary of the
//! original text (UAX #29, or a neighbour that is no letter or digit), so
//! withholding "Dean" leaves "made an" alone, and "Morrison's" loses only its
//! name.

use std::ops::Range;
use std::sync::OnceLock;

use caseless::Caseless;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation;

/// Text folded for matching: each folded character with the bytes of the
/// original it came from.
#[derive(Debug, Clone)]
pub struct Folded {
    /// The skeleton's characters.
    pub chars: Vec<char>,
    /// For each of `chars`, the byte range of the original it folds from.
    origin: Vec<Range<usize>>,
}

impl Folded {
    /// `text`, folded.
    pub fn new(text: &str) -> Folded {
        let mut folded = Folded {
            chars: Vec::with_capacity(text.len()),
            origin: Vec::with_capacity(text.len()),
        };
        for (c, source) in decoded(text) {
            fold_char(c, &mut |f| {
                folded.chars.push(f);
                folded.origin.push(source.clone());
            });
        }
        folded
    }

    /// The byte ranges of the text this was folded from where `needle` occurs on
    /// its word boundaries, each widened over the accents that follow it.
    fn find_all(&self, boundaries: &Boundaries<'_>, needle: &[char]) -> Vec<Range<usize>> {
        if needle.is_empty() || needle.len() > self.chars.len() {
            return Vec::new();
        }
        let text = boundaries.text;
        let mut found = Vec::new();
        let mut at = 0;
        while at + needle.len() <= self.chars.len() {
            if self.chars[at..at + needle.len()] == *needle {
                let start = self.origin[at].start;
                let end = self.origin[at + needle.len() - 1].end;
                // A skeleton character may stand for part of an original one
                // (`æ` is `ae`): a match must take whole characters.
                let whole = (at == 0 || self.origin[at - 1] != self.origin[at])
                    && self
                        .origin
                        .get(at + needle.len())
                        .is_none_or(|next| *next != self.origin[at + needle.len() - 1]);
                let end = widen_over_marks(text, end);
                if whole && boundaries.at(start) && boundaries.at(end) {
                    found.push(start..end);
                }
            }
            at += 1;
        }
        found
    }
}

/// `needle`, folded: what [`Folded::find_all`] looks for.
pub fn needle(text: &str) -> Vec<char> {
    Folded::new(text).chars
}

/// The byte ranges of `text` where any of `needles` occurs on word boundaries,
/// sorted, with overlapping or touching ranges joined.
pub fn find(text: &str, needles: &[Vec<char>]) -> Vec<Range<usize>> {
    merge(find_each(text, needles).into_iter().flatten().collect())
}

/// For each of `needles`, the byte ranges of `text` where it occurs on word
/// boundaries.
pub fn find_each(text: &str, needles: &[Vec<char>]) -> Vec<Vec<Range<usize>>> {
    if needles.iter().all(Vec::is_empty) {
        return vec![Vec::new(); needles.len()];
    }
    let folded = Folded::new(text);
    let boundaries = Boundaries::of(text);
    needles
        .iter()
        .map(|n| folded.find_all(&boundaries, n))
        .collect()
}

/// Ranges sorted, with overlapping or touching ones joined.
pub fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// Where a match may start or end: the word boundaries of a text.
struct Boundaries<'a> {
    text: &'a str,
    uax29: Vec<usize>,
}

impl<'a> Boundaries<'a> {
    fn of(text: &'a str) -> Boundaries<'a> {
        let mut uax29: Vec<usize> = text.split_word_bound_indices().map(|(i, _)| i).collect();
        uax29.push(text.len());
        Boundaries { text, uax29 }
    }

    /// Whether byte `at` is a boundary: the text's start or end, a UAX #29 word
    /// boundary, or next to a character that is no letter, digit or accent.
    fn at(&self, at: usize) -> bool {
        let before = self.text[..at].chars().next_back();
        let after = self.text[at..].chars().next();
        match (before, after) {
            (None, _) | (_, None) => true,
            (Some(b), Some(a)) => {
                !in_word(b) || !in_word(a) || self.uax29.binary_search(&at).is_ok()
            }
        }
    }
}

/// A character that is part of a word: a letter, a digit or an accent.
fn in_word(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// `end` moved past the combining marks that follow it, so an accent on a
/// withheld name's last letter goes with it.
fn widen_over_marks(text: &str, end: usize) -> usize {
    end + text[end..]
        .chars()
        .take_while(|&c| is_combining_mark(c))
        .map(char::len_utf8)
        .sum::<usize>()
}

/// The characters of `text` as a reader sees them, each with the bytes it is
/// written in: percent-escapes and HTML character references decoded.
fn decoded(text: &str) -> Vec<(char, Range<usize>)> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len());
    let mut at = 0;
    while at < text.len() {
        if let Some((c, len)) = percent_escape(&bytes[at..]) {
            out.push((c, at..at + len));
            at += len;
            continue;
        }
        if bytes[at] == b'&'
            && let Some((decoded, len)) = character_reference(&text[at..])
        {
            for c in decoded.chars() {
                out.push((c, at..at + len));
            }
            at += len;
            continue;
        }
        let c = text[at..].chars().next().unwrap_or('\u{FFFD}');
        out.push((c, at..at + c.len_utf8()));
        at += c.len_utf8();
    }
    out
}

/// A percent-escaped character at the start of `bytes` (one to four `%XX`
/// escapes of its UTF-8), and how many bytes it takes.
fn percent_escape(bytes: &[u8]) -> Option<(char, usize)> {
    let byte = |i: usize| -> Option<u8> {
        let escape = bytes.get(i * 3..i * 3 + 3)?;
        (escape[0] == b'%')
            .then(|| std::str::from_utf8(&escape[1..]).ok())
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok())
    };
    let first = byte(0)?;
    let len = match first {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => return None,
    };
    let mut utf8 = vec![first];
    for i in 1..len {
        utf8.push(byte(i)?);
    }
    let c = std::str::from_utf8(&utf8).ok()?.chars().next()?;
    Some((c, len * 3))
}

/// An HTML character reference at the start of `text` (`&amp;`, `&#77;`,
/// `&#x4D;`), decoded, and how many bytes it takes.
fn character_reference(text: &str) -> Option<(String, usize)> {
    let semicolon = text.get(..40).unwrap_or(text).find(';')?;
    let reference = &text[..=semicolon];
    let body = &reference[1..semicolon];
    let numeric = body
        .strip_prefix('#')
        .and_then(|number| match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => number.parse::<u32>().ok(),
        });
    if let Some(code) = numeric {
        return Some((
            char::from_u32(code).unwrap_or('\u{FFFD}').to_string(),
            reference.len(),
        ));
    }
    if body.is_empty() || !body.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let decoded = html_escape::decode_html_entities(reference);
    (decoded != reference).then(|| (decoded.into_owned(), reference.len()))
}

/// Calls `push` with the skeleton characters of one character of text.
fn fold_char(c: char, push: &mut impl FnMut(char)) {
    if c.is_ascii() {
        ascii_table()[c as usize].iter().for_each(|&f| push(f));
        return;
    }
    fold_slow(c, push);
}

/// The folds of the ASCII characters, worked out once by the general rule.
fn ascii_table() -> &'static [Vec<char>; 128] {
    static TABLE: OnceLock<[Vec<char>; 128]> = OnceLock::new();
    TABLE.get_or_init(|| {
        std::array::from_fn(|i| {
            let mut folded = Vec::new();
            fold_slow(char::from(i as u8), &mut |f| folded.push(f));
            folded
        })
    })
}

fn fold_slow(c: char, push: &mut impl FnMut(char)) {
    // Apostrophes and dashes first: compatibility decomposition would turn an
    // acute accent used as an apostrophe into a space and a bare accent.
    if class(c).is_none() {
        return;
    }
    let mut buffer = [0u8; 4];
    for decomposed in std::iter::once(c).nfkd() {
        if is_combining_mark(decomposed) {
            continue;
        }
        for case_folded in std::iter::once(decomposed).default_case_fold() {
            if case_folded.is_ascii() {
                push_ascii(case_folded, push);
            } else if latin_or_common(case_folded) {
                transliterate(case_folded, push);
            } else {
                // A letter of another script: its Latin look-alike, if it has one.
                let one = case_folded.encode_utf8(&mut buffer);
                for prototype in unicode_security::skeleton(one) {
                    if is_combining_mark(prototype) {
                        continue;
                    }
                    transliterate(prototype, push);
                }
            }
        }
    }
}

/// Whether `c` is of the Latin script, or of none in particular (punctuation,
/// symbols): such characters are transliterated, not looked up as look-alikes
/// (`þ` is `th`, where its look-alike would be `p`).
fn latin_or_common(c: char) -> bool {
    use unicode_script::{Script, UnicodeScript};
    matches!(
        c.script(),
        Script::Latin | Script::Common | Script::Inherited
    )
}

/// `c` as ASCII, lower-cased and classed.
fn transliterate(c: char, push: &mut impl FnMut(char)) {
    if c.is_ascii() {
        push_ascii(c, push);
        return;
    }
    let ascii = any_ascii::any_ascii_char(c);
    if ascii.is_empty() {
        if let Some(f) = class(c) {
            push(f);
        }
        return;
    }
    for a in ascii.chars() {
        push_ascii(a, push);
    }
}

fn push_ascii(c: char, push: &mut impl FnMut(char)) {
    if let Some(f) = class(c.to_ascii_lowercase()) {
        push(f);
    }
}

/// One character of the skeleton as matching sees it: `None` for what it
/// ignores (spaces, dashes, apostrophes, dots, underscores, pluses, asterisks,
/// backslashes, the invisible), one quote for every double quote.
fn class(c: char) -> Option<char> {
    if c.is_whitespace() || c.is_control() || is_ignorable(c) {
        return None;
    }
    match c {
        '-' | '.' | '_' | '+' | '*' | '\\' | '~' => None,
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => None,
        '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}'
        | '\u{00B4}' | '\u{02B9}' | '`' => None,
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => Some('"'),
        other => Some(other),
    }
}

/// Characters with no appearance of their own (zero-width spaces and joiners,
/// direction controls, soft hyphens, variation selectors): matching skips them.
pub fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// A character that changes the direction text is shown in (embeddings,
/// overrides, isolates and the marks): stored text and shown text then differ.
pub fn is_direction_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

#[cfg(test)]
mod tests;
