//! Tokens passed from the lexer to the grammar.
//!
//! Every fixed token (keyword, punctuation, operator symbol) is a `Tok::Sym` holding its
//! canonical ASCII spelling, so the grammar names each token exactly once whatever synonym or
//! Unicode form the source used: `\land`, `∧` and `/\` all arrive as `Sym("/\\")`.
//!
//! Canonical spellings of the operators with synonyms:
//!
//! | canonical | also written |
//! |---|---|
//! | `/\` | `\land`, `∧` |
//! | `\/` | `\lor`, `∨` |
//! | `~` | `\lnot`, `\neg`, `¬` |
//! | `=>` | `⇒` |
//! | `<=>` | `\equiv`, `⇔`, `≡` |
//! | `/=` | `#`, `≠` |
//! | `<=` | `=<`, `\leq`, `≤` |
//! | `>=` | `\geq`, `≥` |
//! | `\in` | `∈` |
//! | `\notin` | `∉` |
//! | `\cup` | `\union`, `∪` |
//! | `\cap` | `\intersect`, `∩` |
//! | `\subseteq` | `⊆` |
//! | `\X` | `\times`, `×` |
//! | `\o` | `\circ`, `∘` |
//! | `\A` | `\forall`, `∀` |
//! | `\E` | `\exists`, `∃` |
//! | `==` | `≜` |
//! | `<<` `>>` | `⟨` `⟩` |
//! | `[]` | `□` |
//! | `<>` | `◇` |
//! | `|->` | `↦` |
//! | `->` | `→` |
//! | `<-` | `←` |
//! | `~>` | `↝` |
//!
//! Bullet lists (`/\` and `\/` junctions) are resolved by the lexer from the layout and arrive
//! as `JunctionBegin`, `JunctionSep` and `JunctionEnd` (see `lexer.rs`). A `/\` or `\/` that is
//! an infix operator arrives as a plain `Sym`.

use super::ast::Junction;
use std::fmt;

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    /// An identifier (letters, digits, `_`, at least one letter).
    Ident(String),
    /// A natural number, decimal or `\b`/`\o`/`\h` based.
    Number(i64),
    /// A decimal literal `1.5`, as written.
    Decimal(String),
    /// A string literal with its escapes resolved.
    String(String),
    /// A keyword, punctuation or operator symbol, in canonical ASCII spelling.
    Sym(&'static str),
    /// The first bullet of a junction list (opens the list).
    JunctionBegin(Junction),
    /// A later bullet of the open list, at the list's column.
    JunctionSep(Junction),
    /// The end of the innermost open junction list.
    JunctionEnd,
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bullet = |j: &Junction| if *j == Junction::And { "/\\" } else { "\\/" };
        match self {
            Tok::Ident(name) => write!(f, "identifier `{name}`"),
            Tok::Number(n) => write!(f, "number `{n}`"),
            Tok::Decimal(d) => write!(f, "number `{d}`"),
            Tok::String(s) => write!(f, "string {s:?}"),
            Tok::Sym(s) => write!(f, "`{s}`"),
            Tok::JunctionBegin(j) => write!(f, "start of a `{}` list", bullet(j)),
            Tok::JunctionSep(j) => write!(f, "`{}` bullet", bullet(j)),
            Tok::JunctionEnd => write!(f, "end of a bullet list"),
        }
    }
}
