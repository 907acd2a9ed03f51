//! Global fit of an estimated model, with lavaan's definitions (lavaan::fitMeasures); every formula is written
//! next to its field. Several groups: χ² and the baseline are summed over groups, RMSEA is multiplied by √G
//! and SRMR is the n-weighted mean of the groups' SRMR, as lavaan computes them.

use super::estimate::{Estimate, Prepared, SampleMoments};
use super::model::Model;
use crate::error::Result;
use crate::stats::distributions::ncp_for_probability;
use crate::stats::linalg::spd_logdet;
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// Global fit of a model.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FitIndices {
    /// χ² = N·F_ML, F_ML = Σ_g (n_g/N)(ln|Σ̂_g| + tr(S_gΣ̂_g⁻¹) − ln|S_g| − p [+ mean part]).
    pub chisq: f64,
    pub df: usize,
    pub pvalue: f64,
    /// CFI = 1 − max(χ² − df, 0) / max(χ² − df, χ²_b − df_b, 0).
    pub cfi: f64,
    /// TLI = (χ²_b/df_b − χ²/df) / (χ²_b/df_b − 1).
    pub tli: f64,
    /// RMSEA = sqrt(max(0, (χ² − df)/(N·df)))·√G.
    pub rmsea: f64,
    /// Browne–Cudeck 90% interval from the non-central χ² (× √G).
    pub rmsea_ci90: [f64; 2],
    /// Bentler's SRMR: sqrt(mean over i ≤ j of ((s_ij − σ̂_ij)/sqrt(s_ii s_jj))²), with the standardized mean
    /// residuals (x̄_i − μ̂_i)/sqrt(s_ii) among the elements when the model has a mean structure.
    pub srmr: f64,
    /// −2 logL + 2q.
    pub aic: f64,
    /// −2 logL + q ln N.
    pub bic: f64,
    /// logL = Σ_g −n_g/2 (p ln 2π + ln|Σ̂_g| + tr(S_gΣ̂_g⁻¹) [+ (x̄ − μ̂)ᵀΣ̂_g⁻¹(x̄ − μ̂)]).
    pub loglik: f64,
    /// Free parameters q.
    pub npar: usize,
    /// Independence model (free variances, and free means with a mean structure):
    /// χ²_b = Σ_g n_g (Σ ln s_ii − ln|S_g|), df_b = G·p(p − 1)/2.
    pub baseline_chisq: f64,
    pub baseline_df: usize,
}

/// Fit indices of `est` for `model` on complete `data`.
pub fn fit_indices(model: &Model, data: &[SampleMoments], est: &Estimate) -> Result<FitIndices> {
    let prep = Prepared::new(data)?;
    let nf = prep.n_total;
    let chisq = nf * est.fmin;
    let mut baseline_chisq = 0.0;
    let mut baseline_df = 0;
    let mut loglik = 0.0;
    let mut srmr_weighted = 0.0;
    for (g, (b, v)) in prep.blocks.iter().zip(&est.values).enumerate() {
        let s = &b.s;
        let p = s.nrows();
        let logdet_s = b.constant - p as f64;
        let logdet_diag: f64 = (0..p).map(|i| s[(i, i)].ln()).sum();
        baseline_chisq += b.n * (logdet_diag - logdet_s);
        baseline_df += p * (p - 1) / 2;
        // F_g = ln|Σ| + tr(SW) − ln|S| − p (+ means), so ln|Σ| + tr(SW) (+ means) = F_g + ln|S| + p.
        let ld_sigma_plus_tr = est.fmin_groups[g] + b.constant;
        loglik += -b.n / 2.0 * (p as f64 * (2.0 * std::f64::consts::PI).ln() + ld_sigma_plus_tr);
        srmr_weighted += b.n * srmr(s, &b.means, &v.sigma, &v.mu, model.means());
    }
    // ln|Σ̂| is finite at an accepted solution; the check keeps a NaN out of logL if it is not.
    if est.values.iter().any(|v| spd_logdet(&v.sigma).is_none()) {
        loglik = f64::NAN;
    }
    Ok(indices(Parts {
        chisq,
        df: model.n_moments().saturating_sub(model.n_params),
        baseline_chisq,
        baseline_df,
        n: nf,
        groups: model.groups.len(),
        srmr: srmr_weighted / nf,
        loglik,
        npar: model.n_params,
    }))
}

