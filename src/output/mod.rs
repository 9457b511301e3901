//! Output: where each letter's files go, and writing them safely.
//!
//! `output/<reference folder>/<date>-<kind>.<ext>`. Every write is atomic (a
//! temporary file in the same folder, then a rename), so a failure or Ctrl-C leaves
//! each file either old or new, never truncated. A file whose bytes are unchanged is
//! not rewritten, so its timestamp and git's view of it stay put. No symlink under
//! the output folder is followed: a case can only ever write inside it.

pub mod diff;
pub mod eml;
pub mod lock;
pub mod manifest;

use std::fs;
use std::io::{self, Write as _};
use std::path::{Component, Path, PathBuf};

use chrono::NaiveDate;

use crate::case::{LetterKind, Reference};

/// The kinds of file written for a letter.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[strum(serialize_all = "lowercase")]
pub enum Format {
    /// The reviewable Markdown.
    Md,
    /// The typeset letter.
    Pdf,
    /// The email draft.
    Eml,
    /// The public copy's Markdown, withheld text replaced.
    #[strum(serialize = "public.md")]
    PublicMd,
    /// The public copy, typeset, proven to hold no withheld text.
    #[strum(serialize = "public.pdf")]
    PublicPdf,
    /// The public copy's redaction log: what was withheld, why and how often,
    /// with none of its text.
    #[strum(serialize = "public.log")]
    PublicLog,
}

impl Format {
    /// Every format, in the order they are written.
    pub const ALL: &'static [Format] = <Format as strum::VariantArray>::VARIANTS;

    /// The file extension: the format's key (`public.md` for a public copy's).
    pub fn extension(self) -> &'static str {
        self.into()
    }

    /// Whether it is a file of the letter's public copy.
    pub fn is_public(self) -> bool {
        matches!(
            self,
            Format::PublicMd | Format::PublicPdf | Format::PublicLog
        )
    }

    /// The format whose extension ends `file_name`, and the file name's stem
    /// without it (`2022-05-19-reprimand` of `2022-05-19-reprimand.public.md`).
    pub fn of_file_name(file_name: &str) -> Option<(Format, &str)> {
        // The longest extension first: `.public.md` before `.md`.
        let mut formats: Vec<Format> = Format::ALL.to_vec();
        formats.sort_by_key(|f| std::cmp::Reverse(f.extension().len()));
        formats.into_iter().find_map(|format| {
            let stem = file_name
                .strip_suffix(format.extension())?
                .strip_suffix('.')?;
            Some((format, stem))
        })
    }
}

/// The path of a letter's file, relative to the output folder.
pub fn relative_path(
    reference: &Reference,
    date: NaiveDate,
    kind: LetterKind,
    format: Format,
) -> PathBuf {
    PathBuf::from(reference.folder()).join(format!("{date}-{}.{}", kind.key(), format.extension()))
}

/// The stem of a letter's files relative to the output folder: `<folder>/<date>-<kind>`,
/// with `/` as the separator on every platform.
pub fn stem(reference: &Reference, date: NaiveDate, kind: LetterKind) -> String {
    format!("{}/{date}-{}", reference.folder(), kind.key())
}

/// What a write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WriteStatus {
    /// The file was created or its content replaced.
    Written,
    /// The file already had exactly these bytes.
    Unchanged,
}

/// Whether the file at `root/relative` already holds exactly `bytes`: never
/// through a symlink, to a folder on the way or at the file itself.
pub fn is_current(root: &Path, relative: &Path, bytes: &[u8]) -> bool {
    if through_link(root, relative) {
        return false;
    }
    let path = root.join(relative);
    match fs::symlink_metadata(&path) {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
            fs::read(&path).is_ok_and(|existing| existing == bytes)
        }
        _ => false,
    }
}

/// Whether `root/relative` would be reached through a symlink: a folder on the
/// way, or the file itself, being one. What lies behind a link under the output
/// folder is not the record, so it is neither read nor written.
pub fn through_link(root: &Path, relative: &Path) -> bool {
    let mut path = root.to_path_buf();
    relative.components().any(|component| {
        path.push(component);
        fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink())
    })
}

