//! The model values and strings a spec mentions, from which `sorts` builds finite sorts.
//!
//! **Strings.** Specs use strings as tags (`"idle"`, `"Prepare"`), only compared, and Z3's
//! string theory is slow at that; an enumeration of the spec's strings is fast, and exact when
//! no behaviour can hold any other string. The strings a behaviour holds are computed by the
//! spec's expressions from its literals (constant sub-expressions such as `"a" \o "b"` are
//! folded into literals before encoding, and the encoding supports no string operation), the
//! constants' values, and the field names of records (`DOMAIN r`). Two things can bring any
//! other string: `STRING`, whose members are not all literals of the spec (`\E s \in STRING`,
//! `x' \in STRING`), and a constant the config leaves symbolic, which may be any string. A
//! spec with either keeps Z3's strings, and so does one whose records with optional fields hold
//! strings (see `strings_of`).

use crate::ir::{Expr, ExprKind, InfiniteSet, Op, Spec};
use crate::types::{Type, Types};
use crate::value::Value;
use std::collections::BTreeSet;

/// Every model value the spec mentions: in constants' values and in literals.
pub fn model_values_of(spec: &Spec) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    each_mentioned_value(spec, &mut |v| {
        if let Value::ModelValue(name) = v {
            names.insert(name.clone());
        }
    });
    names
}

/// The integers and strings a spec mentions, each in order.
#[derive(Debug, Default)]
pub struct Mentioned {
    pub ints: Vec<i64>,
    pub strings: Vec<String>,
}

/// Every integer and string the spec mentions: in constants' values, in literals (sets,
/// tuples and records of them included), and, for integers, in ranges with literal bounds
/// (`1..N` once `N` is folded) of at most `RANGE_LIMIT` members. The elements of a set a
/// behaviour builds are most often among them, so `Cardinality` counts over them.
pub fn mentioned_in(spec: &Spec) -> Mentioned {
    const RANGE_LIMIT: i64 = 1024;
    let (mut ints, mut strings) = (BTreeSet::new(), BTreeSet::new());
    each_mentioned_value(spec, &mut |v| match v {
        Value::Int(n) => {
            ints.insert(*n);
        }
        Value::Str(text) => {
            strings.insert(text.clone());
        }
        _ => {}
    });
    for expr in formulas(spec) {
        visit(expr, &mut |e| {
            if let ExprKind::Apply(Op::Range, bounds) = &*e.kind {
                if let [lo, hi] = bounds.as_slice() {
                    if let (ExprKind::Lit(Value::Int(lo)), ExprKind::Lit(Value::Int(hi))) =
                        (&*lo.kind, &*hi.kind)
                    {
                        if hi.saturating_sub(*lo) < RANGE_LIMIT {
                            ints.extend(*lo..=*hi);
                        }
                    }
                }
            }
        });
    }
    Mentioned {
        ints: ints.into_iter().collect(),
        strings: strings.into_iter().collect(),
    }
}

/// Calls `f` on every value in the constants' values and the spec's literals, and on every
/// value inside those.
fn each_mentioned_value(spec: &Spec, f: &mut dyn FnMut(&Value)) {
    constant_values(spec).for_each(|value| each_value(value, f));
    for expr in formulas(spec) {
        visit(expr, &mut |e| {
            if let ExprKind::Lit(value) = &*e.kind {
                each_value(value, f);
            }
        });
    }
}

/// Every string a behaviour of `spec` can hold, when those are all strings of the spec (see
/// the module comment); `None` when some value of type string may be another string.
pub fn strings_of(spec: &Spec, types: &Types) -> Option<BTreeSet<String>> {
    let symbolic_string = spec
        .constants
        .iter()
        .zip(&types.consts)
        .any(|(constant, ty)| constant.is_symbolic() && ty.holds(&Type::Str));
    // A set of records with optional fields has no list of candidate members for decoding
    // (`Sorts::universe`); over an infinite sort Z3's models list its members, but over a
    // finite one Z3 may give it an arbitrary default, which decodes as an infinite set.
    let optional_with_strings = types.optional_fields.keys().any(|ty| ty.holds(&Type::Str));
    if symbolic_string || optional_with_strings {
        return None;
    }
    let mut strings = BTreeSet::new();
    constant_values(spec).for_each(|value| strings_in(value, &mut strings));
    let mut unbounded = false;
    for expr in formulas(spec) {
        visit(expr, &mut |e| match &*e.kind {
            ExprKind::InfiniteSet(InfiniteSet::String) => unbounded = true,
            ExprKind::Lit(value) => strings_in(value, &mut strings),
            _ => field_names_as_strings(e, types, &mut |name| {
                strings.insert(name.to_string());
            }),
        });
    }
    (!unbounded).then_some(strings)
}

