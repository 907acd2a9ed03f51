//! Every finding has both wordings: an English sentence, and a Chinese one that is Chinese (not the English text
//! again). The list names every variant of `Finding` — a new variant without an entry here fails to compile
//! the exhaustiveness check below.

use perval::findings::{Finding, GroupRef, InvarianceLevel};
use perval::instrument::Language;
use perval::stats::kano::Class;

fn g() -> GroupRef {
    GroupRef {
        by: "store".into(),
        group: "Harbour".into(),
    }
}

fn every_finding() -> Vec<Finding> {
    vec![
        Finding::RowsDropped {
            dropped: 3,
            read: 3,
            policy: "x".into(),
            alternative: Some("Harbour".into()),
        },
        Finding::SingleItemDimension {
            dimension: "x".into(),
        },
        Finding::ReliabilityFailed {
            dimension: "x".into(),
            group: Some(g()),
            error: "x".into(),
        },
        Finding::LowAlpha {
            dimension: "x".into(),
            alpha: 0.42,
            group: Some(g()),
        },
        Finding::NegativeItemTotal {
            dimension: "x".into(),
            item: "x".into(),
            r_drop: 0.42,
            marked_reverse: true,
        },
        Finding::LowItemTotal {
            dimension: "x".into(),
            item: "x".into(),
            r_drop: 0.42,
        },
        Finding::AlphaRisesWithout {
            dimension: "x".into(),
            item: "x".into(),
            alpha: 0.42,
            alpha_without: 0.42,
        },
        Finding::OmegaNotConverged {
            dimension: "x".into(),
        },
        Finding::TooFewForFactorAnalysis {
            complete: 3,
            items: 3,
        },
        Finding::FactorabilityFailed { error: "x".into() },
        Finding::LowKmo { kmo: 0.42 },
        Finding::BartlettNotSignificant {
            chi2: 0.42,
            df: 3,
            p: 0.42,
        },
        Finding::ParallelAnalysisDisagrees {
            suggested: 3,
            dimensions: 3,
        },
        Finding::EfaNotConverged { method: "x".into() },
        Finding::RotationNotConverged {
            rotation: "x".into(),
            iterations: 3,
        },
        Finding::EfaHeywood {
            item: "x".into(),
            communality: 0.42,
        },
        Finding::EfaFailed { error: "x".into() },
        Finding::CfaSkipped {
            single_item_dimensions: vec!["a".into(), "b".into()],
        },
        Finding::CfaFailed { error: "x".into() },
        Finding::CfaNotConverged { iterations: 3 },
        Finding::CfaHeywood {
            item: "x".into(),
            residual_variance: 0.42,
            loading_std: 0.42,
        },
        Finding::FactorCovarianceNotPositiveDefinite,
        Finding::PoorFit {
            factors: 3,
            cfi: 0.42,
            rmsea: 0.42,
            srmr: 0.42,
        },
        Finding::LowCompositeReliability {
            dimension: "x".into(),
            cr: 0.42,
        },
        Finding::LowAve {
            dimension: "x".into(),
            ave: 0.42,
        },
        Finding::HighHtmt {
            a: "x".into(),
            b: "x".into(),
            htmt: 0.42,
        },
        Finding::FornellLarcker {
            a: "x".into(),
            b: "x".into(),
            correlation: 0.42,
        },
        Finding::GroupValueMissing {
            by: "x".into(),
            respondents: 3,
        },
        Finding::SmallGroupsLeftOut {
            by: "x".into(),
            groups: vec!["a".into(), "b".into()],
        },
        Finding::TooFewGroups { by: "x".into() },
        Finding::GroupComparisonFailed {
            dimension: "x".into(),
            error: "x".into(),
        },
        Finding::InvarianceNotTested {
            group: g(),
            complete: 3,
            items: 3,
        },
        Finding::InvarianceFailed { error: "x".into() },
        Finding::InvarianceNotConverged,
        Finding::NonInvariance {
            by: "x".into(),
            supported: InvarianceLevel::Metric,
        },
        Finding::CarelessResponders {
            flagged: 3,
            screened: 3,
            excluded: true,
        },
        Finding::SemNotConverged { iterations: 3 },
        Finding::SemNoMonteCarlo,
        Finding::SemGroupNotConverged { model: "x".into() },
        Finding::SemHeywood {
            variable: "x".into(),
            variance: 0.42,
        },
        Finding::StandardizedAboveOne {
            path: "x".into(),
            value: 0.42,
        },
        Finding::LatentCorrelationNearOne {
            a: "x".into(),
            b: "x".into(),
            correlation: 0.42,
        },
        Finding::PlsNotConverged { iterations: 3 },
        Finding::PlsLoadingAboveOne {
            item: "x".into(),
            loading: 0.42,
        },
        Finding::PlsCollinearity {
            outcome: "x".into(),
            predictor: "x".into(),
            vif: 0.42,
        },
        Finding::PlsWeakPrediction {
            better: 3,
            indicators: 3,
        },
        Finding::PlsGroupSkipped {
            by: "x".into(),
            group: "x".into(),
            n: 3,
        },
        Finding::BootstrapFailures {
            failed: 3,
            resamples: 3,
        },
        Finding::LowCoverage { coverage: 0.42 },
        Finding::FewResamples { resamples: 3 },
        Finding::NoCjkFont { fix: "x".into() },
        Finding::ChartsNeedCjkFont { fix: "x".into() },
        Finding::ChartsNotDrawn { reason: "x".into() },
        Finding::KanoQuestionable {
            attribute: "x".into(),
            count: 3,
            n: 3,
        },
        Finding::KanoReverse {
            attribute: "x".into(),
            count: 3,
            n: 3,
        },
        Finding::KanoRulesDisagree {
            attribute: "x".into(),
            category: Class::A,
            grouped: Class::A,
        },
        Finding::KanoNoBetterWorse {
            attribute: "x".into(),
            group: Some("Harbour".into()),
        },
        Finding::KanoCategoryShift {
            attribute: "x".into(),
            by_group: vec![("Harbour".into(), Class::A), ("Riverside".into(), Class::M)],
            chisq: 0.42,
            df: 3,
            p: 0.42,
        },
        Finding::BelowAdequate {
            dimension: "x".into(),
            group: Some("Harbour".into()),
            msa: 0.42,
            ci: [-0.4, -0.1],
        },
        Finding::AboveDesired {
            dimension: "x".into(),
            group: Some("Harbour".into()),
            mss: 0.42,
            ci: [-0.4, -0.1],
        },
        Finding::AdequateAboveDesired {
            answers: 3,
            pairs: 3,
        },
    ]
}

