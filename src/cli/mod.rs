//! The subcommands behind `smtcheck`'s arguments: each runs the pipeline up to its stage,
//! prints the result on stdout, diagnostics on stderr, and returns the exit code.

use crate::config::{default_config_path, parse_config, ModelConfig};
use crate::diag::{Diagnostic, FileId, Sources};
use crate::ir::Spec;
use crate::sema::{self, Options};
use crate::syntax::ast::{Module, Unit};
use crate::syntax::loader::{load_modules, read_source, ModuleSet};
use crate::types::{self, Types};
use std::io::IsTerminal;
use std::path::Path;

mod engines;
mod interrupt;
mod liveness;
mod stats;
mod typecheck;
pub use engines::Engine;
pub use typecheck::typecheck;
mod prove;
pub use prove::{prove, ProveRequest};

/// Prints a diagnostic on stderr (coloured on a terminal) and returns its exit code.
pub fn report(diagnostic: &Diagnostic, sources: &Sources) -> u8 {
    let color = std::io::stderr().is_terminal();
    eprint!("{}", diagnostic.render(sources, color));
    diagnostic.exit_code() as u8
}

/// Reads the model file: the one given, else `Spec.cfg` beside the module if it exists.
pub fn load_config(
    tla: &Path,
    explicit: Option<&Path>,
    sources: &mut Sources,
) -> Result<Option<(ModelConfig, FileId)>, Diagnostic> {
    let path = match explicit {
        Some(path) => path.to_path_buf(),
        None => {
            let beside = default_config_path(tla);
            if !beside.is_file() {
                return Ok(None);
            }
            beside
        }
    };
    let file = read_source(&path, sources)?;
    parse_config(file, sources.text(file)).map(|config| Some((config, file)))
}

/// A spec through every front-end stage: parsed, lowered to the IR, typed.
pub struct Frontend {
    pub sources: Sources,
    pub spec: Spec,
    pub types: Types,
}

/// A front end that failed: the diagnostic, and the sources it quotes.
pub struct FrontendError {
    pub diagnostic: Diagnostic,
    pub sources: Sources,
}

/// Runs the front end — parsing, semantic analysis, type inference, constant folding — and
/// returns the spec with the warnings worth showing, or the first error. Prints nothing.
pub fn compile(
    file: &Path,
    config: Option<&Path>,
    options: &Options,
) -> Result<(Frontend, Vec<String>), Box<FrontendError>> {
    let mut sources = Sources::new();
    let result = (|| {
        let modules = load_modules(file, &mut sources)?;
        let model = load_config(file, config, &mut sources)?;
        let lowered = sema::lower(&modules, model.as_ref().map(|(m, f)| (m, *f)), options)?;
        let mut spec = lowered.spec;
        let mut types = types::infer(&spec)?;
        crate::eval::fold_and_unroll(&mut spec, &mut types);
        Ok::<_, Diagnostic>((spec, types, lowered.warnings))
    })();
    match result {
        Ok((spec, types, warnings)) => Ok((
            Frontend {
                sources,
                spec,
                types,
            },
            warnings,
        )),
        Err(diagnostic) => Err(Box::new(FrontendError {
            diagnostic,
            sources,
        })),
    }
}

/// `compile`, printing the warnings on stderr; on error, prints the diagnostic and returns
/// the exit code.
pub fn frontend(file: &Path, config: Option<&Path>, options: &Options) -> Result<Frontend, u8> {
    match compile(file, config, options) {
        Ok((front, warnings)) => {
            for warning in &warnings {
                eprintln!("warning: {warning}");
            }
            Ok(front)
        }
        Err(error) => Err(report(&error.diagnostic, &error.sources)),
    }
}

/// `smtcheck parse FILE [--config F] [--ast]`
pub fn parse(file: &Path, config: Option<&Path>, ast: bool) -> u8 {
    let mut sources = Sources::new();
    let modules = match load_modules(file, &mut sources) {
        Ok(modules) => modules,
        Err(diagnostic) => return report(&diagnostic, &sources),
    };
    let model = match load_config(file, config, &mut sources) {
        Ok(model) => model,
        Err(diagnostic) => return report(&diagnostic, &sources),
    };
    if ast {
        for loaded in modules.modules.values() {
            println!("{:#?}", loaded.module);
        }
        if let Some((model, _)) = &model {
            println!("{model:#?}");
        }
    } else {
        print!("{}", summary(&modules, &sources));
        if let Some((model, _)) = &model {
            println!("config: {}", config_summary(model));
        }
    }
    0
}

