//! Parser tests: snapshots of the trees of the fixture modules under
//! `tests/fixtures/parse/ok`, snapshots of the diagnostics for those under
//! `tests/fixtures/parse/err`, exact trees and messages for a few small inputs, the whole
//! TLA+ Examples corpus (when `../shared/corpus` exists), and a no-panic test over mutilated
//! modules.
//!
//! Trees are printed compactly (see `Printer`): every operator application is parenthesised, so
//! a snapshot shows the grouping the parser chose at a glance.

#[path = "support/mutate.rs"]
mod mutate;

use smtcheck::diag::{Diagnostic, FileId, Sources};
use smtcheck::syntax::ast::*;
use smtcheck::syntax::parser::{parse_expr, parse_module};
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------------
// A compact printer
// ---------------------------------------------------------------------------------------------

/// Prints a module one unit per line, prefixed with the unit's span; expressions in a fully
/// parenthesised notation close to TLA+:
///
/// * `(a + b)`, `(~ a)`, `(x ')`: infix, prefix and postfix operators (prefix minus is `-.`);
/// * `/\[a; b]`, `\/[a; b]`: bullet lists;
/// * `(\A x, y \in S; z \in T : P)`: bounds separated by `;` (so grouping shows);
/// * `(filter x \in S : P)`, `(map e : x \in S)`, `(fn x \in S |-> e)`: set and function
///   constructors;
/// * `(f [a, b])`, `(r . a)`: function application and record fields.
struct Printer {
    out: String,
}

impl Printer {
    fn module(module: &Module) -> String {
        let mut printer = Printer { out: String::new() };
        printer.print_module(module, 0);
        printer.out
    }

    fn expr_only(expr: &Expr) -> String {
        let mut printer = Printer { out: String::new() };
        printer.expr(expr);
        printer.out
    }

    fn print_module(&mut self, module: &Module, indent: usize) {
        let pad = "  ".repeat(indent);
        let _ = writeln!(
            self.out,
            "{pad}MODULE {} {:?}",
            module.name.name, module.span
        );
        if !module.extends.is_empty() {
            let names: Vec<&str> = module.extends.iter().map(|i| i.name.as_str()).collect();
            let _ = writeln!(self.out, "{pad}EXTENDS {}", names.join(", "));
        }
        for unit in &module.units {
            if let Unit::Module(inner) = unit {
                self.print_module(inner, indent + 1);
                continue;
            }
            self.out.push_str(&pad);
            self.unit(unit);
            self.out.push('\n');
        }
        let _ = writeln!(self.out, "{pad}====");
    }

    fn unit(&mut self, unit: &Unit) {
        match unit {
            Unit::Constants(decls) => {
                self.out.push_str("CONSTANTS ");
                self.decls(decls);
            }
            Unit::Variables(vars) => {
                self.out.push_str("VARIABLES ");
                self.idents(vars);
            }
            Unit::Recursive(decls) => {
                self.out.push_str("RECURSIVE ");
                self.decls(decls);
            }
            Unit::Assume(assume) => {
                let _ = write!(self.out, "{:?} ASSUME ", assume.span);
                if let Some(name) = &assume.name {
                    let _ = write!(self.out, "{} == ", name.name);
                }
                self.expr(&assume.body);
            }
            Unit::OpDef(def) => self.op_def(def),
            Unit::FunDef(def) => {
                let _ = write!(
                    self.out,
                    "{:?} {}{}[",
                    def.span,
                    local(def.local),
                    def.name.name
                );
                self.bounds(&def.bounds);
                self.out.push_str("] == ");
                self.expr(&def.body);
            }
            Unit::Instance(instance) => {
                let _ = write!(self.out, "{:?} ", instance.span);
                self.instance(instance);
            }
            Unit::ModuleDef(def) => {
                let _ = write!(
                    self.out,
                    "{:?} {}{}",
                    def.span,
                    local(def.local),
                    def.name.name
                );
                if !def.params.is_empty() {
                    self.out.push('(');
                    self.decls(&def.params);
                    self.out.push(')');
                }
                self.out.push_str(" == ");
                self.instance(&def.instance);
            }
            Unit::Theorem(theorem) => {
                let _ = write!(self.out, "{:?} {:?} ", theorem.span, theorem.kind);
                if let Some(name) = &theorem.name {
                    let _ = write!(self.out, "{} == ", name.name);
                }
                match &theorem.body {
                    TheoremBody::Expr(e) => self.expr(e),
                    TheoremBody::AssumeProve { assumptions, goal } => {
                        self.out.push_str("ASSUME ");
                        self.exprs(assumptions, ", ");
                        self.out.push_str(" PROVE ");
                        self.expr(goal);
                    }
                }
            }
            Unit::Module(inner) => self.print_module(inner, 0),
        }
    }

