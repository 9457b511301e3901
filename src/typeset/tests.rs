//! The typesetter on the real layout and on broken or hostile ones.

use std::path::{Path, PathBuf};

use super::*;
use crate::render::{LayoutDate, LayoutOffice, LayoutStyle, Recipient};

fn real_templates() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("letter-templates")
}

fn meta(style: LayoutStyle) -> LayoutMeta {
    let strings = |lines: &[&str]| lines.iter().map(|&l| l.to_owned()).collect();
    LayoutMeta {
        style,
        kind: "reprimand",
        title: "Reprimand: INV/0864/2021".into(),
        addressed: true,
        author: "Test Office".into(),
        date: LayoutDate {
            year: 2022,
            month: 5,
            day: 19,
        },
        date_text: "19 May 2022".into(),
        reference: "INV/0864/2021".into(),
        their_reference: None,
        delivery: Some(crate::case::Delivery::Email),
        recipient: Recipient {
            name: "Example Ltd".into(),
            contact: None,
            address: strings(&["1 High St", "Leeds"]),
            email: "dpo@example.org".into(),
            cc: Vec::new(),
        },
        office: LayoutOffice {
            name: "Test Office".into(),
            strapline: None,
            address: strings(&["1 Road", "Town"]),
            phone: "0300 000 0000".into(),
            website: "example.org".into(),
            email: "case@example.org".into(),
            logo: None,
        },
        labels: [
            ("reference", "Our reference"),
            ("their_reference", "Your reference"),
            ("by_email", "By email only to:"),
            ("by_post", "By post"),
            ("page", "Page {n} of {total}"),
            ("date", "Date"),
            ("to", "To"),
            ("cc", "Cc"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect(),
        post: crate::templates::Post::default(),
    }
}

fn body(paragraphs: usize) -> String {
    let mut body = String::from(
        "#heading(level: 2)[Details]\n\n#list([one], [two], )\n\n#table(columns: 2, align: (left, left,), table.header([a], [b], ), [1], [2], )\n\n",
    );
    for i in 0..paragraphs {
        body.push_str(&format!("Paragraph {i} of the letter, long enough to fill a line or two of the page with words and more words.\n\n"));
    }
    body
}

fn document<'a>(body: &'a str, meta: &'a LayoutMeta, max_pages: usize) -> Document<'a> {
    Document {
        body,
        meta,
        date: chrono::NaiveDate::from_ymd_opt(2022, 5, 19).expect("date"),
        ident: "INV/0864/2021 reprimand 2022-05-19",
        max_pages,
        label: "a test letter",
        origin: None,
    }
}

fn templates_with_layout(layout: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("layout.typ"), layout).expect("layout");
    dir
}

#[test]
fn typesets_a_multi_page_letter_reproducibly() {
    let typesetter = Typesetter::new(&real_templates()).expect("typesetter");
    let (body, meta) = (body(40), meta(LayoutStyle::Letter));
    let first = typesetter
        .pdf(&document(&body, &meta, 12))
        .expect("typesets");
    assert!(first.bytes.starts_with(b"%PDF-"));
    assert!(first.pages >= 2, "{} pages", first.pages);
    let second = typesetter
        .pdf(&document(&body, &meta, 12))
        .expect("typesets");
    assert!(
        first.bytes == second.bytes,
        "the same letter gives the same bytes"
    );
    let text = String::from_utf8_lossy(&first.bytes);
    assert!(
        text.contains("Reprimand: INV/0864/2021"),
        "the title is in the metadata"
    );
    for style in [LayoutStyle::Email, LayoutStyle::Attachment] {
        let styled = LayoutMeta {
            style,
            ..meta.clone()
        };
        assert!(
            typesetter.pdf(&document(&body, &styled, 12)).is_ok(),
            "{style:?}"
        );
    }
}

#[test]
fn too_many_pages_is_an_error() {
    let typesetter = Typesetter::new(&real_templates()).expect("typesetter");
    let (body, meta) = (body(60), meta(LayoutStyle::Letter));
    let error = typesetter
        .pdf(&document(&body, &meta, 1))
        .err()
        .expect("too long");
    assert!(
        error.0[0].message.contains("more than the 1 allowed"),
        "{}",
        error.0[0].message
    );
}

#[test]
fn a_layout_error_names_the_file_line_and_column() {
    let dir = templates_with_layout("#let letter(meta, body) = {\n  body\n  undefined-thing\n}\n");
    let typesetter = Typesetter::new(dir.path()).expect("typesetter");
    let meta = meta(LayoutStyle::Letter);
    let error = typesetter
        .pdf(&document("Hello", &meta, 5))
        .err()
        .expect("a layout error");
    let (file, line, column) = error.0[0].location().expect("located");
    assert_eq!(
        (
            Path::new(file).file_name().and_then(|f| f.to_str()),
            line,
            column
        ),
        (Some("layout.typ"), 3, 3),
        "{}",
        error.0[0].render(false)
    );
    assert!(
        error.0[0].render(false).contains("undefined-thing"),
        "the layout's line is quoted"
    );
}

#[test]
fn files_outside_the_templates_folder_and_packages_are_refused() {
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(outside.path().join("secret.txt"), "secret").expect("write");
    let name = outside
        .path()
        .file_name()
        .and_then(|n| n.to_str())
        .expect("name")
        .to_owned();
    for (layout, expect) in [
        (
            format!("#let letter(meta, body) = read(\"../{name}/secret.txt\")\n"),
            "escape",
        ),
        (
            "#let letter(meta, body) = read(\"/etc/passwd\")\n".to_owned(),
            "not found",
        ),
        (
            "#import \"@preview/example:0.1.0\": x\n#let letter(meta, body) = body\n".to_owned(),
            "packages are not available",
        ),
    ] {
        let dir = templates_with_layout(&layout);
        let message = error_in(dir.path());
        assert!(
            message.to_lowercase().contains(expect),
            "{layout}: {message}"
        );
    }
    let dir = templates_with_layout("#let letter(meta, body) = read(\"/link/secret.txt\")\n");
    std::os::unix::fs::symlink(outside.path(), dir.path().join("link")).expect("symlink");
    let message = error_in(dir.path());
    assert!(
        message.contains("denied"),
        "a symlink out of the folder: {message}"
    );
}

/// The message of the error typesetting a short letter with a templates folder gives.
fn error_in(dir: &Path) -> String {
    let typesetter = Typesetter::new(dir).expect("typesetter");
    let meta = meta(LayoutStyle::Letter);
    let error = typesetter
        .pdf(&document("Hello", &meta, 5))
        .err()
        .expect("an error");
    error.0[0].message.clone()
}

#[test]
fn a_missing_layout_is_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let error = Typesetter::new(dir.path()).err().expect("no layout");
    assert!(
        error.0[0].message.contains("layout.typ is missing"),
        "{}",
        error.0[0].message
    );
}

