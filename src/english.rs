//! British English wording of dates, counts and lists: for letters (through
//! `derive` and the templates' filters) and for messages alike. It depends on
//! nothing else of casewright.

use chrono::NaiveDate;

/// "19 May 2022".
pub fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// "Monday 6 November 2023".
pub fn weekday_date(date: NaiveDate) -> String {
    format!("{} {}", date.format("%A"), long_date(date))
}

/// "121,109".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Numbers up to twenty in words, indexed by their value.
pub(crate) const NUMBER_WORDS: [&str; 21] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];

/// A count as a letter writes it: in words up to twenty ("three"), in figures with
/// thousands separators above ("21", "1,204").
pub fn count_words(n: u64) -> String {
    match NUMBER_WORDS.get(n as usize) {
        Some(word) if n <= 20 => (*word).to_owned(),
        _ => thousands(n),
    }
}

/// The first letter in upper case: "two incidents" → "Two incidents".
pub fn capitalise_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "a", "a and b", "a, b and c" (no serial comma).
pub fn join_and(items: &[impl AsRef<str>]) -> String {
    join_with(items, "and")
}

/// "a", "a or b", "a, b or c" (no serial comma).
pub fn join_or(items: &[impl AsRef<str>]) -> String {
    join_with(items, "or")
}

fn join_with(items: &[impl AsRef<str>], word: &str) -> String {
    match items {
        [] => String::new(),
        [only] => only.as_ref().to_owned(),
        [rest @ .., last] => {
            let head: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} {word} {}", head.join(", "), last.as_ref())
        }
    }
}

/// Citations grouped as a careful writer groups them: those of one law and one
/// kind of division share its word, in the plural, and their law, and the
/// subdivisions of one division share its number: "Article 12(3) of the UK
/// GDPR", "Article 15(1) of the UK GDPR" and "Article 15(3) of the UK GDPR" give
/// "Articles 12(3) and 15(1) and (3) of the UK GDPR". A citation not written as
/// "<Word> <number>… of <law>" is kept as it is. Groups keep the order in which
/// their first citation comes.
pub fn group_citations(titles: &[impl AsRef<str>]) -> String {
    let mut groups: Vec<CitationGroup> = Vec::new();
    let mut loose = Vec::new();
    for title in titles {
        let title = title.as_ref();
        let parsed = title.split_once(' ').and_then(|(word, rest)| {
            let (citation, law) = rest.split_once(" of ")?;
            let split = citation
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(citation.len());
            let (number, subdivision) = citation.split_at(split);
            number.starts_with(|c: char| c.is_ascii_digit()).then_some((
                word,
                law,
                number,
                subdivision,
            ))
        });
        let Some((word, law, number, subdivision)) = parsed else {
            groups.push((String::new(), title.to_owned(), Vec::new()));
            loose.push(groups.len() - 1);
            continue;
        };
        let index = match groups.iter().position(|(w, l, _)| w == word && l == law) {
            Some(index) => index,
            None => {
                groups.push((word.to_owned(), law.to_owned(), Vec::new()));
                groups.len() - 1
            }
        };
        let divisions = &mut groups[index].2;
        match divisions.iter_mut().find(|(n, _)| n == number) {
            Some((_, subdivisions)) => subdivisions.push(subdivision.to_owned()),
            None => divisions.push((number.to_owned(), vec![subdivision.to_owned()])),
        }
    }
    let written: Vec<String> = groups
        .iter()
        .enumerate()
        .map(|(index, (word, law, divisions))| {
            if loose.contains(&index) {
                return law.clone();
            }
            let count: usize = divisions.iter().map(|(_, s)| s.len()).sum();
            let cited: Vec<String> = divisions
                .iter()
                .map(|(number, subdivisions)| {
                    let first = subdivisions.first().map(String::as_str).unwrap_or_default();
                    let rest = subdivisions[1..].iter().map(|s| without_shared(first, s));
                    let written: Vec<&str> = std::iter::once(first).chain(rest).collect();
                    format!("{number}{}", written.join(" and "))
                })
                .collect();
            let word = if count > 1 {
                format!("{word}s")
            } else {
                word.clone()
            };
            format!("{word} {} of {law}", join_and(&cited))
        })
        .collect();
    join_and(&written)
}

/// Citations of one law and one kind of division: the word ("Article"), the law
/// ("the UK GDPR"), and each division's number with the subdivisions cited of it
/// ("15", ["(1)", "(3)"]). A citation that could not be read has an empty word and
/// is kept whole in the place of the law.
type CitationGroup = (String, String, Vec<(String, Vec<String>)>);

/// `later` without the bracketed parts it shares with `first` from the start:
/// "(1)(f)" after "(1)(e)" is "(f)".
fn without_shared<'a>(first: &str, later: &'a str) -> &'a str {
    let mut shared = 0;
    for (a, b) in first.split_inclusive(')').zip(later.split_inclusive(')')) {
        if a != b {
            break;
        }
        shared += b.len();
    }
    if shared == later.len() {
        later
    } else {
        &later[shared..]
    }
}

