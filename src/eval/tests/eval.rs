use super::*;
use crate::diag::{Diagnostic, Kind};
use crate::eval::{eval, Ctx};
use crate::ir::{Constant, InfiniteSet, PathStep, Quantifier};

fn ok(expr: &Expr) -> Value {
    match eval_closed(expr) {
        Ok(v) => v,
        Err(e) => panic!("unexpected error: {}", e.message),
    }
}

fn err(expr: &Expr) -> String {
    match eval_closed(expr) {
        Ok(v) => panic!("expected an error, got {v}"),
        Err(e) => e.message,
    }
}

fn arith(op: Op, a: i64, b: i64) -> Result<Value, EvalError> {
    let mut ir = Ir::new();
    let (a, b) = (ir.int(a), ir.int(b));
    eval_closed(&ir.op2(a, op, b))
}

#[test]
fn div_and_mod_round_down() {
    assert_eq!(arith(Op::Div, 7, 2), Ok(int(3)));
    assert_eq!(arith(Op::Div, -7, 2), Ok(int(-4)));
    assert_eq!(arith(Op::Div, 7, -2), Ok(int(-4)));
    assert_eq!(arith(Op::Div, -7, -2), Ok(int(3)));
    assert_eq!(arith(Op::Div, -8, 2), Ok(int(-4)));
    assert_eq!(arith(Op::Mod, -7, 2), Ok(int(1)));
    assert_eq!(arith(Op::Mod, 7, 3), Ok(int(1)));
    assert_eq!(arith(Op::Mod, -9, 3), Ok(int(0)));
}

#[test]
fn div_by_zero_and_mod_by_non_positive_fail() {
    assert_eq!(
        arith(Op::Div, 1, 0).unwrap_err().message,
        "division by zero in 1 \\div 0"
    );
    assert_eq!(
        arith(Op::Mod, 7, -2).unwrap_err().message,
        "7 % -2: the divisor of % must be positive"
    );
    assert_eq!(
        arith(Op::Mod, 7, 0).unwrap_err().message,
        "7 % 0: the divisor of % must be positive"
    );
}

#[test]
fn overflow_is_an_error() {
    assert_eq!(
        arith(Op::Add, i64::MAX, 1).unwrap_err().message,
        format!("integer overflow in {} + 1", i64::MAX)
    );
    assert!(arith(Op::Mul, i64::MAX, 2).is_err());
    assert!(arith(Op::Sub, i64::MIN, 1).is_err());
    assert!(arith(Op::Div, i64::MIN, -1).is_err());
    assert!(arith(Op::Pow, 2, 63).is_err());
    assert_eq!(arith(Op::Pow, 2, 10), Ok(int(1024)));
    assert_eq!(
        arith(Op::Pow, 2, -1).unwrap_err().message,
        "2^-1: negative exponent"
    );
    let mut ir = Ir::new();
    let min = ir.int(i64::MIN);
    assert!(eval_closed(&ir.op(Op::Neg, vec![min])).is_err());
}

#[test]
fn comparisons_need_integers() {
    assert_eq!(arith(Op::Le, 2, 2), Ok(Value::Bool(true)));
    assert_eq!(arith(Op::Gt, 1, 2), Ok(Value::Bool(false)));
    let mut ir = Ir::new();
    let (a, b) = (ir.str("a"), ir.int(1));
    assert_eq!(
        err(&ir.op2(a, Op::Lt, b)),
        "expected an integer, found \"a\""
    );
}

#[test]
fn ranges() {
    let mut ir = Ir::new();
    assert_eq!(ok(&ir.range(1, 3)), Value::set([int(1), int(2), int(3)]));
    assert_eq!(ok(&ir.range(3, 1)), Value::set([]));
    let huge = ir.range(0, i64::MAX);
    assert!(err(&huge).contains("more than the 1048576 the evaluator builds"));
}

