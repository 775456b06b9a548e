//! End-to-end: TLA+ text through the front end, checked by `bmc`, every counterexample
//! replayed by `eval`.

use super::bmc::{check, Options, Outcome};
use crate::eval::{replay, Claim};
use crate::ir::Spec;
use crate::types::Types;
use crate::value::Value;

/// The spec and types of the module `tla` with the model `cfg`, through the whole front end.
fn front_end(name: &str, tla: &str, cfg: &str) -> (Spec, Types) {
    front_end_with(name, tla, cfg, &[])
}

/// `front_end` with more modules (name, text) beside the root one.
fn front_end_with(name: &str, tla: &str, cfg: &str, others: &[(&str, &str)]) -> (Spec, Types) {
    let front = crate::testing::compile_text(name, tla, cfg, others);
    (front.spec, front.types)
}

/// Runs BMC to `depth` and replays any counterexample with `eval`.
fn bmc(spec: &Spec, types: &Types, depth: usize) -> Outcome {
    let options = Options {
        depth,
        timeout: None,
    };
    let outcome =
        check(spec, types, &options, &mut |_, _| {}).unwrap_or_else(|d| panic!("{}", d.message));
    let replayed = match &outcome {
        Outcome::InvariantViolated { name, trace } => {
            Some((Claim::InvariantViolated(name.clone()), trace))
        }
        Outcome::Deadlock { trace } => Some((Claim::Deadlock, trace)),
        _ => None,
    };
    if let Some((claim, trace)) = replayed {
        if let Err(error) = replay(spec, &trace.steps, claim) {
            panic!("the counterexample does not replay: {error}\n{trace:?}");
        }
    }
    outcome
}

fn var(spec: &Spec, name: &str) -> usize {
    spec.vars
        .iter()
        .position(|v| v.name == name)
        .expect("a variable")
}

#[test]
fn die_hard_is_solved_in_exactly_six_steps() {
    let (spec, types) = front_end(
        "DieHard",
        crate::testing::DIE_HARD,
        "INIT Init\nNEXT Next\nINVARIANTS TypeOK NotSolved\n",
    );
    assert_eq!(bmc(&spec, &types, 5), Outcome::NoViolation { depth: 5 });
    let Outcome::InvariantViolated { name, trace } = bmc(&spec, &types, 6) else {
        panic!("expected a violation");
    };
    assert_eq!(name, "NotSolved");
    assert_eq!(trace.steps.len(), 7);
    assert_eq!(trace.steps[6].state[var(&spec, "big")], Value::Int(4));
}

const LOCK: &str = r#"
---- MODULE Lock ----
EXTENDS Naturals, FiniteSets
CONSTANTS Node
VARIABLES holder, pc

Init == holder = {} /\ pc = [n \in Node |-> "idle"]

\* The bug: the check and the take are separate steps.
Check(n) == /\ pc[n] = "idle"
            /\ holder = {}
            /\ pc' = [pc EXCEPT ![n] = "checked"]
            /\ UNCHANGED holder

Take(n) == /\ pc[n] = "checked"
           /\ holder' = holder \cup {n}
           /\ pc' = [pc EXCEPT ![n] = "critical"]

Release(n) == /\ pc[n] = "critical"
              /\ holder' = holder \ {n}
              /\ pc' = [pc EXCEPT ![n] = "idle"]

Next == \E n \in Node : Check(n) \/ Take(n) \/ Release(n)

Mutex == Cardinality(holder) <= 1
AtMostOneCritical == \A a, b \in Node : pc[a] = "critical" /\ pc[b] = "critical" => a = b
====
"#;

#[test]
fn lock_race_is_found_with_the_nodes_that_race() {
    let cfg = "CONSTANT Node = {n1, n2, n3}\nINIT Init\nNEXT Next\nINVARIANT Mutex\n";
    let (spec, types) = front_end("Lock", LOCK, cfg);
    let Outcome::InvariantViolated { name, trace } = bmc(&spec, &types, 6) else {
        panic!("expected a violation");
    };
    assert_eq!(name, "Mutex");
    // Two checks, then two takes.
    assert_eq!(trace.steps.len(), 5);
    let actions: Vec<&str> = trace.steps[1..]
        .iter()
        .map(|s| {
            s.action
                .as_ref()
                .map_or("", |a| spec.actions[a.action].name.as_str())
        })
        .collect();
    assert_eq!(
        actions.iter().filter(|a| **a == "Check").count(),
        2,
        "{actions:?}"
    );
    assert_eq!(
        actions.iter().filter(|a| **a == "Take").count(),
        2,
        "{actions:?}"
    );
    let Value::Set(holders) = &trace.steps[4].state[var(&spec, "holder")] else {
        panic!("holder is a set");
    };
    assert_eq!(holders.len(), 2);
}

