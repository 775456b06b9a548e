//! Unrolling the calls of recursive definitions, a pass after folding.
//!
//! The SMT encoding has no recursion. Folding computes the calls that depend on nothing but
//! constants; this pass replaces most of the others by the expressions they unroll to, when
//! the recursion runs over values known now:
//!
//! * A call whose arguments are constant (`Sum(counter, Node)`, where only the body reads the
//!   state) is the definition's body with the parameters replaced by the arguments' values,
//!   folded — so `CHOOSE x \in s : TRUE` and `s \ {x}` become the values TLC computes — with
//!   its own calls unrolled in turn. The unrolling follows TLC's evaluation step by step, so
//!   it ends where TLC's does, its depth bounded by the size of the set it recurses over.
//! * A call whose arguments are drawn from a small known set of values is a case split, `IF
//!   a = v1 THEN f[v1] ELSE IF … ELSE f[vn]`, each branch unrolled as above. The known sets:
//!   the set a bound variable ranges over (`\E c \in -1..(b-1) : … SA[c]`), the subsets of the
//!   constant set a filter draws from (`Sum(counter, {i \in Node : i > token.pos})`), and the
//!   constant domain of a recursive function (`fact[pos]` for `fact[k \in 0..5]`). When the
//!   argument may lie outside that domain, the call is the application of the function of the
//!   cases, `[k \in {v1, …} |-> IF k = v1 THEN f[v1] ELSE …][a]`, which is what a recursive
//!   function is: outside its domain, an error as for any function.
//! * A call whose arguments read bound variables that range over small known sets (`Sum(f,
//!   {<<p[1] + x, p[2] + y>> : <<x, y>> \in nbrs})` for `p \in Pos`) is first split on those.
//!
//! A call that is not covered, or whose unrolling would exceed `MAX_INSTANCES` or
//! `MAX_DEPTH`, stays a call, which the evaluator computes and the encoder reports as
//! unsupported. Like folding, the pass rewrites the spec that every engine reads, so replay
//! does not check it: an unrolled call means what the call means (the evaluator computes every
//! case of an application form where TLC computes the one applied, which differs only when
//! another case fails to evaluate).

use super::eval::eval;
use super::fold::Folder;
use super::Ctx;
use crate::ir::{
    Binder, BoundId, Expr, ExprId, ExprKind, Loc, Op, Pattern, RecId, RecursiveDef, Spec,
};
use crate::types::{Type, Types};
use crate::value::Value;
use std::collections::{BTreeSet, HashMap};

/// More unrolled calls than this in one spec: a recursion too deep or too wide to encode.
const MAX_INSTANCES: usize = 4096;

/// Calls nested deeper than this stay calls: the pass recurses on the stack, which is small
/// on threads other than the command line's (tests compile specs on theirs). Recursion over a
/// set nests one call per element.
const MAX_DEPTH: usize = 32;

/// The most branches of one case split.
const MAX_CASES: usize = 64;

/// The largest constant set whose subsets a filtered argument is split into.
const MAX_SUBSET_BASE: usize = 6;

/// Replaces the calls of recursive definitions in every formula of `spec` by their unrolling,
/// where there is one; the new nodes get their types in `types`.
pub fn unroll_recursion(spec: &mut Spec, types: &mut Types) {
    // New nodes are numbered after the existing ones, each typed as it is made.
    if spec.recursive.is_empty() || types.exprs.len() != spec.expr_count {
        return;
    }
    let (vars, constants) = (spec.vars.clone(), spec.constants.clone());
    let recursive = spec.recursive.clone();
    let no_state: Vec<Value> = Vec::new();
    let ctx = Ctx::from_parts(&vars, &constants, &no_state).with_recursive(&recursive);
    let mut unroller = Unroller {
        folder: Folder::new(ctx.clone(), &recursive),
        ctx,
        defs: &recursive,
        types,
        domains: HashMap::new(),
        instances: 0,
    };
    unroller.spec(spec);
    spec.expr_count = unroller.types.exprs.len();
}

/// The bound variables in scope, innermost last, with the sets they range over.
type Scope = Vec<(BoundId, Expr)>;

