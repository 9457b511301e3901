//! Finding the case files of a batch, and what the batch answers for.
//!
//! A folder is searched recursively for `*.yaml` and `*.yml`. A symlink to a case
//! file is followed only when the file it points to lies inside the folder given:
//! anything else (a link out of the folder, a link to a folder whatever its name,
//! a broken link, a FIFO or device with a case file's name) is a located error,
//! never skipped without a word, so a case that could not be read never looks
//! deleted: the paths refused, folders included, keep every letter recorded for a
//! case file at or under them.

use std::collections::BTreeSet;
use std::io::Read as _;
use std::path::{Component, Path, PathBuf};

use super::Shard;
use crate::diag::{Diagnostic, Source};

/// The case files of a batch.
#[derive(Debug, Default)]
pub struct Collected {
    /// Case files to work on, sorted.
    pub files: Vec<PathBuf>,
    /// Paths given that do not exist: the command cannot run as asked.
    pub missing: Vec<Diagnostic>,
    /// Files found but refused (links out of the folder, FIFOs, unreadable folders):
    /// the batch goes on without them, and fails.
    pub refused: Vec<Diagnostic>,
    /// The paths refused: as cases that could not be read, they keep their letters.
    pub refused_paths: Vec<PathBuf>,
}

impl Collected {
    fn refuse(&mut self, path: &Path, why: &str, note: Option<&str>) {
        let name = path.display().to_string();
        let mut diagnostic =
            Diagnostic::error("unreadable-case", why).in_file(&Source::new(name.as_str(), ""));
        if let Some(note) = note {
            diagnostic = diagnostic.note(note);
        }
        self.refused.push(diagnostic);
        self.refused_paths.push(path.to_path_buf());
    }
}

/// Every case file under the given paths.
pub fn collect(paths: &[PathBuf]) -> Collected {
    let mut files = BTreeSet::new();
    let mut collected = Collected::default();
    for path in paths {
        let Ok(metadata) = std::fs::metadata(path) else {
            collected.missing.push(Diagnostic::error(
                "no-such-path",
                format!("{}: no such case file or folder", path.display()),
            ));
            continue;
        };
        if metadata.is_file() {
            files.insert(path.clone());
        } else if metadata.is_dir() {
            walk(path, &mut files, &mut collected);
        } else {
            collected.refuse(path, "not a regular file", None);
        }
    }
    collected.files = files.into_iter().collect();
    collected
}

fn walk(root: &Path, files: &mut BTreeSet<PathBuf>, collected: &mut Collected) {
    let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let at = error.path().unwrap_or(root).to_path_buf();
                collected.refuse(&at, &format!("cannot be read ({error})"), None);
                continue;
            }
        };
        let file_type = entry.file_type();
        let path = entry.path();
        if file_type.is_symlink() && std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
            // Whatever its name: the case files in it would look deleted.
            collected.refuse(
                path,
                "a symlink to a folder, which is not followed",
                Some("move the folder itself here, or name it on the command line"),
            );
            continue;
        }
        if file_type.is_dir() || !is_case_name(path) {
            continue;
        }
        if file_type.is_file() {
            files.insert(entry.into_path());
        } else if file_type.is_symlink() {
            match std::fs::metadata(path) {
                Ok(target) if target.is_file() => {
                    let inside = std::fs::canonicalize(path)
                        .is_ok_and(|real| real.starts_with(&canonical_root));
                    if inside {
                        files.insert(entry.into_path());
                    } else {
                        let why = format!(
                            "a symlink to a file outside {}, which is not followed",
                            root.display()
                        );
                        collected.refuse(path, &why, Some("links are followed only to case files inside the folder given; move the case inside it, or name the file itself"));
                    }
                }
                Ok(_) => collected.refuse(
                    path,
                    "a symlink to something other than a file, which is not followed",
                    None,
                ),
                Err(error) => {
                    collected.refuse(path, &format!("a broken symlink ({error})"), None);
                }
            }
        } else {
            collected.refuse(path, "not a regular file", None);
        }
    }
}

/// Whether a file is named like a case file (`*.yaml` or `*.yml`).
pub fn is_case_name(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "yaml" || e == "yml")
}

