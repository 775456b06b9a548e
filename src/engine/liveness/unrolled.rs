//! The negated property on the lassos of the search, encoded so that every length shares all
//! but a few constraints.
//!
//! A lasso of `n` states has positions `0..=last` (`last = n - 1`), and its step from `last`
//! goes back to the loop's first position. Each temporal subformula `ψ` (`[]b` or `<>b`) gets a
//! constant `ψ@i` per position, "`ψ` holds at position `i`", with the linear semantics of
//! bounded LTL on a lasso (Biere, Heljanko, Junttila, Latvala, Schuppan, "Linear Encodings of
//! Bounded LTL Model Checking", 2006):
//!
//! * for `i < last`, `<>b@i` is `b@i \/ <>b@(i+1)` and `[]b@i` is `b@i /\ []b@(i+1)`: the same
//!   in every longer lasso, so asserted once;
//! * at `last`, the positions to come are those of the loop, which `last` is on: `<>b@last` is
//!   `b` somewhere on the loop, `[]b@last` everywhere on it (a `LoopSummary`, itself shared by
//!   the lengths). Only this link is particular to one length.
//!
//! The formula is in negation normal form, so every subformula occurs positively and a
//! definition need only be an implication (the constant implies what it stands for). State and
//! action formulas (and `ENABLED`) are encoded once per position.

use super::enabling;
use super::formula::Ltl;
use super::loop_summary::LoopSummary;
use crate::diag::Diagnostic;
use crate::ir::{Action, Expr};
use crate::smt::{all, any, Encoder};
use std::collections::HashMap;
use z3::ast::Bool;

/// A node of the formula, its children by index.
enum Node {
    /// A state or action formula, or its negation.
    Atom {
        expr: Expr,
        positive: bool,
    },
    /// `ENABLED` of an action, or its negation.
    Enabled {
        action: Action,
        positive: bool,
    },
    And(Vec<usize>),
    Or(Vec<usize>),
    /// Index into `Unrolled::temporals`.
    Temporal(usize),
}

/// `[]body` or `<>body`, with its constants and its loop summary.
struct Temporal {
    always: bool,
    body: usize,
    /// `at[i]`: the constant `ψ@i`.
    at: Vec<Bool>,
    /// The positions `i` whose step definition (from `ψ@(i+1)`) is asserted: `0..stepped`.
    stepped: usize,
    /// The body on the loop: somewhere for `<>`, everywhere for `[]`.
    on_loop: LoopSummary,
}

/// The negated property, and what is encoded of it so far.
pub(super) struct Unrolled {
    /// Makes the names of the constants, unique to the formula.
    name: String,
    nodes: Vec<Node>,
    temporals: Vec<Temporal>,
    root: usize,
    /// State and action formulas (and `ENABLED`) by node and position.
    atoms: HashMap<(usize, usize), Bool>,
}

/// What a lasso of `last + 1` states needs of the formula.
pub(super) struct Lengthwise {
    /// The formula at position 0.
    pub root: Bool,
    /// Definitions that hold in every longer lasso too: to assert for good.
    pub shared: Vec<Bool>,
    /// The links from the last position to the loop: for this length only.
    pub particular: Vec<Bool>,
}

impl Unrolled {
    /// `name` makes the names of the constants (which must differ from those of any other
    /// formula in the same solver).
    pub fn new(formula: &Ltl, name: String) -> Unrolled {
        let mut unrolled = Unrolled {
            name,
            nodes: Vec::new(),
            temporals: Vec::new(),
            root: 0,
            atoms: HashMap::new(),
        };
        unrolled.root = unrolled.add(formula);
        unrolled
    }

