//! The results of an analysis as plain serde data (schema "perval/1", see the README), and its renderers.
//! Nothing here computes: renderers only format a finished [`Report`].

pub mod document;
pub mod flags;
pub mod prose;
pub mod tables;
pub mod terminal;

use indexmap::IndexMap;
use serde::Serialize;

/// Schema id written into every results file.
pub const SCHEMA: &str = "perval/1";

/// Everything `perval analyze` found.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub perval_version: &'static str,
    pub instrument: InstrumentInfo,
    /// Every default that changes a number.
    pub settings: Settings,
    pub input: Input,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub dimensions: IndexMap<String, DimensionResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub factorability: Option<Factorability>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eigenvalues: Option<Vec<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parallel_analysis: Option<ParallelBlock>,
    /// The item correlation matrix behind the factor analyses (instrument item order).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_correlations: Option<Vec<Vec<f64>>>,
    /// Item → counts of each scale point (as answered, before reverse keying), for integer scales.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_distributions: Option<IndexMap<String, Vec<usize>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub efa: Option<EfaBlock>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cfa: Option<CfaBlock>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<GroupsBlock>,
    /// Careless-response screening (`--screen`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub screening: Option<crate::screening::Screening>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct InstrumentInfo {
    pub id: String,
    pub name: String,
    pub citation: Option<String>,
    pub language: &'static str,
    /// Scale bounds [min, max] and the labels of its points (may be empty).
    pub scale: [f64; 2],
    pub scale_labels: Vec<String>,
    /// Dimension id → label.
    pub dimension_labels: IndexMap<String, String>,
    /// Dimension id → its items.
    pub dimension_items: IndexMap<String, Vec<String>>,
    /// Item id → text.
    pub item_texts: IndexMap<String, String>,
    pub reverse_keyed: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    pub missing_policy: &'static str,
    /// Reverse-keyed items are scored (min + max) − x with these scale bounds.
    pub reverse_scoring: String,
    pub correlation: &'static str,
    /// Rows the factor analyses (KMO, Bartlett, EFA, CFA, HTMT) use.
    pub factor_rows: String,
    pub efa_method: &'static str,
    pub efa_rotation: &'static str,
    pub efa_factors: usize,
    pub cfa_estimator: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bootstrap: Option<BootstrapSettings>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BootstrapSettings {
    pub replicates: usize,
    pub seed: u64,
    pub interval: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Input {
    pub file: String,
    pub rows_read: usize,
    pub rows_used: usize,
    pub rows_dropped: usize,
    pub missing_policy: &'static str,
    /// Missing answers per item among all rows read.
    pub missing_per_item: IndexMap<String, usize>,
    /// What was detected while reading: encoding, survey platform, items matched to differently named columns.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DimensionResult {
    pub label: String,
    pub items: Vec<String>,
    pub n: usize,
    pub mean: f64,
    pub sd: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reliability: Option<ReliabilityBlock>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReliabilityBlock {
    pub alpha: f64,
    pub alpha_std: f64,
    /// With --cor polychoric: standardized alpha of the polychoric correlations (Zumbo et al. 2007).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ordinal_alpha: Option<f64>,
    pub alpha_ci95_feldt: [f64; 2],
    pub lambda6: f64,
    pub average_r: f64,
    pub omega_total: f64,
    pub items: IndexMap<String, ItemReliabilityBlock>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bootstrap: Option<BootstrapBlock>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemReliabilityBlock {
    pub mean: f64,
    pub sd: f64,
    pub r_drop: f64,
    /// null for a two-item dimension (one item has no alpha).
    pub alpha_if_deleted: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BootstrapBlock {
    pub replicates: usize,
    pub seed: u64,
    pub alpha_ci95: [f64; 2],
    pub omega_total_ci95: [f64; 2],
}

#[derive(Debug, Clone, Serialize)]
pub struct Factorability {
    pub kmo: f64,
    pub kmo_items: IndexMap<String, f64>,
    pub bartlett: BartlettBlock,
}

#[derive(Debug, Clone, Serialize)]
pub struct BartlettBlock {
    pub chi2: f64,
    pub df: usize,
    pub p: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ParallelBlock {
    pub basis: &'static str,
    pub iterations: usize,
    pub seed: u64,
    pub percentile: f64,
    pub random_eigenvalues: Vec<f64>,
    pub suggested_factors: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct EfaBlock {
    pub method: &'static str,
    pub rotation: &'static str,
    pub n_factors: usize,
    pub loadings: IndexMap<String, Vec<f64>>,
    pub communalities: IndexMap<String, f64>,
    pub uniquenesses: IndexMap<String, f64>,
    pub factor_correlations: Vec<Vec<f64>>,
    /// Variance accounted for per factor, diag(Φ LᵀL), and as a share of the items.
    pub ss_loadings: Vec<f64>,
    pub proportion_var: Vec<f64>,
    pub converged: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct CfaBlock {
    pub estimator: &'static str,
    pub n: usize,
    pub fit: CfaFitBlock,
    pub loadings: IndexMap<String, f64>,
    pub loadings_std: IndexMap<String, f64>,
    pub residual_variances_std: IndexMap<String, f64>,
    pub factor_correlations: IndexMap<String, IndexMap<String, f64>>,
    pub composite_reliability: IndexMap<String, f64>,
    pub ave: IndexMap<String, f64>,
    /// Original HTMT (Henseler et al. 2015): arithmetic means of absolute correlations.
    pub htmt: IndexMap<String, IndexMap<String, f64>>,
    /// Fornell–Larcker: √AVE on the diagonal, factor correlations below it.
    pub fornell_larcker: IndexMap<String, IndexMap<String, f64>>,
    /// "correlated factors" or "second-order".
    pub model: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub second_order_loadings_std: Option<IndexMap<String, f64>>,
    /// The largest modification indices (score tests, expected information, as lavaan::modindices).
    pub modification_indices: Vec<ModificationIndexBlock>,
    pub converged: bool,
    pub iterations: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ModificationIndexBlock {
    pub lhs: String,
    pub op: &'static str,
    pub rhs: String,
    pub mi: f64,
    pub epc: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CfaFitBlock {
    pub chisq: f64,
    pub df: usize,
    pub pvalue: f64,
    pub cfi: f64,
    pub tli: f64,
    pub rmsea: f64,
    pub rmsea_ci90: [f64; 2],
    pub srmr: f64,
    pub aic: f64,
    pub bic: f64,
    pub loglik: f64,
    pub npar: usize,
    pub baseline_chisq: f64,
    pub baseline_df: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupsBlock {
    pub by: String,
    /// Respondents left out of the group comparison because their group value is missing.
    pub missing_group: usize,
    pub dimensions: IndexMap<String, GroupDimension>,
    /// Item → group → descriptives.
    pub items: IndexMap<String, IndexMap<String, GroupStatsBlock>>,
    /// Group → dimension → alpha and omega in that group.
    pub reliability: IndexMap<String, IndexMap<String, GroupReliabilityBlock>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invariance: Option<InvarianceBlock>,
    /// Group → item → respondents per scale point (answers as given), as the top-level `item_distributions`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_distributions: Option<IndexMap<String, IndexMap<String, Vec<usize>>>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupReliabilityBlock {
    pub n: usize,
    pub alpha: f64,
    pub omega_total: f64,
}

/// Configural, metric and scalar multi-group CFA (ML), each step judged by Chen (2007).
#[derive(Debug, Clone, Serialize)]
pub struct InvarianceBlock {
    pub levels: IndexMap<String, InvarianceLevelBlock>,
    /// Highest level supported: "configural", "metric" or "scalar".
    pub supported: &'static str,
    pub verdict: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct InvarianceLevelBlock {
    pub chisq: f64,
    pub df: usize,
    pub pvalue: f64,
    pub cfi: f64,
    pub tli: f64,
    /// lavaan's multi-group RMSEA (× sqrt(number of groups)).
    pub rmsea: f64,
    pub npar: usize,
    /// Change from the previous level (χ² difference test, ΔCFI, ΔRMSEA); absent for configural.
    pub delta_chisq: Option<f64>,
    pub delta_df: Option<usize>,
    pub delta_p: Option<f64>,
    pub delta_cfi: Option<f64>,
    pub delta_rmsea: Option<f64>,
    pub converged: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupDimension {
    pub groups: IndexMap<String, GroupStatsBlock>,
    pub anova: AnovaBlock,
    pub welch: WelchBlock,
    pub kruskal: KruskalBlock,
    pub tukey: Vec<PairBlock>,
    pub games_howell: Vec<PairBlock>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub two_groups: Option<TwoGroupsBlock>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupStatsBlock {
    pub n: usize,
    pub mean: f64,
    pub sd: f64,
    pub se: f64,
    pub ci95: [f64; 2],
}

#[derive(Debug, Clone, Serialize)]
pub struct AnovaBlock {
    #[serde(rename = "F")]
    pub f: f64,
    pub df1: usize,
    pub df2: usize,
    pub p: f64,
    pub eta2: f64,
    pub omega2: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct WelchBlock {
    #[serde(rename = "F")]
    pub f: f64,
    pub df1: f64,
    pub df2: f64,
    pub p: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct KruskalBlock {
    #[serde(rename = "H")]
    pub h: f64,
    pub df: usize,
    pub p: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PairBlock {
    pub a: String,
    pub b: String,
    pub diff: f64,
    pub p_adj: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TwoGroupsBlock {
    pub welch_t: f64,
    pub welch_df: f64,
    pub welch_p: f64,
    pub mann_whitney_u: f64,
    pub mann_whitney_p: f64,
    /// Whether the p is exact (fewer than 50 per group, no ties) rather than the normal approximation.
    pub mann_whitney_exact: bool,
    pub hedges_g: f64,
}

impl EfaBlock {
    /// Items sorted as psych's fa.sort prints them: by the factor of their largest absolute loading, then by
    /// the size of that loading.
    pub fn sorted_items(&self) -> Vec<(&String, &Vec<f64>)> {
        let main = |l: &Vec<f64>| {
            l.iter()
                .enumerate()
                .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
                .map(|(k, v)| (k, v.abs()))
                .unwrap_or((0, 0.0))
        };
        let mut items: Vec<(&String, &Vec<f64>)> = self.loadings.iter().collect();
        items.sort_by(|a, b| {
            let (fa, va) = main(a.1);
            let (fb, vb) = main(b.1);
            fa.cmp(&fb).then(vb.total_cmp(&va))
        });
        items
    }
}

impl From<crate::stats::groups::GroupStats> for GroupStatsBlock {
    fn from(s: crate::stats::groups::GroupStats) -> Self {
        GroupStatsBlock {
            n: s.n,
            mean: s.mean,
            sd: s.sd,
            se: s.se,
            ci95: s.ci95,
        }
    }
}

impl Report {
    /// The results file: pretty JSON, full f64 precision (NaN written as null).
    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).expect("report serialises") + "\n"
    }
}
