//! The front end for `.tla` files: lexing (with layout-sensitive bullet lists), parsing into a
//! spanned AST, and loading the local modules a spec names.

pub mod ast;
pub mod lexer;
pub mod loader;
pub mod parser;
pub mod token;

pub use loader::{load_modules, LoadedModule};
pub use parser::parse_module;
