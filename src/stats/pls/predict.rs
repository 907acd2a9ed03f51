//! PLSpredict (Shmueli et al. 2016, 2019): k-fold cross-validated predictions of the endogenous constructs'
//! indicators. Each fold's model is estimated on the other folds; the held-out respondents are standardized
//! with the training means and SDs, the exogenous construct scores formed with the training weights, the
//! endogenous scores predicted through the paths from the earliest antecedents (SmartPLS's and cSEM's
//! default; "direct" uses each construct's own predecessors' scores, seminr's default), and each indicator
//! predicted as loading × score, back on the answer scale. The benchmarks: a linear model of each
//! endogenous indicator on all indicators of the exogenous constructs (with intercept), and the training
//! mean (for Q²predict = 1 − SSE(PLS) / SSE(mean)). With repetitions, each respondent's predictions are
//! averaged over the repetitions before the metrics (as SmartPLS and seminr).

use super::{estimate, regress, Estimate, Failure, Settings, Spec};
use nalgebra::{DMatrix, DVector};
use rand_chacha::rand_core::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Which construct scores predict an endogenous construct.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Approach {
    /// Through the paths from the exogenous constructs only (SmartPLS, cSEM).
    Earliest,
    /// From the scores of its direct predecessors (seminr's `predict_DA`).
    Direct,
}

/// Prediction errors of one indicator.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Errors {
    pub rmse: f64,
    pub mae: f64,
}

/// PLSpredict's result for one endogenous indicator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndicatorPrediction {
    pub indicator: usize,
    pub pls: Errors,
    pub lm: Errors,
    /// 1 − SSE(PLS) / SSE(training mean).
    pub q2_predict: f64,
}

/// Fold (0..k) of each of n rows for repetition `rep`: a seeded shuffle cut into k nearly equal parts.
pub fn random_folds(n: usize, k: usize, seed: u64, rep: usize) -> Vec<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(rep as u64);
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = ((rng.next_u64() as u128 * (i as u128 + 1)) >> 64) as usize;
        order.swap(i, j);
    }
    let mut fold = vec![0; n];
    for (pos, &row) in order.iter().enumerate() {
        fold[row] = pos * k / n;
    }
    fold
}

/// The indicators predicted: those of the endogenous constructs, in block order.
pub fn endogenous_indicators(spec: &Spec) -> Vec<usize> {
    spec.endogenous()
        .into_iter()
        .flat_map(|j| spec.blocks[j].iter().copied())
        .collect()
}

/// Cross-validate with the given fold assignments (one per repetition, folds numbered 0..k).
pub fn cross_validate(
    x: &DMatrix<f64>,
    spec: &Spec,
    settings: &Settings,
    approach: Approach,
    folds: &[Vec<usize>],
) -> Result<Vec<IndicatorPrediction>, Failure> {
    let (n, p) = (x.nrows(), x.ncols());
    let targets = endogenous_indicators(spec);
    let t = targets.len();
    // Each fold's sums and cross-products about the overall means, once per repetition: a fold's training
    // moments are the totals minus its own (one pass over the data per repetition, not one per fold).
    let center: Vec<f64> = x.column_iter().map(|c| c.sum() / n as f64).collect();
    let mut results: Vec<(Vec<usize>, FoldPredictions)> = Vec::new();
    for assignment in folds {
        let k = assignment.iter().max().map_or(0, |m| m + 1);
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
        for (row, &f) in assignment.iter().enumerate() {
            members[f].push(row);
        }
        // Each fold's rows about the overall means, their sums and cross-products.
        let parts: Vec<(DVector<f64>, DMatrix<f64>, DMatrix<f64>)> = members
            .par_iter()
            .map(|rows| {
                let sub = DMatrix::from_fn(rows.len(), p, |i, j| x[(rows[i], j)] - center[j]);
                let sums = DVector::from_iterator(p, sub.column_iter().map(|c| c.sum()));
                let cross = sub.tr_mul(&sub);
                (sums, cross, sub)
            })
            .collect();
        let mut sum_all = DVector::zeros(p);
        let mut cross_all = DMatrix::zeros(p, p);
        for (s, c, _) in &parts {
            sum_all += s;
            cross_all += c;
        }
        let fold_results: Vec<(Vec<usize>, FoldPredictions)> = (0..k)
            .into_par_iter()
            .filter(|&f| !members[f].is_empty())
            .map(|f| {
                let m = (n - members[f].len()) as f64;
                let sum = &sum_all - &parts[f].0;
                let cross = &cross_all - &parts[f].1;
                let shift = &sum / m;
                let cov = (cross - &shift * shift.transpose() * m) / (m - 1.0);
                let means = DVector::from_fn(p, |j, _| center[j] + shift[j]);
                let sds = DVector::from_fn(p, |j, _| cov[(j, j)].sqrt());
                let r = DMatrix::from_fn(p, p, |a, b| cov[(a, b)] / (sds[a] * sds[b]));
                predict_fold(
                    spec,
                    settings,
                    approach,
                    (&r, &means, &sds),
                    (&parts[f].2, &center),
                    &targets,
                )
                .map(|predictions| (members[f].clone(), predictions))
            })
            .collect::<Result<_, _>>()?;
        results.extend(fold_results);
    }
    let mut sums = vec![[0.0f64; 3]; n * t];
    let mut counts = vec![0usize; n];
    for (rows, (pls, lm, mean)) in &results {
        for (a, &row) in rows.iter().enumerate() {
            counts[row] += 1;
            for k in 0..t {
                let s = &mut sums[row * t + k];
                s[0] += pls[(a, k)];
                s[1] += lm[(a, k)];
                s[2] += mean[k];
            }
        }
    }
    Ok((0..t)
        .map(|k| {
            let col = targets[k];
            let (mut sse, mut sae, mut sse_lm, mut sae_lm, mut sse_mean) =
                (0.0, 0.0, 0.0, 0.0, 0.0);
            for row in 0..n {
                let c = counts[row] as f64;
                let s = sums[row * t + k];
                let y = x[(row, col)];
                let (e, e_lm, e_mean) = (y - s[0] / c, y - s[1] / c, y - s[2] / c);
                sse += e * e;
                sae += e.abs();
                sse_lm += e_lm * e_lm;
                sae_lm += e_lm.abs();
                sse_mean += e_mean * e_mean;
            }
            let nf = n as f64;
            IndicatorPrediction {
                indicator: col,
                pls: Errors {
                    rmse: (sse / nf).sqrt(),
                    mae: sae / nf,
                },
                lm: Errors {
                    rmse: (sse_lm / nf).sqrt(),
                    mae: sae_lm / nf,
                },
                q2_predict: 1.0 - sse / sse_mean,
            }
        })
        .collect())
}