    /// Adds `formula`'s nodes, children first; returns the index of its root.
    fn add(&mut self, formula: &Ltl) -> usize {
        let node = match formula {
            Ltl::Atom { expr, positive, .. } => Node::Atom {
                expr: expr.clone(),
                positive: *positive,
            },
            Ltl::Enabled {
                action,
                vars,
                positive,
            } => Node::Enabled {
                action: enabling(action, vars.as_ref()),
                positive: *positive,
            },
            Ltl::And(parts) => Node::And(parts.iter().map(|part| self.add(part)).collect()),
            Ltl::Or(parts) => Node::Or(parts.iter().map(|part| self.add(part)).collect()),
            Ltl::Always(body) | Ltl::Eventually(body) => {
                let always = matches!(formula, Ltl::Always(_));
                let body = self.add(body);
                let name = format!("{}!{}!loop", self.name, self.temporals.len());
                self.temporals.push(Temporal {
                    always,
                    body,
                    at: Vec::new(),
                    stepped: 0,
                    on_loop: if always {
                        LoopSummary::everywhere(name)
                    } else {
                        LoopSummary::somewhere(name)
                    },
                });
                Node::Temporal(self.temporals.len() - 1)
            }
        };
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// The formula on lassos of `last + 1` states, where `on_loop[i]` says position `i` is on
    /// the loop (for every `i <= last`).
    pub fn encode(
        &mut self,
        encoder: &mut Encoder,
        on_loop: &[Bool],
        last: usize,
    ) -> Result<Lengthwise, Diagnostic> {
        let mut shared = Vec::new();
        let mut particular = Vec::new();
        for temporal in 0..self.temporals.len() {
            shared.extend(self.steps(temporal, encoder, last)?);
            shared.extend(self.summarise(temporal, encoder, on_loop, last)?);
            let at_last = self.constant(temporal, last);
            particular.push(at_last.implies(self.temporals[temporal].on_loop.so_far()));
        }
        let root = self.at(self.root, 0, encoder)?;
        Ok(Lengthwise {
            root,
            shared,
            particular,
        })
    }

    /// The step definitions of `temporal` at the positions before `last` that have none yet.
    fn steps(
        &mut self,
        temporal: usize,
        encoder: &mut Encoder,
        last: usize,
    ) -> Result<Vec<Bool>, Diagnostic> {
        let Temporal {
            always,
            body,
            stepped,
            ..
        } = self.temporals[temporal];
        let mut definitions = Vec::new();
        for position in stepped..last {
            let here = self.at(body, position, encoder)?;
            let now = self.constant(temporal, position);
            let next = self.constant(temporal, position + 1);
            let meaning = if always {
                all(&[here, next])
            } else {
                any(&[here, next])
            };
            definitions.push(now.implies(&meaning));
        }
        self.temporals[temporal].stepped = stepped.max(last);
        Ok(definitions)
    }

    /// Extends the loop summary of `temporal` to `last`.
    fn summarise(
        &mut self,
        temporal: usize,
        encoder: &mut Encoder,
        on_loop: &[Bool],
        last: usize,
    ) -> Result<Vec<Bool>, Diagnostic> {
        let body = self.temporals[temporal].body;
        let from = self.temporals[temporal].on_loop.len();
        let mut definitions = Vec::new();
        for (position, on_loop) in on_loop.iter().enumerate().take(last + 1).skip(from) {
            let here = self.at(body, position, encoder)?;
            definitions.push(self.temporals[temporal].on_loop.extend(on_loop, &here));
        }
        Ok(definitions)
    }

    /// Node `index` at `position`, for lassos of at least `position + 1` states (a temporal
    /// node is its constant, which `encode` defines).
    fn at(
        &mut self,
        index: usize,
        position: usize,
        encoder: &mut Encoder,
    ) -> Result<Bool, Diagnostic> {
        if let Some(encoded) = self.atoms.get(&(index, position)) {
            return Ok(encoded.clone());
        }
        let (parts, conjoin) = match &self.nodes[index] {
            Node::Atom { expr, positive } => {
                let encoded = if *positive {
                    encoder.holds(expr, position)?
                } else {
                    encoder.violated(expr, position)?
                };
                self.atoms.insert((index, position), encoded.clone());
                return Ok(encoded);
            }
            Node::Enabled { action, positive } => {
                let enabled = encoder.enabled(action, position)?;
                let encoded = if *positive { enabled } else { enabled.not() };
                self.atoms.insert((index, position), encoded.clone());
                return Ok(encoded);
            }
            Node::Temporal(temporal) => return Ok(self.constant(*temporal, position)),
            Node::And(parts) => (parts.clone(), true),
            Node::Or(parts) => (parts.clone(), false),
        };
        let encoded = parts
            .iter()
            .map(|part| self.at(*part, position, encoder))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(if conjoin {
            all(&encoded)
        } else {
            any(&encoded)
        })
    }

    /// The constant of `temporal` at `position`.
    fn constant(&mut self, temporal: usize, position: usize) -> Bool {
        let at = &mut self.temporals[temporal].at;
        while at.len() <= position {
            let name = format!("{}!{temporal}@{}", self.name, at.len());
            at.push(Bool::new_const(name));
        }
        at[position].clone()
    }
}
