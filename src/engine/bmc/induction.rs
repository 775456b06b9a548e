//! The induction pre-check: before unrolling far, the search tries to prove each invariant
//! inductive, so that it need no longer be checked at each depth and helps the checks of the
//! others as a lemma (the correct models end in milliseconds this way instead of unrolling to
//! the full depth).
//!
//! All the invariants are asked of one solver over two arbitrary states, encoded once: the
//! step between them with its constraints, and each invariant holding in the first state and
//! violated in the second under an assumption literal of its own. A check chooses its
//! premises by the literals it assumes. Asked as assumptions, the checks run in Z3's
//! incremental core, which skips the preprocessing Z3 applies to a solver's first check; on
//! these formulas of a few hundred terms that preprocessing cost more than the search
//! (measured on the examples, one run each under the same load: 25-130 ms a check with it,
//! 2-30 ms without; the same invariants proved). So a false invariant costs the pre-check a
//! few milliseconds, and the encoding of the step is paid once, not once per invariant.

use super::{limit_to_deadline, Search};
use crate::diag::Diagnostic;
use crate::engine::prove::general::General;
use crate::engine::solver_settings::new_bmc_solver;
use crate::ir::{ConstId, Spec};
use crate::smt::Encoder;
use crate::value::Value;
use std::time::Instant;
use z3::ast::Bool;
use z3::{SatResult, Solver};

/// The effort spent trying to prove one invariant inductive, as Z3's resource limit (`rlimit`):
/// a count of solver steps, not time, so a run proves the same invariants on any machine under
/// any load. With a wall-clock budget the set of proved invariants, and with it the time of the
/// whole search, varied from run to run (0.4 to 20 s for one example at depth 20).
///
/// The examples with a hundred processes need millions: Saga_100's IndInv is proved with
/// 3,000,000 and not 2,000,000, Failover_100's with 1,000,000 and not 500,000 (each then
/// `check --depth 20` in about 1-3 s instead of over 60). Measured with 500,000 to 5,000,000
/// on every example (issue #8): an effort runs out only on a question that is hard to answer,
/// so the small models' pre-check stays at 0.02-0.5 s whatever the effort, and the bug
/// variants find their counterexamples as fast. The cost falls on the large bug variants, whose
/// broken invariants' questions run to the limit: the slowest pre-check grows from 3.6 s
/// (1,000,000) to 6.8 s (3,000,000), beside bounded checking that takes over 20 s anyway.
/// LeaderElection_100's invariants are not proved even with 5,000,000 (7 s of pre-check).
pub(super) const INDUCTION_EFFORT: u32 = 3_000_000;

/// Where the configured constants are small (sets of at most `SMALL_SIZE` members, integers at
/// most that), the configured question is asked first, with `QUICK_EFFORT`: it proves the
/// small models' invariants (the leader election's at three nodes with 350,000) and, unlike
/// the general question, finds a counterexample to induction at once (20 ms where the general
/// question ran to its effort, 1-3 s, on the leader election's bugs). At larger constants
/// merely encoding it costs more than the general question's proof.
pub(super) const SMALL_SIZE: usize = 8;
const QUICK_EFFORT: u32 = 500_000;

/// The effort spent on one invariant's general question (see `Search::prove_in_general`).
/// Measured on the leader election at 3 to 1000 nodes: its proofs take 260,000-350,000.
const GENERAL_EFFORT: u32 = 1_000_000;

/// The induction question of each invariant, asserted in one solver.
struct InductionQuestions {
    solver: Solver,
    /// `assumed[i]` implies that invariant `i` holds in the first state.
    assumed: Vec<Bool>,
    /// `broken[i]` implies that invariant `i` is violated in the second state.
    broken: Vec<Bool>,
    /// Whether some configured constants are left symbolic: then a model is no counterexample
    /// at the configured constants.
    general: bool,
}

