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
    score_matrix(
        responses.answers.clone(),
        &responses.path,
        instrument,
        policy,
    )
}

/// As [`score`], reusing the answers' memory (a million respondents' answers are 150 MB): the answers are
/// moved out of `responses` and reverse-keyed and compacted in place.
pub fn score_in_place(
    responses: &mut Responses,
    instrument: &Instrument,
    policy: MissingPolicy,
) -> Result<Scored> {
    let answers = std::mem::replace(&mut responses.answers, DMatrix::zeros(0, 0));
    score_matrix(answers, &responses.path, instrument, policy)
}

fn score_matrix(
    answers: DMatrix<f64>,
    path: &std::path::Path,
    instrument: &Instrument,
    policy: MissingPolicy,
) -> Result<Scored> {
    let (n, p) = answers.shape();
    let file = path.to_path_buf();
    let missing_per_item: Vec<usize> = (0..p)
        .map(|j| answers.column(j).iter().filter(|v| v.is_nan()).count())
        .collect();
    if let Some(j) = missing_per_item.iter().position(|&m| m == n) {
        return Err(Error::DegenerateItem {
            file,
            column: instrument.items[j].id.clone(),
            message: format!("the item has no answers in any of the {n} rows"),
            fix: "check that the column holds the answers (not question text or codes perval reads as missing), or use an instrument without this item".into(),
        });
    }
    // Column-wise passes over the column-major matrix (contiguous memory) rather than row-wise ones.
    let mut answered = vec![0u32; n];
    for col in answers.column_iter() {
        for (a, v) in answered.iter_mut().zip(col.iter()) {
            *a += u32::from(!v.is_nan());
        }
    }
    let keep: Vec<usize> = (0..n)
        .filter(|&r| match policy {
            MissingPolicy::Listwise => answered[r] as usize == p,
            MissingPolicy::Pairwise => answered[r] > 0,
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
    let bounds_sum = instrument.scale.min + instrument.scale.max;
    // Reverse-key and keep the selected rows, column by column, inside the same buffer: the write position
    // j·n_keep + k never passes the read position j·n + keep[k], so nothing is overwritten before it is read.
    let n_keep = keep.len();
    let mut buf: Vec<f64> = answers.data.into();
    for j in 0..p {
        let reverse = instrument.items[j].reverse;
        for (k, &r) in keep.iter().enumerate() {
            let v = buf[j * n + r];
            // NaN stays NaN under reversal.
            buf[j * n_keep + k] = if reverse { bounds_sum - v } else { v };
        }
    }
    buf.truncate(n_keep * p);
    let items = DMatrix::from_vec(n_keep, p, buf);
    for j in 0..p {
        let reverse = instrument.items[j].reverse;
        let (mut lo, mut hi, mut cnt) = (f64::INFINITY, f64::NEG_INFINITY, 0usize);
        for &v in items.column(j).iter() {
            if !v.is_nan() {
                lo = lo.min(v);
                hi = hi.max(v);
                cnt += 1;
            }
        }
        if cnt < 2 || lo == hi {
            let shown = if reverse { bounds_sum - lo } else { lo };
            return Err(Error::DegenerateItem {
                file,
                column: instrument.items[j].id.clone(),
                message: format!(
                    "every respondent used gave the same answer ({shown}), so its correlations with the other items are undefined"
                ),
                fix: "check the column (a constant often means a coding error), or drop the item from the instrument".into(),
            });
        }
    }
    let dims = instrument.dimensions.len();
    let mut scores = DMatrix::<f64>::zeros(keep.len(), dims);
    for (d, dim) in instrument.dimensions.iter().enumerate() {
        let mut sum = vec![0.0; keep.len()];
        let mut cnt = vec![0u32; keep.len()];
        for &j in &dim.items {
            for (k, &v) in items.column(j).iter().enumerate() {
                if !v.is_nan() {
                    sum[k] += v;
                    cnt[k] += 1;
                }
            }
        }
        for (k, out) in scores.column_mut(d).iter_mut().enumerate() {
            *out = if cnt[k] == 0 {
                f64::NAN
            } else {
                sum[k] / cnt[k] as f64
            };
        }
    }
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
