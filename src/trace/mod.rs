//! Showing a behaviour to the user: the last stage of the pipeline.
//!
//! Every engine reports a counterexample as an `ir::Behaviour`: a list of states, each with
//! the action (and its parameter values) that reached it, possibly ending in a loop. This
//! module turns one into
//!
//! * [`text`]: the listing TLC prints (`State 2: <Acquire(c1) line 41, col 5 to …>` followed
//!   by `/\ x = value` lines), so users of TLC read it without thinking, and
//! * [`itf`]: the Informal Trace Format (Apalache's ADR-015), JSON that Apalache, Quint and
//!   their tooling read.
//!
//! Architecture invariant: this module only formats. It never evaluates, never fails, and
//! never panics, whatever the behaviour holds (an action index out of range, a state with a
//! value missing, a value whose shape disagrees with its type all still print something).

mod itf;
mod text;

#[cfg(test)]
mod tests;

pub use itf::{apalache_type, itf};
pub use text::{text, TextOptions};

use crate::ir::{ActionInstance, Spec};

/// How a step's action is named in both outputs: the action's name followed by its
/// parameters' values in parameter order, `Send(n1, 3)`, or just `Release` when it has none.
///
/// (TLC names only the action; we show the values too, because with Skolemized parameters
/// the values are the interesting part: *which* client acquired the lock.)
pub fn action_label(spec: &Spec, action: &ActionInstance) -> String {
    let name = match spec.actions.get(action.action) {
        Some(definition) => definition.name.clone(),
        // An engine bug, but the trace is still worth showing.
        None => format!("Action#{}", action.action),
    };
    if action.params.is_empty() {
        return name;
    }
    let values: Vec<String> = action
        .params
        .iter()
        .map(|value| value.to_string())
        .collect();
    format!("{name}({})", values.join(", "))
}
