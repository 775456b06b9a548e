//! `smtcheck typecheck`: what the front end made of a spec — each constant and variable with
//! its type, each action with its parameters, and what will be checked — as text or JSON.

use super::frontend;
use crate::ir::{Named, Spec};
use crate::sema::Options;
use crate::types::{self, Types};
use serde_json::{json, Value};
use std::path::Path;

/// `smtcheck typecheck FILE [--config F] [--json]`
pub fn typecheck(file: &Path, config: Option<&Path>, options: &Options, json: bool) -> u8 {
    match frontend(file, config, options) {
        Ok(front) if json => {
            let value = describe_json(&front.spec, &front.types);
            println!(
                "{}",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            );
            0
        }
        Ok(front) => {
            print!("{}", describe_text(&front.spec, &front.types));
            0
        }
        Err(code) => code,
    }
}

/// The formulas of each role, in the order they are printed.
fn roles(spec: &Spec) -> [(&'static str, &'static str, &[Named]); 5] {
    [
        ("invariant", "invariants", &spec.invariants),
        ("property", "properties", &spec.properties),
        ("constraint", "constraints", &spec.constraints),
        (
            "action constraint",
            "action_constraints",
            &spec.action_constraints,
        ),
        ("assumption", "assumptions", &spec.assumptions),
    ]
}

fn describe_text(spec: &Spec, types: &Types) -> String {
    let mut out = types::describe(spec, types);
    for action in &spec.actions {
        let params: Vec<&str> = action.params.iter().map(|p| p.name.as_str()).collect();
        if params.is_empty() {
            out.push_str(&format!("action {}\n", action.name));
        } else {
            out.push_str(&format!("action {}({})\n", action.name, params.join(", ")));
        }
    }
    for (role, _, formulas) in roles(spec) {
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

/// The same facts as `describe_text`, as one JSON object; types are in their printed form.
fn describe_json(spec: &Spec, types: &Types) -> Value {
    let typed =
        |name: &str, ty: &types::Type| json!({ "name": name, "type": types.show(ty).to_string() });
    let constants: Vec<Value> = spec
        .constants
        .iter()
        .zip(&types.consts)
        .map(|(c, ty)| match c.replaced {
            // Replaced by a definition in the config: it has no type of its own (see
            // `types::describe`).
            true => json!({ "name": c.name, "replaced": true }),
            false => typed(&c.name, ty),
        })
        .collect();
    let variables: Vec<Value> = spec
        .vars
        .iter()
        .zip(&types.vars)
        .map(|(v, ty)| typed(&v.name, ty))
        .collect();
    let actions: Vec<Value> = spec
        .actions
        .iter()
        .map(|action| {
            let params: Vec<&str> = action.params.iter().map(|p| p.name.as_str()).collect();
            json!({ "name": action.name, "params": params })
        })
        .collect();
    let mut object = json!({
        "module": spec.module,
        "constants": constants,
        "variables": variables,
        "actions": actions,
        "fairness_conditions": spec.fairness.len(),
        "check_deadlock": spec.check_deadlock,
    });
    for (_, key, formulas) in roles(spec) {
        let names: Vec<&str> = formulas.iter().map(|f| f.name.as_str()).collect();
        object[key] = json!(names);
    }
    object
}
