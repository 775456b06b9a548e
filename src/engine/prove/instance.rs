//! A small instance of the sets of model values the config leaves symbolic.
//!
//! With `Node` symbolic, an obligation claims something for every set of nodes, and the
//! exact encoding may search long for a counterexample to induction among sets of unknown
//! size (the leader election's double vote: no answer in 10 s). A few named nodes decide it
//! in a fraction of a second. Any instance the module's `ASSUME`s allow is one of the values
//! the claim is for, so a counterexample there, certified by the evaluator at those values
//! (assumptions included), refutes the claim: it is shown as a counterexample at that
//! instance, not carried anywhere else.

use super::instantiate::known_model_values;
use crate::ir::Spec;
use crate::types::{Type, Types};
use crate::value::Value;
use std::collections::BTreeSet;

/// Whether `spec` leaves a set of model values symbolic, which `instance` can fill in.
pub fn has_symbolic_sets(spec: &Spec, types: &Types) -> bool {
    !symbolic_sets(spec, types).is_empty()
}

/// `spec` with each symbolic set of model values given `size` fresh members, named after the
/// constant (`Node = {n1, n2}`), and folded as the front end folds a config's values; the
/// other symbolic constants stay symbolic. `None` when there is no such set or no fresh names.
pub fn instance(spec: &Spec, types: &Types, size: usize) -> Option<(Spec, Types)> {
    let sets = symbolic_sets(spec, types);
    if sets.is_empty() {
        return None;
    }
    let (mut spec, mut types) = (spec.clone(), types.clone());
    let mut taken = known_model_values(&spec);
    for index in sets {
        let constant = spec.constants.get_mut(index)?;
        let members = fresh_members(&constant.name, size, &mut taken)?;
        constant.value = Some(Value::Set(members));
    }
    crate::eval::fold_and_unroll(&mut spec, &mut types);
    Some((spec, types))
}

/// The indices of the symbolic constants that are sets of model values.
fn symbolic_sets(spec: &Spec, types: &Types) -> Vec<usize> {
    let set_of_model_values = Type::Set(Box::new(Type::ModelValue));
    let constants = spec.constants.iter().enumerate();
    let symbolic = constants.filter(|(index, constant)| {
        constant.is_symbolic() && types.consts.get(*index) == Some(&set_of_model_values)
    });
    symbolic.map(|(index, _)| index).collect()
}

/// `size` model values named after `constant` that are not `taken` (which they join): its
/// initial in lower case and a number (`n1`, `n2`), or its whole name (`node1`) when those
/// are taken, as another set named with the same initial may have them.
fn fresh_members(
    constant: &str,
    size: usize,
    taken: &mut BTreeSet<String>,
) -> Option<BTreeSet<Value>> {
    let initial: String = constant.chars().take(1).collect::<String>().to_lowercase();
    let prefixes = [initial, constant.to_lowercase()];
    let names = prefixes.iter().find_map(|prefix| {
        let names: Vec<String> = (1..=size).map(|i| format!("{prefix}{i}")).collect();
        names
            .iter()
            .all(|name| !taken.contains(name))
            .then_some(names)
    })?;
    taken.extend(names.iter().cloned());
    Some(names.into_iter().map(Value::ModelValue).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(members: &BTreeSet<Value>) -> Vec<String> {
        members.iter().map(Value::to_string).collect()
    }

    #[test]
    fn members_are_named_after_the_set_and_never_after_a_taken_name() {
        let mut taken = BTreeSet::from(["Nil".to_string()]);
        let nodes = fresh_members("Node", 2, &mut taken).expect("fresh names");
        assert_eq!(names(&nodes), ["n1", "n2"]);
        // A second set with the same initial gets its whole name.
        let names_set = fresh_members("Name", 2, &mut taken).expect("fresh names");
        assert_eq!(names(&names_set), ["name1", "name2"]);
        // With both taken there is no fresh name.
        let mut taken = BTreeSet::from(["n1".to_string(), "node2".to_string()]);
        assert_eq!(fresh_members("Node", 2, &mut taken), None);
    }
}
