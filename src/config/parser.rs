//! The parser of TLC's `.cfg` language: a sequence of sections, each a keyword and what
//! follows it up to the next keyword. Recursive descent over the tokens of `lexer`.

use super::codes;
use super::lexer::{Token, TokenKind};
use super::{ConfigValue, ConstantBinding, ConstantValue, ModelConfig};
use crate::diag::{Diagnostic, FileId, Kind};
use crate::syntax::ast::{Ident, Span};

/// The keywords that start a section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Keyword {
    Init,
    Next,
    Specification,
    Symmetry,
    View,
    Alias,
    Postcondition,
    Constants,
    Invariants,
    Properties,
    Constraints,
    ActionConstraints,
    CheckDeadlock,
    /// TLC still reads this old keyword; smtcheck rejects it rather than ignore it.
    TypeConstraint,
}

/// Every keyword spelling, including TLC's singular/plural pairs.
const KEYWORDS: [(&str, Keyword); 20] = [
    ("INIT", Keyword::Init),
    ("NEXT", Keyword::Next),
    ("SPECIFICATION", Keyword::Specification),
    ("SYMMETRY", Keyword::Symmetry),
    ("VIEW", Keyword::View),
    ("ALIAS", Keyword::Alias),
    ("POSTCONDITION", Keyword::Postcondition),
    ("CONSTANT", Keyword::Constants),
    ("CONSTANTS", Keyword::Constants),
    ("INVARIANT", Keyword::Invariants),
    ("INVARIANTS", Keyword::Invariants),
    ("PROPERTY", Keyword::Properties),
    ("PROPERTIES", Keyword::Properties),
    ("CONSTRAINT", Keyword::Constraints),
    ("CONSTRAINTS", Keyword::Constraints),
    ("ACTION_CONSTRAINT", Keyword::ActionConstraints),
    ("ACTION_CONSTRAINTS", Keyword::ActionConstraints),
    ("CHECK_DEADLOCK", Keyword::CheckDeadlock),
    ("TYPE_CONSTRAINT", Keyword::TypeConstraint),
    ("TYPE_CONSTRAINTS", Keyword::TypeConstraint),
];

fn keyword(word: &str) -> Option<Keyword> {
    KEYWORDS
        .iter()
        .find(|(spelling, _)| *spelling == word)
        .map(|(_, kw)| *kw)
}

/// Parses the tokens of a whole file; `len` is the text's length, where "end of file" is.
pub(crate) fn parse(file: FileId, tokens: &[Token], len: usize) -> Result<ModelConfig, Diagnostic> {
    let mut parser = Parser {
        file,
        tokens,
        pos: 0,
        eof: Span::new(len, len),
        config: ModelConfig::default(),
        depth: 0,
    };
    while parser.peek().is_some() {
        parser.section()?;
    }
    Ok(parser.config)
}

struct Parser<'t> {
    file: FileId,
    tokens: &'t [Token],
    pos: usize,
    /// The empty span at the end of the text, where errors about a missing token point.
    eof: Span,
    config: ModelConfig,
    /// How many sets enclose the value being parsed; bounded so hostile input cannot
    /// overflow the stack.
    depth: usize,
}

/// The deepest nesting of sets accepted; real models nest two or three levels.
const MAX_SET_DEPTH: usize = 100;

