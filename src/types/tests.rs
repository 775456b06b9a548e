//! Inference on small specs built by hand.

use super::*;
use crate::diag::{FileId, Kind};
use crate::ir::build::{nowhere, Builder};
use crate::ir::{
    Action, Binder, BoundId, Constant, Expr, ExprKind, InfiniteSet, Loc, Named, Op, PathStep,
    Pattern, Quantifier, Spec, Variable,
};
use crate::syntax::ast::Span;
use crate::value::Value;
use std::collections::BTreeSet;

/// A spec under construction: its variables, constants and an IR builder.
struct Sketch {
    b: Builder,
    vars: Vec<String>,
    constants: Vec<Constant>,
}

fn sketch(vars: &[&str]) -> Sketch {
    Sketch {
        b: Builder::new(),
        vars: vars.iter().map(|v| v.to_string()).collect(),
        constants: vec![],
    }
}

fn at(start: usize, end: usize) -> Loc {
    Loc {
        file: FileId::NONE,
        span: Span::new(start, end),
    }
}

impl Sketch {
    fn constant(&mut self, name: &str, value: Option<Value>) -> Expr {
        self.constants.push(Constant {
            name: name.to_string(),
            value,
            replaced: false,
            loc: nowhere(),
        });
        self.e(ExprKind::Const(ConstId(self.constants.len() - 1)))
    }
    fn e(&mut self, kind: ExprKind) -> Expr {
        self.b.expr(kind, nowhere())
    }
    fn at(&mut self, kind: ExprKind, start: usize, end: usize) -> Expr {
        self.b.expr(kind, at(start, end))
    }
    fn var(&mut self, i: usize) -> Expr {
        self.b.var(i)
    }
    fn primed(&mut self, i: usize) -> Expr {
        self.b.primed(i)
    }
    fn int(&mut self, n: i64) -> Expr {
        self.b.int(n)
    }
    fn str(&mut self, s: &str) -> Expr {
        self.b.lit(Value::Str(s.to_string()))
    }
    fn op(&mut self, op: Op, args: Vec<Expr>) -> Expr {
        self.b.apply(op, args)
    }
    fn eq(&mut self, a: Expr, b: Expr) -> Expr {
        self.op(Op::Eq, vec![a, b])
    }
    fn and(&mut self, items: Vec<Expr>) -> Expr {
        self.op(Op::And, items)
    }
    fn set(&mut self, items: Vec<Expr>) -> Expr {
        self.e(ExprKind::SetEnum(items))
    }
    fn tuple(&mut self, items: Vec<Expr>) -> Expr {
        self.e(ExprKind::Tuple(items))
    }
    fn bound(&mut self, name: &str) -> BoundId {
        self.b.bound(name)
    }
    fn use_bound(&mut self, id: BoundId) -> Expr {
        self.e(ExprKind::Bound(id))
    }
    fn range(&mut self, lo: i64, hi: i64) -> Expr {
        let (lo, hi) = (self.int(lo), self.int(hi));
        self.op(Op::Range, vec![lo, hi])
    }
    fn in_(&mut self, x: Expr, set: Expr) -> Expr {
        self.op(Op::In, vec![x, set])
    }
    /// `x' = e` for variable `i`.
    fn assign(&mut self, i: usize, e: Expr) -> Expr {
        let primed = self.primed(i);
        self.eq(primed, e)
    }
    /// `x = e` for variable `i`.
    fn init(&mut self, i: usize, e: Expr) -> Expr {
        let var = self.var(i);
        self.eq(var, e)
    }

    /// The spec with this Init, these actions (named A0, A1, …) and invariants.
    fn spec(self, init: Expr, actions: Vec<Expr>, invariants: Vec<Expr>) -> Spec {
        let named = |(i, expr): (usize, Expr)| Named {
            name: format!("Inv{i}"),
            expr,
            loc: nowhere(),
        };
        Spec {
            module: "Test".to_string(),
            constants: self.constants,
            vars: self
                .vars
                .iter()
                .map(|name| Variable {
                    name: name.clone(),
                    loc: nowhere(),
                })
                .collect(),
            init,
            actions: actions
                .into_iter()
                .enumerate()
                .map(|(i, body)| Action {
                    name: format!("A{i}"),
                    params: vec![],
                    body,
                    loc: nowhere(),
                })
                .collect(),
            invariants: invariants.into_iter().enumerate().map(named).collect(),
            properties: vec![],
            fairness: vec![],
            constraints: vec![],
            action_constraints: vec![],
            assumptions: vec![],
            check_deadlock: true,
            recursive: Vec::new(),
            expr_count: self.b.expr_count(),
            bound_names: self.b.into_bound_names(),
        }
    }
}

fn types_of(spec: &Spec) -> Types {
    match infer(spec) {
        Ok(types) => types,
        Err(e) => panic!("unexpected type error: {e} {:?}", e.labels),
    }
}

