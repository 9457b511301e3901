//! The manifest: which inputs each letter's files were made from, so that a letter
//! whose inputs have not changed is not rendered and typeset again.
//!
//! It is a small text file in the output folder, one sorted line per letter, so it
//! diffs cleanly in git:
//!
//! ```text
//! IC-73323-V4X7/2020-11-29-acknowledgement 3f2a…c1 eml:5120:9b1e…70 md:1931:04c2…d5 pdf:30211:77aa…e1 case:cases/IC-73323-V4X7.yaml
//! ```
//!
//! The hash covers the casewright version, every file of the templates folder
//! (fonts included) and the bytes of the case file; the sizes let a deleted or
//! truncated output be noticed without reading it, and each file's own hash
//! (after its size) a hand edit that kept the size: a file modified since the
//! manifest was written is read and hashed. A letter is skipped only when its
//! hash matches and every file it should have exists with its recorded size and,
//! if modified since, its recorded hash.
//! The case file that produced the letter is recorded too: a render removes a
//! letter no case produces any more only if that case was among those rendered,
//! and two case files writing the same folder are told apart.
//!
//! The manifest is opened without following a symlink, must be a regular file and
//! at most [`MAX_BYTES`] long: as `output/` is committed, a manifest replaced by a
//! link to `/dev/zero` or by a FIFO must not hang or exhaust a CI run.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Read as _};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::Format;

/// The manifest's file name, inside the output folder.
pub const FILE_NAME: &str = "casewright-manifest.txt";

/// The largest manifest read: about 150 bytes a letter, so room for a few hundred
/// thousand letters.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

const HEADER: &str = "# casewright manifest: the inputs each letter was rendered from (delete to force a full render)\n";

/// One letter's entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Hash of everything the letter is made from.
    pub inputs: String,
    /// The size of each file written.
    pub sizes: BTreeMap<Format, u64>,
    /// The hash of each file written ([`file_hash`]); missing in entries written
    /// before casewright recorded it, whose files are then rendered again once
    /// modified.
    pub hashes: BTreeMap<Format, String>,
    /// The case file it was rendered from, as a path with `/` separators; `None` in
    /// entries written before casewright recorded it.
    pub case: Option<String>,
}

/// Letters by their output stem (`<folder>/<date>-<kind>`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// The entries, sorted by stem.
    pub entries: BTreeMap<String, Entry>,
    /// When the manifest file was last modified, as read: a letter file modified
    /// since then (or at the same moment) is hashed before it is taken as
    /// current. `None` for a manifest not read from disk: every file is hashed.
    pub modified: Option<std::time::SystemTime>,
}

