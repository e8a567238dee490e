//! Integration tests of the attached tables (附表): both samples built with
//! the real binary, the PDF read back through pdftotext and the xlsx through
//! calamine.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Output;
use std::sync::OnceLock;

use calamine::{Data, Reader, Xlsx, open_workbook};

mod common;
use common::{Order, root, stderr, yusuan};

fn pdf_text(pdf: &Path) -> String {
    common::pdf_text(pdf, Order::Layout)
}

fn sample(name: &str) -> String {
    fs::read_to_string(root().join("data").join(name)).unwrap()
}

const TITLES: [&str; 9] = [
    "部门收支总表",
    "部门收入总表",
    "部门支出总表",
    "财政拨款收支总表",
    "一般公共预算支出表",
    "一般公共预算基本支出表",
    "一般公共预算“三公”经费支出表",
    "政府性基金预算支出表",
    "国有资本经营预算支出表",
];

/// Builds `toml` as data/<stem>.toml in a fresh folder with `--xlsx`.
fn build(stem: &str, toml: &str) -> (tempfile::TempDir, Output) {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("data")).unwrap();
    fs::write(dir.path().join(format!("data/{stem}.toml")), toml).unwrap();
    let templates = root().join("templates");
    let templates = templates.to_str().unwrap();
    let out =
        yusuan(dir.path(), &["build", "--no-system-fonts", "--xlsx", "--templates", templates]);
    (dir, out)
}

/// Both samples as committed, built once (one run, `--xlsx`) for every
/// test in this file: the folder holding output/<stem>.pdf and .xlsx.
fn samples() -> &'static Path {
    static BUILT: OnceLock<tempfile::TempDir> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            fs::create_dir(dir.path().join("data")).unwrap();
            for stem in ["101001-2021", "215001-2021"] {
                let toml = sample(&format!("{stem}.toml"));
                fs::write(dir.path().join(format!("data/{stem}.toml")), toml).unwrap();
            }
            let templates = root().join("templates");
            let templates = templates.to_str().unwrap();
            let args = ["build", "--no-system-fonts", "--xlsx", "--templates", templates];
            let out = yusuan(dir.path(), &args);
            assert!(out.status.success(), "{}", stderr(&out));
            dir
        })
        .path()
}

type Sheets = BTreeMap<String, Vec<Vec<Data>>>;

/// Every sheet of the workbook, as rows of cells.
fn read_xlsx(path: &Path) -> (Vec<String>, Sheets) {
    let mut wb: Xlsx<_> = open_workbook(path).expect("the xlsx opens");
    let names = wb.sheet_names().to_vec();
    let mut sheets = BTreeMap::new();
    for n in &names {
        let range = wb.worksheet_range(n).unwrap();
        assert_eq!(range.start(), Some((0, 0)), "{n} starts at A1");
        sheets.insert(n.clone(), range.rows().map(<[Data]>::to_vec).collect());
    }
    (names, sheets)
}

/// The row whose first or second cell is `label`.
fn row<'a>(rows: &'a [Vec<Data>], label: &str) -> &'a [Data] {
    rows.iter()
        .find(|r| r.iter().take(2).any(|c| matches!(c, Data::String(s) if s == label)))
        .unwrap_or_else(|| panic!("no row {label}"))
}

fn num(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        Data::Empty => 0.0,
        other => panic!("not a number: {other:?}"),
    }
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.005
}

