//! The Kano evaluation: an answer pair to a class, class counts to the statistics of one attribute, and the
//! score intervals of Better and Worse. Pure arithmetic on counts; every definition and its source is in the
//! README ("Kano questionnaires").

use serde::{Deserialize, Serialize};

/// A Kano class (Berger et al. 1993).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Class {
    /// Attractive (欣喜需求): a delight when present, no harm when absent.
    A,
    /// One-dimensional (期望需求): satisfaction rises with it.
    O,
    /// Must-be (基础需求): its absence dissatisfies, its presence only prevents that.
    M,
    /// Indifferent.
    I,
    /// Reverse: the respondent wants the opposite.
    R,
    /// Questionable: a contradictory answer pair.
    Q,
}

impl Class {
    /// Index order of the counts: A, O, M, I, R, Q.
    pub const ALL: [Class; 6] = [Class::A, Class::O, Class::M, Class::I, Class::R, Class::Q];
    /// Tie order of the category (the mode): M > O > A > I > R > Q.
    pub const TIE_ORDER: [Class; 6] = [Class::M, Class::O, Class::A, Class::I, Class::R, Class::Q];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn letter(self) -> &'static str {
        ["A", "O", "M", "I", "R", "Q"][self.index()]
    }

    /// The class in words.
    pub fn name(self, zh: bool) -> &'static str {
        if zh {
            [
                "魅力(欣喜)需求",
                "期望(一维)需求",
                "基础(必备)需求",
                "无差异需求",
                "反向需求",
                "可疑结果",
            ][self.index()]
        } else {
            [
                "attractive",
                "one-dimensional",
                "must-be",
                "indifferent",
                "reverse",
                "questionable",
            ][self.index()]
        }
    }
}

/// Which evaluation table turns an answer pair into a class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Table {
    /// Berger et al. (1993, p. 6).
    #[default]
    Standard,
    /// Berger et al. (1993, p. 33), after Pouliot: must-be/must-be and live-with/live-with are questionable too.
    Pouliot,
}

impl Table {
    pub fn name(self) -> &'static str {
        match self {
            Table::Standard => "standard",
            Table::Pouliot => "pouliot",
        }
    }

    /// The class of the answer pair (codes 1 like, 2 must-be, 3 neutral, 4 live with, 5 dislike); row =
    /// functional answer, column = dysfunctional answer.
    pub fn classify(self, functional: u8, dysfunctional: u8) -> Class {
        use Class::*;
        const STANDARD: [[Class; 5]; 5] = [
            [Q, A, A, A, O],
            [R, I, I, I, M],
            [R, I, I, I, M],
            [R, I, I, I, M],
            [R, R, R, R, Q],
        ];
        let (f, d) = (functional as usize - 1, dysfunctional as usize - 1);
        if self == Table::Pouliot && f == d && (f == 1 || f == 3) {
            return Q;
        }
        STANDARD[f][d]
    }
}

/// DuMouchel's scores of the functional answers (like 4, must-be 2, neutral 0, live with −1, dislike −2) and of
/// the dysfunctional ones (−2, −1, 0, 2, 4): Berger et al. (1993, pp. 20–23).
pub const FUNCTIONAL_SCORE: [f64; 5] = [4.0, 2.0, 0.0, -1.0, -2.0];
pub const DYSFUNCTIONAL_SCORE: [f64; 5] = [-2.0, -1.0, 0.0, 2.0, 4.0];

/// The sufficient statistics of one attribute in one set of respondents: the class counts and the DuMouchel
/// scores' sums over those who answered both questions, the importance answers' sums over those who gave one.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tally {
    pub counts: [u64; 6],
    pub functional: (f64, f64),
    pub dysfunctional: (f64, f64),
    /// (answers, sum, sum of squares).
    pub importance: (u64, f64, f64),
}

impl Tally {
    pub fn add_pair(&mut self, class: Class, functional: u8, dysfunctional: u8) {
        self.counts[class.index()] += 1;
        let f = FUNCTIONAL_SCORE[functional as usize - 1];
        let d = DYSFUNCTIONAL_SCORE[dysfunctional as usize - 1];
        self.functional.0 += f;
        self.functional.1 += f * f;
        self.dysfunctional.0 += d;
        self.dysfunctional.1 += d * d;
    }

    pub fn add_importance(&mut self, v: f64) {
        self.importance.0 += 1;
        self.importance.1 += v;
        self.importance.2 += v * v;
    }

    pub fn merge(&mut self, o: &Tally) {
        for k in 0..6 {
            self.counts[k] += o.counts[k];
        }
        self.functional.0 += o.functional.0;
        self.functional.1 += o.functional.1;
        self.dysfunctional.0 += o.dysfunctional.0;
        self.dysfunctional.1 += o.dysfunctional.1;
        self.importance.0 += o.importance.0;
        self.importance.1 += o.importance.1;
        self.importance.2 += o.importance.2;
    }

