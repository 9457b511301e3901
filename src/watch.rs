//! `casewright watch`: render the given cases, then again each time a case file or
//! the templates change, for a live preview while a case is drafted.
//!
//! Each round is a render (the same [`batch::Session`], so the same manifest,
//! tidying and locking rules), run over what changed: the case files saved,
//! created or deleted since the last round, or every case when anything in the
//! templates folder changed (which reloads the templates and fonts first). A case
//! file deleted is in its round's scope but not among its files, so its letters are
//! tidied away as a render would; a case file that does not load keeps its letters.
//! The output folder is locked for each round, not between rounds, so a `render`
//! or `render --check` elsewhere can run while watch waits.
//!
//! A folder or case file given that goes away (the cases folder moved or deleted)
//! is an error, as it is to `render`, and no round runs while it is gone, so
//! nothing is removed; once every one is back, watching resumes with a round over
//! every case given.
//!
//! Ctrl-C lets the round in progress finish (its files are written whole and its
//! manifest recorded), then ends watch with success. A second Ctrl-C ends it at
//! once, after clearing the temporary files of this process's own writes it cut
//! short, and no other file: another run may be writing the same folder.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{DebounceEventResult, new_debouncer};

use crate::batch::{self, Options, Outcome, Session};
use crate::cli::MessageFormat;
use crate::diag::Diagnostic;

/// How long a file must be quiet before its change starts a round: long enough to
/// take an editor's save (write, rename, change of mode) as one change, short
/// enough to keep save-to-PDF well under a tenth of a second.
const QUIET: Duration = Duration::from_millis(30);

/// What the watch loop is woken by.
enum Wake {
    /// These paths (absolute) changed.
    Changed(Vec<PathBuf>),
    /// The file watcher failed for a moment.
    Trouble(String),
    /// Ctrl-C (or a termination signal).
    Stop,
}

/// What a file was when last seen: modified, length, inode; `None` when absent.
type Stamp = Option<(std::time::SystemTime, u64, u64)>;

fn stamp(path: &Path) -> Stamp {
    let metadata = std::fs::symlink_metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&metadata);
    #[cfg(not(unix))]
    let inode = 0;
    Some((metadata.modified().ok()?, metadata.len(), inode))
}

/// The stamps of the files watched, so that only a real change starts a round:
/// the file watcher also reports files being opened and read, which every round
/// does, and would otherwise start the next one.
#[derive(Default)]
struct Stamps(std::collections::HashMap<PathBuf, Stamp>);

impl Stamps {
    /// Records every file and folder under `root` (or `root` itself).
    fn record(&mut self, root: &Path) {
        for entry in walkdir::WalkDir::new(root).into_iter().flatten() {
            self.0
                .insert(entry.path().to_path_buf(), stamp(entry.path()));
        }
    }

    /// The paths that changed since they were last seen, or are new. A path never
    /// seen and gone already (an editor's temporary file, renamed into place) is no
    /// change: the file it became is.
    fn changed(&mut self, paths: Vec<PathBuf>) -> Vec<PathBuf> {
        paths
            .into_iter()
            .filter(|path| {
                let now = stamp(path);
                match self.0.insert(path.clone(), now) {
                    Some(before) => before != now,
                    None => now.is_some(),
                }
            })
            .collect()
    }
}

/// What one batch of changes calls for.
#[derive(Debug, Default, PartialEq, Eq)]
struct Changes {
    /// Something in the templates folder changed: reload, then render every case.
    templates: bool,
    /// Case files (as the batch names them) saved, created or deleted.
    cases: BTreeSet<PathBuf>,
}

/// Where watch looks, as absolute paths, and how to name what it sees.
struct Places {
    cwd: PathBuf,
    templates: PathBuf,
    /// Folders given, watched recursively.
    folders: Vec<PathBuf>,
    /// Case files given, each watched through its folder (an editor's save may
    /// replace the file, and a watch on the file itself would go with it).
    files: Vec<PathBuf>,
}

