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
        #[arg(long)]
        timeout: Option<f64>,
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

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
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
    /// An invariant to check (repeatable; replaces the config's INVARIANTS).
    #[arg(long = "inv")]
    invariants: Vec<String>,
    /// Do not report deadlocks (as CHECK_DEADLOCK FALSE).
    #[arg(long)]
    no_deadlock: bool,
}

impl Select {
    fn options(self) -> Options {
        Options {
            init: self.init,
            next: self.next,
            invariants: self.invariants,
            no_deadlock: self.no_deadlock,
        }
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let code = match args.command {
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
            select,
        } => {
            let request = cli::CheckRequest {
                depth,
                timeout: timeout.map(std::time::Duration::from_secs_f64),
                trace_out,
                diff,
                verbose,
                json: matches!(format, Format::Json),
            };
            cli::check(&file, config.as_deref(), &select.options(), &request)
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
            };
            cli::explore(&file, config.as_deref(), &select.options(), limits)
        }
        Command::Encode {
            file,
            config,
            depth,
            select,
        } => cli::encode(&file, config.as_deref(), &select.options(), depth),
        Command::Typecheck {
            file,
            config,
            json,
            select,
        } => cli::typecheck(&file, config.as_deref(), &select.options(), json),
    };
    ExitCode::from(code)
}
