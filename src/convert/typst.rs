//! Markdown → Typst markup.
//!
//! Structure is written as function calls (`#emph[..]`, `#list(..)`, `#link("..")[..]`)
//! rather than markup shorthands, so nothing depends on indentation or on what
//! text happens to sit next to it; every text node goes through
//! [`escape::typst_text`](crate::escape::typst_text).

use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Tag, TagEnd};

use crate::case::markdown::{Language, Piece, pieces};
use crate::escape::{typst_string, typst_text};

/// How many Markdown elements may be open at once before deeper ones are written
/// as their text alone. Each element becomes a few levels of Typst syntax, and
/// Typst gives up on markup nested 256 levels deep, on blocks laid out 72 deep and
/// on show rules applied 64 deep: the real layout's rule for block quotes fails
/// at 32 nested quotes, so the cap leaves room for an office's own rules. A case
/// file is refused well before this (see [`crate::case::MAX_MARKDOWN_DEPTH`], plus
/// the few levels a template adds), so only hostile input is ever flattened.
pub const MAX_TYPST_NESTING: usize = 24;

/// Converts a letter's Markdown to Typst markup.
///
/// Elements nested deeper than [`MAX_TYPST_NESTING`] lose their structure but keep
/// their text, so the result always parses, however deep the input.
// One match over pulldown-cmark's events, like the other converters: splitting it
// would scatter the one table of tags to markup.
pub fn to_typst(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() * 5 / 4);
    // Text of a code block or an image's alt text, collected until its end.
    let mut code: Option<String> = None;
    // For each open element, whether it was written (or flattened to its text).
    let mut open: Vec<bool> = Vec::new();
    let mut keep = Keep::default();
    for piece in pieces(markdown) {
        let event = match piece {
            Piece::Event(event) => event,
            // In an image's alt text, a language span keeps only its text.
            _ if code.is_some() => continue,
            Piece::Lang(language) => {
                let written = !matches!(open.last(), Some(false)) && open.len() < MAX_TYPST_NESTING;
                open.push(written);
                if written {
                    language_start(&language, &mut out);
                }
                continue;
            }
            Piece::LangEnd => {
                if open.pop().unwrap_or(true) {
                    out.push(']');
                }
                continue;
            }
        };
        if let Some(buffer) = code.as_mut() {
            match event {
                Event::Text(text)
                | Event::Code(text)
                | Event::Html(text)
                | Event::InlineHtml(text) => {
                    buffer.push_str(&text);
                    continue;
                }
                Event::End(TagEnd::CodeBlock) => {
                    out.push_str("#raw(block: true, \"");
                    typst_string(buffer.trim_end_matches('\n'), &mut out);
                    out.push_str("\")\n\n");
                    code = None;
                    open.pop();
                    continue;
                }
                _ => {}
            }
        }
        match &event {
            Event::Start(Tag::Paragraph) if open.is_empty() => keep.paragraph(&out),
            Event::Start(_) if open.is_empty() => keep.other(),
            Event::HardBreak if open.len() == 1 => keep.broken = true,
            _ => {}
        }
        match event {
            Event::Start(tag) => {
                let written = match open.last() {
                    Some(false) => false,
                    // A list's items and a table's rows and cells belong to it:
                    // writing the one means writing the others.
                    Some(true) if is_part(&tag) => true,
                    _ => open.len() < MAX_TYPST_NESTING,
                };
                open.push(written);
                if written {
                    start(tag, &mut out, &mut code);
                }
            }
            Event::End(tag) => {
                let paragraph = matches!(tag, TagEnd::Paragraph);
                let written = open.pop().unwrap_or(true);
                if written {
                    end(tag, &mut out);
                } else {
                    flattened_end(tag, &mut out);
                }
                if paragraph && written && open.is_empty() {
                    keep.paragraph_end(&mut out);
                }
            }
            Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) => {
                typst_text(&text, &mut out)
            }
            Event::Code(text) => {
                out.push_str("#raw(\"");
                typst_string(&text, &mut out);
                out.push_str("\")");
            }
            Event::SoftBreak => out.push('\n'),
            Event::HardBreak => out.push_str("#linebreak()\n"),
            Event::Rule => out.push_str("#line(length: 100%)\n\n"),
            Event::FootnoteReference(text) | Event::InlineMath(text) | Event::DisplayMath(text) => {
                typst_text(&text, &mut out)
            }
            Event::TaskListMarker(done) => out.push_str(if done { "☑ " } else { "☐ " }),
        }
    }
    while out.ends_with('\n') {
        out.pop();
    }
    out.push('\n');
    out
}

