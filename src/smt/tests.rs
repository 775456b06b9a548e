//! Tests of the encoding on hand-built IR: each formula is checked valid (its negation is
//! unsatisfiable) or decoded back to the value it denotes.

use super::Encoder;
use crate::ir::build::{nowhere, Builder};
use crate::ir::{
    Action, Binder, BoundId, Expr, ExprKind, Named, Op, Param, PathStep, Pattern, Quantifier, Spec,
    Variable,
};
use crate::types::{Type, Types};
use crate::value::Value;
use std::collections::BTreeMap;
use z3::SatResult;

/// Builds IR with a type for every node.
pub(crate) struct Ir {
    builder: Builder,
    exprs: Vec<Type>,
    bounds: Vec<Type>,
}

impl Ir {
    pub fn new() -> Ir {
        Ir {
            builder: Builder::new(),
            exprs: Vec::new(),
            bounds: Vec::new(),
        }
    }

    pub fn mk(&mut self, kind: ExprKind, ty: Type) -> Expr {
        let expr = self.builder.expr(kind, nowhere());
        if self.exprs.len() <= expr.id.0 {
            self.exprs.resize(expr.id.0 + 1, Type::Bool);
        }
        self.exprs[expr.id.0] = ty;
        expr
    }

    pub fn int(&mut self, n: i64) -> Expr {
        self.mk(ExprKind::Lit(Value::Int(n)), Type::Int)
    }

    pub fn boolean(&mut self, b: bool) -> Expr {
        self.mk(ExprKind::Lit(Value::Bool(b)), Type::Bool)
    }

    pub fn mv(&mut self, name: &str) -> Expr {
        self.mk(
            ExprKind::Lit(Value::ModelValue(name.into())),
            Type::ModelValue,
        )
    }

    pub fn string(&mut self, text: &str) -> Expr {
        self.mk(ExprKind::Lit(Value::Str(text.into())), Type::Str)
    }

    pub fn var(&mut self, v: usize, ty: Type) -> Expr {
        self.mk(ExprKind::Var(crate::ir::VarId(v)), ty)
    }

    pub fn primed(&mut self, v: usize, ty: Type) -> Expr {
        self.mk(ExprKind::Primed(crate::ir::VarId(v)), ty)
    }

    pub fn op(&mut self, op: Op, args: Vec<Expr>, ty: Type) -> Expr {
        self.mk(ExprKind::Apply(op, args), ty)
    }

    pub fn eq(&mut self, a: Expr, b: Expr) -> Expr {
        self.op(Op::Eq, vec![a, b], Type::Bool)
    }

    pub fn and(&mut self, args: Vec<Expr>) -> Expr {
        self.op(Op::And, args, Type::Bool)
    }

    pub fn bound(&mut self, name: &str, ty: Type) -> BoundId {
        let id = self.builder.bound(name);
        self.bounds.push(ty);
        id
    }

    pub fn bvar(&mut self, id: BoundId) -> Expr {
        let ty = self.bounds[id.0].clone();
        self.mk(ExprKind::Bound(id), ty)
    }

    pub fn set(&mut self, items: Vec<Expr>, elem: Type) -> Expr {
        self.mk(ExprKind::SetEnum(items), Type::Set(Box::new(elem)))
    }

    pub fn ints(&mut self, items: &[i64]) -> Expr {
        let items = items.iter().map(|n| self.int(*n)).collect();
        self.set(items, Type::Int)
    }

    pub fn range(&mut self, lo: i64, hi: i64) -> Expr {
        let (lo, hi) = (self.int(lo), self.int(hi));
        self.op(Op::Range, vec![lo, hi], set_of(Type::Int))
    }

    pub fn binder(id: BoundId, set: Expr) -> Binder {
        Binder {
            pattern: Pattern::Var(id),
            set,
        }
    }

    /// A spec with the given variables, `Init`, actions and invariants.
    pub fn spec(
        self,
        vars: &[(&str, Type)],
        init: Expr,
        actions: Vec<Action>,
        invariants: Vec<(&str, Expr)>,
    ) -> (Spec, Types) {
        let spec = Spec {
            module: "Test".into(),
            constants: Vec::new(),
            vars: vars
                .iter()
                .map(|(name, _)| Variable {
                    name: name.to_string(),
                    loc: nowhere(),
                })
                .collect(),
            init,
            actions,
            invariants: invariants
                .into_iter()
                .map(|(name, expr)| named(name, expr))
                .collect(),
            properties: Vec::new(),
            fairness: Vec::new(),
            constraints: Vec::new(),
            action_constraints: Vec::new(),
            assumptions: Vec::new(),
            check_deadlock: false,
            recursive: Vec::new(),
            bound_names: self.builder.bound_names().to_vec(),
            expr_count: self.builder.expr_count(),
        };
        let types = Types {
            vars: vars.iter().map(|(_, ty)| ty.clone()).collect(),
            consts: Vec::new(),
            bounds: self.bounds,
            exprs: self.exprs,
            optional_fields: Default::default(),
            with_model_values: Default::default(),
        };
        (spec, types)
    }
}

pub(crate) fn named(name: &str, expr: Expr) -> Named {
    Named {
        name: name.into(),
        expr,
        loc: nowhere(),
    }
}

pub(crate) fn action(name: &str, params: Vec<Param>, body: Expr) -> Action {
    Action {
        name: name.into(),
        params,
        body,
        loc: nowhere(),
    }
}

pub(crate) fn set_of(ty: Type) -> Type {
    Type::Set(Box::new(ty))
}

fn fn_of(a: Type, b: Type) -> Type {
    Type::Fn(Box::new(a), Box::new(b))
}

