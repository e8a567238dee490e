//! 第二种格式：区级平台（上海各区）导出的工作簿，每张表一个工作表，表名前可有“1.3”“3.15”之类的编号。
//!
//! Its nine tables are sums by 科目 (类 | 款 | 项 in three columns, in 元):
//! they cannot say which project, unit or economic class a figure belongs
//! to, so line items are never guessed from them. Line items come from the
//! two detail sheets when the workbook has them ([`detail`]); then, or
//! else against the line items already in the data file, every figure of
//! every table is compared with what yusuan derives: a mismatch is reported
//! at its cell and refuses the import. The 三公 figures (in 万元) are read.
//! A workbook of one 单位 (its 编制部门 line names a unit of the data file)
//! is compared with that unit's items alone.

use rust_decimal::Decimal;

use crate::diag::Problem;
use crate::import::book::{Book, Sheet, meaning};
use crate::import::detail::{self, Detail};
use crate::import::{Imported, at, cell};
use crate::model::amount::Amount;
use crate::model::ledger::{ClassRow, Derivation};
use crate::model::{Budget, SangongFigures};

/// The platform's table sheets, by meaning.
pub const SHEETS: [&str; 9] = [
    "部门收支总表",
    "部门收入总表",
    "部门支出总表",
    "部门财政拨款收支总表",
    "部门一般公共预算拨款表",
    "部门政府性基金拨款表",
    "部门国有资本经营预算拨款表",
    "部门一般公共预算拨款基本支出明细表",
    "部门“三公”经费和机关运行费预算表",
];

/// Other names of the same tables, by meaning: the 单位 workbook's
/// (“2.16单位收入总表”), and the longer titles of the series the
/// disclosure prints (“3.21部门一般公共预算支出功能分类预算表”,
/// “3.25部门“三公”经费和机关运行经费预算表”).
const ALIASES: [&[&str]; 9] = [
    &["单位收支总表", "部门财务收支总表", "部门财务收支预算总表"],
    &["单位收入总表", "部门收入预算总表"],
    &["单位支出总表", "部门支出预算总表"],
    &["单位财政拨款收支总表", "部门财政拨款收支预算总表"],
    &["单位一般公共预算拨款表", "部门一般公共预算支出功能分类预算表"],
    &["单位政府性基金拨款表", "部门政府性基金预算支出功能分类预算表"],
    &["单位国有资本经营预算拨款表", "部门国有资本经营预算支出功能分类预算表"],
    &["单位一般公共预算拨款基本支出明细表", "部门一般公共预算基本支出部门预算经济分类预算表"],
    &["单位“三公”经费和机关运行费预算表", "部门“三公”经费和机关运行经费预算表"],
];

/// The sheet of table `k` (an index into [`SHEETS`]), under any of its names.
pub fn sheet(book: &Book, k: usize) -> Option<&Sheet> {
    std::iter::once(SHEETS[k]).chain(ALIASES[k].iter().copied()).find_map(|n| book.sheet(n))
}

/// Whether a sheet name is one of the nine tables', under any name.
pub fn is_table(name: &str) -> bool {
    let m = meaning(name);
    SHEETS.iter().chain(ALIASES.iter().flat_map(|a| a.iter())).any(|t| m.ends_with(&meaning(t)))
}

/// A table by 科目 compared column by column: its sheet, the derived rows,
/// and each column's header words with the derived value it holds.
struct Spec {
    /// Index into [`SHEETS`].
    table: usize,
    rows: fn(&Derivation) -> &Vec<ClassRow>,
    columns: &'static [(&'static str, usize)],
}

/// Longer words first: “事业单位经营收入” is not “事业收入”.
const SPECS: [Spec; 6] = [
    Spec {
        table: 1,
        rows: |d| &d.income,
        columns: &[
            ("事业单位经营收入", 7),
            ("一般公共预算", 2),
            ("政府性基金", 3),
            ("国有资本经营", 4),
            ("财政专户", 5),
            ("事业收入", 6),
            ("其他收入", 8),
            ("上年结转", 1),
            ("合计", 0),
        ],
    },
    Spec { table: 2, rows: |d| &d.spending, columns: SPENDING },
    Spec {
        table: 4,
        rows: |d| &d.general,
        columns: &[
            ("人员", 2),
            ("公用", 3),
            ("项目支出", 4),
            ("基本支出", 1),
            ("小计", 1),
            ("合计", 0),
        ],
    },
    Spec { table: 5, rows: |d| &d.fund, columns: SPENDING },
    Spec { table: 6, rows: |d| &d.capital, columns: SPENDING },
    Spec {
        table: 7,
        rows: |d| &d.general_basic,
        columns: &[("人员", 1), ("公用", 2), ("合计", 0)],
    },
];