/// The symlinks in the output folder and in its letters' folders: each one makes
/// a run fail, as the letters behind it cannot be read or written as the record.
pub fn links_under(root: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(root)
        .min_depth(1)
        .max_depth(2)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.path_is_symlink())
        .map(walkdir::DirEntry::into_path)
        .collect()
}

/// Opens a file for reading only if it is a regular file: a FIFO is refused rather
/// than waited on, and with `follow_links` false a symlink is refused too.
pub fn open_regular(path: &Path, follow_links: bool) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        let no_follow = if follow_links { 0 } else { libc::O_NOFOLLOW };
        options.custom_flags(no_follow | libc::O_NONBLOCK);
    }
    let is_link = || fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !follow_links && !cfg!(unix) && is_link() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is a symlink",
        ));
    }
    let file = options.open(path).map_err(|error| {
        // O_NOFOLLOW reports a symlink as "too many levels of symbolic links".
        if !follow_links && is_link() {
            io::Error::new(io::ErrorKind::InvalidInput, "it is a symlink")
        } else {
            error
        }
    })?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is not a regular file",
        ));
    }
    Ok(file)
}

/// Makes a FIFO at `path`, for tests of what must never be waited on.
#[cfg(all(test, unix))]
pub(crate) fn mkfifo(path: &Path) -> io::Result<()> {
    let path = std::ffi::CString::new(path.as_os_str().as_encoded_bytes())?;
    // SAFETY: `path` is a valid NUL-terminated string.
    if unsafe { libc::mkfifo(path.as_ptr(), 0o600) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Writes `bytes` to standard output and flushes it: a command whose product is
/// what it prints (`schema`, `new`, `list`, `docket`, `explain`) fails when that
/// fails. A reader gone away (`list | head -1`) fails it too, but says nothing:
/// the error is given as `None`.
pub fn print(bytes: &[u8]) -> Result<(), Option<crate::diag::Diagnostic>> {
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(|error| {
            (error.kind() != io::ErrorKind::BrokenPipe).then(|| {
                crate::diag::Diagnostic::error(
                    "write-failed",
                    format!("failed to write to standard output ({error})"),
                )
            })
        })
}

/// [`print`], reporting its error on standard error; gives whether it printed.
pub fn print_or_report(bytes: &[u8]) -> bool {
    match print(bytes) {
        Ok(()) => true,
        Err(Some(diagnostic)) => {
            crate::diag::eprint(&[diagnostic]);
            false
        }
        Err(None) => false,
    }
}

/// The prefix and suffix of the temporary files writes go through.
const TEMPORARY: (&str, &str) = (".casewright-", ".tmp");

/// The temporary files this process is writing now, so that an interrupt can
/// clear its own and no other's: another run may be writing the same folder.
static OWN_TEMPORARIES: std::sync::Mutex<std::collections::BTreeSet<PathBuf>> =
    std::sync::Mutex::new(std::collections::BTreeSet::new());

fn own_temporaries() -> std::sync::MutexGuard<'static, std::collections::BTreeSet<PathBuf>> {
    OWN_TEMPORARIES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A temporary file of this process's, recorded for as long as it may exist.
struct Own(PathBuf);

impl Own {
    fn record(path: &Path) -> Own {
        own_temporaries().insert(path.to_path_buf());
        Own(path.to_path_buf())
    }
}

impl Drop for Own {
    fn drop(&mut self) {
        own_temporaries().remove(&self.0);
    }
}

/// Removes the temporary files of the writes this process has under way, and no
/// other file: for a process about to end in the middle of them (a second
/// Ctrl-C), which holds no lock that would make another run's its own.
pub fn remove_own_temporaries() {
    remove_all(&own_temporaries());
}

fn remove_all(paths: &std::collections::BTreeSet<PathBuf>) {
    for path in paths {
        let _ = fs::remove_file(path);
    }
}

/// Removes temporary files an interrupted run (Ctrl-C, a crash) left behind; the
/// files they were to replace are intact, old or new. Only for a run holding the
/// output folder's lock, as another run's writes under way look the same.
pub fn remove_leftovers(root: &Path) {
    let leftovers = walkdir::WalkDir::new(root)
        .max_depth(2)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            let name = e.file_name().to_string_lossy();
            name.starts_with(TEMPORARY.0) && name.ends_with(TEMPORARY.1)
        });
    for leftover in leftovers {
        let _ = fs::remove_file(leftover.path());
    }
}

