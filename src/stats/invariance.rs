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
use super::sem::{self, Cell, GroupPattern, SampleMoments};
use crate::error::Result;
use rayon::prelude::*;
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// One group's sufficient statistics.
pub type GroupData = SampleMoments;

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
    /// Multi-group fit as lavaan computes it (RMSEA × √G).
    pub fit: sem::FitIndices,
    pub converged: bool,
}

/// The multi-group model of one level: each group the CFA pattern with a mean structure; loadings (metric,
/// scalar) and intercepts (scalar) shared across groups; factor means free in every group but the first
/// (scalar), fixed at 0 otherwise.
fn model(cfa: &CfaModel, groups: usize, level: Level) -> sem::Model {
    let mut next = 0;
    let mut patterns: Vec<GroupPattern> = Vec::with_capacity(groups);
    for g in 0..groups {
        let mut pattern = cfa.pattern(true, &mut next);
        if g > 0 {
            let first = &patterns[0];
            let p = cfa.n_items;
            let m = cfa.factors.len();
            if level != Level::Configural {
                for i in 0..p {
                    for f in 0..m {
                        pattern.lambda.set(i, f, first.lambda.get(i, f));
                    }
                }
            }
            if level == Level::Scalar {
                let (nu, first_nu) = (pattern.nu.as_mut(), first.nu.as_ref());
                if let (Some(nu), Some(first_nu)) = (nu, first_nu) {
                    for i in 0..p {
                        nu.set(i, 0, first_nu.get(i, 0));
                    }
                }
                if let Some(alpha) = pattern.alpha.as_mut() {
                    for f in 0..m {
                        alpha.set(f, 0, Cell::Free(next));
                        next += 1;
                    }
                }
            }
        }
        patterns.push(pattern);
    }
    // Shared cells left some indices unused: the engine numbers the parameters again.
    sem::Model::numbered(patterns)
}

/// Fit one invariance level to the groups' statistics.
pub fn fit_level(cfa: &CfaModel, data: &[GroupData], level: Level) -> Result<LevelFit> {
    let model = model(cfa, data.len(), level);
    let est = sem::estimate(&model, data, sem::default_start(&model, data))?;
    let fit = sem::fit_indices(&model, data, &est)?;
    Ok(LevelFit {
        level,
        fit,
        converged: est.converged,
    })
}

/// The change from one level to the next, more constrained one.
#[derive(Debug, Clone, Copy)]
pub struct Step {
    /// χ² difference test: Δχ² = χ²_b − χ²_a on Δdf = df_b − df_a, p from the χ² distribution.
    pub delta_chisq: f64,
    pub delta_df: usize,
    pub p: f64,
    pub delta_cfi: f64,
    pub delta_rmsea: f64,
}

/// From level `a` to the more constrained level `b`.
pub fn step(a: &LevelFit, b: &LevelFit) -> Step {
    let (a, b) = (&a.fit, &b.fit);
    let delta_df = b.df.saturating_sub(a.df);
    let delta_chisq = b.chisq - a.chisq;
    Step {
        delta_chisq,
        delta_df,
        p: ChiSquared::new(delta_df as f64)
            .map(|c| c.sf(delta_chisq))
            .unwrap_or(f64::NAN),
        delta_cfi: b.cfi - a.cfi,
        delta_rmsea: b.rmsea - a.rmsea,
    }
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
        let s = step(a, b);
        crate::criteria::invariance_step_holds(s.delta_cfi, s.delta_rmsea)
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
