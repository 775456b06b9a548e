//! Temporal properties under fairness: a bounded search for lasso-shaped counterexamples.
//!
//! A counterexample to a temporal property is an infinite behaviour; one of finite
//! description is a *lasso*: states `s0 … s(n-1)`, then a step from `s(n-1)` back to some
//! `s(l)`, repeated forever. The search tries `n = 1, 2, …` up to the depth bound, one
//! incremental solver per property: the steps inside `s0 … s(n-1)` are asserted for good as
//! `n` grows, and what is particular to one `n` is asserted under an assumption literal:
//!
//! * **the loop**: one selector literal per candidate `l`, and state `n` (the state after the
//!   closing step) equal to state `l`. The closing step is an action, or — as TLA+ allows any
//!   behaviour to stop and stutter forever — a stuttering step with `l = n - 1`;
//! * **fairness** on the loop, each condition expanded over the sets of its `\A`: `WF_v(A)`
//!   holds when `ENABLED <<A>>_v` is false somewhere on the loop or `<<A>>_v` is taken
//!   somewhere on it; `SF_v(A)` when it is false everywhere on the loop or taken somewhere.
//!   (`ENABLED` is `Encoder::enabled`, exact.) Stuttering never takes `<<A>>_v`, so fairness
//!   rules out stopping in a state where a fair action stays enabled;
//! * **the negated property** at position 0, in negation normal form (`formula`), with the
//!   usual bounded semantics on a lasso: the positions after `i` are `i …` to the end, and the
//!   whole loop when `i` is in it; `[]P` at `i` is `P` at all of them, `<>P` at one.
//!
//! A property `[]P` with `P` a state predicate, or `[][A]_v`, is a safety property. TLC checks
//! those like invariants (its "implied invariants" and "implied actions") and reports their
//! violations as safety violations, with a finite trace; so does this search: it looks for the
//! shortest prefix whose last state (or step) breaks `P`, and reports `SafetyViolated`.
//!
//! Every lasso found is a real behaviour of the spec, so a violation found is real; "no
//! violation" only covers lassos of at most `depth + 1` states.

mod formula;

#[cfg(test)]
mod tests;

use super::decode;
use super::solver_settings::reason_unknown;
use super::Options;
use crate::diag::{Diagnostic, Kind};
use crate::ir::rewrite::angle;
use crate::ir::{Action, Behaviour, Expr, Fairness, Named, Spec};
use crate::smt::{all, any, same_state, Encoder, Transition};
use crate::types::Types;
use formula::Ltl;
use std::collections::HashMap;
use std::time::Instant;
use z3::ast::Bool;
use z3::{Model, SatResult, Solver};

pub use formula::{instances, is_temporal};

