//! Running the pipeline over many case files.
//!
//! A batch never stops on one bad input: each failure is reported with its file,
//! every other letter is still produced, and the exit code says something failed.
//! Results are reported in a stable order (by case path), whatever order the
//! workers finish in, so the same inputs print the same report.
//!
//! A batch runs in four steps: [`collect`] finds the case files; [`owners`] loads
//! them to learn which output folder each writes, and refuses two cases that would
//! write the same one; [`process`] produces (or checks) every letter; [`tidy`]
//! records the letters in the manifest and removes those no case in the batch's
//! scope produces any more. A render holds a lock on the output folder throughout.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde::Serialize;

use crate::Engine;
use crate::diag::Diagnostic;
use crate::output::Format;
use crate::output::lock::{self, Access, FolderLock, LockError};
use crate::output::manifest::{self, Manifest};

mod collect;
mod owners;
mod process;
mod report;
mod tidy;
mod workers;

pub use collect::{Collected, Scope, collect, in_shard, is_case_name, path_key, read_case};
pub use report::ErrorReport;
pub use workers::Workers;

use report::Reporter;

/// How messages are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MessageFormat {
    /// For people: one line per letter, diagnostics with the offending line.
    Human,
    /// For CI: one JSON object per letter and a summary, no letter content.
    Json,
}

/// A shard of a batch: the `index`-th (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which shard, from 1.
    pub index: u32,
    /// How many shards.
    pub count: u32,
}

/// What a batch should do.
#[derive(Debug, Clone)]
pub struct Options {
    /// Case files and folders.
    pub paths: Vec<PathBuf>,
    /// The letter templates folder.
    pub templates: PathBuf,
    /// Where outputs go; `None` to only validate.
    pub out: Option<PathBuf>,
    /// Which files to produce.
    pub formats: Vec<Format>,
    /// Compare with existing outputs instead of writing.
    pub check: bool,
    /// (with `check`) Show how each stale letter's Markdown would change.
    pub diff: bool,
    /// Only this shard of the cases.
    pub shard: Option<Shard>,
    /// Worker threads.
    pub jobs: Option<usize>,
    /// Print only errors.
    pub quiet: bool,
    /// Fail on warnings as on errors.
    pub deny_warnings: bool,
    /// Human or JSON messages.
    pub message_format: MessageFormat,
    /// Wait for another run using the output folder to finish, rather than fail.
    pub wait: bool,
}

/// How a batch ended, as a process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything valid, written or current.
    Success,
    /// A case or template was invalid, or an output stale.
    Failure,
    /// The command could not run as asked (no such path).
    Usage,
}

impl Outcome {
    /// The exit code: 0, 1 or 2.
    pub fn code(self) -> i32 {
        match self {
            Outcome::Success => 0,
            Outcome::Failure => 1,
            Outcome::Usage => 2,
        }
    }
}

/// The status of one letter in a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, strum::IntoStaticStr)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Status {
    /// At least one of its files was written.
    Written,
    /// All its files already held these bytes.
    Unchanged,
    /// (`--check`) all its files are current.
    Current,
    /// (`--check`) a file is missing or differs.
    Stale,
    /// (`check`) the letter is valid.
    Valid,
    /// It could not be produced.
    Failed,
}

/// The report of one letter.
#[derive(Debug, Clone, Serialize)]
pub struct LetterReport {
    /// The case file.
    pub case: String,
    /// The case reference.
    pub reference: String,
    /// The letter kind.
    pub kind: &'static str,
    /// The letter's date.
    pub date: String,
    /// What happened.
    pub status: Status,
    /// Each output file and what happened to it.
    pub outputs: Vec<FileReport>,
    /// Why it failed, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorReport>,
    /// (`--check --diff`) How its Markdown would change, as a unified diff: for
    /// people only, never in JSON, which names the changed files instead.
    #[serde(skip)]
    pub diff: Option<String>,
}

/// One output file.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// Its path.
    pub path: String,
    /// written, unchanged, current, missing or stale.
    pub status: &'static str,
}

/// The result of one case file.
struct CaseResult {
    letters: Vec<LetterReport>,
    diagnostics: Vec<Diagnostic>,
    /// Output paths (relative to the output folder) the case's letters own.
    produced: Vec<PathBuf>,
    /// Manifest entries of the letters whose files are all in place, by stem.
    entries: Vec<(String, manifest::Entry)>,
    /// Stems of letters that could not be produced or written: they leave the
    /// manifest, so the next run renders them again.
    failed: Vec<String>,
    /// The case file (by [`path_key`]) if it could not be read, loaded or used: it
    /// still owns the letters it wrote before.
    unread: Option<String>,
}

