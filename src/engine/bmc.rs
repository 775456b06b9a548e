//! Bounded model checking: is an invariant violated, or a deadlock reached, within `depth`
//! steps? One incremental solver holds `Init` and the transitions asserted so far; each
//! depth's violations are checked under an assumption literal, so what the solver learns
//! survives from depth to depth, and a violation found is a shortest one.
//!
//! **Constraints** (`CONSTRAINT`, `ACTION_CONSTRAINT`) follow TLC, as its `ModelChecker`
//! (`DoInitFunctor.addElement` and `doNext`) implements them: every generated state, initial or
//! successor, is checked against the invariants whether or not it satisfies the constraints; a
//! state that violates a state constraint (or is reached by a step that violates an action
//! constraint) is not explored further; and a state is deadlocked when it has no successor at
//! all, counted before constraints filter successors. So here a behaviour's states before the
//! last, and each of its steps, satisfy the constraints; the last state is checked against the
//! invariants regardless; a deadlock is a state that satisfies the constraints (it was explored)
//! and in which no action is enabled.
//!
//! **Evaluation errors** (where TLC stops: a function applied outside its domain, an absent
//! field, `Head(<<>>)`, ...; see `smt::definedness`) are checked like violations, each depth
//! before its invariants and again before its deadlock, as TLC meets them: the errors in
//! `Init` before `Init` is assumed (it may hold of no state once an error is read as some
//! value); at each depth, those in evaluating the state constraints and the invariants (up to
//! the first violated one), then, in a state within the constraints, those in evaluating
//! `Next` and the action constraints of its steps. A candidate is shown only when the
//! evaluator, replaying it, stops with an error in its last state; one it clears (the
//! obligations are conservative) is excluded and the search goes on, up to
//! `CLEARED_CANDIDATES` times, after which the verdict is unknown — never "no violation".
//! A spec whose encoding records no obligation pays for none of this but an encoding of its
//! invariants at depth 0.
//!
//! **Deadlock**: `ENABLED A` is computed exactly by `Encoder::enabled` — A's next state and the
//! Skolem constants of its body under a Z3 `exists`, its parameters expanded over finite sets
//! (exists otherwise) — so it may be negated. Stuttering is not a step.

use super::decode;
use super::prove::general::General;
use super::solver_settings::{new_bmc_solver, reason_unknown};
use crate::diag::{Diagnostic, Kind};
use crate::eval::EvalError;
use crate::ir::{Behaviour, Spec};
use crate::smt::{all, any, Encoder, SymmetryBreaking, Transition};
use crate::types::Types;
use definedness::Step;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use z3::ast::{Bool, Dynamic};
use z3::{Model, SatResult, Solver};

pub(crate) mod definedness;
mod induction;
mod stats;

use stats::TermCounter;
pub use stats::{DepthStats, Stats};

/// How far and how long to search.
#[derive(Clone, Debug)]
pub struct Options {
    /// The most steps a behaviour may take.
    pub depth: usize,
    /// The wall-clock budget for the whole search; on running out, the verdict is `Unknown`.
    pub timeout: Option<Duration>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// No violation in any behaviour of at most `depth` steps.
    NoViolation {
        depth: usize,
    },
    InvariantViolated {
        name: String,
        trace: Behaviour,
    },
    Deadlock {
        trace: Behaviour,
    },
    /// Evaluating the last state of `trace` (its invariants, constraints or successors) stops
    /// with `error`, as the evaluator has confirmed.
    EvaluationError {
        trace: Behaviour,
        error: EvalError,
    },
    /// The solver could not decide (a timeout, or incomplete quantifier reasoning) at `depth`.
    Unknown {
        depth: usize,
        reason: String,
    },
}

/// Searches for a violation of `spec`'s invariants (and, when `spec.check_deadlock`, for a
/// deadlock) in behaviours of at most `options.depth` steps. `progress` is called as each
/// depth begins, with the time spent so far.
pub fn check(
    spec: &Spec,
    types: &Types,
    options: &Options,
    progress: &mut (dyn FnMut(usize, Duration) + Send),
) -> Result<Outcome, Diagnostic> {
    check_with(spec, types, None, options, progress, false).map(|(outcome, _)| outcome)
}

/// `check`, and where its time went (counting terms costs a little time of its own).
pub fn check_with_stats(
    spec: &Spec,
    types: &Types,
    options: &Options,
    progress: &mut (dyn FnMut(usize, Duration) + Send),
) -> Result<(Outcome, Stats), Diagnostic> {
    check_with(spec, types, None, options, progress, true)
}

