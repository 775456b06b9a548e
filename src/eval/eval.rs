//! The value of an expression in a state, with TLA+'s semantics and TLC's errors.
//!
//! Choices worth knowing:
//! * `/\`, `\/` and `=>` evaluate left to right and stop as soon as the result is known, as
//!   TLC does, so `x /= 0 /\ 10 \div x > 1` is safe.
//! * Integers are 64-bit with checked arithmetic: an overflow is an error, never a wrap.
//! * `x \in S` never enumerates `S` when it need not: `Nat`, `Int`, `STRING`, `Seq(T)`,
//!   `SUBSET T`, `[S -> T]`, record sets, products, ranges and set builders are tested
//!   element-wise, so `f \in [D -> Nat]` works although `Nat` is infinite.
//! * `CHOOSE` takes the least element, in `Value`'s order, that satisfies the predicate.
//! * `[f EXCEPT ![a] = v]` with `a` outside `DOMAIN f` is `f` itself, as TLA+ defines it.
//! * `=` compares any two values structurally (TLC would reject `1 = "a"`; the type checker
//!   rules such comparisons out before evaluation).

use super::sets;
use super::{action, Ctx, EvalError, Slots};
use crate::ir::rewrite::substitute;
use crate::ir::{
    Binder, BoundId, Expr, ExprKind, InfiniteSet, Loc, Op, PathStep, Pattern, Quantifier, RecId,
    Spec,
};
use crate::value::Value;
use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

/// The value of `expr` in `ctx`.
pub fn eval(expr: &Expr, ctx: &Ctx) -> Result<Value, EvalError> {
    use ExprKind::*;
    let loc = expr.loc;
    match &*expr.kind {
        Lit(value) => Ok(value.clone()),
        Var(var) => match ctx.state.get(var.0) {
            Some(value) => Ok(value.clone()),
            None => fail(format!("{} is not assigned", ctx.var_name(var.0)), loc),
        },
        Primed(var) => primed(var.0, ctx, loc),
        Const(c) => match ctx.constants.get(c.0).and_then(|c| c.value.as_ref()) {
            Some(value) => Ok(value.clone()),
            None => fail(
                format!(
                    "constant {} is symbolic: evaluation needs a value for it",
                    ctx.const_name(c.0)
                ),
                loc,
            ),
        },
        Bound(id) => match ctx.bounds.get(*id) {
            Some(value) => Ok(value.clone()),
            None => fail(
                format!("internal error: bound variable #{} has no value", id.0),
                loc,
            ),
        },
        InfiniteSet(set) => fail(
            format!(
                "{} is an infinite set and cannot be enumerated",
                set_name(*set)
            ),
            loc,
        ),
        Apply(op, args) => apply(*op, args, ctx, loc),
        If(cond, then, other) => {
            if eval_bool(cond, ctx)? {
                eval(then, ctx)
            } else {
                eval(other, ctx)
            }
        }
        Case(arms, other) => case(arms, other.as_ref(), ctx, loc),
        Quant(q, binders, body) => quantifier(*q, binders, body, ctx),
        Choose(binder, body) => choose(binder, body, ctx, loc),
        SetEnum(items) => Ok(Value::Set(
            items
                .iter()
                .map(|e| eval(e, ctx))
                .collect::<Result<_, _>>()?,
        )),
        SetFilter(binder, pred) => set_filter(binder, pred, ctx),
        SetMap(body, binders) => set_map(body, binders, ctx),
        FnCons(binders, body) => fn_cons(binders, body, ctx),
        FnSet(domain, range) => Ok(Value::Set(sets::functions(
            &eval_set(domain, ctx)?,
            &eval_set(range, ctx)?,
            loc,
        )?)),
        FnApp(f, arg) => fn_app(&eval(f, ctx)?, &eval(arg, ctx)?, loc),
        Record(fields) => {
            let fields: Vec<(String, Value)> = fields
                .iter()
                .map(|(name, e)| Ok((name.clone(), eval(e, ctx)?)))
                .collect::<Result<_, EvalError>>()?;
            Ok(Value::record(fields))
        }
        RecordSet(fields) => {
            let fields: Vec<(String, BTreeSet<Value>)> = fields
                .iter()
                .map(|(name, e)| Ok((name.clone(), eval_set(e, ctx)?)))
                .collect::<Result<_, EvalError>>()?;
            Ok(Value::Set(sets::records(&fields, loc)?))
        }
        Field(record, name) => field(&eval(record, ctx)?, name, loc),
        Except(base, updates) => except(base, updates, ctx),
        Tuple(items) => Ok(Value::tuple(
            items
                .iter()
                .map(|e| eval(e, ctx))
                .collect::<Result<Vec<_>, _>>()?,
        )),
        Times(factors) => {
            let factors: Vec<BTreeSet<Value>> = factors
                .iter()
                .map(|e| eval_set(e, ctx))
                .collect::<Result<_, _>>()?;
            Ok(Value::Set(sets::product(&factors, loc)?))
        }
        Enabled(act) => Ok(Value::Bool(action::enabled(act, ctx)?)),
        BoxAction(act, vars) => Ok(Value::Bool(eval_bool(act, ctx)? || unchanged(vars, ctx)?)),
        AngleAction(act, vars) => Ok(Value::Bool(eval_bool(act, ctx)? && !unchanged(vars, ctx)?)),
        Always(_) | Eventually(_) | LeadsTo(..) | Fair(..) => fail(
            "a temporal formula cannot be evaluated in a state or a step",
            loc,
        ),
        RecCall(id, args) => recursive_call(*id, args, ctx, loc),
    }
}

