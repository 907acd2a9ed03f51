//! The report's frame: what was read and dropped, the instrument, every setting that changes a number, and
//! the assembly of the sections' results into one [`Report`].

use super::data::item_counts;
use super::factor::{FactorBlock, Structure};
use super::{Correlation, Findings, Options};
use crate::data::Responses;
use crate::findings::Finding;
use crate::instrument::{Instrument, Language};
use crate::report::*;
use crate::scoring::Scored;
use indexmap::IndexMap;

/// Respondents left out by the missing-data policy.
/// `pairwise_possible`: the sections that run could keep those respondents with `--missing pairwise`.
pub(super) fn missing_data(scored: &Scored, pairwise_possible: bool, findings: &mut Findings) {
    if scored.rows_dropped > 0 {
        findings.push(Finding::RowsDropped {
            dropped: scored.rows_dropped,
            read: scored.rows_read,
            policy: scored.policy.name().into(),
            alternative: pairwise_possible.then(|| "--missing pairwise".to_string()),
        });
    }
}

/// Everything the sections produced.
pub(super) struct Parts<'a> {
    pub instrument: &'a Instrument,
    pub responses: &'a Responses,
    pub scored: &'a Scored,
    pub options: &'a Options,
    pub structure: Option<&'a Structure>,
    /// Respondents complete on every item.
    pub n_complete: usize,
    pub dimensions: IndexMap<String, DimensionResult>,
    pub factor: Option<FactorBlock>,
    pub cfa: Option<CfaBlock>,
    pub groups: Option<GroupsBlock>,
    pub sem: Option<structural::SemBlock>,
    pub pls: Option<pls::PlsBlock>,
    pub findings: Vec<Finding>,
}

pub(super) fn assemble(parts: Parts) -> Report {
    let Parts {
        instrument,
        responses,
        scored,
        options,
        structure,
        n_complete,
        dimensions,
        factor,
        cfa,
        groups,
        sem,
        pls,
        findings,
    } = parts;
    let items: Vec<String> = instrument.items.iter().map(|i| i.id.clone()).collect();
    let factor = factor.unwrap_or_default();
    let warnings = findings.iter().map(|f| f.text(Language::En)).collect();
    Report {
        schema: SCHEMA.into(),
        perval_version: env!("CARGO_PKG_VERSION").into(),
        instrument: instrument_info(instrument),
        settings: settings(instrument, scored, options, n_complete),
        input: Input {
            file: responses.path.display().to_string(),
            rows_read: scored.rows_read,
            rows_used: scored.rows.len(),
            rows_dropped: scored.rows_dropped,
            missing_policy: scored.policy,
            notes: responses.notes.clone(),
            missing_per_item: items
                .iter()
                .cloned()
                .zip(scored.missing_per_item.iter().copied())
                .collect(),
        },
        dimensions,
        factorability: factor.factorability,
        eigenvalues: factor.eigenvalues,
        parallel_analysis: factor.parallel,
        item_correlations: structure.filter(|s| s.enough).map(|s| {
            s.r.row_iter()
                .map(|row| row.iter().copied().collect())
                .collect()
        }),
        item_distributions: item_counts(instrument, &scored.items, None),
        efa: factor.efa,
        cfa,
        groups,
        sem,
        pls,
        screening: None,
        kano: None,
        expectations: None,
        findings,
        warnings,
    }
}

fn instrument_info(instrument: &Instrument) -> InstrumentInfo {
    let ids = |d: &crate::instrument::Dimension| {
        d.items
            .iter()
            .map(|&i| instrument.items[i].id.clone())
            .collect()
    };
    let covariates_only =
        |d: &crate::instrument::Dimension| d.items.iter().all(|&i| instrument.items[i].covariate);
    InstrumentInfo {
        id: instrument.id.clone(),
        name: instrument.name.clone(),
        citation: instrument.citation.clone(),
        language: instrument.language,
        scale: [instrument.scale.min, instrument.scale.max],
        scale_labels: instrument.scale.labels.clone(),
        // A structural model's covariates (age, a dummy) are read through the instrument but are no answers.
        dimension_items: instrument
            .dimensions
            .iter()
            .filter(|d| !covariates_only(d))
            .map(|d| (d.id.clone(), ids(d)))
            .collect(),
        dimension_labels: instrument
            .dimensions
            .iter()
            .filter(|d| !covariates_only(d))
            .map(|d| (d.id.clone(), d.label.clone()))
            .collect(),
        translated_labels: crate::instrument::translated_labels(instrument)
            .unwrap_or_default()
            .into_iter()
            .collect(),
        item_texts: instrument
            .items
            .iter()
            .map(|i| (i.id.clone(), i.text.clone()))
            .collect(),
        reverse_keyed: instrument
            .items
            .iter()
            .filter(|i| i.reverse)
            .map(|i| i.id.clone())
            .collect(),
    }
}

fn settings(instrument: &Instrument, scored: &Scored, options: &Options, n_fa: usize) -> Settings {
    Settings {
        missing_policy: scored.policy,
        reverse_scoring: format!(
            "(min + max) - x with the instrument's scale bounds {} and {}",
            instrument.scale.min, instrument.scale.max
        ),
        correlation: match options.correlation {
            Correlation::Pearson => "pearson",
            Correlation::Polychoric => "polychoric (two-step ML, as lavaan::lavCor) for KMO, Bartlett, eigenvalues, parallel analysis and EFA; Pearson covariances for the CFA",
        }
        .into(),
        factor_rows: format!(
            "{n_fa} respondents complete on all items (listwise, as lavaan's default)"
        ),
        efa_method: options.efa_method.name().into(),
        efa_rotation: options.efa_rotation.name().into(),
        efa_factors: options
            .efa_factors
            .unwrap_or(instrument.dimensions.len()),
        cfa_estimator: "ML (normal likelihood, marker-variable identification, as lavaan::cfa)".into(),
        bootstrap: options
            .bootstrap
            .map(|(replicates, seed)| BootstrapSettings {
                replicates,
                seed,
                interval: "percentile, complete cases".into(),
            }),
    }
}
