//! 读取数据文件：编码检查、TOML 解析成模型，以及把字段路径定位到文件中的行列。

use std::ops::Range;
use std::path::{Path, PathBuf};

pub mod catalogue;
pub mod final_file;
pub mod profile;
pub mod resolve;
pub mod schema;
pub mod walk;

use crate::diag::{Problem, did_you_mean};
use crate::model::Budget;
use crate::model::fields::{Seg, segments};

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
        crate::error::shown(&self.path)
    }

    /// The stem used for the output file name.
    pub fn stem(&self) -> String {
        self.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
    }
}

/// A file read and parsed: every problem found so far. The pipeline adds
/// the checks' problems and then [`place`]s them all.
#[derive(Debug)]
pub struct Loaded {
    /// The file; when it could not be decoded, a lossy text for display.
    pub file: DataFile,
    /// The model, when the file could be read into it.
    pub budget: Option<Budget>,
    pub problems: Vec<Problem>,
}

impl Loaded {
    /// Whether the file was read into the model and no error blocks it.
    pub fn usable(&self) -> bool {
        self.budget.is_some() && !self.problems.iter().any(Problem::is_error)
    }
}

/// Reads and parses one file. Never fails: what goes wrong is in
/// `problems`.
pub fn load(path: &Path) -> Loaded {
    load_with(path, None)
}

/// [`load`], with the user's catalogue file given (`--catalogue`) instead of
/// the one found beside the data.
pub fn load_with(path: &Path, catalogue: Option<&Path>) -> Loaded {
    match walk::read_regular(path, MAX_BYTES) {
        Ok(bytes) => from_bytes_with(path, &bytes, catalogue),
        Err(e) => {
            let file = DataFile { path: path.to_path_buf(), text: String::new() };
            Loaded { file, budget: None, problems: vec![io_problem(&e).at(0..0)] }
        }
    }
}

/// Decodes and parses the bytes of a file named `path`.
pub fn from_bytes(path: &Path, bytes: &[u8]) -> Loaded {
    from_bytes_with(path, bytes, None)
}

fn from_bytes_with(path: &Path, bytes: &[u8], catalogue: Option<&Path>) -> Loaded {
    let (text, budget, problems) = match decode(bytes) {
        Ok(text) if final_file::is_final(&text) => {
            let (budget, problems) = final_file::analyse(path, &text, catalogue);
            (text, budget, problems)
        }
        Ok(text) => {
            let (budget, mut problems) = analyse(&text);
            let budget =
                budget.and_then(|b| with_user_catalogue(b, path, catalogue, &mut problems));
            (text, budget, problems)
        }
        Err(p) => (display_text(bytes), None, vec![p]),
    };
    Loaded { file: DataFile { path: path.to_path_buf(), text }, budget, problems }
}

/// Lays the user's catalogue (given, or beside the data) over the bundled
/// one the budget was read with. A broken catalogue blocks the file, its
/// codes being unjudgeable; its problems are located in the catalogue file.
fn with_user_catalogue(
    mut b: Budget,
    path: &Path,
    given: Option<&Path>,
    problems: &mut Vec<Problem>,
) -> Option<Budget> {
    match catalogue::for_data(path, b.document.year, given) {
        Ok(None) => Some(b),
        Ok(Some(c)) => {
            b.catalogue = Some(c);
            Some(b)
        }
        Err(p) => {
            problems.extend(p);
            None
        }
    }
}

/// Reads a file, refusing what is not UTF-8 text.
pub fn read(path: &Path) -> Result<DataFile, Problem> {
    let bytes = walk::read_regular(path, MAX_BYTES).map_err(|e| io_problem(&e))?;
    let text = decode(&bytes)?;
    if text.trim().is_empty() {
        return Err(empty_file());
    }
    Ok(DataFile { path: path.to_path_buf(), text })
}

