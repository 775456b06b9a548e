//! Tests of both outputs on a hand-built spec: a lock with fencing tokens, with an action
//! of one parameter (`Acquire(c)`), one of none (`Release`) and one of two (`Send(n, v)`).

use super::*;
use crate::diag::Sources;
use crate::ir::build::{nowhere, Builder};
use crate::ir::{
    Action, ActionInstance, Behaviour, Binder, ExprKind, Loc, Param, Pattern, Spec, Step, Variable,
};
use crate::syntax::ast::Span;
use crate::types::{Type, Types};
use crate::value::Value;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;

const SOURCE: &str = "\
---- MODULE FencedLock ----
VARIABLES holder, nextToken

Acquire(c) ==
    /\\ holder = NoOne
    /\\ holder' = c

Release == holder' = NoOne
====
";

/// The spec, and the sources its action locations point into.
fn fenced_lock() -> (Spec, Sources) {
    let mut sources = Sources::new();
    let file = sources.add(Path::new("specs/FencedLock.tla"), SOURCE.to_string());
    let mut b = Builder::new();
    let acquire = action(
        &mut b,
        "Acquire",
        &["c"],
        located(file, "Acquire(c) ==", "holder' = c"),
    );
    let release = action(
        &mut b,
        "Release",
        &[],
        located(file, "Release", "holder' = NoOne"),
    );
    let send = action(&mut b, "Send", &["n", "v"], nowhere());
    let init = b.lit(Value::Bool(true));
    let spec = Spec {
        module: "FencedLock".to_string(),
        constants: Vec::new(),
        vars: vec![variable("holder"), variable("nextToken")],
        init,
        actions: vec![acquire, release, send],
        invariants: Vec::new(),
        properties: Vec::new(),
        fairness: Vec::new(),
        constraints: Vec::new(),
        action_constraints: Vec::new(),
        assumptions: Vec::new(),
        check_deadlock: true,
        recursive: Vec::new(),
        expr_count: b.expr_count(),
        bound_names: b.into_bound_names(),
    };
    (spec, sources)
}

/// The span from the start of `first` to the end of `last` in `SOURCE`.
fn located(file: crate::diag::FileId, first: &str, last: &str) -> Loc {
    let start = SOURCE.find(first).unwrap_or(0);
    let end = SOURCE.find(last).map_or(0, |at| at + last.len());
    Loc {
        file,
        span: Span { start, end },
    }
}

fn variable(name: &str) -> Variable {
    Variable {
        name: name.to_string(),
        loc: nowhere(),
    }
}

/// An action whose body and parameter sets do not matter here: only names and locations do.
fn action(b: &mut Builder, name: &str, params: &[&str], loc: Loc) -> Action {
    let params = params
        .iter()
        .map(|param| {
            let id = b.bound(param);
            let set = b.expr(ExprKind::SetEnum(Vec::new()), nowhere());
            Param {
                name: param.to_string(),
                binder: Binder {
                    pattern: Pattern::Var(id),
                    set,
                },
            }
        })
        .collect();
    let body = b.lit(Value::Bool(true));
    Action {
        name: name.to_string(),
        params,
        body,
        loc,
    }
}

fn mv(name: &str) -> Value {
    Value::ModelValue(name.to_string())
}

fn step(action: Option<(usize, Vec<Value>)>, holder: Value, token: i64) -> Step {
    let action = action.map(|(action, params)| ActionInstance { action, params });
    Step {
        action,
        state: vec![holder, Value::Int(token)],
    }
}

/// Init, then c1 acquires the lock, then releases it.
fn acquire_release() -> Behaviour {
    Behaviour {
        steps: vec![
            step(None, mv("NoOne"), 1),
            step(Some((0, vec![mv("c1")])), mv("c1"), 2),
            step(Some((1, vec![])), mv("NoOne"), 2),
        ],
        loop_start: None,
    }
}

fn lock_types() -> Types {
    Types {
        vars: vec![Type::ModelValue, Type::Int],
        consts: vec![],
        bounds: vec![],
        exprs: vec![],
        optional_fields: Default::default(),
        with_model_values: Default::default(),
    }
}

// ---- text ----

#[test]
fn text_lists_every_state_with_its_action_and_location() {
    let (spec, sources) = fenced_lock();
    let listing = text(&spec, &sources, &acquire_release(), TextOptions::default());
    assert_eq!(
        listing,
        "\
State 1: <Initial predicate>
/\\ holder = NoOne
/\\ nextToken = 1

State 2: <Acquire(c1) line 4, col 1 to line 6, col 18 of module FencedLock>
/\\ holder = c1
/\\ nextToken = 2

State 3: <Release line 8, col 1 to line 8, col 26 of module FencedLock>
/\\ holder = NoOne
/\\ nextToken = 2
"
    );
}

