//! Differential tests: bounded model checking and the explicit-state explorer must agree —
//! same verdict, same shortest counterexample length, both counterexamples replay, and no
//! violation from BMC at depth k only where the explorer finds none within k steps — on
//! random specs, on `examples/`, and on the corpus models small enough to enumerate.
//!
//! `DIFF_SEEDS=a..b` replaces the random specs' seeds (`scripts/differential.sh` runs many,
//! and the slow comparisons on the examples and the corpus).

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;
use support::random_spec::random_spec;
use support::{compare_file, write_spec, Budget, Comparison, Tally};

/// The seeds CI runs (the whole file stays within seconds in a debug build).
const CI_SEEDS: std::ops::Range<u64> = 0..60;

/// Seeds whose BMC counterexample once failed to replay ("state 1 does not satisfy Init";
/// seed 467: a step that was not an instance of its action), on a working tree of 26 Nov
/// 01:35 that was not kept; run always, so that whatever it was does not come back.
const REGRESSION_SEEDS: [u64; 8] = [237, 274, 284, 467, 659, 735, 841, 892];

const RANDOM_BUDGET: Budget = Budget {
    depth: 6,
    max_states: 20_000,
    solver_timeout: Duration::from_secs(60),
};

fn seeds() -> Vec<u64> {
    let Ok(range) = std::env::var("DIFF_SEEDS") else {
        return CI_SEEDS.chain(REGRESSION_SEEDS).collect();
    };
    let parsed = range
        .split_once("..")
        .and_then(|(a, b)| Some(a.trim().parse().ok()?..b.trim().parse().ok()?));
    parsed
        .unwrap_or_else(|| panic!("DIFF_SEEDS must look like 0..2000, not `{range}`"))
        .collect()
}

fn compare_seed(seed: u64) -> Comparison {
    let spec = random_spec(seed);
    let file = write_spec(&spec.name, &spec.tla, &spec.cfg);
    let comparison = compare_file(&file, None, RANDOM_BUDGET);
    if let Some(dir) = file.parent() {
        let _ = std::fs::remove_dir_all(dir);
    }
    comparison
}

#[test]
fn random_specs_agree() {
    let mut tally = Tally::default();
    for seed in seeds() {
        let comparison = compare_seed(seed);
        if let Comparison::Disagree(_) = &comparison {
            let spec = random_spec(seed);
            eprintln!("seed {seed}:\n{}{}", spec.tla, spec.cfg);
        }
        tally.add(&format!("seed {seed}"), comparison);
    }
    eprintln!("{}", tally.summary("random specs"));
    for skipped in &tally.skipped {
        eprintln!("skipped {skipped}");
    }
    assert!(tally.disagreed.is_empty(), "{:#?}", tally.disagreed);
    // The generator writes only what the front end supports, and CI's seeds are all decided
    // (among many seeds, the solver answers `unknown` on a few quantified set maps).
    if std::env::var("DIFF_SEEDS").is_err() {
        assert!(tally.skipped.is_empty(), "{:#?}", tally.skipped);
    }
}

#[test]
fn the_generator_is_deterministic_per_seed() {
    let (a, b) = (random_spec(7), random_spec(7));
    assert_eq!((a.tla, a.cfg), (b.tla, b.cfg));
    assert_ne!(random_spec(7).tla, random_spec(8).tla);
}

/// Every `.cfg` of every example, with its module.
fn example_models() -> Vec<(PathBuf, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut models = Vec::new();
    for dir in sorted_entries(&root) {
        let cfgs: Vec<PathBuf> = sorted_entries(&dir)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "cfg"))
            .collect();
        let Some(module) = sorted_entries(&dir)
            .into_iter()
            .find(|p| p.extension().is_some_and(|e| e == "tla"))
        else {
            continue;
        };
        for cfg in cfgs {
            models.push((module.clone(), cfg));
        }
    }
    models
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|read| read.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    entries.sort();
    entries
}

/// The examples' scale variants (`_100`, `_1000`: a hundred nodes and more) are left to BMC:
/// too many states per step for the explorer.
fn is_scale_variant(cfg: &Path) -> bool {
    let stem = cfg.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    stem.ends_with("_100") || stem.ends_with("_1000")
}

/// BMC against the explorer on every example model, to depth 3. Slow in debug builds.
#[test]
#[ignore = "slow: run with --release -- --ignored (scripts/differential.sh)"]
fn examples_agree() {
    let budget = Budget {
        depth: 3,
        max_states: 5_000,
        solver_timeout: Duration::from_secs(120),
    };
    let mut tally = Tally::default();
    for (module, cfg) in example_models() {
        if is_scale_variant(&cfg) {
            continue;
        }
        let label = cfg.display().to_string();
        tally.add(&label, compare_file(&module, Some(&cfg), budget));
    }
    eprintln!("{}", tally.summary("examples"));
    for skipped in &tally.skipped {
        eprintln!("skipped {skipped}");
    }
    assert!(tally.disagreed.is_empty(), "{:#?}", tally.disagreed);
    assert!(tally.agreed > 0, "no example compared");
}

/// The corpus models TLC explored completely in at most `max_states` distinct states.
fn small_corpus_models(root: &Path, max_states: usize) -> Vec<(PathBuf, PathBuf)> {
    let Ok(manifest) = std::fs::read_to_string(root.join("MANIFEST.tsv")) else {
        return Vec::new();
    };
    manifest
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let states: usize = cols.get(6)?.parse().ok()?;
            let (module, cfg) = (cols.first()?, cols.get(1)?);
            (states <= max_states).then(|| (root.join(module), root.join(cfg)))
        })
        .collect()
}

/// BMC against the explorer on every corpus model of at most 5,000 states (TLC's count), to
/// depth 4. Slow in debug builds: `cargo test --release --test differential -- --ignored`.
#[test]
#[ignore = "slow: run with --release -- --ignored (scripts/differential.sh)"]
fn small_corpus_models_agree() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/tla-examples");
    let models = small_corpus_models(&root, 5_000);
    if models.is_empty() {
        eprintln!("corpus not found: skipped");
        return;
    }
    let budget = Budget {
        depth: 4,
        max_states: 50_000,
        solver_timeout: Duration::from_secs(20),
    };
    let mut tally = Tally::default();
    for (module, cfg) in models {
        let label = cfg
            .strip_prefix(&root)
            .unwrap_or(&cfg)
            .display()
            .to_string();
        tally.add(&label, compare_file(&module, Some(&cfg), budget));
    }
    eprintln!("{}", tally.summary("corpus models"));
    for skipped in &tally.skipped {
        eprintln!("skipped {skipped}");
    }
    assert!(tally.disagreed.is_empty(), "{:#?}", tally.disagreed);
}
