//! Temporal properties under fairness, decided on the whole state graph, as TLC does it.
//!
//! The bounded lasso search (`engine::liveness`) finds violations, but proves their absence
//! only for lassos up to a length. A finite model whose reachable graph fits in memory is
//! decided exactly instead: a temporal property is violated exactly when some reachable
//! *fair cycle* satisfies its negation. The search:
//!
//! 1. builds the reachable graph (`graph`), each state with a stuttering step to itself;
//! 2. splits each property into conjuncts (`/\`, `\A` over a constant set, as TLC does) and
//!    reads each conjunct's negation as a disjunction of clauses (`clause`);
//! 3. for a clause `<>a` of a conjunct `[]P` or `[][A]_v`, looks for the shortest path to a
//!    state (or step) where `a` holds: a safety violation, with a finite trace;
//! 4. for any other clause, searches the product of the graph with the clause's phases —
//!    before its trigger `<>(s /\ []g)`, at it, after it — restricted to where its `[]` atoms
//!    hold, for a strongly connected component of states after the trigger where its `<>[]`
//!    atoms hold, that has a step or state for each `[]<>` atom, and that is *fair*: for each
//!    `WF_v(A)` (quantified ones expanded), `<<A>>_v` is taken on one of its steps or A is
//!    disabled in one of its states; for each `SF_v(A)`, `<<A>>_v` is taken or A is enabled in
//!    none of its states — or else, the states where it is enabled are removed and the rest
//!    searched again (the usual refinement for strong fairness);
//! 5. turns each component found into a lasso (the shortest path to it, then a loop through
//!    a witness of each condition) and reports the shortest.
//!
//! "No violation" is an answer only when the whole graph was built. A property outside the
//! clauses' fragment is `Unsupported`, and a graph beyond the budget `TooLarge`: the caller
//! then falls back to the bounded lasso search. The lasso found still goes through
//! `lasso::replay_lasso` before it is shown.

mod clause;
mod graph;
mod scc;

#[cfg(test)]
mod tests;

pub use graph::Budget;

use super::action::enabled;
use super::eval::{eval_bool, for_each_binding};
use super::{Ctx, Env, EvalError};
use crate::ir::rewrite::{angle, is_temporal};
use crate::ir::{Behaviour, Expr, ExprKind, Fairness, Op, Quantifier, Spec, Step};
use crate::value::Value;
use clause::{Atom, Clause};
use graph::Graph;
use std::collections::{HashMap, HashSet, VecDeque};

#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// No property is violated: the whole reachable graph of `states` states was searched.
    Holds { states: usize },
    /// The conjunct `[]P` or `[][A]_v` of property `name` fails at the end of `trace`.
    SafetyViolated {
        name: String,
        conjunct: Expr,
        trace: Vec<Step>,
    },
    /// `trace` is a fair lasso on which property `name` is false.
    LivenessViolated { name: String, trace: Behaviour },
    /// The reachable graph does not fit the budget.
    TooLarge,
    /// A property, or a counterexample's shape, that this search does not handle.
    Unsupported(String),
}

/// Decides the temporal properties of `spec` on its reachable graph.
pub fn check(spec: &Spec, budget: Budget) -> Result<Answer, EvalError> {
    let goals = match goals(spec) {
        Ok(goals) => goals,
        Err(reason) => return Ok(Answer::Unsupported(reason)),
    };
    let fairness = match fair_instances(spec) {
        Ok(fairness) => fairness,
        Err(error) => return Ok(Answer::Unsupported(error.message)),
    };
    let Some(graph) = graph::build(spec, budget)? else {
        return Ok(Answer::TooLarge);
    };
    let mut search = Search::new(spec, &graph, fairness);
    let mut shortest: Option<Answer> = None;
    for goal in &goals {
        let Some(found) = search.goal(goal)? else {
            continue;
        };
        if let Answer::Unsupported(_) = found {
            return Ok(found);
        }
        if shortest.as_ref().is_none_or(|s| length(&found) < length(s)) {
            shortest = Some(found);
        }
    }
    Ok(shortest.unwrap_or(Answer::Holds {
        states: graph.states.len(),
    }))
}

