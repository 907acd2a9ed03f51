//! Confirmatory factor analysis by maximum likelihood, as lavaan::cfa(estimator = "ML") fits it by default:
//! each item loads on one factor, the first loading of each factor is fixed to 1 (marker identification),
//! residual variances and all factor (co)variances are free, the likelihood is "normal" (S with divisor N,
//! χ² = N·F_ML). The optimiser is Fisher scoring with step halving; the ML solution does not depend on it.
//!
//! Fit indices follow lavaan's definitions (see [`FitIndices`]); every formula is written next to its field.

use super::distributions::ncp_for_probability;
use super::linalg::{spd_inverse, spd_logdet};
use crate::error::{Error, Result};
use nalgebra::{DMatrix, DVector};
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// Which items load on which factor: `factors[f]` lists item indices; the first one is the marker.
#[derive(Debug, Clone)]
pub struct CfaModel {
    pub n_items: usize,
    pub factors: Vec<Vec<usize>>,
}

/// Global fit of a CFA model (lavaan::fitMeasures).
#[derive(Debug, Clone)]
pub struct FitIndices {
    /// χ² = N·F_ML, F_ML = ln|Σ̂| + tr(SΣ̂⁻¹) − ln|S| − p.
    pub chisq: f64,
    pub df: usize,
    pub pvalue: f64,
    /// Independence model: χ²_b = −N ln|R_S|, df_b = p(p − 1)/2.
    pub baseline_chisq: f64,
    pub baseline_df: usize,
    /// CFI = 1 − max(χ² − df, 0) / max(χ² − df, χ²_b − df_b, 0).
    pub cfi: f64,
    /// TLI = (χ²_b/df_b − χ²/df) / (χ²_b/df_b − 1).
    pub tli: f64,
    /// RMSEA = sqrt(max(0, (χ² − df)/(N·df))).
    pub rmsea: f64,
    /// Browne–Cudeck 90% interval from the non-central χ².
    pub rmsea_ci90: [f64; 2],
    /// Bentler's SRMR: sqrt(mean over i ≤ j of ((s_ij − σ̂_ij)/sqrt(s_ii s_jj))²).
    pub srmr: f64,
    /// logL = −N/2 (p ln 2π + ln|Σ̂| + tr(SΣ̂⁻¹)).
    pub loglik: f64,
    /// −2 logL + 2q.
    pub aic: f64,
    /// −2 logL + q ln N.
    pub bic: f64,
    /// Free parameters q.
    pub npar: usize,
}

/// A fitted CFA.
#[derive(Debug, Clone)]
pub struct CfaFit {
    /// Unstandardized loading of each item on its factor.
    pub loadings: Vec<f64>,
    /// Factor of each item.
    pub factor_of: Vec<usize>,
    /// Residual variances.
    pub theta: Vec<f64>,
    /// Factor covariance matrix.
    pub phi: DMatrix<f64>,
    /// Completely standardized loadings (lavaan std.all).
    pub loadings_std: Vec<f64>,
    /// Standardized residual variances (1 − l² for a simple structure).
    pub theta_std: Vec<f64>,
    pub factor_correlations: DMatrix<f64>,
    pub fit: FitIndices,
    pub iterations: usize,
    pub converged: bool,
    /// Heywood cases and other problems, as sentences.
    pub warnings: Vec<String>,
}

/// Parameter layout: free loadings (non-marker items), residual variances, lower triangle of Φ.
struct Layout {
    p: usize,
    m: usize,
    factor_of: Vec<usize>,
    free_loading: Vec<usize>,
    phi_pairs: Vec<(usize, usize)>,
}