/// Reads a case file: a regular file (a FIFO is refused, not waited on) of at most
/// [`crate::case::MAX_CASE_BYTES`].
pub fn read_case(file: &Path) -> Result<Vec<u8>, Diagnostic> {
    let name = file.display().to_string();
    let failed = |why: String| {
        Diagnostic::error(
            "read-failed",
            format!("failed to read the case file ({why})"),
        )
        .in_file(&Source::new(name.as_str(), ""))
    };
    let handle = crate::output::open_regular(file, true).map_err(|e| failed(e.to_string()))?;
    let limit = crate::case::MAX_CASE_BYTES as u64;
    let mut bytes = Vec::new();
    handle
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| failed(e.to_string()))?;
    if bytes.len() as u64 > limit {
        return Err(Diagnostic::error(
            "too-large",
            format!("the case file is more than the {limit} bytes a case file may have"),
        )
        .in_file(&Source::new(name.as_str(), "")));
    }
    Ok(bytes)
}

/// A path written lexically clean, with `/` between its parts: `./cases//a.yaml` is
/// `cases/a.yaml`. The manifest records case files this way, so the same file is
/// named the same on every machine and however the user spelt it.
pub fn path_key(path: &Path) -> String {
    let mut parts = Vec::new();
    let mut absolute = false;
    for component in path.components() {
        match component {
            Component::RootDir | Component::Prefix(_) => absolute = true,
            Component::CurDir => {}
            Component::ParentDir => parts.push("..".to_owned()),
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// The case files a batch answers for: those under the folders given, the files
/// given, and (with `--shard`) only those of the shard. A render tidies away only
/// letters of cases in its scope, and `--check` reports only those as orphaned.
#[derive(Debug, Clone)]
pub struct Scope {
    folders: Vec<String>,
    files: BTreeSet<String>,
    shard: Option<Shard>,
}

impl Scope {
    /// The scope of a batch over `paths` (as given), perhaps sharded.
    pub fn new(paths: &[PathBuf], shard: Option<Shard>) -> Scope {
        let mut folders = Vec::new();
        let mut files = BTreeSet::new();
        for path in paths {
            if path.is_dir() {
                folders.push(path_key(path));
            } else {
                files.insert(path_key(path));
            }
        }
        Scope {
            folders,
            files,
            shard,
        }
    }

    /// Whether the case file `case` (a [`path_key`]) is one this batch answers for,
    /// whether or not it still exists.
    pub fn covers(&self, case: &str) -> bool {
        let named = self.files.contains(case)
            || self.folders.iter().any(|folder| match folder.as_str() {
                // `.`: every relative path.
                "" => !case.starts_with('/'),
                folder => case
                    .strip_prefix(folder)
                    .is_some_and(|rest| rest.starts_with('/')),
            });
        named
            && self
                .shard
                .is_none_or(|shard| in_shard(Path::new(case), shard))
    }

    /// Whether the batch covers whole folders, unsharded: the only scope in which a
    /// letter file with no record of its case can be called an orphan.
    pub fn is_whole(&self) -> bool {
        self.files.is_empty() && self.shard.is_none()
    }
}

/// Whether a case file belongs to a shard: by a hash of its path, so the split is
/// stable across runs and machines and does not move when other cases are added.
pub fn in_shard(file: &Path, shard: Shard) -> bool {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(path_key(file).as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first) % u64::from(shard.count) == u64::from(shard.index - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_keys_are_clean_and_use_slashes() {
        for (path, key) in [
            ("cases/a.yaml", "cases/a.yaml"),
            ("./cases/a.yaml", "cases/a.yaml"),
            ("cases//sub/./a.yaml", "cases/sub/a.yaml"),
            ("cases/", "cases"),
            (".", ""),
            ("/abs/cases/a.yaml", "/abs/cases/a.yaml"),
            ("../elsewhere/a.yaml", "../elsewhere/a.yaml"),
        ] {
            assert_eq!(path_key(Path::new(path)), key, "{path}");
        }
    }

    #[test]
    fn a_scope_covers_its_folders_files_and_shard_only() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let base = dir.path();
        std::fs::create_dir_all(base.join("cases/scotland"))?;
        std::fs::write(base.join("cases/a.yaml"), "")?;
        let folder = Scope::new(&[base.join("cases/scotland")], None);
        let key = |p: &str| path_key(&base.join(p));
        assert!(folder.covers(&key("cases/scotland/x.yaml")));
        assert!(folder.covers(&key("cases/scotland/deep/x.yaml")));
        assert!(!folder.covers(&key("cases/a.yaml")));
        assert!(
            !folder.covers(&key("cases/scotland-2/x.yaml")),
            "a prefix is not a folder"
        );
        assert!(folder.is_whole());

        let file = Scope::new(&[base.join("cases/a.yaml")], None);
        assert!(file.covers(&key("cases/a.yaml")));
        assert!(!file.covers(&key("cases/b.yaml")));
        assert!(!file.is_whole());

        let here = Scope::new(&[PathBuf::from(".")], None);
        assert!(here.covers("cases/a.yaml"));
        assert!(!here.covers("/elsewhere/a.yaml"));

        let shards: Vec<Scope> = (1..=3)
            .map(|index| Scope::new(&[base.join("cases")], Some(Shard { index, count: 3 })))
            .collect();
        for n in 0..30 {
            let case = key(&format!("cases/c{n}.yaml"));
            let owners = shards.iter().filter(|s| s.covers(&case)).count();
            assert_eq!(owners, 1, "each case is in exactly one shard: {case}");
        }
        assert!(!shards[0].is_whole());
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_followed_inside_the_folder_and_refused_otherwise() -> std::io::Result<()> {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir()?;
        let cases = dir.path().join("cases");
        std::fs::create_dir_all(cases.join("real"))?;
        std::fs::write(cases.join("real/a.yaml"), "x")?;
        std::fs::write(dir.path().join("outside.yaml"), "x")?;
        symlink(cases.join("real/a.yaml"), cases.join("inside-link.yaml"))?;
        symlink(
            dir.path().join("outside.yaml"),
            cases.join("outside-link.yaml"),
        )?;
        symlink(cases.join("real"), cases.join("folder-link.yaml"))?;
        symlink(cases.join("real"), cases.join("scotland"))?;
        symlink(cases.join("gone.yaml"), cases.join("broken.yaml"))?;
        symlink(cases.join("real/a.yaml"), cases.join("not-a-case"))?;
        crate::output::mkfifo(&cases.join("pipe.yaml"))?;

        let collected = collect(std::slice::from_ref(&cases));
        let names: Vec<String> = collected
            .files
            .iter()
            .map(|f| path_key(f.strip_prefix(&cases).expect("inside")))
            .collect();
        assert_eq!(names, ["inside-link.yaml", "real/a.yaml"]);
        assert!(collected.missing.is_empty());
        let refused: Vec<String> = collected
            .refused
            .iter()
            .map(|d| d.message.clone())
            .collect();
        assert_eq!(refused.len(), 5, "{refused:#?}");
        for (name, why) in [
            ("broken.yaml", "a broken symlink"),
            ("folder-link.yaml", "a symlink to a folder"),
            ("scotland", "a symlink to a folder"),
            ("outside-link.yaml", "a symlink to a file outside"),
            ("pipe.yaml", "not a regular file"),
        ] {
            let found = collected.refused.iter().any(|d| {
                d.location()
                    .is_some_and(|(file, _, _)| file.ends_with(name))
                    && d.message.starts_with(why)
            });
            assert!(found, "{name}: {refused:#?}");
        }
        assert_eq!(collected.refused_paths.len(), 5);
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn reading_a_fifo_or_an_oversized_case_fails_at_once() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let pipe = dir.path().join("pipe.yaml");
        crate::output::mkfifo(&pipe)?;
        let error = read_case(&pipe).expect_err("a FIFO");
        assert!(
            error.message.contains("not a regular file"),
            "{}",
            error.message
        );

        let big = dir.path().join("big.yaml");
        std::fs::write(&big, vec![b'#'; crate::case::MAX_CASE_BYTES + 1])?;
        assert_eq!(read_case(&big).expect_err("too big").code, "too-large");
        Ok(())
    }
}
