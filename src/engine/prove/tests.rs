//! The proof engine on small specs given as text; the engine certifies every counterexample
//! it returns (one that does not certify is an error, which fails the test).

use super::*;
use crate::cli::{compile, Frontend};
use crate::testing::write_spec;

/// The module `tla` with model `cfg` through the front end, with `inv` and `props` as its
/// invariants (in that order), and the options to prove them.
fn front_end(tla: &str, cfg: &str, inv: &str, props: &[&str], k: usize) -> (Frontend, Options) {
    let path = write_spec("Spec", tla, cfg, &[]);
    let mut names = vec![inv.to_string()];
    names.extend(props.iter().map(|p| p.to_string()));
    let sema_options = crate::sema::Options {
        invariants: names,
        ..Default::default()
    };
    let front = match compile(&path, None, &sema_options) {
        Ok((front, _)) => front,
        Err(error) => panic!("{}", error.diagnostic.render(&error.sources, false)),
    };
    let options = Options {
        inductive: vec![0],
        properties: (1..=props.len()).collect(),
        k,
        timeout: None,
    };
    (front, options)
}

/// Proves `inv` (and `props`) for the module `tla` with model `cfg`.
fn prove_text(tla: &str, cfg: &str, inv: &str, props: &[&str], k: usize) -> Vec<Outcome> {
    let (front, options) = front_end(tla, cfg, inv, props, k);
    prove(&front.spec, &front.types, &options).unwrap_or_else(|d| panic!("{}", d.message))
}

/// The verdicts as short words, in obligation order.
fn verdicts(outcomes: &[Outcome]) -> Vec<&'static str> {
    outcomes
        .iter()
        .map(|o| match o.verdict {
            Verdict::Proved => "proved",
            Verdict::Violated(..) => "violated",
            Verdict::Unknown(_) => "unknown",
        })
        .collect()
}

fn counterexample(outcome: &Outcome) -> &Counterexample {
    match &outcome.verdict {
        Verdict::Violated(cex, _) => cex,
        other => panic!("expected a counterexample, found {other:?}"),
    }
}

/// A counter up to a bound `N` the config leaves open.
const COUNTER: &str = r#"
---- MODULE Spec ----
EXTENDS Naturals
CONSTANT N
ASSUME N \in Nat /\ N >= 1
VARIABLE x
Init == x = 0
Inc == x < N /\ x' = x + 1
Reset == x = N /\ x' = 0
Next == Inc \/ Reset
InRange == x \in 0..N
Small == x < N
Wrong == x < N
====
"#;

#[test]
fn a_bounded_counter_is_proved_for_every_bound() {
    let outcomes = prove_text(COUNTER, "INIT Init NEXT Next", "InRange", &[], 1);
    assert_eq!(verdicts(&outcomes), ["proved", "proved", "proved"]);
    assert_eq!(
        outcomes.iter().map(|o| &o.obligation).collect::<Vec<_>>(),
        [
            &Obligation::Initiation,
            &Obligation::Consecution(0),
            &Obligation::Consecution(1)
        ]
    );
}

#[test]
fn a_non_inductive_invariant_gets_a_counterexample_at_small_constants() {
    let outcomes = prove_text(COUNTER, "INIT Init NEXT Next", "Wrong", &[], 1);
    assert_eq!(verdicts(&outcomes), ["proved", "violated", "proved"]);
    let cex = counterexample(&outcomes[1]);
    // The step Inc from x = N - 1 to x = N, at the smallest N the shrinking tries.
    assert_eq!(cex.constants, [Some(Value::Int(1))]);
    let states: Vec<&Vec<Value>> = cex.steps.iter().map(|s| &s.state).collect();
    assert_eq!(states, [&vec![Value::Int(0)], &vec![Value::Int(1)]]);
}