impl Manifest {
    /// Reads the manifest of an output folder. A missing one is empty (everything is
    /// rendered); one that is not a regular file, is larger than [`MAX_BYTES`] or
    /// cannot be read is an error, as it would otherwise be silently rewritten.
    pub fn read(out: &Path) -> io::Result<Manifest> {
        let path = out.join(FILE_NAME);
        let mut file = match super::open_regular(&path, false) {
            Ok(file) => file,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                return Ok(Manifest::default());
            }
            Err(error) => return Err(error),
        };
        let mut bytes = Vec::new();
        file.by_ref().take(MAX_BYTES + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > MAX_BYTES {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("it is larger than {} MiB", MAX_BYTES / (1024 * 1024)),
            ));
        }
        // A manifest is ASCII but for case paths; anything else is not a manifest.
        let text = String::from_utf8(bytes)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "it is not UTF-8 text"))?;
        let mut manifest = Manifest::parse(&text);
        manifest.modified = file.metadata().and_then(|m| m.modified()).ok();
        Ok(manifest)
    }

    /// Parses manifest text, skipping lines it does not understand.
    pub fn parse(text: &str) -> Manifest {
        let mut entries = BTreeMap::new();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let mut words = line.split_whitespace();
            let (Some(stem), Some(inputs)) = (words.next(), words.next()) else {
                continue;
            };
            let mut sizes = BTreeMap::new();
            let mut hashes = BTreeMap::new();
            let mut case = None;
            for word in words {
                let Some((extension, size)) = word.split_once(':') else {
                    continue;
                };
                if extension == "case" {
                    case = Some(decode(size));
                    continue;
                }
                let Some(&format) = Format::ALL.iter().find(|f| f.extension() == extension) else {
                    continue;
                };
                let (size, hash) = match size.split_once(':') {
                    Some((size, hash)) => (size, Some(hash)),
                    None => (size, None),
                };
                if let Ok(size) = size.parse() {
                    sizes.insert(format, size);
                    if let Some(hash) = hash {
                        hashes.insert(format, hash.to_owned());
                    }
                }
            }
            entries.insert(
                stem.to_owned(),
                Entry {
                    inputs: inputs.to_owned(),
                    sizes,
                    hashes,
                    case,
                },
            );
        }
        Manifest {
            entries,
            modified: None,
        }
    }

    /// The manifest as text: a header line, then one sorted line per letter.
    pub fn to_text(&self) -> String {
        let mut text = String::from(HEADER);
        for (stem, entry) in &self.entries {
            let _ = write!(text, "{stem} {}", entry.inputs);
            for (format, size) in &entry.sizes {
                let _ = write!(text, " {}:{size}", format.extension());
                if let Some(hash) = entry.hashes.get(format) {
                    let _ = write!(text, ":{hash}");
                }
            }
            if let Some(case) = &entry.case {
                let _ = write!(text, " case:{}", encode(case));
            }
            text.push('\n');
        }
        text
    }

    /// Whether a letter's files are current: same inputs, and each wanted file on
    /// disk (not through a symlink) with the recorded size, and with the recorded
    /// hash if it was modified since the manifest was written.
    pub fn is_current(&self, out: &Path, stem: &str, inputs: &str, formats: &[Format]) -> bool {
        let Some(entry) = self.entries.get(stem) else {
            return false;
        };
        entry.inputs == inputs
            && formats.iter().all(|&format| {
                let relative = format!("{stem}.{}", format.extension());
                !super::through_link(out, Path::new(&relative))
                    && self.file_is_current(entry, format, &out.join(&relative))
            })
    }

    fn file_is_current(&self, entry: &Entry, format: Format, path: &Path) -> bool {
        let Some(&size) = entry.sizes.get(&format) else {
            return false;
        };
        let Ok(metadata) = std::fs::symlink_metadata(path) else {
            return false;
        };
        if !metadata.is_file() || metadata.len() != size {
            return false;
        }
        let untouched = match (self.modified, metadata.modified()) {
            (Some(manifest), Ok(file)) => file < manifest,
            _ => false,
        };
        untouched
            || entry.hashes.get(&format).is_some_and(|hash| {
                super::open_regular(path, false)
                    .and_then(|mut file| {
                        let mut bytes = Vec::new();
                        file.read_to_end(&mut bytes).map(|_| bytes)
                    })
                    .is_ok_and(|bytes| file_hash(&bytes) == *hash)
            })
    }
}

/// A case path as one word of a manifest line: `%`, spaces and control characters
/// percent-encoded, everything else as it is.
fn encode(path: &str) -> String {
    let mut word = String::with_capacity(path.len());
    for c in path.chars() {
        if c == '%' || c.is_whitespace() || c.is_control() {
            let mut buffer = [0u8; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                let _ = write!(word, "%{byte:02X}");
            }
        } else {
            word.push(c);
        }
    }
    word
}

/// The inverse of [`encode`]; a malformed escape is kept as it is.
fn decode(word: &str) -> String {
    let bytes = word.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| word.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                i += 3;
            }
            None => {
                decoded.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// A fingerprint of everything in the templates folder and the program itself.
pub fn fingerprint(templates: &Path) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    for entry in walkdir::WalkDir::new(templates).sort_by_file_name() {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(templates).unwrap_or(entry.path());
            // With `/` on every platform, so the manifest is the same on any machine.
            let relative: Vec<_> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect();
            hasher.update(relative.join("/").as_bytes());
            hasher.update([0]);
            hasher.update(std::fs::read(entry.path())?);
            hasher.update([0]);
        }
    }
    Ok(hex(&hasher.finalize()))
}

/// The hash a letter file is recorded with: 64 bits of its SHA-256, enough to
/// tell a hand edit from the file casewright wrote.
pub fn file_hash(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes)[..8])
}