/// Whether what `solver` holds, with the axioms `encoder` has pending, is unsatisfiable; a
/// solver that cannot tell fails the test.
pub(super) fn unsatisfiable(solver: &z3::Solver, encoder: &mut Encoder) -> bool {
    for axiom in encoder.take_axioms() {
        solver.assert(axiom);
    }
    match solver.check() {
        SatResult::Unsat => true,
        SatResult::Sat => false,
        SatResult::Unknown => panic!("unknown: {:?}", solver.get_reason_unknown()),
    }
}

/// Whether `formula` holds in every model (with no state variables constrained).
fn valid(ir: Ir, formula: Expr) -> bool {
    let (spec, types) = ir.spec(&[], formula.clone(), Vec::new(), Vec::new());
    z3::with_z3_config(&z3::Config::new(), || {
        let mut encoder = Encoder::new(&spec, &types);
        let solver = z3::Solver::new();
        solver.assert(encoder.violated(&formula, 0).expect("encodes"));
        unsatisfiable(&solver, &mut encoder)
    })
}

/// The value of `expr` (of type `ty`), read back from a model.
fn value_of(ir: Ir, expr: Expr, ty: Type) -> Value {
    let mut ir = ir;
    let x = ir.var(0, ty.clone());
    let init = ir.eq(x, expr);
    let (spec, types) = ir.spec(&[("x", ty)], init.clone(), Vec::new(), Vec::new());
    z3::with_z3_config(&z3::Config::new(), || {
        let mut encoder = Encoder::new(&spec, &types);
        let solver = z3::Solver::new();
        solver.assert(encoder.holds(&init, 0).expect("encodes"));
        for axiom in encoder.take_axioms() {
            solver.assert(axiom);
        }
        assert_eq!(solver.check(), SatResult::Sat);
        let model = solver.get_model().expect("a model");
        encoder.decode_state(&model, 0).expect("decodes").remove(0)
    })
}

fn encode_error(ir: Ir, formula: Expr) -> crate::diag::Diagnostic {
    let (spec, types) = ir.spec(&[], formula.clone(), Vec::new(), Vec::new());
    z3::with_z3_config(&z3::Config::new(), || {
        let mut encoder = Encoder::new(&spec, &types);
        match encoder.holds(&formula, 0) {
            Ok(_) => panic!("expected an encoding error"),
            Err(diagnostic) => diagnostic,
        }
    })
}

fn int_set(items: &[i64]) -> Value {
    Value::set(items.iter().map(|n| Value::Int(*n)))
}

#[test]
fn set_union_filter_and_subset() {
    let mut ir = Ir::new();
    // {1, 2} \cup {3} = 1..3
    let (a, b) = (ir.ints(&[1, 2]), ir.ints(&[3]));
    let union = ir.op(Op::Union, vec![a, b], set_of(Type::Int));
    let range = ir.range(1, 3);
    let same = ir.eq(union, range);
    // {x \in 1..6 : x % 2 = 0} = {2, 4, 6}
    let x = ir.bound("x", Type::Int);
    let (xv, two, zero) = (ir.bvar(x), ir.int(2), ir.int(0));
    let modulo = ir.op(Op::Mod, vec![xv, two], Type::Int);
    let even = ir.eq(modulo, zero);
    let range = ir.range(1, 6);
    let filter = ir.mk(
        ExprKind::SetFilter(Ir::binder(x, range), even),
        set_of(Type::Int),
    );
    let evens = ir.ints(&[2, 4, 6]);
    let filtered = ir.eq(filter, evens);
    // {1, 3} \subseteq 1..3 /\ 4 \notin 1..3
    let (small, range) = (ir.ints(&[1, 3]), ir.range(1, 3));
    let subset = ir.op(Op::Subseteq, vec![small, range], Type::Bool);
    let (four, range) = (ir.int(4), ir.range(1, 3));
    let outside = ir.op(Op::NotIn, vec![four, range], Type::Bool);
    let all = ir.and(vec![same, filtered, subset, outside]);
    assert!(valid(ir, all));
}

#[test]
fn adding_and_removing_listed_elements_is_exact() {
    let mut ir = Ir::new();
    // (1..2 \cup {3, 4}) \ {1, 5} = {2, 3, 4}: a union and a difference with listed elements
    // are stores into the other set.
    let (range, listed) = (ir.range(1, 2), ir.ints(&[3, 4]));
    let union = ir.op(Op::Union, vec![range, listed], set_of(Type::Int));
    let removed = ir.ints(&[1, 5]);
    let minus = ir.op(Op::SetMinus, vec![union, removed], set_of(Type::Int));
    let expected = ir.ints(&[2, 3, 4]);
    let same = ir.eq(minus, expected);
    // {1} \cup {2} \cup 3..4 = 1..4, and {1} \cup {1} = {1}.
    let (one, two, range) = (ir.ints(&[1]), ir.ints(&[2]), ir.range(3, 4));
    let union = ir.op(Op::Union, vec![one, two, range], set_of(Type::Int));
    let all_four = ir.range(1, 4);
    let joined = ir.eq(union, all_four);
    let (one, again, single) = (ir.ints(&[1]), ir.ints(&[1]), ir.ints(&[1]));
    let twice = ir.op(Op::Union, vec![one, again], set_of(Type::Int));
    let idempotent = ir.eq(twice, single);
    let all = ir.and(vec![same, joined, idempotent]);
    assert!(valid(ir, all));
}

#[test]
fn set_difference_is_not_mistaken_for_equality() {
    let mut ir = Ir::new();
    let (a, b) = (ir.ints(&[1, 2, 3]), ir.ints(&[2]));
    let minus = ir.op(Op::SetMinus, vec![a, b], set_of(Type::Int));
    let wrong = ir.ints(&[1]);
    let claim = ir.eq(minus, wrong);
    assert!(!valid(ir, claim));
}

