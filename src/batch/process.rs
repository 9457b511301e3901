//! One case file's letters: produced and written, checked, or only validated.

use std::path::{Path, PathBuf};

use super::collect::{path_key, read_case};
use super::owners::Owners;
use super::{CaseResult, ErrorReport, FileReport, LetterReport, Options, Status};
use crate::diag::{Diagnostic, Severity, Source};
use crate::output::manifest::{self, Manifest};
use crate::output::{self, WriteStatus};
use crate::{Engine, OutputFile};

/// What every worker shares.
pub(super) struct Shared<'a> {
    pub engine: &'a Engine,
    /// Each letter's time budget: armed while it is rendered and typeset.
    pub watchdog: &'a crate::typeset::Watchdog,
    pub options: &'a Options,
    /// The fingerprint of the templates and the program.
    pub fingerprint: String,
    /// The manifest as found in the output folder.
    pub manifest: &'a Manifest,
    /// The output folder of each case file, and the case files that clash.
    pub owners: &'a Owners,
}

/// Loads one case file and produces (or checks, or validates) its letters.
// One case's letters in order, each down one of three paths (validate, unchanged,
// produce): long, but each path reads straight through.
pub(super) fn case(file: &Path, shared: &Shared<'_>) -> CaseResult {
    let options = shared.options;
    let name = file.display().to_string();
    let key = path_key(file);
    let bytes = match read_case(file) {
        Ok(bytes) => bytes,
        Err(diagnostic) => return CaseResult::unread(key, vec![diagnostic]),
    };
    let case = match shared.engine.load(&name, &bytes) {
        Ok(case) => case,
        Err(diagnostics) => return CaseResult::unread(key, diagnostics),
    };

    if shared.owners.clashing.contains(&key) {
        // Reported before the batch began: neither case of a clash is written.
        return CaseResult::unread(key, Vec::new());
    }
    if shared.owners.folders.get(&key) != Some(&case.reference.folder()) {
        let diagnostic = Diagnostic::error(
            "case-changed",
            "the case file changed while casewright was running",
        )
        .in_file(&Source::new(name.as_str(), ""))
        .note("run again to render it as it is now");
        return CaseResult::unread(key, vec![diagnostic]);
    }
    let mut result = CaseResult::new();
    result.diagnostics.extend(case.warnings.iter().cloned());
    for letter in &case.letters {
        let mut report = LetterReport {
            case: name.clone(),
            reference: case.reference.to_string(),
            kind: letter.kind.key(),
            date: letter.date.to_string(),
            status: Status::Failed,
            outputs: Vec::new(),
            error: None,
            diff: None,
        };
        let stem = output::stem(&case.reference, letter.date, letter.kind);
        let what = format!(
            "the {} of {} dated {} ({name})",
            letter.kind.key(),
            case.reference,
            letter.date
        );
        let Some(out) = &options.out else {
            let watch = shared.watchdog.watch(what);
            let files = shared
                .engine
                .letter_files(&case, letter, crate::output::Format::ALL);
            drop(watch);
            match files {
                Ok(_) => report.status = Status::Valid,
                Err(diagnostics) => {
                    report.error = first_error(&diagnostics);
                    result.diagnostics.extend(diagnostics);
                }
            }
            result.letters.push(report);
            continue;
        };
        let inputs = manifest::letter_inputs(&shared.fingerprint, &bytes, &stem);
        let formats = shared.engine.formats(letter, &options.formats);
        let paths: Vec<PathBuf> = formats
            .iter()
            .map(|&f| output::relative_path(&case.reference, letter.date, letter.kind, f))
            .collect();
        result.produced.extend(paths.iter().cloned());
        if !options.check && shared.manifest.is_current(out, &stem, &inputs, &formats) {
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
                let mut entry = entry.clone();
                entry.case = Some(key.clone());
                result.entries.push((stem, entry));
            }
            result.letters.push(report);
            continue;
        }
        let watch = shared.watchdog.watch(what);
        let files = shared.engine.letter_files(&case, letter, &formats);
        drop(watch);
        match files {
            Err(diagnostics) => {
                report.error = first_error(&diagnostics);
                result.diagnostics.extend(diagnostics);
            }
            Ok(files) => {
                report.status = place(
                    out,
                    &files,
                    options.check,
                    &mut report.outputs,
                    &mut result.diagnostics,
                );
                if report.status == Status::Stale && options.diff {
                    report.diff = markdown_diff(out, &files);
                }
                if report.status != Status::Failed {
                    // Recorded only now that every file is in place: a letter whose
                    // write failed is rendered again next time.
                    let sizes = files
                        .iter()
                        .map(|f| (f.format, f.bytes.len() as u64))
                        .collect();
                    let hashes = files
                        .iter()
                        .map(|f| (f.format, manifest::file_hash(&f.bytes)))
                        .collect();
                    let entry = manifest::Entry {
                        inputs,
                        sizes,
                        hashes,
                        case: Some(key.clone()),
                    };
                    result.entries.push((stem, entry));
                    result.letters.push(report);
                    continue;
                }
            }
        }
        if let Some(error) = result.diagnostics.last() {
            report.error.get_or_insert_with(|| ErrorReport::of(error));
        }
        result.failed.push(stem);
        result.letters.push(report);
    }
    result
}

/// How a stale letter's Markdown (and its public copy's) would change, if it would.
fn markdown_diff(out: &Path, files: &[OutputFile]) -> Option<String> {
    let diffs: Vec<String> = files
        .iter()
        .filter(|f| matches!(f.format, output::Format::Md | output::Format::PublicMd))
        .filter_map(|file| {
            let rendered = String::from_utf8_lossy(&file.bytes);
            let shown = out.join(&file.path).display().to_string();
            output::diff::against_committed(out, &file.path, &rendered, &shown)
        })
        .collect();
    (!diffs.is_empty()).then(|| diffs.concat())
}

/// The error a failed letter's report carries: the first error among its
/// diagnostics (warnings may follow it).
fn first_error(diagnostics: &[Diagnostic]) -> Option<ErrorReport> {
    diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error)
        .map(ErrorReport::of)
}

/// Writes (or, with `check`, compares) a letter's files. A write that fails stops
/// there: the files already written are complete, the rest keep their old bytes.
fn place(
    out: &Path,
    files: &[OutputFile],
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
                if std::fs::symlink_metadata(out.join(&file.path)).is_ok() {
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