/// A data file larger than this is refused unread: the largest real one is
/// a few hundred KiB, and the limit keeps every row count within Excel's.
pub const MAX_BYTES: u64 = 16 << 20;

/// A workbook larger than this is refused unread (`yusuan import`): a
/// department's export is well under 1 MiB; a zip that size may unpack to
/// gigabytes.
pub const MAX_WORKBOOK_BYTES: u64 = 64 << 20;

fn io_problem(e: &std::io::Error) -> Problem {
    let what = match e.kind() {
        std::io::ErrorKind::NotFound => "文件不存在".to_string(),
        std::io::ErrorKind::IsADirectory => "这是一个目录，不是数据文件".to_string(),
        _ => format!("无法读取：{}", crate::error::os_words(e)),
    };
    Problem::error("", what)
}

fn empty_file() -> Problem {
    Problem::error("", "文件是空的")
        .expected("一个部门一个年度的预算数据，可复制样例 data/101001-2021.toml 修改，参见 docs/data-format.md")
        .at(0..0)
}

const SAVE_AS_UTF8: &str =
    "UTF-8 编码：请在编辑器中“另存为”，编码选 UTF-8（WPS/记事本中选“UTF-8”）";

/// UTF-8 with or without BOM; anything else (typically GBK from a Windows
/// editor) is refused with the fix spelled out. The error's span indexes
/// [`display_text`] of the same bytes.
pub fn decode(bytes: &[u8]) -> Result<String, Problem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(Problem::error("", "文件是 UTF-16 编码").expected(SAVE_AS_UTF8).at(0..0));
    }
    // NUL is valid UTF-8 but never in a text file: UTF-16 without a BOM
    // has one in every other byte.
    if bytes.contains(&0) {
        return Err(Problem::error("", "文件中有空字符（\\0），可能是 UTF-16 编码或不是文本文件")
            .expected(SAVE_AS_UTF8)
            .at(0..0));
    }
    std::str::from_utf8(bytes).map(str::to_string).map_err(|e| {
        let at = e.valid_up_to();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        Problem::error(
            "",
            format!("文件不是 UTF-8 编码（第 {line} 行起无法解码，可能是 GBK/GB2312）"),
        )
        .expected(SAVE_AS_UTF8)
        .at(at..at + 1)
    })
}

/// What is shown of a file that could not be decoded: the valid part is
/// exact, so the caret lands on the first bad byte.
fn display_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.contains(&0) || bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return String::new();
    }
    String::from_utf8_lossy(bytes).into_owned()
}

/// Syntax first (one located error), then the schema walk (every unknown
/// key, missing field and wrong type), and only on a well-formed file the
/// model. The model comes back only when it should be checked.
pub fn analyse(text: &str) -> (Option<Budget>, Vec<Problem>) {
    if text.trim().is_empty() {
        return (None, vec![empty_file()]);
    }
    let doc = match toml_edit::Document::parse(text) {
        Ok(doc) => doc,
        Err(e) => return (None, vec![syntax(text, &e)]),
    };
    if doc.as_table().is_empty() {
        return (
            None,
            vec![Problem {
                message: "文件中没有数据（只有注释）".into(), ..empty_file()
            }],
        );
    }
    let found = schema::walk(&doc);
    if !found.structure.is_empty() {
        return (None, [found.structure, found.content].concat());
    }
    match parse_text(text) {
        Ok(b) => (Some(b), found.content),
        // The walk is meant to catch all that serde refuses; this is the
        // safety net, so the user still gets a located message.
        Err(p) => (None, [vec![p], found.content].concat()),
    }
}

/// Gives every problem a span (from its field path, else the file's start)
/// and puts them in reporting order.
pub fn place(text: &str, problems: &mut [Problem]) {
    let doc = toml_edit::Document::parse(text).ok();
    for p in problems.iter_mut().filter(|p| p.span.is_none() && p.file.is_none()) {
        p.span = doc.as_ref().and_then(|d| locate_in(d.as_item(), &p.field)).or(Some(0..0));
    }
    problems.sort_by_key(|p| (p.severity, p.span.as_ref().map_or(0, |s| s.start)));
}

