//! Reverse keying, the missing-data policy and dimension scores.
//!
//! Reverse-keyed items are scored `(scale.min + scale.max) − x` with the instrument's bounds. (psych's
//! `reverse.code` uses the observed minimum and maximum instead, which differs when nobody chose an end
//! point of the scale.)
//!
//! ```
//! use nalgebra::DMatrix;
//! let inst = perval::instrument::builtin("perval-19").unwrap();
//! assert_eq!(perval::scoring::reverse(&inst, 3.0), 5.0);
//! ```

use crate::data::Responses;
use crate::error::{Error, Result};
use crate::instrument::Instrument;
use nalgebra::DMatrix;

/// How respondents with missing answers are handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum MissingPolicy {
    /// A respondent missing any item of the instrument is left out of every statistic.
    Listwise,
    /// Covariances from pairwise-complete data (as psych::alpha); scores = mean of the answered items.
    Pairwise,
}

impl MissingPolicy {
    pub fn name(self) -> &'static str {
        match self {
            MissingPolicy::Listwise => "listwise",
            MissingPolicy::Pairwise => "pairwise",
        }
    }
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
    /// Reverse-keyed answers of the used rows, instrument item order; NaN = missing (pairwise only).
    pub items: DMatrix<f64>,
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
    let (n, p) = responses.answers.shape();
    let file = responses.path.clone();
    let missing_per_item: Vec<usize> = (0..p)
        .map(|j| {
            responses
                .answers
                .column(j)
                .iter()
                .filter(|v| v.is_nan())
                .count()
        })
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
        .filter(|&r| {
            let row = responses.answers.row(r);
            match policy {
                MissingPolicy::Listwise => row.iter().all(|v| !v.is_nan()),
                MissingPolicy::Pairwise => row.iter().any(|v| !v.is_nan()),
            }
        })
        .collect();
    if keep.len() < 3 {
        let why = match policy {
            MissingPolicy::Listwise => "complete on all items (listwise deletion)",
            MissingPolicy::Pairwise => "with at least one answer",
        };
        return Err(Error::TooFewRespondents {
            file,
            message: format!("only {} of {n} respondents are {why}; at least 3 are needed", keep.len()),
            fix: match policy {
                MissingPolicy::Listwise => "use --missing pairwise to keep respondents with some missing answers, or collect more responses".into(),
                MissingPolicy::Pairwise => "collect more responses".into(),
            },
        });
    }
    let items = DMatrix::from_fn(keep.len(), p, |r, j| {
        let v = responses.answers[(keep[r], j)];
        if instrument.items[j].reverse && !v.is_nan() {
            reverse(instrument, v)
        } else {
            v
        }
    });
    for j in 0..p {
        let vals: Vec<f64> = items
            .column(j)
            .iter()
            .copied()
            .filter(|v| !v.is_nan())
            .collect();
        if vals.len() < 2 || vals.iter().all(|&v| v == vals[0]) {
            return Err(Error::DegenerateItem {
                file,
                column: instrument.items[j].id.clone(),
                message: format!(
                    "every respondent used gave the same answer ({}), so its correlations with the other items are undefined",
                    vals.first().copied().unwrap_or(f64::NAN)
                ),
                fix: "check the column (a constant often means a coding error), or drop the item from the instrument".into(),
            });
        }
    }
    let scores = DMatrix::from_fn(keep.len(), instrument.dimensions.len(), |r, d| {
        let (mut sum, mut cnt) = (0.0, 0usize);
        for &j in &instrument.dimensions[d].items {
            let v = items[(r, j)];
            if !v.is_nan() {
                sum += v;
                cnt += 1;
            }
        }
        if cnt == 0 {
            f64::NAN
        } else {
            sum / cnt as f64
        }
    });
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