#[test]
fn set_operations() {
    let mut ir = Ir::new();
    let (a, b) = (ir.ints(&[1, 2, 3]), ir.ints(&[2, 3, 4]));
    assert_eq!(
        ok(&ir.op2(a, Op::Union, b)),
        Value::set([1, 2, 3, 4].map(int))
    );
    let (a, b) = (ir.ints(&[1, 2, 3]), ir.ints(&[2, 3, 4]));
    assert_eq!(
        ok(&ir.op2(a, Op::Intersect, b)),
        Value::set([2, 3].map(int))
    );
    let (a, b) = (ir.ints(&[1, 2, 3]), ir.ints(&[2, 3, 4]));
    assert_eq!(ok(&ir.op2(a, Op::SetMinus, b)), Value::set([int(1)]));
    let (a, b) = (ir.ints(&[2, 3]), ir.ints(&[2, 3, 4]));
    assert_eq!(ok(&ir.op2(a, Op::Subseteq, b)), Value::Bool(true));
    let (a, b) = (ir.ints(&[1, 2]), ir.ints(&[2, 3, 4]));
    assert_eq!(ok(&ir.op2(a, Op::Subseteq, b)), Value::Bool(false));
    let s = ir.ints(&[1, 2, 3]);
    assert_eq!(ok(&ir.op(Op::Cardinality, vec![s])), int(3));
    let nested = ir.lit(Value::set([
        Value::set([int(1)]),
        Value::set([int(2), int(3)]),
    ]));
    assert_eq!(
        ok(&ir.op(Op::BigUnion, vec![nested])),
        Value::set([1, 2, 3].map(int))
    );
}

#[test]
fn powerset_is_guarded() {
    let mut ir = Ir::new();
    let s = ir.ints(&[1, 2]);
    let subsets = ok(&ir.op(Op::Powerset, vec![s]));
    let expected = Value::set([
        Value::set([]),
        Value::set([int(1)]),
        Value::set([int(2)]),
        Value::set([int(1), int(2)]),
    ]);
    assert_eq!(subsets, expected);
    let big = ir.range(1, 21);
    assert_eq!(
        err(&ir.op(Op::Powerset, vec![big])),
        "SUBSET of a set would have 2097152 elements, more than the 1048576 the evaluator builds"
    );
    // Membership in SUBSET of a large set does not build it.
    let (member, big) = (ir.ints(&[1, 21]), ir.range(1, 21));
    let powerset = ir.op(Op::Powerset, vec![big]);
    assert_eq!(ok(&ir.op2(member, Op::In, powerset)), Value::Bool(true));
}

#[test]
fn membership_in_infinite_sets_does_not_enumerate() {
    let mut ir = Ir::new();
    let member = |ir: &mut Ir, v: Value, set: ExprKind| {
        let (v, set) = (ir.lit(v), ir.e(set));
        ok(&ir.op2(v, Op::In, set))
    };
    let nat = || ExprKind::InfiniteSet(InfiniteSet::Nat);
    assert_eq!(member(&mut ir, int(3), nat()), Value::Bool(true));
    assert_eq!(member(&mut ir, int(-1), nat()), Value::Bool(false));
    assert_eq!(
        member(&mut ir, int(-1), ExprKind::InfiniteSet(InfiniteSet::Int)),
        Value::Bool(true)
    );
    assert_eq!(
        member(
            &mut ir,
            Value::Str("a".into()),
            ExprKind::InfiniteSet(InfiniteSet::String)
        ),
        Value::Bool(true)
    );
    assert_eq!(
        member(&mut ir, int(1), ExprKind::InfiniteSet(InfiniteSet::String)),
        Value::Bool(false)
    );
    // [a: Nat] and [1..2 -> Nat]
    let nat_set = ir.e(nat());
    let record_set = ExprKind::RecordSet(vec![("a".into(), nat_set)]);
    assert_eq!(
        member(&mut ir, Value::record([("a", int(4))]), record_set),
        Value::Bool(true)
    );
    let (domain, nat_set) = (ir.range(1, 2), ir.e(nat()));
    let fn_set = ExprKind::FnSet(domain, nat_set);
    assert_eq!(
        member(&mut ir, Value::tuple([int(0), int(7)]), fn_set),
        Value::Bool(true)
    );
    let (domain, nat_set) = (ir.range(1, 2), ir.e(nat()));
    let fn_set = ExprKind::FnSet(domain, nat_set);
    assert_eq!(
        member(&mut ir, Value::tuple([int(0)]), fn_set),
        Value::Bool(false)
    );
    // Nat on its own cannot be evaluated.
    let alone = ir.e(nat());
    assert_eq!(
        err(&alone),
        "Nat is an infinite set and cannot be enumerated"
    );
}