#[test]
fn diff_mode_lists_only_the_changed_variables_after_the_first_state() {
    let (spec, sources) = fenced_lock();
    let listing = text(
        &spec,
        &sources,
        &acquire_release(),
        TextOptions { diff: true },
    );
    assert_eq!(
        listing,
        "\
State 1: <Initial predicate>
/\\ holder = NoOne
/\\ nextToken = 1

State 2: <Acquire(c1) line 4, col 1 to line 6, col 18 of module FencedLock>
/\\ holder = c1
/\\ nextToken = 2

State 3: <Release line 8, col 1 to line 8, col 26 of module FencedLock>
/\\ holder = NoOne
"
    );
}

#[test]
fn a_lasso_ends_by_naming_the_state_it_returns_to() {
    let (spec, sources) = fenced_lock();
    let lasso = Behaviour {
        loop_start: Some(1),
        ..acquire_release()
    };
    let listing = text(&spec, &sources, &lasso, TextOptions { diff: true });
    assert!(
        listing.ends_with("/\\ holder = NoOne\n\nBack to state 2\n"),
        "{listing}"
    );
}

#[test]
fn a_lasso_looping_on_its_last_state_ends_stuttering_as_in_tlc() {
    let (spec, sources) = fenced_lock();
    let lasso = Behaviour {
        loop_start: Some(2),
        ..acquire_release()
    };
    let listing = text(&spec, &sources, &lasso, TextOptions::default());
    assert!(
        listing.ends_with("/\\ nextToken = 2\n\nState 4: Stuttering\n"),
        "{listing}"
    );
}

#[test]
fn parameters_are_shown_in_order_and_actions_without_a_file_have_no_location() {
    let (spec, sources) = fenced_lock();
    let behaviour = Behaviour {
        steps: vec![
            step(None, mv("NoOne"), 1),
            step(Some((2, vec![mv("n1"), Value::Int(3)])), mv("NoOne"), 1),
        ],
        loop_start: None,
    };
    let listing = text(&spec, &sources, &behaviour, TextOptions { diff: true });
    assert_eq!(
        listing,
        "\
State 1: <Initial predicate>
/\\ holder = NoOne
/\\ nextToken = 1

State 2: <Send(n1, 3)>
"
    );
}

