//! The type terms of inference and their unification, by union-find.
//!
//! A `Node` stands for a type that may not be fully known yet. Nodes that have been unified
//! share one class; the root of each class holds the class's `Shape` (its outermost type
//! constructor, with nodes for the parts) and the place that gave it that shape, so that a
//! conflict can point at both of the uses that disagree.
//!
//! A model value may meet a value of another type, as TLC allows for sentinels
//! (`prnt[i] = NoPrnt` with `prnt[i]` an Int): such a class takes the other type, and remembers
//! that it may also hold a model value, and where the two first met.

use crate::ir::Loc;
use std::collections::{BTreeMap, BTreeSet};

/// A type under inference: an index into the table of classes.
pub(super) type Node = usize;

/// The outermost constructor of a class's type.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Shape {
    /// Nothing is known yet: a type variable.
    Unknown,
    Bool,
    Int,
    Str,
    ModelValue,
    Set(Node),
    Fn(Node, Node),
    Seq(Node),
    Tuple(Vec<Node>),
    /// A tuple literal `<<a, b>>` (or a value from `1..n`) not yet known to be a tuple or a
    /// sequence: a sequence use makes it a `Seq`, a tuple use a `Tuple`.
    TupleOrSeq(Vec<Node>),
    /// A record: the fields that the records reaching here have or that some `r.f` reads.
    /// `variants` is `None` for an open record, one only known from `r.f` uses so far.
    Record {
        fields: BTreeMap<String, Node>,
        variants: Option<Variants>,
    },
}

/// Which fields the records that reach one record class have: its literals, record sets and
/// values, which may differ in their fields as TLA+ allows (`[type |-> "Commit"]` and
/// `[type |-> "Prepared", rm |-> r]` in one set). An `r.f` use only reads a field, so it is not
/// a variant; that some variant has the field read is checked at the end of inference.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Variants {
    /// The fields at least one of them has.
    pub some: BTreeSet<String>,
    /// The fields every one of them has; the others are optional.
    pub every: BTreeSet<String>,
}

impl Variants {
    /// The variants of records with exactly these fields.
    pub(super) fn exactly<'n>(names: impl Iterator<Item = &'n String>) -> Variants {
        let names: BTreeSet<String> = names.cloned().collect();
        Variants {
            some: names.clone(),
            every: names,
        }
    }

    /// The variants of two classes made one.
    fn join(&self, other: &Variants) -> Variants {
        Variants {
            some: self.some.union(&other.some).cloned().collect(),
            every: self.every.intersection(&other.every).cloned().collect(),
        }
    }

    /// The fields some variant lacks.
    pub(super) fn optional(&self) -> BTreeSet<String> {
        self.some.difference(&self.every).cloned().collect()
    }

    /// `a, b?, c`: the fields the variants have, the optional ones marked.
    pub(super) fn field_list(&self) -> String {
        let mark = |name: &String| {
            let optional = if self.every.contains(name) { "" } else { "?" };
            format!("{name}{optional}")
        };
        self.some.iter().map(mark).collect::<Vec<_>>().join(", ")
    }
}

impl Shape {
    /// The nodes of the parts of this shape.
    pub(super) fn children(&self) -> Vec<Node> {
        match self {
            Shape::Unknown | Shape::Bool | Shape::Int | Shape::Str | Shape::ModelValue => vec![],
            Shape::Set(t) | Shape::Seq(t) => vec![*t],
            Shape::Fn(d, r) => vec![*d, *r],
            Shape::Tuple(items) | Shape::TupleOrSeq(items) => items.clone(),
            Shape::Record { fields, .. } => fields.values().copied().collect(),
        }
    }

    /// How a message names a value of this shape: "an Int", "a set", …
    pub(super) fn describe(&self) -> String {
        match self {
            Shape::Unknown => "of unknown type".to_string(),
            Shape::Bool => "a Bool".to_string(),
            Shape::Int => "an Int".to_string(),
            Shape::Str => "a string".to_string(),
            Shape::ModelValue => "a model value".to_string(),
            Shape::Set(_) => "a set".to_string(),
            Shape::Fn(_, _) => "a function".to_string(),
            Shape::Seq(_) => "a sequence".to_string(),
            Shape::TupleOrSeq(items) if items.is_empty() => "an empty sequence".to_string(),
            Shape::Tuple(items) | Shape::TupleOrSeq(items) => {
                format!("a tuple of {} components", items.len())
            }
            Shape::Record {
                variants: Some(variants),
                ..
            } => format!("a record [{}]", variants.field_list()),
            Shape::Record {
                fields,
                variants: None,
            } => {
                let names: Vec<&str> = fields.keys().map(String::as_str).collect();
                format!("a record with field {}", names.join(", "))
            }
        }
    }
}

