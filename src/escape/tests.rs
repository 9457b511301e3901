//! Table tests and property tests for every escaper: what goes in comes out
//! verbatim through the matching parser, and adds no structure.

use proptest::prelude::*;
use pulldown_cmark::{Event, Tag, TagEnd};
use typst::syntax::ast::{Expr, Str};
use typst::syntax::{SyntaxKind, SyntaxNode, parse, parse_code};

use super::*;
use crate::convert::{parser, to_html, to_text, to_typst};

/// `*w _w word w_ w*`: Markdown emphasis in emphasis, `levels` deep, around
/// `word`: hostile by its depth, for the loader's limit and the converters' cap.
pub(crate) fn nested_emphasis(levels: usize, word: &str) -> String {
    let marks: Vec<char> = (0..levels)
        .map(|i| if i % 2 == 0 { '*' } else { '_' })
        .collect();
    let open: String = marks.iter().map(|m| format!("{m}w ")).collect();
    let close: String = marks.iter().rev().map(|m| format!(" w{m}")).collect();
    format!("{open}{word}{close}")
}

/// Strings that would mean something to Markdown, Typst or HTML if not escaped.
pub(crate) const HOSTILE: [&str; 38] = [
    "#panic()",
    "$x$",
    "*a*",
    "_a_",
    "]",
    "[",
    "// b",
    "/* c",
    "2026. That",
    "1) one",
    "- item",
    "+ item",
    "= Heading",
    "# Heading",
    "<a>",
    "<script>alert(1)</script>",
    "@ref",
    "\\",
    "\\u{41}",
    "\"quoted\"",
    "--",
    "...",
    "~",
    "`code`",
    "&amp;",
    "&#35;",
    "a | b",
    "[x](javascript:y)",
    "![i](x)",
    "===",
    "---",
    "    indented",
    "trailing  ",
    "tab\there\nnewline",
    "#{1 + 1}",
    "#import \"@preview/x:0.1.0\"",
    "x<label>",
    "#set page(width: 1pt)",
];

/// The text of a Markdown document whose only structure is one paragraph.
fn paragraph_text(markdown: &str) -> Option<String> {
    let mut text = String::new();
    for event in parser(markdown) {
        match event {
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
            Event::Text(t) => text.push_str(&t),
            _ => return None,
        }
    }
    Some(text)
}

#[test]
fn markdown_escapes_only_what_could_mean_something() {
    for (plain, escaped) in [
        ("IC-73323-V4X7", "IC-73323-V4X7"),
        ("dpo@example.org", "dpo@example.org"),
        ("INV/0864/2021", "INV/0864/2021"),
        ("Ms E Morrison", "Ms E Morrison"),
        ("O'Brien & Sons", "O'Brien \\& Sons"),
        ("*a*", "\\*a\\*"),
        ("_a_", "\\_a\\_"),
        ("[x](y)", "\\[x\\](y)"),
        ("<a>", "\\<a\\>"),
        ("# Heading", "\\# Heading"),
        ("- item", "\\- item"),
        ("a - b", "a - b"),
        ("2026. That", "2026\\. That"),
        ("In 2026. That", "In 2026. That"),
        ("1) one", "1\\) one"),
        ("a | b", "a \\| b"),
        ("~x~", "\\~x\\~"),
        ("back\\slash", "back\\\\slash"),
        ("line\nbreak", "line&#10;break"),
        (" padded ", "&#32;padded&#32;"),
        ("nul\0", "nul\u{FFFD}"),
    ] {
        assert_eq!(markdown(plain), escaped, "{plain:?}");
    }
}

#[test]
fn hostile_strings_read_back_verbatim_everywhere() {
    for hostile in HOSTILE {
        let md = format!("Dear {}.", markdown(hostile));
        assert_eq!(
            paragraph_text(&md),
            Some(format!("Dear {hostile}.")),
            "{hostile:?}"
        );
        let typst = to_typst(&md);
        assert!(!parse(&typst).diagnosis().errors, "{hostile:?}: {typst}");
        let html = to_html(&md);
        assert!(
            !html.contains("<a") && !html.contains("<script"),
            "{hostile:?}: {html}"
        );
    }
}

