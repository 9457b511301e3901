//! The `casewright` command: parse the arguments, run, exit with the outcome.

use clap::Parser;

use casewright::batch::{self, Options};
use std::io::Write as _;

use casewright::cli::{self, Cli, Command, FormatArg};
use casewright::followup::{
    self,
    command::{DocketRequest, ExplainRequest},
};
use casewright::output::Format;

/// Typst allocates heavily and from every worker at once; mimalloc renders a batch
/// markedly faster than the system allocator, in no more memory (see README, Speed).
/// It is wrapped to count each letter's typesetting against its memory budget.
#[global_allocator]
static ALLOCATOR: casewright::typeset::Budgeted<mimalloc::MiMalloc> =
    casewright::typeset::Budgeted(mimalloc::MiMalloc);

fn main() {
    let cli = Cli::parse();
    std::process::exit(run(cli));
}

fn run(cli: Cli) -> i32 {
    let options = match cli.command {
        Command::Render(args) => {
            let formats = formats(&args.writing.format);
            let mut options = options(args.common, Some(args.writing.out), formats, args.check);
            options.wait = !args.no_wait;
            options.diff = args.diff;
            options
        }
        Command::Check(args) => options(args.common, None, Format::ALL.to_vec(), false),
        Command::Watch(args) => {
            let formats = formats(&args.writing.format);
            let mut options = options(args.common, Some(args.writing.out), formats, false);
            options.wait = !args.no_wait;
            let cwd = std::env::current_dir().unwrap_or_default();
            return casewright::watch::run(&options, &cwd).code();
        }
        Command::List(args) => {
            let request = casewright::list::Request {
                listing: args.listing,
                regime: args.regime,
                matching: args.matching,
            };
            return casewright::list::run(&args.templates, &request, args.message_format);
        }
        Command::Docket(args) => {
            let cwd = std::env::current_dir().ok();
            let request = DocketRequest {
                paths: args
                    .paths
                    .iter()
                    .map(|p| cli::tidy_path(p, cwd.as_deref()))
                    .collect(),
                templates: args.templates,
                as_of: args.as_of,
                format: args.format,
                within: args.within,
                fail_on_overdue: args.fail_on_overdue,
                color: stdout_color(),
            };
            // The one place the clock is read: `--as-of` defaults to today.
            return followup::command::docket(&request, chrono::Utc::now()).code();
        }
        Command::Explain(args) => {
            let request = ExplainRequest {
                path: args.path,
                templates: args.templates,
                letter: args.letter.map(|n| n as usize),
                format: args.format,
            };
            return followup::command::explain(&request).code();
        }
        Command::New(args) => {
            let cwd = std::env::current_dir().unwrap_or_default();
            let out = args.out.or_else(|| {
                args.reference
                    .as_ref()
                    .map(|r| std::path::PathBuf::from(format!("{}.yaml", r.folder())))
            });
            let request = casewright::scaffold::Request {
                kinds: args.kinds,
                matter: args.matter,
                reference: args.reference,
                schema: args
                    .schema
                    .unwrap_or_else(|| casewright::scaffold::schema_path(out.as_deref(), &cwd)),
            };
            return casewright::scaffold::run(&request, out, &cwd);
        }
        Command::Schema(args) => {
            return casewright::schema::run(&args.templates, args.out.as_deref());
        }
    };
    batch::run(&options).code()
}

/// Whether standard output gets colour: only a terminal, and never with `NO_COLOR` set.
fn stdout_color() -> bool {
    use std::io::IsTerminal as _;
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// The formats asked for, in their order, once each.
fn formats(asked: &[FormatArg]) -> Vec<Format> {
    // A public copy is written in the formats asked for, beside the letter's.
    let mut formats: Vec<Format> = asked
        .iter()
        .flat_map(|f| match f {
            FormatArg::Pdf => vec![Format::Pdf, Format::PublicPdf],
            FormatArg::Md => vec![Format::Md, Format::PublicMd, Format::PublicLog],
            FormatArg::Eml => vec![Format::Eml],
        })
        .collect();
    formats.sort();
    formats.dedup();
    formats
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
        diff: false,
        shard: common.shard,
        jobs,
        quiet: common.quiet,
        deny_warnings: common.deny_warnings,
        message_format: common.message_format,
        wait: true,
    }
}
