//! `yusuan catalogue import`：把预算系统导出的工作簿中出现的科目编码与名称，存为本地区这一年度
//! 的用户科目表（`catalogue/<年度>.toml`），每一条注明来自这份工作簿。
//!
//! The codes an export uses are the bureau's own for that year: saved with
//! the workbook as their source, they are confirmed for the year, so a data
//! file that names one of them otherwise gets an error instead of a
//! warning, and (with `--complete`) a 项 the export never used under a 款
//! it did becomes an error too. Codes are read wherever an export writes
//! them — “2070101 行政运行” in one cell, or 类 | 款 | 项 columns beside a
//! 科目名称 column — and told apart by their first digit: 2 is the
//! function classification, 3 the department's economic one (the
//! government's 5xx economic codes are not kept). A code named two ways in
//! one workbook is refused naming both cells; the result is checked as a
//! user catalogue before it is written.

use std::collections::BTreeMap;

use toml_edit::{DocumentMut, InlineTable, Item, Table, Value};

use crate::diag::Problem;
use crate::import::book::{Book, Sheet};
use crate::import::cell::{self, Value as Cell};
use crate::import::{at, platform};
use crate::model::catalogue::Scheme;

/// A code seen, with its name and the cell it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub name: String,
    pub place: String,
}

/// Every code a workbook names, by scheme and code.
pub type Codes = BTreeMap<(Scheme, String), Seen>;

/// The codes and names of every shown sheet; a code named two ways is a
/// problem naming both cells.
pub fn codes(book: &Book) -> Result<Codes, Vec<Problem>> {
    let mut out = Codes::new();
    let mut problems = Vec::new();
    for s in &book.sheets {
        for (code, name, place) in in_sheet(s) {
            let Some(scheme) = scheme_of(&code) else { continue };
            let seen = Seen { name: name.clone(), place: place.clone() };
            match out.get(&(scheme, code.clone())) {
                Some(first) if first.name != name => problems.push(
                    at(
                        place,
                        format!(
                            "科目 {code} 在这里叫“{name}”，在 {} 叫“{}”",
                            first.place, first.name
                        ),
                    )
                    .expected("同一编码只用一个名称"),
                ),
                Some(_) => {}
                None => drop(out.insert((scheme, code), seen)),
            }
        }
    }
    if problems.is_empty() { Ok(out) } else { Err(problems) }
}

/// 2xx is a function code, 3xx a department economic one, of a level's
/// length; anything else is not kept.
fn scheme_of(code: &str) -> Option<Scheme> {
    let s = match code.as_bytes().first() {
        Some(b'2') => Scheme::Function,
        Some(b'3') => Scheme::Economic,
        _ => return None,
    };
    s.levels().contains(&code.len()).then_some(s)
}

/// The (code, name, cell) pairs of one sheet: from 类 | 款 | 项 columns
/// and their 科目名称 column when the sheet has them, else from every
/// cell written “2070101 行政运行”.
fn in_sheet(s: &Sheet) -> Vec<(String, String, String)> {
    let split = split_columns(s);
    if !split.is_empty() {
        return split;
    }
    let mut out = Vec::new();
    let rows: Vec<u32> = s.rows_from(0).collect();
    for r in rows {
        for (c, v) in s.row_cells(r) {
            if let Cell::Text(t) = v {
                let (code, name) = cell::code_and_name(t);
                let name: String = name.chars().filter(|c| !c.is_whitespace()).collect();
                if code.len() >= 3 && !name.is_empty() && !name.starts_with('…') {
                    out.push((code, name, s.place(r, c)));
                }
            }
        }
    }
    out
}

/// A platform table's rows: the code from 类 | 款 | 项 (or 类 | 款), the
/// name from the column whose header says 名称.
fn split_columns(s: &Sheet) -> Vec<(String, String, String)> {
    let Some(last) = s
        .rows_from(0)
        .take_while(|&r| r < 12)
        .find(|&r| s.row_cells(r).any(|(_, v)| cell::squeezed(&v) == "类"))
    else {
        return Vec::new();
    };
    let heads: Vec<(u32, String)> = (0..s.cols())
        .map(|c| {
            let h = (0..=last).rev().map(|r| header_text(s, r, c)).find(|t| !t.is_empty());
            (c, h.unwrap_or_default())
        })
        .collect();
    let code_cols: Vec<u32> = heads
        .iter()
        .filter(|(_, h)| ["类", "款", "项"].contains(&h.as_str()))
        .map(|(c, _)| *c)
        .collect();
    let Some(name_col) = heads.iter().find(|(_, h)| h.contains("名称")).map(|(c, _)| *c) else {
        return Vec::new();
    };
    let mut above = vec![String::new(); code_cols.len()];
    let mut out = Vec::new();
    let rows: Vec<u32> = s.rows_from(last + 1).collect();
    for r in rows {
        let Ok(Some(code)) = platform::row_code(s, r, &code_cols, &mut above) else { continue };
        let name = cell::squeezed(&s.value(r, name_col));
        if !code.is_empty() && !name.is_empty() && !name.starts_with('…') {
            out.push((code, name, s.place(r, name_col)));
        }
    }
    out
}