#[test]
fn lock_universal_invariant_is_checked_with_skolem_constants() {
    let cfg = "CONSTANT Node = {n1, n2}\nINIT Init\nNEXT Next\nINVARIANT AtMostOneCritical\n";
    let (spec, types) = front_end("Lock", LOCK, cfg);
    let Outcome::InvariantViolated { trace, .. } = bmc(&spec, &types, 6) else {
        panic!("expected a violation");
    };
    assert_eq!(trace.steps.len(), 5);
}

const STUCK: &str = r#"
---- MODULE Stuck ----
EXTENDS Naturals
VARIABLES x
Init == x \in {0, 1}
Next == \/ x < 3 /\ x' = x + 1
        \/ x = 10 /\ x' = 0
====
"#;

#[test]
fn deadlock_from_text() {
    let (spec, types) = front_end("Stuck", STUCK, "INIT Init\nNEXT Next\n");
    assert!(spec.check_deadlock);
    let Outcome::Deadlock { trace } = bmc(&spec, &types, 5) else {
        panic!("expected a deadlock");
    };
    assert_eq!(trace.steps.len(), 3);
    assert_eq!(trace.steps[2].state, vec![Value::Int(3)]);
}

const CHOICE: &str = r#"
---- MODULE Choice ----
EXTENDS Naturals
VARIABLES x, y
Init == x = 0 /\ y = 0
Pick == /\ x < 2
        /\ x' = x + 1
        /\ y' \in {CHOOSE v \in 1..3 : v > x, 7}
Next == Pick
====
"#;

#[test]
fn enabled_with_choose_and_a_chosen_next_value_is_exact() {
    // CHOOSE axioms stay outside the negated ENABLED; `y' \in S` is expanded over S.
    let (spec, types) = front_end("Choice", CHOICE, "INIT Init\nNEXT Next\n");
    assert_eq!(bmc(&spec, &types, 1), Outcome::NoViolation { depth: 1 });
    let Outcome::Deadlock { trace } = bmc(&spec, &types, 4) else {
        panic!("expected a deadlock");
    };
    assert_eq!(trace.steps.len(), 3);
    assert_eq!(trace.steps[2].state[var(&spec, "x")], Value::Int(2));
}

/// Functions over strings (an infinite domain sort), chosen nondeterministically, compared with
/// `=`, and used in guards that `ENABLED` must decide: no quantifier, so no `unknown`.
const STRING_FUNCTIONS: &str = r#"
---- MODULE StringFns ----
EXTENDS Naturals
VARIABLES f, g, n
Init ==
    /\ f \in [{"a", "b"} -> 0..1]
    /\ g = [x \in {"a", "b"} |-> 0]
    /\ n = 0
Bump(k) ==
    /\ f[k] < 2
    /\ f' = [f EXCEPT ![k] = @ + 1]
    /\ IF f' = g THEN n' = n + 1 ELSE n' = n
    /\ UNCHANGED g
Reset ==
    /\ f /= g
    /\ f' = g
    /\ UNCHANGED <<g, n>>
Next == \/ \E k \in {"a", "b"} : Bump(k)
        \/ Reset
TypeOK == f \in [{"a", "b"} -> 0..2] /\ n \in Nat
\* Equality is exact: equal domains and values make equal functions.
SameMeansEqual == (\A k \in {"a", "b"} : f[k] = g[k]) => f = g
Small == n < 1
====
"#;

#[test]
fn functions_over_strings_are_decided_without_quantifiers() {
    let cfg = "INIT Init\nNEXT Next\nINVARIANTS TypeOK SameMeansEqual\n";
    let (spec, types) = front_end("StringFns", STRING_FUNCTIONS, cfg);
    assert_eq!(
        bmc(&spec, &types, 6),
        Outcome::NoViolation { depth: 6 },
        "the invariants hold and deadlock freedom is decided"
    );
}

#[test]
fn equality_of_string_functions_finds_the_shortest_violation() {
    // `f` may start as all zeros, which is `g` written another way: the violation is the
    // initial state, found only if `=` compares the values, not the representation.
    let cfg = "INIT Init\nNEXT Next\nINVARIANT NotG\n";
    let tla = STRING_FUNCTIONS.replace(
        "Small == n < 1",
        "Small == n < 1\nNotG == ~(f = [x \\in {\"b\", \"a\"} |-> 1 - 1]) \\/ n > 5",
    );
    let (spec, types) = front_end("StringFns", &tla, cfg);
    match bmc(&spec, &types, 4) {
        Outcome::InvariantViolated { name, trace } => {
            assert_eq!(name, "NotG");
            assert_eq!(trace.steps.len(), 1, "f may start equal to g: {trace:?}");
        }
        other => panic!("expected a violation of NotG, got {other:?}"),
    }
}

