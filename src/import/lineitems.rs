//! 明细导出（第三种格式）：每行一条预算明细——预算单位、项目、支出功能分类、部门预算经济分类、
//! 资金性质、金额。yusuan 自己写出的“预算明细”工作表也是这种格式。
//!
//! Columns are found by the meaning of their header, in any order. Real
//! exports carry many columns yusuan does not use (预算级次, 支付方式,
//! 指标文号…): they are listed once in a note and not read. Two columns
//! that could both be one field are told apart by the exact name —
//! 部门预算经济分类 is the economic class, 政府预算经济分类 (50101…) is
//! not — and when the names cannot tell them apart the import is refused
//! naming both cells. Amounts come from one 金额 column with a 资金性质
//! column, or from one column per 资金性质. A row is data when it holds a
//! code or an amount; 合计/总计/小计 rows (the word anywhere in the row)
//! are checked against the rows above, not imported. Rows that are the
//! same item (same unit, project or basic kind, codes and fund) are added
//! up into one.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::diag::Problem;
use crate::import::book::{Book, RowView, Sheet};
use crate::import::cell::Value;
use crate::import::{Imported, Kind, Row, at, cell, platform, settle};
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
    /// The row's 合计 beside per-资金性质 columns.
    Total,
    /// An amount column of one 资金性质 (上年结转 with its own fund).
    Fund(Source, Option<Source>),
    /// 财政拨款: three 资金性质 in one column.
    Appropriation,
    Year,
}

/// A role, and whether the header is one of its own names (which wins
/// over a header that only contains its words).
type Known = (Role, bool);

const UNIT: &[&str] = &["预算单位", "单位名称", "预算单位名称", "单位"];
const FUNCTION: &[&str] = &[
    "支出功能分类",
    "功能分类",
    "支出功能分类科目",
    "功能分类科目",
    "支出功能分类编码",
    "功能分类编码",
    "支出功能分类科目编码",
    "功能分类科目编码",
];
const AMOUNT: &[&str] = &["金额", "预算数", "预算金额", "本年预算数", "预算金额合计"];

/// A header's role, or `None` for a column not read.
fn classify(h: &str) -> Option<Known> {
    let base = without_unit(h);
    let named = base.contains("名称");
    let exact = |list: &[&str]| list.contains(&base);
    let simple = |r: Role, list: &[&str]| exact(list).then_some((r, true));
    simple(Role::Year, &["预算年度", "年度"])
        .or_else(|| simple(Role::Project, &["项目名称", "项目"]))
        .or_else(|| simple(Role::Kind, &["支出类型", "支出类别", "经费类型"]))
        .or_else(|| {
            simple(Role::CarriedFrom, &["原资金性质", "原资金来源", "结转资金来源", "结转资金性质"])
        })
        .or_else(|| simple(Role::Source, &["资金性质", "资金来源"]))
        .or_else(|| simple(Role::Total, &["合计", "小计", "总计"]))
        .or_else(|| unit(base))
        .or_else(|| classes(base, named))
        .or_else(|| fund(base))
        .or_else(|| amount(base))
}

fn unit(base: &str) -> Option<Known> {
    if UNIT.contains(&base) {
        return Some((Role::Unit, true));
    }
    let unit_code = ["预算单位编码", "单位编码", "单位代码", "预算单位代码"];
    (unit_code.contains(&base)
        || (base.contains("单位") && base.contains("名称") && !base.contains("项目")))
    .then_some((Role::Unit, false))
}

/// 功能分类 and 经济分类 columns, codes or names; 政府预算经济分类 is
/// not the department's economic class and is not read.
fn classes(base: &str, named: bool) -> Option<Known> {
    if base.contains("功能分类") {
        return Some(match named {
            true => (Role::FunctionName, base.ends_with("名称")),
            false => (Role::Function, FUNCTION.contains(&base)),
        });
    }
    if base.contains("政府预算经济分类") || base.contains("政府经济分类") {
        return None;
    }
    if base.contains("经济分类") {
        let department = base.contains("部门预算经济分类") || base.contains("部门经济分类");
        let role = if named { Role::EconomicName } else { Role::Economic };
        return Some((role, department));
    }
    None
}

