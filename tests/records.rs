//! Records with optional fields and model values mixed with other values (issue #4), checked
//! end to end: `check` agrees with the explicit-state explorer (`smtcheck explore`) on the
//! verdict and the length of the shortest counterexample, and shows the values as TLC would.

#[path = "support/binary.rs"]
mod binary;
use binary::actions;
mod support;

use std::path::Path;
use support::{compare_file, write_spec, Budget, Comparison};

/// Messages of two kinds: a "Prepared" one has the field `rm` that a "Commit" one lacks. The
/// coordinator commits after the first "Prepared" message instead of waiting for all.
const MESSAGES: &str = r#"
---- MODULE Msgs ----
CONSTANTS RM
VARIABLES msgs, decided
Init == msgs = {} /\ decided = "none"
Prepare(r) == /\ [type |-> "Prepared", rm |-> r] \notin msgs
              /\ msgs' = msgs \cup {[type |-> "Prepared", rm |-> r]}
              /\ UNCHANGED decided
Commit == /\ decided = "none"
          /\ \E m \in msgs : m.type = "Prepared" /\ m.rm \in RM
          /\ msgs' = msgs \cup {[type |-> "Commit"]}
          /\ decided' = "commit"
Next == Commit \/ \E r \in RM : Prepare(r)
TypeOK == msgs \subseteq [type : {"Prepared"}, rm : RM] \cup [type : {"Commit"}]
Safe == [type |-> "Commit"] \in msgs => \A r \in RM : [type |-> "Prepared", rm |-> r] \in msgs
====
"#;

const MESSAGES_CFG: &str = "CONSTANT RM = {r1, r2}\nINIT Init\nNEXT Next\n\
                            INVARIANTS TypeOK Safe\nCHECK_DEADLOCK FALSE\n";

/// The same coordinator, waiting for every "Prepared" message: safe.
fn messages_fixed() -> String {
    MESSAGES.replace(
        r#"\E m \in msgs : m.type = "Prepared" /\ m.rm \in RM"#,
        r#"\A r \in RM : \E m \in msgs : m.type = "Prepared" /\ m.rm = r"#,
    )
}

/// A spanning tree grown from `root`: `NoPrnt` marks a node without a parent (or distance)
/// among the integers that name nodes and count hops.
const PARENTS: &str = r#"
---- MODULE Parents ----
EXTENDS Naturals
CONSTANTS NoPrnt, Proc, root
VARIABLES prnt, hops
Init == /\ prnt = [i \in Proc |-> IF i = root THEN root ELSE NoPrnt]
        /\ hops = [i \in Proc |-> IF i = root THEN 0 ELSE NoPrnt]
Adopt(i, j) == /\ prnt[i] = NoPrnt
               /\ prnt[j] /= NoPrnt
               /\ prnt' = [prnt EXCEPT ![i] = j]
               /\ hops' = [hops EXCEPT ![i] = hops[j] + 1]
Next == \E i, j \in Proc : Adopt(i, j)
Short == \A i \in Proc : hops[i] = NoPrnt \/ hops[i] < 2
Reached == \A i \in Proc : prnt[i] /= NoPrnt => hops[i] \in 0..2
====
"#;

const PARENTS_CFG: &str = "CONSTANTS NoPrnt = NoPrnt\n Proc = {1, 2, 3}\n root = 1\n\
                           INIT Init\nNEXT Next\nINVARIANT Short\n";

const BUDGET: Budget = Budget {
    depth: 6,
    max_states: 10_000,
    solver_timeout: std::time::Duration::from_secs(60),
};

fn agree(name: &str, tla: &str, cfg: &str) {
    let file = write_spec(name, tla, cfg);
    assert_eq!(compare_file(&file, None, BUDGET), Comparison::Agree);
}

fn check(name: &str, tla: &str, cfg: &str, depth: usize) -> binary::Run {
    let file = write_spec(name, tla, cfg);
    let dir = file.parent().unwrap_or(Path::new("."));
    let depth = depth.to_string();
    binary::smtcheck(dir, &["check", &format!("{name}.tla"), "--depth", &depth])
}

#[test]
fn records_with_optional_fields_agree_with_the_explorer() {
    agree("Msgs", MESSAGES, MESSAGES_CFG);
    agree(
        "MsgsFixed",
        &messages_fixed().replace("Msgs", "MsgsFixed"),
        MESSAGES_CFG,
    );
}

