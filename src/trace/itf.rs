//! The Informal Trace Format (ITF) of Apalache's ADR-015, read by Apalache, Quint and their
//! tooling (`https://apalache-mc.org/docs/adr/015adr-trace.html`).
//!
//! A `Value` does not know whether it is a record, a tuple, a sequence or a function (in TLA+
//! they are all functions), but ITF writes each differently, so the encoding follows the
//! variable's `Type`:
//!
//! | type        | ITF                                     |
//! |-------------|-----------------------------------------|
//! | `Int`       | `{"#bigint": "123"}`, always            |
//! | `Bool`      | `true` / `false`                        |
//! | `Str`       | `"text"`                                |
//! | model value | its name, `"c1"`                        |
//! | `Set(T)`    | `{"#set": [...]}`                       |
//! | `T -> U`    | `{"#map": [[key, value], ...]}`         |
//! | record      | a JSON object of its fields             |
//! | tuple       | `{"#tup": [...]}`                       |
//! | `Seq(T)`    | a JSON array                            |
//!
//! Choices the ADR leaves open:
//!
//! * Integers are always `#bigint`. The ADR allows plain JSON numbers only in
//!   `[-(2^53)+1, 2^53-1]` and `#bigint` for every integer; using it for all of them gives one
//!   shape per type, which is what typed readers (Quint, the `itf` crate) expect.
//! * Model values are their names as plain strings, and their type in `varTypes` is `Str`.
//!   Apalache spells uninterpreted values `"c1_OF_T"`, but our model values have one sort
//!   and TLC users know them as `c1`; read as strings they keep the only property they have,
//!   being distinct from each other.
//! * Where a value's shape disagrees with its type (or no type is known), the value is
//!   encoded by its shape alone: a function from strings as a record, any other function as a
//!   `#map`. Nothing is ever refused.

use super::action_label;
use crate::ir::{Behaviour, Spec, Step};
use crate::types::{Type, Types};
use crate::value::Value;
use serde_json::{json, Map, Value as Json};
use std::collections::BTreeMap;

const FORMAT_DESCRIPTION: &str = "https://apalache-mc.org/docs/adr/015adr-trace.html";

/// The behaviour in ITF: `#meta` (with `varTypes` in Apalache's type syntax, so Apalache can
/// read the trace back), `vars` in declaration order, one object per state whose `#meta`
/// holds its `index` and, after the first, the `action` that reached it (as in the text
/// listing, `Acquire(c1)`), and `loop` for a lasso.
pub fn itf(spec: &Spec, types: &Types, behaviour: &Behaviour) -> Json {
    let names: Vec<&str> = spec.vars.iter().map(|v| v.name.as_str()).collect();
    let states: Vec<Json> = behaviour
        .steps
        .iter()
        .enumerate()
        .map(|(index, step)| state(spec, types, index, step))
        .collect();
    let mut trace = Map::new();
    trace.insert("#meta".into(), trace_meta(spec, types));
    trace.insert("vars".into(), json!(names));
    trace.insert("states".into(), Json::Array(states));
    if let Some(loop_start) = behaviour.loop_start {
        trace.insert("loop".into(), json!(loop_start));
    }
    Json::Object(trace)
}

fn trace_meta(spec: &Spec, types: &Types) -> Json {
    let var_types: Map<String, Json> = spec
        .vars
        .iter()
        .zip(&types.vars)
        .map(|(variable, ty)| (variable.name.clone(), Json::String(apalache_type(ty))))
        .collect();
    json!({
        "format": "ITF",
        "format-description": FORMAT_DESCRIPTION,
        "source": format!("{}.tla", spec.module),
        "description": "Created by smtcheck",
        "varTypes": var_types,
    })
}

fn state(spec: &Spec, types: &Types, index: usize, step: &Step) -> Json {
    let mut meta = Map::new();
    meta.insert("index".into(), json!(index));
    if let Some(action) = &step.action {
        meta.insert("action".into(), Json::String(action_label(spec, action)));
    }
    let mut object = Map::new();
    object.insert("#meta".into(), Json::Object(meta));
    for (id, (variable, value)) in spec.vars.iter().zip(&step.state).enumerate() {
        object.insert(variable.name.clone(), encode(value, types.vars.get(id)));
    }
    Json::Object(object)
}

