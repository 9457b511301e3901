//! The manifest: which inputs each letter's files were made from, so that a letter
//! whose inputs have not changed is not rendered and typeset again.
//!
//! It is a small text file in the output folder, one sorted line per letter, so it
//! diffs cleanly in git:
//!
//! ```text
//! IC-73323-V4X7/2020-11-29-acknowledgement 3f2a…c1 eml:5120 md:1931 pdf:30211
//! ```
//!
//! The hash covers the casewright version, every file of the templates folder
//! (fonts included) and the bytes of the case file; the sizes let a deleted or
//! truncated output be noticed without reading it. A letter is skipped only when
//! its hash matches and every file it should have exists with its recorded size.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::Format;

/// The manifest's file name, inside the output folder.
pub const FILE_NAME: &str = "casewright-manifest.txt";

const HEADER: &str = "# casewright manifest: the inputs each letter was rendered from (delete to force a full render)\n";

/// One letter's entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Hash of everything the letter is made from.
    pub inputs: String,
    /// The size of each file written.
    pub sizes: BTreeMap<Format, u64>,
}

/// Letters by their output stem (`<folder>/<date>-<kind>`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// The entries, sorted by stem.
    pub entries: BTreeMap<String, Entry>,
}

impl Manifest {
    /// Reads the manifest of an output folder; a missing or unreadable one is empty
    /// (everything is rendered), never an error.
    pub fn read(out: &Path) -> Manifest {
        let text = std::fs::read_to_string(out.join(FILE_NAME)).unwrap_or_default();
        Manifest::parse(&text)
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
            for word in words {
                let Some((extension, size)) = word.split_once(':') else {
                    continue;
                };
                let Some(format) = Format::ALL.into_iter().find(|f| f.extension() == extension)
                else {
                    continue;
                };
                if let Ok(size) = size.parse() {
                    sizes.insert(format, size);
                }
            }
            entries.insert(
                stem.to_owned(),
                Entry {
                    inputs: inputs.to_owned(),
                    sizes,
                },
            );
        }
        Manifest { entries }
    }

    /// The manifest as text: a header line, then one sorted line per letter.
    pub fn to_text(&self) -> String {
        let mut text = String::from(HEADER);
        for (stem, entry) in &self.entries {
            let _ = write!(text, "{stem} {}", entry.inputs);
            for (format, size) in &entry.sizes {
                let _ = write!(text, " {}:{size}", format.extension());
            }
            text.push('\n');
        }
        text
    }

    /// Whether a letter's files are current: same inputs, and each wanted file on
    /// disk with the recorded size.
    pub fn is_current(&self, out: &Path, stem: &str, inputs: &str, formats: &[Format]) -> bool {
        let Some(entry) = self.entries.get(stem) else {
            return false;
        };
        entry.inputs == inputs
            && formats.iter().all(|format| {
                entry.sizes.get(format).is_some_and(|&size| {
                    let path = out.join(format!("{stem}.{}", format.extension()));
                    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == size)
                })
            })
    }
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
            manifest.entries.insert(
                stem.into(),
                Entry {
                    inputs: inputs.into(),
                    sizes,
                },
            );
        }
        let text = manifest.to_text();
        assert_eq!(
            text.lines().skip(1).collect::<Vec<_>>(),
            [
                "A/2020-01-01-decision aa md:10 pdf:2000",
                "B/2020-01-01-decision bb md:10 pdf:2000"
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
        manifest.entries.insert(
            "A/x".into(),
            Entry {
                inputs: "aa".into(),
                sizes,
            },
        );
        assert!(manifest.is_current(out.path(), "A/x", "aa", &[Format::Md]));
        assert!(!manifest.is_current(out.path(), "A/x", "bb", &[Format::Md]));
        assert!(!manifest.is_current(out.path(), "A/x", "aa", &[Format::Md, Format::Pdf]));
        std::fs::write(out.path().join("A/x.md"), "123")?;
        assert!(!manifest.is_current(out.path(), "A/x", "aa", &[Format::Md]));
        Ok(())
    }
}
