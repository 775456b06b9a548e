//! The one-point rule: a quantifier whose body pins its variable to one value is that value.
//!
//! `\E m \in S : m = e /\ P(m)` is `e \in S /\ P(e)` when `e` does not mention `m`, and
//! `\A m \in S : m = e /\ Q(m) => P(m)` is `e \in S => (Q(e) => P(e))`. For a record (or
//! tuple) variable the value is pinned when the conjuncts of the body (of the antecedent, for
//! `\A`) give *every* field: `m.f = e_f` (`m[i] = e_i`). Specs say this all the time — "some
//! vote from v to c in term t is in the set of messages" — and without the rule the encoding
//! is a Z3 quantifier over the record sort wherever the quantifier cannot be Skolemized (under
//! `Cardinality`, in a guard that may be negated, in an invariant), which Z3 instantiates
//! blindly; with it the formula is one array read. The rule is exact: the body implies the
//! pinning equations, and the only value satisfying them is the pinned one.

use super::encode::{literal_int, Encoder, Polarity, Result};
use crate::ir::{Binder, BoundId, Expr, ExprKind, Op, Pattern, Quantifier};
use crate::types::Type;
use crate::value::Value;
use z3::ast::{Bool, Dynamic};

impl Encoder<'_> {
    /// `\A`/`\E` over `binders` with `body`: binder by binder, by the one-point rule where the
    /// body pins the binder's variable, and otherwise as `quantify` encodes a quantifier.
    pub(super) fn quantified(
        &mut self,
        q: Quantifier,
        binders: &[Binder],
        body: &Expr,
        pol: Polarity,
    ) -> Result<Bool> {
        let Some((first, rest)) = binders.split_first() else {
            return self.formula(body, pol);
        };
        let ty = self.elem_type(&first.set)?;
        // The pinned value must not mention the variables of this quantifier: `first`'s, and
        // those of the binders after it, which are bound between `first` and the body.
        let bound: Vec<BoundId> = binders.iter().flat_map(|b| bound_ids(&b.pattern)).collect();
        let pins = match &first.pattern {
            Pattern::Var(var) if !self.types.optional_fields.contains_key(&ty) => {
                pinned_value(q, *var, &ty, body, &bound)
            }
            _ => None,
        };
        let Some(pins) = pins else {
            return self.quantify(q, std::slice::from_ref(first), pol, &mut |me, pol| {
                me.quantified(q, rest, body, pol)
            });
        };
        let value = self.pinned_term(&ty, &pins)?;
        // For `\A` the membership is the antecedent of an implication: opposite polarity.
        let member_pol = match q {
            Quantifier::Exists => pol,
            Quantifier::Forall => pol.flip(),
        };
        let member = self.member(&value, &first.set, member_pol)?;
        let mark = self.bind(&first.pattern, &value, &ty, first.set.loc)?;
        let inner = self.assuming(&member, |me| me.quantified(q, rest, body, pol));
        self.env.truncate(mark);
        Ok(match q {
            Quantifier::Exists => member & inner?,
            Quantifier::Forall => member.implies(inner?),
        })
    }

    /// The value the pins describe: the pinned expression itself, or the record or tuple of
    /// the pinned fields.
    fn pinned_term(&mut self, ty: &Type, pins: &Pinned<'_>) -> Result<Dynamic> {
        match pins {
            Pinned::Whole(value) => self.term(value),
            Pinned::Fields(fields) => {
                let terms = fields
                    .iter()
                    .map(|field| self.term(field))
                    .collect::<Result<Vec<_>>>()?;
                Ok(self.sorts.construct(ty, &terms))
            }
        }
    }
}

