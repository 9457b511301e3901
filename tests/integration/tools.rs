//! The drafting tools: `watch`, `render --check --diff`, `list`, and the CI recipe.

use std::fs;
use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::support::{ACK, files_under, root, run, text, workspace};

/// How long a round of `watch` may take before a test gives up on it: generous, as
/// the machine may be busy; a test never waits this long when all is well.
const ROUND: Duration = Duration::from_secs(60);

/// A running `casewright watch`, its standard output read line by line.
struct Watching {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Watching {
    fn start(dir: &Path, args: &[&str]) -> Watching {
        let mut child = Command::new(env!("CARGO_BIN_EXE_casewright"))
            .current_dir(dir)
            .arg("watch")
            .args(args)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("casewright watch starts");
        let stdout: ChildStdout = child.stdout.take().expect("its stdout");
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Watching { child, lines }
    }

    /// The lines of the next round, up to the `watching` line that ends it.
    fn round(&self) -> Vec<String> {
        let mut round = Vec::new();
        loop {
            let line = self
                .lines
                .recv_timeout(ROUND)
                .unwrap_or_else(|e| panic!("no `watching` line ({e}) after {round:?}"));
            if line.starts_with("watching") {
                return round;
            }
            round.push(line);
        }
    }

    /// Sends Ctrl-C and waits for the exit code.
    fn interrupt(mut self) -> Option<i32> {
        let pid = libc::pid_t::try_from(self.child.id()).expect("a pid");
        // SAFETY: signals a child process this test started and still owns.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
        for _ in 0..600 {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code();
            }
            // Waiting on the child's exit (no event to wait on with a timeout).
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        panic!("watch did not stop on Ctrl-C");
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Writes a file whole, as an editor saves: a new file renamed into place.
fn save(path: &Path, text: &str) {
    let temporary = path.with_extension("saving");
    fs::write(&temporary, text).expect("write");
    fs::rename(&temporary, path).expect("rename");
}

#[test]
fn watch_renders_again_on_each_save_and_stops_cleanly_on_ctrl_c() {
    let other = ACK.replace("IC-1-TEST", "IC-2-TEST");
    let dir = workspace(&[("a.yaml", ACK), ("b.yaml", &other)]);
    let watching = Watching::start(dir.path(), &[]);
    let first = watching.round();
    assert!(
        first.contains(
            &"written   output/IC-1-TEST/2023-01-05-acknowledgement.{md,pdf,eml}".to_owned()
        ) && first.contains(
            &"written   output/IC-2-TEST/2023-01-05-acknowledgement.{md,pdf,eml}".to_owned()
        ),
        "{first:?}"
    );
    let letter = dir
        .path()
        .join("output/IC-1-TEST/2023-01-05-acknowledgement.md");
    assert!(
        fs::read_to_string(&letter)
            .expect("md")
            .contains("Sam Reed")
    );

    // A save renders that case only, and the letter says what the case now says.
    let case = dir.path().join("cases/a.yaml");
    save(&case, &ACK.replace("Sam Reed", "Alex Reed"));
    let second = watching.round();
    assert_eq!(
        second,
        ["written   output/IC-1-TEST/2023-01-05-acknowledgement.{md,pdf,eml}"]
    );
    assert!(
        fs::read_to_string(&letter)
            .expect("md")
            .contains("Alex Reed")
    );

    // An invalid case: its errors are printed, its letters kept, watching goes on.
    save(&case, &ACK.replace("date: 2023-01-05", "date: 2023-02-30"));
    assert_eq!(watching.round(), Vec::<String>::new());
    assert!(
        letter.exists(),
        "a case that does not load keeps its letters"
    );

    // A template change renders every case again.
    let template = dir.path().join("letter-templates/acknowledgement.md.tera");
    let before = fs::read_to_string(&template).expect("template");
    save(
        &template,
        &before.replace("Thank you for reporting", "Thank you for telling us about"),
    );
    let third = watching.round();
    assert_eq!(
        third,
        ["written   output/IC-2-TEST/2023-01-05-acknowledgement.{md,pdf,eml}"],
        "the broken case stays broken; the other is rendered with the new template"
    );

    // A deleted case has its letters tidied, as a render would.
    fs::remove_file(&case).expect("delete");
    assert_eq!(watching.round(), Vec::<String>::new());
    assert!(!letter.exists(), "the deleted case's letters are removed");

    assert_eq!(watching.interrupt(), Some(0), "Ctrl-C ends watch cleanly");
    let out = dir.path().join("output");
    let leftovers: Vec<String> = files_under(&out)
        .into_iter()
        .filter(|f| f.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let check = run(dir.path(), &["render", "--check", "cases/b.yaml"]);
    assert_eq!(check.status.code(), Some(0), "{:?}", text(&check));
}

#[test]
fn watch_in_json_ends_each_round_with_a_watching_object() {
    let dir = workspace(&[("a.yaml", ACK)]);
    let watching = Watching::start(dir.path(), &["--message-format", "json"]);
    let mut lines = Vec::new();
    loop {
        let line = watching.lines.recv_timeout(ROUND).expect("a line");
        let value: serde_json::Value = serde_json::from_str(&line).expect("JSON");
        if value["type"] == "watching" {
            break;
        }
        lines.push(value);
    }
    assert_eq!(
        lines.first().map(|v| v["status"].clone()),
        Some("written".into())
    );
    assert_eq!(
        lines.last().map(|v| v["type"].clone()),
        Some("summary".into())
    );
    assert_eq!(watching.interrupt(), Some(0));
}

#[test]
fn check_diff_shows_each_stale_letter_and_the_files_that_changed() {
    let dir = workspace(&[("a.yaml", ACK)]);
    assert_eq!(run(dir.path(), &["render"]).status.code(), Some(0));
    let template = dir.path().join("letter-templates/acknowledgement.md.tera");
    let before = fs::read_to_string(&template).expect("read");
    fs::write(
        &template,
        before.replace("Thank you for reporting", "Thank you for telling us about"),
    )
    .expect("write");

    let check = run(dir.path(), &["render", "--check", "--diff"]);
    let (stdout, stderr) = text(&check);
    assert_eq!(check.status.code(), Some(1), "{stderr}");
    let md = "output/IC-1-TEST/2023-01-05-acknowledgement.md";
    assert!(
        stdout.starts_with(&format!("--- {md} (committed)\n+++ {md} (rendered)\n@@ ")),
        "{stdout}"
    );
    assert!(stdout.contains("\n-Thank you for reporting"), "{stdout}");
    assert!(
        stdout.contains("\n+Thank you for telling us about"),
        "{stdout}"
    );
    for file in ["md", "pdf", "eml"] {
        let line = format!("stale     output/IC-1-TEST/2023-01-05-acknowledgement.{file}");
        assert!(stderr.contains(&line), "{line} in {stderr}");
    }

    let json = run(
        dir.path(),
        &["render", "--check", "--diff", "--message-format", "json"],
    );
    let (stdout, _) = text(&json);
    assert_eq!(json.status.code(), Some(1));
    let letter: serde_json::Value = stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON"))
        .find(|o| o["type"] == "letter")
        .expect("a letter");
    assert_eq!(letter["status"], "stale");
    assert_eq!(
        letter["changed"],
        serde_json::json!([
            md,
            "output/IC-1-TEST/2023-01-05-acknowledgement.pdf",
            "output/IC-1-TEST/2023-01-05-acknowledgement.eml"
        ])
    );
    assert!(
        !stdout.contains("Thank you"),
        "no letter text in JSON: {stdout}"
    );

    let usage = run(dir.path(), &["render", "--diff"]);
    assert_eq!(usage.status.code(), Some(2), "--diff needs --check");
}

#[test]
fn list_gives_keys_and_titles_filtered_as_a_table_or_json() {
    let list = |args: &[&str]| {
        let output = run(&root(), &[&["list"], args].concat());
        let (stdout, stderr) = text(&output);
        (output.status.code(), stdout, stderr)
    };
    let (code, stdout, stderr) = list(&["provisions", "--regime", "uk-gdpr", "--match", "5(1)(f)"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        stdout,
        "key               regime   title                           note\n\
         uk-gdpr-art5-1-f  uk-gdpr  Article 5(1)(f) of the UK GDPR  the integrity and confidentiality principle\n"
    );

    let (code, stdout, _) = list(&[
        "categories",
        "--match",
        "HEALTH",
        "--message-format",
        "json",
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(
        stdout,
        "{\"key\":\"health\",\"title\":\"health data\",\"note\":\"special\"}\n"
    );

    let (_, kinds, _) = list(&["kinds"]);
    let keys: Vec<&str> = kinds
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        keys,
        [
            "acknowledgement",
            "decision",
            "reprimand",
            "reprimand-notice",
            "progress-reminder"
        ]
    );

    for (listing, key) in [
        ("paragraphs", "pandemic-delays"),
        ("attachments", "security-leaflet"),
        ("nations", "northern-ireland"),
    ] {
        let (code, stdout, _) = list(&[listing]);
        assert_eq!(code, Some(0));
        assert!(
            stdout.lines().any(|l| l.starts_with(key)),
            "{listing}: {stdout}"
        );
    }

    let (code, _, stderr) = list(&["provisions", "--regime", "gdpr2"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("no regime is called `gdpr2`"), "{stderr}");
    let (code, _, stderr) = list(&["categories", "--regime", "gdpr"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("only provisions have a regime"), "{stderr}");
}

/// The `casewright` commands of the CI recipe's `run:` steps, each as its words
/// (up to a pipe or a redirection), with the matrix's shard written in.
fn recipe_commands(workflow: &serde_json::Value) -> Vec<(String, Vec<String>)> {
    let mut commands = Vec::new();
    let jobs = workflow["jobs"].as_object().expect("jobs");
    for (name, job) in jobs {
        let shards: Vec<String> = job["strategy"]["matrix"]["shard"]
            .as_array()
            .map(|s| s.iter().map(ToString::to_string).collect())
            .unwrap_or_else(|| vec![String::new()]);
        let steps = job["steps"].as_array().expect("steps");
        for run in steps.iter().filter_map(|s| s["run"].as_str()) {
            for line in run.lines().map(str::trim) {
                let Some(rest) = line.strip_prefix("casewright ") else {
                    continue;
                };
                for shard in &shards {
                    let words: Vec<String> = rest
                        .replace("${{ matrix.shard }}", shard)
                        .split_whitespace()
                        .take_while(|w| !matches!(*w, "|" | ">" | "||" | "&&" | ";"))
                        .map(str::to_owned)
                        .collect();
                    commands.push((format!("{name} {shard}"), words));
                }
            }
        }
    }
    commands
}

#[test]
fn the_ci_recipe_is_valid_yaml_and_its_commands_pass_on_the_samples() {
    let path = root().join("docs/ci/casewright.yml");
    let workflow_text = fs::read_to_string(&path).expect("the workflow");
    let workflow: serde_json::Value = serde_saphyr::from_str(&workflow_text).expect("valid YAML");
    let guide = fs::read_to_string(root().join("docs/ci.md")).expect("docs/ci.md");
    assert!(
        guide.contains(&format!("```yaml\n{workflow_text}```")),
        "docs/ci.md shows the workflow file as it is"
    );
    let commands = recipe_commands(&workflow);
    let shards: Vec<&str> = commands
        .iter()
        .filter_map(|(_, words)| {
            words
                .iter()
                .position(|w| w == "--shard")
                .map(|i| words[i + 1].as_str())
        })
        .collect();
    assert!(
        ["1/4", "2/4", "3/4", "4/4"]
            .iter()
            .all(|s| shards.contains(s)),
        "every shard is checked: {shards:?}"
    );
    let mut docket_runs = 0;
    for (job, words) in &commands {
        let mut words: Vec<&str> = words.iter().map(String::as_str).collect();
        // A docket depends on the day: run it on one where a sample update is
        // overdue, so the scheduled job's failure is the one tested.
        let expected = if words.first() == Some(&"docket") {
            docket_runs += 1;
            words.extend(["--as-of", "2026-12-16"]);
            if words.contains(&"--fail-on-overdue") {
                1
            } else {
                0
            }
        } else {
            0
        };
        let output = run(&root(), &words);
        let (stdout, stderr) = text(&output);
        assert_eq!(
            output.status.code(),
            Some(expected),
            "{job}: casewright {words:?}\n{stdout}\n{stderr}"
        );
        if words.contains(&"ics") {
            assert!(stdout.starts_with("BEGIN:VCALENDAR"), "{job}: {stdout}");
        }
        if words.contains(&"json") {
            for line in stdout.lines() {
                let value: serde_json::Value = serde_json::from_str(line).expect("JSON");
                // Render reports carry a `type`, docket deadlines a `state`.
                assert!(
                    value["type"].is_string() || value["state"].is_string(),
                    "{line}"
                );
            }
        }
    }
    assert_eq!(
        docket_runs, 3,
        "the scheduled job lists, fails and shows the deadlines"
    );
}

/// The JSON objects of `watch --message-format json` up to the next `watching`.
fn json_round(watching: &Watching) -> Vec<serde_json::Value> {
    let mut round = Vec::new();
    loop {
        let line = watching
            .lines
            .recv_timeout(ROUND)
            .unwrap_or_else(|e| panic!("no `watching` object ({e}) after {round:?}"));
        let value: serde_json::Value = serde_json::from_str(&line).expect("JSON");
        if value["type"] == "watching" {
            return round;
        }
        round.push(value);
    }
}

#[test]
fn watch_keeps_every_letter_while_the_cases_folder_is_away_and_renders_when_it_is_back() {
    let other = ACK.replace("IC-1-TEST", "IC-2-TEST");
    let dir = workspace(&[("a.yaml", ACK), ("b.yaml", &other)]);
    let watching = Watching::start(dir.path(), &["--message-format", "json"]);
    let first = json_round(&watching);
    assert_eq!(
        first.iter().filter(|v| v["status"] == "written").count(),
        2,
        "{first:?}"
    );
    let out = dir.path().join("output");
    let before = files_under(&out);

    // The folder moved away: an error, as `render` gives, and nothing removed.
    let cases = dir.path().join("cases");
    let away = dir.path().join("cases.away");
    fs::rename(&cases, &away).expect("move away");
    let gone = json_round(&watching);
    assert!(
        gone.iter().any(|v| v["type"] == "diagnostic"
            && v["code"] == "no-such-path"
            && v["message"] == "cases: no such case file or folder"),
        "{gone:?}"
    );
    assert!(!gone.iter().any(|v| v["type"] == "removed"), "{gone:?}");
    assert_eq!(files_under(&out), before, "every letter is kept");

    // A case saved while the folder is away changes nothing here.
    save(&away.join("a.yaml"), &ACK.replace("Sam Reed", "Alex Reed"));

    // Moved back: a round over every case, which renders the case saved meanwhile.
    fs::rename(&away, &cases).expect("move back");
    let back = json_round(&watching);
    let status = |reference: &str| {
        back.iter()
            .find(|v| v["type"] == "letter" && v["reference"] == reference)
            .map(|v| v["status"].clone())
    };
    assert_eq!(status("IC-1-TEST"), Some("written".into()), "{back:?}");
    assert_eq!(status("IC-2-TEST"), Some("unchanged".into()), "{back:?}");
    assert!(!back.iter().any(|v| v["type"] == "removed"), "{back:?}");
    assert_eq!(watching.interrupt(), Some(0));
    let check = run(dir.path(), &["render", "--check"]);
    assert_eq!(check.status.code(), Some(0), "{:?}", text(&check));
}

#[test]
fn a_second_ctrl_c_clears_only_the_temporary_files_of_watch_itself() {
    let dir = workspace(&[("a.yaml", ACK)]);
    let out = dir.path().join("output");
    fs::create_dir_all(out.join("IC-9-OTHER")).expect("output");
    // This test plays another render: it holds the output folder's lock, and one
    // of its writes is under way.
    let held = fs::File::open(&out).expect("open the folder");
    held.lock().expect("locked");
    let theirs = out.join("IC-9-OTHER/.casewright-under-way.tmp");
    fs::write(&theirs, "half a letter").expect("write");

    let mut child = Command::new(env!("CARGO_BIN_EXE_casewright"))
        .current_dir(dir.path())
        .arg("watch")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("casewright watch starts");
    let stderr = child.stderr.take().expect("its stderr");
    let (send, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    let next = |starting: &str| loop {
        let line = lines
            .recv_timeout(ROUND)
            .unwrap_or_else(|e| panic!("no line starting `{starting}` ({e})"));
        if line.starts_with(starting) {
            break;
        }
    };
    let interrupt = || {
        let pid = libc::pid_t::try_from(child.id()).expect("a pid");
        // SAFETY: signals a child process this test started and still owns.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    };
    // Watch's first round waits for the lock; Ctrl-C, then Ctrl-C again.
    next("waiting   for another casewright run");
    interrupt();
    next("stopping  after this round");
    interrupt();
    let mut status = None;
    for _ in 0..600 {
        status = child.try_wait().expect("wait");
        if status.is_some() {
            break;
        }
        // Waiting on the child's exit (no event to wait on with a timeout).
        std::thread::sleep(Duration::from_millis(100));
    }
    let Some(status) = status else {
        let _ = child.kill();
        panic!("watch did not stop on a second Ctrl-C");
    };
    assert_eq!(status.code(), Some(130));
    assert_eq!(
        fs::read_to_string(&theirs).expect("another run's write is left alone"),
        "half a letter"
    );
    held.unlock().expect("unlocked");
}
