//! `.eml` drafts: each letter as an RFC 5322 message a case officer can open in
//! Outlook or Thunderbird, check, and send.
//!
//! The message is deterministic: its `Date` is the letter's date (at noon UTC, so
//! no time zone shows another day), its `Message-ID` and MIME boundaries are derived
//! from the reference, kind, date and content, and no host name is read. Header
//! values come from validated plain-text fields (no line breaks can reach them), and
//! mail-builder encodes non-ASCII names and subjects per RFC 2047.

use std::borrow::Cow;

use mail_builder::MessageBuilder;
use mail_builder::headers::address::Address;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::message_id::MessageId;
use mail_builder::headers::raw::Raw;
use mail_builder::mime::{BodyPart, MimePart};
use sha2::{Digest, Sha256};

use crate::case::{Case, Letter};
use crate::templates::OfficeWords;

/// The column plain-text bodies are wrapped at.
pub const TEXT_WIDTH: usize = 76;

/// Everything a draft is built from: the message's parts finished, and the case
/// and letter for its headers.
pub struct Draft<'a> {
    /// The case.
    pub case: &'a Case,
    /// The letter.
    pub letter: &'a Letter,
    /// The email subject, plain text.
    pub subject: &'a str,
    /// The letter's title, plain text: the attached letter's file name.
    pub title: &'a str,
    /// The plain-text body, wrapped at [`TEXT_WIDTH`].
    pub text: &'a str,
    /// The HTML body, a complete document.
    pub html: &'a str,
    /// The sending office, as it stood on the letter's date.
    pub office: &'a OfficeWords,
    /// The typeset letter, attached for letter-style kinds.
    pub letter_pdf: Option<&'a [u8]>,
    /// Further attachments: (file name, PDF bytes).
    pub attachments: &'a [(String, Vec<u8>)],
}

/// Builds the message bytes.
// The MIME tree of one message, built in the order it is written.
pub fn build(draft: &Draft<'_>) -> Vec<u8> {
    let case = draft.case;
    let letter = draft.letter;
    let (text, html) = (draft.text, draft.html);
    let mut attachments: Vec<(Cow<'_, str>, &[u8])> = Vec::new();
    if let Some(pdf) = draft.letter_pdf {
        attachments.push((Cow::Owned(letter_file_name(draft)), pdf));
    }
    for (name, bytes) in draft.attachments {
        attachments.push((Cow::Borrowed(name.as_str()), bytes));
    }

    // Boundaries from the content itself, so none can occur inside a part.
    let mut hasher = Sha256::new();
    hasher.update(text.as_bytes());
    hasher.update(html.as_bytes());
    for (name, bytes) in &attachments {
        hasher.update(name.as_bytes());
        hasher.update(bytes);
    }
    let digest = hasher.finalize();
    let tag: String = digest[..10].iter().map(|b| format!("{b:02x}")).collect();

    let alternative = MimePart::new(
        ContentType::new("multipart/alternative").attribute("boundary", format!("alt-{tag}")),
        BodyPart::Multipart(vec![
            MimePart::new(
                ContentType::new("text/plain").attribute("charset", "utf-8"),
                BodyPart::Text(Cow::Borrowed(text)),
            ),
            MimePart::new(
                ContentType::new("text/html").attribute("charset", "utf-8"),
                BodyPart::Text(Cow::Borrowed(html)),
            ),
        ]),
    );
    let body = if attachments.is_empty() {
        alternative
    } else {
        let mut parts = vec![alternative];
        for (name, bytes) in attachments {
            parts.push(
                MimePart::new(
                    ContentType::new("application/pdf"),
                    BodyPart::Binary(Cow::Borrowed(bytes)),
                )
                .attachment(name.into_owned()),
            );
        }
        MimePart::new(
            ContentType::new("multipart/mixed").attribute("boundary", format!("mixed-{tag}")),
            BodyPart::Multipart(parts),
        )
    };

    let domain = draft
        .office
        .email
        .rsplit_once('@')
        .map_or("localhost", |(_, d)| d);
    let message_id = format!(
        "{}.{}.{}@{domain}",
        letter.date,
        letter.kind.key(),
        case.reference.folder()
    );
    let recipient = letter
        .contact
        .clone()
        .unwrap_or_else(|| case.controller.name.clone());
    let date = letter
        .date
        .and_hms_opt(12, 0, 0)
        .map_or(0, |d| d.and_utc().timestamp());
    let mut message = MessageBuilder::new()
        .from(Address::new_address(
            Some(draft.office.email_name.as_str()),
            draft.office.email.as_str(),
        ))
        .to(Address::new_address(
            Some(recipient.as_str()),
            letter.to.as_str(),
        ))
        .subject(draft.subject)
        .date(date)
        .message_id(MessageId::new(message_id))
        // Outlook opens a message with this header as an unsent draft, ready to send.
        .header("X-Unsent", Raw::new("1"))
        .body(body);
    if !letter.cc.is_empty() {
        let cc: Vec<Address<'_>> = letter
            .cc
            .iter()
            .map(|address| Address::new_address(None::<&str>, address.as_str()))
            .collect();
        message = message.cc(Address::new_list(cc));
    }
    message.write_to_vec().unwrap_or_default()
}

/// The attached letter's file name: "Reprimand INV-0864-2021 2022-05-19.pdf".
pub fn letter_file_name(draft: &Draft<'_>) -> String {
    let title: String = draft
        .title
        .chars()
        .map(|c| match c {
            '/' => '-',
            c if c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.') => c,
            _ => ' ',
        })
        .collect();
    let mut title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    // Every attached letter's name holds the case reference, whatever its title.
    let reference = draft.case.reference.folder();
    if !title.contains(&reference) {
        title = format!("{title} {reference}");
    }
    format!("{title} {}.pdf", draft.letter.date)
}
