//! PLS path modelling (Wold; Lohmöller 1989) as SmartPLS and R's seminr estimate it by default: indicators
//! z-scored (SD with n − 1), initial outer weights 1, path weighting, mode A (correlation weights) for `=~`
//! and mode B (regression weights) for `<~` constructs, every construct score rescaled to variance 1 after
//! each update, and a stop once the summed absolute change of all outer weights falls below 1e-7 (at most
//! 300 updates). PLSc (Dijkstra & Henseler 2015) corrects the mode A constructs for attenuation with ρ_A.
//!
//! Every step is linear in the standardized data, so the whole algorithm runs on the indicators'
//! correlation matrix: a resample or a cross-validation fold costs one p × p cross-product, not a pass of
//! the iterations over the rows.
//!
//! ```
//! use perval::stats::pls::{self, Mode, Settings, Spec};
//! use nalgebra::DMatrix;
//! // Two constructs with two indicators each, X -> Y.
//! let r = DMatrix::from_row_slice(4, 4, &[
//!     1.0, 0.6, 0.3, 0.3,
//!     0.6, 1.0, 0.3, 0.3,
//!     0.3, 0.3, 1.0, 0.5,
//!     0.3, 0.3, 0.5, 1.0]);
//! let spec = Spec { blocks: vec![vec![0, 1], vec![2, 3]], modes: vec![Mode::A, Mode::A], paths: vec![(0, 1)] };
//! let est = pls::estimate(&spec, &r, &Settings::default()).unwrap();
//! assert!(est.converged);
//! // Equal weights by symmetry: each score is (z1 + z2) / sqrt(2 · 1.6).
//! assert!((est.beta[(0, 1)] - 0.3 * 2.0 / (1.6f64 * 1.5).sqrt()).abs() < 1e-12);
//! ```

pub mod bootstrap;
pub mod ipma;
pub mod predict;
pub mod quality;

use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

/// How a construct's outer weights are estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mode {
    /// Correlation weights (`=~`, reflective measurement).
    A,
    /// Regression weights (`<~`, a composite formed by its indicators).
    B,
}

/// The inner weighting scheme: how a construct's inner proxy combines its neighbours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Weighting {
    /// Predecessors by their regression coefficients, successors by their correlations (the default of
    /// SmartPLS and seminr).
    Path,
    /// Neighbours by their correlations (seminr's `path_factorial`).
    Factor,
    /// Neighbours by the sign of their correlations.
    Centroid,
}

impl Weighting {
    pub fn name(self) -> &'static str {
        match self {
            Weighting::Path => "path",
            Weighting::Factor => "factor",
            Weighting::Centroid => "centroid",
        }
    }
}

/// The model: which indicators (columns of the correlation matrix) form each construct, how, and the paths.
#[derive(Debug, Clone)]
pub struct Spec {
    pub blocks: Vec<Vec<usize>>,
    pub modes: Vec<Mode>,
    /// (from, to) construct pairs, in the model's order.
    pub paths: Vec<(usize, usize)>,
}

impl Spec {
    pub fn constructs(&self) -> usize {
        self.blocks.len()
    }

    pub fn indicators(&self) -> usize {
        self.blocks.iter().map(Vec::len).sum()
    }

    /// The constructs with a path into `j`, in the model's order.
    pub fn predecessors(&self, j: usize) -> Vec<usize> {
        self.paths
            .iter()
            .filter(|p| p.1 == j)
            .map(|p| p.0)
            .collect()
    }

    /// Constructs with at least one incoming path, in construct order.
    pub fn endogenous(&self) -> Vec<usize> {
        (0..self.constructs())
            .filter(|&j| self.paths.iter().any(|p| p.1 == j))
            .collect()
    }

    /// Constructs with no incoming path.
    pub fn exogenous(&self) -> Vec<usize> {
        (0..self.constructs())
            .filter(|&j| !self.paths.iter().any(|p| p.1 == j))
            .collect()
    }

    /// The construct of each indicator.
    pub fn construct_of(&self) -> Vec<usize> {
        let mut of = vec![0; self.indicators()];
        for (j, b) in self.blocks.iter().enumerate() {
            for &i in b {
                of[i] = j;
            }
        }
        of
    }

    /// Endogenous constructs ordered so that each comes after all its predecessors (the model is recursive).
    pub fn causal_order(&self) -> Vec<usize> {
        let mut done: Vec<bool> = (0..self.constructs())
            .map(|j| !self.paths.iter().any(|p| p.1 == j))
            .collect();
        let mut order = Vec::new();
        while order.len() < self.endogenous().len() {
            let next = (0..self.constructs())
                .find(|&j| !done[j] && self.predecessors(j).iter().all(|&i| done[i]));
            match next {
                Some(j) => {
                    done[j] = true;
                    order.push(j);
                }
                None => break, // a cycle: refused when the model is built
            }
        }
        order
    }
}

