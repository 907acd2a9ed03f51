//! The importance–performance maps of the PLS section: the target, the scale bounds, the map of all
//! respondents and, with `--by`, of the model estimated within each group.

use super::{data, solve, PlsOptions, Solution};
use crate::analysis::{Findings, Options};
use crate::data::Responses;
use crate::error::{Error, Result};
use crate::findings::Finding;
use crate::instrument::Instrument;
use crate::model::pls::PlsModel;
use crate::report::pls::{IpmaGroups, IpmaPoint};
use crate::scoring::Scored;
use crate::stats::pls::{self, ipma};
use indexmap::IndexMap;
use nalgebra::{DMatrix, DVector};
use std::collections::BTreeMap;

type Map = IndexMap<String, IpmaPoint>;

/// Correlations, means and SDs (divisor n − 1) of the rows used.
type Moments<'a> = (&'a DMatrix<f64>, &'a DVector<f64>, &'a DVector<f64>);

/// The map of all respondents, the maps by group (with `--by`), and the target construct.
#[allow(clippy::too_many_arguments)]
pub(super) fn blocks(
    o: &PlsOptions,
    instrument: &Instrument,
    responses: &Responses,
    scored: &Scored,
    options: &Options,
    x: &DMatrix<f64>,
    moments: Moments,
    sol: &Solution,
    findings: &mut Findings,
) -> Result<(Map, Option<IpmaGroups>, usize)> {
    let model = &o.model;
    let spec = &model.spec;
    let names = &model.constructs;
    let target = ipma_target(model, o.target.as_deref())?;
    let bounds = scale_bounds(instrument, model, x);
    let ipma_of = |(r, means, sds): Moments, sol: &Solution| -> IndexMap<String, IpmaPoint> {
        let cov = DMatrix::from_fn(r.nrows(), r.ncols(), |a, b| r[(a, b)] * sds[a] * sds[b]);
        ipma::map(spec, &sol.est, &sol.beta, means, &cov, &bounds, target)
            .points
            .iter()
            .map(|(j, p)| {
                (
                    names[*j].clone(),
                    IpmaPoint {
                        importance: p.importance,
                        performance: p.performance,
                    },
                )
            })
            .collect()
    };
    let ipma_overall = ipma_of(moments, sol);
    let ipma_groups = match (&options.by, &responses.group) {
        (Some(by), Some(group)) => {
            let mut members: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for (k, &row) in scored.rows.iter().enumerate() {
                if let Some(label) = group.codes[row].map(|c| &group.labels[c as usize]) {
                    members.entry(label.clone()).or_default().push(k);
                }
            }
            let mut maps = IndexMap::new();
            let mut counts = IndexMap::new();
            for (label, rows) in members {
                let (xg, _) = data(model, instrument, scored, Some(&rows))?;
                let (rg, meansg, sdg) = pls::correlations(&xg);
                let fitted = if xg.nrows() < 3
                    || sdg
                        .iter()
                        .any(|s| s.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater))
                {
                    None
                } else {
                    solve(spec, &rg, o).ok()
                };
                match fitted {
                    Some(s) => {
                        maps.insert(label.clone(), ipma_of((&rg, &meansg, &sdg), &s));
                        counts.insert(label, xg.nrows());
                    }
                    None => findings.push(Finding::PlsGroupSkipped {
                        by: by.clone(),
                        group: label,
                        n: xg.nrows(),
                    }),
                }
            }
            Some(IpmaGroups {
                by: by.clone(),
                target: names[target].clone(),
                n: counts,
                maps,
            })
        }
        _ => None,
    };
    Ok((ipma_overall, ipma_groups, target))
}

/// The IPMA target: the named construct, or the last construct with no outgoing path.
fn ipma_target(model: &PlsModel, name: Option<&str>) -> Result<usize> {
    let spec = &model.spec;
    match name {
        Some(t) => model.constructs.iter().position(|c| c == t).filter(|&j| spec.paths.iter().any(|p| p.1 == j)).ok_or_else(|| {
            Error::Usage(format!(
                "--target '{t}' is not an endogenous construct of the model\n  fix: choose one of {}",
                spec.endogenous().iter().map(|&j| model.constructs[j].as_str()).collect::<Vec<_>>().join(", ")
            ))
        }),
        None => Ok((0..spec.constructs())
            .rev()
            .find(|&j| spec.paths.iter().any(|p| p.1 == j) && !spec.paths.iter().any(|p| p.0 == j))
            .unwrap_or(spec.constructs() - 1)),
    }
}

/// Each indicator's scale bounds: the instrument's scale, or (columns without one) the observed range.
fn scale_bounds(instrument: &Instrument, model: &PlsModel, x: &DMatrix<f64>) -> Vec<(f64, f64)> {
    let s = &instrument.scale;
    (0..model.observed.len())
        .map(|j| {
            if s.min.is_finite() && s.max.is_finite() {
                (s.min, s.max)
            } else {
                let col = x.column(j);
                (col.min(), col.max())
            }
        })
        .collect()
}
