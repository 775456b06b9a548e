//! Translating IR expressions into Z3 terms, one step of a behaviour at a time.
//!
//! State variable `x` at step `i` is the constant `x@i`; `x'` at step `i` is `x@(i+1)`.
//!
//! **Quantifiers.** Where a quantifier may be Skolemized — `\E` in a positive position, `\A` in
//! a negative one, as `Polarity` tracks — it becomes a fresh constant constrained to its set,
//! so a step's formula does not grow with the set. Otherwise a quantifier over a set with a
//! finite, known list of elements (literal sets, ranges with constant bounds, sets of model
//! values, …) is expanded, and one over any other set becomes a Z3 quantifier. Before all
//! that, a quantifier whose body pins its variable to one value is replaced by that value
//! (the one-point rule, `one_point`).
//!
//! **CHOOSE** is an uninterpreted function of the set and of the free variables of the
//! predicate, shared by every occurrence of the same expression, with the axiom "if some `x`
//! in the set satisfies the predicate, the chosen value does". Axioms are collected as side
//! conditions and conjoined with the formula they arose in (inside any Z3 quantifier or
//! `ENABLED` existential whose variables they mention).
//!
//! **Integers.** `\div` and `%` are Z3's `div` and `mod`. Those are Euclidean, which agrees with
//! TLA+'s floor semantics for positive divisors; a symbolic negative divisor of `\div` divides
//! the negated operands. A literal divisor `<= 0` is reported as unsupported; a symbolic zero
//! divisor (and a non-positive one of `%`), where TLC stops with an error, is an obligation
//! (see `definedness`).

use super::literals;
use super::sorts::{FnPart, Sorts};
use super::{internal, unsupported};
use crate::diag::Diagnostic;
use crate::ir::{
    rewrite, Action, BoundId, ConstId, Expr, ExprKind, Loc, Op, Pattern, Quantifier, Spec, VarId,
};
use crate::types::{Type, Types};
use crate::value::Value;
use std::collections::{BTreeMap, HashMap};
use z3::ast::{Array, Ast, Bool, Dynamic, Int};
use z3::{FuncDecl, Sort};

pub type Result<T> = std::result::Result<T, Diagnostic>;

/// The most elements a finite element list (for `Cardinality`, decoding, small universes) is
/// built with.
pub(super) const EXPANSION_LIMIT: usize = 4096;

/// Quantifiers, function constructors and `ENABLED`'s parameters over sets of at most this many
/// known elements are expanded; over larger sets they stay Z3 quantifiers, lambdas and Skolem
/// constants, so that a formula does not grow with a set whose size is a parameter of the
/// model (`0..N-1`). With concrete elements, reads of arrays built by `store`s simplify away
/// before Z3 searches, so small sets are expanded even where a Skolem constant would do; but
/// each expanded instance is a separate case for Z3, where a quantifier is instantiated (by
/// E-matching) only on the terms a proof needs. Measured with `scripts/bench.sh`: at N = 10
/// expansion is already slower on the token ring (see the report of issue #8).
pub(super) const EXPAND_AT_MOST: usize = 8;

/// Where a boolean sub-formula sits: under an even (`Pos`) or odd (`Neg`) number of negations,
/// or under both or under a binder (`Mixed`), where nothing may be Skolemized.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Polarity {
    Pos,
    Neg,
    Mixed,
}

impl Polarity {
    pub fn flip(self) -> Polarity {
        match self {
            Polarity::Pos => Polarity::Neg,
            Polarity::Neg => Polarity::Pos,
            Polarity::Mixed => Polarity::Mixed,
        }
    }
}

/// One action at one step: its formula and the Skolem constants of its parameters.
pub struct EncodedAction {
    pub formula: Bool,
    pub params: Vec<Dynamic>,
}

/// Translates the expressions of one `Spec` into Z3 terms.
pub struct Encoder<'a> {
    pub(super) spec: &'a Spec,
    pub(super) types: &'a Types,
    pub(super) sorts: Sorts,
    /// `states[i][v]`: the constant `v@i`.
    states: Vec<Vec<Dynamic>>,
    /// `raw_states[i][v]`: the constant `v@i` that `states[i][v]` normalises.
    pub(super) raw_states: Vec<Vec<Dynamic>>,
    /// `assigned[v]`: every action sets `v'` by an equation (`normal::assigned_by_every_action`).
    assigned: Vec<bool>,
    /// Whether a positive equation `x = e` may pin the raw constant of `x` (see `formula`).
    /// Off in `ENABLED`, whose result may be negated.
    pub(super) pin_raw: bool,
    /// Symbolic constants, created on first use.
    consts: HashMap<ConstId, Dynamic>,
    /// The step that unprimed variables refer to.
    pub(super) step: usize,
    /// What primed variables stand for instead of the next state's constants (in `ENABLED`).
    pub(super) next_override: Option<Vec<Option<Dynamic>>>,
    /// Bound variables in scope, innermost last.
    pub(super) env: Vec<(BoundId, Dynamic)>,
    /// Skolem constants created so far (`ENABLED` binds the ones its body creates).
    pub(super) skolems: Vec<Dynamic>,
    /// Side conditions (CHOOSE axioms), one frame per enclosing Z3 binder.
    pub(super) sides: Vec<Vec<Bool>>,
    /// Side conditions of the formulas encoded so far, for the caller to assert (`take_axioms`).
    axioms: Vec<Bool>,
    /// The constants bound by the `exists` of the `ENABLED` being encoded.
    pub(super) enabled_bound: Vec<Dynamic>,
    chooses: HashMap<String, std::rc::Rc<FuncDecl>>,
    fresh_names: usize,
    /// The definedness obligations being recorded, if they are (see `definedness`).
    pub(super) definedness: Option<super::definedness::Recorder>,
    /// The integers and strings the spec mentions, found on first use (see `cardinality`).
    pub(super) mentioned: std::cell::OnceCell<super::literals::Mentioned>,
    /// Whether quantifiers get frame triggers (see `triggers`).
    pub(super) frame_triggers: bool,
}