    pub fn n(&self) -> u64 {
        self.counts.iter().sum()
    }

    pub fn count(&self, c: Class) -> u64 {
        self.counts[c.index()]
    }

    /// The most frequent class; ties M > O > A > I > R > Q. None when nobody answered.
    pub fn category(&self) -> Option<Class> {
        largest(self, &Class::TIE_ORDER)
    }

    /// Reppel's (2022) grouped rule: when A + O + M > I + R + Q (strictly), the largest of M, O, A (ties in
    /// that order); else the largest of I, R, Q (ties in that order).
    pub fn category_grouped(&self) -> Option<Class> {
        use Class::*;
        if self.n() == 0 {
            return None;
        }
        let sum = |cs: [Class; 3]| cs.iter().map(|&c| self.count(c)).sum::<u64>();
        if sum([A, O, M]) > sum([I, R, Q]) {
            largest(self, &[M, O, A])
        } else {
            largest(self, &[I, R, Q])
        }
    }

    /// A + O + M + I: the respondents Better and Worse are shares of (R and Q excluded; Timko in Berger et al.
    /// 1993, p. 18).
    pub fn better_worse_base(&self) -> u64 {
        use Class::*;
        [A, O, M, I].iter().map(|&c| self.count(c)).sum()
    }

    /// (A + O) / (A + O + M + I); None when the base is 0.
    pub fn better(&self) -> Option<f64> {
        let base = self.better_worse_base();
        (base > 0).then(|| (self.count(Class::A) + self.count(Class::O)) as f64 / base as f64)
    }

    /// −(O + M) / (A + O + M + I); None when the base is 0.
    pub fn worse(&self) -> Option<f64> {
        let base = self.better_worse_base();
        (base > 0).then(|| -((self.count(Class::O) + self.count(Class::M)) as f64) / base as f64)
    }

    /// The two largest counts of A, O, M, I, R (Q is not ranked), largest first.
    pub fn top_two(&self) -> (u64, u64) {
        let mut ranked: Vec<u64> = self.counts[..5].to_vec();
        ranked.sort_unstable_by(|a, b| b.cmp(a));
        (ranked[0], ranked[1])
    }

    /// (largest − second largest of A, O, M, I, R) / n (Lee & Newcomb 1997).
    pub fn category_strength(&self) -> Option<f64> {
        let n = self.n();
        let (a, b) = self.top_two();
        (n > 0).then(|| (a - b) as f64 / n as f64)
    }

    /// (A + O + M) / n.
    pub fn total_strength(&self) -> Option<f64> {
        use Class::*;
        let n = self.n();
        (n > 0).then(|| (self.count(A) + self.count(O) + self.count(M)) as f64 / n as f64)
    }

    /// Fong's (1996) test of the two most frequent classes: (a, b, critical value, a − b > critical).
    pub fn fong(&self) -> (u64, u64, f64, bool) {
        let n = self.n() as f64;
        let (a, b) = self.top_two();
        let (af, bf) = (a as f64, b as f64);
        let critical = if n > 0.0 {
            1.65 * ((af + bf) * (2.0 * n - af - bf) / (2.0 * n)).sqrt()
        } else {
            f64::NAN
        };
        (a, b, critical, (af - bf) > critical)
    }
}

/// Answer pairs counted: `pairs[f][d]` respondents answered f to the functional and d to the dysfunctional
/// question (codes 1–5; index 0 = no answer). Everything an attribute's statistics need is in these counts.
pub type Pairs = [[u64; 6]; 6];

impl Tally {
    /// The tally of counted answer pairs under `table`; the importance sums are left at 0.
    pub fn from_pairs(table: Table, pairs: &Pairs) -> Tally {
        let mut t = Tally::default();
        for f in 1..=5u8 {
            for d in 1..=5u8 {
                let k = pairs[f as usize][d as usize];
                if k == 0 {
                    continue;
                }
                t.counts[table.classify(f, d).index()] += k;
                let (fs, ds) = (
                    FUNCTIONAL_SCORE[f as usize - 1],
                    DYSFUNCTIONAL_SCORE[d as usize - 1],
                );
                let kf = k as f64;
                t.functional.0 += kf * fs;
                t.functional.1 += kf * fs * fs;
                t.dysfunctional.0 += kf * ds;
                t.dysfunctional.1 += kf * ds * ds;
            }
        }
        t
    }
}

/// The class with the largest count among `order`, the first in `order` on a tie; None when all are 0 and
/// nobody answered.
fn largest(t: &Tally, order: &[Class]) -> Option<Class> {
    if t.n() == 0 {
        return None;
    }
    let mut best = order[0];
    for &c in &order[1..] {
        if t.count(c) > t.count(best) {
            best = c;
        }
    }
    Some(best)
}

