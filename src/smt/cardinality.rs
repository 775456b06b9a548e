//! `Cardinality` and `IsFiniteSet`.
//!
//! Which encoding a set gets depends on what is known when encoding:
//! * **Known candidates** (`finite_elements`: literal sets, small ranges, filters and maps of
//!   those, sets over a small universe such as a config's set of model values): the exact
//!   count, a sum of `ite(member, 1, 0)` (with earlier equal candidates discounted).
//! * **A set of a finite type** otherwise — elements that are model values, booleans, or
//!   tuples, records, sets and functions of those; a set `Node` of model values of unknown
//!   size is one. A constant TLC could check holds a finite set of model values, so the open
//!   model-value sort (see `sorts`) is read as finite, of unknown size, and every set of such a
//!   type is finite. `Cardinality(S)` is then `card(S)`, an uninterpreted function of the
//!   set's array, with axioms that hold for every finite set (below). The encoding is then
//!   incomplete: a proof from the axioms is sound, but a model of them may give `card` values
//!   no finite set has. Such an encoding asserts the marker `card!approximate`, so the engine can
//!   tell (`approximates_cardinality`) that a counterexample it fails to certify is no bug.
//! * **A range** `lo..hi` with symbolic bounds: `max(hi - lo + 1, 0)`.
//! * **A set of the spec's values** otherwise (a variable's set of integers, or of tuples of
//!   integers and strings; a filter of a range whose bound is a variable): members are counted
//!   over the values of the element type built from the integers, strings and model values
//!   the spec mentions (`literals::mentioned_in`; at most `SPEC_VALUES_LIMIT` of them), which
//!   is exact when the set lies within them, as the sets specs count almost always do. Beyond
//!   them the size is an uninterpreted function of the set, which every finite set's size is
//!   one interpretation of, so no verdict of "no violation" or "proved" rests on a size no set
//!   has; the encoding is marked approximate, and a counterexample the evaluator does not
//!   replay is unknown (`engine::bmc`, `engine::prove`). `IsFiniteSet` alike.
//!
//! Anything else (a set of functions or sequences, say) is unsupported.
//!
//! Measured on `examples/leader_election` with a fixed `Node` of 10 (`scripts`-style, whole
//! process): defining `card(S) = count` for known candidates as well, so that the axioms
//! apply to them, made consecution slower (over 30 s per action, against 10 to 120 s for the
//! sums alone), so known candidates are only counted.
//!
//! The axioms, for arrays `A`, `B` of one sort, instantiated by E-matching on the `card` terms
//! that occur (the multi-pattern `card(A), card(B)`), so that sets under quantifiers of
//! hypotheses (`\A e \in elected : IsQuorum(VotesFor(e))`) get them once Z3 instantiates:
//! * `card(A) >= 0`, and `card(A) = 0` exactly when `A` is empty;
//! * `A \subseteq B => card(A) <= card(B)`;
//! * for each set `U` whose `Cardinality` the spec takes and that depends on no variable
//!   (`Node`): `A, B \subseteq U /\ card(A) + card(B) > card(U) => A \cap B /= {}`, with the
//!   common element a Skolem function `meet(A, B)`: the quorum intersection.

use super::encode::{all, any, equal, select, Encoder, Result};
use super::sets::{as_bool, Elements};
use super::unsupported;
use crate::ir::{Expr, ExprKind, Loc, Op};
use crate::types::Type;
use z3::ast::{Array, Ast, Bool, Dynamic, Int};
use z3::{FuncDecl, Pattern, Solver, Sort};

/// The marker asserted with every `card` term that has no exact definition.
const APPROXIMATE: &str = "card!approximate";

/// The most values of the spec that `within_spec_values` lists for one set.
const SPEC_VALUES_LIMIT: usize = 1024;

/// A set, its members among the spec's values, and whether it lies within them.
struct WithinSpecValues {
    array: Array,
    elements: Elements,
    holds: Bool,
}