/// Writes `bytes` to `root/relative` atomically, unless the file already holds them.
///
/// `relative` must be a plain relative path (no `..`, no root); folders are created
/// as needed, and a symlink on the way (or at the file itself) is an error.
pub fn write_atomic(root: &Path, relative: &Path, bytes: &[u8]) -> io::Result<WriteStatus> {
    if !is_plain(relative) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "refusing to write outside the output folder: {}",
                relative.display()
            ),
        ));
    }
    if is_current(root, relative, bytes) {
        return Ok(WriteStatus::Unchanged);
    }
    let mut dir = root.to_path_buf();
    let parent = relative.parent().unwrap_or(Path::new(""));
    fs::create_dir_all(&dir)?;
    for component in parent.components() {
        dir.push(component);
        match fs::symlink_metadata(&dir) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("refusing to follow the symlink {}", dir.display()),
                ));
            }
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("{} is a file, not a folder", dir.display()),
                ));
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => fs::create_dir(&dir)?,
            Err(error) => return Err(error),
        }
    }
    let path = root.join(relative);
    if let Ok(meta) = fs::symlink_metadata(&path) {
        if meta.file_type().is_symlink() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to replace the symlink {}", path.display()),
            ));
        }
        if !meta.is_file() {
            // A FIFO, a device, a socket or a folder: never replaced by a file.
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "refusing to replace {}, which is not a regular file",
                    path.display()
                ),
            ));
        }
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMPORARY.0).suffix(TEMPORARY.1);
    // A temporary file is private (0600) by default, and its mode survives the
    // rename; a letter is a new file like any other, readable as the umask allows
    // (0666 less the umask: 0644 or 0664 usually), so colleagues sharing the
    // output folder can read it. The kernel applies the umask to this mode.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut temporary = builder.tempfile_in(&dir)?;
    let _own = Own::record(temporary.path());
    temporary.write_all(bytes)?;
    temporary.flush()?;
    temporary.persist(&path).map_err(|e| e.error)?;
    Ok(WriteStatus::Written)
}

/// Writes `bytes` to a new file at `path`, atomically (a temporary file, then a
/// link that fails if the name is taken), creating its folders: an existing file
/// is never replaced, and is an `AlreadyExists` error with nothing written.
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if fs::symlink_metadata(path).is_ok() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} already exists", path.display()),
        ));
    }
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMPORARY.0).suffix(TEMPORARY.1);
    // Readable as the umask allows, as any new file (see `write_atomic`).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut temporary = builder.tempfile_in(dir)?;
    let _own = Own::record(temporary.path());
    temporary.write_all(bytes)?;
    temporary.flush()?;
    temporary.persist_noclobber(path).map_err(|e| e.error)?;
    Ok(())
}

/// Removes the files of a letter that no case produces any more, given by its stem
/// (`<folder>/<date>-<kind>`), and its folder once empty. Only regular files with a
/// letter's extensions are removed, never a path in `keep`, and never through a
/// symlink. Returns the paths removed, relative to `root`.
pub fn remove_letter(
    root: &Path,
    stem: &str,
    keep: &std::collections::BTreeSet<PathBuf>,
) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    let stem = Path::new(stem);
    let Some(folder) = stem
        .parent()
        .filter(|_| is_plain(stem) && stem.components().count() == 2)
    else {
        return removed;
    };
    if fs::symlink_metadata(root.join(folder)).is_ok_and(|m| m.file_type().is_symlink()) {
        return removed;
    }
    for format in Format::ALL {
        let relative = stem.with_added_extension(format.extension());
        let is_file = fs::symlink_metadata(root.join(&relative)).is_ok_and(|m| m.is_file());
        if is_file && !keep.contains(&relative) && fs::remove_file(root.join(&relative)).is_ok() {
            removed.push(relative);
        }
    }
    // Fails, as it should, unless the folder is now empty.
    let _ = fs::remove_dir(root.join(folder));
    removed
}