/// A 资金性质 as a column header: “一般公共预算”“上年结转（政府性基金）”.
fn fund(base: &str) -> Option<Known> {
    if base.starts_with("财政拨款") {
        return Some((Role::Appropriation, true));
    }
    let (head, inner) = match base.split_once(['（', '(']) {
        Some((a, b)) => (a, Some(b.trim_end_matches(['）', ')']))),
        None => (base, None),
    };
    let s = Source::parse(head)?;
    let from = match inner {
        Some(i) if s == Source::Carryover => Some(Source::parse(i)?),
        Some(_) => return None,
        None => None,
    };
    Some((Role::Fund(s, from), true))
}

fn amount(base: &str) -> Option<Known> {
    if AMOUNT.contains(&base) {
        return Some((Role::Amount, true));
    }
    let other = ["上年", "调整", "追加", "执行", "差额", "增减"].iter().any(|w| base.contains(w));
    let amountish = ["金额", "预算数", "预算金额"].iter().any(|w| base.starts_with(w));
    (amountish && !other).then_some((Role::Amount, false))
}

/// A header without its unit: “金额（万元）” → “金额”.
fn without_unit(h: &str) -> &str {
    for u in ["（万元）", "(万元)", "（元）", "(元)"] {
        if let Some(b) = h.strip_suffix(u) {
            return b;
        }
    }
    h
}

/// The columns found.
struct Columns {
    of: Vec<(Role, u32)>,
    /// 6 decimals in 万元, 2 in 元.
    wan: bool,
    /// Per-资金性质 amount columns rather than one amount and a 资金性质.
    funds: bool,
}

impl Columns {
    fn col(&self, r: Role) -> Option<u32> {
        self.of.iter().find(|(x, _)| *x == r).map(|(_, c)| *c)
    }

    fn decimals(&self) -> u32 {
        if self.wan { 6 } else { 2 }
    }

    /// Columns holding amounts: each 资金性质's, or the one 金额.
    fn amounts(&self) -> impl Iterator<Item = (Role, u32)> + '_ {
        self.of
            .iter()
            .copied()
            .filter(|(r, _)| matches!(r, Role::Fund(..) | Role::Amount | Role::Total))
    }
}

/// The first rows a header may be in (after a title and a unit line).
const HEADER_SEARCH: u32 = 30;

/// The row holding a 功能分类 header and an amount or 资金性质 header.
fn header_row(s: &Sheet) -> Option<u32> {
    s.rows_from(0).take_while(|&r| r < HEADER_SEARCH).find(|&r| {
        let heads: Vec<String> = s.row_cells(r).map(|(_, v)| cell::squeezed(&v)).collect();
        heads.iter().any(|h| h.contains("功能分类") && !h.contains("名称"))
            && heads.iter().any(|h| {
                matches!(classify(h), Some((Role::Amount | Role::Fund(..) | Role::Total, _)))
            })
    })
}

/// Whether a sheet has a line-item header.
pub fn has_header(s: &Sheet) -> bool {
    header_row(s).is_some()
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
                "工作簿中没有预算明细表：找不到同时有“支出功能分类”和“金额”（或各资金性质）列标题的工作表",
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
    let (last, heads) = header_block(s, row);
    let cols = match columns(s, last, &heads, &mut out.problems) {
        Ok(c) => c,
        Err(p) => {
            out.problems.extend(p);
            return out;
        }
    };
    out.unit = platform::unit_of(s, b);
    out.year = platform::title_year(s);
    let mut reader = Reader::new(s, &cols, b, out.unit);
    reader.rows(last, &mut out);
    out
}

