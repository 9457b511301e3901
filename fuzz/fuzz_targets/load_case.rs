//! Any bytes through the case loader: it may refuse them, never panic, every
//! error must point inside the file, and no error may grow with the input (a
//! message names at most a short key; a printed error quotes at most a short
//! excerpt of one line).
#![no_main]

use std::sync::LazyLock;

use casewright::case::{Vocabulary, load};
use casewright::templates::Templates;
use libfuzzer_sys::fuzz_target;

/// The shipped templates' keys, read once.
static VOCABULARY: LazyLock<Vocabulary> = LazyLock::new(|| {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../letter-templates");
    Templates::load(std::path::Path::new(dir))
        .expect("the templates load")
        .vocabulary()
});

/// The most bytes one message or note may have, and one printed diagnostic.
const MAX_MESSAGE: usize = 512;
const MAX_RENDERED: usize = 4096;

fuzz_target!(|data: &[u8]| {
    if let Err(diagnostics) = load("fuzz.yaml", data, &VOCABULARY) {
        assert!(!diagnostics.is_empty());
        for diagnostic in diagnostics {
            if let Some(source) = &diagnostic.source {
                assert!(diagnostic.span.end <= source.text.len());
            }
            for said in std::iter::once(&diagnostic.message).chain(&diagnostic.notes) {
                assert!(said.len() <= MAX_MESSAGE, "{} bytes: {said}", said.len());
            }
            let rendered = diagnostic.render(false);
            assert!(rendered.len() <= MAX_RENDERED, "{} bytes: {rendered}", rendered.len());
        }
    }
});