/// A value in ITF, shaped by its type when it has one that fits (see the module comment).
fn encode(value: &Value, ty: Option<&Type>) -> Json {
    match value {
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(n) => json!({ "#bigint": n.to_string() }),
        Value::Str(s) | Value::ModelValue(s) => Json::String(s.clone()),
        Value::Set(items) => {
            let element = match ty {
                Some(Type::Set(element)) => Some(&**element),
                _ => None,
            };
            json!({ "#set": items.iter().map(|item| encode(item, element)).collect::<Vec<_>>() })
        }
        Value::Fn(map) => encode_function(value, map, ty),
    }
}

/// Records, tuples, sequences and functions are all `Value::Fn`; the type says which.
fn encode_function(value: &Value, map: &BTreeMap<Value, Value>, ty: Option<&Type>) -> Json {
    let typed = match ty {
        Some(Type::Record(fields)) => encode_record(value, Some(fields)),
        Some(Type::Tuple(items)) => encode_tuple(value, items),
        Some(Type::Seq(element)) => encode_sequence(value, element),
        Some(Type::Fn(domain, range)) => Some(encode_map(map, Some(domain), Some(range))),
        _ => None,
    };
    typed
        .or_else(|| encode_record(value, None))
        .unwrap_or_else(|| encode_map(map, None, None))
}

/// `{"field": value, ...}`, when every key is a string. Without field types (`fields` is
/// `None`) the empty function is not taken for a record: there are no empty records in TLA+.
fn encode_record(value: &Value, fields: Option<&BTreeMap<String, Type>>) -> Option<Json> {
    let entries = match (value.as_record(), fields) {
        (Some(entries), _) => entries,
        (None, Some(_)) if matches!(value, Value::Fn(map) if map.is_empty()) => Vec::new(),
        (None, _) => return None,
    };
    let object = entries
        .into_iter()
        .map(|(name, field)| {
            let field_type = fields.and_then(|fields| fields.get(name));
            (name.to_string(), encode(field, field_type))
        })
        .collect();
    Some(Json::Object(object))
}

/// `{"#tup": [...]}`, when the function's domain is `1..n`.
fn encode_tuple(value: &Value, types: &[Type]) -> Option<Json> {
    let items = value.as_sequence()?;
    let encoded: Vec<Json> = items
        .into_iter()
        .enumerate()
        .map(|(i, item)| encode(item, types.get(i)))
        .collect();
    Some(json!({ "#tup": encoded }))
}

/// A JSON array, when the function's domain is `1..n`.
fn encode_sequence(value: &Value, element: &Type) -> Option<Json> {
    let items = value.as_sequence()?;
    Some(Json::Array(
        items
            .into_iter()
            .map(|item| encode(item, Some(element)))
            .collect(),
    ))
}

/// `{"#map": [[key, value], ...]}`: any function, keys in `Value`'s order.
fn encode_map(map: &BTreeMap<Value, Value>, domain: Option<&Type>, range: Option<&Type>) -> Json {
    let pairs: Vec<Json> = map
        .iter()
        .map(|(key, value)| json!([encode(key, domain), encode(value, range)]))
        .collect();
    json!({ "#map": pairs })
}

/// A type in Apalache's syntax (its ADR-002), as ITF's `varTypes` wants: `Int`, `Bool`,
/// `Str`, `Set(Int)`, `Seq(Str)`, `<<Int, Bool>>`, `{ a: Int, b: Str }`, `Str -> Set(Int)`.
/// Model values are `Str`, matching how they are encoded (see the module comment).
pub fn apalache_type(ty: &Type) -> String {
    match ty {
        Type::Bool => "Bool".to_string(),
        Type::Int => "Int".to_string(),
        Type::Str | Type::ModelValue => "Str".to_string(),
        Type::Set(element) => format!("Set({})", apalache_type(element)),
        Type::Seq(element) => format!("Seq({})", apalache_type(element)),
        Type::Fn(domain, range) => format!("{} -> {}", arrow_side(domain), arrow_side(range)),
        Type::Tuple(items) => {
            let items: Vec<String> = items.iter().map(apalache_type).collect();
            format!("<<{}>>", items.join(", "))
        }
        Type::Record(fields) if fields.is_empty() => "{}".to_string(),
        Type::Record(fields) => {
            let fields: Vec<String> = fields
                .iter()
                .map(|(name, ty)| format!("{name}: {}", apalache_type(ty)))
                .collect();
            format!("{{ {} }}", fields.join(", "))
        }
    }
}

/// A side of `->`: a function type there is parenthesized, so nesting is never ambiguous.
fn arrow_side(ty: &Type) -> String {
    match ty {
        Type::Fn(..) => format!("({})", apalache_type(ty)),
        _ => apalache_type(ty),
    }
}
