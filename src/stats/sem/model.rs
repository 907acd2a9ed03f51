//! The model description: LISREL "all-y" matrices per group, each cell fixed or a free parameter.
//!
//! For group g with p observed and m latent variables,
//!
//! ```text
//! η = α + Bη + ζ,   y = ν + Λη + ε,   Cov(ζ) = Ψ,   Cov(ε) = Θ
//! A = (I − B)⁻¹,   Σ = Λ A Ψ Aᵀ Λᵀ + Θ,   μ = ν + Λ A α
//! ```
//!
//! A CFA is Λ, Ψ, Θ with B = 0; a second-order factor is a latent with no indicators that the first-order
//! factors regress on (B); a structural model has regressions among latent variables in B; several groups
//! share parameters wherever their cells name the same parameter index (an equality constraint).

use nalgebra::{DMatrix, DVector};

/// One matrix cell: a fixed value or free parameter k. Cells that name the same k are constrained equal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    Fixed(f64),
    Free(usize),
}

/// A rows × cols pattern of cells (column-major, as nalgebra).
#[derive(Debug, Clone)]
pub struct Pattern {
    pub rows: usize,
    pub cols: usize,
    cells: Vec<Cell>,
}

impl Pattern {
    /// All cells fixed at zero.
    pub fn zeros(rows: usize, cols: usize) -> Pattern {
        Pattern {
            rows,
            cols,
            cells: vec![Cell::Fixed(0.0); rows * cols],
        }
    }
    pub fn get(&self, i: usize, j: usize) -> Cell {
        self.cells[i + j * self.rows]
    }
    pub fn set(&mut self, i: usize, j: usize, c: Cell) {
        self.cells[i + j * self.rows] = c;
    }
    /// Set (i, j) and (j, i) of a symmetric matrix.
    pub fn set_sym(&mut self, i: usize, j: usize, c: Cell) {
        self.set(i, j, c);
        self.set(j, i, c);
    }
    /// The matrix with free cells taken from `theta`.
    fn values(&self, theta: &[f64]) -> DMatrix<f64> {
        DMatrix::from_fn(self.rows, self.cols, |i, j| match self.get(i, j) {
            Cell::Fixed(v) => v,
            Cell::Free(k) => theta[k],
        })
    }
    /// (i, j, parameter) of every free cell; for a symmetric matrix only i ≥ j.
    fn free(&self, symmetric: bool) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
        (0..self.cols).flat_map(move |j| {
            (0..self.rows).filter_map(move |i| match self.get(i, j) {
                Cell::Free(k) if !symmetric || i >= j => Some((i, j, k)),
                _ => None,
            })
        })
    }
}

/// Which matrix a cell belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Matrix {
    /// Λ: loading of observed i on latent j.
    Lambda,
    /// B: regression of latent i on latent j.
    Beta,
    /// Ψ: (co)variance of latent disturbances (symmetric).
    Psi,
    /// Θ: (co)variance of observed residuals (symmetric).
    Theta,
    /// ν: intercept of observed i (j = 0).
    Nu,
    /// α: intercept (or mean) of latent i (j = 0).
    Alpha,
}

/// A cell of one group's model, named by matrix and position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Place {
    pub group: usize,
    pub matrix: Matrix,
    pub row: usize,
    pub col: usize,
}

/// One group's matrices.
#[derive(Debug, Clone)]
pub struct GroupPattern {
    pub lambda: Pattern,
    pub beta: Pattern,
    pub psi: Pattern,
    pub theta: Pattern,
    /// ν and α, present when the model has a mean structure.
    pub nu: Option<Pattern>,
    pub alpha: Option<Pattern>,
}

impl GroupPattern {
    /// p observed and m latent variables, every cell fixed at zero, with or without a mean structure.
    pub fn new(p: usize, m: usize, means: bool) -> GroupPattern {
        GroupPattern {
            lambda: Pattern::zeros(p, m),
            beta: Pattern::zeros(m, m),
            psi: Pattern::zeros(m, m),
            theta: Pattern::zeros(p, p),
            nu: means.then(|| Pattern::zeros(p, 1)),
            alpha: means.then(|| Pattern::zeros(m, 1)),
        }
    }
    pub fn p(&self) -> usize {
        self.lambda.rows
    }
    pub fn m(&self) -> usize {
        self.lambda.cols
    }
    pub fn pattern(&self, matrix: Matrix) -> Option<&Pattern> {
        match matrix {
            Matrix::Lambda => Some(&self.lambda),
            Matrix::Beta => Some(&self.beta),
            Matrix::Psi => Some(&self.psi),
            Matrix::Theta => Some(&self.theta),
            Matrix::Nu => self.nu.as_ref(),
            Matrix::Alpha => self.alpha.as_ref(),
        }
    }
    /// Every free cell as (matrix, row, col, parameter); symmetric matrices once (row ≥ col).
    pub fn free_cells(&self) -> Vec<(Matrix, usize, usize, usize)> {
        let mut out = Vec::new();
        for (mat, sym) in [
            (Matrix::Lambda, false),
            (Matrix::Beta, false),
            (Matrix::Psi, true),
            (Matrix::Theta, true),
            (Matrix::Nu, false),
            (Matrix::Alpha, false),
        ] {
            if let Some(pat) = self.pattern(mat) {
                out.extend(pat.free(sym).map(|(i, j, k)| (mat, i, j, k)));
            }
        }
        out
    }
}

