//! Writes the workbooks of the import benchmark (bench/import.sh): the
//! multi-unit sample's line items as a budget system's line-item export,
//! each item split into several rows so that the export has `ROWS` rows
//! (amounts in 元, split exactly to the cent, none negative).
//!
//! `cargo run --release --example import_workbooks -- DATA.toml ROWS OUT.xlsx…`

use std::path::Path;

use rust_decimal::Decimal;
use yusuan::model::lineitems::{self, Kind, Source};

#[path = "../tests/hostile_import/corpus.rs"]
mod corpus;
use corpus::Entry;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [data, rows, outs @ ..] = args.as_slice() else {
        eprintln!("用法：import_workbooks DATA.toml ROWS OUT.xlsx…");
        std::process::exit(2);
    };
    let rows: usize = rows.parse().expect("ROWS is a number");
    let loaded = yusuan::source::load(Path::new(data));
    let b = loaded.budget.expect("the data file loads");
    let lines = export_lines(&b, rows);
    for out in outs {
        write(Path::new(out), &lines);
    }
    println!("{} 行 × {} 个工作簿", lines.len(), outs.len());
}

/// One row of the export: unit, project, function, economic, fund, 元.
type Line = [String; 6];

/// The items, each split into near-equal parts (the last takes the
/// remainder) until there are `rows` rows.
fn export_lines(b: &yusuan::model::Budget, rows: usize) -> Vec<Line> {
    let items = lineitems::items(b);
    let n = items.len();
    let mut out = Vec::new();
    for (k, it) in items.iter().enumerate() {
        let parts = rows / n + usize::from(k < rows % n);
        let yuan = it.amount.0 * Decimal::from(10_000);
        // Whole cents shared out: the first `extra` parts take one more, so
        // no part is negative however many there are.
        let cents = (yuan * Decimal::from(100)).trunc();
        let base = (cents / Decimal::from(parts)).trunc();
        let extra = cents - base * Decimal::from(parts);
        let project = match it.kind {
            Kind::Personnel => "人员经费".to_string(),
            Kind::Public => "公用经费".to_string(),
            Kind::Project(p) => p.to_string(),
        };
        let fund = match it.source {
            Source::Carryover => format!("上年结转（{}）", it.fund.name()),
            s => s.name().to_string(),
        };
        for p in 0..parts {
            let one = if Decimal::from(p) < extra { Decimal::ONE } else { Decimal::ZERO };
            let amount = (base + one) / Decimal::from(100);
            out.push([
                b.units[it.unit].name.clone(),
                project.clone(),
                it.function.to_string(),
                it.economic.unwrap_or("").to_string(),
                fund.clone(),
                amount.normalize().to_string(),
            ]);
        }
    }
    out
}

/// The export as a workbook: one sheet, texts in the shared-string table
/// as Excel writes them. The XML is written directly (with the hostile
/// corpus's zip writer) so that a million rows cost their bytes, not a
/// spreadsheet library's cell map.
fn write(path: &Path, lines: &[Line]) {
    let heads = ["预算单位", "项目名称", "支出功能分类", "部门预算经济分类", "资金性质", "金额"];
    let mut sst: Vec<String> = Vec::new();
    let mut index = std::collections::HashMap::new();
    let mut id = |t: &str, sst: &mut Vec<String>| -> usize {
        *index.entry(t.to_string()).or_insert_with(|| {
            sst.push(t.to_string());
            sst.len() - 1
        })
    };
    let cols = ["A", "B", "C", "D", "E", "F"];
    let mut xml = String::from(
        r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">"#,
    );
    for (c, h) in cols.iter().zip(heads) {
        xml.push_str(&format!("<c r=\"{c}1\" t=\"s\"><v>{}</v></c>", id(h, &mut sst)));
    }
    xml.push_str("</row>");
    for (k, l) in lines.iter().enumerate() {
        let r = k + 2;
        xml.push_str(&format!("<row r=\"{r}\">"));
        for (c, v) in cols.iter().zip(l.iter().take(5)) {
            if !v.is_empty() {
                let i = id(v, &mut sst);
                xml.push_str(&format!("<c r=\"{c}{r}\" t=\"s\"><v>{i}</v></c>"));
            }
        }
        xml.push_str(&format!("<c r=\"F{r}\"><v>{}</v></c></row>", l[5]));
    }
    xml.push_str("</sheetData></worksheet>");
    let mut e: Vec<Entry> = corpus::frame(&[("预算明细", None)], true)
        .iter()
        .map(|(n, d)| Entry::deflated(n, d))
        .collect();
    e.push(Entry::deflated("xl/worksheets/sheet1.xml", xml.as_bytes()));
    e.push(Entry::deflated("xl/sharedStrings.xml", &corpus::sst_xml(&sst)));
    std::fs::write(path, corpus::zip(&e, None, None)).expect("the workbook is written");
}
