//! 一个文件的问题怎样告诉人：`check` 与 `build` 缺省打印摘要（错误照常逐条，
//! 待办按要填写的部分合并、多的警告缩成一行一条），`--verbose` 逐条列出；批量
//! 生成时每个文件一行；同一科目在一次运行的多个文件中只说一次。
//!
//! Everything here reads the problems' `Topic`: the checks file each finding
//! when they make it, so the summary never guesses from message texts.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::diag::{self, Problem, Severity, Topic};

/// Errors shown in full before the rest are listed one a line.
const FULL_ERRORS: usize = 10;
/// Errors listed one a line after those, at most.
const ERROR_LINES: usize = 20;
/// A file with at most this many warnings shows them in full.
const FULL_WARNINGS: usize = 3;
/// Warnings listed one a line, at most.
const WARNING_LINES: usize = 10;

/// How many of each a file's problems hold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub errors: usize,
    /// Warnings other than the draft's open items.
    pub warnings: usize,
    pub notes: usize,
    /// Open `[todo]` entries.
    pub todo: usize,
    /// The parts of the file those entries lie in.
    pub parts: usize,
}

/// Counts a file's problems.
pub fn tally(problems: &[Problem]) -> Tally {
    let mut t = Tally::default();
    let mut parts = std::collections::HashSet::new();
    for p in problems {
        match (p.subject(), p.severity) {
            (_, Severity::Error) => t.errors += 1,
            (Topic::Todo(part), _) => {
                t.todo += 1;
                parts.insert(part.as_str());
            }
            (Topic::Draft, _) => {}
            (_, Severity::Warning) => t.warnings += 1,
            (_, Severity::Note) => t.notes += 1,
        }
    }
    t.parts = parts.len();
    t
}

/// The counts in words: “1 个错误、7 个警告；草稿，待办 374 项（17 个部分）”,
/// “没有问题” when there is nothing.
pub fn counts(t: &Tally) -> String {
    let mut parts = Vec::new();
    if t.errors > 0 {
        parts.push(format!("{} 个错误", t.errors));
    }
    if t.warnings > 0 {
        parts.push(format!("{} 个警告", t.warnings));
    }
    if t.notes > 0 {
        parts.push(format!("{} 条提示", t.notes));
    }
    let mut out = if parts.is_empty() { "没有问题".to_string() } else { parts.join("、") };
    if t.todo > 0 {
        let _ = write!(out, "；草稿，待办 {} 项（{} 个部分）", t.todo, t.parts);
    }
    out
}

/// One line for a file of a batch: “data/x.toml：2 个警告；草稿，待办 374 项（17 个部分）”.
pub fn line(name: &str, problems: &[Problem]) -> String {
    format!("{name}：{}", counts(&tally(problems)))
}

/// The closing line of a file's report, `None` for a file without any
/// problem: the errors and warnings as before, and the open items.
pub fn closing(name: &str, problems: &[Problem]) -> Option<String> {
    let t = tally(problems);
    let base = match (t.errors, t.warnings) {
        (0, 0) => None,
        (e, 0) => Some(format!("{name}：共 {e} 个错误")),
        (0, w) => Some(format!("{name}：共 {w} 个警告，没有错误")),
        (e, w) => Some(format!("{name}：共 {e} 个错误、{w} 个警告")),
    };
    match (base, t.todo) {
        (b, 0) => b,
        (Some(b), n) => Some(format!("{b}；草稿，待办 {n} 项")),
        (None, n) => Some(format!("{name}：没有错误；草稿，待办 {n} 项")),
    }
}

