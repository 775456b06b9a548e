//! Constant folding: every sub-expression that depends on no state variable, no symbolic
//! constant and no enclosing bound variable is computed once, here, and replaced by its value.
//!
//! TLC evaluates constant definitions once too. It matters: a config that replaces a constant
//! by `CHOOSE g \in [Node -> SUBSET Node] : …` would otherwise be recomputed at every use by the
//! explorer, and encoded as a search problem by the solver. Folding trusts this evaluator for
//! constant expressions only; everything that depends on the state is still computed by each
//! engine on its own. An expression whose evaluation fails (a `CHOOSE` with no witness in a
//! branch never taken, say) is left as it is, for the engines to treat in context.

use super::action::children;
use super::{eval, Ctx};
use crate::ir::{Binder, BoundId, Expr, ExprKind, Op, Pattern, RecursiveDef, Spec};
use crate::value::Value;
use std::collections::BTreeSet;

/// Values with more elements than this stay unfolded: a huge literal would cost the encoder
/// more than the expression it replaces.
const MAX_FOLDED_SIZE: usize = 10_000;

/// Replaces the constant sub-expressions of every formula of `spec` by their values.
pub fn fold_constants(spec: &mut Spec) {
    let (vars, constants) = (spec.vars.clone(), spec.constants.clone());
    let recursive = spec.recursive.clone();
    let no_state: Vec<Value> = Vec::new();
    let ctx = Ctx::from_parts(&vars, &constants, &no_state).with_recursive(&recursive);
    let folder = Folder::new(ctx, &recursive);
    folder.fold_root(&mut spec.init);
    for action in &mut spec.actions {
        for param in &mut action.params {
            folder.fold_root(&mut param.binder.set);
        }
        folder.fold_root(&mut action.body);
    }
    for named in spec.named_mut() {
        folder.fold_root(&mut named.expr);
    }
    for fairness in &mut spec.fairness {
        for binder in &mut fairness.binders {
            folder.fold_root(&mut binder.set);
        }
        folder.fold_root(&mut fairness.vars);
        folder.fold_root(&mut fairness.action);
    }
}

/// What a sub-expression depends on.
#[derive(Clone, Default, PartialEq)]
struct Dependencies {
    /// State variables, symbolic constants, or temporal/`ENABLED` structure.
    dynamic: bool,
    /// Bound variables used but not bound inside the sub-expression.
    free: BTreeSet<BoundId>,
}

impl Dependencies {
    fn constant(&self) -> bool {
        !self.dynamic && self.free.is_empty()
    }

    fn add(&mut self, other: Dependencies) {
        self.dynamic |= other.dynamic;
        self.free.extend(other.free);
    }
}

pub(super) struct Folder<'a> {
    ctx: Ctx<'a>,
    /// What the body of each recursive definition depends on, besides its parameters: a call
    /// with constant arguments is constant only when this is.
    recursive: Vec<Dependencies>,
}

/// What each recursive definition's body depends on, through the definitions it calls: the
/// least solution of the equations, found by iterating from "nothing".
fn recursive_dependencies(defs: &[RecursiveDef]) -> Vec<Dependencies> {
    let mut deps = vec![Dependencies::default(); defs.len()];
    loop {
        let next: Vec<Dependencies> = defs
            .iter()
            .map(|def| {
                let mut own = Dependencies::default();
                let mut bound = def.params.iter().copied().collect();
                // A call checks its arguments against the domain, so it reads that too.
                for part in def.domain.iter().flatten().chain([&def.body]) {
                    read_dependencies(part, &deps, &mut own, &mut bound);
                }
                own.free.retain(|id| !bound.contains(id));
                own
            })
            .collect();
        if next == deps {
            return deps;
        }
        deps = next;
    }
}

