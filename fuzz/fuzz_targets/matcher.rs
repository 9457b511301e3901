//! Any text and any withheld string through the matcher behind public copies:
//! ranges fall on character boundaries, and a string that may be withheld is
//! gone from the text once redacted.
#![no_main]

use casewright::publication::{check_withheld, redact, survivors};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, &str)| {
    let (text, withheld) = input;
    let public = redact(text, &[withheld], "[REDACTED]");
    if check_withheld(withheld, "[REDACTED]").is_ok() {
        let places = vec![("text".to_owned(), public)];
        assert!(survivors(&[withheld], &places).is_empty(), "{withheld:?} in {text:?}");
    }
});
