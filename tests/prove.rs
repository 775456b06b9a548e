//! `smtcheck prove` end to end: verdicts per obligation, exit codes, counterexamples to
//! induction (checked again here with the evaluator), text and JSON output, on the specs in
//! `tests/fixtures/prove/` and the examples' inductive invariants in `examples/`.

#[path = "support/binary.rs"]
mod binary;

use binary::{actions, smtcheck, Run};
use smtcheck::engine::prove::{self, Obligation, Verdict};
use smtcheck::eval::action::takes;
use smtcheck::eval::eval::eval_bool;
use smtcheck::eval::Ctx;
use std::path::{Path, PathBuf};

/// What begins the line of a counterexample's values of the symbolic constants.
const INSTANCE: &str = "At this instance of the symbolic constants (it satisfies the ASSUMEs): ";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/prove")
}

fn token_mutex() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/token_mutex")
}

/// `smtcheck prove module.tla args…` in `dir`.
fn prove_in(dir: &Path, module: &str, args: &[&str]) -> Run {
    let module = format!("{module}.tla");
    let mut all = vec!["prove", module.as_str()];
    all.extend_from_slice(args);
    smtcheck(dir, &all)
}

fn prove(module: &str, args: &[&str]) -> Run {
    prove_in(&fixtures(), module, args)
}

