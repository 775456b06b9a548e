//! Semantic analysis: parsed modules plus a model config become the transition system
//! `ir::Spec`.
//!
//! Names are resolved through module contexts (`scope.rs`), constants are fixed from the
//! config, every user-defined operator is expanded at its use (`expr.rs`) except recursive ones,
//! which are kept as definitions with calls (`recursive.rs`), and the behaviour
//! formula is taken apart into Init, the actions of Next, and fairness (`spec.rs`).

mod builtins;
mod expr;
mod recursive;
mod scope;
mod spec;

use crate::config::{ConfigValue, ConstantValue, ModelConfig};
use crate::diag::{Diagnostic, FileId, Kind};
use crate::ir::build::Builder;
use crate::ir::{Constant, Loc, Variable};
use crate::syntax::ast::{self, Span, Unit};
use crate::syntax::loader::ModuleSet;
use crate::value::Value;
use scope::{Context, CtxId, Global, Scope};
use std::collections::HashMap;

/// Choices the command line makes over the config.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `--init`: the initial predicate, instead of the config's.
    pub init: Option<String>,
    /// `--next`: the next-state relation, instead of the config's.
    pub next: Option<String>,
    /// `--inv`: the invariants to check, instead of the config's (when non-empty).
    pub invariants: Vec<String>,
    /// `--no-deadlock`.
    pub no_deadlock: bool,
    /// `--temporal`: the temporal properties to check, instead of the config's (when
    /// non-empty).
    pub temporal: Vec<String>,
    /// Constants left symbolic even where the config gives them a value (`prove` asks the
    /// general question first, see `engine::prove::general`).
    pub symbolic: Vec<String>,
}

/// The result of semantic analysis: the spec and the warnings worth showing the user.
#[derive(Debug)]
pub struct Lowered {
    pub spec: crate::ir::Spec,
    pub warnings: Vec<String>,
}

/// Builds the transition system of the root module of `modules` under `config`.
/// `config` is the model config with the file it was read from.
pub fn lower(
    modules: &ModuleSet,
    config: Option<(&ModelConfig, FileId)>,
    options: &Options,
) -> Result<Lowered, Diagnostic> {
    let mut lowerer = Lowerer::new(modules);
    let root = lowerer.root_context()?;
    let cfg_file = config.map_or(FileId::NONE, |(_, file)| file);
    if let Some((config, file)) = config {
        lowerer.apply_config(root, config, file, &options.symbolic)?;
    }
    spec::build(lowerer, root, config.map(|(c, _)| c), cfg_file, options)
}