/// The field names that `e` uses as string values: those of a record whose `DOMAIN` it takes.
/// (The encoding also reads a function over strings by a field name, `f.name`, but types
/// never give a field access such a function's type.)
fn field_names_as_strings(e: &Expr, types: &Types, add: &mut dyn FnMut(&str)) {
    if let ExprKind::Apply(Op::Domain, args) = &*e.kind {
        let record = args.first().and_then(|arg| types.exprs.get(arg.id.0));
        if let Some(Type::Record(fields)) = record {
            fields.keys().for_each(|name| add(name));
        }
    }
}

/// The values the config gives the constants.
fn constant_values(spec: &Spec) -> impl Iterator<Item = &Value> {
    spec.constants.iter().filter_map(|c| c.value.as_ref())
}

/// Every top-level expression the engines encode: Init, the actions and their parameters'
/// sets, the named formulas and the fairness conditions.
fn formulas(spec: &Spec) -> Vec<&Expr> {
    let mut exprs = vec![&spec.init];
    for action in &spec.actions {
        exprs.push(&action.body);
        exprs.extend(action.params.iter().map(|p| &p.binder.set));
    }
    exprs.extend(spec.named().map(|n| &n.expr));
    for fairness in &spec.fairness {
        exprs.extend(fairness.binders.iter().map(|b| &b.set));
        exprs.push(&fairness.vars);
        exprs.push(&fairness.action);
    }
    exprs
}

/// Calls `f` on `expr` and on every expression inside it.
fn visit(expr: &Expr, f: &mut dyn FnMut(&Expr)) {
    f(expr);
    for child in expr.kind.children() {
        visit(child, f);
    }
}

/// The strings in `value`, added to `strings`.
fn strings_in(value: &Value, strings: &mut BTreeSet<String>) {
    each_value(value, &mut |v| {
        if let Value::Str(text) = v {
            strings.insert(text.clone());
        }
    });
}

/// Calls `f` on `value` and on every value inside it (a function's keys included: a record's
/// field names are strings).
fn each_value(value: &Value, f: &mut dyn FnMut(&Value)) {
    f(value);
    match value {
        Value::Set(items) => items.iter().for_each(|v| each_value(v, f)),
        Value::Fn(map) => {
            for (key, item) in map {
                each_value(key, f);
                each_value(item, f);
            }
        }
        Value::Bool(_) | Value::Int(_) | Value::Str(_) | Value::ModelValue(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::strings_of;
    use crate::testing::compile_text;
    use std::collections::BTreeSet;

    /// The strings of a module `M` with the model `cfg`, as `strings_of` finds them.
    fn strings(tla: &str, cfg: &str) -> Option<BTreeSet<String>> {
        let front = compile_text("M", tla, cfg, &[]);
        strings_of(&front.spec, &front.types)
    }

    fn set(items: &[&str]) -> Option<BTreeSet<String>> {
        Some(items.iter().map(|s| s.to_string()).collect())
    }

    const CFG: &str = "INIT Init\nNEXT Next\n";

    #[test]
    fn the_strings_are_the_literals_and_the_constants_values() {
        let tla = "---- MODULE M ----\nCONSTANT Idle\nVARIABLE pc\n\
                   Init == pc = Idle\nNext == pc' = IF pc = \"busy\" THEN Idle ELSE \"busy\"\n====\n";
        let cfg = format!("{CFG}CONSTANT Idle = \"idle\"\n");
        assert_eq!(strings(tla, &cfg), set(&["busy", "idle"]));
    }

    #[test]
    fn field_names_are_strings_where_they_are_used_as_strings() {
        // `DOMAIN r` holds the record's field names; `s.m` only reads a field.
        let tla = "---- MODULE M ----\nVARIABLES r, s, d\n\
                   Init == r \\in [n : {0}] /\\ s \\in [m : {0}] /\\ d = {}\n\
                   Next == d' = DOMAIN r /\\ r' = r /\\ s' = [s EXCEPT !.m = s.m]\n====\n";
        assert_eq!(strings(tla, CFG), set(&["n"]));
    }

    #[test]
    fn strings_outside_the_spec_keep_z3_strings() {
        // `x' \in STRING` may take any string, and so may a constant left symbolic.
        let tla = "---- MODULE M ----\nVARIABLE x\n\
                   Init == x = \"a\"\nNext == x' \\in STRING\n====\n";
        assert_eq!(strings(tla, CFG), None);
        let tla = "---- MODULE M ----\nCONSTANT C\nVARIABLE x\n\
                   Init == x = \"a\"\nNext == x' = C\n====\n";
        assert_eq!(strings(tla, CFG), None);
    }
}