#[test]
fn sets_of_integers_decode_to_their_members() {
    let mut ir = Ir::new();
    let (a, b) = (ir.ints(&[5, 1]), ir.range(7, 8));
    let union = ir.op(Op::Union, vec![a, b], set_of(Type::Int));
    assert_eq!(
        value_of(ir, union, set_of(Type::Int)),
        int_set(&[1, 5, 7, 8])
    );
}

#[test]
fn functions_apply_update_and_compare_by_value() {
    let mut ir = Ir::new();
    let f_ty = fn_of(Type::Int, Type::Int);
    // [i \in {1, 2} |-> i * 10]
    let i = ir.bound("i", Type::Int);
    let (iv, ten) = (ir.bvar(i), ir.int(10));
    let body = ir.op(Op::Mul, vec![iv, ten], Type::Int);
    let dom = ir.ints(&[1, 2]);
    let f = ir.mk(
        ExprKind::FnCons(vec![Ir::binder(i, dom)], body),
        f_ty.clone(),
    );
    // [f EXCEPT ![2] = 7] = (1 :> 10 @@ 2 :> 7)
    let (two, seven) = (ir.int(2), ir.int(7));
    let updated = ir.mk(
        ExprKind::Except(f.clone(), vec![(vec![PathStep::Index(two)], seven)]),
        f_ty.clone(),
    );
    let (k1, v1, k2, v2) = (ir.int(1), ir.int(10), ir.int(2), ir.int(7));
    let one = ir.op(Op::SingletonFn, vec![k1, v1], f_ty.clone());
    let other = ir.op(Op::SingletonFn, vec![k2, v2], f_ty.clone());
    let merged = ir.op(Op::FnMerge, vec![one, other], f_ty.clone());
    let same = ir.eq(updated, merged);
    // f[2] = 20 /\ DOMAIN f = {1, 2}
    let two = ir.int(2);
    let applied = ir.mk(ExprKind::FnApp(f.clone(), two), Type::Int);
    let twenty = ir.int(20);
    let at_two = ir.eq(applied, twenty);
    let domain = ir.op(Op::Domain, vec![f.clone()], set_of(Type::Int));
    let expected = ir.ints(&[1, 2]);
    let dom_ok = ir.eq(domain, expected);
    // EXCEPT outside the domain changes nothing: [f EXCEPT ![3] = 0] = f
    let (three, zero) = (ir.int(3), ir.int(0));
    let outside = ir.mk(
        ExprKind::Except(f.clone(), vec![(vec![PathStep::Index(three)], zero)]),
        f_ty,
    );
    let unchanged = ir.eq(outside, f);
    let all = ir.and(vec![same, at_two, dom_ok, unchanged]);
    assert!(valid(ir, all));
}

/// A function over few values is held pointwise (`sorts`); read and updated at an arbitrary
/// index `x` (a state variable), it agrees with TLA+: EXCEPT outside the domain changes nothing,
/// and equality compares the values on the domain only.
/// `[n \in {n1, n2} |-> n = n1]`, a function over two of the model values.
fn first_of_two_nodes(ir: &mut Ir) -> Expr {
    let n = ir.bound("n", Type::ModelValue);
    let (nv, n1) = (ir.bvar(n), ir.mv("n1"));
    let body = ir.eq(nv, n1);
    let (a, b) = (ir.mv("n1"), ir.mv("n2"));
    let nodes = ir.set(vec![a, b], Type::ModelValue);
    ir.mk(
        ExprKind::FnCons(vec![Ir::binder(n, nodes)], body),
        fn_of(Type::ModelValue, Type::Bool),
    )
}

#[test]
fn pointwise_functions_read_update_and_compare_at_any_index() {
    let mut ir = Ir::new();
    let f_ty = fn_of(Type::ModelValue, Type::Bool);
    let x = ir.var(0, Type::ModelValue);
    // f = [n \in {n1, n2} |-> n = n1], over the model values n1, n2, n3
    let f = first_of_two_nodes(&mut ir);
    // [f EXCEPT ![x] = TRUE] = f <=> x \in {n1, n3}
    let yes = ir.boolean(true);
    let updated = ir.mk(
        ExprKind::Except(f.clone(), vec![(vec![PathStep::Index(x.clone())], yes)]),
        f_ty.clone(),
    );
    let unchanged = ir.eq(updated.clone(), f.clone());
    let (c, d) = (ir.mv("n1"), ir.mv("n3"));
    let where_unchanged = ir.set(vec![c, d], Type::ModelValue);
    let x_there = ir.op(Op::In, vec![x.clone(), where_unchanged], Type::Bool);
    let same_iff = ir.op(Op::Equiv, vec![unchanged, x_there], Type::Bool);
    // x \in DOMAIN f => [f EXCEPT ![x] = TRUE][x]
    let domain = ir.op(Op::Domain, vec![f], set_of(Type::ModelValue));
    let in_domain = ir.op(Op::In, vec![x.clone(), domain.clone()], Type::Bool);
    let read = ir.mk(ExprKind::FnApp(updated, x), Type::Bool);
    let read_back = ir.op(Op::Implies, vec![in_domain, read], Type::Bool);
    // DOMAIN f = {n1, n2}
    let (a, b) = (ir.mv("n1"), ir.mv("n2"));
    let nodes = ir.set(vec![a, b], Type::ModelValue);
    let domain_ok = ir.eq(domain, nodes);
    let all = ir.and(vec![same_iff, read_back, domain_ok]);
    let (spec, types) = ir.spec(
        &[("x", Type::ModelValue)],
        all.clone(),
        Vec::new(),
        Vec::new(),
    );
    z3::with_z3_config(&z3::Config::new(), || {
        let mut encoder = Encoder::new(&spec, &types);
        let solver = z3::Solver::new();
        solver.assert(encoder.violated(&all, 0).expect("encodes"));
        assert!(unsatisfiable(&solver, &mut encoder));
    });
}