/// One line per module: where it is and what it declares.
fn summary(modules: &ModuleSet, sources: &Sources) -> String {
    let mut out = String::new();
    for (name, loaded) in &modules.modules {
        let path = sources.path(loaded.file).display();
        out.push_str(&format!(
            "module {name} ({path}): {}\n",
            count_units(&loaded.module)
        ));
    }
    if !modules.standard.is_empty() {
        out.push_str(&format!(
            "standard modules: {}\n",
            modules.standard.join(", ")
        ));
    }
    out
}

fn count_units(module: &Module) -> String {
    let (mut constants, mut variables, mut definitions, mut assumptions, mut theorems) =
        (0, 0, 0, 0, 0);
    for unit in &module.units {
        match unit {
            Unit::Constants(decls) => constants += decls.len(),
            Unit::Variables(names) => variables += names.len(),
            Unit::OpDef(_) | Unit::FunDef(_) | Unit::ModuleDef(_) => definitions += 1,
            Unit::Assume(_) => assumptions += 1,
            Unit::Theorem(_) => theorems += 1,
            Unit::Recursive(_) | Unit::Instance(_) | Unit::Module(_) => {}
        }
    }
    format!(
        "{constants} constants, {variables} variables, {definitions} definitions, \
         {assumptions} assumptions, {theorems} theorems"
    )
}

fn config_summary(model: &ModelConfig) -> String {
    let behaviour = match (&model.specification, &model.init, &model.next) {
        (Some(spec), _, _) => format!("SPECIFICATION {}", spec.name),
        (None, Some(init), Some(next)) => format!("INIT {} NEXT {}", init.name, next.name),
        _ => "no behaviour".to_string(),
    };
    format!(
        "{behaviour}, {} constants, {} invariants, {} properties",
        model.constants.len(),
        model.invariants.len(),
        model.properties.len()
    )
}

/// What `smtcheck check` was asked to do, beyond choosing the behaviour.
#[derive(Clone, Debug)]
pub struct CheckRequest {
    pub depth: usize,
    pub timeout: Option<std::time::Duration>,
    /// Write the counterexample as ITF JSON to this file.
    pub trace_out: Option<std::path::PathBuf>,
    /// Print only the variables that change from state to state.
    pub diff: bool,
    /// Print one progress line per depth on stderr even when it is not a terminal.
    pub verbose: bool,
    pub json: bool,
    /// Print where the time went (`--stats`) on stderr.
    pub stats: bool,
    /// Which engine answers.
    pub engine: Engine,
}

/// Exit code for a solver `unknown`: neither a violation nor a proof of absence.
pub const EXIT_UNKNOWN: u8 = 14;

/// `smtcheck check FILE [--config F] [--depth K] …`
pub fn check(file: &Path, config: Option<&Path>, options: &Options, request: &CheckRequest) -> u8 {
    use crate::engine::Outcome;
    interrupt::watch();
    let started = std::time::Instant::now();
    let front = match frontend(file, config, options) {
        Ok(front) => front,
        Err(code) => return code,
    };
    let front_end_time = started.elapsed();
    if let Some(constant) = front.spec.constants.iter().find(|c| c.is_symbolic()) {
        // The solver could search over every value of it, but the evaluator could not replay
        // what it finds, and nothing is shown unreplayed.
        let diagnostic = Diagnostic::new(
            crate::diag::Kind::Unsupported,
            "E0601",
            format!(
                "the constant `{}` has no value in the config; `check` needs one",
                constant.name
            ),
        )
        .at(constant.loc.file, constant.loc.span, "declared here")
        .note("give it a value in the .cfg file, e.g. `CONSTANT N = 3` or `Node = {n1, n2}`");
        return report(&diagnostic, &front.sources);
    }
    if let Some(code) = check_assumptions(&front) {
        return code;
    }
    // BMC asks its induction questions with the configured constants left symbolic too, which
    // costs the same at a thousand nodes as at three.
    let general = prove::general_frontend(file, config, options, &front.spec);
    let answered = engines::answer(&front, general, request);
    engines::print_figures(&answered, request, front_end_time);
    let outcome = match answered.outcome {
        Ok(outcome) => outcome,
        Err(diagnostic) => return report(&diagnostic, &front.sources),
    };
    let (claim, trace, violation) = match outcome {
        Outcome::NoViolation { depth } => {
            let what = if front.spec.check_deadlock {
                "invariant violation or deadlock"
            } else {
                "invariant violation"
            };
            let temporal = match liveness::check_properties(&front, request) {
                Ok(summary) => summary,
                Err(code) => return code,
            };
            let mut lines = vec![format!(
                "No {what} in any behaviour of up to {depth} steps."
            )];
            lines.extend(temporal);
            return print_verdict(request, &lines, 0, depth);
        }
        Outcome::Unknown { depth, reason } => {
            let who = engines::who(answered.by);
            let lines = [
                format!("Unknown: {who} could not decide at depth {depth} ({reason})."),
                format!("Behaviours of fewer than {depth} steps have no violation."),
            ];
            return print_verdict(request, &lines, EXIT_UNKNOWN, depth);
        }
        Outcome::InvariantViolated { name, trace } => {
            let violation = Violation::Invariant(name.clone());
            (
                crate::eval::Claim::InvariantViolated(name),
                trace,
                violation,
            )
        }
        Outcome::Deadlock { trace } => (crate::eval::Claim::Deadlock, trace, Violation::Deadlock),
        Outcome::EvaluationError { trace, error } => {
            // Certified already: the engine shows only an error the evaluator raised itself.
            let violation = Violation::EvaluationError(error.message.clone());
            report(&Diagnostic::from(error), &front.sources);
            return report_counterexample(&front, request, &trace, &violation, Ok(()));
        }
    };
    let replay_started = std::time::Instant::now();
    let certified = certify(&front.spec, &trace, claim);
    if request.stats {
        stats::print_replay(replay_started.elapsed());
    }
    report_counterexample(&front, request, &trace, &violation, certified)
}

