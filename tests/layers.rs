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

/// The top-level modules a source text names: through `crate::` (and any
/// alias `use crate as x;` gives it), inside groups at any depth
/// (`crate::{a::{b, c}, d}` names `a` and `d`), and through `super::` that
/// climbs out of the file's own module to the crate root. `rel` is the
/// file's path below src/ (`diff/document.rs`).
fn uses(rel: &str, text: &str) -> BTreeSet<String> {
    let mut roots = vec!["crate::".to_string()];
    let mut rest = text;
    while let Some(i) = rest.find("crate as ") {
        rest = &rest[i + "crate as ".len()..];
        roots.extend(ident(rest).map(|alias| format!("{alias}::")));
    }
    let mut out = BTreeSet::new();
    for root in &roots {
        for (i, _) in text.match_indices(root.as_str()) {
            let before = text[..i].chars().next_back();
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            out.extend(heads(&text[i + root.len()..]));
        }
    }
    out.extend(through_super(rel, text));
    out
}

/// Whether `text` names `crate::u` itself (not `crate::u…`, a longer name):
/// an item at the crate root that is no module, such as a macro.
fn names_root_item(text: &str, u: &str) -> bool {
    let path = format!("crate::{u}");
    text.match_indices(&path).any(|(i, _)| {
        let next = text[i + path.len()..].chars().next();
        !next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// The first segment of a path, or of each item of a `{…}` group.
fn heads(s: &str) -> Vec<String> {
    let Some(group) = s.strip_prefix('{') else { return ident(s).into_iter().collect() };
    let mut out = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                out.extend(ident(group[start..i].trim()));
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.extend(ident(group[start..i].trim()));
                start = i + 1;
            }
            _ => {}
        }
    }
    out
}

/// Modules reached by `super::super::…`: a file's module path is its path
/// below src/ (`diff/document.rs` is `diff::document`, a `mod.rs` its
/// folder); climbing to the root makes the next segment a top-level module.
/// An item at the root (not a module) is no import.
fn through_super(rel: &str, text: &str) -> Vec<String> {
    let mut path: Vec<&str> = rel.trim_end_matches(".rs").split('/').collect();
    if path.last() == Some(&"mod") {
        path.pop();
    }
    let mut out = Vec::new();
    for (i, _) in text.match_indices("super::") {
        if text[..i].ends_with("super::") {
            continue;
        }
        let mut rest = &text[i..];
        let mut up = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            rest = r;
            up += 1;
        }
        if up >= path.len() {
            out.extend(heads(rest));
        } else {
            out.push(path[0].to_string());
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
        let used = uses(rel, text);
        for u in &used {
            match rank(u) {
                Some(r) if r < own || *u == module => {}
                Some(_) => out.push(format!("{rel}: `{module}` uses `{u}`, listed after it")),
                // `super::` reaching an item of the root, not a module.
                None if !names_root_item(text, u) => {}
                None => out.push(format!("{rel}: uses `crate::{u}`, not a module of lib.rs")),
            }
        }
        if rel == "cli/args.rs" && !used.is_empty() {
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

#[test]
fn nested_groups_super_and_aliases_are_caught() {
    let order: Vec<String> = ["diag", "model", "checks", "cli"].map(String::from).to_vec();
    let file = |rel: &str, text: &str| vec![(rel.to_string(), text.to_string())];
    // A nested group: `checks` is the group's second item.
    let nested = file("model/mod.rs", "use crate::{diag::{Problem, Severity}, checks};\n");
    assert_eq!(violations(&order, &nested).len(), 1, "{:?}", violations(&order, &nested));
    // The items inside a nested group are not modules.
    let inner = file("checks/mod.rs", "use crate::{model::{cli, x}, diag};\n");
    assert!(violations(&order, &inner).is_empty(), "{:?}", violations(&order, &inner));
    // super::super from model/a/b.rs climbs to the root: `checks` is above.
    let up = file("model/a/b.rs", "use super::super::super::checks::check;\n");
    assert_eq!(violations(&order, &up).len(), 1);
    let within = file("model/a/b.rs", "use super::super::ledger;\n");
    assert!(violations(&order, &within).is_empty());
    // An alias of the crate.
    let alias = file("model/mod.rs", "use crate as root;\nfn f() { root::cli::run(); }\n");
    let v = violations(&order, &alias);
    assert!(v.iter().any(|m| m.contains("`model` uses `cli`")), "{v:?}");
}
