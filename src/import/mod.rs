//! `yusuan import`：把预算管理一体化系统导出的 Excel 工作簿中的数字写进数据文件。
//!
//! The stages, one file each: `book` opens the workbook (refusing what is
//! not one) and `cell` reads its cells exactly; one reader per layout —
//! `lineitems` (one row per 单位 × 项目 × 功能分类 × 经济分类 × 资金性质),
//! `standard` (yusuan's own `build --xlsx`: nine tables and the 预算明细
//! sheet) and `platform` (the Shanghai district export, a sheet per table:
//! its nine tables are sums, so line items come only from its two detail
//! sheets, `detail`, else the file's items stay and are checked; it brings
//! the 三公 figures); `write` merges into the data file with
//! toml_edit, keeping every comment and text; `reconcile` (and
//! `platform::reconcile`) compare the workbook's own tables and 合计 with
//! what yusuan derives from the merged file. Every problem names the sheet
//! and cell.
//!
//! The set of tables and the words that recognise their sheets and columns
//! live here (`standard::titles` (from the default profile), `platform::SHEETS`, `lineitems::HEADERS`),
//! so that a document profile can later hand them in instead.

pub mod apply;
pub mod book;
pub mod catalogue;
pub mod cell;
pub mod detail;
pub mod grid;
pub mod limits;
pub mod lineitems;
pub mod platform;
pub mod reconcile;
pub mod settle;
pub mod sheetxml;
pub mod standard;
pub mod write;
pub mod xlsx;

use crate::diag::Problem;
use crate::model::{Budget, SangongFigures};

pub use book::Book;

/// The three kinds of workbook read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// 九张附表，yusuan 自己 `build --xlsx` 写出的。
    Standard,
    /// 区级平台导出：每表一个工作表，类、款、项分三列。
    Platform,
    /// 明细导出：每行一条预算明细。
    LineItems,
}

impl Layout {
    pub fn label(self) -> &'static str {
        match self {
            Layout::Standard => "yusuan 附表（build --xlsx）",
            Layout::Platform => "区级平台导出（每表一个工作表）",
            Layout::LineItems => "预算明细导出（每行一条明细）",
        }
    }
}

/// One line item read from a row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Where it was read: “预算明细!A5”.
    pub place: String,
    /// 单位在数据文件 `units` 中的序号。
    pub unit: usize,
    pub function: String,
    pub function_name: Option<String>,
    pub economic: Option<String>,
    pub economic_name: Option<String>,
    pub source: crate::model::lineitems::Source,
    /// 上年结转的原来源（只在 source 为上年结转时）。
    pub carried_from: Option<crate::model::lineitems::Source>,
    pub kind: Kind,
    /// 万元，精确。
    pub amount: rust_decimal::Decimal,
}

/// What a row pays for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Kind {
    Personnel,
    Public,
    Project(String),
}

/// Which units' line items a workbook gives.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Cover {
    /// Every unit's: the data file's items are replaced by the workbook's.
    #[default]
    All,
    /// These units' only (a unit's workbook, or one of several): the
    /// other units' items stay as they are.
    Units(std::collections::BTreeSet<usize>),
    /// None: the data file's items stay and are checked against the tables.
    Nothing,
}

/// What a workbook gives.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    pub rows: Vec<Row>,
    /// 本年“三公”经费（万元），工作簿有“三公”表时。
    pub sangong: Option<(SangongFigures, String)>,
    /// A unit's own 三公 figures (a unit's workbook): imported only when
    /// the workbooks of every unit are given together.
    pub unit_sangong: Option<(usize, SangongFigures, String)>,
    /// Whose line items the rows are.
    pub cover: Cover,
    /// The unit the workbook says it is of (its 编制单位 line), if any.
    pub unit: Option<usize>,
    /// The budget year the workbook names, and where.
    pub year: Option<(i32, String)>,
    /// Found while reading: errors block the import, warnings are notes.
    pub problems: Vec<Problem>,
}

/// Recognises the layout from sheet names, titles and header cells.
pub fn recognise(book: &Book) -> Option<Layout> {
    // The sheet names first: a platform table's header may read like a
    // line-item header, a line-item export never has the platform's sheets.
    if standard::recognise(book) {
        Some(Layout::Standard)
    } else if platform::recognise(book) {
        Some(Layout::Platform)
    } else if lineitems::header_sheet(book).is_some() {
        Some(Layout::LineItems)
    } else {
        None
    }
}

/// The budget year a workbook names: the titles of its tables (“2025年部门
/// 收入预算总表”), else 附表7's first row (yusuan's own workbook).
pub fn book_year(book: &Book) -> Option<(i32, String)> {
    platform::year(book)
        .or_else(|| book.sheets.iter().find_map(platform::title_year))
        .or_else(|| standard::year(book))
}

/// Reads a workbook of the given layout against the data file it goes into.
pub fn read(book: &Book, layout: Layout, b: &Budget) -> Imported {
    match layout {
        Layout::Standard => standard::read(book, b),
        Layout::LineItems => lineitems::read_book(book, b),
        Layout::Platform => platform::read(book, b),
    }
}

/// A problem at a cell or sheet of the workbook: the place is its field.
pub fn at(place: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem::error(place, message)
}

/// Renders a workbook problem:
///
/// ```text
/// 错误：合计与各行之和不符
///   --> 215001.xlsx 部门收入总表!E12
///   = 应为：1,234.50
/// ```
pub fn render(book: &str, p: &Problem) -> String {
    let kind = if p.is_error() { "错误" } else { "警告" };
    let mut out = format!("{kind}：{}\n", p.message);
    let place = if p.field.is_empty() { String::new() } else { format!(" {}", p.field) };
    out.push_str(&format!("  --> {book}{place}\n"));
    if let Some(e) = &p.expected {
        out.push_str(&format!("  = 应为：{e}\n"));
    }
    crate::error::safe(&out)
}

pub use apply::{Options, Outcome, Refusal, Workbook, apply};
