//! Public copies of letters: withheld text is replaced before typesetting, and
//! afterwards proven absent from everything a reader of the published files
//! could see.
//!
//! Replacement and proof share one matcher ([`matcher`]): text is compared on a
//! Unicode skeleton (escapes decoded, full case folding, the confusables of
//! UTS #39, transliteration, dashes, spaces and apostrophes folded), and only on
//! word boundaries. The proof reads the public Markdown, the PDF's text layer in
//! reading order and in visual order, every text string and name of the PDF's
//! objects (link targets, annotations, bookmarks, alternative text, tags, the
//! document information) and its XMP metadata. A withheld string must itself be
//! plain enough to match: no control, invisible or direction character, no word
//! mixing scripts.

pub mod log;
pub mod matcher;
mod pdf;

use std::ops::Range;

use unicode_security::MixedScript;

pub use matcher::{is_direction_control, is_ignorable};
pub use pdf::{UnreadablePdf, pdf_places};

/// The fewest letters or digits a withheld string may have: a shorter one would
/// redact words it was never meant to.
pub const MIN_WITHHELD_CHARS: usize = 4;

/// The fewest letters or digits a form of a person's name may have to be
/// withheld: a surname such as "Ng" is withheld as a whole word, an initial
/// alone is not.
pub const MIN_NAME_FORM_CHARS: usize = 2;

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
    /// Holds a character that shows nothing, or changes the direction of text.
    #[error(
        "it holds an invisible, control or direction character (U+{0:04X}), so what a reader sees is not what is withheld"
    )]
    Invisible(u32),
    /// A word of it mixes scripts, as look-alike letters do.
    #[error(
        "a word of it mixes letters of different scripts (a look-alike letter?), so it would not match the name a reader sees"
    )]
    MixedScript,
}

/// Checks a string to withhold, given the word that will replace it.
pub fn check_withheld(text: &str, redacted: &str) -> Result<(), WithheldError> {
    check_characters(text)?;
    let needle = matcher::needle(text);
    let significant = needle.iter().filter(|c| c.is_alphanumeric()).count();
    if significant < MIN_WITHHELD_CHARS {
        return Err(WithheldError::TooShort);
    }
    if in_word(redacted, &needle) {
        return Err(WithheldError::InRedactionWord);
    }
    Ok(())
}

/// Whether a form of a name can be withheld: two letters or digits at least,
/// and not part of the replacement word. Forms are worked out by casewright from
/// a checked name, so they hold nothing invisible.
pub fn usable_form(form: &str, redacted: &str) -> bool {
    let needle = matcher::needle(form);
    needle.iter().filter(|c| c.is_alphanumeric()).count() >= MIN_NAME_FORM_CHARS
        && !in_word(redacted, &needle)
}

/// Whether the folded `needle` is found anywhere in `word`, boundaries or not.
fn in_word(word: &str, needle: &[char]) -> bool {
    let folded = matcher::needle(word);
    !needle.is_empty() && folded.windows(needle.len()).any(|w| w == needle)
}

/// The characters a withheld string may not hold, and words that mix scripts.
fn check_characters(text: &str) -> Result<(), WithheldError> {
    if let Some(c) = text
        .chars()
        .find(|&c| c.is_control() || is_ignorable(c) || is_direction_control(c))
    {
        return Err(WithheldError::Invisible(u32::from(c)));
    }
    let mixed = text
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| !word.is_empty() && !word.is_single_script());
    if mixed {
        return Err(WithheldError::MixedScript);
    }
    Ok(())
}

/// One form of a withheld thing, folded, and whether it counts only where the
/// text writes it with a capital (a one-word form of a name: "Page" is Mr Page,
/// "page 3" is not).
#[derive(Debug, Clone)]
struct Form {
    needle: Vec<char>,
    capitalised: bool,
}

/// What one public copy looks for: each withheld thing's forms, folded.
#[derive(Debug, Clone, Default)]
pub struct Sought {
    /// For each withheld thing, its forms, longest first.
    things: Vec<Vec<Form>>,
}

/// A form to look for: the text, and whether it is a name (whose one-word
/// forms count only when capitalised, as names are written).
#[derive(Debug, Clone, Copy)]
pub struct Seek<'a> {
    /// The forms of the thing.
    pub forms: &'a [String],
    /// Whether the forms are of a person's name.
    pub name: bool,
}

