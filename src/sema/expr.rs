//! Lowering expressions: the AST of one expression, read in a module context and a local
//! scope, becomes an IR expression in which every user-defined operator is expanded, except a
//! recursive one, which becomes a call (`recursive.rs`).
//!
//! Operator arguments of arity 0 are lowered once, at the call, and copied into each use;
//! operator arguments (`F(Op(_))`, `LAMBDA`) are passed as `OpArg`s and expanded where applied.
//! A prime applies to everything under it: `Op(x)'` lowers `Op`'s body with state variables
//! primed, and a parameter lowered outside a prime is primed at its use inside one.

use super::builtins::{self, Builtin};
use super::recursive::Callee;
use super::scope::{CtxId, Global, Local, OpArg, Scope};
use super::Lowerer;
use crate::diag::{Diagnostic, FileId, Kind};
use crate::ir::{self, Binder, ExprKind, Op, PathStep, Pattern};
use crate::syntax::ast::{self, BoundVars, ExprKind as A, Span};
use crate::value::Value;

type Result<T> = std::result::Result<T, Diagnostic>;

/// Where an expression is read: its module context, its local names, and whether it is under
/// a prime.
#[derive(Clone)]
pub(crate) struct Env<'a> {
    pub ctx: CtxId,
    /// The file the expression's text is in.
    pub file: FileId,
    pub scope: Scope<'a>,
    pub primed: bool,
}

impl<'a> Env<'a> {
    pub fn new(ctx: CtxId, file: FileId) -> Env<'a> {
        Env {
            ctx,
            file,
            scope: Scope::empty(),
            primed: false,
        }
    }

    fn with(&self, name: &str, binding: Local<'a>) -> Env<'a> {
        Env {
            ctx: self.ctx,
            file: self.file,
            scope: self.scope.with(name, binding),
            primed: self.primed,
        }
    }

    fn primed(&self) -> Env<'a> {
        Env {
            primed: true,
            ..self.clone()
        }
    }
}

impl<'a> Lowerer<'a> {
    pub(crate) fn node(&mut self, kind: ExprKind, env: &Env<'a>, span: Span) -> ir::Expr {
        let loc = self.loc(env.file, span);
        self.builder.expr(kind, loc)
    }

    fn apply(&mut self, op: Op, args: Vec<ir::Expr>, env: &Env<'a>, span: Span) -> ir::Expr {
        self.node(ExprKind::Apply(op, args), env, span)
    }

    pub(crate) fn error(
        &self,
        kind: Kind,
        code: &'static str,
        message: String,
        env: &Env<'a>,
        span: Span,
        label: &str,
    ) -> Diagnostic {
        Diagnostic::new(kind, code, message).at(env.file, span, label)
    }

    fn unsupported(&self, what: &str, env: &Env<'a>, span: Span) -> Diagnostic {
        self.error(
            Kind::Unsupported,
            "E0400",
            format!("{what} is not supported"),
            env,
            span,
            "unsupported construct",
        )
    }

