//! `smtcheck check` end to end: verdicts, exit codes, counterexample lengths and traces, on the
//! small specs in `tests/fixtures/check/`.

#[path = "support/binary.rs"]
mod binary;

use binary::{actions, smtcheck, Run};
use std::path::Path;
use std::process::Command;

fn check(module: &str, args: &[&str]) -> Run {
    run("check", module, args)
}

fn explore(module: &str, args: &[&str]) -> Run {
    run("explore", module, args)
}

/// `smtcheck SUBCOMMAND module.tla args…` in the fixtures directory.
fn run(subcommand: &str, module: &str, args: &[&str]) -> Run {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check");
    let module = format!("{module}.tla");
    let mut all = vec![subcommand, module.as_str()];
    all.extend_from_slice(args);
    smtcheck(&dir, &all)
}

#[test]
fn no_violation_in_json_is_one_object_with_the_verdict_and_the_depth() {
    let run = check("Counter", &["--depth", "7", "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(
        value,
        serde_json::json!({
            "verdict": "No invariant violation or deadlock in any behaviour of up to 7 steps.",
            "exit": 0,
            "depth": 7,
        })
    );
}

#[test]
fn a_violation_at_depth_eight_is_missed_at_seven_and_found_at_eight() {
    let seven = check("Counter", &["--depth", "7"]);
    assert_eq!(seven.code, 0, "{}{}", seven.stdout, seven.stderr);
    assert_eq!(
        seven.stdout.trim(),
        "No invariant violation or deadlock in any behaviour of up to 7 steps."
    );
    let eight = check("Counter", &["--depth", "8"]);
    assert_eq!(eight.code, 12, "{}{}", eight.stdout, eight.stderr);
    assert!(eight
        .stdout
        .starts_with("Invariant SlowInv is violated by a behaviour of 8 steps."));
    assert_eq!(actions(&eight.stdout).len(), 8);
}

#[test]
fn the_counterexample_is_a_shortest_one() {
    let run = check("Counter", &["--depth", "20", "--inv", "FastInv"]);
    assert_eq!(run.code, 12, "{}{}", run.stdout, run.stderr);
    assert!(run
        .stdout
        .starts_with("Invariant FastInv is violated by a behaviour of 6 steps."));
    let actions = actions(&run.stdout);
    assert_eq!(
        &actions[..3],
        ["One", "One", "One"],
        "Two needs three steps first"
    );
    assert!(
        actions.iter().filter(|a| *a == "Two").count() >= 2,
        "{actions:?}"
    );
}

#[test]
fn a_deadlock_is_found_and_can_be_switched_off() {
    let run = check("Stuck", &["--depth", "10"]);
    assert_eq!(run.code, 11, "{}{}", run.stdout, run.stderr);
    insta::assert_snapshot!(run.stdout);
    let off = check("Stuck", &["--depth", "10", "--no-deadlock"]);
    assert_eq!(off.code, 0, "{}{}", off.stdout, off.stderr);
}

#[test]
fn constrained_states_are_checked_but_not_explored() {
    let five = check("Bounded", &["--depth", "10"]);
    assert_eq!(
        five.code, 0,
        "NotFive lies beyond the constraint: {}{}",
        five.stdout, five.stderr
    );
    let four = check("Bounded", &["--depth", "10", "--inv", "NotFour"]);
    assert_eq!(four.code, 12, "{}{}", four.stdout, four.stderr);
    insta::assert_snapshot!(four.stdout);
}

#[test]
fn a_solver_timeout_is_unknown_never_success() {
    let run = check("Hard", &["--depth", "0", "--timeout", "0.01"]);
    assert_eq!(run.code, 14, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .starts_with("Unknown: the solver could not decide at depth 0"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_trace_can_be_written_as_itf() {
    let path = std::env::temp_dir().join(format!("smtcheck-itf-{}.json", std::process::id()));
    let run = check(
        "Stuck",
        &[
            "--depth",
            "5",
            "--trace-out",
            path.to_str().expect("utf-8 path"),
        ],
    );
    assert_eq!(run.code, 11);
    let text = std::fs::read_to_string(&path).expect("ITF written");
    let itf: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(itf["vars"], serde_json::json!(["x"]));
    let xs: Vec<&serde_json::Value> = itf["states"]
        .as_array()
        .expect("states")
        .iter()
        .map(|s| &s["x"])
        .collect();
    let expected: Vec<serde_json::Value> = (0..=3)
        .map(|n| serde_json::json!({"#bigint": n.to_string()}))
        .collect();
    assert_eq!(xs, expected.iter().collect::<Vec<_>>());
}

#[test]
fn bad_input_gets_a_clear_error_and_the_right_exit_code() {
    let unknown_inv = check("Stuck", &["--inv", "NoSuchInvariant"]);
    assert_eq!(unknown_inv.code, 151);
    assert!(
        unknown_inv
            .stderr
            .contains("invariant `NoSuchInvariant` is not defined in the spec"),
        "{}",
        unknown_inv.stderr
    );
    let missing = check("Stuck", &["--config", "Missing.cfg"]);
    assert_eq!(missing.code, 255);
    assert!(
        missing.stderr.contains("cannot read `Missing.cfg`"),
        "{}",
        missing.stderr
    );
    let undefined = check("BadConfig", &[]);
    assert_eq!(undefined.code, 151);
    insta::assert_snapshot!(undefined.stderr);
    let no_value = check("NoValue", &[]);
    assert_eq!(no_value.code, 75);
    assert!(
        no_value
            .stderr
            .contains("the constant `N` has no value in the config"),
        "{}",
        no_value.stderr
    );
    assert!(
        no_value.stderr.contains("NoValue.tla:3:10"),
        "{}",
        no_value.stderr
    );
}

#[test]
fn the_explicit_explorer_agrees_with_check_on_the_fixtures() {
    let stuck = explore("Stuck", &[]);
    assert_eq!(stuck.code, 11, "{}{}", stuck.stdout, stuck.stderr);
    assert!(stuck
        .stdout
        .starts_with("Deadlock reached: no action is enabled."));
    assert_eq!(actions(&stuck.stdout), ["Next", "Next", "Next"]);
    let bounded = explore("Bounded", &[]);
    assert_eq!(bounded.code, 0, "{}{}", bounded.stdout, bounded.stderr);
    assert_eq!(
        bounded.stdout.trim(),
        "No violation: all 4 reachable states explored."
    );
    let four = explore("Bounded", &["--inv", "NotFour"]);
    assert_eq!(four.code, 12);
    assert_eq!(
        actions(&four.stdout).len(),
        4,
        "the same length as check finds"
    );
}

#[test]
fn a_union_of_function_sets_is_a_bounded_seq() {
    let two = check("BoundedSeq", &["--depth", "2"]);
    assert_eq!(two.code, 0, "{}{}", two.stdout, two.stderr);
    let three = check("BoundedSeq", &["--depth", "3"]);
    assert_eq!(three.code, 12, "{}{}", three.stdout, three.stderr);
    assert!(three
        .stdout
        .starts_with("Invariant SumAtMostFive is violated by a behaviour of 3 steps."));
    assert!(
        three.stdout.contains("/\\ f = <<2, 2, 2>>"),
        "{}",
        three.stdout
    );
    let explored = explore("BoundedSeq", &[]);
    assert_eq!(explored.code, 12, "{}{}", explored.stdout, explored.stderr);
    assert_eq!(
        actions(&explored.stdout).len(),
        3,
        "the same length as check finds"
    );
    let large = ["--init", "InitLarge", "--inv", "SumAtMostTwelve"];
    let checked = check("BoundedSeq", &[&large[..], &["--depth", "3"]].concat());
    assert_eq!(checked.code, 0, "{}{}", checked.stdout, checked.stderr);
    let explored = explore("BoundedSeq", &large);
    assert_eq!(explored.code, 0, "{}{}", explored.stdout, explored.stderr);
}

/// `smtcheck check … | head -1`: the reader closes the pipe early; smtcheck must end quietly
/// (killed by SIGPIPE, as `cat` would be), not panic on the failed write.
#[test]
fn a_closed_stdout_ends_the_run_without_a_panic() {
    use std::io::Read;
    use std::process::Stdio;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/fenced_lock");
    let mut child = Command::new(env!("CARGO_BIN_EXE_smtcheck"))
        .args([
            "check",
            "FencedLock.tla",
            "--config",
            "FencedLock_nofencing.cfg",
        ])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("smtcheck runs");
    drop(child.stdout.take());
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        pipe.read_to_string(&mut stderr).expect("stderr is text");
    }
    let status = child.wait().expect("smtcheck ends");
    assert!(!stderr.contains("panicked"), "{stderr}");
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(libc::SIGPIPE), "{status:?}");
}

#[test]
fn a_substitution_in_an_instantiated_module_replaces_the_definition_there() {
    // `Small <-[BoundsLimits] Three`: the instance's `Small` is 3, so `x < Small` fails at 3.
    let run = check("Bounds", &["--depth", "12"]);
    assert_eq!(run.code, 12, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .starts_with("Invariant WithinSmall is violated by a behaviour of 3 steps.\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn named_theorems_assumptions_and_conjuncts_are_the_formulas_they_name() {
    // `WithinBig == Bounded!:` is `x <= Limits!Big`, and the config makes `Big` 3; the named
    // `ASSUME Step` is an invariant too, and `Inv!2` is checked in the default config above.
    let run = check("Bounds", &["--config", "Bounds_big.cfg", "--depth", "12"]);
    assert_eq!(run.code, 12, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .starts_with("Invariant WithinBig is violated by a behaviour of 4 steps.\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn function_values_stored_over_their_commonest_item_keep_tla_equality() {
    // Two raises of First reach the literal function the invariant excludes.
    let run = check("LiteralMaps", &["--depth", "4"]);
    assert_eq!(run.code, 12, "{}{}", run.stdout, run.stderr);
    assert!(run
        .stdout
        .starts_with("Invariant NeverTwoAtN1 is violated by a behaviour of 2 steps."));
    assert_eq!(actions(&run.stdout), ["Next(n1)", "Next(n1)"]);
    let domain = check("LiteralMaps", &["--depth", "4", "--inv", "DomainIsNode"]);
    assert_eq!(domain.code, 0, "{}{}", domain.stdout, domain.stderr);
}
