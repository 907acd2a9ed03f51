//! Findings: what an analysis noticed and a researcher should act on, as data — what, where (dimension, item,
//! group), the values and the criterion. This is the one place that words them, in English and Chinese;
//! the terminal, the quality-flag table, the prose and the HTML report all read findings and never re-check a
//! threshold or match text. The results JSON carries them under `findings` and, worded in English, as the
//! contract's `warnings`.
//!
//! ```
//! use perval::findings::Finding;
//! use perval::instrument::Language;
//! let f = Finding::LowAlpha { dimension: "price".into(), alpha: 0.64, group: None };
//! assert!(f.text(Language::En).contains("alpha of 'price' is .64"));
//! assert!(f.flag().is_some());
//! ```

mod chinese;
mod english;

use crate::apa::{apa, apa3, p_clause};
use crate::criteria::{self as c, FitVerdict};
use crate::instrument::Language;
use crate::stats::kano::Class;
use serde::{Deserialize, Serialize};

/// A group of the `--by` column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupRef {
    /// The grouping column.
    pub by: String,
    pub group: String,
}

/// The level of measurement invariance that held (Chen 2007).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvarianceLevel {
    Configural,
    Metric,
    Scalar,
}

impl InvarianceLevel {
    pub fn name(self) -> &'static str {
        match self {
            InvarianceLevel::Configural => "configural",
            InvarianceLevel::Metric => "metric",
            InvarianceLevel::Scalar => "scalar",
        }
    }
}

