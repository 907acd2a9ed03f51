//! `perval analyze FILE`: reliability, factor structure and group comparisons, as tables on the terminal and
//! as results JSON (schema perval/1) with `--json` or `--out`.

use super::input::{self, InputArgs};
use anyhow::Context;
use perval::analysis::{self, CfaStructure, Correlation, Options};
use perval::output::write_atomic;
use perval::report::Report;
use perval::stats::factor::{Method, Rotation};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// Column that defines the groups to compare (store, brand, wave).
    #[arg(long)]
    by: Option<String>,
    /// Write the results as JSON (schema perval/1) to this file.
    #[arg(long, value_name = "OUT.json")]
    json: Option<PathBuf>,
    /// Write the report folder (report.html, report.md, results.json, scores.csv, tables/, charts/) here;
    /// `--out` alone writes to reports/<input file stem>/.
    #[arg(long, value_name = "DIR", num_args = 0..=1)]
    out: Option<Option<PathBuf>>,
    #[command(flatten)]
    efa: EfaArgs,
    #[command(flatten)]
    cfa: CfaArgs,
    /// Percentile bootstrap intervals for alpha and omega with this many resamples.
    #[arg(long, value_name = "N")]
    bootstrap: Option<usize>,
    /// Careless-response screening: longstring, IRV, Mahalanobis D², completion time.
    #[arg(long)]
    screen: bool,
    /// Screen and leave the flagged respondents out of the analysis.
    #[arg(long)]
    exclude_flagged: bool,
    /// Print nothing on the terminal (files are still written).
    #[arg(long)]
    quiet: bool,
}

/// Options of the exploratory factor analysis.
#[derive(clap::Args)]
pub struct EfaArgs {
    /// EFA extraction method (psych's fm).
    #[arg(long, value_enum, default_value = "minres")]
    method: MethodArg,
    /// EFA rotation.
    #[arg(long, value_enum, default_value = "oblimin")]
    rotation: RotationArg,
    /// Number of EFA factors (default: the instrument's number of dimensions).
    #[arg(long)]
    factors: Option<usize>,
    /// Random data sets in the parallel analysis.
    #[arg(long, default_value_t = analysis::PARALLEL_ITERATIONS, value_name = "N")]
    pa_iterations: usize,
    /// Seed of the parallel analysis and the bootstrap (same seed, same result, on any number of threads).
    #[arg(long, default_value_t = analysis::DEFAULT_SEED)]
    seed: u64,
    /// Correlations for KMO, Bartlett, eigenvalues, parallel analysis and the EFA (polychoric: for ordinal
    /// items; also adds ordinal alpha).
    #[arg(long = "cor", value_enum, default_value = "pearson")]
    correlation: CorArg,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum CorArg {
    Pearson,
    Polychoric,
}

/// Options of the confirmatory factor analysis.
#[derive(clap::Args)]
pub struct CfaArgs {
    /// CFA structure: one factor per dimension with free correlations, or a second-order perceived-value factor.
    #[arg(long, value_enum, default_value = "correlated")]
    model: ModelArg,
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

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ModelArg {
    Correlated,
    SecondOrder,
}

impl EfaArgs {
    fn apply(&self, o: &mut Options) {
        o.efa_method = match self.method {
            MethodArg::Minres => Method::Minres,
            MethodArg::Ml => Method::Ml,
            MethodArg::Pa => Method::Pa,
        };
        o.efa_rotation = match self.rotation {
            RotationArg::None => Rotation::None,
            RotationArg::Varimax => Rotation::Varimax,
            RotationArg::Promax => Rotation::Promax,
            RotationArg::Oblimin => Rotation::Oblimin,
        };
        o.efa_factors = self.factors;
        o.parallel = (self.pa_iterations.max(1), self.seed);
        o.correlation = match self.correlation {
            CorArg::Pearson => Correlation::Pearson,
            CorArg::Polychoric => Correlation::Polychoric,
        };
    }
}

impl CfaArgs {
    fn apply(&self, o: &mut Options) {
        o.cfa_model = match self.model {
            ModelArg::Correlated => CfaStructure::Correlated,
            ModelArg::SecondOrder => CfaStructure::SecondOrder,
        };
    }
}

/// Load, analyse, and return the report (shared by analyze, efa and cfa).
pub fn report(
    input: &InputArgs,
    by: Option<&str>,
    ids: bool,
    show_progress: bool,
    configure: impl FnOnce(&mut Options),
) -> anyhow::Result<(input::Loaded, Report)> {
    screened_report(input, by, ids, show_progress, Screen::Off, configure)
}

/// Careless-response screening: off, reported, or reported and the flagged respondents left out.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Off,
    Report,
    Exclude,
}

pub fn screened_report(
    input: &InputArgs,
    by: Option<&str>,
    ids: bool,
    show_progress: bool,
    screen: Screen,
    configure: impl FnOnce(&mut Options),
) -> anyhow::Result<(input::Loaded, Report)> {
    let mut loaded = input::load(input, by, ids || screen != Screen::Off, show_progress)?;
    let screening = (screen != Screen::Off).then(|| {
        let ids = loaded.responses.id.as_ref().map(|(_, v)| v.as_slice());
        let secs = loaded.responses.seconds.as_ref().map(|(_, v)| v.as_slice());
        let mut s = perval::screening::screen(&loaded.instrument, &loaded.scored, ids, secs);
        if screen == Screen::Exclude && !s.flagged_rows.is_empty() {
            loaded.scored = loaded.scored.without(&s.flagged_rows);
            s.excluded = true;
        }
        s
    });
    let mut options = Options {
        by: by.map(String::from),
        ..Options::default()
    };
    configure(&mut options);
    let mut report = analysis::analyze(
        &loaded.instrument,
        &loaded.responses,
        &loaded.scored,
        &options,
    )?;
    if let Some(s) = screening {
        if s.flagged > 0 {
            report.warnings.push(format!(
                "careless-response screening flagged {} of {} respondents{}",
                s.flagged,
                s.screened,
                if s.excluded {
                    " and left them out of every statistic"
                } else {
                    " (kept; --exclude-flagged leaves them out)"
                }
            ));
        }
        report.screening = Some(s);
    }
    Ok((loaded, report))
}

/// Write the JSON (if asked) and print the tables (unless quiet). Nothing is written before this point, so a
/// rejected input leaves no file behind.
pub fn emit(report: &Report, json: Option<&PathBuf>, quiet: bool) -> anyhow::Result<()> {
    if let Some(path) = json {
        write_atomic(path, report.to_json().as_bytes())
            .with_context(|| format!("writing {}", path.display()))?;
    }
    if !quiet {
        super::print_out(&perval::report::terminal::render(report))?;
    }
    Ok(())
}

pub fn run(args: Args) -> anyhow::Result<()> {
    if args.bootstrap == Some(0) {
        return Err(perval::Error::Usage(
            "--bootstrap needs at least 1 resample (1000 or more for a 95% interval)".into(),
        )
        .into());
    }
    let screen = if args.exclude_flagged {
        Screen::Exclude
    } else if args.screen {
        Screen::Report
    } else {
        Screen::Off
    };
    let (loaded, report) = screened_report(
        &args.input,
        args.by.as_deref(),
        args.out.is_some(),
        !args.quiet,
        screen,
        |o| {
            args.efa.apply(o);
            args.cfa.apply(o);
            o.bootstrap = args.bootstrap.map(|n| (n, args.efa.seed));
            o.progress = super::progress::bars(args.quiet);
        },
    )?;
    let mut report = report;
    if let Some(dir) = &args.out {
        // `--out` without a folder: reports/<input file stem>/.
        let dir = if let Some(dir) = dir {
            dir.clone()
        } else {
            let stem = args
                .input
                .file
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_else(|| "report".into());
            PathBuf::from("reports").join(stem)
        };
        super::chart::write_report(
            &dir,
            &loaded,
            &mut report,
            &super::chart::LookArgs::default(),
        )?;
        if !args.quiet {
            eprintln!("wrote the report to {}/ (report.html, report.md, results.json, scores.csv, tables/, charts/)", dir.display());
        }
    }
    emit(&report, args.json.as_ref(), args.quiet)
}

/// `perval efa FILE`: factorability, eigenvalues, parallel analysis and an EFA with any extraction and rotation.
pub mod efa {
    use super::*;

