//! The walk over a `Spec` that gathers type constraints, and the decisions taken at its end.
//!
//! Every expression, state variable, constant and bound variable gets a node of the union-find
//! table (`unify.rs`); each operator unifies the nodes of its operands with the shapes it needs.
//! Uses whose meaning depends on a type not known yet (`f[a]`, `DOMAIN f`, `a \o b`: `f` may be
//! a function, a sequence, a tuple or a record) are deferred and retried until they can be
//! decided; see `finish` for what happens to what is still open at the end.

use super::unify::{Clash, ClashKind, Node, Shape, Table, Variants};
use super::{OptionalFields, Type, Types};
use crate::diag::{Diagnostic, Kind};
use crate::ir::build::nowhere;
use crate::ir::{
    Binder, Expr, ExprKind, InfiniteSet, Loc, Op, PathStep, Pattern, RecId, RecursiveDef, Spec,
};
use crate::value::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// A use that waits until the shape of the thing used is known.
#[derive(Clone, Debug)]
enum Deferred {
    /// `f[arg]` (or one step `![arg]` of an `EXCEPT` path) has type `result`.
    Apply {
        f: Node,
        arg: Node,
        index: Literal,
        result: Node,
        loc: Loc,
        subject: Option<String>,
    },
    /// `DOMAIN f` is a set of `element`s.
    Domain {
        f: Node,
        element: Node,
        loc: Loc,
        subject: Option<String>,
    },
    /// `a \o b` is `result`: sequences, or strings.
    Concat {
        a: Node,
        b: Node,
        result: Node,
        loc: Loc,
    },
}

impl Deferred {
    /// Where the use is.
    fn loc(&self) -> Loc {
        match self {
            Deferred::Apply { loc, .. }
            | Deferred::Domain { loc, .. }
            | Deferred::Concat { loc, .. } => *loc,
        }
    }
}

/// A read of field `field` of a record (`r.f`, `EXCEPT !.f`), checked at the end of inference:
/// some record that reaches `record` must have the field.
#[derive(Clone, Debug)]
struct FieldRead {
    record: Node,
    field: String,
    loc: Loc,
    subject: Option<String>,
}

/// An index written as a literal, which picks a tuple component or a record field.
#[derive(Clone, Debug)]
enum Literal {
    Int(i64),
    Str(String),
    /// Anything else: an index computed at run time.
    Computed,
}

pub(super) struct Inference<'s> {
    spec: &'s Spec,
    table: Table,
    vars: Vec<Node>,
    consts: Vec<Node>,
    bounds: Vec<Option<Node>>,
    exprs: Vec<Option<Node>>,
    deferred: Vec<Deferred>,
    /// The constants some expression mentions (the others default to Int).
    mentioned: HashSet<usize>,
    /// The result of each recursive definition, indexed by `RecId`: one type for the body
    /// and every call (a definition is monomorphic; sema makes one per instance).
    results: Vec<Node>,
    /// Every record literal, record set element and record value, with its place.
    records: Vec<(Node, Loc)>,
    field_reads: Vec<FieldRead>,
    /// The place whose constraints are being gathered: where a model value that meets
    /// another type is said to mix with it.
    here: Loc,
}

