//! The record of what was sent is never lost or left stale: clashing cases,
//! partial renders, symlinks, failed writes, hostile manifests, concurrent runs, a
//! closed pipe and runaway templates or flags.

use std::fs;
use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::support::{ACK, files_under, run, text, workspace};

const LETTER: &str = "2023-01-05-acknowledgement";

/// The minimal case with another reference.
fn ack(reference: &str) -> String {
    ACK.replace("IC-1-TEST", reference)
}

/// A workspace of `count` cases, `cases/c00.yaml` with reference `IC-0-<tag>` and so on.
fn numbered_workspace(count: usize, tag: &str) -> tempfile::TempDir {
    let cases: Vec<(String, String)> = (0..count)
        .map(|n| (format!("c{n:02}.yaml"), ack(&format!("IC-{n}-{tag}"))))
        .collect();
    let borrowed: Vec<(&str, &str)> = cases
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    workspace(&borrowed)
}

fn manifest(dir: &Path) -> String {
    fs::read_to_string(dir.join("output/casewright-manifest.txt")).expect("a manifest")
}

/// The binary, ready to run in `dir`.
fn command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_casewright"));
    command.current_dir(dir).args(args).env("NO_COLOR", "1");
    command
}

/// Waits for a child, killing it if it has not ended within two minutes: a guard
/// against a hang (the failure under test), not a measure of time.
fn wait_bounded(child: Child) -> Output {
    let id = child.id();
    let (done, finished) = mpsc::channel::<()>();
    let guard = std::thread::spawn(move || {
        if finished.recv_timeout(Duration::from_secs(120)).is_err() {
            let _ = Command::new("kill").args(["-9", &id.to_string()]).status();
            return true;
        }
        false
    });
    let output = child.wait_with_output().expect("waited");
    let _ = done.send(());
    assert!(!guard.join().expect("guard"), "the run hung and was killed");
    output
}

