//! The concrete evaluator and explicit-state explorer: smtcheck's second semantics.
//!
//! `smt` gives the IR a meaning by encoding it into Z3; this module gives it one by computing
//! with concrete `Value`s, the way TLC does. The two share no code, so each checks the other:
//! every counterexample the SMT engine finds is replayed here (`replay`) before it is shown,
//! and small models are explored here (`explore`) as the oracle of differential tests.
//!
//! * `eval` computes the value of an expression in a state (or a pair of states).
//! * `action` enumerates the states an action (or `Init`) allows, TLC's way: `x' = e`
//!   assigns, `x' \in S`, `\/` and `\E` branch, everything else is a guard.
//! * `explore` is a breadth-first search of the reachable states, with shortest traces.
//! * `replay` certifies a counterexample produced elsewhere, `lasso` one to a temporal
//!   property.
//! * `fair_cycles` decides temporal properties under fairness on the whole reachable graph
//!   of a finite model, as TLC does.

pub mod action;
#[allow(clippy::module_inception)]
pub mod eval;
pub mod explore;
pub mod fair_cycles;
pub mod fold;
pub mod lasso;
pub mod replay;
mod sets;
pub mod unroll;

#[cfg(test)]
mod tests;

pub use eval::eval;
pub use explore::{explore, explore_until, Exploration, Limits, Verdict};
pub use replay::{evaluation_error, replay, Claim, ReplayError};

use crate::diag::{Diagnostic, FileId, Kind};
use crate::ir::{BoundId, Constant, Loc, RecursiveDef, Spec, Variable};
use crate::value::Value;
use std::fmt;
use std::rc::Rc;

/// Puts the constants' values into `spec`: folds its constant sub-expressions, then unrolls
/// the recursive definitions those values bound (after typing, so each folded literal keeps
/// its node's inferred type; the unrolled nodes get theirs in `types`). The front end's last
/// step, and that of every instance of a spec at other constants.
pub fn fold_and_unroll(spec: &mut Spec, types: &mut crate::types::Types) {
    fold::fold_constants(spec);
    unroll::unroll_recursion(spec, types);
}

/// An evaluation failure: a value outside an operator's domain, a symbolic constant, an
/// infinite set that would have to be enumerated, ... with the place that caused it.
#[derive(Clone, Debug, PartialEq)]
pub struct EvalError {
    pub message: String,
    pub loc: Loc,
}

impl EvalError {
    pub fn new(message: impl Into<String>, loc: Loc) -> EvalError {
        EvalError {
            message: message.into(),
            loc,
        }
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for EvalError {}

impl From<EvalError> for Diagnostic {
    fn from(error: EvalError) -> Diagnostic {
        let diagnostic = Diagnostic::new(Kind::Unsupported, "E0500", error.message);
        if error.loc.file == FileId::NONE {
            diagnostic
        } else {
            diagnostic.at(error.loc.file, error.loc.span, "evaluated here")
        }
    }
}

/// The values of bound variables: a persistent list, so binding one more variable for a
/// sub-expression is cheap and leaves the enclosing scope untouched.
#[derive(Clone, Default)]
pub struct Env(Option<Rc<Frame>>);

struct Frame {
    id: BoundId,
    value: Value,
    parent: Env,
}

impl Env {
    pub fn new() -> Env {
        Env(None)
    }

    /// This environment with `id` bound to `value` (shadowing any earlier binding).
    pub fn bind(&self, id: BoundId, value: Value) -> Env {
        Env(Some(Rc::new(Frame {
            id,
            value,
            parent: self.clone(),
        })))
    }

    pub fn get(&self, id: BoundId) -> Option<&Value> {
        let mut frame = self.0.as_deref();
        while let Some(f) = frame {
            if f.id == id {
                return Some(&f.value);
            }
            frame = f.parent.0.as_deref();
        }
        None
    }
}

/// The values of the state variables in one state: all of them, or (while an action or
/// `Init` is being enumerated) those assigned so far.
#[derive(Clone, Copy)]
pub(crate) enum Slots<'a> {
    Full(&'a [Value]),
    Partial(&'a [Option<Value>]),
}

impl<'a> Slots<'a> {
    fn get(&self, index: usize) -> Option<&'a Value> {
        match self {
            Slots::Full(values) => values.get(index),
            Slots::Partial(values) => values.get(index).and_then(Option::as_ref),
        }
    }
}

/// Everything an expression's value depends on: the constants, the current state, the next
/// state (for actions), and the bound variables.
#[derive(Clone)]
pub struct Ctx<'a> {
    pub(crate) vars: &'a [Variable],
    pub(crate) constants: &'a [Constant],
    pub(crate) state: Slots<'a>,
    pub(crate) next: Option<Slots<'a>>,
    pub(crate) bounds: Env,
    /// The recursive definitions that `RecCall`s call.
    pub(crate) recursive: &'a [RecursiveDef],
    /// How deep in nested recursive calls this context is, and where on the stack the
    /// outermost call started (to stop a deep recursion before it overflows the stack).
    pub(crate) calls: eval::Calls,
}

impl<'a> Ctx<'a> {
    /// A context for `spec` in `state` (indexed by `VarId`), with the constants the config
    /// fixed. To evaluate with values for symbolic constants, fill them into a copy of the
    /// spec's `constants` and use `from_parts`.
    pub fn new(spec: &'a Spec, state: &'a [Value]) -> Ctx<'a> {
        Ctx::from_parts(&spec.vars, &spec.constants, state).with_recursive(&spec.recursive)
    }

    pub fn from_parts(
        vars: &'a [Variable],
        constants: &'a [Constant],
        state: &'a [Value],
    ) -> Ctx<'a> {
        Ctx {
            vars,
            constants,
            state: Slots::Full(state),
            next: None,
            bounds: Env::new(),
            recursive: &[],
            calls: eval::Calls::default(),
        }
    }

    /// The same context with the recursive definitions of a spec.
    pub fn with_recursive(mut self, recursive: &'a [RecursiveDef]) -> Ctx<'a> {
        self.recursive = recursive;
        self
    }

    /// The same context with `next` as the next state, for evaluating actions.
    pub fn with_next(mut self, next: &'a [Value]) -> Ctx<'a> {
        self.next = Some(Slots::Full(next));
        self
    }

    /// The same context with the bound variables of `bounds`.
    pub fn with_bounds(mut self, bounds: Env) -> Ctx<'a> {
        self.bounds = bounds;
        self
    }

    /// The same context with one more bound variable.
    pub fn bind(&self, id: BoundId, value: Value) -> Ctx<'a> {
        let mut ctx = self.clone();
        ctx.bounds = self.bounds.bind(id, value);
        ctx
    }

    pub(crate) fn var_name(&self, index: usize) -> String {
        self.vars
            .get(index)
            .map_or_else(|| format!("variable #{index}"), |v| v.name.clone())
    }

    pub(crate) fn const_name(&self, index: usize) -> String {
        self.constants
            .get(index)
            .map_or_else(|| format!("constant #{index}"), |c| c.name.clone())
    }
}