/// What `check` and `build` print for one file. `verbose`: every problem in
/// full. Otherwise errors in full (each must be fixed where it is), a few
/// warnings in full and many one a line, open items one line per part of
/// the file, and — when `fold_shared`, in a run of several files — the
/// findings files share left for [`shared_text`] at the end.
pub fn report(
    name: &str,
    text: &str,
    problems: &[Problem],
    verbose: bool,
    fold_shared: bool,
) -> String {
    if verbose {
        let mut out = diag::problems_text(name, text, problems);
        if let Some(c) = closing(name, problems) {
            let _ = writeln!(out, "{c}");
        }
        return out;
    }
    let mut out = String::new();
    let shared = |p: &&Problem| fold_shared && matches!(p.subject(), Topic::Shared(_));
    let own: Vec<&Problem> = problems
        .iter()
        .filter(|p| matches!(p.subject(), Topic::Own | Topic::Shared(_)) && !shared(p))
        .collect();
    let folded = errors(&mut out, name, text, &own) | warnings(&mut out, name, text, &own);
    let grouped =
        todo_parts(&mut out, name, text, problems) | stale_parts(&mut out, name, text, problems);
    draft_facts(&mut out, problems);
    let n = problems.iter().filter(|p| shared(p)).count();
    if n > 0 {
        let _ = writeln!(
            out,
            "另有 {n} 条科目问题：同一科目在本次运行的各文件中只说一次，见最后的汇总"
        );
    }
    if folded || grouped {
        let _ = writeln!(out, "（加 --verbose 逐条列出）");
    }
    if let Some(c) = closing(name, problems) {
        let _ = writeln!(out, "{c}");
    }
    crate::error::safe(&out)
}

/// Errors: the first ones in full, then one a line. Returns whether any
/// was shortened.
fn errors(out: &mut String, name: &str, text: &str, own: &[&Problem]) -> bool {
    let errs: Vec<&&Problem> = own.iter().filter(|p| p.is_error()).collect();
    for p in errs.iter().take(FULL_ERRORS) {
        let _ = writeln!(out, "{}", diag::render(name, text, p));
    }
    let rest = errs.len().saturating_sub(FULL_ERRORS);
    for p in errs.iter().skip(FULL_ERRORS).take(ERROR_LINES) {
        let _ = writeln!(out, "  {}", diag::short(name, text, p));
    }
    if rest > ERROR_LINES {
        let _ = writeln!(out, "  ……另有 {} 个错误", rest - ERROR_LINES);
    }
    rest > 0
}

/// Warnings and notes: in full when few, else one a line.
fn warnings(out: &mut String, name: &str, text: &str, own: &[&Problem]) -> bool {
    let warns: Vec<&&Problem> = own.iter().filter(|p| !p.is_error()).collect();
    if warns.len() <= FULL_WARNINGS {
        for p in &warns {
            let _ = writeln!(out, "{}", diag::render(name, text, p));
        }
        return false;
    }
    let _ = writeln!(out, "警告与提示 {} 条：", warns.len());
    for p in warns.iter().take(WARNING_LINES) {
        let _ = writeln!(out, "  {}", diag::short(name, text, p));
    }
    if warns.len() > WARNING_LINES {
        let _ = writeln!(out, "  ……另有 {} 条", warns.len() - WARNING_LINES);
    }
    true
}

/// The problems of one kind by the part of the file they lie in, in file
/// order: part → (first location, count).
fn by_part<'a>(
    name: &str,
    text: &str,
    problems: &'a [Problem],
    pick: impl Fn(&'a Topic) -> Option<&'a str>,
) -> Vec<(String, &'a str, usize)> {
    let mut parts: BTreeMap<&str, (usize, String, usize)> = BTreeMap::new();
    for p in problems {
        let Some(part) = pick(p.subject()) else { continue };
        let at = p.span.as_ref().map_or(usize::MAX, |s| s.start);
        let e = parts.entry(part).or_insert((at, place(name, text, p), 0));
        if at < e.0 {
            (e.0, e.1) = (at, place(name, text, p));
        }
        e.2 += 1;
    }
    let mut v: Vec<(usize, String, &str, usize)> =
        parts.into_iter().map(|(part, (at, loc, n))| (at, loc, part, n)).collect();
    v.sort();
    v.into_iter().map(|(_, loc, part, n)| (loc, part, n)).collect()
}

/// `file:line`, without the column: a part starts on a line.
fn place(name: &str, text: &str, p: &Problem) -> String {
    let loc = diag::location(name, text, p);
    match loc.rsplit_once(':') {
        Some((head, col)) if col.parse::<usize>().is_ok() && head.contains(':') => head.to_string(),
        _ => loc,
    }
}

