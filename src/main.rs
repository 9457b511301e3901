//! The `casewright` command: parse the arguments, run, exit with the outcome.

use clap::Parser;

use casewright::batch::{self, Options};
use std::io::Write as _;

use casewright::cli::{self, Cli, Command, FormatArg};
use casewright::output::Format;

/// Typst allocates heavily and from every worker at once; mimalloc renders a batch
/// markedly faster than the system allocator, in no more memory (see README, Speed).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = Cli::parse();
    std::process::exit(run(cli).code());
}

fn run(cli: Cli) -> batch::Outcome {
    let options = match cli.command {
        Command::Render(args) => {
            let mut formats: Vec<Format> = args
                .format
                .iter()
                .map(|f| match f {
                    FormatArg::Pdf => Format::Pdf,
                    FormatArg::Md => Format::Md,
                    FormatArg::Eml => Format::Eml,
                })
                .collect();
            formats.sort();
            formats.dedup();
            let mut options = options(args.common, Some(args.out), formats, args.check);
            options.wait = !args.no_wait;
            options
        }
        Command::Check(args) => options(args.common, None, Format::ALL.to_vec(), false),
        // The one place the clock is read: `--as-of` defaults to today.
        Command::Docket(args) => {
            return casewright::followup::command::docket(&args, chrono::Utc::now());
        }
        Command::Explain(args) => return casewright::followup::command::explain(&args),
    };
    batch::run(&options)
}

/// The batch's options from the flags; this is where the environment (the working
/// folder, the number of cores) is read.
fn options(
    common: casewright::cli::Common,
    out: Option<std::path::PathBuf>,
    formats: Vec<Format>,
    check: bool,
) -> Options {
    let cwd = std::env::current_dir().ok();
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let (jobs, capped) = cli::worker_count(common.jobs, cores);
    if let Some(message) = capped {
        let _ = writeln!(std::io::stderr(), "warning: {message}");
    }
    Options {
        paths: common
            .paths
            .iter()
            .map(|p| cli::tidy_path(p, cwd.as_deref()))
            .collect(),
        templates: common.templates,
        out,
        formats,
        check,
        shard: common.shard,
        jobs,
        quiet: common.quiet,
        deny_warnings: common.deny_warnings,
        message_format: common.message_format,
        wait: true,
    }
}
