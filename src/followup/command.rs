//! The `docket` and `explain` commands: read the templates and the cases, print,
//! and say how it went as an outcome.

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};

use super::{Wording, docket, explain, ics, load_cases, load_templates};
use crate::batch::Outcome;
use crate::diag::{Diagnostic, eprint};
use crate::pipeline::Engine;

/// How the docket is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DocketFormat {
    /// Aligned columns for a terminal.
    Table,
    /// One JSON object per deadline, per line.
    Json,
    /// An iCalendar file (RFC 5545): one all-day event per open deadline.
    Ics,
}

/// How the explanation is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExplainFormat {
    /// Indented lines, one step a line.
    Text,
    /// One JSON object.
    Json,
}

/// What `docket` is asked.
#[derive(Debug, Clone)]
pub struct DocketRequest {
    /// Case files, or folders of them.
    pub paths: Vec<PathBuf>,
    /// The letter templates folder.
    pub templates: PathBuf,
    /// The day to count from; `None` for today in the office's time zone.
    pub as_of: Option<NaiveDate>,
    /// How to print.
    pub format: DocketFormat,
    /// How many days ahead a deadline counts as due soon.
    pub within: u32,
    /// Whether an overdue deadline fails the run.
    pub fail_on_overdue: bool,
    /// Whether the table may be coloured (a terminal, without `NO_COLOR`).
    pub color: bool,
}

/// What `explain` is asked.
#[derive(Debug, Clone)]
pub struct ExplainRequest {
    /// The case file.
    pub path: PathBuf,
    /// The letter templates folder.
    pub templates: PathBuf,
    /// Only the case's N-th letter (from 1).
    pub letter: Option<usize>,
    /// How to print.
    pub format: ExplainFormat,
}

/// The engine and wording of the templates folder, or the outcome of a run that
/// cannot have them (its errors printed): a missing folder is a usage error,
/// invalid templates a failure.
fn templates(folder: &std::path::Path) -> Result<(Engine, Wording), Outcome> {
    if let Some(missing) = crate::templates::missing_folder(folder) {
        eprint(&[missing]);
        return Err(Outcome::Usage);
    }
    load_templates(folder).map_err(|errors| {
        eprint(&errors);
        Outcome::Failure
    })
}

/// Runs `docket`. `now` is the clock, read by `main`, only used when there is no
/// `as_of`.
pub fn docket(request: &DocketRequest, now: DateTime<Utc>) -> Outcome {
    let (engine, wording) = match templates(&request.templates) {
        Ok(loaded) => loaded,
        Err(outcome) => return outcome,
    };
    let loaded = load_cases(&request.paths, &engine);
    if !loaded.missing.is_empty() {
        eprint(&loaded.missing);
        return Outcome::Usage;
    }
    let mut errors = loaded.errors;
    let as_of = request
        .as_of
        .unwrap_or_else(|| now.with_timezone(&engine.templates.time_zone).date_naive());
    let (entries, failed) = docket::entries(
        loaded
            .cases
            .iter()
            .map(|(file, case)| (file.as_str(), case)),
        &engine,
    );
    errors.extend(failed);
    eprint(&errors);
    let text = match request.format {
        DocketFormat::Table => docket::table(&entries, as_of, request.within, request.color),
        DocketFormat::Json => docket::json(&entries, as_of, request.within),
        DocketFormat::Ics => ics::calendar(&entries, &wording.calendar, as_of),
    };
    if !crate::output::print_or_report(text.as_bytes()) {
        return Outcome::Failure;
    }
    let overdue = entries
        .iter()
        .any(|e| e.state(as_of, request.within) == docket::State::Overdue);
    if !errors.is_empty() || (request.fail_on_overdue && overdue) {
        Outcome::Failure
    } else {
        Outcome::Success
    }
}

/// Runs `explain`.
pub fn explain(request: &ExplainRequest) -> Outcome {
    let (engine, wording) = match templates(&request.templates) {
        Ok(loaded) => loaded,
        Err(outcome) => return outcome,
    };
    if std::fs::metadata(&request.path).is_ok_and(|m| m.is_dir()) {
        eprint(&[Diagnostic::error(
            "not-a-case-file",
            format!(
                "{}: explain takes one case file, not a folder",
                request.path.display()
            ),
        )]);
        return Outcome::Usage;
    }
    let mut loaded = load_cases(std::slice::from_ref(&request.path), &engine);
    if !loaded.missing.is_empty() {
        eprint(&loaded.missing);
        return Outcome::Usage;
    }
    let Some((_, case)) = loaded.cases.pop() else {
        eprint(&loaded.errors);
        return Outcome::Failure;
    };
    if let Some(n) = request.letter
        && n > case.letters.len()
    {
        eprint(&[Diagnostic::error(
            "no-such-letter",
            format!(
                "--letter {n}: the case has {} letter{}",
                case.letters.len(),
                if case.letters.len() == 1 { "" } else { "s" }
            ),
        )
        .in_file(&case.source)]);
        return Outcome::Usage;
    }
    let explanation = match explain::explain(&case, request.letter, &engine, &wording.explain) {
        Ok(explanation) => explanation,
        Err(error) => {
            eprint(&[error]);
            return Outcome::Failure;
        }
    };
    let text = match request.format {
        ExplainFormat::Text => explanation.text(&wording.explain),
        ExplainFormat::Json => explanation.json(),
    };
    if !crate::output::print_or_report(text.as_bytes()) {
        return Outcome::Failure;
    }
    Outcome::Success
}
