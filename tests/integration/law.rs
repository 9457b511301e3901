//! The law as `letter-templates/regimes.yaml` states it: which regime governs an
//! incident, by its date and the kind of processing.

use casewright::case::regime_of;
use casewright::case::{Processing, Regime};
use casewright::templates::Templates;
use chrono::NaiveDate;

use crate::support::root;

#[test]
fn regime_by_date_and_processing() {
    let templates = Templates::load(&root().join("letter-templates")).expect("templates");
    use Processing::{General as G, LawEnforcement as L};
    for (text, processing, expected) in [
        ("2018-05-17", G, Regime::Dpa1998),
        ("2018-05-24", G, Regime::Dpa1998),
        ("2018-05-25", G, Regime::Gdpr),
        ("2019-12-07", G, Regime::Gdpr),
        ("2020-12-31", G, Regime::Gdpr),
        ("2021-01-01", G, Regime::UkGdpr),
        ("2023-08-01", G, Regime::UkGdpr),
        ("2018-05-01", L, Regime::Dpa1998),
        ("2018-05-24", L, Regime::Dpa1998),
        ("2018-05-25", L, Regime::Dpa2018Part3),
        ("2020-12-31", L, Regime::Dpa2018Part3),
        ("2021-03-01", L, Regime::Dpa2018Part3),
    ] {
        let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date");
        assert_eq!(
            regime_of(&templates.regimes, date, processing),
            expected,
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