/// "a" or "an", by how the word is said: "an `email` key", "a `reference` key",
/// "an acknowledgement", "a user", "an hour". Read from the word's first letters,
/// with the usual exceptions: a `u` or `eu` said "you", `one`, and a silent `h`.
pub fn indefinite_article(word: &str) -> &'static str {
    const SAID_WITH_A_CONSONANT: [&str; 9] = [
        "eu", "one", "once", "uni", "use", "usu", "uti", "ufo", "ure",
    ];
    const SILENT_H: [&str; 4] = ["hour", "honest", "honour", "heir"];
    let word = word
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    if SAID_WITH_A_CONSONANT.iter().any(|p| word.starts_with(p)) {
        "a"
    } else if SILENT_H.iter().any(|p| word.starts_with(p))
        || word.starts_with(['a', 'e', 'i', 'o', 'u'])
    {
        "an"
    } else {
        "a"
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn citations_are_grouped_by_law_and_division() {
        use super::group_citations;
        for (titles, expected) in [
            (
                &["Article 5(1)(f) of the UK GDPR"][..],
                "Article 5(1)(f) of the UK GDPR",
            ),
            (
                &[
                    "Article 12(3) of the UK GDPR",
                    "Article 15(1) of the UK GDPR",
                    "Article 15(3) of the UK GDPR",
                ][..],
                "Articles 12(3) and 15(1) and (3) of the UK GDPR",
            ),
            (
                &[
                    "Section 38(1) of the DPA 2018",
                    "Article 32(1) of the UK GDPR",
                    "Section 57 of the DPA 2018",
                ][..],
                "Sections 38(1) and 57 of the DPA 2018 and Article 32(1) of the UK GDPR",
            ),
            (
                &["Schedule 1", "Article 9 of the GDPR"][..],
                "Schedule 1 and Article 9 of the GDPR",
            ),
            (
                &["Article 5(1)(e) of the GDPR", "Article 5(1)(f) of the GDPR"][..],
                "Articles 5(1)(e) and (f) of the GDPR",
            ),
        ] {
            assert_eq!(group_citations(titles), expected);
        }
    }

    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a test date")
    }

    #[test]
    fn dates() {
        for (text, long, weekday) in [
            ("2022-05-19", "19 May 2022", "Thursday 19 May 2022"),
            ("2022-08-19", "19 August 2022", "Friday 19 August 2022"),
            ("2023-11-06", "6 November 2023", "Monday 6 November 2023"),
            (
                "2024-02-29",
                "29 February 2024",
                "Thursday 29 February 2024",
            ),
            ("2020-01-01", "1 January 2020", "Wednesday 1 January 2020"),
        ] {
            assert_eq!(long_date(date(text)), long, "{text}");
            assert_eq!(weekday_date(date(text)), weekday, "{text}");
        }
    }

    #[test]
    fn numbers() {
        for (n, figures, words) in [
            (0, "0", "zero"),
            (1, "1", "one"),
            (2, "2", "two"),
            (19, "19", "nineteen"),
            (20, "20", "twenty"),
            (21, "21", "21"),
            (999, "999", "999"),
            (1_000, "1,000", "1,000"),
            (1_204, "1,204", "1,204"),
            (121_109, "121,109", "121,109"),
            (1_000_000, "1,000,000", "1,000,000"),
        ] {
            assert_eq!(thousands(n), figures, "{n}");
            assert_eq!(count_words(n), words, "{n}");
        }
    }

    #[test]
    fn lists_and_capitals() {
        let none: [&str; 0] = [];
        assert_eq!(join_and(&none), "");
        assert_eq!(join_and(&["1"]), "1");
        assert_eq!(join_and(&["1", "2"]), "1 and 2");
        assert_eq!(join_and(&["1", "2", "4"]), "1, 2 and 4");
        assert_eq!(join_and(&["a", "b", "c", "d"]), "a, b, c and d");
        assert_eq!(capitalise_first("two incidents"), "Two incidents");
        assert_eq!(capitalise_first("émile"), "Émile");
        assert_eq!(capitalise_first(""), "");
    }

    #[test]
    fn articles_by_first_sound() {
        for (word, article) in [
            ("email", "an"),
            ("`email`", "an"),
            ("address", "an"),
            ("investigation", "an"),
            ("occurred", "an"),
            ("acknowledgement", "an"),
            ("unknown", "an"),
            ("Officer", "an"),
            ("reference", "a"),
            ("decision", "a"),
            ("reprimand", "a"),
            ("their_reference", "a"),
            ("user", "a"),
            ("unit", "a"),
            ("usual", "a"),
            ("European", "a"),
            ("one-off", "a"),
            ("hour", "an"),
            ("honest", "an"),
            ("house", "a"),
            ("", "a"),
        ] {
            assert_eq!(indefinite_article(word), article, "{word}");
        }
    }
}