/// What the body of a quantifier pins its variable to.
#[derive(Debug, PartialEq)]
pub(super) enum Pinned<'e> {
    /// `m = e`.
    Whole(&'e Expr),
    /// `m.f = e_f` for every field of a record, `m[i] = e_i` for every item of a tuple, in
    /// the order of the type's fields.
    Fields(Vec<&'e Expr>),
}

/// What `body` pins variable `var` (of type `ty`) to, if it pins it: as a conjunct of the body
/// for `\E`, of the antecedent of the body (an implication) for `\A`. The pinned expressions
/// mention none of `bound`.
pub(super) fn pinned_value<'e>(
    q: Quantifier,
    var: BoundId,
    ty: &Type,
    body: &'e Expr,
    bound: &[BoundId],
) -> Option<Pinned<'e>> {
    let condition = match (q, &*body.kind) {
        (Quantifier::Exists, _) => body,
        (Quantifier::Forall, ExprKind::Apply(Op::Implies, args)) => args.first()?,
        (Quantifier::Forall, _) => return None,
    };
    let mut parts = Vec::new();
    conjuncts(condition, &mut parts);
    let arity = match ty {
        Type::Record(fields) => fields.len(),
        Type::Tuple(items) => items.len(),
        _ => 0,
    };
    let mut fields: Vec<Option<&Expr>> = vec![None; arity];
    for part in parts {
        let ExprKind::Apply(Op::Eq, sides) = &*part.kind else {
            continue;
        };
        let [a, b] = sides.as_slice() else {
            continue;
        };
        for (pinned, value) in [(a, b), (b, a)] {
            if mentions_any(value, bound) {
                continue;
            }
            match pin_position(pinned, var, ty) {
                Some(Position::Whole) => return Some(Pinned::Whole(value)),
                Some(Position::Field(index)) => {
                    if let Some(slot) = fields.get_mut(index) {
                        slot.get_or_insert(value);
                    }
                }
                None => {}
            }
        }
    }
    let complete: Option<Vec<&Expr>> = fields.into_iter().collect();
    complete
        .filter(|fields| !fields.is_empty())
        .map(Pinned::Fields)
}

/// Where an expression sits in the bound variable: the variable itself, or one of its fields.
enum Position {
    Whole,
    Field(usize),
}

/// Whether `expr` is `var`, `var.f` (a field of its record type) or `var[i]` (a literal index
/// of its tuple type), and which.
fn pin_position(expr: &Expr, var: BoundId, ty: &Type) -> Option<Position> {
    let is_var = |e: &Expr| matches!(&*e.kind, ExprKind::Bound(id) if *id == var);
    match (&*expr.kind, ty) {
        (ExprKind::Bound(id), _) if *id == var => Some(Position::Whole),
        (ExprKind::Field(record, name), Type::Record(fields)) if is_var(record) => {
            fields.keys().position(|f| f == name).map(Position::Field)
        }
        (ExprKind::FnApp(tuple, index), Type::Tuple(items)) if is_var(tuple) => {
            let index = usize::try_from(literal_int(index)?).ok()?;
            (1..=items.len())
                .contains(&index)
                .then(|| Position::Field(index - 1))
        }
        _ => None,
    }
}

/// The conjuncts of `expr`, through nested `/\`, and through `\/`s whose other disjuncts are
/// `FALSE` (as a constant switched off in the config leaves them, `Flag \/ m.t = t`).
fn conjuncts<'e>(expr: &'e Expr, out: &mut Vec<&'e Expr>) {
    match &*expr.kind {
        ExprKind::Apply(Op::And, args) => args.iter().for_each(|a| conjuncts(a, out)),
        ExprKind::Apply(Op::Or, args) => {
            let live: Vec<&Expr> = args
                .iter()
                .filter(|a| !matches!(&*a.kind, ExprKind::Lit(Value::Bool(false))))
                .collect();
            match live.as_slice() {
                [only] => conjuncts(only, out),
                _ => out.push(expr),
            }
        }
        _ => out.push(expr),
    }
}

fn bound_ids(pattern: &Pattern) -> Vec<BoundId> {
    match pattern {
        Pattern::Var(id) => vec![*id],
        Pattern::Tuple(ids) => ids.clone(),
    }
}

/// Whether `expr` mentions any of the bound variables `ids`.
pub(super) fn mentions_any(expr: &Expr, ids: &[BoundId]) -> bool {
    if let ExprKind::Bound(id) = &*expr.kind {
        return ids.contains(id);
    }
    expr.kind.children().iter().any(|c| mentions_any(c, ids))
}

#[cfg(test)]
mod tests;