#[test]
fn typst_strings_round_trip() {
    for text in [
        "plain",
        "\"quoted\"",
        "back\\slash",
        "new\nline",
        "\u{7}bell",
        "#{x}",
    ] {
        let mut literal = String::from("\"");
        typst_string(text, &mut literal);
        literal.push('"');
        assert_eq!(string_value(&literal).as_deref(), Some(text), "{literal}");
    }
}

fn string_value(literal: &str) -> Option<String> {
    let root = parse_code(literal);
    if root.diagnosis().errors {
        return None;
    }
    let node = root.children().find(|n| n.kind() == SyntaxKind::Str)?;
    Some(node.cast::<Str>()?.get().to_string())
}

/// The text of Typst markup made only of text, escapes, spaces and smart quotes,
/// or `None` if it holds anything else.
fn markup_text(node: &SyntaxNode, out: &mut String) -> bool {
    match node.kind() {
        SyntaxKind::Markup | SyntaxKind::Parbreak => node.children().all(|c| markup_text(c, out)),
        SyntaxKind::Text | SyntaxKind::SmartQuote => {
            out.push_str(node.leaf_text());
            true
        }
        SyntaxKind::Space => {
            out.push(' ');
            true
        }
        SyntaxKind::Escape => match node.cast::<Expr>() {
            Some(Expr::Escape(escape)) => {
                out.push(escape.get());
                true
            }
            _ => false,
        },
        _ => false,
    }
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn unescape_html(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn markdown_escape_reads_back_verbatim(text in "\\PC*|[ -~\\n\\t]*") {
        prop_assume!(!text.contains('\0'));
        let md = format!("Dear {}.", markdown(&text));
        prop_assert_eq!(paragraph_text(&md), Some(format!("Dear {text}.")));
    }

    #[test]
    fn plain_text_keeps_the_text(text in "[ -~]{0,60}|\\PC{0,40}") {
        let expected = collapse(&format!("Dear {text}."));
        prop_assert_eq!(collapse(&to_text(&format!("Dear {}.", markdown(&text)), 72)), expected);
    }

    #[test]
    fn html_keeps_the_text_and_adds_no_tags(text in "[ -~]{0,60}|\\PC{0,40}") {
        let html = to_html(&format!("Dear {}.", markdown(&text)));
        let inner = html
            .strip_prefix("<p style=\"margin: 0 0 1em 0;\">")
            .and_then(|h| h.strip_suffix("</p>\n"));
        prop_assert!(inner.is_some(), "{}", html);
        let inner = inner.unwrap_or_default();
        prop_assert!(!inner.contains('<') && !inner.contains('>'));
        prop_assert_eq!(unescape_html(inner), format!("Dear {text}.").replace(['\n', '\r'], "\n"));
    }

    #[test]
    fn typst_markup_is_text_only_and_verbatim(text in "[ -~]{0,60}|\\PC{0,40}") {
        let typst = to_typst(&format!("Dear {}.", markdown(&text)));
        let root = parse(&typst);
        prop_assert!(!root.diagnosis().errors, "{}", typst);
        let mut read = String::new();
        prop_assert!(markup_text(&root, &mut read), "{}", typst);
        prop_assert_eq!(collapse(&read), collapse(&format!("Dear {text}.")));
    }

    #[test]
    fn typst_text_escape_is_text_only(text in "\\PC{0,60}") {
        let mut markup = String::new();
        typst_text(&text, &mut markup);
        let root = parse(&markup);
        let mut read = String::new();
        prop_assert!(markup_text(&root, &mut read), "{}", markup);
        prop_assert_eq!(collapse(&read), collapse(&text.replace('\0', "\u{FFFD}")));
    }

    #[test]
    fn typst_string_round_trips(text in "\\PC{0,60}|[\\x00-\\x7f]{0,40}") {
        let mut literal = String::from("\"");
        typst_string(&text, &mut literal);
        literal.push('"');
        prop_assert_eq!(string_value(&literal), Some(text));
    }

    #[test]
    fn html_escape_never_leaves_markup(text in "\\PC{0,60}") {
        let mut out = String::new();
        html(&text, &mut out);
        prop_assert!(!out.contains(['<', '>', '"', '\'']));
        prop_assert_eq!(unescape_html(&out), text.replace('\0', "\u{FFFD}"));
    }
}
