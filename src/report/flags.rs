//! Quality flags: the findings that fail a published check, each with what it means, its source and what to
//! try (worded by [`crate::findings::Finding::flag`]).

use super::Report;
pub use crate::findings::Flag;

/// The flag rows of a report, in the order the findings were made.
pub fn flags(r: &Report) -> Vec<Flag> {
    r.findings.iter().filter_map(|f| f.flag()).collect()
}