impl Sought {
    /// The things to withhold, each given as its forms (a name's every form, a
    /// string alone).
    pub fn new<'a>(things: impl IntoIterator<Item = Seek<'a>>) -> Sought {
        let things = things
            .into_iter()
            .map(|seek| {
                let mut forms: Vec<Form> = seek
                    .forms
                    .iter()
                    .map(|form| Form {
                        needle: matcher::needle(form),
                        capitalised: seek.name
                            && !form.contains(char::is_whitespace)
                            && form.chars().next().is_some_and(char::is_uppercase),
                    })
                    .filter(|form| !form.needle.is_empty())
                    .collect();
                forms.sort_by_key(|f| std::cmp::Reverse(f.needle.len()));
                forms
            })
            .collect();
        Sought { things }
    }

    /// How many things are sought.
    pub fn len(&self) -> usize {
        self.things.len()
    }

    /// Whether nothing is sought.
    pub fn is_empty(&self) -> bool {
        self.things.is_empty()
    }

    /// Where each thing occurs in `text`: one list of ranges per thing.
    pub fn occurrences(&self, text: &str) -> Vec<Vec<Range<usize>>> {
        let needles: Vec<Vec<char>> = self
            .things
            .iter()
            .flatten()
            .map(|f| f.needle.clone())
            .collect();
        let mut found = matcher::find_each(text, &needles).into_iter();
        self.things
            .iter()
            .map(|forms| {
                let ranges = forms
                    .iter()
                    .flat_map(|form| {
                        let ranges = found.next().unwrap_or_default();
                        ranges.into_iter().filter(move |r| {
                            !form.capitalised
                                || !text[r.start..]
                                    .chars()
                                    .next()
                                    .is_some_and(char::is_lowercase)
                        })
                    })
                    .collect();
                matcher::merge(ranges)
            })
            .collect()
    }

    /// `text` with every occurrence of every thing replaced by `word`.
    /// Occurrences that overlap or touch are replaced as one.
    ///
    /// A replacement that makes a new occurrence with the text beside it (a
    /// withheld string that begins with the word's last character) is replaced
    /// again, a few times at most; whatever is still left, the proof finds.
    pub fn redact(&self, text: &str, word: &str) -> String {
        let mut text = text.to_owned();
        for _ in 0..4 {
            let ranges = matcher::merge(self.occurrences(&text).into_iter().flatten().collect());
            if ranges.is_empty() {
                break;
            }
            let mut out = String::with_capacity(text.len());
            let mut at = 0;
            for range in ranges {
                out.push_str(&text[at..range.start]);
                out.push_str(word);
                at = range.end;
            }
            out.push_str(&text[at..]);
            text = out;
        }
        text
    }

    /// Every thing found in any of `places` (a name and its text).
    pub fn survivors(&self, places: &[(String, String)]) -> Vec<Survivor> {
        let mut found = Vec::new();
        for (place, text) in places {
            for (index, occurrences) in self.occurrences(text).into_iter().enumerate() {
                if !occurrences.is_empty() {
                    found.push(Survivor {
                        withheld: index,
                        place: place.clone(),
                    });
                }
            }
        }
        found
    }
}

/// Strings to seek as they are (not names).
fn strings(withheld: &[&str]) -> Sought {
    let forms: Vec<Vec<String>> = withheld.iter().map(|w| vec![(*w).to_owned()]).collect();
    Sought::new(forms.iter().map(|forms| Seek { forms, name: false }))
}

/// `text` with every occurrence of each withheld string replaced by `word`.
pub fn redact(text: &str, withheld: &[&str], word: &str) -> String {
    strings(withheld).redact(text, word)
}

/// A withheld thing found where it must not be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Survivor {
    /// Which withheld thing (its index in the list given).
    pub withheld: usize,
    /// Where it was found (the name given with the text searched).
    pub place: String,
}

/// Every withheld string found in any of `places` (a name and its text).
pub fn survivors(withheld: &[&str], places: &[(String, String)]) -> Vec<Survivor> {
    strings(withheld).survivors(places)
}

/// `text` without the invisible and direction characters a published copy
/// cannot prove anything about (for an office that removes them rather than
/// refusing them).
pub fn strip_invisible(text: &str) -> String {
    text.chars()
        .filter(|&c| !(is_ignorable(c) || is_direction_control(c)))
        .collect()
}

#[cfg(test)]
mod tests;
