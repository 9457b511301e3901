//! The PDF and email outputs of every sample letter, read back as a user's tools read them.

use casewright::case::LetterKind;
use casewright::english::long_date;
use casewright::kinds::Body;
use casewright::output::Format;
use chrono::Datelike;
use mail_parser::{MessageParser, MimeHeaders};

use crate::support::{each_sample_letter, engine, run, text, workspace};

/// The text of a PDF, as a PDF reader extracts it.
fn pdf_text(bytes: &[u8]) -> String {
    let text = pdf_extract::extract_text_from_mem(bytes).expect("the PDF's text extracts");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_sample_pdf_names_its_reference_date_and_deadline() {
    let engine = engine();
    each_sample_letter(&engine, |case, letter| {
        let files = engine
            .letter_files(case, letter, &[Format::Pdf])
            .expect("typesets");
        let pdf = &files[0].bytes;
        assert!(pdf.starts_with(b"%PDF-"), "{}", files[0].path.display());
        let text = pdf_text(pdf);
        let what = format!("{} {}", case.reference, letter.kind.key());
        assert!(
            text.contains(case.reference.as_str()),
            "{what}: reference in {text}"
        );
        assert!(
            text.contains(&long_date(letter.date)),
            "{what}: date in {text}"
        );
        assert!(text.contains("Page 1 of"), "{what}: page numbers in {text}");
        if let Body::Reprimand(reprimand) = &letter.body
            && reprimand.progress_update.is_some()
        {
            assert!(
                text.contains("by no later than"),
                "{what}: deadline in {text}"
            );
        }
    });
}

#[test]
fn every_sample_email_parses_with_both_bodies_and_its_attachments() {
    let engine = engine();
    each_sample_letter(&engine, |case, letter| {
        let files = engine
            .letter_files(case, letter, &[Format::Pdf, Format::Eml])
            .expect("renders");
        let Some(eml) = files.get(1).map(|f| &f.bytes) else {
            // Sent by post: no draft (tested on its own below).
            assert_eq!(letter.delivery, Some(casewright::case::Delivery::Post));
            return;
        };
        let pdf = &files[0].bytes;
        let message = MessageParser::default().parse(eml).expect("parses");
        let what = format!("{} {}", case.reference, letter.kind.key());
        let subject = message.subject().expect("subject");
        assert!(
            subject.contains(case.reference.as_str()),
            "{what}: {subject}"
        );
        let from = message
            .from()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .expect("from");
        let office = engine.templates.office.on(letter.date).expect("in force");
        assert_eq!(from, office.email);
        let to = message
            .to()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .expect("to");
        assert_eq!(to, letter.to);
        let date = message.date().expect("date");
        assert_eq!(
            (
                i32::from(date.year),
                u32::from(date.month),
                u32::from(date.day)
            ),
            (letter.date.year(), letter.date.month(), letter.date.day()),
            "{what}: the Date is the letter's date"
        );
        let text = message.body_text(0).expect("text body");
        let html = message.body_html(0).expect("html body");
        assert!(text.contains(case.reference.as_str()), "{what}: {text}");
        assert!(html.contains(case.reference.as_str()), "{what}");
        assert!(!html.contains("src=\"http"), "{what}: no remote resources");
        let attachments: Vec<_> = message.attachments().collect();
        if letter.kind == LetterKind::Reprimand {
            let letter_pdf = &attachments[0];
            assert_eq!(
                letter_pdf.content_type().map(|c| c.ctype()),
                Some("application")
            );
            assert_eq!(
                letter_pdf.content_type().and_then(|c| c.subtype()),
                Some("pdf")
            );
            let name = letter_pdf.attachment_name().unwrap_or_default();
            assert!(
                name.ends_with(".pdf") && name.contains(&case.reference.folder()),
                "{what}: {name}"
            );
            assert_eq!(
                letter_pdf.contents(),
                pdf.as_slice(),
                "{what}: the attached PDF is the letter"
            );
        }
        let head_end = eml
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("headers end");
        let head = &eml[..head_end];
        assert!(
            head.is_ascii(),
            "{what}: headers are 7-bit, non-ASCII encoded per RFC 2047"
        );
        for name in ["From:", "To:", "Subject:", "Date:", "Message-ID:"] {
            let count = head
                .split(|&b| b == b'\n')
                .filter(|l| l.starts_with(name.as_bytes()))
                .count();
            assert_eq!(count, 1, "{what}: one {name} header");
        }
        if let Some(contact) = &letter.contact {
            let name = message
                .to()
                .and_then(|a| a.first())
                .and_then(|a| a.name())
                .expect("to name");
            assert_eq!(
                name, contact,
                "{what}: the recipient's name survives encoding"
            );
        }
        // A formal letter (a reprimand, its notice) is attached to its covering email.
        let formal = matches!(
            letter.kind,
            LetterKind::Reprimand | LetterKind::ReprimandNotice
        );
        let expected = usize::from(formal) + letter.attachments.len();
        assert_eq!(attachments.len(), expected, "{what}: attachments");
        for attachment in &attachments {
            assert!(
                attachment.contents().starts_with(b"%PDF-"),
                "{what}: attachments are PDFs"
            );
        }
    });
}

/// A reprimand the tests can send by email or by post.
fn reprimand(delivery: &str) -> String {
    format!(
        "\
reference: IC-7-POST
controller:
  name: Example Ltd
  address: [\"1 High Street\", \"Leeds\", \"LS1 1AA\"]
  email: dpo@example.org
officer: {{ name: Sam Reed, title: Case Officer }}
breach:
  occurred: 2023-03-01
  discovered: 2023-03-02T09:00
  reported: 2023-03-03T09:00
letters:
  - kind: reprimand
    date: 2023-06-01
    delivery: {delivery}
    investigation: the loss of a laptop
    infringements: [uk-gdpr-art5-1-f]
    recommendations: [Encrypt laptops.]
"
    )
}

#[test]
fn a_posted_letter_has_no_email_draft_and_loses_the_one_it_had() {
    let dir = workspace(&[("a.yaml", &reprimand("email"))]);
    let eml = dir.path().join("output/IC-7-POST/2023-06-01-reprimand.eml");
    assert_eq!(run(dir.path(), &["render"]).status.code(), Some(0));
    assert!(eml.exists(), "an emailed reprimand has its draft");

    std::fs::write(dir.path().join("cases/a.yaml"), reprimand("post")).expect("case");
    let output = run(dir.path(), &["render"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        !eml.exists(),
        "a posted letter's old draft is removed: {stderr}"
    );
    assert!(
        stderr.contains("removed   output/IC-7-POST/2023-06-01-reprimand.eml"),
        "{stderr}"
    );
    assert!(
        dir.path()
            .join("output/IC-7-POST/2023-06-01-reprimand.pdf")
            .exists()
    );
    let check = run(dir.path(), &["render", "--check"]);
    assert_eq!(check.status.code(), Some(0), "{:?}", text(&check));

    // A draft put back by hand is a file no case produces.
    std::fs::write(&eml, "stray").expect("stray draft");
    let check = run(dir.path(), &["render", "--check"]);
    let (_, stderr) = text(&check);
    assert_eq!(check.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("orphaned  output/IC-7-POST/2023-06-01-reprimand.eml"),
        "{stderr}"
    );
}

#[test]
fn an_office_that_covers_posted_letters_gets_a_draft_saying_so() {
    let dir = workspace(&[("a.yaml", &reprimand("post"))]);
    let office = dir.path().join("letter-templates/office.yaml");
    let text_before = std::fs::read_to_string(&office).expect("office.yaml");
    let covered = text_before.replacen(
        "    subject: \"Reprimand - {{ case.reference }}\"\n",
        "    subject: \"Reprimand - {{ case.reference }}\"\n    cover_posted: true\n",
        1,
    );
    assert_ne!(covered, text_before, "the reprimand's entry is found");
    std::fs::write(&office, covered).expect("office.yaml");
    let output = run(dir.path(), &["render"]);
    assert_eq!(output.status.code(), Some(0), "{:?}", text(&output));
    let eml = std::fs::read(dir.path().join("output/IC-7-POST/2023-06-01-reprimand.eml"))
        .expect("a covering email");
    let message = mail_parser::MessageParser::default()
        .parse(&eml)
        .expect("eml parses");
    let body = message.body_text(0).expect("text");
    assert!(
        body.contains("We have posted to you our letter of 1 June 2023"),
        "{body}"
    );
    assert!(!body.contains("Please find attached"), "{body}");
    assert_eq!(
        message.attachment_count(),
        1,
        "the letter is attached as a copy"
    );
}