/// A fold's predictions: PLS and linear model (test rows × targets), and the training means of the targets.
type FoldPredictions = (DMatrix<f64>, DMatrix<f64>, Vec<f64>);

/// The training rows' correlations, means and SDs (divisor n − 1).
type Training<'a> = (&'a DMatrix<f64>, &'a DVector<f64>, &'a DVector<f64>);

/// The test rows about `center`, and `center`.
type TestRows<'a> = (&'a DMatrix<f64>, &'a [f64]);

/// A linear predictor of each target: ŷ = b0 + A x (targets × indicators), on the answer scale.
struct Linear {
    a: DMatrix<f64>,
    b0: DVector<f64>,
}

impl Linear {
    /// Predictions for rows given about `center`: (b0 + A·center) + rows·Aᵀ, one matrix product.
    fn apply(&self, rows: &DMatrix<f64>, center: &[f64]) -> DMatrix<f64> {
        let shift = &self.b0 + &self.a * DVector::from_column_slice(center);
        let mut out = rows * self.a.transpose();
        for (k, mut col) in out.column_iter_mut().enumerate() {
            col.add_scalar_mut(shift[k]);
        }
        out
    }

    /// From standardized coefficients `beta` (targets × indicators, on z-scores): a = β·sd_y/sd_x, b0 = mean_y − a·mean.
    fn from_standardized(
        beta: DMatrix<f64>,
        targets: &[usize],
        means: &DVector<f64>,
        sds: &DVector<f64>,
    ) -> Linear {
        let a = DMatrix::from_fn(beta.nrows(), beta.ncols(), |k, j| {
            beta[(k, j)] * sds[targets[k]] / sds[j]
        });
        let b0 = DVector::from_fn(beta.nrows(), |k, _| {
            means[targets[k]] - (0..beta.ncols()).map(|j| a[(k, j)] * means[j]).sum::<f64>()
        });
        Linear { a, b0 }
    }
}

/// PLS, linear-model and training-mean predictions of the targets for the test rows, from the model estimated
/// on the training moments. Both predictors are linear in the answers, so each is one matrix product.
fn predict_fold(
    spec: &Spec,
    settings: &Settings,
    approach: Approach,
    (r, means, sds): Training,
    (rows, center): TestRows,
    targets: &[usize],
) -> Result<FoldPredictions, Failure> {
    let est = estimate(spec, r, settings)?;
    let pls = Linear::from_standardized(
        pls_predictor(spec, &est, approach, targets),
        targets,
        means,
        sds,
    )
    .apply(rows, center);
    let lm = Linear::from_standardized(lm_predictor(spec, r, targets)?, targets, means, sds)
        .apply(rows, center);
    Ok((pls, lm, targets.iter().map(|&c| means[c]).collect()))
}

/// The standardized PLS predictor: each target's z-score as loading × predicted construct score, the
/// construct scores predicted through the paths from the exogenous scores (earliest antecedents) or from the
/// predecessors' own scores (direct) — all linear in the indicators' z-scores (targets × indicators).
fn pls_predictor(
    spec: &Spec,
    est: &Estimate,
    approach: Approach,
    targets: &[usize],
) -> DMatrix<f64> {
    let p = est.weights.nrows();
    // Row c: construct c's score as a combination of z-scores (its outer weights).
    let scores = est.weights.transpose();
    let mut predicted = scores.clone();
    for j in spec.causal_order() {
        let mut row = DMatrix::zeros(1, p);
        for i in spec.predecessors(j) {
            let source = match approach {
                Approach::Earliest => predicted.row(i).into_owned(),
                Approach::Direct => scores.row(i).into_owned(),
            };
            row += source * est.beta[(i, j)];
        }
        predicted.set_row(j, &row.row(0));
    }
    let of = spec.construct_of();
    let loadings = est.outer_loadings(spec);
    DMatrix::from_fn(targets.len(), p, |k, j| {
        loadings[targets[k]] * predicted[(of[targets[k]], j)]
    })
}

/// The standardized linear-model benchmark: each target regressed on all indicators of the exogenous
/// constructs (targets × indicators, zero elsewhere), from the training correlations.
fn lm_predictor(spec: &Spec, r: &DMatrix<f64>, targets: &[usize]) -> Result<DMatrix<f64>, Failure> {
    let predictors: Vec<usize> = spec
        .exogenous()
        .into_iter()
        .flat_map(|j| spec.blocks[j].iter().copied())
        .collect();
    let mut out = DMatrix::zeros(targets.len(), r.ncols());
    for (k, &y) in targets.iter().enumerate() {
        let (b, _) = regress(r, &predictors, y).ok_or(Failure::Singular(0))?;
        for (a, &j) in predictors.iter().enumerate() {
            out[(k, j)] = b[a];
        }
    }
    Ok(out)
}
