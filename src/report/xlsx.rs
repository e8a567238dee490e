//! 汇总工作簿：“部门汇总”每个部门一行、末行全局合计；“问题清单”每个问题一行，
//! 写明文件、行、列。金额为数值（两位小数），可以直接求和、筛选、对账。

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::{Row, amount_headings, title, totals};
use crate::model::amount::Amount;

/// The headings before the amounts, and after them.
const IDENTITY: [&str; 7] = ["序号", "文件", "部门编码", "部门名称", "样式", "年度", "类型"];
const STATE: [&str; 7] = ["页数", "错误", "警告", "待办", "草稿／正式", "核对结果", "已生成的文件"];
const PROBLEMS: [&str; 8] = ["序号", "文件", "行", "列", "类别", "字段", "问题", "应为"];

struct Formats {
    title: Format,
    head: Format,
    text: Format,
    number: Format,
    count: Format,
    total_text: Format,
    total_number: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new().set_font_name("宋体").set_font_size(10);
        let boxed = base.clone().set_border(FormatBorder::Thin);
        Formats {
            title: base.clone().set_font_size(14).set_bold(),
            head: boxed.clone().set_bold().set_align(FormatAlign::Center).set_text_wrap(),
            text: boxed.clone(),
            number: boxed.clone().set_num_format("0.00").set_align(FormatAlign::Right),
            count: boxed.clone().set_num_format("0").set_align(FormatAlign::Right),
            total_text: boxed.clone().set_bold(),
            total_number: boxed.set_num_format("0.00").set_align(FormatAlign::Right).set_bold(),
        }
    }
}

/// The workbook as bytes.
pub fn workbook(rows: &[Row]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let f = Formats::new();
    departments(wb.add_worksheet().set_name("部门汇总")?, rows, &f)?;
    problems(wb.add_worksheet().set_name("问题清单")?, rows, &f)?;
    wb.save_to_buffer()
}

/// An amount as the number the page shows (two decimals), for the sheet.
fn number(a: Amount) -> f64 {
    a.fixed().parse().unwrap_or(0.0)
}

fn headings() -> Vec<&'static str> {
    let mut h: Vec<&str> = IDENTITY.to_vec();
    h.extend(amount_headings());
    h.extend(STATE);
    h
}

fn departments(ws: &mut Worksheet, rows: &[Row], f: &Formats) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, title(rows), &f.title)?;
    let heads = headings();
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &f.head)?;
        ws.set_column_width(c as u16, if c == 3 || c == heads.len() - 1 { 28.0 } else { 12.0 })?;
    }
    ws.set_freeze_panes(3, 4)?;
    let mut r = 3u32;
    for (n, row) in rows.iter().enumerate() {
        department(ws, r, n + 1, row, f)?;
        r += 1;
    }
    total_row(ws, r, rows, f)
}

fn department(
    ws: &mut Worksheet,
    r: u32,
    n: usize,
    row: &Row,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.write_number_with_format(r, 0, n as f64, &f.count)?;
    let year = row.year.map(|y| y.to_string()).unwrap_or_default();
    let ident = [&row.file, &row.code, &row.department, &row.profile, &year];
    for (c, t) in ident.iter().enumerate() {
        ws.write_string_with_format(r, c as u16 + 1, t.as_str(), &f.text)?;
    }
    ws.write_string_with_format(r, 6, row.kind, &f.text)?;
    let mut c = IDENTITY.len() as u16;
    match &row.figures {
        Some(fig) => {
            for a in fig.all() {
                ws.write_number_with_format(r, c, number(a), &f.number)?;
                c += 1;
            }
        }
        None => {
            for _ in amount_headings() {
                ws.write_blank(r, c, &f.text)?;
                c += 1;
            }
        }
    }
    state(ws, r, c, row, f)
}

fn state(ws: &mut Worksheet, r: u32, c: u16, row: &Row, f: &Formats) -> Result<(), XlsxError> {
    match row.pages {
        Some(p) => ws.write_number_with_format(r, c, p as f64, &f.count)?,
        None => ws.write_blank(r, c, &f.text)?,
    };
    let t = &row.tally;
    for (k, n) in [t.errors, t.warnings, t.todo].into_iter().enumerate() {
        ws.write_number_with_format(r, c + 1 + k as u16, n as f64, &f.count)?;
    }
    ws.write_string_with_format(r, c + 4, row.state(), &f.text)?;
    ws.write_string_with_format(r, c + 5, row.status(), &f.text)?;
    ws.write_string_with_format(r, c + 6, row.outputs.join("、"), &f.text)?;
    Ok(())
}

fn total_row(ws: &mut Worksheet, r: u32, rows: &[Row], f: &Formats) -> Result<(), XlsxError> {
    let with = rows.iter().filter(|r| r.figures.is_some()).count();
    let label = format!("全局合计（{with} 个部门的预算数）");
    ws.write_string_with_format(r, 0, "", &f.total_text)?;
    ws.write_string_with_format(r, 1, label, &f.total_text)?;
    for c in 2..IDENTITY.len() as u16 {
        ws.write_blank(r, c, &f.total_text)?;
    }
    let mut c = IDENTITY.len() as u16;
    for a in totals(rows) {
        ws.write_number_with_format(r, c, number(a), &f.total_number)?;
        c += 1;
    }
    let pages: usize = rows.iter().filter_map(|r| r.pages).sum();
    let sum = |g: fn(&Row) -> usize| rows.iter().map(g).sum::<usize>() as f64;
    ws.write_number_with_format(r, c, pages as f64, &f.count)?;
    ws.write_number_with_format(r, c + 1, sum(|r| r.tally.errors), &f.count)?;
    ws.write_number_with_format(r, c + 2, sum(|r| r.tally.warnings), &f.count)?;
    ws.write_number_with_format(r, c + 3, sum(|r| r.tally.todo), &f.count)?;
    Ok(())
}

fn problems(ws: &mut Worksheet, rows: &[Row], f: &Formats) -> Result<(), XlsxError> {
    for (c, h) in PROBLEMS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &f.head)?;
        let w = match c {
            1 | 5 => 30.0,
            6 | 7 => 60.0,
            _ => 8.0,
        };
        ws.set_column_width(c as u16, w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    for (r, line) in (1u32..).zip(rows.iter().flat_map(|row| &row.problems)) {
        ws.write_number_with_format(r, 0, f64::from(r), &f.count)?;
        ws.write_string_with_format(r, 1, &line.file, &f.text)?;
        ws.write_number_with_format(r, 2, line.line as f64, &f.count)?;
        ws.write_number_with_format(r, 3, line.column as f64, &f.count)?;
        let texts = [line.kind, line.field.as_str(), line.message.as_str(), line.expected.as_str()];
        for (k, t) in texts.into_iter().enumerate() {
            ws.write_string_with_format(r, 4 + k as u16, t, &f.text)?;
        }
    }
    Ok(())
}
