//! 打开工作簿：先看文件本身是什么（xlsx、旧版 xls、加密文件、文本），再在上限之内读出
//! 每个显示的工作表；隐藏的工作表不读，除非用户点名。
//!
//! A finance officer needs to hear “this is an .xls, save it as .xlsx”,
//! not a zip library's words, so the bytes are looked at first and every
//! refusal is said in those terms (`xlsx`). Hidden and very hidden sheets
//! are kept apart, where no layout reader looks, unless named
//! (`--use-hidden`): a stale copy kept hidden beside the visible table must
//! not be imported in its place, and is recognised by its title and header
//! so that the import can refuse it instead of passing it by.

use std::io::{Read, Seek};
use std::sync::Arc;

use crate::diag::Problem;
use crate::import::cell::{self, Value};
use crate::import::grid::{Arena, Grid, Kind};
use crate::import::limits::{LIMITS, Limits};
use crate::import::sheetxml::{self, Listed, Region, Sink, Visibility};
use crate::import::xlsx::{Container, sniff};

/// The text of a workbook: its arena and shared strings.
struct Texts {
    arena: Arena,
    shared: Vec<(u32, u32)>,
}

/// One worksheet: its cells and merged regions.
pub struct Sheet {
    pub name: String,
    grid: Grid,
    pub merged: Vec<Region>,
    /// Merged regions by first row, with the largest last row so far: a
    /// lookup scans back only while a region could still reach the row.
    reach: Vec<u32>,
    texts: Arc<Texts>,
}

impl Sheet {
    fn new(name: String, grid: Grid, mut merged: Vec<Region>, texts: Arc<Texts>) -> Sheet {
        merged.sort_by_key(|m| m.start);
        let mut far = 0;
        let reach = merged
            .iter()
            .map(|m| {
                far = far.max(m.end.0);
                far
            })
            .collect();
        Sheet { name, grid, merged, reach, texts }
    }

    /// The value at a 0-based (row, col).
    pub fn value(&self, row: u32, col: u32) -> Value<'_> {
        self.grid.get(row, col).map_or(Value::Empty, |s| self.slot_value(s))
    }

    fn slot_value(&self, s: &crate::import::grid::Slot) -> Value<'_> {
        let t = &self.texts;
        let text = || t.arena.get(s.off, s.len);
        match s.kind {
            Kind::Text => Value::Text(text()),
            Kind::Number => Value::Number(text()),
            Kind::Error => Value::Error(text()),
            Kind::Formula => Value::Formula(text()),
            Kind::Bool => Value::Bool(s.off != 0),
            Kind::Shared => {
                let (o, l) = t.shared.get(s.off as usize).copied().unwrap_or((0, 0));
                Value::Text(t.arena.get(o, l))
            }
        }
    }

    /// The cells of row `r` that hold something, by column.
    pub fn row_cells(&self, r: u32) -> impl Iterator<Item = (u32, Value<'_>)> {
        self.grid.row(r).map(move |s| (u32::from(s.col), self.slot_value(s)))
    }

    /// The first non-empty text of row `r` (spaces taken out), with its column.
    pub fn first_text(&self, r: u32) -> Option<(u32, String)> {
        self.row_cells(r).map(|(c, v)| (c, cell::squeezed(&v))).find(|(_, t)| !t.is_empty())
    }

    /// The rows that hold a cell, from `from` on.
    pub fn rows_from(&self, from: u32) -> impl Iterator<Item = u32> + '_ {
        self.grid.rows_from(from)
    }

    /// “部门收入总表!E12”.
    pub fn place(&self, row: u32, col: u32) -> String {
        format!("{}!{}", self.name, cell::address(row, col))
    }

    /// The merged region a cell lies in, if any.
    pub fn region_at(&self, row: u32, col: u32) -> Option<&Region> {
        let upto = self.merged.partition_point(|m| m.start.0 <= row);
        (0..upto)
            .rev()
            .take_while(|&i| self.reach[i] >= row)
            .map(|i| &self.merged[i])
            .find(|m| m.contains(row, col))
    }

    /// The merged region (“B5:B9”) a cell lies in, if any.
    pub fn merged_at(&self, row: u32, col: u32) -> Option<String> {
        self.region_at(row, col).map(|d| {
            format!("{}:{}", cell::address(d.start.0, d.start.1), cell::address(d.end.0, d.end.1))
        })
    }

    /// One past the last used row.
    pub fn rows(&self) -> u32 {
        self.grid.end_row()
    }

    /// One past the last used column.
    pub fn cols(&self) -> u32 {
        self.grid.cols
    }

    /// An amount at a cell, exactly, or a problem naming the cell.
    pub fn amount(
        &self,
        row: u32,
        col: u32,
        decimals: u32,
    ) -> Result<Option<rust_decimal::Decimal>, Problem> {
        cell::amount(&self.value(row, col), decimals)
            .map_err(|e| crate::import::at(self.place(row, col), e.0))
    }

    /// The sheet's title: the first text of its first three rows, without
    /// spaces and quotes.
    pub fn title(&self) -> String {
        self.rows_from(0)
            .take_while(|&r| r < 3)
            .find_map(|r| self.first_text(r))
            .map(|(_, t)| plain(&t))
            .unwrap_or_default()
    }
}

