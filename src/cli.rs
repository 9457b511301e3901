//! Every command and flag. The doc comments are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use crate::batch::{MessageFormat, Shard};
pub use crate::followup::command::{DocketFormat, ExplainFormat};

/// Turns a regulator's case files (YAML) into letters: PDF, Markdown for review,
/// and .eml drafts ready to send.
#[derive(Debug, Parser)]
#[command(name = "casewright", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render every letter of the given cases into the output folder.
    ///
    /// Writes <out>/<reference>/<date>-<kind>.{pdf,md,eml}. A file whose content is
    /// unchanged is left alone. Exits 1 if any case or template is invalid (every other
    /// letter is still rendered), 2 on a usage error.
    Render(RenderArgs),
    /// Check case files and templates without writing anything.
    ///
    /// Reports every error of the batch and exits 1 if there is any.
    Check(CheckArgs),
    /// List every progress-update deadline of the cases, and where each stands.
    ///
    /// One row per deadline: overdue first, then by date. Exits 0, or 1 with
    /// --fail-on-overdue when a deadline is overdue (or a case is invalid).
    Docket(DocketArgs),
    /// Show how every derived fact of a case was worked out.
    ///
    /// The regime of each date whose law applies and its rule, the time limit of a
    /// breach report, the power each letter is issued under, and each
    /// progress-update deadline step by step, with the letter's words.
    Explain(ExplainArgs),
    /// Render the given cases, then again each time a case file or the templates
    /// change, until Ctrl-C.
    ///
    /// Only the case files that changed are rendered again (every case when the
    /// templates change), with the rules of `render`. The output folder is locked
    /// for each round, not in between. A line `watching ...` on standard output
    /// ends each round.
    Watch(WatchArgs),
    /// List the keys case files may use, with their titles: provisions, categories,
    /// standard paragraphs and attachments, nations, letter kinds.
    List(ListArgs),
    /// Write a new case file to fill in, with every key the given kinds of letter use.
    ///
    /// Each key has a comment saying what it means and how it is written; optional
    /// keys are commented out, and `<<...>>` placeholders mark each value to write,
    /// which `check` reports until it is written. The file is named after
    /// --reference, or --out; with neither, it is printed. An existing file is never
    /// overwritten.
    New(NewArgs),
    /// Print the JSON Schema (draft 2020-12) of case files, for editors to complete
    /// and check them as they are written.
    ///
    /// Generated from the types casewright reads case files with, and from the keys
    /// the templates folder defines (provisions, categories, paragraphs,
    /// attachments), each offered with its title.
    Schema(SchemaArgs),
}

/// Flags shared by every command.
#[derive(Debug, Args)]
pub struct Common {
    /// Case files, or folders searched recursively for *.yaml and *.yml files.
    #[arg(value_name = "PATH", default_value = "cases")]
    pub paths: Vec<PathBuf>,

    /// The letter templates folder.
    #[arg(long, value_name = "DIR", default_value = "letter-templates")]
    pub templates: PathBuf,

    /// How to report: `human` lines and diagnostics, or `json`, one object per line.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,

    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,

    /// Fail the run on warnings too (a letter dated on a bank holiday, a layout
    /// warning), not only on errors.
    #[arg(long)]
    pub deny_warnings: bool,

    /// Work on a stable subset: shard I of N (1-based), so N CI jobs can split the cases.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<Shard>,

    /// How many cases to work on at once (default: the number of cores; at most four
    /// per core).
    #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub jobs: Option<u32>,
}

/// Where the commands that write put their files, and which.
#[derive(Debug, Args)]
pub struct Writing {
    /// The output folder.
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,

    /// Which files to write, comma-separated.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "pdf,md,eml")]
    pub format: Vec<FormatArg>,
}

/// `render`'s flags.
#[derive(Debug, Args)]
pub struct RenderArgs {
    #[command(flatten)]
    pub common: Common,

    #[command(flatten)]
    pub writing: Writing,

    /// Write nothing; fail if any output is missing or stale, or belongs to no case.
    #[arg(long)]
    pub check: bool,

