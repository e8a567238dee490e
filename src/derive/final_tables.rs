//! 部门决算的九张表（final 表样）：收入支出决算总表、收入决算表……国有资本经营预算财政拨款收入支出决算表。
//!
//! Forms 3, 5 and 6 are ordinary `classified` tables of a 决算 profile,
//! summed over the final line items; this module builds the forms that read
//! the 决算's own figures (balances, income by source, 三公 预算 beside 决算)
//! as the same grid of cells every table is printed from.

use crate::derive::tables::{Unit, chinese_number, h, sangong_head};
use crate::derive::view::{CellView, HeadCell, RowView, TableView};
use crate::model::Budget;
use crate::model::amount::Amount;
use crate::model::final_accounts::{FinalFile, Fund, FundBalance, fund_spending};
use crate::model::ledger::{self, ClassRow, Level};
use crate::model::lineitems::Source;
use crate::model::profile::{Rows, Selector, TableSpec, Term, fill_year};

/// One of the nine 决算 forms the profile lists. `fb` is the budget with
/// the final line items.
pub(crate) fn table(
    fb: &Budget,
    f: &FinalFile,
    spec: &TableSpec,
    number: usize,
    u: &Unit,
) -> TableView {
    let year = fb.document.year;
    let mut t = match spec.form.unwrap_or(1) {
        1 => overview(fb, f, u),
        2 => income(f, u),
        4 => appropriation(fb, f, u),
        7 => sangong(fb, f, u),
        8 => fund_table(fb, f, Fund::Government, u),
        9 => fund_table(fb, f, Fund::Capital, u),
        // 3, 5, 6 are classified tables; a profile naming them here gets
        // the overview rather than nothing.
        _ => overview(fb, f, u),
    };
    t.number = number;
    t.title = fill_year(&spec.title, year);
    t.unit = u.0.unit.label().to_string();
    t.landscape = t.landscape || spec.landscape;
    if t.empty {
        t.rows.clear();
        t.note = spec.empty_note.as_deref().map_or(t.note.clone(), |n| fill_year(n, year));
    }
    t
}

fn grid(
    head: Vec<Vec<HeadCell>>,
    widths: Vec<u32>,
    rows: Vec<RowView>,
    keys: Vec<usize>,
) -> TableView {
    TableView {
        number: 0,
        title: String::new(),
        unit: String::new(),
        landscape: false,
        widths,
        head,
        rows,
        header_columns: keys,
        empty: false,
        note: String::new(),
    }
}

fn line(cells: Vec<CellView>) -> RowView {
    RowView { level: String::new(), cells }
}

fn total_line(cells: Vec<CellView>) -> RowView {
    RowView { level: "合计".into(), cells: cells.into_iter().map(|c| c.bold(true)).collect() }
}

fn fund(f: &FinalFile, which: Fund) -> Option<&FundBalance> {
    f.funds.iter().find(|x| x.source == which)
}

/// Sums over every fund of the file.
fn all_funds(f: &FinalFile, pick: impl Fn(&FundBalance) -> Amount) -> Amount {
    f.funds.iter().map(pick).sum()
}

/// Spending per 功能分类 类 of the final items a selector picks.
fn classes(fb: &Budget, filter: &Selector) -> Vec<ClassRow> {
    ledger::selected(fb, Rows::Function, filter, &[Selector(vec![Term::All])])
        .into_iter()
        .filter(|r| r.level == Level::Class)
        .collect()
}

fn overview_head(word: &str) -> Vec<Vec<HeadCell>> {
    vec![
        vec![h("收　　入", 2, 1), h("支　　出", 2, 1)],
        vec![h("项　　目", 1, 1), h(word, 1, 1), h("项　　目", 1, 1), h(word, 1, 1)],
    ]
}

/// Income lines beside spending lines, padded to the same length, then the
/// closing lines side by side.
fn paired(left: &[(String, Amount)], right: &[(String, Amount)], u: &Unit) -> Vec<RowView> {
    let n = left.len().max(right.len());
    let half = |side: &[(String, Amount)], k: usize| match side.get(k) {
        Some((l, a)) => vec![CellView::text(l.clone()), u.cell(*a)],
        None => vec![CellView::blank(), CellView::blank()],
    };
    (0..n).map(|k| line([half(left, k), half(right, k)].concat())).collect()
}

fn numbered(items: impl IntoIterator<Item = (String, Amount)>) -> Vec<(String, Amount)> {
    items
        .into_iter()
        .enumerate()
        .map(|(k, (l, a))| (format!("{}、{l}", chinese_number(k + 1)), a))
        .collect()
}