#[test]
fn both_samples_print_nine_tables_and_write_nine_sheets() {
    for (stem, empty) in [
        ("101001-2021", vec!["政府性基金预算支出", "国有资本经营预算支出"]),
        ("215001-2021", vec!["国有资本经营预算支出"]),
    ] {
        let dir = samples();
        let text = pdf_text(&dir.join(format!("output/{stem}.pdf")));
        for (n, title) in TITLES.iter().enumerate() {
            let heading = format!("附表{}{title}", n + 1);
            assert!(text.contains(&heading), "{stem}: missing {heading}");
        }
        assert!(text.contains("编制部门："), "{stem}");
        assert!(text.contains("单位：万元"), "{stem}");
        // Tables follow the last section.
        let last = text.rfind("其他需要说明的事项").unwrap();
        assert!(text.rfind("附表1部门收支总表").unwrap() > last, "{stem}: tables come last");
        for what in &empty {
            let note = format!("本部门2021年无{what}，故本表为空表。");
            assert!(text.contains(&note), "{stem}: missing note {note}");
        }
        if !empty.contains(&"政府性基金预算支出") {
            assert!(!text.contains("无政府性基金预算支出，故本表为空表"), "{stem}");
        }

        let xlsx = dir.join(format!("output/{stem}.xlsx"));
        let (names, sheets) = read_xlsx(&xlsx);
        let expected: Vec<String> =
            TITLES.iter().enumerate().map(|(n, t)| format!("附表{} {t}", n + 1)).collect();
        assert_eq!(names[..9], expected, "{stem}: one sheet per table, in order");
        // Then the line items, which `yusuan import` reads back (tests/import.rs).
        assert_eq!(names[9..], ["预算明细"], "{stem}: the line-item sheet last");
        for (name, rows) in sheets.iter().filter(|(n, _)| n.starts_with("附表")) {
            assert!(matches!(&rows[0][0], Data::String(s) if s.contains("附表")), "{name} title");
        }
        // Numbers are numbers, and the overview's columns add up.
        let overview = &sheets["附表1 部门收支总表"];
        let total_in = num(&row(overview, "收入总计")[1]);
        let total_out = num(&row(overview, "收入总计")[3]);
        assert!(matches!(row(overview, "收入总计")[1], Data::Float(_)), "{stem}: number, not text");
        assert!(near(total_in, total_out), "{stem}: 收入总计 = 支出总计");
        let income = &sheets["附表2 部门收入总表"];
        let total = row(income, "合\u{3000}\u{3000}计");
        let parts: f64 = total[3..].iter().map(num).sum();
        assert!(near(num(&total[2]), parts), "{stem}: 收入总表合计 = 各列之和");
        assert!(near(num(&total[2]), total_in), "{stem}: 收入总表 = 收支总表");
        let spending = &sheets["附表3 部门支出总表"];
        let t = row(spending, "合\u{3000}\u{3000}计");
        assert!(near(num(&t[2]), num(&t[3]) + num(&t[4])), "{stem}: 合计 = 基本 + 项目");
        assert!(near(num(&t[2]), total_in), "{stem}: 支出总表 = 收支总表");
        // The 类 rows of the spending table add up to its 合计.
        let classes: f64 = spending
            .iter()
            .filter(|r| matches!(&r[0], Data::String(s) if s.len() == 3))
            .map(|r| num(&r[2]))
            .sum();
        assert!(near(classes, num(&t[2])), "{stem}: 类 rows add up");
        let capital = &sheets["附表9 国有资本经营预算支出表"];
        assert!(
            capital
                .iter()
                .flatten()
                .any(|c| matches!(c, Data::String(s) if s.contains("故本表为空表"))),
            "{stem}: the empty sheet carries the note"
        );
    }
}

/// Every cell of `after` equals `before`, or (numbers only) exceeds it by `delta`.
fn changed_cells(before: &Sheets, after: &Sheets, delta: f64) -> BTreeMap<String, usize> {
    let mut changed = BTreeMap::new();
    // The tables only: the 预算明细 sheet lists the items themselves.
    for (name, rows) in before.iter().filter(|(n, _)| n.starts_with("附表")) {
        let rows2 = &after[name];
        assert_eq!(rows.len(), rows2.len(), "{name}: same rows");
        for (r1, r2) in rows.iter().zip(rows2) {
            for (c1, c2) in r1.iter().zip(r2) {
                if c1 == c2 {
                    continue;
                }
                assert!(near(num(c2) - num(c1), delta), "{name}: {c1:?} → {c2:?}");
                *changed.entry(name.clone()).or_insert(0) += 1;
            }
        }
    }
    changed
}