#[test]
fn functions_over_model_values_decode() {
    let mut ir = Ir::new();
    let f_ty = fn_of(Type::ModelValue, Type::Bool);
    let f = first_of_two_nodes(&mut ir);
    let expected = Value::Fn(BTreeMap::from([
        (Value::ModelValue("n1".into()), Value::Bool(true)),
        (Value::ModelValue("n2".into()), Value::Bool(false)),
    ]));
    assert_eq!(value_of(ir, f, f_ty), expected);
}

#[test]
fn records_build_read_update_and_decode() {
    let mut ir = Ir::new();
    let rec_ty = Type::Record(BTreeMap::from([
        ("a".to_string(), Type::Int),
        ("b".to_string(), Type::Str),
    ]));
    let (one, text) = (ir.int(1), ir.string("hi"));
    let record = ir.mk(
        ExprKind::Record(vec![("b".into(), text), ("a".into(), one)]),
        rec_ty.clone(),
    );
    let seven = ir.int(7);
    let updated = ir.mk(
        ExprKind::Except(record, vec![(vec![PathStep::Field("a".into())], seven)]),
        rec_ty.clone(),
    );
    let expected = Value::record([("a", Value::Int(7)), ("b", Value::Str("hi".into()))]);
    assert_eq!(value_of(ir, updated, rec_ty), expected);
}

#[test]
fn record_sets_constrain_each_field() {
    let mut ir = Ir::new();
    let rec_ty = Type::Record(BTreeMap::from([
        ("a".to_string(), Type::Int),
        ("b".to_string(), Type::Bool),
    ]));
    let (one, t) = (ir.int(3), ir.boolean(true));
    let record = ir.mk(
        ExprKind::Record(vec![("a".into(), one), ("b".into(), t)]),
        rec_ty.clone(),
    );
    let (range, f, t) = (ir.range(1, 2), ir.boolean(false), ir.boolean(true));
    let bools = ir.set(vec![f, t], Type::Bool);
    let records = ir.mk(
        ExprKind::RecordSet(vec![("a".into(), range), ("b".into(), bools)]),
        set_of(rec_ty),
    );
    let member = ir.op(Op::In, vec![record, records], Type::Bool);
    let not_member = ir.op(Op::Not, vec![member], Type::Bool);
    assert!(valid(ir, not_member));
}

#[test]
fn tuples_index_and_decode() {
    let mut ir = Ir::new();
    let tuple_ty = Type::Tuple(vec![Type::Int, Type::Bool]);
    let (one, t) = (ir.int(4), ir.boolean(true));
    let tuple = ir.mk(ExprKind::Tuple(vec![one, t]), tuple_ty.clone());
    let two = ir.int(2);
    let second = ir.mk(ExprKind::FnApp(tuple.clone(), two), Type::Bool);
    assert!(valid(ir, second));
    let mut ir = Ir::new();
    let (one, t) = (ir.int(4), ir.boolean(true));
    let tuple = ir.mk(ExprKind::Tuple(vec![one, t]), tuple_ty.clone());
    assert_eq!(
        value_of(ir, tuple, tuple_ty),
        Value::tuple([Value::Int(4), Value::Bool(true)])
    );
}

#[test]
fn sequences_append_tail_and_decode() {
    let seq_ty = Type::Seq(Box::new(Type::Int));
    let mut ir = Ir::new();
    let (a, b, c) = (ir.int(1), ir.int(2), ir.int(3));
    let seq = ir.mk(ExprKind::Tuple(vec![a, b]), seq_ty.clone());
    let appended = ir.op(Op::Append, vec![seq, c], seq_ty.clone());
    let len = ir.op(Op::Len, vec![appended.clone()], Type::Int);
    let three = ir.int(3);
    let len_ok = ir.eq(len, three);
    let tail = ir.op(Op::Tail, vec![appended], seq_ty.clone());
    let head = ir.op(Op::Head, vec![tail.clone()], Type::Int);
    let two = ir.int(2);
    let head_ok = ir.eq(head, two);
    // Tail(<<1, 2, 3>>) = <<2, 3>>: sequences compare by value.
    let (x, y) = (ir.int(2), ir.int(3));
    let expected = ir.mk(ExprKind::Tuple(vec![x, y]), seq_ty.clone());
    let tail_ok = ir.eq(tail, expected);
    let all = ir.and(vec![len_ok, head_ok, tail_ok]);
    assert!(valid(ir, all));

    let mut ir = Ir::new();
    let (a, b) = (ir.int(5), ir.int(6));
    let s = ir.mk(ExprKind::Tuple(vec![a, b]), seq_ty.clone());
    let t = ir.mk(ExprKind::Tuple(vec![]), seq_ty.clone());
    let concat = ir.op(Op::Concat, vec![t, s], seq_ty.clone());
    assert_eq!(
        value_of(ir, concat, seq_ty),
        Value::tuple([Value::Int(5), Value::Int(6)])
    );
}

