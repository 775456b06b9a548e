//! The one-point rule: which quantifiers it applies to, and that where it applies the
//! encoding means what the quantifier means.

use super::{pinned_value, Pinned};
use crate::ir::{BoundId, Expr, ExprKind, Pattern};
use crate::smt::tests::unsatisfiable;
use crate::smt::{Encoder, Polarity};
use crate::testing::compile_text;

/// A module whose invariant `Claim` is the quantifier under test: `votes` is a set of
/// records `[from, to, term]`, `elected` a set of pairs, `a` and `b` integers.
fn module(claim: &str) -> String {
    format!(
        r#"---- MODULE Pins ----
EXTENDS Naturals, FiniteSets
VARIABLES votes, elected, a, b
Init ==
    /\ votes \in SUBSET [from : 1..2, to : 1..2, term : 0..2]
    /\ elected \in SUBSET ((1..2) \X (0..2))
    /\ a \in 1..2
    /\ b \in 1..2
Next == UNCHANGED <<votes, elected, a, b>>
Claim == {claim}
===="#
    )
}

const CFG: &str = "INIT Init\nNEXT Next\nINVARIANT Claim\n";

/// The quantifier `Claim` is, the variable its first binder binds, and what the rule pins
/// that variable to, as text: `m.f = e_f` pins as the names of the `e_f`s (`Bound` or `Var`).
fn pins(claim: &str) -> Option<Vec<String>> {
    let front = compile_text("Pins", &module(claim), CFG, &[]);
    let (spec, types) = (&front.spec, &front.types);
    let expr = &spec.invariants[0].expr;
    let ExprKind::Quant(q, binders, body) = &*expr.kind else {
        panic!("Claim is not a quantifier: {expr:?}");
    };
    let Pattern::Var(var) = binders[0].pattern else {
        panic!("a tuple pattern");
    };
    let bound: Vec<BoundId> = binders
        .iter()
        .flat_map(|b| super::bound_ids(&b.pattern))
        .collect();
    let ty = types.bounds[var.0].clone();
    let name = |e: &Expr| match &*e.kind {
        ExprKind::Var(v) => spec.vars[v.0].name.clone(),
        ExprKind::Bound(id) => spec.bound_names[id.0].clone(),
        ExprKind::Lit(value) => value.to_string(),
        other => format!("{other:?}"),
    };
    pinned_value(*q, var, &ty, body, &bound).map(|pinned| match pinned {
        Pinned::Whole(value) => vec![name(value)],
        Pinned::Fields(fields) => fields.into_iter().map(name).collect(),
    })
}

/// Whether the one-point encoding of `Claim` (what `formula` gives) is equivalent to the
/// quantifier encoded without the rule, in every state: checked at mixed polarity, where
/// nothing is Skolemized and the quantifier over records is a Z3 quantifier.
fn equivalent_to_the_quantifier(claim: &str) -> bool {
    let front = compile_text("Pins", &module(claim), CFG, &[]);
    let (spec, types) = (&front.spec, &front.types);
    let expr = &spec.invariants[0].expr;
    let ExprKind::Quant(q, binders, body) = &*expr.kind else {
        panic!("Claim is not a quantifier");
    };
    z3::with_z3_config(&z3::Config::new(), || {
        let mut encoder = Encoder::new(spec, types);
        let rule = encoder
            .at_top_level(0, |me| me.formula(expr, Polarity::Mixed))
            .expect("encodes");
        let quantifier = encoder
            .at_top_level(0, |me| {
                me.quantify(*q, binders, Polarity::Mixed, &mut |me, pol| {
                    me.formula(body, pol)
                })
            })
            .expect("encodes");
        let solver = z3::Solver::new();
        solver.assert(rule.iff(&quantifier).not());
        unsatisfiable(&solver, &mut encoder)
    })
}

#[test]
fn every_field_pinned_pins_the_record() {
    // Fields in the order of the record type: from, term, to.
    let claim = r"\E m \in votes : m.from = a /\ m.to = b /\ m.term = 1";
    assert_eq!(pins(claim), Some(vec!["a".into(), "1".into(), "b".into()]));
    assert!(equivalent_to_the_quantifier(claim));
}