#[test]
fn seq_set_only_in_membership() {
    let mut ir = Ir::new();
    let elems = ir.range(1, 2);
    let seq = ir.op(Op::SeqSet, vec![elems]);
    let s = ir.lit(Value::tuple([int(1), int(2), int(1)]));
    assert_eq!(ok(&ir.op2(s, Op::In, seq.clone())), Value::Bool(true));
    let bad = ir.lit(Value::tuple([int(3)]));
    assert_eq!(ok(&ir.op2(bad, Op::In, seq.clone())), Value::Bool(false));
    let empty = ir.lit(Value::tuple([]));
    assert_eq!(ok(&ir.op2(empty, Op::In, seq.clone())), Value::Bool(true));
    assert_eq!(
        err(&seq),
        "Seq(S) is an infinite set: it can only appear on the right of \\in"
    );
    assert_eq!(ok(&ir.op(Op::IsFiniteSet, vec![seq])), Value::Bool(false));
}

#[test]
fn tuples_equal_functions_and_records() {
    let mut ir = Ir::new();
    let (i, i_ref) = ir.bound("i");
    let domain = ir.range(1, 2);
    let function = ir.e(ExprKind::FnCons(vec![Ir::binder(i, domain)], i_ref));
    let (one, two) = (ir.int(1), ir.int(2));
    let tuple = ir.tuple(vec![one, two]);
    assert_eq!(ok(&ir.op2(tuple, Op::Eq, function)), Value::Bool(true));
    let one = ir.int(1);
    let record = ir.e(ExprKind::Record(vec![("a".into(), one)]));
    let singleton = {
        let (key, value) = (ir.str("a"), ir.int(1));
        ir.op2(key, Op::SingletonFn, value)
    };
    assert_eq!(ok(&ir.op2(record, Op::Eq, singleton)), Value::Bool(true));
}

#[test]
fn function_application_outside_domain_names_the_location() {
    let mut ir = Ir::new();
    let f = ir.lit(Value::tuple([int(10), int(20)]));
    let arg = ir.int(3);
    let app = ir.at(ExprKind::FnApp(f, arg), 40, 44);
    let error = eval_closed(&app).unwrap_err();
    assert_eq!(
        error.message,
        "Attempted to apply function <<10, 20>> to argument 3, which is not in the domain of \
         the function ({1, 2})"
    );
    assert_eq!(error.loc.span, Span::new(40, 44));
    let f = ir.lit(Value::tuple([int(10), int(20)]));
    let arg = ir.int(2);
    assert_eq!(ok(&ir.e(ExprKind::FnApp(f, arg))), int(20));
}

#[test]
fn functions_of_two_arguments_take_tuples() {
    let mut ir = Ir::new();
    let (x, x_ref) = ir.bound("x");
    let (y, y_ref) = ir.bound("y");
    let (s, t) = (ir.range(1, 2), ir.range(1, 3));
    let body = ir.op2(x_ref, Op::Mul, y_ref);
    let f = ir.e(ExprKind::FnCons(
        vec![Ir::binder(x, s), Ir::binder(y, t)],
        body,
    ));
    let (two, three) = (ir.int(2), ir.int(3));
    let arg = ir.tuple(vec![two, three]);
    let app = ir.e(ExprKind::FnApp(f.clone(), arg));
    assert_eq!(ok(&app), int(6));
    let domain = ir.op(Op::Domain, vec![f]);
    assert_eq!(ok(&ir.op(Op::Cardinality, vec![domain])), int(6));
}

