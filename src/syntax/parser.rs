//! Drives the lalrpop grammar (`grammar/tla.lalrpop`) over the lexer's tokens, and turns every
//! failure into a `Diagnostic`.
//!
//! Error codes: `E0100` a lexical error, `E0101` an unexpected token, `E0102` an unexpected end
//! of file, `E0103` anything else (such as `{e : 1}`, whose `1` is not a bound).

use super::ast::{Expr, Module, Span};
use super::lexer::{lex, LexError};
use super::token::Tok;
use crate::diag::{Diagnostic, FileId, Kind};
use lalrpop_util::{lalrpop_mod, ParseError};

lalrpop_mod!(
    #[allow(clippy::all, clippy::pedantic, unused_parens, unused_imports)]
    tla,
    "/tla.rs"
);

/// Parses the first module in `src` (text before its `---- MODULE` line is ignored).
pub fn parse_module(file: FileId, src: &str) -> Result<Module, Diagnostic> {
    match parse(file, src, Vec::new())? {
        build::Parsed::Module(module) => Ok(module),
        build::Parsed::Expr(expr) => Err(Diagnostic::new(
            Kind::Parse,
            "E0103",
            "expected a module",
        )
        .at(file, expr.span, "not a module")),
    }
}

/// Parses `src` as a single expression, as in a test or a `.cfg` file.
pub fn parse_expr(file: FileId, src: &str) -> Result<Expr, Diagnostic> {
    let marker = (0, Tok::Sym(EXPRESSION_MARKER), 0);
    match parse(file, src, vec![marker])? {
        build::Parsed::Expr(expr) => Ok(expr),
        build::Parsed::Module(module) => Err(Diagnostic::new(
            Kind::Parse,
            "E0103",
            "expected an expression, found a module",
        )
        .at(file, module.span, "a module")),
    }
}

/// The token that selects the grammar's expression start rule (the lexer never produces it).
const EXPRESSION_MARKER: &str = "<expression>";

/// Lexes `src`, puts `prefix` before its tokens, and runs the grammar.
fn parse(
    file: FileId,
    src: &str,
    prefix: Vec<(usize, Tok, usize)>,
) -> Result<build::Parsed, Diagnostic> {
    let tokens = lex(src).map_err(|error| lex_diagnostic(file, error))?;
    let mut all = prefix;
    all.extend(glue_prefix_minus(pull_back_list_ends(tokens)));
    tla::StartParser::new()
        .parse(all)
        .map_err(|error| parse_diagnostic(file, src, error))
}

/// Moves each `JunctionEnd` to the end of the token before it. The lexer places it where the
/// token that closed the list starts, often after blank lines and comments; a list's span (and
/// the span of the definition it ends) should stop at its last item.
fn pull_back_list_ends(mut tokens: Vec<(usize, Tok, usize)>) -> Vec<(usize, Tok, usize)> {
    let mut previous_end = None;
    for (start, tok, end) in tokens.iter_mut() {
        if *tok == Tok::JunctionEnd {
            if let Some(at) = previous_end {
                (*start, *end) = (at, at);
            }
        }
        previous_end = Some(*end);
    }
    tokens
}

/// Joins a `-` immediately followed by `.` into the single token `-.`, the name of prefix
/// minus in definitions such as `-. a == 0 - a`. (Nothing else in TLA+ writes `-` then `.`.)
fn glue_prefix_minus(tokens: Vec<(usize, Tok, usize)>) -> Vec<(usize, Tok, usize)> {
    let mut out: Vec<(usize, Tok, usize)> = Vec::with_capacity(tokens.len());
    for (start, tok, end) in tokens {
        if let Some(last) = out.last_mut() {
            if last.1 == Tok::Sym("-") && tok == Tok::Sym(".") && last.2 == start {
                *last = (last.0, Tok::Sym("-."), end);
                continue;
            }
        }
        out.push((start, tok, end));
    }
    out
}

