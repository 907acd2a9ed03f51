//! Comparing groups (stores, brands, waves) on one score: descriptives with t intervals, one-way ANOVA with
//! η² and ω², Welch's ANOVA, Kruskal–Wallis, Tukey HSD and Games–Howell, as R's `aov`, `oneway.test`,
//! `kruskal.test` and `TukeyHSD` compute them; for two groups also Welch's t, Mann–Whitney U and Hedges' g.
//!
//! ```
//! let g = perval::stats::groups::compare(&[vec![1.0, 2.0, 3.0], vec![2.0, 3.0, 4.0], vec![5.0, 6.0, 7.0]]).unwrap();
//! assert!((g.anova.f - 13.0).abs() < 1e-12);
//! ```

use super::distributions::ptukey;
use crate::error::{Error, Result};
use statrs::distribution::{ChiSquared, ContinuousCDF, FisherSnedecor, Normal, StudentsT};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// n, mean, sd (n − 1), standard error and t-based 95% interval of one group.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct GroupStats {
    pub n: usize,
    pub mean: f64,
    pub sd: f64,
    pub se: f64,
    pub ci95: [f64; 2],
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Anova {
    #[serde(rename = "F")]
    pub f: f64,
    pub df1: usize,
    pub df2: usize,
    pub p: f64,
    /// η² = SS_between / SS_total.
    pub eta2: f64,
    /// ω² = (SS_between − df1·MS_within) / (SS_total + MS_within).
    pub omega2: f64,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Welch {
    #[serde(rename = "F")]
    pub f: f64,
    pub df1: f64,
    pub df2: f64,
    pub p: f64,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Kruskal {
    /// Tie-corrected H.
    #[serde(rename = "H")]
    pub h: f64,
    pub df: usize,
    pub p: f64,
}

/// One pairwise comparison: `diff = mean(b) − mean(a)`.
#[derive(Debug, Clone)]
pub struct Pair {
    pub a: usize,
    pub b: usize,
    pub diff: f64,
    pub p_adj: f64,
}

/// Two-group tests (only with exactly two groups).
#[derive(Debug, Clone)]
pub struct TwoGroups {
    /// Welch's t for mean(b) − mean(a).
    pub t: f64,
    pub t_df: f64,
    pub t_p: f64,
    /// Mann–Whitney U of the first group (R's W); its p exact for fewer than 50 per group without ties, else
    /// the normal approximation with continuity and tie correction (R's wilcox.test default).
    pub u: f64,
    pub u_p: f64,
    /// Whether `u_p` is exact.
    pub u_exact: bool,
    /// Hedges' g = J·(mean(b) − mean(a))/s_pooled, J = 1 − 3/(4(n_a + n_b) − 9).
    pub hedges_g: f64,
}

#[derive(Debug, Clone)]
pub struct Comparison {
    pub groups: Vec<GroupStats>,
    pub anova: Anova,
    pub welch: Welch,
    pub kruskal: Kruskal,
    pub tukey: Vec<Pair>,
    pub games_howell: Vec<Pair>,
    pub two_groups: Option<TwoGroups>,
}

/// Describe one group.
pub fn describe(x: &[f64]) -> GroupStats {
    let n = x.len();
    let nf = n as f64;
    let mean = x.iter().sum::<f64>() / nf;
    let sd = (x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (nf - 1.0)).sqrt();
    summarize(n, mean, sd)
}

/// Standard error and t interval from n, mean and sd.
pub fn summarize(n: usize, mean: f64, sd: f64) -> GroupStats {
    let nf = n as f64;
    let se = sd / nf.sqrt();
    let tq = StudentsT::new(0.0, 1.0, nf - 1.0)
        .map(|t| t.inverse_cdf(0.975))
        .unwrap_or(f64::NAN);
    GroupStats {
        n,
        mean,
        sd,
        se,
        ci95: [mean - tq * se, mean + tq * se],
    }
}

/// Compare the groups (each a slice of scores, in the order they are to be reported).
pub fn compare(groups: &[Vec<f64>]) -> Result<Comparison> {
    let k = groups.len();
    if k < 2 {
        return Err(Error::Usage(
            "a comparison needs at least two groups".into(),
        ));
    }
    if let Some(g) = groups.iter().position(|g| g.len() < 2) {
        return Err(Error::Usage(format!(
            "group {} has fewer than 2 respondents",
            g + 1
        )));
    }
    let stats: Vec<GroupStats> = groups.iter().map(|g| describe(g)).collect();
    let n_total: usize = stats.iter().map(|s| s.n).sum();
    let nt = n_total as f64;
    let grand = groups.iter().flatten().sum::<f64>() / nt;
    let ssb: f64 = stats
        .iter()
        .map(|s| s.n as f64 * (s.mean - grand).powi(2))
        .sum();
    let ssw: f64 = groups
        .iter()
        .zip(&stats)
        .map(|(g, s)| g.iter().map(|v| (v - s.mean).powi(2)).sum::<f64>())
        .sum();
    let (df1, df2) = (k - 1, n_total - k);
    let msw = ssw / df2 as f64;
    let f = (ssb / df1 as f64) / msw;
    let anova = Anova {
        f,
        df1,
        df2,
        p: f_sf(f, df1 as f64, df2 as f64),
        eta2: ssb / (ssb + ssw),
        omega2: (ssb - df1 as f64 * msw) / (ssb + ssw + msw),
    };

    // Welch (1951), as oneway.test(var.equal = FALSE).
    let w: Vec<f64> = stats.iter().map(|s| s.n as f64 / (s.sd * s.sd)).collect();
    let sw: f64 = w.iter().sum();
    let mw = w.iter().zip(&stats).map(|(wi, s)| wi * s.mean).sum::<f64>() / sw;
    let tmp: f64 = w
        .iter()
        .zip(&stats)
        .map(|(wi, s)| (1.0 - wi / sw).powi(2) / (s.n as f64 - 1.0))
        .sum::<f64>()
        / ((k * k) as f64 - 1.0);
    let kf = k as f64;
    let wf = w
        .iter()
        .zip(&stats)
        .map(|(wi, s)| wi * (s.mean - mw).powi(2))
        .sum::<f64>()
        / ((kf - 1.0) * (1.0 + 2.0 * (kf - 2.0) * tmp));
    let wdf2 = 1.0 / (3.0 * tmp);
    let welch = Welch {
        f: wf,
        df1: kf - 1.0,
        df2: wdf2,
        p: f_sf(wf, kf - 1.0, wdf2),
    };

    // Kruskal–Wallis with the tie correction of kruskal.test.
    let (rank_sums, ties) = rank_sums(groups);
    let stat: f64 = rank_sums
        .iter()
        .zip(&stats)
        .map(|(r, s)| r * r / s.n as f64)
        .sum();
    let h = (12.0 * stat / (nt * (nt + 1.0)) - 3.0 * (nt + 1.0)) / (1.0 - ties / (nt.powi(3) - nt));
    let kruskal = Kruskal {
        h,
        df: k - 1,
        p: ChiSquared::new(kf - 1.0)
            .map(|c| c.sf(h))
            .unwrap_or(f64::NAN),
    };

    let mut tukey = Vec::new();
    let mut games_howell = Vec::new();
    for a in 0..k {
        for b in a + 1..k {
            let (sa, sb) = (&stats[a], &stats[b]);
            let diff = sb.mean - sa.mean;
            let q = diff.abs() / ((msw / 2.0) * (1.0 / sa.n as f64 + 1.0 / sb.n as f64)).sqrt();
            tukey.push(Pair {
                a,
                b,
                diff,
                p_adj: 1.0 - ptukey(q, kf, df2 as f64),
            });
            let (va, vb) = (sa.sd * sa.sd / sa.n as f64, sb.sd * sb.sd / sb.n as f64);
            let t = diff.abs() / (va + vb).sqrt();
            let df =
                (va + vb).powi(2) / (va * va / (sa.n as f64 - 1.0) + vb * vb / (sb.n as f64 - 1.0));
            games_howell.push(Pair {
                a,
                b,
                diff,
                p_adj: 1.0 - ptukey(t * std::f64::consts::SQRT_2, kf, df),
            });
        }
    }
    let two_groups =
        (k == 2).then(|| two_group_tests(&groups[0], &groups[1], &stats[0], &stats[1]));
    Ok(Comparison {
        groups: stats,
        anova,
        welch,
        kruskal,
        tukey,
        games_howell,
        two_groups,
    })
}

/// Per group, the sum of the average ranks of its values in the pooled sample, and Σ(t³ − t) over ties.
///
/// Scores of Likert items take few distinct values, so ranks are computed per distinct value from a count
/// table (linear in n) rather than by sorting every respondent.
fn rank_sums(groups: &[Vec<f64>]) -> (Vec<f64>, f64) {
    // Order-preserving key for f64 (total order, as total_cmp).
    let key = |v: f64| {
        let b = v.to_bits();
        if b >> 63 == 1 {
            !b
        } else {
            b | (1 << 63)
        }
    };
    // Scores take few distinct values (means of a few Likert answers): count each value per group in a
    // hash map, then walk the distinct values in order.
    let mut index: HashMap<u64, usize, BuildHasherDefault<BitsHasher>> = HashMap::default();
    let mut per_value: Vec<(u64, Vec<usize>)> = Vec::new();
    for (gi, g) in groups.iter().enumerate() {
        for &v in g {
            let k = key(v);
            let slot = *index.entry(k).or_insert_with(|| {
                per_value.push((k, vec![0; groups.len()]));
                per_value.len() - 1
            });
            per_value[slot].1[gi] += 1;
        }
    }
    per_value.sort_unstable_by_key(|(k, _)| *k);
    let counts = per_value.into_iter().map(|(_, c)| c);
    let mut sums = vec![0.0; groups.len()];
    let mut ties = 0.0;
    let mut below = 0usize;
    for per_group in counts {
        let t: usize = per_group.iter().sum();
        let avg_rank = below as f64 + (t as f64 + 1.0) / 2.0;
        for (gi, &c) in per_group.iter().enumerate() {
            sums[gi] += c as f64 * avg_rank;
        }
        let tf = t as f64;
        ties += tf * tf * tf - tf;
        below += t;
    }
    (sums, ties)
}

/// A hasher for f64 bit patterns: one multiplication (Fibonacci hashing) instead of SipHash; the keys are
/// our own numbers, not input an attacker chooses. Also counts the distinct scores of [`super::quantiles`].
#[derive(Default)]
pub(crate) struct BitsHasher(u64);

/// Hash maps keyed by f64 bit patterns.
pub(crate) type BitsHash = BuildHasherDefault<BitsHasher>;

impl Hasher for BitsHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u64(&mut self, k: u64) {
        self.0 = (k ^ (k >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Average ranks of sorted values and Σ(t³ − t) over tie groups.
fn average_ranks(sorted: &[f64]) -> (Vec<f64>, f64) {
    let mut ranks = vec![0.0; sorted.len()];
    let mut ties = 0.0;
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j + 1 < sorted.len() && sorted[j + 1] == sorted[i] {
            j += 1;
        }
        let r = (i + j) as f64 / 2.0 + 1.0;
        for rank in &mut ranks[i..=j] {
            *rank = r;
        }
        let t = (j - i + 1) as f64;
        ties += t * t * t - t;
        i = j + 1;
    }
    (ranks, ties)
}

fn two_group_tests(a: &[f64], b: &[f64], sa: &GroupStats, sb: &GroupStats) -> TwoGroups {
    let (na, nb) = (sa.n as f64, sb.n as f64);
    let (va, vb) = (sa.sd * sa.sd / na, sb.sd * sb.sd / nb);
    let t = (sb.mean - sa.mean) / (va + vb).sqrt();
    let t_df = (va + vb).powi(2) / (va * va / (na - 1.0) + vb * vb / (nb - 1.0));
    let t_p = StudentsT::new(0.0, 1.0, t_df)
        .map(|d| 2.0 * d.cdf(-t.abs()))
        .unwrap_or(f64::NAN);

    let mut all: Vec<(f64, bool)> = a
        .iter()
        .map(|&v| (v, true))
        .chain(b.iter().map(|&v| (v, false)))
        .collect();
    all.sort_by(|x, y| x.0.total_cmp(&y.0));
    let (ranks, ties) = average_ranks(&all.iter().map(|x| x.0).collect::<Vec<_>>());
    let ra: f64 = ranks
        .iter()
        .zip(&all)
        .filter(|(_, x)| x.1)
        .map(|(r, _)| r)
        .sum();
    let u = ra - na * (na + 1.0) / 2.0;
    // R's wilcox.test default: the exact distribution for fewer than 50 per group and no ties, else the
    // normal approximation with continuity and tie correction.
    let exact = sa.n < 50 && sb.n < 50 && ties == 0.0;
    let u_p = if exact {
        mann_whitney_exact_p(u, sa.n, sb.n)
    } else {
        let z0 = u - na * nb / 2.0;
        let sigma =
            ((na * nb / 12.0) * ((na + nb + 1.0) - ties / ((na + nb) * (na + nb - 1.0)))).sqrt();
        let z = (z0 - z0.signum() * 0.5) / sigma;
        let normal = Normal::new(0.0, 1.0).expect("standard normal parameters are valid");
        2.0 * normal.cdf(-z.abs())
    };

    let sp = (((na - 1.0) * sa.sd * sa.sd + (nb - 1.0) * sb.sd * sb.sd) / (na + nb - 2.0)).sqrt();
    let j = 1.0 - 3.0 / (4.0 * (na + nb) - 9.0);
    TwoGroups {
        t,
        t_df,
        t_p,
        u,
        u_p: u_p.min(1.0),
        u_exact: exact,
        hedges_g: j * (sb.mean - sa.mean) / sp,
    }
}

/// Two-sided exact p of Mann–Whitney's U for group sizes m and n without ties, as R's wilcox.test:
/// `min(1, 2 · P(U ≤ u))` below the centre, `min(1, 2 · P(U ≥ u))` above it. The null distribution counts the
/// ways m of the ranks 1..m+n sum to each total (dynamic programming over the ranks).
fn mann_whitney_exact_p(u: f64, m: usize, n: usize) -> f64 {
    let max_u = m * n;
    // ways[j][s]: subsets of j ranks among those seen with U-sum s, where U-sum = rank sum − j(j+1)/2 shifted
    // per rank; counting the U statistic directly keeps the table (m + 1) × (mn + 1).
    let mut ways = vec![vec![0.0f64; max_u + 1]; m + 1];
    ways[0][0] = 1.0;
    // Adding the r-th smallest value to group 1 when j values are already in it contributes r − 1 − j
    // values of group 2 below it to U.
    for r in 1..=m + n {
        for j in (1..=m.min(r)).rev() {
            let below = r - j; // values of group 2 below the new one
            if below > n {
                continue;
            }
            for s in (below..=max_u).rev() {
                let add = ways[j - 1][s - below];
                if add != 0.0 {
                    ways[j][s] += add;
                }
            }
        }
    }
    let total: f64 = ways[m].iter().sum();
    let q = u.round() as usize;
    let p = if u > (m * n) as f64 / 2.0 {
        ways[m][q..].iter().sum::<f64>() / total
    } else {
        ways[m][..=q.min(max_u)].iter().sum::<f64>() / total
    };
    (2.0 * p).min(1.0)
}

fn f_sf(f: f64, df1: f64, df2: f64) -> f64 {
    FisherSnedecor::new(df1, df2)
        .map(|d| d.sf(f))
        .unwrap_or(f64::NAN)
}

/// Compact letter display (Piepho 2004, insert-and-absorb): groups that share a letter do not differ.
/// Letters are assigned in order of the highest mean in each set.
pub fn compact_letters(
    names: &[String],
    means: &[f64],
    tukey: &[(String, String, f64)],
) -> Vec<String> {
    let k = names.len();
    let idx = |n: &str| names.iter().position(|x| x == n);
    let mut sets: Vec<Vec<bool>> = vec![vec![true; k]];
    for (a, b, p) in tukey {
        if *p >= crate::criteria::SIGNIFICANCE {
            continue;
        }
        let (Some(i), Some(j)) = (idx(a), idx(b)) else {
            continue;
        };
        let mut next = Vec::new();
        for s in sets {
            if s[i] && s[j] {
                let mut s1 = s.clone();
                s1[i] = false;
                let mut s2 = s;
                s2[j] = false;
                next.push(s1);
                next.push(s2);
            } else {
                next.push(s);
            }
        }
        // Absorb: drop sets contained in another.
        let mut kept: Vec<Vec<bool>> = Vec::new();
        for (x, s) in next.iter().enumerate() {
            let contained = next
                .iter()
                .enumerate()
                .any(|(y, t)| x != y && (0..k).all(|m| !s[m] || t[m]) && (s != t || y < x));
            if !contained && s.iter().any(|&v| v) {
                kept.push(s.clone());
            }
        }
        sets = kept;
    }
    if sets.len() == 1 {
        return vec![String::new(); k];
    }
    sets.sort_by(|s, t| {
        let best = |u: &Vec<bool>| {
            (0..k)
                .filter(|&m| u[m])
                .map(|m| means[m])
                .fold(f64::NEG_INFINITY, f64::max)
        };
        best(t).total_cmp(&best(s))
    });
    (0..k)
        .map(|m| {
            sets.iter()
                .enumerate()
                .filter(|(_, s)| s[m])
                .map(|(l, _)| char::from(b'a' + (l as u8 % 26)))
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mann_whitney_exact_matches_r() {
        // R 4.2.2: wilcox.test(a, b) (exact: fewer than 50 per group, no ties).
        let cases: [(&[f64], &[f64], f64, f64); 3] = [
            (
                &[4.2, 3.1, 5.6, 2.8, 4.9, 3.7, 6.1],
                &[5.3, 6.4, 4.4, 7.0, 5.9, 6.6, 5.1, 6.8],
                8.0,
                0.020512820512820513,
            ),
            (
                &[1.5, 2.5, 3.5],
                &[4.5, 5.5, 6.5, 7.5],
                0.0,
                0.05714285714285714,
            ),
            (
                &[4.5, 5.5, 6.5, 7.5],
                &[1.5, 2.5, 3.5],
                12.0,
                0.05714285714285714,
            ),
        ];
        for (a, b, w, p) in cases {
            let t = compare(&[a.to_vec(), b.to_vec()])
                .unwrap()
                .two_groups
                .unwrap();
            assert!(t.u_exact);
            assert_eq!(t.u, w);
            assert!((t.u_p - p).abs() < 1e-12, "p {} vs R {p}", t.u_p);
        }
        // 23 and 31 values without ties (set.seed(1); rnorm, rounded): W = 283, p = 0.20342492319996547.
        let a = [
            4.373546, 5.183643, 4.164371, 6.595281, 5.329508, 4.179532, 5.487429, 5.738325,
            5.575781, 4.694612, 6.511781, 5.389843, 4.378759, 2.7853, 6.124931, 4.955066, 4.98381,
            5.943836, 5.821221, 5.593901, 5.918977, 5.782136, 5.074565,
        ];
        let b = [
            3.610648, 6.219826, 5.543871, 5.444204, 4.129248, 5.12185, 6.017942, 6.95868, 5.497212,
            5.987672, 5.546195, 4.22294, 5.185005, 5.20571, 5.540687, 6.700025, 6.363176, 5.435476,
            5.346638, 6.296963, 6.156663, 4.911244, 4.892505, 5.964582, 6.368533, 5.487654,
            6.481108, 5.998106, 4.987974, 5.94112, 4.470637,
        ];
        let t = compare(&[a.to_vec(), b.to_vec()])
            .unwrap()
            .two_groups
            .unwrap();
        assert!(t.u_exact);
        assert_eq!(t.u, 283.0);
        assert!((t.u_p - 0.20342492319996547).abs() < 1e-12, "p {}", t.u_p);
    }
}

#[cfg(test)]
mod letter_tests {
    use super::*;

    #[test]
    fn letters_group_means_that_do_not_differ() {
        let names: Vec<String> = ["A", "B", "C"].iter().map(|s| s.to_string()).collect();
        // A and C differ, B differs from neither.
        let l = compact_letters(
            &names,
            &[3.0, 2.5, 2.0],
            &[
                ("A".into(), "B".into(), 0.2),
                ("A".into(), "C".into(), 0.01),
                ("B".into(), "C".into(), 0.3),
            ],
        );
        assert_eq!(l, ["a", "ab", "b"]);
        let none = compact_letters(&names, &[3.0, 2.5, 2.0], &[("A".into(), "B".into(), 0.2)]);
        assert_eq!(none, ["", "", ""]);
        let all = compact_letters(
            &names,
            &[3.0, 2.0, 1.0],
            &[
                ("A".into(), "B".into(), 0.0),
                ("A".into(), "C".into(), 0.0),
                ("B".into(), "C".into(), 0.0),
            ],
        );
        assert_eq!(all, ["a", "b", "c"]);
    }
}
