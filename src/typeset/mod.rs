//! Typesetting: a letter's Typst markup and metadata, laid out by the office's
//! `layout.typ`, compiled to PDF in-process.
//!
//! A [`Typesetter`] is built once per batch and shared by every worker: fonts
//! (the embedded ones, then any in `letter-templates/fonts/`) are parsed once, the
//! standard library is built once, and template files are read once. Each letter
//! is compiled in its own small [`world::LetterWorld`]. The same inputs always give
//! the same bytes: the PDF's date and identifier come from the letter.

mod memory;
mod standards;
mod watchdog;
mod world;

use std::path::Path;

use chrono::Datelike;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{DiagSpan, Source};
use typst::{Library, LibraryExt, WorldExt};
use typst_kit::fonts::{self, FontStore};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandards, Timestamp};

use crate::diag::{self, Diagnostic, Source as DiagSource};
use crate::render::LayoutMeta;
pub use memory::{Budgeted, MemoryExceeded, set_memory_budget};
pub use standards::{Accessibility, Archival, PdfSettings};
pub use watchdog::{Expired, Overrun, Watch, Watchdog};
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
    /// The standards every PDF is exported to, and checked against by typst-pdf.
    standards: PdfStandards,
}

/// One letter to typeset.
pub struct Document<'a> {
    /// The body as Typst markup (escaped by the converter).
    pub body: &'a str,
    /// Everything the layout needs, as data: `letter(meta, body)`'s `meta`.
    pub meta: &'a LayoutMeta,
    /// The letter's date: the PDF's date and Typst's "today".
    pub date: chrono::NaiveDate,
    /// A stable identifier of the document (reference, kind and date).
    pub ident: &'a str,
    /// More pages than this is an error.
    pub max_pages: usize,
    /// How the letter is named in messages ("the decision of IC-1 dated 2020-01-14
    /// (cases/IC-1.yaml)").
    pub label: &'a str,
    /// The file the body was generated from (the case file), if any: a problem in
    /// the body is put on this file by name, as none of the body may be quoted.
    pub origin: Option<&'a DiagSource>,
}

/// A typeset letter.
pub struct Pdf {
    /// The PDF file.
    pub bytes: Vec<u8>,
    /// How many pages it has.
    pub pages: usize,
}

/// A failure to typeset: every error, then every warning, that Typst gave, each
/// located in the template file at fault. The first is always an error.
///
/// A problem in the letter body, the Typst generated from the letter's Markdown, is
/// never quoted, as the body holds the case's own words: it is put on the
/// document's [`origin`](Document::origin) by name and says it arose in the body.
#[derive(Debug, thiserror::Error)]
#[error("{}", .0.first().map_or("failed to typeset the letter", |d| d.message.as_str()))]
pub struct TypesetError(pub Vec<Diagnostic>);

impl Typesetter {
    /// Loads the fonts and prepares the library for a templates folder. PDFs are
    /// exported to PDF/UA-1 and PDF/A-2a unless [`Typesetter::set_standards`] says
    /// otherwise.
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
            standards: PdfSettings::default()
                .standards()
                .map_err(|why| error(format!("failed to set the PDF standards ({why})")))?,
        })
    }

    /// Exports every PDF from now on to these standards (`pdf:` in `office.yaml`).
    pub fn set_standards(&mut self, settings: &PdfSettings) -> Result<(), TypesetError> {
        self.standards = settings.standards().map_err(|why| {
            error(format!(
                "office.yaml: the PDF standards under `pdf:` cannot be combined ({why})"
            ))
        })?;
        Ok(())
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

    /// How wide `text` is set in `family` (regular) at `size` points, in millimetres,
    /// from the font's advances (kerning, which only narrows, left out); `None` if
    /// no such font is loaded. A posted letter's address is checked with it at load.
    pub fn text_width_mm(&self, family: &str, text: &str, size: f64) -> Option<f64> {
        let fonts = &self.shared.fonts;
        let index = fonts
            .book()
            .select(&family.to_lowercase(), typst::text::FontVariant::default())?;
        let font = fonts.font(index)?.instantiate(
            typst::text::FontVariant::default(),
            typst::layout::Abs::pt(size),
            &Default::default(),
        );
        let fallback = font.ttf().glyph_index('?').map_or(0, |g| g.0);
        let ems: f64 = text
            .chars()
            .map(|c| {
                let glyph = font.ttf().glyph_index(c).map_or(fallback, |g| g.0);
                font.x_advance(glyph).map_or(0.5, |em| em.get())
            })
            .sum();
        Some(ems * size * 25.4 / 72.0)
    }

    /// Compiles one letter to PDF.
    pub fn pdf(&self, document: &Document<'_>) -> Result<Pdf, TypesetError> {
        let _typesetting = watchdog::Typesetting::begin(document.label);
        // Counted from here, after the bookkeeping above, to the end of this call.
        let _memory = memory::arm();
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
        let warned = typst::compile::<PagedDocument>(&world);
        comemo::evict(EVICT_MAX_AGE);
        let located = Located {
            shared: &self.shared,
            shown_dir: &self.shown_dir,
            world: &world,
            origin: document.origin,
        };
        let report = |errors: &[SourceDiagnostic]| located.error(errors, &warned.warnings);
        let compiled = match &warned.output {
            Ok(compiled) => compiled,
            Err(errors) => return Err(report(errors)),
        };
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
            standards: self.standards.clone(),
            ..PdfOptions::default()
        };
        let bytes = typst_pdf::pdf(compiled, &options).map_err(|errors| report(&errors))?;
        Ok(Pdf { bytes, pages })
    }
}

