//! Every conventional threshold perval judges a number by, once, with its source. Sections compare against
//! these to make findings and verdicts; renderers only show what was decided.
//!
//! ```
//! use perval::criteria::{self, FitVerdict};
//! assert_eq!(criteria::fit_verdict(0.96, 0.05, 0.04), FitVerdict::Good);
//! assert_eq!(criteria::fit_verdict(0.92, 0.07, 0.06), FitVerdict::Acceptable);
//! assert_eq!(criteria::fit_verdict(0.88, 0.07, 0.06), FitVerdict::Poor);
//! ```

use serde::{Deserialize, Serialize};

/// A threshold with the source that sets it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Criterion {
    pub value: f64,
    pub source: &'static str,
}

/// Cronbach's α ≥ .70 for research use (Nunnally 1978).
pub const ALPHA_MIN: Criterion = Criterion {
    value: 0.70,
    source: "Nunnally (1978)",
};
/// α ≥ .80: good internal consistency (Nunnally 1978).
pub const ALPHA_GOOD: Criterion = Criterion {
    value: 0.80,
    source: "Nunnally (1978)",
};
/// Corrected item–total correlation ≥ .30 (Nunnally & Bernstein 1994).
pub const R_DROP_MIN: Criterion = Criterion {
    value: 0.30,
    source: "Nunnally & Bernstein (1994)",
};
/// An item is flagged when α rises by more than this without it.
pub const ALPHA_IF_DELETED_RISE: f64 = 0.01;
/// KMO ≥ .60 ("mediocre" below; Kaiser 1974).
pub const KMO_MIN: Criterion = Criterion {
    value: 0.60,
    source: "Kaiser (1974)",
};
/// Bartlett's test of sphericity must reject at α = .05 (Bartlett 1950).
pub const BARTLETT_P_MAX: Criterion = Criterion {
    value: 0.05,
    source: "Bartlett (1950)",
};
/// EFA loadings below this are left blank in tables and charts (a common reporting convention; psych's
/// print cut).
pub const LOADING_SHOWN: f64 = 0.30;
/// An EFA communality at or above this is a Heywood case.
pub const HEYWOOD_COMMUNALITY: f64 = 0.995;
/// Composite reliability ≥ .70 (Hair et al. 2010).
pub const CR_MIN: Criterion = Criterion {
    value: 0.70,
    source: "Hair et al. (2010)",
};
/// Average variance extracted ≥ .50 (Fornell & Larcker 1981).
pub const AVE_MIN: Criterion = Criterion {
    value: 0.50,
    source: "Fornell & Larcker (1981)",
};
/// HTMT < .85 (Henseler, Ringle & Sarstedt 2015).
pub const HTMT_MAX: Criterion = Criterion {
    value: 0.85,
    source: "Henseler, Ringle & Sarstedt (2015)",
};
/// The liberal HTMT threshold of the one-sided bootstrap test (Henseler, Ringle & Sarstedt 2015; Franke &
/// Sarstedt 2019): constructs that are conceptually similar.
pub const HTMT_LIBERAL: Criterion = Criterion {
    value: 0.90,
    source: "Franke & Sarstedt (2019)",
};
/// An inner (structural) VIF above 5 signals collinearity among a construct's predictors (Hair et al. 2019).
pub const VIF_MAX: Criterion = Criterion {
    value: 5.0,
    source: "Hair et al. (2019)",
};
/// A latent correlation above .95 (or a standardized coefficient above 1) signals an empirically
/// under-identified structural model (Kline 2016).
pub const LATENT_CORRELATION_MAX: Criterion = Criterion {
    value: 0.95,
    source: "Kline (2016)",
};
/// Fornell–Larcker: a factor correlation must stay below both √AVE (Fornell & Larcker 1981).
pub const FORNELL_LARCKER: &str = "Fornell & Larcker (1981)";
/// Hu & Bentler (1999): good fit CFI ≥ .95, RMSEA ≤ .06, SRMR ≤ .08.
pub const CFI_GOOD: Criterion = Criterion {
    value: 0.95,
    source: "Hu & Bentler (1999)",
};
pub const RMSEA_GOOD: Criterion = Criterion {
    value: 0.06,
    source: "Hu & Bentler (1999)",
};
pub const SRMR_MAX: Criterion = Criterion {
    value: 0.08,
    source: "Hu & Bentler (1999)",
};
/// Acceptable fit: CFI ≥ .90 (Bentler & Bonett 1980; Hu & Bentler 1999), RMSEA ≤ .08 (Browne & Cudeck 1993).
pub const CFI_ACCEPTABLE: Criterion = Criterion {
    value: 0.90,
    source: "Hu & Bentler (1999)",
};
pub const RMSEA_ACCEPTABLE: Criterion = Criterion {
    value: 0.08,
    source: "Browne & Cudeck (1993)",
};
/// Chen (2007): a step of measurement invariance holds when CFI drops by less than .010 and RMSEA rises by
/// less than .015.
pub const CHEN_DELTA_CFI: Criterion = Criterion {
    value: -0.010,
    source: "Chen (2007)",
};
pub const CHEN_DELTA_RMSEA: Criterion = Criterion {
    value: 0.015,
    source: "Chen (2007)",
};
/// FIML: a pair of items observed together by less than this share of respondents is warned about (lavaan's
/// coverage warning).
pub const COVERAGE_MIN: Criterion = Criterion {
    value: 0.10,
    source: "lavaan (Rosseel 2012)",
};
/// Conventional significance level of the group comparisons and post-hoc pairs.
pub const SIGNIFICANCE: f64 = 0.05;
/// Expected counts below 5 make Pearson's χ² approximation doubtful (Cochran 1954): a Monte Carlo p is added.
pub const EXPECTED_COUNT_MIN: Criterion = Criterion {
    value: 5.0,
    source: "Cochran (1954)",
};
/// Questionable (Q) Kano answers — a contradictory pair — should be rare (Berger et al. 1993); a share at or
/// above 10% is flagged (perval's convention: the literature gives no number).
pub const KANO_QUESTIONABLE_MAX: Criterion = Criterion {
    value: 0.10,
    source: "Berger et al. (1993)",
};
/// Reverse (R) Kano answers at or above 10% are flagged: a segment that wants the opposite, or a pair whose
/// questions were swapped (perval's convention, as for Q).
pub const KANO_REVERSE_MAX: Criterion = Criterion {
    value: 0.10,
    source: "Berger et al. (1993)",
};

