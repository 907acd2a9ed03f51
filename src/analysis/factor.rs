//! Section: factor structure — the correlation matrix the factor analyses use (Pearson of the complete rows,
//! or two-step polychoric), KMO and Bartlett, eigenvalues, Horn's parallel analysis and the EFA.

use super::data::Prepared;
use super::{Correlation, Findings, Options, POLYCHORIC_MAX_CATEGORIES};
use crate::criteria;
use crate::data::{Answers, Responses};
use crate::error::{Error, Result};
use crate::findings::Finding;
use crate::instrument::Instrument;
use crate::progress::step;
use crate::report::{DimensionResult, EfaBlock, Factorability, ParallelBlock};
use crate::stats::factor;
use indexmap::IndexMap;
use nalgebra::DMatrix;

/// The correlations behind every factor analysis, and how many respondents they rest on.
pub(super) struct Structure {
    /// Pearson correlations of the complete rows, or polychoric correlations with `--cor polychoric`.
    pub r: DMatrix<f64>,
    /// Complete respondents.
    pub n: usize,
    /// More complete respondents than items: the factor analyses can run.
    pub enough: bool,
    pub polychoric: bool,
}

/// The correlation matrix of the complete rows (polychoric when asked and possible).
pub(super) fn correlations(
    instrument: &Instrument,
    responses: &Responses,
    data: &Prepared,
    options: &Options,
    findings: &mut Findings,
) -> Result<Structure> {
    let enough = data.enough_for_factor_analysis();
    if !enough {
        findings.push(Finding::TooFewForFactorAnalysis {
            complete: data.complete().n,
            items: data.items.len(),
        });
    }
    let polychoric = options.correlation == Correlation::Polychoric && enough;
    let r = if polychoric {
        polychoric_matrix(
            instrument,
            data.complete_answers(),
            &responses.path,
            options.progress.as_ref(),
        )?
    } else {
        data.complete().cor.clone()
    };
    Ok(Structure {
        r,
        n: data.complete().n,
        enough,
        polychoric,
    })
}

/// Ordinal alpha (Zumbo, Gadermann & Zeisser 2007): standardized alpha of the polychoric correlations.
pub(super) fn ordinal_alpha(
    instrument: &Instrument,
    s: &Structure,
    dimensions: &mut IndexMap<String, DimensionResult>,
) {
    if !s.polychoric {
        return;
    }
    for (dim, result) in instrument.dimensions.iter().zip(dimensions.values_mut()) {
        if let Some(rel) = result.reliability.as_mut() {
            let k = dim.items.len() as f64;
            let sum: f64 = dim
                .items
                .iter()
                .flat_map(|&i| dim.items.iter().map(move |&j| s.r[(i, j)]))
                .sum();
            rel.ordinal_alpha = Some((1.0 - k / sum) * k / (k - 1.0));
        }
    }
}

/// What the factor-structure section found.
#[derive(Default)]
pub(super) struct FactorBlock {
    pub factorability: Option<Factorability>,
    pub eigenvalues: Option<Vec<f64>>,
    pub parallel: Option<ParallelBlock>,
    pub efa: Option<EfaBlock>,
}

