//! Running the pipeline over many case files.
//!
//! A batch never stops on one bad input: each failure is reported with its file,
//! every other letter is still produced, and the exit code says something failed.
//! Results are reported in a stable order (by case path), whatever order the
//! workers finish in, so the same inputs print the same report.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::Engine;
use crate::cli::{MessageFormat, Shard};
use crate::diag::Diagnostic;
use crate::output::manifest::{self, Manifest};
use crate::output::{self, Format, WriteStatus};

mod report;
mod workers;

pub use report::ErrorReport;
pub use workers::Workers;

use report::{FileEvent, Reporter};

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
    /// Only this shard of the cases.
    pub shard: Option<Shard>,
    /// Worker threads.
    pub jobs: Option<usize>,
    /// Print only errors.
    pub quiet: bool,
    /// Human or JSON messages.
    pub message_format: MessageFormat,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
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
    produced: Vec<PathBuf>,
    /// Manifest entries of the letters produced (or found current), by stem.
    entries: Vec<(String, manifest::Entry)>,
}

/// What every worker shares besides the engine.
struct Shared<'a> {
    options: &'a Options,
    /// The fingerprint of the templates and the program.
    fingerprint: String,
    /// The manifest as found in the output folder.
    manifest: Manifest,
}

/// Runs a batch and prints its report.
pub fn run(options: &Options) -> Outcome {
    let mut reporter = Reporter::new(options);
    let (files, missing) = collect(&options.paths);
    if !missing.is_empty() {
        reporter.diagnostics(&missing);
        return Outcome::Usage;
    }
    let engine = match Engine::new(&options.templates) {
        Ok(engine) => engine,
        Err(diagnostics) => {
            reporter.diagnostics(&diagnostics);
            return Outcome::Failure;
        }
    };
    let files: Vec<PathBuf> = match options.shard {
        Some(shard) => files.into_iter().filter(|f| in_shard(f, shard)).collect(),
        None => files,
    };
    let fingerprint = match manifest::fingerprint(&options.templates) {
        Ok(fingerprint) => fingerprint,
        Err(error) => {
            let message = format!("failed to read the templates folder ({error})");
            reporter.diagnostics(&[Diagnostic::error("template-missing", message)]);
            return Outcome::Failure;
        }
    };
    let manifest = options
        .out
        .as_deref()
        .map(Manifest::read)
        .unwrap_or_default();
    if let (Some(out), false) = (&options.out, options.check) {
        output::remove_leftovers(out);
    }
    let shared = Shared {
        options,
        fingerprint,
        manifest,
    };
    reporter.begin(files.len());
    let mut produced = BTreeSet::new();
    let mut entries = Vec::new();
    Workers::new(options.jobs).each_in_order(
        &files,
        |file| process(&engine, file, &shared),
        |result| {
            reporter.case(&result);
            produced.extend(result.produced);
            entries.extend(result.entries);
        },
    );
    if let Some(out) = &options.out {
        // Only a batch over whole folders knows that a letter missing from it has
        // no case any more.
        let complete = options.shard.is_none() && options.paths.iter().all(|p| p.is_dir());
        let manifest = shared.manifest;
        finish_output(
            out,
            options,
            manifest,
            entries,
            &produced,
            complete,
            &mut reporter,
        );
    }
    if reporter.finish() {
        Outcome::Success
    } else {
        Outcome::Failure
    }
}