// ---------------------------------------------------------------------------------------------
// Recursive definitions

/// Nested recursive calls deeper than this are an error: TLC would recurse on, but a spec
/// that goes this deep is almost surely missing its base case.
pub const MAX_CALL_DEPTH: usize = 10_000;

/// The stack that nested recursive calls may use, in bytes, on a thread not started by
/// `with_big_stack`: half the 2 MiB of Rust's spawned threads and tests, so that a deep
/// recursion is an evaluation error and never a stack overflow. (Measured: 300 to 1000 nested
/// calls in a release build, depending on the body.)
const DEFAULT_CALL_STACK_BUDGET: usize = 1 << 20;

/// The stack of the thread `with_big_stack` starts; recursive calls may use all but 64 MiB.
const BIG_STACK: usize = 1 << 30;
const BIG_STACK_RESERVE: usize = 64 << 20;

thread_local! {
    static CALL_STACK_BUDGET: Cell<usize> = const { Cell::new(DEFAULT_CALL_STACK_BUDGET) };
}

/// Runs `work` on a thread with a 1 GiB stack (reserved, not allocated, until used), on which
/// recursive definitions may nest up to `MAX_CALL_DEPTH` calls. The command line runs every
/// command this way.
pub fn with_big_stack<T, F>(work: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    // The work waits in a slot, so that it can still run here if no thread can be started.
    let slot = Arc::new(Mutex::new(Some(work)));
    let for_thread = Arc::clone(&slot);
    let thread = std::thread::Builder::new()
        .name("smtcheck".into())
        .stack_size(BIG_STACK)
        .spawn(move || {
            CALL_STACK_BUDGET.with(|budget| budget.set(BIG_STACK - BIG_STACK_RESERVE));
            take(&for_thread).map(|work| work())
        });
    let result = match thread {
        Ok(thread) => match thread.join() {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic),
        },
        Err(_) => None,
    };
    match result {
        Some(result) => result,
        // No thread could be started (a tight address-space limit): run here, with the
        // small budget.
        None => match take(&slot) {
            Some(work) => work(),
            None => unreachable!("the work ran on the thread, which returned its result"),
        },
    }
}

fn take<F>(slot: &Mutex<Option<F>>) -> Option<F> {
    match slot.lock() {
        Ok(mut guard) => guard.take(),
        Err(poisoned) => poisoned.into_inner().take(),
    }
}

/// How deep in nested recursive calls an evaluation is.
#[derive(Clone, Copy, Debug, Default)]
pub struct Calls {
    depth: usize,
    /// The stack address where the outermost call started (meaningful when `depth > 0`).
    stack_base: usize,
}

/// An address in the current stack frame: the stack grows from one call to the next, so the
/// distance between two of them is the stack used in between.
fn stack_address() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

/// `def(args)`: the body of the recursive definition with its parameters bound to the
/// arguments' values. A recursive function checks that the arguments are in its domain.
fn recursive_call(id: RecId, args: &[Expr], ctx: &Ctx, loc: Loc) -> Result<Value, EvalError> {
    let Some(def) = ctx.recursive.get(id.0) else {
        return fail(
            format!("internal error: unknown recursive definition #{}", id.0),
            loc,
        );
    };
    let values = args
        .iter()
        .map(|arg| eval(arg, ctx))
        .collect::<Result<Vec<_>, _>>()?;
    for (value, set) in values.iter().zip(def.domain.iter().flatten()) {
        if !is_member(value, set, ctx)? {
            return fail(
                format!(
                    "{}[{}]: the argument is not in the domain of the function",
                    def.name,
                    shown(value)
                ),
                loc,
            );
        }
    }
    let mut inner = ctx.clone();
    inner.calls = deeper(ctx.calls, &def.name, loc)?;
    for (param, value) in def.params.iter().zip(values) {
        inner = inner.bind(*param, value);
    }
    eval(&def.body, &inner)
}

