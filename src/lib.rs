//! perval turns PERVAL perceived-value survey responses into the numbers and figures a researcher reports:
//! dimension scores, reliability (α, ω, item statistics), factor structure (KMO, Bartlett, EFA, CFA, CR, AVE,
//! HTMT) and group comparisons, each computed as R (psych, lavaan, semTools, stats) computes it.
//!
//! Data flows one way: [`data`] (files in) → [`scoring`] (reverse keying, missing data, scores) →
//! [`analysis`] (every statistic, via [`stats`]) → [`report::Report`] (plain serde data) → renderers.
//!
//! ```no_run
//! use perval::{analysis, data, instrument, scoring};
//! let inst = instrument::builtin("perval-19").unwrap();
//! let file = data::open("data/perval-stores.csv".as_ref()).unwrap();
//! let responses = file.load(&inst, Some("store"), false).unwrap();
//! let scored = scoring::score(&responses, &inst, scoring::MissingPolicy::Listwise).unwrap();
//! let opts = analysis::Options { by: Some("store".into()), ..Default::default() };
//! let report = analysis::analyze(&inst, &responses, &scored, &opts).unwrap();
//! println!("{}", report.to_json());
//! ```

pub mod analysis;
pub mod charts;
pub mod data;
pub mod error;
pub mod instrument;
pub mod output;
pub mod progress;
pub mod report;
pub mod scoring;
pub mod screening;
pub mod simulate;
pub mod stats;

pub use error::{Error, Result};