impl CaseResult {
    fn new() -> CaseResult {
        CaseResult {
            letters: Vec::new(),
            diagnostics: Vec::new(),
            produced: Vec::new(),
            entries: Vec::new(),
            failed: Vec::new(),
            unread: None,
        }
    }

    fn unread(case: String, diagnostics: Vec<Diagnostic>) -> CaseResult {
        CaseResult {
            diagnostics,
            unread: Some(case),
            ..CaseResult::new()
        }
    }
}

/// Runs a batch and prints its report.
pub fn run(options: &Options) -> Outcome {
    let collected = match preflight(options) {
        Ok(collected) => collected,
        Err(outcome) => return outcome,
    };
    match Session::new(options) {
        Ok(session) => session.run(options, collected),
        Err(outcome) => outcome,
    }
}

/// What can be checked before the templates are loaded: the templates folder, the
/// paths given and the output path. Gives the case files found, or reports why the
/// command cannot run.
pub fn preflight(options: &Options) -> Result<Collected, Outcome> {
    let mut reporter = Reporter::new(options);
    let mut fail = |diagnostics: &[Diagnostic]| {
        reporter.diagnostics(diagnostics);
        Err(Outcome::Usage)
    };
    // Checked first: run from the wrong folder, neither the cases nor the templates
    // are there, and the templates say what to do about it.
    if let Some(missing) = crate::templates::missing_folder(&options.templates) {
        return fail(&[missing]);
    }
    let collected = collect(&options.paths);
    if !collected.missing.is_empty() {
        return fail(&collected.missing);
    }
    if let Some(out) = &options.out
        && std::fs::metadata(out).is_ok_and(|m| !m.is_dir())
    {
        let message = format!("the output path {} is not a folder", out.display());
        let diagnostic = Diagnostic::error("output-not-a-folder", message)
            .note("remove or rename that file, or name another folder with --out");
        return fail(&[diagnostic]);
    }
    Ok(collected)
}

/// The templates read and the fonts loaded, kept for as many batches as use them
/// (`watch` runs one per change), with the fingerprint the manifest records.
pub struct Session {
    engine: Engine,
    fingerprint: String,
    /// Each letter's time budget, over rendering and typesetting alike.
    watchdog: crate::typeset::Watchdog,
}

impl Session {
    /// Loads the templates folder `options` name; reports why not.
    pub fn new(options: &Options) -> Result<Session, Outcome> {
        let mut reporter = Reporter::new(options);
        let mut fail = |diagnostics: &[Diagnostic]| {
            reporter.diagnostics(diagnostics);
            Err(Outcome::Failure)
        };
        let engine = match Engine::new(&options.templates) {
            Ok(engine) => engine,
            Err(diagnostics) => return fail(&diagnostics),
        };
        let limit =
            std::time::Duration::from_secs(engine.templates.office.max_typeset_seconds.get());
        let expired = report::stop_on_overrun(options, &engine.templates);
        let mib = engine.templates.office.max_typeset_memory_mib.get();
        let bytes = usize::try_from(mib.saturating_mul(1024 * 1024)).unwrap_or(usize::MAX);
        crate::typeset::set_memory_budget(
            bytes,
            report::stop_on_memory(options, &engine.templates),
        );
        let watchdog = match crate::typeset::Watchdog::start(limit, expired) {
            Ok(watchdog) => watchdog,
            Err(error) => {
                let message = format!("failed to start the letters' watchdog ({error})");
                return fail(&[Diagnostic::error("internal", message)]);
            }
        };
        let fingerprint = match manifest::fingerprint(&options.templates) {
            Ok(fingerprint) => fingerprint,
            Err(error) => {
                let message = format!("failed to read the templates folder ({error})");
                return fail(&[Diagnostic::error("template-missing", message)]);
            }
        };
        Ok(Session {
            engine,
            fingerprint,
            watchdog,
        })
    }

