//! Maximum-likelihood estimation of a [`Model`]: the normal-theory discrepancy (lavaan's likelihood =
//! "normal": each group's S with divisor n_g), its analytic gradient and expected information, Fisher scoring
//! with step halving, and standard errors from the expected information (lavaan's default for complete data).

use super::model::{cell_derivative, cell_terms, GroupValues, Model};
use crate::error::{Error, Result};
use crate::stats::linalg::{frob_dot, spd_inverse, spd_logdet};
use nalgebra::{DMatrix, DVector};

/// A group's sufficient statistics.
#[derive(Debug, Clone)]
pub struct SampleMoments {
    pub n: usize,
    pub means: DVector<f64>,
    /// Covariance matrix with divisor n − 1.
    pub cov: DMatrix<f64>,
}

/// Largest number of Fisher-scoring iterations.
pub const MAX_ITERATIONS: usize = 500;
/// Converged when the largest gradient component of F is below this.
const GRADIENT_TOL: f64 = 1e-9;
/// When no step lowers F, the fit still counts as converged if the gradient is below this.
const GRADIENT_TOL_STALLED: f64 = 1e-6;

/// One block of data for the discrepancy: a group's moments (complete data), or the respondents of one
/// missingness pattern (full-information ML), who observed only the variables `select`.
pub(crate) struct Block {
    /// The model group the block belongs to.
    pub group: usize,
    /// The observed variables (None: all).
    pub select: Option<Vec<usize>>,
    pub n: f64,
    /// Cross-products about the block's means, divisor n.
    pub s: DMatrix<f64>,
    pub means: DVector<f64>,
    /// ln|S| + p for complete data, so that F is 0 at the saturated model; 0 under FIML (S may be singular).
    pub constant: f64,
}

/// The data as the discrepancy uses them.
pub(crate) struct Prepared {
    pub blocks: Vec<Block>,
    pub n_total: f64,
}

impl Prepared {
    /// Complete data: one block per group, S with divisor n_g.
    pub fn new(data: &[SampleMoments]) -> Result<Prepared> {
        let mut blocks = Vec::with_capacity(data.len());
        for (g, d) in data.iter().enumerate() {
            let s = &d.cov * ((d.n as f64 - 1.0) / d.n as f64);
            let logdet = spd_logdet(&s).ok_or_else(|| Error::NotPositiveDefinite {
                what: if data.len() > 1 {
                    "a group's item covariance matrix".into()
                } else {
                    "the item covariance matrix".into()
                },
                fix: if data.len() > 1 {
                    "a group may have fewer respondents than items, or an item without variance in that group; merge small groups".into()
                } else {
                    "look for items that duplicate others or are sums of others, or for fewer respondents than items".into()
                },
            })?;
            blocks.push(Block {
                group: g,
                select: None,
                n: d.n as f64,
                constant: logdet + s.nrows() as f64,
                s,
                means: d.means.clone(),
            });
        }
        let n_total = data.iter().map(|d| d.n as f64).sum();
        Ok(Prepared { blocks, n_total })
    }

    /// Missingness patterns (full-information ML): one block per pattern.
    pub fn from_patterns(patterns: &[super::fiml::PatternMoments]) -> Prepared {
        let blocks: Vec<Block> = patterns
            .iter()
            .map(|pt| Block {
                group: pt.group,
                select: (pt.observed.len() < pt.p).then(|| pt.observed.clone()),
                n: pt.n as f64,
                s: pt.cross.clone(),
                means: pt.means.clone(),
                constant: 0.0,
            })
            .collect();
        let n_total = blocks.iter().map(|b| b.n).sum();
        Prepared { blocks, n_total }
    }

    fn weight(&self, b: &Block) -> f64 {
        b.n / self.n_total
    }
}

impl Block {
    /// Σ and μ of the observed variables.
    fn implied(&self, v: &GroupValues) -> (DMatrix<f64>, DVector<f64>) {
        match &self.select {
            None => (v.sigma.clone(), v.mu.clone()),
            Some(o) => (
                v.sigma.select_rows(o).select_columns(o),
                v.mu.select_rows(o),
            ),
        }
    }
}

