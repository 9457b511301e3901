//! `casewright list`: the keys a case file may use, with their titles, read from
//! the templates folder (and, for letter kinds and nations, known to the code), so
//! nobody has to open the YAML files to find one.
//!
//! Each list is a set of [`Row`]s filtered by regime and by a case-insensitive
//! match on key and title, printed as an aligned table or one JSON object a line.

use serde::Serialize;

use crate::case::LetterKind;
use crate::case::{BankHolidays, Regime};
use crate::cli::MessageFormat;
use crate::diag::Diagnostic;
use crate::templates::Templates;

/// What to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Listing {
    /// Legal provisions a reprimand may cite (`infringements`), with their regimes.
    Provisions,
    /// Categories of personal data (`breach.categories`).
    Categories,
    /// Standard paragraphs a letter may add (`paragraphs`).
    Paragraphs,
    /// Standard attachments a letter may ask for (`attachments`).
    Attachments,
    /// Nations whose bank holidays a case may follow (`nation`).
    Nations,
    /// Legal regimes, oldest first, with the days and processing each governs
    /// (the `--regime` of `list provisions`).
    Regimes,
    /// Kinds of letter (`kind`).
    Kinds,
}

/// What `list` was asked for.
#[derive(Debug, Clone)]
pub struct Request {
    /// Which keys.
    pub listing: Listing,
    /// Only rows of this regime (a regime key such as `uk-gdpr`).
    pub regime: Option<String>,
    /// Only rows whose key or title holds this text, in any case.
    pub matching: Option<String>,
}

/// One key and what it stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The key a case file uses.
    pub key: String,
    /// Its title or name, as letters give it.
    pub title: String,
    /// The regime it belongs to, for provisions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regime: Option<Regime>,
    /// Anything else worth knowing (a category is special; a kind's style).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// Why a list could not be given.
#[derive(Debug)]
pub enum ListError {
    /// The request makes no sense (an unknown regime, a regime for a list without one).
    Usage(Diagnostic),
    /// The templates folder could not be read.
    Templates(Vec<Diagnostic>),
}

/// The regime `--regime` names, if it does, for a listing that has regimes.
fn regime_filter<'t>(
    templates: &'t Templates,
    request: &Request,
) -> Result<Option<&'t Regime>, ListError> {
    match &request.regime {
        None => Ok(None),
        Some(_) if request.listing != Listing::Provisions => Err(ListError::Usage(
            Diagnostic::error("bad-filter", "only provisions have a regime")
                .note("use --regime with `list provisions`"),
        )),
        Some(key) => templates.regimes.regime(key).map(Some).ok_or_else(|| {
            let known: Vec<&str> = templates.regimes.keys().collect();
            ListError::Usage(
                Diagnostic::error("bad-filter", format!("no regime is called `{key}`"))
                    .note(format!("the regimes are: {}", known.join(", "))),
            )
        }),
    }
}

