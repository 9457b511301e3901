//! Property tests of the loader: no input makes it panic, every error it reports
//! points inside the file, and plain values read back as written.

use proptest::prelude::*;

use super::*;

const VALID: &str = include_str!("../../cases/IC-31191-G5C6.yaml");

fn vocabulary() -> Vocabulary {
    let categories = [
        "basic-identifiers",
        "economic-and-financial",
        "official-documents",
    ];
    Vocabulary {
        categories: categories.iter().map(|c| c.to_string()).collect(),
        ..Vocabulary::default()
    }
}

/// Every diagnostic's span lies within its source, on a character boundary.
fn well_located(result: &Result<Case, Vec<Diagnostic>>) -> Result<(), String> {
    let Err(diagnostics) = result else {
        return Ok(());
    };
    if diagnostics.is_empty() {
        return Err("an error with no diagnostic".into());
    }
    for d in diagnostics {
        if let Some(source) = &d.source {
            let text = &source.text;
            if d.span.end > text.len()
                || !text.is_char_boundary(d.span.start)
                || !text.is_char_boundary(d.span.end)
            {
                return Err(format!("{:?} outside {} bytes", d.span, text.len()));
            }
        }
    }
    Ok(())
}

#[test]
fn the_sample_loads() {
    let case = load("c.yaml", VALID.as_bytes(), &vocabulary()).expect("valid");
    assert_eq!(case.reference.as_str(), "IC-31191-G5C6");
    assert_eq!(case.letters.len(), 2);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let result = load("x.yaml", &bytes, &vocabulary());
        prop_assert!(result.is_err());
        prop_assert_eq!(well_located(&result), Ok(()));
    }

    #[test]
    fn mangled_cases_never_panic(
        cut in 0usize..VALID.len(),
        len in 0usize..40,
        insert in "[ -~\\t\\n:\\-\\[\\]{}&*!|>'\"%@`#,]{0,12}",
    ) {
        let mut text = VALID.to_owned();
        let start = (0..=cut).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let end = (start + len..=text.len()).find(|&i| text.is_char_boundary(i)).unwrap_or(text.len());
        text.replace_range(start..end, &insert);
        let result = load("x.yaml", text.as_bytes(), &vocabulary());
        prop_assert_eq!(well_located(&result), Ok(()));
    }

    #[test]
    fn plain_values_read_back_verbatim(name in "\\PC{1,60}") {
        // A JSON string is a valid YAML double-quoted scalar.
        let quoted = serde_json::to_string(&name).unwrap_or_default();
        let text = VALID.replace("name: Lothian Valley Council", &format!("name: {quoted}"));
        let result = load("x.yaml", text.as_bytes(), &vocabulary());
        match result {
            Ok(case) => prop_assert_eq!(case.controller.name, name.trim()),
            Err(diagnostics) => {
                prop_assert!(name.trim().is_empty() || name.chars().any(char::is_control), "{:?}", diagnostics);
                prop_assert_eq!(diagnostics.len(), 1);
            }
        }
    }
}