/// F_b = ln|Σ| + tr(SΣ⁻¹) − constant (+ (x̄ − μ)ᵀΣ⁻¹(x̄ − μ) with a mean structure) over the block's
/// variables, and Σ⁻¹, given the group's full inverse and log-determinant; None when Σ is not positive
/// definite.
fn block_discrepancy(
    b: &Block,
    v: &GroupValues,
    full: &(DMatrix<f64>, f64),
    means: bool,
) -> Option<(f64, DMatrix<f64>)> {
    let (sigma_inv, logdet) = full;
    let (w, ld) = match &b.select {
        None => (sigma_inv.clone(), *logdet),
        Some(o) => observed_inverse(sigma_inv, *logdet, o)?,
    };
    let mut f = ld + frob_dot(&b.s, &w) - b.constant;
    if means {
        let mu = match &b.select {
            None => v.mu.clone(),
            Some(o) => v.mu.select_rows(o),
        };
        let d = &b.means - mu;
        f += (d.transpose() * &w * &d)[(0, 0)];
    }
    Some((f, w))
}

/// (Σ_oo)⁻¹ and ln|Σ_oo| from W = Σ⁻¹ by the Schur complement: with m the unobserved variables,
/// (Σ_oo)⁻¹ = W_oo − W_om W_mm⁻¹ W_mo and ln|Σ_oo| = ln|Σ| + ln|W_mm| — a small m × m inverse instead of a
/// p × p one, as most missingness patterns miss few variables.
fn observed_inverse(w: &DMatrix<f64>, logdet: f64, o: &[usize]) -> Option<(DMatrix<f64>, f64)> {
    let p = w.nrows();
    let m: Vec<usize> = (0..p).filter(|j| !o.contains(j)).collect();
    let w_mm = w.select_rows(&m).select_columns(&m);
    let chol = w_mm.cholesky()?;
    let ld_mm = 2.0 * chol.l().diagonal().iter().map(|d| d.ln()).sum::<f64>();
    let w_om = w.select_rows(o).select_columns(&m);
    let w_oo = w.select_rows(o).select_columns(o);
    let correction = &w_om * chol.solve(&w_om.transpose());
    Some((w_oo - correction, logdet + ld_mm))
}

/// Σ⁻¹ and ln|Σ| of every group; None when a Σ is not positive definite.
fn full_inverses(values: &[GroupValues]) -> Option<Vec<(DMatrix<f64>, f64)>> {
    values
        .iter()
        .map(|v| {
            let chol = v.sigma.clone().cholesky()?;
            let ld = 2.0 * chol.l().diagonal().iter().map(|d| d.ln()).sum::<f64>();
            Some((chol.inverse(), ld))
        })
        .collect()
}

/// The model at one parameter vector: F = Σ_b (n_b/N) F_b, each F_b, the matrices of every group and each
/// block's Σ⁻¹.
pub(crate) struct Evaluation {
    pub f: f64,
    pub per_block: Vec<f64>,
    pub values: Vec<GroupValues>,
    pub inverses: Vec<DMatrix<f64>>,
}

/// Evaluate the model at `theta`; None outside the admissible region (I − B singular or a Σ not positive
/// definite).
pub(crate) fn evaluate(model: &Model, prep: &Prepared, theta: &[f64]) -> Option<Evaluation> {
    let values: Vec<GroupValues> = model
        .groups
        .iter()
        .map(|gp| gp.values(theta))
        .collect::<Option<_>>()?;
    let full = full_inverses(&values)?;
    let mut e = Evaluation {
        f: 0.0,
        per_block: Vec::with_capacity(prep.blocks.len()),
        inverses: Vec::with_capacity(prep.blocks.len()),
        values,
    };
    for b in &prep.blocks {
        let (f, w) = block_discrepancy(b, &e.values[b.group], &full[b.group], model.means())?;
        e.f += prep.weight(b) * f;
        e.per_block.push(f);
        e.inverses.push(w);
    }
    Some(e)
}

/// A parameter and its (∂Σ, ∂μ) in one group.
pub(crate) type Derivative = (usize, DMatrix<f64>, DVector<f64>);

/// Per group: every free cell's parameter and (∂Σ, ∂μ), cells of one parameter summed.
pub(crate) fn derivatives(model: &Model, values: &[GroupValues]) -> Vec<Vec<Derivative>> {
    model
        .groups
        .iter()
        .zip(values)
        .map(|(gp, v)| {
            let mut out: Vec<Derivative> = Vec::new();
            for (matrix, i, j, k) in gp.free_cells() {
                let (ds, dmu) = cell_derivative(v, matrix, i, j);
                match out.iter_mut().find(|(kk, _, _)| *kk == k) {
                    Some(entry) => {
                        entry.1 += ds;
                        entry.2 += dmu;
                    }
                    None => out.push((k, ds, dmu)),
                }
            }
            out
        })
        .collect()
}

