//! After the letters: the progress updates a case's letters ask for, tracked
//! across cases ([`docket`], with its calendar in [`ics`]), and how every derived
//! fact of a case was worked out ([`explain`]).
//!
//! Both read the facts the letters state through the same [`Engine`] (each kind's
//! facts through the kinds registry), so a docket date or an explanation can never
//! disagree with a letter. Their words
//! come from `letter-templates/follow-up.yaml`; nothing here reads the clock:
//! "today" is given.

pub mod command;
pub mod docket;
pub mod explain;
pub mod ics;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::case::Case;
use crate::diag::{Diagnostic, Source};
use crate::pipeline::Engine;
use crate::templates;

/// The file of follow-up wording, in the templates folder.
pub const WORDING_FILE: &str = "follow-up.yaml";

/// The words of the calendar and the explanation (`follow-up.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wording {
    /// The calendar's words.
    pub calendar: CalendarWording,
    /// The explanation's words.
    pub explain: ExplainWording,
}

/// The words of the `.ics` calendar.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarWording {
    /// The calendar's name.
    pub name: String,
    /// An event's summary.
    pub summary: String,
    /// An event's description.
    pub description: String,
    /// One step ("step {numbers}").
    pub step: String,
    /// Several steps ("steps {numbers}").
    pub steps: String,
    /// No step marked.
    pub all_steps: String,
    /// Added for an extended deadline.
    pub extended: String,
    /// Added for a deadline a reminder moved.
    pub reminded: String,
}

/// The words of `explain`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExplainWording {
    /// Heading: the law of the matter's dates, by matter (`breach`, ...).
    pub regimes: BTreeMap<String, String>,
    /// Heading: the time-limit test.
    pub late: String,
    /// Heading: one letter.
    pub letter: String,
    /// Heading: the power a letter is issued under.
    pub power: String,
    /// Heading: the deadline.
    pub deadline: String,
    /// A date of the matter and its rule.
    pub incident: String,
    /// The matter itself, by matter, when it joins no incidents ("the breach").
    pub matter: BTreeMap<String, String>,
    /// The rule of each regime, by `before`, `between`, `from` and `always`.
    pub regime: BTreeMap<String, String>,
    /// Added to the rule when the case's processing chose the regime too, by
    /// processing (`law-enforcement`).
    pub processing: BTreeMap<String, String>,
    /// The time-limit test of a breach report.
    pub lateness: Lateness,
    /// The power of each regime.
    pub power_rule: PowerRule,
    /// The steps of a deadline.
    pub steps: Steps,
}

/// The words of the time-limit test.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is the phrase of its name, in follow-up.yaml"
)]
pub struct Lateness {
    pub late: String,
    pub in_time: String,
    pub no_limit: String,
    pub not_tested: String,
    pub hours: String,
    pub hour: String,
    pub minutes: String,
    pub minute: String,
}

/// The words of the power a letter is issued under.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is the phrase of its name, in follow-up.yaml"
)]
pub struct PowerRule {
    pub power: String,
    pub none: String,
    pub incident: String,
    pub incidents: String,
}

/// The words of each step of a deadline.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is the phrase of its name, in follow-up.yaml"
)]
pub struct Steps {
    pub chases: String,
    pub set_by: SetByWords,
    pub start: String,
    pub period: String,
    pub added: String,
    pub clamped: String,
    pub no_roll: String,
    pub weekend: String,
    pub holiday: String,
    pub substitute: String,
    pub working: String,
    pub due: String,
    pub extended: String,
    pub received: String,
    pub letter_says: String,
}

/// How `explain` says what set the date a reminder chases.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "each field is the phrase of its name, in follow-up.yaml"
)]
pub struct SetByWords {
    pub letter: String,
    pub extension: String,
    pub reminder: String,
}

impl Wording {
    /// Reads `follow-up.yaml` from the templates folder.
    pub fn load(dir: &Path) -> Result<Wording, Diagnostic> {
        let name = templates::display(dir, WORDING_FILE);
        let text = std::fs::read_to_string(dir.join(WORDING_FILE)).map_err(|e| {
            Diagnostic::error("template-missing", format!("failed to read {name} ({e})"))
        })?;
        serde_saphyr::from_str(&text).map_err(|e| {
            Diagnostic::error("template-error", format!("{name}: {e}"))
                .in_file(&Source::new(name.as_str(), text.as_str()))
        })
    }
}

/// Fills `{name}` in a phrase with its value.
pub fn fill(phrase: &str, values: &[(&str, &str)]) -> String {
    let mut text = phrase.to_owned();
    for (name, value) in values {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

/// The cases of a follow-up command, loaded and valid, and what went wrong.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Each valid case, with its file as messages name it, by path.
    pub cases: Vec<(String, Case)>,
    /// Every error: cases that could not be read or are invalid.
    pub errors: Vec<Diagnostic>,
    /// Paths given that do not exist (a usage error).
    pub missing: Vec<Diagnostic>,
}

/// Finds and loads the case files under `paths` as `render` does (the same
/// checks, through the same [`Engine`]), so a case the docket lists is one whose
/// letters render.
pub fn load_cases(paths: &[PathBuf], engine: &Engine) -> Loaded {
    let collected = crate::batch::collect(paths);
    let mut loaded = Loaded {
        errors: collected.refused,
        missing: collected.missing,
        ..Loaded::default()
    };
    for file in collected.files {
        let name = file.display().to_string();
        let case = crate::batch::read_case(&file)
            .map_err(|e| vec![e])
            .and_then(|bytes| engine.load(&name, &bytes));
        match case {
            Ok(case) => loaded.cases.push((crate::batch::path_key(&file), case)),
            Err(diagnostics) => loaded.errors.extend(diagnostics),
        }
    }
    loaded
}

/// Reads the templates folder (as `render` does) and the follow-up wording, or
/// says why not.
pub fn load_templates(dir: &Path) -> Result<(Engine, Wording), Vec<Diagnostic>> {
    let engine = Engine::new(dir)?;
    let wording = Wording::load(dir).map_err(|e| vec![e])?;
    Ok((engine, wording))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_are_filled() {
        assert_eq!(
            fill("{a} and {b}, {a}", &[("a", "one"), ("b", "two")]),
            "one and two, one"
        );
    }

    #[test]
    fn a_bad_wording_file_is_an_error_naming_it() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let missing = Wording::load(dir.path()).expect_err("no file");
        assert_eq!(missing.code, "template-missing");
        assert!(
            missing.message.contains(WORDING_FILE),
            "{}",
            missing.message
        );
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("letter-templates/follow-up.yaml");
        let text = std::fs::read_to_string(shipped).expect("shipped");
        std::fs::write(
            dir.path().join(WORDING_FILE),
            text.replace(
                "  name: Progress updates due",
                "  nmae: Progress updates due",
            ),
        )
        .expect("written");
        let bad = Wording::load(dir.path()).expect_err("an unknown key");
        assert_eq!(bad.code, "template-error");
        assert!(bad.message.contains("nmae"), "{}", bad.message);
    }

    #[test]
    fn the_shipped_wording_reads() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("letter-templates");
        let wording = Wording::load(&dir).expect("follow-up.yaml is valid");
        for key in ["before", "between", "from", "always"] {
            assert!(wording.explain.regime.contains_key(key), "{key}");
        }
        for &matter in crate::case::MatterType::ALL {
            assert!(
                wording.explain.matter.contains_key(matter.key()),
                "{matter:?}"
            );
            assert!(
                wording.explain.regimes.contains_key(matter.key()),
                "{matter:?}"
            );
        }
    }
}
