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
use rayon::prelude::*;

/// Which rows of a table to read: `start..start + out.len()`, or the listed ones.
#[derive(Debug, Clone, Copy)]
pub enum Rows<'a> {
    From(usize),
    Index(&'a [usize]),
}

/// A respondents × items table the moments are computed from: a dense matrix, or the compact answers of
/// [`crate::data::Answers`]. NaN marks a missing answer.
pub trait Columns: Sync {
    fn nrows(&self) -> usize;
    fn ncols(&self) -> usize;
    /// The answer of row `r` to item `j`.
    fn value(&self, r: usize, j: usize) -> f64;
    /// Column `j` at `rows` into `out` (as many rows as `out` holds).
    fn fill(&self, j: usize, rows: Rows<'_>, out: &mut [f64]);
    /// Columns `i` and `j` as the distinct pairs of values answered together, each with its count, when that
    /// table is cheap to build (columns of few distinct values); None otherwise.
    fn joint_counts(&self, _i: usize, _j: usize) -> Option<Vec<(f64, f64, usize)>> {
        None
    }
}

impl Columns for DMatrix<f64> {
    fn nrows(&self) -> usize {
        self.shape().0
    }
    fn ncols(&self) -> usize {
        self.shape().1
    }
    fn value(&self, r: usize, j: usize) -> f64 {
        self[(r, j)]
    }
    fn fill(&self, j: usize, rows: Rows<'_>, out: &mut [f64]) {
        let n = self.shape().0;
        let col = &self.as_slice()[j * n..(j + 1) * n];
        match rows {
            Rows::From(start) => out.copy_from_slice(&col[start..start + out.len()]),
            Rows::Index(idx) => {
                for (o, &r) in out.iter_mut().zip(idx) {
                    *o = col[r];
                }
            }
        }
    }
}

/// Rows per block of the moment passes: a block of 19 items is 300 kB, in cache while it is multiplied.
const BLOCK: usize = 2048;

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
    pub fn complete<X: Columns + ?Sized>(x: &X) -> Moments {
        Self::complete_rows(x, None)
    }

