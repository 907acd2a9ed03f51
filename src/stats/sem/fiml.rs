//! Full-information maximum likelihood, as lavaan's `missing = "ml"`: the casewise normal likelihood over each
//! respondent's observed variables, with a mean structure. Respondents are grouped by missingness pattern and
//! each pattern's sufficient statistics (n, means, cross-products) are computed once, so the cost of an
//! iteration grows with the number of patterns, not of respondents. The saturated model (H1) is estimated by
//! EM, the baseline (free means and variances, no covariances) in closed form; χ² = 2(logL_H1 − logL).
//! Standard errors come from the observed information (the Hessian), lavaan's default under `missing = "ml"`.

use super::estimate::{fit_prepared, gradient, Estimate, Prepared};
use super::fit::{indices, srmr, FitIndices, Parts};
use super::model::Model;
use super::SampleMoments;
use crate::error::{Error, Result};
use nalgebra::{DMatrix, DVector};
use std::collections::HashMap;

/// The respondents of one missingness pattern.
#[derive(Debug, Clone)]
pub struct PatternMoments {
    /// The model group (0 for one group).
    pub group: usize,
    /// Number of variables in all.
    pub p: usize,
    /// The variables this pattern observed.
    pub observed: Vec<usize>,
    pub n: usize,
    /// Means of the observed variables.
    pub means: DVector<f64>,
    /// Cross-products about those means, divisor n.
    pub cross: DMatrix<f64>,
}

/// Incomplete data as missingness patterns.
#[derive(Debug, Clone)]
pub struct MissingData {
    pub p: usize,
    pub patterns: Vec<PatternMoments>,
    /// Respondents used (at least one variable observed).
    pub n: usize,
    /// Respondents who observed no variable (left out).
    pub empty: usize,
    /// Share of missing answers among the used respondents.
    pub missing_share: f64,
    /// The smallest share of respondents observing a pair of variables (lavaan's coverage).
    pub min_coverage: f64,
}

/// One pattern's rows so far: count, means and the cross-products about the means (not divided).
struct Summary {
    observed: Vec<usize>,
    first_row: usize,
    n: usize,
    mean: DVector<f64>,
    m2: DMatrix<f64>,
}

impl Summary {
    /// Add another summary of the same pattern (Chan, Golub & LeVeque 1979).
    fn merge(&mut self, o: Summary) {
        let (n1, n2) = (self.n as f64, o.n as f64);
        let n = n1 + n2;
        let delta = &o.mean - &self.mean;
        self.m2 += o.m2 + &delta * delta.transpose() * (n1 * n2 / n);
        self.mean += delta * (n2 / n);
        self.n += o.n;
    }
}

/// The patterns of one chunk of rows, and how many rows in it observed nothing.
fn chunk_patterns(
    rows: std::ops::Range<usize>,
    p: usize,
    value: &(impl Fn(usize, usize) -> f64 + Sync),
) -> (HashMap<Vec<u64>, Summary>, usize) {
    // Sums about a shift (the pattern's first row) keep the cross-products accurate.
    struct Acc {
        observed: Vec<usize>,
        first_row: usize,
        shift: Vec<f64>,
        n: usize,
        sum: Vec<f64>,
        cross: Vec<f64>,
    }
    // A pattern's key: one bit per observed variable (words of 64 bits), no allocation per row.
    let words = p.div_ceil(64);
    let mut index: HashMap<Vec<u64>, usize> = HashMap::new();
    let mut acc: Vec<Acc> = Vec::new();
    let mut empty = 0;
    let mut x = vec![0.0; p];
    let mut key = vec![0u64; words];
    for r in rows {
        key.iter_mut().for_each(|k| *k = 0);
        for (j, xj) in x.iter_mut().enumerate() {
            *xj = value(r, j);
            if !xj.is_nan() {
                key[j / 64] |= 1 << (j % 64);
            }
        }
        if key.iter().all(|&k| k == 0) {
            empty += 1;
            continue;
        }
        let k = match index.get(&key) {
            Some(&k) => k,
            None => {
                let observed: Vec<usize> = (0..p)
                    .filter(|&j| key[j / 64] >> (j % 64) & 1 == 1)
                    .collect();
                let q = observed.len();
                acc.push(Acc {
                    shift: observed.iter().map(|&j| x[j]).collect(),
                    observed,
                    first_row: r,
                    n: 0,
                    sum: vec![0.0; q],
                    cross: vec![0.0; q * q],
                });
                index.insert(key.clone(), acc.len() - 1);
                acc.len() - 1
            }
        };
        let a = &mut acc[k];
        let q = a.observed.len();
        a.n += 1;
        for u in 0..q {
            let du = x[a.observed[u]] - a.shift[u];
            a.sum[u] += du;
            for v in 0..=u {
                a.cross[u * q + v] += du * (x[a.observed[v]] - a.shift[v]);
            }
        }
    }
    let out = index
        .into_iter()
        .map(|(key, k)| {
            let a = &acc[k];
            let q = a.observed.len();
            let nf = a.n as f64;
            let mean_shifted: Vec<f64> = a.sum.iter().map(|s| s / nf).collect();
            let m2 = DMatrix::from_fn(q, q, |u, v| {
                let (u, v) = (u.max(v), u.min(v));
                a.cross[u * q + v] - nf * mean_shifted[u] * mean_shifted[v]
            });
            let summary = Summary {
                observed: a.observed.clone(),
                first_row: a.first_row,
                n: a.n,
                mean: DVector::from_iterator(q, (0..q).map(|u| a.shift[u] + mean_shifted[u])),
                m2,
            };
            (key, summary)
        })
        .collect();
    (out, empty)
}

