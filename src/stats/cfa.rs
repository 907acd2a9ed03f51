//! Confirmatory factor analysis by maximum likelihood, as lavaan::cfa(estimator = "ML") fits it by default:
//! each item loads on one factor, the first loading of each factor is fixed to 1 (marker identification),
//! residual variances and all factor (co)variances are free, the likelihood is "normal" (S with divisor N,
//! χ² = N·F_ML). The optimiser is Fisher scoring with step halving; the ML solution does not depend on it.
//!
//! Fit indices follow lavaan's definitions (see [`FitIndices`]); every formula is written next to its field.

use super::distributions::ncp_for_probability;
use super::linalg::{frob_dot, spd_inverse, spd_logdet};
use crate::error::{Error, Result};
use nalgebra::{DMatrix, DVector};
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// Which items load on which factor: `factors[f]` lists item indices; the first one is the marker.
/// With `second_order`, the factors' covariances are explained by one overall factor:
/// Φ = ψ γγᵀ + diag(ζ), the first γ fixed to 1 (marker), ψ and ζ free.
#[derive(Debug, Clone)]
pub struct CfaModel {
    pub n_items: usize,
    pub factors: Vec<Vec<usize>>,
    pub second_order: bool,
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
    /// Second-order model: standardized loadings of the first-order factors on the overall factor.
    pub second_order_std: Option<Vec<f64>>,
    /// Modification indices, largest first.
    pub modification_indices: Vec<ModificationIndex>,
    pub fit: FitIndices,
    pub iterations: usize,
    pub converged: bool,
    /// Heywood cases and other problems, as sentences.
    pub warnings: Vec<String>,
}

/// A free parameter of Φ (the factor covariance matrix).
#[derive(Debug, Clone, Copy)]
enum PhiParam {
    /// Φ_ab = Φ_ba (correlated factors).
    Cov(usize, usize),
    /// Loading γ_f of first-order factor f on the second-order factor (f > 0; γ_0 = 1).
    Gamma(usize),
    /// Variance ψ of the second-order factor.
    Psi,
    /// Disturbance variance ζ_f of first-order factor f.
    Zeta(usize),
}

/// Parameter layout: free loadings (non-marker items), residual variances, then the Φ parameters.
struct Layout {
    p: usize,
    m: usize,
    factor_of: Vec<usize>,
    free_loading: Vec<usize>,
    phi_params: Vec<PhiParam>,
    second_order: bool,
}

