//! Recursive operators and recursive functions.
//!
//! Every other user definition is expanded at its use; a recursive one cannot be, so it
//! becomes an `ir::RecursiveDef` and its uses become `ExprKind::RecCall`s. A definition is
//! found to be recursive the first time its expansion reaches itself: that expansion is
//! abandoned (`expr.rs` retries the outer use as a call), and the definition is marked so that
//! later uses go straight to a call.
//!
//! A definition is lowered once per *instance*: per module context and local scope it is read
//! in, per prime, and per the operator arguments it is given — those are expanded into the body
//! (higher-order parameters have no IR form), so `Fold(op(_,_), S)` used with two different
//! `op`s gives two definitions.

use super::expr::Env;
use super::scope::{Global, Local, OpArg, Scope};
use super::Lowerer;
use crate::diag::{Diagnostic, Kind};
use crate::ir::{self, Binder, ExprKind, Pattern, RecId, RecursiveDef};
use crate::syntax::ast::{self, Span};
use crate::value::Value;
use std::collections::{HashMap, HashSet};

type Result<T> = std::result::Result<T, Diagnostic>;

/// More instances of one definition than this means its operator arguments change at every
/// call (a LAMBDA wrapping the previous one, say), which no finite expansion can follow.
const MAX_INSTANCES: usize = 64;

/// The recursive definitions of a lowering run.
#[derive(Default)]
pub(crate) struct Recursion<'a> {
    /// Definitions (operators and functions, by address) whose expansion reached themselves.
    found: HashSet<usize>,
    instances: HashMap<InstanceKey, RecId>,
    /// How many instances each definition has.
    counts: HashMap<usize, usize>,
    /// The scopes that instance keys name by address, kept alive so that no scope built later
    /// can reuse an address and be taken for one of them.
    pinned: Vec<Scope<'a>>,
    /// Unique numbers for operator arguments that have no identity of their own.
    next_unique: usize,
    pub(crate) defs: Vec<RecursiveDef>,
}

/// What makes two uses of a definition the same instance.
#[derive(Clone, PartialEq, Eq, Hash)]
struct InstanceKey {
    def: usize,
    ctx: usize,
    /// The local scope the definition is read in (a `LET`'s), by address; 0 when empty.
    home: usize,
    primed: bool,
    op_args: Vec<OpArgKey>,
}

/// The identity of an operator argument: its definition's text, and where that is read.
#[derive(Clone, PartialEq, Eq, Hash)]
enum OpArgKey {
    Text {
        text: usize,
        ctx: usize,
        home: usize,
    },
    Builtin(String),
    Unique(usize),
}

/// A definition as it is called: an operator with its parameters, or a function with its
/// bounds.
#[derive(Clone, Copy)]
pub(crate) enum Callee<'a> {
    Op(&'a ast::OpDef),
    Fun(&'a ast::FunDef),
}

impl<'a> Callee<'a> {
    pub(crate) fn address(self) -> usize {
        match self {
            Callee::Op(def) => def as *const ast::OpDef as usize,
            Callee::Fun(def) => def as *const ast::FunDef as usize,
        }
    }

    fn name(self) -> &'a ast::Ident {
        match self {
            Callee::Op(def) => &def.name,
            Callee::Fun(def) => &def.name,
        }
    }

    fn span(self) -> Span {
        match self {
            Callee::Op(def) => def.span,
            Callee::Fun(def) => def.span,
        }
    }
}

/// How many arguments `f[x, y \in S, z \in T]` takes (here 3).
fn function_arity(def: &ast::FunDef) -> usize {
    def.bounds
        .iter()
        .map(|bound| match &bound.vars {
            ast::BoundVars::Names(names) => names.len(),
            ast::BoundVars::Tuple(_) => 1,
        })
        .sum()
}

impl<'a> Recursion<'a> {
    pub(crate) fn is_recursive(&self, callee: Callee<'a>) -> bool {
        self.found.contains(&callee.address())
    }

    pub(crate) fn mark(&mut self, callee: Callee<'a>) {
        self.found.insert(callee.address());
    }