#[test]
fn one_line_item_moves_the_narrative_the_tables_and_the_xlsx_together() {
    let before = sample("215001-2021.toml");
    let after = before.replace(
        "project = \"旅游宣传推介\"\namount = 60\n",
        "project = \"旅游宣传推介\"\namount = 70\n",
    );
    assert_ne!(before, after, "the sample has the line item");
    let d1 = samples();
    let (d2, o2) = build("215001-2021", &after);
    assert!(o2.status.success(), "{}", stderr(&o2));

    // The narrative: exactly the figures that include this item.
    let t1 = pdf_text(&d1.join("output/215001-2021.pdf"));
    let t2 = pdf_text(&d2.path().join("output/215001-2021.pdf"));
    // Up to the attached tables' own heading, not the 目录's line for it.
    let cut = |t: &str| {
        let body = t.find("年部门预算公开如下").expect("the opening sentence");
        t[..body + t[body..].find("附表1部门收支总表").unwrap()].to_string()
    };
    let moved = [
        ("2250.2万元", "2260.2万元"),
        ("一般公共预算收入1965.7万元", "一般公共预算收入1975.7万元"),
        ("项目支出673.5万元", "项目支出683.5万元"),
        ("旅游宣传推介60万元", "旅游宣传推介70万元"),
        ("增加9.9万元", "增加19.9万元"),
        ("项目支出减少38.5万元", "项目支出减少28.5万元"),
    ];
    let mut expected = cut(&t1);
    for (old, new) in moved {
        assert!(expected.contains(old), "the narrative says {old}");
        expected = expected.replace(old, new);
    }
    assert_eq!(cut(&t2), expected, "the narrative changes in those figures only");

    // The tables, as printed: the item is general-budget project spending
    // under 2070113, so the overview, income, spending, appropriation and
    // general-budget tables move by 10 and the others not at all.
    let (_, x1) = read_xlsx(&d1.join("output/215001-2021.xlsx"));
    let (_, x2) = read_xlsx(&d2.path().join("output/215001-2021.xlsx"));
    let changed = changed_cells(&x1, &x2, 10.0);
    let moved_sheets: Vec<&str> = changed.keys().map(String::as_str).collect();
    assert_eq!(
        moved_sheets,
        [
            "附表1 部门收支总表",
            "附表2 部门收入总表",
            "附表3 部门支出总表",
            "附表4 财政拨款收支总表",
            "附表5 一般公共预算支出表",
        ]
    );
    let general = &x2["附表5 一般公共预算支出表"];
    let line = row(general, "2070113");
    assert!(near(num(&line[2]), 70.0) && near(num(&line[6]), 70.0), "{line:?}");
    assert!(t2.contains("2070113旅游宣传70.00"), "the PDF table shows the new amount");
}

#[test]
fn a_file_without_line_items_builds_without_tables() {
    let text = sample("101001-2021.toml");
    let cut = text.find("[[line_items]]").unwrap();
    let (dir, out) = build("plain", &text[..cut]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = pdf_text(&dir.path().join("output/plain.pdf"));
    assert!(!text.contains("附表1"));
    assert!(stderr(&out).contains("没有预算明细"), "{}", stderr(&out));
    assert!(!dir.path().join("output/plain.xlsx").exists());
}

#[test]
fn a_stated_figure_that_disagrees_with_the_line_items_is_located() {
    let text = sample("101001-2021.toml").replace("public = 330.56", "public = 330.65");
    let (dir, out) = build("bad", &text);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("日常公用经费写作 330.65 万元，但预算明细合计为 330.56 万元"), "{err}");
    assert!(err.contains("bad.toml:"), "with line and column: {err}");
    assert!(!dir.path().join("output/bad.pdf").exists());
}
