//! Sufficient statistics of an item matrix: means, covariances and correlations, either from complete rows or
//! from pairwise-complete data as R's `cov(x, use = "pairwise")` and `cor(x, use = "pairwise")` compute them.
//!
//! ```
//! use nalgebra::DMatrix;
//! let x = DMatrix::from_row_slice(3, 2, &[1.0, 2.0, 2.0, 4.0, 3.0, 5.0]);
//! let m = perval::stats::moments::Moments::complete(&x);
//! assert!((m.cov[(0, 0)] - 1.0).abs() < 1e-12);
//! ```

use nalgebra::{DMatrix, DVector};

/// Means, sample covariances (divisor n − 1) and correlations of the columns of a data matrix.
#[derive(Debug, Clone)]
pub struct Moments {
    /// Rows that contributed (complete rows; for pairwise data, the rows with at least one value).
    pub n: usize,
    /// Per column: number of observed values.
    pub n_item: Vec<usize>,
    pub means: DVector<f64>,
    /// Per column sd (n − 1), each from the column's own observed values.
    pub sds: DVector<f64>,
    /// Covariance matrix (divisor n − 1; pairwise: pair-specific means and counts, as R's cov(use = "pairwise")).
    pub cov: DMatrix<f64>,
    /// Correlation matrix. Complete data: cov2cor(cov). Pairwise: pair-specific means and sds, as R's
    /// cor(use = "pairwise"), which is not cov2cor of the pairwise covariance.
    pub cor: DMatrix<f64>,
    /// Pairwise: `cov2cor(cov)`, the matrix psych::alpha uses; equals `cor` for complete data.
    pub cov2cor: DMatrix<f64>,
}

impl Moments {
    /// Moments of a matrix without missing values (rows = respondents).
    ///
    /// Two passes over the data and no copy of it: column sums, then centred cross-products accumulated over
    /// blocks of rows (centring first keeps the digits that raw 1..7 cross-products lose for large n).
    pub fn complete(x: &DMatrix<f64>) -> Moments {
        Self::complete_rows(x, None)
    }

    /// Moments of the given rows (all rows when None), read in place.
    pub fn complete_rows(x: &DMatrix<f64>, rows: Option<&[usize]>) -> Moments {
        const BLOCK: usize = 4096;
        let p = x.ncols();
        let n = rows.map(|r| r.len()).unwrap_or(x.nrows());
        let row = |k: usize| rows.map(|r| r[k]).unwrap_or(k);
        let means = DVector::from_iterator(
            p,
            x.column_iter().map(|c| match rows {
                None => c.sum() / n as f64,
                Some(r) => r.iter().map(|&i| c[i]).sum::<f64>() / n as f64,
            }),
        );
        let mut cross = DMatrix::<f64>::zeros(p, p);
        let mut block = DMatrix::<f64>::zeros(BLOCK.min(n.max(1)), p);
        let mut start = 0;
        while start < n {
            let len = BLOCK.min(n - start);
            if len != block.nrows() {
                block = DMatrix::zeros(len, p);
            }
            for j in 0..p {
                let src = x.column(j);
                let mut dst = block.column_mut(j);
                for k in 0..len {
                    dst[k] = src[row(start + k)] - means[j];
                }
            }
            cross.gemm_tr(1.0, &block, &block, 1.0);
            start += len;
        }
        let denom = (n as f64 - 1.0).max(1.0);
        let cov = cross / denom;
        let cor = cov_to_cor(&cov);
        let sds = DVector::from_iterator(p, (0..p).map(|j| cov[(j, j)].sqrt()));
        Moments {
            n,
            n_item: vec![n; p],
            means,
            sds,
            cov2cor: cor.clone(),
            cov,
            cor,
        }
    }

