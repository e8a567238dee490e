//! 草稿待办：`yusuan new`（以及导入、决算草稿）留下、须逐项更新的字段，记在数据文件的
//! `[todo]` 表中，由 `check` 逐项核对。
//!
//! Each entry names a field path and, for a carried-over value, that value
//! (or a fingerprint of a long one). The entry stays open while the field
//! still holds exactly that value, and closes by itself the moment the
//! officer changes it; an entry without a carried value stays open while
//! the field is absent, blank or still holds a 【待填写】 mark. So the draft
//! state cannot be lost by editing comments, and needs no bookkeeping: the
//! data says what is still last year's.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use toml_edit::{Item, Value};

use crate::diag::{Problem, Topic};

/// 数据文件中的 `[todo]` 表。
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Todo {
    /// 草稿由哪一年的数据生成；文字中仍提到“该年”时提示。
    #[serde(default)]
    pub from_year: Option<i32>,
    /// 待更新的字段，逐项列出。
    #[serde(default)]
    pub fields: Vec<TodoField>,
}

/// 一个待更新的字段。
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TodoField {
    /// 字段路径，例如 `line_items[3].amount`。
    pub field: String,
    /// 沿用的原值（长文字为“指纹:…”）；字段仍是此值时待办未完成。
    /// 不写时表示须填写：字段缺少、为空或仍含“【待填写】”时未完成。
    #[serde(default)]
    pub was: Option<String>,
}

/// The marks a placeholder text carries until it is filled.
pub const MARKS: [&str; 2] = ["【待填写】", "【待更新】"];

/// One entry still open, located in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Open {
    pub field: String,
    /// The carried value as the file shows it; `None` for a field to fill.
    pub was: Option<String>,
    pub span: Option<Range<usize>>,
}

/// A value in a form that does not depend on how it was written: amounts as
/// exact decimals (117, 117.0 and "117.00" are one value), texts trimmed,
/// lists and tables item by item. `None` for an absent field.
pub fn canonical(item: &Item) -> Option<String> {
    match item {
        Item::None => None,
        Item::Value(v) => Some(canonical_value(v)),
        Item::Table(t) => Some(joined(t.iter().map(|(k, v)| (k, canonical(v))))),
        Item::ArrayOfTables(a) => Some(
            a.iter()
                .map(|t| joined(t.iter().map(|(k, v)| (k, canonical(v)))))
                .collect::<Vec<_>>()
                .join("\u{1e}"),
        ),
    }
}

fn joined<'a>(kv: impl Iterator<Item = (&'a str, Option<String>)>) -> String {
    kv.filter_map(|(k, v)| v.map(|v| format!("{k}={v}"))).collect::<Vec<_>>().join("\u{1f}")
}

fn canonical_value(v: &Value) -> String {
    let number =
        |s: &str| crate::model::amount::parse_amount(s).ok().map(|a| a.0.normalize().to_string());
    match v {
        Value::String(s) => {
            let t = s.value().trim();
            number(t).unwrap_or_else(|| t.to_string())
        }
        Value::Integer(i) => i.value().to_string(),
        Value::Float(f) => {
            let t = format!("{}", f.value());
            number(&t).unwrap_or(t)
        }
        Value::Boolean(b) => b.value().to_string(),
        Value::Datetime(d) => d.value().to_string(),
        Value::Array(a) => a.iter().map(canonical_value).collect::<Vec<_>>().join("\u{1e}"),
        Value::InlineTable(t) => joined(t.iter().map(|(k, v)| (k, Some(canonical_value(v))))),
    }
}

/// What an entry records of a value: the value itself when it is short
/// enough to read in the file, else a fingerprint (FNV-1a, stable across
/// versions and machines).
pub fn fingerprint(canonical: &str) -> String {
    let short = canonical.chars().count() <= 24 && !canonical.contains(['\u{1e}', '\u{1f}', '\n']);
    if short {
        return canonical.to_string();
    }
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in canonical.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("指纹:{h:016x}")
}

