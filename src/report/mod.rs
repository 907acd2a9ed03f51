//! The results of an analysis as plain serde data (schema "perval/1", see the README), and its renderers.
//! Nothing here computes: every number, interval, letter and verdict a renderer shows is in the [`Report`]
//! already, and each renderer is a pure function of it (terminal, Markdown, HTML, LaTeX and CSV tables).
//! [`folder`] writes the report folder. `report/` depends on nothing above it (not on `analysis/`).

pub mod document;
pub mod expectations;
pub mod flags;
pub mod folder;
pub mod kano;
pub mod needs;
pub mod needs_folder;
pub mod outline;
pub mod pls;
pub mod pls_prose;
pub mod pls_tables;
pub mod pls_text;
pub mod prose;
pub mod sem_prose;
pub mod sem_tables;
pub mod sem_text;
pub mod structural;
pub mod tables;
pub mod terminal;

use crate::criteria::{AlphaVerdict, FitVerdict};
use crate::findings::{Finding, InvarianceLevel};
use crate::instrument::Language;
use crate::stats::factor::Bartlett;
use crate::stats::groups::{Anova, GroupStats, Kruskal, Welch};
use crate::stats::quantiles::BoxStats;
use crate::stats::sem::FitIndices;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// Schema id written into every results file.
pub const SCHEMA: &str = "perval/1";