#[test]
fn an_implication_failure_is_a_single_state() {
    let outcomes = prove_text(COUNTER, "INIT Init NEXT Next", "InRange", &["Small"], 1);
    assert_eq!(
        verdicts(&outcomes),
        ["proved", "proved", "proved", "violated"]
    );
    let cex = counterexample(&outcomes[3]);
    assert_eq!(cex.steps.len(), 1);
    let (Some(Value::Int(n)), Value::Int(x)) = (&cex.constants[0], &cex.steps[0].state[0]) else {
        panic!("unexpected counterexample {cex:?}");
    };
    assert_eq!(x, n);
}

/// `a` copies `b` and `b` copies `a`: `a = 0` is preserved by two steps but not by one.
const SWAP: &str = r#"
---- MODULE Spec ----
EXTENDS Naturals
VARIABLES a, b
Init == a = 0 /\ b = 0
Swap == a' = b /\ b' = a
Next == Swap
AIsZero == a = 0
====
"#;

#[test]
fn k_induction_proves_what_plain_induction_cannot() {
    let plain = prove_text(SWAP, "INIT Init NEXT Next", "AIsZero", &[], 1);
    assert_eq!(verdicts(&plain), ["proved", "violated"]);
    let cti = counterexample(&plain[1]);
    assert_eq!(cti.steps[0].state[0], Value::Int(0));
    assert_ne!(cti.steps[1].state[0], Value::Int(0));
    let two = prove_text(SWAP, "INIT Init NEXT Next", "AIsZero", &[], 2);
    assert_eq!(verdicts(&two), ["proved", "proved"]);
}

#[test]
fn initiation_failure_at_k_is_a_behaviour_from_an_initial_state() {
    let tla = SWAP.replace("Init == a = 0 /\\ b = 0", "Init == a = 0 /\\ b = 1");
    let outcomes = prove_text(&tla, "INIT Init NEXT Next", "AIsZero", &[], 2);
    assert_eq!(verdicts(&outcomes)[0], "violated");
    let trace = counterexample(&outcomes[0]);
    assert_eq!(trace.steps.len(), 2);
    assert_eq!(trace.steps[1].state, [Value::Int(1), Value::Int(0)]);
}

/// A lock over a set `Node` of model values of unknown size.
const LOCK: &str = r#"
---- MODULE Spec ----
EXTENDS FiniteSets
CONSTANT Node
VARIABLE holders
Init == holders = {}
Acquire(n) == holders = {} /\ holders' = {n}
Grab(n) == holders' = holders \cup {n}
Release(n) == n \in holders /\ holders' = holders \ {n}
Next == \E n \in Node : Acquire(n) \/ Release(n)
BadNext == \E n \in Node : Grab(n) \/ Release(n)
AtMostOne == \A a, b \in holders : a = b
TypeOK == holders \subseteq Node
Inv == TypeOK /\ AtMostOne
AllSame == \A a, b \in Node : a = b
Many == Cardinality(Node) > 0
====
"#;

#[test]
fn mutual_exclusion_is_proved_for_a_symbolic_set_of_model_values() {
    let outcomes = prove_text(LOCK, "INIT Init NEXT Next", "Inv", &["AtMostOne"], 1);
    assert_eq!(
        verdicts(&outcomes),
        ["proved", "proved", "proved", "proved"]
    );
}

#[test]
fn a_cti_over_a_symbolic_set_names_its_anonymous_elements() {
    let outcomes = prove_text(LOCK, "INIT Init NEXT BadNext", "Inv", &[], 1);
    assert_eq!(verdicts(&outcomes), ["proved", "violated", "proved"]);
    let cti = counterexample(&outcomes[1]);
    let Some(Value::Set(nodes)) = &cti.constants[0] else {
        panic!("Node has no set value: {cti:?}");
    };
    assert!(nodes.len() >= 2, "two nodes are needed to break AtMostOne");
    assert!(nodes
        .iter()
        .all(|n| matches!(n, Value::ModelValue(name) if name.starts_with("mv"))));
}

