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
use crate::import::cell::Value;
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
    /// Header words, and the derived columns whose sum the column holds.
    columns: &'static [(&'static str, &'static [usize])],
}

/// Longer words first: “事业单位经营收入” is not “事业收入”.
const SPECS: [Spec; 6] = [
    Spec {
        table: 1,
        rows: |d| &d.income,
        columns: &[
            ("事业单位经营收入", &[7]),
            ("一般公共预算", &[2]),
            ("政府性基金", &[3]),
            ("国有资本经营", &[4]),
            // 2026's 收入总表 gives the three appropriations as one column.
            ("财政拨款", &[2, 3, 4]),
            ("财政专户", &[5]),
            ("事业收入", &[6]),
            ("其他收入", &[8]),
            ("上年结转", &[1]),
            ("合计", &[0]),
        ],
    },
    Spec { table: 2, rows: |d| &d.spending, columns: SPENDING },
    Spec {
        table: 4,
        rows: |d| &d.general,
        columns: &[
            ("人员", &[2]),
            ("公用", &[3]),
            ("项目支出", &[4]),
            ("基本支出", &[1]),
            ("小计", &[1]),
            ("合计", &[0]),
        ],
    },
    Spec { table: 5, rows: |d| &d.fund, columns: SPENDING },
    Spec { table: 6, rows: |d| &d.capital, columns: SPENDING },
    Spec {
        table: 7,
        rows: |d| &d.general_basic,
        columns: &[("人员", &[1]), ("公用", &[2]), ("合计", &[0])],
    },
];

const SPENDING: &[(&str, &[usize])] = &[("基本支出", &[1]), ("项目支出", &[2]), ("合计", &[0])];

/// At least three of the platform's sheets, by name or by title, whatever
/// their numbering.
pub fn recognise(book: &Book) -> bool {
    let titled = |s: &Sheet| is_table(&crate::import::book::strip_year(&s.title()));
    book.sheets.iter().filter(|s| is_table(&s.name) || titled(s)).count() >= 3
}

/// The line items from the two detail sheets when the workbook has them
/// (else the data file's items stay and are checked), and the 三公
/// figures; the tables are compared after the merge ([`reconcile`]).
pub fn read(book: &Book, b: &Budget) -> Imported {
    let mut out = Imported {
        unit: sheet(book, 1).or_else(|| sheet(book, 2)).and_then(|s| unit_of(s, b)),
        year: year(book),
        ..Imported::default()
    };
    let found = [Detail::Projects, Detail::Basic].map(|d| (d, detail::find(book, d)));
    if found.iter().all(|(_, s)| s.is_none()) {
        if b.line_items.is_empty() {
            out.problems.push(at("", "区级平台按表导出的各表是按科目的汇总数，分不出项目、单位与经济分类，不能据以生成预算明细；数据文件中也还没有预算明细可供核对")
                .expected("导出时带上项目支出明细表与基本支出明细表，或先导入同一平台的预算明细导出（每行一条明细），再导入本工作簿核对各表并取“三公”经费"));
            out.problems.extend([Detail::Projects, Detail::Basic].map(missing_detail));
            return out;
        }
        out.cover = crate::import::Cover::Nothing;
        out.problems.push(Problem::warning("", "工作簿没有项目支出明细表和基本支出明细表：预算明细不变，只与各表逐格核对，并导入“三公”经费"));
    } else {
        for (d, sheet) in found {
            match sheet.map(|s| detail::read(s, d, b, out.unit)) {
                Some(Ok((rows, notes))) => {
                    out.rows.extend(rows);
                    out.problems.extend(notes);
                }
                Some(Err(p)) => out.problems.extend(p),
                None => out.problems.push(missing_detail(d)),
            }
        }
    }
    read_sangong(book, b, &mut out);
    out
}

/// The 三公 sheet: the department's figures, or a unit's own when the
/// workbook is a unit's (imported only with every unit's workbook).
fn read_sangong(book: &Book, b: &Budget, out: &mut Imported) {
    let Some(s) = sheet(book, 8) else {
        out.problems.push(at("", format!("缺少工作表“{}”", SHEETS[8])));
        return;
    };
    match sangong(s) {
        Ok(Some((f, place))) => match out.unit.filter(|_| b.units.len() > 1) {
            Some(u) => out.unit_sangong = Some((u, f, place)),
            None => out.sangong = Some((f, place)),
        },
        Ok(None) => {}
        Err(p) => out.problems.extend(p),
    }
}

/// The budget year the tables' titles name (“2025年部门收入预算总表”).
pub fn year(book: &Book) -> Option<(i32, String)> {
    (0..SHEETS.len()).filter_map(|k| sheet(book, k)).find_map(title_year)
}

