//! Explicit-state breadth-first search of the reachable states, as TLC does it.
//!
//! States are found level by level, so the first violation found is at the least depth and
//! the trace back through the parent pointers is a shortest one. Depth counts steps: initial
//! states have depth 0, so `max_depth = k` explores exactly the behaviours of at most `k` steps
//! (the bound `smtcheck check --depth k` means).
//!
//! Constraints follow TLC's semantics (its `ModelChecker.doNext`, and the `Worker` of the
//! parallel checker: invariants are checked on every new state, `inModel` only decides whether
//! it is enqueued):
//! * a state that violates a state constraint (`CONSTRAINT`) is still checked against the
//!   invariants when it is generated, but it is not counted and its successors are not
//!   explored (this holds for initial states too);
//! * a transition that violates an action constraint (`ACTION_CONSTRAINT`, evaluated on the
//!   pair of states) is treated the same way: its target is checked, not explored;
//! * deadlock means that no action generates any successor at all: a state whose successors
//!   are all discarded by constraints is not deadlocked, and neither is a state whose only
//!   successor is itself (an action that leaves every variable unchanged is a step; only
//!   the implicit stuttering of `[Next]_vars` does not count).
//!
//! States at the depth bound are not expanded, but their successors are still computed, so a
//! deadlock at the bound is found and `complete` says whether anything new lay beyond it.
//!
//! The search can be bounded in memory (`Limits::max_bytes`, an estimate of the bytes the
//! stored states take, since a state of a large model may take tens of kilobytes) and stopped
//! from outside (`explore_until`, asked at each successor), so that it can run
//! beside the symbolic engine without exhausting the machine or outliving the race.

use super::action::{initial_states, successors, Successor};
use super::eval::eval_bool;
use super::{Ctx, EvalError};
use crate::ir::{ActionInstance, Named, Spec, Step};
use crate::value::Value;
use std::collections::HashMap;
use std::mem::size_of;
use std::rc::Rc;

/// How far to search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Stop (with `LimitReached`) rather than store more distinct states than this.
    pub max_states: usize,
    /// Do not expand states more than this many steps from an initial state.
    pub max_depth: usize,
    /// Stop (with `LimitReached`) rather than let the stored states take more bytes than
    /// this, by `estimated_bytes`.
    pub max_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_states: usize::MAX,
            max_depth: usize::MAX,
            max_bytes: usize::MAX,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// No reachable state (within the depth bound) violates an invariant or deadlocks.
    /// `complete` is true when every reachable state was explored.
    NoViolation { complete: bool },
    /// The named invariant is false in the trace's last state.
    InvariantViolated(String),
    /// The trace's last state has no successor.
    Deadlock,
    /// The search stopped before its end: `max_states` distinct states were found, the
    /// stored states reached `max_bytes`, or the caller asked it to stop.
    LimitReached,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Exploration {
    pub verdict: Verdict,
    pub distinct_states: usize,
    /// The greatest depth (in steps) of a state found.
    pub depth_reached: usize,
    /// A shortest behaviour ending in the violation, for `InvariantViolated` and `Deadlock`.
    pub trace: Option<Vec<Step>>,
}

/// A state found, with how it was first reached.
struct Node {
    state: Rc<[Value]>,
    depth: usize,
    /// The predecessor's index, the action's index and its parameter values.
    parent: Option<(usize, usize, Vec<Value>)>,
}

/// What a search found that ends it.
enum Stop {
    Violation(Verdict, usize),
    LimitReached,
}

struct Search<'s> {
    spec: &'s Spec,
    limits: Limits,
    nodes: Vec<Node>,
    index: HashMap<Rc<[Value]>, usize>,
    /// The estimated bytes the stored states take.
    bytes: usize,
    /// Whether some state beyond the depth bound was left unexplored.
    cut_off: bool,
    /// The caller's request to stop, asked at each successor generated.
    stop_requested: &'s dyn Fn() -> bool,
}

