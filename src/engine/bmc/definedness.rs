//! The search for evaluation errors (see the module comment of `bmc` and `smt::definedness`):
//! where TLC would stop evaluating with an error, in `Init`, in a state's constraints and
//! invariants, or in the step from a state.

use super::induction::{assert_constants, induction_solver, refutes, INDUCTION_EFFORT, SMALL_SIZE};
use super::{Check, Outcome, Search};
use crate::diag::{Diagnostic, Kind};
use crate::engine::prove::general::General;
use crate::ir::{ConstId, Spec};
use crate::smt::{all, any, Assigns, Encoder, Transition};
use crate::value::Value;
use z3::ast::Bool;
use z3::Solver;

/// How many candidate evaluation errors at one depth the evaluator may clear before the
/// verdict is unknown. A cleared candidate comes from an obligation that is conservative
/// (`smt::definedness`), which tends to fail in a few states, not in many.
const CLEARED_CANDIDATES: usize = 4;

/// The step from one depth to the next, encoded but not yet asserted, with the obligations of
/// evaluating it (the actions, and the action constraints of the steps they take).
pub(crate) struct Step {
    pub transition: Transition,
    pub action_constraints: Vec<Bool>,
    pub obligations: Vec<Bool>,
}

impl Search<'_> {
    /// Does evaluating `Init` stop with an error in some state? Checked before `Init` is
    /// assumed, which an error read as some value may make false everywhere. Returns `Init`.
    pub(super) fn check_init_defined(&mut self) -> Result<Result<Bool, Outcome>, Diagnostic> {
        let spec = self.spec;
        let (init, obligations) = self
            .encoder
            .recording(Assigns::Unprimed, |e| e.holds(&spec.init, 0))?;
        let anywhere = Bool::from_bool(true);
        match self.check_defined(0, "init", &anywhere, &obligations)? {
            Some(outcome) => Ok(Err(outcome)),
            None => Ok(Ok(init)),
        }
    }

    /// Does evaluating the state constraints or the invariants at `depth` stop with an error?
    pub(super) fn check_state_defined(
        &mut self,
        depth: usize,
    ) -> Result<Option<Outcome>, Diagnostic> {
        if !self.state_may_fail {
            return Ok(None);
        }
        let obligations = state_obligations(&mut self.encoder, self.spec, depth)?;
        if depth == 0 {
            self.state_may_fail = !obligations.is_empty();
        }
        let anywhere = Bool::from_bool(true);
        self.check_defined(depth, "state", &anywhere, &obligations)
    }

    /// Encodes the step from `depth`, with the obligations of evaluating it.
    pub(super) fn encode_step(&mut self, depth: usize) -> Result<Step, Diagnostic> {
        let step = encode_step(&mut self.encoder, self.spec, depth)?;
        if depth == 0 {
            self.step_may_fail = !step.obligations.is_empty();
        }
        Ok(step)
    }

    /// Does evaluating the step from a state at `depth` within the constraints (a state TLC
    /// explores) stop with an error?
    pub(super) fn check_step_defined(
        &mut self,
        depth: usize,
        step: &Step,
    ) -> Result<Option<Outcome>, Diagnostic> {
        if !self.step_may_fail {
            return Ok(None);
        }
        let explored = all(&self.state_constraints(depth)?);
        self.check_defined(depth, "step", &explored, &step.obligations)
    }

    /// Stops checking the obligations that hold in every state the check would meet them in:
    /// those of a state in every state where the invariants proved inductive hold (as they do
    /// in every reachable state); those of a step in every state where all invariants and the
    /// state constraints hold (as they do in every state whose step is checked: TLC expands
    /// no state that breaks an invariant, and the invariants were checked at that depth
    /// first). Most often a type invariant says that a function is applied inside its domain.
    pub(super) fn discharge_obligations(&mut self) -> Result<(), Diagnostic> {
        if self.state_may_fail && self.follow_from_proved(false)? {
            self.state_may_fail = false;
        }
        if self.step_may_fail && self.follow_from_proved(true)? {
            self.step_may_fail = false;
        }
        Ok(())
    }

    /// Whether the obligations of a state (of a step from it, with `of_step`) hold in every
    /// state they are checked in (see `discharge_obligations`). False when the solver cannot
    /// tell within the effort of an induction check. At large configured constants the general
    /// question is asked first (see `Search::prove_in_general`, whose argument holds here too):
    /// at a thousand nodes the configured one did not tell within that effort.
    fn follow_from_proved(&mut self, of_step: bool) -> Result<bool, Diagnostic> {
        let general = self.general.filter(|g| !g.is_within(SMALL_SIZE));
        if general.is_some_and(|general| self.follow_in_general(general, of_step)) {
            return Ok(true);
        }
        let Some(solver) = self.induction_solver() else {
            return Ok(false);
        };
        // An encoder of its own: the state here is arbitrary, not reachable.
        let mut encoder = Encoder::new(self.spec, self.types);
        let premises = Premises {
            proved: &self.proved,
            of_step,
        };
        premises.refute_failure(&solver, &mut encoder, self.spec, &[])
    }

    /// `follow_from_proved`, asked of the general question, in a Z3 context of its own; an
    /// error encoding it is no answer.
    fn follow_in_general(&self, general: &General, of_step: bool) -> bool {
        let premises = Premises {
            proved: &self.proved,
            of_step,
        };
        let deadline = self.deadline();
        z3::with_z3_config(&z3::Config::new(), || {
            let Some(solver) = induction_solver(INDUCTION_EFFORT, deadline) else {
                return false;
            };
            let mut encoder = Encoder::new(general.spec, general.types);
            let spec = general.spec;
            let refuted = premises.refute_failure(&solver, &mut encoder, spec, &general.configured);
            refuted.unwrap_or(false)
        })
    }

    /// Can an obligation fail at `depth` where `premise` holds? A candidate is shown only if the
    /// evaluator, replaying it, stops with an error in its last state; one it clears is
    /// excluded, and after `CLEARED_CANDIDATES` of them the verdict is unknown.
    fn check_defined(
        &mut self,
        depth: usize,
        site: &str,
        premise: &Bool,
        obligations: &[Bool],
    ) -> Result<Option<Outcome>, Diagnostic> {
        if obligations.is_empty() {
            return Ok(None);
        }
        let literal = Bool::new_const(format!("undefined!{site}@{depth}"));
        let failed: Vec<Bool> = obligations.iter().map(Bool::not).collect();
        self.assert(&literal.implies(premise & any(&failed)));
        for _ in 0..CLEARED_CANDIDATES {
            let model = match self.check(std::slice::from_ref(&literal)) {
                Check::Holds => {
                    self.assert(&literal.not());
                    return Ok(None);
                }
                Check::Unknown(reason) => return Ok(Some(Outcome::Unknown { depth, reason })),
                Check::Violated(model) => model,
            };
            let trace = self.trace(&model, depth)?;
            let error =
                crate::eval::evaluation_error(self.spec, &trace.steps).map_err(Diagnostic::from)?;
            if let Some(error) = error {
                return Ok(Some(Outcome::EvaluationError { trace, error }));
            }
            let Some(cleared) = trace.steps.last() else {
                return Err(Diagnostic::new(Kind::Other, "E0900", "an empty trace"));
            };
            let same = self.encoder.is_state(depth, &cleared.state)?;
            self.assert(&literal.implies(same.not()));
        }
        let reason = format!(
            "an evaluation error the encoding cannot rule out, which the evaluator does not \
             confirm in {CLEARED_CANDIDATES} candidate states"
        );
        Ok(Some(Outcome::Unknown { depth, reason }))
    }
}