#[test]
fn an_error_in_the_body_names_it_and_the_case_file_but_quotes_none_of_it() {
    let typesetter = Typesetter::new(&real_templates()).expect("typesetter");
    let meta = meta(LayoutStyle::Letter);
    let case = DiagSource::new("cases/IC-1.yaml", "summary: Private words\n");
    for (body, cause) in [
        (
            format!(
                "Private words {}x{}",
                "#quote[".repeat(300),
                "]".repeat(300)
            ),
            "maximum parsing depth exceeded",
        ),
        ("Private words #emph[unclosed".to_owned(), "unclosed"),
        (
            "Private words #no-such-function()".to_owned(),
            "unknown variable",
        ),
    ] {
        let error = typesetter
            .pdf(&Document {
                origin: Some(&case),
                ..document(&body, &meta, 5)
            })
            .err()
            .expect("an error");
        assert!(error.0[0].message.contains(cause), "{}", error.0[0]);
        for diagnostic in &error.0 {
            let shown = diagnostic.render(false);
            assert_eq!(
                diagnostic.location(),
                Some(("cases/IC-1.yaml", 1, 1)),
                "put on the case file: {shown}"
            );
            assert!(
                diagnostic
                    .source
                    .as_ref()
                    .is_some_and(|s| s.text.is_empty()),
                "none of the case file is kept: {shown}"
            );
            assert!(
                diagnostic
                    .message
                    .contains("the letter body generated from the case's Markdown fields"),
                "{shown}"
            );
            for hidden in ["Private", "generated Typst)", ".casewright"] {
                assert!(!shown.contains(hidden), "{hidden}: {shown}");
            }
        }
    }
}

