//! Section: a structural model compared across the groups of `--by`, as lavaan's multi-group `sem(group = )`:
//! configural (every parameter per group, intercepts free), metric (loadings equal, `group.equal =
//! "loadings"`), and metric with equal paths (`c("loadings", "regressions")`); χ² difference tests between
//! them and for each path alone (that path held equal, the others free); per-group paths and R² in the metric
//! model. Labels shared by parameters hold them equal in every group, as in lavaan.

use super::columns;
use super::Findings;
use crate::criteria;
use crate::data::Responses;
use crate::error::Result;
use crate::findings::{Finding, GroupRef};
use crate::instrument::Instrument;
use crate::model::build::Built;
use crate::model::syntax::Op;
use crate::report::structural::{
    DiffTest, Estimate, GroupModel, InterceptTest, LatentMean, SemFit, SemGroups,
};
use crate::scoring::Scored;
use crate::stats::moments::Moments;
use crate::stats::sem::{self, Cell, GroupPattern, Pattern, SampleMoments};
use indexmap::IndexMap;
use nalgebra::{DMatrix, DVector};
use statrs::distribution::{ChiSquared, ContinuousCDF};
use std::collections::BTreeMap;

/// Which parameters are held equal across groups.
#[derive(Clone, Copy)]
enum Equal<'a> {
    Nothing,
    Loadings,
    /// Loadings and the intercepts of every item but these (engine rows; `--partial`), latent means
    /// (intercepts of endogenous factors) free in every group but the first.
    Scalar(&'a [usize]),
    /// Loadings and the regression with this parameter index (None: every regression).
    LoadingsAndPaths(Option<usize>),
}

