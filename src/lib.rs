//! perval turns PERVAL perceived-value survey responses into the numbers and figures a researcher reports:
//! dimension scores, reliability (α, ω, item statistics), factor structure (KMO, Bartlett, EFA, CFA, CR, AVE,
//! HTMT) and group comparisons, each computed as R (psych, lavaan, semTools, stats) computes it.
//!
//! Data flows one way: [`input`] (choose the instrument; [`data`] reads the file, [`scoring`] reverse-keys
//! and scores) → [`analysis`] (sections computing from [`stats`], judged by [`criteria`], noticing
//! [`findings`]) → [`report::Report`] (plain serde data) → renderers ([`report`], [`charts`]).
//!
//! ```no_run
//! use perval::{analysis, input};
//! let mut loaded = input::load(&input::LoadOptions::new("data/perval-stores.csv", Some("store"))).unwrap();
//! let opts = analysis::Options { by: Some("store".into()), ..Default::default() };
//! let report = analysis::run(&mut loaded, &opts).unwrap();
//! println!("{}", report.to_json());
//! ```

pub mod analysis;
pub mod apa;
pub mod charts;
pub mod criteria;
pub mod data;
pub mod error;
pub mod findings;
pub mod input;
pub mod instrument;
pub mod model;
pub mod output;
pub mod progress;
pub mod report;
pub mod scoring;
pub mod screening;
pub mod simulate;
pub mod stats;

pub use error::{Error, Result};
