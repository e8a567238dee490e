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
    "sh-sizes",
];

/// Fields of the templates' own dictionaries, not of the view: a table
/// spec of breaks.typ (lead, cont, build, n, breakable, row, spans and a
/// span's key, on-part), its measured pieces (own, spans' starts and need),
/// a break plan (chunks, tight), sizes Typst's `measure` returns, and the
/// presentation the profiles add to a table of the base (size, inset,
/// style, line, words; the rest of a table's fields are the outline's,
/// checked by `the_base_reads_only_the_outlines_table_fields`).
const TEMPLATE_OWN: &[&str] = &[
    // A table prepared once (base/table.typ `prepare`): its columns, the
    // lowered cells and the probe copies breaks.typ measures.
    "cols",
    "low",
    "probe",
    "on-part",
    "merge",
    "size",
    "inset",
    "style",
    "line",
    "words",
    "lines",
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
    "sorted",
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
    "named",
    "to-dict",
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

/// Every .typ file below `dir`, at any depth.
fn typ_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            typ_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "typ") {
            out.push(p);
        }
    }
}

/// The code of every bundled template: the base and every profile folder
/// of `templates/`, at any depth.
fn template_code() -> Vec<(String, String)> {
    let mut files = Vec::new();
    typ_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("templates"), &mut files);
    assert!(files.len() >= 10, "the templates are found: {files:?}");
    files
        .iter()
        .map(|p| (p.display().to_string(), code_of(&std::fs::read_to_string(p).unwrap())))
        .collect()
}

/// The fields every bundled template reads.
fn template_fields() -> BTreeSet<String> {
    template_code().iter().flat_map(|(_, code)| data_fields(code)).collect()
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

// ---------------------------------------------------------------------------
// Field paths: `d.assets.planned_purchase.zero` must be a path of the view,
// not four names each found somewhere in it.

/// Each type of the schema: its properties and the type each one holds
/// (`None`: a plain value, which has no fields).
type Types = std::collections::BTreeMap<String, std::collections::BTreeMap<String, Option<String>>>;

/// The first type a property's schema refers to (through arrays, options).
fn target(v: &Value) -> Option<String> {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                return r.rsplit('/').next().map(str::to_string);
            }
            map.values().find_map(target)
        }
        Value::Array(items) => items.iter().find_map(target),
        _ => None,
    }
}

fn types() -> Types {
    let schema: Value = serde_json::from_str(&yusuan::derive::view::schema_json()).unwrap();
    let props = |v: &Value| -> std::collections::BTreeMap<String, Option<String>> {
        let Some(Value::Object(p)) = v.get("properties") else { return Default::default() };
        p.iter().map(|(k, s)| (k.clone(), target(s))).collect()
    };
    let mut out = Types::new();
    out.insert("View".into(), props(&schema));
    if let Some(Value::Object(defs)) = schema.get("$defs") {
        for (name, def) in defs {
            out.insert(name.clone(), props(def));
        }
    }
    out
}

/// Chains `receiver.a.b.c` in template code, the receiver with them; a
/// chain stops at a Typst method or a template's own field.
fn chains(code: &str) -> Vec<(String, Vec<String>)> {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts =
            is_name(chars[i]) && (i == 0 || !(is_name(chars[i - 1]) || chars[i - 1] == '.'));
        if !starts {
            i += 1;
            continue;
        }
        let mut names = Vec::new();
        let mut j = i;
        loop {
            let name: String = chars[j..].iter().take_while(|&&c| is_name(c)).collect();
            j += name.chars().count();
            names.push(name);
            if j < chars.len() && chars[j] == '.' && j + 1 < chars.len() && is_name(chars[j + 1]) {
                j += 1;
            } else {
                break;
            }
        }
        i = j;
        let receiver = names.remove(0);
        let fields: Vec<String> = names
            .into_iter()
            .take_while(|f| !TYPST.contains(&f.as_str()) && !TEMPLATE_OWN.contains(&f.as_str()))
            .collect();
        let numeric = receiver.chars().all(|c| c.is_ascii_digit());
        let lower = fields.first().is_some_and(|f| f.starts_with(|c: char| c.is_ascii_lowercase()));
        if !fields.is_empty() && lower && !numeric && !NOT_DATA.contains(&receiver.as_str()) {
            out.push((receiver, fields));
        }
    }
    out
}

/// Whether `fields` walk from some type (from the view itself for `d` and
/// `data`, the whole document's data).
fn is_path(types: &Types, receiver: &str, fields: &[String]) -> bool {
    let walk = |start: &str| {
        let mut at = Some(start.to_string());
        for f in fields {
            let Some(t) = at.as_ref().and_then(|t| types.get(t)) else { return false };
            let Some(next) = t.get(f) else { return false };
            at = next.clone();
        }
        true
    };
    if receiver == "d" || receiver == "data" { walk("View") } else { types.keys().any(|t| walk(t)) }
}

#[test]
fn every_chain_the_templates_read_is_a_path_of_the_view() {
    let types = types();
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (file, code) in template_code() {
        for (receiver, fields) in chains(&code) {
            checked += usize::from(fields.len() > 1);
            if !is_path(&types, &receiver, &fields) {
                wrong.push(format!("{file}: {receiver}.{}", fields.join(".")));
            }
        }
    }
    assert!(checked > 50, "only {checked} chains of two fields or more were checked");
    assert!(wrong.is_empty(), "templates read paths the view does not have: {wrong:#?}");
}

#[test]
fn a_field_on_the_wrong_type_is_caught() {
    let types = types();
    // Every name is a field of some type of the view, but not on this path.
    let code = code_of("#let x = d.assets.zero + d.income.total.zero + d.doc.rows\n");
    let bad: Vec<String> = chains(&code)
        .into_iter()
        .filter(|(r, f)| !is_path(&types, r, f))
        .map(|(r, f)| format!("{r}.{}", f.join(".")))
        .collect();
    assert_eq!(bad, ["d.assets.zero", "d.doc.rows"]);
}

/// The fields the base's table code reads of a table, a row or a cell are
/// the fields of the outline's table (what the web page, the Word file and
/// the correction notice read back), or presentation only the PDF uses.
#[test]
fn the_base_reads_only_the_outlines_table_fields() {
    let table = serde_json::to_value(yusuan::typeset::outline::Table {
        pre: Some(Default::default()),
        line: Some(Default::default()),
        rows: vec![yusuan::typeset::outline::Row { cells: vec![Default::default()] }],
        ..Default::default()
    })
    .unwrap();
    let mut known = BTreeSet::new();
    fn keys(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(m) => m.iter().for_each(|(k, x)| {
                out.insert(k.clone());
                keys(x, out);
            }),
            Value::Array(a) => a.iter().for_each(|x| keys(x, out)),
            _ => {}
        }
    }
    keys(&table, &mut known);
    // What only the PDF uses: sizes and insets, header words, label folding.
    for k in
        ["size", "inset", "tight", "words", "fit", "level", "group", "header_columns", "number"]
    {
        known.insert(k.into());
    }
    let code = code_of(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/base/table.typ"),
        )
        .unwrap(),
    );
    let mut read = BTreeSet::new();
    for (recv, fields) in chains(&code) {
        if ["t", "c", "r", "u", "pre"].contains(&recv.as_str()) {
            read.extend(fields.into_iter().take(1));
        }
    }
    assert!(read.contains("rows") && read.contains("head"), "{read:?}");
    let unknown: Vec<&String> = read.difference(&known).collect();
    assert!(unknown.is_empty(), "table.typ reads fields the outline does not know: {unknown:?}");
}
