//! The structural model on the terminal: the fit line as a paper writes it, the regressions like lavaan's
//! summary (est, se, z, p, β), R², and the defined effects with their intervals.

use super::terminal::{right, table};
use super::Report;
use crate::apa::{apa, p_apa};
use comfy_table::Cell;

pub fn render(r: &Report) -> String {
    let Some(s) = &r.sem else {
        return String::new();
    };
    let mut out = format!(
        "\nStructural model ({}; ML, N = {}{}): {}, AIC = {:.1}, BIC = {:.1}\n",
        s.model,
        s.n,
        if s.converged { "" } else { ", NOT CONVERGED" },
        crate::apa::fit_line(&s.fit.indices),
        s.fit.indices.aic,
        s.fit.indices.bic
    );
    if let Some(m) = &s.missing_data {
        out += &format!("{}.\n", m.sentence());
    }
    out += &measurement(s);
    let boot = s.bootstrap.as_ref();
    let boot_name = boot.map_or("Wald", |b| {
        if b.ci_method.starts_with("bias") {
            "bias-corrected bootstrap"
        } else {
            "percentile bootstrap"
        }
    });
    let mut header = vec!["path", "est", "se", "z", "p", "β", "95% CI"];
    if boot.is_some() {
        header.push("β 95% CI");
    }
    let mut t = table(&header);
    for (path, e) in &s.regressions {
        let b = boot.and_then(|b| b.regressions.get(path));
        let ci = b.map_or(e.ci95, |b| b.ci95);
        let std_ci = b.and_then(|b| b.std_ci95);
        let mut row = vec![
            Cell::new(path),
            right(num3(e.est)),
            right(num3(e.se)),
            right(if e.z.is_finite() {
                format!("{:.2}", e.z)
            } else {
                "—".into()
            }),
            right(p_apa(e.p)),
            right(apa(e.std_all)),
            right(interval3(ci)),
        ];
        if boot.is_some() {
            row.push(right(std_ci.map_or("—".into(), interval3)));
        }
        t.add_row(row);
    }
    out += &format!("Regressions (β = standardized; 95% CI {boot_name})\n{t}\n");
    if !s.r2.is_empty() {
        let r2: Vec<String> =
            s.r2.iter()
                .map(|(v, x)| format!("{v} {}", apa(*x)))
                .collect();
        out += &format!("R²: {}\n", r2.join(", "));
    }
    if !s.defined.is_empty() {
        let mc = s.monte_carlo.as_ref();
        let mut t = table(&["effect", "formula", "est", "se", "p", "β", "95% CI"]);
        for (name, d) in &s.defined {
            let e = &d.estimate;
            let ci = match mc.and_then(|m| m.defined.get(name)) {
                Some(ci) => *ci,
                None => boot
                    .and_then(|b| b.defined.get(name))
                    .map_or(e.ci95, |b| b.ci95),
            };
            t.add_row(vec![
                Cell::new(name),
                Cell::new(&d.formula),
                right(num3(e.est)),
                right(num3(e.se)),
                right(p_apa(e.p)),
                right(apa(e.std_all)),
                right(interval3(ci)),
            ]);
        }
        let ci_name = match mc {
            Some(m) => format!("Monte Carlo, {} draws, seed {}", m.draws, m.seed),
            None => boot_name.to_string(),
        };
        out += &format!("Defined effects (se by the delta method; 95% CI {ci_name})\n{t}\n");
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
    if let Some(c) = &s.comparison {
        out += &comparison(s, c);
    }
    if let Some(g) = &s.groups {
        out += &groups(g);
    }
    let covariates = if s.structure.covariates.is_empty() {
        String::new()
    } else {
        format!(
            "; observed covariates {} with their variances and covariances fixed at the sample values and not covarying with the factors (fixed.x, lavaan's default), logL and AIC/BIC given the covariates",
            s.structure.covariates.join(", ")
        )
    };
    out += &format!(
        "Estimation: ML, normal likelihood, standard errors from the {} information, the first indicator of each factor its marker, exogenous latent variables covarying (lavaan::sem defaults){covariates}; missing data {}.\n",
        s.information, s.missing
    );
    out
}

/// The measurement model: each factor's loadings with CR and AVE, then discriminant validity in one line.
fn measurement(s: &super::structural::SemBlock) -> String {
    let m = &s.measurement;
    let mut t = table(&["factor", "indicator", "est", "se", "z", "β", "CR", "AVE"]);
    let mut last = "";
    for p in s.parameters.iter().filter(|p| p.op == "=~") {
        let Some(e) = s.loadings.get(&p.rhs) else {
            continue;
        };
        let first = p.lhs != last;
        last = &p.lhs;
        let on_first = |v: Option<&f64>| {
            if first {
                v.map_or("—".into(), |x| apa(*x))
            } else {
                String::new()
            }
        };
        t.add_row(vec![
            Cell::new(if first { p.lhs.as_str() } else { "" }),
            Cell::new(&p.rhs),
            right(num3(e.est)),
            right(if e.se.is_finite() {
                num3(e.se)
            } else {
                "(marker)".into()
            }),
            right(if e.z.is_finite() {
                format!("{:.2}", e.z)
            } else {
                String::new()
            }),
            right(apa(e.std_all)),
            right(on_first(m.composite_reliability.get(&p.lhs))),
            right(on_first(m.ave.get(&p.lhs))),
        ]);
    }
    if last.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "Measurement model (β = standardized loading; CR = (Σβ)² / ((Σβ)² + Σ(1 − β²)), AVE = mean β²{})\n{t}\n",
        if s.structure.second_order.is_empty() {
            ""
        } else {
            "; a second-order factor's β are its loadings on the first-order factors"
        }
    );
    let htmt = m
        .htmt
        .iter()
        .flat_map(|(a, row)| row.iter().map(move |(b, h)| (a, b, *h)))
        .max_by(|x, y| x.2.total_cmp(&y.2));
    if let Some((a, b, h)) = htmt {
        let limit = crate::criteria::HTMT_MAX.value;
        let fl_fail: Vec<String> = m
            .fornell_larcker
            .iter()
            .flat_map(|(a, row)| {
                row.iter()
                    .filter(move |(b, _)| *b != a)
                    .filter(|(b, corr)| {
                        let sa = m.ave.get(a).map(|v| v.sqrt());
                        let sb = m.ave.get(*b).map(|v| v.sqrt());
                        matches!((sa, sb), (Some(x), Some(y)) if corr.abs() > x.min(y))
                    })
                    .map(move |(b, _)| format!("{b}–{a}"))
            })
            .collect();
        out += &format!(
            "Discriminant validity: largest HTMT {} ({a}–{b}){}; Fornell–Larcker {}\n",
            apa(h),
            if h < limit {
                format!(", every pair below {}", apa(limit))
            } else {
                format!(", above {}", apa(limit))
            },
            if fl_fail.is_empty() {
                "holds for every pair (each factor correlation below both √AVE)".to_string()
            } else {
                format!("fails for {}", fl_fail.join(", "))
            }
        );
    }
    out
}