#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// No property is violated by a lasso of at most `depth + 1` states.
    NoViolation {
        depth: usize,
    },
    /// A safety property (`[]P`, `[][A]_v`) fails after the finite `trace`.
    SafetyViolated {
        name: String,
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

/// Checks each of `spec`'s properties, in order, and reports the first violated one.
pub fn check(spec: &Spec, types: &Types, options: &Options) -> Result<Outcome, Diagnostic> {
    z3::with_z3_config(&z3::Config::new(), || {
        let fairness = fair_actions(spec)?;
        for property in &spec.properties {
            let outcome = Search::new(spec, types, options, &fairness).run(property)?;
            if !matches!(outcome, Outcome::NoViolation { .. }) {
                return Ok(outcome);
            }
        }
        Ok(Outcome::NoViolation {
            depth: options.depth,
        })
    })
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

/// The search for one property: the solver, the encoder, and what was asserted.
struct Search<'a> {
    spec: &'a Spec,
    types: &'a Types,
    options: &'a Options,
    fairness: &'a [FairAction],
    encoder: Encoder<'a>,
    solver: Solver,
    /// `transitions[i]`: the step from state `i`, asserted once `i + 1` is inside a lasso.
    transitions: Vec<Transition>,
    /// `enabled[f][i]`: `ENABLED <<A>>_v` of fairness condition `f` at state `i`.
    enabled: Vec<Vec<Bool>>,
    /// `taken[f][i]`: `<<A>>_v` of fairness condition `f` on the step from state `i`.
    taken: Vec<Vec<Bool>>,
    started: Instant,
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
    ) -> Search<'a> {
        Search {
            spec,
            types,
            options,
            fairness,
            encoder: Encoder::new(spec, types),
            solver: Solver::new(),
            transitions: Vec::new(),
            enabled: vec![Vec::new(); fairness.len()],
            taken: vec![Vec::new(); fairness.len()],
            started: Instant::now(),
        }
    }

    fn run(&mut self, property: &Named) -> Result<Outcome, Diagnostic> {
        let negation = formula::negation(self.spec, &property.expr)?;
        self.solver.assert(self.encoder.constants_constraint()?);
        self.solver.assert(self.encoder.holds(&self.spec.init, 0)?);
        for last in 0..=self.options.depth {
            let found = match negation.violated_invariant() {
                Some(atom) => self.prefix_violation(atom, last)?,
                None => self.lasso(&negation, last)?,
            };
            match found {
                Check::Unsat => {}
                Check::Unknown(reason) => {
                    return Ok(Outcome::Unknown {
                        depth: last,
                        reason,
                    })
                }
                Check::Sat(model) => {
                    let mut trace = decode::behaviour(
                        &mut self.encoder,
                        self.spec,
                        self.types,
                        &self.transitions,
                        &model,
                        last,
                    )?;
                    let name = property.name.clone();
                    if negation.violated_invariant().is_some() {
                        return Ok(Outcome::SafetyViolated { name, trace });
                    }
                    trace.loop_start = Some(loop_start(&model, last)?);
                    return Ok(Outcome::LivenessViolated { name, trace });
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

    /// Is there a behaviour whose state `last` (or, for an action, whose step into it) breaks
    /// the safety property's `atom`?
    fn prefix_violation(&mut self, atom: &Ltl, last: usize) -> Result<Check, Diagnostic> {
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
        self.check_under(format!("prefix@{last}"), broken)
    }

    /// Is there a lasso of states `0..=last` that is fair and satisfies `negation`?
    fn lasso(&mut self, negation: &Ltl, last: usize) -> Result<Check, Diagnostic> {
        let n = last + 1;
        let selectors: Vec<Bool> = (0..n)
            .map(|l| Bool::new_const(format!("loop!{l}@{n}")))
            .collect();
        let mut parts = vec![any(&selectors)];
        parts.push(self.closing_step(last, &selectors)?);
        let spec = self.spec;
        for constraint in spec.constraints.iter().chain(&spec.action_constraints) {
            parts.push(self.encoder.holds(&constraint.expr, last)?);
        }
        for index in 0..self.fairness.len() {
            parts.push(self.fair(index, &selectors)?);
        }
        let mut atoms = HashMap::new();
        parts.push(self.ltl(negation, 0, &selectors, &mut atoms)?);
        self.check_under(format!("lasso@{n}"), all(&parts))
    }

    /// The step from state `last` to state `last + 1`, which is state `l` for the selected `l`:
    /// an action, or a stuttering step back to `last` itself.
    fn closing_step(&mut self, last: usize, selectors: &[Bool]) -> Result<Bool, Diagnostic> {
        let transition = self.transition(last)?.formula.clone();
        let after = self.encoder.state(last + 1);
        let mut parts = Vec::new();
        for (l, selector) in selectors.iter().enumerate() {
            parts.push(selector.implies(same_state(&after, &self.encoder.state(l))));
        }
        let stutter = all(&[
            selectors[last].clone(),
            same_state(&after, &self.encoder.state(last)),
        ]);
        parts.push(any(&[transition, stutter]));
        Ok(all(&parts))
    }

    /// Fairness condition `index` holds on the selected loop.
    fn fair(&mut self, index: usize, selectors: &[Bool]) -> Result<Bool, Diagnostic> {
        let n = selectors.len();
        let mut disabled_somewhere = Vec::new();
        let mut disabled_everywhere = Vec::new();
        let mut taken_somewhere = Vec::new();
        for position in 0..n {
            let in_loop = any(&selectors[..=position]);
            let disabled = self.enabled_at(index, position)?.not();
            let taken = self.taken_at(index, position)?;
            disabled_somewhere.push(all(&[in_loop.clone(), disabled.clone()]));
            disabled_everywhere.push(in_loop.implies(&disabled));
            taken_somewhere.push(all(&[in_loop, taken]));
        }
        let excused = match self.fairness[index].kind {
            Fairness::Weak => any(&disabled_somewhere),
            Fairness::Strong => all(&disabled_everywhere),
        };
        Ok(any(&[excused, any(&taken_somewhere)]))
    }

    fn enabled_at(&mut self, index: usize, position: usize) -> Result<Bool, Diagnostic> {
        while self.enabled[index].len() <= position {
            let at = self.enabled[index].len();
            let enabled = self.encoder.enabled(&self.fairness[index].enabling, at)?;
            self.enabled[index].push(enabled);
        }
        Ok(self.enabled[index][position].clone())
    }

    fn taken_at(&mut self, index: usize, position: usize) -> Result<Bool, Diagnostic> {
        while self.taken[index].len() <= position {
            let at = self.taken[index].len();
            let taken = self.encoder.holds(&self.fairness[index].step, at)?;
            self.taken[index].push(taken);
        }
        Ok(self.taken[index][position].clone())
    }

    /// `formula` at `position` of the selected lasso of `selectors.len()` states.
    fn ltl(
        &mut self,
        formula: &Ltl,
        position: usize,
        selectors: &[Bool],
        atoms: &mut HashMap<(usize, usize), Bool>,
    ) -> Result<Bool, Diagnostic> {
        match formula {
            Ltl::Atom { expr, positive, .. } => {
                let key = (formula as *const Ltl as usize, position);
                if let Some(encoded) = atoms.get(&key) {
                    return Ok(encoded.clone());
                }
                let encoded = self.atom(expr, *positive, position)?;
                atoms.insert(key, encoded.clone());
                Ok(encoded)
            }
            Ltl::Enabled {
                action,
                vars,
                positive,
            } => {
                let step = enabling(action, vars.as_ref());
                let enabled = self.encoder.enabled(&step, position)?;
                Ok(if *positive { enabled } else { enabled.not() })
            }
            Ltl::And(parts) | Ltl::Or(parts) => {
                let encoded = parts
                    .iter()
                    .map(|part| self.ltl(part, position, selectors, atoms))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(match formula {
                    Ltl::And(_) => all(&encoded),
                    _ => any(&encoded),
                })
            }
            Ltl::Always(body) | Ltl::Eventually(body) => {
                let always = matches!(formula, Ltl::Always(_));
                let mut cases = Vec::new();
                for later in 0..selectors.len() {
                    let at = self.ltl(body, later, selectors, atoms)?;
                    let reached = reaches(position, later, selectors);
                    cases.push(match (always, reached) {
                        (true, None) | (false, None) => at,
                        (true, Some(reached)) => reached.implies(&at),
                        (false, Some(reached)) => all(&[reached, at]),
                    });
                }
                Ok(if always { all(&cases) } else { any(&cases) })
            }
        }
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
        Ok(
            match self
                .solver
                .check_assumptions(std::slice::from_ref(&literal))
            {
                SatResult::Unsat => {
                    self.solver.assert(literal.not());
                    Check::Unsat
                }
                SatResult::Sat => match self.solver.get_model() {
                    Some(model) => Check::Sat(model),
                    None => Check::Unknown("the solver gave no model".into()),
                },
                SatResult::Unknown => Check::Unknown(reason_unknown(&self.solver)),
            },
        )
    }
}

/// Whether position `later` comes at or after `position` in the lasso: always when
/// `later >= position` (`None`), else exactly when `later` is in the loop.
fn reaches(position: usize, later: usize, selectors: &[Bool]) -> Option<Bool> {
    (later < position).then(|| any(&selectors[..=later]))
}

/// The first position whose loop selector the model sets.
fn loop_start(model: &Model, last: usize) -> Result<usize, Diagnostic> {
    let n = last + 1;
    (0..n)
        .find(|l| {
            let selector = Bool::new_const(format!("loop!{l}@{n}"));
            model.eval(&selector, true).and_then(|b| b.as_bool()) == Some(true)
        })
        .ok_or_else(|| {
            Diagnostic::new(
                Kind::Other,
                "E0902",
                "internal error in the lasso search: the model selects no loop start",
            )
        })
}
