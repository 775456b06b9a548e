//! The TLA+ parser must turn any text into a module or a diagnostic, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtcheck::diag::Sources;
use smtcheck::syntax::parse_module;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut sources = Sources::new();
    let file = sources.add(Path::new("Fuzz.tla"), text.to_string());
    let _ = parse_module(file, sources.text(file));
});