impl Parser<'_> {
    // ---- token access -------------------------------------------------------------------

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn peek_kind(&self) -> Option<&TokenKind> {
        self.peek().map(|t| &t.kind)
    }

    /// The span of the next token, or the end of the file.
    fn peek_span(&self) -> Span {
        self.peek().map_or(self.eof, |t| t.span)
    }

    fn at_punct(&self, punct: &str) -> bool {
        matches!(self.peek_kind(), Some(TokenKind::Punct(p)) if *p == punct)
    }

    /// Consumes the punctuation mark if it is next.
    fn eat_punct(&mut self, punct: &str) -> Option<Span> {
        let span = self.peek_span();
        self.at_punct(punct).then(|| {
            self.pos += 1;
            span
        })
    }

    /// The next token if it is a word that is not a keyword: a name.
    fn peek_name(&self) -> Option<Ident> {
        match self.peek() {
            Some(Token {
                kind: TokenKind::Word(w),
                span,
            }) if keyword(w).is_none() => Some(Ident::new(w.clone(), *span)),
            _ => None,
        }
    }

    fn eat_name(&mut self) -> Option<Ident> {
        let name = self.peek_name();
        if name.is_some() {
            self.pos += 1;
        }
        name
    }

    /// How the next token is named in messages: "`=`", "keyword `INIT`", "end of file", ….
    fn describe_next(&self) -> String {
        match self.peek_kind() {
            None => "end of file".to_string(),
            Some(TokenKind::Word(w)) if keyword(w).is_some() => format!("keyword `{w}`"),
            Some(TokenKind::Word(w)) => format!("`{w}`"),
            Some(TokenKind::Number(n)) => format!("number `{n}`"),
            Some(TokenKind::Str(s)) => format!("string {s:?}"),
            Some(TokenKind::Punct(p)) => format!("`{p}`"),
        }
    }

    /// An error of `Kind::Config` whose primary label is under the next token.
    fn error_at_next(&self, code: &'static str, message: String, label: &str) -> Diagnostic {
        Diagnostic::new(Kind::Config, code, message).at(self.file, self.peek_span(), label)
    }

    // ---- sections -----------------------------------------------------------------------

    /// One keyword and what follows it.
    fn section(&mut self) -> Result<(), Diagnostic> {
        let Some(Token {
            kind: TokenKind::Word(word),
            span,
        }) = self.peek().cloned()
        else {
            return Err(self.expected_keyword());
        };
        let Some(kw) = keyword(&word) else {
            return Err(self.expected_keyword());
        };
        self.pos += 1;
        let keyword = Ident::new(word, span);
        match kw {
            Keyword::Init
            | Keyword::Next
            | Keyword::Specification
            | Keyword::Symmetry
            | Keyword::View
            | Keyword::Alias
            | Keyword::Postcondition => self.single_name(kw, &keyword),
            Keyword::Constants => self.constants(),
            Keyword::Invariants
            | Keyword::Properties
            | Keyword::Constraints
            | Keyword::ActionConstraints => self.name_list(kw, &keyword),
            Keyword::CheckDeadlock => self.check_deadlock(&keyword),
            Keyword::TypeConstraint => Err(unsupported(
                self.file,
                keyword.span,
                "`TYPE_CONSTRAINT` is not supported",
            )
            .note("state the constraint with `CONSTRAINT` instead")),
        }
    }

    fn expected_keyword(&self) -> Diagnostic {
        let (message, label) = match self.peek_kind() {
            Some(TokenKind::Word(w)) => (
                format!("unknown keyword `{w}`"),
                "not a keyword of TLC's cfg files",
            ),
            _ => (
                format!("expected a keyword, found {}", self.describe_next()),
                "expected a keyword",
            ),
        };
        let diagnostic = self.error_at_next(codes::EXPECTED_KEYWORD, message, label);
        let suggestion = match self.peek_kind() {
            Some(TokenKind::Word(w)) => closest_keyword(w),
            _ => None,
        };
        match suggestion {
            Some(keyword) => diagnostic.note(format!("did you mean `{keyword}`?")),
            None => diagnostic.note(
                "the keywords are INIT, NEXT, SPECIFICATION, CONSTANT(S), INVARIANT(S), PROPERTY, \
                 PROPERTIES, CONSTRAINT(S), ACTION_CONSTRAINT(S), CHECK_DEADLOCK, SYMMETRY, VIEW, \
                 ALIAS and POSTCONDITION",
            ),
        }
    }

    /// `INIT Init`, `SPECIFICATION Spec`, …: exactly one name, and the keyword only once.
    fn single_name(&mut self, kw: Keyword, keyword: &Ident) -> Result<(), Diagnostic> {
        let Some(name) = self.eat_name() else {
            return Err(self.expected_name_after(keyword));
        };
        let slot = self.single_slot(kw);
        if let Some(first) = slot {
            let first_span = first.span;
            return Err(repeated_keyword(
                self.file,
                keyword,
                keyword.span.to(name.span),
                first_span,
            ));
        }
        *slot = Some(name);
        Ok(())
    }

    fn single_slot(&mut self, kw: Keyword) -> &mut Option<Ident> {
        let config = &mut self.config;
        match kw {
            Keyword::Init => &mut config.init,
            Keyword::Next => &mut config.next,
            Keyword::Specification => &mut config.specification,
            Keyword::Symmetry => &mut config.symmetry,
            Keyword::View => &mut config.view,
            Keyword::Alias => &mut config.alias,
            _ => &mut config.postcondition,
        }
    }

    /// `INVARIANTS A B C`: any number of names, up to the next keyword.
    fn name_list(&mut self, kw: Keyword, keyword: &Ident) -> Result<(), Diagnostic> {
        let mut names = Vec::new();
        loop {
            if let Some(name) = self.eat_name() {
                names.push(name);
            } else if self.at_punct(",") {
                return Err(self
                    .error_at_next(
                        codes::EXPECTED_NAME,
                        format!("unexpected `,` in the `{}` list", keyword.name),
                        "remove this comma",
                    )
                    .note("TLC separates the names of a list by spaces or newlines, not commas"));
            } else if self.at_keyword_or_end() {
                break;
            } else {
                return Err(self.expected_name_after(keyword));
            }
        }
        let list = match kw {
            Keyword::Invariants => &mut self.config.invariants,
            Keyword::Properties => &mut self.config.properties,
            Keyword::Constraints => &mut self.config.constraints,
            _ => &mut self.config.action_constraints,
        };
        list.extend(names);
        Ok(())
    }

    fn at_keyword_or_end(&self) -> bool {
        match self.peek_kind() {
            None => true,
            Some(TokenKind::Word(w)) => keyword(w).is_some(),
            Some(_) => false,
        }
    }

    fn expected_name_after(&self, keyword: &Ident) -> Diagnostic {
        self.error_at_next(
            codes::EXPECTED_NAME,
            format!(
                "expected a name after `{}`, found {}",
                keyword.name,
                self.describe_next()
            ),
            "expected the name of a definition of the spec",
        )
    }

    /// `CHECK_DEADLOCK TRUE` or `CHECK_DEADLOCK FALSE`, once.
    fn check_deadlock(&mut self, keyword: &Ident) -> Result<(), Diagnostic> {
        let flag = match self.peek_kind() {
            Some(TokenKind::Word(w)) if w == "TRUE" => true,
            Some(TokenKind::Word(w)) if w == "FALSE" => false,
            _ => {
                return Err(self.error_at_next(
                    codes::BAD_DEADLOCK_FLAG,
                    format!(
                        "expected `TRUE` or `FALSE` after `CHECK_DEADLOCK`, found {}",
                        self.describe_next()
                    ),
                    "expected `TRUE` or `FALSE`",
                ))
            }
        };
        let span = self.peek_span();
        self.pos += 1;
        if let Some((_, first)) = self.config.check_deadlock {
            return Err(repeated_keyword(
                self.file,
                keyword,
                keyword.span.to(span),
                first,
            ));
        }
        self.config.check_deadlock = Some((flag, span));
        Ok(())
    }

    // ---- constants ----------------------------------------------------------------------

    /// `CONSTANTS` followed by any number of bindings, without separators, up to the next
    /// keyword.
    fn constants(&mut self) -> Result<(), Diagnostic> {
        while !self.at_keyword_or_end() {
            let binding = self.binding()?;
            self.config.constants.push(binding);
        }
        Ok(())
    }

    /// `N = value`, `N = [M] value`, `N <- Op` or `N <- [M] Op`.
    fn binding(&mut self) -> Result<ConstantBinding, Diagnostic> {
        let Some(name) = self.eat_name() else {
            return Err(self.error_at_next(
                codes::BAD_BINDING,
                format!(
                    "expected the name of a constant, found {}",
                    self.describe_next()
                ),
                "expected a constant name",
            ));
        };
        let value = if self.eat_punct("=").is_some() {
            self.assigned_value(&name)?
        } else if self.eat_punct("<-").is_some() {
            self.replacement(&name)?
        } else {
            return Err(self.missing_binding_operator(&name));
        };
        let end = match &value {
            ConstantValue::Value(v) | ConstantValue::ValueInModule { value: v, .. } => v.span(),
            ConstantValue::Replace(op) | ConstantValue::ReplaceInModule { op, .. } => op.span,
        };
        let span = name.span.to(end);
        Ok(ConstantBinding { name, value, span })
    }

    /// After `N =`: a value, or `[M]` and a value.
    fn assigned_value(&mut self, name: &Ident) -> Result<ConstantValue, Diagnostic> {
        if self.at_punct("[") {
            let module = self.module_qualifier(name)?;
            let value = self.value(name)?;
            return Ok(ConstantValue::ValueInModule { module, value });
        }
        Ok(ConstantValue::Value(self.value(name)?))
    }

    /// After `N <-`: the name of a definition, or `[M]` and one.
    fn replacement(&mut self, name: &Ident) -> Result<ConstantValue, Diagnostic> {
        let module = if self.at_punct("[") {
            Some(self.module_qualifier(name)?)
        } else {
            None
        };
        let Some(op) = self.eat_name() else {
            return Err(self.error_at_next(
                codes::BAD_BINDING,
                format!(
                    "expected the name of a definition after `{} <-`, found {}",
                    name.name,
                    self.describe_next()
                ),
                "expected a definition's name",
            ));
        };
        Ok(match module {
            Some(module) => ConstantValue::ReplaceInModule { module, op },
            None => ConstantValue::Replace(op),
        })
    }

    /// `[M]`, when the next token is `[`.
    fn module_qualifier(&mut self, name: &Ident) -> Result<Ident, Diagnostic> {
        self.pos += 1; // the `[`
        let Some(module) = self.eat_name() else {
            return Err(self.error_at_next(
                codes::BAD_BINDING,
                format!(
                    "expected a module name after `[` in the binding of `{}`",
                    name.name
                ),
                "expected a module name",
            ));
        };
        if self.eat_punct("]").is_none() {
            return Err(self.error_at_next(
                codes::BAD_BINDING,
                format!("expected `]` after the module name `{}`", module.name),
                "expected `]`",
            ));
        }
        Ok(module)
    }

    /// The error when a constant's name is not followed by `=` or `<-`: TLC syntax smtcheck
    /// does not support (`F(a) = v`, `M!C = v`), or a plain mistake.
    fn missing_binding_operator(&self, name: &Ident) -> Diagnostic {
        let next = self.peek_span();
        if self.at_punct("(") {
            return unsupported(
                self.file,
                name.span.to(next),
                "constant operators with arguments (`F(a) = v`) are not supported",
            );
        }
        if self.at_punct("!") {
            return unsupported(
                self.file,
                name.span.to(next),
                "bindings of instance members (`M!C = v`) are not supported",
            );
        }
        self.error_at_next(
            codes::BAD_BINDING,
            format!(
                "expected `=` or `<-` after constant `{}`, found {}",
                name.name,
                self.describe_next()
            ),
            "expected `=` or `<-`",
        )
    }

    // ---- values -------------------------------------------------------------------------

    /// A number, string, `TRUE`/`FALSE`, model value or set. `name` is the constant being
    /// bound, for messages.
    fn value(&mut self, name: &Ident) -> Result<ConfigValue, Diagnostic> {
        let Some(token) = self.peek().cloned() else {
            return Err(self.expected_value(name));
        };
        match token.kind {
            TokenKind::Number(digits) => {
                self.pos += 1;
                self.integer(&digits, false, token.span)
            }
            TokenKind::Punct("-") => self.negative_integer(name, token.span),
            TokenKind::Str(s) => {
                self.pos += 1;
                Ok(ConfigValue::Str(s, token.span))
            }
            TokenKind::Word(w) if w == "TRUE" || w == "FALSE" => {
                self.pos += 1;
                Ok(ConfigValue::Bool(w == "TRUE", token.span))
            }
            TokenKind::Word(w) if keyword(&w).is_none() => {
                self.pos += 1;
                Ok(ConfigValue::ModelValue(Ident::new(w, token.span)))
            }
            TokenKind::Punct("{") => self.set(name, token.span),
            _ => Err(self.expected_value(name)),
        }
    }

    /// `-` then digits.
    fn negative_integer(&mut self, name: &Ident, minus: Span) -> Result<ConfigValue, Diagnostic> {
        self.pos += 1; // the `-`
        match self.peek().cloned() {
            Some(Token {
                kind: TokenKind::Number(digits),
                span,
            }) => {
                self.pos += 1;
                self.integer(&digits, true, minus.to(span))
            }
            _ => Err(self.error_at_next(
                codes::BAD_VALUE,
                format!(
                    "expected digits after `-` in the value of `{}`, found {}",
                    name.name,
                    self.describe_next()
                ),
                "expected a number",
            )),
        }
    }

    fn integer(&self, digits: &str, negative: bool, span: Span) -> Result<ConfigValue, Diagnostic> {
        let text = if negative {
            format!("-{digits}")
        } else {
            digits.to_string()
        };
        match text.parse::<i64>() {
            Ok(n) => Ok(ConfigValue::Int(n, span)),
            Err(_) => Err(Diagnostic::new(
                Kind::Config,
                codes::INT_RANGE,
                format!("the integer `{text}` is out of range"),
            )
            .at(self.file, span, "does not fit in 64 bits")),
        }
    }

    /// `{ v1, v2, ... }`, possibly empty; `open` is the span of the `{`.
    fn set(&mut self, name: &Ident, open: Span) -> Result<ConfigValue, Diagnostic> {
        if self.depth >= MAX_SET_DEPTH {
            return Err(Diagnostic::new(
                Kind::Config,
                codes::BAD_VALUE,
                format!("sets are nested more than {MAX_SET_DEPTH} deep"),
            )
            .at(self.file, open, "too deeply nested"));
        }
        self.depth += 1;
        let set = self.set_elements(name, open);
        self.depth -= 1;
        set
    }

    fn set_elements(&mut self, name: &Ident, open: Span) -> Result<ConfigValue, Diagnostic> {
        self.pos += 1; // the `{`
        let mut elements = Vec::new();
        if let Some(close) = self.eat_punct("}") {
            return Ok(ConfigValue::Set(elements, open.to(close)));
        }
        loop {
            elements.push(self.value(name)?);
            if let Some(close) = self.eat_punct("}") {
                return Ok(ConfigValue::Set(elements, open.to(close)));
            }
            if self.eat_punct(",").is_none() {
                return Err(self
                    .error_at_next(
                        codes::BAD_VALUE,
                        format!(
                            "expected `,` or `}}` in a set, found {}",
                            self.describe_next()
                        ),
                        "expected `,` or `}`",
                    )
                    .also(self.file, open, "the set starts here"));
            }
        }
    }

    fn expected_value(&self, name: &Ident) -> Diagnostic {
        self.error_at_next(
            codes::BAD_VALUE,
            format!(
                "expected a value for constant `{}`, found {}",
                name.name,
                self.describe_next()
            ),
            "expected a value",
        )
        .also(self.file, name.span, "the constant being given a value")
        .note(
            "a value is a number, a string, TRUE, FALSE, a model value (a name) or a set {v1, v2}",
        )
    }
}

