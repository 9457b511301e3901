//! Parsing a case file's bytes into [`raw::CaseFile`], with every parser error
//! turned into a located [`Diagnostic`].

use serde_saphyr::Location;

use super::MAX_CASE_BYTES;
use super::raw::{CaseFile, KindsOnly, Located, with_kinds};
use crate::diag::{Diagnostic, Source, quote};

/// The text of a case file's bytes, if they are few enough and UTF-8; a byte
/// that is not is an error at its place.
fn text_of<'b>(name: &str, bytes: &'b [u8]) -> Result<&'b str, Diagnostic> {
    if bytes.len() > MAX_CASE_BYTES {
        let diagnostic = Diagnostic::error(
            "too-large",
            format!(
                "the case file is {} bytes, more than the {MAX_CASE_BYTES} a case file may have",
                bytes.len()
            ),
        )
        .in_file(&Source::new(name, ""))
        .note(
            "a case file holds the facts of one case; long text belongs in fewer, shorter fields",
        );
        return Err(diagnostic);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(error) => {
            let valid = String::from_utf8_lossy(&bytes[..error.valid_up_to()]).into_owned();
            let line_end = bytes[error.valid_up_to()..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |i| error.valid_up_to() + i);
            let shown = String::from_utf8_lossy(&bytes[..line_end]).into_owned();
            let source = Source::new(name, shown);
            let diagnostic = Diagnostic::error("not-utf8", "the case file is not valid UTF-8")
                .at(
                    &source,
                    valid.len()..valid.len() + 1,
                    "this byte is not UTF-8",
                )
                .note(
                    "save the file as UTF-8 (most editors offer it under \"Save with encoding\")",
                );
            Err(diagnostic)
        }
    }
}

/// The case as read, with the mistakes read past (each already a diagnostic).
pub(super) type Parsed = (Source, CaseFile, Vec<Diagnostic>);

/// Parses the bytes of a case file. The file must be UTF-8, at most
/// [`MAX_CASE_BYTES`] long, and within the parser's budget (depth, nodes, aliases).
pub(super) fn parse(name: &str, bytes: &[u8]) -> Result<Parsed, Vec<Diagnostic>> {
    let text = text_of(name, bytes).map_err(|diagnostic| vec![diagnostic])?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let source = Source::new(name, text);
    if is_blank(text) {
        let diagnostic = Diagnostic::error("empty-file", "the case file is empty")
            .in_file(&source)
            .note("a case file starts with `reference:`; see cases/ for examples");
        return Err(vec![diagnostic]);
    }
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: 24,
            max_nodes: 20_000,
            max_events: 60_000,
            max_aliases: 64,
            max_anchors: 64,
            max_documents: 1,
            max_total_scalar_bytes: MAX_CASE_BYTES,
        },
        strict_booleans: true,
    };
    // First each letter's kind, then the file read with each letter's own keys
    // checked against its kind (see `raw::Letters`). A file the first reading
    // cannot make sense of gives its error in the second. An unknown key or a
    // value of the wrong type is reported, blanked out, and the file read again,
    // so that one run reports every such mistake and the checks after parsing
    // still run.
    let mut working = text.to_owned();
    let mut found = Vec::new();
    for _ in 0..MAX_RECOVERIES {
        let kinds = serde_saphyr::from_str_with_options::<KindsOnly>(&working, options.clone())
            .map(KindsOnly::kinds)
            .unwrap_or_default();
        let parsed = with_kinds(kinds, || {
            serde_saphyr::from_str_with_options::<CaseFile>(&working, options.clone())
        });
        let error = match parsed {
            Ok(case) => return Ok((source, case, found)),
            Err(error) => error,
        };
        let diagnostic = diagnose(&source, &error);
        let recoverable = matches!(
            diagnostic.code,
            "unknown-key" | "key-not-for-matter" | "wrong-type"
        );
        let entry = error
            .location()
            .and_then(|at| at.span().byte_offset())
            .and_then(|at| entry_at(&working, at as usize));
        // A key blanked for its wrong value is then missing: already reported.
        let missing_blanked = diagnostic.code == "missing-key"
            && !found.is_empty()
            && found.iter().any(|d: &Diagnostic| d.code == "wrong-type");
        if !missing_blanked {
            found.push(diagnostic);
        }
        match entry {
            Some(entry) if recoverable => blank(&mut working, entry),
            _ => break,
        }
    }
    Err(found)
}

/// How many mistakes a case file is read past before reading stops.
const MAX_RECOVERIES: usize = 32;

