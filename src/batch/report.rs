//! What a batch prints, as it goes.
//!
//! Each case's results are printed as soon as every case before it is done, so a
//! long batch reports steadily, in the same order (by case path) on every run, and
//! holds no more than the letters not yet printed. The [`Reporter`] keeps the
//! tally and hands each event to a [`Printer`]: [`human`] gives people one line
//! per letter (or, on a terminal, a progress bar with errors printed above it);
//! [`json`] gives `--message-format json` one object per letter, per diagnostic
//! and per stale, orphaned or removed file, then a summary.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;
use std::time::Instant;

use serde::Serialize;

use super::MessageFormat;
use super::{CaseResult, LetterReport, Options, Status};
use crate::diag::{self, Diagnostic, Severity};

mod human;
mod json;

/// Prints a batch's events in one format. The [`Reporter`] decides what happened
/// and keeps count; a printer only says it.
trait Printer: Send {
    /// The run waits for another one using the output folder.
    fn waiting(&mut self, out: &Path);
    /// Work begins on `cases` case files.
    fn begin(&mut self, _cases: usize) {}
    /// One more case file is done; its diagnostics and letters follow.
    fn advance(&mut self) {}
    /// Diagnostics that belong to no letter, or to a letter that failed.
    fn diagnostics(&mut self, diagnostics: &[Diagnostic]);
    /// One letter and what happened to it.
    fn letter(&mut self, letter: &LetterReport);
    /// A file that is out of date, should not be there, or was removed.
    fn file(&mut self, event: FileEvent, path: &Path);
    /// The batch's outcome, last.
    fn summary(&mut self, summary: &Summary<'_>);
}

/// The printer of the format `options` ask for.
fn printer<'a>(options: &'a Options) -> Box<dyn Printer + 'a> {
    match options.message_format {
        MessageFormat::Human => Box::new(human::Human::new(options)),
        MessageFormat::Json => Box::new(json::Json::new(options.diff)),
    }
}

/// A batch's tally, for the summary.
struct Summary<'a> {
    cases: usize,
    /// Cases with an error, or a letter that could not be produced.
    failed: usize,
    warnings: usize,
    letters: usize,
    /// How many letters (and stale, orphaned or removed files) had each status.
    counts: &'a BTreeMap<&'static str, usize>,
    success: bool,
    /// Since the batch began.
    seconds: f64,
}

/// Prints a batch's results and keeps its tally.
pub(super) struct Reporter<'a> {
    printer: Box<dyn Printer + 'a>,
    started: Instant,
    cases: usize,
    failed_cases: usize,
    warnings: usize,
    letters: usize,
    counts: BTreeMap<&'static str, usize>,
    failed: bool,
    deny_warnings: bool,
}

/// Standard output that falls silent once closed: a reader that has gone away must
/// not stop the batch (or its manifest) half way.
#[derive(Debug, Default)]
struct Stdout {
    closed: bool,
}

/// Set when the report could not be written for another reason than a reader
/// gone away (a full disk, `> /dev/full`): the batch still finishes, then fails.
static REPORT_LOST: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

impl Stdout {
    fn line(&mut self, line: std::fmt::Arguments<'_>) {
        if !self.closed {
            let mut stdout = std::io::stdout().lock();
            if let Err(error) = writeln!(stdout, "{line}").and_then(|()| stdout.flush()) {
                self.closed = true;
                if error.kind() != std::io::ErrorKind::BrokenPipe {
                    REPORT_LOST.store(true, std::sync::atomic::Ordering::SeqCst);
                }
            }
        }
    }
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