/// One kind of problem counted by part: a heading with the total, then a
/// line a part. `false` when there is none of that kind.
fn grouped_parts<'a>(
    out: &mut String,
    (name, text, problems): (&str, &str, &'a [Problem]),
    pick: impl Fn(&'a Topic) -> Option<&'a str>,
    heading: impl Fn(usize) -> String,
    unit: &str,
) -> bool {
    let parts = by_part(name, text, problems, pick);
    if parts.is_empty() {
        return false;
    }
    let total: usize = parts.iter().map(|p| p.2).sum();
    let _ = writeln!(out, "{}", heading(total));
    list_parts(out, &parts, unit);
    true
}

fn todo_parts(out: &mut String, name: &str, text: &str, problems: &[Problem]) -> bool {
    fn pick(t: &Topic) -> Option<&str> {
        if let Topic::Todo(part) = t { Some(part) } else { None }
    }
    let heading = |total| format!("待办 {total} 项（草稿），按要填写的部分：");
    grouped_parts(out, (name, text, problems), pick, heading, "项")
}

fn stale_parts(out: &mut String, name: &str, text: &str, problems: &[Problem]) -> bool {
    fn pick(t: &Topic) -> Option<&str> {
        if let Topic::Stale(part) = t { Some(part) } else { None }
    }
    let heading = |total| format!("仍提到以前年度的文字 {total} 处（请核对是否应改为本年度）：");
    grouped_parts(out, (name, text, problems), pick, heading, "处")
}

fn list_parts(out: &mut String, parts: &[(String, &str, usize)], unit: &str) {
    let width = parts.iter().map(|p| p.0.chars().count()).max().unwrap_or(0);
    for (loc, part, n) in parts {
        let pad = " ".repeat(width - loc.chars().count());
        let _ = writeln!(out, "  {loc}{pad}  {part}：{n} {unit}");
    }
}

/// What the draft as a whole still is, one line each (the count of open
/// items is already in the heading of the list).
fn draft_facts(out: &mut String, problems: &[Problem]) {
    for p in problems.iter().filter(|p| *p.subject() == Topic::Draft) {
        if !p.message.starts_with("草稿：还有") {
            let _ = writeln!(out, "{}：{}", p.severity.word(), p.message);
        }
    }
}

/// A finding several files of a run share, as one file has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shared {
    /// Tells one finding from another (e.g. the code and the catalogue).
    pub key: String,
    pub severity: String,
    pub message: String,
    pub expected: Option<String>,
    /// `file:line:col` in this file.
    pub place: String,
}

/// The shared findings of one file.
pub fn shared(name: &str, text: &str, problems: &[Problem]) -> Vec<Shared> {
    problems
        .iter()
        .filter_map(|p| match p.subject() {
            Topic::Shared(key) => Some(Shared {
                key: key.clone(),
                severity: p.severity.word().to_string(),
                message: base_message(&p.message).to_string(),
                expected: p.expected.clone(),
                place: diag::location(name, text, p),
            }),
            _ => None,
        })
        .collect()
}

/// A message without what one file adds to it (the other places in that
/// file that have the same).
fn base_message(m: &str) -> &str {
    m.split("（同样的还有").next().unwrap_or(m)
}

/// The shared findings of a run, one per finding with every place it was
/// found: “警告：… / 见于 3 个文件：a.toml:12:5、b.toml:40:5、c.toml:7:5”.
pub fn shared_text(all: &[Shared]) -> String {
    let mut order: Vec<&str> = Vec::new();
    let mut by_key: BTreeMap<&str, Vec<&Shared>> = BTreeMap::new();
    for s in all {
        if !by_key.contains_key(s.key.as_str()) {
            order.push(&s.key);
        }
        by_key.entry(&s.key).or_default().push(s);
    }
    let mut out = String::new();
    for key in order {
        let list = &by_key[key];
        let first = list[0];
        let files: std::collections::BTreeSet<&str> =
            list.iter().map(|s| file_of(&s.place)).collect();
        let places: Vec<&str> = list.iter().map(|s| s.place.as_str()).collect();
        let _ = writeln!(out, "{}：{}", first.severity, first.message);
        let _ = writeln!(out, "  见于 {} 个文件：{}", files.len(), places.join("、"));
        if let Some(e) = &first.expected {
            let _ = writeln!(out, "  = 应为：{e}");
        }
        out.push('\n');
    }
    crate::error::safe(&out)
}

