//! Numbers in APA style, shared by the findings and every renderer: bounded statistics without a leading zero
//! (α = .87), p-values below .001 as "< .001".
//!
//! ```
//! use perval::apa::{apa, apa3, p_apa, p_clause};
//! assert_eq!(apa(0.783), ".78");
//! assert_eq!(apa(-0.45), "-.45");
//! assert_eq!(apa3(0.0193), ".019");
//! assert_eq!(p_apa(0.0004), "< .001");
//! assert_eq!(p_clause(0.0134), "= .013");
//! ```

/// Two decimals, no leading zero (".78", "-.45"); "—" for a number that could not be computed (NaN, ∞).
pub fn apa(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    strip_zero(format!("{x:.2}"))
}

/// Three decimals, no leading zero; "—" for NaN or ∞.
pub fn apa3(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    strip_zero(format!("{x:.3}"))
}

fn strip_zero(s: String) -> String {
    if s == "NaN" {
        return "—".into();
    }
    s.strip_prefix("0.")
        .map(|r| format!(".{r}"))
        .or_else(|| s.strip_prefix("-0.").map(|r| format!("-.{r}")))
        .unwrap_or(s)
}

/// p in APA style: "< .001" or ".023"; "—" for NaN.
pub fn p_apa(p: f64) -> String {
    if p.is_nan() {
        "—".into()
    } else if p < 0.001 {
        "< .001".into()
    } else {
        apa3(p)
    }
}

/// p as it follows "p" in a sentence: "< .001" or "= .023".
pub fn p_clause(p: f64) -> String {
    if p < 0.001 {
        "< .001".into()
    } else {
        format!("= {}", p_apa(p))
    }
}

/// Two decimals with a leading zero (means, SDs, F); "—" for NaN.
pub fn f2(x: f64) -> String {
    if x.is_nan() {
        "—".into()
    } else {
        format!("{x:.2}")
    }
}

/// A model's fit as a paper writes it: "χ²(146) = 186.39, p = .013, CFI = .99, TLI = .99, RMSEA = .019,
/// 90% CI [.009, .027], SRMR = .023".
pub fn fit_line(f: &crate::stats::sem::FitIndices) -> String {
    format!(
        "χ²({}) = {:.2}, p {}, CFI = {}, TLI = {}, RMSEA = {}, 90% CI [{}, {}], SRMR = {}",
        f.df,
        f.chisq,
        p_clause(f.pvalue),
        apa(f.cfi),
        apa(f.tli),
        apa3(f.rmsea),
        apa3(f.rmsea_ci90[0]),
        apa3(f.rmsea_ci90[1]),
        apa3(f.srmr)
    )
}