    fn op_arg_key(&mut self, arg: &OpArg<'a>) -> OpArgKey {
        match arg {
            OpArg::Global(Global::Def { def, ctx, .. }) => OpArgKey::Text {
                text: *def as *const ast::OpDef as usize,
                ctx: ctx.0,
                home: 0,
            },
            OpArg::Global(Global::Subst {
                expr, ctx, scope, ..
            }) => self.pinned_key(*expr as *const ast::Expr as usize, ctx.0, scope),
            OpArg::Local {
                def, ctx, scope, ..
            } => self.pinned_key(*def as *const ast::OpDef as usize, ctx.0, scope),
            OpArg::Lambda {
                body, ctx, scope, ..
            } => self.pinned_key(*body as *const ast::Expr as usize, ctx.0, scope),
            OpArg::Builtin(name) => OpArgKey::Builtin(name.clone()),
            OpArg::Global(_) => {
                self.next_unique += 1;
                OpArgKey::Unique(self.next_unique)
            }
        }
    }

    fn pinned_key(&mut self, text: usize, ctx: usize, scope: &Scope<'a>) -> OpArgKey {
        self.pinned.push(scope.clone());
        OpArgKey::Text {
            text,
            ctx,
            home: scope.address(),
        }
    }
}

impl<'a> Lowerer<'a> {
    /// The first recursive definition called in `expr` whose body reads a state variable
    /// itself (not through its parameters), directly or through the definitions it calls.
    /// Priming `expr` cannot prime such a body, which is lowered once for the unprimed state.
    pub(crate) fn call_reading_state(&self, expr: &ir::Expr) -> Option<&RecursiveDef> {
        let mut visited = HashSet::new();
        let mut calls = Vec::new();
        collect_calls(expr, &mut calls);
        calls.into_iter().find_map(|id| {
            let reads = self.reads_state(id, &mut visited);
            reads.then(|| &self.recursion.defs[id.0])
        })
    }

    fn reads_state(&self, id: RecId, visited: &mut HashSet<RecId>) -> bool {
        if !visited.insert(id) {
            return false;
        }
        let Some(def) = self.recursion.defs.get(id.0) else {
            return false;
        };
        if mentions_variable(&def.body) {
            return true;
        }
        let mut calls = Vec::new();
        collect_calls(&def.body, &mut calls);
        calls
            .into_iter()
            .any(|callee| self.reads_state(callee, visited))
    }

    /// The error that abandons an expansion which reached its own definition. The use that
    /// started the expansion catches it and becomes a call; it reaches the user only if that
    /// retry fails for a reason of its own.
    pub(crate) fn recursion_found(
        &mut self,
        callee: Callee<'a>,
        def_env: &Env<'a>,
        env: &Env<'a>,
        span: Span,
    ) -> Diagnostic {
        self.recursion.mark(callee);
        self.error(
            Kind::Unsupported,
            "E0401",
            format!(
                "the recursive definition `{}` cannot be used here",
                callee.name().name
            ),
            env,
            span,
            "recursion reached here",
        )
        .also(def_env.file, callee.name().span, "defined here")
    }