#[test]
fn except_updates_nested_records_and_tuples() {
    let mut ir = Ir::new();
    let inner = Value::record([("b", int(1)), ("c", int(2))]);
    let r = ir.lit(Value::record([("a", inner), ("d", int(3))]));
    let five = ir.int(5);
    let path = vec![PathStep::Field("a".into()), PathStep::Field("b".into())];
    let updated = ir.e(ExprKind::Except(r, vec![(path, five)]));
    let expected = Value::record([
        ("a", Value::record([("b", int(5)), ("c", int(2))])),
        ("d", int(3)),
    ]);
    assert_eq!(ok(&updated), expected);

    // [t EXCEPT ![2][1] = 9, ![1] = 0] on <<1, <<2, 3>>>>: updates apply in order.
    let t = ir.lit(Value::tuple([int(1), Value::tuple([int(2), int(3)])]));
    let (two, one, nine) = (ir.int(2), ir.int(1), ir.int(9));
    let (one_again, zero) = (ir.int(1), ir.int(0));
    let updates = vec![
        (vec![PathStep::Index(two), PathStep::Index(one)], nine),
        (vec![PathStep::Index(one_again)], zero),
    ];
    let updated = ir.e(ExprKind::Except(t, updates));
    assert_eq!(
        ok(&updated),
        Value::tuple([int(0), Value::tuple([int(9), int(3)])])
    );

    // A key outside the domain leaves the function as it is.
    let t = ir.lit(Value::tuple([int(1)]));
    let (seven, nine) = (ir.int(7), ir.int(9));
    let updated = ir.e(ExprKind::Except(
        t,
        vec![(vec![PathStep::Index(seven)], nine)],
    ));
    assert_eq!(ok(&updated), Value::tuple([int(1)]));
}

#[test]
fn records_and_fields() {
    let mut ir = Ir::new();
    let r = ir.lit(Value::record([("a", int(1))]));
    assert_eq!(ok(&ir.e(ExprKind::Field(r.clone(), "a".into()))), int(1));
    assert_eq!(
        err(&ir.e(ExprKind::Field(r, "b".into()))),
        "the record [a |-> 1] has no field `b`"
    );
    let (s, t) = (
        ir.range(1, 2),
        ir.lit(Value::set([Value::Bool(false), Value::Bool(true)])),
    );
    let set = ir.e(ExprKind::RecordSet(vec![("a".into(), s), ("b".into(), t)]));
    assert_eq!(ok(&ir.op(Op::Cardinality, vec![set])), int(4));
    let (s, t) = (ir.range(1, 3), ir.range(1, 2));
    let fns = ir.e(ExprKind::FnSet(s, t));
    assert_eq!(ok(&ir.op(Op::Cardinality, vec![fns])), int(8));
    let (s, t) = (ir.range(1, 3), ir.range(1, 2));
    let product = ir.e(ExprKind::Times(vec![s, t]));
    assert_eq!(ok(&ir.op(Op::Cardinality, vec![product])), int(6));
}

#[test]
fn merge_prefers_the_left_function() {
    let mut ir = Ir::new();
    let f = ir.lit(Value::Fn([(int(1), int(10))].into()));
    let g = ir.lit(Value::Fn([(int(1), int(0)), (int(2), int(20))].into()));
    assert_eq!(
        ok(&ir.op2(f, Op::FnMerge, g)),
        Value::tuple([int(10), int(20)])
    );
}

#[test]
fn sequences() {
    let mut ir = Ir::new();
    let seq = Value::tuple([int(1), int(2), int(3)]);
    let s = ir.lit(seq.clone());
    assert_eq!(ok(&ir.op(Op::Len, vec![s.clone()])), int(3));
    assert_eq!(ok(&ir.op(Op::Head, vec![s.clone()])), int(1));
    assert_eq!(
        ok(&ir.op(Op::Tail, vec![s.clone()])),
        Value::tuple([int(2), int(3)])
    );
    let four = ir.int(4);
    assert_eq!(
        ok(&ir.op2(s.clone(), Op::Append, four)),
        Value::tuple([1, 2, 3, 4].map(int))
    );
    assert_eq!(
        ok(&ir.op2(s.clone(), Op::Concat, s.clone())),
        Value::tuple([1, 2, 3, 1, 2, 3].map(int))
    );
    let (m, n) = (ir.int(2), ir.int(3));
    assert_eq!(
        ok(&ir.op(Op::SubSeq, vec![s.clone(), m, n])),
        Value::tuple([int(2), int(3)])
    );
    let (m, n) = (ir.int(3), ir.int(2));
    assert_eq!(
        ok(&ir.op(Op::SubSeq, vec![s.clone(), m, n])),
        Value::tuple([])
    );
    let (m, n) = (ir.int(2), ir.int(4));
    assert_eq!(
        err(&ir.op(Op::SubSeq, vec![s, m, n])),
        "SubSeq(s, 2, 4) of a sequence of length 3"
    );
    let empty = ir.lit(Value::tuple([]));
    assert_eq!(
        err(&ir.op(Op::Tail, vec![empty.clone()])),
        "Tail of the empty sequence"
    );
    assert_eq!(
        err(&ir.op(Op::Head, vec![empty])),
        "Head of the empty sequence"
    );
    let not_seq = ir.ints(&[1]);
    assert_eq!(
        err(&ir.op(Op::Len, vec![not_seq])),
        "Len expects a sequence, found {1}"
    );
}