    /// Lowers `e` as read in `env`.
    pub(crate) fn lower(&mut self, e: &'a ast::Expr, env: &Env<'a>) -> Result<ir::Expr> {
        let span = e.span;
        let kind = match &*e.kind {
            A::Name(name) => return self.resolve(name, &[], env, span),
            A::Apply(name, args) => return self.resolve(name, &refs(args), env, span),
            A::InstanceRef { path, name, args } => {
                return self.instance_ref(path, name, &refs(args), env, span)
            }
            A::OpRef(op) => {
                return Err(self.error(
                    Kind::Type,
                    "E0313",
                    format!("the operator `{}` is used as a value", op.name),
                    env,
                    span,
                    "an operator, not a value",
                ))
            }
            A::Lambda(..) => {
                return Err(self.error(
                    Kind::Type,
                    "E0313",
                    "a LAMBDA is used as a value".into(),
                    env,
                    span,
                    "only allowed as an operator argument",
                ))
            }
            A::Number(n) => ExprKind::Lit(Value::Int(*n)),
            A::Decimal(_) => {
                return Err(self.unsupported("a decimal number (the Reals module)", env, span))
            }
            A::String(s) => ExprKind::Lit(Value::Str(s.clone())),
            A::Bool(b) => ExprKind::Lit(Value::Bool(*b)),
            A::At => match env.scope.lookup("@") {
                Some(_) => return self.resolve(&ast::Ident::new("@", span), &[], env, span),
                None => {
                    return Err(self.error(
                        Kind::Parse,
                        "E0314",
                        "`@` outside an EXCEPT value".into(),
                        env,
                        span,
                        "nothing to refer to",
                    ))
                }
            },
            A::Prefix(op, arg) => return self.prefix(op, arg, env, span),
            A::Infix(op, lhs, rhs) => return self.infix(op, lhs, rhs, env, span),
            A::Postfix(op, arg) => {
                if op.name != "'" {
                    return self.resolve(op, &[arg], env, span);
                }
                if env.primed {
                    return Err(self.error(
                        Kind::Type,
                        "E0315",
                        "a primed expression is primed again".into(),
                        env,
                        span,
                        "double prime",
                    ));
                }
                return self.lower(arg, &env.primed());
            }
            A::Junction(junction, items) => {
                let op = if *junction == ast::Junction::And {
                    Op::And
                } else {
                    Op::Or
                };
                let items = self.lower_all(items, env)?;
                ExprKind::Apply(op, items)
            }
            A::If(c, t, f) => ExprKind::If(
                self.lower(c, env)?,
                self.lower(t, env)?,
                self.lower(f, env)?,
            ),
            A::Case(arms, other) => {
                let mut lowered = Vec::with_capacity(arms.len());
                for (guard, value) in arms {
                    lowered.push((self.lower(guard, env)?, self.lower(value, env)?));
                }
                let other = match other {
                    Some(other) => Some(self.lower(other, env)?),
                    None => None,
                };
                ExprKind::Case(lowered, other)
            }
            A::Let(units, body) => {
                let env = self.let_definitions(units, env)?;
                return self.lower(body, &env);
            }
            A::Quant(q, bounds, body) => {
                if bounds.iter().any(|b| b.set.is_none()) {
                    return Err(self.unsupported(
                        "an unbounded quantifier (`\\A x : P` without `\\in S`)",
                        env,
                        span,
                    ));
                }
                let (binders, inner) = self.binders(bounds, env)?;
                let q = if *q == ast::Quantifier::Forall {
                    ir::Quantifier::Forall
                } else {
                    ir::Quantifier::Exists
                };
                ExprKind::Quant(q, binders, self.lower(body, &inner)?)
            }
            A::Choose(bound, body) => {
                if bound.set.is_none() {
                    return Err(self.unsupported("an unbounded CHOOSE", env, span));
                }
                let (mut binders, inner) = self.binders(std::slice::from_ref(bound), env)?;
                let binder = binders.remove(0);
                ExprKind::Choose(binder, self.lower(body, &inner)?)
            }
            A::TemporalQuant(..) => {
                return Err(self.unsupported("temporal quantification (`\\AA`, `\\EE`)", env, span))
            }
            A::SetEnum(items) => ExprKind::SetEnum(self.lower_all(items, env)?),
            A::SetFilter(bound, pred) => {
                let (mut binders, inner) = self.binders(std::slice::from_ref(bound), env)?;
                ExprKind::SetFilter(binders.remove(0), self.lower(pred, &inner)?)
            }
            A::SetMap(body, bounds) => {
                let (binders, inner) = self.binders(bounds, env)?;
                ExprKind::SetMap(self.lower(body, &inner)?, binders)
            }
            A::FnCons(bounds, body) => {
                let (binders, inner) = self.binders(bounds, env)?;
                ExprKind::FnCons(binders, self.lower(body, &inner)?)
            }
            A::FnSet(domain, range) => {
                ExprKind::FnSet(self.lower(domain, env)?, self.lower(range, env)?)
            }
            A::FnApp(f, args) => {
                if let Some((def, def_env, home)) = self.function_callee(f, env) {
                    return self.function_application(def, &def_env, &home, args, env, span);
                }
                let f = self.lower(f, env)?;
                let arg = self.argument_tuple(args, env, span)?;
                ExprKind::FnApp(f, arg)
            }
            A::Record(fields) => ExprKind::Record(self.fields(fields, env)?),
            A::RecordSet(fields) => ExprKind::RecordSet(self.fields(fields, env)?),
            A::Field(record, field) => {
                ExprKind::Field(self.lower(record, env)?, field.name.clone())
            }
            A::Except(base, updates) => return self.except(base, updates, env, span),
            A::Tuple(items) => ExprKind::Tuple(self.lower_all(items, env)?),
            A::Times(items) => ExprKind::Times(self.lower_all(items, env)?),
            A::BoxAction(action, vars) => {
                ExprKind::BoxAction(self.lower(action, env)?, self.subscript(vars, env)?)
            }
            A::AngleAction(action, vars) => {
                ExprKind::AngleAction(self.lower(action, env)?, self.subscript(vars, env)?)
            }
            A::Fair(kind, vars, action) => {
                let kind = if *kind == ast::Fairness::Weak {
                    ir::Fairness::Weak
                } else {
                    ir::Fairness::Strong
                };
                ExprKind::Fair(kind, self.subscript(vars, env)?, self.lower(action, env)?)
            }
            A::Label(_, body) => return self.lower(body, env),
        };
        Ok(self.node(kind, env, span))
    }

    fn lower_all(&mut self, items: &'a [ast::Expr], env: &Env<'a>) -> Result<Vec<ir::Expr>> {
        items.iter().map(|item| self.lower(item, env)).collect()
    }

    fn fields(
        &mut self,
        fields: &'a [(ast::Ident, ast::Expr)],
        env: &Env<'a>,
    ) -> Result<Vec<(String, ir::Expr)>> {
        fields
            .iter()
            .map(|(name, value)| Ok((name.name.clone(), self.lower(value, env)?)))
            .collect()
    }

    /// `f[a]` takes `a`; `f[a, b]` takes the tuple `<<a, b>>`.
    pub(crate) fn argument_tuple(
        &mut self,
        args: &'a [ast::Expr],
        env: &Env<'a>,
        span: Span,
    ) -> Result<ir::Expr> {
        let mut lowered = self.lower_all(args, env)?;
        if lowered.len() == 1 {
            Ok(lowered.remove(0))
        } else {
            Ok(self.node(ExprKind::Tuple(lowered), env, span))
        }
    }

