//! The core's layout is a rule, not a habit: each folder of `core/src` is a layer that uses only
//! the layers listed before it, and no two modules import each other (issue 11 §2).

#![allow(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers in order; a layer may use the ones before it. The shared vocabulary comes first.
const LAYERS: &[&[&str]] = &[
    &["error", "service", "diagnostic", "limits", "shared"],
    &["identity"],
    &["dns"],
    &["dnssec"],
    &["autoconfig"],
    &["plan"],
    &["negotiate"],
    &["verify"],
    &["host"],
];

fn rank(layer: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&layer))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a source file below `src`, e.g. `plan/build.rs` → `["plan", "build"]`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// Every `crate::<name>` and `super::<name>` path in the code (tests and comments excluded).
fn references(text: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    let mut krate = BTreeSet::new();
    let mut sup = BTreeSet::new();
    for line in code.lines() {
        let line = line.split("//").next().unwrap_or_default();
        for (prefix, set) in [("crate::", &mut krate), ("super::", &mut sup)] {
            for (i, _) in line.match_indices(prefix) {
                let rest = &line[i + prefix.len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    set.insert(name);
                }
            }
        }
    }
    (krate, sup)
}

#[test]
fn each_layer_uses_only_the_layers_before_it_and_no_modules_import_each_other() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut problems = Vec::new();
    // Edges between sibling modules of one folder, and between layers.
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let module = module_of(&src, file);
        if module == ["lib"] {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        let (krate, sup) = references(&text);
        let own = &module[0];
        let Some(own_rank) = rank(own) else {
            problems.push(format!(
                "{}: the layer `{own}` is not in LAYERS",
                file.display()
            ));
            continue;
        };
        for used in &krate {
            match rank(used) {
                Some(_) if used == own => {}
                Some(r) if r < own_rank || (r == own_rank && r == 0) => {}
                Some(_) => problems.push(format!(
                    "{}: layer `{own}` uses `crate::{used}`, which comes after it",
                    file.display()
                )),
                None => problems.push(format!(
                    "{}: `crate::{used}` is not a layer",
                    file.display()
                )),
            }
            if used != own {
                edges.entry(own.clone()).or_default().insert(used.clone());
            }
        }
        if module.len() == 2 {
            for sibling in &sup {
                edges
                    .entry(module.join("::"))
                    .or_default()
                    .insert(format!("{own}::{sibling}"));
            }
        }
    }
    for (from, tos) in &edges {
        for to in tos {
            if edges.get(to).is_some_and(|back| back.contains(from)) {
                problems.push(format!("`{from}` and `{to}` import each other"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
