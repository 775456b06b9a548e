//! The TLA+ lexer: module text in, tokens with byte spans out.
//!
//! Lexing happens in two layers, each small enough to read on its own:
//!
//! * The [`Scanner`] turns characters into lexemes: identifiers, keywords, numbers, strings,
//!   operator symbols (every synonym and Unicode form mapped to one canonical ASCII spelling, see
//!   `token.rs`) and TLAPS proof-step labels. It skips whitespace and comments.
//! * The [`Layout`] pass decides what the grammar sees. TLA+ bullet lists (`/\` and `\/`
//!   junctions) are layout-sensitive, so the layout pass resolves them here, by column, into
//!   `JunctionBegin` / `JunctionSep` / `JunctionEnd` tokens, which keeps the grammar
//!   context-free. It also drops TLAPS proofs (the grammar never sees them) and stops after the
//!   `====` that closes the outermost module.
//!
//! Text before the first `---- MODULE` line is skipped without being scanned: files often start
//! with prose. When there is no module header at all (a bare fragment, as in tests) the whole
//! text is lexed.
//!
//! # Junction lists
//!
//! The layout pass keeps a stack of open lists, each with its bullet kind, the character column
//! of its bullets, and the height of the bracket stack when it opened.
//!
//! * A bullet in *prefix position* (the token before it cannot end an expression: `== /\`,
//!   `( /\`, `THEN /\`, `: /\`, `/\ /\`) opens a list: `JunctionBegin`.
//! * A bullet that starts its line exactly at the innermost list's column, of the same kind, is
//!   that list's next item: `JunctionSep`.
//! * Any other token that starts its line at or left of the innermost list's column ends the
//!   list: `JunctionEnd` (repeatedly, for every list it is left of).
//! * A token that closes or continues a construct opened *before* a list ends that list too:
//!   `)`, `]`, `]_`, `}`, `>>`, `>>_` closing an enclosing bracket; a `,` separating the parts of
//!   an enclosing bracket, binder (`\A x \in S, y \in T`) or `ASSUME`; `THEN`/`ELSE` of an
//!   enclosing `IF`; `IN` of an enclosing `LET`; `PROVE` of an enclosing `ASSUME`; `->`,
//!   `OTHER` and a separating (infix) `[]` of an enclosing `CASE`.
//! * Module rules (`----`, `====`), the start of a proof and the end of the text end every list.
//!
//! Any other bullet is the infix operator, as in `x /\ y`.
//!
//! # Proofs
//!
//! A proof starts at `PROOF`, `BY`, `OBVIOUS`, `OMITTED` or a step label (`<1>`, `<2>3.`,
//! `<*>`, `<+>`); top-level `USE` and `HIDE` statements are treated the same way. Everything up
//! to the next line that starts in the first column with something other than a step label or a
//! proof keyword is dropped.

use super::ast::{Junction, Span};
use super::token::Tok;

/// A lexical error and where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct LexError {
    pub message: String,
    pub span: Span,
}

impl LexError {
    fn new(message: impl Into<String>, start: usize, end: usize) -> LexError {
        LexError {
            message: message.into(),
            span: Span::new(start, end),
        }
    }
}

/// Turns module text into tokens with byte spans `(start, token, end)`.
pub fn lex(src: &str) -> Result<Vec<(usize, Tok, usize)>, LexError> {
    let lines = LineIndex::new(src);
    let mut scanner = Scanner::new(src, module_start(src));
    let mut layout = Layout::default();
    while !layout.finished {
        let Some(lexeme) = scanner.next_lexeme()? else {
            break;
        };
        let (line, column) = lines.locate(src, lexeme.start);
        layout.accept(lexeme, line, column);
    }
    Ok(layout.finish(src.len()))
}

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

/// Reserved words. Each arrives as `Sym` holding the word itself. (`BOOLEAN` and `STRING` are
/// ordinary identifiers naming built-in sets; `WF_` and `SF_` are split off a longer word.)
const KEYWORDS: &[&str] = &[
    "ASSUME",
    "ASSUMPTION",
    "AXIOM",
    "CASE",
    "CHOOSE",
    "CONSTANT",
    "CONSTANTS",
    "DOMAIN",
    "ELSE",
    "ENABLED",
    "EXCEPT",
    "EXTENDS",
    "IF",
    "IN",
    "INSTANCE",
    "LET",
    "LOCAL",
    "MODULE",
    "OTHER",
    "SUBSET",
    "THEN",
    "THEOREM",
    "LEMMA",
    "PROPOSITION",
    "COROLLARY",
    "UNCHANGED",
    "UNION",
    "VARIABLE",
    "VARIABLES",
    "WITH",
    "TRUE",
    "FALSE",
    "LAMBDA",
    "RECURSIVE",
    "NEW",
    "PROVE",
];

/// Operators spelled `\word`, with the canonical spelling of each.
const BACKSLASH_WORDS: &[(&str, &str)] = &[
    ("in", "\\in"),
    ("notin", "\\notin"),
    ("cup", "\\cup"),
    ("union", "\\cup"),
    ("cap", "\\cap"),
    ("intersect", "\\cap"),
    ("subseteq", "\\subseteq"),
    ("subset", "\\subset"),
    ("supseteq", "\\supseteq"),
    ("supset", "\\supset"),
    ("div", "\\div"),
    ("o", "\\o"),
    ("circ", "\\o"),
    ("X", "\\X"),
    ("times", "\\X"),
    ("leq", "<="),
    ("geq", ">="),
    ("land", "/\\"),
    ("lor", "\\/"),
    ("lnot", "~"),
    ("neg", "~"),
    ("equiv", "<=>"),
    ("A", "\\A"),
    ("E", "\\E"),
    ("AA", "\\AA"),
    ("EE", "\\EE"),
    ("forall", "\\A"),
    ("exists", "\\E"),
    ("prec", "\\prec"),
    ("preceq", "\\preceq"),
    ("succ", "\\succ"),
    ("succeq", "\\succeq"),
    ("sqsubset", "\\sqsubset"),
    ("sqsubseteq", "\\sqsubseteq"),
    ("sqsupset", "\\sqsupset"),
    ("sqsupseteq", "\\sqsupseteq"),
    ("sqcap", "\\sqcap"),
    ("sqcup", "\\sqcup"),
    ("uplus", "\\uplus"),
    ("oplus", "\\oplus"),
    ("ominus", "\\ominus"),
    ("otimes", "\\otimes"),
    ("oslash", "\\oslash"),
    ("odot", "\\odot"),
    ("bigcirc", "\\bigcirc"),
    ("bullet", "\\bullet"),
    ("star", "\\star"),
    ("cdot", "\\cdot"),
    ("cong", "\\cong"),
    ("asymp", "\\asymp"),
    ("approx", "\\approx"),
    ("doteq", "\\doteq"),
    ("simeq", "\\simeq"),
    ("sim", "\\sim"),
    ("propto", "\\propto"),
    ("wr", "\\wr"),
    ("ll", "\\ll"),
    ("gg", "\\gg"),
];