    /// Lowers the bounds of a quantifier or builder, giving each bound name a fresh id, and
    /// returns the binders with the environment in which the body is read.
    pub(crate) fn binders(
        &mut self,
        bounds: &'a [ast::Bound],
        env: &Env<'a>,
    ) -> Result<(Vec<Binder>, Env<'a>)> {
        let mut inner = env.clone();
        let mut binders = Vec::new();
        for bound in bounds {
            let Some(set_ast) = &bound.set else {
                return Err(self.unsupported("an unbounded variable", env, bound.span));
            };
            let set = self.lower(set_ast, &inner)?;
            match &bound.vars {
                BoundVars::Names(names) => {
                    // `x, y \in S` is `x \in S, y \in S`: each name gets its own copy of S.
                    let mut sets: Vec<ir::Expr> =
                        (1..names.len()).map(|_| self.builder.copy(&set)).collect();
                    sets.push(set);
                    for (name, set) in names.iter().zip(sets) {
                        let id = self.builder.bound(&name.name);
                        binders.push(Binder {
                            pattern: Pattern::Var(id),
                            set,
                        });
                        inner = inner.with(&name.name, Local::Bound(id));
                    }
                }
                BoundVars::Tuple(names) => {
                    let ids: Vec<_> = names.iter().map(|n| self.builder.bound(&n.name)).collect();
                    for (name, id) in names.iter().zip(&ids) {
                        inner = inner.with(&name.name, Local::Bound(*id));
                    }
                    binders.push(Binder {
                        pattern: Pattern::Tuple(ids),
                        set,
                    });
                }
            }
        }
        Ok((binders, inner))
    }