pub(in crate::analysis) fn section(
    built: &Built,
    instrument: &Instrument,
    responses: &Responses,
    scored: &Scored,
    by: &str,
    partial: &[String],
    findings: &mut Findings,
) -> Result<Option<SemGroups>> {
    let partial_rows = partial_items(built, partial)?;
    let Some(group) = &responses.group else {
        return Ok(None);
    };
    let cols = columns(built, instrument)?;
    let mut members: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (k, &row) in scored.rows.iter().enumerate() {
        if cols.iter().any(|&j| scored.items.is_missing(k, j)) {
            continue;
        }
        if let Some(label) = group.codes[row].map(|c| &group.labels[c as usize]) {
            members.entry(label.clone()).or_default().push(k);
        }
    }
    let p = cols.len();
    let data: Vec<SampleMoments> = members
        .values()
        .map(|rows| {
            let m = Moments::complete_rows(&scored.items, Some(rows));
            SampleMoments {
                n: rows.len(),
                means: DVector::from_iterator(p, cols.iter().map(|&j| m.means[j])),
                cov: DMatrix::from_fn(p, p, |a, b| m.cov[(cols[a], cols[b])]),
            }
        })
        .collect();
    if members.len() < 2 {
        findings.push(Finding::TooFewGroups { by: by.into() });
        return Ok(None);
    }
    for (g, d) in members.keys().zip(&data) {
        if d.n <= p {
            findings.push(Finding::InvarianceNotTested {
                group: GroupRef {
                    by: by.into(),
                    group: g.clone(),
                },
                complete: d.n,
                items: p,
            });
            return Ok(None);
        }
    }
    let groups: Vec<String> = members.keys().cloned().collect();
    let configural = fit(built, &data, &groups, Equal::Nothing)?;
    let metric = fit(built, &data, &groups, Equal::Loadings)?;
    let scalar = fit(built, &data, &groups, Equal::Scalar(&partial_rows))?;
    let equal_paths = fit(built, &data, &groups, Equal::LoadingsAndPaths(None))?;
    for (name, f) in [
        ("configural", &configural),
        ("metric", &metric),
        ("scalar", &scalar),
        ("equal paths", &equal_paths),
    ] {
        if !f.0.converged {
            findings.push(Finding::SemGroupNotConverged { model: name.into() });
        }
    }
    let step = |a: &Fitted, b: &Fitted| diff_test(&a.1, &b.1);
    // Paths can only be compared when the loadings are equal: Chen's criteria on configural -> metric.
    let (c, m) = (&configural.1.indices, &metric.1.indices);
    let sc = &scalar.1.indices;
    if !criteria::invariance_step_holds(m.cfi - c.cfi, m.rmsea - c.rmsea) {
        findings.push(Finding::NonInvariance {
            by: by.into(),
            supported: crate::findings::InvarianceLevel::Configural,
        });
    } else if !criteria::invariance_step_holds(sc.cfi - m.cfi, sc.rmsea - m.rmsea) {
        // Latent means are comparable only when the intercepts are equal: Chen's criteria on metric -> scalar.
        findings.push(Finding::NonInvariance {
            by: by.into(),
            supported: crate::findings::InvarianceLevel::Metric,
        });
    }
    let latent_means = latent_means(built, &groups, &data, &scalar);
    let intercept_tests = intercept_tests(built, &groups, &data, &scalar, &partial_rows)?;
    let mut path_tests = IndexMap::new();
    let mut regressions: IndexMap<String, IndexMap<String, Estimate>> = IndexMap::new();
    let paths: Vec<(String, usize)> = built
        .params
        .iter()
        .filter(|q| q.op == Op::Regression)
        .filter_map(|q| q.free.map(|k| (format!("{} -> {}", q.rhs, q.lhs), k)))
        .collect();
    for (key, k) in &paths {
        if built.labels.values().any(|l| l == k) {
            continue; // labelled: already equal in every group
        }
        let one = fit(built, &data, &groups, Equal::LoadingsAndPaths(Some(*k)))?;
        path_tests.insert(key.clone(), step(&metric, &one));
    }
    let (model, est) = (&metric.2, &metric.3);
    let vcov = est.vcov();
    let mut r2 = IndexMap::new();
    for (g, name) in groups.iter().enumerate() {
        let v = &est.values[g];
        let std = sem::standardize(v);
        let mut per = IndexMap::new();
        for q in built.params.iter().filter(|q| q.op == Op::Regression) {
            let (row, col) = (q.place.row, q.place.col);
            let Cell::Free(k) = model.groups[g].beta.get(row, col) else {
                continue;
            };
            let b = est.theta[k];
            let se = vcov
                .as_ref()
                .map_or(f64::NAN, |vc| vc[(k, k)].max(0.0).sqrt());
            let (z, p, ci95) = crate::stats::distributions::wald(b, se);
            per.insert(
                format!("{} -> {}", q.rhs, q.lhs),
                Estimate {
                    est: b,
                    se,
                    z,
                    p,
                    ci95,
                    std_all: std.beta[(row, col)],
                },
            );
        }
        regressions.insert(name.clone(), per);
        r2.insert(
            name.clone(),
            (0..built.latents.len())
                .filter(|&f| built.endogenous(f))
                .map(|f| {
                    (
                        built.latents[f].clone(),
                        1.0 - v.psi[(f, f)] / v.latent_cov[(f, f)],
                    )
                })
                .collect(),
        );
    }
    let mut tests = IndexMap::new();
    tests.insert("metric_vs_configural".into(), step(&configural, &metric));
    tests.insert("scalar_vs_metric".into(), step(&metric, &scalar));
    tests.insert("equal_paths_vs_metric".into(), step(&metric, &equal_paths));
    let mut models = IndexMap::new();
    for (name, f) in [
        ("configural", configural),
        ("metric", metric),
        ("scalar", scalar),
        ("equal_paths", equal_paths),
    ] {
        models.insert(name.to_string(), f.0);
    }
    Ok(Some(SemGroups {
        by: by.into(),
        n: groups
            .iter()
            .cloned()
            .zip(data.iter().map(|d| d.n))
            .collect(),
        groups,
        models,
        tests,
        path_tests,
        regressions,
        r2,
        latent_means,
        intercept_tests,
        partial: partial.to_vec(),
        label: None,
    }))
}

