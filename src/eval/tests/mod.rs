//! Tests of the evaluator, the explorer and replay, on IR built by hand.

mod corpus;
mod e2e;
mod eval;
mod explore;
mod replay;
mod unroll;

use crate::diag::FileId;
use crate::eval::EvalError;
use crate::ir::build::{nowhere, Builder};
use crate::ir::{
    Action, Binder, BoundId, Expr, ExprKind, Loc, Named, Op, Param, Pattern, Spec, Step, Variable,
};
use crate::syntax::ast::Span;
use crate::value::Value;

/// A `Builder` with shorthands for writing expressions compactly.
pub(super) struct Ir {
    pub b: Builder,
}

impl Ir {
    pub fn new() -> Ir {
        Ir { b: Builder::new() }
    }

    pub fn e(&mut self, kind: ExprKind) -> Expr {
        self.b.expr(kind, nowhere())
    }

    /// An expression located at bytes `start..end` of some file (for error-location tests).
    pub fn at(&mut self, kind: ExprKind, start: usize, end: usize) -> Expr {
        self.b.expr(
            kind,
            Loc {
                file: FileId::NONE,
                span: Span::new(start, end),
            },
        )
    }

    pub fn int(&mut self, n: i64) -> Expr {
        self.b.int(n)
    }

    pub fn boolean(&mut self, b: bool) -> Expr {
        self.b.lit(Value::Bool(b))
    }

    pub fn str(&mut self, s: &str) -> Expr {
        self.b.lit(Value::Str(s.into()))
    }

    pub fn lit(&mut self, v: Value) -> Expr {
        self.b.lit(v)
    }

    pub fn op(&mut self, op: Op, args: Vec<Expr>) -> Expr {
        self.b.apply(op, args)
    }

    pub fn op2(&mut self, a: Expr, op: Op, b: Expr) -> Expr {
        self.b.apply(op, vec![a, b])
    }

    pub fn ints(&mut self, items: &[i64]) -> Expr {
        self.lit(Value::set(items.iter().map(|&n| Value::Int(n))))
    }

    pub fn range(&mut self, low: i64, high: i64) -> Expr {
        let (low, high) = (self.int(low), self.int(high));
        self.op2(low, Op::Range, high)
    }

    pub fn tuple(&mut self, items: Vec<Expr>) -> Expr {
        self.e(ExprKind::Tuple(items))
    }

    pub fn var(&mut self, id: usize) -> Expr {
        self.b.var(id)
    }

    pub fn primed(&mut self, id: usize) -> Expr {
        self.b.primed(id)
    }

    /// A fresh bound variable and an expression referring to it.
    pub fn bound(&mut self, name: &str) -> (BoundId, Expr) {
        let id = self.b.bound(name);
        (id, self.e(ExprKind::Bound(id)))
    }

    pub fn bound_ref(&mut self, id: BoundId) -> Expr {
        self.e(ExprKind::Bound(id))
    }

    pub fn binder(id: BoundId, set: Expr) -> Binder {
        Binder {
            pattern: Pattern::Var(id),
            set,
        }
    }

    /// `x' = e`
    pub fn assign(&mut self, var: usize, value: Expr) -> Expr {
        let lhs = self.primed(var);
        self.op2(lhs, Op::Eq, value)
    }

    /// `x' = x + n`
    pub fn increment(&mut self, var: usize, n: i64) -> Expr {
        let (x, n) = (self.var(var), self.int(n));
        let sum = self.op2(x, Op::Add, n);
        self.assign(var, sum)
    }

    /// `x = e` (in `Init`)
    pub fn init_eq(&mut self, var: usize, value: Expr) -> Expr {
        let lhs = self.var(var);
        self.op2(lhs, Op::Eq, value)
    }

    pub fn and(&mut self, args: Vec<Expr>) -> Expr {
        self.op(Op::And, args)
    }

    /// A spec over `vars` with nothing but `init`; tests add the rest.
    pub fn spec(self, vars: &[&str], init: Expr) -> Spec {
        Spec {
            module: "Test".into(),
            constants: Vec::new(),
            vars: vars
                .iter()
                .map(|name| Variable {
                    name: name.to_string(),
                    loc: nowhere(),
                })
                .collect(),
            init,
            actions: Vec::new(),
            invariants: Vec::new(),
            properties: Vec::new(),
            fairness: Vec::new(),
            constraints: Vec::new(),
            action_constraints: Vec::new(),
            assumptions: Vec::new(),
            check_deadlock: false,
            recursive: Vec::new(),
            bound_names: self.b.bound_names().to_vec(),
            expr_count: self.b.expr_count(),
        }
    }
}

pub(super) fn action(name: &str, params: Vec<(&str, Binder)>, body: Expr) -> Action {
    let params = params
        .into_iter()
        .map(|(name, binder)| Param {
            name: name.into(),
            binder,
        })
        .collect();
    Action {
        name: name.into(),
        params,
        body,
        loc: nowhere(),
    }
}

pub(super) fn named(name: &str, expr: Expr) -> Named {
    Named {
        name: name.into(),
        expr,
        loc: nowhere(),
    }
}

/// Evaluates a closed expression (no variables, no constants).
pub(super) fn eval_closed(expr: &Expr) -> Result<Value, EvalError> {
    crate::eval::eval(expr, &crate::eval::Ctx::from_parts(&[], &[], &[]))
}

pub(super) fn int(n: i64) -> Value {
    Value::Int(n)
}

/// The action names of a trace (`None` for an initial state).
pub(super) fn actions_of<'a>(spec: &'a Spec, trace: &[Step]) -> Vec<Option<&'a str>> {
    trace
        .iter()
        .map(|s| {
            s.action
                .as_ref()
                .map(|a| spec.actions[a.action].name.as_str())
        })
        .collect()
}