/// A layout with two errors that typesetting meets independently (each `context`
/// block is laid out on its own), one of them in a function it calls, an error in a
/// show rule applied to the body's heading, and an unknown font, which warns.
const LAYOUT_WITH_SEVERAL_PROBLEMS: &str = "\
#let helper(x) = {
  x + undefined-two
}
#let letter(meta, body) = {
  set text(font: \"No Such Font\")
  context { undefined-one }
  context { helper(1) }
  show heading: it => it.nope
  body
}
";

#[test]
fn every_error_and_warning_of_a_failed_compilation_is_reported_located() {
    let dir = templates_with_layout(LAYOUT_WITH_SEVERAL_PROBLEMS);
    let typesetter = Typesetter::new(dir.path()).expect("typesetter");
    let meta = meta(LayoutStyle::Letter);
    let case = DiagSource::new("cases/IC-1.yaml", "summary: Private words\n");
    let error = typesetter
        .pdf(&Document {
            origin: Some(&case),
            ..document("= Private heading\n\nPrivate words", &meta, 5)
        })
        .err()
        .expect("an error");
    let layout = dir.path().join("layout.typ").display().to_string();
    let subtraction =
        "hint: if you meant to use subtraction, try adding spaces around the minus sign";
    let mut expected = vec![
        (
            diag::Severity::Error,
            "failed to typeset the letter: unknown variable: undefined-one",
            (6, 13),
            vec![format!("{subtraction}: `undefined - one`")],
        ),
        (
            diag::Severity::Error,
            "failed to typeset the letter: unknown variable: undefined-two",
            (2, 7),
            vec![
                format!("{subtraction}: `undefined - two`"),
                format!("while calling `helper` ({layout}:7:13)"),
            ],
        ),
        (
            diag::Severity::Error,
            "failed to typeset the letter: heading does not have field \"nope\"",
            (8, 26),
            vec![
                "while showing heading element (in the letter body generated from the case's Markdown fields)"
                    .to_owned(),
            ],
        ),
        (
            diag::Severity::Warning,
            "unknown font family: no such font",
            (5, 18),
            vec![],
        ),
    ];
    let mut found: Vec<_> = error
        .0
        .iter()
        .map(|d| {
            let (file, line, column) = d.location().expect("located");
            assert_eq!(file, layout, "{d}");
            (
                d.severity,
                d.message.as_str(),
                (line, column),
                d.notes.clone(),
            )
        })
        .collect();
    assert_eq!(
        error.0[0].severity,
        diag::Severity::Error,
        "an error comes first"
    );
    assert!(
        error
            .0
            .iter()
            .skip_while(|d| d.severity == diag::Severity::Error)
            .all(|d| d.severity == diag::Severity::Warning),
        "errors, then warnings"
    );
    // Typst's order among the errors is its own; what matters is that each is there.
    found.sort_by_key(|row| (row.0 == diag::Severity::Warning, row.2));
    expected.sort_by_key(|row| (row.0 == diag::Severity::Warning, row.2));
    assert_eq!(found, expected);
    let shown: String = error.0.iter().map(|d| d.render(false)).collect();
    assert!(
        shown.contains("6 │   context { undefined-one }"),
        "the layout's lines are quoted: {shown}"
    );
    assert!(!shown.contains("Private"), "the body is not: {shown}");
}