/// Mean and SD (n − 1) from a count, a sum and a sum of squares.
pub fn mean_sd(n: u64, sum: f64, sum_sq: f64) -> (Option<f64>, Option<f64>) {
    if n == 0 {
        return (None, None);
    }
    let nf = n as f64;
    let mean = sum / nf;
    let sd = (n > 1).then(|| ((sum_sq - nf * mean * mean).max(0.0) / (nf - 1.0)).sqrt());
    (Some(mean), sd)
}

/// Wilson's (1927) score interval of the proportion x / n at 95%: never outside [0, 1], good for small n and
/// for proportions near 0 or 1 (Newcombe 1998, method 3).
pub fn wilson(x: u64, n: u64) -> Option<[f64; 2]> {
    if n == 0 {
        return None;
    }
    let z = crate::stats::distributions::Z975;
    let (x, n) = (x as f64, n as f64);
    let z2 = z * z;
    let centre = (x + z2 / 2.0) / (n + z2);
    let half = z * (x * (n - x) / n + z2 / 4.0).sqrt() / (n + z2);
    Some([(centre - half).max(0.0), (centre + half).min(1.0)])
}

/// Newcombe's (1998, method 10) hybrid score interval of p1 − p2 from the two Wilson intervals.
pub fn newcombe(x1: u64, n1: u64, x2: u64, n2: u64) -> Option<(f64, [f64; 2])> {
    let (l1, u1) = wilson(x1, n1).map(|w| (w[0], w[1]))?;
    let (l2, u2) = wilson(x2, n2).map(|w| (w[0], w[1]))?;
    let p1 = x1 as f64 / n1 as f64;
    let p2 = x2 as f64 / n2 as f64;
    let d = p1 - p2;
    let lower = d - ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt();
    let upper = d + ((u1 - p1).powi(2) + (p2 - l2).powi(2)).sqrt();
    Some((d, [lower, upper]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(counts: [u64; 6]) -> Tally {
        Tally {
            counts,
            ..Default::default()
        }
    }

    #[test]
    fn tables_differ_only_on_the_two_diagonal_cells() {
        for f in 1..=5 {
            for d in 1..=5 {
                let (s, p) = (
                    Table::Standard.classify(f, d),
                    Table::Pouliot.classify(f, d),
                );
                if (f, d) == (2, 2) || (f, d) == (4, 4) {
                    assert_eq!((s, p), (Class::I, Class::Q));
                } else {
                    assert_eq!(s, p);
                }
            }
        }
        assert_eq!(Table::Standard.classify(1, 5), Class::O);
        assert_eq!(Table::Standard.classify(3, 5), Class::M);
        assert_eq!(Table::Standard.classify(1, 3), Class::A);
        assert_eq!(Table::Standard.classify(5, 1), Class::R);
        assert_eq!(Table::Standard.classify(1, 1), Class::Q);
    }

    #[test]
    fn ties_follow_the_stated_orders() {
        // O = A → O; A = I → A; I = R → I; M = O → M.
        assert_eq!(tally([5, 5, 0, 0, 0, 0]).category(), Some(Class::O));
        assert_eq!(tally([5, 0, 0, 5, 0, 0]).category(), Some(Class::A));
        assert_eq!(tally([0, 0, 0, 5, 5, 0]).category(), Some(Class::I));
        assert_eq!(tally([0, 5, 5, 0, 0, 0]).category(), Some(Class::M));
        // A + O + M = I + R + Q: the grouped rule needs strictly more, so it falls to I, R, Q.
        let t = tally([6, 0, 0, 3, 2, 1]);
        assert_eq!(
            (t.category(), t.category_grouped()),
            (Some(Class::A), Some(Class::I))
        );
        assert_eq!(tally([0; 6]).category(), None);
    }

    #[test]
    fn fong_and_strengths() {
        // The README's robot row: A 230, O 0, M 40, I 194, R 73, Q 353.
        let t = tally([230, 0, 40, 194, 73, 353]);
        let (a, b, crit, sig) = t.fong();
        assert_eq!((a, b, sig), (230, 194, true));
        assert!((crit - 29.654234402147832).abs() < 1e-12);
        assert!((t.category_strength().unwrap() - 36.0 / 890.0).abs() < 1e-15);
        assert!((t.worse().unwrap() + 40.0 / 464.0).abs() < 1e-15);
    }

    #[test]
    fn intervals() {
        // Newcombe (1998) Table I, example (a): 81/263 → [0.2553, 0.3662].
        let w = wilson(81, 263).unwrap();
        assert!(
            (w[0] - 0.2553).abs() < 5e-5 && (w[1] - 0.3662).abs() < 5e-5,
            "{w:?}"
        );
        // Newcombe (1998) Table II, example (a): 56/70 − 48/80 → [0.0524, 0.3339].
        let (d, ci) = newcombe(56, 70, 48, 80).unwrap();
        assert!((d - 0.2).abs() < 1e-12);
        assert!(
            (ci[0] - 0.0524).abs() < 5e-5 && (ci[1] - 0.3339).abs() < 5e-5,
            "{ci:?}"
        );
        assert_eq!(wilson(0, 0), None);
    }
}
