//! Section: a structural model compared across the groups of `--by`, as lavaan's multi-group `sem(group = )`:
//! configural (every parameter per group, intercepts free), metric (loadings equal, `group.equal =
//! "loadings"`), and metric with equal paths (`c("loadings", "regressions")`); χ² difference tests between
//! them and for each path alone (that path held equal, the others free); per-group paths and R² in the metric
//! model. Labels shared by parameters hold them equal in every group, as in lavaan.

use super::columns;
use super::Findings;
use crate::criteria;
use crate::data::Responses;
use crate::error::Result;
use crate::findings::{Finding, GroupRef};
use crate::instrument::Instrument;
use crate::model::build::Built;
use crate::model::syntax::Op;
use crate::report::structural::{DiffTest, Estimate, GroupModel, SemFit, SemGroups};
use crate::scoring::Scored;
use crate::stats::moments::Moments;
use crate::stats::sem::{self, Cell, GroupPattern, Pattern, SampleMoments};
use indexmap::IndexMap;
use nalgebra::{DMatrix, DVector};
use statrs::distribution::{ChiSquared, ContinuousCDF};
use std::collections::BTreeMap;

/// Which parameters are held equal across groups.
#[derive(Clone, Copy)]
enum Equal {
    Nothing,
    Loadings,
    /// Loadings and the regression with this parameter index (None: every regression).
    LoadingsAndPaths(Option<usize>),
}

pub(in crate::analysis) fn section(
    built: &Built,
    instrument: &Instrument,
    responses: &Responses,
    scored: &Scored,
    by: &str,
    findings: &mut Findings,
) -> Result<Option<SemGroups>> {
    let Some(group) = &responses.group else {
        return Ok(None);
    };
    let cols = columns(built, instrument)?;
    let mut members: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (k, &row) in scored.rows.iter().enumerate() {
        if cols.iter().any(|&j| scored.items.is_missing(k, j)) {
            continue;
        }
        if let Some(label) = group.codes[row].map(|c| &group.labels[c as usize]) {
            members.entry(label.clone()).or_default().push(k);
        }
    }
    let p = cols.len();
    let data: Vec<SampleMoments> = members
        .values()
        .map(|rows| {
            let m = Moments::complete_rows(&scored.items, Some(rows));
            SampleMoments {
                n: rows.len(),
                means: DVector::from_iterator(p, cols.iter().map(|&j| m.means[j])),
                cov: DMatrix::from_fn(p, p, |a, b| m.cov[(cols[a], cols[b])]),
            }
        })
        .collect();
    if members.len() < 2 {
        findings.push(Finding::TooFewGroups { by: by.into() });
        return Ok(None);
    }
    for (g, d) in members.keys().zip(&data) {
        if d.n <= p {
            findings.push(Finding::InvarianceNotTested {
                group: GroupRef {
                    by: by.into(),
                    group: g.clone(),
                },
                complete: d.n,
                items: p,
            });
            return Ok(None);
        }
    }
    let groups: Vec<String> = members.keys().cloned().collect();
    let configural = fit(built, &data, &groups, Equal::Nothing)?;
    let metric = fit(built, &data, &groups, Equal::Loadings)?;
    let equal_paths = fit(built, &data, &groups, Equal::LoadingsAndPaths(None))?;
    for (name, f) in [
        ("configural", &configural),
        ("metric", &metric),
        ("equal paths", &equal_paths),
    ] {
        if !f.0.converged {
            findings.push(Finding::SemGroupNotConverged { model: name.into() });
        }
    }
    let step = |a: &Fitted, b: &Fitted| diff_test(&a.1, &b.1);
    // Paths can only be compared when the loadings are equal: Chen's criteria on configural -> metric.
    let (c, m) = (&configural.1.indices, &metric.1.indices);
    if !criteria::invariance_step_holds(m.cfi - c.cfi, m.rmsea - c.rmsea) {
        findings.push(Finding::NonInvariance {
            by: by.into(),
            supported: crate::findings::InvarianceLevel::Configural,
        });
    }
    let mut path_tests = IndexMap::new();
    let mut regressions: IndexMap<String, IndexMap<String, Estimate>> = IndexMap::new();
    let paths: Vec<(String, usize)> = built
        .params
        .iter()
        .filter(|q| q.op == Op::Regression)
        .filter_map(|q| q.free.map(|k| (format!("{} -> {}", q.rhs, q.lhs), k)))
        .collect();
    for (key, k) in &paths {
        if built.labels.values().any(|l| l == k) {
            continue; // labelled: already equal in every group
        }
        let one = fit(built, &data, &groups, Equal::LoadingsAndPaths(Some(*k)))?;
        path_tests.insert(key.clone(), step(&metric, &one));
    }
    let (model, est) = (&metric.2, &metric.3);
    let vcov = est.vcov();
    let mut r2 = IndexMap::new();
    for (g, name) in groups.iter().enumerate() {
        let v = &est.values[g];
        let std = sem::standardize(v);
        let mut per = IndexMap::new();
        for q in built.params.iter().filter(|q| q.op == Op::Regression) {
            let (row, col) = (q.place.row, q.place.col);
            let Cell::Free(k) = model.groups[g].beta.get(row, col) else {
                continue;
            };
            let b = est.theta[k];
            let se = vcov
                .as_ref()
                .map_or(f64::NAN, |vc| vc[(k, k)].max(0.0).sqrt());
            let (z, p, ci95) = crate::stats::distributions::wald(b, se);
            per.insert(
                format!("{} -> {}", q.rhs, q.lhs),
                Estimate {
                    est: b,
                    se,
                    z,
                    p,
                    ci95,
                    std_all: std.beta[(row, col)],
                },
            );
        }
        regressions.insert(name.clone(), per);
        r2.insert(
            name.clone(),
            (0..built.latents.len())
                .filter(|&f| built.endogenous(f))
                .map(|f| {
                    (
                        built.latents[f].clone(),
                        1.0 - v.psi[(f, f)] / v.latent_cov[(f, f)],
                    )
                })
                .collect(),
        );
    }
    let mut tests = IndexMap::new();
    tests.insert("metric_vs_configural".into(), step(&configural, &metric));
    tests.insert("equal_paths_vs_metric".into(), step(&metric, &equal_paths));
    let mut models = IndexMap::new();
    for (name, f) in [
        ("configural", configural),
        ("metric", metric),
        ("equal_paths", equal_paths),
    ] {
        models.insert(name.to_string(), f.0);
    }
    Ok(Some(SemGroups {
        by: by.into(),
        n: groups
            .iter()
            .cloned()
            .zip(data.iter().map(|d| d.n))
            .collect(),
        groups,
        models,
        tests,
        path_tests,
        regressions,
        r2,
    }))
}

