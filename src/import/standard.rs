//! 第一种格式：yusuan 自己 `build --xlsx` 写出的工作簿——九张附表，加上“预算明细”工作表。
//!
//! The nine tables are sums: they cannot say which unit or project a
//! figure belongs to, so the line items come from the 预算明细 sheet that
//! `build --xlsx` writes beside them, and the 三公 figures from 附表7. The
//! nine tables are then checked cell by cell against what yusuan derives
//! from the merged file (`reconcile`): an edited table figure is reported
//! at its cell instead of being silently lost.

use rust_decimal::Decimal;

use crate::import::book::{Book, Sheet, meaning};
use crate::import::{Imported, at, cell, lineitems};
use crate::model::{Budget, SangongFigures};

/// The nine tables' titles as `build --xlsx` names its sheets: the
/// default profile's table set, in its order (one place for them).
pub fn titles() -> Vec<String> {
    crate::model::profile::default_profile().tables.into_iter().map(|t| t.title).collect()
}

/// The title of the table the 三公 figures are read from.
fn sangong_title() -> String {
    let tables = crate::model::profile::default_profile().tables;
    let t = tables.into_iter().find(|t| t.id == "sangong");
    t.map(|t| t.title).expect("the default profile has the 三公 table")
}

/// The sheet of line items `build --xlsx` writes.
pub const ITEMS_SHEET: &str = "预算明细";

/// A workbook with sheets named “附表N 标题” for the standard titles.
pub fn recognise(book: &Book) -> bool {
    let titles = titles();
    let named = |s: &Sheet| s.name.starts_with("附表") && titles.contains(&meaning(&s.name));
    book.sheets.iter().filter(|s| named(s)).count() >= 3
}

/// Line items from 预算明细, 三公 from 附表7.
pub fn read(book: &Book, b: &Budget) -> Imported {
    let mut out = match book.sheet(ITEMS_SHEET) {
        Some(s) => lineitems::read_sheet(s, b),
        None => Imported {
            problems: vec![at(
                "",
                format!(
                    "工作簿有九张附表，但没有“{ITEMS_SHEET}”工作表：附表是汇总数，分不出单位与项目，不能据此还原预算明细"
                ),
            )
            .expected("用本版 yusuan build --xlsx 重新生成的工作簿（带“预算明细”工作表），或预算系统的明细导出")],
            ..Imported::default()
        },
    };
    let sangong_title = sangong_title();
    match book.sheet(&sangong_title) {
        Some(s) => match sangong(s) {
            Ok(Some((f, place, year))) => {
                out.year = year.map(|y| (y, place.clone()));
                out.sangong = Some((f, place));
            }
            Ok(None) => {}
            Err(p) => out.problems.extend(p),
        },
        None => out.problems.push(at("", format!("缺少工作表“附表7 {sangong_title}”"))),
    }
    out
}

/// The year 附表7's first row budgets (“2021年预算数”).
pub fn year(book: &Book) -> Option<(i32, String)> {
    let s = book.sheet(&sangong_title())?;
    let r = s.rows_from(0).find(|&r| cell::squeezed(&s.value(r, 0)).ends_with("年预算数"))?;
    let label = cell::text(&s.value(r, 0));
    let y = label.chars().take_while(char::is_ascii_digit).collect::<String>().parse().ok()?;
    Some((y, s.place(r, 0)))
}

/// Decimals a sheet's amounts may carry: its “单位：” line says 元 or 万元.
pub fn unit_of(s: &Sheet) -> Option<bool> {
    s.rows_from(0).take_while(|&r| r < 6).find_map(|r| {
        s.row_cells(r).find_map(|(_, v)| {
            let t = cell::squeezed(&v);
            let u = t.strip_prefix("单位：").or_else(|| t.strip_prefix("单位:"))?;
            Some(u.starts_with("万元"))
        })
    })
}

/// 附表7's first body row (this year): 合计, 出国, 小计, 购置, 运行, 接待;
/// the workbook's own 合计 and 小计 are checked, not imported.
type Sangong = (SangongFigures, String, Option<i32>);

fn sangong(s: &Sheet) -> Result<Option<Sangong>, Vec<crate::diag::Problem>> {
    let Some(r) = s.rows_from(0).find(|&r| cell::squeezed(&s.value(r, 0)).ends_with("年预算数"))
    else {
        return Ok(None);
    };
    let wan = unit_of(s).unwrap_or(true);
    let mut problems = Vec::new();
    let mut v = [Decimal::ZERO; 6];
    for (k, slot) in v.iter_mut().enumerate() {
        match s.amount(r, k as u32 + 1, if wan { 6 } else { 2 }) {
            Ok(a) => *slot = a.unwrap_or_default(),
            Err(p) => problems.push(p),
        }
    }
    let sums = [(1, v[1] + v[3] + v[4] + v[5], v[0]), (3, v[3] + v[4], v[2])];
    for (c, expected, found) in sums {
        if expected != found {
            problems.push(
                at(s.place(r, c), format!("合计与各项之和不符：表中为 {}", found.normalize()))
                    .expected(expected.normalize().to_string()),
            );
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let to_wan =
        |d: Decimal| crate::model::amount::Amount(if wan { d } else { d / Decimal::from(10_000) });
    let f = SangongFigures {
        overseas: to_wan(v[1]),
        vehicle_purchase: to_wan(v[3]),
        vehicle_operation: to_wan(v[4]),
        reception: to_wan(v[5]),
        stated_total: None,
        stated_vehicle: None,
    };
    let label = cell::text(&s.value(r, 0));
    let year = label.chars().take_while(char::is_ascii_digit).collect::<String>().parse().ok();
    Ok(Some((f, s.place(r, 0), year)))
}