/// Explores the reachable states of `spec` breadth-first.
pub fn explore(spec: &Spec, limits: Limits) -> Result<Exploration, EvalError> {
    explore_until(spec, limits, &|| false)
}

/// `explore`, which stops with `LimitReached` once `stop_requested` says so: it is asked
/// at each successor generated (a cancel flag, a deadline), since one state of a large model
/// may have thousands.
pub fn explore_until(
    spec: &Spec,
    limits: Limits,
    stop_requested: &dyn Fn() -> bool,
) -> Result<Exploration, EvalError> {
    let mut search = Search {
        spec,
        limits,
        nodes: Vec::new(),
        index: HashMap::new(),
        bytes: 0,
        cut_off: false,
        stop_requested,
    };
    let stop = search.run()?;
    Ok(search.finish(stop))
}

impl<'s> Search<'s> {
    fn run(&mut self) -> Result<Option<Stop>, EvalError> {
        for state in initial_states(self.spec)? {
            if let Some(stop) = self.discover(state, None, true)? {
                return Ok(Some(stop));
            }
        }
        let mut next = 0;
        while next < self.nodes.len() {
            if let Some(stop) = self.expand(next)? {
                return Ok(Some(stop));
            }
            next += 1;
        }
        Ok(None)
    }

    /// Generates the successors of node `at`, and reports a deadlock if it has none.
    fn expand(&mut self, at: usize) -> Result<Option<Stop>, EvalError> {
        let state = Rc::clone(&self.nodes[at].state);
        let at_bound = self.nodes[at].depth >= self.limits.max_depth;
        let mut has_successor = false;
        let mut stop = None;
        let spec = self.spec;
        successors(
            spec,
            &state,
            &mut |Successor {
                      action,
                      params,
                      state: next,
                  }| {
                has_successor = true;
                if (self.stop_requested)() {
                    stop = Some(Stop::LimitReached);
                    return Ok(false);
                }
                let allowed = self.allowed_step(&state, &next)?;
                if at_bound {
                    if allowed && self.is_new(&next)? {
                        self.cut_off = true;
                    }
                    return Ok(true);
                }
                stop = self.discover(next, Some((at, action, params)), allowed)?;
                Ok(stop.is_none())
            },
        )?;
        if stop.is_none() && !has_successor && self.spec.check_deadlock {
            stop = Some(Stop::Violation(Verdict::Deadlock, at));
        }
        Ok(stop)
    }

    /// Whether `next` would be a new state of the model (it satisfies the state constraints
    /// and was not seen before).
    fn is_new(&self, next: &[Value]) -> Result<bool, EvalError> {
        Ok(!self.index.contains_key(next)
            && holds_all(&self.spec.constraints, self.spec, next, None)?)
    }

    fn allowed_step(&self, state: &[Value], next: &[Value]) -> Result<bool, EvalError> {
        holds_all(&self.spec.action_constraints, self.spec, state, Some(next))
    }

    /// Checks the invariants of a generated `state` that was not seen before, and adds it to
    /// the states to explore when it is in the model: it satisfies the state constraints and
    /// `step_allowed` (the action constraints held for the step that generated it). A state
    /// outside the model is kept only when it breaks an invariant, for the trace.
    fn discover(
        &mut self,
        state: Vec<Value>,
        parent: Option<(usize, usize, Vec<Value>)>,
        step_allowed: bool,
    ) -> Result<Option<Stop>, EvalError> {
        if self.index.contains_key(state.as_slice()) {
            return Ok(None);
        }
        let in_model = step_allowed && holds_all(&self.spec.constraints, self.spec, &state, None)?;
        if in_model {
            let bytes = self.bytes.saturating_add(estimated_bytes(&state));
            if self.nodes.len() >= self.limits.max_states || bytes > self.limits.max_bytes {
                return Ok(Some(Stop::LimitReached));
            }
            self.bytes = bytes;
        }
        let broken = self.broken_invariant(&state)?;
        if !in_model && broken.is_none() {
            return Ok(None);
        }
        let depth = parent
            .as_ref()
            .map_or(0, |(p, _, _)| self.nodes[*p].depth + 1);
        let state: Rc<[Value]> = state.into();
        let at = self.nodes.len();
        self.nodes.push(Node {
            state: Rc::clone(&state),
            depth,
            parent,
        });
        if in_model {
            self.index.insert(Rc::clone(&state), at);
        }
        Ok(broken.map(|name| Stop::Violation(Verdict::InvariantViolated(name), at)))
    }

