//! 明细导出（第三种格式）：每行一条预算明细——预算单位、项目、支出功能分类、部门预算经济分类、
//! 资金性质、金额。yusuan 自己写出的“预算明细”工作表也是这种格式。
//!
//! Columns are found by the meaning of their header, in any order; a header
//! that means nothing known is refused (a column silently dropped could be
//! a figure lost). The workbook's own 合计/总计 rows are not items: each is
//! compared with the sum of the items above it.

use rust_decimal::Decimal;

use crate::diag::Problem;
use crate::import::book::{Book, Sheet};
use crate::import::{Imported, Kind, Row, at, cell};
use crate::model::Budget;
use crate::model::catalogue::{Scheme, Verdict};
use crate::model::lineitems::Source;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Unit,
    Project,
    Kind,
    Function,
    FunctionName,
    Economic,
    EconomicName,
    Source,
    CarriedFrom,
    Amount,
    Ignored,
}

/// Header words, squeezed, by role; the first match wins, so the more
/// specific words come first.
const HEADERS: &[(&str, Role)] = &[
    ("单位编码", Role::Ignored),
    ("预算单位编码", Role::Ignored),
    ("项目编码", Role::Ignored),
    ("项目代码", Role::Ignored),
    ("序号", Role::Ignored),
    ("备注", Role::Ignored),
    ("项目类别", Role::Ignored),
    ("预算单位", Role::Unit),
    ("单位名称", Role::Unit),
    ("单位", Role::Unit),
    ("项目名称", Role::Project),
    ("项目", Role::Project),
    ("支出类型", Role::Kind),
    ("支出类别", Role::Kind),
    ("经费类型", Role::Kind),
    ("原资金性质", Role::CarriedFrom),
    ("结转资金来源", Role::CarriedFrom),
    ("资金性质", Role::Source),
    ("资金来源", Role::Source),
];

fn role(header: &str) -> Option<Role> {
    if let Some((_, r)) = HEADERS.iter().find(|(h, _)| *h == header) {
        return Some(*r);
    }
    let named = header.contains("名称");
    if header.contains("功能分类") {
        return Some(if named { Role::FunctionName } else { Role::Function });
    }
    if header.contains("经济分类") {
        return Some(if named { Role::EconomicName } else { Role::Economic });
    }
    if header.starts_with("金额") || header.starts_with("预算数") || header.starts_with("预算金额")
    {
        return Some(Role::Amount);
    }
    None
}

/// The header row found: the column of each role and the amounts' unit.
struct Columns {
    of: Vec<(Role, u32)>,
    /// 6 decimals in 万元, 2 in 元.
    wan: bool,
}

impl Columns {
    fn col(&self, r: Role) -> Option<u32> {
        self.of.iter().find(|(x, _)| *x == r).map(|(_, c)| *c)
    }
}

/// The first rows a header may be in (after a title and a unit line).
const HEADER_SEARCH: u32 = 15;

/// The row holding a 功能分类 and a 金额 header, if any.
fn header_row(s: &Sheet) -> Option<u32> {
    (0..s.rows().min(HEADER_SEARCH)).find(|&r| {
        let cells: Vec<String> = (0..s.cols()).map(|c| cell::squeezed(&s.value(r, c))).collect();
        cells.iter().any(|h| h.contains("功能分类"))
            && cells.iter().any(|h| role(h) == Some(Role::Amount))
    })
}

/// The first sheet that has a line-item header.
pub fn header_sheet(book: &Book) -> Option<&Sheet> {
    book.sheets.iter().find(|s| header_row(s).is_some())
}

/// Reads a line-item export: its first sheet with a line-item header.
pub fn read_book(book: &Book, b: &Budget) -> Imported {
    match header_sheet(book) {
        Some(s) => read_sheet(s, b),
        None => Imported {
            problems: vec![Problem::error(
                "",
                "工作簿中没有预算明细表：找不到同时有“支出功能分类”和“金额”列标题的工作表",
            )],
            ..Imported::default()
        },
    }
}

/// Reads every item row of one sheet.
pub fn read_sheet(s: &Sheet, b: &Budget) -> Imported {
    let mut out = Imported::default();
    let Some(row) = header_row(s) else {
        out.problems.push(at(s.name.clone(), "找不到列标题行（须有“支出功能分类”和“金额”）"));
        return out;
    };
    let cols = match columns(s, row) {
        Ok(c) => c,
        Err(p) => {
            out.problems.extend(p);
            return out;
        }
    };
    rows(s, row, &cols, b, &mut out);
    out
}

