//! Type inference over the IR: every state variable, constant, bound variable and expression
//! node gets a type, by unification, with no annotations needed.
//!
//! (Being written: the data types below are the contract with `smt` and `eval`.)

use crate::ir::{BoundId, ConstId, ExprId, VarId};
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