    #[derive(clap::Args)]
    pub struct Args {
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        efa: EfaArgs,
        /// Write the results as JSON (schema perval/1) to this file.
        #[arg(long, value_name = "OUT.json")]
        json: Option<PathBuf>,
        #[arg(long)]
        quiet: bool,
    }

    pub fn run(args: Args) -> anyhow::Result<()> {
        let (_, mut report) = report(&args.input, None, false, !args.quiet, |o| args.efa.apply(o))?;
        report.dimensions.clear();
        report.cfa = None;
        emit(&report, args.json.as_ref(), args.quiet)
    }
}

/// `perval cfa FILE`: the confirmatory factor analysis with fit indices, CR, AVE, HTMT, Fornell–Larcker and
/// modification indices.
pub mod cfa {
    use super::*;

    #[derive(clap::Args)]
    pub struct Args {
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        cfa: CfaArgs,
        /// Write the results as JSON (schema perval/1) to this file.
        #[arg(long, value_name = "OUT.json")]
        json: Option<PathBuf>,
        #[arg(long)]
        quiet: bool,
    }

    pub fn run(args: Args) -> anyhow::Result<()> {
        let (_, mut report) = report(&args.input, None, false, !args.quiet, |o| args.cfa.apply(o))?;
        report.dimensions.clear();
        report.factorability = None;
        report.eigenvalues = None;
        report.parallel_analysis = None;
        report.efa = None;
        emit(&report, args.json.as_ref(), args.quiet)
    }
}

/// `perval compare FILE --by COLUMN`: the groups on every dimension and item, reliability within each group,
/// and measurement invariance across them.
pub mod compare {
    use super::*;

    #[derive(clap::Args)]
    pub struct Args {
        #[command(flatten)]
        input: InputArgs,
        /// Column that defines the groups (store, brand, wave).
        #[arg(long)]
        by: String,
        /// Write the results as JSON (schema perval/1) to this file.
        #[arg(long, value_name = "OUT.json")]
        json: Option<PathBuf>,
        #[arg(long)]
        quiet: bool,
    }

    pub fn run(args: Args) -> anyhow::Result<()> {
        let (_, mut report) = report(&args.input, Some(&args.by), false, !args.quiet, |_| {})?;
        if report.groups.is_none() {
            let why: Vec<&str> = report
                .warnings
                .iter()
                .filter(|w| w.contains(&format!("'{}'", args.by)))
                .map(String::as_str)
                .collect();
            return Err(perval::Error::Usage(format!(
                "no comparison is possible: '{}' has fewer than two groups with at least 2 respondents\n  {}\n  fix: choose a column with two or more groups",
                args.by,
                why.join("\n  ")
            ))
            .into());
        }
        report.factorability = None;
        report.eigenvalues = None;
        report.parallel_analysis = None;
        report.efa = None;
        report.cfa = None;
        emit(&report, args.json.as_ref(), args.quiet)
    }
}
