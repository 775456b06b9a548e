//! End-to-end tests: TLA+ text through the front end, then explored and replayed here.

use crate::config::parse_config;
use crate::diag::Sources;
use crate::eval::{explore, replay, Claim, Exploration, Limits, Verdict};
use crate::ir::Spec;
use crate::sema::{self, Options};
use crate::syntax::loader::{load_modules, read_source};
use std::path::Path;

/// Lowers the module in `tla` (with the model `cfg`, if any) to a `Spec`. The error is the
/// rendered diagnostic.
pub(super) fn lower_file(tla: &Path, cfg: Option<&Path>) -> Result<Spec, String> {
    let mut sources = Sources::new();
    let result = (|| {
        let modules = load_modules(tla, &mut sources)?;
        let config = match cfg {
            Some(cfg) => {
                let file = read_source(cfg, &mut sources)?;
                Some((parse_config(file, sources.text(file))?, file))
            }
            None => None,
        };
        sema::lower(
            &modules,
            config.as_ref().map(|(c, f)| (c, *f)),
            &Options::default(),
        )
    })();
    result
        .map(|lowered| lowered.spec)
        .map_err(|d| d.render(&sources, false))
}

/// The spec of `tla` with the model `cfg`, through the whole front end.
fn lower_text(name: &str, tla: &str, cfg: &str) -> Spec {
    crate::testing::compile_text(name, tla, cfg, &[]).spec
}

/// Explores `spec` completely and replays the counterexample, if any.
fn check(spec: &Spec) -> Exploration {
    let result = explore(spec, Limits::default())
        .unwrap_or_else(|e| panic!("evaluation failed: {}", e.message));
    let claim = match &result.verdict {
        Verdict::InvariantViolated(name) => Some(Claim::InvariantViolated(name.clone())),
        Verdict::Deadlock => Some(Claim::Deadlock),
        _ => None,
    };
    if let (Some(claim), Some(trace)) = (claim, &result.trace) {
        assert_eq!(replay(spec, trace, claim), Ok(()));
    }
    result
}

#[test]
fn die_hard_is_solved_in_six_steps() {
    let spec = lower_text(
        "DieHard",
        crate::testing::DIE_HARD,
        "INIT Init\nNEXT Next\nINVARIANTS TypeOK NotSolved\n",
    );
    let result = check(&spec);
    assert_eq!(
        result.verdict,
        Verdict::InvariantViolated("NotSolved".into())
    );
    let trace = result.trace.unwrap();
    assert_eq!(trace.len(), 7);
    assert_eq!(
        trace.last().unwrap().state[spec.vars.iter().position(|v| v.name == "big").unwrap()],
        crate::value::Value::Int(4)
    );
}

const MUTEX: &str = r#"
---- MODULE Mutex ----
EXTENDS Naturals, FiniteSets, Sequences
CONSTANTS Proc
VARIABLES pc, queue

Init == pc = [p \in Proc |-> "idle"] /\ queue = <<>>

Request(p) == /\ pc[p] = "idle"
              /\ pc' = [pc EXCEPT ![p] = "waiting"]
              /\ queue' = Append(queue, p)

Enter(p) == /\ pc[p] = "waiting"
            /\ queue /= <<>> /\ Head(queue) = p
            /\ pc' = [pc EXCEPT ![p] = "critical"]
            /\ UNCHANGED queue

Leave(p) == /\ pc[p] = "critical"
            /\ pc' = [pc EXCEPT ![p] = "idle"]
            /\ queue' = Tail(queue)

Next == \E p \in Proc : Request(p) \/ Enter(p) \/ Leave(p)

Exclusion == Cardinality({p \in Proc : pc[p] = "critical"}) <= 1
QueueOK == queue \in Seq(Proc) /\ Len(queue) <= 3
====
"#;

#[test]
fn a_queue_lock_keeps_mutual_exclusion() {
    let spec = lower_text(
        "Mutex",
        MUTEX,
        "CONSTANT Proc = {p1, p2, p3}\nINIT Init\nNEXT Next\nINVARIANT Exclusion QueueOK\n",
    );
    let result = check(&spec);
    assert_eq!(result.verdict, Verdict::NoViolation { complete: true });
    // The queue is any arrangement of 0 to 3 processes, its head waiting or critical:
    // 1 + 3*2 + 6*2 + 6*2.
    assert_eq!(result.distinct_states, 31);
    assert_eq!(result.depth_reached, 4);
}
