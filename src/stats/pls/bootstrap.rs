//! The nonparametric bootstrap of a PLS model: resample the respondents, re-estimate from the resample's
//! correlation matrix, and summarize each statistic's draws by its SD (divisor B − 1), t = estimate / SD,
//! the percentile interval (type-7 quantiles, as seminr) and the BCa interval (Efron 1987: bias correction
//! from the share of draws below the estimate, acceleration from the jackknife). Resample b draws from its
//! own ChaCha8 stream of the seed, so a seed gives the same draws on any number of threads.

use crate::stats::quantiles::quantile7;
use nalgebra::DMatrix;
use rand_chacha::rand_core::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// The correlation matrix of the rows `rows` of `x` (n × p, any location).
pub fn resample_correlations(x: &DMatrix<f64>, rows: &[usize]) -> DMatrix<f64> {
    let p = x.ncols();
    let n = rows.len() as f64;
    let sample = DMatrix::from_fn(rows.len(), p, |i, j| x[(rows[i], j)]);
    let means: Vec<f64> = sample.column_iter().map(|c| c.sum() / n).collect();
    let mut centred = sample;
    for (j, mut c) in centred.column_iter_mut().enumerate() {
        c.add_scalar_mut(-means[j]);
    }
    let cov = centred.tr_mul(&centred);
    DMatrix::from_fn(p, p, |a, b| {
        cov[(a, b)] / (cov[(a, a)] * cov[(b, b)]).sqrt()
    })
}

/// Row indices of resample `b` of `n` rows.
pub fn resample_rows(n: usize, seed: u64, b: usize) -> Vec<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(b as u64);
    (0..n)
        .map(|_| ((rng.next_u64() as u128 * n as u128) >> 64) as usize)
        .collect()
}

/// Run `statistic` on `resamples` resamples of the rows of `x`, in parallel, in resample order (a failed
/// resample's outcome is kept for the caller to count).
pub fn draws<F, T>(
    x: &DMatrix<f64>,
    resamples: usize,
    seed: u64,
    statistic: F,
    tick: &(dyn Fn(u64) + Sync),
) -> Vec<T>
where
    F: Fn(&DMatrix<f64>) -> T + Sync,
    T: Send,
{
    (0..resamples)
        .into_par_iter()
        .map(|b| {
            let rows = resample_rows(x.nrows(), seed, b);
            let r = resample_correlations(x, &rows);
            let out = statistic(&r);
            tick(1);
            out
        })
        .collect()
}

/// Jackknife values of `statistic` for the BCa acceleration: leave-one-out when there are at most `groups`
/// rows, else the rows are dealt into `groups` groups (row i into group i mod groups) left out in turn. Each
/// value comes from the correlations of the remaining rows, downdated from the full cross-products: without
/// a set of k rows whose mean differs from the full mean by d, the centred cross-products lose the set's own
/// centred cross-products and k²/(n − k) · d d′.
pub fn jackknife<F, T>(x: &DMatrix<f64>, groups: usize, statistic: F) -> Vec<T>
where
    F: Fn(&DMatrix<f64>) -> T + Sync,
    T: Send,
{
    let (n, p) = (x.nrows(), x.ncols());
    let g = groups.min(n);
    let means: Vec<f64> = x.column_iter().map(|c| c.sum() / n as f64).collect();
    let mut centred = x.clone();
    for (j, mut c) in centred.column_iter_mut().enumerate() {
        c.add_scalar_mut(-means[j]);
    }
    let cross = centred.tr_mul(&centred);
    (0..g)
        .into_par_iter()
        .map(|k| {
            let rows: Vec<usize> = (k..n).step_by(g).collect();
            let part = DMatrix::from_fn(rows.len(), p, |i, j| centred[(rows[i], j)]);
            let own = part.tr_mul(&part);
            let size = rows.len() as f64;
            let d: Vec<f64> = part.column_iter().map(|c| c.sum() / size).collect();
            let f = size * size / (n as f64 - size);
            let cov = DMatrix::from_fn(p, p, |a, b| cross[(a, b)] - own[(a, b)] - f * d[a] * d[b]);
            let r = DMatrix::from_fn(p, p, |a, b| {
                cov[(a, b)] / (cov[(a, a)] * cov[(b, b)]).sqrt()
            });
            statistic(&r)
        })
        .collect()
}

/// What the draws of one statistic say.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub mean: f64,
    /// SD of the draws (divisor B − 1).
    pub sd: f64,
    /// estimate / SD.
    pub t: f64,
    /// Two-sided p of t on B − 1 degrees of freedom.
    pub p: f64,
    /// 2.5% and 97.5% quantiles of the draws (type 7).
    pub percentile: [f64; 2],
    /// Bias-corrected and accelerated interval (None without jackknife values).
    pub bca: Option<[f64; 2]>,
}

/// Summarize the finite draws of one statistic whose full-sample value is `estimate`; `jack` are its
/// leave-one-out values for the BCa acceleration.
pub fn summarize(estimate: f64, draws: &[f64], jack: Option<&[f64]>) -> Option<Summary> {
    let mut v: Vec<f64> = draws.iter().copied().filter(|x| x.is_finite()).collect();
    if v.len() < 2 {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let b = v.len() as f64;
    let mean = v.iter().sum::<f64>() / b;
    let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (b - 1.0)).sqrt();
    let t = estimate / sd;
    let p = StudentsT::new(0.0, 1.0, b - 1.0).map_or(f64::NAN, |d| 2.0 * d.sf(t.abs()));
    let percentile = [quantile7(&v, 0.025), quantile7(&v, 0.975)];
    let bca = jack.and_then(|j| bca(estimate, &v, j));
    Some(Summary {
        mean,
        sd,
        t,
        p,
        percentile,
        bca,
    })
}

/// The 95% BCa interval from sorted draws: z0 = Φ⁻¹(share of draws below the estimate), a = Σd³ / (6(Σd²)^1.5)
/// with d = jackknife mean − jackknife value, and the type-7 quantiles of the draws at
/// Φ(z0 + (z0 + z_α)/(1 − a(z0 + z_α))) for α = .025, .975 (bootstrap::bcanon's rule).
pub fn bca(estimate: f64, sorted: &[f64], jack: &[f64]) -> Option<[f64; 2]> {
    let jack: Vec<f64> = jack.iter().copied().filter(|x| x.is_finite()).collect();
    if jack.len() < 2 {
        return None;
    }
    let normal = Normal::standard();
    let below = sorted.iter().filter(|&&x| x < estimate).count() as f64 / sorted.len() as f64;
    let z0 = normal.inverse_cdf(below);
    let jm = jack.iter().sum::<f64>() / jack.len() as f64;
    let (s2, s3) = jack.iter().fold((0.0, 0.0), |(s2, s3), x| {
        let d = jm - x;
        (s2 + d * d, s3 + d * d * d)
    });
    let a = s3 / (6.0 * s2.powf(1.5));
    let bound = |alpha: f64| {
        let z = normal.inverse_cdf(alpha);
        let adjusted = normal.cdf(z0 + (z0 + z) / (1.0 - a * (z0 + z)));
        adjusted.is_finite().then(|| quantile7(sorted, adjusted))
    };
    if !z0.is_finite() || !a.is_finite() {
        return None;
    }
    Some([bound(0.025)?, bound(0.975)?])
}