/// The number of states of a counterexample.
fn length(answer: &Answer) -> usize {
    match answer {
        Answer::SafetyViolated { trace, .. } => trace.len(),
        Answer::LivenessViolated { trace, .. } => trace.steps.len(),
        _ => usize::MAX,
    }
}

/// One conjunct of a property, its negation read as clauses.
struct Goal {
    name: String,
    conjunct: Expr,
    clauses: Vec<Clause>,
}

/// The conjuncts of every property, in order.
fn goals(spec: &Spec) -> Result<Vec<Goal>, String> {
    let mut goals = Vec::new();
    for property in &spec.properties {
        for conjunct in conjuncts(spec, &property.expr)? {
            let clauses = clause::negation(spec, &conjunct)?;
            if clauses
                .iter()
                .any(|c| c.initially.iter().any(Atom::is_action))
            {
                return Err("an action formula about the first step".into());
            }
            goals.push(Goal {
                name: property.name.clone(),
                conjunct,
                clauses,
            });
        }
    }
    Ok(goals)
}

/// `/\` and `\A` over a constant set split a property, as TLC splits it.
fn conjuncts(spec: &Spec, property: &Expr) -> Result<Vec<Expr>, String> {
    match &*property.kind {
        ExprKind::Apply(Op::And, parts) => {
            let mut all = Vec::new();
            for part in parts {
                all.extend(conjuncts(spec, part)?);
            }
            Ok(all)
        }
        ExprKind::Quant(Quantifier::Forall, binders, body) if is_temporal(body) => {
            let mut all = Vec::new();
            for instance in super::eval::instances(spec, binders, body)? {
                all.extend(conjuncts(spec, &instance)?);
            }
            Ok(all)
        }
        _ => Ok(vec![property.clone()]),
    }
}

/// One instance of a fairness condition: `WF` or `SF` of the step `<<A>>_v`, with the
/// values of the condition's quantified variables.
struct FairInstance {
    kind: Fairness,
    step: Expr,
    env: Env,
}

fn fair_instances(spec: &Spec) -> Result<Vec<FairInstance>, EvalError> {
    let no_state: Vec<Value> = Vec::new();
    let mut result = Vec::new();
    for condition in &spec.fairness {
        let step = angle(&condition.action, &condition.vars);
        for_each_binding(
            &condition.binders,
            &Ctx::new(spec, &no_state),
            &mut |inner, _| {
                result.push(FairInstance {
                    kind: condition.kind,
                    step: step.clone(),
                    env: inner.bounds.clone(),
                });
                Ok(true)
            },
        )?;
    }
    Ok(result)
}

/// The phase of a position of a behaviour with respect to a clause's trigger.
const BEFORE: usize = 0;
const TRIGGER: usize = 1;
const AFTER: usize = 2;
const PHASES: usize = 3;

/// A node of the product of the graph with a clause's phases.
fn node(state: usize, phase: usize) -> usize {
    state * PHASES + phase
}

fn state_of(node: usize) -> usize {
    node / PHASES
}

fn phase_of(node: usize) -> usize {
    node % PHASES
}

/// The search over one graph, with what it evaluated of the fairness conditions.
struct Search<'a> {
    spec: &'a Spec,
    graph: &'a Graph,
    fairness: Vec<FairInstance>,
    /// `enabled[f][s]`: `ENABLED <<A>>_v` of instance `f` in state `s`, once evaluated.
    enabled: Vec<Vec<Option<bool>>>,
    /// `taken[f][e]`: edge `e` is a step `<<A>>_v` of instance `f`, once evaluated.
    taken: Vec<Vec<Option<bool>>>,
}

/// Where each atom of a clause holds: per state for state formulas, per edge for actions
/// (an atom of the other kind holds everywhere in the table of this one).
struct Table {
    states: Vec<bool>,
    edges: Vec<bool>,
}