/// One row's cells, fetched once: a reader that looks at a row's cells
/// many times (the line-item reader, a million rows) asks this instead of
/// searching the sheet for each.
pub struct RowView<'a> {
    pub sheet: &'a Sheet,
    pub r: u32,
    cells: Vec<(u32, Value<'a>)>,
}

impl<'a> RowView<'a> {
    pub fn value(&self, c: u32) -> Value<'a> {
        self.cells.iter().find(|(k, _)| *k == c).map_or(Value::Empty, |(_, v)| *v)
    }

    pub fn place(&self, c: u32) -> String {
        self.sheet.place(self.r, c)
    }

    /// The trimmed text of a cell.
    pub fn text(&self, c: u32) -> String {
        cell::text(&self.value(c))
    }

    pub fn amount(&self, c: u32, decimals: u32) -> Result<Option<rust_decimal::Decimal>, Problem> {
        cell::amount(&self.value(c), decimals).map_err(|e| crate::import::at(self.place(c), e.0))
    }
}

impl Sheet {
    /// Row `r`'s cells, fetched once.
    pub fn row_view(&self, r: u32) -> RowView<'_> {
        RowView { sheet: self, r, cells: self.row_cells(r).collect() }
    }
}

/// A workbook read: its shown sheets (and the hidden ones named), and the
/// hidden sheets kept apart.
pub struct Book {
    pub sheets: Vec<Sheet>,
    /// Hidden sheets not named, with how they are hidden: read within the
    /// same limits, looked at only to refuse or mention them.
    pub hidden: Vec<(Sheet, Visibility)>,
}

impl Book {
    /// Reads a workbook from bytes (tests, the property test).
    pub fn open(bytes: &[u8]) -> Result<Book, Problem> {
        Book::read(std::io::Cursor::new(bytes), &[], &LIMITS)
    }

    /// Reads a workbook within `limits`; hidden sheets are read only when
    /// named in `use_hidden`. The problem says what the file is instead.
    pub fn read<R: Read + Seek>(
        mut r: R,
        use_hidden: &[String],
        limits: &Limits,
    ) -> Result<Book, Problem> {
        if let Some(why) = sniff(&mut r) {
            return Err(Problem::error("", why));
        }
        let len = r.seek(std::io::SeekFrom::End(0)).unwrap_or(0);
        if len > limits.file_bytes {
            return Err(Problem::error(
                "",
                format!(
                    "工作簿文件有 {}，超过上限 {}",
                    crate::import::limits::mib(len),
                    crate::import::limits::mib(limits.file_bytes)
                ),
            ));
        }
        let mut zip = Container::open(r, *limits)?;
        let parts = Parts::find(&mut zip)?;
        parts.read(&mut zip, use_hidden)
    }

    /// The sheet whose name (or title), without spaces, quotes and a
    /// leading number such as “3.15 ” or “附表2 ”, is or ends with `title`.
    pub fn sheet(&self, title: &str) -> Option<&Sheet> {
        let want = meaning(title);
        let by = |f: &dyn Fn(&Sheet) -> String, exact: bool| {
            self.sheets.iter().find(|s| {
                let m = f(s);
                if exact { m == want } else { !m.is_empty() && m.ends_with(&want) }
            })
        };
        let name = |s: &Sheet| meaning(&s.name);
        let head = |s: &Sheet| strip_year(&s.title());
        by(&name, true).or_else(|| by(&name, false)).or_else(|| by(&head, true))
    }
}