/// What a parameter stands for in one instance of a definition.
#[derive(Clone)]
enum Actual {
    Value(Value),
    /// The argument expression itself, when it has no value now (a state variable passed
    /// through the recursion unchanged, such as `f` in `Sum(f, S)`).
    Expr(Expr),
}

struct Unroller<'a> {
    folder: Folder<'a>,
    ctx: Ctx<'a>,
    defs: &'a [RecursiveDef],
    types: &'a mut Types,
    /// The domain of each recursive function, one set per parameter when it is constant.
    domains: HashMap<RecId, Vec<Option<BTreeSet<Value>>>>,
    /// How many calls have been unrolled.
    instances: usize,
}

impl Unroller<'_> {
    fn spec(&mut self, spec: &mut Spec) {
        let mut scope = Scope::new();
        self.walk(&mut spec.init, &mut scope, 0);
        for action in &mut spec.actions {
            for param in &mut action.params {
                self.walk(&mut param.binder.set, &mut scope, 0);
                bind(&mut scope, &param.binder);
            }
            self.walk(&mut action.body, &mut scope, 0);
            scope.clear();
        }
        for named in spec.named_mut() {
            self.walk(&mut named.expr, &mut scope, 0);
        }
        for fairness in &mut spec.fairness {
            for binder in &mut fairness.binders {
                self.walk(&mut binder.set, &mut scope, 0);
                bind(&mut scope, binder);
            }
            self.walk(&mut fairness.vars, &mut scope, 0);
            self.walk(&mut fairness.action, &mut scope, 0);
            scope.clear();
        }
    }

    /// Unrolls the calls inside `expr`, innermost first, then `expr` itself if it is one.
    /// `depth` counts the unrolled calls around `expr`.
    fn walk(&mut self, expr: &mut Expr, scope: &mut Scope, depth: usize) {
        prune(expr);
        match &mut *expr.kind {
            ExprKind::Quant(_, binders, body)
            | ExprKind::FnCons(binders, body)
            | ExprKind::SetMap(body, binders) => self.walk_binding(binders, body, scope, depth),
            ExprKind::Choose(binder, body) | ExprKind::SetFilter(binder, body) => {
                self.walk_binding(std::slice::from_mut(binder), body, scope, depth)
            }
            kind => kind.for_each_child_mut(&mut |child| self.walk(child, scope, depth)),
        }
        if let ExprKind::RecCall(id, args) = &*expr.kind {
            if let Some(unrolled) = self.call(*id, args, expr, scope, depth) {
                *expr = unrolled;
            }
        }
    }

    fn walk_binding(
        &mut self,
        binders: &mut [Binder],
        body: &mut Expr,
        scope: &mut Scope,
        depth: usize,
    ) {
        let mark = scope.len();
        for binder in binders.iter_mut() {
            self.walk(&mut binder.set, scope, depth);
        }
        for binder in binders.iter() {
            bind(scope, binder);
        }
        self.walk(body, scope, depth);
        scope.truncate(mark);
    }

    /// The unrolling of `call`, a call of definition `id` with `args`: one instance for
    /// constant arguments, a case split over the values the others may take.
    fn call(
        &mut self,
        id: RecId,
        args: &[Expr],
        call: &Expr,
        scope: &mut Scope,
        depth: usize,
    ) -> Option<Expr> {
        if let Some(split) = self.split_on_variables(id, args, call, scope, depth) {
            return Some(split);
        }
        let domain = self.domain(id);
        let mut choices = Vec::new();
        let mut may_leave_domain = false;
        for (index, arg) in args.iter().enumerate() {
            let within = domain.get(index).and_then(Option::as_ref);
            let (actuals, exhaustive) = self.actuals(id, arg, within, scope)?;
            may_leave_domain |= !exhaustive;
            choices.push(actuals);
        }
        // The recursion is driven by the arguments that have values; with none, nothing
        // would decide when it stops.
        let by_name = |choice: &Vec<Actual>| matches!(choice.as_slice(), [Actual::Expr(_)]);
        if choices.iter().all(by_name) {
            return None;
        }
        let mut branches = Vec::new();
        for values in cases(&choices)? {
            let instance = self.instance(id, &values, scope, depth)?;
            branches.push((values, instance));
        }
        match args {
            [arg] if may_leave_domain => self.application(id, arg, branches, call),
            _ if may_leave_domain => None,
            _ => self.chain(branches, args, call),
        }
    }

    /// `f[arg]` for a recursive function `f` of one parameter, as the application of the
    /// function of its `branches`, `[p \in {v1, …} |-> IF p = v1 THEN f[v1] ELSE …][arg]`: an
    /// argument outside the domain is then what it is for any function, an error to the
    /// evaluator (as to TLC) and an unspecified value to the encoder.
    fn application(
        &mut self,
        id: RecId,
        arg: &Expr,
        branches: Vec<(Vec<Actual>, Expr)>,
        call: &Expr,
    ) -> Option<Expr> {
        let param = match self.defs.get(id.0)?.params.as_slice() {
            [param] => *param,
            _ => return None,
        };
        let mut domain = BTreeSet::new();
        for (values, _) in &branches {
            match values.as_slice() {
                [Actual::Value(value)] => domain.insert(value.clone()),
                _ => return None,
            };
        }
        let (loc, param_ty) = (call.loc, self.types.bounds.get(param.0)?.clone());
        let result_ty = self.types.exprs.get(call.id.0)?.clone();
        let subject = self.node(ExprKind::Bound(param), param_ty.clone(), loc);
        let table = self.chain(branches, &[subject], call)?;
        let set_ty = Type::Set(Box::new(param_ty.clone()));
        let set = self.node(ExprKind::Lit(Value::Set(domain)), set_ty, loc);
        let binder = Binder {
            pattern: Pattern::Var(param),
            set,
        };
        let fn_ty = Type::Fn(Box::new(param_ty), Box::new(result_ty.clone()));
        let function = self.node(ExprKind::FnCons(vec![binder], table), fn_ty, loc);
        Some(self.node(ExprKind::FnApp(function, arg.clone()), result_ty, loc))
    }

    /// `IF subjects = values1 THEN expr1 ELSE IF … ELSE exprN` for the branches of a case
    /// split of `call`; the last branch needs no test.
    fn chain(
        &mut self,
        mut branches: Vec<(Vec<Actual>, Expr)>,
        subjects: &[Expr],
        call: &Expr,
    ) -> Option<Expr> {
        let (_, mut result) = branches.pop()?;
        let ty = self.types.exprs.get(call.id.0)?.clone();
        for (values, instance) in branches.into_iter().rev() {
            let guard = self.guard(subjects, &values, call.loc)?;
            result = self.node(ExprKind::If(guard, instance, result), ty.clone(), call.loc);
        }
        Some(result)
    }

    /// `call` split on the bound variables that its non-constant arguments read, when those
    /// range over small known sets: `Sum(f, {<<p[1] + x, p[2] + y>> : <<x, y>> \in nbrs})`
    /// for `p \in Pos` is `IF p = <<1, 1>> THEN Sum(f, {…}) ELSE …`, each branch's arguments
    /// constant. `None` when some argument has no value that way.
    fn split_on_variables(
        &mut self,
        id: RecId,
        args: &[Expr],
        call: &Expr,
        scope: &mut Scope,
        depth: usize,
    ) -> Option<Expr> {
        let mut variables = BTreeSet::new();
        for arg in args {
            if eval(arg, &self.ctx).is_err() && known_superset(arg, scope).is_none() {
                variables.extend(free_variables(arg));
            }
        }
        if variables.is_empty() {
            return None;
        }
        let mut ids = Vec::new();
        let mut choices = Vec::new();
        for variable in variables {
            let (_, set) = scope.iter().rev().find(|(bound, _)| *bound == variable)?;
            ids.push(variable);
            choices.push(small_set(set)?.into_iter().map(Actual::Value).collect());
        }
        let mut branches = Vec::new();
        for values in cases(&choices)? {
            let mut fixed = args.to_vec();
            for arg in &mut fixed {
                substitute(arg, &ids, &values);
                self.folder.fold_root(arg);
            }
            let instance = self.call(id, &fixed, call, scope, depth)?;
            branches.push((values, instance));
        }
        let mut variables = Vec::new();
        for id in ids {
            let ty = self.types.bounds.get(id.0)?.clone();
            variables.push(self.node(ExprKind::Bound(id), ty, call.loc));
        }
        self.chain(branches, &variables, call)
    }

    /// What the parameter of definition `id` given `arg` may stand for, and whether `arg` is
    /// sure to be one of them: the value of `arg` when it is constant; else the values of a
    /// known set it lies in, keeping only those in `domain` (when the definition has a
    /// constant one), or else those of `domain`; else `arg` itself, unless the body binds a
    /// variable that `arg` mentions.
    fn actuals(
        &self,
        id: RecId,
        arg: &Expr,
        domain: Option<&BTreeSet<Value>>,
        scope: &Scope,
    ) -> Option<(Vec<Actual>, bool)> {
        if let Ok(value) = eval(arg, &self.ctx) {
            return Some((vec![Actual::Value(value)], true));
        }
        let (mut values, mut exhaustive) = match (known_superset(arg, scope), domain) {
            (Some(values), _) => (values, true),
            (None, Some(domain)) => (domain.iter().cloned().collect(), false),
            (None, None) => {
                let def = self.defs.get(id.0)?;
                let captured = mentioned(arg)
                    .intersection(&bound_in(&def.body))
                    .next()
                    .is_some();
                return (!captured).then(|| (vec![Actual::Expr(arg.clone())], true));
            }
        };
        if let Some(domain) = domain {
            let before = values.len();
            values.retain(|v| domain.contains(v));
            exhaustive &= values.len() == before;
        }
        let actuals: Vec<Actual> = values.into_iter().map(Actual::Value).collect();
        (!actuals.is_empty()).then_some((actuals, exhaustive))
    }

    /// The body of definition `id` for the arguments `values`, folded and unrolled; `None` if
    /// a call remains in it, the values are outside the domain, or the budget is spent.
    fn instance(
        &mut self,
        id: RecId,
        actuals: &[Actual],
        scope: &mut Scope,
        depth: usize,
    ) -> Option<Expr> {
        if depth >= MAX_DEPTH || self.instances >= MAX_INSTANCES {
            return None;
        }
        self.instances += 1;
        let domain = self.domain(id);
        let outside = actuals
            .iter()
            .zip(&domain)
            .any(|(actual, set)| match (actual, set) {
                (Actual::Value(value), Some(set)) => !set.contains(value),
                _ => false,
            });
        let def = self.defs.get(id.0)?;
        if outside || def.params.len() != actuals.len() {
            return None;
        }
        let mut body = def.body.clone();
        substitute(&mut body, &def.params, actuals);
        self.folder.fold_root(&mut body);
        self.walk(&mut body, scope, depth + 1);
        (!has_call(&body)).then_some(body)
    }

    /// The domain of recursive function `id`, per parameter, where it is a small constant set.
    fn domain(&mut self, id: RecId) -> Vec<Option<BTreeSet<Value>>> {
        if let Some(known) = self.domains.get(&id) {
            return known.clone();
        }
        let sets = self.defs.get(id.0).and_then(|def| def.domain.as_ref());
        let known: Vec<Option<BTreeSet<Value>>> = sets
            .into_iter()
            .flatten()
            .map(|set| {
                let mut set = set.clone();
                self.folder.fold_root(&mut set);
                small_set(&set).map(|values| values.into_iter().collect())
            })
            .collect();
        self.domains.insert(id, known.clone());
        known
    }

    /// `args[i] = v` for every argument given a value `v` that is not a literal already,
    /// conjoined.
    fn guard(&mut self, args: &[Expr], actuals: &[Actual], loc: Loc) -> Option<Expr> {
        let mut equations = Vec::new();
        for (arg, actual) in args.iter().zip(actuals) {
            let value = match actual {
                Actual::Value(value) => value,
                Actual::Expr(_) => continue,
            };
            if matches!(&*arg.kind, ExprKind::Lit(v) if v == value) {
                continue;
            }
            if let Some(members) = self.same_members(arg, value, loc) {
                equations.extend(members);
                continue;
            }
            let ty = self.types.exprs.get(arg.id.0)?.clone();
            let literal = self.node(ExprKind::Lit(value.clone()), ty, loc);
            let equation = ExprKind::Apply(Op::Eq, vec![arg.clone(), literal]);
            equations.push(self.node(equation, Type::Bool, loc));
        }
        match equations.len() {
            1 => equations.pop(),
            _ => Some(self.node(ExprKind::Apply(Op::And, equations), Type::Bool, loc)),
        }
    }

    /// `filter = subset` for a filter of a small constant set, as one membership test per
    /// element of that set (`c \in filter` or `c \notin filter`): each is the filter's
    /// predicate, where set equality would compare arrays.
    fn same_members(&mut self, filter: &Expr, subset: &Value, loc: Loc) -> Option<Vec<Expr>> {
        let (ExprKind::SetFilter(binder, _), Value::Set(members)) = (&*filter.kind, subset) else {
            return None;
        };
        let ty = match self.types.exprs.get(filter.id.0)? {
            Type::Set(elem) => (**elem).clone(),
            _ => return None,
        };
        let mut tests = Vec::new();
        for element in small_set(&binder.set)? {
            let op = if members.contains(&element) {
                Op::In
            } else {
                Op::NotIn
            };
            let element = self.node(ExprKind::Lit(element), ty.clone(), loc);
            let test = ExprKind::Apply(op, vec![element, filter.clone()]);
            tests.push(self.node(test, Type::Bool, loc));
        }
        Some(tests)
    }

    /// A new node of type `ty`.
    fn node(&mut self, kind: ExprKind, ty: Type, loc: Loc) -> Expr {
        let id = ExprId(self.types.exprs.len());
        self.types.exprs.push(ty);
        Expr {
            id,
            loc,
            kind: Box::new(kind),
        }
    }
}

