//! Measurement invariance across groups: configural, metric and scalar multi-group CFA by maximum likelihood,
//! as lavaan::cfa(group = , group.equal = c("loadings"), c("loadings", "intercepts")) fits them (marker
//! identification, normal likelihood with each group's S divided by n_g, mean structure).
//!
//! * configural — the same pattern in every group, all parameters free per group;
//! * metric — loadings equal across groups;
//! * scalar — loadings and intercepts equal; factor means free in every group but the first (fixed at 0).
//!
//! With free intercepts (configural, metric) the mean structure is saturated and drops out of the fit. The
//! verdict follows Chen (2007): a step holds when CFI drops by less than .010 and RMSEA rises by less than .015.

use super::cfa::CfaModel;
use super::linalg::{frob_dot, spd_inverse, spd_logdet};
use crate::error::{Error, Result};
use nalgebra::{DMatrix, DVector};
use rayon::prelude::*;
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// Chen (2007): largest acceptable drop in CFI and rise in RMSEA from one invariance step to the next.
pub const CHEN_DELTA_CFI: f64 = -0.010;
pub const CHEN_DELTA_RMSEA: f64 = 0.015;

/// One group's sufficient statistics.
#[derive(Debug, Clone)]
pub struct GroupData {
    pub n: usize,
    pub means: DVector<f64>,
    /// Covariance matrix with divisor n − 1.
    pub cov: DMatrix<f64>,
}

/// The level of invariance imposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Configural,
    Metric,
    Scalar,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Configural => "configural",
            Level::Metric => "metric",
            Level::Scalar => "scalar",
        }
    }
}

/// Fit of one invariance model.
#[derive(Debug, Clone)]
pub struct LevelFit {
    pub level: Level,
    pub chisq: f64,
    pub df: usize,
    pub pvalue: f64,
    pub cfi: f64,
    pub tli: f64,
    /// lavaan's multi-group RMSEA: sqrt(max(0, (χ² − df)/(N·df))) · sqrt(G).
    pub rmsea: f64,
    pub npar: usize,
    pub converged: bool,
}

#[derive(Debug, Clone, Copy)]
enum Param {
    /// Loading of item i; group None = shared by all groups.
    Load(Option<usize>, usize),
    Theta(usize, usize),
    Phi(usize, usize, usize),
    /// Shared intercept of item i (scalar model).
    Nu(usize),
    /// Mean of factor f in group g ≥ 1 (scalar model).
    Kappa(usize, usize),
}

struct Model<'a> {
    cfa: &'a CfaModel,
    factor_of: Vec<usize>,
    params: Vec<Param>,
    level: Level,
}

struct GroupValues {
    lambda: Vec<f64>,
    resid: Vec<f64>,
    phi: DMatrix<f64>,
    mu: Option<DVector<f64>>,
}

