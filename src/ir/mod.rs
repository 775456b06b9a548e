//! The transition system every engine consumes: `Spec`.
//!
//! `sema` builds it from the parsed modules and the model config. By then every user-defined
//! operator has been expanded (a recursive one is kept in `Spec::recursive` and called with
//! `ExprKind::RecCall`), every name resolved to a state variable, a constant, or a bound
//! variable with a unique id, constants fixed by the config are literal `Value`s, `@` in
//! `EXCEPT` has been replaced by the value it stands for, and `UNCHANGED` by equalities. What
//! remains is a small expression language of built-in operators, with a location on every node
//! so that later stages can still point at the source.
//!
//! Every expression node also has an `ExprId`, unique within the `Spec`, so `types` can give
//! each node its type in a side table instead of rewriting the tree.

pub mod build;
pub mod rewrite;

use crate::diag::FileId;
use crate::syntax::ast::Span;
use crate::value::Value;

/// A place in a source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Loc {
    pub file: FileId,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VarId(pub usize);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConstId(pub usize);

/// A variable bound by a quantifier, set builder, function constructor, `CHOOSE`, or an
/// action parameter. Each expansion of an operator gets fresh ids for the binders in its body;
/// an argument expression used twice keeps its ids in both copies (in disjoint scopes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BoundId(pub usize);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExprId(pub usize);

/// An index into `Spec::recursive`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecId(pub usize);

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub id: ExprId,
    pub loc: Loc,
    pub kind: Box<ExprKind>,
}

/// The built-in operators of TLA+ and its standard modules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    // Logic
    And,
    Or,
    Not,
    Implies,
    Equiv,
    Eq,
    Ne,
    // Integers
    Neg,
    Add,
    Sub,
    Mul,
    /// `\div`: floor division, as TLA+ defines it.
    Div,
    /// `%`: always in `0..b-1` for positive `b`.
    Mod,
    Pow,
    Lt,
    Le,
    Gt,
    Ge,
    /// `a..b`
    Range,
    // Sets
    In,
    NotIn,
    Union,
    Intersect,
    SetMinus,
    Subseteq,
    /// `SUBSET S`
    Powerset,
    /// `UNION S`
    BigUnion,
    Cardinality,
    IsFiniteSet,
    // Functions
    Domain,
    /// `a :> b`
    SingletonFn,
    /// `f @@ g`
    FnMerge,
    // Sequences
    Len,
    Append,
    Head,
    Tail,
    Concat,
    SubSeq,
    /// `Seq(S)`
    SeqSet,
}

/// The infinite sets of the standard modules. (`BOOLEAN` is the literal `{FALSE, TRUE}`.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InfiniteSet {
    Nat,
    Int,
    String,
}

/// How a binder binds: `x \in S` or `<<x, y>> \in S`.
#[derive(Clone, Debug, PartialEq)]
pub enum Pattern {
    Var(BoundId),
    Tuple(Vec<BoundId>),
}