    /// Fail at once, rather than wait, when another casewright run is using the
    /// output folder.
    #[arg(long)]
    pub no_wait: bool,

    /// (with --check) Show how the Markdown of each stale letter would change, as a
    /// unified diff on standard output.
    #[arg(long, requires = "check")]
    pub diff: bool,
}

/// `watch`'s flags.
#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub common: Common,

    #[command(flatten)]
    pub writing: Writing,

    /// Fail a round at once, rather than wait, when another casewright run is using
    /// the output folder.
    #[arg(long)]
    pub no_wait: bool,
}

/// `list`'s flags.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// What to list.
    #[arg(value_enum)]
    pub listing: crate::list::Listing,

    /// Only provisions of this regime (a key of letter-templates/regimes.yaml).
    #[arg(long, value_name = "REGIME")]
    pub regime: Option<String>,

    /// Only keys whose key or title holds this text, in any case.
    #[arg(long = "match", value_name = "TEXT")]
    pub matching: Option<String>,

    /// The letter templates folder.
    #[arg(long, value_name = "DIR", default_value = "letter-templates")]
    pub templates: PathBuf,

    /// `human`: an aligned table; `json`: one object per key, one a line.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
}

/// `new`'s flags.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The kinds of letter the case will need, in order: one letter of each.
    #[arg(value_name = "KIND", required = true, value_parser = kind_parser())]
    pub kinds: Vec<crate::case::LetterKind>,

    /// The case's reference; the file is then <reference>.yaml in the current folder
    /// (with `/` written as `-`), unless --out names it.
    #[arg(long, value_name = "REF", value_parser = parse_reference)]
    pub reference: Option<crate::case::Reference>,

    /// The file to write.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// What the case is about; the other matters are written commented out.
    #[arg(long, value_name = "MATTER", default_value = "breach", value_parser = matter_parser())]
    pub matter: crate::case::MatterType,

    /// The schema the file's first line points editors to, as a path or URL (default:
    /// case.schema.json in the current folder, as `casewright schema --out
    /// case.schema.json` writes it, relative to the new file).
    #[arg(long, value_name = "PATH_OR_URL")]
    pub schema: Option<String>,
}

/// `schema`'s flags.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Write the schema to this file (unchanged if it is current) instead of printing it.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// The letter templates folder, whose keys the schema offers.
    #[arg(long, value_name = "DIR", default_value = "letter-templates")]
    pub templates: PathBuf,
}

/// `check`'s flags.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: Common,
}

/// `docket`'s flags.
#[derive(Debug, Args)]
pub struct DocketArgs {
    /// Case files, or folders searched recursively for *.yaml and *.yml files.
    #[arg(value_name = "PATH", default_value = "cases")]
    pub paths: Vec<PathBuf>,

    /// The letter templates folder.
    #[arg(long, value_name = "DIR", default_value = "letter-templates")]
    pub templates: PathBuf,

    /// The day to count from (YYYY-MM-DD); default today, in the office's time zone.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<chrono::NaiveDate>,

    /// How to print the docket.
    #[arg(long, value_enum, default_value_t = DocketFormat::Table)]
    pub format: DocketFormat,

    /// How many days ahead a deadline counts as due soon.
    #[arg(long, value_name = "DAYS", default_value_t = 14)]
    pub within: u32,

    /// Exit 1 when any deadline is overdue (for a scheduled CI job).
    #[arg(long)]
    pub fail_on_overdue: bool,
}

/// `explain`'s flags.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The case file.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,

    /// The letter templates folder.
    #[arg(long, value_name = "DIR", default_value = "letter-templates")]
    pub templates: PathBuf,

    /// Only the case's N-th letter (from 1), besides the facts of the whole case.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub letter: Option<u32>,

    /// How to print the explanation.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    pub format: ExplainFormat,
}

/// Output formats on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// The typeset letter.
    Pdf,
    /// The letter as Markdown, for review in git.
    Md,
    /// The email draft.
    Eml,
}

