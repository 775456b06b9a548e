//! Normalisation by construction.
//!
//! Functions and sequences are kept *normalised* (see `sorts`): outside the domain (`1..len`
//! for a sequence) the array holds the default value of the range, so that TLA+ equality is
//! SMT equality. Terms built by the encoder are normalised as they are built. A *fresh* value —
//! a state variable, a symbolic constant, a Skolem constant, a variable bound by a Z3
//! quantifier — is not a bare constant `raw` but `normal(raw)`: a term built from `raw` that is
//! normalised whatever `raw` is, and that equals `raw` when `raw` already is (so it ranges over
//! exactly the normalised values):
//!
//! * a function `mk(d, m)` becomes `mk(d, m')` with `m'[x] = IF d[x] THEN normal(m[x]) ELSE
//!   default` — a chain of `store`s over the domain sort's values when there are few of them,
//!   a `lambda` otherwise;
//! * a sequence `mk(n, e)` becomes `mk(max(n, 0), e')`, `e'` the same way over `1..max(n, 0)`;
//! * a set whose elements need normalising keeps its normalised members only
//!   (`\lambda x. s[x] /\ x = normal(x)`);
//! * records and tuples are normalised field by field;
//! * a value of a type mixed with model values is normalised inside `val`.
//!
//! An earlier design constrained fresh constants with an axiom `\A w : ~d[w] => m[w] =
//! default` instead. Over an infinite domain sort (strings, integers) that quantifier made Z3
//! answer `unknown` (incomplete array theory) even on trivial checks; the terms here need no
//! quantifier.
//!
//! The one exception: a state variable after the first state that every action sets by an
//! equation `x' = e` (`UNCHANGED x` included) is its bare constant. Every engine asserts the
//! transition into each state after the first, and whichever action it takes equates the
//! constant with a normalised term, so the constant is normalised in every model. Those
//! `normal` terms were most of the formula on specs with sequences or functions over integers
//! (a lambda per variable per step), and every read went through them.

use super::encode::Encoder;
use crate::ir::{rewrite, Expr, ExprKind, Op, Quantifier, Spec, VarId};
use crate::types::Type;
use z3::ast::{Array, Bool, Dynamic, Int};
use z3::Sort;

/// Domain sorts with at most this many values get a chain of stores instead of a lambda.
const SMALL_UNIVERSE: usize = 64;

