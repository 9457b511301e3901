//! Batches as CI runs them: reproducible, incremental, streamed in order, tidy.

use std::fs;
use std::path::Path;

use crate::support::{ACK, break_layout, break_layout_twice, files_under, run, text, workspace};

/// An acknowledgement for case `n`.
fn case(n: usize) -> (String, String) {
    let text = ACK
        .replace("IC-1-TEST", &format!("IC-{n}-BATCH"))
        .replace("Example Ltd", &format!("Example {n} Ltd"));
    (format!("c{n:02}.yaml"), text)
}

fn cases(count: usize) -> Vec<(String, String)> {
    (0..count).map(case).collect()
}

fn borrowed(cases: &[(String, String)]) -> Vec<(&str, &str)> {
    cases
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect()
}

/// Every file under `dir`, with its bytes.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    files_under(dir)
        .into_iter()
        .map(|f| {
            let bytes = fs::read(dir.join(&f)).expect("read");
            (f, bytes)
        })
        .collect()
}

#[test]
fn output_is_byte_identical_whatever_the_folder_the_job_count_or_a_lost_manifest() {
    let cases = cases(6);
    let one = workspace(&borrowed(&cases));
    let other = workspace(&borrowed(&cases));
    assert_eq!(
        run(one.path(), &["render", "--jobs", "1"]).status.code(),
        Some(0)
    );
    assert_eq!(
        run(other.path(), &["render", "--jobs", "4"]).status.code(),
        Some(0)
    );
    let first = snapshot(&one.path().join("output"));
    assert_eq!(
        first.len(),
        6 * 3 + 1,
        "three files a letter and the manifest"
    );
    assert_eq!(first, snapshot(&other.path().join("output")));

    // Without the manifest everything is typeset again, to the very same bytes.
    fs::remove_file(one.path().join("output/casewright-manifest.txt")).expect("rm");
    let again = run(one.path(), &["render"]);
    let (stdout, _) = text(&again);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(stdout.matches("unchanged").count(), 6, "{stdout}");
    assert_eq!(first, snapshot(&one.path().join("output")));
}

#[test]
fn letters_are_reported_in_case_order_whatever_order_they_finish_in() {
    let cases = cases(24);
    let dir = workspace(&borrowed(&cases));
    let output = run(dir.path(), &["render", "--jobs", "3"]);
    let (stdout, _) = text(&output);
    assert_eq!(output.status.code(), Some(0));
    let references: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1))
        .filter_map(|p| p.split('/').nth(1))
        .collect();
    let expected: Vec<String> = (0..24).map(|n| format!("IC-{n}-BATCH")).collect();
    assert_eq!(references, expected, "{stdout}");
}

#[test]
fn a_render_removes_the_letters_of_a_deleted_case_so_check_passes() {
    let cases = cases(2);
    let dir = workspace(&borrowed(&cases));
    assert_eq!(run(dir.path(), &["render"]).status.code(), Some(0));
    fs::remove_file(dir.path().join("cases/c01.yaml")).expect("rm");

    let check = run(dir.path(), &["render", "--check"]);
    let (_, stderr) = text(&check);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stderr.contains("orphaned  output/IC-1-BATCH/2023-01-05-acknowledgement.pdf"),
        "{stderr}"
    );

    let render = run(dir.path(), &["render"]);
    let (_, stderr) = text(&render);
    assert_eq!(render.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("removed   output/IC-1-BATCH/2023-01-05-acknowledgement.md"),
        "{stderr}"
    );
    assert!(!dir.path().join("output/IC-1-BATCH").exists());
    assert!(dir.path().join("output/IC-0-BATCH").exists());
    let manifest =
        fs::read_to_string(dir.path().join("output/casewright-manifest.txt")).expect("manifest");
    assert!(!manifest.contains("IC-1-BATCH"), "{manifest}");
    let check = run(dir.path(), &["render", "--check"]);
    assert_eq!(check.status.code(), Some(0), "{:?}", text(&check));
}

