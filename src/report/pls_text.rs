//! The PLS path model on the terminal, in the order of SmartPLS's report: paths (with f², VIF and the
//! bootstrap), R², indirect effects, the measurement model, reliability and validity, discriminant validity
//! (HTMT, Fornell–Larcker), SRMR, PLSpredict, the importance–performance map, and every setting.

use super::pls::{BootEstimate, PlsBlock};
use super::terminal::{right, table};
use super::Report;
use crate::apa::p_apa;
use comfy_table::Cell;

fn f3(x: f64) -> Cell {
    right(if x.is_finite() {
        format!("{x:.3}")
    } else {
        "—".into()
    })
}

fn interval(ci: [f64; 2]) -> Cell {
    right(format!("[{:.3}, {:.3}]", ci[0], ci[1]))
}

/// Bootstrap columns of one estimate: SD, t, p, percentile and BCa intervals.
fn boot_cells(b: Option<&BootEstimate>) -> Vec<Cell> {
    match b {
        Some(b) => vec![
            f3(b.sd),
            right(format!("{:.2}", b.t)),
            right(p_apa(b.p)),
            interval(b.ci95),
            b.bca95.map_or_else(|| Cell::new("—"), interval),
        ],
        None => Vec::new(),
    }
}

const BOOT_HEADER: [&str; 5] = ["SD", "t", "p", "95% CI", "95% BCa"];