/// The header: one row, or two when the row below holds only header
/// words (“资金性质” over 一般公共预算 | 事业收入 …). Each column's header
/// is its lowest text, a merged one's text counting for every column.
fn header_block(s: &Sheet, row: u32) -> (u32, Vec<(u32, String)>) {
    let text = |r: u32, c: u32| -> String {
        let t = cell::squeezed(&s.value(r, c));
        if !t.is_empty() {
            return t;
        }
        s.region_at(r, c)
            .map(|m| cell::squeezed(&s.value(m.start.0, m.start.1)))
            .unwrap_or_default()
    };
    let below: Vec<(u32, Value)> = s.row_cells(row + 1).collect();
    let second = !below.is_empty()
        && below.iter().all(|(_, v)| matches!(v, Value::Text(_)) && cell::code(v, 1).is_none())
        && below.iter().any(|(_, v)| classify(&cell::squeezed(v)).is_some());
    let last = if second { row + 1 } else { row };
    let width = s.row_cells(row).chain(s.row_cells(last)).map(|(c, _)| c + 1).max().unwrap_or(0);
    let heads = (0..width)
        .map(|c| {
            let low = if second { text(last, c) } else { String::new() };
            (c, if low.is_empty() { text(row, c) } else { low })
        })
        .filter(|(_, h)| !h.is_empty())
        .collect();
    (last, heads)
}

/// Maps each header to its role. Columns not read are listed in one
/// note; two columns for one field with nothing to tell them apart, and
/// missing required ones, are problems.
fn columns(
    s: &Sheet,
    row: u32,
    heads: &[(u32, String)],
    notes: &mut Vec<Problem>,
) -> Result<Columns, Vec<Problem>> {
    let mut found: Vec<(u32, &str, Known)> = Vec::new();
    let mut unread: Vec<String> = Vec::new();
    for (c, h) in heads {
        match classify(h) {
            Some(k) => found.push((*c, h, k)),
            None => unread.push(format!("{h}（{}）", cell::address(row, *c))),
        }
    }
    let mut problems = Vec::new();
    let mut of = Vec::new();
    for role in roles_of(&found) {
        let all: Vec<&(u32, &str, Known)> =
            found.iter().filter(|(_, _, (r, _))| *r == role).collect();
        let exact: Vec<_> = all.iter().filter(|(_, _, (_, e))| *e).collect();
        let pick: Vec<_> = if exact.is_empty() { all.iter().collect() } else { exact };
        if let [one] = pick.as_slice() {
            of.push((role, one.0));
            unread.extend(
                all.iter()
                    .filter(|x| x.0 != one.0)
                    .map(|(c, h, _)| format!("{h}（{}）", cell::address(row, *c))),
            );
        } else {
            problems.push(ambiguous(s, row, pick[0], pick[1]));
        }
    }
    if !unread.is_empty() {
        notes
            .push(Problem::warning(s.name.clone(), format!("这些列不导入：{}", unread.join("、"))));
    }
    let wan = heads.iter().any(|(_, h)| h.contains("万元")) || unit_line_says_wan(s, row);
    let funds = of.iter().any(|(r, _)| matches!(r, Role::Fund(..)));
    let cols = Columns { of, wan, funds };
    problems.extend(layout(s, row, &cols));
    if problems.is_empty() { Ok(cols) } else { Err(problems) }
}

/// The distinct roles found, in column order.
fn roles_of(found: &[(u32, &str, Known)]) -> Vec<Role> {
    let mut roles: Vec<Role> = Vec::new();
    for (_, _, (r, _)) in found {
        if !roles.contains(r) {
            roles.push(*r);
        }
    }
    roles
}