    /// Runs a batch over the case files `collected` found, and prints its report.
    /// `options.paths` is the batch's scope: tidying removes the letters of case
    /// files inside it that gave none, so a case file deleted since the last run
    /// may be named there though it is not among the files.
    pub fn run(&self, options: &Options, collected: Collected) -> Outcome {
        let mut reporter = Reporter::new(options);
        let Ok((_lock, manifest)) = prepare_output(options, &mut reporter) else {
            return Outcome::Failure;
        };
        if let Some(why) = self.engine.templates.office.pdf.opted_out() {
            reporter.diagnostics(&[Diagnostic::warning("pdf-standards", why)]);
        }
        reporter.diagnostics(&collected.refused);
        let files: Vec<PathBuf> = match options.shard {
            Some(shard) => collected
                .files
                .into_iter()
                .filter(|f| in_shard(f, shard))
                .collect(),
            None => collected.files,
        };
        let workers = Workers::new(options.jobs);
        let owners = owners::find(&self.engine, &files, &manifest, &workers);
        reporter.diagnostics(&owners.clashes);
        let shared = process::Shared {
            engine: &self.engine,
            watchdog: &self.watchdog,
            options,
            fingerprint: self.fingerprint.clone(),
            manifest: &manifest,
            owners: &owners,
        };
        reporter.begin(files.len());
        let mut produced = BTreeSet::new();
        let mut results = tidy::Results::default();
        results
            .unread
            .extend(collected.refused_paths.iter().map(|p| path_key(p)));
        workers.each_in_order(
            &files,
            |file| process::case(file, &shared),
            |result| {
                reporter.case(&result);
                produced.extend(result.produced);
                results.entries.extend(result.entries);
                results.failed.extend(result.failed);
                results.unread.extend(result.unread);
            },
        );
        if let Some(out) = &options.out {
            let scope = Scope::new(&options.paths, options.shard);
            tidy::finish(
                out,
                options,
                manifest,
                results,
                &produced,
                &scope,
                &mut reporter,
            );
        }
        if reporter.finish() {
            Outcome::Success
        } else {
            Outcome::Failure
        }
    }
}

/// Locks the output folder (creating it for a render) and reads its manifest, then
/// clears what an interrupted render left there. Nothing to do without one.
fn prepare_output(
    options: &Options,
    reporter: &mut Reporter<'_>,
) -> Result<(Option<FolderLock>, Manifest), Outcome> {
    let Some(out) = &options.out else {
        return Ok((None, Manifest::default()));
    };
    let fail = |reporter: &mut Reporter<'_>, diagnostic: Diagnostic| {
        reporter.diagnostics(&[diagnostic]);
        Err(Outcome::Failure)
    };
    if options.check && !out.is_dir() {
        // Nothing to lock or read: every letter will be missing.
        return Ok((None, Manifest::default()));
    }
    if !options.check
        && let Err(error) = std::fs::create_dir_all(out)
    {
        let message = format!(
            "failed to create the output folder {} ({error})",
            out.display()
        );
        return fail(reporter, Diagnostic::error("write-failed", message));
    }
    let access = if options.check {
        Access::Read
    } else {
        Access::Write
    };
    let held = lock::lock(out, access, options.wait, || reporter.waiting(out));
    let held = match held {
        Ok(held) => held,
        Err(error @ LockError::Busy(_)) => {
            let diagnostic = Diagnostic::error("output-busy", error.to_string())
                .note("wait for it to finish, or run again without --no-wait to wait for it");
            return fail(reporter, diagnostic);
        }
        Err(error) => {
            return fail(
                reporter,
                Diagnostic::error("output-busy", error.to_string()),
            );
        }
    };
    let manifest = match Manifest::read(out) {
        Ok(manifest) => manifest,
        Err(error) => {
            let path = out.join(manifest::FILE_NAME);
            let diagnostic = Diagnostic::error(
                "bad-manifest",
                format!("refusing to read the manifest {} ({error})", path.display()),
            )
            .note("it should be a text file written by casewright: delete it to render everything again");
            return fail(reporter, diagnostic);
        }
    };
    // A link in the output folder: the letters behind it are not the record, and
    // the run fails (so nothing is removed) until it is replaced by a folder.
    let links: Vec<Diagnostic> = crate::output::links_under(out)
        .iter()
        .map(|link| {
            Diagnostic::error(
                "output-symlink",
                format!(
                    "{} is a symlink, which casewright neither reads nor writes through",
                    link.display()
                ),
            )
            .note("the output folder holds its letters' folders and files themselves: replace the link with the folder or file it points to")
        })
        .collect();
    reporter.diagnostics(&links);
    if !options.check {
        crate::output::remove_leftovers(out);
    }
    Ok((Some(held), manifest))
}
