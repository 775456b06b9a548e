//! Inductive proofs (`smtcheck prove`; the design calls this engine *induction*): an invariant
//! `IndInv` holds in every reachable state, at every depth and for every value of the
//! constants the config leaves symbolic, when three kinds of obligation hold:
//!
//! * **initiation**: every initial state satisfies `IndInv` (with `k > 1`: every state
//!   reachable in fewer than `k` steps does);
//! * **consecution**, one per action `A`: `IndInv /\ constraints /\ A => IndInv'`, so a
//!   failure names the action. With `k > 1` this is k-induction: `k` states on a simple path
//!   (pairwise distinct), each satisfying `IndInv`, joined by steps of any action, then a step
//!   of `A` to a state that breaks `IndInv`;
//! * **implication**, one per property `P`: `IndInv => P`.
//!
//! Each obligation gets its own Z3 context, encoder and solver, so that one obligation's
//! terms and lemmas cannot leak into another's and each is timed on its own. A failed
//! obligation comes with its counterexample (for consecution, the *counterexample to
//! induction*, CTI) decoded into values, constants included, which `certify` replays with
//! the evaluator before the engine returns it, with the certificate.
//!
//! Where the config gives sets of model values or integers, each obligation is first asked
//! of the general question (see `general`), whose proofs cost the same for ten members as for
//! a thousand, and only what that does not prove is asked of the configured constants.
//! Where the config leaves sets of model values symbolic, a counterexample to induction is
//! also sought in small instances of them (see `instance`), and shown at that instance.
//!
//! The state and action constraints (`CONSTRAINT`, `ACTION_CONSTRAINT`) restrict, as in TLC,
//! which states are explored: they hold in the states a step leaves from and on the steps,
//! never in the state a step reaches.

pub mod certify;
pub mod general;
mod instance;
mod instantiate;

use super::bmc::definedness::{encode_step, state_obligations};
use super::decode;
use super::solver_settings::reason_unknown;
use crate::diag::{Diagnostic, Kind};
use crate::ir::{ActionInstance, ConstId, Expr, ExprKind, Op, Spec, Step};
use crate::smt::{all, any, approximates_cardinality, same_state, Assigns, Encoder};
use crate::types::{Type, Types};
use crate::value::Value;
use certify::Certificate;
use general::General;
use std::time::{Duration, Instant};
use z3::ast::{Bool, Dynamic, Int};
use z3::{Model, SatResult, Solver};

/// Why a verdict may be `unknown` when some set was counted by axioms (see `smt::cardinality`).
const APPROXIMATE_CARDINALITY: &str =
    "`Cardinality` of a set of unknown size is known only by its axioms";

/// The bounds tried, smallest first, on each symbolic integer constant of a counterexample.
const SMALL_BOUNDS: [i64; 6] = [1, 2, 3, 4, 8, 64];

/// Where the configured constants are small (sets of at most `QUICK_SIZE` members, integers
/// at most that), the exact encoding is asked first, within `QUICK_BUDGET`: there it decides
/// in milliseconds what the general question, with its integers and sets left open, may
/// search for seconds without deciding (EWD840's `PassToken`, every consecution of the saga:
/// 5 s each before). At larger constants merely building the exact encoding costs more than
/// the general question's proof (leader election at 1000 nodes: 1.6 s against 50 ms).
const QUICK_SIZE: usize = 8;
const QUICK_BUDGET: Duration = Duration::from_millis(250);

/// The most time the general question may take on one obligation. A proof there takes as
/// long as for symbolic constants (well under a second on the examples), but an obligation it
/// cannot prove may keep the solver searching, where the configured constants might answer
/// at once.
const GENERAL_BUDGET: Duration = Duration::from_secs(5);

/// The general question's first slice of `GENERAL_BUDGET`, which its proofs of the examples
/// fit in. What it has not decided by then is asked of the small instances before the rest
/// of the budget: they find a counterexample to induction in a fraction of a second where
/// the general question may search all its budget without finding one (leader election's
/// double vote at ten nodes and more: 5.4 s when they came after the whole budget).
const GENERAL_SLICE: Duration = Duration::from_millis(500);

/// The sizes of the small instances asked for a counterexample when the general question
/// proves nothing (see `answer_in_small_instances`), and the most time each may take: a
/// counterexample to induction needs few members, found in well under a second at these
/// sizes.
const SMALL_SIZES: [usize; 4] = [1, 2, 3, 4];
const SMALL_BUDGET: Duration = Duration::from_secs(1);

/// The least time the search for smaller constants may take (it may take as long as the
/// counterexample took to find). Its checks with a bound too small are as hard as proofs,
/// which at a large fixed N can take minutes, for a counterexample that is real already.
const SHRINK_FLOOR: Duration = Duration::from_secs(2);