/// The bytes of the map entry whose key, or whose value, starts at byte `at`:
/// the key and its whole value, and the comma after it in a flow map.
fn entry_at(text: &str, at: usize) -> Option<std::ops::Range<usize>> {
    use serde_saphyr::granit_parser::{Event, Parser};
    // Each open collection: a map (with whether its next node is a key) or a list.
    let mut open: Vec<Option<bool>> = Vec::new();
    let mut key_start = None;
    let mut events = Parser::new_from_str(text);
    let (event, span) = loop {
        let (event, span) = events.next()?.ok()?;
        let is_key = matches!(open.last(), Some(Some(true)));
        let offset = span.start.byte_offset()?;
        if is_key {
            key_start = Some(offset);
        }
        if offset == at && matches!(open.last(), Some(Some(_))) {
            if is_key {
                break events.next()?.ok()?;
            }
            break (event, span);
        }
        match event {
            Event::MappingStart(..) => {
                flip(&mut open);
                open.push(Some(true));
            }
            Event::SequenceStart(..) => {
                flip(&mut open);
                open.push(None);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                open.pop();
            }
            Event::Scalar(..) | Event::Alias(..) => flip(&mut open),
            _ => {}
        }
    };
    let start = key_start?;
    let mut end = span.end.byte_offset()?;
    let mut depth = usize::from(matches!(
        event,
        Event::MappingStart(..) | Event::SequenceStart(..)
    ));
    while depth > 0 {
        let (event, span) = events.next()?.ok()?;
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => depth += 1,
            Event::MappingEnd | Event::SequenceEnd => depth -= 1,
            _ => {}
        }
        end = end.max(span.end.byte_offset()?);
    }
    let rest = &text[end..];
    let after = rest.trim_start_matches([' ', '\t']);
    if after.starts_with(',') {
        end += rest.len() - after.len() + 1;
    }
    (start < end).then_some(start..end)
}

/// In a map, the next node alternates between key and value.
fn flip(open: &mut [Option<bool>]) {
    if let Some(Some(is_key)) = open.last_mut() {
        *is_key = !*is_key;
    }
}

/// Replaces a range of the text with spaces, keeping line breaks, so every
/// other value stays where it was.
fn blank(text: &mut String, range: std::ops::Range<usize>) {
    let blanked: String = text[range.clone()]
        .chars()
        .map(|c| match c {
            '\n' | '\r' => c.to_string(),
            _ => " ".repeat(c.len_utf8()),
        })
        .collect();
    text.replace_range(range, &blanked);
}

fn is_blank(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with('#') || line == "---" || line == "..."
    })
}

/// Turns a parser error into a diagnostic with a code, a short message and help.
fn diagnose(source: &Source, error: &serde_saphyr::Error) -> Diagnostic {
    let error = error.without_snippet();
    let rendered = error.render_with_options(serde_saphyr::render_options! {
        snippets: serde_saphyr::SnippetMode::Off,
    });
    let message = strip_location(&rendered);
    let span = error.location().map_or(0..0, |at| span_of(source, at));
    let (code, message, label, mut notes) = explain(message);
    if code == "wrong-type"
        && message.ends_with(MAP)
        && let Some(key) = key_before(&source.text, span.start)
        && let Some(keys) = super::schema::map_keys(key)
    {
        notes.push(format!("`{key}` takes the keys: {}", keys.join(", ")));
    }
    let mut diagnostic = Diagnostic::error(code, message).at(source, span, label);
    for note in notes {
        diagnostic = diagnostic.note(note);
    }
    diagnostic
}

/// The byte range of a parser location in the source.
pub(super) fn span_of(source: &Source, at: Location) -> std::ops::Range<usize> {
    if at.line() == 0 {
        return 0..0;
    }
    let span = at.span();
    match (span.byte_offset(), span.byte_len()) {
        (Some(offset), Some(len)) => offset as usize..(offset + len.max(1)) as usize,
        _ => {
            let start = source.offset(at.line() as usize, at.column() as usize);
            let end = source.text[start..]
                .find([' ', '\n', ':'])
                .map_or(source.text.len(), |i| start + i.max(1));
            start..end
        }
    }
}

/// The byte range of a spanned value.
pub(super) fn span_of_value<T>(source: &Source, value: &Located<T>) -> std::ops::Range<usize> {
    span_of(source, value.referenced)
}

