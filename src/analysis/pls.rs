//! Section: a PLS path model (`perval pls`) as SmartPLS and seminr estimate it, on the respondents who
//! answered every indicator of the model: weights, loadings, paths, R², f², VIF, effects, reliability,
//! HTMT, SRMR, the bootstrap (percentile and BCa), PLSpredict and the importance–performance map, overall
//! and (with `--by`) per group.

use super::{Findings, Options};
use crate::data::Responses;
use crate::error::{Error, Result};
use crate::findings::Finding;
use crate::instrument::Instrument;
use crate::model::pls::PlsModel;
use crate::progress::step;
use crate::report::pls::*;
use crate::scoring::Scored;
use crate::stats::pls::bootstrap::{self as boot, Summary};
use crate::stats::pls::predict::{self, Approach};
use crate::stats::pls::{self, ipma, quality, Estimate, Failure, Mode, Settings, Spec};
use crate::stats::quantiles::quantile7;
use indexmap::IndexMap;
use nalgebra::{DMatrix, DVector};
use std::collections::BTreeMap;

/// What `perval pls` asks for.
#[derive(Debug, Clone)]
pub struct PlsOptions {
    pub model: PlsModel,
    /// PLSc (Dijkstra & Henseler 2015) for the mode A constructs.
    pub consistent: bool,
    pub settings: Settings,
    /// PLSpredict; None leaves it out.
    pub predict: Option<PredictOptions>,
    /// The IPMA's target construct (default: the last construct with no outgoing path).
    pub target: Option<String>,
}

/// PLSpredict's settings (SmartPLS: 10 folds, 10 repetitions).
#[derive(Debug, Clone, Copy)]
pub struct PredictOptions {
    pub folds: usize,
    pub repetitions: usize,
    pub approach: Approach,
    /// Seed of the fold assignments.
    pub seed: u64,
}

/// HTMT thresholds of the one-sided test (Henseler et al. 2015; Franke & Sarstedt 2019).
const HTMT_STRICT: f64 = 0.85;
const HTMT_LIBERAL: f64 = 0.90;
/// Jackknife groups for the BCa acceleration: leave-one-out up to this many respondents, else this many
/// groups of respondents left out in turn.
const JACKKNIFE_GROUPS: usize = 1000;
/// Inner VIF above this signals collinearity among a construct's predictors (Hair et al. 2019).
const VIF_MAX: f64 = 5.0;

/// The estimated numbers the section reports, PLS or PLSc.
struct Solution {
    est: Estimate,
    cor: DMatrix<f64>,
    beta: DMatrix<f64>,
    r2: Vec<f64>,
    loadings: Vec<f64>,
}

fn solve(spec: &Spec, r: &DMatrix<f64>, o: &PlsOptions) -> std::result::Result<Solution, Failure> {
    let est = pls::estimate(spec, r, &o.settings)?;
    if !o.consistent {
        return Ok(Solution {
            cor: est.construct_cor.clone(),
            beta: est.beta.clone(),
            r2: est.r2.clone(),
            loadings: est.outer_loadings(spec),
            est,
        });
    }
    let rho = rho_a_all(spec, r, &est);
    if let Some(j) = rho
        .iter()
        .position(|v| v.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater))
    {
        return Err(Failure::NonPositiveRhoA(j));
    }
    let c = pls::consistent(spec, &est, &rho)?;
    Ok(Solution {
        cor: c.construct_cor,
        beta: c.beta,
        r2: c.r2,
        loadings: c.loadings,
        est,
    })
}

fn rho_a_all(spec: &Spec, r: &DMatrix<f64>, est: &Estimate) -> Vec<f64> {
    let w = est.outer_weights(spec);
    spec.blocks
        .iter()
        .enumerate()
        .map(|(j, b)| {
            if spec.modes[j] == Mode::B || b.len() == 1 {
                1.0
            } else {
                quality::rho_a(r, b, &b.iter().map(|&i| w[i]).collect::<Vec<_>>())
            }
        })
        .collect()
}