#[test]
fn a_symbolic_set_of_model_values_is_not_bounded_by_the_named_ones() {
    // With the model values as an enumeration of those the spec names (none here), every
    // set of them would have at most one element, and AllSame would be "proved".
    let outcomes = prove_text(LOCK, "INIT Init NEXT Next", "Inv", &["AllSame"], 1);
    assert_eq!(verdicts(&outcomes)[3], "violated");
}

#[test]
fn what_the_cardinality_axioms_leave_open_is_unknown() {
    // False (Node may be empty), but Z3 cannot refute it with `card` known by axioms only:
    // the verdict is `unknown`, and says why.
    let outcomes = prove_text(LOCK, "INIT Init NEXT Next", "Inv", &["Many"], 1);
    assert_eq!(verdicts(&outcomes)[3], "unknown");
    let Verdict::Unknown(reason) = &outcomes[3].verdict else {
        unreachable!("checked above");
    };
    assert!(reason.ends_with(APPROXIMATE_CARDINALITY), "{reason}");
}

#[test]
fn two_majorities_of_a_symbolic_set_share_an_element() {
    let tla = LOCK.replace(
        "====",
        "Majority(S) == S \\subseteq Node /\\ 2 * Cardinality(S) > Cardinality(Node)\n\
         Meet == \\A a, b \\in SUBSET holders :\n\
                    Majority(a) /\\ Majority(b) => a \\cap b /= {}\n\
         ====",
    );
    let outcomes = prove_text(&tla, "INIT Init NEXT Next", "Inv", &["Meet"], 1);
    assert_eq!(verdicts(&outcomes)[3], "proved");
}

/// A set of integers a variable holds is counted exactly only within the spec's integers;
/// beyond them its size is known only by axioms, so a counterexample to induction that
/// needs such a size is not shown but left unknown.
const INTEGERS: &str = r#"
---- MODULE Spec ----
EXTENDS Naturals, FiniteSets
VARIABLE s
Init == s = {}
Next == \E n \in 1..3 : s' = s \cup {n}
Small == Cardinality(s) <= 3
====
"#;

#[test]
fn a_cti_resting_on_an_approximate_cardinality_is_unknown() {
    let outcomes = prove_text(INTEGERS, "INIT Init NEXT Next", "Small", &[], 1);
    assert_eq!(verdicts(&outcomes), ["proved", "unknown"]);
    let Verdict::Unknown(reason) = &outcomes[1].verdict else {
        unreachable!("checked above")
    };
    assert!(reason.contains("known only by its axioms"), "{reason}");
}

#[test]
fn conjuncts_are_split_through_nested_conjunctions() {
    let (front, _) = front_end(LOCK, "INIT Init NEXT Next", "Inv", &[], 1);
    let inv = &front.spec.invariants[0].expr;
    assert_eq!(conjuncts(inv).len(), 2);
}

/// An unbounded counter, explored (as TLC explores it) only while `x < 5`.
const CONSTRAINED: &str = r#"
---- MODULE Spec ----
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x' = x + 1
AtMostFive == x <= 5
Small == x < 5
====
"#;

#[test]
fn state_constraints_restrict_the_states_a_step_leaves_from() {
    let unconstrained = prove_text(CONSTRAINED, "INIT Init NEXT Next", "AtMostFive", &[], 1);
    assert_eq!(verdicts(&unconstrained), ["proved", "violated"]);
    let cfg = "INIT Init NEXT Next CONSTRAINT Small";
    for k in [1, 3] {
        let constrained = prove_text(CONSTRAINED, cfg, "AtMostFive", &[], k);
        assert_eq!(verdicts(&constrained), ["proved", "proved"], "k = {k}");
    }
}

