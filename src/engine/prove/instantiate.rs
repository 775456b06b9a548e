//! A counterexample found for other sets than the configured ones, carried over to these.
//!
//! The general question leaves a configured set of model values symbolic, so its
//! counterexample has a set of anonymous elements (`mv1`, `mv2`, ...), not necessarily as many
//! as the config gives (the size is known only by `Cardinality`'s axioms); a small instance
//! (`General::small_instance`) has a few of the configured members. Either way the states
//! mention only those. Where there are no more of them than configured members, each that is
//! no configured member becomes one the counterexample does not name, and every function over
//! the set is completed with the members it leaves out, each with its value in the first
//! initial state: a node the counterexample does not mention is a node that has not moved.
//!
//! That is a guess, and the evaluator decides whether it is a counterexample of the configured
//! constants (`certify`); it is cheap to make and to check where the exact encoding of a
//! thousand members can take minutes to find one.

use super::Counterexample;
use crate::eval::action::first_initial_state;
use crate::ir::{ActionInstance, ConstId, Spec, Step};
use crate::value::Value;
use std::collections::{BTreeMap, BTreeSet};

/// `cex`, a counterexample with other values of the `configured` constants, as one of
/// `exact`, the spec at the configured values; `None` when it does not map onto them.
pub fn instantiate(
    exact: &Spec,
    configured: &[(ConstId, Value)],
    cex: &Counterexample,
) -> Option<Counterexample> {
    let renaming = renaming(configured, cex)?;
    let initial = first_initial_state(exact).ok()??;
    let completed = Completion {
        renaming: &renaming,
        initial: &initial,
        sets: grown_sets(configured, cex, &renaming),
    };
    let constants = exact
        .constants
        .iter()
        .zip(&cex.constants)
        .map(|(constant, value)| match constant.is_symbolic() {
            true => value.as_ref().map(|v| completed.rename(v)),
            false => constant.value.clone(),
        })
        .collect();
    let steps = cex.steps.iter().map(|step| completed.step(step)).collect();
    let instance = Counterexample {
        constants,
        steps,
        failure: cex.failure,
    };
    names_only(&instance, &known_model_values(exact)).then_some(instance)
}

/// For each element of a configured set in `cex` that is no configured member, a configured
/// member `cex` does not name; `None` when there are too few.
fn renaming(
    configured: &[(ConstId, Value)],
    cex: &Counterexample,
) -> Option<BTreeMap<String, String>> {
    let mut renaming: BTreeMap<String, String> = BTreeMap::new();
    let mut named = BTreeSet::new();
    for (_, value) in configured {
        if let Value::Set(members) = value {
            named.extend(model_value_names(members));
        }
    }
    for (id, configured) in configured {
        let (Some(Some(Value::Set(found))), Value::Set(configured)) =
            (cex.constants.get(id.0), configured)
        else {
            continue;
        };
        let free: Vec<String> = model_value_names(configured)
            .filter(|member| !in_set(found, member) && !renaming.values().any(|v| v == member))
            .collect();
        let mut free = free.into_iter();
        for element in model_value_names(found) {
            if named.contains(&element) && in_set(configured, &element) {
                continue;
            }
            match renaming.get(&element) {
                Some(image) if in_set(configured, image) => {}
                Some(_) => return None,
                None => {
                    let image = free.next()?;
                    renaming.insert(element, image);
                }
            }
        }
    }
    Some(renaming)
}

/// Each configured set as `cex` has it (renamed), with its configured value: a function over
/// the first is completed to one over the second.
fn grown_sets(
    configured: &[(ConstId, Value)],
    cex: &Counterexample,
    renaming: &BTreeMap<String, String>,
) -> Vec<(Value, BTreeSet<Value>)> {
    let mut sets = Vec::new();
    for (id, configured) in configured {
        if let (Some(Some(found)), Value::Set(configured)) = (cex.constants.get(id.0), configured) {
            sets.push((rename(found, renaming), configured.clone()));
        }
    }
    sets
}

