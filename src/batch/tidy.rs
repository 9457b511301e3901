//! The end of a batch: the manifest brought up to date (or checked), and the
//! letters no case produces any more removed (or reported).
//!
//! The rule: a render removes a letter's files only when the manifest records the
//! case file it came from, that case file is in the batch's [`Scope`] (under a
//! folder given, or named, and in the shard), and this batch did not produce the
//! letter, because the case is gone or no longer gives it. A render of a subfolder
//! or of single files touches nothing of cases outside it, and while anything in
//! the batch fails nothing is removed, as a case that could not be read still owns
//! its letters.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::report::{FileEvent, Reporter};
use super::{Options, Scope};
use crate::diag::Diagnostic;
use crate::output::manifest::{self, Entry, Manifest};
use crate::output::{self, Format};

/// What the batch's letters came to, for the manifest.
#[derive(Debug, Default)]
pub(super) struct Results {
    /// Entries of the letters whose files are all in place (or current).
    pub entries: Vec<(String, Entry)>,
    /// Stems of letters that failed: they leave the manifest.
    pub failed: Vec<String>,
    /// Case files that could not be read or used: they keep their letters.
    pub unread: BTreeSet<String>,
}

/// Writes (or checks) the manifest, and deals with the letters of cases in scope
/// that no case produces any more: `--check` reports them, a render removes them.
pub(super) fn finish(
    out: &Path,
    options: &Options,
    mut manifest: Manifest,
    results: Results,
    produced: &BTreeSet<PathBuf>,
    scope: &Scope,
    reporter: &mut Reporter<'_>,
) {
    let check = options.check;
    let kept: BTreeSet<&String> = results.entries.iter().map(|(stem, _)| stem).collect();
    // The cases whose letters this batch answers for: in scope, and read.
    let answers_for = |case: &str| scope.covers(case) && !is_unread(&results.unread, case);
    let gone: Vec<String> = if reporter.failed() {
        Vec::new()
    } else {
        manifest
            .entries
            .iter()
            .filter(|(stem, entry)| {
                !kept.contains(stem) && entry.case.as_deref().is_some_and(answers_for)
            })
            .map(|(stem, _)| stem.clone())
            .collect()
    };
    let orphans = if check {
        orphans(out, produced, &manifest, scope, &answers_for)
    } else {
        Vec::new()
    };
    let dropped = if reporter.failed() {
        Vec::new()
    } else {
        dropped_files(&manifest, &results.entries, &options.formats)
    };
    let wrote_any = !results.entries.is_empty() || !gone.is_empty();
    for stem in gone.iter().chain(&results.failed) {
        manifest.entries.remove(stem);
    }
    manifest.entries.extend(results.entries);
    let text = manifest.to_text();
    let path = out.join(manifest::FILE_NAME);
    if check {
        if !output::is_current(out, Path::new(manifest::FILE_NAME), text.as_bytes()) {
            reporter.file(FileEvent::Stale, &path);
        }
        for orphan in orphans {
            reporter.file(FileEvent::Orphaned, &out.join(orphan));
        }
        return;
    }
    for stem in gone.iter().chain(&dropped) {
        for removed in output::remove_letter(out, stem, produced) {
            reporter.file(FileEvent::Removed, &out.join(removed));
        }
    }
    if (wrote_any || path.exists())
        && let Err(error) =
            output::write_atomic(out, Path::new(manifest::FILE_NAME), text.as_bytes())
    {
        let message = format!("failed to write {} ({error})", path.display());
        reporter.diagnostics(&[Diagnostic::error("write-failed", message)]);
    }
}

/// Whether the case file `case` (a path key) could not be read: it is one of the
/// paths refused or unread, or lies under one (a folder that could not be walked,
/// a link to a folder).
fn is_unread(unread: &BTreeSet<String>, case: &str) -> bool {
    unread.contains(case)
        || unread.iter().any(|path| {
            case.strip_prefix(path.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
        })
}

/// Letters still produced that no longer produce a file they did (a letter now
/// sent by post has no email draft): the manifest recorded the file, this batch
/// produced the letter (its new entry) but not the file. A format the run was
/// not asked for is not dropped, as it was not produced for any letter.
fn dropped_files(
    manifest: &Manifest,
    entries: &[(String, Entry)],
    asked: &[Format],
) -> Vec<String> {
    entries
        .iter()
        .filter_map(|(stem, entry)| {
            let before = manifest.entries.get(stem)?;
            let lost = before
                .sizes
                .keys()
                .any(|format| !entry.sizes.contains_key(format) && asked.contains(format));
            lost.then(|| stem.clone())
        })
        .collect()
}

/// Letter files under the output folder that the batch should have produced but
/// did not: those the manifest records for a case in scope, and those it records
/// nothing for that lie in a folder the batch writes (or anywhere, when the batch
/// covers whole folders unsharded).
fn orphans(
    out: &Path,
    produced: &BTreeSet<PathBuf>,
    manifest: &Manifest,
    scope: &Scope,
    answers_for: &dyn Fn(&str) -> bool,
) -> Vec<PathBuf> {
    let folders: BTreeSet<&Path> = produced.iter().filter_map(|p| p.parent()).collect();
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(out)
        .min_depth(2)
        .max_depth(2)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        let Ok(relative) = entry.path().strip_prefix(out) else {
            continue;
        };
        let name = entry.file_name().to_string_lossy();
        let Some((_, file_stem)) = Format::of_file_name(&name) else {
            continue;
        };
        if !entry.file_type().is_file() || produced.contains(relative) {
            continue;
        }
        let stem = crate::batch::path_key(&relative.with_file_name(file_stem));
        let owned = match manifest.entries.get(&stem).and_then(|e| e.case.as_deref()) {
            Some(case) => answers_for(case),
            None => scope.is_whole() || relative.parent().is_some_and(|f| folders.contains(f)),
        };
        if owned {
            found.push(relative.to_path_buf());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_under_a_folder_that_could_not_be_read_is_unread() {
        let unread: BTreeSet<String> = ["cases/scotland".to_owned(), "cases/a.yaml".to_owned()]
            .into_iter()
            .collect();
        assert!(is_unread(&unread, "cases/a.yaml"));
        assert!(is_unread(&unread, "cases/scotland/b.yaml"));
        assert!(is_unread(&unread, "cases/scotland/deep/c.yaml"));
        assert!(!is_unread(&unread, "cases/scotland-2/b.yaml"));
        assert!(!is_unread(&unread, "cases/b.yaml"));
    }
}