/// `INIT` (or another single-name keyword) given a second time.
fn repeated_keyword(file: FileId, keyword: &Ident, again: Span, first: Span) -> Diagnostic {
    Diagnostic::new(
        Kind::Config,
        codes::REPEATED_KEYWORD,
        format!("`{}` is given more than once", keyword.name),
    )
    .at(file, again, "given again here")
    .also(file, first, "first given here")
}

/// TLC syntax smtcheck does not support; `message` says what.
fn unsupported(file: FileId, span: Span, message: &str) -> Diagnostic {
    Diagnostic::new(Kind::Unsupported, codes::UNSUPPORTED, message).at(
        file,
        span,
        "not supported by smtcheck",
    )
}

/// The keyword spelled most like `word` (ignoring case, at most two edits away), for a
/// "did you mean" hint.
fn closest_keyword(word: &str) -> Option<&'static str> {
    let upper = word.to_ascii_uppercase();
    KEYWORDS
        .iter()
        .filter(|(_, kw)| *kw != Keyword::TypeConstraint)
        .map(|(spelling, _)| (edit_distance(&upper, spelling), *spelling))
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map(|(_, spelling)| spelling)
}

/// Levenshtein distance between two ASCII-ish strings, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    // `row[j]` is the distance between the prefix of `a` read so far and `b[..j]`.
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_character_edits() {
        assert_eq!(edit_distance("INVARIANTZ", "INVARIANTS"), 1);
        assert_eq!(edit_distance("INIT", "INIT"), 0);
        assert_eq!(edit_distance("", "ALIAS"), 5);
        assert_eq!(edit_distance("PROPERTYS", "PROPERTIES"), 2);
    }

    #[test]
    fn closest_keyword_ignores_case_and_far_words() {
        assert_eq!(closest_keyword("Invariant"), Some("INVARIANT"));
        assert_eq!(closest_keyword("CHECK_DEADLOK"), Some("CHECK_DEADLOCK"));
        assert_eq!(closest_keyword("Frobnicate"), None);
    }
}
