//! smtcheck: a symbolic model checker for TLA+ specifications, backed by Z3.
//!
//! The pipeline runs one way (see `ARCHITECTURE.md`): `syntax` and `config` read the input,
//! later stages turn it into a transition system and check it.

// pub mod cli; (re-enabled when config lands)
pub mod config;
pub mod diag;
pub mod ir;
pub mod syntax;
pub mod types;
pub mod value;