/// The rows below the header: items read, the workbook's 合计 and 小计
/// rows checked against the items above them.
fn rows(s: &Sheet, header: u32, cols: &Columns, b: &Budget, out: &mut Imported) {
    // Sums since the last 合计 and since the last 小计 (a unit's or a
    // project's subtotal, which budget-system exports insert).
    let (mut since_total, mut since_sub) = (Decimal::ZERO, Decimal::ZERO);
    for r in header + 1..s.rows() {
        let what = match total_kind(s, r) {
            Some(Total::All) => (since_total, "合计与以上各行之和不符"),
            Some(Total::Sub) => (since_sub, "小计与上一个小计以来各行之和不符"),
            None => {
                match item(s, r, cols, b) {
                    Ok(Some(item)) => {
                        since_total += item.amount;
                        since_sub += item.amount;
                        out.rows.push(item);
                    }
                    Ok(None) => {}
                    Err(p) => out.problems.push(p),
                }
                continue;
            }
        };
        check_total(s, r, cols, what, &mut out.problems);
        if matches!(total_kind(s, r), Some(Total::All)) {
            since_total = Decimal::ZERO;
        }
        since_sub = Decimal::ZERO;
    }
}

/// Maps each header cell to its role; unknown headers and missing
/// required ones are problems.
fn columns(s: &Sheet, row: u32) -> Result<Columns, Vec<Problem>> {
    let mut of = Vec::new();
    let mut problems = Vec::new();
    let mut wan = unit_line_says_wan(s, row);
    for c in 0..s.cols() {
        let h = cell::squeezed(&s.value(row, c));
        if h.is_empty() {
            continue;
        }
        match role(&h) {
            Some(Role::Amount) => {
                wan = wan || h.contains("万元");
                of.push((Role::Amount, c));
            }
            Some(r) => of.push((r, c)),
            None => problems.push(
                at(s.place(row, c), format!("不认识的列标题“{h}”")).expected(known_headers()),
            ),
        }
    }
    for (need, word) in [(Role::Function, "支出功能分类"), (Role::Amount, "金额")] {
        if !of.iter().any(|(r, _)| *r == need) {
            problems.push(at(s.place(row, 0), format!("列标题行缺少“{word}”列")));
        }
    }
    if problems.is_empty() { Ok(Columns { of, wan }) } else { Err(problems) }
}

fn known_headers() -> String {
    "预算单位、项目名称、支出类型、支出功能分类、部门预算经济分类、资金性质、金额（元）或金额（万元）；\
     可有而不读的列：序号、单位编码、项目编码、项目类别、备注"
        .to_string()
}

/// A “单位：万元” line above the header.
fn unit_line_says_wan(s: &Sheet, header: u32) -> bool {
    (0..header).any(|r| {
        (0..s.cols()).any(|c| {
            let t = cell::squeezed(&s.value(r, c));
            t.starts_with("单位") && t.contains("万元")
        })
    })
}

/// A row the workbook sums itself.
enum Total {
    /// 合计、总计：everything since the last such row.
    All,
    /// 小计：everything since the last 小计 or 合计.
    Sub,
}

/// Whether a row's first text says 合计, 总计 or 小计.
fn total_kind(s: &Sheet, r: u32) -> Option<Total> {
    let first = (0..s.cols()).map(|c| cell::squeezed(&s.value(r, c))).find(|t| !t.is_empty())?;
    match first.as_str() {
        "合计" | "总计" => Some(Total::All),
        "小计" => Some(Total::Sub),
        _ => None,
    }
}

fn check_total(
    s: &Sheet,
    r: u32,
    cols: &Columns,
    (sum, what): (Decimal, &str),
    problems: &mut Vec<Problem>,
) {
    let Some(c) = cols.col(Role::Amount) else { return };
    match s.amount(r, c, decimals(cols)) {
        Ok(found) => {
            let found = found.unwrap_or_default();
            let expected = if cols.wan { sum } else { sum * Decimal::from(10_000) };
            if found != expected {
                problems.push(
                    at(s.place(r, c), format!("{what}：表中为 {}", found.normalize()))
                        .expected(expected.normalize().to_string()),
                );
            }
        }
        Err(p) => problems.push(p),
    }
}

fn decimals(cols: &Columns) -> u32 {
    if cols.wan { 6 } else { 2 }
}

