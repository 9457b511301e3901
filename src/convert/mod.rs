//! Converting the Markdown of a letter into what each output needs: Typst markup
//! for the PDF, plain text for the email's text part, HTML for its HTML part. Each
//! is one walk over pulldown-cmark's events, and every text node is escaped for its
//! target, so nothing written in a case file can become code or markup there. Raw
//! HTML in Markdown is shown as text, never passed through.

pub mod escape;
mod html;
mod text;
mod typst;

use pulldown_cmark::{Options, Parser};

pub use html::to_html;
pub use text::to_text;
pub use typst::to_typst;

/// The one place the Markdown dialect is chosen: CommonMark with tables and
/// strikethrough; no footnotes, smart punctuation, math or metadata blocks.
pub fn parser(markdown: &str) -> Parser<'_> {
    Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    )
}
