//! `perval sem FILE --model MODEL`: a structural model in lavaan syntax, estimated as lavaan::sem does by
//! default (ML, expected information, marker-variable identification), with the parameter table, R²,
//! defined parameters (indirect and total effects) and, with `--bootstrap`, percentile intervals.

use super::emit::OutputArgs;
use super::input::InputArgs;
use perval::analysis::{self, Options, Sections};
use perval::scoring::MissingPolicy;

#[derive(clap::Args)]
#[command(after_help = "Examples:
  perval sem responses.csv --model value-chain
  perval sem responses.csv --instrument perval-chain --model my-model.lav --bootstrap 1000 --seed 7
  perval sem responses.csv --model value-chain --by store
  perval models show value-chain > my-model.lav")]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// Model: a file in lavaan syntax, or a built-in model id (`perval models`).
    #[arg(long)]
    model: String,
    /// Compare the paths across the groups of this column (store, brand, wave): configural, metric and
    /// equal-paths models, χ² difference tests, each path tested alone.
    #[arg(long)]
    by: Option<String>,
    /// Fit this second model (a file or built-in id) to the same respondents and compare: χ² difference test
    /// (for nested models, as lavTestLRT), ΔCFI, ΔRMSEA, AIC and BIC — e.g. full against partial mediation.
    #[arg(long, value_name = "MODEL")]
    compare: Option<String>,
    /// What a group is, in words, for titles and prose (e.g. "store"; "门店" for Chinese text); default: the
    /// column name.
    #[arg(long, value_name = "NOUN", requires = "by")]
    group_label: Option<String>,
    /// With --by: free these items' intercepts in every group of the scalar model (partial invariance;
    /// lavaan's group.partial), e.g. --partial SAT2,SOC1.
    #[arg(long, value_name = "ITEM,…", value_delimiter = ',', requires = "by")]
    partial: Vec<String>,
    /// Nonparametric bootstrap with this many resamples: percentile intervals of every path and defined
    /// parameter.
    #[arg(long, value_name = "N")]
    bootstrap: Option<usize>,
    /// Intervals: `percentile` (of the bootstrap, the default), `bca` (bias-corrected bootstrap percentile,
    /// lavaan's bca.simple; needs --bootstrap) or `monte-carlo` (Monte Carlo intervals of the defined
    /// effects, as semTools' monteCarloCI: 20,000 draws from the estimates' sampling distribution).
    #[arg(long, value_enum, default_value = "percentile")]
    ci: CiArg,
    /// Seed of the bootstrap (same seed, same intervals, on any number of threads).
    #[arg(long, default_value_t = analysis::DEFAULT_SEED)]
    seed: u64,
    /// Write the report folder (report.html, report.md, results.json, tables/, charts/ with the structural
    /// diagram) here; `--out` alone writes to reports/<input file stem>-sem/.
    #[arg(long, value_name = "DIR", num_args = 0..=1)]
    out: Option<Option<std::path::PathBuf>>,
    #[command(flatten)]
    output: OutputArgs,
}

/// `--ci`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum CiArg {
    Percentile,
    Bca,
    MonteCarlo,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    if args.ci == CiArg::Bca && args.bootstrap.is_none() {
        return Err(perval::Error::Usage(
            "--ci bca corrects bootstrap percentiles: it needs --bootstrap N\n  fix: add --bootstrap 1000 (or more), or use --ci monte-carlo for the defined effects without resampling".into(),
        )
        .into());
    }
    if args.input.missing == MissingPolicy::Pairwise {
        return Err(perval::Error::Usage(
            "structural models use the respondents who answered every variable of the model (listwise, lavaan's default) or full-information ML\n  fix: leave out --missing pairwise, or use --missing fiml".into(),
        )
        .into());
    }
    super::emit::check_resamples(args.bootstrap, "1000 or more for a 95% interval")?;
    let (text, origin) = perval::model::read(&args.model)?;
    let load = args.input.load_options(args.by.as_deref(), false);
    let (built, compare, mut loaded) = match &args.compare {
        None => {
            let (built, loaded) = perval::model::load(&load, &text, &origin)?;
            (built, None, loaded)
        }
        Some(other) => {
            let (other_text, other_origin) = perval::model::read(other)?;
            let (built, alternative, loaded) = perval::model::load_with_alternative(
                &load,
                &text,
                &origin,
                (&other_text, &other_origin),
            )?;
            (built, Some(alternative), loaded)
        }
    };
    let options = Options {
        sections: Sections::SEM,
        by: args.by.clone(),
        model: Some(built),
        partial: args.partial.clone(),
        group_label: args.group_label.clone(),
        boot_ci: if args.ci == CiArg::Bca {
            analysis::BootCi::BiasCorrected
        } else {
            analysis::BootCi::Percentile
        },
        monte_carlo: (args.ci == CiArg::MonteCarlo).then_some(args.seed),
        compare,
        bootstrap: args.bootstrap.map(|n| (n, args.seed)),
        progress: super::progress::bars(args.output.quiet),
        ..Options::default()
    };
    let report = analysis::run(&mut loaded, &options)?;
    let read = super::emit::read_files(&[
        args.input.read.instrument.as_deref(),
        Some(args.model.as_str()),
        args.compare.as_deref(),
    ]);
    super::emit::write_model_report(report, &loaded, &args.out, "-sem", &args.output, &read)
}
