use super::explore::{counter, stopping_counter};
use super::*;
use crate::eval::{explore, replay, Claim, Limits, ReplayError};
use crate::ir::ActionInstance;

fn trace_of(spec: &Spec) -> Vec<Step> {
    explore(spec, Limits::default()).unwrap().trace.unwrap()
}

fn message(result: Result<(), ReplayError>) -> (usize, String) {
    let error = result.unwrap_err();
    (error.state, error.message)
}

#[test]
fn accepts_the_explorers_traces() {
    let spec = counter(1, Some(5));
    assert_eq!(
        replay(
            &spec,
            &trace_of(&spec),
            Claim::InvariantViolated("Inv".into())
        ),
        Ok(())
    );
    let spec = stopping_counter();
    assert_eq!(replay(&spec, &trace_of(&spec), Claim::Deadlock), Ok(()));
}

#[test]
fn rejects_a_corrupted_step() {
    let spec = counter(1, Some(5));
    let mut trace = trace_of(&spec);
    trace[2].state = vec![int(7)];
    assert_eq!(
        message(replay(
            &spec,
            &trace,
            Claim::InvariantViolated("Inv".into())
        )),
        (
            3,
            "step 2 -> 3 (Incr): action Incr does not lead from this state to the next".into()
        )
    );
}

#[test]
fn rejects_a_wrong_initial_state() {
    let spec = counter(1, Some(5));
    let mut trace = trace_of(&spec);
    trace[0].state = vec![int(0)];
    assert_eq!(
        message(replay(
            &spec,
            &trace,
            Claim::InvariantViolated("Inv".into())
        )),
        (1, "state 1 does not satisfy Init".into())
    );
}

#[test]
fn rejects_an_initial_state_that_names_an_action() {
    let spec = counter(1, Some(5));
    let mut trace = trace_of(&spec);
    trace[0].action = trace[1].action.clone();
    assert_eq!(
        message(replay(
            &spec,
            &trace,
            Claim::InvariantViolated("Inv".into())
        )),
        (
            1,
            "state 1 names an action, but it is an initial state".into()
        )
    );
}

#[test]
fn rejects_an_unknown_action_and_bad_shapes() {
    let spec = counter(1, Some(5));
    let mut trace = trace_of(&spec);
    // The spec has one action, Incr: there is no action number 1.
    trace[4].action = Some(ActionInstance {
        action: 1,
        params: vec![],
    });
    assert_eq!(
        message(replay(
            &spec,
            &trace,
            Claim::InvariantViolated("Inv".into())
        )),
        (5, "step 4 -> 5: the spec has no action number 1".into())
    );
    let mut trace = trace_of(&spec);
    trace[4].action = None;
    assert_eq!(
        message(replay(
            &spec,
            &trace,
            Claim::InvariantViolated("Inv".into())
        )),
        (5, "step 4 -> 5 names no action".into())
    );
    let mut trace = trace_of(&spec);
    trace[1].state.push(int(0));
    assert_eq!(
        message(replay(
            &spec,
            &trace,
            Claim::InvariantViolated("Inv".into())
        )),
        (
            2,
            "state 2 has 2 values but the spec has 1 variables".into()
        )
    );
    assert_eq!(
        message(replay(&spec, &[], Claim::Deadlock)),
        (0, "the trace is empty".into())
    );
}

#[test]
fn rejects_a_claim_the_last_state_does_not_show() {
    let spec = counter(1, Some(5));
    let mut trace = trace_of(&spec);
    trace.pop();
    assert_eq!(
        message(replay(
            &spec,
            &trace,
            Claim::InvariantViolated("Inv".into())
        )),
        (
            4,
            "the last state (state 4) satisfies the invariant Inv".into()
        )
    );
    assert_eq!(
        message(replay(&spec, &trace, Claim::Deadlock)),
        (
            4,
            "the last state (state 4) is not deadlocked: action Incr can be taken".into()
        )
    );
    assert_eq!(
        message(replay(
            &spec,
            &trace,
            Claim::InvariantViolated("TypeOK".into())
        )),
        (4, "the spec has no invariant named TypeOK".into())
    );
}

#[test]
fn rejects_states_outside_the_constraints() {
    let mut spec = counter(1, Some(5));
    let mut ir = Ir::new();
    let (x, three) = (ir.var(0), ir.int(3));
    spec.constraints
        .push(named("Small", ir.op2(x, Op::Le, three)));
    let trace: Vec<Step> = (1..=5)
        .map(|n| Step {
            action: (n != 1).then(|| ActionInstance {
                action: 0,
                params: vec![],
            }),
            state: vec![int(n)],
        })
        .collect();
    assert_eq!(
        message(replay(
            &spec,
            &trace,
            Claim::InvariantViolated("Inv".into())
        )),
        (
            4,
            "state 4 does not satisfy the state constraint Small".into()
        )
    );
}

#[test]
fn rejects_parameters_outside_their_sets() {
    // Set(v \in {1, 2}): x' = v
    let mut ir = Ir::new();
    let zero = ir.int(0);
    let init = ir.init_eq(0, zero);
    let (v, v_ref) = ir.bound("v");
    let body = ir.assign(0, v_ref);
    let domain = ir.ints(&[1, 2]);
    let (x, three) = (ir.var(0), ir.int(3));
    let inv = ir.op2(x, Op::Ne, three);
    let mut spec = ir.spec(&["x"], init);
    spec.actions
        .push(action("Set", vec![("v", Ir::binder(v, domain))], body));
    spec.invariants.push(named("NotThree", inv));
    let trace = vec![
        Step {
            action: None,
            state: vec![int(0)],
        },
        Step {
            action: Some(ActionInstance {
                action: 0,
                params: vec![int(3)],
            }),
            state: vec![int(3)],
        },
    ];
    assert_eq!(
        message(replay(
            &spec,
            &trace,
            Claim::InvariantViolated("NotThree".into())
        )),
        (
            2,
            "step 1 -> 2 (Set(3)): parameter v = 3 is not in its set".into()
        )
    );
    let mut good = trace.clone();
    good[1].action.as_mut().unwrap().params = vec![int(2)];
    good[1].state = vec![int(2)];
    assert_eq!(
        message(replay(
            &spec,
            &good,
            Claim::InvariantViolated("NotThree".into())
        )),
        (
            2,
            "the last state (state 2) satisfies the invariant NotThree".into()
        )
    );
}
