//! Reading a behaviour out of a Z3 model: the states of steps `0..=last`, and the action (with
//! its parameter values) the model selects for each step.

use crate::diag::{Diagnostic, Kind};
use crate::ir::{ActionInstance, Behaviour, Spec, Step};
use crate::smt::{Encoder, Transition};
use crate::types::{Type, Types};
use crate::value::Value;
use z3::ast::Dynamic;
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
    let index = selected_action(model, transition)
        .ok_or_else(|| internal(format!("the model selects no action at step {step}")))?;
    let params = parameter_values(
        encoder,
        spec,
        types,
        model,
        index,
        &transition.params[index],
    )
    .map_err(decode_error)?;
    Ok(ActionInstance {
        action: index,
        params,
    })
}

/// The index of the action whose selector literal the model makes true.
pub fn selected_action(model: &Model, transition: &Transition) -> Option<usize> {
    transition
        .selectors
        .iter()
        .position(|selector| model.eval(selector, true).and_then(|b| b.as_bool()) == Some(true))
}

/// The values the model gives the parameters of action `action`, whose Skolem constants are
/// `constants`.
pub fn parameter_values(
    encoder: &mut Encoder,
    spec: &Spec,
    types: &Types,
    model: &Model,
    action: usize,
    constants: &[Dynamic],
) -> Result<Vec<Value>, String> {
    let mut values = Vec::new();
    for (param, constant) in spec.actions[action].params.iter().zip(constants) {
        let Some(Type::Set(elem)) = types.exprs.get(param.binder.set.id.0) else {
            return Err(format!("parameter `{}` has no element type", param.name));
        };
        values.push(encoder.decode(model, constant, elem)?);
    }
    Ok(values)
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
