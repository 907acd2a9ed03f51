//! The report folder of `perval kano` and `perval expectations`: charts/ (PNG 300 dpi and SVG), tables/ (CSV
//! and LaTeX), report.md, report.html and results.json, all made in memory and then written atomically.

use super::needs::NeedsReport;
use super::outline::{Block, Outline};
use super::tables::Table;
use crate::error::Result;
use std::path::{Path, PathBuf};

/// The family's tables, in order.
fn tables(r: &NeedsReport) -> Vec<Table> {
    let mut out = Vec::new();
    if let Some(k) = &r.kano {
        out.extend(super::kano::tables(k));
    }
    if let Some(e) = &r.expectations {
        out.extend(super::expectations::tables(
            e,
            &r.instrument.dimension_labels,
        ));
    }
    out
}

/// The document both report.md and report.html render.
fn outline(r: &NeedsReport, charts: &[super::folder::Chart]) -> Outline {
    let mut blocks = vec![Block::Heading("Results".into())];
    let (title, en, zh) = match (&r.kano, &r.expectations) {
        (Some(k), _) => (
            "Kano needs",
            super::kano::prose(k, false),
            super::kano::prose(k, true),
        ),
        (None, Some(e)) => (
            "Zone of tolerance",
            super::expectations::prose(e, &r.instrument.dimension_labels, false),
            super::expectations::prose(e, &r.instrument.dimension_labels, true),
        ),
        (None, None) => ("Results", String::new(), String::new()),
    };
    blocks.push(Block::Paragraph {
        text: en,
        zh: false,
    });
    blocks.push(Block::Heading("结果(中文)".into()));
    blocks.push(Block::Paragraph { text: zh, zh: true });
    blocks.push(Block::Heading("Tables".into()));
    blocks.extend(tables(r).into_iter().map(Block::Table));
    blocks.push(Block::Heading("Figures".into()));
    blocks.extend(
        charts
            .iter()
            .filter(|c| c.name.ends_with(".png"))
            .cloned()
            .map(Block::Figure),
    );
    if !r.warnings.is_empty() {
        blocks.push(Block::Heading("Warnings".into()));
        blocks.push(Block::List(r.warnings.clone()));
    }
    blocks.push(Block::Heading("Settings".into()));
    let mut settings = vec![
        format!("perval {} (schema {})", r.perval_version, r.schema),
        format!("Instrument: {} ({})", r.instrument.name, r.instrument.id),
        format!(
            "Input: {} — {} respondents read",
            r.input.file, r.input.rows_read
        ),
    ];
    settings.extend(r.settings.iter().map(|(k, v)| format!("{k}: {v}")));
    blocks.push(Block::List(settings));
    Outline {
        title: format!("{title}: {}", r.instrument.name),
        blocks,
    }
}

/// Write the report folder into `dir`; nothing is written if any output would replace the input.
pub fn write(dir: &Path, input: &Path, report: &NeedsReport) -> Result<()> {
    let (charts, findings) = crate::charts::needs::draw_all(report)?;
    let mut report = report.clone();
    report.add_findings(findings);
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for c in &charts {
        files.push((dir.join("charts").join(&c.name), c.bytes.clone()));
    }
    for (k, t) in tables(&report).iter().enumerate() {
        files.push((
            dir.join("tables").join(format!("{}.csv", t.id)),
            t.to_csv().into_bytes(),
        ));
        files.push((
            dir.join("tables").join(format!("{}.tex", t.id)),
            t.to_latex(k + 1).into_bytes(),
        ));
    }
    let doc = outline(&report, &charts);
    files.push((dir.join("report.md"), doc.markdown().into_bytes()));
    files.push((dir.join("report.html"), doc.html().into_bytes()));
    files.push((dir.join("results.json"), report.to_json().into_bytes()));
    super::folder::write_files(dir, &files, &[input], None)
}
