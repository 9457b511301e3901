//! Markdown to Typst, plain text and HTML.
