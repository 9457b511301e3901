//! Typesetting to PDF.
