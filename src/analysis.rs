//! The analysis pipeline: scored responses in, a finished [`Report`] out. No printing, no files.
//!
//! Reliability and dimension scores follow the missing-data policy. The factor analyses (KMO, Bartlett,
//! EFA, CFA, HTMT) always use the respondents complete on every item — lavaan's default (missing =
//! "listwise") — and the report says so.

use crate::data::{Answers, Responses};
use crate::error::Result;
use crate::instrument::{Instrument, Language};
use crate::progress::step;
use crate::report::*;
use crate::scoring::{MissingPolicy, Scored};
use crate::stats::factor::{self, Method, Rotation};
use crate::stats::moments::Moments;
use crate::stats::{bootstrap, cfa, groups, reliability};
use indexmap::IndexMap;
use nalgebra::DMatrix;
use rayon::prelude::*;
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// Conventional thresholds, each with its source.
pub mod thresholds {
    /// Nunnally (1978): α ≥ .70 for research use.
    pub const ALPHA_MIN: f64 = 0.70;
    /// Nunnally & Bernstein (1994): corrected item–total correlation ≥ .30.
    pub const R_DROP_MIN: f64 = 0.30;
    /// Kaiser (1974): KMO ≥ .60 ("mediocre" below).
    pub const KMO_MIN: f64 = 0.60;
    /// Fornell & Larcker (1981): AVE ≥ .50; Hair et al. (2010): CR ≥ .70.
    pub const AVE_MIN: f64 = 0.50;
    pub const CR_MIN: f64 = 0.70;
    /// Henseler, Ringle & Sarstedt (2015): HTMT < .85.
    pub const HTMT_MAX: f64 = 0.85;
    /// Hu & Bentler (1999): CFI ≥ .95 good, ≥ .90 acceptable; RMSEA ≤ .06 good, ≤ .08 acceptable; SRMR ≤ .08.
    pub const CFI_MIN: f64 = 0.90;
    pub const RMSEA_MAX: f64 = 0.08;
    pub const SRMR_MAX: f64 = 0.08;
}

/// What to run and how.
#[derive(Clone)]
pub struct Options {
    pub by: Option<String>,
    pub efa_method: Method,
    pub efa_rotation: Rotation,
    /// Defaults to the number of dimensions.
    pub efa_factors: Option<usize>,
    /// (replicates, seed) for percentile bootstrap intervals of alpha and omega.
    pub bootstrap: Option<(usize, u64)>,
    /// Parallel analysis: (iterations, seed).
    pub parallel: (usize, u64),
    /// The CFA model: one factor per dimension, correlated (lavaan's default), or with a second-order factor.
    pub cfa_model: CfaStructure,
    /// Correlations behind KMO, Bartlett, eigenvalues, parallel analysis and the EFA.
    pub correlation: Correlation,
    /// Where long steps report their progress.
    pub progress: Option<crate::progress::ProgressHandle>,
}

/// Which correlation coefficient the factor analyses use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Correlation {
    Pearson,
    /// Two-step ML polychoric correlations (lavaan::lavCor), for ordinal items.
    Polychoric,
}

/// Most answer categories an item may have for polychoric correlations.
pub const POLYCHORIC_MAX_CATEGORIES: usize = 15;

/// Structure of the CFA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CfaStructure {
    /// One factor per dimension, all factor covariances free.
    Correlated,
    /// The dimension factors load on one overall perceived-value factor.
    SecondOrder,
}

/// Default iterations and seed of the parallel analysis.
pub const PARALLEL_ITERATIONS: usize = 100;
pub const DEFAULT_SEED: u64 = 20011;

impl Default for Options {
    fn default() -> Self {
        Options {
            by: None,
            efa_method: Method::Minres,
            efa_rotation: Rotation::Oblimin,
            efa_factors: None,
            bootstrap: None,
            parallel: (PARALLEL_ITERATIONS, DEFAULT_SEED),
            cfa_model: CfaStructure::Correlated,
            correlation: Correlation::Pearson,
            progress: None,
        }
    }
}

