//! 并入之后的核对：导入写的部分有错即拒绝；工作簿没有给出的部分因此不再相符的，记为草稿
//! 待办（`[todo]`）并写明两个数，文件照常写出、仍是草稿；结果超过数据文件的上限时不写。
//!
//! A workbook rarely gives everything: a line-item export has no 三公
//! figures, a platform export without its detail sheets no line items. What
//! it lacks stays as the file had it. When that no longer agrees with what
//! was imported (last year's 三公 below this year's 30231 items), refusing
//! would lose the whole import and passing silently would hide it: the
//! field gets an open 待办 entry (the model's own `[todo]` mechanism, so
//! `check` and `build` treat the file as a draft) whose comment carries
//! the check's message with both figures.

use std::path::Path;

use toml_edit::{DocumentMut, InlineTable, Item, Value};

use crate::diag::Problem;
use crate::import::apply::Refusal;
use crate::import::{Cover, Imported, Kind, Row};
use crate::model::Budget;
use crate::model::lineitems::Source;
use crate::model::todo;
use crate::source::MAX_BYTES;

/// The bytes a line item takes in the data file as `write` makes a new
/// one: `[[line_items]]`, its keys and values, a blank line. A matched item
/// keeps its own table, of about the same size.
pub fn item_bytes(r: &Row, b: &Budget) -> u64 {
    let field = |key: &str, value: usize| (key.len() + 6 + value) as u64;
    let mut n = 16 + field("function", r.function.len()) + field("amount", 20);
    if r.unit > 0 {
        n += field("unit", b.units.get(r.unit).map_or(0, |u| u.name.len()));
    }
    if let Some(e) = &r.economic {
        n += field("economic", e.len());
    }
    if r.source != Source::General {
        n += field("source", r.source.name().len());
    }
    n += match &r.kind {
        Kind::Project(p) => field("project", p.len()),
        _ => field("basic", 12),
    };
    n
}

/// The line items against the data-file limit, before anything is merged:
/// their bytes alone must leave the file within it.
pub fn fits(imported: &Imported, b: &Budget) -> Result<(), Problem> {
    let bytes: u64 = imported.rows.iter().map(|r| item_bytes(r, b)).sum();
    if bytes <= MAX_BYTES {
        return Ok(());
    }
    Err(too_many(imported.rows.len() as u64, bytes))
}

/// The refusal of more line items than a data file can hold.
pub fn too_many(n: u64, bytes: u64) -> Problem {
    Problem::error(
        "",
        format!(
            "工作簿给出的预算明细多于 {} 条（同一单位、项目、科目、资金性质的行已合并），写进数据文件要 {} MiB 以上，超过上限 {} MiB：不导入",
            crate::import::limits::count(n),
            bytes >> 20,
            MAX_BYTES >> 20
        ),
    )
    .expected("按单位分成几个数据文件，各导入本单位的工作簿")
}

/// The merged text against the data-file limit.
pub fn size(text: &str) -> Result<(), Problem> {
    if text.len() as u64 <= MAX_BYTES {
        return Ok(());
    }
    Err(Problem::error(
        "",
        format!(
            "导入后的数据文件有 {} MiB，超过上限 {} MiB：不写（yusuan 不读这么大的数据文件）",
            text.len() >> 20,
            MAX_BYTES >> 20
        ),
    )
    .expected("按单位分成几个数据文件，各导入本单位的工作簿"))
}

/// The sections an import writes, by what the workbooks gave.
fn written(imported: &Imported) -> Vec<&'static str> {
    let mut out = Vec::new();
    if imported.cover != Cover::Nothing {
        out.extend(["line_items", "income", "expenditure"]);
    }
    if imported.sangong.is_some() {
        out.push("sangong.current");
    }
    out
}

fn under(field: &str, section: &str) -> bool {
    field == section
        || field.strip_prefix(section).is_some_and(|r| r.starts_with('.') || r.starts_with('['))
}

/// Checks the merged text: errors in what the import wrote (or of the
/// whole file) refuse it; errors it newly causes elsewhere become open
/// 待办. Gives the text, its budget and those problems located in it.
pub fn check(
    path: &Path,
    merged: String,
    imported: &Imported,
    before: &[Problem],
) -> Result<(String, crate::model::Budget, Vec<Problem>), Refusal> {
    let sections = written(imported);
    let loaded = crate::pipeline::inspect_bytes(path, merged.as_bytes());
    let old = |p: &Problem| {
        before.iter().any(|o| o.is_error() && o.field == p.field && o.message == p.message)
    };
    let (mut ours, mut later) = (Vec::new(), Vec::new());
    for p in loaded.problems.iter().filter(|p| p.is_error()) {
        if p.field.is_empty() || sections.iter().any(|s| under(&p.field, s)) {
            ours.push((String::new(), p.clone()));
        } else if !old(p) {
            later.push(p.clone());
        }
    }
    let refuse = |problems| Refusal { problems, data: Some(merged.clone()), merged: true };
    let Some(budget) = loaded.budget.filter(|_| ours.is_empty()) else {
        let all = loaded.problems.iter().map(|p| (String::new(), p.clone())).collect();
        return Err(refuse(if ours.is_empty() { all } else { ours }));
    };
    if later.is_empty() {
        return Ok((merged, budget, Vec::new()));
    }
    let text = open_entries(&merged, &later)
        .map_err(|e| refuse(vec![(String::new(), Problem::error("", e))]))?;
    let again = crate::pipeline::inspect_bytes(path, text.as_bytes());
    let located = again
        .problems
        .into_iter()
        .filter(|p| later.iter().any(|l| l.field == p.field && l.message == p.message))
        .map(|p| Problem { severity: crate::diag::Severity::Warning, ..p })
        .collect();
    Ok((text, budget, located))
}

