//! 数据文件的诊断信息：位置、字段、问题与期望值，以中文打印，格式仿 rustc/typst。

use std::fmt::Write as _;
use std::ops::Range;
use std::sync::Arc;

use unicode_width::UnicodeWidthStr;

/// 严重程度：错误阻止生成，警告请核对，提示只是说明。
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    /// Worth knowing, nothing to fix (a code known from another year's
    /// catalogue): not counted among the warnings.
    Note,
}

impl Severity {
    /// Its word at the head of a message.
    pub fn word(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Note => "提示",
        }
    }
}

/// What a problem is part of, so that a summary can put like with like:
/// a draft's open items by the part of the file a person fills in at one
/// sitting, and a finding many files of a run share said once for all.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Topic {
    /// A problem of its own, listed as it is.
    #[default]
    Own,
    /// An open `[todo]` entry, with the part of the file it lies in (its
    /// label, e.g. “收入预算 [income]”).
    Todo(String),
    /// A text that still names an earlier year, with its part likewise.
    Stale(String),
    /// What the draft as a whole still is (how many items are open, no
    /// figure touched): summed up in the file's heading.
    Draft,
    /// The same finding in every file that has it (a code the catalogue
    /// cannot confirm): said once per run, naming the files. The key tells
    /// one finding from another.
    Shared(String),
}

/// One problem found in a data file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub severity: Severity,
    /// 字段路径，例如 `expenditure.basic.personnel`；与整个文件有关时为空。
    pub field: String,
    /// 问题是什么。
    pub message: String,
    /// 期望什么（可选）。
    pub expected: Option<String>,
    /// 在文件文本中的字节范围；`None` 时由字段路径定位。
    pub span: Option<Range<usize>>,
    /// The file the problem is in when it is not the data file reported
    /// (the user's catalogue): the span indexes its text.
    pub file: Option<Arc<Elsewhere>>,
    /// What it is part of, for summaries ([`Problem::subject`]); boxed, as
    /// most problems are their own and a `Problem` travels in `Result`s.
    pub topic: Option<Box<Topic>>,
}

/// Another file a data file's problem lies in.
#[derive(Debug, PartialEq)]
pub struct Elsewhere {
    pub name: String,
    pub text: String,
}

