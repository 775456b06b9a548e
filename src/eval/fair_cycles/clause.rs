//! The negation of a temporal property, as a disjunction of *clauses* the graph search decides.
//!
//! The property is negated and its negations pushed down to state and action formulas
//! (atoms), leaving `/\`, `\/`, `[]` and `<>` over atoms. That fragment is brought into a
//! disjunction of clauses, each a conjunction of:
//!
//! * atoms that hold `initially` (in the first state);
//! * atoms that hold `always` (in every state, or on every step);
//! * at most one *trigger* `<>(s /\ []g)`: some state (with the step leaving it) satisfies
//!   `s`, and `g` holds from there on;
//! * atoms that hold `eventually_always` (`<>[]a`) and `infinitely_often` (`[]<>a`).
//!
//! The last two are the same on every suffix of a behaviour, which is what lets `[]` and `<>`
//! move through them: `<>(p /\ I) = <>p /\ I` and `[](p \/ I) = []p \/ I` for such an `I`.
//! What does not fit (two triggers in one clause, `<>` of a formula with an inner `<>` after a
//! state condition, ...) is unsupported, so that the caller falls back to the lasso search.

use crate::eval::eval::instances;
use crate::ir::rewrite::{angle, boolean, boxed, is_temporal, mentions_primed};
use crate::ir::{Expr, ExprKind, Fairness, Op, Quantifier, Spec};

/// A state or action formula, or a conjunction or disjunction of them.
#[derive(Clone, Debug)]
pub enum Atom {
    Formula { expr: Expr, positive: bool },
    All(Vec<Atom>),
    Any(Vec<Atom>),
}

impl Atom {
    /// Whether the atom is about a step (it mentions a primed variable) rather than a state.
    pub fn is_action(&self) -> bool {
        match self {
            Atom::Formula { expr, .. } => mentions_primed(expr),
            Atom::All(parts) | Atom::Any(parts) => parts.iter().any(Atom::is_action),
        }
    }
}

/// `<>(now /\ []then_always)`.
#[derive(Clone, Debug, Default)]
pub struct Trigger {
    pub now: Vec<Atom>,
    pub then_always: Vec<Atom>,
}

#[derive(Clone, Debug, Default)]
pub struct Clause {
    pub initially: Vec<Atom>,
    pub always: Vec<Atom>,
    pub trigger: Option<Trigger>,
    pub eventually_always: Vec<Atom>,
    pub infinitely_often: Vec<Atom>,
}

impl Clause {
    /// `<>a` and nothing else: the negation of a safety property `[]P` or `[][A]_v`.
    pub fn violated_invariant(&self) -> Option<&Atom> {
        let trigger = self.trigger.as_ref()?;
        let only_trigger = self.initially.is_empty()
            && self.always.is_empty()
            && self.eventually_always.is_empty()
            && self.infinitely_often.is_empty()
            && trigger.then_always.is_empty();
        match trigger.now.as_slice() {
            [atom] if only_trigger => Some(atom),
            _ => None,
        }
    }

    /// Whether the clause has no `<>[]` and no `[]<>` part.
    fn suffix_free(&self) -> bool {
        self.eventually_always.is_empty() && self.infinitely_often.is_empty()
    }

    /// Whether the clause is the same on every suffix of a behaviour.
    fn suffix_invariant(&self) -> bool {
        self.initially.is_empty() && self.always.is_empty() && self.trigger.is_none()
    }

    fn and(mut self, other: Clause) -> Result<Clause, String> {
        self.trigger = match (self.trigger, other.trigger) {
            (Some(_), Some(_)) => return Err("two <> of a formula with an inner []".into()),
            (one, other) => one.or(other),
        };
        self.initially.extend(other.initially);
        self.always.extend(other.always);
        self.eventually_always.extend(other.eventually_always);
        self.infinitely_often.extend(other.infinitely_often);
        Ok(self)
    }

    /// `[]` of the clause.
    fn always(self) -> Clause {
        let mut always = self.initially;
        always.extend(self.always);
        let mut clause = Clause {
            always,
            ..Clause::default()
        };
        clause.eventually_always = self.eventually_always;
        clause.infinitely_often = self.infinitely_often;
        if let Some(trigger) = self.trigger {
            // [](<>(s /\ []g)) is []<>s /\ <>[]g.
            clause.infinitely_often.push(Atom::All(trigger.now));
            clause.eventually_always.extend(trigger.then_always);
        }
        clause
    }