impl<'a> Encoder<'a> {
    pub fn new(spec: &'a Spec, types: &'a Types) -> Encoder<'a> {
        Encoder::with_strings(spec, types, literals::strings_of(spec, types))
    }

    /// An encoder that keeps Z3's strings even where the spec's strings could be an
    /// enumeration. `prove` uses it: with strings an enumeration, Z3's quantifier
    /// instantiation gave up ("incomplete quantifiers") on the token ring's CTI at N = 1000,
    /// which it finds in 0.2 s with Z3's strings; searches (`check`) gain from the enumeration.
    pub fn keeping_z3_strings(spec: &'a Spec, types: &'a Types) -> Encoder<'a> {
        Encoder::with_strings(spec, types, None)
    }

    fn with_strings(
        spec: &'a Spec,
        types: &'a Types,
        strings: Option<std::collections::BTreeSet<String>>,
    ) -> Encoder<'a> {
        Encoder {
            spec,
            types,
            sorts: Sorts::new(
                literals::model_values_of(spec),
                super::sorts::has_symbolic_model_values(spec, types),
                strings,
                types,
            ),
            states: Vec::new(),
            raw_states: Vec::new(),
            assigned: super::normal::assigned_by_every_action(spec),
            pin_raw: true,
            consts: HashMap::new(),
            step: 0,
            next_override: None,
            env: Vec::new(),
            skolems: Vec::new(),
            sides: vec![Vec::new()],
            axioms: Vec::new(),
            enabled_bound: Vec::new(),
            chooses: HashMap::new(),
            fresh_names: 0,
            definedness: None,
            mentioned: std::cell::OnceCell::new(),
            frame_triggers: false,
        }
    }

    /// The values of the state variables at `step`: the constants `v@step`, normalised (see
    /// `normal`).
    pub fn state(&mut self, step: usize) -> Vec<Dynamic> {
        while self.states.len() <= step {
            let index = self.states.len();
            let mut vars = Vec::new();
            let mut raws = Vec::new();
            for v in 0..self.spec.vars.len() {
                let ty = &self.types.vars[v];
                let sort = self.sorts.sort(ty);
                let raw = Dynamic::new_const(format!("{}@{index}", self.spec.vars[v].name), &sort);
                // A state after the first is only ever the target of a step (every engine
                // asserts the transition into it), so a variable that every action sets by an
                // equation `x' = e` is normalised already: `e` is (see `normal`).
                let assigned = index > 0 && self.assigned.get(v).copied().unwrap_or(false);
                vars.push(if assigned {
                    raw.clone()
                } else {
                    self.normal(&raw, ty)
                });
                raws.push(raw);
            }
            self.states.push(vars);
            self.raw_states.push(raws);
        }
        self.states[step].clone()
    }

    /// The constraints on the constants: the assumptions, and that distinct model values differ.
    pub fn constants_constraint(&mut self) -> Result<Bool> {
        let mut parts: Vec<Bool> = self.sorts.distinct_model_values().into_iter().collect();
        for assumption in &self.spec.assumptions {
            parts.push(self.holds(&assumption.expr, 0)?);
        }
        Ok(all(&parts))
    }

    /// `expr` holds at `step` (as an assertion: `\E` may be Skolemized).
    pub fn holds(&mut self, expr: &Expr, step: usize) -> Result<Bool> {
        self.at_top_level(step, |me| me.formula(expr, Polarity::Pos))
    }

    /// `expr` is false at `step` (`\A` may be Skolemized).
    pub fn violated(&mut self, expr: &Expr, step: usize) -> Result<Bool> {
        self.at_top_level(step, |me| Ok(me.formula(expr, Polarity::Neg)?.not()))
    }

    /// `action` takes step `step` to `step + 1`, with its parameters Skolemized.
    pub fn action(&mut self, action: &Action, step: usize) -> Result<EncodedAction> {
        let mut params = Vec::new();
        let formula = self.at_top_level(step, |me| {
            let mut parts = Vec::new();
            for param in &action.params {
                let elem_ty = me.elem_type(&param.binder.set)?;
                let constant = me.fresh_skolem(&param.name, &elem_ty);
                parts.push(me.member(&constant, &param.binder.set, Polarity::Pos)?);
                me.bind(
                    &param.binder.pattern,
                    &constant,
                    &elem_ty,
                    param.binder.set.loc,
                )?;
                params.push(constant);
            }
            // TLC evaluates the body for every value of the parameters.
            let body = me.assuming(&all(&parts), |me| me.formula(&action.body, Polarity::Pos))?;
            parts.push(body);
            Ok(all(&parts))
        });
        self.env.clear();
        Ok(EncodedAction {
            formula: formula?,
            params,
        })
    }
    /// Runs `encode` for a formula used on its own: sets the step, and keeps the side
    /// conditions it produced for `take_axioms`.
    pub(super) fn at_top_level(
        &mut self,
        step: usize,
        encode: impl FnOnce(&mut Self) -> Result<Bool>,
    ) -> Result<Bool> {
        // Every formula is encoded here: the one place to refuse what sorts cannot represent.
        // Model values mix with integers and with records, tuples, functions and sequences,
        // whose terms are built and taken apart in one place each (`Sorts::construct` and
        // `Sorts::field`, `term_int`); sets, strings and booleans are used in too many ways.
        let unmixable = |ty: &&Type| matches!(ty, Type::Bool | Type::Str | Type::Set(_));
        if let Some((ty, site)) = self
            .types
            .with_model_values
            .iter()
            .find(|(ty, _)| unmixable(ty))
        {
            let what = format!("a model value mixed with {ty} values");
            return Err(unsupported(*site, what));
        }
        self.step = step;
        self.state(step + 1);
        self.sides = vec![Vec::new()];
        self.skolems.clear();
        let formula = encode(self)?;
        let sides = std::mem::take(&mut self.sides[0]);
        self.axioms.extend(sides);
        Ok(formula)
    }

    /// The axioms (`CHOOSE` definitions) of the formulas encoded since the last call. They
    /// are valid, and must be asserted unconditionally — not under an assumption literal, and
    /// never negated — for those formulas to mean what they say.
    pub fn take_axioms(&mut self) -> Vec<Bool> {
        std::mem::take(&mut self.axioms)
    }

    // ---- Fresh constants -------------------------------------------------------------------

    pub(super) fn fresh_const(&mut self, prefix: &str, sort: &Sort) -> Dynamic {
        self.fresh_names += 1;
        Dynamic::new_const(format!("{prefix}!{}", self.fresh_names), sort)
    }

    /// A Skolem value: a fresh constant, free in the formula and recorded so `ENABLED` can
    /// bind it, normalised (see `normal`).
    pub(super) fn fresh_skolem(&mut self, name: &str, ty: &Type) -> Dynamic {
        let (raw, value) = self.fresh_value(&format!("{name}@{}", self.step), ty);
        self.skolems.push(raw);
        value
    }

    /// Binds a pattern to a value; returns the environment mark to truncate back to.
    pub(super) fn bind(
        &mut self,
        pattern: &Pattern,
        value: &Dynamic,
        ty: &Type,
        loc: Loc,
    ) -> Result<usize> {
        let mark = self.env.len();
        match pattern {
            Pattern::Var(id) => self.env.push((*id, value.clone())),
            Pattern::Tuple(ids) => {
                for (i, id) in ids.iter().enumerate() {
                    let item = self.index_tuple_like(value, ty, i, loc)?;
                    self.env.push((*id, item));
                }
            }
        }
        Ok(mark)
    }

    /// Component `i` (0-based) of a tuple or sequence value.
    fn index_tuple_like(
        &mut self,
        value: &Dynamic,
        ty: &Type,
        i: usize,
        loc: Loc,
    ) -> Result<Dynamic> {
        match ty {
            Type::Tuple(_) => self
                .sorts
                .field(ty, value, i)
                .ok_or_else(|| internal(loc, "tuple pattern too long")),
            Type::Seq(_) => {
                let elems = self.field_array(ty, value, 1, loc)?;
                Ok(elems.select(&Int::from_i64(i as i64 + 1)))
            }
            other => Err(internal(
                loc,
                format!("a tuple pattern binds a value of type {other}"),
            )),
        }
    }

    // ---- Types ---------------------------------------------------------------------------

    pub(super) fn ty(&self, expr: &Expr) -> Result<Type> {
        self.types
            .exprs
            .get(expr.id.0)
            .cloned()
            .ok_or_else(|| internal(expr.loc, "expression without a type"))
    }

    /// The element type of a set-valued expression.
    pub(super) fn elem_type(&self, set: &Expr) -> Result<Type> {
        match self.ty(set)? {
            Type::Set(elem) => Ok(*elem),
            other => Err(internal(
                set.loc,
                format!("expected a set, found type {other}"),
            )),
        }
    }

    // ---- Formulas ----------------------------------------------------------------------------

    /// A boolean expression, Skolemizing according to `pol`.
    pub(super) fn formula(&mut self, expr: &Expr, pol: Polarity) -> Result<Bool> {
        match &*expr.kind {
            ExprKind::Apply(op, args) => match (op, args.as_slice()) {
                (Op::And, _) => Ok(all(&self.junction(args, pol, Bool::clone)?)),
                (Op::Or, _) if self.branches(expr) => {
                    let parts = args
                        .iter()
                        .map(|a| self.formula(a, pol))
                        .collect::<Result<Vec<_>>>()?;
                    Ok(any(&parts))
                }
                (Op::Or, _) => Ok(any(&self.junction(args, pol, Bool::not)?)),
                (Op::Not, [a]) => Ok(self.formula(a, pol.flip())?.not()),
                (Op::Implies, [a, b]) => {
                    let a = self.formula(a, pol.flip())?;
                    Ok(a.implies(self.assuming(&a, |me| me.formula(b, pol))?))
                }
                (Op::Equiv, [a, b]) => Ok(self
                    .formula(a, Polarity::Mixed)?
                    .iff(self.formula(b, Polarity::Mixed)?)),
                (Op::In, [x, set]) => {
                    let x = self.term(x)?;
                    self.member(&x, set, pol)
                }
                (Op::NotIn, [x, set]) => {
                    let x = self.term(x)?;
                    Ok(self.member(&x, set, pol.flip())?.not())
                }
                (Op::Subseteq, [a, b]) => self.subset(a, b, pol),
                (Op::Eq, [a, b]) if pol == Polarity::Pos && self.pin_raw => {
                    if let Some(raw) = self.raw_var(a)? {
                        return equal(&raw, &self.term(b)?, expr.loc);
                    }
                    if let Some(raw) = self.raw_var(b)? {
                        return equal(&self.term(a)?, &raw, expr.loc);
                    }
                    self.term_bool(expr)
                }
                _ => self.term_bool(expr),
            },
            ExprKind::If(cond, then, other) => {
                let arms = [(cond, then)];
                let (arms, other) =
                    self.arms(&arms, Some(other), &mut |me, e| me.formula(e, pol))?;
                let other = other.unwrap_or_else(|| Bool::from_bool(false));
                Ok(arms
                    .iter()
                    .rev()
                    .fold(other, |rest, (g, v)| g.ite(v, &rest)))
            }
            ExprKind::Case(arms, other) => {
                let arms: Vec<_> = arms.iter().map(|(g, v)| (g, v)).collect();
                let (arms, other) =
                    self.arms(&arms, other.as_ref(), &mut |me, e| me.formula(e, pol))?;
                let other = other.unwrap_or_else(|| Bool::from_bool(false));
                Ok(arms
                    .iter()
                    .rev()
                    .fold(other, |rest, (g, v)| g.ite(v, &rest)))
            }
            ExprKind::Quant(q, binders, body) => {
                match self.quantified_subset(*q, binders, body, pol)? {
                    Some(subset) => Ok(subset),
                    None => self.quantified(*q, binders, body, pol),
                }
            }
            // `[A]_v` and `<<A>>_v` are action formulas (in `Next`, in properties).
            ExprKind::BoxAction(action, vars) => self.formula(&rewrite::boxed(action, vars), pol),
            ExprKind::AngleAction(action, vars) => self.formula(&rewrite::angle(action, vars), pol),
            _ => self.term_bool(expr),
        }
    }

    /// The raw constant of a state variable (`x` or `x'`) whose values need normalising.
    ///
    /// A positive equation `x = e` is encoded as `raw = e` instead of `normal(raw) = e`: every
    /// term `e` the encoder builds is normalised, so `raw = e` implies `normal(raw) = e`, and
    /// any model of the weaker formula becomes one of the stronger by setting `raw` to
    /// `normal(raw)` (which changes no other term). Equisatisfiable, and Z3 then never has to
    /// reason about the equality of two normalising terms (lambdas are quantifiers to it).
    fn raw_var(&mut self, expr: &Expr) -> Result<Option<Dynamic>> {
        let (step, v) = match &*expr.kind {
            ExprKind::Var(VarId(v)) => (self.step, *v),
            ExprKind::Primed(VarId(v)) if self.next_override.is_none() => (self.step + 1, *v),
            _ => return Ok(None),
        };
        let needs = self
            .types
            .vars
            .get(v)
            .is_some_and(|ty| self.sorts.needs_normalising(ty));
        if !needs {
            return Ok(None);
        }
        self.state(step);
        Ok(self.raw_states.get(step).and_then(|s| s.get(v)).cloned())
    }

    fn term_bool(&mut self, expr: &Expr) -> Result<Bool> {
        let term = self.term(expr)?;
        term.as_bool()
            .ok_or_else(|| internal(expr.loc, "expected a boolean term"))
    }

    /// An integer-valued expression as a Z3 integer (where model values mix with integers,
    /// the integer inside: unspecified for a model value, see `sorts`).
    pub(super) fn term_int(&mut self, expr: &Expr) -> Result<Int> {
        let term = self.term(expr)?;
        self.require_plain(&Type::Int, &term);
        self.plain_int(&term, expr.loc)
    }

    /// The Z3 integer inside a term of type `Int`.
    pub(super) fn plain_int(&mut self, term: &Dynamic, loc: Loc) -> Result<Int> {
        self.sorts
            .unwrap(&Type::Int, term)
            .as_int()
            .ok_or_else(|| internal(loc, "expected an integer term"))
    }

    /// Runs `encode` with `variable` bound by a Z3 binder around its result: side conditions
    /// it produces are universally closed over `variable` and passed outwards.
    pub(super) fn under_binder<R>(
        &mut self,
        variable: &Dynamic,
        encode: impl FnOnce(&mut Self) -> Result<R>,
    ) -> Result<R> {
        self.sides.push(Vec::new());
        let result = encode(self);
        let sides = self.sides.pop().unwrap_or_default();
        let closed: Vec<Bool> = sides
            .iter()
            .map(|s| z3::ast::forall_const(&[variable], &[], s))
            .collect();
        if let Some(frame) = self.sides.last_mut() {
            frame.extend(closed);
        }
        result
    }

    pub(super) fn pattern_name(&self, pattern: &Pattern) -> String {
        let name_of = |id: &BoundId| {
            self.spec
                .bound_names
                .get(id.0)
                .cloned()
                .unwrap_or_else(|| "x".into())
        };
        match pattern {
            Pattern::Var(id) => name_of(id),
            Pattern::Tuple(ids) => ids.iter().map(name_of).collect::<Vec<_>>().join("_"),
        }
    }

    // ---- Terms -----------------------------------------------------------------------------

    /// Any expression, as a term of its type's sort.
    pub(super) fn term(&mut self, expr: &Expr) -> Result<Dynamic> {
        let term = self.term_of(expr)?;
        // Only a term of the model-value sort can need wrapping, and only the place's type
        // says whether it does; asking first would fail on expressions that lowering builds
        // after typing (a CHOOSE over a defined set in CheckpointCoordination has no type).
        if self.types.with_model_values.is_empty()
            || term.get_sort() != *self.sorts.model_value_sort()
        {
            return Ok(term);
        }
        // A model value in a place whose type mixes with model values (a sentinel constant,
        // a field that holds model values read where records mix with them) has the
        // model-value sort: it is the `mv` of that place's sort.
        let ty = self.ty(expr)?;
        if self.sorts.is_mixed(&ty) {
            return Ok(self.sorts.mixed_model_value(&ty, &term));
        }
        Ok(term)
    }

    fn term_of(&mut self, expr: &Expr) -> Result<Dynamic> {
        let loc = expr.loc;
        match &*expr.kind {
            ExprKind::Lit(value) => {
                let ty = self.ty(expr)?;
                self.value_term(value, &ty, loc)
            }
            ExprKind::Var(VarId(v)) => {
                let state = self.state(self.step);
                state
                    .get(*v)
                    .cloned()
                    .ok_or_else(|| internal(loc, "unknown state variable"))
            }
            ExprKind::Primed(VarId(v)) => {
                let next = match &self.next_override {
                    Some(next) => next.get(*v).cloned().flatten(),
                    None => self.state(self.step + 1).get(*v).cloned(),
                };
                next.ok_or_else(|| internal(loc, "unknown or unsolved primed variable"))
            }
            ExprKind::Const(id) => self.constant(*id),
            ExprKind::Bound(id) => self
                .env
                .iter()
                .rev()
                .find(|(bound, _)| bound == id)
                .map(|(_, term)| term.clone())
                .ok_or_else(|| internal(loc, "unbound variable")),
            ExprKind::Apply(op, args) => self.apply(*op, args, expr),
            ExprKind::If(cond, then, other) => {
                let arms = [(cond, then)];
                let (arms, other) = self.arms(&arms, Some(other), &mut |me, e| me.term(e))?;
                let other = other.ok_or_else(|| internal(loc, "IF without ELSE"))?;
                arms.iter()
                    .rev()
                    .try_fold(other, |rest, (g, v)| ite(g, v, &rest, loc))
            }
            ExprKind::Case(arms, other) => {
                let ty = self.ty(expr)?;
                let arms: Vec<_> = arms.iter().map(|(g, v)| (g, v)).collect();
                let (arms, other) = self.arms(&arms, other.as_ref(), &mut |me, e| me.term(e))?;
                let other = other.unwrap_or_else(|| self.sorts.default_value(&ty));
                arms.iter()
                    .rev()
                    .try_fold(other, |rest, (g, v)| ite(g, v, &rest, loc))
            }
            ExprKind::Quant(..) => Ok(self.formula(expr, Polarity::Mixed)?.into()),
            ExprKind::Choose(binder, body) => self.choose(expr, binder, body),
            ExprKind::InfiniteSet(_)
            | ExprKind::SetEnum(_)
            | ExprKind::SetFilter(..)
            | ExprKind::SetMap(..)
            | ExprKind::FnSet(..)
            | ExprKind::RecordSet(_)
            | ExprKind::Times(_) => Ok(self.set_term(expr)?.into()),
            ExprKind::FnCons(binders, body) => self.fn_cons(expr, binders, body),
            ExprKind::FnApp(f, arg) => self.fn_app(f, arg, loc),
            ExprKind::Record(fields) => {
                let ty = self.ty(expr)?;
                let mut given = BTreeMap::new();
                for (name, value) in fields {
                    given.insert(name.as_str(), self.term(value)?);
                }
                self.sorts
                    .record(&ty, &given)
                    .ok_or_else(|| internal(loc, format!("a record of type {ty}")))
            }
            ExprKind::Field(record, name) => {
                let ty = self.ty(record)?;
                let term = self.term(record)?;
                self.require_plain(&ty, &term);
                self.record_field(&term, &ty, name, loc)
            }
            ExprKind::Except(base, updates) => {
                let ty = self.ty(base)?;
                let mut term = self.term(base)?;
                for (path, value) in updates {
                    term = self.update(&term, &ty, path, value, loc)?;
                }
                Ok(term)
            }
            ExprKind::Tuple(items) => {
                let ty = self.ty(expr)?;
                let terms = items
                    .iter()
                    .map(|i| self.term(i))
                    .collect::<Result<Vec<_>>>()?;
                self.tuple_like(&ty, terms, loc)
            }
            ExprKind::Enabled(action) => Ok(self.enabled_within(action)?.into()),
            ExprKind::Always(_)
            | ExprKind::Eventually(_)
            | ExprKind::LeadsTo(..)
            | ExprKind::BoxAction(..)
            | ExprKind::AngleAction(..)
            | ExprKind::Fair(..) => Err(unsupported(
                loc,
                "a temporal operator in a state or action formula",
            )),
            ExprKind::RecCall(..) => Err(unsupported(
                loc,
                "a recursive operator applied to state-dependent arguments",
            )),
        }
    }

    pub(super) fn constant(&mut self, id: ConstId) -> Result<Dynamic> {
        let Some(constant) = self.spec.constants.get(id.0) else {
            return Err(internal(crate::ir::build::nowhere(), "unknown constant"));
        };
        let ty = self
            .types
            .consts
            .get(id.0)
            .cloned()
            .ok_or_else(|| internal(constant.loc, "untyped constant"))?;
        if let Some(value) = &constant.value {
            return self.value_term(value, &ty, constant.loc);
        }
        if let Some(term) = self.consts.get(&id) {
            return Ok(term.clone());
        }
        let sort = self.sorts.sort(&ty);
        let raw = Dynamic::new_const(constant.name.as_str(), &sort);
        let term = self.normal(&raw, &ty);
        self.consts.insert(id, term.clone());
        Ok(term)
    }

    /// A sequence, tuple or (for a function from `1..n`) function term from its items.
    fn tuple_like(&mut self, ty: &Type, items: Vec<Dynamic>, loc: Loc) -> Result<Dynamic> {
        match ty {
            Type::Tuple(_) => Ok(self.sorts.construct(ty, &items)),
            Type::Seq(elem) => {
                let mut elems = Array::const_array(&Sort::int(), &self.sorts.default_value(elem));
                for (i, item) in items.iter().enumerate() {
                    elems = elems.store(&Int::from_i64(i as i64 + 1), item);
                }
                Ok(self.sorts.construct(
                    ty,
                    &[Int::from_i64(items.len() as i64).into(), elems.into()],
                ))
            }
            Type::Fn(domain, range) if **domain == Type::Int => {
                let sort = self.sorts.sort(domain);
                let mut dom = Array::const_array(&sort, &Bool::from_bool(false));
                let mut map = Array::const_array(&sort, &self.sorts.default_value(range));
                for (i, item) in items.iter().enumerate() {
                    let index = self.sorts.int(&Int::from_i64(i as i64 + 1));
                    dom = dom.store(&index, &Bool::from_bool(true));
                    map = map.store(&index, item);
                }
                Ok(self.sorts.construct(ty, &[dom.into(), map.into()]))
            }
            other => Err(internal(loc, format!("a tuple of type {other}"))),
        }
    }

    /// Field `index` of a function or sequence datatype, as an array.
    pub(super) fn field_array(
        &mut self,
        ty: &Type,
        value: &Dynamic,
        index: usize,
        loc: Loc,
    ) -> Result<Array> {
        self.sorts
            .field(ty, value, index)
            .and_then(|f| f.as_array())
            .ok_or_else(|| internal(loc, format!("no array field {index} in type {ty}")))
    }

    fn record_field(
        &mut self,
        record: &Dynamic,
        ty: &Type,
        name: &str,
        loc: Loc,
    ) -> Result<Dynamic> {
        match ty {
            Type::Record(fields) => {
                let index = fields.keys().position(|f| f == name);
                let index =
                    index.ok_or_else(|| internal(loc, format!("record has no field `{name}`")))?;
                let value = self
                    .sorts
                    .field(ty, record, index)
                    .ok_or_else(|| internal(loc, "record field"))?;
                if !self.sorts.optional_fields(ty).iter().any(|f| f == name) {
                    return Ok(value);
                }
                // TLC stops on an absent field (an obligation); here it is some value (see
                // `sorts`).
                let present = self.sorts.has_field(ty, record, name);
                let absent = self.sorts.absent_read(ty, record, name);
                let (Some(present), Some(absent)) = (present, absent) else {
                    return Err(internal(loc, "optional field"));
                };
                self.require(present.clone());
                ite(&present, &value, &absent, loc)
            }
            Type::Fn(domain, _) if **domain == Type::Str => {
                let key = self.string(name, loc)?;
                let in_domain = self.in_domain(record, ty, &key, loc)?;
                self.require(in_domain);
                self.map_read(record, ty, &key, loc)
            }
            other => Err(internal(
                loc,
                format!("field `.{name}` of a value of type {other}"),
            )),
        }
    }

    /// `f[arg]` for functions, sequences, tuples and records.
    fn fn_app(&mut self, f: &Expr, arg: &Expr, loc: Loc) -> Result<Dynamic> {
        let ty = self.ty(f)?;
        let function = self.term(f)?;
        self.require_plain(&ty, &function);
        match &ty {
            Type::Fn(..) | Type::Seq(_) => {
                let index = self.index_term(&ty, arg)?;
                let in_domain = self.in_domain(&function, &ty, &index, loc)?;
                self.require(in_domain);
                self.map_read(&function, &ty, &index, loc)
            }
            Type::Tuple(items) => {
                if let Some(k) = literal_int(arg) {
                    return match usize::try_from(k)
                        .ok()
                        .filter(|k| (1..=items.len()).contains(k))
                    {
                        Some(k) => self
                            .sorts
                            .field(&ty, &function, k - 1)
                            .ok_or_else(|| internal(loc, "tuple")),
                        None => Err(unsupported(loc, format!("tuple index {k} out of range"))),
                    };
                }
                // A computed index: all components must have one type.
                if items.windows(2).any(|w| w[0] != w[1]) || items.is_empty() {
                    return Err(unsupported(
                        loc,
                        "a computed index into a tuple of mixed types",
                    ));
                }
                let index = self.term_int(arg)?;
                let count = Int::from_i64(items.len() as i64);
                self.require(index.ge(Int::from_i64(1)) & index.le(&count));
                let mut result = self.sorts.default_value(&items[0]);
                for k in (0..items.len()).rev() {
                    let item = self
                        .sorts
                        .field(&ty, &function, k)
                        .ok_or_else(|| internal(loc, "tuple"))?;
                    result = ite(&index.eq(Int::from_i64(k as i64 + 1)), &item, &result, loc)?;
                }
                Ok(result)
            }
            Type::Record(_) => match &*arg.kind {
                ExprKind::Lit(Value::Str(name)) => self.record_field(&function, &ty, name, loc),
                _ => Err(unsupported(loc, "a computed field name")),
            },
            other => Err(internal(loc, format!("applying a value of type {other}"))),
        }
    }

    /// `[base EXCEPT !path = value]` for one path.
    fn update(
        &mut self,
        base: &Dynamic,
        ty: &Type,
        path: &[crate::ir::PathStep],
        value: &Expr,
        loc: Loc,
    ) -> Result<Dynamic> {
        use crate::ir::PathStep;
        let Some((step, rest)) = path.split_first() else {
            return self.term(value);
        };
        match (step, ty) {
            (PathStep::Index(index), Type::Fn(_, range) | Type::Seq(range)) => {
                let index = self.index_term(ty, index)?;
                let in_domain = self.in_domain(base, ty, &index, loc)?;
                let old = self.map_read(base, ty, &index, loc)?;
                // TLC evaluates the new value (and `@`) only at a point of the domain.
                let new =
                    self.assuming(&in_domain, |me| me.update(&old, range, rest, value, loc))?;
                // Outside the domain EXCEPT changes nothing (and the array stays normalised).
                let new = ite(&in_domain, &new, &old, loc)?;
                self.map_store(base, ty, &index, &new, loc)
            }
            (PathStep::Index(index), Type::Tuple(items)) => {
                let k = literal_int(index)
                    .and_then(|k| usize::try_from(k).ok())
                    .filter(|k| (1..=items.len()).contains(k))
                    .ok_or_else(|| {
                        unsupported(loc, "EXCEPT on a tuple at a computed or out-of-range index")
                    })?;
                self.update_field(base, ty, k - 1, &items[k - 1], rest, value, loc)
            }
            (PathStep::Index(index), Type::Record(fields)) => match &*index.kind {
                ExprKind::Lit(Value::Str(name)) => {
                    self.update_record_field(base, ty, fields, name, rest, value, loc)
                }
                _ => Err(unsupported(loc, "EXCEPT on a record at a computed field")),
            },
            (PathStep::Field(name), Type::Record(fields)) => {
                self.update_record_field(base, ty, fields, name, rest, value, loc)
            }
            (PathStep::Field(name), Type::Fn(domain, range)) if **domain == Type::Str => {
                let key = self.string(name, loc)?;
                let in_domain = self.in_domain(base, ty, &key, loc)?;
                let old = self.map_read(base, ty, &key, loc)?;
                let new =
                    self.assuming(&in_domain, |me| me.update(&old, range, rest, value, loc))?;
                let new = ite(&in_domain, &new, &old, loc)?;
                self.map_store(base, ty, &key, &new, loc)
            }
            (_, other) => Err(unsupported(
                loc,
                format!("EXCEPT on a value of type {other}"),
            )),
        }
    }

    /// `[r EXCEPT !.name = …]` (or `!["name"]`): the update of one field of a record.
    #[allow(clippy::too_many_arguments)]
    fn update_record_field(
        &mut self,
        base: &Dynamic,
        ty: &Type,
        fields: &std::collections::BTreeMap<String, Type>,
        name: &str,
        rest: &[crate::ir::PathStep],
        value: &Expr,
        loc: Loc,
    ) -> Result<Dynamic> {
        let (k, field_ty) = fields
            .iter()
            .enumerate()
            .find(|(_, (field, _))| *field == name)
            .map(|(k, (_, field_ty))| (k, field_ty.clone()))
            .ok_or_else(|| internal(loc, "no such field"))?;
        self.update_field(base, ty, k, &field_ty, rest, value, loc)
    }

    #[allow(clippy::too_many_arguments)]
    fn update_field(
        &mut self,
        base: &Dynamic,
        ty: &Type,
        k: usize,
        field_ty: &Type,
        rest: &[crate::ir::PathStep],
        value: &Expr,
        loc: Loc,
    ) -> Result<Dynamic> {
        let old = self.sorts.field(ty, base, k);
        let old = old.ok_or_else(|| internal(loc, "field"))?;
        // EXCEPT leaves an absent field absent (TLA+: only the domain's points change), and TLC
        // evaluates the new value (and `@`) only for a present one.
        let name = match ty {
            Type::Record(fields) => fields.keys().nth(k).cloned(),
            _ => None,
        };
        let present = match name {
            Some(name) if self.sorts.optional_fields(ty).contains(&name) => {
                let present = self.sorts.has_field(ty, base, &name);
                Some(present.ok_or_else(|| internal(loc, "optional field"))?)
            }
            _ => None,
        };
        let always = Bool::from_bool(true);
        let new = self.assuming(present.as_ref().unwrap_or(&always), |me| {
            me.update(&old, field_ty, rest, value, loc)
        })?;
        let updated = self.sorts.with_field(ty, base, k, &new);
        let updated = updated.ok_or_else(|| internal(loc, "field"))?;
        match present {
            Some(present) => ite(&present, &updated, base, loc),
            None => Ok(updated),
        }
    }

    /// `f[index]` for a function or sequence term `f`: its map read at `index`.
    fn map_read(&mut self, f: &Dynamic, ty: &Type, index: &Dynamic, loc: Loc) -> Result<Dynamic> {
        if let Some(read) = self.sorts.pointwise_read(ty, f, FnPart::Map, index) {
            return Ok(read);
        }
        let map = self.field_array(ty, f, 1, loc)?;
        select(&map, index, loc)
    }

    /// The function or sequence `f` with its map at `index` set to `value`.
    fn map_store(
        &mut self,
        f: &Dynamic,
        ty: &Type,
        index: &Dynamic,
        value: &Dynamic,
        loc: Loc,
    ) -> Result<Dynamic> {
        if let Some(stored) = self.sorts.pointwise_store(ty, f, index, value) {
            return Ok(stored);
        }
        let map = self.field_array(ty, f, 1, loc)?;
        let stored = map.store(index, value);
        let first = self
            .sorts
            .field(ty, f, 0)
            .ok_or_else(|| internal(loc, "function"))?;
        Ok(self.sorts.construct(ty, &[first, stored.into()]))
    }

    /// `index \in DOMAIN f` for a function or sequence term.
    pub(super) fn in_domain(
        &mut self,
        f: &Dynamic,
        ty: &Type,
        index: &Dynamic,
        loc: Loc,
    ) -> Result<Bool> {
        match ty {
            Type::Fn(..) => {
                let inside = match self.sorts.pointwise_read(ty, f, FnPart::Domain, index) {
                    Some(inside) => inside,
                    None => select(&self.field_array(ty, f, 0, loc)?, index, loc)?,
                };
                inside.as_bool().ok_or_else(|| internal(loc, "domain"))
            }
            Type::Seq(_) => {
                let len = self
                    .sorts
                    .field(ty, f, 0)
                    .and_then(|l| l.as_int())
                    .ok_or_else(|| internal(loc, "len"))?;
                // A sequence index as `index_term` gives it, or a value of type `Int`.
                let index = match index.as_int() {
                    Some(index) => index,
                    None => self.plain_int(index, loc)?,
                };
                Ok(index.ge(Int::from_i64(1)) & index.le(&len))
            }
            other => Err(internal(loc, format!("domain of type {other}"))),
        }
    }

    /// The term of `arg` as an index of the map of a function or sequence of type `ty`: a
    /// sequence's elements are indexed by plain integers.
    fn index_term(&mut self, ty: &Type, arg: &Expr) -> Result<Dynamic> {
        match ty {
            Type::Seq(_) => Ok(self.term_int(arg)?.into()),
            _ => self.term(arg),
        }
    }

    /// `[x \in S |-> body]` (several binders: a function of tuples).
    fn fn_cons(
        &mut self,
        expr: &Expr,
        binders: &[crate::ir::Binder],
        body: &Expr,
    ) -> Result<Dynamic> {
        let loc = expr.loc;
        let ty = self.ty(expr)?;
        let (domain_ty, range_ty) = match &ty {
            Type::Fn(a, b) => ((**a).clone(), (**b).clone()),
            Type::Seq(elem) => (Type::Int, (**elem).clone()),
            other => {
                return Err(internal(
                    loc,
                    format!("a function constructor of type {other}"),
                ))
            }
        };
        if let Type::Seq(_) = ty {
            return self.seq_cons(&ty, binders, body, &range_ty, loc);
        }
        let default = self.sorts.default_value(&range_ty);
        // A small domain of known elements: a chain of stores.
        if let [binder] = binders {
            if let Some(elements) = self.finite_elements(&binder.set)? {
                if elements.unguarded() && elements.items.len() <= EXPAND_AT_MOST {
                    let mut dom =
                        Array::const_array(&self.sorts.sort(&domain_ty), &Bool::from_bool(false));
                    let mut map = Array::const_array(&self.sorts.sort(&domain_ty), &default);
                    for (_, element) in elements.items {
                        let mark = self.bind(&binder.pattern, &element, &domain_ty, loc)?;
                        let value = self.term(body);
                        self.env.truncate(mark);
                        dom = dom.store(&element, &Bool::from_bool(true));
                        map = map.store(&element, &value?);
                    }
                    return Ok(self.sorts.construct(&ty, &[dom.into(), map.into()]));
                }
            }
        }
        // Otherwise: `dom = S`, `map = \lambda x. IF x \in S THEN body ELSE default`.
        let sort = self.sorts.sort(&domain_ty);
        let x = self.fresh_const("x", &sort);
        let (dom, map) = self.under_binder(&x, |me| {
            let mark = me.env.len();
            let mut member = Vec::new();
            if let [binder] = binders {
                member.push(me.member(&x, &binder.set, Polarity::Mixed)?);
                me.bind(&binder.pattern, &x, &domain_ty, loc)?;
            } else {
                for (i, binder) in binders.iter().enumerate() {
                    let part = me
                        .sorts
                        .field(&domain_ty, &x, i)
                        .ok_or_else(|| internal(loc, "tuple domain"))?;
                    member.push(me.member(&part, &binder.set, Polarity::Mixed)?);
                    let part_ty = match &domain_ty {
                        Type::Tuple(items) => items.get(i).cloned(),
                        _ => None,
                    };
                    let part_ty = part_ty.ok_or_else(|| internal(loc, "tuple domain"))?;
                    me.bind(&binder.pattern, &part, &part_ty, loc)?;
                }
            }
            let member = all(&member);
            let value = me.assuming(&member, |me| me.term(body));
            me.env.truncate(mark);
            let map = ite(&member, &value?, &default, loc)?;
            Ok((member, map))
        })?;
        // The domain of a function over one set is that set's own term (shared with other
        // occurrences of the set, where a lambda of its own would differ from them).
        let dom = match binders {
            [binder] => self.set_term(&binder.set)?,
            _ => z3::ast::lambda_const(&[&x], &dom.into()),
        };
        let map = z3::ast::lambda_const(&[&x], &map);
        Ok(self.sorts.construct(&ty, &[dom.into(), map.into()]))
    }

    /// `[i \in 1..n |-> body]` typed as a sequence.
    fn seq_cons(
        &mut self,
        ty: &Type,
        binders: &[crate::ir::Binder],
        body: &Expr,
        elem_ty: &Type,
        loc: Loc,
    ) -> Result<Dynamic> {
        let [binder] = binders else {
            return Err(unsupported(loc, "a sequence built over several binders"));
        };
        let ExprKind::Apply(Op::Range, bounds) = &*binder.set.kind else {
            return Err(unsupported(
                loc,
                "a sequence built over a set other than `1..n`",
            ));
        };
        if bounds.len() != 2 || literal_int(&bounds[0]) != Some(1) {
            return Err(unsupported(
                loc,
                "a sequence built over a set other than `1..n`",
            ));
        }
        let upper = self.term_int(&bounds[1])?;
        let len = upper.ge(Int::from_i64(0)).ite(&upper, &Int::from_i64(0));
        let default = self.sorts.default_value(elem_ty);
        let i = self.fresh_const("i", &Sort::int());
        let i_int = i.as_int().ok_or_else(|| internal(loc, "index"))?;
        let index = self.sorts.int(&i_int);
        let elems = self.under_binder(&i, |me| {
            let mark = me.bind(&binder.pattern, &index, &Type::Int, loc)?;
            let inside = i_int.ge(Int::from_i64(1)) & i_int.le(&len);
            let value = me.assuming(&inside, |me| me.term(body));
            me.env.truncate(mark);
            ite(&inside, &value?, &default, loc)
        })?;
        let elems = z3::ast::lambda_const(&[&i], &elems);
        Ok(self.sorts.construct(ty, &[len.into(), elems.into()]))
    }

    /// `CHOOSE x \in S : P`: an uninterpreted function of the free variables, the same for
    /// every occurrence of the same expression, with the axiom that makes it a choice.
    fn choose(&mut self, expr: &Expr, binder: &crate::ir::Binder, body: &Expr) -> Result<Dynamic> {
        let loc = expr.loc;
        let ty = self.ty(expr)?;
        let (key, free) = super::canon::canonical(expr);
        let mut args: Vec<Dynamic> = Vec::new();
        for var in &free {
            args.push(match var {
                super::canon::Free::Bound(id) => self
                    .env
                    .iter()
                    .rev()
                    .find(|(b, _)| b == id)
                    .map(|(_, t)| t.clone())
                    .ok_or_else(|| internal(loc, "unbound variable in CHOOSE"))?,
                super::canon::Free::Var(v) => self.term(&plain(ExprKind::Var(*v), loc))?,
                super::canon::Free::Primed(v) => self.term(&plain(ExprKind::Primed(*v), loc))?,
                super::canon::Free::Const(c) => self.constant(*c)?,
            });
        }
        let arg_sorts: Vec<Sort> = args.iter().map(|a| a.get_sort()).collect();
        let key = format!("{key} : {ty} : {arg_sorts:?}");
        let function = match self.chooses.get(&key) {
            Some(f) => f.clone(),
            None => {
                let name = format!("choose!{}", self.chooses.len());
                let sort_refs: Vec<&Sort> = arg_sorts.iter().collect();
                let f = std::rc::Rc::new(FuncDecl::new(name, &sort_refs, &self.sorts.sort(&ty)));
                self.chooses.insert(key, f.clone());
                f
            }
        };
        let arg_refs: Vec<&dyn Ast> = args.iter().map(|a| a as &dyn Ast).collect();
        // The function's value is any value of the sort: normalise it.
        let chosen = self.normal(&function.apply(&arg_refs), &ty);
        // Axiom: (\E x \in S : P(x)) => chosen \in S /\ P(chosen).
        let some = self.quantify(
            Quantifier::Exists,
            std::slice::from_ref(binder),
            Polarity::Mixed,
            &mut |me, _| me.formula(body, Polarity::Mixed),
        )?;
        // TLC stops with an error when no element satisfies the predicate.
        self.require(some.clone());
        // The axiom is the encoding's, not a formula TLC evaluates.
        let (member, satisfies) = self.unrecorded(|me| {
            let member = me.member(&chosen, &binder.set, Polarity::Mixed)?;
            let mark = me.bind(&binder.pattern, &chosen, &ty, loc)?;
            let satisfies = me.formula(body, Polarity::Mixed);
            me.env.truncate(mark);
            Ok::<_, Diagnostic>((member, satisfies?))
        })?;
        let axiom = some.implies(member & satisfies);
        if let Some(frame) = self.sides.last_mut() {
            frame.push(axiom);
        }
        Ok(chosen)
    }

    // ---- Literal values ----------------------------------------------------------------------

    /// A TLA+ value of type `ty` as a term.
    pub fn value_term(&mut self, value: &Value, ty: &Type, loc: Loc) -> Result<Dynamic> {
        let mismatch = || internal(loc, format!("the value {value} does not have type {ty}"));
        match (value, ty) {
            (Value::Bool(b), Type::Bool) => Ok(Bool::from_bool(*b).into()),
            (Value::Int(n), Type::Int) => Ok(self.sorts.int(&Int::from_i64(*n))),
            (Value::ModelValue(name), _) if self.sorts.is_mixed(ty) => {
                let model_value = self.sorts.model_value(name).ok_or_else(mismatch)?;
                Ok(self.sorts.mixed_model_value(ty, &model_value))
            }
            (Value::Str(s), Type::Str) => self.string(s, loc),
            (Value::ModelValue(name), Type::ModelValue) => {
                self.sorts.model_value(name).ok_or_else(mismatch)
            }
            (Value::Set(items), Type::Set(elem)) => Ok(self.literal_set(items, elem, loc)?.into()),
            (Value::Fn(map), Type::Fn(a, b)) => self.function_value(map, ty, a, b, loc),
            (Value::Fn(map), Type::Record(fields)) => {
                let mut given = BTreeMap::new();
                for (name, field_ty) in fields {
                    if let Some(item) = map.get(&Value::Str(name.clone())) {
                        given.insert(name.as_str(), self.value_term(item, field_ty, loc)?);
                    }
                }
                if map.len() != given.len() {
                    return Err(mismatch());
                }
                self.sorts.record(ty, &given).ok_or_else(mismatch)
            }
            (Value::Fn(_), Type::Tuple(items_ty)) => {
                let items = value
                    .as_sequence()
                    .filter(|items| items.len() == items_ty.len())
                    .ok_or_else(mismatch)?;
                let mut terms = Vec::new();
                for (item, item_ty) in items.iter().zip(items_ty) {
                    terms.push(self.value_term(item, item_ty, loc)?);
                }
                Ok(self.sorts.construct(ty, &terms))
            }
            (Value::Fn(_), Type::Seq(elem)) => {
                let items = value.as_sequence().ok_or_else(mismatch)?;
                let mut terms = Vec::new();
                for item in items {
                    terms.push(self.value_term(item, elem, loc)?);
                }
                self.tuple_like(ty, terms, loc)
            }
            _ => Err(mismatch()),
        }
    }

    /// The string `text` as a term.
    pub(super) fn string(&mut self, text: &str, loc: Loc) -> Result<Dynamic> {
        match self.sorts.string(text) {
            Some(term) => Ok(term),
            // Z3's strings hold no NUL; the enumeration holds every string the spec has.
            None if self.sorts.strings_enumerated() => Err(internal(
                loc,
                format!("the string {text:?} is not among the spec's strings"),
            )),
            None => Err(unsupported(loc, "a string with a NUL byte")),
        }
    }

    /// A function value: its domain as a literal set and its map as `store`s over a constant
    /// array (`literal_set`, `literal_map`), except over a range of integers too
    /// large to expand (`[i \in 0..N-1 |-> "idle"]`, once folded), whose domain is the range's
    /// lambda and, for a constant function, whose map is a lambda too, so neither grows with N.
    fn function_value(
        &mut self,
        map: &BTreeMap<Value, Value>,
        ty: &Type,
        domain_ty: &Type,
        range_ty: &Type,
        loc: Loc,
    ) -> Result<Dynamic> {
        let default = self.sorts.default_value(range_ty);
        let sort = self.sorts.sort(domain_ty);
        if let Some((lo, hi)) = large_int_range(map) {
            let (lo, hi) = (Int::from_i64(lo), Int::from_i64(hi));
            let dom = self.sorts.int_range(&lo, &hi);
            let array = match constant_item(map) {
                Some(item) => {
                    let item = self.value_term(item, range_ty, loc)?;
                    let i = Dynamic::new_const("i!range", &sort);
                    let inside = self.sorts.in_int_range(&i, &lo, &hi);
                    z3::ast::lambda_const(&[&i], &ite(&inside, &item, &default, loc)?)
                }
                None => self.literal_map(map, domain_ty, range_ty, loc)?,
            };
            return Ok(self.sorts.construct(ty, &[dom.into(), array.into()]));
        }
        let keys: std::collections::BTreeSet<Value> = map.keys().cloned().collect();
        let dom = self.literal_set(&keys, domain_ty, loc)?;
        let array = self.literal_map(map, domain_ty, range_ty, loc)?;
        Ok(self.sorts.construct(ty, &[dom.into(), array.into()]))
    }
}

