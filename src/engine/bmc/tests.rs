//! Bounded model checking on hand-built specs.

use super::{check, check_with, Options, Outcome};
use crate::cli::{compile, Frontend};
use crate::engine::prove::general::{general, generalizable};
use crate::ir::{Behaviour, Op, Spec, Step};
use crate::smt::tests::{action, named, Ir};
use crate::testing::write_spec;
use crate::types::{Type, Types};
use crate::value::Value;
use std::time::Duration;

/// `x = 0`, `Inc: x' = x + 1`, invariant `x < limit`; with `CONSTRAINT x < c` for
/// `Some(c)`, and `ASSUME FALSE` if `contradiction`.
fn counter_with(limit: i64, constraint: Option<i64>, contradiction: bool) -> (Spec, Types) {
    let mut ir = Ir::new();
    let (x, zero) = (ir.var(0, Type::Int), ir.int(0));
    let init = ir.eq(x, zero);
    let (x1, x0, one) = (ir.primed(0, Type::Int), ir.var(0, Type::Int), ir.int(1));
    let sum = ir.op(Op::Add, vec![x0, one], Type::Int);
    let body = ir.eq(x1, sum);
    let (x, limit) = (ir.var(0, Type::Int), ir.int(limit));
    let inv = ir.op(Op::Lt, vec![x, limit], Type::Bool);
    let constraint = constraint.map(|c| {
        let (x, c) = (ir.var(0, Type::Int), ir.int(c));
        ir.op(Op::Lt, vec![x, c], Type::Bool)
    });
    let falsity = ir.boolean(false);
    let (mut spec, types) = ir.spec(
        &[("x", Type::Int)],
        init,
        vec![action("Inc", Vec::new(), body)],
        vec![("Bounded", inv)],
    );
    spec.constraints
        .extend(constraint.map(|c| named("Small", c)));
    if contradiction {
        spec.assumptions.push(named("Contradiction", falsity));
    }
    (spec, types)
}

/// The action that entered `step`, by name, with its parameters named as the spec names them.
fn labelled(spec: &Spec, step: &Step) -> Option<(String, Vec<(String, Value)>)> {
    step.action.as_ref().map(|instance| {
        let action = &spec.actions[instance.action];
        assert_eq!(action.params.len(), instance.params.len(), "{instance:?}");
        let params = action
            .params
            .iter()
            .zip(&instance.params)
            .map(|(param, value)| (param.name.clone(), value.clone()))
            .collect();
        (action.name.clone(), params)
    })
}

fn counter(limit: i64) -> (Spec, Types) {
    counter_with(limit, None, false)
}

fn run(spec: &Spec, types: &Types, depth: usize) -> Outcome {
    let options = Options {
        depth,
        timeout: None,
    };
    check(spec, types, &options, &mut |_, _| {}).expect("checks")
}

fn xs(trace: &Behaviour) -> Vec<i64> {
    trace
        .steps
        .iter()
        .map(|step| match step.state[0] {
            Value::Int(n) => n,
            ref other => panic!("not an integer: {other}"),
        })
        .collect()
}

#[test]
fn counter_violates_its_bound_at_exactly_depth_five() {
    let (spec, types) = counter(5);
    assert_eq!(run(&spec, &types, 4), Outcome::NoViolation { depth: 4 });
    let Outcome::InvariantViolated { name, trace } = run(&spec, &types, 8) else {
        panic!("expected a violation");
    };
    assert_eq!(name, "Bounded");
    assert_eq!(xs(&trace), vec![0, 1, 2, 3, 4, 5]);
    assert_eq!(trace.loop_start, None);
    assert_eq!(trace.steps[0].action, None);
    for step in &trace.steps[1..] {
        assert_eq!(labelled(&spec, step), Some(("Inc".to_string(), Vec::new())));
    }
}

#[test]
fn progress_is_reported_for_every_depth() {
    let (spec, types) = counter(100);
    let mut depths = Vec::new();
    let options = Options {
        depth: 3,
        timeout: None,
    };
    let outcome =
        check(&spec, &types, &options, &mut |depth, _| depths.push(depth)).expect("checks");
    assert_eq!(outcome, Outcome::NoViolation { depth: 3 });
    assert_eq!(depths, vec![0, 1, 2, 3]);
}

