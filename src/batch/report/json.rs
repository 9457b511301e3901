//! `--message-format json`: one object per line on standard output, for CI.

use std::path::Path;

use super::{ErrorReport, FileEvent, Printer, Stdout, Summary};
use crate::batch::{LetterReport, Status};
use crate::diag::Diagnostic;

/// Prints each event as a JSON object on its own line of standard output.
#[derive(Debug, Default)]
pub(super) struct Json {
    stdout: Stdout,
    /// (`--check --diff`) Name the changed files of each stale letter.
    changed: bool,
}

impl Json {
    /// A printer; with `changed`, each stale letter lists its changed files.
    pub(super) fn new(changed: bool) -> Json {
        Json {
            changed,
            ..Json::default()
        }
    }

    fn object(&mut self, value: &serde_json::Value) {
        self.stdout.line(format_args!("{value}"));
    }
}

impl Printer for Json {
    fn waiting(&mut self, out: &Path) {
        self.object(&serde_json::json!({"type": "waiting", "path": out.display().to_string()}));
    }

    fn diagnostics(&mut self, diagnostics: &[Diagnostic]) {
        for diagnostic in diagnostics {
            self.object(&diagnostic_json(diagnostic));
        }
    }

    fn letter(&mut self, letter: &LetterReport) {
        let mut value = serde_json::to_value(letter).unwrap_or_default();
        value["type"] = "letter".into();
        if self.changed && letter.status == Status::Stale {
            let changed: Vec<&str> = letter
                .outputs
                .iter()
                .filter(|f| f.status != "current")
                .map(|f| f.path.as_str())
                .collect();
            value["changed"] = changed.into();
        }
        self.object(&value);
    }

    fn file(&mut self, event: FileEvent, path: &Path) {
        let (word, _) = event.words();
        let path = path.display().to_string();
        self.object(&serde_json::json!({"type": word, "path": path}));
    }

    fn summary(&mut self, summary: &Summary<'_>) {
        self.object(&serde_json::json!({
            "type": "summary", "cases": summary.cases, "failed": summary.failed,
            "warnings": summary.warnings, "letters": summary.letters,
            "counts": summary.counts, "success": summary.success, "seconds": summary.seconds,
        }));
    }
}

/// A diagnostic as a JSON `diagnostic` object: code, message, location and notes.
fn diagnostic_json(diagnostic: &Diagnostic) -> serde_json::Value {
    let mut value = serde_json::to_value(ErrorReport::of(diagnostic)).unwrap_or_default();
    value["type"] = "diagnostic".into();
    value["severity"] = serde_json::to_value(diagnostic.severity).unwrap_or_default();
    value["notes"] = serde_json::to_value(&diagnostic.notes).unwrap_or_default();
    value
}
