//! casewright turns a regulator's case facts, written as YAML, into letters.
//!
//! The pipeline runs in one direction, one module a stage:
//!
//! 1. [`case`] loads a case file into a typed, validated [`case::Case`];
//! 2. [`derive`] computes the facts a letter states (regime, deadlines, wording);
//! 3. [`render`] fills the Tera template of each letter kind with those facts, giving Markdown;
//! 4. [`convert`] turns that Markdown into Typst markup, plain text or HTML;
//! 5. [`typeset`] compiles the Typst markup to PDF in an in-memory world;
//! 6. [`output`] names and atomically writes the files.

pub mod convert;
pub mod derive;
pub mod typeset;
