//! Quantiles as R's default `quantile(type = 7)` defines them, for sorted slices and for counted scores, and
//! the five numbers of a box plot: type-7 quartiles (R's `boxplot` uses Tukey's hinges instead, which can
//! differ slightly) and whiskers at the furthest scores within 1.5 IQR.

use serde::{Deserialize, Serialize};

/// Type-7 quantile of `len` sorted values read through `at`: h = (len − 1)p, x⌊h⌋ + (h − ⌊h⌋)(x⌊h⌋₊₁ − x⌊h⌋).
fn type7(len: usize, at: impl Fn(usize) -> f64, p: f64) -> f64 {
    let h = (len - 1) as f64 * p;
    let lo = h.floor() as usize;
    let a = at(lo);
    if lo + 1 >= len {
        return a;
    }
    a + (h - lo as f64) * (at(lo + 1) - a)
}

/// Quantile of sorted, non-empty data (R's type 7).
pub fn quantile7(sorted: &[f64], p: f64) -> f64 {
    type7(sorted.len(), |i| sorted[i], p)
}

/// Scores in sorted order held as distinct values with cumulative counts: dimension scores take few distinct
/// values (means of a few answers), so a million of them need no sort.
#[derive(Debug, Clone)]
pub struct Distinct {
    pub values: Vec<f64>,
    /// `ends[i]`: how many scores are ≤ `values[i]`.
    ends: Vec<usize>,
}

impl Distinct {
    /// The finite values of `scores`.
    pub fn new(scores: impl Iterator<Item = f64>) -> Distinct {
        let mut counts: std::collections::HashMap<u64, usize, super::groups::BitsHash> =
            Default::default();
        for v in scores.filter(|v| v.is_finite()) {
            // +0.0 so that -0.0 and 0.0 are one value.
            *counts.entry((v + 0.0).to_bits()).or_insert(0) += 1;
        }
        let mut pairs: Vec<(f64, usize)> = counts
            .into_iter()
            .map(|(b, c)| (f64::from_bits(b), c))
            .collect();
        pairs.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        let mut total = 0;
        let ends = pairs
            .iter()
            .map(|p| {
                total += p.1;
                total
            })
            .collect();
        Distinct {
            values: pairs.into_iter().map(|p| p.0).collect(),
            ends,
        }
    }

    pub fn len(&self) -> usize {
        self.ends.last().copied().unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The score at position `i` of the sorted order.
    pub fn at(&self, i: usize) -> f64 {
        self.values[self.ends.partition_point(|&e| e <= i)]
    }

    /// R's type-7 quantile; NaN when empty.
    pub fn quantile(&self, p: f64) -> f64 {
        if self.is_empty() {
            return f64::NAN;
        }
        type7(self.len(), |i| self.at(i), p)
    }
}

/// A box plot's five numbers: quartiles (type 7) and whiskers at the furthest scores within 1.5 IQR.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BoxStats {
    pub lower_whisker: f64,
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
    pub upper_whisker: f64,
}

impl BoxStats {
    /// None for no scores.
    pub fn of(d: &Distinct) -> Option<BoxStats> {
        if d.is_empty() {
            return None;
        }
        let (q1, median, q3) = (d.quantile(0.25), d.quantile(0.5), d.quantile(0.75));
        let iqr = q3 - q1;
        let lower_whisker = d
            .values
            .iter()
            .copied()
            .find(|v| *v >= q1 - 1.5 * iqr)
            .unwrap_or(q1);
        let upper_whisker = d
            .values
            .iter()
            .rev()
            .copied()
            .find(|v| *v <= q3 + 1.5 * iqr)
            .unwrap_or(q3);
        Some(BoxStats {
            lower_whisker,
            q1,
            median,
            q3,
            upper_whisker,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type7_matches_r() {
        // R: quantile(c(1, 2, 4, 7, 11), c(.25, .5, .9)) = 2, 4, 9.4
        let x = [1.0, 2.0, 4.0, 7.0, 11.0];
        assert_eq!(quantile7(&x, 0.25), 2.0);
        assert_eq!(quantile7(&x, 0.5), 4.0);
        assert!((quantile7(&x, 0.9) - 9.4).abs() < 1e-12);
        let d = Distinct::new([11.0, 4.0, 1.0, 7.0, 2.0, f64::NAN].into_iter());
        assert_eq!(d.len(), 5);
        assert!((d.quantile(0.9) - 9.4).abs() < 1e-12);
    }

    #[test]
    fn whiskers_stop_at_the_last_score_within_one_and_a_half_iqr() {
        // R: quantile(c(1, 2, 3, 4, 100)) quartiles 2, 3, 4; 100 lies beyond 4 + 1.5 × 2.
        let d = Distinct::new([1.0, 2.0, 3.0, 4.0, 100.0].into_iter());
        let b = BoxStats::of(&d).unwrap();
        assert_eq!(
            (b.lower_whisker, b.q1, b.median, b.q3),
            (1.0, 2.0, 3.0, 4.0)
        );
        assert_eq!(b.upper_whisker, 4.0);
    }
}
