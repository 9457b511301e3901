//! Escapers: plain text into Markdown, Typst markup, Typst strings and HTML.
//!
//! Each is proven by property tests to give back its input verbatim through the
//! corresponding parser, for any Unicode string.

/// Escapes plain text so that, placed inside a Markdown paragraph, list item or
/// table cell, it reads back verbatim and adds no structure.
///
/// Characters that mean something anywhere in a line are backslash-escaped; those
/// that mean something only at the start of a line (`#`, `-`, `+`, `=`, `1.`) are
/// escaped at the start of the value, where a template may place it. Line breaks,
/// tabs, other control characters and leading or trailing spaces become numeric
/// character references, which CommonMark neither strips nor interprets. The result
/// stays readable in review: `IC-73323-V4X7` and `dpo@example.org` are unchanged.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let leading = text.len() - text.trim_start_matches([' ', '\t']).len();
    let trailing_from = text.trim_end_matches([' ', '\t']).len().max(leading);
    let mut line_start = true;
    let mut digits = false;
    for (i, c) in text.char_indices() {
        let at_start = line_start;
        match c {
            '\0' => out.push('\u{FFFD}'),
            ' ' | '\t' if i < leading || i >= trailing_from => push_reference(&mut out, c),
            c if c.is_ascii_control() => push_reference(&mut out, c),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '#' | '-' | '+' | '=' if at_start => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')' if digits => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
        // Only the value's start can be a line's start; ordered-list markers are
        // digits then `.` or `)` there.
        digits = (at_start || digits) && c.is_ascii_digit();
        line_start = at_start && (c == ' ' || c == '\t') && i < leading;
    }
    out
}

fn push_reference(out: &mut String, c: char) {
    out.push_str("&#");
    out.push_str(&u32::from(c).to_string());
    out.push(';');
}

/// Escapes a text node for Typst markup: a backslash before each ASCII punctuation
/// character (so no `#`, `$`, `*`, `_`, `<`, `@`, `=`, `-`, `/`, `[`, `]` can start
/// code, math, markup, labels, references or comments), and line breaks as spaces
/// (a blank line would be a paragraph break). Quotes are left for Typst's smart quotes.
pub fn typst_text(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '"' | '\'' => out.push(c),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' | '\t' => {
                out.push(' ')
            }
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// Escapes text for the inside of a Typst string literal.
pub fn typst_string(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
}

/// Escapes text for HTML content or a quoted attribute value.
pub fn html(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
