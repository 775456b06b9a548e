//! `smtcheck prove Spec.tla --inv IndInv [--prop P]... [--k K]`: prove an inductive
//! invariant, and the properties it implies, for every depth and for every value of the
//! constants the config leaves symbolic.
//!
//! Prints one line per obligation with its verdict and time, then each counterexample: the
//! values of the symbolic constants, the states (as the trace printer lists them), and for a
//! counterexample to induction the conjunct of `IndInv` that breaks. The engine certifies
//! every counterexample with the evaluator first; one that does not certify is an internal
//! error.
//!
//! Where the config gives sets of model values, the module is compiled a second time with
//! those left symbolic, for the engine's general question (`engine::prove::general`).
//! Exit code: 0 when every obligation is proved, 75 when evaluation stops with an error in a
//! counterexample (as TLC's on an evaluation error), 12 when one has another counterexample,
//! 14 (`EXIT_UNKNOWN`) when the solver could not decide one; 10 when the configured
//! constants break an `ASSUME`, or no constants satisfy them all.

use super::{check_assumptions, compile, frontend, report, Frontend, EXIT_UNKNOWN};
use crate::engine::prove::certify::Certificate;
use crate::engine::prove::general::{general, generalizable};
use crate::engine::prove::{
    self, inductive_conjuncts, Counterexample, Failure, Obligation, Outcome, Verdict,
};
use crate::eval::EvalError;
use crate::ir::{Behaviour, Spec};
use crate::sema::Options;
use serde_json::{json, Value as Json};
use std::path::Path;
use std::time::Duration;

/// What `smtcheck prove` was asked to do.
#[derive(Clone, Debug)]
pub struct ProveRequest {
    /// The inductive invariant: the conjunction of these (at least one).
    pub inductive: Vec<String>,
    /// The properties it should imply.
    pub properties: Vec<String>,
    /// k-induction's k (1: plain induction).
    pub k: usize,
    /// The budget of each obligation.
    pub timeout: Option<Duration>,
    pub json: bool,
}

/// Exit code of a failed obligation: a safety violation, as TLC's.
const EXIT_VIOLATED: u8 = 12;
/// Exit code of a counterexample whose last state stops evaluation with an error, as TLC's.
const EXIT_EVALUATION_ERROR: u8 = 75;
/// Exit code of an invariant named on the command line that was not lowered: a bug.
const EXIT_INTERNAL: u8 = 255;