impl Encoder<'_> {
    /// `Cardinality(set)`.
    pub(super) fn cardinality(&mut self, set: &Expr, loc: Loc) -> Result<Int> {
        let finite_type = every_set_finite(&self.elem_type(set)?);
        match self.finite_elements(set)? {
            Some(elements) => count(&elements, loc),
            None if finite_type => self.card_term(set),
            None => match &*set.kind {
                ExprKind::Apply(Op::Range, args) if args.len() == 2 => {
                    let (lo, hi) = (self.term_int(&args[0])?, self.term_int(&args[1])?);
                    let size = Int::sub(&[&hi, &lo]) + Int::from_i64(1);
                    Ok(hi.ge(&lo).ite(&size, &Int::from_i64(0)))
                }
                _ => self.count_within_spec_values(set, loc),
            },
        }
    }

    /// `IsFiniteSet(set)`: true for every set with known candidates or of a finite type, and
    /// for a range; otherwise true when the set lies within the spec's values (see
    /// `within_spec_values`), and beyond them an unknown truth value, the same for the same set.
    pub(super) fn is_finite_set(&mut self, set: &Expr, loc: Loc) -> Result<Bool> {
        if every_set_finite(&self.elem_type(set)?)
            || matches!(&*set.kind, ExprKind::Apply(Op::Range, _))
            || self.finite_elements(set)?.is_some()
        {
            return Ok(Bool::from_bool(true));
        }
        let within = self.within_spec_values(set, "IsFiniteSet", loc)?;
        let beyond = self.beyond_spec_values("finite", &within.array, &Sort::bool());
        let beyond = beyond
            .as_bool()
            .ok_or_else(|| super::internal(loc, "a finiteness that is no boolean"))?;
        Ok(within.holds | beyond)
    }

    /// `Cardinality(set)` of a set without known candidates, counted over the spec's values of
    /// its element type: exact when the set lies within them, and beyond them an unknown size,
    /// the same for the same set.
    fn count_within_spec_values(&mut self, set: &Expr, loc: Loc) -> Result<Int> {
        let within = self.within_spec_values(set, "Cardinality", loc)?;
        let exact = count(&within.elements, loc)?;
        let beyond = self.beyond_spec_values("card", &within.array, &Sort::int());
        let beyond = beyond
            .as_int()
            .ok_or_else(|| super::internal(loc, "a cardinality that is no integer"))?;
        Ok(within.holds.ite(&exact, &beyond))
    }

    /// `set` as an array, its members among the spec's values of its element type (those
    /// whose integers, strings and model values the spec mentions: `1..N` folds to a literal
    /// set, so the processes of a message are among them), and whether it lies within those.
    /// The sets a spec counts are almost always built from its own values; where one is not,
    /// its size is unknown to the solver (`beyond_spec_values`), so a verdict of no violation
    /// still holds, and a counterexample that rests on it fails the evaluator's replay.
    fn within_spec_values(&mut self, set: &Expr, op: &str, loc: Loc) -> Result<WithinSpecValues> {
        let elem_ty = self.elem_type(set)?;
        let mentioned = self
            .mentioned
            .get_or_init(|| super::literals::mentioned_in(self.spec));
        let Some(values) = self
            .sorts
            .values_over(&elem_ty, mentioned, SPEC_VALUES_LIMIT)
        else {
            return Err(unsupported(
                loc,
                format!("`{op}` of a set without a finite structure known before solving"),
            )
            .note(
                "supported: sets whose members are among at most 1024 values built from the \
                 integers, strings and model values the spec mentions (no functions, \
                 sequences or records with optional fields)",
            ));
        };
        let array = self.set_term(set)?;
        let sort = self.sorts.sort(&elem_ty);
        let mut universe = Array::const_array(&sort, &Bool::from_bool(false));
        let mut items = Vec::new();
        for value in values {
            universe = universe.store(&value, &Bool::from_bool(true));
            items.push((as_bool(select(&array, &value, loc)?, loc)?, value));
        }
        let holds = self.lies_within(set, &universe)?;
        let elements = Elements {
            items,
            distinct: true,
        };
        Ok(WithinSpecValues {
            array,
            elements,
            holds,
        })
    }

    /// Whether `set` is a subset of `universe`, asked of the sets it is built from where
    /// that is enough (a filter lies within what it filters), since a subset of a
    /// set-builder is a quantified question, and of a variable an array comparison. A range
    /// of integers lies within the spec's integers when it is empty or inside one run of
    /// consecutive ones: a question without quantifiers.
    fn lies_within(&mut self, set: &Expr, universe: &Array) -> Result<Bool> {
        match &*set.kind {
            ExprKind::SetFilter(binder, _) => self.lies_within(&binder.set, universe),
            ExprKind::Apply(Op::Range, args)
                if args.len() == 2 && !self.sorts.is_mixed(&Type::Int) =>
            {
                let (lo, hi) = (self.term_int(&args[0])?, self.term_int(&args[1])?);
                let ints = self.mentioned.get().map_or(&[][..], |m| &m.ints[..]);
                let mut cases = vec![hi.lt(&lo)];
                for (first, last) in runs(ints) {
                    cases.push(lo.ge(Int::from_i64(first)) & hi.le(Int::from_i64(last)));
                }
                Ok(any(&cases))
            }
            ExprKind::Apply(Op::SetMinus, args) if args.len() == 2 => {
                self.lies_within(&args[0], universe)
            }
            ExprKind::Apply(Op::Union, args) => {
                let mut parts = Vec::new();
                for arg in args {
                    parts.push(self.lies_within(arg, universe)?);
                }
                Ok(all(&parts))
            }
            _ => {
                let array = self.set_term(set)?;
                let (Some(inner), Some(outer)) = (
                    Dynamic::from_ast(&array).as_set(),
                    Dynamic::from_ast(universe).as_set(),
                ) else {
                    return Err(super::internal(set.loc, "a set that is no array"));
                };
                Ok(inner.set_subset(&outer))
            }
        }
    }

    /// `what(array)` for a set beyond the spec's values: an uninterpreted function of the set,
    /// so that every engine's verdict holds whatever its true value. A counterexample that
    /// rests on it is no bug: the encoding is marked approximate (see `approximates_cardinality`).
    fn beyond_spec_values(&mut self, what: &str, array: &Array, range: &Sort) -> Dynamic {
        self.add_axiom(Bool::new_const(APPROXIMATE));
        let sort = array.get_sort();
        let function = FuncDecl::new(format!("{what}!beyond!{sort}"), &[&sort], range);
        function.apply(&[array])
    }

    /// `card(set)`, with the axioms of its sort (and the quorum axiom, for a constant set).
    fn card_term(&mut self, set: &Expr) -> Result<Int> {
        let array = self.set_term(set)?;
        self.card_of(&array, is_constant(set), set.loc)
    }

    /// `card(array)`, with the axioms of its sort, and the quorum axiom when the set is
    /// `constant` (the same in every state).
    pub(super) fn card_of(&mut self, array: &Array, constant: bool, loc: Loc) -> Result<Int> {
        self.add_axiom(Bool::new_const(APPROXIMATE));
        let sort = array.get_sort();
        let card = card_function(&sort);
        for axiom in sort_axioms(&sort) {
            self.add_axiom(axiom);
        }
        if constant {
            self.add_axiom(quorum_axiom(array));
        }
        let term = card.apply(&[array]);
        term.as_int()
            .ok_or_else(|| super::internal(loc, "a cardinality that is no integer"))
    }

    /// An axiom that holds whatever the formula's free constants are: asserted once with the
    /// formula being encoded, outside every binder.
    fn add_axiom(&mut self, axiom: Bool) {
        if let Some(frame) = self.sides.first_mut() {
            if !frame.contains(&axiom) {
                frame.push(axiom);
            }
        }
    }
}

