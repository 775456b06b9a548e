//! `smtcheck check --stats`: where the time went, printed on stderr so that it never mixes
//! with the verdict or the trace on stdout.

use crate::engine::bmc::Stats;
use crate::engine::liveness::PropertyStats;
use std::time::Duration;

/// The front end's time, then one line per depth, then the totals inside and outside Z3.
pub(super) fn print_search(front_end: Duration, stats: &Stats) {
    print_front_end(front_end);
    eprintln!("stats: induction pre-check {}", secs(stats.induction));
    eprintln!("stats: depth  encoding     z3         terms  quantifiers");
    for (depth, entry) in stats.depths.iter().enumerate() {
        eprintln!(
            "stats: {depth:>5}  {}  {}  {:>8}  {:>11}",
            secs(entry.encoding),
            secs(entry.solving),
            entry.terms,
            entry.quantifiers
        );
    }
    let solving: Duration = stats.depths.iter().map(|d| d.solving).sum();
    let encoding: Duration = stats.depths.iter().map(|d| d.encoding).sum();
    eprintln!("stats: decoding {}", secs(stats.decoding));
    eprintln!(
        "stats: total encoding {}, in Z3 {} (induction excluded)",
        secs(encoding),
        secs(solving)
    );
}

pub(super) fn print_front_end(front_end: Duration) {
    eprintln!(
        "stats: front end (parse, sema, types, fold) {}",
        secs(front_end)
    );
}

/// One line per property and length of lasso searched, then the totals inside and outside Z3.
pub(super) fn print_lasso_search(properties: &[PropertyStats]) {
    eprintln!("stats: property  states  encoding     z3");
    for property in properties {
        for (last, entry) in property.lengths.iter().enumerate() {
            eprintln!(
                "stats: {}  {:>6}  {}  {}",
                property.name,
                last + 1,
                secs(entry.encoding),
                secs(entry.solving)
            );
        }
    }
    let lengths = properties.iter().flat_map(|p| &p.lengths);
    let solving: Duration = lengths.clone().map(|l| l.solving).sum();
    let encoding: Duration = lengths.map(|l| l.encoding).sum();
    eprintln!(
        "stats: lasso search encoding {}, in Z3 {}",
        secs(encoding),
        secs(solving)
    );
}

/// The time the evaluator took to certify the counterexample.
pub(super) fn print_replay(replay: Duration) {
    eprintln!("stats: replay {}", secs(replay));
}

fn secs(duration: Duration) -> String {
    format!("{:>8.4} s", duration.as_secs_f64())
}
