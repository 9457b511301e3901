//! Text in another language: `<span lang="cy">…</span>` in a letter's Markdown.
//!
//! A letter that quotes a Welsh notice or a complainant's French email marks the
//! quotation so that a screen reader speaks it in its own language and the tagged
//! PDF records it (PDF/UA asks for the language of every passage that differs
//! from the document's). It is the one piece of HTML a Markdown field may use:
//! an opening tag of exactly this form (a language code of two or three letters,
//! optionally a region of two) whose `</span>` closes it at the same level, in
//! the same paragraph. Any other HTML, or a span that is not closed where it
//! opened, stays text, as all raw HTML does.

use pulldown_cmark::Event;

use super::parser;

/// A Markdown event, or where text in another language begins or ends.
#[derive(Debug, PartialEq)]
pub enum Piece<'a> {
    Event(Event<'a>),
    Lang(Language),
    LangEnd,
}

/// A language tag of the form BCP 47 and Typst both take: `cy`, `fr`, `cy-GB`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// ISO 639 code, lower case.
    pub code: String,
    /// ISO 3166-1 region, upper case.
    pub region: Option<String>,
}

impl Language {
    /// Reads the opening tag `<span lang="cy">` (or `'cy'`, or `cy-GB`); `None` for
    /// anything else.
    pub fn from_tag(html: &str) -> Option<Self> {
        let rest = html.strip_prefix("<span")?;
        let rest = rest.strip_prefix(|c: char| c.is_ascii_whitespace())?;
        let rest = rest.trim_start().strip_prefix("lang")?.trim_start();
        let rest = rest.strip_prefix('=')?.trim_start();
        let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
        let (value, rest) = rest[1..].split_once(quote)?;
        if rest.trim_start() != ">" {
            return None;
        }
        Self::parse(value)
    }

    fn parse(tag: &str) -> Option<Self> {
        let (code, region) = match tag.split_once('-') {
            Some((code, region)) => (code, Some(region)),
            None => (tag, None),
        };
        let letters = |s: &str, range: std::ops::RangeInclusive<usize>| {
            range.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic())
        };
        if !letters(code, 2..=3) || region.is_some_and(|r| !letters(r, 2..=2)) {
            return None;
        }
        Some(Self {
            code: code.to_ascii_lowercase(),
            region: region.map(str::to_ascii_uppercase),
        })
    }

    /// The BCP 47 tag: `cy`, `cy-GB`.
    pub fn tag(&self) -> String {
        match &self.region {
            Some(region) => format!("{}-{region}", self.code),
            None => self.code.clone(),
        }
    }
}

/// The Markdown's events with every well-formed language span turned into a
/// [`Piece::Lang`] … [`Piece::LangEnd`] pair around its content.
pub fn pieces(markdown: &str) -> Vec<Piece<'_>> {
    let mut pieces: Vec<Piece<'_>> = Vec::new();
    // Spans still open: where their opening tag is in `pieces`, at which depth.
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut depth = 0usize;
    for event in parser(markdown) {
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                // A span not closed inside the element it opened in stays text.
                while open.last().is_some_and(|&(_, at)| at >= depth) {
                    open.pop();
                }
                depth = depth.saturating_sub(1);
            }
            Event::InlineHtml(html) => {
                if Language::from_tag(html).is_some() {
                    open.push((pieces.len(), depth));
                    pieces.push(Piece::Event(event));
                    continue;
                }
                if html.trim_end() == "</span>" && open.last().is_some_and(|&(_, at)| at == depth) {
                    let (at, _) = open.pop().expect("checked above");
                    if let Piece::Event(Event::InlineHtml(tag)) = &pieces[at] {
                        let language = Language::from_tag(tag).expect("read when opened");
                        pieces[at] = Piece::Lang(language);
                    }
                    pieces.push(Piece::LangEnd);
                    continue;
                }
            }
            _ => {}
        }
        pieces.push(Piece::Event(event));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(tag: &str) -> Piece<'static> {
        Piece::Lang(Language::parse(tag).unwrap())
    }

    #[test]
    fn reads_only_a_span_with_a_language() {
        for (tag, expected) in [
            ("<span lang=\"cy\">", Some("cy")),
            ("<span lang='fr'>", Some("fr")),
            ("<span lang=\"CY-gb\">", Some("cy-GB")),
            ("<span  lang = \"gd\" >", Some("gd")),
            ("<span lang=\"haw\">", Some("haw")),
            ("<span lang=\"c\">", None),
            ("<span lang=\"welsh\">", None),
            ("<span lang=\"cy-GBR\">", None),
            ("<span lang=\"c1\">", None),
            ("<span lang=cy>", None),
            ("<span lang=\"cy\" class=\"x\">", None),
            ("<spanlang=\"cy\">", None),
            ("<div lang=\"cy\">", None),
            ("<span>", None),
            ("<span lang=\"cy\"", None),
        ] {
            assert_eq!(
                Language::from_tag(tag).map(|l| l.tag()),
                expected.map(str::to_owned),
                "{tag}"
            );
        }
    }

    #[test]
    fn a_closed_span_becomes_a_language_pair() {
        let pieces = pieces("He wrote <span lang=\"cy\">Diolch *yn fawr*</span>.");
        assert_eq!(pieces[2], lang("cy"));
        assert_eq!(
            pieces.iter().filter(|p| **p == Piece::LangEnd).count(),
            1,
            "{pieces:?}"
        );
        assert!(
            !pieces
                .iter()
                .any(|p| matches!(p, Piece::Event(Event::InlineHtml(_)))),
            "{pieces:?}"
        );
    }

    #[test]
    fn spans_nest_and_pair_innermost_first() {
        let pieces = pieces("<span lang=\"fr\">a <span lang=\"cy\">b</span> c</span>");
        let marks: Vec<_> = pieces
            .iter()
            .filter(|p| !matches!(p, Piece::Event(_)))
            .collect();
        assert_eq!(
            marks,
            [&lang("fr"), &lang("cy"), &Piece::LangEnd, &Piece::LangEnd]
        );
    }

    #[test]
    fn a_span_not_closed_where_it_opened_stays_text() {
        for markdown in [
            "<span lang=\"cy\">never closed",
            "*<span lang=\"cy\">a*</span>",
            "<span lang=\"cy\">a\n\nb</span>",
            "</span> before <span lang=\"cy\">",
            "<span lang=\"cy\" title=\"x\">a</span>",
            "- <span lang=\"cy\">a\n- b</span>",
        ] {
            let pieces = pieces(markdown);
            assert!(
                pieces.iter().all(|p| matches!(p, Piece::Event(_))),
                "{markdown:?}: {pieces:?}"
            );
        }
    }

    #[test]
    fn code_is_never_a_span() {
        let pieces = pieces("`<span lang=\"cy\">a</span>`\n\n```\n<span lang=\"cy\">a</span>\n```");
        assert!(pieces.iter().all(|p| matches!(p, Piece::Event(_))));
    }
}