/// Iteration settings (SmartPLS's and seminr's defaults).
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub weighting: Weighting,
    pub max_iterations: usize,
    /// Stop when the summed absolute change of all outer weights is below this.
    pub tolerance: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            weighting: Weighting::Path,
            max_iterations: 300,
            tolerance: 1e-7,
        }
    }
}

/// Why an estimation failed (in a resample, the resample is counted as failed).
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// A construct score has no variance (e.g. a constant indicator in a resample).
    ConstantConstruct(usize),
    /// A matrix to invert is singular: the indicators of a mode B block, or the predictors of a construct,
    /// are collinear.
    Singular(usize),
    /// PLSc: a construct's ρ_A is not positive (its square root, the correction, does not exist).
    NonPositiveRhoA(usize),
}

/// A PLS solution.
#[derive(Debug, Clone)]
pub struct Estimate {
    /// Outer weights, indicator × construct (zero outside the construct's block); every construct score
    /// has variance 1.
    pub weights: DMatrix<f64>,
    /// Correlation of every indicator with every construct score: the outer loadings on the own construct,
    /// cross-loadings elsewhere.
    pub cross_loadings: DMatrix<f64>,
    /// Correlations of the construct scores.
    pub construct_cor: DMatrix<f64>,
    /// Path coefficients, `beta[(from, to)]`.
    pub beta: DMatrix<f64>,
    /// R² of each construct (NaN for exogenous ones).
    pub r2: Vec<f64>,
    /// Number of weight updates made.
    pub weight_updates: usize,
    pub converged: bool,
}

impl Estimate {
    /// Each indicator's weight on its own construct.
    pub fn outer_weights(&self, spec: &Spec) -> Vec<f64> {
        let of = spec.construct_of();
        (0..of.len()).map(|i| self.weights[(i, of[i])]).collect()
    }

    /// Each indicator's loading on its own construct.
    pub fn outer_loadings(&self, spec: &Spec) -> Vec<f64> {
        let of = spec.construct_of();
        (0..of.len())
            .map(|i| self.cross_loadings[(i, of[i])])
            .collect()
    }
}

/// Solve `a x = b` for a symmetric positive definite `a`.
pub(crate) fn spd_solve(a: &DMatrix<f64>, b: &DVector<f64>) -> Option<DVector<f64>> {
    a.clone().cholesky().map(|c| c.solve(b))
}

/// The submatrix of `m` on rows `rows` and columns `cols`.
pub(crate) fn sub(m: &DMatrix<f64>, rows: &[usize], cols: &[usize]) -> DMatrix<f64> {
    DMatrix::from_fn(rows.len(), cols.len(), |a, b| m[(rows[a], cols[b])])
}

/// OLS of `y` on `xs` from a correlation matrix: (coefficients, R²).
pub(crate) fn regress(cor: &DMatrix<f64>, xs: &[usize], y: usize) -> Option<(DVector<f64>, f64)> {
    if xs.is_empty() {
        return Some((DVector::zeros(0), 0.0));
    }
    let rxy = DVector::from_iterator(xs.len(), xs.iter().map(|&x| cor[(x, y)]));
    let b = spd_solve(&sub(cor, xs, xs), &rxy)?;
    let r2 = b.dot(&rxy);
    Some((b, r2))
}

/// Path coefficients and R² of every endogenous construct from construct correlations.
pub(crate) fn structural(
    spec: &Spec,
    cor: &DMatrix<f64>,
) -> Result<(DMatrix<f64>, Vec<f64>), Failure> {
    let m = spec.constructs();
    let mut beta = DMatrix::zeros(m, m);
    let mut r2 = vec![f64::NAN; m];
    for j in spec.endogenous() {
        let preds = spec.predecessors(j);
        let (b, r) = regress(cor, &preds, j).ok_or(Failure::Singular(j))?;
        for (k, &i) in preds.iter().enumerate() {
            beta[(i, j)] = b[k];
        }
        r2[j] = r;
    }
    Ok((beta, r2))
}

/// Estimate the model from the indicators' correlation matrix `r`.
pub fn estimate(spec: &Spec, r: &DMatrix<f64>, settings: &Settings) -> Result<Estimate, Failure> {
    let (p, m) = (r.nrows(), spec.constructs());
    let mut w = DMatrix::zeros(p, m);
    for (j, b) in spec.blocks.iter().enumerate() {
        for &i in b {
            w[(i, j)] = 1.0;
        }
    }
    let mut converged = false;
    let mut updates = 0;
    while updates < settings.max_iterations {
        // Outer proxies, standardized.
        let wn = standardize(&w, r)?;
        let cy = wn.tr_mul(&(r * &wn));
        // Inner proxies, standardized.
        let e = inner_weights(spec, &cy, settings.weighting)?;
        let v = standardize(&(&wn * e), r)?;
        let rv = r * &v;
        let mut next = DMatrix::zeros(p, m);
        for (j, b) in spec.blocks.iter().enumerate() {
            let cov = DVector::from_iterator(b.len(), b.iter().map(|&i| rv[(i, j)]));
            let wj = match spec.modes[j] {
                Mode::A => cov,
                Mode::B => spd_solve(&sub(r, b, b), &cov).ok_or(Failure::Singular(j))?,
            };
            for (k, &i) in b.iter().enumerate() {
                next[(i, j)] = wj[k];
            }
        }
        let next = standardize(&next, r)?;
        let change: f64 = (&next - &w).iter().map(|d| d.abs()).sum();
        w = next;
        updates += 1;
        if change < settings.tolerance {
            converged = true;
            break;
        }
    }
    let cross_loadings = r * &w;
    let construct_cor = w.tr_mul(&cross_loadings);
    let (beta, r2) = structural(spec, &construct_cor)?;
    Ok(Estimate {
        weights: w,
        cross_loadings,
        construct_cor,
        beta,
        r2,
        weight_updates: updates,
        converged,
    })
}

