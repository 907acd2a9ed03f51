//! The PLS bootstrap block: every reported quantity re-estimated on each resample (paths, effects, defined
//! parameters, loadings, weights, HTMT), summarized by SD, t, p, the percentile and BCa intervals, and HTMT's
//! one-sided tests; failed resamples counted by reason.

use super::{solve, PlsOptions};
use crate::analysis::{Findings, Options};
use crate::error::{Error, Result};
use crate::findings::Finding;
use crate::progress::step;
use crate::report::pls::*;
use crate::stats::pls::bootstrap::{self as boot, Summary};
use crate::stats::pls::{self, quality, Failure};
use crate::stats::quantiles::quantile7;
use indexmap::IndexMap;
use nalgebra::DMatrix;

/// HTMT thresholds of the one-sided test (Henseler et al. 2015; Franke & Sarstedt 2019).
pub(super) const HTMT_STRICT: f64 = crate::criteria::HTMT_MAX.value;
const HTMT_LIBERAL: f64 = crate::criteria::HTMT_LIBERAL.value;
/// Jackknife groups for the BCa acceleration: leave-one-out up to this many respondents, else this many
/// groups of respondents left out in turn.
const JACKKNIFE_GROUPS: usize = 1000;

/// Where each reported quantity sits in a draw's vector.
struct Layout {
    paths: usize,
    total: usize,
    indirect: usize,
    specific: usize,
    defined: usize,
    loadings: usize,
    weights: usize,
    htmt: usize,
}

