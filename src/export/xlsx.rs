//! 附表的 Excel 文件：每张附表一个工作表，金额写成数字（两位小数格式）。
//!
//! The workbook prints the same grid as the PDF (`tables::TablesView`), so
//! the two cannot disagree: same rows, same header spans, same blanks.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::derive::view::{CellView, TableView, TablesView};

/// The sheet name of a table: “附表1 部门收支总表”.
pub fn sheet_name(t: &TableView) -> String {
    format!("附表{} {}", t.number, t.title)
}

/// The workbook as bytes.
pub fn workbook(v: &TablesView) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    for t in &v.tables {
        let ws = wb.add_worksheet();
        sheet(ws, v, t)?;
    }
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
    ws.write_string_with_format(1, last, format!("单位：{}", v.unit), &f.plain_right)?;
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
            let n: f64 = m.fixed.parse().unwrap_or(0.0);
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