#[test]
fn a_literal_set_of_most_model_values_is_exact() {
    // n0 is the one model value outside the set of n1..n9, so the encoding stores the set as
    // "all but n0": n2 must still be in it, n0 out, and the set equal to its members listed.
    let mut ir = Ir::new();
    let names: Vec<String> = (1..=9).map(|i| format!("n{i}")).collect();
    let values = names.iter().map(|n| Value::ModelValue(n.as_str().into()));
    let literal = ir.mk(ExprKind::Lit(Value::set(values)), set_of(Type::ModelValue));
    let members: Vec<Expr> = names.iter().map(|n| ir.mv(n)).collect();
    let (n2, n0) = (ir.mv("n2"), ir.mv("n0"));
    let listed = ir.set(members, Type::ModelValue);
    let inside = ir.op(Op::In, vec![n2, literal.clone()], Type::Bool);
    let outside = ir.op(Op::NotIn, vec![n0, literal.clone()], Type::Bool);
    let same = ir.eq(literal, listed);
    let all = ir.and(vec![inside, outside, same]);
    assert!(valid(ir, all));
}

#[test]
fn model_values_are_distinct() {
    let mut ir = Ir::new();
    let (a, b) = (ir.mv("n1"), ir.mv("n2"));
    let different = ir.op(Op::Ne, vec![a, b], Type::Bool);
    assert!(valid(ir, different));
}

#[test]
fn choose_is_the_same_for_every_copy_of_an_expression() {
    let mut ir = Ir::new();
    let choice = |ir: &mut Ir| {
        let x = ir.bound("x", Type::Int);
        let (xv, one) = (ir.bvar(x), ir.int(1));
        let above = ir.op(Op::Gt, vec![xv, one], Type::Bool);
        let range = ir.range(1, 3);
        ir.mk(ExprKind::Choose(Ir::binder(x, range), above), Type::Int)
    };
    let (first, second) = (choice(&mut ir), choice(&mut ir));
    let same = ir.eq(first.clone(), second);
    let options = ir.ints(&[2, 3]);
    let chosen_ok = ir.op(Op::In, vec![first, options], Type::Bool);
    let all = ir.and(vec![same, chosen_ok]);
    assert!(valid(ir, all));
}

#[test]
fn cardinality_counts_distinct_elements() {
    let mut ir = Ir::new();
    let repeated = ir.ints(&[1, 2, 2]);
    let card = ir.op(Op::Cardinality, vec![repeated], Type::Int);
    let two = ir.int(2);
    let first = ir.eq(card, two);
    // Cardinality({x \in 1..10 : x % 3 = 0}) = 3
    let x = ir.bound("x", Type::Int);
    let (xv, three, zero) = (ir.bvar(x), ir.int(3), ir.int(0));
    let modulo = ir.op(Op::Mod, vec![xv, three], Type::Int);
    let divisible = ir.eq(modulo, zero);
    let range = ir.range(1, 10);
    let filter = ir.mk(
        ExprKind::SetFilter(Ir::binder(x, range), divisible),
        set_of(Type::Int),
    );
    let card = ir.op(Op::Cardinality, vec![filter], Type::Int);
    let three = ir.int(3);
    let second = ir.eq(card, three);
    let all = ir.and(vec![first, second]);
    assert!(valid(ir, all));
}

#[test]
fn cardinality_of_a_variable_set_of_functions_is_unsupported() {
    let mut ir = Ir::new();
    let function = Type::Fn(Box::new(Type::Int), Box::new(Type::Int));
    let s = ir.var(0, set_of(function));
    let card = ir.op(Op::Cardinality, vec![s], Type::Int);
    let zero = ir.int(0);
    let formula = ir.op(Op::Ge, vec![card, zero], Type::Bool);
    let diagnostic = encode_error(ir, formula);
    assert_eq!(diagnostic.code, "E0400");
    assert_eq!(diagnostic.kind, crate::diag::Kind::Unsupported);
    assert!(
        diagnostic.message.starts_with("`Cardinality` of"),
        "{}",
        diagnostic.message
    );
}

#[test]
fn quantifiers_over_literal_sets_and_symbolic_ranges() {
    let mut ir = Ir::new();
    // \A x \in 1..3 : \E y \in {0, 1, 2} : y + 1 = x
    let (x, y) = (ir.bound("x", Type::Int), ir.bound("y", Type::Int));
    let (yv, one, xv) = (ir.bvar(y), ir.int(1), ir.bvar(x));
    let sum = ir.op(Op::Add, vec![yv, one], Type::Int);
    let body = ir.eq(sum, xv);
    let ys = ir.ints(&[0, 1, 2]);
    let inner = ir.mk(
        ExprKind::Quant(Quantifier::Exists, vec![Ir::binder(y, ys)], body),
        Type::Bool,
    );
    let xs = ir.range(1, 3);
    let outer = ir.mk(
        ExprKind::Quant(Quantifier::Forall, vec![Ir::binder(x, xs)], inner),
        Type::Bool,
    );
    // \A z \in Nat : z + 1 > 0 (a Z3 quantifier)
    let z = ir.bound("z", Type::Int);
    let (zv, one, zero) = (ir.bvar(z), ir.int(1), ir.int(0));
    let sum = ir.op(Op::Add, vec![zv, one], Type::Int);
    let positive = ir.op(Op::Gt, vec![sum, zero], Type::Bool);
    let nat = ir.mk(
        ExprKind::InfiniteSet(crate::ir::InfiniteSet::Nat),
        set_of(Type::Int),
    );
    let naturals = ir.mk(
        ExprKind::Quant(Quantifier::Forall, vec![Ir::binder(z, nat)], positive),
        Type::Bool,
    );
    let all = ir.and(vec![outer, naturals]);
    assert!(valid(ir, all));
}