/// Prints a verdict that has no trace (no violation, or unknown) and returns its exit code:
/// the lines as text, or with `--format json` one object shaped like a counterexample's
/// (`verdict`, `exit`), with the depth searched instead of a trace.
fn print_verdict(request: &CheckRequest, lines: &[String], code: u8, depth: usize) -> u8 {
    if request.json {
        let summary =
            serde_json::json!({ "verdict": lines.join(" "), "exit": code, "depth": depth });
        println!(
            "{}",
            serde_json::to_string_pretty(&summary).unwrap_or_default()
        );
    } else {
        for line in lines {
            println!("{line}");
        }
    }
    code
}

/// What a counterexample shows, which decides its headline and TLC's exit code.
enum Violation {
    Invariant(String),
    Deadlock,
    /// A safety property (`[]P`, `[][A]_v`), broken by a finite behaviour.
    Property(String),
    /// A temporal property, broken by a lasso.
    Lasso(String),
    /// Evaluating the last state (its invariants, constraints or successors) stops with this
    /// error, as in TLC.
    EvaluationError(String),
}

impl Violation {
    fn headline(&self, trace: &crate::ir::Behaviour) -> String {
        let steps = trace.steps.len().saturating_sub(1);
        match self {
            Violation::Invariant(name) => {
                format!("Invariant {name} is violated by a behaviour of {steps} steps.")
            }
            Violation::Deadlock => {
                format!("Deadlock reached after {steps} steps: no action is enabled.")
            }
            Violation::Property(name) => {
                format!("Property {name} is violated by a behaviour of {steps} steps.")
            }
            Violation::Lasso(name) => format!(
                "Temporal property {name} is violated by a lasso of {} states.",
                trace.steps.len()
            ),
            Violation::EvaluationError(message) => format!(
                "Error: {message}\nEvaluation stops with this error in the last state of a \
                 behaviour of {steps} steps."
            ),
        }
    }

    fn exit_code(&self) -> u8 {
        match self {
            Violation::Invariant(_) | Violation::Property(_) => 12,
            Violation::Deadlock => 11,
            Violation::Lasso(_) => 13,
            // TLC's exit code for an evaluation failure.
            Violation::EvaluationError(_) => 75,
        }
    }
}

/// Shows a counterexample — on stdout as text or JSON, and in the `--trace-out` file — once
/// the evaluator has `certified` it; an uncertified one is an internal error (exit 255).
fn report_counterexample(
    front: &Frontend,
    request: &CheckRequest,
    behaviour: &crate::ir::Behaviour,
    violation: &Violation,
    certified: Result<(), String>,
) -> u8 {
    let (headline, code) = (violation.headline(behaviour), violation.exit_code());
    if let Err(failure) = certified {
        eprintln!("internal error: the solver's counterexample does not replay: {failure}");
        eprintln!("This is a bug in smtcheck's encoding, not in the spec. The trace was:");
        let listing =
            crate::trace::text(&front.spec, &front.sources, behaviour, Default::default());
        eprint!("{listing}");
        return 255;
    }
    if let Some(path) = &request.trace_out {
        let itf = crate::trace::itf(&front.spec, &front.types, behaviour);
        let text = serde_json::to_string_pretty(&itf).unwrap_or_default();
        if let Err(error) = std::fs::write(path, text + "\n") {
            eprintln!("error: cannot write `{}`: {error}", path.display());
            return 255;
        }
    }
    if request.json {
        let itf = crate::trace::itf(&front.spec, &front.types, behaviour);
        let summary = serde_json::json!({ "verdict": headline, "exit": code, "trace": itf });
        println!(
            "{}",
            serde_json::to_string_pretty(&summary).unwrap_or_default()
        );
    } else {
        println!("{headline}\n");
        let options = crate::trace::TextOptions { diff: request.diff };
        print!(
            "{}",
            crate::trace::text(&front.spec, &front.sources, behaviour, options)
        );
    }
    code
}