/// Keeps lines together across page breaks. A paragraph of lines joined by hard
/// breaks (a signature, an address, a reference with its "your reference" line)
/// is never split, and the paragraph before it is kept on the same page: so a
/// letter's signature never starts a page alone.
#[derive(Default)]
struct Keep {
    /// Where the top-level paragraph being written starts in the output.
    start: Option<usize>,
    /// Whether it has a hard break.
    broken: bool,
    /// The top-level paragraph written just before, if nothing came between.
    previous: Option<std::ops::Range<usize>>,
}

impl Keep {
    fn paragraph(&mut self, out: &str) {
        self.start = Some(out.len());
        self.broken = false;
    }

    fn other(&mut self) {
        self.start = None;
        self.previous = None;
    }

    fn paragraph_end(&mut self, out: &mut String) {
        let Some(start) = self.start.take() else {
            return;
        };
        let mut current = start..out.len();
        if self.broken {
            wrap(out, current.clone(), "#block(breakable: false)[");
            current.end = out.len();
            if let Some(previous) = self.previous.take().filter(|p| p.end == start) {
                let before = out.len();
                wrap(out, previous, "#block(sticky: true)[");
                let shift = out.len() - before;
                current = current.start + shift..current.end + shift;
            }
        }
        self.previous = Some(current);
    }
}

/// Wraps the paragraph at `range` (ending in a blank line) in a block call, as a
/// paragraph of its own inside it.
fn wrap(out: &mut String, range: std::ops::Range<usize>, call: &str) {
    let inner = out[range.clone()].trim_end_matches('\n').to_owned();
    out.replace_range(range, &format!("{call}\n\n{inner}\n\n]\n\n"));
}

/// Text in another language: `#text(lang: "cy", region: "GB")[`, closed by `]`.
/// The tagged PDF marks it with its language.
fn language_start(language: &Language, out: &mut String) {
    out.push_str("#text(lang: \"");
    typst_string(&language.code, out);
    out.push_str("\", region: ");
    // Without a region of its own, the quotation has none: not the letter's.
    match &language.region {
        Some(region) => {
            out.push('"');
            typst_string(region, out);
            out.push('"');
        }
        None => out.push_str("none"),
    }
    out.push_str(")[");
}

