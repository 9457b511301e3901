//! The `casewright` command: parse the arguments, run, exit with the outcome.

use clap::Parser;

use casewright::batch::{self, Options};
use casewright::cli::{Cli, Command, FormatArg};
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
            options(args.common, Some(args.out), formats, args.check)
        }
        Command::Check(args) => options(args.common, None, Format::ALL.to_vec(), false),
    };
    batch::run(&options)
}

fn options(
    common: casewright::cli::Common,
    out: Option<std::path::PathBuf>,
    formats: Vec<Format>,
    check: bool,
) -> Options {
    Options {
        paths: common.paths,
        templates: common.templates,
        out,
        formats,
        check,
        shard: common.shard,
        jobs: common.jobs,
        quiet: common.quiet,
        message_format: common.message_format,
    }
}
