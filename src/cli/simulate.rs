//! `perval simulate --instrument ID --n N [--groups K] [--seed S] -o FILE`: synthetic responses from a factor
//! model (see perval::simulate), identical for a seed.

use perval::instrument;
use perval::output::write_atomic_with;
use perval::simulate::{simulate_to, Spec};
use std::path::PathBuf;

#[derive(clap::Args)]
#[command(after_help = "Examples:
  perval simulate --n 1000 --groups 3 --seed 7 -o sample.csv
  perval simulate --instrument perval-chain --n 1000000 --missing-rate 0.01 -o big.csv")]
pub struct Args {
    /// Built-in instrument id or instrument TOML file.
    #[arg(long, default_value = "perval-19")]
    instrument: String,
    /// Respondents.
    #[arg(long)]
    n: usize,
    /// Groups (stores), written as column `store` = S1..SK.
    #[arg(long, default_value_t = 1)]
    groups: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Standardized loading of every item.
    #[arg(long, default_value_t = 0.75)]
    loading: f64,
    /// Correlation between the dimension factors.
    #[arg(long, default_value_t = 0.4)]
    factor_correlation: f64,
    /// Mean difference between successive groups (latent SD units).
    #[arg(long, default_value_t = 0.25)]
    group_shift: f64,
    /// Share of answers left blank.
    #[arg(long, default_value_t = 0.0)]
    missing_rate: f64,
    /// Output CSV file.
    #[arg(short = 'o', long = "output")]
    output: PathBuf,
}

pub fn run(a: Args) -> anyhow::Result<()> {
    if a.n == 0
        || a.groups == 0
        || !(0.0..1.0).contains(&a.missing_rate)
        || !(0.0..1.0).contains(&a.loading)
        || !(-0.2..1.0).contains(&a.factor_correlation)
    {
        return Err(perval::Error::Usage(
            "simulate needs --n ≥ 1, --groups ≥ 1, 0 ≤ --missing-rate < 1, 0 ≤ --loading < 1 and -0.2 ≤ --factor-correlation < 1".into(),
        )
        .into());
    }
    let inst = instrument::load(&a.instrument)?;
    let spec = Spec {
        n: a.n,
        groups: a.groups,
        seed: a.seed,
        loading: a.loading,
        factor_correlation: a.factor_correlation,
        group_shift: a.group_shift,
        missing_rate: a.missing_rate,
    };
    write_atomic_with(&a.output, |w| simulate_to(&inst, &spec, w))?;
    eprintln!(
        "wrote {} ({} respondents × {} items of {}, seed {})",
        a.output.display(),
        a.n,
        inst.items.len(),
        inst.id,
        a.seed
    );
    Ok(())
}
