//! Factor extraction from a correlation matrix: minres (psych's default), maximum likelihood and iterated
//! principal axes, each as psych::fa computes it.
//!
//! * minres — the uniquenesses ψ minimise the residual sum of squares of `R − diag(ψ)` outside its first m
//!   eigen-directions (Harman's MINRES = unweighted least squares; at the optimum the off-diagonal criterion
//!   psych reports and the ULS criterion have the same stationary point). Start ψ = 1 − SMC, bounds [.005, 1],
//!   as psych.
//! * ml — psych's/factanal's concentrated likelihood in ψ (`FAfn`, `FAgr`), start `(1 − m/2p) / diag(R⁻¹)`.
//! * pa — psych's principal-axis iteration: SMCs on the diagonal, loadings from the first m eigenpairs, new
//!   diagonal = communalities, stop when the communality sum changes by ≤ .001 or after 50 steps (R's rule,
//!   kept so results match psych, which stops early).

use super::super::linalg::{eigen_desc, smc};
use super::super::optimize::minimize_box;
use crate::error::{Error, Result};
use nalgebra::{DMatrix, DVector};

/// Lower bound on a uniqueness, as psych's optimiser (`lower = .005`).
const PSI_MIN: f64 = 0.005;

/// Extraction method (psych's `fm`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    Minres,
    Ml,
    Pa,
}

impl Method {
    pub fn name(self) -> &'static str {
        match self {
            Method::Minres => "minres",
            Method::Ml => "ml",
            Method::Pa => "pa",
        }
    }
}

/// Unrotated factor solution.
#[derive(Debug, Clone)]
pub struct Extraction {
    /// p × m loadings, columns in eigenvalue order, each signed so its column sum is positive (as psych).
    pub loadings: DMatrix<f64>,
    pub iterations: usize,
    pub converged: bool,
}

/// Extract `m` factors from correlation matrix `r`.
pub fn extract(r: &DMatrix<f64>, m: usize, method: Method) -> Result<Extraction> {
    let p = r.nrows();
    if m == 0 || m >= p {
        return Err(Error::Usage(format!(
            "cannot extract {m} factors from {p} items: choose between 1 and {}",
            p.saturating_sub(1)
        )));
    }
    let smcs = smc(r).ok_or_else(|| Error::NotPositiveDefinite {
        what: "the item correlation matrix".into(),
        fix: "look for items that are exact copies or sums of other items and drop one of them"
            .into(),
    })?;
    let mut ex = match method {
        Method::Minres => {
            let start = smcs.map(|s| 1.0 - s);
            let min = minimize_box(
                |psi| uls_objective(r, m, psi),
                start,
                PSI_MIN,
                1.0,
                1e-10,
                2000,
            );
            Extraction {
                loadings: reduced_loadings(r, m, &min.x),
                iterations: min.iterations,
                converged: min.converged,
            }
        }
        Method::Ml => {
            let inv = super::super::linalg::spd_inverse(r)
                .expect("smc succeeded, so r is positive definite");
            let start = DVector::from_iterator(
                p,
                (0..p).map(|i| (1.0 - 0.5 * m as f64 / p as f64) / inv[(i, i)]),
            );
            let min = minimize_box(
                |psi| ml_objective(r, m, psi),
                start,
                PSI_MIN,
                1.0,
                1e-10,
                2000,
            );
            Extraction {
                loadings: ml_loadings(r, m, &min.x),
                iterations: min.iterations,
                converged: min.converged,
            }
        }
        Method::Pa => principal_axes(r, m, &smcs),
    };
    sign_columns(&mut ex.loadings);
    Ok(ex)
}

/// ULS criterion ½‖E‖² with E = (R − diag ψ) − its rank-m part, and its gradient −diag(E).
fn uls_objective(r: &DMatrix<f64>, m: usize, psi: &DVector<f64>) -> (f64, DVector<f64>) {
    let mut a = r.clone();
    for i in 0..a.nrows() {
        a[(i, i)] -= psi[i];
    }
    let l = top_loadings(&a, m);
    let e = &a - &l * l.transpose();
    (0.5 * e.norm_squared(), -e.diagonal())
}

