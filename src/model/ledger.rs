//! 附表的数字：把预算明细按功能分类、经济分类和资金来源汇总成九张附表的金额（万元，精确），
//! 以及它们之间必须成立的恒等式。`derive::tables` 把这些数字排成表格。

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::model::Budget;
use crate::model::amount::Amount;
use crate::model::catalogue::{self, Catalogue, Scheme};
use crate::model::lineitems::{self, Item, Kind, Source};
use crate::model::profile::{Rows, Selector};

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

/// The catalogue the budget was read with (`source` sets it; a budget made
/// otherwise has none, and its tables no catalogue names).
fn catalogue_of(b: &Budget) -> &Catalogue {
    b.catalogue.as_deref().unwrap_or_else(|| catalogue::empty())
}

/// The name of every function code the tables show: 类 and 款 from the
/// catalogue of the data's year, 项 from it too when it lists them (so a
/// renamed 科目 prints its current name), else as the line items give them
/// (first one written wins; the checks report a disagreement).
fn function_names(b: &Budget) -> HashMap<String, String> {
    let cat = catalogue_of(b);
    let mut names = HashMap::new();
    for li in &b.line_items {
        let code = li.function.trim();
        let written = li.function_name.as_deref().map(str::trim).filter(|n| !n.is_empty());
        for len in [3, 5, 7] {
            let Some(c) = code.get(..len) else { continue };
            let name = cat.name(Scheme::Function, c).or(if len == 7 { written } else { None });
            if let Some(n) = name {
                names.entry(c.to_string()).or_insert_with(|| n.to_string());
            }
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
    let name = |code: &str| names.get(code).cloned().unwrap_or_default();
    class_rows(&entries, width, &[3, 5, 7], &name)
}

/// `amount` in the column whose predicate holds, zero elsewhere.
fn spread(amount: Amount, hits: &[bool]) -> Vec<Amount> {
    hits.iter().map(|&h| if h { amount } else { Amount::ZERO }).collect()
}

/// Sums the line items into the nine tables.
pub fn derive(b: &Budget) -> Derivation {
    let items = lineitems::items(b);
    let names = function_names(b);
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
        general_basic: general_basic(&items, catalogue_of(b)),
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
fn general_basic(items: &[Item<'_>], cat: &Catalogue) -> Vec<ClassRow> {
    let entries: Vec<(String, Vec<Amount>)> = items
        .iter()
        .filter(|i| i.fund == Source::General && i.kind.is_basic())
        .map(|i| {
            let code = i.economic.unwrap_or("").to_string();
            (code, spread(i.amount, &[true, i.kind == Kind::Personnel, i.kind == Kind::Public]))
        })
        .collect();
    class_rows(&entries, 3, &[3, 5], &|c: &str| {
        cat.name(Scheme::Economic, c).unwrap_or("").to_string()
    })
}

/// 附表7's six columns for one year's figures.
fn sangong_columns(f: &crate::model::SangongFigures) -> [Amount; 6] {
    let vehicle = f.vehicle();
    [f.total(), f.overseas, vehicle, f.vehicle_purchase, f.vehicle_operation, f.reception]
}

/// Rows of a table a profile describes: the items `filter` keeps, by
/// function (类/款/项) or economic (类/款) classification, one column per
/// selector.
pub fn selected(b: &Budget, rows: Rows, filter: &Selector, cols: &[Selector]) -> Vec<ClassRow> {
    let items = lineitems::items(b);
    let values = |i: &Item<'_>| -> Vec<Amount> {
        cols.iter().map(|s| if s.matches(i) { i.amount } else { Amount::ZERO }).collect()
    };
    match rows {
        Rows::Function => {
            by_function(&items, &function_names(b), cols.len(), |i| filter.matches(i), values)
        }
        Rows::Economic => {
            let entries: Vec<(String, Vec<Amount>)> = items
                .iter()
                .filter(|i| filter.matches(i))
                .map(|i| (i.economic.unwrap_or("").to_string(), values(i)))
                .collect();
            let cat = catalogue_of(b);
            let name = |c: &str| cat.name(Scheme::Economic, c).unwrap_or("").to_string();
            class_rows(&entries, cols.len(), &[3, 5], &name)
        }
    }
}

/// The sum of the line items a selector picks.
pub fn selected_total(b: &Budget, s: &Selector) -> Amount {
    lineitems::items(b).iter().filter(|i| s.matches(i)).map(|i| i.amount).sum()
}

/// Appropriated spending per 项 with the 类 and 款 names above it, in code
/// order: what 财政拨款支出主要内容 lists, one sentence each. (code, label,
/// amount).
pub fn appropriation_items(b: &Budget) -> Vec<(String, String, Amount)> {
    let d = derive(b);
    let name = |code: &str| {
        d.appropriation.iter().find(|r| r.code == code).map(|r| r.name.clone()).unwrap_or_default()
    };
    d.appropriation
        .iter()
        .filter(|r| r.level == Level::Xiang && !r.values[0].is_zero())
        .map(|r| {
            let (class, kuan) = (r.code.get(..3).unwrap_or(""), r.code.get(..5).unwrap_or(""));
            let label = format!("{}（类）{}（款）{}（项）", name(class), name(kuan), r.name);
            (r.code.clone(), label, r.values[0])
        })
        .collect()
}

/// The 合计 row's values (zeros for a table without rows).
pub fn totals(rows: &[ClassRow], width: usize) -> Vec<Amount> {
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
    e.eq("“三公”经费支出表合计等于“三公”经费一节", d.sangong[0][0], b.sangong.current.total());
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
