//! Certifying a counterexample to a proof obligation with the evaluator, which shares no code
//! with the SMT encoding: a counterexample that does not certify is a bug in smtcheck, and is
//! never shown as real.
//!
//! The constants the config left symbolic take the counterexample's values (filled into a
//! copy of the spec, as `eval` evaluates them), and must satisfy the assumptions. Then:
//! * initiation: the states are a behaviour from an initial state that ends breaking
//!   `IndInv` (the replay that certifies `check`'s traces);
//! * consecution: every state but the last satisfies `IndInv` and the state constraints,
//!   every step is an instance of the action it names (the last one of the obligation's
//!   action) within the action constraints, and the last state breaks `IndInv`;
//! * implication: the one state satisfies `IndInv` and breaks the property.
//!
//! A counterexample whose last state is `Failure::Undefined` certifies when, instead, the
//! evaluator stops with an error there: in `Init`, or in what TLC evaluates in a state it
//! reaches (the constraints, the invariants, the successors). For consecution its other
//! states satisfy `IndInv` and are joined by steps of their actions, as above.

use super::{inductive_conjuncts, Counterexample, Failure, Obligation, Options};
use crate::eval::action::takes;
use crate::eval::eval::eval_bool;
use crate::eval::replay::error_in_state;
use crate::eval::{evaluation_error, replay, Claim, Ctx, EvalError};
use crate::ir::{Expr, Spec, Step};
use crate::value::Value;

/// What the evaluator confirmed about a counterexample.
#[derive(Clone, Debug, PartialEq)]
pub struct Certificate {
    /// For initiation and consecution, the index (among `conjuncts(IndInv)`) of the first
    /// conjunct the last state breaks.
    pub broken_conjunct: Option<usize>,
    /// The error evaluation stops with in the last state, for `Failure::Undefined`.
    pub evaluation_error: Option<EvalError>,
}

/// Checks `cex` against `obligation` by evaluation; the error says which check failed.
pub fn certify(
    spec: &Spec,
    options: &Options,
    obligation: &Obligation,
    cex: &Counterexample,
) -> Result<Certificate, String> {
    let spec = &instantiate(spec, &cex.constants)?;
    check_assumptions(spec)?;
    if cex.failure == Failure::Undefined {
        return certify_undefined(spec, options, obligation, &cex.steps);
    }
    let inductive = inductive_conjuncts(spec, options);
    let last = cex.steps.last().ok_or("the counterexample has no state")?;
    match obligation {
        Obligation::Initiation => {
            let broken = first_broken_invariant(spec, options, &last.state)?;
            replay(spec, &cex.steps, Claim::InvariantViolated(broken)).map_err(|e| e.message)?;
        }
        Obligation::Consecution(action) => {
            check_induction_step(spec, &inductive, &cex.steps, *action)?;
        }
        Obligation::Implication(property) => {
            let property = spec.invariants.get(*property).ok_or("no such property")?;
            expect_all(spec, &inductive, &last.state)?;
            expect(spec, &property.expr, &last.state, false, &property.name)?;
            return Ok(Certificate {
                broken_conjunct: None,
                evaluation_error: None,
            });
        }
    }
    Ok(Certificate {
        broken_conjunct: first_broken(spec, &inductive, &last.state)?,
        evaluation_error: None,
    })
}

/// Checks that evaluation stops with an error in the last state of `steps`: a behaviour from
/// an initial state for initiation; for consecution, states satisfying `IndInv` but perhaps
/// the last, joined by steps of their actions.
fn certify_undefined(
    spec: &Spec,
    options: &Options,
    obligation: &Obligation,
    steps: &[Step],
) -> Result<Certificate, String> {
    let error = match obligation {
        Obligation::Initiation => evaluation_error(spec, steps).map_err(|e| e.message)?,
        Obligation::Consecution(_) => {
            let inductive = inductive_conjuncts(spec, options);
            let last = check_path(spec, &inductive, steps)?;
            error_in_state(spec, &last.state).err()
        }
        Obligation::Implication(_) => {
            return Err("an implication has no evaluation error of its own".into())
        }
    };
    match error {
        Some(error) => Ok(Certificate {
            broken_conjunct: None,
            evaluation_error: Some(error),
        }),
        None => Err("evaluation stops with no error in the last state".into()),
    }
}

/// The name of the first invariant of `IndInv` that `state` breaks.
fn first_broken_invariant(
    spec: &Spec,
    options: &Options,
    state: &[Value],
) -> Result<String, String> {
    for index in &options.inductive {
        let invariant = spec.invariants.get(*index).ok_or("no such invariant")?;
        if expect(spec, &invariant.expr, state, false, &invariant.name).is_ok() {
            return Ok(invariant.name.clone());
        }
    }
    Err("the last state satisfies IndInv".into())
}