/// One thing an analysis noticed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "finding", rename_all = "snake_case")]
pub enum Finding {
    /// Respondents left out by the missing-data policy.
    RowsDropped {
        dropped: usize,
        read: usize,
        /// "listwise" or "pairwise".
        policy: String,
        /// The option that would keep them, if the analysis has one.
        alternative: Option<String>,
    },
    SingleItemDimension {
        dimension: String,
    },
    ReliabilityFailed {
        dimension: String,
        group: Option<GroupRef>,
        error: String,
    },
    /// α below .70 (Nunnally 1978), overall or within a group.
    LowAlpha {
        dimension: String,
        alpha: f64,
        group: Option<GroupRef>,
    },
    /// A negative corrected item–total correlation: probably a reverse-keyed item scored as is.
    NegativeItemTotal {
        dimension: String,
        item: String,
        r_drop: f64,
        /// Whether the instrument already marks the item reverse-keyed.
        marked_reverse: bool,
    },
    /// r.drop below .30 (Nunnally & Bernstein 1994).
    LowItemTotal {
        dimension: String,
        item: String,
        r_drop: f64,
    },
    /// α rises by more than .01 without the item.
    AlphaRisesWithout {
        dimension: String,
        item: String,
        alpha: f64,
        alpha_without: f64,
    },
    OmegaNotConverged {
        dimension: String,
    },
    /// Too few complete respondents for the factor analyses.
    TooFewForFactorAnalysis {
        complete: usize,
        items: usize,
    },
    FactorabilityFailed {
        error: String,
    },
    /// KMO below .60 (Kaiser 1974).
    LowKmo {
        kmo: f64,
    },
    /// Bartlett's test does not reject sphericity.
    BartlettNotSignificant {
        chi2: f64,
        df: usize,
        p: f64,
    },
    ParallelAnalysisDisagrees {
        suggested: usize,
        dimensions: usize,
    },
    EfaNotConverged {
        method: String,
    },
    RotationNotConverged {
        rotation: String,
        iterations: usize,
    },
    /// EFA communality at or near 1.
    EfaHeywood {
        item: String,
        communality: f64,
    },
    EfaFailed {
        error: String,
    },
    /// The CFA needs two items per factor.
    CfaSkipped {
        single_item_dimensions: Vec<String>,
    },
    CfaFailed {
        error: String,
    },
    CfaNotConverged {
        iterations: usize,
    },
    /// Negative residual variance or standardized loading beyond ±1.
    CfaHeywood {
        item: String,
        residual_variance: f64,
        loading_std: f64,
    },
    FactorCovarianceNotPositiveDefinite,
    /// Fit below Hu & Bentler's acceptable cutoffs.
    PoorFit {
        factors: usize,
        cfi: f64,
        rmsea: f64,
        srmr: f64,
    },
    LowCompositeReliability {
        dimension: String,
        cr: f64,
    },
    LowAve {
        dimension: String,
        ave: f64,
    },
    HighHtmt {
        a: String,
        b: String,
        htmt: f64,
    },
    /// A factor correlation exceeds the square root of an AVE.
    FornellLarcker {
        a: String,
        b: String,
        correlation: f64,
    },
    GroupValueMissing {
        by: String,
        respondents: usize,
    },
    SmallGroupsLeftOut {
        by: String,
        groups: Vec<String>,
    },
    TooFewGroups {
        by: String,
    },
    GroupComparisonFailed {
        dimension: String,
        error: String,
    },
    InvarianceNotTested {
        group: GroupRef,
        complete: usize,
        items: usize,
    },
    InvarianceFailed {
        error: String,
    },
    InvarianceNotConverged,
    /// The highest invariance level that held is below scalar.
    NonInvariance {
        by: String,
        supported: InvarianceLevel,
    },
    CarelessResponders {
        flagged: usize,
        screened: usize,
        excluded: bool,
    },
    /// The structural model did not converge.
    SemNotConverged {
        iterations: usize,
    },
    /// Monte Carlo intervals were asked for but the parameters' covariance matrix is not positive definite.
    SemNoMonteCarlo,
    /// A multi-group structural model did not converge.
    SemGroupNotConverged {
        model: String,
    },
    /// A negative variance estimate in the structural model.
    SemHeywood {
        variable: String,
        variance: f64,
    },
    /// A standardized path beyond ±1.
    StandardizedAboveOne {
        path: String,
        value: f64,
    },
    /// Two latent variables correlate beyond ±.95: empirically under-identified or not distinct.
    LatentCorrelationNearOne {
        a: String,
        b: String,
        correlation: f64,
    },
    /// The PLS weights did not converge within the iteration limit.
    PlsNotConverged {
        iterations: usize,
    },
    /// A PLSc loading beyond ±1: an inadmissible solution.
    PlsLoadingAboveOne {
        item: String,
        loading: f64,
    },
    /// An inner VIF above 5: a construct's predictors are collinear.
    PlsCollinearity {
        outcome: String,
        predictor: String,
        vif: f64,
    },
    /// PLSpredict: PLS predicts fewer than half of the endogenous indicators better than the linear model.
    PlsWeakPrediction {
        better: usize,
        indicators: usize,
    },
    /// A group whose model could not be estimated (too few respondents, or a constant indicator).
    PlsGroupSkipped {
        by: String,
        group: String,
        n: usize,
    },
    /// Bootstrap resamples whose fit did not converge (left out).
    BootstrapFailures {
        failed: usize,
        resamples: usize,
    },
    /// FIML: some pair of items is observed together by few respondents.
    LowCoverage {
        coverage: f64,
    },
    /// A bootstrap with too few resamples for a 95% interval worth reporting.
    FewResamples {
        resamples: usize,
    },
    /// Charts were labelled in English for want of a CJK font.
    NoCjkFont {
        fix: String,
    },
    /// No charts were drawn: the data's own text (store names, item texts) is Chinese and no CJK font exists.
    ChartsNeedCjkFont {
        fix: String,
    },
    /// No charts were drawn: the data's text has characters no available font can draw (the reason says which).
    ChartsNotDrawn {
        reason: String,
    },
    /// Many questionable (Q) answers to a Kano attribute: the pair of questions may have been misunderstood.
    KanoQuestionable {
        attribute: String,
        count: u64,
        n: u64,
    },
    /// Many reverse (R) answers to a Kano attribute: a segment wants the opposite, or the pair is swapped.
    KanoReverse {
        attribute: String,
        count: u64,
        n: u64,
    },
    /// The mode and the (A+O+M) vs (I+R+Q) rule name different classes for an attribute.
    KanoRulesDisagree {
        attribute: String,
        category: Class,
        grouped: Class,
    },
    /// Nobody in a set of respondents gave an A, O, M or I answer: Better and Worse cannot be computed.
    KanoNoBetterWorse {
        attribute: String,
        group: Option<String>,
    },
    /// An attribute's class differs between groups, and the χ² test says the distributions differ.
    KanoCategoryShift {
        attribute: String,
        /// Each group with its class (the mode), in group order.
        by_group: Vec<(String, Class)>,
        chisq: f64,
        df: u64,
        p: f64,
    },
    /// Perceived performance below the adequate (minimum acceptable) level: the whole MSA interval below 0.
    BelowAdequate {
        dimension: String,
        group: Option<String>,
        msa: f64,
        ci: [f64; 2],
    },
    /// Perceived performance above the desired level: the whole MSS interval above 0.
    AboveDesired {
        dimension: String,
        group: Option<String>,
        mss: f64,
        ci: [f64; 2],
    },
    /// Answers that put the adequate level above the desired one (kept: real respondents give them).
    AdequateAboveDesired {
        answers: u64,
        pairs: u64,
    },
}

