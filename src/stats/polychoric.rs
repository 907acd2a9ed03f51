//! Polychoric correlations by two-step maximum likelihood, as lavaan::lavCor(ordered = ...) computes them:
//! first each item's thresholds from its own answer proportions (τ_k = Φ⁻¹(cumulative proportion)), then, with
//! the thresholds fixed, each pair's ρ maximises Σ n_ij ln π_ij(ρ) over the observed contingency table.
//! No correction is made for empty cells (psych::polychoric adds .5 to them by default, `correct = .5`; with
//! `correct = 0` it agrees with lavaan and perval).
//!
//! The bivariate normal probabilities use Genz's (2004) BVND algorithm (Gauss–Legendre quadrature on
//! Drezner & Wesolowsky's formula), accurate to about 1e-15.

use super::moments::{Columns, Rows};
use nalgebra::DMatrix;
use rayon::prelude::*;
use statrs::distribution::{ContinuousCDF, Normal};

fn phi(x: f64) -> f64 {
    0.5 * statrs::function::erf::erfc(-x / std::f64::consts::SQRT_2)
}

const W6: [f64; 3] = [
    0.171_324_492_379_170_5,
    0.360_761_573_048_138_4,
    0.467_913_934_572_690_4,
];
const X6: [f64; 3] = [
    -0.932_469_514_203_152_2,
    -0.661_209_386_466_264_7,
    -0.238_619_186_083_197,
];
const W12: [f64; 6] = [
    0.047_175_336_386_511_77,
    0.106_939_325_995_318_3,
    0.160_078_328_543_346_4,
    0.203_167_426_723_065_9,
    0.233_492_536_538_354_7,
    0.249_147_045_813_402_9,
];
const X12: [f64; 6] = [
    -0.981_560_634_246_719_1,
    -0.904_117_256_370_475,
    -0.769_902_674_194_305,
    -0.587_317_954_286_617_1,
    -0.367_831_498_998_180_2,
    -0.125_233_408_511_469_2,
];
const W20: [f64; 10] = [
    0.017_614_007_139_152_12,
    0.040_601_429_800_386_94,
    0.062_672_048_334_109_06,
    0.083_276_741_576_704_75,
    0.101_930_119_817_240_4,
    0.118_194_531_961_518_4,
    0.131_688_638_449_176_6,
    0.142_096_109_318_382_1,
    0.149_172_986_472_603_7,
    0.152_753_387_130_725_9,
];
// Digits as published for the 20-point rule.
#[allow(clippy::excessive_precision)]
const X20: [f64; 10] = [
    -0.993_128_599_185_094_9,
    -0.963_971_927_277_913_8,
    -0.912_234_428_251_325_9,
    -0.839_116_971_822_218_8,
    -0.746_331_906_460_150_8,
    -0.636_053_680_726_515,
    -0.510_867_001_950_827_1,
    -0.373_706_088_715_419_6,
    -0.227_785_851_141_645_1,
    -0.076_526_521_133_497_33,
];

/// P(X > h, Y > k) for standard bivariate normal (X, Y) with correlation r (Genz's BVNU).
pub fn bvn_upper(h: f64, k: f64, r: f64) -> f64 {
    let two_pi = 2.0 * std::f64::consts::PI;
    let (w, x): (&[f64], &[f64]) = if r.abs() < 0.3 {
        (&W6, &X6)
    } else if r.abs() < 0.75 {
        (&W12, &X12)
    } else {
        (&W20, &X20)
    };
    let mut hk = h * k;
    let mut bvn = 0.0;
    if r.abs() < 0.925 {
        let hs = (h * h + k * k) / 2.0;
        let asr = r.asin();
        for (wi, xi) in w.iter().zip(x) {
            for sign in [-1.0, 1.0] {
                let sn = (asr * (1.0 + sign * xi) / 2.0).sin();
                bvn += wi * ((sn * hk - hs) / (1.0 - sn * sn)).exp();
            }
        }
        return bvn * asr / (2.0 * two_pi) + phi(-h) * phi(-k);
    }
    let mut k = k;
    if r < 0.0 {
        k = -k;
        hk = -hk;
    }
    if r.abs() < 1.0 {
        let as_ = (1.0 - r) * (1.0 + r);
        let mut a = as_.sqrt();
        let bs = (h - k) * (h - k);
        let c = (4.0 - hk) / 8.0;
        let d = (12.0 - hk) / 16.0;
        bvn = a
            * (-(bs / as_ + hk) / 2.0).exp()
            * (1.0 - c * (bs - as_) * (1.0 - d * bs / 5.0) / 3.0 + c * d * as_ * as_ / 5.0);
        if hk > -160.0 {
            let b = bs.sqrt();
            bvn -= (-hk / 2.0).exp()
                * two_pi.sqrt()
                * phi(-b / a)
                * b
                * (1.0 - c * bs * (1.0 - d * bs / 5.0) / 3.0);
        }
        a /= 2.0;
        for (wi, xi) in w.iter().zip(x) {
            for sign in [-1.0, 1.0] {
                let xs = (a * (1.0 + sign * xi)).powi(2);
                let rs = (1.0 - xs).sqrt();
                let asr = -(bs / xs + hk) / 2.0;
                if asr > -100.0 {
                    bvn += a
                        * wi
                        * asr.exp()
                        * ((-hk * (1.0 - rs) / (2.0 * (1.0 + rs))).exp() / rs
                            - (1.0 + c * xs * (1.0 + d * xs)));
                }
            }
        }
        bvn = -bvn / two_pi;
    }
    if r > 0.0 {
        bvn + phi(-h.max(k))
    } else {
        let mut v = -bvn;
        if k > h {
            v += phi(k) - phi(h);
        }
        v
    }
}