/// A copy of `spec` with the symbolic constants fixed to `values`.
fn instantiate(spec: &Spec, values: &[Option<Value>]) -> Result<Spec, String> {
    let mut fixed = spec.clone();
    for (constant, value) in fixed.constants.iter_mut().zip(values) {
        if constant.is_symbolic() {
            let value = value.clone();
            constant.value = Some(value.ok_or(format!("no value for {}", constant.name))?);
        }
    }
    Ok(fixed)
}

fn check_assumptions(spec: &Spec) -> Result<(), String> {
    for assumption in &spec.assumptions {
        expect(spec, &assumption.expr, &[], true, "an assumption")?;
    }
    Ok(())
}

/// `steps` (all but the last satisfying `IndInv`) lead by their actions to a state that
/// breaks it, the last step by `action`.
fn check_induction_step(
    spec: &Spec,
    inductive: &[&Expr],
    steps: &[Step],
    action: usize,
) -> Result<(), String> {
    let last = check_path(spec, inductive, steps)?;
    if last.action.as_ref().map(|a| a.action) != Some(action) {
        return Err("the last step is not the obligation's action".into());
    }
    match first_broken(spec, inductive, &last.state)? {
        Some(_) => Ok(()),
        None => Err("the last state satisfies IndInv".into()),
    }
}

/// `steps` (all but the last satisfying `IndInv` and the state constraints) are joined by
/// steps of their actions, within the action constraints. Returns the last.
fn check_path<'s>(spec: &Spec, inductive: &[&Expr], steps: &'s [Step]) -> Result<&'s Step, String> {
    let Some((last, before)) = steps.split_last() else {
        return Err("the counterexample has no state".into());
    };
    for (i, step) in before.iter().enumerate() {
        expect_all(spec, inductive, &step.state).map_err(|e| format!("state {}: {e}", i + 1))?;
        for constraint in &spec.constraints {
            expect(spec, &constraint.expr, &step.state, true, &constraint.name)
                .map_err(|e| format!("state {}: {e}", i + 1))?;
        }
    }
    for (i, pair) in steps.windows(2).enumerate() {
        check_step(spec, &pair[0].state, &pair[1]).map_err(|e| format!("step {}: {e}", i + 1))?;
    }
    Ok(last)
}

/// The step into `next` is an instance of its action and satisfies the action constraints.
fn check_step(spec: &Spec, state: &[Value], next: &Step) -> Result<(), String> {
    let instance = next.action.as_ref().ok_or("the step names no action")?;
    takes(spec, instance.action, &instance.params, state, &next.state).map_err(|e| e.message)??;
    for constraint in &spec.action_constraints {
        let ctx = Ctx::new(spec, state).with_next(&next.state);
        match eval_bool(&constraint.expr, &ctx) {
            Ok(true) => {}
            Ok(false) => return Err(format!("{} does not hold", constraint.name)),
            Err(e) => return Err(e.message),
        }
    }
    Ok(())
}

/// That `expr` evaluates to `value` in `state`.
fn expect(
    spec: &Spec,
    expr: &Expr,
    state: &[Value],
    value: bool,
    what: &str,
) -> Result<(), String> {
    match eval_bool(expr, &Ctx::new(spec, state)) {
        Ok(found) if found == value => Ok(()),
        Ok(found) => Err(format!(
            "{what} is {}",
            if found { "TRUE" } else { "FALSE" }
        )),
        Err(e) => Err(format!("evaluating {what} failed: {}", e.message)),
    }
}

/// That every conjunct of `IndInv` holds in `state`.
fn expect_all(spec: &Spec, inductive: &[&Expr], state: &[Value]) -> Result<(), String> {
    match first_broken(spec, inductive, state)? {
        None => Ok(()),
        Some(index) => Err(format!("conjunct {} of IndInv is FALSE", index + 1)),
    }
}

/// The first conjunct of `IndInv` that is false in `state`.
fn first_broken(
    spec: &Spec,
    inductive: &[&Expr],
    state: &[Value],
) -> Result<Option<usize>, String> {
    for (index, conjunct) in inductive.iter().enumerate() {
        match eval_bool(conjunct, &Ctx::new(spec, state)) {
            Ok(true) => {}
            Ok(false) => return Ok(Some(index)),
            Err(e) => return Err(format!("evaluating a conjunct failed: {}", e.message)),
        }
    }
    Ok(None)
}
