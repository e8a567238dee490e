//! 附表的排印：把 `model::ledger` 算出的九张表的金额排成表头、各行与单元格（财预〔2016〕143号表样）。
//!
//! `model::ledger::derive` sums the line items into the tables' figures
//! (exact, in 万元); [`view`] turns them into a grid of cells — header rows with spans, body
//! rows with their 类/款/项 level and amounts as `Money` in the document's
//! table unit — which the Typst template and the xlsx writer both print, so
//! the PDF and the workbook cannot disagree.

use crate::derive::layouts;
use crate::derive::view::{Align, CellView, HeadCell, Money, RowView, TableView, TablesView};
use crate::model::Budget;
use crate::model::amount::Amount;
use crate::model::ledger::{self, ClassRow, Derivation, Level, totals};
use crate::model::profile::{Layout, MoneyUnit, NumberFormat, Profile, TableSpec, fill_year};

impl CellView {
    pub(crate) fn text(t: impl Into<String>) -> CellView {
        CellView {
            text: t.into(),
            amount: None,
            indent: 0,
            bold: false,
            align: Align::Left,
            head: false,
        }
    }
    pub(crate) fn center(t: impl Into<String>) -> CellView {
        CellView { align: Align::Center, ..CellView::text(t) }
    }
    pub(crate) fn money(m: Money) -> CellView {
        CellView {
            text: m.fixed.clone(),
            amount: Some(m),
            indent: 0,
            bold: false,
            align: Align::Right,
            head: false,
        }
    }
    pub(crate) fn blank() -> CellView {
        CellView::text("")
    }
    pub(crate) fn indent(mut self, n: usize) -> CellView {
        self.indent = n;
        self
    }
    pub(crate) fn bold(mut self, b: bool) -> CellView {
        self.bold = b;
        self
    }
}

pub(crate) fn h(text: &str, colspan: usize, rowspan: usize) -> HeadCell {
    HeadCell { text: text.to_string(), colspan, rowspan }
}

/// Amounts in a table's unit and number format (the profile's, by table).
pub(crate) struct Unit(pub NumberFormat);

impl Unit {
    fn money(&self, a: Amount) -> Money {
        Money::with(a, &self.0)
    }
    pub(crate) fn cell(&self, a: Amount) -> CellView {
        CellView::money(self.money(a))
    }
    /// A cell of a table by 科目 (附表2, 3, 5, 6, 8, 9): zero prints as
    /// blank, in the 合计 row as in the others. The summary tables (附表1,
    /// 4), 附表7 and the assets table print every amount, 0.00 included:
    /// their lines are fixed items, where a blank would read as missing.
    pub(crate) fn body(&self, a: Amount) -> CellView {
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
            cells.extend(r.values.iter().map(|a| u.body(*a).bold(bold)));
            RowView { level: level.to_string(), cells }
        })
        .collect()
}

/// A table with nothing to show has no body: only its 合计 row exists.
pub(crate) fn no_data(rows: &[ClassRow]) -> bool {
    rows.len() <= 1 && rows.first().is_none_or(|r| r.values.iter().all(|a| a.is_zero()))
}

/// Builds the tables a profile lists, numbered in its order, each in its
/// own unit and number format. `None` when the file has no line items (the
/// tables are built from them).
pub fn view(b: &Budget, profile: &Profile) -> Option<TablesView> {
    if b.line_items.is_empty() {
        return None;
    }
    let d = ledger::derive(b);
    // A document's tables sum its own line items: a 决算's are its final
    // figures (the budget's are its 年初预算).
    let own;
    let items_of = match &b.final_accounts {
        Some(_) => {
            own = crate::model::final_accounts::final_budget(b);
            &own
        }
        None => b,
    };
    let tables: Vec<TableView> = profile
        .tables
        .iter()
        .enumerate()
        .map(|(k, spec)| {
            let u = Unit(table_format(b, profile, spec));
            let number = k + 1;
            match (spec.layout, &b.final_accounts) {
                (Layout::Classified, _) => layouts::classified_table(items_of, spec, number, &u),
                (Layout::Ledger, _) => layouts::ledger_table(items_of, spec, number, &u),
                (Layout::Figures, _) => layouts::figures_table(items_of, spec, number, &u),
                (Layout::Final, Some(fa)) => {
                    crate::derive::final_tables::table(items_of, &fa.file, spec, number, &u)
                }
                // A budget profile cannot list a final form (source::profile
                // refuses it), nor a budget take a 决算 profile; stay total.
                (Layout::Form143 | Layout::Final, _) => form143(&d, spec, number, &u),
            }
        })
        .map(with_row_heads)
        .collect();
    let unit = profile.tables.first().map_or(MoneyUnit::Wan, |t| table_format(b, profile, t).unit);
    Some(TablesView {
        department: b.document.short_name.clone().unwrap_or_else(|| b.document.department.clone()),
        unit: unit.label().to_string(),
        yuan: unit == MoneyUnit::Yuan,
        tables,
    })
}

