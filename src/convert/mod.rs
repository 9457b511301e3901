//! Converting the Markdown of a letter into what each output needs: Typst markup
//! for the PDF, plain text for the email's text part, HTML for its HTML part. Each
//! is one walk over pulldown-cmark's events, and every text node is escaped for its
//! target, so nothing written in a case file can become code or markup there. Raw
//! HTML in Markdown is shown as text, never passed through; the one exception is a
//! span marking text in another language (see [`crate::case::markdown`]), which each converter writes
//! as its target's own language mark.

mod html;
mod text;
mod typst;

pub use crate::case::markdown::{Language, parser};
pub use html::{html_document, to_html};
pub use text::to_text;
pub use typst::{MAX_TYPST_NESTING, to_typst};
