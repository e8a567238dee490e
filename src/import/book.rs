//! 打开工作簿：先看文件本身是什么（xlsx、旧版 xls、加密文件、文本），再交给 calamine。
//!
//! calamine's own errors speak of zip entries and XML nodes; a finance
//! officer needs to hear “this is an .xls, save it as .xlsx”, so the bytes
//! are looked at first and every refusal is said in those terms.

use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx};

use crate::diag::Problem;
use crate::import::cell;

/// One worksheet: its values and, where a cell holds one, its formula.
pub struct Sheet {
    pub name: String,
    pub values: Range<Data>,
    pub formulas: Range<String>,
    /// Merged regions, (row, col) inclusive.
    pub merged: Vec<calamine::Dimensions>,
}

impl Sheet {
    /// The value at a 0-based (row, col), absolute.
    pub fn value(&self, row: u32, col: u32) -> &Data {
        self.values.get_value((row, col)).unwrap_or(&Data::Empty)
    }

    /// The formula at a cell, if any.
    pub fn formula(&self, row: u32, col: u32) -> Option<&str> {
        self.formulas.get_value((row, col)).map(String::as_str).filter(|f| !f.is_empty())
    }

    /// “部门收入总表!E12”.
    pub fn place(&self, row: u32, col: u32) -> String {
        format!("{}!{}", self.name, cell::address(row, col))
    }

    /// The merged region (“B5:B9”) a cell lies in, if any.
    pub fn merged_at(&self, row: u32, col: u32) -> Option<String> {
        self.merged.iter().find(|d| d.contains(row, col)).map(|d| {
            format!("{}:{}", cell::address(d.start.0, d.start.1), cell::address(d.end.0, d.end.1))
        })
    }

    /// One past the last used row.
    pub fn rows(&self) -> u32 {
        self.values.end().map_or(0, |(r, _)| r + 1)
    }

    /// One past the last used column.
    pub fn cols(&self) -> u32 {
        self.values.end().map_or(0, |(_, c)| c + 1)
    }

    /// An amount at a cell, exactly, or a problem naming the cell.
    pub fn amount(
        &self,
        row: u32,
        col: u32,
        decimals: u32,
    ) -> Result<Option<rust_decimal::Decimal>, Problem> {
        cell::amount(self.value(row, col), self.formula(row, col), decimals)
            .map_err(|e| crate::import::at(self.place(row, col), e.0))
    }
}

/// A workbook read whole.
pub struct Book {
    pub sheets: Vec<Sheet>,
}

impl Book {
    /// Reads the bytes of a file; the problem says what the file is instead.
    pub fn open(bytes: &[u8]) -> Result<Book, Problem> {
        if let Some(why) = not_xlsx(bytes) {
            return Err(Problem::error("", why));
        }
        let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| {
            Problem::error(
                "",
                format!("无法读取工作簿：文件已损坏或不是 Excel 保存的 .xlsx（{e}）"),
            )
        })?;
        let mut sheets = Vec::new();
        for name in wb.sheet_names() {
            let values = wb.worksheet_range(&name).map_err(|e| {
                Problem::error(name.clone(), format!("无法读取工作表“{name}”：{e}"))
            })?;
            let formulas = wb.worksheet_formula(&name).unwrap_or_default();
            let merged = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
            sheets.push(Sheet { name, values, formulas, merged });
        }
        Ok(Book { sheets })
    }

    /// The sheet whose name, without spaces and a leading number such as
    /// “3.15 ” or “附表2 ”, is or ends with `title`.
    pub fn sheet(&self, title: &str) -> Option<&Sheet> {
        self.sheets
            .iter()
            .find(|s| meaning(&s.name) == title)
            .or_else(|| self.sheets.iter().find(|s| meaning(&s.name).ends_with(title)))
    }
}

/// A sheet name without its numbering and spaces: “3.15 部门收入总表” and
/// “附表2 部门收入总表” are both “部门收入总表”.
pub fn meaning(name: &str) -> String {
    let squeezed: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    let t = squeezed.strip_prefix("附表").unwrap_or(&squeezed);
    t.trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '.' | '-' | '、' | '．' | '_'))
        .to_string()
}

/// What the file is when it is not an xlsx workbook.
fn not_xlsx(bytes: &[u8]) -> Option<String> {
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.is_empty() {
        return Some("文件是空的，不是 Excel 工作簿".into());
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    if bytes.starts_with(OLE) {
        // An encrypted .xlsx is an OLE container holding “EncryptedPackage”.
        let marker: Vec<u8> =
            "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
        if bytes.windows(marker.len()).any(|w| w == marker.as_slice()) {
            return Some("工作簿设有打开密码（已加密），无法读取；请在 Excel 中取消密码后另存为 .xlsx 再导入".into());
        }
        return Some(
            "这是旧版 Excel（.xls）文件；请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再导入".into(),
        );
    }
    let head = &bytes[..bytes.len().min(4096)];
    if std::str::from_utf8(head).is_ok() || head.iter().all(|b| *b >= 0x09) {
        return Some("这是文本文件（例如改了扩展名的 CSV），不是 Excel 工作簿；请在 Excel 中打开并另存为 .xlsx".into());
    }
    Some("不是 Excel 工作簿（.xlsx）：文件开头不是 xlsx 的格式".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_matched_by_meaning() {
        assert_eq!(meaning("3.15 部门收入总表"), "部门收入总表");
        assert_eq!(meaning("附表2 部门收入总表"), "部门收入总表");
        assert_eq!(meaning("1.3部门支出总表"), "部门支出总表");
    }

    #[test]
    fn what_is_not_a_workbook_is_named() {
        assert!(not_xlsx(b"a,b,c\n1,2,3\n").unwrap().contains("CSV"));
        let mut xls = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        xls.extend([0u8; 64]);
        assert!(not_xlsx(&xls).unwrap().contains(".xls"));
        let enc: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
        xls.extend(enc);
        assert!(not_xlsx(&xls).unwrap().contains("密码"));
        assert!(not_xlsx(b"").is_some());
        assert!(not_xlsx(b"PK\x03\x04rest").is_none());
    }
}
