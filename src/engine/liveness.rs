//! Temporal properties under fairness: a bounded search for lasso-shaped counterexamples.
//!
//! A counterexample to a temporal property is an infinite behaviour; one of finite
//! description is a *lasso*: states `s0 … s(n-1)`, then a step from `s(n-1)` back to some
//! `s(l)`, repeated forever. The search tries `n = 1, 2, …` up to the depth bound, with one
//! incremental solver for every property, each *goal* in turn at each `n` (so the violation
//! reported is one of the fewest states). A goal is one conjunct of a property (`/\`, and `\A`
//! over a constant set, split as TLC splits them), so that a safety conjunct is found as one and
//! the lassos searched are those of one liveness conjunct at a time. A goal whose negation one
//! step decides is simplified, or dropped when no step can satisfy it (`single_step`). The
//! steps inside `s0 … s(n-1)` are asserted for good as `n` grows, and so is everything else
//! that longer lassos share:
//!
//! * **the loop**: a selector `loop!l` per state (the loop goes back to `l`) and a constant
//!   `on_loop!i` per state (`loop!l` for some `l <= i`);
//! * **fairness** on the loop, each condition expanded over the sets of its `\A`: `WF_v(A)`
//!   holds when `ENABLED <<A>>_v` is false somewhere on the loop or `<<A>>_v` is taken
//!   somewhere on it; `SF_v(A)` when it is false everywhere on the loop or taken somewhere.
//!   "Somewhere" and "everywhere" are `LoopSummary`s, one constant per state. (`ENABLED` is
//!   `Encoder::enabled`, exact.) Stuttering never takes `<<A>>_v`, so fairness rules out
//!   stopping in a state where a fair action stays enabled;
//! * **the negated property** at position 0, in negation normal form (`formula`), with the
//!   linear encoding of bounded LTL on a lasso (`unrolled`).
//!
//! What is particular to one `n` is asserted under an assumption literal: the closing step
//! (state `n` equal to state `l` for the selected `l`, reached by an action or — as TLA+
//! allows any behaviour to stop and stutter forever — by a stuttering step with `l = n - 1`),
//! some loop start at or before `n - 1`, the fairness summaries at `n - 1`, and the links of
//! the temporal subformulas from `n - 1` to the loop.
//!
//! A conjunct `[]P` with `P` a state predicate, or `[][A]_v`, is a safety property. TLC checks
//! those like invariants (its "implied invariants" and "implied actions") and reports their
//! violations as safety violations, with a finite trace; so does this search: it looks for the
//! shortest prefix whose last state (or step) breaks `P`, and reports `SafetyViolated`.
//!
//! Every lasso found is a real behaviour of the spec, so a violation found is real; "no
//! violation" only covers lassos of at most `depth + 1` states.

mod formula;
mod loop_summary;
mod single_step;
mod unrolled;

#[cfg(test)]
mod tests;

use super::decode;
use super::solver_settings::{new_solver, reason_unknown};
use super::Options;
use crate::diag::{Diagnostic, Kind};
use crate::ir::rewrite::angle;
use crate::ir::{Action, Behaviour, Expr, ExprKind, Fairness, Named, Op, Quantifier, Spec};
use crate::smt::{all, any, same_state, Encoder, Transition};
use crate::types::Types;
use formula::Ltl;
use loop_summary::LoopSummary;
use std::time::{Duration, Instant};
use unrolled::Unrolled;
use z3::ast::Bool;
use z3::{Model, SatResult, Solver};

pub use formula::{instances, is_temporal};

#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// No property is violated by a lasso of at most `depth + 1` states.
    NoViolation {
        depth: usize,
    },
    /// A safety property (`[]P`, `[][A]_v`), or such a conjunct of property `name`
    /// (`conjunct`), fails after the finite `trace`.
    SafetyViolated {
        name: String,
        conjunct: Expr,
        trace: Behaviour,
    },
    /// `trace` is a lasso (`loop_start` is set) that satisfies the fairness conditions and
    /// violates the property.
    LivenessViolated {
        name: String,
        trace: Behaviour,
    },
    Unknown {
        depth: usize,
        reason: String,
    },
}

