//! 区级平台导出中的两张明细表：项目支出明细表（项目 × 功能分类 × 资金来源）与基本支出明细表
//! （功能分类 × 经济分类 × 资金来源），可带“单位名称”列。
//!
//! The platform's nine tables are sums by 科目: the 收入总表 by 功能分类 ×
//! 资金来源, the 拨款表 by 功能分类 × 基本/项目, the 基本支出明细表 by 经济
//! 分类 × 人员/公用 only. Summed that way they cannot say which project,
//! unit or economic class a figure belongs to — several splits give the same
//! sums — so line items come from these two sheets and nowhere else, row by
//! row: one item per non-zero 资金来源 column. A field a sheet does not give
//! (a unit, a project name, an economic class, which fund a 财政拨款收入
//! column means) is refused with its sheet and cell, never filled in. Each
//! row's 合计 column and the sheet's 合计 row are compared with the items.

use rust_decimal::Decimal;

use crate::diag::Problem;
use crate::import::book::{Book, Sheet, meaning};
use crate::import::platform::{head_start, is_table, row_code, unit_of};

use crate::import::{Kind, Row, at, cell, lineitems};
use crate::model::Budget;
use crate::model::catalogue::Scheme;
use crate::model::lineitems::Source;

/// Which of the two sheets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// 项目支出明细表：项目名称、功能分类、各资金来源。
    Projects,
    /// 基本支出明细表：功能分类、经济分类、各资金来源。
    Basic,
}

impl Detail {
    pub fn title(self) -> &'static str {
        match self {
            Detail::Projects => "项目支出明细表（项目名称 × 功能分类 × 资金来源）",
            Detail::Basic => "基本支出明细表（功能分类 × 经济分类 × 资金来源）",
        }
    }
}

/// The sheet of one kind, by its name's meaning: not one of the nine
/// tables (whose 一般公共预算拨款基本支出明细表 is by economic class only,
/// whatever its name).
pub fn find(book: &Book, which: Detail) -> Option<&Sheet> {
    book.sheets.iter().find(|s| {
        let m = meaning(&s.name);
        let table = is_table(&s.name) || is_table(&crate::import::book::strip_year(&s.title()));
        let word = match which {
            Detail::Projects => "项目支出",
            Detail::Basic => "基本支出",
        };
        !table && m.contains(word) && (m.contains("明细") || m.ends_with("预算表"))
    })
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Unit,
    Project,
    /// 功能分类 类 (0), 款 (1), 项 (2).
    Function(usize),
    /// 经济分类 类 (0), 款 (1).
    Economic(usize),
    FunctionName,
    Total,
    Source(Source, Option<Source>),
    Ignored,
}

/// A cell's text, or the text of the merged region it lies in.
fn text_at(s: &Sheet, r: u32, c: u32) -> String {
    let t = cell::squeezed(&s.value(r, c));
    if !t.is_empty() {
        return t;
    }
    s.region_at(r, c).map(|d| cell::squeezed(&s.value(d.start.0, d.start.1))).unwrap_or_default()
}

/// The lowest header row: the one holding “类”.
fn last_header(s: &Sheet, from: u32) -> Option<u32> {
    (from..s.rows().min(from + 6))
        .rev()
        .find(|&r| (0..s.cols()).any(|c| cell::squeezed(&s.value(r, c)) == "类"))
}

/// Each read column with what it holds.
type Roles = Vec<(u32, Role)>;