const SPENDING: &[(&str, usize)] = &[("基本支出", 1), ("项目支出", 2), ("合计", 0)];

/// At least three of the platform's sheets, whatever their numbering.
pub fn recognise(book: &Book) -> bool {
    book.sheets.iter().filter(|s| is_table(&s.name)).count() >= 3
}

/// The line items from the two detail sheets when the workbook has them
/// (else the data file's items stay and are checked), and the 三公
/// figures; the tables are compared after the merge ([`reconcile`]).
pub fn read(book: &Book, b: &Budget) -> Imported {
    let mut out = Imported::default();
    let found = [Detail::Projects, Detail::Basic].map(|d| (d, detail::find(book, d)));
    if found.iter().all(|(_, s)| s.is_none()) {
        if b.line_items.is_empty() {
            out.problems.push(at("", "区级平台按表导出的各表是按科目的汇总数，分不出项目、单位与经济分类，不能据以生成预算明细；数据文件中也还没有预算明细可供核对")
                .expected("导出时带上项目支出明细表与基本支出明细表，或先导入同一平台的预算明细导出（每行一条明细），再导入本工作簿核对各表并取“三公”经费"));
            out.problems.extend([Detail::Projects, Detail::Basic].map(missing_detail));
            return out;
        }
        out.keep_items = true;
        out.problems.push(Problem::warning("", "工作簿没有项目支出明细表和基本支出明细表：预算明细不变，只与各表逐格核对，并导入“三公”经费"));
    } else {
        for (d, sheet) in found {
            match sheet.map(|s| detail::read(s, d, b)) {
                Some(Ok(rows)) => out.rows.extend(rows),
                Some(Err(p)) => out.problems.extend(p),
                None => out.problems.push(missing_detail(d)),
            }
        }
    }
    match sheet(book, 8) {
        Some(s) if unit_of(s, b).is_some() && b.units.len() > 1 => out.problems.push(
            Problem::warning(s.place(0, 0), "这是一个单位的工作簿：其“三公”经费只是该单位的数，不导入（部门的“三公”经费请用部门的工作簿）"),
        ),
        Some(s) => match sangong(s) {
            Ok(f) => out.sangong = f,
            Err(p) => out.problems.extend(p),
        },
        None => out.problems.push(at("", format!("缺少工作表“{}”", SHEETS[8]))),
    }
    out
}

/// One detail sheet without the other: the items it would give are not in
/// the nine tables at that grain.
fn missing_detail(d: Detail) -> Problem {
    let why = match d {
        Detail::Projects => {
            "项目支出的项目名称只在项目支出明细表中；各拨款表只有按科目的项目支出合计"
        }
        Detail::Basic => {
            "基本支出的经济分类只在基本支出明细表中；一般公共预算拨款基本支出明细表只按经济分类汇总，不分功能分类、单位与资金来源"
        }
    };
    at("", format!("缺少{}：{why}", d.title()))
        .expected("两张明细表一起导出；或不带明细表，只核对各表（预算明细由预算明细导出导入）")
}

/// The header block: rows after the title and 编制部门 lines, down to the
/// first row that starts with a code or 合计.
fn body_start(s: &Sheet) -> Option<u32> {
    (1..s.rows()).find(|&r| {
        (0..s.cols().min(3)).any(|c| {
            let t = cell::squeezed(&s.value(r, c));
            t == "合计" || t == "总计" || cell::code(&s.value(r, c), 1).is_some()
        })
    })
}

/// The first header row: the one after the 编制部门/单位 line.
pub(crate) fn head_start(s: &Sheet) -> u32 {
    (0..s.rows().min(6))
        .find(|&r| (0..s.cols()).any(|c| cell::squeezed(&s.value(r, c)).starts_with("编制部门")))
        .map_or(1, |r| r + 1)
}

/// Each column's header: its lowest non-empty text in the header block.
fn headers(s: &Sheet, from: u32, to: u32) -> Vec<String> {
    (0..s.cols())
        .map(|c| {
            (from..to)
                .rev()
                .map(|r| cell::squeezed(&s.value(r, c)))
                .find(|t| !t.is_empty())
                .unwrap_or_default()
        })
        .collect()
}

