//! `smtcheck check --engine`: BMC and the explicit explorer answer the same bounded question
//! alike, and `auto` (both racing) answers with whichever settles it, falling back to BMC when
//! the explorer cannot.

#[path = "support/binary.rs"]
mod binary;

use binary::{actions, smtcheck, Run};
use std::path::Path;

/// `smtcheck check module.tla args…` in `dir` (relative to the crate).
fn check_in(dir: &str, module: &str, args: &[&str]) -> Run {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let module = format!("{module}.tla");
    let mut all = vec!["check", module.as_str()];
    all.extend_from_slice(args);
    smtcheck(&dir, &all)
}

fn check(module: &str, args: &[&str]) -> Run {
    check_in("tests/fixtures/check", module, args)
}

/// The verdict line and the number of steps of the trace.
fn verdict(run: &Run) -> (i32, &str, usize) {
    let headline = run.stdout.lines().next().unwrap_or("");
    (run.code, headline, actions(&run.stdout).len())
}

#[test]
fn the_explicit_explorer_and_bmc_give_the_same_verdicts_and_lengths() {
    let questions: [(&str, &[&str]); 6] = [
        ("Counter", &["--depth", "7"]),
        ("Counter", &["--depth", "8"]),
        ("Counter", &["--depth", "20", "--inv", "FastInv"]),
        ("Stuck", &["--depth", "10"]),
        ("Stuck", &["--depth", "10", "--no-deadlock"]),
        ("Bounded", &["--depth", "10", "--inv", "NotFour"]),
    ];
    for (module, args) in questions {
        let with = |engine| check(module, &[args, &["--engine", engine]].concat());
        let (explicit, bmc) = (with("explicit"), with("bmc"));
        assert_eq!(
            verdict(&explicit),
            verdict(&bmc),
            "{module} {args:?}:\n{}{}\n{}{}",
            explicit.stdout,
            explicit.stderr,
            bmc.stdout,
            bmc.stderr
        );
    }
}

#[test]
fn the_explicit_explorer_prints_json_and_writes_the_trace_as_check_does() {
    let path = std::env::temp_dir().join(format!("smtcheck-explicit-{}.json", std::process::id()));
    let run = check(
        "Stuck",
        &[
            "--engine",
            "explicit",
            "--format",
            "json",
            "--trace-out",
            path.to_str().expect("utf-8 path"),
        ],
    );
    assert_eq!(run.code, 11, "{}{}", run.stdout, run.stderr);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(
        value["verdict"],
        "Deadlock reached after 3 steps: no action is enabled."
    );
    let written = std::fs::read_to_string(&path).expect("ITF written");
    let _ = std::fs::remove_file(&path);
    let itf: serde_json::Value = serde_json::from_str(&written).expect("valid JSON");
    assert_eq!(itf, value["trace"]);
    assert_eq!(itf["states"].as_array().map(Vec::len), Some(4));
}

#[test]
fn auto_answers_a_bug_variant_of_the_examples() {
    let run = check_in(
        "examples/failover",
        "Failover",
        &["--config", "Failover_nofencing.cfg", "--depth", "20"],
    );
    assert_eq!(run.code, 12, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout.lines().next(),
        Some("Invariant NoLostWrite is violated by a behaviour of 6 steps.")
    );
    assert_eq!(actions(&run.stdout).len(), 6);
}

#[test]
fn the_no_violation_headline_is_the_same_whichever_engine_answers() {
    let headline = "No invariant violation or deadlock in any behaviour of up to 7 steps.";
    for engine in ["auto", "bmc", "explicit"] {
        let run = check("Counter", &["--depth", "7", "--engine", engine]);
        assert_eq!(run.code, 0, "{engine}: {}{}", run.stdout, run.stderr);
        assert_eq!(run.stdout.trim(), headline, "{engine}");
    }
}

#[test]
fn auto_falls_back_to_bmc_where_the_explorer_cannot_evaluate() {
    // `x \in Nat` cannot be enumerated: the explorer gives up and BMC answers.
    let explicit = check("Unbounded", &["--depth", "5", "--engine", "explicit"]);
    assert_eq!(explicit.code, 75, "{}{}", explicit.stdout, explicit.stderr);
    assert!(
        explicit
            .stderr
            .contains("Nat is an infinite set and cannot be enumerated"),
        "{}",
        explicit.stderr
    );
    let auto = check("Unbounded", &["--depth", "5", "-v"]);
    assert_eq!(auto.code, 12, "{}{}", auto.stdout, auto.stderr);
    assert!(auto
        .stdout
        .starts_with("Invariant Small is violated by a behaviour of 3 steps."));
    assert!(
        auto.stderr
            .contains("engine: bounded model checking (Z3) answered"),
        "{}",
        auto.stderr
    );
}

#[test]
fn an_explorer_that_runs_out_of_time_is_unknown_never_success() {
    let run = check(
        "Counter",
        &["--depth", "20", "--engine", "explicit", "--timeout", "0"],
    );
    assert_eq!(run.code, 14, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .starts_with("Unknown: the explicit explorer could not decide at depth 0 (timeout"),
        "{}",
        run.stdout
    );
}