/// The model's indicators of the complete rows (n × p, reverse-keyed), and the rows' positions in `scored`.
fn data(
    model: &PlsModel,
    instrument: &Instrument,
    scored: &Scored,
    rows: Option<&[usize]>,
) -> Result<(DMatrix<f64>, Vec<usize>)> {
    let cols = super::sem::item_columns(&model.observed, instrument)?;
    let candidates: Vec<usize> = match rows {
        Some(r) => r.to_vec(),
        None => (0..scored.rows.len()).collect(),
    };
    let used: Vec<usize> = candidates
        .into_iter()
        .filter(|&k| cols.iter().all(|&j| !scored.items.is_missing(k, j)))
        .collect();
    let x = DMatrix::from_fn(used.len(), cols.len(), |i, j| {
        scored.items.value(used[i], cols[j])
    });
    Ok((x, used))
}

fn failure_message(model: &PlsModel, f: &Failure, what: &str) -> Error {
    Error::Usage(match f {
        Failure::ConstantConstruct(j) => format!(
            "{what}: the construct '{}' has no variance (its indicators do not vary)\n  fix: check the answers of {}",
            model.constructs[*j],
            model.spec.blocks[*j].iter().map(|&i| model.observed[i].as_str()).collect::<Vec<_>>().join(", ")
        ),
        Failure::Singular(j) => format!(
            "{what}: a matrix around '{}' is singular (collinear predictors, or collinear indicators of a mode B construct)\n  fix: drop a redundant indicator or predictor",
            model.constructs[*j]
        ),
        Failure::NonPositiveRhoA(j) => format!(
            "{what}: PLSc needs ρ_A > 0, and ρ_A of '{}' is not (its indicators correlate negatively or not at all)\n  fix: check the reverse keying of {}, or estimate without --consistent",
            model.constructs[*j],
            model.spec.blocks[*j].iter().map(|&i| model.observed[i].as_str()).collect::<Vec<_>>().join(", ")
        ),
    })
}

