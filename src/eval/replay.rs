//! Certifying a counterexample found elsewhere (by the SMT engine), by evaluation alone.
//!
//! A trace is accepted when its first state satisfies `Init`, each step satisfies the action
//! it names with its parameter values (which must lie in their sets), every state satisfies
//! the state constraints and every step the action constraints, and the last state breaks
//! the claimed invariant or has no successor. The first check that fails is reported, with the
//! state it concerns.

use super::action::{successors, takes};
use super::eval::eval_bool;
use super::explore::holds_all;
use super::{Ctx, EvalError};
use crate::diag::{Diagnostic, Kind};
use crate::ir::{ActionInstance, Expr, Spec, Step};
use crate::value::Value;
use std::fmt;

/// What a trace is claimed to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// The named invariant is false in the last state.
    InvariantViolated(String),
    /// The last state has no successor.
    Deadlock,
}

/// Why a trace does not replay. `state` is the 1-based position in the trace of the state the
/// failed check concerns (for a step, the state it enters; 0 when the trace is empty).
#[derive(Clone, Debug, PartialEq)]
pub struct ReplayError {
    pub state: usize,
    pub message: String,
}

impl fmt::Display for ReplayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the trace does not replay: {}", self.message)
    }
}

impl std::error::Error for ReplayError {}

/// A trace that does not replay is an internal error of whoever produced it.
impl From<ReplayError> for Diagnostic {
    fn from(error: ReplayError) -> Diagnostic {
        Diagnostic::new(Kind::Other, "E0501", format!("internal error: {error}"))
    }
}

/// Checks that `trace` is a behaviour of `spec` that shows `claim`.
pub fn replay(spec: &Spec, trace: &[Step], claim: Claim) -> Result<(), ReplayError> {
    // As in TLC, every state but the last was explored, so it lies in the model (it
    // satisfies the constraints, and so did the step to it). The last state of an invariant
    // violation need not: TLC checks invariants on every state it generates.
    check_behaviour(spec, trace, matches!(claim, Claim::Deadlock))?;
    let last = trace.len();
    let last_state = &trace[last - 1].state;
    match claim {
        Claim::InvariantViolated(name) => check_violation(spec, &name, last_state, last),
        Claim::Deadlock => check_deadlock(spec, last_state, last),
    }
}

/// Checks that the non-empty `trace` is a behaviour of `spec`: `Init` holds in its first
/// state and each step is an instance of the action it names; the states and steps lie within
/// the constraints, the last one only when `last_in_model`.
pub(crate) fn check_behaviour(
    spec: &Spec,
    trace: &[Step],
    last_in_model: bool,
) -> Result<(), ReplayError> {
    let Some(first) = trace.first() else {
        return Err(failure(0, "the trace is empty"));
    };
    for (i, step) in trace.iter().enumerate() {
        check_shape(spec, step, i + 1)?;
    }
    if first.action.is_some() {
        return Err(failure(
            1,
            "state 1 names an action, but it is an initial state",
        ));
    }
    check_predicate(spec, &spec.init, "Init", &first.state, 1)?;
    let last = trace.len();
    for (i, step) in trace.iter().enumerate() {
        let in_model = i + 1 < last || last_in_model;
        if in_model {
            check_constraints(spec, &step.state, i + 1)?;
        }
        if i > 0 {
            check_step(spec, &trace[i - 1].state, step, i + 1, in_model)?;
        }
    }
    Ok(())
}

pub(crate) fn failure(state: usize, message: impl Into<String>) -> ReplayError {
    ReplayError {
        state,
        message: message.into(),
    }
}

pub(crate) fn eval_failure(state: usize, what: &str, error: EvalError) -> ReplayError {
    failure(
        state,
        format!("state {state}: evaluating {what} failed: {}", error.message),
    )
}

/// `Acquire(c1)`: an action with its parameter values, as the messages show it.
fn step_label(spec: &Spec, step: &ActionInstance) -> String {
    let name = spec
        .actions
        .get(step.action)
        .map_or("?", |a| a.name.as_str());
    if step.params.is_empty() {
        return name.to_string();
    }
    let params: Vec<String> = step.params.iter().map(Value::to_string).collect();
    format!("{name}({})", params.join(", "))
}

fn check_shape(spec: &Spec, step: &Step, at: usize) -> Result<(), ReplayError> {
    if step.state.len() == spec.vars.len() {
        Ok(())
    } else {
        Err(failure(
            at,
            format!(
                "state {at} has {} values but the spec has {} variables",
                step.state.len(),
                spec.vars.len()
            ),
        ))
    }
}

fn check_predicate(
    spec: &Spec,
    expr: &Expr,
    what: &str,
    state: &[Value],
    at: usize,
) -> Result<(), ReplayError> {
    match eval_bool(expr, &Ctx::new(spec, state)) {
        Ok(true) => Ok(()),
        Ok(false) => Err(failure(at, format!("state {at} does not satisfy {what}"))),
        Err(error) => Err(eval_failure(at, what, error)),
    }
}