/// A lease whose holder may be `NoOne`, a model value the `ASSUME` keeps out of the
/// symbolic `Client`; `Write` may be stale (no fencing).
const LEASE: &str = r#"
---- MODULE Spec ----
EXTENDS Naturals
CONSTANTS Client, NoOne, MaxToken
ASSUME MaxToken \in Nat /\ NoOne \notin Client
VARIABLES holder, nextToken, belief, storageToken, staleWrites
vars == <<holder, nextToken, belief, storageToken, staleWrites>>
TypeOK ==
    /\ holder \in Client \cup {NoOne}
    /\ nextToken \in 1..MaxToken + 1
    /\ belief \in [Client -> 0..MaxToken]
    /\ storageToken \in 0..MaxToken
    /\ staleWrites \in Nat
Init ==
    /\ holder = NoOne
    /\ nextToken = 1
    /\ belief = [c \in Client |-> 0]
    /\ storageToken = 0
    /\ staleWrites = 0
Acquire(c) ==
    /\ holder = NoOne
    /\ nextToken <= MaxToken
    /\ holder' = c
    /\ belief' = [belief EXCEPT ![c] = nextToken]
    /\ nextToken' = nextToken + 1
    /\ UNCHANGED <<storageToken, staleWrites>>
Expire ==
    /\ holder /= NoOne
    /\ holder' = NoOne
    /\ UNCHANGED <<nextToken, belief, storageToken, staleWrites>>
Write(c) ==
    /\ belief[c] /= 0
    /\ staleWrites' = IF belief[c] < storageToken THEN staleWrites + 1 ELSE staleWrites
    /\ storageToken' = IF belief[c] > storageToken THEN belief[c] ELSE storageToken
    /\ UNCHANGED <<holder, nextToken, belief>>
Release(c) ==
    /\ belief[c] /= 0
    /\ belief' = [belief EXCEPT ![c] = 0]
    /\ holder' = IF holder = c THEN NoOne ELSE holder
    /\ UNCHANGED <<nextToken, storageToken, staleWrites>>
Next ==
    \/ \E c \in Client : Acquire(c) \/ Write(c) \/ Release(c)
    \/ Expire
IndInv ==
    /\ TypeOK
    /\ staleWrites = 0
    /\ \A c \in Client : belief[c] < nextToken
    /\ storageToken < nextToken
====
"#;

#[test]
fn a_cti_is_decoded_as_the_model_has_it_not_as_model_completion_rewrites_it() {
    // Z3's model here gives `Client` as a function whose `else` depends on its argument;
    // completing it while evaluating put `NoOne` into `Client`, and the CTI broke the ASSUME.
    let cfg = "INIT Init NEXT Next CONSTANTS NoOne = NoOne MaxToken = 2";
    let outcomes = prove_text(LEASE, cfg, "IndInv", &[], 1);
    assert_eq!(
        verdicts(&outcomes),
        ["proved", "proved", "violated", "proved", "proved"]
    );
    let cti = counterexample(&outcomes[2]);
    let Some(Value::Set(clients)) = &cti.constants[0] else {
        panic!("Client has no set value: {cti:?}");
    };
    assert!(!clients.is_empty(), "a stale write needs a client");
    assert!(!clients.contains(&Value::ModelValue("NoOne".into())));
}

