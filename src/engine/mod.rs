//! The engines: from a `Spec` to a verdict.
//!
//! * `bmc`: bounded model checking by incremental unrolling.

pub mod bmc;

pub use bmc::{check, Options, Outcome};

#[cfg(test)]
pub(crate) mod e2e_tests;

#[cfg(test)]
mod corpus_tests;
