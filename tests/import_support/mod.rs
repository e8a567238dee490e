//! What the import tests share: a folder with a sample and its 2022 draft,
//! the sample's line items as a budget system would export them, and
//! writers of invented workbooks in each shape the budget systems export —
//! a line-item export with the columns real exports carry, one amount
//! column per 资金性质, and the district platform's 17-sheet department
//! workbook (title row, 编制部门 line, three header rows, 类 | 款 | 项 with
//! the parents repeated, spacer rows, 合计 merged across, the empty tables'
//! note merged across, a sheet name with a trailing space, one table found
//! only by its title). Every department is the repository's invented sample.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

#[path = "../common/mod.rs"]
mod common;
pub use common::{root, stderr, yusuan};

/// A folder with the sample as data/<stem>-2021.toml and its 2022 draft
/// made by `yusuan new`.
pub fn folder(stem: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("data")).unwrap();
    let text = fs::read_to_string(root().join(format!("data/{stem}-2021.toml"))).unwrap();
    fs::write(dir.path().join(format!("data/{stem}-2021.toml")), text).unwrap();
    let from = format!("data/{stem}-2021.toml");
    let o = yusuan(dir.path(), &["new", "--from", &from, "--year", "2022"]);
    assert!(o.status.success(), "{}", stderr(&o));
    dir
}

pub fn import(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["import"];
    all.extend(args);
    yusuan(dir, &all)
}

/// Builds one data file's xlsx (the nine tables and 预算明细) into `out`.
pub fn build_xlsx(dir: &Path, file: &str, out: &str) {
    let t = root().join("templates");
    let args = [
        "build",
        file,
        "-o",
        out,
        "--xlsx",
        "--no-system-fonts",
        "--templates",
        t.to_str().unwrap(),
    ];
    let o = yusuan(dir, &args);
    assert!(o.status.success(), "build {file}: {}", stderr(&o));
}

/// The line items of a data file, as TOML values.
pub fn line_items(path: &Path) -> Vec<toml::Value> {
    let doc: toml::Table = fs::read_to_string(path).unwrap().parse().unwrap();
    doc.get("line_items").and_then(|v| v.as_array()).cloned().unwrap_or_default()
}

/// The line items of a file as sorted lines, so that two imports can be
/// compared whatever order they wrote the items in.
pub fn item_set(path: &Path) -> Vec<String> {
    let mut out: Vec<String> = line_items(path)
        .iter()
        .map(|li| {
            let g = |k: &str| li.get(k).map(|v| v.to_string()).unwrap_or_default();
            let amount: Decimal = match &li["amount"] {
                toml::Value::Float(f) => format!("{f}").parse().unwrap(),
                toml::Value::Integer(i) => Decimal::from(*i),
                v => v.as_str().unwrap().parse().unwrap(),
            };
            let keys =
                ["unit", "function", "economic", "source", "carried_from", "basic", "project"];
            let key: Vec<String> = keys.iter().map(|k| g(k)).collect();
            format!("{} = {}", key.join("|"), amount.normalize())
        })
        .collect();
    out.sort();
    out
}

/// One line item as the budget system exports it.
#[derive(Clone, Debug)]
pub struct Line {
    pub unit: String,
    /// The project, or 人员经费 / 公用经费.
    pub project: String,
    pub function: String,
    pub economic: String,
    /// 资金性质: “一般公共预算”, “上年结转（政府性基金）”.
    pub fund: String,
    pub yuan: Decimal,
}

impl Line {
    pub fn basic(&self) -> bool {
        self.project == "人员经费" || self.project == "公用经费"
    }
}

