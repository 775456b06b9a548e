//! Type inference over the IR: every state variable, constant, bound variable and expression
//! node gets a type, by unification, with no annotations needed.
//!
//! `infer` walks the whole spec (the constants' values, Init, the actions, invariants,
//! properties, constraints, assumptions and fairness) and unifies the types each operator
//! needs (`unify.rs`, a union-find over partially known types). `Type` and `Types` below are
//! the contract with `smt` and `eval`.
//!
//! Decisions TLA+ leaves open, since it is untyped:
//! * A tuple literal `<<a, b>>` is a tuple unless something uses it as a sequence (`Len`,
//!   `Append`, `Head`, `Tail`, `\o`, `SubSeq`, membership in `Seq(S)`, indexing by a computed
//!   number, or meeting a literal of another length in the same place). `<<>>` is the empty
//!   sequence.
//! * A record is only ever one set of fields: two records with different fields in one set
//!   or variable are a type error (E0301), though TLA+ allows them.
//! * A sequence is a function with domain `1..n`, and specs mix the two freely
//!   (`q \in [1..N -> S]` then `Len(q)`). A function over integers that is ever used as a
//!   sequence is a sequence everywhere it flows: `[i \in 1..N |-> e]`, the elements of
//!   `[1..N -> S]`, `EXCEPT`s of it, literal values keyed by `1..n` all get the type
//!   `Seq(T)`. A function over anything else used as a sequence is an error (E0303).
//! * What no constraint decides gets a harmless default (see `Inference::finish`): the
//!   elements of a symbolic constant set are model values, any other unknown part of a type
//!   (such as the elements of an always-empty set) is `Int`. A wholly unknown type is an
//!   error (E0302).
//!
//! Error codes: E0300 type mismatch, E0301 records with different fields, E0302 type not
//! inferred, E0303 function over a non-integer domain used as a sequence, E0304 infinite
//! type, E0305 tuple index out of range.

mod infer;
mod unify;

use crate::diag::Diagnostic;
use crate::ir::{BoundId, ConstId, ExprId, Spec, VarId};
use std::collections::BTreeMap;
use std::fmt;

/// A TLA+ value's type, as the encoder needs it.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Type {
    Bool,
    Int,
    Str,
    /// TLC model values (one sort for all of them: distinct model values are unequal).
    ModelValue,
    Set(Box<Type>),
    /// A function with the given domain and range element types.
    Fn(Box<Type>, Box<Type>),
    Record(BTreeMap<String, Type>),
    Tuple(Vec<Type>),
    Seq(Box<Type>),
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Bool => write!(f, "Bool"),
            Type::Int => write!(f, "Int"),
            Type::Str => write!(f, "Str"),
            Type::ModelValue => write!(f, "ModelValue"),
            Type::Set(t) => write!(f, "Set({t})"),
            Type::Fn(a, b) => write!(f, "({a} -> {b})"),
            Type::Record(fields) => {
                write!(f, "[")?;
                for (i, (name, t)) in fields.iter().enumerate() {
                    let sep = if i == 0 { "" } else { ", " };
                    write!(f, "{sep}{name}: {t}")?;
                }
                write!(f, "]")
            }
            Type::Tuple(items) => {
                write!(f, "<<")?;
                for (i, t) in items.iter().enumerate() {
                    let sep = if i == 0 { "" } else { ", " };
                    write!(f, "{sep}{t}")?;
                }
                write!(f, ">>")
            }
            Type::Seq(t) => write!(f, "Seq({t})"),
        }
    }
}

impl fmt::Debug for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// The result of inference: a type for everything the IR names.
#[derive(Clone, Debug, PartialEq)]
pub struct Types {
    pub vars: Vec<Type>,
    pub consts: Vec<Type>,
    pub bounds: Vec<Type>,
    /// Indexed by `ExprId`; every node of the spec's expressions has one.
    pub exprs: Vec<Type>,
}

impl Types {
    pub fn var(&self, id: VarId) -> &Type {
        &self.vars[id.0]
    }
    pub fn constant(&self, id: ConstId) -> &Type {
        &self.consts[id.0]
    }
    pub fn bound(&self, id: BoundId) -> &Type {
        &self.bounds[id.0]
    }
    pub fn expr(&self, id: ExprId) -> &Type {
        &self.exprs[id.0]
    }
}

/// The type of everything in `spec`, or the first type error.
pub fn infer(spec: &Spec) -> Result<Types, Diagnostic> {
    let mut inference = infer::Inference::new(spec);
    inference.walk_spec()?;
    inference.finish()
}

/// Each constant and state variable with its type, one per line (`x : Int`), for
/// `smtcheck typecheck`.
pub fn describe(spec: &Spec, types: &Types) -> String {
    let mut text = String::new();
    let constants = spec.constants.iter().map(|c| &c.name).zip(&types.consts);
    let variables = spec.vars.iter().map(|v| &v.name).zip(&types.vars);
    for (name, ty) in constants.chain(variables) {
        text.push_str(&format!("{name} : {ty}\n"));
    }
    text
}

#[cfg(test)]
mod tests;
