//! A temporal property, negated and in negation normal form, as the lasso search reads it.
//!
//! The search looks for a behaviour that satisfies the *negation* of the property, so it is
//! negated first and negations are pushed down to the state and action formulas (the atoms).
//! Every atom then occurs with a known sign, and the encoder may Skolemize inside it: an atom
//! that occurs positively is encoded with `holds`, a negated one with `violated`.
//!
//! `ENABLED A` is an atom of its own, encoded exactly (it may be negated).
//!
//! Quantifiers over temporal bodies (`\A p \in Proc : <>(pc[p] = "cs")`) are expanded over
//! their sets, which must be constant and finite; `[A]_v` and `<<A>>_v` become the actions
//! `A \/ v' = v` and `A /\ v' /= v`.

use crate::diag::{Diagnostic, Kind};
pub use crate::eval::eval::instances;
pub use crate::ir::rewrite::is_temporal;
use crate::ir::rewrite::{angle, boxed, mentions_primed};
use crate::ir::{Expr, ExprKind, Fairness, Loc, Op, Quantifier, Spec};

/// A formula in negation normal form over atoms.
#[derive(Clone, Debug)]
pub enum Ltl {
    /// A state predicate (at a position) or an action (on the step leaving it), `positive`
    /// or negated.
    Atom {
        expr: Expr,
        action: bool,
        positive: bool,
    },
    /// `ENABLED A` at a position (`ENABLED <<A>>_v` with `vars`), or its negation.
    Enabled {
        action: Expr,
        vars: Option<Expr>,
        positive: bool,
    },
    And(Vec<Ltl>),
    Or(Vec<Ltl>),
    Always(Box<Ltl>),
    Eventually(Box<Ltl>),
}

impl Ltl {
    /// `<>~P` for a state or action formula `P`: the negation of a safety property `[]P` (or
    /// `[][A]_v`), whose violations are finite prefixes.
    pub fn violated_invariant(&self) -> Option<&Ltl> {
        match self {
            Ltl::Eventually(inner) if matches!(**inner, Ltl::Atom { .. }) => Some(inner),
            _ => None,
        }
    }
}

/// `~property`, in negation normal form.
pub fn negation(spec: &Spec, property: &Expr) -> Result<Ltl, Diagnostic> {
    Normalizer { spec }.nnf(property, false)
}

struct Normalizer<'a> {
    spec: &'a Spec,
}