/// Gradient of F and its expected information (unit: one respondent, F not halved):
/// ∂F/∂θ_k = Σ_g w_g [tr(D_g ∂Σ_k) − 2 dᵀ W ∂μ_k],  D_g = W(Σ − S)W − W d dᵀ W, d = x̄ − μ;
/// I_kl = Σ_g w_g [tr(W ∂Σ_k W ∂Σ_l) + 2 ∂μ_kᵀ W ∂μ_l].
///
/// Every cell's ∂Σ is a sum of symmetric rank-2 terms a bᵀ + b aᵀ ([`cell_terms`]), so with G = VᵀWV over
/// all term vectors V: tr(D(a bᵀ + b aᵀ)) = 2 aᵀDb and tr(W(a bᵀ + b aᵀ)W(c dᵀ + d cᵀ)) =
/// 2[(aᵀWc)(bᵀWd) + (aᵀWd)(bᵀWc)] — one small matrix product instead of p×p products per parameter pair.
pub(crate) fn gradient_information(
    model: &Model,
    prep: &Prepared,
    values: &[GroupValues],
    inverses: &[DMatrix<f64>],
) -> (DVector<f64>, DMatrix<f64>) {
    let (g, info) = accumulate(model, prep, values, inverses, true);
    (g, info.expect("asked for the information"))
}

/// The gradient of F alone (for the observed information by differences). The gradient is linear in each
/// block's D = W(Σ − S)W − W d dᵀ W and W d, so they are summed over the blocks of a group first (embedded
/// at the block's observed variables) and every term is applied once: 2 aᵀ D b − 2 (W d)ᵀ ∂μ.
pub(crate) fn gradient(
    model: &Model,
    prep: &Prepared,
    values: &[GroupValues],
    inverses: &[DMatrix<f64>],
) -> DVector<f64> {
    use rayon::prelude::*;
    let groups = model.groups.len();
    let p = values.first().map_or(0, |v| v.sigma.nrows());
    let sums: Vec<Vec<(DMatrix<f64>, DVector<f64>)>> = (0..prep.blocks.len())
        .step_by(BLOCKS_PER_TASK)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|start| {
            let mut acc = vec![(DMatrix::zeros(p, p), DVector::zeros(p)); groups];
            let end = (start + BLOCKS_PER_TASK).min(prep.blocks.len());
            for (b, w) in prep.blocks[start..end].iter().zip(&inverses[start..end]) {
                let wg = prep.weight(b);
                let (sigma, mu) = b.implied(&values[b.group]);
                let d = if model.means() {
                    &b.means - &mu
                } else {
                    DVector::zeros(sigma.nrows())
                };
                let wd = w * &d;
                let dmat = (w * (&sigma - &b.s) * w - &wd * wd.transpose()) * wg;
                let (total_d, total_wd) = &mut acc[b.group];
                match &b.select {
                    None => {
                        *total_d += dmat;
                        *total_wd += wd * wg;
                    }
                    Some(o) => {
                        for (u, &i) in o.iter().enumerate() {
                            total_wd[i] += wg * wd[u];
                            for (v, &j) in o.iter().enumerate() {
                                total_d[(i, j)] += dmat[(u, v)];
                            }
                        }
                    }
                }
            }
            acc
        })
        .collect();
    let mut totals = vec![(DMatrix::zeros(p, p), DVector::zeros(p)); groups];
    for task in sums {
        for (total, part) in totals.iter_mut().zip(task) {
            total.0 += part.0;
            total.1 += part.1;
        }
    }
    let mut grad = DVector::zeros(model.n_params);
    for (terms, (d, wd)) in group_terms(model, values).iter().zip(&totals) {
        let dv = d * &terms.v;
        let mwd = terms.m.transpose() * wd;
        for (k, at, mu_at) in &terms.cells {
            if let Some(c) = at {
                grad[*k] += 2.0 * terms.v.column(*c).dot(&dv.column(c + 1));
            }
            if let Some(u) = mu_at {
                grad[*k] -= 2.0 * mwd[*u];
            }
        }
    }
    grad
}

/// The term vectors of one group's free cells, as the columns of V and M, and the cells' layout.
struct GroupTerms {
    /// p × 2T: the (a, b) of every rank-2 term of ∂Σ, side by side.
    v: DMatrix<f64>,
    /// p × U: every non-zero ∂μ.
    m: DMatrix<f64>,
    /// (parameter, column of a in V, column in M) per free cell.
    cells: Vec<(usize, Option<usize>, Option<usize>)>,
}

