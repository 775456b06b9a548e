//! The reachable state graph of a finite model, built breadth-first, with every edge kept.
//!
//! Besides the steps of the spec's actions, each state has a *stuttering* edge to itself:
//! a behaviour may stop and stutter forever, unless fairness forbids it. States outside the
//! state constraints (`CONSTRAINT`) and steps outside the action constraints are not part of
//! the graph, as TLC leaves them out of its behaviours; a state outside the state constraints
//! is remembered as a *boundary* state, where a safety property is still checked.

use super::super::action::{initial_states, successors, Successor};
use super::super::explore::holds_all;
use super::super::EvalError;
use crate::ir::{ActionInstance, Spec, Step};
use crate::value::Value;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Instant;

/// How large a graph to build before giving up.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    pub max_states: usize,
    /// Give up when the graph is not built by then (`None`: take as long as it takes).
    pub deadline: Option<Instant>,
}

/// A step of the graph: an action's (with its parameters), or stuttering (`action: None`).
#[derive(Clone, Debug)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub action: Option<ActionInstance>,
}

/// A step from a state of the graph (or, with `from: None`, an initial state) to a state
/// outside the state constraints.
#[derive(Clone, Debug)]
pub struct Boundary {
    pub from: Option<usize>,
    pub action: Option<ActionInstance>,
    pub state: Vec<Value>,
}

pub struct Graph {
    pub states: Vec<Rc<[Value]>>,
    /// The number of steps from an initial state to each state, and the edge that first
    /// reached it (`None` for an initial state).
    pub depth: Vec<usize>,
    pub parent: Vec<Option<usize>>,
    pub initial: Vec<usize>,
    pub edges: Vec<Edge>,
    /// `out[s]`: the edges leaving state `s`, its stuttering edge last.
    pub out: Vec<Vec<usize>>,
    pub boundary: Vec<Boundary>,
}

/// Builds the graph, or returns `None` when it does not fit the budget.
pub fn build(spec: &Spec, budget: Budget) -> Result<Option<Graph>, EvalError> {
    let mut builder = Builder {
        spec,
        budget,
        index: HashMap::new(),
        graph: Graph {
            states: Vec::new(),
            depth: Vec::new(),
            parent: Vec::new(),
            initial: Vec::new(),
            edges: Vec::new(),
            out: Vec::new(),
            boundary: Vec::new(),
        },
    };
    for state in initial_states(spec)? {
        if builder.index.contains_key(state.as_slice()) {
            continue;
        }
        match builder.add(state, None, None)? {
            Added::State(at) => builder.graph.initial.push(at),
            Added::Outside => {}
            Added::TooMany => return Ok(None),
        }
    }
    let mut next = 0;
    while next < builder.graph.states.len() {
        let late = budget
            .deadline
            .is_some_and(|deadline| Instant::now() >= deadline);
        if late || !builder.expand(next)? {
            return Ok(None);
        }
        next += 1;
    }
    Ok(Some(builder.graph))
}

struct Builder<'s> {
    spec: &'s Spec,
    budget: Budget,
    index: HashMap<Rc<[Value]>, usize>,
    graph: Graph,
}

enum Added {
    State(usize),
    Outside,
    TooMany,
}

impl Builder<'_> {
    /// Adds the edges leaving state `at`; `false` when a new state would exceed the budget.
    fn expand(&mut self, at: usize) -> Result<bool, EvalError> {
        let state = Rc::clone(&self.graph.states[at]);
        let spec = self.spec;
        let mut fits = true;
        successors(
            spec,
            &state,
            &mut |Successor {
                      action,
                      params,
                      state: next,
                  }| {
                if !holds_all(&spec.action_constraints, spec, &state, Some(&next))? {
                    return Ok(true);
                }
                let action = Some(ActionInstance { action, params });
                match self.add(next, Some(at), action.clone())? {
                    Added::State(to) => self.connect(at, to, action),
                    Added::Outside => {}
                    Added::TooMany => fits = false,
                }
                Ok(fits)
            },
        )?;
        self.connect(at, at, None);
        Ok(fits)
    }

    fn connect(&mut self, from: usize, to: usize, action: Option<ActionInstance>) {
        self.graph.out[from].push(self.graph.edges.len());
        self.graph.edges.push(Edge { from, to, action });
    }

    /// The state `state`, reached from `from` by `action`: found, added, or outside the
    /// state constraints.
    fn add(
        &mut self,
        state: Vec<Value>,
        from: Option<usize>,
        action: Option<ActionInstance>,
    ) -> Result<Added, EvalError> {
        if let Some(&at) = self.index.get(state.as_slice()) {
            return Ok(Added::State(at));
        }
        if !holds_all(&self.spec.constraints, self.spec, &state, None)? {
            let boundary = Boundary {
                from,
                action,
                state,
            };
            self.graph.boundary.push(boundary);
            return Ok(Added::Outside);
        }
        if self.graph.states.len() >= self.budget.max_states {
            return Ok(Added::TooMany);
        }
        let at = self.graph.states.len();
        let state: Rc<[Value]> = state.into();
        // The edge that reaches the new state is the next one `connect` adds.
        self.index.insert(Rc::clone(&state), at);
        self.graph.states.push(state);
        self.graph
            .depth
            .push(from.map_or(0, |f| self.graph.depth[f] + 1));
        self.graph.parent.push(from.map(|_| self.graph.edges.len()));
        self.graph.out.push(Vec::new());
        Ok(Added::State(at))
    }
}

impl Graph {
    /// The steps from an initial state to `at`, along the edges that first reached each state.
    pub fn trace_to(&self, mut at: usize) -> Vec<Step> {
        let mut steps = Vec::new();
        loop {
            let state = self.states[at].to_vec();
            match self.parent[at].map(|e| &self.edges[e]) {
                Some(edge) => {
                    steps.push(Step {
                        action: edge.action.clone(),
                        state,
                    });
                    at = edge.from;
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
