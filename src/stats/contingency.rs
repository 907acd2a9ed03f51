//! Two-way tables of counts: Pearson's χ² and its Monte Carlo p over tables with the observed margins (R's
//! `chisq.test`).

use rand_chacha::rand_core::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

/// Tables R's `chisq.test(simulate.p.value = TRUE)` draws by default.
pub const MONTE_CARLO_TABLES: usize = 2000;

/// Pearson's χ² (no continuity correction) and the smallest expected count.
pub fn pearson(table: &[Vec<u64>]) -> (f64, f64) {
    let rows: Vec<f64> = table.iter().map(|r| r.iter().sum::<u64>() as f64).collect();
    let cols: Vec<f64> = (0..table[0].len())
        .map(|j| table.iter().map(|r| r[j]).sum::<u64>() as f64)
        .collect();
    let total: f64 = rows.iter().sum();
    let mut chisq = 0.0;
    let mut min_expected = f64::INFINITY;
    for (i, row) in table.iter().enumerate() {
        for (j, &o) in row.iter().enumerate() {
            let e = rows[i] * cols[j] / total;
            min_expected = min_expected.min(e);
            chisq += (o as f64 - e).powi(2) / e;
        }
    }
    (chisq, min_expected)
}

/// The share of random tables with the observed margins whose χ² is at least the observed one, as R's
/// `chisq.test` computes it: (1 + #{χ²* ≥ (1 − 64ε) χ²}) / (B + 1). Table b draws from its own ChaCha8
/// stream of the seed, so the p is the same on any number of threads.
pub fn monte_carlo(table: &[Vec<u64>], observed: f64, seed: u64) -> f64 {
    let cols: Vec<u64> = (0..table[0].len())
        .map(|j| table.iter().map(|r| r[j]).sum())
        .collect();
    let rows: Vec<u64> = table.iter().map(|r| r.iter().sum()).collect();
    // Every unit's column, once; each random table shuffles them and deals them to the rows in turn.
    let units: Vec<usize> = cols
        .iter()
        .enumerate()
        .flat_map(|(j, &n)| std::iter::repeat_n(j, n as usize))
        .collect();
    let threshold = (1.0 - 64.0 * f64::EPSILON) * observed;
    let at_least: usize = (0..MONTE_CARLO_TABLES)
        .into_par_iter()
        .map(|b| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(b as u64);
            let mut deck = units.clone();
            // Fisher–Yates.
            for k in (1..deck.len()).rev() {
                let m = ((rng.next_u64() as u128 * (k as u128 + 1)) >> 64) as usize;
                deck.swap(k, m);
            }
            let mut drawn = vec![vec![0u64; cols.len()]; rows.len()];
            let mut at = 0;
            for (i, &n) in rows.iter().enumerate() {
                for &j in &deck[at..at + n as usize] {
                    drawn[i][j] += 1;
                }
                at += n as usize;
            }
            usize::from(pearson(&drawn).0 >= threshold)
        })
        .sum();
    (1 + at_least) as f64 / (MONTE_CARLO_TABLES + 1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::distributions::chisq_upper;

    #[test]
    fn pearson_matches_r() {
        // chisq.test(matrix(c(12, 5, 7, 9, 3, 8), 2), correct = FALSE): X-squared = 4.4553 (df 2).
        let (chisq, min_e) = pearson(&[vec![12, 7, 3], vec![5, 9, 8]]);
        let by_hand = {
            let t = [[12.0, 7.0, 3.0], [5.0, 9.0, 8.0]];
            let rows = [22.0, 22.0];
            let cols = [17.0, 16.0, 11.0];
            let mut x = 0.0;
            for i in 0..2 {
                for j in 0..3 {
                    let e: f64 = rows[i] * cols[j] / 44.0;
                    x += (t[i][j] - e).powi(2) / e;
                }
            }
            x
        };
        assert!((chisq - by_hand).abs() < 1e-12);
        assert!((min_e - 5.5).abs() < 1e-12);
    }

    #[test]
    fn monte_carlo_is_seeded_and_near_the_asymptotic_p() {
        let t = vec![vec![12, 7, 3], vec![5, 9, 8]];
        let (x, _) = pearson(&t);
        let p1 = monte_carlo(&t, x, 7);
        assert_eq!(p1, monte_carlo(&t, x, 7));
        let asymptotic = chisq_upper(x, 2.0);
        assert!((p1 - asymptotic).abs() < 0.03, "{p1} vs {asymptotic}");
    }
}
