//! The typesetter on the real layout and on broken or hostile ones.

use std::path::{Path, PathBuf};

use super::*;

fn real_templates() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("letter-templates")
}

fn meta(style: &str) -> serde_json::Value {
    serde_json::json!({
        "style": style, "kind": "reprimand", "title": "Reprimand: INV/0864/2021",
        "author": "Test Office", "date": {"year": 2022, "month": 5, "day": 19},
        "date_text": "19 May 2022", "reference": "INV/0864/2021", "their_reference": null,
        "delivery": "email",
        "recipient": {"name": "Example Ltd", "contact": null, "address": ["1 High St", "Leeds"], "email": "dpo@example.org"},
        "office": {"name": "Test Office", "strapline": null, "address": ["1 Road", "Town"], "phone": "0300 000 0000", "website": "example.org", "email": "case@example.org"},
        "labels": {"reference": "Our reference", "their_reference": "Your reference", "by_email": "By email only to:", "by_post": "By post", "page": "Page {n} of {total}", "date": "Date"},
    })
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

fn document<'a>(body: &'a str, meta: &'a serde_json::Value, max_pages: usize) -> Document<'a> {
    Document {
        body,
        meta,
        date: chrono::NaiveDate::from_ymd_opt(2022, 5, 19).expect("date"),
        ident: "INV/0864/2021 reprimand 2022-05-19",
        max_pages,
        label: "a test letter",
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
    let (body, meta) = (body(40), meta("letter"));
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
    for style in ["email", "attachment"] {
        let meta = meta_with_style(style);
        assert!(
            typesetter.pdf(&document(&body, &meta, 12)).is_ok(),
            "{style}"
        );
    }
}

fn meta_with_style(style: &str) -> serde_json::Value {
    meta(style)
}

#[test]
fn too_many_pages_is_an_error() {
    let typesetter = Typesetter::new(&real_templates()).expect("typesetter");
    let (body, meta) = (body(60), meta("letter"));
    let error = typesetter
        .pdf(&document(&body, &meta, 1))
        .err()
        .expect("too long");
    assert!(
        error.diagnostic.message.contains("more than the 1 allowed"),
        "{}",
        error.diagnostic.message
    );
}

#[test]
fn a_layout_error_names_the_file_line_and_column() {
    let dir = templates_with_layout("#let letter(meta, body) = {\n  body\n  undefined-thing\n}\n");
    let typesetter = Typesetter::new(dir.path()).expect("typesetter");
    let meta = meta("letter");
    let error = typesetter
        .pdf(&document("Hello", &meta, 5))
        .err()
        .expect("a layout error");
    let (file, line, column) = error.diagnostic.location().expect("located");
    assert_eq!(
        (
            Path::new(file).file_name().and_then(|f| f.to_str()),
            line,
            column
        ),
        (Some("layout.typ"), 3, 3),
        "{}",
        error.diagnostic.render(false)
    );
    assert!(!error.in_body, "an error in the layout is not in the body");
    assert!(
        error.diagnostic.render(false).contains("undefined-thing"),
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
    let meta = meta("letter");
    let error = typesetter
        .pdf(&document("Hello", &meta, 5))
        .err()
        .expect("an error");
    error.diagnostic.message
}

#[test]
fn a_missing_layout_is_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let error = Typesetter::new(dir.path()).err().expect("no layout");
    assert!(
        error.diagnostic.message.contains("layout.typ is missing"),
        "{}",
        error.diagnostic.message
    );
}

#[test]
fn an_error_in_the_body_names_it_but_quotes_none_of_it() {
    let typesetter = Typesetter::new(&real_templates()).expect("typesetter");
    let meta = meta("letter");
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
            .pdf(&document(&body, &meta, 5))
            .err()
            .expect("an error");
        let diagnostic = &error.diagnostic;
        let shown = diagnostic.render(false);
        assert!(error.in_body, "{shown}");
        assert!(diagnostic.source.is_none(), "not located: {shown}");
        assert!(
            diagnostic
                .message
                .contains("the letter body generated from the case's Markdown fields"),
            "{shown}"
        );
        assert!(diagnostic.message.contains(cause), "{shown}");
        assert!(!shown.contains("Private"), "{shown}");
        assert!(!shown.contains("generated Typst)"), "{shown}");
    }
}

#[test]
fn converted_markdown_of_any_depth_typesets() {
    let typesetter = Typesetter::new(&real_templates()).expect("typesetter");
    let meta = meta("letter");
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
            panic!("{}", error.diagnostic.render(false));
        }
    }
}
