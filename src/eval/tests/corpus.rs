//! Conformance with TLC on the TLA+ Examples corpus (`../shared/corpus`, skipped when absent):
//! for every small model whose complete TLC run the manifest records, the explorer must find
//! the same number of distinct states and the same verdict, with a counterexample of the same
//! length, and the counterexample must replay.

use super::e2e::lower_file;
use crate::eval::{explore, replay, Claim, Limits, Verdict};
use std::path::Path;

/// Models the explorer cannot check as TLC does, for reasons outside this module.
const KNOWN_GAPS: &[(&str, &str)] = &[
    // `Seq <- BoundedSeq` in the config: sema keeps the built-in `Seq` (infinite).
    (
        "specifications/Majority/MCMajority.cfg",
        "config override of a standard operator",
    ),
    // `Succ <- ConnectedToSomeButNotAll`, a CHOOSE over 65536 functions, is re-evaluated at
    // every use (TLC evaluates constant-level definitions once): correct but slow.
    (
        "specifications/MisraReachability/MCParReach.cfg",
        "constant definition re-evaluated",
    ),
];

struct Row {
    module: String,
    cfg: String,
    tlc_full: String,
    cex_steps: Option<usize>,
    distinct_states: Option<usize>,
}

fn rows(manifest: &str) -> Vec<Row> {
    manifest
        .lines()
        .skip(1)
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let col = |i: usize| cols.get(i).copied().unwrap_or("");
            Row {
                module: col(0).to_string(),
                cfg: col(1).to_string(),
                tlc_full: col(4).to_string(),
                cex_steps: col(5).parse().ok(),
                distinct_states: col(6).parse().ok(),
            }
        })
        .collect()
}

/// Checks one model; `Err` says how the explorer disagrees with TLC, `Ok(false)` that the
/// model is out of reach (the front end rejects it, its constants are symbolic, or TLC
/// reduces it by symmetry or a view).
fn conform(root: &Path, row: &Row, expected_states: usize) -> Result<bool, String> {
    // TLC counts states up to symmetry, or by a view: this explorer does neither.
    let cfg_text = std::fs::read_to_string(root.join(&row.cfg)).unwrap_or_default();
    if cfg_text
        .lines()
        .any(|l| l.trim_start().starts_with("SYMMETRY") || l.trim_start().starts_with("VIEW"))
    {
        return Ok(false);
    }
    let spec = match lower_file(&root.join(&row.module), Some(&root.join(&row.cfg))) {
        Ok(spec) => spec,
        Err(_) => return Ok(false),
    };
    // Apalache models give their constants by a `ConstInit` predicate: not for explicit search.
    if spec.constants.iter().any(|c| c.value.is_none()) {
        return Ok(false);
    }
    let limits = Limits {
        max_states: expected_states * 2 + 10,
        max_depth: usize::MAX,
        ..Limits::default()
    };
    let result = explore(&spec, limits).map_err(|e| format!("evaluation error: {}", e.message))?;
    let (expected_verdict, claim) = match row.tlc_full.as_str() {
        "success" => (None, None),
        "safety failure" => (Some("invariant"), None),
        _ => (Some("deadlock"), Some(Claim::Deadlock)),
    };
    match (&result.verdict, expected_verdict) {
        (Verdict::NoViolation { complete: true }, None) => {
            if result.distinct_states != expected_states {
                return Err(format!(
                    "{} distinct states, TLC finds {expected_states}",
                    result.distinct_states
                ));
            }
        }
        (Verdict::InvariantViolated(name), Some("invariant")) => {
            check_trace(&spec, &result, row, Claim::InvariantViolated(name.clone()))?;
        }
        (Verdict::Deadlock, Some("deadlock")) => {
            check_trace(&spec, &result, row, claim.unwrap_or(Claim::Deadlock))?
        }
        (verdict, expected) => {
            return Err(format!(
                "verdict {verdict:?}, TLC: {}",
                expected.unwrap_or("success")
            ))
        }
    }
    Ok(true)
}

fn check_trace(
    spec: &crate::ir::Spec,
    result: &crate::eval::Exploration,
    row: &Row,
    claim: Claim,
) -> Result<(), String> {
    let trace = result.trace.as_ref().ok_or("no trace")?;
    if let Some(steps) = row.cex_steps {
        if trace.len() != steps + 1 {
            return Err(format!(
                "a counterexample of {} steps, TLC's has {steps}",
                trace.len() - 1
            ));
        }
    }
    replay(spec, trace, claim).map_err(|e| e.to_string())
}

/// Models with at most this many states are checked by `cargo test`; all up to 5000 by
/// `cargo test --release -- --ignored`.
const QUICK_STATES: usize = 300;
const ALL_STATES: usize = 5000;

#[test]
fn small_corpus_models_agree_with_tlc() {
    models_agree_with_tlc(QUICK_STATES);
}

#[test]
#[ignore = "slow in debug builds; run with --release -- --ignored"]
fn corpus_models_up_to_5000_states_agree_with_tlc() {
    models_agree_with_tlc(ALL_STATES);
}

fn models_agree_with_tlc(max_states: usize) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/tla-examples");
    let Ok(manifest) = std::fs::read_to_string(root.join("MANIFEST.tsv")) else {
        eprintln!("corpus not found; skipping");
        return;
    };
    let mut checked = Vec::new();
    let mut failures = Vec::new();
    for row in rows(&manifest) {
        let wanted =
            ["success", "safety failure", "deadlock failure"].contains(&row.tlc_full.as_str());
        let Some(states) = row.distinct_states.filter(|&n| n <= max_states && wanted) else {
            continue;
        };
        if KNOWN_GAPS.iter().any(|(cfg, _)| row.cfg == *cfg) {
            continue;
        }
        match conform(&root, &row, states) {
            Ok(true) => checked.push(row.cfg.clone()),
            Ok(false) => eprintln!("skipped {}: out of reach", row.cfg),
            Err(why) => failures.push(format!("{}: {why}", row.cfg)),
        }
    }
    eprintln!("{} models agree with TLC: {checked:?}", checked.len());
    assert!(
        failures.is_empty(),
        "disagreements with TLC:\n{}",
        failures.join("\n")
    );
}
