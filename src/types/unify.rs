//! The type terms of inference and their unification, by union-find.
//!
//! A `Node` stands for a type that may not be fully known yet. Nodes that have been unified
//! share one class; the root of each class holds the class's `Shape` (its outermost type
//! constructor, with nodes for the parts) and the place that gave it that shape, so that a
//! conflict can point at both of the uses that disagree.

use crate::ir::Loc;
use std::collections::BTreeMap;

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
    /// A record. An open record is one only known to have these fields (from `r.f`); a closed
    /// one has exactly these fields.
    Record {
        fields: BTreeMap<String, Node>,
        open: bool,
    },
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
                fields,
                open: false,
            } => format!("a record [{}]", field_list(fields)),
            Shape::Record { fields, open: true } => {
                format!("a record with field {}", field_list(fields))
            }
        }
    }
}

/// `a, b, c`: the names of a record's fields.
pub(super) fn field_list(fields: &BTreeMap<String, Node>) -> String {
    fields
        .keys()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ")
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
    /// Two closed records with different sets of fields.
    RecordFields,
    /// A record without the field some use needs.
    MissingField(String),
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

    pub(super) fn side(&mut self, node: Node) -> Side {
        let root = self.find(node);
        Side {
            shape: self.classes[root].shape.clone(),
            origin: self.classes[root].origin,
        }
    }

    /// Makes `left` and `right` the same type. By convention `left` is what was known before
    /// and `right` the new use, which orders the two sides of a clash.
    pub(super) fn unify(&mut self, left: Node, right: Node) -> Result<(), Box<Clash>> {
        let mut work = vec![(left, right, false)];
        while let Some((a, b, nested)) = work.pop() {
            let (ra, rb) = (self.find(a), self.find(b));
            if ra == rb {
                continue;
            }
            let merged = self.merge(ra, rb, &mut work).map_err(|kind| {
                Box::new(Clash {
                    kind,
                    left: self.side(ra),
                    right: self.side(rb),
                    nested,
                })
            })?;
            self.link(ra, rb, merged);
        }
        Ok(())
    }

    /// Makes `rb`'s class part of `ra`'s, which gets `shape` and keeps the origin of whichever
    /// side gave it its shape.
    fn link(&mut self, ra: Node, rb: Node, shape: Shape) {
        if self.classes[ra].shape == Shape::Unknown {
            self.classes[ra].origin = self.classes[rb].origin;
        }
        self.classes[rb].parent = ra;
        self.classes[ra].shape = shape;
    }

    /// The shape of the union of two classes, pushing the pairs of parts that must be unified
    /// in turn.
    fn merge(
        &mut self,
        ra: Node,
        rb: Node,
        work: &mut Vec<(Node, Node, bool)>,
    ) -> Result<Shape, ClashKind> {
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
                    open: o1,
                },
                Record {
                    fields: f2,
                    open: o2,
                },
            ) => merge_records(f1, o1, f2, o2, &mut parts)?,
            _ => return Err(ClashKind::Mismatch),
        };
        // Pushed in reverse so that parts are unified in order, the first clash reported first.
        work.extend(parts.into_iter().rev().map(|(x, y)| (x, y, true)));
        Ok(shape)
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

/// The union of two record shapes: closed records must have the same fields, an open one's
/// fields must all be in a closed one, and two open ones gather their fields.
fn merge_records(
    left: BTreeMap<String, Node>,
    left_open: bool,
    right: BTreeMap<String, Node>,
    right_open: bool,
    parts: &mut Vec<(Node, Node)>,
) -> Result<Shape, ClashKind> {
    let missing_from = |fields: &BTreeMap<String, Node>, of: &BTreeMap<String, Node>| {
        of.keys().find(|name| !fields.contains_key(*name)).cloned()
    };
    match (left_open, right_open) {
        (false, false) if left.keys().ne(right.keys()) => return Err(ClashKind::RecordFields),
        (false, true) => {
            if let Some(name) = missing_from(&left, &right) {
                return Err(ClashKind::MissingField(name));
            }
        }
        (true, false) => {
            if let Some(name) = missing_from(&right, &left) {
                return Err(ClashKind::MissingField(name));
            }
        }
        _ => {}
    }
    let mut fields = left.clone();
    for (name, node) in right {
        match left.get(&name) {
            Some(existing) => parts.push((*existing, node)),
            None => {
                fields.insert(name, node);
            }
        }
    }
    Ok(Shape::Record {
        fields,
        open: left_open && right_open,
    })
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
        table.unify(pair, single).unwrap();
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
        table.unify(function, sequence).unwrap();
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
        let clash = table.unify(sequence, function).unwrap_err();
        assert_eq!(clash.kind, ClashKind::FunctionAsSequence);
        assert!(!clash.nested);
    }

    #[test]
    fn a_closed_record_lacking_a_field_clashes_with_its_use() {
        let mut table = Table::default();
        let int = table.node(Shape::Int, nowhere());
        let closed = table.node(
            Shape::Record {
                fields: BTreeMap::from([("a".to_string(), int)]),
                open: false,
            },
            nowhere(),
        );
        let used = table.fresh(nowhere());
        let open = table.node(
            Shape::Record {
                fields: BTreeMap::from([("b".to_string(), used)]),
                open: true,
            },
            nowhere(),
        );
        let clash = table.unify(closed, open).unwrap_err();
        assert_eq!(clash.kind, ClashKind::MissingField("b".to_string()));
        assert!(!clash.nested);
    }
}