/// The paths across groups: the models and their tests (measurement first), then each path by group.
fn groups(g: &super::structural::SemGroups) -> String {
    let mut out = format!(
        "\nPaths across {} ({}; multi-group ML with free intercepts)\n",
        g.noun(),
        g.groups
            .iter()
            .map(|name| format!("{name} n = {}", g.n[name]))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut t = table(&["model", "χ²", "df", "CFI", "RMSEA", "SRMR", "test", "p"]);
    for (name, m) in &g.models {
        let f = &m.fit.indices;
        let (test, against) = match name.as_str() {
            "metric" => (g.tests.get("metric_vs_configural"), "configural"),
            "scalar" => (g.tests.get("scalar_vs_metric"), "metric"),
            "equal_paths" => (g.tests.get("equal_paths_vs_metric"), "metric"),
            _ => (None, ""),
        };
        t.add_row(vec![
            Cell::new(name.replace('_', " ")),
            right(format!("{:.2}", f.chisq)),
            right(f.df.to_string()),
            right(format!("{:.3}", f.cfi)),
            right(format!("{:.3}", f.rmsea)),
            right(format!("{:.3}", f.srmr)),
            right(test.map_or(String::new(), |x| {
                format!("vs {against}: Δχ²({}) = {:.2}", x.df_diff, x.chisq_diff)
            })),
            right(test.map_or(String::new(), |x| p_apa(x.p))),
        ]);
    }
    out += &format!("{t}\n");
    if !g.partial.is_empty() {
        out += &format!(
            "Scalar model with partial invariance: the intercepts of {} are free in every group.\n",
            g.partial.join(", ")
        );
    }
    out += &latent_means(g);
    let mut header = vec!["path".to_string()];
    header.extend(g.groups.iter().map(|name| format!("β {name}")));
    header.extend(["equal across groups: Δχ²(df)".to_string(), "p".to_string()]);
    let mut t = table(&header.iter().map(String::as_str).collect::<Vec<_>>());
    let paths: Vec<&String> = g
        .regressions
        .values()
        .next()
        .map(|r| r.keys().collect())
        .unwrap_or_default();
    for path in paths {
        let mut row = vec![Cell::new(path)];
        for name in &g.groups {
            let e = &g.regressions[name][path];
            let mark = if e.p < crate::criteria::SIGNIFICANCE {
                "*"
            } else {
                ""
            };
            row.push(right(format!("{}{mark}", apa(e.std_all))));
        }
        match g.path_tests.get(path) {
            Some(x) => {
                row.push(right(format!("{:.2} ({})", x.chisq_diff, x.df_diff)));
                row.push(right(p_apa(x.p)));
            }
            None => row.extend([Cell::new("equal by label"), Cell::new("")]),
        }
        t.add_row(row);
    }
    out += &format!(
        "Paths by group in the metric model (standardized within each group; * p < .05), each tested for equality alone\n{t}\n"
    );
    out
}

/// The two models side by side, the χ² difference test, ΔCFI, ΔRMSEA, AIC and BIC.
fn comparison(s: &super::structural::SemBlock, c: &super::structural::ModelComparison) -> String {
    let mut t = table(&["model", "χ²", "df", "CFI", "RMSEA", "SRMR", "AIC", "BIC"]);
    for (name, f) in [(&s.model, &s.fit.indices), (&c.model, &c.fit.indices)] {
        t.add_row(vec![
            Cell::new(name),
            right(format!("{:.2}", f.chisq)),
            right(f.df.to_string()),
            right(format!("{:.3}", f.cfi)),
            right(format!("{:.3}", f.rmsea)),
            right(format!("{:.3}", f.srmr)),
            right(format!("{:.1}", f.aic)),
            right(format!("{:.1}", f.bic)),
        ]);
    }
    let mut out = format!("\nModel comparison (same {} respondents)\n{t}\n", s.n);
    if !c.converged {
        out += "The alternative model did not converge: no comparison is made.\n";
        return out;
    }
    match (&c.test, &c.restricted) {
        (Some(x), Some(restricted)) => {
            out += &format!(
                "χ² difference test (lavTestLRT; valid when one model is nested in the other — perval does not check nesting): Δχ²({}) = {:.2}, p {}; {} {}.\n",
                x.df_diff,
                x.chisq_diff,
                p_apa(x.p),
                restricted,
                if x.p < crate::criteria::SIGNIFICANCE {
                    "(the more restricted model) fits significantly worse"
                } else {
                    "(the more restricted model) fits no worse: prefer it for parsimony"
                }
            );
        }
        _ => out += "Both models have the same df: they are not nested, so only AIC and BIC compare them.\n",
    }
    out += &format!(
        "ΔCFI = {:+.3}, ΔRMSEA = {:+.3}, ΔAIC = {:+.1}, ΔBIC = {:+.1} ({} − {}); lower AIC: {}, lower BIC: {}.\n",
        c.delta_cfi,
        c.delta_rmsea,
        c.delta_aic,
        c.delta_bic,
        c.model,
        s.model,
        c.lower_aic.as_deref().unwrap_or("—"),
        c.lower_bic.as_deref().unwrap_or("—"),
    );
    out
}

/// The scalar model's latent means against the first group, and the intercepts most worth freeing.
fn latent_means(g: &super::structural::SemGroups) -> String {
    let Some(first) = g.groups.first() else {
        return String::new();
    };
    let factors: Vec<&String> = g
        .latent_means
        .get(first)
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    if factors.is_empty() {
        return String::new();
    }
    let mut header = vec!["factor".to_string()];
    header.extend(
        g.groups
            .iter()
            .skip(1)
            .map(|name| format!("{name} − {first}")),
    );
    let mut t = table(&header.iter().map(String::as_str).collect::<Vec<_>>());
    for f in factors {
        let mut row = vec![Cell::new(f)];
        for name in g.groups.iter().skip(1) {
            let cell = g.latent_means.get(name).and_then(|m| m.get(f)).map_or(
                "—".to_string(),
                |m| match (m.se, m.p, m.d) {
                    (Some(se), Some(p), Some(d)) => format!(
                        "{} (SE {}), p {}, d = {}",
                        num3(m.est),
                        num3(se),
                        p_apa(p),
                        crate::apa::f2(d)
                    ),
                    _ => num3(m.est),
                },
            );
            row.push(right(cell));
        }
        t.add_row(row);
    }
    let mut out = format!(
        "Latent means in the scalar model ({first} fixed at 0; for an endogenous factor its intercept; d = difference / pooled latent SD)\n{t}\n"
    );
    let mut tests: Vec<(&String, &super::structural::InterceptTest)> =
        g.intercept_tests.iter().collect();
    tests.sort_by(|a, b| b.1.chisq.total_cmp(&a.1.chisq));
    let significant: Vec<String> = tests
        .iter()
        .filter(|(_, t)| t.p < crate::criteria::SIGNIFICANCE)
        .take(5)
        .map(|(item, t)| format!("{item} χ²({}) = {:.2}, p {}", t.df, t.chisq, p_apa(t.p)))
        .collect();
    if !significant.is_empty() {
        out += &format!(
            "Intercepts that differ between groups (score tests of the scalar model, lavTestScore): {}; to free the largest, add --partial {}\n",
            significant.join("; "),
            tests[0].0
        );
    } else if !tests.is_empty() {
        out += "Score tests of the scalar model's intercept equalities: none significant at .05.\n";
    }
    out
}

/// Three decimals; "—" for a number that could not be computed (NaN, ∞).
fn num3(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.3}")
    } else {
        "—".into()
    }
}

/// "[lo, hi]" to three decimals; "—" when the interval could not be computed.
fn interval3(ci: [f64; 2]) -> String {
    if ci.iter().all(|v| v.is_finite()) {
        format!("[{:.3}, {:.3}]", ci[0], ci[1])
    } else {
        "—".into()
    }
}
