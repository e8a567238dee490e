//! 读 xlsx 里的 XML：关系、工作簿（工作表名与是否隐藏）、共享字符串、工作表的单元格与合并区域。
//!
//! Each reader takes what yusuan needs and skips the rest (styles, column
//! widths, the declared `<dimension>`, which is never trusted). Cells are
//! counted against the limits as they are kept; a cell reference out of
//! Excel's range, a row met twice or out of order, a cell met twice, a
//! shared-string index past the table — each is refused naming the cell.
//! Numbers are kept as the text Excel wrote, so that no amount ever passes
//! through a double here.

use std::borrow::Cow;
use std::io::BufRead;

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

use crate::import::cell::address;
use crate::import::grid::{Arena, Grid, Kind, Slot};
use crate::import::limits::{Limits, count, mib};
use crate::import::xlsx::Fault;

/// One relationship of a part.
pub struct Rel {
    pub id: String,
    /// The type's last path segment: “worksheet”, “sharedStrings”…
    pub kind: String,
    pub target: String,
}

/// Whether a sheet is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    Visible,
    Hidden,
    /// Hidden so that Excel's “unhide” does not list it.
    VeryHidden,
}

/// A sheet as the workbook part lists it.
pub struct Listed {
    pub name: String,
    pub state: Visibility,
    pub rel: String,
}

/// A merged region, 0-based, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    pub start: (u32, u32),
    pub end: (u32, u32),
}

impl Region {
    pub fn contains(&self, r: u32, c: u32) -> bool {
        (self.start.0..=self.end.0).contains(&r) && (self.start.1..=self.end.1).contains(&c)
    }
}

/// The value of attribute `name` (by local name: `r:id` is “id”).
fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.local_name().as_ref() == name).and_then(|a| {
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(Cow::into_owned)
    })
}

/// Puts attribute `name`'s value into `out` (cleared first); whether it
/// was there. Entities are resolved only when the value has one, and no
/// duplicate-attribute scan is made: this runs for every cell.
fn attr_into(e: &BytesStart, name: &str, out: &mut String) -> bool {
    out.clear();
    let mut attrs = e.attributes();
    attrs.with_checks(false);
    let Some(a) = attrs.flatten().find(|a| a.key.local_name().as_ref() == name) else {
        return false;
    };
    if a.value.contains('&') {
        if let Ok(v) = a.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
            out.push_str(&v);
        }
    } else {
        out.push_str(&a.value);
    }
    true
}

/// Appends an entity reference's text: `&amp;`, `&#x4E2D;`.
fn entity(r: &BytesRef, out: &mut String) {
    match r.resolve_char_ref() {
        Ok(Some(c)) => out.push(c),
        _ => {
            let name = r.clone().into_inner();
            out.push_str(quick_xml::escape::resolve_predefined_entity(&name).unwrap_or(""));
        }
    }
}

/// The relationships of a `.rels` part.
pub fn rels<B: BufRead>(xml: &mut Reader<B>) -> Result<Vec<Rel>, Fault> {
    let mut out = Vec::new();
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf)? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                let kind = attr(&e, "Type").unwrap_or_default();
                out.push(Rel {
                    id: attr(&e, "Id").unwrap_or_default(),
                    kind: kind.rsplit('/').next().unwrap_or("").to_string(),
                    target: attr(&e, "Target").unwrap_or_default(),
                });
            }
            Event::Eof => return Ok(out),
            _ => {}
        }
        buf.clear();
    }
}

/// The sheets a workbook part lists, in order.
pub fn workbook<B: BufRead>(xml: &mut Reader<B>) -> Result<Vec<Listed>, Fault> {
    let mut out = Vec::new();
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf)? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                let state = match attr(&e, "state").as_deref() {
                    Some("hidden") => Visibility::Hidden,
                    Some("veryHidden") => Visibility::VeryHidden,
                    _ => Visibility::Visible,
                };
                let name = attr(&e, "name").unwrap_or_default();
                out.push(Listed { name, state, rel: attr(&e, "id").unwrap_or_default() });
            }
            Event::Eof => return Ok(out),
            _ => {}
        }
        buf.clear();
    }
}

