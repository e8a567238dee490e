//! The hostile workbook corpus of `tests/import_hostile.rs`, made at test
//! time (no multi-megabyte file is committed): every workbook yusuan import
//! should never have been sent, each with what the import must do with it.
//! The list is in README.md beside this file.
//!
//! Workbooks are written part by part with a small zip writer of our own,
//! so that a case can lie where a zip or a workbook can lie: sizes, entry
//! counts, names, flags, compression methods, shared data, dimensions, row
//! numbers. Bombs are deflate streams of one block repeated, so that a
//! sheet inflating to gigabytes costs a few megabytes and a second to make.

#![allow(dead_code)]

use std::io::Write;

use flate2::{Compress, Compression, FlushCompress};
use rust_decimal::Decimal;

/// What the import must do.
pub enum Expect {
    /// Exit 1, nothing written, each of these said.
    Refused(&'static [&'static str]),
    /// Exit 0, the draft written, each of these said.
    Imported(&'static [&'static str]),
}

pub struct Case {
    pub name: &'static str,
    pub bytes: Vec<u8>,
    /// Extra arguments (`--year`, `--use-hidden`).
    pub args: Vec<&'static str>,
    pub expect: Expect,
    /// Wall seconds allowed (a guard on a shared machine, not a benchmark).
    pub seconds: f64,
}

// ---- zip -------------------------------------------------------------

/// One zip entry as written: its data already compressed (or stored).
#[derive(Clone)]
pub struct Entry {
    pub name: String,
    pub data: Vec<u8>,
    pub method: u16,
    pub flags: u16,
    pub crc: u32,
    /// The uncompressed size the headers declare.
    pub size: u64,
}

impl Entry {
    /// An honest deflated entry.
    pub fn deflated(name: &str, plain: &[u8]) -> Entry {
        let mut c = flate2::Crc::new();
        c.update(plain);
        Entry {
            name: name.into(),
            data: deflate(plain),
            method: 8,
            flags: 0,
            crc: c.sum(),
            size: plain.len() as u64,
        }
    }
}

pub fn deflate(plain: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), Compression::fast());
    e.write_all(plain).unwrap();
    e.finish().unwrap()
}

fn u16le(v: &mut Vec<u8>, x: u16) {
    v.extend_from_slice(&x.to_le_bytes());
}

fn u32le(v: &mut Vec<u8>, x: u32) {
    v.extend_from_slice(&x.to_le_bytes());
}

/// A zip of these entries. `share`: entry k's directory record points at
/// entry j's data (overlapping entries); `count`: the entry count the end
/// record states, when it lies.
pub fn zip(entries: &[Entry], share: Option<(usize, usize)>, count: Option<u16>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut offsets = Vec::new();
    for e in entries {
        offsets.push(out.len() as u32);
        u32le(&mut out, 0x0403_4b50);
        for x in [20, e.flags, e.method, 0, 0x21] {
            u16le(&mut out, x);
        }
        for x in [e.crc, e.data.len() as u32, e.size as u32] {
            u32le(&mut out, x);
        }
        u16le(&mut out, e.name.len() as u16);
        u16le(&mut out, 0);
        out.extend_from_slice(e.name.as_bytes());
        out.extend_from_slice(&e.data);
    }
    let dir = out.len() as u32;
    for (k, own) in entries.iter().enumerate() {
        // A shared record keeps its own name and points at another's data.
        let (e, at) = match share {
            Some((kk, j)) if kk == k => (&entries[j], offsets[j]),
            _ => (own, offsets[k]),
        };
        u32le(&mut out, 0x0201_4b50);
        for x in [20, 20, e.flags, e.method, 0, 0x21] {
            u16le(&mut out, x);
        }
        for x in [e.crc, e.data.len() as u32, e.size as u32] {
            u32le(&mut out, x);
        }
        for x in [own.name.len() as u16, 0, 0, 0, 0] {
            u16le(&mut out, x);
        }
        u32le(&mut out, 0);
        u32le(&mut out, at);
        out.extend_from_slice(own.name.as_bytes());
    }
    let size = out.len() as u32 - dir;
    u32le(&mut out, 0x0605_4b50);
    let n = count.unwrap_or(entries.len() as u16);
    for x in [0, 0, n, n] {
        u16le(&mut out, x);
    }
    u32le(&mut out, size);
    u32le(&mut out, dir);
    u16le(&mut out, 0);
    out
}

