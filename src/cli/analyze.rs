//! `perval analyze FILE`: reliability, factor structure and group comparisons, as tables on the terminal and
//! as results JSON (schema perval/1) with `--json` or `--out`.

use super::input;
use anyhow::Context;
use perval::analysis::{self, Options};
use perval::output::write_atomic;
use perval::scoring::MissingPolicy;
use perval::stats::factor::{Method, Rotation};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Response file: CSV or TSV (UTF-8, delimiter detected) or Parquet.
    file: PathBuf,
    /// Built-in instrument id or path to an instrument TOML file (default: the built-in whose items are all columns).
    #[arg(long)]
    instrument: Option<String>,
    /// Column that defines the groups to compare (store, brand, wave).
    #[arg(long)]
    by: Option<String>,
    /// Missing answers: listwise drops a respondent missing any item; pairwise uses every available pair.
    #[arg(long, value_enum, default_value = "listwise")]
    missing: MissingPolicy,
    /// Write the results as JSON (schema perval/1) to this file.
    #[arg(long, value_name = "OUT.json")]
    json: Option<PathBuf>,
    /// Write results.json and scores.csv into this folder.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// EFA extraction method.
    #[arg(long, value_enum, default_value = "minres")]
    method: MethodArg,
    /// EFA rotation.
    #[arg(long, value_enum, default_value = "oblimin")]
    rotation: RotationArg,
    /// Number of EFA factors (default: the instrument's number of dimensions).
    #[arg(long)]
    factors: Option<usize>,
    /// Percentile bootstrap intervals for alpha and omega with this many resamples.
    #[arg(long, value_name = "N")]
    bootstrap: Option<usize>,
    /// Seed of the bootstrap (same seed, same intervals, on any number of threads).
    #[arg(long, default_value_t = 20011)]
    seed: u64,
    /// Print nothing on the terminal (files are still written).
    #[arg(long)]
    quiet: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum MethodArg {
    Minres,
    Ml,
    Pa,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum RotationArg {
    None,
    Varimax,
    Promax,
    Oblimin,
}

impl From<MethodArg> for Method {
    fn from(m: MethodArg) -> Method {
        match m {
            MethodArg::Minres => Method::Minres,
            MethodArg::Ml => Method::Ml,
            MethodArg::Pa => Method::Pa,
        }
    }
}

impl From<RotationArg> for Rotation {
    fn from(r: RotationArg) -> Rotation {
        match r {
            RotationArg::None => Rotation::None,
            RotationArg::Varimax => Rotation::Varimax,
            RotationArg::Promax => Rotation::Promax,
            RotationArg::Oblimin => Rotation::Oblimin,
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    if args.bootstrap == Some(0) {
        return Err(perval::Error::Usage(
            "--bootstrap needs at least 1 resample (1000 or more for a 95% interval)".into(),
        )
        .into());
    }
    let loaded = input::load(
        &args.file,
        args.instrument.as_deref(),
        args.by.as_deref(),
        args.missing,
        args.out.is_some(),
    )?;
    let options = Options {
        by: args.by.clone(),
        efa_method: args.method.into(),
        efa_rotation: args.rotation.into(),
        efa_factors: args.factors,
        bootstrap: args.bootstrap.map(|n| (n, args.seed)),
    };
    let report = analysis::analyze(
        &loaded.instrument,
        &loaded.responses,
        &loaded.scored,
        &options,
    )?;
    let json = report.to_json();
    // Everything is computed before anything is written: a rejected input leaves no file behind.
    if let Some(path) = &args.json {
        write_atomic(path, json.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?;
    }
    if let Some(dir) = &args.out {
        write_atomic(&dir.join("results.json"), json.as_bytes())?;
        let csv = super::score::scores_csv(&loaded);
        write_atomic(&dir.join("scores.csv"), csv.as_bytes())?;
    }
    if !args.quiet {
        super::print_out(&perval::report::terminal::render(&report))?;
    }
    Ok(())
}