/// Whether what `solver` was given counts some set by `card` alone: then its models may give
/// sizes no finite set has, and a counterexample from one may not be real.
pub fn approximates_cardinality(solver: &Solver) -> bool {
    let marker = Bool::new_const(APPROXIMATE);
    solver.get_assertions().contains(&marker)
}

/// Whether every set of values of type `ty` is finite: `ty` has finitely many values (model
/// values count as finitely many; see the module comment).
pub(super) fn every_set_finite(ty: &Type) -> bool {
    match ty {
        Type::Bool | Type::ModelValue => true,
        Type::Int | Type::Str | Type::Seq(_) => false,
        Type::Set(t) => every_set_finite(t),
        Type::Fn(a, b) => every_set_finite(a) && every_set_finite(b),
        Type::Record(fields) => fields.values().all(every_set_finite),
        Type::Tuple(items) => items.iter().all(every_set_finite),
    }
}

/// Whether `expr` has the same value in every state: it reads no variable and binds none
/// from outside.
fn is_constant(expr: &Expr) -> bool {
    match &*expr.kind {
        ExprKind::Var(_) | ExprKind::Primed(_) | ExprKind::Bound(_) | ExprKind::RecCall(..) => {
            false
        }
        kind => kind.children().into_iter().all(is_constant),
    }
}

/// `card` over sets of sort `sort` (one function per sort: Z3 identifies declarations by name
/// and signature).
fn card_function(sort: &Sort) -> FuncDecl {
    FuncDecl::new(format!("card!{sort}"), &[sort], &Sort::int())
}

/// `meet(A, B)`: an element of `A \cap B` when they have one. One function per sort serves
/// every quorum axiom, since none says more of it than that.
fn meet_function(sort: &Sort) -> Option<FuncDecl> {
    let element = sort.array_domain()?;
    Some(FuncDecl::new(
        format!("meet!{sort}"),
        &[sort, sort],
        &element,
    ))
}

