use super::*;
use crate::eval::action::initial_states;
use crate::eval::{explore, Limits, Verdict};

/// `x = start`, `Incr: x' = x + 1`, and (if given) the invariant `Inv: x < bound`.
pub(super) fn counter(start: i64, bound: Option<i64>) -> Spec {
    let mut ir = Ir::new();
    let start = ir.int(start);
    let init = ir.init_eq(0, start);
    let incr = ir.increment(0, 1);
    let invariant = bound.map(|bound| {
        let (x, bound) = (ir.var(0), ir.int(bound));
        named("Inv", ir.op2(x, Op::Lt, bound))
    });
    let mut spec = ir.spec(&["x"], init);
    spec.actions.push(action("Incr", vec![], incr));
    spec.invariants.extend(invariant);
    spec
}

/// `x \in {0}`, `Incr: x < 3 /\ x' = x + 1`: stuck at 3.
pub(super) fn stopping_counter() -> Spec {
    let mut ir = Ir::new();
    let (x, zero) = (ir.var(0), ir.ints(&[0]));
    let init = ir.op2(x, Op::In, zero);
    let (x, three) = (ir.var(0), ir.int(3));
    let guard = ir.op2(x, Op::Lt, three);
    let incr = ir.increment(0, 1);
    let body = ir.and(vec![guard, incr]);
    let mut spec = ir.spec(&["x"], init);
    spec.actions.push(action("Incr", vec![], body));
    spec.check_deadlock = true;
    spec
}

fn x_le(ir: &mut Ir, n: i64) -> Expr {
    let (x, n) = (ir.var(0), ir.int(n));
    ir.op2(x, Op::Le, n)
}

#[test]
fn counter_violates_its_invariant_after_four_steps() {
    let spec = counter(1, Some(5));
    let result = explore(&spec, Limits::default()).unwrap();
    assert_eq!(result.verdict, Verdict::InvariantViolated("Inv".into()));
    let trace = result.trace.unwrap();
    assert_eq!(trace.len(), 5);
    assert_eq!(
        actions_of(&spec, &trace),
        [None, Some("Incr"), Some("Incr"), Some("Incr"), Some("Incr")]
    );
    let xs: Vec<Value> = trace.iter().map(|s| s.state[0].clone()).collect();
    assert_eq!(xs, [1, 2, 3, 4, 5].map(int));
    assert_eq!(result.distinct_states, 5);
    assert_eq!(result.depth_reached, 4);
}

#[test]
fn the_trace_is_a_shortest_one() {
    // Incr adds 1, Jump adds 3; x = 6 is first reached by two jumps.
    let mut spec = counter(0, None);
    let mut ir = Ir::new();
    let jump = ir.increment(0, 3);
    let (x, six) = (ir.var(0), ir.int(6));
    let not_six = ir.op2(x, Op::Ne, six);
    spec.actions.push(action("Jump", vec![], jump));
    spec.invariants.push(named("NotSix", not_six));
    let result = explore(&spec, Limits::default()).unwrap();
    assert_eq!(result.verdict, Verdict::InvariantViolated("NotSix".into()));
    assert_eq!(
        actions_of(&spec, &result.trace.unwrap()),
        [None, Some("Jump"), Some("Jump")]
    );
}

#[test]
fn finds_a_deadlock() {
    let spec = stopping_counter();
    let result = explore(&spec, Limits::default()).unwrap();
    assert_eq!(result.verdict, Verdict::Deadlock);
    let trace = result.trace.unwrap();
    assert_eq!(
        actions_of(&spec, &trace),
        [None, Some("Incr"), Some("Incr"), Some("Incr")]
    );
    assert_eq!(trace[3].state, vec![int(3)]);
}

#[test]
fn deadlock_is_ignored_unless_checked() {
    let mut spec = stopping_counter();
    spec.check_deadlock = false;
    let result = explore(&spec, Limits::default()).unwrap();
    assert_eq!(result.verdict, Verdict::NoViolation { complete: true });
    assert_eq!(result.distinct_states, 4);
    assert_eq!(result.trace, None);
}