/// The unit a workbook is of, when its 编制部门 names a unit other than
/// the department: its index.
pub(crate) fn unit_of(s: &Sheet, b: &Budget) -> Option<usize> {
    let line = (0..s.rows().min(6)).flat_map(|r| (0..s.cols()).map(move |c| (r, c))).find_map(
        |(r, c)| {
            let t = cell::squeezed(&s.value(r, c));
            t.strip_prefix("编制部门：")
                .or_else(|| t.strip_prefix("编制单位："))
                .map(str::to_string)
        },
    )?;
    let d = &b.document;
    if line == d.department || Some(&line) == d.short_name.as_ref() {
        return None;
    }
    crate::model::lineitems::unit_index(b, Some(&line))
}

/// Compares every table by 科目 with what the data file's line items give.
pub fn reconcile(book: &Book, b: &Budget) -> Vec<Problem> {
    let mut problems = Vec::new();
    for spec in &SPECS {
        let Some(s) = sheet(book, spec.table) else {
            problems.push(at("", format!("缺少工作表“{}”", SHEETS[spec.table])));
            continue;
        };
        let d = derivation(b, unit_of(s, b));
        problems.extend(table(s, spec, (spec.rows)(&d)));
    }
    problems
}

/// The derivation of the whole file, or of one unit's items.
fn derivation(b: &Budget, unit: Option<usize>) -> Derivation {
    match unit {
        None => crate::model::ledger::derive(b),
        Some(u) => {
            let mut one = b.clone();
            let keep: Vec<bool> =
                crate::model::lineitems::items(b).iter().map(|i| i.unit == u).collect();
            let mut k = keep.iter();
            one.line_items.retain(|_| *k.next().unwrap_or(&false));
            crate::model::ledger::derive(&one)
        }
    }
}

