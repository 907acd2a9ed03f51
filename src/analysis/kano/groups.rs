//! Kano attributes compared across groups: Pearson's χ² of each attribute's A/O/M/I distribution, Cramér's V,
//! a Monte Carlo p when expected counts are small, and the pairwise differences of Better and Worse.

use super::result::{Difference, GroupTest};
use crate::criteria::EXPECTED_COUNT_MIN;
use crate::stats::contingency::{monte_carlo, pearson};
use crate::stats::distributions::chisq_upper;
use crate::stats::kano::{newcombe, Class, Tally};

const TESTED: [Class; 4] = [Class::A, Class::O, Class::M, Class::I];

/// The test of one attribute across the groups (name, tally), or None when fewer than 2 groups or classes
/// remain after leaving out those empty throughout.
pub fn test(groups: &[(&str, &Tally)], seed: u64) -> Option<GroupTest> {
    let rows: Vec<(&str, [u64; 4])> = groups
        .iter()
        .map(|(g, t)| (*g, TESTED.map(|c| t.count(c))))
        .filter(|(_, r)| r.iter().sum::<u64>() > 0)
        .collect();
    let kept: Vec<usize> = (0..4)
        .filter(|&j| rows.iter().any(|(_, r)| r[j] > 0))
        .collect();
    if rows.len() < 2 || kept.len() < 2 {
        return None;
    }
    let table: Vec<Vec<u64>> = rows
        .iter()
        .map(|(_, r)| kept.iter().map(|&j| r[j]).collect())
        .collect();
    let (chisq, min_expected) = pearson(&table);
    let (r, c) = (table.len(), kept.len());
    let df = ((r - 1) * (c - 1)) as u64;
    let total: u64 = table.iter().flatten().sum();
    let cramers_v = (chisq / (total as f64 * (r.min(c) - 1) as f64)).sqrt();
    let p_monte_carlo =
        (min_expected < EXPECTED_COUNT_MIN.value).then(|| monte_carlo(&table, chisq, seed));
    Some(GroupTest {
        chisq,
        df,
        p: chisq_upper(chisq, df as f64),
        cramers_v,
        classes: kept.iter().map(|&j| TESTED[j]).collect(),
        groups: rows.iter().map(|(g, _)| g.to_string()).collect(),
        min_expected,
        p_monte_carlo,
    })
}

/// Better and Worse of group a minus group b (Newcombe's hybrid score intervals of the two proportions).
pub fn difference(a: &Tally, b: &Tally) -> Difference {
    let (ba, bb) = (a.better_worse_base(), b.better_worse_base());
    let better = newcombe(
        a.count(Class::A) + a.count(Class::O),
        ba,
        b.count(Class::A) + b.count(Class::O),
        bb,
    );
    // Worse is minus the share of O + M: its difference is minus that share's difference.
    let worse = newcombe(
        a.count(Class::O) + a.count(Class::M),
        ba,
        b.count(Class::O) + b.count(Class::M),
        bb,
    )
    .map(|(d, [lo, hi])| (-d, [-hi, -lo]));
    Difference {
        better: better.map(|x| x.0),
        better_ci95: better.map(|x| x.1),
        worse: worse.map(|x| x.0),
        worse_ci95: worse.map(|x| x.1),
    }
}
