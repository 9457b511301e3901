//! [`LayoutMeta`]: what `layout.typ` receives as `meta` in `letter(meta, body)`.
//!
//! It is the template authors' API for the page design: every value is plain text
//! or a number, passed as JSON data, never as markup or source, so nothing in a
//! case can run Typst code or change the layout.

use std::collections::BTreeMap;

use chrono::Datelike;
use serde::Serialize;

use crate::case::{Case, Delivery, Letter};
use crate::english::long_date;
use crate::templates::{Logo, OfficeWords, Post, Style, Templates};

/// The metadata of one letter (or attachment), as `layout.typ` sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayoutMeta {
    /// How the page is laid out: `letter` (with the addressee block and date),
    /// `email`, or `attachment` (a standard attachment typeset on its own).
    pub style: LayoutStyle,
    /// The kind of letter, by its key (`acknowledgement`, `decision`, `reprimand`,
    /// `progress-reminder`; for an attachment, the letter it goes with).
    pub kind: &'static str,
    /// The document title, plain text: the PDF's title (an attachment's own title).
    pub title: String,
    /// Whether the document is addressed to someone (`addressed` of its kind in
    /// `office.yaml`): a notice for publication is not, and has no address block
    /// or email header.
    pub addressed: bool,
    /// The office's name: the PDF's author.
    pub author: String,
    /// The letter's date, as numbers (for Typst's `datetime`).
    pub date: LayoutDate,
    /// The letter's date in words ("19 May 2022").
    pub date_text: String,
    /// The case reference.
    pub reference: String,
    /// The controller's own reference for the case, or none.
    pub their_reference: Option<String>,
    /// How the letter is sent: `email` or `post`; none for an email that does not say.
    pub delivery: Option<Delivery>,
    /// Whom the letter is to.
    pub recipient: Recipient,
    /// The office, for the letterhead and footer.
    pub office: LayoutOffice,
    /// The labels of `office.yaml` by name, as written there (`reference`,
    /// `their_reference`, `by_email`, `by_post`, `page` with `{n}` and `{total}`,
    /// `date`).
    pub labels: BTreeMap<String, String>,
    /// Where a posted letter's address goes (`post` in `office.yaml`): `window`
    /// (`left`, `right`, `top`, `bottom`, millimetres from the page's top-left
    /// corner), `font`, `size` and `min_size` (points), `lines` (fewest, most).
    pub post: Post,
}

/// How the page of a document is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LayoutStyle {
    /// A formal letter on letterhead, with the addressee block and date.
    Letter,
    /// An email's printable record: letterhead and date.
    Email,
    /// A standard attachment: letterhead only.
    Attachment,
}

/// A date as numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LayoutDate {
    /// The year (2022).
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
    /// The day of the month, 1 to 31.
    pub day: u32,
}

/// Whom a letter is to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recipient {
    /// The controller's name.
    pub name: String,
    /// The person addressed ("Ms E Morrison"), or none.
    pub contact: Option<String>,
    /// The controller's postal address, one line each.
    pub address: Vec<String>,
    /// The email address the letter goes to.
    pub email: String,
    /// The email addresses it is copied to.
    pub cc: Vec<String>,
}

/// The issuing office, from `office.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayoutOffice {
    /// Its full name.
    pub name: String,
    /// The line under its name on the letterhead, or none.
    pub strapline: Option<String>,
    /// Its postal address, one line each.
    pub address: Vec<String>,
    /// Its main phone number.
    pub phone: String,
    /// Its website, as shown ("example.org").
    pub website: String,
    /// Its casework mailbox.
    pub email: String,
    /// The letterhead's logo (`file`, relative to the templates folder, and `alt`,
    /// its alternative text), or none.
    pub logo: Option<Logo>,
}

impl LayoutMeta {
    /// The same metadata dated `date`: the day a public copy is published.
    pub fn dated(&mut self, date: chrono::NaiveDate) {
        self.date = LayoutDate {
            year: date.year(),
            month: date.month(),
            day: date.day(),
        };
        self.date_text = long_date(date);
    }

    /// Applies `redact` to every value from the case: the title, the controller's
    /// reference and the recipient (the office's own values are left as they are).
    pub fn redact(&mut self, redact: &impl Fn(&str) -> String) {
        self.title = redact(&self.title);
        self.author = redact(&self.author);
        self.their_reference = self.their_reference.as_deref().map(redact);
        let recipient = &mut self.recipient;
        recipient.name = redact(&recipient.name);
        recipient.contact = recipient.contact.as_deref().map(redact);
        recipient.address = recipient.address.iter().map(|l| redact(l)).collect();
        recipient.email = redact(&recipient.email);
        recipient.cc = recipient.cc.iter().map(|c| redact(c)).collect();
    }
}