/// The item at a field path such as `performance.projects[2].goals`.
pub fn lookup<'a>(root: &'a Item, path: &str) -> Option<&'a Item> {
    let mut item = root;
    for part in path.split('.') {
        let mut pieces = part.split('[');
        if let Some(key) = pieces.next().filter(|k| !k.is_empty()) {
            item = item.get(key)?;
        }
        for idx in pieces {
            let i: usize = idx.strip_suffix(']')?.parse().ok()?;
            item = item.get(i)?;
        }
    }
    Some(item).filter(|i| !i.is_none())
}

/// Whether an entry is still open against the document `root`.
fn is_open(root: &Item, entry: &TodoField) -> bool {
    let current = lookup(root, &entry.field).and_then(canonical);
    match (&entry.was, current) {
        (Some(was), Some(now)) => fingerprint(&now) == *was,
        // The carried field is gone (a project deleted, a table rewritten):
        // the officer has dealt with it.
        (Some(_), None) => false,
        (None, None) => true,
        (None, Some(now)) => now.trim().is_empty() || MARKS.iter().any(|m| now.contains(m)),
    }
}

/// The entries still open, in the order of the file.
pub fn open_items(root: &Item, todo: &Todo) -> Vec<Open> {
    let mut out: Vec<Open> = todo
        .fields
        .iter()
        .filter(|e| is_open(root, e))
        .map(|e| Open {
            field: e.field.clone(),
            was: e.was.clone(),
            span: lookup(root, &e.field).and_then(Item::span).or_else(|| entry_span(root, e)),
        })
        .collect();
    out.sort_by_key(|o| o.span.as_ref().map_or(usize::MAX, |s| s.start));
    out
}

/// Where the entry itself is written, for a field to fill that is absent.
fn entry_span(root: &Item, e: &TodoField) -> Option<Range<usize>> {
    let list = root.get("todo")?.get("fields")?.as_array()?;
    list.iter()
        .find(|v| {
            let field = v.as_inline_table().and_then(|t| t.get("field")).and_then(Value::as_str);
            field == Some(e.field.as_str())
        })
        .and_then(Value::span)
}

/// How many entries of a file's text are open; 0 for a file without
/// `[todo]` or one that does not parse.
pub fn open_count(text: &str) -> usize {
    let Ok(doc) = text.parse::<toml_edit::DocumentMut>() else { return 0 };
    let todo = read(doc.as_item());
    open_items(doc.as_item(), &todo).len()
}

/// The `[todo]` table of a document, empty when there is none; entries not
/// of the documented shape are skipped (the schema walk reports them).
pub fn read(root: &Item) -> Todo {
    let Some(t) = root.get("todo") else { return Todo::default() };
    let from_year = t.get("from_year").and_then(Item::as_integer).and_then(|y| y.try_into().ok());
    let fields = t
        .get("fields")
        .and_then(Item::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| {
            let t = v.as_inline_table()?;
            let field = t.get("field")?.as_str()?.to_string();
            let was = t.get("was").and_then(Value::as_str).map(str::to_string);
            Some(TodoField { field, was })
        })
        .collect();
    Todo { from_year, fields }
}

/// A warning per open entry, one saying how many remain, one per text that
/// still names a year before the file's (within [`STALE_YEARS`]), and one
/// when every carried amount is untouched. Each open entry and each such
/// text is filed under the part of the file it lies in ([`part_of`]), so a
/// summary can say “项目绩效目标表第3条：27 项” instead of 27 lines.
pub fn problems(root: &Item, todo: &Todo, label: impl Fn(&str) -> String) -> Vec<Problem> {
    let open = open_items(root, todo);
    let mut out: Vec<Problem> =
        open.iter().map(|o| open_problem(o, todo.from_year, &label)).collect();
    if !open.is_empty() {
        out.push(count_problem(root, open.len()));
    }
    if let Some(p) = untouched(root, todo, &open) {
        out.push(p);
    }
    if let Some(years) = stale_years(root, todo) {
        out.extend(old_year(root, years, &label));
    }
    out
}

/// How many years back a draft's texts are searched for a year they still
/// name: a draft rolled over several years, or from a draft, keeps texts of
/// each of them.
pub const STALE_YEARS: i32 = 5;