/// The call depth one call further in, or an error when the recursion is too deep.
fn deeper(calls: Calls, name: &str, loc: Loc) -> Result<Calls, EvalError> {
    let here = stack_address();
    let stack_base = if calls.depth == 0 {
        here
    } else {
        calls.stack_base
    };
    let budget = CALL_STACK_BUDGET.with(Cell::get);
    let too_deep = calls.depth >= MAX_CALL_DEPTH || stack_base.abs_diff(here) > budget;
    if too_deep {
        return fail(
            format!(
                "the recursion of `{name}` is too deep ({} nested calls): it may not terminate",
                calls.depth
            ),
            loc,
        );
    }
    Ok(Calls {
        depth: calls.depth + 1,
        stack_base,
    })
}

/// Evaluates `expr` and requires a boolean.
pub fn eval_bool(expr: &Expr, ctx: &Ctx) -> Result<bool, EvalError> {
    let value = eval(expr, ctx)?;
    as_bool(&value, expr.loc)
}

/// Evaluates `expr` and requires a (finite) set.
pub fn eval_set(expr: &Expr, ctx: &Ctx) -> Result<BTreeSet<Value>, EvalError> {
    match eval(expr, ctx)? {
        Value::Set(items) => Ok(items),
        other => fail(format!("expected a set, found {}", shown(&other)), expr.loc),
    }
}

fn eval_int(expr: &Expr, ctx: &Ctx) -> Result<i64, EvalError> {
    match eval(expr, ctx)? {
        Value::Int(n) => Ok(n),
        other => fail(
            format!("expected an integer, found {}", shown(&other)),
            expr.loc,
        ),
    }
}

fn fail<T>(message: impl Into<String>, loc: Loc) -> Result<T, EvalError> {
    Err(EvalError::new(message, loc))
}

fn as_bool(value: &Value, loc: Loc) -> Result<bool, EvalError> {
    match value {
        Value::Bool(b) => Ok(*b),
        other => fail(format!("expected a boolean, found {}", shown(other)), loc),
    }
}

/// A value as it appears in a message: in TLA+ notation, cut short when long.
pub(crate) fn shown(value: &Value) -> String {
    const LIMIT: usize = 200;
    let text = value.to_string();
    if text.len() <= LIMIT {
        return text;
    }
    let mut cut = LIMIT;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}...", &text[..cut])
}

fn set_name(set: InfiniteSet) -> &'static str {
    match set {
        InfiniteSet::Nat => "Nat",
        InfiniteSet::Int => "Int",
        InfiniteSet::String => "STRING",
    }
}

fn primed(index: usize, ctx: &Ctx, loc: Loc) -> Result<Value, EvalError> {
    let name = || ctx.var_name(index);
    match ctx.next {
        None => fail(
            format!(
                "{}' cannot be evaluated here: there is no next state",
                name()
            ),
            loc,
        ),
        Some(next) => match next.get(index) {
            Some(value) => Ok(value.clone()),
            None => fail(format!("{}' is not assigned", name()), loc),
        },
    }
}

/// `v' = v` for the subscript `v` of `[A]_v` or `<<A>>_v`: `v` evaluated in both states.
fn unchanged(vars: &Expr, ctx: &Ctx) -> Result<bool, EvalError> {
    let Some(next) = ctx.next else {
        return fail(
            "[A]_v cannot be evaluated here: there is no next state",
            vars.loc,
        );
    };
    let mut in_next = ctx.clone();
    in_next.state = next;
    in_next.next = None;
    Ok(eval(vars, ctx)? == eval(vars, &in_next)?)
}

// ---------------------------------------------------------------------------------------------
// Operators

