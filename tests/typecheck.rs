//! `smtcheck typecheck` on small specs: each `tests/fixtures/typecheck/{ok,err}/X.tla` (with
//! its `X.cfg`) is run through the binary and its exit code, stdout and stderr are snapshotted.
//! Adding a regression test is adding a fixture.

use std::path::Path;
use std::process::Command;

fn run_typecheck(path: &Path) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_smtcheck"))
        .arg("typecheck")
        .arg(path.file_name().expect("fixture file name"))
        .current_dir(path.parent().expect("fixture directory"))
        .output()
        .expect("smtcheck runs");
    let code = output.status.code().unwrap_or(-1);
    let text = format!(
        "exit: {code}\n--- stdout\n{}--- stderr\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (code, text)
}

#[test]
fn ok_fixtures_typecheck() {
    insta::glob!("fixtures/typecheck/ok/*.tla", |path| {
        let (code, text) = run_typecheck(path);
        assert_eq!(code, 0, "{text}");
        insta::assert_snapshot!(text);
    });
}

#[test]
fn err_fixtures_fail_with_a_located_diagnostic() {
    insta::glob!("fixtures/typecheck/err/*.tla", |path| {
        let (code, text) = run_typecheck(path);
        assert_ne!(code, 0, "{text}");
        assert!(
            text.contains(".tla:") || text.contains(".cfg:"),
            "no location in:\n{text}"
        );
        insta::assert_snapshot!(text);
    });
}

#[test]
fn json_output_lists_types_actions_and_checks() {
    let output = Command::new(env!("CARGO_BIN_EXE_smtcheck"))
        .args(["typecheck", "--json", "TokenMutex.tla"])
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/token_mutex"))
        .output()
        .expect("smtcheck runs");
    assert_eq!(output.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(value["module"], "TokenMutex");
    assert_eq!(
        value["variables"],
        serde_json::json!([
            { "name": "token", "type": "Int" },
            { "name": "pc", "type": "(Int -> Str)" },
        ])
    );
    assert_eq!(
        value["actions"][3],
        serde_json::json!({ "name": "PassToken", "params": ["i"] })
    );
    assert_eq!(
        value["invariants"],
        serde_json::json!(["TypeOK", "Mutex", "OnlyHolderInside"])
    );
    assert_eq!(value["fairness_conditions"], 1);
    assert_eq!(value["check_deadlock"], true);
}