/// How well a model fits, by Hu & Bentler's (1999) cutoffs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FitVerdict {
    /// CFI ≥ .95, RMSEA ≤ .06 and SRMR ≤ .08.
    Good,
    /// CFI ≥ .90, RMSEA ≤ .08 and SRMR ≤ .08.
    Acceptable,
    Poor,
}

pub fn fit_verdict(cfi: f64, rmsea: f64, srmr: f64) -> FitVerdict {
    if cfi >= CFI_GOOD.value && rmsea <= RMSEA_GOOD.value && srmr <= SRMR_MAX.value {
        FitVerdict::Good
    } else if cfi >= CFI_ACCEPTABLE.value
        && rmsea <= RMSEA_ACCEPTABLE.value
        && srmr <= SRMR_MAX.value
    {
        FitVerdict::Acceptable
    } else {
        FitVerdict::Poor
    }
}

/// Internal consistency of a dimension by Nunnally's (1978) conventions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlphaVerdict {
    /// α < .70.
    Low,
    /// .70 ≤ α < .80.
    Acceptable,
    /// α ≥ .80.
    Good,
}

pub fn alpha_verdict(alpha: f64) -> AlphaVerdict {
    if alpha >= ALPHA_GOOD.value {
        AlphaVerdict::Good
    } else if alpha >= ALPHA_MIN.value {
        AlphaVerdict::Acceptable
    } else {
        AlphaVerdict::Low
    }
}

/// The items suit a factor analysis: KMO ≥ .60 and Bartlett's test significant.
pub fn factorable(kmo: f64, bartlett_p: f64) -> bool {
    kmo >= KMO_MIN.value && bartlett_p < BARTLETT_P_MAX.value
}

/// One invariance step holds by Chen (2007).
pub fn invariance_step_holds(delta_cfi: f64, delta_rmsea: f64) -> bool {
    delta_cfi > CHEN_DELTA_CFI.value && delta_rmsea < CHEN_DELTA_RMSEA.value
}
