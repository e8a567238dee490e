//! 第二种格式：区级平台（上海各区）导出的工作簿，每张表一个工作表，表名前可有“1.3”“3.15”之类的编号。
//!
//! Recognised by the meaning of its sheet names. Its tables are sums by
//! 科目 (类 | 款 | 项 in three columns, 元): like the nine standard tables
//! they cannot say which project or, in a department's workbook, which unit
//! a figure belongs to, so they cannot be turned into line items without
//! guessing. The import says so and points at the line-item export, which
//! the same platform produces; see docs/import.md.

use crate::diag::Problem;
use crate::import::book::{Book, meaning};
use crate::import::{Imported, at};
use crate::model::Budget;

/// The platform's table sheets, by meaning.
pub const SHEETS: [&str; 9] = [
    "部门收支总表",
    "部门收入总表",
    "部门支出总表",
    "部门财政拨款收支总表",
    "部门一般公共预算拨款表",
    "部门政府性基金拨款表",
    "部门国有资本经营预算拨款表",
    "部门一般公共预算拨款基本支出明细表",
    "部门“三公”经费和机关运行费预算表",
];

/// At least three of the platform's sheets, whatever their numbering.
pub fn recognise(book: &Book) -> bool {
    let known = |n: &str| SHEETS.iter().any(|s| meaning(n) == *s || meaning(n).ends_with(s));
    book.sheets.iter().filter(|s| known(&s.name)).count() >= 3
}

/// Refuses with the reason: its sums do not name projects.
pub fn read(book: &Book, _b: &Budget) -> Imported {
    let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
    let p: Problem = at(
        "",
        format!(
            "这是区级平台按表导出的工作簿（{}）：各表是按科目的汇总数，分不出项目，不能据此生成预算明细",
            names.join("、")
        ),
    )
    .expected("同一平台的“预算明细”导出（每行一条：预算单位、项目名称、支出功能分类、部门预算经济分类、资金性质、金额）");
    Imported { problems: vec![p], ..Imported::default() }
}
