//! The nonparametric bootstrap of a structural model: resample the complete respondents, refit from the
//! full-sample estimates, and take percentile intervals of every regression and defined parameter. Resample
//! b draws from its own ChaCha8 stream of the seed, so a seed gives the same intervals on any number of
//! threads; resamples that do not converge are left out and counted, as lavaan does.

use super::Options;
use super::{columns, evaluate_defined};
use crate::error::Result;
use crate::instrument::Instrument;
use crate::model::build::Built;
use crate::model::syntax::Op;
use crate::progress::step;
use crate::report::structural::{BootInterval, SemBootstrap};
use crate::scoring::Scored;
use crate::stats::moments::Moments;
use crate::stats::sem::fiml::{self, MissingData};
use crate::stats::sem::{self, Estimate, SampleMoments};
use indexmap::IndexMap;
use nalgebra::{DMatrix, DVector};
use rand_chacha::rand_core::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use statrs::distribution::{ContinuousCDF, Normal};

/// Resamples are fitted to a gradient below this (the full sample to 1e-9): it moves an estimate by about
/// 1e-6 of its standard error, far below the Monte Carlo error of any bootstrap quantity.
const RESAMPLE_TOLERANCE: f64 = 1e-6;

/// One resample's outcome.
enum Draw {
    Failed,
    Fitted {
        inadmissible: bool,
        /// Regression estimates, then defined parameters.
        values: Vec<f64>,
    },
}

/// How a bootstrap interval is read off the resampled values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BootCi {
    /// boot's percentile interval (lavaan's boot.ci.type = "perc").
    #[default]
    Percentile,
    /// Bias-corrected percentile, without acceleration: lavaan's boot.ci.type = "bca.simple". With
    /// w = Φ⁻¹(#{t* < t̂}/B), the bounds are the percentiles at Φ(2w ± 1.96).
    BiasCorrected,
}