    /// `def(args)`, for a recursive operator `def` read in `def_env`, whose own local scope
    /// (before any binding of `def` itself) is `home`.
    pub(crate) fn recursive_operator_call(
        &mut self,
        def: &'a ast::OpDef,
        def_env: &Env<'a>,
        home: &Scope<'a>,
        args: &[&'a ast::Expr],
        env: &Env<'a>,
        span: Span,
    ) -> Result<ir::Expr> {
        let mut op_args = Vec::new();
        let mut values = Vec::new();
        for (param, arg) in def.params.iter().zip(args) {
            if param.arity == 0 {
                values.push(self.lower(arg, env)?);
            } else {
                op_args.push(self.op_arg(arg, env)?);
            }
        }
        let key = self.instance_key(Callee::Op(def), def_env, home, env.primed, &op_args);
        let id = match self.recursion.instances.get(&key) {
            Some(id) => *id,
            None => {
                let id = self.new_instance(key.clone(), Callee::Op(def), def_env, env, span)?;
                let body = self.operator_body(id, def, def_env, op_args, env.primed);
                self.abandon_on_error(&key, body)?;
                id
            }
        };
        Ok(self.node(ExprKind::RecCall(id, values), env, span))
    }

    /// Lowers the body of operator instance `id`: value parameters become bound variables,
    /// operator parameters are bound to `op_args`, in order.
    fn operator_body(
        &mut self,
        id: RecId,
        def: &'a ast::OpDef,
        def_env: &Env<'a>,
        op_args: Vec<OpArg<'a>>,
        primed: bool,
    ) -> Result<()> {
        let mut body_env = Env {
            primed,
            ..def_env.clone()
        };
        let mut params = Vec::new();
        let mut op_args = op_args.into_iter();
        for param in &def.params {
            let binding = if param.arity == 0 {
                let bound = self.builder.bound(&param.name.name);
                params.push(bound);
                Local::Bound(bound)
            } else {
                match op_args.next() {
                    Some(arg) => Local::Op(arg),
                    None => break,
                }
            };
            body_env.scope = body_env.scope.with(&param.name.name, binding);
        }
        let body = self.lower(&def.body, &body_env)?;
        let instance = &mut self.recursion.defs[id.0];
        instance.params = params;
        instance.body = body;
        Ok(())
    }

    /// `f[args]` for a recursive function `def`, read in `def_env` (whose scope is `home`).
    pub(crate) fn recursive_function_call(
        &mut self,
        def: &'a ast::FunDef,
        def_env: &Env<'a>,
        home: &Scope<'a>,
        args: &'a [ast::Expr],
        env: &Env<'a>,
        span: Span,
    ) -> Result<ir::Expr> {
        let id = self.function_instance(def, def_env, home, env, span)?;
        // From the text: while the body is lowered, the instance has no parameters yet.
        let arity = function_arity(def);
        let values = if arity == args.len() {
            args.iter()
                .map(|arg| self.lower(arg, env))
                .collect::<Result<Vec<_>>>()?
        } else if arity == 1 {
            vec![self.argument_tuple(args, env, span)?]
        } else if let [tuple] = args {
            // `f[t]` for `f[x, y \in S]` is `f[t[1], t[2]]`.
            let tuple = self.lower(tuple, env)?;
            self.components(&tuple, arity, env, span)
        } else {
            return Err(self.error(
                Kind::Parse,
                "E0312",
                format!(
                    "the recursive function `{}` takes {arity} arguments but is given {}",
                    def.name.name,
                    args.len()
                ),
                env,
                span,
                "wrong number of arguments",
            ));
        };
        Ok(self.node(ExprKind::RecCall(id, values), env, span))
    }

    /// `t[1]`, …, `t[arity]`, each with its own copy of `t`.
    fn components(
        &mut self,
        tuple: &ir::Expr,
        arity: usize,
        env: &Env<'a>,
        span: Span,
    ) -> Vec<ir::Expr> {
        (1..=arity)
            .map(|index| {
                let tuple = self.builder.copy(tuple);
                let index = self.node(ExprKind::Lit(Value::Int(index as i64)), env, span);
                self.node(ExprKind::FnApp(tuple, index), env, span)
            })
            .collect()
    }

    /// A recursive function `def` as a value: `[x \in S |-> f[x]]`, each application a call.
    pub(crate) fn recursive_function_value(
        &mut self,
        def: &'a ast::FunDef,
        def_env: &Env<'a>,
        home: &Scope<'a>,
        env: &Env<'a>,
        span: Span,
    ) -> Result<ir::Expr> {
        let id = self.function_instance(def, def_env, home, env, span)?;
        let instance = self.recursion.defs[id.0].clone();
        let mut binders = Vec::new();
        let mut args = Vec::new();
        for (param, set) in instance.params.iter().zip(instance.domain.iter().flatten()) {
            let name = self.builder.bound_names()[param.0].clone();
            let bound = self.builder.bound(&name);
            binders.push(Binder {
                pattern: Pattern::Var(bound),
                set: self.builder.copy(set),
            });
            args.push(self.node(ExprKind::Bound(bound), env, span));
        }
        let call = self.node(ExprKind::RecCall(id, args), env, span);
        Ok(self.node(ExprKind::FnCons(binders, call), env, span))
    }

    /// The instance of recursive function `def` for `def_env`, lowered on first use.
    fn function_instance(
        &mut self,
        def: &'a ast::FunDef,
        def_env: &Env<'a>,
        home: &Scope<'a>,
        env: &Env<'a>,
        span: Span,
    ) -> Result<RecId> {
        let key = self.instance_key(Callee::Fun(def), def_env, home, env.primed, &[]);
        if let Some(id) = self.recursion.instances.get(&key) {
            return Ok(*id);
        }
        let id = self.new_instance(key.clone(), Callee::Fun(def), def_env, env, span)?;
        let body = self.function_body(id, def, def_env, env.primed);
        self.abandon_on_error(&key, body)?;
        Ok(id)
    }

    /// Forgets an instance whose body failed to lower, so that a retry lowers it again.
    fn abandon_on_error(&mut self, key: &InstanceKey, result: Result<()>) -> Result<()> {
        if result.is_err() {
            self.recursion.instances.remove(key);
        }
        result
    }

    /// Lowers the bounds and body of function instance `id`.
    fn function_body(
        &mut self,
        id: RecId,
        def: &'a ast::FunDef,
        def_env: &Env<'a>,
        primed: bool,
    ) -> Result<()> {
        let body_env = Env {
            primed,
            ..def_env.clone()
        };
        let (binders, inner) = self.binders(&def.bounds, &body_env)?;
        let mut params = Vec::new();
        let mut domain = Vec::new();
        for binder in binders {
            let Pattern::Var(bound) = binder.pattern else {
                return Err(self.error(
                    Kind::Unsupported,
                    "E0404",
                    format!(
                        "the recursive function `{}` binds a tuple `<<…>> \\in S`",
                        def.name.name
                    ),
                    def_env,
                    def.span,
                    "bind each argument by name",
                ));
            };
            params.push(bound);
            domain.push(binder.set);
        }
        let body = self.lower(&def.body, &inner)?;
        let instance = &mut self.recursion.defs[id.0];
        instance.params = params;
        instance.domain = Some(domain);
        instance.body = body;
        Ok(())
    }

    fn instance_key(
        &mut self,
        callee: Callee<'a>,
        def_env: &Env<'a>,
        home: &Scope<'a>,
        primed: bool,
        op_args: &[OpArg<'a>],
    ) -> InstanceKey {
        self.recursion.pinned.push(home.clone());
        let op_args = op_args
            .iter()
            .map(|arg| self.recursion.op_arg_key(arg))
            .collect();
        InstanceKey {
            def: callee.address(),
            ctx: def_env.ctx.0,
            home: home.address(),
            primed,
            op_args,
        }
    }

    /// Registers a new instance, whose parameters and body are filled in once lowered (its
    /// body may call it, so it needs its id first).
    fn new_instance(
        &mut self,
        key: InstanceKey,
        callee: Callee<'a>,
        def_env: &Env<'a>,
        env: &Env<'a>,
        span: Span,
    ) -> Result<RecId> {
        let count = self.recursion.counts.entry(callee.address()).or_insert(0);
        *count += 1;
        if *count > MAX_INSTANCES {
            return Err(self
                .error(
                    Kind::Unsupported,
                    "E0402",
                    format!(
                        "the recursive definition `{}` is given different operator arguments \
                         at every call",
                        callee.name().name
                    ),
                    env,
                    span,
                    "called here",
                )
                .also(def_env.file, callee.name().span, "defined here"));
        }
        let id = RecId(self.recursion.defs.len());
        let loc = self.loc(def_env.file, callee.span());
        let placeholder = self.builder.expr(ExprKind::Tuple(Vec::new()), loc);
        self.recursion.defs.push(RecursiveDef {
            name: callee.name().name.clone(),
            params: Vec::new(),
            domain: None,
            body: placeholder,
            loc,
        });
        self.recursion.instances.insert(key, id);
        Ok(id)
    }
}

fn collect_calls(expr: &ir::Expr, calls: &mut Vec<RecId>) {
    if let ExprKind::RecCall(id, _) = &*expr.kind {
        calls.push(*id);
    }
    for child in expr.kind.children() {
        collect_calls(child, calls);
    }
}

fn mentions_variable(expr: &ir::Expr) -> bool {
    matches!(&*expr.kind, ExprKind::Var(_) | ExprKind::Primed(_))
        || expr.kind.children().into_iter().any(mentions_variable)
}
