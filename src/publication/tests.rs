use proptest::prelude::*;

use super::*;

#[test]
fn redaction_replaces_whole_words_only() {
    for (text, withheld, expected) in [
        ("Dear Ms O'Brien,", "O'Brien", "Dear Ms [R],"),
        ("call 0113 496 0000 now", "01134960000", "call [R] now"),
        ("no match here", "Jane Smith", "no match here"),
        // Overlapping withheld strings are replaced once.
        ("Jane Smith-Jones", "Smith-Jones", "Jane [R]"),
        // Nothing around a name changes.
        (
            "She made an offer to Dean Moss.",
            "Dean Moss",
            "She made an offer to [R].",
        ),
    ] {
        assert_eq!(redact(text, &[withheld], "[R]"), expected, "{text:?}");
    }
    assert_eq!(
        redact(
            "Jane Smith of 1 High Street",
            &["Jane Smith", "Smith of 1 High"],
            "[R]"
        ),
        "[R] Street"
    );
}

/// A person's every form is withheld together, the longest first, so a
/// greeting goes whole and a possessive keeps its ending.
#[test]
fn a_person_is_withheld_in_every_form() {
    let forms = crate::names::forms("Ms Eleanor Morrison");
    let sought = Sought::new([Seek {
        forms: &forms,
        name: true,
    }]);
    let text = "Dear Ms Morrison\n\nEleanor Morrison wrote; Morrison's note, Eleanor's reply, signed EM; MORRISON.";
    assert_eq!(
        sought.redact(text, "[R]"),
        "Dear [R]\n\n[R] wrote; [R]'s note, [R]'s reply, signed [R]; [R]."
    );
    assert_eq!(sought.occurrences(text)[0].len(), 6);
    // A one-word form of a name is a name only when written as one.
    let forms = crate::names::forms("Mr Jimmy Page");
    let sought = Sought::new([Seek {
        forms: &forms,
        name: true,
    }]);
    assert_eq!(
        sought.redact("Mr Page wrote on page 3; PAGE agreed.", "[R]"),
        "[R] wrote on page 3; [R] agreed."
    );
}

#[test]
fn survivors_are_found_in_each_place_named() {
    let places = vec![
        ("text".to_owned(), "Dear Ms O’Bri-\nen".to_owned()),
        ("title".to_owned(), "Reprimand".to_owned()),
    ];
    assert_eq!(
        survivors(&["O'Brien", "Reprimand to"], &places),
        [Survivor {
            withheld: 0,
            place: "text".into()
        }]
    );
}

#[test]
fn a_withheld_string_must_be_long_plain_and_of_one_script() {
    for (text, expected) in [
        ("Jane", Ok(())),
        ("1234", Ok(())),
        ("Łucja Wałęsa", Ok(())),
        ("Νίκος Παππάς", Ok(())),
        ("J. S.", Err(WithheldError::TooShort)),
        ("  ab ", Err(WithheldError::TooShort)),
        ("’’’’", Err(WithheldError::TooShort)),
        ("dacted", Err(WithheldError::InRedactionWord)),
        ("Mor\u{200B}rison", Err(WithheldError::Invisible(0x200B))),
        (
            "\u{202E}nosirroM\u{202C}",
            Err(WithheldError::Invisible(0x202E)),
        ),
        ("Jane\tSmith", Err(WithheldError::Invisible(9))),
        ("M\u{043E}rrison", Err(WithheldError::MixedScript)),
        ("Jane \u{03A1}ike", Err(WithheldError::MixedScript)),
    ] {
        assert_eq!(check_withheld(text, "[REDACTED]"), expected, "{text:?}");
    }
    assert!(usable_form("Ng", "[REDACTED]"));
    assert!(!usable_form("E", "[REDACTED]"));
    assert!(!usable_form("red", "[REDACTED]"));
}

#[test]
fn invisible_and_direction_characters_are_stripped() {
    assert_eq!(strip_invisible("a\u{202E}b\u{200B}c\u{202C}"), "abc");
}

/// Text set right to left by direction controls is read back in the order a
/// reader sees it as well.
#[test]
fn visual_order_shows_overridden_text_as_read() {
    let stored = "Dear \u{202E}nosirroM\u{202C}";
    let shown = pdf::visual_order(stored);
    assert!(survivors(&["Morrison"], &[("shown".into(), shown)]).len() == 1);
    assert!(survivors(&["Morrison"], &[("stored".into(), stored.into())]).is_empty());
}

/// A letter as casewright writes it: the name of the organisation is in the
/// text layer, the document title in the information strings and the XMP.
#[test]
fn a_written_pdf_is_read_back_in_every_place() {
    let pdf = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("output/INV-0864-2021/2022-05-19-reprimand.pdf"),
    )
    .expect("a sample letter");
    let places = pdf_places(&pdf).expect("it reads back");
    let withheld = ["Probation Board for Northern Ireland", "INV/0864/2021"];
    let survivors = survivors(&withheld, &places);
    let found: Vec<(usize, &str)> = survivors
        .iter()
        .map(|s| (s.withheld, s.place.as_str()))
        .collect();
    assert!(found.contains(&(0, "the PDF's text lines")), "{found:?}");
    assert!(found.contains(&(1, "the PDF's text")), "{found:?}");
    assert!(found.contains(&(1, "the PDF's text strings")), "{found:?}");
    assert!(found.contains(&(1, "the PDF's XMP metadata")), "{found:?}");
    assert!(pdf_places(b"%PDF-1.7 not really").is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Whatever the text around it, a withheld string is gone after redaction,
    /// the proof then finds nothing, and the text around it is unchanged.
    #[test]
    fn redacted_text_never_holds_what_was_withheld(
        before in "[a-zA-Z ,.'\n-]{0,40}",
        after in "[a-zA-Z ,.'\n-]{0,40}",
        withheld in "[A-Z][a-z]{3,10}( [A-Z][a-z]{2,10})?",
    ) {
        prop_assume!(check_withheld(&withheld, "[REDACTED]").is_ok());
        let text = format!("{before} {withheld} {after}");
        let public = redact(&text, &[&withheld], "[REDACTED]");
        let places = vec![("md".to_owned(), public.clone())];
        prop_assert!(survivors(&[&withheld], &places).is_empty(), "{public:?}");
        // Around the name, every word is as it was: the public text is the
        // original with some whole words replaced.
        prop_assert!(public.starts_with(before.trim_end_matches(|c: char| c.is_alphanumeric())));
    }

    /// Any text and any withheld string: no panic, nothing withheld leaves the
    /// text as it was, and what is withheld is then absent.
    #[test]
    fn redacting_any_text_is_safe(text in any::<String>(), withheld in "\\PC{4,16}") {
        prop_assert_eq!(redact(&text, &[], "[R]"), text.clone());
        let public = redact(&text, &[&withheld], "[R]");
        prop_assume!(check_withheld(&withheld, "[R]").is_ok());
        let places = vec![("md".to_owned(), public)];
        prop_assert!(survivors(&[&withheld], &places).is_empty());
    }
}
