//! The PLS-SEM block of the report (`pls` in the results JSON; see the README).

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// A PLS path model as SmartPLS and seminr estimate it (PLSc with `--consistent`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlsBlock {
    /// "PLS" or "PLSc".
    pub algorithm: PlsAlgorithm,
    /// Inner weighting scheme: "path" (default), "factor" or "centroid".
    pub weighting: String,
    /// Weight updates made (seminr's `iterations` counts one fewer).
    pub iterations: usize,
    pub converged: bool,
    /// The stop rule: summed absolute weight change below `tolerance`, at most `max_iterations` updates.
    pub tolerance: f64,
    pub max_iterations: usize,
    /// The model file or built-in model.
    pub model: String,
    /// "listwise": the respondents who answered every indicator of the model.
    pub missing: String,
    pub n: usize,
    /// Construct → how it is measured.
    pub constructs: IndexMap<String, ConstructInfo>,
    /// Indicator → weight on its construct (each construct score has SD 1).
    pub outer_weights: IndexMap<String, f64>,
    /// Indicator → loading on its construct (PLSc: the consistent loading).
    pub outer_loadings: IndexMap<String, f64>,
    /// Indicator → construct → correlation with the construct score.
    pub cross_loadings: IndexMap<String, IndexMap<String, f64>>,
    /// Indicator → VIF among the indicators of its construct.
    pub outer_vif: IndexMap<String, f64>,
    /// `"<X> -> <Y>"` → path coefficient.
    pub paths: IndexMap<String, f64>,
    pub r2: IndexMap<String, f64>,
    pub r2_adj: IndexMap<String, f64>,
    /// Cohen's f² from the full model's construct correlations (SmartPLS's and cSEM's definition).
    pub f2: IndexMap<String, f64>,
    pub effects: Effects,
    /// `:=` parameters evaluated at the path coefficients.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub defined: IndexMap<String, f64>,
    pub reliability: IndexMap<String, ConstructReliability>,
    /// Original HTMT on absolute indicator correlations, each pair once (a before b in construct order).
    pub htmt: IndexMap<String, IndexMap<String, f64>>,
    /// Construct-score correlations (PLSc: disattenuated), each pair once; with √AVE the Fornell–Larcker
    /// criterion.
    pub construct_correlations: IndexMap<String, IndexMap<String, f64>>,
    /// Outcome → predictor → inner VIF.
    pub vif: IndexMap<String, IndexMap<String, f64>>,
    /// SRMR of the estimated model (SmartPLS): indicator correlations implied by the loadings and the
    /// structural model against the observed ones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub srmr: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bootstrap: Option<PlsBootstrap>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub predict: Option<PlsPredict>,
    /// Target → construct → importance and performance.
    pub ipma: IndexMap<String, IndexMap<String, IpmaPoint>>,
    /// With `--by`: group → target → construct → importance and performance, from the model estimated
    /// within each group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipma_groups: Option<IpmaGroups>,
}

