//! The operators of the standard modules, which the checker provides itself.
//!
//! A user definition of the same name always wins: builtins are only consulted for names that
//! nothing in scope defines.

use crate::ir::{InfiniteSet, Op as IrOp};

/// What a builtin name stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    /// An operator of the IR with this many arguments.
    Op(IrOp, usize),
    Infinite(InfiniteSet),
    /// `BOOLEAN`: the set `{FALSE, TRUE}`.
    Boolean,
    /// `Print(out, val)` is `val`; `PrintT(out)` is `TRUE` (output is not a behaviour).
    Print,
    PrintT,
    /// A standard operator the checker does not support (yet); named in the error.
    Unsupported(&'static str),
}

/// The builtin named `name` (an identifier or the canonical symbol of an infix operator), if
/// any, given how many arguments it is applied to (`-` is both prefix and infix).
pub fn lookup(name: &str, arity: usize) -> Option<Builtin> {
    use Builtin::*;
    let op = |op, n| Some(Builtin::Op(op, n));
    match (name, arity) {
        ("Nat", 0) => Some(Infinite(InfiniteSet::Nat)),
        ("Int", 0) => Some(Infinite(InfiniteSet::Int)),
        ("STRING", 0) => Some(Infinite(InfiniteSet::String)),
        ("BOOLEAN", 0) => Some(Boolean),
        ("Real", 0) => Some(Unsupported("Real")),
        ("/\\", 2) => op(IrOp::And, 2),
        ("\\/", 2) => op(IrOp::Or, 2),
        ("~", 1) => op(IrOp::Not, 1),
        ("=>", 2) => op(IrOp::Implies, 2),
        ("<=>", 2) => op(IrOp::Equiv, 2),
        ("=", 2) => op(IrOp::Eq, 2),
        ("/=", 2) => op(IrOp::Ne, 2),
        ("-.", 1) | ("-", 1) => op(IrOp::Neg, 1),
        ("+", 2) => op(IrOp::Add, 2),
        ("-", 2) => op(IrOp::Sub, 2),
        ("*", 2) => op(IrOp::Mul, 2),
        ("\\div", 2) => op(IrOp::Div, 2),
        ("%", 2) => op(IrOp::Mod, 2),
        ("^", 2) => op(IrOp::Pow, 2),
        ("<", 2) => op(IrOp::Lt, 2),
        ("<=", 2) => op(IrOp::Le, 2),
        (">", 2) => op(IrOp::Gt, 2),
        (">=", 2) => op(IrOp::Ge, 2),
        ("..", 2) => op(IrOp::Range, 2),
        ("\\in", 2) => op(IrOp::In, 2),
        ("\\notin", 2) => op(IrOp::NotIn, 2),
        ("\\cup", 2) => op(IrOp::Union, 2),
        ("\\cap", 2) => op(IrOp::Intersect, 2),
        ("\\", 2) => op(IrOp::SetMinus, 2),
        ("\\subseteq", 2) => op(IrOp::Subseteq, 2),
        ("SUBSET", 1) => op(IrOp::Powerset, 1),
        ("UNION", 1) => op(IrOp::BigUnion, 1),
        ("DOMAIN", 1) => op(IrOp::Domain, 1),
        ("Cardinality", 1) => op(IrOp::Cardinality, 1),
        ("IsFiniteSet", 1) => op(IrOp::IsFiniteSet, 1),
        (":>", 2) => op(IrOp::SingletonFn, 2),
        ("@@", 2) => op(IrOp::FnMerge, 2),
        ("Len", 1) => op(IrOp::Len, 1),
        ("Append", 2) => op(IrOp::Append, 2),
        ("Head", 1) => op(IrOp::Head, 1),
        ("Tail", 1) => op(IrOp::Tail, 1),
        ("\\o", 2) => op(IrOp::Concat, 2),
        ("SubSeq", 3) => op(IrOp::SubSeq, 3),
        ("Seq", 1) => op(IrOp::SeqSet, 1),
        ("Print", 2) => Some(Print),
        ("PrintT", 1) => Some(PrintT),
        ("SelectSeq", 2) => Some(Unsupported("SelectSeq")),
        ("Assert", 2) => Some(Unsupported("Assert")),
        ("ToString", 1) => Some(Unsupported("ToString")),
        ("Permutations", 1) => Some(Unsupported("Permutations")),
        ("SortSeq", 2) => Some(Unsupported("SortSeq")),
        ("JavaTime", 0) => Some(Unsupported("JavaTime")),
        ("TLCGet", 1) => Some(Unsupported("TLCGet")),
        ("TLCSet", 2) => Some(Unsupported("TLCSet")),
        ("RandomElement", 1) => Some(Unsupported("RandomElement")),
        ("Any", 0) => Some(Unsupported("Any")),
        _ => None,
    }
}

/// Whether some builtin has this name, whatever its arity (for arity-mismatch messages).
pub fn is_builtin_name(name: &str) -> bool {
    (0..=3).any(|arity| lookup(name, arity).is_some())
}