fn apply(op: Op, args: &[Expr], ctx: &Ctx, loc: Loc) -> Result<Value, EvalError> {
    use Op::*;
    match op {
        And => {
            for arg in args {
                if !eval_bool(arg, ctx)? {
                    return Ok(Value::Bool(false));
                }
            }
            Ok(Value::Bool(true))
        }
        Or => {
            for arg in args {
                if eval_bool(arg, ctx)? {
                    return Ok(Value::Bool(true));
                }
            }
            Ok(Value::Bool(false))
        }
        Implies => {
            let [a, b] = two(op, args, loc)?;
            Ok(Value::Bool(!eval_bool(a, ctx)? || eval_bool(b, ctx)?))
        }
        Not => Ok(Value::Bool(!eval_bool(one(op, args, loc)?, ctx)?)),
        Equiv => {
            let [a, b] = two(op, args, loc)?;
            Ok(Value::Bool(eval_bool(a, ctx)? == eval_bool(b, ctx)?))
        }
        Eq | Ne => {
            let [a, b] = two(op, args, loc)?;
            let equal = eval(a, ctx)? == eval(b, ctx)?;
            Ok(Value::Bool(if op == Eq { equal } else { !equal }))
        }
        Neg => {
            let n = eval_int(one(op, args, loc)?, ctx)?;
            n.checked_neg()
                .map(Value::Int)
                .ok_or_else(|| EvalError::new(format!("integer overflow in -({n})"), loc))
        }
        Add | Sub | Mul | Div | Mod | Pow => {
            let [a, b] = two(op, args, loc)?;
            Ok(Value::Int(arithmetic(
                op,
                eval_int(a, ctx)?,
                eval_int(b, ctx)?,
                loc,
            )?))
        }
        Lt | Le | Gt | Ge => {
            let [a, b] = two(op, args, loc)?;
            let (a, b) = (eval_int(a, ctx)?, eval_int(b, ctx)?);
            Ok(Value::Bool(match op {
                Lt => a < b,
                Le => a <= b,
                Gt => a > b,
                _ => a >= b,
            }))
        }
        Range => {
            let [a, b] = two(op, args, loc)?;
            Ok(Value::Set(sets::range(
                eval_int(a, ctx)?,
                eval_int(b, ctx)?,
                loc,
            )?))
        }
        In | NotIn => {
            let [elem, set] = two(op, args, loc)?;
            let member = is_member(&eval(elem, ctx)?, set, ctx)?;
            Ok(Value::Bool(if op == In { member } else { !member }))
        }
        Union | Intersect | SetMinus => {
            let [a, b] = two(op, args, loc)?;
            let (a, b) = (eval_set(a, ctx)?, eval_set(b, ctx)?);
            Ok(Value::Set(match op {
                Union => a.union(&b).cloned().collect(),
                Intersect => a.intersection(&b).cloned().collect(),
                _ => a.difference(&b).cloned().collect(),
            }))
        }
        Subseteq => {
            let [a, b] = two(op, args, loc)?;
            for item in eval_set(a, ctx)? {
                if !is_member(&item, b, ctx)? {
                    return Ok(Value::Bool(false));
                }
            }
            Ok(Value::Bool(true))
        }
        Powerset => Ok(Value::Set(sets::powerset(
            &eval_set(one(op, args, loc)?, ctx)?,
            loc,
        )?)),
        BigUnion => {
            let mut union = BTreeSet::new();
            for item in eval_set(one(op, args, loc)?, ctx)? {
                match item {
                    Value::Set(inner) => union.extend(inner),
                    other => {
                        return fail(
                            format!("UNION of a set containing the non-set {}", shown(&other)),
                            loc,
                        )
                    }
                }
            }
            Ok(Value::Set(union))
        }
        Cardinality => Ok(Value::Int(eval_set(one(op, args, loc)?, ctx)?.len() as i64)),
        IsFiniteSet => {
            let set = one(op, args, loc)?;
            if is_infinite(set, ctx)? {
                return Ok(Value::Bool(false));
            }
            eval_set(set, ctx)?;
            Ok(Value::Bool(true))
        }
        Domain => match eval(one(op, args, loc)?, ctx)? {
            Value::Fn(map) => Ok(Value::Set(map.into_keys().collect())),
            Value::Str(s) => sets::range(1, s.chars().count() as i64, loc).map(Value::Set),
            other => fail(
                format!("DOMAIN of {}, which is not a function", shown(&other)),
                loc,
            ),
        },
        SingletonFn => {
            let [a, b] = two(op, args, loc)?;
            Ok(Value::Fn(BTreeMap::from([(eval(a, ctx)?, eval(b, ctx)?)])))
        }
        FnMerge => {
            let [a, b] = two(op, args, loc)?;
            let mut merged = as_fn(eval(b, ctx)?, "@@", loc)?;
            merged.extend(as_fn(eval(a, ctx)?, "@@", loc)?);
            Ok(Value::Fn(merged))
        }
        Len | Append | Head | Tail | Concat | SubSeq => sequence_op(op, args, ctx, loc),
        SeqSet => fail(
            "Seq(S) is an infinite set: it can only appear on the right of \\in",
            loc,
        ),
    }
}

fn one(op: Op, args: &[Expr], loc: Loc) -> Result<&Expr, EvalError> {
    match args {
        [a] => Ok(a),
        _ => fail(
            format!("internal error: {op:?} applied to {} arguments", args.len()),
            loc,
        ),
    }
}

fn two(op: Op, args: &[Expr], loc: Loc) -> Result<[&Expr; 2], EvalError> {
    match args {
        [a, b] => Ok([a, b]),
        _ => fail(
            format!("internal error: {op:?} applied to {} arguments", args.len()),
            loc,
        ),
    }
}