/// `smtcheck prove FILE --inv IndInv [--prop P]... [--config F] [--k K] [--timeout S]`
pub fn prove(file: &Path, config: Option<&Path>, request: &ProveRequest) -> u8 {
    let mut names: Vec<String> = Vec::new();
    for name in request.inductive.iter().chain(&request.properties) {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    let options = Options {
        invariants: names,
        ..Options::default()
    };
    let front = match frontend(file, config, &options) {
        Ok(front) => front,
        Err(code) => return code,
    };
    if let Some(code) = check_assumptions(&front) {
        return code;
    }
    let spec = &front.spec;
    let position = |name: &str| spec.invariants.iter().position(|inv| inv.name == name);
    let positions = |names: &[String]| {
        names
            .iter()
            .map(|n| position(n))
            .collect::<Option<Vec<_>>>()
    };
    let (Some(inductive), Some(properties)) = (
        positions(&request.inductive),
        positions(&request.properties),
    ) else {
        eprintln!("internal error: an invariant named on the command line was not lowered");
        return EXIT_INTERNAL;
    };
    let engine_options = prove::Options {
        inductive,
        properties,
        k: request.k.max(1),
        timeout: request.timeout,
    };
    let general_front = general_frontend(file, config, &options, spec);
    let general = general_front
        .as_ref()
        .and_then(|g| general(spec, &g.spec, &g.types));
    let outcomes = match prove::prove_with(spec, &front.types, general.as_ref(), &engine_options) {
        Ok(outcomes) => outcomes,
        Err(diagnostic) => return report(&diagnostic, &front.sources),
    };
    let code = exit_code(&outcomes);
    let report = Report {
        front: &front,
        options: &engine_options,
        outcomes: &outcomes,
    };
    if request.json {
        let mut summary = report.json();
        summary["exit"] = json!(code);
        println!(
            "{}",
            serde_json::to_string_pretty(&summary).unwrap_or_default()
        );
    } else {
        print!("{}", report.text());
    }
    code
}

/// The module compiled again with the sets of model values the config gives to `spec`'s
/// constants left symbolic; `None` when there are none, or when it does not compile (a set's
/// type may then be known only from its value), and the general question is not asked.
pub(super) fn general_frontend(
    file: &Path,
    config: Option<&Path>,
    options: &Options,
    spec: &Spec,
) -> Option<Frontend> {
    let symbolic = generalizable(spec);
    if symbolic.is_empty() {
        return None;
    }
    let options = Options {
        symbolic,
        ..options.clone()
    };
    compile(file, config, &options).ok().map(|(front, _)| front)
}

fn exit_code(outcomes: &[Outcome]) -> u8 {
    let any = |f: fn(&Verdict) -> bool| outcomes.iter().any(|o| f(&o.verdict));
    if any(|v| matches!(v, Verdict::Violated(cex, _) if cex.failure == Failure::Undefined)) {
        EXIT_EVALUATION_ERROR
    } else if any(|v| matches!(v, Verdict::Violated(..))) {
        EXIT_VIOLATED
    } else if any(|v| matches!(v, Verdict::Unknown(_))) {
        EXIT_UNKNOWN
    } else {
        0
    }
}

/// `initiation`, `consecution Enter`, `implication Mutex`.
fn obligation_name(spec: &Spec, obligation: &Obligation) -> String {
    match obligation {
        Obligation::Initiation => "initiation".to_string(),
        Obligation::Consecution(action) => format!("consecution {}", action_name(spec, *action)),
        Obligation::Implication(property) => {
            let name = spec
                .invariants
                .get(*property)
                .map_or("?", |p| p.name.as_str());
            format!("implication {name}")
        }
    }
}

/// An action's name, numbered (`Decide#2`) when several disjuncts of `Next` share it.
fn action_name(spec: &Spec, action: usize) -> String {
    let name = spec.actions.get(action).map_or("?", |a| a.name.as_str());
    let same: Vec<usize> = (0..spec.actions.len())
        .filter(|i| spec.actions[*i].name == name)
        .collect();
    match same.iter().position(|i| *i == action) {
        Some(place) if same.len() > 1 => format!("{name}#{}", place + 1),
        _ => name.to_string(),
    }
}

/// The outcomes of one `prove`, with what is needed to show them.
struct Report<'a> {
    front: &'a Frontend,
    options: &'a prove::Options,
    outcomes: &'a [Outcome],
}