    /// `LET` definitions extend the scope; each is read where it is defined.
    fn let_definitions(&mut self, units: &'a [ast::Unit], env: &Env<'a>) -> Result<Env<'a>> {
        let mut env = env.clone();
        for unit in units {
            match unit {
                ast::Unit::OpDef(def) => {
                    let arg = OpArg::Local {
                        def,
                        ctx: env.ctx,
                        file: env.file,
                        scope: env.scope.clone(),
                    };
                    env = env.with(&def.name.name, Local::Op(arg));
                }
                ast::Unit::FunDef(def) => {
                    let local = Local::LetFun {
                        def,
                        ctx: env.ctx,
                        file: env.file,
                        scope: env.scope.clone(),
                    };
                    env = env.with(&def.name.name, local);
                }
                ast::Unit::ModuleDef(def) => {
                    let local = Local::LetInstance {
                        def,
                        ctx: env.ctx,
                        file: env.file,
                        scope: env.scope.clone(),
                    };
                    env = env.with(&def.name.name, local);
                }
                ast::Unit::Recursive(_) => {}
                _ => {
                    return Err(self.unsupported(
                        "this kind of LET definition",
                        &env,
                        env_span(unit),
                    ))
                }
            }
        }
        Ok(env)
    }

    /// Resolves `name(args)`: local names first, then the module context, then builtins.
    fn resolve(
        &mut self,
        name: &ast::Ident,
        args: &[&'a ast::Expr],
        env: &Env<'a>,
        span: Span,
    ) -> Result<ir::Expr> {
        if let Some(local) = env.scope.lookup(&name.name).cloned() {
            return match local {
                Local::Bound(id) => {
                    self.no_arguments(name, args, env, span)?;
                    Ok(self.node(ExprKind::Bound(id), env, span))
                }
                Local::LetInstance { .. } => Err(self.not_a_value_instance(name, env, span)),
                Local::Expr { expr, primed } => {
                    self.no_arguments(name, args, env, span)?;
                    let copy = self.builder.copy(&expr);
                    if env.primed && !primed {
                        self.prime(copy, env, span)
                    } else {
                        Ok(copy)
                    }
                }
                Local::Op(arg) => self.apply_op_arg(&arg, name, args, env, span),
                Local::LetFun {
                    def,
                    ctx,
                    file,
                    scope,
                } => {
                    self.no_arguments(name, args, env, span)?;
                    let def_env = let_function_env(def, ctx, file, &scope, env.primed);
                    self.function_value(def, &def_env, &scope, env, span)
                }
            };
        }
        if let Some(global) = self.context(env.ctx).names.get(&name.name).cloned() {
            return self.apply_global(&global, name, args, env, span);
        }
        if let Some(global) = self.overrides.get(&name.name).cloned() {
            return self.apply_global(&global, name, args, env, span);
        }
        if let Some(builtin) = builtins::lookup(&name.name, args.len()) {
            return self.apply_builtin(builtin, name, args, env, span);
        }
        if builtins::is_builtin_name(&name.name) {
            return Err(self.error(
                Kind::Parse,
                "E0312",
                format!("`{}` does not take {} arguments", name.name, args.len()),
                env,
                name.span,
                "wrong number of arguments",
            ));
        }
        Err(self.error(
            Kind::Parse,
            "E0310",
            format!("unknown name `{}`", name.name),
            env,
            name.span,
            "not defined or declared",
        ))
    }

    fn no_arguments(
        &self,
        name: &ast::Ident,
        args: &[&ast::Expr],
        env: &Env<'a>,
        span: Span,
    ) -> Result<()> {
        if args.is_empty() {
            Ok(())
        } else {
            Err(self.error(
                Kind::Parse,
                "E0312",
                format!("`{}` takes no arguments", name.name),
                env,
                span,
                "applied to arguments",
            ))
        }
    }

    fn apply_global(
        &mut self,
        global: &Global<'a>,
        name: &ast::Ident,
        args: &[&'a ast::Expr],
        env: &Env<'a>,
        span: Span,
    ) -> Result<ir::Expr> {
        match global {
            Global::Var(id) => {
                self.no_arguments(name, args, env, span)?;
                let kind = if env.primed {
                    ExprKind::Primed(*id)
                } else {
                    ExprKind::Var(*id)
                };
                Ok(self.node(kind, env, span))
            }
            Global::Const(id) => {
                self.no_arguments(name, args, env, span)?;
                Ok(self.node(ExprKind::Const(*id), env, span))
            }
            Global::Value(value) => {
                self.no_arguments(name, args, env, span)?;
                Ok(self.node(ExprKind::Lit(value.clone()), env, span))
            }
            Global::Def { def, ctx, file } => {
                let def_env = Env {
                    ctx: *ctx,
                    file: *file,
                    scope: Scope::empty(),
                    primed: env.primed,
                };
                self.expand(def, &def_env, &Scope::empty(), args, env, span)
            }
            Global::FunDef { def, ctx, file } => {
                self.no_arguments(name, args, env, span)?;
                let def_env = Env {
                    ctx: *ctx,
                    file: *file,
                    scope: Scope::empty(),
                    primed: env.primed,
                };
                self.function_value(def, &def_env, &Scope::empty(), env, span)
            }
            Global::Alias { ctx } => match self.context(*ctx).names.get(&name.name).cloned() {
                Some(global) => self.apply_global(&global, name, args, env, span),
                None => Err(self.error(
                    Kind::Parse,
                    "E0310",
                    format!("unknown name `{}`", name.name),
                    env,
                    name.span,
                    "not defined or declared",
                )),
            },
            Global::Theorem { body, ctx, file } => {
                self.no_arguments(name, args, env, span)?;
                let theorem_env = Env {
                    ctx: *ctx,
                    file: *file,
                    scope: Scope::empty(),
                    primed: env.primed,
                };
                self.lower_named_part(body, &theorem_env, name, env, span)
            }
            Global::Instance { .. } => Err(self.not_a_value_instance(name, env, span)),
            Global::Subst {
                expr,
                ctx,
                file,
                scope,
            } => {
                let subst_env = Env {
                    ctx: *ctx,
                    file: *file,
                    scope: scope.clone(),
                    primed: env.primed,
                };
                if args.is_empty() {
                    self.lower(expr, &subst_env)
                } else {
                    let arg = self.op_arg(expr, &subst_env)?;
                    self.apply_op_arg(&arg, name, args, env, span)
                }
            }
        }
    }

    /// The error for a module instance `N` used where a value is expected.
    fn not_a_value_instance(&self, name: &ast::Ident, env: &Env<'a>, span: Span) -> Diagnostic {
        self.error(
            Kind::Type,
            "E0316",
            format!(
                "`{}` is a module instance; use `{}!Op` to refer to its definitions",
                name.name, name.name
            ),
            env,
            span,
            "not a value",
        )
    }

    /// Expands a definition `def` (read in `def_env`, whose local scope without `def` itself
    /// is `home`) applied to `args` (read in `env`). A recursive one becomes a call.
    fn expand(
        &mut self,
        def: &'a ast::OpDef,
        def_env: &Env<'a>,
        home: &Scope<'a>,
        args: &[&'a ast::Expr],
        env: &Env<'a>,
        span: Span,
    ) -> Result<ir::Expr> {
        if def.params.len() != args.len() {
            return Err(self
                .error(
                    Kind::Parse,
                    "E0312",
                    format!(
                        "`{}` takes {} arguments but is given {}",
                        def.name.name,
                        def.params.len(),
                        args.len()
                    ),
                    env,
                    span,
                    "wrong number of arguments",
                )
                .also(def_env.file, def.name.span, "defined here"));
        }
        let callee = Callee::Op(def);
        if self.recursion.is_recursive(callee) {
            return self.recursive_operator_call(def, def_env, home, args, env, span);
        }
        let key = def as *const ast::OpDef;
        if self.expanding.contains(&key) {
            return Err(self.recursion_found(callee, def_env, env, span));
        }
        let body_env = self.bind_parameters(def, def_env, args, env)?;
        self.expanding.push(key);
        let result = self.lower(&def.body, &body_env);
        self.expanding.pop();
        if result.is_err() && self.recursion.is_recursive(callee) {
            // The expansion reached `def` again: this outermost use becomes a call.
            return self.recursive_operator_call(def, def_env, home, args, env, span);
        }
        result
    }

    /// The environment of `def`'s body with its parameters bound to `args` (read in `env`).
    pub(crate) fn bind_parameters(
        &mut self,
        def: &'a ast::OpDef,
        def_env: &Env<'a>,
        args: &[&'a ast::Expr],
        env: &Env<'a>,
    ) -> Result<Env<'a>> {
        let mut body_env = def_env.clone();
        for (param, arg) in def.params.iter().zip(args) {
            let binding = if param.arity == 0 {
                Local::Expr {
                    expr: self.lower(arg, env)?,
                    primed: env.primed,
                }
            } else {
                Local::Op(self.op_arg(arg, env)?)
            };
            body_env = body_env.with(&param.name.name, binding);
        }
        Ok(body_env)
    }

    /// An operator passed as an argument: a name, an operator symbol, or a LAMBDA.
    pub(crate) fn op_arg(&mut self, arg: &'a ast::Expr, env: &Env<'a>) -> Result<OpArg<'a>> {
        match &*arg.kind {
            A::Name(name) | A::OpRef(name) => {
                if let Some(Local::Op(op)) = env.scope.lookup(&name.name) {
                    return Ok(op.clone());
                }
                if let Some(global) = self
                    .context(env.ctx)
                    .names
                    .get(&name.name)
                    .or(self.overrides.get(&name.name))
                {
                    return Ok(OpArg::Global(global.clone()));
                }
                if builtins::is_builtin_name(&name.name) {
                    return Ok(OpArg::Builtin(name.name.clone()));
                }
                Err(self.error(
                    Kind::Parse,
                    "E0310",
                    format!("unknown operator `{}`", name.name),
                    env,
                    name.span,
                    "not defined",
                ))
            }
            A::Lambda(params, body) => Ok(OpArg::Lambda {
                params,
                body,
                ctx: env.ctx,
                file: env.file,
                scope: env.scope.clone(),
            }),
            _ => Err(self.error(
                Kind::Type,
                "E0317",
                "expected an operator argument".into(),
                env,
                arg.span,
                "not an operator",
            )),
        }
    }

    fn apply_op_arg(
        &mut self,
        arg: &OpArg<'a>,
        name: &ast::Ident,
        args: &[&'a ast::Expr],
        env: &Env<'a>,
        span: Span,
    ) -> Result<ir::Expr> {
        match arg {
            OpArg::Global(global) => self.apply_global(global, name, args, env, span),
            OpArg::Builtin(builtin_name) => match builtins::lookup(builtin_name, args.len()) {
                Some(builtin) => self.apply_builtin(builtin, name, args, env, span),
                None => Err(self.error(
                    Kind::Parse,
                    "E0312",
                    format!("`{builtin_name}` does not take {} arguments", args.len()),
                    env,
                    span,
                    "wrong number of arguments",
                )),
            },
            OpArg::Local {
                def,
                ctx,
                file,
                scope,
            } => {
                // A LET operator is in scope in its own body, so recursion is caught there.
                let def_env = Env {
                    ctx: *ctx,
                    file: *file,
                    scope: scope.clone(),
                    primed: env.primed,
                }
                .with(&def.name.name, Local::Op(arg.clone()));
                self.expand(def, &def_env, scope, args, env, span)
            }
            OpArg::Lambda {
                params,
                body,
                ctx,
                file,
                scope,
            } => {
                if params.len() != args.len() {
                    return Err(self.error(
                        Kind::Parse,
                        "E0312",
                        format!(
                            "this LAMBDA takes {} arguments but is given {}",
                            params.len(),
                            args.len()
                        ),
                        env,
                        span,
                        "wrong number of arguments",
                    ));
                }
                let mut body_env = Env {
                    ctx: *ctx,
                    file: *file,
                    scope: scope.clone(),
                    primed: env.primed,
                };
                for (param, arg) in params.iter().zip(args) {
                    let expr = self.lower(arg, env)?;
                    body_env = body_env.with(
                        &param.name,
                        Local::Expr {
                            expr,
                            primed: env.primed,
                        },
                    );
                }
                self.lower(body, &body_env)
            }
        }
    }

    fn apply_builtin(
        &mut self,
        builtin: Builtin,
        name: &ast::Ident,
        args: &[&'a ast::Expr],
        env: &Env<'a>,
        span: Span,
    ) -> Result<ir::Expr> {
        match builtin {
            Builtin::Op(op, _) => {
                let args = args
                    .iter()
                    .map(|arg| self.lower(arg, env))
                    .collect::<Result<Vec<_>>>()?;
                Ok(self.apply(op, args, env, span))
            }
            Builtin::Infinite(set) => Ok(self.node(ExprKind::InfiniteSet(set), env, span)),
            Builtin::Boolean => Ok(self.node(
                ExprKind::Lit(Value::set([Value::Bool(false), Value::Bool(true)])),
                env,
                span,
            )),
            Builtin::Print => self.lower(args[1], env),
            Builtin::PrintT => Ok(self.node(ExprKind::Lit(Value::Bool(true)), env, span)),
            Builtin::Unsupported(what) => {
                Err(self.unsupported(&format!("the standard operator `{what}`"), env, name.span))
            }
        }
    }

    fn prefix(
        &mut self,
        op: &ast::Ident,
        arg: &'a ast::Expr,
        env: &Env<'a>,
        span: Span,
    ) -> Result<ir::Expr> {
        let kind = match op.name.as_str() {
            "[]" => ExprKind::Always(self.lower(arg, env)?),
            "<>" => ExprKind::Eventually(self.lower(arg, env)?),
            "ENABLED" => ExprKind::Enabled(self.lower(arg, env)?),
            "UNCHANGED" => return self.unchanged(arg, env, span),
            _ => return self.resolve(op, &[arg], env, span),
        };
        Ok(self.node(kind, env, span))
    }

    fn infix(
        &mut self,
        op: &ast::Ident,
        lhs: &'a ast::Expr,
        rhs: &'a ast::Expr,
        env: &Env<'a>,
        span: Span,
    ) -> Result<ir::Expr> {
        let user_defined = env.scope.lookup(&op.name).is_some()
            || self.context(env.ctx).names.contains_key(&op.name)
            || self.overrides.contains_key(&op.name);
        if user_defined {
            return self.resolve(op, &[lhs, rhs], env, span);
        }
        match op.name.as_str() {
            "~>" => {
                let kind = ExprKind::LeadsTo(self.lower(lhs, env)?, self.lower(rhs, env)?);
                Ok(self.node(kind, env, span))
            }
            "\\supseteq" => {
                let (a, b) = (self.lower(rhs, env)?, self.lower(lhs, env)?);
                Ok(self.apply(Op::Subseteq, vec![a, b], env, span))
            }
            "\\subset" | "\\supset" => {
                let (small, large) = if op.name == "\\subset" {
                    (lhs, rhs)
                } else {
                    (rhs, lhs)
                };
                let (a, b) = (self.lower(small, env)?, self.lower(large, env)?);
                let (a2, b2) = (self.builder.copy(&a), self.builder.copy(&b));
                let subset = self.apply(Op::Subseteq, vec![a, b], env, span);
                let different = self.apply(Op::Ne, vec![a2, b2], env, span);
                Ok(self.apply(Op::And, vec![subset, different], env, span))
            }
            "\\cdot" => Err(self.unsupported("action composition `\\cdot`", env, op.span)),
            "-+->" => Err(self.unsupported("the `-+->` operator", env, op.span)),
            _ => match builtins::lookup(&op.name, 2) {
                Some(Builtin::Op(ir_op, _)) => {
                    let (a, b) = (self.lower(lhs, env)?, self.lower(rhs, env)?);
                    Ok(self.apply(ir_op, vec![a, b], env, span))
                }
                _ => Err(self.error(
                    Kind::Parse,
                    "E0310",
                    format!("unknown operator `{}`", op.name),
                    env,
                    op.span,
                    "not defined",
                )),
            },
        }
    }

    /// `UNCHANGED e` is `e' = e`, split into one equality per component of a tuple.
    fn unchanged(&mut self, arg: &'a ast::Expr, env: &Env<'a>, span: Span) -> Result<ir::Expr> {
        if env.primed {
            return Err(self.error(
                Kind::Type,
                "E0315",
                "UNCHANGED inside a prime".into(),
                env,
                span,
                "double prime",
            ));
        }
        let now = self.lower(arg, env)?;
        let next = self.lower(arg, &env.primed())?;
        let equalities = match (*now.kind, *next.kind) {
            (ExprKind::Tuple(now_items), ExprKind::Tuple(next_items)) => now_items
                .into_iter()
                .zip(next_items)
                .map(|(a, b)| self.apply(Op::Eq, vec![b, a], env, span))
                .collect(),
            (now_kind, next_kind) => {
                let now = ir::Expr {
                    id: now.id,
                    loc: now.loc,
                    kind: Box::new(now_kind),
                };
                let next = ir::Expr {
                    id: next.id,
                    loc: next.loc,
                    kind: Box::new(next_kind),
                };
                vec![self.apply(Op::Eq, vec![next, now], env, span)]
            }
        };
        Ok(self.apply(Op::And, equalities, env, span))
    }

    /// The `v` of `[A]_v`, `<<A>>_v` or `WF_v(A)`, which every stage primes (`v' = v`) after
    /// lowering, by priming the variables it mentions: like `prime`, it cannot prime the body
    /// of a recursive definition that reads state itself, which would be read in the wrong
    /// state.
    fn subscript(&mut self, vars: &'a ast::Expr, env: &Env<'a>) -> Result<ir::Expr> {
        let lowered = self.lower(vars, env)?;
        self.refuse_priming_state_reading_calls(&lowered, env, vars.span)?;
        Ok(lowered)
    }

    fn refuse_priming_state_reading_calls(
        &self,
        expr: &ir::Expr,
        env: &Env<'a>,
        span: Span,
    ) -> Result<()> {
        match self.call_reading_state(expr) {
            Some(def) => Err(self.unsupported(
                &format!(
                    "priming a call of the recursive definition `{}`, which reads state \
                     variables itself,",
                    def.name
                ),
                env,
                span,
            )),
            None => Ok(()),
        }
    }

    /// The same expression with every state variable primed.
    fn prime(&mut self, mut expr: ir::Expr, env: &Env<'a>, span: Span) -> Result<ir::Expr> {
        self.refuse_priming_state_reading_calls(&expr, env, span)?;
        let mut double = false;
        prime_in_place(&mut expr, &mut double);
        if double {
            return Err(self.error(
                Kind::Type,
                "E0315",
                "a primed expression is primed again".into(),
                env,
                span,
                "double prime",
            ));
        }
        Ok(expr)
    }

    fn except(
        &mut self,
        base: &'a ast::Expr,
        updates: &'a [ast::ExceptUpdate],
        env: &Env<'a>,
        span: Span,
    ) -> Result<ir::Expr> {
        let base_ir = self.lower(base, env)?;
        let mut lowered = Vec::with_capacity(updates.len());
        for update in updates {
            let mut path = Vec::with_capacity(update.path.len());
            // `@` is the old value at the path: the base read along the same steps.
            let mut old = self.builder.copy(&base_ir);
            for step in &update.path {
                match step {
                    ast::ExceptKey::Index(indices) => {
                        let index = self.argument_tuple(indices, env, update.span)?;
                        let index_copy = self.builder.copy(&index);
                        old = self.node(ExprKind::FnApp(old, index_copy), env, update.span);
                        path.push(PathStep::Index(index));
                    }
                    ast::ExceptKey::Field(field) => {
                        old = self.node(ExprKind::Field(old, field.name.clone()), env, update.span);
                        path.push(PathStep::Field(field.name.clone()));
                    }
                }
            }
            let value_env = env.with(
                "@",
                Local::Expr {
                    expr: old,
                    primed: env.primed,
                },
            );
            lowered.push((path, self.lower(&update.value, &value_env)?));
        }
        Ok(self.node(ExprKind::Except(base_ir, lowered), env, span))
    }

    /// The function definition `f` names, when `f` is a name, with the environment its body is
    /// read in and its local scope (without `f` itself).
    fn function_callee(
        &self,
        f: &'a ast::Expr,
        env: &Env<'a>,
    ) -> Option<(&'a ast::FunDef, Env<'a>, Scope<'a>)> {
        let A::Name(name) = &*f.kind else {
            return None;
        };
        match env.scope.lookup(&name.name) {
            Some(Local::LetFun {
                def,
                ctx,
                file,
                scope,
            }) => {
                let def_env = let_function_env(def, *ctx, *file, scope, env.primed);
                return Some((def, def_env, scope.clone()));
            }
            Some(_) => return None,
            None => {}
        }
        match self.context(env.ctx).names.get(&name.name) {
            Some(Global::FunDef { def, ctx, file }) => {
                let def_env = Env {
                    ctx: *ctx,
                    file: *file,
                    scope: Scope::empty(),
                    primed: env.primed,
                };
                Some((def, def_env, Scope::empty()))
            }
            _ => None,
        }
    }

    /// `f[args]` for a function definition `f`: a call when `f` is recursive.
    fn function_application(
        &mut self,
        def: &'a ast::FunDef,
        def_env: &Env<'a>,
        home: &Scope<'a>,
        args: &'a [ast::Expr],
        env: &Env<'a>,
        span: Span,
    ) -> Result<ir::Expr> {
        let callee = Callee::Fun(def);
        if !self.recursion.is_recursive(callee) {
            let f = self.function_value(def, def_env, home, env, span)?;
            // Lowering the value may have found `f` recursive: then call it instead.
            if !self.recursion.is_recursive(callee) {
                let arg = self.argument_tuple(args, env, span)?;
                return Ok(self.node(ExprKind::FnApp(f, arg), env, span));
            }
        }
        self.recursive_function_call(def, def_env, home, args, env, span)
    }

    /// `f[x \in S] == e` as the function value `[x \in S |-> e]`; a recursive one as
    /// `[x \in S |-> f[x]]` with `f[x]` a call.
    fn function_value(
        &mut self,
        def: &'a ast::FunDef,
        def_env: &Env<'a>,
        home: &Scope<'a>,
        env: &Env<'a>,
        span: Span,
    ) -> Result<ir::Expr> {
        let callee = Callee::Fun(def);
        if self.recursion.is_recursive(callee) {
            return self.recursive_function_value(def, def_env, home, env, span);
        }
        let key = def as *const ast::FunDef as *const ast::OpDef;
        if self.expanding.contains(&key) {
            return Err(self.recursion_found(callee, def_env, env, span));
        }
        self.expanding.push(key);
        let result = self
            .binders(&def.bounds, def_env)
            .and_then(|(binders, inner)| {
                let body = self.lower(&def.body, &inner)?;
                Ok(self.node(ExprKind::FnCons(binders, body), def_env, def.span))
            });
        self.expanding.pop();
        if result.is_err() && self.recursion.is_recursive(callee) {
            return self.recursive_function_value(def, def_env, home, env, span);
        }
        result
    }

    /// `N!Op(args)`, `N(p)!M!Op`: each prefix names an instance in the previous context.
    fn instance_ref(
        &mut self,
        path: &'a [ast::InstancePrefix],
        name: &ast::Ident,
        args: &[&'a ast::Expr],
        env: &Env<'a>,
        span: Span,
    ) -> Result<ir::Expr> {
        if let Some(selected) = self.subexpression(path, name, env, span) {
            return selected;
        }
        let mut ctx = env.ctx;
        for (position, prefix) in path.iter().enumerate() {
            // Only the first prefix can name a LET-defined instance.
            let local = match env.scope.lookup(&prefix.name.name) {
                Some(Local::LetInstance {
                    def,
                    ctx,
                    file,
                    scope,
                }) if position == 0 => Some((*def, *ctx, *file, scope.clone())),
                _ => None,
            };
            let global = || match self.context(ctx).names.get(&prefix.name.name) {
                Some(Global::Instance { def, ctx, file }) => {
                    Some((*def, *ctx, *file, Scope::empty()))
                }
                _ => None,
            };
            let is_local = local.is_some();
            let Some((def, def_ctx, def_file, def_scope)) = local.or_else(global) else {
                return Err(self.error(
                    Kind::Parse,
                    "E0318",
                    format!("`{}` is not a module instance", prefix.name.name),
                    env,
                    prefix.name.span,
                    "expected `N` from `N == INSTANCE M`",
                ));
            };
            if def.params.len() != prefix.args.len() {
                return Err(self.error(
                    Kind::Parse,
                    "E0312",
                    format!(
                        "`{}` takes {} arguments",
                        prefix.name.name,
                        def.params.len()
                    ),
                    env,
                    prefix.name.span,
                    "wrong number of arguments",
                ));
            }
            ctx = if def.params.is_empty() && !is_local {
                self.shared_instance(def, def_ctx, def_file)?
            } else {
                let mut scope = def_scope;
                for (param, arg) in def.params.iter().zip(&prefix.args) {
                    let expr = self.lower(arg, env)?;
                    scope = scope.with(
                        &param.name.name,
                        Local::Expr {
                            expr,
                            primed: env.primed,
                        },
                    );
                }
                self.instantiate(&def.instance, def_ctx, def_file, scope)?
            };
        }
        match self.context(ctx).names.get(&name.name).cloned() {
            Some(global) => self.apply_global(&global, name, args, env, span),
            None => match builtins::lookup(&name.name, args.len()) {
                Some(builtin) => self.apply_builtin(builtin, name, args, env, span),
                None => Err(self.error(
                    Kind::Parse,
                    "E0310",
                    format!("the instance has no definition `{}`", name.name),
                    env,
                    name.span,
                    "not defined there",
                )),
            },
        }
    }

    /// A positional name of part of a definition, as TLA+ 2 gives them: `T!:` of a theorem
    /// or assumption `T == F` is `F` (MCVoting: `ASSUME QuorumNonEmpty!:`), and `D!i` of a
    /// definition `D == /\ A1 /\ ... /\ Ak` (or a `\/` list) is `Ai` (MCPaxos: `Inv!1`).
    /// Other selections are unsupported; `None` when `path` names no such definition.
    fn subexpression(
        &mut self,
        path: &[ast::InstancePrefix],
        name: &ast::Ident,
        env: &Env<'a>,
        span: Span,
    ) -> Option<Result<ir::Expr>> {
        let [prefix] = path else { return None };
        let position = name.name.parse::<usize>().ok();
        if !prefix.args.is_empty() || (name.name != ":" && position.is_none()) {
            return None;
        }
        let (body, ctx, file, is_theorem) =
            match self.context(env.ctx).names.get(&prefix.name.name)? {
                Global::Theorem { body, ctx, file } => (*body, *ctx, *file, true),
                Global::Def { def, ctx, file } if def.params.is_empty() => {
                    (&def.body, *ctx, *file, false)
                }
                _ => return None,
            };
        let selected = match (position, &*body.kind) {
            (None, _) if is_theorem => Some(body),
            (Some(i), A::Junction(_, items)) => i.checked_sub(1).and_then(|i| items.get(i)),
            _ => None,
        };
        let def_env = Env {
            ctx,
            file,
            scope: Scope::empty(),
            primed: env.primed,
        };
        Some(match selected {
            Some(part) => self.lower_named_part(part, &def_env, &prefix.name, env, span),
            None => {
                let what = format!("the subexpression `{}!{}`", prefix.name.name, name.name);
                Err(self.unsupported(&what, env, span))
            }
        })
    }

    /// Lowers `part`, a theorem's statement or a part of a definition that `name` names, as
    /// read in `def_env`; a part that names itself (`THEOREM T == T`) is an error where a
    /// definition expanded forever would overflow the stack.
    fn lower_named_part(
        &mut self,
        part: &'a ast::Expr,
        def_env: &Env<'a>,
        name: &ast::Ident,
        env: &Env<'a>,
        span: Span,
    ) -> Result<ir::Expr> {
        let key = part as *const ast::Expr as *const ast::OpDef;
        if self.expanding.contains(&key) {
            return Err(self.error(
                Kind::Parse,
                "E0319",
                format!("`{}` is defined in terms of itself", name.name),
                env,
                span,
                "used inside its own definition",
            ));
        }
        self.expanding.push(key);
        let lowered = self.lower(part, def_env);
        self.expanding.pop();
        lowered
    }
}

/// The environment a `LET` function definition's body is read in: its own scope, in which the
/// function names itself.
fn let_function_env<'a>(
    def: &'a ast::FunDef,
    ctx: CtxId,
    file: FileId,
    scope: &Scope<'a>,
    primed: bool,
) -> Env<'a> {
    let itself = Local::LetFun {
        def,
        ctx,
        file,
        scope: scope.clone(),
    };
    Env {
        ctx,
        file,
        scope: scope.clone(),
        primed,
    }
    .with(&def.name.name, itself)
}

fn env_span(unit: &ast::Unit) -> Span {
    match unit {
        ast::Unit::OpDef(d) => d.span,
        ast::Unit::FunDef(d) => d.span,
        ast::Unit::Instance(i) => i.span,
        ast::Unit::ModuleDef(d) => d.span,
        ast::Unit::Assume(a) => a.span,
        ast::Unit::Theorem(t) => t.span,
        ast::Unit::Module(m) => m.span,
        ast::Unit::Constants(d) | ast::Unit::Recursive(d) => {
            d.first().map(|d| d.name.span).unwrap_or_default()
        }
        ast::Unit::Variables(v) => v.first().map(|v| v.span).unwrap_or_default(),
    }
}

fn prime_in_place(expr: &mut ir::Expr, double: &mut bool) {
    match &mut *expr.kind {
        ExprKind::Var(id) => *expr.kind = ExprKind::Primed(*id),
        ExprKind::Primed(_) => *double = true,
        kind => kind.for_each_child_mut(&mut |child| prime_in_place(child, double)),
    }
}

fn refs(items: &[ast::Expr]) -> Vec<&ast::Expr> {
    items.iter().collect()
}
