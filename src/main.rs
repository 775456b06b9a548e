//! The `smtcheck` command line: arguments in, exit code out. All logic lives in the library.

use clap::{Parser, Subcommand};
use smtcheck::cli;
use smtcheck::sema::Options;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "smtcheck",
    version,
    about = "A symbolic model checker for TLA+, backed by Z3"
)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse a module and the local modules it names; print a summary (or the syntax tree).
    Parse {
        /// The `.tla` file of the root module.
        file: PathBuf,
        /// Print the whole syntax tree instead of a summary.
        #[arg(long)]
        ast: bool,
        /// Also parse this TLC model file (default: the `.cfg` beside the module, if any).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Bounded model checking: find the shortest behaviour that breaks an invariant or
    /// deadlocks, up to a depth.
    Check {
        file: PathBuf,
        /// The TLC model file (default: the `.cfg` beside the module, if any).
        #[arg(long)]
        config: Option<PathBuf>,
        /// The most steps a behaviour may take.
        #[arg(long, default_value_t = 10)]
        depth: usize,
        /// Give up after this many seconds (the verdict is then `unknown`, exit 14).
        #[arg(long, value_parser = parse_seconds)]
        timeout: Option<std::time::Duration>,
        /// Write the counterexample to this file as ITF JSON.
        #[arg(long)]
        trace_out: Option<PathBuf>,
        /// Print only the variables that change from state to state.
        #[arg(long)]
        diff: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Print progress on stderr even when it is not a terminal.
        #[arg(short, long)]
        verbose: bool,
        /// Print on stderr where the time went: front end, encoding and Z3 per depth, terms.
        #[arg(long)]
        stats: bool,
        /// Which engine answers: `bmc` (Z3), `explicit` (breadth-first search of the states,
        /// as TLC), or `auto`, both at once, the first definitive answer winning.
        #[arg(long, value_enum, default_value_t = EngineArg::Auto)]
        engine: EngineArg,
        #[command(flatten)]
        solver: SolverArgs,
        #[command(flatten)]
        select: Select,
    },
    /// Explicit-state breadth-first search with the concrete evaluator, as TLC does it.
    Explore {
        file: PathBuf,
        /// The TLC model file (default: the `.cfg` beside the module, if any).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Do not expand states more than this many steps from an initial state.
        #[arg(long, default_value_t = usize::MAX, hide_default_value = true)]
        depth: usize,
        /// Stop after this many distinct states.
        #[arg(long, default_value_t = 1_000_000)]
        max_states: usize,
        #[command(flatten)]
        select: Select,
    },
    /// Print the SMT-LIB 2 encoding: Init, `depth` steps, and the negated invariants.
    Encode {
        file: PathBuf,
        /// The TLC model file (default: the `.cfg` beside the module, if any).
        #[arg(long)]
        config: Option<PathBuf>,
        /// How many steps to unroll.
        #[arg(long, default_value_t = 1)]
        depth: usize,
        #[command(flatten)]
        select: Select,
    },
    /// Prove an inductive invariant (and the properties it implies) for every depth and for
    /// every value of the constants the config leaves symbolic.
    Prove {
        file: PathBuf,
        /// The TLC model file (default: the `.cfg` beside the module, if any). Constants it
        /// gives no value stay symbolic.
        #[arg(long)]
        config: Option<PathBuf>,
        /// The inductive invariant (repeatable: several are proved as their conjunction).
        #[arg(long = "inv", required = true)]
        inductive: Vec<String>,
        /// A property the inductive invariant should imply (repeatable). Here and in `--inv`,
        /// `I!Op` names the definition `Op` of the instance `I == INSTANCE M`.
        #[arg(long = "prop")]
        properties: Vec<String>,
        /// k-induction: assume the invariant in k consecutive states on a simple path.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
        k: u32,
        /// Give up on an obligation after this many seconds (its verdict is then `unknown`).
        #[arg(long, value_parser = parse_seconds)]
        timeout: Option<std::time::Duration>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[command(flatten)]
        solver: SolverArgs,
    },
    /// Resolve names, build the transition system and infer types; print what will be checked.
    Typecheck {
        file: PathBuf,
        /// The TLC model file (default: the `.cfg` beside the module, if any).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Print the result as one JSON object.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        select: Select,
    },
}

/// Settings of the SMT solver, so that runs can be reproduced and bounded.
#[derive(clap::Args)]
struct SolverArgs {
    /// The solver's random seed: the same seed, spec and options give the same run.
    #[arg(long)]
    seed: Option<u32>,
    /// The most memory, in megabytes, the solver may use (then the verdict is `unknown`).
    /// At least 64: Z3 needs some 50 MB to start.
    #[arg(long = "memory", value_name = "MB", value_parser = clap::value_parser!(u32).range(64..))]
    memory_mb: Option<u32>,
}