/// The sample's line items, amounts in 元.
pub fn lines(stem: &str) -> Vec<Line> {
    let text = fs::read_to_string(root().join(format!("data/{stem}-2021.toml"))).unwrap();
    let doc: toml::Table = text.parse().unwrap();
    let units = doc["units"].as_array().unwrap();
    let s = |v: &toml::Value, k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
    doc["line_items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|li| {
            let amount: Decimal = match &li["amount"] {
                toml::Value::Float(f) => format!("{f}").parse().unwrap(),
                toml::Value::Integer(i) => Decimal::from(*i),
                v => v.as_str().unwrap().parse().unwrap(),
            };
            let source = match li.get("source") {
                None => "一般公共预算".to_string(),
                Some(_) => s(li, "source"),
            };
            let basic = s(li, "basic");
            Line {
                unit: li
                    .get("unit")
                    .map_or_else(|| s(&units[0], "name"), |u| u.as_str().unwrap().to_string()),
                project: if basic.is_empty() { s(li, "project") } else { basic },
                function: s(li, "function"),
                economic: s(li, "economic"),
                fund: match li.get("carried_from") {
                    Some(c) => format!("{source}（{}）", c.as_str().unwrap()),
                    None if source == "上年结转" => "上年结转（一般公共预算）".to_string(),
                    None => source,
                },
                yuan: amount * Decimal::from(10_000),
            }
        })
        .collect()
}

pub fn total(lines: &[Line]) -> Decimal {
    lines.iter().map(|l| l.yuan).sum()
}

fn num(ws: &mut Worksheet, r: u32, c: u16, d: Decimal) {
    ws.write_number(r, c, d.to_string().parse::<f64>().unwrap()).unwrap();
}

/// The columns a real line-item export carries, most not read by yusuan.
pub const REAL_HEADS: [&str; 16] = [
    "序号",
    "预算年度",
    "预算单位编码",
    "预算单位",
    "项目编码",
    "项目名称",
    "预算级次",
    "支出功能分类科目",
    "政府预算经济分类",
    "部门预算经济分类",
    "资金性质",
    "是否政府采购",
    "支付方式",
    "指标文号",
    "政府购买服务内容",
    "金额（元）",
];

/// A line-item export with the columns real ones carry: a title naming
/// `year`, “单位：元”, then one row per item, a 小计 after each unit
/// whose word stands in the 项目名称 column (not first in its row), and
/// the 合计 row with `total`. Returns the 合计 row (0-based).
pub fn real_export(path: &Path, lines: &[Line], year: i32, total: Decimal) -> u32 {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let r = export_sheet(ws, lines, year, total);
    wb.save(path).unwrap();
    r
}

/// The same export behind a shown cover sheet, its data sheet hidden.
pub fn hidden_export(path: &Path, lines: &[Line], year: i32) {
    let mut wb = Workbook::new();
    let cover = wb.add_worksheet();
    cover.set_name("说明").unwrap();
    cover.write_string(0, 0, "本工作簿由预算系统导出").unwrap();
    let ws = wb.add_worksheet();
    export_sheet(ws, lines, year, total(lines));
    ws.set_hidden(true);
    wb.save(path).unwrap();
}

fn export_sheet(ws: &mut Worksheet, lines: &[Line], year: i32, total: Decimal) -> u32 {
    ws.set_name("预算明细").unwrap();
    ws.write_string(0, 0, format!("{year}年部门预算明细表")).unwrap();
    ws.write_string(1, 0, "单位：元").unwrap();
    for (c, h) in REAL_HEADS.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let mut r = 3u32;
    let mut sub = Decimal::ZERO;
    for (i, l) in lines.iter().enumerate() {
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        ws.write_string(r, 1, year.to_string()).unwrap();
        ws.write_string(r, 2, format!("21500{}", 1 + i % 4)).unwrap();
        ws.write_string(r, 3, &l.unit).unwrap();
        ws.write_string(r, 4, format!("31010722{i:06}")).unwrap();
        ws.write_string(r, 5, &l.project).unwrap();
        ws.write_string(r, 6, "区级").unwrap();
        ws.write_string(r, 7, &l.function).unwrap();
        // The government's economic class: 501/502/505…, never read.
        let gov = if l.economic.starts_with("301") {
            "50101 工资奖金津补贴"
        } else {
            "50201 办公经费"
        };
        ws.write_string(r, 8, gov).unwrap();
        ws.write_string(r, 9, &l.economic).unwrap();
        ws.write_string(r, 10, &l.fund).unwrap();
        ws.write_string(r, 11, if i % 3 == 0 { "是" } else { "否" }).unwrap();
        ws.write_string(r, 12, "国库集中支付").unwrap();
        ws.write_string(r, 13, format!("云财预〔{year}〕{}号", 10 + i)).unwrap();
        ws.write_string(r, 14, "").unwrap();
        num(ws, r, 15, l.yuan);
        sub += l.yuan;
        r += 1;
        if lines.get(i + 1).is_none_or(|n| n.unit != l.unit) {
            ws.write_string(r, 5, "小计").unwrap();
            num(ws, r, 15, sub);
            sub = Decimal::ZERO;
            r += 1;
        }
    }
    ws.write_number(r, 0, (lines.len() + 1) as f64).unwrap();
    ws.write_string(r, 3, "合计").unwrap();
    num(ws, r, 15, total);
    r
}

