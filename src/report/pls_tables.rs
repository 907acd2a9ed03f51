//! APA tables of a PLS path model: measurement (loadings, weights, VIF, α, ρ_A, ρ_C, AVE), discriminant
//! validity (HTMT below the diagonal, √AVE and Fornell–Larcker correlations above), the structural model
//! (β, f², VIF, bootstrap), PLSpredict and the importance–performance map.

use super::pls::PlsBlock;
use super::tables::Table;
use super::Report;
use crate::apa::{apa, apa3, p_apa};

/// The PLS tables that apply, in order.
pub fn tables(r: &Report) -> Vec<Table> {
    let Some(p) = &r.pls else { return Vec::new() };
    let mut out = vec![measurement(r, p), discriminant(r, p), structural(r, p)];
    if let Some(pr) = &p.predict {
        out.push(Table {
            id: "table11_pls_predict",
            title: "PLSpredict: out-of-sample prediction of the endogenous indicators".into(),
            header: ["Indicator", "Q²predict", "RMSE PLS", "RMSE LM", "MAE PLS", "MAE LM"].map(String::from).to_vec(),
            rows: pr
                .indicators
                .iter()
                .map(|(item, x)| {
                    vec![item.clone(), apa3(x.q2_predict), format!("{:.3}", x.rmse), format!("{:.3}", x.lm_rmse), format!("{:.3}", x.mae), format!("{:.3}", x.lm_mae)]
                })
                .collect(),
            note: format!(
                "{}-fold cross-validation, {} repetitions (seed {}), predictions from the {} antecedents averaged over the repetitions; LM = each indicator regressed on all indicators of the exogenous constructs; Q²predict against the training-sample mean. PLS has the lower RMSE for {} of {} indicators (Shmueli et al., 2019).",
                pr.folds, pr.repetitions, pr.seed, pr.approach, pr.pls_better, pr.indicators.len()
            ),
        });
    }
    out.extend(ipma(r));
    out
}

fn label(r: &Report, c: &str) -> String {
    r.construct_label(c).to_string()
}

fn measurement(r: &Report, p: &PlsBlock) -> Table {
    let mut rows = Vec::new();
    for (c, info) in &p.constructs {
        let rel = &p.reliability[c];
        for (k, item) in info.indicators.iter().enumerate() {
            let first = k == 0;
            let cell = |x: f64| if first { apa3(x) } else { String::new() };
            rows.push(vec![
                if first {
                    format!("{} ({})", label(r, c), info.mode)
                } else {
                    String::new()
                },
                item.clone(),
                apa3(p.outer_loadings[item]),
                apa3(p.outer_weights[item]),
                format!("{:.2}", p.outer_vif[item]),
                cell(rel.alpha),
                cell(rel.rho_a),
                cell(rel.rho_c),
                cell(rel.ave),
            ]);
        }
    }
    Table {
        id: "table8_pls_measurement",
        title: format!("{} measurement model: loadings, weights, reliability and convergent validity", p.algorithm),
        header: ["Construct (mode)", "Indicator", "Loading", "Weight", "VIF", "α", "ρ_A", "ρ_C", "AVE"].map(String::from).to_vec(),
        rows,
        note: format!(
            "n = {}. Mode A (=~): correlation weights; mode B (<~): regression weights. α of the standardized indicators; ρ_A after Dijkstra and Henseler (2015); ρ_C and AVE from the {}loadings. VIF among the indicators of the construct.",
            p.n,
            if p.algorithm.is_consistent() { "consistent " } else { "" }
        ),
    }
}

fn discriminant(r: &Report, p: &PlsBlock) -> Table {
    let names: Vec<&String> = p.constructs.keys().collect();
    let get =
        |m: &indexmap::IndexMap<String, indexmap::IndexMap<String, f64>>, a: &str, b: &str| {
            m.get(a)
                .and_then(|x| x.get(b))
                .or_else(|| m.get(b).and_then(|x| x.get(a)))
                .copied()
        };
    let rows = names
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let mut row = vec![label(r, a)];
            for (j, b) in names.iter().enumerate() {
                row.push(match i.cmp(&j) {
                    std::cmp::Ordering::Greater => get(&p.htmt, a, b).map_or("—".into(), apa),
                    std::cmp::Ordering::Equal => {
                        format!("({})", apa(p.reliability[a.as_str()].ave.sqrt()))
                    }
                    std::cmp::Ordering::Less => {
                        get(&p.construct_correlations, a, b).map_or(String::new(), apa)
                    }
                });
            }
            row
        })
        .collect();
    let mut header = vec!["Construct".to_string()];
    header.extend(names.iter().map(|n| label(r, n)));
    let boot_note = p.bootstrap.as_ref().map_or(String::new(), |b| {
        let worst = b
            .htmt
            .iter()
            .flat_map(|(a, row)| row.iter().map(move |(c, e)| (a, c, e)))
            .max_by(|x, y| x.2.upper95.total_cmp(&y.2.upper95));
        worst.map_or(String::new(), |(a, c, e)| {
            format!(
                " Bootstrap ({} resamples): the largest one-sided 95% upper bound of HTMT is {} ({} – {}){}.",
                b.resamples,
                apa3(e.upper95),
                label(r, a),
                label(r, c),
                if e.upper95 < crate::criteria::HTMT_MAX.value {
                    format!(", below {} for every pair", crate::apa::apa(crate::criteria::HTMT_MAX.value))
                } else {
                    String::new()
                }
            )
        })
    });
    Table {
        id: "table9_pls_discriminant",
        title: "Discriminant validity: HTMT and the Fornell–Larcker criterion".into(),
        header,
        rows,
        note: format!(
            "Below the diagonal: HTMT (Henseler et al., 2015; original, absolute correlations; < .85 supports discriminant validity). Diagonal: √AVE. Above: construct correlations{} (Fornell–Larcker: each below the √AVE of both).{boot_note}",
            if p.algorithm.is_consistent() { ", disattenuated" } else { "" }
        ),
    }
}