/// Fails to compile when a variant is added without an entry in `every_finding`.
#[allow(dead_code)]
fn exhaustive(f: &Finding) {
    match f {
        Finding::RowsDropped { .. } => {}
        Finding::SingleItemDimension { .. } => {}
        Finding::ReliabilityFailed { .. } => {}
        Finding::LowAlpha { .. } => {}
        Finding::NegativeItemTotal { .. } => {}
        Finding::LowItemTotal { .. } => {}
        Finding::AlphaRisesWithout { .. } => {}
        Finding::OmegaNotConverged { .. } => {}
        Finding::TooFewForFactorAnalysis { .. } => {}
        Finding::FactorabilityFailed { .. } => {}
        Finding::LowKmo { .. } => {}
        Finding::BartlettNotSignificant { .. } => {}
        Finding::ParallelAnalysisDisagrees { .. } => {}
        Finding::EfaNotConverged { .. } => {}
        Finding::RotationNotConverged { .. } => {}
        Finding::EfaHeywood { .. } => {}
        Finding::EfaFailed { .. } => {}
        Finding::CfaSkipped { .. } => {}
        Finding::CfaFailed { .. } => {}
        Finding::CfaNotConverged { .. } => {}
        Finding::CfaHeywood { .. } => {}
        Finding::FactorCovarianceNotPositiveDefinite => {}
        Finding::PoorFit { .. } => {}
        Finding::LowCompositeReliability { .. } => {}
        Finding::LowAve { .. } => {}
        Finding::HighHtmt { .. } => {}
        Finding::FornellLarcker { .. } => {}
        Finding::GroupValueMissing { .. } => {}
        Finding::SmallGroupsLeftOut { .. } => {}
        Finding::TooFewGroups { .. } => {}
        Finding::GroupComparisonFailed { .. } => {}
        Finding::InvarianceNotTested { .. } => {}
        Finding::InvarianceFailed { .. } => {}
        Finding::InvarianceNotConverged => {}
        Finding::NonInvariance { .. } => {}
        Finding::CarelessResponders { .. } => {}
        Finding::SemNotConverged { .. } => {}
        Finding::SemNoMonteCarlo => {}
        Finding::SemGroupNotConverged { .. } => {}
        Finding::SemHeywood { .. } => {}
        Finding::StandardizedAboveOne { .. } => {}
        Finding::LatentCorrelationNearOne { .. } => {}
        Finding::PlsNotConverged { .. } => {}
        Finding::PlsLoadingAboveOne { .. } => {}
        Finding::PlsCollinearity { .. } => {}
        Finding::PlsWeakPrediction { .. } => {}
        Finding::PlsGroupSkipped { .. } => {}
        Finding::BootstrapFailures { .. } => {}
        Finding::LowCoverage { .. } => {}
        Finding::FewResamples { .. } => {}
        Finding::NoCjkFont { .. } => {}
        Finding::ChartsNeedCjkFont { .. } => {}
        Finding::ChartsNotDrawn { .. } => {}
        Finding::KanoQuestionable { .. } => {}
        Finding::KanoReverse { .. } => {}
        Finding::KanoRulesDisagree { .. } => {}
        Finding::KanoNoBetterWorse { .. } => {}
        Finding::KanoCategoryShift { .. } => {}
        Finding::BelowAdequate { .. } => {}
        Finding::AboveDesired { .. } => {}
        Finding::AdequateAboveDesired { .. } => {}
    }
}

#[test]
fn every_finding_is_worded_in_english_and_in_chinese() {
    let all = every_finding();
    for f in &all {
        exhaustive(f);
        let (en, zh) = (f.text(Language::En), f.text(Language::Zh));
        assert!(
            en.len() > 10 && en.is_ascii() || en.chars().any(char::is_alphabetic),
            "{f:?}: {en}"
        );
        assert!(
            zh.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)),
            "{f:?}: the Chinese wording has no Chinese: {zh}"
        );
        assert_ne!(en, zh, "{f:?}");
    }
    assert_eq!(all.len(), 61);
}
