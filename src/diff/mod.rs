//! 更正对比：列出两份数据文件之间变化的每个字段。
//!
//! Both files are read into the model first, so the comparison is by
//! meaning, not by text: amounts compare as decimals (1200 equals 1200.00),
//! reordered keys or comments are no change. Lists of named things
//! (projects, units, tables, terms) are matched by name, so inserting one
//! project does not show every later one as changed.

pub mod document;

use serde_json::Value;

use crate::model::Budget;
use crate::model::fields;

/// One changed field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// 所在部分，例如“支出预算”。
    pub section: String,
    /// 字段的中文路径，例如“基本支出 › 人员经费”。
    pub label: String,
    /// 原值；新增的字段为 `None`。
    pub old: Option<String>,
    /// 新值；删除的字段为 `None`。
    pub new: Option<String>,
}

/// Every field that differs between `old` and `new`, in document order.
pub fn diff(old: &Budget, new: &Budget) -> Vec<Change> {
    let a = plain_dates(serde_json::to_value(old).expect("the model serializes"));
    let b = plain_dates(serde_json::to_value(new).expect("the model serializes"));
    let mut out = Vec::new();
    walk(&[], &a, &b, &mut out);
    stated(old, new, &mut out);
    out
}

/// Figures written by hand that the line items decide (`income.general_budget`
/// beside its line items): the model holds the sum, so a changed hand-written
/// figure would otherwise go unseen.
fn stated(old: &Budget, new: &Budget, out: &mut Vec<Change>) {
    let of = |b: &Budget| -> std::collections::BTreeMap<String, (String, Value)> {
        let figures = b.resolution.stated.iter();
        figures.map(|s| (s.path.clone(), (s.label.clone(), serde_json::json!(s.stated)))).collect()
    };
    let (a, b) = (of(old), of(new));
    let paths: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for path in paths {
        let (x, y) = (a.get(path), b.get(path));
        if x.map(|v| &v.1) == y.map(|v| &v.1) {
            continue;
        }
        let label = x.or(y).map_or(String::new(), |v| v.0.clone());
        let first = path.split(['.', '[']).next().unwrap_or_default().to_string();
        out.push(Change {
            section: label_at(&[first]),
            label: format!("{label}（手填数）"),
            old: x.and_then(|v| show(&v.1, &[])),
            new: y.and_then(|v| show(&v.1, &[])),
        });
    }
}

/// TOML dates serialize as `{"$__toml_private_datetime": "2021-03-01"}`;
/// a reader wants the date.
fn plain_dates(v: Value) -> Value {
    match v {
        Value::Object(o) if o.len() == 1 && o.contains_key("$__toml_private_datetime") => {
            o.into_iter().next().map_or(Value::Null, |(_, d)| d)
        }
        Value::Object(o) => {
            Value::Object(o.into_iter().map(|(k, v)| (k, plain_dates(v))).collect())
        }
        Value::Array(a) => Value::Array(a.into_iter().map(plain_dates).collect()),
        other => other,
    }
}

fn walk(path: &[String], a: &Value, b: &Value, out: &mut Vec<Change>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> =
                x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))).collect();
            // serde_json sorts keys by name; the field tables are in document order.
            let parent = keys_of(path);
            keys.sort_by_key(|k| fields::rank_of(&parent, k));
            for k in keys {
                let (va, vb) = (x.get(k).unwrap_or(&Value::Null), y.get(k).unwrap_or(&Value::Null));
                walk(&push(path, k), va, vb, out);
            }
        }
        (Value::Array(x), Value::Array(y)) => walk_list(path, x, y, out),
        _ if a == b => {}
        _ => out.push(change(path, a, b)),
    }
}

fn push(path: &[String], seg: &str) -> Vec<String> {
    let mut p = path.to_vec();
    p.push(seg.to_string());
    p
}

/// The key that identifies an element of a list, when it has one.
fn identity(v: &Value) -> Option<String> {
    let o = v.as_object()?;
    ["name", "term"].iter().find_map(|k| o.get(*k)?.as_str().map(str::to_string))
}

fn walk_list(path: &[String], x: &[Value], y: &[Value], out: &mut Vec<Change>) {
    let named = x.iter().chain(y).all(|v| identity(v).is_some());
    if !named {
        for i in 0..x.len().max(y.len()) {
            let p = push(path, &format!("第{}项", i + 1));
            walk(&p, x.get(i).unwrap_or(&Value::Null), y.get(i).unwrap_or(&Value::Null), out);
        }
        return;
    }
    let find = |list: &[Value], id: &str| {
        list.iter().find(|v| identity(v).as_deref() == Some(id)).cloned()
    };
    for va in x {
        let id = identity(va).unwrap_or_default();
        let vb = find(y, &id).unwrap_or(Value::Null);
        walk(&push(path, &format!("“{id}”")), va, &vb, out);
    }
    for vb in y {
        let id = identity(vb).unwrap_or_default();
        if find(x, &id).is_none() {
            walk(&push(path, &format!("“{id}”")), &Value::Null, vb, out);
        }
    }
}

fn change(path: &[String], a: &Value, b: &Value) -> Change {
    let section = if path.is_empty() { String::new() } else { label_at(&path[..1]) };
    let rest: Vec<String> = (2..=path.len())
        .map(|n| match path[n - 1].starts_with(['第', '“']) {
            true => path[n - 1].clone(),
            false => label_at(&path[..n]),
        })
        .collect();
    let at = keys_of(path);
    Change {
        section,
        label: if rest.is_empty() { "（整项）".to_string() } else { rest.join(" › ") },
        old: show(a, &at),
        new: show(b, &at),
    }
}

