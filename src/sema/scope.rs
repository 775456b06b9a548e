//! What names mean: module-level contexts (one per module instantiation) and local scopes.
//!
//! A `Context` maps the names visible at the top level of a module — its definitions, those of
//! the modules it extends, its constants and variables — to what they denote in one particular
//! instantiation. The root module and everything it extends share one context; each
//! `INSTANCE` gets its own, in which the instantiated module's constants and variables stand
//! for the substituted expressions. Contexts live in an arena and are named by `CtxId`, so a
//! definition can point at the context its body must be read in without reference cycles.
//!
//! A `Scope` is the persistent (shared-tail) list of local names inside an expression: bound
//! variables, operator parameters, `LET` definitions and `@`.

use crate::diag::FileId;
use crate::ir::{BoundId, ConstId, Expr, VarId};
use crate::syntax::ast;
use crate::value::Value;
use std::collections::HashMap;
use std::rc::Rc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CtxId(pub usize);

/// The meaning of a top-level name in one context.
#[derive(Clone, Debug)]
pub enum Global<'a> {
    Var(VarId),
    /// A constant the config leaves symbolic.
    Const(ConstId),
    /// A constant the config fixes.
    Value(Value),
    /// An operator definition, whose body is read in context `ctx`; `file` holds its text.
    Def {
        def: &'a ast::OpDef,
        ctx: CtxId,
        file: FileId,
    },
    /// A named theorem or assumption, usable as the formula it states (`ASSUME T1` after
    /// `THEOREM T1 == …`).
    Theorem {
        body: &'a ast::Expr,
        ctx: CtxId,
        file: FileId,
    },
    /// A function definition `f[x \in S] == e`.
    FunDef {
        def: &'a ast::FunDef,
        ctx: CtxId,
        file: FileId,
    },
    /// `N(p) == INSTANCE M WITH …`, defined in context `ctx`.
    Instance {
        def: &'a ast::ModuleDef,
        ctx: CtxId,
        file: FileId,
    },
    /// A constant or variable of an instantiated module that the `INSTANCE` does not
    /// substitute: it means whatever the same name means in the instantiating context `ctx`,
    /// looked up at each use (so a later config replacement of that name applies here too).
    Alias {
        ctx: CtxId,
    },
    /// A constant or variable of an instantiated module, replaced by `expr` read in `ctx`.
    Subst {
        expr: &'a ast::Expr,
        ctx: CtxId,
        file: FileId,
        scope: Scope<'a>,
    },
}

/// The top-level names of one module instantiation.
#[derive(Clone, Debug)]
pub struct Context<'a> {
    pub names: HashMap<String, Global<'a>>,
}

/// An operator passed as an argument to a higher-order operator.
#[derive(Clone, Debug)]
pub enum OpArg<'a> {
    /// A top-level name (user definition or parameter-free builtin use).
    Global(Global<'a>),
    /// A builtin operator passed by name or symbol, e.g. `+`.
    Builtin(String),
    /// A `LET`-defined operator, or an operator parameter passed on.
    Local {
        def: &'a ast::OpDef,
        ctx: CtxId,
        file: FileId,
        scope: Scope<'a>,
    },
    Lambda {
        params: &'a [ast::Ident],
        body: &'a ast::Expr,
        ctx: CtxId,
        file: FileId,
        scope: Scope<'a>,
    },
}

/// The meaning of a local name.
#[derive(Clone, Debug)]
pub enum Local<'a> {
    Bound(BoundId),
    /// An argument of arity 0, already lowered; `primed` says whether it was lowered inside a
    /// prime, so a prime at the use site is applied only once.
    Expr {
        expr: Expr,
        primed: bool,
    },
    Op(OpArg<'a>),
    /// `LET N == INSTANCE M WITH …`: its substitutions are read in `scope`.
    LetInstance {
        def: &'a ast::ModuleDef,
        ctx: CtxId,
        file: FileId,
        scope: Scope<'a>,
    },
    LetFun {
        def: &'a ast::FunDef,
        ctx: CtxId,
        file: FileId,
        scope: Scope<'a>,
    },
}

#[derive(Debug)]
struct Node<'a> {
    name: String,
    binding: Local<'a>,
    parent: Scope<'a>,
}

/// Local names, innermost first. Cloning is cheap: the tail is shared.
#[derive(Clone, Debug, Default)]
pub struct Scope<'a>(Option<Rc<Node<'a>>>);

impl<'a> Scope<'a> {
    pub fn empty() -> Scope<'a> {
        Scope(None)
    }

    pub fn with(&self, name: &str, binding: Local<'a>) -> Scope<'a> {
        Scope(Some(Rc::new(Node {
            name: name.to_string(),
            binding,
            parent: self.clone(),
        })))
    }

    /// The address of the innermost binding, which identifies this scope (0 when empty).
    pub fn address(&self) -> usize {
        self.0.as_ref().map_or(0, |node| Rc::as_ptr(node) as usize)
    }

    pub fn lookup(&self, name: &str) -> Option<&Local<'a>> {
        let mut scope = self;
        while let Some(node) = &scope.0 {
            if node.name == name {
                return Some(&node.binding);
            }
            scope = &node.parent;
        }
        None
    }
}
