//! Confirmatory factor analysis by maximum likelihood, as lavaan::cfa(estimator = "ML") fits it by default:
//! each item loads on one factor, the first loading of each factor is fixed to 1 (marker identification),
//! residual variances and all factor (co)variances are free, the likelihood is "normal" (S with divisor N,
//! χ² = N·F_ML). The model is handed to the one ML engine, [`super::sem`], which also gives the fit indices
//! (lavaan's definitions, see [`FitIndices`]), the standardized solution and the modification indices.

use super::sem::{self, Cell, GroupPattern, Matrix, Place, SampleMoments};
use crate::error::{Error, Result};
use nalgebra::{DMatrix, DVector};

/// Which items load on which factor: `factors[f]` lists item indices; the first one is the marker.
/// With `second_order`, the factors' covariances are explained by one overall factor:
/// Φ = ψ γγᵀ + diag(ζ), the first γ fixed to 1 (marker), ψ and ζ free.
#[derive(Debug, Clone)]
pub struct CfaModel {
    pub n_items: usize,
    pub factors: Vec<Vec<usize>>,
    pub second_order: bool,
}

pub use super::sem::FitIndices;

/// A fitted CFA.
#[derive(Debug, Clone)]
pub struct CfaFit {
    /// Unstandardized loading of each item on its factor.
    pub loadings: Vec<f64>,
    /// Factor of each item.
    pub factor_of: Vec<usize>,
    /// Residual variances.
    pub theta: Vec<f64>,
    /// Factor covariance matrix (implied by the second-order structure when there is one).
    pub phi: DMatrix<f64>,
    /// Completely standardized loadings (lavaan std.all).
    pub loadings_std: Vec<f64>,
    /// Standardized residual variances (1 − l² for a simple structure).
    pub theta_std: Vec<f64>,
    pub factor_correlations: DMatrix<f64>,
    /// Second-order model: standardized loadings of the first-order factors on the overall factor.
    pub second_order_std: Option<Vec<f64>>,
    /// Modification indices, largest first.
    pub modification_indices: Vec<ModificationIndex>,
    pub fit: FitIndices,
    pub iterations: usize,
    pub converged: bool,
    /// Heywood cases: items with a negative residual variance or a standardized loading beyond ±1.
    pub heywood_items: Vec<usize>,
    /// The factor covariance matrix is not positive definite (a factor correlation at or beyond ±1).
    pub factor_cov_not_pd: bool,
}

/// A parameter fixed at zero that could be freed, with its score-test statistic.
#[derive(Debug, Clone)]
pub struct ModificationIndex {
    /// "=~" (item loading on another factor) or "~~" (residual covariance of two items).
    pub op: &'static str,
    /// Factor index (for "=~") or item index (for "~~").
    pub lhs: usize,
    /// Item index.
    pub rhs: usize,
    /// Expected drop in χ² if the parameter were freed (score test, expected information, as lavaan).
    pub mi: f64,
    /// Expected parameter change.
    pub epc: f64,
}

impl CfaModel {
    /// Factor of each item.
    pub fn factor_of(&self) -> Vec<usize> {
        let mut factor_of = vec![0; self.n_items];
        for (f, items) in self.factors.iter().enumerate() {
            for &i in items {
                factor_of[i] = f;
            }
        }
        factor_of
    }

