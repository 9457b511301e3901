//! One diagnostic type for every mistake a user can make, and its printer.
//!
//! A diagnostic points at a file, a byte range in it, and says what was expected.
//! It is printed like rustc's errors (`error[code]: message`, `┌─ file:line:col`, the
//! line, a caret, help notes), in colour only on a terminal. Only the offending line is
//! ever quoted, so a case file's personal data is not dumped into logs, and a long
//! line only around the offending text (see [`excerpt`]).

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::ops::Range;
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::termcolor::Ansi;
use codespan_reporting::term::{self, Config};

/// A source file a diagnostic can point into: its display name and its text.
#[derive(Debug, Clone)]
pub struct Source {
    /// The path as the user gave it (relative to where they ran the command).
    pub name: Arc<str>,
    /// The whole text of the file.
    pub text: Arc<str>,
}

impl Source {
    /// Wraps a file name and its text.
    pub fn new(name: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
        }
    }

    /// The byte offset of a 1-based line and column (columns count characters).
    pub fn offset(&self, line: usize, column: usize) -> usize {
        let mut offset = 0;
        for (index, text) in self.text.split_inclusive('\n').enumerate() {
            if index + 1 == line {
                let within: usize = text
                    .chars()
                    .take(column.saturating_sub(1))
                    .map(char::len_utf8)
                    .sum();
                return offset + within;
            }
            offset += text.len();
        }
        self.text.len()
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..floor_char_boundary(&self.text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }
}

fn ceil_char_boundary(text: &str, mut index: usize) -> usize {
    while index < text.len() && !text.is_char_boundary(index) {
        index += 1;
    }
    index
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input cannot be used.
    Error,
    /// The input can be used, but something looks wrong.
    Warning,
}

/// A located problem with a case file or a template.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A short stable code, such as `unknown-key`; tests and CI annotations match on it.
    pub code: &'static str,
    /// What is wrong, in one line.
    pub message: String,
    /// The file, if the problem is in one.
    pub source: Option<Source>,
    /// The byte range of the offending text in `source`.
    pub span: Range<usize>,
    /// What the caret points at ("expected a date such as 2022-05-19").
    pub label: String,
    /// Further help, one line each ("did you mean `reference`?").
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// An error with a code and a message, not yet located.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            source: None,
            span: 0..0,
            label: String::new(),
            notes: Vec::new(),
        }
    }

    /// A warning with a code and a message, not yet located.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, message)
        }
    }

    /// Points the diagnostic at a byte range of a file, with a label under the caret.
    pub fn at(mut self, source: &Source, span: Range<usize>, label: impl Into<String>) -> Self {
        let text = &source.text;
        let end = ceil_char_boundary(text, span.end.min(text.len()));
        let start = floor_char_boundary(text, span.start.min(end));
        // Quote one line at most: a multi-line value would otherwise print a whole
        // paragraph of the case file.
        let end = source.text[start..end]
            .find('\n')
            .map_or(end, |i| start + i);
        self.span = start..end;
        self.source = Some(source.clone());
        self.label = label.into();
        self
    }

    /// Names a file without a position in it (the file as a whole is at fault).
    /// None of the file is quoted: only its name is kept.
    pub fn in_file(mut self, source: &Source) -> Self {
        self.source = Some(Source::new(source.name.clone(), ""));
        self.span = 0..0;
        self
    }

    /// Adds a line of help.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// The file name, 1-based line and column, if located.
    pub fn location(&self) -> Option<(&str, usize, usize)> {
        let source = self.source.as_ref()?;
        let (line, column) = source.line_col(self.span.start);
        Some((&source.name, line, column))
    }

    /// Renders the diagnostic as text, with ANSI colour when `color` is set.
    pub fn render(&self, color: bool) -> String {
        let mut buffer = Vec::new();
        let mut report = match self.severity {
            Severity::Error => Report::error(),
            Severity::Warning => Report::warning(),
        }
        .with_code(self.code)
        .with_message(&self.message)
        .with_notes(self.notes.clone());
        let file = match &self.source {
            Some(source) if !source.text.is_empty() => {
                let (file, span) = Excerpt::new(source, self.span.clone());
                report =
                    report.with_labels(vec![Label::primary((), span).with_message(&self.label)]);
                file
            }
            Some(source) => {
                report.message = format!("{}: {}", source.name, self.message);
                Excerpt::default()
            }
            None => Excerpt::default(),
        };
        let result = emit(&mut buffer, color, &file, &report);
        let mut text = String::from_utf8_lossy(&buffer).into_owned();
        if let Err(error) = result {
            let _ = writeln!(text, "error: failed to print a diagnostic ({error})");
        }
        text
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.location() {
            Some((file, line, column)) => {
                write!(f, "{file}:{line}:{column}: {}", self.message)
            }
            None => f.write_str(&self.message),
        }
    }
}

