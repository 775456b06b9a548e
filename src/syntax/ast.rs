//! The abstract syntax tree of a TLA+ module, as written.
//!
//! The tree is close to the source: bullet lists stay bullet lists, operator applications keep
//! the symbol they were written with (in its canonical ASCII spelling), and nothing is resolved.
//! Name resolution, operator expansion and typing happen in later stages (`sema`, `types`).
//! Every node carries the byte span of the text it came from, so any later stage can point a
//! diagnostic at the exact place.

use std::fmt;

/// A half-open byte range `[start, end)` into one source file.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// An identifier (or, for a user-defined infix operator, its canonical symbol) and where it is.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

impl Ident {
    pub fn new(name: impl Into<String>, span: Span) -> Ident {
        Ident {
            name: name.into(),
            span,
        }
    }
}

impl fmt::Debug for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{:?}", self.name, self.span)
    }
}

/// `---- MODULE Name ---- ... ====`
#[derive(Clone, Debug, PartialEq)]
pub struct Module {
    pub name: Ident,
    pub extends: Vec<Ident>,
    pub units: Vec<Unit>,
    pub span: Span,
}

/// One top-level item of a module.
#[derive(Clone, Debug, PartialEq)]
pub enum Unit {
    /// `CONSTANT(S) a, Op(_, _)`
    Constants(Vec<OpDecl>),
    /// `VARIABLE(S) x, y`
    Variables(Vec<Ident>),
    /// `RECURSIVE F(_), G`
    Recursive(Vec<OpDecl>),
    /// `ASSUME e`, `ASSUMPTION e`, `AXIOM e`, `ASSUME Name == e`
    Assume(Assume),
    /// `Op(p) == e`, `a \prec b == e`, `-. a == e`
    OpDef(OpDef),
    /// `f[x \in S] == e`
    FunDef(FunDef),
    /// `INSTANCE M WITH a <- e` (unnamed: its definitions join this module's)
    Instance(Instance),
    /// `N(p) == INSTANCE M WITH a <- e`
    ModuleDef(ModuleDef),
    /// `THEOREM e`, `LEMMA Name == e`; any proof that follows is skipped by the lexer.
    Theorem(Theorem),
    /// A nested `---- MODULE Inner ---- ... ====`.
    Module(Box<Module>),
}