/// The year a sheet's title row names, with its cell.
pub fn title_year(s: &Sheet) -> Option<(i32, String)> {
    s.rows_from(0).take_while(|&r| r < 4).find_map(|r| {
        let (c, t) = s.first_text(r)?;
        let i = t.find('年')?;
        let digits: String = t[..i]
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let y: i32 = digits.parse().ok().filter(|_| digits.len() == 4)?;
        let title = t.contains('表') || t.contains("预算") || t.contains("明细");
        ((1990..2100).contains(&y) && title).then(|| (y, s.place(r, c)))
    })
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
    s.rows_from(1).find(|&r| {
        s.row_cells(r).take_while(|(c, _)| *c < 3).any(|(_, v)| {
            let t = cell::squeezed(&v);
            t == "合计" || t == "总计" || cell::code(&v, 1).is_some()
        })
    })
}

/// The first header row: the one after the 编制部门/单位 line.
pub(crate) fn head_start(s: &Sheet) -> u32 {
    s.rows_from(0)
        .take_while(|&r| r < 6)
        .find(|&r| s.row_cells(r).any(|(_, v)| editor(&cell::squeezed(&v)).is_some()))
        .map_or(1, |r| r + 1)
}

/// What a 编制部门/编制单位 line names: “编制部门：云溪市文化局” → “云溪市文化局”
/// (“” when the name is left blank).
fn editor(t: &str) -> Option<&str> {
    ["编制部门", "编制单位", "单位名称"]
        .iter()
        .find_map(|w| t.strip_prefix(w))
        .and_then(|rest| rest.strip_prefix(['：', ':']))
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
    let line = s.rows_from(0).take_while(|&r| r < 6).find_map(|r| {
        s.row_cells(r).find_map(|(_, v)| editor(&cell::squeezed(&v)).map(str::to_string))
    })?;
    if line.is_empty() {
        return None;
    }
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
    let value_cols: Vec<(u32, &[usize])> = (0..heads.len() as u32)
        .filter(|c| !code_cols.contains(c))
        .filter_map(|c| {
            let h = heads[c as usize].as_str();
            spec.columns.iter().find(|(w, _)| names(h, w)).map(|(_, k)| (c, *k))
        })
        .collect();
    let wan = crate::import::standard::unit_of(s).unwrap_or(false);
    let mut problems = Vec::new();
    let mut seen = Vec::new();
    let mut above: Vec<String> = vec![String::new(); code_cols.len()];
    let rows: Vec<u32> = s.rows_from(body).collect();
    for r in rows {
        let code = match row_code(s, r, &code_cols, &mut above) {
            Ok(Some(c)) => c,
            Ok(None) => {
                problems.extend(uncoded(s, r, &value_cols, code_cols.first().copied()));
                continue;
            }
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        let row = derived.iter().find(|d| d.code == code);
        seen.push(code.clone());
        for &(c, ks) in &value_cols {
            let want = ks
                .iter()
                .map(|&k| row.and_then(|d| d.values.get(k)).copied().unwrap_or_default())
                .fold(Amount::ZERO, |a, b| a + b);
            compare(s, (r, c), want, wan, &mut problems);
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

/// Whether a row is a 合计 or 总计 row (`true`) or a 小计 (`false`): one
/// of its text cells says so, wherever it stands (a 序号 may come first).
pub(crate) fn total_word(s: &Sheet, r: u32) -> Option<bool> {
    s.row_cells(r).find_map(|(_, v)| match v {
        Value::Text(t) if t.contains('计') => match cell::squeezed(&v).as_str() {
            "合计" | "总计" => Some(true),
            "小计" => Some(false),
            _ => None,
        },
        _ => None,
    })
}

/// A row without a 科目 code is layout (a title, a note merged across the
/// table, a spacer, a “…” placeholder) unless it holds an amount: then
/// nobody can say where that amount belongs.
fn uncoded(s: &Sheet, r: u32, value_cols: &[(u32, &[usize])], first: Option<u32>) -> Vec<Problem> {
    let held = value_cols.iter().find(|(c, _)| {
        s.region_at(r, *c).is_none_or(|m| m.start == (r, *c))
            && s.amount(r, *c, 6).ok().flatten().is_some_and(|a| !a.is_zero())
    });
    match held {
        Some(&(c, _)) => vec![
            at(s.place(r, c), "这一行有金额，但没有科目编码：不知道它属于哪个科目")
                .expected(format!("在 {} 一行写上类、款、项", s.place(r, first.unwrap_or(0)))),
        ],
        None => Vec::new(),
    }
}

/// The 科目 code of a row (“” for 合计), from one code column or from 类,
/// 款 and 项; a blank part is the one of the row above. `None` for a row
/// with no code (a note, a blank row): a row is data when it holds a code.
/// A code merged down over several rows is refused (every row but the
/// first would lose it); merged across, as a note row is, it is layout.
pub(crate) fn row_code(
    s: &Sheet,
    r: u32,
    cols: &[u32],
    above: &mut [String],
) -> Result<Option<String>, Problem> {
    if total_word(s, r) == Some(true) {
        return Ok(Some(String::new()));
    }
    let widths = [3, 2, 2];
    let mut parts = Vec::new();
    for (k, &c) in cols.iter().enumerate() {
        let width = if cols.len() == 1 { 1 } else { widths.get(k).copied().unwrap_or(2) };
        parts.push(cell::code(&s.value(r, c), width));
    }
    let last = parts.iter().rposition(Option::is_some);
    let Some(last) = last else { return Ok(None) };
    for &c in cols {
        if s.region_at(r, c).is_some_and(|m| m.end.0 > m.start.0) {
            let range = s.merged_at(r, c).unwrap_or_default();
            return Err(at(
                s.place(r, c),
                format!("科目编码在合并单元格 {range} 中：合并的行除第一行外都没有编码"),
            )
            .expected("取消合并，每行写全类、款、项"));
        }
    }
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

/// One cell against the derived figure, in the sheet's unit (元, or 万元
/// when its 单位 line says so), to the cent.
fn compare(s: &Sheet, (r, c): (u32, u32), want: Amount, wan: bool, problems: &mut Vec<Problem>) {
    let (want, decimals, unit) = match wan {
        true => (want.0.round_dp(6), 6, "万元"),
        false => ((want.0 * Decimal::from(10_000)).round_dp(2), 2, "元"),
    };
    match s.amount(r, c, decimals) {
        Ok(found) if found.unwrap_or_default() == want => {}
        Ok(found) => {
            let shown = found.map_or("空".to_string(), |f| f.normalize().to_string());
            problems.push(
                at(
                    s.place(r, c),
                    format!("与数据文件的预算明细推算的数不符：表中为 {shown} {unit}"),
                )
                .expected(format!("{} {unit}", want.normalize())),
            );
        }
        Err(p) => problems.push(p),
    }
}

/// The four 三公 items by the words of their headers (or row labels).
const SANGONG: [&str; 4] = ["出国", "购置费", "运行", "接待"];

/// The 三公 sheet (万元 unless its 单位 line says 元): the first row of
/// figures under its header, or, when the items are rows, the figure
/// beside each label. A table with the headers and no figures (the empty
/// table with its note, “故本表为空表”) is all zero.
fn sangong(s: &Sheet) -> Result<Option<(SangongFigures, String)>, Vec<Problem>> {
    let decimals = if crate::import::standard::unit_of(s) == Some(false) { 2 } else { 6 };
    let body = s.rows_from(1).find(|&r| s.row_cells(r).any(|(_, v)| matches!(v, Value::Number(_))));
    let heads = headers(s, head_start(s), body.unwrap_or(s.rows()));
    let col = |word: &str| {
        heads.iter().position(|h| h.contains(word) && !h.contains("机关运行")).map(|c| c as u32)
    };
    let cells: Vec<Option<(u32, u32)>> = match (col("出国"), body) {
        (Some(_), Some(r)) => SANGONG.iter().map(|w| col(w).map(|c| (r, c))).collect(),
        (Some(_), None) => return Ok(Some((SangongFigures::default(), s.name.clone()))),
        (None, _) => SANGONG.iter().map(|w| beside(s, w)).collect(),
    };
    if cells.iter().all(Option::is_none) {
        return Ok(None);
    }
    let mut problems = Vec::new();
    let mut get = |k: usize| match cells[k].map(|(r, c)| s.amount(r, c, decimals)) {
        Some(Ok(v)) => wan(v.unwrap_or_default(), decimals),
        Some(Err(p)) => {
            problems.push(p);
            Amount::ZERO
        }
        None => Amount::ZERO,
    };
    let f = SangongFigures {
        overseas: get(0),
        vehicle_purchase: get(1),
        vehicle_operation: get(2),
        reception: get(3),
        stated_total: None,
        stated_vehicle: None,
    };
    if let (Some(c), Some(r)) = (col("合计"), body) {
        let sum = f.overseas + f.vehicle_purchase + f.vehicle_operation + f.reception;
        if let Ok(Some(found)) = s.amount(r, c, decimals)
            && wan(found, decimals) != sum
        {
            problems.push(
                at(s.place(r, c), format!("合计与各项之和不符：表中为 {}", found.normalize()))
                    .expected(sum.to_string()),
            );
        }
    }
    let place = cells.iter().flatten().next().map_or(s.name.clone(), |&(r, c)| s.place(r, c));
    if problems.is_empty() { Ok(Some((f, place))) } else { Err(problems) }
}

fn wan(v: Decimal, decimals: u32) -> Amount {
    Amount(if decimals == 2 { v / Decimal::from(10_000) } else { v })
}

/// The first number right of the label that names `word`, when the 三公
/// items are rows (“因公出国（境）费 | 12.5”).
fn beside(s: &Sheet, word: &str) -> Option<(u32, u32)> {
    s.rows_from(0).find_map(|r| {
        let (lc, _) = s.row_cells(r).find(|(_, v)| {
            let t = cell::squeezed(v);
            t.contains(word) && !t.contains("机关运行") && !t.contains("及")
        })?;
        s.row_cells(r)
            .find(|(c, v)| {
                *c > lc
                    && matches!(v, Value::Number(_) | Value::Text(_))
                    && cell::amount(v, 6).is_ok_and(|a| a.is_some())
            })
            .map(|(c, _)| (r, c))
    })
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
