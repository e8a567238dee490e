//! 读 .xlsx 的压缩包：先看文件是什么，再查目录（条目数、重名、重叠、加密），每个部件
//! 边解压边计数，超过上限即停。XML 的内容由 `sheetxml` 读。
//!
//! Nothing here trusts what the zip says of itself: the entry count is
//! read from the end record before the directory is parsed, a declared
//! size above a limit refuses at once, and the bytes actually inflated are
//! counted as they come out, per part and in total — a part that lies
//! about its size is stopped at the limit all the same. Every refusal is
//! said in Chinese and names the part; the zip library's own words never
//! reach the user.

use std::cell::Cell;
use std::collections::HashMap;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::rc::Rc;

use zip::ZipArchive;
use zip::result::ZipError;

use crate::diag::Problem;
use crate::import::limits::{Limits, count, mib};

/// Why the counting reader stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trip {
    /// One part inflated past its limit.
    Part(u64),
    /// All parts together past the total.
    Total(u64),
    /// One tag or text run longer than the markup limit.
    Markup(u64),
}

/// Counts inflated bytes and the longest run between `<` and `>`.
pub struct Guard<R> {
    inner: R,
    read: u64,
    cap: u64,
    before: u64,
    total: u64,
    run: u64,
    markup: u64,
    trip: Rc<Cell<Option<Trip>>>,
}

impl<R: Read> Guard<R> {
    fn stop(&self, t: Trip) -> std::io::Result<usize> {
        self.trip.set(Some(t));
        Err(std::io::Error::other("limit"))
    }
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.cap {
            return self.stop(Trip::Part(self.cap));
        }
        if self.before + self.read > self.total {
            return self.stop(Trip::Total(self.total));
        }
        for b in &buf[..n] {
            if *b == b'<' || *b == b'>' {
                self.run = 0;
            } else {
                self.run += 1;
                if self.run > self.markup {
                    return self.stop(Trip::Markup(self.markup));
                }
            }
        }
        Ok(n)
    }
}

/// The XML reader one part is read with.
pub type Xml<'a, R> = quick_xml::Reader<BufReader<Guard<zip::read::ZipFile<'a, R>>>>;

/// An open workbook container.
pub struct Container<R: Read + Seek> {
    zip: ZipArchive<R>,
    /// Part names, lower-cased (parts are named case-insensitively), to
    /// their index.
    names: HashMap<String, usize>,
    inflated: u64,
    pub limits: Limits,
}

/// What went wrong inside a part, said by the part's reader.
pub enum Fault {
    /// A message in Chinese, with the cell it concerns when there is one.
    Said(String),
    Xml(quick_xml::Error),
}

impl From<quick_xml::Error> for Fault {
    fn from(e: quick_xml::Error) -> Fault {
        Fault::Xml(e)
    }
}

impl<R: Read + Seek> Container<R> {
    /// Opens a zip that `sniff` accepted: its entry count first, then its
    /// directory, refused when two entries share a name or their data.
    pub fn open(mut r: R, limits: Limits) -> Result<Container<R>, Problem> {
        let entries = end_record_entries(&mut r).ok_or_else(|| broken("找不到压缩包的目录"))?;
        if entries > limits.entries {
            return Err(Problem::error(
                "",
                format!(
                    "工作簿的压缩包有 {} 个条目，超过上限 {}：不是 Excel 保存的工作簿",
                    count(entries),
                    count(limits.entries)
                ),
            ));
        }
        let mut zip = ZipArchive::new(r).map_err(|e| broken(&zip_words(&e)))?;
        let names = part_names(&zip)?;
        if zip.has_overlapping_files().unwrap_or(true) {
            return Err(Problem::error(
                "",
                "工作簿的压缩包中有几个部件共用同一段压缩数据（“重叠”式压缩炸弹），拒绝读取",
            ));
        }
        Ok(Container { zip, names, inflated: 0, limits })
    }

    /// Whether a part exists.
    pub fn has(&self, name: &str) -> bool {
        self.names.contains_key(&name.to_lowercase())
    }