#[test]
fn values_print_in_tla_notation() {
    let (spec, sources) = fenced_lock();
    let holder = Value::set([mv("c1"), mv("c2")]);
    let token = Value::record([("epoch", Value::Int(1)), ("owner", Value::Str("c1".into()))]);
    let behaviour = Behaviour {
        steps: vec![Step {
            action: None,
            state: vec![holder, token],
        }],
        loop_start: None,
    };
    let listing = text(&spec, &sources, &behaviour, TextOptions::default());
    assert_eq!(
        listing,
        "\
State 1: <Initial predicate>
/\\ holder = {c1, c2}
/\\ nextToken = [epoch |-> 1, owner |-> \"c1\"]
"
    );
}

#[test]
fn columns_count_characters_not_bytes() {
    let mut sources = Sources::new();
    let source = "(* ∀ é *) Tick == x' = x + 1\n";
    let file = sources.add(Path::new("Clock.tla"), source.to_string());
    let (mut spec, _) = fenced_lock();
    let start = source.find("Tick").unwrap_or(0);
    spec.actions[1].loc = Loc {
        file,
        span: Span {
            start,
            end: source.len() - 1,
        },
    };
    let behaviour = Behaviour {
        steps: vec![
            step(None, mv("NoOne"), 1),
            step(Some((1, vec![])), mv("NoOne"), 2),
        ],
        loop_start: None,
    };
    let listing = text(&spec, &sources, &behaviour, TextOptions { diff: true });
    assert!(
        listing.contains("State 2: <Release line 1, col 11 to line 1, col 28 of module Clock>\n"),
        "{listing}"
    );
}

#[test]
fn malformed_behaviours_still_print() {
    let (spec, sources) = fenced_lock();
    let behaviour = Behaviour {
        steps: vec![
            Step {
                action: None,
                state: vec![mv("NoOne")],
            },
            Step {
                action: Some(ActionInstance {
                    action: 9,
                    params: vec![],
                }),
                state: vec![],
            },
        ],
        loop_start: Some(7),
    };
    let listing = text(&spec, &sources, &behaviour, TextOptions { diff: true });
    assert_eq!(
        listing,
        "\
State 1: <Initial predicate>
/\\ holder = NoOne

State 2: <Action#9>

Back to state 8
"
    );
    let trace = itf(&spec, &lock_types(), &behaviour);
    assert_eq!(
        trace["states"][1],
        json!({ "#meta": { "index": 1, "action": "Action#9" } })
    );
}

#[test]
fn an_empty_behaviour_prints_nothing() {
    let (spec, sources) = fenced_lock();
    assert_eq!(
        text(
            &spec,
            &sources,
            &Behaviour::default(),
            TextOptions::default()
        ),
        ""
    );
}

// ---- ITF ----

#[test]
fn itf_trace_has_meta_vars_states_and_actions() {
    let (spec, _) = fenced_lock();
    let trace = itf(&spec, &lock_types(), &acquire_release());
    assert_eq!(
        trace,
        json!({
            "#meta": {
                "format": "ITF",
                "format-description": "https://apalache-mc.org/docs/adr/015adr-trace.html",
                "source": "FencedLock.tla",
                "description": "Created by smtcheck",
                "varTypes": { "holder": "Str", "nextToken": "Int" },
            },
            "vars": ["holder", "nextToken"],
            "states": [
                {
                    "#meta": { "index": 0 },
                    "holder": "NoOne",
                    "nextToken": { "#bigint": "1" },
                },
                {
                    "#meta": { "index": 1, "action": "Acquire(c1)" },
                    "holder": "c1",
                    "nextToken": { "#bigint": "2" },
                },
                {
                    "#meta": { "index": 2, "action": "Release" },
                    "holder": "NoOne",
                    "nextToken": { "#bigint": "2" },
                },
            ],
        })
    );
}

#[test]
fn itf_lasso_gives_the_loop_index() {
    let (spec, _) = fenced_lock();
    let lasso = Behaviour {
        loop_start: Some(1),
        ..acquire_release()
    };
    assert_eq!(itf(&spec, &lock_types(), &lasso)["loop"], json!(1));
    assert_eq!(
        itf(&spec, &lock_types(), &acquire_release()).get("loop"),
        None
    );
}

/// `value` encoded as the only state variable, typed `ty` (or untyped with `None`).
fn encoded(value: Value, ty: Option<Type>) -> serde_json::Value {
    let (mut spec, _) = fenced_lock();
    spec.vars.truncate(1);
    let types = Types {
        vars: ty.into_iter().collect(),
        consts: vec![],
        bounds: vec![],
        exprs: vec![],
        optional_fields: Default::default(),
        with_model_values: Default::default(),
    };
    let behaviour = Behaviour {
        steps: vec![Step {
            action: None,
            state: vec![value],
        }],
        loop_start: None,
    };
    itf(&spec, &types, &behaviour)["states"][0]["holder"].clone()
}

fn int(n: i64) -> Value {
    Value::Int(n)
}

fn string(s: &str) -> Value {
    Value::Str(s.to_string())
}

fn set_of(t: Type) -> Type {
    Type::Set(Box::new(t))
}

fn seq_of(t: Type) -> Type {
    Type::Seq(Box::new(t))
}

fn fn_type(domain: Type, range: Type) -> Type {
    Type::Fn(Box::new(domain), Box::new(range))
}

#[test]
fn itf_scalars() {
    assert_eq!(
        encoded(int(-12), Some(Type::Int)),
        json!({ "#bigint": "-12" })
    );
    assert_eq!(
        encoded(int(i64::MAX), Some(Type::Int)),
        json!({ "#bigint": "9223372036854775807" })
    );
    assert_eq!(encoded(Value::Bool(true), Some(Type::Bool)), json!(true));
    assert_eq!(
        encoded(string("a \"b\""), Some(Type::Str)),
        json!("a \"b\"")
    );
    assert_eq!(encoded(mv("c1"), Some(Type::ModelValue)), json!("c1"));
}

#[test]
fn itf_sets() {
    let set = Value::set([int(2), int(1)]);
    assert_eq!(
        encoded(set, Some(set_of(Type::Int))),
        json!({ "#set": [{ "#bigint": "1" }, { "#bigint": "2" }] })
    );
    assert_eq!(
        encoded(Value::set([]), Some(set_of(Type::Int))),
        json!({ "#set": [] })
    );
}

#[test]
fn itf_functions_are_maps_even_from_strings_or_one_to_n() {
    let from_nodes = Value::Fn(BTreeMap::from([(mv("n1"), int(0)), (mv("n2"), int(5))]));
    assert_eq!(
        encoded(from_nodes, Some(fn_type(Type::ModelValue, Type::Int))),
        json!({ "#map": [["n1", { "#bigint": "0" }], ["n2", { "#bigint": "5" }]] })
    );
    let from_strings = Value::record([("a", Value::Bool(false))]);
    assert_eq!(
        encoded(from_strings, Some(fn_type(Type::Str, Type::Bool))),
        json!({ "#map": [["a", false]] })
    );
    let from_one_to_two = Value::tuple([Value::Bool(true), Value::Bool(false)]);
    assert_eq!(
        encoded(from_one_to_two, Some(fn_type(Type::Int, Type::Bool))),
        json!({ "#map": [[{ "#bigint": "1" }, true], [{ "#bigint": "2" }, false]] })
    );
    assert_eq!(
        encoded(Value::tuple([]), Some(fn_type(Type::Int, Type::Bool))),
        json!({ "#map": [] })
    );
}

#[test]
fn itf_records_are_objects_with_typed_fields() {
    let record = Value::record([("owner", mv("c1")), ("epoch", int(3))]);
    let ty = Type::Record(BTreeMap::from([
        ("owner".to_string(), Type::ModelValue),
        ("epoch".to_string(), Type::Int),
    ]));
    assert_eq!(
        encoded(record, Some(ty)),
        json!({ "owner": "c1", "epoch": { "#bigint": "3" } })
    );
    let no_fields = Type::Record(BTreeMap::new());
    assert_eq!(encoded(Value::tuple([]), Some(no_fields)), json!({}));
}

#[test]
fn itf_tuples_and_sequences() {
    let pair = Value::tuple([mv("n1"), int(3)]);
    let pair_type = Type::Tuple(vec![Type::ModelValue, Type::Int]);
    assert_eq!(
        encoded(pair.clone(), Some(pair_type)),
        json!({ "#tup": ["n1", { "#bigint": "3" }] })
    );
    let messages = Value::tuple([pair.clone(), pair]);
    let message_type = Type::Tuple(vec![Type::ModelValue, Type::Int]);
    assert_eq!(
        encoded(messages, Some(seq_of(message_type))),
        json!([{ "#tup": ["n1", { "#bigint": "3" }] }, { "#tup": ["n1", { "#bigint": "3" }] }])
    );
    assert_eq!(
        encoded(Value::tuple([]), Some(seq_of(Type::Int))),
        json!([])
    );
}

#[test]
fn itf_nested_values_follow_their_types_all_the_way_down() {
    // [n \in {n1} |-> {<<"x", [ok |-> TRUE]>>}]
    let inner = Value::tuple([string("x"), Value::record([("ok", Value::Bool(true))])]);
    let value = Value::Fn(BTreeMap::from([(mv("n1"), Value::set([inner]))]));
    let ok_record = Type::Record(BTreeMap::from([("ok".to_string(), Type::Bool)]));
    let ty = fn_type(
        Type::ModelValue,
        set_of(Type::Tuple(vec![Type::Str, ok_record])),
    );
    assert_eq!(
        encoded(value, Some(ty)),
        json!({ "#map": [["n1", { "#set": [{ "#tup": ["x", { "ok": true }] }] }]] })
    );
}

#[test]
fn itf_without_a_fitting_type_encodes_by_shape() {
    let record = Value::record([("a", int(1))]);
    assert_eq!(
        encoded(record.clone(), None),
        json!({ "a": { "#bigint": "1" } })
    );
    // A sequence type for a value whose domain is not 1..n: the value wins.
    let sparse = Value::Fn(BTreeMap::from([(int(2), int(7))]));
    assert_eq!(
        encoded(sparse, Some(seq_of(Type::Int))),
        json!({ "#map": [[{ "#bigint": "2" }, { "#bigint": "7" }]] })
    );
    assert_eq!(encoded(Value::tuple([]), None), json!({ "#map": [] }));
    // A set typed as an integer still encodes as a set.
    assert_eq!(
        encoded(Value::set([int(1)]), Some(Type::Int)),
        json!({ "#set": [{ "#bigint": "1" }] })
    );
}

#[test]
fn apalache_type_syntax() {
    let record = Type::Record(BTreeMap::from([
        ("a".to_string(), Type::Int),
        ("b".to_string(), seq_of(Type::Str)),
    ]));
    assert_eq!(apalache_type(&record), "{ a: Int, b: Seq(Str) }");
    assert_eq!(apalache_type(&Type::Record(BTreeMap::new())), "{}");
    assert_eq!(
        apalache_type(&fn_type(Type::ModelValue, set_of(Type::Int))),
        "Str -> Set(Int)"
    );
    let curried = fn_type(
        fn_type(Type::Int, Type::Bool),
        fn_type(Type::Int, Type::Bool),
    );
    assert_eq!(apalache_type(&curried), "(Int -> Bool) -> (Int -> Bool)");
    assert_eq!(
        apalache_type(&Type::Tuple(vec![Type::Int, Type::Bool])),
        "<<Int, Bool>>"
    );
}