fn check_constraints(spec: &Spec, state: &[Value], at: usize) -> Result<(), ReplayError> {
    for constraint in &spec.constraints {
        let what = format!("the state constraint {}", constraint.name);
        check_predicate(spec, &constraint.expr, &what, state, at)?;
    }
    Ok(())
}

/// The step entering state `at` is an instance of the action it names.
fn check_step(
    spec: &Spec,
    before: &[Value],
    step: &Step,
    at: usize,
    in_model: bool,
) -> Result<(), ReplayError> {
    let Some(instance) = &step.action else {
        return Err(failure(
            at,
            format!("step {} -> {at} names no action", at - 1),
        ));
    };
    if instance.action >= spec.actions.len() {
        return Err(failure(
            at,
            format!(
                "step {} -> {at}: the spec has no action number {}",
                at - 1,
                instance.action
            ),
        ));
    }
    let label = step_label(spec, instance);
    let reason = match takes(spec, instance.action, &instance.params, before, &step.state) {
        Ok(Ok(())) => String::new(),
        Ok(Err(why)) => why,
        Err(error) => format!("evaluating the action failed: {}", error.message),
    };
    if !reason.is_empty() {
        return Err(failure(
            at,
            format!("step {} -> {at} ({label}): {reason}", at - 1),
        ));
    }
    if !in_model {
        return Ok(());
    }
    for constraint in &spec.action_constraints {
        match holds_all(
            std::slice::from_ref(constraint),
            spec,
            before,
            Some(&step.state),
        ) {
            Ok(true) => {}
            Ok(false) => {
                let message = format!(
                    "step {} -> {at} ({label}) violates the action constraint {}",
                    at - 1,
                    constraint.name
                );
                return Err(failure(at, message));
            }
            Err(error) => {
                return Err(eval_failure(
                    at,
                    &format!("the action constraint {}", constraint.name),
                    error,
                ))
            }
        }
    }
    Ok(())
}

fn check_violation(spec: &Spec, name: &str, state: &[Value], at: usize) -> Result<(), ReplayError> {
    let Some(invariant) = spec.invariants.iter().find(|inv| inv.name == name) else {
        return Err(failure(
            at,
            format!("the spec has no invariant named {name}"),
        ));
    };
    match eval_bool(&invariant.expr, &Ctx::new(spec, state)) {
        Ok(false) => Ok(()),
        Ok(true) => Err(failure(
            at,
            format!("the last state (state {at}) satisfies the invariant {name}"),
        )),
        Err(error) => Err(eval_failure(at, &format!("the invariant {name}"), error)),
    }
}

fn check_deadlock(spec: &Spec, state: &[Value], at: usize) -> Result<(), ReplayError> {
    let mut witness = None;
    let outcome = successors(spec, state, &mut |successor| {
        witness = Some(successor.action);
        Ok(false)
    });
    if let Err(error) = outcome {
        return Err(eval_failure(at, "the successors", error));
    }
    match witness {
        None => Ok(()),
        Some(action) => {
            let name = spec.actions.get(action).map_or("?", |a| a.name.as_str());
            Err(failure(
                at,
                format!(
                    "the last state (state {at}) is not deadlocked: action {name} can be taken"
                ),
            ))
        }
    }
}

/// Replays a trace claimed to end in an evaluation error: its states form a behaviour of
/// `spec` (the last one explored or not), and evaluating the last state the way TLC does
/// stops with an error — `Init` (for a trace of one state), the state constraints, the
/// invariants up to the first violated one, or, when the constraints hold, the successors
/// and the action constraints of each. Returns that error, or `None` when evaluation goes
/// through; a trace that is not a behaviour is a `ReplayError`.
pub fn evaluation_error(spec: &Spec, trace: &[Step]) -> Result<Option<EvalError>, ReplayError> {
    if let [only] = trace {
        if let Err(error) = eval_bool(&spec.init, &Ctx::new(spec, &only.state)) {
            return Ok(Some(error));
        }
    }
    check_behaviour(spec, trace, false)?;
    let Some(last) = trace.last() else {
        return Err(failure(0, "the trace is empty"));
    };
    Ok(error_in_state(spec, &last.state).err())
}

/// Evaluates what TLC evaluates in a state it generates and then explores (see
/// `evaluation_error`), stopping at the first error.
pub fn error_in_state(spec: &Spec, state: &[Value]) -> Result<(), EvalError> {
    let explored = holds_all(&spec.constraints, spec, state, None)?;
    for invariant in &spec.invariants {
        if !holds_all(std::slice::from_ref(invariant), spec, state, None)? {
            // TLC reports the violation; it evaluates no further.
            return Ok(());
        }
    }
    if !explored {
        return Ok(());
    }
    successors(spec, state, &mut |successor| {
        holds_all(
            &spec.action_constraints,
            spec,
            state,
            Some(&successor.state),
        )?;
        Ok(true)
    })?;
    Ok(())
}
