//! Distribution functions statrs lacks: the studentized range (R's `ptukey`, Copenhaver & Holland 1988, by
//! the same Gauss–Legendre quadrature) and the non-central χ² (Poisson mixture of central χ²).

use statrs::distribution::{ChiSquared, ContinuousCDF, StudentsT};
use statrs::function::gamma::{gamma_lr, ln_gamma};

/// The 97.5th percentile of the standard normal distribution (R's `qnorm(0.975)`).
#[allow(clippy::excessive_precision)]
pub const Z975: f64 = 1.959963984540054;

/// The Wald test of an estimate: (z, two-sided normal p, 95% interval). When the standard error is zero or not
/// finite (a constant defined parameter, a division by zero, a non-identified model) no test is possible: all
/// three are NaN — null in the JSON and "—" in a table — never z = ∞ and p = 0.
pub fn wald(est: f64, se: f64) -> (f64, f64, [f64; 2]) {
    if !(se.is_finite() && se > 0.0 && est.is_finite()) {
        return (f64::NAN, f64::NAN, [f64::NAN, f64::NAN]);
    }
    let z = est / se;
    let p = 2.0 * statrs::distribution::Normal::standard().sf(z.abs());
    (z, p, [est - Z975 * se, est + Z975 * se])
}

/// Upper tail of χ²(df) at x (R's `pchisq(x, df, lower.tail = FALSE)`); NaN for df < 1.
pub fn chisq_upper(x: f64, df: f64) -> f64 {
    ChiSquared::new(df).map_or(f64::NAN, |d| d.sf(x))
}

/// The 97.5th percentile of Student's t with `df` degrees of freedom (R's `qt(0.975, df)`).
pub fn t975(df: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df).map_or(f64::NAN, |t| t.inverse_cdf(0.975))
}

/// Standard normal CDF at `x - mu`.
fn pnorm(x: f64, mu: f64) -> f64 {
    0.5 * statrs::function::erf::erfc(-(x - mu) / std::f64::consts::SQRT_2)
}

// Gauss–Legendre nodes and weights as published (Stroud & Secrest 1966) and used by R's ptukey.c.
#[allow(clippy::excessive_precision)]
const XLEG: [f64; 6] = [
    0.981560634246719250690549090149,
    0.904117256370474856678465866119,
    0.769902674194304687036893833213,
    0.587317954286617447296702418941,
    0.367831498998180193752691536644,
    0.125233408511468915472441369464,
];
#[allow(clippy::excessive_precision)]
const ALEG: [f64; 6] = [
    0.047175336386511827194615961485,
    0.106939325995318430960254718194,
    0.160078328543346226334652529543,
    0.203167426723065921749064455810,
    0.233492536538354808760849898925,
    0.249147045813402785000562436043,
];
#[allow(clippy::excessive_precision)]
const XLEGQ: [f64; 8] = [
    0.989400934991649932596154173450,
    0.944575023073232576077988415535,
    0.865631202387831743880467897712,
    0.755404408355003033895101194847,
    0.617876244402643748446671764049,
    0.458016777657227386342419442984,
    0.281603550779258913230460501460,
    0.950125098376374401853193354250e-1,
];
#[allow(clippy::excessive_precision)]
const ALEGQ: [f64; 8] = [
    0.271524594117540948517805724560e-1,
    0.622535239386478928628438369944e-1,
    0.951585116824927848099251076022e-1,
    0.124628971255533872052476282192,
    0.149595988816576732081501730547,
    0.169156519395002538189312079030,
    0.182603415044923588866763667969,
    0.189450610455068496285396723208,
];

