//! Type inference end to end: TLA+ text and a model config, through `sema`, to the types
//! `smtcheck typecheck` prints, or the type error it reports.

use smtcheck::config::{default_config_path, parse_config};
use smtcheck::diag::{Diagnostic, Sources};
use smtcheck::sema::{lower, Options};
use smtcheck::syntax::loader::{load_modules, read_source};
use smtcheck::types::{describe, infer};
use std::path::{Path, PathBuf};

/// The spec in `path` (with the `.cfg` beside it, if any) as `describe` prints its types, or
/// the rendered diagnostic that stopped it.
fn typecheck(path: &Path) -> String {
    let mut sources = Sources::new();
    let result = typecheck_in(path, &mut sources);
    match result {
        Ok(text) => text,
        Err(diagnostic) => diagnostic.render(&sources, false),
    }
}

fn typecheck_in(path: &Path, sources: &mut Sources) -> Result<String, Diagnostic> {
    let modules = load_modules(path, sources)?;
    let cfg_path = default_config_path(path);
    let config = if cfg_path.exists() {
        let file = read_source(&cfg_path, sources)?;
        Some((parse_config(file, sources.text(file))?, file))
    } else {
        None
    };
    let config = config.as_ref().map(|(config, file)| (config, *file));
    let lowered = lower(&modules, config, &Options::default())?;
    let types = infer(&lowered.spec)?;
    assert_eq!(
        types.exprs.len(),
        lowered.spec.expr_count,
        "every expression has a type"
    );
    Ok(describe(&lowered.spec, &types))
}

/// A fixture's path relative to the crate root (where `cargo test` runs), so that rendered
/// diagnostics name the same file on every machine.
fn relative(path: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root)
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

#[test]
fn fixtures() {
    insta::glob!("fixtures/types/*.tla", |path| {
        insta::assert_snapshot!(typecheck(&relative(path)));
    });
}

/// Every spec of the corpus with a model config goes through inference without a panic; the
/// tally of outcomes is printed (`cargo test --test types -- --nocapture`).
#[test]
fn corpus_does_not_panic() {
    let corpus =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/tla-examples/specifications");
    if !corpus.is_dir() {
        eprintln!("corpus not found at {}; skipped", corpus.display());
        return;
    }
    let mut configs = Vec::new();
    collect_configs(&corpus, &mut configs);
    configs.sort();
    let (mut typed, mut failed) = (0, Vec::new());
    for cfg in &configs {
        let tla = cfg.with_extension("tla");
        if !tla.exists() {
            continue;
        }
        let mut sources = Sources::new();
        match typecheck_in(&tla, &mut sources) {
            Ok(_) => typed += 1,
            Err(diagnostic) => failed.push(format!("{}: {}", tla.display(), diagnostic)),
        }
    }
    eprintln!("{typed} typed, {} stopped by an error", failed.len());
    for failure in &failed {
        eprintln!("  {failure}");
    }
}

fn collect_configs(dir: &Path, into: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_configs(&path, into);
        } else if path.extension().is_some_and(|e| e == "cfg") {
            into.push(path);
        }
    }
}