#[test]
fn pins_are_found_in_nested_conjunctions_either_way_round_and_behind_false_disjuncts() {
    // `FALSE \/ m.term = 1` is what `CountStaleVotes \/ m.term = t` folds to.
    let claim = r"\E m \in votes : (b = m.to /\ (m.from = a /\ a > 0)) /\ (FALSE \/ m.term = 1)";
    assert_eq!(pins(claim), Some(vec!["a".into(), "1".into(), "b".into()]));
    assert!(equivalent_to_the_quantifier(claim));
}

#[test]
fn some_fields_pinned_do_not_pin_the_record() {
    assert_eq!(pins(r"\E m \in votes : m.from = a /\ m.to = b"), None);
    // A pin inside a real disjunction holds only in one branch.
    let claim = r"\E m \in votes : m.from = a /\ m.to = b /\ (a = 1 \/ m.term = 1)";
    assert_eq!(pins(claim), None);
}

#[test]
fn a_value_that_mentions_the_variable_does_not_pin_it() {
    assert_eq!(
        pins(r"\E m \in votes : m.from = m.to /\ m.to = b /\ m.term = 1"),
        None
    );
    // `k` is bound by the same quantifier, after `m`: `m` cannot be replaced before `k` is.
    let claim = r"\E m \in votes, k \in 1..2 : m.from = k /\ m.to = b /\ m.term = 1";
    assert_eq!(pins(claim), None);
    assert!(equivalent_to_the_quantifier(claim));
}

#[test]
fn a_variable_bound_before_may_be_a_pin() {
    // `k` is bound outside `m`'s binder, so `m` is pinned once `k` is chosen.
    let claim = r"\E k \in 1..2, m \in votes : m.from = k /\ m.to = b /\ m.term = 1 /\ k /= a";
    assert!(equivalent_to_the_quantifier(claim));
}

#[test]
fn forall_pins_through_the_antecedent_of_an_implication() {
    let claim = r"\A m \in votes : m.from = a /\ m.to = b /\ m.term = 2 => a /= b";
    assert_eq!(pins(claim), Some(vec!["a".into(), "2".into(), "b".into()]));
    assert!(equivalent_to_the_quantifier(claim));
    // Without an implication the equations are what is claimed, not a premise.
    assert_eq!(
        pins(r"\A m \in votes : m.from = a /\ m.to = b /\ m.term = 2"),
        None
    );
}

#[test]
fn tuples_are_pinned_by_their_items_and_any_value_by_itself() {
    let claim = r"\E e \in elected : e[2] = 0 /\ e[1] = a";
    assert_eq!(pins(claim), Some(vec!["a".into(), "0".into()]));
    assert!(equivalent_to_the_quantifier(claim));
    let claim = r"\E x \in 1..2 : a = x /\ x /= b";
    assert_eq!(pins(claim), Some(vec!["a".into()]));
    assert!(equivalent_to_the_quantifier(claim));
    assert_eq!(pins(r"\E e \in elected : e[1] = a /\ e[2] > 0"), None);
}

#[test]
fn the_rule_holds_under_negation_and_inside_set_filters() {
    // The quantifier in a position where it may not be Skolemized, as `Supporters(c)` has it.
    let claim = r"\A c \in 1..2 : ~(\E m \in votes : m.from = a /\ m.to = c /\ m.term = 0)
        \/ Cardinality({v \in 1..2 : \E m \in votes : m.from = v /\ m.to = c /\ m.term = 0}) > 0";
    assert!(equivalent_to_the_quantifier(claim));
    let front = compile_text("Pins", &module(claim), CFG, &[]);
    let outcome = crate::engine::bmc::check(
        &front.spec,
        &front.types,
        &crate::engine::bmc::Options {
            depth: 1,
            timeout: None,
        },
        &mut |_, _| {},
    )
    .expect("checks");
    assert!(
        matches!(
            outcome,
            crate::engine::bmc::Outcome::NoViolation { depth: 1 }
        ),
        "{outcome:?}"
    );
}