/// ASCII punctuation and operators that do not start with `\`, longest first so that the first
/// match is the longest match. (`----`, `====`, `]_` and `>>_` are handled before this table.)
const PUNCTUATION: &[(&str, &str)] = &[
    ("-+->", "-+->"),
    ("(\\X)", "(\\X)"),
    ("<=>", "<=>"),
    ("|->", "|->"),
    ("...", "..."),
    ("::=", "::="),
    ("(+)", "(+)"),
    ("(-)", "(-)"),
    ("(.)", "(.)"),
    ("(/)", "(/)"),
    ("==", "=="),
    ("/\\", "/\\"),
    ("=>", "=>"),
    ("=<", "<="),
    ("<=", "<="),
    (">=", ">="),
    ("/=", "/="),
    ("<<", "<<"),
    (">>", ">>"),
    ("..", ".."),
    ("::", "::"),
    (":=", ":="),
    (":>", ":>"),
    ("<:", "<:"),
    ("[]", "[]"),
    ("<>", "<>"),
    ("~>", "~>"),
    ("@@", "@@"),
    ("->", "->"),
    ("<-", "<-"),
    ("|=", "|="),
    ("|-", "|-"),
    ("-|", "-|"),
    ("=|", "=|"),
    ("++", "++"),
    ("--", "--"),
    ("**", "**"),
    ("//", "//"),
    ("^^", "^^"),
    ("%%", "%%"),
    ("##", "##"),
    ("&&", "&&"),
    ("||", "||"),
    ("$$", "$$"),
    ("??", "??"),
    ("!!", "!!"),
    ("^+", "^+"),
    ("^*", "^*"),
    ("^#", "^#"),
    ("-.", "-."),
    ("(", "("),
    (")", ")"),
    ("[", "["),
    ("]", "]"),
    ("{", "{"),
    ("}", "}"),
    (",", ","),
    (":", ":"),
    (".", "."),
    ("!", "!"),
    ("@", "@"),
    ("'", "'"),
    ("~", "~"),
    ("=", "="),
    ("#", "/="),
    ("<", "<"),
    (">", ">"),
    ("+", "+"),
    ("-", "-"),
    ("*", "*"),
    ("/", "/"),
    ("%", "%"),
    ("^", "^"),
    ("&", "&"),
    ("|", "|"),
    ("$", "$"),
    ("?", "?"),
];

/// Unicode operator characters and the canonical ASCII spelling each stands for.
const UNICODE_OPERATORS: &[(char, &str)] = &[
    ('∧', "/\\"),
    ('∨', "\\/"),
    ('¬', "~"),
    ('⇒', "=>"),
    ('⇔', "<=>"),
    ('≡', "<=>"),
    ('∈', "\\in"),
    ('∉', "\\notin"),
    ('∀', "\\A"),
    ('∃', "\\E"),
    ('≜', "=="),
    ('⟨', "<<"),
    ('⟩', ">>"),
    ('∪', "\\cup"),
    ('∩', "\\cap"),
    ('⊆', "\\subseteq"),
    ('⊂', "\\subset"),
    ('⊇', "\\supseteq"),
    ('⊃', "\\supset"),
    ('≤', "<="),
    ('≥', ">="),
    ('≠', "/="),
    ('□', "[]"),
    ('◇', "<>"),
    ('↦', "|->"),
    ('→', "->"),
    ('←', "<-"),
    ('↝', "~>"),
    ('×', "\\X"),
    ('∘', "\\o"),
    ('≔', ":="),
    ('⊏', "\\sqsubset"),
    ('⊑', "\\sqsubseteq"),
    ('⊐', "\\sqsupset"),
    ('⊒', "\\sqsupseteq"),
    ('⊓', "\\sqcap"),
    ('⊔', "\\sqcup"),
    ('⊎', "\\uplus"),
    ('⊕', "\\oplus"),
    ('⊖', "\\ominus"),
    ('⊗', "\\otimes"),
    ('⊘', "\\oslash"),
    ('⊙', "\\odot"),
    ('≺', "\\prec"),
    ('⪯', "\\preceq"),
    ('≻', "\\succ"),
    ('⪰', "\\succeq"),
    ('○', "\\bigcirc"),
    ('•', "\\bullet"),
    ('⋆', "\\star"),
    ('⋅', "\\cdot"),
    ('≅', "\\cong"),
    ('≍', "\\asymp"),
    ('≈', "\\approx"),
    ('≐', "\\doteq"),
    ('≃', "\\simeq"),
    ('∼', "\\sim"),
    ('∝', "\\propto"),
    ('≀', "\\wr"),
    ('≪', "\\ll"),
    ('≫', "\\gg"),
    ('⊢', "|-"),
    ('⊨', "|="),
];

/// Words that start a TLAPS proof (or a top-level `USE`/`HIDE` statement, skipped the same way).
const PROOF_OPENERS: &[&str] = &["PROOF", "BY", "OBVIOUS", "OMITTED", "USE", "HIDE"];

/// Words that may start a line in the first column while a proof is still going on.
const PROOF_WORDS: &[&str] = &[
    "PROOF", "BY", "OBVIOUS", "OMITTED", "QED", "USE", "HIDE", "DEFINE", "DEF", "DEFS", "ONLY",
    "HAVE", "TAKE", "WITNESS", "PICK", "SUFFICES", "ACTION",
];

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Where the module starts: the first `----` run followed by the keyword `MODULE`, or the start
/// of the text when there is none.
fn module_start(src: &str) -> usize {
    let mut from = 0;
    while let Some(found) = src[from..].find("----") {
        let start = from + found;
        let after_dashes = start + src[start..].bytes().take_while(|b| *b == b'-').count();
        let rest = src[after_dashes..].trim_start();
        if let Some(after_keyword) = rest.strip_prefix("MODULE") {
            if !after_keyword.starts_with(is_word_char) {
                return start;
            }
        }
        from = after_dashes;
    }
    0
}

/// Byte offsets of line starts, to turn a byte offset into a line and a column.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(src: &str) -> LineIndex {
        let newlines = src.match_indices('\n').map(|(at, _)| at + 1);
        LineIndex {
            starts: std::iter::once(0).chain(newlines).collect(),
        }
    }

    /// The 0-based line and column of `offset`. The column counts characters, not bytes (so
    /// `∧` is one column like `/\`), and a tab counts as one column: bullets are aligned with
    /// spaces in practice, and a file that mixes tabs and spaces is read as if each tab were one
    /// space.
    fn locate(&self, src: &str, offset: usize) -> (usize, usize) {
        let line = self
            .starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1);
        let line_start = self.starts.get(line).copied().unwrap_or(0);
        let column = src
            .get(line_start..offset)
            .map_or(0, |text| text.chars().count());
        (line, column)
    }
}

// ---------------------------------------------------------------------------------------------
// Scanner: characters to lexemes
// ---------------------------------------------------------------------------------------------

/// What the scanner recognises: a token for the grammar, or a proof-step label such as `<1>2.`
/// (which only the layout pass cares about: it starts a proof to be skipped).
#[derive(Clone, Debug, PartialEq)]
enum Lexeme {
    Token(Tok),
    StepLabel,
}

/// A lexeme and its byte span.
#[derive(Clone, Debug, PartialEq)]
struct Scanned {
    lexeme: Lexeme,
    start: usize,
    end: usize,
}

struct Scanner<'a> {
    src: &'a str,
    pos: usize,
}