/// One item row; `None` for a blank row.
fn item(s: &Sheet, r: u32, cols: &Columns, b: &Budget) -> Result<Option<Row>, Problem> {
    let text = |role| cols.col(role).map(|c| cell::text(&s.value(r, c))).unwrap_or_default();
    let Some(ac) = cols.col(Role::Amount) else { return Ok(None) };
    let amount = s.amount(r, ac, decimals(cols))?;
    let fc = cols.col(Role::Function).unwrap_or(0);
    if amount.is_none() && cell::text(&s.value(r, fc)).is_empty() {
        return Ok(None);
    }
    unmerged(s, r, cols)?;
    let amount = amount.unwrap_or_default();
    let amount = if cols.wan { amount } else { amount / Decimal::from(10_000) };
    let (function, mut function_name) = cell::code_and_name(&text(Role::Function));
    let function = checked_code(s, r, fc, Scheme::Function, &function, b)?;
    if let Some(n) = Some(text(Role::FunctionName)).filter(|n| !n.is_empty()) {
        function_name = n;
    }
    let (economic, mut economic_name) = cell::code_and_name(&text(Role::Economic));
    let economic = match cols.col(Role::Economic) {
        Some(ec) if !economic.is_empty() => {
            Some(checked_code(s, r, ec, Scheme::Economic, &economic, b)?)
        }
        _ => None,
    };
    if let Some(n) = Some(text(Role::EconomicName)).filter(|n| !n.is_empty()) {
        economic_name = n;
    }
    let (source, carried_from) = source(s, r, cols)?;
    Ok(Some(Row {
        place: s.place(r, ac),
        unit: unit(s, r, cols, b)?,
        kind: kind(s, r, cols, economic.as_deref())?,
        function,
        function_name: Some(function_name).filter(|n| !n.is_empty()),
        economic,
        economic_name: Some(economic_name).filter(|n| !n.is_empty()),
        source,
        carried_from,
        amount,
    }))
}

/// A merged cell in a column that names what a row is would leave every
/// row but the first without its unit or code: refused, not filled in.
fn unmerged(s: &Sheet, r: u32, cols: &Columns) -> Result<(), Problem> {
    let named = [
        (Role::Unit, "预算单位"),
        (Role::Function, "支出功能分类编码"),
        (Role::Economic, "经济分类编码"),
        (Role::Source, "资金性质"),
        (Role::Project, "项目名称"),
    ];
    for (role, what) in named {
        let Some(c) = cols.col(role) else { continue };
        if let Some(range) = s.merged_at(r, c) {
            return Err(at(
                s.place(r, c),
                format!("{what}在合并单元格 {range} 中：每行须有自己的{what}"),
            )
            .expected("取消合并，并在每一行填写"));
        }
    }
    Ok(())
}

/// A code the year's catalogue knows, of the right length.
pub(crate) fn checked_code(
    s: &Sheet,
    r: u32,
    c: u32,
    scheme: Scheme,
    code: &str,
    b: &Budget,
) -> Result<String, Problem> {
    let place = s.place(r, c);
    let shown = cell::text(&s.value(r, c));
    if code.is_empty() {
        return Err(at(place, format!("{}编码为空或不是数字：“{shown}”", scheme.label()))
            .expected(format!("{} 位数字编码，例如 {}", scheme.leaf(), example(scheme))));
    }
    let cat = crate::source::catalogue::of(b);
    let why = match cat.judge(scheme, code) {
        Verdict::Known(_) | Verdict::NoItem { complete: false, .. } => return Ok(code.to_string()),
        Verdict::Shape => format!("应为 {} 位", scheme.leaf()),
        Verdict::NoClass { class } => format!("{}年科目表没有类 {class}", b.document.year),
        Verdict::NoKuan { kuan, .. } => format!("{}年科目表没有款 {kuan}", b.document.year),
        Verdict::NoItem { kuan, .. } => format!("{}年科目表中款 {kuan} 没有此项", b.document.year),
    };
    Err(at(place, format!("{}编码“{code}”不可用：{why}", scheme.label())).expected(format!(
        "{}年科目表中的{}编码（yusuan catalogue show {} 可查）",
        b.document.year,
        scheme.label(),
        b.document.year
    )))
}

fn example(s: Scheme) -> &'static str {
    match s {
        Scheme::Function => "2010101",
        Scheme::Economic => "30101",
    }
}