/// The engine rows of the `--partial` items; an item the model does not measure is bad input.
fn partial_items(built: &Built, partial: &[String]) -> Result<Vec<usize>> {
    partial
        .iter()
        .map(|item| {
            built
                .observed
                .iter()
                .position(|o| o == item)
                .filter(|&i| !phantom_rows(built)[i])
                .ok_or_else(|| {
                    crate::error::Error::Usage(format!(
                        "--partial {item}: '{item}' is not an indicator of the model{}\n  fix: name the items whose intercepts may differ between the groups, e.g. --partial {}",
                        crate::model::build::did_you_mean(item, &built.observed),
                        built.observed.first().map_or("ITEM", String::as_str)
                    ))
                })
        })
        .collect()
}

/// Per engine row: the observed variable of the structural part (a covariate), not an indicator.
fn phantom_rows(built: &Built) -> Vec<bool> {
    let mut out = vec![false; built.observed.len()];
    for (f, ind) in built.indicators.iter().enumerate() {
        if built.phantom[f] {
            for v in ind {
                if let crate::model::build::Var::Observed(i) = v {
                    out[*i] = true;
                }
            }
        }
    }
    out
}

/// The scalar model's latent means (intercepts of endogenous factors) against the first group, with their
/// Wald tests and d = mean / pooled SD (√ of the n-weighted mean of the groups' model-implied factor
/// variances).
fn latent_means(
    built: &Built,
    groups: &[String],
    data: &[SampleMoments],
    scalar: &Fitted,
) -> IndexMap<String, IndexMap<String, LatentMean>> {
    let (model, est) = (&scalar.2, &scalar.3);
    let vcov = est.vcov();
    let n_total: f64 = data.iter().map(|d| d.n as f64).sum();
    // The factors whose mean is estimated (not a covariate, not a second-order factor's first-order one).
    let factors: Vec<usize> = (0..built.latents.len())
        .filter(|&f| {
            model
                .groups
                .get(1)
                .and_then(|g| g.alpha.as_ref())
                .map(|a| a.get(f, 0))
                .is_some_and(|c| matches!(c, Cell::Free(_)))
        })
        .collect();
    let pooled_sd = |f: usize| {
        (est.values
            .iter()
            .zip(data)
            .map(|(v, d)| d.n as f64 * v.latent_cov[(f, f)])
            .sum::<f64>()
            / n_total)
            .sqrt()
    };
    groups
        .iter()
        .enumerate()
        .map(|(g, name)| {
            let per = factors
                .iter()
                .map(|&f| {
                    let cell = model.groups[g].alpha.as_ref().map(|a| a.get(f, 0));
                    let mean = match cell {
                        Some(Cell::Free(k)) => {
                            let est_k = est.theta[k];
                            let se = vcov
                                .as_ref()
                                .map_or(f64::NAN, |vc| vc[(k, k)].max(0.0).sqrt());
                            let (z, p, _) = crate::stats::distributions::wald(est_k, se);
                            LatentMean {
                                est: est_k,
                                se: Some(se),
                                z: Some(z),
                                p: Some(p),
                                d: Some(est_k / pooled_sd(f)),
                            }
                        }
                        _ => LatentMean {
                            est: 0.0,
                            se: None,
                            z: None,
                            p: None,
                            d: None,
                        },
                    };
                    (built.latents[f].clone(), mean)
                })
                .collect();
            (name.clone(), per)
        })
        .collect()
}