#[test]
fn choose_takes_the_least_satisfying_element() {
    let mut ir = Ir::new();
    let (x, x_ref) = ir.bound("x");
    let set = ir.ints(&[5, 3, 1, 4]);
    let one = ir.int(1);
    let pred = ir.op2(x_ref, Op::Gt, one);
    let choose = ir.e(ExprKind::Choose(Ir::binder(x, set), pred));
    assert_eq!(ok(&choose), int(3));
    assert_eq!(ok(&choose), int(3));
    let (y, y_ref) = ir.bound("y");
    let set = ir.ints(&[1, 2]);
    let nine = ir.int(9);
    let pred = ir.op2(y_ref, Op::Gt, nine);
    let choose = ir.at(ExprKind::Choose(Ir::binder(y, set), pred), 3, 9);
    let error = eval_closed(&choose).unwrap_err();
    assert_eq!(
        error.message,
        "CHOOSE: no element of {1, 2} satisfies the predicate"
    );
    assert_eq!(error.loc.span, Span::new(3, 9));
}

#[test]
fn case_without_true_arm_fails_at_its_location() {
    let mut ir = Ir::new();
    let (f, one) = (ir.boolean(false), ir.int(1));
    let case = ir.at(ExprKind::Case(vec![(f, one)], None), 12, 30);
    let error = eval_closed(&case).unwrap_err();
    assert_eq!(
        error.message,
        "CASE: no arm's condition is true and there is no OTHER arm"
    );
    assert_eq!(error.loc.span, Span::new(12, 30));
    let (f, one, t, two, other) = (
        ir.boolean(false),
        ir.int(1),
        ir.boolean(true),
        ir.int(2),
        ir.int(3),
    );
    let case = ir.e(ExprKind::Case(vec![(f, one), (t, two)], Some(other)));
    assert_eq!(ok(&case), int(2));
    let (f, one, other) = (ir.boolean(false), ir.int(1), ir.int(3));
    let case = ir.e(ExprKind::Case(vec![(f, one)], Some(other)));
    assert_eq!(ok(&case), int(3));
}

#[test]
fn quantifiers_with_tuple_patterns() {
    let mut ir = Ir::new();
    let a = ir.b.bound("a");
    let b = ir.b.bound("b");
    let pairs = ir.lit(Value::set([
        Value::tuple([int(1), int(2)]),
        Value::tuple([int(3), int(4)]),
    ]));
    let (a_ref, b_ref, seven) = (ir.bound_ref(a), ir.bound_ref(b), ir.int(7));
    let sum = ir.op2(a_ref, Op::Add, b_ref);
    let body = ir.op2(sum, Op::Eq, seven);
    let binder = Binder {
        pattern: Pattern::Tuple(vec![a, b]),
        set: pairs,
    };
    let exists = ir.e(ExprKind::Quant(
        Quantifier::Exists,
        vec![binder.clone()],
        body.clone(),
    ));
    assert_eq!(ok(&exists), Value::Bool(true));
    let forall = ir.e(ExprKind::Quant(Quantifier::Forall, vec![binder], body));
    assert_eq!(ok(&forall), Value::Bool(false));
    let (x, _) = ir.bound("x");
    let (empty, f) = (ir.ints(&[]), ir.boolean(false));
    let vacuous = ir.e(ExprKind::Quant(
        Quantifier::Forall,
        vec![Ir::binder(x, empty)],
        f,
    ));
    assert_eq!(ok(&vacuous), Value::Bool(true));
}

