//! Taking the behaviour apart: Init, the named actions of Next, fairness, and the formulas the
//! config asks to check.
//!
//! The behaviour comes from `--init`/`--next`, else the config's `INIT`/`NEXT`, else its
//! `SPECIFICATION` formula of the usual shape `Init /\ [][Next]_v /\ WF_v(A) /\ …`; without a
//! config, from a definition `Spec` if the module has one, else from `Init` and `Next`.
//! A model with none of these has no behaviour: only its assumptions are checked.

use super::expr::Env;
use super::recursive::Callee;
use super::scope::{CtxId, Global, Local, OpArg};
use super::{Lowered, Lowerer, Options};
use crate::config::ModelConfig;
use crate::diag::{Diagnostic, FileId, Kind};
use crate::ir::{self, Action, ExprKind, FairnessCondition, Named, Param, Pattern, Spec};
use crate::syntax::ast::{self, ExprKind as A, Span};
use crate::value::Value;

type Result<T> = std::result::Result<T, Diagnostic>;

/// A formula as written, with where to read it.
struct Formula<'a> {
    expr: &'a ast::Expr,
    env: Env<'a>,
}

/// The parts of a behaviour before lowering.
#[derive(Default)]
struct Behaviour<'a> {
    init: Vec<Formula<'a>>,
    next: Option<Formula<'a>>,
    fairness: Vec<FairnessCondition>,
}

pub(super) fn build<'a>(
    mut lowerer: Lowerer<'a>,
    root: CtxId,
    config: Option<&'a ModelConfig>,
    cfg_file: FileId,
    options: &Options,
) -> Result<Lowered> {
    let mut warnings = std::mem::take(&mut lowerer.warnings);
    let behaviour = lowerer.behaviour(root, config, cfg_file, options)?;
    let mut init_parts = Vec::new();
    for formula in &behaviour.init {
        init_parts.push(lowerer.lower(formula.expr, &formula.env)?);
    }
    let root_file = lowerer.modules.root().file;
    let init = lowerer.conjunction(init_parts, root_file);
    let mut actions = Vec::new();
    if let Some(next) = &behaviour.next {
        lowerer.split_actions(next.expr, &next.env, None, &[], &mut actions)?;
    }

    let names = |pick: fn(&ModelConfig) -> &Vec<ast::Ident>| -> Vec<(String, Option<Span>)> {
        config.map_or(Vec::new(), |c| {
            pick(c)
                .iter()
                .map(|i| (i.name.clone(), Some(i.span)))
                .collect()
        })
    };
    let invariant_names = if options.invariants.is_empty() {
        names(|c| &c.invariants)
    } else {
        options
            .invariants
            .iter()
            .map(|n| (n.clone(), None))
            .collect()
    };
    let invariants = lowerer.named_formulas(root, &invariant_names, cfg_file, "invariant")?;
    let property_names = if options.temporal.is_empty() {
        names(|c| &c.properties)
    } else {
        options.temporal.iter().map(|n| (n.clone(), None)).collect()
    };
    let properties = lowerer.named_formulas(root, &property_names, cfg_file, "property")?;
    let constraints =
        lowerer.named_formulas(root, &names(|c| &c.constraints), cfg_file, "constraint")?;
    let action_constraints = lowerer.named_formulas(
        root,
        &names(|c| &c.action_constraints),
        cfg_file,
        "action constraint",
    )?;

    let mut assumptions = Vec::new();
    for (assume, ctx, file) in lowerer.assumptions.clone() {
        let expr = lowerer.lower(&assume.body, &Env::new(ctx, file))?;
        let loc = lowerer.loc(file, assume.span);
        let name = assume
            .name
            .as_ref()
            .map_or_else(|| "ASSUME".to_string(), |n| n.name.clone());
        assumptions.push(Named { name, expr, loc });
    }

    if let Some(config) = config {
        for (keyword, used) in [
            ("SYMMETRY", config.symmetry.is_some()),
            ("VIEW", config.view.is_some()),
            ("ALIAS", config.alias.is_some()),
            ("POSTCONDITION", config.postcondition.is_some()),
        ] {
            if used {
                warnings.push(format!(
                    "the config's {keyword} is ignored: smtcheck does not act on it"
                ));
            }
        }
    }
    let has_behaviour = behaviour.next.is_some();
    let check_deadlock = has_behaviour
        && !options.no_deadlock
        && config
            .and_then(|c| c.check_deadlock)
            .is_none_or(|(check, _)| check);

    let module = lowerer.modules.root.clone();
    let spec = Spec {
        module,
        constants: lowerer.constants,
        vars: lowerer.variables,
        init,
        actions,
        invariants,
        properties,
        fairness: behaviour.fairness,
        constraints,
        action_constraints,
        assumptions,
        check_deadlock,
        recursive: lowerer.recursion.defs,
        expr_count: lowerer.builder.expr_count(),
        bound_names: lowerer.builder.into_bound_names(),
    };
    Ok(Lowered { spec, warnings })
}

