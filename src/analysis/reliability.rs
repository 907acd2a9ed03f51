//! Section: dimension scores (n, M, SD, t interval, box plot) and reliability per dimension — α with its Feldt
//! interval, standardized α, λ6, mean inter-item r, ω total, item statistics, and percentile bootstrap
//! intervals when asked — under the missing-data policy.

use super::data::Prepared;
use super::{Findings, Options};
use crate::criteria::{self, alpha_verdict};
use crate::findings::Finding;
use crate::instrument::Instrument;
use crate::progress::step;
use crate::report::{BootstrapBlock, DimensionResult, ItemReliabilityBlock, ReliabilityBlock};
use crate::scoring::Scored;
use crate::stats::quantiles::{BoxStats, Distinct};
use crate::stats::{bootstrap, groups, reliability};
use indexmap::IndexMap;

pub(super) fn section(
    instrument: &Instrument,
    scored: &Scored,
    data: &Prepared,
    options: &Options,
    findings: &mut Findings,
) -> IndexMap<String, DimensionResult> {
    let complete = data.complete_answers();
    let boot = match options.bootstrap {
        Some((reps, seed)) if complete.nrows() >= 3 => Some(step(
            options.progress.as_ref(),
            "bootstrap",
            reps as u64,
            |tick| bootstrap::reliability_ci(complete, &data.dim_items, reps, seed, tick),
        )),
        _ => None,
    };
    let mut dimensions = IndexMap::new();
    for (d, dim) in instrument.dimensions.iter().enumerate() {
        let scores: Vec<f64> = scored
            .scores
            .column(d)
            .iter()
            .copied()
            .filter(|v| !v.is_nan())
            .collect();
        let (mean, sd) = crate::stats::moments::mean_sd(&scores);
        let reliability = if dim.items.len() < 2 {
            findings.push(Finding::SingleItemDimension {
                dimension: dim.id.clone(),
            });
            None
        } else {
            match reliability::reliability(&data.policy().select(&dim.items)) {
                Ok(rel) => {
                    judge(instrument, d, &rel, findings);
                    let bootstrap =
                        boot.as_ref()
                            .and_then(|b| b[d].clone())
                            .map(|b| BootstrapBlock {
                                replicates: b.replicates,
                                seed: b.seed,
                                alpha_ci95: b.alpha,
                                omega_total_ci95: b.omega_total,
                            });
                    Some(block(&data.items, &dim.items, rel, bootstrap))
                }
                Err(e) => {
                    findings.push(Finding::ReliabilityFailed {
                        dimension: dim.id.clone(),
                        group: None,
                        error: e.to_string(),
                    });
                    None
                }
            }
        };
        dimensions.insert(
            dim.id.clone(),
            DimensionResult {
                label: dim.label.clone(),
                items: dim.items.iter().map(|&i| data.items[i].clone()).collect(),
                n: scores.len(),
                mean,
                sd,
                ci95: groups::summarize(scores.len(), mean, sd).ci95,
                box_plot: BoxStats::of(&Distinct::new(scores.iter().copied())),
                reliability,
            },
        );
    }
    dimensions
}

fn block(
    items: &[String],
    dim_items: &[usize],
    rel: reliability::Reliability,
    bootstrap: Option<BootstrapBlock>,
) -> ReliabilityBlock {
    ReliabilityBlock {
        alpha: rel.alpha,
        alpha_std: rel.alpha_std,
        ordinal_alpha: None,
        alpha_ci95_feldt: rel.alpha_ci95_feldt,
        lambda6: rel.lambda6,
        average_r: rel.average_r,
        omega_total: rel.omega_total,
        alpha_verdict: alpha_verdict(rel.alpha),
        items: dim_items
            .iter()
            .zip(&rel.items)
            .map(|(&i, s)| {
                (
                    items[i].clone(),
                    ItemReliabilityBlock {
                        mean: s.mean,
                        sd: s.sd,
                        r_drop: s.r_drop,
                        alpha_if_deleted: s.alpha_if_deleted,
                    },
                )
            })
            .collect(),
        bootstrap,
    }
}

/// Findings of one dimension's reliability: low α, items that do not fit, ω's fit.
fn judge(
    instrument: &Instrument,
    d: usize,
    rel: &reliability::Reliability,
    findings: &mut Findings,
) {
    let dim = &instrument.dimensions[d];
    if rel.alpha < criteria::ALPHA_MIN.value {
        findings.push(Finding::LowAlpha {
            dimension: dim.id.clone(),
            alpha: rel.alpha,
            group: None,
        });
    }
    for (&i, s) in dim.items.iter().zip(&rel.items) {
        let item = &instrument.items[i];
        if s.r_drop < 0.0 {
            findings.push(Finding::NegativeItemTotal {
                dimension: dim.id.clone(),
                item: item.id.clone(),
                r_drop: s.r_drop,
                marked_reverse: item.reverse,
            });
        } else if s.r_drop < criteria::R_DROP_MIN.value {
            findings.push(Finding::LowItemTotal {
                dimension: dim.id.clone(),
                item: item.id.clone(),
                r_drop: s.r_drop,
            });
        }
        if let Some(a) = s.alpha_if_deleted {
            if a > rel.alpha + criteria::ALPHA_IF_DELETED_RISE {
                findings.push(Finding::AlphaRisesWithout {
                    dimension: dim.id.clone(),
                    item: item.id.clone(),
                    alpha: rel.alpha,
                    alpha_without: a,
                });
            }
        }
    }
    if !rel.omega_converged {
        findings.push(Finding::OmegaNotConverged {
            dimension: dim.id.clone(),
        });
    }
}
