//! Unrolling against the evaluator's own recursion: in every reachable state of the recursion
//! fixtures, each invariant has the same value with its calls as unrolled.

use super::e2e::lower_file;
use crate::eval::action::{initial_states, successors};
use crate::eval::fold::fold_constants;
use crate::eval::unroll::{has_call, unroll_recursion};
use crate::eval::{eval, Ctx};
use crate::ir::Spec;
use crate::value::Value;
use std::collections::{BTreeSet, VecDeque};
use std::path::Path;

fn fixture(name: &str) -> Spec {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/recursion");
    let (tla, cfg) = (
        dir.join(format!("{name}.tla")),
        dir.join(format!("{name}.cfg")),
    );
    lower_file(&tla, Some(&cfg)).unwrap_or_else(|error| panic!("{error}"))
}

/// Every state reachable in `spec`, by the evaluator.
fn reachable(spec: &Spec) -> BTreeSet<Vec<Value>> {
    let initial = initial_states(spec).unwrap_or_else(|e| panic!("{}", e.message));
    let mut seen: BTreeSet<Vec<Value>> = initial.iter().cloned().collect();
    let mut queue: VecDeque<Vec<Value>> = initial.into();
    while let Some(state) = queue.pop_front() {
        let mut next = Vec::new();
        successors(spec, &state, &mut |successor| {
            next.push(successor.state);
            Ok(true)
        })
        .unwrap_or_else(|e| panic!("{}", e.message));
        for state in next {
            if seen.insert(state.clone()) {
                queue.push_back(state);
            }
        }
    }
    seen
}

/// Unrolls a copy of the fixture's spec and compares every invariant, state by state.
fn agrees_in_every_reachable_state(name: &str) {
    let original = fixture(name);
    let mut types = crate::types::infer(&original).unwrap_or_else(|d| panic!("{}", d.message));
    let mut unrolled = original.clone();
    fold_constants(&mut unrolled);
    unroll_recursion(&mut unrolled, &mut types);
    assert_eq!(
        types.exprs.len(),
        unrolled.expr_count,
        "every new node is typed"
    );
    let states = reachable(&original);
    assert!(states.len() > 10, "{name}: {} states", states.len());
    for (before, after) in original.invariants.iter().zip(&unrolled.invariants) {
        assert!(
            has_call(&before.expr),
            "{} calls a recursive definition",
            before.name
        );
        assert!(!has_call(&after.expr), "{} is unrolled", after.name);
        for state in &states {
            let expected = eval(&before.expr, &Ctx::new(&original, state));
            let got = eval(&after.expr, &Ctx::new(&unrolled, state));
            assert_eq!(got, expected, "{} in {state:?}", before.name);
        }
    }
}

#[test]
fn sums_over_a_constant_set_and_its_filtered_subsets_agree() {
    agrees_in_every_reachable_state("SumState");
}

#[test]
fn case_splits_over_a_constant_domain_agree() {
    agrees_in_every_reachable_state("Reach");
}
