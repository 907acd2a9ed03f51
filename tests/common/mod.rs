//! Helpers the integration tests share.

pub mod pls;
pub mod tolerance;
