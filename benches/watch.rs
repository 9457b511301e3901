//! The `watch` benchmark: how long from saving a case file to its letter's PDF
//! being rewritten.
//!
//! Run with `cargo bench --bench watch`. It starts `casewright watch` (a release
//! build) on one case with one letter in a temporary folder, waits for its first
//! round, then saves the case twenty times, each time changing the controller's
//! name as an editor would save it (a new file renamed into place), and times each
//! save until the PDF holds new bytes. It prints the median and the extremes.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How many saves are timed.
const SAVES: usize = 20;

/// One case, one acknowledgement; `{name}` is the controller's name.
const CASE: &str = "\
reference: IC-1-BENCH
controller:
  name: {name}
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

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let binary = build_binary(&root);
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = dir.path().join("cases");
    std::fs::create_dir_all(&cases).expect("cases");
    let case = cases.join("one.yaml");
    save(&case, &CASE.replace("{name}", "Example Ltd"));

    let mut child = Command::new(&binary)
        .current_dir(dir.path())
        .args(["watch", "cases", "--templates"])
        .arg(root.join("letter-templates"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("casewright watch starts");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut next_round = || {
        for line in lines.by_ref() {
            if line.expect("a line").starts_with("watching") {
                return;
            }
        }
        panic!("watch ended");
    };
    next_round();

    let pdf = dir
        .path()
        .join("output/IC-1-BENCH/2023-01-05-acknowledgement.pdf");
    let mut times = Vec::with_capacity(SAVES);
    for save_number in 1..=SAVES {
        let before = std::fs::read(&pdf).expect("the first round wrote the PDF");
        let text = CASE.replace("{name}", &format!("Example Ltd {save_number}"));
        let started = Instant::now();
        save(&case, &text);
        loop {
            if std::fs::read(&pdf).is_ok_and(|now| now != before) {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the PDF never changed"
            );
            std::thread::sleep(Duration::from_micros(500));
        }
        times.push(started.elapsed());
        next_round();
    }
    let _ = child.kill();
    let _ = child.wait();

    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "machine: {} cores",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!(
        "watch, save to PDF rewritten, one letter, {SAVES} saves: median {:.1} ms (fastest {:.1} ms, slowest {:.1} ms)",
        ms(times[SAVES / 2]),
        ms(times[0]),
        ms(times[SAVES - 1])
    );
}

/// Saves a file as an editor does: a new file renamed into place.
fn save(path: &Path, text: &str) {
    let temporary = path.with_extension("saving");
    std::fs::write(&temporary, text).expect("write");
    std::fs::rename(&temporary, path).expect("rename");
}

fn build_binary(root: &Path) -> PathBuf {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "--bin", "casewright"])
        .current_dir(root)
        .status()
        .expect("cargo build");
    assert!(status.success());
    root.join("target/release/casewright")
}
