//! Synthetic responses from a factor model, for benchmarks, tests, teaching and power analysis.
//!
//! Each respondent belongs to group g = i mod K; the dimension factors η ~ N(μ_g, Φ) with every factor
//! correlation equal to `factor_correlation` and group means shifted by `group_shift` latent SDs (group g by
//! g·shift on the dimension g mod m); each item y = λ η_dim + sqrt(1 − λ²) ε is cut into the scale points by
//! equally spaced thresholds; reverse-keyed items are stored reversed ((min + max) − x), and a share
//! `missing_rate` of the answers is left blank. Rows are generated in blocks, each from its own ChaCha8 stream
//! of the seed, so a seed gives the same file on any number of threads.
//!
//! ```
//! use perval::simulate::{simulate, Spec};
//! let inst = perval::instrument::builtin("perval-19").unwrap();
//! let csv = simulate(&inst, &Spec { n: 10, ..Spec::default() });
//! assert_eq!(csv.lines().count(), 11);
//! ```

use crate::instrument::Instrument;
use rand::distr::Distribution;
use rand_chacha::rand_core::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use statrs::distribution::Normal;

/// What to simulate.
#[derive(Debug, Clone)]
pub struct Spec {
    pub n: usize,
    pub groups: usize,
    pub seed: u64,
    /// Standardized loading of every item.
    pub loading: f64,
    /// Correlation of every pair of dimension factors.
    pub factor_correlation: f64,
    /// Mean difference between successive groups, in latent standard deviations.
    pub group_shift: f64,
    /// Share of answers left blank.
    pub missing_rate: f64,
}

impl Default for Spec {
    fn default() -> Self {
        Spec {
            n: 1000,
            groups: 1,
            seed: 1,
            loading: 0.75,
            factor_correlation: 0.4,
            group_shift: 0.25,
            missing_rate: 0.0,
        }
    }
}

const BLOCK: usize = 8192;

/// The simulated responses as CSV text: respondent_id, store (with more than one group), then the items.
pub fn simulate(inst: &Instrument, spec: &Spec) -> String {
    let mut out = Vec::new();
    simulate_to(inst, spec, &mut out).expect("writing to memory does not fail");
    String::from_utf8(out).expect("the CSV is built from UTF-8 strings")
}

/// [`simulate`], written to `w` as it is generated: blocks of rows are made on all cores, a few at a time, so
/// memory stays bounded for any number of respondents.
pub fn simulate_to(
    inst: &Instrument,
    spec: &Spec,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let p = inst.items.len();
    let m = inst.dimensions.len();
    // Cholesky factor of the equicorrelation matrix.
    let phi = nalgebra::DMatrix::from_fn(
        m,
        m,
        |a, b| if a == b { 1.0 } else { spec.factor_correlation },
    );
    let chol = phi
        .clone()
        .cholesky()
        .map(|c| c.l())
        .unwrap_or_else(|| nalgebra::DMatrix::identity(m, m));
    let points = (inst.scale.max - inst.scale.min).round().max(1.0) as usize + 1;
    // Thresholds spread over ±1.8 latent SD, slightly towards agreement as in most satisfaction data.
    let thresholds: Vec<f64> = (1..points)
        .map(|k| -1.8 + 3.6 * k as f64 / points as f64 - 0.2)
        .collect();
    let lambda = spec.loading.clamp(0.0, 0.99);
    let resid = (1.0 - lambda * lambda).sqrt();
    let mut header = vec!["respondent_id".to_string()];
    if spec.groups > 1 {
        header.push("store".into());
    }
    header.extend(inst.items.iter().map(|i| i.id.clone()));
    writeln!(w, "{}", header.join(","))?;
    let block = |b: usize| {
        let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
        rng.set_stream(b as u64);
        let normal = Normal::new(0.0, 1.0).expect("standard normal parameters are valid");
        let mut out = String::with_capacity(BLOCK * (p * 2 + 12));
        let mut z = vec![0.0; m];
        let mut eta = vec![0.0; m];
        for i in b * BLOCK..((b + 1) * BLOCK).min(spec.n) {
            let g = i % spec.groups.max(1);
            for zk in z.iter_mut() {
                *zk = normal.sample(&mut rng);
            }
            for a in 0..m {
                eta[a] = (0..=a).map(|k| chol[(a, k)] * z[k]).sum::<f64>();
                if g > 0 && a == g % m {
                    eta[a] += spec.group_shift * g as f64;
                }
            }
            out.push_str(&(i + 1).to_string());
            if spec.groups > 1 {
                out.push_str(",S");
                out.push_str(&(g + 1).to_string());
            }
            for item in &inst.items {
                out.push(',');
                let y = lambda * eta[item.dimension] + resid * normal.sample(&mut rng);
                let missing = spec.missing_rate > 0.0
                    && (rng.next_u64() as f64 / u64::MAX as f64) < spec.missing_rate;
                if missing {
                    continue;
                }
                let cat = thresholds.partition_point(|t| *t < y);
                let value = inst.scale.min as i64 + cat as i64;
                let value = if item.reverse {
                    (inst.scale.min + inst.scale.max) as i64 - value
                } else {
                    value
                };
                out.push_str(&value.to_string());
            }
            out.push('\n');
        }
        out
    };
    let blocks: Vec<usize> = (0..spec.n.div_ceil(BLOCK)).collect();
    for round in blocks.chunks(32) {
        let texts: Vec<String> = round.par_iter().map(|&b| block(b)).collect();
        for t in texts {
            w.write_all(t.as_bytes())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_file_and_answers_in_range() {
        let inst = crate::instrument::builtin("perval-19").unwrap();
        let spec = Spec {
            n: 20_000,
            groups: 3,
            missing_rate: 0.02,
            ..Spec::default()
        };
        let a = simulate(&inst, &spec);
        assert_eq!(a, simulate(&inst, &spec));
        assert_ne!(
            a,
            simulate(
                &inst,
                &Spec {
                    seed: 2,
                    ..spec.clone()
                }
            )
        );
        let mut blanks = 0;
        for line in a.lines().skip(1) {
            for v in line.split(',').skip(2) {
                if v.is_empty() {
                    blanks += 1;
                } else {
                    let x: i64 = v.parse().unwrap();
                    assert!((1..=7).contains(&x));
                }
            }
        }
        let share = blanks as f64 / (20_000.0 * 19.0);
        assert!((share - 0.02).abs() < 0.003, "{share}");
    }
}