/// `x = 0`, `Inc: x < 3 /\ x' = x + 1`: stuck at 3.
fn bounded_counter() -> (Spec, Types) {
    let mut ir = Ir::new();
    let (x, zero) = (ir.var(0, Type::Int), ir.int(0));
    let init = ir.eq(x, zero);
    let (x, three) = (ir.var(0, Type::Int), ir.int(3));
    let guard = ir.op(Op::Lt, vec![x, three], Type::Bool);
    let (x1, x0, one) = (ir.primed(0, Type::Int), ir.var(0, Type::Int), ir.int(1));
    let sum = ir.op(Op::Add, vec![x0, one], Type::Int);
    let step = ir.eq(x1, sum);
    let body = ir.and(vec![guard, step]);
    ir.spec(
        &[("x", Type::Int)],
        init,
        vec![action("Inc", Vec::new(), body)],
        Vec::new(),
    )
}

#[test]
fn deadlock_is_the_first_state_without_an_enabled_action() {
    let (mut spec, types) = bounded_counter();
    spec.check_deadlock = true;
    assert_eq!(run(&spec, &types, 2), Outcome::NoViolation { depth: 2 });
    let Outcome::Deadlock { trace } = run(&spec, &types, 10) else {
        panic!("expected a deadlock");
    };
    assert_eq!(xs(&trace), vec![0, 1, 2, 3]);
}

#[test]
fn deadlock_counts_parameterised_actions() {
    // Pick(n): n \in {1, 2} /\ x < n /\ x' = n: from 0 to 1 or 2, stuck at 2.
    let mut ir = Ir::new();
    let (x, zero) = (ir.var(0, Type::Int), ir.int(0));
    let init = ir.eq(x, zero);
    let n = ir.bound("n", Type::Int);
    let (x, nv) = (ir.var(0, Type::Int), ir.bvar(n));
    let guard = ir.op(Op::Lt, vec![x, nv], Type::Bool);
    let (x1, nv) = (ir.primed(0, Type::Int), ir.bvar(n));
    let step = ir.eq(x1, nv);
    let body = ir.and(vec![guard, step]);
    let set = ir.ints(&[1, 2]);
    let param = crate::ir::Param {
        name: "n".into(),
        binder: Ir::binder(n, set),
    };
    let (mut spec, types) = ir.spec(
        &[("x", Type::Int)],
        init,
        vec![action("Pick", vec![param], body)],
        Vec::new(),
    );
    spec.check_deadlock = true;
    let Outcome::Deadlock { trace } = run(&spec, &types, 5) else {
        panic!("expected a deadlock");
    };
    assert_eq!(xs(&trace), vec![0, 2]);
    assert_eq!(
        labelled(&spec, &trace.steps[1]),
        Some(("Pick".to_string(), vec![("n".to_string(), Value::Int(2))]))
    );
}

#[test]
fn constraints_stop_exploration_but_not_invariant_checks() {
    // CONSTRAINT x < 2: the state x = 2 is generated (and checked) but not explored.
    let with_constraint = |limit| counter_with(limit, Some(2), false);
    let (spec, types) = with_constraint(3);
    assert_eq!(run(&spec, &types, 6), Outcome::NoViolation { depth: 6 });
    let (spec, types) = with_constraint(2);
    let Outcome::InvariantViolated { trace, .. } = run(&spec, &types, 6) else {
        panic!("expected a violation");
    };
    assert_eq!(xs(&trace), vec![0, 1, 2]);
}

#[test]
fn a_timeout_is_unknown_never_success() {
    // Init: x > 1 /\ y > 1 /\ z > 1 /\ x*x*x + y*y*y = z*z*z (no solution, hard for Z3).
    let mut ir = Ir::new();
    let mut parts = Vec::new();
    for v in 0..3 {
        let (x, one) = (ir.var(v, Type::Int), ir.int(1));
        parts.push(ir.op(Op::Gt, vec![x, one], Type::Bool));
    }
    let cube = |ir: &mut Ir, v: usize| {
        let factors = (0..3).map(|_| ir.var(v, Type::Int)).collect();
        ir.op(Op::Mul, factors, Type::Int)
    };
    let (a, b, c) = (cube(&mut ir, 0), cube(&mut ir, 1), cube(&mut ir, 2));
    let sum = ir.op(Op::Add, vec![a, b], Type::Int);
    parts.push(ir.eq(sum, c));
    let init = ir.and(parts);
    let inv = ir.boolean(false);
    let vars = [("x", Type::Int), ("y", Type::Int), ("z", Type::Int)];
    let (spec, types) = ir.spec(&vars, init, Vec::new(), vec![("Never", inv)]);
    let options = Options {
        depth: 0,
        timeout: Some(Duration::from_millis(50)),
    };
    let outcome = check(&spec, &types, &options, &mut |_, _| {}).expect("checks");
    assert!(
        matches!(outcome, Outcome::Unknown { depth: 0, .. }),
        "{outcome:?}"
    );
}

