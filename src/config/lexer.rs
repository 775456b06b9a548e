//! The lexer of TLC's `.cfg` language.
//!
//! The language has few tokens: words (keywords, names, `TRUE`/`FALSE`), runs of digits,
//! strings, and a handful of punctuation marks. Comments are TLA+'s: `\*` to the end of the
//! line, and `(* ... *)`, which nest. The whole text is lexed up front; the first malformed
//! token is reported and lexing stops there.

use super::codes;
use crate::diag::{Diagnostic, FileId, Kind};
use crate::syntax::ast::Span;

/// One token of a `.cfg` file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// Letters, digits and `_`, with at least one non-digit: a keyword, a name, `TRUE`, ….
    Word(String),
    /// A run of decimal digits. Kept as text, so the parser can report a number too large.
    Number(String),
    /// A string literal, escapes already decoded.
    Str(String),
    /// A punctuation mark, in its source spelling: `=`, `==`, `<-`, `{`, `}`, `,`, `[`, `]`,
    /// `(`, `)`, `-`, `!`.
    Punct(&'static str),
}

/// A token and where it is, in bytes from the start of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

/// Punctuation the cfg language uses, longest spelling first so `==` wins over `=`.
const PUNCTUATION: [&str; 12] = ["==", "<-", "=", "{", "}", ",", "[", "]", "(", ")", "-", "!"];

/// Splits `src` into tokens, dropping whitespace and comments.
pub(crate) fn tokenize(file: FileId, src: &str) -> Result<Vec<Token>, Diagnostic> {
    let mut lexer = Lexer {
        file,
        src,
        pos: 0,
        tokens: Vec::new(),
    };
    lexer.run()?;
    Ok(lexer.tokens)
}

struct Lexer<'s> {
    file: FileId,
    src: &'s str,
    /// Byte offset of the next unread character; always on a char boundary.
    pos: usize,
    tokens: Vec<Token>,
}

impl Lexer<'_> {
    fn run(&mut self) -> Result<(), Diagnostic> {
        while let Some(c) = self.peek() {
            let start = self.pos;
            if c.is_whitespace() {
                self.bump(c);
            } else if self.rest().starts_with("\\*") {
                self.skip_line_comment();
            } else if self.rest().starts_with("(*") {
                self.skip_block_comment()?;
            } else if is_word_char(c) {
                self.word(start);
            } else if c == '"' {
                self.string(start)?;
            } else if let Some(punct) = PUNCTUATION.iter().find(|p| self.rest().starts_with(**p)) {
                self.pos += punct.len();
                self.push(TokenKind::Punct(punct), start);
            } else {
                return Err(self.unexpected_char(c, start));
            }
        }
        Ok(())
    }

    fn rest(&self) -> &str {
        &self.src[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self, c: char) {
        self.pos += c.len_utf8();
    }

    fn push(&mut self, kind: TokenKind, start: usize) {
        self.tokens.push(Token {
            kind,
            span: Span::new(start, self.pos),
        });
    }

    fn skip_line_comment(&mut self) {
        self.pos = self
            .rest()
            .find('\n')
            .map_or(self.src.len(), |i| self.pos + i);
    }

    /// Skips `(* ... *)`, counting nested openings so `(* a (* b *) c *)` is one comment.
    fn skip_block_comment(&mut self) -> Result<(), Diagnostic> {
        let start = self.pos;
        let mut depth = 0usize;
        while let Some(c) = self.peek() {
            if self.rest().starts_with("(*") {
                depth += 1;
                self.pos += 2;
            } else if self.rest().starts_with("*)") {
                depth -= 1;
                self.pos += 2;
                if depth == 0 {
                    return Ok(());
                }
            } else {
                self.bump(c);
            }
        }
        Err(
            Diagnostic::new(Kind::Config, codes::UNTERMINATED, "unterminated comment").at(
                self.file,
                Span::new(start, start + 2),
                "this `(*` is never closed by `*)`",
            ),
        )
    }

    /// A run of letters, digits and `_`: a number if it is all digits, else a word.
    fn word(&mut self, start: usize) {
        let len = self
            .rest()
            .find(|c: char| !is_word_char(c))
            .unwrap_or(self.rest().len());
        self.pos += len;
        let text = self.src[start..self.pos].to_string();
        let kind = if text.bytes().all(|b| b.is_ascii_digit()) {
            TokenKind::Number(text)
        } else {
            TokenKind::Word(text)
        };
        self.push(kind, start);
    }

    /// A string literal with TLA+'s escapes; it may not span lines.
    fn string(&mut self, start: usize) -> Result<(), Diagnostic> {
        self.pos += 1; // the opening quote
        let mut value = String::new();
        while let Some(c) = self.peek() {
            match c {
                '"' => {
                    self.pos += 1;
                    self.push(TokenKind::Str(value), start);
                    return Ok(());
                }
                '\n' => break,
                '\\' => value.push(self.escape()?),
                _ => {
                    value.push(c);
                    self.bump(c);
                }
            }
        }
        Err(
            Diagnostic::new(Kind::Config, codes::UNTERMINATED, "unterminated string").at(
                self.file,
                Span::new(start, start + 1),
                "this string has no closing `\"` on its line",
            ),
        )
    }

    /// Reads one escape sequence at `self.pos` (which is at the backslash).
    fn escape(&mut self) -> Result<char, Diagnostic> {
        let start = self.pos;
        self.pos += 1; // the backslash
        let decoded = match self.peek() {
            Some('"') => '"',
            Some('\\') => '\\',
            Some('n') => '\n',
            Some('t') => '\t',
            Some('r') => '\r',
            Some('f') => '\u{c}',
            Some(c) if c != '\n' => {
                self.bump(c);
                return Err(Diagnostic::new(
                    Kind::Config,
                    codes::BAD_TOKEN,
                    format!("unknown escape `\\{c}` in a string"),
                )
                .at(self.file, Span::new(start, self.pos), "unknown escape")
                .note("strings may use the escapes \\\" \\\\ \\n \\t \\r \\f"));
            }
            _ => {
                return Err(Diagnostic::new(
                    Kind::Config,
                    codes::UNTERMINATED,
                    "unterminated string",
                )
                .at(
                    self.file,
                    Span::new(start, self.pos),
                    "the string ends in a lone `\\`",
                ))
            }
        };
        self.pos += 1; // every decoded escape letter is one byte
        Ok(decoded)
    }

    fn unexpected_char(&self, c: char, start: usize) -> Diagnostic {
        Diagnostic::new(
            Kind::Config,
            codes::BAD_TOKEN,
            format!("unexpected character `{c}`"),
        )
        .at(
            self.file,
            Span::new(start, start + c.len_utf8()),
            "not part of the cfg language",
        )
    }
}

