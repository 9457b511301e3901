//! The report for people: one line per letter on standard output, errors and the
//! summary on standard error; on a terminal, a progress bar stands for the lines.

use std::io::{IsTerminal, Write as _};
use std::path::Path;

use super::{FileEvent, Printer, Stdout, Summary, status_word};
use crate::batch::{LetterReport, Options, Status};
use crate::diag::{self, Diagnostic};

/// Prints lines for people, keeping a progress bar (hidden unless wanted) below them.
pub(super) struct Human<'a> {
    options: &'a Options,
    progress: indicatif::ProgressBar,
    /// Standard output, until it is found closed (`render | head -1`).
    stdout: Stdout,
}

impl<'a> Human<'a> {
    /// A printer for a batch run with `options` (`--quiet`, and what the batch does,
    /// for the summary); its progress bar appears at [`Printer::begin`].
    pub(super) fn new(options: &'a Options) -> Human<'a> {
        Human {
            options,
            progress: indicatif::ProgressBar::hidden(),
            stdout: Stdout::default(),
        }
    }

    /// Prints lines to standard error above the progress bar.
    fn above_progress(&self, print: impl FnOnce()) {
        self.progress.suspend(print);
    }
}

/// Prints a line to standard error; a closed standard error is no reason to stop.
fn eline(line: std::fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

impl Printer for Human<'_> {
    fn waiting(&mut self, out: &Path) {
        eline(format_args!(
            "waiting   for another casewright run to finish with {}",
            out.display()
        ));
    }

    fn begin(&mut self, cases: usize) {
        self.progress = progress_bar(self.options, cases);
    }

    fn advance(&mut self) {
        self.progress.inc(1);
    }

    fn diagnostics(&mut self, diagnostics: &[Diagnostic]) {
        if !diagnostics.is_empty() {
            self.above_progress(|| diag::eprint(diagnostics));
        }
    }

    fn letter(&mut self, letter: &LetterReport) {
        match letter.status {
            Status::Stale => self.progress.suspend(|| {
                for file in letter.outputs.iter().filter(|f| f.status != "current") {
                    let why = if file.status == "missing" {
                        "render would write it"
                    } else {
                        "the case gives different content"
                    };
                    eline(format_args!("{:<9} {} ({why})", file.status, file.path));
                }
                if let Some(diff) = &letter.diff {
                    // The diff is the substance of `--diff`: it goes where a
                    // pager or a file would take it.
                    self.stdout.line(format_args!("{}", diff.trim_end()));
                }
            }),
            // Its diagnostic has been printed.
            Status::Failed => {}
            // On a terminal the progress bar stands for these lines.
            _ if self.options.quiet || !self.progress.is_hidden() => {}
            _ if letter.outputs.is_empty() => self.stdout.line(format_args!(
                "{:<9} {} {} {}",
                status_word(letter.status),
                letter.reference,
                letter.date,
                letter.kind
            )),
            _ => {
                let files: Vec<&str> = letter.outputs.iter().map(|f| f.path.as_str()).collect();
                self.stdout.line(format_args!(
                    "{:<9} {}",
                    status_word(letter.status),
                    summarise_paths(&files)
                ));
            }
        }
    }

    fn file(&mut self, event: FileEvent, path: &Path) {
        let (word, why) = event.words();
        if event.fails() || !self.options.quiet {
            let path = path.display();
            self.above_progress(|| eline(format_args!("{word:<9} {path} ({why})")));
        }
    }

    fn summary(&mut self, summary: &Summary<'_>) {
        self.progress.finish_and_clear();
        if self.options.quiet {
            return;
        }
        eline(format_args!("{}", summary_line(summary, self.options)));
    }
}

/// The last line of a run: failures first ("1 case failed: validated 2 letters
/// of 3 cases in 0.10 s: 2 valid, 1 warning"), so a failed run never reads like
/// a quiet success.
fn summary_line(summary: &Summary<'_>, options: &Options) -> String {
    let Summary {
        cases,
        failed,
        warnings,
        letters,
        counts,
        seconds,
        ..
    } = *summary;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut parts: Vec<String> = counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
    if warnings > 0 {
        parts.push(plural(warnings, "warning"));
    }
    let verb = if options.check {
        "checked"
    } else if options.out.is_some() {
        "rendered"
    } else {
        "validated"
    };
    let mut line = String::new();
    if failed > 0 {
        line = format!("{} failed: ", plural(failed, "case"));
    }
    line += &format!(
        "{verb} {} of {} in {seconds:.2} s",
        plural(letters, "letter"),
        plural(cases, "case")
    );
    match (parts.is_empty(), failed > 0) {
        (false, _) => line += &format!(": {}", parts.join(", ")),
        (true, false) => line += ": nothing to do",
        (true, true) => {}
    }
    line
}

/// A progress bar on a terminal for batches long enough to need one; hidden otherwise
/// (CI logs get the plain per-letter lines instead).
fn progress_bar(options: &Options, cases: usize) -> indicatif::ProgressBar {
    let wanted = !options.quiet && cases >= 20 && std::io::stderr().is_terminal();
    if !wanted {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(cases as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} {bar:40} {pos}/{len} cases  {rate} cases/s  eta {eta}",
    ) {
        bar.set_style(style.with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0}", state.per_sec());
            },
        ));
    }
    bar
}