    /// Whether it fails the batch.
    fn fails(self) -> bool {
        self != FileEvent::Removed
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
    /// A reporter for a batch, printing in the format `options` ask for; its clock
    /// starts now.
    pub(super) fn new(options: &'a Options) -> Reporter<'a> {
        Reporter::with_printer(printer(options), options.deny_warnings)
    }

    fn with_printer(printer: Box<dyn Printer + 'a>, deny_warnings: bool) -> Reporter<'a> {
        Reporter {
            printer,
            started: Instant::now(),
            cases: 0,
            failed_cases: 0,
            warnings: 0,
            letters: 0,
            counts: BTreeMap::new(),
            failed: false,
            deny_warnings,
        }
    }

    /// Says that the run waits for another one using the output folder.
    pub(super) fn waiting(&mut self, out: &Path) {
        self.printer.waiting(out);
    }

    /// Starts the work on `cases` case files: shows a progress bar where one is wanted.
    pub(super) fn begin(&mut self, cases: usize) {
        self.printer.begin(cases);
    }

    /// Whether anything failed or was stale.
    pub(super) fn failed(&self) -> bool {
        self.failed
    }

    /// Reports one case file's diagnostics and letters.
    pub(super) fn case(&mut self, result: &CaseResult) {
        self.cases += 1;
        self.printer.advance();
        let errors = self.diagnostics(&result.diagnostics);
        if errors || result.letters.iter().any(|l| l.status == Status::Failed) {
            self.failed_cases += 1;
        }
        for letter in &result.letters {
            self.letters += 1;
            *self.counts.entry(status_word(letter.status)).or_default() += 1;
            self.failed |= matches!(letter.status, Status::Failed | Status::Stale);
            self.printer.letter(letter);
        }
    }

    /// Reports diagnostics that belong to no letter (or to a letter that failed),
    /// and says whether any fails the run: an error, or a warning when warnings
    /// are denied.
    pub(super) fn diagnostics(&mut self, diagnostics: &[Diagnostic]) -> bool {
        let warnings = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count();
        self.warnings += warnings;
        let fails = (self.deny_warnings && warnings > 0) || warnings < diagnostics.len();
        self.failed |= fails;
        self.printer.diagnostics(diagnostics);
        fails
    }

    /// A file that is out of date, should not be there, or was removed.
    pub(super) fn file(&mut self, event: FileEvent, path: &Path) {
        self.failed |= event.fails();
        *self.counts.entry(event.words().0).or_default() += 1;
        self.printer.file(event, path);
    }

    /// Prints the summary and gives the batch's outcome.
    pub(super) fn finish(mut self) -> bool {
        self.printer.summary(&Summary {
            cases: self.cases,
            failed: self.failed_cases,
            warnings: self.warnings,
            letters: self.letters,
            counts: &self.counts,
            success: !self.failed,
            seconds: self.started.elapsed().as_secs_f64(),
        });
        if REPORT_LOST.swap(false, std::sync::atomic::Ordering::SeqCst) {
            crate::diag::eprint(&[Diagnostic::error(
                "write-failed",
                "failed to write the report to standard output",
            )]);
            return false;
        }
        !self.failed
    }
}

/// What to do when a letter overruns its time budget: report it as an error
/// naming the letter and what was running (`layout.typ` when it was being
/// typeset, else its templates), in the batch's format, then end the run.
/// Neither Tera nor Typst can be interrupted, so the process ends with the
/// letter's thread still in it. Files are only ever replaced whole, so none is
/// torn; the manifest is not updated, so the next run renders this run's letters
/// again (finding most unchanged), and any temporary file left mid-write is
/// cleared by the next run.
pub(super) fn stop_on_overrun(
    options: &Options,
    templates: &crate::templates::Templates,
) -> crate::typeset::Expired {
    let options = options.clone();
    let layout = crate::templates::display(&templates.dir, "layout.typ");
    let office = crate::templates::display(&templates.dir, "office.yaml");
    let folder = crate::templates::display(&templates.dir, "");
    Box::new(move |overrun: &crate::typeset::Overrun| {
        let seconds = overrun.limit.as_secs();
        let letter = &overrun.what;
        let diagnostic = if overrun.typesetting {
            Diagnostic::error(
                "typeset-timeout",
                format!(
                    "typesetting took longer than {seconds} s, the limit set by `max_typeset_seconds` in {office}"
                ),
            )
            .in_file(&diag::Source::new(layout.as_str(), ""))
            .note(format!("while typesetting {letter}"))
            .note(format!(
                "{layout} may loop for ever or build something huge; if the letter is only slow, raise the limit"
            ))
        } else {
            Diagnostic::error(
                "render-timeout",
                format!(
                    "rendering the letter's templates took longer than {seconds} s, the limit set by `max_typeset_seconds` in {office}"
                ),
            )
            .note(format!("while rendering {letter}"))
            .note(format!(
                "a template in {folder} (the kind's `.md.tera`, or a partial or paragraph it includes) may loop for ever; if the letter is only slow, raise the limit"
            ))
        }
        .note("the run stops here: letters already written are complete, and the next run starts afresh");
        printer(&options).diagnostics(std::slice::from_ref(&diagnostic));
        std::process::exit(super::Outcome::Failure.code());
    })
}

/// What to do when a letter's typesetting passes its memory budget: as an
/// overrun of its time budget, report it naming `layout.typ` and the letter, then
/// end the run before the allocation is made.
pub(super) fn stop_on_memory(
    options: &Options,
    templates: &crate::templates::Templates,
) -> crate::typeset::MemoryExceeded {
    let options = options.clone();
    let layout = crate::templates::display(&templates.dir, "layout.typ");
    let office = crate::templates::display(&templates.dir, "office.yaml");
    Box::new(move |letter: &str, limit: usize| {
        let diagnostic = Diagnostic::error(
            "typeset-memory",
            format!(
                "typesetting needed more than {} MiB, the limit set by `max_typeset_memory_mib` in {office}",
                limit / (1024 * 1024)
            ),
        )
        .in_file(&diag::Source::new(layout.as_str(), ""))
        .note(format!("while typesetting {letter}"))
        .note(format!(
            "{layout} may build something huge (an array or string grown in a loop); if the letter only needs more, raise the limit"
        ))
        .note("the run stops here: letters already written are complete, and the next run starts afresh");
        printer(&options).diagnostics(std::slice::from_ref(&diagnostic));
        std::process::exit(super::Outcome::Failure.code());
    })
}

/// The word for a status, in lines and in the summary's counts.
fn status_word(status: Status) -> &'static str {
    status.into()
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// A printer that writes down what it is given, one line an event.
    struct Recorder(Arc<Mutex<Vec<String>>>);

    impl Recorder {
        fn say(&self, line: String) {
            if let Ok(mut lines) = self.0.lock() {
                lines.push(line);
            }
        }
    }

    impl Printer for Recorder {
        fn waiting(&mut self, out: &Path) {
            self.say(format!("waiting {}", out.display()));
        }
        fn diagnostics(&mut self, diagnostics: &[Diagnostic]) {
            for diagnostic in diagnostics {
                self.say(format!("diagnostic {}", diagnostic.code));
            }
        }
        fn letter(&mut self, letter: &LetterReport) {
            self.say(format!("letter {}", status_word(letter.status)));
        }
        fn file(&mut self, event: FileEvent, path: &Path) {
            self.say(format!("{} {}", event.words().0, path.display()));
        }
        fn summary(&mut self, summary: &Summary<'_>) {
            self.say(format!(
                "summary {} cases ({} failed), {} warnings, {} letters, {:?}, success {}",
                summary.cases,
                summary.failed,
                summary.warnings,
                summary.letters,
                summary.counts,
                summary.success
            ));
        }
    }

    fn letter(status: Status) -> LetterReport {
        LetterReport {
            case: "cases/a.yaml".into(),
            reference: "IC-1".into(),
            kind: "decision",
            date: "2020-01-14".into(),
            status,
            outputs: Vec::new(),
            error: None,
            diff: None,
        }
    }

    /// Something that happens in a batch.
    enum Event {
        /// A case file with letters of these statuses.
        Case(&'static [Status]),
        /// A diagnostic of no letter.
        Error,
        /// A warning of no letter.
        Warning,
        /// A case file with an error and no letters.
        BadCase,
        /// A file event.
        File(FileEvent),
    }

    #[test]
    fn the_reporter_keeps_the_tally_and_the_printer_says_each_event() {
        use Event::{BadCase, Case, Error, File, Warning};
        use FileEvent::{Orphaned, Removed, Stale};
        let rows: [(&[Event], bool, &[&str]); 10] = [
            (
                &[],
                true,
                &["summary 0 cases (0 failed), 0 warnings, 0 letters, {}, success true"],
            ),
            (
                &[Case(&[Status::Written, Status::Unchanged]), File(Removed)],
                true,
                &[
                    "letter written",
                    "letter unchanged",
                    "removed o/x.md",
                    "summary 1 cases (0 failed), 0 warnings, 2 letters, {\"removed\": 1, \"unchanged\": 1, \"written\": 1}, success true",
                ],
            ),
            (
                &[Error],
                false,
                &[
                    "diagnostic bad",
                    "summary 0 cases (0 failed), 0 warnings, 0 letters, {}, success false",
                ],
            ),
            (
                &[File(Stale)],
                false,
                &[
                    "stale o/x.md",
                    "summary 0 cases (0 failed), 0 warnings, 0 letters, {\"stale\": 1}, success false",
                ],
            ),
            (
                &[File(Orphaned)],
                false,
                &[
                    "orphaned o/x.md",
                    "summary 0 cases (0 failed), 0 warnings, 0 letters, {\"orphaned\": 1}, success false",
                ],
            ),
            (
                &[Case(&[Status::Current, Status::Stale])],
                false,
                &[
                    "letter current",
                    "letter stale",
                    "summary 1 cases (0 failed), 0 warnings, 2 letters, {\"current\": 1, \"stale\": 1}, success false",
                ],
            ),
            (
                &[Case(&[Status::Failed]), Case(&[Status::Valid])],
                false,
                &[
                    "letter failed",
                    "letter valid",
                    "summary 2 cases (1 failed), 0 warnings, 2 letters, {\"failed\": 1, \"valid\": 1}, success false",
                ],
            ),
            (
                &[BadCase, Case(&[Status::Valid])],
                false,
                &[
                    "diagnostic bad",
                    "letter valid",
                    "summary 2 cases (1 failed), 0 warnings, 1 letters, {\"valid\": 1}, success false",
                ],
            ),
            // A warning is shown and counted, and does not fail the run...
            (
                &[Warning, Case(&[Status::Valid])],
                true,
                &[
                    "diagnostic odd",
                    "letter valid",
                    "summary 1 cases (0 failed), 1 warnings, 1 letters, {\"valid\": 1}, success true",
                ],
            ),
            // ... unless warnings are denied (the row below runs with `--deny-warnings`).
            (
                &[Warning],
                false,
                &[
                    "diagnostic odd",
                    "summary 0 cases (0 failed), 1 warnings, 0 letters, {}, success false",
                ],
            ),
        ];
        for (at, (events, success, expected)) in rows.into_iter().enumerate() {
            let lines = Arc::new(Mutex::new(Vec::new()));
            let deny_warnings = at == 9;
            let mut reporter =
                Reporter::with_printer(Box::new(Recorder(Arc::clone(&lines))), deny_warnings);
            for event in events {
                match event {
                    Case(statuses) => {
                        let mut result = CaseResult::new();
                        result.letters = statuses.iter().map(|&s| letter(s)).collect();
                        reporter.case(&result);
                    }
                    Error => {
                        reporter.diagnostics(&[Diagnostic::error("bad", "bad")]);
                    }
                    Warning => {
                        reporter.diagnostics(&[Diagnostic::warning("odd", "odd")]);
                    }
                    BadCase => {
                        let mut result = CaseResult::new();
                        result.diagnostics = vec![Diagnostic::error("bad", "bad")];
                        reporter.case(&result);
                    }
                    File(event) => reporter.file(*event, Path::new("o/x.md")),
                }
            }
            reporter.diagnostics(&[]);
            assert_eq!(reporter.finish(), success, "{expected:?}");
            let lines = lines.lock().map(|l| l.clone()).unwrap_or_default();
            assert_eq!(lines, expected);
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
