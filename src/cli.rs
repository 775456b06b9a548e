//! The subcommands behind `smtcheck`'s arguments: each runs the pipeline up to its stage,
//! prints the result on stdout, diagnostics on stderr, and returns the exit code.

use crate::config::{default_config_path, parse_config, ModelConfig};
use crate::diag::{Diagnostic, Sources};
use crate::syntax::ast::{Module, Unit};
use crate::syntax::loader::{load_modules, read_source, ModuleSet};
use std::io::IsTerminal;
use std::path::Path;

/// Prints a diagnostic on stderr (coloured on a terminal) and returns its exit code.
pub fn report(diagnostic: &Diagnostic, sources: &Sources) -> u8 {
    let color = std::io::stderr().is_terminal();
    eprint!("{}", diagnostic.render(sources, color));
    diagnostic.exit_code() as u8
}

/// Reads the model file: the one given, else `Spec.cfg` beside the module if it exists.
pub fn load_config(
    tla: &Path,
    explicit: Option<&Path>,
    sources: &mut Sources,
) -> Result<Option<ModelConfig>, Diagnostic> {
    let path = match explicit {
        Some(path) => path.to_path_buf(),
        None => {
            let beside = default_config_path(tla);
            if !beside.is_file() {
                return Ok(None);
            }
            beside
        }
    };
    let file = read_source(&path, sources)?;
    parse_config(file, sources.text(file)).map(Some)
}

/// `smtcheck parse FILE [--config F] [--ast]`
pub fn parse(file: &Path, config: Option<&Path>, ast: bool) -> u8 {
    let mut sources = Sources::new();
    let modules = match load_modules(file, &mut sources) {
        Ok(modules) => modules,
        Err(diagnostic) => return report(&diagnostic, &sources),
    };
    let model = match load_config(file, config, &mut sources) {
        Ok(model) => model,
        Err(diagnostic) => return report(&diagnostic, &sources),
    };
    if ast {
        for loaded in modules.modules.values() {
            println!("{:#?}", loaded.module);
        }
        if let Some(model) = &model {
            println!("{model:#?}");
        }
    } else {
        print!("{}", summary(&modules, &sources));
        if let Some(model) = &model {
            println!("config: {}", config_summary(model));
        }
    }
    0
}

/// One line per module: where it is and what it declares.
fn summary(modules: &ModuleSet, sources: &Sources) -> String {
    let mut out = String::new();
    for (name, loaded) in &modules.modules {
        let path = sources.path(loaded.file).display();
        out.push_str(&format!("module {name} ({path}): {}\n", count_units(&loaded.module)));
    }
    if !modules.standard.is_empty() {
        out.push_str(&format!("standard modules: {}\n", modules.standard.join(", ")));
    }
    out
}

fn count_units(module: &Module) -> String {
    let (mut constants, mut variables, mut definitions, mut assumptions, mut theorems) =
        (0, 0, 0, 0, 0);
    for unit in &module.units {
        match unit {
            Unit::Constants(decls) => constants += decls.len(),
            Unit::Variables(names) => variables += names.len(),
            Unit::OpDef(_) | Unit::FunDef(_) | Unit::ModuleDef(_) => definitions += 1,
            Unit::Assume(_) => assumptions += 1,
            Unit::Theorem(_) => theorems += 1,
            Unit::Recursive(_) | Unit::Instance(_) | Unit::Module(_) => {}
        }
    }
    format!(
        "{constants} constants, {variables} variables, {definitions} definitions, \
         {assumptions} assumptions, {theorems} theorems"
    )
}

fn config_summary(model: &ModelConfig) -> String {
    let behaviour = match (&model.specification, &model.init, &model.next) {
        (Some(spec), _, _) => format!("SPECIFICATION {}", spec.name),
        (None, Some(init), Some(next)) => format!("INIT {} NEXT {}", init.name, next.name),
        _ => "no behaviour".to_string(),
    };
    format!(
        "{behaviour}, {} constants, {} invariants, {} properties",
        model.constants.len(),
        model.invariants.len(),
        model.properties.len()
    )
}
