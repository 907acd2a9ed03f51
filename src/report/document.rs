//! The report documents: report.md (charts linked) and report.html (self-contained: charts embedded as data
//! URIs, nothing loaded from the network). Both render the same [`Report`].

use super::flags::{flags, Flag};
use super::prose::results;
use super::tables::{html_escape, md_escape, tables};
use super::Report;
use base64::Engine;

/// The drawn charts.
pub type ChartFiles = [super::folder::Chart];

fn settings_lines(r: &Report) -> Vec<String> {
    let s = &r.settings;
    let mut v = vec![
        format!("perval {} (schema {})", r.perval_version, r.schema),
        format!(
            "Instrument: {} ({}){}",
            r.instrument.name,
            r.instrument.id,
            r.instrument
                .citation
                .as_deref()
                .map(|c| format!("; {c}"))
                .unwrap_or_default()
        ),
        format!(
            "Input: {} — {} read, {} used, {} left out",
            r.input.file, r.input.rows_read, r.input.rows_used, r.input.rows_dropped
        ),
        format!("Missing data: {}", s.missing_policy),
    ];
    if !r.instrument.reverse_keyed.is_empty() {
        v.push(format!(
            "Reverse-keyed items ({}): {}",
            r.instrument.reverse_keyed.join(", "),
            s.reverse_scoring
        ));
    }
    if r.factorability.is_some() || r.cfa.is_some() {
        v.push(format!("Correlations: {}", s.correlation));
        v.push(format!("Factor analyses on: {}", s.factor_rows));
    }
    if r.efa.is_some() {
        v.push(format!(
            "EFA: {} extraction, {} rotation, {} factors",
            s.efa_method, s.efa_rotation, s.efa_factors
        ));
    }
    if let Some(c) = &r.cfa {
        v.push(format!("CFA: {}", s.cfa_estimator));
        if let Some(m) = &c.missing_data {
            v.push(format!(
                "CFA: {}; standard errors from the observed information",
                m.sentence()
            ));
        }
    }
    if let Some(sem) = &r.sem {
        v.push(format!(
            "Structural model ({}): ML, normal likelihood, {} information, marker-variable identification, exogenous latent variables covarying (lavaan::sem defaults); missing data {}; N = {}",
            sem.model, sem.information, sem.missing, sem.n
        ));
        if let Some(b) = &sem.bootstrap {
            v.push(format!(
                "Structural bootstrap: {} resamples, seed {}, percentile intervals; {} converged, {} left out",
                b.resamples, b.seed, b.valid, b.failed
            ));
        }
    }
    if let Some(p) = &r.pls {
        v.push(format!(
            "{} path model ({}): {}, indicators z-scored (SD with n − 1), initial weights 1, {} weighting, mode A for =~ and mode B for <~, stop at a summed absolute weight change < {:e} (at most {} iterations; {} {}); listwise, n = {}",
            p.algorithm,
            p.model,
            if p.algorithm.is_consistent() { "consistent PLS (Dijkstra & Henseler, 2015)" } else { "Lohmöller's PLS algorithm as SmartPLS and seminr" },
            p.weighting,
            p.tolerance,
            p.max_iterations,
            if p.converged { "converged after" } else { "NOT converged after" },
            p.iterations,
            p.n
        ));
        if let Some(b) = &p.bootstrap {
            v.push(format!(
                "PLS bootstrap: {} resamples, seed {}; {} estimated, {} left out; {}",
                b.resamples, b.seed, b.valid, b.failed, b.ci_method
            ));
        }
    }
    if let Some(pa) = &r.parallel_analysis {
        v.push(format!(
            "Parallel analysis: {} random data sets, seed {}, {:.0}th percentile",
            pa.iterations,
            pa.seed,
            pa.percentile * 100.0
        ));
    }
    if let Some(b) = &s.bootstrap {
        v.push(format!(
            "Bootstrap: {} resamples, seed {}, {}",
            b.replicates, b.seed, b.interval
        ));
    }
    v
}

fn flag_rows(f: &[Flag]) -> Vec<[String; 5]> {
    f.iter()
        .map(|x| {
            [
                x.check.clone(),
                x.value.clone(),
                x.meaning.to_string(),
                x.source.to_string(),
                x.try_next.to_string(),
            ]
        })
        .collect()
}

