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

/// Every file of `tests/bad-cases/`, sorted.
fn bad_case_files() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(root().join("tests/bad-cases"))
        .expect("tests/bad-cases")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_bad_case_gives_its_located_error_and_writes_nothing() {
    let folder = root().join("tests/bad-cases");
    let files = bad_case_files();
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

/// Keys whose values are keys of the templates' vocabulary (or of the YAML shape),
/// which a message may name; every other value is the case's own text.
const VOCABULARY_KEYS: [&str; 9] = [
    "kind",
    "nation",
    "processing",
    "delivery",
    "categories",
    "infringements",
    "paragraphs",
    "attachments",
    "roll",
];

/// The free-text values of a case file of 6 characters or more, read simply:
/// `key: value` on each line, flow maps and lists split at commas, the items of a
/// block list under their key, quotes stripped, comments skipped.
fn free_text_values(text: &str) -> Vec<String> {
    let mut values = Vec::new();
    let mut add = |key: &str, value: &str| {
        if VOCABULARY_KEYS.contains(&key) {
            return;
        }
        let value = value.trim();
        let items: Vec<&str> = if value.starts_with(['[', '{']) {
            value.split(',').collect()
        } else {
            vec![value]
        };
        for item in items {
            let item = item.trim().trim_matches(['[', ']', '{', '}']).trim();
            let item = match item.split_once(": ") {
                Some((key, _)) if VOCABULARY_KEYS.contains(&key.trim()) => continue,
                Some((_, value)) => value,
                None => item,
            };
            let item = item.trim().trim_matches(['"', '\'']);
            if item.chars().count() >= 6 {
                values.push(item.to_owned());
            }
        }
    };
    // The key of the block list being read, if any.
    let mut list_key = String::new();
    for line in text.lines() {
        let line = line.trim_start();
        if line.starts_with('#') {
            continue;
        }
        let item = line.strip_prefix("- ");
        let entry = item.unwrap_or(line);
        match entry.split_once(": ") {
            Some((key, value)) => add(key.trim(), value),
            None if entry.ends_with(':') && item.is_none() => {
                list_key = entry.trim_end_matches(':').trim().to_owned();
            }
            None => add(&list_key, entry),
        }
    }
    values
}

#[test]
fn json_messages_and_notes_hold_no_case_text() {
    let folder = root().join("tests/bad-cases");
    let files = bad_case_files();
    let templates = root().join("letter-templates");
    let templates = templates.to_str().expect("utf-8 path");
    let mut leaks = Vec::new();
    let mut checked = 0;
    for file in &files {
        let case_text =
            String::from_utf8_lossy(&std::fs::read(file).expect("bad case")).into_owned();
        let values = free_text_values(&case_text);
        let name = file
            .file_name()
            .expect("name")
            .to_string_lossy()
            .to_string();
        let output = run(
            &folder,
            &[
                "check",
                &name,
                "--templates",
                templates,
                "--message-format",
                "json",
            ],
        );
        let (stdout, _) = text(&output);
        let mut said = Vec::new();
        for line in stdout.lines() {
            let object: serde_json::Value = serde_json::from_str(line).expect("a JSON object");
            for error in [&object, &object["error"]] {
                if let Some(message) = error["message"].as_str() {
                    said.push(message.to_owned());
                }
                for note in error["notes"].as_array().into_iter().flatten() {
                    said.extend(note.as_str().map(str::to_owned));
                }
            }
        }
        assert!(!said.is_empty(), "{name}: no message in {stdout}");
        checked += said.len();
        for message in &said {
            for value in &values {
                if message.contains(value.as_str()) {
                    leaks.push(format!("{name}: {value:?} in {message:?}"));
                }
            }
        }
    }
    assert!(checked >= files.len(), "{checked} messages checked");
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
}

#[test]
fn free_text_values_are_read_from_simple_yaml() {
    for (yaml, expected) in [
        ("  name: Example Data Ltd", vec!["Example Data Ltd"]),
        ("  - kind: reprimand", vec![]),
        ("    date: 2023-03-10", vec!["2023-03-10"]),
        ("  email: \"dpo.example.org\"", vec!["dpo.example.org"]),
        (
            "officer: { name: Sam Reed, title: Case Officer }",
            vec!["Sam Reed", "Case Officer"],
        ),
        (
            "  address: [\"1 High Street\", \"Leeds\", \"LS1 1AA\"]",
            vec!["1 High Street", "LS1 1AA"],
        ),
        ("    infringements: [uk-gdpr-art5-1-f]", vec![]),
        (
            "    progress_update: { within: 3 months, roll: next-day }",
            vec!["3 months"],
        ),
        (
            "    findings:\n      - Encrypt laptops.",
            vec!["Encrypt laptops."],
        ),
        ("  categories:\n    - basic-identifier", vec![]),
        (
            "# expect: bad-date 14:13 \"this value is not a date\"",
            vec![],
        ),
        ("  cyber: true", vec![]),
    ] {
        let mut found = free_text_values(yaml);
        found.sort();
        let mut expected: Vec<String> = expected.into_iter().map(str::to_owned).collect();
        expected.sort();
        assert_eq!(found, expected, "{yaml}");
    }
}

/// A misspelt key, a date written the wrong way, an unknown nation and a provision
/// of the wrong regime: all four are reported by one run, each at its place.
#[test]
fn every_error_of_a_file_is_reported_in_one_run() {
    let folder = root().join("tests/bad-cases");
    let templates = root().join("letter-templates");
    let out = tempfile::tempdir().expect("tempdir");
    let output = run(
        &folder,
        &[
            "render",
            "four-mistakes.yaml",
            "--templates",
            templates.to_str().expect("utf-8 path"),
            "--out",
            out.path().to_str().expect("utf-8"),
        ],
    );
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    for (code, at) in [
        ("unknown-key", "6:3"),
        ("unknown-value", "10:9"),
        ("bad-date", "15:16"),
        ("provision-regime", "20:21"),
    ] {
        let shown = format!("error[{code}]");
        let index = stderr
            .find(&shown)
            .unwrap_or_else(|| panic!("no {shown} in:\n{stderr}"));
        let location = format!("four-mistakes.yaml:{at}");
        assert!(
            stderr[index..]
                .lines()
                .nth(1)
                .is_some_and(|l| l.contains(&location)),
            "{shown} not at {location}:\n{stderr}"
        );
    }
}
