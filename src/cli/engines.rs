//! `check --engine`: which engine answers the bounded question — BMC, the explicit explorer,
//! or both racing (`engine::portfolio`) — and what each reports under `--stats` and `-v`.

use super::{interrupt, stats, CheckRequest, Frontend};
use crate::diag::Diagnostic;
use crate::engine::bmc::Stats;
use crate::engine::portfolio::{self, explore_check, race, Answer, Cancel, Entrant};
use crate::engine::{self, Outcome};
use crate::ir::Spec;
use crate::types::Types;
use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

/// Which engine answers `check` (`--engine`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Engine {
    /// The explicit explorer and BMC at once, on two threads: the first definitive answer.
    #[default]
    Auto,
    /// Bounded model checking with Z3 alone.
    Bmc,
    /// The explicit explorer alone, bounded by the depth.
    Explicit,
}

/// An engine's answer to `check`, with what it did to find it.
pub(super) struct Answered {
    pub outcome: Result<Outcome, Diagnostic>,
    pub by: Entrant,
    figures: Figures,
}

enum Figures {
    /// BMC's time per depth, when `--stats` asked for it.
    Symbolic(Option<Stats>),
    Explicit {
        states: usize,
        elapsed: Duration,
    },
}

/// Runs the engine `request` chooses on the front end's spec.
/// `general` is the module compiled with the configured constants left symbolic, for BMC's
/// induction questions (see `engine::bmc::check_with`).
pub(super) fn answer(
    front: &Frontend,
    general: Option<Frontend>,
    request: &CheckRequest,
) -> Answered {
    match request.engine {
        Engine::Bmc => bmc(&front.spec, &front.types, general.as_ref(), request),
        Engine::Explicit => into_answered(explore_check(
            &front.spec,
            &engine_options(request),
            &Cancel::default(),
        ))
        .into_inner(),
        Engine::Auto => {
            // Each thread needs the spec for as long as it runs, which may be longer than
            // this call: the losing BMC is not stopped.
            let shared = Arc::new((front.spec.clone(), front.types.clone()));
            let for_bmc = (Arc::clone(&shared), general);
            let (request_for_bmc, options) = (request.clone(), engine_options(request));
            let finish = race(
                move |cancel| into_answered(explore_check(&shared.0, &options, cancel)),
                move |_| {
                    let (exact, general) = &for_bmc;
                    let answered = bmc(&exact.0, &exact.1, general.as_ref(), &request_for_bmc);
                    let definitive = answered.outcome.as_ref().is_ok_and(is_definitive);
                    if definitive {
                        Answer::Definitive(answered)
                    } else {
                        Answer::Inconclusive(answered)
                    }
                },
            );
            finish.answer
        }
    }
}

/// Prints, under `--stats`, where the time went, and under `--stats` or `-v` which engine
/// answered; all on stderr.
pub(super) fn print_figures(answered: &Answered, request: &CheckRequest, front_end: Duration) {
    match &answered.figures {
        Figures::Symbolic(stats) => {
            if let Some(stats) = stats {
                stats::print_search(front_end, stats);
            }
            if request.verbose || request.stats {
                eprintln!("engine: bounded model checking (Z3) answered");
            }
        }
        Figures::Explicit { states, elapsed } => {
            if request.stats {
                stats::print_front_end(front_end);
            }
            if request.verbose || request.stats {
                eprintln!(
                    "engine: the explicit explorer answered, {states} distinct states in {:.4} s",
                    elapsed.as_secs_f64()
                );
            }
        }
    }
}

/// Which engine an unknown comes from, for its headline.
pub(super) fn who(by: Entrant) -> &'static str {
    match by {
        Entrant::Explicit => "the explicit explorer",
        Entrant::Symbolic => "the solver",
    }
}

fn engine_options(request: &CheckRequest) -> engine::Options {
    engine::Options {
        depth: request.depth,
        timeout: request.timeout,
    }
}

/// A verdict that settles the bounded question, which either engine decides exactly.
fn is_definitive(outcome: &Outcome) -> bool {
    !matches!(outcome, Outcome::Unknown { .. })
}

/// BMC, as `check` ran it before there was a choice: progress per depth on stderr (on a
/// terminal, or with `-v`), and its statistics with `--stats`.
fn bmc(spec: &Spec, types: &Types, general: Option<&Frontend>, request: &CheckRequest) -> Answered {
    let show_progress = request.verbose || std::io::stderr().is_terminal();
    let mut progress = move |depth: usize, elapsed: Duration| {
        interrupt::depth_begun(depth);
        if show_progress {
            eprintln!("depth {depth:>3}  {:>8.3} s", elapsed.as_secs_f64());
        }
    };
    let options = engine_options(request);
    let general = general.and_then(|g| engine::prove::general::general(spec, &g.spec, &g.types));
    let searched = engine::bmc::check_with(
        spec,
        types,
        general.as_ref(),
        &options,
        &mut progress,
        request.stats,
    );
    let (outcome, stats) = match searched {
        Ok((outcome, stats)) => (Ok(outcome), request.stats.then_some(stats)),
        Err(diagnostic) => (Err(diagnostic), None),
    };
    Answered {
        outcome,
        by: Entrant::Symbolic,
        figures: Figures::Symbolic(stats),
    }
}

fn into_answered(explored: portfolio::Explored) -> Answer<Answered> {
    let figures = Figures::Explicit {
        states: explored.states,
        elapsed: explored.elapsed,
    };
    explored.answer.map(|outcome| Answered {
        outcome,
        by: Entrant::Explicit,
        figures,
    })
}