impl Problem {
    pub fn error(field: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Error,
            field: field.into(),
            message: message.into(),
            expected: None,
            span: None,
            file: None,
            topic: None,
        }
    }

    pub fn warning(field: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem { severity: Severity::Warning, ..Problem::error(field, message) }
    }

    pub fn note(field: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem { severity: Severity::Note, ..Problem::error(field, message) }
    }

    /// Files the problem under a topic.
    pub fn topic(mut self, topic: Topic) -> Problem {
        self.topic = (topic != Topic::Own).then(|| Box::new(topic));
        self
    }

    /// What the problem is part of.
    pub fn subject(&self) -> &Topic {
        static OWN: Topic = Topic::Own;
        self.topic.as_deref().unwrap_or(&OWN)
    }

    pub fn expected(mut self, expected: impl Into<String>) -> Problem {
        self.expected = Some(expected.into());
        self
    }

    pub fn at(mut self, span: Range<usize>) -> Problem {
        self.span = Some(span);
        self
    }

    /// Sets the span when one is known.
    pub fn at_opt(mut self, span: Option<Range<usize>>) -> Problem {
        if span.is_some() {
            self.span = span;
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Marks the problem as lying in another file.
    pub fn in_file(mut self, file: &Arc<Elsewhere>) -> Problem {
        self.file = Some(Arc::clone(file));
        self
    }

    /// The name and text its span indexes: its own file's, else the given.
    fn place<'a>(&'a self, name: &'a str, text: &'a str) -> (&'a str, &'a str) {
        self.file.as_deref().map_or((name, text), |f| (f.name.as_str(), f.text.as_str()))
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Renders one problem:
///
/// ```text
/// 错误：基本支出的增减额与数据不符
///   --> data/x.toml:12:9
///    |
/// 12 | basic = 136.65
///    |         ^^^^^^
///    = 字段：previous.stated.basic
///    = 应为：135.65
/// ```
pub fn render(name: &str, text: &str, p: &Problem) -> String {
    let (name, text) = p.place(name, text);
    let mut out = String::new();
    let _ = writeln!(out, "{}：{}", p.severity.word(), p.message);
    // Every message names a line and column; a problem about the file as a
    // whole (its encoding, its emptiness) points at its start.
    let span = p.span.clone().unwrap_or(0..0);
    let pad = render_snippet(&mut out, name, text, span);
    if !p.field.is_empty() {
        let _ = writeln!(out, "{pad} = 字段：{}", p.field);
    }
    if let Some(e) = &p.expected {
        let _ = writeln!(out, "{pad} = 应为：{e}");
    }
    out
}

/// Writes the location, the source line and the caret; returns the gutter
/// padding so the notes below line up with it.
fn render_snippet(out: &mut String, name: &str, text: &str, span: Range<usize>) -> String {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let (line, col) = line_col(text, start);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let src = text[line_start..line_end].trim_end_matches('\r');
    // A span may start on the line's CR or run past its end: clamp to what
    // is shown.
    let src_end = line_start + src.len();
    let from = start.min(src_end);
    let to = floor_char_boundary(text, span.end.clamp(from, src_end));
    let (shown, lead, mark) = window(&text[line_start..from], &text[from..to], &text[to..src_end]);
    let pad = " ".repeat(line.to_string().len());
    let _ = writeln!(out, "{pad}--> {name}:{line}:{col}");
    // Nothing to show of a file that is empty or could not be decoded.
    if text.trim().is_empty() {
        return pad;
    }
    let _ = writeln!(out, "{pad} |");
    let _ = writeln!(out, "{line} | {shown}");
    let _ = writeln!(out, "{pad} | {}{}", " ".repeat(lead), "^".repeat(mark));
    pad
}

/// Columns of source shown around the caret; longer lines are cut with “…”.
const WINDOW: usize = 100;

/// The shown part of a line split as before/marked/after, with the caret's
/// lead and length in columns. Tabs become four spaces so the caret lines up.
fn window(before: &str, marked: &str, after: &str) -> (String, usize, usize) {
    let clean = |s: &str| s.replace('\t', "    ").chars().filter(|c| !c.is_control()).collect();
    let (mut before, mut marked, mut after): (String, String, String) =
        (clean(before), clean(marked), clean(after));
    if before.width() + marked.width() + after.width() > WINDOW {
        if before.width() > WINDOW / 2 {
            before = format!("…{}", tail(&before, WINDOW / 2));
        }
        if marked.width() > WINDOW / 2 {
            marked = format!("{}…", head(&marked, WINDOW / 2));
            after.clear();
        }
        let room = WINDOW.saturating_sub(before.width() + marked.width());
        if after.width() > room {
            after = format!("{}…", head(&after, room));
        }
    }
    let mark = marked.width().max(1);
    (format!("{before}{marked}{after}"), before.width(), mark)
}

/// The longest prefix of `s` at most `cols` columns wide.
fn head(s: &str, cols: usize) -> String {
    let mut w = 0;
    s.chars()
        .take_while(|c| {
            w += c.to_string().width();
            w <= cols
        })
        .collect()
}

/// The longest suffix of `s` at most `cols` columns wide.
fn tail(s: &str, cols: usize) -> String {
    let rev: String = s.chars().rev().collect();
    head(&rev, cols).chars().rev().collect()
}

/// One line closing a file's report: how many errors and warnings it has
/// (notes are not counted: there is nothing to fix).
pub fn summary(name: &str, problems: &[Problem]) -> Option<String> {
    let count = |s: Severity| problems.iter().filter(|p| p.severity == s).count();
    match (count(Severity::Error), count(Severity::Warning)) {
        (0, 0) => None,
        (e, 0) => Some(format!("{name}：共 {e} 个错误")),
        (0, w) => Some(format!("{name}：共 {w} 个警告，没有错误")),
        (e, w) => Some(format!("{name}：共 {e} 个错误、{w} 个警告")),
    }
}

/// Where a problem is: `file:line:col`, or the file's name alone when it
/// has no span.
pub fn location(name: &str, text: &str, p: &Problem) -> String {
    let (name, text) = p.place(name, text);
    match &p.span {
        Some(s) => {
            let (l, c) = line_col(text, s.start);
            format!("{name}:{l}:{c}")
        }
        None => name.to_string(),
    }
}

/// A one-line form for lists and JSON: `file:line:col: 错误：message（字段：path）`.
pub fn short(name: &str, text: &str, p: &Problem) -> String {
    let kind = p.severity.word();
    let place = location(name, text, p);
    let field =
        if p.field.is_empty() { String::new() } else { format!("（字段：{}）", p.field) };
    let expected = p.expected.as_ref().map(|e| format!("；应为：{e}")).unwrap_or_default();
    format!("{place}: {kind}：{}{field}{expected}", p.message)
}

/// Data problems, rustc style, one after another.
/// Control characters quoted from the data are escaped for the terminal.
pub fn problems_text(name: &str, text: &str, problems: &[Problem]) -> String {
    problems.iter().map(|p| format!("{}\n", crate::error::safe(&render(name, text, p)))).collect()
}

/// The table a field path lies in, as the TOML that opens it, for a hint
/// the officer can copy: `units[0]` is “第 1 个 [[units]]”,
/// `performance.projects[2].indicators[4]` “第 3 个 [[performance.projects]]
/// 的 indicators 第 5 项”, `expenditure.basic` “[expenditure.basic]”, and the
/// top of the file “文件开头（第一个 [表] 之前）”.
pub fn toml_table(path: &str) -> String {
    if path.is_empty() {
        return "文件开头（第一个 [表] 之前）".to_string();
    }
    let mut out = String::new();
    let mut header: Vec<&str> = Vec::new();
    let mut inside = false;
    for part in path.split('.') {
        let (key, index) = match part.split_once('[') {
            Some((k, rest)) => (k, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        match (inside, index) {
            (false, Some(i)) => {
                header.push(key);
                out = format!("第 {} 个 [[{}]]", i + 1, header.join("."));
                inside = true;
            }
            (false, None) => header.push(key),
            (true, Some(i)) => out.push_str(&format!(" 的 {key} 第 {} 项", i + 1)),
            (true, None) => out.push_str(&format!(" 的 {key}")),
        }
    }
    if inside { out } else { format!("[{}]", header.join(".")) }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let t = "a = 1\n名称 = \"x\"\n";
        assert_eq!(line_col(t, 0), (1, 1));
        let off = t.find('=').unwrap();
        assert_eq!(line_col(t, off), (1, 3));
        let off = t.rfind('=').unwrap();
        assert_eq!(line_col(t, off), (2, 4));
    }

    #[test]
    fn caret_sits_under_the_value_with_wide_characters() {
        let t = "名称 = 12x\n";
        let start = t.find("12x").unwrap();
        let p = Problem::error("名称", "不是金额").at(start..start + 3).expected("数字");
        let r = render("f.toml", t, &p);
        assert!(r.contains("--> f.toml:1:6"), "{r}");
        // 名称 is four columns wide, then " = ".
        assert!(r.contains("  |        ^^^"), "{r}");
        assert!(r.contains("= 字段：名称"));
        assert!(r.contains("= 应为：数字"));
    }

    #[test]
    fn spans_on_a_carriage_return_or_past_the_end_do_not_panic() {
        let t = "a = 1\r\nb = 2\r\n";
        // (start, end): on the CR, past the line, past the text, reversed.
        for (start, end) in [(5, 6), (5, 100), (6, 7), (100, 200), (3, 1), (13, 14)] {
            let span = Range { start, end };
            let r = render("f.toml", t, &Problem::error("a", "x").at(span.clone()));
            assert!(r.contains("--> f.toml:"), "{span:?}: {r}");
        }
    }

    #[test]
    fn long_lines_are_cut_around_the_caret() {
        let t = format!("description = \"{}\" # 尾\n", "长".repeat(3000));
        let start = t.find('#').unwrap();
        let r = render("f.toml", &t, &Problem::error("d", "x").at(start..start + 1));
        let shown = r.lines().nth(3).unwrap();
        assert!(shown.starts_with("1 | …") && shown.ends_with("# 尾"), "{shown}");
        assert!(shown.width() < 120, "{shown}");
        let caret = r.lines().nth(4).unwrap();
        assert_eq!(caret.width(), shown.width() - "尾".width() - 1, "{shown}\n{caret}");
    }

    #[test]
    fn tabs_keep_the_caret_aligned() {
        let t = "\tx = 12x\n";
        let start = t.find("12x").unwrap();
        let r = render("f.toml", t, &Problem::error("x", "y").at(start..start + 3));
        assert!(r.contains("1 |     x = 12x\n  |         ^^^\n"), "{r}");
    }

    #[test]
    fn a_problem_without_a_span_points_at_the_start() {
        let r = render("f.toml", "", &Problem::error("", "文件是空的"));
        assert_eq!(r, "错误：文件是空的\n --> f.toml:1:1\n");
    }

    #[test]
    fn table_paths_read_as_toml() {
        assert_eq!(toml_table("units[0]"), "第 1 个 [[units]]");
        assert_eq!(toml_table("expenditure.basic"), "[expenditure.basic]");
        assert_eq!(
            toml_table("performance.projects[2].indicators[4]"),
            "第 3 个 [[performance.projects]] 的 indicators 第 5 项"
        );
        assert_eq!(toml_table(""), "文件开头（第一个 [表] 之前）");
    }

    #[test]
    fn notes_are_not_warnings() {
        let ps = [Problem::note("a", "见于 2024 年科目表"), Problem::warning("b", "x")];
        assert_eq!(summary("f", &ps).as_deref(), Some("f：共 1 个警告，没有错误"));
        assert!(render("f", "a = 1\n", &ps[0]).starts_with("提示："));
    }

    #[test]
    fn short_form_names_place_and_field() {
        let t = "x = 1\n";
        let p = Problem::warning("x", "可疑").at(4..5);
        assert_eq!(short("f.toml", t, &p), "f.toml:1:5: 警告：可疑（字段：x）");
    }
}
