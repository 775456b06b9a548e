//! `ENABLED A`: some values of A's parameters and some next state make A true.
//!
//! The result may be negated (a deadlock check asks for a state in which no action is
//! enabled), so nothing in it may be Skolemized: what cannot be eliminated is bound by a Z3
//! `exists`. Quantifiers make Z3 slow and, with arrays, incomplete, so as much as possible is
//! eliminated first:
//!
//! * parameters over small finite sets are expanded into a disjunction;
//! * the body is split into *branches*, the disjuncts of its top-level `\/`, `IF`, `CASE` and
//!   `[A]_v` over primed variables (`ENABLED (A \/ B)` is `ENABLED A \/ ENABLED B`; the
//!   stuttering side of `[A]_v` is the branch `v' = v`);
//! * a conjunct `\E x \in S : B` of a branch, `S` finite, is a disjunction over `S` of the
//!   branch with `B` in its place (split in turn), wherever the `\E` sits under `\/` and `/\`;
//! * in each branch, a conjunct `x' = e` is solved by substituting `e` for `x'` (in rounds: `e`
//!   may mention primed variables solved before), and `x' \in S` over a small finite `S` by a
//!   disjunction over `S`'s elements.
//!
//! Only the primed variables left over, and the Skolem constants of the body's own `\E`, are
//! bound by an `exists`; a branch that assigns every variable needs none.

use super::encode::{all, any, Encoder, Polarity, Result, EXPAND_AT_MOST, EXPANSION_LIMIT};
use crate::ir::rewrite::unchanged;
use crate::ir::{Action, Binder, Expr, ExprKind, Op, Quantifier, VarId};
use crate::types::Type;
use z3::ast::{Ast, Bool, Dynamic};

/// The most combinations of next-state values one branch enumerates.
const ENABLED_CHOICES: usize = 64;

/// The most branches an action body is split into; beyond that it stays one branch.
const MAX_BRANCHES: usize = 64;

