//! Every PDF claims PDF/UA-1 and PDF/A-2a, checked here independently of Typst:
//! the written files are parsed with lopdf and their catalogue, metadata, fonts and
//! structure tree inspected; a posted letter's address is found by its position
//! on the page; a signature that falls on a page break is kept whole.

use std::collections::BTreeSet;

use casewright::Engine;
use casewright::case::{Delivery, Letter, LetterKind};
use casewright::output::Format;
use lopdf::{Dictionary, Document, Object};
use mail_parser::{MessageParser, MimeHeaders};

use crate::support::{ACK, each_sample_letter, engine, run, text, workspace};

/// Points per millimetre.
const PT_PER_MM: f64 = 72.0 / 25.4;

fn name_of(object: &Object) -> String {
    object
        .as_name()
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_default()
}

fn string_of(object: &Object) -> String {
    object
        .as_str()
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .unwrap_or_default()
}

/// The object behind a reference, or the object itself.
fn resolve<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    doc.dereference(object).map_or(object, |(_, o)| o)
}

fn dict<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Dictionary> {
    resolve(doc, object).as_dict().ok()
}

/// The catalogue, metadata and fonts of one PDF meet what PDF/UA-1 and PDF/A-2a
/// ask of them; returns the parsed document.
fn assert_conforms(what: &str, bytes: &[u8], title: &str) -> Document {
    let doc = Document::load_mem(bytes).unwrap_or_else(|e| panic!("{what}: parses ({e})"));
    let catalog = doc.catalog().expect("a catalogue");

    let mark_info = catalog
        .get(b"MarkInfo")
        .ok()
        .and_then(|o| dict(&doc, o))
        .unwrap_or_else(|| panic!("{what}: /MarkInfo"));
    assert_eq!(
        mark_info.get(b"Marked").and_then(Object::as_bool).ok(),
        Some(true),
        "{what}: tagged"
    );
    assert!(
        catalog.get(b"StructTreeRoot").is_ok(),
        "{what}: /StructTreeRoot"
    );
    assert_eq!(
        catalog.get(b"Lang").map(string_of).ok().as_deref(),
        Some("en-GB"),
        "{what}: /Lang"
    );
    let preferences = catalog
        .get(b"ViewerPreferences")
        .ok()
        .and_then(|o| dict(&doc, o))
        .unwrap_or_else(|| panic!("{what}: /ViewerPreferences"));
    assert_eq!(
        preferences
            .get(b"DisplayDocTitle")
            .and_then(Object::as_bool)
            .ok(),
        Some(true),
        "{what}: the title shows in the title bar"
    );

    let metadata = catalog
        .get(b"Metadata")
        .ok()
        .map(|o| resolve(&doc, o))
        .and_then(|o| o.as_stream().ok())
        .unwrap_or_else(|| panic!("{what}: XMP metadata"));
    let xmp = metadata
        .decompressed_content()
        .unwrap_or_else(|_| metadata.content.clone());
    let xmp = String::from_utf8_lossy(&xmp);
    for claim in [
        ("pdfuaid:part", "1"),
        ("pdfaid:part", "2"),
        ("pdfaid:conformance", "A"),
    ] {
        assert!(
            claims(&xmp, claim.0, claim.1),
            "{what}: XMP claims {claim:?}"
        );
    }
    assert!(
        xmp.contains(&xml_escape(title)),
        "{what}: the XMP title is {title:?}"
    );

    let mut fonts = 0;
    for object in doc.objects.values() {
        let Ok(font) = object.as_dict() else { continue };
        if font.get(b"Type").map(name_of).ok().as_deref() != Some("Font") {
            continue;
        }
        let subtype = font.get(b"Subtype").map(name_of).unwrap_or_default();
        if subtype == "Type0" || subtype == "Type3" {
            // A composite font is embedded through its descendant, checked as
            // its own object; a Type 3 font is drawn by the PDF itself.
            continue;
        }
        fonts += 1;
        let descriptor = font
            .get(b"FontDescriptor")
            .ok()
            .and_then(|o| dict(&doc, o))
            .unwrap_or_else(|| panic!("{what}: a {subtype} font has a descriptor"));
        assert!(
            [&b"FontFile"[..], b"FontFile2", b"FontFile3"]
                .iter()
                .any(|key| descriptor.get(key).is_ok()),
            "{what}: every font is embedded ({subtype})"
        );
    }
    assert!(fonts > 0, "{what}: has fonts");
    doc
}