/// Checks `spec`'s properties and reports a violation of the fewest states (among equally
/// short ones, of the property listed first).
pub fn check(spec: &Spec, types: &Types, options: &Options) -> Result<Outcome, Diagnostic> {
    check_with_stats(spec, types, options, false).map(|(outcome, _)| outcome)
}

/// `check`, and where its time went, per property. With `invariants_hold` — the invariants
/// hold in every state reachable in at most `options.depth` steps, as a bounded search to that
/// depth found — they are asserted in every state of the lassos, which are all such states:
/// lemmas that remove no lasso and spare the solver rediscovering them.
pub fn check_with_stats(
    spec: &Spec,
    types: &Types,
    options: &Options,
    invariants_hold: bool,
) -> Result<(Outcome, Vec<PropertyStats>), Diagnostic> {
    z3::with_z3_config(&z3::Config::new(), || {
        let fairness = fair_actions(spec)?;
        let lemmas = if invariants_hold {
            &spec.invariants[..]
        } else {
            &[]
        };
        let mut search = Search::new(spec, types, options, &fairness, lemmas);
        let mut goals = Vec::new();
        for (index, property) in spec.properties.iter().enumerate() {
            for conjunct in conjuncts(spec, &property.expr) {
                let goal = search.goal(goals.len(), index, property, conjunct)?;
                goals.extend(goal);
            }
        }
        let mut stats: Vec<PropertyStats> = spec
            .properties
            .iter()
            .map(|property| PropertyStats {
                name: property.name.clone(),
                lengths: Vec::new(),
            })
            .collect();
        let outcome = search.run(&mut goals, &mut stats)?;
        Ok((outcome, stats))
    })
}

/// The conjuncts of a property, each searched as a goal of its own, as TLC splits a property
/// into the invariants and action properties it checks on states and steps, and the rest it
/// checks on cycles. A safety conjunct (`[]P`, `[][A]_v`) is then found with a finite trace
/// wherever it occurs, and the lassos searched are those of one liveness conjunct at a time,
/// not of their disjunction (a refinement `Init /\ [][Next]_v /\ WF_v(A)` had all three). A
/// `\A` over a constant set is the conjunction of its instances.
fn conjuncts(spec: &Spec, property: &Expr) -> Vec<Expr> {
    match &*property.kind {
        ExprKind::Apply(Op::And, parts) => parts
            .iter()
            .flat_map(|part| conjuncts(spec, part))
            .collect(),
        ExprKind::Quant(Quantifier::Forall, binders, body) => {
            match instances(spec, binders, body) {
                Ok(instances) => instances
                    .iter()
                    .flat_map(|instance| conjuncts(spec, instance))
                    .collect(),
                // The negation reports the set that is not constant.
                Err(_) => vec![property.clone()],
            }
        }
        _ => vec![property.clone()],
    }
}

/// One conjunct of a property under search: its negation, and that negation on the lassos.
struct Goal<'p> {
    /// The goal's index among all, which names its assumption literals.
    index: usize,
    /// The index of its property among the spec's.
    property_index: usize,
    property: &'p Named,
    conjunct: Expr,
    /// The conjunct is `[]P` or `[][A]_v`: searched as finite prefixes, as TLC checks it.
    finite: bool,
    negation: Ltl,
    unrolled: Unrolled,
}

/// The time the search for one property took, per length of lasso (or of prefix, for a
/// safety property).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PropertyStats {
    pub name: String,
    /// `lengths[i]`: lassos of `i + 1` states.
    pub lengths: Vec<LengthStats>,
}

