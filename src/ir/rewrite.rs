//! Rewriting IR expressions into others the engines and the evaluator both read: the step
//! formulas of fairness and action properties, and instances of quantified conditions.
//!
//! The nodes built here take the `ExprId` of a node of the same type (a boolean node for a
//! boolean one, `v` itself for the primed copy of `v`), so the type table of the `Spec` types
//! them without a new inference pass.

use super::{BoundId, Expr, ExprKind, Op};
use crate::value::Value;

/// `expr` with each bound variable of `values` replaced by its value.
pub fn substitute(expr: &Expr, values: &[(BoundId, Value)]) -> Expr {
    let mut copy = expr.clone();
    replace_bound(&mut copy, values);
    copy
}

fn replace_bound(expr: &mut Expr, values: &[(BoundId, Value)]) {
    if let ExprKind::Bound(id) = &*expr.kind {
        if let Some((_, value)) = values.iter().find(|(bound, _)| bound == id) {
            *expr.kind = ExprKind::Lit(value.clone());
        }
        return;
    }
    expr.kind
        .for_each_child_mut(&mut |child| replace_bound(child, values));
}

/// `e'`: `expr` with every state variable primed.
pub fn primed(expr: &Expr) -> Expr {
    let mut copy = expr.clone();
    prime_vars(&mut copy);
    copy
}

fn prime_vars(expr: &mut Expr) {
    if let ExprKind::Var(var) = &*expr.kind {
        *expr.kind = ExprKind::Primed(*var);
        return;
    }
    expr.kind.for_each_child_mut(&mut prime_vars);
}

/// `v' = v`, typed as the boolean node `typed_as`.
pub fn unchanged(vars: &Expr, typed_as: &Expr) -> Expr {
    boolean(
        typed_as,
        ExprKind::Apply(Op::Eq, vec![primed(vars), vars.clone()]),
    )
}

/// `<<A>>_v`, spelled out as `A /\ ~(v' = v)` so that it is an ordinary action.
pub fn angle(action: &Expr, vars: &Expr) -> Expr {
    let changed = boolean(
        action,
        ExprKind::Apply(Op::Not, vec![unchanged(vars, action)]),
    );
    boolean(
        action,
        ExprKind::Apply(Op::And, vec![action.clone(), changed]),
    )
}

/// `[A]_v`, spelled out as `A \/ v' = v`.
pub fn boxed(action: &Expr, vars: &Expr) -> Expr {
    let kind = ExprKind::Apply(Op::Or, vec![action.clone(), unchanged(vars, action)]);
    boolean(action, kind)
}

/// A new node of `kind` with the id (so the type) and location of the boolean `typed_as`.
pub fn boolean(typed_as: &Expr, kind: ExprKind) -> Expr {
    Expr {
        id: typed_as.id,
        loc: typed_as.loc,
        kind: Box::new(kind),
    }
}

/// Whether `expr` mentions a primed variable: an action rather than a state predicate.
/// `ENABLED A` is a state predicate: the primes of `A` are its own.
pub fn mentions_primed(expr: &Expr) -> bool {
    let mut found = false;
    let mut copy = expr.clone();
    visit_primed(&mut copy, &mut found);
    found
}

fn visit_primed(expr: &mut Expr, found: &mut bool) {
    match &*expr.kind {
        ExprKind::Primed(_) => *found = true,
        ExprKind::Enabled(_) => {}
        _ => expr
            .kind
            .for_each_child_mut(&mut |child| visit_primed(child, found)),
    }
}

/// Whether `expr` has a temporal operator in it (`[]`, `<>`, `~>`, `[A]_v`, `<<A>>_v`, `WF`,
/// `SF`), so that it is no state or action formula. `ENABLED A` is a state predicate.
pub fn is_temporal(expr: &Expr) -> bool {
    match &*expr.kind {
        ExprKind::Always(_)
        | ExprKind::Eventually(_)
        | ExprKind::LeadsTo(..)
        | ExprKind::BoxAction(..)
        | ExprKind::AngleAction(..)
        | ExprKind::Fair(..) => true,
        ExprKind::Enabled(_) => false,
        kind => kind.children().into_iter().any(is_temporal),
    }
}