/// The corpus's single-switch prisoners: a function over strings as a state variable. Each
/// invariant used to be `unknown` (incomplete array theory) at depth 0.
#[test]
fn prisoners_with_string_functions_are_decided() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/tla-examples/specifications/Prisoners_Single_Switch/Prisoner.tla");
    let Ok(prisoner) = std::fs::read_to_string(&path) else {
        eprintln!("corpus not found: skipped");
        return;
    };
    let tla = r#"
---- MODULE W ----
EXTENDS Prisoner
T1 == count \in 1 .. VictoryThreshold + 1
T3 == signalled \in [ NormalPrisoner -> 0 .. 2 ]
T5 == has_visited \subseteq Prisoner
====
"#;
    let cfg = "CONSTANTS\n  Prisoner = {\"Alice\", \"Bob\", \"Eve\"}\n  Light_Unknown = FALSE\n\
               SPECIFICATION Spec\nINVARIANTS T1 T3 T5\n";
    let (spec, types) = front_end_with("W", tla, cfg, &[("Prisoner", &prisoner)]);
    assert_eq!(bmc(&spec, &types, 8), Outcome::NoViolation { depth: 8 });
}

/// `Next == /\ \E self \in Proc : ...` keeps its `\E` in the action body. `ENABLED` expands it
/// over `Proc` and splits the disjunction, so every branch is quantifier-free; as one `exists`
/// over functions of integers it once made Z3 report a deadlock that did not replay.
#[test]
fn enabled_expands_an_existential_left_in_the_body() {
    let tla = r#"
---- MODULE Byz ----
EXTENDS Naturals
VARIABLES n, pc
vars == <<n, pc>>
Proc == 1..3
Init == n = 0 /\ pc \in [Proc -> {"V0", "V1"}]
Echo(i) == pc[i] = "V1" /\ pc' = [pc EXCEPT ![i] = "EC"] /\ n' = n + 1
Turn(i) == n < 1 /\ pc[i] = "V0" /\ n' = n + 1 /\ pc' = [pc EXCEPT ![i] = "BYZ"]
Next ==
  /\ \E self \in Proc :
        \/ Echo(self)
        \/ Turn(self)
        \/ UNCHANGED vars
====
"#;
    let (spec, types) = front_end("Byz", tla, "INIT Init\nNEXT Next\n");
    assert!(spec.check_deadlock);
    assert_eq!(bmc(&spec, &types, 3), Outcome::NoViolation { depth: 3 });
}

/// Strings are an enumeration of the spec's strings only when no other string can occur: with
/// `STRING`, Z3's strings find the value no literal names.
#[test]
fn a_string_that_no_literal_names_is_found() {
    let tla = r#"
---- MODULE AnyString ----
VARIABLE x
Init == x = "a"
Next == x' \in STRING
Named == x \in {"a", "b"}
====
"#;
    let (spec, types) = front_end("AnyString", tla, "INIT Init\nNEXT Next\nINVARIANT Named\n");
    let Outcome::InvariantViolated { name, trace } = bmc(&spec, &types, 2) else {
        panic!("x' \\in STRING may leave {{\"a\", \"b\"}}");
    };
    assert_eq!(name, "Named");
    assert_eq!(trace.steps.len(), 2);
}

/// The field names in `DOMAIN r` are strings too, and so are the constants' values: all are
/// members of the enumeration, and decode to themselves.
#[test]
fn field_names_and_configured_strings_are_strings_of_the_spec() {
    let tla = r#"
---- MODULE Tags ----
CONSTANT Busy
VARIABLES r, f, pc
Init == r = [n |-> 0, m |-> 1] /\ f = [s \in {"a", "b"} |-> 0] /\ pc = "idle"
Next == /\ pc' = Busy
        /\ f' = [f EXCEPT !["a"] = f["b"] + 1]
        /\ UNCHANGED r
Fields == DOMAIN r = {"m", "n"} /\ "idle" \notin DOMAIN r
Keys == f["a"] = 0 \/ pc = Busy
Idle == pc = "idle"
====
"#;
    let cfg = "INIT Init\nNEXT Next\nINVARIANTS Fields Keys Idle\nCONSTANT Busy = \"busy\"\n";
    let (spec, types) = front_end("Tags", tla, cfg);
    let Outcome::InvariantViolated { name, trace } = bmc(&spec, &types, 3) else {
        panic!("pc becomes Busy");
    };
    assert_eq!(name, "Idle");
    assert_eq!(trace.steps.len(), 2);
    let last = &trace.steps[1].state;
    assert_eq!(last[var(&spec, "pc")], Value::Str("busy".into()));
    let f = Value::Fn(
        [("a", 1), ("b", 0)]
            .into_iter()
            .map(|(k, v)| (Value::Str(k.into()), Value::Int(v)))
            .collect(),
    );
    assert_eq!(last[var(&spec, "f")], f);
}