/// Run every analysis that applies.
pub fn analyze(
    instrument: &Instrument,
    responses: &Responses,
    scored: &Scored,
    options: &Options,
) -> Result<Report> {
    let mut warnings = Vec::new();
    let items: Vec<String> = instrument.items.iter().map(|i| i.id.clone()).collect();
    let p = items.len();
    let rows_used = scored.rows.len();
    if scored.rows_dropped > 0 {
        let why = match scored.policy {
            MissingPolicy::Listwise => {
                "missed at least one item (listwise deletion; --missing pairwise keeps them)"
            }
            MissingPolicy::Pairwise => "answered no item",
        };
        warnings.push(format!(
            "{} of {} respondents were left out because they {why}",
            scored.rows_dropped, scored.rows_read
        ));
    }

    // Moments under the chosen policy (reliability) and of the complete rows (factor analyses). Under
    // listwise deletion every used row is complete: no copy of the data is made.
    let complete_copy = match scored.policy {
        MissingPolicy::Listwise => None,
        MissingPolicy::Pairwise => {
            let rows: Vec<usize> = (0..rows_used)
                .filter(|&r| (0..p).all(|j| !scored.items.is_missing(r, j)))
                .collect();
            Some(scored.items.select_rows(&rows))
        }
    };
    let complete = complete_copy.as_ref().unwrap_or(&scored.items);
    let policy_moments = match scored.policy {
        MissingPolicy::Listwise => Moments::complete(&scored.items),
        MissingPolicy::Pairwise => Moments::pairwise(&scored.items),
    };
    let complete_moments = if scored.policy == MissingPolicy::Listwise {
        policy_moments.clone()
    } else if complete.nrows() > p {
        Moments::complete(complete)
    } else {
        policy_moments.clone()
    };

    // Dimensions: scores and reliability.
    let dim_items: Vec<Vec<usize>> = instrument
        .dimensions
        .iter()
        .map(|d| d.items.clone())
        .collect();
    let boot = match options.bootstrap {
        Some((reps, seed)) if complete.nrows() >= 3 => Some(step(
            options.progress.as_ref(),
            "bootstrap",
            reps as u64,
            |tick| bootstrap::reliability_ci(complete, &dim_items, reps, seed, tick),
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
            warnings.push(format!(
                "dimension '{}' has a single item: no reliability can be computed for it",
                dim.id
            ));
            None
        } else {
            let m = policy_moments.select(&dim.items);
            match reliability::reliability(&m) {
                Ok(rel) => {
                    reliability_warnings(instrument, d, &rel, &mut warnings);
                    let boot_block =
                        boot.as_ref()
                            .and_then(|b| b[d].clone())
                            .map(|b| BootstrapBlock {
                                replicates: b.replicates,
                                seed: b.seed,
                                alpha_ci95: b.alpha,
                                omega_total_ci95: b.omega_total,
                            });
                    Some(ReliabilityBlock {
                        alpha: rel.alpha,
                        alpha_std: rel.alpha_std,
                        ordinal_alpha: None,
                        alpha_ci95_feldt: rel.alpha_ci95_feldt,
                        lambda6: rel.lambda6,
                        average_r: rel.average_r,
                        omega_total: rel.omega_total,
                        items: dim
                            .items
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
                        bootstrap: boot_block,
                    })
                }
                Err(e) => {
                    warnings.push(format!(
                        "reliability of '{}' could not be computed: {e}",
                        dim.id
                    ));
                    None
                }
            }
        };
        dimensions.insert(
            dim.id.clone(),
            DimensionResult {
                label: dim.label.clone(),
                items: dim.items.iter().map(|&i| items[i].clone()).collect(),
                n: scores.len(),
                mean,
                sd,
                reliability,
            },
        );
    }

    // Factor structure on the complete rows.
    let n_fa = complete_moments.n;
    let enough_for_fa = n_fa > p;
    if !enough_for_fa {
        warnings.push(format!(
            "only {n_fa} respondents are complete on all {p} items: KMO, Bartlett, EFA and CFA need more respondents than items and were skipped"
        ));
    }
    let polychoric = match options.correlation {
        Correlation::Polychoric if enough_for_fa => Some(polychoric_matrix(
            instrument,
            complete,
            &responses.path,
            options.progress.as_ref(),
        )?),
        _ => None,
    };
    if let Some(pc) = &polychoric {
        // Ordinal alpha (Zumbo, Gadermann & Zeisser 2007): standardized alpha of the polychoric correlations.
        for (dim, result) in instrument.dimensions.iter().zip(dimensions.values_mut()) {
            if let Some(rel) = result.reliability.as_mut() {
                let k = dim.items.len() as f64;
                let sum: f64 = dim
                    .items
                    .iter()
                    .flat_map(|&i| dim.items.iter().map(move |&j| pc[(i, j)]))
                    .sum();
                rel.ordinal_alpha = Some((1.0 - k / sum) * k / (k - 1.0));
            }
        }
    }
    let r = polychoric.as_ref().unwrap_or(&complete_moments.cor);
    let (factorability, eigenvalues) = if enough_for_fa {
        match (factor::kmo(r), factor::bartlett(r, n_fa)) {
            (Ok(k), Ok(b)) => {
                if k.overall < thresholds::KMO_MIN {
                    warnings.push(format!(
                        "KMO = {:.2} is below .60 (Kaiser 1974): the items share too little variance for a factor analysis to be trusted",
                        k.overall
                    ));
                }
                (
                    Some(Factorability {
                        kmo: k.overall,
                        kmo_items: items.iter().cloned().zip(k.items).collect(),
                        bartlett: BartlettBlock {
                            chi2: b.chi2,
                            df: b.df,
                            p: b.p,
                        },
                    }),
                    Some(factor::eigenvalues(r)),
                )
            }
            (Err(e), _) | (_, Err(e)) => {
                warnings.push(format!("factorability could not be assessed: {e}"));
                (None, Some(factor::eigenvalues(r)))
            }
        }
    } else {
        (None, None)
    };

    let parallel = eigenvalues.as_ref().map(|ev| {
        let (iterations, seed) = options.parallel;
        let pa = step(
            options.progress.as_ref(),
            "parallel analysis",
            iterations as u64,
            |tick| factor::parallel::parallel_analysis(ev, n_fa, iterations, seed, tick),
        );
        ParallelBlock {
            basis: "principal components of the correlation matrix (Horn 1965)",
            iterations: pa.iterations,
            seed: pa.seed,
            percentile: pa.percentile,
            random_eigenvalues: pa.random_eigenvalues,
            suggested_factors: pa.suggested_factors,
        }
    });
    if let Some(pa) = &parallel {
        if pa.suggested_factors != instrument.dimensions.len() {
            warnings.push(format!(
                "parallel analysis suggests {} factors, the instrument has {} dimensions: compare the EFA with --factors {}",
                pa.suggested_factors,
                instrument.dimensions.len(),
                pa.suggested_factors
            ));
        }
    }
    let n_factors = options.efa_factors.unwrap_or(instrument.dimensions.len());
    let efa = if enough_for_fa && factorability.is_some() {
        match factor::efa(r, n_factors, options.efa_method, options.efa_rotation) {
            Ok(fit) => {
                if !fit.extraction_converged {
                    warnings.push(format!(
                        "the EFA ({}) did not converge: treat its loadings with caution",
                        fit.method.name()
                    ));
                }
                if !fit.rotation_converged {
                    warnings.push(format!(
                        "the {} rotation did not converge in {} iterations",
                        fit.rotation.name(),
                        fit.rotation_iterations
                    ));
                }
                for (i, h) in fit.communalities.iter().enumerate() {
                    if *h >= 0.995 {
                        warnings.push(format!(
                            "Heywood case in the EFA: item {} has a communality of {:.3} (at or near 1): try fewer factors, another extraction method (--method ml or pa), or check the item",
                            items[i], h
                        ));
                    }
                }
                Some(efa_block(&fit, &items))
            }
            Err(e) => {
                warnings.push(format!("the EFA could not be run: {e}"));
                None
            }
        }
    } else {
        None
    };

    let single: Vec<&str> = instrument
        .dimensions
        .iter()
        .filter(|d| d.items.len() < 2)
        .map(|d| d.id.as_str())
        .collect();
    if enough_for_fa && !single.is_empty() {
        warnings.push(format!(
            "the CFA, CR, AVE and HTMT were skipped: a CFA factor needs at least 2 items and {} has one",
            single.iter().map(|d| format!("'{d}'")).collect::<Vec<_>>().join(", ")
        ));
    }
    let cfa = if enough_for_fa && single.is_empty() {
        let model = cfa::CfaModel {
            n_items: p,
            factors: dim_items.clone(),
            second_order: options.cfa_model == CfaStructure::SecondOrder,
        };
        match cfa::fit(&complete_moments.cov, n_fa, &model) {
            Ok(fit) => Some(cfa_block(instrument, &items, &fit, r, n_fa, &mut warnings)),
            Err(e) => {
                warnings.push(format!("the CFA could not be run: {e}"));
                None
            }
        }
    } else {
        None
    };

    let groups = match &options.by {
        Some(by) => group_block(instrument, responses, scored, by, &mut warnings)?,
        None => None,
    };

    Ok(Report {
        schema: SCHEMA,
        perval_version: env!("CARGO_PKG_VERSION"),
        instrument: InstrumentInfo {
            id: instrument.id.clone(),
            name: instrument.name.clone(),
            citation: instrument.citation.clone(),
            language: match instrument.language {
                Language::En => "en",
                Language::Zh => "zh",
            },
            scale: [instrument.scale.min, instrument.scale.max],
            scale_labels: instrument.scale.labels.clone(),
            dimension_items: instrument
                .dimensions
                .iter()
                .map(|d| {
                    (
                        d.id.clone(),
                        d.items.iter().map(|&i| items[i].clone()).collect(),
                    )
                })
                .collect(),
            dimension_labels: instrument
                .dimensions
                .iter()
                .map(|d| (d.id.clone(), d.label.clone()))
                .collect(),
            item_texts: instrument
                .items
                .iter()
                .map(|i| (i.id.clone(), i.text.clone()))
                .collect(),
            reverse_keyed: instrument
                .items
                .iter()
                .filter(|i| i.reverse)
                .map(|i| i.id.clone())
                .collect(),
        },
        settings: Settings {
            missing_policy: scored.policy.name(),
            reverse_scoring: format!(
                "(min + max) - x with the instrument's scale bounds {} and {}",
                instrument.scale.min, instrument.scale.max
            ),
            correlation: match options.correlation {
                Correlation::Pearson => "pearson",
                Correlation::Polychoric => "polychoric (two-step ML, as lavaan::lavCor) for KMO, Bartlett, eigenvalues, parallel analysis and EFA; Pearson covariances for the CFA",
            },
            factor_rows: format!(
                "{n_fa} respondents complete on all items (listwise, as lavaan's default)"
            ),
            efa_method: options.efa_method.name(),
            efa_rotation: options.efa_rotation.name(),
            efa_factors: n_factors,
            cfa_estimator: "ML (normal likelihood, marker-variable identification, as lavaan::cfa)",
            bootstrap: options
                .bootstrap
                .map(|(replicates, seed)| BootstrapSettings {
                    replicates,
                    seed,
                    interval: "percentile, complete cases",
                }),
        },
        input: Input {
            file: responses.path.display().to_string(),
            rows_read: scored.rows_read,
            rows_used,
            rows_dropped: scored.rows_dropped,
            missing_policy: scored.policy.name(),
            notes: responses.notes.clone(),
            missing_per_item: items
                .iter()
                .cloned()
                .zip(scored.missing_per_item.iter().copied())
                .collect(),
        },
        dimensions,
        factorability,
        eigenvalues,
        parallel_analysis: parallel,
        item_correlations: enough_for_fa.then(|| r.row_iter().map(|row| row.iter().copied().collect()).collect()),
        item_distributions: item_counts(instrument, &scored.items, None),
        efa,
        cfa,
        groups,
        screening: None,
        warnings,
    })
}

fn reliability_warnings(
    instrument: &Instrument,
    d: usize,
    rel: &reliability::Reliability,
    warnings: &mut Vec<String>,
) {
    let dim = &instrument.dimensions[d];
    if rel.alpha < thresholds::ALPHA_MIN {
        warnings.push(format!(
            "alpha of '{}' is {} (below the .70 convention, Nunnally 1978): look at the item table for items that do not fit",
            dim.id,
            apa(rel.alpha)
        ));
    }
    for (&i, s) in dim.items.iter().zip(&rel.items) {
        let item = &instrument.items[i];
        if s.r_drop < 0.0 {
            warnings.push(format!(
                "{} correlates negatively with the rest of '{}' (r.drop = {}): is it reverse-keyed? {}",
                item.id,
                dim.id,
                apa(s.r_drop),
                if item.reverse {
                    "It is marked reverse = true: check whether the file already holds reversed answers."
                } else {
                    "Set reverse = true for it in the instrument if it is negatively worded."
                }
            ));
        } else if s.r_drop < thresholds::R_DROP_MIN {
            warnings.push(format!(
                "{} has a low corrected item–total correlation in '{}' (r.drop = {} < .30)",
                item.id,
                dim.id,
                apa(s.r_drop)
            ));
        }
        if let Some(a) = s.alpha_if_deleted {
            if a > rel.alpha + 0.01 {
                warnings.push(format!(
                    "alpha of '{}' rises from {} to {} without {}",
                    dim.id,
                    apa(rel.alpha),
                    apa(a),
                    item.id
                ));
            }
        }
    }
    if !rel.omega_converged {
        warnings.push(format!(
            "the one-factor fit behind omega of '{}' did not converge",
            dim.id
        ));
    }
}

fn efa_block(fit: &factor::EfaFit, items: &[String]) -> EfaBlock {
    let p = items.len() as f64;
    EfaBlock {
        method: fit.method.name(),
        rotation: fit.rotation.name(),
        n_factors: fit.n_factors,
        loadings: items
            .iter()
            .enumerate()
            .map(|(i, id)| (id.clone(), fit.loadings.row(i).iter().copied().collect()))
            .collect(),
        communalities: items
            .iter()
            .cloned()
            .zip(fit.communalities.iter().copied())
            .collect(),
        uniquenesses: items
            .iter()
            .cloned()
            .zip(fit.uniquenesses.iter().copied())
            .collect(),
        factor_correlations: fit
            .phi
            .row_iter()
            .map(|r| r.iter().copied().collect())
            .collect(),
        proportion_var: fit.ss_loadings.iter().map(|s| s / p).collect(),
        ss_loadings: fit.ss_loadings.clone(),
        converged: fit.extraction_converged && fit.rotation_converged,
    }
}

fn cfa_block(
    instrument: &Instrument,
    items: &[String],
    fit: &cfa::CfaFit,
    r: &DMatrix<f64>,
    n: usize,
    warnings: &mut Vec<String>,
) -> CfaBlock {
    if !fit.converged {
        warnings.push(format!("CFA: the CFA did not converge in {} iterations: its estimates and fit indices are unreliable; check reverse-keyed items and items with very low correlations", fit.iterations));
    }
    for &i in &fit.heywood_items {
        warnings.push(format!("CFA: Heywood case: item {} has a negative residual variance ({:.3}; standardized loading {:.3}); the model is misspecified for this item or the sample is too small — consider removing the item or constraining its residual variance", items[i], fit.theta[i], fit.loadings_std[i]));
    }
    if fit.factor_cov_not_pd {
        warnings.push("CFA: the factor covariance matrix is not positive definite (a factor correlation ≥ 1 in absolute value): two dimensions may not be distinct — consider merging them".into());
    }
    let f = &fit.fit;
    if f.cfi < thresholds::CFI_MIN || f.rmsea > thresholds::RMSEA_MAX {
        warnings.push(format!(
            "the {}-factor CFA fits poorly (CFI = {}, RMSEA = {}; Hu & Bentler 1999 suggest CFI ≥ .95 and RMSEA ≤ .06): look at the loadings and modification indices before interpreting the dimensions",
            instrument.dimensions.len(),
            apa(f.cfi),
            apa(f.rmsea)
        ));
    }
    let dims = &instrument.dimensions;
    let mut cr = IndexMap::new();
    let mut ave = IndexMap::new();
    for dim in dims {
        let l: Vec<f64> = dim.items.iter().map(|&i| fit.loadings_std[i]).collect();
        let (c, a) = (cfa::composite_reliability(&l), cfa::ave(&l));
        if c < thresholds::CR_MIN {
            warnings.push(format!(
                "composite reliability of '{}' is {} (< .70)",
                dim.id,
                apa(c)
            ));
        }
        if a < thresholds::AVE_MIN {
            warnings.push(format!("AVE of '{}' is {} (< .50, Fornell & Larcker 1981): its items share less variance with the factor than error", dim.id, apa(a)));
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
                if h > thresholds::HTMT_MAX {
                    warnings.push(format!(
                        "HTMT of '{}' and '{}' is {} (> .85, Henseler et al. 2015): the two dimensions may not be distinct",
                        da.id,
                        db.id,
                        apa(h)
                    ));
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
                warnings.push(format!(
                    "Fornell–Larcker: the correlation of '{}' and '{}' ({}) exceeds the square root of an AVE: discriminant validity is in doubt",
                    da.id,
                    db.id,
                    apa(corr)
                ));
            }
        }
    }
    CfaBlock {
        estimator: "ML",
        n,
        fit: CfaFitBlock {
            chisq: f.chisq,
            df: f.df,
            pvalue: f.pvalue,
            cfi: f.cfi,
            tli: f.tli,
            rmsea: f.rmsea,
            rmsea_ci90: f.rmsea_ci90,
            srmr: f.srmr,
            aic: f.aic,
            bic: f.bic,
            loglik: f.loglik,
            npar: f.npar,
            baseline_chisq: f.baseline_chisq,
            baseline_df: f.baseline_df,
        },
        loadings: items
            .iter()
            .cloned()
            .zip(fit.loadings.iter().copied())
            .collect(),
        loadings_std: items
            .iter()
            .cloned()
            .zip(fit.loadings_std.iter().copied())
            .collect(),
        residual_variances_std: items
            .iter()
            .cloned()
            .zip(fit.theta_std.iter().copied())
            .collect(),
        factor_correlations: phi,
        composite_reliability: cr,
        ave,
        htmt,
        fornell_larcker: fl,
        model: if fit.second_order_std.is_some() {
            "second-order"
        } else {
            "correlated factors"
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
                op: mi.op,
                rhs: items[mi.rhs].clone(),
                mi: mi.mi,
                epc: mi.epc,
            })
            .collect(),
        converged: fit.converged,
        iterations: fit.iterations,
    }
}

