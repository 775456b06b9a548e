//! Reading a behaviour out of a Z3 model: the states of steps `0..=last`, and the action (with
//! its parameter values) the model selects for each step.

use crate::diag::{Diagnostic, Kind};
use crate::ir::{ActionInstance, Behaviour, Spec, Step};
use crate::smt::{Encoder, Transition};
use crate::types::{Type, Types};
use z3::Model;

/// The behaviour of states `0..=last` in `model`, where `transitions[i]` is the step from `i`.
pub fn behaviour(
    encoder: &mut Encoder,
    spec: &Spec,
    types: &Types,
    transitions: &[Transition],
    model: &Model,
    last: usize,
) -> Result<Behaviour, Diagnostic> {
    let mut steps = Vec::new();
    for step in 0..=last {
        let state = encoder.decode_state(model, step).map_err(decode_error)?;
        let action = match step.checked_sub(1) {
            None => None,
            Some(from) => Some(taken_action(
                encoder,
                spec,
                types,
                transitions,
                model,
                from,
            )?),
        };
        steps.push(Step { action, state });
    }
    Ok(Behaviour {
        steps,
        loop_start: None,
    })
}

/// The action the model selects for the step from `step`, with its parameter values.
fn taken_action(
    encoder: &mut Encoder,
    spec: &Spec,
    types: &Types,
    transitions: &[Transition],
    model: &Model,
    step: usize,
) -> Result<ActionInstance, Diagnostic> {
    let Some(transition) = transitions.get(step) else {
        return Err(internal(format!("no transition for step {step}")));
    };
    let selected = transition
        .selectors
        .iter()
        .position(|selector| model.eval(selector, true).and_then(|b| b.as_bool()) == Some(true));
    let index =
        selected.ok_or_else(|| internal(format!("the model selects no action at step {step}")))?;
    let action = &spec.actions[index];
    let mut params = Vec::new();
    for (param, constant) in action.params.iter().zip(&transition.params[index]) {
        let Some(Type::Set(elem)) = types.exprs.get(param.binder.set.id.0) else {
            return Err(internal(format!(
                "parameter `{}` has no element type",
                param.name
            )));
        };
        let value = encoder
            .decode(model, constant, elem)
            .map_err(decode_error)?;
        params.push(value);
    }
    Ok(ActionInstance {
        action: index,
        params,
    })
}

fn decode_error(message: String) -> Diagnostic {
    internal(format!(
        "reading the counterexample from the model: {message}"
    ))
}

fn internal(message: String) -> Diagnostic {
    Diagnostic::new(
        Kind::Other,
        "E0901",
        format!("internal error in bounded model checking: {message}"),
    )
}
