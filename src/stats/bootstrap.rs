//! Percentile bootstrap intervals for alpha and omega. Replicates run in parallel (rayon); replicate `b`
//! draws from its own ChaCha8 stream (seed, stream b), so a seed gives the same intervals on any number of
//! threads.

use super::moments::{Columns, Moments};
use super::quantiles::quantile7;
use super::reliability::{omega_total, raw_alpha};
use rand_chacha::rand_core::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

/// Percentile 95% intervals of alpha and omega for each dimension.
#[derive(Debug, Clone)]
pub struct BootstrapCi {
    pub replicates: usize,
    pub seed: u64,
    pub alpha: [f64; 2],
    pub omega_total: [f64; 2],
}

/// Bootstrap the complete-case matrix `x` (rows = respondents); `dimensions` lists column indices.
/// Returns one interval per dimension (None for a dimension with fewer than 2 items).
pub fn reliability_ci<X: Columns + ?Sized>(
    x: &X,
    dimensions: &[Vec<usize>],
    replicates: usize,
    seed: u64,
    tick: &(dyn Fn(u64) + Sync),
) -> Vec<Option<BootstrapCi>> {
    let n = x.nrows();
    let draws: Vec<Vec<(f64, f64)>> = (0..replicates)
        .into_par_iter()
        .map(|b| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(b as u64);
            let rows: Vec<usize> = (0..n)
                .map(|_| ((rng.next_u64() as u128 * n as u128) >> 64) as usize)
                .collect();
            let m = Moments::complete_rows(x, Some(&rows));
            let out: Vec<(f64, f64)> = dimensions
                .iter()
                .map(|cols| {
                    if cols.len() < 2 {
                        return (f64::NAN, f64::NAN);
                    }
                    let d = m.select(cols);
                    let omega = omega_total(&d.cor).map(|o| o.0).unwrap_or(f64::NAN);
                    (raw_alpha(&d.cov), omega)
                })
                .collect();
            tick(1);
            out
        })
        .collect();
    (0..dimensions.len())
        .map(|d| {
            if dimensions[d].len() < 2 {
                return None;
            }
            let mut a: Vec<f64> = draws
                .iter()
                .map(|r| r[d].0)
                .filter(|v| v.is_finite())
                .collect();
            let mut o: Vec<f64> = draws
                .iter()
                .map(|r| r[d].1)
                .filter(|v| v.is_finite())
                .collect();
            Some(BootstrapCi {
                replicates,
                seed,
                alpha: percentile_interval(&mut a),
                omega_total: percentile_interval(&mut o),
            })
        })
        .collect()
}

/// 2.5% and 97.5% quantiles (R's type 7).
fn percentile_interval(v: &mut [f64]) -> [f64; 2] {
    if v.is_empty() {
        return [f64::NAN, f64::NAN];
    }
    v.sort_by(|a, b| a.total_cmp(b));
    [quantile7(v, 0.025), quantile7(v, 0.975)]
}
