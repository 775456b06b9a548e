//! The engines: from a `Spec` to a verdict.
//!
//! * `bmc`: bounded model checking by incremental unrolling.
//! * `prove`: inductive proofs (the design's `induction` engine), k-induction included.
//! * `liveness`: temporal properties under fairness, by a bounded search for lassos.
//! * `portfolio`: the explicit explorer and a symbolic engine racing on one question.
//! * `SolverSettings`: the random seed and memory limit all of their solvers share.

pub mod bmc;
mod decode;
pub mod liveness;
pub mod portfolio;
pub mod prove;
mod solver_settings;

pub use bmc::{check, Options, Outcome};
pub use solver_settings::SolverSettings;

#[cfg(test)]
pub(crate) mod e2e_tests;

#[cfg(test)]
mod corpus_tests;
