//! The report folder: charts/ (PNG, and the path diagram also as SVG), tables/ (CSV and LaTeX), report.md,
//! report.html, results.json and scores.csv. Everything is drawn and formatted in memory first, then each
//! file is written atomically.

use super::Report;
use crate::charts::{self, ChartInput, Format, Kind, Lang, Palette};
use crate::error::Result;
use crate::findings::Finding;
use crate::input::Loaded;
use crate::output::{write_atomic, write_atomic_with, write_scores};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Size, resolution, colours and language of charts.
#[derive(Debug, Clone)]
pub struct Look {
    pub dpi: f64,
    /// Width in inches.
    pub width: f64,
    /// Height in inches (default: suited to the chart).
    pub height: Option<f64>,
    pub palette: Palette,
    /// Label language (default: the instrument's).
    pub lang: Option<Lang>,
}

impl Default for Look {
    fn default() -> Self {
        Look {
            dpi: 300.0,
            width: 6.5,
            height: None,
            palette: Palette::OkabeIto,
            lang: None,
        }
    }
}

/// One drawn chart.
#[derive(Debug, Clone)]
pub struct Chart {
    /// File name in charts/.
    pub name: String,
    pub caption: String,
    pub bytes: Vec<u8>,
}

/// Default height per kind (inches) for a 6.5-inch-wide figure.
fn default_height(kind: Kind, report: &Report) -> f64 {
    let items = report.instrument.item_texts.len() as f64;
    let dims = report.instrument.dimension_items.len() as f64;
    match kind {
        Kind::Likert => (1.6 + 0.3 * (items + dims)).clamp(4.0, 11.0),
        Kind::LikertGroups => {
            let groups = report.groups.as_ref().map_or(1, |g| {
                g.dimensions.values().next().map_or(1, |d| d.groups.len())
            });
            // Every group gets a legible row (about 10 pt), so many groups make a tall figure (an online
            // supplement) rather than overlapping labels; 36 in at 300 dpi is still within the pixel budget.
            (1.6 + 0.14 * (items * (groups as f64 + 1.0) + dims)).clamp(4.0, 36.0)
        }
        Kind::Correlations => 6.5,
        Kind::Loadings | Kind::Path => (1.2 + 0.28 * items).clamp(4.0, 9.0),
        Kind::Profile => 5.5,
        Kind::Structural | Kind::PlsPaths => 4.0,
        Kind::Ipma | Kind::IpmaGroups => 4.5,
        Kind::Distribution => 5.5,
        _ => 4.5,
    }
}

/// Chart options for `kind`, with the language resolved: Chinese falls back to English (and says so in a
/// finding) when no CJK font is installed and no language was asked for.
pub fn chart_options(
    kind: Kind,
    look: &Look,
    report: &Report,
    format: Format,
) -> (charts::Options, Option<Finding>) {
    let wanted = look.lang.unwrap_or(
        if report.instrument.language == crate::instrument::Language::Zh {
            Lang::Zh
        } else {
            Lang::En
        },
    );
    let fallback =
        wanted == Lang::Zh && charts::fonts::cjk_family().is_none() && look.lang.is_none();
    let options = charts::Options {
        width_in: look.width,
        height_in: look.height.unwrap_or_else(|| default_height(kind, report)),
        dpi: look.dpi,
        format,
        palette: look.palette,
        lang: if fallback { Lang::En } else { wanted },
    };
    let finding = fallback.then(|| Finding::NoCjkFont {
        fix: charts::fonts::CJK_FIX.to_string(),
    });
    (options, finding)
}

/// What each chart shows, for figure captions.
pub fn caption(kind: Kind, report: &Report) -> String {
    let by = report
        .groups
        .as_ref()
        .map(|g| format!(" by {}", g.noun()))
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
        Kind::Structural => "Structural model: standardized paths (* p < .05, ** p < .01, *** p < .001; non-significant paths in grey) and R² of each endogenous variable.".into(),
        Kind::PlsPaths => format!(
            "{} path model: path coefficients{} and R² of each endogenous construct.",
            report.pls.as_ref().map_or("PLS", |p| p.algorithm.name()),
            if report.pls.as_ref().is_some_and(|p| p.bootstrap.is_some()) { " (bootstrap: * p < .05, ** p < .01, *** p < .001; non-significant paths in grey)" } else { "" }
        ),
        Kind::Ipma => "Importance–performance map: importance = unstandardized total effect on the target, performance = mean construct score on 0–100; dashed lines at the means. Constructs right of and below them (orange) matter most and perform least.".into(),
        Kind::IpmaGroups => "Importance–performance maps by group, each from the model estimated within the group; dashed lines at each map's means. Orange: high importance, low performance — where that group should invest.".into(),
    }
}