fn emit(
    buffer: &mut Vec<u8>,
    color: bool,
    file: &Excerpt,
    report: &Report<()>,
) -> Result<(), FilesError> {
    let config = Config::default();
    if color {
        term::emit_to_write_style(&mut Ansi::new(buffer), &config, file, report)
    } else {
        term::emit_to_io_write(buffer, &config, file, report)
    }
}

/// Characters of a long line kept on each side of the offending text, and of the
/// offending text itself. A line of a few kilobytes (a runaway YAML flow sequence,
/// a paragraph on one line) is otherwise printed whole.
const CONTEXT_CHARS: usize = 80;

/// The line holding `span.start` in `text`, cut down around the span when it is
/// long: at most [`CONTEXT_CHARS`] characters before the span, of the span, and
/// after it, with `…` where the line was cut. Returns the text to show and the
/// span's byte range in it. The span is clamped to its first line.
fn excerpt(text: &str, span: Range<usize>) -> (String, Range<usize>) {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let mut line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    if line_end > start && text[..line_end].ends_with('\r') {
        line_end -= 1;
    }
    let line = &text[line_start..line_end];
    let at = start - line_start;
    let end = ceil_char_boundary(text, span.end.clamp(start, line_end)) - line_start;
    let from = back(line, at, CONTEXT_CHARS);
    let shown_end = end.min(forward(line, at, CONTEXT_CHARS));
    let to = forward(line, shown_end, CONTEXT_CHARS);
    let mut shown = String::with_capacity(to - from + 6);
    if from > 0 {
        shown.push('…');
    }
    let offset = shown.len();
    shown.push_str(&line[from..to]);
    if to < line.len() {
        shown.push('…');
    }
    (shown, offset + at - from..offset + shown_end - from)
}

/// The byte index `n` characters before `at` in `line` (or its start).
fn back(line: &str, at: usize, n: usize) -> usize {
    line[..at]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i)
        .min(at)
}

/// The byte index `n` characters after `at` in `line` (or its end).
fn forward(line: &str, at: usize, n: usize) -> usize {
    line[at..]
        .char_indices()
        .nth(n)
        .map_or(line.len(), |(i, _)| at + i)
}

/// The one line a diagnostic quotes, as codespan-reporting's source: it shows the
/// excerpt but reports the line number and columns of the whole file.
#[derive(Default)]
struct Excerpt {
    name: String,
    text: String,
    line: usize,
    /// Columns of the file minus columns of the excerpt, at the same character.
    shift: isize,
}

impl Excerpt {
    /// The excerpt of a diagnostic's line, and its span in the excerpt.
    fn new(source: &Source, span: Range<usize>) -> (Excerpt, Range<usize>) {
        let (line, column) = source.line_col(span.start);
        let (text, shown) = excerpt(&source.text, span);
        let shown_column = text[..shown.start].chars().count() + 1;
        let excerpt = Excerpt {
            name: source.name.to_string(),
            text,
            line,
            shift: column as isize - shown_column as isize,
        };
        (excerpt, shown)
    }
}

impl<'a> Files<'a> for Excerpt {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), _byte_index: usize) -> Result<usize, FilesError> {
        Ok(0)
    }

    fn line_number(&'a self, (): (), _line_index: usize) -> Result<usize, FilesError> {
        Ok(self.line)
    }

    fn column_number(
        &'a self,
        (): (),
        _line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        let index = floor_char_boundary(&self.text, byte_index.min(self.text.len()));
        let column = self.text[..index].chars().count() as isize + 1 + self.shift;
        Ok(column.max(1) as usize)
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, FilesError> {
        match line_index {
            0 => Ok(0..self.text.len()),
            _ => Err(FilesError::LineTooLarge {
                given: line_index,
                max: 0,
            }),
        }
    }
}

/// Whether standard error gets colour: only a terminal, and never with `NO_COLOR` set.
pub fn stderr_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Prints diagnostics to standard error, coloured only when it is a terminal.
pub fn eprint(diagnostics: &[Diagnostic]) {
    let color = stderr_color();
    let text: String = diagnostics.iter().map(|d| d.render(color)).collect();
    let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), text.as_bytes());
}

/// A value from a case file in backquotes, for a label: control characters
/// escaped (a label is one line), and shortened to its first characters when long,
/// as the label sits under the line that holds the value anyway.
///
/// Only labels quote case values. A message (and a note) never does: messages go
/// to `--message-format json` and CI logs, which must carry no case text.
pub fn quote(value: &str) -> String {
    const MAX_CHARS: usize = 40;
    let mut quoted = String::from("`");
    for (count, c) in value.chars().enumerate() {
        if count == MAX_CHARS {
            quoted.push('…');
            break;
        }
        if c.is_control() {
            quoted.extend(c.escape_default());
        } else {
            quoted.push(c);
        }
    }
    quoted.push('`');
    quoted
}