/// Integer arithmetic, checked. `\div` rounds down and `%` lies in `0..b-1` (`b > 0`).
pub(crate) fn arithmetic(op: Op, a: i64, b: i64, loc: Loc) -> Result<i64, EvalError> {
    let overflow =
        |symbol: &str| EvalError::new(format!("integer overflow in {a} {symbol} {b}"), loc);
    match op {
        Op::Add => a.checked_add(b).ok_or_else(|| overflow("+")),
        Op::Sub => a.checked_sub(b).ok_or_else(|| overflow("-")),
        Op::Mul => a.checked_mul(b).ok_or_else(|| overflow("*")),
        Op::Div => {
            if b == 0 {
                return fail(format!("division by zero in {a} \\div {b}"), loc);
            }
            let quotient = a.checked_div(b).ok_or_else(|| overflow("\\div"))?;
            let rounds_toward_zero = a % b != 0 && ((a < 0) != (b < 0));
            Ok(if rounds_toward_zero {
                quotient - 1
            } else {
                quotient
            })
        }
        Op::Mod => {
            if b <= 0 {
                return fail(format!("{a} % {b}: the divisor of % must be positive"), loc);
            }
            Ok(a.rem_euclid(b))
        }
        Op::Pow => {
            if b < 0 {
                return fail(format!("{a}^{b}: negative exponent"), loc);
            }
            if a == 0 && b == 0 {
                return fail("0^0 is undefined", loc);
            }
            let exponent = u32::try_from(b).map_err(|_| overflow("^"))?;
            a.checked_pow(exponent).ok_or_else(|| overflow("^"))
        }
        _ => fail(format!("internal error: {op:?} is not arithmetic"), loc),
    }
}