impl MissingData {
    /// From `n` rows of `p` variables read through `value(row, variable)` (NaN = missing). Rows are read in
    /// chunks on all cores; each chunk's patterns are merged in chunk order (Chan et al.'s pairwise update),
    /// so the result does not depend on the number of threads.
    pub fn from_rows(
        n: usize,
        p: usize,
        value: impl Fn(usize, usize) -> f64 + Sync,
    ) -> MissingData {
        use rayon::prelude::*;
        const CHUNK: usize = 1 << 16;
        let chunks: Vec<(HashMap<Vec<u64>, Summary>, usize)> = (0..n)
            .step_by(CHUNK)
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|start| chunk_patterns(start..(start + CHUNK).min(n), p, &value))
            .collect();
        // Merge in chunk order; patterns keep the order in which they first appear.
        let mut order: Vec<Vec<u64>> = Vec::new();
        let mut merged: HashMap<Vec<u64>, Summary> = HashMap::new();
        let mut empty = 0;
        for (map, e) in chunks {
            empty += e;
            let mut keys: Vec<(Vec<u64>, Summary)> = map.into_iter().collect();
            keys.sort_by_key(|(_, s)| s.first_row);
            for (key, sm) in keys {
                match merged.get_mut(&key) {
                    Some(total) => total.merge(sm),
                    None => {
                        order.push(key.clone());
                        merged.insert(key, sm);
                    }
                }
            }
        }
        let patterns: Vec<PatternMoments> = order
            .into_iter()
            .map(|key| {
                let sm = merged.remove(&key).expect("every key was inserted");
                let nf = sm.n as f64;
                PatternMoments {
                    group: 0,
                    p,
                    means: sm.mean,
                    cross: sm.m2 / nf,
                    n: sm.n,
                    observed: sm.observed,
                }
            })
            .collect();
        let used: usize = patterns.iter().map(|pt| pt.n).sum();
        let observed_cells: usize = patterns.iter().map(|pt| pt.n * pt.observed.len()).sum();
        let mut min_coverage = 1.0f64;
        for i in 0..p {
            for j in 0..=i {
                let both: usize = patterns
                    .iter()
                    .filter(|pt| pt.observed.contains(&i) && pt.observed.contains(&j))
                    .map(|pt| pt.n)
                    .sum();
                min_coverage = min_coverage.min(both as f64 / used.max(1) as f64);
            }
        }
        MissingData {
            p,
            n: used,
            empty,
            missing_share: 1.0 - observed_cells as f64 / (used * p).max(1) as f64,
            min_coverage,
            patterns,
        }
    }
}

/// The saturated model: means and covariances by EM.
#[derive(Debug, Clone)]
pub struct Saturated {
    pub mu: DVector<f64>,
    /// Divisor N.
    pub sigma: DMatrix<f64>,
    pub loglik: f64,
    pub iterations: usize,
    pub converged: bool,
}

/// The casewise log-likelihood of (μ, Σ); None when a Σ_oo is not positive definite.
fn loglik(data: &MissingData, mu: &DVector<f64>, sigma: &DMatrix<f64>) -> Option<f64> {
    let ln2pi = (2.0 * std::f64::consts::PI).ln();
    let mut l = 0.0;
    for pt in &data.patterns {
        let o = &pt.observed;
        let chol = sigma.select_rows(o).select_columns(o).cholesky()?;
        let ld = 2.0 * chol.l().diagonal().iter().map(|d| d.ln()).sum::<f64>();
        let w = chol.inverse();
        let d = &pt.means - mu.select_rows(o);
        let tr = (&w * &pt.cross).trace() + (d.transpose() * &w * &d)[(0, 0)];
        l += -(pt.n as f64) / 2.0 * (o.len() as f64 * ln2pi + ld + tr);
    }
    Some(l)
}

