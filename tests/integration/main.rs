//! casewright's integration tests, in one binary: the CLI run as a user runs it,
//! the golden letters of every sample case, and the PDF and email outputs; the
//! docket and explanations of the sample cases.

mod architecture;
mod authoring;
mod bad_cases;
mod batch;
mod cli;
mod followup;
mod fuzz_corpus;
mod golden;
mod law;
mod numbering;
mod outputs;
mod pdf_standards;
mod publication;
mod safety;
mod support;
mod tools;
mod wording;