fn as_fn(value: Value, what: &str, loc: Loc) -> Result<BTreeMap<Value, Value>, EvalError> {
    match value {
        Value::Fn(map) => Ok(map),
        other => fail(
            format!("{what} expects a function, found {}", shown(&other)),
            loc,
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Sequences (functions with domain 1..n)

fn as_seq(value: &Value, what: &str, loc: Loc) -> Result<Vec<Value>, EvalError> {
    match value.as_sequence() {
        Some(items) => Ok(items.into_iter().cloned().collect()),
        None => fail(
            format!("{what} expects a sequence, found {}", shown(value)),
            loc,
        ),
    }
}

fn sequence_op(op: Op, args: &[Expr], ctx: &Ctx, loc: Loc) -> Result<Value, EvalError> {
    match op {
        Op::Len => match eval(one(op, args, loc)?, ctx)? {
            Value::Str(s) => Ok(Value::Int(s.chars().count() as i64)),
            other => Ok(Value::Int(as_seq(&other, "Len", loc)?.len() as i64)),
        },
        Op::Append => {
            let [s, e] = two(op, args, loc)?;
            let mut items = as_seq(&eval(s, ctx)?, "Append", loc)?;
            items.push(eval(e, ctx)?);
            Ok(Value::tuple(items))
        }
        Op::Head | Op::Tail => {
            let name = if op == Op::Head { "Head" } else { "Tail" };
            let mut items = as_seq(&eval(one(op, args, loc)?, ctx)?, name, loc)?;
            if items.is_empty() {
                return fail(format!("{name} of the empty sequence"), loc);
            }
            let head = items.remove(0);
            Ok(if op == Op::Head {
                head
            } else {
                Value::tuple(items)
            })
        }
        Op::Concat => {
            let [a, b] = two(op, args, loc)?;
            match (eval(a, ctx)?, eval(b, ctx)?) {
                (Value::Str(a), Value::Str(b)) => Ok(Value::Str(a + &b)),
                (a, b) => {
                    let mut items = as_seq(&a, "\\o", loc)?;
                    items.extend(as_seq(&b, "\\o", loc)?);
                    Ok(Value::tuple(items))
                }
            }
        }
        _ => {
            let [s, m, n] = match args {
                [s, m, n] => [s, m, n],
                _ => return fail("internal error: SubSeq takes three arguments", loc),
            };
            let items = as_seq(&eval(s, ctx)?, "SubSeq", loc)?;
            let (m, n) = (eval_int(m, ctx)?, eval_int(n, ctx)?);
            sub_seq(&items, m, n, loc)
        }
    }
}

/// `SubSeq(s, m, n)`: `<<s[m], ..., s[n]>>`, empty when `n < m`; TLC requires `m..n` to lie
/// in `1..Len(s)` otherwise.
fn sub_seq(items: &[Value], m: i64, n: i64, loc: Loc) -> Result<Value, EvalError> {
    if n < m {
        return Ok(Value::tuple([]));
    }
    if m < 1 || n > items.len() as i64 {
        return fail(
            format!(
                "SubSeq(s, {m}, {n}) of a sequence of length {}",
                items.len()
            ),
            loc,
        );
    }
    Ok(Value::tuple(
        items[(m - 1) as usize..n as usize].iter().cloned(),
    ))
}

// ---------------------------------------------------------------------------------------------
// Functions and records

pub(crate) fn fn_app(f: &Value, arg: &Value, loc: Loc) -> Result<Value, EvalError> {
    match f {
        Value::Fn(map) => match map.get(arg) {
            Some(value) => Ok(value.clone()),
            // TLC's words, and the domain, which a long function hides.
            None => {
                let domain = Value::Set(map.keys().cloned().collect());
                fail(
                    format!(
                        "Attempted to apply function {} to argument {}, which is not in the \
                         domain of the function ({})",
                        shown(f),
                        shown(arg),
                        shown(&domain)
                    ),
                    loc,
                )
            }
        },
        other => fail(
            format!(
                "cannot apply {}, which is not a function, to {}",
                shown(other),
                shown(arg)
            ),
            loc,
        ),
    }
}

fn field(record: &Value, name: &str, loc: Loc) -> Result<Value, EvalError> {
    match record {
        Value::Fn(map) => match map.get(&Value::Str(name.to_string())) {
            Some(value) => Ok(value.clone()),
            None => fail(
                format!("the record {} has no field `{name}`", shown(record)),
                loc,
            ),
        },
        other => fail(
            format!("field `.{name}` of {}, which is not a record", shown(other)),
            loc,
        ),
    }
}

/// `[f EXCEPT !p1 = v1, !p2 = v2]`: the updates apply one after the other.
fn except(base: &Expr, updates: &[(Vec<PathStep>, Expr)], ctx: &Ctx) -> Result<Value, EvalError> {
    let mut value = eval(base, ctx)?;
    for (path, new_value) in updates {
        let keys: Vec<Value> = path
            .iter()
            .map(|step| match step {
                PathStep::Index(index) => eval(index, ctx),
                PathStep::Field(name) => Ok(Value::Str(name.clone())),
            })
            .collect::<Result<_, _>>()?;
        // As TLC: the new value (and `@`) is evaluated only at a point of the domain.
        if has_path(&value, &keys) {
            let new_value = eval(new_value, ctx)?;
            value = update(value, &keys, new_value, base.loc)?;
        }
    }
    Ok(value)
}

/// Whether `keys` lead through nested functions of `value` to a point of their domains (or
/// to a value that is no function, on which `update` reports the error).
fn has_path(value: &Value, keys: &[Value]) -> bool {
    let Some((key, rest)) = keys.split_first() else {
        return true;
    };
    match value {
        Value::Fn(map) => map.get(key).is_some_and(|inner| has_path(inner, rest)),
        _ => true,
    }
}

/// `f` with the value at path `keys` replaced. A key outside the domain leaves `f` unchanged:
/// TLA+ defines `[f EXCEPT ![a] = v]` as `[x \in DOMAIN f |-> IF x = a THEN v ELSE f[x]]`.
fn update(value: Value, keys: &[Value], new_value: Value, loc: Loc) -> Result<Value, EvalError> {
    let Some((key, rest)) = keys.split_first() else {
        return Ok(new_value);
    };
    let mut map = match value {
        Value::Fn(map) => map,
        other => {
            return fail(
                format!("EXCEPT on {}, which is not a function", shown(&other)),
                loc,
            )
        }
    };
    if let Some(slot) = map.get_mut(key) {
        let old = std::mem::replace(slot, Value::Bool(false));
        *slot = update(old, rest, new_value, loc)?;
    }
    Ok(Value::Fn(map))
}

// ---------------------------------------------------------------------------------------------
// Binders, quantifiers, CHOOSE, set builders

/// Binds the variables of `pattern` to `value` (a tuple pattern takes a tuple apart).
pub(crate) fn bind_pattern<'a>(
    pattern: &Pattern,
    value: Value,
    ctx: &Ctx<'a>,
    loc: Loc,
) -> Result<Ctx<'a>, EvalError> {
    match pattern {
        Pattern::Var(id) => Ok(ctx.bind(*id, value)),
        Pattern::Tuple(ids) => {
            let items = match value.as_sequence() {
                Some(items) if items.len() == ids.len() => {
                    items.into_iter().cloned().collect::<Vec<_>>()
                }
                _ => {
                    return fail(
                        format!(
                            "cannot match {} against a tuple of {} variables",
                            shown(&value),
                            ids.len()
                        ),
                        loc,
                    )
                }
            };
            let mut bound = ctx.clone();
            for (id, item) in ids.iter().zip(items) {
                bound = bound.bind(*id, item);
            }
            Ok(bound)
        }
    }
}

/// Receives the context with a binding's variables bound, and the elements chosen; returns
/// whether to go on.
pub(crate) type Visit<'a, 'f> = dyn FnMut(&Ctx<'a>, &[Value]) -> Result<bool, EvalError> + 'f;

/// Calls `visit` with the context and the chosen elements for every combination of elements
/// of the binders' sets, in order, until it returns `false`. Returns whether it ran to the end.
/// Each binder's set is evaluated with the earlier binders bound.
pub(crate) fn for_each_binding<'a>(
    binders: &[Binder],
    ctx: &Ctx<'a>,
    visit: &mut Visit<'a, '_>,
) -> Result<bool, EvalError> {
    let mut chosen = Vec::with_capacity(binders.len());
    bindings_from(binders, ctx, &mut chosen, visit)
}

/// `body` with the variables of `binders` replaced by each combination of their values, in
/// the order of the sets: the instances of `\A`/`\E` over a temporal formula or a fairness
/// condition. The sets must not depend on the state.
pub fn instances(spec: &Spec, binders: &[Binder], body: &Expr) -> Result<Vec<Expr>, String> {
    let no_state: Vec<Value> = Vec::new();
    let ctx = Ctx::new(spec, &no_state);
    let ids: Vec<BoundId> = binders
        .iter()
        .flat_map(|b| match &b.pattern {
            Pattern::Var(id) => vec![*id],
            Pattern::Tuple(ids) => ids.clone(),
        })
        .collect();
    let mut result = Vec::new();
    for_each_binding(binders, &ctx, &mut |inner, _| {
        let values: Vec<(BoundId, Value)> = ids
            .iter()
            .filter_map(|id| inner.bounds.get(*id).map(|v| (*id, v.clone())))
            .collect();
        result.push(substitute(body, &values));
        Ok(true)
    })
    .map_err(|error| error.message)?;
    Ok(result)
}

fn bindings_from<'a>(
    binders: &[Binder],
    ctx: &Ctx<'a>,
    chosen: &mut Vec<Value>,
    visit: &mut Visit<'a, '_>,
) -> Result<bool, EvalError> {
    let Some((first, rest)) = binders.split_first() else {
        return visit(ctx, chosen);
    };
    for item in eval_set(&first.set, ctx)? {
        let inner = bind_pattern(&first.pattern, item.clone(), ctx, first.set.loc)?;
        chosen.push(item);
        let go_on = bindings_from(rest, &inner, chosen, visit)?;
        chosen.pop();
        if !go_on {
            return Ok(false);
        }
    }
    Ok(true)
}