fn start(tag: Tag<'_>, out: &mut String, code: &mut Option<String>) {
    match tag {
        Tag::Paragraph => {}
        Tag::Heading { level, .. } => {
            let level = match level {
                HeadingLevel::H1 => 1,
                HeadingLevel::H2 => 2,
                HeadingLevel::H3 => 3,
                HeadingLevel::H4 => 4,
                HeadingLevel::H5 => 5,
                HeadingLevel::H6 => 6,
            };
            out.push_str(&format!("#heading(level: {level})["));
        }
        Tag::BlockQuote(_) => out.push_str("#quote(block: true)["),
        Tag::CodeBlock(kind) => {
            let _ = matches!(kind, CodeBlockKind::Fenced(_));
            *code = Some(String::new());
        }
        Tag::List(None) => out.push_str("#list("),
        Tag::List(Some(first)) => out.push_str(&format!("#enum(start: {first}, ")),
        Tag::Item => out.push('['),
        Tag::Table(alignments) => {
            let align: Vec<&str> = alignments
                .iter()
                .map(|a| match a {
                    Alignment::None | Alignment::Left => "left",
                    Alignment::Center => "center",
                    Alignment::Right => "right",
                })
                .collect();
            out.push_str(&format!(
                "#table(columns: {}, align: ({},), ",
                align.len().max(1),
                align.join(", ")
            ));
        }
        Tag::TableHead => out.push_str("table.header("),
        Tag::TableRow => {}
        Tag::TableCell => out.push('['),
        Tag::Emphasis => out.push_str("#emph["),
        Tag::Strong => out.push_str("#strong["),
        Tag::Strikethrough => out.push_str("#strike["),
        Tag::Link {
            link_type,
            dest_url,
            ..
        } => {
            let url = crate::case::markdown::link_url(link_type, &dest_url);
            if crate::case::markdown::allowed_link(&url) {
                out.push_str("#link(\"");
                typst_string(&url, out);
                out.push_str("\")[");
            } else {
                // A scheme no output links to: the text stays, as plain content.
                out.push_str("#[");
            }
        }
        // Images are never loaded: their alt text stands in their place.
        Tag::Image { .. } => {}
        Tag::HtmlBlock => {}
        Tag::FootnoteDefinition(_)
        | Tag::DefinitionList
        | Tag::DefinitionListTitle
        | Tag::DefinitionListDefinition
        | Tag::MetadataBlock(_)
        | Tag::Superscript
        | Tag::Subscript => {}
    }
}

fn end(tag: TagEnd, out: &mut String) {
    match tag {
        TagEnd::Paragraph => {
            trim_newlines(out);
            out.push_str("\n\n");
        }
        TagEnd::Heading(_) => out.push_str("]\n\n"),
        TagEnd::BlockQuote(_) => {
            trim_newlines(out);
            out.push_str("]\n\n");
        }
        TagEnd::List(_) => {
            out.push_str(")\n\n");
        }
        TagEnd::Item => {
            trim_newlines(out);
            out.push_str("], ");
        }
        TagEnd::TableHead => out.push_str("), "),
        TagEnd::TableCell => out.push_str("], "),
        TagEnd::Table => out.push_str(")\n\n"),
        TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link => out.push(']'),
        TagEnd::HtmlBlock => out.push_str("\n\n"),
        _ => {}
    }
}

/// Whether an element is a part of its parent's call rather than content of its own.
fn is_part(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Item | Tag::TableHead | Tag::TableRow | Tag::TableCell
    )
}

/// Ends an element that was written as its text alone: blocks still end their
/// paragraph, so the text of two items or quotes does not run together.
fn flattened_end(tag: TagEnd, out: &mut String) {
    match tag {
        TagEnd::Paragraph
        | TagEnd::Heading(_)
        | TagEnd::BlockQuote(_)
        | TagEnd::CodeBlock
        | TagEnd::List(_)
        | TagEnd::Item
        | TagEnd::Table
        | TagEnd::TableHead
        | TagEnd::TableRow
        | TagEnd::HtmlBlock => {
            trim_newlines(out);
            out.push_str("\n\n");
        }
        TagEnd::TableCell => out.push(' '),
        _ => {}
    }
}

fn trim_newlines(out: &mut String) {
    while out.ends_with('\n') || out.ends_with(' ') {
        out.pop();
    }
}

#[cfg(test)]
mod tests {
    use ::typst::syntax::{SyntaxKind, SyntaxNode, parse};

    use super::*;

    /// Parses Typst markup and fails on any syntax error.
    fn parses(source: &str) -> SyntaxNode {
        let root = parse(source);
        assert!(
            !root.diagnosis().errors,
            "{source:?} has errors: {:?}",
            root.errors_and_warnings().0
        );
        root
    }