    fn op_def(&mut self, def: &OpDef) {
        let _ = write!(
            self.out,
            "{:?} {}{}",
            def.span,
            local(def.local),
            def.name.name
        );
        if !def.params.is_empty() {
            self.out.push('(');
            self.decls(&def.params);
            self.out.push(')');
        }
        self.out.push_str(" == ");
        self.expr(&def.body);
    }

    fn instance(&mut self, instance: &Instance) {
        let _ = write!(
            self.out,
            "{}INSTANCE {}",
            local(instance.local),
            instance.module.name
        );
        for (i, (name, value)) in instance.substitutions.iter().enumerate() {
            self.out.push_str(if i == 0 { " WITH " } else { ", " });
            let _ = write!(self.out, "{} <- ", name.name);
            self.expr(value);
        }
    }

    fn decls(&mut self, decls: &[OpDecl]) {
        for (i, decl) in decls.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            self.out.push_str(&decl.name.name);
            if decl.arity > 0 {
                let _ = write!(self.out, "/{}", decl.arity);
            }
        }
    }

    fn idents(&mut self, idents: &[Ident]) {
        let names: Vec<&str> = idents.iter().map(|i| i.name.as_str()).collect();
        self.out.push_str(&names.join(", "));
    }

    fn exprs(&mut self, exprs: &[Expr], separator: &str) {
        for (i, e) in exprs.iter().enumerate() {
            if i > 0 {
                self.out.push_str(separator);
            }
            self.expr(e);
        }
    }

    fn bound(&mut self, bound: &Bound) {
        match &bound.vars {
            BoundVars::Names(names) => self.idents(names),
            BoundVars::Tuple(names) => {
                self.out.push_str("<<");
                self.idents(names);
                self.out.push_str(">>");
            }
        }
        if let Some(set) = &bound.set {
            self.out.push_str(" \\in ");
            self.expr(set);
        }
    }

    fn bounds(&mut self, bounds: &[Bound]) {
        for (i, b) in bounds.iter().enumerate() {
            if i > 0 {
                self.out.push_str("; ");
            }
            self.bound(b);
        }
    }

    fn instance_path(&mut self, path: &[InstancePrefix]) {
        for step in path {
            self.out.push_str(&step.name.name);
            if !step.args.is_empty() {
                self.out.push('(');
                self.exprs(&step.args, ", ");
                self.out.push(')');
            }
            self.out.push('!');
        }
    }

    fn expr(&mut self, expr: &Expr) {
        match expr.kind.as_ref() {
            ExprKind::Name(name) => self.out.push_str(&name.name),
            ExprKind::Apply(name, args) => {
                let _ = write!(self.out, "{}(", name.name);
                self.exprs(args, ", ");
                self.out.push(')');
            }
            ExprKind::InstanceRef { path, name, args } => {
                self.instance_path(path);
                self.out.push_str(&name.name);
                if !args.is_empty() {
                    self.out.push('(');
                    self.exprs(args, ", ");
                    self.out.push(')');
                }
            }
            ExprKind::OpRef(op) => {
                let _ = write!(self.out, "op({})", op.name);
            }
            ExprKind::Lambda(params, body) => {
                self.out.push_str("(LAMBDA ");
                self.idents(params);
                self.out.push_str(" : ");
                self.expr(body);
                self.out.push(')');
            }
            ExprKind::Number(n) => {
                let _ = write!(self.out, "{n}");
            }
            ExprKind::Decimal(d) => self.out.push_str(d),
            ExprKind::String(s) => {
                let _ = write!(self.out, "{s:?}");
            }
            ExprKind::Bool(b) => self.out.push_str(if *b { "TRUE" } else { "FALSE" }),
            ExprKind::At => self.out.push('@'),
            ExprKind::Prefix(op, a) => {
                let _ = write!(self.out, "({} ", op.name);
                self.expr(a);
                self.out.push(')');
            }
            ExprKind::Infix(op, a, b) => {
                self.out.push('(');
                self.expr(a);
                let _ = write!(self.out, " {} ", op.name);
                self.expr(b);
                self.out.push(')');
            }
            ExprKind::Postfix(op, a) => {
                self.out.push('(');
                self.expr(a);
                let _ = write!(self.out, " {})", op.name);
            }
            ExprKind::Junction(kind, items) => {
                self.out.push_str(if *kind == Junction::And {
                    "/\\["
                } else {
                    "\\/["
                });
                self.exprs(items, "; ");
                self.out.push(']');
            }
            ExprKind::If(c, t, e) => {
                self.out.push_str("(IF ");
                self.expr(c);
                self.out.push_str(" THEN ");
                self.expr(t);
                self.out.push_str(" ELSE ");
                self.expr(e);
                self.out.push(')');
            }
            ExprKind::Case(arms, other) => {
                self.out.push_str("(CASE ");
                for (i, (guard, value)) in arms.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(" [] ");
                    }
                    self.expr(guard);
                    self.out.push_str(" -> ");
                    self.expr(value);
                }
                if let Some(other) = other {
                    self.out.push_str(" [] OTHER -> ");
                    self.expr(other);
                }
                self.out.push(')');
            }
            ExprKind::Let(defs, body) => {
                self.out.push_str("(LET ");
                for def in defs {
                    self.unit(def);
                    self.out.push_str("; ");
                }
                self.out.push_str("IN ");
                self.expr(body);
                self.out.push(')');
            }
            ExprKind::Quant(q, bounds, body) => {
                self.out.push_str(if *q == Quantifier::Forall {
                    "(\\A "
                } else {
                    "(\\E "
                });
                self.bounds(bounds);
                self.out.push_str(" : ");
                self.expr(body);
                self.out.push(')');
            }
            ExprKind::Choose(bound, body) => {
                self.out.push_str("(CHOOSE ");
                self.bound(bound);
                self.out.push_str(" : ");
                self.expr(body);
                self.out.push(')');
            }
            ExprKind::TemporalQuant(q, vars, body) => {
                self.out.push_str(if *q == Quantifier::Forall {
                    "(\\AA "
                } else {
                    "(\\EE "
                });
                self.idents(vars);
                self.out.push_str(" : ");
                self.expr(body);
                self.out.push(')');
            }
            ExprKind::SetEnum(items) => {
                self.out.push('{');
                self.exprs(items, ", ");
                self.out.push('}');
            }
            ExprKind::SetFilter(bound, predicate) => {
                self.out.push_str("(filter ");
                self.bound(bound);
                self.out.push_str(" : ");
                self.expr(predicate);
                self.out.push(')');
            }
            ExprKind::SetMap(e, bounds) => {
                self.out.push_str("(map ");
                self.expr(e);
                self.out.push_str(" : ");
                self.bounds(bounds);
                self.out.push(')');
            }
            ExprKind::FnCons(bounds, body) => {
                self.out.push_str("(fn ");
                self.bounds(bounds);
                self.out.push_str(" |-> ");
                self.expr(body);
                self.out.push(')');
            }
            ExprKind::FnSet(domain, range) => {
                self.out.push('[');
                self.expr(domain);
                self.out.push_str(" -> ");
                self.expr(range);
                self.out.push(']');
            }
            ExprKind::FnApp(f, args) => {
                self.out.push('(');
                self.expr(f);
                self.out.push_str(" [");
                self.exprs(args, ", ");
                self.out.push_str("])");
            }
            ExprKind::Record(fields) | ExprKind::RecordSet(fields) => {
                let arrow = if matches!(expr.kind.as_ref(), ExprKind::Record(_)) {
                    "|->"
                } else {
                    ":"
                };
                self.out.push('[');
                for (i, (name, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    let _ = write!(self.out, "{} {arrow} ", name.name);
                    self.expr(value);
                }
                self.out.push(']');
            }
            ExprKind::Field(record, field) => {
                self.out.push('(');
                self.expr(record);
                let _ = write!(self.out, " . {})", field.name);
            }
            ExprKind::Except(f, updates) => {
                self.out.push('[');
                self.expr(f);
                self.out.push_str(" EXCEPT ");
                for (i, update) in updates.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.out.push('!');
                    for key in &update.path {
                        match key {
                            ExceptKey::Index(args) => {
                                self.out.push('[');
                                self.exprs(args, ", ");
                                self.out.push(']');
                            }
                            ExceptKey::Field(name) => {
                                let _ = write!(self.out, ".{}", name.name);
                            }
                        }
                    }
                    self.out.push_str(" = ");
                    self.expr(&update.value);
                }
                self.out.push(']');
            }
            ExprKind::Tuple(items) => {
                self.out.push_str("<<");
                self.exprs(items, ", ");
                self.out.push_str(">>");
            }
            ExprKind::Times(factors) => {
                self.out.push('(');
                self.exprs(factors, " \\X ");
                self.out.push(')');
            }
            ExprKind::BoxAction(action, sub) => {
                self.out.push_str("([");
                self.expr(action);
                self.out.push_str("]_ ");
                self.expr(sub);
                self.out.push(')');
            }
            ExprKind::AngleAction(action, sub) => {
                self.out.push_str("(<<");
                self.expr(action);
                self.out.push_str(">>_ ");
                self.expr(sub);
                self.out.push(')');
            }
            ExprKind::Fair(kind, sub, action) => {
                self.out.push_str(if *kind == Fairness::Weak {
                    "(WF "
                } else {
                    "(SF "
                });
                self.expr(sub);
                self.out.push(' ');
                self.expr(action);
                self.out.push(')');
            }
            ExprKind::Label(label, body) => {
                let _ = write!(self.out, "({} :: ", label.name);
                self.expr(body);
                self.out.push(')');
            }
        }
    }
}

