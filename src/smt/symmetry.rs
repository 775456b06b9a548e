//! Symmetry breaking for bounded model checking over interchangeable model values.
//!
//! A set `M` of model values (`Node = {n1, n2, n3}`) is *interchangeable* when renaming its
//! members maps behaviours to behaviours: for every permutation `p` of `M`, a behaviour `b`
//! of the spec, renamed by `p`, is a behaviour of the spec of the same length, taking the same
//! actions, and breaking the same invariants (or deadlocking, or stopping with an evaluation
//! error) in the same state. Then a search need only look at one renaming of each behaviour.
//!
//! **When.** Only what the spec says distinguishes model values: a literal value that mentions
//! some but not all of `M`'s members (`Leader = n1` in the config, `{n1, n2}`), a `CHOOSE`
//! (TLC picks a particular member), a constant left symbolic (it might equal a member), or a
//! recursive definition (it may hide a `CHOOSE`). So `M` is interchangeable when some action
//! parameter ranges over the literal `M` and the spec has none of these: every literal it holds
//! is unchanged by the swap of `M`'s first two members and by its rotation, which together
//! generate every permutation; none of the other expressions refers to a particular value.
//!
//! **How.** *Value precedence* on the actions' parameters: with `M`'s members in a fixed order
//! `m1, m2, ...`, the parameter of the action taken at a step may be `m(j+1)` only if `mj` was
//! a parameter of an action taken at an earlier step (or earlier in this step's parameters).
//! Whatever behaviour reaches a violation, renaming its members in the order their parameters
//! first appear (`p(first) = m1`, `p(second) = m2`, ...) gives one that obeys precedence and
//! reaches the same violation at the same depth, so no shortest counterexample is lost, nor
//! any "no violation" made unsound; a counterexample found names other members than it would
//! have. The constraint is asserted beside the steps, conditioned on each action's selector,
//! so the junk parameters of actions not taken stay free.
//!
//! Measured on `examples/leader_election` (N = 3, whole `check --depth 20`): the double-vote
//! bug 1.00 -> 0.64 s (hyperfine, 5 runs); the stale-votes bug's depth-6 query, which finds no
//! violation, 4.8 -> 2.0 s, but its depth-7 query, which finds the counterexample, 3.4 -> 8.5 s
//! (a model is rarer), 9.6 -> 11.3 s in all (two runs each). Queries without a violation, the
//! bulk of a search, are about 2.5 times faster.

use super::encode::{all, equal, Encoder, Result};
use super::Transition;
use crate::ir::{Expr, ExprKind, Spec};
use crate::value::Value;
use std::collections::HashMap;
use z3::ast::Bool;

/// The value-precedence constraints of the steps of one search, one chain per set of
/// interchangeable model values.
pub struct SymmetryBreaking {
    chains: Vec<Chain>,
}

/// The precedence chain of one interchangeable set.
struct Chain {
    /// The set, as the actions' parameters range over it.
    set: Value,
    /// Its members, in the order precedence follows.
    members: Vec<Value>,
    /// `seen[j]`: member `j` was the parameter of an action taken so far.
    seen: Vec<Bool>,
}

impl SymmetryBreaking {
    /// The interchangeable sets of `spec`'s actions' parameters; `None` if there are none.
    pub fn of(spec: &Spec) -> Option<SymmetryBreaking> {
        let mut literals = Vec::new();
        let mut distinguishes = !spec.recursive.is_empty();
        for expr in expressions(spec) {
            visit(expr, &mut literals, &mut distinguishes);
        }
        if distinguishes {
            return None;
        }
        let mut chains: Vec<Chain> = Vec::new();
        for param in spec.actions.iter().flat_map(|action| &action.params) {
            let Some(set) = ranged_set(&param.binder.set) else {
                continue;
            };
            let members = model_values(set);
            let interchangeable = members.len() >= 2
                && literals
                    .iter()
                    .all(|literal| unchanged_by_generators(literal, &members));
            if interchangeable && !chains.iter().any(|chain| chain.set == *set) {
                chains.push(Chain::new(set.clone(), members));
            }
        }
        (!chains.is_empty()).then_some(SymmetryBreaking { chains })
    }

    /// The precedence constraint of `transition`, the step after those passed before.
    pub fn step(&mut self, encoder: &mut Encoder, transition: &Transition) -> Result<Bool> {
        let spec = encoder.spec;
        let mut constraints = Vec::new();
        for chain in &mut self.chains {
            for (index, action) in spec.actions.iter().enumerate() {
                let (Some(taken), Some(constants)) = (
                    transition.selectors.get(index),
                    transition.params.get(index),
                ) else {
                    continue;
                };
                for (param, constant) in action.params.iter().zip(constants) {
                    if ranged_set(&param.binder.set) != Some(&chain.set) {
                        continue;
                    }
                    let ty = encoder.elem_type(&param.binder.set)?;
                    let mut is_member = Vec::new();
                    for member in &chain.members {
                        let term = encoder.value_term(member, &ty, param.binder.set.loc)?;
                        is_member.push(taken & equal(constant, &term, param.binder.set.loc)?);
                    }
                    constraints.extend(chain.precede(&is_member));
                }
            }
        }
        Ok(all(&constraints))
    }
}

impl Chain {
    fn new(set: Value, members: Vec<Value>) -> Chain {
        let seen = vec![Bool::from_bool(false); members.len()];
        Chain { set, members, seen }
    }