/// Adds what `expr` reads to `deps`, and the variables it binds to `bound` (ids are unique
/// per binder, so a variable bound anywhere inside is not free anywhere inside).
fn read_dependencies(
    expr: &Expr,
    recursive: &[Dependencies],
    deps: &mut Dependencies,
    bound: &mut BTreeSet<BoundId>,
) {
    use ExprKind::*;
    match &*expr.kind {
        Bound(id) => {
            deps.free.insert(*id);
        }
        Var(_) | Primed(_) | Const(_) | Enabled(_) | Always(_) | Eventually(_) | LeadsTo(..)
        | BoxAction(..) | AngleAction(..) | Fair(..) => deps.dynamic = true,
        Quant(_, binders, _) | FnCons(binders, _) | SetMap(_, binders) => {
            binders.iter().for_each(|b| bind(&b.pattern, bound))
        }
        Choose(binder, _) | SetFilter(binder, _) => bind(&binder.pattern, bound),
        RecCall(id, _) => {
            if let Some(callee) = recursive.get(id.0) {
                deps.add(callee.clone());
            }
        }
        _ => {}
    }
    for child in children(&expr.kind) {
        read_dependencies(child, recursive, deps, bound);
    }
}

fn bind(pattern: &Pattern, bound: &mut BTreeSet<BoundId>) {
    match pattern {
        Pattern::Var(id) => {
            bound.insert(*id);
        }
        Pattern::Tuple(ids) => bound.extend(ids.iter().copied()),
    }
}

