//! 附表：按财预〔2016〕143号的部门预算公开表样，由预算明细推算的九张表。
//!
//! [`derive`] sums the line items into the tables' figures (exact, in 万元);
//! [`view`] turns them into a grid of cells — header rows with spans, body
//! rows with their 类/款/项 level and amounts as `Money` in the document's
//! table unit — which the Typst template and the xlsx writer both print, so
//! the PDF and the workbook cannot disagree.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::amount::Amount;
use crate::catalogue;
use crate::derive::Money;
use crate::lineitems::{self, Item, Kind, Source};
use crate::model::Budget;
use crate::profile::{
    Codes, ColumnSpec, Figure, Layout, MoneyUnit, NumberFormat, Profile, Rows, Selector,
    TableSpec, Term, TotalAt, fill_year,
};

/// The level of a row in a classified table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Level {
    #[serde(rename = "合计")]
    Total,
    #[serde(rename = "类")]
    Class,
    #[serde(rename = "款")]
    Kuan,
    #[serde(rename = "项")]
    Xiang,
}

/// One row of a classified table: 合计, or a 类/款/项 with its amounts.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassRow {
    pub level: Level,
    /// 科目编码（合计行为空）。
    pub code: String,
    pub name: String,
    pub values: Vec<Amount>,
}

/// Everything the nine tables show, in 万元.
#[derive(Debug, Clone)]
pub struct Derivation {
    pub year: i32,
    /// 附表1 收入栏：本年收入各项（7 项）。
    pub overview_income: Vec<(&'static str, Amount)>,
    /// 附表1 收入栏：上年结转。
    pub overview_carryover: Amount,
    /// 附表2：合计、上年结转、一般公共预算……其他收入（9 列）。
    pub income: Vec<ClassRow>,
    /// 附表3：合计、基本支出、项目支出。
    pub spending: Vec<ClassRow>,
    /// 附表4 收入栏：本年与上年结转的一般公共预算、政府性基金、国有资本经营。
    pub appropriation_income: [[Amount; 3]; 2],
    /// 附表4 支出栏：合计、一般公共预算、政府性基金、国有资本经营。
    pub appropriation: Vec<ClassRow>,
    /// 附表5：合计、基本支出小计、人员经费、公用经费、项目支出。
    pub general: Vec<ClassRow>,
    /// 附表6（经济分类）：合计、人员经费、公用经费。
    pub general_basic: Vec<ClassRow>,
    /// 附表7：本年、上年各 6 列：合计、因公出国（境）费、公务用车购置及运行费小计、购置费、运行费、公务接待费。
    pub sangong: [[Amount; 6]; 2],
    /// 附表8：合计、基本支出、项目支出。
    pub fund: Vec<ClassRow>,
    /// 附表9：合计、基本支出、项目支出。
    pub capital: Vec<ClassRow>,
}

/// The income sources of 附表1 and 附表2, in their order, with their labels.
pub const INCOME_SOURCES: [(Source, &str); 7] = [
    (Source::General, "一般公共预算拨款收入"),
    (Source::Fund, "政府性基金预算拨款收入"),
    (Source::Capital, "国有资本经营预算拨款收入"),
    (Source::SpecialAccount, "财政专户管理资金收入"),
    (Source::Institution, "事业收入"),
    (Source::InstitutionBusiness, "事业单位经营收入"),
    (Source::Other, "其他收入"),
];

/// 项 names as the line items give them (first one written wins; the
/// checks report a disagreement).
fn leaf_names(b: &Budget) -> HashMap<String, String> {
    let mut names = HashMap::new();
    for li in &b.line_items {
        if let Some(n) = li.function_name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            names.entry(li.function.trim().to_string()).or_insert_with(|| n.to_string());
        }
    }
    names
}

/// Rows of a classified table: 合计 first, then every 类, 款 and 项 that
/// has an entry, in code order, each summing the entries below it.
/// `lens` are the code lengths of the levels (3/5/7 for 功能分类, 3/5 for
/// 经济分类); entries are keyed by a code of the last length.
pub fn class_rows(
    entries: &[(String, Vec<Amount>)],
    width: usize,
    lens: &[usize],
    name: &dyn Fn(&str) -> String,
) -> Vec<ClassRow> {
    let levels = [Level::Class, Level::Kuan, Level::Xiang];
    let mut sums: BTreeMap<String, (Level, Vec<Amount>)> = BTreeMap::new();
    let mut total = vec![Amount::ZERO; width];
    for (code, values) in entries {
        add(&mut total, values);
        for (depth, &len) in lens.iter().enumerate() {
            let Some(prefix) = code.get(..len) else { continue };
            let slot = sums
                .entry(prefix.to_string())
                .or_insert_with(|| (levels[depth], vec![Amount::ZERO; width]));
            add(&mut slot.1, values);
        }
    }
    let mut rows = vec![ClassRow {
        level: Level::Total,
        code: String::new(),
        name: "合计".to_string(),
        values: total,
    }];
    // Digit strings where each level extends the one above sort in tree
    // order: 201 < 20101 < 2010101 < 2010102 < 20102.
    rows.extend(sums.into_iter().map(|(code, (level, values))| ClassRow {
        name: name(&code),
        level,
        code,
        values,
    }));
    rows
}

fn add(to: &mut [Amount], values: &[Amount]) {
    for (t, v) in to.iter_mut().zip(values) {
        *t = *t + *v;
    }
}