/// Whether a path is plain and relative: no root, no `.` or `..`, so it stays
/// inside whatever folder it is joined to.
fn is_plain(relative: &Path) -> bool {
    relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_then_leaves_unchanged_files_alone() -> io::Result<()> {
        let root = tempfile::tempdir()?;
        let relative = Path::new("INV-0864-2021/2022-05-19-reprimand.md");
        assert_eq!(
            write_atomic(root.path(), relative, b"one")?,
            WriteStatus::Written
        );
        assert_eq!(
            write_atomic(root.path(), relative, b"one")?,
            WriteStatus::Unchanged
        );
        assert_eq!(
            write_atomic(root.path(), relative, b"two")?,
            WriteStatus::Written
        );
        assert_eq!(fs::read(root.path().join(relative))?, b"two");
        let leftovers: Vec<_> = fs::read_dir(root.path().join("INV-0864-2021"))?
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "no temporary file is left behind");
        Ok(())
    }

    /// A written file has the mode any new file gets here (0666 less the umask),
    /// whatever the umask is: the same as a file `File::create` makes beside it.
    #[cfg(unix)]
    #[test]
    fn written_files_get_the_mode_of_a_new_file() -> io::Result<()> {
        use std::os::unix::fs::PermissionsExt as _;
        let root = tempfile::tempdir()?;
        fs::create_dir(root.path().join("IC-1"))?;
        let plain = root.path().join("IC-1/plain.txt");
        fs::File::create(&plain)?;
        let expected = fs::metadata(&plain)?.permissions().mode() & 0o777;
        for (relative, bytes) in [
            ("IC-1/2022-01-01-decision.md", &b"new"[..]),
            ("IC-1/2022-01-01-decision.md", &b"rewritten"[..]),
            ("IC-2/2022-01-01-decision.md", &b"in a new folder"[..]),
            ("casewright-manifest.txt", &b"at the top"[..]),
        ] {
            assert_eq!(
                write_atomic(root.path(), Path::new(relative), bytes)?,
                WriteStatus::Written
            );
            let mode = fs::metadata(root.path().join(relative))?
                .permissions()
                .mode()
                & 0o777;
            assert_eq!(
                mode, expected,
                "{relative}: {mode:o}, expected {expected:o}"
            );
        }
        Ok(())
    }

    #[test]
    fn an_interrupt_clears_only_this_process_s_own_temporary_files() -> io::Result<()> {
        let root = tempfile::tempdir()?;
        fs::create_dir(root.path().join("IC-1"))?;
        // Another run's write under way, in the same folder.
        let theirs = root.path().join("IC-1/.casewright-theirs.tmp");
        fs::write(&theirs, b"half")?;
        let mine = root.path().join("IC-1/.casewright-mine.tmp");
        fs::write(&mine, b"half")?;
        let own = Own::record(&mine);
        // What `remove_own_temporaries` clears, within this test's folder (other
        // tests write elsewhere at the same time).
        let recorded: std::collections::BTreeSet<PathBuf> = own_temporaries()
            .iter()
            .filter(|p| p.starts_with(root.path()))
            .cloned()
            .collect();
        assert_eq!(recorded.len(), 1);
        remove_all(&recorded);
        assert!(!mine.exists(), "this process's own is cleared");
        assert!(theirs.exists(), "another run's is left alone");
        drop(own);
        assert!(!own_temporaries().contains(&mine));
        write_atomic(root.path(), Path::new("IC-1/2020-01-01-decision.md"), b"x")?;
        assert!(
            own_temporaries()
                .iter()
                .all(|p| !p.starts_with(root.path())),
            "a finished write leaves nothing recorded"
        );
        Ok(())
    }

    #[test]
    fn leftovers_of_an_interrupted_run_are_removed() -> io::Result<()> {
        let root = tempfile::tempdir()?;
        fs::create_dir(root.path().join("IC-1"))?;
        fs::write(root.path().join("IC-1/.casewright-abc123.tmp"), b"half")?;
        fs::write(root.path().join("IC-1/2020-01-01-decision.md"), b"keep")?;
        remove_leftovers(root.path());
        assert!(!root.path().join("IC-1/.casewright-abc123.tmp").exists());
        assert!(root.path().join("IC-1/2020-01-01-decision.md").exists());
        Ok(())
    }

    #[test]
    fn refuses_paths_that_leave_the_folder() -> io::Result<()> {
        let root = tempfile::tempdir()?;
        for bad in ["../x.md", "/etc/x.md", "a/../../x.md"] {
            assert!(
                write_atomic(root.path(), Path::new(bad), b"x").is_err(),
                "{bad}"
            );
        }
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn never_follows_a_symlink() -> io::Result<()> {
        let root = tempfile::tempdir()?;
        let elsewhere = tempfile::tempdir()?;
        std::os::unix::fs::symlink(elsewhere.path(), root.path().join("IC-1"))?;
        assert!(write_atomic(root.path(), Path::new("IC-1/2022-01-01-decision.md"), b"x").is_err());
        assert_eq!(
            fs::read_dir(elsewhere.path())?.count(),
            0,
            "nothing written through the link"
        );
        fs::create_dir(root.path().join("IC-2"))?;
        let target = elsewhere.path().join("victim");
        fs::write(&target, b"keep")?;
        std::os::unix::fs::symlink(&target, root.path().join("IC-2/2022-01-01-decision.md"))?;
        assert!(write_atomic(root.path(), Path::new("IC-2/2022-01-01-decision.md"), b"x").is_err());
        assert_eq!(fs::read(&target)?, b"keep");
        Ok(())
    }

    #[test]
    fn removes_a_letter_no_case_produces_and_nothing_else() -> io::Result<()> {
        let root = tempfile::tempdir()?;
        let folder = root.path().join("IC-1");
        fs::create_dir(&folder)?;
        for name in [
            "2020-01-01-decision.md",
            "2020-01-01-decision.pdf",
            "notes.txt",
        ] {
            fs::write(folder.join(name), b"x")?;
        }
        fs::write(folder.join("2021-01-01-decision.md"), b"x")?;
        let keep = [PathBuf::from("IC-1/2021-01-01-decision.md")]
            .into_iter()
            .collect();
        let removed = remove_letter(root.path(), "IC-1/2020-01-01-decision", &keep);
        assert_eq!(
            removed,
            [
                Path::new("IC-1/2020-01-01-decision.md"),
                Path::new("IC-1/2020-01-01-decision.pdf")
            ]
        );
        assert!(folder.join("notes.txt").exists(), "only letter files go");
        let none = remove_letter(root.path(), "IC-1/2021-01-01-decision", &keep);
        assert!(none.is_empty(), "a path still produced stays");
        for bad in [
            "../IC-1/2020-01-01-decision",
            "/etc/passwd",
            "IC-1",
            "a/b/c",
        ] {
            assert!(remove_letter(root.path(), bad, &keep).is_empty(), "{bad}");
        }

        fs::remove_file(folder.join("notes.txt"))?;
        fs::remove_file(folder.join("2021-01-01-decision.md"))?;
        fs::write(folder.join("2022-01-01-reprimand.eml"), b"x")?;
        remove_letter(root.path(), "IC-1/2022-01-01-reprimand", &keep);
        assert!(!folder.exists(), "an emptied folder goes too");
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn never_removes_through_a_symlink() -> io::Result<()> {
        let root = tempfile::tempdir()?;
        let elsewhere = tempfile::tempdir()?;
        fs::write(elsewhere.path().join("2020-01-01-decision.md"), b"keep")?;
        std::os::unix::fs::symlink(elsewhere.path(), root.path().join("IC-1"))?;
        let keep = std::collections::BTreeSet::new();
        assert!(remove_letter(root.path(), "IC-1/2020-01-01-decision", &keep).is_empty());
        assert!(elsewhere.path().join("2020-01-01-decision.md").exists());
        Ok(())
    }

    #[test]
    fn names_files_by_reference_date_and_kind() -> Result<(), String> {
        let reference = Reference::parse("INV/0864/2021")?;
        let date = NaiveDate::from_ymd_opt(2022, 5, 19).ok_or("date")?;
        assert_eq!(
            relative_path(&reference, date, LetterKind::Reprimand, Format::Pdf),
            Path::new("INV-0864-2021/2022-05-19-reprimand.pdf")
        );
        Ok(())
    }
}
