//! 附表的 Excel 文件：每张附表一个工作表，金额写成数字（两位小数格式）；最后是“预算明细”工作表。
//!
//! The workbook prints the same grid as the PDF (`tables::TablesView`), so
//! the two cannot disagree: same rows, same header spans, same blanks.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::derive::view::{CellView, TableView, TablesView};
use crate::model::Budget;
use crate::model::lineitems::{Item, Kind, Source};

/// The sheet name of a table: “附表1 部门收支总表”, cut to Excel's limit
/// of 31 characters (a profile's titles can be longer); the number keeps
/// the names unique.
pub fn sheet_name(t: &TableView) -> String {
    format!("附表{} {}", t.number, t.title).chars().take(31).collect()
}

/// The workbook as bytes: the nine tables, then the line items they are
/// summed from (the sheet `yusuan import` reads back).
pub fn workbook(v: &TablesView, b: &Budget) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    for t in &v.tables {
        let ws = wb.add_worksheet();
        sheet(ws, v, t)?;
    }
    items_sheet(wb.add_worksheet(), b)?;
    wb.save_to_buffer()
}

/// Cell formats of one sheet.
struct Formats {
    title: Format,
    plain: Format,
    plain_right: Format,
    head: Format,
    text: Format,
    text_bold: Format,
    number: Format,
    number_bold: Format,
    note: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new().set_font_name("宋体").set_font_size(10);
        let boxed =
            base.clone().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
        Formats {
            title: base.clone().set_font_size(16).set_bold().set_align(FormatAlign::Center),
            plain: base.clone(),
            plain_right: base.clone().set_align(FormatAlign::Right),
            head: boxed.clone().set_bold().set_align(FormatAlign::Center).set_text_wrap(),
            text: boxed.clone(),
            text_bold: boxed.clone().set_bold(),
            number: boxed.clone().set_num_format("0.00").set_align(FormatAlign::Right),
            number_bold: boxed.set_num_format("0.00").set_align(FormatAlign::Right).set_bold(),
            note: base,
        }
    }
}

fn sheet(ws: &mut Worksheet, v: &TablesView, t: &TableView) -> Result<(), XlsxError> {
    let f = Formats::new();
    page_setup(ws, t)?;
    let last = t.widths.len() as u16 - 1;
    ws.merge_range(0, 0, 0, last, &format!("附表{}　{}", t.number, t.title), &f.title)?;
    ws.set_row_height(0, 28)?;
    ws.write_string_with_format(1, 0, format!("编制部门：{}", v.department), &f.plain)?;
    ws.write_string_with_format(1, last, format!("单位：{}", table_unit(v, t)), &f.plain_right)?;
    let top = 2u32;
    header(ws, t, top, &f)?;
    let body = top + t.head.len() as u32;
    ws.set_repeat_rows(top, body - 1)?;
    ws.set_freeze_panes(body, 0)?;
    let mut r = body;
    for row in &t.rows {
        for (c, cell) in row.cells.iter().enumerate() {
            body_cell(ws, r, c as u16, cell, &f)?;
        }
        r += 1;
    }
    if t.empty {
        for c in 0..t.widths.len() as u16 {
            ws.write_blank(r, c, &f.text)?;
        }
        r += 1;
        ws.write_string_with_format(r + 1, 0, &t.note, &f.note)?;
    }
    Ok(())
}