/// The years whose mention in a draft's text is stale: the few before the
/// file's own year. `None` for a file that is not a rolled-over draft.
fn stale_years(root: &Item, todo: &Todo) -> Option<std::ops::RangeInclusive<i32>> {
    let from = todo.from_year?;
    let year = root
        .get("document")
        .and_then(|d| d.get("year"))
        .and_then(Item::as_integer)
        .and_then(|y| i32::try_from(y).ok())
        .filter(|y| *y > from)
        .unwrap_or(from + 1);
    Some((year - STALE_YEARS).min(from)..=year - 1)
}

/// The part of the file an entry lies in, as a person fills it in at one
/// sitting: each 绩效目标表 (and each 绩效自评) on its own, else its
/// section — `income`, `expenditure.basic`, `expenditure.projects`,
/// `sangong.current`, `performance.overall`, `line_items`, `assets` ….
pub fn part_of(field: &str) -> String {
    use crate::model::fields::{Seg, segments};
    match segments(field).as_slice() {
        [Seg::Key("performance"), Seg::Key("projects"), Seg::Index(i), ..] => {
            format!("performance.projects[{i}]")
        }
        [Seg::Key("evaluations"), Seg::Index(i), ..] => format!("evaluations[{i}]"),
        [Seg::Key(a @ ("expenditure" | "sangong" | "performance")), Seg::Key(b), ..] => {
            format!("{a}.{b}")
        }
        [Seg::Key(a), ..] => a.to_string(),
        _ => field.to_string(),
    }
}

/// A part in words, as the summary lists it: its label and, for a whole
/// section, the TOML that opens it — “收入预算 [income]”,
/// “项目支出 [[expenditure.projects]]”, “项目绩效目标表第3条（人大会议经费）”.
fn part_label(part: &str, label: &impl Fn(&str) -> String) -> String {
    let full = label(part);
    let last = full.rsplit(" › ").next().unwrap_or(&full).to_string();
    if part.ends_with(']') {
        return last;
    }
    let list = crate::model::fields::field(part.split('.'))
        .is_some_and(|f| matches!(f.kind, crate::model::fields::Kind::List(_)));
    if list { format!("{last} [[{part}]]") } else { format!("{last} [{part}]") }
}

fn open_problem(o: &Open, from_year: Option<i32>, label: &impl Fn(&str) -> String) -> Problem {
    let what = label(&o.field);
    let from = from_year.map_or_else(|| "原来的".to_string(), |y| format!("{y}年的"));
    let is_amount = |w: &str| crate::model::amount::parse_amount(w).is_ok();
    let (message, expected) = match &o.was {
        // A file started by `yusuan init`: the figure is still the 0 it
        // was given.
        Some(was) if from_year.is_none() && was == "0" => (
            format!("待填写：{what}（现为 0）"),
            "填写本年度的数；确实为 0 时，从 [todo] 中删去这一条".to_string(),
        ),
        Some(was) if was.starts_with("指纹:") => (
            format!("待更新：{what}仍是{from}内容"),
            "按本年度情况改写；确认无需改动时，从 [todo] 中删去这一条".to_string(),
        ),
        Some(was) if is_amount(was) => (
            format!("待更新：{what}仍是{from}数（{was}）"),
            "本年度的数；确认与上年相同时，从 [todo] 中删去这一条".to_string(),
        ),
        Some(was) => (
            format!("待更新：{what}仍是{from}内容（{was}）"),
            "按本年度情况改写；确认无需改动时，从 [todo] 中删去这一条".to_string(),
        ),
        None => (format!("待填写：{what}"), "填写本项；填好后此条自动完成".to_string()),
    };
    Problem::warning(o.field.clone(), message)
        .expected(expected)
        .at_opt(o.span.clone())
        .topic(Topic::Todo(part_label(&part_of(&o.field), label)))
}

fn count_problem(root: &Item, n: usize) -> Problem {
    let span = root.get("todo").and_then(Item::span);
    Problem::warning("todo", format!("草稿：还有 {n} 项待更新或待填写（见以上各条）"))
        .expected(
            "逐项改完后此表自动清空；改完之前 yusuan build 只生成带“草稿”水印的 PDF（加 --final 才生成正式版）",
        )
        .at_opt(span)
        .topic(Topic::Draft)
}

