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

use super::Search;
use crate::diag::Diagnostic;
use crate::engine::solver_settings::new_bmc_solver;
use crate::smt::Encoder;
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
const INDUCTION_EFFORT: u32 = 3_000_000;

/// The induction question of each invariant, asserted in one solver.
struct InductionQuestions {
    solver: Solver,
    /// `assumed[i]` implies that invariant `i` holds in the first state.
    assumed: Vec<Bool>,
    /// `broken[i]` implies that invariant `i` is violated in the second state.
    broken: Vec<Bool>,
}

impl Search<'_> {
    /// Marks the invariants that are inductive, each relative to those marked before it: a step
    /// (within the constraints) from a state where they all hold leads to a state where it
    /// holds. Called once they have been checked in the initial states, so by induction on the
    /// length of a behaviour each marked one holds in every reachable state. A check that runs
    /// out of its fixed effort (`INDUCTION_EFFORT`) just leaves the invariant to bounded checking.
    pub(super) fn prove_invariants(&mut self) -> Result<(), Diagnostic> {
        let Some(questions) = self.induction_questions()? else {
            return Ok(());
        };
        for index in 0..self.spec.invariants.len() {
            if !self.limit_to_budget(&questions.solver) {
                break;
            }
            let premises = questions.assumed.iter().enumerate();
            let mut assumptions: Vec<Bool> = premises
                .filter(|(i, _)| *i == index || self.proved[*i])
                .map(|(_, assumed)| assumed.clone())
                .collect();
            assumptions.push(questions.broken[index].clone());
            if questions.solver.check_assumptions(&assumptions) == SatResult::Unsat {
                self.proved[index] = true;
            }
        }
        Ok(())
    }

    /// The solver holding every invariant's induction question (`None` when no time is left).
    fn induction_questions(&self) -> Result<Option<InductionQuestions>, Diagnostic> {
        let spec = self.spec;
        let Some(solver) = self.induction_solver() else {
            return Ok(None);
        };
        // An encoder of its own: the two states here are arbitrary, not reachable.
        let mut encoder = Encoder::new(spec, self.types);
        solver.assert(encoder.constants_constraint()?);
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
        Ok(Some(InductionQuestions {
            solver,
            assumed,
            broken,
        }))
    }

    /// A solver for checks about arbitrary states, each bounded by `INDUCTION_EFFORT` and by
    /// the time left (`None` when none is). Its checks are to be asked under assumptions
    /// (`refutes`), which keeps them in Z3's incremental core (see the module comment).
    pub(super) fn induction_solver(&self) -> Option<Solver> {
        let solver = new_bmc_solver();
        let mut params = z3::Params::new();
        params.set_u32("rlimit", INDUCTION_EFFORT);
        solver.set_params(&params);
        self.limit_to_budget(&solver).then_some(solver)
    }
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