/// The state of a lowering run: the contexts built so far, the ids handed out, the spec's
/// constants and variables.
pub(crate) struct Lowerer<'a> {
    modules: &'a ModuleSet,
    contexts: Vec<Context<'a>>,
    builder: Builder,
    constants: Vec<Constant>,
    variables: Vec<Variable>,
    /// `ASSUME`s of the root module and the modules it extends, with their contexts.
    assumptions: Vec<(&'a ast::Assume, CtxId, FileId)>,
    /// Definitions being expanded right now, innermost last, to catch recursion.
    expanding: Vec<*const ast::OpDef>,
    /// Standard operators the config replaces (`Seq <- BoundedSeq`, `Nat <- 0..5`): as in
    /// TLC, the replacement holds in every module, instantiated ones included.
    overrides: HashMap<String, Global<'a>>,
    /// Things worth telling the user that do not stop the run.
    warnings: Vec<String>,
    /// The modules whose names make up the root context: the root and those it extends.
    root_modules: Vec<String>,
    /// What the config substitutes in one module only (`N <- [M] Op`), by module: applied to
    /// each context that module's names are added to.
    module_overrides: HashMap<String, Vec<(String, Global<'a>)>>,
    /// Instantiations without parameters are built once.
    instance_cache: HashMap<*const ast::ModuleDef, CtxId>,
    /// Recursive operators and functions, kept as definitions rather than expanded.
    recursion: recursive::Recursion<'a>,
}

impl<'a> Lowerer<'a> {
    fn new(modules: &'a ModuleSet) -> Lowerer<'a> {
        Lowerer {
            modules,
            contexts: Vec::new(),
            builder: Builder::new(),
            constants: Vec::new(),
            variables: Vec::new(),
            assumptions: Vec::new(),
            expanding: Vec::new(),
            warnings: Vec::new(),
            overrides: HashMap::new(),
            root_modules: Vec::new(),
            module_overrides: HashMap::new(),
            instance_cache: HashMap::new(),
            recursion: recursive::Recursion::default(),
        }
    }

    fn context(&self, id: CtxId) -> &Context<'a> {
        &self.contexts[id.0]
    }

    fn new_context(&mut self) -> CtxId {
        self.contexts.push(Context {
            names: HashMap::new(),
        });
        CtxId(self.contexts.len() - 1)
    }

    fn loc(&self, file: FileId, span: Span) -> Loc {
        Loc { file, span }
    }

    /// The context of the root module: its names and those of every module it extends.
    fn root_context(&mut self) -> Result<CtxId, Diagnostic> {
        let root = self.modules.root();
        let ctx = self.new_context();
        let mut seen = Vec::new();
        self.add_module(ctx, &root.module.name.name, &mut seen, None)?;
        self.root_modules = seen;
        Ok(ctx)
    }

    /// Adds the names of module `name` (after those of the modules it extends) to `ctx`.
    /// `instance` is `None` for the root and its extensions, whose constants and variables
    /// become the spec's; otherwise it gives the substitutions of an instantiation.
    fn add_module(
        &mut self,
        ctx: CtxId,
        name: &str,
        seen: &mut Vec<String>,
        instance: Option<&Instantiation<'a>>,
    ) -> Result<(), Diagnostic> {
        if seen.iter().any(|s| s == name) {
            return Ok(());
        }
        seen.push(name.to_string());
        let Some(loaded) = self.modules.modules.get(name) else {
            return Ok(()); // a standard module: its operators are builtins
        };
        let module: &'a ast::Module = &loaded.module;
        let file = loaded.file;
        for extended in &module.extends {
            self.add_module(ctx, &extended.name, seen, instance)?;
        }
        for unit in &module.units {
            self.add_unit(ctx, file, unit, instance)?;
        }
        for (replaced, global) in self.module_overrides.get(name).cloned().unwrap_or_default() {
            self.define(ctx, &replaced, global);
        }
        Ok(())
    }

    fn add_unit(
        &mut self,
        ctx: CtxId,
        file: FileId,
        unit: &'a Unit,
        instance: Option<&Instantiation<'a>>,
    ) -> Result<(), Diagnostic> {
        match unit {
            Unit::Constants(decls) => {
                for decl in decls {
                    let global = match instance {
                        None => {
                            self.constants.push(Constant {
                                name: decl.name.name.clone(),
                                value: None,
                                replaced: false,
                                loc: Loc {
                                    file,
                                    span: decl.name.span,
                                },
                            });
                            Global::Const(crate::ir::ConstId(self.constants.len() - 1))
                        }
                        Some(inst) => inst.parameter(self, &decl.name, file)?,
                    };
                    self.define(ctx, &decl.name.name, global);
                }
            }
            Unit::Variables(names) => {
                for name in names {
                    let global = match instance {
                        None => {
                            self.variables.push(Variable {
                                name: name.name.clone(),
                                loc: Loc {
                                    file,
                                    span: name.span,
                                },
                            });
                            Global::Var(crate::ir::VarId(self.variables.len() - 1))
                        }
                        Some(inst) => inst.parameter(self, name, file)?,
                    };
                    self.define(ctx, &name.name, global);
                }
            }
            Unit::OpDef(def) => self.define(ctx, &def.name.name, Global::Def { def, ctx, file }),
            Unit::FunDef(def) => {
                self.define(ctx, &def.name.name, Global::FunDef { def, ctx, file })
            }
            Unit::ModuleDef(def) => {
                self.define(ctx, &def.name.name, Global::Instance { def, ctx, file })
            }
            Unit::Instance(inst) => {
                // An unnamed instance: M's definitions join this context, read in M's own.
                let inner = self.instantiate(inst, ctx, file, Scope::empty())?;
                let names: Vec<(String, Global<'a>)> = self
                    .context(inner)
                    .names
                    .iter()
                    .filter(|(_, g)| {
                        matches!(
                            g,
                            Global::Def { .. } | Global::FunDef { .. } | Global::Instance { .. }
                        )
                    })
                    .map(|(n, g)| (n.clone(), g.clone()))
                    .collect();
                for (name, global) in names {
                    self.define(ctx, &name, global);
                }
            }
            Unit::Assume(assume) => {
                if instance.is_none() {
                    self.assumptions.push((assume, ctx, file));
                }
                // `ASSUME A == F` names `F`, as a theorem does (FastPaxos: `ASSUME PaxosAssume`).
                if let Some(name) = &assume.name {
                    let body = &assume.body;
                    self.define(ctx, &name.name, Global::Theorem { body, ctx, file });
                }
            }
            Unit::Theorem(ast::Theorem {
                name: Some(name),
                body: ast::TheoremBody::Expr(body),
                ..
            }) => self.define(ctx, &name.name, Global::Theorem { body, ctx, file }),
            Unit::Recursive(_) | Unit::Theorem(_) | Unit::Module(_) => {}
        }
        Ok(())
    }

    fn define(&mut self, ctx: CtxId, name: &str, global: Global<'a>) {
        self.contexts[ctx.0].names.insert(name.to_string(), global);
    }

    /// Builds the context of `INSTANCE M WITH subs`, whose substitutions are read in `parent`
    /// under `scope`.
    fn instantiate(
        &mut self,
        inst: &'a ast::Instance,
        parent: CtxId,
        parent_file: FileId,
        scope: Scope<'a>,
    ) -> Result<CtxId, Diagnostic> {
        let ctx = self.new_context();
        if !self.modules.modules.contains_key(&inst.module.name) {
            // A standard module: its operators are builtins, visible everywhere already.
            return Ok(ctx);
        }
        let instantiation = Instantiation {
            inst,
            parent,
            parent_file,
            scope,
        };
        let mut seen = Vec::new();
        self.add_module(ctx, &inst.module.name, &mut seen, Some(&instantiation))?;
        Ok(ctx)
    }

    /// The context of `N == INSTANCE M …`, an instance without parameters defined at the top
    /// level of context `parent`: the same wherever it is used, so it is built once.
    fn shared_instance(
        &mut self,
        def: &'a ast::ModuleDef,
        parent: CtxId,
        parent_file: FileId,
    ) -> Result<CtxId, Diagnostic> {
        let key = def as *const ast::ModuleDef;
        if let Some(cached) = self.instance_cache.get(&key) {
            return Ok(*cached);
        }
        let built = self.instantiate(&def.instance, parent, parent_file, Scope::empty())?;
        self.instance_cache.insert(key, built);
        Ok(built)
    }

    /// Fixes constants (and overrides definitions) as the config says, but leaves the
    /// constants named in `symbolic` without a value.
    fn apply_config(
        &mut self,
        root: CtxId,
        config: &'a ModelConfig,
        cfg_file: FileId,
        symbolic: &[String],
    ) -> Result<(), Diagnostic> {
        for binding in &config.constants {
            let name = &binding.name.name;
            if symbolic.contains(name) && matches!(binding.value, ConstantValue::Value(_)) {
                continue;
            }
            let global = self.config_binding(root, &binding.value, cfg_file)?;
            if let Some(module) = binding_module(&binding.value) {
                if !self.root_modules.contains(&module.name) {
                    self.override_in_module(module, name, global, cfg_file)?;
                    continue;
                }
            }
            let existing = self.context(root).names.get(name).cloned();
            match existing {
                Some(Global::Const(id)) => {
                    match &global {
                        Global::Value(value) => self.constants[id.0].value = Some(value.clone()),
                        _ => self.constants[id.0].replaced = true,
                    }
                    self.define(root, name, global);
                }
                Some(Global::Def { .. }) | Some(Global::FunDef { .. }) => {
                    self.define(root, name, global)
                }
                None if builtins::is_builtin_name(name) => {
                    self.overrides.insert(name.clone(), global);
                }
                // TLC accepts `r1 = r1` for a name the spec does not declare: it only
                // introduces the model value, which the config can then use anywhere.
                None if matches!(&global, Global::Value(Value::ModelValue(v)) if v == name) => {
                    self.warnings.push(format!(
                        "the config declares the model value `{name}`, which is not a constant of the spec"
                    ));
                }
                _ => {
                    return Err(Diagnostic::new(
                        Kind::Config,
                        "E0211",
                        format!("the config assigns `{name}`, which the spec does not declare"),
                    )
                    .at(
                        cfg_file,
                        binding.name.span,
                        "not a constant or definition of the spec",
                    ))
                }
            }
        }
        Ok(())
    }

    /// What a config binding gives its constant: a value, or a definition of the root module.
    fn config_binding(
        &self,
        root: CtxId,
        value: &ConstantValue,
        cfg_file: FileId,
    ) -> Result<Global<'a>, Diagnostic> {
        match value {
            ConstantValue::Value(value) | ConstantValue::ValueInModule { value, .. } => {
                Ok(Global::Value(config_value(value)))
            }
            ConstantValue::Replace(op) | ConstantValue::ReplaceInModule { op, .. } => {
                match self.context(root).names.get(&op.name) {
                    Some(global @ (Global::Def { .. } | Global::FunDef { .. })) => {
                        Ok(global.clone())
                    }
                    _ => Err(Diagnostic::new(
                        Kind::Config,
                        "E0210",
                        format!("`{}` is not defined in the spec", op.name),
                    )
                    .at(cfg_file, op.span, "substituted here")),
                }
            }
        }
    }

    /// `name <- [module] Op` for a module the root instantiates: `name` is replaced in every
    /// instance of `module`, as TLC does, when that instance is built. Unnamed instances in
    /// the root context are built before the config is read, so those are not supported.
    fn override_in_module(
        &mut self,
        module: &ast::Ident,
        name: &str,
        global: Global<'a>,
        cfg_file: FileId,
    ) -> Result<(), Diagnostic> {
        if !self.modules.modules.contains_key(&module.name) {
            return Err(Diagnostic::new(
                Kind::Config,
                "E0214",
                format!(
                    "the config substitutes in module `{}`, which the spec does not use",
                    module.name
                ),
            )
            .at(cfg_file, module.span, "no such module"));
        }
        let instantiated_already = self.contexts.len() > 1;
        if instantiated_already {
            return Err(Diagnostic::new(
                Kind::Unsupported,
                "E0405",
                "module-specific substitutions (`[M]` in the config) in a spec with an unnamed `INSTANCE`",
            )
            .at(cfg_file, module.span, "here"));
        }
        self.module_overrides
            .entry(module.name.clone())
            .or_default()
            .push((name.to_string(), global));
        Ok(())
    }
}

/// The module a config binding is particular to: `M` in `N <- [M] Op` and `N = [M] v`.
fn binding_module(value: &ConstantValue) -> Option<&ast::Ident> {
    match value {
        ConstantValue::ValueInModule { module, .. }
        | ConstantValue::ReplaceInModule { module, .. } => Some(module),
        ConstantValue::Value(_) | ConstantValue::Replace(_) => None,
    }
}

/// A module instantiation in progress: the `INSTANCE` and where its substitutions are read.
struct Instantiation<'a> {
    inst: &'a ast::Instance,
    parent: CtxId,
    parent_file: FileId,
    scope: Scope<'a>,
}