/// The obligations of evaluating the state constraints and the invariants at `depth`. Each is
/// evaluated only if the ones before it hold (TLC stops at the first that does not), every
/// invariant whether or not the constraints hold.
pub(crate) fn state_obligations(
    encoder: &mut Encoder,
    spec: &Spec,
    depth: usize,
) -> Result<Vec<Bool>, Diagnostic> {
    let mut obligations = Vec::new();
    for (named, is_invariant) in [(&spec.constraints, false), (&spec.invariants, true)] {
        let mut premise = Vec::new();
        for formula in named {
            let (holds, recorded) = encoder.recording(Assigns::Nothing, |e| {
                if is_invariant {
                    Ok(e.violated(&formula.expr, depth)?.not())
                } else {
                    e.holds(&formula.expr, depth)
                }
            })?;
            obligations.extend(under(&all(&premise), recorded));
            premise.push(holds);
        }
    }
    Ok(obligations)
}

/// The step from `depth`, with the obligations of evaluating the actions, and the action
/// constraints (in order, each while the ones before it hold) of each step an action takes.
pub(crate) fn encode_step(
    encoder: &mut Encoder,
    spec: &Spec,
    depth: usize,
) -> Result<Step, Diagnostic> {
    let (transition, mut obligations) =
        encoder.recording(Assigns::Primed, |e| e.transition(depth))?;
    let mut premise = vec![transition.formula.clone()];
    let mut action_constraints = Vec::new();
    for constraint in &spec.action_constraints {
        let (holds, recorded) =
            encoder.recording(Assigns::Nothing, |e| e.holds(&constraint.expr, depth))?;
        obligations.extend(under(&all(&premise), recorded));
        premise.push(holds.clone());
        action_constraints.push(holds);
    }
    Ok(Step {
        transition,
        action_constraints,
        obligations,
    })
}

/// `obligations`, each where `premise` holds.
fn under(premise: &Bool, obligations: Vec<Bool>) -> impl Iterator<Item = Bool> + '_ {
    obligations.into_iter().map(move |o| premise.implies(o))
}

/// What the obligations of a state, or of a step from it, may assume (see
/// `discharge_obligations`).
struct Premises<'p> {
    proved: &'p [bool],
    of_step: bool,
}

impl Premises<'_> {
    /// Whether `solver` shows that no obligation fails in a state of `spec` where the premises
    /// hold (with `configured`, the facts of the constants the general question leaves
    /// symbolic), encoded by `encoder`.
    fn refute_failure(
        &self,
        solver: &Solver,
        encoder: &mut Encoder,
        spec: &Spec,
        configured: &[(ConstId, Value)],
    ) -> Result<bool, Diagnostic> {
        assert_constants(solver, encoder, configured)?;
        for (invariant, proved) in spec.invariants.iter().zip(self.proved) {
            if *proved || self.of_step {
                solver.assert(encoder.holds(&invariant.expr, 0)?);
            }
        }
        let obligations = if self.of_step {
            for constraint in &spec.constraints {
                solver.assert(encoder.holds(&constraint.expr, 0)?);
            }
            encode_step(encoder, spec, 0)?.obligations
        } else {
            state_obligations(encoder, spec, 0)?
        };
        for axiom in encoder.take_axioms() {
            solver.assert(axiom);
        }
        let failed: Vec<Bool> = obligations.iter().map(Bool::not).collect();
        Ok(refutes(solver, &any(&failed)))
    }
}
