//! Reading values back from a Z3 model.
//!
//! Scalars are read from the model's numerals and literals. A set is the list of its members:
//! for an element type with a small universe (booleans, model values, small tuples/records of
//! them) each value is tested; otherwise the candidates are the element-sorted values the
//! model's array term mentions (the indices of a `store` chain, the entries of an `as-array`
//! function's interpretation; for a lambda, the values of the model's constants of that sort),
//! each then tested. A set whose
//! array is true outside those candidates is infinite, and reported as such. Functions are read
//! through their domain, sequences through their length, records and tuples field by field
//! (the fields a record has: its absent optional fields are not shown). A value of a type mixed
//! with model values is read as the model value or the value its constructor holds.

use super::encode::{Encoder, EXPANSION_LIMIT};
use crate::types::Type;
use crate::value::Value;
use std::collections::{BTreeMap, BTreeSet};
use z3::ast::{Array, Ast, Dynamic, Int};
use z3::{AstKind, Model, Sort};

/// The longest sequence a counterexample may show.
const MAX_SEQUENCE: i64 = 10_000;

pub type DecodeResult<T> = std::result::Result<T, String>;

impl Encoder<'_> {
    /// The values of the state variables at `step` in `model`.
    pub fn decode_state(&mut self, model: &Model, step: usize) -> DecodeResult<Vec<Value>> {
        let state = self.state(step);
        let types = self.types.vars.clone();
        state
            .iter()
            .zip(&types)
            .map(|(term, ty)| self.decode(model, term, ty))
            .collect()
    }

    /// The value of `term` (of type `ty`) in `model`.
    pub fn decode(&mut self, model: &Model, term: &Dynamic, ty: &Type) -> DecodeResult<Value> {
        let mut value =
            evaluate(model, term).ok_or_else(|| format!("the model has no value for {term}"))?;
        if self.sorts.is_mixed(ty) {
            let plain = self.sorts.is_plain(ty, &value);
            if model.eval(&plain, true).and_then(|b| b.as_bool()) == Some(false) {
                let inside = self.sorts.model_value_inside(ty, &value);
                let inside = model.eval(&inside, true).unwrap_or(inside);
                return self.decode_model_value(model, &inside);
            }
            let inside = self.sorts.unwrap(ty, &value);
            value = evaluate(model, &inside).unwrap_or(inside);
        }
        // Parts are read from `term`, not from its evaluated `value`: evaluating that again
        // completes its `as-array` functions afresh (see `evaluate`). Which elements a set
        // may hold is still read from `value`, where those functions are `store` chains.
        let source = self.sorts.unwrap(ty, term);
        match ty {
            Type::Bool => value
                .as_bool()
                .and_then(|b| b.as_bool())
                .map(Value::Bool)
                .ok_or_else(|| not_a("boolean", &value)),
            Type::Int => plain_int(&value).map(Value::Int),
            Type::Str => self
                .sorts
                .string_value(&value)
                .map(Value::Str)
                .ok_or_else(|| not_a("string", &value)),
            Type::ModelValue => self.decode_model_value(model, &value),
            Type::Set(elem) => {
                let shape = value.as_array().ok_or_else(|| not_a("set", &value))?;
                let array = source.as_array().ok_or_else(|| not_a("set", &value))?;
                let members = self.members(model, &shape, &array, elem)?;
                Ok(Value::Set(members.into_iter().collect()))
            }
            Type::Fn(a, b) => {
                let shape = self.sorts.field(ty, &value, 0).and_then(|d| d.as_array());
                let dom = self.sorts.field(ty, &source, 0).and_then(|d| d.as_array());
                let map = self.sorts.field(ty, &source, 1).and_then(|m| m.as_array());
                let (Some(shape), Some(dom), Some(map)) = (shape, dom, map) else {
                    return Err(not_a("function", &value));
                };
                let mut function = BTreeMap::new();
                for key_term in self.member_terms(model, &shape, &dom, a)? {
                    let key = self.decode(model, &key_term, a)?;
                    function.insert(key, self.decode(model, &map.select(&key_term), b)?);
                }
                Ok(Value::Fn(function))
            }
            Type::Seq(elem) => {
                let len = self
                    .sorts
                    .field(ty, &source, 0)
                    .ok_or_else(|| not_a("sequence", &value))?;
                let len = evaluate(model, &len).unwrap_or(len);
                let len = plain_int(&len)?;
                if len > MAX_SEQUENCE {
                    return Err(format!("a sequence of length {len} is too long to show"));
                }
                let elems = self.sorts.field(ty, &source, 1).and_then(|e| e.as_array());
                let elems = elems.ok_or_else(|| not_a("sequence", &value))?;
                let mut items = Vec::new();
                for i in 1..=len.max(0) {
                    items.push(self.decode(model, &elems.select(&Int::from_i64(i)), elem)?);
                }
                Ok(Value::tuple(items))
            }
            Type::Record(fields) => {
                let mut record = Vec::new();
                for (i, (name, field_ty)) in fields.iter().enumerate() {
                    let present = self.sorts.has_field(ty, &source, name);
                    let present = present.and_then(|p| model.eval(&p, true));
                    if present.and_then(|p| p.as_bool()) == Some(false) {
                        continue;
                    }
                    let field = self
                        .sorts
                        .field(ty, &source, i)
                        .ok_or_else(|| not_a("record", &value))?;
                    record.push((name.clone(), self.decode(model, &field, field_ty)?));
                }
                Ok(Value::record(record))
            }
            Type::Tuple(items) => {
                let mut tuple = Vec::new();
                for (i, item_ty) in items.iter().enumerate() {
                    let item = self
                        .sorts
                        .field(ty, &source, i)
                        .ok_or_else(|| not_a("tuple", &value))?;
                    tuple.push(self.decode(model, &item, item_ty)?);
                }
                Ok(Value::tuple(tuple))
            }
        }
    }

    /// The values of the constants in `model`, indexed by `ConstId`: those the config fixed,
    /// and those left symbolic as the model chose them (`None` for a constant the config
    /// replaces by a definition: it is never used).
    pub fn decode_constants(&mut self, model: &Model) -> DecodeResult<Vec<Option<Value>>> {
        let spec = self.spec;
        let mut values = Vec::new();
        for (index, constant) in spec.constants.iter().enumerate() {
            if !constant.is_symbolic() {
                values.push(constant.value.clone());
                continue;
            }
            let ty = self.types.consts.get(index).cloned();
            let ty = ty.ok_or_else(|| format!("the constant {} has no type", constant.name))?;
            let term = self
                .constant(crate::ir::ConstId(index))
                .map_err(|d| d.message)?;
            values.push(Some(self.decode(model, &term, &ty)?));
        }
        Ok(values)
    }

    /// The term of constant `id`, for an engine that constrains the values it decodes.
    pub fn constant_term(&mut self, id: crate::ir::ConstId) -> super::Result<Dynamic> {
        self.constant(id)
    }

    /// A model value: the named one the model makes it equal to, else (in an open sort) an
    /// anonymous one named after its place among the model's other elements, `mv1`, `mv2`...
    fn decode_model_value(&mut self, model: &Model, value: &Dynamic) -> DecodeResult<Value> {
        let named: Vec<(String, Dynamic)> = self
            .sorts
            .model_values()
            .filter_map(|(name, constant)| Some((name.to_string(), model.eval(constant, true)?)))
            .collect();
        if let Some((name, _)) = named.iter().find(|(_, element)| element.ast_eq(value)) {
            return Ok(Value::ModelValue(name.clone()));
        }
        if !self.sorts.model_values_open() {
            return Err(not_a("model value", value));
        }
        let universe = self.model_value_universe(model);
        let anonymous = universe
            .iter()
            .filter(|element| !named.iter().any(|(_, n)| n.ast_eq(*element)));
        let position = anonymous
            .into_iter()
            .position(|element| element.ast_eq(value));
        let position = position.ok_or_else(|| not_a("model value", value))?;
        let mut name = format!("mv{}", position + 1);
        while self.sorts.model_value(&name).is_some() {
            name.push('_');
        }
        Ok(Value::ModelValue(name))
    }

    /// The elements of the open model-value sort in `model` (none for an enumeration).
    fn model_value_universe(&self, model: &Model) -> Vec<Dynamic> {
        if !self.sorts.model_values_open() {
            return Vec::new();
        }
        let sort = self.sorts.model_value_sort();
        model
            .get_sort_universe(sort)
            .map(|vector| vector.iter().collect())
            .unwrap_or_default()
    }

    /// The decoded members of a set, in the order of `member_terms`.
    fn members(
        &mut self,
        model: &Model,
        shape: &Array,
        set: &Array,
        elem: &Type,
    ) -> DecodeResult<Vec<Value>> {
        let terms = self.member_terms(model, shape, set, elem)?;
        terms.iter().map(|t| self.decode(model, t, elem)).collect()
    }

    /// The members of `set` as model values (terms), deduplicated; the candidates are read
    /// from `shape`, the set as evaluated.
    fn member_terms(
        &mut self,
        model: &Model,
        shape: &Array,
        set: &Array,
        elem: &Type,
    ) -> DecodeResult<Vec<Dynamic>> {
        let candidates = match self.sorts.universe(elem, EXPANSION_LIMIT) {
            Some(universe) => universe,
            // The model's universe of the open sort is finite: every element is a candidate.
            None if *elem == Type::ModelValue => self.model_value_universe(model),
            None => {
                let evaluated = model
                    .eval(shape, true)
                    .ok_or_else(|| format!("the model has no value for {shape}"))?;
                if is_true_outside(model, &evaluated) {
                    return Err(format!("the set {evaluated} is infinite"));
                }
                let sort = self.sorts.sort(elem);
                let mut found = Vec::new();
                collect_values(model, &Dynamic::from_ast(&evaluated), &sort, &mut found, 0);
                // A lambda's body is out of reach, but applying it to a constant the model
                // does not interpret, without model completion, gives the body as a term:
                // its values are candidates. So are the values of the model's constants of
                // the sort and, for integers, the runs of members around them (a symbolic
                // `0..N-1` is a lambda whose members no constant names).
                if evaluated.kind() == AstKind::Quantifier {
                    // Fresh each time: decoding completes the model with a value for it.
                    let probe = self.fresh_const("decode!probe", &sort);
                    if let Some(body) = model.eval(&evaluated.select(&probe), false) {
                        collect_values(model, &body, &sort, &mut found, 0);
                    }
                    found.extend(constant_values(model, &sort));
                    if *elem == Type::Int {
                        found = self.integer_runs(model, set, &found)?;
                    }
                    if self.sorts.is_mixed(elem) {
                        let named: Vec<Dynamic> =
                            self.sorts.model_values().map(|(_, c)| c.clone()).collect();
                        for model_value in named {
                            found.push(self.sorts.mixed_model_value(elem, &model_value));
                        }
                    }
                }
                found
            }
        };
        let mut seen = BTreeSet::new();
        let mut members = Vec::new();
        for candidate in candidates {
            let inside = evaluate(model, &set.select(&candidate));
            if inside.and_then(|b| b.as_bool()).and_then(|b| b.as_bool()) == Some(true) {
                let value = model.eval(&candidate, true).unwrap_or(candidate);
                if seen.insert(value.to_string()) {
                    members.push(value);
                }
            }
        }
        Ok(members)
    }

    /// The members of an integer set in the runs of consecutive members that contain the
    /// seeds (and 0 and 1, where ranges usually start).
    fn integer_runs(
        &mut self,
        model: &Model,
        set: &Array,
        seeds: &[Dynamic],
    ) -> DecodeResult<Vec<Dynamic>> {
        let starts: Vec<i64> = seeds
            .iter()
            .filter_map(|seed| {
                let inside = self.sorts.unwrap(&Type::Int, seed);
                model.eval(&inside, true)?.as_int()?.as_i64()
            })
            .collect();
        let mut is_member = |i: i64| {
            let element = self.sorts.int(&Int::from_i64(i));
            let inside = evaluate(model, &set.select(&element));
            inside.and_then(|b| b.as_bool()).and_then(|b| b.as_bool()) == Some(true)
        };
        let mut members = BTreeSet::new();
        for start in starts.into_iter().chain([0, 1]) {
            if members.contains(&start) || !is_member(start) {
                continue;
            }
            for direction in [-1i64, 1] {
                let mut i = start;
                while is_member(i) {
                    if members.len() as i64 > MAX_SEQUENCE {
                        return Err(format!(
                            "a set of more than {MAX_SEQUENCE} integers is too large to show"
                        ));
                    }
                    members.insert(i);
                    i = i.checked_add(direction).ok_or("integer overflow")?;
                }
            }
        }
        Ok(members
            .into_iter()
            .map(|i| self.sorts.int(&Int::from_i64(i)))
            .collect())
    }
}

