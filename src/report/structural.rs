//! The structural-model block of the report (`sem` in the results JSON; see the README).

use crate::stats::sem::FitIndices;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// A structural model estimated by ML, as lavaan::sem.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SemBlock {
    /// "ML".
    pub estimator: String,
    /// "listwise" (or "fiml").
    pub missing: String,
    /// "expected": standard errors from the expected information.
    pub information: String,
    /// The model file or built-in model.
    pub model: String,
    pub n: usize,
    /// Under FIML: the missing answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_data: Option<crate::report::MissingSummary>,
    pub converged: bool,
    pub iterations: usize,
    pub fit: SemFit,
    /// The fit judged by Hu & Bentler (1999).
    pub fit_verdict: crate::criteria::FitVerdict,
    /// `"<X> -> <Y>"`: the regression of Y on X.
    pub regressions: IndexMap<String, Estimate>,
    /// Each indicator's loading on its factor (a second-order factor's loadings keyed by the first-order
    /// factors' names): est, se, z, p, interval and std.all; a marker's se, z and p are null (fixed at 1).
    pub loadings: IndexMap<String, Estimate>,
    /// std.all loading of each indicator on its factor.
    pub loadings_std: IndexMap<String, f64>,
    /// Reliability and discriminant validity of the model's own factors (a paper's first table).
    #[serde(flatten)]
    pub measurement: SemMeasurement,
    /// The model's structure for the diagram and the tables: second-order factors and their first-order
    /// factors, and the observed variables of the structural part (covariates, observed outcomes).
    pub structure: SemStructure,
    /// R² of every endogenous latent variable.
    pub r2: IndexMap<String, f64>,
    /// `:=` parameters: delta-method se and interval, std.all from the standardized parameters.
    pub defined: IndexMap<String, DefinedEstimate>,
    /// Every parameter, as lavaan's parameterEstimates lists them.
    pub parameters: Vec<ParameterRow>,
    /// The largest modification indices.
    pub modification_indices: Vec<ModificationRow>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bootstrap: Option<SemBootstrap>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<SemGroups>,
    /// `--ci monte-carlo`: Monte Carlo intervals of the defined parameters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monte_carlo: Option<MonteCarloCi>,
    /// `--compare`: the alternative model and the comparison.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparison: Option<ModelComparison>,
}

/// Monte Carlo intervals of the defined parameters (semTools' monteCarloCI).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MonteCarloCi {
    pub draws: usize,
    pub seed: u64,
    /// Defined parameter → [2.5%, 97.5%] quantiles of its draws.
    pub defined: IndexMap<String, [f64; 2]>,
}

/// A second model fitted to the same data, compared with the first (Δ = alternative − model).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelComparison {
    /// The alternative model's file or built-in id.
    pub model: String,
    pub converged: bool,
    pub fit: SemFit,
    pub regressions: IndexMap<String, Estimate>,
    /// χ²(more restricted) − χ²(less restricted) on the df difference (lavTestLRT); meaningful only when
    /// one model is nested in the other. Null when the df are equal or the fit did not converge.
    pub test: Option<DiffTest>,
    /// The model with more df (the more restricted one); null when the df are equal.
    pub restricted: Option<String>,
    pub delta_cfi: f64,
    pub delta_rmsea: f64,
    pub delta_aic: f64,
    pub delta_bic: f64,
    /// The model with the lower AIC and BIC (null when the alternative did not converge).
    pub lower_aic: Option<String>,
    pub lower_bic: Option<String>,
}

/// Fit indices with lavaan's names for the likelihoods.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SemFit {
    #[serde(flatten)]
    pub indices: FitIndices,
    /// The model's log-likelihood (= `loglik`).
    pub logl: f64,
    /// The saturated model's log-likelihood.
    pub unrestricted_logl: f64,
}

/// One estimate with its standard error and test.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Estimate {
    pub est: f64,
    pub se: f64,
    pub z: f64,
    pub p: f64,
    /// Wald interval est ± 1.96 se.
    pub ci95: [f64; 2],
    pub std_all: f64,
}

/// Composite reliability, AVE and discriminant validity of a structural model's factors, from its
/// standardized loadings (as `cfa` computes them for the instrument's dimensions).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SemMeasurement {
    /// (Σλ)² / ((Σλ)² + Σ(1 − λ²)), λ the std.all loadings; for a second-order factor λ are its standardized
    /// loadings on the first-order factors (the literature's second-order CR).
    pub composite_reliability: IndexMap<String, f64>,
    /// mean(λ²), the same λ.
    pub ave: IndexMap<String, f64>,
    /// The model-implied correlations of the first-order factors (each pair once).
    pub factor_correlations: IndexMap<String, IndexMap<String, f64>>,
    /// HTMT of each pair of first-order factors from the item correlations of the rows used (original HTMT,
    /// absolute correlations), as semTools::htmt.
    pub htmt: IndexMap<String, IndexMap<String, f64>>,
    /// Fornell–Larcker: √AVE on the diagonal, factor correlations below it.
    pub fornell_larcker: IndexMap<String, IndexMap<String, f64>>,
}