/// Probability that the range of `cc` standard normals (in `rr` blocks) is below `w` (R's wprob).
fn wprob(w: f64, rr: f64, cc: f64) -> f64 {
    const BB: f64 = 8.0;
    let qsqz = w * 0.5;
    if qsqz >= BB {
        return 1.0;
    }
    let mut pr_w = 2.0 * pnorm(qsqz, 0.0) - 1.0;
    pr_w = if pr_w >= (-50.0 / cc).exp() {
        pr_w.powf(cc)
    } else {
        0.0
    };
    let wincr = if w > 3.0 { 2.0 } else { 3.0 };
    let mut blb = qsqz;
    let binc = (BB - qsqz) / wincr;
    let mut bub = blb + binc;
    let mut einsum = 0.0;
    let cc1 = cc - 1.0;
    let mut wi = 1.0;
    while wi <= wincr {
        let mut elsum = 0.0;
        let a = 0.5 * (bub + blb);
        let b = 0.5 * (bub - blb);
        for jj in 1..=12usize {
            let (j, xx) = if 6 < jj {
                (12 - jj + 1, XLEG[12 - jj])
            } else {
                (jj, -XLEG[jj - 1])
            };
            let ac = a + b * xx;
            let qexpo = ac * ac;
            if qexpo > 60.0 {
                break;
            }
            let pplus = 2.0 * pnorm(ac, 0.0);
            let pminus = 2.0 * pnorm(ac, w);
            let rinsum = pplus * 0.5 - pminus * 0.5;
            if rinsum >= (-30.0 / cc1).exp() {
                elsum += ALEG[j - 1] * (-(0.5 * qexpo)).exp() * rinsum.powf(cc1);
            }
        }
        elsum *= 2.0 * b * cc / (2.0 * std::f64::consts::PI).sqrt();
        einsum += elsum;
        blb = bub;
        bub += binc;
        wi += 1.0;
    }
    pr_w += einsum;
    if pr_w <= (-30.0 / rr).exp() {
        return 0.0;
    }
    pr_w = pr_w.powf(rr);
    if pr_w >= 1.0 {
        1.0
    } else {
        pr_w
    }
}

/// Lower-tail CDF of the studentized range with `nmeans` means and `df` degrees of freedom (R's
/// `ptukey(q, nmeans, df)`, one block). Returns NaN for df < 2 or nmeans < 2.
pub fn ptukey(q: f64, nmeans: f64, df: f64) -> f64 {
    let (rr, cc) = (1.0, nmeans);
    if q.is_nan() || df.is_nan() || df < 2.0 || cc < 2.0 {
        return f64::NAN;
    }
    if q <= 0.0 {
        return 0.0;
    }
    if !q.is_finite() {
        return 1.0;
    }
    if df > 25000.0 {
        return wprob(q, rr, cc);
    }
    let f2 = df * 0.5;
    let mut f2lf = f2 * df.ln() - df * std::f64::consts::LN_2 - ln_gamma(f2);
    let f21 = f2 - 1.0;
    let ff4 = df * 0.25;
    let ulen: f64 = if df <= 100.0 {
        1.0
    } else if df <= 800.0 {
        0.5
    } else if df <= 5000.0 {
        0.25
    } else {
        0.125
    };
    f2lf += ulen.ln();
    let mut ans = 0.0;
    for i in 1..=50 {
        let mut otsum = 0.0;
        let twa1 = (2 * i - 1) as f64 * ulen;
        for jj in 1..=16usize {
            let (j, upper) = if 8 < jj {
                (jj - 8 - 1, true)
            } else {
                (jj - 1, false)
            };
            let t1 = if upper {
                f2lf + f21 * (twa1 + XLEGQ[j] * ulen).ln() - (XLEGQ[j] * ulen + twa1) * ff4
            } else {
                f2lf + f21 * (twa1 - XLEGQ[j] * ulen).ln() + (XLEGQ[j] * ulen - twa1) * ff4
            };
            if t1 >= -30.0 {
                let qsqz = if upper {
                    q * ((XLEGQ[j] * ulen + twa1) * 0.5).sqrt()
                } else {
                    q * ((-(XLEGQ[j] * ulen) + twa1) * 0.5).sqrt()
                };
                otsum += wprob(qsqz, rr, cc) * ALEGQ[j] * t1.exp();
            }
        }
        if i as f64 * ulen >= 1.0 && otsum <= 1e-14 {
            break;
        }
        ans += otsum;
    }
    ans.min(1.0)
}

