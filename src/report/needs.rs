//! The results of the customer-needs families (`perval kano`, `perval expectations`): one document with the
//! contract's `schema`, the instrument, the input, every setting that changes a number, the family's block
//! and the findings. The Likert [`super::Report`] carries the same blocks when `analyze` runs them.

use crate::analysis::expectations::result::ExpectationsBlock;
use crate::analysis::kano::result::KanoBlock;
use crate::findings::Finding;
use crate::instrument::{Instrument, Language};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// The results document of `perval kano` and `perval expectations`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NeedsReport {
    pub schema: String,
    pub perval_version: String,
    pub instrument: NeedsInstrument,
    /// Every setting that changes a number, as a sentence.
    pub settings: IndexMap<String, String>,
    pub input: NeedsInput,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kano: Option<KanoBlock>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expectations: Option<ExpectationsBlock>,
    pub findings: Vec<Finding>,
    /// The findings in English.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NeedsInstrument {
    pub id: String,
    pub name: String,
    /// "en" or "zh".
    pub language: Language,
    /// Dimension id → label (for the expectations tables and the Kano attributes' dimensions).
    pub dimension_labels: IndexMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NeedsInput {
    pub file: String,
    pub rows_read: usize,
    pub notes: Vec<String>,
}

impl NeedsReport {
    pub fn new(
        instrument: &Instrument,
        file: &std::path::Path,
        rows_read: usize,
        notes: Vec<String>,
    ) -> NeedsReport {
        NeedsReport {
            schema: super::SCHEMA.into(),
            perval_version: env!("CARGO_PKG_VERSION").into(),
            instrument: NeedsInstrument {
                id: instrument.id.clone(),
                name: instrument.name.clone(),
                language: instrument.language,
                dimension_labels: instrument
                    .dimensions
                    .iter()
                    .map(|d| (d.id.clone(), d.label.clone()))
                    .collect(),
            },
            settings: IndexMap::new(),
            input: NeedsInput {
                file: file.display().to_string(),
                rows_read,
                notes,
            },
            kano: None,
            expectations: None,
            findings: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// The needs blocks of a Likert report (`analyze` on an instrument with `[kano]` or `[expectations]`), for
    /// the figures they share with `perval kano` and `perval expectations`.
    pub fn of_report(r: &super::Report) -> NeedsReport {
        NeedsReport {
            schema: r.schema.clone(),
            perval_version: r.perval_version.clone(),
            instrument: NeedsInstrument {
                id: r.instrument.id.clone(),
                name: r.instrument.name.clone(),
                language: r.instrument.language,
                dimension_labels: r.instrument.dimension_labels.clone(),
            },
            settings: IndexMap::new(),
            input: NeedsInput {
                file: r.input.file.clone(),
                rows_read: r.input.rows_read,
                notes: Vec::new(),
            },
            kano: r.kano.clone(),
            expectations: r.expectations.clone(),
            findings: Vec::new(),
            warnings: Vec::new(),
        }
    }

    pub fn language(&self) -> Language {
        self.instrument.language
    }

    pub fn add_findings(&mut self, findings: Vec<Finding>) {
        for f in findings {
            self.warnings.push(f.text(Language::En));
            self.findings.push(f);
        }
    }

    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).expect("report serialises") + "\n"
    }

    /// The terminal text: the family's tables, the settings and the warnings.
    pub fn terminal(&self) -> String {
        let mut out = format!(
            "perval {} — {} ({})\n{}: {} respondents read\n",
            self.perval_version,
            self.instrument.name,
            self.instrument.id,
            self.input.file,
            self.input.rows_read
        );
        for n in &self.input.notes {
            out += &format!("  note: {n}\n");
        }
        if let Some(k) = &self.kano {
            out += &super::kano::terminal(k);
        }
        if let Some(e) = &self.expectations {
            out += &super::expectations::terminal(e, &self.instrument.dimension_labels);
        }
        out += "\nSettings:\n";
        for (k, v) in &self.settings {
            out += &format!("  {k}: {v}\n");
        }
        if !self.warnings.is_empty() {
            out += "\nWarnings:\n";
            for w in &self.warnings {
                out += &format!("  ! {w}\n");
            }
        }
        out
    }
}
