//! Factor structure of the items: factorability (KMO, Bartlett), eigenvalues and exploratory factor analysis.
//!
//! ```
//! use nalgebra::DMatrix;
//! let r = DMatrix::from_row_slice(3, 3, &[1.0, 0.5, 0.4, 0.5, 1.0, 0.3, 0.4, 0.3, 1.0]);
//! let b = perval::stats::factor::bartlett(&r, 100).unwrap();
//! assert_eq!(b.df, 3);
//! ```

pub mod extract;
pub mod parallel;
pub mod rotate;

pub use extract::Method;
pub use rotate::Rotation;

use super::linalg::{eigen_desc, spd_inverse, spd_logdet};
use crate::error::{Error, Result};
use nalgebra::{DMatrix, DVector};
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// Kaiser–Meyer–Olkin measure of sampling adequacy, overall and per item (psych::KMO).
#[derive(Debug, Clone)]
pub struct Kmo {
    pub overall: f64,
    pub items: Vec<f64>,
}

/// KMO from a correlation matrix: Σr² / (Σr² + Σq²) over off-diagonal elements, q = anti-image correlations.
pub fn kmo(r: &DMatrix<f64>) -> Result<Kmo> {
    let inv = spd_inverse(r).ok_or_else(not_pd)?;
    let p = r.nrows();
    let q = DMatrix::from_fn(p, p, |i, j| {
        if i == j {
            0.0
        } else {
            inv[(i, j)] / (inv[(i, i)] * inv[(j, j)]).sqrt()
        }
    });
    let r2 = DMatrix::from_fn(
        p,
        p,
        |i, j| if i == j { 0.0 } else { r[(i, j)] * r[(i, j)] },
    );
    let q2 = q.map(|v| v * v);
    let (sr, sq) = (r2.sum(), q2.sum());
    let items = (0..p)
        .map(|j| {
            let a = r2.column(j).sum();
            a / (a + q2.column(j).sum())
        })
        .collect();
    Ok(Kmo {
        overall: sr / (sr + sq),
        items,
    })
}

/// Bartlett's test of sphericity (psych::cortest.bartlett).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Bartlett {
    pub chi2: f64,
    pub df: usize,
    pub p: f64,
}

/// χ² = −((n − 1) − (2p + 5)/6) ln|R|, df = p(p − 1)/2.
pub fn bartlett(r: &DMatrix<f64>, n: usize) -> Result<Bartlett> {
    let p = r.nrows();
    let logdet = spd_logdet(r).ok_or_else(not_pd)?;
    let chi2 = -((n as f64 - 1.0) - (2.0 * p as f64 + 5.0) / 6.0) * logdet;
    let df = p * (p - 1) / 2;
    let pval = ChiSquared::new(df as f64)
        .map(|d| d.sf(chi2))
        .unwrap_or(f64::NAN);
    Ok(Bartlett { chi2, df, p: pval })
}

/// Eigenvalues of a correlation matrix in decreasing order (R's `eigen(R)$values`).
pub fn eigenvalues(r: &DMatrix<f64>) -> Vec<f64> {
    eigen_desc(r).0.iter().copied().collect()
}

fn not_pd() -> Error {
    Error::NotPositiveDefinite {
        what: "the item correlation matrix".into(),
        fix: "look for items that duplicate others or are sums of others, or for too few respondents; drop one of the items".into(),
    }
}

/// An exploratory factor solution, ordered and signed as psych orders and signs it.
#[derive(Debug, Clone)]
pub struct EfaFit {
    pub method: Method,
    pub rotation: Rotation,
    pub n_factors: usize,
    /// p × m pattern loadings.
    pub loadings: DMatrix<f64>,
    /// diag(L Φ Lᵀ).
    pub communalities: DVector<f64>,
    pub uniquenesses: DVector<f64>,
    /// m × m factor correlations (identity for orthogonal rotations).
    pub phi: DMatrix<f64>,
    /// Variance accounted for by each factor: diag(Φ LᵀL).
    pub ss_loadings: Vec<f64>,
    pub extraction_iterations: usize,
    pub extraction_converged: bool,
    pub rotation_iterations: usize,
    pub rotation_converged: bool,
}

/// Exploratory factor analysis of correlation matrix `r` (psych::fa with `fm` and `rotate`).
pub fn efa(
    r: &DMatrix<f64>,
    n_factors: usize,
    method: Method,
    rotation: Rotation,
) -> Result<EfaFit> {
    let ex = extract::extract(r, n_factors, method)?;
    let mut rot = rotate::rotate(&ex.loadings, rotation);
    rotate::order_and_sign(&mut rot);
    let l = &rot.loadings;
    let implied = l * &rot.phi * l.transpose();
    let communalities = implied.diagonal();
    let uniquenesses = communalities.map(|h| 1.0 - h);
    let ss_loadings = (&rot.phi * (l.transpose() * l))
        .diagonal()
        .iter()
        .copied()
        .collect();
    Ok(EfaFit {
        method,
        rotation,
        n_factors,
        communalities,
        uniquenesses,
        ss_loadings,
        loadings: rot.loadings,
        phi: rot.phi,
        extraction_iterations: ex.iterations,
        extraction_converged: ex.converged,
        rotation_iterations: rot.iterations,
        rotation_converged: rot.converged,
    })
}
