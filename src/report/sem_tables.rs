//! The tables of a structural model (`sem`, or `analyze --model`): the measurement model (loadings, CR,
//! AVE), discriminant validity (√AVE, factor correlations, HTMT) and the structural paths and effects.

use super::tables::Table;
use super::Report;
use crate::apa::{apa, apa3, p_apa};

/// The structural model's tables, in a paper's order.
pub fn tables(r: &Report) -> Vec<Table> {
    [
        measurement(r),
        discriminant(r),
        structural(r),
        group_models(r),
        latent_means(r),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Each factor's indicators with b, SE, β, and its CR and AVE on its first row.
fn measurement(r: &Report) -> Option<Table> {
    let s = r.sem.as_ref()?;
    let m = &s.measurement;
    let mut rows = Vec::new();
    let mut last_factor = String::new();
    for p in s.parameters.iter().filter(|p| p.op == "=~") {
        let (indicator, Some(e)) = (&p.rhs, s.loadings.get(&p.rhs)) else {
            continue;
        };
        let first = p.lhs != last_factor;
        last_factor = p.lhs.clone();
        let num = |v: Option<f64>| v.map_or("—".to_string(), |x| format!("{x:.3}"));
        rows.push(vec![
            if first {
                r.dimension_label(&p.lhs).to_string()
            } else {
                String::new()
            },
            r.dimension_label(indicator).to_string(),
            format!("{:.3}", e.est),
            num(Some(e.se).filter(|x| x.is_finite())),
            apa(e.std_all),
            if first {
                m.composite_reliability
                    .get(&p.lhs)
                    .map_or("—".into(), |v| apa(*v))
            } else {
                String::new()
            },
            if first {
                m.ave.get(&p.lhs).map_or("—".into(), |v| apa(*v))
            } else {
                String::new()
            },
        ]);
    }
    if rows.is_empty() {
        return None;
    }
    let second = !s.structure.second_order.is_empty();
    Some(Table {
        id: "table_sem_measurement",
        title: "Structural model: measurement model".into(),
        header: ["Factor", "Indicator", "b", "SE", "β", "CR", "AVE"]
            .map(String::from)
            .to_vec(),
        rows,
        note: format!(
            "ML estimation (N = {}); b = unstandardized loading (— : the marker, fixed at 1), β = completely standardized loading. CR = (Σβ)² / ((Σβ)² + Σ(1 − β²)), AVE = mean β².{}",
            s.n,
            if second {
                " For a second-order factor β are its standardized loadings on the first-order factors (second-order CR and AVE)."
            } else {
                ""
            }
        ),
    })
}

/// The multi-group models (`--by`) with their fit and difference tests.
fn group_models(r: &Report) -> Option<Table> {
    let g = r.sem.as_ref()?.groups.as_ref()?;
    let rows = g
        .models
        .iter()
        .map(|(name, m)| {
            let f = &m.fit.indices;
            let test = match name.as_str() {
                "metric" => g
                    .tests
                    .get("metric_vs_configural")
                    .map(|t| ("configural", t)),
                "scalar" => g.tests.get("scalar_vs_metric").map(|t| ("metric", t)),
                "equal_paths" => g.tests.get("equal_paths_vs_metric").map(|t| ("metric", t)),
                _ => None,
            };
            vec![
                name.replace('_', " "),
                format!("{:.2}", f.chisq),
                f.df.to_string(),
                apa(f.cfi),
                apa3(f.rmsea),
                apa3(f.srmr),
                test.map_or(String::new(), |(against, t)| {
                    format!("vs {against}: Δχ²({}) = {:.2}", t.df_diff, t.chisq_diff)
                }),
                test.map_or(String::new(), |(_, t)| p_apa(t.p)),
            ]
        })
        .collect();
    Some(Table {
        id: "table_sem_groups",
        title: format!(
            "Structural model across {}: invariance and equal paths",
            g.noun()
        ),
        header: ["Model", "χ²", "df", "CFI", "RMSEA", "SRMR", "Test", "p"]
            .map(String::from)
            .to_vec(),
        rows,
        note: format!(
            "Multi-group ML ({}). Configural: every parameter per group; metric: equal loadings; scalar: equal loadings and intercepts{}, latent means free but in {}; equal paths: metric plus equal regressions. χ² difference tests as lavTestLRT.",
            g.groups
                .iter()
                .map(|name| format!("{name} n = {}", g.n[name]))
                .collect::<Vec<_>>()
                .join(", "),
            if g.partial.is_empty() {
                String::new()
            } else {
                format!(" (free: {})", g.partial.join(", "))
            },
            g.groups.first().map_or("", String::as_str)
        ),
    })
}

/// Latent means of the scalar model against the first group.
fn latent_means(r: &Report) -> Option<Table> {
    let g = r.sem.as_ref()?.groups.as_ref()?;
    let first = g.groups.first()?;
    let factors: Vec<&String> = g.latent_means.get(first)?.keys().collect();
    if factors.is_empty() {
        return None;
    }
    let mut rows = Vec::new();
    for name in g.groups.iter().skip(1) {
        for f in &factors {
            let Some(m) = g.latent_means.get(name).and_then(|x| x.get(*f)) else {
                continue;
            };
            let num = |v: Option<f64>| v.map_or("—".to_string(), |x| format!("{x:.3}"));
            rows.push(vec![
                name.clone(),
                r.dimension_label(f).to_string(),
                format!("{:.3}", m.est),
                num(m.se),
                m.p.map_or("—".into(), p_apa),
                m.d.map_or("—".into(), crate::apa::f2),
            ]);
        }
    }
    Some(Table {
        id: "table_sem_latent_means",
        title: format!("Latent means across {} (scalar model)", g.noun()),
        header: ["Group", "Factor", "Δ", "SE", "p", "d"].map(String::from).to_vec(),
        rows,
        note: format!(
            "Differences from {first} (fixed at 0); for an endogenous factor the difference in its intercept. d = difference / pooled latent SD (√ of the n-weighted mean of the groups' factor variances)."
        ),
    })
}

/// √AVE on the diagonal, factor correlations below it, HTMT above it.
fn discriminant(r: &Report) -> Option<Table> {
    let s = r.sem.as_ref()?;
    let m = &s.measurement;
    let names: Vec<&String> = m.fornell_larcker.keys().collect();
    if names.len() < 2 {
        return None;
    }
    let rows = names
        .iter()
        .map(|a| {
            let mut row = vec![r.dimension_label(a).to_string()];
            for b in &names {
                let cell = if a == b {
                    m.ave.get(*a).map(|v| apa(v.sqrt()))
                } else {
                    m.fornell_larcker[*a]
                        .get(*b)
                        .map(|v| apa(*v))
                        .or_else(|| m.htmt.get(*a).and_then(|h| h.get(*b)).map(|v| apa(*v)))
                };
                row.push(cell.unwrap_or_else(|| "—".into()));
            }
            row
        })
        .collect();
    let mut header = vec!["Factor".to_string()];
    header.extend(names.iter().map(|n| r.dimension_label(n).to_string()));
    Some(Table {
        id: "table_sem_discriminant",
        title: "Structural model: discriminant validity".into(),
        header,
        rows,
        note: format!(
            "Diagonal: √AVE; below: model-implied factor correlations (Fornell–Larcker: each below both √AVE); above: HTMT (Henseler et al., 2015; original, absolute item correlations), below {} (strict) or {} (liberal).",
            apa(crate::criteria::HTMT_MAX.value),
            apa(crate::criteria::HTMT_LIBERAL.value)
        ),
    })
}

/// Structural paths and defined effects: b, SE, β, p and the 95% interval (percentile bootstrap when run).
fn structural(r: &Report) -> Option<Table> {
    let s = r.sem.as_ref()?;
    let boot = s.bootstrap.as_ref();
    let mut rows = Vec::new();
    let row = |name: String, e: &crate::report::structural::Estimate, ci: [f64; 2]| {
        vec![
            name,
            format!("{:.3}", e.est),
            format!("{:.3}", e.se),
            apa(e.std_all),
            p_apa(e.p),
            format!("[{:.3}, {:.3}]", ci[0], ci[1]),
        ]
    };
    let label = |key: &str| -> String {
        match key.split_once(" -> ") {
            Some((x, y)) => format!("{} → {}", r.dimension_label(x), r.dimension_label(y)),
            None => key.to_string(),
        }
    };
    for (key, e) in &s.regressions {
        let ci = boot
            .and_then(|b| b.regressions.get(key))
            .map_or(e.ci95, |b| b.ci95);
        rows.push(row(label(key), e, ci));
    }
    let mc = s.monte_carlo.as_ref();
    for (name, d) in &s.defined {
        let ci = match mc.and_then(|m| m.defined.get(name)) {
            Some(ci) => *ci,
            None => boot
                .and_then(|b| b.defined.get(name))
                .map_or(d.estimate.ci95, |b| b.ci95),
        };
        rows.push(row(format!("{name} = {}", d.formula), &d.estimate, ci));
    }
    let f = &s.fit.indices;
    let r2: Vec<String> =
        s.r2.iter()
            .map(|(v, x)| format!("{} {}", r.dimension_label(v), apa(*x)))
            .collect();
    Some(Table {
        id: "table7_structural",
        title: "Structural model: paths and effects".into(),
        header: ["Path or effect", "b", "SE", "β", "p", "95% CI"]
            .map(String::from)
            .to_vec(),
        rows,
        note: format!(
            "ML estimation (N = {}); b = unstandardized, β = completely standardized estimate. Model fit: χ²({}) = {:.2}, CFI = {}, TLI = {}, RMSEA = {}, SRMR = {}. R²: {}. {}",
            s.n,
            f.df,
            f.chisq,
            apa(f.cfi),
            apa(f.tli),
            apa3(f.rmsea),
            apa3(f.srmr),
            r2.join(", "),
            match (boot, mc) {
                (_, Some(m)) => format!(
                    "Intervals of the defined effects: Monte Carlo ({} draws from the estimates' normal sampling distribution, seed {}; semTools' monteCarloCI); of the paths: {}.",
                    m.draws,
                    m.seed,
                    boot.map_or("Wald (est ± 1.96 SE)".to_string(), |b| format!("{} bootstrap ({} resamples)", b.ci_method, b.resamples))
                ),
                (Some(b), None) => format!(
                    "Intervals: {} bootstrap ({} resamples, {} converged); standard errors of defined effects by the delta method.",
                    b.ci_method, b.resamples, b.valid
                ),
                (None, None) => "Intervals: Wald (est ± 1.96 SE); standard errors of defined effects by the delta method.".into(),
            }
        ),
    })
}