/// Every carried amount still equal to last year's to the cent: a draft
/// nobody has touched.
fn untouched(root: &Item, todo: &Todo, open: &[Open]) -> Option<Problem> {
    let is_amount = |w: &Option<String>| {
        w.as_deref().is_some_and(|w| crate::model::amount::parse_amount(w).is_ok())
    };
    // A new file's zeros are not last year's figures.
    todo.from_year?;
    let carried = todo.fields.iter().filter(|e| is_amount(&e.was)).count();
    let still = open.iter().filter(|o| is_amount(&o.was)).count();
    (carried > 0 && still == carried).then(|| {
        Problem::warning(
            "todo",
            format!("本年各项金额与上年逐项相同（{carried} 项都未改动）：这份草稿的数字还没有更新"),
        )
        .expected("填入本年度预算数")
        .at_opt(root.get("todo").and_then(Item::span))
        .topic(Topic::Draft)
    })
}

/// Texts outside `[todo]` that still name one of `years`.
fn old_year(
    root: &Item,
    years: std::ops::RangeInclusive<i32>,
    label: &impl Fn(&str) -> String,
) -> Vec<Problem> {
    let next = years.end() + 1;
    let mut hits = Vec::new();
    texts(root, "", &mut hits);
    hits.into_iter()
        .filter(|(path, _, _)| !path.starts_with("todo"))
        .filter_map(|(path, span, s)| {
            let named: Vec<String> = years
                .clone()
                .map(|y| format!("{y}年"))
                .filter(|y| s.contains(y.as_str()))
                .collect();
            if named.is_empty() {
                return None;
            }
            let quoted: Vec<String> = named.iter().map(|y| format!("“{y}”")).collect();
            Some(
                Problem::warning(
                    path.clone(),
                    format!("{}仍提到{}", label(&path), quoted.join("")),
                )
                .expected(format!("核对是否应改为{next}年"))
                .at_opt(span)
                .topic(Topic::Stale(part_label(&part_of(&path), label))),
            )
        })
        .collect()
}

type Hit = (String, Option<Range<usize>>, String);

/// Every string value with its path and span, in file order.
fn texts(item: &Item, path: &str, out: &mut Vec<Hit>) {
    let join = |k: &str| if path.is_empty() { k.to_string() } else { format!("{path}.{k}") };
    match item {
        Item::Table(t) => t.iter().for_each(|(k, v)| texts(v, &join(k), out)),
        Item::ArrayOfTables(a) => {
            for (i, t) in a.iter().enumerate() {
                t.iter().for_each(|(k, v)| texts(v, &format!("{path}[{i}].{k}"), out));
            }
        }
        Item::Value(v) => value_texts(v, path, out),
        Item::None => {}
    }
}

fn value_texts(v: &Value, path: &str, out: &mut Vec<Hit>) {
    match v {
        Value::String(s) => out.push((path.to_string(), v.span(), s.value().clone())),
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                value_texts(x, &format!("{path}[{i}]"), out);
            }
        }
        Value::InlineTable(t) => {
            t.iter().for_each(|(k, x)| value_texts(x, &format!("{path}.{k}"), out));
        }
        _ => {}
    }
}

/// The entries a rolled-forward draft starts with: every leaf under the
/// given sections that `keep` accepts, with the value it carries, in file
/// order. Blank values are left out: there is nothing carried to update.
pub fn carried(
    root: &Item,
    sections: &[&str],
    keep: &dyn Fn(&str, &Item) -> bool,
) -> Vec<TodoField> {
    let mut out = Vec::new();
    for s in sections {
        if let Some(item) = lookup(root, s) {
            leaves(item, s, keep, &mut out);
        }
    }
    out
}

