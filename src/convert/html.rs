//! Markdown → an HTML fragment for the HTML part of an email: simple elements,
//! inline styles only where a mail client needs them, no remote resources, raw
//! HTML escaped, and links only for the schemes `case::markdown::LINK_SCHEMES` allows.

use pulldown_cmark::{Alignment, Event, Tag, TagEnd};

use crate::case::markdown::{Piece, pieces};
use crate::escape::html as escape;

const CELL: &str = "border: 1px solid #999999; padding: 4px 8px;";

/// Converts Markdown to an HTML fragment.
// One match over pulldown-cmark's events, like the other converters: splitting it
// would scatter the one table of tags to elements.
pub fn to_html(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() * 5 / 4);
    // Whether each open link was written as `<a>` (a safe scheme) or as text.
    let mut links: Vec<bool> = Vec::new();
    let mut alignments: Vec<Alignment> = Vec::new();
    let mut cell = 0;
    let mut in_head = false;
    for piece in pieces(markdown) {
        let event = match piece {
            Piece::Event(event) => event,
            Piece::Lang(language) => {
                out.push_str(&format!("<span lang=\"{}\">", language.tag()));
                continue;
            }
            Piece::LangEnd => {
                out.push_str("</span>");
                continue;
            }
        };
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => out.push_str("<p style=\"margin: 0 0 1em 0;\">"),
                Tag::Heading { level, .. } => out.push_str(&format!(
                    "<{level} style=\"font-size: 1.1em; margin: 1.2em 0 0.6em 0;\">"
                )),
                Tag::BlockQuote(_) => out.push_str("<blockquote>\n"),
                Tag::CodeBlock(_) => out.push_str("<pre><code>"),
                Tag::List(None) => out.push_str("<ul>\n"),
                Tag::List(Some(1)) => out.push_str("<ol>\n"),
                Tag::List(Some(first)) => out.push_str(&format!("<ol start=\"{first}\">\n")),
                Tag::Item => out.push_str("<li style=\"margin: 0 0 0.5em 0;\">"),
                Tag::Table(align) => {
                    alignments = align;
                    out.push_str(
                        "<table style=\"border-collapse: collapse; margin: 0 0 1em 0;\">\n",
                    );
                }
                Tag::TableHead => {
                    in_head = true;
                    cell = 0;
                    out.push_str("<thead><tr>");
                }
                Tag::TableRow => {
                    cell = 0;
                    out.push_str("<tr>");
                }
                Tag::TableCell => {
                    let align = match alignments.get(cell) {
                        Some(Alignment::Center) => " text-align: center;",
                        Some(Alignment::Right) => " text-align: right;",
                        _ => " text-align: left;",
                    };
                    if in_head {
                        out.push_str(&format!("<th scope=\"col\" style=\"{CELL}{align}\">"));
                    } else {
                        out.push_str(&format!("<td style=\"{CELL}{align}\">"));
                    }
                }
                Tag::Emphasis => out.push_str("<em>"),
                Tag::Strong => out.push_str("<strong>"),
                Tag::Strikethrough => out.push_str("<del>"),
                Tag::Link {
                    link_type,
                    dest_url,
                    ..
                } => {
                    let url = crate::case::markdown::link_url(link_type, &dest_url);
                    let safe = crate::case::markdown::allowed_link(&url);
                    if safe {
                        out.push_str("<a href=\"");
                        escape(&url, &mut out);
                        out.push_str("\">");
                    }
                    links.push(safe);
                }
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph => out.push_str("</p>\n"),
                TagEnd::Heading(level) => out.push_str(&format!("</{level}>\n")),
                TagEnd::BlockQuote(_) => out.push_str("</blockquote>\n"),
                TagEnd::CodeBlock => out.push_str("</code></pre>\n"),
                TagEnd::List(true) => out.push_str("</ol>\n"),
                TagEnd::List(false) => out.push_str("</ul>\n"),
                TagEnd::Item => out.push_str("</li>\n"),
                TagEnd::Table => out.push_str("</tbody></table>\n"),
                TagEnd::TableHead => {
                    in_head = false;
                    out.push_str("</tr></thead><tbody>\n");
                }
                TagEnd::TableRow => out.push_str("</tr>\n"),
                TagEnd::TableCell => {
                    out.push_str(if in_head { "</th>" } else { "</td>" });
                    cell += 1;
                }
                TagEnd::Emphasis => out.push_str("</em>"),
                TagEnd::Strong => out.push_str("</strong>"),
                TagEnd::Strikethrough => out.push_str("</del>"),
                TagEnd::Link if links.pop() == Some(true) => out.push_str("</a>"),
                _ => {}
            },
            Event::Text(text)
            | Event::Html(text)
            | Event::InlineHtml(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text)
            | Event::FootnoteReference(text) => escape(&text, &mut out),
            Event::Code(text) => {
                out.push_str("<code>");
                escape(&text, &mut out);
                out.push_str("</code>");
            }
            Event::SoftBreak => out.push('\n'),
            Event::HardBreak => out.push_str("<br>\n"),
            Event::Rule => out.push_str("<hr>\n"),
            Event::TaskListMarker(done) => out.push_str(if done { "☑ " } else { "☐ " }),
        }
    }
    out
}

