//! The built-in operators (`Op`): logic, integers, sets, functions and sequences.

use super::encode::{equal, ite, literal_int, Encoder, Polarity, Result};
use super::{internal, unsupported};
use crate::ir::{Expr, Loc, Op};
use crate::types::Type;
use z3::ast::{Array, Ast, Bool, Dynamic, Int};
use z3::Sort;

impl Encoder<'_> {
    pub(super) fn apply(&mut self, op: Op, args: &[Expr], expr: &Expr) -> Result<Dynamic> {
        let loc = expr.loc;
        match (op, args) {
            (
                Op::And
                | Op::Or
                | Op::Not
                | Op::Implies
                | Op::Equiv
                | Op::In
                | Op::NotIn
                | Op::Subseteq,
                _,
            ) => Ok(self.formula(expr, Polarity::Mixed)?.into()),
            (Op::Eq, [a, b]) => {
                let (a, b) = (self.term(a)?, self.term(b)?);
                Ok(equal(&a, &b, loc)?.into())
            }
            (Op::Ne, [a, b]) => {
                let (a, b) = (self.term(a)?, self.term(b)?);
                Ok(equal(&a, &b, loc)?.not().into())
            }
            (Op::Neg, [a]) => {
                let negated = self.term_int(a)?.unary_minus();
                Ok(self.sorts.int(&negated))
            }
            (Op::Add | Op::Sub | Op::Mul, _) if !args.is_empty() => {
                let terms = args
                    .iter()
                    .map(|a| self.term_int(a))
                    .collect::<Result<Vec<_>>>()?;
                let result = match op {
                    Op::Add => Int::add(&terms),
                    Op::Sub => Int::sub(&terms),
                    _ => Int::mul(&terms),
                };
                Ok(self.sorts.int(&result))
            }
            (Op::Div | Op::Mod, [a, b]) => {
                if literal_int(b).is_some_and(|d| d <= 0) {
                    return Err(unsupported(
                        b.loc,
                        "`\\div` or `%` by a divisor that is not positive",
                    ));
                }
                let literal = literal_int(b).is_some();
                let (a, b) = (self.term_int(a)?, self.term_int(b)?);
                let zero = Int::from_i64(0);
                let result = if op == Op::Div {
                    // TLC stops on a zero divisor and rounds down for the others; Z3's `div`
                    // rounds down only for positive ones, and a/b = (-a)/(-b).
                    self.require(b.eq(&zero).not());
                    if literal {
                        a.div(&b)
                    } else {
                        let flipped = a.unary_minus().div(b.unary_minus());
                        b.gt(&zero).ite(&a.div(&b), &flipped)
                    }
                } else {
                    // TLC requires a positive divisor of `%`.
                    self.require(b.gt(&zero));
                    a.modulo(&b)
                };
                Ok(self.sorts.int(&result))
            }
            (Op::Pow, [base, exponent]) => self.power(base, exponent, loc),
            (Op::Lt | Op::Le | Op::Gt | Op::Ge, [a, b]) => {
                let (a, b) = (self.term_int(a)?, self.term_int(b)?);
                Ok(match op {
                    Op::Lt => a.lt(&b),
                    Op::Le => a.le(&b),
                    Op::Gt => a.gt(&b),
                    _ => a.ge(&b),
                }
                .into())
            }
            (
                Op::Range
                | Op::Union
                | Op::Intersect
                | Op::SetMinus
                | Op::Powerset
                | Op::BigUnion
                | Op::SeqSet,
                _,
            )
            | (Op::Domain, _) => Ok(self.set_term(expr)?.into()),
            (Op::Cardinality, [set]) => {
                let size = self.cardinality(set, loc)?;
                Ok(self.sorts.int(&size))
            }
            (Op::IsFiniteSet, [set]) => Ok(self.is_finite_set(set, loc)?.into()),
            (Op::SingletonFn, [key, value]) => {
                let ty = self.ty(expr)?;
                let Type::Fn(a, b) = &ty else {
                    return Err(unsupported(
                        loc,
                        format!("`:>` building a value of type {ty}"),
                    ));
                };
                let (key, value) = (self.term(key)?, self.term(value)?);
                let dom = Array::const_array(&self.sorts.sort(a), &Bool::from_bool(false));
                let map = Array::const_array(&self.sorts.sort(a), &self.sorts.default_value(b));
                let dom = dom.store(&key, &Bool::from_bool(true));
                let map = map.store(&key, &value);
                Ok(self.sorts.construct(&ty, &[dom.into(), map.into()]))
            }
            (Op::FnMerge, [f, g]) => self.merge(expr, f, g),
            (Op::Len, [s]) => {
                let (ty, s) = self.sequence(s)?;
                let len = self
                    .sorts
                    .field(&ty, &s, 0)
                    .ok_or_else(|| internal(loc, "sequence length"))?;
                Ok(self.sorts.wrap(&Type::Int, &len))
            }
            (Op::Head, [s]) => {
                let (ty, s) = self.sequence(s)?;
                self.require_non_empty(&ty, &s, loc)?;
                let elems = self.field_array(&ty, &s, 1, loc)?;
                Ok(elems.select(&Int::from_i64(1)))
            }
            (Op::Append, [s, item]) => {
                let (ty, s) = self.sequence(s)?;
                let item = self.term(item)?;
                let (len, elems) = self.seq_parts(&ty, &s, loc)?;
                let new_len = len + Int::from_i64(1);
                let elems = elems.store(&new_len, &item);
                Ok(self.sorts.construct(&ty, &[new_len.into(), elems.into()]))
            }
            (Op::Tail, [s]) => {
                let (ty, s) = self.sequence(s)?;
                self.require_non_empty(&ty, &s, loc)?;
                let (len, elems) = self.seq_parts(&ty, &s, loc)?;
                let new_len = len
                    .gt(Int::from_i64(0))
                    .ite(&(len.clone() - Int::from_i64(1)), &Int::from_i64(0));
                self.seq_from(&ty, new_len, loc, &mut |i| {
                    Ok(elems.select(&(i.clone() + Int::from_i64(1))))
                })
            }
            (Op::Concat, [s, t]) => {
                let (ty, s) = self.sequence(s)?;
                let (t_ty, t) = self.sequence(t)?;
                if t_ty != ty {
                    return Err(internal(loc, format!("concatenating {ty} and {t_ty}")));
                }
                let (s_len, s_elems) = self.seq_parts(&ty, &s, loc)?;
                let (t_len, t_elems) = self.seq_parts(&ty, &t, loc)?;
                let new_len = s_len.clone() + t_len;
                self.seq_from(&ty, new_len, loc, &mut |i| {
                    let from_t = t_elems.select(&(i.clone() - s_len.clone()));
                    ite(&i.le(&s_len), &s_elems.select(i), &from_t, loc)
                })
            }
            (Op::SubSeq, [s, m, n]) => {
                let (ty, s) = self.sequence(s)?;
                let (m, n) = (self.term_int(m)?, self.term_int(n)?);
                let (len, elems) = self.seq_parts(&ty, &s, loc)?;
                // TLC requires `m..n` to lie in `1..Len(s)` unless it is empty.
                let inside = m.ge(Int::from_i64(1)) & n.le(&len);
                self.require(n.lt(&m) | inside);
                let size = n.clone() - m.clone() + Int::from_i64(1);
                let new_len = n.ge(&m).ite(&size, &Int::from_i64(0));
                let offset = m - Int::from_i64(1);
                self.seq_from(&ty, new_len, loc, &mut |i| {
                    Ok(elems.select(&(i.clone() + offset.clone())))
                })
            }
            _ => Err(internal(
                loc,
                format!("`{op:?}` applied to {} arguments", args.len()),
            )),
        }
    }

    /// `base^exponent` for a constant exponent (Z3's power is real-valued).
    fn power(&mut self, base: &Expr, exponent: &Expr, loc: Loc) -> Result<Dynamic> {
        let base = self.term_int(base)?;
        let exponent = self.term_int(exponent)?.simplify().as_i64();
        match exponent {
            Some(e) if (0..=64).contains(&e) => {
                let factors = vec![base; e as usize];
                if factors.is_empty() {
                    return Ok(self.sorts.int(&Int::from_i64(1)));
                }
                Ok(self.sorts.int(&Int::mul(&factors)))
            }
            _ => Err(unsupported(
                loc,
                "`^` with an exponent that is not a constant between 0 and 64",
            )),
        }
    }

    /// `f @@ g`: `f` where defined, `g` elsewhere.
    fn merge(&mut self, expr: &Expr, f: &Expr, g: &Expr) -> Result<Dynamic> {
        let loc = expr.loc;
        let ty = self.ty(expr)?;
        let Type::Fn(a, _) = &ty else {
            return Err(unsupported(
                loc,
                format!("`@@` building a value of type {ty}"),
            ));
        };
        let (f, g) = (self.term(f)?, self.term(g)?);
        let (f_dom, f_map) = (
            self.field_array(&ty, &f, 0, loc)?,
            self.field_array(&ty, &f, 1, loc)?,
        );
        let (g_dom, g_map) = (
            self.field_array(&ty, &g, 0, loc)?,
            self.field_array(&ty, &g, 1, loc)?,
        );
        let sort = self.sorts.sort(a);
        let x = self.fresh_const("x", &sort);
        let in_f = f_dom
            .select(&x)
            .as_bool()
            .ok_or_else(|| internal(loc, "domain"))?;
        let in_g = g_dom
            .select(&x)
            .as_bool()
            .ok_or_else(|| internal(loc, "domain"))?;
        // Outside both domains `g`'s map already holds the default: the result stays normalised.
        let map = ite(&in_f, &f_map.select(&x), &g_map.select(&x), loc)?;
        let dom = z3::ast::lambda_const(&[&x], &Dynamic::from(in_f | in_g));
        let map = z3::ast::lambda_const(&[&x], &map);
        Ok(self.sorts.construct(&ty, &[dom.into(), map.into()]))
    }

    /// A sequence-typed argument with its type.
    fn sequence(&mut self, expr: &Expr) -> Result<(Type, Dynamic)> {
        let ty = self.ty(expr)?;
        if !matches!(ty, Type::Seq(_)) {
            return Err(unsupported(
                expr.loc,
                format!("a sequence operator applied to a value of type {ty}"),
            ));
        }
        Ok((ty, self.term(expr)?))
    }

    /// Records that `Head` and `Tail` stop with an error on the empty sequence.
    fn require_non_empty(&mut self, ty: &Type, s: &Dynamic, loc: Loc) -> Result<()> {
        let (len, _) = self.seq_parts(ty, s, loc)?;
        self.require(len.gt(Int::from_i64(0)));
        Ok(())
    }

    fn seq_parts(&mut self, ty: &Type, s: &Dynamic, loc: Loc) -> Result<(Int, Array)> {
        let len = self
            .sorts
            .field(ty, s, 0)
            .and_then(|l| l.as_int())
            .ok_or_else(|| internal(loc, "length"))?;
        Ok((len, self.field_array(ty, s, 1, loc)?))
    }

    /// The sequence of length `len` whose `i`th element is `element(i)` (normalised).
    fn seq_from(
        &mut self,
        ty: &Type,
        len: Int,
        loc: Loc,
        element: &mut dyn FnMut(&Int) -> Result<Dynamic>,
    ) -> Result<Dynamic> {
        let Type::Seq(elem_ty) = ty else {
            return Err(internal(loc, "not a sequence"));
        };
        let default = self.sorts.default_value(elem_ty);
        let i = self.fresh_const("i", &Sort::int());
        let i_int = i.as_int().ok_or_else(|| internal(loc, "index"))?;
        let inside = i_int.ge(Int::from_i64(1)) & i_int.le(&len);
        let body = ite(&inside, &element(&i_int)?, &default, loc)?;
        let elems = z3::ast::lambda_const(&[&i], &body);
        Ok(self.sorts.construct(ty, &[len.into(), elems.into()]))
    }
}
