use proptest::prelude::*;

use super::*;

/// `text` with every match of `withheld` replaced by `[R]`.
fn replace(text: &str, withheld: &str) -> String {
    let ranges = find(text, &[needle(withheld)]);
    let mut out = String::new();
    let mut at = 0;
    for range in ranges {
        out.push_str(&text[at..range.start]);
        out.push_str("[R]");
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// One row per way a reader sees the same name: each is found.
#[test]
fn a_name_is_found_in_every_form_a_reader_reads_as_it() {
    for (text, withheld, expected) in [
        // Case, accents, compatibility forms, quotes, spaces and line breaks.
        ("Dear Ms O’Brien,", "O'Brien", "Dear Ms [R],"),
        ("DEAR MS O'BRIEN,", "o'brien", "DEAR MS [R],"),
        ("Jane  Smith and\nJane\nSmith", "Jane Smith", "[R] and\n[R]"),
        ("Anne-\nMarie Jones", "Anne-Marie Jones", "[R]"),
        ("José Álvarez", "Jose Alvarez", "[R]"),
        ("ﬁnance@example.org", "finance@example.org", "[R]"),
        ("Fenwick \\& Hale Ltd", "Fenwick & Hale", "[R] Ltd"),
        // Look-alike letters: Cyrillic о and і, Greek Ρ, dotless ı, small capitals.
        ("Mr M\u{043E}rrison", "Morrison", "Mr [R]"),
        ("Ms Sm\u{0456}th", "Smith", "Ms [R]"),
        ("\u{03A1}ike", "Pike", "[R]"),
        ("Sm\u{0131}th", "Smith", "[R]"),
        ("\u{0280}\u{1D07}\u{1D07}\u{1D05}", "Reed", "[R]"),
        // Full case folding: ß against SS; a final sigma against a sigma.
        ("STRASSER", "Straßer", "[R]"),
        ("Straßer", "STRASSER", "[R]"),
        ("ΝΙΚΟΣ", "Νίκος", "[R]"),
        // Letters NFKD leaves alone, against their plain forms.
        ("Lech Walesa", "Lech Wałęsa", "[R]"),
        ("Mr Sorensen", "Sørensen", "Mr [R]"),
        ("AEthelred", "Æthelred", "[R]"),
        ("Thorsdottir", "Þórsdóttir", "[R]"),
        ("Gudmundur", "Guðmundur", "[R]"),
        // Every apostrophe and dash.
        ("O\u{02BC}Brien", "O'Brien", "[R]"),
        ("O\u{00B4}Brien", "O'Brien", "[R]"),
        ("Smith\u{2212}Jones", "Smith-Jones", "[R]"),
        ("Smith\u{2012}Jones", "Smith-Jones", "[R]"),
        ("Smith\u{2013}Jones", "Smith-Jones", "[R]"),
        // Invisible characters between letters.
        ("Mor\u{200B}ri\u{00AD}son", "Morrison", "[R]"),
        // Escapes a reader never sees: percent-encoding, `+` and `_` for spaces,
        // HTML character references.
        (
            "mailto:eleanor%20morrison%40example.org",
            "eleanor morrison@example.org",
            "mailto:[R]",
        ),
        (
            "https://example.org/?q=Eleanor+Morrison",
            "Eleanor Morrison",
            "https://example.org/?q=[R]",
        ),
        (
            "eleanor_morrison@example.org",
            "Eleanor Morrison",
            "[R]@example.org",
        ),
        ("Wa%C5%82%C4%99sa", "Wałęsa", "[R]"),
        ("Morri&#115;on", "Morrison", "[R]"),
        ("Morri&#x73;on", "Morrison", "[R]"),
        ("O&rsquo;Brien", "O'Brien", "[R]"),
        ("<!-- &#77;orrison -->", "Morrison", "<!-- [R] -->"),
        // Possessives keep their ending; accents stay with the name.
        ("Morrison's report", "Morrison", "[R]'s report"),
        ("Morrison’s report", "Morrison", "[R]’s report"),
        ("Zoe\u{0301} wrote", "Zoe", "[R] wrote"),
    ] {
        assert_eq!(
            replace(text, withheld),
            expected,
            "{text:?} withholding {withheld:?}"
        );
    }
}

/// Only whole words are matched: nothing around a name is touched.
#[test]
fn matching_keeps_to_word_boundaries() {
    for (text, withheld, expected) in [
        ("She made an offer", "Dean", "She made an offer"),
        ("The Dean agreed", "Dean", "The [R] agreed"),
        ("Deanery Road", "Dean", "Deanery Road"),
        ("Smithson and Smith", "Smith", "Smithson and [R]"),
        ("a Pike, a pike.", "Pike", "a [R], a [R]."),
        ("(Pike)", "Pike", "([R])"),
        ("**Pike**", "Pike", "**[R]**"),
        ("Ms Ng and Nguyen", "Ng", "Ms [R] and Nguyen"),
        ("Ann Lee, plan nlee", "Ann Lee", "[R], plan nlee"),
        // A skeleton letter standing for part of a character is not a match.
        ("Æron", "eron", "Æron"),
    ] {
        assert_eq!(
            replace(text, withheld),
            expected,
            "{text:?} withholding {withheld:?}"
        );
    }
}

#[test]
fn direction_controls_and_invisibles_are_known() {
    for c in [
        '\u{202E}', '\u{202C}', '\u{2066}', '\u{2069}', '\u{200F}', '\u{061C}',
    ] {
        assert!(is_direction_control(c), "{c:?}");
        assert!(is_ignorable(c), "{c:?}");
    }
    for c in [
        '\u{200B}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{00AD}', '\u{FE0F}',
    ] {
        assert!(is_ignorable(c), "{c:?}");
    }
    for c in ['a', ' ', '-', 'ł'] {
        assert!(!is_ignorable(c) && !is_direction_control(c), "{c:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any text, any needle: no panic, every range on character boundaries and
    /// within the text, sorted and apart.
    #[test]
    fn any_text_gives_ranges_on_character_boundaries(text in any::<String>(), withheld in any::<String>()) {
        let ranges = find(&text, &[needle(&withheld)]);
        let mut last_end = 0;
        for range in ranges {
            prop_assert!(range.start >= last_end && range.start < range.end && range.end <= text.len());
            prop_assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
            last_end = range.end;
        }
    }

    /// Percent-escapes and character references decode like the text they
    /// stand for.
    #[test]
    fn an_escaped_name_folds_as_the_name(name in "[A-Za-zÀ-ÿłøæ]{2,12}") {
        let percent: String = name.bytes().map(|b| format!("%{b:02X}")).collect();
        let entities: String = name.chars().map(|c| format!("&#{};", u32::from(c))).collect();
        prop_assert_eq!(needle(&percent), needle(&name));
        prop_assert_eq!(needle(&entities), needle(&name));
    }
}