impl Report<'_> {
    fn spec(&self) -> &Spec {
        &self.front.spec
    }

    /// `IndInv`, or `TypeOK /\ Inv` for several.
    fn inductive_name(&self) -> String {
        let invariants = &self.spec().invariants;
        let names: Vec<&str> = self
            .options
            .inductive
            .iter()
            .filter_map(|i| invariants.get(*i).map(|inv| inv.name.as_str()))
            .collect();
        names.join(" /\\ ")
    }

    fn symbolic_constants(&self) -> Vec<&str> {
        let constants = &self.spec().constants;
        constants
            .iter()
            .filter(|c| c.is_symbolic())
            .map(|c| c.name.as_str())
            .collect()
    }

    /// The violated outcomes with their certificates.
    fn failures(&self) -> impl Iterator<Item = (&Outcome, &Counterexample, &Certificate)> {
        self.outcomes.iter().filter_map(|o| match &o.verdict {
            Verdict::Violated(cex, certificate) => Some((o, cex, certificate)),
            _ => None,
        })
    }

    fn text(&self) -> String {
        let symbolic = self.symbolic_constants();
        let mut out = format!(
            "Proving {} inductive{} for {}.\n\n",
            self.inductive_name(),
            if self.options.k > 1 {
                format!(" (k = {})", self.options.k)
            } else {
                String::new()
            },
            if symbolic.is_empty() {
                "the configured constants".to_string()
            } else {
                format!("every value of {}", symbolic.join(", "))
            }
        );
        let width = self
            .outcomes
            .iter()
            .map(|o| obligation_name(self.spec(), &o.obligation).len())
            .max()
            .unwrap_or(0);
        for outcome in self.outcomes {
            let name = obligation_name(self.spec(), &outcome.obligation);
            let verdict = match &outcome.verdict {
                Verdict::Proved => "proved".to_string(),
                Verdict::Violated(..) => "violated".to_string(),
                Verdict::Unknown(reason) => format!("unknown ({reason})"),
            };
            out.push_str(&format!(
                "{name:<width$}  {:>8.3} s  {verdict}\n",
                outcome.time.as_secs_f64()
            ));
        }
        for (outcome, cex, certificate) in self.failures() {
            out.push('\n');
            out.push_str(&self.failure_text(outcome, cex, certificate));
        }
        out
    }

    fn failure_text(
        &self,
        outcome: &Outcome,
        cex: &Counterexample,
        certificate: &Certificate,
    ) -> String {
        let spec = self.spec();
        let inductive = self.inductive_name();
        let mut out = match (&outcome.obligation, &certificate.evaluation_error) {
            (obligation, Some(error)) => self.evaluation_error_text(obligation, cex, error),
            (obligation, None) => self.headline(obligation),
        };
        if let Some(c) = self.broken_conjunct(certificate) {
            out.push_str(&format!(
                "The conjunct that breaks: `{}` (line {}, col {})\n",
                c.text, c.line, c.col
            ));
        }
        let constants = self.constant_values(cex);
        if !constants.is_empty() {
            let listed: Vec<String> = constants
                .iter()
                .map(|(name, value)| format!("{name} = {value}"))
                .collect();
            // The claim is for every value of the symbolic constants: a counterexample
            // refutes it at these, which the evaluator has checked satisfy the ASSUMEs.
            out.push_str(&format!(
                "At this instance of the symbolic constants (it satisfies the ASSUMEs): {}\n",
                listed.join(", ")
            ));
        }
        out.push('\n');
        let listing = crate::trace::text(
            spec,
            &self.front.sources,
            &behaviour(cex),
            Default::default(),
        );
        if matches!(outcome.obligation, Obligation::Initiation) {
            out.push_str(&listing);
        } else {
            // The first state is any state satisfying IndInv, not an initial one.
            let title = format!("State 1: <a state satisfying {inductive}>");
            out.push_str(&listing.replacen("State 1: <Initial predicate>", &title, 1));
        }
        out
    }

    /// What a counterexample that breaks a formula shows.
    fn headline(&self, obligation: &Obligation) -> String {
        let spec = self.spec();
        let inductive = self.inductive_name();
        match obligation {
            Obligation::Initiation => {
                format!("Initiation fails: a reachable state breaks {inductive}.\n")
            }
            Obligation::Consecution(action) => format!(
                "Consecution fails for {}: a step from a state satisfying {inductive} \
                 leads to one that breaks it.\n",
                action_name(spec, *action)
            ),
            Obligation::Implication(property) => format!(
                "Implication fails: a state satisfying {inductive} breaks {}.\n",
                spec.invariants
                    .get(*property)
                    .map_or("?", |p| p.name.as_str())
            ),
        }
    }

    /// What a counterexample whose last state stops evaluation with `error` shows: the
    /// error, where, and in which state.
    fn evaluation_error_text(
        &self,
        obligation: &Obligation,
        cex: &Counterexample,
        error: &EvalError,
    ) -> String {
        let sources = &self.front.sources;
        let place = if sources.text(error.loc.file).is_empty() {
            String::new()
        } else {
            let (line, col) = sources.line_col(error.loc.file, error.loc.span.start);
            format!(" (line {line}, col {col})")
        };
        let inductive = self.inductive_name();
        let state = match obligation {
            // k states satisfying IndInv, and the step of the action when it was taken.
            Obligation::Consecution(action) if cex.steps.len() > self.options.k => format!(
                "the state a step of {} leads to from a state satisfying {inductive}",
                action_name(self.spec(), *action)
            ),
            Obligation::Consecution(action) => format!(
                "a state satisfying {inductive}, evaluating {}",
                action_name(self.spec(), *action)
            ),
            _ => "the last state of a behaviour from an initial state".to_string(),
        };
        format!(
            "Error: {}{place}\nEvaluation stops with this error in {state}.\n",
            error.message
        )
    }

    /// The broken conjunct: its source text (on one line) and where it starts.
    fn broken_conjunct(&self, certificate: &Certificate) -> Option<Conjunct> {
        let index = certificate.broken_conjunct?;
        let conjunct = inductive_conjuncts(self.spec(), self.options)
            .into_iter()
            .nth(index)?;
        let sources = &self.front.sources;
        let file = conjunct.loc.file;
        let span = conjunct.loc.span;
        let source = sources.text(file).get(span.start..span.end)?;
        let (line, col) = sources.line_col(file, span.start);
        let words: Vec<&str> = source.split_whitespace().collect();
        Some(Conjunct {
            text: words.join(" "),
            line,
            col,
        })
    }

    /// The symbolic constants' values in a counterexample, by name.
    fn constant_values(&self, cex: &Counterexample) -> Vec<(String, String)> {
        let constants = &self.spec().constants;
        constants
            .iter()
            .zip(&cex.constants)
            .filter(|(c, _)| c.is_symbolic())
            .filter_map(|(c, v)| Some((c.name.clone(), v.as_ref()?.to_string())))
            .collect()
    }

    fn json(&self) -> Json {
        let mut failures = self.failures();
        let obligations: Vec<Json> = self
            .outcomes
            .iter()
            .map(|outcome| {
                let mut entry = json!({
                    "obligation": obligation_name(self.spec(), &outcome.obligation),
                    "seconds": outcome.time.as_secs_f64(),
                });
                match &outcome.verdict {
                    Verdict::Proved => entry["verdict"] = json!("proved"),
                    Verdict::Unknown(reason) => {
                        entry["verdict"] = json!("unknown");
                        entry["reason"] = json!(reason);
                    }
                    Verdict::Violated(..) => {
                        entry["verdict"] = json!("violated");
                        if let Some((_, cex, certificate)) = failures.next() {
                            entry["counterexample"] = self.counterexample_json(cex, certificate);
                        }
                    }
                }
                entry
            })
            .collect();
        json!({
            "module": self.spec().module,
            "inductive": self.inductive_name(),
            "k": self.options.k,
            "symbolic": self.symbolic_constants(),
            "obligations": obligations,
        })
    }

    fn counterexample_json(&self, cex: &Counterexample, certificate: &Certificate) -> Json {
        let constants: serde_json::Map<String, Json> = self
            .constant_values(cex)
            .into_iter()
            .map(|(name, value)| (name, json!(value)))
            .collect();
        json!({
            "constants": constants,
            "broken_conjunct": self.broken_conjunct(certificate).map(|c| json!({
                "text": c.text,
                "line": c.line,
                "col": c.col,
            })),
            "trace": crate::trace::itf(self.spec(), &self.front.types, &behaviour(cex)),
        })
    }
}

/// A conjunct of the inductive invariant, as the source shows it.
struct Conjunct {
    text: String,
    line: usize,
    col: usize,
}

fn behaviour(cex: &Counterexample) -> Behaviour {
    Behaviour {
        steps: cex.steps.clone(),
        loop_start: None,
    }
}
