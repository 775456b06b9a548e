//! Constant folding (`eval::fold`): what is computed once, and what is left to the engines.

use smtcheck::cli::frontend;
use smtcheck::ir::{ExprKind, Op, Spec};
use smtcheck::sema::Options;
use smtcheck::value::Value;
use std::path::PathBuf;

/// Writes module `Q` and its config to a fresh directory (one per test, named by `test`) and
/// runs the front end.
fn front(test: &str, tla: &str, cfg: &str) -> Spec {
    let name = "Q";
    let dir = std::env::temp_dir().join(format!("smtcheck-fold-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let tla_path: PathBuf = dir.join(format!("{name}.tla"));
    std::fs::write(&tla_path, tla).expect("write module");
    std::fs::write(dir.join(format!("{name}.cfg")), cfg).expect("write config");
    match frontend(&tla_path, None, &Options::default()) {
        Ok(front) => front.spec,
        Err(code) => panic!("front end failed with exit code {code}"),
    }
}

fn invariant<'a>(spec: &'a Spec, name: &str) -> &'a ExprKind {
    let named = spec
        .invariants
        .iter()
        .find(|n| n.name == name)
        .expect("invariant");
    &named.expr.kind
}

const HEADER: &str =
    "---- MODULE Q ----\nEXTENDS Naturals, FiniteSets\nCONSTANT Node\nVARIABLE f\n";
const CFG: &str = "CONSTANT Node = {n1, n2, n3}\nINIT Init\nNEXT Next\nINVARIANT Inv\n";

#[test]
fn constant_definitions_become_values() {
    let spec = front(
        "quorum",
        &format!(
            "{HEADER}Quorum == {{Q \\in SUBSET Node : Cardinality(Q) * 2 > Cardinality(Node)}}\n\
             Init == f = 0\nNext == f' = f\nInv == \\A q \\in Quorum : f \\in 0..Cardinality(q)\n===="
        ),
        CFG,
    );
    let ExprKind::Quant(_, binders, _) = invariant(&spec, "Inv") else {
        panic!("a quantifier")
    };
    let ExprKind::Lit(Value::Set(quorums)) = &*binders[0].set.kind else {
        panic!("the quorum set is folded, got {:?}", binders[0].set.kind)
    };
    assert_eq!(quorums.len(), 4, "three pairs and the whole set");
}

#[test]
fn shape_sets_stay_but_their_parts_are_folded() {
    let spec = front(
        "shape",
        &format!(
            "{HEADER}Others == Node \\ {{CHOOSE n \\in Node : TRUE}}\n\
             Init == f = [n \\in Others |-> 0]\nNext == f' = f\nInv == f \\in [Others -> 0..2]\n===="
        ),
        CFG,
    );
    let ExprKind::Apply(Op::In, args) = invariant(&spec, "Inv") else {
        panic!("membership")
    };
    assert!(
        matches!(&*args[0].kind, ExprKind::Var(_)),
        "the state variable stays"
    );
    let ExprKind::FnSet(domain, range) = &*args[1].kind else {
        panic!("[S -> T] is kept as a shape, got {:?}", args[1].kind)
    };
    let others = Value::set([
        Value::ModelValue("n2".into()),
        Value::ModelValue("n3".into()),
    ]);
    assert_eq!(
        *domain.kind,
        ExprKind::Lit(others),
        "CHOOSE picks the least element, n1"
    );
    let ExprKind::Apply(Op::Range, bounds) = &*range.kind else {
        panic!("a..b is kept as a range, got {:?}", range.kind)
    };
    assert_eq!(*bounds[1].kind, ExprKind::Lit(Value::Int(2)));
}

#[test]
fn failing_constant_expressions_are_left_for_the_engines() {
    let spec = front(
        "failing",
        &format!(
            "{HEADER}Init == f = 0\nNext == f' = f\n\
             Inv == f = 0 \\/ (CHOOSE n \\in 0..3 : FALSE) = f\n===="
        ),
        CFG,
    );
    let ExprKind::Apply(Op::Or, items) = invariant(&spec, "Inv") else {
        panic!("a disjunction")
    };
    let ExprKind::Apply(Op::Eq, sides) = &*items[1].kind else {
        panic!("an equality")
    };
    assert!(
        matches!(&*sides[0].kind, ExprKind::Choose(..)),
        "a CHOOSE without witness stays"
    );
}

#[test]
fn a_large_union_of_shapes_stays_a_union_of_shapes() {
    let spec = front(
        "union-of-shapes",
        &format!(
            "{HEADER}Init == f = <<>>\nNext == f' = f\n\
             Inv == f \\in UNION {{[1..n -> 0..4] : n \\in 0..Cardinality(Node)}}\n\
             Small == f \\in UNION {{[1..n -> 0..2] : n \\in 0..Cardinality(Node)}}\n===="
        ),
        "CONSTANT Node = {n1, n2, n3}\nINIT Init\nNEXT Next\nINVARIANT Inv Small\n",
    );
    let ExprKind::Apply(Op::In, args) = invariant(&spec, "Inv") else {
        panic!("membership")
    };
    let ExprKind::Apply(Op::BigUnion, family) = &*args[1].kind else {
        panic!("the union is kept, not enumerated, got {:?}", args[1].kind)
    };
    let ExprKind::SetMap(shape, binders) = &*family[0].kind else {
        panic!("a family {{shape : n \\in S}}, got {:?}", family[0].kind)
    };
    assert!(
        matches!(&*shape.kind, ExprKind::FnSet(..)),
        "{:?}",
        shape.kind
    );
    let ExprKind::Apply(Op::Range, bounds) = &*binders[0].set.kind else {
        panic!("a..b is kept as a range, got {:?}", binders[0].set.kind)
    };
    assert_eq!(
        *bounds[1].kind,
        ExprKind::Lit(Value::Int(3)),
        "Cardinality(Node) is folded"
    );
    let ExprKind::Apply(Op::In, args) = invariant(&spec, "Small") else {
        panic!("membership")
    };
    let ExprKind::Lit(Value::Set(sequences)) = &*args[1].kind else {
        panic!(
            "a union of 40 sequences is enumerated, got {:?}",
            args[1].kind
        )
    };
    assert_eq!(sequences.len(), 1 + 3 + 9 + 27);
}