/// Score tests (lavTestScore, ML, expected information) of the scalar model's intercept equalities: for each
/// item, releasing its G − 1 equalities ("intercept in group 1 = intercept in group g") together, and each
/// alone. Freed (`--partial`) items and covariates have none.
fn intercept_tests(
    built: &Built,
    groups: &[String],
    data: &[SampleMoments],
    scalar: &Fitted,
    partial: &[usize],
) -> Result<IndexMap<String, InterceptTest>> {
    use crate::stats::sem::score::{Constraint, ScoreBasis};
    let (model, est) = (&scalar.2, &scalar.3);
    // The extended parameterization: every shared intercept of groups 2.. gets its own index, at the scalar
    // solution's value.
    let mut extended = model.groups.clone();
    let mut x: Vec<f64> = est.theta.iter().copied().collect();
    let mut constraints: Vec<(usize, usize, Constraint)> = Vec::new();
    let shared = |i: usize| -> Option<usize> {
        match model.groups[0].nu.as_ref()?.get(i, 0) {
            Cell::Free(k)
                if model
                    .groups
                    .iter()
                    .skip(1)
                    .all(|g| g.nu.as_ref().map(|n| n.get(i, 0)) == Some(Cell::Free(k))) =>
            {
                Some(k)
            }
            _ => None,
        }
    };
    let p = model.groups[0].p();
    for i in (0..p).filter(|i| !partial.contains(i)) {
        let Some(k) = shared(i) else { continue };
        for (g, gp) in extended.iter_mut().enumerate().skip(1) {
            let new = x.len();
            x.push(est.theta[k]);
            if let Some(nu) = gp.nu.as_mut() {
                nu.set(i, 0, Cell::Free(new));
            }
            constraints.push((i, g, vec![(k, 1.0), (new, -1.0)]));
        }
    }
    if constraints.is_empty() {
        return Ok(IndexMap::new());
    }
    let n_params = x.len();
    let extended = sem::Model {
        groups: extended,
        n_params,
    };
    let basis = ScoreBasis::new(&extended, data, &DVector::from_vec(x))?;
    let kept_without = |drop: &dyn Fn(usize, usize) -> bool| -> Vec<&Constraint> {
        constraints
            .iter()
            .filter(|(i, g, _)| !drop(*i, *g))
            .map(|c| &c.2)
            .collect()
    };
    let chisq_test = |stat: Option<f64>, df: usize| DiffTest {
        chisq_diff: stat.unwrap_or(f64::NAN),
        df_diff: df,
        p: stat
            .and_then(|t| ChiSquared::new(df as f64).ok().map(|c| c.sf(t)))
            .unwrap_or(f64::NAN),
    };
    let mut out = IndexMap::new();
    let items: Vec<usize> = {
        let mut v: Vec<usize> = constraints.iter().map(|c| c.0).collect();
        v.dedup();
        v
    };
    for i in items {
        let joint = basis.statistic(&kept_without(&|ii, _| ii == i));
        let by_group = (1..groups.len())
            .map(|g| {
                let one = basis.statistic(&kept_without(&|ii, gg| ii == i && gg == g));
                (groups[g].clone(), chisq_test(one, 1).into())
            })
            .collect();
        let t = chisq_test(joint, groups.len() - 1);
        out.insert(
            built.observed[i].clone(),
            InterceptTest {
                chisq: t.chisq_diff,
                df: t.df_diff,
                p: t.p,
                by_group,
            },
        );
    }
    Ok(out)
}

/// A fitted multi-group model: its report block, its fit, the engine's model and estimate.
type Fitted = (GroupModel, SemFit, sem::Model, sem::Estimate);

fn fit(built: &Built, data: &[SampleMoments], names: &[String], equal: Equal) -> Result<Fitted> {
    let model = multi_group(built, data.len(), equal);
    let est = sem::estimate(&model, data, sem::default_start(&model, data))?;
    let (indices, logl_covariates) = sem::conditional_on_covariates(
        &sem::fit_indices(&model, data, &est)?,
        data,
        &built.covariate_columns(),
    );
    let unrestricted_logl = data
        .iter()
        .map(|d| {
            let nf = d.n as f64;
            let p = d.cov.nrows() as f64;
            let s = &d.cov * ((nf - 1.0) / nf);
            let ld = crate::stats::linalg::spd_logdet(&s).unwrap_or(f64::NAN);
            -nf / 2.0 * (p * (2.0 * std::f64::consts::PI).ln() + ld + p)
        })
        .sum::<f64>()
        - logl_covariates;
    let fit = SemFit {
        logl: indices.loglik,
        unrestricted_logl,
        indices,
    };
    let block = GroupModel {
        converged: est.converged,
        fit: fit.clone(),
        chisq_by_group: names
            .iter()
            .cloned()
            .zip(
                est.fmin_groups
                    .iter()
                    .zip(data)
                    .map(|(f, d)| f * d.n as f64),
            )
            .collect(),
    };
    Ok((block, fit, model, est))
}

