//! Building the finite sets that TLA+ describes by construction: `SUBSET S`, `[S -> T]`,
//! `[a: S, b: T]`, `S \X T`, `a..b`. Each is guarded: a set with more than `MAX_SET_SIZE`
//! elements is an error rather than an out-of-memory crash.

use super::EvalError;
use crate::ir::Loc;
use crate::value::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The largest set the evaluator builds (2^20 elements).
pub const MAX_SET_SIZE: u128 = 1 << 20;

fn too_large(what: &str, size: u128, loc: Loc) -> EvalError {
    EvalError::new(
        format!(
            "{what} would have {size} elements, more than the {MAX_SET_SIZE} the evaluator builds"
        ),
        loc,
    )
}

/// Checks that a set of `size` elements may be built. Sizes saturate, so huge ones stay huge.
fn guard(what: &str, size: u128, loc: Loc) -> Result<(), EvalError> {
    if size > MAX_SET_SIZE {
        Err(too_large(what, size, loc))
    } else {
        Ok(())
    }
}

/// `a..b`
pub fn range(low: i64, high: i64, loc: Loc) -> Result<BTreeSet<Value>, EvalError> {
    if high < low {
        return Ok(BTreeSet::new());
    }
    let size = (high as i128 - low as i128 + 1) as u128;
    guard(&format!("{low}..{high}"), size, loc)?;
    Ok((low..=high).map(Value::Int).collect())
}

/// `SUBSET S`
pub fn powerset(set: &BTreeSet<Value>, loc: Loc) -> Result<BTreeSet<Value>, EvalError> {
    let size = if set.len() >= 127 {
        u128::MAX
    } else {
        1u128 << set.len()
    };
    guard("SUBSET of a set", size, loc)?;
    let items: Vec<&Value> = set.iter().collect();
    let mut subsets = BTreeSet::new();
    for mask in 0..(1usize << items.len()) {
        let subset = items
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, v)| (*v).clone())
            .collect();
        subsets.insert(Value::Set(subset));
    }
    Ok(subsets)
}

/// All maps that send each key `keys[i]` to an element of `choices[i]`: the common core of
/// `[S -> T]`, `[a: S, b: T]` and `S \X T`.
fn all_maps(
    what: &str,
    keys: &[Value],
    choices: &[&BTreeSet<Value>],
    loc: Loc,
) -> Result<BTreeSet<Value>, EvalError> {
    let size = choices
        .iter()
        .fold(1u128, |n, c| n.saturating_mul(c.len() as u128));
    guard(what, size, loc)?;
    let mut maps = vec![BTreeMap::new()];
    for (key, choice) in keys.iter().zip(choices) {
        let mut extended = Vec::with_capacity(maps.len() * choice.len());
        for map in &maps {
            for value in choice.iter() {
                let mut bigger = map.clone();
                bigger.insert(key.clone(), value.clone());
                extended.push(bigger);
            }
        }
        maps = extended;
    }
    Ok(maps.into_iter().map(Value::Fn).collect())
}

/// `[S -> T]`
pub fn functions(
    domain: &BTreeSet<Value>,
    range: &BTreeSet<Value>,
    loc: Loc,
) -> Result<BTreeSet<Value>, EvalError> {
    let keys: Vec<Value> = domain.iter().cloned().collect();
    let choices = vec![range; keys.len()];
    all_maps("a set of functions [S -> T]", &keys, &choices, loc)
}

/// `[a: S, b: T]`
pub fn records(
    fields: &[(String, BTreeSet<Value>)],
    loc: Loc,
) -> Result<BTreeSet<Value>, EvalError> {
    let keys: Vec<Value> = fields
        .iter()
        .map(|(name, _)| Value::Str(name.clone()))
        .collect();
    let choices: Vec<&BTreeSet<Value>> = fields.iter().map(|(_, set)| set).collect();
    all_maps("a set of records", &keys, &choices, loc)
}

/// `S1 \X S2 \X ...`
pub fn product(sets: &[BTreeSet<Value>], loc: Loc) -> Result<BTreeSet<Value>, EvalError> {
    let keys: Vec<Value> = (1..=sets.len() as i64).map(Value::Int).collect();
    let choices: Vec<&BTreeSet<Value>> = sets.iter().collect();
    all_maps("a Cartesian product", &keys, &choices, loc)
}
