//! Running the `smtcheck` binary from an integration test and keeping what it printed.

#![allow(dead_code)] // each test crate uses part of the support

use std::path::Path;
use std::process::Command;

/// What one run of the binary gave: its exit code (-1 when killed by a signal) and output.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// `smtcheck args…`, run in `dir`.
pub fn smtcheck(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_smtcheck"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("smtcheck runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The action of each state after the first, as the trace names it (`State 2: <One line …>`).
pub fn actions(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|line| line.strip_prefix("State "))
        .filter_map(|rest| rest.split_once(": <").map(|(_, label)| label))
        .filter(|label| !label.starts_with("Initial predicate"))
        .map(|label| label.split(' ').next().unwrap_or("").to_string())
        .collect()
}