fn header_text(s: &Sheet, r: u32, c: u32) -> String {
    let t = cell::squeezed(&s.value(r, c));
    if !t.is_empty() {
        return t;
    }
    s.region_at(r, c).map(|m| cell::squeezed(&s.value(m.start.0, m.start.1))).unwrap_or_default()
}

/// The user catalogue `existing` (or a new one) with every code added,
/// citing `source`; a code it already names otherwise is a problem unless
/// `replace`. `complete`: each 款 seen has all its 项 in the workbook.
pub fn merge(
    existing: Option<&str>,
    codes: &Codes,
    source: &str,
    (complete, replace): (bool, bool),
) -> Result<String, Vec<Problem>> {
    let mut doc: DocumentMut = match existing {
        Some(t) => t
            .parse()
            .map_err(|e| vec![Problem::error("", format!("已有的科目表不是有效的 TOML：{e}"))])?,
        None => DocumentMut::new(),
    };
    let key = source_key(&mut doc, source);
    let mut problems = Vec::new();
    for ((scheme, code), seen) in codes {
        let table = section(&mut doc, scheme.key());
        let old = table.get(code).and_then(|i| {
            i.as_str().map(str::to_string).or_else(|| {
                i.as_inline_table()
                    .and_then(|t| t.get("name"))
                    .and_then(|n| n.as_str())
                    .map(str::to_string)
            })
        });
        if let Some(o) = old.filter(|o| *o != seen.name && !replace) {
            problems.push(
                at(
                    seen.place.clone(),
                    format!("科目 {code} 在已有的科目表中叫“{o}”，工作簿中叫“{}”", seen.name),
                )
                .expected("核对后加 --force 改用工作簿的名称，或改正工作簿"),
            );
            continue;
        }
        let mut entry = InlineTable::new();
        entry.insert("name", seen.name.as_str().into());
        entry.insert("source", Value::Array([key.as_str()].into_iter().collect()));
        if complete && *scheme == Scheme::Function && code.len() == 5 {
            entry.insert("items_complete", true.into());
        }
        // Quoted, as the bundled files write codes.
        let key = toml_edit::Key::parse(&format!("\"{code}\""))
            .ok()
            .and_then(|mut k| k.pop())
            .unwrap_or_else(|| toml_edit::Key::new(code.as_str()));
        table.insert_formatted(&key, Item::Value(Value::InlineTable(entry)));
    }
    if problems.is_empty() { Ok(doc.to_string()) } else { Err(problems) }
}

/// A `[sources]` key for the workbook: the one already naming it, or a new one.
fn source_key(doc: &mut DocumentMut, source: &str) -> String {
    let t = section(doc, "sources");
    if let Some((k, _)) = t.iter().find(|(_, v)| v.as_str() == Some(source)) {
        return k.to_string();
    }
    let key = (1..).map(|n| format!("导出{n}")).find(|k| !t.contains_key(k)).unwrap_or_default();
    t.insert(&key, toml_edit::value(source));
    key
}

fn section<'a>(doc: &'a mut DocumentMut, key: &str) -> &'a mut Table {
    if doc.get(key).and_then(Item::as_table).is_none() {
        doc.insert(key, Item::Table(Table::new()));
    }
    doc.get_mut(key).and_then(Item::as_table_mut).expect("just made a table")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_told_apart_by_their_first_digit() {
        assert_eq!(scheme_of("2070101"), Some(Scheme::Function));
        assert_eq!(scheme_of("30101"), Some(Scheme::Economic));
        assert_eq!(scheme_of("50101"), None, "the government's economic class");
        assert_eq!(scheme_of("3010101"), None);
    }

    #[test]
    fn a_catalogue_is_made_or_extended() {
        let mut codes = Codes::new();
        let seen = |n: &str| Seen { name: n.into(), place: "表!A1".into() };
        codes.insert((Scheme::Function, "20701".into()), seen("文化和旅游"));
        codes.insert((Scheme::Function, "2070101".into()), seen("行政运行"));
        let text = merge(None, &codes, "工作簿 a.xlsx", (true, false)).unwrap();
        assert!(text.contains("\"导出1\" = \"工作簿 a.xlsx\""), "{text}");
        assert!(
            text.contains(
                "\"20701\" = { name = \"文化和旅游\", source = [\"导出1\"], items_complete = true }"
            ),
            "{text}"
        );
        let layer = crate::source::catalogue::parse("c.toml", &text, true).unwrap();
        assert_eq!(layer.function.len(), 2);
        let renamed = text.replace("行政运行", "行政运转");
        let e = merge(Some(&renamed), &codes, "工作簿 a.xlsx", (false, false)).unwrap_err();
        assert!(e[0].message.contains("叫“行政运转”"), "{e:?}");
        let again = merge(Some(&renamed), &codes, "工作簿 a.xlsx", (false, true)).unwrap();
        assert!(again.contains("行政运行") && !again.contains("导出2"), "{again}");
    }
}
