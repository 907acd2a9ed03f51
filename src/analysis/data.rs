//! The sufficient statistics the sections share, each computed once and only when a section asks for it:
//! moments under the missing-data policy (reliability) and of the respondents complete on every item (factor
//! analyses).

use crate::data::Answers;
use crate::instrument::Instrument;
use crate::scoring::{MissingPolicy, Scored};
use crate::stats::moments::Moments;
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