/// The 资金性质 of the per-资金性质 layout, as column headers.
pub const FUNDS: [&str; 10] = [
    "一般公共预算",
    "政府性基金",
    "国有资本经营",
    "财政专户",
    "事业收入",
    "事业单位经营收入",
    "其他收入",
    "上年结转（一般公共预算）",
    "上年结转（政府性基金）",
    "上年结转（国有资本经营）",
];

/// A line-item export with one amount column per 资金性质 under a merged
/// “资金性质” header, and the row's 合计 before them: rows of one unit,
/// project or basic kind, function and economic class, each 资金性质 in its
/// column. `spoil`: a row whose 合计 is 1 元 off. Returns that row (0-based).
pub fn fund_columns_export(path: &Path, lines: &[Line], year: i32, spoil: bool) -> u32 {
    let mut grouped: Vec<(Vec<String>, [Decimal; 10])> = Vec::new();
    for l in lines {
        let key = vec![l.unit.clone(), l.project.clone(), l.function.clone(), l.economic.clone()];
        let k = FUNDS
            .iter()
            .position(|f| *f == l.fund)
            .unwrap_or_else(|| panic!("资金性质 {}", l.fund));
        match grouped.iter_mut().find(|(g, _)| *g == key) {
            Some((_, a)) => a[k] += l.yuan,
            None => {
                let mut a = [Decimal::ZERO; 10];
                a[k] = l.yuan;
                grouped.push((key, a));
            }
        }
    }
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, format!("{year}年部门预算明细（按资金性质）")).unwrap();
    ws.write_string(1, 0, "单位：元").unwrap();
    let fmt = Format::new();
    for (c, h) in
        ["预算单位", "项目名称", "支出功能分类", "部门预算经济分类", "合计"].iter().enumerate()
    {
        ws.merge_range(2, c as u16, 3, c as u16, h, &fmt).unwrap();
    }
    ws.merge_range(2, 5, 2, 14, "资金性质", &fmt).unwrap();
    for (k, f) in FUNDS.iter().enumerate() {
        ws.write_string(3, 5 + k as u16, *f).unwrap();
    }
    let mut spoilt = 0;
    for (r, (key, a)) in (4u32..).zip(&grouped) {
        for (c, t) in key.iter().enumerate() {
            ws.write_string(r, c as u16, t).unwrap();
        }
        let off = if spoil && spoilt == 0 && r > 6 { Decimal::ONE } else { Decimal::ZERO };
        if !off.is_zero() {
            spoilt = r;
        }
        num(ws, r, 4, a.iter().sum::<Decimal>() + off);
        for (k, v) in a.iter().enumerate() {
            if !v.is_zero() {
                num(ws, r, 5 + k as u16, *v);
            }
        }
    }
    wb.save(path).unwrap();
    spoilt
}

/// What a platform workbook carries besides its tables.
#[derive(Clone, Default)]
pub struct Platform {
    /// Its two detail sheets, of these items.
    pub details: Option<Vec<Line>>,
    /// The year its titles name.
    pub year: i32,
    /// (sheet meaning, 0-based row, 0-based column): 1 元 added there.
    pub spoil: Option<(&'static str, u32, u16)>,
    /// A hidden stale copy of the 收入总表 with other figures.
    pub hidden_copy: bool,
}

/// Sheet name, title, header row above the codes, columns as
/// (header, columns of our table summed), for each compared table.
type TableShape = (&'static str, &'static str, &'static str, Vec<(&'static str, Vec<usize>)>);

