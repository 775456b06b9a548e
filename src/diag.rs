//! Diagnostics: every error smtcheck reports about the user's input.
//!
//! A `Diagnostic` names its kind (which fixes the exit code), a stable code, a message, and
//! labelled spans into files held by `Sources`. Rendering quotes each line with a caret under
//! the span, in the style of rustc:
//!
//! ```text
//! error[E0101]: unexpected `)`, expected an expression
//!   ┌─ Spec.tla:4:12
//!   │
//! 4 │ Init == x = )
//!   │             ^ expected an expression
//! ```

use crate::syntax::ast::Span;
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;
use std::fmt;
use std::path::{Path, PathBuf};

/// What went wrong, at the granularity of exit codes (which follow TLC's).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A `.tla` file does not lex or parse.
    Parse,
    /// A `.cfg` file does not parse or names what the spec does not have.
    Config,
    /// A name does not resolve or types conflict.
    Type,
    /// A construct outside what smtcheck supports, or an evaluation failure.
    Unsupported,
    /// An `ASSUME` is false for the configured constants.
    Assumption,
    /// Anything else: unreadable files, bad arguments, internal errors.
    Other,
}

impl Kind {
    /// The process exit code for this kind of error.
    pub fn exit_code(self) -> i32 {
        match self {
            Kind::Assumption => 10,
            Kind::Unsupported => 75,
            Kind::Type => 120,
            Kind::Parse => 150,
            Kind::Config => 151,
            Kind::Other => 255,
        }
    }
}

/// Identifies a file registered in `Sources`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FileId(usize);

impl FileId {
    /// No file: for expressions built by hand rather than read from a source.
    pub const NONE: FileId = FileId(usize::MAX);
}

/// All source files read during a run, so diagnostics can quote them.
pub struct Sources {
    files: SimpleFiles<String, String>,
    paths: Vec<PathBuf>,
}

impl Sources {
    pub fn new() -> Sources {
        Sources {
            files: SimpleFiles::new(),
            paths: Vec::new(),
        }
    }

    pub fn add(&mut self, path: &Path, text: String) -> FileId {
        self.paths.push(path.to_path_buf());
        FileId(self.files.add(path.display().to_string(), text))
    }

    pub fn text(&self, id: FileId) -> &str {
        self.files
            .get(id.0)
            .map(|f| f.source().as_str())
            .unwrap_or("")
    }

    pub fn path(&self, id: FileId) -> &Path {
        self.paths
            .get(id.0)
            .map_or(Path::new("<none>"), PathBuf::as_path)
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, id: FileId, offset: usize) -> (usize, usize) {
        let text = self.text(id);
        let offset = offset.min(text.len());
        let before = &text[..floor_char_boundary(text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        (line, col)
    }
}

impl Default for Sources {
    fn default() -> Sources {
        Sources::new()
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A labelled span: the primary label says where the error is, secondary ones give context.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub file: FileId,
    pub span: Span,
    pub message: String,
    pub primary: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub kind: Kind,
    /// A stable code such as `E0101`, so tests and users can refer to the error.
    pub code: &'static str,
    pub message: String,
    pub labels: Vec<Label>,
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn new(kind: Kind, code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            kind,
            code,
            message: message.into(),
            labels: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Adds the primary label: where the error is.
    pub fn at(mut self, file: FileId, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            file,
            span,
            message: message.into(),
            primary: true,
        });
        self
    }

    /// Adds a secondary label: a related place.
    pub fn also(mut self, file: FileId, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            file,
            span,
            message: message.into(),
            primary: false,
        });
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    pub fn exit_code(&self) -> i32 {
        self.kind.exit_code()
    }

    /// The diagnostic as text, quoting the source lines. `color` adds ANSI colours.
    pub fn render(&self, sources: &Sources, color: bool) -> String {
        let labels = self
            .labels
            .iter()
            .map(|l| {
                let style = if l.primary {
                    cs::LabelStyle::Primary
                } else {
                    cs::LabelStyle::Secondary
                };
                let text = sources.text(l.file);
                let start = floor_char_boundary(text, l.span.start.min(text.len()));
                let end = floor_char_boundary(text, l.span.end.clamp(start, text.len()));
                cs::Label::new(style, l.file.0, start..end).with_message(l.message.clone())
            })
            .collect();
        let diagnostic = cs::Diagnostic::error()
            .with_code(self.code)
            .with_message(self.message.clone())
            .with_labels(labels)
            .with_notes(self.notes.clone());
        let mut buffer = if color {
            term::termcolor::Buffer::ansi()
        } else {
            term::termcolor::Buffer::no_color()
        };
        let config = term::Config::default();
        if term::emit(&mut buffer, &config, &sources.files, &diagnostic).is_err() {
            return format!("error[{}]: {}\n", self.code, self.message);
        }
        String::from_utf8_lossy(buffer.as_slice()).into_owned()
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error[{}]: {}", self.code, self.message)
    }
}

impl std::error::Error for Diagnostic {}