/// EM for the saturated model (Little & Rubin): the E-step's expected sums from each pattern's sufficient
/// statistics, the M-step's means and covariances; until no estimate moves by more than 1e-10.
pub fn saturated(data: &MissingData) -> Result<Saturated> {
    let p = data.p;
    let nf = data.n as f64;
    // Start: each variable's observed mean and variance.
    let (mut mu, mut sigma) = independence(data);
    let mut iterations = 0;
    let mut converged = false;
    for it in 0..10_000 {
        iterations = it + 1;
        let mut t1 = DVector::zeros(p);
        let mut t2 = DMatrix::zeros(p, p);
        for pt in &data.patterns {
            let o = &pt.observed;
            let n = pt.n as f64;
            let m: Vec<usize> = (0..p).filter(|j| !o.contains(j)).collect();
            // Σ x_o and Σ x_o x_oᵀ of the pattern's rows.
            let sx = &pt.means * n;
            let sxx = (&pt.cross + &pt.means * pt.means.transpose()) * n;
            let mut full_x = DVector::zeros(p);
            let mut full_xx = DMatrix::zeros(p, p);
            for (u, &i) in o.iter().enumerate() {
                full_x[i] = sx[u];
                for (v, &j) in o.iter().enumerate() {
                    full_xx[(i, j)] = sxx[(u, v)];
                }
            }
            if !m.is_empty() {
                let s_oo = sigma.select_rows(o).select_columns(o);
                let s_mo = sigma.select_rows(&m).select_columns(o);
                let s_mm = sigma.select_rows(&m).select_columns(&m);
                let inv = s_oo.cholesky().ok_or_else(not_pd)?.inverse();
                let b = &s_mo * &inv;
                let a = mu.select_rows(&m) - &b * mu.select_rows(o);
                let c = &s_mm - &b * s_mo.transpose();
                // E[x_m] = a + B x_o: sums over the pattern's rows.
                let em = &a * n + &b * &sx;
                let emo = &a * sx.transpose() + &b * &sxx;
                let emm = &c * n
                    + &a * a.transpose() * n
                    + &a * (&b * &sx).transpose()
                    + (&b * &sx) * a.transpose()
                    + &b * &sxx * b.transpose();
                for (u, &i) in m.iter().enumerate() {
                    full_x[i] = em[u];
                    for (v, &j) in o.iter().enumerate() {
                        full_xx[(i, j)] = emo[(u, v)];
                        full_xx[(j, i)] = emo[(u, v)];
                    }
                    for (v, &j) in m.iter().enumerate() {
                        full_xx[(i, j)] = emm[(u, v)];
                    }
                }
            }
            t1 += full_x;
            t2 += full_xx;
        }
        let new_mu = &t1 / nf;
        let new_sigma = &t2 / nf - &new_mu * new_mu.transpose();
        let change = (&new_mu - &mu).amax().max((&new_sigma - &sigma).amax());
        mu = new_mu;
        sigma = new_sigma;
        if change < 1e-10 {
            converged = true;
            break;
        }
    }
    let loglik = loglik(data, &mu, &sigma).ok_or_else(not_pd)?;
    Ok(Saturated {
        mu,
        sigma,
        loglik,
        iterations,
        converged,
    })
}

fn not_pd() -> Error {
    Error::NotPositiveDefinite {
        what: "the covariance matrix of the saturated model (EM)".into(),
        fix: "look for items that duplicate others, or for items almost nobody answered".into(),
    }
}

/// Each variable's mean and variance (divisor n_j) over its observed values: the baseline model's estimates.
fn independence(data: &MissingData) -> (DVector<f64>, DMatrix<f64>) {
    let p = data.p;
    let mut n = vec![0.0; p];
    let mut sum = vec![0.0; p];
    for pt in &data.patterns {
        for (u, &j) in pt.observed.iter().enumerate() {
            n[j] += pt.n as f64;
            sum[j] += pt.n as f64 * pt.means[u];
        }
    }
    let mean: Vec<f64> = (0..p).map(|j| sum[j] / n[j]).collect();
    let mut ss = vec![0.0; p];
    for pt in &data.patterns {
        for (u, &j) in pt.observed.iter().enumerate() {
            let d = pt.means[u] - mean[j];
            ss[j] += pt.n as f64 * (pt.cross[(u, u)] + d * d);
        }
    }
    (
        DVector::from_vec(mean),
        DMatrix::from_diagonal(&DVector::from_iterator(p, (0..p).map(|j| ss[j] / n[j]))),
    )
}