#[test]
fn a_counterexample_shows_each_record_with_the_fields_it_has() {
    let run = check(
        "MsgsTrace",
        &MESSAGES.replace("Msgs", "MsgsTrace"),
        MESSAGES_CFG,
        5,
    );
    assert_eq!(run.code, 12, "{}{}", run.stdout, run.stderr);
    assert!(run
        .stdout
        .starts_with("Invariant Safe is violated by a behaviour of 2 steps."));
    let steps = actions(&run.stdout);
    assert_eq!(steps.len(), 2, "{}", run.stdout);
    assert!(steps[0].starts_with("Prepare(r"), "{steps:?}");
    assert_eq!(steps[1], "Commit");
    let last = run.stdout.lines().rev().find(|l| l.starts_with("/\\ msgs"));
    let last = last.unwrap_or_default();
    assert!(
        last.starts_with("/\\ msgs = {[rm |-> r")
            && last.ends_with(", type |-> \"Prepared\"], [type |-> \"Commit\"]}"),
        "{last}"
    );
}

#[test]
fn the_violation_is_not_found_one_step_short_of_it() {
    let run = check(
        "MsgsShort",
        &MESSAGES.replace("Msgs", "MsgsShort"),
        MESSAGES_CFG,
        1,
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout.trim(),
        "No invariant violation in any behaviour of up to 1 steps."
    );
}

#[test]
fn a_model_value_among_integers_agrees_with_the_explorer() {
    agree("Parents", PARENTS, PARENTS_CFG);
    let reached = PARENTS_CFG.replace("INVARIANT Short", "INVARIANT Reached");
    agree(
        "ParentsReached",
        &PARENTS.replace("Parents", "ParentsReached"),
        &reached,
    );
}

#[test]
fn a_model_value_among_integers_is_shown_by_name() {
    let run = check(
        "ParentsTrace",
        &PARENTS.replace("Parents", "ParentsTrace"),
        PARENTS_CFG,
        5,
    );
    assert_eq!(run.code, 12, "{}{}", run.stdout, run.stderr);
    assert!(run
        .stdout
        .starts_with("Invariant Short is violated by a behaviour of 2 steps."));
    assert!(run.stdout.contains(
        "State 1: <Initial predicate>\n/\\ prnt = <<1, NoPrnt, NoPrnt>>\n/\\ hops = <<0, NoPrnt, NoPrnt>>\n"
    ));
    assert_eq!(actions(&run.stdout).len(), 2);
    assert!(actions(&run.stdout).iter().all(|a| a.starts_with("Adopt(")));
}

#[test]
fn a_tree_that_cannot_grow_deadlocks_as_the_explorer_finds() {
    let cfg = PARENTS_CFG.replace("INVARIANT Short", "INVARIANT Reached");
    let tla = PARENTS.replace("Parents", "ParentsDeadlock");
    agree("ParentsDeadlock", &tla, &cfg);
    let run = check(
        "ParentsDeadlock2",
        &tla.replace("ParentsDeadlock", "ParentsDeadlock2"),
        &cfg,
        5,
    );
    assert_eq!(run.code, 11, "{}{}", run.stdout, run.stderr);
    assert_eq!(actions(&run.stdout).len(), 2, "{}", run.stdout);
}

/// A log whose free slots hold a sentinel, filled at the first free index found by CHOOSE
/// (as CheckpointCoordination does): the CHOOSE over a defined set used to stop the encoding
/// with an internal error ("expression without a type").
const FIRST_FREE: &str = r#"
---- MODULE FirstFree ----
EXTENDS Naturals
CONSTANTS None
VARIABLES log
Idx == 1..3
Open == {i \in Idx : log[i] = None}
First == CHOOSE i \in Open : \A j \in Open : i <= j
Init == log = [i \in Idx |-> None]
Next == Open /= {} /\ log' = [log EXCEPT ![First] = First]
Inv == \A i \in Idx : log[i] = None \/ log[i] <= 2
====
"#;

#[test]
fn a_choose_over_slots_holding_a_sentinel_agrees_with_the_explorer() {
    let cfg = "CONSTANTS None = None\nINIT Init\nNEXT Next\nINVARIANT Inv\nCHECK_DEADLOCK FALSE\n";
    agree("FirstFree", FIRST_FREE, cfg);
    let run = check(
        "FirstFreeTrace",
        &FIRST_FREE.replace("FirstFree", "FirstFreeTrace"),
        cfg,
        4,
    );
    assert_eq!(run.code, 12, "{}{}", run.stdout, run.stderr);
    assert!(run
        .stdout
        .starts_with("Invariant Inv is violated by a behaviour of 3 steps."));
}
