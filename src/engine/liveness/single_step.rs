//! Negations decided by a single step: `<>A`, with `A` a state or action formula, holds on a
//! lasso if and only if `A` holds at one of its states or steps, whatever came before. Two
//! things follow.
//!
//! * `<>(P /\ <>~P)`, the negation of `[](P => []P)` ("P is stable"), is `<>(P /\ ~P')`: on any
//!   behaviour, between a state where `P` holds and a later one where it does not there is a
//!   step from the one kind to the other. The lassos of the first form need the loop (the
//!   later state may come round again); the second needs only the step.
//! * When `A` holds in no state the search can reach (one where the lemmas hold), or on no
//!   step from one, it holds on no lasso or prefix: the goal needs no search. As in the
//!   bounded search's check that invariants are inductive, one query about an arbitrary state
//!   and step decides it, within a fixed effort. Its negation is then a lemma in every state
//!   (step) of the search, as the invariants are: the stability of `terminated`, once found,
//!   is what refuting `terminated ~> detected` needs (AsyncTerminationDetection: 50 s -> 0.1 s).

use super::formula::Ltl;
use super::Search;
use crate::diag::Diagnostic;
use crate::engine::solver_settings::new_solver;
use crate::ir::rewrite::{boolean, primed};
use crate::ir::{Expr, ExprKind, Op};
use crate::smt::{all, any, same_state, Encoder};
use z3::SatResult;

/// The effort one query may spend, as Z3's resource limit (a count of solver steps, so the
/// outcome does not depend on the machine's load); the figure the bounded search's induction
/// check uses.
const EFFORT: u32 = 500_000;

impl Search<'_> {
    /// `negation`, with `<>(P /\ <>~P)` as `<>(P /\ ~P')`. The two occurrences of `P` (each
    /// use of a definition is expanded apart) are the same formula when they encode to the
    /// same term.
    pub(super) fn stable_as_step(&mut self, negation: Ltl) -> Result<Ltl, Diagnostic> {
        let Some((p, q)) = stability_broken(&negation) else {
            return Ok(negation);
        };
        if self.encoder.holds(p, 0)? != self.encoder.holds(q, 0)? {
            return Ok(negation);
        }
        let not_after = boolean(p, ExprKind::Apply(Op::Not, vec![primed(p)]));
        let step = boolean(p, ExprKind::Apply(Op::And, vec![p.clone(), not_after]));
        Ok(Ltl::Eventually(Box::new(Ltl::Atom {
            expr: step,
            action: true,
            positive: true,
        })))
    }

    /// Whether the atom of a negation `<>A` holds in no state (step) the search reaches: no
    /// state where the lemmas hold satisfies it (no step, by an action or stuttering, from
    /// one within the state constraints). False also when the query runs out of effort.
    pub(super) fn never_holds(&self, atom: &Ltl) -> Result<bool, Diagnostic> {
        let Ltl::Atom {
            expr,
            action,
            positive,
        } = atom
        else {
            return Ok(false);
        };
        let solver = new_solver();
        let mut params = z3::Params::new();
        params.set_u32("rlimit", EFFORT);
        solver.set_params(&params);
        // An encoder of its own: the states here are arbitrary, not those of the lassos.
        let mut encoder = Encoder::new(self.spec, self.types);
        solver.assert(encoder.constants_constraint()?);
        for lemma in self.lemmas {
            solver.assert(encoder.holds(&lemma.expr, 0)?);
        }
        // A state predicate is checked in every state a step reaches, within the state
        // constraints or not, as TLC checks invariants; a step leaves an explored state, one
        // within them.
        if *action {
            for constraint in &self.spec.constraints {
                solver.assert(encoder.holds(&constraint.expr, 0)?);
            }
            let mut step = vec![encoder.transition(0)?.formula];
            for constraint in &self.spec.action_constraints {
                step.push(encoder.holds(&constraint.expr, 0)?);
            }
            let stutter = same_state(&encoder.state(1), &encoder.state(0));
            solver.assert(any(&[all(&step), stutter]));
        }
        let holds = if *positive {
            encoder.holds(expr, 0)?
        } else {
            encoder.violated(expr, 0)?
        };
        solver.assert(holds);
        for axiom in encoder.take_axioms() {
            solver.assert(axiom);
        }
        Ok(solver.check() == SatResult::Unsat)
    }
}

/// `P` and `Q` of a formula `<>(P /\ <>~Q)` over state predicates.
fn stability_broken(negation: &Ltl) -> Option<(&Expr, &Expr)> {
    let Ltl::Eventually(body) = negation else {
        return None;
    };
    let Ltl::And(parts) = &**body else {
        return None;
    };
    let [Ltl::Atom {
        expr: p,
        action: false,
        positive: true,
    }, Ltl::Eventually(later)] = parts.as_slice()
    else {
        return None;
    };
    let Ltl::Atom {
        expr: q,
        action: false,
        positive: false,
    } = &**later
    else {
        return None;
    };
    Some((p, q))
}
