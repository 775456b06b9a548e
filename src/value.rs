//! Concrete TLA+ values: what constants are bound to, what states hold, and what the solver's
//! models are decoded into.
//!
//! TLA+ has one kind of function: a record is a function from field names (strings) and a
//! tuple or sequence a function from `1..n`. `Value` follows the language, so two values are
//! equal exactly when TLA+ says they are (`<<1, 2>> = [i \in 1..2 |-> i]` holds). Printing picks
//! the most specific notation the domain allows.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Str(String),
    /// A TLC model value: equal only to itself, comparable only by `=`.
    ModelValue(String),
    Set(BTreeSet<Value>),
    Fn(BTreeMap<Value, Value>),
}

impl Value {
    /// This value with each model value that `rename` gives a new name renamed, in sets and
    /// functions too; the other model values are kept.
    pub fn with_model_values_renamed<'n>(&self, rename: &dyn Fn(&str) -> Option<&'n str>) -> Value {
        let renamed = |value: &Value| value.with_model_values_renamed(rename);
        match self {
            Value::ModelValue(name) => Value::ModelValue(rename(name).unwrap_or(name).to_string()),
            Value::Set(items) => Value::Set(items.iter().map(renamed).collect()),
            Value::Fn(map) => {
                Value::Fn(map.iter().map(|(k, v)| (renamed(k), renamed(v))).collect())
            }
            Value::Bool(_) | Value::Int(_) | Value::Str(_) => self.clone(),
        }
    }

    pub fn set(items: impl IntoIterator<Item = Value>) -> Value {
        Value::Set(items.into_iter().collect())
    }

    /// `<<a, b, ...>>`: the function from `1..n`.
    pub fn tuple(items: impl IntoIterator<Item = Value>) -> Value {
        Value::Fn(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Value::Int(i as i64 + 1), v))
                .collect(),
        )
    }

    /// `[a |-> x, b |-> y]`: the function from field names.
    pub fn record<S: Into<String>>(fields: impl IntoIterator<Item = (S, Value)>) -> Value {
        Value::Fn(
            fields
                .into_iter()
                .map(|(k, v)| (Value::Str(k.into()), v))
                .collect(),
        )
    }

    /// The elements of a tuple or sequence, when this is a function with domain `1..n`.
    pub fn as_sequence(&self) -> Option<Vec<&Value>> {
        match self {
            Value::Fn(map) => {
                let in_order = map
                    .keys()
                    .enumerate()
                    .all(|(i, k)| *k == Value::Int(i as i64 + 1));
                in_order.then(|| map.values().collect())
            }
            _ => None,
        }
    }

    /// The fields of a record, when this is a non-empty function from strings.
    pub fn as_record(&self) -> Option<Vec<(&str, &Value)>> {
        match self {
            Value::Fn(map) if !map.is_empty() => map
                .iter()
                .map(|(k, v)| match k {
                    Value::Str(name) => Some((name.as_str(), v)),
                    _ => None,
                })
                .collect(),
            _ => None,
        }
    }
}

/// TLA+ notation, as TLC prints values.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(true) => write!(f, "TRUE"),
            Value::Bool(false) => write!(f, "FALSE"),
            Value::Int(n) => write!(f, "{n}"),
            Value::Str(s) => write!(f, "{s:?}"),
            Value::ModelValue(name) => write!(f, "{name}"),
            Value::Set(items) => {
                write!(f, "{{")?;
                write_list(f, items.iter())?;
                write!(f, "}}")
            }
            Value::Fn(map) => {
                if let Some(items) = self.as_sequence() {
                    write!(f, "<<")?;
                    write_list(f, items.into_iter())?;
                    write!(f, ">>")
                } else if let Some(fields) = self.as_record() {
                    write!(f, "[")?;
                    for (i, (name, value)) in fields.iter().enumerate() {
                        let sep = if i == 0 { "" } else { ", " };
                        write!(f, "{sep}{name} |-> {value}")?;
                    }
                    write!(f, "]")
                } else {
                    write!(f, "(")?;
                    for (i, (key, value)) in map.iter().enumerate() {
                        let sep = if i == 0 { "" } else { " @@ " };
                        write!(f, "{sep}{key} :> {value}")?;
                    }
                    write!(f, ")")
                }
            }
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

fn write_list<'a>(
    f: &mut fmt::Formatter<'_>,
    items: impl Iterator<Item = &'a Value>,
) -> fmt::Result {
    for (i, item) in items.enumerate() {
        if i > 0 {
            write!(f, ", ")?;
        }
        write!(f, "{item}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tuples_are_functions_from_one_to_n() {
        let tuple = Value::tuple([Value::Int(7), Value::Bool(true)]);
        let function = Value::Fn(BTreeMap::from([
            (Value::Int(1), Value::Int(7)),
            (Value::Int(2), Value::Bool(true)),
        ]));
        assert_eq!(tuple, function);
        assert_eq!(tuple.to_string(), "<<7, TRUE>>");
    }

    #[test]
    fn prints_in_tla_notation() {
        let record = Value::record([("b", Value::Str("x".into())), ("a", Value::Int(1))]);
        assert_eq!(record.to_string(), "[a |-> 1, b |-> \"x\"]");
        let set = Value::set([
            Value::ModelValue("n2".into()),
            Value::ModelValue("n1".into()),
        ]);
        assert_eq!(set.to_string(), "{n1, n2}");
        let function = Value::Fn(BTreeMap::from([(
            Value::ModelValue("n1".into()),
            Value::Int(0),
        )]));
        assert_eq!(function.to_string(), "(n1 :> 0)");
        assert_eq!(Value::tuple([]).to_string(), "<<>>");
    }
}
