//! Support for the library's own tests: specs written as text, run through the front end.

use crate::cli::{compile, Frontend};
use crate::sema::Options;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Writes the module `name` (text `tla`), its model `name.cfg` (text `cfg`) and any `others`
/// (module name, text) to a fresh directory; returns the path of the root module.
pub fn write_spec(name: &str, tla: &str, cfg: &str, others: &[(&str, &str)]) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let unique = format!(
        "smtcheck-test-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    );
    let dir = std::env::temp_dir().join(unique);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let write = |module: &str, extension: &str, text: &str| {
        std::fs::write(dir.join(format!("{module}.{extension}")), text).expect("a test file")
    };
    write(name, "tla", tla);
    write(name, "cfg", cfg);
    for (other, text) in others {
        write(other, "tla", text);
    }
    dir.join(format!("{name}.tla"))
}

/// The front end's result for a spec given as text; panics with the rendered diagnostic if
/// the front end rejects it.
pub fn compile_text(name: &str, tla: &str, cfg: &str, others: &[(&str, &str)]) -> Frontend {
    let path = write_spec(name, tla, cfg, others);
    match compile(&path, None, &Options::default()) {
        Ok((front, _warnings)) => front,
        Err(error) => panic!(
            "the front end rejected the test spec:\n{}",
            error.diagnostic.render(&error.sources, false)
        ),
    }
}

/// The die-hard puzzle (Die Hard 3): measure 4 gallons with a 3- and a 5-gallon jug. The
/// invariant `NotSolved` first fails after six steps.
pub const DIE_HARD: &str = r#"
---- MODULE DieHard ----
EXTENDS Naturals
VARIABLES small, big

TypeOK == small \in 0..3 /\ big \in 0..5

Init == /\ big = 0
        /\ small = 0

FillSmall == small' = 3 /\ big' = big
FillBig == big' = 5 /\ small' = small
EmptySmall == small' = 0 /\ big' = big
EmptyBig == big' = 0 /\ small' = small

Min(m, n) == IF m < n THEN m ELSE n

SmallToBig == /\ big' = Min(big + small, 5)
              /\ small' = small - (big' - big)

BigToSmall == /\ small' = Min(big + small, 3)
              /\ big' = big - (small' - small)

Next == \/ FillSmall \/ FillBig \/ EmptySmall \/ EmptyBig
        \/ SmallToBig \/ BigToSmall

NotSolved == big /= 4
====
"#;
