//! The graph search against the bounded lasso search, on a small spec with many property
//! forms: both must give the same verdicts and counterexample lengths.

use super::{check, Answer, Budget};
use crate::engine::liveness::{self, Outcome};
use crate::engine::Options;
use crate::eval::lasso::replay_lasso;
use crate::testing::compile_text;

/// A counter that goes up to 2 and is reset, and a bit that flips independently.
const TOGGLE: &str = r#"
---- MODULE Toggle ----
EXTENDS Naturals
VARIABLES x, y
vars == <<x, y>>
Init == x = 0 /\ y = 0
Up == x < 2 /\ x' = x + 1 /\ UNCHANGED y
Reset == x = 2 /\ x' = 0 /\ UNCHANGED y
Flip == y' = 1 - y /\ UNCHANGED x
Next == Up \/ Reset \/ Flip
Spec == Init /\ [][Next]_vars
Weak == Spec /\ WF_vars(Next)
Fair == Spec /\ WF_vars(Up) /\ SF_vars(Reset)
Counting == Spec /\ \A a \in {"up", "reset"} :
              WF_vars(IF a = "up" THEN Up ELSE Reset)
ReachesTwo == <>(x = 2)
InfinitelyOften == []<>(x = 0)
StaysSmall == [](x < 2)
OnlyUp == [][x' > x]_x
SettlesAtTwo == <>[](x = 2)
UpLeadsToTwo == x = 1 ~> x = 2
AllValues == \A v \in {0, 1, 2} : <>(x = v)
Parity == IF x = 0 THEN <>(x = 2) ELSE <>(x = 0)
ResetsOften == []<><<Reset>>_vars
FlipsOrSettles == []<>(y = 1) \/ <>[](x = 2)
UpIsFair == WF_vars(Up)
TwoTriggers == (x = 1 ~> x = 2) \/ (y = 1 ~> y = 0)
====
"#;

const SPECS: [&str; 4] = ["Spec", "Weak", "Fair", "Counting"];

const PROPERTIES: [&str; 11] = [
    "ReachesTwo",
    "InfinitelyOften",
    "StaysSmall",
    "OnlyUp",
    "SettlesAtTwo",
    "UpLeadsToTwo",
    "AllValues",
    "Parity",
    "ResetsOften",
    "FlipsOrSettles",
    "UpIsFair",
];

fn front(spec: &str, property: &str) -> crate::cli::Frontend {
    let cfg = format!("SPECIFICATION {spec}\nPROPERTY {property}\nCHECK_DEADLOCK FALSE\n");
    compile_text("Toggle", TOGGLE, &cfg, &[])
}

fn graph_search(front: &crate::cli::Frontend) -> Answer {
    let budget = Budget {
        max_states: 100,
        deadline: None,
    };
    check(&front.spec, budget).expect("the graph search runs")
}

/// The verdict and the counterexample's length; a lasso is certified first.
fn summary(front: &crate::cli::Frontend, answer: &Answer) -> String {
    match answer {
        Answer::Holds { .. } => "holds".into(),
        Answer::SafetyViolated { trace, .. } => format!("fails after {} states", trace.len()),
        Answer::LivenessViolated { trace, .. } => {
            replay_lasso(&front.spec, trace, &front.spec.properties[0])
                .unwrap_or_else(|e| panic!("the lasso does not replay: {}", e.message));
            format!("fails on a lasso of {} states", trace.steps.len())
        }
        other => format!("{other:?}"),
    }
}

fn bounded_summary(front: &crate::cli::Frontend) -> String {
    let options = Options {
        depth: 8,
        timeout: None,
    };
    match liveness::check(&front.spec, &front.types, &options).expect("the lasso search runs") {
        Outcome::NoViolation { .. } => "holds".into(),
        Outcome::SafetyViolated { trace, .. } => {
            format!("fails after {} states", trace.steps.len())
        }
        Outcome::LivenessViolated { trace, .. } => {
            format!("fails on a lasso of {} states", trace.steps.len())
        }
        Outcome::Unknown { reason, .. } => format!("unknown: {reason}"),
    }
}

#[test]
fn the_graph_search_agrees_with_the_lasso_search() {
    for spec in SPECS {
        for property in PROPERTIES {
            let front = front(spec, property);
            let explicit = summary(&front, &graph_search(&front));
            assert_eq!(explicit, bounded_summary(&front), "{property} under {spec}");
        }
    }
}

#[test]
fn strong_fairness_is_refined_to_the_states_where_reset_is_disabled() {
    // Under WF(Up) /\ SF(Reset) the counter cannot stay at 2 while flipping: Reset is enabled
    // there infinitely often. It reaches 0 again and again.
    let front = front("Fair", "InfinitelyOften");
    assert_eq!(graph_search(&front), Answer::Holds { states: 6 });
}

#[test]
fn a_property_outside_the_clauses_is_left_to_the_lasso_search() {
    let front = front("Weak", "TwoTriggers");
    assert!(
        matches!(graph_search(&front), Answer::Unsupported(_)),
        "two leads-to in one disjunct need two triggers"
    );
}