/// Adds an open `[todo]` entry for each problem's field: it stays open
/// while the field keeps its present value; its comment says why.
fn open_entries(text: &str, problems: &[Problem]) -> Result<String, String> {
    let mut doc: DocumentMut =
        text.parse().map_err(|e| format!("无法解析导入后的数据文件：{e}"))?;
    let mut entries = Vec::new();
    for p in problems {
        let was = todo::lookup(doc.as_item(), &p.field)
            .and_then(todo::canonical)
            .map(|c| todo::fingerprint(&c));
        let expected = p.expected.as_deref().map(|e| format!("（应为：{e}）")).unwrap_or_default();
        let note = format!("导入后不再相符：{}{expected}", p.message);
        entries.push((p.field.clone(), was, note));
    }
    add_entries(&mut doc, &entries, "导入后须核对的字段");
    Ok(doc.to_string())
}

/// Puts entries (field, carried value, comment) into `[todo].fields`,
/// replacing any for the same field; makes the table when there is none.
pub fn add_entries(
    doc: &mut DocumentMut,
    entries: &[(String, Option<String>, String)],
    title: &str,
) {
    if doc.get("todo").and_then(Item::as_table).is_none() {
        let mut t = toml_edit::Table::new();
        t.decor_mut().set_prefix(format!(
            "\n# 草稿待办：{title}。改动一个字段，它的条目就自动完成；核对无误而不改的，删去那一条。\n# 说明见 docs/data-format.md 3.17 节。\n"
        ));
        doc.insert("todo", Item::Table(t));
    }
    let Some(t) = doc.get_mut("todo").and_then(Item::as_table_mut) else { return };
    if t.get("fields").and_then(Item::as_array).is_none() {
        t.insert("fields", Item::Value(Value::Array(toml_edit::Array::new())));
    }
    let Some(list) = t.get_mut("fields").and_then(Item::as_array_mut) else { return };
    for (field, was, note) in entries {
        list.retain(|v| {
            v.as_inline_table().and_then(|t| t.get("field")).and_then(Value::as_str) != Some(field)
        });
        let mut entry = InlineTable::new();
        entry.insert("field", field.as_str().into());
        if let Some(w) = was {
            entry.insert("was", w.as_str().into());
        }
        let comment = note.replace(['\n', '\r'], " ");
        let prefix =
            if comment.is_empty() { "\n  ".to_string() } else { format!("\n  # {comment}\n  ") };
        list.push_formatted(Value::InlineTable(entry).decorated(prefix, ""));
    }
    list.set_trailing("\n");
    list.set_trailing_comma(true);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_added_once_with_their_comment() {
        let mut doc: DocumentMut =
            "[sangong.current]\nreception = 3\n\n[todo]\nfields = [\n  { field = \"sangong.current.reception\", was = \"3\" },\n]\n"
                .parse()
                .unwrap();
        let e = [(
            "sangong.current.reception".to_string(),
            Some("3".to_string()),
            "两个数：3 与 5".to_string(),
        )];
        add_entries(&mut doc, &e, "x");
        let text = doc.to_string();
        assert_eq!(text.matches("sangong.current.reception\"").count(), 1, "{text}");
        assert!(text.contains("# 两个数：3 与 5"), "{text}");
        let d = toml_edit::Document::parse(text.clone()).unwrap();
        let open = todo::open_items(d.as_item(), &todo::read(d.as_item()));
        assert_eq!(open.len(), 1, "{text}");
    }

    #[test]
    fn a_file_without_todo_gets_one() {
        let mut doc: DocumentMut = "[income]\nother = 1\n".parse().unwrap();
        add_entries(
            &mut doc,
            &[("income.other".into(), Some("1".into()), "说明".into())],
            "导入后须核对的字段",
        );
        let text = doc.to_string();
        assert!(text.contains("[todo]") && text.contains("# 说明"), "{text}");
        assert_eq!(todo::open_count(&text), 1, "{text}");
    }

    #[test]
    fn sections_cover_their_fields() {
        assert!(under("line_items[3].amount", "line_items"));
        assert!(under("sangong.current.reception", "sangong.current"));
        assert!(!under("sangong.currently", "sangong.current"));
        assert!(!under("income2", "income"));
    }
}
