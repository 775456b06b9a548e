//! SMT sorts for TLA+ types, with each sort's canonical default value and, for types with few
//! values, the list of all of them.
//!
//! | TLA+ type | Z3 sort |
//! |---|---|
//! | `BOOLEAN`, `Int` | `Bool`, `Int` |
//! | strings | one enumeration datatype `Str` of every string the spec has, when those are all the strings a behaviour can hold (`literals::strings_of`); Z3's `String` otherwise (with `STRING`, or a constant of type string left symbolic) |
//! | model values | one enumeration datatype `ModelValue` of every model value the spec mentions; when a symbolic constant's type involves model values, an uninterpreted sort `ModelValue` instead (see `Sorts::new`) |
//! | `Set(T)` | `Array(T, Bool)` |
//! | `Fn(A, B)` | a datatype `FnN = mk(dom: Array(A, Bool), map: Array(A, B))`; when `A` has few values (`POINTWISE_LIMIT`), *pointwise*: `FnN = mk(dom0: Bool, …, domK: Bool, map0: B, …, mapK: B)`, a field per value of `A` |
//! | `Seq(T)` | a datatype `SeqN = mk(len: Int, elems: Array(Int, T))` |
//! | records, tuples | one datatype per distinct type, fields in name (or index) order; an optional field of type `T` has the sort `OptN = none \| some(T)` |
//! | `T \| ModelValue` (a model value mixed with `T` values, see `types`) | a datatype `MixN = val(T) \| mv(ModelValue)` |
//!
//! **Optional fields.** A record of a type with optional fields (`[type |-> "Commit"]` where
//! others also have `rm`) holds `none` in the fields it lacks and `some(v)` in those it has.
//! An absent field has no value at all, so two records are equal exactly when they have the
//! same fields with the same values: datatype equality is TLA+ equality, with nothing to
//! normalise. `field` reads the value inside `some`; reading an absent field is an error in TLC
//! (and in the evaluator), and the encoding reads it as an unspecified value (`absent_read`)
//! and records that the field must be present (an obligation, see `definedness`).
//!
//! **Model values mixed with `T`.** A sentinel (`prnt[i] = NoPrnt` with `prnt[i]` an integer)
//! makes every value of type `T` a `MixN`: `val(t)` for a `T` value, `mv(m)` for a model value,
//! so equality is structural and a model value differs from every `T` value. Every term of a
//! TLA+ value of type `T` has the mixed sort; `construct` and `field` wrap and unwrap datatype
//! values, and integer operations unwrap their arguments (`Encoder::term_int`). Applied to a
//! model value, `val` is unspecified, as Z3 leaves a wrong constructor's accessor: TLC stops
//! with an error there, and the encoding records that the value must not be a model value (an
//! obligation, see `definedness`); membership in an integer range, `Nat` and `Int` test the
//! constructor, so a model value is in none of them.
//!
//! **Pointwise functions.** A function over a domain sort of few values (model values, strings,
//! booleans, small tuples and records of them) holds its domain and its map as one field per
//! value of the sort, in the order `universe` lists them. `f[x]` is then a chain of `IF x = v`
//! over the fields and `EXCEPT` rebuilds the fields, so Z3 reasons about scalars where it would
//! reason through the array theory (leader election's double vote, all of depth 5 at once:
//! 12.4 s -> 3.0 s in Z3). Everything else sees the arrays as before: `field` gives a pointwise function's domain
//! and map as `store` chains over its fields, and `construct` reads its fields from arrays at
//! each value, so the encoding of every other operator is unchanged. The fields are every value
//! of the sort, so nothing is lost.
//!
//! Functions and sequences are *normalised*: outside the domain (`1..len` for sequences) the
//! array holds the default value of its range. Every constructor in `encode` keeps this so, and
//! every fresh value (state variables, Skolem constants) is built normalised from its constant
//! (see `normal`). Two normalised terms are then equal exactly when the TLA+ values are, so
//! TLA+ equality is plain SMT equality, with no quantifier.