/// Identifiers and numbers are made of ASCII letters, digits and `_`.
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<TokenKind> {
        match tokenize(FileId::NONE, src) {
            Ok(tokens) => tokens.into_iter().map(|t| t.kind).collect(),
            Err(d) => panic!("lex error: {d}"),
        }
    }

    fn word(s: &str) -> TokenKind {
        TokenKind::Word(s.to_string())
    }

    #[test]
    fn words_numbers_and_punctuation() {
        assert_eq!(
            kinds("N = -3 M <- [Mod] Op2 S == {a_1, 1b}"),
            vec![
                word("N"),
                TokenKind::Punct("="),
                TokenKind::Punct("-"),
                TokenKind::Number("3".into()),
                word("M"),
                TokenKind::Punct("<-"),
                TokenKind::Punct("["),
                word("Mod"),
                TokenKind::Punct("]"),
                word("Op2"),
                word("S"),
                TokenKind::Punct("=="),
                TokenKind::Punct("{"),
                word("a_1"),
                TokenKind::Punct(","),
                word("1b"),
                TokenKind::Punct("}"),
            ]
        );
    }

    #[test]
    fn comments_are_dropped_and_nest() {
        assert_eq!(
            kinds("A \\* B\n(* C (* D *) E *) F"),
            vec![word("A"), word("F")]
        );
    }

    #[test]
    fn strings_decode_escapes() {
        assert_eq!(
            kinds(r#""a\"b\\c\n""#),
            vec![TokenKind::Str("a\"b\\c\n".into())]
        );
    }

    #[test]
    fn spans_are_byte_offsets() {
        let tokens = tokenize(FileId::NONE, "é = \"ü\"").err();
        assert_eq!(tokens.map(|d| d.labels[0].span), Some(Span::new(0, 2)));
        let tokens = tokenize(FileId::NONE, "x = \"ü\"").unwrap_or_default();
        assert_eq!(tokens[2].span, Span::new(4, 8));
    }

    #[test]
    fn malformed_tokens_are_reported() {
        let code = |src: &str| tokenize(FileId::NONE, src).err().map(|d| d.code);
        assert_eq!(code("(* open"), Some(codes::UNTERMINATED));
        assert_eq!(code("\"open\nx\""), Some(codes::UNTERMINATED));
        assert_eq!(code("\"a\\"), Some(codes::UNTERMINATED));
        assert_eq!(code("\"\\q\""), Some(codes::BAD_TOKEN));
        assert_eq!(code("N = 3 ; "), Some(codes::BAD_TOKEN));
    }
}