fn shapes() -> Vec<(&'static str, TableShape)> {
    vec![
        (
            "附表2 部门收入总表",
            (
                "3.16部门收入总表",
                "部门收入预算总表",
                "收入预算",
                vec![
                    ("合计", vec![0]),
                    ("财政拨款收入", vec![2, 3, 4]),
                    ("事业收入", vec![6]),
                    ("事业单位\n经营收入", vec![7]),
                    ("其他收入", vec![8]),
                ],
            ),
        ),
        // Found by its title only.
        (
            "附表3 部门支出总表",
            (
                "Sheet9",
                "部门支出预算总表",
                "支出预算",
                vec![("合计", vec![0]), ("基本支出", vec![1]), ("项目支出", vec![2])],
            ),
        ),
        (
            "附表5 一般公共预算支出表",
            (
                "部门一般公共预算拨款表",
                "部门一般公共预算支出功能分类预算表",
                "一般公共预算支出",
                vec![("合计", vec![0]), ("基本支出", vec![1]), ("项目支出", vec![4])],
            ),
        ),
        (
            "附表8 政府性基金预算支出表",
            (
                "部门政府性基金拨款表",
                "部门政府性基金预算支出功能分类预算表",
                "政府性基金预算支出",
                vec![("合计", vec![0]), ("基本支出", vec![1]), ("项目支出", vec![2])],
            ),
        ),
        // The real export's sheet name ends with a space.
        (
            "附表9 国有资本经营预算支出表",
            (
                "部门国有资本经营预算拨款表 ",
                "部门国有资本经营预算支出功能分类预算表",
                "国有资本经营预算支出",
                vec![("合计", vec![0]), ("基本支出", vec![1]), ("项目支出", vec![2])],
            ),
        ),
        (
            "附表6 一般公共预算基本支出表",
            (
                "部门一般公共预算拨款基本支出明细表",
                "部门一般公共预算基本支出部门预算经济分类预算表",
                "一般公共预算基本支出",
                vec![("合计", vec![0]), ("人员经费", vec![1]), ("公用经费", vec![2])],
            ),
        ),
    ]
}

/// The platform's 17-sheet department workbook of the figures in `ours`
/// (yusuan's own xlsx of the same figures), in the shape the platform
/// exports: amounts in 元, 三公 in 万元.
pub fn platform17(ours: &Path, out: &Path, p: Platform) {
    let p = &p;
    use calamine::{Xlsx, open_workbook};
    let mut x: Xlsx<_> = open_workbook(ours).unwrap();
    let mut wb = Workbook::new();
    for name in ["封面", "目录", "部门主要职能", "部门机构设置", "名词解释", "部门编制说明"]
    {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        ws.write_string(1, 0, format!("{name}（略）")).unwrap();
    }
    left_right(&mut wb, "部门收支总表", &format!("{}年部门财务收支预算总表", p.year));
    for (from, shape) in shapes() {
        let rows = table_rows(&mut x, from);
        platform_table(&mut wb, &shape, &rows, p);
    }
    if let Some(lines) = &p.details {
        detail_sheets(&mut wb, lines);
    }
    left_right(&mut wb, "部门财政拨款收支总表", &format!("{}年部门财政拨款收支预算总表", p.year));
    sangong_sheet(&mut wb, &mut x, p.year);
    for name in ["其他相关情况说明", "项目经费情况说明"] {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        ws.write_string(1, 0, "（略）").unwrap();
    }
    if p.hidden_copy {
        let shape = &shapes()[0].1;
        let mut rows = table_rows(&mut x, "附表2 部门收入总表");
        for r in &mut rows {
            r.2 = r.2.iter().map(|v| v.map(|d| d + Decimal::ONE)).collect();
        }
        let stale = ("部门收入总表（旧）", shape.1, shape.2, shape.3.clone());
        platform_table(&mut wb, &stale, &rows, p);
        wb.worksheets_mut().last_mut().unwrap().set_hidden(true);
    }
    wb.save(out).unwrap();
}