/// What to prove.
#[derive(Clone, Debug)]
pub struct Options {
    /// The inductive invariant `IndInv`: the conjunction of these invariants (indices into
    /// `Spec::invariants`), so that `--inv TypeOK --inv Inv` proves `TypeOK /\ Inv`.
    pub inductive: Vec<usize>,
    /// The properties it should imply: indices into `Spec::invariants`.
    pub properties: Vec<usize>,
    /// The k of k-induction (1: plain induction).
    pub k: usize,
    /// The budget of each obligation; on running out its verdict is `Unknown`.
    pub timeout: Option<Duration>,
}

/// One proof obligation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Obligation {
    Initiation,
    /// Index into `Spec::actions`.
    Consecution(usize),
    /// Index into `Spec::invariants`.
    Implication(usize),
}

/// A counterexample to an obligation: values for the constants and a sequence of states.
#[derive(Clone, Debug, PartialEq)]
pub struct Counterexample {
    /// The value of every constant, by `ConstId` (fixed ones as the config gave them; `None`
    /// for one the config replaces by a definition).
    pub constants: Vec<Option<Value>>,
    /// For initiation, a behaviour from an initial state; for consecution, `k` states that
    /// satisfy `IndInv` and the step to one that does not; for implication, one state.
    pub steps: Vec<Step>,
    /// What goes wrong in the last state.
    pub failure: Failure,
}

/// What goes wrong in the last state of a counterexample.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// `IndInv` (for implication, the property) is false.
    Broken,
    /// Evaluating it stops with an error, as TLC does on a function applied outside its
    /// domain and the like (see `smt::definedness`); for consecution, evaluating the
    /// obligation's action may, in a state satisfying `IndInv` (the last state shown).
    Undefined,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    Proved,
    /// A counterexample, with what the evaluator confirmed of it.
    Violated(Counterexample, Certificate),
    /// The solver could not decide (a timeout, or incomplete quantifier reasoning).
    Unknown(String),
}

/// What the solver answered on one obligation, before the evaluator has seen its model.
enum Answer {
    Proved,
    Unknown(String),
    /// A model of the obligation's negation, decoded; `approximate` when some `Cardinality`
    /// was known only by its axioms, so that the model may be no real counterexample.
    Counterexample {
        cex: Counterexample,
        approximate: bool,
    },
}

/// An obligation with its verdict and the time spent on it.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub obligation: Obligation,
    pub verdict: Verdict,
    pub time: Duration,
}

/// Discharges every obligation of `options` in turn: initiation, consecution per action,
/// implication per property.
pub fn prove(spec: &Spec, types: &Types, options: &Options) -> Result<Vec<Outcome>, Diagnostic> {
    prove_with(spec, types, None, options)
}

/// `prove`, asking each obligation of `general` first when given (see `general`).
pub fn prove_with(
    spec: &Spec,
    types: &Types,
    general: Option<&General>,
    options: &Options,
) -> Result<Vec<Outcome>, Diagnostic> {
    let known = |i: &usize| spec.invariants.get(*i).is_some();
    if options.inductive.is_empty() || !options.inductive.iter().all(known) || options.k == 0 {
        return Err(internal("no inductive invariant to prove, or k = 0".into()));
    }
    let mut obligations = vec![Obligation::Initiation];
    obligations.extend((0..spec.actions.len()).map(Obligation::Consecution));
    obligations.extend(
        options
            .properties
            .iter()
            .map(|p| Obligation::Implication(*p)),
    );
    if let Some(reason) = assumptions_undecided(spec, types)? {
        let unknown = |obligation| Outcome {
            obligation,
            verdict: Verdict::Unknown(reason.clone()),
            time: Duration::ZERO,
        };
        return Ok(obligations.into_iter().map(unknown).collect());
    }
    let mut outcomes = Vec::new();
    for obligation in obligations {
        let started = Instant::now();
        let deadline = options.timeout.map(|t| started + t);
        let before_exact = match general {
            Some(general) => {
                answer_before_exact(spec, types, general, options, &obligation, deadline)
            }
            None => answer_in_symbolic(spec, types, options, &obligation, deadline),
        };
        let verdict = match before_exact {
            Some(verdict) => verdict,
            None => {
                // What the general question spent comes out of the obligation's budget.
                let budget = options.timeout.map(|t| t.saturating_sub(started.elapsed()));
                let answer = z3::with_z3_config(&z3::Config::new(), || {
                    Query::new(spec, types, options, &obligation, &[], budget).discharge()
                })?;
                certified(spec, options, &obligation, answer)?
            }
        };
        outcomes.push(Outcome {
            obligation,
            verdict,
            time: started.elapsed(),
        });
    }
    Ok(outcomes)
}

