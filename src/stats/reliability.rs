//! Internal-consistency reliability of one dimension, as psych::alpha and psych::omega compute it.
//!
//! ```
//! use nalgebra::DMatrix;
//! use perval::stats::{moments::Moments, reliability::reliability};
//! let x = DMatrix::from_row_slice(5, 3, &[1., 2., 2., 2., 3., 3., 3., 3., 4., 4., 5., 4., 5., 4., 5.]);
//! let rel = reliability(&Moments::complete(&x)).unwrap();
//! assert!(rel.alpha > 0.9 && rel.alpha < 1.0);
//! ```

use super::factor::{extract, Method};
use super::linalg::smc;
use super::moments::Moments;
use crate::error::{Error, Result};
use nalgebra::DMatrix;
use statrs::distribution::{ContinuousCDF, FisherSnedecor};

/// Per-item statistics of a dimension (psych::alpha's item.stats and alpha.drop).
#[derive(Debug, Clone)]
pub struct ItemReliability {
    pub mean: f64,
    pub sd: f64,
    /// Corrected item–total correlation: the item with the sum of the other items.
    pub r_drop: f64,
    /// Raw alpha of the other items; with 2 items, C_12 / C_jj of the remaining item j (psych::alpha 2.2.9).
    pub alpha_if_deleted: Option<f64>,
}

/// Reliability coefficients of a dimension.
#[derive(Debug, Clone)]
pub struct Reliability {
    /// Cronbach's alpha from the covariance matrix: k/(k−1) (1 − tr C / ΣC).
    pub alpha: f64,
    /// Standardized alpha from the correlation matrix: k r̄ / (1 + (k − 1) r̄).
    pub alpha_std: f64,
    /// Feldt (1965) 95% interval: 1 − (1 − α) F_{.975/.025}(n − 1, (n − 1)(k − 1)).
    pub alpha_ci95_feldt: [f64; 2],
    /// Guttman's λ6 from SMCs: 1 − Σ(1 − smcᵢ)/ΣR.
    pub lambda6: f64,
    /// Mean off-diagonal correlation.
    pub average_r: f64,
    /// McDonald's ω total from a one-factor minres fit: 1 − Σ(1 − h²ᵢ)/ΣR (psych::omega, nfactors = 1).
    pub omega_total: f64,
    /// Whether the one-factor fit behind ω converged.
    pub omega_converged: bool,
    pub items: Vec<ItemReliability>,
}

/// Why the items' correlation matrix is singular, in the order a user should check: too few respondents, an
/// item without variance, else an exact linear dependence.
fn singular_cause(m: &Moments) -> String {
    let k = m.cov.nrows();
    if m.n <= k {
        return format!(
            "only {} respondents for {k} items: a correlation matrix of k items needs more than k respondents; collect more answers",
            m.n
        );
    }
    if let Some(i) = m.sds.iter().position(|&sd| sd.is_nan() || sd <= 0.0) {
        return format!(
            "item {} of the dimension has the same answer from every respondent; drop it or check the data",
            i + 1
        );
    }
    "an item duplicates another or is a sum of others; drop it".into()
}

/// Reliability of the items whose moments are given. For complete data `m.cov` and `m.cor` agree with the
/// data; for pairwise data alpha uses cov2cor(pairwise covariances) and omega the pairwise correlations, as
/// psych does. The Feldt interval uses `m.n` respondents.
pub fn reliability(m: &Moments) -> Result<Reliability> {
    let k = m.cov.nrows();
    if k < 2 {
        return Err(Error::Usage("reliability needs at least 2 items".into()));
    }
    let c = &m.cov;
    let r = &m.cov2cor;
    let kf = k as f64;
    let alpha = raw_alpha(c);
    let sum_r = r.sum();
    let alpha_std = (1.0 - kf / sum_r) * kf / (kf - 1.0);
    let smcs = smc(r).ok_or_else(|| Error::NotPositiveDefinite {
        what: "the correlation matrix of a dimension's items".into(),
        fix: singular_cause(m),
    })?;
    let lambda6 = 1.0 - (kf - smcs.sum()) / sum_r;
    let average_r = (sum_r - kf) / (kf * (kf - 1.0));
    let alpha_ci95_feldt = feldt_ci(alpha, m.n, k);

    let items = (0..k)
        .map(|i| {
            let rest: Vec<usize> = (0..k).filter(|&j| j != i).collect();
            let c_rest = DMatrix::from_fn(k - 1, k - 1, |a, b| c[(rest[a], rest[b])]);
            let cov_with_rest: f64 = rest.iter().map(|&j| c[(i, j)]).sum();
            ItemReliability {
                mean: m.means[i],
                sd: m.sds[i],
                r_drop: cov_with_rest / (c[(i, i)] * c_rest.sum()).sqrt(),
                // One item left has no alpha; psych::alpha (2.2.9) then reports C_12 / C_jj, the covariance
                // over the variance of the remaining item j.
                alpha_if_deleted: Some(if k > 2 {
                    raw_alpha(&c_rest)
                } else {
                    c[(0, 1)] / c[(1 - i, 1 - i)]
                }),
            }
        })
        .collect();

    let (omega_total, omega_converged) = omega_total(&m.cor)?;
    Ok(Reliability {
        alpha,
        alpha_std,
        alpha_ci95_feldt,
        lambda6,
        average_r,
        omega_total,
        omega_converged,
        items,
    })
}