/// One side of a clash: a class's shape and where it got it.
#[derive(Clone, Debug)]
pub(super) struct Side {
    pub shape: Shape,
    pub origin: Loc,
}

/// What kind of disagreement stopped a unification.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum ClashKind {
    /// Different type constructors (an Int and a set, tuples of different lengths, …).
    Mismatch,
    /// A function whose domain is not `Int` (a set of strings, of tuples, …) that is also
    /// used as a sequence.
    FunctionAsSequence,
}

/// Why two types could not be made equal: the two classes as they were when they met.
/// `nested` says whether they are parts of the types unified (such as their elements).
#[derive(Clone, Debug)]
pub(super) struct Clash {
    pub kind: ClashKind,
    pub left: Side,
    pub right: Side,
    pub nested: bool,
}

#[derive(Clone, Debug)]
struct Class {
    parent: Node,
    shape: Shape,
    origin: Loc,
    /// Where a model value first met this class's values of another type, if one has.
    mixed: Option<Loc>,
}

/// All the classes of an inference run.
#[derive(Clone, Debug, Default)]
pub(super) struct Table {
    classes: Vec<Class>,
}

impl Table {
    /// A new class of this shape, which `origin` gave it.
    pub(super) fn node(&mut self, shape: Shape, origin: Loc) -> Node {
        let id = self.classes.len();
        self.classes.push(Class {
            parent: id,
            shape,
            origin,
            mixed: None,
        });
        id
    }

    /// A new type variable.
    pub(super) fn fresh(&mut self, origin: Loc) -> Node {
        self.node(Shape::Unknown, origin)
    }

    pub(super) fn len(&self) -> usize {
        self.classes.len()
    }

    /// The root of `node`'s class (compressing the path to it).
    pub(super) fn find(&mut self, node: Node) -> Node {
        let mut root = node;
        while self.classes[root].parent != root {
            root = self.classes[root].parent;
        }
        let mut current = node;
        while self.classes[current].parent != root {
            let next = self.classes[current].parent;
            self.classes[current].parent = root;
            current = next;
        }
        root
    }

    /// The shape of `node`'s class.
    pub(super) fn shape(&mut self, node: Node) -> Shape {
        let root = self.find(node);
        self.classes[root].shape.clone()
    }

    /// Where `node`'s class got its shape.
    pub(super) fn origin(&mut self, node: Node) -> Loc {
        let root = self.find(node);
        self.classes[root].origin
    }

    /// Replaces the shape of `node`'s class (for decisions taken at the end of inference).
    pub(super) fn set_shape(&mut self, node: Node, shape: Shape) {
        let root = self.find(node);
        self.classes[root].shape = shape;
    }

    /// Where a model value met the values of `node`'s class, if one has (see the module doc).
    pub(super) fn mixed(&mut self, node: Node) -> Option<Loc> {
        let root = self.find(node);
        self.classes[root].mixed
    }

    pub(super) fn side(&mut self, node: Node) -> Side {
        let root = self.find(node);
        Side {
            shape: self.classes[root].shape.clone(),
            origin: self.classes[root].origin,
        }
    }

    /// Makes `left` and `right` the same type. By convention `left` is what was known before
    /// and `right` the new use, which orders the two sides of a clash. `site` is the place of
    /// the use, where a model value meeting another type is said to mix with it.
    pub(super) fn unify(&mut self, left: Node, right: Node, site: Loc) -> Result<(), Box<Clash>> {
        let mut work = vec![(left, right, false)];
        while let Some((a, b, nested)) = work.pop() {
            let (ra, rb) = (self.find(a), self.find(b));
            if ra == rb {
                continue;
            }
            let (merged, mixes_here) = self.merge(ra, rb, &mut work).map_err(|kind| {
                Box::new(Clash {
                    kind,
                    left: self.side(ra),
                    right: self.side(rb),
                    nested,
                })
            })?;
            let mixed = self.classes[ra].mixed.or(self.classes[rb].mixed);
            self.link(ra, rb, merged, mixed.or(mixes_here.then_some(site)));
        }
        Ok(())
    }

    /// Makes `rb`'s class part of `ra`'s, which gets `shape` and `mixed`, and keeps the origin
    /// of whichever side gave it its shape.
    fn link(&mut self, ra: Node, rb: Node, shape: Shape, mixed: Option<Loc>) {
        let replaced = match self.classes[ra].shape {
            Shape::Unknown => true,
            Shape::ModelValue => shape != Shape::ModelValue,
            _ => false,
        };
        if replaced {
            self.classes[ra].origin = self.classes[rb].origin;
        }
        self.classes[rb].parent = ra;
        self.classes[ra].shape = shape;
        self.classes[ra].mixed = mixed;
    }

