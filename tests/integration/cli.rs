//! The command line, run as a user runs it.

use std::fs;

use crate::support::{ACK, break_layout, files_under, root, run, text, workspace};

#[test]
fn render_writes_every_format_then_leaves_them_unchanged() {
    let dir = workspace(&[("a.yaml", ACK)]);
    let first = run(dir.path(), &["render"]);
    let (stdout, stderr) = text(&first);
    assert_eq!(first.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("written   output/IC-1-TEST/2023-01-05-acknowledgement.{md,pdf,eml}"),
        "{stdout}"
    );
    assert!(stderr.contains("rendered 1 letter of 1 case"), "{stderr}");
    let out = dir.path().join("output");
    assert_eq!(
        files_under(&out),
        [
            "IC-1-TEST/2023-01-05-acknowledgement.eml",
            "IC-1-TEST/2023-01-05-acknowledgement.md",
            "IC-1-TEST/2023-01-05-acknowledgement.pdf",
            "casewright-manifest.txt",
        ]
    );
    let before: Vec<Vec<u8>> = files_under(&out)
        .iter()
        .map(|f| fs::read(out.join(f)).expect("read"))
        .collect();

    let second = run(dir.path(), &["render"]);
    let (stdout, _) = text(&second);
    assert_eq!(second.status.code(), Some(0));
    assert!(stdout.contains("unchanged output/IC-1-TEST/"), "{stdout}");
    let after: Vec<Vec<u8>> = files_under(&out)
        .iter()
        .map(|f| fs::read(out.join(f)).expect("read"))
        .collect();
    assert_eq!(before, after, "a second render gives byte-identical files");
}

#[test]
fn render_into_another_folder_and_only_some_formats() {
    let dir = workspace(&[("nested/deeper/a.yaml", ACK)]);
    let output = run(
        dir.path(),
        &["render", "cases", "--out", "letters", "--format", "md"],
    );
    assert_eq!(output.status.code(), Some(0), "{:?}", text(&output));
    assert_eq!(
        files_under(&dir.path().join("letters")),
        [
            "IC-1-TEST/2023-01-05-acknowledgement.md",
            "casewright-manifest.txt"
        ]
    );
    assert!(!dir.path().join("output").exists());
}

#[test]
fn render_check_passes_when_current_and_fails_when_stale_missing_or_orphaned() {
    let dir = workspace(&[("a.yaml", ACK)]);
    assert_eq!(run(dir.path(), &["render"]).status.code(), Some(0));
    let check = run(dir.path(), &["render", "--check"]);
    assert_eq!(check.status.code(), Some(0), "{:?}", text(&check));

    // An edited case makes the committed letter stale.
    let edited = ACK.replace("dpo@example.org", "dpo@example.net");
    fs::write(dir.path().join("cases/a.yaml"), edited).expect("edit");
    let check = run(dir.path(), &["render", "--check"]);
    let (_, stderr) = text(&check);
    assert_eq!(check.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("stale     output/IC-1-TEST/2023-01-05-acknowledgement.md"),
        "{stderr}"
    );
    assert!(
        stderr.contains("stale     output/IC-1-TEST/2023-01-05-acknowledgement.pdf"),
        "the PDF names whom the email went to: {stderr}"
    );
    let md = fs::read_to_string(
        dir.path()
            .join("output/IC-1-TEST/2023-01-05-acknowledgement.md"),
    )
    .expect("md");
    assert!(md.contains("dpo@example.org"), "--check writes nothing");

    // A deleted output is missing.
    assert_eq!(run(dir.path(), &["render"]).status.code(), Some(0));
    fs::remove_file(
        dir.path()
            .join("output/IC-1-TEST/2023-01-05-acknowledgement.pdf"),
    )
    .expect("rm");
    let check = run(dir.path(), &["render", "--check"]);
    let (_, stderr) = text(&check);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stderr.contains(
            "missing   output/IC-1-TEST/2023-01-05-acknowledgement.pdf (render would write it)"
        ),
        "{stderr}"
    );

    // An output whose case is gone is orphaned.
    assert_eq!(run(dir.path(), &["render"]).status.code(), Some(0));
    fs::write(
        dir.path().join("output/IC-1-TEST/2022-01-01-decision.md"),
        "old",
    )
    .expect("write");
    let check = run(dir.path(), &["render", "--check"]);
    let (_, stderr) = text(&check);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stderr.contains("orphaned  output/IC-1-TEST/2022-01-01-decision.md"),
        "{stderr}"
    );
}

