//! What a bounded search spent its time on, for `smtcheck check --stats`.

use std::collections::HashSet;
use std::time::Duration;
use z3::ast::{Ast, Dynamic};
use z3::AstKind;

/// The time and formula size of one search.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    /// Trying to prove the invariants inductive, before the search proper.
    pub induction: Duration,
    /// One entry per depth checked, in order.
    pub depths: Vec<DepthStats>,
    /// Reading the counterexample (states and actions) from the model.
    pub decoding: Duration,
}

/// The work done at one depth: the checks at that depth and the step that follows it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DepthStats {
    /// Building terms (everything at this depth but the solver's checks).
    pub encoding: Duration,
    /// In Z3's `check`.
    pub solving: Duration,
    /// Distinct Z3 terms first asserted at this depth (a sub-term shared with an earlier
    /// assertion is counted where it first appeared).
    pub terms: usize,
    /// Quantifiers and lambdas among those terms.
    pub quantifiers: usize,
}

impl Stats {
    /// The entry of `depth`, created on first use.
    pub(super) fn at(&mut self, depth: usize) -> &mut DepthStats {
        if self.depths.len() <= depth {
            self.depths.resize(depth + 1, DepthStats::default());
        }
        &mut self.depths[depth]
    }
}

/// Counts the distinct terms of the formulas asserted so far.
#[derive(Default)]
pub(super) struct TermCounter {
    seen: HashSet<Dynamic>,
}

impl TermCounter {
    /// The terms of `formula` not seen before, and how many of them bind variables. The body
    /// of a binder is not entered: its terms mention bound variables, so they are its own.
    pub fn count_new(&mut self, formula: &Dynamic) -> (usize, usize) {
        let (mut terms, mut quantifiers) = (0, 0);
        let mut pending = vec![formula.clone()];
        while let Some(term) = pending.pop() {
            if !self.seen.insert(term.clone()) {
                continue;
            }
            terms += 1;
            match term.kind() {
                AstKind::Quantifier => quantifiers += 1,
                AstKind::App => pending.extend(term.children()),
                _ => {}
            }
        }
        (terms, quantifiers)
    }
}