impl Search<'_> {
    /// Marks the invariants that are inductive, each relative to those marked before it: a step
    /// (within the constraints) from a state where they all hold leads to a state where it
    /// holds. Called once they are known to hold in the initial states, so by induction on the
    /// length of a behaviour each marked one holds in every reachable state. Where there is a
    /// general question (see `prove_in_general`), it is asked before the configured one, or,
    /// at small configured constants, after a quick configured one. A question that runs out of
    /// its fixed effort just leaves the invariant to the next, and the last to bounded checking.
    pub(super) fn prove_invariants(&mut self) -> Result<(), Diagnostic> {
        let mut open = vec![true; self.spec.invariants.len()];
        let mut configured = None;
        if let Some(general) = self.general {
            if general.is_within(SMALL_SIZE) {
                configured = self.configured_questions()?;
                self.ask(configured.as_ref(), QUICK_EFFORT, &mut open);
            }
            self.prove_in_general(general, &mut open);
        }
        if open.contains(&true) {
            if configured.is_none() {
                configured = self.configured_questions()?;
            }
            self.ask(configured.as_ref(), INDUCTION_EFFORT, &mut open);
        }
        Ok(())
    }

    /// The induction questions at the configured constants (`None` when no time is left).
    fn configured_questions(&self) -> Result<Option<InductionQuestions>, Diagnostic> {
        let Some(solver) = self.induction_solver() else {
            return Ok(None);
        };
        let mut encoder = Encoder::new(self.spec, self.types);
        InductionQuestions::encode(solver, &mut encoder, self.spec, &[]).map(Some)
    }

    /// Asks `questions` (if any) of the `open` invariants, each within `effort`.
    fn ask(&mut self, questions: Option<&InductionQuestions>, effort: u32, open: &mut [bool]) {
        if let Some(questions) = questions {
            let deadline = self.deadline();
            questions.ask_open(effort, deadline, &mut self.proved, open);
        }
    }

    /// Marks the invariants the general question proves inductive: with the configured
    /// constants left symbolic, constrained only by what the config says of them without
    /// listing members (`Encoder::configured`) and by the `ASSUME`s. The configured constants
    /// satisfy both (the search has found the `ASSUME`s satisfiable at them), so a step of
    /// theirs is one of the general question's steps, and what is inductive for every value is
    /// inductive for theirs. It costs the same for ten nodes as for a thousand, where the
    /// configured question grows with them: counting majorities of a hundred nodes exactly,
    /// the leader election's was not answered within `INDUCTION_EFFORT` (7 s), and its
    /// general question is answered in 0.2 s. Asked in a Z3 context of its own, since the
    /// general spec's sorts are not the configured one's (its model values are an open sort).
    /// An error encoding it (the general spec may use what the encoding supports only for
    /// configured sets) just leaves the invariants to the configured question.
    fn prove_in_general(&mut self, general: &General, open: &mut [bool]) {
        let deadline = self.deadline();
        let proved = &mut self.proved;
        z3::with_z3_config(&z3::Config::new(), || {
            let Some(solver) = induction_solver(INDUCTION_EFFORT, deadline) else {
                return;
            };
            let mut encoder = Encoder::new(general.spec, general.types);
            let encoded =
                InductionQuestions::encode(solver, &mut encoder, general.spec, &general.configured);
            if let Ok(questions) = encoded {
                questions.ask_open(GENERAL_EFFORT, deadline, proved, open);
            }
        });
    }

    /// Which invariants the general question shows to hold in every initial state, at large
    /// configured constants (none at small ones, where the configured checks at depth 0 are
    /// quick): those need not be checked at depth 0, whose checks of the leader election's
    /// invariants took 2.2 s at a thousand nodes, and 0.1 s asked of the general question.
    pub(super) fn initiated_in_general(&self) -> Vec<bool> {
        let mut initiated = vec![false; self.spec.invariants.len()];
        let Some(general) = self.general.filter(|g| !g.is_within(SMALL_SIZE)) else {
            return initiated;
        };
        let deadline = self.deadline();
        z3::with_z3_config(&z3::Config::new(), || {
            if let Some(solver) = induction_solver(GENERAL_EFFORT, deadline) {
                let mut encoder = Encoder::new(general.spec, general.types);
                // An error encoding the general question is no answer.
                mark_initiated(&solver, &mut encoder, general, deadline, &mut initiated).ok();
            }
        });
        initiated
    }

    /// A solver for checks about arbitrary states, each bounded by `INDUCTION_EFFORT` and by
    /// the time left (`None` when none is). Its checks are to be asked under assumptions
    /// (`refutes`), which keeps them in Z3's incremental core (see the module comment).
    pub(super) fn induction_solver(&self) -> Option<Solver> {
        induction_solver(INDUCTION_EFFORT, self.deadline())
    }
}

impl InductionQuestions {
    /// Asserts in `solver` the step between two arbitrary states of `spec` (within its
    /// constraints and `ASSUME`s, and the facts of its `configured` constants) and each
    /// invariant's question, by `encoder`. The states are not reachable ones: `encoder` is not
    /// the search's.
    fn encode(
        solver: Solver,
        encoder: &mut Encoder,
        spec: &Spec,
        configured: &[(ConstId, Value)],
    ) -> Result<InductionQuestions, Diagnostic> {
        assert_constants(&solver, encoder, configured)?;
        for constraint in &spec.constraints {
            solver.assert(encoder.holds(&constraint.expr, 0)?);
        }
        solver.assert(encoder.transition(0)?.formula);
        for constraint in &spec.action_constraints {
            solver.assert(encoder.holds(&constraint.expr, 0)?);
        }
        let (mut assumed, mut broken) = (Vec::new(), Vec::new());
        for invariant in &spec.invariants {
            let holds = Bool::new_const(format!("assumed!{}", invariant.name));
            solver.assert(holds.implies(encoder.holds(&invariant.expr, 0)?));
            assumed.push(holds);
            let violated = Bool::new_const(format!("broken!{}", invariant.name));
            solver.assert(violated.implies(encoder.violated(&invariant.expr, 1)?));
            broken.push(violated);
        }
        for axiom in encoder.take_axioms() {
            solver.assert(axiom);
        }
        Ok(InductionQuestions {
            solver,
            assumed,
            broken,
            general: !configured.is_empty(),
        })
    }