impl Layout {
    fn new(model: &CfaModel) -> Layout {
        let p = model.n_items;
        let m = model.factors.len();
        let mut factor_of = vec![0; p];
        let mut free_loading = Vec::new();
        for (f, items) in model.factors.iter().enumerate() {
            for (k, &i) in items.iter().enumerate() {
                factor_of[i] = f;
                if k > 0 {
                    free_loading.push(i);
                }
            }
        }
        let phi_pairs = (0..m).flat_map(|a| (0..=a).map(move |b| (a, b))).collect();
        Layout {
            p,
            m,
            factor_of,
            free_loading,
            phi_pairs,
        }
    }
    fn npar(&self) -> usize {
        self.free_loading.len() + self.p + self.phi_pairs.len()
    }
    /// Λ (loadings per item), Θ (diagonal), Φ from θ.
    fn unpack(&self, theta: &DVector<f64>) -> (Vec<f64>, Vec<f64>, DMatrix<f64>) {
        let mut lambda = vec![1.0; self.p];
        for (k, &i) in self.free_loading.iter().enumerate() {
            lambda[i] = theta[k];
        }
        let off = self.free_loading.len();
        let resid = (0..self.p).map(|i| theta[off + i]).collect();
        let off = off + self.p;
        let mut phi = DMatrix::zeros(self.m, self.m);
        for (k, &(a, b)) in self.phi_pairs.iter().enumerate() {
            phi[(a, b)] = theta[off + k];
            phi[(b, a)] = theta[off + k];
        }
        (lambda, resid, phi)
    }
    fn implied(&self, lambda: &[f64], resid: &[f64], phi: &DMatrix<f64>) -> DMatrix<f64> {
        let (p, f) = (self.p, &self.factor_of);
        DMatrix::from_fn(p, p, |i, j| {
            let v = lambda[i] * lambda[j] * phi[(f[i], f[j])];
            if i == j {
                v + resid[i]
            } else {
                v
            }
        })
    }
    /// ∂Σ/∂θ_k for every parameter.
    fn derivatives(&self, lambda: &[f64], phi: &DMatrix<f64>) -> Vec<DMatrix<f64>> {
        let (p, f) = (self.p, &self.factor_of);
        let mut out = Vec::with_capacity(self.npar());
        for &i in &self.free_loading {
            // ∂Σ/∂λ_i = e_i bᵀ + b e_iᵀ, b_j = λ_j φ(f_i, f_j).
            let b: Vec<f64> = (0..p).map(|j| lambda[j] * phi[(f[i], f[j])]).collect();
            let mut d = DMatrix::zeros(p, p);
            for j in 0..p {
                d[(i, j)] += b[j];
                d[(j, i)] += b[j];
            }
            out.push(d);
        }
        for i in 0..p {
            let mut d = DMatrix::zeros(p, p);
            d[(i, i)] = 1.0;
            out.push(d);
        }
        for &(a, b) in &self.phi_pairs {
            let d = DMatrix::from_fn(p, p, |i, j| {
                let mut v = 0.0;
                if f[i] == a && f[j] == b {
                    v += lambda[i] * lambda[j];
                }
                if a != b && f[i] == b && f[j] == a {
                    v += lambda[i] * lambda[j];
                }
                v
            });
            out.push(d);
        }
        out
    }
}

/// ML discrepancy ln|Σ| + tr(SΣ⁻¹) − ln|S| − p; None when Σ is not positive definite.
fn discrepancy(
    s: &DMatrix<f64>,
    logdet_s: f64,
    sigma: &DMatrix<f64>,
) -> Option<(f64, DMatrix<f64>, f64)> {
    let w = spd_inverse(sigma)?;
    let logdet = spd_logdet(sigma)?;
    let tr = (s * &w).trace();
    Some((logdet + tr - logdet_s - s.nrows() as f64, w, logdet))
}

