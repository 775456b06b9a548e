//! Ctrl-C during `check`: say how far the search got — every behaviour up to the last depth
//! fully checked is free of violations, a result worth keeping — and exit with 130, the
//! shell's code for a process ended by SIGINT.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The exit code of a run interrupted by Ctrl-C (128 + SIGINT).
pub const EXIT_INTERRUPTED: i32 = 130;

/// No depth has begun yet.
const NOT_STARTED: usize = usize::MAX;

/// The depth the search is checking now (so every lesser depth is done).
static DEPTH_BEGUN: AtomicUsize = AtomicUsize::new(NOT_STARTED);

/// Installs the Ctrl-C handler. Only the first call in a process installs it; later ones
/// (a library user calling `check` twice) keep it.
pub fn watch() {
    let _ = ctrlc::set_handler(on_interrupt);
}

/// Records that the search began checking behaviours of `depth` steps.
pub fn depth_begun(depth: usize) {
    DEPTH_BEGUN.store(depth, Ordering::SeqCst);
}

/// What an interrupted run prints, given the depth being checked when it was interrupted.
pub fn interrupted_message(depth_begun: usize) -> String {
    if depth_begun == NOT_STARTED {
        "Interrupted before the search began: nothing was checked.".to_string()
    } else if depth_begun == 0 {
        "Interrupted while checking the initial states: nothing was checked.".to_string()
    } else {
        let done = depth_begun - 1;
        format!(
            "Interrupted while checking depth {depth_begun}: \
             no violation in any behaviour of up to {done} steps."
        )
    }
}

fn on_interrupt() {
    let message = interrupted_message(DEPTH_BEGUN.load(Ordering::SeqCst));
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "{message}");
    let _ = stdout.flush();
    // `_exit`, not `exit`: the search thread is inside Z3, and `exit` would run Z3's static
    // destructors under its feet.
    // SAFETY: `_exit` ends the process at once; it is safe to call from any thread.
    unsafe { libc::_exit(EXIT_INTERRUPTED) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_names_the_last_depth_fully_checked() {
        assert_eq!(
            interrupted_message(4),
            "Interrupted while checking depth 4: no violation in any behaviour of up to 3 steps."
        );
        assert_eq!(
            interrupted_message(0),
            "Interrupted while checking the initial states: nothing was checked."
        );
        assert_eq!(
            interrupted_message(NOT_STARTED),
            "Interrupted before the search began: nothing was checked."
        );
    }
}