/// Drops the branches that folding decided: `IF TRUE THEN a ELSE b` is `a`, a conjunction
/// with a conjunct `FALSE` is `FALSE`, and so on. An instance's base case is decided so (`IF s
/// = {} THEN base ELSE … f[s \ {CHOOSE x \in s : TRUE}]` for `s = {}`), and the call in the
/// branch not taken, whose arguments TLC never computes, is dropped with it.
fn prune(expr: &mut Expr) {
    loop {
        let decided = match &mut *expr.kind {
            ExprKind::If(cond, then, other) => match literal_bool(cond) {
                Some(true) => Some(std::mem::replace(then, placeholder(then))),
                Some(false) => Some(std::mem::replace(other, placeholder(other))),
                None => None,
            },
            ExprKind::Apply(Op::And, args)
                if args.iter().any(|a| literal_bool(a) == Some(false)) =>
            {
                Some(with_kind(
                    expr.id,
                    expr.loc,
                    ExprKind::Lit(Value::Bool(false)),
                ))
            }
            ExprKind::Apply(Op::Or, args) if args.iter().any(|a| literal_bool(a) == Some(true)) => {
                Some(with_kind(
                    expr.id,
                    expr.loc,
                    ExprKind::Lit(Value::Bool(true)),
                ))
            }
            ExprKind::Apply(Op::Implies, args) if matches!(args.as_slice(), [a, _] if literal_bool(a) == Some(false)) => {
                Some(with_kind(
                    expr.id,
                    expr.loc,
                    ExprKind::Lit(Value::Bool(true)),
                ))
            }
            _ => None,
        };
        match decided {
            Some(branch) => *expr = branch,
            None => return,
        }
    }
}