/// Writes (or checks) the manifest, and deals with letter files no case produces
/// any more: `--check` reports them; a render removes those it wrote itself.
fn finish_output(
    out: &Path,
    options: &Options,
    mut manifest: Manifest,
    entries: Vec<(String, manifest::Entry)>,
    produced: &BTreeSet<PathBuf>,
    complete: bool,
    reporter: &mut Reporter<'_>,
) {
    // When something failed, the letters of a case that could not be read are in
    // the old manifest and on disk but not in this batch: keep them rather than
    // take them for orphans.
    let gone: Vec<String> = if complete && !reporter.failed() {
        let kept: BTreeSet<&String> = entries.iter().map(|(stem, _)| stem).collect();
        manifest
            .entries
            .keys()
            .filter(|stem| !kept.contains(stem))
            .cloned()
            .collect()
    } else {
        Vec::new()
    };
    let wrote_any = !entries.is_empty();
    for stem in &gone {
        manifest.entries.remove(stem);
    }
    manifest.entries.extend(entries);
    if !options.check {
        for stem in &gone {
            for path in output::remove_letter(out, stem, produced) {
                reporter.file(FileEvent::Removed, &out.join(path));
            }
        }
    }
    let text = manifest.to_text();
    let path = out.join(manifest::FILE_NAME);
    if options.check {
        if !output::is_current(out, Path::new(manifest::FILE_NAME), text.as_bytes()) {
            reporter.file(FileEvent::Stale, &path);
        }
        if complete {
            for orphan in orphans(out, produced) {
                reporter.file(FileEvent::Orphaned, &out.join(orphan));
            }
        }
    } else if (wrote_any || path.exists())
        && let Err(error) =
            output::write_atomic(out, Path::new(manifest::FILE_NAME), text.as_bytes())
    {
        let message = format!("failed to write {} ({error})", path.display());
        reporter.diagnostics(&[Diagnostic::error("write-failed", message)]);
    }
}

/// Loads one case file and produces (or checks) its letters.
fn process(engine: &Engine, file: &Path, shared: &Shared<'_>) -> CaseResult {
    let options = shared.options;
    let name = file.display().to_string();
    let mut result = CaseResult {
        letters: Vec::new(),
        diagnostics: Vec::new(),
        produced: Vec::new(),
        entries: Vec::new(),
    };
    let bytes = match read_case(file) {
        Ok(bytes) => bytes,
        Err(diagnostic) => {
            result.diagnostics.push(diagnostic);
            return result;
        }
    };
    let case = match engine.load(&name, &bytes) {
        Ok(case) => case,
        Err(diagnostics) => {
            result.diagnostics = diagnostics;
            return result;
        }
    };
    for letter in &case.letters {
        let mut report = LetterReport {
            case: name.clone(),
            reference: case.reference.to_string(),
            kind: letter.kind.key(),
            date: letter.date.to_string(),
            status: Status::Failed,
            outputs: Vec::new(),
            error: None,
        };
        let stem = output::stem(&case.reference, letter.date, letter.kind);
        let inputs = manifest::letter_inputs(&shared.fingerprint, &bytes, &stem);
        let Some(out) = &options.out else {
            match engine.letter_files(&case, letter, &Format::ALL) {
                Ok(_) => report.status = Status::Valid,
                Err(diagnostic) => {
                    report.error = Some(ErrorReport::of(&diagnostic));
                    result.diagnostics.push(diagnostic);
                }
            }
            result.letters.push(report);
            continue;
        };
        let paths: Vec<PathBuf> = options
            .formats
            .iter()
            .map(|&f| output::relative_path(&case.reference, letter.date, letter.kind, f))
            .collect();
        result.produced.extend(paths.iter().cloned());
        if !options.check
            && shared
                .manifest
                .is_current(out, &stem, &inputs, &options.formats)
        {
            // Nothing this letter is made from has changed since its files were written.
            report.status = Status::Unchanged;
            report.outputs = paths
                .iter()
                .map(|p| FileReport {
                    path: out.join(p).display().to_string(),
                    status: "unchanged",
                })
                .collect();
            if let Some(entry) = shared.manifest.entries.get(&stem) {
                result.entries.push((stem, entry.clone()));
            }
            result.letters.push(report);
            continue;
        }
        match engine.letter_files(&case, letter, &options.formats) {
            Err(diagnostic) => {
                report.error = Some(ErrorReport::of(&diagnostic));
                result.diagnostics.push(diagnostic);
            }
            Ok(files) => {
                let sizes = files
                    .iter()
                    .map(|f| (f.format, f.bytes.len() as u64))
                    .collect();
                result
                    .entries
                    .push((stem, manifest::Entry { inputs, sizes }));
                report.status = place(
                    out,
                    &files,
                    options.check,
                    &mut report.outputs,
                    &mut result.diagnostics,
                );
            }
        }
        result.letters.push(report);
    }
    result
}