pub(super) fn section(
    o: &PlsOptions,
    instrument: &Instrument,
    responses: &Responses,
    scored: &Scored,
    options: &Options,
    findings: &mut Findings,
) -> Result<PlsBlock> {
    let model = &o.model;
    let spec = &model.spec;
    let (x, _) = data(model, instrument, scored, None)?;
    let n = x.nrows();
    if n < 3 {
        return Err(Error::Usage(format!("only {n} respondents answered every indicator of the model: PLS needs more\n  fix: check the model's items, or collect more responses")));
    }
    let (r, _, sds) = pls::correlations(&x);
    if let Some(j) =
        (0..sds.len()).find(|&j| sds[j].partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater))
    {
        return Err(Error::Usage(format!(
            "the indicator '{}' has the same answer from all {n} respondents: it cannot be standardized\n  fix: leave it out of the model",
            model.observed[j]
        )));
    }
    let sol =
        solve(spec, &r, o).map_err(|f| failure_message(model, &f, "PLS estimation failed"))?;
    let est = &sol.est;
    if !est.converged {
        findings.push(Finding::PlsNotConverged {
            iterations: est.weight_updates,
        });
    }
    let names = &model.constructs;
    let items = &model.observed;
    let path_names = model.path_names();
    let weights = est.outer_weights(spec);
    let rho = rho_a_all(spec, &r, est);
    if o.consistent {
        for (i, l) in sol.loadings.iter().enumerate() {
            if l.abs() > 1.0 {
                findings.push(Finding::PlsLoadingAboveOne {
                    item: items[i].clone(),
                    loading: *l,
                });
            }
        }
    }
    let reliability = quality::reliability(spec, &r, est, &sol.loadings);
    let total = quality::total_effects(&sol.beta);
    let pair = |a: usize, b: usize| format!("{} -> {}", names[a], names[b]);
    let m = spec.constructs();
    let effect_pairs: Vec<(usize, usize)> = (0..m)
        .flat_map(|a| (0..m).map(move |b| (a, b)))
        .filter(|&(a, b)| a != b && reaches(spec, a, b))
        .collect();
    let indirect_pairs: Vec<(usize, usize)> = effect_pairs
        .iter()
        .copied()
        .filter(|&(a, b)| {
            (total[(a, b)] - sol.beta[(a, b)]).abs() > 0.0 && chains_longer_than_one(spec, a, b)
        })
        .collect();
    let specific = quality::specific_indirect(spec, &sol.beta);
    let chain_name = |c: &[usize]| {
        c.iter()
            .map(|&k| names[k].as_str())
            .collect::<Vec<_>>()
            .join(" -> ")
    };
    let htmt_pairs = quality::htmt_pairs(spec, &r);
    let mut htmt: IndexMap<String, IndexMap<String, f64>> = IndexMap::new();
    for ((a, b), v) in &htmt_pairs {
        if let Some(v) = v {
            htmt.entry(names[*a].clone())
                .or_default()
                .insert(names[*b].clone(), *v);
            if *v > HTMT_STRICT {
                findings.push(Finding::HighHtmt {
                    a: names[*a].clone(),
                    b: names[*b].clone(),
                    htmt: *v,
                });
            }
        }
    }
    for (j, rel) in reliability.iter().enumerate() {
        if spec.modes[j] == Mode::A && spec.blocks[j].len() > 1 {
            if rel.rho_c < crate::criteria::CR_MIN.value {
                findings.push(Finding::LowCompositeReliability {
                    dimension: names[j].clone(),
                    cr: rel.rho_c,
                });
            }
            if rel.ave < crate::criteria::AVE_MIN.value {
                findings.push(Finding::LowAve {
                    dimension: names[j].clone(),
                    ave: rel.ave,
                });
            }
        }
    }
    let inner_vif = quality::inner_vif(spec, &sol.cor);
    let mut vif: IndexMap<String, IndexMap<String, f64>> = IndexMap::new();
    for (k, &(xc, yc)) in spec.paths.iter().enumerate() {
        vif.entry(names[yc].clone())
            .or_default()
            .insert(names[xc].clone(), inner_vif[k]);
        if inner_vif[k] > VIF_MAX {
            findings.push(Finding::PlsCollinearity {
                outcome: names[yc].clone(),
                predictor: names[xc].clone(),
                vif: inner_vif[k],
            });
        }
    }
    let f2 = quality::f_squared(spec, &sol.cor, &sol.r2);
    let outer_vif = quality::outer_vif(spec, &r);
    let defined_values = model.evaluate_defined(&|k| {
        let (a, b) = spec.paths[k];
        sol.beta[(a, b)]
    });
    let bootstrap = match options.bootstrap {
        Some((resamples, seed)) => Some(bootstrap_block(
            o,
            &x,
            &htmt_pairs,
            &effect_pairs,
            &indirect_pairs,
            &specific,
            resamples,
            seed,
            options,
            findings,
        )?),
        None => None,
    };
    let predict = match o.predict {
        Some(PredictOptions {
            folds,
            repetitions: reps,
            approach,
            seed,
        }) if n >= 2 * folds => {
            let assignments: Vec<Vec<usize>> = (0..reps)
                .map(|rep| predict::random_folds(n, folds, seed, rep))
                .collect();
            let rows = predict::cross_validate(&x, spec, &o.settings, approach, &assignments)
                .map_err(|f| failure_message(model, &f, "PLSpredict failed in a training fold"))?;
            let indicators: IndexMap<String, PredictRow> = rows
                .iter()
                .map(|p| {
                    (
                        items[p.indicator].clone(),
                        PredictRow {
                            rmse: p.pls.rmse,
                            mae: p.pls.mae,
                            lm_rmse: p.lm.rmse,
                            lm_mae: p.lm.mae,
                            q2_predict: p.q2_predict,
                        },
                    )
                })
                .collect();
            let pls_better = rows.iter().filter(|p| p.pls.rmse < p.lm.rmse).count();
            if pls_better * 2 < rows.len() {
                findings.push(Finding::PlsWeakPrediction {
                    better: pls_better,
                    indicators: rows.len(),
                });
            }
            Some(PlsPredict {
                folds,
                repetitions: reps,
                seed,
                approach: match approach {
                    Approach::Earliest => "earliest",
                    Approach::Direct => "direct",
                }
                .into(),
                benchmark: "lm".into(),
                indicators,
                pls_better,
            })
        }
        _ => None,
    };
    let target = ipma_target(model, o.target.as_deref())?;
    let bounds = scale_bounds(instrument, model, &x);
    let ipma_of = |x: &DMatrix<f64>, sol: &Solution| -> IndexMap<String, IpmaPoint> {
        let (_, means, _) = pls::correlations(x);
        let cov = covariance(x, &means);
        ipma::map(spec, &sol.est, &sol.beta, &means, &cov, &bounds, target)
            .points
            .iter()
            .map(|(j, p)| {
                (
                    names[*j].clone(),
                    IpmaPoint {
                        importance: p.importance,
                        performance: p.performance,
                    },
                )
            })
            .collect()
    };
    let ipma_overall = ipma_of(&x, &sol);
    let ipma_groups = match (&options.by, &responses.group) {
        (Some(by), Some(group)) => {
            let mut members: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for (k, &row) in scored.rows.iter().enumerate() {
                if let Some(label) = group.codes[row].map(|c| &group.labels[c as usize]) {
                    members.entry(label.clone()).or_default().push(k);
                }
            }
            let mut maps = IndexMap::new();
            let mut counts = IndexMap::new();
            for (label, rows) in members {
                let (xg, _) = data(model, instrument, scored, Some(&rows))?;
                let (rg, _, sdg) = pls::correlations(&xg);
                let fitted = if xg.nrows() < 3
                    || sdg
                        .iter()
                        .any(|s| s.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater))
                {
                    None
                } else {
                    solve(spec, &rg, o).ok()
                };
                match fitted {
                    Some(s) => {
                        maps.insert(label.clone(), ipma_of(&xg, &s));
                        counts.insert(label, xg.nrows());
                    }
                    None => findings.push(Finding::PlsGroupSkipped {
                        by: by.clone(),
                        group: label,
                        n: xg.nrows(),
                    }),
                }
            }
            Some(IpmaGroups {
                by: by.clone(),
                target: names[target].clone(),
                n: counts,
                maps,
            })
        }
        _ => None,
    };
    Ok(PlsBlock {
        algorithm: if o.consistent { "PLSc" } else { "PLS" }.into(),
        weighting: o.settings.weighting.name().into(),
        iterations: est.weight_updates,
        converged: est.converged,
        tolerance: o.settings.tolerance,
        max_iterations: o.settings.max_iterations,
        model: model.origin.clone(),
        missing: "listwise".into(),
        n,
        constructs: names
            .iter()
            .enumerate()
            .map(|(j, c)| {
                (
                    c.clone(),
                    ConstructInfo {
                        label: model.construct_labels[j].clone(),
                        label_translated: model.translated_labels[j].clone(),
                        mode: match spec.modes[j] {
                            Mode::A => "A",
                            Mode::B => "B",
                        }
                        .into(),
                        indicators: spec.blocks[j].iter().map(|&i| items[i].clone()).collect(),
                        from_instrument: model.from_instrument.contains(c),
                    },
                )
            })
            .collect(),
        outer_weights: items.iter().cloned().zip(weights.iter().copied()).collect(),
        outer_loadings: items
            .iter()
            .cloned()
            .zip(sol.loadings.iter().copied())
            .collect(),
        cross_loadings: items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                (
                    item.clone(),
                    names
                        .iter()
                        .enumerate()
                        .map(|(j, c)| (c.clone(), est.cross_loadings[(i, j)]))
                        .collect(),
                )
            })
            .collect(),
        outer_vif: items.iter().cloned().zip(outer_vif).collect(),
        paths: path_names
            .iter()
            .cloned()
            .zip(spec.paths.iter().map(|&(a, b)| sol.beta[(a, b)]))
            .collect(),
        r2: spec
            .endogenous()
            .iter()
            .map(|&j| (names[j].clone(), sol.r2[j]))
            .collect(),
        r2_adj: spec
            .endogenous()
            .iter()
            .map(|&j| {
                (
                    names[j].clone(),
                    quality::r2_adjusted(sol.r2[j], n, spec.predecessors(j).len()),
                )
            })
            .collect(),
        f2: path_names.iter().cloned().zip(f2).collect(),
        effects: Effects {
            total: effect_pairs
                .iter()
                .map(|&(a, b)| (pair(a, b), total[(a, b)]))
                .collect(),
            indirect: indirect_pairs
                .iter()
                .map(|&(a, b)| (pair(a, b), total[(a, b)] - sol.beta[(a, b)]))
                .collect(),
            specific: specific.iter().map(|(c, v)| (chain_name(c), *v)).collect(),
        },
        defined: model
            .defined
            .iter()
            .map(|d| d.name.clone())
            .zip(defined_values)
            .collect(),
        reliability: names
            .iter()
            .zip(&reliability)
            .zip(&rho)
            .map(|((c, rel), _)| {
                (
                    c.clone(),
                    ConstructReliability {
                        alpha: rel.alpha,
                        rho_a: rel.rho_a,
                        rho_c: rel.rho_c,
                        ave: rel.ave,
                    },
                )
            })
            .collect(),
        htmt,
        construct_correlations: (0..m)
            .map(|a| {
                (
                    names[a].clone(),
                    (a + 1..m)
                        .map(|b| (names[b].clone(), sol.cor[(a, b)]))
                        .collect(),
                )
            })
            .filter(|(_, v): &(String, IndexMap<String, f64>)| !v.is_empty())
            .collect(),
        vif,
        srmr: quality::srmr(spec, &r, &sol.cor, &sol.beta, &sol.loadings),
        bootstrap,
        predict,
        ipma: IndexMap::from([(names[target].clone(), ipma_overall)]),
        ipma_groups,
    })
}