fn group_terms(model: &Model, values: &[GroupValues]) -> Vec<GroupTerms> {
    model
        .groups
        .iter()
        .zip(values)
        .map(|(gp, v)| {
            let p = v.sigma.nrows();
            let mut columns: Vec<DVector<f64>> = Vec::new();
            let mut mu_columns: Vec<DVector<f64>> = Vec::new();
            let cells = gp
                .free_cells()
                .into_iter()
                .map(|(matrix, i, j, k)| {
                    let (pair, dmu) = cell_terms(v, matrix, i, j, model.means());
                    let at = pair.map(|(a, b)| {
                        columns.push(a);
                        columns.push(b);
                        columns.len() - 2
                    });
                    let mu_at = dmu.filter(|m| m.iter().any(|&x| x != 0.0)).map(|m| {
                        mu_columns.push(m);
                        mu_columns.len() - 1
                    });
                    (k, at, mu_at)
                })
                .collect();
            let matrix = |c: &[DVector<f64>]| {
                if c.is_empty() {
                    DMatrix::zeros(p, 0)
                } else {
                    DMatrix::from_columns(c)
                }
            };
            GroupTerms {
                v: matrix(&columns),
                m: matrix(&mu_columns),
                cells,
            }
        })
        .collect()
}

/// Blocks per task when blocks are many (missingness patterns): each task sums its blocks in order and the
/// tasks' sums are added in order, so the result does not depend on the number of threads.
const BLOCKS_PER_TASK: usize = 32;

fn accumulate(
    model: &Model,
    prep: &Prepared,
    values: &[GroupValues],
    inverses: &[DMatrix<f64>],
    with_info: bool,
) -> (DVector<f64>, Option<DMatrix<f64>>) {
    use rayon::prelude::*;
    let q = model.n_params;
    let terms = group_terms(model, values);
    let tasks: Vec<(DVector<f64>, Option<DMatrix<f64>>)> = (0..prep.blocks.len())
        .step_by(BLOCKS_PER_TASK)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|start| {
            let mut grad = DVector::zeros(q);
            let mut info = with_info.then(|| DMatrix::zeros(q, q));
            let end = (start + BLOCKS_PER_TASK).min(prep.blocks.len());
            for (b, w) in prep.blocks[start..end].iter().zip(&inverses[start..end]) {
                block_terms(
                    model,
                    prep,
                    b,
                    w,
                    &values[b.group],
                    &terms[b.group],
                    &mut grad,
                    info.as_mut(),
                );
            }
            (grad, info)
        })
        .collect();
    let mut grad = DVector::zeros(q);
    let mut info = with_info.then(|| DMatrix::zeros(q, q));
    for (g, i) in tasks {
        grad += g;
        if let (Some(total), Some(i)) = (info.as_mut(), i) {
            *total += i;
        }
    }
    (grad, info)
}

/// One block's share of the gradient (and of the information).
#[allow(clippy::too_many_arguments)]
fn block_terms(
    model: &Model,
    prep: &Prepared,
    b: &Block,
    w: &DMatrix<f64>,
    values: &GroupValues,
    terms: &GroupTerms,
    grad: &mut DVector<f64>,
    info: Option<&mut DMatrix<f64>>,
) {
    let wg = prep.weight(b);
    let (sigma, mu) = b.implied(values);
    let p = sigma.nrows();
    let d = if model.means() {
        &b.means - &mu
    } else {
        DVector::zeros(p)
    };
    let wd = w * &d;
    let dmat = w * (&sigma - &b.s) * w - &wd * wd.transpose();
    let (vmat, mmat) = match &b.select {
        None => (terms.v.clone(), terms.m.clone()),
        Some(o) => (terms.v.select_rows(o), terms.m.select_rows(o)),
    };
    let dv = &dmat * &vmat;
    let mwd = mmat.transpose() * &wd;
    for (k, at, mu_at) in &terms.cells {
        if let Some(c) = at {
            // 2 aᵀ D b
            grad[*k] += wg * 2.0 * vmat.column(*c).dot(&dv.column(c + 1));
        }
        if let Some(u) = mu_at {
            grad[*k] -= wg * 2.0 * mwd[*u];
        }
    }
    let Some(info) = info else { return };
    let gram = vmat.transpose() * (w * &vmat);
    let mwm = mmat.transpose() * (w * &mmat);
    for (x, (k, at, mu_at)) in terms.cells.iter().enumerate() {
        // The information is symmetric: one half is computed, both are filled.
        for (y, (l, bt, mu_bt)) in terms.cells.iter().enumerate().skip(x) {
            let mut val = 0.0;
            if let (Some(a), Some(c)) = (at, bt) {
                let (a, b, c, e) = (*a, a + 1, *c, c + 1);
                val += 2.0 * (gram[(a, c)] * gram[(b, e)] + gram[(a, e)] * gram[(b, c)]);
            }
            if let (Some(u), Some(t)) = (mu_at, mu_bt) {
                val += 2.0 * mwm[(*u, *t)];
            }
            let val = wg * val;
            info[(*k, *l)] += val;
            // Cells x ≠ y contribute twice (x, y and y, x), also when they share one parameter (k = l).
            if x != y {
                info[(*l, *k)] += val;
            }
        }
    }
}