/// `pattern \in set` in a quantifier, set builder, function constructor or `CHOOSE`.
#[derive(Clone, Debug, PartialEq)]
pub struct Binder {
    pub pattern: Pattern,
    pub set: Expr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantifier {
    Forall,
    Exists,
}

/// One step of an `EXCEPT` path.
#[derive(Clone, Debug, PartialEq)]
pub enum PathStep {
    /// `[e]` (several indices `[a, b]` are given as one tuple).
    Index(Expr),
    /// `.f`
    Field(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fairness {
    Weak,
    Strong,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Lit(Value),
    /// A state variable in the current state.
    Var(VarId),
    /// A state variable in the next state (`x'`).
    Primed(VarId),
    /// A constant left symbolic (not fixed by the config).
    Const(ConstId),
    Bound(BoundId),
    /// `Nat`, `Int` or `STRING`: infinite, so never enumerated; only `\in`, `\subseteq`
    /// and quantifier bounds (Z3 quantifiers) can use them.
    InfiniteSet(InfiniteSet),
    Apply(Op, Vec<Expr>),
    If(Expr, Expr, Expr),
    Case(Vec<(Expr, Expr)>, Option<Expr>),
    Quant(Quantifier, Vec<Binder>, Expr),
    Choose(Binder, Expr),
    SetEnum(Vec<Expr>),
    SetFilter(Binder, Expr),
    SetMap(Expr, Vec<Binder>),
    /// `[x \in S, y \in T |-> e]`; a function of several arguments takes a tuple.
    FnCons(Vec<Binder>, Expr),
    FnSet(Expr, Expr),
    /// `f[a]`; `f[a, b]` is `f[<<a, b>>]`.
    FnApp(Expr, Expr),
    Record(Vec<(String, Expr)>),
    RecordSet(Vec<(String, Expr)>),
    Field(Expr, String),
    /// `[f EXCEPT !p1 = v1, !p2 = v2]`, with `@` already replaced in each value.
    Except(Expr, Vec<(Vec<PathStep>, Expr)>),
    Tuple(Vec<Expr>),
    Times(Vec<Expr>),
    /// `ENABLED A`
    Enabled(Expr),
    // Temporal operators, only at the top of properties and fairness conditions.
    Always(Expr),
    Eventually(Expr),
    LeadsTo(Expr, Expr),
    /// `[A]_v`: `A \/ v' = v`
    BoxAction(Expr, Expr),
    /// `<<A>>_v`: `A /\ v' /= v`
    AngleAction(Expr, Expr),
    Fair(Fairness, Expr, Expr),
    /// A call of a recursive definition, `Spec::recursive[id]`, with one argument per
    /// parameter: `Op(a, b)` for a `RECURSIVE Op(_, _)`, `f[a, b]` for `f[x \in S, y \in T]`.
    RecCall(RecId, Vec<Expr>),
}

/// A recursive operator or recursive function. Calls to it cannot be expanded, so it is kept
/// once per instance: per module context, and per the operator arguments it was given (those
/// are expanded into the body, so `Fold(op(_,_), S)` with two different `op`s is two defs).
#[derive(Clone, Debug, PartialEq)]
pub struct RecursiveDef {
    pub name: String,
    /// The parameters, bound to the arguments of each call.
    pub params: Vec<BoundId>,
    /// A recursive function `f[x \in S, y \in T] == …` has a domain, one set per parameter:
    /// applying it to arguments outside the domain is an error, as in TLC.
    pub domain: Option<Vec<Expr>>,
    /// May also read bound variables of the scope the definition is in (a `LET` inside
    /// `\A x \in S : …` may read `x`): every call is inside that scope.
    pub body: Expr,
    pub loc: Loc,
}

/// A declared constant. `value` is `None` when the config leaves it symbolic.
#[derive(Clone, Debug, PartialEq)]
pub struct Constant {
    pub name: String,
    pub value: Option<Value>,
    /// The config replaces it by a definition (`N <- Op`): every use of it is a use of that
    /// definition, so it needs no value of its own.
    pub replaced: bool,
    pub loc: Loc,
}

impl Constant {
    /// Left open by the config: neither given a value nor replaced by a definition.
    pub fn is_symbolic(&self) -> bool {
        self.value.is_none() && !self.replaced
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Variable {
    pub name: String,
    pub loc: Loc,
}

/// A parameter of an action: a variable bound by an `\E` above it in `Next`.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: String,
    pub binder: Binder,
}

/// One disjunct of `Next`, named after the operator that defines it, such as `Acquire(c)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    pub name: String,
    pub params: Vec<Param>,
    pub body: Expr,
    pub loc: Loc,
}

/// A formula with the name it has in the spec (an invariant, property, constraint, …).
#[derive(Clone, Debug, PartialEq)]
pub struct Named {
    pub name: String,
    pub expr: Expr,
    pub loc: Loc,
}

/// A fairness condition of the `SPECIFICATION` formula.
#[derive(Clone, Debug, PartialEq)]
pub struct FairnessCondition {
    pub kind: Fairness,
    /// Variables bound by `\A p \in S :` around the condition, with their sets.
    pub binders: Vec<Binder>,
    /// The subscript `v` of `WF_v(A)`.
    pub vars: Expr,
    pub action: Expr,
    pub loc: Loc,
}

/// A typed transition system, ready for the engines.
#[derive(Clone, Debug, PartialEq)]
pub struct Spec {
    pub module: String,
    pub constants: Vec<Constant>,
    pub vars: Vec<Variable>,
    pub init: Expr,
    pub actions: Vec<Action>,
    pub invariants: Vec<Named>,
    pub properties: Vec<Named>,
    pub fairness: Vec<FairnessCondition>,
    pub constraints: Vec<Named>,
    pub action_constraints: Vec<Named>,
    pub assumptions: Vec<Named>,
    pub check_deadlock: bool,
    /// The recursive definitions that `ExprKind::RecCall`s call, indexed by `RecId`.
    pub recursive: Vec<RecursiveDef>,
    /// Names of bound variables, indexed by `BoundId`.
    pub bound_names: Vec<String>,
    /// How many `ExprId`s were handed out.
    pub expr_count: usize,
}

impl Spec {
    /// The named formulas: invariants, properties, constraints, action constraints and
    /// assumptions, for passes that treat them alike.
    pub fn named(&self) -> impl Iterator<Item = &Named> {
        self.invariants
            .iter()
            .chain(&self.properties)
            .chain(&self.constraints)
            .chain(&self.action_constraints)
            .chain(&self.assumptions)
    }

    /// `named`, for passes that rewrite them.
    pub fn named_mut(&mut self) -> impl Iterator<Item = &mut Named> {
        self.invariants
            .iter_mut()
            .chain(&mut self.properties)
            .chain(&mut self.constraints)
            .chain(&mut self.action_constraints)
            .chain(&mut self.assumptions)
    }
}

/// An action taken in a behaviour: which of `Spec::actions`, with its parameters' values.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ActionInstance {
    /// Index into `Spec::actions`.
    pub action: usize,
    /// The values of the action's `params`, in order.
    pub params: Vec<Value>,
}

/// One state of a behaviour and the step that reached it (`None` for an initial state).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Step {
    pub action: Option<ActionInstance>,
    /// The value of each state variable, indexed by `VarId`.
    pub state: Vec<Value>,
}

/// A finite behaviour (a counterexample to safety), or a lasso when `loop_start` is set:
/// after the last state the behaviour returns to state `loop_start` and repeats.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Behaviour {
    pub steps: Vec<Step>,
    pub loop_start: Option<usize>,
}