impl<'a> Model<'a> {
    fn new(cfa: &'a CfaModel, groups: usize, level: Level) -> Model<'a> {
        let p = cfa.n_items;
        let m = cfa.factors.len();
        let mut factor_of = vec![0; p];
        let mut free_loading = Vec::new();
        for (f, items) in cfa.factors.iter().enumerate() {
            for (k, &i) in items.iter().enumerate() {
                factor_of[i] = f;
                if k > 0 {
                    free_loading.push(i);
                }
            }
        }
        let mut params = Vec::new();
        if level == Level::Configural {
            for g in 0..groups {
                params.extend(free_loading.iter().map(|&i| Param::Load(Some(g), i)));
            }
        } else {
            params.extend(free_loading.iter().map(|&i| Param::Load(None, i)));
        }
        for g in 0..groups {
            params.extend((0..p).map(|i| Param::Theta(g, i)));
            for a in 0..m {
                for b in 0..=a {
                    params.push(Param::Phi(g, a, b));
                }
            }
        }
        if level == Level::Scalar {
            params.extend((0..p).map(Param::Nu));
            for g in 1..groups {
                params.extend((0..m).map(|f| Param::Kappa(g, f)));
            }
        }
        Model {
            cfa,
            factor_of,
            params,
            level,
        }
    }

    fn values(&self, theta: &DVector<f64>, g: usize) -> GroupValues {
        let p = self.cfa.n_items;
        let m = self.cfa.factors.len();
        let mut lambda = vec![1.0; p];
        let mut resid = vec![0.0; p];
        let mut phi = DMatrix::zeros(m, m);
        let mut nu = vec![0.0; p];
        let mut kappa = vec![0.0; m];
        for (k, par) in self.params.iter().enumerate() {
            let v = theta[k];
            match *par {
                Param::Load(None, i) => lambda[i] = v,
                Param::Load(Some(h), i) if h == g => lambda[i] = v,
                Param::Theta(h, i) if h == g => resid[i] = v,
                Param::Phi(h, a, b) if h == g => {
                    phi[(a, b)] = v;
                    phi[(b, a)] = v;
                }
                Param::Nu(i) => nu[i] = v,
                Param::Kappa(h, f) if h == g => kappa[f] = v,
                _ => {}
            }
        }
        let mu = (self.level == Level::Scalar).then(|| {
            DVector::from_iterator(
                p,
                (0..p).map(|i| nu[i] + lambda[i] * kappa[self.factor_of[i]]),
            )
        });
        GroupValues {
            lambda,
            resid,
            phi,
            mu,
        }
    }

    fn sigma(&self, v: &GroupValues) -> DMatrix<f64> {
        let p = self.cfa.n_items;
        let f = &self.factor_of;
        DMatrix::from_fn(p, p, |i, j| {
            v.lambda[i] * v.lambda[j] * v.phi[(f[i], f[j])] + if i == j { v.resid[i] } else { 0.0 }
        })
    }

    /// (∂Σ_g, ∂μ_g) of parameter k in group g; None when the parameter does not touch group g.
    fn derivative(
        &self,
        par: Param,
        g: usize,
        v: &GroupValues,
        kappa_f: &[f64],
    ) -> Option<(DMatrix<f64>, DVector<f64>)> {
        let p = self.cfa.n_items;
        let f = &self.factor_of;
        let zero_mu = DVector::zeros(p);
        match par {
            Param::Load(h, i) if h.is_none() || h == Some(g) => {
                let mut d = DMatrix::zeros(p, p);
                for j in 0..p {
                    let b = v.lambda[j] * v.phi[(f[i], f[j])];
                    d[(i, j)] += b;
                    d[(j, i)] += b;
                }
                let mut dmu = zero_mu;
                dmu[i] = kappa_f[f[i]];
                Some((d, dmu))
            }
            Param::Theta(h, i) if h == g => {
                let mut d = DMatrix::zeros(p, p);
                d[(i, i)] = 1.0;
                Some((d, zero_mu))
            }
            Param::Phi(h, a, b) if h == g => {
                let d = DMatrix::from_fn(p, p, |i, j| {
                    let hit = (f[i] == a && f[j] == b) || (a != b && f[i] == b && f[j] == a);
                    if hit {
                        v.lambda[i] * v.lambda[j]
                    } else {
                        0.0
                    }
                });
                Some((d, zero_mu))
            }
            Param::Nu(i) => {
                let mut dmu = zero_mu;
                dmu[i] = 1.0;
                Some((DMatrix::zeros(p, p), dmu))
            }
            Param::Kappa(h, fac) if h == g => {
                let dmu = DVector::from_iterator(
                    p,
                    (0..p).map(|i| if f[i] == fac { v.lambda[i] } else { 0.0 }),
                );
                Some((DMatrix::zeros(p, p), dmu))
            }
            _ => None,
        }
    }

    fn kappa(&self, theta: &DVector<f64>, g: usize) -> Vec<f64> {
        let mut kappa = vec![0.0; self.cfa.factors.len()];
        for (k, par) in self.params.iter().enumerate() {
            if let Param::Kappa(h, f) = *par {
                if h == g {
                    kappa[f] = theta[k];
                }
            }
        }
        kappa
    }
}

/// Σ_g (n_g/N)·F_g and the per-group F_g; None when an implied matrix is not positive definite.
fn objective(
    model: &Model,
    theta: &DVector<f64>,
    data: &[GroupData],
    s: &[DMatrix<f64>],
    logdet_s: &[f64],
) -> Option<(f64, Vec<f64>)> {
    let n_total: f64 = data.iter().map(|d| d.n as f64).sum();
    let mut total = 0.0;
    let mut per = Vec::with_capacity(data.len());
    for (g, d) in data.iter().enumerate() {
        let v = model.values(theta, g);
        let sigma = model.sigma(&v);
        let w = spd_inverse(&sigma)?;
        let ld = spd_logdet(&sigma)?;
        let mut fg = ld + (&s[g] * &w).trace() - logdet_s[g] - s[g].nrows() as f64;
        if let Some(mu) = &v.mu {
            let dm = &d.means - mu;
            fg += (dm.transpose() * &w * &dm)[(0, 0)];
        }
        per.push(fg);
        total += d.n as f64 / n_total * fg;
    }
    Some((total, per))
}

/// Fit one invariance level to the groups' statistics.
pub fn fit_level(cfa: &CfaModel, data: &[GroupData], level: Level) -> Result<LevelFit> {
    let groups = data.len();
    let p = cfa.n_items;
    let model = Model::new(cfa, groups, level);
    let q = model.params.len();
    let s: Vec<DMatrix<f64>> = data
        .iter()
        .map(|d| &d.cov * ((d.n as f64 - 1.0) / d.n as f64))
        .collect();
    let logdet_s: Vec<f64> = s
        .iter()
        .map(spd_logdet)
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| Error::NotPositiveDefinite {
            what: "a group's item covariance matrix".into(),
            fix: "a group may have fewer respondents than items, or an item without variance in that group; merge small groups".into(),
        })?;
    let n_total: f64 = data.iter().map(|d| d.n as f64).sum();

