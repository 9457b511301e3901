//! The engine that joins the stages: a case file's bytes are loaded, and each of
//! its letters derived, rendered, converted, typeset and packed into the files
//! [`crate::output`] writes.

use std::path::Path;

use crate::case::{self, Case, Letter, Vocabulary};
use crate::derive::Facts;
use crate::diag::Diagnostic;
use crate::output::{self, Format};
use crate::render::{self, Renderer};
use crate::templates::{self, Templates};
use crate::typeset::{self, Typesetter};
use crate::{convert, kinds};

/// Everything needed to turn cases into files, built once per run and shared by
/// every worker: templates parsed, fonts loaded.
pub struct Engine {
    /// The letter templates folder, read.
    pub templates: Templates,
    vocabulary: Vocabulary,
    renderer: Renderer,
    typesetter: Typesetter,
}

/// A letter's public copy, proven: its Markdown, its PDF and its redaction log.
struct PublicCopy {
    markdown: String,
    pdf: Vec<u8>,
    log: crate::publication::log::Log,
}

/// Where the replacement word stands in a public copy's Markdown.
fn replacement_ranges(markdown: &str, word: &str) -> Vec<std::ops::Range<usize>> {
    markdown
        .match_indices(word)
        .map(|(at, found)| at..at + found.len())
        .collect()
}

/// One file of a letter, ready to write.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Which kind of file.
    pub format: Format,
    /// Its path relative to the output folder.
    pub path: std::path::PathBuf,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

impl Engine {
    /// Reads the templates folder and prepares the renderer and the typesetter.
    pub fn new(template_dir: &Path) -> Result<Engine, Vec<Diagnostic>> {
        let templates = Templates::load(template_dir)?;
        let renderer = Renderer::new(&templates)?;
        let mut typesetter = Typesetter::new(template_dir).map_err(|e| e.0)?;
        typesetter
            .set_standards(&templates.office.pdf)
            .map_err(|e| e.0)?;
        Ok(Engine {
            vocabulary: templates.vocabulary(),
            templates,
            renderer,
            typesetter,
        })
    }

    /// Gives each letter the typesetting time `office.yaml` allows
    /// (`max_typeset_seconds`); `expired` is called with the first letter that
    /// overruns it, and should stop the run, as Typst cannot be interrupted.
    pub fn set_time_budget(&mut self, expired: typeset::Expired) -> std::io::Result<()> {
        let seconds = self.templates.office.max_typeset_seconds.get();
        self.typesetter
            .set_time_budget(std::time::Duration::from_secs(seconds), expired)
    }

    /// Loads and validates a case file's bytes; a posted letter's address must
    /// fit the envelope window.
    pub fn load(&self, name: &str, bytes: &[u8]) -> Result<Case, Vec<Diagnostic>> {
        let case = case::load(name, bytes, &self.vocabulary)?;
        let post = &self.templates.office.post;
        let measure = |text: &str, size: f64| self.typesetter.text_width_mm(&post.font, text, size);
        let problems = crate::postal::check(&case, post, &measure);
        if problems.is_empty() {
            Ok(case)
        } else {
            Err(problems)
        }
    }

    /// Which of the `asked` formats a letter has: all of them, except that a letter
    /// sent by post has no email draft unless its kind's `cover_posted` asks for
    /// a covering email. The letter's case and the templates decide it, so a
    /// letter whose inputs are unchanged has the same files as last time.
    pub fn formats(&self, letter: &Letter, asked: &[Format]) -> Vec<Format> {
        let settings = self.templates.kind(letter.kind);
        let posted = render::delivery(letter, settings.style) == Some(case::Delivery::Post);
        asked
            .iter()
            .copied()
            .filter(|&format| format != Format::Eml || !posted || settings.cover_posted)
            .filter(|&format| !format.is_public() || letter.publication.is_some())
            .collect()
    }