/// `_x000D_`-style escapes of OOXML strings, decoded.
pub fn ooxml_text(s: &str) -> Cow<'_, str> {
    if !s.contains("_x") {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("_x") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let code = tail.get(2..6).filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
        match code.filter(|_| tail.as_bytes().get(6) == Some(&b'_')) {
            Some(h) => {
                let ch = u32::from_str_radix(h, 16).ok().and_then(char::from_u32);
                out.push(ch.unwrap_or(char::REPLACEMENT_CHARACTER));
                rest = &tail[7..];
            }
            None => {
                out.push_str("_x");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The shared-string table: each string's place in the arena.
pub fn shared<B: BufRead>(
    xml: &mut Reader<B>,
    arena: &mut Arena,
    limits: &Limits,
) -> Result<Vec<(u32, u32)>, Fault> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    let (mut text, mut in_t, mut phonetic) = (String::new(), false, false);
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf)? {
            Event::Start(e) => match e.local_name().as_ref() {
                "si" => text.clear(),
                "t" => in_t = !phonetic,
                "rPh" => phonetic = true,
                _ => {}
            },
            Event::Text(t) if in_t => text.push_str(&t.xml10_content()),
            Event::CData(t) if in_t => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_t => entity(&r, &mut text),
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_t = false,
                "rPh" => phonetic = false,
                "si" => out.push(keep(arena, &ooxml_text(&text), out.len(), limits)?),
                _ => {}
            },
            Event::Empty(e) if e.local_name().as_ref() == "si" => {
                out.push(keep(arena, "", out.len(), limits)?)
            }
            Event::Eof => return Ok(out),
            _ => {}
        }
        buf.clear();
    }
}

/// Keeps one shared string, counting 8 bytes for its index.
fn keep(arena: &mut Arena, s: &str, n: usize, limits: &Limits) -> Result<(u32, u32), Fault> {
    if arena.used + s.len() as u64 + 8 * (n as u64 + 1) > limits.text_bytes {
        return Err(text_limit(limits));
    }
    Ok(arena.push(s))
}

fn text_limit(limits: &Limits) -> Fault {
    Fault::Said(format!("工作簿中的文字超过上限 {}，拒绝读取", mib(limits.text_bytes)))
}

/// “B12” → (11, 1), within Excel's sheet.
pub fn cell_ref(s: &str, limits: &Limits) -> Option<(u32, u32)> {
    let letters = s.bytes().take_while(u8::is_ascii_uppercase).count();
    let (col, row) = s.split_at(letters);
    if letters == 0 || letters > 3 || row.is_empty() || !row.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let c = col.bytes().fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1));
    let r: u32 = row.parse().ok()?;
    (r >= 1 && r <= limits.rows && c <= limits.cols).then(|| (r - 1, c - 1))
}

/// What a sheet reading keeps and counts.
pub struct Sink<'a> {
    pub arena: &'a mut Arena,
    pub shared: usize,
    pub limits: &'a Limits,
    /// Cells kept so far in the workbook.
    pub cells: u64,
    /// Merged regions kept so far in the workbook.
    pub merges: u64,
}

/// The cell being read.
#[derive(Default)]
struct Open {
    at: (u32, u32),
    t: String,
    v: String,
    f: Option<String>,
    text: String,
    field: Field,
    phonetic: bool,
}

#[derive(Default, PartialEq, Eq)]
enum Field {
    #[default]
    None,
    V,
    F,
    T,
}

/// One worksheet: its cells and merged regions.
pub fn sheet<B: BufRead>(
    xml: &mut Reader<B>,
    sink: &mut Sink,
) -> Result<(Grid, Vec<Region>), Fault> {
    let mut st = SheetState::default();
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf)? {
            Event::Start(e) => st.start(&e, false, sink)?,
            Event::Empty(e) => st.start(&e, true, sink)?,
            Event::Text(t) => st.text(&t.xml10_content()),
            Event::CData(t) => st.text(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let mut s = String::new();
                entity(&r, &mut s);
                st.text(&s);
            }
            Event::End(e) => st.end(e.local_name().as_ref(), sink)?,
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    st.flush_row(sink)?;
    Ok((st.grid, st.merged))
}

#[derive(Default)]
struct SheetState {
    grid: Grid,
    merged: Vec<Region>,
    /// The row being read and the last row read (1-based; 0 before any).
    row: u32,
    last: u32,
    next_col: u32,
    cells: Vec<Slot>,
    /// The cell being read, when `open`: its buffers are reused.
    cell: Open,
    open: bool,
    /// A scratch buffer for attribute values.
    scratch: String,
}

