//! BMC on the TLA+ Examples corpus (`../shared/corpus`, skipped when absent): where TLC found
//! a safety violation or deadlock after k steps, BMC at depth k must find the same kind of
//! violation in exactly k steps, and the counterexample must replay; where TLC found none, BMC
//! must find none within a few steps. Models the front end or the encoding does not support
//! are counted, not failed.

use super::bmc::{check, Options, Outcome};
use crate::config::parse_config;
use crate::diag::Sources;
use crate::eval::{replay, Claim};
use crate::sema;
use crate::syntax::loader::{load_modules, read_source};
use crate::types;
use std::path::Path;
use std::time::Duration;

/// How many steps models TLC found correct are checked to.
const SUCCESS_DEPTH: usize = 3;

#[derive(Debug, Default)]
struct Tally {
    agreed: usize,
    unsupported: Vec<String>,
    unknown: Vec<String>,
    disagreed: Vec<String>,
}

#[test]
#[ignore = "slow: run with --ignored"]
fn corpus_verdicts_agree_with_tlc() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/tla-examples");
    let Ok(manifest) = std::fs::read_to_string(root.join("MANIFEST.tsv")) else {
        eprintln!("corpus not found: skipped");
        return;
    };
    let mut tally = Tally::default();
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let col = |i: usize| cols.get(i).copied().unwrap_or("");
        let (module, cfg, verdict, steps) = (col(0), col(1), col(4), col(5).parse::<usize>().ok());
        let expected = match (verdict, steps) {
            ("success", _) => None,
            ("safety failure", Some(k)) => Some(("invariant", k)),
            ("deadlock failure", Some(k)) => Some(("deadlock", k)),
            _ => continue,
        };
        let label = cfg.to_string();
        match run_one(&root, module, cfg, expected) {
            Ok(true) => tally.agreed += 1,
            Ok(false) => tally.unknown.push(label),
            Err(Problem::Unsupported(why)) => tally.unsupported.push(format!("{label}: {why}")),
            Err(Problem::Disagrees(why)) => tally.disagreed.push(format!("{label}: {why}")),
        }
    }
    eprintln!("{tally:#?}");
    assert!(tally.disagreed.is_empty(), "{:#?}", tally.disagreed);
}

enum Problem {
    Unsupported(String),
    Disagrees(String),
}

fn run_one(
    root: &Path,
    module: &str,
    cfg: &str,
    expected: Option<(&str, usize)>,
) -> Result<bool, Problem> {
    let mut sources = Sources::new();
    let front = (|| {
        let modules = load_modules(&root.join(module), &mut sources)?;
        let file = read_source(&root.join(cfg), &mut sources)?;
        let config = parse_config(file, sources.text(file))?;
        let lowered = sema::lower(&modules, Some((&config, file)), &sema::Options::default())?;
        let types = types::infer(&lowered.spec)?;
        Ok::<_, crate::diag::Diagnostic>((lowered.spec, types))
    })();
    let (spec, types) =
        front.map_err(|d| Problem::Unsupported(format!("front end: {}", d.message)))?;
    // Constants the model leaves open (Apalache's `ConstInit`, `X <- Def` the front end does not
    // resolve) make the models differ from TLC's.
    if let Some(open) = spec.constants.iter().find(|c| c.value.is_none()) {
        return Err(Problem::Unsupported(format!(
            "constant `{}` left symbolic",
            open.name
        )));
    }
    let depth = expected.map_or(SUCCESS_DEPTH, |(_, k)| k);
    let options = Options {
        depth,
        timeout: Some(Duration::from_secs(20)),
    };
    let outcome = check(&spec, &types, &options, &mut |_, _| {})
        .map_err(|d| Problem::Unsupported(format!("{} {}", d.code, d.message)))?;
    let (claim, trace) = match (&outcome, expected) {
        (Outcome::Unknown { .. }, _) => return Ok(false),
        (Outcome::NoViolation { .. }, None) => return Ok(true),
        (Outcome::InvariantViolated { name, trace }, Some(("invariant", _))) => {
            (Claim::InvariantViolated(name.clone()), trace)
        }
        (Outcome::Deadlock { trace }, Some(("deadlock", _))) => (Claim::Deadlock, trace),
        (outcome, expected) => {
            return Err(Problem::Disagrees(format!(
                "{}, TLC: {expected:?}",
                summary(outcome)
            )));
        }
    };
    if trace.steps.len() != depth + 1 {
        return Err(Problem::Disagrees(format!(
            "{} steps, TLC: {depth}",
            trace.steps.len() - 1
        )));
    }
    replay(&spec, &trace.steps, claim)
        .map_err(|e| Problem::Disagrees(format!("does not replay: {e}")))?;
    Ok(true)
}

fn summary(outcome: &Outcome) -> String {
    match outcome {
        Outcome::NoViolation { depth } => format!("no violation to depth {depth}"),
        Outcome::InvariantViolated { name, trace } => {
            format!("{name} violated in {} steps", trace.steps.len() - 1)
        }
        Outcome::Deadlock { trace } => format!("deadlock in {} steps", trace.steps.len() - 1),
        Outcome::EvaluationError { trace, error } => format!(
            "evaluation error in {} steps: {}",
            trace.steps.len() - 1,
            error.message
        ),
        Outcome::Unknown { reason, .. } => format!("unknown: {reason}"),
    }
}
