//! `check`'s second half: the temporal properties (`PROPERTY` in the config, `--temporal`),
//! checked by the lasso search once the invariants hold.

use super::{report, report_counterexample, CheckRequest, Frontend, EXIT_UNKNOWN};
use crate::engine::{self, liveness::Outcome};
use crate::eval::lasso::{replay_lasso, replay_safety_property};

/// TLC's exit code for a violated temporal property.
pub const EXIT_LIVENESS: u8 = 13;

/// Checks the spec's properties. Returns the exit code when one is violated or the search
/// cannot decide (having printed why), and `None` when they all hold up to the bound (or
/// there are none).
pub(super) fn check_properties(front: &Frontend, request: &CheckRequest) -> Option<u8> {
    let spec = &front.spec;
    if spec.properties.is_empty() {
        return None;
    }
    let options = engine::Options {
        depth: request.depth,
        timeout: request.timeout,
    };
    let outcome = match engine::liveness::check(spec, &front.types, &options) {
        Ok(outcome) => outcome,
        Err(diagnostic) => return Some(report(&diagnostic, &front.sources)),
    };
    let property = |name: &str| spec.properties.iter().find(|p| p.name == name);
    match outcome {
        Outcome::NoViolation { depth } => {
            if !request.json {
                let names: Vec<&str> = spec.properties.iter().map(|p| p.name.as_str()).collect();
                println!(
                    "No violation of the temporal properties {} in any lasso of up to {} states.",
                    names.join(", "),
                    depth + 1
                );
            }
            None
        }
        Outcome::Unknown { depth, reason } => {
            println!("Unknown: the solver could not decide the temporal properties at depth {depth} ({reason}).");
            Some(EXIT_UNKNOWN)
        }
        Outcome::SafetyViolated { name, trace } => {
            let steps = trace.steps.len().saturating_sub(1);
            let headline = format!("Property {name} is violated by a behaviour of {steps} steps.");
            let certified = match property(&name) {
                Some(p) => replay_safety_property(spec, &trace.steps, p).map_err(|e| e.to_string()),
                None => Err(format!("no property named {name}")),
            };
            Some(report_counterexample(
                front, request, &trace, &headline, 12, certified,
            ))
        }
        Outcome::LivenessViolated { name, trace } => {
            let states = trace.steps.len();
            let headline =
                format!("Temporal property {name} is violated by a lasso of {states} states.");
            let certified = match property(&name) {
                Some(p) => replay_lasso(spec, &trace, p).map_err(|e| e.to_string()),
                None => Err(format!("no property named {name}")),
            };
            Some(report_counterexample(
                front,
                request,
                &trace,
                &headline,
                EXIT_LIVENESS,
                certified,
            ))
        }
    }
}
