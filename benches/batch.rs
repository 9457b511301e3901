//! The batch benchmark: casewright on 1,000 and 10,000 generated cases, beside the
//! floor of Typst alone compiling the same documents in-process.
//!
//! Run with `cargo bench --bench batch` (add `-- 1000` to run one size only).
//! For each size it prints, measured side by side in one run: Typst alone compiling
//! and exporting the same documents in-process (the floor), a cold render, a re-run
//! where nothing changed and a `render --check`, each with its letters per second
//! and the peak memory of its process, then the ratios to compare across runs.
//! The floor and the render export to the office's PDF standards (PDF/UA-1 and
//! PDF/A-2a); the same floor and cold render are then run on a copy of the
//! templates that claims no standard, giving the standards' cost side by side.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use casewright::Engine;

/// The same allocator as the `casewright` binary, so the floor is Typst alone
/// under the same conditions.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Set in the small helper process that starts each render (see [`render`]).
const MEASURE: &str = "CASEWRIGHT_BENCH_MEASURE";

fn main() {
    if std::env::var_os(MEASURE).is_some() {
        measure();
        return;
    }
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 10_000]
    } else {
        sizes
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let binary = build_binary(&root);
    println!(
        "machine: {} cores",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    for size in sizes {
        let dir = tempfile::tempdir().expect("tempdir");
        let letters = generate(dir.path(), size) as f64;
        let templates = root.join("letter-templates");
        let plain = without_standards(&templates, dir.path());
        let floor = typst_floor(&templates, dir.path());
        let (cold, cold_rss) = render(&binary, &templates, dir.path(), &[]);
        let (warm, warm_rss) = render(&binary, &templates, dir.path(), &[]);
        let (check, check_rss) = render(&binary, &templates, dir.path(), &["--check"]);
        let plain_floor = typst_floor(&plain, dir.path());
        let (plain_cold, _) = render(&binary, &plain, dir.path(), &["--out", "output-plain"]);
        println!("\n{size} cases, {letters} letters");
        println!(
            "  {:<44} {:>8} {:>11} {:>9}",
            "", "seconds", "letters/s", "peak RSS"
        );
        println!(
            "  {:<44} {floor:8.2} {:11.1} {:>9}",
            "typst alone (compile + export, in-process)",
            letters / floor,
            "-"
        );
        for (what, seconds, rss) in [
            ("casewright render, cold", cold, cold_rss),
            ("casewright render, nothing changed", warm, warm_rss),
            ("casewright render --check (re-renders)", check, check_rss),
        ] {
            println!(
                "  {what:<44} {seconds:8.2} {:11.1} {rss:6.1} MB",
                letters / seconds
            );
        }
        println!(
            "  cold throughput / typst floor:               {:8.2}",
            floor / cold
        );
        println!(
            "  no-change re-run / cold render:              {:8.3}",
            warm / cold
        );
        println!(
            "  without standards: typst alone {plain_floor:.2} s, cold render {plain_cold:.2} s"
        );
        println!(
            "  throughput with / without standards, typst:  {:8.2}",
            plain_floor / floor
        );
        println!(
            "  throughput with / without standards, cold:   {:8.2}",
            plain_cold / cold
        );
    }
}

/// A copy of the templates whose PDFs claim no standard (`pdf:` set to `none`).
fn without_standards(templates: &Path, dir: &Path) -> PathBuf {
    let copy = dir.join("templates-without-standards");
    for entry in walkdir::WalkDir::new(templates) {
        let entry = entry.expect("walk the templates");
        let target = copy.join(entry.path().strip_prefix(templates).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("folder");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
    let office = copy.join("office.yaml");
    let text = std::fs::read_to_string(&office).expect("office.yaml");
    let plain = text
        .replace("accessibility: ua-1", "accessibility: none")
        .replace("archival: a-2a", "archival: none");
    assert_ne!(text, plain, "office.yaml names its standards");
    std::fs::write(&office, plain).expect("office.yaml");
    copy
}

fn timed(f: impl FnOnce()) -> f64 {
    let start = Instant::now();
    f();
    start.elapsed().as_secs_f64()
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

/// Runs a render over the generated cases and returns how long it took, in seconds,
/// and the peak resident memory of that process alone, in MB.
///
/// Linux counts the peak memory of the process that starts a child in the child's
/// own peak (it survives fork and exec), and this process holds every prepared
/// letter of the floor. So the render is started by a fresh, small copy of this
/// program ([`measure`]), which reports what it measured.
fn render(binary: &Path, templates: &Path, dir: &Path, extra: &[&str]) -> (f64, f64) {
    let output = Command::new(std::env::current_exe().expect("the benchmark's own path"))
        .env(MEASURE, "1")
        .current_dir(dir)
        .arg(binary)
        .args(["render", "cases", "--quiet", "--templates"])
        .arg(templates)
        .args(extra)
        .stderr(std::process::Stdio::inherit())
        .output()
        .expect("the measuring helper runs");
    assert!(output.status.success(), "render succeeded");
    let text = String::from_utf8_lossy(&output.stdout);
    let mut words = text.split_whitespace().map(|w| w.parse::<f64>());
    match (words.next(), words.next()) {
        (Some(Ok(seconds)), Some(Ok(kilobytes))) => (seconds, kilobytes / 1024.0),
        _ => panic!("the helper printed {text:?}"),
    }
}

/// The helper: runs the command it is given, then prints its wall time in seconds
/// and its peak resident memory in KiB, and fails if the command failed.
#[allow(
    clippy::zombie_processes,
    reason = "the child is reaped with wait4, which also gives its rusage"
)]
fn measure() {
    let mut args = std::env::args_os().skip(1);
    let program = args.next().expect("a program to run");
    let start = Instant::now();
    let child = Command::new(program)
        .args(args)
        .env_remove(MEASURE)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("render runs");
    let mut status = 0;
    // SAFETY: wait4 writes only into the status and rusage it is given, for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let seconds = start.elapsed().as_secs_f64();
    assert!(
        pid > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "render succeeded"
    );
    println!("{seconds} {}", usage.ru_maxrss);
}

/// Typst alone: the same letters' bodies and metadata, prepared untimed, then only
/// compiled and exported, in parallel on every core.
fn typst_floor(templates: &Path, dir: &Path) -> f64 {
    let engine = Engine::new(templates).expect("templates");
    let files = casewright::batch::collect(&[dir.join("cases")]).files;
    let prepared: Vec<_> = files
        .iter()
        .flat_map(|file| {
            let bytes = std::fs::read(file).expect("case");
            let case = engine
                .load(&file.display().to_string(), &bytes)
                .expect("valid");
            case.letters
                .iter()
                .map(|letter| engine.typst_inputs(&case, letter).expect("renders"))
                .collect::<Vec<_>>()
        })
        .collect();
    let workers = casewright::batch::Workers::new(None);
    timed(|| {
        workers.map(&prepared, |inputs| {
            engine.typeset_prepared(inputs).expect("typesets");
        });
    })
}

/// The first Monday to Friday on or after the day, as a case writes it: the
/// generated letters fall on working days (the days chosen are clear of bank
/// holidays in the years generated), as real ones do, so a run warns of none.
fn weekday(year: i32, month: u32, day: u32) -> String {
    use chrono::Datelike;
    let mut date = chrono::NaiveDate::from_ymd_opt(year, month, day).expect("a real day");
    while date.weekday().number_from_monday() > 5 {
        date = date.succ_opt().expect("a next day");
    }
    date.to_string()
}

/// Writes `count` varied cases (all three kinds, one to three pages) and returns how
/// many letters they hold.
fn generate(dir: &Path, count: usize) -> usize {
    let cases = dir.join("cases");
    std::fs::create_dir_all(&cases).expect("cases dir");
    let mut letters = 0;
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for i in 0..count {
        let kind = next(3);
        let year = 2019 + next(5) as i32;
        let findings = 1 + next(8) as usize;
        let recommendations = 1 + next(5) as usize;
        let mut text = format!(
            "reference: IC-{:06}-B{}\ncontroller:\n  name: Organisation {i} Ltd\n  address: [\"{i} High Street\", \"Leeds\", \"LS1 1AA\"]\n  email: dpo{i}@example.org\n  contact: Ms A Person\nofficer: {{ name: Sam Reed, title: Case Officer, phone: \"0330 414 0000\" }}\nbreach:\n  occurred: {year}-03-01\n  discovered: {year}-03-02T09:00\n  reported: {year}-03-0{}T09:00\n  summary: \"in which records were sent to the wrong recipient\"\n  data_subjects: {}\nletters:\n  - kind: acknowledgement\n    date: {}\n",
            i,
            kind,
            3 + next(5),
            1 + next(5000),
            weekday(year, 3, 10),
        );
        letters += 1;
        if kind >= 1 {
            text.push_str(&format!(
                "  - kind: decision\n    date: {}\n    reasons:\n",
                weekday(year, 4, 24)
            ));
            for r in 0..findings.min(4) {
                text.push_str(&format!("      - \"Reason {r}: the incident appears to have been isolated and was contained quickly.\"\n"));
            }
            letters += 1;
        }
        if kind == 2 {
            text.push_str(&format!(
                "  - kind: reprimand\n    date: {}\n    investigation: the disclosure of personal data to the wrong recipients\n    findings:\n",
                weekday(year + 1, 6, 1)
            ));
            for f in 0..findings {
                text.push_str(&format!("      - \"Finding {f}: staff did not check the recipient before sending, and the policy that should have required it had not been reviewed for several years.\"\n"));
            }
            let provision = if year >= 2021 {
                "uk-gdpr-art5-1-f"
            } else {
                "gdpr-art5-1-f"
            };
            text.push_str(&format!(
                "    infringements: [{provision}]\n    recommendations:\n"
            ));
            for r in 0..recommendations {
                text.push_str(&format!("      - text: \"Step {r}: review the process and train the staff who use it.\"\n        progress_update: {}\n", r == 0));
            }
            text.push_str("    progress_update: { within: 3 months }\n");
            letters += 1;
        }
        std::fs::write(cases.join(format!("case-{i:06}.yaml")), text).expect("case written");
    }
    letters
}
