//! The TLC model configuration (`.cfg`) reader.
//!
//! A `.cfg` file tells a model checker which behaviour to check (`SPECIFICATION Spec`, or
//! `INIT Init` and `NEXT Next`), what to check of it (`INVARIANTS`, `PROPERTIES`,
//! `CHECK_DEADLOCK`), and the values of the spec's constants (`CONSTANTS N = 3`). The format is
//! TLC's (Specifying Systems, chapter 14, and TLC's own reader), so the model files of existing
//! specs are read unchanged:
//!
//! ```text
//! \* A comment to the end of the line; (* block comments *) nest.
//! CONSTANTS
//!     N = 3                    \* a number (possibly negative), string, TRUE or FALSE
//!     Node = {n1, n2, n3}      \* a set of values; bare names are model values
//!     Nil = Nil                \* a model value named like the constant
//!     Ballot <- MCBallot       \* replace the constant by a definition of the spec
//!     Quorum <- [Voting] MCQ   \* ... by a definition in module Voting
//!     NoHash = [Nano] NoVal    \* the constant NoHash of module Nano gets a value
//! SPECIFICATION Spec
//! INVARIANTS TypeOK Safety     \* names separated by spaces or newlines, never commas
//! PROPERTIES Liveness
//! CHECK_DEADLOCK FALSE
//! ```
//!
//! Every keyword may appear in any order; list keywords (`CONSTANTS`, `INVARIANTS`, …) may
//! repeat and accumulate, single-name keywords (`INIT`, `SPECIFICATION`, …) may not. Whether
//! the names exist in the spec is checked later, by `sema`, which also warns about keywords
//! smtcheck does not act on.
//!
//! # Error codes
//!
//! All are of [`Kind::Config`](crate::diag::Kind::Config) unless noted.
//!
//! | code | meaning |
//! |---|---|
//! | `E0200` | a character or escape the cfg language does not have |
//! | `E0201` | an unterminated string or `(*` comment |
//! | `E0202` | an unknown keyword, or something other than a keyword where a section must start |
//! | `E0203` | a keyword without the name it needs (`INIT` at the end of the file, a comma in a list) |
//! | `E0204` | a malformed constant binding (`N 3`, `N <- 3`, `N <- [M Op`) |
//! | `E0205` | a malformed value (`N = `, `S = {a b}`) |
//! | `E0206` | a single-name keyword (`INIT`, `SPECIFICATION`, `CHECK_DEADLOCK`, …) given twice |
//! | `E0207` | `CHECK_DEADLOCK` followed by something other than `TRUE` or `FALSE` |
//! | `E0208` | an integer outside the 64-bit range |
//! | `E0209` | ([`Kind::Unsupported`](crate::diag::Kind::Unsupported)) TLC syntax smtcheck does not support: `F(a) = v`, `M!C = v`, `TYPE_CONSTRAINT` |
//!
//! Later stages report what the cfg names but the spec lacks (`E0210` onwards).

mod lexer;
mod parser;

use crate::diag::{Diagnostic, FileId};
use crate::syntax::ast::{Ident, Span};
use std::path::{Path, PathBuf};

/// The stable error codes of this module; see the table in the module documentation.
pub(crate) mod codes {
    pub const BAD_TOKEN: &str = "E0200";
    pub const UNTERMINATED: &str = "E0201";
    pub const EXPECTED_KEYWORD: &str = "E0202";
    pub const EXPECTED_NAME: &str = "E0203";
    pub const BAD_BINDING: &str = "E0204";
    pub const BAD_VALUE: &str = "E0205";
    pub const REPEATED_KEYWORD: &str = "E0206";
    pub const BAD_DEADLOCK_FLAG: &str = "E0207";
    pub const INT_RANGE: &str = "E0208";
    pub const UNSUPPORTED: &str = "E0209";
}