#[test]
fn actions_skolemize_their_parameters() {
    // Move(n): x' = n, for n \in {n1, n2, n3}: one constant for n, whatever the set's size.
    let mut ir = Ir::new();
    let n = ir.bound("n", Type::ModelValue);
    let (x1, nv) = (ir.primed(0, Type::ModelValue), ir.bvar(n));
    let body = ir.eq(x1, nv);
    let names = ["n1", "n2", "n3"];
    let items = names.iter().map(|m| ir.mv(m)).collect();
    let nodes = ir.set(items, Type::ModelValue);
    let x0 = ir.var(0, Type::ModelValue);
    let n3 = ir.mv("n3");
    let init = ir.op(Op::Ne, vec![x0, n3], Type::Bool);
    let param = Param {
        name: "n".into(),
        binder: Ir::binder(n, nodes),
    };
    let (spec, types) = ir.spec(
        &[("x", Type::ModelValue)],
        init,
        vec![action("Move", vec![param], body)],
        Vec::new(),
    );
    let text = super::smtlib(&spec, &types, 1).expect("encodes");
    assert_eq!(text.matches("(declare-fun n@0!").count(), 1, "{text}");
    let (model_x, chosen) = z3::with_z3_config(&z3::Config::new(), || {
        let mut encoder = Encoder::new(&spec, &types);
        let solver = z3::Solver::new();
        let transition = encoder.transition(0).expect("encodes");
        solver.assert(&transition.formula);
        let next = encoder.state(1);
        let n3 = encoder.sorts.model_value("n3").expect("n3");
        solver.assert(z3::ast::Ast::eq(&next[0], &n3));
        assert_eq!(solver.check(), SatResult::Sat);
        let model = solver.get_model().expect("model");
        let x = encoder.decode_state(&model, 1).expect("decodes");
        let n = encoder
            .decode(&model, &transition.params[0][0], &Type::ModelValue)
            .expect("decodes");
        (x, n)
    });
    assert_eq!(model_x, vec![Value::ModelValue("n3".into())]);
    assert_eq!(chosen, Value::ModelValue("n3".into()));
}

#[test]
fn integer_division_follows_tla() {
    let mut ir = Ir::new();
    // 7 \div 2 = 3 /\ -7 \div 2 = -4 /\ -7 % 2 = 1
    let (a, b) = (ir.int(7), ir.int(2));
    let q = ir.op(Op::Div, vec![a, b], Type::Int);
    let three = ir.int(3);
    let first = ir.eq(q, three);
    let (a, b) = (ir.int(-7), ir.int(2));
    let q = ir.op(Op::Div, vec![a, b], Type::Int);
    let minus_four = ir.int(-4);
    let second = ir.eq(q, minus_four);
    let (a, b) = (ir.int(-7), ir.int(2));
    let r = ir.op(Op::Mod, vec![a, b], Type::Int);
    let one = ir.int(1);
    let third = ir.eq(r, one);
    let all = ir.and(vec![first, second, third]);
    assert!(valid(ir, all));
}

#[test]
fn smtlib_text_is_deterministic() {
    let build = || {
        let mut ir = Ir::new();
        let (x0, zero) = (ir.var(0, Type::Int), ir.int(0));
        let init = ir.eq(x0, zero);
        let (x1, x0, one) = (ir.primed(0, Type::Int), ir.var(0, Type::Int), ir.int(1));
        let sum = ir.op(Op::Add, vec![x0, one], Type::Int);
        let body = ir.eq(x1, sum);
        let (x, three) = (ir.var(0, Type::Int), ir.int(3));
        let inv = ir.op(Op::Lt, vec![x, three], Type::Bool);
        ir.spec(
            &[("x", Type::Int)],
            init,
            vec![action("Inc", Vec::new(), body)],
            vec![("Small", inv)],
        )
    };
    let (spec, types) = build();
    let first = super::smtlib(&spec, &types, 2).expect("encodes");
    let second = super::smtlib(&spec, &types, 2).expect("encodes");
    assert_eq!(first, second);
    assert!(first.contains("x@2"), "{first}");
    assert!(first.contains("sel!0!Inc@1"), "{first}");
}

// ---- Optional record fields and model values mixed with other values (issue #4) ----------

/// Whether every state satisfying the `Init` of the spec `tla` (module `M`, model `cfg`)
/// satisfies its invariant `Inv`: `Init /\ ~Inv` is unsatisfiable.
fn init_implies_inv(tla: &str, cfg: &str) -> bool {
    let front = crate::testing::compile_text("M", tla, cfg, &[]);
    let (spec, types) = (&front.spec, &front.types);
    z3::with_z3_config(&z3::Config::new(), || {
        let mut encoder = Encoder::new(spec, types);
        let solver = z3::Solver::new();
        solver.assert(encoder.constants_constraint().expect("encodes"));
        solver.assert(encoder.holds(&spec.init, 0).expect("encodes"));
        let inv = &spec.invariants[0].expr;
        solver.assert(encoder.violated(inv, 0).expect("encodes"));
        unsatisfiable(&solver, &mut encoder)
    })
}

/// A module of messages of two kinds: `c` lacks the field `rm` that `p` has.
fn messages(inv: &str) -> String {
    format!(
        "---- MODULE M ----\nEXTENDS FiniteSets\nCONSTANTS r1, r2\nVARIABLES c, p, msgs\n\
         Init == /\\ c = [type |-> \"Commit\"]\n        /\\ p = [type |-> \"Prepared\", rm |-> r1]\n\
         \x20       /\\ msgs = {{c, p}}\n\
         Next == UNCHANGED <<c, p, msgs>>\nInv == {inv}\n===="
    )
}

const MESSAGES_CFG: &str = "CONSTANTS r1 = r1\n r2 = r2\nINIT Init\nNEXT Next\nINVARIANT Inv\n";

