//! The data layer the sections share, each part computed once and only when a section asks for it: moments
//! under the missing-data policy (reliability) and of the respondents complete on every item (factor
//! analyses), the model's columns, the answer counts per scale point, and the missingness patterns FIML
//! fits (with what the report says about them).

use super::Findings;
use crate::criteria;
use crate::data::Answers;
use crate::error::{Error, Result};
use crate::findings::Finding;
use crate::instrument::Instrument;
use crate::report::MissingSummary;
use crate::scoring::{MissingPolicy, Scored};
use crate::stats::moments::Moments;
use crate::stats::sem::fiml::MissingData;
use indexmap::IndexMap;
use std::cell::OnceCell;

pub(super) struct Prepared<'a> {
    /// Item ids in instrument order.
    pub items: Vec<String>,
    /// Items of each dimension (indices).
    pub dim_items: Vec<Vec<usize>>,
    scored: &'a Scored,
    /// The respondents complete on every item. Under listwise deletion every used row is complete and no copy
    /// is made (None).
    complete_copy: OnceCell<Option<Answers>>,
    policy: OnceCell<Moments>,
    complete: OnceCell<Moments>,
}

impl<'a> Prepared<'a> {
    pub fn new(instrument: &Instrument, scored: &'a Scored) -> Prepared<'a> {
        Prepared {
            items: instrument.items.iter().map(|i| i.id.clone()).collect(),
            dim_items: instrument
                .dimensions
                .iter()
                .map(|d| d.items.clone())
                .collect(),
            scored,
            complete_copy: OnceCell::new(),
            policy: OnceCell::new(),
            complete: OnceCell::new(),
        }
    }

    /// The answers of the complete rows.
    pub fn complete_answers(&self) -> &Answers {
        let s = self.scored;
        self.complete_copy
            .get_or_init(|| match s.policy {
                MissingPolicy::Listwise => None,
                MissingPolicy::Pairwise | MissingPolicy::Fiml => {
                    let p = self.items.len();
                    let rows: Vec<usize> = (0..s.rows.len())
                        .filter(|&r| (0..p).all(|j| !s.items.is_missing(r, j)))
                        .collect();
                    Some(s.items.select_rows(&rows))
                }
            })
            .as_ref()
            .unwrap_or(&s.items)
    }

    /// Moments under the missing-data policy.
    pub fn policy(&self) -> &Moments {
        self.policy.get_or_init(|| match self.scored.policy {
            MissingPolicy::Listwise => Moments::complete(&self.scored.items),
            // Reliability under FIML uses the pairwise moments (psych::alpha's default).
            MissingPolicy::Pairwise | MissingPolicy::Fiml => Moments::pairwise(&self.scored.items),
        })
    }

    /// Moments of the complete rows.
    pub fn complete(&self) -> &Moments {
        self.complete.get_or_init(|| {
            if self.scored.policy == MissingPolicy::Listwise {
                return self.policy().clone();
            }
            let c = self.complete_answers();
            if c.nrows() > self.items.len() {
                Moments::complete(c)
            } else {
                self.policy().clone()
            }
        })
    }

    /// Enough complete respondents for the factor analyses (more than items).
    pub fn enough_for_factor_analysis(&self) -> bool {
        self.complete().n > self.items.len()
    }
}

/// The columns of the named items in `scored.items` (the instrument's item order).
pub(super) fn item_columns(names: &[String], instrument: &Instrument) -> Result<Vec<usize>> {
    names
        .iter()
        .map(|name| {
            instrument
                .items
                .iter()
                .position(|i| &i.id == name)
                .ok_or_else(|| {
                    Error::Internal(format!("the model's variable '{name}' was not read"))
                })
        })
        .collect()
}

/// Respondents per scale point of each item among `rows` (all when None), answers as given (before reverse
/// keying); None when the scale has no integer points or more than 21 of them.
pub(super) fn item_counts(
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
    // Covariates (age, a dummy) are not answers on the scale: they have no answer distribution.
    for (j, item) in instrument
        .items
        .iter()
        .enumerate()
        .filter(|(_, i)| !i.covariate)
    {
        let mut counts = vec![0usize; points];
        for (v, count) in items.value_counts(j, rows) {
            let raw = if item.reverse { lo + hi - v } else { v };
            if raw.fract() != 0.0 || raw < lo || raw > hi {
                return None;
            }
            counts[(raw - lo) as usize] += count;
        }
        out.insert(item.id.clone(), counts);
    }
    Some(out)
}

/// [`item_counts`] of every group at once: `group_of[r]` is row r's group (`n_groups` or more: none). One
/// pass over each item's codes, items on all cores, instead of one gathered pass per group.
pub(super) fn item_counts_by_group(
    instrument: &Instrument,
    items: &Answers,
    group_of: &[u16],
    n_groups: usize,
) -> Vec<Option<IndexMap<String, Vec<usize>>>> {
    use rayon::prelude::*;
    let (lo, hi) = (instrument.scale.min, instrument.scale.max);
    if lo.fract() != 0.0 || hi.fract() != 0.0 || hi - lo > 20.0 {
        return vec![None; n_groups];
    }
    let points = (hi - lo) as usize + 1;
    // Per item: per group, the counts of each scale point (None: an answer that is no scale point).
    let per_item: Vec<Option<Vec<Vec<usize>>>> = instrument
        .items
        .par_iter()
        .enumerate()
        .map(|(j, item)| {
            if item.covariate {
                return Some(Vec::new());
            }
            let mut by_code = vec![[0usize; 256]; n_groups + 1];
            let values: Vec<f64> = match items.codes(j) {
                Some((codes, values)) => {
                    for (r, &c) in codes.iter().enumerate() {
                        by_code[(group_of[r] as usize).min(n_groups)][c as usize] += 1;
                    }
                    values.to_vec()
                }
                None => return None,
            };
            let mut out = vec![vec![0usize; points]; n_groups];
            for (g, counts) in out.iter_mut().enumerate() {
                for (c, &v) in values.iter().enumerate().skip(1) {
                    let k = by_code[g][c];
                    if k == 0 {
                        continue;
                    }
                    let raw = if item.reverse { lo + hi - v } else { v };
                    if raw.fract() != 0.0 || raw < lo || raw > hi {
                        return None;
                    }
                    counts[(raw - lo) as usize] += k;
                }
            }
            Some(out)
        })
        .collect();
    (0..n_groups)
        .map(|g| {
            instrument
                .items
                .iter()
                .zip(&per_item)
                .filter(|(item, _)| !item.covariate)
                .map(|(item, counts)| Some((item.id.clone(), counts.as_ref()?[g].clone())))
                .collect()
        })
        .collect()
}

/// The scored answers as missingness patterns (every respondent with an answer).
pub(super) fn missing_data(scored: &Scored) -> MissingData {
    let items = &scored.items;
    // A missing answer reads as NaN.
    MissingData::from_rows(items.nrows(), items.ncols(), |r, j| items.value(r, j))
}

/// What the report says about the missing answers under FIML.
pub(super) fn missing_summary(m: &MissingData) -> MissingSummary {
    MissingSummary {
        respondents: m.n,
        empty_left_out: m.empty,
        missing_share: m.missing_share,
        patterns: m.patterns.len(),
        min_coverage: m.min_coverage,
    }
}

/// Low coverage of a pair of items is a finding (lavaan warns below 10%).
pub(super) fn missing_findings(m: &MissingData, findings: &mut Findings) {
    if m.min_coverage < criteria::COVERAGE_MIN.value {
        findings.push(Finding::LowCoverage {
            coverage: m.min_coverage,
        });
    }
}
