//! The command line: one file per subcommand, each with its arguments and its `run`.

mod analyze;
mod cfa;
mod chart;
mod compare;
mod efa;
mod emit;
mod factor_args;
mod input;
mod instruments;
mod models;
mod needs;
mod pls;
mod progress;
mod score;
mod sem;
mod simulate;

use clap::{Parser, Subcommand};

/// perval — PERVAL perceived-value survey analysis: scores, reliability, factor structure and store comparisons,
/// with R's numbers.
#[derive(Parser)]
#[command(name = "perval", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Reliability, factor structure and group comparisons of a response file.
    Analyze(analyze::Args),
    /// Factorability, eigenvalues, parallel analysis and an exploratory factor analysis.
    Efa(efa::Args),
    /// Confirmatory factor analysis: fit, CR, AVE, HTMT, Fornell–Larcker, modification indices.
    Cfa(cfa::Args),
    /// Compare groups (stores, brands, waves) on every dimension: tests, effect sizes, post-hoc pairs, invariance.
    Compare(compare::Args),
    /// A structural model in lavaan syntax (value -> satisfaction -> loyalty), estimated as lavaan does.
    Sem(sem::Args),
    /// A PLS path model (PLS-SEM as SmartPLS and seminr estimate it; PLSc with --consistent): bootstrap,
    /// PLSpredict, importance–performance maps.
    Pls(pls::Args),
    /// Kano needs: each attribute classified as must-be, one-dimensional, attractive, indifferent or reverse,
    /// with Better/Worse and their intervals; stores compared (--by).
    Kano(needs::KanoArgs),
    /// The zone of tolerance: adequate, desired and perceived levels per item and dimension, MSA and MSS; by store.
    Expectations(needs::ExpectationsArgs),
    /// List the built-in structural models, or print one.
    Models(models::Args),
    /// Draw one publication chart (PNG or SVG).
    Chart(chart::Args),
    /// Write each respondent's dimension scores to a CSV file.
    Score(score::Args),
    /// Write synthetic responses from a factor model (benchmarks, teaching, power analysis).
    Simulate(simulate::Args),
    /// List the built-in instruments, or print one as TOML.
    Instruments(instruments::Args),
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Analyze(a) => analyze::run(a),
        Command::Efa(a) => efa::run(a),
        Command::Cfa(a) => cfa::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Sem(a) => sem::run(a),
        Command::Pls(a) => pls::run(a),
        Command::Kano(a) => needs::run_kano(a),
        Command::Expectations(a) => needs::run_expectations(a),
        Command::Models(a) => models::run(a),
        Command::Chart(a) => chart::run(a),
        Command::Score(a) => score::run(a),
        Command::Simulate(a) => simulate::run(a),
        Command::Instruments(a) => instruments::run(a),
    }
}

/// Print to stdout; a closed pipe (`perval ... | head`) is not an error.
pub fn print_out(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}
