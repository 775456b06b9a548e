//! Recursive operators and recursive functions (`tests/fixtures/recursion`): sema keeps them as
//! definitions with calls, types unify each definition's body with its calls, folding computes
//! calls with constant arguments, unrolling replaces the calls whose recursion runs over values
//! known before solving, the explorer evaluates the rest, and the SMT encoding reports a call
//! left over as unsupported.

use smtcheck::cli::frontend;
use smtcheck::ir::{ExprKind, Op, Spec};
use smtcheck::sema::Options;
use smtcheck::value::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/recursion/{name}.tla"))
}

/// Runs `smtcheck <args> <fixture>.tla` in the fixtures directory: the exit code, and stdout
/// followed by stderr.
fn run(args: &[&str], name: &str) -> (i32, String) {
    let path = fixture(name);
    let output = Command::new(env!("CARGO_BIN_EXE_smtcheck"))
        .args(args)
        .arg(path.file_name().expect("fixture file name"))
        .current_dir(path.parent().expect("fixture directory"))
        .output()
        .expect("smtcheck runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

fn front(name: &str) -> Spec {
    match frontend(&fixture(name), None, &Options::default()) {
        Ok(front) => front.spec,
        Err(code) => panic!("front end failed with exit code {code}"),
    }
}

#[test]
fn calls_with_constant_arguments_are_folded_into_values() {
    let spec = front("Constant");
    assert_eq!(
        spec.recursive
            .iter()
            .map(|def| def.name.as_str())
            .collect::<Vec<_>>(),
        ["Fact", "fib", "Even", "FoldSet", "FoldSet", "s", "C"],
        "FoldSet once per operator argument; Odd is expanded inside Even, and calls Even"
    );
    let ExprKind::Apply(_, args) = &*spec.init.kind else {
        panic!("Init is x = Fact(5), got {:?}", spec.init.kind)
    };
    assert_eq!(*args[1].kind, ExprKind::Lit(Value::Int(120)));
    let ExprKind::Apply(Op::And, conjuncts) = &*spec.invariants[0].expr.kind else {
        panic!("Folded is a conjunction")
    };
    assert_eq!(conjuncts.len(), 8);
    for conjunct in &conjuncts[1..] {
        assert_eq!(*conjunct.kind, ExprKind::Lit(Value::Bool(true)));
    }
}

#[test]
fn constant_recursion_checks_and_explores() {
    assert_eq!(
        run(&["typecheck"], "Constant"),
        (
            0,
            "x : Int\naction Next\ninvariant Folded\ndeadlock check: on\n".to_string()
        )
    );
    assert_eq!(
        run(&["explore"], "Constant"),
        (
            0,
            "No violation: all 1 reachable states explored.\n".to_string()
        )
    );
    assert_eq!(
        run(&["check", "--depth", "2"], "Constant"),
        (
            0,
            "No invariant violation or deadlock in any behaviour of up to 2 steps.\n".to_string()
        )
    );
}

#[test]
fn state_dependent_recursion_typechecks_and_explores() {
    let (code, text) = run(&["typecheck"], "StateDependent");
    assert_eq!(code, 0, "{text}");
    assert!(text.starts_with("S : Set(Int)\n"), "{text}");
    let (code, text) = run(&["explore"], "StateDependent");
    assert_eq!(code, 12, "{text}");
    assert!(
        text.starts_with("Invariant SmallSum is violated."),
        "{text}"
    );
    assert_eq!(text.matches("State ").count(), 5, "{text}");
    assert!(text.ends_with("/\\ S = {1, 2, 3, 4}\n"), "{text}");
}

#[test]
fn state_dependent_recursion_is_unsupported_by_the_smt_encoding() {
    let (code, text) = run(
        &["check", "--depth", "4", "--engine", "bmc"],
        "StateDependent",
    );
    assert_eq!(code, 75, "{text}");
    assert!(
        text.contains(
            "error[E0400]: a recursive operator applied to state-dependent arguments is not \
             supported by the SMT encoding"
        ),
        "{text}"
    );
    assert!(text.contains("StateDependent.tla:15:15"), "{text}");
}

#[test]
fn unbounded_recursion_is_an_evaluation_error() {
    let (code, text) = run(&["explore"], "Unbounded");
    assert_eq!(code, 75, "{text}");
    assert!(
        text.starts_with(
            "error[E0500]: the recursion of `Up` is too deep (10000 nested calls): it may not \
             terminate"
        ),
        "{text}"
    );
    assert!(text.contains("Unbounded.tla:7:10"), "{text}");
}

#[test]
fn unbounded_recursion_on_a_small_stack_stops_before_overflowing() {
    // Folding evaluates `Up(0)` on the test's own thread (2 MiB of stack, not the command
    // line's big one): it must fail cleanly and leave the call to the engines.
    let tla = "---- MODULE Q ----\nEXTENDS Naturals\nVARIABLE x\nRECURSIVE Up(_)\n\
               Up(n) == IF n < 0 THEN 0 ELSE Up(n + 1)\nInit == x = Up(0)\nNext == x' = x\n====\n";
    let dir = std::env::temp_dir().join(format!("smtcheck-recursion-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("Q.tla");
    std::fs::write(&path, tla).expect("write module");
    std::fs::write(dir.join("Q.cfg"), "INIT Init\nNEXT Next\n").expect("write config");
    let spec = match frontend(&path, None, &Options::default()) {
        Ok(front) => front.spec,
        Err(code) => panic!("front end failed with exit code {code}"),
    };
    let ExprKind::Apply(_, args) = &*spec.init.kind else {
        panic!("Init is x = Up(0)")
    };
    assert!(matches!(&*args[1].kind, ExprKind::RecCall(..)));
    let error = smtcheck::eval::action::initial_states(&spec).expect_err("no initial state");
    assert!(
        error
            .message
            .starts_with("the recursion of `Up` is too deep"),
        "{}",
        error.message
    );
}

#[test]
fn a_recursive_function_applied_outside_its_domain_is_an_error() {
    let (code, text) = run(&["explore"], "OutsideDomain");
    assert_eq!(code, 75, "{text}");
    assert!(
        text.starts_with(
            "error[E0500]: Attempted to apply function (0 :> 1 @@ 1 :> 1 @@ 2 :> 2 @@ 3 :> 6 @@ \
             4 :> 24 @@ 5 :> 120) to argument 6, which is not in the domain of the function"
        ),
        "{text}"
    );
    assert!(text.contains("OutsideDomain.tla:10:10"), "{text}");
}

#[test]
fn a_recursive_function_applied_outside_its_domain_stops_the_smt_check_too() {
    // Unrolled, `fact[x]` is the application of the function `fact` is: outside its domain
    // the check stops with the evaluator's error, at the depth where x reaches 6.
    let (code, text) = run(&["check", "--depth", "3"], "OutsideDomain");
    assert_eq!(code, 75, "{text}");
    assert!(
        text.contains(
            "Evaluation stops with this error in the last state of a behaviour of 2 steps."
        ),
        "{text}"
    );
}

#[test]
fn a_recursive_body_and_its_calls_have_one_type() {
    let (code, text) = run(&["typecheck"], "TypeClash");
    assert_eq!(code, 120, "{text}");
    assert!(
        text.starts_with("error[E0300]: type mismatch: a Bool here but an Int here"),
        "{text}"
    );
    assert!(text.contains("TypeClash.tla:7:36"), "{text}");
}

#[test]
fn priming_a_call_whose_body_reads_the_state_is_unsupported() {
    let (code, text) = run(&["typecheck"], "PrimedCall");
    assert_eq!(code, 75, "{text}");
    assert!(
        text.starts_with(
            "error[E0400]: priming a call of the recursive definition `Count`, which reads \
             state variables itself, is not supported"
        ),
        "{text}"
    );
    assert!(text.contains("PrimedCall.tla:9:15"), "{text}");
}

/// The same holds for the subscript of `[A]_v`, `<<A>>_v` and `WF_v`, which every engine
/// primes after lowering: before this was refused, the explorer read the primed call in the
/// old state's domain.
#[test]
fn a_subscript_calling_a_recursive_function_that_reads_the_state_is_unsupported() {
    let (code, text) = run(&["check", "--depth", "3"], "SubscriptCall");
    assert_eq!(code, 75, "{text}");
    assert!(
        text.starts_with(
            "error[E0400]: priming a call of the recursive definition `f`, which reads \
             state variables itself, is not supported"
        ),
        "{text}"
    );
    assert!(text.contains("SubscriptCall.tla:11:32"), "{text}");
}

#[test]
fn operator_arguments_that_change_at_every_call_are_unsupported() {
    let (code, text) = run(&["typecheck"], "ChangingOpArg");
    assert_eq!(code, 75, "{text}");
    assert!(
        text.starts_with(
            "error[E0402]: the recursive definition `R` is given different operator arguments \
             at every call"
        ),
        "{text}"
    );
    assert!(text.contains("ChangingOpArg.tla:7:39"), "{text}");
}

#[test]
fn a_recursive_function_of_two_arguments_takes_them_apart_or_as_a_tuple() {
    assert_eq!(
        run(&["explore"], "TupleArgument"),
        (
            0,
            "No violation: all 2 reachable states explored.\n".to_string()
        )
    );
}

#[test]
fn a_recursive_function_given_too_many_arguments_is_an_error() {
    let (code, text) = run(&["typecheck"], "WrongArity");
    assert_eq!(code, 150, "{text}");
    assert!(
        text.starts_with(
            "error[E0312]: the recursive function `add` takes 2 arguments but is given 3"
        ),
        "{text}"
    );
    assert!(text.contains("WrongArity.tla:8:13"), "{text}");
}

/// The actions of a counterexample, as its trace names them.
fn actions(text: &str) -> Vec<&str> {
    text.lines()
        .filter_map(|line| line.strip_prefix("State "))
        .filter_map(|rest| rest.split_once(": <").map(|(_, label)| label))
        .filter(|label| !label.starts_with("Initial predicate"))
        .filter_map(|label| label.split(' ').next())
        .collect()
}

#[test]
fn recursion_over_a_constant_set_reading_the_state_is_unrolled() {
    // SumOver(count, Node) recurses over the constant Node with `count` passed through; four
    // increments make the sum 4.
    assert_eq!(
        run(&["check", "--depth", "3"], "SumState"),
        (
            0,
            "No invariant violation or deadlock in any behaviour of up to 3 steps.\n".to_string()
        )
    );
    let (code, text) = run(&["check", "--depth", "4"], "SumState");
    assert_eq!(code, 12, "{text}");
    assert!(
        text.starts_with("Invariant Small is violated by a behaviour of 4 steps."),
        "{text}"
    );
    assert_eq!(actions(&text).len(), 4, "{text}");
    assert!(
        actions(&text).iter().all(|a| a.starts_with("Inc(")),
        "{text}"
    );
}

#[test]
fn recursion_over_the_subsets_of_a_filtered_constant_set_is_a_case_split() {
    // Total({n \in Node : count[n] > 0}) recurses over a state-dependent set drawn from Node:
    // it agrees with SumOver in every state, up to the deadlock once every count is 2.
    let (code, text) = run(&["check", "--depth", "6", "--inv", "Agree"], "SumState");
    assert_eq!(code, 11, "{text}");
    assert!(
        text.starts_with("Deadlock reached after 6 steps:"),
        "{text}"
    );
    let (code, text) = run(&["explore", "--inv", "Agree"], "SumState");
    assert_eq!(code, 11, "{text}");
    assert_eq!(actions(&text).len(), 6, "{text}");
}

#[test]
fn a_recursive_function_over_a_constant_domain_applied_to_state_is_a_case_split() {
    // Reach[pos] holds once ok[0..pos-1] are all set: three marks and three moves.
    assert_eq!(
        run(&["check", "--depth", "5", "--inv", "NotFar"], "Reach"),
        (
            0,
            "No invariant violation or deadlock in any behaviour of up to 5 steps.\n".to_string()
        )
    );
    let (code, text) = run(&["check", "--depth", "6", "--inv", "NotFar"], "Reach");
    assert_eq!(code, 12, "{text}");
    assert!(
        text.starts_with("Invariant NotFar is violated by a behaviour of 6 steps."),
        "{text}"
    );
    let mut taken = actions(&text);
    taken.sort_unstable();
    assert_eq!(
        taken,
        ["Mark(0)", "Mark(1)", "Mark(2)", "Move", "Move", "Move"],
        "{text}"
    );
    // fact[pos] reaches 6 at pos = 3.
    let (code, text) = run(&["check", "--depth", "2", "--inv", "FactSmall"], "Reach");
    assert_eq!(code, 0, "{text}");
    let (code, text) = run(&["check", "--depth", "3", "--inv", "FactSmall"], "Reach");
    assert_eq!(code, 12, "{text}");
    assert_eq!(actions(&text), ["Move", "Move", "Move"], "{text}");
}

#[test]
fn a_call_whose_argument_reads_a_quantified_variable_is_split_on_that_variable() {
    // SumOver(count, {n, (n % 3) + 1}) for each n \in Node: two neighbours counted to 2 each.
    let (code, text) = run(&["check", "--depth", "3", "--inv", "Pairs"], "SumState");
    assert_eq!(code, 0, "{text}");
    let (code, text) = run(&["check", "--depth", "4", "--inv", "Pairs"], "SumState");
    assert_eq!(code, 12, "{text}");
    assert!(
        text.starts_with("Invariant Pairs is violated by a behaviour of 4 steps."),
        "{text}"
    );
    let mut nodes = actions(&text);
    nodes.sort_unstable();
    nodes.dedup();
    assert_eq!(nodes.len(), 2, "{text}");
}