fn pair_total(l: &str, a: Amount, r: &str, b: Amount, u: &Unit) -> RowView {
    total_line(vec![CellView::center(l), u.cell(a), CellView::center(r), u.cell(b)])
}

fn pair_plain(l: &str, a: Amount, r: &str, b: Amount, u: &Unit) -> RowView {
    line(vec![CellView::text(l), u.cell(a), CellView::text(r), u.cell(b)])
}

/// 表1 收入支出决算总表.
fn overview(fb: &Budget, f: &FinalFile, u: &Unit) -> TableView {
    let left = numbered(f.income_by_source().into_iter().map(|(l, a)| (l.to_string(), a)));
    let mut spent: Vec<(String, Amount)> = classes(fb, &Selector(vec![Term::All]))
        .into_iter()
        .map(|r| (r.name, r.values[0]))
        .collect();
    let o = &f.other_spending;
    spent.extend(
        [
            ("上缴上级支出", o.superior),
            ("经营支出", o.business),
            ("对附属单位补助支出", o.affiliated),
        ]
        .into_iter()
        .filter(|(_, a)| !a.is_zero())
        .map(|(l, a)| (l.to_string(), a)),
    );
    let right = numbered(spent);
    let income: Amount = left.iter().map(|(_, a)| *a).sum();
    let spending: Amount = right.iter().map(|(_, a)| *a).sum();
    let (opening, use_bal) = (all_funds(f, |x| x.opening), all_funds(f, |x| x.use_of_balance));
    let (dist, closing) = (all_funds(f, |x| x.distribution), all_funds(f, |x| x.closing));
    let mut rows = paired(&left, &right, u);
    rows.push(pair_total("本年收入合计", income, "本年支出合计", spending, u));
    rows.push(pair_plain("使用非财政拨款结余", use_bal, "结余分配", dist, u));
    rows.push(pair_plain("年初结转和结余", opening, "年末结转和结余", closing, u));
    let all_in = income + use_bal + opening;
    rows.push(pair_total("总计", all_in, "总计", spending + dist + closing, u));
    let mut t = grid(overview_head("决算数"), vec![5, 2, 5, 2], rows, vec![0, 2]);
    t.empty = all_in.is_zero();
    t
}

/// 表2 收入决算表: 本年收入 by source, 财政拨款 with its three parts
/// below it. The file gives income per source, not per 科目, so the rows
/// are the sources.
fn income(f: &FinalFile, u: &Unit) -> TableView {
    let lines = f.income_by_source();
    let fiscal: Amount = lines[..3].iter().map(|(_, a)| *a).sum();
    let total: Amount = lines.iter().map(|(_, a)| *a).sum();
    let mut rows = vec![total_line(vec![CellView::center("本年收入合计"), u.cell(total)])];
    rows.push(line(vec![CellView::text("一、财政拨款收入"), u.cell(fiscal)]));
    // “其中：一般公共预算”, the next two aligned under it.
    for (k, (label, a)) in lines[..3].iter().enumerate() {
        let short = label.trim_end_matches("财政拨款收入");
        let cell = if k == 0 {
            CellView::text(format!("其中：{short}")).indent(1)
        } else {
            CellView::text(short).indent(4)
        };
        rows.push(line(vec![cell, u.cell(*a)]));
    }
    for (k, (label, a)) in lines[3..].iter().enumerate() {
        rows.push(line(vec![
            CellView::text(format!("{}、{label}", chinese_number(k + 2))),
            u.cell(*a),
        ]));
    }
    let head = vec![vec![h("项　　目", 1, 1), h("决算数", 1, 1)]];
    let mut t = grid(head, vec![8, 3], rows, vec![0]);
    t.empty = total.is_zero();
    t
}

/// 表4 财政拨款收入支出决算总表.
fn appropriation(fb: &Budget, f: &FinalFile, u: &Unit) -> TableView {
    let fiscal = [Fund::General, Fund::Government, Fund::Capital];
    let left = numbered(
        f.income_by_source()
            .into_iter()
            .take(3)
            .map(|(l, a)| (l.trim_end_matches("收入").to_string(), a)),
    );
    let right = numbered(
        classes(fb, &Selector(vec![Term::Appropriation]))
            .into_iter()
            .map(|r| (r.name, r.values[0])),
    );
    let pick = |g: fn(&FundBalance) -> Amount| -> Amount {
        fiscal.iter().filter_map(|w| fund(f, *w)).map(g).sum()
    };
    let income: Amount = left.iter().map(|(_, a)| *a).sum();
    let spending: Amount = fiscal.iter().map(|w| fund_spending(fb, f, *w)).sum();
    let (opening, closing) = (pick(|x| x.opening), pick(|x| x.closing));
    let dist = pick(|x| x.distribution);
    let mut rows = paired(&left, &right, u);
    rows.push(pair_total("本年收入合计", income, "本年支出合计", spending, u));
    rows.push(pair_plain("年初财政拨款结转和结余", opening, "年末财政拨款结转和结余", closing, u));
    if !dist.is_zero() {
        rows.push(pair_plain("", Amount::ZERO, "结余分配", dist, u));
    }
    rows.push(pair_total("总计", income + opening, "总计", spending + closing + dist, u));
    let mut t = grid(overview_head("决算数"), vec![5, 2, 5, 2], rows, vec![0, 2]);
    t.empty = (income + opening).is_zero();
    t
}