/// Bentler's SRMR of one group: standardized residuals of the covariances (i ≤ j) and, with a mean structure,
/// of the means, against the "sample" moments s and m (divisor N; under FIML the EM estimates).
pub(crate) fn srmr(
    s: &nalgebra::DMatrix<f64>,
    m: &nalgebra::DVector<f64>,
    sigma: &nalgebra::DMatrix<f64>,
    mu: &nalgebra::DVector<f64>,
    means: bool,
) -> f64 {
    let p = s.nrows();
    let mut ss = 0.0;
    let mut count = 0.0;
    for i in 0..p {
        for j in 0..=i {
            let r = (s[(i, j)] - sigma[(i, j)]) / (s[(i, i)] * s[(j, j)]).sqrt();
            ss += r * r;
            count += 1.0;
        }
    }
    if means {
        for i in 0..p {
            let r = (m[i] - mu[i]) / s[(i, i)].sqrt();
            ss += r * r;
            count += 1.0;
        }
    }
    (ss / count).sqrt()
}

/// What the indices are computed from.
pub(crate) struct Parts {
    pub chisq: f64,
    pub df: usize,
    pub baseline_chisq: f64,
    pub baseline_df: usize,
    pub n: f64,
    pub groups: usize,
    pub srmr: f64,
    pub loglik: f64,
    pub npar: usize,
}

/// CFI, TLI, RMSEA with its interval, AIC and BIC from χ², the baseline and logL.
pub(crate) fn indices(x: Parts) -> FitIndices {
    let Parts {
        chisq,
        df,
        baseline_chisq,
        baseline_df,
        n: nf,
        groups,
        srmr,
        loglik,
        npar: q,
    } = x;
    let dff = df as f64;
    let pvalue = if df > 0 {
        ChiSquared::new(dff)
            .map(|d| d.sf(chisq))
            .unwrap_or(f64::NAN)
    } else {
        f64::NAN
    };
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
        let scale = (groups as f64).sqrt();
        let r = ((chisq - dff) / (nf * dff)).max(0.0).sqrt() * scale;
        let lo = ncp_for_probability(chisq, dff, 0.95);
        let hi = ncp_for_probability(chisq, dff, 0.05);
        (
            r,
            [
                (lo / (nf * dff)).sqrt() * scale,
                (hi / (nf * dff)).sqrt() * scale,
            ],
        )
    } else {
        (f64::NAN, [f64::NAN, f64::NAN])
    };
    FitIndices {
        chisq,
        df,
        pvalue,
        cfi,
        tli,
        rmsea,
        rmsea_ci90,
        srmr,
        aic: -2.0 * loglik + 2.0 * q as f64,
        bic: -2.0 * loglik + q as f64 * nf.ln(),
        loglik,
        npar: q,
        baseline_chisq,
        baseline_df,
    }
}

/// The fit of a model with observed exogenous covariates `x` (rows of the groups' moments) read as lavaan's
/// `fixed.x = TRUE`: the model is fitted jointly (the covariates' variances and covariances free, which gives
/// the same estimates, χ², df and SRMR), then the covariates' q(q + 1)/2 moments are not counted as
/// parameters, logL is that of the outcomes given the covariates (the joint logL minus the covariates'
/// saturated normal logL, −n/2 (q ln 2π + ln|S_xx| + q)), and the baseline keeps their covariances
/// (χ²_b loses n (Σ ln s_xx − ln|S_xx|), df_b loses q(q − 1)/2 per group). Returns the indices and the
/// covariates' logL that was taken off.
pub fn conditional_on_covariates(
    fit: &FitIndices,
    data: &[SampleMoments],
    x: &[usize],
) -> (FitIndices, f64) {
    if x.is_empty() {
        return (fit.clone(), 0.0);
    }
    let q = x.len();
    let mut logl_x = 0.0;
    let mut baseline_part = 0.0;
    for d in data {
        let n = d.n as f64;
        let s_xx = DMatrix::from_fn(q, q, |a, b| d.cov[(x[a], x[b])] * (n - 1.0) / n);
        let logdet = spd_logdet(&s_xx).unwrap_or(f64::NAN);
        logl_x += -n / 2.0 * (q as f64 * (2.0 * std::f64::consts::PI).ln() + logdet + q as f64);
        let diag: f64 = (0..q).map(|a| s_xx[(a, a)].ln()).sum();
        baseline_part += n * (diag - logdet);
    }
    let groups = data.len();
    let moments_x = groups * q * (q + 1) / 2;
    let n_total: f64 = data.iter().map(|d| d.n as f64).sum();
    let out = indices(Parts {
        chisq: fit.chisq,
        df: fit.df,
        baseline_chisq: fit.baseline_chisq - baseline_part,
        baseline_df: fit.baseline_df - groups * q * (q - 1) / 2,
        n: n_total,
        groups,
        srmr: fit.srmr,
        loglik: fit.loglik - logl_x,
        npar: fit.npar - moments_x,
    });
    (out, logl_x)
}