/// Writes (or, with `check`, compares) a letter's files.
fn place(
    out: &Path,
    files: &[crate::OutputFile],
    check: bool,
    reports: &mut Vec<FileReport>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Status {
    let mut status = if check {
        Status::Current
    } else {
        Status::Unchanged
    };
    for file in files {
        let path = out.join(&file.path).display().to_string();
        let file_status = if check {
            if output::is_current(out, &file.path, &file.bytes) {
                "current"
            } else {
                status = Status::Stale;
                if out.join(&file.path).exists() {
                    "stale"
                } else {
                    "missing"
                }
            }
        } else {
            match output::write_atomic(out, &file.path, &file.bytes) {
                Ok(WriteStatus::Written) => {
                    status = Status::Written;
                    "written"
                }
                Ok(WriteStatus::Unchanged) => "unchanged",
                Err(error) => {
                    diagnostics.push(Diagnostic::error(
                        "write-failed",
                        format!("failed to write {path} ({error})"),
                    ));
                    return Status::Failed;
                }
            }
        };
        reports.push(FileReport {
            path,
            status: file_status,
        });
    }
    status
}

fn read_case(file: &Path) -> Result<Vec<u8>, Diagnostic> {
    let name = file.display();
    let too_large = |size: u64| {
        Diagnostic::error(
            "too-large",
            format!(
                "{name}: the case file is {size} bytes, more than the {} a case file may have",
                crate::case::MAX_CASE_BYTES
            ),
        )
    };
    let metadata = std::fs::metadata(file)
        .map_err(|e| Diagnostic::error("read-failed", format!("failed to read {name} ({e})")))?;
    if metadata.len() > crate::case::MAX_CASE_BYTES as u64 {
        return Err(too_large(metadata.len()));
    }
    std::fs::read(file)
        .map_err(|e| Diagnostic::error("read-failed", format!("failed to read {name} ({e})")))
}

/// Every case file under the given paths, sorted, and a diagnostic for each path
/// that does not exist or cannot be walked.
pub fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = BTreeSet::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.is_file() {
            files.insert(path.clone());
            continue;
        }
        if !path.is_dir() {
            errors.push(Diagnostic::error(
                "no-such-path",
                format!("{}: no such case file or folder", path.display()),
            ));
            continue;
        }
        for entry in walkdir::WalkDir::new(path).sort_by_file_name() {
            match entry {
                Ok(entry) => {
                    let is_yaml = entry
                        .path()
                        .extension()
                        .is_some_and(|e| e == "yaml" || e == "yml");
                    if entry.file_type().is_file() && is_yaml {
                        files.insert(entry.into_path());
                    }
                }
                Err(error) => errors.push(Diagnostic::error(
                    "no-such-path",
                    format!("failed to read the folder {} ({error})", path.display()),
                )),
            }
        }
    }
    (files.into_iter().collect(), errors)
}

/// Whether a case file belongs to a shard: by a hash of its path, so the split is
/// stable across runs and machines and does not move when other cases are added.
pub fn in_shard(file: &Path, shard: Shard) -> bool {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(file.to_string_lossy().replace('\\', "/").as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first) % u64::from(shard.count) == u64::from(shard.index - 1)
}

/// Letter files under the output folder that no case produced.
fn orphans(out: &Path, produced: &BTreeSet<PathBuf>) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(out)
        .min_depth(2)
        .max_depth(2)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        let is_letter = entry
            .path()
            .extension()
            .is_some_and(|e| e == "pdf" || e == "md" || e == "eml");
        if entry.file_type().is_file()
            && is_letter
            && let Ok(relative) = entry.path().strip_prefix(out)
            && !produced.contains(relative)
        {
            found.push(relative.to_path_buf());
        }
    }
    found
}