impl PropertyStats {
    /// Adds the time one of the property's conjuncts took on lassos of `last + 1` states.
    fn add(&mut self, last: usize, time: LengthStats) {
        if self.lengths.len() <= last {
            self.lengths.resize(last + 1, LengthStats::default());
        }
        let entry = &mut self.lengths[last];
        entry.encoding += time.encoding;
        entry.solving += time.solving;
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct LengthStats {
    /// Building terms and asserting them.
    pub encoding: Duration,
    /// In Z3's `check`.
    pub solving: Duration,
}

/// One fairness condition, its quantifiers expanded: `kind_v(A)` with `<<A>>_v` as an action
/// (`step`), and the action whose `ENABLED` is `ENABLED <<A>>_v` (`enabling`).
struct FairAction {
    kind: Fairness,
    step: Expr,
    enabling: Action,
}

/// The fairness conditions of the spec, each `\A p \in S : WF_v(A(p))` expanded over `S`.
fn fair_actions(spec: &Spec) -> Result<Vec<FairAction>, Diagnostic> {
    let mut result = Vec::new();
    for condition in &spec.fairness {
        let expanded =
            instances(spec, &condition.binders, &condition.action).map_err(|message| {
                Diagnostic::new(
                    Kind::Unsupported,
                    "E0702",
                    format!(
                        "a fairness condition must quantify over a constant finite set: {message}"
                    ),
                )
                .at(
                    condition.loc.file,
                    condition.loc.span,
                    "this fairness condition",
                )
            })?;
        for action in expanded {
            result.push(FairAction {
                kind: condition.kind,
                step: angle(&action, &condition.vars),
                enabling: enabling(&action, Some(&condition.vars)),
            });
        }
    }
    Ok(result)
}

/// `ENABLED action` (`ENABLED <<action>>_v` with `vars`) as an action `Encoder::enabled` reads.
fn enabling(action: &Expr, vars: Option<&Expr>) -> Action {
    Action {
        name: "ENABLED".into(),
        params: Vec::new(),
        loc: action.loc,
        body: vars.map_or_else(|| action.clone(), |vars| angle(action, vars)),
    }
}

/// The search: the solver, the encoder, and what was asserted.
struct Search<'a> {
    spec: &'a Spec,
    types: &'a Types,
    options: &'a Options,
    fairness: &'a [FairAction],
    /// Invariants known to hold in every state the search reaches, asserted as lemmas.
    lemmas: &'a [Named],
    /// State and step formulas that hold in no state (step) the search reaches, as
    /// `single_step` found of the goals it dropped: their negations are lemmas too.
    never: Vec<Ltl>,
    encoder: Encoder<'a>,
    solver: Solver,
    /// `transitions[i]`: the step from state `i`, asserted once `i + 1` is inside a lasso.
    transitions: Vec<Transition>,
    /// `loop_starts[l]`: the loop goes back to state `l`.
    loop_starts: Vec<Bool>,
    /// `on_loop[i]`: state `i` is on the loop (it starts at `i` or before).
    on_loop: Vec<Bool>,
    /// Per fairness condition, its action `<<A>>_v` taken somewhere on the loop.
    taken: Vec<LoopSummary>,
    /// Per fairness condition, `ENABLED <<A>>_v` false somewhere on the loop (`WF`) or
    /// everywhere on it (`SF`).
    excused: Vec<LoopSummary>,
    started: Instant,
    /// The time spent in the solver's checks so far.
    solving: Duration,
}

enum Check {
    Unsat,
    Sat(Model),
    Unknown(String),
}

impl<'a> Search<'a> {
    fn new(
        spec: &'a Spec,
        types: &'a Types,
        options: &'a Options,
        fairness: &'a [FairAction],
        lemmas: &'a [Named],
    ) -> Search<'a> {
        let taken = (0..fairness.len())
            .map(|f| LoopSummary::somewhere(format!("taken!{f}")))
            .collect();
        let excused = fairness
            .iter()
            .enumerate()
            .map(|(f, fair)| {
                let name = format!("excused!{f}");
                match fair.kind {
                    Fairness::Weak => LoopSummary::somewhere(name),
                    Fairness::Strong => LoopSummary::everywhere(name),
                }
            })
            .collect();
        Search {
            spec,
            types,
            options,
            fairness,
            lemmas,
            never: Vec::new(),
            encoder: Encoder::new(spec, types),
            solver: new_solver(),
            transitions: Vec::new(),
            loop_starts: Vec::new(),
            on_loop: Vec::new(),
            taken,
            excused,
            started: Instant::now(),
            solving: Duration::ZERO,
        }
    }

