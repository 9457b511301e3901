//! Everything a reader of a PDF can see as text, read back from its bytes with
//! parsers of their own (pdf-extract for the text layer, lopdf for the objects).

/// Why a written PDF could not be read back.
#[derive(Debug, thiserror::Error)]
#[error("the PDF could not be read back to check it: {0}")]
pub struct UnreadablePdf(String);

/// Everything a reader of a PDF can see as text, by place: the text layer of
/// its pages in reading order, read by two parsers, and in visual order where the two differ (text
/// set right to left); every text string of its objects (the document
/// information, bookmarks, annotations and link targets, the structure tree's
/// titles, alternative and actual text and expansions); and its XMP metadata.
/// (PDF names are left out: they are the format's own words, `/Page`, not text.)
pub fn pdf_places(pdf: &[u8]) -> Result<Vec<(String, String)>, UnreadablePdf> {
    let text = pdf_extract::extract_text_from_mem(pdf).map_err(|e| UnreadablePdf(e.to_string()))?;
    let document = lopdf::Document::load_mem(pdf).map_err(|e| UnreadablePdf(e.to_string()))?;
    let mut strings = Vec::new();
    let mut streams = Vec::new();
    for object in document.objects.values() {
        collect(object, &mut strings);
        if let lopdf::Object::Stream(stream) = object {
            let is_metadata = stream
                .dict
                .get(b"Type")
                .and_then(lopdf::Object::as_name)
                .is_ok_and(|name| name == b"Metadata");
            if is_metadata {
                let content = stream
                    .decompressed_content()
                    .unwrap_or_else(|_| stream.content.clone());
                streams.push(String::from_utf8_lossy(&content).into_owned());
            }
        }
    }
    // Two readings of the text layer: pdf-extract's runs a page's text together
    // where lines break without a space ("IrelandCommunications"), lopdf's keeps
    // each line apart, so a name at the end of a line meets a word boundary.
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let lines = document
        .extract_text(&pages)
        .map_err(|e| UnreadablePdf(e.to_string()))?;
    let mut places = Vec::new();
    for (place, text) in [("the PDF's text", text), ("the PDF's text lines", lines)] {
        let visual = visual_order(&text);
        if visual != text {
            places.push((format!("{place} as shown"), visual));
        }
        places.push((place.to_owned(), text));
    }
    places.extend([
        ("the PDF's text strings".to_owned(), strings.join("\n")),
        ("the PDF's XMP metadata".to_owned(), streams.join("\n")),
    ]);
    Ok(places)
}

/// `text` line by line in the order a reader sees it, by the Unicode
/// bidirectional algorithm.
pub fn visual_order(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        let info = unicode_bidi::BidiInfo::new(body, None);
        for paragraph in &info.paragraphs {
            out.push_str(&info.reorder_line(paragraph, paragraph.range.clone()));
        }
        if line.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// Every text string in `object`, decoded, recursively.
fn collect(object: &lopdf::Object, strings: &mut Vec<String>) {
    match object {
        lopdf::Object::String(..) => {
            if let Ok(text) = lopdf::decode_text_string(object) {
                strings.push(text);
            }
        }
        lopdf::Object::Array(items) => items.iter().for_each(|o| collect(o, strings)),
        lopdf::Object::Dictionary(dict) => dict.iter().for_each(|(_, o)| collect(o, strings)),
        lopdf::Object::Stream(stream) => stream.dict.iter().for_each(|(_, o)| collect(o, strings)),
        _ => {}
    }
}
