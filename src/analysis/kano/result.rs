//! The Kano family's part of the results: plain serde data, keyed as ../shared/CONTRACT.md ("Kano
//! questionnaires") says, with extra keys around the contract's.

use crate::stats::kano::{self as classify, Class, Tally};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// `kano` in the results JSON.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KanoBlock {
    /// "standard" or "pouliot".
    pub table: String,
    pub attributes: IndexMap<String, AttributeResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<KanoGroups>,
    /// Where the Kano map's quadrant lines are: [|Worse|, Better] — 0.5 each (the convention), or the means
    /// over the attributes (`--quadrants means`).
    pub map_lines: [f64; 2],
}

/// The six class counts, every class written (zeros too).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[allow(non_snake_case)]
pub struct Counts<T> {
    pub A: T,
    pub O: T,
    pub M: T,
    pub I: T,
    pub R: T,
    pub Q: T,
}

impl<T: Copy> Counts<T> {
    pub fn from_array(v: [T; 6]) -> Counts<T> {
        Counts {
            A: v[0],
            O: v[1],
            M: v[2],
            I: v[3],
            R: v[4],
            Q: v[5],
        }
    }

    pub fn get(&self, c: Class) -> T {
        [self.A, self.O, self.M, self.I, self.R, self.Q][c.index()]
    }
}

/// Fong's (1996) test of the two most frequent classes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Fong {
    pub a: u64,
    pub b: u64,
    pub critical: Option<f64>,
    pub significant: bool,
}

/// One attribute's statistics in one set of respondents.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AttributeResult {
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dimension: Option<String>,
    /// Respondents who answered both questions.
    pub n: u64,
    pub counts: Counts<u64>,
    /// counts / n.
    pub shares: Option<Counts<f64>>,
    /// The mode; ties M > O > A > I > R > Q.
    pub category: Option<Class>,
    /// A + O + M > I + R + Q: the largest of M, O, A; else of I, R, Q (each in that tie order).
    pub category_grouped: Option<Class>,
    pub better: Option<f64>,
    pub worse: Option<f64>,
    /// Wilson score interval of (A + O) / (A + O + M + I).
    pub better_ci95: Option<[f64; 2]>,
    /// The negated Wilson score interval of (O + M) / (A + O + M + I).
    pub worse_ci95: Option<[f64; 2]>,
    pub category_strength: Option<f64>,
    pub total_strength: Option<f64>,
    pub fong: Fong,
    pub functional_mean: Option<f64>,
    pub functional_sd: Option<f64>,
    pub dysfunctional_mean: Option<f64>,
    pub dysfunctional_sd: Option<f64>,
    /// Mean self-stated importance over those who answered it (absent when the attribute has no column).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub importance: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub importance_sd: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub importance_n: Option<u64>,
}

impl AttributeResult {
    /// The statistics of a tally; `importance`: whether the attribute has an importance column.
    pub fn from_tally(
        label: &str,
        dimension: Option<&str>,
        t: &Tally,
        importance: bool,
    ) -> AttributeResult {
        let n = t.n();
        let base = t.better_worse_base();
        let (a, b, critical, significant) = t.fong();
        let (functional_mean, functional_sd) = classify::mean_sd(n, t.functional.0, t.functional.1);
        let (dysfunctional_mean, dysfunctional_sd) =
            classify::mean_sd(n, t.dysfunctional.0, t.dysfunctional.1);
        let (imp_mean, imp_sd) = classify::mean_sd(t.importance.0, t.importance.1, t.importance.2);
        AttributeResult {
            label: label.to_string(),
            dimension: dimension.map(String::from),
            n,
            counts: Counts::from_array(t.counts),
            shares: (n > 0).then(|| Counts::from_array(t.counts.map(|c| c as f64 / n as f64))),
            category: t.category(),
            category_grouped: t.category_grouped(),
            better: t.better(),
            worse: t.worse(),
            better_ci95: classify::wilson(t.count(Class::A) + t.count(Class::O), base),
            worse_ci95: classify::wilson(t.count(Class::O) + t.count(Class::M), base)
                .map(|[lo, hi]| [-hi, -lo]),
            category_strength: t.category_strength(),
            total_strength: t.total_strength(),
            fong: Fong {
                a,
                b,
                critical: critical.is_finite().then_some(critical),
                significant,
            },
            functional_mean,
            functional_sd,
            dysfunctional_mean,
            dysfunctional_sd,
            importance: if importance { imp_mean } else { None },
            importance_sd: if importance { imp_sd } else { None },
            importance_n: importance.then_some(t.importance.0),
        }
    }

    /// Whether the mode and the grouped rule name different classes (both are then shown).
    pub fn rules_disagree(&self) -> bool {
        self.category.is_some() && self.category != self.category_grouped
    }
}

/// `kano.groups`: the same statistics per group, the tests across groups and the pairwise differences.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KanoGroups {
    pub by: String,
    /// What a group is, in words (`--group-label`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Group → attribute → statistics (groups in text order).
    pub groups: IndexMap<String, IndexMap<String, AttributeResult>>,
    /// Respondents per group.
    pub n: IndexMap<String, usize>,
    /// Respondents with an empty group value: in `attributes`, in no group and in no test.
    pub no_group: usize,
    /// Attribute → the χ² test of its A/O/M/I distribution across the groups (null when the table has fewer
    /// than 2 rows or columns).
    pub tests: IndexMap<String, Option<GroupTest>>,
    /// Attribute → "<a> vs <b>" → the differences of Better and Worse.
    pub differences: IndexMap<String, IndexMap<String, Difference>>,
}

/// Pearson's χ² test of groups × (A, O, M, I), no continuity correction.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GroupTest {
    pub chisq: f64,
    pub df: u64,
    pub p: f64,
    pub cramers_v: f64,
    /// The classes and groups the table kept (classes or groups empty throughout are left out).
    pub classes: Vec<Class>,
    pub groups: Vec<String>,
    /// The smallest expected count.
    pub min_expected: f64,
    /// With an expected count below 5: the Monte Carlo p of R's `chisq.test(simulate.p.value = TRUE)`
    /// ((1 + #{χ²* ≥ χ²}) / (B + 1) over tables with the observed margins).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_monte_carlo: Option<f64>,
}

/// Better and Worse of group a minus group b, with Newcombe's hybrid score intervals.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Difference {
    pub better: Option<f64>,
    pub better_ci95: Option<[f64; 2]>,
    pub worse: Option<f64>,
    pub worse_ci95: Option<[f64; 2]>,
}
