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

pub mod book;
pub mod cell;
pub mod detail;
pub mod grid;
pub mod limits;
pub mod lineitems;
pub mod platform;
pub mod reconcile;
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Personnel,
    Public,
    Project(String),
}

/// What a workbook gives.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    pub rows: Vec<Row>,
    /// 本年“三公”经费（万元），工作簿有“三公”表时。
    pub sangong: Option<(SangongFigures, String)>,
    /// The data file's line items stay as they are (a platform workbook
    /// without its detail sheets gives sums only).
    pub keep_items: bool,
    /// The budget year the workbook names, and where.
    pub year: Option<(i32, String)>,
    /// Found while reading: errors block the import.
    pub problems: Vec<Problem>,
}

/// Recognises the layout from sheet names and header cells.
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

/// The outcome of importing one workbook into one data file.
pub struct Outcome {
    pub layout: Layout,
    /// The merged data file's text.
    pub text: String,
    /// Every field that changes, as `yusuan diff --fields` lists them.
    pub changes: Vec<crate::diff::Change>,
    /// Warnings found on the way.
    pub warnings: Vec<Problem>,
}

/// Why an import did not happen: problems in the workbook, or in the data
/// file (`data` true: located in its text).
pub struct Refusal {
    pub problems: Vec<Problem>,
    /// The problems lie in this TOML text (the data file, or the merged one).
    pub data: Option<String>,
    /// That text is the merged file, which was not written.
    pub merged: bool,
}

impl Refusal {
    fn book(problems: Vec<Problem>) -> Refusal {
        Refusal { problems, data: None, merged: false }
    }
}

/// Reads a workbook, merges its figures into the data file `text` and
/// checks the result; nothing is written here.
pub fn apply(
    bytes: &[u8],
    path: &std::path::Path,
    text: &str,
    layout: Option<Layout>,
) -> Result<Outcome, Refusal> {
    let book = Book::open(bytes).map_err(|p| Refusal::book(vec![p]))?;
    let layout = layout
        .or_else(|| recognise(&book))
        .ok_or_else(|| Refusal::book(vec![unknown_layout(&book)]))?;
    let loaded = crate::source::from_bytes(path, text.as_bytes());
    let Some(old) = loaded.budget else {
        return Err(Refusal {
            problems: loaded.problems,
            data: Some(text.to_string()),
            merged: false,
        });
    };
    let imported = read(&book, layout, &old);
    let (errors, mut warnings): (Vec<Problem>, Vec<Problem>) =
        imported.problems.iter().cloned().partition(Problem::is_error);
    if !errors.is_empty() {
        return Err(Refusal::book(errors));
    }
    if imported.rows.is_empty() && !imported.keep_items {
        return Err(Refusal::book(vec![at("", "工作簿中没有一条预算明细（金额行）")]));
    }
    warnings.extend(year_warning(&imported, &old));
    let merged = write::merge(text, &old, &imported)
        .map_err(|e| Refusal::book(vec![Problem::error("", e)]))?;
    let new = checked_merge(path, &merged)?;
    let problems = match layout {
        Layout::Standard => reconcile::tables(&book, &new),
        Layout::Platform => platform::reconcile(&book, &new),
        Layout::LineItems => Vec::new(),
    };
    if !problems.is_empty() {
        return Err(Refusal::book(problems));
    }
    let changes = crate::diff::diff(&old, &new);
    Ok(Outcome { layout, text: merged, changes, warnings })
}

/// The merged file read back and checked: an error in what the import
/// wrote (income, spending, line items, 三公) refuses it.
fn checked_merge(path: &std::path::Path, merged: &str) -> Result<Budget, Refusal> {
    let loaded = crate::pipeline::inspect_bytes(path, merged.as_bytes());
    let written = ["line_items", "income", "expenditure", "sangong.current"];
    let ours: Vec<Problem> = loaded
        .problems
        .iter()
        .filter(|p| p.is_error() && written.iter().any(|w| p.field.starts_with(w)))
        .cloned()
        .collect();
    match loaded.budget {
        Some(b) if ours.is_empty() => Ok(b),
        _ => Err(Refusal {
            problems: if ours.is_empty() { loaded.problems } else { ours },
            data: Some(merged.to_string()),
            merged: true,
        }),
    }
}

fn unknown_layout(book: &Book) -> Problem {
    let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
    at("", format!("认不出工作簿的格式；其中的工作表：{}", names.join("、"))).expected(
        "yusuan build --xlsx 的九张附表（工作表名“附表1 部门收支总表”……）、区级平台导出（“部门收支总表”等）或预算明细导出（有“支出功能分类”“金额”列标题）；格式可用 --layout 指定",
    )
}

/// 附表7 names the year its first row budgets: another year than the data
/// file's is most likely the wrong workbook.
fn year_warning(imported: &Imported, b: &Budget) -> Option<Problem> {
    let (year, place) = imported.year.as_ref()?;
    (*year != b.document.year).then(|| {
        Problem::warning(
            place.clone(),
            format!(
                "工作簿是{year}年的预算，数据文件是{}年的；请确认没有拿错工作簿",
                b.document.year
            ),
        )
    })
}
