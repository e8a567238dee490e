//! 字符覆盖：数据中每个要印出的字符都须有字体能显示，否则核对时逐个报告。
//!
//! Typst prints a character no font has as an empty box (or drops it,
//! depending on the PDF standard), without a word. The rare characters of
//! people's and place names (CJK Extension A/B) are the real case: the
//! bundled Fandol faces cover GB 2312 and more, not every 生僻字. Typst falls
//! back to any font of the set that has the character, so a character is
//! reported only when no font of the set has it.

use std::collections::HashSet;
use std::ops::Range;

use toml_edit::{Item, Value};

use crate::diag::Problem;
use crate::typeset::fonts::FontSet;

/// One problem per field and character no font of `fonts` can show, at
/// the character's place in `text` (the data file).
pub fn check(text: &str, fonts: &FontSet) -> Vec<Problem> {
    let Ok(doc) = toml_edit::Document::parse(text) else { return Vec::new() };
    let book = fonts.store.book();
    let covered = |c: char| {
        book.families().any(|(_, mut ids)| {
            ids.any(|i| book.info(i).is_some_and(|info| info.coverage.contains(c as u32)))
        })
    };
    let mut cache = std::collections::HashMap::new();
    let mut out = Vec::new();
    strings(doc.as_item(), "", &mut |path, value, span| {
        let mut reported = HashSet::new();
        for c in value.chars().filter(|c| needs_glyph(*c)) {
            // A private-use character means whatever one font draws there:
            // copied text, search and screen readers get a meaningless code
            // even when a font of the set has a glyph for it.
            let shown = !is_private(c) && *cache.entry(c).or_insert_with(|| covered(c));
            if !shown && reported.insert(c) {
                out.push(problem(text, path, c, span.clone()));
            }
        }
    });
    out
}

/// Characters that print nothing need no glyph: spaces, controls (refused
/// elsewhere), joiners and variation selectors.
fn needs_glyph(c: char) -> bool {
    !c.is_whitespace() && !c.is_control() && !typst::text::is_default_ignorable(c)
}

fn is_private(c: char) -> bool {
    matches!(c as u32, 0xE000..=0xF8FF | 0xF0000..=0x10FFFF)
}

fn problem(text: &str, path: &str, c: char, span: Option<Range<usize>>) -> Problem {
    // The character's own place when the literal holds it unescaped, else
    // the value's.
    let at = span.map(|s| match text.get(s.clone()).and_then(|lit| lit.find(c)) {
        Some(i) => s.start + i..s.start + i + c.len_utf8(),
        None => s,
    });
    let code = c as u32;
    let problem = if is_private(c) {
        Problem::error(
            path,
            format!("字符 U+{code:04X} 是私用区（造字）字符：它的字形只在造字所用的字体里，复制、检索和读屏软件得到的都不是原字"),
        )
        .expected("改用 Unicode 中的标准字（生僻字多在 CJK 扩展区），并用 --font-path 指定含该字的字体")
    } else {
        Problem::error(
            path,
            format!("字符“{c}”（U+{code:04X}）没有任何字体能显示，印出来会是空白或方框"),
        )
        .expected(format!(
            "用 --font-path 指定含这个字符的字体（{}），或安装这样的字体；也可改用常用字",
            family_hint(c)
        ))
    };
    problem.at_opt(at)
}

/// Which kind of font has `c`.
fn family_hint(c: char) -> &'static str {
    match c as u32 {
        0x3400..=0x4DBF => "CJK 扩展 A 区：如思源宋体、花园明朝 A",
        0x20000..=0x3FFFF => "CJK 扩展 B 区及以后：如花园明朝 B、天珩全字库",
        0x1F000..=0x1FAFF | 0x2600..=0x27BF => "表情符号：公开文件中不宜使用",
        _ => "如思源宋体、Noto Sans CJK",
    }
}

/// Called with a string's path, value and span.
type Visit<'a> = dyn FnMut(&str, &str, Option<Range<usize>>) + 'a;

/// Calls `f` with the path, value and span of every string in the document.
fn strings(item: &Item, path: &str, f: &mut Visit<'_>) {
    match item {
        Item::Table(t) => {
            for (k, v) in t.iter() {
                strings(v, &join(path, k), f);
            }
        }
        Item::ArrayOfTables(a) => {
            for (i, t) in a.iter().enumerate() {
                for (k, v) in t.iter() {
                    strings(v, &join(&format!("{path}[{i}]"), k), f);
                }
            }
        }
        Item::Value(v) => value_strings(v, path, f),
        Item::None => {}
    }
}

fn value_strings(v: &Value, path: &str, f: &mut Visit<'_>) {
    match v {
        Value::String(s) => f(path, s.value(), s.span()),
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                value_strings(x, &format!("{path}[{i}]"), f);
            }
        }
        Value::InlineTable(t) => {
            for (k, x) in t.iter() {
                value_strings(x, &join(path, k), f);
            }
        }
        _ => {}
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_string() } else { format!("{path}.{key}") }
}