/// A key shown inside a value found at `at` (the data keys above it): its
/// label there, so that a line item's `unit` reads 单位 and not the label
/// of `document.unit` (金额单位) that a search by name alone finds first.
fn key_label(at: &[&str], key: &str) -> String {
    let here = fields::field(at.iter().copied().chain([key])).map(|f| f.label);
    here.or_else(|| fields::label_anywhere(key)).unwrap_or(key).to_string()
}

/// A value as the reader sees it; `None` when absent.
fn show(v: &Value, at: &[&str]) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => {
            Some(items.iter().filter_map(|x| show(x, at)).collect::<Vec<_>>().join("；"))
        }
        Value::Object(o) => Some(
            o.iter()
                .filter_map(|(k, v)| {
                    let inner: Vec<&str> = at.iter().copied().chain([k.as_str()]).collect();
                    show(v, &inner).map(|s| format!("{}：{s}", key_label(at, k)))
                })
                .collect::<Vec<_>>()
                .join("，"),
        ),
        other => Some(other.to_string()),
    }
}

/// The data keys among the steps of a path (list elements left out).
fn keys_of(path: &[String]) -> Vec<&str> {
    path.iter()
        .map(String::as_str)
        .filter(|s| !s.starts_with('第') && !s.starts_with('“'))
        .collect()
}

/// The Chinese name of the field a path ends at; unknown keys as they are.
fn label_at(path: &[String]) -> String {
    let last = path.last().map(String::as_str).unwrap_or_default();
    match fields::field(keys_of(path)) {
        Some(f) => f.label.to_string(),
        None => last.to_string(),
    }
}

/// Plain text, grouped by section; “无变化” when nothing changed.
pub fn to_text(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "无变化\n".to_string();
    }
    let mut out = String::new();
    let mut section = "";
    for c in changes {
        if c.section != section {
            section = &c.section;
            out.push_str(&format!("{section}\n"));
        }
        let old = c.old.as_deref().unwrap_or("（无）");
        let new = c.new.as_deref().unwrap_or("（删除）");
        out.push_str(&format!("  {}：{old} → {new}\n", c.label));
    }
    out
}

/// A 更正说明 table in Markdown, fit to publish beside the corrected PDF.
pub fn to_markdown(changes: &[Change], title: &str) -> String {
    if changes.is_empty() {
        return "无变化\n".to_string();
    }
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = format!(
        "# {title}更正说明\n\n| 序号 | 部分 | 项目 | 更正前 | 更正后 |\n|---:|---|---|---|---|\n"
    );
    for (i, c) in changes.iter().enumerate() {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            i + 1,
            cell(&c.section),
            cell(&c.label),
            cell(c.old.as_deref().unwrap_or("（无）")),
            cell(c.new.as_deref().unwrap_or("（删除）")),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> String {
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/101001-2021.toml"))
            .unwrap()
    }

    fn budget(text: &str) -> Budget {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn a_key_inside_a_value_is_named_where_it_stands() {
        // A line item's unit is its 单位, not the document's 金额单位.
        let item = serde_json::json!({ "unit": "云溪市图书馆", "amount": "1.00" });
        let shown = show(&item, &["line_items"]).unwrap();
        assert!(shown.contains("单位：云溪市图书馆") && !shown.contains("金额单位"), "{shown}");
        assert_eq!(key_label(&[], "unit"), "金额单位");
    }

    #[test]
    fn equal_amounts_written_differently_are_no_change() {
        let a = budget(&sample());
        let b = budget(&sample().replace("amount = 117\n", "amount = \"117.00\"\n"));
        assert_eq!(diff(&a, &b), vec![]);
        assert_eq!(to_text(&[]), "无变化\n");
    }

    #[test]
    fn a_corrected_figure_is_the_only_change() {
        let a = budget(&sample());
        let b = budget(&sample().replace("personnel = 1193.26", "personnel = 1200.26"));
        let d = diff(&a, &b);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].section, "支出预算");
        assert_eq!(d[0].label, "基本支出 › 人员经费");
        assert_eq!((d[0].old.as_deref(), d[0].new.as_deref()), (Some("1193.26"), Some("1200.26")));
    }

    #[test]
    fn changes_come_in_document_order() {
        let a = budget(&sample());
        let b = budget(
            &sample()
                .replace("as_of = 2020-12-31", "as_of = 2020-12-30")
                .replace("rank = \"正处级\"", "rank = \"副厅级\""),
        );
        let sections: Vec<String> = diff(&a, &b).into_iter().map(|c| c.section).collect();
        assert_eq!(sections, ["机构设置", "国有资产占用情况"]);
    }

    #[test]
    fn named_lists_match_by_name() {
        let a = budget(&sample());
        let text = sample().replace(
            "name = \"人大立法经费\"\namount = 117",
            "name = \"人大立法经费\"\namount = 118",
        );
        let d = diff(&a, &budget(&text));
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].label, "项目支出 › “人大立法经费” › 金额");
        let md = to_markdown(&d, "x");
        assert!(
            md.contains("| 1 | 支出预算 | 项目支出 › “人大立法经费” › 金额 | 117 | 118 |"),
            "{md}"
        );
    }
}