/// Rescale each column of the weights so that its composite has variance 1.
fn standardize(w: &DMatrix<f64>, r: &DMatrix<f64>) -> Result<DMatrix<f64>, Failure> {
    let rw = r * w;
    let mut out = w.clone();
    for j in 0..w.ncols() {
        let var = w.column(j).dot(&rw.column(j));
        if var.is_nan() || var <= 1e-300 || var.is_infinite() {
            return Err(Failure::ConstantConstruct(j));
        }
        out.column_mut(j).scale_mut(1.0 / var.sqrt());
    }
    Ok(out)
}

/// The inner weights `e[(k, j)]`: how much construct k contributes to the inner proxy of j.
fn inner_weights(
    spec: &Spec,
    cy: &DMatrix<f64>,
    scheme: Weighting,
) -> Result<DMatrix<f64>, Failure> {
    let m = spec.constructs();
    let mut e = DMatrix::zeros(m, m);
    for &(i, j) in &spec.paths {
        match scheme {
            Weighting::Path => e[(j, i)] = cy[(j, i)],
            Weighting::Factor => {
                e[(j, i)] = cy[(j, i)];
                e[(i, j)] = cy[(i, j)];
            }
            Weighting::Centroid => {
                e[(j, i)] = cy[(j, i)].signum();
                e[(i, j)] = cy[(i, j)].signum();
            }
        }
    }
    if scheme == Weighting::Path {
        for j in spec.endogenous() {
            let preds = spec.predecessors(j);
            let (b, _) = regress(cy, &preds, j).ok_or(Failure::Singular(j))?;
            for (k, &i) in preds.iter().enumerate() {
                e[(i, j)] = b[k];
            }
        }
    }
    Ok(e)
}

/// PLSc: the construct correlations disattenuated by ρ_A (1 for mode B and single-indicator constructs),
/// the paths and R² re-estimated from them, and the loadings of mode A constructs made consistent,
/// λ = w·sqrt(ρ_A)/(w′w) (Dijkstra & Henseler 2015; seminr's `PLSc`). Weights are unchanged.
#[derive(Debug, Clone)]
pub struct Consistent {
    pub construct_cor: DMatrix<f64>,
    pub beta: DMatrix<f64>,
    pub r2: Vec<f64>,
    /// Each indicator's consistent loading on its own construct.
    pub loadings: Vec<f64>,
}

pub fn consistent(spec: &Spec, est: &Estimate, rho_a: &[f64]) -> Result<Consistent, Failure> {
    let m = spec.constructs();
    let cor = DMatrix::from_fn(m, m, |a, b| {
        if a == b {
            1.0
        } else {
            est.construct_cor[(a, b)] / (rho_a[a] * rho_a[b]).sqrt()
        }
    });
    let (beta, r2) = structural(spec, &cor)?;
    let mut loadings = est.outer_loadings(spec);
    for (j, b) in spec.blocks.iter().enumerate() {
        if spec.modes[j] == Mode::A {
            let ww: f64 = b.iter().map(|&i| est.weights[(i, j)].powi(2)).sum();
            for &i in b {
                loadings[i] = est.weights[(i, j)] * rho_a[j].sqrt() / ww;
            }
        }
    }
    Ok(Consistent {
        construct_cor: cor,
        beta,
        r2,
        loadings,
    })
}

/// The correlation matrix (and the means and SDs, divisor n − 1) of the rows of `x`.
pub fn correlations(x: &DMatrix<f64>) -> (DMatrix<f64>, DVector<f64>, DVector<f64>) {
    let n = x.nrows() as f64;
    let means = DVector::from_iterator(x.ncols(), x.column_iter().map(|c| c.sum() / n));
    let mut centred = x.clone();
    for (j, mut c) in centred.column_iter_mut().enumerate() {
        c.add_scalar_mut(-means[j]);
    }
    let cov = centred.tr_mul(&centred) / (n - 1.0);
    let sds = DVector::from_iterator(x.ncols(), (0..x.ncols()).map(|j| cov[(j, j)].sqrt()));
    let cor = DMatrix::from_fn(x.ncols(), x.ncols(), |a, b| cov[(a, b)] / (sds[a] * sds[b]));
    (cor, means, sds)
}
