//! Monte Carlo intervals of the defined parameters (`--ci monte-carlo`), as semTools' `monteCarloCI`: draw
//! the free parameters from N(θ̂, V̂) (V̂ the estimator's covariance matrix), evaluate each `:=` expression
//! on every draw, and take the 2.5% and 97.5% quantiles (R's type 7). Draw d comes from ChaCha8 stream
//! ⌊d / 1000⌋ of the seed, so the intervals do not depend on the number of threads.

use super::evaluate_defined;
use crate::model::build::Built;
use crate::report::structural::MonteCarloCi;
use nalgebra::{DMatrix, DVector};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use statrs::distribution::Normal;

/// semTools' default number of draws (nRep = 2e4).
pub const DRAWS: usize = 20_000;
const PER_STREAM: usize = 1_000;

/// None when the model has no defined parameters or V̂ is not positive definite.
pub(super) fn run(
    built: &Built,
    theta: &DVector<f64>,
    vcov: Option<&DMatrix<f64>>,
    seed: u64,
) -> Option<MonteCarloCi> {
    use rand::distr::Distribution;
    if built.defined.is_empty() {
        return None;
    }
    let chol = vcov?.clone().cholesky()?;
    let l = chol.l();
    let q = theta.len();
    let normal = Normal::standard();
    let values: Vec<Vec<f64>> = (0..DRAWS.div_ceil(PER_STREAM))
        .into_par_iter()
        .flat_map_iter(|stream| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(stream as u64);
            let count = PER_STREAM.min(DRAWS - stream * PER_STREAM);
            let mut out = Vec::with_capacity(count);
            for _ in 0..count {
                let z = DVector::from_iterator(q, (0..q).map(|_| normal.sample(&mut rng)));
                let draw = theta + &l * z;
                out.push(evaluate_defined(built, &|name: &str| {
                    built.label_value(name, draw.as_slice())
                }));
            }
            out
        })
        .collect();
    let defined = built
        .defined
        .iter()
        .enumerate()
        .map(|(d, def)| {
            let mut v: Vec<f64> = values
                .iter()
                .map(|x| x[d])
                .filter(|x| x.is_finite())
                .collect();
            v.sort_by(|a, b| a.total_cmp(b));
            (
                def.name.clone(),
                [quantile7(&v, 0.025), quantile7(&v, 0.975)],
            )
        })
        .collect();
    Some(MonteCarloCi {
        draws: DRAWS,
        seed,
        defined,
    })
}

/// R's quantile type 7 of sorted values.
fn quantile7(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let (lo, frac) = (h.floor() as usize, h - h.floor());
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + frac * (sorted[hi] - sorted[lo])
}