    #[test]
    fn a_link_no_output_may_have_keeps_only_its_text() {
        for (markdown, typst) in [
            ("[x](javascript:alert(1))", "#[x]\n"),
            ("[x](file:///etc/passwd)", "#[x]\n"),
            ("[x](data:text/html,y)", "#[x]\n"),
            (
                "[x](tel:+441234567890)",
                "#link(\"tel:+441234567890\")[x]\n",
            ),
        ] {
            assert_eq!(to_typst(markdown), typst, "{markdown}");
            parses(&to_typst(markdown));
        }
        assert_eq!(
            crate::convert::text::to_text("[x](javascript:alert(1))", 76),
            "x\n"
        );
    }

    #[test]
    fn converts_each_element() {
        for (markdown, typst) in [
            ("Hello world.", "Hello world\\.\n"),
            (
                "*a* and **b** and ~~c~~",
                "#emph[a] and #strong[b] and #strike[c]\n",
            ),
            ("## Our decision", "#heading(level: 2)[Our decision]\n"),
            ("- one\n- two", "#list([one], [two], )\n"),
            ("3. three\n4. four", "#enum(start: 3, [three], [four], )\n"),
            ("- a\n  - b", "#list([a#list([b], )], )\n"),
            (
                "[guide](https://ico.org.uk/a_b)",
                "#link(\"https://ico.org.uk/a_b\")[guide]\n",
            ),
            (
                "<https://ico.org.uk>",
                "#link(\"https://ico.org.uk\")[https\\:\\/\\/ico\\.org\\.uk]\n",
            ),
            (
                "<dpo@example.org>",
                "#link(\"mailto:dpo@example.org\")[dpo\\@example\\.org]\n",
            ),
            (
                "a\\\nb",
                "#block(breakable: false)[\n\na#linebreak()\nb\n\n]\n",
            ),
            (
                "a  \nb",
                "#block(breakable: false)[\n\na#linebreak()\nb\n\n]\n",
            ),
            // A block of lines (a signature) keeps the paragraph before it; a heading
            // or list between them breaks the chain.
            (
                "Before.\n\nYours\\\nName",
                "#block(sticky: true)[\n\nBefore\\.\n\n]\n\n#block(breakable: false)[\n\nYours#linebreak()\nName\n\n]\n",
            ),
            (
                "- item\n\nYours\\\nName",
                "#list([item], )\n\n#block(breakable: false)[\n\nYours#linebreak()\nName\n\n]\n",
            ),
            ("a\nb", "a\nb\n"),
            ("> quoted", "#quote(block: true)[quoted]\n"),
            ("`x = 1`", "#raw(\"x = 1\")\n"),
            (
                "```\nlet x = \"1\";\n```",
                "#raw(block: true, \"let x = \\\"1\\\";\")\n",
            ),
            ("---", "#line(length: 100%)\n"),
            ("![a chart](chart.png)", "a chart\n"),
            ("<b>bold</b>", "\\<b\\>bold\\<\\/b\\>\n"),
            (
                "| a | b |\n|:-|-:|\n| 1 | 2 |",
                "#table(columns: 2, align: (left, right,), table.header([a], [b], ), [1], [2], )\n",
            ),
            ("It's \"quoted\"", "It's \"quoted\"\n"),
            (
                "He wrote <span lang=\"cy\">Diolch *yn fawr*</span>.",
                "He wrote #text(lang: \"cy\", region: none)[Diolch #emph[yn fawr]]\\.\n",
            ),
            (
                "> <span lang=\"fr-CA\">Merci</span>",
                "#quote(block: true)[#text(lang: \"fr\", region: \"CA\")[Merci]]\n",
            ),
            ("<span lang=\"cy\">open", "\\<span lang\\=\"cy\"\\>open\n"),
        ] {
            let converted = to_typst(markdown);
            assert_eq!(converted, typst, "{markdown:?}");
            parses(&converted);
        }
    }