/// Evaluates the spec's `ASSUME`s (when every constant is fixed); a false one is exit 10.
fn check_assumptions(front: &Frontend) -> Option<u8> {
    if front.spec.constants.iter().any(|c| c.is_symbolic()) {
        return None;
    }
    let no_state: Vec<crate::value::Value> = Vec::new();
    let ctx = crate::eval::Ctx::new(&front.spec, &no_state);
    for assumption in &front.spec.assumptions {
        match crate::eval::eval::eval_bool(&assumption.expr, &ctx) {
            Ok(true) => {}
            Ok(false) => {
                let diagnostic = Diagnostic::new(
                    crate::diag::Kind::Assumption,
                    "E0600",
                    "an assumption is false",
                )
                .at(
                    assumption.loc.file,
                    assumption.loc.span,
                    "false for the configured constants",
                );
                return Some(report(&diagnostic, &front.sources));
            }
            Err(error) => return Some(report(&Diagnostic::from(error), &front.sources)),
        }
    }
    None
}

/// Replays a counterexample with the independent evaluator.
fn certify(
    spec: &Spec,
    behaviour: &crate::ir::Behaviour,
    claim: crate::eval::Claim,
) -> Result<(), String> {
    crate::eval::replay(spec, &behaviour.steps, claim)
        .map_err(|e| format!("state {}: {}", e.state, e.message))
}

/// `smtcheck encode FILE [--depth K]`: the SMT-LIB 2 text of Init, K steps and the negated
/// invariants, for review and for other solvers.
pub fn encode(file: &Path, config: Option<&Path>, options: &Options, depth: usize) -> u8 {
    let front = match frontend(file, config, options) {
        Ok(front) => front,
        Err(code) => return code,
    };
    match crate::smt::smtlib(&front.spec, &front.types, depth) {
        Ok(text) => {
            print!("{text}");
            0
        }
        Err(diagnostic) => report(&diagnostic, &front.sources),
    }
}

/// `smtcheck explore FILE [--depth K] [--max-states N]`: explicit-state breadth-first search
/// with the evaluator, as TLC does it; the oracle the symbolic engine is tested against. Once
/// every reachable state is found, the temporal properties are decided on the whole graph.
pub fn explore(
    file: &Path,
    config: Option<&Path>,
    options: &Options,
    limits: crate::eval::Limits,
) -> u8 {
    use crate::eval::Verdict;
    let front = match frontend(file, config, options) {
        Ok(front) => front,
        Err(code) => return code,
    };
    if let Some(code) = check_assumptions(&front) {
        return code;
    }
    let exploration = match crate::eval::explore(&front.spec, limits) {
        Ok(exploration) => exploration,
        Err(error) => return report(&Diagnostic::from(error), &front.sources),
    };
    let states = exploration.distinct_states;
    let (headline, code) = match &exploration.verdict {
        Verdict::NoViolation { complete: true } => (
            format!("No violation: all {states} reachable states explored."),
            0,
        ),
        Verdict::NoViolation { complete: false } => (
            format!(
                "No violation in {states} states up to depth {}.",
                exploration.depth_reached
            ),
            0,
        ),
        Verdict::LimitReached => (
            format!("Stopped after {states} states: no violation found so far."),
            0,
        ),
        Verdict::InvariantViolated(name) => (format!("Invariant {name} is violated."), 12),
        Verdict::Deadlock => ("Deadlock reached: no action is enabled.".to_string(), 11),
    };
    println!("{headline}");
    if let Some(steps) = exploration.trace {
        let behaviour = crate::ir::Behaviour {
            steps,
            loop_start: None,
        };
        println!();
        print!(
            "{}",
            crate::trace::text(&front.spec, &front.sources, &behaviour, Default::default())
        );
    }
    if exploration.verdict == (Verdict::NoViolation { complete: true }) {
        return liveness::explore_properties(&front, limits.max_states);
    }
    code
}