/// A clause's atoms, evaluated on the graph.
struct Labels {
    has_trigger: bool,
    /// The trigger has an action atom, about the step that leaves it.
    trigger_on_steps: bool,
    initially: Table,
    always: Table,
    trigger: Table,
    then_always: Table,
    eventually_always: Table,
    /// Per `[]<>` atom: whether it is an action, and where it holds.
    infinitely_often: Vec<(bool, Table)>,
}

/// A condition the loop of a lasso must meet: visiting one of `nodes` or taking one of
/// `edges`.
#[derive(Default)]
struct Witness {
    nodes: HashSet<usize>,
    edges: HashSet<usize>,
}

/// A component of the loop subgraph on which a fair loop satisfies the clause, with the
/// witnesses the loop must visit.
struct FairComponent {
    nodes: Vec<usize>,
    witnesses: Vec<Witness>,
}

/// The product nodes reached from the initial ones: the depth and the step that reached each.
struct Reached {
    order: Vec<usize>,
    parent: HashMap<usize, Option<(usize, usize)>>,
    depth: HashMap<usize, usize>,
}

impl<'a> Search<'a> {
    fn new(spec: &'a Spec, graph: &'a Graph, fairness: Vec<FairInstance>) -> Search<'a> {
        let enabled = vec![vec![None; graph.states.len()]; fairness.len()];
        let taken = vec![vec![None; graph.edges.len()]; fairness.len()];
        Search {
            spec,
            graph,
            fairness,
            enabled,
            taken,
        }
    }

    /// The shortest violation of `goal`, if any.
    fn goal(&mut self, goal: &Goal) -> Result<Option<Answer>, EvalError> {
        let mut shortest: Option<Answer> = None;
        for clause in &goal.clauses {
            let found = match clause.violated_invariant() {
                Some(atom) if matches!(&*goal.conjunct.kind, ExprKind::Always(_)) => {
                    self.prefix_violation(goal, atom)?
                }
                _ => self.fair_lasso(goal, clause)?,
            };
            match found {
                Some(Answer::Unsupported(reason)) => return Ok(Some(Answer::Unsupported(reason))),
                Some(found) if shortest.as_ref().is_none_or(|s| length(&found) < length(s)) => {
                    shortest = Some(found)
                }
                _ => {}
            }
        }
        Ok(shortest)
    }

    /// The shortest finite trace whose last state (or step) satisfies `atom`.
    fn prefix_violation(&self, goal: &Goal, atom: &Atom) -> Result<Option<Answer>, EvalError> {
        let graph = self.graph;
        let action = atom.is_action();
        let mut best: Option<(usize, Vec<Step>)> = None;
        let mut offer = |length: usize, trace: &dyn Fn() -> Vec<Step>| {
            if best.as_ref().is_none_or(|(l, _)| length < *l) {
                best = Some((length, trace()));
            }
        };
        for (s, state) in graph.states.iter().enumerate() {
            if !action && self.holds(atom, state, None)? {
                offer(graph.depth[s], &|| graph.trace_to(s));
            }
        }
        for (e, edge) in graph.edges.iter().enumerate() {
            let (from, to) = (&graph.states[edge.from], &graph.states[edge.to]);
            if action && self.holds(atom, from, Some(to))? {
                if edge.action.is_none() {
                    return Ok(Some(Answer::Unsupported(
                        "a safety property that a stuttering step breaks".into(),
                    )));
                }
                offer(graph.depth[edge.from] + 1, &|| {
                    with_step(graph.trace_to(edge.from), &graph.edges[e].action, to)
                });
            }
        }
        for outside in &graph.boundary {
            let before = outside.from.map(|f| &graph.states[f]);
            let breaks = match (action, before) {
                (false, _) => self.holds(atom, &outside.state, None)?,
                (true, Some(before)) => self.holds(atom, before, Some(&outside.state))?,
                (true, None) => false,
            };
            if breaks {
                let length = outside.from.map_or(0, |f| graph.depth[f] + 1);
                offer(length, &|| match outside.from {
                    Some(from) => with_step(graph.trace_to(from), &outside.action, &outside.state),
                    None => vec![Step {
                        action: None,
                        state: outside.state.clone(),
                    }],
                });
            }
        }
        Ok(best.map(|(_, trace)| Answer::SafetyViolated {
            name: goal.name.clone(),
            conjunct: goal.conjunct.clone(),
            trace,
        }))
    }

    /// The shortest fair lasso on which `clause` holds, if any.
    fn fair_lasso(&mut self, goal: &Goal, clause: &Clause) -> Result<Option<Answer>, EvalError> {
        let labels = self.labels(clause)?;
        let reached = self.reach(&labels);
        let cycle_nodes: Vec<usize> = reached
            .order
            .iter()
            .copied()
            .filter(|&n| phase_of(n) == AFTER && labels.eventually_always.states[state_of(n)])
            .collect();
        let components = self.fair_components(&labels, cycle_nodes)?;
        let shortest = components
            .iter()
            .filter_map(|component| self.lasso(&labels, &reached, component))
            .min_by_key(|lasso| lasso.steps.len());
        Ok(match shortest {
            Some(trace) => Some(Answer::LivenessViolated {
                name: goal.name.clone(),
                trace,
            }),
            None if components.is_empty() => None,
            None => Some(Answer::Unsupported(
                "a counterexample that stutters in the middle of its loop".into(),
            )),
        })
    }

    /// Evaluates the clause's atoms on the graph.
    fn labels(&self, clause: &Clause) -> Result<Labels, EvalError> {
        let trigger = clause.trigger.clone().unwrap_or_default();
        Ok(Labels {
            has_trigger: clause.trigger.is_some(),
            trigger_on_steps: trigger.now.iter().any(Atom::is_action),
            initially: self.table(&clause.initially)?,
            always: self.table(&clause.always)?,
            trigger: self.table(&trigger.now)?,
            then_always: self.table(&trigger.then_always)?,
            eventually_always: self.table(&clause.eventually_always)?,
            infinitely_often: clause
                .infinitely_often
                .iter()
                .map(|atom| Ok((atom.is_action(), self.table(std::slice::from_ref(atom))?)))
                .collect::<Result<_, _>>()?,
        })
    }

    /// Where all of `atoms` hold.
    fn table(&self, atoms: &[Atom]) -> Result<Table, EvalError> {
        let graph = self.graph;
        let (actions, states): (Vec<&Atom>, Vec<&Atom>) =
            atoms.iter().partition(|atom| atom.is_action());
        let mut table = Table {
            states: Vec::with_capacity(graph.states.len()),
            edges: Vec::with_capacity(graph.edges.len()),
        };
        for state in &graph.states {
            table.states.push(self.holds_all(&states, state, None)?);
        }
        for edge in &graph.edges {
            let next = Some(&graph.states[edge.to][..]);
            table
                .edges
                .push(self.holds_all(&actions, &graph.states[edge.from], next)?);
        }
        Ok(table)
    }

    fn holds_all(
        &self,
        atoms: &[&Atom],
        state: &[Value],
        next: Option<&[Value]>,
    ) -> Result<bool, EvalError> {
        for atom in atoms {
            if !self.holds(atom, state, next)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn holds(
        &self,
        atom: &Atom,
        state: &[Value],
        next: Option<&[Value]>,
    ) -> Result<bool, EvalError> {
        match atom {
            Atom::Formula { expr, positive } => {
                let ctx = Ctx::new(self.spec, state);
                let ctx = match next {
                    Some(next) => ctx.with_next(next),
                    None => ctx,
                };
                Ok(eval_bool(expr, &ctx)? == *positive)
            }
            Atom::All(parts) => {
                for part in parts {
                    if !self.holds(part, state, next)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            Atom::Any(parts) => {
                for part in parts {
                    if self.holds(part, state, next)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
        }
    }

    /// Whether the product node is allowed: its state satisfies what its phase demands.
    fn allowed(&self, labels: &Labels, node: usize) -> bool {
        let s = state_of(node);
        let always = labels.always.states[s];
        match phase_of(node) {
            BEFORE => labels.has_trigger && always,
            TRIGGER => {
                labels.has_trigger
                    && always
                    && labels.trigger.states[s]
                    && labels.then_always.states[s]
            }
            _ => always && labels.then_always.states[s],
        }
    }

    /// The steps of the product from `from`: `(edge, node)` pairs.
    fn steps(&self, labels: &Labels, from: usize) -> Vec<(usize, usize)> {
        let (s, phase) = (state_of(from), phase_of(from));
        let mut result = Vec::new();
        for &e in &self.graph.out[s] {
            let to = self.graph.edges[e].to;
            if !labels.always.edges[e] {
                continue;
            }
            let next_phases: &[usize] = match phase {
                BEFORE => &[BEFORE, TRIGGER],
                TRIGGER if labels.trigger.edges[e] && labels.then_always.edges[e] => &[AFTER],
                AFTER if labels.then_always.edges[e] => &[AFTER],
                _ => &[],
            };
            for &next in next_phases {
                if self.allowed(labels, node(to, next)) {
                    result.push((e, node(to, next)));
                }
            }
        }
        result
    }

    /// Breadth-first search of the product from its initial nodes.
    fn reach(&self, labels: &Labels) -> Reached {
        let mut reached = Reached {
            order: Vec::new(),
            parent: HashMap::new(),
            depth: HashMap::new(),
        };
        let phases: &[usize] = if labels.has_trigger {
            &[BEFORE, TRIGGER]
        } else {
            &[AFTER]
        };
        let mut queue = VecDeque::new();
        for &s in &self.graph.initial {
            for &phase in phases {
                let n = node(s, phase);
                if labels.initially.states[s]
                    && self.allowed(labels, n)
                    && !reached.depth.contains_key(&n)
                {
                    reached.depth.insert(n, 0);
                    reached.parent.insert(n, None);
                    queue.push_back(n);
                }
            }
        }
        while let Some(from) = queue.pop_front() {
            reached.order.push(from);
            let depth = reached.depth[&from] + 1;
            for (e, to) in self.steps(labels, from) {
                if let std::collections::hash_map::Entry::Vacant(slot) = reached.depth.entry(to) {
                    slot.insert(depth);
                    reached.parent.insert(to, Some((from, e)));
                    queue.push_back(to);
                }
            }
        }
        reached
    }

    /// The steps of the loop subgraph on `members`: those of the product that stay in it and
    /// keep the clause's `<>[]` atoms.
    fn loop_steps(
        &self,
        labels: &Labels,
        members: &HashSet<usize>,
        from: usize,
    ) -> Vec<(usize, usize)> {
        self.steps(labels, from)
            .into_iter()
            .filter(|(e, to)| labels.eventually_always.edges[*e] && members.contains(to))
            .collect()
    }

    /// The components of `nodes` (after refinement) on which a fair loop satisfies the
    /// clause's `[]<>` atoms, each with the witnesses its loop must visit.
    fn fair_components(
        &mut self,
        labels: &Labels,
        nodes: Vec<usize>,
    ) -> Result<Vec<FairComponent>, EvalError> {
        let mut found = Vec::new();
        let mut work = vec![nodes];
        while let Some(nodes) = work.pop() {
            let members: HashSet<usize> = nodes.iter().copied().collect();
            let successors = |n: usize| -> Vec<usize> {
                self.loop_steps(labels, &members, n)
                    .into_iter()
                    .map(|(_, to)| to)
                    .collect()
            };
            for component in scc::components(&nodes, &successors) {
                let inside: HashSet<usize> = component.iter().copied().collect();
                let edges: Vec<usize> = component
                    .iter()
                    .flat_map(|&n| self.loop_steps(labels, &inside, n))
                    .map(|(e, _)| e)
                    .collect();
                if edges.is_empty() {
                    continue;
                }
                match self.judge(labels, &component, &edges)? {
                    Judgement::Fair(witnesses) => found.push(FairComponent {
                        nodes: component,
                        witnesses,
                    }),
                    Judgement::Unfair => {}
                    Judgement::Refine(remove) => work.push(
                        component
                            .into_iter()
                            .filter(|n| !remove.contains(&state_of(*n)))
                            .collect(),
                    ),
                }
            }
        }
        Ok(found)
    }

    /// Whether a loop through all of `component` (with steps `edges`) satisfies the clause's
    /// `[]<>` atoms and the fairness conditions.
    fn judge(
        &mut self,
        labels: &Labels,
        component: &[usize],
        edges: &[usize],
    ) -> Result<Judgement, EvalError> {
        let mut witnesses = Vec::new();
        for (action, table) in &labels.infinitely_often {
            // A state atom needs a state of the loop, an action atom a step of it.
            let witness = if *action {
                Witness {
                    nodes: HashSet::new(),
                    edges: edges.iter().copied().filter(|&e| table.edges[e]).collect(),
                }
            } else {
                Witness {
                    nodes: component
                        .iter()
                        .copied()
                        .filter(|&n| table.states[state_of(n)])
                        .collect(),
                    edges: HashSet::new(),
                }
            };
            if witness.nodes.is_empty() && witness.edges.is_empty() {
                return Ok(Judgement::Unfair);
            }
            witnesses.push(witness);
        }
        let mut remove = HashSet::new();
        for f in 0..self.fairness.len() {
            let taken: HashSet<usize> = self.taken_among(f, edges)?;
            if !taken.is_empty() {
                witnesses.push(Witness {
                    nodes: HashSet::new(),
                    edges: taken,
                });
                continue;
            }
            let mut enabled_in = HashSet::new();
            let mut disabled_at = HashSet::new();
            for &n in component {
                if self.is_enabled(f, state_of(n))? {
                    enabled_in.insert(state_of(n));
                } else {
                    disabled_at.insert(n);
                }
            }
            match self.fairness[f].kind {
                Fairness::Weak if disabled_at.is_empty() => return Ok(Judgement::Unfair),
                Fairness::Weak => witnesses.push(Witness {
                    nodes: disabled_at,
                    edges: HashSet::new(),
                }),
                Fairness::Strong => remove.extend(enabled_in),
            }
        }
        if remove.is_empty() {
            Ok(Judgement::Fair(witnesses))
        } else {
            Ok(Judgement::Refine(remove))
        }
    }

    fn taken_among(&mut self, f: usize, edges: &[usize]) -> Result<HashSet<usize>, EvalError> {
        let mut taken = HashSet::new();
        for &e in edges {
            if let Some(known) = self.taken[f][e] {
                if known {
                    taken.insert(e);
                }
                continue;
            }
            let edge = &self.graph.edges[e];
            let instance = &self.fairness[f];
            let ctx = Ctx::new(self.spec, &self.graph.states[edge.from])
                .with_next(&self.graph.states[edge.to])
                .with_bounds(instance.env.clone());
            let is_taken = eval_bool(&instance.step, &ctx)?;
            self.taken[f][e] = Some(is_taken);
            if is_taken {
                taken.insert(e);
            }
        }
        Ok(taken)
    }

    fn is_enabled(&mut self, f: usize, state: usize) -> Result<bool, EvalError> {
        if let Some(known) = self.enabled[f][state] {
            return Ok(known);
        }
        let instance = &self.fairness[f];
        let ctx = Ctx::new(self.spec, &self.graph.states[state]).with_bounds(instance.env.clone());
        let on = enabled(&instance.step, &ctx)?;
        self.enabled[f][state] = Some(on);
        Ok(on)
    }

    /// The shortest lasso into `component` found from its entries nearest the initial states:
    /// the shortest path to an entry, then a loop from there through one of each of its
    /// witnesses and back. `None` when each would need a stuttering step other than a loop's
    /// only one, which a `Behaviour` cannot show.
    fn lasso(
        &self,
        labels: &Labels,
        reached: &Reached,
        component: &FairComponent,
    ) -> Option<Behaviour> {
        let inside: HashSet<usize> = component.nodes.iter().copied().collect();
        let step = |n: usize| self.loop_steps(labels, &inside, n);
        let mut predecessors: HashMap<usize, Vec<usize>> = HashMap::new();
        for &n in &component.nodes {
            for (_, to) in step(n) {
                predecessors.entry(to).or_default().push(n);
            }
        }
        let mut entries = component.nodes.clone();
        entries.sort_by_key(|n| (reached.depth.get(n).copied().unwrap_or(usize::MAX), *n));
        entries.truncate(ENTRIES_TRIED);
        entries
            .into_iter()
            .filter_map(|entry| {
                let back = distances(entry, &|n| {
                    predecessors.get(&n).cloned().unwrap_or_default()
                });
                let loop_edges = self.loop_through(entry, &component.witnesses, &step, &back)?;
                self.behaviour(labels, reached, entry, &loop_edges)
            })
            .min_by_key(|lasso| lasso.steps.len())
    }

    /// A loop from `entry` through one of each of `witnesses` and back, each leg to the
    /// witness that leaves the shortest way on and back (`back`: distances to `entry`).
    fn loop_through(
        &self,
        entry: usize,
        witnesses: &[Witness],
        step: &dyn Fn(usize) -> Vec<(usize, usize)>,
        back: &HashMap<usize, usize>,
    ) -> Option<Vec<usize>> {
        let mut loop_edges: Vec<usize> = Vec::new();
        let mut visited = HashSet::from([entry]);
        let mut at = entry;
        for witness in witnesses {
            let met = visited.iter().any(|n| witness.nodes.contains(n))
                || loop_edges.iter().any(|e| witness.edges.contains(e));
            if met {
                continue;
            }
            let tree = Tree::grow(at, step);
            let via_node = witness
                .nodes
                .iter()
                .filter_map(|&n| Some((tree.distance.get(&n)? + back.get(&n)?, tree.path(n))));
            let via_edge = witness.edges.iter().filter_map(|&e| {
                let edge = &self.graph.edges[e];
                let (from, to) = (node(edge.from, AFTER), node(edge.to, AFTER));
                let mut path = tree.path(from);
                path.push(e);
                Some((tree.distance.get(&from)? + 1 + back.get(&to)?, path))
            });
            let (_, path) = via_node.chain(via_edge).min_by_key(|(cost, _)| *cost)?;
            visited.extend(path.iter().map(|&e| node(self.graph.edges[e].to, AFTER)));
            at = path
                .last()
                .map_or(at, |&e| node(self.graph.edges[e].to, AFTER));
            loop_edges.extend(path);
        }
        if at != entry || loop_edges.is_empty() {
            let (home, _) = path_to(at, step, &|n, _| n == entry)?;
            loop_edges.extend(home);
        }
        Some(loop_edges)
    }

    /// The lasso of the path to `entry` and the loop `loop_edges` back to it.
    fn behaviour(
        &self,
        labels: &Labels,
        reached: &Reached,
        entry: usize,
        loop_edges: &[usize],
    ) -> Option<Behaviour> {
        let graph = self.graph;
        let mut prefix = Vec::new();
        let mut at = entry;
        while let Some(Some((before, e))) = reached.parent.get(&at) {
            prefix.push(*e);
            at = *before;
        }
        prefix.reverse();
        // A stuttering step in the path only moves it to the next phase (past the trigger):
        // without it, the same states satisfy the clause, unless the trigger is about the
        // step that leaves it.
        if !labels.trigger_on_steps {
            prefix.retain(|&e| graph.edges[e].action.is_some());
        }
        let mut steps = vec![Step {
            action: None,
            state: graph.states[state_of(at)].to_vec(),
        }];
        let closing = loop_edges.len().checked_sub(1)?;
        for &e in prefix.iter().chain(&loop_edges[..closing]) {
            let edge = &graph.edges[e];
            steps.push(Step {
                action: edge.action.clone(),
                state: graph.states[edge.to].to_vec(),
            });
        }
        // A stuttering step (no action) can be shown only as a loop's closing step.
        let lasso = rolled(Behaviour {
            steps,
            loop_start: Some(prefix.len()),
        });
        let shown = lasso.steps.iter().skip(1).all(|step| step.action.is_some());
        shown.then_some(lasso)
    }
}

enum Judgement {
    Fair(Vec<Witness>),
    Unfair,
    /// Strong fairness is met only without these states.
    Refine(HashSet<usize>),
}

/// `trace` and one more step, by `action`, to `state`.
fn with_step(
    mut trace: Vec<Step>,
    action: &Option<crate::ir::ActionInstance>,
    state: &[Value],
) -> Vec<Step> {
    trace.push(Step {
        action: action.clone(),
        state: state.to_vec(),
    });
    trace
}

/// How many of a component's nodes nearest the initial states are tried as its loop's start.
const ENTRIES_TRIED: usize = 16;

/// A breadth-first tree from one node: each reachable node's distance and the step into it.
struct Tree {
    distance: HashMap<usize, usize>,
    parent: HashMap<usize, (usize, usize)>,
}

impl Tree {
    fn grow(root: usize, step: &dyn Fn(usize) -> Vec<(usize, usize)>) -> Tree {
        let mut tree = Tree {
            distance: HashMap::from([(root, 0)]),
            parent: HashMap::new(),
        };
        let mut queue = VecDeque::from([root]);
        while let Some(at) = queue.pop_front() {
            let next = tree.distance[&at] + 1;
            for (e, to) in step(at) {
                if let std::collections::hash_map::Entry::Vacant(slot) = tree.distance.entry(to) {
                    slot.insert(next);
                    tree.parent.insert(to, (at, e));
                    queue.push_back(to);
                }
            }
        }
        tree
    }

    /// The edges from the root to `to`.
    fn path(&self, mut to: usize) -> Vec<usize> {
        let mut path = Vec::new();
        while let Some(&(before, edge)) = self.parent.get(&to) {
            path.push(edge);
            to = before;
        }
        path.reverse();
        path
    }
}

/// The distance from `root` to each node along `neighbours`.
fn distances(root: usize, neighbours: &dyn Fn(usize) -> Vec<usize>) -> HashMap<usize, usize> {
    let mut distance = HashMap::from([(root, 0)]);
    let mut queue = VecDeque::from([root]);
    while let Some(at) = queue.pop_front() {
        let next = distance[&at] + 1;
        for to in neighbours(at) {
            distance.entry(to).or_insert_with(|| {
                queue.push_back(to);
                next
            });
        }
    }
    distance
}

/// The shortest path (its edges, and the node it ends at) from `from` along `step` to a
/// node, or through an edge, that `goal` accepts (`goal(node, edge that reached it)`). The
/// path has at least one edge.
fn path_to(
    from: usize,
    step: &dyn Fn(usize) -> Vec<(usize, usize)>,
    goal: &dyn Fn(usize, usize) -> bool,
) -> Option<(Vec<usize>, usize)> {
    let mut parent: HashMap<usize, (usize, usize)> = HashMap::new();
    let mut queue = VecDeque::from([from]);
    let mut seen = HashSet::from([from]);
    while let Some(at) = queue.pop_front() {
        for (e, to) in step(at) {
            if goal(to, e) {
                let mut path = vec![e];
                let mut back = at;
                while let Some(&(before, edge)) = parent.get(&back) {
                    path.push(edge);
                    back = before;
                }
                path.reverse();
                return Some((path, to));
            }
            if seen.insert(to) {
                parent.insert(to, (at, e));
                queue.push_back(to);
            }
        }
    }
    None
}

/// The same behaviour with its loop started as early as it can be: while the state before the
/// loop is the loop's last, the loop turns back by one. This also moves a stuttering step from
/// the end of the prefix into the loop, where it closes the loop.
fn rolled(mut lasso: Behaviour) -> Behaviour {
    while let Some(start) = lasso.loop_start.filter(|&s| s > 0) {
        let last = lasso.steps.len() - 1;
        if lasso.steps[start - 1].state != lasso.steps[last].state {
            break;
        }
        // …, x, [e, l1, …, x] is …, [x, e, l1, …]: the step into x is the one the prefix
        // took, and the step from the loop's new last state to x closes it.
        lasso.steps.truncate(last);
        lasso.loop_start = Some(start - 1);
    }
    lasso
}