#[test]
fn contradictory_assumptions_are_an_assumption_error() {
    let (spec, types) = counter_with(5, None, true);
    let options = Options {
        depth: 1,
        timeout: None,
    };
    let error = check(&spec, &types, &options, &mut |_, _| {}).expect_err("fails");
    assert_eq!(error.kind, crate::diag::Kind::Assumption);
    assert_eq!(error.code, "E0500");
}

#[test]
fn an_inductive_invariant_is_proved_once_not_checked_at_every_depth() {
    // `x >= 0` is preserved by `x' = x + 1`: proved at depth 0, so a depth no unrolling could
    // reach in time is answered at once.
    assert_proved_without_unrolling(&[("NonNegative", Op::Ge, 0)]);
}

/// Checks the counter with `invariants` to a depth no unrolling could reach in time, and
/// asserts it is answered at depth 0: every invariant was proved inductive.
fn assert_proved_without_unrolling(invariants: &[(&str, Op, i64)]) {
    let (spec, types) = counter_with_invariants(invariants);
    let options = Options {
        depth: 1_000_000,
        timeout: Some(Duration::from_secs(60)),
    };
    let mut deepest = 0;
    let outcome = check(&spec, &types, &options, &mut |depth, _| deepest = depth).expect("checks");
    assert_eq!(outcome, Outcome::NoViolation { depth: 1_000_000 });
    assert_eq!(deepest, 0, "no depth after the first is unrolled");
}

/// `x = 0`, `Inc: x' = x + 1`, with the invariants given as `(name, operator, bound)`:
/// `x op bound` each; deadlock is not checked.
fn counter_with_invariants(invariants: &[(&str, Op, i64)]) -> (Spec, Types) {
    let mut ir = Ir::new();
    let (x, zero) = (ir.var(0, Type::Int), ir.int(0));
    let init = ir.eq(x, zero);
    let (x1, x0, one) = (ir.primed(0, Type::Int), ir.var(0, Type::Int), ir.int(1));
    let sum = ir.op(Op::Add, vec![x0, one], Type::Int);
    let body = ir.eq(x1, sum);
    let invariants = invariants
        .iter()
        .map(|(name, op, bound)| {
            let (x, bound) = (ir.var(0, Type::Int), ir.int(*bound));
            (*name, ir.op(*op, vec![x, bound], Type::Bool))
        })
        .collect();
    let (mut spec, types) = ir.spec(
        &[("x", Type::Int)],
        init,
        vec![action("Inc", Vec::new(), body)],
        invariants,
    );
    spec.check_deadlock = false;
    (spec, types)
}

#[test]
fn an_invariant_inductive_only_given_one_proved_before_it_is_proved_too() {
    // `x /= -1` alone is not inductive (-2 -> -1), but it is where `x >= 0` holds, which is
    // proved first: both are proved at depth 0 and no depth is unrolled.
    assert_proved_without_unrolling(&[("NonNegative", Op::Ge, 0), ("NotMinusOne", Op::Ne, -1)]);
}

#[test]
fn a_false_invariant_among_inductive_ones_is_found_at_its_shortest_depth() {
    // The pre-check proves the first and last and leaves `x < 3` to the search, which must
    // still find it broken after exactly three steps.
    let (spec, types) = counter_with_invariants(&[
        ("NonNegative", Op::Ge, 0),
        ("Small", Op::Lt, 3),
        ("NotMinusOne", Op::Ne, -1),
    ]);
    match run(&spec, &types, 10) {
        Outcome::InvariantViolated { name, trace } => {
            assert_eq!(name, "Small");
            assert_eq!(xs(&trace), vec![0, 1, 2, 3]);
        }
        other => panic!("expected a violation of Small, got {other:?}"),
    }
}