/// A fitted multi-group model: its report block, its fit, the engine's model and estimate.
type Fitted = (GroupModel, SemFit, sem::Model, sem::Estimate);

fn fit(built: &Built, data: &[SampleMoments], names: &[String], equal: Equal) -> Result<Fitted> {
    let model = multi_group(built, data.len(), equal);
    let est = sem::estimate(&model, data, sem::default_start(&model, data))?;
    let indices = sem::fit_indices(&model, data, &est)?;
    let unrestricted_logl = data
        .iter()
        .map(|d| {
            let nf = d.n as f64;
            let p = d.cov.nrows() as f64;
            let s = &d.cov * ((nf - 1.0) / nf);
            let ld = crate::stats::linalg::spd_logdet(&s).unwrap_or(f64::NAN);
            -nf / 2.0 * (p * (2.0 * std::f64::consts::PI).ln() + ld + p)
        })
        .sum();
    let fit = SemFit {
        logl: indices.loglik,
        unrestricted_logl,
        indices,
    };
    let block = GroupModel {
        converged: est.converged,
        fit: fit.clone(),
        chisq_by_group: names
            .iter()
            .cloned()
            .zip(
                est.fmin_groups
                    .iter()
                    .zip(data)
                    .map(|(f, d)| f * d.n as f64),
            )
            .collect(),
    };
    Ok((block, fit, model, est))
}

/// Each group the single-group pattern with free intercepts and latent means fixed at 0; a parameter keeps
/// one index across groups when it is labelled or `equal` holds it equal, and gets one per group otherwise.
fn multi_group(built: &Built, groups: usize, equal: Equal) -> sem::Model {
    let q = built.n_params;
    let shared = |k: usize| -> bool {
        if built.labels.values().any(|&l| l == k) {
            return true;
        }
        let op = built
            .params
            .iter()
            .find(|p| p.free == Some(k))
            .map(|p| p.op);
        match (equal, op) {
            (Equal::Nothing, _) => false,
            (_, Some(Op::Measured)) => true,
            (Equal::LoadingsAndPaths(None), Some(Op::Regression)) => true,
            (Equal::LoadingsAndPaths(Some(only)), Some(Op::Regression)) => only == k,
            _ => false,
        }
    };
    let remap = |pat: &Pattern, g: usize| {
        let mut out = pat.clone();
        for j in 0..pat.cols {
            for i in 0..pat.rows {
                if let Cell::Free(k) = pat.get(i, j) {
                    let idx = if shared(k) { k } else { k + g * q };
                    out.set(i, j, Cell::Free(idx));
                }
            }
        }
        out
    };
    let base = &built.pattern;
    let (p, m) = (base.p(), base.m());
    let mut next_mean = groups * q;
    let patterns = (0..groups)
        .map(|g| {
            let mut gp = GroupPattern::new(p, m, true);
            gp.lambda = remap(&base.lambda, g);
            gp.beta = remap(&base.beta, g);
            gp.psi = remap(&base.psi, g);
            gp.theta = remap(&base.theta, g);
            if let Some(nu) = gp.nu.as_mut() {
                for i in 0..p {
                    nu.set(i, 0, Cell::Free(next_mean));
                    next_mean += 1;
                }
            }
            gp
        })
        .collect();
    sem::Model::numbered(patterns)
}

/// χ² difference of the more restricted `b` against `a`.
fn diff_test(a: &SemFit, b: &SemFit) -> DiffTest {
    let chisq_diff = b.indices.chisq - a.indices.chisq;
    let df_diff = b.indices.df.saturating_sub(a.indices.df);
    DiffTest {
        chisq_diff,
        df_diff,
        p: ChiSquared::new(df_diff as f64)
            .map(|c| c.sf(chisq_diff))
            .unwrap_or(f64::NAN),
    }
}
