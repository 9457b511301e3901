//! Batches as CI runs them: reproducible, incremental, streamed in order, tidy.

use std::fs;
use std::path::Path;

use crate::support::{ACK, break_layout, files_under, run, text, workspace};

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