/// A complete, self-contained HTML document of `markdown`, with inline styles: the
/// HTML body of an email.
pub fn html_document(title: &str, markdown: &str) -> String {
    let mut escaped = String::new();
    crate::escape::html(title, &mut escaped);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<title>{escaped}</title>\n</head>\n\
         <body style=\"font-family: Arial, Helvetica, sans-serif; font-size: 11pt; line-height: 1.45; color: #1b1b1b; max-width: 42em;\">\n{}</body>\n</html>\n",
        to_html(markdown)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_each_element() {
        for (markdown, html) in [
            (
                "Hello *world* and **all**.",
                "<p style=\"margin: 0 0 1em 0;\">Hello <em>world</em> and <strong>all</strong>.</p>\n",
            ),
            (
                "## Decision",
                "<h2 style=\"font-size: 1.1em; margin: 1.2em 0 0.6em 0;\">Decision</h2>\n",
            ),
            (
                "- a\n- b",
                "<ul>\n<li style=\"margin: 0 0 0.5em 0;\">a</li>\n<li style=\"margin: 0 0 0.5em 0;\">b</li>\n</ul>\n",
            ),
            (
                "3. c",
                "<ol start=\"3\">\n<li style=\"margin: 0 0 0.5em 0;\">c</li>\n</ol>\n",
            ),
            (
                "[x](https://ico.org.uk/?a=1&b=2)",
                "<p style=\"margin: 0 0 1em 0;\"><a href=\"https://ico.org.uk/?a=1&amp;b=2\">x</a></p>\n",
            ),
            (
                "<dpo@example.org>",
                "<p style=\"margin: 0 0 1em 0;\"><a href=\"mailto:dpo@example.org\">dpo@example.org</a></p>\n",
            ),
            (
                "[x](javascript:alert(1))",
                "<p style=\"margin: 0 0 1em 0;\">x</p>\n",
            ),
            (
                "<script>alert(1)</script>",
                "&lt;script&gt;alert(1)&lt;/script&gt;",
            ),
            (
                "<span lang=\"CY\">Diolch</span> <span lang=\"cy\" onclick=\"x\">a</span>",
                "<p style=\"margin: 0 0 1em 0;\"><span lang=\"cy\">Diolch</span> &lt;span lang=&quot;cy&quot; onclick=&quot;x&quot;&gt;a&lt;/span&gt;</p>\n",
            ),
            (
                "a <b>b</b>",
                "<p style=\"margin: 0 0 1em 0;\">a &lt;b&gt;b&lt;/b&gt;</p>\n",
            ),
            (
                "![alt](http://tracker.example/p.gif)",
                "<p style=\"margin: 0 0 1em 0;\">alt</p>\n",
            ),
            ("a\\\nb", "<p style=\"margin: 0 0 1em 0;\">a<br>\nb</p>\n"),
            (
                "`<x>`",
                "<p style=\"margin: 0 0 1em 0;\"><code>&lt;x&gt;</code></p>\n",
            ),
        ] {
            assert_eq!(to_html(markdown), html, "{markdown:?}");
        }
    }

    #[test]
    fn tables_have_header_cells_with_scope() {
        let html = to_html("| a | b |\n|-|:-:|\n| 1 | 2 |");
        assert!(html.contains("<th scope=\"col\" style=\"border: 1px solid #999999; padding: 4px 8px; text-align: left;\">a</th>"), "{html}");
        assert!(html.contains("text-align: center;\">2</td>"), "{html}");
    }
}
