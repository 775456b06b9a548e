//! The TLC model file reader must turn any text into a config or a diagnostic, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtcheck::config::parse_config;
use smtcheck::diag::Sources;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut sources = Sources::new();
    let file = sources.add(Path::new("Fuzz.cfg"), text.to_string());
    let _ = parse_config(file, sources.text(file));
});
