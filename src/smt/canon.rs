//! A canonical text for an expression, the same for every copy of it: `CHOOSE` uses it so that
//! two occurrences of the same choice (say, one operator expanded in two places, with fresh
//! ids each time) denote the same value.

use crate::ir::{BoundId, ConstId, Expr, ExprId, ExprKind, Pattern, VarId};
use std::collections::{BTreeSet, HashMap};

/// A free variable of an expression, in order of first occurrence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Free {
    Bound(BoundId),
    Var(VarId),
    Primed(VarId),
    Const(ConstId),
}

/// The canonical text of `expr` (ids and locations erased, bound variables numbered in order
/// of appearance) and its free variables.
pub fn canonical(expr: &Expr) -> (String, Vec<Free>) {
    let mut copy = expr.clone();
    let mut walk = Walk {
        numbers: HashMap::new(),
        binding: BTreeSet::new(),
        free: Vec::new(),
    };
    walk.visit(&mut copy);
    (format!("{:?}", copy.kind), walk.free)
}

struct Walk {
    numbers: HashMap<BoundId, usize>,
    /// Variables bound inside the expression.
    binding: BTreeSet<BoundId>,
    free: Vec<Free>,
}

impl Walk {
    fn number(&mut self, id: BoundId) -> BoundId {
        let next = self.numbers.len();
        BoundId(*self.numbers.entry(id).or_insert(next))
    }

    fn rename_pattern(&mut self, pattern: &mut Pattern) {
        match pattern {
            Pattern::Var(id) => {
                self.binding.insert(*id);
                *id = self.number(*id);
            }
            Pattern::Tuple(ids) => {
                for id in ids {
                    self.binding.insert(*id);
                    *id = self.number(*id);
                }
            }
        }
    }

    fn note_free(&mut self, free: Free) {
        if !self.free.contains(&free) {
            self.free.push(free);
        }
    }

    fn visit(&mut self, expr: &mut Expr) {
        expr.id = ExprId(0);
        expr.loc = crate::ir::build::nowhere();
        match &mut *expr.kind {
            ExprKind::Bound(id) => {
                if !self.binding.contains(id) {
                    self.note_free(Free::Bound(*id));
                }
                *id = self.number(*id);
            }
            ExprKind::Var(v) => self.note_free(Free::Var(*v)),
            ExprKind::Primed(v) => self.note_free(Free::Primed(*v)),
            ExprKind::Const(c) => self.note_free(Free::Const(*c)),
            ExprKind::Quant(_, binders, _)
            | ExprKind::FnCons(binders, _)
            | ExprKind::SetMap(_, binders) => {
                binders
                    .iter_mut()
                    .for_each(|b| self.rename_pattern(&mut b.pattern));
            }
            ExprKind::Choose(binder, _) | ExprKind::SetFilter(binder, _) => {
                self.rename_pattern(&mut binder.pattern)
            }
            _ => {}
        }
        expr.kind.for_each_child_mut(&mut |child| self.visit(child));
    }
}