/// The ML solution of a model.
#[derive(Debug, Clone)]
pub struct Estimate {
    pub theta: DVector<f64>,
    /// Minimum of F = Σ_g (n_g/N) F_g; χ² = N·F.
    pub fmin: f64,
    /// F_g of each group.
    pub fmin_groups: Vec<f64>,
    /// Matrices and implied moments of each group.
    pub values: Vec<GroupValues>,
    /// Expected information of F (one respondent, not halved) at the solution.
    pub information: DMatrix<f64>,
    pub iterations: usize,
    pub converged: bool,
    /// Total respondents N.
    pub n_total: usize,
}

impl Estimate {
    /// Covariance matrix of the estimates from the expected information, (N/2 · I)⁻¹ (lavaan's default
    /// se = "standard" with information = "expected"); None when the information is singular.
    pub fn vcov(&self) -> Option<DMatrix<f64>> {
        let scaled = &self.information * (self.n_total as f64 / 2.0);
        spd_inverse(&scaled).or_else(|| scaled.try_inverse())
    }
}

/// Fit `model` to the groups' moments by Fisher scoring from `start`, to a gradient below 1e-9.
pub fn estimate(model: &Model, data: &[SampleMoments], start: DVector<f64>) -> Result<Estimate> {
    estimate_to(model, data, start, GRADIENT_TOL)
}

/// As [`estimate`], converged when the largest gradient component is below `tolerance`.
pub fn estimate_to(
    model: &Model,
    data: &[SampleMoments],
    start: DVector<f64>,
    tolerance: f64,
) -> Result<Estimate> {
    if model.groups.len() != data.len() {
        return Err(Error::Internal(
            "the model's groups and the data's do not agree".into(),
        ));
    }
    fit_prepared(model, &Prepared::new(data)?, start, tolerance)
}

/// Fisher scoring on prepared blocks.
pub(crate) fn fit_prepared(
    model: &Model,
    prep: &Prepared,
    start: DVector<f64>,
    tolerance: f64,
) -> Result<Estimate> {
    if !model.check() || start.len() != model.n_params {
        return Err(Error::Internal(
            "the model's parameters and start values do not agree".into(),
        ));
    }
    let q = model.n_params;
    let mut theta = start;
    let mut cur =
        evaluate(model, prep, theta.as_slice()).ok_or_else(|| Error::NotPositiveDefinite {
            what: "the implied covariance matrix at the start values".into(),
            fix: "check the items for reverse-keying errors".into(),
        })?;
    let mut converged = false;
    let mut iterations = 0;
    let mut info = DMatrix::zeros(q, q);
    // Whether `info` was computed at the current theta (no step taken since).
    let mut info_current = false;
    for it in 0..MAX_ITERATIONS {
        iterations = it + 1;
        let (grad, information) = gradient_information(model, prep, &cur.values, &cur.inverses);
        info = information;
        info_current = true;
        if grad.amax() < tolerance {
            converged = true;
            break;
        }
        let step = match info.clone().cholesky() {
            Some(ch) => -ch.solve(&grad),
            None => -&grad,
        };
        let mut t = 1.0;
        let mut accepted = false;
        for _ in 0..40 {
            let cand = &theta + &step * t;
            if let Some(e) = evaluate(model, prep, cand.as_slice()) {
                if e.f <= cur.f + 1e-14 * cur.f.abs().max(1.0) {
                    let tiny = (cur.f - e.f).abs() < 1e-15 && step.amax() * t < 1e-12;
                    theta = cand;
                    cur = e;
                    accepted = true;
                    info_current = false;
                    converged = tiny;
                    break;
                }
            }
            t *= 0.5;
        }
        if !accepted || converged {
            // No further descent: converged if the gradient is already negligible.
            converged = converged || grad.amax() < GRADIENT_TOL_STALLED;
            break;
        }
    }
    if !info_current {
        // The loop stopped after a step: the information at the solution.
        info = gradient_information(model, prep, &cur.values, &cur.inverses).1;
    }
    let Evaluation {
        f: fmin,
        per_block: fmin_groups,
        values,
        ..
    } = cur;
    Ok(Estimate {
        theta,
        fmin,
        fmin_groups,
        values,
        information: info,
        iterations,
        converged,
        n_total: prep.n_total as usize,
    })
}
