//! The view is the templates' whole contract: every field a template reads
//! must be a field of the view, as its JSON Schema lists them. A template
//! that reads a field the view does not have fails here, not silently on
//! the page (Typst would print `none` or stop on some documents only).

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

/// Every property name the schema declares, at any depth.
fn properties(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::Object(props)) = map.get("properties") {
                out.extend(props.keys().cloned());
            }
            map.values().for_each(|x| properties(x, out));
        }
        Value::Array(items) => items.iter().for_each(|x| properties(x, out)),
        _ => {}
    }
}

/// Receivers that are Typst's or the style file's, not the view's.
const NOT_DATA: &[&str] = &[
    "sizes",
    "margins",
    "insets",
    "gaps",
    "fonts",
    "default-fonts",
    "sys",
    "it",
    "table",
    "heading",
    "outline",
    "calc",
    "counter",
    "page",
    "par",
    "text",
    "block",
    "str",
    "here",
    "kinds",
    "pdf",
    "frame",
    "regex",
];

/// Fields of the templates' own dictionaries, not of the view: a table
/// spec of breaks.typ (lead, cont, build, n, breakable, row, spans and a
/// span's key), its measured pieces (own, spans' starts and need), a break
/// plan (chunks, tight), and sizes Typst's `measure` returns.
const TEMPLATE_OWN: &[&str] = &[
    "lead",
    "cont",
    "build",
    "n",
    "breakable",
    "row",
    "spans",
    "key",
    "own",
    "starts",
    "need",
    "chunks",
    "tight",
    "width",
    "height",
    "top",
    "bottom",
    "left",
    "right",
];

/// Typst's methods and element fields the templates call.
const TYPST: &[&str] = &[
    "at",
    "flatten",
    "map",
    "len",
    "push",
    "join",
    "first",
    "last",
    "trim",
    "enumerate",
    "ends-with",
    "starts-with",
    "insert",
    "any",
    "all",
    "filter",
    "get",
    "final",
    "display",
    "location",
    "indented",
    "prefix",
    "inner",
    "element",
    "odd",
    "even",
    "split",
    "contains",
    "pos",
    "sum",
    "rev",
    "slice",
    "where",
    "with",
    "keys",
    "values",
    "pairs",
    "cell",
    "header",
    "footer",
    "entry",
    "body",
    "numbering",
    "page",
    "fields",
    "func",
    "text",
    "find",
    "match",
    "clusters",
    "supplement",
];

/// Text without string literals and comments, so only code is scanned.
fn code_of(source: &str) -> String {
    let mut out = String::new();
    for line in source.lines() {
        let line = line.split("//").next().unwrap_or("");
        let mut in_string = false;
        for c in line.chars() {
            if c == '"' {
                in_string = !in_string;
            } else if !in_string {
                out.push(c);
            }
        }
        out.push('\n');
    }
    out
}

/// `receiver.field` accesses whose receiver may be view data.
fn data_fields(code: &str) -> BTreeSet<String> {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let chars: Vec<char> = code.chars().collect();
    let mut out = BTreeSet::new();
    for (i, &c) in chars.iter().enumerate() {
        if c != '.' || i == 0 || !(is_name(chars[i - 1]) || chars[i - 1] == ')') {
            continue;
        }
        let start = (0..i).rev().take_while(|&j| is_name(chars[j])).last().unwrap_or(i);
        let receiver: String = chars[start..i].iter().collect();
        let field: String = chars[i + 1..].iter().take_while(|&&c| is_name(c)).collect();
        let numeric = receiver.chars().all(|c| c.is_ascii_digit());
        let starts_lower = field.chars().next().is_some_and(|c| c.is_ascii_lowercase());
        if numeric || !starts_lower || NOT_DATA.contains(&receiver.as_str()) {
            continue;
        }
        if !TYPST.contains(&field.as_str()) && !TEMPLATE_OWN.contains(&field.as_str()) {
            out.insert(field);
        }
    }
    out
}

/// The fields every bundled template set reads: the default profile's
/// `templates/` and each folder of `profiles/`.
fn template_fields() -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![root.join("templates")];
    for e in std::fs::read_dir(root.join("profiles")).unwrap() {
        dirs.push(e.unwrap().path());
    }
    let mut out = BTreeSet::new();
    for dir in dirs {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "typ") {
                out.extend(data_fields(&code_of(&std::fs::read_to_string(&p).unwrap())));
            }
        }
    }
    out
}

fn schema_properties() -> BTreeSet<String> {
    let schema: Value = serde_json::from_str(&yusuan::derive::view::schema_json()).unwrap();
    let mut props = BTreeSet::new();
    properties(&schema, &mut props);
    props
}

#[test]
fn every_field_the_templates_read_is_in_the_view() {
    let props = schema_properties();
    assert!(props.contains("legal_basis_text") && props.contains("span1"), "{props:?}");
    let read = template_fields();
    assert!(read.contains("planned_purchase") && read.contains("zero"), "{read:?}");
    let missing: Vec<&String> = read.difference(&props).collect();
    assert!(missing.is_empty(), "templates read fields the view does not have: {missing:?}");
}

#[test]
fn a_misspelt_field_is_caught() {
    let read = data_fields(&code_of("#let x = d.assets.planned_purchse.zero // d.note\n"));
    let props = schema_properties();
    let missing: Vec<&String> = read.difference(&props).collect();
    assert_eq!(missing, vec!["planned_purchse"]);
}

#[test]
fn every_field_has_its_documentation() {
    let schema: Value = serde_json::from_str(&yusuan::derive::view::schema_json()).unwrap();
    let mut undocumented = Vec::new();
    fn walk(v: &Value, path: &str, out: &mut Vec<String>) {
        if let Value::Object(map) = v {
            if let Some(Value::Object(props)) = map.get("properties") {
                for (k, p) in props {
                    if p.get("description").is_none() {
                        out.push(format!("{path}.{k}"));
                    }
                }
            }
            for (k, x) in map {
                walk(x, &format!("{path}/{k}"), out);
            }
        }
    }
    walk(&schema, "", &mut undocumented);
    assert!(undocumented.is_empty(), "fields without a doc comment: {undocumented:?}");
}