/// One sheet: each row's 科目 found among the derived rows, each mapped
/// column compared (in 元, to the cent); derived rows the sheet lacks are
/// reported too.
fn table(s: &Sheet, spec: &Spec, derived: &[ClassRow]) -> Vec<Problem> {
    // An empty table (no 科目 rows) is right when nothing is derived.
    let body = body_start(s).unwrap_or(s.rows());
    let heads = headers(s, head_start(s), body);
    let code_cols: Vec<u32> = (0..heads.len() as u32)
        .filter(|&c| {
            ["类", "款", "项"].contains(&heads[c as usize].as_str())
                || heads[c as usize].contains("编码")
        })
        .collect();
    let value_cols: Vec<(u32, usize)> = (0..heads.len() as u32)
        .filter(|c| !code_cols.contains(c))
        .filter_map(|c| {
            let h = heads[c as usize].as_str();
            spec.columns.iter().find(|(w, _)| names(h, w)).map(|(_, k)| (c, *k))
        })
        .collect();
    let mut problems = Vec::new();
    let mut seen = Vec::new();
    let mut above: Vec<String> = vec![String::new(); code_cols.len()];
    for r in body..s.rows() {
        let code = match row_code(s, r, &code_cols, &mut above) {
            Ok(Some(c)) => c,
            Ok(None) => continue,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        let row = derived.iter().find(|d| d.code == code);
        seen.push(code.clone());
        for &(c, k) in &value_cols {
            let want = row.and_then(|d| d.values.get(k)).copied().unwrap_or_default();
            compare(s, r, c, want, &mut problems);
        }
    }
    for d in
        derived.iter().filter(|d| !seen.contains(&d.code) && d.values.iter().any(|v| !v.is_zero()))
    {
        problems.push(at(
            s.name.clone(),
            format!("缺少科目 {} {} 的行：预算明细中它有 {} 万元", d.code, d.name, d.values[0]),
        ));
    }
    problems
}

/// Whether a column header names a figure: 合计 and 小计 only as the
/// whole header (“财政拨款合计” is a subtotal of some columns, not the
/// row's total), the other words anywhere in it.
fn names(header: &str, word: &str) -> bool {
    match word {
        "合计" | "小计" => header == word || (header == "总计" && word == "合计"),
        _ => header.contains(word),
    }
}

/// The 科目 code of a row (“” for 合计), from one code column or from 类,
/// 款 and 项; a blank part is the one of the row above, a merged one is
/// refused. `None` for a row with no code (a note, a blank row).
pub(crate) fn row_code(
    s: &Sheet,
    r: u32,
    cols: &[u32],
    above: &mut [String],
) -> Result<Option<String>, Problem> {
    let first =
        (0..s.cols().min(4)).map(|c| cell::squeezed(&s.value(r, c))).find(|t| !t.is_empty());
    if matches!(first.as_deref(), Some("合计") | Some("总计")) {
        return Ok(Some(String::new()));
    }
    let widths = [3, 2, 2];
    let mut parts = Vec::new();
    for (k, &c) in cols.iter().enumerate() {
        if let Some(range) = s.merged_at(r, c) {
            return Err(at(s.place(r, c), format!("科目编码在合并单元格 {range} 中"))
                .expected("取消合并，每行写全类、款、项"));
        }
        let width = if cols.len() == 1 { 1 } else { widths.get(k).copied().unwrap_or(2) };
        parts.push(cell::code(&s.value(r, c), width));
    }
    let last = parts.iter().rposition(Option::is_some);
    let Some(last) = last else { return Ok(None) };
    let mut code = String::new();
    for (k, p) in parts.iter().enumerate().take(last + 1) {
        let part = match p {
            Some(p) => p.clone(),
            None => above[k].clone(),
        };
        above[k] = part.clone();
        code.push_str(&part);
    }
    Ok(Some(code))
}

fn compare(s: &Sheet, r: u32, c: u32, want: Amount, problems: &mut Vec<Problem>) {
    let yuan = (want.0 * Decimal::from(10_000)).round_dp(2);
    match s.amount(r, c, 2) {
        Ok(found) if found.unwrap_or_default() == yuan => {}
        Ok(found) => {
            let shown = found.map_or("空".to_string(), |f| f.normalize().to_string());
            problems.push(
                at(s.place(r, c), format!("与数据文件的预算明细推算的数不符：表中为 {shown} 元"))
                    .expected(format!("{} 元", yuan.normalize())),
            );
        }
        Err(p) => problems.push(p),
    }
}

/// The 三公 sheet (万元): the first row of figures under its header.
fn sangong(s: &Sheet) -> Result<Option<(SangongFigures, String)>, Vec<Problem>> {
    let Some(body) = (1..s.rows())
        .find(|&r| (0..s.cols()).any(|c| matches!(s.value(r, c), cell::Value::Number(_))))
    else {
        return Ok(None);
    };
    let heads = headers(s, head_start(s), body);
    let col = |word: &str| {
        heads.iter().position(|h| h.contains(word) && !h.contains("机关运行")).map(|c| c as u32)
    };
    let mut problems = Vec::new();
    let mut get = |word: &str| match col(word).map(|c| s.amount(body, c, 6)) {
        Some(Ok(v)) => Amount(v.unwrap_or_default()),
        Some(Err(p)) => {
            problems.push(p);
            Amount::ZERO
        }
        None => Amount::ZERO,
    };
    let f = SangongFigures {
        overseas: get("出国"),
        vehicle_purchase: get("购置费"),
        vehicle_operation: get("运行"),
        reception: get("接待"),
        stated_total: None,
        stated_vehicle: None,
    };
    if let Some(c) = col("合计") {
        let sum = f.overseas + f.vehicle_purchase + f.vehicle_operation + f.reception;
        if let Ok(Some(found)) = s.amount(body, c, 6)
            && found != sum.0
        {
            problems.push(
                at(s.place(body, c), format!("合计与各项之和不符：表中为 {}", found.normalize()))
                    .expected(sum.to_string()),
            );
        }
    }
    if problems.is_empty() { Ok(Some((f, s.place(body, 0)))) } else { Err(problems) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_known_under_each_series_name() {
        for name in [
            "3.16部门收入总表",
            "2.16单位收入总表",
            "1.3部门财务收支总表",
            "3.21部门一般公共预算支出功能分类预算表",
            "2.23单位一般公共预算拨款基本支出明细表",
            "3.24部门一般公共预算基本支出部门预算经济分类预算表",
            "3.25部门“三公”经费和机关运行经费预算表",
        ] {
            assert!(is_table(name), "{name}");
        }
        assert!(!is_table("3.10 部门项目支出明细表"));
        assert!(!is_table("3.11部门主要职能（部门）"));
    }
}
