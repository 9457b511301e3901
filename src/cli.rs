//! Every command and flag. The doc comments are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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

    /// Work on a stable subset: shard I of N (1-based), so N CI jobs can split the cases.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<Shard>,

    /// How many cases to work on at once (default: the number of cores).
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,
}

/// `render`'s flags.
#[derive(Debug, Args)]
pub struct RenderArgs {
    #[command(flatten)]
    pub common: Common,

    /// The output folder.
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,

    /// Which files to write, comma-separated.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "pdf,md,eml")]
    pub format: Vec<FormatArg>,

    /// Write nothing; fail if any output is missing or stale, or belongs to no case.
    #[arg(long)]
    pub check: bool,
}

/// `check`'s flags.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: Common,
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

/// How messages are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    /// For people: one line per letter, diagnostics with the offending line.
    Human,
    /// For CI: one JSON object per letter and a summary, no letter content.
    Json,
}

/// A shard of a batch: the `index`-th (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which shard, from 1.
    pub index: u32,
    /// How many shards.
    pub count: u32,
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
    fn shards() {
        assert_eq!(parse_shard("1/4"), Ok(Shard { index: 1, count: 4 }));
        assert_eq!(parse_shard("4/4"), Ok(Shard { index: 4, count: 4 }));
        for bad in ["0/4", "5/4", "1/0", "x/2", "3", ""] {
            assert!(parse_shard(bad).is_err(), "{bad}");
        }
    }
}