fn quantifier(
    q: Quantifier,
    binders: &[Binder],
    body: &Expr,
    ctx: &Ctx,
) -> Result<Value, EvalError> {
    // `\A` looks for a counterexample, `\E` for a witness: stop at the first.
    let looking_for = q == Quantifier::Exists;
    let mut found = false;
    for_each_binding(binders, ctx, &mut |inner, _| {
        found = eval_bool(body, inner)? == looking_for;
        Ok(!found)
    })?;
    Ok(Value::Bool(if looking_for { found } else { !found }))
}

fn choose(binder: &Binder, body: &Expr, ctx: &Ctx, loc: Loc) -> Result<Value, EvalError> {
    let set = eval_set(&binder.set, ctx)?;
    for item in &set {
        let inner = bind_pattern(&binder.pattern, item.clone(), ctx, loc)?;
        if eval_bool(body, &inner)? {
            return Ok(item.clone());
        }
    }
    fail(
        format!(
            "CHOOSE: no element of {} satisfies the predicate",
            shown(&Value::Set(set))
        ),
        loc,
    )
}

fn set_filter(binder: &Binder, pred: &Expr, ctx: &Ctx) -> Result<Value, EvalError> {
    let mut kept = BTreeSet::new();
    for item in eval_set(&binder.set, ctx)? {
        let inner = bind_pattern(&binder.pattern, item.clone(), ctx, binder.set.loc)?;
        if eval_bool(pred, &inner)? {
            kept.insert(item);
        }
    }
    Ok(Value::Set(kept))
}

fn set_map(body: &Expr, binders: &[Binder], ctx: &Ctx) -> Result<Value, EvalError> {
    let mut image = BTreeSet::new();
    for_each_binding(binders, ctx, &mut |inner, _| {
        image.insert(eval(body, inner)?);
        Ok(true)
    })?;
    Ok(Value::Set(image))
}

/// `[x \in S |-> e]`; with several binders the arguments are tuples `<<x, y>>`.
fn fn_cons(binders: &[Binder], body: &Expr, ctx: &Ctx) -> Result<Value, EvalError> {
    let mut map = BTreeMap::new();
    for_each_binding(binders, ctx, &mut |inner, chosen| {
        let key = match chosen {
            [single] => single.clone(),
            several => Value::tuple(several.iter().cloned()),
        };
        map.insert(key, eval(body, inner)?);
        Ok(true)
    })?;
    Ok(Value::Fn(map))
}