/// How many workers to start for `--jobs`: as asked, but at most four per core, as
/// more only adds memory and switching. Gives the number and, when capped, a
/// message saying so.
pub fn worker_count(asked: Option<u32>, cores: usize) -> (Option<usize>, Option<String>) {
    let limit = cores.max(1) * 4;
    match asked.map(|n| n as usize) {
        Some(n) if n > limit => (
            Some(limit),
            Some(format!(
                "--jobs {n} is more than four per core ({cores} cores): using {limit}"
            )),
        ),
        other => (other, None),
    }
}

/// A path as given, written lexically clean (`./cases/` is `cases`), and relative
/// to `cwd` when it lies inside it, so every file is named the same way in
/// messages, shards and the manifest however the user spelt it.
pub fn tidy_path(path: &std::path::Path, cwd: Option<&std::path::Path>) -> PathBuf {
    let path = cwd
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .filter(|_| path.is_absolute())
        .unwrap_or(path);
    let clean: PathBuf = path
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    if clean.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        clean
    }
}

/// The kinds of letter, by their keys.
fn kind_parser() -> impl clap::builder::TypedValueParser<Value = crate::case::LetterKind> {
    use clap::builder::TypedValueParser as _;
    let keys = crate::case::LetterKind::ALL.iter().map(|k| k.key());
    clap::builder::PossibleValuesParser::new(keys).try_map(|key| key.parse())
}

/// The matters, by their keys.
fn matter_parser() -> impl clap::builder::TypedValueParser<Value = crate::case::MatterType> {
    use clap::builder::TypedValueParser as _;
    let keys = crate::case::MatterType::ALL.iter().map(|m| m.key());
    clap::builder::PossibleValuesParser::new(keys).try_map(|key| {
        crate::case::MatterType::ALL
            .iter()
            .find(|m| m.key() == key)
            .copied()
            .ok_or("not a matter")
    })
}

fn parse_reference(text: &str) -> Result<crate::case::Reference, String> {
    crate::case::Reference::parse(text)
}

fn parse_shard(text: &str) -> Result<Shard, String> {
    let (index, count) = text.split_once('/').ok_or("expected I/N, such as 1/4")?;
    let index: u32 = index.trim().parse().map_err(|_| "I must be a number")?;
    let count: u32 = count.trim().parse().map_err(|_| "N must be a number")?;
    if count == 0 || index == 0 || index > count {
        return Err(format!("expected 1 <= I <= N, got {index}/{count}"));
    }
    Ok(Shard { index, count })
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn jobs_are_capped_at_four_per_core() {
        assert_eq!(worker_count(None, 2), (None, None));
        assert_eq!(worker_count(Some(3), 2), (Some(3), None));
        assert_eq!(worker_count(Some(8), 2), (Some(8), None));
        let (jobs, message) = worker_count(Some(100_000), 2);
        assert_eq!(jobs, Some(8));
        assert_eq!(
            message.as_deref(),
            Some("--jobs 100000 is more than four per core (2 cores): using 8")
        );
        assert_eq!(
            worker_count(Some(9), 0).0,
            Some(4),
            "no core count: one core"
        );
    }

    #[test]
    fn paths_are_tidied_and_made_relative() {
        let cwd = std::path::Path::new("/work/office");
        for (given, expected) in [
            ("cases", "cases"),
            ("./cases/", "cases"),
            ("./cases/./a.yaml", "cases/a.yaml"),
            (".", "."),
            ("/work/office/cases", "cases"),
            ("/work/office", "."),
            ("/elsewhere/cases", "/elsewhere/cases"),
            ("../other/cases", "../other/cases"),
        ] {
            assert_eq!(
                tidy_path(std::path::Path::new(given), Some(cwd)),
                PathBuf::from(expected),
                "{given}"
            );
        }
    }

    #[test]
    fn shards() {
        assert_eq!(parse_shard("1/4"), Ok(Shard { index: 1, count: 4 }));
        assert_eq!(parse_shard("4/4"), Ok(Shard { index: 4, count: 4 }));
        for bad in ["0/4", "5/4", "1/0", "x/2", "3", ""] {
            assert!(parse_shard(bad).is_err(), "{bad}");
        }
    }
}
