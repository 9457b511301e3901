//! The `docket` and `explain` commands: read the templates and the cases, print,
//! and say how it went as an exit code.

use std::io::Write as _;

use chrono::{DateTime, Utc};

use super::{docket, explain, ics, load_cases, load_templates};
use crate::batch::Outcome;
use crate::cli::{DocketArgs, DocketFormat, ExplainArgs, ExplainFormat};
use crate::diag::{Diagnostic, eprint};
use crate::render::Renderer;

/// Runs `docket`. `now` is the clock, read by `main`, only used when `--as-of`
/// is not given.
pub fn docket(args: &DocketArgs, now: DateTime<Utc>) -> Outcome {
    if let Some(missing) = crate::templates::missing_folder(&args.templates) {
        eprint(&[missing]);
        return Outcome::Usage;
    }
    let (templates, wording) = match load_templates(&args.templates) {
        Ok(loaded) => loaded,
        Err(errors) => {
            eprint(&errors);
            return Outcome::Failure;
        }
    };
    let loaded = load_cases(&args.paths, &templates);
    if !loaded.missing.is_empty() {
        eprint(&loaded.missing);
        return Outcome::Usage;
    }
    eprint(&loaded.errors);
    let as_of = args
        .as_of
        .unwrap_or_else(|| now.with_timezone(&templates.time_zone).date_naive());
    let cases = loaded
        .cases
        .iter()
        .map(|(file, case)| (crate::batch::path_key(file), case))
        .collect::<Vec<_>>();
    let entries = match docket::entries(
        cases.iter().map(|(file, case)| (file.as_str(), *case)),
        &templates.holidays,
    ) {
        Ok(entries) => entries,
        Err(error) => {
            eprint(&[Diagnostic::error(
                "deadline",
                format!("failed to work out a deadline: {error}"),
            )]);
            return Outcome::Failure;
        }
    };
    let text = match args.format {
        DocketFormat::Table => docket::table(&entries, as_of, args.within, stdout_color()),
        DocketFormat::Json => docket::json(&entries, as_of, args.within),
        DocketFormat::Ics => ics::calendar(&entries, &wording.calendar, as_of),
    };
    if std::io::stdout().lock().write_all(text.as_bytes()).is_err() {
        return Outcome::Failure;
    }
    let overdue = entries
        .iter()
        .any(|e| e.state(as_of, args.within) == docket::State::Overdue);
    if !loaded.errors.is_empty() || (args.fail_on_overdue && overdue) {
        Outcome::Failure
    } else {
        Outcome::Success
    }
}

/// Runs `explain`.
pub fn explain(args: &ExplainArgs) -> Outcome {
    if let Some(missing) = crate::templates::missing_folder(&args.templates) {
        eprint(&[missing]);
        return Outcome::Usage;
    }
    let loaded_templates =
        load_templates(&args.templates).and_then(|(t, w)| Renderer::new(&t).map(|r| (t, w, r)));
    let (templates, wording, renderer) = match loaded_templates {
        Ok(loaded) => loaded,
        Err(errors) => {
            eprint(&errors);
            return Outcome::Failure;
        }
    };
    if std::fs::metadata(&args.path).is_ok_and(|m| m.is_dir()) {
        eprint(&[Diagnostic::error(
            "not-a-case-file",
            format!(
                "{}: explain takes one case file, not a folder",
                args.path.display()
            ),
        )]);
        return Outcome::Usage;
    }
    let mut loaded = load_cases(std::slice::from_ref(&args.path), &templates);
    if !loaded.missing.is_empty() {
        eprint(&loaded.missing);
        return Outcome::Usage;
    }
    let Some((_, case)) = loaded.cases.pop() else {
        eprint(&loaded.errors);
        return Outcome::Failure;
    };
    let only = args.letter.map(|n| n as usize);
    if let Some(n) = only
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
    let explanation = match explain::explain(&case, only, &templates, &renderer, &wording.explain) {
        Ok(explanation) => explanation,
        Err(error) => {
            eprint(&[error]);
            return Outcome::Failure;
        }
    };
    let text = match args.format {
        ExplainFormat::Text => explanation.text(&wording.explain),
        ExplainFormat::Json => explanation.json(),
    };
    if std::io::stdout().lock().write_all(text.as_bytes()).is_err() {
        return Outcome::Failure;
    }
    Outcome::Success
}

/// Whether standard output gets colour: only a terminal, and never with `NO_COLOR` set.
fn stdout_color() -> bool {
    use std::io::IsTerminal as _;
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}
