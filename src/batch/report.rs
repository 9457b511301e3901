//! What a batch prints, as it goes.
//!
//! Each case's results are printed as soon as every case before it is done, so a
//! long batch reports steadily, in the same order (by case path) on every run, and
//! holds no more than the letters not yet printed. People get one line per letter
//! (or, on a terminal, a progress bar with errors printed above it); `--message-format
//! json` gets one object per letter, per diagnostic and per stale, orphaned or
//! removed file, then a summary.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write as _};
use std::path::Path;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::{CaseResult, LetterReport, Options, Status};
use crate::cli::MessageFormat;
use crate::diag::{self, Diagnostic};

/// Prints a batch's results and keeps its tally.
pub(super) struct Reporter<'a> {
    options: &'a Options,
    json: bool,
    progress: indicatif::ProgressBar,
    started: Instant,
    cases: usize,
    letters: usize,
    counts: BTreeMap<&'static str, usize>,
    failed: bool,
    /// Standard output, until it is found closed (`render | head -1`).
    stdout: Stdout,
}

/// Standard output that falls silent once closed: a reader that has gone away must
/// not stop the batch (or its manifest) half way.
#[derive(Debug, Default)]
struct Stdout {
    closed: bool,
}

impl Stdout {
    fn line(&mut self, line: std::fmt::Arguments<'_>) {
        if !self.closed {
            let mut stdout = std::io::stdout().lock();
            self.closed = writeln!(stdout, "{line}")
                .and_then(|()| stdout.flush())
                .is_err();
        }
    }
}

/// Prints a line to standard error; a closed standard error is no reason to stop.
fn eline(line: std::fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// What happened to a file that is not a letter's output of this batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FileEvent {
    /// (`--check`) the file differs from what a render would write; fails the batch.
    Stale,
    /// (`--check`) no case produces the file any more; fails the batch.
    Orphaned,
    /// (render) the file was removed, as no case produces it any more.
    Removed,
}

impl FileEvent {
    /// Its word (in lines, counts and JSON) and why, for people.
    fn words(self) -> (&'static str, &'static str) {
        match self {
            FileEvent::Stale => ("stale", "render would rewrite it"),
            FileEvent::Orphaned => ("orphaned", "no case produces it any more"),
            FileEvent::Removed => ("removed", "its case no longer produces it"),
        }
    }
}

/// A diagnostic in JSON: its code, message and where it points, never the text it
/// quotes (which may hold a case's personal data).
#[derive(Debug, Clone, Serialize)]
pub struct ErrorReport {
    code: &'static str,
    message: String,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
}

impl ErrorReport {
    /// The code, message and location of a diagnostic (never its source text).
    pub fn of(diagnostic: &Diagnostic) -> ErrorReport {
        let (file, line, column) = diagnostic
            .location()
            .map_or((None, None, None), |(f, l, c)| {
                (Some(f.to_owned()), Some(l), Some(c))
            });
        ErrorReport {
            code: diagnostic.code,
            message: diagnostic.message.clone(),
            file,
            line,
            column,
        }
    }
}