/// Each column's role from its lowest header and the group above it
/// (“功能分类科目编码” over 类 | 款 | 项). A header that means nothing
/// known is listed once in a note and its column not read — when the row's
/// 合计 column is there to show a figure it would have held; without that
/// column it is refused (its figure could be lost unseen).
fn roles(s: &Sheet, from: u32, last: u32) -> Result<(Roles, Vec<Problem>), Vec<Problem>> {
    let mut out = Vec::new();
    let mut unknown = Vec::new();
    for c in 0..s.cols() {
        let low = text_at(s, last, c);
        let group = (from..last).rev().map(|r| text_at(s, r, c)).find(|t| !t.is_empty());
        let economic = group.as_deref().is_some_and(|g| g.contains("经济"));
        match role(&low, economic) {
            Ok(Some(r)) => out.push((c, r)),
            Ok(None) => {}
            Err(why) => unknown.push((c, low, why)),
        }
    }
    if unknown.is_empty() {
        return Ok((out, Vec::new()));
    }
    if col(&out, Role::Total).is_some() {
        let listed: Vec<String> = unknown
            .iter()
            .map(|(c, h, _)| format!("“{h}”（{}）", cell::address(last, *c)))
            .collect();
        let note = Problem::warning(
            s.name.clone(),
            format!("这些列不导入：{}（每行的合计仍与导入的各资金来源比较）", listed.join("、")),
        );
        return Ok((out, vec![note]));
    }
    let mut problems = Vec::new();
    for (c, _, why) in unknown {
        {
            {
                problems.push(at(s.place(last, c), why).expected(
                "单位名称、项目名称、功能分类（类、款、项）、经济分类（类、款）、科目名称、合计，\
                 及资金来源：一般公共预算、政府性基金、国有资本经营、财政专户、事业收入、事业单位经营收入、其他收入、上年结转（原资金性质）；有“合计”列时其他列不导入",
                ));
            }
        }
    }
    Err(problems)
}

fn role(h: &str, economic: bool) -> Result<Option<Role>, String> {
    let part = ["类", "款", "项"].iter().position(|p| *p == h);
    Ok(Some(match h {
        "" => return Ok(None),
        _ if part.is_some() && economic => Role::Economic(part.unwrap_or(0)),
        _ if part.is_some() => Role::Function(part.unwrap_or(0)),
        "单位名称" | "预算单位" | "单位" => Role::Unit,
        "项目名称" | "项目" => Role::Project,
        "合计" | "小计" => Role::Total,
        "序号" | "单位编码" | "项目编码" | "项目代码" | "备注" => Role::Ignored,
        _ if h.contains("名称") && !economic => Role::FunctionName,
        _ if h.contains("名称") => Role::Ignored,
        _ if h.starts_with("财政拨款") => {
            return Err(format!(
                "列“{h}”合计了一般公共预算、政府性基金和国有资本经营预算：分不出每笔的资金性质"
            ));
        }
        _ => return source(h).map(Some),
    }))
}

/// A 资金来源 header: “一般公共预算”, “上年结转（政府性基金）”.
fn source(h: &str) -> Result<Role, String> {
    let (head, inner) = match h.split_once(['（', '(']) {
        Some((a, b)) => (a, Some(b.trim_end_matches(['）', ')']))),
        None => (h, None),
    };
    let bad = || format!("不认识的列标题“{h}”");
    let s = Source::parse(head).ok_or_else(bad)?;
    let from = match inner {
        Some(i) if s == Source::Carryover => Some(Source::parse(i).ok_or_else(bad)?),
        Some(_) => return Err(bad()),
        None => None,
    };
    Ok(Role::Source(s, from))
}

fn col(roles: &[(u32, Role)], want: Role) -> Option<u32> {
    roles.iter().find(|(_, r)| *r == want).map(|(c, _)| *c)
}