fn run_bounded(dir: &Path, args: &[&str]) -> Output {
    let child = command(dir, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawned");
    wait_bounded(child)
}

#[test]
fn two_case_files_with_one_output_folder_are_refused_and_neither_is_written() {
    let dir = workspace(&[
        ("a.yaml", ACK),
        ("copy-of-a.yaml", ACK),
        ("inv-slash.yaml", &ack("INV/0864/2021")),
        ("inv-dash.yaml", &ack("inv-0864-2021")),
        ("other.yaml", &ack("IC-2-TEST")),
    ]);
    for args in [&["render"][..], &["render", "--check"], &["check"]] {
        let output = run(dir.path(), args);
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert_eq!(
            stderr.matches("error[reference-clash]").count(),
            4,
            "{stderr}"
        );
        assert!(
            stderr.contains(
                "cases/a.yaml and cases/copy-of-a.yaml write the same output folder IC-1-TEST"
            ),
            "{stderr}"
        );
        assert!(
            stderr.contains("cases/inv-dash.yaml and cases/inv-slash.yaml write the same output folder inv-0864-2021"),
            "{stderr}"
        );
        assert!(stderr.contains("┌─ cases/copy-of-a.yaml:1:12"), "{stderr}");
    }
    let out = dir.path().join("output");
    assert_eq!(
        files_under(&out),
        [
            format!("IC-2-TEST/{LETTER}.eml"),
            format!("IC-2-TEST/{LETTER}.md"),
            format!("IC-2-TEST/{LETTER}.pdf"),
            "casewright-manifest.txt".into(),
        ],
        "only the case that clashes with nothing is written"
    );
}

#[test]
fn a_case_rendered_alone_may_not_take_the_folder_of_an_earlier_case() {
    let dir = workspace(&[("a.yaml", ACK)]);
    assert_eq!(run(dir.path(), &["render"]).status.code(), Some(0));
    let before = fs::read(dir.path().join(format!("output/IC-1-TEST/{LETTER}.md"))).expect("md");
    fs::write(
        dir.path().join("cases/b.yaml"),
        ACK.replace("Example Ltd", "Another Ltd"),
    )
    .expect("copy");

    let output = run(dir.path(), &["render", "cases/b.yaml"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cases/b.yaml and cases/a.yaml write the same output folder IC-1-TEST"),
        "{stderr}"
    );
    let after = fs::read(dir.path().join(format!("output/IC-1-TEST/{LETTER}.md"))).expect("md");
    assert_eq!(before, after, "the earlier case's letter is untouched");

    // Once the copy has its own reference, both render.
    fs::write(
        dir.path().join("cases/b.yaml"),
        ack("IC-3-TEST").replace("Example Ltd", "Another Ltd"),
    )
    .expect("fix");
    let output = run(dir.path(), &["render", "cases/b.yaml"]);
    assert_eq!(output.status.code(), Some(0), "{:?}", text(&output));
}

#[test]
fn rendering_a_subfolder_or_one_file_removes_nothing_outside_it() {
    let dir = workspace(&[
        ("scotland/s.yaml", &ack("IC-5-SCOT")),
        ("e.yaml", &ack("IC-6-ENG")),
    ]);
    assert_eq!(run(dir.path(), &["render"]).status.code(), Some(0));
    let everything = files_under(&dir.path().join("output"));
    assert_eq!(everything.len(), 7);

    for args in [
        &["render", "cases/scotland"][..],
        &["render", "./cases/e.yaml"],
        &["render", "cases/scotland/s.yaml", "--format", "md"],
    ] {
        let output = run(dir.path(), args);
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("removed"), "{args:?}: {stderr}");
        assert_eq!(
            files_under(&dir.path().join("output")),
            everything,
            "{args:?}"
        );
        let check = run(dir.path(), &["render", "--check"]);
        assert_eq!(check.status.code(), Some(0), "{args:?}: {:?}", text(&check));
    }

    // A case deleted outside the folder rendered keeps its letters...
    fs::remove_file(dir.path().join("cases/e.yaml")).expect("rm");
    let output = run(dir.path(), &["render", "cases/scotland"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(dir.path().join("output/IC-6-ENG").exists());
    assert!(manifest(dir.path()).contains("IC-6-ENG"));
    // ...until a render whose scope holds it.
    let output = run(dir.path(), &["render", "cases"]);
    let (_, stderr) = text(&output);
    assert!(
        stderr.contains(&format!("removed   output/IC-6-ENG/{LETTER}.pdf")),
        "{stderr}"
    );
    assert!(!dir.path().join("output/IC-6-ENG").exists());

    // A case rendered alone tidies away its own letter when that letter's date moves.
    let moved = ack("IC-5-SCOT").replace("date: 2023-01-05", "date: 2023-01-06");
    fs::write(dir.path().join("cases/scotland/s.yaml"), moved).expect("edit");
    let output = run(dir.path(), &["render", "cases/scotland/s.yaml"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!("removed   output/IC-5-SCOT/{LETTER}.md")),
        "{stderr}"
    );
    let check = run(dir.path(), &["render", "--check"]);
    assert_eq!(check.status.code(), Some(0), "{:?}", text(&check));
}

#[test]
fn a_shard_tidies_only_the_cases_of_its_shard() {
    let dir = numbered_workspace(6, "SHARD");
    assert_eq!(run(dir.path(), &["render"]).status.code(), Some(0));
    for n in 0..6 {
        fs::remove_file(dir.path().join(format!("cases/c{n:02}.yaml"))).expect("rm");
    }
    let output = run(dir.path(), &["render", "--shard", "1/2"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let removed = stderr.matches("removed").count();
    assert!(removed > 0 && removed < 18, "some but not all: {stderr}");
    let output = run(dir.path(), &["render", "--shard", "2/2"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        files_under(&dir.path().join("output")),
        ["casewright-manifest.txt"]
    );
}

#[cfg(unix)]
#[test]
fn a_symlinked_case_is_followed_inside_the_folder_and_refused_outside_it() {
    use std::os::unix::fs::symlink;
    let dir = workspace(&[("real/a.yaml", ACK), ("b.yaml", &ack("IC-2-TEST"))]);
    fs::rename(
        dir.path().join("cases/real/a.yaml"),
        dir.path().join("cases/real/a.txt"),
    )
    .expect("rename");
    symlink("real/a.txt", dir.path().join("cases/linked.yaml")).expect("link");
    let output = run(dir.path(), &["render"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("written   output/IC-1-TEST/"), "{stdout}");
    assert!(manifest(dir.path()).contains("case:cases/linked.yaml"));

    // The same case moved out of the folder, its link left behind.
    let outside = tempfile::tempdir().expect("elsewhere");
    fs::rename(
        dir.path().join("cases/real/a.txt"),
        outside.path().join("a.yaml"),
    )
    .expect("move");
    fs::remove_file(dir.path().join("cases/linked.yaml")).expect("rm");
    symlink(
        outside.path().join("a.yaml"),
        dir.path().join("cases/linked.yaml"),
    )
    .expect("link");
    let before = files_under(&dir.path().join("output"));
    let output = run(dir.path(), &["render"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "error[unreadable-case]: cases/linked.yaml: a symlink to a file outside cases, which is not followed"
        ),
        "{stderr}"
    );
    assert_eq!(
        files_under(&dir.path().join("output")),
        before,
        "the letters of a case that could not be read are kept"
    );
}

/// Runs the binary with writes beyond `limit` bytes per file failing, as on a full disk.
#[cfg(unix)]
fn run_with_file_size_limit(dir: &Path, args: &[&str], limit: u64) -> Output {
    use std::os::unix::process::CommandExt as _;
    let mut command = command(dir, args);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        command.pre_exec(move || {
            // Ignored, the signal leaves the write to fail with EFBIG.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let rlimit = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &rlimit) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    command.output().expect("ran")
}

#[cfg(unix)]
#[test]
fn a_letter_whose_write_failed_is_rendered_again_next_time() {
    let dir = workspace(&[("a.yaml", ACK)]);
    let args = ["render", "--format", "md,eml"];
    assert_eq!(run(dir.path(), &args).status.code(), Some(0));
    let out = dir.path().join("output/IC-1-TEST");
    let md_size = fs::metadata(out.join(format!("{LETTER}.md")))
        .expect("md")
        .len();
    let eml_size = fs::metadata(out.join(format!("{LETTER}.eml")))
        .expect("eml")
        .len();
    assert!(md_size < eml_size);
    let recorded = manifest(dir.path());

    // One changed character: every file keeps its size. The .md fits under the
    // limit, the .eml does not, as when a disk fills between the two.
    let edited = ACK.replace("dpo@example.org", "dpo@example.net");
    fs::write(dir.path().join("cases/a.yaml"), edited).expect("edit");
    let failed = run_with_file_size_limit(dir.path(), &args, md_size + 16);
    let (_, stderr) = text(&failed);
    assert_eq!(failed.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[write-failed]"), "{stderr}");
    assert!(stderr.contains(&format!("{LETTER}.eml")), "{stderr}");
    assert_eq!(
        manifest(dir.path()).lines().count(),
        1,
        "the letter left the manifest"
    );
    assert_ne!(manifest(dir.path()), recorded);

    let again = run(dir.path(), &args);
    let (stdout, stderr) = text(&again);
    assert_eq!(again.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.contains(&format!("written   output/IC-1-TEST/{LETTER}.{{md,eml}}")),
        "rendered again, not taken as unchanged: {stdout}"
    );
    let eml = fs::read_to_string(out.join(format!("{LETTER}.eml"))).expect("eml");
    assert!(eml.contains("dpo@example.net"));
    let check = run(dir.path(), &["render", "--check", "--format", "md,eml"]);
    assert_eq!(check.status.code(), Some(0), "{:?}", text(&check));
}

#[cfg(unix)]
#[test]
fn a_manifest_that_is_a_fifo_or_a_link_fails_fast_and_is_left_alone() {
    let dir = workspace(&[("a.yaml", ACK)]);
    fs::create_dir(dir.path().join("output")).expect("output");
    let path = dir.path().join("output/casewright-manifest.txt");
    let fifo = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).expect("path");
    // SAFETY: `fifo` is a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    for args in [&["render"][..], &["render", "--check"]] {
        let output = run_bounded(dir.path(), args);
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains("error[bad-manifest]: refusing to read the manifest output/casewright-manifest.txt (it is not a regular file)"),
            "{stderr}"
        );
    }
    fs::remove_file(&path).expect("rm");
    std::os::unix::fs::symlink("/dev/zero", &path).expect("link");
    let output = run_bounded(dir.path(), &["render"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("(it is a symlink)"), "{stderr}");
    assert!(
        fs::symlink_metadata(&path)
            .expect("still there")
            .file_type()
            .is_symlink()
    );
    assert!(
        !dir.path().join("output/IC-1-TEST").exists(),
        "nothing written"
    );
}

#[test]
fn a_second_run_waits_for_the_first_or_fails_at_once_with_no_wait() {
    let dir = workspace(&[("a.yaml", ACK)]);
    let out = dir.path().join("output");
    fs::create_dir(&out).expect("output");
    // This test plays the first run: it holds the output folder's lock.
    let held = fs::File::open(&out).expect("open the folder");
    held.lock().expect("locked");

    let output = run_bounded(dir.path(), &["render", "--no-wait"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error[output-busy]: another casewright run is using output"),
        "{stderr}"
    );
    assert!(files_under(&out).is_empty(), "nothing written");

    let mut waiting = command(dir.path(), &["render"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawned");
    let mut stderr = BufReader::new(waiting.stderr.take().expect("stderr"));
    let mut line = String::new();
    stderr.read_line(&mut line).expect("a line");
    assert!(
        line.starts_with("waiting   for another casewright run to finish with output"),
        "{line}"
    );
    assert!(
        waiting.try_wait().expect("polled").is_none(),
        "still waiting"
    );
    assert!(
        files_under(&out).is_empty(),
        "nothing written while waiting"
    );
    held.unlock().expect("unlocked");
    let output = wait_bounded(waiting);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(files_under(&out).len(), 4);
}

#[test]
fn shards_rendering_into_one_folder_at_once_leave_a_complete_manifest() {
    let dir = numbered_workspace(12, "PAIR");
    let shards: Vec<Child> = ["1/2", "2/2"]
        .iter()
        .map(|shard| {
            command(dir.path(), &["render", "--shard", shard, "--quiet"])
                .spawn()
                .expect("spawned")
        })
        .collect();
    for shard in shards {
        assert_eq!(wait_bounded(shard).status.code(), Some(0));
    }
    assert_eq!(
        manifest(dir.path()).lines().count(),
        1 + 12,
        "a line per letter"
    );
    let check = run(dir.path(), &["render", "--check"]);
    assert_eq!(check.status.code(), Some(0), "{:?}", text(&check));
}

#[test]
fn a_closed_stdout_silences_the_report_but_the_batch_finishes() {
    let dir = workspace(&[("a.yaml", ACK), ("b.yaml", &ack("IC-2-TEST"))]);
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let output = command(dir.path(), &["render"])
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("ran");
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(manifest(dir.path()).lines().count(), 3);
    let check = run(dir.path(), &["render", "--check"]);
    assert_eq!(check.status.code(), Some(0), "{:?}", text(&check));
}

#[test]
fn jobs_are_capped_with_a_message_and_zero_is_refused() {
    let dir = workspace(&[("a.yaml", ACK)]);
    let output = run(dir.path(), &["render", "--jobs", "100000"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("warning: --jobs 100000 is more than four per core"),
        "{stderr}"
    );
    let output = run(dir.path(), &["render", "--jobs", "0"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_layout_that_loops_stops_the_run_at_the_time_budget() {
    let dir = workspace(&[("a.yaml", ACK)]);
    let templates = dir.path().join("letter-templates");
    let office = fs::read_to_string(templates.join("office.yaml")).expect("office");
    let office = office.replace("max_typeset_seconds: 30", "max_typeset_seconds: 1");
    fs::write(templates.join("office.yaml"), office).expect("office");
    let layout = fs::read_to_string(templates.join("layout.typ")).expect("layout");
    let looping = layout.replacen(
        "letterhead(meta)\n",
        "letterhead(meta)\n  for i in range(9999) { for j in range(9999) { for k in range(9999) {} } }\n",
        1,
    );
    assert_ne!(layout, looping);
    fs::write(templates.join("layout.typ"), looping).expect("layout");

    for format in ["human", "json"] {
        let output = run_bounded(dir.path(), &["render", "--message-format", format]);
        let (stdout, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        if format == "human" {
            assert!(
                stderr.contains("error[typeset-timeout]: letter-templates/layout.typ: typesetting took longer than 1 s, the limit set by `max_typeset_seconds` in letter-templates/office.yaml"),
                "{stderr}"
            );
            assert!(stderr.contains("letter-templates/layout.typ"), "{stderr}");
            assert!(
                stderr.contains("the acknowledgement of IC-1-TEST dated 2023-01-05 (cases/a.yaml)"),
                "{stderr}"
            );
        } else {
            let error: serde_json::Value = stdout
                .lines()
                .filter_map(|l| serde_json::from_str(l).ok())
                .find(|v: &serde_json::Value| v["code"] == "typeset-timeout")
                .unwrap_or_else(|| panic!("a timeout object: {stdout}"));
            assert_eq!(error["file"], "letter-templates/layout.typ");
        }
    }
    assert!(!dir.path().join("output/IC-1-TEST").exists());
}

#[test]
fn a_template_that_loops_stops_the_run_at_the_time_budget() {
    let dir = workspace(&[("a.yaml", ACK)]);
    let templates = dir.path().join("letter-templates");
    let office = fs::read_to_string(templates.join("office.yaml")).expect("office");
    let office = office.replace("max_typeset_seconds: 30", "max_typeset_seconds: 1");
    fs::write(templates.join("office.yaml"), office).expect("office");
    let template = templates.join("acknowledgement.md.tera");
    let before = fs::read_to_string(&template).expect("template");
    let looping = format!(
        "{{% for i in range(end=100000) %}}{{% for j in range(end=100000) %}}{{% endfor %}}{{% endfor %}}{before}"
    );
    fs::write(&template, looping).expect("template");

    for args in [&["render"][..], &["check"]] {
        let output = run_bounded(dir.path(), args);
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("error[render-timeout]: rendering the letter's templates took longer than 1 s, the limit set by `max_typeset_seconds` in letter-templates/office.yaml"),
            "{args:?}: {stderr}"
        );
        assert!(
            stderr.contains(
                "while rendering the acknowledgement of IC-1-TEST dated 2023-01-05 (cases/a.yaml)"
            ),
            "{args:?}: {stderr}"
        );
    }
    assert!(!dir.path().join("output/IC-1-TEST").exists());
}

#[test]
fn a_layout_that_grows_without_end_stops_the_run_at_the_memory_budget() {
    let dir = workspace(&[("a.yaml", ACK), ("b.yaml", &ack("IC-2-TEST"))]);
    let templates = dir.path().join("letter-templates");
    let office = fs::read_to_string(templates.join("office.yaml")).expect("office");
    let office = office.replace("max_typeset_memory_mib: 1024", "max_typeset_memory_mib: 64");
    fs::write(templates.join("office.yaml"), office).expect("office");
    let layout = fs::read_to_string(templates.join("layout.typ")).expect("layout");
    let doubling = layout.replacen(
        "letterhead(meta)\n",
        "letterhead(meta)\n  let grown = (1,)\n  for i in range(64) { grown = grown + grown }\n",
        1,
    );
    assert_ne!(layout, doubling);
    fs::write(templates.join("layout.typ"), doubling).expect("layout");

    let output = run_bounded(dir.path(), &["render", "--jobs", "1"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error[typeset-memory]: letter-templates/layout.typ: typesetting needed more than 64 MiB, the limit set by `max_typeset_memory_mib` in letter-templates/office.yaml"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "while typesetting the acknowledgement of IC-1-TEST dated 2023-01-05 (cases/a.yaml)"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("memory allocation of"), "{stderr}");
    assert!(!dir.path().join("output/IC-1-TEST").exists());
    let leftovers: Vec<String> = files_under(&dir.path().join("output"))
        .into_iter()
        .filter(|f| f != "casewright-manifest.txt")
        .collect();
    assert!(leftovers.is_empty(), "nothing half-written: {leftovers:?}");
}

#[test]
fn an_output_path_that_is_a_file_is_reported_once() {
    let dir = workspace(&[("a.yaml", ACK), ("b.yaml", &ack("IC-2-TEST"))]);
    fs::write(
        dir.path().join("output"),
        "a file where the folder should be",
    )
    .expect("write");
    let output = run(dir.path(), &["render"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.matches("error").count(), 1, "{stderr}");
    assert!(
        stderr.contains("error[output-not-a-folder]: the output path output is not a folder"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("output")).expect("read"),
        "a file where the folder should be"
    );
}

#[cfg(unix)]
#[test]
fn a_symlinked_case_folder_is_an_error_and_its_letters_are_kept() {
    use std::os::unix::fs::symlink;
    let dir = workspace(&[("a.yaml", ACK), ("scotland/b.yaml", &ack("IC-2-TEST"))]);
    assert_eq!(run(dir.path(), &["render"]).status.code(), Some(0));
    let before = files_under(&dir.path().join("output"));
    let recorded = manifest(dir.path());
    assert!(
        recorded.contains("case:cases/scotland/b.yaml"),
        "{recorded}"
    );

    // The folder moved elsewhere and linked back in its place.
    let elsewhere = tempfile::tempdir().expect("elsewhere");
    let moved = elsewhere.path().join("scotland");
    fs::rename(dir.path().join("cases/scotland"), &moved).expect("move");
    symlink(&moved, dir.path().join("cases/scotland")).expect("link");

    let expected =
        "error[unreadable-case]: cases/scotland: a symlink to a folder, which is not followed";
    for command in [&["check"][..], &["render"], &["render", "--check"]] {
        let output = run(dir.path(), command);
        let (stdout, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(1), "{command:?}: {stderr}");
        assert!(stderr.contains(expected), "{command:?}: {stderr}");
        assert!(!stdout.contains("removed"), "{command:?}: {stdout}");
    }
    assert_eq!(
        files_under(&dir.path().join("output")),
        before,
        "the letters of the cases behind the link are kept"
    );
    assert_eq!(manifest(dir.path()), recorded, "and stay recorded");
}

#[test]
fn a_hand_edit_that_keeps_the_size_is_repaired_by_the_next_render() {
    let dir = workspace(&[("a.yaml", ACK)]);
    assert_eq!(run(dir.path(), &["render"]).status.code(), Some(0));
    let letter = dir.path().join(format!("output/IC-1-TEST/{LETTER}.md"));
    let written = fs::read_to_string(&letter).expect("md");
    let edited = written.replacen("Sam Reed", "Sam Read", 1);
    assert_ne!(edited, written);
    assert_eq!(edited.len(), written.len(), "the same size");
    fs::write(&letter, &edited).expect("edit");

    let output = run(dir.path(), &["render"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.contains(&format!("written   output/IC-1-TEST/{LETTER}")),
        "{stdout}"
    );
    assert_eq!(fs::read_to_string(&letter).expect("md"), written);
    let check = run(dir.path(), &["render", "--check"]);
    assert_eq!(check.status.code(), Some(0), "{:?}", text(&check));
}

#[cfg(unix)]
#[test]
fn a_symlinked_folder_in_the_output_folder_is_neither_read_nor_written() {
    use std::os::unix::fs::symlink;
    let dir = workspace(&[("a.yaml", ACK), ("b.yaml", &ack("IC-2-TEST"))]);
    assert_eq!(run(dir.path(), &["render"]).status.code(), Some(0));
    let out = dir.path().join("output");
    let elsewhere = tempfile::tempdir().expect("elsewhere");
    let moved = elsewhere.path().join("IC-1-TEST");
    fs::rename(out.join("IC-1-TEST"), &moved).expect("move");
    symlink(&moved, out.join("IC-1-TEST")).expect("link");
    let expected = "error[output-symlink]: output/IC-1-TEST is a symlink, which casewright neither reads nor writes through";

    let output = run(dir.path(), &["render"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(expected), "{stderr}");
    assert!(
        !stdout.contains("unchanged output/IC-1-TEST"),
        "nothing is taken as current through the link: {stdout}"
    );
    assert_eq!(
        files_under(elsewhere.path()).len(),
        3,
        "nothing written through the link"
    );

    let check = run(dir.path(), &["render", "--check"]);
    let (_, stderr) = text(&check);
    assert_eq!(check.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(expected), "{stderr}");

    // The case dropped: nothing behind the link is removed, and no check passes
    // while the link is there.
    fs::remove_file(dir.path().join("cases/a.yaml")).expect("rm");
    let output = run(dir.path(), &["render"]);
    assert_eq!(output.status.code(), Some(1), "{:?}", text(&output));
    assert_eq!(files_under(elsewhere.path()).len(), 3);
    let check = run(dir.path(), &["render", "--check"]);
    assert_eq!(check.status.code(), Some(1), "{:?}", text(&check));
    assert!(text(&check).1.contains(expected));
}

/// Makes a FIFO at `path`.
#[cfg(unix)]
fn mkfifo(path: &Path) {
    let name = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).expect("a path");
    // SAFETY: `name` is a valid NUL-terminated string.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0, "mkfifo");
}

#[cfg(unix)]
#[test]
fn schema_and_new_write_only_a_regular_file_or_a_new_path() {
    use std::os::unix::fs::FileTypeExt as _;
    let dir = workspace(&[]);
    let pipe = dir.path().join("pipe.json");
    mkfifo(&pipe);
    for command in [
        &["schema", "--out", "pipe.json"][..],
        &["new", "decision", "--out", "pipe.json"],
    ] {
        let output = run_bounded(dir.path(), command);
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(1), "{command:?}: {stderr}");
        assert!(stderr.contains("error["), "{command:?}: {stderr}");
        let kind = fs::symlink_metadata(&pipe)
            .expect("still there")
            .file_type();
        assert!(kind.is_fifo(), "{command:?}: the FIFO is left a FIFO");
    }
    let output = run(dir.path(), &["schema", "--out", "pipe.json"]);
    let (_, stderr) = text(&output);
    assert!(stderr.contains("which is not a regular file"), "{stderr}");

    // A regular file and a new path are written as ever.
    assert_eq!(
        run(dir.path(), &["schema", "--out", "case.schema.json"])
            .status
            .code(),
        Some(0)
    );
    assert!(dir.path().join("case.schema.json").is_file());
}

#[cfg(target_os = "linux")]
#[test]
fn a_write_to_a_full_standard_output_fails_the_command() {
    let full = Path::new("/dev/full");
    if !full.exists() {
        return;
    }
    let dir = workspace(&[("a.yaml", ACK)]);
    for args in [
        &["schema"][..],
        &["new", "decision"],
        &["list", "paragraphs"],
        &["explain", "cases/a.yaml"],
        &["render"],
    ] {
        let stdout = fs::File::options()
            .write(true)
            .open(full)
            .expect("/dev/full");
        let output = command(dir.path(), args)
            .stdout(stdout)
            .stderr(Stdio::piped())
            .output()
            .expect("ran");
        let (_, stderr) = text(&output);
        assert_ne!(output.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(
            stderr.contains("error[write-failed]: failed to write"),
            "{args:?}: {stderr}"
        );
    }
    assert!(
        dir.path().join("output/casewright-manifest.txt").exists(),
        "the batch still finished"
    );
}

/// A value of `office.yaml` that goes into an email's headers may not hold an
/// encoded word, which a mail client would show decoded as another sender.
#[test]
fn an_encoded_word_in_the_office_sender_is_refused() {
    let dir = workspace(&[("A-1.yaml", &ack("A-1"))]);
    let office = dir.path().join("letter-templates/office.yaml");
    let yaml = fs::read_to_string(&office).expect("office.yaml");
    let spoofed = yaml.replace(
        "email_name: ICO Casework",
        "email_name: \"=?utf-8?B?SGVscGRlc2s=?=\"",
    );
    assert_ne!(spoofed, yaml);
    fs::write(&office, spoofed).expect("written");
    let output = run(dir.path(), &["check"]);
    let (_, stderr) = text(&output);
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains("error[encoded-word]: office.yaml: `email_name`"),
        "{stderr}"
    );
    assert!(stderr.contains("office.yaml:10:"), "{stderr}");
}