/// Marks each cell that names its row: a cell of a header column that is
/// not blank. Every renderer reads the same flag.
fn with_row_heads(mut t: TableView) -> TableView {
    for r in &mut t.rows {
        for (x, c) in r.cells.iter_mut().enumerate() {
            c.head = t.header_columns.contains(&x) && !c.text.is_empty();
        }
    }
    t
}

/// One of the nine forms of 财预〔2016〕143号, numbered and titled as the
/// profile says.
fn form143(d: &Derivation, spec: &TableSpec, number: usize, u: &Unit) -> TableView {
    let y = d.year;
    let mut t = match spec.form.unwrap_or(1) {
        1 => income_expenditure_overview(d, u),
        2 => income_table(d, u),
        3 => basic_project_table(3, "部门支出总表", &d.spending, u, empty_note(y, "支出预算")),
        4 => appropriation_overview(d, u),
        5 => general_table(d, u),
        6 => general_basic_table(d, u),
        7 => sangong_table(d, u),
        8 => {
            let note = empty_note(y, "政府性基金预算支出");
            basic_project_table(8, "政府性基金预算支出表", &d.fund, u, note)
        }
        _ => {
            let note = empty_note(y, "国有资本经营预算支出");
            basic_project_table(9, "国有资本经营预算支出表", &d.capital, u, note)
        }
    };
    t.number = number;
    t.title = fill_year(&spec.title, y);
    t.unit = u.0.unit.label().to_string();
    t
}

/// A table's format: the profile's, with the data file's `table_unit`
/// (元 or 万元) standing in for the profile's default unit.
fn table_format(b: &Budget, profile: &Profile, spec: &TableSpec) -> NumberFormat {
    let mut f = profile.table_format(spec);
    let written = match b.document.table_unit.as_deref().map(str::trim) {
        Some("元") => Some(MoneyUnit::Yuan),
        Some("万元") => Some(MoneyUnit::Wan),
        _ => None,
    };
    if let (None, Some(u)) = (spec.unit, written) {
        f.unit = u;
    }
    f
}

/// The sentence printed in place of an empty table's body.
pub(crate) fn empty_note(year: i32, what: &str) -> String {
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
        header_columns: vec![0, 2],
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
        header_columns: vec![0, 2],
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
                    cells.extend(r.values.iter().map(|a| u.cell(*a)));
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
        header_columns: vec![0],
        empty,
        note: if empty {
            empty_note(y, "一般公共预算“三公”经费支出")
        } else {
            String::new()
        },
    }
}

pub(crate) fn sangong_head() -> Vec<Vec<HeadCell>> {
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
        // 科目编码 and 科目名称 name the row.
        header_columns: vec![0, 1],
        empty,
        note: if empty { note } else { String::new() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::amount::parse_amount;
    use crate::model::ledger::{class_rows, consistency, derive, subtotal_problems};
    use crate::model::profile::default_profile;
    use crate::source::resolve::resolve;

    fn a(s: &str) -> Amount {
        parse_amount(s).unwrap()
    }

    fn sample(name: &str) -> Budget {
        let text =
            std::fs::read_to_string(format!("{}/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        resolve(toml::from_str(&text).unwrap(), &text)
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
            let income = b.income.total();
            let spend = b.expenditure.total();
            assert_eq!(d.income[0].values[0], income);
            assert_eq!(d.spending[0].values[0], spend);
            assert_eq!(d.spending[0].values[1], b.expenditure.basic_total());
            assert_eq!(d.overview_carryover, b.income.carryover);
            assert_eq!(d.sangong[0][0], b.sangong.current.total());
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
        let seed = view(&sample("101001-2021.toml"), &default_profile()).unwrap();
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
        let second = view(&sample("215001-2021.toml"), &default_profile()).unwrap();
        assert!(!second.tables[7].empty, "the second sample has fund spending");
    }

    #[test]
    fn yuan_tables_multiply_by_ten_thousand() {
        let mut b = sample("101001-2021.toml");
        b.document.table_unit = Some("元".into());
        let v = view(&b, &default_profile()).unwrap();
        assert_eq!(v.unit, "元");
        let total = &v.tables[2].rows[0].cells[2];
        assert_eq!(total.text, "22204200.00");
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