/// How many modification indices the report lists.
pub const MODIFICATION_INDICES_SHOWN: usize = 10;

/// Most groups perval compares before it asks the user to check the column.
pub const MAX_GROUPS: usize = 50;

fn group_block(
    instrument: &Instrument,
    responses: &Responses,
    scored: &Scored,
    by: &str,
    warnings: &mut Vec<String>,
) -> Result<Option<GroupsBlock>> {
    let Some(group) = &responses.group else {
        return Ok(None);
    };
    let mut missing_group = 0;
    let mut by_code: Vec<Vec<usize>> = vec![Vec::new(); group.labels.len()];
    for (k, &row) in scored.rows.iter().enumerate() {
        match group.codes[row] {
            Some(c) => by_code[c as usize].push(k),
            None => missing_group += 1,
        }
    }
    // Groups in byte order of their labels (BTreeMap), as the contract orders them.
    let mut members: std::collections::BTreeMap<String, Vec<usize>> = group
        .labels
        .iter()
        .cloned()
        .zip(by_code)
        .filter(|(_, rows)| !rows.is_empty())
        .collect();
    if missing_group > 0 {
        warnings.push(format!("{missing_group} respondents have no value in '{by}' and are left out of the group comparison only"));
    }
    if members.len() > MAX_GROUPS {
        return Err(crate::error::Error::Usage(format!(
            "'{by}' has {} different values; perval compares at most {MAX_GROUPS} groups\n  fix: check that --by names a grouping column (store, brand, wave), not an id or a score",
            members.len()
        )));
    }
    let small: Vec<String> = members
        .iter()
        .filter(|(_, m)| m.len() < 2)
        .map(|(g, _)| g.clone())
        .collect();
    if !small.is_empty() {
        warnings.push(format!(
            "group(s) {} of '{by}' have fewer than 2 respondents and are left out of the comparison (a group needs at least 2 for a standard deviation)",
            small.iter().map(|g| format!("'{g}'")).collect::<Vec<_>>().join(", ")
        ));
        for g in &small {
            members.remove(g);
        }
    }
    if members.len() < 2 {
        warnings.push(format!("'{by}' has fewer than 2 groups with at least 2 respondents: no group comparison is possible"));
        return Ok(None);
    }
    let names: Vec<String> = members.keys().cloned().collect();
    let mut dims = IndexMap::new();
    // The dimensions are compared on all cores; results are taken in dimension order.
    let comparisons: Vec<_> = (0..instrument.dimensions.len())
        .into_par_iter()
        .map(|d| {
            let data: Vec<Vec<f64>> = members
                .values()
                .map(|rows| {
                    rows.iter()
                        .map(|&k| scored.scores[(k, d)])
                        .filter(|v| !v.is_nan())
                        .collect()
                })
                .collect();
            groups::compare(&data)
        })
        .collect();
    for (dim, cmp) in instrument.dimensions.iter().zip(comparisons) {
        let cmp = match cmp {
            Ok(c) => c,
            Err(e) => {
                warnings.push(format!("groups could not be compared on '{}': {e}", dim.id));
                continue;
            }
        };
        let pair = |p: &groups::Pair| PairBlock {
            a: names[p.a].clone(),
            b: names[p.b].clone(),
            diff: p.diff,
            p_adj: p.p_adj,
        };
        dims.insert(
            dim.id.clone(),
            GroupDimension {
                groups: names
                    .iter()
                    .zip(&cmp.groups)
                    .map(|(g, s)| (g.clone(), GroupStatsBlock::from(s.clone())))
                    .collect(),
                anova: AnovaBlock {
                    f: cmp.anova.f,
                    df1: cmp.anova.df1,
                    df2: cmp.anova.df2,
                    p: cmp.anova.p,
                    eta2: cmp.anova.eta2,
                    omega2: cmp.anova.omega2,
                },
                welch: WelchBlock {
                    f: cmp.welch.f,
                    df1: cmp.welch.df1,
                    df2: cmp.welch.df2,
                    p: cmp.welch.p,
                },
                kruskal: KruskalBlock {
                    h: cmp.kruskal.h,
                    df: cmp.kruskal.df,
                    p: cmp.kruskal.p,
                },
                tukey: cmp.tukey.iter().map(pair).collect(),
                games_howell: cmp.games_howell.iter().map(pair).collect(),
                two_groups: cmp.two_groups.map(|t| TwoGroupsBlock {
                    welch_t: t.t,
                    welch_df: t.t_df,
                    welch_p: t.t_p,
                    mann_whitney_u: t.u,
                    mann_whitney_p: t.u_p,
                    mann_whitney_exact: t.u_exact,
                    hedges_g: t.hedges_g,
                }),
            },
        );
    }
    // Moments of each group, computed once: item descriptives, reliability and invariance all use them.
    let group_moments: Vec<Moments> = members
        .values()
        .map(|rows| match scored.policy {
            MissingPolicy::Listwise => Moments::complete_rows(&scored.items, Some(rows)),
            MissingPolicy::Pairwise => Moments::pairwise(&scored.items.select_rows(rows)),
        })
        .collect();

    // Items by group: n, mean, sd, se, t interval.
    let items: IndexMap<String, IndexMap<String, GroupStatsBlock>> = instrument
        .items
        .iter()
        .enumerate()
        .map(|(j, item)| {
            let per_group = members
                .keys()
                .zip(&group_moments)
                .map(|(g, m)| {
                    let s = groups::summarize(m.n_item[j], m.means[j], m.sds[j]);
                    (g.clone(), GroupStatsBlock::from(s.clone()))
                })
                .collect();
            (item.id.clone(), per_group)
        })
        .collect();

    // Reliability in each group: does the scale work in every store?
    let mut reliability_by_group = IndexMap::new();
    for ((g, rows), m) in members.iter().zip(&group_moments) {
        let mut per_dim = IndexMap::new();
        for dim in &instrument.dimensions {
            if dim.items.len() < 2 || rows.len() < 3 {
                continue;
            }
            match reliability::reliability(&m.select(&dim.items)) {
                Ok(rel) => {
                    if rel.alpha < thresholds::ALPHA_MIN {
                        warnings.push(format!("alpha of '{}' in {by} '{g}' is {} (below .70): the dimension is less reliable in this group", dim.id, apa(rel.alpha)));
                    }
                    per_dim.insert(
                        dim.id.clone(),
                        GroupReliabilityBlock {
                            n: rows.len(),
                            alpha: rel.alpha,
                            omega_total: rel.omega_total,
                        },
                    );
                }
                Err(e) => warnings.push(format!(
                    "reliability of '{}' in {by} '{g}' could not be computed: {e}",
                    dim.id
                )),
            }
        }
        reliability_by_group.insert(g.clone(), per_dim);
    }

    let listwise_moments =
        (scored.policy == MissingPolicy::Listwise).then_some(group_moments.as_slice());
    let invariance = invariance_block(instrument, scored, &members, listwise_moments, by, warnings);
    let item_distributions = members
        .iter()
        .map(|(g, rows)| {
            Some((
                g.clone(),
                item_counts(instrument, &scored.items, Some(rows))?,
            ))
        })
        .collect();
    Ok(Some(GroupsBlock {
        by: by.to_string(),
        missing_group,
        dimensions: dims,
        items,
        reliability: reliability_by_group,
        invariance,
        item_distributions,
    }))
}

