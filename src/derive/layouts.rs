//! Tables a profile describes by data rather than by code: `classified`
//! (rows by 功能分类 or 经济分类, columns that sum selected line items),
//! `ledger` (income lines beside spending 类) and `figures` (one row of the
//! narrative's figures). A bureau's profile.toml composes its own tables
//! from these three; the nine forms of 财预〔2016〕143号 stay in `tables`.

use crate::derive::tables::{Unit, chinese_number, empty_note, h, no_data};
use crate::derive::view::{CellView, HeadCell, RowView, TableView};
use crate::model::Budget;
use crate::model::amount::Amount;
use crate::model::ledger::{self, ClassRow, Level, totals};
use crate::model::profile::{
    Codes, ColumnSpec, Figure, Rows, Selector, TableSpec, Term, TotalAt, fill_year,
};

/// One column of a header: the titles above it, outermost first, and its own.
pub(crate) struct HeadCol {
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
                let span =
                    cols[k..].iter().take_while(|o| o.path.get(..=level) == Some(key)).count();
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

fn filter_of(spec: &TableSpec) -> Selector {
    spec.filter.as_deref().map(Selector::lenient).unwrap_or(Selector(vec![Term::All]))
}

fn selectors(cols: &[ColumnSpec]) -> Vec<Selector> {
    cols.iter().map(|c| Selector::lenient(&c.sum)).collect()
}

/// The rows a classified table sums, before it is printed.
pub fn classified_rows(b: &Budget, spec: &TableSpec) -> Vec<ClassRow> {
    ledger::selected(b, spec.rows, &filter_of(spec), &selectors(&spec.columns))
}

pub(crate) fn classified_table(b: &Budget, spec: &TableSpec, number: usize, u: &Unit) -> TableView {
    let rows = classified_rows(b, spec);
    let (mut head_cols, mut widths) = key_columns(spec);
    let keys = head_cols.len();
    head_cols.extend(amount_columns(spec, &spec.columns));
    widths.extend(spec.columns.iter().map(|_| 5));
    let empty = no_data(&rows);
    let mut body: Vec<RowView> = rows.iter().skip(1).map(|r| class_line(r, spec, u)).collect();
    if let Some(total) = rows.first() {
        let line = total_line(total, keys, u);
        match spec.total {
            TotalAt::Top => body.insert(0, line),
            TotalAt::Bottom => body.push(line),
        }
    }
    let year = b.document.year;
    TableView {
        number,
        title: fill_year(&spec.title, year),
        unit: u.0.unit.label().to_string(),
        landscape: spec.landscape,
        widths,
        head: nested_head(&head_cols),
        rows: if empty { Vec::new() } else { body },
        // The code cells and the name name the row.
        header_columns: (0..keys).collect(),
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
fn class_line(r: &ClassRow, spec: &TableSpec, u: &Unit) -> RowView {
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
    cells.extend(r.values.iter().map(|a| u.body(*a).bold(bold)));
    RowView { level: level.to_string(), cells }
}

/// The 合计 row: blank code cells, the word, every total shown.
fn total_line(r: &ClassRow, keys: usize, u: &Unit) -> RowView {
    let mut cells: Vec<CellView> = (0..keys - 1).map(|_| CellView::blank()).collect();
    cells.push(CellView::center("合　　计").bold(true));
    cells.extend(r.values.iter().map(|a| u.cell(*a).bold(true)));
    RowView { level: "合计".to_string(), cells }
}

/// Left side income lines, right side the 类 of the filtered items with
/// the spending columns; a 总计 row closes both.
pub(crate) fn ledger_table(b: &Budget, spec: &TableSpec, number: usize, u: &Unit) -> TableView {
    let lines: Vec<(String, usize, Amount)> = spec
        .income
        .iter()
        .map(|l| (l.label.clone(), l.indent, ledger::selected_total(b, &Selector::lenient(&l.sum))))
        .collect();
    let spending = if spec.spending.is_empty() { &spec.columns } else { &spec.spending };
    let rows = ledger::selected(b, Rows::Function, &filter_of(spec), &selectors(spending));
    let mut body = ledger_pairs(&lines, &rows, spending.len(), u);
    let income: Amount = lines.iter().filter(|l| l.1 == 0).map(|l| l.2).sum();
    let out = totals(&rows, spending.len());
    let [left, right] = spec
        .total_labels
        .clone()
        .unwrap_or_else(|| ["收入总计".to_string(), "支出总计".to_string()]);
    let mut cells = vec![
        CellView::center(left).bold(true),
        u.cell(income).bold(true),
        CellView::center(right).bold(true),
    ];
    cells.extend(out.iter().map(|a| u.cell(*a).bold(true)));
    body.push(RowView { level: "合计".into(), cells });
    let empty = income.is_zero() && out.iter().all(|a| a.is_zero());
    let year = b.document.year;
    TableView {
        number,
        title: fill_year(&spec.title, year),
        unit: u.0.unit.label().to_string(),
        landscape: spec.landscape,
        widths: [7, 4, 7].into_iter().chain(spending.iter().map(|_| 4)).collect(),
        head: nested_head(&ledger_head(spec, spending)),
        rows: body,
        header_columns: vec![0, 2],
        empty,
        note: if empty { note_of(spec, year) } else { String::new() },
    }
}

/// The body of a ledger: income lines beside spending 类, numbered, the
/// shorter side padded with blanks.
fn ledger_pairs(
    lines: &[(String, usize, Amount)],
    rows: &[ClassRow],
    width: usize,
    u: &Unit,
) -> Vec<RowView> {
    let classes: Vec<&ClassRow> = rows.iter().filter(|r| r.level == Level::Class).collect();
    (0..lines.len().max(classes.len()))
        .map(|k| {
            let mut cells = match lines.get(k) {
                Some((label, indent, a)) => {
                    vec![CellView::text(label.clone()).indent(*indent), u.body(*a)]
                }
                None => vec![CellView::blank(), CellView::blank()],
            };
            match classes.get(k) {
                Some(r) => {
                    cells.push(CellView::text(format!("{}、{}", chinese_number(k + 1), r.name)));
                    cells.extend(r.values.iter().map(|a| u.body(*a)));
                }
                None => cells.extend((0..=width).map(|_| CellView::blank())),
            }
            RowView { level: String::new(), cells }
        })
        .collect()
}

fn ledger_head(spec: &TableSpec, spending: &[ColumnSpec]) -> Vec<HeadCol> {
    let in_head = spec.income_head.clone().unwrap_or_else(|| "收　　入".into());
    let out_head = spec.spending_head.clone().unwrap_or_else(|| "支　　出".into());
    let mut cols = vec![col(&[&in_head], "项　　目"), col(&[&in_head], "预算数")];
    cols.push(col(&[&out_head], "项　　目"));
    cols.extend(spending.iter().map(|c| col(&[&out_head], &c.label)));
    cols
}

/// The value of a narrative figure.
fn figure(b: &Budget, fig: Figure) -> Amount {
    let s = &b.sangong.current;
    match fig {
        Figure::Sangong => s.total(),
        Figure::Overseas => s.overseas,
        Figure::Reception => s.reception,
        Figure::Vehicle => s.vehicle(),
        Figure::VehiclePurchase => s.vehicle_purchase,
        Figure::VehicleOperation => s.vehicle_operation,
        Figure::Operating => b.operating_amount(),
    }
}

/// One row of figures under a nested header.
pub(crate) fn figures_table(b: &Budget, spec: &TableSpec, number: usize, u: &Unit) -> TableView {
    let cells = spec
        .columns
        .iter()
        .map(|c| Selector::lenient(&c.sum).figure().map_or(Amount::ZERO, |fig| figure(b, fig)))
        .map(|a| u.body(a))
        .collect();
    TableView {
        number,
        title: fill_year(&spec.title, b.document.year),
        unit: u.0.unit.label().to_string(),
        landscape: spec.landscape,
        widths: spec.columns.iter().map(|_| 3).collect(),
        head: nested_head(&amount_columns(spec, &spec.columns)),
        rows: vec![RowView { level: String::new(), cells }],
        header_columns: Vec::new(),
        empty: false,
        note: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::derive::tables::view;
    use crate::model::profile::{MoneyUnit, NumberFormat, Profile};

    fn shanghai() -> (Budget, Profile) {
        let path = format!("{}/data/318001-2025.toml", env!("CARGO_MANIFEST_DIR"));
        let b = crate::source::load(std::path::Path::new(&path)).budget.expect("sample loads");
        let p = crate::source::profile::parse(
            crate::source::profile::bundled_text("shanghai").unwrap(),
        )
        .unwrap();
        (b, p)
    }

    fn yuan(a: Amount) -> String {
        let f =
            NumberFormat { unit: MoneyUnit::Yuan, decimals: 2, trim_zeros: false, separator: true };
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
    /// items: 合计, 财政拨款收入 and 事业收入, in 元 with separators.
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
        let src = |l: &crate::model::LineItem| l.source.clone().unwrap_or("一般公共预算".into());
        let raw = |code: &str, keep: &dyn Fn(&crate::model::LineItem) -> bool| -> Amount {
            let hit = |l: &&crate::model::LineItem| l.function.trim().starts_with(code) && keep(l);
            b.line_items.iter().filter(hit).map(|l| l.amount).sum()
        };
        let appropriated = |l: &crate::model::LineItem| {
            matches!(src(l).as_str(), "一般公共预算" | "政府性基金" | "国有资本经营")
        };
        for r in &income.rows[..income.rows.len() - 1] {
            let code: String = r.cells[..3].iter().map(|c| c.text.as_str()).collect();
            let blank_or = |a: Amount| if a.is_zero() { String::new() } else { yuan(a) };
            assert_eq!(r.cells[4].text, blank_or(raw(&code, &|_| true)), "{code} 合计");
            assert_eq!(r.cells[5].text, blank_or(raw(&code, &appropriated)), "{code} 财政拨款");
            let inst = blank_or(raw(&code, &|l| src(l) == "事业收入"));
            assert_eq!(r.cells[6].text, inst, "{code} 事业收入");
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
        let cols =
            [col(&["甲"], "a"), col(&["甲", "乙"], "b"), col(&["甲", "乙"], "c"), col(&[], "d")];
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
}
