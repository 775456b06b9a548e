//! Sets: membership, set terms, quantification over a set, finite element lists, cardinality.
//!
//! A set is used three ways, and each has its cheapest encoding:
//! * `x \in S` (`member`) is a formula built from the structure of `S`: `x = a \/ x = b` for
//!   `{a, b}`, `lo <= x /\ x <= hi` for a range, field-wise membership for `[a: A, b: B]`,
//!   `DOMAIN f = S /\ \A x \in S : f[x] \in T` for `[S -> T]`, and so on; only a set that is
//!   a plain value (a variable, a function application, …) becomes an array `select`.
//! * As a value (`set_term`), a set is an array `T -> Bool`: a chain of stores for a literal
//!   set, Z3's set operations for `\cup`/`\cap`/`\`, and `\lambda x. x \in S` for the rest
//!   (`SUBSET S` is `\lambda s. s \subseteq S`).
//! * Quantifiers and `Cardinality` want the elements (`finite_elements`): a list of
//!   (guard, element) pairs, meaning "element is in the set when guard holds".

use super::encode::{
    all, any, equal, literal_int, select, Encoder, Polarity, Result, EXPAND_AT_MOST,
    EXPANSION_LIMIT,
};
use super::one_point::mentions_any;
use super::{internal, unsupported};
use crate::ir::{Binder, Expr, ExprKind, Loc, Op, Pattern, Quantifier};
use crate::types::Type;
use crate::value::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use z3::ast::{Array, Ast, Bool, Dynamic, Int, Set};

/// Candidate elements of a set, each with the condition under which it is a member.
pub(super) struct Elements {
    pub items: Vec<(Bool, Dynamic)>,
    /// Whether the candidates are known to be pairwise distinct.
    pub distinct: bool,
}

impl Elements {
    /// Whether every candidate is a member unconditionally.
    pub fn unguarded(&self) -> bool {
        self.items
            .iter()
            .all(|(guard, _)| guard.as_bool() == Some(true))
    }
}

/// The set a quantifier ranges over.
pub(super) enum Domain<'e> {
    Expr(&'e Expr),
    /// A set given as an array term.
    Term(Array),
    /// `lo..hi`.
    Ints(Int, Int),
}

/// Element types with at most this many values compare sets pointwise.
const POINTWISE_LIMIT: usize = 64;

type Body<'b, E> = &'b mut dyn FnMut(&mut E, &Dynamic, Polarity) -> Result<Bool>;