fn lex_diagnostic(file: FileId, error: LexError) -> Diagnostic {
    Diagnostic::new(Kind::Parse, "E0100", error.message.clone()).at(file, error.span, error.message)
}

fn parse_diagnostic(
    file: FileId,
    src: &str,
    error: ParseError<usize, Tok, build::GrammarError>,
) -> Diagnostic {
    match error {
        ParseError::UnrecognizedToken {
            token: (start, tok, end),
            expected,
        } => {
            let summary = describe_expected(&expected);
            let message = format!("unexpected {}, expected {summary}", describe_token(&tok));
            let diagnostic = Diagnostic::new(Kind::Parse, "E0101", message).at(
                file,
                Span::new(start, end),
                format!("expected {summary}"),
            );
            if is_relation(&tok) && summary.contains("an operator") {
                diagnostic.note(
                    "relations do not chain in TLA+: write `a = b /\\ b = c`, not `a = b = c`",
                )
            } else {
                diagnostic
            }
        }
        ParseError::UnrecognizedEof { location, expected } => {
            let expected = describe_expected(&expected);
            let at = location.min(src.len());
            Diagnostic::new(
                Kind::Parse,
                "E0102",
                format!("unexpected end of file, expected {expected}"),
            )
            .at(file, Span::new(at, at), format!("expected {expected}"))
        }
        ParseError::ExtraToken {
            token: (start, tok, end),
        } => Diagnostic::new(
            Kind::Parse,
            "E0103",
            format!("unexpected {} after the module", describe_token(&tok)),
        )
        .at(file, Span::new(start, end), "not part of the module"),
        ParseError::InvalidToken { location } => {
            let at = location.min(src.len());
            Diagnostic::new(Kind::Parse, "E0103", "invalid token").at(
                file,
                Span::new(at, at),
                "here",
            )
        }
        ParseError::User { error } => Diagnostic::new(Kind::Parse, "E0103", error.message.clone())
            .at(file, error.span, error.label),
    }
}

/// How an unexpected token is named in a message. Junction tokens get their own wording: the
/// user wrote a bullet, not a "token".
fn describe_token(tok: &Tok) -> String {
    match tok {
        Tok::JunctionEnd => "end of a bullet list".to_string(),
        Tok::Sym("-.") => "`-.`".to_string(),
        other => other.to_string(),
    }
}

/// How many expected tokens a message lists before giving up.
const MAX_LISTED: usize = 5;