/// Whether the constants can satisfy the spec's assumptions at all: where they cannot, every
/// obligation would be proved, of no behaviour. A contradiction is an assumption error (exit
/// 10, as TLC's for a false assumption); `Some` reason when the solver cannot tell within
/// `GENERAL_BUDGET` (no obligation's budget: the check is none, and takes milliseconds).
fn assumptions_undecided(spec: &Spec, types: &Types) -> Result<Option<String>, Diagnostic> {
    z3::with_z3_config(&z3::Config::new(), || {
        let solver = Solver::new();
        set_timeout(&solver, GENERAL_BUDGET);
        let mut encoder = Encoder::new(spec, types);
        solver.assert(encoder.constants_constraint()?);
        for axiom in encoder.take_axioms() {
            solver.assert(axiom);
        }
        match solver.check() {
            SatResult::Sat => Ok(None),
            SatResult::Unsat => Err(super::bmc::contradictory_assumptions(spec)),
            SatResult::Unknown => Ok(Some(format!(
                "whether the assumptions can hold is unknown ({})",
                reason_unknown(&solver)
            ))),
        }
    })
}

/// The verdict the exact encoding gives `obligation` within `budget`, if it decides (a
/// proof, or a certified counterexample); whatever else, an error included, leaves the
/// obligation to the questions after it and the exact encoding's full budget.
fn answer_quickly(
    spec: &Spec,
    types: &Types,
    options: &Options,
    obligation: &Obligation,
    budget: Duration,
) -> Option<Verdict> {
    if budget.is_zero() {
        return None;
    }
    let answer = z3::with_z3_config(&z3::Config::new(), || {
        Query::new(spec, types, options, obligation, &[], Some(budget)).discharge()
    });
    match answer.ok()? {
        Answer::Unknown(_) => None,
        answer => match certified(spec, options, obligation, answer).ok()? {
            Verdict::Unknown(_) => None,
            decided => Some(decided),
        },
    }
}

/// The verdict of the questions asked before the exact encoding, if one decides: at small
/// configured constants the exact encoding within `QUICK_BUDGET`; the general question within
/// `GENERAL_SLICE`; the small instances; the general question again, with the rest of
/// `GENERAL_BUDGET`, when its slice ran out. Each asks no longer than `deadline`.
fn answer_before_exact(
    spec: &Spec,
    types: &Types,
    general: &General,
    options: &Options,
    obligation: &Obligation,
    deadline: Option<Instant>,
) -> Option<Verdict> {
    if general.is_within(QUICK_SIZE) {
        let budget = within(QUICK_BUDGET, deadline);
        if let Some(verdict) = answer_quickly(spec, types, options, obligation, budget) {
            return Some(verdict);
        }
    }
    let slice = within(GENERAL_SLICE, deadline);
    match answer_in_general(spec, general, options, obligation, slice) {
        GeneralAnswer::Decided(verdict) => Some(verdict),
        GeneralAnswer::Undecided => {
            answer_in_instances(spec, types, general, options, obligation, deadline)
        }
        GeneralAnswer::OutOfTime => {
            answer_in_instances(spec, types, general, options, obligation, deadline).or_else(|| {
                let rest = within(GENERAL_BUDGET.saturating_sub(GENERAL_SLICE), deadline);
                answer_in_general(spec, general, options, obligation, rest).verdict()
            })
        }
    }
}

/// Where `spec` leaves sets of model values symbolic, the verdict of the exact encoding
/// within `GENERAL_SLICE` (its proofs fit in it), else a counterexample in a small instance
/// of those sets (see `answer_in_symbolic_instances`). Each asks no longer than `deadline`.
fn answer_in_symbolic(
    spec: &Spec,
    types: &Types,
    options: &Options,
    obligation: &Obligation,
    deadline: Option<Instant>,
) -> Option<Verdict> {
    if !instance::has_symbolic_sets(spec, types) {
        return None;
    }
    let slice = within(GENERAL_SLICE, deadline);
    answer_quickly(spec, types, options, obligation, slice)
        .or_else(|| answer_in_symbolic_instances(spec, types, options, obligation, deadline))
}

/// A counterexample to `obligation` found in a small instance of the sets of model values
/// `spec` leaves symbolic and certified there (see `instance`): at `Node = {n1, n2}` the
/// leader election's double vote is found in a fraction of a second, where the exact
/// encoding searched its whole 10 s budget without an answer.
fn answer_in_symbolic_instances(
    spec: &Spec,
    types: &Types,
    options: &Options,
    obligation: &Obligation,
    deadline: Option<Instant>,
) -> Option<Verdict> {
    let certified_here = |cex: &Counterexample| {
        let certificate = certify::certify(spec, options, obligation, cex).ok()?;
        Some(Verdict::Violated(cex.clone(), certificate))
    };
    let instances = |size| instance::instance(spec, types, size);
    first_in_small_instances(instances, options, obligation, deadline, certified_here)
}

/// `limit`, or the time left before `deadline` if that is less.
fn within(limit: Duration, deadline: Option<Instant>) -> Duration {
    deadline.map_or(limit, |d| {
        limit.min(d.saturating_duration_since(Instant::now()))
    })
}

