//! Shared helpers: the repository's folders, running the built binary, temp dirs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use casewright::Engine;
use casewright::case::{Case, Letter};

/// A minimal valid case: one acknowledgement, reference `IC-1-TEST`.
pub const ACK: &str = "\
reference: IC-1-TEST
controller:
  name: Example Ltd
  email: dpo@example.org
officer: { name: Sam Reed, title: Case Officer }
breach:
  occurred: 2023-01-02
  discovered: 2023-01-03T09:00
  reported: 2023-01-04T09:00
letters:
  - kind: acknowledgement
    date: 2023-01-05
";

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The real letter templates.
pub fn templates() -> PathBuf {
    root().join("letter-templates")
}

/// The engine over the real templates.
pub fn engine() -> Engine {
    match Engine::new(&templates()) {
        Ok(engine) => engine,
        Err(diagnostics) => {
            let text: String = diagnostics.iter().map(|d| d.render(false)).collect();
            panic!("the letter templates are invalid:\n{text}");
        }
    }
}

/// Every sample case file, sorted.
pub fn sample_cases() -> Vec<PathBuf> {
    let collected = casewright::batch::collect(&[root().join("cases")]);
    let files = collected.files;
    assert!(collected.missing.is_empty(), "{:?}", collected.missing);
    assert!(collected.refused.is_empty(), "{:?}", collected.refused);
    assert!(files.len() >= 5, "the sample cases are there");
    files
}

/// Calls `f` with every letter of every sample case, and returns how many there were.
pub fn each_sample_letter(engine: &Engine, mut f: impl FnMut(&Case, &Letter)) -> usize {
    let mut letters = 0;
    for file in sample_cases() {
        let bytes = std::fs::read(&file).expect("case");
        let case = engine
            .load(&file.display().to_string(), &bytes)
            .expect("sample cases are valid");
        for letter in &case.letters {
            f(&case, letter);
            letters += 1;
        }
    }
    letters
}

/// Runs the binary in `dir` with `args`.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_casewright"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the casewright binary runs")
}

/// Standard output and error of a run, as text.
pub fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A temporary working folder holding a copy of the templates and the given case files.
pub fn workspace(cases: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temp dir");
    copy_dir(&templates(), &dir.path().join("letter-templates"));
    std::fs::create_dir_all(dir.path().join("cases")).expect("cases dir");
    for (name, text) in cases {
        let path = dir.path().join("cases").join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("case folder");
        }
        std::fs::write(path, text).expect("case written");
    }
    dir
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let target = to.join(entry.path().strip_prefix(from).expect("prefix"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("dir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Every file under a folder, as sorted relative paths.
pub fn files_under(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            e.path()
                .strip_prefix(dir)
                .ok()
                .map(|p| p.display().to_string())
        })
        .collect();
    files.sort();
    files
}

/// Inserts `lines` into the workspace's `layout.typ` right after the letterhead is
/// drawn, and returns the number (from 1) of the first line inserted.
fn insert_after_letterhead(dir: &Path, lines: &str) -> usize {
    let layout = dir.join("letter-templates/layout.typ");
    let before = std::fs::read_to_string(&layout).expect("read layout.typ");
    let call = before
        .lines()
        .position(|l| l.trim() == "letterhead(meta)")
        .expect("layout.typ draws the letterhead");
    let after = before.replacen(
        "letterhead(meta)\n  if",
        &format!("letterhead(meta)\n{lines}  if"),
        1,
    );
    assert_ne!(before, after, "the layout was broken");
    std::fs::write(&layout, after).expect("write layout.typ");
    call + 2
}

/// Puts a call to an undefined function into the workspace's `layout.typ`, on the
/// line after the letterhead is drawn, and returns that line's number (from 1).
pub fn break_layout(dir: &Path) -> usize {
    insert_after_letterhead(dir, "  no-such-function()\n")
}

/// Breaks the workspace's `layout.typ` after the letterhead is drawn, in places
/// typesetting meets one by one: two `context` blocks that call undefined
/// functions, then text in a font there is none of, which warns. Returns the
/// lines of the two errors (from 1).
pub fn break_layout_twice(dir: &Path) -> (usize, usize) {
    let first = insert_after_letterhead(
        dir,
        "  context no-such-function()\n  context other-missing-function()\n  text(font: \"No Such Font\")[x]\n",
    );
    (first, first + 1)
}
