//! `perval analyze FILE`: reliability, factor structure and group comparisons, as tables on the terminal,
//! as results JSON (schema perval/1) with `--json`, and as a report folder with `--out`.

use super::emit::{emit, OutputArgs};
use super::factor_args::{AnalyzeCfaArgs, EfaArgs};
use super::input::{self, InputArgs};
use perval::analysis::{self, Options, PlsOptions, PredictOptions, Screen, Sections};
use perval::report::folder;
use std::path::PathBuf;

#[derive(clap::Args)]
#[command(after_help = "Examples:
  perval analyze data/perval-stores.csv --by store
  perval analyze responses.xlsx --instrument perval-19 --by store --out reports/study1
  perval analyze responses.csv --missing pairwise --cor polychoric --json results.json
  perval analyze responses.csv --bootstrap 2000 --seed 7 --screen
  perval analyze responses.csv --instrument perval-chain --model value-chain --by store --out
  perval analyze responses.csv --instrument perval-chain --model value-chain --estimator pls --bootstrap 5000")]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// Column that defines the groups to compare (store, brand, wave).
    #[arg(long)]
    by: Option<String>,
    /// What a group is, in words, for titles and prose (e.g. "restaurant" → "The restaurants differed …";
    /// "门店" for Chinese text); default: the column name.
    #[arg(long, value_name = "NOUN", requires = "by")]
    group_label: Option<String>,
    /// Write the report folder (report.html, report.md, results.json, scores.csv, tables/, charts/) here;
    /// `--out` alone writes to reports/<input file stem>/.
    #[arg(long, value_name = "DIR", num_args = 0..=1)]
    out: Option<Option<PathBuf>>,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    efa: EfaArgs,
    #[command(flatten)]
    cfa: AnalyzeCfaArgs,
    /// Add a structural model (lavaan syntax file or built-in id, e.g. value-chain): its paths, effects,
    /// diagram, table and paragraph join the analysis.
    #[arg(long)]
    model: Option<String>,
    /// How the structural model is estimated: ml (covariance-based, as lavaan::sem), pls (PLS-SEM as
    /// SmartPLS and seminr, with PLSpredict and the importance–performance map) or plsc (consistent PLS).
    #[arg(long, value_enum, default_value = "ml", requires = "model")]
    estimator: Estimator,
    /// Percentile bootstrap intervals for alpha and omega (and the structural model) with this many resamples.
    #[arg(long, value_name = "N")]
    bootstrap: Option<usize>,
    /// Careless-response screening: longstring, IRV, Mahalanobis D², completion time.
    #[arg(long)]
    screen: bool,
    /// Screen and leave the flagged respondents out of the analysis.
    #[arg(long)]
    exclude_flagged: bool,
    /// A font file for Chinese text in the charts (used before the system's CJK fonts).
    #[arg(long, value_name = "PATH")]
    font: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Estimator {
    Ml,
    Pls,
    Plsc,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    super::emit::check_resamples(args.bootstrap, "1000 or more for a 95% interval")?;
    let mut options = Options {
        sections: Sections::ALL,
        by: args.by.clone(),
        group_label: args.group_label.clone(),
        bootstrap: args.bootstrap.map(|n| (n, args.efa.seed)),
        screen: if args.exclude_flagged {
            Screen::Exclude
        } else if args.screen {
            Screen::Report
        } else {
            Screen::Off
        },
        progress: super::progress::bars(args.output.quiet),
        ..Options::default()
    };
    args.efa.apply(&mut options);
    args.cfa.apply(&mut options);
    if let Some(font) = &args.font {
        perval::charts::fonts::use_cjk_font(font)?;
    }
    let ids = args.out.is_some() || options.screen != Screen::Off;
    let mut loaded = input::load(&args.input, args.by.as_deref(), ids, !args.output.quiet)?;
    match (&args.model, args.estimator) {
        (Some(m), Estimator::Ml) => {
            options.model = Some(perval::model::resolve(m, Some(&loaded.instrument))?);
        }
        (Some(m), estimator) => {
            options.pls = Some(PlsOptions {
                model: perval::model::resolve_pls(m, Some(&loaded.instrument))?,
                consistent: estimator == Estimator::Plsc,
                settings: perval::stats::pls::Settings::default(),
                predict: Some(PredictOptions {
                    folds: 10,
                    repetitions: 10,
                    approach: perval::stats::pls::predict::Approach::Earliest,
                    seed: args.efa.seed,
                }),
                target: None,
            });
        }
        (None, _) => {}
    }
    let mut report = analysis::run(&mut loaded, &options)?;
    analysis::add_needs(
        &mut report,
        &loaded.instrument,
        &args.input.load_options(args.by.as_deref(), false),
        args.efa.seed,
    )?;
    if let Some(dir) = &args.out {
        let dir = super::emit::report_dir(dir, &args.input.read.file, "");
        folder::write(&dir, &loaded, &mut report, &folder::Look::default())?;
        if !args.output.quiet {
            eprintln!("wrote the report to {}/ (report.html, report.md, results.json, scores.csv, tables/, charts/)", dir.display());
        }
    }
    let read =
        super::emit::read_files(&[args.input.read.instrument.as_deref(), args.model.as_deref()]);
    emit(
        &report,
        &args.output,
        &super::emit::with_responses(&loaded, &read),
    )
}
