//! Typesetting: a letter's Typst markup and metadata, laid out by the office's
//! `layout.typ`, compiled to PDF in-process.
//!
//! A [`Typesetter`] is built once per batch and shared by every worker: fonts
//! (the embedded ones, then any in `letter-templates/fonts/`) are parsed once, the
//! standard library is built once, and template files are read once. Each letter
//! is compiled in its own small [`world::LetterWorld`]. The same inputs always give
//! the same bytes: the PDF's date and identifier come from the letter.

mod watchdog;
mod world;

use std::path::Path;

use chrono::Datelike;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::Source;
use typst::{Library, LibraryExt, WorldExt};
use typst_kit::fonts::{self, FontStore};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use crate::diag::{Diagnostic, Source as DiagSource};
pub use watchdog::Expired;
use watchdog::Watchdog;
use world::{LetterWorld, Shared};

/// Typst's memoisation cache grows with every document unless entries are evicted.
/// After each compilation, entries no letter has used in the last few compilations
/// go: what every letter shares (the layout, fonts, the shaping of common words) is
/// hit again and again and stays warm, while one letter's own results leave soon
/// after it. Measured over 1,000 generated cases on two workers: never evicting
/// reached 2 GB; an age of 3 after every letter kept the peak near 55 MB, costing
/// about a tenth more CPU than never evicting; an age of 1 or of 30, evicting
/// every 4th letter, or also clearing the whole cache every 16 or 64 letters were
/// no better in time or memory.
const EVICT_MAX_AGE: usize = 3;

/// Fonts, library and layout, loaded once.
pub struct Typesetter {
    shared: Shared,
    /// The templates folder as the user named it, for messages.
    shown_dir: std::path::PathBuf,
    /// The per-letter time budget, once a batch has set one.
    watchdog: Option<Watchdog>,
}

/// One letter to typeset.
pub struct Document<'a> {
    /// The body as Typst markup (escaped by the converter).
    pub body: &'a str,
    /// Everything the layout needs, as data.
    pub meta: &'a serde_json::Value,
    /// The letter's date: the PDF's date and Typst's "today".
    pub date: chrono::NaiveDate,
    /// A stable identifier of the document (reference, kind and date).
    pub ident: &'a str,
    /// More pages than this is an error.
    pub max_pages: usize,
    /// How the letter is named in messages ("the decision of IC-1 dated 2020-01-14
    /// (cases/IC-1.yaml)").
    pub label: &'a str,
}

/// A typeset letter.
pub struct Pdf {
    /// The PDF file.
    pub bytes: Vec<u8>,
    /// How many pages it has.
    pub pages: usize,
}

/// A failure to typeset, as a diagnostic.
#[derive(Debug, thiserror::Error)]
#[error("{}", .diagnostic.message)]
pub struct TypesetError {
    /// What went wrong: located in the template file at fault, or, for an error in
    /// the letter body, not located at all.
    pub diagnostic: Box<Diagnostic>,
    /// Whether the error arose in the letter body, the Typst generated from the
    /// letter's Markdown. That text holds the case's own words, so it is never
    /// quoted; the caller, who knows the case, can point at its file instead.
    pub in_body: bool,
}