fn local(is_local: bool) -> &'static str {
    if is_local {
        "LOCAL "
    } else {
        ""
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Parses `text` as the module file `name`, returning the printed tree or the rendered error.
fn parse_and_print(name: &Path, text: &str) -> String {
    let mut sources = Sources::new();
    let file = sources.add(name, text.to_string());
    match parse_module(file, text) {
        Ok(module) => Printer::module(&module),
        Err(diagnostic) => diagnostic.render(&sources, false),
    }
}

/// The printed tree of an expression, panicking (in a test) on a parse error.
fn expr(src: &str) -> String {
    match parse_expr(FileId::NONE, src) {
        Ok(e) => Printer::expr_only(&e),
        Err(d) => panic!("`{src}` does not parse: {d}"),
    }
}

/// The diagnostic for a module that must not parse.
fn module_error(src: &str) -> Diagnostic {
    match parse_module(FileId::NONE, src) {
        Ok(module) => panic!("parsed, but should not have:\n{}", Printer::module(&module)),
        Err(d) => d,
    }
}

fn module(body: &str) -> String {
    format!("---- MODULE M ----\n{body}\n====\n")
}

fn parse_ok(src: &str) -> Module {
    match parse_module(FileId::NONE, src) {
        Ok(m) => m,
        Err(d) => panic!("does not parse: {d}\n{src}"),
    }
}

/// The printed units of a module with body `body`, without their spans.
fn units(body: &str) -> Vec<String> {
    let m = parse_ok(&module(body));
    m.units
        .iter()
        .map(|u| {
            let mut p = Printer { out: String::new() };
            p.unit(u);
            let starts_with_span = p.out.starts_with(|c: char| c.is_ascii_digit());
            match p.out.split_once(' ') {
                Some((_, rest)) if starts_with_span => rest.to_string(),
                _ => p.out,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Snapshots of the fixtures
// ---------------------------------------------------------------------------------------------

#[test]
fn ok_fixtures() {
    insta::glob!("fixtures/parse/ok/*.tla", |path| {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let printed = parse_and_print(Path::new(path.file_name().unwrap_or_default()), &text);
        assert!(
            !printed.starts_with("error"),
            "{} does not parse:\n{printed}",
            path.display()
        );
        insta::assert_snapshot!(printed);
    });
}

#[test]
fn err_fixtures() {
    insta::glob!("fixtures/parse/err/*.tla", |path| {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let printed = parse_and_print(Path::new(path.file_name().unwrap_or_default()), &text);
        assert!(
            printed.starts_with("error"),
            "{} parses, but should not",
            path.display()
        );
        insta::assert_snapshot!(printed);
    });
}

// ---------------------------------------------------------------------------------------------
// Exact trees
// ---------------------------------------------------------------------------------------------

#[test]
fn precedence_follows_the_book() {
    assert_eq!(expr("a => b => c"), "(a => (b => c))");
    assert_eq!(expr("a <=> b => c"), "((a <=> b) => c)");
    assert_eq!(expr("~ a = b"), "(~ (a = b))");
    assert_eq!(expr("~a /\\ b"), "((~ a) /\\ b)");
    assert_eq!(expr("a \\in S \\cup T"), "(a \\in (S \\cup T))");
    assert_eq!(expr("1..N+1"), "(1 .. (N + 1))");
    assert_eq!(expr("a + b * c"), "(a + (b * c))");
    assert_eq!(expr("a - b - c"), "((a - b) - c)");
    assert_eq!(expr("-a + b"), "((-. a) + b)");
    assert_eq!(expr("-a ^ 2"), "(-. (a ^ 2))");
    assert_eq!(expr("x * -1"), "(x * (-. 1))");
    assert_eq!(expr("-a % b"), "((-. a) % b)");
    assert_eq!(expr("a % b * c"), "(a % (b * c))");
    assert_eq!(expr("a + b % c"), "(a + (b % c))");
    assert_eq!(expr("a :> 1 @@ b :> 2"), "((a :> 1) @@ (b :> 2))");
    assert_eq!(expr("SUBSET S \\cup T"), "((SUBSET S) \\cup T)");
    assert_eq!(
        expr("DOMAIN f \\cup DOMAIN g"),
        "((DOMAIN f) \\cup (DOMAIN g))"
    );
    assert_eq!(expr("S \\X T \\X U"), "(S \\X T \\X U)");
    assert_eq!(expr("x \\in Nat \\X Nat"), "(x \\in (Nat \\X Nat))");
    assert_eq!(expr("[]<>P ~> <>[]Q"), "(([] (<> P)) ~> (<> ([] Q)))");
    assert_eq!(expr("ENABLED A /\\ B"), "((ENABLED A) /\\ B)");
    assert_eq!(expr("x' = ~x"), "((x ') = (~ x))");
}

#[test]
fn binders_reach_as_far_right_as_possible() {
    assert_eq!(
        expr("a /\\ \\E x \\in S : P /\\ Q"),
        "(a /\\ (\\E x \\in S : (P /\\ Q)))"
    );
    assert_eq!(
        expr("x' = IF c THEN 1 ELSE 2 + 3"),
        "((x ') = (IF c THEN 1 ELSE (2 + 3)))"
    );
    assert_eq!(
        expr("1 + LET y == 2 IN y * 3"),
        "(1 + (LET 8..14 y == 2; IN (y * 3)))"
    );
    assert_eq!(expr("~ \\A x : P => Q"), "(~ (\\A x : (P => Q)))");
    assert_eq!(expr("F(LAMBDA x : x + 1, 2)"), "F((LAMBDA x : (x + 1)), 2)");
    assert_eq!(expr("lbl :: x = 1 /\\ y"), "(lbl :: ((x = 1) /\\ y))");
    assert_eq!(
        expr("CASE a -> IF b THEN 1 ELSE 2 [] OTHER -> CASE c -> 3"),
        "(CASE a -> (IF b THEN 1 ELSE 2) [] OTHER -> (CASE c -> 3))"
    );
}

#[test]
fn bounds_are_grouped_by_their_sets() {
    assert_eq!(
        expr("\\A x, y \\in S, z \\in T : P"),
        "(\\A x, y \\in S; z \\in T : P)"
    );
    assert_eq!(expr("\\E <<a, b>> \\in S : a"), "(\\E <<a, b>> \\in S : a)");
    assert_eq!(expr("\\E x, y : x"), "(\\E x, y : x)");
    assert_eq!(expr("CHOOSE x : P"), "(CHOOSE x : P)");
    assert_eq!(expr("[x, y \\in S |-> x]"), "(fn x, y \\in S |-> x)");
}

#[test]
fn braces_tell_filters_from_maps() {
    assert_eq!(expr("{}"), "{}");
    assert_eq!(expr("{x \\in S : P}"), "(filter x \\in S : P)");
    assert_eq!(
        expr("{x \\in S : y \\in T}"),
        "(filter x \\in S : (y \\in T))"
    );
    assert_eq!(
        expr("{<<x, y>> \\in S : x}"),
        "(filter <<x, y>> \\in S : x)"
    );
    assert_eq!(expr("{e : x \\in S}"), "(map e : x \\in S)");
    assert_eq!(
        expr("{x \\in S : x \\in S, y \\in T}"),
        "(map (x \\in S) : x \\in S; y \\in T)"
    );
    assert_eq!(expr("{e : x, y \\in S}"), "(map e : x, y \\in S)");
    assert_eq!(expr("{a \\in S}"), "{(a \\in S)}");
}

#[test]
fn square_brackets_tell_functions_records_and_actions_apart() {
    assert_eq!(expr("[a |-> 1]"), "[a |-> 1]");
    assert_eq!(expr("[a |-> 1, b |-> 2]"), "[a |-> 1, b |-> 2]");
    assert_eq!(expr("[x \\in S |-> 1]"), "(fn x \\in S |-> 1)");
    assert_eq!(expr("[a : S, b : T]"), "[a : S, b : T]");
    assert_eq!(expr("[S -> T]"), "[S -> T]");
    assert_eq!(expr("[A]_v"), "([A]_ v)");
    assert_eq!(expr("[A]_<<x, y>>"), "([A]_ <<x, y>>)");
    assert_eq!(expr("<<A>>_v"), "(<<A>>_ v)");
    assert_eq!(expr("WF_vars(A)"), "(WF vars A)");
    assert_eq!(expr("SF_<<x, y>>(A)"), "(SF <<x, y>> A)");
    assert_eq!(
        expr("[f EXCEPT ![a][b] = e, !.g = @ + 1, ![a].g = 2]"),
        "[f EXCEPT ![a][b] = e, !.g = (@ + 1), ![a].g = 2]"
    );
}

#[test]
fn application_fields_and_primes_chain() {
    assert_eq!(expr("r.a.b"), "((r . a) . b)");
    assert_eq!(expr("f[x].a"), "((f [x]) . a)");
    assert_eq!(expr("r.a[x]"), "((r . a) [x])");
    assert_eq!(expr("f[a, b]"), "(f [a, b])");
    assert_eq!(expr("f[x]'"), "((f [x]) ')");
    assert_eq!(expr("(a + b)'"), "((a + b) ')");
    assert_eq!(expr("R^+"), "(R ^+)");
    assert_eq!(expr("N!Op"), "N!Op");
    assert_eq!(expr("N!Op(a)"), "N!Op(a)");
    assert_eq!(expr("N(p)!M!Op(a)"), "N(p)!M!Op(a)");
    assert_eq!(expr("FoldSet(+, 0, S)"), "FoldSet(op(+), 0, S)");
    assert_eq!(expr("F(-, \\cup)"), "F(op(-), op(\\cup))");
}

#[test]
fn literals() {
    assert_eq!(expr("<<>>"), "<<>>");
    assert_eq!(
        expr("<<1, \"a\", TRUE, FALSE>>"),
        "<<1, \"a\", TRUE, FALSE>>"
    );
    assert_eq!(expr("1.5"), "1.5");
    assert_eq!(expr("\\b101 + \\hFF"), "(5 + 255)");
}

#[test]
fn definitions_of_every_shape() {
    let printed = units(
        "CONSTANTS Op(_, _), _ \\prec _\n\
         RECURSIVE F(_), G\n\
         F(x) == x\n\
         G == 1\n\
         a \\prec b == a < b\n\
         -. a == 0 - a\n\
         a ^* == a\n\
         H(Op2(_, _), y) == Op2(y, y)\n\
         f[x \\in S, y \\in T] == x\n\
         LOCAL L == 1\n\
         N(p) == INSTANCE M WITH a <- p\n\
         LOCAL INSTANCE K\n\
         ASSUME Named == TRUE\n\
         THEOREM T == ASSUME NEW x \\in S, x > 0 PROVE x > 1",
    );
    assert_eq!(
        printed,
        [
            "CONSTANTS Op/2, \\prec/2",
            "RECURSIVE F/1, G",
            "F(x) == x",
            "G == 1",
            "\\prec(a, b) == (a < b)",
            "-.(a) == (0 - a)",
            "^*(a) == a",
            "H(Op2/2, y) == Op2(y, y)",
            "f[x \\in S; y \\in T] == x",
            "LOCAL L == 1",
            "N(p) == INSTANCE M WITH a <- p",
            "LOCAL INSTANCE K",
            "ASSUME Named == TRUE",
            "Theorem T == ASSUME (x \\in S), (x > 0) PROVE (x > 1)",
        ]
    );
}

#[test]
fn spans_cover_exactly_the_text() {
    let src = module("Init == /\\ x = 1\n        /\\ y' = f[x]\n\n\\* trailing comment\nNext == x");
    let m = parse_ok(&src);
    let Unit::OpDef(init) = &m.units[0] else {
        panic!("not a definition: {:?}", m.units[0])
    };
    assert_eq!(
        &src[init.span.start..init.span.end],
        "Init == /\\ x = 1\n        /\\ y' = f[x]"
    );
    let ExprKind::Junction(Junction::And, items) = init.body.kind.as_ref() else {
        panic!()
    };
    assert_eq!(
        &src[init.body.span.start..init.body.span.end],
        "/\\ x = 1\n        /\\ y' = f[x]"
    );
    assert_eq!(&src[items[1].span.start..items[1].span.end], "y' = f[x]");
    let ExprKind::Infix(op, lhs, rhs) = items[1].kind.as_ref() else {
        panic!()
    };
    assert_eq!(&src[op.span.start..op.span.end], "=");
    assert_eq!(&src[lhs.span.start..lhs.span.end], "y'");
    assert_eq!(&src[rhs.span.start..rhs.span.end], "f[x]");
    assert_eq!((m.span.start, m.span.end), (0, src.trim_end().len()));
}

// ---------------------------------------------------------------------------------------------
// Exact messages
// ---------------------------------------------------------------------------------------------

#[test]
fn an_unexpected_token_names_what_was_expected() {
    let d = module_error(&module("Init == x = )"));
    assert_eq!(
        (d.code, d.message.as_str()),
        ("E0101", "unexpected `)`, expected an expression")
    );
    assert_eq!(d.labels[0].span, Span::new(31, 32));
    assert_eq!(d.labels[0].message, "expected an expression");
    assert_eq!(d.exit_code(), 150);

    let d = module_error(&module("Init x = 0"));
    assert_eq!(d.code, "E0101");
    assert_eq!(
        d.message,
        "unexpected identifier `x`, expected `==`, `(`, `[` or an operator"
    );

    let d = module_error(&module("Init == x = 1 = 2"));
    assert_eq!(d.message, "unexpected `=`, expected an operator");
    assert_eq!(
        d.notes,
        ["relations do not chain in TLA+: write `a = b /\\ b = c`, not `a = b = c`"]
    );

    let d = module_error(&module("Init == IF x THEN 1"));
    assert_eq!(d.message, "unexpected `====`, expected `ELSE`");
}

#[test]
fn the_end_of_the_file_and_lexical_errors_have_their_own_codes() {
    let d = module_error("---- MODULE M ----\nInit == 1 +");
    assert_eq!(
        (d.code, d.message.as_str()),
        ("E0102", "unexpected end of file, expected an expression")
    );
    let d = module_error("---- MODULE M ----\nS == \"abc\n====");
    assert_eq!(
        (d.code, d.message.as_str()),
        ("E0100", "unterminated string")
    );
}

#[test]
fn what_is_not_a_bound_is_reported_where_it_is() {
    let src = module("S == {x : 1}");
    let d = module_error(&src);
    assert_eq!(
        (d.code, d.message.as_str()),
        ("E0103", "expected a bound such as `x \\in S`")
    );
    assert_eq!(&src[d.labels[0].span.start..d.labels[0].span.end], "1");

    let src = module("P == \\A x \\in S, y : TRUE");
    let d = module_error(&src);
    assert_eq!(d.message, "`y` needs a set to range over");
    assert_eq!(&src[d.labels[0].span.start..d.labels[0].span.end], "y");
}

#[test]
fn parse_expr_rejects_trailing_tokens() {
    let d = match parse_expr(FileId::NONE, "1 + 2 )") {
        Ok(e) => panic!("parsed: {e:?}"),
        Err(d) => d,
    };
    assert_eq!(d.code, "E0101");
}

// ---------------------------------------------------------------------------------------------
// The TLA+ Examples corpus
// ---------------------------------------------------------------------------------------------

fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/tla-examples");
    dir.is_dir().then_some(dir)
}

fn tla_files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            tla_files_under(&path, out);
        } else if path.extension().is_some_and(|e| e == "tla") {
            out.push(path);
        }
    }
}

fn corpus_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    if let Some(dir) = corpus_dir() {
        tla_files_under(&dir, &mut files);
    }
    files.sort();
    files
}

