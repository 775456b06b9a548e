//! Differential testing: bounded model checking (`engine::check`, Z3) against the explicit-state
//! explorer (`eval::explore`, the concrete evaluator), which share no code.
//!
//! The oracle is exact. The explorer is run once per claim — each invariant alone, and deadlock
//! alone — so it gives the least depth at which each claim can be violated (one search for all
//! claims stops at the first violation in TLC's order, which is not always the shallowest: a
//! state's deadlock is seen only when it is expanded, after earlier states' successors were
//! checked). BMC checks, at each depth, the invariants in order and then deadlock, so its
//! verdict must be the first claim, in that order, among those of least depth. Both engines'
//! counterexamples must replay.

#![allow(dead_code)] // each test crate uses part of the support

pub mod random_spec;

use smtcheck::cli::{compile, Frontend};
use smtcheck::engine::{self, Outcome};
use smtcheck::eval::{explore, replay, Claim, Limits, Verdict};
use smtcheck::ir::{Spec, Step};
use smtcheck::sema::Options;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What one comparison found.
#[derive(Debug, PartialEq, Eq)]
pub enum Comparison {
    /// Same verdict, same length, both counterexamples replay.
    Agree,
    /// Not compared, and why: the front end or encoder rejects the spec, the explorer hit its
    /// state limit or an evaluation error, the solver said unknown.
    Skipped(String),
    /// A bug in one of the two engines.
    Disagree(String),
}

/// The budget of one comparison.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    pub depth: usize,
    pub max_states: usize,
    pub solver_timeout: Duration,
}

/// Compares the two engines on the spec in `file` with its model `config`.
pub fn compare_file(file: &Path, config: Option<&Path>, budget: Budget) -> Comparison {
    match compile(file, config, &Options::default()) {
        Ok((front, _warnings)) => compare(&front, budget),
        Err(error) => Comparison::Skipped(format!(
            "front end: {} {}",
            error.diagnostic.code, error.diagnostic.message
        )),
    }
}

/// Compares the two engines on a compiled spec.
pub fn compare(front: &Frontend, budget: Budget) -> Comparison {
    let spec = &front.spec;
    if let Some(constant) = spec.constants.iter().find(|c| c.is_symbolic()) {
        return Comparison::Skipped(format!("constant `{}` has no value", constant.name));
    }
    let expected = match shallowest_violation(spec, budget) {
        Ok(expected) => expected,
        Err(skip) => return Comparison::Skipped(skip),
    };
    let options = engine::Options {
        depth: budget.depth,
        timeout: Some(budget.solver_timeout),
    };
    let outcome = match engine::check(spec, &front.types, &options, &mut |_, _| {}) {
        Ok(outcome) => outcome,
        Err(diagnostic) => {
            return Comparison::Skipped(format!("bmc: {} {}", diagnostic.code, diagnostic.message))
        }
    };
    let (found, trace) = match outcome {
        Outcome::Unknown { depth, reason } => {
            return Comparison::Skipped(format!("bmc unknown at depth {depth}: {reason}"))
        }
        Outcome::NoViolation { .. } => (None, None),
        Outcome::InvariantViolated { name, trace } => (
            Some(Violation::new(Claim::InvariantViolated(name), &trace.steps)),
            Some(trace.steps),
        ),
        Outcome::Deadlock { trace } => (
            Some(Violation::new(Claim::Deadlock, &trace.steps)),
            Some(trace.steps),
        ),
        // The explorer met no error (it would have skipped), yet the evaluator raised this one.
        Outcome::EvaluationError { error, .. } => {
            return Comparison::Disagree(format!(
                "bmc found an evaluation error the explorer did not meet: {}",
                error.message
            ))
        }
    };
    if found != expected {
        return Comparison::Disagree(format!(
            "bmc found {}, the explorer {}",
            describe(&found),
            describe(&expected)
        ));
    }
    if let (Some(found), Some(trace)) = (found, trace) {
        if let Err(error) = replay(spec, &trace, found.claim) {
            return Comparison::Disagree(format!(
                "bmc's counterexample does not replay: state {}: {}; the trace: {:?}",
                error.state,
                error.message,
                trace.iter().map(|step| &step.state).collect::<Vec<_>>()
            ));
        }
    }
    Comparison::Agree
}

