//! `perval chart KIND FILE -o OUT.png|svg`: one publication chart. `perval analyze --out DIR` draws every chart
//! that applies into DIR/charts/ through [`write_all`].

use super::analyze::report;
use super::input::{InputArgs, Loaded};
use perval::charts::{self, ChartInput, Format, Kind, Lang, Palette};
use perval::output::{write_atomic, write_atomic_with};
use perval::report::Report;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// Which chart.
    #[arg(value_enum)]
    kind: Kind,
    /// Response file: CSV or TSV, Excel or Parquet.
    file: PathBuf,
    /// Built-in instrument id or path to an instrument TOML file.
    #[arg(long)]
    instrument: Option<String>,
    /// Missing answers: listwise or pairwise.
    #[arg(long, value_enum, default_value = "listwise")]
    missing: perval::scoring::MissingPolicy,
    /// Column that defines the groups (store, brand, wave).
    #[arg(long)]
    by: Option<String>,
    /// Output file (.png or .svg).
    #[arg(short = 'o', long = "output", value_name = "OUT.png")]
    output: PathBuf,
    #[command(flatten)]
    look: LookArgs,
}

/// Size, resolution, format, colours and language of charts.
#[derive(clap::Args, Clone)]
pub struct LookArgs {
    /// png or svg (default: from the output file's extension, else png).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Resolution of PNG files.
    #[arg(long, default_value_t = 300.0)]
    dpi: f64,
    /// Width, e.g. 6.5in, 16.5cm, 165mm (a bare number is inches).
    #[arg(long, default_value = "6.5in", value_parser = parse_length)]
    width: f64,
    /// Height, e.g. 4.5in or 11.4cm (default: suited to the chart).
    #[arg(long, value_parser = parse_length)]
    height: Option<f64>,
    /// Colours: okabe-ito (colour-blind safe) or grey.
    #[arg(long, value_enum, default_value = "okabe-ito")]
    palette: Palette,
    /// Label language (default: the instrument's).
    #[arg(long, value_enum)]
    lang: Option<Lang>,
}

impl Default for LookArgs {
    fn default() -> Self {
        LookArgs {
            format: None,
            dpi: 300.0,
            width: 6.5,
            height: None,
            palette: Palette::OkabeIto,
            lang: None,
        }
    }
}

/// A length in inches from "6.5in", "16.5cm", "165mm" or "6.5".
fn parse_length(s: &str) -> Result<f64, String> {
    let t = s.trim().to_lowercase();
    let (num, factor) = if let Some(v) = t.strip_suffix("in") {
        (v, 1.0)
    } else if let Some(v) = t.strip_suffix("cm") {
        (v, 1.0 / 2.54)
    } else if let Some(v) = t.strip_suffix("mm") {
        (v, 1.0 / 25.4)
    } else {
        (t.as_str(), 1.0)
    };
    match num.trim().parse::<f64>() {
        Ok(v) if (1.0..=40.0).contains(&(v * factor)) => Ok(v * factor),
        Ok(_) => Err(format!("'{s}' is outside 1 to 40 inches")),
        Err(_) => Err(format!(
            "'{s}' is not a length: write e.g. 6.5in, 16.5cm or 165mm"
        )),
    }
}

/// Default height per kind (inches) for a 6.5-inch-wide figure.
fn default_height(kind: Kind, report: &Report) -> f64 {
    let items = report.instrument.item_texts.len() as f64;
    match kind {
        Kind::Likert => {
            (1.6 + 0.3 * (items + report.instrument.dimension_items.len() as f64)).clamp(4.0, 11.0)
        }
        Kind::LikertGroups => {
            let groups = report.groups.as_ref().map_or(1, |g| {
                g.dimensions.values().next().map_or(1, |d| d.groups.len())
            });
            (1.6 + 0.14
                * (items * (groups as f64 + 1.0) + report.instrument.dimension_items.len() as f64))
                .clamp(4.0, 11.0)
        }
        Kind::Correlations => 6.5,
        Kind::Loadings | Kind::Path => (1.2 + 0.28 * items).clamp(4.0, 9.0),
        Kind::Profile => 5.5,
        Kind::Distribution => 5.5,
        _ => 4.5,
    }
}

fn chart_input<'a>(loaded: &'a Loaded, report: &'a Report) -> ChartInput<'a> {
    let groups = loaded
        .responses
        .group
        .as_ref()
        .map(|g| charts::ScoreGroups {
            labels: g.labels.clone(),
            codes: loaded.scored.rows.iter().map(|&row| g.codes[row]).collect(),
        });
    ChartInput {
        report,
        scores: &loaded.scored.scores,
        groups,
    }
}