impl SolverArgs {
    fn settings(&self) -> smtcheck::engine::SolverSettings {
        smtcheck::engine::SolverSettings {
            seed: self.seed,
            memory_mb: self.memory_mb,
        }
    }
}

/// A number of seconds, not negative and finite.
fn parse_seconds(text: &str) -> Result<std::time::Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    std::time::Duration::try_from_secs_f64(seconds)
        .map_err(|_| format!("`{text}` is not a number of seconds"))
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum EngineArg {
    Auto,
    Bmc,
    Explicit,
}

impl EngineArg {
    fn engine(self) -> cli::Engine {
        match self {
            EngineArg::Auto => cli::Engine::Auto,
            EngineArg::Bmc => cli::Engine::Bmc,
            EngineArg::Explicit => cli::Engine::Explicit,
        }
    }
}

/// Choosing the behaviour and the invariants over what the config says.
#[derive(clap::Args)]
struct Select {
    /// The initial predicate (instead of the config's INIT).
    #[arg(long)]
    init: Option<String>,
    /// The next-state action (instead of the config's NEXT).
    #[arg(long)]
    next: Option<String>,
    /// An invariant to check (repeatable; replaces the config's INVARIANTS). Here and in
    /// `--temporal`, `--init` and `--next`, `I!Op` names the definition `Op` of the instance
    /// `I == INSTANCE M`.
    #[arg(long = "inv")]
    invariants: Vec<String>,
    /// Do not report deadlocks (as CHECK_DEADLOCK FALSE).
    #[arg(long)]
    no_deadlock: bool,
    /// A temporal property to check (repeatable; replaces the config's PROPERTIES).
    #[arg(long = "temporal")]
    temporal: Vec<String>,
}

impl Select {
    fn options(self) -> Options {
        Options {
            init: self.init,
            next: self.next,
            invariants: self.invariants,
            no_deadlock: self.no_deadlock,
            temporal: self.temporal,
            symbolic: Vec::new(),
        }
    }
}

fn main() -> ExitCode {
    restore_default_sigpipe();
    let args = Args::parse();
    // A big stack, so that recursive TLA+ definitions can nest deeply (see `eval`).
    let code = smtcheck::eval::eval::with_big_stack(move || match args.command {
        Command::Parse { file, ast, config } => cli::parse(&file, config.as_deref(), ast),
        Command::Check {
            file,
            config,
            depth,
            timeout,
            trace_out,
            diff,
            format,
            verbose,
            stats,
            engine,
            solver,
            select,
        } => {
            solver.settings().apply();
            let request = cli::CheckRequest {
                depth,
                timeout,
                trace_out,
                diff,
                verbose,
                json: matches!(format, Format::Json),
                stats,
                engine: engine.engine(),
            };
            let code = cli::check(&file, config.as_deref(), &select.options(), &request);
            exit_leaving_the_loser(code)
        }
        Command::Explore {
            file,
            config,
            depth,
            max_states,
            select,
        } => {
            let limits = smtcheck::eval::Limits {
                max_states,
                max_depth: depth,
                ..Default::default()
            };
            cli::explore(&file, config.as_deref(), &select.options(), limits)
        }
        Command::Encode {
            file,
            config,
            depth,
            select,
        } => cli::encode(&file, config.as_deref(), &select.options(), depth),
        Command::Prove {
            file,
            config,
            inductive,
            properties,
            k,
            timeout,
            format,
            solver,
        } => {
            solver.settings().apply();
            let request = cli::ProveRequest {
                inductive,
                properties,
                k: k as usize,
                timeout,
                json: matches!(format, Format::Json),
            };
            cli::prove(&file, config.as_deref(), &request)
        }
        Command::Typecheck {
            file,
            config,
            json,
            select,
        } => cli::typecheck(&file, config.as_deref(), &select.options(), json),
    });
    ExitCode::from(code)
}

/// Ends the process with `code` once `check` has printed its answer. The engine that lost the
/// race may still be inside Z3 (which cannot be interrupted safely): a normal exit would run
/// Z3's static destructors under its feet, so the process ends at once, as on Ctrl-C.
fn exit_leaving_the_loser(code: u8) -> ! {
    use std::io::Write;
    let _ = std::io::stdout().flush();
    // SAFETY: `_exit` ends the process at once; it is safe to call from any thread.
    unsafe { libc::_exit(i32::from(code)) }
}

/// Rust ignores SIGPIPE, so printing into a closed pipe (`smtcheck check … | head`) would
/// panic. A command-line tool should end quietly instead, as `cat` does: restore the default.
fn restore_default_sigpipe() {
    // SAFETY: called first thing in main, before any other thread exists; SIG_DFL is a valid
    // disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