/// The rows of a listing, filtered as asked, sorted by key (kinds and nations in
/// their own order).
// One arm per listing, each a few lines reading one file of the templates.
pub fn rows(templates: &Templates, request: &Request) -> Result<Vec<Row>, ListError> {
    let regime = regime_filter(templates, request)?;
    let all = match request.listing {
        Listing::Provisions => templates
            .provisions
            .iter()
            .filter(|(_, p)| regime.is_none_or(|r| p.regime == *r))
            .map(|(key, p)| Row {
                key: key.clone(),
                title: p.title.clone(),
                regime: Some(p.regime.clone()),
                note: p.name.clone().unwrap_or_default(),
            })
            .collect(),
        Listing::Categories => templates
            .categories
            .iter()
            .map(|(key, c)| Row {
                key: key.clone(),
                title: c.name.clone(),
                regime: None,
                note: if c.special {
                    "special".into()
                } else {
                    String::new()
                },
            })
            .collect(),
        // By key: a paragraph's dated variants are one key, titled by its latest.
        Listing::Paragraphs => templates
            .paragraphs
            .iter()
            .filter_map(|(key, variants)| {
                let source = templates.sources.get(&variants.last()?.1)?;
                Some(Row {
                    key: key.clone(),
                    title: opening(&source.text),
                    regime: None,
                    note: String::new(),
                })
            })
            .collect(),
        Listing::Attachments => templates
            .office
            .attachments
            .iter()
            .map(|(key, a)| Row {
                key: key.clone(),
                title: a.title.clone(),
                regime: None,
                note: a.file_name.clone(),
            })
            .collect(),
        Listing::Nations => nations(&templates.holidays),
        Listing::Regimes => templates
            .regimes
            .iter()
            .map(|(regime, law)| Row {
                key: regime.key().to_owned(),
                title: law.name.clone(),
                regime: None,
                note: regime_note(law),
            })
            .collect(),
        Listing::Kinds => LetterKind::ALL
            .iter()
            .map(|&kind| {
                let settings = templates.kind(kind);
                Row {
                    key: kind.key().to_owned(),
                    title: settings.title.clone(),
                    regime: None,
                    note: <&str>::from(settings.style).to_owned(),
                }
            })
            .collect(),
    };
    let needle = request.matching.as_deref().map(str::to_lowercase);
    Ok(all
        .into_iter()
        .filter(|row| {
            needle.as_deref().is_none_or(|needle| {
                row.key.to_lowercase().contains(needle) || row.title.to_lowercase().contains(needle)
            })
        })
        .collect())
}

/// When a regime is in force and for what processing: "2021-01-01 onwards, general".
fn regime_note(law: &crate::case::RegimeWording) -> String {
    let days = match (law.from, law.until) {
        (None, None) => "always".to_owned(),
        (None, Some(until)) => format!("until {until}"),
        (Some(from), None) => format!("{from} onwards"),
        (Some(from), Some(until)) => format!("{from} to {until}"),
    };
    let processing: Vec<&str> = law.processing.iter().map(|p| p.key()).collect();
    format!("{days}, {}", processing.join(" and "))
}

/// Lists what `request` asks for from the templates in `dir`, printing it in
/// `format` on standard output; gives the exit code.
pub fn run(dir: &std::path::Path, request: &Request, format: MessageFormat) -> i32 {
    if let Some(missing) = crate::templates::missing_folder(dir) {
        crate::diag::eprint(&[missing]);
        return 2;
    }
    let result = Templates::load(dir)
        .map_err(ListError::Templates)
        .and_then(|templates| rows(&templates, request));
    let rows = match result {
        Ok(rows) => rows,
        Err(ListError::Usage(diagnostic)) => {
            crate::diag::eprint(&[diagnostic]);
            return 2;
        }
        Err(ListError::Templates(diagnostics)) => {
            crate::diag::eprint(&diagnostics);
            return 1;
        }
    };
    let text = match format {
        MessageFormat::Human => table(&rows),
        MessageFormat::Json => rows
            .iter()
            .map(|row| serde_json::to_string(row).unwrap_or_default() + "\n")
            .collect(),
    };
    if crate::output::print_or_report(text.as_bytes()) {
        0
    } else {
        1
    }
}