/// `check`, where the invariants may also be proved inductive by `general`, the general
/// question of `spec`'s configured constants (see `induction`), and with where its time went
/// when `count_terms` (counting terms costs a little time of its own).
pub fn check_with(
    spec: &Spec,
    types: &Types,
    general: Option<&General>,
    options: &Options,
    progress: &mut (dyn FnMut(usize, Duration) + Send),
    count_terms: bool,
) -> Result<(Outcome, Stats), Diagnostic> {
    let progress = Mutex::new(progress);
    z3::with_z3_config(&z3::Config::new(), || {
        let mut search = Search::new(spec, types, options);
        search.general = general;
        if count_terms {
            search.counter = Some(TermCounter::default());
        }
        let outcome = search.run(&mut |depth, elapsed| {
            if let Ok(mut report) = progress.lock() {
                report(depth, elapsed);
            }
        })?;
        Ok((outcome, search.stats))
    })
}

/// The state of one search: the solver, the encoder and what was asserted.
struct Search<'a> {
    spec: &'a Spec,
    types: &'a Types,
    options: &'a Options,
    /// The general question of the configured constants, if one was compiled.
    general: Option<&'a General<'a>>,
    encoder: Encoder<'a>,
    solver: Solver,
    transitions: Vec<Transition>,
    /// `proved[i]`: invariant `i` holds initially and is inductive, so in every reachable
    /// state; it is no longer checked, only assumed.
    proved: Vec<bool>,
    /// `initiated[i]`: invariant `i` holds in every initial state, as the general question
    /// shows (see `induction`); it is not checked at depth 0, only assumed.
    initiated: Vec<bool>,
    started: Instant,
    /// The depth being checked, which `stats` entries are charged to.
    depth: usize,
    stats: Stats,
    /// Counts the terms asserted, for `stats` (when asked for: it takes time).
    counter: Option<TermCounter>,
    /// Whether evaluating the invariants or the state constraints, or the step from a state,
    /// records obligations (found at depth 0; they do not change with the depth).
    state_may_fail: bool,
    step_may_fail: bool,
    /// Value precedence on the parameters of interchangeable model values, if the spec has any.
    symmetry: Option<SymmetryBreaking>,
}

/// How the checks at one depth ended.
enum DepthResult {
    Found(Outcome),
    /// Every invariant is proved and deadlock is not checked: no longer behaviour can fail.
    NothingLeft,
    Continue,
}

/// What one satisfiability check found.
enum Check {
    Holds,
    Violated(Model),
    Unknown(String),
}