fn structural(r: &Report, p: &PlsBlock) -> Table {
    let boot = p.bootstrap.as_ref();
    let arrow = |key: &str| match key.split_once(" -> ") {
        Some(_) => key
            .split(" -> ")
            .map(|c| label(r, c))
            .collect::<Vec<_>>()
            .join(" → "),
        None => key.to_string(),
    };
    let ci = |e: Option<&super::pls::BootEstimate>| -> [String; 4] {
        match e {
            Some(e) => [
                format!("{:.3}", e.sd),
                p_apa(e.p),
                format!("[{:.3}, {:.3}]", e.ci95[0], e.ci95[1]),
                e.bca95
                    .map_or("—".into(), |c| format!("[{:.3}, {:.3}]", c[0], c[1])),
            ],
            None => Default::default(),
        }
    };
    let mut rows = Vec::new();
    for (key, beta) in &p.paths {
        let vif = p.path_vif(key);
        let mut row = vec![
            arrow(key),
            format!("{beta:.3}"),
            apa3(p.f2[key]),
            format!("{vif:.2}"),
        ];
        row.extend(ci(boot.and_then(|b| b.paths.get(key))));
        rows.push(row);
    }
    for (key, v) in &p.effects.specific {
        let mut row = vec![
            format!("{} (indirect)", arrow(key)),
            format!("{v:.3}"),
            String::new(),
            String::new(),
        ];
        row.extend(ci(boot.and_then(|b| b.specific.get(key))));
        rows.push(row);
    }
    let mut header = ["Path or effect", "β", "f²", "VIF"]
        .map(String::from)
        .to_vec();
    if boot.is_some() {
        header.extend(["SD", "p", "95% CI", "95% BCa"].map(String::from));
    } else {
        for row in &mut rows {
            row.truncate(4);
        }
    }
    let r2: Vec<String> =
        p.r2.iter()
            .map(|(c, v)| {
                format!(
                    "{} {} (adjusted {})",
                    label(r, c),
                    apa(*v),
                    apa(p.r2_adj[c])
                )
            })
            .collect();
    Table {
        id: "table10_pls_structural",
        title: format!("{} structural model: path coefficients and indirect effects", p.algorithm),
        header,
        rows,
        note: format!(
            "n = {}; {} weighting. f² from the full model's construct correlations (SmartPLS, cSEM); VIF among the predictors of the outcome. R²: {}.{}{}",
            p.n,
            p.weighting,
            r2.join(", "),
            p.srmr.map_or(String::new(), |s| format!(" SRMR (estimated model) = {}.", apa3(s))),
            match boot {
                Some(b) => format!(
                    " Bootstrap: {} resamples (seed {}, {} estimated); p two-sided from t = β/SD on B − 1 df; percentile and bias-corrected and accelerated (BCa) intervals.",
                    b.resamples, b.seed, b.valid
                ),
                None => " Run with --bootstrap 5000 for standard errors and intervals.".into(),
            }
        ),
    }
}

fn ipma(r: &Report) -> Option<Table> {
    let p = r.pls.as_ref()?;
    let (target, points) = p.ipma.iter().next()?;
    let mut header = ["Construct", "Importance", "Performance"]
        .map(String::from)
        .to_vec();
    let groups = p.ipma_groups.as_ref();
    if let Some(g) = groups {
        for (name, n) in &g.n {
            header.push(format!("{name} (n = {n})"));
        }
    }
    let rows = points
        .iter()
        .map(|(c, pt)| {
            let mut row = vec![
                label(r, c),
                format!("{:.3}", pt.importance),
                format!("{:.1}", pt.performance),
            ];
            if let Some(g) = groups {
                for m in g.maps.values() {
                    row.push(m.get(c).map_or("—".into(), |x| {
                        format!("{:.3} / {:.1}", x.importance, x.performance)
                    }));
                }
            }
            row
        })
        .collect();
    Some(Table {
        id: "table12_pls_ipma",
        title: format!("Importance–performance map for {}", label(r, target)),
        header,
        rows,
        note: format!(
            "Importance: unstandardized total effect on {}; performance: mean construct score rescaled to 0–100 with the scale's bounds (Ringle & Sarstedt, 2016).{}",
            label(r, target),
            groups.map_or(String::new(), |g| format!(" By {}: importance / performance from the model estimated within each group.", g.by))
        ),
    })
}