/// The items of one sheet and its notes; `own` is the workbook's own
/// unit, when its 编制单位 line names one.
pub fn read(
    s: &Sheet,
    which: Detail,
    b: &Budget,
    own: Option<usize>,
) -> Result<(Vec<Row>, Vec<Problem>), Vec<Problem>> {
    let from = head_start(s);
    let Some(last) = last_header(s, from) else {
        return Err(vec![at(s.name.clone(), "找不到列标题（须有功能分类“类”“款”“项”三列）")]);
    };
    let (roles, notes) = roles(s, from, last)?;
    required(s, last, &roles, which)?;
    let unit = sheet_unit(s, &roles, b, own)?;
    let cols = Cols { roles, which, unit };
    // Since the last 合计, and since the last 小计 (a unit's subtotal).
    let (mut all, mut sub) = (Sums::default(), Sums::default());
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut above = vec![String::new(); 3];
    let body: Vec<u32> = s.rows_from(last + 1).collect();
    for r in body {
        if let Some(whole) = total_row(s, r) {
            let (sums, what) = match whole {
                true => (&all, "合计与以上各行之和不符"),
                false => (&sub, "小计与上一个小计以来各行之和不符"),
            };
            sums.check(s, r, &cols.roles, what, &mut problems);
            sub = Sums::default();
            if whole {
                all = Sums::default();
            }
            continue;
        }
        match cols.row(s, r, b, &mut above) {
            Ok(items) => {
                all.add(&items);
                sub.add(&items);
                rows.extend(items);
            }
            Err(p) => problems.push(p),
        }
    }
    if problems.is_empty() { Ok((rows, notes)) } else { Err(problems) }
}

/// The columns a sheet must have to give its items.
fn required(
    s: &Sheet,
    last: u32,
    roles: &[(u32, Role)],
    which: Detail,
) -> Result<(), Vec<Problem>> {
    let mut need = vec![
        (Role::Function(0), "功能分类“类”"),
        (Role::Function(1), "功能分类“款”"),
        (Role::Function(2), "功能分类“项”"),
    ];
    match which {
        Detail::Projects => need.push((Role::Project, "项目名称")),
        Detail::Basic => {
            need.push((Role::Economic(0), "经济分类“类”"));
            need.push((Role::Economic(1), "经济分类“款”"));
        }
    }
    let missing: Vec<Problem> = need
        .into_iter()
        .filter(|(r, _)| col(roles, *r).is_none())
        .map(|(_, w)| at(s.place(last, 0), format!("列标题缺少{w}列")))
        .collect();
    if !roles.iter().any(|(_, r)| matches!(r, Role::Source(..))) {
        return Err(vec![at(
            s.place(last, 0),
            "列标题中没有资金来源列（一般公共预算、事业收入……）",
        )]);
    }
    if missing.is_empty() { Ok(()) } else { Err(missing) }
}

/// The unit of rows without a 单位 column: the workbook's own unit (its
/// items replace that unit's only), or the only one the data file has;
/// otherwise the rows cannot be placed.
fn sheet_unit(
    s: &Sheet,
    roles: &[(u32, Role)],
    b: &Budget,
    own: Option<usize>,
) -> Result<Option<usize>, Vec<Problem>> {
    let own = own.or_else(|| unit_of(s, b));
    if own.is_some() {
        return Ok(own);
    }
    if col(roles, Role::Unit).is_some() {
        return Ok(None);
    }
    if b.units.len() > 1 {
        let names: Vec<&str> = b.units.iter().map(|u| u.name.as_str()).collect();
        return Err(vec![
            at(
                s.name.clone(),
                format!(
                    "明细表没有“单位名称”列，数据文件有 {} 个单位：分不出每一笔属于哪个单位",
                    b.units.len()
                ),
            )
            .expected(format!("加“单位名称”列，写明 {}", names.join("、"))),
        ]);
    }
    Ok(Some(own.unwrap_or(0)))
}

/// Whether a row is the sheet's own 合计 or 总计 (`true`) or a 小计
/// (`false`): one of its text cells says so, wherever it stands.
fn total_row(s: &Sheet, r: u32) -> Option<bool> {
    crate::import::platform::total_word(s, r)
}

struct Cols {
    roles: Vec<(u32, Role)>,
    which: Detail,
    unit: Option<usize>,
}

