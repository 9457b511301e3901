//! Rendering: one letter of a case, through its Tera template, to Markdown.
//!
//! Tera is built once per batch with every template and filter; templates are
//! strict (an undefined variable is an error naming the template file and line).

mod context;
mod filters;
mod meta;

use tera::{Context, ErrorKind, Tera};

pub use context::LetterContext;
pub(crate) use meta::delivery;
pub use meta::{LayoutDate, LayoutMeta, LayoutOffice, LayoutStyle, Recipient};

use crate::case::{Case, Letter};
use crate::derive::Facts;
use crate::diag::Diagnostic;
use crate::templates::{OfficeWords, Style, Templates};

/// The Markdown head of a letter's reviewable `.md` file (addressee, date, reference).
const HEAD_TEMPLATE: &str = "partials/head.md.tera";

/// A letter rendered to Markdown, with what the typesetter and the mailer need.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The complete reviewable letter: head, then body.
    pub markdown: String,
    /// The body alone (salutation to signature): typeset under the layout's head, and the email body.
    pub body: String,
    /// The covering email of a letter-style kind (the letter goes as an attachment); empty otherwise.
    pub cover: String,
    /// The document title, plain text.
    pub title: String,
    /// The email subject, plain text.
    pub subject: String,
    /// Metadata for the page layout.
    pub meta: LayoutMeta,
    /// Standard attachments, rendered: (title, file name, Markdown).
    pub attachments: Vec<(String, String, String)>,
    /// The office's words in force on the letter's date.
    pub office: OfficeWords,
}

/// Tera with every template of `letter-templates/` and every filter.
pub struct Renderer {
    tera: Tera,
}

impl Renderer {
    /// Parses every template. A template with a syntax error is a located diagnostic.
    pub fn new(templates: &Templates) -> Result<Renderer, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        tera.autoescape_on(Vec::<&str>::new());
        filters::register(&mut tera);
        let mut sources: Vec<(String, String)> = templates
            .sources
            .iter()
            .map(|(name, source)| (name.clone(), source.text.to_string()))
            .collect();
        for (kind, settings) in &templates.office.kinds {
            sources.push((
                format!("office.yaml: kinds.{kind}.title"),
                settings.title.clone(),
            ));
            sources.push((
                format!("office.yaml: kinds.{kind}.subject"),
                settings.subject.clone(),
            ));
        }
        // All at once: Tera checks that every include names a known template.
        let mut errors = Vec::new();
        if let Err(error) = tera.add_raw_templates(sources) {
            errors.push(tera_diagnostic(&error, templates, "letter-templates"));
        }
        if errors.is_empty() {
            Ok(Renderer { tera })
        } else {
            Err(errors)
        }
    }

    /// Renders one letter of a case.
    // The steps of one letter in order (paragraphs, body, head, title, subject,
    // cover, attachments), each a template with its own error location.
    pub fn render(
        &self,
        case: &Case,
        letter: &Letter,
        facts: &Facts,
        templates: &Templates,
    ) -> Result<Rendered, Diagnostic> {
        self.render_as(case, letter, facts, templates, None)
    }

    /// Renders one letter of a case, as its public copy published on `published`
    /// when that is given (templates see it as `letter.published`).
    pub fn render_as(
        &self,
        case: &Case,
        letter: &Letter,
        facts: &Facts,
        templates: &Templates,
        published: Option<chrono::NaiveDate>,
    ) -> Result<Rendered, Diagnostic> {
        let kind = letter.kind.key();
        let office = office_on(case, letter, templates)?;
        let mut fields = LetterContext::new(case, letter, facts, templates, &office);
        fields.letter.published = published.map(|date| date.to_string());
        let located = |error: tera::Error, name: &str| {
            tera_diagnostic(&error, templates, name).note(format!(
                "while rendering the {kind} of {} dated {} ({})",
                case.reference, letter.date, case.source.name
            ))
        };
        let render_in = |context: &Context, name: &str| {
            self.tera
                .render(name, context)
                .map_err(|e| located(e, name))
        };
        // The standard paragraphs first: the letter's template places them.
        let context = Context::from_serialize(&fields).map_err(|e| located(e, "letter context"))?;
        fields.letter.paragraphs = letter
            .paragraphs
            .iter()
            .map(|key| {
                // Checked when the case was loaded: a version is in force on the letter's date.
                let name = templates
                    .paragraph(key, letter.date)
                    .map_or_else(|| format!("paragraphs/{key}.md.tera"), str::to_owned);
                render_in(&context, &name)
            })
            .collect::<Result<_, _>>()?;
        let context = Context::from_serialize(&fields).map_err(|e| located(e, "letter context"))?;
        let render = |name: &str| render_in(&context, name);

        let body = tidy(&render(&format!("{kind}.md.tera"))?);
        // A kind may give its .md file a head of its own (`<kind>.head.md.tera`).
        let own_head = format!("{kind}.head.md.tera");
        let head_name = if templates.sources.contains_key(&own_head) {
            own_head.as_str()
        } else {
            HEAD_TEMPLATE
        };
        let head = tidy(&render(head_name)?);
        let title = one_line(&render(&format!("office.yaml: kinds.{kind}.title"))?);
        let subject = one_line(&render(&format!("office.yaml: kinds.{kind}.subject"))?);
        let cover = match templates.kind(letter.kind).style {
            Style::Letter => tidy(&render(&format!("{kind}.email.md.tera"))?),
            Style::Email => String::new(),
        };
        let attachments = letter
            .attachments
            .iter()
            .map(|key| {
                let attachment = &templates.office.attachments[key];
                let markdown = render(&attachment.template)?;
                Ok((
                    attachment.title.clone(),
                    attachment.file_name.clone(),
                    tidy(&markdown),
                ))
            })
            .collect::<Result<_, Diagnostic>>()?;
        let mut meta = LayoutMeta::new(case, letter, templates, &office, &title);
        // A public copy is dated as published: its date line and its PDF's date.
        if let Some(date) = published {
            meta.dated(date);
        }
        Ok(Rendered {
            markdown: format!("{head}\n{body}"),
            body,
            cover,
            meta,
            office,
            title,
            subject,
            attachments,
        })
    }
}

