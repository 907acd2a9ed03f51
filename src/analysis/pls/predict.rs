//! PLSpredict in the PLS section: seeded fold assignments, the cross-validation, Shmueli et al.'s verdict.

use super::{failure_message, PlsOptions, PredictOptions};
use crate::analysis::Findings;
use crate::error::Result;
use crate::findings::Finding;
use crate::report::pls::{PlsPredict, PredictRow};
use crate::stats::pls::predict::{self, Approach};
use indexmap::IndexMap;
use nalgebra::DMatrix;

/// PLSpredict on the complete rows `x` (None when not asked for, or with fewer than two rows per fold).
pub(super) fn block(
    o: &PlsOptions,
    x: &DMatrix<f64>,
    findings: &mut Findings,
) -> Result<Option<PlsPredict>> {
    let model = &o.model;
    let spec = &model.spec;
    let items = &model.observed;
    let n = x.nrows();
    Ok(match o.predict {
        Some(PredictOptions {
            folds,
            repetitions: reps,
            approach,
            seed,
        }) if n >= 2 * folds => {
            let assignments: Vec<Vec<usize>> = (0..reps)
                .map(|rep| predict::random_folds(n, folds, seed, rep))
                .collect();
            let rows = predict::cross_validate(x, spec, &o.settings, approach, &assignments)
                .map_err(|f| failure_message(model, &f, "PLSpredict failed in a training fold"))?;
            let indicators: IndexMap<String, PredictRow> = rows
                .iter()
                .map(|p| {
                    (
                        items[p.indicator].clone(),
                        PredictRow {
                            rmse: p.pls.rmse,
                            mae: p.pls.mae,
                            lm_rmse: p.lm.rmse,
                            lm_mae: p.lm.mae,
                            q2_predict: p.q2_predict,
                        },
                    )
                })
                .collect();
            let pls_better = rows.iter().filter(|p| p.pls.rmse < p.lm.rmse).count();
            if pls_better * 2 < rows.len() {
                findings.push(Finding::PlsWeakPrediction {
                    better: pls_better,
                    indicators: rows.len(),
                });
            }
            Some(PlsPredict {
                folds,
                repetitions: reps,
                seed,
                approach: match approach {
                    Approach::Earliest => "earliest",
                    Approach::Direct => "direct",
                }
                .into(),
                benchmark: "lm".into(),
                indicators,
                pls_better,
            })
        }
        _ => None,
    })
}