impl Cols {
    /// One row's items (none for a blank row or a 类/款 summary row).
    fn row(
        &self,
        s: &Sheet,
        r: u32,
        b: &Budget,
        above: &mut [String],
    ) -> Result<Vec<Row>, Problem> {
        let fcols: Vec<u32> = (0..3).filter_map(|k| col(&self.roles, Role::Function(k))).collect();
        let Some(function) = row_code(s, r, &fcols, above)? else {
            return self.no_code(s, r);
        };
        // 类 and 款 rows sum the 项 rows below them: not items.
        if function.len() < 7 {
            return Ok(Vec::new());
        }
        let fc = fcols.last().copied().unwrap_or(0);
        let function = lineitems::checked_code(s, r, fc, Scheme::Function, &function, b)?;
        let kind = self.kind(s, r, b)?;
        let unit = self.unit(s, r, b)?;
        let name = col(&self.roles, Role::FunctionName).map(|c| cell::text(&s.value(r, c)));
        let mut items = Vec::new();
        for &(c, role) in &self.roles {
            let Role::Source(source, carried_from) = role else { continue };
            let yuan = s.amount(r, c, 2)?.unwrap_or_default();
            if yuan.is_zero() {
                continue;
            }
            items.push(Row {
                place: s.place(r, c),
                unit,
                function: function.clone(),
                function_name: name.clone().filter(|n| !n.is_empty()),
                economic: kind.1.clone(),
                economic_name: None,
                source,
                carried_from,
                kind: kind.0.clone(),
                amount: yuan / Decimal::from(10_000),
            });
        }
        self.row_total(s, r, &items)?;
        Ok(items)
    }

    /// A row without a function code: blank, or amounts nobody can place.
    fn no_code(&self, s: &Sheet, r: u32) -> Result<Vec<Row>, Problem> {
        for &(c, role) in &self.roles {
            if matches!(role, Role::Source(..) | Role::Total)
                && s.amount(r, c, 2).ok().flatten().is_some_and(|a| !a.is_zero())
            {
                let fc = col(&self.roles, Role::Function(0)).unwrap_or(0);
                return Err(at(s.place(r, fc), "这一行有金额，但没有功能分类编码"));
            }
        }
        Ok(Vec::new())
    }

    /// The project, or the basic kind by economic class: 工资福利支出 (301)
    /// and 对个人和家庭的补助 (303) are 人员经费, the rest 公用经费 — the
    /// split the platform's own 基本支出明细表 prints.
    fn kind(&self, s: &Sheet, r: u32, b: &Budget) -> Result<(Kind, Option<String>), Problem> {
        match self.which {
            Detail::Projects => {
                let c = col(&self.roles, Role::Project).unwrap_or(0);
                let name = cell::text(&s.value(r, c));
                if name.is_empty() {
                    return Err(at(s.place(r, c), "项目名称为空：项目支出须写项目名称"));
                }
                Ok((Kind::Project(name), None))
            }
            Detail::Basic => {
                let ecols: Vec<u32> =
                    (0..2).filter_map(|k| col(&self.roles, Role::Economic(k))).collect();
                let first = ecols.first().copied().unwrap_or(0);
                let code: Option<String> = [3, 2]
                    .iter()
                    .zip(&ecols)
                    .map(|(w, &c)| cell::code(&s.value(r, c), *w))
                    .collect();
                let code = code.filter(|c| c.len() == 5).ok_or_else(|| {
                    at(s.place(r, first), "基本支出须有部门预算经济分类的类和款")
                        .expected("例如 301 | 01")
                })?;
                let code = lineitems::checked_code(s, r, first, Scheme::Economic, &code, b)?;
                let personnel = code.starts_with("301") || code.starts_with("303");
                Ok((if personnel { Kind::Personnel } else { Kind::Public }, Some(code)))
            }
        }
    }