fn case(
    arms: &[(Expr, Expr)],
    other: Option<&Expr>,
    ctx: &Ctx,
    loc: Loc,
) -> Result<Value, EvalError> {
    for (guard, value) in arms {
        if eval_bool(guard, ctx)? {
            return eval(value, ctx);
        }
    }
    match other {
        Some(other) => eval(other, ctx),
        None => fail(
            "CASE: no arm's condition is true and there is no OTHER arm",
            loc,
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Membership without enumeration

/// Whether `set` is one of the infinite sets the evaluator knows (`Nat`, `Int`, `STRING`,
/// `Seq(S)` with `S` non-empty).
fn is_infinite(set: &Expr, ctx: &Ctx) -> Result<bool, EvalError> {
    Ok(match &*set.kind {
        ExprKind::InfiniteSet(_) => true,
        ExprKind::Apply(Op::SeqSet, args) => match args.as_slice() {
            [elements] => is_infinite(elements, ctx)? || !eval_set(elements, ctx)?.is_empty(),
            _ => false,
        },
        _ => false,
    })
}

/// `value \in set`, computed from the shape of `set` where that avoids building it.
pub(crate) fn is_member(value: &Value, set: &Expr, ctx: &Ctx) -> Result<bool, EvalError> {
    use ExprKind::*;
    match &*set.kind {
        InfiniteSet(kind) => Ok(match (kind, value) {
            (crate::ir::InfiniteSet::Nat, Value::Int(n)) => *n >= 0,
            (crate::ir::InfiniteSet::Int, Value::Int(_)) => true,
            (crate::ir::InfiniteSet::String, Value::Str(_)) => true,
            _ => false,
        }),
        Apply(Op::SeqSet, args) if args.len() == 1 => match value.as_sequence() {
            Some(items) => all_members(items.into_iter(), &args[0], ctx),
            None => Ok(false),
        },
        Apply(Op::Powerset, args) if args.len() == 1 => match value {
            Value::Set(items) => all_members(items.iter(), &args[0], ctx),
            _ => Ok(false),
        },
        Apply(Op::Range, args) if args.len() == 2 => match value {
            Value::Int(n) => Ok(eval_int(&args[0], ctx)? <= *n && *n <= eval_int(&args[1], ctx)?),
            _ => Ok(false),
        },
        Apply(op @ (Op::Union | Op::Intersect | Op::SetMinus), args) if args.len() == 2 => {
            let in_left = is_member(value, &args[0], ctx)?;
            Ok(match op {
                Op::Union => in_left || is_member(value, &args[1], ctx)?,
                Op::Intersect => in_left && is_member(value, &args[1], ctx)?,
                _ => in_left && !is_member(value, &args[1], ctx)?,
            })
        }
        FnSet(domain, range) => match value {
            Value::Fn(map) => {
                let domain = eval_set(domain, ctx)?;
                Ok(map.keys().eq(domain.iter()) && all_members(map.values(), range, ctx)?)
            }
            _ => Ok(false),
        },
        RecordSet(fields) => match value {
            Value::Fn(map) if map.len() == fields.len() => {
                for (name, field_set) in fields {
                    match map.get(&Value::Str(name.clone())) {
                        Some(v) if is_member(v, field_set, ctx)? => {}
                        _ => return Ok(false),
                    }
                }
                Ok(true)
            }
            _ => Ok(false),
        },
        Times(factors) => match value.as_sequence() {
            Some(items) if items.len() == factors.len() => {
                for (item, factor) in items.into_iter().zip(factors) {
                    if !is_member(item, factor, ctx)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            _ => Ok(false),
        },
        SetFilter(binder, pred) => {
            if !is_member(value, &binder.set, ctx)? {
                return Ok(false);
            }
            let inner = match bind_pattern(&binder.pattern, value.clone(), ctx, set.loc) {
                Ok(inner) => inner,
                Err(_) => return Ok(false),
            };
            eval_bool(pred, &inner)
        }
        _ => match eval(set, ctx)? {
            Value::Set(items) => Ok(items.contains(value)),
            other => fail(
                format!("\\in: the right side {} is not a set", shown(&other)),
                set.loc,
            ),
        },
    }
}

fn all_members<'v>(
    mut items: impl Iterator<Item = &'v Value>,
    set: &Expr,
    ctx: &Ctx,
) -> Result<bool, EvalError> {
    items.try_fold(true, |all, item| Ok(all && is_member(item, set, ctx)?))
}

/// Used by `action` to evaluate against a partial state.
pub(crate) fn with_slots<'a>(ctx: &Ctx<'a>, state: Slots<'a>, next: Option<Slots<'a>>) -> Ctx<'a> {
    let mut inner = ctx.clone();
    inner.state = state;
    inner.next = next;
    inner
}