/// P(X < h, Y < k), allowing infinite bounds.
fn bvn_cdf(h: f64, k: f64, r: f64) -> f64 {
    if h == f64::NEG_INFINITY || k == f64::NEG_INFINITY {
        0.0
    } else if h == f64::INFINITY {
        phi(k)
    } else if k == f64::INFINITY {
        phi(h)
    } else {
        bvn_upper(-h, -k, r)
    }
}

/// Bivariate normal density at (h, k), 0 at infinite bounds.
fn bvn_density(h: f64, k: f64, r: f64) -> f64 {
    if !h.is_finite() || !k.is_finite() {
        return 0.0;
    }
    let q = 1.0 - r * r;
    (-(h * h - 2.0 * r * h * k + k * k) / (2.0 * q)).exp() / (2.0 * std::f64::consts::PI * q.sqrt())
}

/// One ordinal item: category codes per respondent and thresholds (−∞, τ_1, …, τ_{K−1}, ∞).
struct Ordinal {
    codes: Vec<usize>,
    thresholds: Vec<f64>,
}

fn ordinal(column: &[f64]) -> Ordinal {
    let mut levels: Vec<f64> = column.to_vec();
    levels.sort_by(|a, b| a.total_cmp(b));
    levels.dedup();
    let codes: Vec<usize> = column
        .iter()
        .map(|v| levels.partition_point(|l| l < v))
        .collect();
    let mut counts = vec![0usize; levels.len()];
    for &c in &codes {
        counts[c] += 1;
    }
    let n = column.len() as f64;
    let normal = Normal::new(0.0, 1.0).expect("standard normal parameters are valid");
    let mut thresholds = vec![f64::NEG_INFINITY];
    let mut cum = 0usize;
    for &c in &counts[..counts.len() - 1] {
        cum += c;
        thresholds.push(normal.inverse_cdf(cum as f64 / n));
    }
    thresholds.push(f64::INFINITY);
    Ordinal { codes, thresholds }
}

/// ρ of one pair by ML with the thresholds fixed: the root of the score Σ n_ij π'_ij/π_ij, found by bisection.
fn pair_rho(a: &Ordinal, b: &Ordinal) -> f64 {
    let (ka, kb) = (a.thresholds.len() - 1, b.thresholds.len() - 1);
    let mut table = vec![0usize; ka * kb];
    for (&x, &y) in a.codes.iter().zip(&b.codes) {
        table[x * kb + y] += 1;
    }
    let score = |r: f64| {
        let mut s = 0.0;
        for i in 0..ka {
            for j in 0..kb {
                let n = table[i * kb + j];
                if n == 0 {
                    continue;
                }
                let (a0, a1, b0, b1) = (
                    a.thresholds[i],
                    a.thresholds[i + 1],
                    b.thresholds[j],
                    b.thresholds[j + 1],
                );
                let p = bvn_cdf(a1, b1, r) - bvn_cdf(a0, b1, r) - bvn_cdf(a1, b0, r)
                    + bvn_cdf(a0, b0, r);
                let dp = bvn_density(a1, b1, r) - bvn_density(a0, b1, r) - bvn_density(a1, b0, r)
                    + bvn_density(a0, b0, r);
                s += n as f64 * dp / p.max(1e-300);
            }
        }
        s
    };
    let (mut lo, mut hi) = (-0.9999, 0.9999);
    if score(lo) <= 0.0 {
        return lo;
    }
    if score(hi) >= 0.0 {
        return hi;
    }
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if score(mid) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Polychoric correlation matrix of complete data (rows = respondents); pairs are computed in parallel.
pub fn polychoric<X: Columns + ?Sized>(x: &X, tick: &(dyn Fn(u64) + Sync)) -> DMatrix<f64> {
    let p = x.ncols();
    let mut column = vec![0.0; x.nrows()];
    let items: Vec<Ordinal> = (0..p)
        .map(|j| {
            x.fill(j, Rows::From(0), &mut column);
            ordinal(&column)
        })
        .collect();
    let pairs: Vec<(usize, usize)> = (0..p)
        .flat_map(|i| (i + 1..p).map(move |j| (i, j)))
        .collect();
    let rhos: Vec<f64> = pairs
        .par_iter()
        .map(|&(i, j)| {
            let rho = pair_rho(&items[i], &items[j]);
            tick(1);
            rho
        })
        .collect();
    let mut r = DMatrix::identity(p, p);
    for (&(i, j), rho) in pairs.iter().zip(rhos) {
        r[(i, j)] = rho;
        r[(j, i)] = rho;
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    // R 4.2.2, mvtnorm::pmvnorm(upper = c(h, k), corr = matrix(c(1, r, r, 1), 2)), printed with digits = 15
    // (mvtnorm's own 2-d routine is Genz's BVN).
    #[test]
    fn bivariate_normal_matches_r() {
        let cases = [
            (0.0, 0.0, 0.5, 1.0 / 3.0),
            (-1.0, 0.5, 0.2, 0.125_873_523_701_675),
            (1.2, -0.3, -0.8, 0.273_758_541_407_912),
            (0.7, 0.9, 0.95, 0.743_348_026_528_738),
            (-2.1, 1.3, -0.5, 0.009_501_080_480_851_52),
            (0.3, -0.2, 0.99, 0.420_737_424_860_276),
        ];
        for (h, k, r, p) in cases {
            let got = bvn_cdf(h, k, r);
            assert!((got - p).abs() < 1e-9, "Φ2({h}, {k}; {r}) = {got}, R: {p}");
        }
    }
}
