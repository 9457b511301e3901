//! The law as `letter-templates/regimes.yaml` states it: which regime governs an
//! incident, by its date and the kind of processing.

use casewright::case::{Processing, Regime};
use casewright::templates::Templates;
use chrono::NaiveDate;

use crate::support::root;

#[test]
fn regime_by_date_and_processing() {
    let templates = Templates::load(&root().join("letter-templates")).expect("templates");
    use Processing::{General as G, LawEnforcement as L};
    for (text, processing, expected) in [
        ("2018-05-17", G, Regime::new("dpa1998")),
        ("2018-05-24", G, Regime::new("dpa1998")),
        ("2018-05-25", G, Regime::new("gdpr")),
        ("2019-12-07", G, Regime::new("gdpr")),
        ("2020-12-31", G, Regime::new("gdpr")),
        ("2021-01-01", G, Regime::new("uk-gdpr")),
        ("2023-08-01", G, Regime::new("uk-gdpr")),
        ("2018-05-01", L, Regime::new("dpa1998")),
        ("2018-05-24", L, Regime::new("dpa1998")),
        ("2018-05-25", L, Regime::new("dpa2018-part3")),
        ("2020-12-31", L, Regime::new("dpa2018-part3")),
        ("2021-03-01", L, Regime::new("dpa2018-part3")),
    ] {
        let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date");
        assert_eq!(
            templates.regimes.in_force(date, processing),
            &expected,
            "{text} {processing:?}"
        );
    }
}

#[test]
fn regimes_that_leave_a_day_uncovered_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    crate::support::copy_dir(&root().join("letter-templates"), dir.path());
    let path = dir.path().join("regimes.yaml");
    let text = std::fs::read_to_string(&path).expect("regimes.yaml");
    std::fs::write(&path, text.replace("from: 2021-01-01", "from: 2021-01-02")).expect("write");
    let errors = Templates::load(dir.path()).expect_err("a gap");
    assert!(
        errors.iter().any(|e| e
            .message
            .contains("`uk-gdpr` does not start the day after `gdpr` ends")),
        "{errors:?}"
    );
}