fn leaves(item: &Item, path: &str, keep: &dyn Fn(&str, &Item) -> bool, out: &mut Vec<TodoField>) {
    let mut entry = |it: &Item, p: &str| {
        if !keep(p, it) {
            return;
        }
        if let Some(c) = canonical(it).filter(|c| !c.trim().is_empty()) {
            out.push(TodoField { field: p.to_string(), was: Some(fingerprint(&c)) });
        }
    };
    match item {
        Item::Table(t) => t.iter().for_each(|(k, v)| leaves(v, &format!("{path}.{k}"), keep, out)),
        Item::ArrayOfTables(a) => {
            for (i, t) in a.iter().enumerate() {
                t.iter().for_each(|(k, v)| leaves(v, &format!("{path}[{i}].{k}"), keep, out));
            }
        }
        Item::Value(Value::InlineTable(t)) => {
            for (k, v) in t.iter() {
                entry(&Item::Value(v.clone()), &format!("{path}.{k}"));
            }
        }
        Item::Value(Value::Array(a)) if a.iter().all(|v| v.is_inline_table()) && !a.is_empty() => {
            for (i, v) in a.iter().enumerate() {
                if let Value::InlineTable(t) = v {
                    for (k, x) in t.iter() {
                        entry(&Item::Value(x.clone()), &format!("{path}[{i}].{k}"));
                    }
                }
            }
        }
        // A list of paragraphs is one field: it is rewritten as a whole.
        Item::Value(_) => entry(item, path),
        Item::None => {}
    }
}

/// Writes the `[todo]` table at the end of a document, one entry a line,
/// replacing any there was. `from_year`: the year a rolled-over draft was
/// made from; `None` for a new file (`yusuan init`).
pub fn write(doc: &mut toml_edit::DocumentMut, from_year: Option<i32>, fields: &[TodoField]) {
    let mut list = toml_edit::Array::new();
    for f in fields {
        let mut entry = toml_edit::InlineTable::new();
        entry.insert("field", f.field.as_str().into());
        if let Some(was) = &f.was {
            entry.insert("was", was.as_str().into());
        }
        list.push_formatted(Value::InlineTable(entry).decorated("\n  ", ""));
    }
    list.set_trailing("\n");
    list.set_trailing_comma(true);
    let mut t = toml_edit::Table::new();
    let what = match from_year {
        Some(y) => format!("以下字段仍是{y}年的内容。改动一个字段，它的条目就自动完成；\n# 确认与上年相同的，删去那一条。"),
        None => "以下字段还没有填写（文字仍标着“【待填写】”，金额仍是 0）。\n# 填好一个字段，它的条目就自动完成；金额确实为 0 的，删去那一条。".to_string(),
    };
    t.decor_mut().set_prefix(format!(
        "\n# 草稿待办：{what}还有未完成的条目时，yusuan build 只生成草稿。\n\
         # 全部完成后可删去整张表。说明见 docs/data-format.md 3.18 节。\n"
    ));
    if let Some(y) = from_year {
        t.insert("from_year", toml_edit::value(i64::from(y)));
    }
    t.insert("fields", Item::Value(Value::Array(list)));
    doc.remove("todo");
    doc.insert("todo", Item::Table(t));
}

/// A field path in the words of the data format: keys by their Chinese
/// labels, list elements by number and what identifies them, e.g.
/// “预算明细第1条（2070101 行政运行 30101）› 金额”.
pub fn describe(root: &Item, path: &str) -> String {
    let mut fields = crate::model::fields::BUDGET;
    let mut item = Some(root);
    let mut out: Vec<String> = Vec::new();
    for part in path.split('.') {
        let mut pieces = part.split('[');
        let key = pieces.next().unwrap_or("");
        let field = fields.iter().find(|f| f.key == key);
        out.push(field.map_or_else(|| key.to_string(), |f| f.label.to_string()));
        item = item.and_then(|i| i.get(key));
        let mut kind = field.map(|f| f.kind);
        for idx in pieces {
            let Ok(i) = idx.trim_end_matches(']').parse::<usize>() else { continue };
            item = item.and_then(|it| it.get(i));
            let who = item.map(identity).unwrap_or_default();
            if let Some(last) = out.last_mut() {
                last.push_str(&format!("第{}条{who}", i + 1));
            }
            kind = match kind {
                Some(crate::model::fields::Kind::List(k)) => Some(*k),
                k => k,
            };
        }
        fields = match kind {
            Some(crate::model::fields::Kind::Table(f)) => f,
            _ => &[],
        };
    }
    out.join(" › ")
}

