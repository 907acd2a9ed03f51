//! Section: the CFA (one factor per dimension, or with a second-order factor) by ML as lavaan::cfa, with
//! composite reliability, AVE, HTMT, Fornell–Larcker and the largest modification indices.

use super::data::Prepared;
use super::factor::Structure;
use super::{CfaStructure, Findings, Options, MODIFICATION_INDICES_SHOWN};
use crate::criteria::{self, fit_verdict, FitVerdict};
use crate::findings::Finding;
use crate::instrument::Instrument;
use crate::report::{CfaBlock, ModificationIndexBlock};
use crate::scoring::{MissingPolicy, Scored};
use crate::stats::cfa;
use indexmap::IndexMap;
use nalgebra::DMatrix;

pub(super) fn section(
    instrument: &Instrument,
    scored: &Scored,
    data: &Prepared,
    structure: Option<&Structure>,
    options: &Options,
    findings: &mut Findings,
) -> Option<CfaBlock> {
    let fiml = scored.policy == MissingPolicy::Fiml;
    if !fiml && !structure.is_some_and(|s| s.enough) {
        return None;
    }
    let single: Vec<String> = instrument
        .dimensions
        .iter()
        .filter(|d| d.items.len() < 2)
        .map(|d| d.id.clone())
        .collect();
    if !single.is_empty() {
        findings.push(Finding::CfaSkipped {
            single_item_dimensions: single,
        });
        return None;
    }
    let model = cfa::CfaModel {
        n_items: data.items.len(),
        factors: data.dim_items.clone(),
        second_order: options.cfa_model == CfaStructure::SecondOrder,
    };
    let fitted = if fiml {
        let missing = super::data::missing_data(scored);
        super::data::missing_findings(&missing, findings);
        cfa::fit_fiml(&missing, &model).map(|(fit, h1)| {
            // HTMT from the saturated correlations (EM), as semTools::htmt(missing = "ml").
            let sd = h1.sigma.diagonal().map(f64::sqrt);
            let r = DMatrix::from_fn(h1.sigma.nrows(), h1.sigma.ncols(), |i, j| {
                h1.sigma[(i, j)] / (sd[i] * sd[j])
            });
            (
                fit,
                r,
                missing.n,
                Some(super::data::missing_summary(&missing)),
            )
        })
    } else {
        let s =
            structure.expect("checked above: a CFA on the complete rows has their correlations");
        cfa::fit(&data.complete().cov, s.n, &model).map(|fit| (fit, s.r.clone(), s.n, None))
    };
    match fitted {
        Ok((fit, r, n, missing)) => {
            let mut b = block(instrument, &data.items, &fit, &r, n, findings);
            if let Some(m) = missing {
                b.missing = "fiml".into();
                b.information = "observed".into();
                b.missing_data = Some(m);
            }
            Some(b)
        }
        Err(e) => {
            findings.push(Finding::CfaFailed {
                error: e.to_string(),
            });
            None
        }
    }
}

