//! Settings every Z3 solver of the process shares: the random seeds, so that a run can be
//! reproduced exactly, and a memory limit, so that a search that outgrows the machine ends in
//! `unknown` rather than being killed.

/// What `--seed` and `--memory` ask of the solver.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SolverSettings {
    /// The random seed of Z3's SMT core and SAT solver (Z3's default is 0).
    pub seed: Option<u32>,
    /// The most memory, in megabytes, Z3 may allocate.
    pub memory_mb: Option<u32>,
}

impl SolverSettings {
    /// Sets Z3's global parameters; applies to every solver created afterwards, in every
    /// engine.
    pub fn apply(&self) {
        if let Some(seed) = self.seed {
            let seed = seed.to_string();
            z3::set_global_param("smt.random_seed", &seed);
            z3::set_global_param("sat.random_seed", &seed);
        }
        if let Some(megabytes) = self.memory_mb {
            z3::set_global_param("memory_max_size", &megabytes.to_string());
        }
    }
}

/// Why the solver answered `unknown` to its last check, in words for the user. A spent
/// `--memory` budget is named as such, which Z3 does not always do: its incremental core (the
/// one `check_assumptions` uses) gives the reason "unknown" (Z3 4.8.12), so the budget is also
/// compared with what Z3 holds.
pub(crate) fn reason_unknown(solver: &z3::Solver) -> String {
    let reason = solver
        .get_reason_unknown()
        .unwrap_or_else(|| "unknown".into());
    match memory_budget_mb() {
        Some(megabytes)
            // Z3 names it when its out-of-memory exception reaches the API; when its core
            // gives up instead, it still holds the memory that ran out.
            if reason == "out of memory" || z3_allocated_bytes() >= megabytes << 20 =>
        {
            format!("out of memory: the solver used up the {megabytes} MB that --memory allows")
        }
        _ => reason,
    }
}

/// The `--memory` budget in force, read back from Z3, which enforces it.
fn memory_budget_mb() -> Option<u64> {
    z3::get_global_param("memory_max_size")
        .and_then(|value| value.parse().ok())
        .filter(|megabytes| *megabytes > 0)
}

// Not wrapped by the `z3` crate; `z3-sys` links the library that defines it.
extern "C" {
    fn Z3_get_estimated_alloc_size() -> u64;
}

/// The bytes Z3 has allocated, the figure its `memory_max_size` bounds.
fn z3_allocated_bytes() -> u64 {
    // SAFETY: takes no arguments and reads a counter Z3 keeps for the whole process.
    unsafe { Z3_get_estimated_alloc_size() }
}

/// A new solver that leaves Ctrl-C alone: by default Z3 catches SIGINT during a check and
/// answers `unknown`, where smtcheck wants to report how far the search got (`cli::interrupt`).
pub(crate) fn new_solver() -> z3::Solver {
    let solver = z3::Solver::new();
    let mut params = z3::Params::new();
    params.set_bool("ctrl_c", false);
    solver.set_params(&params);
    solver
}

/// A new solver for bounded model checking's unrolled transitions (and its induction
/// pre-check, whose formulas are one step of them): `new_solver` with Z3's
/// older arithmetic solver (`arith.solver=2`), which decides their integer guards and counters
/// faster than the default (6) in Z3 4.8.12. Measured on the examples' bug variants (user
/// time to the counterexample, one run each, under the same load): leader election's double
/// vote 2.04 -> 1.24 s, stale votes 16.0 -> 9.5 s, the saga's volatile direction 0.91 ->
/// 0.56 s, the idempotent consumer 0.24 -> 0.15 s, the token mutex 0.23 -> 0.14 s, the
/// failover 0.42 -> 0.34 s; `smt.relevancy=0` and `smt.phase_selection=0`, also measured,
/// were slower on some.
pub(crate) fn new_bmc_solver() -> z3::Solver {
    let solver = new_solver();
    // Z3 adds these to the parameters set before (as it does `timeout` at each check).
    let mut params = z3::Params::new();
    params.set_u32("arith.solver", 2);
    solver.set_params(&params);
    solver
}