    /// The shape of the union of two classes, pushing the pairs of parts that must be unified
    /// in turn, and whether it is a model value meeting another type.
    fn merge(
        &mut self,
        ra: Node,
        rb: Node,
        work: &mut Vec<(Node, Node, bool)>,
    ) -> Result<(Shape, bool), ClashKind> {
        use Shape::*;
        let (sa, sb) = (
            self.classes[ra].shape.clone(),
            self.classes[rb].shape.clone(),
        );
        let mut parts: Vec<(Node, Node)> = Vec::new();
        let shape = match (sa, sb) {
            (Unknown, s) | (s, Unknown) => s,
            (Bool, Bool) => Bool,
            (Int, Int) => Int,
            (Str, Str) => Str,
            (ModelValue, ModelValue) => ModelValue,
            // A sentinel beside other values: the class has their type, and may be a model
            // value too.
            (ModelValue, other) | (other, ModelValue) => {
                return Ok((other, true));
            }
            (Set(x), Set(y)) => {
                parts.push((x, y));
                Set(x)
            }
            (Seq(x), Seq(y)) => {
                parts.push((x, y));
                Seq(x)
            }
            (Fn(d1, r1), Fn(d2, r2)) => {
                parts.extend([(d1, d2), (r1, r2)]);
                Fn(d1, r1)
            }
            (Tuple(xs), Tuple(ys) | TupleOrSeq(ys)) if xs.len() == ys.len() => {
                parts.extend(xs.iter().copied().zip(ys));
                Tuple(xs)
            }
            (TupleOrSeq(xs), Tuple(ys)) if xs.len() == ys.len() => {
                parts.extend(xs.into_iter().zip(ys.iter().copied()));
                Tuple(ys)
            }
            (TupleOrSeq(xs), TupleOrSeq(ys)) if xs.len() == ys.len() => {
                parts.extend(xs.iter().copied().zip(ys));
                TupleOrSeq(xs)
            }
            // Literals of different lengths in one place: only a sequence can be both.
            (TupleOrSeq(xs), TupleOrSeq(ys)) => {
                let element = self.fresh(self.classes[ra].origin);
                parts.extend(xs.into_iter().map(|x| (element, x)));
                parts.extend(ys.into_iter().map(|y| (element, y)));
                Seq(element)
            }
            // Components are unified into the element one by one, in order, so that a clash
            // names the earlier component first.
            (TupleOrSeq(xs), Seq(e)) => {
                parts.extend(xs.into_iter().map(|x| (e, x)));
                Seq(e)
            }
            (Seq(e), TupleOrSeq(ys)) => {
                parts.extend(ys.into_iter().map(|y| (e, y)));
                Seq(e)
            }
            // `f = <<a, b>>` with `f \in [1..2 -> S]`: the literal is a function from `1..n`.
            (TupleOrSeq(xs), Fn(d, r)) => {
                let int = self.node(Int, self.classes[ra].origin);
                parts.push((int, d));
                parts.extend(xs.into_iter().map(|x| (r, x)));
                Fn(d, r)
            }
            (Fn(d, r), TupleOrSeq(ys)) => {
                let int = self.node(Int, self.classes[rb].origin);
                parts.push((d, int));
                parts.extend(ys.into_iter().map(|y| (r, y)));
                Fn(d, r)
            }
            // A sequence is a function over `1..n`: a function over integers that is ever
            // used as a sequence is a sequence everywhere it flows.
            (Fn(d, r), Seq(e)) => {
                self.require_integer_domain(d)?;
                let int = self.node(Int, self.classes[ra].origin);
                parts.extend([(d, int), (r, e)]);
                Seq(e)
            }
            (Seq(e), Fn(d, r)) => {
                self.require_integer_domain(d)?;
                let int = self.node(Int, self.classes[rb].origin);
                parts.extend([(int, d), (e, r)]);
                Seq(e)
            }
            (
                Record {
                    fields: f1,
                    variants: v1,
                },
                Record {
                    fields: f2,
                    variants: v2,
                },
            ) => merge_records(f1, v1, f2, v2, &mut parts),
            _ => return Err(ClashKind::Mismatch),
        };
        // Pushed in reverse so that parts are unified in order, the first clash reported first.
        work.extend(parts.into_iter().rev().map(|(x, y)| (x, y, true)));
        Ok((shape, false))
    }

    /// Fails unless the domain `domain` of a function met as a sequence is (or may still
    /// become) `Int`.
    fn require_integer_domain(&mut self, domain: Node) -> Result<(), ClashKind> {
        match self.shape(domain) {
            Shape::Unknown | Shape::Int => Ok(()),
            _ => Err(ClashKind::FunctionAsSequence),
        }
    }
}

