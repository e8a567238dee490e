//! The PDF's structure tree, as a screen reader meets it (PDF/UA-1, read
//! with `qpdf --json`): every table header cell is a TH with its scope —
//! columns for the header rows, rows for the cells that name a row — the
//! document has its title and language, and shows its title.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{Order, pdf_text, root, stderr, yusuan};
use serde_json::Value;

const SAMPLES: [&str; 2] = ["101001-2021.toml", "215001-2021.toml"];

/// One sample as built: the PDF's objects (qpdf's JSON), the view the
/// templates received, and the PDF.
struct Built {
    objects: BTreeMap<String, Value>,
    view: Value,
    pdf: PathBuf,
}

/// Both samples built once (one run, default standards, `--emit-data`)
/// for every test in this file.
fn built(sample: &str) -> &'static Built {
    static BUILT: OnceLock<(tempfile::TempDir, Vec<Built>)> = OnceLock::new();
    let (_, all) = BUILT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let names: Vec<String> = (0..SAMPLES.len()).map(|k| format!("s{k}.toml")).collect();
        for (file, name) in SAMPLES.iter().zip(&names) {
            fs::copy(root().join("data").join(file), dir.path().join(name)).unwrap();
        }
        let args: Vec<&str> = ["build", "--emit-data", "--no-system-fonts"]
            .into_iter()
            .chain(names.iter().map(String::as_str))
            .collect();
        let out = yusuan(dir.path(), &args);
        assert!(out.status.success(), "{}", stderr(&out));
        let all =
            (0..SAMPLES.len()).map(|k| read(&dir.path().join(format!("output/s{k}")))).collect();
        (dir, all)
    });
    &all[SAMPLES.iter().position(|s| *s == sample).expect("a sample of SAMPLES")]
}

/// The objects of `<stem>.pdf` and the view in `<stem>.json`.
fn read(stem: &Path) -> Built {
    let pdf = stem.with_extension("pdf");
    let json = Command::new("qpdf")
        .args(["--json", "--json-key=qpdf"])
        .arg(&pdf)
        .output()
        .expect("qpdf is installed");
    assert!(json.status.success(), "qpdf --json failed");
    let doc: Value = serde_json::from_slice(&json.stdout).unwrap();
    let objects = doc["qpdf"][1].as_object().expect("qpdf's objects").clone();
    let view = fs::read(stem.with_extension("json")).unwrap();
    Built {
        objects: objects.into_iter().collect(),
        view: serde_json::from_slice(&view).unwrap(),
        pdf,
    }
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
    for sample in SAMPLES {
        let Built { objects, view, pdf } = built(sample);
        let ths: Vec<&Value> = elements(objects).into_iter().filter(|e| e["/S"] == "/TH").collect();
        let count = |s: &str| ths.iter().filter(|th| scope(th) == Some(s)).count();
        assert_eq!(count("/Column") + count("/Row"), ths.len(), "{sample}: a TH without scope");
        let text = pdf_text(pdf, Order::Raw);
        // A continued part opens with “续表3　…”: one more header row
        // (“续表1” must not count “续表10”).
        let parts = |label: &str| {
            let mark = format!("续{label}");
            1 + text
                .match_indices(&mark)
                .filter(|(i, _)| !text[i + mark.len()..].starts_with(|c: char| c.is_ascii_digit()))
                .count()
        };
        let (columns, rows) = expected(view, parts);
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
    let objects = &built("101001-2021.toml").objects;
    let root_ref = objects["trailer"]["value"]["/Root"].as_str().unwrap();
    let catalog = &objects[&format!("obj:{root_ref}")]["value"];
    assert_eq!(catalog["/Lang"], "u:zh-CN");
    assert_eq!(catalog["/MarkInfo"]["/Marked"], true);
    assert_eq!(catalog["/ViewerPreferences"]["/DisplayDocTitle"], true);
    let kinds: Vec<&str> = elements(objects).iter().filter_map(|e| e["/S"].as_str()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "/Title").count(), 1, "one Title element");
    for kind in ["/H1", "/H2", "/P", "/Table", "/TR", "/TD"] {
        assert!(kinds.contains(&kind), "no {kind} in the structure tree");
    }
}
