//! The seed protocol examples in `examples/` as a regression suite.
//!
//! Every example directory holds an `expected.toml` with one table per model file:
//!
//! ```toml
//! ["FencedLock_nofencing.cfg"]
//! spec = "FencedLock.tla"            # optional when the directory holds one module
//! verdict = "invariant"              # ok | invariant | deadlock
//! invariant = "NoStaleWrite"         # for verdict = "invariant"
//! length = 4                         # counterexample length in steps (states minus one)
//! actions = ["Acquire", "Expire", "Acquire", "Write", "Write"]
//! depth = 20                         # optional: explore only this many steps
//! check_depth = 5                    # optional: also run `smtcheck check --depth 5`
//! violated_property = "Liveness"     # optional: `check` finds this temporal property violated
//! lasso = 3                          # ... by a lasso of this many states
//! benchmark = true                   # optional: too big to explore here; only typecheck it
//! ```
//!
//! Each model is run through the explicit-state explorer of the library, which must find
//! exactly the expected verdict and a shortest counterexample with the expected action names.
//! A model with a `check_depth` is also run through the `smtcheck check` binary (bounded model
//! checking with Z3), which must exit with the verdict's code (0, 11 or 12) and, for a
//! violation, report the same invariant and a counterexample of the same length. Its action
//! sequence is not compared: when several shortest counterexamples exist the solver may find
//! any of them (the binary replays it through the evaluator before printing it). The depth
//! is per model because bounded model checking is costly on some models: a violation needs
//! `check_depth >= length`, and an `ok` model is checked only up to that many steps.
//! `check` also checks the model's temporal properties (`PROPERTY`), which the explorer does
//! not: with a `violated_property`, it must exit with 13 and report a lasso of `lasso` states.
//! (The file is a small subset of TOML, read by the parser below: tables with quoted or bare
//! names, and keys with string, integer, boolean or string-array values.)

use smtcheck::eval::{explore, Limits, Verdict};
use smtcheck::ir::ActionInstance;
use smtcheck::sema::Options;
use smtcheck::trace::action_label;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// No small example model should come near this; a runaway model fails instead of hanging.
const MAX_STATES: usize = 200_000;

/// What one model is expected to do.
#[derive(Debug, Default, PartialEq)]
struct Expectation {
    config: String,
    spec: Option<String>,
    verdict: String,
    invariant: Option<String>,
    length: Option<usize>,
    actions: Option<Vec<String>>,
    depth: Option<usize>,
    check_depth: Option<usize>,
    violated_property: Option<String>,
    lasso: Option<usize>,
    benchmark: bool,
}

/// A value on the right of `=`.
#[derive(Debug, PartialEq)]
enum Item {
    Str(String),
    Int(usize),
    Bool(bool),
    List(Vec<String>),
}

/// Parses `expected.toml`: a sequence of `[table]`s of `key = value` lines.
fn parse_expectations(text: &str) -> Result<Vec<Expectation>, String> {
    let mut expectations: Vec<Expectation> = Vec::new();
    for (number, raw) in text.lines().enumerate() {
        let line = strip_comment(raw).trim();
        if line.is_empty() {
            continue;
        }
        let context = |message: String| format!("line {}: {message}", number + 1);
        if let Some(header) = line.strip_prefix('[') {
            let name = header
                .strip_suffix(']')
                .ok_or_else(|| context("unclosed table header".into()))?;
            expectations.push(Expectation {
                config: unquote(name.trim()).map_err(context)?,
                ..Expectation::default()
            });
            continue;
        }
        let current = expectations
            .last_mut()
            .ok_or_else(|| context("a key before the first table".into()))?;
        let (key, value) = line
            .split_once('=')
            .ok_or_else(|| context("expected `key = value`".into()))?;
        let item = parse_item(value.trim()).map_err(context)?;
        set_field(current, key.trim(), item).map_err(context)?;
    }
    Ok(expectations)
}

/// The line without a trailing `# comment` (a `#` inside a string stays).
fn strip_comment(line: &str) -> &str {
    let mut in_string = false;
    for (at, c) in line.char_indices() {
        match c {
            '"' => in_string = !in_string,
            '#' if !in_string => return &line[..at],
            _ => {}
        }
    }
    line
}

fn unquote(text: &str) -> Result<String, String> {
    match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(inner) if !inner.contains('"') => Ok(inner.to_string()),
        Some(_) => Err(format!("escaped quotes are not supported: {text}")),
        None if !text.is_empty() && !text.contains(['"', ' ']) => Ok(text.to_string()),
        None => Err(format!("not a name or a string: {text}")),
    }
}