/// Loadings of the first m eigenpairs of `a` (negative eigenvalues treated as 0).
fn top_loadings(a: &DMatrix<f64>, m: usize) -> DMatrix<f64> {
    let (vals, vecs) = eigen_desc(a);
    let mut l = vecs.columns(0, m).into_owned();
    for k in 0..m {
        let s = vals[k].max(0.0).sqrt();
        l.column_mut(k).scale_mut(s);
    }
    l
}

fn reduced_loadings(r: &DMatrix<f64>, m: usize, psi: &DVector<f64>) -> DMatrix<f64> {
    let mut a = r.clone();
    for i in 0..a.nrows() {
        a[(i, i)] -= psi[i];
    }
    top_loadings(&a, m)
}

/// psych's FAfn/FAgr: −Σ_{k>m}(ln e_k − e_k) + m − p over the eigenvalues e of ψ^{-½} R ψ^{-½}.
fn ml_objective(r: &DMatrix<f64>, m: usize, psi: &DVector<f64>) -> (f64, DVector<f64>) {
    let p = r.nrows();
    let sc = psi.map(|v| 1.0 / v.sqrt());
    let sstar = DMatrix::from_fn(p, p, |i, j| r[(i, j)] * sc[i] * sc[j]);
    let (vals, vecs) = eigen_desc(&sstar);
    let tail: f64 = (m..p).map(|k| vals[k].ln() - vals[k]).sum();
    let f = -(tail - m as f64 + p as f64);
    let mut load = DMatrix::zeros(p, m);
    for k in 0..m {
        let s = (vals[k] - 1.0).max(0.0).sqrt();
        for i in 0..p {
            load[(i, k)] = vecs[(i, k)] * s * psi[i].sqrt();
        }
    }
    let model = &load * load.transpose();
    let g = DVector::from_iterator(
        p,
        (0..p).map(|i| (model[(i, i)] + psi[i] - r[(i, i)]) / (psi[i] * psi[i])),
    );
    (f, g)
}

/// psych's FAout: loadings of the ML solution at ψ.
fn ml_loadings(r: &DMatrix<f64>, m: usize, psi: &DVector<f64>) -> DMatrix<f64> {
    let p = r.nrows();
    let sc = psi.map(|v| 1.0 / v.sqrt());
    let sstar = DMatrix::from_fn(p, p, |i, j| r[(i, j)] * sc[i] * sc[j]);
    let (vals, vecs) = eigen_desc(&sstar);
    DMatrix::from_fn(p, m, |i, k| {
        vecs[(i, k)] * (vals[k] - 1.0).max(0.0).sqrt() * psi[i].sqrt()
    })
}

/// psych's principal-axis iteration (min.err = .001, max.iter = 50).
fn principal_axes(r: &DMatrix<f64>, m: usize, smcs: &DVector<f64>) -> Extraction {
    const MIN_ERR: f64 = 0.001;
    const MAX_ITER: usize = 50;
    let p = r.nrows();
    let mut a = r.clone();
    let mut comm = a.trace();
    for i in 0..p {
        a[(i, i)] = smcs[i];
    }
    let mut loadings = DMatrix::zeros(p, m);
    let mut iterations = 0;
    let mut converged = false;
    while iterations < MAX_ITER {
        let (vals, vecs) = eigen_desc(&a);
        loadings = DMatrix::from_fn(p, m, |i, k| vecs[(i, k)] * vals[k].max(0.0).sqrt());
        let h2: Vec<f64> = (0..p).map(|i| loadings.row(i).norm_squared()).collect();
        let comm1: f64 = h2.iter().sum();
        for i in 0..p {
            a[(i, i)] = h2[i];
        }
        let err = (comm - comm1).abs();
        comm = comm1;
        iterations += 1;
        if err <= MIN_ERR {
            converged = true;
            break;
        }
    }
    Extraction {
        loadings,
        iterations,
        converged,
    }
}

/// Flip each column so that its sum is positive (psych's convention).
pub fn sign_columns(l: &mut DMatrix<f64>) {
    for mut col in l.column_iter_mut() {
        if col.sum() < 0.0 {
            col.neg_mut();
        }
    }
}