/// Function-classified rows for the items `keep` selects, with the
/// columns `cols` gives each item.
fn by_function(
    items: &[Item<'_>],
    names: &HashMap<String, String>,
    width: usize,
    keep: impl Fn(&Item<'_>) -> bool,
    cols: impl Fn(&Item<'_>) -> Vec<Amount>,
) -> Vec<ClassRow> {
    let entries: Vec<(String, Vec<Amount>)> =
        items.iter().filter(|i| keep(i)).map(|i| (i.function.to_string(), cols(i))).collect();
    let cat = catalogue::get();
    let name = |code: &str| match code.len() {
        7 => names.get(code).cloned().unwrap_or_default(),
        _ => cat.function_name(code).unwrap_or("").to_string(),
    };
    class_rows(&entries, width, &[3, 5, 7], &name)
}

/// `amount` in the column whose predicate holds, zero elsewhere.
fn spread(amount: Amount, hits: &[bool]) -> Vec<Amount> {
    hits.iter().map(|&h| if h { amount } else { Amount::ZERO }).collect()
}

/// Sums the line items into the nine tables.
pub fn derive(b: &Budget) -> Derivation {
    let items = lineitems::items(b);
    let names = leaf_names(b);
    let overview_income: Vec<(&'static str, Amount)> = INCOME_SOURCES
        .iter()
        .map(|(s, label)| (*label, sum_where(&items, |i| i.source == *s)))
        .collect();
    let fund_rows = |s: Source| by_function(&items, &names, 3, |i| i.fund == s, basic_project);
    Derivation {
        year: b.document.year,
        overview_income,
        overview_carryover: sum_where(&items, |i| i.source == Source::Carryover),
        income: by_function(&items, &names, 9, |_| true, income_columns),
        spending: by_function(&items, &names, 3, |_| true, basic_project),
        appropriation_income: appropriation_income(&items),
        appropriation: by_function(
            &items,
            &names,
            4,
            |i| i.fund.is_appropriation(),
            appropriation_columns,
        ),
        general: by_function(&items, &names, 5, |i| i.fund == Source::General, general_columns),
        general_basic: general_basic(&items),
        sangong: [sangong_columns(&b.sangong.current), sangong_columns(&b.sangong.previous)],
        fund: fund_rows(Source::Fund),
        capital: fund_rows(Source::Capital),
    }
}

/// The total of the items `keep` selects.
fn sum_where(items: &[Item<'_>], keep: impl Fn(&Item<'_>) -> bool) -> Amount {
    items.iter().filter(|i| keep(i)).map(|i| i.amount).sum()
}

/// 附表2's columns for an item: 合计, 上年结转, then the seven sources.
fn income_columns(i: &Item<'_>) -> Vec<Amount> {
    let mut v = vec![i.amount, if i.source == Source::Carryover { i.amount } else { Amount::ZERO }];
    v.extend(
        INCOME_SOURCES.iter().map(|(s, _)| if i.source == *s { i.amount } else { Amount::ZERO }),
    );
    v
}

/// 合计, 基本支出, 项目支出 — the columns of 附表3, 8 and 9.
fn basic_project(i: &Item<'_>) -> Vec<Amount> {
    let b = i.kind.is_basic();
    spread(i.amount, &[true, b, !b])
}

/// 附表4's income side: this year's and carried-over appropriations, each
/// split into 一般公共预算, 政府性基金, 国有资本经营.
fn appropriation_income(items: &[Item<'_>]) -> [[Amount; 3]; 2] {
    let mut out = [[Amount::ZERO; 3]; 2];
    for (row, carried) in [(0, false), (1, true)] {
        for (col, s) in [Source::General, Source::Fund, Source::Capital].into_iter().enumerate() {
            out[row][col] =
                sum_where(items, |i| i.fund == s && (i.source == Source::Carryover) == carried);
        }
    }
    out
}

/// 附表4's spending columns: 合计 and the three appropriated funds.
fn appropriation_columns(i: &Item<'_>) -> Vec<Amount> {
    spread(
        i.amount,
        &[true, i.fund == Source::General, i.fund == Source::Fund, i.fund == Source::Capital],
    )
}

/// 附表5's columns: 合计, 基本支出小计, 人员经费, 公用经费, 项目支出.
fn general_columns(i: &Item<'_>) -> Vec<Amount> {
    let (p, q) = (i.kind == Kind::Personnel, i.kind == Kind::Public);
    spread(i.amount, &[true, p || q, p, q, !(p || q)])
}

/// 附表6: general-budget basic spending by economic classification, in
/// 合计, 人员经费, 公用经费.
fn general_basic(items: &[Item<'_>]) -> Vec<ClassRow> {
    let entries: Vec<(String, Vec<Amount>)> = items
        .iter()
        .filter(|i| i.fund == Source::General && i.kind.is_basic())
        .map(|i| {
            let code = i.economic.unwrap_or("").to_string();
            (code, spread(i.amount, &[true, i.kind == Kind::Personnel, i.kind == Kind::Public]))
        })
        .collect();
    let cat = catalogue::get();
    class_rows(&entries, 3, &[3, 5], &|c: &str| cat.economic_name(c).unwrap_or("").to_string())
}

/// 附表7's six columns for one year's figures.
fn sangong_columns(f: &crate::model::SangongFigures) -> [Amount; 6] {
    let vehicle = f.vehicle_purchase + f.vehicle_operation;
    [
        f.overseas + vehicle + f.reception,
        f.overseas,
        vehicle,
        f.vehicle_purchase,
        f.vehicle_operation,
        f.reception,
    ]
}

/// The 合计 row's values (zeros for a table without rows).
fn totals(rows: &[ClassRow], width: usize) -> Vec<Amount> {
    rows.first().map(|r| r.values.clone()).unwrap_or_else(|| vec![Amount::ZERO; width])
}

/// Collects a message for each identity that does not hold.
struct Expect(Vec<String>);

impl Expect {
    fn eq(&mut self, what: &str, a: Amount, b: Amount) {
        if a != b {
            self.0.push(format!("附表核对不符：{what}（{} ≠ {}）", a.text(), b.text()));
        }
    }
}

/// The identities the tables must satisfy, as messages for those that do
/// not hold. They hold by construction; this guards the construction.
pub fn consistency(b: &Budget) -> Vec<String> {
    let d = derive(b);
    let mut e = Expect(Vec::new());
    overview_identities(&mut e, b, &d);
    appropriation_identities(&mut e, &d);
    e.eq(
        "“三公”经费支出表合计等于“三公”经费一节",
        d.sangong[0][0],
        crate::derive::sangong_total(&b.sangong.current),
    );
    let mut out = e.0;
    for (name, rows, width) in [
        ("部门收入总表", &d.income, 9),
        ("部门支出总表", &d.spending, 3),
        ("财政拨款收支总表", &d.appropriation, 4),
        ("一般公共预算支出表", &d.general, 5),
        ("一般公共预算基本支出表", &d.general_basic, 3),
        ("政府性基金预算支出表", &d.fund, 3),
        ("国有资本经营预算支出表", &d.capital, 3),
    ] {
        for m in subtotal_problems(rows, width) {
            out.push(format!("附表核对不符：{name}{m}"));
        }
    }
    out
}

/// 附表1–3 against the line items and each other.
fn overview_identities(e: &mut Expect, b: &Budget, d: &Derivation) {
    let all: Amount = b.line_items.iter().map(|l| l.amount).sum();
    let overview_in: Amount =
        d.overview_income.iter().map(|(_, a)| *a).sum::<Amount>() + d.overview_carryover;
    let classes: Amount =
        d.spending.iter().filter(|r| r.level == Level::Class).map(|r| r.values[0]).sum();
    e.eq("部门收支总表收入总计等于明细合计", overview_in, all);
    e.eq("部门收支总表支出总计等于明细合计", classes, all);
    e.eq("部门收入总表合计等于部门收支总表收入总计", totals(&d.income, 9)[0], overview_in);
    e.eq("部门支出总表合计等于部门收支总表支出总计", totals(&d.spending, 3)[0], classes);
}

/// 附表4 against itself and against the per-fund tables 5, 6, 8 and 9.
fn appropriation_identities(e: &mut Expect, d: &Derivation) {
    let ap_in: Amount = d.appropriation_income.iter().flatten().copied().sum();
    let ap = totals(&d.appropriation, 4);
    e.eq("财政拨款收入总计等于支出总计", ap_in, ap[0]);
    e.eq(
        "财政拨款支出合计等于一般公共预算、政府性基金、国有资本经营三部分之和",
        ap[0],
        ap[1] + ap[2] + ap[3],
    );
    let general = totals(&d.general, 5);
    e.eq("一般公共预算支出表合计等于财政拨款收支总表一般公共预算", general[0], ap[1]);
    e.eq("政府性基金预算支出表合计等于财政拨款收支总表政府性基金", totals(&d.fund, 3)[0], ap[2]);
    e.eq(
        "国有资本经营预算支出表合计等于财政拨款收支总表国有资本经营",
        totals(&d.capital, 3)[0],
        ap[3],
    );
    let basic = totals(&d.general_basic, 3);
    e.eq("一般公共预算基本支出表合计等于一般公共预算支出表基本支出", basic[0], general[1]);
    e.eq("一般公共预算基本支出表人员经费", basic[1], general[2]);
    e.eq("一般公共预算基本支出表公用经费", basic[2], general[3]);
}

/// Each 类 and 款 equals the rows one level below it; 合计 equals the 类.
pub fn subtotal_problems(rows: &[ClassRow], width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let child_level = |l: Level| match l {
        Level::Total => Some(Level::Class),
        Level::Class => Some(Level::Kuan),
        Level::Kuan => Some(Level::Xiang),
        Level::Xiang => None,
    };
    for r in rows {
        let Some(child) = child_level(r.level) else { continue };
        let kids: Vec<&ClassRow> =
            rows.iter().filter(|k| k.level == child && k.code.starts_with(&r.code)).collect();
        if kids.is_empty() {
            continue;
        }
        for col in 0..width {
            let s: Amount = kids.iter().map(|k| k.values[col]).sum();
            if s != r.values[col] {
                out.push(format!("：{}{} 第 {} 列不等于下级之和", r.code, r.name, col + 1));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// The printed grid.

/// 全部附表，交给模板和 xlsx。
#[derive(Debug, Clone, Serialize)]
pub struct TablesView {
    /// 编制部门。
    pub department: String,
    /// 金额单位：“万元”或“元”。
    pub unit: String,
    pub tables: Vec<TableView>,
}

/// 一张附表。
#[derive(Debug, Clone, Serialize)]
pub struct TableView {
    /// 附表序号，从 1 起。
    pub number: usize,
    /// 表名，如“部门收支总表”。
    pub title: String,
    /// 金额单位：“万元”或“元”。
    pub unit: String,
    /// 是否横排（列多的表）。
    pub landscape: bool,
    /// 各列相对宽度。
    pub widths: Vec<u32>,
    /// 表头各行。
    pub head: Vec<Vec<HeadCell>>,
    /// 表体各行。
    pub rows: Vec<RowView>,
    /// 没有数据（印空表说明）。
    pub empty: bool,
    /// 空表说明；有数据时为空字符串。
    pub note: String,
}

/// 表头单元格。
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct HeadCell {
    pub text: String,
    pub colspan: usize,
    pub rowspan: usize,
}

/// 表体的一行。
#[derive(Debug, Clone, Serialize)]
pub struct RowView {
    /// “合计”“类”“款”“项”；汇总表中的普通行为空。
    pub level: String,
    pub cells: Vec<CellView>,
}

/// 表体单元格：文字，或金额（右对齐两位小数）。
#[derive(Debug, Clone, Serialize)]
pub struct CellView {
    pub text: String,
    /// 金额；文字单元格与不印的零为空。
    pub amount: Option<Money>,
    /// 缩进级数（每级一个字宽）。
    pub indent: usize,
    pub bold: bool,
    /// “left”“center”“right”。
    pub align: &'static str,
}

impl CellView {
    fn text(t: impl Into<String>) -> CellView {
        CellView { text: t.into(), amount: None, indent: 0, bold: false, align: "left" }
    }
    fn center(t: impl Into<String>) -> CellView {
        CellView { align: "center", ..CellView::text(t) }
    }
    fn money(m: Money) -> CellView {
        CellView { text: m.fixed.clone(), amount: Some(m), indent: 0, bold: false, align: "right" }
    }
    fn blank() -> CellView {
        CellView::text("")
    }
    fn indent(mut self, n: usize) -> CellView {
        self.indent = n;
        self
    }
    fn bold(mut self, b: bool) -> CellView {
        self.bold = b;
        self
    }
}

fn h(text: &str, colspan: usize, rowspan: usize) -> HeadCell {
    HeadCell { text: text.to_string(), colspan, rowspan }
}

/// Amounts in a table's unit and number format.
struct Unit(NumberFormat);

impl Unit {
    fn money(&self, a: Amount) -> Money {
        Money::with(a, &self.0)
    }
    fn cell(&self, a: Amount) -> CellView {
        CellView::money(self.money(a))
    }
    /// A body cell: zero prints as blank.
    fn body(&self, a: Amount) -> CellView {
        if a.is_zero_in(&self.0) { CellView::blank() } else { self.cell(a) }
    }
}

const CHINESE: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/// 一、二……二十九 for section numbers.
pub fn chinese_number(n: usize) -> String {
    match n {
        1..=10 => CHINESE[n - 1].to_string(),
        11..=19 => format!("十{}", CHINESE[n - 11]),
        20..=99 => {
            let (t, u) = (n / 10, n % 10);
            let unit = if u == 0 { String::new() } else { CHINESE[u - 1].to_string() };
            format!("{}十{unit}", CHINESE[t - 1])
        }
        _ => n.to_string(),
    }
}

fn class_body(rows: &[ClassRow], u: &Unit) -> Vec<RowView> {
    rows.iter()
        .map(|r| {
            let (level, indent, bold) = match r.level {
                Level::Total => ("合计", 0, true),
                Level::Class => ("类", 0, true),
                Level::Kuan => ("款", 1, false),
                Level::Xiang => ("项", 2, false),
            };
            let mut cells = vec![
                CellView::text(r.code.clone()).bold(bold),
                if r.level == Level::Total {
                    CellView::center("合　　计").bold(true)
                } else {
                    CellView::text(r.name.clone()).indent(indent).bold(bold)
                },
            ];
            cells.extend(r.values.iter().map(|a| {
                if r.level == Level::Total { u.cell(*a).bold(true) } else { u.body(*a).bold(bold) }
            }));
            RowView { level: level.to_string(), cells }
        })
        .collect()
}

/// A table with nothing to show has no body: only its 合计 row exists.
fn no_data(rows: &[ClassRow]) -> bool {
    rows.len() <= 1 && rows.first().is_none_or(|r| r.values.iter().all(|a| a.is_zero()))
}

/// Builds the printed tables a profile lists. `None` when the file has no
/// line items.
pub fn view(b: &Budget, profile: &Profile) -> Option<TablesView> {
    profile_view(b, profile)
}

/// One of the nine forms of 财预〔2016〕143号, numbered and titled as the
/// profile says.
fn form143(d: &Derivation, spec: &TableSpec, number: usize, u: &Unit, year: i32) -> TableView {
    let y = d.year;
    let mut t = match spec.form.unwrap_or(1) {
        1 => income_expenditure_overview(d, u),
        2 => income_table(d, u),
        3 => basic_project_table(3, "部门支出总表", &d.spending, u, empty_note(y, "支出预算")),
        4 => appropriation_overview(d, u),
        5 => general_table(d, u),
        6 => general_basic_table(d, u),
        7 => sangong_table(d, u),
        8 => basic_project_table(8, "政府性基金预算支出表", &d.fund, u, empty_note(y, "政府性基金预算支出")),
        _ => basic_project_table(9, "国有资本经营预算支出表", &d.capital, u, empty_note(y, "国有资本经营预算支出")),
    };
    t.number = number;
    t.title = fill_year(&spec.title, year);
    t.unit = u.0.unit.label().to_string();
    t
}

/// The data file's `document.table_unit`, when written.
fn data_table_unit(b: &Budget) -> Option<MoneyUnit> {
    match b.document.table_unit.as_deref().map(str::trim) {
        Some("元") => Some(MoneyUnit::Yuan),
        Some("万元") => Some(MoneyUnit::Wan),
        _ => None,
    }
}

/// The sentence printed in place of an empty table's body.
fn empty_note(year: i32, what: &str) -> String {
    format!("本部门{year}年无{what}，故本表为空表。")
}

/// The two leading header cells of a classified table, spanning both
/// header rows.
fn code_head(top: &str) -> Vec<HeadCell> {
    vec![h("科目编码", 1, 2), h(top, 1, 2)]
}

/// 项目 and 预算数 under 收入 and again under 支出: the header of 附表1.
fn overview_head() -> Vec<Vec<HeadCell>> {
    vec![
        vec![h("收　　入", 2, 1), h("支　　出", 2, 1)],
        vec![h("项　　目", 1, 1), h("预算数", 1, 1), h("项　　目", 1, 1), h("预算数", 1, 1)],
    ]
}

/// 附表1 部门收支总表.
fn income_expenditure_overview(d: &Derivation, u: &Unit) -> TableView {
    let mut rows = overview_pairs(d, u);
    let this_year: Amount = d.overview_income.iter().map(|(_, a)| *a).sum();
    let spent = totals(&d.spending, 3)[0];
    rows.push(overview_total("本年收入合计", this_year, "本年支出合计", spent, u));
    rows.push(RowView {
        level: String::new(),
        cells: vec![
            CellView::text("上年结转"),
            u.cell(d.overview_carryover),
            CellView::text("结转下年"),
            u.cell(Amount::ZERO),
        ],
    });
    let all_in = this_year + d.overview_carryover;
    rows.push(overview_total("收入总计", all_in, "支出总计", spent, u));
    let empty = this_year.is_zero() && d.overview_carryover.is_zero();
    TableView {
        number: 1,
        title: "部门收支总表".into(),
        unit: String::new(),
        landscape: false,
        widths: vec![5, 2, 5, 2],
        head: overview_head(),
        rows,
        empty,
        note: if empty { empty_note(d.year, "收支预算") } else { String::new() },
    }
}

/// 附表1's body: the income sources beside the spending 类, numbered
/// separately, the shorter column padded with blanks.
fn overview_pairs(d: &Derivation, u: &Unit) -> Vec<RowView> {
    let classes: Vec<&ClassRow> = d.spending.iter().filter(|r| r.level == Level::Class).collect();
    let n = d.overview_income.len().max(classes.len());
    (0..n)
        .map(|k| {
            let mut cells = match d.overview_income.get(k) {
                Some((label, a)) => {
                    vec![CellView::text(format!("{}、{label}", chinese_number(k + 1))), u.cell(*a)]
                }
                None => vec![CellView::blank(), CellView::blank()],
            };
            cells.extend(match classes.get(k) {
                Some(r) => vec![
                    CellView::text(format!("{}、{}", chinese_number(k + 1), r.name)),
                    u.cell(r.values[0]),
                ],
                None => vec![CellView::blank(), CellView::blank()],
            });
            RowView { level: String::new(), cells }
        })
        .collect()
}

/// A bold 合计 line of 附表1: income label and amount, spending label and
/// amount.
fn overview_total(l: &str, a: Amount, r: &str, c: Amount, u: &Unit) -> RowView {
    RowView {
        level: "合计".to_string(),
        cells: vec![
            CellView::center(l).bold(true),
            u.cell(a).bold(true),
            CellView::center(r).bold(true),
            u.cell(c).bold(true),
        ],
    }
}

/// 附表2 部门收入总表.
fn income_table(d: &Derivation, u: &Unit) -> TableView {
    let mut head1 = code_head("科目名称");
    head1.extend([h("合计", 1, 2), h("上年结转", 1, 2), h("本年收入", 7, 1)]);
    let head2 = [
        "一般公共预算",
        "政府性基金预算",
        "国有资本经营预算",
        "财政专户管理资金",
        "事业收入",
        "事业单位经营收入",
        "其他收入",
    ]
    .map(|l| h(l, 1, 1))
    .to_vec();
    classified(
        2,
        "部门收入总表",
        true,
        vec![5, 13, 6, 6, 6, 6, 6, 6, 6, 6, 6],
        vec![head1, head2],
        &d.income,
        u,
        empty_note(d.year, "收入预算"),
    )
}

/// A table of 合计, 基本支出 and 项目支出 by function: 附表3, 8 and 9.
fn basic_project_table(
    number: usize,
    title: &str,
    rows: &[ClassRow],
    u: &Unit,
    note: String,
) -> TableView {
    let mut head = code_head("科目名称");
    head.extend([h("合计", 1, 2), h("基本支出", 1, 2), h("项目支出", 1, 2)]);
    classified(number, title, false, vec![3, 8, 3, 3, 3], vec![head, vec![]], rows, u, note)
}

/// 附表4 财政拨款收支总表.
fn appropriation_overview(d: &Derivation, u: &Unit) -> TableView {
    let mut rows = appropriation_pairs(d, u);
    let total_in: Amount = d.appropriation_income.iter().flatten().copied().sum();
    let out = totals(&d.appropriation, 4);
    let mut cells = vec![
        CellView::center("收入总计").bold(true),
        u.cell(total_in).bold(true),
        CellView::center("支出总计").bold(true),
    ];
    cells.extend(out.iter().map(|a| u.cell(*a).bold(true)));
    rows.push(RowView { level: "合计".into(), cells });
    let empty = total_in.is_zero() && out[0].is_zero();
    TableView {
        number: 4,
        title: "财政拨款收支总表".into(),
        unit: String::new(),
        landscape: true,
        widths: vec![6, 3, 6, 3, 3, 3, 3],
        head: appropriation_head(),
        rows,
        empty,
        note: if empty { empty_note(d.year, "财政拨款收支") } else { String::new() },
    }
}

fn appropriation_head() -> Vec<Vec<HeadCell>> {
    vec![
        vec![h("收　　入", 2, 1), h("支　　出", 5, 1)],
        vec![
            h("项　　目", 1, 1),
            h("预算数", 1, 1),
            h("项　　目", 1, 1),
            h("合计", 1, 1),
            h("一般公共预算", 1, 1),
            h("政府性基金预算", 1, 1),
            h("国有资本经营预算", 1, 1),
        ],
    ]
}

/// 附表4's income column: label, amount, indent and boldness of each line
/// — 本年收入 and 上年结转, each followed by its three funds.
fn appropriation_income_lines(d: &Derivation) -> Vec<(String, Amount, usize, bool)> {
    let [now, carried] = d.appropriation_income;
    let labels = ["一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款"];
    let mut v = vec![("一、本年收入".to_string(), now.iter().copied().sum(), 0, true)];
    for (k, l) in labels.iter().enumerate() {
        v.push((format!("（{}）{l}", chinese_number(k + 1)), now[k], 1, false));
    }
    v.push(("二、上年结转".to_string(), carried.iter().copied().sum(), 0, true));
    for (k, l) in labels.iter().enumerate() {
        v.push((format!("（{}）{l}", chinese_number(k + 1)), carried[k], 1, false));
    }
    v
}

/// 附表4's body: the income lines beside the appropriated spending 类, the
/// shorter column padded with blanks.
fn appropriation_pairs(d: &Derivation, u: &Unit) -> Vec<RowView> {
    let left = appropriation_income_lines(d);
    let classes: Vec<&ClassRow> =
        d.appropriation.iter().filter(|r| r.level == Level::Class).collect();
    let n = left.len().max(classes.len());
    (0..n)
        .map(|k| {
            let mut cells = match left.get(k) {
                Some((label, a, indent, bold)) => vec![
                    CellView::text(label.clone()).indent(*indent).bold(*bold),
                    u.cell(*a).bold(*bold),
                ],
                None => vec![CellView::blank(), CellView::blank()],
            };
            match classes.get(k) {
                Some(r) => {
                    cells.push(CellView::text(format!("{}、{}", chinese_number(k + 1), r.name)));
                    cells.extend(r.values.iter().map(|a| u.body(*a)));
                }
                None => cells.extend((0..5).map(|_| CellView::blank())),
            }
            RowView { level: String::new(), cells }
        })
        .collect()
}

/// 附表5 一般公共预算支出表.
fn general_table(d: &Derivation, u: &Unit) -> TableView {
    let mut head1 = code_head("科目名称");
    head1.extend([h("合计", 1, 2), h("基本支出", 3, 1), h("项目支出", 1, 2)]);
    let head2 = vec![h("小计", 1, 1), h("人员经费", 1, 1), h("公用经费", 1, 1)];
    classified(
        5,
        "一般公共预算支出表",
        true,
        vec![3, 9, 3, 3, 3, 3, 3],
        vec![head1, head2],
        &d.general,
        u,
        empty_note(d.year, "一般公共预算支出"),
    )
}

/// 附表6 一般公共预算基本支出表, by economic classification.
fn general_basic_table(d: &Derivation, u: &Unit) -> TableView {
    let mut head = vec![h("经济分类科目编码", 1, 2), h("科目名称", 1, 2)];
    head.extend([h("合计", 1, 2), h("人员经费", 1, 2), h("公用经费", 1, 2)]);
    classified(
        6,
        "一般公共预算基本支出表",
        false,
        vec![3, 8, 3, 3, 3],
        vec![head, vec![]],
        &d.general_basic,
        u,
        empty_note(d.year, "一般公共预算基本支出"),
    )
}

/// 附表7 一般公共预算“三公”经费支出表: this year's budget (bold) over
/// last year's.
fn sangong_table(d: &Derivation, u: &Unit) -> TableView {
    let y = d.year;
    let labels = [format!("{y}年预算数"), format!("{}年预算数", y - 1)];
    let rows = labels
        .iter()
        .zip(d.sangong)
        .enumerate()
        .map(|(k, (label, values))| {
            let mut cells = vec![CellView::center(label.clone()).bold(k == 0)];
            cells.extend(values.iter().map(|a| u.cell(*a).bold(k == 0)));
            RowView { level: String::new(), cells }
        })
        .collect();
    let empty = d.sangong[0][0].is_zero();
    TableView {
        number: 7,
        title: "一般公共预算“三公”经费支出表".into(),
        unit: String::new(),
        landscape: false,
        widths: vec![4, 3, 3, 3, 3, 3, 3],
        head: sangong_head(),
        rows: if empty { Vec::new() } else { rows },
        empty,
        note: if empty {
            empty_note(y, "一般公共预算“三公”经费支出")
        } else {
            String::new()
        },
    }
}

fn sangong_head() -> Vec<Vec<HeadCell>> {
    vec![
        vec![
            h("项　　目", 1, 2),
            h("合计", 1, 2),
            h("因公出国（境）费", 1, 2),
            h("公务用车购置及运行费", 3, 1),
            h("公务接待费", 1, 2),
        ],
        vec![h("小计", 1, 1), h("公务用车购置费", 1, 1), h("公务用车运行费", 1, 1)],
    ]
}

#[allow(clippy::too_many_arguments)]
fn classified(
    number: usize,
    title: &str,
    landscape: bool,
    widths: Vec<u32>,
    mut head: Vec<Vec<HeadCell>>,
    rows: &[ClassRow],
    u: &Unit,
    note: String,
) -> TableView {
    // A header given as one row of rowspan-2 cells stands alone.
    if head.last().is_some_and(Vec::is_empty) {
        head.pop();
        for c in head.iter_mut().flatten() {
            c.rowspan = 1;
        }
    }
    let empty = no_data(rows);
    TableView {
        number,
        title: title.to_string(),
        unit: String::new(),
        landscape,
        widths,
        head,
        rows: if empty { Vec::new() } else { class_body(rows, u) },
        empty,
        note: if empty { note } else { String::new() },
    }
}

// ---------------------------------------------------------------------------
// Tables a profile describes by data: classified, ledger and figures.



impl Selector {
    /// Whether a line item counts in this selector.
    pub fn matches(&self, i: &Item<'_>) -> bool {
        self.0.iter().all(|t| term_matches(*t, i))
    }
}

fn term_matches(t: Term, i: &Item<'_>) -> bool {
    match t {
        Term::All => true,
        Term::Basic => i.kind.is_basic(),
        Term::Personnel => i.kind == Kind::Personnel,
        Term::Public => i.kind == Kind::Public,
        Term::Project => !i.kind.is_basic(),
        Term::Appropriation => i.fund.is_appropriation(),
        Term::Fund(s) => i.fund == s,
        Term::Carryover => i.source == Source::Carryover,
        Term::Figure(_) => false,
    }
}

/// A selector already checked when the profile was read; an unreadable one
/// (impossible after the checks) selects nothing rather than panicking.
fn selector(s: &str) -> Selector {
    Selector::parse(s).unwrap_or(Selector(vec![]))
}

fn filter_of(spec: &TableSpec) -> Selector {
    spec.filter.as_deref().map(selector).unwrap_or(Selector(vec![Term::All]))
}





/// One column of a header: the titles above it, outermost first, and its own.
struct HeadCol {
    path: Vec<String>,
    label: String,
}

fn col(path: &[&str], label: &str) -> HeadCol {
    HeadCol { path: path.iter().map(|s| s.to_string()).collect(), label: label.to_string() }
}

/// Header rows from columns with nested titles: equal neighbouring titles
/// merge into one cell, and a column's own label reaches down to the last row.
fn nested_head(cols: &[HeadCol]) -> Vec<Vec<HeadCell>> {
    let depth = cols.iter().map(|c| c.path.len() + 1).max().unwrap_or(1);
    let mut rows = vec![Vec::new(); depth];
    for (level, row) in rows.iter_mut().enumerate() {
        let mut k = 0;
        while k < cols.len() {
            let c = &cols[k];
            if level < c.path.len() {
                let key = &c.path[..=level];
                let span = cols[k..].iter().take_while(|o| o.path.get(..=level) == Some(key)).count();
                row.push(h(&c.path[level], span, 1));
                k += span;
            } else {
                if level == c.path.len() {
                    row.push(h(&c.label, 1, depth - level));
                }
                k += 1;
            }
        }
    }
    rows
}

/// The key columns of a classified table: codes (split or joined) and name.
fn key_columns(spec: &TableSpec) -> (Vec<HeadCol>, Vec<u32>) {
    let (code, name, parts): (&str, &str, &[&str]) = match spec.rows {
        Rows::Function => ("功能分类科目编码", "功能分类科目名称", &["类", "款", "项"]),
        Rows::Economic => ("部门预算经济分类科目编码", "经济分类科目名称", &["类", "款"]),
    };
    let outer: Vec<&str> = if spec.group.is_some() { vec!["项目"] } else { vec![] };
    let mut cols = Vec::new();
    let mut widths = Vec::new();
    match spec.codes {
        Codes::Split => {
            let mut p = outer.clone();
            p.push(code);
            for l in parts {
                cols.push(col(&p, l));
                widths.push(2);
            }
        }
        Codes::Joined => {
            cols.push(col(&outer, code));
            widths.push(4);
        }
    }
    cols.push(col(&outer, name));
    widths.push(10);
    (cols, widths)
}

fn amount_columns(spec: &TableSpec, cols: &[ColumnSpec]) -> Vec<HeadCol> {
    cols.iter()
        .map(|c| {
            let mut path: Vec<String> = spec.group.iter().cloned().collect();
            path.extend(c.group.iter().cloned());
            HeadCol { path, label: c.label.clone() }
        })
        .collect()
}

/// The rows a classified table sums, before it is printed.
pub fn classified_rows(b: &Budget, spec: &TableSpec) -> Vec<ClassRow> {
    let items = lineitems::items(b);
    let filter = filter_of(spec);
    let cols: Vec<Selector> = spec.columns.iter().map(|c| selector(&c.sum)).collect();
    let values = |i: &Item<'_>| -> Vec<Amount> {
        cols.iter().map(|s| if s.matches(i) { i.amount } else { Amount::ZERO }).collect()
    };
    match spec.rows {
        Rows::Function => {
            by_function(&items, &leaf_names(b), cols.len(), |i| filter.matches(i), values)
        }
        Rows::Economic => {
            let entries: Vec<(String, Vec<Amount>)> = items
                .iter()
                .filter(|i| filter.matches(i))
                .map(|i| (i.economic.unwrap_or("").to_string(), values(i)))
                .collect();
            let cat = catalogue::get();
            let name = |c: &str| cat.economic_name(c).unwrap_or("").to_string();
            class_rows(&entries, cols.len(), &[3, 5], &name)
        }
    }
}

fn classified_table(b: &Budget, spec: &TableSpec, number: usize, f: &Unit) -> TableView {
    let rows = classified_rows(b, spec);
    let (mut head_cols, mut widths) = key_columns(spec);
    let keys = head_cols.len();
    head_cols.extend(amount_columns(spec, &spec.columns));
    widths.extend(spec.columns.iter().map(|_| 5));
    let empty = no_data(&rows);
    let mut body: Vec<RowView> = rows.iter().skip(1).map(|r| class_line(r, spec, f)).collect();
    if let Some(total) = rows.first() {
        let line = total_line(total, keys, f);
        match spec.total {
            TotalAt::Top => body.insert(0, line),
            TotalAt::Bottom => body.push(line),
        }
    }
    let year = b.document.year;
    TableView {
        number,
        title: fill_year(&spec.title, year),
        unit: f.0.unit.label().to_string(),
        landscape: spec.landscape,
        widths,
        head: nested_head(&head_cols),
        rows: if empty { Vec::new() } else { body },
        empty,
        note: if empty { note_of(spec, year) } else { String::new() },
    }
}

fn note_of(spec: &TableSpec, year: i32) -> String {
    match &spec.empty_note {
        Some(n) => fill_year(n, year),
        None => empty_note(year, spec.group.as_deref().unwrap_or("相关预算")),
    }
}

/// A 类, 款 or 项 row: its code (one cell, or one per level), name, amounts.
fn class_line(r: &ClassRow, spec: &TableSpec, f: &Unit) -> RowView {
    let (level, indent, bold) = match r.level {
        Level::Total | Level::Class => ("类", 0, true),
        Level::Kuan => ("款", 1, false),
        Level::Xiang => ("项", 2, false),
    };
    let mut cells = match spec.codes {
        Codes::Joined => vec![CellView::text(r.code.clone()).bold(bold)],
        Codes::Split => {
            let lens: &[(usize, usize)] = match spec.rows {
                Rows::Function => &[(0, 3), (3, 5), (5, 7)],
                Rows::Economic => &[(0, 3), (3, 5)],
            };
            lens.iter()
                .map(|&(a, z)| CellView::center(r.code.get(a..z).unwrap_or("")).bold(bold))
                .collect()
        }
    };
    cells.push(CellView::text(r.name.clone()).indent(indent).bold(bold));
    cells.extend(r.values.iter().map(|a| f.body(*a).bold(bold)));
    RowView { level: level.to_string(), cells }
}

/// The 合计 row: blank code cells, the word, every total shown.
fn total_line(r: &ClassRow, keys: usize, f: &Unit) -> RowView {
    let mut cells: Vec<CellView> = (0..keys - 1).map(|_| CellView::blank()).collect();
    cells.push(CellView::center("合　　计").bold(true));
    cells.extend(r.values.iter().map(|a| f.cell(*a).bold(true)));
    RowView { level: "合计".to_string(), cells }
}

/// Left side income lines, right side the 类 of the filtered items with
/// the spending columns; a 总计 row closes both.
fn ledger_table(b: &Budget, spec: &TableSpec, number: usize, f: &Unit) -> TableView {
    let items = lineitems::items(b);
    let lines: Vec<(String, usize, Amount)> = spec
        .income
        .iter()
        .map(|l| {
            let s = selector(&l.sum);
            (l.label.clone(), l.indent, items.iter().filter(|i| s.matches(i)).map(|i| i.amount).sum())
        })
        .collect();
    let spending = if spec.spending.is_empty() { &spec.columns } else { &spec.spending };
    let rows = {
        let filter = filter_of(spec);
        let cols: Vec<Selector> = spending.iter().map(|c| selector(&c.sum)).collect();
        by_function(&items, &leaf_names(b), cols.len(), |i| filter.matches(i), |i| {
            cols.iter().map(|s| if s.matches(i) { i.amount } else { Amount::ZERO }).collect()
        })
    };
    let classes: Vec<&ClassRow> = rows.iter().filter(|r| r.level == Level::Class).collect();
    let n = lines.len().max(classes.len());
    let mut body: Vec<RowView> = (0..n)
        .map(|k| {
            let mut cells = match lines.get(k) {
                Some((label, indent, a)) => {
                    vec![CellView::text(label.clone()).indent(*indent), f.body(*a)]
                }
                None => vec![CellView::blank(), CellView::blank()],
            };
            match classes.get(k) {
                Some(r) => {
                    cells.push(CellView::text(format!("{}、{}", chinese_number(k + 1), r.name)));
                    cells.extend(r.values.iter().map(|a| f.body(*a)));
                }
                None => cells.extend((0..=spending.len()).map(|_| CellView::blank())),
            }
            RowView { level: String::new(), cells }
        })
        .collect();
    let income: Amount = lines.iter().filter(|l| l.1 == 0).map(|l| l.2).sum();
    let out = totals(&rows, spending.len());
    let [left, right] = spec
        .total_labels
        .clone()
        .unwrap_or_else(|| ["收入总计".to_string(), "支出总计".to_string()]);
    let mut cells =
        vec![CellView::center(left).bold(true), f.cell(income).bold(true), CellView::center(right).bold(true)];
    cells.extend(out.iter().map(|a| f.cell(*a).bold(true)));
    body.push(RowView { level: "合计".into(), cells });
    let in_head = spec.income_head.clone().unwrap_or_else(|| "收　　入".into());
    let out_head = spec.spending_head.clone().unwrap_or_else(|| "支　　出".into());
    let mut head_cols = vec![col(&[&in_head], "项　　目"), col(&[&in_head], "预算数")];
    head_cols.push(col(&[&out_head], "项　　目"));
    head_cols.extend(spending.iter().map(|c| col(&[&out_head], &c.label)));
    let mut widths = vec![7, 4, 7];
    widths.extend(spending.iter().map(|_| 4));
    let year = b.document.year;
    let empty = income.is_zero() && out.iter().all(|a| a.is_zero());
    TableView {
        number,
        title: fill_year(&spec.title, year),
        unit: f.0.unit.label().to_string(),
        landscape: spec.landscape,
        widths,
        head: nested_head(&head_cols),
        rows: body,
        empty,
        note: if empty { note_of(spec, year) } else { String::new() },
    }
}

/// The value of a narrative figure.
fn figure(b: &Budget, fig: Figure) -> Amount {
    let s = &b.sangong.current;
    match fig {
        Figure::Sangong => crate::derive::sangong_total(s),
        Figure::Overseas => s.overseas,
        Figure::Reception => s.reception,
        Figure::Vehicle => s.vehicle_purchase + s.vehicle_operation,
        Figure::VehiclePurchase => s.vehicle_purchase,
        Figure::VehicleOperation => s.vehicle_operation,
        Figure::Operating => crate::derive::operating_amount(b),
    }
}

/// One row of figures under a nested header.
fn figures_table(b: &Budget, spec: &TableSpec, number: usize, f: &Unit) -> TableView {
    let values: Vec<Amount> = spec
        .columns
        .iter()
        .map(|c| selector(&c.sum).figure().map_or(Amount::ZERO, |fig| figure(b, fig)))
        .collect();
    let head_cols = amount_columns(spec, &spec.columns);
    let cells = values.iter().map(|a| f.body(*a)).collect();
    TableView {
        number,
        title: fill_year(&spec.title, b.document.year),
        unit: f.0.unit.label().to_string(),
        landscape: spec.landscape,
        widths: spec.columns.iter().map(|_| 3).collect(),
        head: nested_head(&head_cols),
        rows: vec![RowView { level: String::new(), cells }],
        empty: false,
        note: String::new(),
    }
}

/// The tables a profile lists, numbered in its order. `None` when the file
/// has no line items (the tables are built from them).
pub fn profile_view(b: &Budget, profile: &Profile) -> Option<TablesView> {
    if b.line_items.is_empty() {
        return None;
    }
    let d = derive(b);
    let tables = profile
        .tables
        .iter()
        .enumerate()
        .map(|(k, spec)| {
            let f = Unit(table_format(b, profile, spec));
            let number = k + 1;
            match spec.layout {
                Layout::Classified => classified_table(b, spec, number, &f),
                Layout::Ledger => ledger_table(b, spec, number, &f),
                Layout::Figures => figures_table(b, spec, number, &f),
                Layout::Form143 => form143(&d, spec, number, &f, b.document.year),
            }
        })
        .collect();
    Some(TablesView {
        department: b.document.short_name.clone().unwrap_or_else(|| b.document.department.clone()),
        unit: table_format(b, profile, profile.tables.first()?).unit.label().to_string(),
        tables,
    })
}

/// A table's format: the profile's, with the data file's `table_unit`
/// (元 or 万元) standing in for the profile's default unit.
fn table_format(b: &Budget, profile: &Profile, spec: &TableSpec) -> NumberFormat {
    let mut f = profile.table_format(spec);
    if spec.unit.is_none() {
        if let Some(u) = data_table_unit(b) {
            f.unit = u;
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amount::parse_amount;

    fn a(s: &str) -> Amount {
        parse_amount(s).unwrap()
    }

    fn sample(name: &str) -> Budget {
        let text =
            std::fs::read_to_string(format!("{}/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        lineitems::resolve(toml::from_str(&text).unwrap(), &text)
    }

    fn samples() -> Vec<Budget> {
        vec![sample("101001-2021.toml"), sample("215001-2021.toml")]
    }

    /// Sum of the line items whose function code starts with `prefix` and
    /// that `keep` selects — straight from the data, not through the
    /// derivation.
    fn raw(b: &Budget, prefix: &str, keep: &dyn Fn(&crate::model::LineItem) -> bool) -> Amount {
        b.line_items
            .iter()
            .filter(|l| l.function.trim().starts_with(prefix) && keep(l))
            .map(|l| l.amount)
            .sum()
    }

    fn src(l: &crate::model::LineItem) -> &str {
        l.source.as_deref().unwrap_or("一般公共预算")
    }

    /// The fund of a line: a carry-over counts as the budget it came from.
    fn fund(l: &crate::model::LineItem) -> &str {
        if src(l) == "上年结转" {
            l.carried_from.as_deref().unwrap_or("一般公共预算")
        } else {
            src(l)
        }
    }

    #[test]
    fn class_rows_sum_by_prefix_in_tree_order() {
        let entries = vec![
            ("2010102".to_string(), vec![a("1"), a("0")]),
            ("2010101".to_string(), vec![a("2"), a("2")]),
            ("2080505".to_string(), vec![a("4"), a("0")]),
            ("2010101".to_string(), vec![a("0.5"), a("0.5")]),
        ];
        let rows = class_rows(&entries, 2, &[3, 5, 7], &|c: &str| format!("名{c}"));
        let got: Vec<(Level, &str, String)> =
            rows.iter().map(|r| (r.level, r.code.as_str(), r.values[0].text())).collect();
        assert_eq!(
            got,
            vec![
                (Level::Total, "", "7.5".to_string()),
                (Level::Class, "201", "3.5".into()),
                (Level::Kuan, "20101", "3.5".into()),
                (Level::Xiang, "2010101", "2.5".into()),
                (Level::Xiang, "2010102", "1".into()),
                (Level::Class, "208", "4".into()),
                (Level::Kuan, "20805", "4".into()),
                (Level::Xiang, "2080505", "4".into()),
            ]
        );
        assert!(subtotal_problems(&rows, 2).is_empty());
    }

    #[test]
    fn every_row_of_every_classified_table_matches_the_raw_items() {
        for b in samples() {
            let d = derive(&b);
            for r in &d.income {
                let all = raw(&b, &r.code, &|_| true);
                assert_eq!(r.values[0], all, "收入总表 {} 合计", r.code);
                assert_eq!(r.values[1], raw(&b, &r.code, &|l| src(l) == "上年结转"), "{}", r.code);
                assert_eq!(
                    r.values[2],
                    raw(&b, &r.code, &|l| src(l) == "一般公共预算"),
                    "{}",
                    r.code
                );
                assert_eq!(
                    r.values[3],
                    raw(&b, &r.code, &|l| src(l) == "政府性基金"),
                    "{}",
                    r.code
                );
                // Row: 合计 = 上年结转 + the seven sources.
                let parts: Amount = r.values[1..].iter().copied().sum();
                assert_eq!(r.values[0], parts, "收入总表 {} 列之和", r.code);
            }
            for r in &d.spending {
                assert_eq!(r.values[0], raw(&b, &r.code, &|_| true));
                assert_eq!(r.values[2], raw(&b, &r.code, &|l| l.project.is_some()));
                assert_eq!(r.values[0], r.values[1] + r.values[2], "支出总表 {}", r.code);
            }
            for r in &d.general {
                let g = |l: &crate::model::LineItem| fund(l) == "一般公共预算";
                assert_eq!(r.values[0], raw(&b, &r.code, &g), "一般公共预算 {}", r.code);
                assert_eq!(
                    r.values[2],
                    raw(&b, &r.code, &|l| g(l) && l.basic.as_deref() == Some("人员经费"))
                );
                assert_eq!(r.values[1], r.values[2] + r.values[3]);
                assert_eq!(r.values[0], r.values[1] + r.values[4]);
            }
            for (rows, which) in [(&d.fund, "政府性基金"), (&d.capital, "国有资本经营")]
            {
                for r in rows.iter() {
                    assert_eq!(r.values[0], raw(&b, &r.code, &|l| fund(l) == which));
                    assert_eq!(r.values[0], r.values[1] + r.values[2]);
                }
            }
            for r in &d.appropriation {
                assert_eq!(r.values[0], r.values[1] + r.values[2] + r.values[3]);
            }
            for r in &d.general_basic {
                let econ: Amount = b
                    .line_items
                    .iter()
                    .filter(|l| fund(l) == "一般公共预算" && l.basic.is_some())
                    .filter(|l| l.economic.as_deref().unwrap_or("").starts_with(&r.code))
                    .map(|l| l.amount)
                    .sum();
                assert_eq!(r.values[0], econ, "基本支出表 {}", r.code);
                assert_eq!(r.values[0], r.values[1] + r.values[2]);
            }
            for rows in [&d.income, &d.spending, &d.general, &d.general_basic, &d.fund, &d.capital]
            {
                assert!(subtotal_problems(rows, rows[0].values.len()).is_empty());
            }
            assert!(consistency(&b).is_empty(), "{:?}", consistency(&b));
        }
    }

    #[test]
    fn the_overview_tables_agree_with_the_narrative() {
        for b in samples() {
            let d = derive(&b);
            let income = crate::derive::income_total(&b.income);
            let spend = crate::derive::expenditure_total(&b.expenditure);
            assert_eq!(d.income[0].values[0], income);
            assert_eq!(d.spending[0].values[0], spend);
            assert_eq!(d.spending[0].values[1], crate::derive::basic_total(&b.expenditure));
            assert_eq!(d.overview_carryover, b.income.carryover);
            assert_eq!(d.sangong[0][0], crate::derive::sangong_total(&b.sangong.current));
            let basic: Amount = b
                .line_items
                .iter()
                .filter(|l| fund(l) == "一般公共预算" && l.basic.is_some())
                .map(|l| l.amount)
                .sum();
            assert_eq!(d.general_basic[0].values[0], basic);
        }
    }

    #[test]
    fn the_grid_has_nine_tables_and_empty_ones_carry_the_note() {
        let seed = view(&sample("101001-2021.toml"), &crate::profile::default_profile()).unwrap();
        assert_eq!(seed.tables.len(), 9);
        let numbers: Vec<usize> = seed.tables.iter().map(|t| t.number).collect();
        assert_eq!(numbers, (1..=9).collect::<Vec<_>>());
        for t in &seed.tables {
            let width: usize = t.head[0].iter().map(|c| c.colspan).sum();
            assert_eq!(width, t.widths.len(), "{} header width", t.title);
            for r in &t.rows {
                assert_eq!(r.cells.len(), t.widths.len(), "{} row width", t.title);
            }
            assert_eq!(t.empty, !t.note.is_empty(), "{}", t.title);
        }
        let fund = &seed.tables[7];
        assert!(fund.empty);
        assert_eq!(fund.note, "本部门2021年无政府性基金预算支出，故本表为空表。");
        assert!(seed.tables[8].empty);
        assert!(!seed.tables[4].empty);
        let second = view(&sample("215001-2021.toml"), &crate::profile::default_profile()).unwrap();
        assert!(!second.tables[7].empty, "the second sample has fund spending");
    }

    #[test]
    fn yuan_tables_multiply_by_ten_thousand() {
        let mut b = sample("101001-2021.toml");
        b.document.table_unit = Some("元".into());
        let v = view(&b, &crate::profile::default_profile()).unwrap();
        assert_eq!(v.unit, "元");
        let total = &v.tables[2].rows[0].cells[2];
        assert_eq!(total.text, "22204200.00");
    }

    fn shanghai() -> (Budget, Profile) {
        let p = crate::profiles::parse(crate::profiles::SHANGHAI[0].1).unwrap();
        (sample("318001-2025.toml"), p)
    }

    fn yuan(a: Amount) -> String {
        let f = NumberFormat { unit: MoneyUnit::Yuan, decimals: 2, trim_zeros: false, separator: true };
        a.format(&f)
    }

    #[test]
    fn a_profile_lists_its_tables_in_its_order_with_its_units() {
        let (b, p) = shanghai();
        let v = view(&b, &p).unwrap();
        let titles: Vec<&str> = v.tables.iter().map(|t| t.title.as_str()).collect();
        assert_eq!(titles[0], "2025年部门财务收支预算总表");
        assert_eq!(titles[8], "2025年部门“三公”经费和机关运行经费预算表");
        assert_eq!(v.tables.len(), 9);
        let units: Vec<&str> = v.tables.iter().map(|t| t.unit.as_str()).collect();
        assert_eq!(units, ["元", "元", "元", "元", "元", "元", "元", "元", "万元"]);
        for t in &v.tables {
            let width: usize = t.head[0].iter().map(|c| c.colspan).sum();
            assert_eq!(width, t.widths.len(), "{} header width", t.title);
            for r in &t.rows {
                assert_eq!(r.cells.len(), t.widths.len(), "{} row width", t.title);
            }
            assert_eq!(t.empty, !t.note.is_empty(), "{}", t.title);
        }
        assert!(v.tables[5].empty && v.tables[6].empty, "no fund or capital spending");
        assert!(v.tables[5].note.contains("政府性基金预算财政拨款"));
    }

    /// Every 类/款/项 row of the income table, recomputed from the raw line
    /// items: 合计 and 财政拨款收入 and 事业收入, in 元 with separators.
    #[test]
    fn classified_rows_match_the_raw_items_in_yuan() {
        let (b, p) = shanghai();
        let v = view(&b, &p).unwrap();
        let income = &v.tables[1];
        let total = income.rows.last().unwrap();
        assert_eq!(total.level, "合计", "合计 at the bottom");
        let all: Amount = b.line_items.iter().map(|l| l.amount).sum();
        assert_eq!(total.cells[4].text, yuan(all));
        assert_eq!(total.cells[4].text, "22,578,418.00");
        let appropriated = |l: &crate::model::LineItem| {
            matches!(src(l), "一般公共预算" | "政府性基金" | "国有资本经营")
        };
        for r in &income.rows[..income.rows.len() - 1] {
            let code: String = r.cells[..3].iter().map(|c| c.text.as_str()).collect();
            let blank_or = |a: Amount| if a.is_zero() { String::new() } else { yuan(a) };
            assert_eq!(r.cells[4].text, blank_or(raw(&b, &code, &|_| true)), "{code} 合计");
            assert_eq!(r.cells[5].text, blank_or(raw(&b, &code, &appropriated)), "{code} 财政拨款");
            assert_eq!(
                r.cells[6].text,
                blank_or(raw(&b, &code, &|l| src(l) == "事业收入")),
                "{code} 事业收入"
            );
        }
    }

    #[test]
    fn ledger_and_figures() {
        let (b, p) = shanghai();
        let v = view(&b, &p).unwrap();
        let overview = &v.tables[0];
        let last = overview.rows.last().unwrap();
        assert_eq!(last.cells[0].text, "收入总计");
        assert_eq!(last.cells[1].text, "22,578,418.00");
        assert_eq!(last.cells[3].text, "22,578,418.00");
        assert_eq!(overview.rows[0].cells[0].text, "一、财政拨款收入");
        assert_eq!(overview.rows[0].cells[2].text, "一、科学技术支出");
        let sangong = &v.tables[8];
        assert_eq!(sangong.head.len(), 3, "three header rows");
        let cells: Vec<&str> = sangong.rows[0].cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(cells, ["5.80", "", "1.20", "4.60", "", "4.60", "109.67"]);
    }

    #[test]
    fn nested_headers_merge_equal_titles() {
        let cols = [col(&["甲"], "a"), col(&["甲", "乙"], "b"), col(&["甲", "乙"], "c"), col(&[], "d")];
        let head = nested_head(&cols);
        let shape: Vec<Vec<(String, usize, usize)>> = head
            .iter()
            .map(|r| r.iter().map(|c| (c.text.clone(), c.colspan, c.rowspan)).collect())
            .collect();
        assert_eq!(
            shape,
            vec![
                vec![("甲".into(), 3, 1), ("d".into(), 1, 3)],
                vec![("a".into(), 1, 2), ("乙".into(), 2, 1)],
                vec![("b".into(), 1, 1), ("c".into(), 1, 1)],
            ]
        );
    }

    #[test]
    fn chinese_numbers() {
        assert_eq!(chinese_number(1), "一");
        assert_eq!(chinese_number(10), "十");
        assert_eq!(chinese_number(11), "十一");
        assert_eq!(chinese_number(20), "二十");
        assert_eq!(chinese_number(29), "二十九");
    }
}