fn ambiguous(s: &Sheet, row: u32, a: &&(u32, &str, Known), b: &&(u32, &str, Known)) -> Problem {
    at(
        s.place(row, a.0),
        format!(
            "列“{}”（{}）与列“{}”（{}）都可以是{}：分不出该读哪一列",
            a.1,
            cell::address(row, a.0),
            b.1,
            cell::address(row, b.0),
            role_word(a.2.0)
        ),
    )
    .expected("删去其中一列，或把列标题改成准确的名称（如“部门预算经济分类”）")
}

fn role_word(r: Role) -> &'static str {
    match r {
        Role::Unit => "预算单位",
        Role::Project => "项目名称",
        Role::Kind => "支出类型",
        Role::Function => "支出功能分类",
        Role::FunctionName => "功能分类名称",
        Role::Economic => "部门预算经济分类",
        Role::EconomicName => "经济分类名称",
        Role::Source => "资金性质",
        Role::CarriedFrom => "原资金性质",
        Role::Amount => "金额",
        Role::Total => "合计",
        Role::Fund(..) => "同一资金性质的金额",
        Role::Appropriation => "财政拨款",
        Role::Year => "预算年度",
    }
}

/// The columns a layout needs, and the ones it cannot have together.
fn layout(s: &Sheet, row: u32, cols: &Columns) -> Vec<Problem> {
    let mut out = Vec::new();
    let at_col = |r: Role| cols.col(r).map(|c| s.place(row, c)).unwrap_or_else(|| s.place(row, 0));
    if cols.col(Role::Function).is_none() {
        out.push(at(s.place(row, 0), "列标题行缺少“支出功能分类”列"));
    }
    if let Some(c) = cols.col(Role::Appropriation) {
        out.push(at(s.place(row, c), "“财政拨款”一列合计了一般公共预算、政府性基金和国有资本经营预算：分不出每笔的资金性质")
            .expected("按一般公共预算、政府性基金、国有资本经营预算分列"));
    }
    if cols.funds && cols.col(Role::Source).is_some() {
        out.push(
            at(
                at_col(Role::Source),
                "既有“资金性质”列，又有按资金性质分列的金额：分不出该读哪一种",
            )
            .expected("只留一种：一个“金额”列加“资金性质”列，或每种资金性质一列"),
        );
    }
    if cols.funds && cols.col(Role::Amount).is_some() && cols.col(Role::Total).is_some() {
        out.push(at(
            at_col(Role::Amount),
            "既有“金额”列又有“合计”列，旁边还有按资金性质分列的金额：分不出哪一列是每行的合计",
        ));
    }
    if !cols.funds && cols.col(Role::Amount).is_none() && cols.col(Role::Total).is_none() {
        out.push(at(s.place(row, 0), "列标题行缺少“金额”列（或每种资金性质一列）"));
    }
    out
}

/// A “单位：万元” line above the header.
fn unit_line_says_wan(s: &Sheet, header: u32) -> bool {
    s.rows_from(0).take_while(|&r| r < header).any(|r| {
        s.row_cells(r).any(|(_, v)| {
            let t = cell::squeezed(&v);
            t.starts_with("单位") && t.contains("万元")
        })
    })
}

/// What identifies an item apart from its amount, hashed: the rows kept
/// are compared field by field on a match, so no key is kept twice.
fn key_hash(r: &Row) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (r.unit, &r.function, &r.economic, r.source, r.carried_from, &r.kind).hash(&mut h);
    h.finish()
}

fn same_item(a: &Row, b: &Row) -> bool {
    (a.unit, &a.function, &a.economic, a.source, a.carried_from, &a.kind)
        == (b.unit, &b.function, &b.economic, b.source, b.carried_from, &b.kind)
}

/// Reads the rows of one sheet, adding up rows of the same item and
/// checking the sheet's own 合计 and 小计 rows.
struct Reader<'a> {
    s: &'a Sheet,
    cols: &'a Columns,
    b: &'a Budget,
    own: Option<usize>,
    /// Items kept, by the hash of what identifies them.
    items: HashMap<u64, Vec<usize>>,
    /// Bytes the items kept will take in the data file.
    bytes: u64,
    codes: HashMap<(Scheme, String), Option<String>>,
    units: HashMap<String, Option<usize>>,
    /// Sums since the last 合计 and since the last 小计, per amount column.
    total: Vec<(u32, Decimal)>,
    sub: Vec<(u32, Decimal)>,
    year: Option<(String, String)>,
}