impl PlsBlock {
    /// The inner VIF of the path `"<X> -> <Y>"` (NaN for an unknown path).
    pub fn path_vif(&self, path: &str) -> f64 {
        path.split_once(" -> ")
            .and_then(|(x, y)| self.vif.get(y).and_then(|v| v.get(x)))
            .copied()
            .unwrap_or(f64::NAN)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConstructInfo {
    /// The instrument dimension's label when the construct is named like one, else the name.
    pub label: String,
    /// The label in the other language (English ↔ Chinese), from a built-in translation of the instrument.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_translated: Option<String>,
    /// "A" (`=~`, correlation weights) or "B" (`<~`, regression weights).
    pub mode: String,
    pub indicators: Vec<String>,
    /// Measured by the instrument dimension of this name (no line of its own in the model).
    pub from_instrument: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Effects {
    /// Every pair joined by a directed chain: direct + indirect.
    pub total: IndexMap<String, f64>,
    /// Total indirect effects (total − direct), where not 0.
    pub indirect: IndexMap<String, f64>,
    /// `"<X> -> <M> -> <Y>"` → product of the chain's paths, for every chain of two or more paths.
    pub specific: IndexMap<String, f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConstructReliability {
    /// Cronbach's α of the standardized indicators.
    pub alpha: f64,
    pub rho_a: f64,
    pub rho_c: f64,
    pub ave: f64,
}

/// Bootstrap results.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlsBootstrap {
    pub resamples: usize,
    pub seed: u64,
    /// Resamples whose estimation succeeded.
    pub valid: usize,
    /// Resamples left out: a constant construct or a singular matrix in the resample.
    pub failed: usize,
    /// Why they failed: "constant construct", "singular matrix", "rho_a not positive" (PLSc) → count.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub failed_reasons: IndexMap<String, usize>,
    /// How the intervals are made.
    pub ci_method: String,
    pub paths: IndexMap<String, BootEstimate>,
    /// Total effects.
    pub total: IndexMap<String, BootEstimate>,
    /// Total indirect effects.
    pub indirect: IndexMap<String, BootEstimate>,
    /// Specific indirect effects (chains).
    pub specific: IndexMap<String, BootEstimate>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub defined: IndexMap<String, BootEstimate>,
    pub outer_loadings: IndexMap<String, BootEstimate>,
    pub outer_weights: IndexMap<String, BootEstimate>,
    /// A → B → HTMT with its one-sided test of HTMT < .85 and < .90 (each pair once, as `htmt`).
    pub htmt: IndexMap<String, IndexMap<String, HtmtBoot>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BootEstimate {
    /// The full-sample estimate.
    pub estimate: f64,
    /// Mean of the draws.
    pub mean: f64,
    /// SD of the draws (divisor B − 1).
    pub sd: f64,
    /// estimate / sd.
    pub t: f64,
    /// Two-sided p of t on B − 1 degrees of freedom.
    pub p: f64,
    /// Percentile interval: 2.5% and 97.5% quantiles of the draws (type 7).
    pub ci95: [f64; 2],
    /// Bias-corrected and accelerated interval (jackknife acceleration).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bca95: Option<[f64; 2]>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HtmtBoot {
    pub estimate: f64,
    pub sd: f64,
    pub ci95: [f64; 2],
    /// One-sided 95% upper bound: the 95% quantile of the draws.
    pub upper95: f64,
    /// Share of draws at or above .85 and .90: the one-sided p of H0 "HTMT ≥ threshold".
    pub p_below_085: f64,
    pub p_below_090: f64,
}

/// PLSpredict.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlsPredict {
    pub folds: usize,
    pub repetitions: usize,
    pub seed: u64,
    /// "earliest" (antecedents) or "direct".
    pub approach: String,
    /// "lm": each endogenous indicator regressed on all indicators of the exogenous constructs.
    pub benchmark: String,
    /// Endogenous indicator → errors.
    pub indicators: IndexMap<String, PredictRow>,
    /// Indicators where PLS's RMSE is below the linear model's (Shmueli et al. 2019).
    pub pls_better: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PredictRow {
    pub rmse: f64,
    pub mae: f64,
    pub lm_rmse: f64,
    pub lm_mae: f64,
    pub q2_predict: f64,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct IpmaPoint {
    /// Unstandardized total effect on the target.
    pub importance: f64,
    /// Mean construct score on 0..100 (the scale's bounds).
    pub performance: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IpmaGroups {
    pub by: String,
    pub target: String,
    /// Group → n used.
    pub n: IndexMap<String, usize>,
    /// Group → construct → point.
    pub maps: IndexMap<String, IndexMap<String, IpmaPoint>>,
}

/// PLS or consistent PLS (Dijkstra & Henseler 2015); "PLS" or "PLSc" in the results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlsAlgorithm {
    #[serde(rename = "PLS")]
    Pls,
    #[serde(rename = "PLSc")]
    Plsc,
}

impl PlsAlgorithm {
    pub fn name(self) -> &'static str {
        match self {
            PlsAlgorithm::Pls => "PLS",
            PlsAlgorithm::Plsc => "PLSc",
        }
    }

    pub fn is_consistent(self) -> bool {
        self == PlsAlgorithm::Plsc
    }
}

impl std::fmt::Display for PlsAlgorithm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