#[test]
fn set_builders() {
    let mut ir = Ir::new();
    let (x, x_ref) = ir.bound("x");
    let s = ir.range(1, 5);
    let two = ir.int(2);
    let rem = ir.op2(x_ref.clone(), Op::Mod, two);
    let zero = ir.int(0);
    let even = ir.op2(rem, Op::Eq, zero);
    let filter = ir.e(ExprKind::SetFilter(Ir::binder(x, s.clone()), even));
    assert_eq!(ok(&filter), Value::set([int(2), int(4)]));
    let ten = ir.int(10);
    let body = ir.op2(x_ref, Op::Mul, ten);
    let map = ir.e(ExprKind::SetMap(body, vec![Ir::binder(x, s)]));
    assert_eq!(ok(&map), Value::set([10, 20, 30, 40, 50].map(int)));
}

#[test]
fn junctions_short_circuit_left_to_right() {
    let mut ir = Ir::new();
    let (one, zero) = (ir.int(1), ir.int(0));
    let bad = ir.op2(one, Op::Div, zero);
    let one = ir.int(1);
    let bad_eq = ir.op2(bad, Op::Eq, one);
    let f = ir.boolean(false);
    assert_eq!(ok(&ir.and(vec![f, bad_eq.clone()])), Value::Bool(false));
    let t = ir.boolean(true);
    assert_eq!(
        ok(&ir.op(Op::Or, vec![t, bad_eq.clone()])),
        Value::Bool(true)
    );
    let f = ir.boolean(false);
    assert_eq!(
        ok(&ir.op2(f, Op::Implies, bad_eq.clone())),
        Value::Bool(true)
    );
    let t = ir.boolean(true);
    assert_eq!(
        err(&ir.and(vec![t, bad_eq])),
        "division by zero in 1 \\div 0"
    );
    let one = ir.int(1);
    let t = ir.boolean(true);
    assert_eq!(err(&ir.and(vec![t, one])), "expected a boolean, found 1");
}

#[test]
fn variables_constants_and_primes() {
    let mut ir = Ir::new();
    let vars: Vec<Variable> = ["x"]
        .iter()
        .map(|n| Variable {
            name: n.to_string(),
            loc: nowhere(),
        })
        .collect();
    let constants = vec![
        Constant {
            name: "N".into(),
            value: Some(int(3)),
            replaced: false,
            loc: nowhere(),
        },
        Constant {
            name: "Node".into(),
            value: None,
            replaced: false,
            loc: nowhere(),
        },
    ];
    let state = [int(1)];
    let next = [int(2)];
    let ctx = Ctx::from_parts(&vars, &constants, &state);
    let (x, n) = (ir.var(0), ir.e(ExprKind::Const(crate::ir::ConstId(0))));
    assert_eq!(eval(&ir.op2(x, Op::Add, n), &ctx), Ok(int(4)));
    let node = ir.e(ExprKind::Const(crate::ir::ConstId(1)));
    assert_eq!(
        eval(&node, &ctx).unwrap_err().message,
        "constant Node is symbolic: evaluation needs a value for it"
    );
    let x_next = ir.primed(0);
    assert_eq!(
        eval(&x_next, &ctx).unwrap_err().message,
        "x' cannot be evaluated here: there is no next state"
    );
    assert_eq!(eval(&x_next, &ctx.clone().with_next(&next)), Ok(int(2)));
    // [x' = x + 1]_x and <<x' = x + 1>>_x
    let step = ir.increment(0, 1);
    let x = ir.var(0);
    let boxed = ir.e(ExprKind::BoxAction(step.clone(), x.clone()));
    let angled = ir.e(ExprKind::AngleAction(step, x));
    let same = [int(1)];
    assert_eq!(
        eval(&boxed, &ctx.clone().with_next(&same)),
        Ok(Value::Bool(true))
    );
    assert_eq!(
        eval(&angled, &ctx.clone().with_next(&same)),
        Ok(Value::Bool(false))
    );
    assert_eq!(eval(&angled, &ctx.with_next(&next)), Ok(Value::Bool(true)));
}