impl Places {
    /// The folders and case files given that are not there now (a folder must be
    /// a folder).
    fn gone(&self) -> BTreeSet<PathBuf> {
        let folders = self.folders.iter().filter(|f| !f.is_dir());
        let files = self
            .files
            .iter()
            .filter(|f| std::fs::symlink_metadata(f).is_err());
        folders.chain(files).cloned().collect()
    }

    fn new(options: &Options, cwd: &Path) -> Places {
        let absolute = |p: &Path| cwd.join(p);
        let (mut folders, mut files) = (Vec::new(), Vec::new());
        for path in &options.paths {
            if path.is_dir() {
                folders.push(absolute(path));
            } else {
                files.push(absolute(path));
            }
        }
        Places {
            cwd: cwd.to_path_buf(),
            templates: absolute(&options.templates),
            folders,
            files,
        }
    }

    /// What a batch of changed paths calls for: anything under the templates
    /// folder, and case files under a folder given or given themselves.
    fn sort(&self, paths: &[PathBuf]) -> Changes {
        let mut changes = Changes::default();
        for path in paths {
            if path.starts_with(&self.templates) {
                changes.templates = true;
            } else if self.files.contains(path)
                || (batch::is_case_name(path) && self.folders.iter().any(|f| path.starts_with(f)))
            {
                changes
                    .cases
                    .insert(crate::cli::tidy_path(path, Some(&self.cwd)));
            }
        }
        changes
    }
}

