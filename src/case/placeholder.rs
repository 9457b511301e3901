//! Placeholders: the `<<...>>` values `casewright new` writes wherever the officer
//! must write something. One left in is an error at its place, every one of them at
//! once, so a scaffold can never be sent by mistake.

use serde_saphyr::granit_parser::Parser;

use crate::diag::{Diagnostic, Source};

/// How a placeholder opens.
const OPEN: &str = "<<";
/// How a placeholder closes.
const CLOSE: &str = ">>";

/// The errors a placeholder's place may also give that are not about reading its
/// value (which is no value at all): these are kept, the others left out.
const ABOUT_MORE_THAN_THE_VALUE: [&str; 9] = [
    "no-matter",
    "two-matters",
    "no-letters",
    "missing-key",
    "key-not-for-kind",
    "key-not-for-matter",
    "no-power",
    "duplicate-letter",
    "no-progress-update",
];

/// A placeholder saying what to write: `<<YYYY-MM-DD>>`.
pub fn placeholder(what: &str) -> String {
    format!("{OPEN}{what}{CLOSE}")
}

/// Whether a value is a placeholder.
pub fn is_placeholder(value: &str) -> bool {
    let value = value.trim();
    value.len() > OPEN.len() + CLOSE.len() && value.starts_with(OPEN) && value.ends_with(CLOSE)
}

/// Every placeholder of a case file, each an error at its place (none when the
/// file is not YAML far enough to find them: its own error says so).
pub(super) fn find(source: &Source) -> Vec<Diagnostic> {
    if !source.text.contains(OPEN) {
        return Vec::new();
    }
    let mut found = Vec::new();
    for event in Parser::new_from_str(&source.text) {
        let Ok((event, span)) = event else { break };
        let Some((value, _)) = event.scalar() else {
            continue;
        };
        let (Some(start), Some(end)) = (span.start.byte_offset(), span.end.byte_offset()) else {
            continue;
        };
        if is_placeholder(value) {
            found.push(
                Diagnostic::error("placeholder", "still the placeholder from `casewright new`")
                    .at(source, start..end.max(start + 1), "write the value here")
                    .note("replace each `<<...>>` with the value it asks for, or comment out the line of a key that is optional"),
            );
        }
    }
    found
}

/// The outcome of loading a case, with its placeholders: when there are any, they
/// are errors, and the errors of reading the values they stand in place of are left
/// out, as a placeholder is not a mistaken value but a missing one.
pub(super) fn mark<T>(
    name: &str,
    bytes: &[u8],
    loaded: Result<T, Vec<Diagnostic>>,
) -> Result<T, Vec<Diagnostic>> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return loaded;
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if bytes.len() > super::MAX_CASE_BYTES || !text.contains(OPEN) {
        return loaded;
    }
    let marks = find(&Source::new(name, text));
    if marks.is_empty() {
        return loaded;
    }
    let at_a_mark = |d: &Diagnostic| {
        marks.iter().any(|m| {
            d.span.start < m.span.end.max(m.span.start + 1) && m.span.start <= d.span.start
        })
    };
    let mut errors: Vec<Diagnostic> = loaded
        .err()
        .unwrap_or_default()
        .into_iter()
        .filter(|d| ABOUT_MORE_THAN_THE_VALUE.contains(&d.code) || !at_a_mark(d))
        .collect();
    errors.extend(marks);
    errors.sort_by_key(|d| d.span.start);
    Err(errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_double_angle_brackets_around_something() {
        for (value, expected) in [
            ("<<YYYY-MM-DD>>", true),
            ("  <<name>> ", true),
            ("<<>>", false),
            ("<https://example.org>", false),
            ("a <<b>> c", false),
            ("<<b", false),
        ] {
            assert_eq!(is_placeholder(value), expected, "{value}");
        }
        assert!(is_placeholder(&placeholder("email address")));
    }

    #[test]
    fn every_placeholder_is_found_at_its_place_but_not_in_comments() {
        let text = "reference: <<reference>>\n# name: <<name>>\nletters:\n  - { kind: decision, date: \"<<YYYY-MM-DD>>\" }\nx: [a, <<key>>]\n";
        let source = Source::new("c.yaml", text);
        let found: Vec<(usize, usize)> = find(&source)
            .iter()
            .filter_map(|d| d.location().map(|(_, line, column)| (line, column)))
            .collect();
        assert_eq!(found, [(1, 12), (4, 29), (5, 8)]);
    }
}
