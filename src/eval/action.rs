//! Enumerating the states an action allows (and the initial states), TLC's way.
//!
//! An action is read as a conjunction, left to right:
//! * `x' = e` with `x'` not yet assigned assigns it (so does `<<x', y'>> = e`, per component);
//! * `x' \in S` with `x'` not yet assigned branches over the elements of `S`;
//! * `A \/ B`, `[A]_v` (`A \/ v' = v`) and `\E v \in S : A` branch, when they assign
//!   something;
//! * `IF c THEN A ELSE B` and `CASE` evaluate their conditions and continue with one branch;
//! * anything else is a guard, evaluated at once: a primed variable it mentions must already
//!   be assigned (the error says "x' is not assigned").
//!
//! `Init` is enumerated the same way, with the unprimed variables as the ones to assign.

use super::eval::{eval, eval_bool, eval_set, for_each_binding, is_member, shown, with_slots};
use super::{Ctx, Env, EvalError, Slots};
use crate::ir::rewrite::primed;
use crate::ir::{Expr, ExprKind, Op, Quantifier, Spec};
use crate::value::Value;
use std::rc::Rc;

/// Which variables an enumeration assigns: unprimed ones (`Init`) or primed ones (an action).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Init,
    Next,
}

/// The conjuncts still to be handled, each with the bound variables it sees.
#[derive(Clone, Default)]
struct Todo<'e>(Option<Rc<Pending<'e>>>);

struct Pending<'e> {
    expr: &'e Expr,
    env: Env,
    rest: Todo<'e>,
}