impl<'a> Lowerer<'a> {
    /// Finds Init, Next and fairness, as the command line, the config or the module names them.
    fn behaviour(
        &mut self,
        root: CtxId,
        config: Option<&'a ModelConfig>,
        cfg_file: FileId,
        options: &Options,
    ) -> Result<Behaviour<'a>> {
        let from_config = |pick: fn(&ModelConfig) -> &Option<ast::Ident>| {
            config
                .and_then(|c| pick(c).as_ref())
                .map(|i| (i.name.clone(), Some(i.span)))
        };
        let init = options
            .init
            .clone()
            .map(|n| (n, None))
            .or_else(|| from_config(|c| &c.init));
        let next = options
            .next
            .clone()
            .map(|n| (n, None))
            .or_else(|| from_config(|c| &c.next));
        let specification = from_config(|c| &c.specification);
        let defined = |this: &Self, name: &str| this.context(root).names.contains_key(name);

        let mut behaviour = Behaviour::default();
        match (init, next, specification) {
            (Some(init), Some(next), _) => {
                behaviour
                    .init
                    .push(self.definition_formula(root, &init, cfg_file, "INIT")?);
                behaviour.next = Some(self.definition_formula(root, &next, cfg_file, "NEXT")?);
            }
            (None, None, Some(spec)) => {
                let formula = self.definition_formula(root, &spec, cfg_file, "SPECIFICATION")?;
                self.decompose(formula, &mut behaviour)?;
            }
            (None, None, None) if config.is_none() && defined(self, "Spec") => {
                let formula = self.definition_formula(
                    root,
                    &("Spec".to_string(), None),
                    cfg_file,
                    "SPECIFICATION",
                )?;
                self.decompose(formula, &mut behaviour)?;
            }
            (None, None, None)
                if config.is_none() && defined(self, "Init") && defined(self, "Next") =>
            {
                behaviour.init.push(self.definition_formula(
                    root,
                    &("Init".into(), None),
                    cfg_file,
                    "INIT",
                )?);
                behaviour.next = Some(self.definition_formula(
                    root,
                    &("Next".into(), None),
                    cfg_file,
                    "NEXT",
                )?);
            }
            (None, None, None) => {}
            (init, _, _) => {
                let (missing, present) = if init.is_some() {
                    ("NEXT", "INIT")
                } else {
                    ("INIT", "NEXT")
                };
                return Err(Diagnostic::new(
                    Kind::Config,
                    "E0212",
                    format!("{present} is given but {missing} is not"),
                ));
            }
        }
        Ok(behaviour)
    }

    /// The body of a definition of arity 0 named in the config or on the command line: `Op`,
    /// or `N!Op` (`N!M!Op`) for one the spec reaches through `N == INSTANCE M`, as a proof
    /// module reaches the property of the spec it implements (TwoPhase's `TC!TCConsistent`).
    fn definition_formula(
        &mut self,
        root: CtxId,
        (name, span): &(String, Option<Span>),
        cfg_file: FileId,
        role: &str,
    ) -> Result<Formula<'a>> {
        let mut segments = name.split('!');
        let operator = segments.next_back().unwrap_or_default();
        let mut ctx = root;
        for instance in segments {
            match self.context(ctx).names.get(instance).cloned() {
                Some(Global::Instance { def, ctx: parent, file }) if def.params.is_empty() => {
                    ctx = self.shared_instance(def, parent, file)?;
                }
                Some(Global::Instance { .. }) => {
                    return Err(undefined(
                        format!("{role} `{name}`: the instance `{instance}` takes arguments, which a name cannot give"),
                        cfg_file,
                        *span,
                    ))
                }
                _ => {
                    return Err(undefined(
                        format!("{role} `{name}` is not defined in the spec: `{instance}` is not a module instance"),
                        cfg_file,
                        *span,
                    ))
                }
            }
        }
        match self.context(ctx).names.get(operator).cloned() {
            Some(Global::Def { def, ctx, file }) if def.params.is_empty() => Ok(Formula {
                expr: &def.body,
                env: Env::new(ctx, file),
            }),
            Some(Global::Def { def, .. }) => Err(undefined(
                format!(
                    "{role} `{name}` takes {} arguments; it must take none",
                    def.params.len()
                ),
                cfg_file,
                *span,
            )),
            _ => Err(undefined(
                format!("{role} `{name}` is not defined in the spec"),
                cfg_file,
                *span,
            )),
        }
    }

    /// Splits a `SPECIFICATION` formula into Init, `[][Next]_v` and fairness conditions.
    fn decompose(&mut self, formula: Formula<'a>, behaviour: &mut Behaviour<'a>) -> Result<()> {
        let Formula { expr, env } = formula;
        match &*expr.kind {
            A::Junction(ast::Junction::And, items) => {
                for item in items {
                    self.decompose(Formula { expr: item, env: env.clone() }, behaviour)?;
                }
            }
            A::Infix(op, lhs, rhs) if op.name == "/\\" => {
                self.decompose(Formula { expr: lhs, env: env.clone() }, behaviour)?;
                self.decompose(Formula { expr: rhs, env }, behaviour)?;
            }
            A::Label(_, inner) => self.decompose(Formula { expr: inner, env }, behaviour)?,
            A::Prefix(op, inner) if op.name == "[]" => match &*inner.kind {
                A::BoxAction(next, _vars) if behaviour.next.is_none() => {
                    behaviour.next = Some(Formula { expr: next, env });
                }
                _ => return Err(self.error(Kind::Unsupported, "E0403", "this part of the specification formula is not supported (expected `[][Next]_vars`)".into(), &env, expr.span, "unsupported conjunct")),
            },
            A::Fair(..) | A::Quant(ast::Quantifier::Forall, ..) => {
                let condition = self.lower(expr, &env)?;
                self.fairness_conditions(condition, Vec::new(), &env, behaviour)?;
            }
            A::Name(name) if self.is_temporal_name(name, &env) => {
                let Some(Global::Def { def, ctx, file }) = self.context(env.ctx).names.get(&name.name).cloned() else {
                    return Err(self.error(Kind::Unsupported, "E0403", "unsupported specification conjunct".into(), &env, expr.span, "here"));
                };
                self.decompose(Formula { expr: &def.body, env: Env::new(ctx, file) }, behaviour)?;
            }
            _ => behaviour.init.push(Formula { expr, env }),
        }
        Ok(())
    }

    /// Whether `name` is a definition of arity 0 whose body is temporal (a sub-formula of the
    /// specification to take apart rather than part of Init).
    fn is_temporal_name(&self, name: &ast::Ident, env: &Env<'a>) -> bool {
        match self.context(env.ctx).names.get(&name.name) {
            Some(Global::Def { def, ctx, .. }) if def.params.is_empty() => {
                is_temporal(&def.body, &|n| self.definition_is_temporal(n, *ctx, 8))
            }
            _ => false,
        }
    }

    fn definition_is_temporal(&self, name: &str, ctx: CtxId, fuel: usize) -> bool {
        if fuel == 0 {
            return false;
        }
        match self.context(ctx).names.get(name) {
            Some(Global::Def { def, ctx, .. }) => is_temporal(&def.body, &|n| {
                self.definition_is_temporal(n, *ctx, fuel - 1)
            }),
            _ => false,
        }
    }

    /// Collects `WF_v(A)`, `SF_v(A)` and `\A p \in S : …` of them.
    fn fairness_conditions(
        &mut self,
        condition: ir::Expr,
        binders: Vec<ir::Binder>,
        env: &Env<'a>,
        behaviour: &mut Behaviour<'a>,
    ) -> Result<()> {
        let loc = condition.loc;
        match *condition.kind {
            ExprKind::Fair(kind, vars, action) => {
                behaviour.fairness.push(FairnessCondition {
                    kind,
                    binders,
                    vars,
                    action,
                    loc,
                });
                Ok(())
            }
            ExprKind::Quant(ir::Quantifier::Forall, more, body) => {
                let all = binders.into_iter().chain(more).collect();
                self.fairness_conditions(body, all, env, behaviour)
            }
            ExprKind::Apply(ir::Op::And, items) => {
                for item in items {
                    self.fairness_conditions(item, binders.clone(), env, behaviour)?;
                }
                Ok(())
            }
            _ => Err(self.error(
                Kind::Unsupported,
                "E0403",
                "expected a fairness condition `WF_v(A)` or `SF_v(A)`".into(),
                env,
                loc.span,
                "unsupported conjunct",
            )),
        }
    }

    /// Splits Next into actions: its disjuncts, through `\E` (which become parameters) and
    /// through calls of user-defined operators (whose names name the actions).
    fn split_actions(
        &mut self,
        expr: &'a ast::Expr,
        env: &Env<'a>,
        name: Option<&str>,
        params: &[Param],
        out: &mut Vec<Action>,
    ) -> Result<()> {
        match &*expr.kind {
            A::Junction(ast::Junction::Or, items) => {
                for item in items {
                    self.split_actions(item, env, name, params, out)?;
                }
                return Ok(());
            }
            A::Infix(op, lhs, rhs) if op.name == "\\/" => {
                self.split_actions(lhs, env, name, params, out)?;
                return self.split_actions(rhs, env, name, params, out);
            }
            A::Label(_, inner) => return self.split_actions(inner, env, name, params, out),
            // `Next == /\ \E self \in Procs : …`, a bullet list of one item, as PlusCal writes.
            A::Junction(ast::Junction::And, items) if items.len() == 1 => {
                return self.split_actions(&items[0], env, name, params, out)
            }
            A::Quant(ast::Quantifier::Exists, bounds, body)
                if bounds.iter().all(|b| b.set.is_some()) =>
            {
                let (binders, inner) = self.binders(bounds, env)?;
                let mut params = params.to_vec();
                for binder in binders {
                    let param_name = match &binder.pattern {
                        Pattern::Var(id) => self.builder.bound_names()[id.0].clone(),
                        Pattern::Tuple(ids) => {
                            let names: Vec<_> = ids
                                .iter()
                                .map(|id| self.builder.bound_names()[id.0].clone())
                                .collect();
                            format!("<<{}>>", names.join(", "))
                        }
                    };
                    params.push(Param {
                        name: param_name,
                        binder,
                    });
                }
                return self.split_actions(body, &inner, name, &params, out);
            }
            A::Name(id) | A::Apply(id, _) => {
                let args: Vec<&ast::Expr> = match &*expr.kind {
                    A::Apply(_, args) => args.iter().collect(),
                    _ => Vec::new(),
                };
                if let Some((def, def_env)) = self.callee(id, env) {
                    if def.params.len() == args.len() {
                        let key = def as *const ast::OpDef;
                        let recursive = self.recursion.is_recursive(Callee::Op(def));
                        if !self.expanding.contains(&key) && !recursive {
                            let body_env = self.bind_parameters(def, &def_env, &args, env)?;
                            self.expanding.push(key);
                            let found = out.len();
                            let result = self.split_actions(
                                &def.body,
                                &body_env,
                                Some(&def.name.name),
                                params,
                                out,
                            );
                            self.expanding.pop();
                            if result.is_ok() || !self.recursion.is_recursive(Callee::Op(def)) {
                                return result;
                            }
                            // A recursive operator is one action, a call.
                            out.truncate(found);
                        }
                    }
                }
            }
            _ => {}
        }
        let body = self.lower(expr, env)?;
        out.push(Action {
            name: name.unwrap_or("Next").to_string(),
            params: params.to_vec(),
            loc: self.loc(env.file, expr.span),
            body,
        });
        Ok(())
    }

    /// The user-defined operator a name refers to, with the environment of its body.
    fn callee(&self, name: &ast::Ident, env: &Env<'a>) -> Option<(&'a ast::OpDef, Env<'a>)> {
        match env.scope.lookup(&name.name) {
            Some(Local::Op(OpArg::Local {
                def,
                ctx,
                file,
                scope,
            })) => {
                return Some((
                    def,
                    Env {
                        ctx: *ctx,
                        file: *file,
                        scope: scope.clone(),
                        primed: false,
                    },
                ))
            }
            Some(_) => return None,
            None => {}
        }
        match self.context(env.ctx).names.get(&name.name) {
            Some(Global::Def { def, ctx, file }) => Some((def, Env::new(*ctx, *file))),
            _ => None,
        }
    }

    /// Lowers the definitions of arity 0 the config names as invariants, properties, ….
    fn named_formulas(
        &mut self,
        root: CtxId,
        names: &[(String, Option<Span>)],
        cfg_file: FileId,
        role: &str,
    ) -> Result<Vec<Named>> {
        let mut out = Vec::new();
        for entry in names {
            let formula = self.definition_formula(root, entry, cfg_file, role)?;
            let expr = self.lower(formula.expr, &formula.env)?;
            out.push(Named {
                name: entry.0.clone(),
                loc: expr.loc,
                expr,
            });
        }
        Ok(out)
    }

    fn conjunction(&mut self, mut parts: Vec<ir::Expr>, file: FileId) -> ir::Expr {
        if parts.len() == 1 {
            return parts.remove(0);
        }
        let loc = self.loc(file, Span::default());
        if parts.is_empty() {
            return self.builder.expr(ExprKind::Lit(Value::Bool(true)), loc);
        }
        self.builder.expr(ExprKind::Apply(ir::Op::And, parts), loc)
    }
}