/// Chart options for `kind`, with the language resolved (Chinese falls back to English, with a warning, when
/// no CJK font is installed).
fn options(
    kind: Kind,
    look: &LookArgs,
    report: &Report,
    format: Format,
    warnings: &mut Vec<String>,
) -> charts::Options {
    let wanted = look.lang.unwrap_or(if report.instrument.language == "zh" {
        Lang::Zh
    } else {
        Lang::En
    });
    let lang = if wanted == Lang::Zh && charts::fonts::cjk_family().is_none() && look.lang.is_none()
    {
        warnings.push(format!(
            "no Chinese (CJK) font found: charts are labelled in English; {}",
            charts::fonts::CJK_FIX
        ));
        Lang::En
    } else {
        wanted
    };
    charts::Options {
        width_in: look.width,
        height_in: look.height.unwrap_or_else(|| default_height(kind, report)),
        dpi: look.dpi,
        format,
        palette: look.palette,
        lang,
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    if !(30.0..=2400.0).contains(&args.look.dpi) {
        return Err(perval::Error::Usage(format!(
            "--dpi {} is outside 30..2400 (journals ask for 300 to 600)",
            args.look.dpi
        ))
        .into());
    }
    let format =
        args.look
            .format
            .unwrap_or(match args.output.extension().and_then(|e| e.to_str()) {
                Some(e) if e.eq_ignore_ascii_case("svg") => Format::Svg,
                _ => Format::Png,
            });
    let input = InputArgs {
        file: args.file.clone(),
        instrument: args.instrument.clone(),
        missing: args.missing,
        encoding: None,
        platform: None,
        map: Vec::new(),
    };
    let (loaded, report) = report(&input, args.by.as_deref(), false, true, |_| {})?;
    let input = chart_input(&loaded, &report);
    if !charts::applies(args.kind, &input) {
        return Err(perval::Error::Usage(format!(
            "the {} chart cannot be drawn from this file: {}",
            args.kind.name(),
            match args.kind {
                Kind::Likert => "the scale has no integer points",
                Kind::LikertGroups => "it needs --by COLUMN and a scale with integer points",
                Kind::Path => "the CFA could not be run (see `perval cfa`)",
                _ => "the factor analysis could not be run (see `perval efa`)",
            }
        ))
        .into());
    }
    let mut warnings = Vec::new();
    let o = options(args.kind, &args.look, &report, format, &mut warnings);
    let bytes = charts::render(args.kind, &input, &o)?;
    write_atomic(&args.output, &bytes)?;
    for w in warnings {
        eprintln!("warning: {w}");
    }
    let (w, h) = charts::pixel_size(&o);
    eprintln!(
        "wrote {} ({w} × {h} px{})",
        args.output.display(),
        if format == Format::Png {
            format!(", {} dpi", o.dpi)
        } else {
            String::new()
        }
    );
    Ok(())
}

/// What each chart shows, for figure captions.
fn caption(kind: Kind, report: &Report) -> String {
    let by = report
        .groups
        .as_ref()
        .map(|g| format!(" by {}", g.by))
        .unwrap_or_default();
    match kind {
        Kind::Profile => format!("Perceived-value profile{by}: dimension means on the {}–{} scale.", report.instrument.scale[0], report.instrument.scale[1]),
        Kind::Means => format!("Dimension means{by} with 95% confidence intervals (t)."),
        Kind::Likert => "Item answers as given (before reverse keying), diverging at the scale midpoint.".into(),
        Kind::LikertGroups => format!("Item answers{by}, as given (before reverse keying), diverging at the scale midpoint."),
        Kind::Scree => "Scree plot of the item correlation matrix with the parallel-analysis line (95th percentile of random data).".into(),
        Kind::Loadings => "EFA pattern loadings and communalities (h²); loadings below .30 not printed.".into(),
        Kind::Correlations => "Item correlation matrix.".into(),
        Kind::Distribution => format!("Distribution of dimension scores{by}: box plots (median, quartiles, 1.5 IQR whiskers) over the respondents."),
        Kind::Path => "CFA path diagram with standardized loadings and factor correlations.".into(),
    }
}

/// Every chart that applies, drawn in memory: PNG, and the path diagram also as SVG.
/// Returns (file name, caption, bytes).
pub fn draw_all(
    loaded: &Loaded,
    report: &Report,
    look: &LookArgs,
    warnings: &mut Vec<String>,
) -> anyhow::Result<Vec<(String, String, Vec<u8>)>> {
    let input = chart_input(loaded, report);
    let mut jobs = Vec::new();
    for kind in Kind::ALL {
        if !charts::applies(kind, &input) {
            continue;
        }
        let o = options(kind, look, report, Format::Png, warnings);
        jobs.push((format!("{}.png", kind.name()), kind, o));
        if kind == Kind::Path {
            let o = options(kind, look, report, Format::Svg, warnings);
            jobs.push(("path.svg".to_string(), kind, o));
        }
    }
    warnings.dedup();
    // The charts are drawn and encoded on all cores, and kept in their order.
    jobs.into_par_iter()
        .map(|(name, kind, o)| {
            let bytes = charts::render(kind, &input, &o)?;
            Ok((name, caption(kind, report), bytes))
        })
        .collect()
}

/// Write the report folder: charts/, tables/ (CSV and LaTeX), report.md, report.html, results.json, scores.csv.
/// Everything is drawn and formatted in memory first, then each file is written atomically.
pub fn write_report(
    dir: &Path,
    loaded: &Loaded,
    report: &mut Report,
    look: &LookArgs,
) -> anyhow::Result<()> {
    let mut warnings = Vec::new();
    let charts = draw_all(loaded, report, look, &mut warnings)?;
    report.warnings.extend(warnings);
    let tables = perval::report::tables::tables(report);
    let png_charts: Vec<(String, String, Vec<u8>)> = charts
        .iter()
        .filter(|c| c.0.ends_with(".png"))
        .cloned()
        .collect();
    let md = perval::report::document::markdown(report, &png_charts);
    let html = perval::report::document::html(report, &png_charts);
    for (name, _, bytes) in &charts {
        write_atomic(&dir.join("charts").join(name), bytes)?;
    }
    for (k, t) in tables.iter().enumerate() {
        write_atomic(
            &dir.join("tables").join(format!("{}.csv", t.id)),
            t.to_csv().as_bytes(),
        )?;
        write_atomic(
            &dir.join("tables").join(format!("{}.tex", t.id)),
            t.to_latex(k + 1).as_bytes(),
        )?;
    }
    write_atomic(&dir.join("report.md"), md.as_bytes())?;
    write_atomic(&dir.join("report.html"), html.as_bytes())?;
    write_atomic(&dir.join("results.json"), report.to_json().as_bytes())?;
    write_atomic_with(&dir.join("scores.csv"), |w| {
        super::score::write_scores(loaded, w)
    })?;
    Ok(())
}
