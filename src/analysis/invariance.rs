//! Section: configural, metric and scalar invariance of the measurement model across the groups (respondents
//! complete on every item), each step judged by Chen (2007).

use super::groups::Members;
use super::Findings;
use crate::findings::{Finding, GroupRef, InvarianceLevel};
use crate::instrument::Instrument;
use crate::report::{InvarianceBlock, InvarianceLevelBlock};
use crate::scoring::Scored;
use crate::stats::cfa::CfaModel;
use crate::stats::invariance::{self, GroupData, Level};
use crate::stats::moments::Moments;

/// `listwise`: the groups' moments when every used row is complete (listwise deletion).
pub(super) fn section(
    instrument: &Instrument,
    scored: &Scored,
    members: &Members,
    listwise: Option<&[Moments]>,
    by: &str,
    findings: &mut Findings,
) -> Option<InvarianceBlock> {
    let p = instrument.items.len();
    if instrument.dimensions.iter().any(|d| d.items.len() < 2) {
        return None;
    }
    let mut data = Vec::new();
    for (k, (g, rows)) in members.iter().enumerate() {
        let m = match listwise {
            Some(m) => m[k].clone(),
            None => {
                let complete: Vec<usize> = rows
                    .iter()
                    .copied()
                    .filter(|&r| (0..p).all(|j| !scored.items.is_missing(r, j)))
                    .collect();
                Moments::complete_rows(&scored.items, Some(&complete))
            }
        };
        if m.n <= p {
            findings.push(Finding::InvarianceNotTested {
                group: GroupRef {
                    by: by.into(),
                    group: g.clone(),
                },
                complete: m.n,
                items: p,
            });
            return None;
        }
        data.push(GroupData {
            n: m.n,
            means: m.means,
            cov: m.cov,
        });
    }
    let model = CfaModel {
        n_items: p,
        factors: instrument
            .dimensions
            .iter()
            .map(|d| d.items.clone())
            .collect(),
        second_order: false,
    };
    let result = match invariance::test(&model, &data) {
        Ok(r) => r,
        Err(e) => {
            findings.push(Finding::InvarianceFailed {
                error: e.to_string(),
            });
            return None;
        }
    };
    if result.levels.iter().any(|l| !l.converged) {
        findings.push(Finding::InvarianceNotConverged);
    }
    let supported = match result.supported {
        Level::Configural => InvarianceLevel::Configural,
        Level::Metric => InvarianceLevel::Metric,
        Level::Scalar => InvarianceLevel::Scalar,
    };
    if supported != InvarianceLevel::Scalar {
        findings.push(Finding::NonInvariance {
            by: by.into(),
            supported,
        });
    }
    let levels = result
        .levels
        .iter()
        .enumerate()
        .map(|(k, l)| {
            let step = (k > 0).then(|| invariance::step(&result.levels[k - 1], l));
            let f = &l.fit;
            (
                l.level.name().to_string(),
                InvarianceLevelBlock {
                    chisq: f.chisq,
                    df: f.df,
                    pvalue: f.pvalue,
                    cfi: f.cfi,
                    tli: f.tli,
                    rmsea: f.rmsea,
                    npar: f.npar,
                    delta_chisq: step.map(|s| s.delta_chisq),
                    delta_df: step.map(|s| s.delta_df),
                    delta_p: step.map(|s| s.p),
                    delta_cfi: step.map(|s| s.delta_cfi),
                    delta_rmsea: step.map(|s| s.delta_rmsea),
                    converged: l.converged,
                },
            )
        })
        .collect();
    Some(InvarianceBlock {
        levels,
        supported,
        verdict: verdict(supported, by),
    })
}

/// The verdict as a sentence (the report carries it; renderers show it).
fn verdict(level: InvarianceLevel, by: &str) -> String {
    match level {
        InvarianceLevel::Scalar => format!("scalar invariance holds (Chen 2007: ΔCFI > −.010 and ΔRMSEA < .015 at each step): the {by} means of the dimensions can be compared"),
        InvarianceLevel::Metric => format!("metric invariance holds but scalar does not: compare relationships across {by}, not means"),
        InvarianceLevel::Configural => format!("only configural invariance holds across {by}: neither loadings nor means are comparable"),
    }
}
