//! The quality criteria of a PLS solution as SmartPLS and seminr report them, all from the indicator and
//! construct-score correlations: effects, f², VIF, α, ρ_A, ρ_C, AVE, HTMT and SRMR.

use super::{regress, sub, Estimate, Mode, Spec};
use nalgebra::DMatrix;

/// Total effects Σ_k B^k (B = `beta`, `[from, to]`) of a recursive model.
pub fn total_effects(beta: &DMatrix<f64>) -> DMatrix<f64> {
    let mut total = beta.clone();
    let mut power = beta.clone();
    for _ in 1..beta.nrows() {
        power = &power * beta;
        if power.iter().all(|v| *v == 0.0) {
            break;
        }
        total += &power;
    }
    total
}

/// Every chain of two or more paths through the model, with the product of its coefficients (a specific
/// indirect effect), in the model's path order.
pub fn specific_indirect(spec: &Spec, beta: &DMatrix<f64>) -> Vec<(Vec<usize>, f64)> {
    fn extend(
        spec: &Spec,
        beta: &DMatrix<f64>,
        chain: &mut Vec<usize>,
        out: &mut Vec<(Vec<usize>, f64)>,
    ) {
        let last = *chain.last().expect("a chain starts with one construct");
        for &(from, to) in &spec.paths {
            if from == last && !chain.contains(&to) {
                chain.push(to);
                if chain.len() >= 3 {
                    let effect = chain.windows(2).map(|w| beta[(w[0], w[1])]).product();
                    out.push((chain.clone(), effect));
                }
                extend(spec, beta, chain, out);
                chain.pop();
            }
        }
    }
    let mut out = Vec::new();
    for start in 0..spec.constructs() {
        extend(spec, beta, &mut vec![start], &mut out);
    }
    out
}

/// R² adjusted for the number of predictors k: 1 − (1 − R²)(n − 1)/(n − k − 1).
pub fn r2_adjusted(r2: f64, n: usize, k: usize) -> f64 {
    1.0 - (1.0 - r2) * (n as f64 - 1.0) / (n as f64 - k as f64 - 1.0)
}

/// The other predictors of the path x → y's outcome.
fn other_predictors(spec: &Spec, x: usize, y: usize) -> Vec<usize> {
    spec.predecessors(y)
        .into_iter()
        .filter(|&k| k != x)
        .collect()
}

/// Cohen's f² of each path from the construct correlations of the full model, (R²_incl − R²_excl) /
/// (1 − R²_incl), without re-estimating the model (SmartPLS's and cSEM's definition), in path order.
pub fn f_squared(spec: &Spec, cor: &DMatrix<f64>, r2: &[f64]) -> Vec<f64> {
    spec.paths
        .iter()
        .map(|&(x, y)| {
            let excl = regress(cor, &other_predictors(spec, x, y), y).map_or(f64::NAN, |r| r.1);
            (r2[y] - excl) / (1.0 - r2[y])
        })
        .collect()
}

/// Inner VIF of each path's predictor among the other predictors of its outcome, in path order.
pub fn inner_vif(spec: &Spec, cor: &DMatrix<f64>) -> Vec<f64> {
    spec.paths
        .iter()
        .map(|&(x, y)| {
            regress(cor, &other_predictors(spec, x, y), x).map_or(f64::NAN, |r| 1.0 / (1.0 - r.1))
        })
        .collect()
}

/// Outer VIF of each indicator among the other indicators of its block (1 for a single indicator).
pub fn outer_vif(spec: &Spec, r: &DMatrix<f64>) -> Vec<f64> {
    let mut vif = vec![1.0; spec.indicators()];
    for b in &spec.blocks {
        for &i in b {
            let others: Vec<usize> = b.iter().copied().filter(|&k| k != i).collect();
            vif[i] = regress(r, &others, i).map_or(f64::NAN, |x| 1.0 / (1.0 - x.1));
        }
    }
    vif
}

/// Reliability and convergent validity of one construct.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reliability {
    /// Cronbach's α of the standardized indicators (seminr computes it from the correlation matrix).
    pub alpha: f64,
    /// Dijkstra–Henseler ρ_A (1 for mode B and single-indicator constructs, as seminr).
    pub rho_a: f64,
    /// ρ_C = (Σλ)² / ((Σλ)² + Σ(1 − λ²)).
    pub rho_c: f64,
    /// AVE = mean λ².
    pub ave: f64,
}

/// ρ_A of a mode A block: (w′w)² · w′(S − diag S)w / w′(ww′ − diag(ww′))w.
pub fn rho_a(r: &DMatrix<f64>, block: &[usize], w: &[f64]) -> f64 {
    let ww: f64 = w.iter().map(|x| x * x).sum();
    let (mut num, mut den) = (0.0, 0.0);
    for (a, &i) in block.iter().enumerate() {
        for (b, &j) in block.iter().enumerate() {
            if a != b {
                num += w[a] * r[(i, j)] * w[b];
                den += w[a] * w[a] * w[b] * w[b];
            }
        }
    }
    ww * ww * num / den
}