/// A conjunct of a branch: a formula that holds, or (the other side of an `IF` or `CASE`
/// guard) one that does not, or `v' = v` for the `v` of a `[A]_v` (the stuttering side).
#[derive(Clone, Copy)]
enum Piece<'e> {
    Holds(&'e Expr),
    Fails(&'e Expr),
    /// `vars' = vars`; `typed_as` is the `[A]_v` it comes from, a boolean node.
    Unchanged {
        vars: &'e Expr,
        typed_as: &'e Expr,
    },
}

/// One disjunct of an action body, as a list of conjuncts.
type Branch<'e> = Vec<Piece<'e>>;

impl Encoder<'_> {
    /// `ENABLED action` at `step` (see the module comment).
    pub fn enabled(&mut self, action: &Action, step: usize) -> Result<Bool> {
        let result = self.at_top_level(step, |me| {
            me.enabled_frame(|me| me.enabled_params(action, 0))
        });
        self.env.clear();
        result
    }

    /// `ENABLED action` inside a formula being encoded (an invariant `~ENABLED Next <=>
    /// Done`, a guard `~ENABLED EnterElevator(e)`): at the current step, with the bound
    /// variables in scope, the primes of `action` its own. Its partial operations are not
    /// recorded for definedness, since their obligations would mention the next state its
    /// `exists` binds: for an action of `Next` (every `ENABLED` of the corpus) the engines
    /// check them on the steps from the same state; for another action an evaluation error
    /// inside `ENABLED` goes unreported.
    pub(super) fn enabled_within(&mut self, action: &Expr) -> Result<Bool> {
        self.unrecorded(|me| me.enabled_frame(|me| me.enabled_body(action)))
    }

    /// Runs `encode`, an `ENABLED`, in a frame of its own: no equation pins a raw state
    /// constant (the result may be negated), primed variables are the next state's until a
    /// branch solves them, and the constants its `exists` binds are collected afresh.
    fn enabled_frame(&mut self, encode: impl FnOnce(&mut Self) -> Result<Bool>) -> Result<Bool> {
        let outer_pin_raw = std::mem::replace(&mut self.pin_raw, false);
        let outer_next = self.next_override.take();
        let outer_bound = std::mem::take(&mut self.enabled_bound);
        self.sides.push(Vec::new());
        let enabled = encode(self);
        // Axioms are asserted, not assumed: they must stay outside the `exists` (which
        // a deadlock check negates), closed over the constants it binds.
        let sides = self.sides.pop().unwrap_or_default();
        let bound = std::mem::replace(&mut self.enabled_bound, outer_bound);
        let bound: Vec<&dyn Ast> = bound.iter().map(|t| t as &dyn Ast).collect();
        let closed = sides.iter().map(|s| z3::ast::forall_const(&bound, &[], s));
        if let Some(frame) = self.sides.last_mut() {
            frame.extend(closed);
        }
        self.next_override = outer_next;
        self.pin_raw = outer_pin_raw;
        enabled
    }

    fn enabled_params(&mut self, action: &Action, index: usize) -> Result<Bool> {
        let Some(param) = action.params.get(index) else {
            return self.enabled_body(&action.body);
        };
        let elem_ty = self.elem_type(&param.binder.set)?;
        let elements = self.finite_elements(&param.binder.set)?;
        if let Some(elements) = elements.filter(|e| e.items.len() <= EXPAND_AT_MOST) {
            let mut options = Vec::new();
            for (guard, element) in elements.items {
                options.push(guard & self.enabled_param_is(action, index, &element, &elem_ty)?);
            }
            return Ok(any(&options));
        }
        // `\E p \in S : A(p)`, preceded by its instances at the state's own values of p's type
        // (equivalent, as each instance implies the `\E`). A deadlock check negates this, and
        // the witness that some action is enabled is usually such a value (the node holding
        // the token); spelled out, Z3 need not guess it to instantiate the negated `\E`.
        let mut options = Vec::new();
        let candidates = self.state_values_of_type(&elem_ty);
        for candidate in candidates.iter().map(Some).chain([None]) {
            options.push(self.enabled_closed(|me| {
                let value = match candidate {
                    Some(value) => value.clone(),
                    None => me.fresh_skolem(&param.name, &elem_ty),
                };
                let member = me.member(&value, &param.binder.set, Polarity::Pos)?;
                Ok(member & me.enabled_param_is(action, index, &value, &elem_ty)?)
            })?);
        }
        Ok(any(&options))
    }

    /// `ENABLED` of the action with its parameter `index` bound to `value`.
    fn enabled_param_is(
        &mut self,
        action: &Action,
        index: usize,
        value: &Dynamic,
        ty: &Type,
    ) -> Result<Bool> {
        let Some(param) = action.params.get(index) else {
            return self.enabled_body(&action.body);
        };
        let mark = self.bind(&param.binder.pattern, value, ty, param.binder.set.loc)?;
        let rest = self.enabled_params(action, index + 1);
        self.env.truncate(mark);
        rest
    }

    /// The formula `encode` builds, with the Skolem constants it creates bound by an `exists`.
    fn enabled_closed(&mut self, encode: impl FnOnce(&mut Self) -> Result<Bool>) -> Result<Bool> {
        let start = self.skolems.len();
        let formula = encode(self)?;
        let skolems: Vec<Dynamic> = self.skolems.drain(start..).collect();
        if skolems.is_empty() {
            return Ok(formula);
        }
        self.enabled_bound.extend(skolems.iter().cloned());
        let bound: Vec<&dyn Ast> = skolems.iter().map(|t| t as &dyn Ast).collect();
        Ok(z3::ast::exists_const(&bound, &[], &formula))
    }

    /// The values of the state variables of type `ty` at the current step.
    fn state_values_of_type(&mut self, ty: &Type) -> Vec<Dynamic> {
        let types = self.types;
        let state = self.state(self.step);
        state
            .into_iter()
            .zip(&types.vars)
            .filter(|(_, var_ty)| *var_ty == ty)
            .map(|(value, _)| value)
            .collect()
    }

    /// The body, its parameters bound: the disjunction over its branches.
    fn enabled_body(&mut self, body: &Expr) -> Result<Bool> {
        let mut options = Vec::new();
        for branch in branches(body) {
            options.push(self.enabled_branch(&branch)?);
        }
        Ok(any(&options))
    }

    /// A branch with a conjunct `\E binders : inner` that mentions primed variables: that
    /// conjunct replaced by the branches of `inner`, for each combination of values of the
    /// binders (a disjunction); `None` when a set is not finite or there would be more than
    /// `budget` combinations. Spelled out, the `x' = e` inside `inner` can be solved (left to
    /// a Z3 `exists`, the next state is quantified, and a negated `ENABLED` is a `forall` Z3
    /// may give up on).
    fn enabled_witnesses<'e>(
        &mut self,
        branch: &[Piece<'e>],
        index: usize,
        binders: &'e [Binder],
        inner: &'e Expr,
        budget: usize,
    ) -> Result<Option<Bool>> {
        let Some((first, rest)) = binders.split_first() else {
            let mut options = Vec::new();
            for sub in branches(inner) {
                let mut expanded = branch.to_vec();
                expanded.splice(index..=index, sub);
                options.push(self.enabled_branch(&expanded)?);
            }
            return Ok(Some(any(&options)));
        };
        let Some(elements) = self.finite_elements(&first.set)? else {
            return Ok(None);
        };
        let count = elements.items.len();
        if count > budget {
            return Ok(None);
        }
        let elem_ty = self.elem_type(&first.set)?;
        let mut options = Vec::new();
        for (guard, element) in elements.items {
            let mark = self.bind(&first.pattern, &element, &elem_ty, first.set.loc)?;
            let rest = self.enabled_witnesses(branch, index, rest, inner, budget / count.max(1));
            self.env.truncate(mark);
            match rest? {
                Some(option) => options.push(guard & option),
                None => return Ok(None),
            }
        }
        Ok(Some(any(&options)))
    }

    /// One branch: expand an `\E` among its conjuncts, or else solve what its conjuncts
    /// determine, then enumerate finite choices.
    fn enabled_branch(&mut self, branch: &[Piece<'_>]) -> Result<Bool> {
        for (index, piece) in branch.iter().enumerate() {
            let Piece::Holds(expr) = piece else { continue };
            let ExprKind::Quant(Quantifier::Exists, binders, inner) = &*expr.kind else {
                continue;
            };
            if primed_vars(expr).is_empty() {
                continue;
            }
            let expanded =
                self.enabled_witnesses(branch, index, binders, inner, EXPANSION_LIMIT)?;
            if let Some(expanded) = expanded {
                return Ok(expanded);
            }
        }
        let assignments: Vec<(usize, Assignment<'_>)> = branch
            .iter()
            .flat_map(|piece| match piece {
                Piece::Holds(expr) => top_level_assignments(expr),
                Piece::Fails(_) => Vec::new(),
                Piece::Unchanged { vars, .. } => unchanged_assignments(vars),
            })
            .collect();
        let mut next: Vec<Option<Dynamic>> = vec![None; self.spec.vars.len()];
        let mut choices: Vec<(usize, Vec<(Bool, Dynamic)>)> = Vec::new();
        let mut combinations = 1usize;
        let mut progress = true;
        while progress {
            progress = false;
            for (v, assignment) in &assignments {
                let decided =
                    next.get(*v).is_none_or(Option::is_some) || choices.iter().any(|(c, _)| c == v);
                if decided {
                    continue;
                }
                match assignment {
                    Assignment::Equal(value)
                        if primed_vars(value).iter().all(|p| solved(&next, *p)) =>
                    {
                        next[*v] = Some(self.term_with_next(value, &next)?);
                        progress = true;
                    }
                    Assignment::Member(set) if primed_vars(set).is_empty() => {
                        let Some(elements) = self.finite_elements(set)? else {
                            continue;
                        };
                        let size = elements.items.len().max(1);
                        if combinations.saturating_mul(size) <= ENABLED_CHOICES {
                            combinations *= size;
                            choices.push((*v, elements.items));
                            progress = true;
                        }
                    }
                    _ => {}
                }
            }
        }
        self.enabled_choices(branch, &mut next, &choices)
    }

    /// `value` with the primed variables replaced by their solutions.
    fn term_with_next(&mut self, value: &Expr, next: &[Option<Dynamic>]) -> Result<Dynamic> {
        self.next_override = Some(next.to_vec());
        let term = self.term(value);
        self.next_override = None;
        term
    }

    /// `\/` over the values of the next-state variables chosen from finite sets.
    fn enabled_choices(
        &mut self,
        branch: &[Piece<'_>],
        next: &mut Vec<Option<Dynamic>>,
        choices: &[(usize, Vec<(Bool, Dynamic)>)],
    ) -> Result<Bool> {
        let Some(((v, elements), rest)) = choices.split_first() else {
            return self.enabled_leaf(branch, next);
        };
        let mut options = Vec::new();
        for (guard, element) in elements {
            next[*v] = Some(element.clone());
            let inner = self.enabled_choices(branch, next, rest);
            next[*v] = None;
            options.push(guard.clone() & inner?);
        }
        Ok(any(&options))
    }

    /// `\E` the remaining next-state variables and Skolem constants: the branch's conjuncts.
    fn enabled_leaf(&mut self, branch: &[Piece<'_>], next: &[Option<Dynamic>]) -> Result<Bool> {
        let start = self.skolems.len();
        let mut unsolved = Vec::new();
        let mut terms = Vec::new();
        for (v, solved) in next.iter().enumerate() {
            let term = match solved {
                Some(term) => term.clone(),
                None => {
                    let name = format!("{}'", self.spec.vars[v].name);
                    let (raw, value) = self.fresh_value(&name, &self.types.vars[v]);
                    unsolved.push(raw);
                    value
                }
            };
            terms.push(Some(term));
        }
        self.next_override = Some(terms);
        let body = self.pieces(branch);
        self.next_override = None;
        let mut bound = unsolved;
        bound.extend(self.skolems.drain(start..));
        let body = body?;
        if bound.is_empty() {
            return Ok(body);
        }
        self.enabled_bound.extend(bound.iter().cloned());
        let bound: Vec<&dyn Ast> = bound.iter().map(|t| t as &dyn Ast).collect();
        Ok(z3::ast::exists_const(&bound, &[], &body))
    }

    fn pieces(&mut self, branch: &[Piece<'_>]) -> Result<Bool> {
        let mut parts = Vec::new();
        for piece in branch {
            parts.push(match piece {
                Piece::Holds(expr) => self.formula(expr, Polarity::Pos)?,
                Piece::Fails(expr) => self.formula(expr, Polarity::Neg)?.not(),
                Piece::Unchanged { vars, typed_as } => {
                    self.formula(&unchanged(vars, typed_as), Polarity::Pos)?
                }
            });
        }
        Ok(all(&parts))
    }
}

fn solved(next: &[Option<Dynamic>], v: usize) -> bool {
    next.get(v).is_some_and(Option::is_some)
}

/// The branches of an action body: the disjuncts of its `\/`, `IF` and `CASE` over primed
/// variables, distributed over `/\`. A body that would split into too many stays whole.
fn branches(body: &Expr) -> Vec<Branch<'_>> {
    split(body).unwrap_or_else(|| vec![vec![Piece::Holds(body)]])
}

/// `None` when there would be more than `MAX_BRANCHES`.
fn split(expr: &Expr) -> Option<Vec<Branch<'_>>> {
    let whole = || Some(vec![vec![Piece::Holds(expr)]]);
    if primed_vars(expr).is_empty() {
        return whole();
    }
    let branches = match &*expr.kind {
        ExprKind::Apply(Op::And, conjuncts) => {
            let mut product: Vec<Branch<'_>> = vec![Vec::new()];
            for conjunct in conjuncts {
                product = cross(&product, &split(conjunct)?)?;
            }
            product
        }
        ExprKind::Apply(Op::Or, disjuncts) => {
            let mut union = Vec::new();
            for disjunct in disjuncts {
                union.extend(split(disjunct)?);
            }
            union
        }
        ExprKind::If(cond, then, other) => {
            let mut union = cross(&[vec![Piece::Holds(cond)]], &split(then)?)?;
            union.extend(cross(&[vec![Piece::Fails(cond)]], &split(other)?)?);
            union
        }
        // `[A]_v` is `A \/ v' = v`: the stuttering side solves `v'` (an action's
        // `[Next]_vars` conjunct would otherwise leave every variable to an `exists`).
        ExprKind::BoxAction(action, vars) => {
            let mut union = split(action)?;
            union.push(vec![Piece::Unchanged {
                vars,
                typed_as: expr,
            }]);
            union
        }
        ExprKind::Case(arms, other) => {
            // Arm i: guards before it fail, its guard holds (TLA+ picks some true guard; the
            // encoding of CASE picks the first, and so do these branches).
            let mut union = Vec::new();
            let mut earlier: Branch<'_> = Vec::new();
            for (guard, value) in arms {
                let mut prefix = earlier.clone();
                prefix.push(Piece::Holds(guard));
                union.extend(cross(&[prefix], &split(value)?)?);
                earlier.push(Piece::Fails(guard));
            }
            if let Some(other) = other {
                union.extend(cross(&[earlier], &split(other)?)?);
            }
            union
        }
        _ => return whole(),
    };
    (branches.len() <= MAX_BRANCHES).then_some(branches)
}

/// Every branch of `a` followed by every branch of `b`.
fn cross<'e>(a: &[Branch<'e>], b: &[Branch<'e>]) -> Option<Vec<Branch<'e>>> {
    if a.len().saturating_mul(b.len()) > MAX_BRANCHES {
        return None;
    }
    let mut out = Vec::new();
    for left in a {
        for right in b {
            let mut branch = left.clone();
            branch.extend(right.iter().copied());
            out.push(branch);
        }
    }
    Some(out)
}

/// A top-level conjunct of an action that determines a primed variable.
enum Assignment<'e> {
    /// `x' = e`
    Equal(&'e Expr),
    /// `x' \in S`
    Member(&'e Expr),
}

/// The conjuncts `x' = e` and `x' \in S` at the top of an action's conjunction.
fn top_level_assignments(body: &Expr) -> Vec<(usize, Assignment<'_>)> {
    let primed = |e: &Expr| match &*e.kind {
        ExprKind::Primed(VarId(v)) => Some(*v),
        _ => None,
    };
    match &*body.kind {
        ExprKind::Apply(Op::And, conjuncts) => {
            conjuncts.iter().flat_map(top_level_assignments).collect()
        }
        ExprKind::Apply(Op::Eq, args) if args.len() == 2 => match primed(&args[0]) {
            Some(v) => vec![(v, Assignment::Equal(&args[1]))],
            None => Vec::new(),
        },
        ExprKind::Apply(Op::In, args) if args.len() == 2 => match primed(&args[0]) {
            Some(v) => vec![(v, Assignment::Member(&args[1]))],
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// `x' = x` for each state variable `x` of `vars` (a variable or a tuple of them): what the
/// stuttering side of `[A]_vars` assigns.
fn unchanged_assignments(vars: &Expr) -> Vec<(usize, Assignment<'_>)> {
    match &*vars.kind {
        ExprKind::Var(VarId(v)) => vec![(*v, Assignment::Equal(vars))],
        ExprKind::Tuple(items) => items.iter().flat_map(unchanged_assignments).collect(),
        _ => Vec::new(),
    }
}

/// The primed variables an expression mentions (not those of an `ENABLED` inside it, which
/// are its own).
fn primed_vars(expr: &Expr) -> Vec<usize> {
    fn walk(expr: &mut Expr, found: &mut Vec<usize>) {
        match &*expr.kind {
            ExprKind::Primed(VarId(v)) if !found.contains(v) => found.push(*v),
            ExprKind::Enabled(_) => return,
            _ => {}
        }
        expr.kind
            .for_each_child_mut(&mut |child| walk(child, found));
    }
    let mut found = Vec::new();
    walk(&mut expr.clone(), &mut found);
    found
}