/// Whether the XMP packet states `key` as `value`, as an element or an attribute.
fn claims(xmp: &str, key: &str, value: &str) -> bool {
    xmp.contains(&format!("<{key}>{value}</{key}>")) || xmp.contains(&format!("{key}=\"{value}\""))
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The structure types of the tree, depth first: the reading order.
fn structure(doc: &Document) -> Vec<String> {
    fn walk(doc: &Document, object: &Object, out: &mut Vec<String>, depth: usize) {
        assert!(depth < 200, "the structure tree is a tree");
        match resolve(doc, object) {
            Object::Array(kids) => {
                for kid in kids {
                    walk(doc, kid, out, depth + 1);
                }
            }
            Object::Dictionary(element) => {
                if let Ok(kind) = element.get(b"S") {
                    let mut kind = name_of(kind);
                    if kind == "Figure" {
                        let alt = element.get(b"Alt").map(string_of).unwrap_or_default();
                        kind = format!("Figure({alt})");
                    }
                    out.push(kind);
                }
                if let Ok(kids) = element.get(b"K") {
                    walk(doc, kids, out, depth + 1);
                }
            }
            _ => {}
        }
    }
    let catalog = doc.catalog().expect("catalogue");
    let root = catalog.get(b"StructTreeRoot").expect("structure tree");
    let mut out = Vec::new();
    walk(doc, root, &mut out, 0);
    out
}

/// Every PDF of every sample letter, with its attachments, conforms.
#[test]
fn every_sample_pdf_claims_pdf_ua_1_and_pdf_a_2a_and_has_what_they_require() {
    let engine = engine();
    let logo = engine.templates.office.logo.clone().expect("a logo");
    let mut attachments = 0;
    let letters = each_sample_letter(&engine, |case, letter| {
        let files = engine
            .letter_files(case, letter, &[Format::Pdf, Format::Eml])
            .expect("renders");
        let what = format!("{} {}", case.reference, letter.kind.key());
        let title = engine
            .typst_inputs(case, letter)
            .expect("renders")
            .meta
            .title;
        let doc = assert_conforms(&what, &files[0].bytes, &title);
        let tree = structure(&doc);
        assert_eq!(
            tree.iter().find(|s| s.starts_with('H')).map(String::as_str),
            Some("H1"),
            "{what}: the title is the first heading: {tree:?}"
        );
        assert!(
            tree.contains(&format!("Figure({})", logo.alt)),
            "{what}: the logo has its alternative text: {tree:?}"
        );
        // A filed copy says whom the letter went to, email-style letters too.
        let words = pdf_extract::extract_text_from_mem(&files[0].bytes).expect("text");
        let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
        let posted = letter.delivery == Some(Delivery::Post);
        // A notice is published: it names the controller, not whom it was sent to.
        let notice = letter.kind == LetterKind::ReprimandNotice;
        assert!(
            words.contains(case.controller.name.as_str()),
            "{what}: names the controller"
        );
        assert!(
            posted || notice || words.contains(letter.to.as_str()),
            "{what}: names {}",
            letter.to
        );
        if let Some(contact) = letter.contact.as_ref().filter(|_| !notice) {
            assert!(words.contains(contact.as_str()), "{what}: names {contact}");
        }
        // A posted letter has no email draft, so no attachments to check.
        let Some(eml) = files.get(1) else {
            assert!(posted, "{what}: only a posted letter has no draft");
            return;
        };
        let message = MessageParser::default().parse(&eml.bytes).expect("parses");
        for part in message.attachments() {
            let pdf = part
                .content_type()
                .is_some_and(|t| t.subtype() == Some("pdf"));
            // The letter's own PDF, attached to its covering email, is checked above.
            if pdf && part.contents() != files[0].bytes.as_slice() {
                let name = part.attachment_name().unwrap_or("attachment").to_owned();
                let attached = engine
                    .templates
                    .office
                    .attachments
                    .values()
                    .find(|a| a.file_name == name)
                    .expect("a standard attachment");
                assert_conforms(&format!("{what}: {name}"), part.contents(), &attached.title);
                attachments += 1;
            }
        }
    });
    assert!(
        letters >= 10 && attachments >= 1,
        "{letters} letters, {attachments} attachments"
    );
}

/// The sample letter with a schedule has its headings, lists and table tagged, in
/// the order they are read.
#[test]
fn a_sample_letters_structure_tree_holds_its_headings_lists_and_table_in_order() {
    let engine = engine();
    with_the_schedule_sample(&engine, |_, pdf| {
        let doc = Document::load_mem(pdf).expect("parses");
        let tree = structure(&doc);
        let kinds: BTreeSet<&str> = tree.iter().map(String::as_str).collect();
        for kind in [
            "H1", "H2", "P", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "Link",
        ] {
            assert!(kinds.contains(kind), "{kind} in {tree:?}");
        }
        let position = |kind: &str| tree.iter().position(|s| s == kind).expect(kind);
        let headings: Vec<&str> = tree
            .iter()
            .map(String::as_str)
            .filter(|s| s.starts_with('H') && s.len() == 2)
            .collect();
        // The three sections, then the schedule of incidents the letter ends with.
        assert_eq!(headings, ["H1", "H2", "H2", "H2", "H2"], "{tree:?}");
        // The title, then the summary's own table, then the first section and its lists.
        assert!(position("H1") < position("Table"), "{tree:?}");
        assert!(position("Table") < position("H2"), "{tree:?}");
        assert!(position("H2") < position("L"), "{tree:?}");
        // The table's header row comes first, and is the one with header cells.
        let table = position("Table");
        assert_eq!(
            tree[table + 1..table + 4],
            ["THead", "TR", "TH"],
            "{tree:?}"
        );
    });
}

/// One character drawn on a page: where (millimetres from the top-left corner)
/// and what.
struct Glyph {
    x: f64,
    right: f64,
    top: f64,
    c: String,
}

/// Every character of page 1 of a PDF.
struct FirstPage {
    page: u32,
    height: f64,
    glyphs: Vec<Glyph>,
}

impl pdf_extract::OutputDev for FirstPage {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &pdf_extract::MediaBox,
        _: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        self.page = page_num;
        self.height = media_box.ury - media_box.lly;
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        width: f64,
        _: f64,
        font_size: f64,
        c: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        if self.page == 1 {
            let size = font_size * trm.m22.abs();
            self.glyphs.push(Glyph {
                x: trm.m31 / PT_PER_MM,
                right: (trm.m31 + width * font_size * trm.m11.abs()) / PT_PER_MM,
                top: (self.height - trm.m32) / PT_PER_MM - size * 0.7 / PT_PER_MM,
                c: c.to_owned(),
            });
        }
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
}

/// A posted letter's address lies in the envelope window, postcode last, with
/// nothing else printed there; an emailed letter keeps its address in the flow.
#[test]
fn a_posted_letters_address_is_in_the_envelope_window_and_alone_there() {
    let engine = engine();
    let window = engine.templates.office.post.window;
    let mut posted = 0;
    each_sample_letter(&engine, |case, letter| {
        if letter.delivery != Some(Delivery::Post) {
            return;
        }
        posted += 1;
        let files = engine
            .letter_files(case, letter, &[Format::Pdf])
            .expect("typesets");
        let doc = Document::load_mem(&files[0].bytes).expect("parses");
        let mut page = FirstPage {
            page: 0,
            height: 0.0,
            glyphs: Vec::new(),
        };
        pdf_extract::output_doc(&doc, &mut page).expect("reads the page");
        let inside = |g: &Glyph| {
            g.right > window.left
                && g.x < window.right
                && g.top < window.bottom
                && g.top + 1.0 > window.top
        };
        // The address's lines, as printed inside the window, top to bottom.
        let mut lines: Vec<(f64, String)> = Vec::new();
        for glyph in page.glyphs.iter().filter(|g| inside(g)) {
            assert!(
                glyph.x >= window.left && glyph.right <= window.right,
                "{}: {:?} at {:.1}–{:.1} mm across",
                case.reference,
                glyph.c,
                glyph.x,
                glyph.right
            );
            assert!(
                glyph.top >= window.top && glyph.top <= window.bottom,
                "{}: {:?} {:.1} mm down",
                case.reference,
                glyph.c,
                glyph.top
            );
            match lines
                .iter_mut()
                .find(|(top, _)| (top - glyph.top).abs() < 0.5)
            {
                Some((_, text)) => text.push_str(&glyph.c),
                None => lines.push((glyph.top, glyph.c.clone())),
            }
        }
        lines.sort_by(|a, b| a.0.total_cmp(&b.0));
        let printed: Vec<String> = lines
            .iter()
            .map(|(_, t)| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        let expected: Vec<String> = letter
            .contact
            .iter()
            .chain([&case.controller.name])
            .chain(&case.controller.address)
            .cloned()
            .collect();
        assert_eq!(
            printed, expected,
            "{}: only the address is in the window",
            case.reference
        );
        assert!((3..=7).contains(&printed.len()));
    });
    assert!(posted >= 2, "the sample cases post {posted} letters");
}

/// The sample letter whose signature falls where a page ends carries the whole
/// signature block over to the next page, with the paragraph before it.
#[test]
fn a_signature_on_a_page_break_is_kept_whole_and_not_alone() {
    let engine = engine();
    with_the_schedule_sample(&engine, |letter, pdf| {
        let doc = Document::load_mem(pdf).expect("parses");
        let pages: Vec<String> = pdf_extract::extract_text_from_mem_by_pages(pdf)
            .expect("the text of each page")
            .iter()
            .map(|text| text.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(pages.len(), doc.get_pages().len());
        let officer = &letter.officer;
        let signed = pages
            .iter()
            .position(|p| p.contains("Yours sincerely"))
            .expect("signed");
        assert!(signed > 0, "the signature is on a later page");
        let page = &pages[signed];
        let words = engine.templates.office.on(letter.date).expect("in force");
        let office = words.name.as_str();
        for part in [officer.name.as_str(), officer.title.as_str(), office] {
            assert!(
                page.contains(part),
                "{part:?} is on the signature's page: {page}"
            );
        }
        assert!(
            page.starts_with(
                "We will consider the matter closed once we have received the progress update. Yours sincerely"
            ),
            "the paragraph before the signature came with it: {page}"
        );
        assert!(
            !pages[signed - 1].contains(&officer.name),
            "nothing of the signature is left behind"
        );
    });
}

/// Calls `check` with the letter of the sample case that has a schedule, and the
/// letter's PDF; fails if that sample is gone.
fn with_the_schedule_sample(engine: &Engine, mut check: impl FnMut(&Letter, &[u8])) {
    let mut seen = false;
    each_sample_letter(engine, |case, letter| {
        if case.reference.as_str() != "IC-203117-P5M8" {
            return;
        }
        seen = true;
        let files = engine
            .letter_files(case, letter, &[Format::Pdf])
            .expect("typesets");
        check(letter, &files[0].bytes);
    });
    assert!(seen, "the sample case with a schedule is there");
}

/// A layout whose image has no alternative text fails to typeset, pointing at the
/// image in `layout.typ`; a case whose Markdown skips a heading level fails,
/// pointing at the case's line.
#[test]
fn a_standards_failure_points_at_the_template_or_case_text_that_caused_it() {
    let dir = workspace(&[("a.yaml", ACK)]);
    let layout = dir.path().join("letter-templates/layout.typ");
    let before = std::fs::read_to_string(&layout).expect("layout");
    let after = before.replacen(", alt: office.logo.alt", "", 1);
    assert_ne!(before, after);
    std::fs::write(&layout, after).expect("layout");
    let output = run(dir.path(), &["render"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("PDF/UA-1 error: missing alt text"),
        "{stderr}"
    );
    assert!(
        stderr.contains("┌─ letter-templates/layout.typ:"),
        "{stderr}"
    );
    assert!(stderr.contains("image(office.logo.file"), "{stderr}");

    let skipped = ACK.replace(
        "  - kind: acknowledgement\n",
        "  - kind: decision\n    reasons: [\"#### A heading too deep\"]\n    recommendations: []\n",
    );
    let dir = workspace(&[("a.yaml", &skipped)]);
    let output = run(dir.path(), &["render"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("PDF/UA-1 error"), "{stderr}");
    assert!(stderr.contains("┌─ cases/a.yaml:12:21"), "{stderr}");
    assert!(stderr.contains("the case text it came from"), "{stderr}");
}

/// An office may claim another part of PDF/A, or none, but never silently; one
/// that cannot be combined with PDF/UA-1 is an error in `office.yaml`.
#[test]
fn an_office_may_choose_its_standards_but_never_silently() {
    let dir = workspace(&[("a.yaml", ACK)]);
    let office = dir.path().join("letter-templates/office.yaml");
    let before = std::fs::read_to_string(&office).expect("office");
    std::fs::write(&office, before.replace("archival: a-2a", "archival: none")).expect("office");
    let output = run(dir.path(), &["render"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("warning[pdf-standards]: office.yaml sets `archival: none` (no PDF/A) under `pdf:`: the PDFs claim PDF/UA-1"),
        "{stderr}"
    );
    let pdf = std::fs::read(
        dir.path()
            .join("output/IC-1-TEST/2023-01-05-acknowledgement.pdf"),
    )
    .expect("pdf");
    let xmp = String::from_utf8_lossy(&pdf);
    assert!(!xmp.contains("pdfaid:part"), "no PDF/A claimed");

    std::fs::write(&office, before.replace("archival: a-2a", "archival: a-1b")).expect("office");
    let output = run(dir.path(), &["check"]);
    let (_, stderr) = text(&output);
    assert_ne!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("office.yaml"), "{stderr}");
}

/// The languages marked on the text of a PDF's pages (`/Lang` of marked content).
fn marked_languages(doc: &Document) -> BTreeSet<String> {
    let mut languages = BTreeSet::new();
    for page in doc.get_pages().into_values() {
        let content = doc.get_and_decode_page_content(page).expect("content");
        for operation in content.operations {
            if operation.operator != "BDC" {
                continue;
            }
            for operand in &operation.operands {
                if let Some(lang) = dict(doc, operand).and_then(|d| d.get(b"Lang").ok()) {
                    languages.insert(string_of(lang));
                }
            }
        }
    }
    languages
}

/// A quotation marked `<span lang="cy">` in a case is marked Welsh in the tagged
/// PDF, so a screen reader speaks it in Welsh; a letter that quotes nothing marks
/// no language but the letter's own.
#[test]
fn a_quotation_in_another_language_is_marked_with_its_language() {
    let engine = engine();
    let mut welsh = 0;
    each_sample_letter(&engine, |case, letter| {
        let files = engine
            .letter_files(case, letter, &[Format::Pdf])
            .expect("typesets");
        let doc = Document::load_mem(&files[0].bytes).expect("parses");
        let languages = marked_languages(&doc);
        let what = format!("{} {}", case.reference, letter.kind.key());
        if case.reference.as_str() == "IC-318552-W6L1" && letter.kind.key() == "decision" {
            assert!(languages.contains("cy"), "{what}: {languages:?}");
            welsh += 1;
        } else {
            assert!(
                languages.iter().all(|l| l == "en-GB"),
                "{what}: {languages:?}"
            );
        }
    });
    assert_eq!(welsh, 1, "the sample decision that quotes Welsh is there");
}