fn parse_item(text: &str) -> Result<Item, String> {
    if text.starts_with('"') {
        return unquote(text).map(Item::Str);
    }
    if let Some(inner) = text.strip_prefix('[') {
        let inner = inner
            .strip_suffix(']')
            .ok_or_else(|| format!("unclosed list: {text}"))?;
        let items = inner
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| match item.starts_with('"') {
                true => unquote(item),
                false => Err(format!("a list holds strings only: {item}")),
            })
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(Item::List(items));
    }
    match text {
        "true" => Ok(Item::Bool(true)),
        "false" => Ok(Item::Bool(false)),
        _ => text
            .parse()
            .map(Item::Int)
            .map_err(|_| format!("not a value: {text}")),
    }
}

fn set_field(expectation: &mut Expectation, key: &str, item: Item) -> Result<(), String> {
    match (key, item) {
        ("spec", Item::Str(s)) => expectation.spec = Some(s),
        ("verdict", Item::Str(s)) => expectation.verdict = s,
        ("invariant", Item::Str(s)) => expectation.invariant = Some(s),
        ("length", Item::Int(n)) => expectation.length = Some(n),
        ("actions", Item::List(names)) => expectation.actions = Some(names),
        ("depth", Item::Int(n)) => expectation.depth = Some(n),
        ("check_depth", Item::Int(n)) => expectation.check_depth = Some(n),
        ("violated_property", Item::Str(s)) => expectation.violated_property = Some(s),
        ("lasso", Item::Int(n)) => expectation.lasso = Some(n),
        ("benchmark", Item::Bool(b)) => expectation.benchmark = b,
        (key, item) => return Err(format!("unexpected key or value: {key} = {item:?}")),
    }
    Ok(())
}

/// What a model did, in the same terms as an expectation.
#[derive(Debug, PartialEq)]
struct Outcome {
    verdict: String,
    invariant: Option<String>,
    length: Option<usize>,
    actions: Option<Vec<String>>,
}

impl Outcome {
    /// The outcome as the table `expected.toml` would hold for it.
    fn as_toml(&self, config: &str) -> String {
        let mut out = format!("[\"{config}\"]\nverdict = \"{}\"\n", self.verdict);
        if let Some(invariant) = &self.invariant {
            let _ = writeln!(out, "invariant = \"{invariant}\"");
        }
        if let Some(length) = self.length {
            let _ = writeln!(out, "length = {length}");
        }
        if let Some(actions) = &self.actions {
            let quoted: Vec<String> = actions.iter().map(|a| format!("\"{a}\"")).collect();
            let _ = writeln!(out, "actions = [{}]", quoted.join(", "));
        }
        out
    }
}

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

/// Every example directory with an `expected.toml`, sorted by name.
fn example_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(examples_dir())
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|path| path.join("expected.toml").is_file())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs
}

fn load_expectations(dir: &Path) -> Vec<Expectation> {
    let path = dir.join("expected.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    parse_expectations(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The module a model file belongs to: the one named, else the only `.tla` file.
fn spec_path(dir: &Path, expectation: &Expectation) -> PathBuf {
    if let Some(spec) = &expectation.spec {
        return dir.join(spec);
    }
    let modules: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|path| path.extension().is_some_and(|ext| ext == "tla"))
                .collect()
        })
        .unwrap_or_default();
    match modules.as_slice() {
        [only] => only.clone(),
        _ => panic!("{}: name the spec of {}", dir.display(), expectation.config),
    }
}

/// What the explorer reported besides the outcome, to explain a mismatch.
struct Details {
    distinct_states: usize,
    /// The counterexample's steps with their parameters, as `Acquire(c1)`.
    steps: Vec<String>,
}

/// Runs the front end and the explorer on one model.
fn explore_model(tla: &Path, cfg: &Path, depth: Option<usize>) -> (Outcome, Details) {
    let front = smtcheck::cli::frontend(tla, Some(cfg), &Options::default())
        .unwrap_or_else(|code| panic!("{}: front end failed with exit code {code}", cfg.display()));
    let limits = Limits {
        max_states: MAX_STATES,
        max_depth: depth.unwrap_or(usize::MAX),
        ..Limits::default()
    };
    let exploration = explore(&front.spec, limits)
        .unwrap_or_else(|e| panic!("{}: evaluation failed: {e}", cfg.display()));
    let verdict = match &exploration.verdict {
        Verdict::NoViolation { .. } => "ok",
        Verdict::InvariantViolated(_) => "invariant",
        Verdict::Deadlock => "deadlock",
        Verdict::LimitReached => panic!(
            "{}: more than {MAX_STATES} states; size the model down",
            cfg.display()
        ),
    };
    let invariant = match &exploration.verdict {
        Verdict::InvariantViolated(name) => Some(name.clone()),
        _ => None,
    };
    // The trace's first step is the initial state, entered by no action.
    let taken = || {
        exploration
            .trace
            .iter()
            .flatten()
            .filter_map(|step| step.action.as_ref())
    };
    let name_of = |instance: &ActionInstance| {
        front
            .spec
            .actions
            .get(instance.action)
            .map_or_else(|| format!("Action#{}", instance.action), |a| a.name.clone())
    };
    let actions = exploration
        .trace
        .as_ref()
        .map(|_| taken().map(name_of).collect::<Vec<_>>());
    let outcome = Outcome {
        verdict: verdict.to_string(),
        invariant,
        length: actions.as_ref().map(Vec::len),
        actions,
    };
    let steps = taken()
        .map(|instance| action_label(&front.spec, instance))
        .collect();
    let details = Details {
        distinct_states: exploration.distinct_states,
        steps,
    };
    (outcome, details)
}

