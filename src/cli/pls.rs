//! `perval pls FILE --model MODEL`: a PLS path model in lavaan syntax as SmartPLS and seminr estimate it by
//! default (path weighting, mode A for `=~`, mode B for `<~`), or PLSc with `--consistent`; with the
//! bootstrap (percentile and BCa), PLSpredict and the importance–performance map (per group with `--by`).

use super::emit::OutputArgs;
use super::input::InputArgs;
use perval::analysis::{self, Options, PlsOptions, PredictOptions, Sections};
use perval::scoring::MissingPolicy;
use perval::stats::pls::predict::Approach;
use perval::stats::pls::{Settings, Weighting};

#[derive(Clone, Copy, clap::ValueEnum)]
enum WeightingArg {
    Path,
    Factor,
    Centroid,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ApproachArg {
    Earliest,
    Direct,
}

#[derive(clap::Args)]
#[command(after_help = "Examples:
  perval pls responses.csv --model value-chain
  perval pls responses.csv --model value-chain --bootstrap 5000 --seed 7
  perval pls responses.csv --model value-chain --consistent --json pls.json
  perval pls responses.csv --model value-chain --by store --target loyalty --out")]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// Model: a file in lavaan syntax (`=~` mode A, `<~` mode B, `~` paths, `:=` effects), or a built-in
    /// model id (`perval models`).
    #[arg(long)]
    model: String,
    /// PLSc (Dijkstra & Henseler 2015): correct the `=~` constructs for measurement error with ρ_A.
    #[arg(long)]
    consistent: bool,
    /// Inner weighting scheme.
    #[arg(long, value_enum, default_value = "path")]
    weighting: WeightingArg,
    /// Most weight updates before the algorithm gives up (SmartPLS and seminr: 300).
    #[arg(long, default_value_t = 300, value_name = "N")]
    max_iterations: usize,
    /// Nonparametric bootstrap with this many resamples (SmartPLS's usual 5000): SD, t, p, percentile and
    /// BCa intervals of paths, effects, loadings and weights; HTMT intervals and tests.
    #[arg(long, value_name = "N")]
    bootstrap: Option<usize>,
    /// Seed of the bootstrap and of the PLSpredict folds (same seed, same numbers, on any number of threads).
    #[arg(long, default_value_t = analysis::DEFAULT_SEED)]
    seed: u64,
    /// PLSpredict folds (k-fold cross-validation); 0 leaves PLSpredict out.
    #[arg(long, default_value_t = 10, value_name = "K")]
    folds: usize,
    /// PLSpredict repetitions (each respondent's predictions are averaged over them).
    #[arg(long, default_value_t = 10, value_name = "R")]
    repetitions: usize,
    /// PLSpredict: predict from the earliest antecedents (SmartPLS, cSEM) or the direct ones (seminr).
    #[arg(long, value_enum, default_value = "earliest")]
    predict_from: ApproachArg,
    /// Target construct of the importance–performance map (default: the last outcome of the model).
    #[arg(long, value_name = "CONSTRUCT")]
    target: Option<String>,
    /// One importance–performance map per group of this column (store, brand, wave), each from the model
    /// estimated within the group.
    #[arg(long)]
    by: Option<String>,
    /// Write the report folder (report.html, report.md, results.json, tables/, charts/ with the path diagram
    /// and the importance–performance maps); `--out` alone writes to reports/<input file stem>-pls/.
    #[arg(long, value_name = "DIR", num_args = 0..=1)]
    out: Option<Option<std::path::PathBuf>>,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    if args.input.missing != MissingPolicy::Listwise {
        return Err(perval::Error::Usage(
            "PLS path models use the respondents who answered every indicator of the model (listwise)\n  fix: leave out --missing (FIML is available in `perval sem --missing fiml`)".into(),
        )
        .into());
    }
    super::emit::check_resamples(args.bootstrap, "5000 is SmartPLS's usual number")?;
    if args.folds == 1 || (args.folds > 0 && args.repetitions == 0) || args.max_iterations == 0 {
        return Err(perval::Error::Usage(
            "--folds needs 2 or more (or 0 to leave PLSpredict out), --repetitions and --max-iterations 1 or more".into(),
        )
        .into());
    }
    let (text, origin) = perval::model::read(&args.model)?;
    let (model, mut loaded) = perval::model::load_pls(
        &args.input.load_options(args.by.as_deref(), false),
        &text,
        &origin,
    )?;
    let settings = Settings {
        weighting: match args.weighting {
            WeightingArg::Path => Weighting::Path,
            WeightingArg::Factor => Weighting::Factor,
            WeightingArg::Centroid => Weighting::Centroid,
        },
        max_iterations: args.max_iterations,
        ..Settings::default()
    };
    let approach = match args.predict_from {
        ApproachArg::Earliest => Approach::Earliest,
        ApproachArg::Direct => Approach::Direct,
    };
    let options = Options {
        sections: Sections::PLS,
        by: args.by.clone(),
        pls: Some(PlsOptions {
            model,
            consistent: args.consistent,
            settings,
            predict: (args.folds > 0).then_some(PredictOptions {
                folds: args.folds,
                repetitions: args.repetitions,
                approach,
                seed: args.seed,
            }),
            target: args.target.clone(),
        }),
        bootstrap: args.bootstrap.map(|n| (n, args.seed)),
        progress: super::progress::bars(args.output.quiet),
        ..Options::default()
    };
    let report = analysis::run(&mut loaded, &options)?;
    let read = super::emit::read_files(&[
        args.input.read.instrument.as_deref(),
        Some(args.model.as_str()),
    ]);
    super::emit::write_model_report(report, &loaded, &args.out, "-pls", &args.output, &read)
}