impl<'a> Scanner<'a> {
    fn new(src: &'a str, pos: usize) -> Scanner<'a> {
        Scanner { src, pos }
    }

    fn rest(&self) -> &'a str {
        self.src.get(self.pos..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn peek_second(&self) -> Option<char> {
        self.rest().chars().nth(1)
    }

    /// Advances over `text`, which the caller has checked is next.
    fn advance(&mut self, text: &str) {
        self.pos += text.len();
    }

    /// Advances while `keep` holds, returning the text passed over.
    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> &'a str {
        let rest = self.rest();
        let len = rest.find(|c: char| !keep(c)).unwrap_or(rest.len());
        self.pos += len;
        &rest[..len]
    }

    /// The next lexeme, or `None` at the end of the text.
    fn next_lexeme(&mut self) -> Result<Option<Scanned>, LexError> {
        self.skip_trivia()?;
        let start = self.pos;
        let Some(c) = self.peek() else {
            return Ok(None);
        };
        let lexeme = if c == '"' {
            Lexeme::Token(self.string()?)
        } else if is_word_char(c) {
            Lexeme::Token(self.word()?)
        } else if c == '\\' {
            Lexeme::Token(self.backslash()?)
        } else if self.step_label_ahead() {
            self.step_label();
            Lexeme::StepLabel
        } else if c.is_ascii() {
            Lexeme::Token(self.punctuation()?)
        } else {
            Lexeme::Token(self.unicode_operator(c)?)
        };
        Ok(Some(Scanned {
            lexeme,
            start,
            end: self.pos,
        }))
    }

    /// Skips whitespace, `\*` line comments and (nested) `(* *)` block comments.
    fn skip_trivia(&mut self) -> Result<(), LexError> {
        loop {
            let rest = self.rest();
            if rest.starts_with(|c: char| c.is_whitespace() || c == '\u{feff}') {
                self.take_while(|c| c.is_whitespace() || c == '\u{feff}');
            } else if rest.starts_with("\\*") {
                self.take_while(|c| c != '\n');
            } else if rest.starts_with("(*") {
                self.block_comment()?;
            } else {
                return Ok(());
            }
        }
    }

    /// Skips a block comment. They nest, and their contents are not lexed at all (they often
    /// hold PlusCal code, prose with lone quotes, or commented-out specs).
    fn block_comment(&mut self) -> Result<(), LexError> {
        let start = self.pos;
        let bytes = self.src.as_bytes();
        let mut depth = 0usize;
        let mut at = start;
        // Byte-wise is safe: `(`, `*` and `)` are ASCII and never part of a multi-byte char.
        while at < bytes.len() {
            match (bytes[at], bytes.get(at + 1)) {
                (b'(', Some(b'*')) => {
                    depth += 1;
                    at += 2;
                }
                (b'*', Some(b')')) => {
                    depth -= 1;
                    at += 2;
                    if depth == 0 {
                        self.pos = at;
                        return Ok(());
                    }
                }
                _ => at += 1,
            }
        }
        Err(LexError::new("unterminated comment", start, start + 2))
    }

    /// A string literal, with its escapes resolved. Strings end on their line.
    fn string(&mut self) -> Result<Tok, LexError> {
        let start = self.pos;
        self.advance("\"");
        let mut value = String::new();
        while let Some(c) = self.peek() {
            match c {
                '"' => {
                    self.advance("\"");
                    return Ok(Tok::String(value));
                }
                '\n' | '\r' => break,
                '\\' if matches!(self.peek_second(), None | Some('\n' | '\r')) => break,
                '\\' => value.push(self.string_escape()?),
                _ => {
                    value.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
        let line_end = self.src[start..]
            .find(['\n', '\r'])
            .map_or(self.src.len(), |n| start + n);
        Err(LexError::new("unterminated string", start, line_end))
    }

    /// One `\x` escape inside a string literal (the caller has checked that the string does not
    /// end right after the backslash).
    fn string_escape(&mut self) -> Result<char, LexError> {
        let start = self.pos;
        self.advance("\\");
        let resolved = match self.peek() {
            Some('"') => '"',
            Some('\\') => '\\',
            Some('n') => '\n',
            Some('t') => '\t',
            Some('r') => '\r',
            Some('f') => '\u{c}',
            Some(c) => {
                let end = self.pos + c.len_utf8();
                return Err(LexError::new(
                    format!("unknown escape `\\{c}` in a string"),
                    start,
                    end,
                ));
            }
            None => return Err(LexError::new("unterminated string", start, self.pos)),
        };
        self.pos += 1;
        Ok(resolved)
    }

    /// An identifier, keyword, `WF_`/`SF_` prefix, `_`, or a decimal number.
    fn word(&mut self) -> Result<Tok, LexError> {
        let start = self.pos;
        let word = self.take_while(is_word_char);
        if word.starts_with(|c: char| c.is_ascii_digit())
            && word.bytes().all(|b| b.is_ascii_digit())
        {
            return self.decimal_number(start, word);
        }
        if !word.contains(|c: char| c.is_ascii_alphabetic()) {
            return if word == "_" {
                Ok(Tok::Sym("_"))
            } else {
                let message =
                    format!("`{word}` is not an identifier: an identifier needs a letter");
                Err(LexError::new(message, start, self.pos))
            };
        }
        // `WF_vars` is the fairness operator `WF_` applied to the subscript `vars`.
        for fairness in ["WF_", "SF_"] {
            if word.starts_with(fairness) {
                self.pos = start + fairness.len();
                return Ok(Tok::Sym(fairness));
            }
        }
        Ok(match KEYWORDS.iter().find(|k| **k == word) {
            Some(keyword) => Tok::Sym(keyword),
            None => Tok::Ident(word.to_string()),
        })
    }

    /// The rest of a number whose integer digits `digits` have been read: `42` or `1.5` (but
    /// `1..2` is a range, so the `.` must be followed by a digit).
    fn decimal_number(&mut self, start: usize, digits: &str) -> Result<Tok, LexError> {
        let rest = self.rest();
        if rest.starts_with('.') && rest[1..].starts_with(|c: char| c.is_ascii_digit()) {
            self.advance(".");
            self.take_while(|c| c.is_ascii_digit());
            return Ok(Tok::Decimal(self.src[start..self.pos].to_string()));
        }
        parse_number(digits, 10, start, self.pos)
    }

    /// Everything that starts with a backslash: `\/`, based numbers (`\b101`, `\o17`, `\hFF`),
    /// and operator words (`\in`, `\X`, ...). An unknown word is the set difference `\`
    /// followed by an identifier, as in `S \T`.
    fn backslash(&mut self) -> Result<Tok, LexError> {
        let start = self.pos;
        if self.rest().starts_with("\\/") {
            self.advance("\\/");
            return Ok(Tok::Sym("\\/"));
        }
        if let Some(radix) = self.number_base_ahead() {
            self.pos += 2;
            let digits = self.take_while(|c| c.is_ascii_alphanumeric());
            return parse_number(digits, radix, start, self.pos);
        }
        self.advance("\\");
        let letters = self.rest();
        let letters = &letters[..letters
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(letters.len())];
        // Longest match: `\inS` is `\in` followed by `S`, as SANY reads it.
        for len in (1..=letters.len()).rev() {
            let candidate = &letters[..len];
            if let Some((word, canonical)) = BACKSLASH_WORDS.iter().find(|(w, _)| *w == candidate) {
                self.advance(word);
                return Ok(Tok::Sym(canonical));
            }
        }
        Ok(Tok::Sym("\\"))
    }

    /// The radix of a based number starting here (`\b1`, `\O7`, `\hF`), if one does. The first
    /// digit must be valid in the base, so that `\bullet` and `\odot` stay operators.
    fn number_base_ahead(&self) -> Option<u32> {
        let radix = match self.peek_second()? {
            'b' | 'B' => 2,
            'o' | 'O' => 8,
            'h' | 'H' => 16,
            _ => return None,
        };
        let first_digit = self.rest().chars().nth(2)?;
        first_digit.is_digit(radix).then_some(radix)
    }

    /// Whether a proof-step label (`<1>`, `<3>2.`, `<*>`, `<+>`) starts here.
    fn step_label_ahead(&self) -> bool {
        let Some(inside) = self.rest().strip_prefix('<') else {
            return false;
        };
        let level_len = if inside.starts_with(['*', '+']) {
            1
        } else {
            inside
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(inside.len())
        };
        level_len > 0 && inside[level_len..].starts_with('>')
    }

    /// Reads a step label, including its name and trailing dots: `<2>`, `<2>4.`, `<2>a..`.
    fn step_label(&mut self) {
        self.take_while(|c| c != '>');
        self.advance(">");
        self.take_while(is_word_char);
        self.take_while(|c| c == '.');
    }

    /// ASCII operators and punctuation, including module rules and `]_`, `>>_`.
    fn punctuation(&mut self) -> Result<Tok, LexError> {
        let rest = self.rest();
        for (rule_char, rule) in [('-', "----"), ('=', "====")] {
            if rest.starts_with(rule) {
                self.take_while(|c| c == rule_char);
                return Ok(Tok::Sym(rule));
            }
        }
        // `[A]_v` and `<<A>>_v`: the subscript is glued to the bracket.
        for (closer, subscripted) in [("]_", "]_"), (">>_", ">>_")] {
            if rest.starts_with(closer) {
                self.advance(closer);
                return Ok(Tok::Sym(subscripted));
            }
        }
        if let Some((spelling, canonical)) = PUNCTUATION.iter().find(|(s, _)| rest.starts_with(s)) {
            self.advance(spelling);
            return Ok(Tok::Sym(canonical));
        }
        Err(self.unexpected_character())
    }

    /// A Unicode operator character (`∧`, `∈`, `⟨`, ...). `⟩_` is `>>_` like its ASCII form.
    fn unicode_operator(&mut self, c: char) -> Result<Tok, LexError> {
        let Some((_, canonical)) = UNICODE_OPERATORS.iter().find(|(u, _)| *u == c) else {
            return Err(self.unexpected_character());
        };
        self.pos += c.len_utf8();
        if *canonical == ">>" && self.peek() == Some('_') {
            self.advance("_");
            return Ok(Tok::Sym(">>_"));
        }
        Ok(Tok::Sym(canonical))
    }

    fn unexpected_character(&self) -> LexError {
        let c = self.peek().unwrap_or(' ');
        LexError::new(
            format!("unexpected character `{c}`"),
            self.pos,
            self.pos + c.len_utf8(),
        )
    }
}

/// Parses the digits of a number literal spanning `start..end`.
fn parse_number(digits: &str, radix: u32, start: usize, end: usize) -> Result<Tok, LexError> {
    if let Some(bad) = digits.chars().find(|c| !c.is_digit(radix)) {
        let message = format!("`{bad}` is not a digit in base {radix}");
        return Err(LexError::new(message, start, end));
    }
    i64::from_str_radix(digits, radix)
        .map(Tok::Number)
        .map_err(|_| LexError::new("number too large", start, end))
}

// ---------------------------------------------------------------------------------------------
// Layout: junction lists, proofs, module bounds
// ---------------------------------------------------------------------------------------------

/// An entry of the bracket stack. Besides real brackets, the keyword constructs whose later
/// keyword can end a bullet list opened inside them are tracked, as are binders (whose `,`s
/// separate bound variables, not list items).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Bracket {
    Paren,
    Square,
    Brace,
    Angle,
    /// `IF` awaiting its `THEN`.
    If,
    /// `IF ... THEN` awaiting its `ELSE`.
    Then,
    /// `LET` awaiting its `IN`.
    Let,
    /// A `CASE`: stays until an enclosing bracket closes or an enclosing list ends, since its
    /// last arm has no closing keyword.
    Case,
    /// `\A`, `\E`, `\AA`, `\EE`, `CHOOSE` or `LAMBDA` awaiting the `:` after its bound variables.
    Binder,
    /// `ASSUME` (of `ASSUME ... PROVE`), whose assumptions are separated by `,`.
    Assume,
}

impl Bracket {
    fn is_delimiter(self) -> bool {
        matches!(
            self,
            Bracket::Paren | Bracket::Square | Bracket::Brace | Bracket::Angle
        )
    }

    /// Whether a `,` directly inside this construct separates its parts.
    fn owns_commas(self) -> bool {
        self.is_delimiter() || matches!(self, Bracket::Binder | Bracket::Assume)
    }
}

/// An open bullet list.
#[derive(Clone, Copy, Debug)]
struct OpenList {
    kind: Junction,
    /// The character column of its bullets.
    column: usize,
    /// The bracket-stack height when it opened: entries below belong to enclosing constructs.
    depth: usize,
}

/// A token with its place in the layout.
struct Placed {
    tok: Tok,
    start: usize,
    end: usize,
    column: usize,
    first_on_line: bool,
}

#[derive(Default)]
struct Layout {
    out: Vec<(usize, Tok, usize)>,
    lists: Vec<OpenList>,
    brackets: Vec<Bracket>,
    /// The line of the last lexeme seen (emitted or not), to tell which token starts a line.
    last_line: Option<usize>,
    in_proof: bool,
    /// How many `---- MODULE` headers are open.
    open_modules: usize,
    /// Set after the `====` closing the outermost module: the rest of the text is not read.
    finished: bool,
}

impl Layout {
    fn accept(&mut self, scanned: Scanned, line: usize, column: usize) {
        let first_on_line = self.last_line != Some(line);
        self.last_line = Some(line);
        if self.in_proof {
            if column == 0 && !continues_proof(&scanned.lexeme) {
                self.in_proof = false;
            } else {
                return;
            }
        }
        match scanned.lexeme {
            Lexeme::StepLabel => self.enter_proof(scanned.start),
            Lexeme::Token(tok) if starts_proof(&tok) => self.enter_proof(scanned.start),
            Lexeme::Token(tok) => {
                let (start, end) = (scanned.start, scanned.end);
                self.place(Placed {
                    tok,
                    start,
                    end,
                    column,
                    first_on_line,
                })
            }
        }
    }

    /// Closes what is open and returns the tokens.
    fn finish(mut self, end_of_text: usize) -> Vec<(usize, Tok, usize)> {
        self.close_all_lists(end_of_text);
        self.out
    }

    /// A proof ends the statement before it; its tokens are dropped until a line starts in the
    /// first column with something that is not part of a proof.
    fn enter_proof(&mut self, at: usize) {
        self.close_all_lists(at);
        self.brackets.clear();
        self.in_proof = true;
    }

    fn place(&mut self, t: Placed) {
        if let Tok::Sym(rule @ ("----" | "====")) = t.tok {
            self.place_module_rule(rule, t);
            return;
        }
        self.close_lists_by_column(&t);
        if t.column == 0 && t.first_on_line && self.lists.is_empty() {
            self.forget_finished_constructs();
        }
        if let Some(kind) = bullet_kind(&t.tok) {
            self.place_bullet(kind, t);
            return;
        }
        self.close_lists_by_bracket(&t.tok, t.start);
        let opens = opened_bracket(&t.tok);
        if t.tok == Tok::Sym("MODULE") {
            self.open_modules += 1;
        }
        self.emit(t.start, t.tok, t.end);
        if let Some(bracket) = opens {
            self.brackets.push(bracket);
        }
    }

    /// `----` and `====` end whatever is open; the `====` closing the outermost module ends the
    /// text.
    fn place_module_rule(&mut self, rule: &'static str, t: Placed) {
        self.close_all_lists(t.start);
        self.brackets.clear();
        self.emit(t.start, t.tok, t.end);
        if rule == "====" && self.open_modules > 0 {
            self.open_modules -= 1;
            self.finished = self.open_modules == 0;
        }
    }

    /// At a new top-level unit (a line starting in the first column, outside any bracket),
    /// keyword constructs still on the stack are over: a `CASE` or an `ASSUME` statement has
    /// no closing keyword.
    fn forget_finished_constructs(&mut self) {
        if !self.brackets.iter().any(|b| b.is_delimiter()) {
            self.brackets.clear();
        }
    }

    /// A token that starts its line at or left of the innermost list's column ends that list,
    /// unless it is the list's next bullet.
    fn close_lists_by_column(&mut self, t: &Placed) {
        while let Some(top) = self.lists.last() {
            let is_next_bullet = bullet_kind(&t.tok) == Some(top.kind) && t.column == top.column;
            if !t.first_on_line || t.column > top.column || is_next_bullet {
                return;
            }
            self.pop_list(t.start);
        }
    }

    /// A `/\` or `\/`: the next item of the open list, the start of a new list, or an infix
    /// operator.
    fn place_bullet(&mut self, kind: Junction, t: Placed) {
        let next_item = self
            .lists
            .last()
            .filter(|top| t.first_on_line && top.column == t.column && top.kind == kind);
        if let Some(list) = next_item.copied() {
            // Whatever the previous item left on the bracket stack (a `CASE`) is over.
            self.brackets.truncate(list.depth);
            self.emit(t.start, Tok::JunctionSep(kind), t.end);
        } else if self.in_prefix_position() {
            let depth = self.brackets.len();
            self.lists.push(OpenList {
                kind,
                column: t.column,
                depth,
            });
            self.emit(t.start, Tok::JunctionBegin(kind), t.end);
        } else {
            self.emit(t.start, t.tok, t.end);
        }
    }

    /// Tokens that close or continue a construct opened before the innermost list end the
    /// lists opened inside that construct: a list cannot reach past the `)` of the parenthesis
    /// it sits in, the `THEN` of its `IF`, the `,` separating it from a sibling argument.
    fn close_lists_by_bracket(&mut self, tok: &Tok, at: usize) {
        let Tok::Sym(sym) = tok else { return };
        match *sym {
            ")" => self.close_delimiter(Bracket::Paren, at),
            "]" | "]_" => self.close_delimiter(Bracket::Square, at),
            "}" => self.close_delimiter(Bracket::Brace, at),
            ">>" | ">>_" => self.close_delimiter(Bracket::Angle, at),
            "," => self.comma(at),
            "THEN" => {
                if let Some(i) = self.continue_construct(Bracket::If, at) {
                    self.brackets.truncate(i);
                    self.brackets.push(Bracket::Then);
                }
            }
            "ELSE" => self.end_construct(Bracket::Then, at),
            "IN" => self.end_construct(Bracket::Let, at),
            "PROVE" => self.end_construct(Bracket::Assume, at),
            "->" | "OTHER" => self.case_arm(at),
            "[]" if !self.in_prefix_position() => self.case_arm(at),
            ":" if self.brackets.last() == Some(&Bracket::Binder) => {
                self.brackets.pop();
            }
            _ => {}
        }
    }

    /// A closing bracket: ends the lists inside the innermost open bracket when it matches.
    fn close_delimiter(&mut self, expected: Bracket, at: usize) {
        let innermost = self.brackets.iter().rposition(|b| b.is_delimiter());
        if let Some(i) = innermost.filter(|&i| self.brackets[i] == expected) {
            self.close_lists_opened_after(i, at);
            self.brackets.truncate(i);
        }
    }

    /// A `,` separates the parts of the innermost construct that has them; lists inside the
    /// part it ends are over. With no such construct (`VARIABLES x, y`) every list is.
    fn comma(&mut self, at: usize) {
        match self.brackets.iter().rposition(|b| b.owns_commas()) {
            Some(i) => {
                self.close_lists_opened_after(i, at);
                self.brackets.truncate(i + 1);
            }
            None => {
                self.close_all_lists(at);
                self.brackets.clear();
            }
        }
    }

    /// `->`, `OTHER` or a separating `[]` inside a `CASE`: ends the lists of the previous part.
    fn case_arm(&mut self, at: usize) {
        if let Some(i) = self.continue_construct(Bracket::Case, at) {
            self.brackets.truncate(i + 1);
        }
    }

    /// `ELSE`, `IN`, `PROVE`: ends the construct and the lists opened inside it.
    fn end_construct(&mut self, construct: Bracket, at: usize) {
        if let Some(i) = self.continue_construct(construct, at) {
            self.brackets.truncate(i);
        }
    }

    /// Finds the innermost open `construct` (not looking past a real bracket), ends the lists
    /// opened inside it and returns its stack index.
    fn continue_construct(&mut self, construct: Bracket, at: usize) -> Option<usize> {
        let i = self.innermost_construct(construct)?;
        self.close_lists_opened_after(i, at);
        Some(i)
    }

    fn innermost_construct(&self, construct: Bracket) -> Option<usize> {
        for (i, entry) in self.brackets.iter().enumerate().rev() {
            if *entry == construct {
                return Some(i);
            }
            if entry.is_delimiter() {
                return None;
            }
        }
        None
    }

    /// Ends every list opened after bracket-stack entry `i` was pushed.
    fn close_lists_opened_after(&mut self, i: usize, at: usize) {
        while self.lists.last().is_some_and(|list| list.depth > i) {
            self.pop_list(at);
        }
    }

    fn close_all_lists(&mut self, at: usize) {
        while !self.lists.is_empty() {
            self.pop_list(at);
        }
    }

    /// Ends the innermost list, with brackets opened inside it and left unclosed.
    fn pop_list(&mut self, at: usize) {
        if let Some(list) = self.lists.pop() {
            self.brackets.truncate(list.depth);
            self.emit(at, Tok::JunctionEnd, at);
        }
    }

    /// A bullet is a prefix (list-opening) bullet when the token before it cannot end an
    /// expression: `== /\`, `( /\`, `THEN /\`, `/\ /\`; but `x /\` is the infix operator.
    fn in_prefix_position(&self) -> bool {
        self.out
            .last()
            .is_none_or(|(_, tok, _)| !ends_expression(tok))
    }

    fn emit(&mut self, start: usize, tok: Tok, end: usize) {
        self.out.push((start, tok, end));
    }
}

/// Whether an expression can end with `tok` (so that a `/\` after it is infix).
fn ends_expression(tok: &Tok) -> bool {
    match tok {
        Tok::Ident(_) | Tok::Number(_) | Tok::Decimal(_) | Tok::String(_) | Tok::JunctionEnd => {
            true
        }
        Tok::Sym(s) => matches!(
            *s,
            "TRUE" | "FALSE" | ")" | "]" | "}" | ">>" | "'" | "@" | "^+" | "^*" | "^#" | "_"
        ),
        Tok::JunctionBegin(_) | Tok::JunctionSep(_) => false,
    }
}

fn bullet_kind(tok: &Tok) -> Option<Junction> {
    match tok {
        Tok::Sym("/\\") => Some(Junction::And),
        Tok::Sym("\\/") => Some(Junction::Or),
        _ => None,
    }
}

/// The bracket-stack entry a token opens, if any.
fn opened_bracket(tok: &Tok) -> Option<Bracket> {
    let Tok::Sym(sym) = tok else { return None };
    Some(match *sym {
        "(" => Bracket::Paren,
        "[" => Bracket::Square,
        "{" => Bracket::Brace,
        "<<" => Bracket::Angle,
        "IF" => Bracket::If,
        "LET" => Bracket::Let,
        "CASE" => Bracket::Case,
        "ASSUME" => Bracket::Assume,
        "\\A" | "\\E" | "\\AA" | "\\EE" | "CHOOSE" | "LAMBDA" => Bracket::Binder,
        _ => return None,
    })
}

fn starts_proof(tok: &Tok) -> bool {
    matches!(tok, Tok::Ident(word) if PROOF_OPENERS.contains(&word.as_str()))
}

fn continues_proof(lexeme: &Lexeme) -> bool {
    match lexeme {
        Lexeme::StepLabel => true,
        Lexeme::Token(Tok::Ident(word)) => PROOF_WORDS.contains(&word.as_str()),
        Lexeme::Token(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn tokens(src: &str) -> Vec<Tok> {
        match lex(src) {
            Ok(tokens) => tokens.into_iter().map(|(_, tok, _)| tok).collect(),
            Err(e) => panic!("lex error {e:?} in {src:?}"),
        }
    }

    /// A compact rendering of the token stream: junction tokens as `B/\`, `S\/`, `E`.
    fn shape(src: &str) -> String {
        let bullet = |j: &Junction| if *j == Junction::And { "/\\" } else { "\\/" };
        let words: Vec<String> = tokens(src)
            .iter()
            .map(|tok| match tok {
                Tok::Ident(name) => name.clone(),
                Tok::Number(n) => n.to_string(),
                Tok::Decimal(d) => d.clone(),
                Tok::String(s) => format!("{s:?}"),
                Tok::Sym(s) => s.to_string(),
                Tok::JunctionBegin(j) => format!("B{}", bullet(j)),
                Tok::JunctionSep(j) => format!("S{}", bullet(j)),
                Tok::JunctionEnd => "E".to_string(),
            })
            .collect();
        words.join(" ")
    }

    fn error(src: &str) -> LexError {
        match lex(src) {
            Ok(tokens) => panic!("expected an error, got {tokens:?}"),
            Err(e) => e,
        }
    }

    fn ident(name: &str) -> Tok {
        Tok::Ident(name.to_string())
    }

    // --- token classes -----------------------------------------------------------------------

    #[test]
    fn identifiers_and_keywords() {
        assert_eq!(
            tokens("x1 _foo a_b 1st BOOLEAN STRING IF THEN ELSE LET IN _"),
            vec![
                ident("x1"),
                ident("_foo"),
                ident("a_b"),
                ident("1st"),
                ident("BOOLEAN"),
                ident("STRING"),
                Tok::Sym("IF"),
                Tok::Sym("THEN"),
                Tok::Sym("ELSE"),
                Tok::Sym("LET"),
                Tok::Sym("IN"),
                Tok::Sym("_"),
            ]
        );
        for keyword in KEYWORDS {
            assert_eq!(tokens(keyword), vec![Tok::Sym(keyword)]);
        }
    }

    #[test]
    fn fairness_prefixes_split_off() {
        assert_eq!(shape("WF_vars(Next)"), "WF_ vars ( Next )");
        assert_eq!(shape("SF_<<x, y>>(A)"), "SF_ << x , y >> ( A )");
        assert_eq!(shape("WF_ vars"), "WF_ vars");
    }

    #[test]
    fn spans_are_byte_offsets() {
        let spans: Vec<(usize, usize)> = lex("∀ x ∈ S")
            .unwrap()
            .into_iter()
            .map(|(s, _, e)| (s, e))
            .collect();
        assert_eq!(spans, vec![(0, 3), (4, 5), (6, 9), (10, 11)]);
    }

    #[test]
    fn numbers_in_every_base() {
        assert_eq!(
            tokens(r"42 0 \b1010 \B11 \o17 \O17 \h1F \H1f \hff"),
            [42, 0, 10, 3, 15, 15, 31, 31, 255]
                .map(Tok::Number)
                .to_vec()
        );
        assert_eq!(tokens("1.5"), vec![Tok::Decimal("1.5".to_string())]);
        assert_eq!(shape("1..2"), "1 .. 2");
        assert_eq!(shape("0..N-1"), "0 .. N - 1");
        assert_eq!(tokens("9223372036854775807"), vec![Tok::Number(i64::MAX)]);
    }

    #[test]
    fn operators_versus_based_numbers() {
        assert_eq!(shape(r"f \o g"), "f \\o g");
        assert_eq!(shape(r"\o17"), "15");
        assert_eq!(
            shape(r"a \bullet b \bigcirc c \odot d"),
            "a \\bullet b \\bigcirc c \\odot d"
        );
        assert_eq!(shape(r"\b1"), "1");
    }

    #[test]
    fn strings_with_escapes() {
        assert_eq!(
            tokens(r#""a\"b\\c\nd\te\rf\fg" "" "(* not a comment *)""#),
            vec![
                Tok::String("a\"b\\c\nd\te\rf\u{c}g".to_string()),
                Tok::String(String::new()),
                Tok::String("(* not a comment *)".to_string()),
            ]
        );
    }

    #[test]
    fn punctuation_and_longest_match() {
        assert_eq!(
            shape(r"( ) [ ] { } << >> , : :: . .. ... ! @ == ' _"),
            "( ) [ ] { } << >> , : :: . .. ... ! @ == ' _"
        );
        assert_eq!(
            shape(r"=> <=> = /= # < > <= >= =< -+-> @@ :> <: |-> -> <- |= |- -| =| := ::="),
            "=> <=> = /= /= < > <= >= <= -+-> @@ :> <: |-> -> <- |= |- -| =| := ::="
        );
        assert_eq!(
            shape(r"++ -- ** // ^^ %% ## && & | || $ $$ ?? !! + - * / % ^ ~ [] <> ~>"),
            "++ -- ** // ^^ %% ## && & | || $ $$ ?? !! + - * / % ^ ~ [] <> ~>"
        );
        assert_eq!(
            shape(r"x^+ y^* z^# (+) (-) (.) (/) (\X)"),
            "x ^+ y ^* z ^# (+) (-) (.) (/) (\\X)"
        );
        assert_eq!(shape("x'=x+1"), "x ' = x + 1");
        assert_eq!(shape("M!Op(1)"), "M ! Op ( 1 )");
        assert_eq!(shape("-. a == 0 - a"), "-. a == 0 - a");
    }

    #[test]
    fn backslash_operators_and_synonyms() {
        let cases = [
            (r"\in", "\\in"),
            (r"\notin", "\\notin"),
            (r"\cup", "\\cup"),
            (r"\union", "\\cup"),
            (r"\cap", "\\cap"),
            (r"\intersect", "\\cap"),
            (r"\subseteq", "\\subseteq"),
            (r"\subset", "\\subset"),
            (r"\supseteq", "\\supseteq"),
            (r"\supset", "\\supset"),
            (r"\div", "\\div"),
            (r"\circ", "\\o"),
            (r"\X", "\\X"),
            (r"\times", "\\X"),
            (r"\leq", "<="),
            (r"\geq", ">="),
            (r"\land", "/\\"),
            (r"\lor", "\\/"),
            (r"\lnot", "~"),
            (r"\neg", "~"),
            (r"\equiv", "<=>"),
            (r"\forall", "\\A"),
            (r"\exists", "\\E"),
            (r"\AA", "\\AA"),
            (r"\EE", "\\EE"),
            (r"\sqsubseteq", "\\sqsubseteq"),
            (r"\prec", "\\prec"),
            (r"\approx", "\\approx"),
            (r"\", "\\"),
        ];
        for (source, canonical) in cases {
            assert_eq!(
                tokens(&format!("a {source} b")),
                vec![ident("a"), Tok::Sym(canonical), ident("b")]
            );
        }
        assert_eq!(shape(r"S \ T"), "S \\ T");
        assert_eq!(shape(r"S \T"), "S \\ T");
        assert_eq!(shape(r"x \inS"), "x \\in S");
        assert_eq!(shape(r"\A x : x"), "\\A x : x");
    }

    #[test]
    fn unicode_forms_map_to_canonical_spellings() {
        assert_eq!(
            shape("a ∧ b ∨ ¬c ⇒ d ⇔ e ≡ f ∈ g ∉ h ≤ i ≥ j ≠ k ⊆ l ∪ m ∩ n × o ∘ p ⊂ q ⊇ r"),
            r"a /\ b \/ ~ c => d <=> e <=> f \in g \notin h <= i >= j /= k \subseteq l \cup m \cap n \X o \o p \subset q \supseteq r"
        );
        assert_eq!(
            shape("F ≜ ∀ x : ∃ y : ⟨x, y⟩ ↦ □◇P ↝ Q → R ← S ≔ T"),
            r"F == \A x : \E y : << x , y >> |-> [] <> P ~> Q -> R <- S := T"
        );
        assert_eq!(shape("⟨A⟩_v"), "<< A >>_ v");
    }

    #[test]
    fn subscripted_brackets() {
        assert_eq!(shape("[][Next]_vars"), "[] [ Next ]_ vars");
        assert_eq!(shape("<><<A>>_<<x, y>>"), "<> << A >>_ << x , y >>");
        assert_eq!(shape("f[x] _y"), "f [ x ] _y");
    }

    #[test]
    fn comments_are_skipped_and_nest() {
        assert_eq!(shape("a \\* comment /\\ \" \n b"), "a b");
        assert_eq!(shape("a (* x (* y *) \" z *) b"), "a b");
        assert_eq!(shape("a (*) still a comment *) b"), "a b");
        assert_eq!(shape("a (* \\* line comment inside *) b"), "a b");
    }

    // --- module bounds -----------------------------------------------------------------------

    #[test]
    fn module_rules() {
        assert_eq!(
            shape("---- MODULE M ----\nEXTENDS Naturals\n-------\nx == 1\n======"),
            "---- MODULE M ---- EXTENDS Naturals ---- x == 1 ===="
        );
        assert_eq!(shape("--- ==="), "-- - == =");
    }

    #[test]
    fn text_outside_the_module_is_skipped() {
        let src = "Some prose, with \"a quote and a ` backtick.\n\
                   ------------------ MODULE M ------------------\n\
                   x == 1\n\
                   ==============================================\n\
                   Trailing prose with ( * \" unbalanced things";
        assert_eq!(shape(src), "---- MODULE M ---- x == 1 ====");
    }

    #[test]
    fn nested_modules_count_openings() {
        let src =
            "---- MODULE Outer ----\n---- MODULE Inner ----\ny == 2\n====\nx == 1\n====\n junk \"";
        assert_eq!(
            shape(src),
            "---- MODULE Outer ---- ---- MODULE Inner ---- y == 2 ==== x == 1 ===="
        );
    }

    #[test]
    fn module_rules_close_open_lists() {
        assert_eq!(
            shape("---- MODULE M ----\nA == /\\ a\n     /\\ b\n===="),
            r"---- MODULE M ---- A == B/\ a S/\ b E ===="
        );
    }

    // --- junction lists ----------------------------------------------------------------------

    #[test]
    fn conjunction_list() {
        let src = "Init == /\\ x = 0\n        /\\ y = 0\n";
        assert_eq!(shape(src), r"Init == B/\ x = 0 S/\ y = 0 E");
    }

    #[test]
    fn nested_lists() {
        let src = "\
Next == \\/ /\\ x' = x + 1
           /\\ y' = y
        \\/ /\\ y' = y + 1
           /\\ x' = x
";
        assert_eq!(
            shape(src),
            r"Next == B\/ B/\ x ' = x + 1 S/\ y ' = y E S\/ B/\ y ' = y + 1 S/\ x ' = x E E"
        );
    }

    #[test]
    fn list_in_if_condition_ends_at_then() {
        let src = "\
Op == IF /\\ a
         /\\ b
      THEN c ELSE d
";
        assert_eq!(shape(src), r"Op == IF B/\ a S/\ b E THEN c ELSE d");
        assert_eq!(
            shape("Op == IF /\\ a THEN /\\ b ELSE /\\ c"),
            r"Op == IF B/\ a E THEN B/\ b E ELSE B/\ c E"
        );
    }

    #[test]
    fn list_in_let_definition_ends_at_in() {
        let src = "\
Op == LET z == /\\ a
               /\\ b
      IN z
";
        assert_eq!(shape(src), r"Op == LET z == B/\ a S/\ b E IN z");
        assert_eq!(
            shape("Op == LET z == /\\ a IN z"),
            r"Op == LET z == B/\ a E IN z"
        );
    }

    #[test]
    fn list_in_case_arm() {
        let src = "\
Op == CASE x = 1 -> /\\ a
                    /\\ b
        [] OTHER -> c
";
        assert_eq!(
            shape(src),
            r"Op == CASE x = 1 -> B/\ a S/\ b E [] OTHER -> c"
        );
        assert_eq!(
            shape("Op == CASE /\\ p -> /\\ a [] /\\ q -> b"),
            r"Op == CASE B/\ p E -> B/\ a E [] B/\ q E -> b"
        );
    }

    #[test]
    fn case_inside_a_list_item_does_not_outlive_it() {
        let src = "\
Op == /\\ x' = CASE a -> 1 [] OTHER -> 2
      /\\ F(/\\ p, q)
";
        assert_eq!(
            shape(src),
            r"Op == B/\ x ' = CASE a -> 1 [] OTHER -> 2 S/\ F ( B/\ p E , q ) E"
        );
    }

    #[test]
    fn list_as_argument_ends_at_comma() {
        let src = "\
Op == F(/\\ a
        /\\ b, c)
";
        assert_eq!(shape(src), r"Op == F ( B/\ a S/\ b E , c )");
    }

    #[test]
    fn list_inside_quantifier_body() {
        let src = "\
Op == /\\ x \\in S
      /\\ \\E i \\in S : /\\ p(i)
                      /\\ q(i)
      /\\ y = 1
";
        assert_eq!(
            shape(src),
            r"Op == B/\ x \in S S/\ \E i \in S : B/\ p ( i ) S/\ q ( i ) E S/\ y = 1 E"
        );
    }

    #[test]
    fn infix_junctions_and_definitions_at_column_zero() {
        let src = "\
A == x /\\ y          \\* infix: no junction tokens
B == /\\ x
C == 1
";
        assert_eq!(shape(src), r"A == x /\ y B == B/\ x E C == 1");
    }

    #[test]
    fn bullet_after_an_expression_on_a_new_line_is_infix() {
        let src = "Inv == TypeOK\n   /\\ x > 0\n";
        assert_eq!(shape(src), r"Inv == TypeOK /\ x > 0");
    }

    #[test]
    fn lists_inside_brackets_and_tuples() {
        let src = "\
A == [a |-> /\\ p
            /\\ q,
      b |-> 2]
B == << /\\ p
        /\\ q >>
C == { \\/ p }
";
        assert_eq!(
            shape(src),
            r"A == [ a |-> B/\ p S/\ q E , b |-> 2 ] B == << B/\ p S/\ q E >> C == { B\/ p E }"
        );
    }

    #[test]
    fn subscripted_bracket_closes_list() {
        assert_eq!(
            shape("Spec == [][/\\ a /\\ b]_v"),
            r"Spec == [] [ B/\ a /\ b E ]_ v"
        );
        assert_eq!(shape("L == <<\\/ a>>_v"), r"L == << B\/ a E >>_ v");
    }

    #[test]
    fn other_kind_bullet_at_same_column_ends_the_list() {
        let src = "A == /\\ a\n     \\/ b\n";
        assert_eq!(shape(src), r"A == B/\ a E \/ b");
    }

    #[test]
    fn pluscal_translation_shape() {
        let src = "\
p1(self) == /\\ pc[self] = \"p1\"
            /\\ IF x
                  THEN /\\ a' = 1
                       /\\ b' = 2
                  ELSE /\\ a' = 2
                       /\\ UNCHANGED b
            /\\ c' = 3
";
        assert_eq!(
            shape(src),
            concat!(
                r#"p1 ( self ) == B/\ pc [ self ] = "p1" S/\ IF x THEN B/\ a ' = 1 S/\ b ' = 2 E "#,
                r"ELSE B/\ a ' = 2 S/\ UNCHANGED b E S/\ c ' = 3 E"
            )
        );
    }

    #[test]
    fn quantifier_commas_do_not_end_lists() {
        let src = "\
Op == /\\ \\A a \\in S, b \\in T : P(a, b)
      /\\ Q
";
        assert_eq!(
            shape(src),
            r"Op == B/\ \A a \in S , b \in T : P ( a , b ) S/\ Q E"
        );
    }

    #[test]
    fn assume_prove_commas_and_prove_end_lists() {
        let src = "\
THEOREM T == ASSUME NEW x, /\\ a
                           /\\ b, NEW y PROVE /\\ c
";
        assert_eq!(
            shape(src),
            r"THEOREM T == ASSUME NEW x , B/\ a S/\ b E , NEW y PROVE B/\ c E"
        );
    }

    #[test]
    fn list_opened_inside_item_at_deeper_bracket() {
        let src = "\
Op == /\\ f(x) = /\\ a
                /\\ b
      /\\ c
";
        assert_eq!(shape(src), r"Op == B/\ f ( x ) = B/\ a S/\ b E S/\ c E");
    }

    // --- proofs ------------------------------------------------------------------------------

    #[test]
    fn proofs_are_skipped() {
        let src = "\
---- MODULE M ----
THEOREM T == /\\ a
             /\\ b
<1>1. a
  BY DEF a
<1>2. QED
  OBVIOUS
USE DEF x
LEMMA L == c
PROOF OMITTED
Next == d
====
";
        assert_eq!(
            shape(src),
            r"---- MODULE M ---- THEOREM T == B/\ a S/\ b E LEMMA L == c Next == d ===="
        );
    }

    #[test]
    fn one_line_proof_after_statement() {
        let src = "LEMMA L == a /\\ b\nBY DEF a, b\nQED\nX == 1\n";
        assert_eq!(shape(src), r"LEMMA L == a /\ b X == 1");
        let src = "THEOREM T == /\\ a\n  <*> a BY b\n  <+> QED\nX == 1\n";
        assert_eq!(shape(src), r"THEOREM T == B/\ a E X == 1");
    }

    #[test]
    fn step_labels_need_a_closing_angle() {
        assert_eq!(shape("x == <<1>>"), "x == << 1 >>");
        assert_eq!(
            shape("x == IF a<1 THEN b>2 ELSE c"),
            "x == IF a < 1 THEN b > 2 ELSE c"
        );
    }

    // --- junction token spans ----------------------------------------------------------------

    #[test]
    fn junction_token_spans() {
        assert_eq!(
            lex("A == /\\ a\n     /\\ b\nB == 1").unwrap(),
            vec![
                (0, ident("A"), 1),
                (2, Tok::Sym("=="), 4),
                (5, Tok::JunctionBegin(Junction::And), 7),
                (8, ident("a"), 9),
                (15, Tok::JunctionSep(Junction::And), 17),
                (18, ident("b"), 19),
                (20, Tok::JunctionEnd, 20),
                (20, ident("B"), 21),
                (22, Tok::Sym("=="), 24),
                (25, Tok::Number(1), 26),
            ]
        );
        // Lists still open at the end of the text end there.
        let at_end = lex("/\\ a").unwrap();
        assert_eq!(at_end.last(), Some(&(4, Tok::JunctionEnd, 4)));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        // `∈` is three bytes but one column, so the second bullet lines up with the first.
        let src = "A == ∈ /\\ a\n       /\\ b";
        assert_eq!(shape(src), r"A == \in B/\ a S/\ b E");
    }

    #[test]
    fn list_at_start_of_input_and_unicode_bullets() {
        assert_eq!(shape("/\\ a\n/\\ b"), r"B/\ a S/\ b E");
        assert_eq!(shape("A == ∧ a\n     ∧ b"), r"A == B/\ a S/\ b E");
        assert_eq!(shape("A == \\lor a\n     \\lor b"), r"A == B\/ a S\/ b E");
    }

    #[test]
    fn prose_with_dashes_before_the_module() {
        let src = "----\nprose ` here\n------ MODULE M ------\nx == 1\n====";
        assert_eq!(shape(src), "---- MODULE M ---- x == 1 ====");
    }

    // --- errors ------------------------------------------------------------------------------

    #[test]
    fn unterminated_string() {
        let e = error("x == \"abc\ny == 1");
        assert_eq!(e.message, "unterminated string");
        assert_eq!(e.span, Span::new(5, 9));
        assert_eq!(error("x == \"abc").span, Span::new(5, 9));
        assert_eq!(error("x == \"abc\\\ny").span, Span::new(5, 10));
    }

    #[test]
    fn bad_escape() {
        let e = error(r#"x == "a\qb""#);
        assert_eq!(e.message, "unknown escape `\\q` in a string");
        assert_eq!(e.span, Span::new(7, 9));
    }

    #[test]
    fn unterminated_comment() {
        let e = error("x == 1 (* a (* b *) c");
        assert_eq!(e.message, "unterminated comment");
        assert_eq!(e.span, Span::new(7, 9));
    }

    #[test]
    fn bad_characters() {
        let e = error("x == `y`");
        assert_eq!(e.message, "unexpected character ```");
        assert_eq!(e.span, Span::new(5, 6));
        let e = error("x == é");
        assert_eq!(e.message, "unexpected character `é`");
        assert_eq!(e.span, Span::new(5, 7));
    }

    #[test]
    fn bad_numbers() {
        let e = error("x == 9223372036854775808");
        assert_eq!(e.message, "number too large");
        assert_eq!(e.span, Span::new(5, 24));
        let e = error(r"x == \b102");
        assert_eq!(e.message, "`2` is not a digit in base 2");
        assert_eq!(e.span, Span::new(5, 10));
        let e = error("x == 1_000");
        assert_eq!(
            e.message,
            "`1_000` is not an identifier: an identifier needs a letter"
        );
    }

    // --- the corpus --------------------------------------------------------------------------

    fn corpus_files() -> Vec<PathBuf> {
        fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, found);
                } else if path.extension().is_some_and(|e| e == "tla") {
                    found.push(path);
                }
            }
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/tla-examples");
        let mut found = Vec::new();
        walk(&root, &mut found);
        found.sort();
        found
    }

    #[test]
    fn every_corpus_module_lexes() {
        let mut failures = Vec::new();
        for path in corpus_files() {
            let Ok(src) = std::fs::read_to_string(&path) else {
                continue;
            };
            if let Err(e) = lex(&src) {
                let line = src[..e.span.start].matches('\n').count() + 1;
                failures.push(format!("{}:{line}: {}", path.display(), e.message));
            }
        }
        assert!(
            failures.is_empty(),
            "{} failures:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn corrupted_corpus_modules_never_panic() {
        let files = corpus_files();
        for path in files.iter().step_by(25) {
            let Ok(src) = std::fs::read_to_string(path) else {
                continue;
            };
            let boundaries: Vec<usize> = src.char_indices().map(|(i, _)| i).step_by(97).collect();
            for &cut in &boundaries {
                let _ = lex(&src[..cut]);
                for insert in ["\"", "(*", "\\", "<1>", "/\\", ")", "é", "----", "===="] {
                    let corrupted = format!("{}{insert}{}", &src[..cut], &src[cut..]);
                    let _ = lex(&corrupted);
                }
            }
        }
    }
}
