//! casewright turns a regulator's case facts, written as YAML, into letters.
//!
//! The pipeline runs in one direction, one module a stage:
//!
//! 1. [`case`] loads a case file into a typed, validated [`case::Case`];
//! 2. [`derive`] computes the facts a letter states (regime, deadlines, wording);
//! 3. [`render`] fills the Tera template of each letter kind with those facts, giving Markdown;
//! 4. [`convert`] turns that Markdown into Typst markup, plain text or HTML;
//! 5. [`typeset`] compiles the Typst markup to PDF in an in-memory world;
//! 6. [`output`] names and atomically writes the files, and builds the `.eml` drafts.
//!
//! [`kinds`] holds each letter kind's own fields, checks, facts and view;
//! [`pipeline`] joins the stages for one letter; [`templates`] reads
//! `letter-templates/` once; [`batch`] runs the pipeline over many cases in
//! parallel; [`diag`] is the one diagnostic type every stage reports with.
//! [`publication`] redacts public copies and proves the redaction;
//! [`postal`] checks a posted letter's address against the envelope window;
//! [`watch`] renders again as case files and templates change; [`list`] gives the
//! keys case files may use; [`followup`] tracks the progress updates letters ask
//! for (`docket`) and shows how each fact was worked out (`explain`); [`schema`]
//! prints the case file's JSON Schema, and [`scaffold`] writes a new case file to
//! fill in (`casewright new`).

// A `Diagnostic` is the error of every user-input path: it is built rarely (once per
// mistake) and carries its source, so boxing it would add noise for no gain.
#![allow(clippy::result_large_err)]

pub mod batch;
pub mod case;
pub mod cli;
pub mod convert;
pub mod derive;
pub mod diag;
pub mod english;
pub mod escape;
pub mod followup;
pub mod kinds;
pub mod list;
pub mod names;
pub mod output;
pub mod pipeline;
pub mod postal;
pub mod publication;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod templates;
pub mod typeset;
pub mod watch;

pub use pipeline::{Engine, OutputFile, TypstInputs};