/// What the general question answered an obligation within a budget.
#[derive(Debug, PartialEq)]
enum GeneralAnswer {
    /// A proof, or a counterexample that carries over to the configured constants and
    /// certifies there.
    Decided(Verdict),
    /// Nothing before the budget ran out: more time may decide.
    OutOfTime,
    /// Anything else: a counterexample that does not carry over, an `unknown` of its
    /// quantifiers, or an error (its spec may use what the encoding supports only for
    /// configured sets).
    Undecided,
}

impl GeneralAnswer {
    fn verdict(self) -> Option<Verdict> {
        match self {
            GeneralAnswer::Decided(verdict) => Some(verdict),
            GeneralAnswer::OutOfTime | GeneralAnswer::Undecided => None,
        }
    }
}

/// What the general question answers `obligation` within `budget` for the configured
/// constants of `exact`.
fn answer_in_general(
    exact: &Spec,
    general: &General,
    options: &Options,
    obligation: &Obligation,
    budget: Duration,
) -> GeneralAnswer {
    if budget.is_zero() {
        return GeneralAnswer::OutOfTime;
    }
    let (spec, types, configured) = (general.spec, general.types, &general.configured);
    let started = Instant::now();
    let answer = z3::with_z3_config(&z3::Config::new(), || {
        Query::new(spec, types, options, obligation, configured, Some(budget)).discharge()
    });
    let decided = match answer {
        Ok(Answer::Proved) => Some(Verdict::Proved),
        Ok(Answer::Counterexample { cex, .. }) => {
            carried_over(exact, general, options, obligation, &cex)
        }
        Ok(Answer::Unknown(_)) if started.elapsed() >= budget => return GeneralAnswer::OutOfTime,
        Ok(Answer::Unknown(_)) | Err(_) => None,
    };
    decided.map_or(GeneralAnswer::Undecided, GeneralAnswer::Decided)
}

/// A counterexample to `obligation` found in a small instance: of the configured sets (see
/// `answer_in_small_instances`), else of the sets `spec` leaves symbolic (see
/// `answer_in_symbolic_instances`).
fn answer_in_instances(
    spec: &Spec,
    types: &Types,
    general: &General,
    options: &Options,
    obligation: &Obligation,
    deadline: Option<Instant>,
) -> Option<Verdict> {
    answer_in_small_instances(spec, general, options, obligation, deadline)
        .or_else(|| answer_in_symbolic_instances(spec, types, options, obligation, deadline))
}

/// A counterexample to `obligation` found in a small instance of `general` (see
/// `General::small_instance`) that carries over to the configured constants and certifies
/// there: the few members a counterexample to induction needs are found quickly in a small
/// instance, where the exact encoding of a thousand members may search for minutes. Each size
/// of `SMALL_SIZES` smaller than the configured sets is asked within `SMALL_BUDGET`.
fn answer_in_small_instances(
    exact: &Spec,
    general: &General,
    options: &Options,
    obligation: &Obligation,
    deadline: Option<Instant>,
) -> Option<Verdict> {
    let carried = |cex: &Counterexample| carried_over(exact, general, options, obligation, cex);
    let instances = |size| general.small_instance(size);
    first_in_small_instances(instances, options, obligation, deadline, carried)
}

/// The first verdict `decide` makes of a counterexample to `obligation` in the `instances`
/// of the sizes of `SMALL_SIZES`, each asked within `SMALL_BUDGET` and before `deadline`;
/// the sizes stop at the first that has no instance.
fn first_in_small_instances(
    instances: impl Fn(usize) -> Option<(Spec, Types)>,
    options: &Options,
    obligation: &Obligation,
    deadline: Option<Instant>,
    decide: impl Fn(&Counterexample) -> Option<Verdict>,
) -> Option<Verdict> {
    for size in SMALL_SIZES {
        let (spec, types) = instances(size)?;
        let budget = within(SMALL_BUDGET, deadline);
        if budget.is_zero() {
            return None;
        }
        let answer = z3::with_z3_config(&z3::Config::new(), || {
            Query::new(&spec, &types, options, obligation, &[], Some(budget)).discharge()
        });
        if let Ok(Answer::Counterexample { cex, .. }) = answer {
            let verdict = decide(&cex);
            if verdict.is_some() {
                return verdict;
            }
        }
    }
    None
}

/// `cex`, a counterexample for other values of the constants `general` leaves symbolic,
/// carried over to the configured ones (see `instantiate`), if it certifies there.
fn carried_over(
    exact: &Spec,
    general: &General,
    options: &Options,
    obligation: &Obligation,
    cex: &Counterexample,
) -> Option<Verdict> {
    let cex = instantiate::instantiate(exact, &general.configured, cex)?;
    let certificate = certify::certify(exact, options, obligation, &cex).ok()?;
    Some(Verdict::Violated(cex, certificate))
}