impl<'s> Inference<'s> {
    pub(super) fn new(spec: &'s Spec) -> Inference<'s> {
        let mut table = Table::default();
        let vars = spec.vars.iter().map(|v| table.fresh(v.loc)).collect();
        let consts = spec.constants.iter().map(|c| table.fresh(c.loc)).collect();
        let results = spec.recursive.iter().map(|d| table.fresh(d.loc)).collect();
        Inference {
            results,
            spec,
            table,
            vars,
            consts,
            bounds: vec![None; spec.bound_names.len()],
            exprs: vec![None; spec.expr_count],
            deferred: Vec::new(),
            mentioned: HashSet::new(),
            records: Vec::new(),
            field_reads: Vec::new(),
            here: nowhere(),
        }
    }

    /// Gathers the constraints of every part of the spec.
    pub(super) fn walk_spec(&mut self) -> Result<(), Diagnostic> {
        let spec = self.spec;
        for (i, constant) in spec.constants.iter().enumerate() {
            if let Some(value) = &constant.value {
                self.at(constant.loc, |this| {
                    let node = this.value(value, constant.loc)?;
                    this.unify(this.consts[i], node, Some(constant.name.clone()))
                })?;
            }
        }
        for (i, def) in spec.recursive.iter().enumerate() {
            self.at(def.loc, |this| this.recursive_def(RecId(i), def))?;
        }
        self.formula(&spec.init)?;
        for action in &spec.actions {
            for param in &action.params {
                self.binder(&param.binder)?;
            }
            self.formula(&action.body)?;
        }
        for formula in spec.named() {
            self.formula(&formula.expr)?;
        }
        for fairness in &spec.fairness {
            for binder in &fairness.binders {
                self.binder(binder)?;
            }
            self.expr(&fairness.vars)?;
            self.formula(&fairness.action)?;
        }
        Ok(())
    }

    /// A recursive definition: its parameters range over its domain, if it has one, and its
    /// body has the type of every call.
    fn recursive_def(&mut self, id: RecId, def: &RecursiveDef) -> Result<(), Diagnostic> {
        for (param, set) in def.params.iter().zip(def.domain.iter().flatten()) {
            let set_node = self.expr(set)?;
            let element = self.element_of(set_node, set)?;
            let node = self.bound(param.0, set.loc);
            let name = self.spec.bound_names.get(param.0).cloned();
            self.unify(element, node, name)?;
        }
        let body = self.expr(&def.body)?;
        self.unify(self.results[id.0], body, Some(def.name.clone()))
    }

    /// A call of a recursive definition: each argument has its parameter's type.
    fn recursive_call(
        &mut self,
        id: RecId,
        args: &[Expr],
        expr: &Expr,
    ) -> Result<Node, Diagnostic> {
        let (Some(def), Some(result)) = (self.spec.recursive.get(id.0), self.results.get(id.0))
        else {
            return Err(dangling(expr, "recursive definition"));
        };
        let result = *result;
        for (param, arg) in def.params.iter().zip(args) {
            let node = self.expr(arg)?;
            let param_node = self.bound(param.0, arg.loc);
            let name = self.spec.bound_names.get(param.0).cloned();
            self.unify(param_node, node, name)?;
        }
        Ok(result)
    }

    /// A formula: an expression that must be a Bool.
    fn formula(&mut self, expr: &Expr) -> Result<(), Diagnostic> {
        let node = self.expr(expr)?;
        self.require(node, Shape::Bool, expr)
    }

    // ---------------------------------------------------------------------------------------
    // Unification with messages

    /// How a message names the value of `expr`, when it has a simple name: `x`, `x'`, `r.f`…
    fn subject(&self, expr: &Expr) -> Option<String> {
        let spec = self.spec;
        match &*expr.kind {
            ExprKind::Var(id) => spec.vars.get(id.0).map(|v| v.name.clone()),
            // `x'` has the type of `x`, so messages name `x`.
            ExprKind::Primed(id) => spec.vars.get(id.0).map(|v| v.name.clone()),
            ExprKind::Const(id) => spec.constants.get(id.0).map(|c| c.name.clone()),
            ExprKind::Bound(id) => spec.bound_names.get(id.0).cloned(),
            ExprKind::Field(record, field) => self.subject(record).map(|r| format!("{r}.{field}")),
            ExprKind::FnApp(f, arg) => {
                let f = self.subject(f)?;
                Some(format!(
                    "{f}[{}]",
                    self.subject(arg).unwrap_or_else(|| "…".to_string())
                ))
            }
            _ => None,
        }
    }

    fn unify(
        &mut self,
        left: Node,
        right: Node,
        subject: Option<String>,
    ) -> Result<(), Diagnostic> {
        self.table
            .unify(left, right, self.here)
            .map_err(|clash| clash_diagnostic(&clash, subject))
    }

    /// Runs `gather` with `loc` as the place whose constraints are gathered.
    fn at<R>(&mut self, loc: Loc, gather: impl FnOnce(&mut Self) -> R) -> R {
        let outer = std::mem::replace(&mut self.here, loc);
        let result = gather(self);
        self.here = outer;
        result
    }

    /// Unifies `node`, the type of `expr`, with a new class of this shape, given by `expr`.
    fn require(&mut self, node: Node, shape: Shape, expr: &Expr) -> Result<(), Diagnostic> {
        let wanted = self.table.node(shape, expr.loc);
        self.unify(node, wanted, self.subject(expr))
    }

    /// Requires `expr`'s type to be a set, and gives the node of its elements.
    fn element_of(&mut self, node: Node, expr: &Expr) -> Result<Node, Diagnostic> {
        if let Shape::Set(element) = self.table.shape(node) {
            return Ok(element);
        }
        let element = self.table.fresh(expr.loc);
        self.require(node, Shape::Set(element), expr)?;
        Ok(element)
    }

    // ---------------------------------------------------------------------------------------
    // Expressions

    /// The type of `expr`, recorded for its id.
    fn expr(&mut self, expr: &Expr) -> Result<Node, Diagnostic> {
        let node = self.at(expr.loc, |this| this.expr_kind(expr))?;
        let id = expr.id.0;
        if id >= self.exprs.len() {
            self.exprs.resize(id + 1, None);
        }
        match self.exprs[id] {
            // The same node reached twice (a sub-tree shared by two copies): one type.
            Some(known) => self.unify(known, node, self.subject(expr))?,
            None => self.exprs[id] = Some(node),
        }
        Ok(node)
    }

    fn expr_kind(&mut self, expr: &Expr) -> Result<Node, Diagnostic> {
        let loc = expr.loc;
        match &*expr.kind {
            ExprKind::Lit(value) => self.value(value, loc),
            ExprKind::Var(id) | ExprKind::Primed(id) => match self.vars.get(id.0) {
                Some(node) => Ok(*node),
                None => Err(dangling(expr, "state variable")),
            },
            ExprKind::Const(id) => match self.consts.get(id.0) {
                Some(node) => {
                    self.mentioned.insert(id.0);
                    Ok(*node)
                }
                None => Err(dangling(expr, "constant")),
            },
            ExprKind::Bound(id) => Ok(self.bound(id.0, loc)),
            ExprKind::InfiniteSet(set) => {
                let element = match set {
                    InfiniteSet::Nat | InfiniteSet::Int => Shape::Int,
                    InfiniteSet::String => Shape::Str,
                };
                let element = self.table.node(element, loc);
                Ok(self.table.node(Shape::Set(element), loc))
            }
            ExprKind::Apply(op, args) => self.apply(*op, args, expr),
            ExprKind::If(cond, then, other) => {
                self.formula(cond)?;
                let then_node = self.expr(then)?;
                let other_node = self.expr(other)?;
                self.unify(
                    then_node,
                    other_node,
                    self.subject(other).or_else(|| self.subject(then)),
                )?;
                Ok(then_node)
            }
            ExprKind::Case(arms, other) => self.case(arms, other.as_ref(), loc),
            ExprKind::Quant(_, binders, body) => {
                for binder in binders {
                    self.binder(binder)?;
                }
                self.formula(body)?;
                Ok(self.table.node(Shape::Bool, loc))
            }
            ExprKind::Choose(binder, body) => {
                let element = self.binder(binder)?;
                self.formula(body)?;
                Ok(element)
            }
            ExprKind::SetEnum(items) => {
                let element = self.table.fresh(loc);
                for item in items {
                    let node = self.expr(item)?;
                    self.unify(element, node, self.subject(item))?;
                }
                Ok(self.table.node(Shape::Set(element), loc))
            }
            ExprKind::SetFilter(binder, predicate) => {
                self.binder(binder)?;
                self.formula(predicate)?;
                self.expr(&binder.set)
            }
            ExprKind::SetMap(body, binders) => {
                for binder in binders {
                    self.binder(binder)?;
                }
                let element = self.expr(body)?;
                Ok(self.table.node(Shape::Set(element), loc))
            }
            ExprKind::FnCons(binders, body) => {
                let mut arguments = Vec::new();
                for binder in binders {
                    arguments.push(self.binder(binder)?);
                }
                let domain = match arguments.as_slice() {
                    [single] => *single,
                    _ => self.table.node(Shape::Tuple(arguments), loc),
                };
                let range = self.expr(body)?;
                Ok(self.table.node(Shape::Fn(domain, range), loc))
            }
            ExprKind::FnSet(domain, range) => {
                let domain_node = self.expr(domain)?;
                let domain_element = self.element_of(domain_node, domain)?;
                let range_node = self.expr(range)?;
                let range_element = self.element_of(range_node, range)?;
                let function = self
                    .table
                    .node(Shape::Fn(domain_element, range_element), loc);
                Ok(self.table.node(Shape::Set(function), loc))
            }
            ExprKind::FnApp(f, arg) => {
                let f_node = self.expr(f)?;
                let arg_node = self.expr(arg)?;
                let result = self.table.fresh(loc);
                self.defer(Deferred::Apply {
                    f: f_node,
                    arg: arg_node,
                    index: literal(arg),
                    result,
                    loc,
                    subject: self.subject(f),
                })?;
                Ok(result)
            }
            ExprKind::Record(fields) => {
                let mut nodes = BTreeMap::new();
                for (name, value) in fields {
                    nodes.insert(name.clone(), self.expr(value)?);
                }
                Ok(self.record(nodes, loc))
            }
            ExprKind::RecordSet(fields) => {
                let mut nodes = BTreeMap::new();
                for (name, set) in fields {
                    let set_node = self.expr(set)?;
                    nodes.insert(name.clone(), self.element_of(set_node, set)?);
                }
                let record = self.record(nodes, loc);
                Ok(self.table.node(Shape::Set(record), loc))
            }
            ExprKind::Field(record, name) => {
                let record_node = self.expr(record)?;
                self.field(record_node, name, loc, self.subject(record))
            }
            ExprKind::Except(base, updates) => self.except(base, updates),
            ExprKind::Tuple(items) => {
                let nodes = items
                    .iter()
                    .map(|item| self.expr(item))
                    .collect::<Result<_, _>>()?;
                Ok(self.table.node(Shape::TupleOrSeq(nodes), loc))
            }
            ExprKind::Times(sets) => {
                let mut components = Vec::new();
                for set in sets {
                    let node = self.expr(set)?;
                    components.push(self.element_of(node, set)?);
                }
                let tuple = self.table.node(Shape::Tuple(components), loc);
                Ok(self.table.node(Shape::Set(tuple), loc))
            }
            ExprKind::Enabled(action) | ExprKind::Always(action) | ExprKind::Eventually(action) => {
                self.formula(action)?;
                Ok(self.table.node(Shape::Bool, loc))
            }
            ExprKind::LeadsTo(p, q) => {
                self.formula(p)?;
                self.formula(q)?;
                Ok(self.table.node(Shape::Bool, loc))
            }
            ExprKind::BoxAction(action, vars) | ExprKind::AngleAction(action, vars) => {
                self.formula(action)?;
                self.expr(vars)?;
                Ok(self.table.node(Shape::Bool, loc))
            }
            ExprKind::RecCall(id, args) => self.recursive_call(*id, args, expr),
            ExprKind::Fair(_, vars, action) => {
                self.expr(vars)?;
                self.formula(action)?;
                Ok(self.table.node(Shape::Bool, loc))
            }
        }
    }

    /// The node of bound variable `id` (made on first sight).
    fn bound(&mut self, id: usize, loc: Loc) -> Node {
        if id >= self.bounds.len() {
            self.bounds.resize(id + 1, None);
        }
        match self.bounds[id] {
            Some(node) => node,
            None => {
                let node = self.table.fresh(loc);
                self.bounds[id] = Some(node);
                node
            }
        }
    }

    /// `pattern \in set`: the pattern's variables range over the set's elements. Gives the
    /// node of those elements.
    fn binder(&mut self, binder: &Binder) -> Result<Node, Diagnostic> {
        let loc = binder.set.loc;
        self.at(loc, |this| this.bind_pattern(binder))
    }

    /// The body of `binder`, gathered at its set.
    fn bind_pattern(&mut self, binder: &Binder) -> Result<Node, Diagnostic> {
        let set_node = self.expr(&binder.set)?;
        let element = self.element_of(set_node, &binder.set)?;
        let loc = binder.set.loc;
        match &binder.pattern {
            Pattern::Var(id) => {
                let node = self.bound(id.0, loc);
                let name = self.spec.bound_names.get(id.0).cloned();
                self.unify(element, node, name)?;
            }
            Pattern::Tuple(ids) => {
                let nodes = ids.iter().map(|id| self.bound(id.0, loc)).collect();
                let pattern = self.table.node(Shape::TupleOrSeq(nodes), loc);
                self.unify(element, pattern, self.subject(&binder.set))?;
            }
        }
        Ok(element)
    }

    fn case(
        &mut self,
        arms: &[(Expr, Expr)],
        other: Option<&Expr>,
        loc: Loc,
    ) -> Result<Node, Diagnostic> {
        let result = self.table.fresh(loc);
        for (guard, value) in arms {
            self.formula(guard)?;
            let node = self.expr(value)?;
            self.unify(result, node, self.subject(value))?;
        }
        if let Some(other) = other {
            let node = self.expr(other)?;
            self.unify(result, node, self.subject(other))?;
        }
        Ok(result)
    }

    /// A record with exactly these fields, written at `loc`.
    fn record(&mut self, fields: BTreeMap<String, Node>, loc: Loc) -> Node {
        let variants = Some(Variants::exactly(fields.keys()));
        let node = self.table.node(Shape::Record { fields, variants }, loc);
        self.records.push((node, loc));
        node
    }

    /// `r.name`: `r` is a record, and some record that reaches it has that field (checked at
    /// the end, by `check_field_reads`).
    fn field(
        &mut self,
        record: Node,
        name: &str,
        loc: Loc,
        subject: Option<String>,
    ) -> Result<Node, Diagnostic> {
        let value = self.table.fresh(loc);
        let fields = BTreeMap::from([(name.to_string(), value)]);
        let read = Shape::Record {
            fields,
            variants: None,
        };
        let wanted = self.table.node(read, loc);
        self.unify(record, wanted, subject.clone())?;
        self.field_reads.push(FieldRead {
            record,
            field: name.to_string(),
            loc,
            subject,
        });
        Ok(value)
    }

    /// `[f EXCEPT ![a].b = v, …]` has the type of `f`; each path walks into it.
    fn except(
        &mut self,
        base: &Expr,
        updates: &[(Vec<PathStep>, Expr)],
    ) -> Result<Node, Diagnostic> {
        let base_node = self.expr(base)?;
        for (path, value) in updates {
            let mut current = base_node;
            for step in path {
                current = match step {
                    PathStep::Field(name) => {
                        self.field(current, name, value.loc, self.subject(base))?
                    }
                    PathStep::Index(index) => {
                        let arg = self.expr(index)?;
                        let result = self.table.fresh(index.loc);
                        self.defer(Deferred::Apply {
                            f: current,
                            arg,
                            index: literal(index),
                            result,
                            loc: index.loc,
                            subject: self.subject(base),
                        })?;
                        result
                    }
                };
            }
            let value_node = self.expr(value)?;
            self.unify(current, value_node, self.subject(value))?;
        }
        Ok(base_node)
    }

    // ---------------------------------------------------------------------------------------
    // Operators

    fn apply(&mut self, op: Op, args: &[Expr], expr: &Expr) -> Result<Node, Diagnostic> {
        let loc = expr.loc;
        let mut nodes = Vec::with_capacity(args.len());
        for arg in args {
            nodes.push(self.expr(arg)?);
        }
        let arity = match op {
            Op::Not | Op::Neg | Op::Powerset | Op::BigUnion | Op::Cardinality => 1,
            Op::IsFiniteSet | Op::Domain | Op::Len | Op::Head | Op::Tail | Op::SeqSet => 1,
            Op::SubSeq => 3,
            // `/\` and `\/` may be given any number of conjuncts.
            Op::And | Op::Or => args.len(),
            _ => 2,
        };
        if args.len() != arity {
            return Err(Diagnostic::new(
                Kind::Other,
                "E0399",
                format!(
                    "internal error: `{op:?}` applied to {} arguments",
                    args.len()
                ),
            )
            .at(loc.file, loc.span, "here"));
        }
        match op {
            Op::And | Op::Or | Op::Not | Op::Implies | Op::Equiv => {
                self.all(&nodes, args, Shape::Bool)?;
                Ok(self.table.node(Shape::Bool, loc))
            }
            Op::Eq | Op::Ne => {
                let name = self.subject(&args[0]).or_else(|| self.subject(&args[1]));
                self.unify(nodes[0], nodes[1], name)?;
                Ok(self.table.node(Shape::Bool, loc))
            }
            Op::Neg | Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Mod | Op::Pow => {
                self.all(&nodes, args, Shape::Int)?;
                Ok(self.table.node(Shape::Int, loc))
            }
            Op::Lt | Op::Le | Op::Gt | Op::Ge => {
                self.all(&nodes, args, Shape::Int)?;
                Ok(self.table.node(Shape::Bool, loc))
            }
            Op::Range => {
                self.all(&nodes, args, Shape::Int)?;
                let int = self.table.node(Shape::Int, loc);
                Ok(self.table.node(Shape::Set(int), loc))
            }
            Op::In | Op::NotIn => {
                let element = self.element_of(nodes[1], &args[1])?;
                self.unify(element, nodes[0], self.subject(&args[0]))?;
                Ok(self.table.node(Shape::Bool, loc))
            }
            Op::Union | Op::Intersect | Op::SetMinus => {
                self.element_of(nodes[0], &args[0])?;
                let name = self.subject(&args[1]).or_else(|| self.subject(&args[0]));
                self.unify(nodes[0], nodes[1], name)?;
                Ok(nodes[0])
            }
            Op::Subseteq => {
                self.element_of(nodes[0], &args[0])?;
                let name = self.subject(&args[0]).or_else(|| self.subject(&args[1]));
                self.unify(nodes[0], nodes[1], name)?;
                Ok(self.table.node(Shape::Bool, loc))
            }
            Op::Powerset => {
                self.element_of(nodes[0], &args[0])?;
                Ok(self.table.node(Shape::Set(nodes[0]), loc))
            }
            Op::BigUnion => {
                let inner = self.element_of(nodes[0], &args[0])?;
                self.element_of(inner, &args[0])?;
                Ok(inner)
            }
            Op::Cardinality => {
                self.element_of(nodes[0], &args[0])?;
                Ok(self.table.node(Shape::Int, loc))
            }
            Op::IsFiniteSet => {
                self.element_of(nodes[0], &args[0])?;
                Ok(self.table.node(Shape::Bool, loc))
            }
            Op::Domain => {
                let element = self.table.fresh(loc);
                let f = nodes[0];
                self.defer(Deferred::Domain {
                    f,
                    element,
                    loc,
                    subject: self.subject(&args[0]),
                })?;
                Ok(self.table.node(Shape::Set(element), loc))
            }
            Op::SingletonFn => Ok(self.table.node(Shape::Fn(nodes[0], nodes[1]), loc)),
            Op::FnMerge => {
                let name = self.subject(&args[1]).or_else(|| self.subject(&args[0]));
                self.unify(nodes[0], nodes[1], name)?;
                Ok(nodes[0])
            }
            Op::Len => {
                self.sequence_of(nodes[0], &args[0])?;
                Ok(self.table.node(Shape::Int, loc))
            }
            Op::Append => {
                let element = self.sequence_of(nodes[0], &args[0])?;
                self.unify(element, nodes[1], self.subject(&args[1]))?;
                Ok(nodes[0])
            }
            Op::Head => self.sequence_of(nodes[0], &args[0]),
            Op::Tail => {
                self.sequence_of(nodes[0], &args[0])?;
                Ok(nodes[0])
            }
            Op::Concat => {
                let result = self.table.fresh(loc);
                self.defer(Deferred::Concat {
                    a: nodes[0],
                    b: nodes[1],
                    result,
                    loc,
                })?;
                Ok(result)
            }
            Op::SubSeq => {
                self.sequence_of(nodes[0], &args[0])?;
                self.require(nodes[1], Shape::Int, &args[1])?;
                self.require(nodes[2], Shape::Int, &args[2])?;
                Ok(nodes[0])
            }
            Op::SeqSet => {
                let element = self.element_of(nodes[0], &args[0])?;
                let sequence = self.table.node(Shape::Seq(element), loc);
                Ok(self.table.node(Shape::Set(sequence), loc))
            }
        }
    }

    /// Requires every operand to have this (childless) shape.
    fn all(&mut self, nodes: &[Node], args: &[Expr], shape: Shape) -> Result<(), Diagnostic> {
        for (node, arg) in nodes.iter().zip(args) {
            self.require(*node, shape.clone(), arg)?;
        }
        Ok(())
    }

    /// Requires `node`, the type of `expr`, to be a sequence, and gives its element node.
    fn sequence_of(&mut self, node: Node, expr: &Expr) -> Result<Node, Diagnostic> {
        if let Shape::Seq(element) = self.table.shape(node) {
            return Ok(element);
        }
        let element = self.table.fresh(expr.loc);
        self.require(node, Shape::Seq(element), expr)?;
        Ok(element)
    }

    // ---------------------------------------------------------------------------------------
    // Literal values

    /// The type of a value written in the spec or given by the config, at `loc`.
    fn value(&mut self, value: &Value, loc: Loc) -> Result<Node, Diagnostic> {
        let shape = match value {
            Value::Bool(_) => Shape::Bool,
            Value::Int(_) => Shape::Int,
            Value::Str(_) => Shape::Str,
            Value::ModelValue(_) => Shape::ModelValue,
            Value::Set(items) => {
                let element = self.table.fresh(loc);
                for item in items {
                    let node = self.value(item, loc)?;
                    self.unify(element, node, None)?;
                }
                Shape::Set(element)
            }
            Value::Fn(map) => {
                if let Some(items) = value.as_sequence() {
                    let nodes = items
                        .into_iter()
                        .map(|item| self.value(item, loc))
                        .collect::<Result<_, _>>()?;
                    Shape::TupleOrSeq(nodes)
                } else if let Some(fields) = value.as_record() {
                    let mut nodes = BTreeMap::new();
                    for (name, item) in fields {
                        nodes.insert(name.to_string(), self.value(item, loc)?);
                    }
                    return Ok(self.record(nodes, loc));
                } else {
                    let (domain, range) = (self.table.fresh(loc), self.table.fresh(loc));
                    for (key, item) in map {
                        let key_node = self.value(key, loc)?;
                        self.unify(domain, key_node, None)?;
                        let item_node = self.value(item, loc)?;
                        self.unify(range, item_node, None)?;
                    }
                    Shape::Fn(domain, range)
                }
            }
        };
        Ok(self.table.node(shape, loc))
    }

    // ---------------------------------------------------------------------------------------
    // Deferred uses

    /// Decides `use_` now if the shape it depends on is known, else keeps it for later.
    fn defer(&mut self, use_: Deferred) -> Result<(), Diagnostic> {
        if !self.try_decide(&use_)? {
            self.deferred.push(use_);
        }
        Ok(())
    }

    /// Decides a deferred use if it can be; says whether it was.
    fn try_decide(&mut self, use_: &Deferred) -> Result<bool, Diagnostic> {
        self.at(use_.loc(), |this| this.decide(use_))
    }

    fn decide(&mut self, use_: &Deferred) -> Result<bool, Diagnostic> {
        match use_ {
            Deferred::Apply {
                f,
                arg,
                index,
                result,
                loc,
                subject,
            } => self.decide_apply(*f, *arg, index, *result, *loc, subject),
            Deferred::Domain {
                f,
                element,
                loc,
                subject,
            } => self.decide_domain(*f, *element, *loc, subject),
            Deferred::Concat { a, b, result, loc } => self.decide_concat(*a, *b, *result, *loc),
        }
    }

    fn decide_apply(
        &mut self,
        f: Node,
        arg: Node,
        index: &Literal,
        result: Node,
        loc: Loc,
        subject: &Option<String>,
    ) -> Result<bool, Diagnostic> {
        let name = subject.clone();
        match (self.table.shape(f), index) {
            (Shape::Unknown, _) => return Ok(false),
            (Shape::Fn(domain, range), _) => {
                self.unify(domain, arg, name.clone())?;
                self.unify(range, result, name)?;
            }
            (Shape::Seq(element), _) => {
                self.require_int(arg, loc)?;
                self.unify(element, result, name)?;
            }
            (Shape::Tuple(items) | Shape::TupleOrSeq(items), Literal::Int(k)) => {
                let component = usize::try_from(*k).ok().and_then(|k| k.checked_sub(1));
                let Some(item) = component.and_then(|i| items.get(i)) else {
                    let what = self.table.shape(f).describe();
                    return Err(Diagnostic::new(
                        Kind::Type,
                        "E0305",
                        format!("index {k} is out of range for {what}"),
                    )
                    .at(loc.file, loc.span, "index out of range"));
                };
                self.unify(*item, result, name)?;
            }
            // A tuple literal indexed by a computed number is a sequence.
            (Shape::TupleOrSeq(_), _) => {
                let sequence = self.table.node(Shape::Seq(result), loc);
                self.unify(f, sequence, name)?;
                self.require_int(arg, loc)?;
            }
            // A tuple of a Cartesian product indexed by a computed number: its components
            // must all have the type of the result.
            (Shape::Tuple(items), _) => {
                self.require_int(arg, loc)?;
                for item in items {
                    self.unify(item, result, name.clone())?;
                }
            }
            (Shape::Record { .. }, Literal::Str(field)) => {
                let value = self.field(f, field, loc, name)?;
                self.unify(value, result, None)?;
            }
            (other, _) => {
                let origin = self.table.origin(f);
                return Err(misuse(
                    &other,
                    origin,
                    "applied as a function",
                    loc,
                    subject,
                ));
            }
        }
        Ok(true)
    }

    /// Requires the index `arg` of a sequence or tuple, used at `loc`, to be an Int.
    fn require_int(&mut self, arg: Node, loc: Loc) -> Result<(), Diagnostic> {
        let int = self.table.node(Shape::Int, loc);
        self.unify(int, arg, None)
    }

    fn decide_domain(
        &mut self,
        f: Node,
        element: Node,
        loc: Loc,
        subject: &Option<String>,
    ) -> Result<bool, Diagnostic> {
        let domain = match self.table.shape(f) {
            Shape::Unknown => return Ok(false),
            Shape::Fn(domain, _) => domain,
            Shape::Seq(_) | Shape::Tuple(_) | Shape::TupleOrSeq(_) => {
                self.table.node(Shape::Int, loc)
            }
            Shape::Record { .. } => self.table.node(Shape::Str, loc),
            other => {
                return Err(misuse(
                    &other,
                    self.table.origin(f),
                    "used as a function by DOMAIN",
                    loc,
                    subject,
                ))
            }
        };
        self.unify(domain, element, subject.clone())?;
        Ok(true)
    }

    /// `a \o b`: two sequences, or two strings.
    fn decide_concat(
        &mut self,
        a: Node,
        b: Node,
        result: Node,
        loc: Loc,
    ) -> Result<bool, Diagnostic> {
        let (sa, sb) = (self.table.shape(a), self.table.shape(b));
        if sa == Shape::Unknown && sb == Shape::Unknown {
            return Ok(false);
        }
        if sa != Shape::Str && sb != Shape::Str {
            let element = self.table.fresh(loc);
            let sequence = self.table.node(Shape::Seq(element), loc);
            self.unify(a, sequence, None)?;
        }
        self.unify(a, b, None)?;
        self.unify(a, result, None)?;
        Ok(true)
    }

    /// Decides the deferred uses that can be, until no more can.
    fn decide_all(&mut self) -> Result<(), Diagnostic> {
        loop {
            let pending = std::mem::take(&mut self.deferred);
            let before = pending.len();
            for use_ in pending {
                if !self.try_decide(&use_)? {
                    self.deferred.push(use_);
                }
            }
            if self.deferred.len() == before {
                return Ok(());
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // The end of inference

    /// Settles what the constraints left open, then gives everything a ground type.
    ///
    /// The rules, in order:
    /// 1. A use still waiting on an unknown shape settles it: `f[a]` and `DOMAIN f` make `f` a
    ///    function, `a \o b` makes sequences.
    /// 2. A tuple literal that nothing used as a sequence is a tuple; the empty one, `<<>>`, is
    ///    a sequence. An open record (only known from `r.f` uses) has exactly the fields used.
    ///    Every field read must be of a field some record there has.
    /// 3. A symbolic constant that is a set of unknown elements is a set of model values.
    /// 4. Any other unknown type inside a set, sequence, function, tuple or record defaults to
    ///    `Int`: nothing in the spec depends on it (typically the elements of an always-empty
    ///    set). A constant nothing mentions is an `Int`, too.
    /// 5. Anything else still unknown is an error (E0302).
    pub(super) fn finish(mut self) -> Result<Types, Diagnostic> {
        self.decide_all()?;
        while let Some(use_) = self.deferred.pop() {
            self.at(use_.loc(), |this| this.settle(&use_))?;
            self.decide_all()?;
        }
        self.close_tuples_and_records();
        self.check_field_reads()?;
        self.default_symbolic_sets();
        self.default_parts_to_int();
        self.ground()
    }

    /// Rule 1: gives the unknown shape a deferred use is waiting on its default.
    fn settle(&mut self, use_: &Deferred) -> Result<(), Diagnostic> {
        match use_ {
            Deferred::Apply {
                f,
                arg,
                result,
                loc,
                subject,
                ..
            } => {
                if self.table.shape(*f) == Shape::Unknown {
                    let function = self.table.node(Shape::Fn(*arg, *result), *loc);
                    self.unify(*f, function, subject.clone())?;
                }
            }
            Deferred::Domain {
                f,
                element,
                loc,
                subject,
            } => {
                if self.table.shape(*f) == Shape::Unknown {
                    let range = self.table.fresh(*loc);
                    let function = self.table.node(Shape::Fn(*element, range), *loc);
                    self.unify(*f, function, subject.clone())?;
                }
            }
            Deferred::Concat { a, .. } => {
                let origin = self.table.origin(*a);
                let element = self.table.fresh(origin);
                let sequence = self.table.node(Shape::Seq(element), origin);
                self.unify(*a, sequence, None)?;
            }
        }
        self.try_decide(use_)?;
        Ok(())
    }

    /// Rule 2.
    fn close_tuples_and_records(&mut self) {
        for node in 0..self.table.len() {
            if self.table.find(node) != node {
                continue;
            }
            match self.table.shape(node) {
                Shape::TupleOrSeq(items) if items.is_empty() => {
                    let origin = self.table.origin(node);
                    let element = self.table.fresh(origin);
                    self.table.set_shape(node, Shape::Seq(element));
                }
                Shape::TupleOrSeq(items) => self.table.set_shape(node, Shape::Tuple(items)),
                Shape::Record {
                    fields,
                    variants: None,
                } => {
                    let variants = Some(Variants::exactly(fields.keys()));
                    self.table
                        .set_shape(node, Shape::Record { fields, variants });
                }
                _ => {}
            }
        }
    }

    /// Rule 2, for field reads: the first read of a field that no record reaching it has.
    fn check_field_reads(&mut self) -> Result<(), Diagnostic> {
        for read in std::mem::take(&mut self.field_reads) {
            let Shape::Record {
                variants: Some(variants),
                ..
            } = self.table.shape(read.record)
            else {
                continue;
            };
            if !variants.some.contains(&read.field) {
                let example = self.example_record(read.record);
                return Err(missing_field(&read, &variants, example));
            }
        }
        Ok(())
    }

    /// The place of the first record literal, record set or record value in `node`'s class
    /// (or where the class got its shape, if it has none).
    fn example_record(&mut self, node: Node) -> Loc {
        let root = self.table.find(node);
        for (record, loc) in self.records.clone() {
            if self.table.find(record) == root {
                return loc;
            }
        }
        self.table.origin(root)
    }

    /// Rule 3.
    fn default_symbolic_sets(&mut self) {
        for (i, constant) in self.spec.constants.iter().enumerate() {
            if constant.value.is_some() {
                continue;
            }
            if let Shape::Set(element) = self.table.shape(self.consts[i]) {
                if self.table.shape(element) == Shape::Unknown {
                    self.table.set_shape(element, Shape::ModelValue);
                }
            }
        }
    }

    /// Rule 4.
    fn default_parts_to_int(&mut self) {
        for node in 0..self.table.len() {
            if self.table.find(node) != node {
                continue;
            }
            for part in self.table.shape(node).children() {
                if self.table.shape(part) == Shape::Unknown {
                    self.table.set_shape(part, Shape::Int);
                }
            }
        }
        for (i, node) in self.consts.clone().into_iter().enumerate() {
            if !self.mentioned.contains(&i) && self.table.shape(node) == Shape::Unknown {
                self.table.set_shape(node, Shape::Int);
            }
        }
    }

    /// Rule 5: the ground type of everything.
    fn ground(mut self) -> Result<Types, Diagnostic> {
        let mut grounder = Grounder {
            memo: HashMap::new(),
            active: HashSet::new(),
            optional: Vec::new(),
            mixed: BTreeMap::new(),
        };
        let spec = self.spec;
        let mut vars = Vec::new();
        for (variable, node) in spec.vars.iter().zip(self.vars.clone()) {
            let what = format!("the state variable `{}`", variable.name);
            vars.push(grounder.ground(&mut self.table, node, &what, variable.loc)?);
        }
        let mut consts = Vec::new();
        for (constant, node) in spec.constants.iter().zip(self.consts.clone()) {
            let what = format!("the constant `{}`", constant.name);
            consts.push(grounder.ground(&mut self.table, node, &what, constant.loc)?);
        }
        let mut bounds = Vec::new();
        for (i, node) in self.bounds.clone().into_iter().enumerate() {
            bounds.push(match node {
                Some(node) => {
                    let name = spec.bound_names.get(i).map_or("?", String::as_str);
                    let what = format!("the bound variable `{name}`");
                    let loc = self.table.origin(node);
                    grounder.ground(&mut self.table, node, &what, loc)?
                }
                None => Type::Bool, // not in the spec: nothing reads it
            });
        }
        let mut exprs = Vec::new();
        for node in self.exprs.clone() {
            exprs.push(match node {
                Some(node) => {
                    let loc = self.table.origin(node);
                    grounder.ground(&mut self.table, node, "this expression", loc)?
                }
                None => Type::Bool, // built by sema but not part of the spec
            });
        }
        let optional_fields = self.optional_fields(grounder.optional);
        Ok(Types {
            vars,
            consts,
            bounds,
            exprs,
            optional_fields,
            with_model_values: grounder.mixed,
        })
    }

    /// The side table of optional fields, from the record classes that have them and their
    /// ground types.
    fn optional_fields(&mut self, classes: Vec<(Node, Type)>) -> BTreeMap<Type, OptionalFields> {
        let mut table: BTreeMap<Type, OptionalFields> = BTreeMap::new();
        for (root, ty) in classes {
            let Shape::Record {
                variants: Some(variants),
                ..
            } = self.table.shape(root)
            else {
                continue;
            };
            let example = self.example_record(root);
            let entry = table.entry(ty).or_insert(OptionalFields {
                fields: BTreeSet::new(),
                example,
            });
            entry.fields.extend(variants.optional());
        }
        table
    }
}

/// Turns classes into ground `Type`s, each class once.
struct Grounder {
    memo: HashMap<Node, Type>,
    /// Classes being grounded right now: meeting one again means an infinite type.
    active: HashSet<Node>,
    /// The record classes with optional fields, with their ground types.
    optional: Vec<(Node, Type)>,
    /// The ground types of the classes a model value met, each with one place it did.
    mixed: BTreeMap<Type, Loc>,
}

impl Grounder {
    /// The ground type of `node`, which is (part of) the type of `what`, found at `loc`.
    fn ground(
        &mut self,
        table: &mut Table,
        node: Node,
        what: &str,
        loc: Loc,
    ) -> Result<Type, Diagnostic> {
        let root = table.find(node);
        if let Some(known) = self.memo.get(&root) {
            return Ok(known.clone());
        }
        if !self.active.insert(root) {
            // `temp[p]` is a process or a set of them: the class holds model values and sets of
            // itself. Its values are sets of those model values, not an infinite type.
            if table.mixed(root).is_some() {
                return Ok(Type::ModelValue);
            }
            let origin = table.origin(root);
            return Err(Diagnostic::new(
                Kind::Type,
                "E0304",
                format!("{what} would have an infinite type"),
            )
            .at(origin.file, origin.span, "this value would contain itself"));
        }
        let shape = table.shape(root);
        let mut part = |node: Node| self.ground(table, node, what, loc).map(Box::new);
        let ground = match shape {
            Shape::Unknown => {
                return Err(Diagnostic::new(
                    Kind::Type,
                    "E0302",
                    format!("cannot infer the type of {what}"),
                )
                .at(loc.file, loc.span, "its type is not known")
                .note("nothing in the spec says what kind of value it is; Init or an invariant such as TypeOK can"))
            }
            Shape::Bool => Type::Bool,
            Shape::Int => Type::Int,
            Shape::Str => Type::Str,
            Shape::ModelValue => Type::ModelValue,
            Shape::Set(element) => Type::Set(part(element)?),
            Shape::Seq(element) => Type::Seq(part(element)?),
            Shape::Fn(domain, range) => Type::Fn(part(domain)?, part(range)?),
            Shape::Tuple(items) | Shape::TupleOrSeq(items) => {
                let items = items.into_iter().map(|item| part(item).map(|t| *t));
                Type::Tuple(items.collect::<Result<_, _>>()?)
            }
            Shape::Record { fields, variants } => {
                let fields = fields.into_iter().map(|(name, node)| Ok((name, *part(node)?)));
                let record = Type::Record(fields.collect::<Result<_, Diagnostic>>()?);
                if variants.is_some_and(|v| v.some != v.every) {
                    self.optional.push((root, record.clone()));
                }
                record
            }
        };
        self.active.remove(&root);
        if let Some(site) = table.mixed(root) {
            self.mixed.entry(ground.clone()).or_insert(site);
        }
        self.memo.insert(root, ground.clone());
        Ok(ground)
    }
}

// -------------------------------------------------------------------------------------------
// Messages

/// An index written as a literal number or string.
fn literal(expr: &Expr) -> Literal {
    match &*expr.kind {
        ExprKind::Lit(Value::Int(k)) => Literal::Int(*k),
        ExprKind::Lit(Value::Str(s)) => Literal::Str(s.clone()),
        _ => Literal::Computed,
    }
}

/// An id that does not name anything in the spec: a bug in whatever built the IR.
fn dangling(expr: &Expr, what: &str) -> Diagnostic {
    Diagnostic::new(
        Kind::Other,
        "E0399",
        format!("internal error: an unknown {what} in the IR"),
    )
    .at(expr.loc.file, expr.loc.span, "here")
}

/// A value of shape `shape` (given it at `origin`) used the wrong way (`how`) at `loc`.
fn misuse(shape: &Shape, origin: Loc, how: &str, loc: Loc, subject: &Option<String>) -> Diagnostic {
    let what = shape.describe();
    let message = match subject {
        Some(name) => format!("`{name}` is {what} here but {how} here"),
        None => format!("type mismatch: {what} here but {how} here"),
    };
    Diagnostic::new(Kind::Type, "E0300", message)
        .at(loc.file, loc.span, how.to_string())
        .also(origin.file, origin.span, format!("{what} here"))
}

/// The diagnostic for a failed unification about `subject`.
fn clash_diagnostic(clash: &Clash, subject: Option<String>) -> Diagnostic {
    let (left, right) = (&clash.left, &clash.right);
    let (was, is) = (left.shape.describe(), right.shape.describe());
    let named = |text: String| match &subject {
        Some(name) if clash.nested => format!("type mismatch in `{name}`: {text}"),
        Some(name) => format!("`{name}` is {text}"),
        None => format!("type mismatch: {text}"),
    };
    let text = format!("{was} here but {is} here");
    let (kind, code, note) = match &clash.kind {
        ClashKind::Mismatch => (Kind::Type, "E0300", None),
        ClashKind::FunctionAsSequence => (
            Kind::Type,
            "E0303",
            Some(
                "a sequence is a function whose domain is 1..n; this function's domain is not \
                 a set of integers"
                    .to_string(),
            ),
        ),
    };
    let message = named(text);
    let mut diagnostic = Diagnostic::new(kind, code, message)
        .at(right.origin.file, right.origin.span, format!("{is} here"))
        .also(left.origin.file, left.origin.span, format!("{was} here"));
    if let Some(note) = note {
        diagnostic = diagnostic.note(note);
    }
    diagnostic
}

/// A read of a field that no record reaching it has (`example` is one of those records).
fn missing_field(read: &FieldRead, variants: &Variants, example: Loc) -> Diagnostic {
    let record = format!("a record [{}]", variants.field_list());
    let used = format!("a record with field {}", read.field);
    let text = format!("{record} here but {used} here");
    let message = match &read.subject {
        Some(name) => format!("`{name}` is {text}"),
        None => format!("type mismatch: {text}"),
    };
    let note = if variants.some == variants.every {
        format!(
            "the record has the fields {}, not `{}`",
            variants.field_list(),
            read.field
        )
    } else {
        format!(
            "the records here have the fields {}, none has `{}`",
            variants.field_list(),
            read.field
        )
    };
    Diagnostic::new(Kind::Type, "E0300", message)
        .at(read.loc.file, read.loc.span, format!("{used} here"))
        .also(example.file, example.span, format!("{record} here"))
        .note(note)
}