#[test]
fn records_with_optional_fields_are_equal_when_their_fields_and_values_are() {
    let holds = |inv: &str| init_implies_inv(&messages(inv), MESSAGES_CFG);
    assert!(holds("c = [type |-> \"Commit\"] /\\ c /= p"));
    assert!(holds("p = [type |-> \"Prepared\", rm |-> r1]"));
    assert!(holds("p /= [type |-> \"Prepared\", rm |-> r2]"));
    assert!(holds(
        "[c EXCEPT !.type = \"Prepared\"] /= [p EXCEPT !.rm = r1]"
    ));
    assert!(holds(
        "[type |-> \"Commit\"] \\in msgs /\\ [type |-> \"Commit\", rm |-> r1] \\notin msgs"
    ));
    // Not valid: the two records differ in their domains, not only in values.
    assert!(!holds("c = [p EXCEPT !.type = \"Commit\"]"));
}

#[test]
fn optional_fields_are_read_where_present_and_except_leaves_absent_ones_absent() {
    let holds = |inv: &str| init_implies_inv(&messages(inv), MESSAGES_CFG);
    assert!(holds("p.rm = r1 /\\ [p EXCEPT !.rm = r2].rm = r2"));
    assert!(holds("[c EXCEPT !.rm = r1] = c"));
    assert!(holds("\\A m \\in msgs : m.type = \"Commit\" \\/ m.rm = r1"));
    assert!(holds(
        "DOMAIN c = {\"type\"} /\\ DOMAIN p = {\"rm\", \"type\"}"
    ));
    // An absent field's value is unspecified: nothing may be concluded from it.
    assert!(!holds("c.rm = r1"));
    assert!(!holds("c.rm /= r1"));
}

#[test]
fn record_sets_hold_exactly_the_records_with_their_fields() {
    let holds = |inv: &str| init_implies_inv(&messages(inv), MESSAGES_CFG);
    let kinds = "([type : {\"Commit\"}] \\cup [type : {\"Prepared\"}, rm : {r1, r2}])";
    assert!(holds(&format!("msgs \\subseteq {kinds}")));
    assert!(holds(&format!("c \\in {kinds} /\\ p \\in {kinds}")));
    assert!(holds("c \\notin [type : {\"Commit\"}, rm : {r1, r2}]"));
    assert!(holds("p \\notin [type : {\"Prepared\"}]"));
    assert!(holds(&format!("Cardinality({kinds}) = 3")));
    assert!(holds("\\E m \\in msgs : m = [type |-> \"Commit\"]"));
    assert!(!holds("\\A m \\in msgs : m = [type |-> \"Commit\"]"));
}

/// A module where the model value `None` marks a missing parent among integers.
fn sentinel(inv: &str) -> String {
    format!(
        "---- MODULE M ----\nEXTENDS Naturals\nCONSTANT None\nVARIABLES prnt, k\n\
         Init == /\\ prnt = [i \\in 1..3 |-> IF i = 1 THEN 7 ELSE None]\n        /\\ k = 2\n\
         Next == UNCHANGED <<prnt, k>>\nInv == {inv}\n===="
    )
}

const SENTINEL_CFG: &str = "CONSTANT None = None\nINIT Init\nNEXT Next\nINVARIANT Inv\n";

#[test]
fn a_model_value_mixed_with_integers_is_unequal_to_every_integer() {
    let holds = |inv: &str| init_implies_inv(&sentinel(inv), SENTINEL_CFG);
    assert!(holds("prnt[1] = 7 /\\ prnt[2] = None /\\ prnt[k] = None"));
    assert!(holds("\\A i \\in 1..3 : prnt[i] /= 0 \\/ prnt[i] = None"));
    assert!(holds("{i \\in DOMAIN prnt : prnt[i] /= None} = {1}"));
    assert!(holds("prnt[1] + 1 = 8 /\\ prnt[1] > k /\\ k \\in 1..3"));
    assert!(holds(
        "prnt[2] \\notin 0..100 /\\ prnt[2] \\notin Nat /\\ prnt[1] \\in Nat"
    ));
    assert!(holds("None \\notin {prnt[1], k} /\\ None \\in {prnt[3]}"));
    assert!(!holds("prnt[2] = 7"));
}

#[test]
fn arithmetic_on_a_model_value_is_unspecified() {
    // TLC stops with an error on `None + 1`; the encoding gives some integer, so no claim
    // about it holds (a verdict cannot rest on it).
    let holds = |inv: &str| init_implies_inv(&sentinel(inv), SENTINEL_CFG);
    assert!(!holds("prnt[2] + 1 = 1"));
    assert!(!holds("prnt[2] + 1 /= 1"));
}

#[test]
fn a_model_value_mixed_with_records_compares_structurally() {
    let tla = "---- MODULE M ----\nCONSTANT NoLease\nVARIABLE lease\n\
               Init == lease = [n \\in {1, 2} |-> IF n = 1 THEN [counter |-> 3] ELSE NoLease]\n\
               Next == UNCHANGED lease\n\
               Inv == /\\ lease[1].counter = 3 /\\ lease[2] = NoLease /\\ lease[1] /= NoLease\n\
               \x20      /\\ [lease EXCEPT ![1].counter = 4][1] = [counter |-> 4]\n====";
    let cfg = "CONSTANT NoLease = NoLease\nINIT Init\nNEXT Next\nINVARIANT Inv\n";
    assert!(init_implies_inv(tla, cfg));
}