/// `(lo, hi)` when the keys of `map` are exactly the integers `lo..hi`, more than are expanded.
fn large_int_range(map: &BTreeMap<Value, Value>) -> Option<(i64, i64)> {
    if map.len() <= EXPAND_AT_MOST {
        return None;
    }
    let (Some(Value::Int(lo)), Some(Value::Int(hi))) = (map.keys().next(), map.keys().last())
    else {
        return None;
    };
    // Keys are ordered and distinct: integers from lo to hi, as many as the range has.
    let all_ints = map.keys().all(|k| matches!(k, Value::Int(_)));
    let count = hi.checked_sub(*lo)?.checked_add(1)?;
    (all_ints && usize::try_from(count).ok() == Some(map.len())).then_some((*lo, *hi))
}

/// The one value every key of `map` maps to, if there is one.
fn constant_item(map: &BTreeMap<Value, Value>) -> Option<&Value> {
    let mut items = map.values();
    let first = items.next()?;
    items.all(|item| item == first).then_some(first)
}

/// `IF cond THEN a ELSE b` for terms of one sort.
pub(super) fn ite(cond: &Bool, a: &Dynamic, b: &Dynamic, loc: Loc) -> Result<Dynamic> {
    if a.get_sort() != b.get_sort() {
        return Err(internal(
            loc,
            format!("branches of sorts {} and {}", a.get_sort(), b.get_sort()),
        ));
    }
    Ok(cond.ite(a, b))
}

