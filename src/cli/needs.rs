//! `perval kano` and `perval expectations`: the customer-needs families. Each reads its own columns of the
//! file (named by the instrument's `[kano]` or `[expectations]` section), runs its family and writes the
//! results document: the terminal tables, `--json`, and the report folder of `--out`.

use super::emit::OutputArgs;
use super::input::ReadArgs;
use perval::analysis::expectations::{self, ExpectationOptions};
use perval::analysis::kano::{self, KanoOptions};
use perval::input::{open_questionnaire, Questionnaire};
use perval::report::needs::NeedsReport;
use perval::stats::kano::Table;
use std::path::PathBuf;

/// The group and output arguments both commands take.
#[derive(clap::Args)]
pub struct Common {
    #[command(flatten)]
    input: ReadArgs,
    /// Column that defines the groups (store, brand, wave).
    #[arg(long)]
    by: Option<String>,
    /// What a group is, in words, for titles and prose (e.g. "restaurant"; "门店").
    #[arg(long, value_name = "NOUN", requires = "by")]
    group_label: Option<String>,
    /// Write the report folder (tables, charts, report.md/html, results.json) to DIR (default: reports/<file>-<command>/).
    #[arg(long, value_name = "DIR", num_args = 0..=1)]
    out: Option<Option<PathBuf>>,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(clap::ValueEnum, Clone, Copy)]
pub enum TableArg {
    /// Berger et al. (1993, p. 6).
    Standard,
    /// Berger et al. (1993, p. 33): must-be/must-be and live-with/live-with are questionable (Q) too.
    Pouliot,
}

#[derive(clap::Args)]
#[command(after_help = "Examples:
  perval kano survey.csv --instrument kano-restaurant --by store
  perval kano survey.csv --instrument my-kano.toml --table pouliot --json kano.json --out")]
pub struct KanoArgs {
    #[command(flatten)]
    common: Common,
    /// The evaluation table that turns an answer pair into a class.
    #[arg(long, value_enum, default_value = "standard")]
    table: TableArg,
    /// Seed of the Monte Carlo p values (used where an expected count is below 5).
    #[arg(long, default_value_t = perval::analysis::DEFAULT_SEED)]
    seed: u64,
    /// Quadrant lines of the Kano map: at 0.5 (the convention) or at the attributes' mean |Worse| and Better.
    #[arg(long, value_enum, default_value = "half")]
    quadrants: Quadrants,
}

#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq)]
pub enum Quadrants {
    /// At 0.5 on both axes.
    Half,
    /// At the means over the attributes.
    Means,
}

#[derive(clap::Args)]
#[command(after_help = "Examples:
  perval expectations survey.csv --instrument perval-expectations --by store
  perval expectations survey.csv --instrument my-zot.toml --json zones.json --out")]
pub struct ExpectationsArgs {
    #[command(flatten)]
    common: Common,
}