    #[test]
    fn paragraphs_are_separated_by_blank_lines() {
        let converted = to_typst("One.\n\nTwo.\n\n- item one\n\n  more\n- item two");
        assert_eq!(
            converted,
            "One\\.\n\nTwo\\.\n\n#list([item one\n\nmore], [item two], )\n"
        );
        parses(&converted);
    }

    #[test]
    fn hostile_text_stays_text() {
        for hostile in crate::escape::tests::HOSTILE {
            let escaped = crate::escape::markdown(hostile);
            let converted = to_typst(&escaped);
            let root = parses(&converted);
            assert!(only_text(&root), "{hostile:?} → {converted:?}");
        }
    }

    #[test]
    fn markdown_of_any_depth_gives_typst_that_parses() {
        let list = |levels: usize| -> String {
            (0..levels)
                .map(|level| format!("{}- item {level}\n", "  ".repeat(level)))
                .collect()
        };
        let emphasis = |levels: usize| crate::escape::tests::nested_emphasis(levels, "deep");
        for (what, markdown, last_words) in [
            ("quotes", format!("{}deep", "> ".repeat(128)), "deep"),
            ("quotes, long", format!("{}deep", "> ".repeat(5000)), "deep"),
            ("lists", list(200), "item 199"),
            ("emphasis", emphasis(300), "deep"),
            (
                "links in quotes",
                format!("{}[deep](https://example.org)", "> ".repeat(200)),
                "deep",
            ),
            (
                "a table deep in quotes",
                format!("{}| a |\n|-|\n| deep |", "> ".repeat(MAX_TYPST_NESTING - 2)),
                "deep",
            ),
            (
                "a code block deep in quotes",
                format!("{}```\ndeep\n```", "> ".repeat(200)),
                "deep",
            ),
            (
                "headings deep in quotes",
                format!("{}## deep", "> ".repeat(200)),
                "deep",
            ),
        ] {
            let converted = to_typst(&markdown);
            parses(&converted);
            assert!(
                converted.contains(last_words),
                "{what}: the innermost text is kept"
            );
        }
    }

    #[test]
    fn nesting_is_kept_up_to_the_cap_and_flattened_past_it() {
        for (levels, quotes) in [
            (1, 1),
            (16, 16),
            // Quotes past the cap go; their text stays.
            (MAX_TYPST_NESTING - 1, MAX_TYPST_NESTING - 1),
            (MAX_TYPST_NESTING, MAX_TYPST_NESTING),
            (MAX_TYPST_NESTING + 1, MAX_TYPST_NESTING),
            (1000, MAX_TYPST_NESTING),
        ] {
            let converted = to_typst(&format!("{}x", "> ".repeat(levels)));
            assert_eq!(
                converted.matches("#quote(").count(),
                quotes,
                "{levels} levels"
            );
            assert_eq!(
                converted.matches('[').count(),
                converted.matches(']').count()
            );
        }
        // Code blocks close like any element: many of them flatten nothing.
        let converted = to_typst(&format!("{}- a\n  - b", "```\nx\n```\n\n".repeat(40)));
        assert!(
            converted.ends_with("#list([a#list([b], )], )\n"),
            "{converted}"
        );
        // Items past the cap keep apart, as paragraphs.
        let quotes = "> ".repeat(MAX_TYPST_NESTING);
        let deep = format!("{quotes}- one\n{quotes}- two");
        let converted = to_typst(&deep);
        assert!(converted.contains("one\n\ntwo"), "{converted}");
    }

    /// Whether a markup tree holds text alone: no code, math, markup or references.
    pub(crate) fn only_text(node: &SyntaxNode) -> bool {
        match node.kind() {
            SyntaxKind::Markup | SyntaxKind::Parbreak => node.children().all(only_text),
            SyntaxKind::Text | SyntaxKind::Escape | SyntaxKind::Space | SyntaxKind::SmartQuote => {
                true
            }
            _ => false,
        }
    }
}
