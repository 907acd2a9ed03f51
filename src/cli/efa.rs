//! `perval efa FILE`: factorability, eigenvalues, parallel analysis and an EFA with any extraction and
//! rotation.

use super::emit::emit;
use super::factor_args::EfaArgs;
use super::input::{self, InputArgs};
use perval::analysis::{self, Options, Sections};
use std::path::PathBuf;

#[derive(clap::Args)]
#[command(after_help = "Examples:
  perval efa data/perval-stores.csv
  perval efa responses.csv --factors 3 --method ml --rotation promax
  perval efa responses.csv --cor polychoric --pa-iterations 500 --json efa.json")]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    efa: EfaArgs,
    /// Write the results as JSON (schema perval/1) to this file.
    #[arg(long, value_name = "OUT.json")]
    json: Option<PathBuf>,
    /// Print nothing on the terminal (files are still written).
    #[arg(long)]
    quiet: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut options = Options {
        sections: Sections::EFA,
        progress: super::progress::bars(args.quiet),
        ..Options::default()
    };
    args.efa.apply(&mut options);
    let mut loaded = input::load(&args.input, None, false, !args.quiet)?;
    let report = analysis::run(&mut loaded, &options)?;
    emit(&report, args.json.as_ref(), args.quiet)
}