/// The regimes are the templates': one added to `regimes.yaml` (with a provision
/// of its own in `provisions.yaml`) governs the dates it covers, sets its own
/// time limit for a breach report, is listed and empowers a reprimand, with no
/// other change.
#[test]
fn a_regime_added_to_regimes_yaml_is_the_law_of_its_dates() {
    use crate::support::{run, text, workspace};
    let case = "\
reference: IC-7-LAW
controller: { name: Example Ltd, email: dpo@example.org }
officer: { name: Sam Reed, title: Case Officer }
breach:
  occurred: 2030-03-03
  discovered: 2030-03-04T09:00
  reported: 2030-03-06T09:00
  summary: in which a report was sent to the wrong address
letters:
  - kind: decision
    date: 2030-04-01
    reasons: [You told us what happened.]
";
    let dir = workspace(&[("a.yaml", case)]);
    let templates = dir.path().join("letter-templates");
    let edit = |file: &str, from: &str, to: &str| {
        let path = templates.join(file);
        let before = std::fs::read_to_string(&path).expect("a template file");
        let after = before.replacen(from, to, 1);
        assert_ne!(before, after, "{file} has {from:?}");
        std::fs::write(&path, after).expect("written");
    };
    edit(
        "regimes.yaml",
        "  from: 2021-01-01\n",
        "  from: 2021-01-01\n  until: 2029-12-31\n",
    );
    let regimes = templates.join("regimes.yaml");
    let mut text_now = std::fs::read_to_string(&regimes).expect("regimes.yaml");
    text_now.push_str(
        "test-act:\n  name: the Test Act 2030 (the TA)\n  short: the TA\n  called: the Test Act\n  \
         from: 2030-01-01\n  processing: [general]\n  report_breach_within_hours: 24\n  \
         powers:\n    reprimand: section 1 of the TA\n",
    );
    std::fs::write(&regimes, text_now).expect("written");
    let provisions = templates.join("provisions.yaml");
    let mut text_now = std::fs::read_to_string(&provisions).expect("provisions.yaml");
    text_now.push_str(
        "test-act-s2:\n  regime: test-act\n  title: Section 2 of the TA\n  text: which says what it says\n",
    );
    std::fs::write(&provisions, text_now).expect("written");

    let output = run(dir.path(), &["render"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let letter = std::fs::read_to_string(dir.path().join("output/IC-7-LAW/2030-04-01-decision.md"))
        .expect("the decision");
    // 48 hours is late under the new law's 24.
    assert!(
        letter.contains("within 24 hours of becoming aware of it"),
        "{letter}"
    );

    let explained = run(dir.path(), &["explain", "cases/a.yaml"]);
    let (stdout, stderr) = text(&explained);
    assert_eq!(explained.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.contains("is on or after 1 January 2030 → the TA"),
        "{stdout}"
    );
    assert!(
        stdout.contains("48 hours, more than 24 hours → late"),
        "{stdout}"
    );

    let listed = run(dir.path(), &["list", "provisions", "--regime", "test-act"]);
    let (stdout, stderr) = text(&listed);
    assert_eq!(listed.status.code(), Some(0), "{stderr}");
    let keys: Vec<&str> = stdout
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(keys, ["test-act-s2"], "{stdout}");

    let listed = run(dir.path(), &["list", "regimes"]);
    let (stdout, _) = text(&listed);
    let last = stdout.lines().last().unwrap_or_default();
    assert!(last.starts_with("test-act "), "{stdout}");
    assert!(last.ends_with("2030-01-01 onwards, general"), "{stdout}");
    assert!(
        stdout.contains("2021-01-01 to 2029-12-31, general"),
        "{stdout}"
    );
}

/// A provision of a regime `regimes.yaml` does not name is refused when the
/// templates are read, naming the regimes there are.
#[test]
fn a_provision_of_an_unknown_regime_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    crate::support::copy_dir(&root().join("letter-templates"), dir.path());
    let path = dir.path().join("provisions.yaml");
    let mut text = std::fs::read_to_string(&path).expect("provisions.yaml");
    text.push_str("stray-s1:\n  regime: stray-act\n  title: Section 1\n  text: which says\n");
    std::fs::write(&path, text).expect("write");
    let errors = Templates::load(dir.path()).expect_err("an unknown regime");
    let error = errors
        .iter()
        .find(|e| e.message.contains("`stray-s1`"))
        .unwrap_or_else(|| panic!("{errors:?}"));
    assert_eq!(
        error.message,
        "provision `stray-s1` is of the regime `stray-act`, which regimes.yaml does not name"
    );
    assert_eq!(
        error.notes,
        ["the regimes are: dpa1998, dpa2018-part3, gdpr, uk-gdpr"]
    );
}

/// A reprimand's words for the incidents it cannot cover come from
/// `regimes.yaml`: the law they fall under and the day the power began.
#[test]
fn a_reprimand_names_the_law_of_its_excluded_incidents_from_regimes_yaml() {
    use crate::support::{run, text, workspace};
    let sample =
        std::fs::read_to_string(root().join("cases/IC-120044-R8T2.yaml")).expect("a sample");
    let dir = workspace(&[("a.yaml", &sample)]);
    let regimes = dir.path().join("letter-templates/regimes.yaml");
    let before = std::fs::read_to_string(&regimes).expect("regimes.yaml");
    let after = before.replace(
        "  name: the Data Protection Act 1998 (the DPA 1998)\n  short: the DPA 1998\n  called: the Data Protection Act 1998\n",
        "  name: the Old Act 1990 (the Old Act)\n  short: the Old Act\n  called: the Old Act 1990\n",
    );
    assert_ne!(before, after, "regimes.yaml names the DPA 1998");
    std::fs::write(&regimes, after).expect("written");
    let output = run(dir.path(), &["render"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let letter = std::fs::read_to_string(
        dir.path()
            .join("output/IC-120044-R8T2/2023-05-05-reprimand.md"),
    )
    .expect("the reprimand");
    assert!(
        letter.contains("Two incidents fall under the Old Act 1990 (the Old Act)."),
        "{letter}"
    );
    assert!(
        letter.contains(
            "an incident that took place before 25 May 2018, when the Old Act 1990 was in force."
        ),
        "{letter}"
    );
}

/// A power is cited to the paragraph and sub-paragraph that gives it, as the
/// regime's `powers` in `regimes.yaml` give it, in the letters issued under it.
#[test]
fn a_part_3_reprimand_cites_its_power_to_the_sub_paragraph() {
    let md = std::fs::read_to_string(
        crate::support::root().join("tests/golden/INV-0864-2021/2022-05-19-reprimand.md"),
    )
    .expect("golden");
    assert!(
        md.contains("in accordance with paragraph 2(c) of Schedule 13 to the DPA 2018."),
        "{md}"
    );
    assert!(!md.contains("Schedule 13(2)"), "{md}");
}
