//! The whole front end — parse, config, sema, types, constant folding — must end in a spec or
//! a diagnostic on any module and model file, never panic. The input is the module text, then
//! optionally a NUL byte and the model file (otherwise `INIT Init` / `NEXT Next`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtcheck::cli::compile;
use smtcheck::sema::Options;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const DEFAULT_CONFIG: &[u8] = b"INIT Init\nNEXT Next\n";

/// A directory of this process's own, as the front end reads files. In memory where the
/// system has one: rewriting a file on ext4 makes the kernel write it back on close, which
/// held the target to ~150 executions a second.
fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let shm = Path::new("/dev/shm");
        let base = if shm.is_dir() {
            shm.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!("smtcheck-fuzz-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let (module, config) = match data.iter().position(|b| *b == 0) {
        Some(nul) => (&data[..nul], &data[nul + 1..]),
        None => (data, DEFAULT_CONFIG),
    };
    let dir = scratch();
    let (tla, cfg) = (dir.join("Fuzz.tla"), dir.join("Fuzz.cfg"));
    if std::fs::write(&tla, module).is_err() || std::fs::write(&cfg, config).is_err() {
        return;
    }
    let _ = compile(&tla, Some(&cfg), &Options::default());
});
