//! smtcheck: a symbolic model checker for TLA+ specifications, backed by Z3.
//!
//! The pipeline runs one way (see `ARCHITECTURE.md`): `syntax` and `config` read the input,
//! later stages turn it into a transition system and check it.

pub mod cli;
pub mod config;
pub mod diag;
pub mod engine;
pub mod eval;
pub mod ir;
pub mod sema;
pub mod smt;
pub mod syntax;
pub mod trace;
pub mod types;
pub mod value;

#[cfg(test)]
pub(crate) mod testing;
