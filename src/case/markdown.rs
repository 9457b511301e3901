//! The Markdown dialect of a case file's Markdown fields: CommonMark with tables
//! and strikethrough, plus language spans (`lang.rs`). Loading checks a field's
//! nesting against it; the converters ([`crate::convert`]) read the same events.

mod lang;

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag};

pub use lang::{Language, Piece, pieces};

/// The one place the Markdown dialect is chosen: CommonMark with tables and
/// strikethrough; no footnotes, smart punctuation, math or metadata blocks.
pub fn parser(markdown: &str) -> Parser<'_> {
    Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    )
}

/// The schemes a link may have, in every output: the web, email and telephone.
/// Anything else (`javascript:`, `data:`, `file:`, a relative path) is refused when
/// a case is loaded, and never made a link by a converter.
pub const LINK_SCHEMES: [&str; 4] = ["https", "http", "mailto", "tel"];

/// A link's target as it is written out: an email autolink (`<dpo@example.org>`)
/// gets its `mailto:`.
pub fn link_url(link_type: LinkType, dest_url: &CowStr<'_>) -> String {
    if link_type == LinkType::Email && !dest_url.starts_with("mailto:") {
        format!("mailto:{dest_url}")
    } else {
        dest_url.to_string()
    }
}

/// Whether a link's target (as [`link_url`] gives it) has one of the
/// [`LINK_SCHEMES`], in any mix of capitals.
pub fn allowed_link(url: &str) -> bool {
    url.split_once(':').is_some_and(|(scheme, _)| {
        LINK_SCHEMES
            .iter()
            .any(|allowed| scheme.eq_ignore_ascii_case(allowed))
    })
}

/// The targets of the links and images in `markdown` whose scheme is not allowed.
pub fn refused_links(markdown: &str) -> Vec<String> {
    parser(markdown)
        .filter_map(|event| match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            })
            | Event::Start(Tag::Image {
                link_type,
                dest_url,
                ..
            }) => Some(link_url(link_type, &dest_url)),
            _ => None,
        })
        .filter(|url| !allowed_link(url))
        .collect()
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
    fn only_web_email_and_telephone_links_are_allowed() {
        for allowed in [
            "[a](https://example.org)",
            "[a](HTTP://example.org)",
            "[a](mailto:dpo@example.org)",
            "[a](tel:+441234567890)",
            "<dpo@example.org>",
            "<https://example.org>",
            "no link at all",
        ] {
            assert_eq!(refused_links(allowed), Vec::<String>::new(), "{allowed}");
        }
        for (refused, url) in [
            ("[a](javascript:alert(1))", "javascript:alert(1)"),
            ("[a](JavaScript:alert(1))", "JavaScript:alert(1)"),
            ("[a](data:text/html,x)", "data:text/html,x"),
            ("[a](file:///etc/passwd)", "file:///etc/passwd"),
            ("![a](file:///etc/passwd)", "file:///etc/passwd"),
            ("[a](guidance.html)", "guidance.html"),
            ("[a][r]\n\n[r]: vbscript:x", "vbscript:x"),
        ] {
            assert_eq!(refused_links(refused), [url], "{refused}");
        }
    }

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
