//! PLSpredict (Shmueli et al. 2016, 2019): k-fold cross-validated predictions of the endogenous constructs'
//! indicators. Each fold's model is estimated on the other folds; the held-out respondents are standardized
//! with the training means and SDs, the exogenous construct scores formed with the training weights, the
//! endogenous scores predicted through the paths from the earliest antecedents (SmartPLS's and cSEM's
//! default; "direct" uses each construct's own predecessors' scores, seminr's default), and each indicator
//! predicted as loading × score, back on the answer scale. The benchmarks: a linear model of each
//! endogenous indicator on all indicators of the exogenous constructs (with intercept), and the training
//! mean (for Q²predict = 1 − SSE(PLS) / SSE(mean)). With repetitions, each respondent's predictions are
//! averaged over the repetitions before the metrics (as SmartPLS and seminr).

use super::{correlations, estimate, regress, Estimate, Failure, Settings, Spec};
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
    let n = x.nrows();
    let targets = endogenous_indicators(spec);
    let t = targets.len();
    let jobs: Vec<(usize, usize)> = folds
        .iter()
        .enumerate()
        .flat_map(|(r, f)| {
            let k = f.iter().max().map_or(0, |m| m + 1);
            (0..k).map(move |fold| (r, fold))
        })
        .collect();
    // (rows, PLS, LM, mean) predictions of each job's held-out rows, row-major by target.
    let results: Vec<(Vec<usize>, FoldPredictions)> = jobs
        .par_iter()
        .map(|&(r, fold)| {
            let test: Vec<usize> = (0..n).filter(|&i| folds[r][i] == fold).collect();
            let train: Vec<usize> = (0..n).filter(|&i| folds[r][i] != fold).collect();
            predict_fold(x, spec, settings, approach, &train, &test, &targets)
                .map(|predictions| (test, predictions))
        })
        .collect::<Result<_, _>>()?;
    let mut sums = vec![[0.0f64; 3]; n * t];
    let mut counts = vec![0usize; n];
    for (rows, (pls, lm, mean)) in &results {
        for (a, &row) in rows.iter().enumerate() {
            counts[row] += 1;
            for k in 0..t {
                let s = &mut sums[row * t + k];
                s[0] += pls[a * t + k];
                s[1] += lm[a * t + k];
                s[2] += mean[a * t + k];
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

type FoldPredictions = (Vec<f64>, Vec<f64>, Vec<f64>);

/// PLS, linear-model and training-mean predictions of the targets for the test rows (row-major).
fn predict_fold(
    x: &DMatrix<f64>,
    spec: &Spec,
    settings: &Settings,
    approach: Approach,
    train: &[usize],
    test: &[usize],
    targets: &[usize],
) -> Result<FoldPredictions, Failure> {
    let p = x.ncols();
    let xt = DMatrix::from_fn(train.len(), p, |i, j| x[(train[i], j)]);
    let (r, means, sds) = correlations(&xt);
    let est = estimate(spec, &r, settings)?;
    let pls = pls_predictions(x, spec, &est, approach, &means, &sds, test, targets);
    let lm = lm_predictions(x, spec, &r, &means, &sds, test, targets)?;
    let mean: Vec<f64> = test
        .iter()
        .flat_map(|_| targets.iter().map(|&c| means[c]))
        .collect();
    Ok((pls, lm, mean))
}

#[allow(clippy::too_many_arguments)]
fn pls_predictions(
    x: &DMatrix<f64>,
    spec: &Spec,
    est: &Estimate,
    approach: Approach,
    means: &DVector<f64>,
    sds: &DVector<f64>,
    test: &[usize],
    targets: &[usize],
) -> Vec<f64> {
    let (p, m) = (x.ncols(), spec.constructs());
    let of = spec.construct_of();
    let loadings = est.outer_loadings(spec);
    let order = spec.causal_order();
    let mut out = Vec::with_capacity(test.len() * targets.len());
    for &row in test {
        let z: Vec<f64> = (0..p).map(|j| (x[(row, j)] - means[j]) / sds[j]).collect();
        let scores: Vec<f64> = (0..m)
            .map(|c| {
                spec.blocks[c]
                    .iter()
                    .map(|&i| est.weights[(i, c)] * z[i])
                    .sum()
            })
            .collect();
        let mut predicted = scores.clone();
        for &j in &order {
            let source = match approach {
                Approach::Earliest => &predicted,
                Approach::Direct => &scores,
            };
            let y: f64 = spec
                .predecessors(j)
                .iter()
                .map(|&i| est.beta[(i, j)] * source[i])
                .sum();
            predicted[j] = y;
        }
        out.extend(
            targets
                .iter()
                .map(|&i| means[i] + sds[i] * loadings[i] * predicted[of[i]]),
        );
    }
    out
}

/// OLS of each target on all indicators of the exogenous constructs, with intercept, from the training
/// correlations, means and SDs.
fn lm_predictions(
    x: &DMatrix<f64>,
    spec: &Spec,
    r: &DMatrix<f64>,
    means: &DVector<f64>,
    sds: &DVector<f64>,
    test: &[usize],
    targets: &[usize],
) -> Result<Vec<f64>, Failure> {
    let predictors: Vec<usize> = spec
        .exogenous()
        .into_iter()
        .flat_map(|j| spec.blocks[j].iter().copied())
        .collect();
    let coefficients: Vec<DVector<f64>> = targets
        .iter()
        .map(|&y| {
            regress(r, &predictors, y)
                .map(|(b, _)| b)
                .ok_or(Failure::Singular(0))
        })
        .collect::<Result<_, _>>()?;
    let mut out = Vec::with_capacity(test.len() * targets.len());
    for &row in test {
        for (k, &y) in targets.iter().enumerate() {
            let zhat: f64 = predictors
                .iter()
                .enumerate()
                .map(|(a, &j)| coefficients[k][a] * (x[(row, j)] - means[j]) / sds[j])
                .sum();
            out.push(means[y] + sds[y] * zhat);
        }
    }
    Ok(out)
}