    fn broken_invariant(&self, state: &[Value]) -> Result<Option<String>, EvalError> {
        for invariant in &self.spec.invariants {
            if !eval_bool(&invariant.expr, &Ctx::new(self.spec, state))? {
                return Ok(Some(invariant.name.clone()));
            }
        }
        Ok(None)
    }

    fn finish(self, stop: Option<Stop>) -> Exploration {
        let (verdict, trace) = match stop {
            None => (
                Verdict::NoViolation {
                    complete: !self.cut_off,
                },
                None,
            ),
            Some(Stop::LimitReached) => (Verdict::LimitReached, None),
            Some(Stop::Violation(verdict, at)) => (verdict, Some(self.trace_to(at))),
        };
        Exploration {
            verdict,
            distinct_states: self.nodes.len(),
            depth_reached: self.nodes.iter().map(|n| n.depth).max().unwrap_or(0),
            trace,
        }
    }

    /// The behaviour from an initial state to node `at`, along the parent pointers.
    fn trace_to(&self, mut at: usize) -> Vec<Step> {
        let mut steps = Vec::new();
        loop {
            let node = &self.nodes[at];
            let state = node.state.to_vec();
            match &node.parent {
                Some((parent, action, params)) => {
                    let action = ActionInstance {
                        action: *action,
                        params: params.clone(),
                    };
                    steps.push(Step {
                        action: Some(action),
                        state,
                    });
                    at = *parent;
                }
                None => {
                    steps.push(Step {
                        action: None,
                        state,
                    });
                    break;
                }
            }
        }
        steps.reverse();
        steps
    }
}

/// About how many bytes storing `state` takes: its node, its entry in the index, and its
/// values with their heap parts (a B-tree holds each item with about half as much again of
/// node overhead). An estimate for a memory budget, not an account.
fn estimated_bytes(state: &[Value]) -> usize {
    let stored = size_of::<Node>() + 2 * size_of::<(Rc<[Value]>, usize)>();
    stored + state.iter().map(value_bytes).sum::<usize>()
}

fn value_bytes(value: &Value) -> usize {
    let in_tree = |items: usize| items * size_of::<Value>() * 3 / 2;
    size_of::<Value>()
        + match value {
            Value::Bool(_) | Value::Int(_) => 0,
            Value::Str(text) | Value::ModelValue(text) => text.len(),
            Value::Set(items) => {
                in_tree(items.len()) + items.iter().map(value_bytes).sum::<usize>()
            }
            Value::Fn(map) => {
                in_tree(2 * map.len())
                    + map
                        .iter()
                        .map(|(key, item)| value_bytes(key) + value_bytes(item))
                        .sum::<usize>()
            }
        }
}

/// Whether every formula of `named` holds in `state` (and `next`, for action constraints).
pub(crate) fn holds_all(
    named: &[Named],
    spec: &Spec,
    state: &[Value],
    next: Option<&[Value]>,
) -> Result<bool, EvalError> {
    for formula in named {
        let ctx = Ctx::new(spec, state);
        let ctx = match next {
            Some(next) => ctx.with_next(next),
            None => ctx,
        };
        if !eval_bool(&formula.expr, &ctx)? {
            return Ok(false);
        }
    }
    Ok(true)
}