#[test]
fn nothing_is_removed_while_a_case_is_broken() {
    let cases = cases(3);
    let dir = workspace(&borrowed(&cases));
    assert_eq!(run(dir.path(), &["render"]).status.code(), Some(0));
    let before = snapshot(&dir.path().join("output"));

    // A case that no longer loads still owns its letters.
    let (_, text_of_1) = &cases[1];
    fs::write(
        dir.path().join("cases/c01.yaml"),
        text_of_1.replace("  name: Example", "  nmae: Example"),
    )
    .expect("break");
    let render = run(dir.path(), &["render"]);
    assert_eq!(render.status.code(), Some(1));
    assert_eq!(before, snapshot(&dir.path().join("output")));
}

#[test]
fn a_failed_letter_in_json_carries_its_error_and_where_it_points() {
    let cases = cases(2);
    let dir = workspace(&borrowed(&cases));
    let line = break_layout(dir.path()) as u64;
    let output = run(dir.path(), &["render", "--message-format", "json"]);
    let (stdout, _) = text(&output);
    assert_eq!(output.status.code(), Some(1));
    let objects: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object per line"))
        .collect();
    let letters: Vec<&serde_json::Value> =
        objects.iter().filter(|o| o["type"] == "letter").collect();
    assert_eq!(letters.len(), 2, "{stdout}");
    for letter in letters {
        assert_eq!(letter["status"], "failed");
        let error = &letter["error"];
        assert_eq!(error["code"], "typeset-error");
        assert_eq!(error["file"], "letter-templates/layout.typ");
        assert_eq!(error["line"].as_u64(), Some(line), "{error}");
        assert!(error["column"].as_u64().is_some());
    }
    let summary = objects.last().expect("summary");
    assert_eq!(summary["counts"]["failed"], 2);
    assert_eq!(summary["success"], false);
}

#[test]
fn every_typesetting_problem_is_reported_and_the_letter_carries_the_first_error() {
    let cases = cases(1);
    let dir = workspace(&borrowed(&cases));
    let (one, two) = break_layout_twice(dir.path());
    let output = run(dir.path(), &["render", "--message-format", "json"]);
    let (stdout, _) = text(&output);
    assert_eq!(output.status.code(), Some(1));
    let objects: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object per line"))
        .collect();
    let diagnostics: Vec<&serde_json::Value> = objects
        .iter()
        .filter(|o| o["type"] == "diagnostic")
        .collect();
    let mut found: Vec<(&str, &str, u64)> = diagnostics
        .iter()
        .map(|d| {
            assert_eq!(d["file"], "letter-templates/layout.typ", "{d}");
            (
                d["severity"].as_str().unwrap_or_default(),
                d["code"].as_str().unwrap_or_default(),
                d["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    found.sort();
    let (one, two) = (one as u64, two as u64);
    assert_eq!(
        found,
        [
            ("error", "typeset-error", one),
            ("error", "typeset-error", two),
            ("warning", "typeset-warning", two + 1),
        ],
        "{stdout}"
    );
    let letter = objects
        .iter()
        .find(|o| o["type"] == "letter")
        .expect("a letter");
    assert_eq!(letter["status"], "failed");
    let first = diagnostics[0];
    assert_eq!(first["severity"], "error", "an error comes first");
    for key in ["code", "message", "file", "line", "column"] {
        assert_eq!(letter["error"][key], first[key], "{key}");
    }

    let output = run(dir.path(), &["render"]);
    let (_, stderr) = text(&output);
    for shown in [
        format!("letter-templates/layout.typ:{one}:"),
        format!("letter-templates/layout.typ:{two}:"),
        "warning[typeset-warning]: unknown font family: no such font".to_owned(),
    ] {
        assert!(stderr.contains(&shown), "{shown}: {stderr}");
    }
}