pub(super) fn run(
    built: &Built,
    instrument: &Instrument,
    scored: &Scored,
    full: &Estimate,
    resamples: usize,
    seed: u64,
    options: &Options,
) -> Result<SemBootstrap> {
    let cols = columns(built, instrument)?;
    // Under FIML every respondent with an answer is resampled and each resample refitted by FIML (lavaan's
    // bootstrap with missing = "ml"); otherwise the complete rows and their moments.
    let fiml = scored.policy == crate::scoring::MissingPolicy::Fiml;
    let rows: Vec<usize> = (0..scored.rows.len())
        .filter(|&r| {
            if fiml {
                cols.iter().any(|&j| !scored.items.is_missing(r, j))
            } else {
                cols.iter().all(|&j| !scored.items.is_missing(r, j))
            }
        })
        .collect();
    let model = if fiml {
        super::with_intercepts(built)
    } else {
        built.model()
    };
    let regressions: Vec<(String, usize, (usize, usize))> = built
        .params
        .iter()
        .filter(|p| p.op == Op::Regression)
        .filter_map(|p| {
            p.free.map(|k| {
                (
                    format!("{} -> {}", p.rhs, p.lhs),
                    k,
                    (p.place.row, p.place.col),
                )
            })
        })
        .collect();
    let n = rows.len();
    // What each fit contributes, in one layout: the regressions, the defined parameters, then their std.all
    // values (lavaan's bootstrapLavaan of standardizedSolution).
    let values_of = |theta: &DVector<f64>, v: &sem::GroupValues| -> Vec<f64> {
        let by_label = |l: &str| built.label_value(l, theta.as_slice());
        let mut out: Vec<f64> = regressions.iter().map(|(_, k, _)| theta[*k]).collect();
        out.extend(evaluate_defined(built, &by_label));
        let std = sem::standardize(v);
        out.extend(regressions.iter().map(|(_, _, (i, j))| std.beta[(*i, *j)]));
        let std_by_label = |l: &str| {
            built
                .params
                .iter()
                .find(|p| p.label.as_deref() == Some(l))
                .map_or(f64::NAN, |p| super::standardized(p, &std, v))
        };
        out.extend(evaluate_defined(built, &std_by_label));
        out
    };
    let draws: Vec<Draw> = step(
        options.progress.as_ref(),
        "bootstrap",
        resamples as u64,
        |tick| {
            (0..resamples)
                .into_par_iter()
                .map(|b| {
                    let mut rng = ChaCha8Rng::seed_from_u64(seed);
                    rng.set_stream(b as u64);
                    let sample: Vec<usize> = (0..n)
                        .map(|_| rows[((rng.next_u64() as u128 * n as u128) >> 64) as usize])
                        .collect();
                    let refit = if fiml {
                        let missing = MissingData::from_rows(n, cols.len(), |r, j| {
                            scored.items.value(sample[r], cols[j])
                        });
                        fiml::estimate(&model, &missing, full.theta.clone(), RESAMPLE_TOLERANCE)
                    } else {
                        let m = Moments::complete_rows(&scored.items, Some(&sample));
                        let data = [SampleMoments {
                            n,
                            means: DVector::from_iterator(
                                cols.len(),
                                cols.iter().map(|&j| m.means[j]),
                            ),
                            cov: DMatrix::from_fn(cols.len(), cols.len(), |a, c| {
                                m.cov[(cols[a], cols[c])]
                            }),
                        }];
                        sem::estimate_to(&model, &data, full.theta.clone(), RESAMPLE_TOLERANCE)
                    };
                    let draw = match refit {
                        Ok(est) if est.converged => {
                            let v = &est.values[0];
                            let inadmissible = (0..v.theta.nrows()).any(|i| v.theta[(i, i)] < 0.0)
                                || (0..v.psi.nrows()).any(|f| v.psi[(f, f)] < 0.0);
                            let values = values_of(&est.theta, v);
                            Draw::Fitted {
                                inadmissible,
                                values,
                            }
                        }
                        _ => Draw::Failed,
                    };
                    tick(1);
                    draw
                })
                .collect()
        },
    );
    // The full-sample values every interval is built around (the bias correction's t̂), in the draws' layout.
    let full_values = values_of(&full.theta, &full.values[0]);
    let method = options.boot_ci;
    let fitted: Vec<&Vec<f64>> = draws
        .iter()
        .filter_map(|d| match d {
            Draw::Fitted { values, .. } => Some(values),
            Draw::Failed => None,
        })
        .collect();
    // As lavaan reports them: the SD of the draws with divisor B for parameters and B − 1 for defined
    // parameters, and boot's percentile interval (interpolated on the normal scale, `norm.inter`).
    let interval = |k: usize, divisor_b: bool| {
        let mut v: Vec<f64> = fitted
            .iter()
            .map(|x| x[k])
            .filter(|x| x.is_finite())
            .collect();
        v.sort_by(|a, b| a.total_cmp(b));
        if v.len() < 2 {
            return BootInterval {
                mean: f64::NAN,
                se: f64::NAN,
                ci95: [f64::NAN; 2],
                std_ci95: None,
            };
        }
        let b = v.len() as f64;
        let mean = v.iter().sum::<f64>() / b;
        let ss = v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>();
        let (lo, hi) = match method {
            BootCi::Percentile => (0.025, 0.975),
            BootCi::BiasCorrected => {
                let z = Normal::standard();
                let below = v.iter().filter(|&&x| x < full_values[k]).count() as f64;
                let w = z.inverse_cdf(below / b);
                let z975 = z.inverse_cdf(0.975);
                (z.cdf(2.0 * w - z975), z.cdf(2.0 * w + z975))
            }
        };
        BootInterval {
            mean,
            se: (ss / if divisor_b { b } else { b - 1.0 }).sqrt(),
            ci95: [percentile(&v, lo), percentile(&v, hi)],
            std_ci95: None,
        }
    };
    let r = regressions.len();
    let d = built.defined.len();
    // The standardized values' percentile interval beside each unstandardized one.
    let with_std = |k: usize, divisor_b: bool| {
        let mut out = interval(k, divisor_b);
        out.std_ci95 = Some(interval(r + d + k, divisor_b).ci95);
        out
    };
    Ok(SemBootstrap {
        resamples,
        seed,
        valid: fitted.len(),
        failed: resamples - fitted.len(),
        ci_method: match method {
            BootCi::Percentile => "percentile",
            BootCi::BiasCorrected => {
                "bias-corrected percentile (lavaan's bca.simple: no acceleration)"
            }
        }
        .into(),
        nonadmissible: draws
            .iter()
            .filter(|d| {
                matches!(
                    d,
                    Draw::Fitted {
                        inadmissible: true,
                        ..
                    }
                )
            })
            .count(),
        regressions: regressions
            .iter()
            .enumerate()
            .map(|(k, (key, _, _))| (key.clone(), with_std(k, true)))
            .collect::<IndexMap<_, _>>(),
        defined: built
            .defined
            .iter()
            .enumerate()
            .map(|(j, def)| (def.name.clone(), with_std(r + j, false)))
            .collect(),
    })
}

/// boot's percentile interval end (`norm.inter`, which lavaan uses): with sorted draws t₁ ≤ … ≤ t_B and
/// r = (B + 1)α, t_r when r is a whole number, else interpolated between t_k and t_k+1 (k = ⌊r⌋) on the normal
/// quantile scale.
fn percentile(sorted: &[f64], alpha: f64) -> f64 {
    let b = sorted.len();
    let r = (b as f64 + 1.0) * alpha;
    let k = r.floor() as usize;
    if (r - r.round()).abs() < 1e-9 && (1..=b).contains(&(r.round() as usize)) {
        return sorted[r.round() as usize - 1];
    }
    if k == 0 {
        return sorted[0];
    }
    if k >= b {
        return sorted[b - 1];
    }
    let z = Normal::standard();
    let q = |x: f64| z.inverse_cdf(x);
    let n1 = b as f64 + 1.0;
    let (lo, hi) = (q(k as f64 / n1), q((k + 1) as f64 / n1));
    sorted[k - 1] + (q(alpha) - lo) / (hi - lo) * (sorted[k] - sorted[k - 1])
}