pub fn run_kano(args: KanoArgs) -> anyhow::Result<()> {
    let c = &args.common;
    let (file, instrument) = open_questionnaire(
        &c.input.load_options(c.by.as_deref(), false),
        Questionnaire::Kano,
    )?;
    let table = match args.table {
        TableArg::Standard => Table::Standard,
        TableArg::Pouliot => Table::Pouliot,
    };
    let options = KanoOptions {
        table,
        by: c.by.clone(),
        group_label: c.group_label.clone(),
        seed: args.seed,
        lines_at_means: args.quadrants == Quadrants::Means,
    };
    let result = kano::run(&file, &instrument, &options)?;
    let mut report = NeedsReport::new(&instrument, &file.path, result.rows_read, result.notes);
    drop(file);
    let s = &mut report.settings;
    s.insert(
        "evaluation table".into(),
        match table {
            Table::Standard => "standard (Berger et al. 1993, p. 6)".into(),
            Table::Pouliot => {
                "pouliot (Berger et al. 1993, p. 33: must-be/must-be and live-with/live-with are Q)"
                    .into()
            }
        },
    );
    s.insert("respondents".into(), "per attribute, those who answered both of its questions; importance: those who answered it".into());
    s.insert("category".into(), "the most frequent class, ties M > O > A > I > R > Q; grouped: (A+O+M) > (I+R+Q) strictly, then the largest of M, O, A, else of I, R, Q".into());
    s.insert("Better and Worse".into(), "(A+O)/(A+O+M+I) and −(O+M)/(A+O+M+I), 95% Wilson score intervals; group differences with Newcombe's (1998) hybrid score intervals".into());
    if c.by.is_some() {
        s.insert(
            "group tests".into(),
            format!(
                "Pearson χ² without continuity correction on groups × (A, O, M, I); Monte Carlo p ({} tables, seed {}) where an expected count is below 5",
                perval::stats::contingency::MONTE_CARLO_TABLES,
                args.seed
            ),
        );
    }
    s.insert(
        "Kano map".into(),
        match args.quadrants {
            Quadrants::Half => "quadrant lines at 0.5 on both axes".into(),
            Quadrants::Means => format!(
                "quadrant lines at the attributes' means: |Worse| = {:.3}, Better = {:.3}",
                result.block.map_lines[0], result.block.map_lines[1]
            ),
        },
    );
    report.kano = Some(result.block);
    report.add_findings(result.findings);
    emit(report, c, "-kano")
}

pub fn run_expectations(args: ExpectationsArgs) -> anyhow::Result<()> {
    let c = &args.common;
    let (file, instrument) = open_questionnaire(
        &c.input.load_options(c.by.as_deref(), false),
        Questionnaire::Expectations,
    )?;
    let options = ExpectationOptions {
        by: c.by.clone(),
        group_label: c.group_label.clone(),
    };
    let result = expectations::run(&file, &instrument, &options)?;
    let mut report = NeedsReport::new(&instrument, &file.path, result.rows_read, result.notes);
    drop(file);
    let s = &mut report.settings;
    s.insert("respondents".into(), "per item, those who gave all three answers; per dimension, those who gave all three answers to every item of it (no listwise deletion across the instrument)".into());
    s.insert("gaps".into(), "MSA = perceived − adequate, MSS = perceived − desired, per respondent on the dimension means, then averaged; 95% t intervals; below/above: strictly (a score on a bound is inside the zone)".into());
    let reversed: Vec<&str> = instrument
        .items
        .iter()
        .filter(|i| i.reverse)
        .map(|i| i.id.as_str())
        .collect();
    if !reversed.is_empty() {
        s.insert(
            "reverse keying".into(),
            format!(
                "{} reversed in all three answers as (min + max) − x with bounds {} and {}",
                reversed.join(", "),
                instrument.scale.min,
                instrument.scale.max
            ),
        );
    }
    if c.by.is_some() {
        s.insert(
            "group comparisons".into(),
            "MSA and MSS: one-way ANOVA (η²), Welch's F, Kruskal–Wallis, Games–Howell pairs".into(),
        );
    }
    report.expectations = Some(result.block);
    report.add_findings(result.findings);
    emit(report, c, "-expectations")
}

/// The report folder (when asked), the JSON and the terminal tables; every output is checked before any is written.
fn emit(report: NeedsReport, c: &Common, suffix: &str) -> anyhow::Result<()> {
    let input = PathBuf::from(&report.input.file);
    let dir = c
        .out
        .as_ref()
        .map(|d| super::emit::report_dir(d, &input, suffix));
    if let Some(path) = &c.output.json {
        perval::output::not_an_input(path, &[input.as_path()])?;
    }
    if let Some(dir) = &dir {
        perval::report::needs_folder::write(dir, &input, &report)?;
        if !c.output.quiet {
            eprintln!(
                "wrote the report to {}/ (report.html, report.md, results.json, tables/, charts/)",
                dir.display()
            );
        }
    }
    if let Some(path) = &c.output.json {
        perval::output::write_atomic(path, report.to_json().as_bytes())?;
    }
    if !c.output.quiet {
        super::print_out(&report.terminal())?;
    }
    Ok(())
}
