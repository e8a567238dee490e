//! 核对：工作簿自己的附表（含合计行、合计列）与 yusuan 由导入后的数据推算的附表逐格比较。
//!
//! The workbook's sums are never imported as figures: they are what the
//! imported items must add up to. Every cell that differs is reported at
//! its address with the expected and the found value, and the import is
//! refused; nothing is written while one remains.

use rust_decimal::Decimal;

use crate::derive::view::TableView;
use crate::diag::Problem;
use crate::import::book::{Book, Sheet};
use crate::import::{at, standard};
use crate::model::Budget;

/// Compares each of the nine tables with the workbook's sheet of that title.
pub fn tables(book: &Book, b: &Budget) -> Vec<Problem> {
    let mut problems = Vec::new();
    for title in standard::titles() {
        let Some(s) = book.sheet(&title) else {
            problems.push(at("", format!("缺少工作表“{title}”")));
            continue;
        };
        let mut b = b.clone();
        // Derive in the workbook's unit, so that each cell is rounded as
        // the workbook's was.
        let wan = standard::unit_of(s).unwrap_or(true);
        b.document.table_unit = Some(if wan { "万元" } else { "元" }.to_string());
        let Some(view) = crate::derive::tables::view(&b, &standard_tables()) else { continue };
        if let Some(t) = view.tables.iter().find(|t| t.title == title) {
            problems.extend(table(s, t, wan));
        }
    }
    problems
}

/// The nine tables as yusuan writes them (`build --xlsx` under the default
/// profile): the layout the standard workbook is compared with.
fn standard_tables() -> crate::model::profile::Profile {
    crate::model::profile::default_profile()
}

/// One table: every amount cell of the derived grid against the sheet.
fn table(s: &Sheet, t: &TableView, wan: bool) -> Vec<Problem> {
    let top = 2 + t.head.len() as u32;
    let decimals = if wan { 6 } else { 2 };
    let mut problems = Vec::new();
    let sangong = t.number == 7;
    for (i, row) in t.rows.iter().enumerate() {
        // 附表7's second row is last year's budget, set by `yusuan new`,
        // not imported: it is not compared.
        if sangong && i > 0 {
            break;
        }
        let r = top + i as u32;
        for (c, want) in row.cells.iter().enumerate() {
            let c = c as u32;
            let expected = match (&want.amount, want.text.is_empty()) {
                (Some(m), _) => m.fixed.parse::<Decimal>().unwrap_or_default(),
                (None, true) => Decimal::ZERO,
                (None, false) => continue,
            };
            match s.amount(r, c, decimals) {
                Ok(found) if found.unwrap_or_default() == expected => {}
                Ok(found) => problems.push(mismatch(s, r, c, found, expected, t)),
                Err(p) => problems.push(p),
            }
        }
    }
    problems.extend(extra_rows(s, top + t.rows.len() as u32, t, decimals));
    problems
}

fn mismatch(
    s: &Sheet,
    r: u32,
    c: u32,
    found: Option<Decimal>,
    expected: Decimal,
    t: &TableView,
) -> Problem {
    let found = found.map_or("空".to_string(), |f| f.normalize().to_string());
    let label = crate::import::cell::text(&s.value(r, 0));
    let what = if label.is_empty() { String::new() } else { format!("（{label}）") };
    at(s.place(r, c), format!("附表{}{what}与预算明细推算的数不符：表中为 {found}", t.number))
        .expected(if expected.is_zero() {
            "空或 0".to_string()
        } else {
            expected.normalize().to_string()
        })
}

/// Numbers below the derived rows: a row the items do not account for.
fn extra_rows(s: &Sheet, from: u32, t: &TableView, decimals: u32) -> Vec<Problem> {
    let mut problems = Vec::new();
    let rows: Vec<u32> = s.rows_from(from).collect();
    for r in rows {
        for c in 1..t.widths.len() as u32 {
            if let Ok(Some(v)) = s.amount(r, c, decimals)
                && !v.is_zero()
            {
                problems.push(
                    at(
                        s.place(r, c),
                        format!(
                            "附表{}多出一行数字 {}：预算明细中没有与之对应的科目",
                            t.number,
                            v.normalize()
                        ),
                    )
                    .expected("空"),
                );
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget(text: &str) -> Budget {
        crate::source::resolve::resolve(toml::from_str(text).unwrap(), text)
    }

    fn sample() -> String {
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/215001-2021.toml"))
            .unwrap()
    }

    fn book_of(b: &Budget) -> Book {
        let v = crate::derive::tables::view(b, &standard_tables()).unwrap();
        Book::open(&crate::export::xlsx::workbook(&v, b).unwrap()).unwrap()
    }

    #[test]
    fn the_workbook_of_a_budget_agrees_with_it() {
        let b = budget(&sample());
        assert_eq!(tables(&book_of(&b), &b), vec![]);
    }

    #[test]
    fn a_table_that_disagrees_is_reported_at_its_cells() {
        let text = sample();
        let book = book_of(&budget(&text));
        // 旅游宣传推介 (2070113, general budget, a project) up by 10.
        let moved = text.replace(
            "project = \"旅游宣传推介\"\namount = 60\n",
            "project = \"旅游宣传推介\"\namount = 70\n",
        );
        let problems = tables(&book, &budget(&moved));
        let places: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        // 附表1 收入总计 (B) and 附表3's 合计 row, 合计 and 项目支出 columns.
        assert!(places.iter().any(|p| p.starts_with("附表1 部门收支总表!B")), "{places:?}");
        assert!(places.contains(&"附表3 部门支出总表!C4"), "{places:?}");
        assert!(places.contains(&"附表3 部门支出总表!E4"), "{places:?}");
        assert!(
            !places.iter().any(|p| p.starts_with("附表8") || p.starts_with("附表6")),
            "{places:?}"
        );
        let total = problems.iter().find(|p| p.field == "附表3 部门支出总表!C4").unwrap();
        assert!(total.message.contains("表中为 2250.2"), "{}", total.message);
        assert_eq!(total.expected.as_deref(), Some("2260.2"));
    }
}