/// report.md
pub fn markdown(r: &Report, charts: &ChartFiles) -> String {
    let (en, zh) = results(r);
    let mut out = format!("# Perceived value: {}\n\n", md_escape(&r.instrument.name));
    out += "## Results\n\n";
    out += &format!("{}\n\n", md_escape(&en));
    out += "## 结果(中文)\n\n";
    out += &format!("{}\n\n", md_escape(&zh));
    let fl = flags(r);
    out += "## Quality flags\n\n";
    if fl.is_empty() {
        out += "No check failed.\n\n";
    } else {
        out += "| Check | Value | What it means | Source | What to try |\n|:--|:--|:--|:--|:--|\n";
        for row in flag_rows(&fl) {
            out += &format!(
                "| {} |\n",
                row.iter()
                    .map(|c| md_escape(c))
                    .collect::<Vec<_>>()
                    .join(" | ")
            );
        }
        out += "\n";
    }
    out += "## Tables\n\n";
    for (k, t) in tables(r).iter().enumerate() {
        out += &t.to_markdown(k + 1);
        out += "\n";
    }
    out += "## Figures\n\n";
    for (k, super::folder::Chart { name, caption, .. }) in charts.iter().enumerate() {
        let caption = md_escape(caption).replace(['[', ']'], "");
        out += &format!(
            "**Figure {}.** {caption}\n\n![{caption}](charts/{name})\n\n",
            k + 1
        );
    }
    if !r.warnings.is_empty() {
        out += "## Warnings\n\n";
        for w in &r.warnings {
            out += &format!("- {}\n", md_escape(w));
        }
        out += "\n";
    }
    out += "## Settings and software\n\n";
    for l in settings_lines(r) {
        out += &format!("- {}\n", md_escape(&l));
    }
    out
}

pub(crate) const CSS: &str = ".nw{white-space:nowrap}body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}\
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}th,td{padding:.2rem .6rem;text-align:right}\
td.l,th.l,th:first-child{text-align:left}thead th{border-top:2px solid #222;border-bottom:1px solid #222}\
tbody tr:last-child td{border-bottom:2px solid #222}.note{font-size:.85rem;color:#444}figure{margin:1.5rem 0}\
figure img{max-width:100%;height:auto;border:1px solid #eee}.flags td{text-align:left;vertical-align:top}\
.warn li{margin:.2rem 0}.settings li{font-size:.9rem}";

/// report.html — self-contained.
pub fn html(r: &Report, charts: &ChartFiles) -> String {
    let e = html_escape;
    let (en, zh) = results(r);
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{CSS}</style></head><body>\n",
        e(&format!("perval report — {}", r.instrument.name))
    );
    out += &format!("<h1>Perceived value: {}</h1>\n", e(&r.instrument.name));
    out += &format!(
        "<h2>Results</h2>\n<p>{}</p>\n<h2 lang=\"zh\">结果(中文)</h2>\n<p lang=\"zh\">{}</p>\n",
        e(&en),
        e(&zh)
    );
    let fl = flags(r);
    out += "<h2>Quality flags</h2>\n";
    if fl.is_empty() {
        out += "<p>No check failed.</p>\n";
    } else {
        out += "<table class=\"flags\"><thead><tr><th>Check</th><th>Value</th><th>What it means</th><th>Source</th><th>What to try</th></tr></thead><tbody>\n";
        for row in flag_rows(&fl) {
            out += &format!(
                "<tr>{}</tr>\n",
                row.iter()
                    .map(|c| format!("<td>{}</td>", e(c)))
                    .collect::<String>()
            );
        }
        out += "</tbody></table>\n";
    }
    out += "<h2>Tables</h2>\n";
    for (k, t) in tables(r).iter().enumerate() {
        out += &t.to_html(k + 1);
    }
    out += "<h2>Figures</h2>\n";
    for (
        k,
        super::folder::Chart {
            name,
            caption,
            bytes,
        },
    ) in charts.iter().enumerate()
    {
        let mime = if name.ends_with(".svg") {
            "image/svg+xml"
        } else {
            "image/png"
        };
        let data = base64::engine::general_purpose::STANDARD.encode(bytes);
        out += &format!(
            "<figure><img alt=\"{}\" src=\"data:{mime};base64,{data}\"><figcaption><b>Figure {}.</b> {}</figcaption></figure>\n",
            e(caption),
            k + 1,
            e(caption)
        );
    }
    if !r.warnings.is_empty() {
        out += "<h2>Warnings</h2>\n<ul class=\"warn\">\n";
        for w in &r.warnings {
            out += &format!("<li>{}</li>\n", e(w));
        }
        out += "</ul>\n";
    }
    out += "<h2>Settings and software</h2>\n<ul class=\"settings\">\n";
    for l in settings_lines(r) {
        out += &format!("<li>{}</li>\n", e(&l));
    }
    out += "</ul>\n";
    // Lets a headless browser test confirm that every embedded chart decoded.
    out += "<script>window.addEventListener('load',function(){var n=0;document.querySelectorAll('img').forEach(function(i){if(i.naturalWidth>0)n++});document.body.setAttribute('data-images-loaded',String(n));});</script>\n";
    out += "</body></html>\n";
    out
}