/// Fit `model` to the sample covariance matrix `cov` (divisor n − 1) of `n` respondents.
pub fn fit(cov: &DMatrix<f64>, n: usize, model: &CfaModel) -> Result<CfaFit> {
    let lay = Layout::new(model);
    let p = lay.p;
    let q = lay.npar();
    let moments = p * (p + 1) / 2;
    if q > moments {
        return Err(Error::Usage(format!(
            "the CFA model has {q} free parameters but only {moments} variances and covariances: it is not identified"
        )));
    }
    if let Some(f) = model.factors.iter().position(|items| items.len() < 2) {
        return Err(Error::Usage(format!(
            "factor {} has fewer than 2 items: a CFA factor needs at least 2 indicators",
            f + 1
        )));
    }
    let nf = n as f64;
    let s = cov * ((nf - 1.0) / nf);
    let logdet_s = spd_logdet(&s).ok_or_else(|| Error::NotPositiveDefinite {
        what: "the item covariance matrix".into(),
        fix: "look for items that duplicate others or are sums of others, or for fewer respondents than items".into(),
    })?;

    let mut theta = start_values(&s, model, &lay);
    let mut iterations = 0;
    let mut converged = false;
    let (mut f_cur, mut w, _) = {
        let (l, r, ph) = lay.unpack(&theta);
        discrepancy(&s, logdet_s, &lay.implied(&l, &r, &ph)).ok_or_else(|| {
            Error::NotPositiveDefinite {
                what: "the CFA start values' implied covariance".into(),
                fix: "check the items for reverse-keying errors".into(),
            }
        })?
    };
    for it in 0..500 {
        iterations = it + 1;
        let (lambda, resid, phi) = lay.unpack(&theta);
        let sigma = lay.implied(&lambda, &resid, &phi);
        let dsig = lay.derivatives(&lambda, &phi);
        let d = &w * (&sigma - &s) * &w;
        let g = DVector::from_iterator(q, dsig.iter().map(|dk| d.component_mul(dk).sum()));
        let a: Vec<DMatrix<f64>> = dsig.iter().map(|dk| &w * dk * &w).collect();
        let info = DMatrix::from_fn(q, q, |k, l| a[k].component_mul(&dsig[l]).sum());
        if g.amax() < 1e-9 {
            converged = true;
            break;
        }
        let step = match info.clone().cholesky() {
            Some(ch) => -ch.solve(&g),
            None => -&g,
        };
        let mut t = 1.0;
        let mut accepted = false;
        for _ in 0..40 {
            let cand = &theta + &step * t;
            let (l, r, ph) = lay.unpack(&cand);
            if let Some((fv, wv, _)) = discrepancy(&s, logdet_s, &lay.implied(&l, &r, &ph)) {
                if fv <= f_cur + 1e-14 * f_cur.abs().max(1.0) {
                    let small = (f_cur - fv).abs() < 1e-15 && (step.amax() * t) < 1e-12;
                    theta = cand;
                    f_cur = fv;
                    w = wv;
                    accepted = true;
                    if small {
                        converged = true;
                    }
                    break;
                }
            }
            t *= 0.5;
        }
        if !accepted || converged {
            // No further descent possible: converged if the gradient is already negligible.
            converged = converged || g.amax() < 1e-6;
            break;
        }
    }

    let (lambda, resid, phi) = lay.unpack(&theta);
    let sigma = lay.implied(&lambda, &resid, &phi);
    let fit = fit_indices(&s, &sigma, f_cur, n, q, logdet_s);
    let m = lay.m;
    let f_of = &lay.factor_of;
    let loadings_std: Vec<f64> = (0..p)
        .map(|i| lambda[i] * phi[(f_of[i], f_of[i])].sqrt() / sigma[(i, i)].sqrt())
        .collect();
    let theta_std: Vec<f64> = (0..p).map(|i| resid[i] / sigma[(i, i)]).collect();
    let factor_correlations = DMatrix::from_fn(m, m, |a, b| {
        phi[(a, b)] / (phi[(a, a)] * phi[(b, b)]).sqrt()
    });

    let mut warnings = Vec::new();
    if !converged {
        warnings.push(format!(
            "the CFA did not converge in {iterations} iterations: its estimates and fit indices are unreliable; check reverse-keyed items and items with very low correlations"
        ));
    }
    for i in 0..p {
        if resid[i] < 0.0 || loadings_std[i].abs() > 1.0 {
            warnings.push(format!(
                "Heywood case: item {} has a negative residual variance ({:.3}; standardized loading {:.3}); the model is misspecified for this item or the sample is too small — consider removing the item or constraining its residual variance",
                i + 1, resid[i], loadings_std[i]
            ));
        }
    }
    if phi.clone().cholesky().is_none() {
        warnings.push("the factor covariance matrix is not positive definite (a factor correlation ≥ 1 in absolute value): two dimensions may not be distinct — consider merging them".into());
    }
    Ok(CfaFit {
        loadings: lambda,
        factor_of: lay.factor_of.clone(),
        theta: resid,
        phi,
        loadings_std,
        theta_std,
        factor_correlations,
        fit,
        iterations,
        converged,
        warnings,
    })
}