impl<'a> Reporter<'a> {
    /// A reporter for a batch; its clock starts now.
    pub(super) fn new(options: &'a Options) -> Reporter<'a> {
        Reporter {
            options,
            json: options.message_format == MessageFormat::Json,
            progress: indicatif::ProgressBar::hidden(),
            started: Instant::now(),
            cases: 0,
            letters: 0,
            counts: BTreeMap::new(),
            failed: false,
            stdout: Stdout::default(),
        }
    }

    /// Says that the run waits for another one using the output folder.
    pub(super) fn waiting(&mut self, out: &Path) {
        if self.json {
            let value = serde_json::json!({"type": "waiting", "path": out.display().to_string()});
            self.stdout.line(format_args!("{value}"));
        } else {
            eline(format_args!(
                "waiting   for another casewright run to finish with {}",
                out.display()
            ));
        }
    }

    /// Starts the work on `cases` case files: shows a progress bar where one is wanted.
    pub(super) fn begin(&mut self, cases: usize) {
        self.progress = progress_bar(self.options, cases);
    }

    /// Whether anything failed or was stale.
    pub(super) fn failed(&self) -> bool {
        self.failed
    }

    /// Reports one case file's diagnostics and letters.
    pub(super) fn case(&mut self, result: &CaseResult) {
        self.cases += 1;
        self.progress.inc(1);
        self.diagnostics(&result.diagnostics);
        for letter in &result.letters {
            self.letters += 1;
            *self.counts.entry(status_word(letter.status)).or_default() += 1;
            self.failed |= matches!(letter.status, Status::Failed | Status::Stale);
            self.letter(letter);
        }
    }

    /// Reports diagnostics that belong to no letter (or to a letter that failed).
    pub(super) fn diagnostics(&mut self, diagnostics: &[Diagnostic]) {
        self.failed |= !diagnostics.is_empty();
        if self.json {
            for diagnostic in diagnostics {
                let value = diagnostic_json(diagnostic);
                self.stdout.line(format_args!("{value}"));
            }
        } else if !diagnostics.is_empty() {
            self.progress.suspend(|| diag::eprint(diagnostics));
        }
    }

    /// A file that is out of date, should not be there, or was removed.
    pub(super) fn file(&mut self, event: FileEvent, path: &Path) {
        let (word, why) = event.words();
        let fails = event != FileEvent::Removed;
        self.failed |= fails;
        *self.counts.entry(word).or_default() += 1;
        let path = path.display().to_string();
        if self.json {
            let value = serde_json::json!({"type": word, "path": path});
            self.stdout.line(format_args!("{value}"));
        } else if fails || !self.options.quiet {
            self.progress
                .suspend(|| eline(format_args!("{word:<9} {path} ({why})")));
        }
    }

    /// Prints the summary line (or object) and gives the batch's outcome.
    pub(super) fn finish(mut self) -> bool {
        self.progress.finish_and_clear();
        let elapsed = self.started.elapsed().as_secs_f64();
        let (cases, letters) = (self.cases, self.letters);
        if self.json {
            let value = serde_json::json!({
                "type": "summary", "cases": cases, "letters": letters,
                "counts": self.counts, "success": !self.failed, "seconds": elapsed,
            });
            self.stdout.line(format_args!("{value}"));
        } else if !self.options.quiet {
            let parts: Vec<String> = self
                .counts
                .iter()
                .map(|(k, n)| format!("{n} {k}"))
                .collect();
            eline(format_args!(
                "{} {letters} letter{} of {cases} case{} in {elapsed:.2} s: {}",
                if self.options.check {
                    "checked"
                } else if self.options.out.is_some() {
                    "rendered"
                } else {
                    "validated"
                },
                if letters == 1 { "" } else { "s" },
                if cases == 1 { "" } else { "s" },
                if parts.is_empty() {
                    "nothing to do".to_owned()
                } else {
                    parts.join(", ")
                },
            ));
        }
        !self.failed
    }

    fn letter(&mut self, letter: &LetterReport) {
        if self.json {
            let mut value = serde_json::to_value(letter).unwrap_or_default();
            value["type"] = "letter".into();
            self.stdout.line(format_args!("{value}"));
            return;
        }
        match letter.status {
            Status::Stale => self.progress.suspend(|| {
                for file in letter.outputs.iter().filter(|f| f.status != "current") {
                    let why = if file.status == "missing" {
                        "render would write it"
                    } else {
                        "the case gives different content"
                    };
                    eline(format_args!("{:<9} {} ({why})", file.status, file.path));
                }
            }),
            // Its diagnostic has been printed.
            Status::Failed => {}
            // On a terminal the progress bar stands for these lines.
            _ if self.options.quiet || !self.progress.is_hidden() => {}
            _ if letter.outputs.is_empty() => self.stdout.line(format_args!(
                "{:<9} {} {} {}",
                status_word(letter.status),
                letter.reference,
                letter.date,
                letter.kind
            )),
            _ => {
                let files: Vec<&str> = letter.outputs.iter().map(|f| f.path.as_str()).collect();
                self.stdout.line(format_args!(
                    "{:<9} {}",
                    status_word(letter.status),
                    summarise_paths(&files)
                ));
            }
        }
    }
}

/// A diagnostic as a JSON `diagnostic` object: code, message, location and notes.
fn diagnostic_json(diagnostic: &Diagnostic) -> serde_json::Value {
    let mut value = serde_json::to_value(ErrorReport::of(diagnostic)).unwrap_or_default();
    value["type"] = "diagnostic".into();
    value["severity"] = serde_json::to_value(diagnostic.severity).unwrap_or_default();
    value["notes"] = serde_json::to_value(&diagnostic.notes).unwrap_or_default();
    value
}

/// What to do when a letter overruns its typesetting budget: report it as an
/// error naming the layout and the letter, then end the run. Typst cannot be
/// interrupted, so the process ends with the letter's thread still in it. Files
/// are only ever replaced whole, so none is torn; the manifest is not updated, so
/// the next run renders this run's letters again (finding most unchanged), and any
/// temporary file left mid-write is cleared by the next run.
pub(super) fn stop_on_overrun(
    options: &Options,
    templates: &crate::templates::Templates,
) -> crate::typeset::Expired {
    let json = options.message_format == MessageFormat::Json;
    let layout = crate::templates::display(&templates.dir, "layout.typ");
    let office = crate::templates::display(&templates.dir, "office.yaml");
    Box::new(move |letter: &str, limit: Duration| {
        let diagnostic = Diagnostic::error(
            "typeset-timeout",
            format!(
                "typesetting took longer than {} s, the limit set by `max_typeset_seconds` in {office}",
                limit.as_secs()
            ),
        )
        .in_file(&diag::Source::new(layout.as_str(), ""))
        .note(format!("while typesetting {letter}"))
        .note(format!(
            "{layout} may loop for ever or build something huge; if the letter is only slow, raise the limit"
        ))
        .note("the run stops here: letters already written are complete, and the next run starts afresh");
        if json {
            let _ = writeln!(std::io::stdout().lock(), "{}", diagnostic_json(&diagnostic));
        } else {
            diag::eprint(std::slice::from_ref(&diagnostic));
        }
        std::process::exit(super::Outcome::Failure.code());
    })
}

/// A progress bar on a terminal for batches long enough to need one; hidden otherwise
/// (CI logs get the plain per-letter lines instead).
fn progress_bar(options: &Options, cases: usize) -> indicatif::ProgressBar {
    let wanted = !options.quiet
        && options.message_format == MessageFormat::Human
        && cases >= 20
        && std::io::stderr().is_terminal();
    if !wanted {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(cases as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} {bar:40} {pos}/{len} cases  {rate} cases/s  eta {eta}",
    ) {
        bar.set_style(style.with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0}", state.per_sec());
            },
        ));
    }
    bar
}