/// The office's words in force on the letter's date, or an error at the case
/// naming the value with no version then.
fn office_on(
    case: &Case,
    letter: &Letter,
    templates: &Templates,
) -> Result<OfficeWords, Diagnostic> {
    templates.office.on(letter.date).map_err(|key| {
        Diagnostic::error(
            "not-in-force",
            format!(
                "`{key}` in office.yaml has no version in force on {}",
                crate::english::long_date(letter.date)
            ),
        )
        .in_file(&case.source)
        .note(format!(
            "while rendering the {} of {} dated {}",
            letter.kind.key(),
            case.reference,
            letter.date
        ))
    })
}

/// Collapses the blank lines that template logic leaves behind: at most one blank
/// line between blocks, none at the start, one newline at the end.
fn tidy(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut blank = 0;
    for line in markdown.lines() {
        let line = line.trim_end_matches([' ', '\t']);
        let line = if markdown_hard_break(line) {
            line
        } else {
            line.trim_end()
        };
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() && blank > 0 {
            out.push('\n');
        }
        blank = 0;
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn markdown_hard_break(line: &str) -> bool {
    line.ends_with('\\')
}

/// A Tera error as a diagnostic pointing into the template.
fn tera_diagnostic(error: &tera::Error, templates: &Templates, name: &str) -> Diagnostic {
    let report = match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => Some(report),
        _ => None,
    };
    let mut message = match report {
        Some(report) => report.message().to_string(),
        None => error.to_string(),
    };
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        message.push_str(&format!(" ({inner})"));
        cause = inner.source();
    }
    let file = report.map_or(name, |r| {
        if r.filename().is_empty() {
            name
        } else {
            r.filename()
        }
    });
    let diagnostic = Diagnostic::error("template-error", format!("template error: {message}"));
    match (templates.sources.get(file), report) {
        (Some(source), Some(report)) => diagnostic.at(source, report.span().range.clone(), "here"),
        (Some(source), None) => diagnostic.in_file(source),
        (None, _) => diagnostic.note(format!("in {file}")),
    }
}
/// A title or subject, written in Markdown in `office.yaml`, as one line of its
/// text: escapes read back, marks dropped, spaces and breaks made single spaces.
fn one_line(markdown: &str) -> String {
    use pulldown_cmark::Event;
    let mut text = String::new();
    for event in crate::case::markdown::parser(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
