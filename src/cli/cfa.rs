//! `perval cfa FILE`: the confirmatory factor analysis with fit indices, CR, AVE, HTMT, Fornell–Larcker and
//! modification indices.

use super::emit::emit;
use super::factor_args::CfaArgs;
use super::input::{self, InputArgs};
use perval::analysis::{self, Options, Sections};
use std::path::PathBuf;

#[derive(clap::Args)]
#[command(after_help = "Examples:
  perval cfa data/perval-stores.csv
  perval cfa responses.csv --model second-order --json cfa.json")]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    cfa: CfaArgs,
    /// Write the results as JSON (schema perval/1) to this file.
    #[arg(long, value_name = "OUT.json")]
    json: Option<PathBuf>,
    /// Print nothing on the terminal (files are still written).
    #[arg(long)]
    quiet: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut options = Options {
        sections: Sections::CFA,
        ..Options::default()
    };
    args.cfa.apply(&mut options);
    let mut loaded = input::load(&args.input, None, false, !args.quiet)?;
    let report = analysis::run(&mut loaded, &options)?;
    emit(&report, args.json.as_ref(), args.quiet)
}
