//! `yusuan import` on invented workbooks in each shape the budget systems
//! really export (issue 29): the platform's 17-sheet department workbook
//! with its merged note rows, spacer rows and trailing-space sheet name;
//! line-item exports with the columns real ones carry, both economic
//! classifications, one amount column per 资金性质; an export without 三公;
//! another year's workbook; several units' workbooks into one department;
//! hidden sheets; and `yusuan catalogue import`. Each runs the binary in a
//! temp folder and reads what it wrote.

use std::fs;
use std::path::Path;

use rust_decimal::Decimal;

mod import_support;
use import_support::*;

const DRAFT: &str = "data/215001-2022.toml";

/// An import expected to be refused: exit 1, each needle said, the draft
/// untouched and nothing written beside it.
fn refused(dir: &Path, args: &[&str], needles: &[&str]) -> String {
    let before = fs::read_to_string(dir.join(DRAFT)).unwrap();
    let mut all = args.to_vec();
    all.extend(["--into", DRAFT, "--force"]);
    let o = import(dir, &all);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{args:?}: exit 1\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    for n in needles {
        assert!(err.contains(n), "{args:?}: “{n}” in\n{err}");
    }
    assert!(err.contains("什么也没有写"), "{err}");
    assert_eq!(fs::read_to_string(dir.join(DRAFT)).unwrap(), before, "draft untouched");
    assert!(!dir.join("data/215001-2022.imported.toml").exists());
    err
}

/// An import expected to pass, into `into` (with --force).
fn imported(dir: &Path, args: &[&str], into: &str) -> String {
    let mut all = args.to_vec();
    all.extend(["--into", into, "--force"]);
    let o = import(dir, &all);
    let err = stderr(&o);
    assert!(o.status.success(), "{args:?}\n{err}");
    err
}

/// The draft as the sample's items give it: the plain line-item export
/// imported into a copy, for comparison.
fn reference(d: &Path) -> Vec<String> {
    let l = lines("215001");
    real_export(&d.join("参照.xlsx"), &l, 2022, total(&l));
    fs::copy(d.join(DRAFT), d.join("data/ref.toml")).unwrap();
    imported(d, &["参照.xlsx"], "data/ref.toml");
    item_set(&d.join("data/ref.toml"))
}

#[test]
fn a_platform_department_workbook_of_17_sheets_checks_and_brings_its_sangong() {
    let dir = folder("215001");
    let d = dir.path();
    build_xlsx(d, "data/215001-2021.toml", "o1");
    let ours = d.join("o1/215001-2021.xlsx");
    let before = item_set(&d.join(DRAFT));
    // The draft's 三公 made unlike the workbook's, so that the import shows.
    let text = fs::read_to_string(d.join(DRAFT)).unwrap();
    fs::write(d.join(DRAFT), text.replacen("reception = 1.6", "reception = 1", 1)).unwrap();

    platform17(&ours, &d.join("平台.xlsx"), Platform { year: 2022, ..Platform::default() });
    let err = imported(d, &["平台.xlsx"], DRAFT);
    assert!(err.contains("区级平台导出"), "{err}");
    assert!(err.contains("预算明细不变"), "{err}");
    assert_eq!(item_set(&d.join(DRAFT)), before, "the line items stay");
    let after = fs::read_to_string(d.join(DRAFT)).unwrap();
    assert!(after.contains("reception = 1.6"), "三公 imported from the 万元 table");

    // One 款 subtotal 1 元 off: 部门支出总表 is found by its title (Sheet9);
    // its first body row is 207 (row 9), column E its 合计.
    let spoil = Platform { year: 2022, spoil: Some(("Sheet9", 8, 4)), ..Platform::default() };
    platform17(&ours, &d.join("错.xlsx"), spoil);
    refused(d, &["错.xlsx"], &["Sheet9!E9", "与数据文件的预算明细推算的数不符", "元"]);
}

