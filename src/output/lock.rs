//! One run at a time in an output folder.
//!
//! Two runs writing one folder (two `--shard` jobs sharing a workspace, or an
//! editor's single-case render during a full one) would each write the manifest
//! from what they saw at their start, so the last one to finish would drop the
//! other's entries, and one run's clean-up of interrupted temporary files would
//! delete the other's files mid-write. So a render holds an exclusive advisory lock
//! on the output folder from before its clean-up until its manifest is written, and
//! `render --check` a shared one while it reads. The lock is the operating system's
//! (`flock` on the folder itself, so no lock file is left in `output/`); it goes
//! with the process, however the process ends.

use std::fs::File;
use std::io;
use std::path::Path;

/// Whether the run writes (exclusive) or only reads (shared) the folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// A render: nobody else may read or write meanwhile.
    Write,
    /// A check: others may check too, but no render may write meanwhile.
    Read,
}

/// A held lock on an output folder; released when dropped.
#[derive(Debug)]
pub struct FolderLock {
    _handle: File,
}

/// Why a folder could not be locked.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another run holds the lock and the caller would not wait.
    #[error("another casewright run is using {0}")]
    Busy(String),
    /// The folder could not be opened or locked.
    #[error("failed to lock {0} ({1})")]
    Io(String, io::Error),
}

/// Locks `folder` for `access`. When another run holds it, `waiting` is called once
/// and the lock is waited for, unless `wait` is false, which fails at once.
pub fn lock(
    folder: &Path,
    access: Access,
    wait: bool,
    waiting: impl FnOnce(),
) -> Result<FolderLock, LockError> {
    let shown = || folder.display().to_string();
    let handle = open(folder).map_err(|e| LockError::Io(shown(), e))?;
    let attempt = match access {
        Access::Write => handle.try_lock(),
        Access::Read => handle.try_lock_shared(),
    };
    match attempt {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) if !wait => return Err(LockError::Busy(shown())),
        Err(std::fs::TryLockError::WouldBlock) => {
            waiting();
            match access {
                Access::Write => handle.lock(),
                Access::Read => handle.lock_shared(),
            }
            .map_err(|e| LockError::Io(shown(), e))?;
        }
        Err(std::fs::TryLockError::Error(error)) => return Err(LockError::Io(shown(), error)),
    }
    Ok(FolderLock { _handle: handle })
}

/// A handle on the folder itself, which the lock is taken on.
#[cfg(unix)]
fn open(folder: &Path) -> io::Result<File> {
    File::open(folder)
}

/// Elsewhere a folder cannot be opened as a file: a lock file inside it stands in.
#[cfg(not(unix))]
fn open(folder: &Path) -> io::Result<File> {
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(folder.join(".casewright-lock"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_writer_excludes_everyone_and_readers_share() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let never = || panic!("not asked to wait");
        let first = lock(dir.path(), Access::Write, false, never).expect("free");
        for access in [Access::Write, Access::Read] {
            let busy = lock(dir.path(), access, false, never).expect_err("held");
            assert!(matches!(busy, LockError::Busy(_)), "{busy}");
            assert!(
                busy.to_string()
                    .starts_with("another casewright run is using")
            );
        }
        drop(first);
        let reader = lock(dir.path(), Access::Read, false, never).expect("free again");
        let other_reader = lock(dir.path(), Access::Read, false, never).expect("shared");
        assert!(lock(dir.path(), Access::Write, false, never).is_err());
        drop((reader, other_reader));
        assert!(lock(dir.path(), Access::Write, false, never).is_ok());
        Ok(())
    }

    #[test]
    fn a_waiting_run_is_told_and_gets_the_lock_once_it_is_free() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let held = lock(dir.path(), Access::Write, false, || {}).expect("free");
        let (told, heard) = std::sync::mpsc::channel();
        let path = dir.path().to_path_buf();
        let waiter = std::thread::spawn(move || {
            lock(&path, Access::Write, true, || told.send(()).expect("send")).is_ok()
        });
        // The waiter says it waits before it blocks; only then is the lock let go.
        heard.recv().expect("the waiter was told");
        drop(held);
        assert!(waiter.join().expect("joined"), "the waiter got the lock");
        Ok(())
    }

    #[test]
    fn a_missing_folder_is_an_error() {
        let error = lock(Path::new("/no/such/folder"), Access::Read, true, || {});
        assert!(matches!(error, Err(LockError::Io(..))));
    }
}