/// α, ρ_A, ρ_C and AVE of every construct; `loadings` are each indicator's loading on its own construct
/// (the PLSc loadings for PLSc).
pub fn reliability(
    spec: &Spec,
    r: &DMatrix<f64>,
    est: &Estimate,
    loadings: &[f64],
) -> Vec<Reliability> {
    let weights = est.outer_weights(spec);
    spec.blocks
        .iter()
        .enumerate()
        .map(|(j, b)| {
            let k = b.len();
            if k == 1 {
                return Reliability {
                    alpha: 1.0,
                    rho_a: 1.0,
                    rho_c: 1.0,
                    ave: 1.0,
                };
            }
            let s = sub(r, b, b);
            let alpha = k as f64 / (k as f64 - 1.0) * (1.0 - k as f64 / s.sum());
            let w: Vec<f64> = b.iter().map(|&i| weights[i]).collect();
            let rho_a = match spec.modes[j] {
                Mode::A => rho_a(r, b, &w),
                Mode::B => 1.0,
            };
            let l: Vec<f64> = b.iter().map(|&i| loadings[i]).collect();
            let sum: f64 = l.iter().sum();
            let unique: f64 = l.iter().map(|x| 1.0 - x * x).sum();
            Reliability {
                alpha,
                rho_a,
                rho_c: sum * sum / (sum * sum + unique),
                ave: l.iter().map(|x| x * x).sum::<f64>() / k as f64,
            }
        })
        .collect()
}

/// The heterotrait–monotrait ratio (Henseler, Ringle & Sarstedt 2015) of constructs a and b on absolute
/// indicator correlations: mean |r| between their indicators over the geometric mean of the mean |r| within
/// each. None when either has a single indicator (no within-construct correlation).
pub fn htmt(r: &DMatrix<f64>, a: &[usize], b: &[usize]) -> Option<f64> {
    if a.len() < 2 || b.len() < 2 {
        return None;
    }
    let within = |x: &[usize]| {
        let mut s = 0.0;
        for (k, &i) in x.iter().enumerate() {
            for &j in &x[k + 1..] {
                s += r[(i, j)].abs();
            }
        }
        s / (x.len() * (x.len() - 1) / 2) as f64
    };
    let between: f64 = a
        .iter()
        .flat_map(|&i| b.iter().map(move |&j| r[(i, j)].abs()))
        .sum::<f64>()
        / (a.len() * b.len()) as f64;
    Some(between / (within(a) * within(b)).sqrt())
}

/// HTMT of every pair of constructs (a before b in construct order).
pub fn htmt_pairs(spec: &Spec, r: &DMatrix<f64>) -> Vec<((usize, usize), Option<f64>)> {
    let m = spec.constructs();
    (0..m)
        .flat_map(|a| (a + 1..m).map(move |b| (a, b)))
        .map(|(a, b)| ((a, b), htmt(r, &spec.blocks[a], &spec.blocks[b])))
        .collect()
}

/// SRMR of the estimated model (SmartPLS's "estimated model"; cSEM's `fit()` with `.saturated = FALSE`):
/// construct correlations implied by the paths (exogenous ones as estimated, each endogenous construct's
/// disturbance 1 − Σ β·r, implied variances set to 1), indicator correlations λ_i λ_k r(c_i, c_k) between
/// blocks and within mode A blocks, the observed ones within mode B blocks; the root mean square of the
/// residual correlations over the lower triangle with the diagonal.
pub fn srmr(
    spec: &Spec,
    r: &DMatrix<f64>,
    cor: &DMatrix<f64>,
    beta: &DMatrix<f64>,
    loadings: &[f64],
) -> Option<f64> {
    let m = spec.constructs();
    let exogenous = spec.exogenous();
    let mut psi = DMatrix::zeros(m, m);
    for &a in &exogenous {
        for &b in &exogenous {
            psi[(a, b)] = cor[(a, b)];
        }
    }
    for j in spec.endogenous() {
        psi[(j, j)] = 1.0 - (0..m).map(|k| beta[(k, j)] * cor[(k, j)]).sum::<f64>();
    }
    let inv = (DMatrix::identity(m, m) - beta.transpose()).try_inverse()?;
    let mut implied = &inv * psi * inv.transpose();
    for j in 0..m {
        implied[(j, j)] = 1.0;
    }
    let of = spec.construct_of();
    let p = of.len();
    let (mut sum, mut count) = (0.0, 0usize);
    for i in 0..p {
        for k in 0..=i {
            let sigma = if i == k {
                1.0
            } else if of[i] == of[k] && spec.modes[of[i]] == super::Mode::B {
                r[(i, k)]
            } else {
                loadings[i] * loadings[k] * implied[(of[i], of[k])]
            };
            sum += (r[(i, k)] - sigma).powi(2);
            count += 1;
        }
    }
    Some((sum / count as f64).sqrt())
}