impl<'a> Reader<'a> {
    fn new(s: &'a Sheet, cols: &'a Columns, b: &'a Budget, own: Option<usize>) -> Reader<'a> {
        Reader {
            s,
            cols,
            b,
            own,
            items: HashMap::new(),
            bytes: 0,
            codes: HashMap::new(),
            units: HashMap::new(),
            total: Vec::new(),
            sub: Vec::new(),
            year: None,
        }
    }

    /// Every row below the header.
    fn rows(&mut self, header: u32, out: &mut Imported) {
        let body: Vec<u32> = self.s.rows_from(header + 1).collect();
        for r in body {
            match platform::total_word(self.s, r) {
                Some(whole) => self.check_total(r, whole, &mut out.problems),
                None => match self.row(r) {
                    Ok(rows) => self.keep(r, rows, out),
                    Err(p) => out.problems.push(p),
                },
            }
            if self.bytes > crate::source::MAX_BYTES {
                out.problems.push(settle::too_many(out.rows.len() as u64, self.bytes));
                return;
            }
        }
        if let Some((y, place)) = self.year.take()
            && let Ok(y) = y.parse::<i32>()
        {
            out.year = Some((y, place));
        }
    }

    /// Adds each row to its item (a new one, or the same item met before).
    fn keep(&mut self, r: u32, rows: Vec<(u32, Row)>, out: &mut Imported) {
        for (c, mut row) in rows {
            add(&mut self.total, c, row.amount);
            add(&mut self.sub, c, row.amount);
            let h = key_hash(&row);
            let found = self
                .items
                .get(&h)
                .and_then(|ks| ks.iter().copied().find(|&i| same_item(&out.rows[i], &row)));
            match found {
                Some(i) => out.rows[i].amount += row.amount,
                None => {
                    self.items.entry(h).or_default().push(out.rows.len());
                    self.bytes += settle::item_bytes(&row, self.b);
                    row.place = self.s.place(r, c);
                    out.rows.push(row);
                }
            }
        }
    }

    /// A 合计 (all since the last 合计) or 小计 (since the last 小计 or 合计) row.
    fn check_total(&mut self, r: u32, whole: bool, problems: &mut Vec<Problem>) {
        let (sums, what) = match whole {
            true => (&self.total, "合计与以上各行之和不符"),
            false => (&self.sub, "小计与上一个小计以来各行之和不符"),
        };
        let unit = if self.cols.wan { "万元" } else { "元" };
        for (role, c) in self.cols.amounts() {
            let want = match role {
                Role::Total | Role::Amount if self.cols.funds => sums.iter().map(|(_, v)| *v).sum(),
                _ => {
                    sums.iter().filter(|(k, _)| *k == c || !self.cols.funds).map(|(_, v)| *v).sum()
                }
            };
            let want = if self.cols.wan { want } else { want * Decimal::from(10_000) };
            match self.s.amount(r, c, self.cols.decimals()) {
                Ok(found) if found.unwrap_or_default() == want => {}
                Ok(found) => problems.push(
                    at(
                        self.s.place(r, c),
                        format!("{what}：表中为 {} {unit}", found.unwrap_or_default().normalize()),
                    )
                    .expected(format!("{} {unit}", want.normalize())),
                ),
                Err(p) => problems.push(p),
            }
        }
        self.sub.clear();
        if whole {
            self.total.clear();
        }
    }

    /// One row's items: none for a layout row (a note, a spacer), one for
    /// a row with a 金额, one per non-zero 资金性质 column otherwise.
    fn row(&mut self, r: u32) -> Result<Vec<(u32, Row)>, Problem> {
        let v = self.s.row_view(r);
        let fc = self.cols.col(Role::Function).unwrap_or(0);
        let (function, function_name) = cell::code_and_name(&v.text(fc));
        let amounts = self.amounts(&v)?;
        let has_amount = amounts.iter().any(|(_, _, a)| a.is_some());
        if function.is_empty() && !has_amount {
            return Ok(Vec::new());
        }
        unmerged(&v, self.cols)?;
        self.row_year(&v)?;
        let function = self.code(&v, fc, Scheme::Function, &function)?;
        let (economic, economic_name) = self.economic(&v)?;
        let (source, carried_from) = source(&v, self.cols)?;
        let base = Row {
            place: String::new(),
            unit: self.unit(&v)?,
            kind: kind(&v, self.cols, economic.as_deref())?,
            function,
            function_name: self
                .text(&v, Role::FunctionName)
                .or(Some(function_name))
                .filter(|n| !n.is_empty()),
            economic,
            economic_name: self
                .text(&v, Role::EconomicName)
                .or(economic_name)
                .filter(|n| !n.is_empty()),
            source,
            carried_from,
            amount: Decimal::ZERO,
        };
        self.split(&v, base, amounts)
    }

    /// Each amount column's figure in this row, in 万元; a negative one is
    /// refused at its cell.
    fn amounts(&self, v: &RowView) -> Result<Vec<(Role, u32, Option<Decimal>)>, Problem> {
        let mut out = Vec::new();
        for (role, c) in self.cols.amounts() {
            let a = v.amount(c, self.cols.decimals())?;
            if a.is_some_and(|a| a.is_sign_negative() && !a.is_zero()) {
                return Err(at(
                    v.place(c),
                    format!("金额 {} 为负数", a.unwrap_or_default().normalize()),
                )
                .expected("0 或正数；调减请在预算系统中改正后重新导出"));
            }
            let wan = a.map(|a| if self.cols.wan { a } else { a / Decimal::from(10_000) });
            out.push((role, c, wan));
        }
        Ok(out)
    }

    /// The row as items: its 金额, or each 资金性质 column's; the row's own
    /// 合计 compared with the sum of its 资金性质 columns.
    fn split(
        &self,
        v: &RowView,
        base: Row,
        amounts: Vec<(Role, u32, Option<Decimal>)>,
    ) -> Result<Vec<(u32, Row)>, Problem> {
        if !self.cols.funds {
            let a = amounts.iter().find_map(|(_, _, a)| *a).unwrap_or_default();
            let c = amounts.first().map_or(0, |(_, c, _)| *c);
            return Ok(vec![(c, Row { amount: a, ..base })]);
        }
        let mut out = Vec::new();
        let mut sum = Decimal::ZERO;
        for (role, c, a) in &amounts {
            let (Role::Fund(source, from), Some(a)) = (role, a) else { continue };
            sum += *a;
            if !a.is_zero() {
                out.push((
                    *c,
                    Row { source: *source, carried_from: *from, amount: *a, ..base.clone() },
                ));
            }
        }
        if let Some((_, c, Some(total))) =
            amounts.iter().find(|(role, _, _)| matches!(role, Role::Total | Role::Amount))
            && *total != sum
        {
            let k = if self.cols.wan { Decimal::ONE } else { Decimal::from(10_000) };
            let unit = if self.cols.wan { "万元" } else { "元" };
            return Err(at(
                v.place(*c),
                format!("合计与各资金性质之和不符：表中为 {} {unit}", (*total * k).normalize()),
            )
            .expected(format!("{} {unit}", (sum * k).normalize())));
        }
        Ok(out)
    }

    fn text(&self, v: &RowView, role: Role) -> Option<String> {
        self.cols.col(role).map(|c| v.text(c))
    }

    /// The 部门预算经济分类 code and name, when the row has one.
    fn economic(&mut self, v: &RowView) -> Result<(Option<String>, Option<String>), Problem> {
        let Some(ec) = self.cols.col(Role::Economic) else { return Ok((None, None)) };
        let (code, name) = cell::code_and_name(&v.text(ec));
        if code.is_empty() {
            return Ok((None, None));
        }
        Ok((Some(self.code(v, ec, Scheme::Economic, &code)?), Some(name)))
    }

    /// A code the year's catalogue knows, judged once per code.
    fn code(&mut self, v: &RowView, c: u32, scheme: Scheme, code: &str) -> Result<String, Problem> {
        let key = (scheme, code.to_string());
        if let Some(known) = self.codes.get(&key) {
            return match known {
                None => Ok(code.to_string()),
                Some(_) => checked_code(self.s, v.r, c, scheme, code, self.b),
            };
        }
        let verdict = checked_code(self.s, v.r, c, scheme, code, self.b);
        self.codes.insert(key, verdict.as_ref().err().map(|p| p.message.clone()));
        verdict
    }

    /// The unit a row names, by code or name; the workbook's own unit or
    /// the first when the sheet has no unit column or the cell is blank.
    fn unit(&mut self, v: &RowView) -> Result<usize, Problem> {
        let Some(c) = self.cols.col(Role::Unit) else { return Ok(self.own.unwrap_or(0)) };
        let written = v.text(c);
        if written.is_empty() {
            if let Some(u) = self.own.or_else(|| (self.b.units.len() <= 1).then_some(0)) {
                return Ok(u);
            }
            return Err(at(v.place(c), "预算单位为空：数据文件有多个单位，每行须写明单位")
                .expected(
                    self.b.units.iter().map(|u| u.name.as_str()).collect::<Vec<_>>().join("、"),
                ));
        }
        let b = self.b;
        let found = match self.units.get(&written) {
            Some(u) => *u,
            None => {
                let (code, name) = cell::code_and_name(&written);
                let u = [written.as_str(), name.as_str(), code.as_str()]
                    .iter()
                    .filter(|x| !x.is_empty())
                    .find_map(|x| crate::model::lineitems::unit_index(b, Some(x)));
                self.units.insert(written.clone(), u);
                u
            }
        };
        found.ok_or_else(|| {
            let names: Vec<&str> = b.units.iter().map(|u| u.name.as_str()).collect();
            at(v.place(c), format!("单位“{written}”不在数据文件的机构设置（[[units]]）中"))
                .expected(names.join("、"))
        })
    }

    /// A 预算年度 column: every row the same year.
    fn row_year(&mut self, v: &RowView) -> Result<(), Problem> {
        let Some(c) = self.cols.col(Role::Year) else { return Ok(()) };
        let y = v.text(c);
        match &self.year {
            None => self.year = Some((y, v.place(c))),
            Some((first, place)) if *first != y => {
                return Err(at(
                    v.place(c),
                    format!("预算年度“{y}”与 {place} 的“{first}”不同：一份导出只应有一个年度"),
                ));
            }
            Some(_) => {}
        }
        Ok(())
    }
}

/// Adds an amount to the sums of its column.
fn add(sums: &mut Vec<(u32, Decimal)>, c: u32, amount: Decimal) {
    match sums.iter_mut().find(|(k, _)| *k == c) {
        Some((_, v)) => *v += amount,
        None => sums.push((c, amount)),
    }
}

/// A merged cell in a column that names what a row is would leave every
/// row but the first without its unit or code: refused, not filled in.
fn unmerged(v: &RowView, cols: &Columns) -> Result<(), Problem> {
    let (s, r) = (v.sheet, v.r);
    let named = [
        (Role::Unit, "预算单位"),
        (Role::Function, "支出功能分类编码"),
        (Role::Economic, "经济分类编码"),
        (Role::Source, "资金性质"),
        (Role::Project, "项目名称"),
    ];
    for (role, what) in named {
        let Some(c) = cols.col(role) else { continue };
        if let Some(range) =
            s.region_at(r, c).filter(|m| m.end.0 > m.start.0).and(s.merged_at(r, c))
        {
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

/// 资金性质 as written, with 上年结转's own fund: “上年结转（政府性基金）”
/// or a separate 原资金性质 column. Per-资金性质 columns set it per item.
fn source(v: &RowView, cols: &Columns) -> Result<(Source, Option<Source>), Problem> {
    let Some(c) = cols.col(Role::Source) else { return Ok((Source::General, None)) };
    let written = cell::squeezed(&v.value(c));
    if written.is_empty() {
        return Ok((Source::General, None));
    }
    let bad = |w: &str| {
        at(v.place(c), format!("资金性质“{w}”不认识"))
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
        cols.col(Role::CarriedFrom).map(|c| cell::squeezed(&v.value(c))).filter(|t| !t.is_empty())
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
fn kind(v: &RowView, cols: &Columns, economic: Option<&str>) -> Result<Kind, Problem> {
    let project = cols.col(Role::Project).map(|c| v.text(c)).unwrap_or_default();
    let written = cols.col(Role::Kind).map(|c| cell::squeezed(&v.value(c))).unwrap_or_default();
    let basic = |w: &str| match w {
        "人员经费" | "人员支出" | "工资福利支出" => Some(Kind::Personnel),
        "公用经费" | "公用支出" | "日常公用经费" => Some(Kind::Public),
        _ => None,
    };
    let squeezed: String = project.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(k) = basic(&written).or_else(|| basic(&squeezed)) {
        return Ok(k);
    }
    let by_economic = written == "基本支出" || (written.is_empty() && project.is_empty());
    if by_economic {
        let c = cols.col(Role::Economic).unwrap_or(0);
        return match economic {
            Some(e) if e.starts_with("301") || e.starts_with("303") => Ok(Kind::Personnel),
            Some(_) => Ok(Kind::Public),
            None => {
                Err(at(v.place(c), "基本支出须有部门预算经济分类编码（据此分人员经费与公用经费）")
                    .expected("5 位经济分类编码，例如 30101（“政府预算经济分类”的 501…不是它）"))
            }
        };
    }
    if project.is_empty() {
        let c = cols.col(Role::Project).unwrap_or(0);
        return Err(at(v.place(c), "项目支出须写项目名称"));
    }
    if !written.is_empty() && written != "项目支出" && written != "项目" {
        let c = cols.col(Role::Kind).unwrap_or(0);
        return Err(at(v.place(c), format!("支出类型“{written}”不认识"))
            .expected("人员经费、公用经费、基本支出或项目支出"));
    }
    Ok(Kind::Project(project))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_by_meaning() {
        assert_eq!(classify("部门预算经济分类"), Some((Role::Economic, true)));
        assert_eq!(classify("经济分类科目"), Some((Role::Economic, false)));
        assert_eq!(classify("政府预算经济分类"), None);
        assert_eq!(classify("支出功能分类科目名称"), Some((Role::FunctionName, true)));
        assert_eq!(classify("金额（元）"), Some((Role::Amount, true)));
        assert_eq!(classify("上年预算数"), None);
        assert_eq!(classify("一般公共预算"), Some((Role::Fund(Source::General, None), true)));
        assert_eq!(
            classify("上年结转（政府性基金）"),
            Some((Role::Fund(Source::Carryover, Some(Source::Fund)), true))
        );
        assert_eq!(classify("财政拨款收入"), Some((Role::Appropriation, true)));
        for ignored in [
            "预算级次",
            "是否政府采购",
            "支付方式",
            "指标文号",
            "政府购买服务内容",
            "序号",
            "项目编码",
        ] {
            assert_eq!(classify(ignored), None, "{ignored}");
        }
        assert_eq!(classify("预算单位编码"), Some((Role::Unit, false)));
    }
}
