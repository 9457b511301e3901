//! Any Markdown through every converter: the Typst output always parses, and
//! plain text escaped for Markdown always comes back as text only.
#![no_main]

use casewright::convert::{to_html, to_text, to_typst};
use casewright::escape;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let typst = to_typst(text);
    assert!(!typst::syntax::parse(&typst).diagnosis().errors, "{typst}");
    let _ = to_html(text);
    let _ = to_text(text, 72);
    let escaped = to_typst(&escape::markdown(text));
    assert!(!typst::syntax::parse(&escaped).diagnosis().errors, "{escaped}");
});