/// The input hash of a letter: the templates' fingerprint, the case file, and the
/// letter's place in it.
pub fn letter_inputs(fingerprint: &str, case_bytes: &[u8], stem: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(fingerprint.as_bytes());
    hasher.update([0]);
    hasher.update(case_bytes);
    hasher.update([0]);
    hasher.update(stem.as_bytes());
    hex(&hasher.finalize()[..16])
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_sorts() {
        let mut manifest = Manifest::default();
        for (stem, inputs) in [
            ("B/2020-01-01-decision", "bb"),
            ("A/2020-01-01-decision", "aa"),
        ] {
            let sizes = [(Format::Md, 10), (Format::Pdf, 2000)]
                .into_iter()
                .collect();
            let hashes = [(Format::Md, "0123456789abcdef".to_owned())]
                .into_iter()
                .collect();
            manifest.entries.insert(
                stem.into(),
                Entry {
                    inputs: inputs.into(),
                    sizes,
                    hashes,
                    case: Some(format!("cases/{stem} 100%.yaml")),
                },
            );
        }
        let text = manifest.to_text();
        assert_eq!(
            text.lines().skip(1).collect::<Vec<_>>(),
            [
                "A/2020-01-01-decision aa md:10:0123456789abcdef pdf:2000 case:cases/A/2020-01-01-decision%20100%25.yaml",
                "B/2020-01-01-decision bb md:10:0123456789abcdef pdf:2000 case:cases/B/2020-01-01-decision%20100%25.yaml"
            ]
        );
        assert_eq!(Manifest::parse(&text), manifest);
    }

    #[test]
    fn the_fingerprint_follows_every_template_file_and_its_name() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        std::fs::create_dir(dir.path().join("partials"))?;
        std::fs::write(dir.path().join("partials/head.md.tera"), "head")?;
        std::fs::write(dir.path().join("layout.typ"), "layout")?;
        let first = fingerprint(dir.path())?;
        assert_eq!(first.len(), 64);
        assert_eq!(fingerprint(dir.path())?, first, "stable");
        std::fs::write(dir.path().join("layout.typ"), "layout!")?;
        let edited = fingerprint(dir.path())?;
        assert_ne!(edited, first, "a file's content counts");
        std::fs::rename(
            dir.path().join("partials/head.md.tera"),
            dir.path().join("partials/top.md.tera"),
        )?;
        assert_ne!(fingerprint(dir.path())?, edited, "a file's name counts");
        Ok(())
    }

    #[test]
    fn case_paths_survive_any_character() {
        for path in [
            "cases/a.yaml",
            "cases/with space/b c.yaml",
            "cases/100%/x.yaml",
            "cases/tab\there/é.yaml",
            "cases/%zz.yaml",
            "cases/line\nbreak.yaml",
        ] {
            let word = encode(path);
            assert!(!word.contains(char::is_whitespace), "{word}");
            assert_eq!(decode(&word), path, "{word}");
        }
        assert_eq!(decode("a%2"), "a%2", "a cut escape is kept");
    }

    #[test]
    fn a_missing_manifest_is_empty_and_a_real_one_is_read() -> io::Result<()> {
        let out = tempfile::tempdir()?;
        assert_eq!(Manifest::read(out.path())?, Manifest::default());
        std::fs::write(
            out.path().join(FILE_NAME),
            "# h\nA/x aa md:5 case:cases/a.yaml\n",
        )?;
        let manifest = Manifest::read(out.path())?;
        assert_eq!(
            manifest.entries["A/x"].case.as_deref(),
            Some("cases/a.yaml")
        );
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn a_manifest_that_is_no_regular_file_is_refused_at_once() -> io::Result<()> {
        let out = tempfile::tempdir()?;
        let path = out.path().join(FILE_NAME);
        std::os::unix::fs::symlink("/dev/zero", &path)?;
        let error = Manifest::read(out.path()).expect_err("a symlink");
        assert!(error.to_string().contains("symlink"), "{error}");
        std::fs::remove_file(&path)?;

        crate::output::mkfifo(&path)?;
        let error = Manifest::read(out.path()).expect_err("a FIFO");
        assert!(error.to_string().contains("not a regular file"), "{error}");
        std::fs::remove_file(&path)?;

        std::fs::create_dir(&path)?;
        assert!(Manifest::read(out.path()).is_err(), "a folder");
        std::fs::remove_dir(&path)?;

        let file = std::fs::File::create(&path)?;
        file.set_len(MAX_BYTES + 1)?;
        let error = Manifest::read(out.path()).expect_err("too large");
        assert!(error.to_string().contains("larger than"), "{error}");
        Ok(())
    }

    #[test]
    fn garbage_lines_are_skipped() {
        let manifest = Manifest::parse("# header\nonly-one-word\nA/x aa md:zz pdf:12 docx:1\n");
        assert_eq!(manifest.entries.len(), 1);
        assert_eq!(manifest.entries["A/x"].sizes.len(), 1);
    }

    #[test]
    fn current_only_with_same_inputs_and_files_of_recorded_size() -> std::io::Result<()> {
        let out = tempfile::tempdir()?;
        std::fs::create_dir(out.path().join("A"))?;
        std::fs::write(out.path().join("A/x.md"), "12345")?;
        let mut manifest = Manifest::default();
        let sizes = [(Format::Md, 5)].into_iter().collect();
        let hashes = [(Format::Md, file_hash(b"12345"))].into_iter().collect();
        manifest.entries.insert(
            "A/x".into(),
            Entry {
                inputs: "aa".into(),
                sizes,
                hashes,
                case: None,
            },
        );
        assert!(manifest.is_current(out.path(), "A/x", "aa", &[Format::Md]));
        assert!(!manifest.is_current(out.path(), "A/x", "bb", &[Format::Md]));
        assert!(!manifest.is_current(out.path(), "A/x", "aa", &[Format::Md, Format::Pdf]));
        std::fs::write(out.path().join("A/x.md"), "54321")?;
        assert!(
            !manifest.is_current(out.path(), "A/x", "aa", &[Format::Md]),
            "a hand edit of the same size"
        );
        std::fs::write(out.path().join("A/x.md"), "123")?;
        assert!(!manifest.is_current(out.path(), "A/x", "aa", &[Format::Md]));
        Ok(())
    }

    #[test]
    fn a_file_modified_since_the_manifest_is_hashed_and_no_other() -> std::io::Result<()> {
        let out = tempfile::tempdir()?;
        std::fs::create_dir(out.path().join("A"))?;
        std::fs::write(out.path().join("A/x.md"), "12345")?;
        let entry = Entry {
            inputs: "aa".into(),
            sizes: [(Format::Md, 5)].into_iter().collect(),
            hashes: [(Format::Md, file_hash(b"12345"))].into_iter().collect(),
            case: None,
        };
        let mut manifest = Manifest::default();
        manifest.entries.insert("A/x".into(), entry);
        super::super::write_atomic(
            out.path(),
            Path::new(FILE_NAME),
            manifest.to_text().as_bytes(),
        )?;
        let read = Manifest::read(out.path())?;
        assert!(read.modified.is_some());
        assert!(read.is_current(out.path(), "A/x", "aa", &[Format::Md]));

        // Edited after the manifest was written, keeping its size.
        std::fs::write(out.path().join("A/x.md"), "54321")?;
        let edited = std::fs::File::options()
            .write(true)
            .open(out.path().join("A/x.md"))?;
        let later = read.modified.map(|m| m + std::time::Duration::from_secs(1));
        if let Some(later) = later {
            edited.set_modified(later)?;
        }
        assert!(!read.is_current(out.path(), "A/x", "aa", &[Format::Md]));

        // Restored by hand: the same bytes, however recent, are current again.
        std::fs::write(out.path().join("A/x.md"), "12345")?;
        assert!(read.is_current(out.path(), "A/x", "aa", &[Format::Md]));

        // With no hash recorded (an older manifest), a modified file is not current.
        let mut old = read.clone();
        if let Some(entry) = old.entries.get_mut("A/x") {
            entry.hashes.clear();
        }
        assert!(!old.is_current(out.path(), "A/x", "aa", &[Format::Md]));
        Ok(())
    }

    #[test]
    fn the_manifest_name_is_one_no_reference_may_take() {
        assert!(FILE_NAME.starts_with(crate::case::OWN_NAME_PREFIX));
    }
}
