//! The sufficient statistics every section shares, computed once: moments under the missing-data policy
//! (reliability) and of the respondents complete on every item (factor analyses).

use crate::data::Answers;
use crate::instrument::Instrument;
use crate::scoring::{MissingPolicy, Scored};
use crate::stats::moments::Moments;

pub(super) struct Prepared<'a> {
    /// Item ids in instrument order.
    pub items: Vec<String>,
    /// Items of each dimension (indices).
    pub dim_items: Vec<Vec<usize>>,
    /// The respondents complete on every item. Under listwise deletion every used row is complete and no copy
    /// is made.
    complete_copy: Option<Answers>,
    scored_items: &'a Answers,
    /// Moments under the missing-data policy.
    pub policy: Moments,
    /// Moments of the complete rows.
    pub complete: Moments,
}

impl<'a> Prepared<'a> {
    pub fn new(instrument: &Instrument, scored: &'a Scored) -> Prepared<'a> {
        let p = instrument.items.len();
        let complete_copy = match scored.policy {
            MissingPolicy::Listwise => None,
            MissingPolicy::Pairwise | MissingPolicy::Fiml => {
                let rows: Vec<usize> = (0..scored.rows.len())
                    .filter(|&r| (0..p).all(|j| !scored.items.is_missing(r, j)))
                    .collect();
                Some(scored.items.select_rows(&rows))
            }
        };
        let policy = match scored.policy {
            MissingPolicy::Listwise => Moments::complete(&scored.items),
            // Reliability under FIML uses the pairwise moments (psych::alpha's default).
            MissingPolicy::Pairwise | MissingPolicy::Fiml => Moments::pairwise(&scored.items),
        };
        let complete = match &complete_copy {
            None => policy.clone(),
            Some(c) if c.nrows() > p => Moments::complete(c),
            Some(_) => policy.clone(),
        };
        Prepared {
            items: instrument.items.iter().map(|i| i.id.clone()).collect(),
            dim_items: instrument
                .dimensions
                .iter()
                .map(|d| d.items.clone())
                .collect(),
            complete_copy,
            scored_items: &scored.items,
            policy,
            complete,
        }
    }

    /// The answers of the complete rows.
    pub fn complete_answers(&self) -> &Answers {
        self.complete_copy.as_ref().unwrap_or(self.scored_items)
    }

    /// Enough complete respondents for the factor analyses (more than items).
    pub fn enough_for_factor_analysis(&self) -> bool {
        self.complete.n > self.items.len()
    }
}
