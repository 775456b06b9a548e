//! The TLC-style listing of a behaviour.
//!
//! ```text
//! State 1: <Initial predicate>
//! /\ holder = NoOne
//! /\ nextToken = 1
//!
//! State 2: <Acquire(c1) line 41, col 5 to line 46, col 40 of module FencedLock>
//! /\ holder = c1
//! /\ nextToken = 2
//! ```
//!
//! Values are printed with `Value`'s `Display`, which writes TLA+ notation. It needs no
//! types: every value it prints is an expression equal, in TLA+, to the value. In particular
//! a function with an empty domain prints as `<<>>`, whatever its type, and that is right,
//! because in TLA+ `<<>> = [x \in {} |-> e]` for every `e`: there is only one empty function.

use super::action_label;
use crate::diag::Sources;
use crate::ir::{Behaviour, Loc, Spec, Step};

/// How to print a behaviour.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TextOptions {
    /// List, for every state after the first, only the variables whose value changed.
    pub diff: bool,
}

/// The behaviour as TLC prints it: numbered states (from 1), each headed by the action that
/// reached it with its location, then one `/\ name = value` line per variable in declaration
/// order; states are separated by a blank line. A lasso ends with `Back to state N`, or, when
/// it loops on its last state, with TLC's `State N: Stuttering`.
pub fn text(spec: &Spec, sources: &Sources, behaviour: &Behaviour, options: TextOptions) -> String {
    let mut out = String::new();
    let mut previous: Option<&Step> = None;
    for (index, step) in behaviour.steps.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        out.push_str(&format!(
            "State {}: <{}>\n",
            index + 1,
            step_title(spec, sources, step)
        ));
        let changed_since = if options.diff { previous } else { None };
        write_variables(&mut out, spec, step, changed_since);
        previous = Some(step);
    }
    match behaviour.loop_start {
        // A loop from the last state to itself: the behaviour stops and stutters forever.
        Some(loop_start) if loop_start + 1 == behaviour.steps.len() => {
            let next = behaviour.steps.len() + 1;
            out.push_str(&format!("\nState {next}: Stuttering\n"));
        }
        // TLC numbers states from 1; `loop_start` indexes `steps` from 0.
        Some(loop_start) => out.push_str(&format!("\nBack to state {}\n", loop_start + 1)),
        None => {}
    }
    out
}

/// What goes between `<` and `>` after `State N:`.
fn step_title(spec: &Spec, sources: &Sources, step: &Step) -> String {
    let Some(action) = &step.action else {
        return "Initial predicate".to_string();
    };
    let label = action_label(spec, action);
    let location = spec
        .actions
        .get(action.action)
        .and_then(|a| describe_location(sources, a.loc));
    match location {
        Some(location) => format!("{label} {location}"),
        None => label,
    }
}

/// `line 41, col 5 to line 46, col 40 of module FencedLock`, in TLC's words: both ends are
/// inclusive, so the end is the position of the span's last character. `None` when the
/// location is in no file (an action built by hand).
fn describe_location(sources: &Sources, loc: Loc) -> Option<String> {
    if sources.text(loc.file).is_empty() {
        return None;
    }
    let (start_line, start_col) = sources.line_col(loc.file, loc.span.start);
    let last_char = loc.span.end.saturating_sub(1).max(loc.span.start);
    let (end_line, end_col) = sources.line_col(loc.file, last_char);
    let module = sources
        .path(loc.file)
        .file_stem()
        .map(|stem| stem.to_string_lossy());
    let module = module.unwrap_or_default();
    Some(format!(
        "line {start_line}, col {start_col} to line {end_line}, col {end_col} of module {module}"
    ))
}

/// One `/\ name = value` line per variable, in declaration order; with `changed_since`, only
/// the variables whose value differs from that state's.
fn write_variables(out: &mut String, spec: &Spec, step: &Step, changed_since: Option<&Step>) {
    for (index, (variable, value)) in spec.vars.iter().zip(&step.state).enumerate() {
        let unchanged = changed_since.and_then(|before| before.state.get(index)) == Some(value);
        if !unchanged {
            out.push_str(&format!("/\\ {} = {}\n", variable.name, value));
        }
    }
}
