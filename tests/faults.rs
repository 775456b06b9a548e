//! Faults and limits, end to end through the binary: files that cannot be read, a model file
//! written for another module, the solver giving up or running out of memory, bad option
//! values, Ctrl-C, and `--seed`.
//! Each with its exact message and exit code.

#[path = "support/binary.rs"]
mod binary;

use binary::smtcheck;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A fresh directory for one test's files.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("smtcheck-faults-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check")
}

#[test]
fn a_missing_file_is_exit_255_with_the_os_reason() {
    let run = smtcheck(&scratch("missing"), &["check", "Missing.tla"]);
    assert_eq!(run.code, 255);
    assert_eq!(
        run.stderr.trim(),
        "error[E0001]: cannot read `Missing.tla`: No such file or directory (os error 2)"
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn a_directory_given_as_the_module_is_exit_255() {
    let dir = scratch("directory");
    std::fs::create_dir_all(dir.join("Dir.tla")).expect("a directory");
    let run = smtcheck(&dir, &["check", "Dir.tla"]);
    assert_eq!(run.code, 255);
    assert_eq!(
        run.stderr.trim(),
        "error[E0001]: cannot read `Dir.tla`: Is a directory (os error 21)"
    );
}

#[test]
fn a_module_that_is_not_utf8_is_exit_255() {
    let dir = scratch("binary");
    std::fs::write(
        dir.join("Bin.tla"),
        b"---- MODULE Bin ----\n\xff\xfe\n====\n",
    )
    .expect("file");
    let run = smtcheck(&dir, &["check", "Bin.tla"]);
    assert_eq!(run.code, 255);
    assert_eq!(
        run.stderr.trim(),
        "error[E0001]: cannot read `Bin.tla`: stream did not contain valid UTF-8"
    );
}

#[test]
fn a_file_without_read_permission_is_exit_255() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        eprintln!("running as root, which reads any file: skipped");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("permission");
    let file = dir.join("Locked.tla");
    std::fs::write(&file, "---- MODULE Locked ----\n====\n").expect("file");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let run = smtcheck(&dir, &["check", "Locked.tla"]);
    assert_eq!(run.code, 255);
    assert_eq!(
        run.stderr.trim(),
        "error[E0001]: cannot read `Locked.tla`: Permission denied (os error 13)"
    );
}

#[test]
fn a_config_written_for_another_module_is_exit_151_at_the_name() {
    let dir = scratch("other-config");
    std::fs::write(
        dir.join("Other.cfg"),
        "INIT Init\nNEXT Next\nINVARIANT TypeOK\n",
    )
    .expect("cfg");
    let module = fixtures().join("Counter.tla");
    let module = module.to_str().expect("a UTF-8 path");
    let run = smtcheck(&dir, &["check", module, "--config", "Other.cfg"]);
    assert_eq!(run.code, 151, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "error[E0213]: invariant `TypeOK` is not defined in the spec\n  \
         ┌─ Other.cfg:3:11\n  \
         │\n\
         3 │ INVARIANT TypeOK\n  \
         │           ^^^^^^ named here\n\n"
    );
}

#[test]
fn the_solver_giving_up_within_the_timeout_is_unknown_exit_14() {
    let run = smtcheck(&fixtures(), &["check", "Hard.tla", "--timeout", "0.2"]);
    assert_eq!(run.code, 14, "{}{}", run.stdout, run.stderr);
    let first = run.stdout.lines().next().unwrap_or("");
    assert!(
        first.starts_with("Unknown: the solver could not decide at depth 0 ("),
        "{first}"
    );
}

#[test]
fn unknown_in_json_is_one_object_with_the_verdict_and_exit_14() {
    let args = ["check", "Hard.tla", "--timeout", "0.2", "--format", "json"];
    let run = smtcheck(&fixtures(), &args);
    assert_eq!(run.code, 14, "{}{}", run.stdout, run.stderr);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(value["exit"], 14);
    assert_eq!(value["depth"], 0);
    let verdict = value["verdict"].as_str().unwrap_or("");
    assert!(
        verdict.starts_with("Unknown: the solver could not decide at depth 0 ("),
        "{verdict}"
    );
}

#[test]
fn a_timeout_that_is_not_a_number_of_seconds_is_a_usage_error() {
    let run = smtcheck(&fixtures(), &["check", "Hard.tla", "--timeout", "soon"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with(
            "error: invalid value 'soon' for '--timeout <TIMEOUT>': `soon` is not a number"
        ),
        "{}",
        run.stderr
    );
    let run = smtcheck(&fixtures(), &["check", "Hard.tla", "--timeout=-1"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with(
            "error: invalid value '-1' for '--timeout <TIMEOUT>': `-1` is not a number of seconds"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn the_same_seed_gives_the_same_run() {
    let args = ["check", "Counter.tla", "--depth", "8", "--seed", "7"];
    let first = smtcheck(&fixtures(), &args);
    let second = smtcheck(&fixtures(), &args);
    assert_eq!(first.code, 12, "{}", first.stderr);
    assert_eq!(first.stdout, second.stdout);
    let other_seed = smtcheck(
        &fixtures(),
        &["check", "Counter.tla", "--depth", "8", "--seed", "8"],
    );
    assert!(other_seed
        .stdout
        .starts_with("Invariant SlowInv is violated by a behaviour of 8 steps."));
}

#[test]
fn a_memory_limit_too_small_for_the_solver_to_start_is_a_usage_error() {
    let run = smtcheck(&fixtures(), &["check", "Counter.tla", "--memory", "20"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("error: invalid value '20' for '--memory <MB>': 20 is not in 64.."),
        "{}",
        run.stderr
    );
    let run = smtcheck(&fixtures(), &["check", "Counter.tla", "--memory", "256"]);
    assert_eq!(run.code, 12, "{}", run.stderr);
}

/// A spec whose second step is a choice among 3,721 updates of a 61-element function with
/// non-linear arithmetic: depth 1 needs little memory, the deeper ones far more than 64 MB.
/// Every value stays even, so `Inv` holds in every reachable state: the solver can only run out
/// of memory proving that, never stop early with a counterexample.
const HUNGRY: &str = r#"---- MODULE Hungry ----
EXTENDS Integers
VARIABLES f, n
Init == f = [i \in 0..60 |-> 2 * i] /\ n = 0
Next == \E i \in 0..60, j \in 0..60 :
            /\ f' = [f EXCEPT ![i] = (f[j] * 7 + n) % 1000]
            /\ n' = (n + f[i]) % 1000
Inv == n /= 999
====
"#;

#[test]
fn the_solver_running_out_of_memory_is_unknown_exit_14_with_the_depth_checked() {
    let dir = scratch("memory");
    std::fs::write(dir.join("Hungry.tla"), HUNGRY).expect("module");
    std::fs::write(
        dir.join("Hungry.cfg"),
        "INIT Init\nNEXT Next\nINVARIANT Inv\n",
    )
    .expect("cfg");
    let run = smtcheck(
        &dir,
        &[
            "check",
            "Hungry.tla",
            "--depth",
            "5",
            "--memory",
            "64",
            "--engine",
            "bmc",
        ],
    );
    assert_eq!(run.code, 14, "{}{}", run.stdout, run.stderr);
    // Depth 1 fits in the limit; where the solver runs out after it depends on its search.
    let depth: usize = run
        .stdout
        .strip_prefix("Unknown: the solver could not decide at depth ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unexpected output: {}", run.stdout));
    assert!(depth >= 2, "{}", run.stdout);
    assert_eq!(
        run.stdout,
        format!(
            "Unknown: the solver could not decide at depth {depth} \
             (out of memory: the solver used up the 64 MB that --memory allows).\n\
             Behaviours of fewer than {depth} steps have no violation.\n"
        )
    );
    assert_eq!(run.stderr, "");
}

/// A spec whose deadlock check grows slower with every depth, and never succeeds.
const SLOW: &str = r#"---- MODULE Slow ----
EXTENDS Integers
VARIABLES f, n
Init == f = [i \in 0..20 |-> 0] /\ n = 0
Next == \E i \in 0..20 : f' = [f EXCEPT ![i] = (f[i] * 7 + n) % 1000] /\ n' = (n + i) % 1000
====
"#;

#[test]
fn ctrl_c_prints_the_depth_fully_checked_and_exits_130() {
    let dir = scratch("interrupt");
    std::fs::write(dir.join("Slow.tla"), SLOW).expect("module");
    std::fs::write(dir.join("Slow.cfg"), "INIT Init\nNEXT Next\n").expect("cfg");
    let mut child = Command::new(env!("CARGO_BIN_EXE_smtcheck"))
        .args(["check", "Slow.tla", "--depth", "1000", "-v"])
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("smtcheck starts");
    // Wait until depth 2 has begun: depths 0 and 1 are then fully checked.
    // The reader stays open until the child ends: smtcheck restores SIGPIPE's default, so a
    // progress line written into a closed pipe would kill it before Ctrl-C is handled.
    let stderr = child.stderr.take().expect("stderr");
    let mut progress = BufReader::new(stderr).lines();
    let started = Instant::now();
    for line in progress.by_ref() {
        let line = line.expect("a progress line");
        if line.starts_with("depth   2") {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(120), "no progress");
    }
    // SAFETY: kill has no memory-safety preconditions; the pid is our child's.
    let sent = unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    assert_eq!(sent, 0);
    progress.for_each(drop);
    let output = child.wait_with_output().expect("smtcheck ends");
    assert_eq!(output.status.code(), Some(130));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.trim();
    let depth: usize = line
        .strip_prefix("Interrupted while checking depth ")
        .and_then(|rest| rest.split(':').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unexpected output: {line}"));
    assert!(depth >= 2, "{line}");
    assert_eq!(
        line,
        format!(
            "Interrupted while checking depth {depth}: \
             no violation in any behaviour of up to {} steps.",
            depth - 1
        )
    );
}