/// Cronbach's alpha of a covariance matrix.
pub fn raw_alpha(c: &DMatrix<f64>) -> f64 {
    let k = c.nrows() as f64;
    (1.0 - c.trace() / c.sum()) * k / (k - 1.0)
}

/// Feldt's 95% confidence interval for alpha (psych::alpha.ci).
pub fn feldt_ci(alpha: f64, n: usize, k: usize) -> [f64; 2] {
    let df1 = n as f64 - 1.0;
    let df2 = df1 * (k as f64 - 1.0);
    match FisherSnedecor::new(df1, df2) {
        Ok(f) => [
            1.0 - (1.0 - alpha) * f.inverse_cdf(0.975),
            1.0 - (1.0 - alpha) * f.inverse_cdf(0.025),
        ],
        Err(_) => [f64::NAN, f64::NAN],
    }
}

/// ω total of correlation matrix `r`: one-factor minres communalities, items with a negative loading flipped
/// before ΣR is taken (psych::omega's `flip = TRUE`). Returns (ω, converged).
pub fn omega_total(r: &DMatrix<f64>) -> Result<(f64, bool)> {
    let k = r.nrows();
    let ex = extract::extract(r, 1, Method::Minres)?;
    let l = ex.loadings.column(0);
    let uniq: f64 = l.iter().map(|v| 1.0 - v * v).sum();
    let key: Vec<f64> = l
        .iter()
        .map(|v| if *v < 0.0 { -1.0 } else { 1.0 })
        .collect();
    let mut vt = 0.0;
    for i in 0..k {
        for j in 0..k {
            vt += key[i] * key[j] * r[(i, j)];
        }
    }
    Ok(((vt - uniq) / vt, ex.converged))
}

#[cfg(test)]
mod tests {
    use super::*;

    // R 4.2.2, psych 2.2.9: x <- data.frame(a = c(1,2,3,4,5,2), b = c(2,2,4,5,4,1)); a <- psych::alpha(x)
    // a$total$raw_alpha = 0.8816326531; a$alpha.drop$raw_alpha = 0.7500000000 0.8307692308
    // (for two items psych reports C_12 / C_22 and C_12 / C_11);
    // psych::omega(x, nfactors = 1)$omega.tot = 0.8822770718.
    #[test]
    fn two_items_follow_psych() {
        let x = DMatrix::from_row_slice(6, 2, &[1., 2., 2., 2., 3., 4., 4., 5., 5., 4., 2., 1.]);
        let rel = reliability(&Moments::complete(&x)).unwrap();
        assert!((rel.alpha - 0.8816326531).abs() < 1e-9, "{}", rel.alpha);
        assert!((rel.items[0].alpha_if_deleted.unwrap() - 0.75).abs() < 1e-9);
        assert!((rel.items[1].alpha_if_deleted.unwrap() - 0.8307692308).abs() < 1e-9);
        assert!(
            (rel.omega_total - 0.8822770718).abs() < 1e-5,
            "{}",
            rel.omega_total
        );
    }

    /// A singular correlation matrix is explained by its actual cause, not always by "an item duplicates another".
    #[test]
    fn a_singular_matrix_names_its_cause() {
        let fix = |x: DMatrix<f64>| match reliability(&Moments::complete(&x)) {
            Err(Error::NotPositiveDefinite { fix, .. }) => fix,
            other => panic!(
                "expected a singular matrix, got {:?}",
                other.map(|r| r.alpha)
            ),
        };
        // Three respondents, four items.
        let few = DMatrix::from_row_slice(3, 4, &[1., 2., 3., 1., 2., 2., 4., 3., 3., 5., 4., 4.]);
        assert!(fix(few).starts_with("only 3 respondents for 4 items"));
        // The third item is a sum of the other two.
        let sum = DMatrix::from_row_slice(
            5,
            3,
            &[1., 2., 3., 2., 2., 4., 3., 1., 4., 4., 3., 7., 2., 5., 7.],
        );
        assert!(fix(sum).starts_with("an item duplicates another"));
    }
}