#[test]
fn a_step_to_the_same_state_is_not_a_deadlock() {
    let mut spec = stopping_counter();
    let mut ir = Ir::new();
    let (x, three) = (ir.var(0), ir.int(3));
    let at_end = ir.op2(x, Op::Eq, three);
    let x = ir.var(0);
    let stay = ir.assign(0, x);
    spec.actions
        .push(action("Stay", vec![], ir.and(vec![at_end, stay])));
    let result = explore(&spec, Limits::default()).unwrap();
    assert_eq!(result.verdict, Verdict::NoViolation { complete: true });
}

#[test]
fn states_outside_a_constraint_are_checked_but_not_explored() {
    // TLC checks the invariants of every new state it generates and explores only those the
    // constraints allow: x < 4 fails at x = 4, although the constraint x <= 3 excludes it.
    let mut spec = counter(0, Some(4));
    let mut ir = Ir::new();
    spec.constraints.push(named("Bound", x_le(&mut ir, 3)));
    let result = explore(&spec, Limits::default()).unwrap();
    assert_eq!(result.verdict, Verdict::InvariantViolated("Inv".into()));
    let trace = result.trace.unwrap();
    assert_eq!(trace.len(), 5);
    assert_eq!(trace[4].state, vec![int(4)]);
}

#[test]
fn state_constraints_prune_the_search() {
    // The state x = 3 has a successor (outside the model), so it is not a deadlock either.
    let mut spec = counter(0, None);
    spec.check_deadlock = true;
    let mut ir = Ir::new();
    spec.constraints.push(named("Bound", x_le(&mut ir, 3)));
    let result = explore(&spec, Limits::default()).unwrap();
    assert_eq!(result.verdict, Verdict::NoViolation { complete: true });
    assert_eq!(result.distinct_states, 4);
    assert_eq!(result.depth_reached, 3);
}

#[test]
fn initial_states_outside_the_constraint_are_dropped() {
    let mut ir = Ir::new();
    let (x, s) = (ir.var(0), ir.range(1, 5));
    let init = ir.op2(x, Op::In, s);
    let mut spec = ir.spec(&["x"], init);
    let mut ir = Ir::new();
    spec.constraints.push(named("Bound", x_le(&mut ir, 2)));
    let result = explore(&spec, Limits::default()).unwrap();
    assert_eq!(result.distinct_states, 2);
}

#[test]
fn action_constraints_discard_transitions() {
    // The action constraint x' <= 2 stops the counter at 2.
    let mut spec = counter(0, Some(10));
    let mut ir = Ir::new();
    let (x_next, two) = (ir.primed(0), ir.int(2));
    spec.action_constraints
        .push(named("Small", ir.op2(x_next, Op::Le, two)));
    let result = explore(&spec, Limits::default()).unwrap();
    assert_eq!(result.verdict, Verdict::NoViolation { complete: true });
    assert_eq!(result.distinct_states, 3);
}

#[test]
fn depth_limit_cuts_the_search() {
    let result = explore(
        &counter(0, None),
        Limits {
            max_states: usize::MAX,
            max_depth: 3,
            ..Limits::default()
        },
    )
    .unwrap();
    assert_eq!(result.verdict, Verdict::NoViolation { complete: false });
    assert_eq!(result.distinct_states, 4);
    assert_eq!(result.depth_reached, 3);
    // At the bound, a deadlock is still found.
    let result = explore(
        &stopping_counter(),
        Limits {
            max_states: usize::MAX,
            max_depth: 3,
            ..Limits::default()
        },
    )
    .unwrap();
    assert_eq!(result.verdict, Verdict::Deadlock);
    // A bound beyond the last new state leaves the search complete.
    let mut spec = stopping_counter();
    spec.check_deadlock = false;
    let result = explore(
        &spec,
        Limits {
            max_states: usize::MAX,
            max_depth: 3,
            ..Limits::default()
        },
    )
    .unwrap();
    assert_eq!(result.verdict, Verdict::NoViolation { complete: true });
}

#[test]
fn state_limit_stops_the_search() {
    let result = explore(
        &counter(0, None),
        Limits {
            max_states: 10,
            max_depth: usize::MAX,
            ..Limits::default()
        },
    )
    .unwrap();
    assert_eq!(result.verdict, Verdict::LimitReached);
    assert_eq!(result.distinct_states, 10);
}