    /// `<>` of the clause.
    fn eventually(mut self) -> Result<Clause, String> {
        if self.trigger.is_some() {
            if self.initially.is_empty() && self.always.is_empty() {
                return Ok(self);
            }
            return Err("<> of a formula with an inner <>[] after a condition".into());
        }
        if self.initially.is_empty() {
            // <>([]g /\ I) is <>[]g /\ I.
            let always = std::mem::take(&mut self.always);
            self.eventually_always.extend(always);
        } else {
            self.trigger = Some(Trigger {
                now: std::mem::take(&mut self.initially),
                then_always: std::mem::take(&mut self.always),
            });
        }
        Ok(self)
    }
}

/// A formula in negation normal form.
enum Form {
    Atom(Atom),
    And(Vec<Form>),
    Or(Vec<Form>),
    Always(Box<Form>),
    Eventually(Box<Form>),
}

/// The clauses of `~property`, or why it is outside the fragment.
pub fn negation(spec: &Spec, property: &Expr) -> Result<Vec<Clause>, String> {
    let form = Reader { spec }.read(property, false)?;
    clauses(form)
}

/// More clauses than this is a property outside what the search is for.
const MAX_CLAUSES: usize = 256;

fn clauses(form: Form) -> Result<Vec<Clause>, String> {
    let result = match form {
        Form::Atom(atom) => vec![Clause {
            initially: vec![atom],
            ..Clause::default()
        }],
        Form::Or(parts) => {
            let mut all = Vec::new();
            for part in parts {
                all.extend(clauses(part)?);
            }
            all
        }
        Form::And(parts) => {
            let mut all = vec![Clause::default()];
            for part in parts {
                let choices = clauses(part)?;
                let mut combined = Vec::new();
                for clause in &all {
                    for choice in &choices {
                        combined.push(clause.clone().and(choice.clone())?);
                    }
                }
                all = combined;
                if all.len() > MAX_CLAUSES {
                    return Err("the negated property has too many disjuncts".into());
                }
            }
            all
        }
        Form::Always(body) => always(clauses(*body)?)?,
        Form::Eventually(body) => clauses(*body)?
            .into_iter()
            .map(Clause::eventually)
            .collect::<Result<_, _>>()?,
    };
    if result.len() > MAX_CLAUSES {
        return Err("the negated property has too many disjuncts".into());
    }
    Ok(result)
}

/// `[]` of a disjunction of clauses: `[](c1 \/ … \/ I1 \/ …)` is `[](c1 \/ …) \/ I1 \/ …` for
/// the suffix-invariant `I`s; the rest must be state or action formulas alone.
fn always(disjuncts: Vec<Clause>) -> Result<Vec<Clause>, String> {
    if let [single] = disjuncts.as_slice() {
        return Ok(vec![single.clone().always()]);
    }
    let (invariant, rest): (Vec<Clause>, Vec<Clause>) =
        disjuncts.into_iter().partition(Clause::suffix_invariant);
    let mut alternatives = Vec::new();
    for clause in rest {
        if clause.always.is_empty() && clause.trigger.is_none() && clause.suffix_free() {
            alternatives.push(Atom::All(clause.initially));
        } else {
            return Err("[] of a disjunction of temporal formulas".into());
        }
    }
    let mut result = invariant;
    if !alternatives.is_empty() {
        result.push(Clause {
            always: vec![Atom::Any(alternatives)],
            ..Clause::default()
        });
    }
    Ok(result)
}

struct Reader<'a> {
    spec: &'a Spec,
}