    /// Moments from pairwise-complete data: NaN marks a missing answer.
    pub fn pairwise(x: &DMatrix<f64>) -> Moments {
        let (n, p) = x.shape();
        let mut cov = DMatrix::zeros(p, p);
        let mut cor = DMatrix::identity(p, p);
        let mut n_item = vec![0; p];
        let mut means = DVector::zeros(p);
        for j in 0..p {
            let vals: Vec<f64> = x
                .column(j)
                .iter()
                .copied()
                .filter(|v| !v.is_nan())
                .collect();
            n_item[j] = vals.len();
            means[j] = vals.iter().sum::<f64>() / vals.len() as f64;
        }
        for i in 0..p {
            for j in i..p {
                let (ci, cj) = (x.column(i), x.column(j));
                let mut cnt = 0usize;
                let (mut si, mut sj) = (0.0, 0.0);
                for r in 0..n {
                    if !ci[r].is_nan() && !cj[r].is_nan() {
                        cnt += 1;
                        si += ci[r];
                        sj += cj[r];
                    }
                }
                let (mi, mj) = (si / cnt as f64, sj / cnt as f64);
                let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
                for r in 0..n {
                    if !ci[r].is_nan() && !cj[r].is_nan() {
                        let (a, b) = (ci[r] - mi, cj[r] - mj);
                        sxy += a * b;
                        sxx += a * a;
                        syy += b * b;
                    }
                }
                let c = sxy / (cnt as f64 - 1.0);
                cov[(i, j)] = c;
                cov[(j, i)] = c;
                if i != j {
                    let r = sxy / (sxx * syy).sqrt();
                    cor[(i, j)] = r;
                    cor[(j, i)] = r;
                }
            }
        }
        let rows_with_any = (0..n)
            .filter(|&r| x.row(r).iter().any(|v| !v.is_nan()))
            .count();
        let sds = DVector::from_iterator(p, (0..p).map(|j| cov[(j, j)].sqrt()));
        Moments {
            n: rows_with_any,
            n_item,
            means,
            sds,
            cov2cor: cov_to_cor(&cov),
            cov,
            cor,
        }
    }

    /// The moments of a subset of columns (indices into this one).
    pub fn select(&self, cols: &[usize]) -> Moments {
        let pick = |m: &DMatrix<f64>| {
            DMatrix::from_fn(cols.len(), cols.len(), |i, j| m[(cols[i], cols[j])])
        };
        Moments {
            n: self.n,
            n_item: cols.iter().map(|&c| self.n_item[c]).collect(),
            means: DVector::from_iterator(cols.len(), cols.iter().map(|&c| self.means[c])),
            sds: DVector::from_iterator(cols.len(), cols.iter().map(|&c| self.sds[c])),
            cov: pick(&self.cov),
            cor: pick(&self.cor),
            cov2cor: pick(&self.cov2cor),
        }
    }
}

/// R's cov2cor: `C_ij / sqrt(C_ii C_jj)`, with an exact unit diagonal.
pub fn cov_to_cor(cov: &DMatrix<f64>) -> DMatrix<f64> {
    let p = cov.nrows();
    DMatrix::from_fn(p, p, |i, j| {
        if i == j {
            1.0
        } else {
            cov[(i, j)] / (cov[(i, i)] * cov[(j, j)]).sqrt()
        }
    })
}

/// Mean and sd (n − 1) of a slice.
pub fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    let ss: f64 = v.iter().map(|x| (x - m) * (x - m)).sum();
    (m, (ss / (n - 1.0)).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairwise_equals_complete_without_missing() {
        let x = DMatrix::from_row_slice(4, 3, &[1., 2., 3., 2., 2., 5., 4., 3., 1., 5., 7., 2.]);
        let a = Moments::complete(&x);
        let b = Moments::pairwise(&x);
        assert!((a.cov.clone() - b.cov).abs().max() < 1e-12);
        assert!((a.cor.clone() - b.cor).abs().max() < 1e-12);
    }

    #[test]
    fn pairwise_uses_pair_specific_means() {
        // R: x <- cbind(c(1,2,3,NA), c(2,NA,5,4)); cov(x, use="pairwise")[1,2] = 3 (rows 1 and 3 only)
        let x = DMatrix::from_row_slice(4, 2, &[1., 2., 2., f64::NAN, 3., 5., f64::NAN, 4.]);
        let m = Moments::pairwise(&x);
        assert!((m.cov[(0, 1)] - 3.0).abs() < 1e-12);
        assert!((m.cov[(0, 0)] - 1.0).abs() < 1e-12);
        assert!((m.cov[(1, 1)] - 7.0 / 3.0).abs() < 1e-12);
        assert!((m.cor[(0, 1)] - 1.0).abs() < 1e-12);
    }
}