/// A raw deflate stream of `head`, then `unit` repeated to about `bytes`,
/// then `tail`: the block that compresses one chunk of units (in the
/// window of the chunk before) is written again and again. Gives the
/// stream, its inflated size and CRC.
pub fn bomb(head: &[u8], unit: &[u8], bytes: u64, tail: &[u8]) -> (Vec<u8>, u64, u32) {
    let chunk: Vec<u8> = unit.repeat(((1 << 16) / unit.len()).max(1));
    let mut c = Compress::new(Compression::best(), false);
    let mut out = Vec::new();
    let mut step = |input: &[u8], flush: FlushCompress, out: &mut Vec<u8>| {
        let start = out.len();
        let mut buf = vec![0u8; input.len() + 1024];
        let before = c.total_out();
        c.compress(input, &mut buf, flush).unwrap();
        out.extend_from_slice(&buf[..(c.total_out() - before) as usize]);
        out[start..].to_vec()
    };
    step(head, FlushCompress::Sync, &mut out);
    step(&chunk, FlushCompress::Sync, &mut out);
    step(&chunk, FlushCompress::Sync, &mut out);
    let block = step(&chunk, FlushCompress::Sync, &mut out);
    let n = (bytes / chunk.len() as u64).max(3);
    for _ in 3..n {
        out.extend_from_slice(&block);
    }
    step(tail, FlushCompress::Finish, &mut out);
    let mut crc = flate2::Crc::new();
    crc.update(head);
    for _ in 0..n {
        crc.update(&chunk);
    }
    crc.update(tail);
    (out, crc.amount() as u64, crc.sum())
}

// ---- workbook --------------------------------------------------------

/// A cell of a sheet to write.
#[derive(Clone)]
pub enum Cell {
    /// Text, through the shared-string table.
    S(String),
    /// A number as the XML text.
    N(String),
    /// A formula saved without its result.
    F(String),
    /// An error value.
    E(String),
    /// The cell's inner XML as given (`t` attribute first).
    Raw(String, String),
}

pub fn s(t: &str) -> Cell {
    Cell::S(t.into())
}

pub fn n(t: &str) -> Cell {
    Cell::N(t.into())
}

/// A sheet to write: rows of cells from A1, and XML around them.
#[derive(Clone, Default)]
pub struct Sheet {
    pub name: String,
    pub state: Option<&'static str>,
    pub rows: Vec<Vec<Cell>>,
    /// Before `<sheetData>` (a `<dimension>`).
    pub before: String,
    /// After `</sheetData>` (`<mergeCells>`).
    pub after: String,
}

fn col(c: usize) -> String {
    let mut s = String::new();
    let mut n = c + 1;
    while n > 0 {
        s.insert(0, char::from(b'A' + ((n - 1) % 26) as u8));
        n = (n - 1) / 26;
    }
    s
}

fn esc(t: &str) -> String {
    t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The sheet's XML, its texts added to `sst`.
pub fn sheet_xml(sh: &Sheet, sst: &mut Vec<String>) -> Vec<u8> {
    let mut x = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    );
    x.push_str(&sh.before);
    x.push_str("<sheetData>");
    for (r, row) in sh.rows.iter().enumerate() {
        x.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{}", col(c), r + 1);
            x.push_str(&match cell {
                Cell::S(t) if t.is_empty() => continue,
                Cell::S(t) => {
                    let i = sst.iter().position(|x| x == t).unwrap_or_else(|| {
                        sst.push(t.clone());
                        sst.len() - 1
                    });
                    format!("<c r=\"{at}\" t=\"s\"><v>{i}</v></c>")
                }
                Cell::N(v) => format!("<c r=\"{at}\"><v>{v}</v></c>"),
                Cell::F(f) => format!("<c r=\"{at}\"><f>{}</f></c>", esc(f)),
                Cell::E(e) => format!("<c r=\"{at}\" t=\"e\"><v>{e}</v></c>"),
                Cell::Raw(t, inner) => format!("<c r=\"{at}\" {t}>{inner}</c>"),
            });
        }
        x.push_str("</row>");
    }
    x.push_str("</sheetData>");
    x.push_str(&sh.after);
    x.push_str("</worksheet>");
    x.into_bytes()
}

