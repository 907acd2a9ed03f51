//! `sem --compare OTHER`: a second model fitted to the same respondents and variables, and the comparison a
//! paper reports — the χ² difference test (lavaan's lavTestLRT; meaningful when one model is nested in the
//! other, which perval does not check), ΔCFI, ΔRMSEA, AIC and BIC.

use super::{estimate_of, fit_model, parameter_rows, Findings};
use crate::error::Result;
use crate::findings::Finding;
use crate::instrument::Instrument;
use crate::model::build::Built;
use crate::model::syntax::Op;
use crate::report::structural::{DiffTest, ModelComparison};
use crate::scoring::Scored;
use crate::stats::sem::{self, FitIndices};
use statrs::distribution::{ChiSquared, ContinuousCDF};

pub(super) fn section(
    built: &Built,
    fit: &FitIndices,
    other: &Built,
    instrument: &Instrument,
    scored: &Scored,
    findings: &mut Findings,
) -> Result<ModelComparison> {
    let (_, fitted) = fit_model(other, instrument, scored, findings)?;
    let est = &fitted.est;
    if !est.converged {
        findings.push(Finding::SemNotConverged {
            iterations: est.iterations,
        });
    }
    let std = sem::standardize(&est.values[0]);
    let rows = parameter_rows(
        other,
        &est.theta,
        fitted.vcov.as_ref(),
        &std,
        &est.values[0],
    );
    let regressions = other
        .params
        .iter()
        .zip(&rows)
        .filter(|(p, _)| p.op == Op::Regression)
        .map(|(p, row)| (format!("{} -> {}", p.rhs, p.lhs), estimate_of(row)))
        .collect();
    let alt = &fitted.fit;
    // The model with more df is the more restricted one; its χ² minus the other's is the difference.
    let test = if !est.converged || alt.df == fit.df {
        None
    } else {
        let (restricted, free) = if alt.df > fit.df {
            (alt, fit)
        } else {
            (fit, alt)
        };
        let chisq_diff = restricted.chisq - free.chisq;
        let df_diff = restricted.df - free.df;
        Some(DiffTest {
            chisq_diff,
            df_diff,
            p: ChiSquared::new(df_diff as f64)
                .map(|c| c.sf(chisq_diff.max(0.0)))
                .unwrap_or(f64::NAN),
        })
    };
    let restricted = match alt.df.cmp(&fit.df) {
        std::cmp::Ordering::Greater => Some(other.origin.clone()),
        std::cmp::Ordering::Less => Some(built.origin.clone()),
        std::cmp::Ordering::Equal => None,
    };
    let lower = |a: f64, b: f64| {
        if a <= b {
            built.origin.clone()
        } else {
            other.origin.clone()
        }
    };
    Ok(ModelComparison {
        model: other.origin.clone(),
        converged: est.converged,
        fit: crate::report::structural::SemFit {
            logl: alt.loglik,
            unrestricted_logl: fitted.unrestricted_logl,
            indices: alt.clone(),
        },
        regressions,
        test: test.filter(|_| est.converged),
        restricted,
        delta_cfi: alt.cfi - fit.cfi,
        delta_rmsea: alt.rmsea - fit.rmsea,
        delta_aic: alt.aic - fit.aic,
        delta_bic: alt.bic - fit.bic,
        lower_aic: est.converged.then(|| lower(fit.aic, alt.aic)),
        lower_bic: est.converged.then(|| lower(fit.bic, alt.bic)),
    })
}