impl<'a> Search<'a> {
    fn new(spec: &'a Spec, types: &'a Types, options: &'a Options) -> Search<'a> {
        Search {
            spec,
            types,
            options,
            general: None,
            encoder: Encoder::new(spec, types),
            solver: new_bmc_solver(),
            transitions: Vec::new(),
            proved: vec![false; spec.invariants.len()],
            initiated: Vec::new(),
            started: Instant::now(),
            depth: 0,
            stats: Stats::default(),
            counter: None,
            state_may_fail: true,
            step_may_fail: true,
            symmetry: SymmetryBreaking::of(spec),
        }
    }

    fn run(&mut self, progress: &mut dyn FnMut(usize, Duration)) -> Result<Outcome, Diagnostic> {
        let constants = self.encoder.constants_constraint()?;
        self.assert(&constants);
        match self.check(&[]) {
            Check::Holds => return Err(contradictory_assumptions(self.spec)),
            Check::Unknown(reason) => return Ok(Outcome::Unknown { depth: 0, reason }),
            Check::Violated(_) => {}
        }
        let init = match self.check_init_defined()? {
            Ok(init) => init,
            Err(outcome) => return Ok(outcome),
        };
        self.assert(&init);
        let induction_started = Instant::now();
        self.initiated = self.initiated_in_general();
        self.stats.induction = induction_started.elapsed();
        for depth in 0..=self.options.depth {
            progress(depth, self.started.elapsed());
            let depth_started = Instant::now();
            self.depth = depth;
            let outcome = self.run_depth(depth);
            let mut spent = depth_started.elapsed().saturating_sub(self.stats.decoding);
            if depth == 0 {
                spent = spent.saturating_sub(self.stats.induction);
            }
            let entry = self.stats.at(depth);
            entry.encoding = spent.saturating_sub(entry.solving);
            match outcome? {
                DepthResult::Found(outcome) => return Ok(self.certified_if_approximate(outcome)),
                DepthResult::NothingLeft => break,
                DepthResult::Continue => {}
            }
        }
        Ok(Outcome::NoViolation {
            depth: self.options.depth,
        })
    }

    /// `outcome`, unless it is a counterexample that rests on a `Cardinality` the encoding
    /// only bounds (`smt::approximates_cardinality`) and the evaluator does not replay: then
    /// the sizes the solver chose are no finite set's, and the verdict is unknown.
    fn certified_if_approximate(&self, outcome: Outcome) -> Outcome {
        let (trace, claim) = match &outcome {
            Outcome::InvariantViolated { name, trace } => {
                (trace, crate::eval::Claim::InvariantViolated(name.clone()))
            }
            Outcome::Deadlock { trace } => (trace, crate::eval::Claim::Deadlock),
            _ => return outcome,
        };
        if !crate::smt::approximates_cardinality(&self.solver) {
            return outcome;
        }
        match crate::eval::replay(self.spec, &trace.steps, claim) {
            Ok(()) => outcome,
            Err(_) => Outcome::Unknown {
                depth: trace.steps.len().saturating_sub(1),
                reason: "a counterexample that rests on the size of a set the encoding only \
                         bounds, which the evaluator does not confirm"
                    .into(),
            },
        }
    }

    /// The checks at `depth`, and the step to the next depth.
    fn run_depth(&mut self, depth: usize) -> Result<DepthResult, Diagnostic> {
        if let Some(outcome) = self.check_state_defined(depth)? {
            return Ok(DepthResult::Found(outcome));
        }
        if let Some(outcome) = self.check_invariants(depth)? {
            return Ok(DepthResult::Found(outcome));
        }
        // The last depth takes no step, but evaluating the step from it may fail.
        let step = if depth < self.options.depth || self.step_may_fail {
            Some(self.encode_step(depth)?)
        } else {
            None
        };
        if depth == 0 {
            let induction_started = Instant::now();
            self.prove_invariants()?;
            self.discharge_obligations()?;
            self.stats.induction += induction_started.elapsed();
            let may_fail = self.state_may_fail || self.step_may_fail;
            if !self.spec.check_deadlock && !may_fail && self.proved.iter().all(|p| *p) {
                return Ok(DepthResult::NothingLeft);
            }
        }
        if let Some(step) = &step {
            if let Some(outcome) = self.check_step_defined(depth, step)? {
                return Ok(DepthResult::Found(outcome));
            }
        }
        if self.spec.check_deadlock {
            if let Some(outcome) = self.check_deadlock(depth)? {
                return Ok(DepthResult::Found(outcome));
            }
        }
        if let Some(step) = step.filter(|_| depth < self.options.depth) {
            self.unroll(depth, step)?;
        }
        Ok(DepthResult::Continue)
    }

    /// Asserts `formula` in the search's solver, counting its terms when asked to.
    fn assert(&mut self, formula: &Bool) {
        if let Some(counter) = &mut self.counter {
            let (terms, quantifiers) = counter.count_new(&Dynamic::from(formula.clone()));
            let entry = self.stats.at(self.depth);
            entry.terms += terms;
            entry.quantifiers += quantifiers;
        }
        self.solver.assert(formula);
    }

    /// Checks each invariant at `depth`; one that holds there is kept as a lemma. The proved
    /// invariants are asserted first, so that every check at `depth` can use them.
    fn check_invariants(&mut self, depth: usize) -> Result<Option<Outcome>, Diagnostic> {
        for (index, invariant) in self.spec.invariants.iter().enumerate() {
            if self.known_to_hold(index, depth) {
                let lemma = self.encoder.holds(&invariant.expr, depth)?;
                self.assert(&lemma);
            }
        }
        for (index, invariant) in self.spec.invariants.iter().enumerate() {
            if self.known_to_hold(index, depth) {
                continue;
            }
            let literal = Bool::new_const(format!("violates!{}@{depth}", invariant.name));
            let violated = self.encoder.violated(&invariant.expr, depth)?;
            self.assert(&literal.implies(&violated));
            match self.check(std::slice::from_ref(&literal)) {
                Check::Violated(model) => {
                    let trace = self.trace(&model, depth)?;
                    return Ok(Some(Outcome::InvariantViolated {
                        name: invariant.name.clone(),
                        trace,
                    }));
                }
                Check::Unknown(reason) => return Ok(Some(Outcome::Unknown { depth, reason })),
                Check::Holds => {
                    // Every state reachable in `depth` steps satisfies it: telling the solver
                    // so removes no behaviour and helps the next depths.
                    self.assert(&literal.not());
                    let lemma = self.encoder.holds(&invariant.expr, depth)?;
                    self.assert(&lemma);
                }
            }
        }
        Ok(None)
    }

    /// Whether invariant `index` is known to hold at `depth` without a check: it is proved, or
    /// `depth` is 0 and the general question has shown it initially true.
    fn known_to_hold(&self, index: usize, depth: usize) -> bool {
        let initiated = || depth == 0 && self.initiated.get(index) == Some(&true);
        self.proved.get(index) == Some(&true) || initiated()
    }

    /// Is the state at `depth` (explored, so within the constraints) without enabled actions?
    fn check_deadlock(&mut self, depth: usize) -> Result<Option<Outcome>, Diagnostic> {
        let literal = Bool::new_const(format!("deadlock@{depth}"));
        let mut enabled = Vec::new();
        for action in &self.spec.actions {
            enabled.push(self.encoder.enabled(action, depth)?);
        }
        let mut deadlock = self.state_constraints(depth)?;
        deadlock.push(any(&enabled).not());
        self.assert(&literal.implies(all(&deadlock)));
        match self.check(std::slice::from_ref(&literal)) {
            Check::Violated(model) => Ok(Some(Outcome::Deadlock {
                trace: self.trace(&model, depth)?,
            })),
            Check::Unknown(reason) => Ok(Some(Outcome::Unknown { depth, reason })),
            Check::Holds => {
                self.assert(&literal.not());
                Ok(None)
            }
        }
    }

    /// Asserts the step from `depth` to `depth + 1`, taken only from a state within the state
    /// constraints and only along a step within the action constraints.
    fn unroll(&mut self, depth: usize, step: Step) -> Result<(), Diagnostic> {
        for constraint in self.state_constraints(depth)? {
            self.assert(&constraint);
        }
        self.assert(&step.transition.formula);
        if let Some(symmetry) = &mut self.symmetry {
            let precedence = symmetry.step(&mut self.encoder, &step.transition)?;
            self.assert(&precedence);
        }
        for holds in &step.action_constraints {
            self.assert(holds);
        }
        self.transitions.push(step.transition);
        Ok(())
    }

    fn state_constraints(&mut self, depth: usize) -> Result<Vec<Bool>, Diagnostic> {
        let spec = self.spec;
        spec.constraints
            .iter()
            .map(|c| self.encoder.holds(&c.expr, depth))
            .collect()
    }

    /// Asserts the axioms of everything encoded so far (they hold unconditionally).
    fn assert_axioms(&mut self) {
        for axiom in self.encoder.take_axioms() {
            self.assert(&axiom);
        }
    }

    /// Runs the solver under `assumptions` within the remaining time budget, after asserting
    /// the axioms of what was encoded.
    fn check(&mut self, assumptions: &[Bool]) -> Check {
        self.assert_axioms();
        if !self.limit_to_budget(&self.solver) {
            return Check::Unknown("timeout".into());
        }
        let solving_started = Instant::now();
        let result = self.solver.check_assumptions(assumptions);
        self.stats.at(self.depth).solving += solving_started.elapsed();
        match result {
            SatResult::Unsat => Check::Holds,
            SatResult::Sat => match self.solver.get_model() {
                Some(model) => Check::Violated(model),
                None => Check::Unknown("the solver gave no model".into()),
            },
            SatResult::Unknown => Check::Unknown(reason_unknown(&self.solver)),
        }
    }

    /// Sets the next checks of `solver` to end when the time budget does; false when it is
    /// spent.
    fn limit_to_budget(&self, solver: &Solver) -> bool {
        limit_to_deadline(solver, self.deadline())
    }

    /// When the time budget runs out (`None`: never).
    fn deadline(&self) -> Option<Instant> {
        self.options
            .timeout
            .and_then(|budget| self.started.checked_add(budget))
    }

    /// The behaviour of `depth` steps in `model`, with the action taken at each step.
    fn trace(&mut self, model: &Model, depth: usize) -> Result<Behaviour, Diagnostic> {
        let decoding_started = Instant::now();
        let behaviour = self.decode_trace(model, depth);
        self.stats.decoding = decoding_started.elapsed();
        behaviour
    }

    fn decode_trace(&mut self, model: &Model, depth: usize) -> Result<Behaviour, Diagnostic> {
        let (spec, types) = (self.spec, self.types);
        decode::behaviour(
            &mut self.encoder,
            spec,
            types,
            &self.transitions,
            model,
            depth,
        )
    }
}

/// Sets the next checks of `solver` to end at `deadline`; false when it has passed.
fn limit_to_deadline(solver: &Solver, deadline: Option<Instant>) -> bool {
    let Some(deadline) = deadline else {
        return true;
    };
    let remaining = deadline.saturating_duration_since(Instant::now());
    if remaining.is_zero() {
        return false;
    }
    let millis = u32::try_from(remaining.as_millis()).unwrap_or(u32::MAX);
    let mut params = z3::Params::new();
    params.set_u32("timeout", millis.max(1));
    solver.set_params(&params);
    true
}

pub(crate) fn contradictory_assumptions(spec: &Spec) -> Diagnostic {
    let mut diagnostic =
        Diagnostic::new(Kind::Assumption, "E0500", "the assumptions cannot all hold");
    for assumption in &spec.assumptions {
        diagnostic = diagnostic.also(assumption.loc.file, assumption.loc.span, "assumed here");
    }
    diagnostic
}

#[cfg(test)]
mod tests;