/// The value of `term` in `model`. A boolean or integer is read without model completion
/// when that gives one: Z3 4.8 completes an `as-array` function whose `else` depends on its
/// argument (as MBQI's models' do, through a projection) by evaluating that `else` at some
/// arbitrary argument, which changes the function outside its entries — a set `{mv1}` could
/// read as holding every other element, one the solver was told it lacks among them.
fn evaluate(model: &Model, term: &Dynamic) -> Option<Dynamic> {
    let partial = model.eval(term, false).filter(|value| {
        value.as_bool().and_then(|b| b.as_bool()).is_some()
            || value.as_int().and_then(|i| i.as_i64()).is_some()
    });
    partial.or_else(|| model.eval(term, true))
}

fn not_a(what: &str, value: &Dynamic) -> String {
    format!("expected a {what} in the model, found {value}")
}

/// A 64-bit integer from an evaluated integer term.
fn plain_int(value: &Dynamic) -> DecodeResult<i64> {
    value
        .as_int()
        .and_then(|i| i.as_i64())
        .ok_or_else(|| not_a("64-bit integer", value))
}

/// Whether an evaluated array is `true` by default (a constant array of `true` at the bottom
/// of its store chain).
fn is_true_outside(model: &Model, array: &Array) -> bool {
    let mut current = Dynamic::from_ast(array);
    loop {
        if current.is_app() && current.decl().kind() == z3::DeclKind::Store {
            match current.nth_child(0) {
                Some(inner) => current = inner,
                None => return false,
            }
            continue;
        }
        if current.is_app() && current.decl().kind() == z3::DeclKind::ConstArray {
            let default = current.nth_child(0).and_then(|d| model.eval(&d, true));
            return default.and_then(|d| d.as_bool()).and_then(|b| b.as_bool()) == Some(true);
        }
        return false;
    }
}

