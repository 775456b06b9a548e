//! What a symbolic constant keeps of the value a config gives it, when `prove` leaves a
//! configured integer or set of model values symbolic (see `engine::prove::general`).
//!
//! An integer keeps its value. For a set, the facts name no member the spec does not name: which of the spec's model values are in
//! the set, and how many members it has. A set of the configured size whose named members
//! are the configured ones is the configured set up to renaming the others, which the spec
//! cannot tell apart; the size, though, is known only by `card`'s axioms (`cardinality`).

use super::encode::{all, select, Encoder, Result};
use super::internal;
use crate::ir::ConstId;
use crate::value::Value;
use z3::ast::{Bool, Int};

impl Encoder<'_> {
    /// Facts true of the symbolic constant `id` when it has the configured `value`: an
    /// integer equals it; of a set of model values, each model value the spec names is in it
    /// exactly when it is in `value`, and its `Cardinality` is the size of `value`.
    pub fn configured(&mut self, id: ConstId, value: &Value) -> Result<Bool> {
        let loc = self
            .spec
            .constants
            .get(id.0)
            .map(|c| c.loc)
            .ok_or_else(|| internal(crate::ir::build::nowhere(), "unknown constant"))?;
        match value {
            Value::Int(n) => {
                let constant = self.constant(id)?;
                let constant = self.plain_int(&constant, loc)?;
                Ok(constant.eq(Int::from_i64(*n)))
            }
            Value::Set(members) => self.configured_set(id, members, loc),
            _ => Err(internal(
                loc,
                "a configured value that is no integer or set",
            )),
        }
    }

    fn configured_set(
        &mut self,
        id: ConstId,
        members: &std::collections::BTreeSet<Value>,
        loc: crate::ir::Loc,
    ) -> Result<Bool> {
        let set = self.constant(id)?;
        let set = set
            .as_array()
            .ok_or_else(|| internal(loc, "a set constant that is no array"))?;
        let named: Vec<(String, z3::ast::Dynamic)> = self
            .sorts
            .model_values()
            .map(|(name, term)| (name.to_string(), term.clone()))
            .collect();
        let mut facts = Vec::new();
        for (name, term) in named {
            let member = select(&set, &term, loc)?
                .as_bool()
                .ok_or_else(|| internal(loc, "a set of model values that is no predicate"))?;
            let configured = members.contains(&Value::ModelValue(name));
            facts.push(member.eq(Bool::from_bool(configured)));
        }
        let size = i64::try_from(members.len())
            .map_err(|_| internal(loc, "a configured set too large to count"))?;
        let card = self.card_of(&set, true, loc)?;
        facts.push(card.eq(Int::from_i64(size)));
        Ok(all(&facts))
    }
}