/// A model fitted by full-information ML.
#[derive(Debug, Clone)]
pub struct FimlFit {
    pub estimate: Estimate,
    pub fit: FitIndices,
    pub saturated: Saturated,
    /// Covariance of the estimates from the observed information; None when it is singular.
    pub vcov: Option<DMatrix<f64>>,
}

impl FimlFit {
    /// The EM moments as the start values' "sample".
    pub fn start_moments(data: &MissingData, h1: &Saturated) -> SampleMoments {
        let nf = data.n as f64;
        SampleMoments {
            n: data.n,
            means: h1.mu.clone(),
            cov: &h1.sigma * (nf / (nf - 1.0)),
        }
    }
}

/// Fit `model` (one group, with a mean structure) by FIML from `start`.
/// The FIML estimates alone (no saturated model, fit or standard errors): what a bootstrap resample needs.
pub fn estimate(
    model: &Model,
    data: &MissingData,
    start: DVector<f64>,
    tolerance: f64,
) -> Result<Estimate> {
    fit_prepared(
        model,
        &Prepared::from_patterns(&data.patterns),
        start,
        tolerance,
    )
}

pub fn fit(
    model: &Model,
    data: &MissingData,
    h1: Saturated,
    start: DVector<f64>,
) -> Result<FimlFit> {
    if !model.means() || model.groups.len() != 1 {
        return Err(Error::Internal(
            "FIML needs a one-group model with a mean structure".into(),
        ));
    }
    let prep = Prepared::from_patterns(&data.patterns);
    let est = fit_prepared(model, &prep, start, 1e-9)?;
    let ln2pi = (2.0 * std::f64::consts::PI).ln();
    // F_b = ln|Σ_oo| + tr(W(S_b + d dᵀ)) (no constant under FIML).
    let loglik: f64 = prep
        .blocks
        .iter()
        .zip(&est.fmin_groups)
        .map(|(b, f)| -b.n / 2.0 * (b.s.nrows() as f64 * ln2pi + f))
        .sum();
    let p = data.p;
    let (mu0, sigma0) = independence(data);
    let baseline = loglik_or_nan(data, &mu0, &sigma0);
    let v = &est.values[0];
    let fit = indices(Parts {
        chisq: 2.0 * (h1.loglik - loglik),
        df: model.n_moments().saturating_sub(model.n_params),
        baseline_chisq: 2.0 * (h1.loglik - baseline),
        baseline_df: p * (p + 1) / 2 + p - 2 * p,
        n: data.n as f64,
        groups: 1,
        srmr: srmr(&h1.sigma, &h1.mu, &v.sigma, &v.mu, true),
        loglik,
        npar: model.n_params,
    });
    let vcov = observed_vcov(model, &prep, &est);
    Ok(FimlFit {
        estimate: est,
        fit,
        saturated: h1,
        vcov,
    })
}

fn loglik_or_nan(data: &MissingData, mu: &DVector<f64>, sigma: &DMatrix<f64>) -> f64 {
    loglik(data, mu, sigma).unwrap_or(f64::NAN)
}

/// (N/2 · H)⁻¹ with H the Hessian of F, by forward differences of the analytic gradient (step 1e-6 · max(1,
/// |θ_k|): a relative error near 1e-6 in H, far below the reported precision of a standard error).
fn observed_vcov(model: &Model, prep: &Prepared, est: &Estimate) -> Option<DMatrix<f64>> {
    let q = model.n_params;
    let gradient = |theta: &DVector<f64>| {
        let e = super::estimate::evaluate(model, prep, theta.as_slice())?;
        Some(gradient(model, prep, &e.values, &e.inverses))
    };
    let at = gradient(&est.theta)?;
    let mut h = DMatrix::zeros(q, q);
    for k in 0..q {
        let step = 1e-6 * est.theta[k].abs().max(1.0);
        let mut up = est.theta.clone();
        up[k] += step;
        let d = (gradient(&up)? - &at) / step;
        h.set_column(k, &d);
    }
    let h = (&h + h.transpose()) * 0.5 * (prep.n_total / 2.0);
    h.clone()
        .cholesky()
        .map(|c| c.inverse())
        .or_else(|| h.try_inverse())
}