#[test]
fn mixing_a_model_value_with_sets_is_unsupported() {
    let tla = "---- MODULE M ----\nCONSTANT None\nVARIABLE s\nInit == s = {1} \\/ s = None\n\
               Next == UNCHANGED s\nInv == s /= {}\n====";
    let cfg = "CONSTANT None = None\nINIT Init\nNEXT Next\nINVARIANT Inv\n";
    let front = crate::testing::compile_text("M", tla, cfg, &[]);
    let error = z3::with_z3_config(&z3::Config::new(), || {
        let mut encoder = Encoder::new(&front.spec, &front.types);
        encoder.holds(&front.spec.init, 0).err()
    });
    let error = error.expect("an encoding error");
    assert_eq!(error.code, "E0400");
    assert_eq!(
        error.message,
        "a model value mixed with Set(Int) values is not supported by the SMT encoding"
    );
}

#[test]
fn variables_set_by_an_equation_in_every_action_are_found() {
    let tla = r#"---- MODULE Assigned ----
EXTENDS Naturals
VARIABLES f, g, h, k
Init == f = [i \in 1..2 |-> 0] /\ g = f /\ h = f /\ k = f
Bump(i) ==
    /\ f' = [f EXCEPT ![i] = @ + 1]
    /\ IF i = 1 THEN g' = f ELSE g' = [g EXCEPT ![i] = 0]
    /\ h' \in [1..2 -> 0..1]
    /\ k' = f'
Reset ==
    \/ f' = [i \in 1..2 |-> 0] /\ g' = g /\ h' = h /\ k' = k
    \/ \E j \in 1..2 : f' = [f EXCEPT ![j] = 0] /\ g' = f /\ UNCHANGED <<h, k>>
Next == (\E i \in 1..2 : Bump(i)) \/ Reset
===="#;
    let front = crate::testing::compile_text("Assigned", tla, "INIT Init\nNEXT Next\n", &[]);
    // `h'` is chosen from a set and `k'` equated with another primed variable in `Bump`: their
    // next values are not pinned to a term the encoder built, so they stay normalised terms.
    assert_eq!(
        super::normal::assigned_by_every_action(&front.spec),
        vec![true, true, false, false]
    );
}

// ---- Subsets without quantifiers (issues #6 and #8) ----------------------------------------

/// A module whose `Init` fixes a log `<<1, 2>>` and two sets of integers, with invariant `inv`.
fn writes(inv: &str) -> String {
    format!(
        "---- MODULE M ----\nEXTENDS Naturals, Sequences\nVARIABLES log, acked, held\n\
         Init == /\\ log = <<1, 2>>\n        /\\ acked = {{1}}\n        /\\ held = {{1, 2}}\n\
         Next == UNCHANGED <<log, acked, held>>\nInv == {inv}\n===="
    )
}

const WRITES_CFG: &str = "INIT Init\nNEXT Next\nINVARIANT Inv\n";

/// The Z3 term of the invariant of `writes(inv)` where it holds (as a lemma or a hypothesis),
/// as text.
fn assumed_invariant(inv: &str) -> String {
    let front = crate::testing::compile_text("M", &writes(inv), WRITES_CFG, &[]);
    let (spec, types) = (&front.spec, &front.types);
    z3::with_z3_config(&z3::Config::new(), || {
        let mut encoder = Encoder::new(spec, types);
        let holds = encoder.holds(&spec.invariants[0].expr, 0).expect("encodes");
        holds.to_string()
    })
}

#[test]
fn the_image_of_a_sequence_is_a_subset_when_every_element_is_a_member() {
    let holds = |inv: &str| init_implies_inv(&writes(inv), WRITES_CFG);
    assert!(holds("{log[i] : i \\in 1..Len(log)} \\subseteq 1..2"));
    assert!(!holds("{log[i] : i \\in 1..Len(log)} \\subseteq {1}"));
    assert!(holds("{log[i] + 1 : i \\in 1..Len(log)} \\subseteq {2, 3}"));
}

#[test]
fn subsets_of_integers_are_exact() {
    let holds = |inv: &str| init_implies_inv(&writes(inv), WRITES_CFG);
    assert!(holds("held \\in SUBSET (1..2)"));
    assert!(!holds("held \\in SUBSET {1}"));
    assert!(holds("\\A w \\in acked : w \\in held"));
    assert!(!holds("\\A w \\in held : w \\in acked"));
    assert!(holds("~(\\A w \\in held : w \\in acked)"));
}

#[test]
fn subsets_of_integers_need_no_quantifier_where_they_hold() {
    for inv in ["held \\in SUBSET (1..2)", "\\A w \\in acked : w \\in held"] {
        let term = assumed_invariant(inv);
        assert!(
            !term.contains("forall") && !term.contains("lambda"),
            "{inv}: {term}"
        );
    }
}

// ---- Unions of shapes (issue #4) --------------------------------------------------------------

// Unions of more than 128 sequences, which folding keeps as unions of shapes.

#[test]
fn membership_in_a_union_of_function_sets_is_membership_in_one_of_them() {
    let holds = |inv: &str| init_implies_inv(&writes(inv), WRITES_CFG);
    assert!(holds("log \\in UNION {[1..n -> 1..5] : n \\in 0..3}"));
    assert!(!holds("log \\in UNION {[1..n -> 2..6] : n \\in 0..3}"));
    assert!(!holds("log \\in UNION {[1..n -> 1..5] : n \\in {0, 1, 3}}"));
    assert!(holds(
        "log \\notin UNION {[1..n -> 1..5] : n \\in {0, 1, 3}}"
    ));
}

#[test]
fn a_union_of_function_sets_is_not_enumerated() {
    // Enumerated, the union would be an equation per sequence (1 + 5 + 25 + 125 of them).
    let term = assumed_invariant("log \\in UNION {[1..n -> 1..5] : n \\in 0..3}");
    assert!(term.matches("mk-Seq").count() < 4, "{term}");
}