#[test]
fn a_hidden_stale_table_is_refused_unless_named() {
    let dir = folder("215001");
    let d = dir.path();
    build_xlsx(d, "data/215001-2021.toml", "o1");
    let p = Platform { year: 2022, hidden_copy: true, ..Platform::default() };
    platform17(&d.join("o1/215001-2021.xlsx"), &d.join("隐.xlsx"), p);
    // Its name says little; its title says it is the 收入总表.
    refused(d, &["隐.xlsx"], &["工作表“部门收入总表（旧）”是隐藏的", "--use-hidden"]);

    // An export whose data sheet is hidden behind a cover: not used
    // unless named, then used.
    hidden_export(&d.join("藏.xlsx"), &lines("215001"), 2022);
    refused(d, &["藏.xlsx"], &["工作表“预算明细”是隐藏的"]);
    let err = imported(d, &["藏.xlsx", "--use-hidden", "预算明细"], DRAFT);
    assert!(err.contains("83 条预算明细"), "{err}");
}

#[test]
fn a_real_line_item_export_reads_what_it_needs_and_lists_the_rest_once() {
    let dir = folder("215001");
    let d = dir.path();
    let l = lines("215001");
    let last = real_export(&d.join("导出.xlsx"), &l, 2022, total(&l));
    let err = imported(d, &["导出.xlsx"], DRAFT);
    assert_eq!(err.matches("这些列不导入").count(), 1, "{err}");
    for col in [
        "序号（A3）",
        "预算级次（G3）",
        "政府预算经济分类（I3）",
        "指标文号（N3）",
        "是否政府采购（L3）",
    ] {
        assert!(err.contains(col), "{col} listed: {err}");
    }
    assert!(err.contains("83 条预算明细"), "{err}");
    let items = item_set(&d.join(DRAFT));
    assert_eq!(items.len(), 83);
    // The economic class is the department's (30101…), never the 50101 beside it.
    assert!(items.iter().all(|i| !i.contains("\"501") && !i.contains("\"502")), "{items:?}");
    assert_eq!(items, reference(d), "the same items as the plain export");

    // Its 合计 stands in column D after a 序号: still a total, still checked.
    let bad = total(&l) + Decimal::ONE;
    real_export(&d.join("合计.xlsx"), &l, 2022, bad);
    let cell = format!("预算明细!P{}", last + 1);
    refused(d, &["合计.xlsx"], &[&cell, "合计与以上各行之和不符"]);
}

/// Writes a small export with these headers and one basic row.
fn small_export(path: &Path, heads: &[&str], row: &[&str]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "2022年部门预算明细").unwrap();
    for (c, h) in heads.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    for (c, v) in row.iter().enumerate() {
        match v.parse::<f64>() {
            Ok(n) if !v.contains(' ') && v.len() < 9 => ws.write_number(2, c as u16, n).unwrap(),
            _ => ws.write_string(2, c as u16, *v).unwrap(),
        };
    }
    wb.save(path).unwrap();
}

#[test]
fn two_economic_columns_are_told_apart_by_name_or_refused_naming_both() {
    let dir = folder("215001");
    let d = dir.path();
    let unit = "云溪市文化广电旅游体育局（本级）";
    small_export(
        &d.join("两列.xlsx"),
        &["预算单位", "支出功能分类", "经济分类", "支出经济分类", "金额"],
        &[unit, "2070101", "30101", "30101", "1000"],
    );
    refused(
        d,
        &["两列.xlsx"],
        &["列“经济分类”（C2）与列“支出经济分类”（D2）都可以是部门预算经济分类", "Sheet1!C2"],
    );
    // Only the government's classification: a basic row has no economic class.
    small_export(
        &d.join("政府.xlsx"),
        &["预算单位", "支出功能分类", "政府预算经济分类", "金额"],
        &[unit, "2070101", "50101", "1000"],
    );
    refused(
        d,
        &["政府.xlsx"],
        &[
            "基本支出须有部门预算经济分类编码",
            "政府预算经济分类",
            "这些列不导入：政府预算经济分类（C2）",
        ],
    );
    // A negative amount typed as text: refused at its own cell.
    small_export(
        &d.join("负.xlsx"),
        &["预算单位", "支出功能分类", "部门预算经济分类", "金额"],
        &[unit, "2070101", "30101", "-1 000"],
    );
    refused(d, &["负.xlsx"], &["Sheet1!D3"]);
    small_export(
        &d.join("负2.xlsx"),
        &["预算单位", "支出功能分类", "部门预算经济分类", "金额"],
        &[unit, "2070101", "30101", "-1,000.00 "],
    );
    refused(d, &["负2.xlsx"], &["Sheet1!D3", "金额 -1000 为负数"]);
}

