//! The subcommands behind `smtcheck`'s arguments: each runs the pipeline up to its stage,
//! prints the result on stdout, diagnostics on stderr, and returns the exit code.

use crate::config::{default_config_path, parse_config, ModelConfig};
use crate::diag::{Diagnostic, FileId, Sources};
use crate::ir::Spec;
use crate::sema::{self, Options};
use crate::syntax::ast::{Module, Unit};
use crate::syntax::loader::{load_modules, read_source, ModuleSet};
use crate::types::{self, Types};
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
) -> Result<Option<(ModelConfig, FileId)>, Diagnostic> {
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
    parse_config(file, sources.text(file)).map(|config| Some((config, file)))
}

/// A spec through every front-end stage: parsed, lowered to the IR, typed.
pub struct Frontend {
    pub sources: Sources,
    pub spec: Spec,
    pub types: Types,
}

/// Runs parsing, semantic analysis and type inference, printing warnings on stderr. On error,
/// prints the diagnostic and returns the exit code.
pub fn frontend(file: &Path, config: Option<&Path>, options: &Options) -> Result<Frontend, u8> {
    let mut sources = Sources::new();
    let result = (|| {
        let modules = load_modules(file, &mut sources)?;
        let model = load_config(file, config, &mut sources)?;
        let lowered = sema::lower(&modules, model.as_ref().map(|(m, f)| (m, *f)), options)?;
        for warning in &lowered.warnings {
            eprintln!("warning: {warning}");
        }
        let types = types::infer(&lowered.spec)?;
        Ok::<_, Diagnostic>((lowered.spec, types))
    })();
    match result {
        Ok((spec, types)) => Ok(Frontend {
            sources,
            spec,
            types,
        }),
        Err(diagnostic) => Err(report(&diagnostic, &sources)),
    }
}

/// `smtcheck typecheck FILE [--config F]`
pub fn typecheck(file: &Path, config: Option<&Path>, options: &Options) -> u8 {
    match frontend(file, config, options) {
        Ok(front) => {
            print!("{}", describe_spec(&front.spec, &front.types));
            0
        }
        Err(code) => code,
    }
}

/// What `typecheck` prints: the types, then what will be checked.
fn describe_spec(spec: &Spec, types: &Types) -> String {
    let mut out = types::describe(spec, types);
    for action in &spec.actions {
        let params: Vec<&str> = action.params.iter().map(|p| p.name.as_str()).collect();
        if params.is_empty() {
            out.push_str(&format!("action {}\n", action.name));
        } else {
            out.push_str(&format!("action {}({})\n", action.name, params.join(", ")));
        }
    }
    let lists = [
        ("invariant", &spec.invariants),
        ("property", &spec.properties),
        ("constraint", &spec.constraints),
        ("action constraint", &spec.action_constraints),
        ("assumption", &spec.assumptions),
    ];
    for (role, formulas) in lists {
        for formula in formulas {
            out.push_str(&format!("{role} {}\n", formula.name));
        }
    }
    if !spec.fairness.is_empty() {
        out.push_str(&format!("fairness conditions: {}\n", spec.fairness.len()));
    }
    out.push_str(&format!(
        "deadlock check: {}\n",
        if spec.check_deadlock { "on" } else { "off" }
    ));
    out
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
        if let Some((model, _)) = &model {
            println!("{model:#?}");
        }
    } else {
        print!("{}", summary(&modules, &sources));
        if let Some((model, _)) = &model {
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
        out.push_str(&format!(
            "module {name} ({path}): {}\n",
            count_units(&loaded.module)
        ));
    }
    if !modules.standard.is_empty() {
        out.push_str(&format!(
            "standard modules: {}\n",
            modules.standard.join(", ")
        ));
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