/// Parameter values in model form.
struct Unpacked {
    lambda: Vec<f64>,
    resid: Vec<f64>,
    phi: DMatrix<f64>,
    gamma: Vec<f64>,
    psi: f64,
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
        let phi_params = if model.second_order {
            (1..m)
                .map(PhiParam::Gamma)
                .chain([PhiParam::Psi])
                .chain((0..m).map(PhiParam::Zeta))
                .collect()
        } else {
            (0..m)
                .flat_map(|a| (0..=a).map(move |b| PhiParam::Cov(a, b)))
                .collect()
        };
        Layout {
            p,
            m,
            factor_of,
            free_loading,
            phi_params,
            second_order: model.second_order,
        }
    }
    fn npar(&self) -> usize {
        self.free_loading.len() + self.p + self.phi_params.len()
    }
    fn unpack(&self, theta: &DVector<f64>) -> Unpacked {
        let mut lambda = vec![1.0; self.p];
        for (k, &i) in self.free_loading.iter().enumerate() {
            lambda[i] = theta[k];
        }
        let off = self.free_loading.len();
        let resid = (0..self.p).map(|i| theta[off + i]).collect();
        let off = off + self.p;
        let mut phi = DMatrix::zeros(self.m, self.m);
        let mut gamma = vec![1.0; self.m];
        let mut psi = 0.0;
        let mut zeta = vec![0.0; self.m];
        for (k, par) in self.phi_params.iter().enumerate() {
            let v = theta[off + k];
            match *par {
                PhiParam::Cov(a, b) => {
                    phi[(a, b)] = v;
                    phi[(b, a)] = v;
                }
                PhiParam::Gamma(f) => gamma[f] = v,
                PhiParam::Psi => psi = v,
                PhiParam::Zeta(f) => zeta[f] = v,
            }
        }
        if self.second_order {
            phi = DMatrix::from_fn(self.m, self.m, |a, b| {
                psi * gamma[a] * gamma[b] + if a == b { zeta[a] } else { 0.0 }
            });
        }
        Unpacked {
            lambda,
            resid,
            phi,
            gamma,
            psi,
        }
    }
    fn implied(&self, u: &Unpacked) -> DMatrix<f64> {
        let (p, f) = (self.p, &self.factor_of);
        DMatrix::from_fn(p, p, |i, j| {
            let v = u.lambda[i] * u.lambda[j] * u.phi[(f[i], f[j])];
            if i == j {
                v + u.resid[i]
            } else {
                v
            }
        })
    }
    /// ∂Σ/∂λ for item i loading on factor g (g need not be its own factor: modification indices).
    fn d_loading(&self, u: &Unpacked, i: usize, g: usize) -> DMatrix<f64> {
        let (p, f) = (self.p, &self.factor_of);
        // ∂Σ = e_i bᵀ + b e_iᵀ, b_j = λ_j φ(g, f_j).
        let mut d = DMatrix::zeros(p, p);
        for j in 0..p {
            let b = u.lambda[j] * u.phi[(g, f[j])];
            d[(i, j)] += b;
            d[(j, i)] += b;
        }
        d
    }
    /// ∂Φ for one Φ parameter.
    fn d_phi(&self, u: &Unpacked, par: PhiParam) -> DMatrix<f64> {
        let m = self.m;
        match par {
            PhiParam::Cov(a, b) => DMatrix::from_fn(m, m, |x, y| {
                if (x, y) == (a, b) || (x, y) == (b, a) {
                    1.0
                } else {
                    0.0
                }
            }),
            PhiParam::Gamma(g) => DMatrix::from_fn(m, m, |x, y| {
                u.psi
                    * (if x == g { u.gamma[y] } else { 0.0 }
                        + if y == g { u.gamma[x] } else { 0.0 })
            }),
            PhiParam::Psi => DMatrix::from_fn(m, m, |x, y| u.gamma[x] * u.gamma[y]),
            PhiParam::Zeta(g) => {
                DMatrix::from_fn(m, m, |x, y| if x == g && y == g { 1.0 } else { 0.0 })
            }
        }
    }
    /// ∂Σ/∂θ_k for every parameter.
    fn derivatives(&self, u: &Unpacked) -> Vec<DMatrix<f64>> {
        let (p, f) = (self.p, &self.factor_of);
        let mut out = Vec::with_capacity(self.npar());
        for &i in &self.free_loading {
            out.push(self.d_loading(u, i, f[i]));
        }
        for i in 0..p {
            let mut d = DMatrix::zeros(p, p);
            d[(i, i)] = 1.0;
            out.push(d);
        }
        for &par in &self.phi_params {
            let dphi = self.d_phi(u, par);
            out.push(DMatrix::from_fn(p, p, |i, j| {
                u.lambda[i] * u.lambda[j] * dphi[(f[i], f[j])]
            }));
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
    if let Some(f) = model.factors.iter().position(|items| items.len() < 2) {
        return Err(Error::Usage(format!(
            "factor {} has fewer than 2 items: a CFA factor needs at least 2 indicators",
            f + 1
        )));
    }
    if model.second_order && lay.m < 3 {
        return Err(Error::Usage(format!(
            "a second-order factor needs at least 3 first-order factors (the instrument has {})",
            lay.m
        )));
    }
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
    let nf = n as f64;
    let s = cov * ((nf - 1.0) / nf);
    let logdet_s = spd_logdet(&s).ok_or_else(|| Error::NotPositiveDefinite {
        what: "the item covariance matrix".into(),
        fix: "look for items that duplicate others or are sums of others, or for fewer respondents than items".into(),
    })?;

    let mut theta = start_values(&s, model, &lay);
    let mut iterations = 0;
    let mut converged = false;
    let (mut f_cur, mut w, _) = discrepancy(&s, logdet_s, &lay.implied(&lay.unpack(&theta)))
        .ok_or_else(|| Error::NotPositiveDefinite {
            what: "the CFA start values' implied covariance".into(),
            fix: "check the items for reverse-keying errors".into(),
        })?;
    let mut info = DMatrix::zeros(q, q);
    for it in 0..500 {
        iterations = it + 1;
        let u = lay.unpack(&theta);
        let sigma = lay.implied(&u);
        let dsig = lay.derivatives(&u);
        let d = &w * (&sigma - &s) * &w;
        let g = DVector::from_iterator(q, dsig.iter().map(|dk| frob_dot(&d, dk)));
        info = information(&w, &dsig);
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
            if let Some((fv, wv, _)) = discrepancy(&s, logdet_s, &lay.implied(&lay.unpack(&cand))) {
                if fv <= f_cur + 1e-14 * f_cur.abs().max(1.0) {
                    let small = (f_cur - fv).abs() < 1e-15 && (step.amax() * t) < 1e-12;
                    theta = cand;
                    f_cur = fv;
                    w = wv;
                    accepted = true;
                    converged = small;
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

    let u = lay.unpack(&theta);
    let sigma = lay.implied(&u);
    let fit = fit_indices(&s, &sigma, f_cur, n, q, logdet_s);
    let m = lay.m;
    let f_of = &lay.factor_of;
    let phi = &u.phi;
    let loadings_std: Vec<f64> = (0..p)
        .map(|i| u.lambda[i] * phi[(f_of[i], f_of[i])].sqrt() / sigma[(i, i)].sqrt())
        .collect();
    let theta_std: Vec<f64> = (0..p).map(|i| u.resid[i] / sigma[(i, i)]).collect();
    let factor_correlations = DMatrix::from_fn(m, m, |a, b| {
        phi[(a, b)] / (phi[(a, a)] * phi[(b, b)]).sqrt()
    });
    let second_order_std = model.second_order.then(|| {
        (0..m)
            .map(|f| u.gamma[f] * u.psi.sqrt() / phi[(f, f)].sqrt())
            .collect()
    });
    let modification_indices = modification_indices(&lay, &u, &s, &sigma, &w, &info, n);

    let mut warnings = Vec::new();
    if !converged {
        warnings.push(format!(
            "the CFA did not converge in {iterations} iterations: its estimates and fit indices are unreliable; check reverse-keyed items and items with very low correlations"
        ));
    }
    for (i, (resid, l)) in u.resid.iter().zip(&loadings_std).enumerate() {
        if *resid < 0.0 || l.abs() > 1.0 {
            warnings.push(format!(
                "Heywood case: item {} has a negative residual variance ({resid:.3}; standardized loading {l:.3}); the model is misspecified for this item or the sample is too small — consider removing the item or constraining its residual variance",
                i + 1
            ));
        }
    }
    if phi.clone().cholesky().is_none() {
        warnings.push("the factor covariance matrix is not positive definite (a factor correlation ≥ 1 in absolute value): two dimensions may not be distinct — consider merging them".into());
    }
    Ok(CfaFit {
        loadings: u.lambda.clone(),
        factor_of: lay.factor_of.clone(),
        theta: u.resid.clone(),
        phi: u.phi.clone(),
        loadings_std,
        theta_std,
        factor_correlations,
        second_order_std,
        modification_indices,
        fit,
        iterations,
        converged,
        warnings,
    })
}

/// Expected information tr(W ∂Σ_k W ∂Σ_l) of the discrepancy F (unit: one respondent, F not halved).
fn information(w: &DMatrix<f64>, dsig: &[DMatrix<f64>]) -> DMatrix<f64> {
    let a: Vec<DMatrix<f64>> = dsig.iter().map(|dk| w * dk * w).collect();
    DMatrix::from_fn(dsig.len(), dsig.len(), |k, l| frob_dot(&a[k], &dsig[l]))
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

/// Modification indices of cross-loadings and residual covariances, largest first:
/// MI = N g² / (2 (I_jj − I_jf I_ff⁻¹ I_fj)), EPC = −g / (I_jj − I_jf I_ff⁻¹ I_fj), g = ∂F/∂θ_j.
fn modification_indices(
    lay: &Layout,
    u: &Unpacked,
    s: &DMatrix<f64>,
    sigma: &DMatrix<f64>,
    w: &DMatrix<f64>,
    info: &DMatrix<f64>,
    n: usize,
) -> Vec<ModificationIndex> {
    let Some(info_inv) = info.clone().try_inverse() else {
        return Vec::new();
    };
    let p = lay.p;
    let free = lay.derivatives(u);
    let free_a: Vec<DMatrix<f64>> = free.iter().map(|dk| w * dk * w).collect();
    let d = w * (sigma - s) * w;
    let mut candidates: Vec<(&'static str, usize, usize, DMatrix<f64>)> = Vec::new();
    for i in 0..p {
        for g in 0..lay.m {
            if g != lay.factor_of[i] {
                candidates.push(("=~", g, i, lay.d_loading(u, i, g)));
            }
        }
    }
    for i in 0..p {
        for j in i + 1..p {
            let mut dj = DMatrix::zeros(p, p);
            dj[(i, j)] = 1.0;
            dj[(j, i)] = 1.0;
            candidates.push(("~~", i, j, dj));
        }
    }
    let mut out: Vec<ModificationIndex> = candidates
        .into_iter()
        .filter_map(|(op, lhs, rhs, dj)| {
            let g = frob_dot(&d, &dj);
            let aj = w * &dj * w;
            let ijj = frob_dot(&aj, &dj);
            let ijf = DVector::from_iterator(free.len(), free_a.iter().map(|ak| frob_dot(ak, &dj)));
            let cond = ijj - (ijf.transpose() * &info_inv * &ijf)[(0, 0)];
            (cond > 1e-12).then(|| ModificationIndex {
                op,
                lhs,
                rhs,
                mi: n as f64 * g * g / (2.0 * cond),
                epc: -g / cond,
            })
        })
        .collect();
    out.sort_by(|a, b| b.mi.total_cmp(&a.mi));
    out
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
    let psi = 0.5 * phi_diag.iter().copied().fold(f64::INFINITY, f64::min);
    for (k, par) in lay.phi_params.iter().enumerate() {
        theta[off + k] = match *par {
            PhiParam::Cov(a, b) => {
                if a == b {
                    phi_diag[a]
                } else {
                    0.0
                }
            }
            PhiParam::Gamma(_) => 1.0,
            PhiParam::Psi => psi,
            PhiParam::Zeta(f) => phi_diag[f] - psi,
        };
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