pub fn render(r: &Report) -> String {
    let Some(p) = &r.pls else {
        return String::new();
    };
    let boot = p.bootstrap.as_ref();
    let mut out = format!(
        "\n{} path model ({}; {} weighting; n = {}; {})\n",
        p.algorithm,
        p.model,
        p.weighting,
        p.n,
        if p.converged {
            format!("converged after {} iterations", p.iterations)
        } else {
            format!("NOT CONVERGED after {} iterations", p.iterations)
        }
    );
    let with_boot = |base: &[&'static str]| -> Vec<&'static str> {
        let mut h = base.to_vec();
        if boot.is_some() {
            h.extend(BOOT_HEADER);
        }
        h
    };
    let mut t = table(&with_boot(&["path", "β", "f²", "VIF"]));
    for (path, beta) in &p.paths {
        let vif = p.path_vif(path);
        let mut row = vec![
            Cell::new(path),
            f3(*beta),
            f3(p.f2[path]),
            right(format!("{vif:.2}")),
        ];
        row.extend(boot_cells(boot.and_then(|b| b.paths.get(path))));
        t.add_row(row);
    }
    out += &format!("Path coefficients\n{t}\n");
    let r2: Vec<String> =
        p.r2.iter()
            .map(|(c, v)| format!("{c} {v:.3} (adjusted {:.3})", p.r2_adj[c]))
            .collect();
    out += &format!("R²: {}\n", r2.join(", "));
    if !p.effects.indirect.is_empty() || !p.defined.is_empty() {
        let mut t = table(&with_boot(&["effect", "estimate"]));
        let rows = p
            .effects
            .indirect
            .iter()
            .map(|(k, v)| {
                (
                    format!("{k} (total indirect)"),
                    *v,
                    boot.and_then(|b| b.indirect.get(k)),
                )
            })
            .chain(
                p.effects
                    .specific
                    .iter()
                    .map(|(k, v)| (k.clone(), *v, boot.and_then(|b| b.specific.get(k)))),
            )
            .chain(
                p.defined
                    .iter()
                    .map(|(k, v)| (format!("{k} (:=)"), *v, boot.and_then(|b| b.defined.get(k)))),
            );
        for (name, v, b) in rows {
            let mut row = vec![Cell::new(name), f3(v)];
            row.extend(boot_cells(b));
            t.add_row(row);
        }
        out += &format!("Indirect effects (specific: the product of the chain's paths)\n{t}\n");
    }
    out += &measurement(p);
    out += &validity(p);
    if let Some(pr) = &p.predict {
        let mut t = table(&["indicator", "Q²predict", "RMSE", "MAE", "LM RMSE", "LM MAE"]);
        for (item, row) in &pr.indicators {
            t.add_row(vec![
                Cell::new(item),
                f3(row.q2_predict),
                f3(row.rmse),
                f3(row.mae),
                f3(row.lm_rmse),
                f3(row.lm_mae),
            ]);
        }
        out += &format!(
            "PLSpredict ({} folds × {} repetitions, seed {}; {} antecedents; PLS has the lower RMSE for {} of {} indicators)\n{t}\n",
            pr.folds,
            pr.repetitions,
            pr.seed,
            pr.approach,
            pr.pls_better,
            pr.indicators.len()
        );
    }
    for (target, points) in &p.ipma {
        let mut t = table(&["construct", "importance", "performance"]);
        for (c, pt) in points {
            t.add_row(vec![
                Cell::new(c),
                f3(pt.importance),
                right(format!("{:.1}", pt.performance)),
            ]);
        }
        out += &format!(
            "Importance–performance map for {target} (importance = unstandardized total effect; performance 0–100)\n{t}\n"
        );
    }
    if let Some(g) = &p.ipma_groups {
        let constructs: Vec<&String> = g
            .maps
            .values()
            .next()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        let mut header = vec!["construct".to_string()];
        for (group, n) in &g.n {
            header.push(format!("{group} (n = {n})"));
        }
        let mut t = table(&header.iter().map(String::as_str).collect::<Vec<_>>());
        for c in constructs {
            let mut row = vec![Cell::new(c)];
            for m in g.maps.values() {
                row.push(right(m.get(c).map_or("—".into(), |pt| {
                    format!("{:.3} / {:.1}", pt.importance, pt.performance)
                })));
            }
            t.add_row(row);
        }
        out += &format!(
            "Importance / performance for {} by {} (the model estimated within each group)\n{t}\n",
            g.target, g.by
        );
    }
    if let Some(b) = boot {
        let why: Vec<String> = b
            .failed_reasons
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect();
        out += &format!(
            "Bootstrap: {} resamples (seed {}), {} estimated, {} left out{}; {}.\n",
            b.resamples,
            b.seed,
            b.valid,
            b.failed,
            if why.is_empty() {
                String::new()
            } else {
                format!(" ({})", why.join(", "))
            },
            b.ci_method
        );
    }
    out += &format!(
        "Estimation: {}; indicators z-scored (SD with n − 1), initial weights 1, {} weighting, mode A for =~ and mode B for <~, stop when the summed absolute weight change < {:e} (at most {} iterations); respondents complete on the model's indicators (listwise){}.\n",
        if p.algorithm.is_consistent() { "PLSc (Dijkstra & Henseler 2015: mode A constructs corrected with ρ_A)" } else { "PLS (Lohmöller's algorithm, as SmartPLS and seminr)" },
        p.weighting,
        p.tolerance,
        p.max_iterations,
        if p.algorithm.is_consistent() { "; f², VIF and SRMR from the disattenuated construct correlations" } else { "" }
    );
    out
}

/// Outer loadings and weights, with the outer VIF.
fn measurement(p: &PlsBlock) -> String {
    let boot = p.bootstrap.as_ref();
    let mut header = vec!["construct", "indicator", "loading", "weight", "VIF"];
    if boot.is_some() {
        header.extend(["loading 95% CI", "weight 95% CI"]);
    }
    let mut t = table(&header);
    for (c, info) in &p.constructs {
        for item in &info.indicators {
            let mut row = vec![
                Cell::new(format!("{c} ({})", info.mode)),
                Cell::new(item),
                f3(p.outer_loadings[item]),
                f3(p.outer_weights[item]),
                right(format!("{:.2}", p.outer_vif[item])),
            ];
            if let Some(b) = boot {
                row.push(
                    b.outer_loadings
                        .get(item)
                        .map_or(Cell::new("—"), |e| interval(e.ci95)),
                );
                row.push(
                    b.outer_weights
                        .get(item)
                        .map_or(Cell::new("—"), |e| interval(e.ci95)),
                );
            }
            t.add_row(row);
        }
    }
    format!("Measurement model (mode A: =~, mode B: <~)\n{t}\n")
}

/// Reliability, convergent and discriminant validity, SRMR.
fn validity(p: &PlsBlock) -> String {
    let mut t = table(&["construct", "α", "ρ_A", "ρ_C", "AVE"]);
    for (c, r) in &p.reliability {
        t.add_row(vec![
            Cell::new(c),
            f3(r.alpha),
            f3(r.rho_a),
            f3(r.rho_c),
            f3(r.ave),
        ]);
    }
    let mut out =
        format!("Reliability and convergent validity (α of the standardized indicators)\n{t}\n");
    let names: Vec<&String> = p.constructs.keys().collect();
    let lookup =
        |m: &indexmap::IndexMap<String, indexmap::IndexMap<String, f64>>, a: &str, b: &str| {
            m.get(a)
                .and_then(|r| r.get(b))
                .or_else(|| m.get(b).and_then(|r| r.get(a)))
                .copied()
        };
    let mut header = vec![""];
    header.extend(names.iter().map(|s| s.as_str()));
    let mut h = table(&header);
    let mut fl = table(&header);
    for (i, a) in names.iter().enumerate() {
        let mut hr = vec![Cell::new(a)];
        let mut fr = vec![Cell::new(a)];
        for (j, b) in names.iter().enumerate() {
            let (hv, fv) = match i.cmp(&j) {
                std::cmp::Ordering::Greater => (
                    lookup(&p.htmt, a, b),
                    lookup(&p.construct_correlations, a, b),
                ),
                std::cmp::Ordering::Equal => (None, Some(p.reliability[a.as_str()].ave.sqrt())),
                std::cmp::Ordering::Less => (None, None),
            };
            hr.push(hv.map_or(Cell::new(""), f3));
            fr.push(fv.map_or(Cell::new(""), f3));
        }
        h.add_row(hr);
        fl.add_row(fr);
    }
    out += &format!(
        "HTMT (original, absolute correlations; < .85 supports discriminant validity)\n{h}\n"
    );
    if let Some(b) = &p.bootstrap {
        let mut t = table(&[
            "pair",
            "HTMT",
            "95% CI",
            "one-sided 95% upper",
            "p(HTMT ≥ .85)",
            "p(HTMT ≥ .90)",
        ]);
        for (pair, e) in b
            .htmt
            .iter()
            .flat_map(|(a, row)| row.iter().map(move |(b, e)| (format!("{a} – {b}"), e)))
        {
            t.add_row(vec![
                Cell::new(pair),
                f3(e.estimate),
                interval(e.ci95),
                f3(e.upper95),
                right(p_apa(e.p_below_085)),
                right(p_apa(e.p_below_090)),
            ]);
        }
        out += &format!("HTMT bootstrap (discriminant validity holds where the one-sided upper bound is below the threshold)\n{t}\n");
    }
    out += &format!("Fornell–Larcker (√AVE on the diagonal, construct correlations below)\n{fl}\n");
    if let Some(s) = p.srmr {
        out += &format!("SRMR (estimated model) = {s:.3}\n");
    }
    out
}
