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
        insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout));
    });
}
