//! 读取数据文件：编码检查、TOML 解析，以及把字段路径定位到文件中的行列。

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diag::Problem;
use crate::model::Budget;

/// A data file as read from disk.
#[derive(Debug, Clone)]
pub struct DataFile {
    pub path: PathBuf,
    /// The text, without a byte order mark; spans index into it.
    pub text: String,
}

impl DataFile {
    /// The name used in messages.
    pub fn name(&self) -> String {
        self.path.display().to_string()
    }

    /// The stem used for the output file name.
    pub fn stem(&self) -> String {
        self.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
    }
}

/// Reads a file, refusing what is not UTF-8 text.
pub fn read(path: &Path) -> Result<DataFile, Problem> {
    let bytes = std::fs::read(path).map_err(|e| {
        let what = match e.kind() {
            std::io::ErrorKind::NotFound => "文件不存在".to_string(),
            std::io::ErrorKind::PermissionDenied => "没有读取权限".to_string(),
            _ => format!("无法读取：{e}"),
        };
        Problem::error("", what)
    })?;
    let text = decode(&bytes)?;
    if text.trim().is_empty() {
        return Err(Problem::error("", "文件是空的")
            .expected("一个部门一个年度的预算数据，参见 docs/data-format.md"));
    }
    Ok(DataFile { path: path.to_path_buf(), text })
}

/// UTF-8 with or without BOM; anything else (typically GBK from a Windows
/// editor) is refused with the fix spelled out.
pub fn decode(bytes: &[u8]) -> Result<String, Problem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(Problem::error("", "文件是 UTF-16 编码")
            .expected("UTF-8 编码：请在编辑器中“另存为”，编码选 UTF-8"));
    }
    match std::str::from_utf8(bytes) {
        Ok(t) => Ok(t.to_string()),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            Err(Problem::error(
                "",
                format!("文件不是 UTF-8 编码（第 {line} 行起无法解码，可能是 GBK/GB2312）"),
            )
            .expected("UTF-8 编码：请在编辑器中“另存为”，编码选 UTF-8"))
        }
    }
}

/// Parses the text into the model. Serde stops at the first problem, so this
/// yields at most one; the checks then report everything else in one run.
pub fn parse(file: &DataFile) -> Result<Budget, Problem> {
    toml::from_str::<Budget>(&file.text).map_err(|e| translate(&file.text, &e))
}

/// Turns a toml/serde error into a Chinese message at the right place.
fn translate(text: &str, e: &toml::de::Error) -> Problem {
    let msg = e.message().trim();
    let span = e.span();
    let field = span.as_ref().map(|s| path_at(text, s.start)).unwrap_or_default();
    let (message, expected) = explain(msg);
    let mut p = Problem::error(field, message);
    p.expected = expected;
    p.span = span;
    p
}

/// Maps serde's English wording to Chinese; unknown wording is kept, marked
/// as a syntax error.
fn explain(msg: &str) -> (String, Option<String>) {
    if let Some(rest) = msg.strip_prefix("missing field ") {
        let name = rest.trim_matches('`');
        return (format!("缺少必填字段“{name}”"), Some(format!("在这张表里写上 {name} = …")));
    }
    if let Some(rest) = msg.strip_prefix("unknown field ") {
        let (name, known) = rest.split_once(", expected").unwrap_or((rest, ""));
        let name = name.trim_matches('`');
        let options: Vec<&str> = known
            .split(['`', ','])
            .map(str::trim)
            .filter(|s| !s.is_empty() && *s != "one of" && *s != "or")
            .collect();
        let mut message = format!("未知字段“{name}”");
        if let Some(best) = did_you_mean(name, &options) {
            message.push_str(&format!("，是否想写“{best}”？"));
        }
        return (message, Some(format!("可用字段：{}", options.join("、"))));
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (found, wanted) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return (format!("类型不对：这里是{}", type_name(found)), Some(type_name(wanted)));
    }
    if let Some(rest) = msg.strip_prefix("invalid length ") {
        return (format!("条目数不对：{rest}"), None);
    }
    if msg.contains("duplicate key") {
        return ("同一个键写了两次".to_string(), Some("每个键只写一次".to_string()));
    }
    (format!("TOML 格式错误：{msg}"), None)
}