/// A table of ours: (code, name, amounts in 万元 by column) per row, the
/// 合计 row with an empty code; a note row (no code, no figures) as its text.
type OurRow = (String, String, Vec<Option<Decimal>>);

fn table_rows<R: std::io::Read + std::io::Seek>(
    x: &mut calamine::Xlsx<R>,
    sheet: &str,
) -> Vec<OurRow> {
    use calamine::{Data, Reader};
    let range = x.worksheet_range(sheet).unwrap();
    let mut out = Vec::new();
    for row in range.rows().skip(2) {
        let text = |d: &Data| match d {
            Data::String(s) => s.replace('\u{3000}', "").trim().to_string(),
            _ => String::new(),
        };
        let code = text(&row[0]);
        let name = text(row.get(1).unwrap_or(&Data::Empty));
        let coded = !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit());
        let values: Vec<Option<Decimal>> = row
            .iter()
            .skip(2)
            .map(|d| match d {
                Data::Float(f) => Some(format!("{f}").parse().unwrap()),
                _ => None,
            })
            .collect();
        if coded || name == "合计" {
            out.push((if coded { code } else { String::new() }, name, values));
        }
    }
    out
}

/// One table in the platform's shape.
fn platform_table(wb: &mut Workbook, shape: &TableShape, rows: &[OurRow], p: &Platform) {
    let (name, title, group, cols) = shape;
    let economic = title.contains("经济分类");
    let fmt = Format::new();
    let ws = wb.add_worksheet();
    ws.set_name(*name).unwrap();
    let last = 3 + cols.len() as u16 - if economic { 1 } else { 0 };
    ws.merge_range(1, 0, 1, last, &format!("{}年{title}", p.year), &fmt).unwrap();
    ws.merge_range(3, 0, 3, 2, "编制部门：云溪市文化广电旅游体育局", &fmt).unwrap();
    ws.write_string(3, last, "单位：元").unwrap();
    let first = if economic { 3 } else { 4 };
    ws.merge_range(5, 0, 5, first - 1, "项目", &fmt).unwrap();
    ws.merge_range(5, first, 5, last, group, &fmt).unwrap();
    let (code_head, parts): (&str, &[&str]) = if economic {
        ("部门预算经济分类科目编码", &["类", "款"])
    } else {
        ("功能分类科目编码", &["类", "款", "项"])
    };
    ws.merge_range(6, 0, 6, parts.len() as u16 - 1, code_head, &fmt).unwrap();
    let name_col = parts.len() as u16;
    ws.merge_range(
        6,
        name_col,
        7,
        name_col,
        if economic { "经济分类科目名称" } else { "功能分类科目名称" },
        &fmt,
    )
    .unwrap();
    for (k, (h, _)) in cols.iter().enumerate() {
        ws.merge_range(6, first + k as u16, 7, first + k as u16, h, &fmt).unwrap();
    }
    for (k, part) in parts.iter().enumerate() {
        ws.write_string(7, k as u16, *part).unwrap();
    }
    let mut r = 8u32;
    let mut body = 0;
    for (code, label, values) in rows.iter().filter(|(c, _, _)| !c.is_empty()) {
        let widths: &[usize] = if economic { &[3, 2] } else { &[3, 2, 2] };
        let mut at = 0;
        for (k, w) in widths.iter().enumerate() {
            if code.len() >= at + w {
                // Parents repeated on every row, as the platform writes them.
                ws.write_string(r, k as u16, &code[at..at + w]).unwrap();
            }
            at += w;
        }
        ws.write_string(r, name_col, label).unwrap();
        figures(ws, (r, first), cols, values, (name, p.spoil));
        r += 1;
        body += 1;
        // A blank spacer row after the third body row.
        if body == 3 {
            r += 1;
        }
    }
    if let Some((_, _, values)) = rows.iter().find(|(c, _, _)| c.is_empty()) {
        ws.merge_range(r, 0, r, name_col, "合计", &fmt).unwrap();
        figures(ws, (r, first), cols, values, (name, p.spoil));
        r += 1;
    }
    if body == 0 {
        let note = format!("注：本部门{}年无{group}预算，故本表为空表。", p.year);
        ws.merge_range(r + 1, 0, r + 1, last, &note, &fmt).unwrap();
    }
}