    let mut theta = start_values(&model, data, &s);
    let (mut f_cur, _) = objective(&model, &theta, data, &s, &logdet_s).ok_or_else(|| {
        Error::NotPositiveDefinite {
            what: "the invariance model's start values".into(),
            fix: "check the items for reverse-keying errors".into(),
        }
    })?;
    let mut converged = false;
    for _ in 0..500 {
        let mut grad = DVector::zeros(q);
        let mut info = DMatrix::zeros(q, q);
        for (g, d) in data.iter().enumerate() {
            let wg = d.n as f64 / n_total;
            let v = model.values(&theta, g);
            let kappa = model.kappa(&theta, g);
            let sigma = model.sigma(&v);
            let Some(w) = spd_inverse(&sigma) else { break };
            let dm = match &v.mu {
                Some(mu) => &d.means - mu,
                None => DVector::zeros(p),
            };
            let wd = &w * &dm;
            let dmat = &w * (&sigma - &s[g]) * &w - &wd * wd.transpose();
            let derivs: Vec<(usize, DMatrix<f64>, DVector<f64>)> = model
                .params
                .iter()
                .enumerate()
                .filter_map(|(k, &par)| {
                    model
                        .derivative(par, g, &v, &kappa)
                        .map(|(ds, dmu)| (k, ds, dmu))
                })
                .collect();
            let a: Vec<DMatrix<f64>> = derivs.iter().map(|(_, ds, _)| &w * ds * &w).collect();
            let wmu: Vec<DVector<f64>> = derivs.iter().map(|(_, _, dmu)| &w * dmu).collect();
            for (x, (k, ds, dmu)) in derivs.iter().enumerate() {
                grad[*k] += wg * (frob_dot(&dmat, ds) - 2.0 * wd.dot(dmu));
                // The information matrix is symmetric: fill both halves from one.
                for (y, (l, ds2, _)) in derivs.iter().enumerate().skip(x) {
                    let v = wg * (frob_dot(&a[x], ds2) + 2.0 * dmu.dot(&wmu[y]));
                    info[(*k, *l)] += v;
                    if k != l {
                        info[(*l, *k)] += v;
                    }
                }
            }
        }
        if grad.amax() < 1e-9 {
            converged = true;
            break;
        }
        let step = match info.clone().cholesky() {
            Some(ch) => -ch.solve(&grad),
            None => -&grad,
        };
        let mut t = 1.0;
        let mut accepted = false;
        for _ in 0..40 {
            let cand = &theta + &step * t;
            if let Some((fv, _)) = objective(&model, &cand, data, &s, &logdet_s) {
                if fv <= f_cur + 1e-14 * f_cur.abs().max(1.0) {
                    let tiny = (f_cur - fv).abs() < 1e-15 && step.amax() * t < 1e-12;
                    theta = cand;
                    f_cur = fv;
                    accepted = true;
                    converged = tiny;
                    break;
                }
            }
            t *= 0.5;
        }
        if !accepted || converged {
            converged = converged || grad.amax() < 1e-6;
            break;
        }
    }
    let chisq = n_total * f_cur;
    let moments_per_group = p * (p + 1) / 2 + p;
    // Free intercepts (configural, metric) are counted as parameters, as lavaan's mean structure does.
    let saturated_means = if level == Level::Scalar {
        0
    } else {
        groups * p
    };
    let npar = q + saturated_means;
    let df = groups * moments_per_group - npar;
    let dff = df as f64;
    let pvalue = ChiSquared::new(dff)
        .map(|c| c.sf(chisq))
        .unwrap_or(f64::NAN);
    let baseline: f64 = data
        .iter()
        .zip(&s)
        .zip(&logdet_s)
        .map(|((d, sg), ld)| d.n as f64 * ((0..p).map(|i| sg[(i, i)].ln()).sum::<f64>() - ld))
        .sum();
    let bdf = (groups * p * (p - 1) / 2) as f64;
    let cfi_den = (chisq - dff).max(baseline - bdf).max(0.0);
    let cfi = if cfi_den > 0.0 {
        1.0 - (chisq - dff).max(0.0) / cfi_den
    } else {
        1.0
    };
    let tli = (baseline / bdf - chisq / dff) / (baseline / bdf - 1.0);
    let rmsea = ((chisq - dff) / (n_total * dff)).max(0.0).sqrt() * (groups as f64).sqrt();
    Ok(LevelFit {
        level,
        chisq,
        df,
        pvalue,
        cfi,
        tli,
        rmsea,
        npar,
        converged,
    })
}