/// Whether a directed chain leads from a to b.
fn reaches(spec: &Spec, a: usize, b: usize) -> bool {
    let mut stack = vec![a];
    let mut seen = vec![false; spec.constructs()];
    while let Some(k) = stack.pop() {
        for &(f, t) in &spec.paths {
            if f == k && !seen[t] {
                if t == b {
                    return true;
                }
                seen[t] = true;
                stack.push(t);
            }
        }
    }
    false
}

/// Whether a chain of two or more paths leads from a to b.
fn chains_longer_than_one(spec: &Spec, a: usize, b: usize) -> bool {
    spec.paths
        .iter()
        .any(|&(f, t)| f == a && t != b && reaches(spec, t, b))
}

fn covariance(x: &DMatrix<f64>, means: &DVector<f64>) -> DMatrix<f64> {
    let mut c = x.clone();
    for (j, mut col) in c.column_iter_mut().enumerate() {
        col.add_scalar_mut(-means[j]);
    }
    c.tr_mul(&c) / (x.nrows() as f64 - 1.0)
}

/// The IPMA target: the named construct, or the last construct with no outgoing path.
fn ipma_target(model: &PlsModel, name: Option<&str>) -> Result<usize> {
    let spec = &model.spec;
    match name {
        Some(t) => model.constructs.iter().position(|c| c == t).filter(|&j| spec.paths.iter().any(|p| p.1 == j)).ok_or_else(|| {
            Error::Usage(format!(
                "--target '{t}' is not an endogenous construct of the model\n  fix: choose one of {}",
                spec.endogenous().iter().map(|&j| model.constructs[j].as_str()).collect::<Vec<_>>().join(", ")
            ))
        }),
        None => Ok((0..spec.constructs())
            .rev()
            .find(|&j| spec.paths.iter().any(|p| p.1 == j) && !spec.paths.iter().any(|p| p.0 == j))
            .unwrap_or(spec.constructs() - 1)),
    }
}