/// Summarises lalrpop's expected-token list: "an expression" when an expression may start
/// here; otherwise up to five phrases ("`==`, `(` or `[`"), where the many operators that could
/// continue an expression become "an operator" and the words that start a unit become "the next
/// definition".
fn describe_expected(expected: &[String]) -> String {
    let names: Vec<String> = expected.iter().map(|t| terminal_name(t)).collect();
    if names.iter().any(|n| n == "Number") {
        return "an expression".to_string();
    }
    let many_operators = names.iter().filter(|n| is_operator(n)).count() > 3;
    let at_unit_boundary = names.iter().any(|n| n == "VARIABLE");
    let mut phrases: Vec<String> = Vec::new();
    for name in &names {
        let phrase = if at_unit_boundary && starts_unit(name) {
            "the next definition".to_string()
        } else if many_operators && is_operator(name) {
            "an operator".to_string()
        } else {
            describe_terminal(name)
        };
        if !phrases.contains(&phrase) {
            phrases.push(phrase);
        }
    }
    match phrases.as_slice() {
        [] => "nothing more".to_string(),
        [only] => only.clone(),
        _ if phrases.len() > MAX_LISTED => {
            format!("one of {}, …", phrases[..MAX_LISTED].join(", "))
        }
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Punctuation: the symbols that are not operators.
const PUNCTUATION: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "<<",
    ">>",
    ",",
    ":",
    "::",
    ".",
    "!",
    "@",
    "_",
    "|->",
    "->",
    "<-",
    "==",
    "----",
    "====",
    "]_",
    ">>_",
    "-.",
    "?",
    "<expression>",
    "\\A",
    "\\E",
    "\\AA",
    "\\EE",
];

/// Whether a terminal is an operator symbol (`+`, `\in`, `'`; not a keyword or punctuation).
fn is_operator(name: &str) -> bool {
    let is_word = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    !is_word && !PUNCTUATION.contains(&name)
}

/// Whether a terminal can start a unit of a module.
fn starts_unit(name: &str) -> bool {
    const UNIT_STARTS: &[&str] = &[
        "CONSTANT",
        "CONSTANTS",
        "VARIABLE",
        "VARIABLES",
        "RECURSIVE",
        "ASSUME",
        "ASSUMPTION",
        "AXIOM",
        "LOCAL",
        "INSTANCE",
        "THEOREM",
        "LEMMA",
        "PROPOSITION",
        "COROLLARY",
        "Ident",
        "-.",
        "~",
        "----",
    ];
    UNIT_STARTS.contains(&name)
}

/// Relations do not chain in TLA+; a second one is a common mistake worth a note.
fn is_relation(tok: &Tok) -> bool {
    const RELATIONS: &[&str] = &[
        "=",
        "/=",
        "<",
        ">",
        "<=",
        ">=",
        "\\in",
        "\\notin",
        "\\subseteq",
    ];
    matches!(tok, Tok::Sym(s) if RELATIONS.contains(s))
}

/// A terminal as lalrpop names it (`"\"==\""`, `"Ident"`) without the quoting.
fn terminal_name(terminal: &str) -> String {
    match terminal.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(quoted) => quoted.replace("\\\\", "\\").replace("\\\"", "\""),
        None => terminal.to_string(),
    }
}

fn describe_terminal(name: &str) -> String {
    match name {
        "Ident" => "an identifier".to_string(),
        "String" => "a string".to_string(),
        "Decimal" => "a number".to_string(),
        "AndBegin" | "AndSep" => "a `/\\` bullet".to_string(),
        "OrBegin" | "OrSep" => "a `\\/` bullet".to_string(),
        "JunctionEnd" => "the end of a bullet list".to_string(),
        symbol => format!("`{symbol}`"),
    }
}

/// The functions the grammar's actions call to build nodes, and the errors they report.
mod build {
    use crate::syntax::ast::*;

    /// What the start rule produced: a module, or an expression after the expression marker.
    pub enum Parsed {
        Module(Module),
        Expr(Expr),
    }

    /// An error found by a grammar action, such as `{e : 1}` where `1` is not a bound.
    #[derive(Clone, Debug, PartialEq)]
    pub struct GrammarError {
        pub message: String,
        pub label: String,
        pub span: Span,
    }

    impl GrammarError {
        fn new(message: impl Into<String>, label: impl Into<String>, span: Span) -> GrammarError {
            GrammarError {
                message: message.into(),
                label: label.into(),
                span,
            }
        }
    }

    /// The canonical symbol of an operator token, as an `Ident`.
    pub fn symbol(tok: crate::syntax::token::Tok, l: usize, r: usize) -> Ident {
        let name = match tok {
            crate::syntax::token::Tok::Sym(s) => s.to_string(),
            other => other.to_string(),
        };
        Ident::new(name, Span::new(l, r))
    }

    pub fn name(ident: Ident) -> Expr {
        let span = ident.span;
        Expr::new(ExprKind::Name(ident), span)
    }

    pub fn infix(op: Ident, a: Expr, b: Expr, l: usize, r: usize) -> Expr {
        Expr::new(ExprKind::Infix(op, a, b), Span::new(l, r))
    }

    pub fn prefix(op: Ident, a: Expr, l: usize, r: usize) -> Expr {
        Expr::new(ExprKind::Prefix(op, a), Span::new(l, r))
    }