/// Parses the text into the model. Serde stops at the first problem, so this
/// yields at most one; [`analyse`] reports them all.
fn parse_text(text: &str) -> Result<Budget, Problem> {
    toml::from_str::<Budget>(text)
        .map(|b| resolve::resolve(b, text))
        .map_err(|e| translate(text, &e))
}

/// A TOML syntax error, in Chinese, at its place.
pub fn syntax(text: &str, e: &toml_edit::TomlError) -> Problem {
    let span = e.span().unwrap_or(0..0);
    let msg = e.message().trim();
    let (head, _) = msg.split_once(", expected").unwrap_or((msg, ""));
    let token = text.get(span.clone()).unwrap_or("").trim();
    let (message, expected) = syntax_words(head.trim(), token);
    let mut p = Problem::error(path_at(text, span.start), message).at(span);
    p.expected = expected.map(str::to_string);
    p
}

/// The parser's English wording of the common mistakes, the Chinese
/// message for it and the fix ("" when there is nothing to add).
const SYNTAX: &[(&[&str], &str, &str)] = &[
    (&["string values must be quoted"], "文字没有加引号", "用双引号括起来，如 nature = \"行政\""),
    (
        &["invalid basic string", "invalid string", "invalid literal string"],
        "字符串没有结束：缺少右引号",
        "在同一行内用 \" 结束；多行文字用 \"\"\" … \"\"\"",
    ),
    (
        &["invalid multi-line basic string", "invalid multi-line literal string"],
        "多行字符串没有结束",
        "用 \"\"\" 结束",
    ),
    (&["unclosed array"], "数组没有结束：缺少 ]", "在最后一项后写 ]"),
    (&["unclosed inline table"], "表没有结束：缺少 }", "在最后一项后写 }"),
    (&["unclosed table"], "表头没有结束：缺少 ]", "如 [income]"),
    (&["unclosed array table"], "表头没有结束：缺少 ]]", "如 [[units]]"),
    (
        &["missing comma between array elements"],
        "数组各项之间缺少逗号",
        "各项之间用英文逗号 , 分隔",
    ),
    (
        &["missing comma between key-value pairs"],
        "各字段之间缺少逗号",
        "{ } 中各字段之间用英文逗号 , 分隔",
    ),
    (&["extra comma in array", "extra comma in inline table"], "多了一个逗号", "删去多余的逗号"),
    (
        &[
            "missing assignment between key-value pairs",
            "key with no value",
            "missing value for key",
            "missing value",
        ],
        "缺少“= 值”",
        "键 = 值，如 amount = 0",
    ),
    (&["extra `=`", "extra assignment between key-value pairs"], "多了一个 =", "键 = 值"),
    (&["unexpected `=` in array"], "数组中不能写 =", "数组中只写值；键 = 值 要写在 { } 中"),
    (
        &["unexpected leading zero"],
        "数字不能以 0 开头",
        "编码等以 0 开头的写成字符串，如 code = \"010001\"",
    ),
    (
        &[
            "invalid unquoted key",
            "unquoted keys cannot be empty",
            "invalid key",
            "missing key for inline table element",
        ],
        "键名不合法",
        "键名只用英文字母、数字、- 和 _（见 docs/data-format.md）",
    ),
    (
        &["floating-point number overflowed", "integer number overflowed"],
        "数字太大，超出范围",
        "以万元为单位的金额",
    ),
    (&["`_` may only go between digits"], "数字中的 _ 只能写在两个数字之间", ""),
    (&["invalid date-time"], "日期写法不对", "如 2020-12-31"),
    (
        &["missing escaped value", "too few unicode value digits", "invalid escape"],
        "反斜杠 \\ 后的转义不对",
        "要写反斜杠本身请写 \\\\，或改用单引号字符串 '…'",
    ),
    (&["carriage return must be followed by newline"], "出现了单独的回车符", "每行以换行结束"),
    (&["invalid comment character"], "注释中有不允许的控制字符", "删去该字符"),
    (&["cannot recurse further; max recursion depth met"], "嵌套层数过多", ""),
];