/// Names serde's type words in Chinese.
fn type_name(s: &str) -> String {
    let s = s.trim();
    let table = [
        ("a sequence", "数组 [ … ]"),
        ("sequence", "数组"),
        ("a string", "字符串（加双引号）"),
        ("string", "字符串"),
        ("integer", "整数"),
        ("i32", "整数"),
        ("float", "小数"),
        ("boolean", "布尔值"),
        ("struct", "表"),
        ("map", "表"),
        ("a map", "表"),
        ("a TOML datetime", "日期，如 2020-12-31"),
        ("datetime", "日期"),
    ];
    for (en, zh) in table {
        if s == en || s.starts_with(&format!("{en} ")) || s.starts_with(&format!("struct {en}")) {
            return format!("{zh}{}", s.strip_prefix(en).unwrap_or(""));
        }
    }
    if s.starts_with("struct ") {
        return "表".to_string();
    }
    if s.starts_with("金额") {
        return s.to_string();
    }
    s.to_string()
}

/// The closest known name, if it is close enough to be a typo.
pub fn did_you_mean<'a>(name: &str, options: &[&'a str]) -> Option<&'a str> {
    options
        .iter()
        .map(|o| (edit_distance(name, o), *o))
        .filter(|(d, o)| *d <= (o.chars().count() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, o)| o)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// Finds the text span of a field path such as
/// `performance.projects[2].indicators[4].level2`. Falls back to the
/// nearest existing parent, so a missing field points at its table.
pub fn locate(text: &str, path: &str) -> Option<Range<usize>> {
    let doc = toml_edit::Document::parse(text).ok()?;
    let mut item = doc.as_item();
    let mut best = None;
    for seg in segments(path) {
        let next = match seg {
            Seg::Key(k) => item.get(k),
            Seg::Index(i) => item.get(i),
        };
        match next {
            Some(n) => {
                item = n;
                best = n.span().or(best);
            }
            None => break,
        }
    }
    best
}

enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

fn segments(path: &str) -> Vec<Seg<'_>> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut pieces = part.split('[');
        if let Some(key) = pieces.next().filter(|k| !k.is_empty()) {
            out.push(Seg::Key(key));
        }
        for idx in pieces {
            if let Ok(i) = idx.trim_end_matches(']').parse() {
                out.push(Seg::Index(i));
            }
        }
    }
    out
}

/// The dotted path of the table header or key that encloses a byte offset,
/// for errors that come with a span but no field name.
fn path_at(text: &str, offset: usize) -> String {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let header = before
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.trim_matches(['[', ']']).trim().to_string())
        .unwrap_or_default();
    let line = text[line_start..].lines().next().unwrap_or("");
    let key = line.split_once('=').map(|(k, _)| k.trim()).filter(|k| !k.starts_with('['));
    match (header.is_empty(), key) {
        (true, Some(k)) => k.to_string(),
        (false, Some(k)) => format!("{header}.{k}"),
        (_, None) => header,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_accepted() {
        let t = decode(b"\xEF\xBB\xBFa = 1\r\nb = 2\r\n").unwrap();
        assert!(t.starts_with("a = 1"));
    }

    #[test]
    fn gbk_is_refused_with_the_fix() {
        // “预算” in GBK.
        let p = decode(b"name = \"\xD4\xA4\xCB\xE3\"\n").unwrap_err();
        assert!(p.message.contains("不是 UTF-8"), "{}", p.message);
        assert!(p.expected.unwrap().contains("另存为"));
    }

    #[test]
    fn typos_get_a_suggestion() {
        assert_eq!(did_you_mean("personel", &["personnel", "public"]), Some("personnel"));
        assert_eq!(did_you_mean("zzz", &["personnel", "public"]), None);
    }

    #[test]
    fn paths_locate_nested_values() {
        let t = "[a]\nx = 1\n[[b]]\ny = [ { z = 5 }, { z = 6 } ]\n";
        let s = locate(t, "b[0].y[1].z").unwrap();
        assert_eq!(&t[s], "6");
        let s = locate(t, "a.x").unwrap();
        assert_eq!(&t[s], "1");
        // A missing leaf points at its parent.
        let s = locate(t, "a.nope").unwrap();
        assert_eq!(s.start, 0, "points at the [a] header");
    }

    #[test]
    fn serde_messages_read_in_chinese() {
        let (m, e) = explain("unknown field `personel`, expected `personnel` or `public`");
        assert_eq!(m, "未知字段“personel”，是否想写“personnel”？");
        assert_eq!(e.unwrap(), "可用字段：personnel、public");
        let (m, _) = explain("missing field `year`");
        assert_eq!(m, "缺少必填字段“year”");
    }
}