#[test]
fn one_amount_column_per_fund_reads_to_the_same_items() {
    let dir = folder("215001");
    let d = dir.path();
    let l = lines("215001");
    fund_columns_export(&d.join("分列.xlsx"), &l, 2022, false);
    let err = imported(d, &["分列.xlsx"], DRAFT);
    assert!(err.contains("预算明细导出"), "{err}");
    assert_eq!(item_set(&d.join(DRAFT)), reference(d));

    let r = fund_columns_export(&d.join("分列错.xlsx"), &l, 2022, true);
    let cell = format!("Sheet1!E{}", r + 1);
    refused(d, &["分列错.xlsx"], &[&cell, "合计与各资金性质之和不符"]);
}

#[test]
fn what_the_export_lacks_stays_and_becomes_an_open_todo_with_both_figures() {
    let dir = folder("215001");
    let d = dir.path();
    // This year's 公务用车运行维护费 (30231) items rise from 16.6 to 18.6 万元;
    // the export has no 三公 table, so the draft's 16.6 stays.
    let mut l = lines("215001");
    let car =
        l.iter_mut().find(|x| x.economic == "30231" && x.yuan == Decimal::from(124_000)).unwrap();
    car.yuan = Decimal::from(144_000);
    real_export(&d.join("无三公.xlsx"), &l, 2022, total(&l));
    let err = imported(d, &["无三公.xlsx"], DRAFT);
    assert!(err.contains("18.6") && err.contains("16.6"), "both figures said: {err}");
    assert!(err.contains("已记入草稿待办"), "{err}");
    let text = fs::read_to_string(d.join(DRAFT)).unwrap();
    assert!(text.contains("vehicle_operation = 16.6"), "the 三公 figure stays");
    let entry = text.find("field = \"sangong.current.vehicle_operation\"").expect("an open entry");
    let comment = &text[text[..entry].rfind('#').unwrap()..entry];
    assert!(comment.contains("18.6") && comment.contains("16.6"), "{comment}");
    // The file is a draft that names the field until someone settles it.
    let o = yusuan(d, &["check", DRAFT, "--verbose"]);
    let out = stderr(&o);
    assert!(out.contains("待更新") && out.contains("公务用车运行维护费"), "{out}");
}

#[test]
fn another_years_workbook_is_refused_naming_both_years_unless_stated() {
    let dir = folder("215001");
    let d = dir.path();
    let l = lines("215001");
    real_export(&d.join("2021.xlsx"), &l, 2021, total(&l));
    refused(
        d,
        &["2021.xlsx"],
        &["工作簿是 2021 年的预算，数据文件是 2022 年的", "预算明细!B4", "--year 2021"],
    );
    refused(d, &["2021.xlsx", "--year", "2020"], &["--year 2020 与工作簿写明的 2021 年不符"]);
    let err = imported(d, &["2021.xlsx", "--year", "2021"], DRAFT);
    assert!(err.contains("按 --year 2021"), "{err}");
    let text = fs::read_to_string(d.join(DRAFT)).unwrap();
    assert!(text.contains("按 --year 2021 导入的是 2021 年的数"), "{text}");
    let o = yusuan(d, &["check", DRAFT, "--verbose"]);
    assert!(stderr(&o).contains("草稿：还有"), "still a draft: {}", stderr(&o));
}