/// A covariance-structure model: one pattern per group, `n_params` free parameters in all.
#[derive(Debug, Clone)]
pub struct Model {
    pub groups: Vec<GroupPattern>,
    pub n_params: usize,
}

impl Model {
    /// A model of `groups` whose free parameters are numbered again 0.. in order of first use, so that
    /// indices left unused (cells overwritten by a shared one) leave no gap. Equal indices stay equal.
    pub fn numbered(mut groups: Vec<GroupPattern>) -> Model {
        let mut map = std::collections::HashMap::new();
        for g in &groups {
            for (_, _, _, k) in g.free_cells() {
                let next = map.len();
                map.entry(k).or_insert(next);
            }
        }
        for g in groups.iter_mut() {
            let patterns = [
                Some(&mut g.lambda),
                Some(&mut g.beta),
                Some(&mut g.psi),
                Some(&mut g.theta),
                g.nu.as_mut(),
                g.alpha.as_mut(),
            ];
            // Each cell is mapped once (both halves of a symmetric matrix hold the same index).
            for pat in patterns.into_iter().flatten() {
                for cell in pat.cells.iter_mut() {
                    if let Cell::Free(k) = cell {
                        *k = map[k];
                    }
                }
            }
        }
        Model {
            n_params: map.len(),
            groups,
        }
    }
    pub fn means(&self) -> bool {
        self.groups[0].nu.is_some()
    }
    /// Observed moments of all groups: p(p+1)/2 (+ p means) each.
    pub fn n_moments(&self) -> usize {
        self.groups
            .iter()
            .map(|g| {
                let p = g.p();
                p * (p + 1) / 2 + if g.nu.is_some() { p } else { 0 }
            })
            .sum()
    }
    /// Where each parameter appears first (for naming it).
    pub fn first_place(&self) -> Vec<Place> {
        let mut out: Vec<Option<Place>> = vec![None; self.n_params];
        for (g, gp) in self.groups.iter().enumerate() {
            for (matrix, row, col, k) in gp.free_cells() {
                out[k].get_or_insert(Place {
                    group: g,
                    matrix,
                    row,
                    col,
                });
            }
        }
        out.into_iter()
            .map(|p| p.expect("every parameter index is used by a cell (checked by Model::check)"))
            .collect()
    }
    /// Every parameter index below `n_params` is used by some cell.
    pub fn check(&self) -> bool {
        let mut used = vec![false; self.n_params];
        for g in &self.groups {
            for (_, _, _, k) in g.free_cells() {
                if k >= self.n_params {
                    return false;
                }
                used[k] = true;
            }
        }
        used.into_iter().all(|u| u)
    }
}

/// One group's matrices at a parameter vector, and the moments they imply.
#[derive(Debug, Clone)]
pub struct GroupValues {
    pub lambda: DMatrix<f64>,
    pub beta: DMatrix<f64>,
    pub psi: DMatrix<f64>,
    pub theta: DMatrix<f64>,
    pub nu: DVector<f64>,
    pub alpha: DVector<f64>,
    /// A = (I − B)⁻¹.
    pub a: DMatrix<f64>,
    /// Covariance of the latent variables, A Ψ Aᵀ.
    pub latent_cov: DMatrix<f64>,
    /// Implied covariance Σ and mean μ of the observed variables.
    pub sigma: DMatrix<f64>,
    pub mu: DVector<f64>,
}

impl GroupPattern {
    /// Matrices and implied moments at `theta`; None when I − B is singular.
    pub fn values(&self, theta: &[f64]) -> Option<GroupValues> {
        let (p, m) = (self.p(), self.m());
        let lambda = self.lambda.values(theta);
        let beta = self.beta.values(theta);
        let psi = self.psi.values(theta);
        let th = self.theta.values(theta);
        let nu = self
            .nu
            .as_ref()
            .map_or(DVector::zeros(p), |n| n.values(theta).column(0).into());
        let alpha = self
            .alpha
            .as_ref()
            .map_or(DVector::zeros(m), |a| a.values(theta).column(0).into());
        let a = if beta.iter().all(|&b| b == 0.0) {
            DMatrix::identity(m, m)
        } else {
            (DMatrix::identity(m, m) - &beta).try_inverse()?
        };
        let latent_cov = &a * &psi * a.transpose();
        let sigma = &lambda * &latent_cov * lambda.transpose() + &th;
        let mu = &nu + &lambda * (&a * &alpha);
        Some(GroupValues {
            lambda,
            beta,
            psi,
            theta: th,
            nu,
            alpha,
            a,
            latent_cov,
            sigma,
            mu,
        })
    }
}