/// CDF of the non-central χ² with `df` degrees of freedom and non-centrality `ncp` at `x`: the Poisson(λ/2)
/// mixture of central χ²(df + 2j) CDFs, summed outward from the Poisson mode. The central CDFs are regularized
/// gamma functions P(a, x/2), stepped by the recurrence P(a + 1, y) = P(a, y) − yᵃe^{−y}/Γ(a + 1), so a large
/// λ (a CFA on a million respondents) costs one gamma function and a few thousand multiplications.
pub fn pnchisq(x: f64, df: f64, ncp: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let y = x / 2.0;
    if ncp <= 0.0 {
        return gamma_lr(df / 2.0, y);
    }
    let half = ncp / 2.0;
    let ln_weight = |j: f64| -half + j * half.ln() - ln_gamma(j + 1.0);
    // ln of the recurrence step yᵃe^{−y}/Γ(a + 1).
    let ln_step = |a: f64| a * y.ln() - y - ln_gamma(a + 1.0);
    let mode = half.floor();
    let a0 = df / 2.0 + mode;
    let p0 = gamma_lr(a0, y);
    let mut total = ln_weight(mode).exp() * p0;
    // Upward: j = mode + 1, mode + 2, ...
    let (mut p, mut j) = (p0, mode);
    loop {
        p -= ln_step(df / 2.0 + j).exp();
        j += 1.0;
        let w = ln_weight(j).exp();
        total += w * p.max(0.0);
        if (w < 1e-17 && j > half) || j > mode + 1e6 {
            break;
        }
    }
    // Downward: j = mode − 1, ..., 0.
    let (mut p, mut j) = (p0, mode);
    while j >= 1.0 {
        j -= 1.0;
        p += ln_step(df / 2.0 + j).exp();
        let w = ln_weight(j).exp();
        total += w * p.min(1.0);
        if w < 1e-17 {
            break;
        }
    }
    total.clamp(0.0, 1.0)
}

/// The non-centrality λ ≥ 0 at which `pnchisq(x, df, λ) = p` (0 if even λ = 0 gives less than p).
pub fn ncp_for_probability(x: f64, df: f64, p: f64) -> f64 {
    if pnchisq(x, df, 0.0) < p {
        return 0.0;
    }
    let (mut lo, mut hi) = (0.0, x.max(1.0));
    while pnchisq(x, df, hi) > p {
        lo = hi;
        hi *= 2.0;
        if hi > 1e9 {
            return f64::NAN;
        }
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if pnchisq(x, df, mid) > p {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 1e-10 * hi.max(1.0) {
            break;
        }
    }
    0.5 * (lo + hi)
}

#[cfg(test)]
#[allow(clippy::excessive_precision)]
mod tests {
    use super::*;

    // Reference values from R 4.2.2 (Debian bookworm), printed with digits = 15:
    //   ptukey(3.5, 3, 12)                          0.930004514724551
    //   ptukey(2, 5, 30, lower.tail = FALSE)        0.623612861520724
    //   ptukey(4.2, 4, 200, lower.tail = FALSE)     0.0174677748732132
    //   ptukey(3.1, 3, 740, lower.tail = FALSE)     0.0731873659617317
    //   ptukey(3.1, 3, 30000, lower.tail = FALSE)   0.0725204539455401
    //   ptukey(2.5, 10, 7000, lower.tail = FALSE)   0.755662822791918
    //   pchisq(150, 140, ncp = 10)                  0.515799232825883
    //   pchisq(186.387, 146, ncp = 20)              0.854264891261644
    #[test]
    fn ptukey_matches_r() {
        let cases = [
            (3.5, 3.0, 12.0, false, 0.930004514724551),
            (2.0, 5.0, 30.0, true, 0.623612861520724),
            (4.2, 4.0, 200.0, true, 0.0174677748732132),
            (3.1, 3.0, 740.0, true, 0.0731873659617317),
            (3.1, 3.0, 30000.0, true, 0.0725204539455401),
            (2.5, 10.0, 7000.0, true, 0.755662822791918),
        ];
        for (q, k, df, upper, r) in cases {
            let p = ptukey(q, k, df);
            let p = if upper { 1.0 - p } else { p };
            // p-values are compared absolutely (tolerance policy: 1e-6); the quadrature is R's, the normal
            // CDF inside it is statrs' erfc, which differs from R's pnorm in the last digits.
            assert!((p - r).abs() < 1e-9, "ptukey({q}, {k}, {df}) = {p}, R: {r}");
        }
    }

    #[test]
    fn noncentral_chisq_matches_r() {
        assert!((pnchisq(150.0, 140.0, 10.0) - 0.515799232825883).abs() < 1e-10);
        assert!((pnchisq(186.387, 146.0, 20.0) - 0.854264891261644).abs() < 1e-10);
    }

    #[test]
    fn noncentral_chisq_reduces_to_central() {
        let p = pnchisq(3.84145882069412, 1.0, 0.0);
        assert!((p - 0.95).abs() < 1e-12);
        let lam = ncp_for_probability(20.0, 5.0, 0.05);
        assert!((pnchisq(20.0, 5.0, lam) - 0.05).abs() < 1e-10);
    }
}