#[test]
fn every_corpus_module_parses() {
    let files = corpus_files();
    if files.is_empty() {
        eprintln!("../shared/corpus/tla-examples not found: skipping the corpus test");
        return;
    }
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let mut sources = Sources::new();
        let file = sources.add(path, text.clone());
        if let Err(d) = parse_module(file, &text) {
            failures.push(d.render(&sources, false));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus modules do not parse:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    eprintln!("all {} corpus modules parse", files.len());
}

// ---------------------------------------------------------------------------------------------
// No input makes the parser panic
// ---------------------------------------------------------------------------------------------

fn check_no_panic(name: &str, text: &str) {
    let outcome = catch_unwind(AssertUnwindSafe(|| parse_module(FileId::NONE, text)));
    match outcome {
        Ok(Ok(_)) => {}
        Ok(Err(d)) => {
            let primary = d.labels.iter().find(|l| l.primary);
            let span = primary.map(|l| l.span).unwrap_or_default();
            assert!(
                primary.is_some() && span.start <= span.end && span.end <= text.len(),
                "{name}: diagnostic `{d}` points outside the text ({span:?}, length {})",
                text.len()
            );
        }
        Err(_) => panic!("{name}: the parser panicked on this input:\n{text}"),
    }
}

#[test]
fn mutilated_modules_never_panic() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/parse");
    let mut inputs: Vec<PathBuf> = Vec::new();
    tla_files_under(&fixtures, &mut inputs);
    let corpus = corpus_files();
    inputs.extend(corpus.iter().step_by(30).cloned());
    inputs.sort();
    assert!(inputs.len() >= 12, "too few inputs: {inputs:?}");
    for path in &inputs {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        for (i, variant) in mutate::mutilations(&text).iter().enumerate() {
            check_no_panic(&format!("{} variant {i}", path.display()), variant);
        }
    }
}
