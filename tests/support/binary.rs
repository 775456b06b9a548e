//! Running the `smtcheck` binary from an integration test and keeping what it printed.

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