fn figures(
    ws: &mut Worksheet,
    (r, first): (u32, u16),
    cols: &[(&str, Vec<usize>)],
    values: &[Option<Decimal>],
    (name, spoil): (&str, Option<(&str, u32, u16)>),
) {
    for (k, (_, of)) in cols.iter().enumerate() {
        let sum: Decimal = of.iter().filter_map(|i| values.get(*i).copied().flatten()).sum();
        let wan = Some(sum);
        let c = first + k as u16;
        let bump = match spoil {
            Some((sheet, sr, sc)) if name.trim().ends_with(sheet) && sr == r && sc == c => {
                Decimal::ONE
            }
            _ => Decimal::ZERO,
        };
        if let Some(w) = wan.filter(|w| !w.is_zero()) {
            num(ws, r, c, w * Decimal::from(10_000) + bump);
        } else if !bump.is_zero() {
            num(ws, r, c, bump);
        }
    }
}

/// The platform's two detail sheets of `lines`: one row per unit ×
/// project × 项 (or unit × 项 × 经济分类款), 资金来源 across, 类 | 款 | 项
/// under a merged header, and the 合计 row.
pub fn detail_sheets(wb: &mut Workbook, lines: &[Line]) {
    let (basic, projects): (Vec<&Line>, Vec<&Line>) = lines.iter().partition(|l| l.basic());
    for (name, items, is_basic) in
        [("3.10 部门项目支出明细表", projects, false), ("3.11 部门基本支出预算明细表", basic, true)]
    {
        let mut grouped: Vec<(Vec<String>, [Decimal; 10])> = Vec::new();
        for l in items {
            let second = if is_basic { l.economic.clone() } else { l.project.clone() };
            let key = vec![l.unit.clone(), second, l.function.clone()];
            let k = FUNDS.iter().position(|f| *f == l.fund).unwrap();
            match grouped.iter_mut().find(|(g, _)| *g == key) {
                Some((_, a)) => a[k] += l.yuan,
                None => {
                    let mut a = [Decimal::ZERO; 10];
                    a[k] = l.yuan;
                    grouped.push((key, a));
                }
            }
        }
        detail_sheet(wb, name, is_basic, &grouped);
    }
}

fn detail_sheet(
    wb: &mut Workbook,
    name: &str,
    basic: bool,
    grouped: &[(Vec<String>, [Decimal; 10])],
) {
    let fmt = Format::new();
    let ws = wb.add_worksheet();
    ws.set_name(name).unwrap();
    ws.write_string(0, 0, name.split(' ').nth(1).unwrap()).unwrap();
    ws.write_string(1, 0, "编制部门：云溪市文化广电旅游体育局").unwrap();
    ws.write_string(1, 8, "单位：元").unwrap();
    ws.merge_range(2, 0, 3, 0, "单位名称", &fmt).unwrap();
    ws.merge_range(2, 1, 2, 3, "功能分类科目编码", &fmt).unwrap();
    let (at, parts): (u16, &[&str]) =
        if basic { (7, &["类", "款", "项", "类", "款"]) } else { (6, &["类", "款", "项"]) };
    if basic {
        ws.merge_range(2, 4, 2, 5, "经济分类科目编码", &fmt).unwrap();
        ws.merge_range(2, 6, 3, 6, "功能分类科目名称", &fmt).unwrap();
    } else {
        ws.merge_range(2, 4, 3, 4, "功能分类科目名称", &fmt).unwrap();
        ws.merge_range(2, 5, 3, 5, "项目名称", &fmt).unwrap();
    }
    for (k, h) in parts.iter().enumerate() {
        ws.write_string(3, 1 + k as u16, *h).unwrap();
    }
    for (k, h) in std::iter::once("合计").chain(FUNDS).enumerate() {
        ws.merge_range(2, at + k as u16, 3, at + k as u16, h, &fmt).unwrap();
    }
    let mut r = 4u32;
    let mut sums = [Decimal::ZERO; 10];
    for (key, amounts) in grouped {
        ws.write_string(r, 0, &key[0]).unwrap();
        for (k, part) in [(1, 0..3), (2, 3..5), (3, 5..7)] {
            ws.write_string(r, k, &key[2][part]).unwrap();
        }
        if basic {
            ws.write_string(r, 4, &key[1][..3]).unwrap();
            ws.write_string(r, 5, &key[1][3..]).unwrap();
        } else {
            ws.write_string(r, 5, &key[1]).unwrap();
        }
        num(ws, r, at, amounts.iter().sum());
        for (k, a) in amounts.iter().enumerate() {
            sums[k] += *a;
            if !a.is_zero() {
                num(ws, r, at + 1 + k as u16, *a);
            }
        }
        r += 1;
    }
    ws.write_string(r, 0, "合计").unwrap();
    num(ws, r, at, sums.iter().sum());
    for (k, a) in sums.iter().enumerate() {
        num(ws, r, at + 1 + k as u16, *a);
    }
}

