//! One maximum-likelihood engine for covariance-structure models: CFA, second-order CFA, multi-group models
//! with equality constraints and structural models all describe themselves as a [`Model`] (LISREL all-y
//! matrices whose cells are fixed or free, free cells sharing an index being equal) and are fitted,
//! standardized, judged ([`FitIndices`]) and searched for misfit ([`modification_indices`]) here, as lavaan
//! does by default (ML, normal likelihood, expected information).
//!
//! ```
//! use perval::stats::sem::{self, Cell, GroupPattern, Model, SampleMoments};
//! use nalgebra::{DMatrix, DVector};
//! // One factor with three indicators, the first loading fixed to 1.
//! let mut g = GroupPattern::new(3, 1, false);
//! g.lambda.set(0, 0, Cell::Fixed(1.0));
//! g.lambda.set(1, 0, Cell::Free(0));
//! g.lambda.set(2, 0, Cell::Free(1));
//! g.psi.set(0, 0, Cell::Free(2));
//! for i in 0..3 { g.theta.set(i, i, Cell::Free(3 + i)); }
//! let model = Model { groups: vec![g], n_params: 6 };
//! let cov = DMatrix::from_row_slice(3, 3, &[1.0, 0.5, 0.4, 0.5, 1.0, 0.45, 0.4, 0.45, 1.0]);
//! let data = [SampleMoments { n: 200, means: DVector::zeros(3), cov }];
//! let est = sem::estimate(&model, &data, sem::default_start(&model, &data)).unwrap();
//! assert!(est.converged);
//! let fit = sem::fit_indices(&model, &data, &est).unwrap();
//! assert_eq!(fit.df, 0);
//! ```

mod estimate;
pub mod fiml;
mod fit;
mod model;
pub mod score;

pub use estimate::{estimate, estimate_to, Estimate, SampleMoments, MAX_ITERATIONS};
pub use fit::{conditional_on_covariates, fit_indices, FitIndices};
pub use model::{cell_derivative, Cell, GroupPattern, GroupValues, Matrix, Model, Pattern, Place};

use crate::stats::linalg::{frob_dot, spd_inverse};
use nalgebra::{DMatrix, DVector};

/// Start values: for each latent variable with indicators, its variance is the mean covariance of its first
/// indicator with the others and each free loading is that covariance over the variance (regression on the
/// marker); residual variances are what the factor leaves of each item's variance (at least 10%); latent
/// variables without indicators get half the smallest such variance, the free regressions on them 1 and the
/// other regressions 0; disturbances of regressed latents start at half their variance; intercepts start at
/// the means of their first group and latent means at 0. The ML solution does not depend on them.
pub fn default_start(model: &Model, data: &[SampleMoments]) -> DVector<f64> {
    let mut start: Vec<Option<f64>> = vec![None; model.n_params];
    for (gp, d) in model.groups.iter().zip(data) {
        let s = &d.cov * ((d.n as f64 - 1.0) / d.n as f64);
        let (p, m) = (gp.p(), gp.m());
        let indicators: Vec<Vec<usize>> = (0..m)
            .map(|f| {
                (0..p)
                    .filter(|&i| gp.lambda.get(i, f) != Cell::Fixed(0.0))
                    .collect()
            })
            .collect();
        let mut var = vec![1.0; m];
        let mut lambda = DMatrix::zeros(p, m);
        for f in 0..m {
            let items = &indicators[f];
            let Some(&marker) = items.first() else {
                continue;
            };
            let covs: Vec<f64> = items[1..].iter().map(|&j| s[(marker, j)]).collect();
            let mean_cov = if covs.is_empty() {
                0.5 * s[(marker, marker)]
            } else {
                covs.iter().sum::<f64>() / covs.len() as f64
            };
            var[f] = if mean_cov > 0.05 * s[(marker, marker)] {
                mean_cov
            } else {
                0.5 * s[(marker, marker)]
            };
            lambda[(marker, f)] = 1.0;
            for &j in &items[1..] {
                lambda[(j, f)] = s[(marker, j)] / var[f];
            }
        }
        let measured: Vec<bool> = indicators.iter().map(|i| !i.is_empty()).collect();
        let smallest = (0..m)
            .filter(|&f| measured[f])
            .map(|f| var[f])
            .fold(f64::INFINITY, f64::min);
        let higher = if smallest.is_finite() {
            0.5 * smallest
        } else {
            1.0
        };
        let regressed: Vec<bool> = (0..m)
            .map(|f| (0..m).any(|h| gp.beta.get(f, h) != Cell::Fixed(0.0)))
            .collect();
        for (matrix, i, j, k) in gp.free_cells() {
            if start[k].is_some() {
                continue;
            }
            let v = match matrix {
                Matrix::Lambda => {
                    if lambda[(i, j)] != 0.0 {
                        lambda[(i, j)]
                    } else {
                        1.0
                    }
                }
                Matrix::Beta => {
                    if measured[j] {
                        0.0
                    } else {
                        1.0
                    }
                }
                Matrix::Psi if i == j => {
                    let v = if measured[i] { var[i] } else { higher };
                    if regressed[i] {
                        (v - higher).max(0.5 * v)
                    } else {
                        v
                    }
                }
                Matrix::Psi => 0.0,
                Matrix::Theta if i == j => {
                    let explained: f64 = (0..m)
                        .map(|f| lambda[(i, f)] * lambda[(i, f)] * var[f])
                        .sum();
                    (s[(i, i)] - explained).max(0.1 * s[(i, i)])
                }
                Matrix::Theta => 0.0,
                Matrix::Nu => d.means[i],
                Matrix::Alpha => 0.0,
            };
            start[k] = Some(v);
        }
    }
    DVector::from_iterator(model.n_params, start.into_iter().map(|v| v.unwrap_or(0.0)))
}