impl Encoder<'_> {
    /// A fresh constant of `ty`'s sort named after `prefix`, and the normalised value made of
    /// it (the constant is what a Z3 binder binds; the value is what formulas use).
    pub(super) fn fresh_value(&mut self, prefix: &str, ty: &Type) -> (Dynamic, Dynamic) {
        let sort = self.sorts.sort(ty);
        let raw = self.fresh_const(prefix, &sort);
        let value = self.normal(&raw, ty);
        (raw, value)
    }

    /// The normalised value of type `ty` that agrees with `term` on the domain.
    pub(super) fn normal(&mut self, term: &Dynamic, ty: &Type) -> Dynamic {
        if !self.sorts.needs_normalising(ty) {
            return term.clone();
        }
        let normal = match ty {
            Type::Fn(a, b) => self.normal_fn(term, ty, a, b),
            Type::Seq(elem) => self.normal_seq(term, ty, elem),
            Type::Set(elem) => self.normal_set(term, elem),
            Type::Record(fields) => {
                let types: Vec<Type> = fields.values().cloned().collect();
                self.normal_fields(term, ty, &types)
            }
            Type::Tuple(items) => self.normal_fields(term, ty, items),
            Type::Bool | Type::Int | Type::Str | Type::ModelValue => None,
        };
        let Some(normal) = normal else {
            return term.clone();
        };
        // The parts above are read through `val` and rebuilt as `val(...)`: a model value
        // stays itself.
        if self.sorts.is_mixed(ty) {
            let plain = self.sorts.is_plain(ty, term);
            return plain.ite(&normal, term);
        }
        normal
    }

    /// Whether `term` is normalised: `term = normal(term)` (`TRUE` for types that need none).
    pub(super) fn is_normal(&mut self, term: &Dynamic, ty: &Type) -> Bool {
        if !self.sorts.needs_normalising(ty) {
            return Bool::from_bool(true);
        }
        let normal = self.normal(term, ty);
        term.safe_eq(&normal)
            .unwrap_or_else(|_| Bool::from_bool(true))
    }

    fn normal_fn(&mut self, term: &Dynamic, ty: &Type, a: &Type, b: &Type) -> Option<Dynamic> {
        let dom = self.sorts.field(ty, term, 0)?.as_array()?;
        let map = self.sorts.field(ty, term, 1)?.as_array()?;
        let default = self.sorts.default_value(b);
        let map = self.over_sort(a, &default, &mut |me, x| {
            let inside = dom.select(x).as_bool()?;
            let value = me.normal(&map.select(x), b);
            Some(inside.ite(&value, &default))
        })?;
        Some(self.sorts.construct(ty, &[dom.into(), map.into()]))
    }

    fn normal_seq(&mut self, term: &Dynamic, ty: &Type, elem: &Type) -> Option<Dynamic> {
        let len = self.sorts.field(ty, term, 0)?.as_int()?;
        let elems = self.sorts.field(ty, term, 1)?.as_array()?;
        let zero = Int::from_i64(0);
        let len = len.lt(&zero).ite(&zero, &len);
        let default = self.sorts.default_value(elem);
        // Indices are plain integers even where model values mix with `Int`.
        let i = self.fresh_const("n", &Sort::int());
        let index = i.as_int()?;
        let inside = index.ge(Int::from_i64(1)) & index.le(&len);
        let value = self.normal(&elems.select(&i), elem);
        let elems = z3::ast::lambda_const(&[&i], &inside.ite(&value, &default));
        Some(self.sorts.construct(ty, &[len.into(), elems.into()]))
    }

    fn normal_set(&mut self, term: &Dynamic, elem: &Type) -> Option<Dynamic> {
        let set = term.as_array()?;
        let no = Bool::from_bool(false);
        let normal_members = self.over_sort(elem, &no.into(), &mut |me, x| {
            let inside = set.select(x).as_bool()?;
            Some((inside & me.is_normal(x, elem)).into())
        })?;
        Some(normal_members.into())
    }

    /// A record or tuple, field by field (an absent optional field stays absent).
    fn normal_fields(&mut self, term: &Dynamic, ty: &Type, types: &[Type]) -> Option<Dynamic> {
        let names: Vec<String> = match ty {
            Type::Record(map) => map.keys().cloned().collect(),
            _ => Vec::new(),
        };
        let mut normal = term.clone();
        for (i, field_ty) in types.iter().enumerate() {
            if !self.sorts.needs_normalising(field_ty) {
                continue;
            }
            let field = self.sorts.field(ty, term, i)?;
            let field = self.normal(&field, field_ty);
            let updated = self.sorts.with_field(ty, &normal, i, &field)?;
            normal = match names.get(i) {
                Some(name) if self.sorts.optional_fields(ty).contains(name) => {
                    let present = self.sorts.has_field(ty, term, name)?;
                    present.ite(&updated, &normal)
                }
                _ => updated,
            };
        }
        Some(normal)
    }

    /// The array over `ty`'s sort mapping each `x` to `entry(x)`: `store`s over a small
    /// universe (on a constant array of `outside`, which no index is left at), a lambda
    /// otherwise.
    fn over_sort(
        &mut self,
        ty: &Type,
        outside: &Dynamic,
        entry: &mut dyn FnMut(&mut Self, &Dynamic) -> Option<Dynamic>,
    ) -> Option<Array> {
        let sort: Sort = self.sorts.sort(ty);
        if let Some(universe) = self.sorts.universe(ty, SMALL_UNIVERSE) {
            let mut array = Array::const_array(&sort, outside);
            for x in &universe {
                array = array.store(x, &entry(self, x)?);
            }
            return Some(array);
        }
        let x = self.fresh_const("n", &sort);
        let body = entry(self, &x)?;
        Some(z3::ast::lambda_const(&[&x], &body))
    }
}

/// For each state variable, whether every action of `spec` sets it by an equation `x' = e`
/// wherever the action holds: in a conjunct, in every disjunct, in both branches of an `IF`,
/// in every arm of a `CASE` with `OTHER`, or under an `\E`.
pub(super) fn assigned_by_every_action(spec: &Spec) -> Vec<bool> {
    (0..spec.vars.len())
        .map(|v| {
            !spec.actions.is_empty()
                && spec
                    .actions
                    .iter()
                    .all(|action| assigns(&action.body, VarId(v)))
        })
        .collect()
}

/// Whether `expr` implies `v' = e` for some `e` without primed variables (one that is, two
/// primed variables equated with each other would pin neither).
fn assigns(expr: &Expr, v: VarId) -> bool {
    let is_next = |e: &Expr| matches!(&*e.kind, ExprKind::Primed(p) if *p == v);
    let unprimed = |e: &Expr| !rewrite::mentions_primed(e);
    match &*expr.kind {
        ExprKind::Apply(Op::Eq, args) => match args.as_slice() {
            [a, b] => (is_next(a) && unprimed(b)) || (is_next(b) && unprimed(a)),
            _ => false,
        },
        ExprKind::Apply(Op::And, args) => args.iter().any(|a| assigns(a, v)),
        ExprKind::Apply(Op::Or, args) => !args.is_empty() && args.iter().all(|a| assigns(a, v)),
        ExprKind::If(_, then, other) => assigns(then, v) && assigns(other, v),
        ExprKind::Case(arms, Some(other)) => {
            assigns(other, v) && arms.iter().all(|(_, value)| assigns(value, v))
        }
        ExprKind::Quant(Quantifier::Exists, _, body) => assigns(body, v),
        _ => false,
    }
}