/// Sheet name, A4 paper, orientation, one page wide, column widths.
fn page_setup(ws: &mut Worksheet, t: &TableView) -> Result<(), XlsxError> {
    ws.set_name(sheet_name(t))?;
    ws.set_paper_size(9);
    if t.landscape {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    for (c, w) in t.widths.iter().enumerate() {
        ws.set_column_width(c as u16, f64::from(*w) * 4.0 + 2.0)?;
    }
    Ok(())
}

/// Writes the header rows from row `top`: each cell goes in the first
/// column not covered by a row-spanning cell from a row above.
fn header(ws: &mut Worksheet, t: &TableView, top: u32, f: &Formats) -> Result<(), XlsxError> {
    let cols = t.widths.len();
    let mut taken = vec![vec![false; cols]; t.head.len()];
    for (r, row) in t.head.iter().enumerate() {
        let mut c = 0usize;
        for cell in row {
            while c < cols && taken[r][c] {
                c += 1;
            }
            let (r0, c0) = (top + r as u32, c as u16);
            let (r1, c1) = (r0 + cell.rowspan as u32 - 1, c0 + cell.colspan as u16 - 1);
            if r1 > r0 || c1 > c0 {
                ws.merge_range(r0, c0, r1, c1, &cell.text, &f.head)?;
            } else {
                ws.write_string_with_format(r0, c0, &cell.text, &f.head)?;
            }
            for row_taken in taken.iter_mut().skip(r).take(cell.rowspan) {
                for t in row_taken.iter_mut().skip(c).take(cell.colspan) {
                    *t = true;
                }
            }
            c += cell.colspan;
        }
    }
    Ok(())
}

/// One body cell: an amount as a number, text with its indent and
/// alignment.
fn body_cell(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    cell: &CellView,
    f: &Formats,
) -> Result<(), XlsxError> {
    match &cell.amount {
        Some(m) => {
            // Thousands separators are the page's; the cell holds the number.
            let n: f64 = m.fixed.replace(',', "").parse().unwrap_or(0.0);
            let fmt = if cell.bold { &f.number_bold } else { &f.number };
            ws.write_number_with_format(r, c, n, fmt)?;
        }
        None => {
            let mut fmt = if cell.bold { f.text_bold.clone() } else { f.text.clone() };
            if cell.indent > 0 {
                fmt = fmt.set_indent(cell.indent as u8);
            }
            if cell.align == crate::derive::view::Align::Center {
                fmt = fmt.set_align(FormatAlign::Center);
            }
            ws.write_string_with_format(r, c, &cell.text, &fmt)?;
        }
    }
    Ok(())
}

/// The 预算明细 sheet's column headers: the line-item export's own words,
/// so that `yusuan import` reads this sheet as it reads the budget
/// system's export.
pub const ITEM_HEADERS: [&str; 6] =
    ["预算单位", "支出类型", "项目名称", "支出功能分类", "部门预算经济分类", "资金性质"];

/// The sheet `yusuan import` reads back: one row per line item, amounts in
/// 万元 exactly as the data has them, and a 合计 row it checks.
fn items_sheet(ws: &mut Worksheet, b: &Budget) -> Result<(), XlsxError> {
    let f = Formats::new();
    ws.set_name("预算明细")?;
    ws.write_string_with_format(0, 0, format!("{}预算明细", b.document.year), &f.title)?;
    ws.write_string_with_format(1, 0, "单位：万元", &f.plain)?;
    for (c, h) in ITEM_HEADERS.iter().chain(["金额（万元）"].iter()).enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &f.head)?;
        ws.set_column_width(c as u16, if c == 0 || c >= 2 { 24.0 } else { 10.0 })?;
    }
    let cat = b.catalogue.as_deref();
    let mut r = 3u32;
    for (li, it) in b.line_items.iter().zip(crate::model::lineitems::items(b)) {
        for (c, text) in item_cells(b, cat, li, &it).iter().enumerate() {
            ws.write_string_with_format(r, c as u16, text, &f.text)?;
        }
        let n: f64 = it.amount.0.normalize().to_string().parse().unwrap_or(0.0);
        ws.write_number_with_format(r, 6, n, &f.number)?;
        r += 1;
    }
    ws.write_string_with_format(r, 0, "合计", &f.text_bold)?;
    let total: crate::model::amount::Amount = b.line_items.iter().map(|l| l.amount).sum();
    let n: f64 = total.0.normalize().to_string().parse().unwrap_or(0.0);
    ws.write_number_with_format(r, 6, n, &f.number_bold)?;
    ws.set_freeze_panes(3, 0)?;
    Ok(())
}

/// The six text cells of one line item.
fn item_cells(
    b: &Budget,
    cat: Option<&crate::model::catalogue::Catalogue>,
    li: &crate::model::LineItem,
    it: &Item<'_>,
) -> [String; 6] {
    use crate::model::catalogue::Scheme;
    let unit = match b.units.get(it.unit) {
        Some(u) => match &u.code {
            Some(c) => format!("{c} {}", u.name),
            None => u.name.clone(),
        },
        None => String::new(),
    };
    let named = |s: Scheme, code: &str, own: Option<&str>| {
        let name = cat.and_then(|c| c.name(s, code)).or(own).unwrap_or("");
        format!("{code} {name}").trim().to_string()
    };
    let (kind, project) = match it.kind {
        Kind::Personnel => ("人员经费", String::new()),
        Kind::Public => ("公用经费", String::new()),
        Kind::Project(p) => ("项目支出", p.to_string()),
    };
    let source = match it.source {
        Source::Carryover => format!("上年结转（{}）", it.fund.name()),
        s => s.name().to_string(),
    };
    [
        unit,
        kind.to_string(),
        project,
        named(Scheme::Function, it.function, li.function_name.as_deref()),
        it.economic
            .map(|e| named(Scheme::Economic, e, li.economic_name.as_deref()))
            .unwrap_or_default(),
        source,
    ]
}

/// A table's own unit (a profile may set one per table), else the set's.
fn table_unit<'a>(v: &'a TablesView, t: &'a TableView) -> &'a str {
    if t.unit.is_empty() { &v.unit } else { &t.unit }
}
