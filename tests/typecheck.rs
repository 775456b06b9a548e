//! `smtcheck typecheck` on small specs: each `tests/fixtures/typecheck/{ok,err}/X.tla` (with
//! its `X.cfg`) is run through the binary and its exit code, stdout and stderr are snapshotted.
//! Adding a regression test is adding a fixture.

use std::path::Path;
use std::process::Command;

#[path = "support/mutate.rs"]
mod mutate;

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
        serde_json::json!(["IndInv", "TypeOK", "Mutex", "OnlyHolderInside"])
    );
    assert_eq!(value["fairness_conditions"], 1);
    assert_eq!(value["check_deadlock"], true);
}

/// Records with different fields in one set type with optional fields: the SMT encoding
/// gives each optional field a presence, and `check` agrees with the explicit-state explorer.
#[test]
fn optional_record_fields_are_checked_as_the_explorer_explores_them() {
    let checked = run_in_ok_fixtures(&["check", "OptionalFields.tla"]);
    assert_eq!(checked.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&checked.stdout),
        "No invariant violation or deadlock in any behaviour of up to 10 steps.\n"
    );
    let explored = run_in_ok_fixtures(&["explore", "OptionalFields.tla"]);
    assert_eq!(explored.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&explored.stdout),
        "No violation: all 7 reachable states explored.\n"
    );
}

/// Runs `smtcheck` with these arguments in the `ok` fixtures directory.
fn run_in_ok_fixtures(args: &[&str]) -> std::process::Output {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/typecheck/ok");
    Command::new(env!("CARGO_BIN_EXE_smtcheck"))
        .args(args)
        .current_dir(&fixtures)
        .output()
        .expect("smtcheck runs")
}

/// A model value used as a sentinel beside numbers types them `Int | ModelValue`; the SMT
/// encoding makes that a sort of two kinds, and `check` agrees with the untyped explorer.
#[test]
fn model_values_mixed_with_numbers_are_checked_as_the_explorer_explores_them() {
    let typed = run_in_ok_fixtures(&["typecheck", "--json", "ModelValueSentinel.tla"]);
    assert_eq!(typed.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_slice(&typed.stdout).expect("valid JSON");
    assert_eq!(
        value["variables"],
        serde_json::json!([{ "name": "parent", "type": "(Int | ModelValue -> Int | ModelValue)" }])
    );
    let checked = run_in_ok_fixtures(&["check", "ModelValueSentinel.tla"]);
    assert_eq!(checked.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&checked.stdout),
        "No invariant violation in any behaviour of up to 10 steps.\n"
    );
    let explored = run_in_ok_fixtures(&["explore", "ModelValueSentinel.tla"]);
    assert_eq!(explored.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&explored.stdout),
        "No violation: all 6 reachable states explored.\n"
    );
}

/// The whole front end (parse, sema, types, folding) ends in a spec or a located diagnostic on
/// corrupted versions of the examples and the typecheck fixtures — never in a panic.
#[test]
fn mutilated_specs_never_panic_the_front_end() {
    use smtcheck::cli::compile;
    use smtcheck::sema::Options;
    use std::panic::{catch_unwind, AssertUnwindSafe};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut specs = Vec::new();
    for dir in [
        "examples/fenced_lock",
        "examples/token_mutex",
        "examples/saga",
    ] {
        specs.push(root.join(dir));
    }
    specs.push(root.join("tests/fixtures/typecheck/ok"));
    let scratch = std::env::temp_dir().join(format!("smtcheck-mutate-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("a scratch directory");
    let mut variants = 0;
    for dir in specs {
        let mut modules: Vec<_> = std::fs::read_dir(&dir)
            .expect("a directory of specs")
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|e| e == "tla"))
            .collect();
        modules.sort();
        for module in modules {
            let text = std::fs::read_to_string(&module).expect("a readable module");
            let name = module.file_name().expect("a file name");
            let config = module.with_extension("cfg");
            let config = config.exists().then_some(config);
            for (i, variant) in mutate::mutilations(&text).iter().enumerate() {
                let copy = scratch.join(name);
                std::fs::write(&copy, variant).expect("a writable scratch file");
                let outcome = catch_unwind(AssertUnwindSafe(|| {
                    compile(&copy, config.as_deref(), &Options::default())
                }));
                assert!(
                    outcome.is_ok(),
                    "{} variant {i} panicked the front end:\n{variant}",
                    module.display()
                );
                variants += 1;
            }
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(variants > 1000, "only {variants} variants");
}

/// `typecheck` output of a few corpus models, one for each kind of typing decision: plain
/// integers (DieHard), model-value sets and functions (TCommit), records of several shapes in
/// one set (TwoPhase), a model value beside integers (MC_spanning), Apalache annotations
/// (APEWD840, whose `@type` comments are not needed). Skipped when the corpus is absent.
#[test]
fn corpus_models_typecheck_as_snapshotted() {
    let corpus =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/tla-examples/specifications");
    if !corpus.is_dir() {
        eprintln!("corpus not found at {}; skipped", corpus.display());
        return;
    }
    let models = [
        ("DieHard", "DieHard/DieHard"),
        ("TCommit", "transaction_commit/TCommit"),
        ("TwoPhase", "transaction_commit/TwoPhase"),
        ("MC_spanning", "spanning/MC_spanning"),
        ("APEWD840", "ewd840/APEWD840"),
    ];
    for (name, model) in models {
        let (code, text) = run_typecheck(&corpus.join(format!("{model}.tla")));
        assert_eq!(code, 0, "{text}");
        insta::assert_snapshot!(format!("corpus_{name}"), text);
    }
}