/// Every chart that applies, drawn in memory on all cores and kept in order: PNG, and the path diagram also
/// as SVG. The findings say what the drawing could not do as asked.
pub fn draw_all(
    loaded: &Loaded,
    report: &Report,
    look: &Look,
) -> Result<(Vec<Chart>, Vec<Finding>)> {
    let input = ChartInput::new(report, &loaded.scored, &loaded.responses);
    let mut jobs = Vec::new();
    let mut findings: Vec<Finding> = Vec::new();
    // Text that no available font can draw (Chinese store names without a CJK font, Korean without a font
    // that has Hangul) is never drawn as boxes: the numbers and tables are still written, and the finding
    // says how to get the charts.
    let (probe, _) = chart_options(Kind::Means, look, report, Format::Png);
    if let Err(e) = charts::chart_family(report, probe.lang) {
        findings.push(if charts::fonts::cjk_family().is_none() {
            Finding::ChartsNeedCjkFont {
                fix: charts::fonts::CJK_FIX.to_string(),
            }
        } else {
            Finding::ChartsNotDrawn {
                reason: e.to_string().replace("\n  fix: ", "; fix: "),
            }
        });
        return Ok((Vec::new(), findings));
    }
    for kind in Kind::ALL {
        if !charts::applies(kind, &input) {
            continue;
        }
        let formats: &[Format] = if matches!(kind, Kind::Path | Kind::Structural | Kind::PlsPaths) {
            &[Format::Png, Format::Svg]
        } else {
            &[Format::Png]
        };
        for &format in formats {
            let (o, finding) = chart_options(kind, look, report, format);
            if let Some(f) = finding.filter(|f| !findings.contains(f)) {
                findings.push(f);
            }
            let ext = if format == Format::Svg { "svg" } else { "png" };
            jobs.push((format!("{}.{ext}", kind.name()), kind, o));
        }
    }
    let charts = jobs
        .into_par_iter()
        .map(|(name, kind, o)| {
            Ok(Chart {
                bytes: charts::render(kind, &input, &o)?,
                caption: caption(kind, report),
                name,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let mut charts = charts;
    if report.kano.is_some() || report.expectations.is_some() {
        let (more, notes) = charts::needs::draw_all(&super::needs::NeedsReport::of_report(report))?;
        charts.extend(more);
        findings.extend(
            notes
                .into_iter()
                .filter(|f| !findings.contains(f))
                .collect::<Vec<_>>(),
        );
    }
    Ok((charts, findings))
}

/// Write the report folder into `dir`; the chart findings join the report's.
pub fn write(dir: &Path, loaded: &Loaded, report: &mut Report, look: &Look) -> Result<()> {
    let (charts, findings) = draw_all(loaded, report, look)?;
    for f in findings {
        report.add_finding(f);
    }
    let tables = super::tables::tables(report);
    let png: Vec<Chart> = charts
        .iter()
        .filter(|c| c.name.ends_with(".png"))
        .cloned()
        .collect();
    let md = super::document::markdown(report, &png);
    let html = super::document::html(report, &png);
    // Every file of this run, as (path, bytes); scores.csv is streamed.
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for c in &charts {
        files.push((dir.join("charts").join(&c.name), c.bytes.clone()));
    }
    for (k, t) in tables.iter().enumerate() {
        files.push((
            dir.join("tables").join(format!("{}.csv", t.id)),
            t.to_csv().into_bytes(),
        ));
        files.push((
            dir.join("tables").join(format!("{}.tex", t.id)),
            t.to_latex(k + 1).into_bytes(),
        ));
    }
    files.push((dir.join("report.md"), md.into_bytes()));
    files.push((dir.join("report.html"), html.into_bytes()));
    files.push((dir.join("results.json"), report.to_json().into_bytes()));
    // Dimension scores exist when the analysis scored dimensions (not for a structural model alone).
    let scores = (!report.dimensions.is_empty()).then(|| dir.join("scores.csv"));
    let write_scores_to = |w: &mut dyn std::io::Write| write_scores(loaded, w);
    let streamed = scores
        .as_deref()
        .map(|p| (p, &write_scores_to as &Streamed));
    write_files(dir, &files, &[loaded.responses.path.as_path()], streamed)
}

/// A file written from a stream instead of bytes in memory (scores.csv).
pub type Streamed<'a> = dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()> + 'a;

/// Write a report folder's files: none may replace an input (e.g. `analyze DIR/scores.csv --out DIR`), each
/// is written atomically, and the files an earlier run wrote and this one did not are removed.
pub fn write_files(
    dir: &Path,
    files: &[(PathBuf, Vec<u8>)],
    inputs: &[&Path],
    streamed: Option<(&Path, &Streamed)>,
) -> Result<()> {
    for path in files
        .iter()
        .map(|f| f.0.as_path())
        .chain(streamed.map(|s| s.0))
    {
        crate::output::not_an_input(path, inputs)?;
    }
    // The folder and the subfolders that receive files (no empty charts/ when no chart could be drawn).
    let mut subs: Vec<PathBuf> = vec![dir.to_path_buf()];
    for parent in files.iter().filter_map(|f| f.0.parent()) {
        if !subs.iter().any(|s| s == parent) {
            subs.push(parent.to_path_buf());
        }
    }
    for sub in subs {
        std::fs::create_dir_all(&sub).map_err(|e| crate::error::Error::Write {
            file: sub.clone(),
            message: e.to_string(),
        })?;
    }
    for (path, bytes) in files {
        write_atomic(path, bytes)?;
    }
    if let Some((path, write)) = streamed {
        write_atomic_with(path, |w| write(w))?;
    }
    let written: Vec<&Path> = files
        .iter()
        .map(|f| f.0.as_path())
        .chain(streamed.map(|s| s.0))
        .collect();
    remove_stale(dir, &written);
    Ok(())
}

/// Remove the report files (by perval's names) in `dir` that this run did not write.
fn remove_stale(dir: &Path, written: &[&Path]) {
    let ours = |p: &Path, folder: &str| {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        match folder {
            "charts" => name.ends_with(".png") || name.ends_with(".svg"),
            "tables" => {
                name.starts_with("table") && (name.ends_with(".csv") || name.ends_with(".tex"))
            }
            _ => matches!(
                name,
                "report.md" | "report.html" | "results.json" | "scores.csv"
            ),
        }
    };
    for (folder, path) in [
        ("", dir.to_path_buf()),
        ("charts", dir.join("charts")),
        ("tables", dir.join("tables")),
    ] {
        let Ok(entries) = std::fs::read_dir(&path) else {
            continue;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_file() && ours(&p, folder) && !written.contains(&p.as_path()) {
                let _ = std::fs::remove_file(&p);
            }
        }
    }
}
