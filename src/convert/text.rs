//! Markdown → plain text, for the text part of an email and for reading in a
//! terminal: paragraphs wrapped at a given width (never inside a word or a URL),
//! `- ` and `1. ` list markers with hanging indents, links as "text (url)".

use pulldown_cmark::{Event, Tag, TagEnd};
use textwrap::{Options, WordSeparator, WordSplitter};

use crate::case::markdown::{Piece, pieces};

/// Converts Markdown to plain text wrapped at `width` columns (`usize::MAX` for none).
pub fn to_text(markdown: &str, width: usize) -> String {
    let mut writer = Writer {
        width,
        ..Writer::default()
    };
    for piece in pieces(markdown) {
        // Plain text has no mark for a language: the span's text is kept.
        if let Piece::Event(event) = piece {
            writer.event(event);
        }
    }
    writer.flush(false);
    let mut out = writer.out.trim_end().to_owned();
    out.push('\n');
    out
}

#[derive(Default)]
struct Writer {
    out: String,
    width: usize,
    /// Text of the block being built; `\n` marks a hard break.
    inline: String,
    /// Open lists: the next number of an ordered list, `None` for bullets.
    lists: Vec<Option<u64>>,
    /// The marker the next block of the current item starts with.
    marker: Option<String>,
    /// How many block quotes are open.
    quotes: usize,
    /// Open links: their destination and where their text starts.
    links: Vec<(String, usize)>,
    /// The table being built: rows of cells.
    table: Option<Vec<Vec<String>>>,
    /// Text of a code block.
    code: Option<String>,
    /// Whether the last block written was a tight list item (no blank line follows).
    tight: bool,
}

