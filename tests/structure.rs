//! The PDF's structure tree, as a screen reader meets it (PDF/UA-1, read
//! with `qpdf --json`): every table header cell is a TH with its scope —
//! columns for the header rows, rows for the cells that name a row — the
//! document has its title and language, and shows its title.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use common::{Order, pdf_text, root, stderr, yusuan};
use serde_json::Value;

/// Builds `sample` with the default standards and `--emit-data`; returns
/// the PDF's objects (qpdf's JSON) and the view the templates received.
fn build(dir: &Path, sample: &str) -> (BTreeMap<String, Value>, Value) {
    fs::copy(root().join("data").join(sample), dir.join("s.toml")).unwrap();
    let out = yusuan(dir, &["build", "s.toml", "--emit-data", "--no-system-fonts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json = Command::new("qpdf")
        .args(["--json", "--json-key=qpdf"])
        .arg(dir.join("output/s.pdf"))
        .output()
        .expect("qpdf is installed");
    assert!(json.status.success(), "qpdf --json failed");
    let doc: Value = serde_json::from_slice(&json.stdout).unwrap();
    let objects = doc["qpdf"][1].as_object().expect("qpdf's objects").clone();
    let view = fs::read(dir.join("output/s.json")).unwrap();
    (objects.into_iter().collect(), serde_json::from_slice(&view).unwrap())
}

/// The dictionary of each structure element, stream or not.
fn elements(objects: &BTreeMap<String, Value>) -> Vec<&Value> {
    objects
        .values()
        .filter_map(|o| o.get("value"))
        .filter(|v| v.get("/S").is_some() && v.get("/P").is_some())
        .collect()
}

/// A TH's /Scope: its table attributes, given as one dictionary or a list.
fn scope(th: &Value) -> Option<&str> {
    let attrs = match &th["/A"] {
        Value::Array(list) => list.iter().collect(),
        one => vec![one],
    };
    attrs.into_iter().find_map(|a| a.get("/Scope")).and_then(Value::as_str)
}

/// How many header cells of each scope the view asks for: the column
/// headers of every table — again on each continued part, which is a table
/// of its own with its own header row — and the cells that name a row —
/// 单位名称, the assets' items, 绩效目标/目标N and 一级/二级指标, the
/// attached tables' header columns (blank cells are no headers).
/// `parts("表3")` is how many pages a table's rows were printed on.
fn expected(view: &Value, parts: impl Fn(&str) -> usize) -> (usize, usize) {
    let arr = |v: &Value| v.as_array().unwrap().clone();
    let units = arr(&view["units"]).len();
    let assets = 1 + arr(&view["assets"]["rows"]).len();
    let projects = arr(&view["performance"]["projects"]);
    let table_no = |v: &Value| format!("表{}", v.as_u64().unwrap());
    let mut columns = 4 * parts("表1") + 3 * parts(&table_no(&view["assets"]["table_number"]));
    let mut rows = units + assets;
    for p in &projects {
        columns += 6 * parts(&table_no(&p["number"]));
        rows += 1 + arr(&p["goals"]).len();
        rows += arr(&p["rows"]).iter().filter(|r| r["span1"] != 0).count();
        rows += arr(&p["rows"]).iter().filter(|r| r["span2"] != 0).count();
    }
    for t in view["tables"]["tables"].as_array().into_iter().flatten() {
        let head = arr(&t["head"]).iter().map(|r| arr(r).len()).sum::<usize>();
        columns += head * parts(&format!("附{}", table_no(&t["number"])));
        let header_columns: Vec<Value> = arr(&t["header_columns"]);
        for r in arr(&t["rows"]) {
            let cells = arr(&r["cells"]);
            rows += header_columns
                .iter()
                .filter(|x| cells[x.as_u64().unwrap() as usize]["text"] != "")
                .count();
        }
    }
    (columns, rows)
}

#[test]
fn header_cells_are_tagged_with_their_scope() {
    for sample in ["101001-2021.toml", "215001-2021.toml"] {
        let dir = tempfile::tempdir().unwrap();
        let (objects, view) = build(dir.path(), sample);
        let ths: Vec<&Value> =
            elements(&objects).into_iter().filter(|e| e["/S"] == "/TH").collect();
        let count = |s: &str| ths.iter().filter(|th| scope(th) == Some(s)).count();
        assert_eq!(count("/Column") + count("/Row"), ths.len(), "{sample}: a TH without scope");
        let text = pdf_text(&dir.path().join("output/s.pdf"), Order::Raw);
        // A continued part opens with “续表3　…”: one more header row
        // (“续表1” must not count “续表10”).
        let parts = |label: &str| {
            let mark = format!("续{label}");
            1 + text
                .match_indices(&mark)
                .filter(|(i, _)| !text[i + mark.len()..].starts_with(|c: char| c.is_ascii_digit()))
                .count()
        };
        let (columns, rows) = expected(&view, parts);
        assert_eq!(count("/Column"), columns, "{sample}: column header cells");
        // A continued 绩效目标表 repeats its 一级/二级 labels on the new page
        // (templates/perf-table.typ): up to two more row headers per part.
        let repeated: usize = view["performance"]["projects"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| parts(&format!("表{}", p["number"])) - 1)
            .sum();
        let found = count("/Row");
        assert!(
            (rows..=rows + 2 * repeated).contains(&found),
            "{sample}: {found} row header cells, expected {rows} (+ at most {} repeated)",
            2 * repeated
        );
    }
}

#[test]
fn the_document_has_its_title_language_and_shows_the_title() {
    let dir = tempfile::tempdir().unwrap();
    let (objects, _) = build(dir.path(), "101001-2021.toml");
    let root_ref = objects["trailer"]["value"]["/Root"].as_str().unwrap();
    let catalog = &objects[&format!("obj:{root_ref}")]["value"];
    assert_eq!(catalog["/Lang"], "u:zh-CN");
    assert_eq!(catalog["/MarkInfo"]["/Marked"], true);
    assert_eq!(catalog["/ViewerPreferences"]["/DisplayDocTitle"], true);
    let kinds: Vec<&str> = elements(&objects).iter().filter_map(|e| e["/S"].as_str()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "/Title").count(), 1, "one Title element");
    for kind in ["/H1", "/H2", "/P", "/Table", "/TR", "/TD"] {
        assert!(kinds.contains(&kind), "no {kind} in the structure tree");
    }
}