/// Typst's diagnostics of one letter, turned into ours: each located in the
/// template file it points into, and nothing of the generated files quoted.
struct Located<'a> {
    shared: &'a Shared,
    shown_dir: &'a Path,
    world: &'a LetterWorld<'a>,
    origin: Option<&'a DiagSource>,
}

/// Where a span of Typst's points.
enum Place {
    /// Nowhere in particular.
    Nowhere,
    /// A template file, which may be quoted: its name and text, and the range.
    Template(DiagSource, std::ops::Range<usize>),
    /// A file casewright generates for the letter from the case, which is never
    /// quoted: what it is, in words.
    Generated(&'static str),
    /// The main file casewright generates, the same for every letter: it imports
    /// `letter` from `layout.typ` and applies it to the body.
    Main,
}

/// The letter body, as messages name it.
const BODY: &str = "the letter body generated from the case's Markdown fields";

impl Located<'_> {
    /// The error of a failed compilation or export: every error, then every
    /// warning. Typst gives at least one error; should it give none, a bare error
    /// still comes first.
    fn error(&self, errors: &[SourceDiagnostic], warnings: &[SourceDiagnostic]) -> TypesetError {
        let mut diagnostics: Vec<Diagnostic> = errors
            .iter()
            .chain(warnings)
            .map(|d| self.diagnostic(d))
            .collect();
        if diagnostics
            .first()
            .is_none_or(|d| d.severity != diag::Severity::Error)
        {
            diagnostics.insert(
                0,
                Diagnostic::error("typeset-error", "failed to typeset the letter"),
            );
        }
        TypesetError(diagnostics)
    }

    /// One of Typst's diagnostics, with its hints and the trace of calls that led
    /// to it as notes, each naming the file, line and column it points at.
    fn diagnostic(&self, typst: &SourceDiagnostic) -> Diagnostic {
        let place = self.place(typst.span);
        // Typst quotes what it could not use: the layout's own code, which a
        // template author needs to see, or a case's text (in the generated body,
        // or a value the layout received and panicked with), which messages
        // never carry, so those quotations are left out.
        let quotes_case = matches!(place, Place::Generated(_) | Place::Nowhere)
            || typst.message.starts_with("panicked");
        let scrub = |text: &str| {
            if quotes_case {
                unquoted(text)
            } else {
                text.to_owned()
            }
        };
        let message = &scrub(&typst.message);
        let mut diagnostic = match (typst.severity, &place) {
            (Severity::Error, Place::Generated(what)) => Diagnostic::error(
                "typeset-error",
                format!("failed to typeset {what}: {}", message),
            ),
            (Severity::Error, _) => Diagnostic::error(
                "typeset-error",
                format!("failed to typeset the letter: {}", message),
            ),
            (Severity::Warning, Place::Generated(what)) => {
                Diagnostic::warning("typeset-warning", format!("in {what}: {}", message))
            }
            (Severity::Warning, _) => Diagnostic::warning("typeset-warning", message.as_str()),
        };
        match &place {
            Place::Nowhere => {}
            Place::Main => {
                let layout = crate::templates::display(self.shown_dir, "layout.typ");
                diagnostic = diagnostic
                    .in_file(&DiagSource::new(layout.as_str(), ""))
                    .note(format!(
                        "casewright imports `letter` from {layout} and calls it as `letter(meta, body)`"
                    ));
            }
            Place::Template(source, range) => {
                diagnostic = diagnostic.at(source, range.clone(), "here")
            }
            Place::Generated(what) => {
                if let Some(origin) = self.origin {
                    // A problem in the body is usually in text a case field gave
                    // (a heading that skips a level, say): point at that field's
                    // line in the case file when its words can be found there.
                    let field = (*what == BODY)
                        .then(|| self.world.range(typst.span))
                        .flatten()
                        .and_then(|range| self.world.body.text().get(range))
                        .and_then(|generated| find_in_case(generated, &origin.text));
                    diagnostic = match field {
                        Some(range) => diagnostic.at(origin, range, "the case text it came from"),
                        None => diagnostic.in_file(origin),
                    };
                }
                diagnostic = diagnostic
                    .note("the generated Typst is not shown, as it holds the case's text");
            }
        }
        for hint in &typst.hints {
            let whereabouts = self.whereabouts(hint.span).unwrap_or_default();
            diagnostic = diagnostic.note(format!("hint: {}{whereabouts}", scrub(&hint.v)));
        }
        // Calls in the main file are left out: every letter passes through the same
        // import of the layout and inclusion of the body, so they name no line of
        // the templates, only casewright's own virtual files.
        for point in &typst.trace {
            if let Some(whereabouts) = self.whereabouts(point.span) {
                diagnostic = diagnostic.note(format!("{}{whereabouts}", point.v));
            }
        }
        diagnostic
    }