impl SheetState {
    fn start(&mut self, e: &BytesStart, empty: bool, sink: &mut Sink) -> Result<(), Fault> {
        match e.local_name().as_ref() {
            "row" => self.open_row(e, sink)?,
            "c" => self.open_cell(e, empty, sink)?,
            "v" if !empty => self.field(Field::V),
            "f" => {
                if self.open {
                    self.cell.f.get_or_insert_with(String::new);
                }
                if !empty {
                    self.field(Field::F);
                }
            }
            "t" if !empty => self.field(Field::T),
            "rPh" if !empty => self.cell.phonetic = true,
            "mergeCell" => self.merge(e, sink)?,
            _ => {}
        }
        Ok(())
    }

    fn field(&mut self, f: Field) {
        if self.open {
            let c = &mut self.cell;
            c.field = if f == Field::T && c.phonetic { Field::None } else { f };
        }
    }

    fn text(&mut self, s: &str) {
        if !self.open {
            return;
        }
        let c = &mut self.cell;
        match c.field {
            Field::V => c.v.push_str(s),
            Field::F => c.f.get_or_insert_with(String::new).push_str(s),
            Field::T => c.text.push_str(s),
            Field::None => {}
        }
    }

    fn end(&mut self, name: &str, sink: &mut Sink) -> Result<(), Fault> {
        match name {
            "c" => self.close_cell(sink),
            "row" => self.flush_row(sink),
            "rPh" => {
                self.cell.phonetic = false;
                Ok(())
            }
            "v" | "f" | "t" => {
                self.field(Field::None);
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// A `<row>`: its number (stated, else the next), ascending.
    fn open_row(&mut self, e: &BytesStart, sink: &mut Sink) -> Result<(), Fault> {
        self.flush_row(sink)?;
        let r = match attr(e, "r") {
            Some(t) => t.trim().parse::<u32>().map_err(|_| bad(format!("行号“{t}”不是数字")))?,
            None => self.last + 1,
        };
        if r == 0 || r > sink.limits.rows {
            return Err(bad(format!(
                "行号 {r} 超出 Excel 的范围（1—{}）",
                count(sink.limits.rows.into())
            )));
        }
        if r <= self.last {
            return Err(bad(format!("第 {r} 行出现在第 {} 行之后：行的顺序错乱或重复", self.last)));
        }
        (self.row, self.last, self.next_col) = (r, r, 0);
        Ok(())
    }

    /// A `<c>`: its place (stated, else after the last), kept open until
    /// `</c>`; an empty `<c/>` holds nothing.
    fn open_cell(&mut self, e: &BytesStart, empty: bool, sink: &mut Sink) -> Result<(), Fault> {
        if self.row == 0 {
            self.open_row_implicitly(sink)?;
        }
        let mut scratch = std::mem::take(&mut self.scratch);
        let at = match attr_into(e, "r", &mut scratch) {
            true => cell_ref(scratch.trim(), sink.limits)
                .ok_or_else(|| bad(format!("单元格地址“{scratch}”不对或超出 Excel 的范围")))?,
            false => (self.row - 1, self.next_col),
        };
        if at.0 != self.row - 1 || at.1 >= sink.limits.cols {
            return Err(bad(format!(
                "单元格 {} 不在它所在的第 {} 行",
                address(at.0, at.1),
                self.row
            )));
        }
        self.next_col = at.1 + 1;
        self.open = !empty;
        if !empty {
            let c = &mut self.cell;
            c.at = at;
            attr_into(e, "t", &mut c.t);
            c.v.clear();
            c.text.clear();
            c.f = None;
            c.field = Field::None;
            c.phonetic = false;
        }
        self.scratch = scratch;
        Ok(())
    }

    fn open_row_implicitly(&mut self, sink: &Sink) -> Result<(), Fault> {
        let r = self.last + 1;
        if r > sink.limits.rows {
            return Err(bad(format!("行数超过 Excel 的上限 {}", count(sink.limits.rows.into()))));
        }
        (self.row, self.last, self.next_col) = (r, r, 0);
        Ok(())
    }

    /// `</c>`: the value kept by its type, or nothing for a blank.
    fn close_cell(&mut self, sink: &mut Sink) -> Result<(), Fault> {
        if !std::mem::take(&mut self.open) {
            return Ok(());
        }
        let c = std::mem::take(&mut self.cell);
        let out = self.value_of(&c, sink);
        self.cell = c;
        out
    }

    fn value_of(&mut self, c: &Open, sink: &mut Sink) -> Result<(), Fault> {
        let (kind, text): (Kind, Cow<str>) = match c.t.as_str() {
            "s" => return self.shared_cell(c, sink),
            "inlineStr" => (Kind::Text, ooxml_text(&c.text)),
            "str" if c.v.is_empty() && c.f.is_some() => {
                (Kind::Formula, c.f.clone().unwrap_or_default().into())
            }
            "str" | "d" => (Kind::Text, ooxml_text(&c.v)),
            "b" => (Kind::Bool, Cow::Borrowed(if c.v.trim() == "1" { "1" } else { "" })),
            "e" => (Kind::Error, Cow::Borrowed(c.v.trim())),
            _ if !c.v.trim().is_empty() => (Kind::Number, Cow::Borrowed(c.v.trim())),
            _ if c.f.is_some() => (Kind::Formula, c.f.clone().unwrap_or_default().into()),
            _ => return Ok(()),
        };
        if kind == Kind::Text && text.is_empty() {
            return Ok(());
        }
        if kind == Kind::Bool {
            return self.keep(
                Slot { off: u32::from(!text.is_empty()), len: 0, col: col(c.at), kind },
                sink,
            );
        }
        if sink.arena.used + text.len() as u64 > sink.limits.text_bytes {
            return Err(text_limit(sink.limits));
        }
        let (off, len) = sink.arena.push(&text);
        self.keep(Slot { off, len, col: col(c.at), kind }, sink)
    }

    fn shared_cell(&mut self, c: &Open, sink: &mut Sink) -> Result<(), Fault> {
        let place = || address(c.at.0, c.at.1);
        let i: usize =
            c.v.trim()
                .parse()
                .map_err(|_| bad(format!("单元格 {} 的共享文字编号“{}”不是数字", place(), c.v)))?;
        if i >= sink.shared {
            return Err(bad(format!(
                "单元格 {} 指向第 {} 条共享文字，而工作簿只有 {} 条",
                place(),
                i + 1,
                sink.shared
            )));
        }
        self.keep(Slot { off: i as u32, len: 0, col: col(c.at), kind: Kind::Shared }, sink)
    }

    fn keep(&mut self, s: Slot, sink: &mut Sink) -> Result<(), Fault> {
        sink.cells += 1;
        if sink.cells > sink.limits.cells {
            return Err(Fault::Said(format!(
                "工作簿中有内容的单元格超过上限 {} 个，拒绝读取",
                count(sink.limits.cells)
            )));
        }
        self.cells.push(s);
        Ok(())
    }

    /// `</row>`: the row's cells by column, each place once.
    fn flush_row(&mut self, _sink: &mut Sink) -> Result<(), Fault> {
        if self.cells.is_empty() {
            return Ok(());
        }
        self.cells.sort_by_key(|s| s.col);
        if let Some(w) = self.cells.windows(2).find(|w| w[0].col == w[1].col) {
            let place = address(self.row - 1, u32::from(w[0].col));
            return Err(bad(format!("单元格 {place} 出现两次：不知道该读哪一个")));
        }
        self.grid.push_row(self.row - 1, &self.cells);
        self.cells.clear();
        Ok(())
    }

    fn merge(&mut self, e: &BytesStart, sink: &mut Sink) -> Result<(), Fault> {
        let Some(r) = attr(e, "ref") else { return Ok(()) };
        let (a, b) = r.split_once(':').unwrap_or((&r, &r));
        let (Some(start), Some(end)) = (cell_ref(a, sink.limits), cell_ref(b, sink.limits)) else {
            return Err(bad(format!("合并区域“{r}”的地址不对")));
        };
        sink.merges += 1;
        if sink.merges > sink.limits.merged {
            return Err(Fault::Said(format!(
                "合并区域超过上限 {} 个，拒绝读取",
                count(sink.limits.merged)
            )));
        }
        let (start, end) =
            ((start.0.min(end.0), start.1.min(end.1)), (start.0.max(end.0), start.1.max(end.1)));
        self.merged.push(Region { start, end });
        Ok(())
    }
}

fn col(at: (u32, u32)) -> u16 {
    at.1 as u16
}

fn bad(m: String) -> Fault {
    Fault::Said(format!("{m}（不是 Excel 写出的内容）"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::limits::LIMITS;

    fn read(xml: &str) -> Result<(Grid, Vec<Region>, Arena), String> {
        let mut arena = Arena::default();
        let mut sink = Sink { arena: &mut arena, shared: 2, limits: &LIMITS, cells: 0, merges: 0 };
        let mut r = Reader::from_reader(xml.as_bytes());
        match sheet(&mut r, &mut sink) {
            Ok((g, m)) => Ok((g, m, arena)),
            Err(Fault::Said(m)) => Err(m),
            Err(Fault::Xml(e)) => Err(format!("xml {e}")),
        }
    }

    #[test]
    fn cells_keep_their_text_and_type() {
        let xml = r#"<worksheet><dimension ref="A1:XFD1048576"/><sheetData>
            <row r="2"><c r="A2" t="s"><v>1</v></c><c r="C2"><v>1234.50</v></c>
            <c r="D2" t="inlineStr"><is><t>合&amp;计_x000D_</t></is></c><c r="E2"><f>SUM(C2)</f></c>
            <c r="F2" t="b"><v>1</v></c><c r="G2" s="3"/></row>
            <row><c><v>12345678901234567890</v></c></row></sheetData>
            <mergeCells><mergeCell ref="A10:G10"/></mergeCells></worksheet>"#;
        let (g, m, a) = read(xml).unwrap();
        let at = |r, c| g.get(r, c).map(|s| (s.kind, a.get(s.off, s.len).to_string()));
        assert_eq!(g.get(1, 0).map(|s| (s.kind, s.off)), Some((Kind::Shared, 1)));
        assert_eq!(at(1, 2), Some((Kind::Number, "1234.50".into())));
        assert_eq!(at(1, 3), Some((Kind::Text, "合&计\r".into())));
        assert_eq!(at(1, 4), Some((Kind::Formula, "SUM(C2)".into())));
        assert_eq!(g.get(1, 5).map(|s| s.off), Some(1));
        assert!(g.get(1, 6).is_none(), "a styled blank is not kept");
        assert_eq!(at(2, 0), Some((Kind::Number, "12345678901234567890".into())));
        assert_eq!(m, [Region { start: (9, 0), end: (9, 6) }]);
    }

    #[test]
    fn what_excel_never_writes_is_refused() {
        let dup = r#"<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="A1"><v>2</v></c></row></sheetData>"#;
        assert!(read(dup).unwrap_err().contains("A1 出现两次"));
        let back = r#"<sheetData><row r="5"/><row r="3"/></sheetData>"#;
        assert!(read(back).unwrap_err().contains("第 3 行出现在第 5 行之后"));
        let far = r#"<sheetData><row r="1048577"/></sheetData>"#;
        assert!(read(far).unwrap_err().contains("超出 Excel 的范围"));
        let sst = r#"<sheetData><row r="1"><c r="B1" t="s"><v>7</v></c></row></sheetData>"#;
        assert!(read(sst).unwrap_err().contains("B1 指向第 8 条共享文字"));
        let wrong = r#"<sheetData><row r="1"><c r="B2"><v>1</v></c></row></sheetData>"#;
        assert!(read(wrong).unwrap_err().contains("B2 不在"));
    }

    #[test]
    fn references_and_escapes() {
        assert_eq!(cell_ref("XFD1048576", &LIMITS), Some((1_048_575, 16_383)));
        assert_eq!(cell_ref("XFE1", &LIMITS), None);
        assert_eq!(cell_ref("A0", &LIMITS), None);
        assert_eq!(ooxml_text("a_x0009_b_xZZ_"), "a\tb_xZZ_");
    }

    #[test]
    fn shared_strings_skip_phonetics() {
        let xml = r#"<sst><si><t>部门</t><rPh><t>ぶもん</t></rPh></si><si><r><t>合</t></r><r><t>计</t></r></si><si/></sst>"#;
        let mut arena = Arena::default();
        let got =
            shared(&mut Reader::from_reader(xml.as_bytes()), &mut arena, &LIMITS).ok().unwrap();
        let texts: Vec<&str> = got.iter().map(|(o, l)| arena.get(*o, *l)).collect();
        assert_eq!(texts, ["部门", "合计", ""]);
    }
}