/// 表7 财政拨款“三公”经费支出决算表: the year's 预算数 above its 决算数.
fn sangong(fb: &Budget, f: &FinalFile, u: &Unit) -> TableView {
    let y = fb.document.year;
    let b = &fb.sangong.current;
    let s = &f.sangong;
    let six = |o: Amount, p: Amount, r: Amount, c: Amount| [o + p + r + c, o, p + r, p, r, c];
    let rows = [
        (
            format!("{y}年预算数"),
            six(b.overseas, b.vehicle_purchase, b.vehicle_operation, b.reception),
        ),
        (
            format!("{y}年决算数"),
            six(s.overseas, s.vehicle_purchase, s.vehicle_operation, s.reception),
        ),
    ]
    .into_iter()
    .map(|(label, values)| {
        let mut cells = vec![CellView::center(label)];
        cells.extend(values.iter().map(|a| u.cell(*a)));
        line(cells)
    })
    .collect();
    let mut t = grid(sangong_head(), vec![4, 3, 3, 3, 3, 3, 3], rows, vec![0]);
    t.empty = b.total().is_zero() && s.total().is_zero();
    t.note = format!("本部门{y}年无财政拨款“三公”经费预算和支出，故本表为空表。");
    t
}

/// 表8、表9: one appropriation fund's 收入、支出 and 结转结余, spending by 项.
fn fund_table(fb: &Budget, f: &FinalFile, which: Fund, u: &Unit) -> TableView {
    let source = if which == Fund::Government { Source::Fund } else { Source::Capital };
    let filter = Selector(vec![Term::Fund(source)]);
    let cols = [Term::All, Term::Basic, Term::Project].map(|t| Selector(vec![t]));
    let rows = ledger::selected(fb, Rows::Function, &filter, &cols);
    let b = fund(f, which);
    let get = |g: fn(&FundBalance) -> Amount| b.map_or(Amount::ZERO, g);
    let (opening, closing) = (get(|x| x.opening), get(|x| x.closing));
    let income = b.map_or(Amount::ZERO, |x| x.income_of(&f.other_income));
    let head = vec![
        vec![
            h("科目编码", 1, 2),
            h("科目名称", 1, 2),
            h("年初结转和结余", 1, 2),
            h("本年收入", 1, 2),
            h("本年支出", 3, 1),
            h("年末结转和结余", 1, 2),
        ],
        vec![h("小计", 1, 1), h("基本支出", 1, 1), h("项目支出", 1, 1)],
    ];
    let totals = ledger::totals(&rows, 3);
    let mut body = vec![total_line(vec![
        CellView::blank(),
        CellView::center("合　　计"),
        u.cell(opening),
        u.cell(income),
        u.cell(totals[0]),
        u.cell(totals[1]),
        u.cell(totals[2]),
        u.cell(closing),
    ])];
    body.extend(rows.iter().filter(|r| r.level != Level::Total).map(|r| {
        let indent = match r.level {
            Level::Kuan => 1,
            Level::Xiang => 2,
            _ => 0,
        };
        let bold = r.level == Level::Class;
        let mut cells = vec![
            CellView::text(r.code.clone()).bold(bold),
            CellView::text(r.name.clone()).indent(indent).bold(bold),
            CellView::blank(),
            CellView::blank(),
        ];
        cells.extend(r.values.iter().map(|a| u.body(*a)));
        cells.push(CellView::blank());
        let level = match r.level {
            Level::Total => "合计",
            Level::Class => "类",
            Level::Kuan => "款",
            Level::Xiang => "项",
        };
        RowView { level: level.to_string(), cells }
    }));
    let mut t = grid(head, vec![3, 7, 3, 3, 3, 3, 3, 3], body, vec![0, 1]);
    t.landscape = true;
    t.empty = (opening + income + totals[0] + closing).is_zero();
    t.note = format!(
        "本部门{}年度无{}收入、支出和结转结余，故本表为空表。",
        fb.document.year,
        which.name()
    );
    t
}
