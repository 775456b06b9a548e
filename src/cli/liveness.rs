//! `check`'s second half: the temporal properties (`PROPERTY` in the config, `--temporal`),
//! checked once the invariants hold. A model whose reachable graph fits a budget is decided
//! on the whole graph (`eval::fair_cycles`, as TLC does); any other, or a property outside
//! what that search reads, goes to the bounded lasso search (`engine::liveness`).

use super::{
    report, report_counterexample, stats, CheckRequest, Engine, Frontend, Violation, EXIT_UNKNOWN,
};
use crate::engine::{self, liveness::Outcome};
use crate::eval::fair_cycles::{self, Answer, Budget};
use crate::eval::lasso::{replay_lasso, replay_safety_property};
use crate::ir::{Behaviour, Named, Spec};
use std::time::{Duration, Instant};

/// The largest graph the explicit search builds before leaving the question to the lasso
/// search, and the longest it spends building it (at most half of `--timeout`): small models
/// answer at once, and a large one leaves the lasso search time of its own.
const EXPLICIT_STATES: usize = 100_000;
const EXPLICIT_TIME: Duration = Duration::from_secs(30);

/// Checks the spec's properties. Returns the exit code when one is violated or the search
/// cannot decide (having printed why); else the line that says they hold up to the bound,
/// for the caller to print after its own (`None` when there are none, or for JSON output).
pub(super) fn check_properties(
    front: &Frontend,
    request: &CheckRequest,
) -> Result<Option<String>, u8> {
    let spec = &front.spec;
    if spec.properties.is_empty() {
        return Ok(None);
    }
    let started = Instant::now();
    let explicit = match request.engine {
        Engine::Bmc => None,
        Engine::Auto | Engine::Explicit => decided_on_the_graph(spec, request),
    };
    let outcome = match explicit.map(|answer| graph_outcome(spec, answer)) {
        Some(Ok(holds)) => return Ok((!request.json).then_some(holds)),
        Some(Err(Some(violated))) => violated,
        _ => lasso_search(front, request, started.elapsed())?,
    };
    report_outcome(front, request, outcome)
}

/// The explicit search's answer, when it has one: the graph fits the budget and the
/// properties are of the forms it reads.
fn decided_on_the_graph(spec: &Spec, request: &CheckRequest) -> Option<Answer> {
    let time = request
        .timeout
        .map_or(EXPLICIT_TIME, |t| (t / 2).min(EXPLICIT_TIME));
    let budget = Budget {
        max_states: EXPLICIT_STATES,
        deadline: Some(Instant::now() + time),
    };
    let answer = fair_cycles::check(spec, budget);
    if request.stats {
        match &answer {
            Ok(Answer::TooLarge) => eprintln!("stats: the state graph exceeds the explicit search"),
            Ok(Answer::Unsupported(why)) => eprintln!("stats: the explicit search skipped: {why}"),
            Err(error) => eprintln!("stats: the explicit search stopped: {error}"),
            Ok(_) => eprintln!("stats: the explicit search decided the temporal properties"),
        }
    }
    answer.ok()
}

/// The bounded lasso search, with what is left of the time budget.
fn lasso_search(front: &Frontend, request: &CheckRequest, spent: Duration) -> Result<Outcome, u8> {
    let options = engine::Options {
        depth: request.depth,
        timeout: request.timeout.map(|t| t.saturating_sub(spent)),
    };
    // Called once the bounded search has found no invariant violation to the same depth, so
    // the invariants hold in every state a lasso can reach.
    let (outcome, search_stats) =
        match engine::liveness::check_with_stats(&front.spec, &front.types, &options, true) {
            Ok(searched) => searched,
            Err(diagnostic) => return Err(report(&diagnostic, &front.sources)),
        };
    if request.stats {
        stats::print_lasso_search(&search_stats);
    }
    Ok(outcome)
}