impl Normalizer<'_> {
    /// `expr` (when `positive`) or its negation, in negation normal form.
    fn nnf(&self, expr: &Expr, positive: bool) -> Result<Ltl, Diagnostic> {
        if !is_temporal(expr) && !mentions_enabled(expr) {
            return Ok(atom(expr.clone(), positive));
        }
        let both = |a: Ltl, b: Ltl| vec![a, b];
        Ok(match &*expr.kind {
            ExprKind::Apply(Op::And, args) => junction(self.all(args, positive)?, positive),
            ExprKind::Apply(Op::Or, args) => junction(self.all(args, positive)?, !positive),
            ExprKind::Apply(Op::Not, args) if args.len() == 1 => self.nnf(&args[0], !positive)?,
            ExprKind::Apply(Op::Implies, args) if args.len() == 2 => {
                let (a, b) = (&args[0], &args[1]);
                let parts = both(self.nnf(a, !positive)?, self.nnf(b, positive)?);
                junction(parts, !positive)
            }
            ExprKind::Apply(Op::Equiv, args) if args.len() == 2 => {
                let (a, b) = (&args[0], &args[1]);
                // a <=> b is (a /\ b) \/ (~a /\ ~b); its negation (a /\ ~b) \/ (~a /\ b).
                let same = Ltl::And(both(self.nnf(a, true)?, self.nnf(b, positive)?));
                let other = Ltl::And(both(self.nnf(a, false)?, self.nnf(b, !positive)?));
                Ltl::Or(vec![same, other])
            }
            ExprKind::If(cond, then, other) if !is_temporal(cond) => {
                // (c /\ A) \/ (~c /\ B); its negation (c /\ ~A) \/ (~c /\ ~B).
                let then = Ltl::And(both(atom(cond.clone(), true), self.nnf(then, positive)?));
                let other = Ltl::And(both(atom(cond.clone(), false), self.nnf(other, positive)?));
                Ltl::Or(vec![then, other])
            }
            ExprKind::Always(body) => modal(self.nnf(body, positive)?, positive),
            ExprKind::Eventually(body) => modal(self.nnf(body, positive)?, !positive),
            ExprKind::LeadsTo(p, q) => {
                // P ~> Q is [](~P \/ <>Q); its negation <>(P /\ []~Q).
                let q = modal(self.nnf(q, positive)?, !positive);
                let step = junction(both(self.nnf(p, !positive)?, q), !positive);
                modal(step, positive)
            }
            ExprKind::Enabled(action) => Ltl::Enabled {
                action: action.clone(),
                vars: None,
                positive,
            },
            ExprKind::Fair(kind, vars, action) => fairness(*kind, vars, action, positive),
            ExprKind::BoxAction(action, vars) => atom(boxed(action, vars), positive),
            ExprKind::AngleAction(action, vars) => atom(angle(action, vars), positive),
            ExprKind::Quant(q, binders, body) => {
                let instances = self.instances(binders, body, expr.loc)?;
                let parts = instances
                    .iter()
                    .map(|instance| self.nnf(instance, positive))
                    .collect::<Result<Vec<_>, _>>()?;
                junction(parts, (*q == Quantifier::Forall) == positive)
            }
            _ => return Err(unsupported(expr.loc)),
        })
    }

    fn all(&self, args: &[Expr], positive: bool) -> Result<Vec<Ltl>, Diagnostic> {
        args.iter().map(|a| self.nnf(a, positive)).collect()
    }

    /// `body` once for each combination of values of `binders`, which must be constant sets.
    fn instances(
        &self,
        binders: &[crate::ir::Binder],
        body: &Expr,
        loc: Loc,
    ) -> Result<Vec<Expr>, Diagnostic> {
        instances(self.spec, binders, body).map_err(|message| {
            Diagnostic::new(
                Kind::Unsupported,
                "E0701",
                format!(
                    "a quantifier over a temporal formula needs a constant finite set: {message}"
                ),
            )
            .at(loc.file, loc.span, "quantifier over a temporal formula")
        })
    }
}

/// `WF_v(A)`, which is `[]<>~ENABLED <<A>>_v \/ []<><<A>>_v`, or `SF_v(A)`, which is
/// `<>[]~ENABLED <<A>>_v \/ []<><<A>>_v`; or their negations.
fn fairness(kind: Fairness, vars: &Expr, action: &Expr, positive: bool) -> Ltl {
    let enabled = |positive| Ltl::Enabled {
        action: action.clone(),
        vars: Some(vars.clone()),
        positive,
    };
    let taken = atom(angle(action, vars), positive);
    let (outer, inner) = match kind {
        Fairness::Weak => (positive, !positive),
        Fairness::Strong => (!positive, positive),
    };
    let excused = modal(modal(enabled(!positive), inner), outer);
    let infinitely_taken = modal(modal(taken, !positive), positive);
    junction(vec![excused, infinitely_taken], !positive)
}

fn atom(expr: Expr, positive: bool) -> Ltl {
    let action = mentions_primed(&expr);
    Ltl::Atom {
        expr,
        action,
        positive,
    }
}

/// A conjunction (`conjoin`) or a disjunction of `parts`.
fn junction(parts: Vec<Ltl>, conjoin: bool) -> Ltl {
    if conjoin {
        Ltl::And(parts)
    } else {
        Ltl::Or(parts)
    }
}

/// `[]body` (`always`) or `<>body`.
fn modal(body: Ltl, always: bool) -> Ltl {
    if always {
        Ltl::Always(Box::new(body))
    } else {
        Ltl::Eventually(Box::new(body))
    }
}

/// Whether `expr` has an `ENABLED` in it (which the encoder reads only on its own, as an
/// atom of a temporal formula).
fn mentions_enabled(expr: &Expr) -> bool {
    matches!(&*expr.kind, ExprKind::Enabled(_))
        || crate::eval::action::children(&expr.kind)
            .into_iter()
            .any(mentions_enabled)
}

fn unsupported(loc: Loc) -> Diagnostic {
    Diagnostic::new(
        Kind::Unsupported,
        "E0700",
        "this temporal formula is not supported: properties are built from []P, <>P, P ~> Q, \
         [][A]_v, ENABLED A, WF_v(A), SF_v(A), boolean operators, IF over a state predicate, \
         and quantifiers over constant sets",
    )
    .at(loc.file, loc.span, "unsupported temporal formula")
}
