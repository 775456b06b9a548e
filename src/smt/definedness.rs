//! Definedness: the conditions under which TLC evaluates an expression without an error.
//!
//! Where TLC stops with an evaluation error — a function applied outside its domain, an absent
//! record field, `Head` or `Tail` of `<<>>`, `\div` by zero, arithmetic on a model value, a
//! `CHOOSE` with nothing to choose, a `CASE` with no true arm — the encoding has an unspecified
//! value. So that no verdict rests on such a value, the encoder can record, for each partial
//! operation it translates, an *obligation*: the operation's definedness condition under the
//! *path condition* TLC evaluates it in. The path condition is made of
//! * the conjuncts to the left (`/\` stops at the first false one),
//! * the negated disjuncts to the left (`\/` stops at the first true one — except where TLC
//!   enumerates successors, and a disjunction that assigns variables is a branch point whose
//!   every disjunct is evaluated, see `Assigns`),
//! * the antecedent of `=>`, the conditions of the IF or CASE arm taken,
//! * the membership of the values a quantifier, set builder, function constructor or
//!   `CHOOSE` binds.
//!
//! `engine::bmc` checks that every obligation holds in each reachable state, and shows a
//! failing one only once the evaluator has raised the error itself (`eval::replay`).
//!
//! The obligations are *conservative* where TLC's order of evaluation is its own: every element
//! of a quantifier's set is evaluated (TLC stops at the first witness or counterexample, in its
//! order), and a Skolemized `\A` used as a guard is weaker than the `\A`. So an obligation may
//! fail where TLC evaluates without error — never the other way round — and the evaluator's
//! replay decides.
//!
//! Recording is off unless an engine asks for it (`Encoder::recording`): other encodings
//! (`ENABLED`, the axioms of `CHOOSE`) record nothing and cost nothing more.

use super::encode::{all, Encoder, Result};
use crate::ir::{Expr, ExprKind};
use crate::types::Type;
use crate::value::Value;
use z3::ast::{Bool, Dynamic};

/// Which variables the evaluation of a formula assigns, TLC's way (`eval::action`): then a
/// disjunction that mentions one is a branch point, and every disjunct is evaluated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Assigns {
    /// An invariant or a constraint: evaluated, nothing assigned.
    Nothing,
    /// `Init`: assigns the state variables.
    Unprimed,
    /// An action: assigns the primed variables.
    Primed,
}

/// The obligations recorded so far and the path condition of the sub-expression being encoded.
pub(super) struct Recorder {
    assigns: Assigns,
    path: Vec<Bool>,
    /// Each is a partial operation's definedness condition under its path condition: where
    /// one is false, evaluation stops with an error.
    obligations: Vec<Bool>,
}