#[test]
fn enabled_enumerates_successors() {
    let mut ir = Ir::new();
    let vars: Vec<Variable> = ["x", "y"]
        .iter()
        .map(|n| Variable {
            name: n.to_string(),
            loc: nowhere(),
        })
        .collect();
    // ENABLED (x < 1 /\ x' \in {x + 1} /\ y' = y)
    let (x, one) = (ir.var(0), ir.int(1));
    let guard = ir.op2(x, Op::Lt, one);
    let (x, one) = (ir.var(0), ir.int(1));
    let sum = ir.op2(x, Op::Add, one);
    let choices = ir.e(ExprKind::SetEnum(vec![sum]));
    let x_next = ir.primed(0);
    let pick = ir.op2(x_next, Op::In, choices);
    let y = ir.var(1);
    let keep = ir.assign(1, y);
    let act = ir.and(vec![guard, pick, keep]);
    let enabled = ir.e(ExprKind::Enabled(act));
    let (low, high) = ([int(0), int(0)], [int(1), int(0)]);
    assert_eq!(
        eval(&enabled, &Ctx::from_parts(&vars, &[], &low)),
        Ok(Value::Bool(true))
    );
    assert_eq!(
        eval(&enabled, &Ctx::from_parts(&vars, &[], &high)),
        Ok(Value::Bool(false))
    );
    // ENABLED (x' \in {}) is false: no assignment exists.
    let (x_next, empty) = (ir.primed(0), ir.ints(&[]));
    let none = ir.op2(x_next, Op::In, empty);
    let enabled = ir.e(ExprKind::Enabled(none));
    assert_eq!(
        eval(&enabled, &Ctx::from_parts(&vars, &[], &low)),
        Ok(Value::Bool(false))
    );
}

/// The variables `x` and `y`, for the `ENABLED` tests.
fn two_variables() -> Vec<Variable> {
    ["x", "y"]
        .iter()
        .map(|n| Variable {
            name: n.to_string(),
            loc: nowhere(),
        })
        .collect()
}

#[test]
fn enabled_lets_a_primed_variable_the_action_leaves_free_take_any_value() {
    // ENABLED (x' = x + 1): some next state has x' = x + 1, whatever its y' is.
    let mut ir = Ir::new();
    let (x, one) = (ir.var(0), ir.int(1));
    let sum = ir.op2(x, Op::Add, one);
    let step = ir.assign(0, sum);
    let enabled = ir.e(ExprKind::Enabled(step));
    let vars = two_variables();
    assert_eq!(
        eval(&enabled, &Ctx::from_parts(&vars, &[], &[int(0), int(0)])),
        Ok(Value::Bool(true))
    );
}

#[test]
fn enabled_rejects_a_conjunct_that_reads_a_primed_variable_left_free() {
    // ENABLED (x' = x + 1 /\ y' > 0): y' is read before anything assigns it, so which values
    // it may take is not enumerated; the answer is an error, never a guess.
    let mut ir = Ir::new();
    let (x, one) = (ir.var(0), ir.int(1));
    let sum = ir.op2(x, Op::Add, one);
    let step = ir.assign(0, sum);
    let (y_next, zero) = (ir.primed(1), ir.int(0));
    let positive = ir.op2(y_next, Op::Gt, zero);
    let act = ir.and(vec![step, positive]);
    let enabled = ir.e(ExprKind::Enabled(act));
    let vars = two_variables();
    let error = eval(&enabled, &Ctx::from_parts(&vars, &[], &[int(0), int(0)]))
        .expect_err("y' is read unassigned");
    assert_eq!(error.message, "y' is not assigned");
}

#[test]
fn errors_become_unsupported_diagnostics() {
    let error = EvalError::new("boom", nowhere());
    let diagnostic = Diagnostic::from(error);
    assert_eq!(diagnostic.kind, Kind::Unsupported);
    assert_eq!(diagnostic.code, "E0500");
    assert_eq!(diagnostic.message, "boom");
    assert!(diagnostic.labels.is_empty());
}