    /// Reads part `name` with `f`, its inflated size capped at `cap`.
    /// `what` names the part in messages (“工作表“部门收入总表””).
    pub fn read<T>(
        &mut self,
        name: &str,
        cap: u64,
        what: &str,
        f: impl FnOnce(&mut Xml<'_, R>) -> Result<T, Fault>,
    ) -> Result<T, Problem> {
        let i = *self
            .names
            .get(&name.to_lowercase())
            .ok_or_else(|| broken(&format!("缺少部件 {name}（{what}）")))?;
        self.check_entry(i, cap, what)?;
        let trip = Rc::new(Cell::new(None));
        let file = self.zip.by_index(i).map_err(|e| broken(&zip_words(&e)))?;
        let guard = Guard {
            inner: file,
            read: 0,
            cap,
            before: self.inflated,
            total: self.limits.total_bytes,
            run: 0,
            markup: self.limits.markup,
            trip: Rc::clone(&trip),
        };
        let mut xml = quick_xml::Reader::from_reader(BufReader::with_capacity(64 << 10, guard));
        let out = f(&mut xml);
        self.inflated += xml.get_ref().get_ref().read;
        out.map_err(|fault| said(fault, trip.get(), what, xml.buffer_position()))
    }

    /// A part's declared size, compression and encryption, before any of
    /// it is inflated.
    fn check_entry(&mut self, i: usize, cap: u64, what: &str) -> Result<(), Problem> {
        let raw = self.zip.by_index_raw(i).map_err(|e| broken(&zip_words(&e)))?;
        if raw.encrypted() {
            return Err(Problem::error(
                "",
                format!("{what}已加密（设了密码），无法读取；请在 Excel 中取消密码后另存为 .xlsx"),
            ));
        }
        let method = raw.compression();
        if !matches!(method, zip::CompressionMethod::Stored | zip::CompressionMethod::Deflated) {
            return Err(broken(&format!("{what}用了 Excel 不用的压缩方式（{method}）")));
        }
        if raw.size() > cap {
            return Err(too_big(what, raw.size(), cap));
        }
        if self.inflated + raw.size() > self.limits.total_bytes {
            return Err(total_too_big(self.limits.total_bytes));
        }
        Ok(())
    }
}

/// Every part name, refused when two are the same name (in any case):
/// which of them a reader takes would be a guess.
fn part_names<R: Read + Seek>(zip: &ZipArchive<R>) -> Result<HashMap<String, usize>, Problem> {
    let dup = |n: &str| {
        Problem::error(
            "",
            format!(
                "工作簿的压缩包中“{n}”出现两次：不知道该读哪一个，拒绝读取（Excel 保存的工作簿不会这样）"
            ),
        )
    };
    let mut names = HashMap::new();
    for (i, raw) in zip.file_names_raw().enumerate() {
        let name = String::from_utf8_lossy(raw).to_string();
        if names.insert(name.to_lowercase(), i).is_some() {
            return Err(dup(&name));
        }
    }
    // The zip reader keeps one of two exact duplicates, so their name is
    // not at hand here.
    if zip.has_duplicate_names() {
        return Err(Problem::error(
            "",
            "工作簿的压缩包中有一个部件出现两次：不知道该读哪一个，拒绝读取（Excel 保存的工作簿不会这样）",
        ));
    }
    Ok(names)
}

/// The number of entries the zip's end record states (its zip64 record
/// when there is one), read without reading the directory.
fn end_record_entries<R: Read + Seek>(r: &mut R) -> Option<u64> {
    let len = r.seek(SeekFrom::End(0)).ok()?;
    let tail_len = len.min(65_535 + 22 + 20);
    r.seek(SeekFrom::Start(len - tail_len)).ok()?;
    let mut tail = vec![0u8; tail_len as usize];
    r.read_exact(&mut tail).ok()?;
    let at =
        (0..tail.len().saturating_sub(21)).rev().find(|&i| tail[i..].starts_with(b"PK\x05\x06"))?;
    let entries = u64::from(u16::from_le_bytes([tail[at + 10], tail[at + 11]]));
    let locator = at.checked_sub(20).filter(|&l| tail[l..].starts_with(b"PK\x06\x07"));
    let Some(l) = locator else { return Some(entries) };
    let offset = u64::from_le_bytes(tail[l + 8..l + 16].try_into().ok()?);
    r.seek(SeekFrom::Start(offset)).ok()?;
    let mut rec = [0u8; 40];
    r.read_exact(&mut rec).ok()?;
    if !rec.starts_with(b"PK\x06\x06") {
        return Some(entries);
    }
    Some(u64::from_le_bytes(rec[32..40].try_into().ok()?).max(entries))
}

fn broken(why: &str) -> Problem {
    Problem::error("", format!("无法读取工作簿：文件已损坏或不完整（{why}）"))
        .expected("从系统重新导出，或在 Excel 中打开后另存为 .xlsx")
}

/// The zip library's error, in Chinese words.
fn zip_words(e: &ZipError) -> String {
    match e {
        ZipError::Io(_) => "读取压缩数据时出错".into(),
        ZipError::InvalidArchive(_) => "压缩包的结构不对".into(),
        ZipError::UnsupportedArchive(_) => "用了不支持的压缩方式或加密".into(),
        ZipError::FileNotFound => "压缩包中缺少部件".into(),
        _ => "压缩包有误".into(),
    }
}

pub fn too_big(what: &str, size: u64, cap: u64) -> Problem {
    let size = if size == u64::MAX { "更大".to_string() } else { mib(size) };
    Problem::error(
        "",
        format!("{what}解压后有 {size}，超过上限 {}：不像是预算系统导出的工作簿（可能是压缩炸弹），拒绝读取", mib(cap)),
    )
    .expected("预算系统正常导出的工作簿；确实这么大时，按单位分成几个工作簿导入")
}

fn total_too_big(cap: u64) -> Problem {
    Problem::error(
        "",
        format!("工作簿各部分解压后合计超过上限 {}：不像是预算系统导出的工作簿（可能是压缩炸弹），拒绝读取", mib(cap)),
    )
    .expected("按单位分成几个工作簿导入")
}

/// A part reader's fault, or the limit that stopped it, in Chinese.
fn said(fault: Fault, trip: Option<Trip>, what: &str, at: u64) -> Problem {
    match (trip, fault) {
        (Some(Trip::Part(cap)), _) => too_big(what, u64::MAX, cap),
        (Some(Trip::Total(cap)), _) => total_too_big(cap),
        (Some(Trip::Markup(cap)), _) => Problem::error(
            "",
            format!(
                "{what}中有一段文字或一个标记超过 {}（单元格最多 32767 个字），不是 Excel 写出的内容，拒绝读取",
                mib(cap)
            ),
        ),
        (None, Fault::Said(m)) => Problem::error("", format!("{what}：{m}")),
        (None, Fault::Xml(quick_xml::Error::Io(_))) => {
            broken(&format!("{what}的压缩数据有误（校验不符或数据残缺）"))
        }
        (None, Fault::Xml(_)) => broken(&format!("{what}的 XML 在第 {at} 字节附近格式有误")),
    }
}

/// What a file is when it is not an xlsx workbook, from its first bytes
/// (and, for an OLE container, whether it holds an encrypted package).
pub fn sniff<R: Read + Seek>(r: &mut R) -> Option<String> {
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    let mut head = Vec::new();
    let _ = r.by_ref().take(4096).read_to_end(&mut head);
    let _ = r.seek(SeekFrom::Start(0));
    if head.is_empty() {
        return Some("文件是空的，不是 Excel 工作簿".into());
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return None;
    }
    if head.starts_with(OLE) {
        let encrypted = contains_utf16(r, "EncryptedPackage");
        let _ = r.seek(SeekFrom::Start(0));
        return Some(if encrypted {
            "工作簿设有打开密码（已加密），无法读取；请在 Excel 中取消密码后另存为 .xlsx 再导入"
                .into()
        } else {
            "这是旧版 Excel（.xls）文件；请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再导入".into()
        });
    }
    if std::str::from_utf8(&head).is_ok() || head.iter().all(|b| *b >= 0x09) {
        return Some("这是文本文件（例如改了扩展名的 CSV），不是 Excel 工作簿；请在 Excel 中打开并另存为 .xlsx".into());
    }
    Some("不是 Excel 工作簿（.xlsx）：文件开头不是 xlsx 的格式".into())
}

/// Whether the stream holds `word` in UTF-16LE, read in blocks.
fn contains_utf16<R: Read>(r: &mut R, word: &str) -> bool {
    let needle: Vec<u8> = word.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let mut carry: Vec<u8> = Vec::new();
    let mut block = vec![0u8; 1 << 16];
    loop {
        let n = match r.read(&mut block) {
            Ok(0) | Err(_) => return false,
            Ok(n) => n,
        };
        carry.extend_from_slice(&block[..n]);
        if carry.windows(needle.len()).any(|w| w == needle.as_slice()) {
            return true;
        }
        let keep = carry.len().saturating_sub(needle.len());
        carry.drain(..keep);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn sniffed(b: &[u8]) -> Option<String> {
        sniff(&mut Cursor::new(b.to_vec()))
    }

    #[test]
    fn what_is_not_a_workbook_is_named() {
        assert!(sniffed(b"a,b,c\n1,2,3\n").unwrap().contains("CSV"));
        let mut xls = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        xls.extend([0u8; 70_000]);
        assert!(sniffed(&xls).unwrap().contains(".xls"));
        let enc: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
        xls.extend(enc);
        assert!(sniffed(&xls).unwrap().contains("密码"));
        assert!(sniffed(b"").is_some());
        assert!(sniffed(b"PK\x03\x04rest").is_none());
    }

    #[test]
    fn the_guard_stops_at_each_limit() {
        let run = |data: &[u8], cap: u64, total: u64, markup: u64| {
            let trip = Rc::new(Cell::new(None));
            let mut g = Guard {
                inner: data,
                read: 0,
                cap,
                before: 0,
                total,
                run: 0,
                markup,
                trip: Rc::clone(&trip),
            };
            let _ = std::io::copy(&mut g, &mut std::io::sink());
            trip.get()
        };
        assert_eq!(run(b"<a>xx</a>", 100, 100, 10), None);
        assert_eq!(run(&[b'<'; 200], 100, 1000, 10), Some(Trip::Part(100)));
        assert_eq!(run(&[b'<'; 200], 1000, 150, 10), Some(Trip::Total(150)));
        assert_eq!(run(b"<a>xxxxxxxxxxxx</a>", 100, 100, 10), Some(Trip::Markup(10)));
    }
}
