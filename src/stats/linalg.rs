//! Small dense linear-algebra helpers on top of nalgebra: sorted symmetric eigen-decomposition, inverse and
//! log-determinant of positive-definite matrices.

use nalgebra::{DMatrix, DVector, SymmetricEigen};

/// Eigenvalues in decreasing order with their eigenvectors as columns (as R's `eigen(symmetric = TRUE)`).
pub fn eigen_desc(m: &DMatrix<f64>) -> (DVector<f64>, DMatrix<f64>) {
    let e = SymmetricEigen::new(m.clone());
    let mut order: Vec<usize> = (0..m.nrows()).collect();
    order.sort_by(|&a, &b| e.eigenvalues[b].total_cmp(&e.eigenvalues[a]));
    let values = DVector::from_iterator(order.len(), order.iter().map(|&i| e.eigenvalues[i]));
    let mut vectors = DMatrix::zeros(m.nrows(), order.len());
    for (k, &i) in order.iter().enumerate() {
        vectors.set_column(k, &e.eigenvectors.column(i));
    }
    (values, vectors)
}

/// Inverse of a symmetric positive-definite matrix (Cholesky); None when it is not positive definite.
pub fn spd_inverse(m: &DMatrix<f64>) -> Option<DMatrix<f64>> {
    m.clone().cholesky().map(|c| c.inverse())
}

/// ln det of a symmetric positive-definite matrix; None when it is not positive definite.
pub fn spd_logdet(m: &DMatrix<f64>) -> Option<f64> {
    m.clone()
        .cholesky()
        .map(|c| 2.0 * c.l().diagonal().iter().map(|d| d.ln()).sum::<f64>())
}

/// Squared multiple correlations `1 - 1/diag(R^-1)` (psych::smc for an invertible correlation matrix).
pub fn smc(r: &DMatrix<f64>) -> Option<DVector<f64>> {
    let inv = spd_inverse(r)?;
    Some(DVector::from_iterator(
        r.nrows(),
        (0..r.nrows()).map(|i| 1.0 - 1.0 / inv[(i, i)]),
    ))
}

/// Σ a_ij b_ij (the Frobenius inner product), without a temporary matrix.
pub fn frob_dot(a: &DMatrix<f64>, b: &DMatrix<f64>) -> f64 {
    a.as_slice()
        .iter()
        .zip(b.as_slice())
        .map(|(x, y)| x * y)
        .sum()
}