/// Each indicator's scale bounds: the instrument's scale, or (columns without one) the observed range.
fn scale_bounds(instrument: &Instrument, model: &PlsModel, x: &DMatrix<f64>) -> Vec<(f64, f64)> {
    let s = &instrument.scale;
    (0..model.observed.len())
        .map(|j| {
            if s.min.is_finite() && s.max.is_finite() {
                (s.min, s.max)
            } else {
                let col = x.column(j);
                (col.min(), col.max())
            }
        })
        .collect()
}

/// Where each reported quantity sits in a draw's vector.
struct Layout {
    paths: usize,
    total: usize,
    indirect: usize,
    specific: usize,
    defined: usize,
    loadings: usize,
    weights: usize,
    htmt: usize,
}

#[allow(clippy::too_many_arguments)]
fn bootstrap_block(
    o: &PlsOptions,
    x: &DMatrix<f64>,
    htmt_pairs: &[((usize, usize), Option<f64>)],
    effect_pairs: &[(usize, usize)],
    indirect_pairs: &[(usize, usize)],
    specific: &[(Vec<usize>, f64)],
    resamples: usize,
    seed: u64,
    options: &Options,
    findings: &mut Findings,
) -> Result<PlsBootstrap> {
    let model = &o.model;
    let spec = &model.spec;
    let p = spec.indicators();
    let htmt_defined: Vec<(usize, usize)> = htmt_pairs
        .iter()
        .filter(|(_, v)| v.is_some())
        .map(|(ab, _)| *ab)
        .collect();
    // Where each block of statistics starts in a draw's vector.
    let sizes = [
        spec.paths.len(),
        effect_pairs.len(),
        indirect_pairs.len(),
        specific.len(),
        model.defined.len(),
        p,
        p,
    ];
    let start = |block: usize| sizes[..block].iter().sum::<usize>();
    let l = Layout {
        paths: start(0),
        total: start(1),
        indirect: start(2),
        specific: start(3),
        defined: start(4),
        loadings: start(5),
        weights: start(6),
        htmt: start(7),
    };
    let statistic =
        |r: &DMatrix<f64>| -> std::result::Result<Vec<f64>, Failure> {
            let s = solve(spec, r, o)?;
            let total = quality::total_effects(&s.beta);
            let mut v: Vec<f64> = spec.paths.iter().map(|&(a, b)| s.beta[(a, b)]).collect();
            v.extend(effect_pairs.iter().map(|&(a, b)| total[(a, b)]));
            v.extend(
                indirect_pairs
                    .iter()
                    .map(|&(a, b)| total[(a, b)] - s.beta[(a, b)]),
            );
            v.extend(
                quality::specific_indirect(spec, &s.beta)
                    .iter()
                    .map(|c| c.1),
            );
            v.extend(model.evaluate_defined(&|k| {
                let (a, b) = spec.paths[k];
                s.beta[(a, b)]
            }));
            v.extend(s.loadings.iter().copied());
            v.extend(s.est.outer_weights(spec));
            v.extend(htmt_defined.iter().map(|&(a, b)| {
                quality::htmt(r, &spec.blocks[a], &spec.blocks[b]).unwrap_or(f64::NAN)
            }));
            Ok(v)
        };
    let draws = step(
        options.progress.as_ref(),
        "bootstrap",
        resamples as u64,
        |tick| boot::draws(x, resamples, seed, statistic, tick),
    );
    let valid: Vec<&Vec<f64>> = draws.iter().filter_map(|d| d.as_ref().ok()).collect();
    let failed = resamples - valid.len();
    let mut failed_reasons: IndexMap<String, usize> = IndexMap::new();
    for f in draws.iter().filter_map(|d| d.as_ref().err()) {
        let reason = match f {
            Failure::ConstantConstruct(_) => "constant construct",
            Failure::Singular(_) => "singular matrix",
            Failure::NonPositiveRhoA(_) => "rho_a not positive",
        };
        *failed_reasons.entry(reason.into()).or_default() += 1;
    }
    if failed > 0 {
        findings.push(Finding::BootstrapFailures { failed, resamples });
    }
    let jack = jackknife(x, &|r: &DMatrix<f64>| statistic(r).ok());
    let full = statistic(&pls::correlations(x).0)
        .map_err(|_| Error::Internal("the full sample failed in the bootstrap".into()))?;
    let summarize = |k: usize| -> Option<BootEstimate> {
        let d: Vec<f64> = valid.iter().map(|v| v[k]).collect();
        let j: Option<Vec<f64>> = jack
            .as_ref()
            .map(|jk| jk.iter().flatten().map(|v| v[k]).collect());
        boot::summarize(full[k], &d, j.as_deref()).map(|s: Summary| BootEstimate {
            estimate: full[k],
            mean: s.mean,
            sd: s.sd,
            t: s.t,
            p: s.p,
            ci95: s.percentile,
            bca95: s.bca,
        })
    };
    let names = &model.constructs;
    let pair = |a: usize, b: usize| format!("{} -> {}", names[a], names[b]);
    let collect = |keys: Vec<String>, start: usize| -> IndexMap<String, BootEstimate> {
        keys.into_iter()
            .enumerate()
            .filter_map(|(k, key)| summarize(start + k).map(|s| (key, s)))
            .collect()
    };
    let mut htmt: IndexMap<String, IndexMap<String, HtmtBoot>> = IndexMap::new();
    for (k, &(a, b)) in htmt_defined.iter().enumerate() {
        let mut d: Vec<f64> = valid
            .iter()
            .map(|v| v[l.htmt + k])
            .filter(|v| v.is_finite())
            .collect();
        d.sort_by(f64::total_cmp);
        let Some(s) = boot::summarize(full[l.htmt + k], &d, None) else {
            continue;
        };
        let share = |t: f64| d.iter().filter(|&&v| v >= t).count() as f64 / d.len() as f64;
        htmt.entry(names[a].clone()).or_default().insert(
            names[b].clone(),
            HtmtBoot {
                estimate: full[l.htmt + k],
                sd: s.sd,
                ci95: s.percentile,
                upper95: quantile7(&d, 0.95),
                p_below_085: share(HTMT_STRICT),
                p_below_090: share(HTMT_LIBERAL),
            },
        );
    }
    let chain_name = |c: &[usize]| {
        c.iter()
            .map(|&k| names[k].as_str())
            .collect::<Vec<_>>()
            .join(" -> ")
    };
    Ok(PlsBootstrap {
        resamples,
        seed,
        valid: valid.len(),
        failed,
        failed_reasons,
        ci_method: format!(
            "percentile (type-7 quantiles of the draws, as seminr) and BCa (bias from the share of draws below the estimate, acceleration from the {})",
            if x.nrows() <= JACKKNIFE_GROUPS { "leave-one-out jackknife".to_string() } else { format!("jackknife of {JACKKNIFE_GROUPS} groups of respondents") }
        ),
        paths: collect(model.path_names(), l.paths),
        total: collect(effect_pairs.iter().map(|&(a, b)| pair(a, b)).collect(), l.total),
        indirect: collect(indirect_pairs.iter().map(|&(a, b)| pair(a, b)).collect(), l.indirect),
        specific: collect(specific.iter().map(|(c, _)| chain_name(c)).collect(), l.specific),
        defined: collect(model.defined.iter().map(|d| d.name.clone()).collect(), l.defined),
        outer_loadings: collect(model.observed.clone(), l.loadings),
        outer_weights: collect(model.observed.clone(), l.weights),
        htmt,
    })
}

/// Jackknife values for the BCa acceleration (None when fewer than 2 succeed).
fn jackknife<F>(x: &DMatrix<f64>, statistic: &F) -> Option<Vec<Option<Vec<f64>>>>
where
    F: Fn(&DMatrix<f64>) -> Option<Vec<f64>> + Sync,
{
    let values = boot::jackknife(x, JACKKNIFE_GROUPS, statistic);
    (values.iter().flatten().count() >= 2).then_some(values)
}