/// A config (or command-line) name that the spec does not define.
fn undefined(message: String, cfg_file: FileId, span: Option<Span>) -> Diagnostic {
    let diagnostic = Diagnostic::new(Kind::Config, "E0213", message);
    match span {
        Some(span) => diagnostic.at(cfg_file, span, "named here"),
        None => diagnostic,
    }
}

/// Whether an expression mentions a temporal operator, syntactically; `name_is_temporal`
/// answers for names, following their definitions.
fn is_temporal(expr: &ast::Expr, name_is_temporal: &dyn Fn(&str) -> bool) -> bool {
    match &*expr.kind {
        A::Fair(..) | A::BoxAction(..) | A::TemporalQuant(..) => true,
        A::Prefix(op, _) if op.name == "[]" || op.name == "<>" => true,
        A::Infix(op, _, _) if op.name == "~>" => true,
        A::Name(name) => name_is_temporal(&name.name),
        A::Junction(_, items) => items.iter().any(|i| is_temporal(i, name_is_temporal)),
        A::Infix(_, lhs, rhs) => {
            is_temporal(lhs, name_is_temporal) || is_temporal(rhs, name_is_temporal)
        }
        A::Quant(_, _, body) | A::Label(_, body) => is_temporal(body, name_is_temporal),
        _ => false,
    }
}