/// Collects the ground value subterms of sort `sort` of an evaluated term (and of the
/// interpretation of any `as-array` function in it).
fn collect_values(
    model: &Model,
    term: &Dynamic,
    sort: &Sort,
    found: &mut Vec<Dynamic>,
    depth: usize,
) {
    if depth > 64 || found.len() > EXPANSION_LIMIT {
        return;
    }
    if term.get_sort() == *sort && matches!(term.kind(), AstKind::Numeral | AstKind::App) {
        if let Some(value) = model.eval(term, true) {
            found.push(value);
        }
    }
    if let Some(array) = term.as_array() {
        if let Some(decl) = array.as_array_func_decl() {
            if let Some(interp) = model.get_func_interp(&decl) {
                for entry in interp.get_entries() {
                    for arg in entry.get_args() {
                        collect_values(model, &arg, sort, found, depth + 1);
                    }
                }
            }
        }
    }
    if term.is_app() {
        for child in term.children() {
            collect_values(model, &child, sort, found, depth + 1);
        }
    }
}

/// The values of the model's constants of sort `sort`.
fn constant_values(model: &Model, sort: &Sort) -> Vec<Dynamic> {
    let mut values = Vec::new();
    for decl in model.iter() {
        if decl.arity() != 0 {
            continue;
        }
        let constant = decl.apply(&[]);
        if constant.get_sort() == *sort {
            values.extend(model.eval(&constant, true));
        }
    }
    values
}