/// A declared operator: a constant `c`, an operator constant `Op(_, _)`, a `RECURSIVE` name,
/// or an operator parameter `F(_)`. `arity` is 0 for plain names.
#[derive(Clone, Debug, PartialEq)]
pub struct OpDecl {
    pub name: Ident,
    pub arity: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Assume {
    pub name: Option<Ident>,
    pub body: Expr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OpDef {
    pub local: bool,
    /// For infix, prefix and postfix operator definitions, the canonical ASCII symbol.
    pub name: Ident,
    pub params: Vec<OpDecl>,
    pub body: Expr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FunDef {
    pub local: bool,
    pub name: Ident,
    pub bounds: Vec<Bound>,
    pub body: Expr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Instance {
    pub local: bool,
    pub module: Ident,
    /// `WITH a <- e, b <- f`, in source order.
    pub substitutions: Vec<(Ident, Expr)>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ModuleDef {
    pub local: bool,
    pub name: Ident,
    pub params: Vec<OpDecl>,
    pub instance: Instance,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TheoremKind {
    Theorem,
    Lemma,
    Proposition,
    Corollary,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Theorem {
    pub kind: TheoremKind,
    pub name: Option<Ident>,
    pub body: TheoremBody,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TheoremBody {
    Expr(Expr),
    /// `ASSUME NEW x \in S, P PROVE Q`: kept only so the module parses; no stage uses it.
    AssumeProve {
        assumptions: Vec<Expr>,
        goal: Expr,
    },
}

/// A bound in a quantifier, set builder or function constructor: `x, y \in S`,
/// `<<a, b>> \in S`, or (unbounded quantifiers only) plain `x, y` with `set: None`.
#[derive(Clone, Debug, PartialEq)]
pub struct Bound {
    pub vars: BoundVars,
    pub set: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum BoundVars {
    /// `x, y \in S` binds each name to an element of S.
    Names(Vec<Ident>),
    /// `<<x, y>> \in S` binds the components of one tuple element of S.
    Tuple(Vec<Ident>),
}

/// An expression with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: Box<ExprKind>,
    pub span: Span,
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        Expr {
            kind: Box::new(kind),
            span,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantifier {
    Forall,
    Exists,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Junction {
    /// A `/\` bullet list.
    And,
    /// A `\/` bullet list.
    Or,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fairness {
    Weak,
    Strong,
}

/// One step of an `EXCEPT` path: `[a, b]` or `.f`.
#[derive(Clone, Debug, PartialEq)]
pub enum ExceptKey {
    Index(Vec<Expr>),
    Field(Ident),
}

/// `!path = value` in an `EXCEPT`.
#[derive(Clone, Debug, PartialEq)]
pub struct ExceptUpdate {
    pub path: Vec<ExceptKey>,
    pub value: Expr,
    pub span: Span,
}

/// `N!` or `N(a, b)!` in front of an instantiated operator's name.
#[derive(Clone, Debug, PartialEq)]
pub struct InstancePrefix {
    pub name: Ident,
    pub args: Vec<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A name: a variable, constant, bound variable, or operator of arity 0.
    Name(Ident),
    /// `Op(a, b)`.
    Apply(Ident, Vec<Expr>),
    /// `N!Op`, `N!Op(a)`, `N(p)!M!Op(a)`: a name reached through instances.
    InstanceRef {
        path: Vec<InstancePrefix>,
        name: Ident,
        args: Vec<Expr>,
    },
    /// An operator symbol used as an argument, as in `FoldSet(+, 0, S)`.
    OpRef(Ident),
    /// `LAMBDA x, y : e`
    Lambda(Vec<Ident>, Expr),

    Number(i64),
    /// A decimal literal such as `1.5`, kept as written (no stage supports reals).
    Decimal(String),
    String(String),
    Bool(bool),
    /// `@` inside an `EXCEPT` value: the old value at that path.
    At,

    /// A prefix operator: `~a`, `-a`, `[]a`, `<>a`, `ENABLED a`, `UNCHANGED a`, `SUBSET a`,
    /// `UNION a`, `DOMAIN a`. The symbol is canonical ASCII (`~`, `-.`, `[]`, `<>`, `ENABLED`…).
    Prefix(Ident, Expr),
    /// An infix operator `a op b`, symbol in canonical ASCII (`/\`, `\in`, `+`, `..`, `~>`…).
    Infix(Ident, Expr, Expr),
    /// A postfix operator: `a'`, `a^+`, `a^*`, `a^#`.
    Postfix(Ident, Expr),
    /// A bullet list of `/\` or `\/` items.
    Junction(Junction, Vec<Expr>),

    If(Expr, Expr, Expr),
    /// `CASE p1 -> e1 [] p2 -> e2 [] OTHER -> e3`
    Case(Vec<(Expr, Expr)>, Option<Expr>),
    /// `LET defs IN body`; the definitions are `OpDef`, `FunDef` or `Recursive` units.
    Let(Vec<Unit>, Expr),
    /// `\A x \in S, y \in T : e` and `\E ...`; unbounded when every bound has `set: None`.
    Quant(Quantifier, Vec<Bound>, Expr),
    /// `CHOOSE x \in S : e` (or unbounded `CHOOSE x : e`).
    Choose(Bound, Expr),
    /// Temporal `\AA x : e` and `\EE x : e`.
    TemporalQuant(Quantifier, Vec<Ident>, Expr),

    /// `{a, b, c}`
    SetEnum(Vec<Expr>),
    /// `{x \in S : p}`
    SetFilter(Bound, Expr),
    /// `{e : x \in S, y \in T}`
    SetMap(Expr, Vec<Bound>),

    /// `[x \in S, y \in T |-> e]`
    FnCons(Vec<Bound>, Expr),
    /// `[S -> T]`
    FnSet(Expr, Expr),
    /// `f[a]`, `f[a, b]`
    FnApp(Expr, Vec<Expr>),
    /// `[a |-> 1, b |-> 2]`
    Record(Vec<(Ident, Expr)>),
    /// `[a : S, b : T]`
    RecordSet(Vec<(Ident, Expr)>),
    /// `r.a`
    Field(Expr, Ident),
    /// `[f EXCEPT ![a] = e, !.b = @ + 1]`
    Except(Expr, Vec<ExceptUpdate>),

    /// `<<a, b>>`
    Tuple(Vec<Expr>),
    /// `S \X T \X U` (n-ary: `\X` is not associative)
    Times(Vec<Expr>),

    /// `[A]_v`
    BoxAction(Expr, Expr),
    /// `<<A>>_v`
    AngleAction(Expr, Expr),
    /// `WF_v(A)`, `SF_v(A)`
    Fair(Fairness, Expr, Expr),

    /// `lbl :: e`, as left by some hand-written specs.
    Label(Ident, Expr),
}