/// `tests/fixtures/prove/Members.tla` through the front end with `inv` as its invariant:
/// as the config has it, and with `symbolic` left symbolic.
fn members(inv: &str, symbolic: &[&str]) -> Frontend {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/prove/Members.tla");
    let options = crate::sema::Options {
        invariants: vec![inv.to_string()],
        symbolic: symbolic.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    match compile(&path, None, &options) {
        Ok((front, _)) => front,
        Err(error) => panic!("{}", error.diagnostic.render(&error.sources, false)),
    }
}

fn one_invariant() -> Options {
    Options {
        inductive: vec![0],
        properties: Vec::new(),
        k: 1,
        timeout: None,
    }
}

#[test]
fn the_general_question_leaves_the_configured_sets_of_model_values_symbolic() {
    let exact = members("Honest", &[]);
    assert_eq!(general::generalizable(&exact.spec), ["Proc", "Byz"]);
    let open = members("Honest", &["Proc", "Byz"]);
    let general = general::general(&exact.spec, &open.spec, &open.types)
        .expect("the two specs differ only in Proc and Byz");
    let configured: Vec<(ConstId, usize)> = general
        .configured
        .iter()
        .map(|(id, value)| match value {
            Value::Set(items) => (*id, items.len()),
            other => panic!("{other:?} is no set"),
        })
        .collect();
    assert_eq!(configured, [(ConstId(0), 10), (ConstId(1), 2)]);
}

/// An integer is left symbolic only when fixing it would list many elements: `NumSteps = 3`
/// left symbolic beside a symbolic set of sagas made every consecution of the saga undecided.
#[test]
fn the_general_question_keeps_small_integers_at_their_values() {
    let tla = "---- MODULE Spec ----
EXTENDS Naturals
CONSTANTS Node, Steps, Size
VARIABLE x
Init == x \\in Node
Next == x' \\in Node /\\ Steps + Size > 0
Inv == x \\in Node
====";
    let cfg = "INIT Init\nNEXT Next\nCONSTANTS\n    Node = {n1, n2}\n    Steps = 8\n    Size = 9\n";
    let (front, _) = front_end(tla, cfg, "Inv", &[], 1);
    assert_eq!(general::generalizable(&front.spec), ["Node", "Size"]);
}

/// `Honest` holds initially only because the config puts `Leader` in `Proc` and not in
/// `Byz`, which the general question keeps of the sets; `ByzAreProcs` holds of the configured
/// sets but not of every pair of sets, so only the configured constants prove it.
#[test]
fn the_general_question_proves_with_the_named_members_and_leaves_the_rest_to_the_config() {
    let options = one_invariant();
    let exact = members("Honest", &[]);
    let open = members("Honest", &["Proc", "Byz"]);
    let general = general::general(&exact.spec, &open.spec, &open.types).expect("general");
    for obligation in [Obligation::Initiation, Obligation::Consecution(0)] {
        let answer =
            answer_in_general(&exact.spec, &general, &options, &obligation, GENERAL_BUDGET);
        assert_eq!(answer, GeneralAnswer::Decided(Verdict::Proved));
    }
    let exact = members("ByzAreProcs", &[]);
    let open = members("ByzAreProcs", &["Proc", "Byz"]);
    let general = general::general(&exact.spec, &open.spec, &open.types).expect("general");
    let initiation = Obligation::Initiation;
    let answer = answer_in_general(&exact.spec, &general, &options, &initiation, GENERAL_BUDGET);
    assert_eq!(answer, GeneralAnswer::Undecided);
    let outcomes = prove_with(&exact.spec, &exact.types, Some(&general), &options)
        .unwrap_or_else(|d| panic!("{}", d.message));
    assert_eq!(verdicts(&outcomes), ["proved", "proved"]);
}

/// What the general question does not prove is asked of the configured constants, whose
/// counterexample comes certified, with the conjunct it breaks.
#[test]
fn a_counterexample_at_the_configured_sets_comes_with_its_certificate() {
    let exact = members("StaysLeader", &[]);
    let open = members("StaysLeader", &["Proc", "Byz"]);
    let general = general::general(&exact.spec, &open.spec, &open.types).expect("general");
    let outcomes = prove_with(&exact.spec, &exact.types, Some(&general), &one_invariant())
        .unwrap_or_else(|d| panic!("{}", d.message));
    assert_eq!(verdicts(&outcomes), ["proved", "violated"]);
    let Verdict::Violated(cti, certificate) = &outcomes[1].verdict else {
        panic!("no counterexample: {:?}", outcomes[1].verdict);
    };
    assert_eq!(certificate.broken_conjunct, Some(0));
    let leader = vec![Value::ModelValue("p1".into())];
    assert_eq!(cti.steps[0].state, leader);
    assert_ne!(cti.steps[1].state, leader);
}