    /// Produces the files of one letter, in the order of `formats`, less those
    /// [`Engine::formats`] says it does not have. A letter that cannot be
    /// produced gives every problem found, the first an error.
    pub fn letter_files(
        &self,
        case: &Case,
        letter: &Letter,
        formats: &[Format],
    ) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
        let facts = self.facts(case, letter).map_err(|e| vec![e])?;
        let rendered = self.render(case, letter, &facts).map_err(|e| vec![e])?;
        let mut files = Vec::with_capacity(formats.len());
        let mut pdf: Option<Vec<u8>> = None;
        let mut public: Option<PublicCopy> = None;
        for format in self.formats(letter, formats) {
            if format.is_public() && public.is_none() {
                public = Some(self.public_copy(case, letter, &facts)?);
            }
            let bytes = match format {
                Format::PublicMd => public
                    .as_ref()
                    .map(|p| p.markdown.clone().into_bytes())
                    .unwrap_or_default(),
                Format::PublicPdf => public.as_ref().map(|p| p.pdf.clone()).unwrap_or_default(),
                Format::PublicLog => public
                    .as_ref()
                    .map(|p| p.log.text().into_bytes())
                    .unwrap_or_default(),
                Format::Md => rendered.markdown.clone().into_bytes(),
                Format::Pdf => self.pdf(case, letter, &rendered, &mut pdf)?,
                Format::Eml => {
                    let letter_pdf = match self.templates.kind(letter.kind).style {
                        templates::Style::Letter => {
                            Some(self.pdf(case, letter, &rendered, &mut pdf)?)
                        }
                        templates::Style::Email => None,
                    };
                    let attachments = self.attachments(case, letter, &rendered)?;
                    // An email-style letter is the message; a formal one is attached
                    // to its covering email.
                    let markdown = match self.templates.kind(letter.kind).style {
                        templates::Style::Email => &rendered.body,
                        templates::Style::Letter => &rendered.cover,
                    };
                    output::eml::build(&output::eml::Draft {
                        case,
                        letter,
                        subject: &rendered.subject,
                        title: &rendered.title,
                        text: &convert::to_text(markdown, output::eml::TEXT_WIDTH),
                        html: &convert::html_document(&rendered.subject, markdown),
                        office: &rendered.office,
                        letter_pdf: letter_pdf.as_deref(),
                        attachments: &attachments,
                    })
                }
            };
            let path = output::relative_path(&case.reference, letter.date, letter.kind, format);
            files.push(OutputFile {
                format,
                path,
                bytes,
            });
        }
        Ok(files)
    }

    /// The facts a letter states, worked out from its case (through its kind, see
    /// [`kinds::facts`]): the ones its files and the follow-up commands read.
    pub fn facts(&self, case: &Case, letter: &Letter) -> Result<Facts, Diagnostic> {
        kinds::facts(case, letter, &self.templates).map_err(|error| {
            Diagnostic::error(
                "deadline",
                format!("failed to compute the letter's facts: {error}"),
            )
            .in_file(&case.source)
            .note(format!(
                "in the {} dated {}",
                letter.kind.key(),
                letter.date
            ))
        })
    }

    /// A letter's Markdown, title, subject and layout metadata, from its facts.
    pub fn render(
        &self,
        case: &Case,
        letter: &Letter,
        facts: &Facts,
    ) -> Result<render::Rendered, Diagnostic> {
        self.renderer.render(case, letter, facts, &self.templates)
    }

    /// What the typesetter is given for a letter: its Typst body, metadata and id.
    /// With [`Engine::typeset_prepared`], this times Typst alone (the benchmark's floor).
    pub fn typst_inputs(&self, case: &Case, letter: &Letter) -> Result<TypstInputs, Diagnostic> {
        let facts = self.facts(case, letter)?;
        let rendered = self.render(case, letter, &facts)?;
        Ok(TypstInputs {
            body: convert::to_typst(&rendered.body),
            meta: rendered.meta,
            date: letter.date,
            ident: format!("{} {} {}", case.reference, letter.kind.key(), letter.date),
        })
    }

    /// Typesets prepared inputs to PDF bytes.
    pub fn typeset_prepared(&self, inputs: &TypstInputs) -> Result<Vec<u8>, typeset::TypesetError> {
        let document = typeset::Document {
            body: &inputs.body,
            meta: &inputs.meta,
            date: inputs.date,
            ident: &inputs.ident,
            max_pages: self.templates.office.max_pages,
            label: &inputs.ident,
            origin: None,
        };
        self.typesetter.pdf(&document).map(|pdf| pdf.bytes)
    }

    fn pdf(
        &self,
        case: &Case,
        letter: &Letter,
        rendered: &render::Rendered,
        cache: &mut Option<Vec<u8>>,
    ) -> Result<Vec<u8>, Vec<Diagnostic>> {
        if let Some(bytes) = cache {
            return Ok(bytes.clone());
        }
        let body = convert::to_typst(&rendered.body);
        let bytes = self.typeset(case, letter, &body, &rendered.meta, "", letter.date)?;
        *cache = Some(bytes.clone());
        Ok(bytes)
    }

    /// A letter's public copy, Markdown and PDF: rendered again without the
    /// officer's direct phone and email, invisible and direction characters
    /// left out, every form of everything withheld replaced before it is
    /// typeset, then proven absent from the Markdown and from everything the
    /// PDF shows a reader (see [`crate::publication`]), with its log. A
    /// survivor is an error at the line of the case file that withholds it.
    // The proof's steps in the order they must happen (render, redact, typeset,
    // search): long, but read straight through, it shows nothing is skipped.
    fn public_copy(
        &self,
        case: &Case,
        letter: &Letter,
        facts: &Facts,
    ) -> Result<PublicCopy, Vec<Diagnostic>> {
        let Some(publication) = &letter.publication else {
            return Err(vec![Diagnostic::error(
                "internal",
                "the letter has no public copy",
            )]);
        };
        let mut public = letter.clone();
        public.officer.phone = None;
        public.officer.email = None;
        let rendered = self
            .renderer
            .render_as(
                case,
                &public,
                facts,
                &self.templates,
                Some(publication.date),
            )
            .map_err(|e| vec![e])?;
        // What must be absent: everything withheld, and the officer's direct
        // phone and email (where long enough to look for).
        let word = &self.templates.office.redacted;
        let mut withheld = publication.withheld.clone();
        for (value, field) in [
            (letter.officer.phone.as_deref(), "officer.phone"),
            (letter.officer.email.as_deref(), "officer.email"),
        ] {
            if let Some(value) = value
                && crate::publication::check_withheld(value, word).is_ok()
            {
                withheld.push(case::Withheld {
                    forms: vec![value.to_owned()],
                    name: false,
                    reason: case::Reason::OfficerContact(field),
                    span: publication.span.clone(),
                });
            }
        }
        let sought =
            crate::publication::Sought::new(withheld.iter().map(|w| crate::publication::Seek {
                forms: &w.forms,
                name: w.name,
            }));
        let plain = crate::publication::strip_invisible;
        let redact = |text: &str| sought.redact(&plain(text), word);
        let original = plain(&rendered.markdown);
        let occurrences = sought.occurrences(&original);
        let markdown = redact(&rendered.markdown);
        let body = convert::to_typst(&redact(&rendered.body));
        let mut meta = rendered.meta.clone();
        meta.redact(&redact);
        let pdf = self.typeset(case, letter, &body, &meta, " public", publication.date)?;
        let mut places = vec![("the public Markdown".to_owned(), markdown.clone())];
        let read_back = crate::publication::pdf_places(&pdf).map_err(|error| {
            vec![Diagnostic::error("public-copy", error.to_string()).in_file(&case.source)]
        })?;
        places.extend(read_back);
        let survivors = sought.survivors(&places);
        if survivors.is_empty() {
            let log = crate::publication::log::Log {
                letter: format!(
                    "{} {} of {}",
                    case.reference,
                    letter.kind.key(),
                    crate::english::long_date(letter.date)
                ),
                published: crate::english::long_date(publication.date),
                word: word.clone(),
                entries: withheld
                    .iter()
                    .zip(&occurrences)
                    .map(|(w, found)| crate::publication::log::Entry {
                        what: w.reason.what(),
                        why: w.reason.why(),
                        forms: w.forms.len(),
                        occurrences: found.len(),
                    })
                    .collect(),
                lines: crate::publication::log::lines_of(
                    &markdown,
                    &replacement_ranges(&markdown, word),
                ),
                searched: places.iter().map(|(place, _)| place.clone()).collect(),
            };
            return Ok(PublicCopy { markdown, pdf, log });
        }
        Err(survivors
            .iter()
            .map(|survivor| {
                let withheld = &withheld[survivor.withheld];
                // The label, which only people see, names what was withheld and
                // the letter; the message carries no case text.
                let label = format!(
                    "withheld here ({}): it is in the {} dated {}",
                    withheld.reason.what(),
                    letter.kind.key(),
                    letter.date
                );
                let diagnostic = Diagnostic::error(
                    "withheld-survives",
                    format!(
                        "withheld text survives in {} of the public copy ({})",
                        survivor.place,
                        letter.kind.key(),
                    ),
                )
                .at(&case.source, withheld.span.clone(), label);
                diagnostic.note(
                    "a template or the layout prints it in a form the replacement did not match; no public file is written",
                )
            })
            .collect())
    }

    fn typeset(
        &self,
        case: &Case,
        letter: &Letter,
        body: &str,
        meta: &render::LayoutMeta,
        part: &str,
        date: chrono::NaiveDate,
    ) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let ident = format!(
            "{} {} {}{part}",
            case.reference,
            letter.kind.key(),
            letter.date
        );
        let attachment = match part.trim() {
            "" => String::new(),
            file_name => format!("the attachment {file_name} of "),
        };
        let label = format!(
            "{attachment}the {} of {} dated {} ({})",
            letter.kind.key(),
            case.reference,
            letter.date,
            case.source.name
        );
        let document = typeset::Document {
            body,
            meta,
            date,
            ident: &ident,
            max_pages: self.templates.office.max_pages,
            label: &label,
            origin: Some(&case.source),
        };
        let while_typesetting = format!(
            "while typesetting the {} of {} dated {} ({})",
            letter.kind.key(),
            case.reference,
            letter.date,
            case.source.name
        );
        self.typesetter
            .pdf(&document)
            .map(|pdf| pdf.bytes)
            .map_err(|error| {
                error
                    .0
                    .into_iter()
                    .map(|d| d.note(while_typesetting.as_str()))
                    .collect()
            })
    }

    /// Typesets the standard attachments a letter asks for: (file name, PDF bytes).
    fn attachments(
        &self,
        case: &Case,
        letter: &Letter,
        rendered: &render::Rendered,
    ) -> Result<Vec<(String, Vec<u8>)>, Vec<Diagnostic>> {
        rendered
            .attachments
            .iter()
            .map(|(title, file_name, markdown)| {
                let meta = rendered.meta.attachment(title);
                let body = convert::to_typst(markdown);
                let bytes = self.typeset(
                    case,
                    letter,
                    &body,
                    &meta,
                    &format!(" {file_name}"),
                    letter.date,
                )?;
                Ok((file_name.clone(), bytes))
            })
            .collect()
    }
}

/// A letter prepared for the typesetter.
#[derive(Debug, Clone)]
pub struct TypstInputs {
    /// The body as Typst markup.
    pub body: String,
    /// The layout's metadata.
    pub meta: render::LayoutMeta,
    /// The letter's date.
    pub date: chrono::NaiveDate,
    /// The PDF's stable identifier.
    pub ident: String,
}