/// The union of two record shapes: the union of their fields (a field of both has one type),
/// and the variants of both.
fn merge_records(
    left: BTreeMap<String, Node>,
    left_variants: Option<Variants>,
    right: BTreeMap<String, Node>,
    right_variants: Option<Variants>,
    parts: &mut Vec<(Node, Node)>,
) -> Shape {
    let mut fields = left.clone();
    for (name, node) in right {
        match left.get(&name) {
            Some(existing) => parts.push((*existing, node)),
            None => {
                fields.insert(name, node);
            }
        }
    }
    let variants = match (left_variants, right_variants) {
        (Some(l), Some(r)) => Some(l.join(&r)),
        (known, None) | (None, known) => known,
    };
    Shape::Record { fields, variants }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::build::nowhere;

    #[test]
    fn literals_of_different_lengths_become_a_sequence() {
        let mut table = Table::default();
        let (a, b, c) = (
            table.node(Shape::Int, nowhere()),
            table.fresh(nowhere()),
            table.fresh(nowhere()),
        );
        let pair = table.node(Shape::TupleOrSeq(vec![a, b]), nowhere());
        let single = table.node(Shape::TupleOrSeq(vec![c]), nowhere());
        table.unify(pair, single, nowhere()).unwrap();
        let Shape::Seq(element) = table.shape(pair) else {
            panic!("not a sequence")
        };
        assert_eq!(table.shape(element), Shape::Int);
        assert_eq!(table.shape(c), Shape::Int);
    }

    #[test]
    fn a_function_met_as_a_sequence_becomes_one_over_integers() {
        let mut table = Table::default();
        let (domain, range) = (table.fresh(nowhere()), table.node(Shape::Str, nowhere()));
        let function = table.node(Shape::Fn(domain, range), nowhere());
        let element = table.fresh(nowhere());
        let sequence = table.node(Shape::Seq(element), nowhere());
        table.unify(function, sequence, nowhere()).unwrap();
        assert_eq!(table.shape(function), Shape::Seq(element));
        assert_eq!(table.shape(domain), Shape::Int);
        assert_eq!(table.shape(element), Shape::Str);
    }

    #[test]
    fn a_function_over_strings_is_no_sequence() {
        let mut table = Table::default();
        let (domain, range) = (table.node(Shape::Str, nowhere()), table.fresh(nowhere()));
        let function = table.node(Shape::Fn(domain, range), nowhere());
        let element = table.fresh(nowhere());
        let sequence = table.node(Shape::Seq(element), nowhere());
        let clash = table.unify(sequence, function, nowhere()).unwrap_err();
        assert_eq!(clash.kind, ClashKind::FunctionAsSequence);
        assert!(!clash.nested);
    }

    /// A record literal with these fields, each of a new class of shape `shape`.
    fn record(table: &mut Table, names: &[&str], shape: Shape) -> Node {
        let fields = names
            .iter()
            .map(|name| (name.to_string(), table.node(shape.clone(), nowhere())))
            .collect::<BTreeMap<_, _>>();
        let variants = Some(Variants::exactly(fields.keys()));
        table.node(Shape::Record { fields, variants }, nowhere())
    }

    #[test]
    fn records_with_different_fields_make_the_fields_only_some_have_optional() {
        let mut table = Table::default();
        let prepared = record(&mut table, &["type", "rm"], Shape::Str);
        let commit = record(&mut table, &["type"], Shape::Str);
        let read = table.fresh(nowhere());
        let use_ = table.node(
            Shape::Record {
                fields: BTreeMap::from([("rm".to_string(), read)]),
                variants: None,
            },
            nowhere(),
        );
        table.unify(use_, commit, nowhere()).unwrap();
        table.unify(commit, prepared, nowhere()).unwrap();
        let Shape::Record {
            fields,
            variants: Some(variants),
        } = table.shape(prepared)
        else {
            panic!("not a closed record")
        };
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["rm", "type"]);
        assert_eq!(variants.optional(), BTreeSet::from(["rm".to_string()]));
        assert_eq!(variants.field_list(), "rm?, type");
        assert_eq!(table.shape(read), Shape::Str);
    }

    #[test]
    fn a_field_of_two_types_in_two_records_clashes() {
        let mut table = Table::default();
        let texts = record(&mut table, &["a", "b"], Shape::Str);
        let numbers = record(&mut table, &["a"], Shape::Int);
        let clash = table.unify(texts, numbers, nowhere()).unwrap_err();
        assert_eq!(clash.kind, ClashKind::Mismatch);
        assert!(clash.nested);
        assert_eq!(clash.left.shape, Shape::Str);
        assert_eq!(clash.right.shape, Shape::Int);
    }
}