/// How the values of a counterexample are carried over: model values renamed, functions over
/// a configured set completed from the first initial state.
struct Completion<'a> {
    renaming: &'a BTreeMap<String, String>,
    initial: &'a [Value],
    sets: Vec<(Value, BTreeSet<Value>)>,
}

impl Completion<'_> {
    fn rename(&self, value: &Value) -> Value {
        rename(value, self.renaming)
    }

    fn step(&self, step: &Step) -> Step {
        let state = step.state.iter().zip(self.initial);
        let state = state.map(|(value, start)| self.complete(&self.rename(value), start));
        let action = step.action.as_ref().map(|instance| ActionInstance {
            action: instance.action,
            params: instance.params.iter().map(|p| self.rename(p)).collect(),
        });
        Step {
            action,
            state: state.collect(),
        }
    }

    /// `value` with every function over (a part of) a configured set that `start`, the same
    /// variable's initial value, has over the whole set given the values `start` has at the
    /// members it lacks; through functions with the same domain as in `start` (records).
    fn complete(&self, value: &Value, start: &Value) -> Value {
        let (Value::Fn(map), Value::Fn(initial)) = (value, start) else {
            return value.clone();
        };
        let same_domain = map.keys().eq(initial.keys());
        let grows = self.sets.iter().any(|(found, configured)| {
            matches!(found, Value::Set(found) if map.keys().eq(found.iter()))
                && initial.keys().eq(configured.iter())
        });
        if !same_domain && !grows {
            return value.clone();
        }
        let entries = initial.iter().map(|(key, start)| {
            let entry = match map.get(key) {
                Some(entry) => self.complete(entry, start),
                None => start.clone(),
            };
            (key.clone(), entry)
        });
        Value::Fn(entries.collect())
    }
}

/// `value` with its model values renamed by `renaming` (the others kept).
fn rename(value: &Value, renaming: &BTreeMap<String, String>) -> Value {
    value.with_model_values_renamed(&|name| renaming.get(name).map(String::as_str))
}

fn in_set(set: &BTreeSet<Value>, name: &str) -> bool {
    set.contains(&Value::ModelValue(name.to_string()))
}

fn model_value_names(values: &BTreeSet<Value>) -> impl Iterator<Item = String> + '_ {
    values.iter().filter_map(|value| match value {
        Value::ModelValue(name) => Some(name.clone()),
        _ => None,
    })
}

/// The model values the config names, in the values it gives the constants.
pub(super) fn known_model_values(exact: &Spec) -> BTreeSet<String> {
    let mut known = BTreeSet::new();
    for value in exact.constants.iter().filter_map(|c| c.value.as_ref()) {
        collect_model_values(value, &mut known);
    }
    known
}

/// Whether every model value of `cex` is among `known`: an anonymous element left over is no
/// value of the configured model.
fn names_only(cex: &Counterexample, known: &BTreeSet<String>) -> bool {
    let mut found = BTreeSet::new();
    let values = cex.constants.iter().flatten();
    let states = cex.steps.iter().flat_map(|step| {
        let params = step.action.iter().flat_map(|a| a.params.iter());
        step.state.iter().chain(params)
    });
    for value in values.chain(states) {
        collect_model_values(value, &mut found);
    }
    found.is_subset(known)
}

fn collect_model_values(value: &Value, into: &mut BTreeSet<String>) {
    match value {
        Value::ModelValue(name) => {
            into.insert(name.clone());
        }
        Value::Set(items) => items.iter().for_each(|v| collect_model_values(v, into)),
        Value::Fn(map) => map.iter().for_each(|(k, v)| {
            collect_model_values(k, into);
            collect_model_values(v, into);
        }),
        Value::Bool(_) | Value::Int(_) | Value::Str(_) => {}
    }
}