fn start_values(model: &Model, data: &[GroupData], s: &[DMatrix<f64>]) -> DVector<f64> {
    let cfa = model.cfa;
    let m = cfa.factors.len();
    // Per group: factor variance from the marker's covariances, loadings as regression on the marker.
    let mut lambda = vec![vec![1.0; cfa.n_items]; data.len()];
    let mut phi_diag = vec![vec![1.0; m]; data.len()];
    for (g, sg) in s.iter().enumerate() {
        for (f, items) in cfa.factors.iter().enumerate() {
            let marker = items[0];
            let mean_cov =
                items[1..].iter().map(|&j| sg[(marker, j)]).sum::<f64>() / (items.len() - 1) as f64;
            phi_diag[g][f] = if mean_cov > 0.05 * sg[(marker, marker)] {
                mean_cov
            } else {
                0.5 * sg[(marker, marker)]
            };
            for &j in &items[1..] {
                lambda[g][j] = sg[(marker, j)] / phi_diag[g][f];
            }
        }
    }
    let pooled = |i: usize| lambda.iter().map(|l| l[i]).sum::<f64>() / lambda.len() as f64;
    DVector::from_iterator(
        model.params.len(),
        model.params.iter().map(|par| match *par {
            Param::Load(None, i) => pooled(i),
            Param::Load(Some(g), i) => lambda[g][i],
            Param::Theta(g, i) => {
                let f = model.factor_of[i];
                (s[g][(i, i)] - lambda[g][i].powi(2) * phi_diag[g][f]).max(0.1 * s[g][(i, i)])
            }
            Param::Phi(g, a, b) => {
                if a == b {
                    phi_diag[g][a]
                } else {
                    0.0
                }
            }
            Param::Nu(i) => data[0].means[i],
            Param::Kappa(g, f) => {
                let marker = cfa.factors[f][0];
                data[g].means[marker] - data[0].means[marker]
            }
        }),
    )
}

/// All three levels and the verdict.
#[derive(Debug, Clone)]
pub struct Invariance {
    pub levels: Vec<LevelFit>,
    /// Highest level supported by Chen's criteria.
    pub supported: Level,
}

/// Fit configural, metric and scalar models and judge each step by Chen (2007).
pub fn test(cfa: &CfaModel, data: &[GroupData]) -> Result<Invariance> {
    // The three fits are independent: run them side by side.
    let levels = [Level::Configural, Level::Metric, Level::Scalar]
        .into_par_iter()
        .map(|l| fit_level(cfa, data, l))
        .collect::<Result<Vec<_>>>()?;
    let holds = |a: &LevelFit, b: &LevelFit| {
        b.cfi - a.cfi > CHEN_DELTA_CFI && b.rmsea - a.rmsea < CHEN_DELTA_RMSEA
    };
    let supported = if !holds(&levels[0], &levels[1]) {
        Level::Configural
    } else if !holds(&levels[1], &levels[2]) {
        Level::Metric
    } else {
        Level::Scalar
    };
    Ok(Invariance { levels, supported })
}
