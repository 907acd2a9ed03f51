//! The expectations family's part of the results, keyed as ../shared/CONTRACT.md ("Expectations: the zone of
//! tolerance") says.

use crate::stats::groups::{Anova, Kruskal, Welch};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// `expectations` in the results JSON.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExpectationsBlock {
    pub dimensions: IndexMap<String, Zone>,
    pub items: IndexMap<String, Zone>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<ExpectationGroups>,
}

/// The zone of tolerance of one item or dimension in one set of respondents.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Zone {
    /// Respondents complete on the three answers (of every item, for a dimension).
    pub n: usize,
    pub adequate: Option<f64>,
    pub desired: Option<f64>,
    pub perceived: Option<f64>,
    /// Mean of perceived − adequate (measure of service adequacy).
    pub msa: Option<f64>,
    /// Mean of perceived − desired (measure of service superiority).
    pub mss: Option<f64>,
    pub msa_ci95: Option<[f64; 2]>,
    pub mss_ci95: Option<[f64; 2]>,
    /// Share with perceived strictly below adequate.
    pub below_adequate: Option<f64>,
    /// Share with perceived strictly above desired.
    pub above_desired: Option<f64>,
    /// Mean of desired − adequate: the width of the zone.
    pub zone_width: Option<f64>,
}

/// `expectations.groups`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExpectationGroups {
    pub by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Group → dimension → zone (groups in text order).
    pub groups: IndexMap<String, IndexMap<String, Zone>>,
    /// Respondents without a group value (in `dimensions` and `items` only).
    pub no_group: usize,
    /// Dimension → the groups compared on MSA and on MSS (as `compare` compares dimension scores).
    pub comparisons: IndexMap<String, GapComparisons>,
}

/// A dimension's MSA and MSS compared across the groups.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GapComparisons {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub msa: Option<GapTest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mss: Option<GapTest>,
}

/// One-way ANOVA, Welch's F and Kruskal–Wallis of a gap, with the Games–Howell pairs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GapTest {
    pub anova: Anova,
    pub welch: Welch,
    pub kruskal: Kruskal,
    /// "<a> vs <b>" → (mean a − mean b, Games–Howell adjusted p).
    pub games_howell: IndexMap<String, PairDiff>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PairDiff {
    pub diff: f64,
    pub p_adj: f64,
}