#[test]
fn memory_budget_stops_the_search() {
    let result = explore(
        &counter(0, None),
        Limits {
            max_bytes: 4096,
            ..Limits::default()
        },
    )
    .unwrap();
    assert_eq!(result.verdict, Verdict::LimitReached);
    // Each state takes at least its one value and at most a few hundred bytes.
    assert!(
        (4..4096 / std::mem::size_of::<Value>()).contains(&result.distinct_states),
        "{}",
        result.distinct_states
    );
}

#[test]
fn a_stop_request_ends_the_search_at_the_next_successor() {
    let asked = std::cell::Cell::new(0);
    let stop_after_five = || {
        asked.set(asked.get() + 1);
        asked.get() > 5
    };
    let result =
        crate::eval::explore_until(&counter(0, None), Limits::default(), &stop_after_five).unwrap();
    assert_eq!(result.verdict, Verdict::LimitReached);
    assert_eq!(
        result.distinct_states, 6,
        "the initial state and five successors"
    );
}

#[test]
fn actions_with_parameters_record_their_values() {
    // VARIABLE msgs; Init: msgs = {}; Send(m \in {1, 2, 3}): m \notin msgs /\ msgs' = msgs \cup {m}
    let mut ir = Ir::new();
    let empty = ir.ints(&[]);
    let init = ir.init_eq(0, empty);
    let (m, m_ref) = ir.bound("m");
    let msgs = ir.var(0);
    let fresh = ir.op2(m_ref.clone(), Op::NotIn, msgs);
    let msgs = ir.var(0);
    let single = ir.e(ExprKind::SetEnum(vec![m_ref]));
    let added = ir.op2(msgs, Op::Union, single);
    let send = ir.assign(0, added);
    let body = ir.and(vec![fresh, send]);
    let domain = ir.ints(&[1, 2, 3]);
    let (msgs, two) = (ir.var(0), ir.int(2));
    let count = ir.op(Op::Cardinality, vec![msgs]);
    let inv = ir.op2(count, Op::Lt, two);
    let mut spec = ir.spec(&["msgs"], init);
    spec.actions
        .push(action("Send", vec![("m", Ir::binder(m, domain))], body));
    spec.invariants.push(named("FewMessages", inv));
    let result = explore(&spec, Limits::default()).unwrap();
    let trace = result.trace.unwrap();
    assert_eq!(
        actions_of(&spec, &trace),
        [None, Some("Send"), Some("Send")]
    );
    let params = |step: &Step| step.action.as_ref().unwrap().params.clone();
    assert_eq!(params(&trace[1]), vec![int(1)]);
    assert_eq!(params(&trace[2]), vec![int(2)]);
    assert_eq!(trace[2].state, vec![Value::set([int(1), int(2)])]);
}

#[test]
fn branching_constructs_in_actions() {
    // Init: x = 0 /\ y = 0
    // Next: \/ x' \in {1, 2} /\ y' = y
    //       \/ \E k \in {5, 6} : IF k = 5 THEN x' = k /\ y' = 1 ELSE (x' = k /\ y' = 2)
    let mut ir = Ir::new();
    let (zero, zero2) = (ir.int(0), ir.int(0));
    let (ix, iy) = (ir.init_eq(0, zero), ir.init_eq(1, zero2));
    let init = ir.and(vec![ix, iy]);
    let (x_next, choices) = (ir.primed(0), ir.ints(&[1, 2]));
    let pick = ir.op2(x_next, Op::In, choices);
    let y = ir.var(1);
    let keep = ir.assign(1, y);
    let first = ir.and(vec![pick, keep]);
    let (k, k_ref) = ir.bound("k");
    let five = ir.int(5);
    let cond = ir.op2(k_ref.clone(), Op::Eq, five);
    let (ax, one) = (ir.assign(0, k_ref.clone()), ir.int(1));
    let ay = ir.assign(1, one);
    let then = ir.and(vec![ax, ay]);
    let (bx, two) = (ir.assign(0, k_ref), ir.int(2));
    let by = ir.assign(1, two);
    let other = ir.and(vec![bx, by]);
    let branch = ir.e(ExprKind::If(cond, then, other));
    let ks = ir.ints(&[5, 6]);
    let second = ir.e(ExprKind::Quant(
        crate::ir::Quantifier::Exists,
        vec![Ir::binder(k, ks)],
        branch,
    ));
    let next = ir.op(Op::Or, vec![first, second]);
    let mut spec = ir.spec(&["x", "y"], init);
    spec.actions.push(action("Next", vec![], next));
    let mut found = Vec::new();
    crate::eval::action::successors(&spec, &[int(0), int(0)], &mut |s| {
        found.push(s.state);
        Ok(true)
    })
    .unwrap();
    assert_eq!(
        found,
        vec![
            vec![int(1), int(0)],
            vec![int(2), int(0)],
            vec![int(5), int(1)],
            vec![int(6), int(2)]
        ]
    );
}

