//! Temporal properties under fairness, end to end: `smtcheck check` on the mutexes of
//! `tests/fixtures/liveness/`, the lasso certification of the evaluator, and the explicit
//! search of the whole state graph (`eval::fair_cycles`), which must give the bounded lasso
//! search's verdicts and lasso lengths.
//!
//! * `OneShot`: each process takes the lock once. Without fairness a waiting process may wait
//!   forever, but only by the whole system stopping (stuttering); weak fairness rules it out.
//! * `Cyclic`: processes take the lock again and again. Under weak fairness one process can
//!   starve while the other cycles (its `Enter` is enabled only now and then); strong fairness
//!   on `Enter` rules that out.

#[path = "support/binary.rs"]
mod binary;

use binary::{actions, smtcheck, Run};
use smtcheck::cli::compile;
use smtcheck::engine::liveness::{self, Outcome};
use smtcheck::engine::Options;
use smtcheck::eval::fair_cycles::{self, Answer, Budget};
use smtcheck::eval::lasso::replay_lasso;
use smtcheck::ir::Behaviour;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/liveness")
        .join(name)
}

/// `smtcheck check Module.tla --config Model.cfg --depth 10 args…` on the fixtures.
fn check(module: &str, model: &str, args: &[&str]) -> Run {
    let dir = fixture("");
    let (module, model) = (format!("{module}.tla"), format!("{model}.cfg"));
    let mut all = vec!["check", &module, "--config", &model, "--depth", "10"];
    all.extend_from_slice(args);
    smtcheck(&dir, &all)
}

/// The lasso search of the library on one model.
fn lasso_search(module: &str, model: &str) -> (smtcheck::cli::Frontend, Outcome) {
    let (front, _) = compile(
        &fixture(&format!("{module}.tla")),
        Some(&fixture(&format!("{model}.cfg"))),
        &Default::default(),
    )
    .unwrap_or_else(|e| panic!("front end: {:?}", e.diagnostic));
    let options = Options {
        depth: 10,
        timeout: None,
    };
    let outcome = liveness::check(&front.spec, &front.types, &options).expect("search runs");
    (front, outcome)
}

/// The action names of a behaviour's steps, without parameters.
fn action_names(front: &smtcheck::cli::Frontend, trace: &Behaviour) -> Vec<String> {
    trace
        .steps
        .iter()
        .filter_map(|step| step.action.as_ref())
        .map(|a| front.spec.actions[a.action].name.clone())
        .collect()
}

/// The explicit search of the whole state graph on one model.
fn graph_search(module: &str, model: &str) -> (smtcheck::cli::Frontend, Answer) {
    let (front, _) = compile(
        &fixture(&format!("{module}.tla")),
        Some(&fixture(&format!("{model}.cfg"))),
        &Default::default(),
    )
    .unwrap_or_else(|e| panic!("front end: {:?}", e.diagnostic));
    let budget = Budget {
        max_states: 10_000,
        deadline: None,
    };
    let answer = fair_cycles::check(&front.spec, budget).expect("the graph search runs");
    (front, answer)
}

fn violated_lasso(outcome: Outcome) -> (String, Behaviour) {
    match outcome {
        Outcome::LivenessViolated { name, trace } => (name, trace),
        other => panic!("expected a liveness violation, got {other:?}"),
    }
}

#[test]
fn without_fairness_a_waiting_process_starves_by_stuttering() {
    let (front, outcome) = lasso_search("OneShot", "OneShot_nofair");
    let (name, trace) = violated_lasso(outcome);
    assert_eq!(name, "NoStarvation");
    assert_eq!(trace.steps.len(), 2);
    // Every behaviour of OneShot ends with everyone done, so the only way to starve is for
    // the system to stop: the lasso loops on its last state.
    assert_eq!(trace.loop_start, Some(1));
    assert_eq!(action_names(&front, &trace), ["Request"]);
}