use super::literals::Mentioned;
use crate::ir::Spec;
use crate::types::{Type, Types};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;
use z3::ast::{Array, Ast, Bool, Dynamic, Int};
use z3::{DatatypeAccessor, DatatypeBuilder, DatatypeSort, FuncDecl, Sort, Symbol};

/// The names of the two enumeration sorts, of model values and of strings.
pub const MODEL_VALUE_SORT: &str = "ModelValue";
pub const STRING_SORT: &str = "Str";

/// The name of the one model value of a spec that has none (an enumeration needs one).
const NO_MODEL_VALUE: &str = "mv!none";

/// Functions whose domain sort has at most this many values are held pointwise (see the module
/// comment). Beyond that the fields, and the `IF` chains that read them, would outgrow the
/// array theory's cost: a spec with a thousand nodes keeps arrays, whose terms per step do not
/// grow with the nodes.
const POINTWISE_LIMIT: usize = 32;

/// The two parts of a function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FnPart {
    Domain,
    Map,
}

/// The strings as Z3 holds them: an enumeration, or Z3's own strings.
enum Strings {
    /// The spec's strings in order, and their enumeration once a term needs it. (Made
    /// eagerly, it would change Z3's numbering of terms, and so its search, for specs that
    /// have no strings.)
    Enumerated(Vec<String>, Option<StringEnumeration>),
    Unbounded,
}

