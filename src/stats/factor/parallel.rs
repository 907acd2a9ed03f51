//! Horn's (1965) parallel analysis on principal-component eigenvalues: how many eigenvalues of the observed
//! correlation matrix exceed the 95th percentile of those of random normal data of the same size.
//!
//! Random data of n respondents × p items are not generated: the sample covariance matrix of n independent
//! normal vectors is Wishart(n − 1, I)/(n − 1), drawn directly by Bartlett's decomposition (T lower triangular,
//! T_ii² ~ χ²(n − i), T_ij ~ N(0, 1)), which has exactly the same distribution and costs p(p + 1)/2 draws per
//! replicate whatever n is. Replicate b uses ChaCha8 stream b of the seed, so the result does not depend on
//! the number of threads. (psych::fa.parallel simulates data with R's generator; its percentiles differ from
//! these by simulation error only.)

use super::super::linalg::eigen_desc;
use super::super::moments::cov_to_cor;
use super::super::quantiles::quantile7;
use nalgebra::DMatrix;
use rand::distr::Distribution;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use statrs::distribution::{ChiSquared, Normal};

/// Result of a parallel analysis.
#[derive(Debug, Clone)]
pub struct ParallelAnalysis {
    pub iterations: usize,
    pub seed: u64,
    pub percentile: f64,
    /// 95th percentile of the random eigenvalues, by position.
    pub random_eigenvalues: Vec<f64>,
    /// Number of leading observed eigenvalues above their random counterparts.
    pub suggested_factors: usize,
}

/// Parallel analysis for `observed` eigenvalues (descending) of a p-item correlation matrix from n respondents.
pub fn parallel_analysis(
    observed: &[f64],
    n: usize,
    iterations: usize,
    seed: u64,
    tick: &(dyn Fn(u64) + Sync),
) -> ParallelAnalysis {
    const PERCENTILE: f64 = 0.95;
    let p = observed.len();
    let draws: Vec<Vec<f64>> = (0..iterations)
        .into_par_iter()
        .map(|b| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(b as u64);
            let ev = random_eigenvalues(n, p, &mut rng);
            tick(1);
            ev
        })
        .collect();
    let random_eigenvalues: Vec<f64> = (0..p)
        .map(|k| {
            let mut v: Vec<f64> = draws.iter().map(|d| d[k]).collect();
            v.sort_by(|a, b| a.total_cmp(b));
            quantile7(&v, PERCENTILE)
        })
        .collect();
    let suggested_factors = observed
        .iter()
        .zip(&random_eigenvalues)
        .take_while(|(o, r)| o > r)
        .count();
    ParallelAnalysis {
        iterations,
        seed,
        percentile: PERCENTILE,
        random_eigenvalues,
        suggested_factors,
    }
}

/// Eigenvalues of the correlation matrix of one random n × p normal sample (via Bartlett's decomposition).
fn random_eigenvalues(n: usize, p: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
    let normal = Normal::new(0.0, 1.0).expect("standard normal parameters are valid");
    let mut t = DMatrix::<f64>::zeros(p, p);
    for i in 0..p {
        let df = (n as f64 - 1.0 - i as f64).max(1.0);
        let chi = ChiSquared::new(df).expect("df is positive");
        t[(i, i)] = chi.sample(rng).sqrt();
        for j in 0..i {
            t[(i, j)] = normal.sample(rng);
        }
    }
    let cov = &t * t.transpose();
    eigen_desc(&cov_to_cor(&cov)).0.iter().copied().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_eigenvalues_are_near_one_for_large_n() {
        let pa = parallel_analysis(&[3.0, 1.5, 1.2, 0.2, 0.05, 0.05], 100_000, 50, 1, &|_| {});
        assert!(
            pa.random_eigenvalues.iter().all(|e| (e - 1.0).abs() < 0.05),
            "{:?}",
            pa.random_eigenvalues
        );
        assert_eq!(pa.suggested_factors, 3);
        // Same seed, same answer.
        let again = parallel_analysis(&[3.0, 1.5, 1.2, 0.2, 0.05, 0.05], 100_000, 50, 1, &|_| {});
        assert_eq!(pa.random_eigenvalues, again.random_eigenvalues);
    }

    #[test]
    fn percentiles_match_simulated_normal_data() {
        // R 4.2.2: set.seed(1); e <- replicate(4000, eigen(cor(matrix(rnorm(1000), 100)))$values);
        //          apply(e, 1, quantile, .95)
        // = 1.684 1.470 1.320 1.199 1.092 0.995 0.907 0.822 0.736 0.641 (simulation error about ±.01)
        let r = [
            1.684, 1.470, 1.320, 1.199, 1.092, 0.995, 0.907, 0.822, 0.736, 0.641,
        ];
        let pa = parallel_analysis(&[1.0; 10], 100, 4000, 3, &|_| {});
        for (k, (a, e)) in pa.random_eigenvalues.iter().zip(r).enumerate() {
            assert!((a - e).abs() < 0.02, "eigenvalue {k}: {a} vs R {e}");
        }
    }
}