fn expected_outcome(expectation: &Expectation) -> Outcome {
    Outcome {
        verdict: expectation.verdict.clone(),
        invariant: expectation.invariant.clone(),
        length: expectation.length,
        actions: expectation.actions.clone(),
    }
}

/// The exit code `smtcheck check` gives a verdict.
fn exit_code_of(verdict: &str) -> Option<i32> {
    match verdict {
        "ok" => Some(0),
        "deadlock" => Some(11),
        "invariant" => Some(12),
        _ => None,
    }
}

/// Runs `smtcheck check --format json` on one model; returns its exit code and, for a
/// violation, the parsed report.
fn run_check(tla: &Path, cfg: &Path, depth: usize) -> (Option<i32>, Option<serde_json::Value>) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_smtcheck"))
        .arg("check")
        .arg(tla)
        .arg("--config")
        .arg(cfg)
        .arg("--depth")
        .arg(depth.to_string())
        .args(["--format", "json"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run smtcheck: {e}"));
    let report = serde_json::from_slice(&output.stdout).ok();
    (output.status.code(), report)
}

/// Compares what `smtcheck check` reports with the expectation; returns the mismatches.
fn compare_check(
    expectation: &Expectation,
    code: Option<i32>,
    report: Option<&serde_json::Value>,
) -> Vec<String> {
    if let Some(property) = &expectation.violated_property {
        return compare_lasso(property, expectation.lasso, code, report);
    }
    let mut problems = Vec::new();
    if code != exit_code_of(&expectation.verdict) {
        problems.push(format!(
            "exit code {code:?} for verdict {}",
            expectation.verdict
        ));
        return problems;
    }
    if expectation.verdict == "ok" {
        return problems;
    }
    let Some(report) = report else {
        problems.push("no JSON report on stdout".to_string());
        return problems;
    };
    let headline = report["verdict"].as_str().unwrap_or_default();
    if let Some(invariant) = &expectation.invariant {
        if !headline.starts_with(&format!("Invariant {invariant} ")) {
            problems.push(format!(
                "verdict `{headline}`, expected invariant {invariant}"
            ));
        }
    }
    // The trace lists states; the first is the initial one.
    let steps = report["trace"]["states"]
        .as_array()
        .map(|s| s.len().saturating_sub(1));
    if steps != expectation.length {
        problems.push(format!(
            "a counterexample of {steps:?} steps, expected {:?}",
            expectation.length
        ));
    }
    problems
}

/// Compares what `smtcheck check` reports with an expected violation of the temporal
/// `property` by a lasso of `states` states; returns the mismatches.
fn compare_lasso(
    property: &str,
    states: Option<usize>,
    code: Option<i32>,
    report: Option<&serde_json::Value>,
) -> Vec<String> {
    if code != Some(13) {
        return vec![format!("exit code {code:?}, expected 13 (liveness)")];
    }
    let Some(report) = report else {
        return vec!["no JSON report on stdout".to_string()];
    };
    let mut problems = Vec::new();
    let headline = report["verdict"].as_str().unwrap_or_default();
    if !headline.starts_with(&format!("Temporal property {property} ")) {
        problems.push(format!(
            "verdict `{headline}`, expected property {property}"
        ));
    }
    let found = report["trace"]["states"].as_array().map(Vec::len);
    if found != states {
        problems.push(format!("a lasso of {found:?} states, expected {states:?}"));
    }
    if !report["trace"]["loop"].is_u64() {
        problems.push("the trace has no loop".to_string());
    }
    problems
}

/// Checks every model of one example directory; returns a description of each mismatch.
fn check_example(dir: &Path) -> Vec<String> {
    let mut failures = Vec::new();
    for expectation in load_expectations(dir) {
        let tla = spec_path(dir, &expectation);
        let cfg = dir.join(&expectation.config);
        assert!(cfg.is_file(), "{} does not exist", cfg.display());
        let started = std::time::Instant::now();
        if expectation.benchmark {
            // Too big to explore in a test; it must still make it through the front end.
            let front = smtcheck::cli::frontend(&tla, Some(&cfg), &Options::default());
            if let Err(code) = front {
                failures.push(format!("{}: front end exit code {code}", cfg.display()));
            }
            eprintln!("{}: front end in {:?}", cfg.display(), started.elapsed());
            continue;
        }
        let (outcome, details) = explore_model(&tla, &cfg, expectation.depth);
        eprintln!(
            "{}: {} states in {:?}",
            cfg.display(),
            details.distinct_states,
            started.elapsed()
        );
        if outcome != expected_outcome(&expectation) {
            failures.push(format!(
                "{}: the explorer found ({} distinct states; trace: {})\n{}",
                cfg.display(),
                details.distinct_states,
                details.steps.join(" -> "),
                outcome.as_toml(&expectation.config)
            ));
        }
        if let Some(depth) = expectation.check_depth {
            let started = std::time::Instant::now();
            let (code, report) = run_check(&tla, &cfg, depth);
            eprintln!(
                "{}: smtcheck check --depth {depth} in {:?}",
                cfg.display(),
                started.elapsed()
            );
            for problem in compare_check(&expectation, code, report.as_ref()) {
                failures.push(format!("{}: smtcheck check: {problem}", cfg.display()));
            }
        }
    }
    failures
}

/// Runs the checks of the example directory `name`.
fn run_example(name: &str) {
    let dir = examples_dir().join(name);
    let failures = check_example(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_example_has_a_test() {
    let names: Vec<String> = example_dirs()
        .iter()
        .filter_map(|dir| dir.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    assert_eq!(
        names,
        [
            "failover",
            "fenced_lock",
            "idempotent_consumer",
            "leader_election",
            "saga",
            "token_mutex"
        ]
    );
}

#[test]
fn failover() {
    run_example("failover");
}

#[test]
fn fenced_lock() {
    run_example("fenced_lock");
}

#[test]
fn idempotent_consumer() {
    run_example("idempotent_consumer");
}

#[test]
fn leader_election() {
    run_example("leader_election");
}

#[test]
fn saga() {
    run_example("saga");
}

#[test]
fn token_mutex() {
    run_example("token_mutex");
}

#[test]
fn expectations_parse_tables_keys_and_comments() {
    let text = "# models\n[\"A.cfg\"]\nverdict = \"invariant\" # why\ninvariant = \"Inv\"\n\
                length = 2\nactions = [\"Go\", \"Stop\"]\n\n[B.cfg]\nverdict = \"ok\"\n\
                depth = 20\ncheck_depth = 3\nbenchmark = true\n";
    let parsed = parse_expectations(text);
    assert_eq!(
        parsed,
        Ok(vec![
            Expectation {
                config: "A.cfg".into(),
                verdict: "invariant".into(),
                invariant: Some("Inv".into()),
                length: Some(2),
                actions: Some(vec!["Go".into(), "Stop".into()]),
                ..Expectation::default()
            },
            Expectation {
                config: "B.cfg".into(),
                verdict: "ok".into(),
                depth: Some(20),
                check_depth: Some(3),
                benchmark: true,
                ..Expectation::default()
            },
        ])
    );
}

#[test]
fn expectations_reject_keys_outside_a_table_and_unknown_keys() {
    assert_eq!(
        parse_expectations("verdict = \"ok\"\n"),
        Err("line 1: a key before the first table".to_string())
    );
    assert_eq!(
        parse_expectations("[A.cfg]\ncolour = \"red\"\n"),
        Err("line 2: unexpected key or value: colour = Str(\"red\")".to_string())
    );
}

#[test]
fn check_reports_are_compared_by_exit_code_invariant_and_length() {
    let expectation = Expectation {
        config: "A.cfg".into(),
        verdict: "invariant".into(),
        invariant: Some("Inv".into()),
        length: Some(2),
        ..Expectation::default()
    };
    let report = serde_json::json!({
        "verdict": "Invariant Inv is violated by a behaviour of 2 steps.",
        "exit": 12,
        "trace": { "states": [{}, {}, {}] },
    });
    assert_eq!(
        compare_check(&expectation, Some(12), Some(&report)),
        Vec::<String>::new()
    );
    assert_eq!(
        compare_check(&expectation, Some(0), None),
        ["exit code Some(0) for verdict invariant"]
    );
    let longer = serde_json::json!({
        "verdict": "Invariant Other is violated by a behaviour of 3 steps.",
        "trace": { "states": [{}, {}, {}, {}] },
    });
    assert_eq!(
        compare_check(&expectation, Some(12), Some(&longer)),
        [
            "verdict `Invariant Other is violated by a behaviour of 3 steps.`, expected invariant Inv",
            "a counterexample of Some(3) steps, expected Some(2)"
        ]
    );
}