/// The completely standardized solution (lavaan std.all) of one group.
#[derive(Debug, Clone)]
pub struct Standardized {
    /// λ_ij sqrt(Var η_j) / sqrt(σ_ii).
    pub lambda: DMatrix<f64>,
    /// B_ij sqrt(Var η_j) / sqrt(Var η_i).
    pub beta: DMatrix<f64>,
    /// Variances: ψ_ii / Var η_i; covariances: the correlation of the disturbances, ψ_ij / sqrt(ψ_ii ψ_jj)
    /// (for exogenous variables the factor correlation), as lavaan's std.all.
    pub psi: DMatrix<f64>,
    /// Variances: θ_ii / σ_ii; covariances: the residual correlation θ_ij / sqrt(θ_ii θ_jj), as lavaan.
    pub theta: DMatrix<f64>,
    /// Correlations of the latent variables: (AΨAᵀ)_ij / sqrt(Var η_i Var η_j).
    pub latent_cor: DMatrix<f64>,
}

/// Standardize one group's values.
pub fn standardize(v: &GroupValues) -> Standardized {
    let sd_eta: Vec<f64> = (0..v.latent_cov.nrows())
        .map(|f| v.latent_cov[(f, f)].sqrt())
        .collect();
    let sd_y: Vec<f64> = (0..v.sigma.nrows())
        .map(|i| v.sigma[(i, i)].sqrt())
        .collect();
    let by = |m: &DMatrix<f64>, row: &[f64], col: &[f64], times_col: bool| {
        DMatrix::from_fn(m.nrows(), m.ncols(), |i, j| {
            if times_col {
                m[(i, j)] * col[j] / row[i]
            } else {
                m[(i, j)] / (row[i] * col[j])
            }
        })
    };
    // Covariances are scaled by the (residual) variances themselves, variances by the total variances.
    let residual = |m: &DMatrix<f64>, total_sd: &[f64]| {
        DMatrix::from_fn(m.nrows(), m.ncols(), |i, j| {
            if i == j {
                m[(i, i)] / (total_sd[i] * total_sd[i])
            } else {
                m[(i, j)] / (m[(i, i)] * m[(j, j)]).sqrt()
            }
        })
    };
    Standardized {
        lambda: by(&v.lambda, &sd_y, &sd_eta, true),
        beta: by(&v.beta, &sd_eta, &sd_eta, true),
        psi: residual(&v.psi, &sd_eta),
        theta: residual(&v.theta, &sd_y),
        latent_cor: by(&v.latent_cov, &sd_eta, &sd_eta, false),
    }
}

/// A fixed cell that could be freed, with its score test.
#[derive(Debug, Clone)]
pub struct ModificationIndex {
    pub place: Place,
    /// Expected drop in χ² if the cell were freed: N g² / (2 (I_jj − I_jf I_ff⁻¹ I_fj)), g = ∂F/∂θ_j.
    pub mi: f64,
    /// Expected parameter change: −g / (I_jj − I_jf I_ff⁻¹ I_fj).
    pub epc: f64,
}

/// Modification indices (score tests with the expected information, as lavaan::modindices) of the fixed
/// cells `candidates`, largest first. Empty when the information matrix is singular.
pub fn modification_indices(
    model: &Model,
    data: &[SampleMoments],
    est: &Estimate,
    candidates: &[Place],
) -> Vec<ModificationIndex> {
    let Some(info_inv) = est.information.clone().try_inverse() else {
        return Vec::new();
    };
    let n_total: f64 = data.iter().map(|d| d.n as f64).sum();
    let free = estimate::derivatives(model, &est.values);
    let mut out: Vec<ModificationIndex> = candidates
        .iter()
        .filter_map(|&place| {
            let g = place.group;
            let v = &est.values[g];
            let w = spd_inverse(&v.sigma)?;
            let d = &data[g];
            let wg = d.n as f64 / n_total;
            let s = &d.cov * ((d.n as f64 - 1.0) / d.n as f64);
            let resid = if model.means() {
                &d.means - &v.mu
            } else {
                DVector::zeros(v.mu.len())
            };
            let wd = &w * &resid;
            let dmat = &w * (&v.sigma - &s) * &w - &wd * wd.transpose();
            let (ds, dmu) = cell_derivative(v, place.matrix, place.row, place.col);
            let grad = wg * (frob_dot(&dmat, &ds) - 2.0 * wd.dot(&dmu));
            let a = &w * &ds * &w;
            let wmu = &w * &dmu;
            let ijj = wg * (frob_dot(&a, &ds) + 2.0 * dmu.dot(&wmu));
            let mut ijf = DVector::zeros(model.n_params);
            for (k, dsk, dmuk) in &free[g] {
                ijf[*k] += wg * (frob_dot(&a, dsk) + 2.0 * dmuk.dot(&wmu));
            }
            let cond = ijj - (ijf.transpose() * &info_inv * &ijf)[(0, 0)];
            (cond > 1e-12).then(|| ModificationIndex {
                place,
                mi: n_total * grad * grad / (2.0 * cond),
                epc: -grad / cond,
            })
        })
        .collect();
    out.sort_by(|a, b| b.mi.total_cmp(&a.mi));
    out
}
