//! The tolerance policy of every comparison with R, in one place (tests/fixtures/REFERENCE.md describes it):
//! |perval − R| ≤ tol · max(1, |R|), p-values absolutely (tol · 1); integers and names exactly.
//!
//! * closed-form statistics (means, SDs, α, λ6, correlations, KMO, Bartlett, eigenvalues, ANOVA, Welch,
//!   Kruskal–Wallis, Tukey and Games–Howell p, t intervals): [`CLOSED`] — R writes 15 significant digits, and
//!   perval agrees with R to 7e-12 or better on both reference cases (the largest: Games–Howell and Mann–Whitney p, whose R routines integrate numerically);
//! * ω total (a one-factor minres fit in psych, whose optimiser stops early): [`OMEGA`];
//! * iterative fits (EFA loadings and communalities, CFA loadings and fit indices, invariance fits,
//!   polychoric correlations): [`ITERATIVE`] — R's optimisers stop at their own tolerances; perval solves the
//!   estimating equations to a gradient below 1e-9;
//! * structural models (the perval-chain case, whose make.R refits every model by a second route to the
//!   optimum): [`SEM_ESTIMATE`], [`SEM_LIKELIHOOD`] (relative), [`SEM_FIT_INDEX`].
//!
//! * PLS path models (the perval-chain case, seminr and cSEM, whose stop rule leaves the estimates about
//!   1e-11 from the fixed point): [`PLS_ESTIMATE`] for every point estimate.
//!
//! A tolerance is never loosened to pass a test: a difference means a difference in the method.

// Each test crate uses the parts it needs.
#![allow(dead_code)]

use serde_json::Value;

/// Closed-form statistics.
pub const CLOSED: f64 = 1e-9;
/// McDonald's ω total.
pub const OMEGA: f64 = 1e-5;
/// Iterative estimates.
pub const ITERATIVE: f64 = 1e-3;

/// Structural models (tests/fixtures/perval-chain/README.md, "Tolerances"): parameter estimates, standard
/// errors, z, std.all, R², p-values (absolute).
pub const SEM_ESTIMATE: f64 = 1e-4;
/// χ², log-likelihood, AIC, BIC and the baseline χ², relative.
pub const SEM_LIKELIHOOD: f64 = 1e-6;
/// CFI, TLI, RMSEA and its interval, SRMR.
pub const SEM_FIT_INDEX: f64 = 1e-5;

/// PLS and PLSc point estimates: weights, loadings, paths, R², f², effects, α, ρ_A, ρ_C, AVE, HTMT, VIF,
/// SRMR, PLSpredict errors, IPMA.
pub const PLS_ESTIMATE: f64 = 1e-6;

/// Compare two numbers under the tolerance policy.
pub fn close(path: &str, actual: &Value, expected: &Value, tol: f64, absolute: bool) {
    let (a, e) = (actual.as_f64(), expected.as_f64());
    let (Some(a), Some(e)) = (a, e) else {
        panic!("{path}: expected number {expected}, got {actual}")
    };
    let scale = if absolute { 1.0 } else { e.abs().max(1.0) };
    assert!(
        (a - e).abs() <= tol * scale,
        "{path}: perval {a}, R {e} (|diff| {:.3e} > {tol:e})",
        (a - e).abs()
    );
}

/// Walk `expected` and compare every number found at the same place in `actual` with `tol`.
pub fn walk(path: &str, actual: &Value, expected: &Value, tol: &dyn Fn(&str) -> (f64, bool)) {
    match expected {
        Value::Object(map) => {
            for (k, v) in map {
                let sub = format!("{path}.{k}");
                let a = actual
                    .get(k)
                    .unwrap_or_else(|| panic!("{sub}: missing in perval's output"));
                walk(&sub, a, v, tol);
            }
        }
        Value::Array(items) => {
            let arr = actual
                .as_array()
                .unwrap_or_else(|| panic!("{path}: expected an array"));
            assert_eq!(arr.len(), items.len(), "{path}: length");
            for (i, v) in items.iter().enumerate() {
                walk(&format!("{path}[{i}]"), &arr[i], v, tol);
            }
        }
        Value::Number(n) if n.is_i64() || n.is_u64() => {
            if actual.is_i64() || actual.is_u64() {
                assert_eq!(actual, expected, "{path}");
            } else {
                let (t, abs) = tol(path);
                close(path, actual, expected, t, abs);
            }
        }
        Value::Number(_) => {
            let (t, abs) = tol(path);
            close(path, actual, expected, t, abs);
        }
        _ => assert_eq!(actual, expected, "{path}"),
    }
}
