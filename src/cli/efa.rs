//! `perval efa FILE`: factorability, eigenvalues, parallel analysis and an EFA with any extraction and
//! rotation.

use super::emit::{emit, OutputArgs};
use super::factor_args::EfaArgs;
use super::input::{self, InputArgs};
use perval::analysis::{self, Options, Sections};

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
    #[command(flatten)]
    output: OutputArgs,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut options = Options {
        sections: Sections::EFA,
        progress: super::progress::bars(args.output.quiet),
        ..Options::default()
    };
    args.efa.apply(&mut options);
    let mut loaded = input::load(&args.input, None, false, !args.output.quiet)?;
    let report = analysis::run(&mut loaded, &options)?;
    let read = super::emit::read_files(&[args.input.read.instrument.as_deref()]);
    emit(
        &report,
        &args.output,
        &super::emit::with_responses(&loaded, &read),
    )
}