impl Writer {
    fn event(&mut self, event: Event<'_>) {
        if let Some(code) = self.code.as_mut() {
            match event {
                Event::End(TagEnd::CodeBlock) => {
                    let code = self.code.take().unwrap_or_default();
                    self.block_lines(code.lines().map(|l| format!("    {l}")).collect(), false);
                }
                Event::Text(text) | Event::Html(text) => code.push_str(&text),
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text)
            | Event::Code(text)
            | Event::Html(text)
            | Event::InlineHtml(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text)
            | Event::FootnoteReference(text) => self.inline.push_str(&text),
            Event::SoftBreak => self.inline.push(' '),
            Event::HardBreak => self.inline.push('\n'),
            Event::Rule => self.block_lines(vec!["-".repeat(20)], false),
            Event::TaskListMarker(done) => self.inline.push_str(if done { "[x] " } else { "[ ] " }),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::List(first) => {
                self.flush(true);
                self.lists.push(first);
            }
            Tag::Item => {
                let marker = match self.lists.last_mut() {
                    Some(Some(number)) => {
                        let marker = format!("{number}. ");
                        *number += 1;
                        marker
                    }
                    _ => "- ".to_owned(),
                };
                self.marker = Some(marker);
            }
            Tag::BlockQuote(_) => {
                self.flush(false);
                self.quotes += 1;
            }
            Tag::CodeBlock(_) => {
                self.flush(false);
                self.code = Some(String::new());
            }
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                let url = crate::case::markdown::link_url(link_type, &dest_url);
                self.links.push((url, self.inline.len()));
            }
            Tag::Table(_) => {
                self.flush(false);
                self.table = Some(Vec::new());
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(table) = self.table.as_mut() {
                    table.push(Vec::new());
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::HtmlBlock => self.flush(false),
            TagEnd::Item => {
                self.flush(true);
                self.marker = None;
            }
            TagEnd::List(_) => {
                self.lists.pop();
                if self.lists.is_empty() {
                    self.tight = false;
                }
            }
            TagEnd::BlockQuote(_) => {
                self.flush(false);
                self.quotes = self.quotes.saturating_sub(1);
            }
            TagEnd::Link => {
                if let Some((url, start)) = self.links.pop()
                    && crate::case::markdown::allowed_link(&url)
                {
                    let text = self.inline[start..].to_owned();
                    let address = url.strip_prefix("mailto:");
                    if text != url && address != Some(text.as_str()) {
                        self.inline.push_str(&format!(" ({url})"));
                    }
                }
            }
            TagEnd::TableCell => {
                let cell = std::mem::take(&mut self.inline);
                if let Some(row) = self.table.as_mut().and_then(|t| t.last_mut()) {
                    row.push(cell.trim().to_owned());
                }
            }
            TagEnd::Table => {
                let rows = self.table.take().unwrap_or_default();
                let lines = table_lines(&rows);
                self.block_lines(lines, false);
            }
            _ => {}
        }
    }

    /// Writes the pending inline text as a wrapped block.
    fn flush(&mut self, tight: bool) {
        if self.inline.trim().is_empty() {
            self.inline.clear();
            return;
        }
        let text = std::mem::take(&mut self.inline);
        let indent: usize = self.indents_for_lists();
        let marker = self.marker.take().unwrap_or_default();
        let first = format!("{}{marker}", " ".repeat(indent));
        let rest = " ".repeat(indent + marker.chars().count());
        let mut lines = Vec::new();
        for (i, part) in text.split('\n').enumerate() {
            let options = Options::new(self.width.max(20))
                .initial_indent(if i == 0 { &first } else { &rest })
                .subsequent_indent(&rest)
                .break_words(false)
                .word_separator(WordSeparator::AsciiSpace)
                .word_splitter(WordSplitter::NoHyphenation);
            let part = part.split_whitespace().collect::<Vec<_>>().join(" ");
            lines.extend(
                textwrap::wrap(&part, options)
                    .into_iter()
                    .map(|l| l.into_owned()),
            );
        }
        self.block_lines(lines, tight);
    }

    /// Each enclosing list indents by the width of its marker.
    fn indents_for_lists(&self) -> usize {
        self.lists[..self.lists.len().saturating_sub(1)]
            .iter()
            .map(|l| if l.is_some() { 3 } else { 2 })
            .sum()
    }

    fn block_lines(&mut self, lines: Vec<String>, tight: bool) {
        if !(self.out.is_empty() || tight && self.tight) {
            self.out.push('\n');
        }
        let prefix = "> ".repeat(self.quotes);
        for line in lines {
            self.out.push_str(prefix.trim_end_matches(' '));
            if !prefix.is_empty() && !line.is_empty() {
                self.out.push(' ');
            }
            self.out.push_str(line.trim_end());
            self.out.push('\n');
        }
        self.tight = tight;
    }
}

/// A table as aligned columns separated by ` | `, the header underlined.
fn table_lines(rows: &[Vec<String>]) -> Vec<String> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut lines = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<String> = (0..columns)
            .map(|c| {
                let cell = row.get(c).map_or("", String::as_str);
                format!("{cell}{}", " ".repeat(widths[c] - cell.chars().count()))
            })
            .collect();
        lines.push(cells.join(" | ").trim_end().to_owned());
        if i == 0 {
            lines.push(
                widths
                    .iter()
                    .map(|w| "-".repeat(*w))
                    .collect::<Vec<_>>()
                    .join("-+-"),
            );
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_each_element() {
        for (markdown, text) in [
            ("Hello *world*.", "Hello world.\n"),
            (
                "## Our decision\n\nWe decided.",
                "Our decision\n\nWe decided.\n",
            ),
            ("- one\n- two", "- one\n- two\n"),
            ("3. three\n4. four", "3. three\n4. four\n"),
            ("- a\n  - b\n- c", "- a\n  - b\n- c\n"),
            ("1. a\n   1. b", "1. a\n   1. b\n"),
            (
                "[guide](https://ico.org.uk/x)",
                "guide (https://ico.org.uk/x)\n",
            ),
            ("<https://ico.org.uk/x>", "https://ico.org.uk/x\n"),
            ("<dpo@example.org>", "dpo@example.org\n"),
            (
                "[dpo@example.org](mailto:dpo@example.org)",
                "dpo@example.org\n",
            ),
            ("a\\\nb", "a\nb\n"),
            ("> quoted\n> more", "> quoted more\n"),
            ("<b>bold</b>", "<b>bold</b>\n"),
            ("<span lang=\"cy\">Diolch</span>.", "Diolch.\n"),
            ("`code`", "code\n"),
            ("| a | bb |\n|-|-|\n| 1 | 2 |", "a | bb\n--+---\n1 | 2\n"),
            ("One.\n\nTwo.", "One.\n\nTwo.\n"),
            (
                "Intro:\n\n- one\n- two\n\nAfter.",
                "Intro:\n\n- one\n- two\n\nAfter.\n",
            ),
            ("- one\n\n- two", "- one\n\n- two\n"),
        ] {
            assert_eq!(to_text(markdown, 72), text, "{markdown:?}");
        }
    }

    #[test]
    fn wraps_with_hanging_indents_and_never_breaks_urls() {
        let markdown = "- A long recommendation that goes on and on, well past the width of one line of text.\n\
                        \nSee https://ico.org.uk/for-organisations/a-very-long-address-that-is-longer-than-the-width/ now.";
        let text = to_text(markdown, 40);
        assert_eq!(
            text,
            "- A long recommendation that goes on and\n  on, well past the width of one line of\n  text.\n\nSee\nhttps://ico.org.uk/for-organisations/a-very-long-address-that-is-longer-than-the-width/\nnow.\n"
        );
        assert!(
            text.lines()
                .filter(|l| !l.contains("https"))
                .all(|l| l.chars().count() <= 40)
        );
    }
}
