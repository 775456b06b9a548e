//! Whether a formula holds somewhere, or everywhere, on the loop of a lasso, as one constant per
//! position that every longer lasso shares.
//!
//! `on_loop[i]` says that position `i` is on the loop (the loop starts at or before it). The
//! summary's constant at `i` stands for "the formula holds at some (every) loop position among
//! `0..=i`", defined from the constant at `i - 1`; at the lasso's last position, which is always
//! on the loop, it covers the whole loop. So a lasso of `n` states needs only the definitions of
//! positions `0..n`, and the next length adds one, instead of a sum over the loop per length.
//!
//! The definitions are implications (the constant implies what it stands for): the search only
//! ever requires a summary to hold, so the converse would constrain nothing.

use crate::smt::{all, any};
use z3::ast::Bool;

/// A summary over the loop: at `some` loop position, or at every one.
pub(super) struct LoopSummary {
    name: String,
    some: bool,
    /// `upto[i]`: the summary of positions `0..=i`.
    upto: Vec<Bool>,
}

impl LoopSummary {
    /// `name` makes the constants' names (unique within one solver).
    pub fn somewhere(name: String) -> LoopSummary {
        LoopSummary {
            name,
            some: true,
            upto: Vec::new(),
        }
    }

    pub fn everywhere(name: String) -> LoopSummary {
        LoopSummary {
            name,
            some: false,
            upto: Vec::new(),
        }
    }

    /// How many positions are summarised: the next one to `extend` with.
    pub fn len(&self) -> usize {
        self.upto.len()
    }

    /// The summary of every position taken in so far (for none: false for "some", true for
    /// "every").
    pub fn so_far(&self) -> Bool {
        self.upto
            .last()
            .cloned()
            .unwrap_or_else(|| Bool::from_bool(!self.some))
    }

    /// Takes in the next position, at which the formula is `holds` and which is on the loop
    /// when `on_loop` is; returns the definition of the new constant, to be asserted for good.
    pub fn extend(&mut self, on_loop: &Bool, holds: &Bool) -> Bool {
        let position = self.upto.len();
        let summary = Bool::new_const(format!("{}@{position}", self.name));
        let before = self.so_far();
        let meaning = if self.some {
            any(&[before, all(&[on_loop.clone(), holds.clone()])])
        } else {
            all(&[before, on_loop.implies(holds)])
        };
        self.upto.push(summary.clone());
        summary.implies(&meaning)
    }
}