/// Everything a `.cfg` file says, in source order within each list. Spans are byte offsets
/// into the `.cfg` text (the `FileId` given to [`parse_config`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ModelConfig {
    /// `INIT Init`: the initial-state predicate, when the behaviour is given as `INIT`/`NEXT`.
    pub init: Option<Ident>,
    /// `NEXT Next`: the next-state action.
    pub next: Option<Ident>,
    /// `SPECIFICATION Spec`: a temporal formula `Init /\ [][Next]_v /\ Fairness`.
    pub specification: Option<Ident>,
    /// The bindings of all `CONSTANT`/`CONSTANTS` sections, in order.
    pub constants: Vec<ConstantBinding>,
    /// `INVARIANT`/`INVARIANTS`: state predicates to hold in every reachable state.
    pub invariants: Vec<Ident>,
    /// `PROPERTY`/`PROPERTIES`: temporal formulas every behaviour must satisfy.
    pub properties: Vec<Ident>,
    /// `CONSTRAINT`/`CONSTRAINTS`: state predicates bounding the explored state space.
    pub constraints: Vec<Ident>,
    /// `ACTION_CONSTRAINT`/`ACTION_CONSTRAINTS`: actions bounding the explored steps.
    pub action_constraints: Vec<Ident>,
    /// `CHECK_DEADLOCK TRUE|FALSE` and the span of the `TRUE`/`FALSE`; absent means TLC's
    /// default, which is to check.
    pub check_deadlock: Option<(bool, Span)>,
    /// `SYMMETRY Perms`: a set of permutations TLC may use to reduce states.
    pub symmetry: Option<Ident>,
    /// `VIEW v`: the expression TLC fingerprints instead of the whole state.
    pub view: Option<Ident>,
    /// `ALIAS a`: a record TLC prints instead of each state of a trace.
    pub alias: Option<Ident>,
    /// `POSTCONDITION P`: a constant-level predicate TLC checks after exploring.
    pub postcondition: Option<Ident>,
}

/// One line of a `CONSTANTS` section: `name = value`, `name <- Op` or `name <- [M] Op`.
#[derive(Clone, Debug, PartialEq)]
pub struct ConstantBinding {
    /// The constant (or definition) of the spec being given a value.
    pub name: Ident,
    pub value: ConstantValue,
    /// The whole binding, from the name to the end of the value.
    pub span: Span,
}

/// What a constant is bound to.
#[derive(Clone, Debug, PartialEq)]
pub enum ConstantValue {
    /// `N = 3`, `S = {a, b}`, `x = "s"`, `b = TRUE`, `m = m`: a value written in the cfg.
    Value(ConfigValue),
    /// `N = [M] v`: a value for the constant (or definition) `N` of module `M`, which the
    /// root module instantiates. TLC calls these module-specific constants.
    ValueInModule { module: Ident, value: ConfigValue },
    /// `N <- Op`: the constant is replaced by the spec's definition `Op`.
    Replace(Ident),
    /// `N <- [M] Op`: in module `M`, `N` is replaced by the definition `Op`.
    ReplaceInModule { module: Ident, op: Ident },
}

/// A value the cfg language can write.
#[derive(Clone, Debug, PartialEq)]
pub enum ConfigValue {
    /// An integer; the span covers a leading `-`.
    Int(i64, Span),
    /// A string, escapes decoded; the span covers the quotes.
    Str(String, Span),
    /// `TRUE` or `FALSE`.
    Bool(bool, Span),
    /// A bare name: a model value, equal only to itself.
    ModelValue(Ident),
    /// `{v1, v2, ...}`, possibly empty or nested, in source order (duplicates kept); the span
    /// covers the braces.
    Set(Vec<ConfigValue>, Span),
}

impl ConfigValue {
    /// Where the value is written.
    pub fn span(&self) -> Span {
        match self {
            ConfigValue::Int(_, span)
            | ConfigValue::Str(_, span)
            | ConfigValue::Bool(_, span)
            | ConfigValue::Set(_, span) => *span,
            ConfigValue::ModelValue(name) => name.span,
        }
    }
}

/// Reads the `.cfg` text `src`, registered as `file` (spans and diagnostics refer to it).
/// Stops at the first error.
pub fn parse_config(file: FileId, src: &str) -> Result<ModelConfig, Diagnostic> {
    let tokens = lexer::tokenize(file, src)?;
    parser::parse(file, &tokens, src.len())
}

/// The model file TLC reads for a module when none is named: `Spec.cfg` beside `Spec.tla`.
pub fn default_config_path(tla: &Path) -> PathBuf {
    tla.with_extension("cfg")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_path_sits_beside_the_module() {
        assert_eq!(
            default_config_path(Path::new("specs/Spec.tla")),
            Path::new("specs/Spec.cfg")
        );
        assert_eq!(
            default_config_path(Path::new("Spec")),
            Path::new("Spec.cfg")
        );
        assert_eq!(
            default_config_path(Path::new("a.b/My.Spec.tla")),
            Path::new("a.b/My.Spec.cfg")
        );
    }
}
