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
//! * Records with different fields may meet in one set or variable, as TLA+ allows
//!   (`[type: {"Prepared"}, rm: RM] \cup [type: {"Commit"}]`). Their type is one
//!   `Type::Record` with the union of their fields; a field that not every record there has
//!   is *optional*. `Type` does not say which fields are optional: the side table
//!   `Types::optional_fields` does, for each record type that has any, and `Types::show`
//!   prints them marked (`[rm?: ModelValue, type: Str]`). The table is keyed by the ground type, so
//!   two places with the same record type share its optional fields: a record type is only
//!   ever described as *more* optional than it is. Reading an optional field (`r.f`,
//!   `EXCEPT !.f`) is allowed, as in TLC, which fails only when the field is absent at run
//!   time; reading a field that no record there has is an error. A field with two types in
//!   two records is an error (E0300). The SMT encoding gives an optional field the sort
//!   `none | some(T)` (see `smt::sorts`); the evaluator, being untyped, runs such specs.
//! * A TLC model value may meet values of another type, as a sentinel does (`prnt[i] =
//!   NoPrnt` with `prnt[i]` an Int): TLC finds it unequal to all of them. The place then has
//!   the other type T, which the side table `Types::with_model_values` records as one that
//!   may also hold a model value (with a place where the two meet), and `Types::show` prints
//!   as `T | ModelValue`. Like optional fields it is keyed by the ground type, so every `T`
//!   of the spec is described so. Only a real meeting counts: a model value in a place of
//!   still unknown type makes it a model value; which of the two came first does not matter.
//!   Operators applied to the sentinel (`NoPrnt + 1`) type it as T, as TLC fails on them only
//!   at run time. The SMT encoding makes such a `T` a datatype `val(T) | mv(ModelValue)` (see
//!   `smt::sorts`; it refuses sets, strings and booleans mixed so); the evaluator runs them.
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
//! Error codes: E0300 type mismatch (a missing record field included), E0302 type not
//! inferred, E0303 function over a non-integer domain used as a sequence, E0304 infinite type,
//! E0305 tuple index out of range. (E0301, records with different fields, is retired: they
//! now share one type.)

mod infer;
mod unify;

use crate::diag::Diagnostic;
use crate::ir::{BoundId, ConstId, ExprId, Loc, Spec, VarId};
use std::collections::{BTreeMap, BTreeSet};
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

impl Type {
    /// Whether values of this type can hold values of the scalar type `leaf` (`Bool`, `Int`,
    /// `Str` or `ModelValue`): a set of records with a string field holds strings.
    pub fn holds(&self, leaf: &Type) -> bool {
        match self {
            Type::Set(t) | Type::Seq(t) => t.holds(leaf),
            Type::Fn(a, b) => a.holds(leaf) || b.holds(leaf),
            Type::Record(fields) => fields.values().any(|t| t.holds(leaf)),
            Type::Tuple(items) => items.iter().any(|t| t.holds(leaf)),
            scalar => scalar == leaf,
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_type(f, self, None)
    }
}

/// Writes `ty`; with the side tables of `marks`, marks with `?` the optional fields of its
/// record types and with `| ModelValue` the types a model value mixes with.
fn write_type(f: &mut fmt::Formatter<'_>, ty: &Type, marks: Option<&Types>) -> fmt::Result {
    write_plain_type(f, ty, marks)?;
    if marks.is_some_and(|types| types.with_model_values.contains_key(ty)) {
        write!(f, " | ModelValue")?;
    }
    Ok(())
}

/// Writes `ty` without saying whether it mixes with model values (its parts do say).
fn write_plain_type(f: &mut fmt::Formatter<'_>, ty: &Type, marks: Option<&Types>) -> fmt::Result {
    let part = |f: &mut fmt::Formatter<'_>, t: &Type| write_type(f, t, marks);
    match ty {
        Type::Bool => write!(f, "Bool"),
        Type::Int => write!(f, "Int"),
        Type::Str => write!(f, "Str"),
        Type::ModelValue => write!(f, "ModelValue"),
        Type::Set(t) => {
            write!(f, "Set(")?;
            part(f, t)?;
            write!(f, ")")
        }
        Type::Fn(a, b) => {
            write!(f, "(")?;
            part(f, a)?;
            write!(f, " -> ")?;
            part(f, b)?;
            write!(f, ")")
        }
        Type::Record(fields) => {
            let marked = marks
                .and_then(|types| types.optional_fields.get(ty))
                .map(|o| &o.fields);
            write!(f, "[")?;
            for (i, (name, t)) in fields.iter().enumerate() {
                let sep = if i == 0 { "" } else { ", " };
                let mark = if marked.is_some_and(|m| m.contains(name)) {
                    "?"
                } else {
                    ""
                };
                write!(f, "{sep}{name}{mark}: ")?;
                part(f, t)?;
            }
            write!(f, "]")
        }
        Type::Tuple(items) => {
            write!(f, "<<")?;
            for (i, t) in items.iter().enumerate() {
                let sep = if i == 0 { "" } else { ", " };
                write!(f, "{sep}")?;
                part(f, t)?;
            }
            write!(f, ">>")
        }
        Type::Seq(t) => {
            write!(f, "Seq(")?;
            part(f, t)?;
            write!(f, ")")
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
    /// The record types with fields that some of their records lack (see the module doc).
    pub optional_fields: BTreeMap<Type, OptionalFields>,
    /// The types whose values a model value mixes with (see the module doc), each with one
    /// place where it does.
    pub with_model_values: BTreeMap<Type, Loc>,
}

/// The optional fields of a record type.
#[derive(Clone, Debug, PartialEq)]
pub struct OptionalFields {
    pub fields: BTreeSet<String>,
    /// A record expression of the type, for messages.
    pub example: Loc,
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

    /// `ty` printed with its optional record fields and the types mixed with model values
    /// marked: `Set([rm?: Str, type: Str])`, `(Proc -> Int | ModelValue)`.
    pub fn show<'t>(&'t self, ty: &'t Type) -> impl fmt::Display + 't {
        Shown { ty, types: self }
    }
}

/// A type printed with the optional fields of its records and its mixes marked.
struct Shown<'t> {
    ty: &'t Type,
    types: &'t Types,
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_type(f, self.ty, Some(self.types))
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
    for (constant, ty) in spec.constants.iter().zip(&types.consts) {
        // A constant the config replaces (`c <- Op`) is never used itself: every use is the
        // definition's, so the type inference gave it would say nothing.
        if constant.replaced {
            text.push_str(&format!(
                "{} <- (a definition, in the config)\n",
                constant.name
            ));
        } else {
            text.push_str(&format!("{} : {}\n", constant.name, types.show(ty)));
        }
    }
    for (variable, ty) in spec.vars.iter().zip(&types.vars) {
        text.push_str(&format!("{} : {}\n", variable.name, types.show(ty)));
    }
    text
}

#[cfg(test)]
mod tests;