/// One failed check of the quality-flag table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    pub check: String,
    pub value: String,
    pub meaning: String,
    pub source: String,
    pub try_next: String,
}

fn flag(check: String, value: String, meaning: &str, source: &str, try_next: &str) -> Flag {
    Flag {
        check,
        value,
        meaning: meaning.into(),
        source: source.into(),
        try_next: try_next.into(),
    }
}

impl Finding {
    /// The finding as a sentence.
    pub fn text(&self, lang: Language) -> String {
        match lang {
            Language::En => self.english(),
            Language::Zh => self.chinese(),
        }
    }

    /// The row of the quality-flag table, for the findings that fail a published check.
    pub fn flag(&self) -> Option<Flag> {
        use Finding::*;
        Some(match self {
            LowAlpha {
                dimension,
                alpha,
                group: None,
            } => flag(
                format!("α of {dimension} < .70"),
                apa(*alpha),
                "the items of the dimension do not measure one thing consistently",
                c::ALPHA_MIN.source,
                "look for items with low or negative r.drop; check reverse keying",
            ),
            NegativeItemTotal { item, r_drop, .. } => flag(
                format!("r.drop of {item} < .30"),
                apa(*r_drop),
                "the item runs against its dimension: probably a reverse-keyed item scored as is",
                c::R_DROP_MIN.source,
                "set reverse = true for it in the instrument, if it is negatively worded",
            ),
            LowItemTotal { item, r_drop, .. } => flag(
                format!("r.drop of {item} < .30"),
                apa(*r_drop),
                "the item shares little with the rest of its dimension",
                c::R_DROP_MIN.source,
                "consider dropping or rewording it",
            ),
            LowKmo { kmo } => flag(
                "KMO < .60".into(),
                apa(*kmo),
                "the items share too little variance for a factor analysis",
                c::KMO_MIN.source,
                "check reverse keying and items with low correlations; collect more respondents",
            ),
            BartlettNotSignificant { p, .. } => flag(
                "Bartlett's test p ≥ .05".into(),
                p_clause(*p),
                "the correlation matrix is not distinguishable from an identity matrix",
                c::BARTLETT_P_MAX.source,
                "a factor analysis has little to find: check the data",
            ),
            LowCompositeReliability { dimension, cr } => flag(
                format!("CR of {dimension} < .70"),
                apa(*cr),
                "the factor's indicators are not reliable as a set",
                c::CR_MIN.source,
                "drop weak indicators (standardized loading < .50)",
            ),
            LowAve { dimension, ave } => flag(
                format!("AVE of {dimension} < .50"),
                apa(*ave),
                "the factor explains less of its items' variance than error does",
                c::AVE_MIN.source,
                "drop weak indicators; report CR alongside",
            ),
            HighHtmt { a, b, htmt } => flag(
                format!("HTMT {a}–{b} > .85"),
                apa(*htmt),
                "the two dimensions may not be distinct",
                c::HTMT_MAX.source,
                "inspect cross-loadings; consider merging the dimensions",
            ),
            FornellLarcker { a, b, correlation } => flag(
                format!("Fornell–Larcker {a}–{b}"),
                apa(*correlation),
                "the factors correlate more than they explain their own items",
                c::FORNELL_LARCKER,
                "inspect cross-loadings; consider merging the dimensions",
            ),
            PoorFit {
                cfi, rmsea, srmr, ..
            } => {
                let mut failed = Vec::new();
                if *cfi < c::CFI_ACCEPTABLE.value {
                    failed.push(format!("CFI = {}", apa(*cfi)));
                }
                if *rmsea > c::RMSEA_ACCEPTABLE.value {
                    failed.push(format!("RMSEA = {}", apa3(*rmsea)));
                }
                if *srmr > c::SRMR_MAX.value {
                    failed.push(format!("SRMR = {}", apa3(*srmr)));
                }
                flag(
                    "CFA fit: CFI < .90, RMSEA > .08 or SRMR > .08".into(),
                    failed.join(", "),
                    "the model reproduces the covariances poorly",
                    "Hu & Bentler (1999); Browne & Cudeck (1993)",
                    "look at the modification indices and the loadings",
                )
            }
            EfaHeywood { item, communality } => flag(
                format!("Heywood case (EFA, {item})"),
                format!("h² = {communality:.3}"),
                "an impossible estimate (communality ≥ 1)",
                "Kolenikov & Bollen (2012)",
                "fewer factors, another extraction method, or drop the item",
            ),
            CfaHeywood {
                item,
                residual_variance,
                ..
            } => flag(
                format!("Heywood case (CFA, {item})"),
                format!("residual variance {residual_variance:.3}"),
                "an impossible estimate (negative variance)",
                "Kolenikov & Bollen (2012)",
                "drop the item or constrain its residual variance",
            ),
            SemHeywood { variable, variance } => flag(
                format!("Heywood case (SEM, {variable})"),
                format!("variance {variance:.3}"),
                "an impossible estimate (negative variance)",
                "Kolenikov & Bollen (2012)",
                "check the model and the items; constrain the variance or drop the indicator",
            ),
            PlsLoadingAboveOne { item, loading } => flag(
                format!("PLSc loading of {item} beyond ±1"),
                format!("{loading:.3}"),
                "an inadmissible estimate (the construct's ρ_A is too high for its weights)",
                "Dijkstra & Henseler (2015)",
                "check the item; estimate without --consistent",
            ),
            PlsCollinearity { outcome, predictor, vif } => flag(
                format!("inner VIF of {predictor} → {outcome} > 5"),
                format!("{vif:.2}"),
                "the predictors of the construct are collinear: their paths are unstable",
                "Hair et al. (2019)",
                "merge the overlapping constructs or drop one predictor",
            ),
            StandardizedAboveOne { path, value } => flag(
                format!("standardized path {path} beyond ±1"),
                format!("{value:.3}"),
                "a sign of multicollinearity or an empirically under-identified model",
                "Deegan (1978); Jöreskog (1999)",
                "look for predictors that measure the same thing; simplify the model",
            ),
            LatentCorrelationNearOne { a, b, correlation } => flag(
                format!("latent correlation {a}–{b} > .95"),
                apa(*correlation),
                "the two latent variables are not distinct: numbers that look converged may mean nothing",
                "Kline (2016)",
                "merge the two variables or respecify the model",
            ),
            NonInvariance { supported, .. } => flag(
                "Measurement non-invariance".into(),
                supported.name().into(),
                "group means of the dimensions may reflect item bias",
                c::CHEN_DELTA_CFI.source,
                "test partial invariance; compare relationships rather than means",
            ),
            _ => return None,
        })
    }

    /// A short note for the item table: (dimension, item, note).
    pub fn item_note(&self) -> Option<(&str, &str, String)> {
        use Finding::*;
        match self {
            NegativeItemTotal {
                dimension, item, ..
            } => Some((dimension, item, "negative r.drop: reverse-keying?".into())),
            LowItemTotal {
                dimension, item, ..
            } => Some((dimension, item, "r.drop < .30".into())),
            AlphaRisesWithout {
                dimension,
                item,
                alpha_without,
                ..
            } => Some((
                dimension,
                item,
                format!("α rises to {} without it", apa(*alpha_without)),
            )),
            _ => None,
        }
    }
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|d| format!("'{d}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn in_group(group: &Option<GroupRef>) -> String {
    group
        .as_ref()
        .map(|g| format!("在{}“{}”中,", g.by, g.group))
        .unwrap_or_default()
}

/// The verdict of a fit in words: (English, Chinese).
pub fn fit_words(v: FitVerdict) -> (&'static str, &'static str) {
    match v {
        FitVerdict::Good => ("well", "良好"),
        FitVerdict::Acceptable => ("acceptably", "可以接受"),
        FitVerdict::Poor => ("poorly", "欠佳"),
    }
}