/// Everything `perval analyze` found.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub schema: String,
    pub perval_version: String,
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
    /// A structural model (`perval sem`, `analyze --model`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sem: Option<structural::SemBlock>,
    /// A PLS path model (`perval pls`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pls: Option<pls::PlsBlock>,
    /// Careless-response screening (`--screen`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub screening: Option<crate::screening::Screening>,
    /// The Kano analysis of the instrument's `[kano]` section (`analyze` on an instrument that has one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kano: Option<crate::analysis::kano::result::KanoBlock>,
    /// The zone of tolerance of the instrument's `[expectations]` section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expectations: Option<crate::analysis::expectations::result::ExpectationsBlock>,
    /// What the analysis noticed, as data (rendered in English as `warnings`).
    pub findings: Vec<Finding>,
    /// The findings in English (the contract's `warnings`).
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstrumentInfo {
    pub id: String,
    pub name: String,
    pub citation: Option<String>,
    /// "en" or "zh".
    pub language: Language,
    /// Scale bounds [min, max] and the labels of its points (may be empty).
    pub scale: [f64; 2],
    pub scale_labels: Vec<String>,
    /// Dimension id → label.
    pub dimension_labels: IndexMap<String, String>,
    /// Dimension id → label in the other language (from a built-in translation), for the other paragraph.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub translated_labels: IndexMap<String, String>,
    /// Dimension id → its items.
    pub dimension_items: IndexMap<String, Vec<String>>,
    /// Item id → text.
    pub item_texts: IndexMap<String, String>,
    pub reverse_keyed: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Settings {
    pub missing_policy: crate::scoring::MissingPolicy,
    /// Reverse-keyed items are scored (min + max) − x with these scale bounds.
    pub reverse_scoring: String,
    pub correlation: String,
    /// Rows the factor analyses (KMO, Bartlett, EFA, CFA, HTMT) use.
    pub factor_rows: String,
    pub efa_method: String,
    pub efa_rotation: String,
    pub efa_factors: usize,
    pub cfa_estimator: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bootstrap: Option<BootstrapSettings>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BootstrapSettings {
    pub replicates: usize,
    pub seed: u64,
    pub interval: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Input {
    pub file: String,
    pub rows_read: usize,
    pub rows_used: usize,
    pub rows_dropped: usize,
    pub missing_policy: crate::scoring::MissingPolicy,
    /// Missing answers per item among all rows read.
    pub missing_per_item: IndexMap<String, usize>,
    /// What was detected while reading: encoding, survey platform, items matched to differently named columns.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DimensionResult {
    pub label: String,
    pub items: Vec<String>,
    pub n: usize,
    pub mean: f64,
    pub sd: f64,
    /// 95% t interval of the mean.
    pub ci95: [f64; 2],
    /// Quartiles and whiskers of the dimension scores.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub box_plot: Option<BoxStats>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reliability: Option<ReliabilityBlock>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
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
    /// α judged by Nunnally (1978): low (< .70), acceptable, good (≥ .80).
    pub alpha_verdict: AlphaVerdict,
    pub items: IndexMap<String, ItemReliabilityBlock>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bootstrap: Option<BootstrapBlock>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ItemReliabilityBlock {
    pub mean: f64,
    pub sd: f64,
    pub r_drop: f64,
    /// null for a two-item dimension (one item has no alpha).
    pub alpha_if_deleted: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BootstrapBlock {
    pub replicates: usize,
    pub seed: u64,
    pub alpha_ci95: [f64; 2],
    pub omega_total_ci95: [f64; 2],
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Factorability {
    pub kmo: f64,
    pub kmo_items: IndexMap<String, f64>,
    pub bartlett: Bartlett,
    /// KMO ≥ .60 (Kaiser 1974) and Bartlett's p < .05.
    pub suitable: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ParallelBlock {
    pub basis: String,
    pub iterations: usize,
    pub seed: u64,
    pub percentile: f64,
    pub random_eigenvalues: Vec<f64>,
    pub suggested_factors: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EfaBlock {
    pub method: String,
    pub rotation: crate::stats::factor::Rotation,
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

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CfaBlock {
    pub estimator: String,
    /// "listwise" (complete rows) or "fiml" (every respondent, lavaan's missing = "ml").
    pub missing: String,
    /// Standard errors' information matrix: "expected" (complete data) or "observed" (FIML).
    pub information: String,
    /// Under FIML: the missing answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_data: Option<MissingSummary>,
    pub n: usize,
    pub fit: FitIndices,
    /// The fit judged by Hu & Bentler (1999).
    pub fit_verdict: FitVerdict,
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
    pub model: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub second_order_loadings_std: Option<IndexMap<String, f64>>,
    /// The largest modification indices (score tests, expected information, as lavaan::modindices).
    pub modification_indices: Vec<ModificationIndexBlock>,
    pub converged: bool,
    pub iterations: usize,
}

/// The missing answers under full-information ML.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MissingSummary {
    /// Respondents used (with at least one answer).
    pub respondents: usize,
    /// Respondents with no answer at all (left out).
    pub empty_left_out: usize,
    /// Share of missing answers among the respondents used.
    pub missing_share: f64,
    /// Missingness patterns.
    pub patterns: usize,
    /// The smallest share of respondents observing a pair of items (lavaan's coverage).
    pub min_coverage: f64,
}

impl MissingSummary {
    /// "Full-information ML on 600 respondents (1.0% of answers missing, 187 patterns, smallest coverage .57)".
    pub fn sentence(&self) -> String {
        format!(
            "Full-information ML on {} respondents ({:.1}% of answers missing, {} missingness patterns, smallest pairwise coverage {}{})",
            self.respondents,
            100.0 * self.missing_share,
            self.patterns,
            crate::apa::apa(self.min_coverage),
            if self.empty_left_out > 0 {
                format!("; {} respondents without any answer left out", self.empty_left_out)
            } else {
                String::new()
            }
        )
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModificationIndexBlock {
    pub lhs: String,
    pub op: String,
    pub rhs: String,
    pub mi: f64,
    pub epc: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GroupsBlock {
    pub by: String,
    /// What a group is, in words (`--group-label`, e.g. "restaurant" or "门店"); the column name otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
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

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GroupReliabilityBlock {
    pub n: usize,
    pub alpha: f64,
    pub omega_total: f64,
}

/// Configural, metric and scalar multi-group CFA (ML), each step judged by Chen (2007).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InvarianceBlock {
    pub levels: IndexMap<String, InvarianceLevelBlock>,
    /// Highest level supported.
    pub supported: InvarianceLevel,
    pub verdict: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
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

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GroupDimension {
    pub groups: IndexMap<String, GroupStatsBlock>,
    pub anova: Anova,
    pub welch: Welch,
    pub kruskal: Kruskal,
    pub tukey: Vec<PairBlock>,
    pub games_howell: Vec<PairBlock>,
    /// Compact letter display of the Tukey pairs (Piepho 2004): groups sharing a letter do not differ at
    /// p < .05; empty when no pair differs.
    pub letters: IndexMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub two_groups: Option<TwoGroupsBlock>,
}

/// Descriptives of one group: n, mean, sd, se, 95% t interval, and the box plot of its scores.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GroupStatsBlock {
    #[serde(flatten)]
    pub stats: GroupStats,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub box_plot: Option<BoxStats>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PairBlock {
    pub a: String,
    pub b: String,
    pub diff: f64,
    pub p_adj: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
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

impl std::ops::Deref for GroupStatsBlock {
    type Target = GroupStats;
    fn deref(&self) -> &GroupStats {
        &self.stats
    }
}

impl From<GroupStats> for GroupStatsBlock {
    fn from(stats: GroupStats) -> Self {
        GroupStatsBlock {
            stats,
            box_plot: None,
        }
    }
}

impl Report {
    /// The results file: pretty JSON, full f64 precision (NaN written as null).
    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).expect("report serialises") + "\n"
    }

    /// Add a finding, and its English sentence to `warnings`.
    pub fn add_finding(&mut self, f: Finding) {
        self.warnings.push(f.text(Language::En));
        self.findings.push(f);
    }

    /// The label of a dimension (its id when the instrument has none).
    pub fn dimension_label<'a>(&'a self, id: &'a str) -> &'a str {
        self.instrument
            .dimension_labels
            .get(id)
            .map(String::as_str)
            .unwrap_or(id)
    }

    /// A construct's label: the instrument dimension's of that name (PLS constructs carry it), else the
    /// dimension label or the name itself.
    pub fn construct_label<'a>(&'a self, id: &'a str) -> &'a str {
        self.pls
            .as_ref()
            .and_then(|p| p.constructs.get(id))
            .map(|c| c.label.as_str())
            .unwrap_or_else(|| self.dimension_label(id))
    }

    /// A construct's label for text in `lang`: its own, or its built-in translation's.
    pub fn construct_label_in<'a>(&'a self, id: &'a str, lang: Language) -> &'a str {
        let info = self.pls.as_ref().and_then(|p| p.constructs.get(id));
        match info {
            Some(c) if lang != self.language() => c.label_translated.as_deref().unwrap_or(&c.label),
            Some(c) => &c.label,
            None => self.dimension_label_in(id, lang),
        }
    }

    /// The dimension's label for text in `lang`: the instrument's own, or its built-in translation's.
    pub fn dimension_label_in<'a>(&'a self, id: &'a str, lang: Language) -> &'a str {
        if lang == self.language() {
            return self.dimension_label(id);
        }
        self.instrument
            .translated_labels
            .get(id)
            .map(String::as_str)
            .unwrap_or_else(|| self.dimension_label(id))
    }

    /// The language of the instrument (labels and the report's second paragraph).
    pub fn language(&self) -> Language {
        self.instrument.language
    }
}

impl GroupsBlock {
    /// The groups' noun for titles and prose: the `--group-label`, else the column name.
    pub fn noun(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.by)
    }
}
