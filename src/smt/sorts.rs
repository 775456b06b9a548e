//! SMT sorts for TLA+ types, with each sort's canonical default value and, for types with few
//! values, the list of all of them.
//!
//! | TLA+ type | Z3 sort |
//! |---|---|
//! | `BOOLEAN`, `Int` | `Bool`, `Int` |
//! | strings | Z3 `String` (strings are only compared, and a symbolic constant of type string can take any value, which an enumeration of the spec's literals could not express) |
//! | model values | one enumeration datatype `ModelValue` of every model value the spec mentions; when a symbolic constant's type involves model values, an uninterpreted sort `ModelValue` instead (see `Sorts::new`) |
//! | `Set(T)` | `Array(T, Bool)` |
//! | `Fn(A, B)` | a datatype `FnN = mk(dom: Array(A, Bool), map: Array(A, B))` |
//! | `Seq(T)` | a datatype `SeqN = mk(len: Int, elems: Array(Int, T))` |
//! | records, tuples | one datatype per distinct type, fields in name (or index) order |
//!
//! Functions and sequences are *normalised*: outside the domain (`1..len` for sequences) the
//! array holds the default value of its range. Every constructor in `encode` keeps this so, and
//! every fresh value (state variables, Skolem constants) is built normalised from its constant
//! (see `normal`). Two normalised terms are then equal exactly when the TLA+ values are, so
//! TLA+ equality is plain SMT equality, with no quantifier.

use crate::ir::Spec;
use crate::types::{Type, Types};
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;
use z3::ast::{Array, Ast, Bool, Dynamic, Int};
use z3::{DatatypeAccessor, DatatypeBuilder, DatatypeSort, Sort, Symbol};

/// The name of the one model value of a spec that has none (an enumeration needs one).
const NO_MODEL_VALUE: &str = "mv!none";

pub struct Sorts {
    model_values: Vec<String>,
    /// Whether the model-value sort is uninterpreted: it has values besides the named ones.
    open: bool,
    model_value_sort: Sort,
    model_value_consts: Vec<Dynamic>,
    /// The canonical model value (see `default_value`).
    default_model_value: Dynamic,
    datatypes: HashMap<Type, Rc<DatatypeSort>>,
    next_datatype: usize,
}

impl Sorts {
    /// Sorts for a spec whose model values are `model_values`.
    ///
    /// With `open` false the model values are an enumeration: exactly the named ones. That is
    /// right when every constant has a value, since no other model value can then occur. A
    /// symbolic constant such as a set `Node` of model values may hold any number of them, so
    /// with `open` the sort is uninterpreted and the named model values are constants in it,
    /// distinct by `distinct_model_values`; bounding the sort by the named ones would bound
    /// the size of `Node`, and a proof would then hold only for small sets.
    pub fn new(model_values: BTreeSet<String>, open: bool) -> Sorts {
        let mut names: Vec<String> = model_values.into_iter().collect();
        let (sort, model_value_consts, default_model_value) = if open {
            let sort = Sort::uninterpreted(Symbol::String("ModelValue".into()));
            let consts = names
                .iter()
                .map(|name| Dynamic::new_const(format!("mv!{name}"), &sort))
                .collect();
            // Any fixed element will do as the default; it need not differ from the others.
            let default = Dynamic::new_const("mv!default", &sort);
            (sort, consts, default)
        } else {
            if names.is_empty() {
                names.push(NO_MODEL_VALUE.to_string());
            }
            let symbols: Vec<Symbol> = names.iter().map(|n| Symbol::String(n.clone())).collect();
            let (sort, consts, _testers) =
                Sort::enumeration(Symbol::String("ModelValue".into()), &symbols);
            let consts: Vec<Dynamic> = consts.iter().map(|c| c.apply(&[])).collect();
            let default = consts[0].clone();
            (sort, consts, default)
        };
        Sorts {
            model_values: names,
            open,
            model_value_sort: sort,
            model_value_consts,
            default_model_value,
            datatypes: HashMap::new(),
            next_datatype: 0,
        }
    }

    /// That the named model values are distinct, when it needs saying (an enumeration's
    /// values are distinct by construction).
    pub fn distinct_model_values(&self) -> Option<Bool> {
        (self.open && self.model_value_consts.len() > 1)
            .then(|| Dynamic::distinct(&self.model_value_consts))
    }