pub fn sst_xml(sst: &[String]) -> Vec<u8> {
    let mut x = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    );
    for t in sst {
        x.push_str(&format!("<si><t xml:space=\"preserve\">{}</t></si>", esc(t)));
    }
    x.push_str("</sst>");
    x.into_bytes()
}

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

/// The parts around the sheets: content types, relationships, workbook.
pub fn frame(sheets: &[(&str, Option<&str>)], with_sst: bool) -> Vec<(String, Vec<u8>)> {
    let mut wb = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (k, (name, state)) in sheets.iter().enumerate() {
        let st = state.map(|s| format!(" state=\"{s}\"")).unwrap_or_default();
        wb.push_str(&format!(
            "<sheet name=\"{}\" sheetId=\"{}\"{st} r:id=\"rId{}\"/>",
            esc(name),
            k + 1,
            k + 1
        ));
        rels.push_str(&format!(
            "<Relationship Id=\"rId{}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{}.xml\"/>",
            k + 1,
            k + 1
        ));
    }
    if with_sst {
        rels.push_str(r#"<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#);
    }
    wb.push_str("</sheets></workbook>");
    rels.push_str("</Relationships>");
    let types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#;
    vec![
        ("[Content_Types].xml".into(), types.as_bytes().to_vec()),
        ("_rels/.rels".into(), RELS.as_bytes().to_vec()),
        ("xl/workbook.xml".into(), wb.into_bytes()),
        ("xl/_rels/workbook.xml.rels".into(), rels.into_bytes()),
    ]
}

/// The entries of a workbook of these sheets, honestly deflated.
pub fn entries(sheets: &[Sheet]) -> Vec<Entry> {
    let mut sst = Vec::new();
    let xmls: Vec<Vec<u8>> = sheets.iter().map(|s| sheet_xml(s, &mut sst)).collect();
    let names: Vec<(&str, Option<&str>)> =
        sheets.iter().map(|s| (s.name.as_str(), s.state)).collect();
    let mut out: Vec<Entry> =
        frame(&names, true).iter().map(|(n, d)| Entry::deflated(n, d)).collect();
    for (k, x) in xmls.iter().enumerate() {
        out.push(Entry::deflated(&format!("xl/worksheets/sheet{}.xml", k + 1), x));
    }
    out.push(Entry::deflated("xl/sharedStrings.xml", &sst_xml(&sst)));
    out
}

pub fn workbook(sheets: &[Sheet]) -> Vec<u8> {
    zip(&entries(sheets), None, None)
}

// ---- the sample's export --------------------------------------------

/// One line of the sample as exported: unit, project, function, economic,
/// fund, 元.
pub type Line = (String, String, String, String, String, Decimal);

pub const HEADS: [&str; 6] =
    ["预算单位", "项目名称", "支出功能分类", "部门预算经济分类", "资金性质", "金额"];

/// The export sheet of these lines: a title, “单位：元”, the header, rows.
pub fn export(lines: &[Line]) -> Sheet {
    let mut rows = vec![vec![s("2022年部门预算明细")], vec![s("单位：元")]];
    rows.push(HEADS.iter().map(|h| s(h)).collect());
    for l in lines {
        rows.push(vec![
            s(&l.0),
            s(&l.1),
            s(&l.2),
            s(&l.3),
            s(&l.4),
            n(&l.5.normalize().to_string()),
        ]);
    }
    Sheet { name: "预算明细".into(), rows, ..Sheet::default() }
}

/// The first data row of `export` (0-based) and its amount column.
pub const FIRST: usize = 3;
pub const AMOUNT: usize = 5;