/// A title without a leading “2025年” or “上海市××区2025年”: “2025年部门收入总表” → “部门收入总表”.
pub fn strip_year(t: &str) -> String {
    match t.find('年') {
        Some(i) if t[..i].ends_with(|c: char| c.is_ascii_digit()) => {
            t[i + '年'.len_utf8()..].to_string()
        }
        _ => t.to_string(),
    }
}

/// The parts of a workbook: where its sheets and shared strings are.
struct Parts {
    sheets: Vec<(Listed, String)>,
    shared: Option<String>,
}

impl Parts {
    // The closures are needed: a function item is not general over the
    // lifetime of the part being read.
    #[allow(clippy::redundant_closure)]
    fn find<R: Read + Seek>(zip: &mut Container<R>) -> Result<Parts, Problem> {
        let small = zip.limits.small_bytes;
        if !zip.has("_rels/.rels") {
            return Err(what_zip(zip));
        }
        let root =
            zip.read("_rels/.rels", small, "工作簿的关系表", |x| sheetxml::rels(x))?;
        let wb = root
            .iter()
            .find(|r| r.kind == "officeDocument")
            .map(|r| join("", &r.target))
            .unwrap_or_else(|| "xl/workbook.xml".into());
        let named = wb.rsplit('/').next().is_some_and(|f| f.contains("workbook"));
        if !wb.ends_with(".xml") || !named || !zip.has(&wb) {
            return Err(what_zip(zip));
        }
        let dir = wb.rsplit_once('/').map_or("", |(d, _)| d).to_string();
        let file = wb.rsplit('/').next().unwrap_or("");
        let rels_name =
            format!("{}{}_rels/{file}.rels", dir, if dir.is_empty() { "" } else { "/" });
        let listed = zip.read(&wb, small, "工作簿的目录", |x| sheetxml::workbook(x))?;
        let rels = match zip.has(&rels_name) {
            true => zip.read(&rels_name, small, "工作簿的关系表", |x| sheetxml::rels(x))?,
            false => Vec::new(),
        };
        let shared = rels.iter().find(|r| r.kind == "sharedStrings").map(|r| join(&dir, &r.target));
        let sheets = listed
            .into_iter()
            .filter_map(|l| {
                let rel = rels.iter().find(|r| r.id == l.rel)?;
                (rel.kind == "worksheet").then(|| (l, join(&dir, &rel.target)))
            })
            .collect();
        Ok(Parts { sheets, shared })
    }

    /// Reads the shared strings and every shown (or named hidden) sheet.
    fn read<R: Read + Seek>(
        self,
        zip: &mut Container<R>,
        use_hidden: &[String],
    ) -> Result<Book, Problem> {
        let limits = zip.limits;
        let mut arena = Arena::default();
        let shared = match self.shared.filter(|s| zip.has(s)) {
            Some(s) => zip.read(&s, limits.strings_bytes, "共享文字表", |x| {
                sheetxml::shared(x, &mut arena, &limits)
            })?,
            None => Vec::new(),
        };
        let mut read = Vec::new();
        let mut sink =
            Sink { arena: &mut arena, shared: shared.len(), limits: &limits, cells: 0, merges: 0 };
        for (l, part) in self.sheets {
            let named = use_hidden.iter().any(|h| h.trim() == l.name.trim());
            let state = if named { Visibility::Visible } else { l.state };
            let what = format!("工作表“{}”", l.name);
            let (grid, merged) = zip
                .read(&part, limits.sheet_bytes, &what, |x| sheetxml::sheet(x, &mut sink))
                .map_err(|p| Problem { field: l.name.clone(), ..p })?;
            read.push((l.name, grid, merged, state));
        }
        let texts = Arc::new(Texts { arena, shared });
        let mut sheets = Vec::new();
        let mut hidden = Vec::new();
        for (n, g, m, state) in read {
            let sheet = Sheet::new(n, g, m, Arc::clone(&texts));
            match state {
                Visibility::Visible => sheets.push(sheet),
                _ => hidden.push((sheet, state)),
            }
        }
        Ok(Book { sheets, hidden })
    }
}