impl Encoder<'_> {
    /// `\A`/`\E` over `binders` with `body` (given the polarity its instances sit in).
    pub(super) fn quantify(
        &mut self,
        q: Quantifier,
        binders: &[Binder],
        pol: Polarity,
        body: &mut dyn FnMut(&mut Self, Polarity) -> Result<Bool>,
    ) -> Result<Bool> {
        let Some((first, rest)) = binders.split_first() else {
            return body(self, pol);
        };
        let elem_ty = self.elem_type(&first.set)?;
        let name = self.pattern_name(&first.pattern);
        self.over(
            q,
            Domain::Expr(&first.set),
            &elem_ty,
            &name,
            pol,
            first.set.loc,
            &mut |me, x, pol| {
                let mark = me.bind(&first.pattern, x, &elem_ty, first.set.loc)?;
                let inner = me.quantify(q, rest, pol, body);
                me.env.truncate(mark);
                inner
            },
        )
    }

    /// `\A x \in domain : body(x)` or `\E …`: Skolemized where the polarity allows, expanded
    /// over a finite element list, or a Z3 quantifier.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn over(
        &mut self,
        q: Quantifier,
        domain: Domain<'_>,
        elem_ty: &Type,
        name: &str,
        pol: Polarity,
        loc: Loc,
        body: Body<'_, Self>,
    ) -> Result<Bool> {
        let combine = |guard: Bool, inner: Bool| match q {
            Quantifier::Exists => guard & inner,
            Quantifier::Forall => guard.implies(inner),
        };
        let skolemize = matches!(
            (q, pol),
            (Quantifier::Exists, Polarity::Pos) | (Quantifier::Forall, Polarity::Neg)
        );
        let elements = self
            .domain_elements(&domain, elem_ty, loc)?
            .filter(|e| e.items.len() <= EXPAND_AT_MOST);
        if skolemize && elements.is_none() {
            let constant = self.fresh_skolem(name, elem_ty);
            let member = self.contains(&domain, &constant, Polarity::Pos, loc)?;
            let inner = self.assuming(&member, |me| body(me, &constant, pol))?;
            return Ok(combine(member, inner));
        }
        if let Some(elements) = elements {
            let mut parts = Vec::new();
            for (guard, element) in elements.items {
                let inner = self.assuming(&guard, |me| body(me, &element, pol))?;
                parts.push(combine(guard, inner));
            }
            return Ok(match q {
                Quantifier::Exists => any(&parts),
                Quantifier::Forall => all(&parts),
            });
        }
        let (variable, value) = self.fresh_value(name, elem_ty);
        let guarded = self.under_binder(&variable, |me| {
            let member = me.contains(&domain, &value, Polarity::Mixed, loc)?;
            let inner = me.assuming(&member, |me| body(me, &value, Polarity::Mixed))?;
            Ok(combine(member, inner))
        })?;
        Ok(self.quantifier(q, &variable, &guarded, pol))
    }

    fn contains(
        &mut self,
        domain: &Domain<'_>,
        x: &Dynamic,
        pol: Polarity,
        loc: Loc,
    ) -> Result<Bool> {
        match domain {
            Domain::Expr(set) => self.member(x, set, pol),
            Domain::Term(array) => as_bool(select(array, x, loc)?, loc),
            Domain::Ints(lo, hi) => Ok(self.sorts.in_int_range(x, lo, hi)),
        }
    }

    fn domain_elements(
        &mut self,
        domain: &Domain<'_>,
        elem_ty: &Type,
        loc: Loc,
    ) -> Result<Option<Elements>> {
        match domain {
            Domain::Expr(set) => self.finite_elements(set),
            Domain::Term(array) => self.universe_elements(array, elem_ty, loc),
            Domain::Ints(lo, hi) => Ok(self.int_elements(lo, hi)),
        }
    }

    /// The members of an array-valued set, when its element type has a small universe.
    fn universe_elements(
        &mut self,
        array: &Array,
        elem_ty: &Type,
        loc: Loc,
    ) -> Result<Option<Elements>> {
        let Some(universe) = self.sorts.universe(elem_ty, EXPANSION_LIMIT) else {
            return Ok(None);
        };
        let mut items = Vec::new();
        for element in universe {
            items.push((as_bool(select(array, &element, loc)?, loc)?, element));
        }
        Ok(Some(Elements {
            items,
            distinct: true,
        }))
    }

    // ---- Membership ----------------------------------------------------------------------

    /// `x \in set`.
    pub(super) fn member(&mut self, x: &Dynamic, set: &Expr, pol: Polarity) -> Result<Bool> {
        let loc = set.loc;
        match &*set.kind {
            ExprKind::SetEnum(items) => {
                let mut options = Vec::new();
                for item in items {
                    let item = self.term(item)?;
                    options.push(equal(x, &item, loc)?);
                }
                Ok(any(&options))
            }
            ExprKind::Lit(Value::Set(items)) if items.len() <= EXPANSION_LIMIT => {
                let elem_ty = self.elem_type(set)?;
                let (values, inside) = self.shorter_listing(items, &elem_ty, loc)?;
                let options = values
                    .iter()
                    .map(|value| equal(x, value, loc))
                    .collect::<Result<Vec<_>>>()?;
                Ok(if inside {
                    any(&options)
                } else {
                    any(&options).not()
                })
            }
            ExprKind::InfiniteSet(crate::ir::InfiniteSet::Nat) => {
                let n = self.plain_int(x, loc)?;
                Ok(self.sorts.and_plain(&Type::Int, x, n.ge(Int::from_i64(0))))
            }
            ExprKind::InfiniteSet(_) => {
                let elem_ty = self.elem_type(set)?;
                Ok(self.sorts.is_plain(&elem_ty, x))
            }
            ExprKind::SetFilter(binder, predicate) => {
                let elem_ty = self.elem_type(&binder.set)?;
                let inside = self.member(x, &binder.set, pol)?;
                let mark = self.bind(&binder.pattern, x, &elem_ty, loc)?;
                let holds = self.assuming(&inside, |me| me.formula(predicate, pol));
                self.env.truncate(mark);
                Ok(inside & holds?)
            }
            ExprKind::SetMap(body, binders) => {
                self.quantify(Quantifier::Exists, binders, pol, &mut |me, _| {
                    let image = me.term(body)?;
                    equal(x, &image, loc)
                })
            }
            ExprKind::FnSet(domain, range) => {
                let elem_ty = self.elem_type(set)?;
                let inside = self.member_fn_set(x, set, domain, range, pol)?;
                Ok(self.sorts.and_plain(&elem_ty, x, inside))
            }
            ExprKind::RecordSet(fields) => {
                let ty = self.elem_type(set)?;
                let Type::Record(field_types) = &ty else {
                    return Err(internal(loc, format!("a record set of type {ty}")));
                };
                let mut parts = Vec::new();
                for (name, field_set) in fields {
                    let index = field_types.keys().position(|f| f == name);
                    let index = index
                        .ok_or_else(|| internal(loc, format!("record has no field `{name}`")))?;
                    let field = self
                        .sorts
                        .field(&ty, x, index)
                        .ok_or_else(|| internal(loc, "field"))?;
                    parts.push(self.member(&field, field_set, pol)?);
                }
                // The record has exactly the listed fields.
                for name in self.sorts.optional_fields(&ty).to_vec() {
                    let present = self.sorts.has_field(&ty, x, &name);
                    let present = present.ok_or_else(|| internal(loc, "optional field"))?;
                    let listed = fields.iter().any(|(field, _)| *field == name);
                    parts.push(if listed { present } else { present.not() });
                }
                Ok(self.sorts.and_plain(&ty, x, all(&parts)))
            }
            ExprKind::Times(sets) => {
                let ty = self.elem_type(set)?;
                let mut parts = Vec::new();
                for (i, component) in sets.iter().enumerate() {
                    let item = match &ty {
                        Type::Tuple(_) => self.sorts.field(&ty, x, i),
                        Type::Seq(_) => {
                            let elems = self.field_array(&ty, x, 1, loc)?;
                            Some(elems.select(&Int::from_i64(i as i64 + 1)))
                        }
                        _ => None,
                    };
                    let item =
                        item.ok_or_else(|| internal(loc, format!("a product of type {ty}")))?;
                    parts.push(self.member(&item, component, pol)?);
                }
                if let Type::Seq(_) = &ty {
                    let len = self.sorts.field(&ty, x, 0).and_then(|l| l.as_int());
                    let len = len.ok_or_else(|| internal(loc, "sequence length"))?;
                    parts.push(len.eq(Int::from_i64(sets.len() as i64)));
                }
                Ok(self.sorts.and_plain(&ty, x, all(&parts)))
            }
            ExprKind::Apply(op, args) => match (op, args.as_slice()) {
                (Op::Range, [lo, hi]) => {
                    let (lo, hi) = (self.term_int(lo)?, self.term_int(hi)?);
                    Ok(self.sorts.in_int_range(x, &lo, &hi))
                }
                (Op::Union, _) => {
                    let parts = args
                        .iter()
                        .map(|a| self.member(x, a, pol))
                        .collect::<Result<Vec<_>>>()?;
                    Ok(any(&parts))
                }
                (Op::Intersect, _) => {
                    let parts = args
                        .iter()
                        .map(|a| self.member(x, a, pol))
                        .collect::<Result<Vec<_>>>()?;
                    Ok(all(&parts))
                }
                (Op::SetMinus, [a, b]) => {
                    Ok(self.member(x, a, pol)? & self.member(x, b, pol.flip())?.not())
                }
                (Op::Powerset, [base]) => {
                    let subset = x
                        .as_array()
                        .ok_or_else(|| internal(loc, "SUBSET of a non-set"))?;
                    self.array_subset(subset, base, pol)
                }
                // `x \in UNION {e : y \in S}` is `\E y \in S : x \in e`, so that a union of
                // shapes (`[1..n -> T]`) is a membership in one of them, not a set term.
                (Op::BigUnion, [family]) => match &*family.kind {
                    ExprKind::SetMap(body, binders) => {
                        self.quantify(Quantifier::Exists, binders, pol, &mut |me, pol| {
                            me.member(x, body, pol)
                        })
                    }
                    _ => self.member_big_union(x, family, pol, loc),
                },
                (Op::SeqSet, [base]) => {
                    let ty = self.elem_type(set)?;
                    let len = self.sorts.field(&ty, x, 0).and_then(|l| l.as_int());
                    let len = len.ok_or_else(|| internal(loc, "Seq(S) of a non-sequence"))?;
                    let elems = self.field_array(&ty, x, 1, loc)?;
                    let domain = Domain::Ints(Int::from_i64(1), len);
                    let elements = self.over(
                        Quantifier::Forall,
                        domain,
                        &Type::Int,
                        "i",
                        pol,
                        loc,
                        &mut |me, i, pol| {
                            let i = me.plain_int(i, loc)?;
                            me.member(&elems.select(&i), base, pol)
                        },
                    )?;
                    Ok(self.sorts.and_plain(&ty, x, elements))
                }
                (Op::Domain, [f]) => {
                    let ty = self.ty(f)?;
                    if let Type::Fn(..) | Type::Seq(_) = ty {
                        let f = self.term(f)?;
                        return self.in_domain(&f, &ty, x, loc);
                    }
                    let array = self.set_term(set)?;
                    as_bool(select(&array, x, loc)?, loc)
                }
                _ => {
                    let array = self.set_term(set)?;
                    as_bool(select(&array, x, loc)?, loc)
                }
            },
            _ => {
                let array = self.set_term(set)?;
                as_bool(select(&array, x, loc)?, loc)
            }
        }
    }

    /// `f \in [S -> T]`: `DOMAIN f = S /\ \A x \in S : f[x] \in T`.
    fn member_fn_set(
        &mut self,
        f: &Dynamic,
        set: &Expr,
        domain: &Expr,
        range: &Expr,
        pol: Polarity,
    ) -> Result<Bool> {
        let loc = set.loc;
        let ty = self.elem_type(set)?;
        match &ty {
            Type::Fn(a, _) => {
                let a = (**a).clone();
                let dom = self.field_array(&ty, f, 0, loc)?;
                let map = self.field_array(&ty, f, 1, loc)?;
                let same_domain = self.array_equals_set(&dom, domain, &a)?;
                let values = self.over(
                    Quantifier::Forall,
                    Domain::Expr(domain),
                    &a,
                    "x",
                    pol,
                    loc,
                    &mut |me, x, pol| me.member(&map.select(x), range, pol),
                )?;
                Ok(same_domain & values)
            }
            Type::Seq(_) => {
                // `[1..n -> T]` holds sequences of length n.
                let ExprKind::Apply(Op::Range, bounds) = &*domain.kind else {
                    return Err(unsupported(
                        loc,
                        "a set of sequences over a domain other than `1..n`",
                    ));
                };
                if bounds.len() != 2 || literal_int(&bounds[0]) != Some(1) {
                    return Err(unsupported(
                        loc,
                        "a set of sequences over a domain other than `1..n`",
                    ));
                }
                let n = self.term_int(&bounds[1])?;
                let len = self.sorts.field(&ty, f, 0).and_then(|l| l.as_int());
                let len = len.ok_or_else(|| internal(loc, "sequence length"))?;
                let elems = self.field_array(&ty, f, 1, loc)?;
                let values = self.over(
                    Quantifier::Forall,
                    Domain::Expr(domain),
                    &Type::Int,
                    "i",
                    pol,
                    loc,
                    &mut |me, i, pol| {
                        let i = me.plain_int(i, loc)?;
                        me.member(&elems.select(&i), range, pol)
                    },
                )?;
                let n_or_zero = n.ge(Int::from_i64(0)).ite(&n, &Int::from_i64(0));
                Ok(len.eq(&n_or_zero) & values)
            }
            other => Err(unsupported(
                loc,
                format!("a function set whose elements have type {other}"),
            )),
        }
    }

    /// `x \in UNION family`: `x` is in some member of `family`.
    fn member_big_union(
        &mut self,
        x: &Dynamic,
        family: &Expr,
        pol: Polarity,
        loc: Loc,
    ) -> Result<Bool> {
        let inner_ty = self.elem_type(family)?;
        self.over(
            Quantifier::Exists,
            Domain::Expr(family),
            &inner_ty,
            "s",
            pol,
            loc,
            &mut |_, s, _| {
                let s = s
                    .as_array()
                    .ok_or_else(|| internal(loc, "UNION of a non-set"))?;
                as_bool(select(&s, x, loc)?, loc)
            },
        )
    }

    /// `array = set` for an array-valued set. When the element type has few values this is
    /// a conjunction over them (`array[u] <=> u \in set`): Z3 decides an equality of arrays by
    /// extensionality, which costs far more across many unrolled steps.
    fn array_equals_set(&mut self, array: &Array, set: &Expr, elem_ty: &Type) -> Result<Bool> {
        let loc = set.loc;
        if let Some(universe) = self.sorts.universe(elem_ty, POINTWISE_LIMIT) {
            let mut parts = Vec::new();
            for u in &universe {
                let inside = as_bool(select(array, u, loc)?, loc)?;
                parts.push(inside.iff(self.member(u, set, Polarity::Mixed)?));
            }
            return Ok(all(&parts));
        }
        let set_term = self.set_term(set)?;
        equal(&array.clone().into(), &set_term.into(), loc)
    }

    /// `a \subseteq b`.
    pub(super) fn subset(&mut self, a: &Expr, b: &Expr, pol: Polarity) -> Result<Bool> {
        // `{e : x \in S} \subseteq b` is `\A x \in S : e \in b`. Taken as a set term, the image
        // would be a lambda with an existential inside, which Z3 can only instantiate.
        if let ExprKind::SetMap(image, binders) = &*a.kind {
            return self.quantify(Quantifier::Forall, binders, pol, &mut |me, pol| {
                let x = me.term(image)?;
                me.member(&x, b, pol)
            });
        }
        let elem_ty = self.elem_type(a)?;
        if self.finite_elements(a)?.is_some() || !is_plain_set(b) {
            return self.over(
                Quantifier::Forall,
                Domain::Expr(a),
                &elem_ty,
                "x",
                pol,
                a.loc,
                &mut |me, x, pol| me.member(x, b, pol),
            );
        }
        let (a_set, b_set) = (self.set_term(a)?, self.set_term(b)?);
        let (a_set, b_set) = (to_set(&a_set, a.loc)?, to_set(&b_set, b.loc)?);
        Ok(a_set.set_subset(&b_set))
    }

    /// `array \subseteq set` for an array-valued set: `\A y \in array : y \in set`, which is
    /// a conjunction over a small universe and a Skolem constant in a negative position. In a
    /// positive one, into a plain set, it is Z3's `subset` instead, which its array theory
    /// decides as `array \cap ~set = {}` without a quantifier. (In a negative position the
    /// Skolem constant is cheaper: measured on the failover example.)
    fn array_subset(&mut self, array: Array, set: &Expr, pol: Polarity) -> Result<Bool> {
        let loc = set.loc;
        let elem_ty = self.elem_type(set)?;
        if self.subset_needs_quantifier(&elem_ty, pol) && is_plain_set(set) {
            let set = to_set(&self.set_term(set)?, loc)?;
            return Ok(to_set(&array, loc)?.set_subset(&set));
        }
        self.over(
            Quantifier::Forall,
            Domain::Term(array),
            &elem_ty,
            "s",
            pol,
            loc,
            &mut |me, y, pol| me.member(y, set, pol),
        )
    }

    /// Whether `\A y \in s : ...` over an array-valued set `s` of `elem_ty` becomes a Z3
    /// quantifier at `pol`: neither expanded over a small universe nor Skolemized.
    fn subset_needs_quantifier(&mut self, elem_ty: &Type, pol: Polarity) -> bool {
        pol != Polarity::Neg && self.sorts.universe(elem_ty, EXPAND_AT_MOST).is_none()
    }

    /// `\A x \in s : x \in t` (`t` without `x`) where it would be a Z3 quantifier is
    /// `s \subseteq t`, which `subset` encodes without one where it can. `None` for any other
    /// quantifier.
    pub(super) fn quantified_subset(
        &mut self,
        q: Quantifier,
        binders: &[Binder],
        body: &Expr,
        pol: Polarity,
    ) -> Result<Option<Bool>> {
        let ([binder], Quantifier::Forall) = (binders, q) else {
            return Ok(None);
        };
        let (Pattern::Var(x), ExprKind::Apply(Op::In, args)) = (&binder.pattern, &*body.kind)
        else {
            return Ok(None);
        };
        let [element, superset] = args.as_slice() else {
            return Ok(None);
        };
        let is_x = matches!(&*element.kind, ExprKind::Bound(id) if id == x);
        if !is_x || mentions_any(superset, &[*x]) {
            return Ok(None);
        }
        let elem_ty = self.elem_type(&binder.set)?;
        if !self.subset_needs_quantifier(&elem_ty, pol) {
            return Ok(None);
        }
        self.subset(&binder.set, superset, pol).map(Some)
    }

    // ---- Set terms ---------------------------------------------------------------------------

    /// A set expression as an array `T -> Bool`.
    pub(super) fn set_term(&mut self, set: &Expr) -> Result<Array> {
        let loc = set.loc;
        match &*set.kind {
            ExprKind::SetEnum(items) => {
                let elem_ty = self.elem_type(set)?;
                let mut array =
                    Array::const_array(&self.sorts.sort(&elem_ty), &Bool::from_bool(false));
                for item in items {
                    let item = self.term(item)?;
                    array = array.store(&item, &Bool::from_bool(true));
                }
                Ok(array)
            }
            ExprKind::Apply(op, args) => match (op, args.as_slice()) {
                (Op::Range, [lo, hi]) => match self.finite_elements(set)? {
                    Some(elements) if elements.items.len() <= EXPAND_AT_MOST => {
                        self.stores(set, elements)
                    }
                    _ => {
                        let (lo, hi) = (self.term_int(lo)?, self.term_int(hi)?);
                        Ok(self.sorts.int_range(&lo, &hi))
                    }
                },
                (Op::Union, _) if args.iter().any(is_enumeration) => {
                    // `S \cup {a, b}` as stores into `S`: Z3 reasons about reads of a store
                    // by case split, where a union is a map over the whole array.
                    let (items, others): (Vec<&Expr>, Vec<&Expr>) =
                        args.iter().partition(|a| is_enumeration(a));
                    let mut array = match others.as_slice() {
                        [] => {
                            let elem_ty = self.elem_type(set)?;
                            Array::const_array(&self.sorts.sort(&elem_ty), &Bool::from_bool(false))
                        }
                        [only] => self.set_term(only)?,
                        _ => {
                            let sets = others
                                .iter()
                                .map(|a| to_set(&self.set_term(a)?, loc))
                                .collect::<Result<Vec<_>>>()?;
                            array_of(&Set::set_union(&sets), loc)?
                        }
                    };
                    for item in items.iter().flat_map(|a| a.kind.children()) {
                        array = array.store(&self.term(item)?, &Bool::from_bool(true));
                    }
                    Ok(array)
                }
                (Op::SetMinus, [a, b]) if is_enumeration(b) => {
                    let mut array = self.set_term(a)?;
                    for item in b.kind.children() {
                        array = array.store(&self.term(item)?, &Bool::from_bool(false));
                    }
                    Ok(array)
                }
                (Op::Union | Op::Intersect, _) => {
                    let sets = args
                        .iter()
                        .map(|a| to_set(&self.set_term(a)?, loc))
                        .collect::<Result<Vec<_>>>()?;
                    let combined = if *op == Op::Union {
                        Set::set_union(&sets)
                    } else {
                        Set::intersect(&sets)
                    };
                    array_of(&combined, loc)
                }
                (Op::SetMinus, [a, b]) => {
                    let (a, b) = (
                        to_set(&self.set_term(a)?, loc)?,
                        to_set(&self.set_term(b)?, loc)?,
                    );
                    array_of(&a.difference(&b), loc)
                }
                (Op::Domain, [f]) => self.domain_term(f, loc),
                (Op::Powerset | Op::BigUnion | Op::SeqSet, _) => self.lambda_set(set),
                _ => as_array(self.term(set)?, loc),
            },
            ExprKind::InfiniteSet(_)
            | ExprKind::SetFilter(..)
            | ExprKind::SetMap(..)
            | ExprKind::FnSet(..)
            | ExprKind::RecordSet(_)
            | ExprKind::Times(_) => match self.finite_elements(set)? {
                Some(elements) if elements.items.len() <= 64 => self.stores(set, elements),
                _ => self.lambda_set(set),
            },
            _ => as_array(self.term(set)?, loc),
        }
    }

    /// A set from its candidate elements: `store`s for unconditional ones, `ite`s otherwise.
    fn stores(&mut self, set: &Expr, elements: Elements) -> Result<Array> {
        let elem_ty = self.elem_type(set)?;
        let mut array = Array::const_array(&self.sorts.sort(&elem_ty), &Bool::from_bool(false));
        for (guard, element) in elements.items {
            let old = as_bool(array.select(&element), set.loc)?;
            let member = if guard.as_bool() == Some(true) {
                Bool::from_bool(true)
            } else {
                guard | old
            };
            array = array.store(&element, &member);
        }
        Ok(array)
    }

    /// `\lambda x. x \in set`.
    fn lambda_set(&mut self, set: &Expr) -> Result<Array> {
        let elem_ty = self.elem_type(set)?;
        let sort = self.sorts.sort(&elem_ty);
        let x = self.fresh_const("x", &sort);
        let body = self.under_binder(&x, |me| me.member(&x, set, Polarity::Mixed))?;
        Ok(z3::ast::lambda_const(&[&x], &body.into()))
    }

    /// A literal set as an array: the stores of its members into the empty set, or, when the
    /// element type has fewer values outside the set than inside (`Server` of a hundred model
    /// values, beside `Nil`), the stores of the others into the full set. Both are exact; the
    /// shorter is a smaller term in every formula that reads the set.
    pub(super) fn literal_set(
        &mut self,
        items: &BTreeSet<Value>,
        elem_ty: &Type,
        loc: Loc,
    ) -> Result<Array> {
        let (values, inside) = self.shorter_listing(items, elem_ty, loc)?;
        let sort = self.sorts.sort(elem_ty);
        let mut array = Array::const_array(&sort, &Bool::from_bool(!inside));
        for value in &values {
            array = array.store(value, &Bool::from_bool(inside));
        }
        Ok(array)
    }

    /// The map array of a function value: the stores of its items over a constant array.
    /// The constant is the range's default value (which the array must hold outside the
    /// domain), or, when fewer stores are needed that way, the item most keys map to, with
    /// the values of the domain sort outside the domain stored back to the default. The
    /// initial states of a hundred sagas, all `[i \in Step |-> "none"]`, are then one
    /// constant array, where a hundred stores over the default made Z3 split cases on every
    /// read (Saga_100 did not finish its first depth in minutes).
    pub(super) fn literal_map(
        &mut self,
        map: &BTreeMap<Value, Value>,
        domain_ty: &Type,
        range_ty: &Type,
        loc: Loc,
    ) -> Result<Array> {
        let default = self.sorts.default_value(range_ty);
        let mut entries = Vec::with_capacity(map.len());
        for (key, item) in map {
            let key = self.value_term(key, domain_ty, loc)?;
            entries.push((key, self.value_term(item, range_ty, loc)?));
        }
        let keys: Vec<Dynamic> = entries.iter().map(|(key, _)| key.clone()).collect();
        let mut base = default.clone();
        let mut outside_back = Vec::new();
        if let (Some(item), Some(outside)) = (
            commonest_item(&entries),
            self.smaller_complement(&keys, domain_ty),
        ) {
            if stores_over(&entries, &item) + outside.len() < stores_over(&entries, &default) {
                base = item;
                outside_back = outside
                    .into_iter()
                    .map(|key| (key, default.clone()))
                    .collect();
            }
        }
        let mut array = Array::const_array(&self.sorts.sort(domain_ty), &base);
        for (key, item) in entries.into_iter().chain(outside_back) {
            if item != base {
                array = array.store(&key, &item);
            }
        }
        Ok(array)
    }

    /// The shorter list that determines a literal set: its members (`true`), or the values of
    /// its element type outside it (`false`).
    fn shorter_listing(
        &mut self,
        items: &BTreeSet<Value>,
        elem_ty: &Type,
        loc: Loc,
    ) -> Result<(Vec<Dynamic>, bool)> {
        let members = items
            .iter()
            .map(|item| self.value_term(item, elem_ty, loc))
            .collect::<Result<Vec<_>>>()?;
        Ok(match self.smaller_complement(&members, elem_ty) {
            Some(others) => (others, false),
            None => (members, true),
        })
    }

    /// The values of `elem_ty` that are not among the distinct `members`, when there are more
    /// members than a quantifier expands over, and the type has a known, finite set of values
    /// of which fewer lie outside than inside. (A small set stays listed as written.)
    fn smaller_complement(&mut self, members: &[Dynamic], elem_ty: &Type) -> Option<Vec<Dynamic>> {
        if members.len() <= EXPAND_AT_MOST {
            return None;
        }
        let universe = self.sorts.universe(elem_ty, EXPANSION_LIMIT)?;
        let outside = universe.len().checked_sub(members.len())?;
        if outside >= members.len() {
            return None;
        }
        let members: HashSet<&Dynamic> = members.iter().collect();
        let others: Vec<Dynamic> = universe
            .into_iter()
            .filter(|value| !members.contains(value))
            .collect();
        // Members outside the universe would make the complement wrong: use the members.
        (others.len() == outside).then_some(others)
    }

    /// `DOMAIN f`.
    fn domain_term(&mut self, f: &Expr, loc: Loc) -> Result<Array> {
        let ty = self.ty(f)?;
        let term = self.term(f)?;
        match &ty {
            Type::Fn(..) => self.field_array(&ty, &term, 0, loc),
            Type::Seq(_) => {
                let len = self.sorts.field(&ty, &term, 0).and_then(|l| l.as_int());
                let len = len.ok_or_else(|| internal(loc, "sequence length"))?;
                Ok(self.sorts.int_range(&Int::from_i64(1), &len))
            }
            Type::Tuple(items) => {
                let sort = self.sorts.sort(&Type::Int);
                let mut array = Array::const_array(&sort, &Bool::from_bool(false));
                for k in 1..=items.len() {
                    let k = self.sorts.int(&Int::from_i64(k as i64));
                    array = array.store(&k, &Bool::from_bool(true));
                }
                Ok(array)
            }
            Type::Record(fields) => {
                let sort = self.sorts.sort(&Type::Str);
                let mut array = Array::const_array(&sort, &Bool::from_bool(false));
                for name in fields.keys() {
                    let key = self.string(name, loc)?;
                    let present = self.sorts.has_field(&ty, &term, name);
                    let present = present.ok_or_else(|| internal(loc, "record field"))?;
                    array = array.store(&key, &present);
                }
                Ok(array)
            }
            other => Err(internal(loc, format!("DOMAIN of a value of type {other}"))),
        }
    }

    // ---- Finite element lists ----------------------------------------------------------------

    /// The candidate elements of a set with a finite structure known at encoding time.
    pub(super) fn finite_elements(&mut self, set: &Expr) -> Result<Option<Elements>> {
        let loc = set.loc;
        match &*set.kind {
            ExprKind::SetEnum(items) => {
                let literal: Option<Vec<&Value>> = items
                    .iter()
                    .map(|i| match &*i.kind {
                        ExprKind::Lit(v) => Some(v),
                        _ => None,
                    })
                    .collect();
                let distinct = literal.is_some_and(|values| {
                    let unique: std::collections::BTreeSet<&Value> =
                        values.iter().copied().collect();
                    unique.len() == values.len()
                });
                let mut out = Vec::new();
                for item in items {
                    out.push((Bool::from_bool(true), self.term(item)?));
                }
                Ok(Some(Elements {
                    items: out,
                    distinct,
                }))
            }
            ExprKind::Lit(Value::Set(items)) if items.len() <= EXPANSION_LIMIT => {
                let elem_ty = self.elem_type(set)?;
                let mut out = Vec::new();
                for item in items {
                    out.push((Bool::from_bool(true), self.value_term(item, &elem_ty, loc)?));
                }
                Ok(Some(Elements {
                    items: out,
                    distinct: true,
                }))
            }
            ExprKind::Apply(Op::Range, args) if args.len() == 2 => {
                let (lo, hi) = (self.term_int(&args[0])?, self.term_int(&args[1])?);
                Ok(self.int_elements(&lo, &hi))
            }
            ExprKind::SetFilter(binder, predicate) => {
                let Some(inner) = self.finite_elements(&binder.set)? else {
                    return Ok(None);
                };
                let elem_ty = self.elem_type(&binder.set)?;
                let mut out = Vec::new();
                for (guard, element) in inner.items {
                    let mark = self.bind(&binder.pattern, &element, &elem_ty, loc)?;
                    let holds = self.formula(predicate, Polarity::Mixed);
                    self.env.truncate(mark);
                    out.push((guard & holds?, element));
                }
                Ok(Some(Elements {
                    items: out,
                    distinct: inner.distinct,
                }))
            }
            ExprKind::SetMap(body, binders) => {
                let mut out = Vec::new();
                let finite =
                    self.expand_bindings(binders, Bool::from_bool(true), &mut |me, guard| {
                        out.push((guard.clone(), me.term(body)?));
                        Ok(())
                    })?;
                Ok(finite.then_some(Elements {
                    items: out,
                    distinct: false,
                }))
            }
            ExprKind::Times(sets) => {
                let ty = self.elem_type(set)?;
                if !matches!(ty, Type::Tuple(_)) {
                    return Ok(None);
                }
                self.product(&ty, sets, None, loc)
            }
            ExprKind::RecordSet(fields) => {
                let ty = self.elem_type(set)?;
                let mut sorted: Vec<&(String, Expr)> = fields.iter().collect();
                sorted.sort_by(|a, b| a.0.cmp(&b.0));
                let names: Vec<&str> = sorted.iter().map(|(name, _)| name.as_str()).collect();
                let sets: Vec<Expr> = sorted.iter().map(|(_, s)| s.clone()).collect();
                self.product(&ty, &sets, Some(&names), loc)
            }
            ExprKind::Apply(Op::Union, args) => {
                let mut out = Vec::new();
                for arg in args {
                    let Some(part) = self.finite_elements(arg)? else {
                        return Ok(None);
                    };
                    out.extend(part.items);
                }
                Ok(Some(Elements {
                    items: out,
                    distinct: false,
                }))
            }
            ExprKind::Apply(op @ (Op::Intersect | Op::SetMinus), args) if args.len() == 2 => {
                let Some(left) = self.finite_elements(&args[0])? else {
                    return self.type_universe_elements(set);
                };
                let mut out = Vec::new();
                for (guard, element) in left.items {
                    let inside = self.member(&element, &args[1], Polarity::Mixed)?;
                    let keep = if *op == Op::Intersect {
                        inside
                    } else {
                        inside.not()
                    };
                    out.push((guard & keep, element));
                }
                Ok(Some(Elements {
                    items: out,
                    distinct: left.distinct,
                }))
            }
            ExprKind::Apply(Op::Powerset, args) if args.len() == 1 => {
                let Some(base) = self.finite_elements(&args[0])? else {
                    return Ok(None);
                };
                if !base.unguarded() || !base.distinct || base.items.len() > 12 {
                    return Ok(None);
                }
                let elem_ty = self.elem_type(&args[0])?;
                let empty = Array::const_array(&self.sorts.sort(&elem_ty), &Bool::from_bool(false));
                let mut out = Vec::new();
                for mask in 0..1usize << base.items.len() {
                    let mut subset = empty.clone();
                    for (i, (_, element)) in base.items.iter().enumerate() {
                        if mask & (1 << i) != 0 {
                            subset = subset.store(element, &Bool::from_bool(true));
                        }
                    }
                    out.push((Bool::from_bool(true), subset.into()));
                }
                Ok(Some(Elements {
                    items: out,
                    distinct: true,
                }))
            }
            ExprKind::Apply(Op::Domain, args) if args.len() == 1 => {
                let ty = self.ty(&args[0])?;
                match &ty {
                    Type::Tuple(items) => Ok(
                        self.int_elements(&Int::from_i64(1), &Int::from_i64(items.len() as i64))
                    ),
                    _ => self.type_universe_elements(set),
                }
            }
            ExprKind::InfiniteSet(_) | ExprKind::FnSet(..) => Ok(None),
            _ => self.type_universe_elements(set),
        }
    }

    /// The members of any set whose element type has a small universe.
    fn type_universe_elements(&mut self, set: &Expr) -> Result<Option<Elements>> {
        let elem_ty = self.elem_type(set)?;
        if self.sorts.universe(&elem_ty, EXPANSION_LIMIT).is_none() {
            return Ok(None);
        }
        let array = self.set_term(set)?;
        self.universe_elements(&array, &elem_ty, set.loc)
    }

    /// The elements of a product of finite sets: tuples, or records with the fields `names`
    /// (which a record type with optional fields may have more of).
    fn product(
        &mut self,
        ty: &Type,
        sets: &[Expr],
        names: Option<&[&str]>,
        loc: Loc,
    ) -> Result<Option<Elements>> {
        let mut combos: Vec<(Bool, Vec<Dynamic>)> = vec![(Bool::from_bool(true), Vec::new())];
        let mut distinct = true;
        for component in sets {
            let Some(elements) = self.finite_elements(component)? else {
                return Ok(None);
            };
            if combos.len().saturating_mul(elements.items.len()) > EXPANSION_LIMIT {
                return Ok(None);
            }
            distinct &= elements.distinct;
            let mut next = Vec::new();
            for (guard, prefix) in &combos {
                for (g, element) in &elements.items {
                    let mut items = prefix.clone();
                    items.push(element.clone());
                    next.push((guard.clone() & g.clone(), items));
                }
            }
            combos = next;
        }
        let mut items = Vec::new();
        for (guard, fields) in combos {
            let element = match names {
                None => self.sorts.construct(ty, &fields),
                Some(names) => {
                    let given = names.iter().copied().zip(fields).collect();
                    let record = self.sorts.record(ty, &given);
                    record.ok_or_else(|| internal(loc, format!("a record set of type {ty}")))?
                }
            };
            items.push((guard, element));
        }
        Ok(Some(Elements { items, distinct }))
    }

    /// Calls `each` once per combination of elements of the binders' finite sets, with the
    /// binders bound and the combined guard; `false` when some set is not finite.
    pub(super) fn expand_bindings(
        &mut self,
        binders: &[Binder],
        guard: Bool,
        each: &mut dyn FnMut(&mut Self, &Bool) -> Result<()>,
    ) -> Result<bool> {
        let Some((first, rest)) = binders.split_first() else {
            each(self, &guard)?;
            return Ok(true);
        };
        let Some(elements) = self.finite_elements(&first.set)? else {
            return Ok(false);
        };
        let elem_ty = self.elem_type(&first.set)?;
        for (g, element) in elements.items {
            let mark = self.bind(&first.pattern, &element, &elem_ty, first.set.loc)?;
            let finite = self.expand_bindings(rest, guard.clone() & g, each);
            self.env.truncate(mark);
            if !finite? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// `lo..hi` as a list, when both bounds are numerals and the range is small.
    fn int_elements(&mut self, lo: &Int, hi: &Int) -> Option<Elements> {
        let (lo, hi) = (lo.simplify().as_i64()?, hi.simplify().as_i64()?);
        let size = hi.checked_sub(lo)?.checked_add(1)?.max(0);
        if size > EXPANSION_LIMIT as i64 {
            return None;
        }
        let items = (lo..=hi)
            .map(|n| (Bool::from_bool(true), self.sorts.int(&Int::from_i64(n))))
            .collect();
        Some(Elements {
            items,
            distinct: true,
        })
    }
}

/// `lo..hi` as an array, `\lambda i. lo <= i /\ i <= hi`, for a range too large for `store`s.
/// Every such range (a set, a function's domain, a constant function's domain) is this one
/// term, which Z3 shares, so that `DOMAIN f = lo..hi` needs no reasoning by extensionality.
pub(super) fn range_set(lo: &Int, hi: &Int) -> Array {
    let i = Int::new_const("i!range");
    z3::ast::lambda_const(&[&i], &Dynamic::from(i.ge(lo) & i.le(hi)))
}

/// Whether a set expression is an ordinary value (becomes an array without a lambda).
/// Whether `set` is written as `{a, b, ...}`.
fn is_enumeration(set: &Expr) -> bool {
    matches!(&*set.kind, ExprKind::SetEnum(_))
}

fn is_plain_set(set: &Expr) -> bool {
    !matches!(
        &*set.kind,
        ExprKind::InfiniteSet(_)
            | ExprKind::FnSet(..)
            | ExprKind::RecordSet(_)
            | ExprKind::Times(_)
            | ExprKind::SetMap(..)
            | ExprKind::Apply(Op::Powerset | Op::SeqSet | Op::BigUnion, _)
    )
}

pub(super) fn as_bool(term: Dynamic, loc: Loc) -> Result<Bool> {
    term.as_bool().ok_or_else(|| {
        internal(
            loc,
            format!("expected a boolean, found sort {}", term.get_sort()),
        )
    })
}

fn as_array(term: Dynamic, loc: Loc) -> Result<Array> {
    term.as_array().ok_or_else(|| {
        internal(
            loc,
            format!("expected a set, found sort {}", term.get_sort()),
        )
    })
}

fn to_set(array: &Array, loc: Loc) -> Result<Set> {
    Dynamic::from_ast(array)
        .as_set()
        .ok_or_else(|| internal(loc, "expected a set"))
}

fn array_of(set: &Set, loc: Loc) -> Result<Array> {
    Dynamic::from_ast(set)
        .as_array()
        .ok_or_else(|| internal(loc, "expected a set"))
}

/// The item most entries map to (the first of them, on a tie, so the encoding is the same
/// from run to run).
fn commonest_item(entries: &[(Dynamic, Dynamic)]) -> Option<Dynamic> {
    let mut counts: HashMap<&Dynamic, usize> = HashMap::new();
    for (_, item) in entries {
        *counts.entry(item).or_default() += 1;
    }
    let most = counts.values().copied().max()?;
    entries
        .iter()
        .map(|(_, item)| item)
        .find(|item| counts.get(item) == Some(&most))
        .cloned()
}

/// How many stores over a constant array of `base` hold `entries`.
fn stores_over(entries: &[(Dynamic, Dynamic)], base: &Dynamic) -> usize {
    entries.iter().filter(|(_, item)| item != base).count()
}