/// "output/X/2022-05-19-reprimand.{md,pdf,eml}" for files that differ only in extension.
fn summarise_paths(paths: &[&str]) -> String {
    // The extension is all after the file name's first dot (`public.md`).
    let split = |p: &'_ str| -> Option<(usize, usize)> {
        let name = p.rfind('/').map_or(0, |i| i + 1);
        p[name..].find('.').map(|dot| (name + dot, name + dot + 1))
    };
    let stems: std::collections::BTreeSet<&str> = paths
        .iter()
        .map(|p| split(p).map_or(*p, |(end, _)| &p[..end]))
        .collect();
    match (stems.len(), paths.len()) {
        (1, 2..) => {
            let extensions: Vec<&str> = paths
                .iter()
                .filter_map(|p| split(p).map(|(_, start)| &p[start..]))
                .collect();
            format!(
                "{}.{{{}}}",
                stems.iter().next().copied().unwrap_or_default(),
                extensions.join(",")
            )
        }
        _ => paths.join(" "),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn paths_that_differ_only_in_extension_are_summarised() {
        let rows: [(&[&str], &str); 4] = [
            (
                &[
                    "o/A/1-decision.md",
                    "o/A/1-decision.pdf",
                    "o/A/1-decision.eml",
                ],
                "o/A/1-decision.{md,pdf,eml}",
            ),
            (&["o/A/1-decision.md"], "o/A/1-decision.md"),
            (&["o/A/1.md", "o/B/1.md"], "o/A/1.md o/B/1.md"),
            (&[], ""),
        ];
        for (paths, expected) in rows {
            assert_eq!(summarise_paths(paths), expected, "{paths:?}");
        }
    }

    #[test]
    fn the_summary_says_failures_first_and_never_nothing_to_do_after_one() {
        let options = |out: bool, check: bool| Options {
            paths: Vec::new(),
            templates: "t".into(),
            out: out.then(|| "output".into()),
            formats: Vec::new(),
            check,
            diff: false,
            shard: None,
            jobs: None,
            quiet: false,
            deny_warnings: false,
            message_format: crate::batch::MessageFormat::Human,
            wait: true,
        };
        let written = BTreeMap::from([("written", 2)]);
        let none = BTreeMap::new();
        for (cases, failed, warnings, letters, counts, out, check, expected) in [
            (
                1,
                1,
                0,
                0,
                &none,
                false,
                false,
                "1 case failed: validated 0 letters of 1 case in 0.50 s",
            ),
            (
                3,
                2,
                0,
                2,
                &written,
                true,
                false,
                "2 cases failed: rendered 2 letters of 3 cases in 0.50 s: 2 written",
            ),
            (
                1,
                0,
                0,
                0,
                &none,
                false,
                false,
                "validated 0 letters of 1 case in 0.50 s: nothing to do",
            ),
            (
                2,
                0,
                1,
                2,
                &written,
                true,
                true,
                "checked 2 letters of 2 cases in 0.50 s: 2 written, 1 warning",
            ),
            (
                2,
                0,
                3,
                0,
                &none,
                false,
                false,
                "validated 0 letters of 2 cases in 0.50 s: 3 warnings",
            ),
        ] {
            let summary = Summary {
                cases,
                failed,
                warnings,
                letters,
                counts,
                success: failed == 0,
                seconds: 0.5,
            };
            assert_eq!(summary_line(&summary, &options(out, check)), expected);
        }
    }
}