/// The file of a `file:line:col` place.
fn file_of(place: &str) -> &str {
    let mut s = place;
    for _ in 0..2 {
        if let Some((head, tail)) = s.rsplit_once(':')
            && tail.parse::<usize>().is_ok()
        {
            s = head;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn todo(field: &str, part: &str, at: usize) -> Problem {
        Problem::warning(field, format!("待更新：{field}"))
            .at(at..at + 1)
            .topic(Topic::Todo(part.into()))
    }

    const TEXT: &str = "a = 1\nb = 2\nc = 3\nd = 4\n";

    #[test]
    fn open_items_are_one_line_per_part_with_a_count() {
        let ps = vec![
            todo("income.general_budget", "收入预算", 6),
            todo("performance.projects[0].goals", "项目绩效目标表第1条", 12),
            todo("income.other", "收入预算", 0),
            todo("performance.projects[0].indicators[2].value", "项目绩效目标表第1条", 18),
        ];
        let r = report("x.toml", TEXT, &ps, false, false);
        assert!(r.contains("待办 4 项（草稿），按要填写的部分："), "{r}");
        assert!(
            r.contains("  x.toml:1  收入预算：2 项\n  x.toml:3  项目绩效目标表第1条：2 项"),
            "{r}"
        );
        assert!(!r.contains("待更新："), "{r}");
        assert!(r.contains("x.toml：没有错误；草稿，待办 4 项"), "{r}");
        let v = report("x.toml", TEXT, &ps, true, false);
        assert_eq!(v.matches("警告：待更新：").count(), 4, "{v}");
    }

    #[test]
    fn few_warnings_stay_whole_and_many_shrink_to_a_line_each() {
        let w = |n: usize| Problem::warning("a", format!("第{n}个")).at(0..1);
        let few: Vec<Problem> = (0..3).map(w).collect();
        let r = report("x.toml", TEXT, &few, false, false);
        assert_eq!(r.matches("--> x.toml:1:1").count(), 3, "{r}");
        let many: Vec<Problem> = (0..14).map(w).collect();
        let r = report("x.toml", TEXT, &many, false, false);
        assert!(r.contains("警告与提示 14 条：") && r.contains("……另有 4 条"), "{r}");
        assert!(!r.contains("-->"), "{r}");
        assert!(r.lines().count() < 20, "{r}");
    }

    #[test]
    fn a_shared_finding_is_said_once_naming_every_file() {
        let p = Problem::warning(
            "line_items[0].function",
            "科目 2130153 不在表中（同样的还有 2 处：x）",
        )
        .at(6..7)
        .topic(Topic::Shared("function:2130153".into()));
        let mut all = shared("a.toml", TEXT, std::slice::from_ref(&p));
        all.extend(shared("b.toml", TEXT, std::slice::from_ref(&p)));
        let t = shared_text(&all);
        assert_eq!(t.matches("科目 2130153 不在表中").count(), 1, "{t}");
        assert!(t.contains("见于 2 个文件：a.toml:2:1、b.toml:2:1"), "{t}");
        assert!(!t.contains("同样的还有"), "{t}");
        let r = report("a.toml", TEXT, &[p], false, true);
        assert!(r.contains("另有 1 条科目问题") && !r.contains("2130153"), "{r}");
    }

    #[test]
    fn the_batch_line_counts_warnings_apart_from_open_items() {
        let ps =
            vec![todo("a", "收入预算", 0), Problem::warning("b", "x"), Problem::note("c", "y")];
        assert_eq!(line("x.toml", &ps), "x.toml：1 个警告、1 条提示；草稿，待办 1 项（1 个部分）");
        assert_eq!(line("x.toml", &[]), "x.toml：没有问题");
    }
}