    /// Moments of the given rows (all rows when None), read in place.
    ///
    /// One pass and no copy of the data: blocks of rows are shifted by the first row (so that the raw
    /// cross-products of 1..7 answers do not swamp the centred ones for large n) and their sums and
    /// cross-products accumulated; the shift is taken out at the end. Blocks run on all cores; their sums
    /// are added in block order, so the result does not depend on the number of threads.
    pub fn complete_rows<X: Columns + ?Sized>(x: &X, rows: Option<&[usize]>) -> Moments {
        let p = x.ncols();
        let n = rows.map(|r| r.len()).unwrap_or(x.nrows());
        let blocks = n.div_ceil(BLOCK);
        let first = rows.map_or(0, |r| r.first().copied().unwrap_or(0));
        let shift: Vec<f64> = (0..p)
            .map(|j| if n > 0 { x.value(first, j) } else { 0.0 })
            .collect();
        let per_block: Vec<(DVector<f64>, DMatrix<f64>)> = (0..blocks)
            .into_par_iter()
            .map(|b| {
                let start = b * BLOCK;
                let len = BLOCK.min(n - start);
                let sel = match rows {
                    None => Rows::From(start),
                    Some(r) => Rows::Index(&r[start..start + len]),
                };
                let mut block = DMatrix::<f64>::zeros(len, p);
                let mut sums = DVector::<f64>::zeros(p);
                let data = block.as_mut_slice();
                for j in 0..p {
                    let col = &mut data[j * len..(j + 1) * len];
                    x.fill(j, sel, col);
                    for v in col.iter_mut() {
                        *v -= shift[j];
                    }
                    sums[j] = col.iter().sum();
                }
                // Xᵀ·X with Xᵀ copied (in cache), so that nalgebra hands the product to matrixmultiply's
                // blocked dgemm: gemm_tr takes one dot product per entry, and a strided view of X as Xᵀ
                // makes nalgebra 0.35's small-matrix path write out of bounds.
                let xt = block.transpose();
                let mut cross = DMatrix::<f64>::zeros(p, p);
                cross.gemm(1.0, &xt, &block, 0.0);
                (sums, cross)
            })
            .collect();
        let mut sums = DVector::<f64>::zeros(p);
        let mut cross = DMatrix::<f64>::zeros(p, p);
        for (s, c) in &per_block {
            sums += s;
            cross += c;
        }
        let d = sums / n as f64;
        let means = DVector::from_iterator(p, (0..p).map(|j| shift[j] + d[j]));
        let cross = cross - (&d * d.transpose()) * n as f64;
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

    /// Moments from pairwise-complete data: NaN marks a missing answer. Each pair of columns is read on its own
    /// (from the table of values answered together when the data offer one), pairs on all cores.
    pub fn pairwise<X: Columns + ?Sized>(x: &X) -> Moments {
        let (n, p) = (x.nrows(), x.ncols());
        let mut n_item = vec![0; p];
        let mut means = DVector::zeros(p);
        let mut column = vec![0.0; n];
        let mut answered = vec![false; n];
        for i in 0..p {
            x.fill(i, Rows::From(0), &mut column);
            let mut cnt = 0usize;
            let mut sum = 0.0;
            for (r, &v) in column.iter().enumerate() {
                if !v.is_nan() {
                    cnt += 1;
                    sum += v;
                    answered[r] = true;
                }
            }
            n_item[i] = cnt;
            means[i] = sum / cnt as f64;
        }
        drop(column);
        let pairs: Vec<(usize, usize)> = (0..p).flat_map(|i| (i..p).map(move |j| (i, j))).collect();
        // Per pair: (cnt, Σ(a−ā)(b−b̄), Σ(a−ā)², Σ(b−b̄)²) over the rows that answered both, means of those rows.
        let sums: Vec<(usize, f64, f64, f64)> = pairs
            .par_iter()
            .map(|&(i, j)| match x.joint_counts(i, j) {
                Some(cells) => {
                    let cnt: usize = cells.iter().map(|c| c.2).sum();
                    let si: f64 = cells.iter().map(|c| c.0 * c.2 as f64).sum();
                    let sj: f64 = cells.iter().map(|c| c.1 * c.2 as f64).sum();
                    let (mi, mj) = (si / cnt as f64, sj / cnt as f64);
                    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
                    for &(a, b, c) in &cells {
                        let (a, b, c) = (a - mi, b - mj, c as f64);
                        sxy += c * a * b;
                        sxx += c * a * a;
                        syy += c * b * b;
                    }
                    (cnt, sxy, sxx, syy)
                }
                None => {
                    let (mut ci, mut cj) = (vec![0.0; n], vec![0.0; n]);
                    x.fill(i, Rows::From(0), &mut ci);
                    x.fill(j, Rows::From(0), &mut cj);
                    let both = || {
                        ci.iter()
                            .zip(&cj)
                            .filter(|(a, b)| !a.is_nan() && !b.is_nan())
                    };
                    let cnt = both().count();
                    let (si, sj) = both().fold((0.0, 0.0), |s, (a, b)| (s.0 + a, s.1 + b));
                    let (mi, mj) = (si / cnt as f64, sj / cnt as f64);
                    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
                    for (&a, &b) in both() {
                        let (a, b) = (a - mi, b - mj);
                        sxy += a * b;
                        sxx += a * a;
                        syy += b * b;
                    }
                    (cnt, sxy, sxx, syy)
                }
            })
            .collect();
        let mut cov = DMatrix::zeros(p, p);
        let mut cor = DMatrix::identity(p, p);
        for (&(i, j), &(cnt, sxy, sxx, syy)) in pairs.iter().zip(&sums) {
            let c = sxy / (cnt as f64 - 1.0);
            cov[(i, j)] = c;
            cov[(j, i)] = c;
            if i != j {
                let r = sxy / (sxx * syy).sqrt();
                cor[(i, j)] = r;
                cor[(j, i)] = r;
            }
        }
        let rows_with_any = answered.iter().filter(|&&a| a).count();
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
