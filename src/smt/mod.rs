//! The SMT encoding: IR expressions at a step of a behaviour → Z3 terms, and Z3 models →
//! `Value`s. The only module that knows Z3.
//!
//! * `sorts`: the Z3 sort of each TLA+ type, and why functions are normalised (so that TLA+
//!   equality is SMT equality).
//! * `encode`: expressions to terms (state variables `x@i`, Skolemization by polarity,
//!   `CHOOSE`), actions, `ENABLED`.
//! * `sets`: membership, set terms, quantifiers, finite element lists.
//! * `literals`: the model values and strings a spec mentions, and whether its strings can be
//!   an enumeration.
//! * `cardinality`: `Cardinality` and `IsFiniteSet`, exact or by axioms.
//! * `configured`: what a configured set of model values, left symbolic, keeps of its value.
//! * `one_point`: quantifiers whose body pins the bound variable to one value.
//! * `ops`: the built-in operators.
//! * `definedness`: the obligations of partial operations, where TLC stops with an error.
//! * `decode`: models to values.
//! * `symmetry`: value precedence on the parameters of interchangeable model values, for BMC.
//! * `triggers`: frame triggers, so that `prove`'s quantifiers over one state are instantiated
//!   at the indices the other state reads.
//!
//! Every Z3 object lives in the thread's current Z3 context; callers that want a context of
//! their own (the engines do) run inside `z3::with_z3_config`.

mod canon;
mod cardinality;
mod configured;
mod decode;
mod definedness;
mod enabled;
mod encode;
mod literals;
mod normal;
mod one_point;
mod ops;
mod sets;
mod sorts;
mod symmetry;
mod triggers;

pub use cardinality::approximates_cardinality;
pub use decode::DecodeResult;
pub use definedness::Assigns;
pub use encode::{all, any, same_state, EncodedAction, Encoder, Polarity, Result};
pub use symmetry::SymmetryBreaking;

use crate::diag::{Diagnostic, Kind};
use crate::ir::{Loc, Spec};
use crate::types::Types;
use z3::ast::Bool;

/// The transition from one step to the next: some action is taken, and a selector literal per
/// action says which (so the model names it).
pub struct Transition {
    pub formula: Bool,
    pub selectors: Vec<Bool>,
    /// The Skolem constants of each action's parameters.
    pub params: Vec<Vec<z3::ast::Dynamic>>,
}

impl Encoder<'_> {
    /// `Next` from `step` to `step + 1`: `\/_a sel_a /\ (sel_a => Action_a)`.
    pub fn transition(&mut self, step: usize) -> Result<Transition> {
        let spec = self.spec;
        let mut implications = Vec::new();
        let mut selectors = Vec::new();
        let mut params = Vec::new();
        for (index, action) in spec.actions.iter().enumerate() {
            let selector = Bool::new_const(format!("sel!{index}!{}@{step}", action.name));
            let encoded = self.action(action, step)?;
            implications.push(selector.implies(&encoded.formula));
            selectors.push(selector);
            params.push(encoded.params);
        }
        implications.push(any(&selectors));
        Ok(Transition {
            formula: all(&implications),
            selectors,
            params,
        })
    }
}

/// The encoding as SMT-LIB 2 text, for `smtcheck encode`: the constants' constraints, `Init` at
/// step 0, `depth` transitions, the disjunction of the negated invariants at step `depth`, and
/// the axioms of `CHOOSE`.
/// Deterministic: names come from the spec and counters, in encoding order.
pub fn smtlib(spec: &Spec, types: &Types, depth: usize) -> std::result::Result<String, Diagnostic> {
    z3::with_z3_config(&z3::Config::new(), || {
        let mut encoder = Encoder::new(spec, types);
        let solver = z3::Solver::new();
        solver.assert(encoder.constants_constraint()?);
        solver.assert(encoder.holds(&spec.init, 0)?);
        for step in 0..depth {
            solver.assert(encoder.transition(step)?.formula);
        }
        let violations = spec
            .invariants
            .iter()
            .map(|inv| encoder.violated(&inv.expr, depth))
            .collect::<Result<Vec<_>>>()?;
        solver.assert(any(&violations));
        for axiom in encoder.take_axioms() {
            solver.assert(axiom);
        }
        Ok(enumerations_first(&solver.to_smt2()))
    })
}

/// The SMT-LIB text with the declarations of the enumerations (model values, strings) before
/// every other declaration. Z3 (4.8.12) orders the datatypes it prints by the sorts of their
/// fields but not by the sorts inside an array field, so it may print `Fn0` with a field
/// `(Array ModelValue Int)` before `ModelValue`; an enumeration depends on no sort.
fn enumerations_first(text: &str) -> String {
    let is_enumeration = |line: &str| {
        [sorts::MODEL_VALUE_SORT, sorts::STRING_SORT]
            .iter()
            .any(|name| line.starts_with(&format!("(declare-datatypes (({name} 0))")))
    };
    let (enumerations, others): (Vec<&str>, Vec<&str>) = text
        .lines()
        .partition(|line| is_enumeration(line.trim_start()));
    let first_declaration = others
        .iter()
        .position(|line| line.trim_start().starts_with("(declare-"))
        .unwrap_or(others.len());
    let mut lines: Vec<&str> = others[..first_declaration].to_vec();
    lines.extend(enumerations.iter().map(|line| line.trim_start()));
    lines.extend(&others[first_declaration..]);
    let mut ordered = lines.join("\n");
    ordered.push('\n');
    ordered
}

/// A construct the encoding does not support (exit code 75).
pub(crate) fn unsupported(loc: Loc, what: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::new(
        Kind::Unsupported,
        "E0400",
        format!("{what} is not supported by the SMT encoding"),
    )
    .at(loc.file, loc.span, "not supported")
}

/// An inconsistency between the IR, its types and the encoding: a bug in smtcheck.
pub(crate) fn internal(loc: Loc, what: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::new(
        Kind::Other,
        "E0900",
        format!("internal error in the SMT encoding: {what}"),
    )
    .at(loc.file, loc.span, "while encoding this")
}

#[cfg(test)]
pub(crate) mod tests;
