//! Where TLC stops with an evaluation error, `smtcheck check` stops with the same error at the
//! same depth (exit 75), on the small specs in `tests/fixtures/errors/` — one per partial
//! operation — and a guard that protects the read keeps it from being an error.

#[path = "support/binary.rs"]
mod binary;

use binary::{smtcheck, Run};
use std::path::Path;

const EVALUATION_ERROR: i32 = 75;

fn check(module: &str, depth: usize) -> Run {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/errors");
    let module = format!("{module}.tla");
    let depth = depth.to_string();
    smtcheck(&dir, &["check", module.as_str(), "--depth", depth.as_str()])
}

/// `module` stops with an error whose message contains `message`, in the last state of a
/// behaviour of `steps` steps, and has no error (nor violation) in the shorter ones.
fn assert_error_after(module: &str, steps: usize, message: &str) {
    let run = check(module, steps + 3);
    assert_eq!(run.code, EVALUATION_ERROR, "{}{}", run.stdout, run.stderr);
    let mut lines = run.stdout.lines();
    let headline = lines.next().unwrap_or_default();
    assert!(
        headline.starts_with("Error: ") && headline.contains(message),
        "{headline}"
    );
    let where_ = format!("in the last state of a behaviour of {steps} steps.");
    assert!(
        lines.next().unwrap_or_default().ends_with(&where_),
        "{}",
        run.stdout
    );
    let states = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("State "))
        .count();
    assert_eq!(states, steps + 1, "{}", run.stdout);
    // The location, as a diagnostic on stderr.
    assert!(
        run.stderr.contains(&format!("{module}.tla:")),
        "{}",
        run.stderr
    );
    if steps > 0 {
        let shorter = check(module, steps - 1);
        assert_eq!(shorter.code, 0, "{}{}", shorter.stdout, shorter.stderr);
    }
}

fn assert_no_error(module: &str, depth: usize) {
    let run = check(module, depth);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.starts_with("No invariant violation"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_function_applied_outside_its_domain() {
    assert_error_after(
        "FunctionDomain",
        2,
        "Attempted to apply function (0 :> 0 @@ 1 :> 1 @@ 2 :> 2) to argument 3, which is not \
         in the domain of the function",
    );
}

#[test]
fn a_function_applied_only_inside_its_domain_by_a_guard() {
    assert_no_error("FunctionDomainGuarded", 8);
}

#[test]
fn a_record_without_the_field_read() {
    assert_error_after(
        "AbsentField",
        3,
        "the record [type |-> \"req\"] has no field `val`",
    );
}

#[test]
fn a_field_read_only_where_the_record_has_it() {
    assert_no_error("AbsentFieldGuarded", 6);
}

#[test]
fn arithmetic_on_a_model_value() {
    assert_error_after(
        "ModelValueArithmetic",
        3,
        "expected an integer, found NoVal",
    );
}

#[test]
fn head_and_tail_of_the_empty_sequence() {
    assert_error_after("HeadOfEmpty", 2, "Head of the empty sequence");
    assert_error_after("TailOfEmpty", 2, "Tail of the empty sequence");
}

#[test]
fn a_sequence_index_out_of_range() {
    assert_error_after(
        "SequenceIndex",
        1,
        "Attempted to apply function <<1, 2>> to argument 3",
    );
}

#[test]
fn choose_with_no_candidate() {
    assert_error_after(
        "ChooseNothing",
        5,
        "CHOOSE: no element of {0, 1, 2, 3, 4, 5} satisfies the predicate",
    );
}

#[test]
fn division_and_modulo_by_zero() {
    assert_error_after("DivisionByZero", 1, "division by zero in 10 \\div 0");
    assert_error_after(
        "ModuloByZero",
        2,
        "7 % 0: the divisor of % must be positive",
    );
}

#[test]
fn case_with_no_true_arm_and_no_other() {
    assert_error_after(
        "CaseWithoutArm",
        2,
        "CASE: no arm's condition is true and there is no OTHER arm",
    );
}

#[test]
fn an_error_in_evaluating_an_invariant() {
    assert_error_after(
        "InvariantDomain",
        3,
        "Attempted to apply function <<5, 6, 7>> to argument 4",
    );
}

#[test]
fn an_error_in_evaluating_init() {
    assert_error_after(
        "InitDomain",
        0,
        "Attempted to apply function <<1, 2>> to argument 3",
    );
}

#[test]
fn a_candidate_the_evaluator_clears_changes_no_verdict() {
    // The encoding evaluates f[2] although TLC stops at the witness i = 1: the evaluator
    // finds no error, and the search goes on to the verdict TLC gives.
    assert_no_error("ShortCircuit", 6);
}

#[test]
fn an_evaluation_error_in_json_has_the_message_exit_code_and_trace() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/errors");
    let args = [
        "check",
        "DivisionByZero.tla",
        "--depth",
        "4",
        "--format",
        "json",
    ];
    let run = smtcheck(&dir, &args);
    assert_eq!(run.code, EVALUATION_ERROR, "{}{}", run.stdout, run.stderr);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(value["exit"], EVALUATION_ERROR);
    let verdict = value["verdict"].as_str().unwrap_or_default();
    assert!(verdict.starts_with("Error: division by zero"), "{verdict}");
    let states = value["trace"]["states"].as_array().map(Vec::len);
    assert_eq!(states, Some(2));
}