/// Configural, metric and scalar invariance across the groups (complete rows only), with Chen's verdict.
fn invariance_block(
    instrument: &Instrument,
    scored: &Scored,
    members: &std::collections::BTreeMap<String, Vec<usize>>,
    complete_moments: Option<&[Moments]>,
    by: &str,
    warnings: &mut Vec<String>,
) -> Option<InvarianceBlock> {
    use crate::stats::invariance;
    let p = instrument.items.len();
    if instrument.dimensions.iter().any(|d| d.items.len() < 2) {
        return None;
    }
    let mut data = Vec::new();
    for (k, (g, rows)) in members.iter().enumerate() {
        if let Some(m) = complete_moments {
            // Listwise: every row of the group is complete and its moments are known.
            if m[k].n <= p {
                warnings.push(format!("measurement invariance was not tested: {by} '{g}' has {} complete respondents for {p} items (a group needs more respondents than items)", m[k].n));
                return None;
            }
            data.push(invariance::GroupData {
                n: m[k].n,
                means: m[k].means.clone(),
                cov: m[k].cov.clone(),
            });
            continue;
        }
        let complete: Vec<usize> = rows
            .iter()
            .copied()
            .filter(|&k| (0..p).all(|j| !scored.items.is_missing(k, j)))
            .collect();
        if complete.len() <= p {
            warnings.push(format!(
                "measurement invariance was not tested: {by} '{g}' has {} complete respondents for {p} items (a group needs more respondents than items)",
                complete.len()
            ));
            return None;
        }
        let m = Moments::complete_rows(&scored.items, Some(&complete));
        data.push(invariance::GroupData {
            n: complete.len(),
            means: m.means,
            cov: m.cov,
        });
    }
    let model = cfa::CfaModel {
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
            warnings.push(format!("measurement invariance could not be tested: {e}"));
            return None;
        }
    };
    if result.levels.iter().any(|l| !l.converged) {
        warnings.push("a multi-group CFA of the invariance tests did not converge: treat the invariance verdict with caution".into());
    }
    let verdict = match result.supported {
        invariance::Level::Scalar => format!("scalar invariance holds (Chen 2007: ΔCFI > −.010 and ΔRMSEA < .015 at each step): the {by} means of the dimensions can be compared"),
        invariance::Level::Metric => {
            warnings.push(format!("scalar invariance across '{by}' does not hold (Chen 2007): differences in dimension means may reflect item bias rather than perceived value; compare relationships, not means, or test partial invariance"));
            format!("metric invariance holds but scalar does not: compare relationships across {by}, not means")
        }
        invariance::Level::Configural => {
            warnings.push(format!("metric invariance across '{by}' does not hold (Chen 2007): the items relate to the dimensions differently in different groups; group comparisons of scores are questionable"));
            format!("only configural invariance holds across {by}: neither loadings nor means are comparable")
        }
    };
    let levels: IndexMap<String, InvarianceLevelBlock> = result
        .levels
        .iter()
        .enumerate()
        .map(|(k, l)| {
            let prev = (k > 0).then(|| &result.levels[k - 1]);
            (
                l.level.name().to_string(),
                InvarianceLevelBlock {
                    chisq: l.chisq,
                    df: l.df,
                    pvalue: l.pvalue,
                    cfi: l.cfi,
                    tli: l.tli,
                    rmsea: l.rmsea,
                    npar: l.npar,
                    delta_chisq: prev.map(|a| l.chisq - a.chisq),
                    delta_df: prev.map(|a| l.df - a.df),
                    delta_p: prev.map(|a| {
                        ChiSquared::new((l.df - a.df) as f64)
                            .map(|c| c.sf(l.chisq - a.chisq))
                            .unwrap_or(f64::NAN)
                    }),
                    delta_cfi: prev.map(|a| l.cfi - a.cfi),
                    delta_rmsea: prev.map(|a| l.rmsea - a.rmsea),
                    converged: l.converged,
                },
            )
        })
        .collect();
    Some(InvarianceBlock {
        levels,
        supported: result.supported.name(),
        verdict,
    })
}

