//! Certifying a counterexample to a temporal property, by evaluation alone.
//!
//! A lasso `s1 … sn`, back to `sl`, is accepted when its states and steps replay (as in
//! `replay`), the loop really closes (some action leads from `sn` to `sl`, or `sn = sl` and
//! the behaviour stutters), every fairness condition holds on the loop (with `ENABLED`
//! evaluated by enumerating successors, as TLC does), and the property is false on the
//! infinite behaviour the lasso stands for. The temporal operators are evaluated here
//! directly on the lasso: the positions from `i` on are `i … n` and, when `i` is in the loop,
//! the whole loop.
//!
//! A finite trace claimed to violate a safety property `[]P` (or `[][A]_v`) is accepted when
//! it replays and `P` is false in its last state (or `[A]_v` on its last step).

use super::action::{enabled, successors};
use super::eval::{eval_bool, for_each_binding};
use super::replay::{check_behaviour, eval_failure, failure, ReplayError};
use super::{Ctx, Env, EvalError};
use crate::ir::rewrite::angle;
use crate::ir::{Behaviour, Expr, ExprKind, Fairness, FairnessCondition, Named, Op, Quantifier};
use crate::ir::{Spec, Step};
use crate::value::Value;

/// Checks that `lasso` is a fair behaviour of `spec` that violates `property`.
pub fn replay_lasso(spec: &Spec, lasso: &Behaviour, property: &Named) -> Result<(), ReplayError> {
    let steps = &lasso.steps;
    check_behaviour(spec, steps, true)?;
    let n = steps.len();
    let Some(start) = lasso.loop_start.filter(|l| *l < n) else {
        return Err(failure(n, "the lasso has no loop start within it"));
    };
    let lasso = Lasso { steps, start };
    lasso.check_closes(spec)?;
    for condition in &spec.fairness {
        lasso.check_fair(spec, condition)?;
    }
    match lasso.holds(spec, &property.expr, &Env::new(), 0) {
        Ok(false) => Ok(()),
        Ok(true) => Err(failure(
            n,
            format!("the property {} holds on the lasso", property.name),
        )),
        Err(error) => Err(eval_failure(n, &property.name, error)),
    }
}

/// Checks that `trace` is a behaviour of `spec` whose last state (or step) breaks the safety
/// property `[]P` (or `[][A]_v`).
pub fn replay_safety_property(
    spec: &Spec,
    trace: &[Step],
    property: &Named,
) -> Result<(), ReplayError> {
    check_behaviour(spec, trace, false)?;
    let n = trace.len();
    let ExprKind::Always(body) = &*property.expr.kind else {
        return Err(failure(
            n,
            format!("{} is not of the form []P", property.name),
        ));
    };
    let last = &trace[n - 1].state;
    let ctx = match (&*body.kind, n.checked_sub(2)) {
        (ExprKind::BoxAction(..), Some(before)) => {
            Ctx::new(spec, &trace[before].state).with_next(last)
        }
        (ExprKind::BoxAction(..), None) => {
            return Err(failure(n, "an action property needs a step to fail on"))
        }
        _ => Ctx::new(spec, last),
    };
    match eval_bool(body, &ctx) {
        Ok(false) => Ok(()),
        Ok(true) => Err(failure(
            n,
            format!("the last step of the trace satisfies {}", property.name),
        )),
        Err(error) => Err(eval_failure(n, &property.name, error)),
    }
}

/// States `0..n` of a lasso, the step from the last going back to `start`.
struct Lasso<'t> {
    steps: &'t [Step],
    start: usize,
}