fn literal_bool(expr: &Expr) -> Option<bool> {
    match &*expr.kind {
        ExprKind::Lit(Value::Bool(b)) => Some(*b),
        _ => None,
    }
}

fn with_kind(id: ExprId, loc: Loc, kind: ExprKind) -> Expr {
    Expr {
        id,
        loc,
        kind: Box::new(kind),
    }
}

/// What is left where a branch is taken out, just before its parent is dropped.
fn placeholder(expr: &Expr) -> Expr {
    with_kind(expr.id, expr.loc, ExprKind::Tuple(Vec::new()))
}

fn bind(scope: &mut Scope, binder: &Binder) {
    if let Pattern::Var(id) = binder.pattern {
        scope.push((id, binder.set.clone()));
    }
}

/// The values of a set that `arg` is known to lie in: the set a bound variable ranges over,
/// or every subset of the constant set a filter draws from.
fn known_superset(arg: &Expr, scope: &Scope) -> Option<Vec<Value>> {
    match &*arg.kind {
        ExprKind::Bound(id) => {
            let (_, set) = scope.iter().rev().find(|(bound, _)| bound == id)?;
            small_set(set)
        }
        ExprKind::SetFilter(binder, _) => {
            let base = small_set(&binder.set)?;
            (base.len() <= MAX_SUBSET_BASE).then(|| subsets(&base))
        }
        _ => None,
    }
}