fn strip_location(message: &str) -> &str {
    let first_line = message.lines().next().unwrap_or(message);
    match first_line.rfind(" at line ") {
        Some(index) => &first_line[..index],
        None => first_line,
    }
}

/// What a type mismatch expected, in a case officer's words.
/// What a wrong-type message says a map is.
const MAP: &str = "a map of keys and values";

/// The key a value at `at` is written under on its line (`complainant` of
/// `  complainant: Ms L Carter`), if it is written after one.
fn key_before(text: &str, at: usize) -> Option<&str> {
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let before = text[line_start..at].trim_end().strip_suffix(':')?;
    let key = before
        .rsplit(|c: char| c.is_whitespace() || matches!(c, '{' | ',' | '-'))
        .next()?
        .trim_matches(['"', '\'']);
    is_key_name(key).then_some(key)
}

fn expected_type(message: &str) -> Option<&'static str> {
    const WORDS: [(&str, &str); 9] = [
        ("expected sequence", "a list"),
        ("expected mapping", MAP),
        ("expected string", "text"),
        ("invalid u64", "a whole number"),
        ("invalid u32", "a whole number"),
        ("invalid boolean", "true or false"),
        ("invalid type: sequence", "a single value, not a list"),
        ("invalid type: map", "a single value, not a map"),
        ("invalid type", "a different kind of value"),
    ];
    WORDS
        .iter()
        .find(|(pattern, _)| message.contains(pattern))
        .map(|(_, words)| *words)
}

/// Whether a word is one of the case file's own key names (`their_reference`).
fn is_key_name(word: &str) -> bool {
    !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// The matter ("an investigation") whose keys are `choices`, when `key` is one
/// only a breach takes: the breach-only rules have no place there.
fn breach_key_elsewhere(key: &str, choices: &[&str]) -> Option<&'static str> {
    use crate::case::raw;
    use crate::kinds::serde_fields;
    if !serde_fields::<raw::Breach>().contains(&key) {
        return None;
    }
    [
        (serde_fields::<raw::Investigation>(), "an investigation"),
        (serde_fields::<raw::Complaint>(), "a complaint"),
    ]
    .into_iter()
    .find(|(keys, _)| *keys == choices)
    .map(|(_, matter)| matter)
}