    /// The model as one group of the ML engine. Parameters: free loadings, residual variances, then the
    /// factor (co)variances — or, with a second-order factor (latent m), the first-order factors' loadings on
    /// it (B), its variance and the disturbance variances (Ψ). With `means`, free intercepts follow.
    pub fn pattern(&self, means: bool, next: &mut usize) -> GroupPattern {
        let (p, m) = (self.n_items, self.factors.len());
        let latents = m + usize::from(self.second_order);
        let mut g = GroupPattern::new(p, latents, means);
        let mut free = || {
            *next += 1;
            Cell::Free(*next - 1)
        };
        for (f, items) in self.factors.iter().enumerate() {
            for (k, &i) in items.iter().enumerate() {
                g.lambda
                    .set(i, f, if k == 0 { Cell::Fixed(1.0) } else { free() });
            }
        }
        for i in 0..p {
            g.theta.set(i, i, free());
        }
        if self.second_order {
            for f in 0..m {
                g.beta
                    .set(f, m, if f == 0 { Cell::Fixed(1.0) } else { free() });
            }
            g.psi.set(m, m, free());
            for f in 0..m {
                g.psi.set(f, f, free());
            }
        } else {
            for a in 0..m {
                for b in 0..=a {
                    g.psi.set_sym(a, b, free());
                }
            }
        }
        if let Some(nu) = g.nu.as_mut() {
            for i in 0..p {
                nu.set(i, 0, free());
            }
        }
        g
    }
}

/// Fit `model` to the sample covariance matrix `cov` (divisor n − 1) of `n` respondents.
pub fn fit(cov: &DMatrix<f64>, n: usize, model: &CfaModel) -> Result<CfaFit> {
    let p = model.n_items;
    let (sem_model, _) = checked_model(model, false, n)?;
    let data = [SampleMoments {
        n,
        means: DVector::zeros(p),
        cov: cov.clone(),
    }];
    let est = sem::estimate(&sem_model, &data, sem::default_start(&sem_model, &data))?;
    let fit = sem::fit_indices(&sem_model, &data, &est)?;
    Ok(finish(model, &sem_model, est, fit, Some(&data)))
}

/// Fit `model` by full-information ML to incomplete data (lavaan's `missing = "ml"`): a mean structure with
/// free intercepts, the casewise likelihood; standard errors would come from the observed information.
/// Modification indices are not computed under FIML.
pub fn fit_fiml(
    data: &sem::fiml::MissingData,
    model: &CfaModel,
) -> Result<(CfaFit, sem::fiml::Saturated)> {
    let (sem_model, _) = checked_model(model, true, data.n)?;
    let h1 = sem::fiml::saturated(data)?;
    let start_data = [sem::fiml::FimlFit::start_moments(data, &h1)];
    let start = sem::default_start(&sem_model, &start_data);
    let fitted = sem::fiml::fit(&sem_model, data, h1, start)?;
    let cfa = finish(model, &sem_model, fitted.estimate, fitted.fit, None);
    Ok((cfa, fitted.saturated))
}

/// The engine's model of `model`, after the checks that it can be estimated from `n` respondents.
fn checked_model(model: &CfaModel, means: bool, n: usize) -> Result<(sem::Model, usize)> {
    let p = model.n_items;
    let m = model.factors.len();
    if let Some(f) = model.factors.iter().position(|items| items.len() < 2) {
        return Err(Error::Usage(format!(
            "factor {} has fewer than 2 items: a CFA factor needs at least 2 indicators",
            f + 1
        )));
    }
    if model.second_order && m < 3 {
        return Err(Error::Usage(format!(
            "a second-order factor needs at least 3 first-order factors (the instrument has {m})"
        )));
    }
    let mut q = 0;
    let pattern = model.pattern(means, &mut q);
    let moments = p * (p + 1) / 2 + if means { p } else { 0 };
    if q > moments {
        return Err(Error::Usage(format!(
            "the CFA model has {q} free parameters but only {moments} variances and covariances: it is not identified"
        )));
    }
    if n <= q {
        return Err(Error::Usage(format!(
            "the CFA has {q} free parameters but only {n} respondents: collect more responses (at least 5–10 per parameter is a common rule)"
        )));
    }
    Ok((
        sem::Model {
            groups: vec![pattern],
            n_params: q,
        },
        q,
    ))
}