impl<'a> Folder<'a> {
    /// A folder that evaluates in `ctx` (no state), calling `recursive`.
    pub(super) fn new(ctx: Ctx<'a>, recursive: &[RecursiveDef]) -> Folder<'a> {
        Folder {
            ctx,
            recursive: recursive_dependencies(recursive),
        }
    }

    /// Folds `expr`: itself when it is constant, otherwise its maximal constant parts.
    pub(super) fn fold_root(&self, expr: &mut Expr) {
        if self.fold(expr).constant() {
            self.replace(expr);
        }
    }

    /// Folds the maximal constant sub-expressions strictly inside `expr` and returns what
    /// `expr` itself depends on; the caller folds `expr` when it is constant and its own
    /// parent is not.
    fn fold(&self, expr: &mut Expr) -> Dependencies {
        use ExprKind::*;
        match &mut *expr.kind {
            Lit(_) | InfiniteSet(_) => Dependencies::default(),
            Bound(id) => Dependencies {
                dynamic: false,
                free: BTreeSet::from([*id]),
            },
            Var(_) | Primed(_) | Const(_) => Dependencies {
                dynamic: true,
                free: BTreeSet::new(),
            },
            Quant(_, binders, body) | FnCons(binders, body) | SetMap(body, binders) => {
                self.fold_binding(binders, std::slice::from_mut(body))
            }
            Choose(binder, body) | SetFilter(binder, body) => {
                self.fold_binding(std::slice::from_mut(binder), std::slice::from_mut(body))
            }
            kind => {
                let temporal = matches!(
                    kind,
                    Enabled(_)
                        | Always(_)
                        | Eventually(_)
                        | LeadsTo(..)
                        | BoxAction(..)
                        | AngleAction(..)
                        | Fair(..)
                );
                let mut own = Dependencies {
                    dynamic: temporal,
                    free: BTreeSet::new(),
                };
                if let RecCall(id, _) = kind {
                    own.add(self.recursive.get(id.0).cloned().unwrap_or_default());
                }
                let mut children = Vec::new();
                kind.for_each_child_mut(&mut |child| children.push(self.fold(child)));
                let all_constant = own.constant() && children.iter().all(Dependencies::constant);
                if !all_constant {
                    // A second walk, in the same order, replaces the constant children.
                    let mut index = 0;
                    kind.for_each_child_mut(&mut |child| {
                        if children[index].constant() {
                            self.replace(child);
                        }
                        index += 1;
                    });
                }
                for child in children {
                    own.add(child);
                }
                own
            }
        }
    }

    /// A binding construct: its binder sets and body; the variables it binds are not free in
    /// it.
    fn fold_binding(&self, binders: &mut [Binder], bodies: &mut [Expr]) -> Dependencies {
        let mut parts: Vec<(Dependencies, &mut Expr)> = Vec::new();
        let mut bound = BTreeSet::new();
        for binder in binders.iter_mut() {
            match &binder.pattern {
                Pattern::Var(id) => {
                    bound.insert(*id);
                }
                Pattern::Tuple(ids) => bound.extend(ids.iter().copied()),
            }
            let deps = self.fold(&mut binder.set);
            parts.push((deps, &mut binder.set));
        }
        for body in bodies.iter_mut() {
            let deps = self.fold(body);
            parts.push((deps, body));
        }
        let mut deps = Dependencies::default();
        for (part, _) in &parts {
            deps.dynamic |= part.dynamic;
            deps.free
                .extend(part.free.iter().filter(|id| !bound.contains(id)));
        }
        if !deps.constant() {
            for (part, expr) in parts {
                if part.constant() {
                    self.replace(expr);
                }
            }
        }
        deps
    }

    /// Whether `set` is `UNION {shape : x \in S}` with more than `ENUMERATED_UNION_AT_MOST`
    /// members.
    fn is_large_union_of_shapes(&self, set: &Expr) -> bool {
        let ExprKind::Apply(Op::BigUnion, families) = &*set.kind else {
            return false;
        };
        families.iter().all(is_family_of_shapes)
            && match eval(set, &self.ctx) {
                Ok(Value::Set(members)) => members.len() > ENUMERATED_UNION_AT_MOST,
                _ => true,
            }
    }

    /// Replaces a constant expression by its value, when it evaluates and is not too big.
    ///
    /// Sets that describe a shape — `[S -> T]`, `[a : S]`, `S \X T`, `SUBSET S`, `Seq(S)`,
    /// `a..b` — stay as written, with their parts folded: the encoder turns `x \in [S -> T]`
    /// into a few constraints on `x` where the enumerated set would be a disjunction over
    /// every function (measured: it made a two-client lock's `TypeOK` cost seconds per depth
    /// instead of microseconds), turns `x \in 1..N` into two comparisons, and recognises the
    /// domain of a sequence by its `1..N`.
    fn replace(&self, expr: &mut Expr) {
        use ExprKind::*;
        let large_union_of_shapes = self.is_large_union_of_shapes(expr);
        match &mut *expr.kind {
            Lit(_) | InfiniteSet(_) => return,
            kind @ (FnSet(..)
            | RecordSet(_)
            | Times(_)
            | Apply(Op::Powerset | Op::SeqSet | Op::Range, _)) => {
                // Keep the shape, but fold what it is built from: `[NodeSet -> 0..Max]`.
                kind.for_each_child_mut(&mut |child| self.replace(child));
                return;
            }
            // A large union of shapes, `UNION {[1..n -> S] : n \in 0..Max}` (TLC's idiom for
            // a bounded `Seq(S)`): the encoder reads membership in it as `\E n : x \in
            // [1..n -> S]`, where the enumerated set would be one equation per sequence
            // (MCFindHighest's 781 sequences: 5.5 s per depth, against 0.03 s). A small one
            // is enumerated: its equations pin the variable, where with the shape Z3 could
            // not build the model of a counterexample that starts from such a sequence.
            Apply(Op::BigUnion, args) if large_union_of_shapes => {
                for family in args {
                    family
                        .kind
                        .for_each_child_mut(&mut |child| self.replace(child));
                }
                return;
            }
            _ => {}
        }
        if let Ok(value) = eval(expr, &self.ctx) {
            if size(&value, MAX_FOLDED_SIZE + 1) <= MAX_FOLDED_SIZE {
                *expr.kind = ExprKind::Lit(value);
            }
        }
    }
}

/// Unions of shapes with at most this many members are enumerated (see `Folder::replace`).
const ENUMERATED_UNION_AT_MOST: usize = 128;

/// Whether `family` is `{shape : x \in S}`, a set of the sets `replace` keeps as written.
fn is_family_of_shapes(family: &Expr) -> bool {
    let ExprKind::SetMap(body, _) = &*family.kind else {
        return false;
    };
    matches!(
        &*body.kind,
        ExprKind::FnSet(..)
            | ExprKind::RecordSet(_)
            | ExprKind::Times(_)
            | ExprKind::Apply(Op::Powerset | Op::SeqSet, _)
    )
}

/// The number of values inside `value` (itself included), counted up to `limit`.
fn size(value: &Value, limit: usize) -> usize {
    let mut count = 1;
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        if count >= limit {
            break;
        }
        match v {
            Value::Set(items) => {
                count += items.len();
                stack.extend(items);
            }
            Value::Fn(map) => {
                count += 2 * map.len();
                for (k, x) in map {
                    stack.push(k);
                    stack.push(x);
                }
            }
            _ => {}
        }
    }
    count
}