    fn unit(&self, s: &Sheet, r: u32, b: &Budget) -> Result<usize, Problem> {
        if let Some(u) = self.unit {
            return Ok(u);
        }
        let c = col(&self.roles, Role::Unit).unwrap_or(0);
        let written = cell::text(&s.value(r, c));
        let (code, name) = cell::code_and_name(&written);
        [written.as_str(), name.as_str(), code.as_str()]
            .iter()
            .filter(|x| !x.is_empty())
            .find_map(|x| crate::model::lineitems::unit_index(b, Some(x)))
            .ok_or_else(|| {
                let names: Vec<&str> = b.units.iter().map(|u| u.name.as_str()).collect();
                at(s.place(r, c), format!("单位“{written}”不在数据文件的机构设置（[[units]]）中"))
                    .expected(names.join("、"))
            })
    }

    /// The row's own 合计 column against its 资金来源 columns.
    fn row_total(&self, s: &Sheet, r: u32, items: &[Row]) -> Result<(), Problem> {
        let Some(c) = col(&self.roles, Role::Total) else { return Ok(()) };
        let sum: Decimal = items.iter().map(|i| i.amount * Decimal::from(10_000)).sum();
        let found = s.amount(r, c, 2)?.unwrap_or_default();
        if found == sum {
            return Ok(());
        }
        Err(at(s.place(r, c), format!("合计与各资金来源之和不符：表中为 {} 元", found.normalize()))
            .expected(format!("{} 元", sum.normalize())))
    }
}

/// Column sums (元) of the items read since a 合计 or 小计 row.
#[derive(Default)]
struct Sums {
    by_col: Vec<(u32, Decimal)>,
    total: Decimal,
}

impl Sums {
    fn add(&mut self, items: &[Row]) {
        for i in items {
            let yuan = i.amount * Decimal::from(10_000);
            let c = i.place.rsplit('!').next().map(col_of).unwrap_or(0);
            match self.by_col.iter_mut().find(|(k, _)| *k == c) {
                Some((_, v)) => *v += yuan,
                None => self.by_col.push((c, yuan)),
            }
            self.total += yuan;
        }
    }

    fn check(
        &self,
        s: &Sheet,
        r: u32,
        roles: &[(u32, Role)],
        what: &str,
        problems: &mut Vec<Problem>,
    ) {
        for &(c, role) in roles {
            let want = match role {
                Role::Total => self.total,
                Role::Source(..) => {
                    self.by_col.iter().find(|(k, _)| *k == c).map(|(_, v)| *v).unwrap_or_default()
                }
                _ => continue,
            };
            match s.amount(r, c, 2) {
                Ok(found) if found.unwrap_or_default() == want => {}
                Ok(found) => problems.push(
                    at(
                        s.place(r, c),
                        format!("{what}：表中为 {} 元", found.unwrap_or_default().normalize()),
                    )
                    .expected(format!("{} 元", want.normalize())),
                ),
                Err(p) => problems.push(p),
            }
        }
    }
}

/// The 0-based column of an A1 address (“H12” → 7).
fn col_of(a1: &str) -> u32 {
    a1.chars()
        .take_while(char::is_ascii_uppercase)
        .fold(0, |n, ch| n * 26 + (ch as u32 - 'A' as u32 + 1))
        .saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_headers() {
        assert_eq!(source("一般公共预算"), Ok(Role::Source(Source::General, None)));
        assert_eq!(
            source("上年结转（政府性基金）"),
            Ok(Role::Source(Source::Carryover, Some(Source::Fund)))
        );
        assert_eq!(source("上年结转"), Ok(Role::Source(Source::Carryover, None)));
        assert!(source("指标文号").is_err());
        assert!(role("财政拨款收入", false).unwrap_err().contains("分不出"));
        assert_eq!(role("类", true), Ok(Some(Role::Economic(0))));
        assert_eq!(role("项", false), Ok(Some(Role::Function(2))));
    }

    #[test]
    fn columns_of_addresses() {
        assert_eq!(col_of("H12"), 7);
        assert_eq!(col_of("AA3"), 26);
        assert_eq!(col_of("A1"), 0);
    }
}