#[test]
fn an_error_in_a_function_another_template_file_defines_names_both_files() {
    let dir = templates_with_layout(
        "#import \"parts/helpers.typ\": helper\n#let letter(meta, body) = {\n  helper(1)\n  body\n}\n",
    );
    std::fs::create_dir(dir.path().join("parts")).expect("mkdir");
    std::fs::write(
        dir.path().join("parts/helpers.typ"),
        "// Helpers.\n#let helper(x) = {\n  x.no-such-method()\n}\n",
    )
    .expect("write");
    let typesetter = Typesetter::new(dir.path()).expect("typesetter");
    let meta = meta(LayoutStyle::Letter);
    let error = typesetter
        .pdf(&document("Hello", &meta, 5))
        .err()
        .expect("an error");
    assert_eq!(error.0.len(), 1, "{:?}", error.0);
    let diagnostic = &error.0[0];
    let helpers = dir.path().join("parts/helpers.typ").display().to_string();
    let layout = dir.path().join("layout.typ").display().to_string();
    assert_eq!(diagnostic.location(), Some((helpers.as_str(), 3, 3)));
    assert_eq!(
        diagnostic.notes,
        [format!("while calling `helper` ({layout}:3:3)")]
    );
    let shown = diagnostic.render(false);
    assert!(shown.contains("x.no-such-method()"), "{shown}");
}

#[test]
fn a_layout_without_a_letter_function_is_named() {
    let dir = templates_with_layout("#let lettre(meta, body) = body\n");
    let typesetter = Typesetter::new(dir.path()).expect("typesetter");
    let meta = meta(LayoutStyle::Letter);
    let error = typesetter
        .pdf(&document("Hello", &meta, 5))
        .err()
        .expect("an error");
    let layout = dir.path().join("layout.typ").display().to_string();
    let diagnostic = &error.0[0];
    assert_eq!(
        diagnostic.location(),
        Some((layout.as_str(), 1, 1)),
        "{diagnostic}"
    );
    assert!(
        diagnostic.message.contains("unresolved import"),
        "{diagnostic}"
    );
    assert!(
        diagnostic
            .notes
            .iter()
            .any(|n| n.contains("calls it as `letter(meta, body)`")),
        "{:?}",
        diagnostic.notes
    );
}

#[test]
fn converted_markdown_of_any_depth_typesets() {
    let typesetter = Typesetter::new(&real_templates()).expect("typesetter");
    let meta = meta(LayoutStyle::Letter);
    for markdown in [
        format!("{}deep", "> ".repeat(500)),
        (0..300)
            .map(|level| format!("{}- item\n", "  ".repeat(level)))
            .collect(),
        format!("{}deep{}", "*w _w ".repeat(100), " w_ w*".repeat(100)),
        format!("{}| a |\n|-|\n| b |", "> ".repeat(100)),
    ] {
        let body = crate::convert::to_typst(&markdown);
        if let Err(error) = typesetter.pdf(&document(&body, &meta, 50)) {
            panic!("{}", error.0[0].render(false));
        }
    }
}

/// Typst quotes what it could not use, which may be a case's text: messages
/// keep their words and lose their quotations.
#[test]
fn typst_messages_lose_their_quotations() {
    for (message, expected) in [
        (
            "panicked with: \"Eleanor Morrison\"",
            "panicked with: \"…\"",
        ),
        ("unknown variable: `morrison`", "unknown variable: `…`"),
        (
            "expected string, found content",
            "expected string, found content",
        ),
        ("unclosed \"Morri", "unclosed \"…"),
    ] {
        assert_eq!(super::unquoted(message), expected, "{message}");
    }
}
