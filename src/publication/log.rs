//! A public copy's redaction log: what was withheld, why, and how often, for the
//! office's second reader to sign off, with no withheld text in it.

use std::fmt::Write;

/// One thing a public copy withheld, described without its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// What it is: "person 2 of `people`", "field `controller.contact`",
    /// "string 1 of `withhold`".
    pub what: String,
    /// Why it is withheld: the person's role, or that the case asks for it.
    pub why: String,
    /// How many forms of it were looked for (a name's surname, forenames, ...).
    pub forms: usize,
    /// How many times it was replaced in the public Markdown.
    pub occurrences: usize,
}

/// The log of one public copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Log {
    /// The letter: its case reference, kind and date, as the log's first line.
    pub letter: String,
    /// The day the copy is published, in words.
    pub published: String,
    /// The word each replacement puts in the text.
    pub word: String,
    /// Everything withheld, in the order the case gives it.
    pub entries: Vec<Entry>,
    /// The lines of the public Markdown that hold a replacement.
    pub lines: Vec<usize>,
    /// Where the proof searched, and found nothing withheld.
    pub searched: Vec<String>,
}

impl Log {
    /// The log as the text written beside the public copy.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "Redaction log: {}", self.letter);
        let _ = writeln!(out, "Published: {}", self.published);
        let _ = writeln!(out, "Each replacement reads: {}", self.word);
        let _ = writeln!(out);
        let what_width = self
            .entries
            .iter()
            .map(|e| e.what.chars().count())
            .max()
            .unwrap_or(0);
        let why_width = self
            .entries
            .iter()
            .map(|e| e.why.chars().count())
            .max()
            .unwrap_or(0);
        let _ = writeln!(
            out,
            "{:what_width$}  {:why_width$}  forms  replaced",
            "withheld", "why"
        );
        for entry in &self.entries {
            let _ = writeln!(
                out,
                "{:what_width$}  {:why_width$}  {:>5}  {:>8}",
                entry.what, entry.why, entry.forms, entry.occurrences
            );
        }
        let _ = writeln!(out);
        let total: usize = self.entries.iter().map(|e| e.occurrences).sum();
        let lines: Vec<String> = self.lines.iter().map(ToString::to_string).collect();
        let _ = writeln!(
            out,
            "{total} replacement{} in the public Markdown{}",
            if total == 1 { "" } else { "s" },
            if lines.is_empty() {
                String::new()
            } else {
                format!(
                    ", on line{} {}",
                    if lines.len() == 1 { "" } else { "s" },
                    lines.join(", ")
                )
            }
        );
        let _ = writeln!(
            out,
            "Proof: nothing withheld found in {}",
            join(&self.searched)
        );
        let _ = writeln!(out);
        let _ = writeln!(out, "Second reader: ____________________  Date: __________");
        out
    }
}

/// Items joined as a list in prose: "a, b and c".
fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The line numbers (from 1) of `text` that the byte ranges touch.
pub fn lines_of(text: &str, ranges: &[std::ops::Range<usize>]) -> Vec<usize> {
    let mut lines: Vec<usize> = ranges
        .iter()
        .map(|r| text[..r.start].matches('\n').count() + 1)
        .collect();
    lines.sort_unstable();
    lines.dedup();
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_names_what_was_withheld_without_its_text() {
        let log = Log {
            letter: "IC-1 reprimand-notice of 2 October 2026".into(),
            published: "9 October 2026".into(),
            word: "[REDACTED]".into(),
            entries: vec![
                Entry {
                    what: "person 1 of `people`".into(),
                    why: "staff member".into(),
                    forms: 4,
                    occurrences: 2,
                },
                Entry {
                    what: "field `controller.contact`".into(),
                    why: "the case withholds it".into(),
                    forms: 5,
                    occurrences: 1,
                },
            ],
            lines: vec![3, 9],
            searched: vec!["the public Markdown".into(), "the PDF's text".into()],
        };
        let text = log.text();
        assert!(
            text.lines().any(|l| l.starts_with("person 1 of `people`")
                && l.contains("staff member")
                && l.ends_with(" 2")),
            "{text}"
        );
        assert!(
            text.contains("3 replacements in the public Markdown, on lines 3, 9"),
            "{text}"
        );
        assert!(
            text.contains("nothing withheld found in the public Markdown and the PDF's text"),
            "{text}"
        );
        assert_eq!(lines_of("a\nb X\nc\nX", &[4..5, 8..9]), [2, 4]);
    }
}