/// Respondents per scale point of each item among `rows` (all when None), answers as given (before reverse
/// keying); None when the scale has no integer points or more than 21 of them.
fn item_counts(
    instrument: &Instrument,
    items: &Answers,
    rows: Option<&[usize]>,
) -> Option<IndexMap<String, Vec<usize>>> {
    let (lo, hi) = (instrument.scale.min, instrument.scale.max);
    if lo.fract() != 0.0 || hi.fract() != 0.0 || hi - lo > 20.0 {
        return None;
    }
    let points = (hi - lo) as usize + 1;
    let mut out = IndexMap::new();
    for (j, item) in instrument.items.iter().enumerate() {
        let mut counts = vec![0usize; points];
        for (v, count) in items.value_counts(j, rows) {
            let raw = if item.reverse { lo + hi - v } else { v };
            if raw.fract() != 0.0 {
                return None;
            }
            counts[(raw - lo) as usize] += count;
        }
        out.insert(item.id.clone(), counts);
    }
    Some(out)
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
            return Err(crate::error::Error::DegenerateItem {
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

/// APA style for a bounded statistic: two decimals, no leading zero (".78", "-.45").
pub fn apa(x: f64) -> String {
    let s = format!("{x:.2}");
    if let Some(rest) = s.strip_prefix("0.") {
        format!(".{rest}")
    } else if let Some(rest) = s.strip_prefix("-0.") {
        format!("-.{rest}")
    } else {
        s
    }
}