    /// Asks, in index order, the question of each `open` invariant within `effort`, relative
    /// to those `proved` (so each one proved is a premise of the next), before `deadline`. One
    /// proved is marked so and closed; so is one with a counterexample at the configured
    /// constants, which no other question would prove.
    fn ask_open(
        &self,
        effort: u32,
        deadline: Option<Instant>,
        proved: &mut [bool],
        open: &mut [bool],
    ) {
        let mut params = z3::Params::new();
        params.set_u32("rlimit", effort);
        self.solver.set_params(&params);
        for index in 0..open.len() {
            if !open[index] {
                continue;
            }
            if !limit_to_deadline(&self.solver, deadline) {
                break;
            }
            let premises = self.assumed.iter().zip(proved.iter()).enumerate();
            let mut assumptions: Vec<Bool> = premises
                .filter(|(i, (_, marked))| *i == index || **marked)
                .map(|(_, (assumed, _))| assumed.clone())
                .collect();
            assumptions.extend(self.broken.get(index).cloned());
            match self.solver.check_assumptions(&assumptions) {
                SatResult::Unsat => {
                    proved[index] = true;
                    open[index] = false;
                }
                SatResult::Sat if !self.general => open[index] = false,
                SatResult::Sat | SatResult::Unknown => {}
            }
        }
    }
}

/// Marks in `initiated` each invariant of `general` that holds in every initial state, asked
/// of `solver` before `deadline`.
fn mark_initiated(
    solver: &Solver,
    encoder: &mut Encoder,
    general: &General,
    deadline: Option<Instant>,
    initiated: &mut [bool],
) -> Result<(), Diagnostic> {
    let spec = general.spec;
    assert_constants(solver, encoder, &general.configured)?;
    solver.assert(encoder.holds(&spec.init, 0)?);
    let mut broken = Vec::new();
    for invariant in &spec.invariants {
        let violated = Bool::new_const(format!("broken!{}", invariant.name));
        solver.assert(violated.implies(encoder.violated(&invariant.expr, 0)?));
        broken.push(violated);
    }
    for axiom in encoder.take_axioms() {
        solver.assert(axiom);
    }
    for (marked, violated) in initiated.iter_mut().zip(&broken) {
        if !limit_to_deadline(solver, deadline) {
            break;
        }
        *marked = solver.check_assumptions(std::slice::from_ref(violated)) == SatResult::Unsat;
    }
    Ok(())
}

/// Asserts in `solver` the `ASSUME`s, and the facts of the `configured` constants a general
/// question leaves symbolic (see `Encoder::configured`).
pub(super) fn assert_constants(
    solver: &Solver,
    encoder: &mut Encoder,
    configured: &[(ConstId, Value)],
) -> Result<(), Diagnostic> {
    solver.assert(encoder.constants_constraint()?);
    for (constant, value) in configured {
        solver.assert(encoder.configured(*constant, value)?);
    }
    Ok(())
}

/// A solver whose checks are each bounded by `effort` and end at `deadline` (`None` when it
/// has passed).
pub(super) fn induction_solver(effort: u32, deadline: Option<Instant>) -> Option<Solver> {
    let solver = new_bmc_solver();
    let mut params = z3::Params::new();
    params.set_u32("rlimit", effort);
    solver.set_params(&params);
    limit_to_deadline(&solver, deadline).then_some(solver)
}

/// Whether `solver` shows that `formula` cannot hold, asked under an assumption literal.
pub(super) fn refutes(solver: &Solver, formula: &Bool) -> bool {
    let literal = Bool::fresh_const("refuted");
    solver.assert(literal.implies(formula));
    solver.check_assumptions(&[literal]) == SatResult::Unsat
}

#[cfg(test)]
mod tests {
    use crate::engine::bmc::{check_with_stats, Options, Outcome};
    use crate::testing::compile_text;

    /// A hundred sagas: IndInv is inductive, but its question needs an effort of millions
    /// (it was left to bounded checking, which did not reach depth 5 in a minute).
    #[test]
    fn a_hundred_sagas_are_proved_safe_before_any_step_is_unrolled() {
        let front = compile_text(
            "Saga",
            include_str!("../../../examples/saga/Saga.tla"),
            include_str!("../../../examples/saga/Saga_100.cfg"),
            &[],
        );
        let options = Options {
            depth: 1,
            timeout: None,
        };
        let (outcome, stats) =
            check_with_stats(&front.spec, &front.types, &options, &mut |_, _| {})
                .unwrap_or_else(|d| panic!("{}", d.message));
        assert_eq!(outcome, Outcome::NoViolation { depth: 1 });
        // Every invariant proved: the search stops after the initial states.
        assert_eq!(stats.depths.len(), 1, "{stats:?}");
    }
}