#[test]
fn the_stuttering_lasso_is_printed_as_tlc_prints_it() {
    let run = check("OneShot", "OneShot_nofair", &[]);
    assert_eq!(run.code, 13, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("Temporal property NoStarvation is violated by a lasso of 2 states.\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.ends_with("\nState 3: Stuttering\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn weak_fairness_rules_out_starvation_of_one_shot_processes() {
    let run = check("OneShot", "OneShot_wf", &["--engine", "bmc"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(
        run.stdout,
        "No invariant violation in any behaviour of up to 10 steps.\n\
         No violation of the temporal properties NoStarvation, MutualExclusion, \
         EventuallyAllDone in any lasso of up to 11 states.\n"
    );
}

#[test]
fn a_small_model_is_decided_on_its_whole_state_graph() {
    let run = check("OneShot", "OneShot_wf", &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.ends_with(
            "No violation of the temporal properties NoStarvation, MutualExclusion, \
             EventuallyAllDone: all 15 reachable states searched.\n"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn a_violated_always_property_is_a_safety_violation_with_a_finite_trace() {
    let run = check("OneShot", "OneShot_safety", &[]);
    assert_eq!(run.code, 12, "{}", run.stderr);
    assert!(run
        .stdout
        .starts_with("Property NobodyEnters is violated by a behaviour of 2 steps.\n"));
    assert!(!run.stdout.contains("Back to state"));
}

#[test]
fn a_violated_always_conjunct_is_a_safety_violation_of_its_property() {
    // NobodyEntersYetAllDone is (\A p : [](pc[p] /= "cs")) /\ <>[](…): the instance for p1
    // fails after Request(p1), Enter(p1), and is certified on its own.
    let run = check("OneShot", "OneShot_conjuncts", &[]);
    assert_eq!(run.code, 12, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.starts_with(
            "Property NobodyEntersYetAllDone is violated by a behaviour of 2 steps.\n"
        ),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("Back to state"), "{}", run.stdout);
}

#[test]
fn under_weak_fairness_a_process_starves_while_the_other_cycles() {
    let (front, outcome) = lasso_search("Cyclic", "Cyclic_wf");
    let (name, trace) = violated_lasso(outcome);
    // LockFreedAgain and ExitOnlyFromCs hold; NoStarvation is checked third.
    assert_eq!(name, "NoStarvation");
    assert_eq!(trace.steps.len(), 4);
    assert_eq!(trace.loop_start, Some(1));
    assert_eq!(
        action_names(&front, &trace),
        ["Request", "Request", "Enter"]
    );
}

#[test]
fn the_weak_fairness_lasso_in_text() {
    let run = check("Cyclic", "Cyclic_wf", &[]);
    assert_eq!(run.code, 13, "{}", run.stderr);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn the_itf_trace_of_a_lasso_names_its_loop_start() {
    let path = std::env::temp_dir().join(format!("smtcheck-lasso-{}.json", std::process::id()));
    let out = path.to_str().expect("utf-8 path");
    let run = check("Cyclic", "Cyclic_wf", &["--trace-out", out]);
    assert_eq!(run.code, 13, "{}", run.stderr);
    let text = std::fs::read_to_string(&path).expect("ITF written");
    let itf: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(itf["loop"], serde_json::json!(1));
    assert_eq!(itf["states"].as_array().map(Vec::len), Some(4));
}

#[test]
fn strong_fairness_on_enter_rules_out_starvation() {
    let run = check("Cyclic", "Cyclic_sf", &["--engine", "bmc"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(
        run.stdout,
        "No invariant violation in any behaviour of up to 10 steps.\n\
         No violation of the temporal properties LockFreedAgain, ExitOnlyFromCs, NoStarvation \
         in any lasso of up to 11 states.\n"
    );
}

#[test]
fn temporal_selects_the_properties_to_check() {
    let args = ["--temporal", "LockFreedAgain", "--engine", "bmc"];
    let run = check("Cyclic", "Cyclic_wf", &args);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(
        run.stdout,
        "No invariant violation in any behaviour of up to 10 steps.\n\
         No violation of the temporal properties LockFreedAgain in any lasso of up to 11 states.\n"
    );
}

#[test]
fn the_certifier_rejects_a_lasso_that_is_not_fair() {
    // The starvation lasso under weak fairness is not strongly fair to the starving process.
    let (_, outcome) = lasso_search("Cyclic", "Cyclic_wf");
    let (name, lasso) = violated_lasso(outcome);
    let (strong, _) = compile(
        &fixture("Cyclic.tla"),
        Some(&fixture("Cyclic_sf.cfg")),
        &Default::default(),
    )
    .unwrap_or_else(|e| panic!("front end: {:?}", e.diagnostic));
    let property = strong
        .spec
        .properties
        .iter()
        .find(|p| p.name == name)
        .expect("the property");
    let error = replay_lasso(&strong.spec, &lasso, property).expect_err("not strongly fair");
    assert!(
        error.message.contains("fairness condition does not hold"),
        "{}",
        error.message
    );
}

#[test]
fn the_certifier_rejects_a_loop_that_does_not_close() {
    let (front, outcome) = lasso_search("Cyclic", "Cyclic_wf");
    let (name, mut lasso) = violated_lasso(outcome);
    // From the last state (p2 in its critical section) no step leads back to the first.
    lasso.loop_start = Some(0);
    let property = front.spec.properties.iter().find(|p| p.name == name);
    let error = replay_lasso(&front.spec, &lasso, property.expect("the property"))
        .expect_err("the loop does not close");
    assert_eq!(
        error.message,
        "no action leads from the last state back to state 1"
    );
}

#[test]
fn enabled_in_a_guard_holds_exactly_when_the_action_can_be_taken() {
    // A process gives up only when `~ENABLED Enter(p)`: while the lock is free it cannot, so
    // nobody gives up before somebody has entered.
    let run = check("GiveUp", "GiveUp", &["--inv", "GaveUpOnlyAfterAnEntry"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout,
        "No invariant violation in any behaviour of up to 10 steps.\n"
    );
}

#[test]
fn enabled_in_an_invariant_finds_the_stop_before_everybody_is_done() {
    // `~(ENABLED Next) <=> all done` fails once one process entered, the other gave up and the
    // first left; the evaluator, replaying the trace, computes `ENABLED` its own way.
    let run = check("GiveUp", "GiveUp", &[]);
    assert_eq!(run.code, 12, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .starts_with("Invariant StopsIffAllDone is violated by a behaviour of 3 steps.\n"),
        "{}",
        run.stdout
    );
    let names: Vec<String> = actions(&run.stdout)
        .iter()
        .map(|action| action.split('(').next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(names, ["Enter", "GiveUp", "Exit"]);
}

/// `smtcheck check` on a model of the TLA+ Examples corpus (`../shared/corpus`), `None` when
/// the corpus is not there.
fn check_corpus(dir: &str, module: &str, args: &[&str]) -> Option<Run> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/tla-examples/specifications")
        .join(dir);
    if !root.exists() {
        eprintln!("{} not found: skipping the corpus test", root.display());
        return None;
    }
    let (module, model) = (format!("{module}.tla"), format!("{module}.cfg"));
    let mut all = vec!["check", &module, "--config", &model];
    all.extend_from_slice(args);
    Some(smtcheck(&root, &all))
}

#[test]
fn the_real_time_hour_clock_stops_at_four_as_tlc_finds() {
    // The invariant search checks deadlock first: `ENABLED BigNext`, whose conjuncts are
    // `[NowNext]_now` and `[HCnxt]_hr`, must be solved through their stuttering sides, or
    // its negation is a quantified formula Z3 gives up on (unknown at depth 0).
    let Some(run) = check_corpus("SpecifyingSystems/RealTime", "MCRealTimeHourClock", &[]) else {
        return;
    };
    assert_eq!(run.code, 13, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .starts_with("Temporal property ErrorTemporal is violated by a lasso of 2 states.\n"),
        "{}",
        run.stdout
    );
    // Without fairness (the model's `Fairness` is commented out) time may stop at 4.
    let last = run.stdout.split("State 2:").nth(1).unwrap_or_default();
    assert!(last.contains("/\\ now = 4\n"), "{}", run.stdout);
    assert!(last.ends_with("\nState 3: Stuttering\n"), "{}", run.stdout);
}

#[test]
fn stats_list_each_property_and_length_of_the_lasso_search() {
    let args = [
        "check",
        "Cyclic.tla",
        "--config",
        "Cyclic_sf.cfg",
        "--depth",
        "3",
        "--stats",
        "--engine",
        "bmc",
    ];
    let run = smtcheck(&fixture(""), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for property in ["LockFreedAgain", "NoStarvation"] {
        let lengths = run
            .stderr
            .lines()
            .filter(|line| line.split_whitespace().nth(1) == Some(property))
            .count();
        assert_eq!(
            lengths, 4,
            "{property}: one line per lasso of 1 to 4 states"
        );
    }
    assert!(run.stderr.contains("stats: lasso search encoding"));
}

/// What a search found, as both searches can say it: the verdict, the property, the length.
fn summary_of_bounded(outcome: Outcome) -> String {
    match outcome {
        Outcome::NoViolation { .. } => "holds".into(),
        Outcome::SafetyViolated { name, trace, .. } => {
            format!("{name} fails after {} states", trace.steps.len())
        }
        Outcome::LivenessViolated { name, trace } => format!(
            "{name} fails on a lasso of {} states back to {:?}",
            trace.steps.len(),
            trace.loop_start
        ),
        Outcome::Unknown { reason, .. } => format!("unknown: {reason}"),
    }
}

fn summary_of_graph_search(answer: &Answer) -> String {
    match answer {
        Answer::Holds { .. } => "holds".into(),
        Answer::SafetyViolated { name, trace, .. } => {
            format!("{name} fails after {} states", trace.len())
        }
        Answer::LivenessViolated { name, trace } => format!(
            "{name} fails on a lasso of {} states back to {:?}",
            trace.steps.len(),
            trace.loop_start
        ),
        other => format!("{other:?}"),
    }
}

#[test]
fn the_graph_search_agrees_with_the_lasso_search_on_every_fixture() {
    // Mutexes with and without weak fairness, `~>`, `[]<>`, `<>[]`, `[][A]_v`, fairness
    // quantified over the processes, strong fairness, and a starvation only by stuttering.
    let models = [
        ("OneShot", "OneShot_nofair"),
        ("OneShot", "OneShot_wf"),
        ("OneShot", "OneShot_safety"),
        ("OneShot", "OneShot_conjuncts"),
        ("Cyclic", "Cyclic_wf"),
        ("Cyclic", "Cyclic_sf"),
        ("Boxed", "Boxed_nofair"),
        ("Boxed", "Boxed_wf"),
    ];
    for (module, model) in models {
        let (_, bounded) = lasso_search(module, model);
        let (front, explicit) = graph_search(module, model);
        assert_eq!(
            summary_of_graph_search(&explicit),
            summary_of_bounded(bounded),
            "{model}"
        );
        if let Answer::LivenessViolated { name, trace } = &explicit {
            let property = front.spec.properties.iter().find(|p| &p.name == name);
            replay_lasso(&front.spec, trace, property.expect("the property"))
                .unwrap_or_else(|e| panic!("{model}: the lasso does not replay: {}", e.message));
        }
    }
}

#[test]
fn the_graph_search_finds_starvation_by_stuttering_as_a_loop_on_the_last_state() {
    let (front, answer) = graph_search("OneShot", "OneShot_nofair");
    let Answer::LivenessViolated { name, trace } = answer else {
        panic!("expected a lasso, got {answer:?}");
    };
    assert_eq!(name, "NoStarvation");
    assert_eq!(trace.loop_start, Some(1));
    assert_eq!(action_names(&front, &trace), ["Request"]);
}

#[test]
fn the_graph_search_finds_the_starvation_under_weak_fairness() {
    let (front, answer) = graph_search("Cyclic", "Cyclic_wf");
    let Answer::LivenessViolated { name, trace } = answer else {
        panic!("expected a lasso, got {answer:?}");
    };
    assert_eq!(name, "NoStarvation");
    assert_eq!(trace.loop_start, Some(1));
    assert_eq!(
        action_names(&front, &trace),
        ["Request", "Request", "Enter"]
    );
}

#[test]
fn a_next_state_relation_of_boxed_actions_is_decided_on_the_graph() {
    // `[Tick]_now /\ [Flip]_hr`: each box steps or keeps its variable. Without fairness the
    // clock may stop at 0; under `WF_now(Tick)`, whose `ENABLED` leaves hr' free, it reaches 3.
    let (_, answer) = graph_search("Boxed", "Boxed_nofair");
    assert_eq!(
        summary_of_graph_search(&answer),
        "EventuallyLate fails on a lasso of 1 states back to Some(0)"
    );
    let (_, answer) = graph_search("Boxed", "Boxed_wf");
    assert_eq!(answer, Answer::Holds { states: 8 });
}

#[test]
fn a_graph_beyond_the_budget_is_left_to_the_lasso_search() {
    let (front, _) = graph_search("Cyclic", "Cyclic_sf");
    let budget = Budget {
        max_states: 3,
        deadline: None,
    };
    let answer = fair_cycles::check(&front.spec, budget).expect("the graph search runs");
    assert_eq!(answer, Answer::TooLarge);
}

#[test]
fn explore_decides_the_temporal_properties_once_every_state_is_found() {
    let args = [
        "explore",
        "Cyclic.tla",
        "--config",
        "Cyclic_wf.cfg",
        "--temporal",
        "NoStarvation",
    ];
    let run = smtcheck(&fixture(""), &args);
    assert_eq!(run.code, 13, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.starts_with(
            "No violation: all 8 reachable states explored.\n\
             Temporal property NoStarvation is violated by a lasso of 4 states.\n"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.ends_with("\nBack to state 2\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn explore_finds_no_starvation_under_strong_fairness() {
    let args = ["explore", "Cyclic.tla", "--config", "Cyclic_sf.cfg"];
    let run = smtcheck(&fixture(""), &args);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout,
        "No violation: all 8 reachable states explored.\n\
         No violation of the temporal properties LockFreedAgain, ExitOnlyFromCs, NoStarvation: \
         all 8 reachable states searched.\n"
    );
}

#[test]
fn the_alternating_bit_protocol_is_decided_on_its_graph() {
    // Two WF and two SF conditions: the lasso search cannot show within its time that no fair
    // lasso violates SentLeadsToRcvd; the 240 states of the graph settle it, as TLC does.
    let Some(run) = check_corpus(
        "SpecifyingSystems/TLC",
        "MCAlternatingBit",
        &["--depth", "10"],
    ) else {
        return;
    };
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.ends_with(
            "No violation of the temporal properties ABCSpec, SentLeadsToRcvd: all 240 \
             reachable states searched.\n"
        ),
        "{}",
        run.stdout
    );
}