    /// `S \X T \X U` from the factors before the last `\X` and the last one.
    pub fn times(mut factors: Vec<Expr>, last: Expr, l: usize, r: usize) -> Expr {
        factors.push(last);
        Expr::new(ExprKind::Times(factors), Span::new(l, r))
    }

    /// `N == INSTANCE M` or `N(p) == INSTANCE M`: only a named operator can stand for an
    /// instance, not an operator symbol.
    pub fn module_def(
        local: bool,
        (name, params): (Ident, Vec<OpDecl>),
        instance: Instance,
        span: Span,
    ) -> Result<Unit, GrammarError> {
        if !is_identifier(&name.name) {
            return Err(GrammarError::new(
                format!(
                    "the operator `{}` cannot be defined as a module instance",
                    name.name
                ),
                "expected a name here",
                name.span,
            ));
        }
        Ok(Unit::ModuleDef(ModuleDef {
            local,
            name,
            params,
            instance,
            span,
        }))
    }

    fn is_identifier(name: &str) -> bool {
        name.chars().all(|c| c.is_alphanumeric() || c == '_')
    }

    /// Groups a quantifier's bound items: `x, y \in S, z \in T` gives the bounds `x, y \in S`
    /// and `z \in T`; `x, y` (no set at all) gives one unbounded bound.
    pub fn quantifier_bounds(items: Vec<Bound>) -> Result<Vec<Bound>, GrammarError> {
        if items.iter().all(|b| b.set.is_none()) {
            return Ok(merge_unbounded(items));
        }
        group_bounds(items)
    }

    /// Groups the bounds of `f[x, y \in S] == ...`, where every variable needs a set.
    pub fn function_bounds(items: Vec<Bound>) -> Result<Vec<Bound>, GrammarError> {
        group_bounds(items)
    }

    /// `x, y` → one bound without a set (tuples stay bounds of their own).
    fn merge_unbounded(items: Vec<Bound>) -> Vec<Bound> {
        let mut out: Vec<Bound> = Vec::new();
        for item in items {
            match (out.last_mut(), item.vars) {
                (
                    Some(Bound {
                        vars: BoundVars::Names(names),
                        span,
                        ..
                    }),
                    BoundVars::Names(more),
                ) => {
                    names.extend(more);
                    *span = span.to(item.span);
                }
                (_, vars) => out.push(Bound {
                    vars,
                    set: None,
                    span: item.span,
                }),
            }
        }
        out
    }

    /// Attaches each run of plain names to the set of the bounded item ending the run.
    fn group_bounds(items: Vec<Bound>) -> Result<Vec<Bound>, GrammarError> {
        let mut out = Vec::new();
        let mut pending: Vec<Ident> = Vec::new();
        let mut pending_start: Option<usize> = None;
        for item in items {
            match (item.vars, item.set) {
                (BoundVars::Names(names), None) => {
                    pending_start.get_or_insert(item.span.start);
                    pending.extend(names);
                }
                (BoundVars::Tuple(_), None) => {
                    return Err(needs_set(item.span, "this tuple"));
                }
                (BoundVars::Names(names), Some(set)) => {
                    let start = pending_start.take().unwrap_or(item.span.start);
                    let mut vars = std::mem::take(&mut pending);
                    vars.extend(names);
                    let span = Span::new(start, item.span.end);
                    out.push(Bound {
                        vars: BoundVars::Names(vars),
                        set: Some(set),
                        span,
                    });
                }
                (BoundVars::Tuple(names), Some(set)) => {
                    if let Some(name) = pending.first() {
                        return Err(needs_set(name.span, &format!("`{}`", name.name)));
                    }
                    out.push(Bound {
                        vars: BoundVars::Tuple(names),
                        set: Some(set),
                        span: item.span,
                    });
                }
            }
        }
        match pending.first() {
            Some(name) => Err(needs_set(name.span, &format!("`{}`", name.name))),
            None => Ok(out),
        }
    }

