//! `smtcheck encode` on one small spec per encoding feature: the SMT-LIB text is snapshotted,
//! so every change to an encoding shows up as a reviewed diff.

use std::process::Command;

#[test]
fn encodings_are_stable() {
    insta::glob!("fixtures/encode/*.tla", |path| {
        let output = Command::new(env!("CARGO_BIN_EXE_smtcheck"))
            .args(["encode", "--depth", "1"])
            .arg(path.file_name().expect("fixture name"))
            .current_dir(path.parent().expect("fixture directory"))
            .output()
            .expect("smtcheck runs");
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let text = String::from_utf8_lossy(&output.stdout);
        assert_declared_before_use(&text);
        insta::assert_snapshot!(text);
    });
}

/// SMT-LIB is read in order: no line may use a datatype declared on a later line (Z3 prints
/// the enumerations of model values and strings late unless told otherwise).
fn assert_declared_before_use(text: &str) {
    let lines: Vec<&str> = text.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        let Some(rest) = line.trim_start().strip_prefix("(declare-datatypes ((") else {
            continue;
        };
        let name = rest.split(' ').next().unwrap_or_default();
        let mentions = |earlier: &&str| {
            earlier
                .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
                .any(|token| token == name)
        };
        assert!(
            !lines[..index].iter().any(mentions),
            "{name} is used before it is declared:\n{text}"
        );
    }
}
