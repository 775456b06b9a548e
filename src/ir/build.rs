//! Constructing IR expressions: hands out the unique `ExprId`s and `BoundId`s a `Spec` needs.
//!
//! `sema` builds every expression through a `Builder`; tests of later stages use it to write
//! small specs by hand.

use super::{BoundId, Expr, ExprId, ExprKind, Loc, Op, VarId};
use crate::diag::FileId;
use crate::syntax::ast::Span;
use crate::value::Value;

#[derive(Clone, Debug)]
pub struct Builder {
    next_expr: usize,
    bound_names: Vec<String>,
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

impl Builder {
    pub fn new() -> Builder {
        Builder {
            next_expr: 0,
            bound_names: Vec::new(),
        }
    }

    /// A new node with a fresh id.
    pub fn expr(&mut self, kind: ExprKind, loc: Loc) -> Expr {
        let id = ExprId(self.next_expr);
        self.next_expr += 1;
        Expr {
            id,
            loc,
            kind: Box::new(kind),
        }
    }

    /// A fresh bound variable named `name` (names may repeat; ids never do).
    pub fn bound(&mut self, name: &str) -> BoundId {
        self.bound_names.push(name.to_string());
        BoundId(self.bound_names.len() - 1)
    }

    /// A copy of `expr` with fresh ids for every node (for a sub-tree used twice).
    pub fn copy(&mut self, expr: &Expr) -> Expr {
        let mut copy = expr.clone();
        self.renumber(&mut copy);
        copy
    }

    fn renumber(&mut self, expr: &mut Expr) {
        expr.id = ExprId(self.next_expr);
        self.next_expr += 1;
        expr.kind
            .for_each_child_mut(&mut |child| self.renumber(child));
    }

    /// How many expression ids were handed out so far.
    pub fn expr_count(&self) -> usize {
        self.next_expr
    }

    pub fn bound_names(&self) -> &[String] {
        &self.bound_names
    }

    pub fn into_bound_names(self) -> Vec<String> {
        self.bound_names
    }

    // Shorthands, mostly for tests.

    pub fn lit(&mut self, value: Value) -> Expr {
        self.expr(ExprKind::Lit(value), nowhere())
    }

    pub fn int(&mut self, n: i64) -> Expr {
        self.lit(Value::Int(n))
    }

    pub fn var(&mut self, id: usize) -> Expr {
        self.expr(ExprKind::Var(VarId(id)), nowhere())
    }

    pub fn primed(&mut self, id: usize) -> Expr {
        self.expr(ExprKind::Primed(VarId(id)), nowhere())
    }

    pub fn apply(&mut self, op: Op, args: Vec<Expr>) -> Expr {
        self.expr(ExprKind::Apply(op, args), nowhere())
    }
}

/// A location for expressions that have none in any file (built by hand in tests).
pub fn nowhere() -> Loc {
    Loc {
        file: FileId::NONE,
        span: Span::default(),
    }
}

impl ExprKind {
    /// Calls `f` on each direct sub-expression, in source order.
    pub fn for_each_child_mut(&mut self, f: &mut dyn FnMut(&mut Expr)) {
        use ExprKind::*;
        match self {
            Lit(_) | Var(_) | Primed(_) | Const(_) | Bound(_) | InfiniteSet(_) => {}
            Apply(_, args) | SetEnum(args) | Tuple(args) | Times(args) | RecCall(_, args) => {
                args.iter_mut().for_each(f)
            }
            If(a, b, c) => {
                f(a);
                f(b);
                f(c);
            }
            Case(arms, other) => {
                for (guard, value) in arms {
                    f(guard);
                    f(value);
                }
                if let Some(other) = other {
                    f(other);
                }
            }
            Quant(_, binders, body) | FnCons(binders, body) => {
                binders.iter_mut().for_each(|b| f(&mut b.set));
                f(body);
            }
            Choose(binder, body) | SetFilter(binder, body) => {
                f(&mut binder.set);
                f(body);
            }
            SetMap(body, binders) => {
                binders.iter_mut().for_each(|b| f(&mut b.set));
                f(body);
            }
            FnSet(a, b) | FnApp(a, b) | LeadsTo(a, b) | BoxAction(a, b) | AngleAction(a, b) => {
                f(a);
                f(b);
            }
            Fair(_, vars, action) => {
                f(vars);
                f(action);
            }
            Record(fields) | RecordSet(fields) => fields.iter_mut().for_each(|(_, e)| f(e)),
            Field(e, _) | Enabled(e) | Always(e) | Eventually(e) => f(e),
            Except(base, updates) => {
                f(base);
                for (path, value) in updates {
                    for step in path {
                        if let super::PathStep::Index(index) = step {
                            f(index);
                        }
                    }
                    f(value);
                }
            }
        }
    }

    /// The direct sub-expressions, in source order.
    pub fn children(&self) -> Vec<&Expr> {
        use ExprKind::*;
        match self {
            Lit(_) | Var(_) | Primed(_) | Const(_) | Bound(_) | InfiniteSet(_) => vec![],
            Apply(_, args) | SetEnum(args) | Tuple(args) | Times(args) | RecCall(_, args) => {
                args.iter().collect()
            }
            If(a, b, c) => vec![a, b, c],
            Case(arms, other) => arms
                .iter()
                .flat_map(|(g, v)| [g, v])
                .chain(other.as_ref())
                .collect(),
            Quant(_, binders, body) | FnCons(binders, body) | SetMap(body, binders) => {
                binders.iter().map(|b| &b.set).chain([body]).collect()
            }
            Choose(binder, body) | SetFilter(binder, body) => vec![&binder.set, body],
            FnSet(a, b)
            | FnApp(a, b)
            | LeadsTo(a, b)
            | BoxAction(a, b)
            | AngleAction(a, b)
            | Fair(_, a, b) => vec![a, b],
            Record(fields) | RecordSet(fields) => fields.iter().map(|(_, e)| e).collect(),
            Field(e, _) | Enabled(e) | Always(e) | Eventually(e) => vec![e],
            Except(base, updates) => {
                let mut all = vec![base];
                for (path, value) in updates {
                    for step in path {
                        if let super::PathStep::Index(index) = step {
                            all.push(index);
                        }
                    }
                    all.push(value);
                }
                all
            }
        }
    }
}