    /// The goal of `conjunct` of the property at `property_index` among the spec's; `None`
    /// when one step shows it has no violation (`single_step`).
    fn goal<'p>(
        &mut self,
        index: usize,
        property_index: usize,
        property: &'p Named,
        conjunct: Expr,
    ) -> Result<Option<Goal<'p>>, Diagnostic> {
        let negation = formula::negation(self.spec, &conjunct)?;
        let finite = negation.violated_invariant().is_some();
        let negation = self.stable_as_step(negation)?;
        if let Some(atom) = negation.violated_invariant() {
            if self.never_holds(atom)? {
                self.never.push(atom.clone());
                return Ok(None);
            }
        }
        let unrolled = Unrolled::new(&negation, format!("ltl!{index}"));
        Ok(Some(Goal {
            index,
            property_index,
            property,
            conjunct,
            finite,
            negation,
            unrolled,
        }))
    }

    /// Searches lassos of `1, 2, …` states, for each length every goal in turn; adds the time
    /// each length took to the `stats` of the goal's property.
    fn run(
        &mut self,
        goals: &mut [Goal],
        stats: &mut [PropertyStats],
    ) -> Result<Outcome, Diagnostic> {
        self.solver.assert(self.encoder.constants_constraint()?);
        self.solver.assert(self.encoder.holds(&self.spec.init, 0)?);
        for last in 0..=self.options.depth {
            self.assume_lemmas(last)?;
            for goal in goals.iter_mut() {
                let started = Instant::now();
                let solving_before = self.solving;
                let found = match goal.negation.violated_invariant() {
                    Some(atom) if goal.finite => self.prefix_violation(atom, goal.index, last),
                    _ => self.lasso(&mut goal.unrolled, goal.index, last),
                };
                let solving = self.solving.saturating_sub(solving_before);
                let encoding = started.elapsed().saturating_sub(solving);
                if let Some(property) = stats.get_mut(goal.property_index) {
                    property.add(last, LengthStats { encoding, solving });
                }
                match found? {
                    Check::Unsat => {}
                    Check::Unknown(reason) => {
                        return Ok(Outcome::Unknown {
                            depth: last,
                            reason,
                        })
                    }
                    Check::Sat(model) => return self.violation(goal, &model, last),
                }
            }
            if last < self.options.depth {
                self.extend(last)?;
            }
        }
        Ok(Outcome::NoViolation {
            depth: self.options.depth,
        })
    }

    /// The violation of `goal`'s property in `model`: a finite trace of states `0..=last` for
    /// a safety property, else a lasso.
    fn violation(
        &mut self,
        goal: &Goal,
        model: &Model,
        last: usize,
    ) -> Result<Outcome, Diagnostic> {
        let mut trace = decode::behaviour(
            &mut self.encoder,
            self.spec,
            self.types,
            &self.transitions,
            model,
            last,
        )?;
        let name = goal.property.name.clone();
        if goal.finite {
            let conjunct = goal.conjunct.clone();
            return Ok(Outcome::SafetyViolated {
                name,
                conjunct,
                trace,
            });
        }
        trace.loop_start = Some(self.loop_start(model, last)?);
        Ok(Outcome::LivenessViolated { name, trace })
    }

    /// Is there a behaviour whose state `last` (or, for an action, whose step into it) breaks
    /// the safety property's `atom`?
    fn prefix_violation(
        &mut self,
        atom: &Ltl,
        goal: usize,
        last: usize,
    ) -> Result<Check, Diagnostic> {
        let Ltl::Atom {
            expr,
            action,
            positive,
        } = atom
        else {
            return Ok(Check::Unsat);
        };
        let position = match (action, last.checked_sub(1)) {
            (false, _) => last,
            (true, Some(before)) => before,
            (true, None) => return Ok(Check::Unsat),
        };
        let broken = self.atom(expr, *positive, position)?;
        self.check_under(format!("prefix!{goal}@{last}"), broken)
    }

    /// Is there a lasso of states `0..=last` that is fair and satisfies the negated property
    /// (`unrolled`)? What longer lassos share is asserted for good; the rest — the closing step,
    /// the constraints on it, and the ends of the summaries — under the length's literal.
    fn lasso(
        &mut self,
        unrolled: &mut Unrolled,
        goal: usize,
        last: usize,
    ) -> Result<Check, Diagnostic> {
        let on_loop = self.loop_position(last);
        let mut parts = vec![on_loop, self.closing_step(last)?];
        let spec = self.spec;
        for constraint in spec.constraints.iter().chain(&spec.action_constraints) {
            parts.push(self.encoder.holds(&constraint.expr, last)?);
        }
        for index in 0..self.fairness.len() {
            parts.push(self.fair(index, last)?);
        }
        let negation = unrolled.encode(&mut self.encoder, &self.on_loop, last)?;
        for definition in &negation.shared {
            self.solver.assert(definition);
        }
        parts.extend(negation.particular);
        parts.push(negation.root);
        self.check_under(format!("lasso!{goal}@{}", last + 1), all(&parts))
    }

    /// Adds position `last` as a candidate start of the loop; returns "the loop starts at
    /// `last` or before", which a lasso of states `0..=last` requires.
    fn loop_position(&mut self, last: usize) -> Bool {
        while self.loop_starts.len() <= last {
            let position = self.loop_starts.len();
            let start = Bool::new_const(format!("loop!{position}"));
            let on_loop = Bool::new_const(format!("on_loop!{position}"));
            let before = self.on_loop.last().cloned();
            let meaning = any(&before
                .into_iter()
                .chain([start.clone()])
                .collect::<Vec<_>>());
            self.solver.assert(on_loop.iff(&meaning));
            self.loop_starts.push(start);
            self.on_loop.push(on_loop);
        }
        self.on_loop[last].clone()
    }

    /// The step from state `last` to state `last + 1`, which is state `l` for the selected `l`:
    /// an action, or a stuttering step back to `last` itself.
    fn closing_step(&mut self, last: usize) -> Result<Bool, Diagnostic> {
        let transition = self.transition(last)?.formula.clone();
        let after = self.encoder.state(last + 1);
        let mut parts = Vec::new();
        for l in 0..=last {
            let start = self.loop_starts[l].clone();
            parts.push(start.implies(same_state(&after, &self.encoder.state(l))));
        }
        let stutter = all(&[
            self.loop_starts[last].clone(),
            same_state(&after, &self.encoder.state(last)),
        ]);
        parts.push(any(&[transition, stutter]));
        Ok(all(&parts))
    }

    /// Fairness condition `index` holds on the loop of a lasso of states `0..=last`: its
    /// action is taken somewhere on the loop, or it is excused (`WF`: disabled somewhere on
    /// the loop; `SF`: everywhere).
    fn fair(&mut self, index: usize, last: usize) -> Result<Bool, Diagnostic> {
        let fair = &self.fairness[index];
        for position in self.taken[index].len()..=last {
            let taken = self.encoder.holds(&fair.step, position)?;
            let definition = self.taken[index].extend(&self.on_loop[position], &taken);
            self.solver.assert(definition);
        }
        for position in self.excused[index].len()..=last {
            let disabled = self.encoder.enabled(&fair.enabling, position)?.not();
            let definition = self.excused[index].extend(&self.on_loop[position], &disabled);
            self.solver.assert(definition);
        }
        Ok(any(&[
            self.excused[index].so_far(),
            self.taken[index].so_far(),
        ]))
    }

    /// A state or action formula at `position`, or its negation.
    fn atom(&mut self, expr: &Expr, positive: bool, position: usize) -> Result<Bool, Diagnostic> {
        if positive {
            self.encoder.holds(expr, position)
        } else {
            self.encoder.violated(expr, position)
        }
    }

    /// The step from `step`, encoded once (the closing step of one length is a step inside
    /// the lassos of the next).
    fn transition(&mut self, step: usize) -> Result<&Transition, Diagnostic> {
        while self.transitions.len() <= step {
            let transition = self.encoder.transition(self.transitions.len())?;
            self.transitions.push(transition);
        }
        Ok(&self.transitions[step])
    }

    /// Asserts the lemmas in state `last`, and on the step from it: `never_holds` found them
    /// of every step from a state within the state constraints, by an action or stuttering,
    /// which the step from `last` is (the closing step of this length's lassos, a step inside
    /// longer ones) whenever `last` is within the constraints.
    fn assume_lemmas(&mut self, last: usize) -> Result<(), Diagnostic> {
        for lemma in self.lemmas {
            let holds = self.encoder.holds(&lemma.expr, last)?;
            self.solver.assert(holds);
        }
        let spec = self.spec;
        for index in 0..self.never.len() {
            let Ltl::Atom {
                expr,
                action,
                positive,
            } = self.never[index].clone()
            else {
                continue;
            };
            let mut within = Vec::new();
            if action {
                for constraint in &spec.constraints {
                    within.push(self.encoder.holds(&constraint.expr, last)?);
                }
            }
            let never = self.atom(&expr, !positive, last)?;
            self.solver.assert(all(&within).implies(&never));
        }
        Ok(())
    }

    /// Asserts for good what every longer lasso has: state `last` within the state
    /// constraints, and a step (within the action constraints) from it.
    fn extend(&mut self, last: usize) -> Result<(), Diagnostic> {
        let spec = self.spec;
        for constraint in &spec.constraints {
            let holds = self.encoder.holds(&constraint.expr, last)?;
            self.solver.assert(holds);
        }
        let formula = self.transition(last)?.formula.clone();
        self.solver.assert(formula);
        for constraint in &spec.action_constraints {
            let holds = self.encoder.holds(&constraint.expr, last)?;
            self.solver.assert(holds);
        }
        Ok(())
    }

    /// Checks `formula` under a fresh assumption literal; when unsatisfiable, the literal is
    /// retired so the formula no longer weighs on later checks.
    fn check_under(&mut self, name: String, formula: Bool) -> Result<Check, Diagnostic> {
        let literal = Bool::new_const(name);
        self.solver.assert(literal.implies(&formula));
        for axiom in self.encoder.take_axioms() {
            self.solver.assert(axiom);
        }
        if let Some(budget) = self.options.timeout {
            let remaining = budget.saturating_sub(self.started.elapsed());
            if remaining.is_zero() {
                return Ok(Check::Unknown("timeout".into()));
            }
            let millis = u32::try_from(remaining.as_millis()).unwrap_or(u32::MAX);
            let mut params = z3::Params::new();
            params.set_u32("timeout", millis.max(1));
            self.solver.set_params(&params);
        }
        let solving_started = Instant::now();
        let result = self
            .solver
            .check_assumptions(std::slice::from_ref(&literal));
        self.solving += solving_started.elapsed();
        Ok(match result {
            SatResult::Unsat => {
                self.solver.assert(literal.not());
                Check::Unsat
            }
            SatResult::Sat => match self.solver.get_model() {
                Some(model) => Check::Sat(model),
                None => Check::Unknown("the solver gave no model".into()),
            },
            SatResult::Unknown => Check::Unknown(reason_unknown(&self.solver)),
        })
    }

    /// The first loop start among `0..=last` that `model` selects.
    fn loop_start(&self, model: &Model, last: usize) -> Result<usize, Diagnostic> {
        let selected =
            |start: &Bool| model.eval(start, true).and_then(|b| b.as_bool()) == Some(true);
        self.loop_starts
            .iter()
            .take(last + 1)
            .position(selected)
            .ok_or_else(|| {
                Diagnostic::new(
                    Kind::Other,
                    "E0902",
                    "internal error in the lasso search: the model selects no loop start",
                )
            })
    }
}