#[test]
fn several_units_workbooks_make_one_department() {
    let dir = folder("215001");
    let d = dir.path();
    let l = lines("215001");
    let mut units: Vec<String> = Vec::new();
    for x in &l {
        if !units.contains(&x.unit) {
            units.push(x.unit.clone());
        }
    }
    assert_eq!(units.len(), 4, "the sample has four units");
    let mut names = Vec::new();
    for (k, u) in units.iter().enumerate() {
        let mine: Vec<Line> = l.iter().filter(|x| &x.unit == u).cloned().collect();
        let name = format!("单位{k}.xlsx");
        real_export(&d.join(&name), &mine, 2022, total(&mine));
        names.push(name);
    }
    let args: Vec<&str> = names.iter().map(String::as_str).collect();
    let err = imported(d, &args, DRAFT);
    assert_eq!(err.matches("条预算明细").count(), 5, "one line per workbook and the total: {err}");
    assert_eq!(item_set(&d.join(DRAFT)), reference(d), "the department's items");

    // Two of the four: those units' items replaced, the others' kept.
    let text = fs::read_to_string(d.join(DRAFT)).unwrap();
    fs::write(d.join("data/two.toml"), text.replace("amount = 186.4", "amount = 1")).unwrap();
    let mut first: Vec<Line> = l.iter().filter(|x| x.unit == units[0]).cloned().collect();
    first[0].yuan += Decimal::from(10_000);
    real_export(&d.join("本级.xlsx"), &first, 2022, total(&first));
    imported(d, &["本级.xlsx", "单位1.xlsx"], "data/two.toml");
    let two = fs::read_to_string(d.join("data/two.toml")).unwrap();
    assert!(two.contains("amount = 187.4"), "unit 0's item from its workbook");

    // The same unit in two workbooks: refused, naming both.
    refused(d, &["单位1.xlsx", "单位1.xlsx"], &["云溪市图书馆", "单位1.xlsx 与 单位1.xlsx 中都有"]);
}

#[test]
fn an_exports_codes_become_the_bureaus_catalogue_for_its_year() {
    let dir = folder("215001");
    let d = dir.path();
    build_xlsx(d, "data/215001-2021.toml", "o1");
    platform17(
        &d.join("o1/215001-2021.xlsx"),
        &d.join("平台.xlsx"),
        Platform { year: 2022, ..Platform::default() },
    );
    let o = yusuan(d, &["catalogue", "import", "平台.xlsx", "--data", "data"]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    let cat = fs::read_to_string(d.join("data/catalogue/2022.toml")).unwrap();
    assert!(cat.contains("预算系统导出的工作簿 平台.xlsx"), "{cat}");
    assert!(cat.contains("\"2070101\" = { name = \"行政运行\", source = [\"导出1\"] }"), "{cat}");
    assert!(cat.contains("\"30101\" = { name = \"基本工资\""), "economic codes too: {cat}");
    let o = yusuan(d, &["catalogue", "show", "2022", "--data", "data", "-v", "--code", "2070101"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("平台.xlsx"), "cited");

    // Now a data file naming 2070101 otherwise is an error, not a warning.
    let text = fs::read_to_string(d.join(DRAFT)).unwrap();
    assert!(text.contains("function_name = \"行政运行\""));
    let typo = text.replacen("function_name = \"行政运行\"", "function_name = \"行政运转\"", 1);
    fs::write(d.join(DRAFT), typo).unwrap();
    let o = yusuan(d, &["check", DRAFT, "--verbose"]);
    let out = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("行政运转") && out.contains("错误"), "{out}");
}