/// What names a list element: its name, project, or codes, in brackets.
fn identity(item: &Item) -> String {
    let get = |k: &str| item.get(k).and_then(Item::as_str).map(str::trim).filter(|s| !s.is_empty());
    let parts: Vec<&str> = if let Some(n) = get("name").or_else(|| get("term")) {
        vec![n]
    } else {
        ["function", "function_name", "economic", "project"].iter().filter_map(|k| get(k)).collect()
    };
    if parts.is_empty() { String::new() } else { format!("（{}）", parts.join(" ")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The parsed document keeps its spans (a `DocumentMut` would drop them).
    fn doc(text: &str) -> toml_edit::Document<String> {
        toml_edit::Document::parse(text.to_string()).unwrap()
    }

    const DRAFT: &str = r#"
[income]
general_budget = 1965.7
other = "12"

[performance.overall]
goal = ["一段很长很长的总体绩效目标文字，超过二十四个字符的长度，用指纹记下。"]

[todo]
from_year = 2021
fields = [
  { field = "income.general_budget", was = "1965.7" },
  { field = "income.other", was = "12" },
  { field = "performance.overall.goal", was = "PLACEHOLDER" },
  { field = "assets.planned_note" },
]
"#;

    fn draft() -> String {
        let d = doc(DRAFT);
        let goal = lookup(d.as_item(), "performance.overall.goal").and_then(canonical).unwrap();
        DRAFT.replace("PLACEHOLDER", &fingerprint(&goal))
    }

    #[test]
    fn amounts_compare_as_decimals() {
        let a = doc("x = 117\ny = \"117.00\"\nz = 117.0\n");
        let c = |k| canonical(a.as_item().get(k).unwrap()).unwrap();
        assert_eq!((c("x"), c("y"), c("z")), ("117".into(), "117".into(), "117".into()));
    }

    #[test]
    fn a_changed_value_closes_its_entry_and_an_unchanged_one_stays() {
        let text = draft();
        let d = doc(&text);
        let open = open_items(d.as_item(), &read(d.as_item()));
        let fields: Vec<&str> = open.iter().map(|o| o.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "income.general_budget",
                "income.other",
                "performance.overall.goal",
                "assets.planned_note"
            ]
        );
        let edited = text
            .replace("general_budget = 1965.7", "general_budget = 2001.3")
            .replace("other = \"12\"", "other = 12.00")
            .replace("用指纹记下。", "已改写。")
            .replace("[todo]", "[assets]\nplanned_note = \"拟购置电脑\"\n\n[todo]");
        let d = doc(&edited);
        let open = open_items(d.as_item(), &read(d.as_item()));
        let fields: Vec<&str> = open.iter().map(|o| o.field.as_str()).collect();
        assert_eq!(fields, ["income.other"], "12 written as 12.00 is still last year's");
        assert_eq!(open_count(&edited), 1);
    }

    #[test]
    fn a_field_to_fill_stays_open_while_marked() {
        let text = draft().replace("[todo]", "[assets]\nplanned_note = \"【待填写】\"\n\n[todo]");
        let d = doc(&text);
        assert!(
            open_items(d.as_item(), &read(d.as_item()))
                .iter()
                .any(|o| o.field == "assets.planned_note")
        );
    }

    #[test]
    fn warnings_name_each_item_count_them_and_see_untouched_figures() {
        let text = draft().replace("goal = [\"", "goal = [\"2021年");
        let d = doc(&text);
        let ps = problems(d.as_item(), &read(d.as_item()), |p| format!("«{p}»"));
        let msgs: Vec<&str> = ps.iter().map(|p| p.message.as_str()).collect();
        assert!(
            msgs.contains(&"待更新：«income.general_budget»仍是2021年的数（1965.7）"),
            "{msgs:?}"
        );
        // The goal now names the old year: it changed, so its own item closed.
        assert!(msgs.contains(&"草稿：还有 3 项待更新或待填写（见以上各条）"), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("本年各项金额与上年逐项相同（2 项")), "{msgs:?}");
        assert!(msgs.contains(&"«performance.overall.goal[0]»仍提到“2021年”"), "{msgs:?}");
        assert!(ps.iter().all(|p| !p.is_error() && p.span.is_some()));
    }

    #[test]
    fn a_draft_records_every_carried_leaf() {
        let d = doc(DRAFT);
        let got = carried(d.as_item(), &["income", "performance.overall"], &|_, _| true);
        let fields: Vec<&str> = got.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["income.general_budget", "income.other", "performance.overall.goal"]);
        assert!(got[2].was.as_deref().unwrap().starts_with("指纹:"));
    }
}