    /// Where a span points.
    fn place(&self, span: impl Into<DiagSpan>) -> Place {
        let span = span.into();
        let Some(id) = span.id() else {
            return Place::Nowhere;
        };
        if id == self.shared.body_id {
            return Place::Generated(BODY);
        }
        if id == self.shared.meta_id {
            return Place::Generated("the letter's metadata generated from the case");
        }
        if id == self.shared.main.id() {
            return Place::Main;
        }
        let Some(range) = self.world.range(span) else {
            return Place::Nowhere;
        };
        let name = crate::templates::display(self.shown_dir, &world::Shared::relative(id));
        let text = self.shared.text_of(id).unwrap_or_default();
        Place::Template(DiagSource::new(name, text), range)
    }

    /// Where a span points, to end a note: " (letter-templates/layout.typ:12:3)"
    /// in a template file, " (in the letter body …)" in a file generated from the
    /// case, empty for no span; `None` in the main file.
    fn whereabouts(&self, span: impl Into<DiagSpan>) -> Option<String> {
        match self.place(span) {
            Place::Nowhere => Some(String::new()),
            Place::Template(source, range) => {
                let (line, column) = source.line_col(range.start);
                Some(format!(" ({}:{line}:{column})", source.name))
            }
            Place::Generated(what) => Some(format!(" (in {what})")),
            Place::Main => None,
        }
    }
}

/// Where the words of a piece of generated Typst are written in the case file: the
/// longest run of plain text in it (markup and escapes left out), if at least a
/// few characters long and found in the case.
fn find_in_case(generated: &str, case: &str) -> Option<std::ops::Range<usize>> {
    let unescaped = generated.replace('\\', "");
    let words = unescaped
        .split(['#', '[', ']', '(', ')', '"', '\n'])
        .map(str::trim)
        .filter(|run| run.chars().any(char::is_alphanumeric) && !run.contains(':'))
        .max_by_key(|run| run.len())?;
    if words.len() < 4 {
        return None;
    }
    let start = case.find(words)?;
    Some(start..start + words.len())
}

/// `message` with every quotation (in double quotes or backticks) put as `…`.
fn unquoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quote: Option<char> = None;
    for c in message.chars() {
        match quote {
            Some(open) if c == open => {
                out.push('…');
                out.push(c);
                quote = None;
            }
            Some(_) => {}
            None if matches!(c, '"' | '`') => {
                out.push(c);
                quote = Some(c);
            }
            None => out.push(c),
        }
    }
    if quote.is_some() {
        out.push('…');
    }
    out
}

fn error(message: String) -> TypesetError {
    TypesetError(vec![Diagnostic::error("typeset-error", message)])
}

impl TypesetError {
    fn with_note(mut self, note: &str) -> TypesetError {
        for diagnostic in &mut self.0 {
            diagnostic.notes.push(note.to_owned());
        }
        self
    }
}

#[cfg(test)]
mod tests;