/// A part path relative to a folder: “worksheets/sheet1.xml” in “xl”, or
/// an absolute “/xl/worksheets/sheet1.xml”; “..” steps up.
fn join(dir: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|p| !p.is_empty()).collect()
    };
    for p in target.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// A zip that is not an xlsx workbook: what it is, when that can be told.
fn what_zip<R: Read + Seek>(zip: &Container<R>) -> Problem {
    let why = if zip.has("xl/workbook.bin") {
        "这是 Excel 二进制工作簿（.xlsb）；请在 Excel 中另存为 .xlsx 再导入"
    } else if zip.has("content.xml") && zip.has("mimetype") {
        "这是 OpenDocument 表格（.ods，WPS 或 LibreOffice 保存的）；请另存为 Excel 工作簿（.xlsx）再导入"
    } else if zip.has("word/document.xml") {
        "这是 Word 文档（.docx），不是 Excel 工作簿"
    } else {
        "这是一个压缩包，但不是 Excel 工作簿（.xlsx）：里面没有工作簿"
    };
    Problem::error("", why)
}

/// A text without spaces and quotes.
pub fn plain(t: &str) -> String {
    t.chars()
        .filter(|c| {
            !c.is_whitespace() && !matches!(c, '“' | '”' | '"' | '\'' | '‘' | '’' | '「' | '」')
        })
        .collect()
}

/// A sheet name or title without its numbering, spaces and quotes:
/// “3.15 部门收入总表”、“附表2 部门收入总表”、“部门收入总表 ” are all
/// “部门收入总表”; “部门“三公”经费” is “部门三公经费”.
pub fn meaning(name: &str) -> String {
    let squeezed = plain(name);
    let t = squeezed.strip_prefix("附表").unwrap_or(&squeezed);
    t.trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '.' | '-' | '、' | '．' | '_'))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_matched_by_meaning() {
        assert_eq!(meaning("3.15 部门收入总表"), "部门收入总表");
        assert_eq!(meaning("附表2 部门收入总表"), "部门收入总表");
        assert_eq!(meaning("1.3部门支出总表"), "部门支出总表");
        assert_eq!(meaning("2.22单位国有资本经营预算拨款表 "), "单位国有资本经营预算拨款表");
        assert_eq!(meaning("部门“三公”经费"), meaning("部门\"三公\"经费"));
        assert_eq!(strip_year("2025年部门收入总表"), "部门收入总表");
        assert_eq!(strip_year("部门收入总表"), "部门收入总表");
    }

    #[test]
    fn part_paths_resolve() {
        assert_eq!(join("xl", "worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(join("xl", "/xl/worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(join("xl/x", "../sharedStrings.xml"), "xl/sharedStrings.xml");
        assert_eq!(join("", "xl/workbook.xml"), "xl/workbook.xml");
    }

    #[test]
    fn a_workbook_written_by_rust_xlsxwriter_reads_back() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("部门收入总表").unwrap();
        ws.write_string(0, 0, "2025年部门收入总表").unwrap();
        ws.write_number(3, 2, 1234.5).unwrap();
        ws.merge_range(9, 0, 9, 6, "注：本表为空表。", &rust_xlsxwriter::Format::new()).unwrap();
        let hidden = wb.add_worksheet();
        hidden.set_name("旧表").unwrap();
        hidden.set_hidden(true);
        let book = Book::open(&wb.save_to_buffer().unwrap()).unwrap();
        assert_eq!(book.sheets.len(), 1);
        let hidden: Vec<(&str, Visibility)> =
            book.hidden.iter().map(|(s, v)| (s.name.as_str(), *v)).collect();
        assert_eq!(hidden, [("旧表", Visibility::Hidden)]);
        let s = book.sheet("部门收入总表").unwrap();
        assert_eq!(s.value(3, 2), Value::Number("1234.5"));
        assert_eq!(s.merged_at(9, 3).as_deref(), Some("A10:G10"));
        assert!(s.merged_at(8, 3).is_none());
        assert_eq!(s.title(), "2025年部门收入总表");
        assert_eq!((s.rows(), s.cols()), (10, 3), "blanks of a merge hold nothing");
    }
}