/// The verdict of the exact encoding's `answer`: a counterexample only once the evaluator
/// has certified it.
fn certified(
    spec: &Spec,
    options: &Options,
    obligation: &Obligation,
    answer: Answer,
) -> Result<Verdict, Diagnostic> {
    match answer {
        Answer::Proved => Ok(Verdict::Proved),
        Answer::Unknown(reason) => Ok(Verdict::Unknown(reason)),
        Answer::Counterexample { cex, approximate } => {
            match certify::certify(spec, options, obligation, &cex) {
                Ok(certificate) => Ok(Verdict::Violated(cex, certificate)),
                // Sizes from the axioms alone may be no set's: only a certified
                // counterexample is real, and any other says nothing either way.
                Err(failure) if approximate => Ok(Verdict::Unknown(format!(
                    "the counterexample found is not real ({failure}); {APPROXIMATE_CARDINALITY}"
                ))),
                // The definedness conditions are conservative (see `smt::definedness`).
                Err(failure) if cex.failure == Failure::Undefined => Ok(Verdict::Unknown(format!(
                    "an evaluation error the encoding cannot rule out, which the evaluator does \
                     not confirm ({failure})"
                ))),
                Err(failure) => Err(uncertified(&failure, &cex)),
            }
        }
    }
}

/// The top-level conjuncts of `IndInv`: those of each of its invariants, in order.
pub fn inductive_conjuncts<'s>(spec: &'s Spec, options: &Options) -> Vec<&'s Expr> {
    let invariants = options.inductive.iter();
    let exprs = invariants.filter_map(|i| spec.invariants.get(*i).map(|inv| &inv.expr));
    exprs.flat_map(conjuncts).collect()
}

/// The top-level conjuncts of `expr`, through nested `/\` (sema has already expanded the
/// operators that name them, keeping each use's location, so a conjunct written as `TypeOK`
/// is still one conjunct). A formula that is no conjunction is its own only conjunct.
pub fn conjuncts(expr: &Expr) -> Vec<&Expr> {
    match &*expr.kind {
        ExprKind::Apply(Op::And, parts) => parts.iter().flat_map(conjuncts).collect(),
        _ => vec![expr],
    }
}

/// The solver and encoder of one obligation.
struct Query<'a> {
    spec: &'a Spec,
    types: &'a Types,
    options: &'a Options,
    obligation: &'a Obligation,
    /// The configured values of the constants `spec` leaves symbolic for the general
    /// question; empty when asking the configured one.
    configured: &'a [(ConstId, Value)],
    /// When the obligation's budget runs out, if it has one.
    deadline: Option<Instant>,
    encoder: Encoder<'a>,
    solver: Solver,
}

/// How the step from state `i` to `i + 1` of a counterexample was encoded.
enum StepEncoding {
    /// Some action, named by the selector the model makes true.
    AnyAction(crate::smt::Transition),
    /// The given action with its parameters' Skolem constants.
    Action(usize, Vec<Dynamic>),
}

