//! Section: a PLS path model (`perval pls`) as SmartPLS and seminr estimate it, on the respondents who
//! answered every indicator of the model: weights, loadings, paths, R², f², VIF, effects, reliability,
//! HTMT, SRMR, the bootstrap (percentile and BCa), PLSpredict and the importance–performance map, overall
//! and (with `--by`) per group.

mod bootstrap;
mod ipma;
mod predict;

use super::{Findings, Options};
use crate::data::Responses;
use crate::error::{Error, Result};
use crate::findings::Finding;
use crate::instrument::Instrument;
use crate::model::pls::PlsModel;
use crate::report::pls::*;
use crate::scoring::Scored;
use crate::stats::pls::predict::Approach;
use crate::stats::pls::{self, quality, Estimate, Failure, Mode, Settings, Spec};
use bootstrap::HTMT_STRICT;
use indexmap::IndexMap;
use nalgebra::DMatrix;

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

/// Inner VIF above this signals collinearity among a construct's predictors.
const VIF_MAX: f64 = crate::criteria::VIF_MAX.value;

/// The estimated numbers the section reports, PLS or PLSc.
pub(super) struct Solution {
    est: Estimate,
    cor: DMatrix<f64>,
    beta: DMatrix<f64>,
    r2: Vec<f64>,
    loadings: Vec<f64>,
}

pub(super) fn solve(
    spec: &Spec,
    r: &DMatrix<f64>,
    o: &PlsOptions,
) -> std::result::Result<Solution, Failure> {
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
pub(super) fn data(
    model: &PlsModel,
    instrument: &Instrument,
    scored: &Scored,
    rows: Option<&[usize]>,
) -> Result<(DMatrix<f64>, Vec<usize>)> {
    let cols = super::data::item_columns(&model.observed, instrument)?;
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

pub(super) fn failure_message(model: &PlsModel, f: &Failure, what: &str) -> Error {
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
    let (r, means, sds) = pls::correlations(&x);
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
        Some((resamples, seed)) => Some(bootstrap::block(
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
    let predict = predict::block(o, &x, findings)?;
    let (ipma_overall, ipma_groups, target) = ipma::blocks(
        o,
        instrument,
        responses,
        scored,
        options,
        &x,
        (&r, &means, &sds),
        &sol,
        findings,
    )?;
    Ok(PlsBlock {
        algorithm: if o.consistent {
            PlsAlgorithm::Plsc
        } else {
            PlsAlgorithm::Pls
        },
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
