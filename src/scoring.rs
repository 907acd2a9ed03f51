//! Reverse keying, the missing-data policy and dimension scores.
//!
//! Reverse-keyed items are scored `(scale.min + scale.max) − x` with the instrument's bounds. (psych's
//! `reverse.code` uses the observed minimum and maximum instead, which differs when nobody chose an end
//! point of the scale.)
//!
//! ```
//! let inst = perval::instrument::builtin("perval-19").unwrap();
//! assert_eq!(perval::scoring::reverse(&inst, 3.0), 5.0);
//! ```

use crate::data::{Answers, Responses};
use crate::error::{Error, Result};
use crate::instrument::Instrument;
use crate::stats::moments::{Columns, Rows};
use nalgebra::DMatrix;
use rayon::prelude::*;
use std::path::Path;

/// How respondents with missing answers are handled.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum MissingPolicy {
    /// A respondent missing any item of the instrument is left out of every statistic.
    Listwise,
    /// Covariances from pairwise-complete data (as psych::alpha); scores = mean of the answered items.
    Pairwise,
    /// Full-information ML for the CFA and structural models (lavaan's missing = "ml"): every respondent with
    /// an answer is used; reliability and scores as under pairwise.
    Fiml,
}

impl std::fmt::Display for MissingPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl MissingPolicy {
    pub fn name(self) -> &'static str {
        match self {
            MissingPolicy::Listwise => "listwise",
            MissingPolicy::Pairwise => "pairwise",
            MissingPolicy::Fiml => "fiml",
        }
    }

    /// Respondents with some missing answers are kept (pairwise, FIML).
    pub fn keeps_incomplete(self) -> bool {
        self != MissingPolicy::Listwise
    }
}

/// Every item of the used respondents has at least two different answers. `context` says which respondents
/// are meant when they are fewer than read (e.g. " after the flagged respondents were left out").
pub fn check_items(
    items: &Answers,
    instrument: &Instrument,
    file: &Path,
    context: &str,
) -> Result<()> {
    let bounds_sum = instrument.scale.min + instrument.scale.max;
    for (j, item) in instrument.items.iter().enumerate() {
        let counts = items.value_counts(j, None);
        let answered: usize = counts.iter().map(|c| c.1).sum();
        if answered < 2 || counts.len() < 2 {
            let lo = counts.first().map_or(f64::NAN, |c| c.0);
            let shown = if item.reverse { bounds_sum - lo } else { lo };
            return Err(Error::DegenerateItem {
                file: file.to_path_buf(),
                column: item.id.clone(),
                message: format!(
                    "every respondent used{context} gave the same answer ({shown}), so its correlations with the other items are undefined"
                ),
                fix: "check the column (a constant often means a coding error), or drop the item from the instrument".into(),
            });
        }
    }
    Ok(())
}

/// Reverse-key one answer with the instrument's bounds.
pub fn reverse(instrument: &Instrument, x: f64) -> f64 {
    instrument.scale.min + instrument.scale.max - x
}

/// Responses ready for analysis: reverse-keyed, rows selected by the missing-data policy.
#[derive(Debug, Clone)]
pub struct Scored {
    pub policy: MissingPolicy,
    pub rows_read: usize,
    /// Respondents left out, and why (listwise: missing answers; pairwise: no answer at all).
    pub rows_dropped: usize,
    /// Indices (into the file's rows) of the respondents used.
    pub rows: Vec<usize>,
    /// Reverse-keyed answers of the used rows, instrument item order; missing answers (pairwise only) are NaN.
    pub items: Answers,
    /// Dimension scores of the used rows (mean of the answered items of the dimension).
    pub scores: DMatrix<f64>,
    /// Per item: missing answers among all rows read.
    pub missing_per_item: Vec<usize>,
}

/// Reverse-key, apply the missing-data policy, score, and check that the data can be analysed.
pub fn score(
    responses: &Responses,
    instrument: &Instrument,
    policy: MissingPolicy,
) -> Result<Scored> {
    score_matrix(
        responses.answers.clone(),
        &responses.path,
        instrument,
        policy,
    )
}

/// As [`score`], taking the answers out of `responses` instead of copying them.
pub fn score_in_place(
    responses: &mut Responses,
    instrument: &Instrument,
    policy: MissingPolicy,
) -> Result<Scored> {
    let answers = std::mem::replace(&mut responses.answers, Answers::with_rows(0, 0));
    score_matrix(answers, &responses.path, instrument, policy)
}