impl<'a> Query<'a> {
    fn new(
        spec: &'a Spec,
        types: &'a Types,
        options: &'a Options,
        obligation: &'a Obligation,
        configured: &'a [(ConstId, Value)],
        budget: Option<Duration>,
    ) -> Query<'a> {
        let solver = Solver::new();
        if let Some(timeout) = budget {
            set_timeout(&solver, timeout);
        }
        // Only a step relates two states, whose reads instantiate each other's quantifiers.
        let encoder = Encoder::keeping_z3_strings(spec, types);
        let encoder = match obligation {
            Obligation::Consecution(_) => encoder.with_frame_triggers(),
            Obligation::Initiation | Obligation::Implication(_) => encoder,
        };
        Query {
            spec,
            types,
            options,
            obligation,
            configured,
            deadline: budget.map(|b| Instant::now() + b),
            encoder,
            solver,
        }
    }

    /// `IndInv` holds at `step`, and evaluating it there, the properties and the state
    /// constraints stops with no error (their definedness conditions hold, see
    /// `smt::definedness`). So the invariant proved inductive is `IndInv` and its
    /// definedness: a spec on which TLC would stop with an error is not proved.
    fn inductive_holds(&mut self, step: usize) -> Result<Bool, Diagnostic> {
        let spec = self.spec;
        let mut parts = Vec::new();
        for index in &self.options.inductive {
            parts.push(self.encoder.holds(&spec.invariants[*index].expr, step)?);
        }
        parts.extend(self.state_obligations(step)?);
        Ok(all(&parts))
    }

    /// The definedness conditions of evaluating, at `step`, the state constraints, `IndInv`
    /// and the properties, as TLC evaluates them in a state it reaches.
    fn state_obligations(&mut self, step: usize) -> Result<Vec<Bool>, Diagnostic> {
        state_obligations(&mut self.encoder, self.spec, step)
    }

    /// Checks that no state of `steps` (all asserted) breaks `IndInv` at `step`, then that
    /// evaluating it there stops with no error.
    fn check_inductive_at(
        &mut self,
        step: usize,
        steps: &[StepEncoding],
    ) -> Result<Answer, Diagnostic> {
        let violated = self.inductive_violated(step)?;
        let answer = self.check_under(&violated, steps, Failure::Broken)?;
        if !matches!(answer, Answer::Proved) {
            return Ok(answer);
        }
        let obligations = self.state_obligations(step)?;
        self.check_defined(&obligations, steps)
    }

    /// Checks that every one of `obligations` (definedness conditions) holds.
    fn check_defined(
        &mut self,
        obligations: &[Bool],
        steps: &[StepEncoding],
    ) -> Result<Answer, Diagnostic> {
        if obligations.is_empty() {
            return Ok(Answer::Proved);
        }
        let failed: Vec<Bool> = obligations.iter().map(Bool::not).collect();
        self.check_under(&any(&failed), steps, Failure::Undefined)
    }

    /// Checks what was asserted and `negation`, which is retracted afterwards.
    fn check_under(
        &mut self,
        negation: &Bool,
        steps: &[StepEncoding],
        failure: Failure,
    ) -> Result<Answer, Diagnostic> {
        self.solver.push();
        self.solver.assert(negation);
        let answer = self.check(steps, failure);
        self.solver.pop(1);
        answer
    }

    /// `IndInv` is false at `step`.
    fn inductive_violated(&mut self, step: usize) -> Result<Bool, Diagnostic> {
        let spec = self.spec;
        let mut parts = Vec::new();
        for index in &self.options.inductive {
            parts.push(self.encoder.violated(&spec.invariants[*index].expr, step)?);
        }
        Ok(any(&parts))
    }

    fn discharge(&mut self) -> Result<Answer, Diagnostic> {
        self.solver.assert(self.encoder.constants_constraint()?);
        for (constant, value) in self.configured {
            let facts = self.encoder.configured(*constant, value)?;
            self.solver.assert(facts);
        }
        match self.obligation {
            Obligation::Initiation => self.initiation(),
            Obligation::Consecution(action) => self.consecution(*action),
            Obligation::Implication(property) => self.implication(*property),
        }
    }

    /// Evaluating `Init` stops with no error, and no state reachable in fewer than `k` steps
    /// breaks `IndInv` or its definedness, nor does a step between them stop with an error:
    /// checked at each length in turn, so a counterexample found is a shortest one. Each
    /// definedness condition is checked before the formula it conditions is assumed, which an
    /// error read as some value may make false.
    fn initiation(&mut self) -> Result<Answer, Diagnostic> {
        let spec = self.spec;
        let (init, obligations) = self
            .encoder
            .recording(Assigns::Unprimed, |e| e.holds(&spec.init, 0))?;
        let answer = self.check_defined(&obligations, &[])?;
        if !matches!(answer, Answer::Proved) {
            return Ok(answer);
        }
        self.solver.assert(init);
        let mut steps = Vec::new();
        for length in 0..self.options.k {
            if length > 0 {
                let step = encode_step(&mut self.encoder, spec, length - 1)?;
                self.assert_state_constraints(length - 1)?;
                let answer = self.check_defined(&step.obligations, &steps)?;
                if !matches!(answer, Answer::Proved) {
                    return Ok(answer);
                }
                self.solver.assert(&step.transition.formula);
                for constraint in &step.action_constraints {
                    self.solver.assert(constraint);
                }
                steps.push(StepEncoding::AnyAction(step.transition));
            }
            let answer = self.check_inductive_at(length, &steps)?;
            if !matches!(answer, Answer::Proved) {
                return Ok(answer);
            }
        }
        Ok(Answer::Proved)
    }

    /// `k` states on a simple path that satisfy `IndInv` and the constraints, then a step of
    /// `action` to a state that breaks it; or, in the last of them, evaluating `action` (and
    /// the action constraints on its steps) stops with an error.
    fn consecution(&mut self, action: usize) -> Result<Answer, Diagnostic> {
        let k = self.options.k;
        let mut steps = Vec::new();
        for i in 0..k - 1 {
            let holds = self.inductive_holds(i)?;
            self.solver.assert(holds);
            let step = self.any_step(i)?;
            steps.push(step);
        }
        let holds = self.inductive_holds(k - 1)?;
        self.solver.assert(holds);
        self.assert_state_constraints(k - 1)?;
        let Some(definition) = self.spec.actions.get(action) else {
            return Err(internal(format!("no action number {action}")));
        };
        let (encoded, mut obligations) = self
            .encoder
            .recording(Assigns::Primed, |e| e.action(definition, k - 1))?;
        obligations.extend(self.action_constraint_obligations(&encoded.formula, k - 1)?);
        let answer = self.check_defined(&obligations, &steps)?;
        if !matches!(answer, Answer::Proved) {
            return Ok(answer);
        }
        self.solver.assert(&encoded.formula);
        self.assert_action_constraints(k - 1)?;
        steps.push(StepEncoding::Action(action, encoded.params));
        self.assert_simple_path(k);
        self.check_inductive_at(k, &steps)
    }

    /// The definedness conditions of the action constraints on a step from `step` that
    /// `taken` says is taken, each where the ones before it hold (TLC stops at the first
    /// false one).
    fn action_constraint_obligations(
        &mut self,
        taken: &Bool,
        step: usize,
    ) -> Result<Vec<Bool>, Diagnostic> {
        let mut premise = vec![taken.clone()];
        let mut obligations = Vec::new();
        for constraint in &self.spec.action_constraints {
            let (holds, recorded) = self
                .encoder
                .recording(Assigns::Nothing, |e| e.holds(&constraint.expr, step))?;
            let path = all(&premise);
            obligations.extend(recorded.into_iter().map(|o| path.implies(o)));
            premise.push(holds);
        }
        Ok(obligations)
    }

    /// A state that satisfies `IndInv` and breaks the property.
    fn implication(&mut self, property: usize) -> Result<Answer, Diagnostic> {
        let Some(named) = self.spec.invariants.get(property) else {
            return Err(internal(format!("no property number {property}")));
        };
        let holds = self.inductive_holds(0)?;
        self.solver.assert(holds);
        let violated = self.encoder.violated(&named.expr, 0)?;
        // The property's definedness is part of the hypothesis.
        self.check_under(&violated, &[], Failure::Broken)
    }

    /// Asserts a step of any action from `step` (within the constraints, as TLC explores).
    /// Its definedness needs no check: consecution checks each action's in every state
    /// satisfying `IndInv`.
    fn any_step(&mut self, step: usize) -> Result<StepEncoding, Diagnostic> {
        self.assert_state_constraints(step)?;
        let transition = self.encoder.transition(step)?;
        self.solver.assert(&transition.formula);
        self.assert_action_constraints(step)?;
        Ok(StepEncoding::AnyAction(transition))
    }

    fn assert_state_constraints(&mut self, step: usize) -> Result<(), Diagnostic> {
        for constraint in &self.spec.constraints {
            let holds = self.encoder.holds(&constraint.expr, step)?;
            self.solver.assert(holds);
        }
        Ok(())
    }

    fn assert_action_constraints(&mut self, step: usize) -> Result<(), Diagnostic> {
        for constraint in &self.spec.action_constraints {
            let holds = self.encoder.holds(&constraint.expr, step)?;
            self.solver.assert(holds);
        }
        Ok(())
    }

    /// States `0..=last` are pairwise distinct. Sound for k-induction: a path that repeats a
    /// state has a shorter one to the same end, which a smaller k already covers. Needless for
    /// plain induction, where it would only cost.
    fn assert_simple_path(&mut self, last: usize) {
        if last < 2 {
            return;
        }
        let states: Vec<Vec<Dynamic>> = (0..=last).map(|i| self.encoder.state(i)).collect();
        for i in 0..=last {
            for j in i + 1..=last {
                self.solver.assert(same_state(&states[i], &states[j]).not());
            }
        }
    }

    /// Checks what was asserted; a model is decoded into a counterexample whose steps are
    /// `steps` and whose last state has `failure`.
    fn check(&mut self, steps: &[StepEncoding], failure: Failure) -> Result<Answer, Diagnostic> {
        for axiom in self.encoder.take_axioms() {
            self.solver.assert(axiom);
        }
        let approximate = approximates_cardinality(&self.solver);
        let started = Instant::now();
        let answer = self.solver.check();
        let solving = started.elapsed();
        match answer {
            SatResult::Unsat => Ok(Answer::Proved),
            SatResult::Unknown => {
                // Z3 says "canceled" when the budget runs out in some of its phases.
                let out_of_time = self.deadline.is_some_and(|d| Instant::now() >= d);
                let reason = match reason_unknown(&self.solver) {
                    reason if out_of_time && reason == "canceled" => "timeout".to_string(),
                    reason => reason,
                };
                // Out of time, the solver may have been on its way to an answer either way.
                Ok(Answer::Unknown(if approximate && reason != "timeout" {
                    format!("{reason}; {APPROXIMATE_CARDINALITY}")
                } else {
                    reason
                }))
            }
            SatResult::Sat => {
                let model = self
                    .solver
                    .get_model()
                    .ok_or_else(|| internal("the solver gave no model".into()))?;
                let model = self.shrink_constants(model, SHRINK_FLOOR.max(solving))?;
                let cex = self.counterexample(&model, steps, failure)?;
                Ok(Answer::Counterexample { cex, approximate })
            }
        }
    }

    /// A model whose symbolic integer constants are as small as a few more checks find within
    /// `budget` (and the obligation's): a counterexample at `N = 2` reads better than one at
    /// `N = 1144`, and decodes faster. The configured ones of the general question have their
    /// value already.
    fn shrink_constants(
        &mut self,
        mut model: Model,
        budget: Duration,
    ) -> Result<Model, Diagnostic> {
        let mut deadline = Instant::now() + budget;
        if let Some(obligation_deadline) = self.deadline {
            deadline = deadline.min(obligation_deadline);
        }
        let mut kept = 0;
        for (index, constant) in self.spec.constants.iter().enumerate() {
            let configured = self.configured.iter().any(|(id, _)| id.0 == index);
            if !constant.is_symbolic()
                || configured
                || self.types.consts.get(index) != Some(&Type::Int)
            {
                continue;
            }
            let term = self.encoder.constant_term(ConstId(index))?;
            let Some(term) = term.as_int() else {
                continue;
            };
            for bound in SMALL_BOUNDS {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                set_timeout(&self.solver, left);
                self.solver.push();
                let bound = Int::from_i64(bound);
                self.solver.assert(term.le(&bound) & term.ge(-bound));
                if self.solver.check() == SatResult::Sat {
                    if let Some(smaller) = self.solver.get_model() {
                        model = smaller;
                        kept += 1;
                        break;
                    }
                }
                self.solver.pop(1);
            }
        }
        self.solver.pop(kept);
        Ok(model)
    }

    fn counterexample(
        &mut self,
        model: &Model,
        steps: &[StepEncoding],
        failure: Failure,
    ) -> Result<Counterexample, Diagnostic> {
        let constants = self.encoder.decode_constants(model).map_err(decode_error)?;
        let mut decoded = Vec::new();
        for index in 0..=steps.len() {
            let state = self
                .encoder
                .decode_state(model, index)
                .map_err(decode_error)?;
            let action = match index.checked_sub(1).and_then(|i| steps.get(i)) {
                None => None,
                Some(step) => Some(self.taken_action(model, step)?),
            };
            decoded.push(Step { action, state });
        }
        Ok(Counterexample {
            constants,
            steps: decoded,
            failure,
        })
    }

    /// The action a step of the model takes, with its parameters' values.
    fn taken_action(
        &mut self,
        model: &Model,
        step: &StepEncoding,
    ) -> Result<ActionInstance, Diagnostic> {
        let (action, params) = match step {
            StepEncoding::Action(action, params) => (*action, params),
            StepEncoding::AnyAction(transition) => {
                let action = decode::selected_action(model, transition)
                    .ok_or_else(|| internal("the model selects no action".into()))?;
                (action, &transition.params[action])
            }
        };
        let (spec, types) = (self.spec, self.types);
        let values =
            decode::parameter_values(&mut self.encoder, spec, types, model, action, params)
                .map_err(decode_error)?;
        Ok(ActionInstance {
            action,
            params: values,
        })
    }
}