/// Code, message, caret label and help notes for a parser message.
// A table of the parser's messages, one branch each: long, but flat.
fn explain(message: &str) -> (&'static str, String, String, Vec<String>) {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        // The key is the case's text and may itself hold "`" or ", ": the list of
        // keys is what follows the last "`, expected ", and only if every entry
        // looks like a key; otherwise no list is given rather than a wrong one.
        let (key, expected) = rest
            .rsplit_once("`, expected ")
            .or_else(|| rest.rsplit_once("`, there are no fields"))
            .unwrap_or((rest.strip_suffix('`').unwrap_or(rest), ""));
        let mut choices: Vec<&str> = expected
            .trim_start_matches("one of ")
            .split(", ")
            .map(|s| s.trim_matches('`'))
            .filter(|s| !s.is_empty())
            .collect();
        if !choices.iter().all(|c| is_key_name(c)) {
            choices.clear();
        }
        if let Some(matter) = breach_key_elsewhere(key, &choices) {
            return (
                "key-not-for-matter",
                format!("`{key}` is a fact of a breach, not of {matter}"),
                format!("a breach-only key in {matter}"),
                vec![format!(
                    "the keys {matter} takes are: {}",
                    choices.join(", ")
                )],
            );
        }
        let mut notes = Vec::new();
        if let Some(suggestion) = crate::diag::did_you_mean(key, choices.iter().copied()) {
            notes.push(format!("did you mean `{suggestion}`?"));
        }
        if !choices.is_empty() {
            notes.push(format!("the keys allowed here are: {}", choices.join(", ")));
        }
        return (
            "unknown-key",
            format!("unknown key {}", quote(key)),
            "not a key here".into(),
            notes,
        );
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or(rest);
        return (
            "missing-key",
            format!("missing required key `{key}`"),
            format!(
                "this map needs {} `{key}` key",
                crate::english::indefinite_article(key)
            ),
            vec![],
        );
    }
    if message.starts_with("duplicate mapping key") || message.starts_with("duplicate field") {
        let key = message
            .split_once(": ")
            .map(|(_, k)| k.split(',').next().unwrap_or(k).trim())
            .or_else(|| message.split('`').nth(1))
            .unwrap_or("");
        return (
            "duplicate-key",
            format!("duplicate key {}", quote(key)),
            "this key is already set above".into(),
            vec!["each key may appear once in a map; delete one of them".into()],
        );
    }
    if message.contains("budget") {
        if message.contains("Documents") {
            return (
                "multiple-documents",
                "the case file holds more than one YAML document".into(),
                "a second document starts here".into(),
                vec!["one case per file: remove the `---` line, or move the second case to its own file".into()],
            );
        }
        let what = if message.contains("Alias") || message.contains("Anchor") {
            "too many aliases (`*name`) or anchors (`&name`)"
        } else if message.contains("Depth") {
            "nested too deeply"
        } else if message.contains("Scalar") {
            "too much text"
        } else {
            "too many values"
        };
        return (
            "too-complex",
            format!("the case file is too complex to read: {what}"),
            "reading stopped here".into(),
            vec!["a case file is a small map of facts; the limits protect every batch from a runaway file".into()],
        );
    }
    if message.contains("tab") {
        return (
            "yaml-syntax",
            message.to_string(),
            "a tab here".into(),
            vec!["YAML indents with spaces, never tabs".into()],
        );
    }
    if let Some(expected) = expected_type(message) {
        let mut notes = Vec::new();
        if expected == "text" {
            notes.push("a `: ` inside text starts a map: put the text in quotes".to_owned());
        }
        return (
            "wrong-type",
            format!("wrong type of value: expected {expected}"),
            format!("expected {expected} here"),
            notes,
        );
    }
    if message.starts_with("unexpected end of input") {
        return (
            "yaml-syntax",
            "the case file ends too early".into(),
            "the file ends here".into(),
            vec!["a case file is a map of keys; see cases/ for examples".into()],
        );
    }
    (
        "yaml-syntax",
        format!("the case file is not valid YAML: {message}"),
        "here".into(),
        vec!["check the indentation and quoting of this line".into()],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key a value is written under, in block and flow maps and list items;
    /// none where no key is written before it on its line.
    #[test]
    fn the_key_before_a_value() {
        for (text, value, expected) in [
            ("  complainant: Ms L Carter", "Ms L", Some("complainant")),
            ("controller: Example Ltd", "Example", Some("controller")),
            ("officer: [Sam Reed]", "[Sam", Some("officer")),
            ("a: { name: X, officer: Sam }", "Sam", Some("officer")),
            ("  - publication: 2024-06-01", "2024", Some("publication")),
            ("  \"contact\": Ms A", "Ms A", Some("contact")),
            ("  - Ms L Carter", "Ms L", None),
            ("x\n  Ms L Carter", "Ms L", None),
            ("Some Key: value", "value", None),
        ] {
            let at = text.rfind(value).expect("the value is in the text");
            assert_eq!(key_before(text, at), expected, "{text:?}");
        }
    }

    #[test]
    fn unknown_keys_name_the_key_and_only_real_choices() {
        let long = "k".repeat(1000);
        for (message, key, choices) in [
            (
                "unknown field `nmae`, expected one of `name`, `email`".to_owned(),
                "`nmae`",
                Some("name, email"),
            ),
            (
                "unknown field `x`, expected `name`".to_owned(),
                "`x`",
                Some("name"),
            ),
            (
                "unknown field `x`, there are no fields".to_owned(),
                "`x`",
                None,
            ),
            // A key holding backquotes and the parser's own words.
            (
                "unknown field `a`b`, expected one of `c d``, expected one of `name`, `email`"
                    .to_owned(),
                "`a`b`, expected one of `c d``",
                Some("name, email"),
            ),
            // Cut short (a key with a line break): no list rather than a wrong one.
            (
                "unknown field `a`, expected one of `secret words".to_owned(),
                "`a`",
                None,
            ),
            ("unknown field `abc".to_owned(), "`abc`", None),
            (
                format!("unknown field `{long}`, expected `name`"),
                "`kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk…`",
                Some("name"),
            ),
        ] {
            let (code, said, _, notes) = explain(&message);
            assert_eq!(code, "unknown-key", "{message}");
            assert_eq!(said, format!("unknown key {key}"), "{message}");
            let listed = notes
                .iter()
                .find_map(|n| n.strip_prefix("the keys allowed here are: "));
            assert_eq!(listed, choices, "{message}");
        }
    }

    #[test]
    fn a_duplicate_key_is_named_short() {
        let long = "k".repeat(1000);
        let (code, said, _, _) = explain(&format!("duplicate mapping key: {long}"));
        assert_eq!(code, "duplicate-key");
        assert!(said.len() < 100, "{said}");
    }
}
