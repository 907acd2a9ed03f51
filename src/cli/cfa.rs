//! `perval cfa FILE`: the confirmatory factor analysis with fit indices, CR, AVE, HTMT, Fornell–Larcker and
//! modification indices.

use super::emit::{emit, OutputArgs};
use super::factor_args::CfaArgs;
use super::input::{self, InputArgs};
use perval::analysis::{self, Options, Sections};

#[derive(clap::Args)]
#[command(after_help = "Examples:
  perval cfa data/perval-stores.csv
  perval cfa responses.csv --model second-order --json cfa.json")]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    cfa: CfaArgs,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut options = Options {
        sections: Sections::CFA,
        ..Options::default()
    };
    args.cfa.apply(&mut options);
    let mut loaded = input::load(&args.input, None, false, !args.output.quiet)?;
    let report = analysis::run(&mut loaded, &options)?;
    let read = super::emit::read_files(&[args.input.read.instrument.as_deref()]);
    emit(
        &report,
        &args.output,
        &super::emit::with_responses(&loaded, &read),
    )
}