fn score_matrix(
    mut answers: Answers,
    path: &std::path::Path,
    instrument: &Instrument,
    policy: MissingPolicy,
) -> Result<Scored> {
    let (n, p) = (answers.nrows(), answers.ncols());
    let file = path.to_path_buf();
    // One pass per item: how many items each row answered, and how many rows each item is missing.
    let mut answered = vec![0u32; n];
    let missing_per_item: Vec<usize> = (0..p)
        .map(|j| n - answers.count_answered(j, &mut answered))
        .collect();
    if let Some(j) = missing_per_item.iter().position(|&m| m == n) {
        return Err(Error::DegenerateItem {
            file,
            column: instrument.items[j].id.clone(),
            message: format!("the item has no answers in any of the {n} rows"),
            fix: "check that the column holds the answers (not question text or codes perval reads as missing), or use an instrument without this item".into(),
        });
    }
    let keep: Vec<usize> = (0..n)
        .filter(|&r| match policy {
            MissingPolicy::Listwise => answered[r] as usize == p,
            MissingPolicy::Pairwise | MissingPolicy::Fiml => answered[r] > 0,
        })
        .collect();
    drop(answered);
    if keep.len() < 3 {
        let why = match policy {
            MissingPolicy::Listwise => "complete on all items (listwise deletion)",
            MissingPolicy::Pairwise | MissingPolicy::Fiml => "with at least one answer",
        };
        return Err(Error::TooFewRespondents {
            file,
            message: format!("only {} of {n} respondents are {why}; at least 3 are needed", keep.len()),
            fix: match policy {
                MissingPolicy::Listwise => "use --missing pairwise to keep respondents with some missing answers, or collect more responses".into(),
                MissingPolicy::Pairwise | MissingPolicy::Fiml => "collect more responses".into(),
            },
        });
    }
    let bounds_sum = instrument.scale.min + instrument.scale.max;
    for (j, item) in instrument.items.iter().enumerate() {
        if item.reverse {
            answers.map_values(j, |v| bounds_sum - v);
        }
    }
    let items = if keep.len() == n {
        answers
    } else {
        answers.select_rows(&keep)
    };
    check_items(&items, instrument, &file, "")?;
    let scores = dimension_scores(&items, instrument);
    Ok(Scored {
        policy,
        rows_read: n,
        rows_dropped: n - keep.len(),
        rows: keep,
        items,
        scores,
        missing_per_item,
    })
}

/// Each respondent's score on each dimension: the mean of the dimension's answered items (NaN if none).
/// The dimensions are scored on all cores, each straight into its column, a block of rows at a time.
fn dimension_scores(items: &Answers, instrument: &Instrument) -> DMatrix<f64> {
    const BLOCK: usize = 4096;
    let n = items.nrows();
    let mut scores = DMatrix::<f64>::zeros(n, instrument.dimensions.len());
    if n == 0 {
        return scores;
    }
    scores
        .as_mut_slice()
        .par_chunks_mut(n)
        .zip(instrument.dimensions.par_iter())
        .for_each(|(out, dim)| {
            let mut count = [0u32; BLOCK];
            let mut column = [0.0; BLOCK];
            for (b, sum) in out.chunks_mut(BLOCK).enumerate() {
                let len = sum.len();
                count[..len].fill(0);
                for &j in &dim.items {
                    items.fill(j, Rows::From(b * BLOCK), &mut column[..len]);
                    for ((s, c), &v) in sum.iter_mut().zip(count.iter_mut()).zip(&column) {
                        if !v.is_nan() {
                            *s += v;
                            *c += 1;
                        }
                    }
                }
                for (s, &c) in sum.iter_mut().zip(&count) {
                    *s = if c == 0 { f64::NAN } else { *s / c as f64 };
                }
            }
        });
    scores
}

impl Scored {
    /// The same respondents without the given ones (indices into [`Scored::rows`]); they count as dropped.
    pub fn without(&self, drop: &[usize]) -> Scored {
        let mut gone = vec![false; self.rows.len()];
        for &k in drop {
            gone[k] = true;
        }
        let keep: Vec<usize> = (0..self.rows.len()).filter(|&k| !gone[k]).collect();
        Scored {
            policy: self.policy,
            rows_read: self.rows_read,
            rows_dropped: self.rows_dropped + (self.rows.len() - keep.len()),
            rows: keep.iter().map(|&k| self.rows[k]).collect(),
            items: self.items.select_rows(&keep),
            scores: self.scores.select_rows(&keep),
            missing_per_item: self.missing_per_item.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reverse_twice_is_identity() {
        let inst = crate::instrument::builtin("perval-19").unwrap();
        for x in 1..=7 {
            let x = x as f64;
            assert_eq!(reverse(&inst, reverse(&inst, x)), x);
        }
    }
}