/// The unit a row names, by code or name; the first unit when the sheet
/// has no unit column or the cell is blank.
fn unit(s: &Sheet, r: u32, cols: &Columns, b: &Budget) -> Result<usize, Problem> {
    let Some(c) = cols.col(Role::Unit) else { return Ok(0) };
    let written = cell::text(&s.value(r, c));
    if written.is_empty() && b.units.len() > 1 {
        return Err(at(s.place(r, c), "预算单位为空：数据文件有多个单位，每行须写明单位")
            .expected(b.units.iter().map(|u| u.name.as_str()).collect::<Vec<_>>().join("、")));
    }
    if written.is_empty() {
        return Ok(0);
    }
    let (code, name) = cell::code_and_name(&written);
    let found = [written.as_str(), name.as_str(), code.as_str()]
        .iter()
        .filter(|x| !x.is_empty())
        .find_map(|x| crate::model::lineitems::unit_index(b, Some(x)));
    found.ok_or_else(|| {
        let names: Vec<&str> = b.units.iter().map(|u| u.name.as_str()).collect();
        at(s.place(r, c), format!("单位“{written}”不在数据文件的机构设置（[[units]]）中"))
            .expected(names.join("、"))
    })
}

/// 资金性质 as written, with 上年结转's own fund: “上年结转（政府性基金）”
/// or a separate 原资金性质 column.
fn source(s: &Sheet, r: u32, cols: &Columns) -> Result<(Source, Option<Source>), Problem> {
    let Some(c) = cols.col(Role::Source) else { return Ok((Source::General, None)) };
    let written = cell::squeezed(&s.value(r, c));
    if written.is_empty() {
        return Ok((Source::General, None));
    }
    let bad = |w: &str| {
        at(s.place(r, c), format!("资金性质“{w}”不认识"))
            .expected("一般公共预算、政府性基金、国有资本经营、财政专户、事业收入、事业单位经营收入、其他收入、上年结转（政府性基金）等")
    };
    let (head, inner) = match written.split_once(['（', '(', '-', '—']) {
        Some((h, rest)) => (h.to_string(), Some(rest.trim_end_matches(['）', ')']).to_string())),
        None => (written.clone(), None),
    };
    let source = Source::parse(&head).ok_or_else(|| bad(&written))?;
    if source != Source::Carryover {
        return Ok((source, None));
    }
    let from = inner.or_else(|| {
        cols.col(Role::CarriedFrom)
            .map(|c| cell::squeezed(&s.value(r, c)))
            .filter(|t| !t.is_empty())
    });
    match from {
        None => Ok((source, None)),
        Some(f) => match Source::parse(&f) {
            Some(x) if x != Source::Carryover => Ok((source, Some(x))),
            _ => Err(bad(&written)),
        },
    }
}

/// 人员经费, 公用经费 or a project. Without a 支出类型 column, a row with
/// no project (or a project named 人员经费/公用经费) is basic spending,
/// sorted by its economic class: 301 and 303 are personnel, the rest public.
fn kind(s: &Sheet, r: u32, cols: &Columns, economic: Option<&str>) -> Result<Kind, Problem> {
    let project = cols.col(Role::Project).map(|c| cell::text(&s.value(r, c))).unwrap_or_default();
    let written = cols.col(Role::Kind).map(|c| cell::squeezed(&s.value(r, c))).unwrap_or_default();
    let basic = |w: &str| match w {
        "人员经费" | "人员支出" | "工资福利支出" => Some(Kind::Personnel),
        "公用经费" | "公用支出" | "日常公用经费" => Some(Kind::Public),
        _ => None,
    };
    if let Some(k) = basic(&written)
        .or_else(|| basic(&project.chars().filter(|c| !c.is_whitespace()).collect::<String>()))
    {
        return Ok(k);
    }
    let by_economic = written == "基本支出" || (written.is_empty() && project.is_empty());
    if by_economic {
        let c = cols.col(Role::Economic).unwrap_or(0);
        return match economic {
            Some(e) if e.starts_with("301") || e.starts_with("303") => Ok(Kind::Personnel),
            Some(_) => Ok(Kind::Public),
            None => Err(at(
                s.place(r, c),
                "基本支出须有部门预算经济分类编码（据此分人员经费与公用经费）",
            )
            .expected("5 位经济分类编码，例如 30101")),
        };
    }
    if project.is_empty() {
        let c = cols.col(Role::Project).unwrap_or(0);
        return Err(at(s.place(r, c), "项目支出须写项目名称"));
    }
    if !written.is_empty() && written != "项目支出" && written != "项目" {
        let c = cols.col(Role::Kind).unwrap_or(0);
        return Err(at(s.place(r, c), format!("支出类型“{written}”不认识"))
            .expected("人员经费、公用经费、基本支出或项目支出"));
    }
    Ok(Kind::Project(project))
}
