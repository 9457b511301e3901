//! Golden letters: the Markdown of every sample letter and the plain-text body of
//! every sample email, compared with the expected files under `tests/golden/`.
//!
//! After a deliberate change to a template or a case, rewrite them with
//! `CASEWRIGHT_BLESS=1 cargo test --test integration golden` and review the diff.

use std::path::Path;

use casewright::output::Format;

use crate::support::{each_sample_letter, engine, root};

pub(crate) fn compare(name: &Path, actual: &str, failures: &mut Vec<String>) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("CASEWRIGHT_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("golden dir");
        std::fs::write(&path, actual).expect("golden written");
        return;
    }
    match std::fs::read_to_string(&path) {
        Ok(expected) if expected == actual => {}
        Ok(expected) => failures.push(format!(
            "{} differs from the rendered letter:\n{}",
            path.display(),
            first_difference(&expected, actual)
        )),
        Err(_) => failures.push(format!("{} is missing", path.display())),
    }
}

fn first_difference(expected: &str, actual: &str) -> String {
    for (number, (e, a)) in expected.lines().zip(actual.lines()).enumerate() {
        if e != a {
            return format!("line {}:\n  expected: {e}\n  actual:   {a}", number + 1);
        }
    }
    format!(
        "lengths differ: expected {} lines, got {}",
        expected.lines().count(),
        actual.lines().count()
    )
}

#[test]
fn every_sample_letter_matches_its_golden_markdown_and_email_text() {
    let engine = engine();
    let mut failures = Vec::new();
    let letters = each_sample_letter(&engine, |case, letter| {
        let files = engine
            .letter_files(case, letter, &[Format::Md, Format::Eml, Format::PublicMd])
            .expect("renders");
        let md = &files[0];
        compare(
            &md.path,
            std::str::from_utf8(&md.bytes).expect("utf-8"),
            &mut failures,
        );
        // A letter with a public copy has its public Markdown golden too.
        if let Some(public) = files.iter().find(|f| f.format == Format::PublicMd) {
            compare(
                &public.path,
                std::str::from_utf8(&public.bytes).expect("utf-8"),
                &mut failures,
            );
        }
        let txt = md.path.with_extension("txt");
        match files.iter().find(|f| f.format == Format::Eml) {
            Some(eml) => {
                let message = mail_parser::MessageParser::default()
                    .parse(&eml.bytes)
                    .expect("eml parses");
                let text = message.body_text(0).expect("a text/plain body");
                compare(&txt, &text, &mut failures);
            }
            // A letter with no email draft (one sent by post) has no golden text.
            None if root().join("tests/golden").join(&txt).exists() => {
                failures.push(format!("{}: the letter has no email draft", txt.display()));
            }
            None => {}
        }
    });
    assert!(letters >= 7, "every sample letter was compared");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
