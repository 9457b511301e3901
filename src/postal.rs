//! A posted letter's address, checked at load against the envelope window.
//!
//! A letter sent by post (`delivery: post`) puts the recipient's address in the
//! window of a window envelope (`post` in `office.yaml`). An address that cannot
//! fit there is refused when the case is loaded, pointing at the case file, rather
//! than printed where the window does not show it: too few or too many lines, a
//! last line that is not the postcode, or a line wider than the window even at the
//! smallest size the layout may shrink the address to.

use crate::case::{Case, Delivery};
use crate::diag::Diagnostic;
use crate::templates::Post;

/// How wide a line is set at a size: `(text, points) -> millimetres`, or `None`
/// when the font is not loaded (then widths are not checked).
pub type Measure<'a> = dyn Fn(&str, f64) -> Option<f64> + 'a;

/// Every problem with the address of each of the case's posted letters.
pub fn check(case: &Case, post: &Post, measure: &Measure<'_>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut seen = Vec::new();
    for letter in &case.letters {
        let posted = letter.delivery == Some(Delivery::Post);
        let lines: Vec<&str> = letter
            .contact
            .iter()
            .chain([&case.controller.name])
            .chain(&case.controller.address)
            .map(String::as_str)
            .filter(|line| !line.trim().is_empty())
            .collect();
        // Letters to the same lines have the same problems: report them once.
        if !posted || seen.contains(&lines) {
            continue;
        }
        problems.extend(address_problems(case, &lines, post, measure));
        seen.push(lines);
    }
    problems
}

fn address_problems(
    case: &Case,
    lines: &[&str],
    post: &Post,
    measure: &Measure<'_>,
) -> Vec<Diagnostic> {
    let [fewest, most] = post.lines;
    let mut problems = Vec::new();
    let text = &case.source.text;
    let address_key = find(text, "address:", 0);
    let posted = find(text, "post", find(text, "delivery:", 0).start);
    if !(fewest..=most).contains(&lines.len()) {
        problems.push(
            Diagnostic::error(
                "post-address",
                format!(
                    "a letter sent by post needs an address of {fewest} to {most} lines to fit the envelope window; this one has {}",
                    lines.len()
                ),
            )
            .at(&case.source, address_key.clone(), "the address of a letter sent by post")
            .note("the lines are the contact, the controller's name and the address: join or drop lines, or send the letter by email"),
        );
    }
    if let Some(last) = lines.last()
        && !is_postcode(last)
    {
        problems.push(
            Diagnostic::error(
                "post-address",
                "a letter sent by post needs the postcode on its own last line",
            )
            .at(
                &case.source,
                find(text, last, address_key.start),
                "not a postcode",
            )
            .note("write the postcode as the last line of `address`, such as \"SW1H 9AJ\""),
        );
    }
    let width = post.line_width();
    for line in lines {
        if let Some(mm) = measure(line, post.min_size)
            && mm > width
        {
            problems.push(
                Diagnostic::error(
                    "post-address",
                    format!(
                        "this line is {mm:.0} mm wide even at {} pt, wider than the envelope window's {width:.0} mm",
                        post.min_size
                    ),
                )
                .at(&case.source, find(text, line, 0), "too long for the window")
                .note("split it into two lines, or shorten it"),
            );
        }
    }
    if !problems.is_empty() && posted.start > 0 {
        for problem in &mut problems {
            problem.notes.push(format!(
                "the letter is sent by post (line {})",
                text[..posted.start].lines().count()
            ));
        }
    }
    problems
}

/// Where `needle` first occurs in `text` from `from` (the start of the file if it
/// does not): case values are plain text, so their first occurrence is usually
/// where they are written.
fn find(text: &str, needle: &str, from: usize) -> std::ops::Range<usize> {
    text.get(from..)
        .and_then(|rest| rest.find(needle))
        .map(|at| from + at..from + at + needle.len())
        .or_else(|| text.find(needle).map(|at| at..at + needle.len()))
        .unwrap_or(0..0)
}

/// A UK postcode: outward code (`SW1H`, `M1`, `EH54`) and inward code (`9AJ`),
/// one space between them or none.
fn is_postcode(line: &str) -> bool {
    let compact: String = line
        .trim()
        .chars()
        .filter(|c| *c != ' ')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let spaces = line.trim().matches(' ').count();
    if spaces > 1 || !(5..=7).contains(&compact.len()) || !compact.is_ascii() {
        return false;
    }
    let (outward, inward) = compact.split_at(compact.len() - 3);
    let inward = inward.as_bytes();
    let outward = outward.as_bytes();
    let inward_ok = inward[0].is_ascii_digit()
        && inward[1].is_ascii_alphabetic()
        && inward[2].is_ascii_alphabetic();
    let outward_ok = outward[0].is_ascii_alphabetic()
        && outward.iter().any(u8::is_ascii_digit)
        && outward.iter().all(u8::is_ascii_alphanumeric)
        && outward
            .iter()
            .position(u8::is_ascii_digit)
            .is_some_and(|first_digit| (1..=2).contains(&first_digit));
    inward_ok && outward_ok
}

#[cfg(test)]
mod tests {
    use super::is_postcode;

    #[test]
    fn postcodes_on_their_own_line() {
        for (line, expected) in [
            ("SW1H 9AJ", true),
            ("M1 1AE", true),
            ("EH54 6FF", true),
            ("BT1 1LD", true),
            ("ne1 3dx", true),
            ("NE13DX", true),
            ("London SW1H 9AJ", false),
            ("Newcastle upon Tyne", false),
            ("12345", false),
            ("1 Civic Square", false),
            ("SW1H  9AJ", false),
        ] {
            assert_eq!(is_postcode(line), expected, "{line}");
        }
    }
}