/// A note that lists every valid key, wrapped into lines a terminal shows whole.
pub fn listing(title: &str, keys: &[&str]) -> String {
    const WIDTH: usize = 76;
    let mut text = title.to_owned();
    let mut line = title.len();
    for (at, key) in keys.iter().enumerate() {
        let comma = if at + 1 < keys.len() { "," } else { "" };
        if line + 1 + key.len() + comma.len() > WIDTH {
            text.push('\n');
            line = 0;
        } else {
            text.push(' ');
            line += 1;
        }
        text.push_str(key);
        text.push_str(comma);
        line += key.len() + comma.len();
    }
    text
}

/// The choice closest to a mistyped word, if any is close enough to suggest.
pub fn did_you_mean<'a>(word: &str, choices: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    choices
        .into_iter()
        .map(|choice| (strsim::damerau_levenshtein(word, choice), choice))
        .filter(|&(distance, _)| distance <= limit)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, choice)| choice)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_and_offset_round_trip() {
        let source = Source::new("a.yaml", "ab\ncdé\nf");
        for (offset, expected) in [(0, (1, 1)), (3, (2, 1)), (5, (2, 3)), (8, (3, 1))] {
            assert_eq!(source.line_col(offset), expected, "offset {offset}");
            assert_eq!(source.offset(expected.0, expected.1), offset);
        }
    }

    #[test]
    fn renders_file_line_column_and_caret() {
        let source = Source::new("cases/a.yaml", "reference: x\nrefrence: y\n");
        let diagnostic = Diagnostic::error("unknown-key", "unknown key `refrence`")
            .at(&source, 13..21, "not a key of a case")
            .note("did you mean `reference`?");
        let text = diagnostic.render(false);
        assert!(
            text.starts_with("error[unknown-key]: unknown key `refrence`"),
            "{text}"
        );
        assert!(text.contains("cases/a.yaml:2:1"), "{text}");
        assert!(text.contains("refrence: y"), "{text}");
        assert!(text.contains("^^^^^^^^ not a key of a case"), "{text}");
        assert!(text.contains("did you mean `reference`?"), "{text}");
        assert!(
            !text.contains("reference: x"),
            "only the offending line is quoted: {text}"
        );
        assert_eq!(
            diagnostic.to_string(),
            "cases/a.yaml:2:1: unknown key `refrence`"
        );
    }

    #[test]
    fn a_listing_wraps_between_keys() {
        let keys = ["alpha-beta-gamma"; 12];
        let text = listing("the keys are:", &keys);
        assert_eq!(text.matches("alpha-beta-gamma").count(), 12);
        assert!(text.lines().all(|l| l.len() <= 76), "{text}");
        assert!(text.lines().count() > 2, "{text}");
        assert!(!text.ends_with(','), "{text}");
        assert_eq!(listing("none:", &[]), "none:");
    }

    #[test]
    fn suggests_near_misses_only() {
        let keys = ["reference", "controller", "officer", "breach"];
        assert_eq!(did_you_mean("refrence", keys), Some("reference"));
        assert_eq!(did_you_mean("controler", keys), Some("controller"));
        assert_eq!(did_you_mean("ofiser", keys), Some("officer"));
        assert_eq!(did_you_mean("letters", keys), None);
        assert_eq!(did_you_mean("x", keys), None);
    }

    #[test]
    fn spans_inside_a_character_are_widened_to_it() {
        let source = Source::new("a.yaml", "name: é\n");
        let diagnostic = Diagnostic::error("x", "bad").at(&source, 7..8, "here");
        assert_eq!(diagnostic.span, 6..8);
        let diagnostic = Diagnostic::error("x", "bad").at(&source, 100..200, "here");
        assert_eq!(diagnostic.span, 9..9);
    }

    #[test]
    fn a_file_named_as_a_whole_is_not_quoted() {
        let source = Source::new("cases/a.yaml", "reference: IC-1\nsecret: x\n");
        let diagnostic = Diagnostic::error("x", "bad").in_file(&source);
        let text = diagnostic.render(false);
        assert_eq!(text.trim_end(), "error[x]: cases/a.yaml: bad");
        assert_eq!(diagnostic.location(), Some(("cases/a.yaml", 1, 1)));
    }

    #[test]
    fn long_lines_are_cut_around_the_offending_text() {
        let long = |n: usize| "x".repeat(n);
        for (line, span, shown, shown_span) in [
            // A short line is shown whole.
            ("key: value", 5..10, "key: value".to_owned(), "value"),
            ("", 0..0, String::new(), ""),
            // Exactly the context either side: still whole.
            (
                &format!("{}ab{}", long(80), long(80)),
                80..82,
                format!("{}ab{}", long(80), long(80)),
                "ab",
            ),
            // Longer: cut on both sides, 80 characters kept each side.
            (
                &format!("{}ab{}", long(500), long(500)),
                500..502,
                format!("…{}ab{}…", long(80), long(80)),
                "ab",
            ),
            // At the start of a long line: cut after only.
            (
                &format!("ab{}", long(500)),
                0..2,
                format!("ab{}…", long(80)),
                "ab",
            ),
            // At its end: cut before only.
            (
                &format!("{}ab", long(500)),
                500..502,
                format!("…{}ab", long(80)),
                "ab",
            ),
            // A long offending text is itself cut to 80 characters.
            (
                &format!("k: {}", "y".repeat(1000)),
                3..1003,
                format!("k: {}…", "y".repeat(160)),
                &"y".repeat(80),
            ),
            // Multi-byte characters count as one each, and are never split.
            (
                &format!("{}[é]{}", "é".repeat(300), "ü".repeat(300)),
                600..603,
                format!("…{}[é]{}…", "é".repeat(80), "ü".repeat(79)),
                "[é",
            ),
            // Only the span's first line is shown; a CR before the LF is dropped.
            ("one\r\ntwo: x\r\nthree", 5..9, "two: x".to_owned(), "two:"),
        ] {
            let (text, range) = excerpt(line, span.clone());
            assert_eq!(text, shown, "{span:?}");
            assert_eq!(&text[range.clone()], shown_span, "{span:?}");
        }
    }

    #[test]
    fn a_long_line_is_printed_cut_with_the_caret_and_location_right() {
        // A runaway YAML flow sequence: 50 KB on line 2, the error at column 30,001.
        let line = format!("key: {}", "[".repeat(50_000));
        let source = Source::new("cases/a.yaml", format!("reference: IC-1\n{line}\n"));
        let offset = 16 + 30_000;
        let diagnostic = Diagnostic::error("too-complex", "nested too deeply").at(
            &source,
            offset..offset + 1,
            "reading stopped here",
        );
        let text = diagnostic.render(false);
        assert!(text.contains("cases/a.yaml:2:30001"), "{text}");
        assert!(text.len() < 1_000, "{} bytes: {text}", text.len());
        let quoted = text
            .lines()
            .find(|l| l.starts_with("2 │"))
            .expect("the line is quoted");
        let caret = text
            .lines()
            .find(|l| l.contains("^ reading stopped here"))
            .expect("a caret");
        let column = caret.chars().position(|c| c == '^').expect("caret");
        assert_eq!(quoted.chars().nth(column), Some('['), "{quoted}\n{caret}");
        assert_eq!(
            quoted.chars().filter(|&c| c == '[').count(),
            161,
            "80 characters either side of the offending one: {quoted}"
        );
        assert!(
            quoted.starts_with("2 │ …") && quoted.ends_with('…'),
            "{quoted}"
        );
    }

    #[test]
    fn a_short_line_prints_as_it_is_with_its_caret() {
        let source = Source::new("a.yaml", "a: 1\nname: Ünïcode, ok\n");
        let diagnostic = Diagnostic::error("x", "bad").at(&source, 11..16, "here");
        let text = diagnostic.render(false);
        assert!(text.contains("a.yaml:2:7"), "{text}");
        let quoted = text
            .lines()
            .find(|l| l.starts_with("2 │"))
            .expect("the line is quoted");
        assert_eq!(quoted, "2 │ name: Ünïcode, ok");
        let caret = text
            .lines()
            .find(|l| l.contains("^^^ here"))
            .expect("caret");
        let column = caret.chars().position(|c| c == '^').expect("caret");
        assert_eq!(quoted.chars().nth(column), Some('Ü'), "{text}");
    }

    #[test]
    fn labels_quote_long_values_shortened() {
        assert_eq!(quote("3 monthz"), "`3 monthz`");
        assert_eq!(quote(""), "``");
        assert_eq!(quote(&"é".repeat(40)), format!("`{}`", "é".repeat(40)));
        assert_eq!(quote(&"é".repeat(41)), format!("`{}…`", "é".repeat(40)));
        assert_eq!(quote("a@b.org\nBcc: c"), "`a@b.org\\nBcc: c`");
    }

    #[test]
    fn a_multi_line_span_quotes_one_line() {
        let source = Source::new("a.yaml", "summary: |\n  secret one\n  secret two\n");
        let diagnostic = Diagnostic::error("x", "bad").at(&source, 11..40, "here");
        assert!(!diagnostic.render(false).contains("secret two"));
    }
}