/// What kind each variable of a structural model is.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SemStructure {
    /// Second-order factor → its first-order factors.
    pub second_order: IndexMap<String, Vec<String>>,
    /// Observed variables of the structural part: covariates (fixed.x) and observed outcomes.
    pub observed: Vec<String>,
    /// The exogenous observed covariates, whose variances and covariances are fixed at the sample values.
    pub covariates: Vec<String>,
}

/// A defined parameter.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DefinedEstimate {
    #[serde(flatten)]
    pub estimate: Estimate,
    /// The expression as written.
    pub formula: String,
}

/// A row of the parameter table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ParameterRow {
    pub lhs: String,
    pub op: String,
    pub rhs: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub free: bool,
    pub est: f64,
    /// null for a fixed parameter.
    pub se: Option<f64>,
    pub z: Option<f64>,
    pub p: Option<f64>,
    pub ci95: Option<[f64; 2]>,
    pub std_all: f64,
}

/// A fixed parameter that could be freed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModificationRow {
    pub lhs: String,
    pub op: String,
    pub rhs: String,
    pub mi: f64,
    pub epc: f64,
}

/// Percentile bootstrap of the whole fit.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SemBootstrap {
    pub resamples: usize,
    pub seed: u64,
    /// Resamples whose fit converged (the intervals rest on these).
    pub valid: usize,
    /// Resamples whose fit did not converge (left out, as lavaan does).
    pub failed: usize,
    /// Converged resamples with a negative variance estimate (kept, as lavaan keeps them).
    pub nonadmissible: usize,
    /// "percentile".
    pub ci_method: String,
    pub regressions: IndexMap<String, BootInterval>,
    pub defined: IndexMap<String, BootInterval>,
}

/// A bootstrap standard error and percentile interval.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BootInterval {
    /// Mean of the resampled estimates.
    pub mean: f64,
    pub se: f64,
    pub ci95: [f64; 2],
    /// Percentile interval of the std.all value refitted in each resample.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub std_ci95: Option<[f64; 2]>,
}

/// Paths compared across groups (`--by`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SemGroups {
    pub by: String,
    pub groups: Vec<String>,
    pub n: IndexMap<String, usize>,
    pub models: IndexMap<String, GroupModel>,
    pub tests: IndexMap<String, DiffTest>,
    pub path_tests: IndexMap<String, DiffTest>,
    /// Group → `"<X> -> <Y>"` → estimate, in the metric model.
    pub regressions: IndexMap<String, IndexMap<String, Estimate>>,
    pub r2: IndexMap<String, IndexMap<String, f64>>,
    /// Group → factor → latent mean in the scalar model (the first group fixed at 0, written `{"est": 0}`);
    /// for an endogenous factor its intercept.
    pub latent_means: IndexMap<String, IndexMap<String, LatentMean>>,
    /// Item → score test of releasing its intercept equalities in the scalar model (lavTestScore).
    pub intercept_tests: IndexMap<String, InterceptTest>,
    /// The items whose intercepts are free in every group (`--partial`).
    pub partial: Vec<String>,
    /// What a group is, in words (`--group-label`); the column name when not given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

impl SemGroups {
    /// The groups' noun for titles and prose.
    pub fn noun(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.by)
    }
}

/// A latent mean against the first group.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LatentMean {
    pub est: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub se: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub z: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p: Option<f64>,
    /// The mean over the pooled latent SD (√ of the n-weighted mean of the groups' factor variances).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub d: Option<f64>,
}

/// A score test of an item's intercept equalities.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InterceptTest {
    pub chisq: f64,
    pub df: usize,
    pub p: f64,
    /// Group → the test of "intercept in this group = intercept in the first group" alone (df 1).
    pub by_group: IndexMap<String, ScoreTest>,
}

/// One score test.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScoreTest {
    pub chisq: f64,
    pub df: usize,
    pub p: f64,
}

impl From<DiffTest> for ScoreTest {
    fn from(t: DiffTest) -> ScoreTest {
        ScoreTest {
            chisq: t.chisq_diff,
            df: t.df_diff,
            p: t.p,
        }
    }
}

/// One multi-group model.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GroupModel {
    pub converged: bool,
    pub fit: SemFit,
    /// Each group's share of χ² (n_g · F_g).
    pub chisq_by_group: IndexMap<String, f64>,
}

/// A χ² difference test.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DiffTest {
    pub chisq_diff: f64,
    pub df_diff: usize,
    pub p: f64,
}