/// The rows as an aligned table under a heading, the last column left ragged.
pub fn table(rows: &[Row]) -> String {
    let with_regime = rows.iter().any(|r| r.regime.is_some());
    let with_note = rows.iter().any(|r| !r.note.is_empty());
    let mut lines: Vec<Vec<&str>> = vec![
        ["key"]
            .into_iter()
            .chain(with_regime.then_some("regime"))
            .chain(["title"])
            .chain(with_note.then_some("note"))
            .collect(),
    ];
    for row in rows {
        lines.push(
            [row.key.as_str()]
                .into_iter()
                .chain(with_regime.then_some(row.regime.as_ref().map_or("", Regime::key)))
                .chain([row.title.as_str()])
                .chain(with_note.then_some(row.note.as_str()))
                .collect(),
        );
    }
    let columns = lines[0].len();
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            lines
                .iter()
                .map(|l| l[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for line in &lines {
        let mut out = String::new();
        for (c, cell) in line.iter().enumerate() {
            if c + 1 == columns {
                out.push_str(cell);
            } else {
                out.push_str(&format!("{cell:<width$}  ", width = widths[c]));
            }
        }
        text.push_str(out.trim_end());
        text.push('\n');
    }
    text
}

/// The opening of a standard paragraph, as its title: its first line, without
/// Tera tags, cut at a word near 60 characters.
pub(crate) fn opening(source: &str) -> String {
    let line = source
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("{#") && !l.starts_with("{%"))
        .unwrap_or("");
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut title = String::new();
    for word in &words {
        if title.chars().count() + word.chars().count() > 60 {
            title.push('…');
            return title;
        }
        if !title.is_empty() {
            title.push(' ');
        }
        title.push_str(word);
    }
    title
}

/// The nations a case may name, with how many bank holidays each has on file;
/// the default one says so.
fn nations(holidays: &BankHolidays) -> Vec<Row> {
    let (from, to) = holidays.covers();
    holidays
        .nations()
        .map(|(nation, name)| {
            let count = from
                .iter_days()
                .take_while(|day| *day <= to)
                .filter(|day| holidays.is_bank_holiday(*day, nation).unwrap_or(false))
                .count();
            let default = if holidays.default_nation() == Some(nation) {
                " (the default)"
            } else {
                ""
            };
            Row {
                key: nation.key().to_owned(),
                title: name.to_owned(),
                regime: None,
                note: format!("{count} bank holidays, {from} to {to}{default}"),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(key: &str, title: &str) -> Row {
        Row {
            key: key.into(),
            title: title.into(),
            regime: None,
            note: String::new(),
        }
    }

    #[test]
    fn the_nations_are_the_calendars() {
        let calendar = "\
covers: { from: 2024-01-01, to: 2024-12-31 }
default: mainland
nations:
  mainland:
    name: The Mainland
    holidays: [{ date: 2024-01-01, name: New Year }, { date: 2024-12-25, name: Christmas }]
  isles:
    name: The Isles
    holidays: [{ date: 2024-01-01, name: New Year }]
";
        let holidays = BankHolidays::from_yaml(calendar).expect("a calendar");
        let rows: Vec<(String, String, String)> = nations(&holidays)
            .into_iter()
            .map(|r| (r.key, r.title, r.note))
            .collect();
        assert_eq!(
            rows,
            [
                (
                    "isles".into(),
                    "The Isles".into(),
                    "1 bank holidays, 2024-01-01 to 2024-12-31".into()
                ),
                (
                    "mainland".into(),
                    "The Mainland".into(),
                    "2 bank holidays, 2024-01-01 to 2024-12-31 (the default)".into()
                ),
            ]
        );
    }

    #[test]
    fn a_table_aligns_its_columns_and_leaves_out_empty_ones() {
        let rows = [row("a", "First"), row("longer-key", "Second")];
        assert_eq!(
            table(&rows),
            "key         title\na           First\nlonger-key  Second\n"
        );
        let mut special = row("health", "health data");
        special.note = "special".into();
        assert_eq!(
            table(&[special]),
            "key     title        note\nhealth  health data  special\n"
        );
    }

    #[test]
    fn a_paragraph_is_titled_by_its_opening_words() {
        let rows: [(&str, &str); 3] = [
            ("Short.\nMore.", "Short."),
            (
                "{# a comment #}\n\nWe recognise the unprecedented challenges that many organisations face today.",
                "We recognise the unprecedented challenges that many…",
            ),
            ("", ""),
        ];
        for (source, expected) in rows {
            assert_eq!(opening(source), expected, "{source}");
        }
    }
}