/// Gives each later check of `solver` at most `timeout`.
fn set_timeout(solver: &Solver, timeout: Duration) {
    let mut params = z3::Params::new();
    let millis = u32::try_from(timeout.as_millis()).unwrap_or(u32::MAX);
    params.set_u32("timeout", millis.max(1));
    solver.set_params(&params);
}

/// Whether a solver answer was anything but a proof, for callers that only count.
pub fn all_proved(outcomes: &[Outcome]) -> bool {
    outcomes.iter().all(|o| o.verdict == Verdict::Proved)
}

/// A counterexample of an exact encoding that the evaluator refutes: a bug in smtcheck.
fn uncertified(failure: &str, cex: &Counterexample) -> Diagnostic {
    let show = |values: &[Value]| {
        let shown: Vec<String> = values.iter().map(Value::to_string).collect();
        shown.join(", ")
    };
    let constants: Vec<Value> = cex.constants.iter().flatten().cloned().collect();
    let mut diagnostic = internal(format!("the counterexample does not certify: {failure}"))
        .note("this is a bug in smtcheck's encoding, not in the spec")
        .note(format!("constants: {}", show(&constants)));
    for (index, step) in cex.steps.iter().enumerate() {
        let action = step.action.as_ref().map(|a| a.action);
        diagnostic = diagnostic.note(format!(
            "state {} (by action {action:?}): {}",
            index + 1,
            show(&step.state)
        ));
    }
    diagnostic
}

fn decode_error(message: String) -> Diagnostic {
    internal(format!(
        "reading the counterexample from the model: {message}"
    ))
}

fn internal(message: String) -> Diagnostic {
    Diagnostic::new(
        Kind::Other,
        "E0902",
        format!("internal error in the inductive proof: {message}"),
    )
}

#[cfg(test)]
mod tests;