/// `a = b` for terms of one sort.
pub(super) fn equal(a: &Dynamic, b: &Dynamic, loc: Loc) -> Result<Bool> {
    a.safe_eq(b).map_err(|_| {
        internal(
            loc,
            format!("comparing sorts {} and {}", a.get_sort(), b.get_sort()),
        )
    })
}

/// `array[index]`, checking the index sort.
pub(super) fn select(array: &Array, index: &Dynamic, loc: Loc) -> Result<Dynamic> {
    match array.get_sort().array_domain() {
        Some(domain) if domain == index.get_sort() => Ok(array.select(index)),
        _ => Err(internal(
            loc,
            format!(
                "indexing an array of sort {} with a {}",
                array.get_sort(),
                index.get_sort()
            ),
        )),
    }
}

pub(super) fn literal_int(expr: &Expr) -> Option<i64> {
    match &*expr.kind {
        ExprKind::Lit(Value::Int(n)) => Some(*n),
        _ => None,
    }
}

fn plain(kind: ExprKind, loc: Loc) -> Expr {
    Expr {
        id: crate::ir::ExprId(usize::MAX),
        loc,
        kind: Box::new(kind),
    }
}

/// The conjunction of `parts` (`TRUE` for none: Z3 prints an empty `and` as invalid SMT-LIB).
pub fn all(parts: &[Bool]) -> Bool {
    match parts {
        [] => Bool::from_bool(true),
        [one] => one.clone(),
        _ => Bool::and(parts),
    }
}

/// The disjunction of `parts` (`FALSE` for none).
pub fn any(parts: &[Bool]) -> Bool {
    match parts {
        [] => Bool::from_bool(false),
        [one] => one.clone(),
        _ => Bool::or(parts),
    }
}

/// Two states (the values of every variable, as `Encoder::state` gives them) are the same
/// state. Values are normalised, so SMT equality is TLA+ equality.
pub fn same_state(a: &[Dynamic], b: &[Dynamic]) -> Bool {
    let equal: Vec<Bool> = a.iter().zip(b).map(|(x, y)| x.eq(y)).collect();
    all(&equal)
}
