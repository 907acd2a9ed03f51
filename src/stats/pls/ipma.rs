//! Importance–performance map analysis (Ringle & Sarstedt 2016), SmartPLS's convention as cSEM's `doIPMA()`
//! computes it: indicators rescaled to 0..100 with the scale's bounds (not the observed minimum and
//! maximum), unstandardized weights w/sd(x) normed to sum 1 per construct, performance = mean rescaled
//! construct score, importance = unstandardized total effect on the target.

use super::quality::total_effects;
use super::{Estimate, Spec};
use nalgebra::{DMatrix, DVector};

/// One construct's place on the map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub importance: f64,
    pub performance: f64,
}

/// The map for one target.
#[derive(Debug, Clone)]
pub struct Map {
    /// (construct, point) for every construct with a total effect on the target, in construct order.
    pub points: Vec<(usize, Point)>,
    /// Performance (0..100) of every construct, the target included.
    pub construct_performance: Vec<f64>,
    /// Rescaled weights of every indicator (summing to 1 within each construct).
    pub rescaled_weights: Vec<f64>,
    /// Mean rescaled answer of every indicator.
    pub indicator_performance: Vec<f64>,
}

/// The map of `target` from the indicators' means, SDs and covariance matrix (`cov`, divisor n − 1) and
/// each indicator's scale bounds.
pub fn map(
    spec: &Spec,
    est: &Estimate,
    beta: &DMatrix<f64>,
    means: &DVector<f64>,
    cov: &DMatrix<f64>,
    bounds: &[(f64, f64)],
    target: usize,
) -> Map {
    let p = spec.indicators();
    let weights = est.outer_weights(spec);
    let stretch: Vec<f64> = bounds.iter().map(|(lo, hi)| 100.0 / (hi - lo)).collect();
    let indicator_performance: Vec<f64> = (0..p)
        .map(|i| (means[i] - bounds[i].0) * stretch[i])
        .collect();
    let mut rescaled_weights = vec![0.0; p];
    for b in &spec.blocks {
        let raw: Vec<f64> = b.iter().map(|&i| weights[i] / cov[(i, i)].sqrt()).collect();
        let total: f64 = raw.iter().sum();
        for (k, &i) in b.iter().enumerate() {
            rescaled_weights[i] = raw[k] / total;
        }
    }
    let m = spec.constructs();
    let construct_performance: Vec<f64> = spec
        .blocks
        .iter()
        .map(|b| {
            b.iter()
                .map(|&i| rescaled_weights[i] * indicator_performance[i])
                .sum()
        })
        .collect();
    // SD of each rescaled construct score: sqrt(w̃′ Cov(rescaled x) w̃).
    let score_sd: Vec<f64> = spec
        .blocks
        .iter()
        .map(|b| {
            let mut v = 0.0;
            for &i in b {
                for &k in b {
                    v += rescaled_weights[i]
                        * rescaled_weights[k]
                        * cov[(i, k)]
                        * stretch[i]
                        * stretch[k];
                }
            }
            v.sqrt()
        })
        .collect();
    let total = total_effects(beta);
    let points = (0..m)
        .filter(|&j| j != target && total[(j, target)] != 0.0)
        .map(|j| {
            (
                j,
                Point {
                    importance: total[(j, target)] * score_sd[target] / score_sd[j],
                    performance: construct_performance[j],
                },
            )
        })
        .collect();
    Map {
        points,
        construct_performance,
        rescaled_weights,
        indicator_performance,
    }
}