/// Two array constants of `sort` for the axioms' binders, and their `card` terms.
fn binders(sort: &Sort) -> (Dynamic, Dynamic, Int, Int) {
    let card = card_function(sort);
    let a = Dynamic::new_const("A!card", sort);
    let b = Dynamic::new_const("B!card", sort);
    let size = |set: &Dynamic| {
        card.apply(&[set])
            .as_int()
            .unwrap_or_else(|| Int::from_i64(0))
    };
    let (size_a, size_b) = (size(&a), size(&b));
    (a, b, size_a, size_b)
}

/// The axioms every `card` term of `sort` gets: non-negative, zero exactly for the empty set,
/// and monotone.
fn sort_axioms(sort: &Sort) -> Vec<Bool> {
    let (Some(a_set), Some(element)) = (
        Dynamic::new_const("A!card", sort).as_array(),
        sort.array_domain(),
    ) else {
        return Vec::new();
    };
    let (a, b, size_a, size_b) = binders(sort);
    let empty = Array::const_array(&element, &Bool::from_bool(false));
    let zero = Int::from_i64(0);
    let sized = all(&[size_a.ge(&zero), size_a.eq(&zero).iff(a_set.eq(&empty))]);
    let one = Pattern::new(&[&size_a]);
    let two = Pattern::new(&[&size_a, &size_b]);
    let (Some(a_sub), Some(b_sup)) = (a.as_set(), b.as_set()) else {
        return Vec::new();
    };
    let monotone = a_sub.set_subset(&b_sup).implies(size_a.le(&size_b));
    vec![
        z3::ast::forall_const(&[&a], &[&one], &sized),
        z3::ast::forall_const(&[&a, &b], &[&two], &monotone),
    ]
}

/// Two subsets of `universe` whose sizes add up to more than its own share an element.
fn quorum_axiom(universe: &Array) -> Bool {
    let sort = universe.get_sort();
    let (a, b, size_a, size_b) = binders(&sort);
    let (Some(meet), Some(u), Some(a_set), Some(b_set)) = (
        meet_function(&sort),
        Dynamic::from_ast(universe).as_set(),
        a.as_set(),
        b.as_set(),
    ) else {
        return Bool::from_bool(true);
    };
    let size_u = card_function(&sort)
        .apply(&[universe])
        .as_int()
        .unwrap_or_else(|| Int::from_i64(0));
    let common = meet.apply(&[&a, &b]);
    let premise = all(&[
        a_set.set_subset(&u),
        b_set.set_subset(&u),
        Int::add(&[&size_a, &size_b]).gt(&size_u),
    ]);
    let conclusion = a_set.member(&common) & b_set.member(&common);
    let pattern = Pattern::new(&[&size_a, &size_b]);
    z3::ast::forall_const(&[&a, &b], &[&pattern], &premise.implies(conclusion))
}

/// The runs of consecutive integers in the ascending `ints`, each as its first and last.
fn runs(ints: &[i64]) -> Vec<(i64, i64)> {
    let mut runs: Vec<(i64, i64)> = Vec::new();
    for &n in ints {
        match runs.last_mut() {
            Some((_, last)) if last.checked_add(1) == Some(n) => *last = n,
            _ => runs.push((n, n)),
        }
    }
    runs
}

/// Counts the distinct members among candidates.
fn count(elements: &Elements, loc: Loc) -> Result<Int> {
    let one = Int::from_i64(1);
    let zero = Int::from_i64(0);
    if !elements.distinct && elements.items.len() > 256 {
        return Err(unsupported(
            loc,
            "`Cardinality` of a set of more than 256 candidate elements that may repeat",
        ));
    }
    let mut terms = Vec::new();
    for (i, (guard, element)) in elements.items.iter().enumerate() {
        let mut counted = vec![guard.clone()];
        if !elements.distinct {
            for (earlier_guard, earlier) in &elements.items[..i] {
                counted.push((earlier_guard.clone() & equal(earlier, element, loc)?).not());
            }
        }
        terms.push(all(&counted).ite(&one, &zero));
    }
    if terms.is_empty() {
        return Ok(zero);
    }
    Ok(Int::add(&terms))
}

#[cfg(test)]
mod tests {
    use super::runs;

    #[test]
    fn runs_are_the_maximal_stretches_of_consecutive_integers() {
        assert_eq!(runs(&[]), []);
        assert_eq!(runs(&[-1, 0, 1, 2, 4, 6, 7]), [(-1, 2), (4, 4), (6, 7)]);
        assert_eq!(runs(&[i64::MAX - 1, i64::MAX]), [(i64::MAX - 1, i64::MAX)]);
    }
}