#[test]
fn check_validates_without_writing() {
    let dir = workspace(&[("a.yaml", ACK)]);
    let output = run(dir.path(), &["check"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("valid     IC-1-TEST 2023-01-05 acknowledgement"),
        "{stdout}"
    );
    assert!(!dir.path().join("output").exists(), "check writes nothing");
}

#[test]
fn a_bad_case_fails_the_batch_but_every_other_letter_is_rendered() {
    let bad = ACK
        .replace("IC-1-TEST", "IC-2-TEST")
        .replace("  name: Example Ltd", "  nmae: Example Ltd");
    let dir = workspace(&[("a.yaml", ACK), ("b.yaml", &bad)]);
    let output = run(dir.path(), &["render"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stderr.contains("error[unknown-key]: unknown key `nmae`"),
        "{stderr}"
    );
    assert!(stderr.contains("cases/b.yaml:3:3"), "{stderr}");
    assert!(stderr.contains("did you mean `name`?"), "{stderr}");
    assert!(
        dir.path()
            .join("output/IC-1-TEST/2023-01-05-acknowledgement.pdf")
            .exists()
    );
    assert!(!dir.path().join("output/IC-2-TEST").exists());

    let check = run(dir.path(), &["check"]);
    assert_eq!(check.status.code(), Some(1));
    let (_, stderr) = text(&check);
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("1 case failed: validated 1 letter of 2 cases in "),
        "{stderr}"
    );
    let json = run(dir.path(), &["check", "--message-format", "json"]);
    let (stdout, _) = text(&json);
    let summary: serde_json::Value =
        serde_json::from_str(stdout.lines().last().unwrap_or_default()).expect("json summary");
    assert_eq!(
        (
            &summary["type"],
            &summary["failed"],
            &summary["cases"],
            &summary["success"]
        ),
        (&"summary".into(), &1.into(), &2.into(), &false.into()),
        "{stdout}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = workspace(&[("a.yaml", ACK)]);
    for args in [
        &["render", "--no-such-flag"][..],
        &["frobnicate"],
        &["render", "--format", "docx"],
        &["render", "--shard", "3/2"],
        &["render", "no-such-folder"],
        &["check", "missing.yaml"],
    ] {
        let output = run(dir.path(), args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {:?}",
            text(&output)
        );
    }
}

#[test]
fn run_from_the_wrong_folder_gives_one_error_that_says_what_to_do() {
    let dir = workspace(&[("a.yaml", ACK)]);
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let cases = dir.path().join("cases");
    let cases = cases.to_str().expect("utf-8");
    let missing = elsewhere.path().join("templates");
    let missing = missing.to_str().expect("utf-8");
    let file = dir.path().join("cases/a.yaml");
    let file = file.to_str().expect("utf-8");
    for (args, expected) in [
        (
            &["render"][..],
            "error[no-templates]: no `letter-templates/` here: run casewright from the folder that holds it, or pass `--templates`",
        ),
        (
            &["check", cases],
            "error[no-templates]: no `letter-templates/` here: run casewright from the folder that holds it, or pass `--templates`",
        ),
        (
            &["render", cases, "--templates", "templates/"],
            "error[no-templates]: no `templates/` here",
        ),
        (
            &["check", cases, "--templates", missing],
            "error[no-templates]: no templates folder at",
        ),
        (&["check", cases, "--templates", file], "is not a folder"),
    ] {
        let output = run(elsewhere.path(), args);
        let (stdout, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert_eq!(
            stderr.matches("error").count(),
            1,
            "{args:?}: one error: {stderr}"
        );
        assert!(stdout.is_empty(), "{args:?}: {stdout}");
    }
    assert_eq!(
        fs::read_dir(elsewhere.path()).expect("read").count(),
        0,
        "nothing written"
    );
}

#[test]
fn letters_greet_the_contact_by_convention_or_as_the_case_says() {
    let case = "\
reference: IC-2-TEST
controller:
  name: Example Police
  email: dpo@example.org
  contact: Chief Superintendent J Ferguson
officer: { name: Sam Reed, title: Case Officer }
processing: law-enforcement
breach:
  occurred: 2023-01-02
  discovered: 2023-01-03T09:00
  reported: 2023-01-04T09:00
letters:
  - kind: acknowledgement
    date: 2023-01-05
  - kind: decision
    date: 2023-01-20
    salutation: Dear Chief Constable
    reasons: [It was an isolated incident.]
  - kind: decision
    date: 2023-01-21
    contact: The Data Protection Officer
    reasons: [It was an isolated incident.]
  - kind: decision
    date: 2023-01-22
    salutation: Dear *Sir* Keith
    reasons: [It was an isolated incident.]
";
    let dir = workspace(&[("a.yaml", case)]);
    let output = run(dir.path(), &["render", "--format", "md,eml"]);
    assert_eq!(output.status.code(), Some(0), "{:?}", text(&output));
    let folder = dir.path().join("output/IC-2-TEST");
    for (letter, greeting) in [
        (
            "2023-01-05-acknowledgement",
            "Dear Chief Superintendent Ferguson\n",
        ),
        ("2023-01-20-decision", "Dear Chief Constable\n"),
        ("2023-01-21-decision", "Dear Data Protection Officer\n"),
        // A salutation is plain text: Markdown in it is shown, not applied.
        ("2023-01-22-decision", "Dear \\*Sir\\* Keith\n"),
    ] {
        let md = fs::read_to_string(folder.join(format!("{letter}.md"))).expect("the letter");
        assert!(md.contains(greeting), "{letter}: {md}");
        let eml = fs::read_to_string(folder.join(format!("{letter}.eml"))).expect("the email");
        let plain = format!("{}\r\n", greeting.trim_end().replace('\\', ""));
        assert!(eml.contains(&plain), "{letter}: no {plain:?} in the email");
    }
}

/// A decision on a breach discovered and reported at the given times.
fn decision_case(discovered: &str, reported: &str) -> String {
    format!(
        "\
reference: IC-3-TEST
controller: {{ name: Example Police, email: dpo@example.org }}
officer: {{ name: Sam Reed, title: Case Officer }}
breach:
  occurred: 2023-03-20
  discovered: {discovered}
  reported: {reported}
letters:
  - kind: decision
    date: 2023-11-20
    reasons: [It was an isolated incident.]
"
    )
}

#[test]
fn the_72_hours_are_real_hours_in_the_office_time_zone() {
    let late = "there was a delay in reporting this breach";
    for (zone, discovered, reported, is_late) in [
        // 72.5 hours by the clock, 71.5 really: the clocks went forward.
        (
            "Europe/London",
            "2023-03-24T10:30",
            "2023-03-27T11:00",
            false,
        ),
        // 71.5 hours by the clock, 72.5 really: the clocks went back.
        (
            "Europe/London",
            "2023-10-27T10:00",
            "2023-10-30T09:30",
            true,
        ),
        // Offsets say the instant whatever the zone.
        (
            "Europe/London",
            "2023-03-24T10:30Z",
            "2023-03-27T11:00+01:00",
            false,
        ),
        // The zone is the office's: in UTC there is no clock change.
        ("UTC", "2023-03-24T10:30", "2023-03-27T11:00", true),
        ("UTC", "2023-10-27T10:00", "2023-10-30T09:30", false),
    ] {
        let dir = workspace(&[("a.yaml", &decision_case(discovered, reported))]);
        let office = dir.path().join("letter-templates/office.yaml");
        let yaml = fs::read_to_string(&office).expect("office.yaml");
        let changed = yaml.replace("time_zone: Europe/London", &format!("time_zone: {zone}"));
        assert!(changed.contains(&format!("time_zone: {zone}")));
        fs::write(&office, changed).expect("office.yaml");
        let output = run(dir.path(), &["render", "--format", "md"]);
        let row = format!("{zone}: {discovered} → {reported}");
        assert_eq!(output.status.code(), Some(0), "{row}: {:?}", text(&output));
        let md = fs::read_to_string(dir.path().join("output/IC-3-TEST/2023-11-20-decision.md"))
            .expect("the letter");
        assert_eq!(md.contains(late), is_late, "{row}: {md}");
    }
}

#[test]
fn an_unknown_time_zone_in_office_yaml_is_an_error_with_a_suggestion() {
    let dir = workspace(&[("a.yaml", ACK)]);
    let office = dir.path().join("letter-templates/office.yaml");
    let yaml = fs::read_to_string(&office).expect("office.yaml");
    fs::write(
        &office,
        yaml.replace("time_zone: Europe/London", "time_zone: Europe/Londn"),
    )
    .expect("office.yaml");
    let output = run(dir.path(), &["check"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("`time_zone` is not a time zone"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `Europe/London`?"), "{stderr}");
}

#[test]
fn help_describes_every_command_and_flag() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (stdout, _) = text(&run(dir.path(), &["--help"]));
    for word in ["render", "check", "case files"] {
        assert!(stdout.contains(word), "{word}: {stdout}");
    }
    let (stdout, _) = text(&run(dir.path(), &["render", "--help"]));
    for flag in [
        "--out",
        "--templates",
        "--format",
        "--check",
        "--jobs",
        "--shard",
        "--quiet",
        "--message-format",
    ] {
        assert!(stdout.contains(flag), "{flag}: {stdout}");
    }
}

#[test]
fn broken_templates_are_reported_with_file_and_line_and_exit_1() {
    let dir = workspace(&[("a.yaml", ACK)]);
    let template = dir.path().join("letter-templates/acknowledgement.md.tera");
    let text_before = fs::read_to_string(&template).expect("read");
    fs::write(
        &template,
        text_before.replace("{{ office.phone }}", "{{ office.phone }"),
    )
    .expect("write");
    let output = run(dir.path(), &["check"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[template-error]"), "{stderr}");
    assert!(
        stderr.contains("letter-templates/acknowledgement.md.tera:"),
        "{stderr}"
    );

    fs::write(
        &template,
        text_before.replace("{{ office.phone }}", "{{ office.fax }}"),
    )
    .expect("write");
    let output = run(dir.path(), &["render"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("letter-templates/acknowledgement.md.tera:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("while rendering the acknowledgement of IC-1-TEST dated 2023-01-05"),
        "{stderr}"
    );
}

#[test]
fn a_template_edit_makes_committed_letters_stale() {
    let dir = workspace(&[("a.yaml", ACK)]);
    assert_eq!(run(dir.path(), &["render"]).status.code(), Some(0));
    let template = dir.path().join("letter-templates/acknowledgement.md.tera");
    let text_before = fs::read_to_string(&template).expect("read");
    fs::write(
        &template,
        text_before.replace("Thank you for reporting", "Thank you for telling us about"),
    )
    .expect("write");
    let check = run(dir.path(), &["render", "--check", "--quiet"]);
    let (_, stderr) = text(&check);
    assert_eq!(check.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("stale     output/IC-1-TEST/2023-01-05-acknowledgement.md"),
        "{stderr}"
    );
    // ... and a render picks the change up although the case file did not change.
    let render = run(dir.path(), &["render"]);
    let (stdout, _) = text(&render);
    assert!(
        stdout.contains("written   output/IC-1-TEST/2023-01-05-acknowledgement"),
        "{stdout}"
    );
    assert_eq!(
        run(dir.path(), &["render", "--check"]).status.code(),
        Some(0)
    );
}

#[test]
fn json_messages_have_one_object_per_letter_and_no_letter_content() {
    let bad = ACK
        .replace("IC-1-TEST", "IC-2-TEST")
        .replace("date: 2023-01-05", "date: 2023-02-30");
    let dir = workspace(&[("a.yaml", ACK), ("b.yaml", &bad)]);
    let output = run(dir.path(), &["render", "--message-format", "json"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.is_empty(),
        "everything goes to stdout as JSON: {stderr}"
    );
    let objects: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object per line"))
        .collect();
    let letter = objects
        .iter()
        .find(|o| o["type"] == "letter")
        .expect("a letter");
    assert_eq!(letter["case"], "cases/a.yaml");
    assert_eq!(letter["kind"], "acknowledgement");
    assert_eq!(letter["status"], "written");
    assert_eq!(letter["outputs"].as_array().map(Vec::len), Some(3));
    let diagnostic = objects
        .iter()
        .find(|o| o["type"] == "diagnostic")
        .expect("a diagnostic");
    assert_eq!(diagnostic["code"], "impossible-date");
    assert_eq!(diagnostic["file"], "cases/b.yaml");
    assert_eq!(
        (diagnostic["line"].as_u64(), diagnostic["column"].as_u64()),
        (Some(12), Some(11))
    );
    let summary = objects.last().expect("a summary");
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["success"], false);
    for private in ["Example Ltd", "Sam Reed", "Thank you"] {
        assert!(
            !stdout.contains(private),
            "{private} leaked into JSON: {stdout}"
        );
    }
}

#[test]
fn shards_are_disjoint_and_cover_every_case() {
    let cases: Vec<(String, String)> = (0..12)
        .map(|i| {
            (
                format!("c{i}.yaml"),
                ACK.replace("IC-1-TEST", &format!("IC-{i}-SHARD")),
            )
        })
        .collect();
    let borrowed: Vec<(&str, &str)> = cases
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let dir = workspace(&borrowed);
    let mut seen = Vec::new();
    for shard in ["1/3", "2/3", "3/3"] {
        let output = run(
            dir.path(),
            &["check", "--shard", shard, "--message-format", "json"],
        );
        assert_eq!(output.status.code(), Some(0));
        let (stdout, _) = text(&output);
        let letters: Vec<String> = stdout
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|o| o["type"] == "letter")
            .map(|o| o["reference"].as_str().unwrap_or_default().to_owned())
            .collect();
        seen.extend(letters);
    }
    seen.sort();
    let mut expected: Vec<String> = (0..12).map(|i| format!("IC-{i}-SHARD")).collect();
    expected.sort();
    assert_eq!(seen, expected, "each case in exactly one shard");
}

#[test]
fn a_layout_error_names_layout_typ_and_the_letter() {
    let dir = workspace(&[("a.yaml", ACK)]);
    let line = break_layout(dir.path());
    let output = run(dir.path(), &["render"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[typeset-error]"), "{stderr}");
    assert!(
        stderr.contains(&format!("letter-templates/layout.typ:{line}:")),
        "{stderr}"
    );
    assert!(
        stderr.contains("unknown variable: no-such-function"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "while typesetting the acknowledgement of IC-1-TEST dated 2023-01-05 (cases/a.yaml)"
        ),
        "{stderr}"
    );
    assert!(
        !dir.path().join("output/IC-1-TEST").exists(),
        "nothing half-written"
    );
}

#[test]
fn a_letter_longer_than_the_page_limit_is_an_error() {
    let reasons: String = (0..60)
        .map(|i| format!("      - Reason {i}, which goes on for long enough to take a line or two of the page.\n"))
        .collect();
    let long = ACK.replace("kind: acknowledgement", "kind: decision") + "    reasons:\n" + &reasons;
    let dir = workspace(&[("a.yaml", &long)]);
    let office = dir.path().join("letter-templates/office.yaml");
    let text_before = fs::read_to_string(&office).expect("read");
    fs::write(
        &office,
        text_before.replace("max_pages: 12", "max_pages: 1"),
    )
    .expect("write");
    let output = run(dir.path(), &["render"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("pages long, more than the 1 allowed"),
        "{stderr}"
    );
}

/// The README's short tour stays true: its case file renders, and its summary
/// line has the shape a render prints.
#[test]
fn the_readme_tour_case_renders() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let start = readme.find("```yaml\n").expect("a YAML example") + "```yaml\n".len();
    let case = &readme[start..start + readme[start..].find("```").expect("its end")];
    let dir = workspace(&[("tour.yaml", case)]);
    let output = run(dir.path(), &["render"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stderr.contains("rendered 2 letters of 1 case in "),
        "{stderr}"
    );
}

/// A letter dated on a weekend or a bank holiday of the case's nation is a
/// located warning: the letter is still written, and `--deny-warnings` makes the
/// run fail.
#[test]
fn a_letter_dated_on_a_day_off_is_a_warning() {
    for (nation, date, warned) in [
        ("england-and-wales", "2024-01-06", Some("a Saturday")),
        ("england-and-wales", "2024-01-07", Some("a Sunday")),
        (
            "england-and-wales",
            "2023-12-25",
            Some("a bank holiday in England and Wales"),
        ),
        ("scotland", "2024-01-02", Some("a bank holiday in Scotland")),
        ("england-and-wales", "2024-01-02", None),
        (
            "northern-ireland",
            "2024-03-18",
            Some("a bank holiday in Northern Ireland"),
        ),
        ("scotland", "2024-03-18", None),
    ] {
        let case = ACK
            .replace("    date: 2023-01-05", &format!("    date: {date}"))
            .replace("officer:", &format!("nation: {nation}\nofficer:"));
        let dir = workspace(&[("a.yaml", &case)]);
        let output = run(dir.path(), &["render"]);
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(0), "{date}: {stderr}");
        let letter = format!("output/IC-1-TEST/{date}-acknowledgement.pdf");
        assert!(dir.path().join(&letter).exists(), "{date}: written");
        match warned {
            Some(day) => {
                assert!(
                    stderr.contains(&format!(
                        "warning[non-working-day]: the letter is dated on {day}"
                    )),
                    "{date}: {stderr}"
                );
                assert!(stderr.contains("cases/a.yaml:13:11"), "{date}: {stderr}");
                let denied = run(dir.path(), &["check", "--deny-warnings"]);
                assert_eq!(denied.status.code(), Some(1), "{date}: {:?}", text(&denied));
                let json = run(dir.path(), &["check", "--message-format", "json"]);
                let (stdout, _) = text(&json);
                assert!(stdout.contains("\"warnings\":1"), "{date}: {stdout}");
                assert_eq!(json.status.code(), Some(0), "{date}");
            }
            None => assert!(!stderr.contains("warning["), "{date}: {stderr}"),
        }
    }
}

/// The nations are the calendar's: one added to `bank-holidays.yaml` is listed,
/// named in warnings and accepted by cases, with no other change; a nation the
/// calendar lacks is a located error offering the ones it has.
#[test]
fn a_nation_added_to_the_calendar_is_one_cases_may_name() {
    let case = ACK
        .replace("    date: 2023-01-05", "    date: 2024-03-19")
        .replace("officer:", "nation: isle-of-man\nofficer:");
    let dir = workspace(&[("a.yaml", &case)]);
    let calendar = dir.path().join("letter-templates/bank-holidays.yaml");
    let text_before = std::fs::read_to_string(&calendar).expect("the calendar");
    let refused = run(dir.path(), &["check"]);
    let (_, stderr) = text(&refused);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error[unknown-value]: unknown nation `isle-of-man`"),
        "{stderr}"
    );
    assert!(stderr.contains("cases/a.yaml:5:9"), "{stderr}");
    assert!(
        stderr.contains("england-and-wales, northern-ireland, scotland"),
        "{stderr}"
    );
    let added = text_before.replace(
        "\nnations:\n",
        "\nnations:\n  isle-of-man:\n    name: the Isle of Man\n    holidays:\n      - { date: 2024-03-19, name: \"A test holiday\" }\n",
    );
    assert_ne!(added, text_before, "the calendar has `nations:`");
    std::fs::write(&calendar, added).expect("the calendar written");
    let output = run(dir.path(), &["render"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("the letter is dated on a bank holiday in the Isle of Man"),
        "{stderr}"
    );
    let listed = run(dir.path(), &["list", "nations"]);
    let (stdout, _) = text(&listed);
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("isle-of-man") && l.contains("the Isle of Man")),
        "{stdout}"
    );
}

/// Reading goes on past unknown keys and values of the wrong type, so one run
/// reports each of them, in file order.
#[test]
fn wrong_types_and_unknown_keys_are_all_reported_in_one_run() {
    let case = "\
reference: IC-9-TEST
controller:
  name: Example Ltd
  email: dpo@example.org
  emial: x@example.org
officer: { name: Sam Reed, title: Case Officer }
nation: wales
breach:
  occurred: 2023-01-02
  discovered: 2023-01-03T09:00
  reported: 2023-01-04T09:00
  data_subjects: many
  cyber: perhaps
letters:
  - kind: acknowledgement
    date: 11/09/2023
  - kind: decision
    date: 2023-02-01
    reasons: { a: b }
";
    let dir = workspace(&[("a.yaml", case)]);
    let output = run(dir.path(), &["check"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let found: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("┌─ cases/a.yaml:"))
        .collect();
    assert_eq!(
        found,
        ["5:3", "7:9", "12:18", "13:10", "16:11", "19:14"],
        "{stderr}"
    );
    for code in ["unknown-key", "unknown-value", "wrong-type", "bad-date"] {
        assert!(
            stderr.contains(&format!("error[{code}]")),
            "{code}: {stderr}"
        );
    }
}