#[test]
fn unchanged_tuples_assign_componentwise() {
    // <<x', y'>> = <<y, x>>
    let mut ir = Ir::new();
    let (x_next, y_next) = (ir.primed(0), ir.primed(1));
    let lhs = ir.tuple(vec![x_next, y_next]);
    let (y, x) = (ir.var(1), ir.var(0));
    let rhs = ir.tuple(vec![y, x]);
    let swap = ir.op2(lhs, Op::Eq, rhs);
    let t = ir.boolean(true);
    let mut spec = ir.spec(&["x", "y"], t);
    spec.actions.push(action("Swap", vec![], swap));
    let mut found = Vec::new();
    crate::eval::action::successors(&spec, &[int(1), int(2)], &mut |s| {
        found.push(s.state);
        Ok(true)
    })
    .unwrap();
    assert_eq!(found, vec![vec![int(2), int(1)]]);
}

#[test]
fn an_action_must_assign_every_variable() {
    let mut ir = Ir::new();
    let (zero, zero2) = (ir.int(0), ir.int(0));
    let (ix, iy) = (ir.init_eq(0, zero), ir.init_eq(1, zero2));
    let init = ir.and(vec![ix, iy]);
    let incr = ir.increment(0, 1);
    let mut spec = ir.spec(&["x", "y"], init);
    spec.actions.push(action("Incr", vec![], incr));
    let error = explore(&spec, Limits::default()).unwrap_err();
    assert_eq!(error.message, "action Incr does not assign y'");
}

#[test]
fn a_guard_on_an_unassigned_prime_is_an_error() {
    // x' > 0 /\ x' = 1
    let mut ir = Ir::new();
    let zero = ir.int(0);
    let init = ir.init_eq(0, zero);
    let (x_next, zero) = (ir.primed(0), ir.int(0));
    let guard = ir.op2(x_next, Op::Gt, zero);
    let one = ir.int(1);
    let set = ir.assign(0, one);
    let body = ir.and(vec![guard, set]);
    let mut spec = ir.spec(&["x"], init);
    spec.actions.push(action("Bad", vec![], body));
    let error = explore(&spec, Limits::default()).unwrap_err();
    assert_eq!(error.message, "x' is not assigned");
}

#[test]
fn init_enumerates_memberships_and_guards() {
    // x \in 1..3 /\ y \in {x, 10} /\ x + y > 3
    let mut ir = Ir::new();
    let (x, s) = (ir.var(0), ir.range(1, 3));
    let pick_x = ir.op2(x, Op::In, s);
    let (y, x, ten) = (ir.var(1), ir.var(0), ir.int(10));
    let choices = ir.e(ExprKind::SetEnum(vec![x, ten]));
    let pick_y = ir.op2(y, Op::In, choices);
    let (x, y, three) = (ir.var(0), ir.var(1), ir.int(3));
    let sum = ir.op2(x, Op::Add, y);
    let guard = ir.op2(sum, Op::Gt, three);
    let init = ir.and(vec![pick_x, pick_y, guard]);
    let spec = ir.spec(&["x", "y"], init);
    let states = initial_states(&spec).unwrap();
    let expected: Vec<Vec<Value>> = vec![
        vec![int(1), int(10)],
        vec![int(2), int(2)],
        vec![int(2), int(10)],
        vec![int(3), int(3)],
        vec![int(3), int(10)],
    ];
    assert_eq!(states, expected);
}

#[test]
fn init_must_assign_every_variable() {
    let mut ir = Ir::new();
    let one = ir.int(1);
    let init = ir.init_eq(0, one);
    let spec = ir.spec(&["x", "y"], init);
    assert_eq!(
        initial_states(&spec).unwrap_err().message,
        "Init does not assign y"
    );
}
