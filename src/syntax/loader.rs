//! Loading a spec's modules: the root module and every module it names through `EXTENDS` or
//! `INSTANCE`, transitively.
//!
//! A module is looked up, in order, among the modules nested in the file that names it, as
//! `Name.tla` in the naming file's directory, and then in up to three ancestor directories
//! (TLA+ Toolbox models live in `Spec.toolbox/Model_1/MC.tla` and extend `Spec.tla`, which the
//! Toolbox puts on TLC's library path). Standard modules that no file provides are recorded as
//! such: their operators are built into the checker, not parsed.

use super::ast::{Ident, Module, Unit};
use super::parser::parse_module;
use crate::diag::{Diagnostic, FileId, Kind, Sources};
use indexmap::IndexMap;
use std::path::{Path, PathBuf};

/// The standard and community modules whose operators the checker provides itself (or reports
/// as unsupported by name). A file of the same name beside the spec takes precedence.
pub const STANDARD_MODULES: &[&str] = &[
    "Naturals",
    "Integers",
    "Reals",
    "Sequences",
    "FiniteSets",
    "Bags",
    "TLC",
    "TLCExt",
    "Randomization",
    "Json",
    "IOUtils",
    "CSV",
    "SVG",
    "Apalache",
    "Variants",
    "SequencesExt",
    "FiniteSetsExt",
    "Functions",
    "Folds",
    "BagsExt",
    "Bitwise",
    "Relation",
    "Graphs",
    "UndirectedGraphs",
    "DyadicRationals",
    "Statistics",
    "VectorClocks",
    "TLAPS",
    "FiniteSetTheorems",
    "FunctionTheorems",
    "FiniteSetsExtTheorems",
    "BagsTheorems",
    "SequenceTheorems",
    "SequencesExtTheorems",
    "NaturalsInduction",
    "WellFoundedInduction",
];

/// How many ancestor directories of the naming file are searched for a module.
const ANCESTOR_SEARCH_DEPTH: usize = 3;

/// A parsed module and the file it came from.
#[derive(Clone, Debug)]
pub struct LoadedModule {
    pub module: Module,
    pub file: FileId,
}

/// Every module a spec needs, by name, the root first.
#[derive(Debug)]
pub struct ModuleSet {
    pub root: String,
    pub modules: IndexMap<String, LoadedModule>,
    /// Standard modules named somewhere and provided by the checker, in first-use order.
    pub standard: Vec<String>,
}

impl ModuleSet {
    pub fn root(&self) -> &LoadedModule {
        &self.modules[&self.root]
    }
}

/// Reads a file into `sources`, turning an I/O failure into a diagnostic.
pub fn read_source(path: &Path, sources: &mut Sources) -> Result<FileId, Diagnostic> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(sources.add(path, text)),
        Err(err) => Err(Diagnostic::new(
            Kind::Other,
            "E0001",
            format!("cannot read `{}`: {err}", path.display()),
        )),
    }
}

/// Parses the module in `path` and, transitively, the modules it extends or instantiates.
pub fn load_modules(path: &Path, sources: &mut Sources) -> Result<ModuleSet, Diagnostic> {
    let file = read_source(path, sources)?;
    let root = parse_module(file, sources.text(file))?;
    let mut set = ModuleSet {
        root: root.name.name.clone(),
        modules: IndexMap::new(),
        standard: Vec::new(),
    };
    let mut pending = vec![(root, file, path.to_path_buf())];
    while let Some((module, file, path)) = pending.pop() {
        let mut nested = Vec::new();
        collect_nested(&module, &mut nested);
        let mut wanted = Vec::new();
        collect_references(&module, &mut wanted);
        for inner in nested {
            set.modules
                .entry(inner.name.name.clone())
                .or_insert(LoadedModule {
                    module: inner,
                    file,
                });
        }
        set.modules
            .entry(module.name.name.clone())
            .or_insert(LoadedModule { module, file });
        for name in wanted {
            if set.modules.contains_key(&name.name)
                || set.standard.contains(&name.name)
                || pending.iter().any(|(m, _, _)| m.name.name == name.name)
            {
                continue;
            }
            match find_module_file(&path, &name.name) {
                Some(found) => {
                    let found_file = read_source(&found, sources)?;
                    let parsed = parse_module(found_file, sources.text(found_file))?;
                    if parsed.name.name != name.name {
                        return Err(Diagnostic::new(
                            Kind::Parse,
                            "E0105",
                            format!(
                                "`{}` holds module `{}`, not `{}`",
                                found.display(),
                                parsed.name.name,
                                name.name
                            ),
                        )
                        .at(file, name.span, "module named here"));
                    }
                    pending.push((parsed, found_file, found));
                }
                None if STANDARD_MODULES.contains(&name.name.as_str()) => {
                    set.standard.push(name.name.clone());
                }
                None => {
                    return Err(Diagnostic::new(
                        Kind::Parse,
                        "E0104",
                        format!("module `{}` not found", name.name),
                    )
                    .at(file, name.span, "named here")
                    .note(format!(
                        "looked for `{}.tla` beside `{}` and in its parent directories",
                        name.name,
                        path.display()
                    )));
                }
            }
        }
    }
    // The root was inserted first only if nothing nested shadowed it; make it first regardless.
    if let Some(index) = set.modules.get_index_of(&set.root) {
        set.modules.move_index(index, 0);
    }
    Ok(set)
}

/// Nested modules, at any depth, of `module` (not `module` itself).
fn collect_nested(module: &Module, out: &mut Vec<Module>) {
    for unit in &module.units {
        if let Unit::Module(inner) = unit {
            out.push((**inner).clone());
            collect_nested(inner, out);
        }
    }
}

/// The names of modules `module` (and its nested modules) extend or instantiate.
fn collect_references(module: &Module, out: &mut Vec<Ident>) {
    out.extend(module.extends.iter().cloned());
    for unit in &module.units {
        match unit {
            Unit::Instance(instance) => out.push(instance.module.clone()),
            Unit::ModuleDef(def) => out.push(def.instance.module.clone()),
            Unit::Module(inner) => collect_references(inner, out),
            _ => {}
        }
    }
}

/// `Name.tla` in the directory of `naming_file` or one of its nearest ancestors.
fn find_module_file(naming_file: &Path, name: &str) -> Option<PathBuf> {
    let file_name = format!("{name}.tla");
    naming_file
        .parent()
        .into_iter()
        .flat_map(Path::ancestors)
        .take(ANCESTOR_SEARCH_DEPTH + 1)
        .map(|dir| dir.join(&file_name))
        .find(|candidate| candidate.is_file())
}