/// How a letter is delivered: as its case says; else a formal letter goes by
/// email, and an email needs no word on it.
pub(crate) fn delivery(letter: &Letter, style: Style) -> Option<Delivery> {
    match style {
        Style::Letter => Some(letter.delivery.unwrap_or(Delivery::Email)),
        Style::Email => letter.delivery,
    }
}

impl LayoutMeta {
    /// The metadata of a letter whose title is `title`.
    pub fn new(
        case: &Case,
        letter: &Letter,
        templates: &Templates,
        office: &OfficeWords,
        title: &str,
    ) -> LayoutMeta {
        let controller = &case.controller;
        LayoutMeta {
            style: match templates.kind(letter.kind).style {
                Style::Letter => LayoutStyle::Letter,
                Style::Email => LayoutStyle::Email,
            },
            kind: letter.kind.key(),
            title: title.to_owned(),
            addressed: templates.kind(letter.kind).addressed,
            author: office.name.clone(),
            date: LayoutDate {
                year: letter.date.year(),
                month: letter.date.month(),
                day: letter.date.day(),
            },
            date_text: long_date(letter.date),
            reference: case.reference.as_str().to_owned(),
            their_reference: controller.their_reference.clone(),
            delivery: delivery(letter, templates.kind(letter.kind).style),
            recipient: Recipient {
                name: controller.name.clone(),
                contact: letter.contact.clone(),
                address: controller.address.clone(),
                email: letter.to.clone(),
                cc: letter.cc.clone(),
            },
            office: LayoutOffice {
                name: office.name.clone(),
                strapline: office.strapline.clone(),
                address: office.address.clone(),
                phone: office.phone.clone(),
                website: office.website.clone(),
                email: office.email.clone(),
                logo: templates.office.logo.clone(),
            },
            labels: templates.office.labels.clone(),
            post: templates.office.post.clone(),
        }
    }

    /// The metadata of a standard attachment titled `title`, sent with this letter.
    pub fn attachment(&self, title: &str) -> LayoutMeta {
        LayoutMeta {
            style: LayoutStyle::Attachment,
            title: title.to_owned(),
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::json;

    use super::*;

    #[test]
    fn the_layout_receives_these_fields_and_no_others() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let templates = Templates::load(&root.join("letter-templates")).expect("templates");
        let name = "cases/IC-120044-R8T2.yaml";
        let bytes = std::fs::read(root.join(name)).expect("the sample case");
        let case = crate::case::load(name, &bytes, &templates.vocabulary()).expect("a valid case");
        let words = templates.office.on(case.letters[0].date).expect("in force");
        let office = &words;
        let office_json = json!({
            "name": office.name, "strapline": office.strapline, "address": office.address,
            "phone": office.phone, "website": office.website, "email": office.email,
            "logo": templates.office.logo,
        });
        let post = &templates.office.post;
        let labels = &templates.office.labels;
        let recipient = json!({
            "name": "Riverside Community Housing Association",
            "contact": "Dr Priya Raman",
            "address": ["Riverside House", "2 Quayside", "Newcastle upon Tyne", "NE1 3DX"],
            "email": "dpo@riversidehousing.example",
            "cc": [],
        });
        let acknowledgement =
            LayoutMeta::new(&case, &case.letters[0], &templates, &words, "A title");
        let reprimand = LayoutMeta::new(&case, &case.letters[1], &templates, &words, "B title");
        for (meta, expected) in [
            (
                &acknowledgement,
                json!({
                    "style": "email", "kind": "acknowledgement", "title": "A title", "addressed": true,
                    "author": office.name,
                    "date": {"year": 2020, "month": 10, "day": 6}, "date_text": "6 October 2020",
                    "reference": "IC-120044-R8T2", "their_reference": "DPO-2020-117",
                    "delivery": null, "recipient": recipient, "office": office_json, "labels": labels,
                    "post": post,
                }),
            ),
            (
                &reprimand,
                json!({
                    "style": "letter", "kind": "reprimand", "title": "B title", "addressed": true,
                    "author": office.name,
                    "date": {"year": 2023, "month": 5, "day": 5}, "date_text": "5 May 2023",
                    "reference": "IC-120044-R8T2", "their_reference": "DPO-2020-117",
                    "delivery": "post", "recipient": recipient, "office": office_json, "labels": labels,
                    "post": post,
                }),
            ),
            (
                &reprimand.attachment("A leaflet"),
                json!({
                    "style": "attachment", "kind": "reprimand", "title": "A leaflet", "addressed": true,
                    "author": office.name,
                    "date": {"year": 2023, "month": 5, "day": 5}, "date_text": "5 May 2023",
                    "reference": "IC-120044-R8T2", "their_reference": "DPO-2020-117",
                    "delivery": "post", "recipient": recipient, "office": office_json, "labels": labels,
                    "post": post,
                }),
            ),
        ] {
            assert_eq!(
                serde_json::to_value(meta).expect("serialises"),
                expected,
                "{}",
                meta.title
            );
        }
    }
}