#[test]
fn a_non_inductive_invariant_is_still_checked_at_every_depth() {
    // `x < 5` holds initially but is not inductive (4 -> 5): BMC must still find depth 5.
    let (spec, types) = counter(5);
    match run(&spec, &types, 8) {
        Outcome::InvariantViolated { trace, .. } => assert_eq!(xs(&trace), vec![0, 1, 2, 3, 4, 5]),
        other => panic!("expected a violation, got {other:?}"),
    }
}

#[test]
fn stats_count_the_same_terms_at_every_step_of_the_counter() {
    let (spec, types) = counter(5);
    let options = Options {
        depth: 8,
        timeout: None,
    };
    let (outcome, stats) =
        super::check_with_stats(&spec, &types, &options, &mut |_, _| {}).expect("checks");
    assert_eq!(outcome, run(&spec, &types, 8));
    // Depths 0 to 5, where the violation is found.
    assert_eq!(stats.depths.len(), 6);
    let steps: Vec<usize> = stats.depths[1..5].iter().map(|d| d.terms).collect();
    assert!(steps[0] > 0);
    assert_eq!(steps, vec![steps[0]; 4]);
    assert!(stats.depths.iter().all(|d| d.quantifiers == 0));
}

/// The distinct terms each step of the token ring adds, at `n` nodes.
fn token_ring_terms_per_step(n: usize) -> Vec<usize> {
    let dir = std::env::temp_dir().join(format!("smtcheck-bmc-stats-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let config = dir.join("TokenMutex.cfg");
    let text = format!(
        "SPECIFICATION Spec\nCONSTANTS N = {n} PassEarly = FALSE\n\
         INVARIANTS TypeOK Mutex OnlyHolderInside\nCHECK_DEADLOCK TRUE\n"
    );
    std::fs::write(&config, text).expect("config");
    let spec_file = std::path::Path::new("examples/token_mutex/TokenMutex.tla");
    let compiled = crate::cli::compile(spec_file, Some(&config), &Default::default());
    let _ = std::fs::remove_dir_all(&dir);
    let Ok((front, _)) = compiled else {
        panic!("the token ring compiles");
    };
    let options = Options {
        depth: 4,
        timeout: None,
    };
    let (outcome, stats) =
        super::check_with_stats(&front.spec, &front.types, &options, &mut |_, _| {})
            .expect("checks");
    assert_eq!(outcome, Outcome::NoViolation { depth: 4 });
    stats.depths[1..4].iter().map(|d| d.terms).collect()
}

#[test]
fn a_step_of_the_token_ring_is_as_large_at_a_thousand_nodes_as_at_ten() {
    assert_eq!(
        token_ring_terms_per_step(10),
        token_ring_terms_per_step(1000)
    );
}

/// The module at `path` with its model `config` through the front end, as the config has it
/// and with the constants the general question leaves symbolic left so.
fn exact_and_open(path: &std::path::Path, config: Option<&std::path::Path>) -> [Frontend; 2] {
    let compiled = |options: &crate::sema::Options| match compile(path, config, options) {
        Ok((front, _warnings)) => front,
        Err(error) => panic!("{}", error.diagnostic.render(&error.sources, false)),
    };
    let exact = compiled(&Default::default());
    let open = compiled(&crate::sema::Options {
        symbolic: generalizable(&exact.spec),
        ..Default::default()
    });
    [exact, open]
}

/// Checks `exact` to `depth` with the general question of `open`; the outcome and the number
/// of depths checked.
fn check_generalized(exact: &Frontend, open: &Frontend, depth: usize) -> (Outcome, usize) {
    let general = general(&exact.spec, &open.spec, &open.types).expect("a general question");
    let options = Options {
        depth,
        timeout: Some(Duration::from_secs(120)),
    };
    let (outcome, stats) = check_with(
        &exact.spec,
        &exact.types,
        Some(&general),
        &options,
        &mut |_, _| {},
        false,
    )
    .unwrap_or_else(|d| panic!("{}", d.message));
    (outcome, stats.depths.len())
}

/// A hundred nodes: the invariants are inductive, but counting majorities of a hundred nodes
/// exactly, the configured question runs out of its effort and the search did not reach
/// depth 10 in a minute. With the nodes left symbolic, quorum intersection is one axiom of
/// `Cardinality`, and the invariants are proved before any step is unrolled.
#[test]
fn invariants_inductive_for_every_set_of_nodes_are_proved_before_any_step_is_unrolled() {
    let [exact, open] = exact_and_open(
        std::path::Path::new("examples/leader_election/LeaderElection.tla"),
        Some(std::path::Path::new(
            "examples/leader_election/LeaderElection_100.cfg",
        )),
    );
    let (outcome, depths) = check_generalized(&exact, &open, 20);
    assert_eq!(outcome, Outcome::NoViolation { depth: 20 });
    assert_eq!(depths, 1, "only the initial states are checked");
}

/// A choice among `Proc`, as large as `Named`. That the choice is in `Named` is inductive for
/// the configured sets, which are equal, but not for every pair of sets the general question
/// allows (of the configured sizes, holding `Leader`), so only the configured question proves
/// it. That it is in `Proc` is inductive for every `Proc`; that it stays `Leader` is inductive
/// for none, and is broken by one step; that it is not `Leader` is false initially.
const CHOICE: &str = r#"
---- MODULE Choice ----
CONSTANTS Proc, Named, Leader
VARIABLE chosen
Init == chosen = Leader
Next == \E p \in Proc : chosen' = p
InNamed == chosen \in Named
InProc == chosen \in Proc
StaysLeader == chosen = Leader
NotLeader == chosen /= Leader
====
"#;

/// The choice among twenty members (enough that the general question is asked before the
/// configured one) with `invariants`, as configured and with the sets left symbolic.
fn choice(invariants: &str) -> [Frontend; 2] {
    let members: Vec<String> = (1..=20).map(|i| format!("p{i}")).collect();
    let set = members.join(", ");
    let config = format!(
        "INIT Init\nNEXT Next\nCONSTANTS Proc = {{{set}}} Named = {{{set}}} Leader = p1\n\
         INVARIANTS {invariants}\nCHECK_DEADLOCK FALSE\n"
    );
    exact_and_open(&write_spec("Choice", CHOICE, &config, &[]), None)
}

fn model_value(name: &str) -> Value {
    Value::ModelValue(name.into())
}

#[test]
fn an_invariant_the_general_question_cannot_prove_is_proved_at_the_configured_constants() {
    let [exact, open] = choice("InNamed");
    let (outcome, depths) = check_generalized(&exact, &open, 1_000_000);
    assert_eq!(outcome, Outcome::NoViolation { depth: 1_000_000 });
    assert_eq!(depths, 1, "only the initial states are checked");
}

#[test]
fn an_invariant_neither_question_proves_is_found_broken_at_its_shortest_depth() {
    let [exact, open] = choice("InNamed StaysLeader");
    match check_generalized(&exact, &open, 10) {
        (Outcome::InvariantViolated { name, trace }, _) => {
            assert_eq!(name, "StaysLeader");
            assert_eq!(trace.steps.len(), 2);
            assert_eq!(trace.steps[0].state, [model_value("p1")]);
            assert_ne!(trace.steps[1].state, [model_value("p1")]);
        }
        other => panic!("expected a violation of StaysLeader, got {other:?}"),
    }
}

/// The general question is asked whether the invariants hold initially, before the initial
/// states are checked: `InProc` and `InNamed` do, and are not checked there, but `NotLeader`
/// is still found broken in the initial state.
#[test]
fn an_invariant_false_initially_is_found_in_the_initial_state() {
    let [exact, open] = choice("InProc InNamed");
    assert_eq!(
        check_generalized(&exact, &open, 1_000_000),
        (Outcome::NoViolation { depth: 1_000_000 }, 1)
    );
    let [exact, open] = choice("InProc InNamed NotLeader");
    match check_generalized(&exact, &open, 10) {
        (Outcome::InvariantViolated { name, trace }, 1) => {
            assert_eq!(name, "NotLeader");
            assert_eq!(trace.steps.len(), 1);
            assert_eq!(trace.steps[0].state, [model_value("p1")]);
        }
        other => panic!("expected a violation of NotLeader at depth 0, got {other:?}"),
    }
}
