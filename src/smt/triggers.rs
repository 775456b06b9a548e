//! Frame triggers: extra E-matching triggers for the quantifiers of a proof obligation.
//!
//! An inductive invariant quantifies over the indices of the state's functions (EWD840:
//! `\A i \in Node : tpos < i => ~active[i]`), and the negation of its primed copy leaves a
//! universal over the next state (`\A j \in 0..tpos' : color'[j] /= "black"`). The instance a
//! proof needs is at an index that the *other* state reads: the `j` whose `color[j]` the
//! hypothesis reads, before the step. Z3's own triggers are the body's reads, `color'[j]`, and
//! the next state's array is the first's with a store, so no ground term `color'[j]` exists for
//! E-matching to find; model-based instantiation, over arrays, lambdas and strings, then
//! searched EWD840's consecution obligations for 10 s without an answer at every `N` above 8
//! (at 8 and below the quantifiers are expanded).
//!
//! So, where the encoder is asked to (`Encoder::with_frame_triggers`), each Z3 quantifier gets
//! a twin with triggers on the reads of every state variable's array, at every step encoded so
//! far, whose index sort is the bound variable's: an index read in one state instantiates the
//! quantifiers of every state. The twin is the same formula, so nothing changes but which
//! instances Z3 tries, and the original keeps the triggers Z3 chooses itself. The two are
//! joined so that both hold wherever the formula is used: `Q /\ Q'` where it is asserted,
//! `Q \/ Q'` where it is negated (the negated goal's `\E`), which its negation makes
//! `~Q /\ ~Q'`. Joined the other way, Z3 is free to satisfy the join with the twin it cannot
//! instantiate, and did: E-matching alone then never refuted EWD840's `PassToken` step. Under
//! both polarities (inside another quantifier, an equivalence) there is no such join, and the
//! quantifier stays as it was.

use super::encode::{Encoder, Polarity};
use crate::ir::Quantifier;
use crate::types::Type;
use z3::ast::{Array, Ast, Bool, Dynamic};
use z3::Pattern;

impl Encoder<'_> {
    /// This encoder with frame triggers on its quantifiers (see the module comment). `prove`
    /// uses it for consecution, whose step relates two arbitrary states; an obligation about
    /// one state has no other state's reads to offer, and a search from the initial states
    /// reads the arrays at the indices it needs already.
    pub fn with_frame_triggers(mut self) -> Self {
        self.frame_triggers = true;
        self
    }

    /// `\A variable : body` or `\E variable : body`, at polarity `pol`, with its twin carrying
    /// frame triggers when they are on and some state array is indexed by the variable's sort.
    pub(super) fn quantifier(
        &mut self,
        q: Quantifier,
        variable: &Dynamic,
        body: &Bool,
        pol: Polarity,
    ) -> Bool {
        let quantify = |patterns: &[&Pattern]| match q {
            Quantifier::Forall => z3::ast::forall_const(&[variable], patterns, body),
            Quantifier::Exists => z3::ast::exists_const(&[variable], patterns, body),
        };
        let plain = quantify(&[]);
        let triggers = self.frame_triggers_on(variable);
        if triggers.is_empty() {
            return plain;
        }
        let triggers: Vec<&Pattern> = triggers.iter().collect();
        match pol {
            Polarity::Pos => plain & quantify(&triggers),
            Polarity::Neg => plain | quantify(&triggers),
            Polarity::Mixed => plain,
        }
    }

    /// One trigger per state array indexed by `variable`'s sort: its read at `variable`.
    fn frame_triggers_on(&mut self, variable: &Dynamic) -> Vec<Pattern> {
        if !self.frame_triggers {
            return Vec::new();
        }
        let index = variable.get_sort();
        self.state_arrays()
            .iter()
            .filter(|array| array.get_sort().array_domain().as_ref() == Some(&index))
            .map(|array| Pattern::new(&[&array.select(variable)]))
            .collect()
    }

    /// The arrays that hold the values of the state variables at every step encoded so far:
    /// a set variable's own, a function variable's map. A function over a small domain is
    /// held pointwise (see `sorts`) and has no array to read.
    fn state_arrays(&mut self) -> Vec<Array> {
        let mut arrays = Vec::new();
        for step in self.raw_states.clone() {
            for (raw, ty) in step.iter().zip(&self.types.vars) {
                let array = match ty {
                    Type::Set(_) => Some(raw.clone()),
                    Type::Fn(..) if self.sorts.pointwise_domain(ty).is_none() => {
                        self.sorts.field(ty, raw, 1)
                    }
                    _ => None,
                };
                arrays.extend(array.and_then(|array| array.as_array()));
            }
        }
        arrays
    }
}