/// The obligation table: (obligation, verdict) per line, times left out.
fn verdicts(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .filter_map(|line| {
            let (name, rest) = line.split_once(char::is_numeric)?;
            let (_, verdict) = rest.split_once(" s  ")?;
            let verdict = verdict.split(' ').next()?;
            Some((name.trim().to_string(), verdict.to_string()))
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// The output with every obligation's time replaced by `T`, so it can be snapshotted.
fn without_times(stdout: &str) -> String {
    let mut out = String::new();
    for line in stdout.lines() {
        match line.split_once(" s  ") {
            Some((before, after)) if before.ends_with(|c: char| c.is_ascii_digit()) => {
                let name = before.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
                out.push_str(&format!("{name}T s  {after}\n"));
            }
            _ => out.push_str(&format!("{line}\n")),
        }
    }
    out
}

#[test]
fn the_token_ring_is_proved_for_every_number_of_nodes() {
    let run = prove_in(
        &token_mutex(),
        "TokenMutex",
        &[
            "--config",
            "TokenMutex_symbolic.cfg",
            "--inv",
            "IndInv",
            "--prop",
            "Mutex",
        ],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run
        .stdout
        .starts_with("Proving IndInv inductive for every value of N.\n"));
    assert_eq!(
        verdicts(&run.stdout),
        pairs(&[
            ("initiation", "proved"),
            ("consecution Request", "proved"),
            ("consecution Enter", "proved"),
            ("consecution Exit", "proved"),
            ("consecution PassToken", "proved"),
            ("implication Mutex", "proved"),
        ])
    );
}

#[test]
fn the_early_hand_over_gets_a_counterexample_to_induction() {
    let run = prove_in(
        &token_mutex(),
        "TokenMutex",
        &[
            "--config",
            "TokenMutex_pass_early_symbolic.cfg",
            "--inv",
            "IndInv",
        ],
    );
    assert_eq!(run.code, 12, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        verdicts(&run.stdout)[4],
        ("consecution PassToken".into(), "violated".into())
    );
    // Which of the two nodes passes the token is the solver's choice; the rest is not.
    let expected = [
        "Consecution fails for PassToken: a step from a state satisfying IndInv leads to one \
         that breaks it.\n",
        "The conjunct that breaks: `\\A i \\in Node : pc[i] = \"critical\" => token = i`",
        &format!("{INSTANCE}N = 2\n"),
        "State 1: <a state satisfying IndInv>\n",
        "State 2: <PassToken(",
    ];
    for line in expected {
        assert!(run.stdout.contains(line), "no {line:?} in\n{}", run.stdout);
    }
}

/// The whole text output for a counterexample to induction that is unique: `x < N` is
/// broken only by Inc from `x = N - 1`, and the smallest `N` is 1.
#[test]
fn a_counterexample_to_induction_is_printed_with_constants_and_states() {
    let run = prove("Counter", &["--inv", "BelowBound"]);
    assert_eq!(run.code, 12, "{}{}", run.stdout, run.stderr);
    insta::assert_snapshot!(without_times(&run.stdout));
}

#[test]
fn json_output_lists_each_obligation_and_the_counterexample() {
    let run = prove_in(
        &token_mutex(),
        "TokenMutex",
        &[
            "--config",
            "TokenMutex_pass_early_symbolic.cfg",
            "--inv",
            "IndInv",
            "--prop",
            "Mutex",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 12, "{}{}", run.stdout, run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON output");
    assert_eq!(json["exit"], 12);
    assert_eq!(json["inductive"], "IndInv");
    assert_eq!(json["k"], 1);
    assert_eq!(json["symbolic"], serde_json::json!(["N"]));
    let obligations = json["obligations"]
        .as_array()
        .expect("a list of obligations");
    let names: Vec<&str> = obligations
        .iter()
        .map(|o| o["obligation"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        names,
        [
            "initiation",
            "consecution Request",
            "consecution Enter",
            "consecution Exit",
            "consecution PassToken",
            "implication Mutex"
        ]
    );
    assert!(obligations.iter().all(|o| o["seconds"].is_f64()));
    let failed = &obligations[4];
    assert_eq!(failed["verdict"], "violated");
    let cex = &failed["counterexample"];
    assert_eq!(cex["constants"]["N"], "2");
    assert_eq!(
        cex["broken_conjunct"]["text"],
        r#"\A i \in Node : pc[i] = "critical" => token = i"#
    );
    let states = cex["trace"]["states"].as_array().expect("ITF states");
    assert_eq!(states.len(), 2);
    let action = states[1]["#meta"]["action"].as_str().unwrap_or("");
    assert!(action.starts_with("PassToken("), "{action}");
    assert_eq!(obligations[5]["verdict"], "proved");
}

/// The counterexample to induction the engine finds for `BelowBound`, checked with the
/// evaluator alone: the first state satisfies the invariant, the step is the action named,
/// and the second state breaks the invariant.
#[test]
fn a_wrong_invariant_gets_a_cti_that_the_evaluator_confirms() {
    let options = smtcheck::sema::Options {
        invariants: vec!["BelowBound".into()],
        ..Default::default()
    };
    let path = fixtures().join("Counter.tla");
    let (front, _) = smtcheck::cli::compile(&path, None, &options)
        .unwrap_or_else(|e| panic!("{}", e.diagnostic.message));
    let prove_options = prove::Options {
        inductive: vec![0],
        properties: Vec::new(),
        k: 1,
        timeout: None,
    };
    let outcomes = prove::prove(&front.spec, &front.types, &prove_options)
        .unwrap_or_else(|d| panic!("{}", d.message));
    let inc = outcomes
        .iter()
        .find(|o| o.obligation == Obligation::Consecution(0))
        .expect("an obligation for Inc");
    let Verdict::Violated(cti, _) = &inc.verdict else {
        panic!("Inc preserves BelowBound? {:?}", inc.verdict);
    };
    let mut spec = front.spec.clone();
    for (constant, value) in spec.constants.iter_mut().zip(&cti.constants) {
        constant.value = value.clone();
    }
    let invariant = &spec.invariants[0].expr;
    let [before, after] = cti.steps.as_slice() else {
        panic!("a CTI of {} states", cti.steps.len());
    };
    let holds = |state: &[smtcheck::value::Value]| {
        eval_bool(invariant, &Ctx::new(&spec, state)).expect("the invariant evaluates")
    };
    assert!(holds(&before.state), "the first state breaks the invariant");
    assert!(
        !holds(&after.state),
        "the second state satisfies the invariant"
    );
    let step = after.action.as_ref().expect("the step names its action");
    assert_eq!(step.action, 0);
    let taken = takes(
        &spec,
        step.action,
        &step.params,
        &before.state,
        &after.state,
    );
    assert_eq!(taken, Ok(Ok(())));
}

#[test]
fn an_initiation_failure_is_shown_from_an_initial_state() {
    let run = prove("Counter", &["--inv", "Positive"]);
    assert_eq!(run.code, 12, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        verdicts(&run.stdout)[0],
        ("initiation".into(), "violated".into())
    );
    assert!(run
        .stdout
        .contains("Initiation fails: a reachable state breaks Positive.\n"));
    assert!(run
        .stdout
        .contains("State 1: <Initial predicate>\n/\\ x = 0\n"));
}

#[test]
fn an_implication_failure_is_one_state_that_satisfies_the_invariant() {
    let run = prove(
        "Counter",
        &[
            "--inv",
            "InRange",
            "--prop",
            "NotNegative",
            "--prop",
            "BelowBound",
        ],
    );
    assert_eq!(run.code, 12, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        verdicts(&run.stdout),
        pairs(&[
            ("initiation", "proved"),
            ("consecution Inc", "proved"),
            ("consecution Reset", "proved"),
            ("implication NotNegative", "proved"),
            ("implication BelowBound", "violated"),
        ])
    );
    assert!(run
        .stdout
        .contains("Implication fails: a state satisfying InRange breaks BelowBound.\n"));
    assert!(run.stdout.contains(&format!("{INSTANCE}N = 1\n")));
    assert!(run.stdout.contains("/\\ x = 1\n"));
    assert!(!run.stdout.contains("State 2"));
}

#[test]
fn k_induction_proves_an_invariant_that_is_2_inductive_only() {
    let one = prove("Swap", &["--inv", "AIsZero"]);
    assert_eq!(one.code, 12, "{}{}", one.stdout, one.stderr);
    assert_eq!(
        verdicts(&one.stdout)[1],
        ("consecution Next".into(), "violated".into())
    );
    let two = prove("Swap", &["--inv", "AIsZero", "--k", "2"]);
    assert_eq!(two.code, 0, "{}{}", two.stdout, two.stderr);
    assert!(two.stdout.starts_with("Proving AIsZero inductive (k = 2)"));
}

#[test]
fn mutual_exclusion_is_proved_for_any_set_of_nodes() {
    let run = prove("Lock", &["--inv", "Inv", "--prop", "AtMostOne"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("for every value of Node."));
}

#[test]
fn what_the_cardinality_axioms_cannot_decide_is_unknown() {
    let run = prove("Lock", &["--inv", "Inv", "--prop", "Quorum"]);
    assert_eq!(run.code, 14, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        verdicts(&run.stdout),
        pairs(&[
            ("initiation", "proved"),
            ("consecution Acquire", "proved"),
            ("consecution Release", "proved"),
            ("implication Quorum", "unknown"),
        ])
    );
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("implication Quorum"));
    assert!(
        line.is_some_and(|l| l
            .ends_with("; `Cardinality` of a set of unknown size is known only by its axioms)")),
        "{}",
        run.stdout
    );
}

fn leader_election() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/leader_election")
}

/// Every obligation of the leader election's `IndInv` and `OneLeaderPerTerm`, proved.
fn leader_election_all_proved() -> Vec<(String, String)> {
    pairs(&[
        ("initiation", "proved"),
        ("consecution Timeout", "proved"),
        ("consecution GrantVote", "proved"),
        ("consecution BecomeLeader", "proved"),
        ("implication OneLeaderPerTerm", "proved"),
    ])
}

/// Majorities of a set of nodes of unknown size, counted with `Cardinality`: the proof needs
/// the quorum axiom (two majorities of `Node` share a node).
#[test]
fn leader_election_is_proved_for_any_set_of_nodes_and_any_number_of_terms() {
    let run = prove_in(
        &leader_election(),
        "LeaderElection",
        &[
            "--config",
            "LeaderElection_symbolic.cfg",
            "--inv",
            "IndInv",
            "--prop",
            "OneLeaderPerTerm",
        ],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run
        .stdout
        .starts_with("Proving IndInv inductive for every value of Node, MaxTerm.\n"));
    assert_eq!(verdicts(&run.stdout), leader_election_all_proved());
}

/// A hundred nodes written out in the config: each obligation is proved by the general
/// question (the set left symbolic, with its size), as fast as for any set of nodes. The
/// budget only turns a regression, where the encoding grows with the set, into a failure
/// instead of a test that runs for hours.
#[test]
fn leader_election_is_proved_for_a_hundred_configured_nodes() {
    let args = [
        "--config",
        "LeaderElection_100.cfg",
        "--inv",
        "IndInv",
        "--prop",
        "OneLeaderPerTerm",
        "--timeout",
        "60",
    ];
    let run = prove_in(&leader_election(), "LeaderElection", &args);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run
        .stdout
        .starts_with("Proving IndInv inductive for the configured constants.\n"));
    assert_eq!(verdicts(&run.stdout), leader_election_all_proved());
}

fn saga() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/saga")
}

/// Ten sagas of three steps: the general question leaves `Saga` symbolic and keeps
/// `NumSteps = 3`, and proves every obligation. With `NumSteps` symbolic too it decided none
/// (a range quantifier under one over a symbolic set), and the exact encoding of ten sagas
/// none within 20 s: every obligation but one was `unknown`.
#[test]
fn the_saga_is_proved_for_ten_configured_sagas() {
    let config = fixtures().join("Saga_10.cfg");
    let config = config.to_string_lossy();
    let args = [
        "--config",
        &config,
        "--inv",
        "IndInv",
        "--prop",
        "CompletedAllOrNothing",
        "--prop",
        "NoCompensationWithoutStep",
        "--timeout",
        "20",
    ];
    let run = prove_in(&saga(), "Saga", &args);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let actions = [
        "Start",
        "RunStep",
        "StepFails",
        "Compensate",
        "Commit",
        "Abort",
        "Restart",
    ];
    let mut expected = vec![("initiation".to_string(), "proved".to_string())];
    expected.extend(actions.map(|a| (format!("consecution {a}"), "proved".to_string())));
    expected.extend(pairs(&[
        ("implication CompletedAllOrNothing", "proved"),
        ("implication NoCompensationWithoutStep", "proved"),
    ]));
    assert_eq!(verdicts(&run.stdout), expected);
}

/// The inductive invariants of the examples no other test proves, with the properties their
/// configs check, at a small config and at a hundred members: every obligation proved.
#[test]
fn the_other_examples_inductive_invariants_are_proved_small_and_at_a_hundred() {
    let examples: [(&str, &str, [&str; 2], &[&str]); 4] = [
        (
            "fenced_lock",
            "FencedLock",
            ["FencedLock_symbolic.cfg", "FencedLock_100.cfg"],
            &["NoStaleWrite"],
        ),
        (
            "failover",
            "Failover",
            ["Failover.cfg", "Failover_100.cfg"],
            &["NoLostWrite", "OnePrimaryPerEpoch", "AckedOnAllInSync"],
        ),
        (
            "idempotent_consumer",
            "IdempotentConsumer",
            ["IdempotentConsumer.cfg", "IdempotentConsumer_100.cfg"],
            &["EffectOnce", "AckedWasApplied", "DedupeTellsTruth"],
        ),
        (
            "saga",
            "Saga",
            ["Saga.cfg", "Saga_100.cfg"],
            &["CompletedAllOrNothing", "NoCompensationWithoutStep"],
        ),
    ];
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    for (dir, module, configs, properties) in examples {
        for config in configs {
            let mut args = vec!["--config", config, "--inv", "IndInv", "--timeout", "60"];
            for property in properties {
                args.extend(["--prop", property]);
            }
            let run = prove_in(&root.join(dir), module, &args);
            assert_eq!(run.code, 0, "{config}: {}{}", run.stdout, run.stderr);
            let verdicts = verdicts(&run.stdout);
            let implied: Vec<&str> = verdicts
                .iter()
                .filter_map(|(name, _)| name.strip_prefix("implication "))
                .collect();
            assert_eq!(implied, properties, "{config}: {}", run.stdout);
        }
    }
}

/// Ten processes written out in the config: the obligation the general question cannot
/// prove is asked of the configured sets, and its counterexample names their members.
#[test]
fn a_counterexample_at_configured_sets_of_model_values_names_their_members() {
    let run = prove("Members", &["--inv", "StaysLeader"]);
    assert_eq!(run.code, 12, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        verdicts(&run.stdout),
        pairs(&[("initiation", "proved"), ("consecution Next", "violated")])
    );
    assert!(
        run.stdout
            .contains("The conjunct that breaks: `chosen = Leader` (line 14, col 16)\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("/\\ chosen = p1\n"), "{}", run.stdout);
}

/// A budget too small for any obligation but the trivial ones: `unknown`, exit 14, in text
/// and in JSON.
#[test]
fn an_obligation_out_of_time_is_unknown() {
    let args = [
        "--config",
        "LeaderElection_symbolic.cfg",
        "--inv",
        "IndInv",
        "--timeout",
        "0.001",
    ];
    let run = prove_in(&leader_election(), "LeaderElection", &args);
    assert_eq!(run.code, 14, "{}{}", run.stdout, run.stderr);
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("consecution GrantVote"));
    assert!(
        line.is_some_and(|l| l.ends_with("  unknown (timeout)")),
        "{}",
        run.stdout
    );
    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let run = prove_in(&leader_election(), "LeaderElection", &json_args);
    assert_eq!(run.code, 14, "{}{}", run.stdout, run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON output");
    assert_eq!(json["exit"], 14);
    let grant = &json["obligations"][2];
    assert_eq!(grant["obligation"], "consecution GrantVote");
    assert_eq!(grant["verdict"], "unknown");
    assert_eq!(grant["reason"], "timeout");
}

#[test]
fn prove_takes_the_solver_seed_and_rejects_a_negative_timeout() {
    let args = ["--inv", "InRange", "--prop", "BelowBound", "--seed", "7"];
    let first = prove("Counter", &args);
    let second = prove("Counter", &args);
    assert_eq!(first.code, 12, "{}{}", first.stdout, first.stderr);
    assert_eq!(without_times(&first.stdout), without_times(&second.stdout));
    let negative = prove("Counter", &["--inv", "InRange", "--timeout=-1"]);
    assert_eq!(negative.code, 2);
    assert!(
        negative.stderr.starts_with(
            "error: invalid value '-1' for '--timeout <TIMEOUT>': `-1` is not a number of seconds"
        ),
        "{}",
        negative.stderr
    );
}

#[test]
fn an_unknown_invariant_is_a_config_error() {
    let run = prove("Counter", &["--inv", "NoSuchThing"]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("NoSuchThing"), "{}", run.stderr);
}

/// `Token.tla` names Lock.tla's invariants through `L == INSTANCE Lock WITH holders <- …`.
#[test]
fn an_invariant_and_a_property_are_named_through_an_instance() {
    let run = prove(
        "Token",
        &[
            "--config",
            "Token.cfg",
            "--inv",
            "L!Inv",
            "--prop",
            "L!AtMostOne",
        ],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        verdicts(&run.stdout),
        pairs(&[
            ("initiation", "proved"),
            ("consecution Take", "proved"),
            ("consecution Drop", "proved"),
            ("implication L!AtMostOne", "proved"),
        ])
    );
    assert!(run
        .stdout
        .starts_with("Proving L!Inv inductive for the configured constants.\n"));
}

/// `Wrong` substitutes a set that holds `Nobody` beside the owner: the instance's property
/// is read with the instance's substitution, so it breaks where `L!AtMostOne` holds.
#[test]
fn a_property_named_through_an_instance_keeps_the_instance_substitution() {
    let proof = prove(
        "Token",
        &[
            "--config",
            "Token.cfg",
            "--inv",
            "TypeOK",
            "--prop",
            "Wrong!AtMostOne",
        ],
    );
    assert_eq!(proof.code, 12, "{}{}", proof.stdout, proof.stderr);
    assert_eq!(
        verdicts(&proof.stdout).last(),
        Some(&(
            "implication Wrong!AtMostOne".to_string(),
            "violated".to_string()
        ))
    );
    assert!(proof
        .stdout
        .contains("Implication fails: a state satisfying TypeOK breaks Wrong!AtMostOne.\n"));

    let check = smtcheck(
        &fixtures(),
        &[
            "check",
            "Token.tla",
            "--config",
            "Token.cfg",
            "--inv",
            "Wrong!AtMostOne",
        ],
    );
    assert_eq!(check.code, 12, "{}{}", check.stdout, check.stderr);
    assert!(check
        .stdout
        .starts_with("Invariant Wrong!AtMostOne is violated by a behaviour of 1 steps.\n"));
    assert_eq!(actions(&check.stdout), ["Take(n1)"]);
}

#[test]
fn a_name_through_an_instance_without_that_definition_is_a_config_error() {
    let run = prove("Token", &["--config", "Token.cfg", "--inv", "L!Nope"]);
    assert_eq!(run.code, 151, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        run.stderr,
        "error[E0213]: invariant `L!Nope` is not defined in the spec\n\n"
    );
    let run = prove("Token", &["--config", "Token.cfg", "--inv", "Take!Inv"]);
    assert_eq!(run.code, 151, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        run.stderr,
        "error[E0213]: invariant `Take!Inv` is not defined in the spec: \
         `Take` is not a module instance\n\n"
    );
}

/// A string constant left open may be any string, not only one the spec names (the encoding
/// keeps Z3's strings for it, not an enumeration of the spec's strings).
#[test]
fn a_string_constant_left_open_may_be_a_string_the_spec_does_not_name() {
    let run = prove("Tag", &["--inv", "Named"]);
    assert_eq!(run.code, 12, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        verdicts(&run.stdout)[0],
        ("initiation".into(), "violated".into())
    );
    assert!(
        run.stdout.contains(&format!("{INSTANCE}Start = \"")),
        "{}",
        run.stdout
    );
}

/// `N = 0` breaks `ASSUME N \in Nat /\ N >= 1`: TLC's assumption failure (exit 10), never a
/// proof.
#[test]
fn a_configured_constant_that_breaks_an_assume_is_an_assumption_failure() {
    let run = prove(
        "Counter",
        &["--config", "Counter_zero.cfg", "--inv", "InRange"],
    );
    assert_eq!(run.code, 10, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("error[E0600]: an assumption is false"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

/// No symbolic `N` satisfies the assumptions: every obligation would hold of no behaviour.
#[test]
fn assumptions_no_constant_satisfies_are_an_assumption_failure() {
    let run = prove("Contradiction", &["--inv", "Small"]);
    assert_eq!(run.code, 10, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("error[E0500]: the assumptions cannot all hold"),
        "{}",
        run.stderr
    );
}

/// `Inv` is inductive if `seen[N + 1]` is some value, but TLC stops with an error there:
/// consecution also proves that the action is defined in every state satisfying `Inv`, and
/// the evaluator confirms the error (exit 75). The state is unique: `x = N + 1`, every
/// `seen[i]` TRUE, and the smallest `N` is 1.
#[test]
fn a_function_applied_outside_its_domain_is_an_evaluation_error_not_a_proof() {
    let run = prove("Partial", &["--inv", "Inv"]);
    assert_eq!(run.code, 75, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        verdicts(&run.stdout),
        pairs(&[("initiation", "proved"), ("consecution Step", "violated")])
    );
    insta::assert_snapshot!(without_times(&run.stdout));
}

/// The double-vote bug with ten configured nodes: the general question does not find the
/// counterexample to induction within its first slice, a small instance does, and carried
/// over to the ten nodes it is printed with the action and the conjunct that breaks.
#[test]
fn the_double_vote_cti_at_ten_nodes_is_printed_for_the_configured_nodes() {
    let config = fixtures().join("LeaderElection_double_vote_10.cfg");
    let config = config.to_string_lossy();
    let run = prove_in(
        &leader_election(),
        "LeaderElection",
        &["--config", &config, "--inv", "IndInv"],
    );
    assert_eq!(run.code, 12, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        verdicts(&run.stdout),
        pairs(&[
            ("initiation", "proved"),
            ("consecution Timeout", "proved"),
            ("consecution GrantVote", "violated"),
            ("consecution BecomeLeader", "proved"),
        ])
    );
    insta::assert_snapshot!(without_times(&run.stdout));
}

/// The double-vote bug with ten configured nodes, in the engine: the counterexample to
/// induction is one of the ten nodes, checked here again with the evaluator.
#[test]
fn a_cti_at_ten_nodes_is_carried_over_from_a_small_instance() {
    double_vote_cti_is_real(&fixtures().join("LeaderElection_double_vote_10.cfg"), 10);
}

/// The same at a hundred nodes, where the exact encoding would search for minutes.
#[test]
fn a_cti_at_a_hundred_nodes_is_carried_over_from_a_small_instance() {
    let config = leader_election().join("LeaderElection_double_vote_100.cfg");
    double_vote_cti_is_real(&config, 100);
}

/// The double-vote bug with `Node` symbolic: the exact encoding searches its whole budget
/// without an answer, and the counterexample to induction found at `Node = {n1, n2}` refutes
/// the claim for every set of nodes; it is printed at that instance.
#[test]
fn the_double_vote_cti_with_symbolic_nodes_is_printed_at_a_small_instance() {
    let config = fixtures().join("LeaderElection_double_vote_symbolic.cfg");
    let config = config.to_string_lossy();
    let run = prove_in(
        &leader_election(),
        "LeaderElection",
        &["--config", &config, "--inv", "IndInv", "--timeout", "10"],
    );
    assert_eq!(run.code, 12, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        verdicts(&run.stdout),
        pairs(&[
            ("initiation", "proved"),
            ("consecution Timeout", "proved"),
            ("consecution GrantVote", "violated"),
            ("consecution BecomeLeader", "proved"),
        ])
    );
    assert!(run
        .stdout
        .contains(&format!("{INSTANCE}Node = {{n1, n2}}\n")));
    insta::assert_snapshot!(without_times(&run.stdout));
}

/// The same in the engine: the counterexample to induction, at two nodes, satisfies the
/// module's assumptions and breaks consecution, checked here again with the evaluator.
#[test]
fn a_cti_with_symbolic_nodes_is_real_at_its_instance() {
    let config = fixtures().join("LeaderElection_double_vote_symbolic.cfg");
    double_vote_cti_is_real(&config, 2);
}

/// Proves the leader election's `IndInv` under `config`, the double-vote bug with `nodes`
/// nodes, as `smtcheck prove` does (the general question first, if any), and checks the
/// counterexample to induction of `GrantVote` with the evaluator, at the constants it gives
/// those the config leaves symbolic: they satisfy the assumptions, and there a state of
/// `nodes` nodes satisfies `IndInv`, a `GrantVote` step leads from it to a state that breaks
/// `IndInv`.
fn double_vote_cti_is_real(config: &Path, nodes: usize) {
    use smtcheck::engine::prove::general::{general, generalizable};
    let path = leader_election().join("LeaderElection.tla");
    let options = smtcheck::sema::Options {
        invariants: vec!["IndInv".into()],
        ..Default::default()
    };
    let compile = |options: &smtcheck::sema::Options| {
        smtcheck::cli::compile(&path, Some(config), options)
            .unwrap_or_else(|e| panic!("{}", e.diagnostic.message))
            .0
    };
    let exact = compile(&options);
    // As the command line: a general question only where the config gives a constant worth
    // leaving symbolic (none with `Node` symbolic and `MaxTerm = 2`).
    let symbolic = generalizable(&exact.spec);
    let open = (!symbolic.is_empty()).then(|| {
        compile(&smtcheck::sema::Options {
            symbolic,
            ..options.clone()
        })
    });
    let general = open
        .as_ref()
        .map(|open| general(&exact.spec, &open.spec, &open.types).expect("a general question"));
    let prove_options = prove::Options {
        inductive: vec![0],
        properties: Vec::new(),
        k: 1,
        timeout: Some(std::time::Duration::from_secs(60)),
    };
    let outcomes = prove::prove_with(&exact.spec, &exact.types, general.as_ref(), &prove_options)
        .unwrap_or_else(|d| panic!("{}", d.message));
    let grant = exact
        .spec
        .actions
        .iter()
        .position(|a| a.name == "GrantVote")
        .expect("GrantVote");
    let outcome = outcomes
        .iter()
        .find(|o| o.obligation == Obligation::Consecution(grant))
        .expect("an obligation for GrantVote");
    let Verdict::Violated(cti, _) = &outcome.verdict else {
        panic!("GrantVote preserves IndInv? {:?}", outcome.verdict);
    };
    let mut spec = exact.spec.clone();
    for (constant, value) in spec.constants.iter_mut().zip(&cti.constants) {
        if constant.is_symbolic() {
            constant.value = value.clone();
        }
    }
    let spec = &spec;
    for assumption in &spec.assumptions {
        let holds = eval_bool(&assumption.expr, &Ctx::new(spec, &[]));
        assert_eq!(holds, Ok(true), "the CTI's constants break an assumption");
    }
    let [before, after] = cti.steps.as_slice() else {
        panic!("a CTI of {} states", cti.steps.len());
    };
    let current_term = spec
        .vars
        .iter()
        .position(|v| v.name == "currentTerm")
        .expect("currentTerm");
    let smtcheck::value::Value::Fn(terms) = &before.state[current_term] else {
        panic!("currentTerm is no function");
    };
    assert_eq!(terms.len(), nodes, "the CTI is one of {nodes} nodes");
    let invariant = &spec.invariants[0].expr;
    let holds = |state: &[smtcheck::value::Value]| {
        eval_bool(invariant, &Ctx::new(spec, state)).expect("IndInv evaluates")
    };
    assert!(holds(&before.state), "the first state breaks IndInv");
    assert!(!holds(&after.state), "the second state satisfies IndInv");
    let step = after.action.as_ref().expect("the step names its action");
    assert_eq!(step.action, grant);
    let taken = takes(spec, step.action, &step.params, &before.state, &after.state);
    assert_eq!(taken, Ok(Ok(())));
}

/// The TLA+ Examples module `name` (a path under its `specifications/`), when the corpus is
/// beside the repository; `None` (the test is skipped) otherwise.
fn corpus_module(name: &str) -> Option<PathBuf> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/tla-examples");
    let module = corpus.join("specifications").join(name);
    if !module.exists() {
        eprintln!("skipped: no TLA+ Examples corpus at {}", corpus.display());
    }
    module.exists().then_some(module)
}

/// `smtcheck prove` on EWD840 with a config of `SPECIFICATION Spec` and `constants` (a
/// config of its own, written to the temporary directory under `name`).
fn prove_ewd840(module: &Path, name: &str, constants: &str, args: &[&str]) -> Run {
    let path = std::env::temp_dir().join(format!("ewd840-{name}-{}.cfg", std::process::id()));
    std::fs::write(&path, format!("SPECIFICATION Spec\n{constants}")).expect("config written");
    let config = path.to_string_lossy().into_owned();
    let mut all = vec!["--config", config.as_str()];
    all.extend_from_slice(args);
    let dir = module.parent().expect("the module's directory");
    let run = prove_in(dir, "EWD840", &all);
    let _ = std::fs::remove_file(&path);
    run
}

/// Dijkstra's termination detection on a ring (EWD840): `TypeOK /\ Inv` is inductive and
/// implies `TerminationDetection` for a ring of any size. Its quantifiers range over `0..N-1`
/// and `0..tpos`, and above 8 nodes they stay quantifiers: before frame triggers (see
/// `smt::triggers`) the steps of PassToken, SendMsg and Deactivate were unknown after 10 s at
/// every ring size from 10 nodes on, and with `N` symbolic.
#[test]
fn ewd840_inv_is_proved_for_rings_of_any_size() {
    let Some(module) = corpus_module("ewd840/EWD840.tla") else {
        return;
    };
    let args = [
        "--inv",
        "TypeOK",
        "--inv",
        "Inv",
        "--prop",
        "TerminationDetection",
        "--timeout",
        "60",
    ];
    let constants = [
        ("3", "CONSTANTS\n    N = 3\n"),
        ("10", "CONSTANTS\n    N = 10\n"),
        ("1000", "CONSTANTS\n    N = 1000\n"),
        ("symbolic", ""),
    ];
    for (name, constants) in constants {
        let run = prove_ewd840(&module, name, constants, &args);
        assert_eq!(run.code, 0, "N = {name}: {}{}", run.stdout, run.stderr);
        assert_eq!(
            verdicts(&run.stdout),
            pairs(&[
                ("initiation", "proved"),
                ("consecution InitiateProbe", "proved"),
                ("consecution PassToken", "proved"),
                ("consecution SendMsg", "proved"),
                ("consecution Deactivate", "proved"),
                ("implication TerminationDetection", "proved"),
            ]),
            "N = {name}"
        );
    }
}

/// What `TypeOK /\ Inv` does not imply is still refuted with `N` symbolic: a state in which
/// the token is white (the spec's own non-property `TokenAlwaysBlack`).
#[test]
fn ewd840_inv_does_not_make_the_token_always_black() {
    let Some(module) = corpus_module("ewd840/EWD840.tla") else {
        return;
    };
    let args = [
        "--inv",
        "TypeOK",
        "--inv",
        "Inv",
        "--prop",
        "TokenAlwaysBlack",
    ];
    let run = prove_ewd840(&module, "white-token", "", &args);
    assert_eq!(run.code, 12, "{}{}", run.stdout, run.stderr);
    let verdicts = verdicts(&run.stdout);
    assert_eq!(
        verdicts.last(),
        Some(&(
            "implication TokenAlwaysBlack".to_string(),
            "violated".to_string()
        )),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("/\\ tcolor = \"white\""),
        "{}",
        run.stdout
    );
}
