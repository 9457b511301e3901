//! `casewright schema`: the JSON Schema of case files (see [`crate::case::schema`]),
//! with the keys the templates folder defines, for editors to complete and check
//! case files as they are written.

use std::path::Path;

use crate::case::schema::{Key, KeyList, Keys, document, printable};
use crate::diag::Diagnostic;
use crate::templates::Templates;

/// The keys of the templates, as the schema offers them: each with its title, and
/// what more there is to say of it.
pub fn keys(templates: &Templates) -> Keys {
    let provisions = templates
        .provisions
        .iter()
        .map(|(key, p)| Key {
            key: key.clone(),
            title: p.title.clone(),
            description: Some(match &p.name {
                Some(name) => format!("{} ({}): {}", p.title, name, p.text),
                None => format!("{}: {}", p.title, p.text),
            }),
        })
        .collect();
    let categories = templates
        .categories
        .iter()
        .map(|(key, c)| Key {
            key: key.clone(),
            title: c.name.clone(),
            description: c
                .special
                .then(|| format!("{}: special category or criminal offence data", c.name)),
        })
        .collect();
    // By key: a paragraph's dated variants are one key, titled by its latest.
    let paragraphs = templates
        .paragraphs
        .iter()
        .filter_map(|(key, variants)| {
            let source = templates.sources.get(&variants.last()?.1)?;
            Some(Key {
                key: key.clone(),
                title: crate::list::opening(&source.text),
                description: None,
            })
        })
        .collect();
    let attachments = templates
        .office
        .attachments
        .iter()
        .map(|(key, a)| Key {
            key: key.clone(),
            title: a.title.clone(),
            description: None,
        })
        .collect();
    let holidays = &templates.holidays;
    let nations = holidays
        .nations()
        .map(|(nation, name)| Key {
            key: nation.key().to_owned(),
            title: name.to_owned(),
            description: (holidays.default_nation() == Some(nation))
                .then(|| format!("{name}: the default")),
        })
        .collect();
    Keys(
        [
            (KeyList::Provision, provisions),
            (KeyList::Category, categories),
            (KeyList::Paragraph, paragraphs),
            (KeyList::Attachment, attachments),
            (KeyList::Nation, nations),
        ]
        .into_iter()
        .collect(),
    )
}

/// The schema as printed, with the keys of `templates`.
pub fn text(templates: &Templates) -> String {
    let schema = printable(document(&keys(templates)));
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Prints the schema for the templates in `dir`, or writes it to `out`; gives the
/// exit code.
pub fn run(dir: &Path, out: Option<&Path>) -> i32 {
    if let Some(missing) = crate::templates::missing_folder(dir) {
        crate::diag::eprint(&[missing]);
        return 2;
    }
    let templates = match Templates::load(dir) {
        Ok(templates) => templates,
        Err(diagnostics) => {
            crate::diag::eprint(&diagnostics);
            return 1;
        }
    };
    let text = text(&templates);
    let Some(out) = out else {
        return if crate::output::print_or_report(text.as_bytes()) {
            0
        } else {
            1
        };
    };
    let (folder, name) = match (out.parent(), out.file_name()) {
        (Some(folder), Some(name)) => (folder, Path::new(name)),
        _ => (Path::new(""), out),
    };
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    match crate::output::write_atomic(folder, name, text.as_bytes()) {
        Ok(status) => {
            let word = match status {
                crate::output::WriteStatus::Written => "written  ",
                crate::output::WriteStatus::Unchanged => "unchanged",
            };
            let line = format!("{word} {}\n", out.display());
            if crate::output::print_or_report(line.as_bytes()) {
                0
            } else {
                1
            }
        }
        Err(error) => {
            crate::diag::eprint(&[Diagnostic::error(
                "write-failed",
                format!("failed to write {} ({error})", out.display()),
            )]);
            1
        }
    }
}
