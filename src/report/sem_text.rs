//! The structural model on the terminal: the fit line as a paper writes it, the regressions like lavaan's
//! summary (est, se, z, p, β), R², and the defined effects with their intervals.

use super::structural::SemBlock;
use super::Report;
use crate::apa::{apa, apa3, p_apa, p_clause};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};

fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    t.set_header(header.iter().map(Cell::new));
    t
}

fn right(s: String) -> Cell {
    Cell::new(s).set_alignment(CellAlignment::Right)
}

/// The fit line: "χ²(263) = 319.79, p = .009, CFI = .99, …".
pub fn fit_line(s: &SemBlock) -> String {
    let f = &s.fit.indices;
    format!(
        "χ²({}) = {:.2}, p {}, CFI = {}, TLI = {}, RMSEA = {}, 90% CI [{}, {}], SRMR = {}",
        f.df,
        f.chisq,
        p_clause(f.pvalue),
        apa(f.cfi),
        apa(f.tli),
        apa3(f.rmsea),
        apa3(f.rmsea_ci90[0]),
        apa3(f.rmsea_ci90[1]),
        apa3(f.srmr)
    )
}

pub fn render(r: &Report) -> String {
    let Some(s) = &r.sem else {
        return String::new();
    };
    let mut out = format!(
        "\nStructural model ({}; ML, N = {}{}): {}, AIC = {:.1}, BIC = {:.1}\n",
        s.model,
        s.n,
        if s.converged { "" } else { ", NOT CONVERGED" },
        fit_line(s),
        s.fit.indices.aic,
        s.fit.indices.bic
    );
    let boot = s.bootstrap.as_ref();
    let mut t = table(&["path", "est", "se", "z", "p", "β", "95% CI"]);
    for (path, e) in &s.regressions {
        let ci = boot
            .and_then(|b| b.regressions.get(path))
            .map_or(e.ci95, |b| b.ci95);
        t.add_row(vec![
            Cell::new(path),
            right(format!("{:.3}", e.est)),
            right(format!("{:.3}", e.se)),
            right(format!("{:.2}", e.z)),
            right(p_apa(e.p)),
            right(apa(e.std_all)),
            right(format!("[{:.3}, {:.3}]", ci[0], ci[1])),
        ]);
    }
    out += &format!(
        "Regressions (β = standardized; 95% CI {})\n{t}\n",
        if boot.is_some() {
            "percentile bootstrap"
        } else {
            "Wald"
        }
    );
    if !s.r2.is_empty() {
        let r2: Vec<String> =
            s.r2.iter()
                .map(|(v, x)| format!("{v} {}", apa(*x)))
                .collect();
        out += &format!("R²: {}\n", r2.join(", "));
    }
    if !s.defined.is_empty() {
        let mut t = table(&["effect", "formula", "est", "se", "p", "β", "95% CI"]);
        for (name, d) in &s.defined {
            let e = &d.estimate;
            let ci = boot
                .and_then(|b| b.defined.get(name))
                .map_or(e.ci95, |b| b.ci95);
            t.add_row(vec![
                Cell::new(name),
                Cell::new(&d.formula),
                right(format!("{:.3}", e.est)),
                right(format!("{:.3}", e.se)),
                right(p_apa(e.p)),
                right(apa(e.std_all)),
                right(format!("[{:.3}, {:.3}]", ci[0], ci[1])),
            ]);
        }
        out += &format!(
            "Defined effects (se by the delta method; 95% CI {})\n{t}\n",
            if boot.is_some() {
                "percentile bootstrap"
            } else {
                "Wald"
            }
        );
    }
    if let Some(b) = boot {
        out += &format!(
            "Bootstrap: {} resamples (seed {}), {} converged, {} left out, {} with a negative variance\n",
            b.resamples, b.seed, b.valid, b.failed, b.nonadmissible
        );
    }
    if !s.modification_indices.is_empty() {
        let mut t = table(&["parameter", "MI", "EPC"]);
        for mi in s.modification_indices.iter().take(5) {
            t.add_row(vec![
                Cell::new(format!("{} {} {}", mi.lhs, mi.op, mi.rhs)),
                right(format!("{:.2}", mi.mi)),
                right(format!("{:.3}", mi.epc)),
            ]);
        }
        out += &format!("Largest modification indices\n{t}\n");
    }
    out += &format!(
        "Estimation: ML, normal likelihood, standard errors from the {} information, the first indicator of each factor its marker, exogenous latent variables covarying (lavaan::sem defaults); missing data {}.\n",
        s.information, s.missing
    );
    out
}
