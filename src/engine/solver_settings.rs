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

/// A new solver that leaves Ctrl-C alone: by default Z3 catches SIGINT during a check and
/// answers `unknown`, where smtcheck wants to report how far the search got (`cli::interrupt`).
pub(crate) fn new_solver() -> z3::Solver {
    let solver = z3::Solver::new();
    let mut params = z3::Params::new();
    params.set_bool("ctrl_c", false);
    solver.set_params(&params);
    solver
}