/// Watches and renders until Ctrl-C; gives the outcome (success on Ctrl-C, a
/// failure only when watching cannot start).
// Start-up (Ctrl-C, the watcher, the first round) then the loop of rounds, in the
// order they happen: each step is short, and apart they would pass the same state.
pub fn run(options: &Options, cwd: &Path) -> Outcome {
    let collected = match batch::preflight(options) {
        Ok(collected) => collected,
        Err(outcome) => return outcome,
    };
    let (wake, woken) = mpsc::channel();
    let human = options.message_format == MessageFormat::Human && !options.quiet;
    if let Err(error) = on_interrupt(wake.clone(), human) {
        return cannot_start(options, &format!("failed to handle Ctrl-C ({error})"));
    }
    // Watching starts before the first round, so a save during it is not missed.
    let places = Places::new(options, cwd);
    let events = wake.clone();
    let debouncer = new_debouncer(QUIET, move |result: DebounceEventResult| {
        let _ = events.send(match result {
            Ok(events) => Wake::Changed(events.into_iter().map(|e| e.path).collect()),
            Err(error) => Wake::Trouble(error.to_string()),
        });
    });
    let mut debouncer = match debouncer {
        Ok(debouncer) => debouncer,
        Err(error) => {
            return cannot_start(options, &format!("failed to watch for changes ({error})"));
        }
    };
    let watched = places
        .folders
        .iter()
        .chain([&places.templates])
        .map(|folder| (folder.clone(), RecursiveMode::Recursive))
        .chain(places.files.iter().filter_map(|file| {
            let folder = file.parent()?.to_path_buf();
            Some((folder, RecursiveMode::NonRecursive))
        }));
    for (folder, mode) in watched {
        if let Err(error) = debouncer.watcher().watch(&folder, mode) {
            let message = format!("failed to watch {} ({error})", folder.display());
            return cannot_start(options, &message);
        }
    }
    // The folder holding each folder given, so that one moved away and back (or
    // deleted and made again) is seen to return. Only what sits directly in it
    // is reported, and only a folder given counts; where it cannot be watched,
    // the folder's return is seen at the next change of anything watched.
    let parents: BTreeSet<PathBuf> = places
        .folders
        .iter()
        .filter_map(|f| f.parent().map(Path::to_path_buf))
        .collect();
    for parent in parents {
        let _ = debouncer
            .watcher()
            .watch(&parent, RecursiveMode::NonRecursive);
    }

    let mut stamps = Stamps::default();
    for root in places
        .folders
        .iter()
        .chain(&places.files)
        .chain([&places.templates])
    {
        stamps.record(root);
    }
    let mut session = Session::new(options).ok();
    match &session {
        Some(session) => {
            session.run(options, collected);
        }
        None => templates_broken(options),
    }
    ready(options, &places);
    // The folders and files given that went away, while they are gone.
    let mut away: BTreeSet<PathBuf> = BTreeSet::new();
    while let Ok(first) = woken.recv() {
        // Take whatever else has arrived too, as one round.
        let mut changed = Vec::new();
        let mut stop = false;
        for wake in std::iter::once(first).chain(woken.try_iter()) {
            match wake {
                Wake::Changed(paths) => changed.extend(paths),
                Wake::Trouble(message) => warn(options, &format!("while watching: {message}")),
                Wake::Stop => stop = true,
            }
        }
        if stop {
            break;
        }
        let changed = stamps.changed(changed);
        let gone = places.gone();
        if !gone.is_empty() {
            // As `render` with a path that is not there: an error, and no round,
            // so no letter is taken for deleted. A folder's watch is dropped, as
            // it would follow the folder to wherever it was moved.
            let newly: Vec<&PathBuf> = gone.iter().filter(|p| !away.contains(*p)).collect();
            for path in &newly {
                if places.folders.contains(path) {
                    let _ = debouncer.watcher().unwatch(path);
                }
                report_error(options, &root_gone(path, &places.cwd));
            }
            if !newly.is_empty() {
                ready(options, &places);
            }
            away.extend(gone);
            continue;
        }
        if !away.is_empty() {
            // Everything given is back: watch its folders afresh, then render every
            // case, as what changed while they were gone was not seen.
            for path in std::mem::take(&mut away) {
                if places.folders.contains(&path) {
                    let _ = debouncer.watcher().unwatch(&path);
                    if let Err(error) = debouncer.watcher().watch(&path, RecursiveMode::Recursive) {
                        warn(
                            options,
                            &format!("failed to watch {} ({error})", path.display()),
                        );
                    }
                }
                stamps.record(&path);
            }
            match &session {
                Some(session) => full_round(session, options),
                None => templates_broken(options),
            }
            ready(options, &places);
            continue;
        }
        let changes = places.sort(&changed);
        if changes.templates {
            // The rest of this save (the folder's own change, a file reported in
            // the next batch) is in this round: seen now, it starts no other.
            stamps.record(&places.templates);
            session = Session::new(options).ok();
            match &session {
                Some(session) => full_round(session, options),
                None => templates_broken(options),
            }
        } else if changes.cases.is_empty() {
            continue;
        } else if let Some(session) = &session {
            round(session, options, changes.cases);
        } else {
            // Rendered with the rest once the templates load again.
            continue;
        }
        ready(options, &places);
    }
    drop(debouncer);
    Outcome::Success
}

/// A round over every case given, as the first one.
fn full_round(session: &Session, options: &Options) {
    if let Ok(collected) = batch::preflight(options) {
        session.run(options, collected);
    }
}

/// A round over the case files that changed: those still there are rendered, and
/// those gone have their letters tidied away.
fn round(session: &Session, options: &Options, cases: BTreeSet<PathBuf>) {
    let present: Vec<PathBuf> = cases
        .iter()
        .filter(|p| std::fs::symlink_metadata(p).is_ok())
        .cloned()
        .collect();
    let collected = batch::collect(&present);
    let options = Options {
        paths: cases.into_iter().collect(),
        ..options.clone()
    };
    session.run(&options, collected);
}

/// Ctrl-C (and a termination signal) asks the loop to stop after its round, and
/// says so (for people); a second one ends the process at once, clearing the
/// temporary files of this process's writes it cuts short. Not every leftover of
/// the output folder: between rounds (or waiting for one) watch holds no lock, and
/// another run's writes under way look the same.
fn on_interrupt(wake: mpsc::Sender<Wake>, human: bool) -> Result<(), ctrlc::Error> {
    static ASKED: AtomicBool = AtomicBool::new(false);
    ctrlc::set_handler(move || {
        if ASKED.swap(true, Ordering::SeqCst) {
            crate::output::remove_own_temporaries();
            std::process::exit(130);
        }
        if human {
            let _ = writeln!(
                std::io::stderr().lock(),
                "stopping  after this round (Ctrl-C again to stop at once)"
            );
        }
        let _ = wake.send(Wake::Stop);
    })
}