pub(super) fn section(
    instrument: &Instrument,
    s: &Structure,
    options: &Options,
    findings: &mut Findings,
) -> FactorBlock {
    if !s.enough {
        return FactorBlock::default();
    }
    let items: Vec<String> = instrument.items.iter().map(|i| i.id.clone()).collect();
    let factorability = match (factor::kmo(&s.r), factor::bartlett(&s.r, s.n)) {
        (Ok(k), Ok(b)) => {
            if k.overall < criteria::KMO_MIN.value {
                findings.push(Finding::LowKmo { kmo: k.overall });
            }
            if b.p >= criteria::BARTLETT_P_MAX.value {
                findings.push(Finding::BartlettNotSignificant {
                    chi2: b.chi2,
                    df: b.df,
                    p: b.p,
                });
            }
            Some(Factorability {
                kmo: k.overall,
                kmo_items: items.iter().cloned().zip(k.items).collect(),
                suitable: criteria::factorable(k.overall, b.p),
                bartlett: b,
            })
        }
        (Err(e), _) | (_, Err(e)) => {
            findings.push(Finding::FactorabilityFailed {
                error: e.to_string(),
            });
            None
        }
    };
    let eigenvalues = factor::eigenvalues(&s.r);
    let (iterations, seed) = options.parallel;
    let pa = step(
        options.progress.as_ref(),
        "parallel analysis",
        iterations as u64,
        |tick| factor::parallel::parallel_analysis(&eigenvalues, s.n, iterations, seed, tick),
    );
    let dims = instrument.dimensions.len();
    if pa.suggested_factors != dims {
        findings.push(Finding::ParallelAnalysisDisagrees {
            suggested: pa.suggested_factors,
            dimensions: dims,
        });
    }
    let parallel = ParallelBlock {
        basis: "principal components of the correlation matrix (Horn 1965)".into(),
        iterations: pa.iterations,
        seed: pa.seed,
        percentile: pa.percentile,
        random_eigenvalues: pa.random_eigenvalues,
        suggested_factors: pa.suggested_factors,
    };
    let efa = factorability
        .as_ref()
        .and_then(|_| efa(&s.r, &items, dims, options, findings));
    FactorBlock {
        factorability,
        eigenvalues: Some(eigenvalues),
        parallel: Some(parallel),
        efa,
    }
}

fn efa(
    r: &DMatrix<f64>,
    items: &[String],
    dims: usize,
    options: &Options,
    findings: &mut Findings,
) -> Option<EfaBlock> {
    let n_factors = options.efa_factors.unwrap_or(dims);
    let fit = match factor::efa(r, n_factors, options.efa_method, options.efa_rotation) {
        Ok(fit) => fit,
        Err(e) => {
            findings.push(Finding::EfaFailed {
                error: e.to_string(),
            });
            return None;
        }
    };
    if !fit.extraction_converged {
        findings.push(Finding::EfaNotConverged {
            method: fit.method.name().into(),
        });
    }
    if !fit.rotation_converged {
        findings.push(Finding::RotationNotConverged {
            rotation: fit.rotation.name().into(),
            iterations: fit.rotation_iterations,
        });
    }
    for (i, h) in fit.communalities.iter().enumerate() {
        if *h >= criteria::HEYWOOD_COMMUNALITY {
            findings.push(Finding::EfaHeywood {
                item: items[i].clone(),
                communality: *h,
            });
        }
    }
    let p = items.len() as f64;
    let by_item =
        |v: &nalgebra::DVector<f64>| items.iter().cloned().zip(v.iter().copied()).collect();
    Some(EfaBlock {
        method: fit.method.name().into(),
        rotation: fit.rotation,
        n_factors: fit.n_factors,
        loadings: items
            .iter()
            .enumerate()
            .map(|(i, id)| (id.clone(), fit.loadings.row(i).iter().copied().collect()))
            .collect(),
        communalities: by_item(&fit.communalities),
        uniquenesses: by_item(&fit.uniquenesses),
        factor_correlations: fit
            .phi
            .row_iter()
            .map(|r| r.iter().copied().collect())
            .collect(),
        proportion_var: fit.ss_loadings.iter().map(|s| s / p).collect(),
        ss_loadings: fit.ss_loadings.clone(),
        converged: fit.extraction_converged && fit.rotation_converged,
    })
}

/// Polychoric correlations of the complete rows, after checking that every item is ordinal.
fn polychoric_matrix(
    instrument: &Instrument,
    complete: &Answers,
    path: &std::path::Path,
    progress: Option<&crate::progress::ProgressHandle>,
) -> Result<DMatrix<f64>> {
    for (j, item) in instrument.items.iter().enumerate() {
        let levels = complete.value_counts(j, None);
        if levels.len() > POLYCHORIC_MAX_CATEGORIES {
            return Err(Error::DegenerateItem {
                file: path.to_path_buf(),
                column: item.id.clone(),
                message: format!("the item has {} different answers; polychoric correlations are for ordinal items (at most {POLYCHORIC_MAX_CATEGORIES} categories)", levels.len()),
                fix: "use the default Pearson correlations (leave out --cor polychoric)".into(),
            });
        }
    }
    let pairs = (instrument.items.len() * (instrument.items.len() - 1) / 2) as u64;
    Ok(step(progress, "polychoric correlations", pairs, |tick| {
        crate::stats::polychoric::polychoric(complete, tick)
    }))
}
