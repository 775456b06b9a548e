//! `check`'s second half: the temporal properties (`PROPERTY` in the config, `--temporal`),
//! checked by the lasso search once the invariants hold.

use super::{
    report, report_counterexample, stats, CheckRequest, Frontend, Violation, EXIT_UNKNOWN,
};
use crate::engine::{self, liveness::Outcome};
use crate::eval::lasso::{replay_lasso, replay_safety_property};
use crate::ir::Named;

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
    let options = engine::Options {
        depth: request.depth,
        timeout: request.timeout,
    };
    // Called once the bounded search has found no invariant violation to the same depth, so
    // the invariants hold in every state a lasso can reach.
    let (outcome, search_stats) =
        match engine::liveness::check_with_stats(spec, &front.types, &options, true) {
            Ok(searched) => searched,
            Err(diagnostic) => return Err(report(&diagnostic, &front.sources)),
        };
    if request.stats {
        stats::print_lasso_search(&search_stats);
    }
    let property = |name: &str| spec.properties.iter().find(|p| p.name == name);
    match outcome {
        Outcome::NoViolation { depth } => {
            let names: Vec<&str> = spec.properties.iter().map(|p| p.name.as_str()).collect();
            Ok((!request.json).then(|| {
                format!(
                    "No violation of the temporal properties {} in any lasso of up to {} states.",
                    names.join(", "),
                    depth + 1
                )
            }))
        }
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
