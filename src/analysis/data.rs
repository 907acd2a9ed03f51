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