/// A claim violated by a behaviour of `steps` steps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub claim: Claim,
    pub steps: usize,
}

impl Violation {
    fn new(claim: Claim, trace: &[Step]) -> Violation {
        Violation {
            claim,
            steps: trace.len().saturating_sub(1),
        }
    }
}

fn describe(violation: &Option<Violation>) -> String {
    match violation {
        None => "no violation".into(),
        Some(Violation { claim, steps }) => format!("{claim:?} after {steps} steps"),
    }
}

/// The violation BMC must report, by the explorer: for each claim in BMC's order the least
/// depth at which it fails (its counterexample replayed), then the first of the shallowest.
fn shallowest_violation(spec: &Spec, budget: Budget) -> Result<Option<Violation>, String> {
    let mut claims: Vec<Claim> = spec
        .invariants
        .iter()
        .map(|inv| Claim::InvariantViolated(inv.name.clone()))
        .collect();
    if spec.check_deadlock {
        claims.push(Claim::Deadlock);
    }
    let mut best: Option<Violation> = None;
    for claim in claims {
        if let Some(found) = explore_claim(spec, &claim, budget)? {
            if best.as_ref().is_none_or(|b| found.steps < b.steps) {
                best = Some(found);
            }
        }
    }
    Ok(best)
}

/// The explorer's shortest violation of `claim` alone, within the depth bound.
fn explore_claim(spec: &Spec, claim: &Claim, budget: Budget) -> Result<Option<Violation>, String> {
    let mut alone = spec.clone();
    alone.check_deadlock = *claim == Claim::Deadlock;
    alone
        .invariants
        .retain(|inv| *claim == Claim::InvariantViolated(inv.name.clone()));
    let limits = Limits {
        max_states: budget.max_states,
        max_depth: budget.depth,
        ..Limits::default()
    };
    let exploration = explore(&alone, limits).map_err(|e| format!("explorer: {e}"))?;
    match exploration.verdict {
        Verdict::NoViolation { .. } => Ok(None),
        Verdict::LimitReached => Err(format!("explorer: more than {} states", budget.max_states)),
        Verdict::InvariantViolated(_) | Verdict::Deadlock => {
            let trace = exploration.trace.unwrap_or_default();
            replay(spec, &trace, claim.clone()).map_err(|error| {
                format!(
                    "the explorer's counterexample does not replay: state {}: {}",
                    error.state, error.message
                )
            })?;
            Ok(Some(Violation::new(claim.clone(), &trace)))
        }
    }
}

/// Counts of a differential run.
#[derive(Debug, Default)]
pub struct Tally {
    pub compared: usize,
    pub agreed: usize,
    pub skipped: Vec<String>,
    pub disagreed: Vec<String>,
}

impl Tally {
    pub fn add(&mut self, label: &str, comparison: Comparison) {
        self.compared += 1;
        match comparison {
            Comparison::Agree => self.agreed += 1,
            Comparison::Skipped(why) => self.skipped.push(format!("{label}: {why}")),
            Comparison::Disagree(why) => self.disagreed.push(format!("{label}: {why}")),
        }
    }

    /// One line of counts.
    pub fn summary(&self, what: &str) -> String {
        format!(
            "{what}: {} compared, {} agree, {} disagree, {} skipped",
            self.compared,
            self.agreed,
            self.disagreed.len(),
            self.skipped.len()
        )
    }
}

/// Writes `tla` and `cfg` as `name.tla` and `name.cfg` into a fresh directory under the
/// system's temporary directory; returns the module's path.
pub fn write_spec(name: &str, tla: &str, cfg: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("smtcheck-diff-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    std::fs::write(dir.join(format!("{name}.tla")), tla).expect("the module file");
    std::fs::write(dir.join(format!("{name}.cfg")), cfg).expect("the model file");
    dir.join(format!("{name}.tla"))
}
