//! The lasso search on small specs written as text: verdicts, lasso shapes, and the negation
//! normal form the search reads.

use super::formula::{negation, Ltl};
use super::{check, check_with_stats, Outcome, PropertyStats};
use crate::diag::Kind;
use crate::engine::Options;
use crate::eval::lasso::{replay_lasso, replay_safety_property};
use crate::testing::compile_text;

/// A counter that may go up to 2 (`Up`) or be reset to 0 from 2 (`Reset`).
const COUNTER: &str = r#"
---- MODULE Counter ----
EXTENDS Naturals
VARIABLE x
Init == x = 0
Up == x < 2 /\ x' = x + 1
Reset == x = 2 /\ x' = 0
Next == Up \/ Reset
Spec == Init /\ [][Next]_x
Weak == Spec /\ WF_x(Next)
ReachesTwo == <>(x = 2)
InfinitelyOften == []<>(x = 0)
StaysSmall == [](x < 2)
OnlyUp == [][x' > x]_x
SettlesAtTwo == <>[](x = 2)
UpLeadsToTwo == x = 1 ~> x = 2
AllValues == \A v \in {0, 1, 2} : <>(x = v)
Parity == IF x = 0 THEN <>(x = 2) ELSE <>(x = 0)
WeakFairness == WF_x(Next)
SmallAndReachesTwo == StaysSmall /\ ReachesTwo
EachSmall == \A v \in {2, 3} : [](x < v)
TwoIsStable == [](x = 2 => [](x = 2))
NaturalIsStable == [](x >= 0 => [](x >= 0))
====
"#;

fn run(spec: &str, property: &str) -> (crate::cli::Frontend, Outcome) {
    let cfg = format!("SPECIFICATION {spec}\nPROPERTY {property}\nCHECK_DEADLOCK FALSE\n");
    let front = compile_text("Counter", COUNTER, &cfg, &[]);
    let options = Options {
        depth: 6,
        timeout: None,
    };
    let outcome = check(&front.spec, &front.types, &options).expect("the search runs");
    (front, outcome)
}

/// The lasso's length and loop start, certified by the evaluator.
fn lasso(spec: &str, property: &str) -> (usize, usize) {
    let (front, outcome) = run(spec, property);
    let Outcome::LivenessViolated { name, trace } = outcome else {
        panic!("{property} under {spec}: expected a lasso, got {outcome:?}");
    };
    assert_eq!(name, property);
    let named = &front.spec.properties[0];
    replay_lasso(&front.spec, &trace, named).expect("the lasso replays");
    (trace.steps.len(), trace.loop_start.unwrap_or(usize::MAX))
}

fn holds(spec: &str, property: &str) {
    let (_, outcome) = run(spec, property);
    assert_eq!(
        outcome,
        Outcome::NoViolation { depth: 6 },
        "{property} under {spec}"
    );
}

#[test]
fn without_fairness_the_counter_may_stop_at_once() {
    // Stuttering forever in the initial state: one state, looping on itself.
    assert_eq!(lasso("Spec", "ReachesTwo"), (1, 0));
}

#[test]
fn weak_fairness_makes_the_counter_cycle() {
    holds("Weak", "ReachesTwo");
    holds("Weak", "InfinitelyOften");
    holds("Weak", "UpLeadsToTwo");
    holds("Weak", "AllValues");
    holds("Weak", "Parity");
    holds("Weak", "WeakFairness");
}

#[test]
fn a_cycle_is_a_lasso_back_to_the_first_state() {
    // 0 -> 1 -> 2 -> back to 0: x is not eventually always 2.
    assert_eq!(lasso("Weak", "SettlesAtTwo"), (3, 0));
}

#[test]
fn leads_to_fails_when_the_counter_stops_halfway() {
    assert_eq!(lasso("Spec", "UpLeadsToTwo"), (2, 1));
}

#[test]
fn infinitely_often_fails_when_the_counter_stops_halfway() {
    // The negation <>[](x /= 0) holds on the loop of state 1 stuttering: the whole loop,
    // not only its last state, must avoid 0.
    assert_eq!(lasso("Spec", "InfinitelyOften"), (2, 1));
}

/// The counter's search to depth 6 under `cfg`, with the search's figures.
fn counter_search_with_stats(cfg: &str) -> (Outcome, Vec<PropertyStats>) {
    let front = compile_text("Counter", COUNTER, cfg, &[]);
    let options = Options {
        depth: 6,
        timeout: None,
    };
    check_with_stats(&front.spec, &front.types, &options, false).expect("the search runs")
}

#[test]
fn properties_share_one_search_and_the_shortest_violation_is_reported() {
    let cfg = "SPECIFICATION Weak\nPROPERTIES ReachesTwo OnlyUp StaysSmall\n";
    let (outcome, stats) = counter_search_with_stats(cfg);
    // StaysSmall fails in 3 states, OnlyUp in 4 (the reset): the shorter violation is
    // reported, though its property is listed last.
    let Outcome::SafetyViolated { name, trace, .. } = outcome else {
        panic!("expected a safety violation, got {outcome:?}");
    };
    assert_eq!((name.as_str(), trace.steps.len()), ("StaysSmall", 3));
    let lengths: Vec<(&str, usize)> = stats
        .iter()
        .map(|p| (p.name.as_str(), p.lengths.len()))
        .collect();
    assert_eq!(
        lengths,
        [("ReachesTwo", 3), ("OnlyUp", 3), ("StaysSmall", 3)]
    );
}

#[test]
fn a_safety_conjunct_of_a_property_fails_as_a_finite_prefix() {
    // SmallAndReachesTwo's second conjunct holds under Weak; its first, [](x < 2), fails when
    // x reaches 2. EachSmall is [](x < 2) /\ [](x < 3): the first instance fails.
    for property in ["SmallAndReachesTwo", "EachSmall"] {
        let (front, outcome) = run("Weak", property);
        let Outcome::SafetyViolated {
            name,
            conjunct,
            trace,
        } = outcome
        else {
            panic!("{property}: expected a safety violation, got {outcome:?}");
        };
        assert_eq!((name.as_str(), trace.steps.len()), (property, 3));
        let broken = crate::ir::Named {
            name,
            expr: conjunct,
            loc: front.spec.properties[0].loc,
        };
        replay_safety_property(&front.spec, &trace.steps, &broken).expect("the trace replays");
    }
}

#[test]
fn a_liveness_conjunct_of_a_property_fails_as_a_lasso() {
    // Without fairness the counter may stop at 0; [](x < 2) holds until it stops.
    let (front, outcome) = run("Spec", "SmallAndReachesTwo");
    let Outcome::LivenessViolated { name, trace } = outcome else {
        panic!("expected a lasso, got {outcome:?}");
    };
    assert_eq!(
        (name.as_str(), trace.steps.len()),
        ("SmallAndReachesTwo", 1)
    );
    replay_lasso(&front.spec, &trace, &front.spec.properties[0]).expect("the lasso replays");
}

#[test]
fn a_stable_predicate_that_is_left_fails_as_a_lasso() {
    // [](P => []P) fails on the step from 2 back to 0: a lasso, as TLC reports it, not a
    // finite prefix, though the search looks for that one step.
    assert_eq!(lasso("Weak", "TwoIsStable"), (3, 0));
}

#[test]
fn a_property_no_step_can_break_needs_no_search() {
    let cfg = "SPECIFICATION Spec\nPROPERTIES NaturalIsStable ReachesTwo\n";
    let (outcome, stats) = counter_search_with_stats(cfg);
    assert!(matches!(outcome, Outcome::LivenessViolated { ref name, .. } if name == "ReachesTwo"));
    let lengths: Vec<(&str, usize)> = stats
        .iter()
        .map(|p| (p.name.as_str(), p.lengths.len()))
        .collect();
    // x >= 0 holds in every state of Spec: no step from it to x < 0 exists.
    assert_eq!(lengths, [("NaturalIsStable", 0), ("ReachesTwo", 1)]);
}

#[test]
fn invariants_assumed_as_lemmas_change_no_verdict() {
    let tla = COUNTER.replace("====", "Bounded == x \\in 0..2\n====");
    for (spec, property, violated) in [
        ("Weak", "ReachesTwo", false),
        ("Weak", "SettlesAtTwo", true),
        ("Spec", "InfinitelyOften", true),
        ("Weak", "StaysSmall", true),
    ] {
        let cfg = format!("SPECIFICATION {spec}\nINVARIANT Bounded\nPROPERTY {property}\n");
        let front = compile_text("Counter", &tla, &cfg, &[]);
        let options = Options {
            depth: 6,
            timeout: None,
        };
        let verdicts: Vec<bool> = [false, true]
            .into_iter()
            .map(|assumed| {
                let (outcome, _) = check_with_stats(&front.spec, &front.types, &options, assumed)
                    .expect("the search runs");
                !matches!(outcome, Outcome::NoViolation { .. })
            })
            .collect();
        assert_eq!(verdicts, [violated, violated], "{property} under {spec}");
    }
}

#[test]
fn a_temporal_if_chooses_its_branch_in_the_first_state() {
    // x = 0 at first, so Parity is <>(x = 2): the counter stopping at 1 breaks it.
    assert_eq!(lasso("Spec", "Parity"), (1, 0));
}

#[test]
fn fairness_as_a_property_fails_without_fairness() {
    assert_eq!(lasso("Spec", "WeakFairness"), (1, 0));
}

#[test]
fn always_properties_fail_as_finite_prefixes() {
    for (property, steps) in [("StaysSmall", 3), ("OnlyUp", 4)] {
        let (front, outcome) = run("Weak", property);
        let Outcome::SafetyViolated { name, trace, .. } = outcome else {
            panic!("{property}: expected a safety violation, got {outcome:?}");
        };
        assert_eq!(name, property);
        assert_eq!(trace.steps.len(), steps, "{property}");
        assert_eq!(trace.loop_start, None);
        let named = &front.spec.properties[0];
        replay_safety_property(&front.spec, &trace.steps, named).expect("the trace replays");
    }
}

#[test]
fn the_negation_of_leads_to_is_eventually_p_and_never_after_q() {
    let front = compile_text(
        "Counter",
        COUNTER,
        "SPECIFICATION Spec\nPROPERTY UpLeadsToTwo\n",
        &[],
    );
    let negated = negation(&front.spec, &front.spec.properties[0].expr).expect("supported");
    let Ltl::Eventually(body) = negated else {
        panic!("expected <>(…), got {negated:?}");
    };
    let Ltl::And(parts) = *body else {
        panic!("expected P /\\ [](~Q)");
    };
    assert!(matches!(
        parts[0],
        Ltl::Atom {
            positive: true,
            action: false,
            ..
        }
    ));
    assert!(matches!(
        &parts[1],
        Ltl::Always(q) if matches!(**q, Ltl::Atom { positive: false, .. })
    ));
}

#[test]
fn a_temporal_formula_under_case_is_unsupported() {
    let tla = COUNTER.replace(
        "WeakFairness == WF_x(Next)",
        "WeakFairness == CASE x = 0 -> <>(x = 1) [] OTHER -> TRUE",
    );
    let cfg = "SPECIFICATION Spec\nPROPERTY WeakFairness\n";
    let front = compile_text("Counter", &tla, cfg, &[]);
    let options = Options {
        depth: 2,
        timeout: None,
    };
    let error = check(&front.spec, &front.types, &options).expect_err("unsupported");
    assert_eq!(error.kind, Kind::Unsupported);
    assert_eq!(error.code, "E0700");
}

/// A value is chosen once (`Choose(v)`, set-valued `chosen`), and `x` set once (`Flip`).
const CHOOSE: &str = r#"
---- MODULE Choose ----
EXTENDS Naturals
VARIABLES chosen, x
vars == <<chosen, x>>
Init == chosen = {} /\ x = 0
Flip == x = 0 /\ x' = 1 /\ UNCHANGED chosen
Choose(v) == chosen = {} /\ chosen' = {v} /\ UNCHANGED x
Next == Flip \/ \E v \in {1, 2, 3} : Choose(v)
Spec == Init /\ [][Next]_vars
Live == Spec /\ WF_vars(chosen = {} /\ \E v \in {1, 2, 3} : Choose(v))
Stuck == ~ENABLED (x < 5 /\ (Flip \/ \E v \in {1, 2, 3} : Choose(v)))
StuckOnlyWhenDone == [](Stuck => chosen /= {} /\ x = 1)
NeverStuck == []~Stuck
SomethingChosen == <>(chosen /= {})
====
"#;

fn run_choose(spec: &str, property: &str) -> Outcome {
    let cfg = format!("SPECIFICATION {spec}\nPROPERTY {property}\nCHECK_DEADLOCK FALSE\n");
    let front = compile_text("Choose", CHOOSE, &cfg, &[]);
    let options = Options {
        depth: 4,
        timeout: None,
    };
    let outcome = check(&front.spec, &front.types, &options).expect("the search runs");
    if let Outcome::LivenessViolated { trace, .. } = &outcome {
        replay_lasso(&front.spec, trace, &front.spec.properties[0]).expect("the lasso replays");
    }
    outcome
}

#[test]
fn enabled_solves_the_next_state_under_an_exists_below_the_top() {
    // The `\E` sits under `\/` and `/\`: unless `ENABLED` expands it and solves `chosen'`,
    // the next state is left to a Z3 `exists` over a set, whose negation Z3 gave up on
    // (unknown, incomplete theory of arrays).
    assert_eq!(
        run_choose("Spec", "StuckOnlyWhenDone"),
        Outcome::NoViolation { depth: 4 }
    );
    let Outcome::LivenessViolated { trace, .. } = run_choose("Spec", "NeverStuck") else {
        panic!("expected a lasso");
    };
    // Flip and Choose, in either order, then nothing is enabled.
    assert_eq!(trace.steps.len(), 3);
    // The same for a fairness condition whose action has the `\E` inside a conjunction.
    assert_eq!(
        run_choose("Live", "SomethingChosen"),
        Outcome::NoViolation { depth: 4 }
    );
    assert!(matches!(
        run_choose("Spec", "SomethingChosen"),
        Outcome::LivenessViolated { .. }
    ));
}