/// A syntax error's message and fix in Chinese; `token` is the text at the
/// error, which names the key of a duplicate.
fn syntax_words(head: &str, token: &str) -> (String, Option<&'static str>) {
    if head == "duplicate key" {
        let fix = "每个键只写一次；若是另一项，用 [[…]] 另起一张表";
        return (format!("“{token}”重复：同一张表中已经写过"), Some(fix));
    }
    let (zh, expected) = match SYNTAX.iter().find(|(heads, ..)| heads.contains(&head)) {
        Some((_, zh, fix)) => (*zh, Some(*fix).filter(|f| !f.is_empty())),
        None if head.starts_with("invalid") => ("写法不对", None),
        None => ("这里的内容不合 TOML 格式", Some("键 = 值；文字加双引号；表头写成 [表名]")),
    };
    (format!("TOML 格式错误：{zh}"), expected)
}

/// Turns a toml/serde error into a Chinese message at the right place.
pub fn translate(text: &str, e: &toml::de::Error) -> Problem {
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
    if let Some(rest) = msg.strip_prefix("invalid value: ") {
        let (found, wanted) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return (format!("取值不合法：这里是{}", type_name(found)), Some(type_name(wanted)));
    }
    if let Some(rest) = msg.strip_prefix("invalid length ") {
        return (format!("条目数不对：{rest}"), None);
    }
    if let Some(rest) = msg.strip_prefix("unknown variant ") {
        let (name, known) = rest.split_once(", expected").unwrap_or((rest, ""));
        let options: Vec<&str> = known
            .split(['`', ','])
            .map(str::trim)
            .filter(|s| !s.is_empty() && *s != "one of" && *s != "or")
            .collect();
        let name = name.trim_matches('`');
        return (
            format!("不认识的取值“{name}”"),
            Some(format!("可用的取值：{}", options.join("、"))),
        );
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
        ("i64", "整数"),
        ("u8", "非负整数"),
        ("u16", "非负整数"),
        ("u32", "非负整数"),
        ("u64", "非负整数"),
        ("usize", "非负整数"),
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

/// Finds the text span of a field path such as
/// `performance.projects[2].indicators[4].level2`. Falls back to the
/// nearest existing parent, so a missing field points at its table.
pub fn locate(text: &str, path: &str) -> Option<Range<usize>> {
    let doc = toml_edit::Document::parse(text).ok()?;
    locate_in(doc.as_item(), path)
}

fn locate_in(root: &toml_edit::Item, path: &str) -> Option<Range<usize>> {
    let mut item = root;
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

/// The dotted path of the table header or key that encloses a byte offset,
/// for syntax errors, which come with a span but no field name. A
/// best-effort reading of the raw lines: the file does not parse.
fn path_at(text: &str, offset: usize) -> String {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or("").trim();
    let mut lines: Vec<&str> = text[..line_start].lines().map(str::trim).collect();
    if line.starts_with('[') {
        lines.push(line);
        return lines
            .iter()
            .rposition(|l| l.starts_with('['))
            .map_or(String::new(), |i| header_path(&lines[..=i]));
    }
    let header_at = lines.iter().rposition(|l| l.starts_with('['));
    let header = header_at.map_or(String::new(), |i| header_path(&lines[..=i]));
    let body = &lines[header_at.map_or(0, |i| i + 1)..];
    match bare_key(line).or_else(|| open_array_key(body)) {
        Some(k) if header.is_empty() => k.to_string(),
        Some(k) => format!("{header}.{k}"),
        None => header,
    }
}

/// The path named by the last of `lines`, a header: `[a.b]` is `a.b`, the
/// third `[[a]]` is `a[2]`.
fn header_path(lines: &[&str]) -> String {
    let name = |l: &str| -> (bool, String) {
        let inner = l.trim_start_matches('[');
        let inner = &inner[..inner.find(']').unwrap_or(inner.len())];
        (l.starts_with("[["), inner.split('.').map(str::trim).collect::<Vec<_>>().join("."))
    };
    let Some(last) = lines.last().map(|l| name(l)) else { return String::new() };
    if !last.0 {
        return last.1;
    }
    let count = lines.iter().filter(|l| name(l) == last).count();
    format!("{}[{}]", last.1, count.saturating_sub(1))
}

/// The key of a `key = value` line.
fn bare_key(line: &str) -> Option<&str> {
    let (k, _) = line.split_once('=')?;
    let k = k.trim();
    let quoted = k.len() >= 2 && k.starts_with('"') && k.ends_with('"');
    let bare = !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || "_-. ".contains(c));
    (quoted || bare).then_some(k)
}

/// Inside a multi-line array (`indicators = [` … ), the array's key.
fn open_array_key<'a>(lines: &[&'a str]) -> Option<&'a str> {
    let mut depth = 0i32;
    for l in lines.iter().rev() {
        depth += l.matches(']').count() as i32 - l.matches('[').count() as i32;
        if depth < 0 {
            return bare_key(l);
        }
    }
    None
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
    fn utf16_and_binary_are_refused() {
        let p = decode(b"\xFF\xFEa\0").unwrap_err();
        assert!(p.message.contains("UTF-16"), "{}", p.message);
        let p = decode(b"a\0=\x001").unwrap_err();
        assert!(p.message.contains("空字符"), "{}", p.message);
    }

    #[test]
    fn undecodable_bytes_are_pointed_at() {
        let bytes = b"a = 1\nname = \"\xC4\xE3\"\n"; // “你” in GBK
        let l = from_bytes(Path::new("g.toml"), bytes);
        let p = &l.problems[0];
        assert!(p.message.contains("第 2 行"), "{}", p.message);
        let shown = crate::diag::render("g.toml", &l.file.text, p);
        assert!(shown.contains("--> g.toml:2:9"), "{shown}");
    }

    #[test]
    fn syntax_errors_read_in_chinese_and_name_the_field() {
        let (_, p) = analyse("[document]\nyear = 2021\n\n[[units]]\nname = 行政\n");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].message, "TOML 格式错误：文字没有加引号");
        assert_eq!(p[0].field, "units[0].name");
        let (_, p) = analyse("[a]\nx = 1\nx = 2\n");
        assert_eq!(p[0].message, "“x”重复：同一张表中已经写过");
        assert_eq!(p[0].field, "a.x");
    }

    #[test]
    fn paths_at_offsets_follow_headers_and_arrays() {
        let t = "[[units]]\nname = \"a\"\n[[units]]\nname = \"b\"\n[p]\nlist = [\n  { x = 1 },\n";
        assert_eq!(path_at(t, t.find("\"b\"").unwrap()), "units[1].name");
        assert_eq!(path_at(t, t.find("x = 1").unwrap()), "p.list");
        assert_eq!(path_at(t, t.find("[p]").unwrap()), "p");
    }

    #[test]
    fn empty_and_comment_only_files_say_so() {
        for text in ["", "  \n\t\n"] {
            assert_eq!(analyse(text).1[0].message, "文件是空的");
        }
        assert_eq!(analyse("# 只有注释\n").1[0].message, "文件中没有数据（只有注释）");
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
        let (m, e) = explain("invalid value: integer `-1`, expected u32");
        assert_eq!((m.as_str(), e.unwrap().as_str()), ("取值不合法：这里是整数 `-1`", "非负整数"));
    }
}