/// Loadings, standardized solution, modification indices (complete data only) and the checks of a fit.
fn finish(
    model: &CfaModel,
    sem_model: &sem::Model,
    est: sem::Estimate,
    fit: FitIndices,
    complete: Option<&[SampleMoments]>,
) -> CfaFit {
    let p = model.n_items;
    let m = model.factors.len();
    let v = &est.values[0];
    let std = sem::standardize(v);
    let factor_of = model.factor_of();
    let loadings: Vec<f64> = (0..p).map(|i| v.lambda[(i, factor_of[i])]).collect();
    let theta: Vec<f64> = (0..p).map(|i| v.theta[(i, i)]).collect();
    let loadings_std: Vec<f64> = (0..p).map(|i| std.lambda[(i, factor_of[i])]).collect();
    let phi = v.latent_cov.view((0, 0), (m, m)).into_owned();
    let second_order_std = model
        .second_order
        .then(|| (0..m).map(|f| std.beta[(f, m)]).collect());

    // Candidates: every cross-loading on a first-order factor, every residual covariance.
    let mut candidates = Vec::new();
    for (i, &own) in factor_of.iter().enumerate() {
        for g in (0..m).filter(|&g| g != own) {
            candidates.push(Place {
                group: 0,
                matrix: Matrix::Lambda,
                row: i,
                col: g,
            });
        }
    }
    for i in 0..p {
        for j in i + 1..p {
            candidates.push(Place {
                group: 0,
                matrix: Matrix::Theta,
                row: i,
                col: j,
            });
        }
    }
    let modification_indices = complete
        .map(|data| sem::modification_indices(sem_model, data, &est, &candidates))
        .unwrap_or_default()
        .into_iter()
        .map(|mi| {
            let lambda = mi.place.matrix == Matrix::Lambda;
            ModificationIndex {
                op: if lambda { "=~" } else { "~~" },
                lhs: if lambda { mi.place.col } else { mi.place.row },
                rhs: if lambda { mi.place.row } else { mi.place.col },
                mi: mi.mi,
                epc: mi.epc,
            }
        })
        .collect();
    let heywood_items = (0..p)
        .filter(|&i| theta[i] < 0.0 || loadings_std[i].abs() > 1.0)
        .collect();
    CfaFit {
        loadings,
        factor_of,
        theta_std: (0..p).map(|i| std.theta[(i, i)]).collect(),
        theta,
        factor_cov_not_pd: phi.clone().cholesky().is_none(),
        factor_correlations: std.latent_cor.view((0, 0), (m, m)).into_owned(),
        phi,
        loadings_std,
        second_order_std,
        modification_indices,
        fit,
        iterations: est.iterations,
        converged: est.converged,
        heywood_items,
    }
}

/// Composite reliability (Σl)² / ((Σl)² + Σ(1 − l²)) of standardized loadings.
pub fn composite_reliability(l: &[f64]) -> f64 {
    let s: f64 = l.iter().sum();
    let e: f64 = l.iter().map(|v| 1.0 - v * v).sum();
    s * s / (s * s + e)
}

/// Average variance extracted: mean of l².
pub fn ave(l: &[f64]) -> f64 {
    l.iter().map(|v| v * v).sum::<f64>() / l.len() as f64
}

/// Heterotrait–monotrait ratio (Henseler, Ringle & Sarstedt 2015, arithmetic means of absolute
/// correlations): mean |r| between the blocks / sqrt(mean |r| within a × mean |r| within b).
/// None when a block has a single item (no monotrait correlation).
pub fn htmt(r: &DMatrix<f64>, a: &[usize], b: &[usize]) -> Option<f64> {
    let mono = |block: &[usize]| {
        let mut s = 0.0;
        let mut c = 0.0;
        for (x, &i) in block.iter().enumerate() {
            for &j in &block[x + 1..] {
                s += r[(i, j)].abs();
                c += 1.0;
            }
        }
        (c > 0.0).then(|| s / c)
    };
    let hetero = a
        .iter()
        .flat_map(|&i| b.iter().map(move |&j| (i, j)))
        .map(|(i, j)| r[(i, j)].abs())
        .sum::<f64>()
        / (a.len() * b.len()) as f64;
    Some(hetero / (mono(a)? * mono(b)?).sqrt())
}