impl Reader<'_> {
    /// `expr` (when `positive`) or its negation, in negation normal form; a part without
    /// temporal operators is one atom.
    fn read(&self, expr: &Expr, positive: bool) -> Result<Form, String> {
        if !is_temporal(expr) {
            return Ok(atom(expr.clone(), positive));
        }
        Ok(match &*expr.kind {
            ExprKind::Apply(Op::And, args) => junction(self.all(args, positive)?, positive),
            ExprKind::Apply(Op::Or, args) => junction(self.all(args, positive)?, !positive),
            ExprKind::Apply(Op::Not, args) if args.len() == 1 => self.read(&args[0], !positive)?,
            ExprKind::Apply(Op::Implies, args) if args.len() == 2 => {
                let parts = vec![
                    self.read(&args[0], !positive)?,
                    self.read(&args[1], positive)?,
                ];
                junction(parts, !positive)
            }
            ExprKind::Apply(Op::Equiv, args) if args.len() == 2 => {
                // (a /\ b) \/ (~a /\ ~b), negated (a /\ ~b) \/ (~a /\ b).
                let (a, b) = (&args[0], &args[1]);
                let same = junction(vec![self.read(a, true)?, self.read(b, positive)?], true);
                let other = junction(vec![self.read(a, false)?, self.read(b, !positive)?], true);
                junction(vec![same, other], false)
            }
            ExprKind::If(cond, then, other) => {
                let then = junction(
                    vec![self.read(cond, true)?, self.read(then, positive)?],
                    true,
                );
                let other = junction(
                    vec![self.read(cond, false)?, self.read(other, positive)?],
                    true,
                );
                junction(vec![then, other], false)
            }
            ExprKind::Quant(q, binders, body) => {
                let parts = instances(self.spec, binders, body)?
                    .iter()
                    .map(|instance| self.read(instance, positive))
                    .collect::<Result<Vec<_>, _>>()?;
                junction(parts, (*q == Quantifier::Forall) == positive)
            }
            ExprKind::Always(body) => modal(self.read(body, positive)?, positive),
            ExprKind::Eventually(body) => modal(self.read(body, positive)?, !positive),
            ExprKind::LeadsTo(p, q) => {
                // P ~> Q is [](~P \/ <>Q), negated <>(P /\ []~Q).
                let q = modal(self.read(q, positive)?, !positive);
                let step = junction(vec![self.read(p, !positive)?, q], !positive);
                modal(step, positive)
            }
            ExprKind::BoxAction(action, vars) => atom(boxed(action, vars), positive),
            ExprKind::AngleAction(action, vars) => atom(angle(action, vars), positive),
            ExprKind::Fair(kind, vars, action) => fairness(*kind, vars, action, positive),
            _ => return Err("a temporal operator inside a state or action formula".into()),
        })
    }

    fn all(&self, args: &[Expr], positive: bool) -> Result<Vec<Form>, String> {
        args.iter().map(|a| self.read(a, positive)).collect()
    }
}

fn atom(expr: Expr, positive: bool) -> Form {
    Form::Atom(Atom::Formula { expr, positive })
}

/// `WF_v(A)` is `[]<>~ENABLED <<A>>_v \/ []<><<A>>_v`, `SF_v(A)` is
/// `<>[]~ENABLED <<A>>_v \/ []<><<A>>_v`; or their negations.
fn fairness(kind: Fairness, vars: &Expr, action: &Expr, positive: bool) -> Form {
    let step = angle(action, vars);
    let enabled = boolean(action, ExprKind::Enabled(step.clone()));
    let disabled = atom(enabled, !positive);
    let taken = atom(step, positive);
    let (outer, inner) = match kind {
        Fairness::Weak => (positive, !positive),
        Fairness::Strong => (!positive, positive),
    };
    let excused = modal(modal(disabled, inner), outer);
    let infinitely_taken = modal(modal(taken, !positive), positive);
    junction(vec![excused, infinitely_taken], !positive)
}

/// The conjunction (`conjoin`) or disjunction of `parts`; of atoms, one atom.
fn junction(parts: Vec<Form>, conjoin: bool) -> Form {
    if parts.iter().all(|part| matches!(part, Form::Atom(_))) {
        let atoms = parts
            .into_iter()
            .filter_map(|part| match part {
                Form::Atom(atom) => Some(atom),
                _ => None,
            })
            .collect();
        return Form::Atom(if conjoin {
            Atom::All(atoms)
        } else {
            Atom::Any(atoms)
        });
    }
    if conjoin {
        Form::And(parts)
    } else {
        Form::Or(parts)
    }
}

/// `[]body` (`always`) or `<>body`.
fn modal(body: Form, always: bool) -> Form {
    if always {
        Form::Always(Box::new(body))
    } else {
        Form::Eventually(Box::new(body))
    }
}
