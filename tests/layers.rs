//! The module tree is the pipeline: `src/lib.rs` lists the top-level
//! modules in the order the data travels, and a module may use only the
//! modules listed before it. This test reads every source file and holds
//! each `crate::…` path against that order, so the rule survives later
//! work; `args.rs` of the command line imports nothing from the crate.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The layer order: the `pub mod` lines of lib.rs, in order.
fn order(lib: &str) -> Vec<String> {
    lib.lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod "))
        .map(|m| m.trim_end_matches(';').trim().to_string())
        .collect()
}

/// The top-level modules a source text names through `crate::`.
fn uses(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                out.extend(ident(part.trim()));
            }
        } else {
            out.extend(ident(rest));
        }
    }
    out
}

fn ident(s: &str) -> Option<String> {
    let name: String = s.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    (!name.is_empty()).then_some(name)
}

/// Every `.rs` file below `dir` with its path relative to `src/`.
fn files(dir: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            let rel = p.strip_prefix(src()).unwrap().to_string_lossy().replace('\\', "/");
            out.push((rel, std::fs::read_to_string(&p).unwrap()));
        }
    }
}

/// The top-level module a file belongs to (`model/ledger.rs` → `model`).
fn module_of(rel: &str) -> String {
    rel.split('/').next().unwrap().trim_end_matches(".rs").to_string()
}

/// Every import that goes up or sideways against `order`, as messages.
fn violations(order: &[String], files: &[(String, String)]) -> Vec<String> {
    let rank = |m: &str| order.iter().position(|o| o == m);
    let mut out = Vec::new();
    for (rel, text) in files {
        let module = module_of(rel);
        if module == "main" || module == "lib" {
            continue;
        }
        let Some(own) = rank(&module) else {
            out.push(format!("{rel}: module `{module}` is not listed in lib.rs"));
            continue;
        };
        for used in uses(text) {
            match rank(&used) {
                Some(r) if r < own || used == module => {}
                Some(_) => out.push(format!("{rel}: `{module}` uses `{used}`, listed after it")),
                None => out.push(format!("{rel}: uses `crate::{used}`, not a module of lib.rs")),
            }
        }
        if rel == "cli/args.rs" && !uses(text).is_empty() {
            out.push(format!("{rel}: the arguments import nothing from the crate"));
        }
    }
    out
}

#[test]
fn no_module_imports_a_later_layer() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let order = order(&lib);
    assert!(order.len() >= 10, "lib.rs lists the layers: {order:?}");
    let mut all = Vec::new();
    files(&src(), &mut all);
    let v = violations(&order, &all);
    assert!(v.is_empty(), "imports against the layer order:\n{}", v.join("\n"));
}

#[test]
fn an_upward_import_is_caught() {
    let order: Vec<String> = ["diag", "model", "checks", "cli"].map(String::from).to_vec();
    let ok = vec![("checks/mod.rs".to_string(), "use crate::model::Budget;\n".to_string())];
    assert!(violations(&order, &ok).is_empty());
    let up = vec![
        ("model/mod.rs".to_string(), "use crate::{diag, checks::check};\n".to_string()),
        ("cli/args.rs".to_string(), "fn f() { crate::diag::x(); }\n".to_string()),
        ("stray.rs".to_string(), String::new()),
    ];
    let v = violations(&order, &up);
    assert_eq!(v.len(), 3, "{v:?}");
    assert!(v[0].contains("`model` uses `checks`"), "{v:?}");
    assert!(v[1].contains("import nothing"), "{v:?}");
    assert!(v[2].contains("not listed"), "{v:?}");
}
