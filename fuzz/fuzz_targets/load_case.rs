//! Any bytes through the case loader: it may refuse them, never panic, and every
//! error must point inside the file.
#![no_main]

use casewright::case::{Vocabulary, load};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(diagnostics) = load("fuzz.yaml", data, &Vocabulary::default()) {
        assert!(!diagnostics.is_empty());
        for diagnostic in diagnostics {
            if let Some(source) = &diagnostic.source {
                assert!(diagnostic.span.end <= source.text.len());
            }
        }
    }
});
