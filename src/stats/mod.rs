//! The statistics, independent of how the data were read: every function takes plain matrices or slices.
//! Each documents its method and the R function it reproduces; tests compare them with R's values.

pub mod bootstrap;
pub mod cfa;
pub mod contingency;
pub mod distributions;
pub mod factor;
pub mod groups;
pub mod invariance;
pub mod kano;
pub mod linalg;
pub mod moments;
pub mod optimize;
pub mod pls;
pub mod polychoric;
pub mod quantiles;
pub mod reliability;
pub mod sem;