/// What the graph search decided: the line saying the properties hold on the whole graph, or
/// the violation to certify and show (`None` when it decided nothing: too large, unsupported).
fn graph_outcome(spec: &Spec, answer: Answer) -> Result<String, Option<Outcome>> {
    let violated = match answer {
        Answer::Holds { states } => {
            return Ok(format!(
                "No violation of the temporal properties {}: all {states} reachable states \
                 searched.",
                names(spec)
            ))
        }
        Answer::SafetyViolated {
            name,
            conjunct,
            trace,
        } => Outcome::SafetyViolated {
            name,
            conjunct,
            trace: Behaviour {
                steps: trace,
                loop_start: None,
            },
        },
        Answer::LivenessViolated { name, trace } => Outcome::LivenessViolated { name, trace },
        Answer::TooLarge | Answer::Unsupported(_) => return Err(None),
    };
    Err(Some(violated))
}

fn names(spec: &Spec) -> String {
    let names: Vec<&str> = spec.properties.iter().map(|p| p.name.as_str()).collect();
    names.join(", ")
}

/// Prints a violation, certified first, or an unknown; returns the summary line otherwise.
fn report_outcome(
    front: &Frontend,
    request: &CheckRequest,
    outcome: Outcome,
) -> Result<Option<String>, u8> {
    let spec = &front.spec;
    let property = |name: &str| spec.properties.iter().find(|p| p.name == name);
    match outcome {
        Outcome::NoViolation { depth } => Ok((!request.json).then(|| {
            format!(
                "No violation of the temporal properties {} in any lasso of up to {} states.",
                names(spec),
                depth + 1
            )
        })),
        Outcome::Unknown { depth, reason } => {
            println!("Unknown: the solver could not decide the temporal properties at depth {depth} ({reason}).");
            Err(EXIT_UNKNOWN)
        }
        Outcome::SafetyViolated {
            name,
            conjunct,
            trace,
        } => {
            // The trace breaks one conjunct of the property, `[]P` or `[][A]_v`: certified
            // against that conjunct, under the property's name.
            let certified = match property(&name) {
                Some(p) => {
                    let broken = Named {
                        name: name.clone(),
                        expr: conjunct,
                        loc: p.loc,
                    };
                    replay_safety_property(spec, &trace.steps, &broken).map_err(|e| e.to_string())
                }
                None => Err(format!("no property named {name}")),
            };
            let violation = Violation::Property(name);
            Err(report_counterexample(
                front, request, &trace, &violation, certified,
            ))
        }
        Outcome::LivenessViolated { name, trace } => {
            let certified = match property(&name) {
                Some(p) => replay_lasso(spec, &trace, p).map_err(|e| e.to_string()),
                None => Err(format!("no property named {name}")),
            };
            let violation = Violation::Lasso(name);
            Err(report_counterexample(
                front, request, &trace, &violation, certified,
            ))
        }
    }
}

/// `explore`'s temporal half, once the explorer found every reachable state and no invariant
/// violation: the properties decided on the whole graph of at most `max_states` states.
pub(super) fn explore_properties(front: &Frontend, max_states: usize) -> u8 {
    let spec = &front.spec;
    if spec.properties.is_empty() {
        return 0;
    }
    let budget = Budget {
        max_states,
        deadline: None,
    };
    let request = CheckRequest {
        depth: usize::MAX,
        timeout: None,
        trace_out: None,
        diff: false,
        verbose: false,
        json: false,
        stats: false,
        engine: Engine::Explicit,
    };
    let answer = match fair_cycles::check(spec, budget) {
        Ok(answer) => answer,
        Err(error) => return report(&error.into(), &front.sources),
    };
    let outcome = match answer {
        Answer::TooLarge => {
            println!("The temporal properties are not checked: the graph has more than {max_states} states.");
            return EXIT_UNKNOWN;
        }
        Answer::Unsupported(why) => {
            println!("The temporal properties are not checked: the explicit search does not handle {why}.");
            return 75;
        }
        decided => match graph_outcome(spec, decided) {
            Ok(holds) => {
                println!("{holds}");
                return 0;
            }
            Err(Some(violated)) => violated,
            Err(None) => return EXIT_UNKNOWN,
        },
    };
    match report_outcome(front, &request, outcome) {
        Ok(_) => 0,
        Err(code) => code,
    }
}