impl Lasso<'_> {
    fn state(&self, position: usize) -> &[Value] {
        &self.steps[position].state
    }

    /// The position after `position`.
    fn next(&self, position: usize) -> usize {
        if position + 1 < self.steps.len() {
            position + 1
        } else {
            self.start
        }
    }

    /// The positions at or after `position`, on the infinite behaviour.
    fn from(&self, position: usize) -> std::ops::Range<usize> {
        position.min(self.start)..self.steps.len()
    }

    /// The positions of the loop.
    fn in_loop(&self) -> std::ops::Range<usize> {
        self.start..self.steps.len()
    }

    /// The context of `position`, with the next state, and the bound variables of `env`.
    fn ctx<'s>(&'s self, spec: &'s Spec, position: usize, env: &Env) -> Ctx<'s> {
        Ctx::new(spec, self.state(position))
            .with_next(self.state(self.next(position)))
            .with_bounds(env.clone())
    }

    /// The closing step is a step of the spec, or stuttering.
    fn check_closes(&self, spec: &Spec) -> Result<(), ReplayError> {
        let n = self.steps.len();
        let (last, back) = (self.state(n - 1), self.state(self.start));
        if last == back {
            return Ok(());
        }
        let mut closes = false;
        successors(spec, last, &mut |successor| {
            closes = successor.state == back;
            Ok(!closes)
        })
        .map_err(|error| eval_failure(n, "the successors of the last state", error))?;
        if closes {
            Ok(())
        } else {
            Err(failure(
                n,
                format!(
                    "no action leads from the last state back to state {}",
                    self.start + 1
                ),
            ))
        }
    }

    /// Every instance of `condition` holds on the loop.
    fn check_fair(&self, spec: &Spec, condition: &FairnessCondition) -> Result<(), ReplayError> {
        let step = angle(&condition.action, &condition.vars);
        let no_state: Vec<Value> = Vec::new();
        let mut unfair = None;
        for_each_binding(
            &condition.binders,
            &Ctx::new(spec, &no_state),
            &mut |inner, values| {
                if !self.fair(spec, condition.kind, &step, &inner.bounds)? {
                    unfair = Some(values.to_vec());
                }
                Ok(unfair.is_none())
            },
        )
        .map_err(|error| eval_failure(self.steps.len(), "a fairness condition", error))?;
        match unfair {
            None => Ok(()),
            Some(values) => Err(failure(
                self.steps.len(),
                format!("a fairness condition does not hold on the loop (for {values:?})"),
            )),
        }
    }

    /// `WF` or `SF` of the action `step` (`<<A>>_v`) holds on the loop.
    fn fair(&self, spec: &Spec, kind: Fairness, step: &Expr, env: &Env) -> Result<bool, EvalError> {
        let mut taken = false;
        let mut enabled_somewhere = false;
        let mut enabled_everywhere = true;
        for position in self.in_loop() {
            let ctx = self.ctx(spec, position, env);
            taken |= eval_bool(step, &ctx)?;
            let on = enabled(
                step,
                &Ctx::new(spec, self.state(position)).with_bounds(env.clone()),
            )?;
            enabled_somewhere |= on;
            enabled_everywhere &= on;
        }
        let demanded = match kind {
            Fairness::Weak => enabled_everywhere,
            Fairness::Strong => enabled_somewhere,
        };
        Ok(taken || !demanded)
    }

    /// The value of the temporal formula `expr` at `position` of the infinite behaviour.
    fn holds(
        &self,
        spec: &Spec,
        expr: &Expr,
        env: &Env,
        position: usize,
    ) -> Result<bool, EvalError> {
        let holds = |e: &Expr, at: usize| self.holds(spec, e, env, at);
        match &*expr.kind {
            ExprKind::Always(body) => all_of(self.from(position), |at| holds(body, at)),
            ExprKind::Eventually(body) => any_of(self.from(position), |at| holds(body, at)),
            ExprKind::LeadsTo(p, q) => all_of(self.from(position), |at| {
                Ok(!holds(p, at)? || any_of(self.from(at), |later| holds(q, later))?)
            }),
            // Fairness is about the loop only, wherever it is evaluated.
            ExprKind::Fair(kind, vars, action) => self.fair(spec, *kind, &angle(action, vars), env),
            ExprKind::If(cond, then, other) => {
                let branch = if holds(cond, position)? { then } else { other };
                holds(branch, position)
            }
            ExprKind::Apply(Op::And, args) => all_of(0..args.len(), |i| holds(&args[i], position)),
            ExprKind::Apply(Op::Or, args) => any_of(0..args.len(), |i| holds(&args[i], position)),
            ExprKind::Apply(Op::Not, args) if args.len() == 1 => Ok(!holds(&args[0], position)?),
            ExprKind::Apply(Op::Implies, args) if args.len() == 2 => {
                Ok(!holds(&args[0], position)? || holds(&args[1], position)?)
            }
            ExprKind::Apply(Op::Equiv, args) if args.len() == 2 => {
                Ok(holds(&args[0], position)? == holds(&args[1], position)?)
            }
            ExprKind::Quant(q, binders, body) => {
                let looking_for = *q == Quantifier::Exists;
                let mut found = false;
                for_each_binding(binders, &self.ctx(spec, position, env), &mut |inner, _| {
                    found = self.holds(spec, body, &inner.bounds, position)? == looking_for;
                    Ok(!found)
                })?;
                Ok(found == looking_for)
            }
            _ => eval_bool(expr, &self.ctx(spec, position, env)),
        }
    }
}

fn all_of(
    range: std::ops::Range<usize>,
    mut test: impl FnMut(usize) -> Result<bool, EvalError>,
) -> Result<bool, EvalError> {
    for i in range {
        if !test(i)? {
            return Ok(false);
        }
    }
    Ok(true)
}

fn any_of(
    range: std::ops::Range<usize>,
    mut test: impl FnMut(usize) -> Result<bool, EvalError>,
) -> Result<bool, EvalError> {
    for i in range {
        if test(i)? {
            return Ok(true);
        }
    }
    Ok(false)
}
