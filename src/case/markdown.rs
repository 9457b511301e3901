//! The Markdown dialect of a case file's Markdown fields: CommonMark with tables
//! and strikethrough, plus language spans (`lang.rs`). Loading checks a field's
//! nesting against it; the converters ([`crate::convert`]) read the same events.

mod lang;

use pulldown_cmark::{Event, Options, Parser};

pub use lang::{Language, Piece, pieces};

/// The one place the Markdown dialect is chosen: CommonMark with tables and
/// strikethrough; no footnotes, smart punctuation, math or metadata blocks.
pub fn parser(markdown: &str) -> Parser<'_> {
    Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    )
}

/// How deeply Markdown nests: the most elements open at once, counting block
/// elements (quotes, lists, items, paragraphs) and inline ones (emphasis, links,
/// language spans) alike. `> *a*` is 3 deep: a quote holding a paragraph holding
/// emphasis.
pub fn nesting_depth(markdown: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for piece in pieces(markdown) {
        match piece {
            Piece::Event(Event::Start(_)) | Piece::Lang(_) => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            Piece::Event(Event::End(_)) | Piece::LangEnd => depth = depth.saturating_sub(1),
            Piece::Event(_) => {}
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
            ("<span lang=\"cy\">*a*</span>", 3),
            ("<span lang=\"cy\">a", 1),
        ] {
            assert_eq!(nesting_depth(markdown), depth, "{markdown:?}");
        }
        assert_eq!(nesting_depth(&"> ".repeat(128)), 128);
        assert_eq!(nesting_depth(&format!("{}a", "> ".repeat(128))), 129);
    }
}
