//! The general question, asked before the configured one.
//!
//! A config that gives a set of model values (`Node = {n1, ..., n10}`) makes the model values
//! an enumeration, and the encoding then grows with the set: a quantifier over it is a
//! disjunction of its members or one instance per member, a function over it is normalised
//! member by member, and `Cardinality` of a subset is a sum with a term per member. At ten
//! nodes an obligation of the leader election took minutes. With the set left symbolic it is
//! an array over an open sort, quantifiers over it stay quantifiers that Z3 instantiates on
//! the terms a proof needs, and the obligation costs what the proof for every set costs.
//!
//! So each obligation is first asked of a spec compiled with those constants left symbolic
//! (`generalizable` names them), constrained by what the config says of them that needs no
//! member listed (`Encoder::configured`: which of the spec's model values they hold, and
//! their size). Large integer constants are left symbolic too, equal to their values, so that
//! a range `0..N-1` stays a range instead of a literal set of `N` elements; small ones keep
//! their values (see `LARGEST_FIXED_INTEGER`). The configured model is a model of that
//! question, so a proof of it proves the obligation. Its counterexamples prove nothing (a set
//! other than the configured one, or sizes that `Cardinality`'s axioms allow but no set has),
//! so anything but a proof sends the obligation to the exact encoding, which finds the
//! counterexample shown.
//!
//! `check` asks the same question: BMC's induction pre-check (`engine::bmc::induction`) tries
//! to prove the invariants inductive for every value of these constants before it unrolls.

use crate::ir::{ConstId, Named, Spec};
use crate::types::{Type, Types};
use crate::value::Value;

/// A spec with some configured constants left symbolic, and their configured values.
pub struct General<'a> {
    pub spec: &'a Spec,
    pub types: &'a Types,
    /// Each constant the config fixes and `spec` leaves symbolic, with the config's value.
    pub configured: Vec<(ConstId, Value)>,
}

impl General<'_> {
    /// Whether the configured constants are small: every set of at most `size` members, every
    /// integer at most `size` (it may bound a range the exact encoding lists).
    pub fn is_within(&self, size: usize) -> bool {
        self.configured.iter().all(|(_, value)| match value {
            Value::Set(members) => members.len() <= size,
            Value::Int(n) => i64::try_from(size).is_ok_and(|size| *n <= size),
            _ => true,
        })
    }

    /// The spec at smaller configured sets, a *small instance*: each set of model values cut
    /// to (at most) its first `size` members, each integer at its configured value, and
    /// folded as the front end folds a config's values. `None` when no set has more than
    /// `size` members.
    pub fn small_instance(&self, size: usize) -> Option<(Spec, Types)> {
        let (mut spec, mut types) = (self.spec.clone(), self.types.clone());
        let mut cut = false;
        for (id, value) in &self.configured {
            let value = match value {
                Value::Set(members) => {
                    cut |= members.len() > size;
                    Value::Set(members.iter().take(size).cloned().collect())
                }
                other => other.clone(),
            };
            spec.constants.get_mut(id.0)?.value = Some(value);
        }
        if !cut {
            return None;
        }
        crate::eval::fold_and_unroll(&mut spec, &mut types);
        Some((spec, types))
    }
}

/// The largest integer constant the general question keeps at its configured value. Fixed,
/// a small integer folds a range into a few elements, and functions over it are held
/// pointwise; left symbolic, the range is a quantifier, which under a quantifier over a
/// symbolic set Z3 may not decide: with the hundred sagas' `Saga` symbolic and `NumSteps = 3`
/// too, every consecution of the saga ran out of the general question's 5 s, where with
/// `NumSteps` fixed each is proved in 0.3 s, as for ten sagas or a thousand.
const LARGEST_FIXED_INTEGER: i64 = 8;

/// The constants of `spec` worth leaving symbolic: each one the config gives a non-empty set
/// of model values, or an integer larger than `LARGEST_FIXED_INTEGER` (`N = 1000` folds
/// `0..N-1` into a literal set of a thousand elements; left symbolic and equal to 1000, it
/// stays a range).
pub fn generalizable(spec: &Spec) -> Vec<String> {
    let constants = spec.constants.iter();
    let worth = |value: &Value| match value {
        Value::Int(n) => *n > LARGEST_FIXED_INTEGER,
        set => general_type(set).is_some(),
    };
    let open = constants.filter(|c| c.value.as_ref().is_some_and(worth));
    open.map(|c| c.name.clone()).collect()
}

/// The general question for `exact`, given `spec`, the same module and config compiled with
/// some of the `generalizable` constants left symbolic. `None` when the two differ in
/// anything else that matters: the obligations (actions and invariants, in order), the
/// constants, or the type of a constant left symbolic.
pub fn general<'a>(exact: &Spec, spec: &'a Spec, types: &'a Types) -> Option<General<'a>> {
    let same_names = |a: &[Named], b: &[Named]| {
        a.len() == b.len() && a.iter().zip(b).all(|(a, b)| a.name == b.name)
    };
    let same_actions = exact.actions.len() == spec.actions.len()
        && exact
            .actions
            .iter()
            .zip(&spec.actions)
            .all(|(a, b)| a.name == b.name);
    if !same_actions
        || !same_names(&exact.invariants, &spec.invariants)
        || exact.constants.len() != spec.constants.len()
    {
        return None;
    }
    let mut configured = Vec::new();
    for (index, (fixed, open)) in exact.constants.iter().zip(&spec.constants).enumerate() {
        if fixed.name != open.name {
            return None;
        }
        if fixed.value == open.value {
            continue;
        }
        let value = fixed.value.clone()?;
        if !open.is_symbolic() || types.consts.get(index) != Some(&general_type(&value)?) {
            return None;
        }
        configured.push((ConstId(index), value));
    }
    (!configured.is_empty()).then_some(General {
        spec,
        types,
        configured,
    })
}

/// The type of a configured value the general question leaves symbolic: an integer, or a
/// non-empty set of model values.
fn general_type(value: &Value) -> Option<Type> {
    match value {
        Value::Int(_) => Some(Type::Int),
        Value::Set(items)
            if !items.is_empty() && items.iter().all(|v| matches!(v, Value::ModelValue(_))) =>
        {
            Some(Type::Set(Box::new(Type::ModelValue)))
        }
        _ => None,
    }
}
