//! `Cardinality` and `IsFiniteSet` of sets without candidate members known before solving (a
//! variable's set of integers, a filter of a range whose bound is a variable), on the specs in
//! `tests/fixtures/cardinality/`, and on the corpus model that needs them (skipped without
//! `../shared/corpus`): counted exactly over the values the spec mentions; a set beyond them
//! has a size the solver does not know, so its verdict is unknown, never a wrong one.

#[path = "support/binary.rs"]
mod binary;

use binary::{actions, smtcheck, Run};
use std::path::Path;

/// `smtcheck check module.tla args…` in the fixtures directory.
fn check(module: &str, args: &[&str]) -> Run {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cardinality");
    let module = format!("{module}.tla");
    // The encoding of sizes is under test: BMC alone, not the explorer racing it.
    let mut all = vec!["check", module.as_str(), "--engine", "bmc"];
    all.extend_from_slice(args);
    smtcheck(&dir, &all)
}

fn output(run: &Run) -> String {
    format!("{}{}", run.stdout, run.stderr)
}

#[test]
fn a_variable_set_of_integers_is_counted_exactly() {
    let run = check(
        "Counted",
        &["--inv", "Size", "--inv", "Finite", "--depth", "4"],
    );
    assert_eq!(run.code, 0, "{}", output(&run));
    assert_eq!(
        run.stdout.trim(),
        "No invariant violation in any behaviour of up to 4 steps."
    );
}

#[test]
fn a_filter_of_a_variable_set_breaks_its_bound_after_two_steps() {
    let one = check("Counted", &["--inv", "FewLarge", "--depth", "1"]);
    assert_eq!(one.code, 0, "{}", output(&one));
    let two = check("Counted", &["--inv", "FewLarge", "--depth", "2"]);
    assert_eq!(two.code, 12, "{}", output(&two));
    assert!(two
        .stdout
        .starts_with("Invariant FewLarge is violated by a behaviour of 2 steps."));
    // Two numbers above 1 taken, in either order.
    let mut taken = actions(&two.stdout);
    taken.sort();
    assert!(
        [
            ["Take(2)", "Take(3)"],
            ["Take(2)", "Take(4)"],
            ["Take(3)", "Take(4)"]
        ]
        .iter()
        .any(|pair| *pair == taken.as_slice()),
        "{taken:?}"
    );
}

#[test]
fn a_filtered_range_with_a_variable_bound_is_counted_exactly() {
    let three = check("Counted", &["--inv", "EvenBelow", "--depth", "3"]);
    assert_eq!(three.code, 0, "{}", output(&three));
    let four = check("Counted", &["--inv", "EvenBelow", "--depth", "4"]);
    assert_eq!(four.code, 12, "{}", output(&four));
    assert!(four
        .stdout
        .starts_with("Invariant EvenBelow is violated by a behaviour of 4 steps."));
    assert_eq!(actions(&four.stdout).len(), 4);
}

#[test]
fn a_set_beyond_the_spec_values_has_an_unknown_size_never_a_wrong_one() {
    // `Size` holds, but {5, 6} holds 6, which the spec does not mention: the solver may give
    // it any size, the evaluator does not confirm the candidate, and the verdict is unknown.
    let run = check("Beyond", &["--depth", "4"]);
    assert_eq!(run.code, 14, "{}", output(&run));
    assert!(
        run.stdout
            .contains("the size of a set the encoding only bounds"),
        "{}",
        output(&run)
    );
    // A violation that the true sizes confirm is shown.
    let run = check("Beyond", &["--inv", "Single", "--depth", "4"]);
    assert_eq!(run.code, 12, "{}", output(&run));
    assert!(run
        .stdout
        .starts_with("Invariant Single is violated by a behaviour of 2 steps."));
}

#[test]
fn a_set_of_functions_cannot_be_counted() {
    let run = check("Functions", &["--depth", "3"]);
    assert_eq!(run.code, 75, "{}", output(&run));
    assert!(
        run.stderr.contains(
            "`Cardinality` of a set without a finite structure known before solving is not \
             supported"
        ),
        "{}",
        output(&run)
    );
    assert!(
        run.stderr.contains("Functions.tla:10:8"),
        "{}",
        output(&run)
    );
}

/// `specifications/Majority/MCMajority.cfg`: the occurrences of a value among the positions
/// before `i` of a sequence the solver chooses (`Cardinality({k \in 1..(j-1) : seq[k] = v})`).
/// TLC finds no violation up to its diameter, 6.
#[test]
fn the_majority_vote_counts_occurrences_and_finds_no_violation() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/tla-examples/specifications/Majority");
    if !corpus.is_dir() {
        eprintln!("corpus not found: skipped");
        return;
    }
    let run = smtcheck(
        &corpus,
        &[
            "check",
            "MCMajority.tla",
            "--config",
            "MCMajority.cfg",
            "--depth",
            "6",
        ],
    );
    assert_eq!(run.code, 0, "{}", output(&run));
    assert_eq!(
        run.stdout.trim(),
        "No invariant violation in any behaviour of up to 6 steps."
    );
}

/// `specifications/bcastByz` with `bcastByzNoBcast.cfg`: a step receives a set of messages,
/// pairs of a process id and a string, and counts it (`Cardinality(rcvd'[self]) >= N - 2*T`);
/// `prove` counts it over the spec's values, and `TypeOK` is inductive.
#[test]
fn the_byzantine_broadcast_counts_received_messages_in_its_proof() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/tla-examples/specifications/bcastByz");
    if !corpus.is_dir() {
        eprintln!("corpus not found: skipped");
        return;
    }
    let run = smtcheck(
        &corpus,
        &[
            "prove",
            "bcastByz.tla",
            "--config",
            "bcastByzNoBcast.cfg",
            "--inv",
            "TypeOK",
        ],
    );
    assert_eq!(run.code, 0, "{}", output(&run));
    let verdicts: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|line| line.split_whitespace().last())
        .filter(|last| ["proved", "unknown", "violated"].contains(last))
        .collect();
    assert_eq!(verdicts, ["proved", "proved", "proved"], "{}", run.stdout);
}