/// The members of a constant set of at most `MAX_CASES` elements: a literal or a range.
fn small_set(set: &Expr) -> Option<Vec<Value>> {
    match &*set.kind {
        ExprKind::Lit(Value::Set(items)) if items.len() <= MAX_CASES => {
            Some(items.iter().cloned().collect())
        }
        ExprKind::Apply(Op::Range, bounds) => match bounds.as_slice() {
            [lo, hi] => match (&*lo.kind, &*hi.kind) {
                (ExprKind::Lit(Value::Int(lo)), ExprKind::Lit(Value::Int(hi)))
                    if hi.saturating_sub(*lo) < MAX_CASES as i64 =>
                {
                    Some((*lo..=*hi).map(Value::Int).collect())
                }
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

fn subsets(base: &[Value]) -> Vec<Value> {
    (0..1usize << base.len())
        .map(|mask| {
            Value::set(
                base.iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << i) != 0)
                    .map(|(_, v)| v.clone()),
            )
        })
        .collect()
}

/// Every combination of one value per argument, unless there are more than `MAX_CASES`.
fn cases(choices: &[Vec<Actual>]) -> Option<Vec<Vec<Actual>>> {
    let mut combos = vec![Vec::new()];
    for values in choices {
        if combos.len().checked_mul(values.len())? > MAX_CASES {
            return None;
        }
        combos = combos
            .iter()
            .flat_map(|prefix| {
                values.iter().map(move |value| {
                    let mut combo: Vec<Actual> = prefix.clone();
                    combo.push(value.clone());
                    combo
                })
            })
            .collect();
    }
    Some(combos)
}

/// Replaces each parameter by what it stands for: a value in the parameter's node (which
/// keeps its type), or the argument expression.
fn substitute(expr: &mut Expr, params: &[BoundId], actuals: &[Actual]) {
    if let ExprKind::Bound(id) = &*expr.kind {
        let index = params.iter().position(|param| param == id);
        match index.and_then(|index| actuals.get(index)) {
            Some(Actual::Value(value)) => *expr.kind = ExprKind::Lit(value.clone()),
            Some(Actual::Expr(arg)) => *expr = arg.clone(),
            None => {}
        }
        return;
    }
    expr.kind
        .for_each_child_mut(&mut |child| substitute(child, params, actuals));
}

/// The bound variables `expr` reads and does not bind itself.
fn free_variables(expr: &Expr) -> BTreeSet<BoundId> {
    let inner = bound_in(expr);
    mentioned(expr)
        .into_iter()
        .filter(|id| !inner.contains(id))
        .collect()
}

/// The bound variables `expr` reads.
fn mentioned(expr: &Expr) -> BTreeSet<BoundId> {
    let mut ids = BTreeSet::new();
    visit(expr, &mut |e| {
        if let ExprKind::Bound(id) = &*e.kind {
            ids.insert(*id);
        }
    });
    ids
}

/// The variables the binders inside `expr` bind.
fn bound_in(expr: &Expr) -> BTreeSet<BoundId> {
    let mut ids = BTreeSet::new();
    let mut add = |binder: &Binder| match &binder.pattern {
        Pattern::Var(id) => {
            ids.insert(*id);
        }
        Pattern::Tuple(tuple) => ids.extend(tuple.iter().copied()),
    };
    visit(expr, &mut |e| match &*e.kind {
        ExprKind::Quant(_, binders, _)
        | ExprKind::FnCons(binders, _)
        | ExprKind::SetMap(_, binders) => binders.iter().for_each(&mut add),
        ExprKind::Choose(binder, _) | ExprKind::SetFilter(binder, _) => add(binder),
        _ => {}
    });
    ids
}

fn visit(expr: &Expr, f: &mut dyn FnMut(&Expr)) {
    f(expr);
    for child in expr.kind.children() {
        visit(child, f);
    }
}

/// Whether `expr` calls a recursive definition.
pub(super) fn has_call(expr: &Expr) -> bool {
    let mut found = false;
    visit(expr, &mut |e| {
        found |= matches!(&*e.kind, ExprKind::RecCall(..))
    });
    found
}
