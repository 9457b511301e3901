//! Converting the Markdown of a letter into what each output needs: Typst markup
//! for the PDF, plain text for the email's text part, HTML for its HTML part. Each
//! is one walk over pulldown-cmark's events, and every text node is escaped for its
//! target, so nothing written in a case file can become code or markup there. Raw
//! HTML in Markdown is shown as text, never passed through.

pub mod escape;
mod html;
mod text;
mod typst;

use pulldown_cmark::{Event, Options, Parser};

pub use html::{html_document, to_html};
pub use text::to_text;
pub use typst::{MAX_TYPST_NESTING, to_typst};

/// The one place the Markdown dialect is chosen: CommonMark with tables and
/// strikethrough; no footnotes, smart punctuation, math or metadata blocks.
pub fn parser(markdown: &str) -> Parser<'_> {
    Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    )
}

/// How deeply Markdown nests: the most elements open at once, counting block
/// elements (quotes, lists, items, paragraphs) and inline ones (emphasis, links)
/// alike. `> *a*` is 3 deep: a quote holding a paragraph holding emphasis.
pub fn nesting_depth(markdown: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for event in parser(markdown) {
        match event {
            Event::Start(_) => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_depth_counts_blocks_and_inlines_together() {
        for (markdown, depth) in [
            ("", 0),
            ("plain", 1),
            ("*a*", 2),
            ("> a", 2),
            ("> *a*", 3),
            ("- a", 2),
            ("- a\n  - b", 4),
            ("- a\n\n- b", 3),
            ("***a***", 3),
            ("*w _w x w_ w*", 3),
            ("[*a*](u)", 3),
            ("| a |\n|-|\n| *b* |", 4),
            ("```\ncode\n```", 1),
            ("one\n\ntwo", 1),
        ] {
            assert_eq!(nesting_depth(markdown), depth, "{markdown:?}");
        }
        assert_eq!(nesting_depth(&"> ".repeat(128)), 128);
        assert_eq!(nesting_depth(&format!("{}a", "> ".repeat(128))), 129);
    }
}