/// The vectors (a, b) of a symmetric rank-2 term a bᵀ + b aᵀ.
pub type RankTwo = (DVector<f64>, DVector<f64>);

/// ∂Σ of one cell as one symmetric rank-2 term a bᵀ + b aᵀ, and ∂μ (None when zero or without means).
pub fn cell_terms(
    v: &GroupValues,
    matrix: Matrix,
    i: usize,
    j: usize,
    means: bool,
) -> (Option<RankTwo>, Option<DVector<f64>>) {
    let p = v.sigma.nrows();
    let unit = |k: usize, x: f64| {
        let mut e = DVector::zeros(p);
        e[k] = x;
        e
    };
    let a_alpha = || &v.a * &v.alpha;
    match matrix {
        Matrix::Lambda => {
            let c: DVector<f64> = &v.lambda * v.latent_cov.column(j);
            let dmu = means.then(|| unit(i, a_alpha()[j]));
            (Some((unit(i, 1.0), c)), dmu)
        }
        Matrix::Beta => {
            let a: DVector<f64> = &v.lambda * v.a.column(i);
            let c: DVector<f64> = &v.lambda * v.latent_cov.column(j);
            let dmu = means.then(|| &a * a_alpha()[j]);
            (Some((a, c)), dmu)
        }
        Matrix::Psi => {
            let a: DVector<f64> = &v.lambda * v.a.column(i);
            let b: DVector<f64> = if i == j {
                &a * 0.5
            } else {
                &v.lambda * v.a.column(j)
            };
            (Some((a, b)), None)
        }
        Matrix::Theta => {
            let b = if i == j { unit(i, 0.5) } else { unit(j, 1.0) };
            (Some((unit(i, 1.0), b)), None)
        }
        Matrix::Nu => (None, Some(unit(i, 1.0))),
        Matrix::Alpha => (None, Some(&v.lambda * v.a.column(i))),
    }
}

/// ∂Σ and ∂μ of one cell at the values `v`.
pub fn cell_derivative(
    v: &GroupValues,
    matrix: Matrix,
    i: usize,
    j: usize,
) -> (DMatrix<f64>, DVector<f64>) {
    let p = v.sigma.nrows();
    let mut ds = DMatrix::zeros(p, p);
    let mut dmu = DVector::zeros(p);
    // a bᵀ + b aᵀ
    let outer2 = |ds: &mut DMatrix<f64>, a: &DVector<f64>, b: &DVector<f64>| {
        for c in 0..p {
            for r in 0..p {
                ds[(r, c)] += a[r] * b[c] + b[r] * a[c];
            }
        }
    };
    match matrix {
        Matrix::Lambda => {
            // dΣ = e_i cᵀ + c e_iᵀ with c = Λ Φ̃ e_j; dμ = e_i (Aα)_j.
            let c: DVector<f64> = &v.lambda * v.latent_cov.column(j);
            for r in 0..p {
                ds[(i, r)] += c[r];
                ds[(r, i)] += c[r];
            }
            dmu[i] = (&v.a * &v.alpha)[j];
        }
        Matrix::Beta => {
            // dA = A E_ij A: dΣ = a cᵀ + c aᵀ with a = ΛA e_i, c = Λ Φ̃ e_j; dμ = a (Aα)_j.
            let a: DVector<f64> = &v.lambda * v.a.column(i);
            let c: DVector<f64> = &v.lambda * v.latent_cov.column(j);
            outer2(&mut ds, &a, &c);
            dmu = a * (&v.a * &v.alpha)[j];
        }
        Matrix::Psi => {
            let a: DVector<f64> = &v.lambda * v.a.column(i);
            if i == j {
                ds = &a * a.transpose();
            } else {
                let b: DVector<f64> = &v.lambda * v.a.column(j);
                outer2(&mut ds, &a, &b);
            }
        }
        Matrix::Theta => {
            ds[(i, j)] = 1.0;
            ds[(j, i)] = 1.0;
        }
        Matrix::Nu => dmu[i] = 1.0,
        Matrix::Alpha => dmu = &v.lambda * v.a.column(i),
    }
    (ds, dmu)
}
