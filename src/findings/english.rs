//! The findings worded in English (also the contract's `warnings`).

use super::*;

impl Finding {
    pub(super) fn english(&self) -> String {
        use Finding::*;
        match self {
            RowsDropped { dropped, read, policy, alternative } => format!(
                "{dropped} of {read} respondents were left out because they {}",
                match (policy.as_str(), alternative) {
                    ("pairwise" | "fiml", _) => "answered no item".to_string(),
                    (_, Some(a)) => format!("missed at least one item (listwise deletion; {a} keeps them)"),
                    (_, None) => "missed at least one item (listwise deletion)".to_string(),
                }
            ),
            SingleItemDimension { dimension } => format!(
                "dimension '{dimension}' has a single item: no reliability can be computed for it"
            ),
            ReliabilityFailed { dimension, group: None, error } => {
                format!("reliability of '{dimension}' could not be computed: {error}")
            }
            ReliabilityFailed { dimension, group: Some(g), error } => format!(
                "reliability of '{dimension}' in {} '{}' could not be computed: {error}",
                g.by, g.group
            ),
            LowAlpha { dimension, alpha, group: None } => format!(
                "alpha of '{dimension}' is {} (below the .70 convention, Nunnally 1978): look at the item table for items that do not fit",
                apa(*alpha)
            ),
            LowAlpha { dimension, alpha, group: Some(g) } => format!(
                "alpha of '{dimension}' in {} '{}' is {} (below .70): the dimension is less reliable in this group",
                g.by,
                g.group,
                apa(*alpha)
            ),
            NegativeItemTotal { dimension, item, r_drop, marked_reverse } => format!(
                "{item} correlates negatively with the rest of '{dimension}' (r.drop = {}): is it reverse-keyed? {}",
                apa(*r_drop),
                if *marked_reverse {
                    "It is marked reverse = true: check whether the file already holds reversed answers."
                } else {
                    "Set reverse = true for it in the instrument if it is negatively worded."
                }
            ),
            LowItemTotal { dimension, item, r_drop } => format!(
                "{item} has a low corrected item–total correlation in '{dimension}' (r.drop = {} < .30)",
                apa(*r_drop)
            ),
            AlphaRisesWithout { dimension, item, alpha, alpha_without } => format!(
                "alpha of '{dimension}' rises from {} to {} without {item}",
                apa(*alpha),
                apa(*alpha_without)
            ),
            OmegaNotConverged { dimension } => {
                format!("the one-factor fit behind omega of '{dimension}' did not converge")
            }
            TooFewForFactorAnalysis { complete, items } => format!(
                "only {complete} respondents are complete on all {items} items: KMO, Bartlett, EFA and CFA need more respondents than items and were skipped"
            ),
            FactorabilityFailed { error } => {
                format!("factorability could not be assessed: {error}")
            }
            LowKmo { kmo } => format!(
                "KMO = {} is below .60 (Kaiser 1974): the items share too little variance for a factor analysis to be trusted",
                apa(*kmo)
            ),
            BartlettNotSignificant { chi2, df, p } => format!(
                "Bartlett's test does not reject uncorrelated items (χ²({df}) = {chi2:.2}, p {}): a factor analysis has little to find",
                p_clause(*p)
            ),
            ParallelAnalysisDisagrees { suggested, dimensions } => format!(
                "parallel analysis suggests {suggested} factors, the instrument has {dimensions} dimensions: compare the EFA with --factors {suggested}"
            ),
            EfaNotConverged { method } => {
                format!("the EFA ({method}) did not converge: treat its loadings with caution")
            }
            RotationNotConverged { rotation, iterations } => format!(
                "the {rotation} rotation did not converge in {iterations} iterations"
            ),
            EfaHeywood { item, communality } => format!(
                "Heywood case in the EFA: item {item} has a communality of {communality:.3} (at or near 1): try fewer factors, another extraction method (--method ml or pa), or check the item"
            ),
            EfaFailed { error } => format!("the EFA could not be run: {error}"),
            CfaSkipped { single_item_dimensions } => format!(
                "the CFA, CR, AVE and HTMT were skipped: a CFA factor needs at least 2 items and {} has one",
                quoted(single_item_dimensions)
            ),
            CfaFailed { error } => format!("the CFA could not be run: {error}"),
            CfaNotConverged { iterations } => format!(
                "CFA: the CFA did not converge in {iterations} iterations: its estimates and fit indices are unreliable; check reverse-keyed items and items with very low correlations"
            ),
            CfaHeywood { item, residual_variance, loading_std } => format!(
                "CFA: Heywood case: item {item} has a negative residual variance ({residual_variance:.3}; standardized loading {loading_std:.3}); the model is misspecified for this item or the sample is too small — consider removing the item or constraining its residual variance"
            ),
            FactorCovarianceNotPositiveDefinite => "CFA: the factor covariance matrix is not positive definite (a factor correlation ≥ 1 in absolute value): two dimensions may not be distinct — consider merging them".into(),
            PoorFit { factors, cfi, rmsea, srmr } => format!(
                "the {factors}-factor CFA fits poorly (CFI = {}, RMSEA = {}, SRMR = {}; acceptable is CFI ≥ .90, RMSEA ≤ .08 and SRMR ≤ .08, good CFI ≥ .95 and RMSEA ≤ .06, Hu & Bentler 1999): look at the loadings and modification indices before interpreting the dimensions",
                apa(*cfi),
                apa3(*rmsea),
                apa3(*srmr)
            ),
            LowCompositeReliability { dimension, cr } => format!(
                "composite reliability of '{dimension}' is {} (< .70, Hair et al. 2010)",
                apa(*cr)
            ),
            LowAve { dimension, ave } => format!(
                "AVE of '{dimension}' is {} (< .50, Fornell & Larcker 1981): its items share less variance with the factor than error",
                apa(*ave)
            ),
            HighHtmt { a, b, htmt } => format!(
                "HTMT of '{a}' and '{b}' is {} (> .85, Henseler et al. 2015): the two dimensions may not be distinct",
                apa(*htmt)
            ),
            FornellLarcker { a, b, correlation } => format!(
                "Fornell–Larcker: the correlation of '{a}' and '{b}' ({}) exceeds the square root of an AVE: discriminant validity is in doubt",
                apa(*correlation)
            ),
            GroupValueMissing { by, respondents } => format!(
                "{respondents} respondents have no value in '{by}' and are left out of the group comparison only"
            ),
            SmallGroupsLeftOut { by, groups } => format!(
                "group(s) {} of '{by}' have fewer than 2 respondents and are left out of the comparison (a group needs at least 2 for a standard deviation)",
                quoted(groups)
            ),
            TooFewGroups { by } => format!(
                "'{by}' has fewer than 2 groups with at least 2 respondents: no group comparison is possible"
            ),
            GroupComparisonFailed { dimension, error } => {
                format!("groups could not be compared on '{dimension}': {error}")
            }
            InvarianceNotTested { group, complete, items } => format!(
                "measurement invariance was not tested: {} '{}' has {complete} complete {} for {items} items (a group needs more respondents than items)",
                group.by, group.group, if *complete == 1 { "respondent" } else { "respondents" }
            ),
            InvarianceFailed { error } => {
                format!("measurement invariance could not be tested: {error}")
            }
            InvarianceNotConverged => "a multi-group CFA of the invariance tests did not converge: treat the invariance verdict with caution".into(),
            NonInvariance { by, supported: InvarianceLevel::Metric } => format!(
                "scalar invariance across '{by}' does not hold (Chen 2007): differences in dimension means may reflect item bias rather than perceived value; compare relationships, not means, or test partial invariance"
            ),
            NonInvariance { by, .. } => format!(
                "metric invariance across '{by}' does not hold (Chen 2007): the items relate to the dimensions differently in different groups; group comparisons of scores are questionable"
            ),
            CarelessResponders { flagged, screened, excluded } => format!(
                "careless-response screening flagged {flagged} of {screened} respondents{}",
                if *excluded {
                    " and left them out of every statistic"
                } else {
                    " (kept; --exclude-flagged leaves them out)"
                }
            ),
            PlsNotConverged { iterations } => format!(
                "the PLS weights did not converge in {iterations} iterations: the estimates are unreliable; check the model for constructs without paths and the items for reverse-keying errors"
            ),
            PlsLoadingAboveOne { item, loading } => format!(
                "the PLSc loading of '{item}' is {loading:.3}, beyond ±1: an inadmissible solution; check the item, or report PLS without --consistent"
            ),
            PlsCollinearity { outcome, predictor, vif } => format!(
                "collinearity: the inner VIF of '{predictor}' as a predictor of '{outcome}' is {vif:.2} (> 5); its path coefficient is unstable — consider merging overlapping constructs"
            ),
            PlsWeakPrediction { better, indicators } => format!(
                "PLSpredict: PLS predicts only {better} of {indicators} endogenous indicators better (lower RMSE) than the linear-model benchmark — low predictive power (Shmueli et al. 2019)"
            ),
            PlsGroupSkipped { by, group, n } => format!(
                "the PLS model could not be estimated in {by} '{group}' (n = {n}: too few respondents, or an indicator with one answer): its importance–performance map is left out"
            ),
            SemNotConverged { iterations } => format!(
                "the structural model did not converge in {iterations} iterations: its estimates are unreliable; check the model for variables that are not identified and the items for reverse-keying errors"
            ),
            SemNoMonteCarlo => "no Monte Carlo intervals: the covariance matrix of the estimates is not positive definite (a parameter may not be identified); use --bootstrap for the defined effects".into(),
            SemGroupNotConverged { model } => format!(
                "the {model} multi-group model did not converge: its fit and the tests that use it are unreliable"
            ),
            SemHeywood { variable, variance } => format!(
                "Heywood case in the structural model: '{variable}' has a negative variance ({variance:.3}); the model is misspecified or the sample too small — check the model, or constrain that variance"
            ),
            StandardizedAboveOne { path, value } => format!(
                "the standardized path {path} is {value:.3}, beyond ±1: predictors that overlap strongly or an empirically under-identified model; simplify the model before interpreting it"
            ),
            LatentCorrelationNearOne { a, b, correlation } => format!(
                "'{a}' and '{b}' correlate {} (beyond ±.95): they are not distinct, and the model's paths may look converged yet mean nothing; merge them or respecify",
                apa(*correlation)
            ),
            BootstrapFailures { failed, resamples } => format!(
                "{failed} of {resamples} bootstrap resamples did not converge and were left out of the intervals (as lavaan does); many failures mean the model is fragile"
            ),
            LowCoverage { coverage } => format!(
                "full-information ML: some pair of items was answered together by only {:.1}% of the respondents (below 10%): the estimates involving them rest on few answers",
                100.0 * coverage
            ),
            FewResamples { resamples } => format!(
                "a bootstrap of {resamples} resamples gives a rough interval, not a 95% interval worth reporting: use 1000 or more (--bootstrap 1000)"
            ),
            NoCjkFont { fix } => {
                format!("no Chinese (CJK) font found: charts are labelled in English; {fix}")
            }
            ChartsNotDrawn { reason } => format!("no charts were drawn: {reason}"),
            ChartsNeedCjkFont { fix } => format!(
                "no charts were drawn: group names or item texts are Chinese and no Chinese (CJK) font was found; {fix}"
            ),
            KanoQuestionable { attribute, count, n } => format!(
                "{} of {n} answers to '{attribute}' ({}) are questionable (Q: a contradictory pair, e.g. 'like' to both questions), at or above the {} level (such answers should be rare; {}): the questions may have been misunderstood; check their wording and translation",
                count, pct(*count, *n), pct_level(c::KANO_QUESTIONABLE_MAX.value), c::KANO_QUESTIONABLE_MAX.source
            ),
            KanoReverse { attribute, count, n } => format!(
                "{} of {n} answers to '{attribute}' ({}) are reverse (R: the respondent wants it absent), at or above the {} level: a segment may want the opposite — or the functional and dysfunctional columns were swapped; check the pair in the instrument",
                count, pct(*count, *n), pct_level(c::KANO_REVERSE_MAX.value)
            ),
            KanoRulesDisagree { attribute, category, grouped } => format!(
                "'{attribute}': the most frequent class is {} ({}) but the (A+O+M) vs (I+R+Q) rule gives {} ({}); report both",
                category.letter(), category.name(false), grouped.letter(), grouped.name(false)
            ),
            KanoNoBetterWorse { attribute, group } => format!(
                "'{attribute}'{}: no respondent gave an A, O, M or I answer, so Better and Worse cannot be computed (null)",
                group.as_ref().map(|g| format!(" in '{g}'")).unwrap_or_default()
            ),
            KanoCategoryShift { attribute, by_group, chisq, df, p } => format!(
                "'{attribute}' is {} (χ²({df}) = {chisq:.2}, p {})",
                shift_words(by_group, false), p_clause(*p)
            ),
            BelowAdequate { dimension, group, msa, ci } => format!(
                "{}perceived {dimension} is below the adequate (minimum acceptable) level: MSA = {:.2}, 95% CI [{:.2}, {:.2}]",
                group.as_ref().map(|g| format!("{g}: ")).unwrap_or_default(), msa, ci[0], ci[1]
            ),
            AboveDesired { dimension, group, mss, ci } => format!(
                "{}perceived {dimension} exceeds the desired level: MSS = {:.2}, 95% CI [{:.2}, {:.2}]",
                group.as_ref().map(|g| format!("{g}: ")).unwrap_or_default(), mss, ci[0], ci[1]
            ),
            AdequateAboveDesired { answers, pairs } => format!(
                "{answers} of {pairs} answered items put the adequate level above the desired one; they are kept (respondents give such answers), and their zone of tolerance is negative"
            ),
        }
    }
}

/// "12.5%".
pub(super) fn pct(count: u64, n: u64) -> String {
    if n == 0 {
        return "—".into();
    }
    format!("{:.1}%", 100.0 * count as f64 / n as f64)
}

/// A criterion's share as a percentage: "10%".
pub(super) fn pct_level(share: f64) -> String {
    format!("{}%", (share * 100.0).round())
}

/// "attractive at Harbour and Old Town but must-be at Riverside".
pub(super) fn shift_words(by_group: &[(String, Class)], zh: bool) -> String {
    let mut classes: Vec<Class> = Vec::new();
    for (_, c) in by_group {
        if !classes.contains(c) {
            classes.push(*c);
        }
    }
    let parts: Vec<String> = classes
        .iter()
        .map(|c| {
            let groups: Vec<&str> = by_group
                .iter()
                .filter(|(_, k)| k == c)
                .map(|(g, _)| g.as_str())
                .collect();
            if zh {
                format!("在{}为{}", groups.join("、"), c.name(true))
            } else {
                format!("{} at {}", c.name(false), join_and(&groups))
            }
        })
        .collect();
    if zh {
        parts.join(",")
    } else {
        match parts.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} but {last}", rest.join(", ")),
            _ => parts.join(""),
        }
    }
}

fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