impl Typesetter {
    /// Loads the fonts and prepares the library for a templates folder.
    pub fn new(template_dir: &Path) -> Result<Typesetter, TypesetError> {
        let dir = template_dir.canonicalize().map_err(|e| {
            error(format!(
                "failed to open the templates folder {} ({e})",
                template_dir.display()
            ))
        })?;
        if !dir.join("layout.typ").is_file() {
            return Err(error(format!(
                "{} is missing",
                template_dir.join("layout.typ").display()
            )));
        }
        let mut store = FontStore::new();
        store.extend(fonts::embedded());
        let font_dir = dir.join("fonts");
        if font_dir.is_dir() {
            for entry in walkdir::WalkDir::new(&font_dir).sort_by_file_name() {
                let entry = entry
                    .map_err(|e| error(format!("failed to read {} ({e})", font_dir.display())))?;
                let is_font = entry
                    .path()
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| {
                        matches!(
                            e.to_ascii_lowercase().as_str(),
                            "ttf" | "otf" | "ttc" | "otc"
                        )
                    });
                if !is_font {
                    continue;
                }
                let data = std::fs::read(entry.path()).map_err(|e| {
                    error(format!(
                        "failed to read the font {} ({e})",
                        entry.path().display()
                    ))
                })?;
                for font in typst::text::Font::iter(Bytes::new(data)) {
                    let info = font.info().clone();
                    store.push((font, info));
                }
            }
        }
        let library = Library::builder().build();
        Ok(Typesetter {
            shared: Shared::new(dir, library, store),
            shown_dir: template_dir.to_path_buf(),
            watchdog: None,
        })
    }

    /// Gives every letter typeset from now on `limit` to finish; `expired` is called
    /// with the first that does not (see [`watchdog`]).
    pub fn set_time_budget(
        &mut self,
        limit: std::time::Duration,
        expired: Expired,
    ) -> std::io::Result<()> {
        self.watchdog = Some(Watchdog::start(limit, expired)?);
        Ok(())
    }

    /// Compiles one letter to PDF.
    pub fn pdf(&self, document: &Document<'_>) -> Result<Pdf, TypesetError> {
        let _watch = self
            .watchdog
            .as_ref()
            .map(|watchdog| watchdog.watch(document.label.to_owned()));
        let date = document.date;
        let today = Datetime::from_ymd(date.year(), date.month() as u8, date.day() as u8)
            .ok_or_else(|| error(format!("the date {date} cannot be typeset")))?;
        let meta = serde_json::to_vec(document.meta)
            .map_err(|e| error(format!("failed to encode the letter's metadata ({e})")))?;
        let world = LetterWorld {
            shared: &self.shared,
            meta: Bytes::new(meta),
            body: Source::new(self.shared.body_id, document.body.to_owned()),
            today,
        };
        let result = typst::compile::<PagedDocument>(&world).output;
        comemo::evict(EVICT_MAX_AGE);
        let compiled = result.map_err(|errors| self.diagnostic(&world, &errors))?;
        let pages = compiled.pages().len();
        if pages > document.max_pages {
            return Err(error(format!(
                "the letter would be {pages} pages long, more than the {} allowed",
                document.max_pages
            ))
            .with_note("shorten the case's Markdown fields, or raise `max_pages` in letter-templates/office.yaml"));
        }
        let options = PdfOptions {
            ident: Smart::Custom(document.ident.to_owned()),
            creator: Smart::Custom(Some("casewright".to_owned())),
            timestamp: Some(Timestamp::new_utc(today)),
            ..PdfOptions::default()
        };
        let bytes = typst_pdf::pdf(&compiled, &options)
            .map_err(|errors| self.diagnostic(&world, &errors))?;
        Ok(Pdf { bytes, pages })
    }

    /// The first error of a compilation as a diagnostic pointing into the file at fault.
    fn diagnostic(&self, world: &LetterWorld<'_>, errors: &[SourceDiagnostic]) -> TypesetError {
        let Some(first) = errors
            .iter()
            .find(|d| d.severity == Severity::Error)
            .or(errors.first())
        else {
            return error("failed to typeset the letter".into());
        };
        let in_body = first.span.id() == Some(self.shared.body_id);
        let mut diagnostic = if in_body {
            // The generated body holds the case's text: name where the error arose,
            // never quote the line.
            Diagnostic::error(
                "typeset-error",
                format!(
                    "failed to typeset the letter body generated from the case's Markdown fields: {}",
                    first.message
                ),
            )
            .note("the generated Typst is not shown, as it holds the case's text")
        } else {
            Diagnostic::error(
                "typeset-error",
                format!("failed to typeset the letter: {}", first.message),
            )
        };
        if let (false, Some(id), Some(range)) = (in_body, first.span.id(), world.range(first.span))
        {
            let name = crate::templates::display(&self.shown_dir, &world::Shared::relative(id));
            let text = self.shared.text_of(id).unwrap_or_default();
            diagnostic = diagnostic.at(&DiagSource::new(name, text), range, "here");
        }
        for hint in &first.hints {
            diagnostic = diagnostic.note(format!("hint: {}", hint.v));
        }
        TypesetError {
            diagnostic: Box::new(diagnostic),
            in_body,
        }
    }
}

fn error(message: String) -> TypesetError {
    TypesetError {
        diagnostic: Box::new(Diagnostic::error("typeset-error", message)),
        in_body: false,
    }
}

impl TypesetError {
    fn with_note(mut self, note: &str) -> TypesetError {
        self.diagnostic.notes.push(note.to_owned());
        self
    }
}

#[cfg(test)]
mod tests;
