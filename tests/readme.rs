//! The README shows real output. Its first command's output block (```text) must be what that
//! command prints today, and so must every ```console block: a `$ smtcheck …` line followed by
//! the output shown. Durations (`0.12 s`, `35 ms`) differ from run to run and are compared as
//! `<time>`.

use std::path::Path;
use std::process::Command;

fn readme() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(root.join("README.md")).expect("README.md")
}

/// Runs `smtcheck ARGS` from the crate root; returns the exit code and stdout.
fn run(args: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_smtcheck"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("smtcheck runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

/// The bodies of the README's fenced blocks of one language, in order.
fn blocks<'a>(readme: &'a str, language: &str) -> Vec<&'a str> {
    let fence = format!("```{language}\n");
    let mut found = Vec::new();
    let mut rest = readme;
    while let Some(start) = rest.find(&fence) {
        let body = &rest[start + fence.len()..];
        let end = body.find("```").expect("every block is closed");
        found.push(&body[..end]);
        rest = &body[end..];
    }
    found
}

/// `text` with every duration (a number followed by ` s`, `s` or ` ms`) replaced by `<time>`.
fn without_durations(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        out.push_str(&rest[..start]);
        let number = &rest[start..];
        let digits = number
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(number.len());
        let after = &number[digits..];
        let unit = ["ms", " ms", "s", " s"].iter().find(|unit| {
            after.starts_with(*unit)
                && !after[unit.len()..].starts_with(|c: char| c.is_alphanumeric())
        });
        match unit {
            Some(unit) => {
                out.push_str("<time>");
                rest = &after[unit.len()..];
            }
            None => {
                out.push_str(&number[..digits]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn durations_are_masked_and_other_numbers_kept() {
    assert_eq!(
        without_durations("initiation  proved  0.012 s\n12 steps, 35ms, 4s.\n"),
        "initiation  proved  <time>\n12 steps, <time>, <time>.\n"
    );
}

#[test]
fn the_first_readme_command_prints_the_output_shown() {
    let readme = readme();
    let command = readme
        .lines()
        .find(|line| line.starts_with("cargo run --release -- check "))
        .expect("the README's first command");
    let args: Vec<&str> = command
        .trim_start_matches("cargo run --release -- ")
        .split_whitespace()
        .collect();
    let shown = blocks(&readme, "text")[0];
    let (code, stdout) = run(&args);
    assert_eq!(code, Some(12), "the example is a safety violation");
    assert_eq!(stdout, shown);
}

#[test]
fn every_console_block_shows_what_its_command_prints() {
    let readme = readme();
    let sessions = blocks(&readme, "console");
    assert!(!sessions.is_empty(), "the tutorial's blocks are ```console");
    for session in sessions {
        let (command, shown) = session.split_once('\n').unwrap_or((session, ""));
        let args: Vec<&str> = command
            .strip_prefix("$ smtcheck ")
            .unwrap_or_else(|| panic!("a console block starts with `$ smtcheck`: {command}"))
            .split_whitespace()
            .collect();
        let (_, stdout) = run(&args);
        assert_eq!(
            without_durations(&stdout),
            without_durations(shown),
            "the output of `{command}`"
        );
    }
}
