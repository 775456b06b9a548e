//! A portfolio of two engines racing on one question, on the machine's cores: the explicit
//! explorer, which answers small models in milliseconds and drowns in large ones, and a
//! symbolic engine, which pays for Z3 on every model and does not care how many nodes there
//! are.
//!
//! Each engine runs on a thread of its own (a symbolic engine creates its Z3 context there:
//! Z3's objects cannot cross threads) and answers `Definitive`ly — a counterexample, or none
//! within the bound, which either engine decides exactly — or `Inconclusive`ly: the explorer
//! met a construct it cannot evaluate, its memory budget or a stop request; the solver said
//! unknown, or the encoding is unsupported. The first definitive answer wins. An inconclusive
//! answer waits for the other engine, which is never slower than running that engine alone;
//! when both are inconclusive the symbolic engine's answer is the one reported, since it is
//! what running it alone would report (an unknown stays unknown, never success).
//!
//! The loser is told to stop through its `Cancel` flag. The explorer heeds it before each
//! state it expands; Z3 cannot be interrupted safely (`Z3_interrupt` breaks the context in
//! Z3 4.8.12), so a losing symbolic engine runs on in the background until it ends. The
//! command line prints the winner's answer and ends the process without waiting for it.

use super::bmc::{Options, Outcome};
use crate::diag::Diagnostic;
use crate::eval::{explore_until, EvalError, Exploration, Limits, Verdict};
use crate::ir::{Behaviour, Spec};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// The estimated bytes (`eval::Limits::max_bytes`) the explorer may fill with states before it
/// gives up: enough for the hundreds of thousands of states of the examples' small models, and
/// little beside a long symbolic run on a machine shared by several (at 100 nodes a leader
/// election state takes some 50 kB).
pub const EXPLORER_MEMORY_BUDGET: usize = 1 << 30;

/// One of the two engines of a race.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entrant {
    Explicit,
    Symbolic,
}

/// An engine's answer: one that settles the question, or one that leaves it to the other.
#[derive(Debug)]
pub enum Answer<T> {
    Definitive(T),
    Inconclusive(T),
}

impl<T> Answer<T> {
    /// The answer, whether or not it settles the question.
    pub fn into_inner(self) -> T {
        match self {
            Answer::Definitive(answer) | Answer::Inconclusive(answer) => answer,
        }
    }

    /// The same kind of answer, with `f` applied to what it carries.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Answer<U> {
        match self {
            Answer::Definitive(answer) => Answer::Definitive(f(answer)),
            Answer::Inconclusive(answer) => Answer::Inconclusive(f(answer)),
        }
    }
}

/// The flag a race raises to tell an engine that its answer is no longer wanted.
#[derive(Clone, Debug, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn is_raised(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    fn raise(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// How a race ended: the answer reported, and the engine that gave it.
#[derive(Debug)]
pub struct Finish<T> {
    pub by: Entrant,
    pub answer: T,
}

/// Runs `explicit` and `symbolic` at once, each on a thread of its own, and returns the first
/// definitive answer, else the symbolic engine's. A panic in either engine is resumed here, as
/// if it had run on this thread.
pub fn race<T: Send + 'static>(
    explicit: impl FnOnce(&Cancel) -> Answer<T> + Send + 'static,
    symbolic: impl FnOnce(&Cancel) -> Answer<T> + Send + 'static,
) -> Finish<T> {
    let (sender, answers) = mpsc::channel();
    let cancels = [Cancel::default(), Cancel::default()];
    enter(Entrant::Explicit, explicit, &cancels[0], sender.clone());
    enter(Entrant::Symbolic, symbolic, &cancels[1], sender);
    let mut symbolic_answer = None;
    // Each engine sends exactly one message, so the loop ends after at most two.
    while let Ok((by, answer)) = answers.recv() {
        match answer {
            Ok(Answer::Definitive(answer)) => {
                cancels.iter().for_each(Cancel::raise);
                return Finish { by, answer };
            }
            Ok(Answer::Inconclusive(answer)) if by == Entrant::Symbolic => {
                symbolic_answer = Some(answer)
            }
            Ok(Answer::Inconclusive(_)) => {}
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
    match symbolic_answer {
        Some(answer) => Finish {
            by: Entrant::Symbolic,
            answer,
        },
        None => unreachable!("the symbolic engine's thread always sends its answer"),
    }
}

type Message<T> = (Entrant, std::thread::Result<Answer<T>>);

/// Starts `engine` on a thread with a big stack (as the command line's own, for the
/// evaluator's recursion), sending its answer, or its panic, to the race.
fn enter<T: Send + 'static>(
    entrant: Entrant,
    engine: impl FnOnce(&Cancel) -> Answer<T> + Send + 'static,
    cancel: &Cancel,
    sender: mpsc::Sender<Message<T>>,
) {
    let cancel = cancel.clone();
    let run = move || {
        let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            crate::eval::eval::with_big_stack(move || engine(&cancel))
        }));
        // The race may be over and its receiver gone: the answer is then not wanted.
        let _ = sender.send((entrant, answer));
    };
    if let Err(error) = std::thread::Builder::new().spawn(run) {
        panic!("cannot start a thread for the {entrant:?} engine: {error}");
    }
}