    /// Whether the model-value sort has values besides the named ones.
    pub fn model_values_open(&self) -> bool {
        self.open
    }

    /// The sort of model values.
    pub fn model_value_sort(&self) -> &Sort {
        &self.model_value_sort
    }

    /// The term for the model value `name`, if the spec mentions it.
    pub fn model_value(&self, name: &str) -> Option<Dynamic> {
        let index = self.model_values.iter().position(|n| n == name)?;
        self.model_value_consts.get(index).cloned()
    }

    /// The model values with their terms, for decoding.
    pub fn model_values(&self) -> impl Iterator<Item = (&str, &Dynamic)> {
        self.model_values
            .iter()
            .map(String::as_str)
            .zip(self.model_value_consts.iter())
    }

    pub fn sort(&mut self, ty: &Type) -> Sort {
        match ty {
            Type::Bool => Sort::bool(),
            Type::Int => Sort::int(),
            Type::Str => Sort::string(),
            Type::ModelValue => self.model_value_sort.clone(),
            Type::Set(elem) => {
                let elem = self.sort(elem);
                Sort::array(&elem, &Sort::bool())
            }
            Type::Fn(..) | Type::Seq(_) | Type::Record(_) | Type::Tuple(_) => {
                self.datatype(ty).sort.clone()
            }
        }
    }