    fn needs_set(span: Span, what: &str) -> GrammarError {
        GrammarError::new(
            format!("{what} needs a set to range over"),
            "expected `\\in` and a set after this",
            span,
        )
    }

    /// `{x \in S : P}` (a filter) or `{e : x \in S, y \in T}` (a map). As in TLA+, the braces
    /// are a filter when the part before `:` is `x \in S` or `<<x, y>> \in S` and the part after
    /// it is a single expression, so `{x \in S : x \in T}` is a filter.
    pub fn set_builder(head: Expr, mut tail: Vec<Expr>, span: Span) -> Result<Expr, GrammarError> {
        if tail.len() == 1 {
            if let Some(bound) = as_bound(&head) {
                let predicate = tail.remove(0);
                return Ok(Expr::new(ExprKind::SetFilter(bound, predicate), span));
            }
        }
        let bounds = bounds_from_exprs(tail)?;
        Ok(Expr::new(ExprKind::SetMap(head, bounds), span))
    }

    /// `[x \in S |-> e]` (a function) or `[a |-> 1, b |-> 2]` (a record): a single plain name
    /// before the first `|->` makes a record, as does a second `|->`.
    pub fn maplet(
        head: Vec<Expr>,
        first: Expr,
        rest: Vec<(Ident, Expr)>,
        span: Span,
    ) -> Result<Expr, GrammarError> {
        let single_name = match head.as_slice() {
            [only] => match only.kind.as_ref() {
                ExprKind::Name(field) => Some(field.clone()),
                _ => None,
            },
            _ => None,
        };
        if let Some(field) = single_name {
            let mut fields = vec![(field, first)];
            fields.extend(rest);
            return Ok(Expr::new(ExprKind::Record(fields), span));
        }
        if let Some((field, _)) = rest.first() {
            return Err(GrammarError::new(
                "a record field must be a name",
                "expected a field name before `|->`",
                head.first().map_or(field.span, |e| e.span),
            ));
        }
        let bounds = bounds_from_exprs(head)?;
        Ok(Expr::new(ExprKind::FnCons(bounds, first), span))
    }

    /// Reads `x \in S`, `<<x, y>> \in S` or a plain `x` (whose set comes later, as in
    /// `x, y \in S`) out of expressions parsed before it was known they were bounds.
    fn bounds_from_exprs(exprs: Vec<Expr>) -> Result<Vec<Bound>, GrammarError> {
        let mut items = Vec::with_capacity(exprs.len());
        for expr in exprs {
            let item = match (as_bound(&expr), expr.kind.as_ref()) {
                (Some(bound), _) => bound,
                (None, ExprKind::Name(name)) => Bound {
                    vars: BoundVars::Names(vec![name.clone()]),
                    set: None,
                    span: expr.span,
                },
                _ => return Err(not_a_bound(expr.span)),
            };
            items.push(item);
        }
        group_bounds(items)
    }

    /// `x \in S` or `<<x, y>> \in S` as a bound.
    fn as_bound(expr: &Expr) -> Option<Bound> {
        let ExprKind::Infix(op, vars, set) = expr.kind.as_ref() else {
            return None;
        };
        if op.name != "\\in" {
            return None;
        }
        let vars = match vars.kind.as_ref() {
            ExprKind::Name(name) => BoundVars::Names(vec![name.clone()]),
            ExprKind::Tuple(items) => BoundVars::Tuple(
                items
                    .iter()
                    .map(|item| match item.kind.as_ref() {
                        ExprKind::Name(name) => Some(name.clone()),
                        _ => None,
                    })
                    .collect::<Option<Vec<_>>>()?,
            ),
            _ => return None,
        };
        Some(Bound {
            vars,
            set: Some(set.clone()),
            span: expr.span,
        })
    }

    fn not_a_bound(span: Span) -> GrammarError {
        GrammarError::new("expected a bound such as `x \\in S`", "not a bound", span)
    }
}