    /// The constraints that a parameter, `is_member[j]` when it is taken and is member `j`,
    /// is a member only after the one before it was seen; then records what it saw.
    fn precede(&mut self, is_member: &[Bool]) -> Vec<Bool> {
        let constraints = is_member
            .iter()
            .skip(1)
            .zip(&self.seen)
            .map(|(is, seen_before)| is.implies(seen_before))
            .collect();
        for (seen, is) in self.seen.iter_mut().zip(is_member) {
            *seen = &*seen | is;
        }
        constraints
    }
}

/// Every expression of the behaviour and its claims.
fn expressions(spec: &Spec) -> impl Iterator<Item = &Expr> {
    let actions = spec.actions.iter().flat_map(|action| {
        let sets = action.params.iter().map(|param| &param.binder.set);
        sets.chain(std::iter::once(&action.body))
    });
    let fairness = spec.fairness.iter().flat_map(|condition| {
        let sets = condition.binders.iter().map(|binder| &binder.set);
        sets.chain([&condition.vars, &condition.action])
    });
    let named = spec.named().map(|named| &named.expr);
    std::iter::once(&spec.init)
        .chain(actions)
        .chain(fairness)
        .chain(named)
}

/// Collects `expr`'s literals, and notes whether it has a construct that may tell model values
/// apart other than by its literals.
fn visit<'e>(expr: &'e Expr, literals: &mut Vec<&'e Value>, distinguishes: &mut bool) {
    match &*expr.kind {
        ExprKind::Lit(value) => literals.push(value),
        ExprKind::Choose(..) | ExprKind::Const(_) | ExprKind::RecCall(..) => *distinguishes = true,
        _ => {}
    }
    for child in expr.kind.children() {
        visit(child, literals, distinguishes);
    }
}

/// The literal set of model values a parameter ranges over, if it is one.
fn ranged_set(set: &Expr) -> Option<&Value> {
    match &*set.kind {
        ExprKind::Lit(value @ Value::Set(members))
            if members.iter().all(|m| matches!(m, Value::ModelValue(_))) =>
        {
            Some(value)
        }
        _ => None,
    }
}

fn model_values(set: &Value) -> Vec<Value> {
    match set {
        Value::Set(members) => members.iter().cloned().collect(),
        _ => Vec::new(),
    }
}

/// Whether `value` is unchanged by the swap of `members`' first two and by their rotation,
/// and so by every permutation of them.
fn unchanged_by_generators(value: &Value, members: &[Value]) -> bool {
    let names: Vec<&str> = members
        .iter()
        .filter_map(|member| match member {
            Value::ModelValue(name) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    // Each renaming looks up every model value of `value`: by name, not by a scan of the
    // members, which made a literal of a thousand nodes cost a million comparisons.
    let position: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let swap = |name: &str| match position.get(name) {
        Some(0) => names.get(1).copied(),
        Some(1) => names.first().copied(),
        _ => None,
    };
    let rotate = |name: &str| {
        let at = position.get(name)?;
        names.get((at + 1) % names.len()).copied()
    };
    value.with_model_values_renamed(&swap) == *value
        && value.with_model_values_renamed(&rotate) == *value
}

#[cfg(test)]
mod tests {
    use super::SymmetryBreaking;
    use crate::testing::compile_text;

    /// Nodes that take a lock in two steps; `Favourite` (a constant of the model) may name one.
    const LOCK: &str = r#"
---- MODULE SymmetricLock ----
CONSTANTS Node, Favourite
VARIABLES holder, pc

Init == holder = {} /\ pc = [n \in Node |-> "idle"]
Check(n) == pc[n] = "idle" /\ holder = {} /\ pc' = [pc EXCEPT ![n] = "checked"] /\ UNCHANGED holder
Take(n) == pc[n] = "checked" /\ holder' = holder \cup {n} /\ pc' = [pc EXCEPT ![n] = "in"]
Next == \E n \in Node : Check(n) \/ Take(n)

Mutex == \A a, b \in holder : a = b
FavouriteFirst == \A n \in holder : n = Favourite
AnyFirst == \A n \in holder : n = CHOOSE m \in Node : TRUE
====
"#;

    fn symmetry(favourite: &str, invariant: &str) -> Option<SymmetryBreaking> {
        let cfg = format!(
            "CONSTANTS\n  Node = {{n1, n2, n3}}\n  Favourite = {favourite}\n\
             INIT Init\nNEXT Next\nINVARIANT {invariant}\n"
        );
        SymmetryBreaking::of(&compile_text("SymmetricLock", LOCK, &cfg, &[]).spec)
    }

    #[test]
    fn nodes_the_spec_names_only_as_a_set_are_interchangeable() {
        let symmetry = symmetry("n1", "Mutex").expect("Node is interchangeable");
        assert_eq!(symmetry.chains.len(), 1);
        assert_eq!(symmetry.chains[0].members.len(), 3);
    }

    #[test]
    fn a_node_the_spec_names_is_not_interchangeable_with_the_others() {
        assert!(symmetry("n1", "FavouriteFirst").is_none());
    }

    #[test]
    fn a_model_value_outside_the_set_leaves_it_interchangeable() {
        assert!(symmetry("nobody", "FavouriteFirst").is_some());
    }

    #[test]
    fn choose_tells_nodes_apart() {
        assert!(symmetry("n1", "AnyFirst").is_none());
    }
}