    /// The datatype of a function, sequence, record or tuple type (one constructor; its
    /// accessors in the order the module comment gives).
    pub fn datatype(&mut self, ty: &Type) -> Rc<DatatypeSort> {
        if let Some(found) = self.datatypes.get(ty) {
            return found.clone();
        }
        let n = self.next_datatype;
        self.next_datatype += 1;
        let (name, fields): (String, Vec<(String, Sort)>) = match ty {
            Type::Fn(a, b) => {
                let (a, b) = (self.sort(a), self.sort(b));
                let name = format!("Fn{n}");
                let fields = vec![
                    (format!("{name}.dom"), Sort::array(&a, &Sort::bool())),
                    (format!("{name}.map"), Sort::array(&a, &b)),
                ];
                (name, fields)
            }
            Type::Seq(t) => {
                let t = self.sort(t);
                let name = format!("Seq{n}");
                let fields = vec![
                    (format!("{name}.len"), Sort::int()),
                    (format!("{name}.elems"), Sort::array(&Sort::int(), &t)),
                ];
                (name, fields)
            }
            Type::Record(map) => {
                let name = format!("Rec{n}");
                let fields = map
                    .iter()
                    .map(|(field, t)| (format!("{name}.{field}"), self.sort(t)))
                    .collect();
                (name, fields)
            }
            Type::Tuple(items) => {
                let name = format!("Tup{n}");
                let fields = items
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (format!("{name}._{}", i + 1), self.sort(t)))
                    .collect();
                (name, fields)
            }
            // Not datatypes: callers only ask for the four kinds above. An empty record keeps
            // this total.
            _ => (format!("Rec{n}"), Vec::new()),
        };
        let constructor = format!("mk-{name}");
        let accessors = fields
            .iter()
            .map(|(f, s)| (f.as_str(), DatatypeAccessor::Sort(s.clone())))
            .collect();
        let datatype = DatatypeBuilder::new(name.as_str())
            .variant(&constructor, accessors)
            .finish();
        let datatype = Rc::new(datatype);
        self.datatypes.insert(ty.clone(), datatype.clone());
        datatype
    }

    /// Builds a value of a datatype from its fields.
    pub fn construct(&mut self, ty: &Type, fields: &[Dynamic]) -> Dynamic {
        let datatype = self.datatype(ty);
        let args: Vec<&dyn z3::ast::Ast> = fields.iter().map(|f| f as &dyn z3::ast::Ast).collect();
        datatype.variants[0].constructor.apply(&args)
    }

    /// Field `index` of a datatype value.
    pub fn field(&mut self, ty: &Type, value: &Dynamic, index: usize) -> Option<Dynamic> {
        let datatype = self.datatype(ty);
        let accessor = datatype.variants[0].accessors.get(index)?;
        Some(accessor.apply(&[value]))
    }

    /// The canonical value of a type: what normalised arrays hold outside their domain.
    pub fn default_value(&mut self, ty: &Type) -> Dynamic {
        match ty {
            Type::Bool => Bool::from_bool(false).into(),
            Type::Int => Int::from_i64(0).into(),
            Type::Str => z3_string("").map_or_else(|| Int::from_i64(0).into(), Dynamic::from),
            Type::ModelValue => self.default_model_value.clone(),
            Type::Set(elem) => {
                let elem = self.sort(elem);
                Array::const_array(&elem, &Bool::from_bool(false)).into()
            }
            Type::Fn(a, b) => {
                let a_sort = self.sort(a);
                let empty = Array::const_array(&a_sort, &Bool::from_bool(false));
                let map = Array::const_array(&a_sort, &self.default_value(b));
                self.construct(ty, &[empty.into(), map.into()])
            }
            Type::Seq(t) => {
                let elems = Array::const_array(&Sort::int(), &self.default_value(t));
                self.construct(ty, &[Int::from_i64(0).into(), elems.into()])
            }
            Type::Record(map) => {
                let fields: Vec<Dynamic> = map.values().map(|t| self.default_value(t)).collect();
                self.construct(ty, &fields)
            }
            Type::Tuple(items) => {
                let fields: Vec<Dynamic> = items.iter().map(|t| self.default_value(t)).collect();
                self.construct(ty, &fields)
            }
        }
    }

    /// Every value of `ty`, when there are at most `limit` of them.
    pub fn universe(&mut self, ty: &Type, limit: usize) -> Option<Vec<Dynamic>> {
        match ty {
            Type::Bool => Some(vec![
                Bool::from_bool(false).into(),
                Bool::from_bool(true).into(),
            ]),
            Type::ModelValue => (!self.open && self.model_value_consts.len() <= limit)
                .then(|| self.model_value_consts.clone()),
            Type::Tuple(items) => {
                let parts: Vec<&Type> = items.iter().collect();
                self.product_universe(ty, &parts, limit)
            }
            Type::Record(map) => {
                let parts: Vec<&Type> = map.values().collect();
                self.product_universe(ty, &parts, limit)
            }
            Type::Set(elem) => {
                let elems = self.universe(elem, 16)?;
                if (1usize << elems.len()) > limit {
                    return None;
                }
                let elem_sort = self.sort(elem);
                let empty = Array::const_array(&elem_sort, &Bool::from_bool(false));
                let subsets = (0..1usize << elems.len())
                    .map(|mask| {
                        let mut set = empty.clone();
                        for (i, e) in elems.iter().enumerate() {
                            if mask & (1 << i) != 0 {
                                set = set.store(e, &Bool::from_bool(true));
                            }
                        }
                        set.into()
                    })
                    .collect();
                Some(subsets)
            }
            Type::Int | Type::Str | Type::Fn(..) | Type::Seq(_) => None,
        }
    }

    fn product_universe(
        &mut self,
        ty: &Type,
        parts: &[&Type],
        limit: usize,
    ) -> Option<Vec<Dynamic>> {
        let mut combos: Vec<Vec<Dynamic>> = vec![Vec::new()];
        for part in parts {
            let values = self.universe(part, limit)?;
            if combos.len().saturating_mul(values.len()) > limit {
                return None;
            }
            combos = combos
                .iter()
                .flat_map(|prefix| {
                    values.iter().map(move |v| {
                        let mut next = prefix.clone();
                        next.push(v.clone());
                        next
                    })
                })
                .collect();
        }
        Some(
            combos
                .iter()
                .map(|fields| self.construct(ty, fields))
                .collect(),
        )
    }
}

/// Whether some constant the config leaves symbolic has a type that involves model values:
/// then the model-value sort must be open (see `Sorts::new`).
pub fn has_symbolic_model_values(spec: &Spec, types: &Types) -> bool {
    spec.constants
        .iter()
        .zip(&types.consts)
        .any(|(constant, ty)| constant.is_symbolic() && involves_model_values(ty))
}

fn involves_model_values(ty: &Type) -> bool {
    match ty {
        Type::ModelValue => true,
        Type::Bool | Type::Int | Type::Str => false,
        Type::Set(t) | Type::Seq(t) => involves_model_values(t),
        Type::Fn(a, b) => involves_model_values(a) || involves_model_values(b),
        Type::Record(fields) => fields.values().any(involves_model_values),
        Type::Tuple(items) => items.iter().any(involves_model_values),
    }
}

/// A Z3 string literal (`None` for strings Z3 cannot hold: those with a NUL byte).
pub fn z3_string(text: &str) -> Option<z3::ast::String> {
    text.parse::<z3::ast::String>().ok()
}