impl<'a> Instantiation<'a> {
    /// What a constant or variable `name` of the instantiated module stands for: the explicit
    /// substitution `name <- e`, else the same name in the instantiating context.
    fn parameter(
        &self,
        lowerer: &Lowerer<'a>,
        name: &ast::Ident,
        file: FileId,
    ) -> Result<Global<'a>, Diagnostic> {
        if let Some((_, expr)) = self
            .inst
            .substitutions
            .iter()
            .find(|(n, _)| n.name == name.name)
        {
            return Ok(Global::Subst {
                expr,
                ctx: self.parent,
                file: self.parent_file,
                scope: self.scope.clone(),
            });
        }
        match lowerer.context(self.parent).names.get(&name.name) {
            Some(_) => Ok(Global::Alias { ctx: self.parent }),
            None => Err(Diagnostic::new(
                Kind::Parse,
                "E0311",
                format!(
                    "`INSTANCE {}` needs a substitution for `{}`, and nothing of that name is in scope",
                    self.inst.module.name, name.name
                ),
            )
            .at(self.parent_file, self.inst.span, "instantiated here")
            .also(file, name.span, "declared here")),
        }
    }
}

/// A value written in the config, as a TLA+ value. Bare names are model values.
fn config_value(value: &ConfigValue) -> Value {
    match value {
        ConfigValue::Int(n, _) => Value::Int(*n),
        ConfigValue::Str(s, _) => Value::Str(s.clone()),
        ConfigValue::Bool(b, _) => Value::Bool(*b),
        ConfigValue::ModelValue(name) => Value::ModelValue(name.name.clone()),
        ConfigValue::Set(items, _) => Value::set(items.iter().map(config_value)),
    }
}
