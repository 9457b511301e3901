//! Numbered paragraphs and items survive any Markdown a list field may hold: a
//! nested list, a second paragraph or emphasis stays inside its item, so the
//! numbers around it are the same in the `.md`, the plain text and the PDF as
//! when every field is one plain sentence.

use casewright::convert::{parser, to_text};
use casewright::output::Format;
use casewright::publication::pdf_places;
use proptest::prelude::*;
use pulldown_cmark::{Event, Tag, TagEnd};

use crate::support::engine;

/// Numbers of nested ordered lists in the generated fields start here, above any
/// number the letters themselves use, so they can be told apart in a PDF's text.
const NESTED_FROM: u64 = 91;

/// A case with a reprimand and its notice, each list field and Markdown field
/// given by `fields` in turn (findings, mitigation, recommendations, summary,
/// remedial action).
fn case(fields: &[String]) -> String {
    let block = |text: &str, indent: usize| {
        let pad = " ".repeat(indent);
        let mut out = String::from("|-\n");
        for line in text.lines() {
            if !line.is_empty() {
                out.push_str(&pad);
                out.push_str(line);
            }
            out.push('\n');
        }
        out.trim_end().to_owned()
    };
    format!(
        "reference: IC-9200-NUM
controller:
  name: Example Borough Council
  short_name: the Council
  address: [\"Town Hall\", \"Exampleton\", \"EX1 1AA\"]
  email: dpo@council.example
officer:
  name: Sam Green
  title: Case Officer
processing: general
nation: england-and-wales
investigation:
  opened: 2024-02-12
  period: {{ from: 2023-04-01, until: 2024-01-31 }}
  summary: the way the Council handled requests
letters:
  - kind: reprimand
    date: 2024-09-18
    delivery: email
    summary: {summary}
    findings:
      - {f0}
      - {f1}
    mitigation:
      - {m0}
      - {m1}
    remedial_action: {remedial}
    infringements: [uk-gdpr-art12-3]
    recommendations:
      - text: {r0}
        progress_update: true
      - {r1}
      - {r2}
    progress_update: {{ within: 3 months }}
  - kind: reprimand-notice
    date: 2024-09-25
    of: 2024-09-18
",
        f0 = block(&fields[0], 8),
        f1 = block(&fields[1], 8),
        m0 = block(&fields[2], 8),
        m1 = block(&fields[3], 8),
        r0 = block(&fields[4], 10),
        r1 = block(&fields[5], 8),
        r2 = block(&fields[6], 8),
        summary = block(&fields[7], 6),
        remedial = block(&fields[8], 6),
    )
}

/// The ordered list items of Markdown as (depth, number), nested lists included
/// but not their items numbered from [`NESTED_FROM`].
fn markdown_numbers(markdown: &str) -> Vec<(usize, u64)> {
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut out = Vec::new();
    for event in parser(markdown) {
        match event {
            Event::Start(Tag::List(first)) => lists.push(first),
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                let depth = lists.len();
                if let Some(Some(number)) = lists.last_mut() {
                    if *number < NESTED_FROM {
                        out.push((depth, *number));
                    }
                    *number += 1;
                }
            }
            _ => {}
        }
    }
    out
}

/// Lines of text that begin with a number and a full stop, as (indent, number),
/// leaving out the nested lists' own numbers.
fn text_numbers(text: &str) -> Vec<(usize, u64)> {
    text.lines()
        .filter_map(|line| {
            let trimmed = line.trim_start();
            let (number, rest) = trimmed.split_once(". ")?;
            let number: u64 = number.parse().ok()?;
            (number < NESTED_FROM && rest.starts_with(char::is_uppercase))
                .then_some((line.len() - trimmed.len(), number))
        })
        .collect()
}

/// The numbers a letter shows in each output: its Markdown, plain text and PDF
/// text layer (where indentation is not kept).
fn numbers(yaml: &str) -> Vec<[Vec<(usize, u64)>; 3]> {
    let engine = engine();
    let case = engine
        .load("cases/IC-9200-NUM.yaml", yaml.as_bytes())
        .unwrap_or_else(|d| panic!("{}", d.iter().map(|d| d.render(false)).collect::<String>()));
    case.letters
        .iter()
        .map(|letter| {
            let files = engine
                .letter_files(&case, letter, &[Format::Md, Format::Pdf])
                .expect("renders");
            let markdown = std::str::from_utf8(&files[0].bytes).expect("utf-8");
            let places = pdf_places(&files[1].bytes).expect("the PDF reads back");
            let pdf: Vec<(usize, u64)> = text_numbers(&places[0].1)
                .into_iter()
                .map(|(_, n)| (0, n))
                .collect();
            [
                markdown_numbers(markdown),
                text_numbers(&to_text(markdown, 78)),
                pdf,
            ]
        })
        .collect()
}

/// One field's Markdown: a sentence, then what the generated choices add to it.
fn field(index: usize, extras: &[u8]) -> String {
    let mut text = format!("Point {} of the case holds *some* emphasis.", index);
    for extra in extras {
        text.push_str(match extra {
            0 => "\n\nA second paragraph follows it.",
            1 => "\n\n- alpha of a nested list\n- beta of a nested list",
            2 => "\n- gamma straight after the text",
            3 => "\n\n91. First nested step\n92. Second nested step",
            _ => " With **strong** words and a [link](https://example.org/).",
        });
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    /// Random Markdown in every list and Markdown field leaves the numbers of the
    /// reprimand's and the notice's paragraphs and items as they are with plain
    /// sentences, in every output.
    #[test]
    fn markdown_in_fields_never_moves_the_numbers(
        extras in proptest::collection::vec(proptest::collection::vec(0u8..5, 0..3), 9),
    ) {
        let plain: Vec<String> = (0..9).map(|i| field(i, &[])).collect();
        let rich: Vec<String> = extras.iter().enumerate().map(|(i, e)| field(i, e)).collect();
        let expected = numbers(&case(&plain));
        // The notice numbers its paragraphs from 1 without a gap.
        let notice: Vec<u64> = expected[1][0].iter().filter(|(d, _)| *d == 1).map(|(_, n)| *n).collect();
        prop_assert_eq!(notice.clone(), (1..=notice.len() as u64).collect::<Vec<_>>());
        prop_assert!(notice.len() > 8);
        let actual = numbers(&case(&rich));
        for (letter, (want, got)) in expected.iter().zip(&actual).enumerate() {
            for (output, (w, g)) in ["md", "text", "pdf"].iter().zip(want.iter().zip(got)) {
                prop_assert_eq!(w, g, "letter {} {}", letter, output);
            }
        }
    }
}
