//! The README shows real output: its first command's output block must be what that command
//! prints today.

use std::path::Path;
use std::process::Command;

#[test]
fn the_first_readme_command_prints_the_output_shown() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let command = readme
        .lines()
        .find(|line| line.starts_with("cargo run --release -- check "))
        .expect("the README's first command");
    let args: Vec<&str> = command
        .trim_start_matches("cargo run --release -- ")
        .split_whitespace()
        .collect();
    let start = readme.find("```text\n").expect("an output block") + "```text\n".len();
    let shown = &readme[start..start + readme[start..].find("```").expect("end of the block")];
    let output = Command::new(env!("CARGO_BIN_EXE_smtcheck"))
        .args(&args)
        .current_dir(root)
        .output()
        .expect("smtcheck runs");
    assert_eq!(
        output.status.code(),
        Some(12),
        "the example is a safety violation"
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout), shown);
}
