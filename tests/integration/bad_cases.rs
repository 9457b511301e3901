//! Every kind of mistake in a case file, from `tests/bad-cases/`: each file's first
//! line says the error it must give (`# expect: <code> <line>:<column> "<words>"...`).
//! The binary is run on each; the test checks the code, the location, the words, the
//! exit code, and that nothing was written.

use std::path::Path;

use crate::support::{root, run, text};

/// What a bad case's first line promises.
struct Expectation {
    code: String,
    location: String,
    words: Vec<String>,
}

fn expectation(file: &Path) -> Expectation {
    let bytes = std::fs::read(file).expect("bad case");
    let first = String::from_utf8_lossy(&bytes)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    let rest = first
        .strip_prefix("# expect: ")
        .unwrap_or_else(|| panic!("{}: the first line must be `# expect: ...`", file.display()));
    let (code, rest) = rest.split_once(' ').expect("code");
    let (location, rest) = rest.split_once(' ').unwrap_or((rest, ""));
    let words = rest
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    Expectation {
        code: code.to_owned(),
        location: location.to_owned(),
        words,
    }
}

#[test]
fn every_bad_case_gives_its_located_error_and_writes_nothing() {
    let folder = root().join("tests/bad-cases");
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .expect("tests/bad-cases")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 40,
        "at least 40 bad cases, found {}",
        files.len()
    );
    let templates = root().join("letter-templates");
    let templates = templates.to_str().expect("utf-8 path");
    let out = tempfile::tempdir().expect("tempdir");
    let mut failures = Vec::new();
    for file in &files {
        let expected = expectation(file);
        let name = file
            .file_name()
            .expect("name")
            .to_string_lossy()
            .to_string();
        let output = run(
            &folder,
            &[
                "render",
                &name,
                "--templates",
                templates,
                "--out",
                out.path().to_str().expect("utf-8"),
            ],
        );
        let (_, stderr) = text(&output);
        let mut problems = Vec::new();
        if output.status.code() != Some(1) {
            problems.push(format!("exit code {:?}, expected 1", output.status.code()));
        }
        if !stderr.contains(&format!("error[{}]", expected.code)) {
            problems.push(format!("no error[{}]", expected.code));
        }
        let location = format!("{name}:{}", expected.location);
        if expected.location != "-" && !stderr.contains(&location) {
            problems.push(format!("no location {location}"));
        }
        for word in &expected.words {
            if !stderr.contains(word.as_str()) {
                problems.push(format!("no {word:?}"));
            }
        }
        if std::fs::read_dir(out.path()).expect("out").next().is_some() {
            problems.push("something was written".into());
        }
        if !problems.is_empty() {
            failures.push(format!("{name}: {}\n{stderr}", problems.join("; ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn errors_quote_only_the_offending_line_of_a_case() {
    let folder = root().join("tests/bad-cases");
    let output = run(
        &folder,
        &[
            "check",
            "unknown-key-nested.yaml",
            "--templates",
            "../../letter-templates",
        ],
    );
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("nmae: Example Data Ltd"),
        "the offending line is shown: {stderr}"
    );
    for private in [
        "1 High Street",
        "Sam Reed",
        "Ms A Example",
        "dpo@example.org",
    ] {
        assert!(!stderr.contains(private), "{private} leaked: {stderr}");
    }
}

#[test]
fn an_oversized_case_file_fails_fast() {
    let dir = tempfile::tempdir().expect("tempdir");
    let big = format!(
        "reference: IC-1-BIG\nnotes: \"{}\"\n",
        "x".repeat(4 * 1024 * 1024)
    );
    std::fs::write(dir.path().join("big.yaml"), big).expect("write");
    let templates = root().join("letter-templates");
    let output = run(
        dir.path(),
        &[
            "check",
            "big.yaml",
            "--templates",
            templates.to_str().expect("utf-8"),
        ],
    );
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[too-large]"), "{stderr}");
    assert!(stderr.contains("big.yaml"), "{stderr}");
}