/// Each group the single-group pattern with free intercepts and latent means fixed at 0; a parameter keeps
/// one index across groups when it is labelled or `equal` holds it equal, and gets one per group otherwise.
fn multi_group(built: &Built, groups: usize, equal: Equal) -> sem::Model {
    let q = built.n_params;
    let shared = |k: usize| -> bool {
        if built.labels.values().any(|&l| l == k) {
            return true;
        }
        let op = built
            .params
            .iter()
            .find(|p| p.free == Some(k))
            .map(|p| p.op);
        match (equal, op) {
            (Equal::Nothing, _) => false,
            (_, Some(Op::Measured)) => true,
            (Equal::LoadingsAndPaths(None), Some(Op::Regression)) => true,
            (Equal::LoadingsAndPaths(Some(only)), Some(Op::Regression)) => only == k,
            _ => false,
        }
    };
    let remap = |pat: &Pattern, g: usize| {
        let mut out = pat.clone();
        for j in 0..pat.cols {
            for i in 0..pat.rows {
                if let Cell::Free(k) = pat.get(i, j) {
                    let idx = if shared(k) { k } else { k + g * q };
                    out.set(i, j, Cell::Free(idx));
                }
            }
        }
        out
    };
    let base = &built.pattern;
    let (p, m) = (base.p(), base.m());
    let covariate_row = phantom_rows(built);
    let mut next_mean = groups * q;
    // Scalar: one intercept index per item for every group (but the freed items and the covariates).
    let shared_intercepts: Vec<Option<usize>> = (0..p)
        .map(|i| match equal {
            Equal::Scalar(partial) if !partial.contains(&i) && !covariate_row[i] => {
                next_mean += 1;
                Some(next_mean - 1)
            }
            _ => None,
        })
        .collect();
    let patterns = (0..groups)
        .map(|g| {
            let mut gp = GroupPattern::new(p, m, true);
            gp.lambda = remap(&base.lambda, g);
            gp.beta = remap(&base.beta, g);
            gp.psi = remap(&base.psi, g);
            gp.theta = remap(&base.theta, g);
            if let Some(nu) = gp.nu.as_mut() {
                for (i, shared) in shared_intercepts.iter().enumerate() {
                    let k = shared.unwrap_or_else(|| {
                        next_mean += 1;
                        next_mean - 1
                    });
                    nu.set(i, 0, Cell::Free(k));
                }
            }
            if let (Equal::Scalar(_), true, Some(alpha)) = (equal, g > 0, gp.alpha.as_mut()) {
                // A first-order factor of a second-order factor keeps its intercept at 0: its mean difference
                // is carried by the second-order factor's (lavaan frees both, which leaves the means
                // unidentified).
                let first_order = |f: usize| {
                    built
                        .indicators
                        .iter()
                        .any(|ind| ind.contains(&crate::model::build::Var::Latent(f)))
                };
                for f in (0..m).filter(|&f| !built.phantom[f] && !first_order(f)) {
                    alpha.set(f, 0, Cell::Free(next_mean));
                    next_mean += 1;
                }
            }
            gp
        })
        .collect();
    sem::Model::numbered(patterns)
}

/// χ² difference of the more restricted `b` against `a`.
fn diff_test(a: &SemFit, b: &SemFit) -> DiffTest {
    let chisq_diff = b.indices.chisq - a.indices.chisq;
    let df_diff = b.indices.df.saturating_sub(a.indices.df);
    DiffTest {
        chisq_diff,
        df_diff,
        p: ChiSquared::new(df_diff as f64)
            .map(|c| c.sf(chisq_diff))
            .unwrap_or(f64::NAN),
    }
}