/// Says that watch waits for the next change: after every round, so a script (or a
/// test) knows when a round is done.
fn ready(options: &Options, places: &Places) {
    let mut stdout = std::io::stdout().lock();
    let _ = match options.message_format {
        MessageFormat::Json => writeln!(stdout, "{}", serde_json::json!({"type": "watching"})),
        MessageFormat::Human if options.quiet => Ok(()),
        MessageFormat::Human => {
            let mut watched: Vec<String> = options
                .paths
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            let templates = crate::cli::tidy_path(&places.templates, Some(&places.cwd));
            watched.push(templates.display().to_string());
            writeln!(stdout, "watching  {} (Ctrl-C to stop)", watched.join(", "))
        }
    };
    let _ = stdout.flush();
}

/// The templates did not load (their errors are printed): no case is rendered
/// until they do.
fn templates_broken(options: &Options) {
    warn(
        options,
        "the templates have errors: cases are rendered again once they are fixed",
    );
}

fn warn(options: &Options, message: &str) {
    if options.message_format == MessageFormat::Human {
        crate::diag::eprint(&[Diagnostic::warning("watch", message)]);
    }
}

/// The error of a folder or case file given that went away.
fn root_gone(path: &Path, cwd: &Path) -> Diagnostic {
    let shown = crate::cli::tidy_path(path, Some(cwd));
    Diagnostic::error(
        "no-such-path",
        format!("{}: no such case file or folder", shown.display()),
    )
    .note("nothing is removed while it is gone; watching resumes when it is back")
}

fn cannot_start(options: &Options, message: &str) -> Outcome {
    report_error(options, &Diagnostic::error("watch-failed", message));
    Outcome::Failure
}

/// An error of watch itself, in the batch's format.
fn report_error(options: &Options, diagnostic: &Diagnostic) {
    match options.message_format {
        MessageFormat::Human => crate::diag::eprint(std::slice::from_ref(diagnostic)),
        MessageFormat::Json => {
            let value = serde_json::json!({
                "type": "diagnostic", "severity": "error", "code": diagnostic.code,
                "message": diagnostic.message,
            });
            let _ = writeln!(std::io::stdout().lock(), "{value}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_sorted_into_templates_and_case_files() {
        let places = Places {
            cwd: PathBuf::from("/w"),
            templates: PathBuf::from("/w/letter-templates"),
            folders: vec![PathBuf::from("/w/cases")],
            files: vec![PathBuf::from("/w/other/one.yaml")],
        };
        let rows: [(&[&str], bool, &[&str]); 5] = [
            (
                &["/w/cases/a.yaml", "/w/cases/b/c.yml"],
                false,
                &["cases/a.yaml", "cases/b/c.yml"],
            ),
            (
                &["/w/letter-templates/layout.typ", "/w/cases/a.yaml"],
                true,
                &["cases/a.yaml"],
            ),
            (
                &[
                    "/w/cases/.a.yaml.swp",
                    "/w/cases/a.yaml~",
                    "/w/cases/notes.txt",
                ],
                false,
                &[],
            ),
            (
                &["/w/other/one.yaml", "/w/other/two.yaml"],
                false,
                &["other/one.yaml"],
            ),
            (&["/w/output/IC-1/2020-01-01-decision.md"], false, &[]),
        ];
        for (paths, templates, cases) in rows {
            let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
            let expected = Changes {
                templates,
                cases: cases.iter().map(PathBuf::from).collect(),
            };
            assert_eq!(places.sort(&paths), expected, "{paths:?}");
        }
    }
}