impl Encoder<'_> {
    /// Runs `encode`, recording the obligations of the partial operations it translates.
    pub fn recording<R>(
        &mut self,
        assigns: Assigns,
        encode: impl FnOnce(&mut Self) -> Result<R>,
    ) -> Result<(R, Vec<Bool>)> {
        let recorder = Recorder {
            assigns,
            path: Vec::new(),
            obligations: Vec::new(),
        };
        let outer = self.definedness.replace(recorder);
        let result = encode(self);
        let recorder = std::mem::replace(&mut self.definedness, outer);
        let obligations = recorder.map(|r| r.obligations).unwrap_or_default();
        Ok((result?, obligations))
    }

    /// Runs `encode` without recording (for formulas TLC does not evaluate, such as the
    /// axioms that define `CHOOSE`).
    pub(super) fn unrecorded<R>(&mut self, encode: impl FnOnce(&mut Self) -> R) -> R {
        let recorder = self.definedness.take();
        let result = encode(self);
        self.definedness = recorder;
        result
    }

    /// Records that evaluation stops with an error unless `defined` holds.
    pub(super) fn require(&mut self, defined: Bool) {
        let Some(recorder) = &mut self.definedness else {
            return;
        };
        if defined.as_bool() == Some(true) {
            return;
        }
        recorder
            .obligations
            .push(all(&recorder.path).implies(defined));
    }

    /// Records that evaluating `value` of type `ty` as a plain value stops with an error when
    /// it is a model value (arithmetic on a sentinel, a field of one).
    pub(super) fn require_plain(&mut self, ty: &Type, value: &Dynamic) {
        if self.definedness.is_some() && self.sorts.is_mixed(ty) {
            let plain = self.sorts.is_plain(ty, value);
            self.require(plain);
        }
    }

    /// Runs `encode` with `guard` added to the path condition.
    pub(super) fn assuming<R>(&mut self, guard: &Bool, encode: impl FnOnce(&mut Self) -> R) -> R {
        self.on_path(|me| {
            me.extend_path(guard.clone());
            encode(me)
        })
    }

    /// Runs `encode`, which may extend the path condition (`extend_path`), and restores the
    /// path condition afterwards.
    pub(super) fn on_path<R>(&mut self, encode: impl FnOnce(&mut Self) -> R) -> R {
        let mark = self.definedness.as_ref().map_or(0, |r| r.path.len());
        let result = encode(self);
        if let Some(recorder) = &mut self.definedness {
            recorder.path.truncate(mark);
        }
        result
    }

    /// Adds `guard` to the path condition (within `on_path`).
    pub(super) fn extend_path(&mut self, guard: Bool) {
        if let Some(recorder) = &mut self.definedness {
            if guard.as_bool() != Some(true) {
                recorder.path.push(guard);
            }
        }
    }

    /// Whether the disjunction `or` is a branch point whose every disjunct TLC evaluates.
    pub(super) fn branches(&self, or: &Expr) -> bool {
        match self.definedness.as_ref().map(|r| r.assigns) {
            Some(Assigns::Primed) => mentions(or, &|kind| matches!(kind, ExprKind::Primed(_))),
            Some(Assigns::Unprimed) => mentions(or, &|kind| matches!(kind, ExprKind::Var(_))),
            Some(Assigns::Nothing) | None => false,
        }
    }

    /// The state at `step` is the state `values` (to exclude a state the evaluator cleared).
    pub fn is_state(&mut self, step: usize, values: &[Value]) -> Result<Bool> {
        let state = self.state(step);
        let (types, vars) = (self.types, &self.spec.vars);
        let mut equal = Vec::new();
        for (((term, value), ty), variable) in state.iter().zip(values).zip(&types.vars).zip(vars) {
            let given = self.value_term(value, ty, variable.loc)?;
            equal.push(super::encode::equal(term, &given, variable.loc)?);
        }
        Ok(all(&equal))
    }
}

/// Whether `expr` has a sub-expression of the kind `wanted` accepts.
fn mentions(expr: &Expr, wanted: &dyn Fn(&ExprKind) -> bool) -> bool {
    wanted(&expr.kind)
        || expr
            .kind
            .children()
            .into_iter()
            .any(|c| mentions(c, wanted))
}

/// The arms of a `CASE` (an IF is one arm and an OTHER), each as (guard, value).
pub(super) type Arms<T> = (Vec<(Bool, T)>, Option<T>);

impl Encoder<'_> {
    /// The parts of a conjunction (`guard` = `Bool::clone`) or of a disjunction that stops at
    /// the first true part (`guard` = `Bool::not`), each encoded where TLC evaluates it: after
    /// the parts before it gave `guard`.
    pub(super) fn junction(
        &mut self,
        parts: &[Expr],
        pol: super::Polarity,
        guard: fn(&Bool) -> Bool,
    ) -> Result<Vec<Bool>> {
        self.on_path(|me| {
            let mut encoded = Vec::new();
            for part in parts {
                let term = me.formula(part, pol)?;
                me.extend_path(guard(&term));
                encoded.push(term);
            }
            Ok(encoded)
        })
    }

    /// The arms of a `CASE`, encoded where TLC evaluates them: each guard once the guards
    /// before it are false, each value once its guard is true, OTHER once all are false. With
    /// no OTHER, some guard must be true.
    pub(super) fn arms<T>(
        &mut self,
        arms: &[(&Expr, &Expr)],
        other: Option<&Expr>,
        value: &mut dyn FnMut(&mut Self, &Expr) -> Result<T>,
    ) -> Result<Arms<T>> {
        let (encoded, other, guards) = self.on_path(|me| {
            let mut encoded = Vec::new();
            let mut guards = Vec::new();
            for (guard, arm) in arms {
                let guard = me.formula(guard, super::Polarity::Mixed)?;
                let arm = me.assuming(&guard, |me| value(me, arm))?;
                me.extend_path(guard.not());
                guards.push(guard.clone());
                encoded.push((guard, arm));
            }
            let other = other.map(|other| value(me, other)).transpose()?;
            Ok::<_, crate::diag::Diagnostic>((encoded, other, guards))
        })?;
        if other.is_none() {
            self.require(super::encode::any(&guards));
        }
        Ok((encoded, other))
    }
}