impl<'e> Todo<'e> {
    fn push(&self, expr: &'e Expr, env: Env) -> Todo<'e> {
        Todo(Some(Rc::new(Pending {
            expr,
            env,
            rest: self.clone(),
        })))
    }

    /// `exprs` in front of this list, in their order.
    fn push_all(&self, exprs: &'e [Expr], env: &Env) -> Todo<'e> {
        exprs
            .iter()
            .rev()
            .fold(self.clone(), |todo, e| todo.push(e, env.clone()))
    }
}

/// The variables assigned so far (indexed by `VarId`).
type Assignment = Vec<Option<Value>>;

/// Receives each complete branch's assignment; returns whether to look for more.
type Emit<'f> = dyn FnMut(&Assignment) -> Result<bool, EvalError> + 'f;

struct Walker<'a, 'c> {
    mode: Mode,
    /// Constants, variable names and (for actions) the current state.
    base: &'c Ctx<'a>,
}

impl<'a, 'c> Walker<'a, 'c> {
    /// A context for evaluating with the assignment so far and the bound variables `env`.
    fn ctx<'s>(&self, slots: &'s Assignment, env: &Env) -> Ctx<'s>
    where
        'a: 's,
    {
        let ctx = match self.mode {
            Mode::Init => with_slots(self.base, Slots::Partial(slots), None),
            Mode::Next => with_slots(self.base, self.base.state, Some(Slots::Partial(slots))),
        };
        ctx.with_bounds(env.clone())
    }

    /// The variable `expr` assigns, if it is one this enumeration assigns and it has no
    /// value yet.
    fn unassigned_target(&self, expr: &Expr, slots: &Assignment) -> Option<usize> {
        let index = match (&*expr.kind, self.mode) {
            (ExprKind::Var(v), Mode::Init) | (ExprKind::Primed(v), Mode::Next) => v.0,
            _ => return None,
        };
        matches!(slots.get(index), Some(None)).then_some(index)
    }

    /// Whether `expr` mentions a variable still to be assigned (outside `ENABLED`, whose
    /// primes are its own).
    fn assigns(&self, expr: &Expr, slots: &Assignment) -> bool {
        if self.unassigned_target(expr, slots).is_some() {
            return true;
        }
        if matches!(&*expr.kind, ExprKind::Enabled(_)) {
            return false;
        }
        children(&expr.kind)
            .into_iter()
            .any(|child| self.assigns(child, slots))
    }

    /// Handles the first pending conjunct and, recursively, the rest. Returns `false` when
    /// `emit` asked to stop.
    fn walk(
        &self,
        todo: &Todo,
        slots: &mut Assignment,
        emit: &mut Emit,
    ) -> Result<bool, EvalError> {
        let Some(item) = &todo.0 else {
            return emit(slots);
        };
        let (expr, env, rest) = (item.expr, &item.env, &item.rest);
        match &*expr.kind {
            ExprKind::Apply(Op::And, args) => self.walk(&rest.push_all(args, env), slots, emit),
            ExprKind::Apply(Op::Or, args) if self.assigns(expr, slots) => {
                for arg in args {
                    if !self.walk(&rest.push(arg, env.clone()), slots, emit)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            ExprKind::Quant(Quantifier::Exists, binders, body) if self.assigns(expr, slots) => {
                let mut envs = Vec::new();
                for_each_binding(binders, &self.ctx(slots, env), &mut |inner, _| {
                    envs.push(inner.bounds.clone());
                    Ok(true)
                })?;
                for inner in envs {
                    if !self.walk(&rest.push(body, inner), slots, emit)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            ExprKind::If(cond, then, other) if self.assigns(expr, slots) => {
                let branch = if eval_bool(cond, &self.ctx(slots, env))? {
                    then
                } else {
                    other
                };
                self.walk(&rest.push(branch, env.clone()), slots, emit)
            }
            ExprKind::Case(arms, other) if self.assigns(expr, slots) => {
                let branch = self.case_branch(arms, other.as_ref(), slots, env, expr)?;
                self.walk(&rest.push(branch, env.clone()), slots, emit)
            }
            ExprKind::Apply(Op::Eq, args) if args.len() == 2 && self.assigns(&args[0], slots) => {
                let value = eval(&args[1], &self.ctx(slots, env))?;
                self.assign(&args[0], value, rest, slots, env, emit)
            }
            // `[A]_v` inside an action (`[NowNext]_now /\ [HCnxt]_hr`): `A`, or `v' = v`.
            // Only for `v` a tuple of variables: priming anything else in the IR could miss
            // the state a recursive definition reads, so that is left to the guard.
            ExprKind::BoxAction(action, vars)
                if self.mode == Mode::Next
                    && is_variable_tuple(vars)
                    && self.assigns(expr, slots) =>
            {
                if !self.walk(&rest.push(action, env.clone()), slots, emit)? {
                    return Ok(false);
                }
                let value = eval(vars, &self.ctx(slots, env))?;
                self.assign(&primed(vars), value, rest, slots, env, emit)
            }
            ExprKind::Apply(Op::In, args) if args.len() == 2 => {
                match self.unassigned_target(&args[0], slots) {
                    Some(index) => self.branch_over(index, &args[1], rest, slots, env, emit),
                    None => self.guard(expr, rest, slots, env, emit),
                }
            }
            _ => self.guard(expr, rest, slots, env, emit),
        }
    }

    /// A conjunct that assigns nothing: continue only if it holds.
    fn guard(
        &self,
        expr: &Expr,
        rest: &Todo,
        slots: &mut Assignment,
        env: &Env,
        emit: &mut Emit,
    ) -> Result<bool, EvalError> {
        if eval_bool(expr, &self.ctx(slots, env))? {
            self.walk(rest, slots, emit)
        } else {
            Ok(true)
        }
    }

    /// `lhs = value`, `lhs` containing variables to assign: assigns them and continues with
    /// `rest` if the rest of `lhs` matches, then unassigns them.
    fn assign(
        &self,
        lhs: &Expr,
        value: Value,
        rest: &Todo,
        slots: &mut Assignment,
        env: &Env,
        emit: &mut Emit,
    ) -> Result<bool, EvalError> {
        let mut assigned = Vec::new();
        let result = match self.match_value(lhs, value, slots, env, &mut assigned) {
            Ok(true) => self.walk(rest, slots, emit),
            other => other.map(|_| true),
        };
        for index in assigned {
            slots[index] = None;
        }
        result
    }

    /// `x' \in S`: one branch per element of `S`.
    fn branch_over(
        &self,
        index: usize,
        set: &Expr,
        rest: &Todo,
        slots: &mut Assignment,
        env: &Env,
        emit: &mut Emit,
    ) -> Result<bool, EvalError> {
        let elements = eval_set(set, &self.ctx(slots, env))?;
        for element in elements {
            slots[index] = Some(element);
            let go_on = self.walk(rest, slots, emit);
            slots[index] = None;
            if !go_on? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// `lhs = value` where `lhs` contains variables to assign: assigns them (recording which in
    /// `assigned`), and compares whatever else `lhs` contains. Returns whether it matched.
    fn match_value(
        &self,
        lhs: &Expr,
        value: Value,
        slots: &mut Assignment,
        env: &Env,
        assigned: &mut Vec<usize>,
    ) -> Result<bool, EvalError> {
        if let Some(index) = self.unassigned_target(lhs, slots) {
            slots[index] = Some(value);
            assigned.push(index);
            return Ok(true);
        }
        if let ExprKind::Tuple(items) = &*lhs.kind {
            let parts: Option<Vec<Value>> = value
                .as_sequence()
                .filter(|parts| parts.len() == items.len())
                .map(|p| p.into_iter().cloned().collect());
            if let Some(parts) = parts {
                for (item, part) in items.iter().zip(parts) {
                    if !self.match_value(item, part, slots, env, assigned)? {
                        return Ok(false);
                    }
                }
                return Ok(true);
            }
        }
        Ok(eval(lhs, &self.ctx(slots, env))? == value)
    }

    fn case_branch<'e>(
        &self,
        arms: &'e [(Expr, Expr)],
        other: Option<&'e Expr>,
        slots: &Assignment,
        env: &Env,
        case: &Expr,
    ) -> Result<&'e Expr, EvalError> {
        let ctx = self.ctx(slots, env);
        for (cond, branch) in arms {
            if eval_bool(cond, &ctx)? {
                return Ok(branch);
            }
        }
        other.ok_or_else(|| {
            EvalError::new(
                "CASE: no arm's condition is true and there is no OTHER arm",
                case.loc,
            )
        })
    }
}

/// Whether `expr` is a variable or a tuple of such (as `vars` in `[A]_vars` usually is).
fn is_variable_tuple(expr: &Expr) -> bool {
    match &*expr.kind {
        ExprKind::Var(_) => true,
        ExprKind::Tuple(items) => items.iter().all(is_variable_tuple),
        _ => false,
    }
}

/// The direct sub-expressions of an expression.
pub(crate) fn children(kind: &ExprKind) -> Vec<&Expr> {
    kind.children()
}

/// Runs the enumeration of `expr` from an empty assignment of `var_count` variables.
fn enumerate(
    mode: Mode,
    expr: &Expr,
    base: &Ctx,
    var_count: usize,
    emit: &mut Emit,
) -> Result<bool, EvalError> {
    let walker = Walker { mode, base };
    let mut slots = vec![None; var_count];
    walker.walk(
        &Todo::default().push(expr, base.bounds.clone()),
        &mut slots,
        emit,
    )
}

/// The complete assignment, or an error naming the first variable left unassigned.
fn complete(
    slots: &Assignment,
    ctx: &Ctx,
    what: &str,
    prime: &str,
    loc: crate::ir::Loc,
) -> Result<Vec<Value>, EvalError> {
    slots
        .iter()
        .enumerate()
        .map(|(i, slot)| {
            slot.clone().ok_or_else(|| {
                EvalError::new(
                    format!("{what} does not assign {}{prime}", ctx.var_name(i)),
                    loc,
                )
            })
        })
        .collect()
}

/// Every state satisfying the spec's `Init`, in the order found (possibly with repeats).
pub fn initial_states(spec: &Spec) -> Result<Vec<Vec<Value>>, EvalError> {
    initial_states_up_to(spec, usize::MAX)
}

/// The first state satisfying the spec's `Init`, if there is one, found without enumerating
/// the others (which may be many where `Init` chooses among values).
pub fn first_initial_state(spec: &Spec) -> Result<Option<Vec<Value>>, EvalError> {
    Ok(initial_states_up_to(spec, 1)?.into_iter().next())
}

/// The first `limit` states satisfying the spec's `Init`: the enumeration stops there.
fn initial_states_up_to(spec: &Spec, limit: usize) -> Result<Vec<Vec<Value>>, EvalError> {
    let base = Ctx::new(spec, &[]);
    let mut states = Vec::new();
    enumerate(
        Mode::Init,
        &spec.init,
        &base,
        spec.vars.len(),
        &mut |slots| {
            states.push(complete(slots, &base, "Init", "", spec.init.loc)?);
            Ok(states.len() < limit)
        },
    )?;
    Ok(states)
}

/// One successor of a state: which action (index into `spec.actions`) with which parameter
/// values leads to which state.
#[derive(Clone, Debug, PartialEq)]
pub struct Successor {
    pub action: usize,
    pub params: Vec<Value>,
    pub state: Vec<Value>,
}

/// Calls `visit` with every successor of `state` by the spec's actions, in order, until it
/// returns `false`. Returns whether it ran to the end. Constraints are not applied here.
pub fn successors(
    spec: &Spec,
    state: &[Value],
    visit: &mut dyn FnMut(Successor) -> Result<bool, EvalError>,
) -> Result<bool, EvalError> {
    let base = Ctx::new(spec, state);
    for (index, action) in spec.actions.iter().enumerate() {
        let binders: Vec<_> = action.params.iter().map(|p| p.binder.clone()).collect();
        let what = format!("action {}", action.name);
        let go_on = for_each_binding(&binders, &base, &mut |with_params, params| {
            enumerate(
                Mode::Next,
                &action.body,
                with_params,
                spec.vars.len(),
                &mut |slots| {
                    let next = complete(slots, with_params, &what, "'", action.loc)?;
                    visit(Successor {
                        action: index,
                        params: params.to_vec(),
                        state: next,
                    })
                },
            )
        })?;
        if !go_on {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Whether the action with index `action` and parameter values `params` leads from `state`
/// to `next`: the parameters lie in their sets and the body holds of the two states.
pub fn takes(
    spec: &Spec,
    action: usize,
    params: &[Value],
    state: &[Value],
    next: &[Value],
) -> Result<Result<(), String>, EvalError> {
    let Some(act) = spec.actions.get(action) else {
        return Ok(Err(format!("there is no action #{action}")));
    };
    if act.params.len() != params.len() {
        return Ok(Err(format!(
            "action {} takes {} parameters, the step gives {}",
            act.name,
            act.params.len(),
            params.len()
        )));
    }
    let mut ctx = Ctx::new(spec, state).with_next(next);
    for (param, value) in act.params.iter().zip(params) {
        if !is_member(value, &param.binder.set, &ctx)? {
            return Ok(Err(format!(
                "parameter {} = {} is not in its set",
                param.name,
                shown(value)
            )));
        }
        ctx = super::eval::bind_pattern(
            &param.binder.pattern,
            value.clone(),
            &ctx,
            param.binder.set.loc,
        )?;
    }
    if eval_bool(&act.body, &ctx)? {
        Ok(Ok(()))
    } else {
        Ok(Err(format!(
            "action {} does not lead from this state to the next",
            act.name
        )))
    }
}

/// `ENABLED A` in `ctx`'s state: whether some assignment of the primed variables makes `A`
/// true. Variables `A` leaves unassigned may take any value.
pub(crate) fn enabled(act: &Expr, ctx: &Ctx) -> Result<bool, EvalError> {
    let mut found = false;
    let var_count = ctx.vars.len().max(state_len(ctx));
    enumerate(Mode::Next, act, ctx, var_count, &mut |_| {
        found = true;
        Ok(false)
    })?;
    Ok(found)
}

fn state_len(ctx: &Ctx) -> usize {
    match ctx.state {
        Slots::Full(values) => values.len(),
        Slots::Partial(values) => values.len(),
    }
}