fn block(
    instrument: &Instrument,
    items: &[String],
    fit: &cfa::CfaFit,
    r: &DMatrix<f64>,
    n: usize,
    findings: &mut Findings,
) -> CfaBlock {
    if !fit.converged {
        findings.push(Finding::CfaNotConverged {
            iterations: fit.iterations,
        });
    }
    for &i in &fit.heywood_items {
        findings.push(Finding::CfaHeywood {
            item: items[i].clone(),
            residual_variance: fit.theta[i],
            loading_std: fit.loadings_std[i],
        });
    }
    if fit.factor_cov_not_pd {
        findings.push(Finding::FactorCovarianceNotPositiveDefinite);
    }
    let f = &fit.fit;
    let verdict = fit_verdict(f.cfi, f.rmsea, f.srmr);
    if verdict == FitVerdict::Poor {
        findings.push(Finding::PoorFit {
            factors: instrument.dimensions.len(),
            cfi: f.cfi,
            rmsea: f.rmsea,
            srmr: f.srmr,
        });
    }
    let dims = &instrument.dimensions;
    let mut cr = IndexMap::new();
    let mut ave = IndexMap::new();
    for dim in dims {
        let l: Vec<f64> = dim.items.iter().map(|&i| fit.loadings_std[i]).collect();
        let (c, a) = (cfa::composite_reliability(&l), cfa::ave(&l));
        if c < criteria::CR_MIN.value {
            findings.push(Finding::LowCompositeReliability {
                dimension: dim.id.clone(),
                cr: c,
            });
        }
        if a < criteria::AVE_MIN.value {
            findings.push(Finding::LowAve {
                dimension: dim.id.clone(),
                ave: a,
            });
        }
        cr.insert(dim.id.clone(), c);
        ave.insert(dim.id.clone(), a);
    }
    let mut phi = IndexMap::new();
    let mut htmt = IndexMap::new();
    let mut fl = IndexMap::new();
    for (a, da) in dims.iter().enumerate() {
        let mut row_phi = IndexMap::new();
        let mut row_htmt = IndexMap::new();
        let mut row_fl = IndexMap::new();
        row_fl.insert(da.id.clone(), ave[&da.id].sqrt());
        for (b, db) in dims.iter().enumerate() {
            if b < a {
                row_fl.insert(db.id.clone(), fit.factor_correlations[(a, b)]);
            }
            if b <= a {
                continue;
            }
            row_phi.insert(db.id.clone(), fit.factor_correlations[(a, b)]);
            if let Some(h) = cfa::htmt(r, &da.items, &db.items) {
                if h > criteria::HTMT_MAX.value {
                    findings.push(Finding::HighHtmt {
                        a: da.id.clone(),
                        b: db.id.clone(),
                        htmt: h,
                    });
                }
                row_htmt.insert(db.id.clone(), h);
            }
        }
        phi.insert(da.id.clone(), row_phi);
        htmt.insert(da.id.clone(), row_htmt);
        fl.insert(da.id.clone(), row_fl);
    }
    for (a, da) in dims.iter().enumerate() {
        for (b, db) in dims.iter().enumerate().skip(a + 1) {
            let corr = fit.factor_correlations[(a, b)].abs();
            if corr > ave[&da.id].sqrt().min(ave[&db.id].sqrt()) {
                findings.push(Finding::FornellLarcker {
                    a: da.id.clone(),
                    b: db.id.clone(),
                    correlation: corr,
                });
            }
        }
    }
    let by_item = |v: &[f64]| items.iter().cloned().zip(v.iter().copied()).collect();
    CfaBlock {
        estimator: "ML".into(),
        missing: "listwise".into(),
        information: "expected".into(),
        missing_data: None,
        n,
        fit: fit.fit.clone(),
        fit_verdict: verdict,
        loadings: by_item(&fit.loadings),
        loadings_std: by_item(&fit.loadings_std),
        residual_variances_std: by_item(&fit.theta_std),
        factor_correlations: phi,
        composite_reliability: cr,
        ave,
        htmt,
        fornell_larcker: fl,
        model: if fit.second_order_std.is_some() {
            "second-order".into()
        } else {
            "correlated factors".into()
        },
        second_order_loadings_std: fit.second_order_std.as_ref().map(|l| {
            dims.iter()
                .map(|d| d.id.clone())
                .zip(l.iter().copied())
                .collect()
        }),
        modification_indices: fit
            .modification_indices
            .iter()
            .take(MODIFICATION_INDICES_SHOWN)
            .map(|mi| ModificationIndexBlock {
                lhs: if mi.op == "=~" {
                    dims[mi.lhs].id.clone()
                } else {
                    items[mi.lhs].clone()
                },
                op: mi.op.into(),
                rhs: items[mi.rhs].clone(),
                mi: mi.mi,
                epc: mi.epc,
            })
            .collect(),
        converged: fit.converged,
        iterations: fit.iterations,
    }
}