fn start_values(s: &DMatrix<f64>, model: &CfaModel, lay: &Layout) -> DVector<f64> {
    let p = lay.p;
    let mut lambda = vec![1.0; p];
    let mut phi_diag = vec![1.0; lay.m];
    for (f, items) in model.factors.iter().enumerate() {
        let marker = items[0];
        let covs: Vec<f64> = items[1..].iter().map(|&j| s[(marker, j)]).collect();
        let mean_cov = covs.iter().sum::<f64>() / covs.len() as f64;
        phi_diag[f] = if mean_cov > 0.05 * s[(marker, marker)] {
            mean_cov
        } else {
            0.5 * s[(marker, marker)]
        };
        for &j in &items[1..] {
            lambda[j] = s[(marker, j)] / phi_diag[f];
        }
    }
    let mut theta = DVector::zeros(lay.npar());
    for (k, &i) in lay.free_loading.iter().enumerate() {
        theta[k] = lambda[i];
    }
    let off = lay.free_loading.len();
    for i in 0..p {
        let f = lay.factor_of[i];
        theta[off + i] = (s[(i, i)] - lambda[i] * lambda[i] * phi_diag[f]).max(0.1 * s[(i, i)]);
    }
    let off = off + p;
    for (k, &(a, b)) in lay.phi_pairs.iter().enumerate() {
        theta[off + k] = if a == b { phi_diag[a] } else { 0.0 };
    }
    theta
}

fn fit_indices(
    s: &DMatrix<f64>,
    sigma: &DMatrix<f64>,
    fmin: f64,
    n: usize,
    q: usize,
    logdet_s: f64,
) -> FitIndices {
    let p = s.nrows();
    let nf = n as f64;
    let chisq = nf * fmin;
    let df = p * (p + 1) / 2 - q;
    let dff = df as f64;
    let pvalue = if df > 0 {
        ChiSquared::new(dff)
            .map(|d| d.sf(chisq))
            .unwrap_or(f64::NAN)
    } else {
        f64::NAN
    };
    let logdet_diag: f64 = (0..p).map(|i| s[(i, i)].ln()).sum();
    let baseline_chisq = nf * (logdet_diag - logdet_s);
    let baseline_df = p * (p - 1) / 2;
    let bdf = baseline_df as f64;
    let cfi_den = (chisq - dff).max(baseline_chisq - bdf).max(0.0);
    let cfi = if cfi_den > 0.0 {
        1.0 - (chisq - dff).max(0.0) / cfi_den
    } else {
        1.0
    };
    let tli = if df > 0 {
        (baseline_chisq / bdf - chisq / dff) / (baseline_chisq / bdf - 1.0)
    } else {
        f64::NAN
    };
    let (rmsea, rmsea_ci90) = if df > 0 {
        let r = ((chisq - dff) / (nf * dff)).max(0.0).sqrt();
        let lo = ncp_for_probability(chisq, dff, 0.95);
        let hi = ncp_for_probability(chisq, dff, 0.05);
        (r, [(lo / (nf * dff)).sqrt(), (hi / (nf * dff)).sqrt()])
    } else {
        (f64::NAN, [f64::NAN, f64::NAN])
    };
    let mut ss = 0.0;
    let mut cnt = 0.0;
    for i in 0..p {
        for j in 0..=i {
            let rres = (s[(i, j)] - sigma[(i, j)]) / (s[(i, i)] * s[(j, j)]).sqrt();
            ss += rres * rres;
            cnt += 1.0;
        }
    }
    let srmr = (ss / cnt).sqrt();
    let w = spd_inverse(sigma).unwrap_or_else(|| DMatrix::identity(p, p));
    let logdet_sigma = spd_logdet(sigma).unwrap_or(f64::NAN);
    let loglik =
        -nf / 2.0 * (p as f64 * (2.0 * std::f64::consts::PI).ln() + logdet_sigma + (s * w).trace());
    FitIndices {
        chisq,
        df,
        pvalue,
        baseline_chisq,
        baseline_df,
        cfi,
        tli,
        rmsea,
        rmsea_ci90,
        srmr,
        loglik,
        aic: -2.0 * loglik + 2.0 * q as f64,
        bic: -2.0 * loglik + q as f64 * nf.ln(),
        npar: q,
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