/// What the explorer found, as `check` reports it, with its figures.
#[derive(Debug)]
pub struct Explored {
    pub answer: Answer<Result<Outcome, Diagnostic>>,
    /// The distinct states stored.
    pub states: usize,
    pub elapsed: Duration,
}

/// `bmc::check`'s question answered by the explicit explorer: behaviours of at most
/// `options.depth` steps, within `EXPLORER_MEMORY_BUDGET` and `options.timeout`, stopping when
/// `cancel` is raised. A violation and the absence of one up to the depth are definitive;
/// an evaluation error (a construct the evaluator refuses, or an error TLC would stop at, for
/// which the symbolic engine finds the trace), the budget, the timeout and cancelling are not.
pub fn explore_check(spec: &Spec, options: &Options, cancel: &Cancel) -> Explored {
    let started = Instant::now();
    let deadline = options.timeout.and_then(|t| started.checked_add(t));
    let stop_requested = || cancel.is_raised() || deadline.is_some_and(|d| Instant::now() >= d);
    let limits = Limits {
        max_depth: options.depth,
        max_bytes: EXPLORER_MEMORY_BUDGET,
        ..Limits::default()
    };
    let explored = explore_until(spec, limits, &stop_requested);
    let states = explored.as_ref().map_or(0, |e| e.distinct_states);
    let answer = match explored {
        Ok(exploration) => {
            let stopped_because = if cancel.is_raised() {
                "it was cancelled"
            } else if deadline.is_some_and(|d| Instant::now() >= d) {
                "timeout"
            } else {
                "the explorer's memory budget is spent"
            };
            as_answer(exploration, options.depth, stopped_because)
        }
        Err(error) => Answer::Inconclusive(Err(evaluation_failure(error))),
    };
    Explored {
        answer,
        states,
        elapsed: started.elapsed(),
    }
}

/// The explorer's verdict as `bmc::check`'s outcome; `stopped_because` says why a search that
/// reached a limit stopped.
fn as_answer(
    exploration: Exploration,
    depth: usize,
    stopped_because: &str,
) -> Answer<Result<Outcome, Diagnostic>> {
    let behaviour = |steps| Behaviour {
        steps,
        loop_start: None,
    };
    match (exploration.verdict, exploration.trace) {
        (Verdict::NoViolation { .. }, _) => Answer::Definitive(Ok(Outcome::NoViolation { depth })),
        (Verdict::InvariantViolated(name), Some(steps)) => {
            Answer::Definitive(Ok(Outcome::InvariantViolated {
                name,
                trace: behaviour(steps),
            }))
        }
        (Verdict::Deadlock, Some(steps)) => Answer::Definitive(Ok(Outcome::Deadlock {
            trace: behaviour(steps),
        })),
        (Verdict::LimitReached, _) => Answer::Inconclusive(Ok(Outcome::Unknown {
            // Every state one step short of the deepest found was expanded: the explorer
            // searches level by level.
            depth: exploration.depth_reached.saturating_sub(1),
            reason: format!(
                "{stopped_because} after {} states",
                exploration.distinct_states
            ),
        })),
        (Verdict::InvariantViolated(_) | Verdict::Deadlock, None) => {
            Answer::Inconclusive(Ok(Outcome::Unknown {
                depth: 0,
                reason: "the explorer found a violation but no trace to it".into(),
            }))
        }
    }
}

/// An evaluation error as the diagnostic that `--engine explicit` reports (exit 75).
fn evaluation_failure(error: EvalError) -> Diagnostic {
    Diagnostic::from(error)
        .note("the explicit explorer stops here; `--engine bmc` may decide the model")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An engine that answers only once the race has cancelled it: it can never win.
    fn answers_when_cancelled(
        answer: Answer<&'static str>,
    ) -> impl FnOnce(&Cancel) -> Answer<&'static str> {
        move |cancel: &Cancel| {
            while !cancel.is_raised() {
                std::thread::yield_now();
            }
            answer
        }
    }

    #[test]
    fn the_first_definitive_answer_wins_and_cancels_the_other() {
        let finish = race(
            |_| Answer::Definitive("explicit"),
            answers_when_cancelled(Answer::Definitive("symbolic")),
        );
        assert_eq!(finish.by, Entrant::Explicit);
        assert_eq!(finish.answer, "explicit");
        let finish = race(
            answers_when_cancelled(Answer::Definitive("explicit")),
            |_| Answer::Definitive("symbolic"),
        );
        assert_eq!(finish.by, Entrant::Symbolic);
        assert_eq!(finish.answer, "symbolic");
    }

    #[test]
    fn an_inconclusive_answer_waits_for_the_other_engine() {
        let finish = race(
            |_| Answer::Inconclusive("gave up"),
            |_| Answer::Definitive("symbolic"),
        );
        assert_eq!((finish.by, finish.answer), (Entrant::Symbolic, "symbolic"));
        let finish = race(
            |_| Answer::Definitive("explicit"),
            |_| Answer::Inconclusive("unknown"),
        );
        assert_eq!((finish.by, finish.answer), (Entrant::Explicit, "explicit"));
    }

    #[test]
    fn when_neither_decides_the_symbolic_answer_is_reported() {
        let finish = race(
            |_| Answer::Inconclusive("gave up"),
            |_| Answer::Inconclusive("unknown"),
        );
        assert_eq!((finish.by, finish.answer), (Entrant::Symbolic, "unknown"));
    }
}