/// The word for a status, in lines and in the summary's counts.
fn status_word(status: Status) -> &'static str {
    match status {
        Status::Written => "written",
        Status::Unchanged => "unchanged",
        Status::Current => "current",
        Status::Stale => "stale",
        Status::Valid => "valid",
        Status::Failed => "failed",
    }
}

/// "output/X/2022-05-19-reprimand.{md,pdf,eml}" for files that differ only in extension.
fn summarise_paths(paths: &[&str]) -> String {
    let stems: std::collections::BTreeSet<&str> = paths
        .iter()
        .map(|p| p.rsplit_once('.').map_or(*p, |(s, _)| s))
        .collect();
    match (stems.len(), paths.len()) {
        (1, 2..) => {
            let extensions: Vec<&str> = paths
                .iter()
                .filter_map(|p| p.rsplit_once('.'))
                .map(|(_, e)| e)
                .collect();
            format!(
                "{}.{{{}}}",
                stems.iter().next().copied().unwrap_or_default(),
                extensions.join(",")
            )
        }
        _ => paths.join(" "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_differ_only_in_extension_are_summarised() {
        let rows: [(&[&str], &str); 4] = [
            (
                &[
                    "o/A/1-decision.md",
                    "o/A/1-decision.pdf",
                    "o/A/1-decision.eml",
                ],
                "o/A/1-decision.{md,pdf,eml}",
            ),
            (&["o/A/1-decision.md"], "o/A/1-decision.md"),
            (&["o/A/1.md", "o/B/1.md"], "o/A/1.md o/B/1.md"),
            (&[], ""),
        ];
        for (paths, expected) in rows {
            assert_eq!(summarise_paths(paths), expected, "{paths:?}");
        }
    }

    #[test]
    fn an_error_report_carries_the_location_but_not_the_source() {
        let source = crate::diag::Source::new("cases/a.yaml", "a: 1\nsecret: 2\n");
        let diagnostic = Diagnostic::error("unknown-key", "unknown key `secret`").at(
            &source,
            5..11,
            "not a key here",
        );
        let value = serde_json::to_value(ErrorReport::of(&diagnostic)).expect("json");
        assert_eq!(value["file"], "cases/a.yaml");
        assert_eq!(
            (value["line"].as_u64(), value["column"].as_u64()),
            (Some(2), Some(1))
        );
        assert_eq!(value["code"], "unknown-key");
        assert!(!value.to_string().contains("secret: 2"));
    }
}