/// A left-right table (收支总表): labels and figures, not compared.
fn left_right(wb: &mut Workbook, name: &str, title: &str) {
    let ws = wb.add_worksheet();
    ws.set_name(name).unwrap();
    ws.write_string(1, 0, title).unwrap();
    ws.write_string(3, 0, "编制部门：云溪市文化广电旅游体育局").unwrap();
    ws.write_string(3, 3, "单位：元").unwrap();
    for (r, l) in ["项目", "一、财政拨款收入", "二、事业收入"].iter().enumerate() {
        ws.write_string(6 + r as u32, 0, *l).unwrap();
    }
}

/// The 三公 table in the 2026 shape: two header rows, 单位:万元.
fn sangong_sheet<R: std::io::Read + std::io::Seek>(
    wb: &mut Workbook,
    x: &mut calamine::Xlsx<R>,
    year: i32,
) {
    use calamine::{Data, Reader};
    let s7 = x.worksheet_range("附表7 一般公共预算“三公”经费支出表").unwrap();
    let this: Vec<f64> = s7
        .rows()
        .nth(4)
        .unwrap()
        .iter()
        .map(|d| if let Data::Float(f) = d { *f } else { 0.0 })
        .collect();
    let fmt = Format::new();
    let ws = wb.add_worksheet();
    ws.set_name("部门“三公”经费和机关运行费预算表").unwrap();
    ws.merge_range(1, 0, 1, 6, &format!("{year}年部门“三公”经费和机关运行经费预算表"), &fmt)
        .unwrap();
    ws.merge_range(2, 0, 2, 2, "编制部门：云溪市文化广电旅游体育局", &fmt).unwrap();
    ws.write_string(2, 6, "单位:万元").unwrap();
    ws.merge_range(3, 0, 3, 5, "“三公”经费预算数", &fmt).unwrap();
    ws.merge_range(3, 6, 5, 6, "机关运行经费预算数", &fmt).unwrap();
    for (c, h) in ["合计", "因公出国(境)费", "公务接待费"].iter().enumerate() {
        ws.merge_range(4, c as u16, 5, c as u16, h, &fmt).unwrap();
    }
    ws.merge_range(4, 3, 4, 5, "公务用车购置及运行费", &fmt).unwrap();
    for (c, h) in ["小计", "购置费", "运行费"].iter().enumerate() {
        ws.write_string(5, 3 + c as u16, *h).unwrap();
    }
    // Ours: 合计, 出国, 车小计, 购置, 运行, 接待 in columns 1…6.
    for (c, k) in [(0u16, 1usize), (1, 2), (2, 6), (3, 3), (4, 4), (5, 5)] {
        ws.write_number(6, c, this[k]).unwrap();
    }
    ws.write_number(6, 6, 115.4).unwrap();
}

/// A path below the folder, as a string for the command line.
pub fn at(dir: &Path, p: &str) -> PathBuf {
    dir.join(p)
}