#[allow(clippy::too_many_arguments)]
pub(super) fn block(
    o: &PlsOptions,
    x: &DMatrix<f64>,
    htmt_pairs: &[((usize, usize), Option<f64>)],
    effect_pairs: &[(usize, usize)],
    indirect_pairs: &[(usize, usize)],
    specific: &[(Vec<usize>, f64)],
    resamples: usize,
    seed: u64,
    options: &Options,
    findings: &mut Findings,
) -> Result<PlsBootstrap> {
    let model = &o.model;
    let spec = &model.spec;
    let p = spec.indicators();
    let htmt_defined: Vec<(usize, usize)> = htmt_pairs
        .iter()
        .filter(|(_, v)| v.is_some())
        .map(|(ab, _)| *ab)
        .collect();
    // Where each block of statistics starts in a draw's vector.
    let sizes = [
        spec.paths.len(),
        effect_pairs.len(),
        indirect_pairs.len(),
        specific.len(),
        model.defined.len(),
        p,
        p,
    ];
    let start = |block: usize| sizes[..block].iter().sum::<usize>();
    let l = Layout {
        paths: start(0),
        total: start(1),
        indirect: start(2),
        specific: start(3),
        defined: start(4),
        loadings: start(5),
        weights: start(6),
        htmt: start(7),
    };
    let statistic =
        |r: &DMatrix<f64>| -> std::result::Result<Vec<f64>, Failure> {
            let s = solve(spec, r, o)?;
            let total = quality::total_effects(&s.beta);
            let mut v: Vec<f64> = spec.paths.iter().map(|&(a, b)| s.beta[(a, b)]).collect();
            v.extend(effect_pairs.iter().map(|&(a, b)| total[(a, b)]));
            v.extend(
                indirect_pairs
                    .iter()
                    .map(|&(a, b)| total[(a, b)] - s.beta[(a, b)]),
            );
            v.extend(
                quality::specific_indirect(spec, &s.beta)
                    .iter()
                    .map(|c| c.1),
            );
            v.extend(model.evaluate_defined(&|k| {
                let (a, b) = spec.paths[k];
                s.beta[(a, b)]
            }));
            v.extend(s.loadings.iter().copied());
            v.extend(s.est.outer_weights(spec));
            v.extend(htmt_defined.iter().map(|&(a, b)| {
                quality::htmt(r, &spec.blocks[a], &spec.blocks[b]).unwrap_or(f64::NAN)
            }));
            Ok(v)
        };
    let draws = step(
        options.progress.as_ref(),
        "bootstrap",
        resamples as u64,
        |tick| boot::draws(x, resamples, seed, statistic, tick),
    );
    let valid: Vec<&Vec<f64>> = draws.iter().filter_map(|d| d.as_ref().ok()).collect();
    let failed = resamples - valid.len();
    let mut failed_reasons: IndexMap<String, usize> = IndexMap::new();
    for f in draws.iter().filter_map(|d| d.as_ref().err()) {
        let reason = match f {
            Failure::ConstantConstruct(_) => "constant construct",
            Failure::Singular(_) => "singular matrix",
            Failure::NonPositiveRhoA(_) => "rho_a not positive",
        };
        *failed_reasons.entry(reason.into()).or_default() += 1;
    }
    if failed > 0 {
        findings.push(Finding::BootstrapFailures { failed, resamples });
    }
    let jack = jackknife(x, &|r: &DMatrix<f64>| statistic(r).ok());
    let full = statistic(&pls::correlations(x).0)
        .map_err(|_| Error::Internal("the full sample failed in the bootstrap".into()))?;
    let summarize = |k: usize| -> Option<BootEstimate> {
        let d: Vec<f64> = valid.iter().map(|v| v[k]).collect();
        let j: Option<Vec<f64>> = jack
            .as_ref()
            .map(|jk| jk.iter().flatten().map(|v| v[k]).collect());
        boot::summarize(full[k], &d, j.as_deref()).map(|s: Summary| BootEstimate {
            estimate: full[k],
            mean: s.mean,
            sd: s.sd,
            t: s.t,
            p: s.p,
            ci95: s.percentile,
            bca95: s.bca,
        })
    };
    let names = &model.constructs;
    let pair = |a: usize, b: usize| format!("{} -> {}", names[a], names[b]);
    let collect = |keys: Vec<String>, start: usize| -> IndexMap<String, BootEstimate> {
        keys.into_iter()
            .enumerate()
            .filter_map(|(k, key)| summarize(start + k).map(|s| (key, s)))
            .collect()
    };
    let mut htmt: IndexMap<String, IndexMap<String, HtmtBoot>> = IndexMap::new();
    for (k, &(a, b)) in htmt_defined.iter().enumerate() {
        let mut d: Vec<f64> = valid
            .iter()
            .map(|v| v[l.htmt + k])
            .filter(|v| v.is_finite())
            .collect();
        d.sort_by(f64::total_cmp);
        let Some(s) = boot::summarize(full[l.htmt + k], &d, None) else {
            continue;
        };
        let share = |t: f64| d.iter().filter(|&&v| v >= t).count() as f64 / d.len() as f64;
        htmt.entry(names[a].clone()).or_default().insert(
            names[b].clone(),
            HtmtBoot {
                estimate: full[l.htmt + k],
                sd: s.sd,
                ci95: s.percentile,
                upper95: quantile7(&d, 0.95),
                p_below_085: share(HTMT_STRICT),
                p_below_090: share(HTMT_LIBERAL),
            },
        );
    }
    let chain_name = |c: &[usize]| {
        c.iter()
            .map(|&k| names[k].as_str())
            .collect::<Vec<_>>()
            .join(" -> ")
    };
    Ok(PlsBootstrap {
        resamples,
        seed,
        valid: valid.len(),
        failed,
        failed_reasons,
        ci_method: format!(
            "percentile (type-7 quantiles of the draws, as seminr) and BCa (bias from the share of draws below the estimate, acceleration from the {})",
            if x.nrows() <= JACKKNIFE_GROUPS { "leave-one-out jackknife".to_string() } else { format!("jackknife of {JACKKNIFE_GROUPS} groups of respondents") }
        ),
        paths: collect(model.path_names(), l.paths),
        total: collect(effect_pairs.iter().map(|&(a, b)| pair(a, b)).collect(), l.total),
        indirect: collect(indirect_pairs.iter().map(|&(a, b)| pair(a, b)).collect(), l.indirect),
        specific: collect(specific.iter().map(|(c, _)| chain_name(c)).collect(), l.specific),
        defined: collect(model.defined.iter().map(|d| d.name.clone()).collect(), l.defined),
        outer_loadings: collect(model.observed.clone(), l.loadings),
        outer_weights: collect(model.observed.clone(), l.weights),
        htmt,
    })
}

/// Jackknife values for the BCa acceleration (None when fewer than 2 succeed).
fn jackknife<F>(x: &DMatrix<f64>, statistic: &F) -> Option<Vec<Option<Vec<f64>>>>
where
    F: Fn(&DMatrix<f64>) -> Option<Vec<f64>> + Sync,
{
    let values = boot::jackknife(x, JACKKNIFE_GROUPS, statistic);
    (values.iter().flatten().count() >= 2).then_some(values)
}