/// The enumeration sort `Str` and the constant of each string, in the order of the strings.
struct StringEnumeration {
    sort: Sort,
    consts: Vec<Dynamic>,
}

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
    /// The optional fields of each record type that has some, in name order.
    optional: BTreeMap<Type, Vec<String>>,
    /// The types whose values a model value mixes with, and their `Mix` datatypes.
    mixed: BTreeSet<Type>,
    mixes: HashMap<Type, Rc<DatatypeSort>>,
    /// The `Opt` datatype of each type an optional field has.
    options: HashMap<Type, Rc<DatatypeSort>>,
    /// The unspecified value of an absent field, per record type and field.
    absent_reads: HashMap<(Type, String), Rc<FuncDecl>>,
    /// Per domain type of a function type met, the values of the sort when functions over it
    /// are pointwise.
    pointwise: HashMap<Type, Option<Rc<[Dynamic]>>>,
    strings: Strings,
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
    ///
    /// Strings are an enumeration of `strings` when given: they must be every string a
    /// behaviour can hold (see `literals::strings_of`). Without them strings are Z3's.
    ///
    /// `types` says which record fields are optional and which types mix with model values.
    pub fn new(
        model_values: BTreeSet<String>,
        open: bool,
        strings: Option<BTreeSet<String>>,
        types: &Types,
    ) -> Sorts {
        let mut names: Vec<String> = model_values.into_iter().collect();
        let (sort, model_value_consts, default_model_value) = if open {
            let sort = Sort::uninterpreted(Symbol::String(MODEL_VALUE_SORT.into()));
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
                Sort::enumeration(Symbol::String(MODEL_VALUE_SORT.into()), &symbols);
            let consts: Vec<Dynamic> = consts.iter().map(|c| c.apply(&[])).collect();
            let default = consts[0].clone();
            (sort, consts, default)
        };
        let strings = match strings {
            // An enumeration needs a value: a spec with no strings (and so no string values)
            // gets `""`.
            Some(members) if members.is_empty() => Strings::Enumerated(vec![String::new()], None),
            Some(members) => Strings::Enumerated(members.into_iter().collect(), None),
            None => Strings::Unbounded,
        };
        Sorts {
            model_values: names,
            open,
            model_value_sort: sort,
            model_value_consts,
            default_model_value,
            datatypes: HashMap::new(),
            next_datatype: 0,
            optional: types
                .optional_fields
                .iter()
                .map(|(ty, o)| (ty.clone(), o.fields.iter().cloned().collect()))
                .collect(),
            mixed: types.with_model_values.keys().cloned().collect(),
            mixes: HashMap::new(),
            options: HashMap::new(),
            absent_reads: HashMap::new(),
            pointwise: HashMap::new(),
            strings,
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

    /// Whether strings are an enumeration of the spec's strings (not Z3's strings).
    pub fn strings_enumerated(&self) -> bool {
        matches!(self.strings, Strings::Enumerated(..))
    }

    /// The enumeration of the spec's strings, made on first use (`None` for Z3's strings).
    fn string_enumeration(&mut self) -> Option<&StringEnumeration> {
        match &mut self.strings {
            Strings::Enumerated(members, enumeration) => {
                Some(enumeration.get_or_insert_with(|| string_enumeration(members)))
            }
            Strings::Unbounded => None,
        }
    }

    /// The term for the string `text`: `None` if the enumeration lacks it, or Z3's strings
    /// cannot hold it (a NUL byte).
    pub fn string(&mut self, text: &str) -> Option<Dynamic> {
        let Strings::Enumerated(members, _) = &self.strings else {
            return z3_string(text).map(Dynamic::from);
        };
        let index = members.binary_search_by(|m| m.as_str().cmp(text)).ok()?;
        self.string_enumeration()?.consts.get(index).cloned()
    }

    /// The string an evaluated term of the string sort stands for.
    pub fn string_value(&mut self, value: &Dynamic) -> Option<String> {
        let Some(enumeration) = self.string_enumeration() else {
            return value.as_string()?.as_string();
        };
        let index = enumeration.consts.iter().position(|c| c.ast_eq(value))?;
        match &self.strings {
            Strings::Enumerated(members, _) => members.get(index).cloned(),
            Strings::Unbounded => None,
        }
    }

    /// The sort of the values of `ty` (the `Mix` datatype for a type mixed with model values).
    pub fn sort(&mut self, ty: &Type) -> Sort {
        if self.is_mixed(ty) {
            return self.mix(ty).sort.clone();
        }
        self.plain_sort(ty)
    }

    /// The sort of the values of `ty` that are not model values.
    fn plain_sort(&mut self, ty: &Type) -> Sort {
        match ty {
            Type::Bool => Sort::bool(),
            Type::Int => Sort::int(),
            Type::Str => match self.string_enumeration() {
                Some(enumeration) => enumeration.sort.clone(),
                None => Sort::string(),
            },
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
                let points = self.pointwise_domain(ty);
                let (a, b) = (self.sort(a), self.sort(b));
                let name = format!("Fn{n}");
                let fields = match points {
                    Some(points) => {
                        let dom =
                            (0..points.len()).map(|i| (format!("{name}.dom{i}"), Sort::bool()));
                        let map = (0..points.len()).map(|i| (format!("{name}.map{i}"), b.clone()));
                        dom.chain(map).collect()
                    }
                    None => vec![
                        (format!("{name}.dom"), Sort::array(&a, &Sort::bool())),
                        (format!("{name}.map"), Sort::array(&a, &b)),
                    ],
                };
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
                let optional = self.optional_fields(ty).to_vec();
                let fields = map
                    .iter()
                    .map(|(field, t)| {
                        let sort = if optional.contains(field) {
                            self.option(t).sort.clone()
                        } else {
                            self.sort(t)
                        };
                        (format!("{name}.{field}"), sort)
                    })
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

    /// Builds a value of a datatype from its fields (a record has all of them; a function, its
    /// domain and map as arrays).
    pub fn construct(&mut self, ty: &Type, fields: &[Dynamic]) -> Dynamic {
        if let Some(points) = self.pointwise_domain(ty) {
            let built = match fields {
                [dom, map] => self.construct_pointwise(ty, &points, dom, map),
                _ => None,
            };
            // Callers give a function's two arrays; anything else is a bug, kept total here.
            return built.unwrap_or_else(|| self.default_value(ty));
        }
        let datatype = self.datatype(ty);
        let optional = self.optional_fields(ty).to_vec();
        let parts: Vec<Dynamic> = match ty {
            Type::Record(map) if !optional.is_empty() => map
                .iter()
                .zip(fields)
                .map(|((name, field_ty), value)| match optional.contains(name) {
                    true => self.option(field_ty).variants[1]
                        .constructor
                        .apply(&[value]),
                    false => value.clone(),
                })
                .collect(),
            _ => fields.to_vec(),
        };
        let args: Vec<&dyn Ast> = parts.iter().map(|f| f as &dyn Ast).collect();
        let value = datatype.variants[0].constructor.apply(&args);
        self.wrap(ty, &value)
    }

    /// The record of type `ty` with the fields `given`; every field not given must be
    /// optional, and is absent. `None` when `ty` is not a record type, or a field it must have
    /// is missing, or one it does not have is given.
    pub fn record(&mut self, ty: &Type, given: &BTreeMap<&str, Dynamic>) -> Option<Dynamic> {
        let Type::Record(map) = ty else {
            return None;
        };
        if given.keys().any(|name| !map.contains_key(*name)) {
            return None;
        }
        let optional = self.optional_fields(ty).to_vec();
        let mut parts = Vec::new();
        for (name, field_ty) in map {
            let value = given.get(name.as_str());
            parts.push(match (value, optional.contains(name)) {
                (Some(value), false) => value.clone(),
                (Some(value), true) => self.option(field_ty).variants[1]
                    .constructor
                    .apply(&[value]),
                (None, true) => self.option(field_ty).variants[0].constructor.apply(&[]),
                (None, false) => return None,
            });
        }
        let datatype = self.datatype(ty);
        let args: Vec<&dyn Ast> = parts.iter().map(|f| f as &dyn Ast).collect();
        let value = datatype.variants[0].constructor.apply(&args);
        Some(self.wrap(ty, &value))
    }

    /// Field `index` of a datatype value (of a record's optional field, the value inside
    /// `some`: unspecified when the field is absent; of a function, its domain or map as an
    /// array).
    pub fn field(&mut self, ty: &Type, value: &Dynamic, index: usize) -> Option<Dynamic> {
        if let Some(points) = self.pointwise_domain(ty) {
            let part = [FnPart::Domain, FnPart::Map].get(index).copied()?;
            return self
                .pointwise_array(ty, &points, value, part)
                .map(Dynamic::from);
        }
        let (raw, option) = self.raw_field(ty, value, index)?;
        match option {
            Some(option) => Some(option.variants[1].accessors[0].apply(&[&raw])),
            None => Some(raw),
        }
    }

    /// Field `index` as the datatype holds it, with the `Opt` datatype it is in if it is an
    /// optional field.
    fn raw_field(
        &mut self,
        ty: &Type,
        value: &Dynamic,
        index: usize,
    ) -> Option<(Dynamic, Option<Rc<DatatypeSort>>)> {
        let datatype = self.datatype(ty);
        let accessor = datatype.variants[0].accessors.get(index)?;
        let raw = accessor.apply(&[&self.unwrap(ty, value)]);
        let option = match ty {
            Type::Record(map) => {
                let (name, field_ty) = map.iter().nth(index)?;
                let optional = self.optional_fields(ty).contains(name);
                optional.then(|| self.option(field_ty))
            }
            _ => None,
        };
        Some((raw, option))
    }

    /// `value` with field `index` replaced by `new` (a record's optional field: made present).
    pub fn with_field(
        &mut self,
        ty: &Type,
        value: &Dynamic,
        index: usize,
        new: &Dynamic,
    ) -> Option<Dynamic> {
        let datatype = self.datatype(ty);
        let count = datatype.variants[0].accessors.len();
        let mut parts = Vec::new();
        for i in 0..count {
            let (raw, option) = self.raw_field(ty, value, i)?;
            parts.push(match (i == index, option) {
                (false, _) => raw,
                (true, None) => new.clone(),
                (true, Some(option)) => option.variants[1].constructor.apply(&[new]),
            });
        }
        let args: Vec<&dyn Ast> = parts.iter().map(|f| f as &dyn Ast).collect();
        let plain = datatype.variants[0].constructor.apply(&args);
        Some(self.wrap(ty, &plain))
    }

    // ---- Pointwise functions -----------------------------------------------------------------

    /// Every value of the domain sort of the function type `ty`, when functions of that type
    /// are pointwise (`None` for other types).
    pub fn pointwise_domain(&mut self, ty: &Type) -> Option<Rc<[Dynamic]>> {
        let Type::Fn(domain, _) = ty else {
            return None;
        };
        if let Some(found) = self.pointwise.get(domain) {
            return found.clone();
        }
        let points: Option<Rc<[Dynamic]>> = self.universe(domain, POINTWISE_LIMIT).map(Rc::from);
        self.pointwise.insert((**domain).clone(), points.clone());
        points
    }

    /// Part `part` of the pointwise function `f` of type `ty` at `index`: `IF index = v0 THEN
    /// part0 ELSE IF …`, or the field itself when `index` is one of the values. `None` when
    /// `ty` is not pointwise or `index` is not of its domain sort.
    pub fn pointwise_read(
        &mut self,
        ty: &Type,
        f: &Dynamic,
        part: FnPart,
        index: &Dynamic,
    ) -> Option<Dynamic> {
        let points = self.pointwise_domain(ty)?;
        let fields = self.pointwise_fields(ty, &points, f, part);
        if let Some(at) = points.iter().position(|point| point.ast_eq(index)) {
            return fields.get(at).cloned();
        }
        // The values are the whole sort: `index` is one of them, the last if no other.
        let (last, others) = fields.split_last()?;
        let mut read = last.clone();
        for (point, field) in points.iter().zip(others).rev() {
            read = index.safe_eq(point).ok()?.ite(field, &read);
        }
        Some(read)
    }

    /// The pointwise function `f` of type `ty` with its map at `index` set to `value` (its
    /// domain unchanged). `None` when `ty` is not pointwise or `index` is not of its domain
    /// sort.
    pub fn pointwise_store(
        &mut self,
        ty: &Type,
        f: &Dynamic,
        index: &Dynamic,
        value: &Dynamic,
    ) -> Option<Dynamic> {
        let points = self.pointwise_domain(ty)?;
        let mut map = Vec::with_capacity(points.len());
        for (point, old) in points
            .iter()
            .zip(self.pointwise_fields(ty, &points, f, FnPart::Map))
        {
            map.push(match point.ast_eq(index) {
                true => value.clone(),
                false => index.safe_eq(point).ok()?.ite(value, &old),
            });
        }
        let dom = self.pointwise_fields(ty, &points, f, FnPart::Domain);
        Some(self.pointwise_value(ty, &dom, &map))
    }

    /// The fields of part `part` of the pointwise function `f`, one per value in `points`.
    fn pointwise_fields(
        &mut self,
        ty: &Type,
        points: &[Dynamic],
        f: &Dynamic,
        part: FnPart,
    ) -> Vec<Dynamic> {
        let datatype = self.datatype(ty);
        let plain = self.unwrap(ty, f);
        let first = match part {
            FnPart::Domain => 0,
            FnPart::Map => points.len(),
        };
        datatype.variants[0].accessors[first..first + points.len()]
            .iter()
            .map(|accessor| accessor.apply(&[&plain]))
            .collect()
    }

    /// Part `part` of the pointwise function `f` as an array: `store`s of its fields over the
    /// default (which no index is left at, since the values are the whole sort).
    fn pointwise_array(
        &mut self,
        ty: &Type,
        points: &[Dynamic],
        f: &Dynamic,
        part: FnPart,
    ) -> Option<Array> {
        let Type::Fn(domain, range) = ty else {
            return None;
        };
        let outside = match part {
            FnPart::Domain => Bool::from_bool(false).into(),
            FnPart::Map => self.default_value(range),
        };
        let sort = self.sort(domain);
        let fields = self.pointwise_fields(ty, points, f, part);
        let mut array = Array::const_array(&sort, &outside);
        for (point, field) in points.iter().zip(&fields) {
            array = array.store(point, field);
        }
        Some(array)
    }

    /// The pointwise function whose domain and map are the arrays `dom` and `map`: their
    /// values at each point, simplified (reads of the `store` chains and lambdas the encoder
    /// builds come down to the stored terms).
    fn construct_pointwise(
        &mut self,
        ty: &Type,
        points: &[Dynamic],
        dom: &Dynamic,
        map: &Dynamic,
    ) -> Option<Dynamic> {
        let at_points = |array: Array| -> Vec<Dynamic> {
            let read = |point| array.select(point).simplify();
            points.iter().map(read).collect()
        };
        let (dom, map) = (at_points(dom.as_array()?), at_points(map.as_array()?));
        Some(self.pointwise_value(ty, &dom, &map))
    }

    /// The pointwise function of type `ty` with fields `dom` and `map`.
    fn pointwise_value(&mut self, ty: &Type, dom: &[Dynamic], map: &[Dynamic]) -> Dynamic {
        let datatype = self.datatype(ty);
        let args: Vec<&dyn Ast> = dom.iter().chain(map).map(|f| f as &dyn Ast).collect();
        let value = datatype.variants[0].constructor.apply(&args);
        self.wrap(ty, &value)
    }

    /// The `Opt` datatype of an optional field of type `ty`: `none | some(T)`.
    fn option(&mut self, ty: &Type) -> Rc<DatatypeSort> {
        if let Some(found) = self.options.get(ty) {
            return found.clone();
        }
        let inner = self.sort(ty);
        let n = self.next_datatype;
        self.next_datatype += 1;
        let name = format!("Opt{n}");
        let datatype = DatatypeBuilder::new(name.as_str())
            .variant(&format!("none-{name}"), Vec::new())
            .variant(
                &format!("some-{name}"),
                vec![(&format!("{name}.val"), DatatypeAccessor::Sort(inner))],
            )
            .finish();
        let datatype = Rc::new(datatype);
        self.options.insert(ty.clone(), datatype.clone());
        datatype
    }

    /// The optional fields of a record type, in name order (none for other types).
    pub fn optional_fields(&self, ty: &Type) -> &[String] {
        self.optional.get(ty).map_or(&[], Vec::as_slice)
    }

    /// Whether the record `value` of type `ty` has field `name` (`None` if `ty` has no such
    /// field).
    pub fn has_field(&mut self, ty: &Type, value: &Dynamic, name: &str) -> Option<Bool> {
        let Type::Record(map) = ty else {
            return None;
        };
        let index = map.keys().position(|f| f == name)?;
        match self.raw_field(ty, value, index)? {
            (raw, Some(option)) => option.variants[1].tester.apply(&[&raw]).as_bool(),
            (_, None) => Some(Bool::from_bool(true)),
        }
    }

    /// The value of the absent field `name` of the record `value` read anyway: unspecified
    /// (an uninterpreted function of the record), so that nothing depends on it.
    pub fn absent_read(&mut self, ty: &Type, value: &Dynamic, name: &str) -> Option<Dynamic> {
        let Type::Record(map) = ty else {
            return None;
        };
        let field_ty = map.get(name)?.clone();
        let key = (ty.clone(), name.to_string());
        let function = match self.absent_reads.get(&key) {
            Some(function) => function.clone(),
            None => {
                let record_sort = self.sort(ty);
                let field_sort = self.sort(&field_ty);
                let datatype = self.datatype(ty);
                let symbol = format!("absent!{}.{name}", datatype.sort);
                let function = Rc::new(FuncDecl::new(symbol, &[&record_sort], &field_sort));
                self.absent_reads.insert(key, function.clone());
                function
            }
        };
        Some(function.apply(&[value]))
    }

    // ---- Model values mixed with other values ------------------------------------------------

    /// Whether model values mix with the values of `ty`.
    pub fn is_mixed(&self, ty: &Type) -> bool {
        self.mixed.contains(ty)
    }

    /// The `Mix` datatype of a type mixed with model values: `val(T) | mv(ModelValue)`.
    fn mix(&mut self, ty: &Type) -> Rc<DatatypeSort> {
        if let Some(found) = self.mixes.get(ty) {
            return found.clone();
        }
        let plain = self.plain_sort(ty);
        let n = self.next_datatype;
        self.next_datatype += 1;
        let name = format!("Mix{n}");
        let datatype = DatatypeBuilder::new(name.as_str())
            .variant(
                &format!("val-{name}"),
                vec![(&format!("{name}.val"), DatatypeAccessor::Sort(plain))],
            )
            .variant(
                &format!("mv-{name}"),
                vec![(
                    &format!("{name}.mv"),
                    DatatypeAccessor::Sort(self.model_value_sort.clone()),
                )],
            )
            .finish();
        let datatype = Rc::new(datatype);
        self.mixes.insert(ty.clone(), datatype.clone());
        datatype
    }

    /// A value of `ty` from its plain (not model-value) representation.
    pub fn wrap(&mut self, ty: &Type, plain: &Dynamic) -> Dynamic {
        if !self.is_mixed(ty) {
            return plain.clone();
        }
        self.mix(ty).variants[0].constructor.apply(&[plain])
    }

    /// The plain representation of a value of `ty` (unspecified for a model value).
    pub fn unwrap(&mut self, ty: &Type, value: &Dynamic) -> Dynamic {
        if !self.is_mixed(ty) {
            return value.clone();
        }
        self.mix(ty).variants[0].accessors[0].apply(&[value])
    }

    /// Whether a value of `ty` is not a model value (`TRUE` for a type nothing mixes with).
    pub fn is_plain(&mut self, ty: &Type, value: &Dynamic) -> Bool {
        if !self.is_mixed(ty) {
            return Bool::from_bool(true);
        }
        let tester = self.mix(ty).variants[0].tester.apply(&[value]);
        tester.as_bool().unwrap_or_else(|| Bool::from_bool(true))
    }

    /// The model value `model_value` as a value of the mixed type `ty`.
    pub fn mixed_model_value(&mut self, ty: &Type, model_value: &Dynamic) -> Dynamic {
        self.mix(ty).variants[1].constructor.apply(&[model_value])
    }

    /// The model value inside a value of the mixed type `ty` (unspecified for a `T` value).
    pub fn model_value_inside(&mut self, ty: &Type, value: &Dynamic) -> Dynamic {
        self.mix(ty).variants[1].accessors[0].apply(&[value])
    }

    /// An integer as a value of type `Int`.
    pub fn int(&mut self, n: &Int) -> Dynamic {
        self.wrap(&Type::Int, &Dynamic::from(n.clone()))
    }

    /// The set `lo..hi`, over the sort of `Int`.
    pub fn int_range(&mut self, lo: &Int, hi: &Int) -> Array {
        if !self.is_mixed(&Type::Int) {
            return super::sets::range_set(lo, hi);
        }
        let sort = self.sort(&Type::Int);
        let x = Dynamic::new_const("i!range", &sort);
        let inside = self.in_int_range(&x, lo, hi);
        z3::ast::lambda_const(&[&x], &Dynamic::from(inside))
    }

    /// `x \in lo..hi` for a value `x` of type `Int` (a model value is in no range).
    pub fn in_int_range(&mut self, x: &Dynamic, lo: &Int, hi: &Int) -> Bool {
        let Some(i) = self.unwrap(&Type::Int, x).as_int() else {
            return Bool::from_bool(false);
        };
        self.and_plain(&Type::Int, x, i.ge(lo) & i.le(hi))
    }

    /// `condition`, and where `ty` mixes with model values, that `value` is not one.
    pub fn and_plain(&mut self, ty: &Type, value: &Dynamic, condition: Bool) -> Bool {
        if !self.is_mixed(ty) {
            return condition;
        }
        self.is_plain(ty, value) & condition
    }

    /// The canonical value of a type: what normalised arrays hold outside their domain.
    pub fn default_value(&mut self, ty: &Type) -> Dynamic {
        match ty {
            Type::Bool => Bool::from_bool(false).into(),
            Type::Int => self.int(&Int::from_i64(0)),
            Type::Str => {
                let first = match self.string_enumeration() {
                    Some(enumeration) => enumeration.consts.first().cloned(),
                    None => z3_string("").map(Dynamic::from),
                };
                first.unwrap_or_else(|| Int::from_i64(0).into())
            }
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

    /// Whether values of this type need normalising (see `normal`).
    pub fn needs_normalising(&self, ty: &Type) -> bool {
        match ty {
            Type::Fn(..) | Type::Seq(_) => true,
            Type::Set(elem) => self.needs_normalising(elem),
            Type::Record(fields) => fields.values().any(|t| self.needs_normalising(t)),
            Type::Tuple(items) => items.iter().any(|t| self.needs_normalising(t)),
            Type::Bool | Type::Int | Type::Str | Type::ModelValue => false,
        }
    }

    /// Every value of `ty`, when there are at most `limit` of them.
    pub fn universe(&mut self, ty: &Type, limit: usize) -> Option<Vec<Dynamic>> {
        self.values(ty, None, limit)
    }

    /// The values of `ty` whose integers and strings are among those `mentioned`, when there
    /// are at most `limit` of them: every value of `ty` that holds no other integer or string.
    pub fn values_over(
        &mut self,
        ty: &Type,
        mentioned: &Mentioned,
        limit: usize,
    ) -> Option<Vec<Dynamic>> {
        self.values(ty, Some(mentioned), limit)
    }

    /// `universe`, with the integers and strings `mentioned` standing for all of them when
    /// given.
    fn values(
        &mut self,
        ty: &Type,
        mentioned: Option<&Mentioned>,
        limit: usize,
    ) -> Option<Vec<Dynamic>> {
        // Not enumerated (so quantifiers over them are not expanded, nor sets of them stored
        // pointwise): records with absent fields, types mixed with model values.
        if self.is_mixed(ty) || !self.optional_fields(ty).is_empty() {
            return None;
        }
        match ty {
            Type::Bool => Some(vec![
                Bool::from_bool(false).into(),
                Bool::from_bool(true).into(),
            ]),
            Type::ModelValue => (!self.open && self.model_value_consts.len() <= limit)
                .then(|| self.model_value_consts.clone()),
            Type::Str => match (self.string_enumeration(), mentioned) {
                (Some(enumeration), _) => Some(enumeration.consts.clone()),
                (None, Some(mentioned)) => Some(
                    mentioned
                        .strings
                        .iter()
                        .filter_map(|text| z3_string(text))
                        .map(Dynamic::from)
                        .collect(),
                ),
                (None, None) => None,
            }
            .filter(|strings| strings.len() <= limit),
            Type::Tuple(items) => {
                let parts: Vec<&Type> = items.iter().collect();
                self.product_universe(ty, &parts, mentioned, limit)
            }
            Type::Record(map) => {
                let parts: Vec<&Type> = map.values().collect();
                self.product_universe(ty, &parts, mentioned, limit)
            }
            Type::Set(elem) => {
                let elems = self.values(elem, mentioned, 16)?;
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
            Type::Int => mentioned
                .map(|m| &m.ints)
                .filter(|ints| ints.len() <= limit)
                .map(|ints| ints.iter().map(|n| self.int(&Int::from_i64(*n))).collect()),
            Type::Fn(..) | Type::Seq(_) => None,
        }
    }

    fn product_universe(
        &mut self,
        ty: &Type,
        parts: &[&Type],
        mentioned: Option<&Mentioned>,
        limit: usize,
    ) -> Option<Vec<Dynamic>> {
        let mut combos: Vec<Vec<Dynamic>> = vec![Vec::new()];
        for part in parts {
            let values = self.values(part, mentioned, limit)?;
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
        .any(|(constant, ty)| constant.is_symbolic() && ty.holds(&Type::ModelValue))
}

/// The enumeration `Str` of `members`, in their order.
fn string_enumeration(members: &[String]) -> StringEnumeration {
    let symbols: Vec<Symbol> = members
        .iter()
        .enumerate()
        .map(|(index, text)| Symbol::String(member_name(index, text)))
        .collect();
    let (sort, consts, _testers) = Sort::enumeration(Symbol::String(STRING_SORT.into()), &symbols);
    let consts = consts.iter().map(|c| c.apply(&[])).collect();
    StringEnumeration { sort, consts }
}

/// The name of the enumeration's constant for the string `text`: the string in quotes, as
/// traces print it, unless SMT-LIB could not quote that name (it may hold no `|` or `\`);
/// then `str!index`.
fn member_name(index: usize, text: &str) -> String {
    let quoted = format!("{text:?}");
    if quoted.contains(['|', '\\']) {
        format!("str!{index}")
    } else {
        quoted
    }
}

/// A Z3 string literal (`None` for strings Z3 cannot hold: those with a NUL byte).
pub fn z3_string(text: &str) -> Option<z3::ast::String> {
    text.parse::<z3::ast::String>().ok()
}