fn var_types(spec: &Spec) -> Vec<String> {
    types_of(spec)
        .vars
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn error_of(spec: &Spec) -> Diagnostic {
    match infer(spec) {
        Ok(types) => panic!("expected a type error, got {}", describe(spec, &types)),
        Err(e) => e,
    }
}

/// The labels of a diagnostic as (primary, span, message).
fn labels(diagnostic: &Diagnostic) -> Vec<(bool, Span, String)> {
    diagnostic
        .labels
        .iter()
        .map(|l| (l.primary, l.span, l.message.clone()))
        .collect()
}

#[test]
fn arithmetic_makes_integers_and_every_node_is_typed() {
    let mut s = sketch(&["x", "big"]);
    let zero = s.int(0);
    let init_x = s.init(0, zero);
    let f = s.e(ExprKind::Lit(Value::Bool(false)));
    let init_big = s.init(1, f);
    let init = s.and(vec![init_x, init_big]);
    let x = s.var(0);
    let one = s.int(1);
    let sum = s.op(Op::Add, vec![x, one]);
    let step = s.assign(0, sum);
    let x = s.var(0);
    let ten = s.int(10);
    let more = s.op(Op::Gt, vec![x, ten]);
    let big = s.assign(1, more);
    let next = s.and(vec![step, big]);
    let spec = s.spec(init, vec![next], vec![]);
    let types = types_of(&spec);
    assert_eq!(types.vars, vec![Type::Int, Type::Bool]);
    assert_eq!(types.exprs.len(), spec.expr_count);
    assert_eq!(types.expr(spec.init.id), &Type::Bool);
}

#[test]
fn set_operators_link_elements_and_sets() {
    let mut s = sketch(&["s", "n", "p", "u"]);
    let empty = s.set(vec![]);
    let init_s = s.init(0, empty);
    let sv = s.var(0);
    let card = s.op(Op::Cardinality, vec![sv]);
    let init_n = s.init(1, card);
    let sv = s.var(0);
    let power = s.op(Op::Powerset, vec![sv]);
    let init_p = s.init(2, power);
    let pv = s.var(2);
    let union = s.op(Op::BigUnion, vec![pv]);
    let init_u = s.init(3, union);
    let init = s.and(vec![init_s, init_n, init_p, init_u]);
    let sv = s.var(0);
    let five = s.int(5);
    let single = s.set(vec![five]);
    let grown = s.op(Op::Union, vec![sv, single]);
    let next = s.assign(0, grown);
    let spec = s.spec(init, vec![next], vec![]);
    assert_eq!(
        var_types(&spec),
        ["Set(Int)", "Int", "Set(Set(Int))", "Set(Int)"]
    );
}

#[test]
fn an_always_empty_set_defaults_to_a_set_of_integers() {
    let mut s = sketch(&["s"]);
    let empty = s.set(vec![]);
    let init = s.init(0, empty);
    let sv = s.var(0);
    let next = s.assign(0, sv);
    let spec = s.spec(init, vec![next], vec![]);
    assert_eq!(var_types(&spec), ["Set(Int)"]);
}

#[test]
fn the_elements_of_a_symbolic_constant_set_are_model_values() {
    let mut s = sketch(&["owner"]);
    let node = s.constant("Node", None);
    let n = s.bound("n");
    let nv = s.use_bound(n);
    let body = s.assign(0, nv);
    let next = s.e(ExprKind::Quant(
        Quantifier::Exists,
        vec![Binder {
            pattern: Pattern::Var(n),
            set: node,
        }],
        body,
    ));
    let node = s.e(ExprKind::Const(ConstId(0)));
    let owner = s.var(0);
    let init = s.in_(owner, node);
    let spec = s.spec(init, vec![next], vec![]);
    let types = types_of(&spec);
    assert_eq!(types.consts, vec![Type::Set(Box::new(Type::ModelValue))]);
    assert_eq!(types.vars, vec![Type::ModelValue]);
    assert_eq!(types.bound(n), &Type::ModelValue);
}

#[test]
fn constant_values_give_their_types() {
    let mut s = sketch(&["x"]);
    let servers = Value::set([
        Value::ModelValue("s1".into()),
        Value::ModelValue("s2".into()),
    ]);
    let node = s.constant("Server", Some(servers));
    s.constant("Limit", Some(Value::Int(3)));
    s.constant("Names", Some(Value::set([Value::Str("a".into())])));
    let x = s.var(0);
    let init = s.in_(x, node);
    let x = s.var(0);
    let next = s.assign(0, x);
    let spec = s.spec(init, vec![next], vec![]);
    let types = types_of(&spec);
    let consts: Vec<String> = types.consts.iter().map(ToString::to_string).collect();
    assert_eq!(consts, ["Set(ModelValue)", "Int", "Set(Str)"]);
    assert_eq!(
        describe(&spec, &types),
        "Server : Set(ModelValue)\nLimit : Int\nNames : Set(Str)\nx : ModelValue\n"
    );
}

#[test]
fn a_conflict_names_the_variable_and_both_uses() {
    let mut s = sketch(&["x"]);
    let zero = s.at(ExprKind::Lit(Value::Int(0)), 10, 11);
    let init = s.init(0, zero);
    let empty = s.at(ExprKind::SetEnum(vec![]), 30, 32);
    let next = s.assign(0, empty);
    let spec = s.spec(init, vec![next], vec![]);
    let error = error_of(&spec);
    assert_eq!(error.kind, Kind::Type);
    assert_eq!(error.code, "E0300");
    assert_eq!(error.message, "`x` is an Int here but a set here");
    assert_eq!(
        labels(&error),
        vec![
            (true, Span::new(30, 32), "a set here".to_string()),
            (false, Span::new(10, 11), "an Int here".to_string()),
        ]
    );
}

#[test]
fn an_operand_of_the_wrong_type_is_pointed_at() {
    let mut s = sketch(&["x"]);
    let text = s.at(ExprKind::Lit(Value::Str("a".into())), 5, 8);
    let init = s.init(0, text);
    let x = s.at(ExprKind::Var(VarId(0)), 20, 21);
    let one = s.int(1);
    let sum = s.op(Op::Add, vec![x, one]);
    let next = s.assign(0, sum);
    let spec = s.spec(init, vec![next], vec![]);
    let error = error_of(&spec);
    assert_eq!(error.message, "`x` is a string here but an Int here");
    assert_eq!(
        labels(&error),
        vec![
            (true, Span::new(20, 21), "an Int here".to_string()),
            (false, Span::new(5, 8), "a string here".to_string()),
        ]
    );
}

#[test]
fn a_nested_conflict_says_where_it_is() {
    let mut s = sketch(&["s"]);
    let one = s.at(ExprKind::Lit(Value::Int(1)), 3, 4);
    let set = s.set(vec![one]);
    let init = s.init(0, set);
    let text = s.at(ExprKind::Lit(Value::Str("a".into())), 12, 15);
    let set = s.set(vec![text]);
    let next = s.assign(0, set);
    let spec = s.spec(init, vec![next], vec![]);
    let error = error_of(&spec);
    assert_eq!(
        error.message,
        "type mismatch in `s`: an Int here but a string here"
    );
    assert_eq!(error.labels[0].span, Span::new(12, 15));
    assert_eq!(error.labels[1].span, Span::new(3, 4));
}

#[test]
fn a_variable_nothing_constrains_is_an_error() {
    let mut s = sketch(&["x", "y"]);
    let zero = s.int(0);
    let init = s.init(0, zero);
    let y = s.var(1);
    let next = s.assign(1, y);
    let spec = s.spec(init, vec![next], vec![]);
    let error = error_of(&spec);
    assert_eq!(error.kind, Kind::Type);
    assert_eq!(error.code, "E0302");
    assert_eq!(
        error.message,
        "cannot infer the type of the state variable `y`"
    );
}

#[test]
fn a_value_containing_itself_is_an_infinite_type() {
    let mut s = sketch(&["x"]);
    let x = s.var(0);
    let set = s.set(vec![x]);
    let init = s.init(0, set);
    let spec = s.spec(init, vec![], vec![]);
    let error = error_of(&spec);
    assert_eq!(error.code, "E0304");
    assert_eq!(
        error.message,
        "the state variable `x` would have an infinite type"
    );
}

#[test]
fn records_fields_and_record_sets() {
    let mut s = sketch(&["r", "msgs"]);
    let one = s.int(1);
    let name = s.str("n");
    let record = s.e(ExprKind::Record(vec![
        ("a".into(), one),
        ("b".into(), name),
    ]));
    let init_r = s.init(0, record);
    let kinds = s.e(ExprKind::Lit(Value::set([Value::Str("req".into())])));
    let values = s.range(1, 3);
    let records = s.e(ExprKind::RecordSet(vec![
        ("type".into(), kinds),
        ("val".into(), values),
    ]));
    let all = s.op(Op::Powerset, vec![records]);
    let msgs = s.var(1);
    let init_msgs = s.in_(msgs, all);
    let init = s.and(vec![init_r, init_msgs]);
    // Next: r' = [r EXCEPT !.a = r.a + 1]
    let r = s.var(0);
    let field = s.e(ExprKind::Field(r, "a".into()));
    let one = s.int(1);
    let sum = s.op(Op::Add, vec![field, one]);
    let r = s.var(0);
    let updated = s.e(ExprKind::Except(
        r,
        vec![(vec![PathStep::Field("a".into())], sum)],
    ));
    let next = s.assign(0, updated);
    // Invariant: \A m \in msgs : m.val > 0
    let m = s.bound("m");
    let mv = s.use_bound(m);
    let val = s.e(ExprKind::Field(mv, "val".into()));
    let zero = s.int(0);
    let positive = s.op(Op::Gt, vec![val, zero]);
    let msgs = s.var(1);
    let inv = s.e(ExprKind::Quant(
        Quantifier::Forall,
        vec![Binder {
            pattern: Pattern::Var(m),
            set: msgs,
        }],
        positive,
    ));
    let spec = s.spec(init, vec![next], vec![inv]);
    assert_eq!(
        var_types(&spec),
        ["[a: Int, b: Str]", "Set([type: Str, val: Int])"]
    );
}

/// `msgs = {[bal |-> 1]}` (at 10..20, `1` at 15..16), then
/// `msgs' = msgs \cup {[field |-> v]}` (at 40..50).
fn two_kinds_of_message(s: &mut Sketch, field: &str, v: Expr) -> (Expr, Expr) {
    let one = s.at(ExprKind::Lit(Value::Int(1)), 15, 16);
    let first = s.at(ExprKind::Record(vec![("bal".into(), one)]), 10, 20);
    let set = s.set(vec![first]);
    let init = s.init(0, set);
    let second = s.at(ExprKind::Record(vec![(field.into(), v)]), 40, 50);
    let msgs = s.var(0);
    let single = s.set(vec![second]);
    let grown = s.op(Op::Union, vec![msgs, single]);
    (init, s.assign(0, grown))
}

/// `\A m \in msgs : body(m)`.
fn for_all_messages(s: &mut Sketch, body: impl FnOnce(&mut Sketch, Expr) -> Expr) -> Expr {
    let m = s.bound("m");
    let mv = s.use_bound(m);
    let predicate = body(s, mv);
    let msgs = s.var(0);
    s.e(ExprKind::Quant(
        Quantifier::Forall,
        vec![Binder {
            pattern: Pattern::Var(m),
            set: msgs,
        }],
        predicate,
    ))
}

#[test]
fn records_with_different_fields_in_one_set_have_optional_fields() {
    let mut s = sketch(&["msgs"]);
    let two = s.int(2);
    let (init, next) = two_kinds_of_message(&mut s, "val", two);
    // \A m \in msgs : m.bal >= 0 /\ DOMAIN m # {}
    let inv = for_all_messages(&mut s, |s, m| {
        let bal = s.e(ExprKind::Field(m.clone(), "bal".into()));
        let zero = s.int(0);
        let non_negative = s.op(Op::Ge, vec![bal, zero]);
        let domain = s.op(Op::Domain, vec![m]);
        let none = s.set(vec![]);
        let some = s.op(Op::Ne, vec![domain, none]);
        s.and(vec![non_negative, some])
    });
    let spec = s.spec(init, vec![next], vec![inv]);
    let types = types_of(&spec);
    let record = Type::Record(BTreeMap::from([
        ("bal".to_string(), Type::Int),
        ("val".to_string(), Type::Int),
    ]));
    assert_eq!(types.vars, [Type::Set(Box::new(record.clone()))]);
    assert_eq!(
        types.show(&types.vars[0]).to_string(),
        "Set([bal?: Int, val?: Int])"
    );
    assert_eq!(
        types.optional_fields,
        BTreeMap::from([(
            record,
            OptionalFields {
                fields: BTreeSet::from(["bal".to_string(), "val".to_string()]),
                example: at(10, 20),
            }
        )])
    );
}

#[test]
fn record_sets_of_different_fields_and_except_of_an_optional_field() {
    let mut s = sketch(&["msgs"]);
    // msgs \subseteq [type: {"P"}, rm: 1..3] \cup [type: {"C"}]
    let prepared = s.e(ExprKind::Lit(Value::set([Value::Str("P".into())])));
    let rms = s.range(1, 3);
    let with_rm = s.e(ExprKind::RecordSet(vec![
        ("type".into(), prepared),
        ("rm".into(), rms),
    ]));
    let commit = s.e(ExprKind::Lit(Value::set([Value::Str("C".into())])));
    let without = s.e(ExprKind::RecordSet(vec![("type".into(), commit)]));
    let messages = s.op(Op::Union, vec![with_rm, without]);
    let msgs = s.var(0);
    let init = s.op(Op::Subseteq, vec![msgs, messages]);
    // msgs' = {[m EXCEPT !.rm = 2] : m \in msgs}
    let m = s.bound("m");
    let mv = s.use_bound(m);
    let two = s.int(2);
    let updated = s.e(ExprKind::Except(
        mv,
        vec![(vec![PathStep::Field("rm".into())], two)],
    ));
    let msgs = s.var(0);
    let mapped = s.e(ExprKind::SetMap(
        updated,
        vec![Binder {
            pattern: Pattern::Var(m),
            set: msgs,
        }],
    ));
    let next = s.assign(0, mapped);
    let spec = s.spec(init, vec![next], vec![]);
    let types = types_of(&spec);
    assert_eq!(
        types.show(&types.vars[0]).to_string(),
        "Set([rm?: Int, type: Str])"
    );
}

#[test]
fn a_field_read_before_the_records_that_have_it_is_typed_by_them() {
    let mut s = sketch(&["r"]);
    // Init: r.b = 2 /\ r = [a |-> 1];  Next: r' = [a |-> 1, b |-> 2]
    let r = s.var(0);
    let b = s.e(ExprKind::Field(r, "b".into()));
    let two = s.int(2);
    let read = s.eq(b, two);
    let one = s.int(1);
    let short = s.e(ExprKind::Record(vec![("a".into(), one)]));
    let start = s.init(0, short);
    let init = s.and(vec![read, start]);
    let (one, two) = (s.int(1), s.int(2));
    let long = s.e(ExprKind::Record(vec![("a".into(), one), ("b".into(), two)]));
    let next = s.assign(0, long);
    let spec = s.spec(init, vec![next], vec![]);
    let types = types_of(&spec);
    assert_eq!(types.show(&types.vars[0]).to_string(), "[a: Int, b?: Int]");
}

#[test]
fn a_field_with_two_types_in_two_records_is_an_error() {
    let mut s = sketch(&["msgs"]);
    let text = s.at(ExprKind::Lit(Value::Str("x".into())), 45, 48);
    let (init, next) = two_kinds_of_message(&mut s, "bal", text);
    let spec = s.spec(init, vec![next], vec![]);
    let error = error_of(&spec);
    assert_eq!(error.code, "E0300");
    assert_eq!(
        error.message,
        "type mismatch in `msgs`: an Int here but a string here"
    );
    assert_eq!(
        labels(&error),
        vec![
            (true, Span::new(45, 48), "a string here".to_string()),
            (false, Span::new(15, 16), "an Int here".to_string()),
        ]
    );
}

#[test]
fn reading_a_field_no_record_has_is_an_error() {
    let mut s = sketch(&["r"]);
    let one = s.int(1);
    let first = s.at(ExprKind::Record(vec![("a".into(), one)]), 0, 9);
    let init = s.init(0, first);
    let two = s.int(2);
    let second = s.at(ExprKind::Record(vec![("b".into(), two)]), 20, 29);
    let next = s.assign(0, second);
    let r = s.var(0);
    let field = s.at(ExprKind::Field(r, "c".into()), 40, 43);
    let zero = s.int(0);
    let inv = s.eq(field, zero);
    let spec = s.spec(init, vec![next], vec![inv]);
    let error = error_of(&spec);
    assert_eq!(error.kind, Kind::Type);
    assert_eq!(error.code, "E0300");
    assert_eq!(
        error.message,
        "`r` is a record [a?, b?] here but a record with field c here"
    );
    assert_eq!(
        labels(&error),
        vec![
            (
                true,
                Span::new(40, 43),
                "a record with field c here".to_string()
            ),
            (false, Span::new(0, 9), "a record [a?, b?] here".to_string()),
        ]
    );
    assert_eq!(
        error.notes,
        ["the records here have the fields a?, b?, none has `c`"]
    );
}

#[test]
fn a_missing_field_is_an_error() {
    let mut s = sketch(&["r"]);
    let one = s.int(1);
    let record = s.at(ExprKind::Record(vec![("a".into(), one)]), 0, 9);
    let init = s.init(0, record);
    let r = s.var(0);
    let field = s.at(ExprKind::Field(r, "b".into()), 20, 23);
    let zero = s.int(0);
    let inv = s.eq(field, zero);
    let spec = s.spec(init, vec![], vec![inv]);
    let error = error_of(&spec);
    assert_eq!(
        error.message,
        "`r` is a record [a] here but a record with field b here"
    );
    assert_eq!(error.notes, ["the record has the fields a, not `b`"]);
}

#[test]
fn tuples_stay_tuples_unless_used_as_sequences() {
    let mut s = sketch(&["pair", "queue", "path", "log"]);
    let one = s.int(1);
    let text = s.str("a");
    let pair = s.tuple(vec![one, text]);
    let init_pair = s.init(0, pair);
    let empty = s.tuple(vec![]);
    let init_queue = s.init(1, empty);
    let (a, b) = (s.int(1), s.int(2));
    let path = s.tuple(vec![a, b]);
    let init_path = s.init(2, path);
    let empty = s.tuple(vec![]);
    let init_log = s.init(3, empty);
    let init = s.and(vec![init_pair, init_queue, init_path, init_log]);
    // queue' = Append(queue, 3); pair[2] = "a"; Len(path) > 0; log' = <<"x">>
    let queue = s.var(1);
    let three = s.int(3);
    let appended = s.op(Op::Append, vec![queue, three]);
    let push = s.assign(1, appended);
    let path = s.var(2);
    let len = s.op(Op::Len, vec![path]);
    let zero = s.int(0);
    let nonempty = s.op(Op::Gt, vec![len, zero]);
    let x = s.str("x");
    let single = s.tuple(vec![x]);
    let log = s.assign(3, single);
    let next = s.and(vec![push, nonempty, log]);
    let pair = s.var(0);
    let two = s.int(2);
    let second = s.e(ExprKind::FnApp(pair, two));
    let a = s.str("a");
    let inv = s.eq(second, a);
    let spec = s.spec(init, vec![next], vec![inv]);
    assert_eq!(
        var_types(&spec),
        ["<<Int, Str>>", "Seq(Int)", "Seq(Int)", "Seq(Str)"]
    );
}

#[test]
fn a_tuple_indexed_by_a_computed_number_is_a_sequence() {
    let mut s = sketch(&["t", "i"]);
    let (a, b) = (s.int(5), s.int(6));
    let tuple = s.tuple(vec![a, b]);
    let init_t = s.init(0, tuple);
    let one = s.int(1);
    let init_i = s.init(1, one);
    let init = s.and(vec![init_t, init_i]);
    let t = s.var(0);
    let i = s.var(1);
    let item = s.e(ExprKind::FnApp(t, i));
    let zero = s.int(0);
    let inv = s.op(Op::Gt, vec![item, zero]);
    let spec = s.spec(init, vec![], vec![inv]);
    assert_eq!(var_types(&spec), ["Seq(Int)", "Int"]);
}

#[test]
fn a_mixed_tuple_used_as_a_sequence_is_an_error() {
    let mut s = sketch(&["t"]);
    let one = s.at(ExprKind::Lit(Value::Int(1)), 1, 2);
    let text = s.at(ExprKind::Lit(Value::Str("a".into())), 4, 7);
    let tuple = s.tuple(vec![one, text]);
    let init = s.init(0, tuple);
    let t = s.var(0);
    let len = s.op(Op::Len, vec![t]);
    let zero = s.int(0);
    let inv = s.op(Op::Gt, vec![len, zero]);
    let spec = s.spec(init, vec![], vec![inv]);
    let error = error_of(&spec);
    assert_eq!(error.code, "E0300");
    assert_eq!(
        error.message,
        "type mismatch in `t`: an Int here but a string here"
    );
}

#[test]
fn a_tuple_index_out_of_range_is_an_error() {
    let mut s = sketch(&["t"]);
    let (a, b) = (s.int(1), s.int(2));
    let tuple = s.tuple(vec![a, b]);
    let init = s.init(0, tuple);
    let t = s.var(0);
    let three = s.at(ExprKind::Lit(Value::Int(3)), 12, 13);
    let item = s.e(ExprKind::FnApp(t, three));
    let zero = s.int(0);
    let inv = s.eq(item, zero);
    let spec = s.spec(init, vec![], vec![inv]);
    let error = error_of(&spec);
    assert_eq!(error.code, "E0305");
    assert_eq!(
        error.message,
        "index 3 is out of range for a tuple of 2 components"
    );
}

#[test]
fn functions_constructors_application_and_except() {
    let mut s = sketch(&["count", "flags"]);
    let node = s.constant("Node", Some(Value::set([Value::ModelValue("n1".into())])));
    let n = s.bound("n");
    let zero = s.int(0);
    let function = s.e(ExprKind::FnCons(
        vec![Binder {
            pattern: Pattern::Var(n),
            set: node,
        }],
        zero,
    ));
    let init_count = s.init(0, function);
    let node = s.e(ExprKind::Const(ConstId(0)));
    let boolean = s.e(ExprKind::Lit(Value::set([
        Value::Bool(false),
        Value::Bool(true),
    ])));
    let functions = s.e(ExprKind::FnSet(node, boolean));
    let flags = s.var(1);
    let init_flags = s.in_(flags, functions);
    let init = s.and(vec![init_count, init_flags]);
    // \E m \in Node : count' = [count EXCEPT ![m] = count[m] + 1]
    let m = s.bound("m");
    let (count, mv) = (s.var(0), s.use_bound(m));
    let old = s.e(ExprKind::FnApp(count, mv));
    let one = s.int(1);
    let sum = s.op(Op::Add, vec![old, one]);
    let (count, mv) = (s.var(0), s.use_bound(m));
    let updated = s.e(ExprKind::Except(
        count,
        vec![(vec![PathStep::Index(mv)], sum)],
    ));
    let body = s.assign(0, updated);
    let node = s.e(ExprKind::Const(ConstId(0)));
    let next = s.e(ExprKind::Quant(
        Quantifier::Exists,
        vec![Binder {
            pattern: Pattern::Var(m),
            set: node,
        }],
        body,
    ));
    // DOMAIN count = Node
    let count = s.var(0);
    let domain = s.op(Op::Domain, vec![count]);
    let node = s.e(ExprKind::Const(ConstId(0)));
    let inv = s.eq(domain, node);
    let spec = s.spec(init, vec![next], vec![inv]);
    assert_eq!(
        var_types(&spec),
        ["(ModelValue -> Int)", "(ModelValue -> Bool)"]
    );
}

#[test]
fn an_application_seen_before_its_function_is_decided_later() {
    let mut s = sketch(&["f"]);
    // f[1] = 0 /\ f = [i \in 1..3 |-> 0]: at `f[1]`, f is not known to be a function yet.
    let f = s.var(0);
    let one = s.int(1);
    let item = s.e(ExprKind::FnApp(f, one));
    let zero = s.int(0);
    let first = s.eq(item, zero);
    let i = s.bound("i");
    let range = s.range(1, 3);
    let zero = s.int(0);
    let function = s.e(ExprKind::FnCons(
        vec![Binder {
            pattern: Pattern::Var(i),
            set: range,
        }],
        zero,
    ));
    let define = s.init(0, function);
    let init = s.and(vec![first, define]);
    let spec = s.spec(init, vec![], vec![]);
    assert_eq!(var_types(&spec), ["(Int -> Int)"]);
}

#[test]
fn a_symbolic_constant_only_applied_is_a_function() {
    let mut s = sketch(&["x"]);
    let weight = s.constant("Weight", None);
    let one = s.int(1);
    let item = s.e(ExprKind::FnApp(weight, one));
    let init = s.init(0, item);
    let x = s.var(0);
    let zero = s.int(0);
    let inv = s.op(Op::Ge, vec![x, zero]);
    let spec = s.spec(init, vec![], vec![inv]);
    let types = types_of(&spec);
    assert_eq!(types.consts[0].to_string(), "(Int -> Int)");
}

#[test]
fn multi_argument_functions_take_tuples() {
    let mut s = sketch(&["m"]);
    let (i, j) = (s.bound("i"), s.bound("j"));
    let (r1, r2) = (s.range(1, 2), s.range(1, 2));
    let f = s.e(ExprKind::Lit(Value::Bool(true)));
    let binders = vec![
        Binder {
            pattern: Pattern::Var(i),
            set: r1,
        },
        Binder {
            pattern: Pattern::Var(j),
            set: r2,
        },
    ];
    let function = s.e(ExprKind::FnCons(binders, f));
    let init_m = s.init(0, function);
    let m = s.var(0);
    let (a, b) = (s.int(1), s.int(2));
    let args = s.tuple(vec![a, b]);
    let item = s.e(ExprKind::FnApp(m, args));
    let init = s.and(vec![init_m, item]);
    let spec = s.spec(init, vec![], vec![]);
    assert_eq!(var_types(&spec), ["(<<Int, Int>> -> Bool)"]);
}

/// `[i \in lo..hi |-> body]`, with `i` a new bound variable.
fn function_over_range(s: &mut Sketch, lo: i64, hi: i64, body: Expr) -> Expr {
    let i = s.bound("i");
    let range = s.range(lo, hi);
    s.e(ExprKind::FnCons(
        vec![Binder {
            pattern: Pattern::Var(i),
            set: range,
        }],
        body,
    ))
}

/// `Len(x) >= 0` for variable `i`: a use of `x` as a sequence.
fn used_as_sequence(s: &mut Sketch, i: usize) -> Expr {
    let x = s.var(i);
    let len = s.op(Op::Len, vec![x]);
    let zero = s.int(0);
    s.op(Op::Ge, vec![len, zero])
}

#[test]
fn a_function_over_a_range_used_as_a_sequence_is_a_sequence() {
    let mut s = sketch(&["f"]);
    // f = [i \in 1..3 |-> 0] /\ Len(f) >= 0
    let zero = s.int(0);
    let function = function_over_range(&mut s, 1, 3, zero);
    let function_id = function.id;
    let init_f = s.init(0, function);
    let len = used_as_sequence(&mut s, 0);
    let init = s.and(vec![init_f, len]);
    let spec = s.spec(init, vec![], vec![]);
    let types = types_of(&spec);
    assert_eq!(types.vars, vec![Type::Seq(Box::new(Type::Int))]);
    assert_eq!(types.expr(function_id).to_string(), "Seq(Int)");
    assert_eq!(types.bounds, vec![Type::Int]);
}

#[test]
fn a_sequence_later_built_as_a_function_stays_a_sequence() {
    let mut s = sketch(&["f"]);
    // Len(f) >= 0 /\ f = [i \in 1..3 |-> TRUE], and f' = Append(f, FALSE): the sequence use
    // comes first, and the value appended meets the function's range.
    let len = used_as_sequence(&mut s, 0);
    let yes = s.e(ExprKind::Lit(Value::Bool(true)));
    let function = function_over_range(&mut s, 1, 3, yes);
    let function_id = function.id;
    let init_f = s.init(0, function);
    let init = s.and(vec![len, init_f]);
    let f = s.var(0);
    let no = s.e(ExprKind::Lit(Value::Bool(false)));
    let append = s.op(Op::Append, vec![f, no]);
    let next = s.assign(0, append);
    let spec = s.spec(init, vec![next], vec![]);
    let types = types_of(&spec);
    assert_eq!(types.vars[0].to_string(), "Seq(Bool)");
    assert_eq!(types.expr(function_id).to_string(), "Seq(Bool)");
}

#[test]
fn a_set_of_functions_over_a_range_is_a_set_of_sequences() {
    let mut s = sketch(&["q", "first"]);
    // q \in [1..3 -> {"a", "b"}] /\ first = q[1] /\ Len(q) >= 0
    let domain = s.range(1, 3);
    let range = s.e(ExprKind::Lit(Value::set([
        Value::Str("a".into()),
        Value::Str("b".into()),
    ])));
    let functions = s.e(ExprKind::FnSet(domain, range));
    let functions_id = functions.id;
    let q = s.var(0);
    let init_q = s.in_(q, functions);
    let q = s.var(0);
    let one = s.int(1);
    let item = s.e(ExprKind::FnApp(q, one));
    let item_id = item.id;
    let init_first = s.init(1, item);
    let len = used_as_sequence(&mut s, 0);
    let init = s.and(vec![init_q, init_first, len]);
    let spec = s.spec(init, vec![], vec![]);
    let types = types_of(&spec);
    assert_eq!(var_types(&spec), ["Seq(Str)", "Str"]);
    assert_eq!(types.expr(functions_id).to_string(), "Set(Seq(Str))");
    assert_eq!(types.expr(item_id).to_string(), "Str");
}

#[test]
fn except_application_and_domain_of_a_function_used_as_a_sequence() {
    let mut s = sketch(&["f", "d"]);
    // Init: f = [i \in 1..2 |-> 0] /\ d = DOMAIN f
    // Next: \E k \in 1..2 : f' = [f EXCEPT ![k] = f[k] + 1] /\ d' = d
    // Inv:  Len(f) >= 0
    let zero = s.int(0);
    let function = function_over_range(&mut s, 1, 2, zero);
    let init_f = s.init(0, function);
    let f = s.var(0);
    let domain = s.op(Op::Domain, vec![f]);
    let domain_id = domain.id;
    let init_d = s.init(1, domain);
    let init = s.and(vec![init_f, init_d]);
    let k = s.bound("k");
    let (f, kv) = (s.var(0), s.use_bound(k));
    let old = s.e(ExprKind::FnApp(f, kv));
    let old_id = old.id;
    let one = s.int(1);
    let sum = s.op(Op::Add, vec![old, one]);
    let (f, kv) = (s.var(0), s.use_bound(k));
    let updated = s.e(ExprKind::Except(f, vec![(vec![PathStep::Index(kv)], sum)]));
    let updated_id = updated.id;
    let step_f = s.assign(0, updated);
    let d = s.var(1);
    let step_d = s.assign(1, d);
    let body = s.and(vec![step_f, step_d]);
    let range = s.range(1, 2);
    let next = s.e(ExprKind::Quant(
        Quantifier::Exists,
        vec![Binder {
            pattern: Pattern::Var(k),
            set: range,
        }],
        body,
    ));
    let inv = used_as_sequence(&mut s, 0);
    let spec = s.spec(init, vec![next], vec![inv]);
    let types = types_of(&spec);
    assert_eq!(var_types(&spec), ["Seq(Int)", "Set(Int)"]);
    assert_eq!(types.expr(updated_id).to_string(), "Seq(Int)");
    assert_eq!(types.expr(old_id).to_string(), "Int");
    assert_eq!(types.expr(domain_id).to_string(), "Set(Int)");
    assert_eq!(types.bound(k), &Type::Int);
}

#[test]
fn literal_functions_keyed_by_integers_used_as_sequences() {
    let mut s = sketch(&["a", "b"]);
    // a = (1 :> "x" @@ 2 :> "y"), b = (2 :> TRUE) (not keyed by 1..n, so a function to the
    // literal), both used as sequences.
    let keyed = |pairs: Vec<(i64, Value)>| {
        Value::Fn(pairs.into_iter().map(|(k, v)| (Value::Int(k), v)).collect())
    };
    let first = s.e(ExprKind::Lit(keyed(vec![
        (1, Value::Str("x".into())),
        (2, Value::Str("y".into())),
    ])));
    let first_id = first.id;
    let second = s.e(ExprKind::Lit(keyed(vec![(2, Value::Bool(true))])));
    let second_id = second.id;
    let init_a = s.init(0, first);
    let init_b = s.init(1, second);
    let (len_a, len_b) = (used_as_sequence(&mut s, 0), used_as_sequence(&mut s, 1));
    let init = s.and(vec![init_a, init_b, len_a, len_b]);
    let spec = s.spec(init, vec![], vec![]);
    let types = types_of(&spec);
    assert_eq!(var_types(&spec), ["Seq(Str)", "Seq(Bool)"]);
    assert_eq!(types.expr(first_id).to_string(), "Seq(Str)");
    assert_eq!(types.expr(second_id).to_string(), "Seq(Bool)");
}

#[test]
fn a_constant_function_over_a_range_used_as_a_sequence() {
    let mut s = sketch(&["x"]);
    // CONSTANT Input = [i \in 1..2 |-> i] given by the config as a value; x = Head(Input).
    let value = Value::Fn(
        [
            (Value::Int(1), Value::Int(1)),
            (Value::Int(2), Value::Int(2)),
        ]
        .into_iter()
        .collect(),
    );
    let input = s.constant("Input", Some(value));
    let head = s.op(Op::Head, vec![input]);
    let init = s.init(0, head);
    let spec = s.spec(init, vec![], vec![]);
    let types = types_of(&spec);
    assert_eq!(types.consts[0].to_string(), "Seq(Int)");
    assert_eq!(var_types(&spec), ["Int"]);
}

#[test]
fn a_function_over_strings_used_as_a_sequence_is_an_error() {
    let mut s = sketch(&["f"]);
    // f = [k \in {"a"} |-> 0] /\ Len(f) = 1
    let k = s.bound("k");
    let keys = s.e(ExprKind::Lit(Value::set([Value::Str("a".into())])));
    let zero = s.int(0);
    let function = s.at(
        ExprKind::FnCons(
            vec![Binder {
                pattern: Pattern::Var(k),
                set: keys,
            }],
            zero,
        ),
        5,
        25,
    );
    let init = s.init(0, function);
    let f = s.at(ExprKind::Var(VarId(0)), 40, 41);
    let len = s.at(ExprKind::Apply(Op::Len, vec![f]), 36, 42);
    let one = s.int(1);
    let inv = s.eq(len, one);
    let spec = s.spec(init, vec![], vec![inv]);
    let error = error_of(&spec);
    assert_eq!(error.kind, Kind::Type);
    assert_eq!(error.code, "E0303");
    assert_eq!(error.message, "`f` is a function here but a sequence here");
    assert_eq!(
        labels(&error),
        vec![
            (true, Span::new(40, 41), "a sequence here".to_string()),
            (false, Span::new(5, 25), "a function here".to_string()),
        ]
    );
}

#[test]
fn a_function_used_as_a_sequence_then_given_string_keys_is_a_mismatch() {
    let mut s = sketch(&["f"]);
    // Len(f) >= 0 /\ f["a"] = 0: f is a sequence first, so its index is an Int, which the
    // string key then clashes with.
    let len = used_as_sequence(&mut s, 0);
    let f = s.var(0);
    let key = s.str("a");
    let item = s.e(ExprKind::FnApp(f, key));
    let zero = s.int(0);
    let inv = s.eq(item, zero);
    let init = s.and(vec![len, inv]);
    let spec = s.spec(init, vec![], vec![]);
    let error = error_of(&spec);
    assert_eq!(error.kind, Kind::Type);
    assert_eq!(error.code, "E0300");
    assert_eq!(
        error.message,
        "type mismatch: an Int here but a string here"
    );
}

#[test]
fn domain_of_records_tuples_and_sequences() {
    let mut s = sketch(&["a", "b", "c"]);
    let one = s.int(1);
    let record = s.e(ExprKind::Record(vec![("f".into(), one)]));
    let domain = s.op(Op::Domain, vec![record]);
    let init_a = s.init(0, domain);
    let (x, y) = (s.int(1), s.str("y"));
    let tuple = s.tuple(vec![x, y]);
    let domain = s.op(Op::Domain, vec![tuple]);
    let init_b = s.init(1, domain);
    let nat = s.e(ExprKind::InfiniteSet(InfiniteSet::Nat));
    let seqs = s.op(Op::SeqSet, vec![nat]);
    let c = s.var(2);
    let init_c = s.in_(c, seqs);
    let init = s.and(vec![init_a, init_b, init_c]);
    let spec = s.spec(init, vec![], vec![]);
    assert_eq!(var_types(&spec), ["Set(Str)", "Set(Int)", "Seq(Int)"]);
}

#[test]
fn cartesian_products_and_tuple_patterns() {
    let mut s = sketch(&["edges", "firsts"]);
    let (r1, r2) = (
        s.range(1, 2),
        s.e(ExprKind::InfiniteSet(InfiniteSet::String)),
    );
    let product = s.e(ExprKind::Times(vec![r1, r2]));
    let all = s.op(Op::Powerset, vec![product]);
    let edges = s.var(0);
    let init_edges = s.in_(edges, all);
    // firsts = {a : <<a, b>> \in edges}
    let (a, b) = (s.bound("a"), s.bound("b"));
    let av = s.use_bound(a);
    let edges = s.var(0);
    let firsts = s.e(ExprKind::SetMap(
        av,
        vec![Binder {
            pattern: Pattern::Tuple(vec![a, b]),
            set: edges,
        }],
    ));
    let init_firsts = s.init(1, firsts);
    let init = s.and(vec![init_edges, init_firsts]);
    let spec = s.spec(init, vec![], vec![]);
    let types = types_of(&spec);
    assert_eq!(types.vars[0].to_string(), "Set(<<Int, Str>>)");
    assert_eq!(types.vars[1].to_string(), "Set(Int)");
    assert_eq!(types.bound(b), &Type::Str);
}

#[test]
fn choose_filter_if_and_case_agree_on_types() {
    let mut s = sketch(&["x", "y", "z"]);
    // x = CHOOSE v \in 1..5 : v > 2
    let v = s.bound("v");
    let vv = s.use_bound(v);
    let two = s.int(2);
    let big = s.op(Op::Gt, vec![vv, two]);
    let range = s.range(1, 5);
    let choice = s.e(ExprKind::Choose(
        Binder {
            pattern: Pattern::Var(v),
            set: range,
        },
        big,
    ));
    let init_x = s.init(0, choice);
    // y = {w \in {"a", "b"} : w /= "a"}
    let w = s.bound("w");
    let wv = s.use_bound(w);
    let a = s.str("a");
    let ne = s.op(Op::Ne, vec![wv, a]);
    let (a, b) = (s.str("a"), s.str("b"));
    let names = s.set(vec![a, b]);
    let filter = s.e(ExprKind::SetFilter(
        Binder {
            pattern: Pattern::Var(w),
            set: names,
        },
        ne,
    ));
    let init_y = s.init(1, filter);
    // z = IF x > 3 THEN <<>> ELSE CASE x = 1 -> <<1>> [] OTHER -> <<2, 3>>
    let x = s.var(0);
    let three = s.int(3);
    let cond = s.op(Op::Gt, vec![x, three]);
    let empty = s.tuple(vec![]);
    let x = s.var(0);
    let one = s.int(1);
    let guard = s.eq(x, one);
    let one = s.int(1);
    let single = s.tuple(vec![one]);
    let (two, three) = (s.int(2), s.int(3));
    let pair = s.tuple(vec![two, three]);
    let case = s.e(ExprKind::Case(vec![(guard, single)], Some(pair)));
    let branch = s.e(ExprKind::If(cond, empty, case));
    let init_z = s.init(2, branch);
    let init = s.and(vec![init_x, init_y, init_z]);
    let spec = s.spec(init, vec![], vec![]);
    assert_eq!(var_types(&spec), ["Int", "Set(Str)", "Seq(Int)"]);
}

#[test]
fn temporal_formulas_and_fairness_are_booleans() {
    let mut s = sketch(&["x"]);
    let zero = s.int(0);
    let init = s.init(0, zero);
    let x = s.var(0);
    let one = s.int(1);
    let sum = s.op(Op::Add, vec![x, one]);
    let next = s.assign(0, sum);
    let x = s.var(0);
    let five = s.int(5);
    let reached = s.op(Op::Gt, vec![x, five]);
    let eventually = s.e(ExprKind::Eventually(reached));
    let always = s.e(ExprKind::Always(eventually));
    let x = s.var(0);
    let subscript = s.tuple(vec![x]);
    let x = s.var(0);
    let one = s.int(1);
    let sum = s.op(Op::Add, vec![x, one]);
    let action = s.assign(0, sum);
    let enabled = s.e(ExprKind::Enabled(action));
    let mut spec = s.spec(init, vec![next], vec![]);
    spec.properties.push(Named {
        name: "Live".into(),
        expr: always.clone(),
        loc: nowhere(),
    });
    spec.invariants.push(Named {
        name: "En".into(),
        expr: enabled.clone(),
        loc: nowhere(),
    });
    spec.fairness.push(crate::ir::FairnessCondition {
        kind: crate::ir::Fairness::Weak,
        binders: vec![],
        vars: subscript.clone(),
        action: spec.actions[0].body.clone(),
        loc: nowhere(),
    });
    let types = types_of(&spec);
    assert_eq!(types.expr(always.id), &Type::Bool);
    assert_eq!(types.expr(enabled.id), &Type::Bool);
    assert_eq!(types.expr(subscript.id).to_string(), "<<Int>>");
}

#[test]
fn strings_concatenate_as_strings_and_sequences_as_sequences() {
    let mut s = sketch(&["word", "list"]);
    let (a, b) = (s.str("a"), s.str("b"));
    let joined = s.op(Op::Concat, vec![a, b]);
    let init_word = s.init(0, joined);
    let one = s.int(1);
    let single = s.tuple(vec![one]);
    let empty = s.tuple(vec![]);
    let joined = s.op(Op::Concat, vec![single, empty]);
    let init_list = s.init(1, joined);
    let init = s.and(vec![init_word, init_list]);
    let spec = s.spec(init, vec![], vec![]);
    assert_eq!(var_types(&spec), ["Str", "Seq(Int)"]);
}

#[test]
fn a_function_from_a_value_literal_keeps_its_types() {
    let mut s = sketch(&["f", "r"]);
    let map = Value::Fn(
        [(Value::ModelValue("a".into()), Value::Int(1))]
            .into_iter()
            .collect(),
    );
    let lit = s.e(ExprKind::Lit(map));
    let init_f = s.init(0, lit);
    let record = s.e(ExprKind::Lit(Value::record([("k", Value::Bool(true))])));
    let init_r = s.init(1, record);
    let init = s.and(vec![init_f, init_r]);
    let spec = s.spec(init, vec![], vec![]);
    assert_eq!(var_types(&spec), ["(ModelValue -> Int)", "[k: Bool]"]);
}

#[test]
fn sequence_operators() {
    let mut s = sketch(&["q", "h", "rest", "part"]);
    let node = s.e(ExprKind::Lit(Value::set([Value::ModelValue("n".into())])));
    let seqs = s.op(Op::SeqSet, vec![node]);
    let q = s.var(0);
    let init_q = s.in_(q, seqs);
    let q = s.var(0);
    let head = s.op(Op::Head, vec![q]);
    let init_h = s.init(1, head);
    let q = s.var(0);
    let tail = s.op(Op::Tail, vec![q]);
    let init_rest = s.init(2, tail);
    let q = s.var(0);
    let (one, two) = (s.int(1), s.int(2));
    let sub = s.op(Op::SubSeq, vec![q, one, two]);
    let init_part = s.init(3, sub);
    let init = s.and(vec![init_q, init_h, init_rest, init_part]);
    let spec = s.spec(init, vec![], vec![]);
    assert_eq!(
        var_types(&spec),
        [
            "Seq(ModelValue)",
            "ModelValue",
            "Seq(ModelValue)",
            "Seq(ModelValue)"
        ]
    );
}

#[test]
fn a_constant_nothing_mentions_is_an_int() {
    let mut s = sketch(&["x"]);
    s.constant("Unused", None);
    let zero = s.int(0);
    let init = s.init(0, zero);
    let spec = s.spec(init, vec![], vec![]);
    assert_eq!(types_of(&spec).consts, vec![Type::Int]);
}

#[test]
fn a_set_applied_as_a_function_is_an_error() {
    let mut s = sketch(&["s"]);
    let empty = s.at(ExprKind::SetEnum(vec![]), 7, 9);
    let init = s.init(0, empty);
    let sv = s.var(0);
    let one = s.int(1);
    let item = s.at(ExprKind::FnApp(sv, one), 20, 24);
    let zero = s.int(0);
    let inv = s.eq(item, zero);
    let spec = s.spec(init, vec![], vec![inv]);
    let error = error_of(&spec);
    assert_eq!(error.code, "E0300");
    assert_eq!(
        error.message,
        "`s` is a set here but applied as a function here"
    );
    assert_eq!(
        labels(&error),
        vec![
            (true, Span::new(20, 24), "applied as a function".to_string()),
            (false, Span::new(7, 9), "a set here".to_string()),
        ]
    );
}

// ---- Model values mixed with other types ---------------------------------------------------

/// A spec with `x = NoVal` in Init and `x' = 1` in its action, or the two swapped; the
/// equation with the number is at 30..35.
fn sentinel_beside_a_number(sentinel_first: bool) -> Spec {
    let mut s = sketch(&["x"]);
    let sentinel = s.constant("NoVal", Some(Value::ModelValue("NoVal".into())));
    let x = s.var(0);
    let with_sentinel = s.eq(x, sentinel);
    let (x_next, one) = (s.primed(0), s.int(1));
    let with_number = s.at(ExprKind::Apply(Op::Eq, vec![x_next, one]), 30, 35);
    let (init, next) = if sentinel_first {
        (with_sentinel, with_number)
    } else {
        (with_number, with_sentinel)
    };
    s.spec(init, vec![next], vec![])
}

#[test]
fn a_model_value_beside_numbers_types_them_as_int_or_model_value() {
    let types = types_of(&sentinel_beside_a_number(true));
    assert_eq!(types.vars, [Type::Int]);
    assert_eq!(types.show(&types.vars[0]).to_string(), "Int | ModelValue");
    assert_eq!(types.vars[0].to_string(), "Int");
    assert_eq!(
        types.with_model_values,
        BTreeMap::from([(Type::Int, at(30, 35))])
    );
    assert!(types.optional_fields.is_empty());
}

#[test]
fn which_of_the_model_value_and_the_number_comes_first_does_not_matter() {
    let first = types_of(&sentinel_beside_a_number(true));
    let second = types_of(&sentinel_beside_a_number(false));
    assert_eq!(first.vars, second.vars);
    assert_eq!(
        first.with_model_values.keys().collect::<Vec<_>>(),
        second.with_model_values.keys().collect::<Vec<_>>()
    );
}

#[test]
fn a_model_value_in_a_place_of_unknown_type_makes_it_a_model_value() {
    let mut s = sketch(&["x"]);
    let sentinel = s.constant("NoVal", Some(Value::ModelValue("NoVal".into())));
    let init = s.init(0, sentinel);
    let spec = s.spec(init, vec![], vec![]);
    let types = types_of(&spec);
    assert_eq!(types.vars, [Type::ModelValue]);
    assert!(types.with_model_values.is_empty());
}

#[test]
fn arithmetic_on_a_sentinel_types_it_as_a_number() {
    // x = NoVal + 1: TLC fails on it only when it evaluates it.
    let mut s = sketch(&["x"]);
    let sentinel = s.constant("NoVal", Some(Value::ModelValue("NoVal".into())));
    let one = s.int(1);
    let sum = s.at(ExprKind::Apply(Op::Add, vec![sentinel, one]), 4, 13);
    let init = s.init(0, sum);
    let spec = s.spec(init, vec![], vec![]);
    let types = types_of(&spec);
    assert_eq!(types.vars, [Type::Int]);
    assert_eq!(types.consts, [Type::Int]);
    assert_eq!(types.show(&types.consts[0]).to_string(), "Int | ModelValue");
}

#[test]
fn a_model_value_does_not_hide_a_clash_between_other_types() {
    // x = NoVal, then x' = 1 and x' = "a"
    let mut s = sketch(&["x"]);
    let sentinel = s.constant("NoVal", Some(Value::ModelValue("NoVal".into())));
    let init = s.init(0, sentinel);
    let one = s.at(ExprKind::Lit(Value::Int(1)), 20, 21);
    let number = s.assign(0, one);
    let text = s.at(ExprKind::Lit(Value::Str("a".into())), 30, 33);
    let string = s.assign(0, text);
    let next = s.and(vec![number, string]);
    let spec = s.spec(init, vec![next], vec![]);
    let error = error_of(&spec);
    assert_eq!(error.code, "E0300");
    assert_eq!(error.message, "`x` is an Int here but a string here");
    assert_eq!(
        labels(&error),
        vec![
            (true, Span::new(30, 33), "a string here".to_string()),
            (false, Span::new(20, 21), "an Int here".to_string()),
        ]
    );
}

#[test]
fn a_model_value_or_a_set_of_them_is_a_set_of_model_values_or_a_model_value() {
    // As in DijkstraMutex: Init k \in P /\ t = k; Next t' = P. TLC's `t` holds a process or a
    // set of processes.
    let mut s = sketch(&["k", "t"]);
    let processes = Value::set([
        Value::ModelValue("p1".into()),
        Value::ModelValue("p2".into()),
    ]);
    let p = s.constant("P", Some(processes));
    let k = s.var(0);
    let k_in_p = s.in_(k, p.clone());
    let k = s.var(0);
    let t_is_k = s.init(1, k);
    let init = s.and(vec![k_in_p, t_is_k]);
    let next = s.assign(1, p);
    let spec = s.spec(init, vec![next], vec![]);
    let types = types_of(&spec);
    let processes = Type::Set(Box::new(Type::ModelValue));
    assert_eq!(types.vars, [processes.clone(), processes.clone()]);
    let shown: Vec<String> = types
        .vars
        .iter()
        .map(|t| types.show(t).to_string())
        .collect();
    assert_eq!(shown, ["Set(ModelValue) | ModelValue"; 2]);
    assert_eq!(
        types.with_model_values.keys().collect::<Vec<_>>(),
        [&processes]
    );
    // `P` is a set of those values, and so is one of them: one class.
    assert_eq!(types.consts, [processes]);
}
