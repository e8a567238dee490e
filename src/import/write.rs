//! 合并：把导入的预算明细与“三公”经费写进数据文件（toml_edit），其余一字不动。
//!
//! A line item already in the file that the workbook also has (same unit,
//! function, economic code, fund and project or basic kind) keeps its
//! table — its comments, key order and `function_name` — and only its
//! amount changes; items of the units the workbooks cover that they lack
//! are removed, new ones appended; the items of units no workbook covers
//! stay as they are. The figures the items determine (income by source,
//! 人员经费, 公用经费, each project) are rewritten only where the file
//! writes them by hand, so a file that lets yusuan derive them stays that
//! way. `[todo]` entries for what was imported are closed: the workbook is
//! this year's figure — unless `--year` stated another year's, when each
//! imported amount gets an open entry instead.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, Value};

use crate::import::{Cover, Imported, Kind, Row};
use crate::model::Budget;
use crate::model::catalogue::Scheme;
use crate::model::lineitems::{self, INCOME_FIGURES, Source};

/// The merged text, or why the file cannot be edited. `stated`: the year
/// `--year` gave, when it is not the file's.
pub fn merge(
    text: &str,
    b: &Budget,
    imported: &Imported,
    stated: Option<i32>,
) -> Result<String, String> {
    let mut doc: DocumentMut = text.parse().map_err(|e| format!("无法解析数据文件：{e}"))?;
    let mut closed = Vec::new();
    let mut moved = Vec::new();
    if imported.cover != Cover::Nothing {
        let (rows, kept) = line_items(&mut doc, b, &imported.rows, &imported.cover);
        figures(&mut doc, &rows);
        closed.push("line_items");
        if imported.cover == Cover::All {
            closed.extend(["income", "expenditure"]);
        }
        moved = kept;
    }
    if let Some((s, _)) = &imported.sangong {
        sangong(&mut doc, s);
        closed.push("sangong.current");
    }
    close_todo(&mut doc, &closed, &moved);
    if let Some(y) = stated {
        stated_year(&mut doc, &closed, y);
    }
    Ok(doc.to_string())
}

/// What identifies a line item apart from its amount.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    unit: usize,
    function: String,
    economic: Option<String>,
    source: Source,
    fund: Source,
    kind: Kind,
}

fn key_of_row(r: &Row) -> Key {
    let fund = match r.source {
        Source::Carryover => r.carried_from.unwrap_or(Source::General),
        s => s,
    };
    Key {
        unit: r.unit,
        function: r.function.clone(),
        economic: r.economic.clone(),
        source: r.source,
        fund,
        kind: r.kind.clone(),
    }
}

fn keys_of_file(b: &Budget) -> Vec<Key> {
    lineitems::items(b)
        .into_iter()
        .map(|it| Key {
            unit: it.unit,
            function: it.function.to_string(),
            economic: it.economic.map(str::to_string),
            source: it.source,
            fund: it.fund,
            kind: match it.kind {
                lineitems::Kind::Personnel => Kind::Personnel,
                lineitems::Kind::Public => Kind::Public,
                lineitems::Kind::Project(p) => Kind::Project(p.to_string()),
            },
        })
        .collect()
}

/// Replaces the covered units' line items, keeping every matched table
/// as it was written and where it was: a workbook listing the same items
/// in another order moves nothing in the file; new items follow in the
/// workbook's order; other units' items stay. Gives every item of the
/// result as a row, and where each kept item went (old index, new index).
fn line_items(
    doc: &mut DocumentMut,
    b: &Budget,
    rows: &[Row],
    cover: &Cover,
) -> (Vec<Row>, Vec<(usize, usize)>) {
    let old_keys = keys_of_file(b);
    let old: Vec<Table> = match doc.get("line_items").and_then(Item::as_array_of_tables) {
        Some(a) => a.iter().cloned().collect(),
        None => Vec::new(),
    };
    let lead = old.first().map(|t| t.decor().clone());
    let covered = |u: usize| match cover {
        Cover::Units(us) => us.contains(&u),
        _ => true,
    };
    let n = old.len().min(old_keys.len());
    let mut taken: Vec<bool> = (0..n).map(|i| !covered(old_keys[i].unit)).collect();
    // (position, row or kept item): kept items where they were.
    let mut placed: Vec<(usize, Placed)> =
        (0..n).filter(|&i| taken[i]).map(|i| (i, Placed::Kept(i))).collect();
    for (k, r) in rows.iter().enumerate() {
        let key = key_of_row(r);
        let found = (0..n).find(|&i| !taken[i] && old_keys[i] == key);
        if let Some(i) = found {
            taken[i] = true;
        }
        placed.push((found.unwrap_or(old.len() + k), Placed::Row(k, found)));
    }
    placed.sort_by_key(|(at, _)| *at);
    let mut out = ArrayOfTables::new();
    let mut named: Vec<String> = Vec::new();
    let mut all = Vec::new();
    let mut moved = Vec::new();
    let file_rows = file_rows(b);
    for (_, p) in placed {
        let (t, row) = match p {
            Placed::Kept(i) => {
                moved.push((i, out.len()));
                (old[i].clone(), file_rows[i].clone())
            }
            Placed::Row(k, Some(i)) => {
                let mut t = old[i].clone();
                set_amount(&mut t, "amount", rows[k].amount);
                (t, rows[k].clone())
            }
            Placed::Row(k, None) => (new_table(&rows[k], b, &named), rows[k].clone()),
        };
        if t.contains_key("function_name") {
            named.push(row.function.clone());
        }
        out.push(t);
        all.push(row);
    }
    // The section's comment sits on the first table: it stays first.
    if let (Some(decor), Some(first)) = (lead, out.get_mut(0)) {
        *first.decor_mut() = decor;
    }
    if out.is_empty() {
        doc.remove("line_items");
    } else {
        doc.insert("line_items", Item::ArrayOfTables(out));
    }
    (all, moved)
}

/// Where an item of the result comes from.
enum Placed {
    /// An item of a unit no workbook covers, by its index in the file.
    Kept(usize),
    /// A row of the workbooks, and the file's item it matched.
    Row(usize, Option<usize>),
}

/// The file's line items as rows (for the sums of the result).
fn file_rows(b: &Budget) -> Vec<Row> {
    lineitems::items(b)
        .into_iter()
        .map(|it| Row {
            place: String::new(),
            unit: it.unit,
            function: it.function.to_string(),
            function_name: None,
            economic: it.economic.map(str::to_string),
            economic_name: None,
            source: it.source,
            carried_from: (it.source == Source::Carryover).then_some(it.fund),
            kind: match it.kind {
                lineitems::Kind::Personnel => Kind::Personnel,
                lineitems::Kind::Public => Kind::Public,
                lineitems::Kind::Project(p) => Kind::Project(p.to_string()),
            },
            amount: it.amount.0,
        })
        .collect()
}

fn new_table(r: &Row, b: &Budget, named: &[String]) -> Table {
    let mut t = Table::new();
    if r.unit > 0 {
        t.insert("unit", toml_edit::value(b.units[r.unit].name.as_str()));
    }
    t.insert("function", toml_edit::value(r.function.as_str()));
    // The name is written only where the catalogue does not give it: the
    // budget system's wording of a known 项 would only be checked against
    // the catalogue's.
    let listed = crate::source::catalogue::of(b).name(Scheme::Function, &r.function).is_some();
    let first = !named.contains(&r.function);
    if let Some(n) = r.function_name.as_deref().filter(|_| first && !listed) {
        t.insert("function_name", toml_edit::value(n));
    }
    if let Some(e) = &r.economic {
        t.insert("economic", toml_edit::value(e.as_str()));
    }
    if r.source != Source::General {
        t.insert("source", toml_edit::value(r.source.name()));
    }
    if let Some(f) = r.carried_from.filter(|f| *f != Source::General) {
        t.insert("carried_from", toml_edit::value(f.name()));
    }
    match &r.kind {
        Kind::Personnel => t.insert("basic", toml_edit::value("人员经费")),
        Kind::Public => t.insert("basic", toml_edit::value("公用经费")),
        Kind::Project(p) => t.insert("project", toml_edit::value(p.as_str())),
    };
    t.insert("amount", Item::Value(number(r.amount)));
    t
}

/// An amount as TOML: a plain number when a double holds it exactly
/// (at most 15 significant digits), else the exact decimal as a string.
pub fn number(d: Decimal) -> Value {
    let s = d.normalize().to_string();
    let digits = s.chars().filter(char::is_ascii_digit).count();
    match s.parse::<Value>() {
        Ok(v) if digits <= 15 => v,
        _ => Value::from(s),
    }
}

/// Sets a key's amount, keeping the comment written after the old value.
fn set_amount(t: &mut dyn toml_edit::TableLike, key: &str, d: Decimal) {
    let mut v = number(d);
    if let Some(old) = t.get(key).and_then(Item::as_value) {
        *v.decor_mut() = old.decor().clone();
    }
    t.insert(key, Item::Value(v));
}

/// Sums of the imported rows, as `lineitems::Sums` makes them.
struct Sums {
    by_source: BTreeMap<Source, Decimal>,
    personnel: Decimal,
    public: Decimal,
    projects: Vec<(String, Decimal)>,
}

fn sums(rows: &[Row]) -> Sums {
    let mut s = Sums {
        by_source: BTreeMap::new(),
        personnel: Decimal::ZERO,
        public: Decimal::ZERO,
        projects: Vec::new(),
    };
    for r in rows {
        *s.by_source.entry(r.source).or_default() += r.amount;
        match &r.kind {
            Kind::Personnel => s.personnel += r.amount,
            Kind::Public => s.public += r.amount,
            Kind::Project(p) => match s.projects.iter_mut().find(|(n, _)| n == p) {
                Some((_, a)) => *a += r.amount,
                None => s.projects.push((p.clone(), r.amount)),
            },
        }
    }
    s
}

fn table_at<'a>(doc: &'a mut DocumentMut, path: &str) -> Option<&'a mut dyn toml_edit::TableLike> {
    let mut item = doc.as_item_mut();
    for k in path.split('.') {
        item = item.get_mut(k)?;
    }
    item.as_table_like_mut()
}

/// Rewrites the hand-written figures the items determine, where written.
fn figures(doc: &mut DocumentMut, rows: &[Row]) {
    let s = sums(rows);
    if let Some(t) = table_at(doc, "income") {
        for (path, src) in INCOME_FIGURES {
            let key = path.trim_start_matches("income.");
            if t.contains_key(key) {
                set_amount(t, key, s.by_source.get(&src).copied().unwrap_or_default());
            }
        }
        if t.contains_key("stated_total") {
            set_amount(t, "stated_total", s.by_source.values().sum());
        }
    }
    if let Some(t) = table_at(doc, "expenditure.basic") {
        for (key, v) in [
            ("personnel", s.personnel),
            ("public", s.public),
            ("stated_total", s.personnel + s.public),
        ] {
            if t.contains_key(key) {
                set_amount(t, key, v);
            }
        }
    }
    let projects: Decimal = s.projects.iter().map(|(_, a)| *a).sum();
    if let Some(t) = table_at(doc, "expenditure") {
        for (key, v) in
            [("stated_projects", projects), ("stated_total", projects + s.personnel + s.public)]
        {
            if t.contains_key(key) {
                set_amount(t, key, v);
            }
        }
    }
    project_list(doc, &s.projects);
}

/// `[[expenditure.projects]]`, where the file lists them: amounts set,
/// projects the workbook lacks removed, new ones appended.
fn project_list(doc: &mut DocumentMut, projects: &[(String, Decimal)]) {
    let Some(list) = doc
        .get_mut("expenditure")
        .and_then(|e| e.get_mut("projects"))
        .and_then(Item::as_array_of_tables_mut)
    else {
        return;
    };
    let old: Vec<Table> = list.iter().cloned().collect();
    let mut out = ArrayOfTables::new();
    let name_of =
        |t: &Table| t.get("name").and_then(Item::as_str).map(str::trim).map(str::to_string);
    for (name, amount) in projects {
        let mut t = match old.iter().find(|t| name_of(t).as_deref() == Some(name.as_str())) {
            Some(t) => t.clone(),
            None => {
                let mut t = Table::new();
                t.insert("name", toml_edit::value(name.as_str()));
                t
            }
        };
        let written = t.contains_key("amount")
            || !old.iter().any(|o| name_of(o).as_deref() == Some(name.as_str()));
        if written {
            set_amount(&mut t, "amount", *amount);
        }
        out.push(t);
    }
    if let (Some(first), Some(o)) = (out.get_mut(0), old.first()) {
        *first.decor_mut() = o.decor().clone();
    }
    *list = out;
}

fn sangong(doc: &mut DocumentMut, f: &crate::model::SangongFigures) {
    if table_at(doc, "sangong.current").is_none() {
        return;
    }
    let Some(t) = table_at(doc, "sangong.current") else { return };
    let parts = [
        ("overseas", f.overseas.0),
        ("vehicle_purchase", f.vehicle_purchase.0),
        ("vehicle_operation", f.vehicle_operation.0),
        ("reception", f.reception.0),
    ];
    for (k, v) in parts {
        set_amount(t, k, v);
    }
    if t.contains_key("stated_total") {
        set_amount(t, "stated_total", parts.iter().map(|(_, v)| *v).sum());
    }
    if t.contains_key("stated_vehicle") {
        set_amount(t, "stated_vehicle", parts[1].1 + parts[2].1);
    }
}

/// Drops the `[todo]` entries under the imported sections; an entry of a
/// line item that stayed (a unit no workbook covers) follows it to its
/// new place.
fn close_todo(doc: &mut DocumentMut, prefixes: &[&str], moved: &[(usize, usize)]) {
    let Some(list) =
        doc.get_mut("todo").and_then(|t| t.get_mut("fields")).and_then(Item::as_array_mut)
    else {
        return;
    };
    let mut keep = Vec::new();
    for v in list.iter() {
        let field = field_of(v);
        match moved_field(field, moved) {
            Some(f) => keep.push(with_field(v, &f)),
            None if prefixes.iter().any(|p| under(field, p)) => {}
            None => keep.push(v.clone()),
        }
    }
    list.clear();
    for v in keep {
        list.push_formatted(v);
    }
    if list.is_empty() {
        doc.remove("todo");
    }
}

fn field_of(v: &Value) -> &str {
    v.as_inline_table().and_then(|t| t.get("field")).and_then(Value::as_str).unwrap_or("")
}

fn with_field(v: &Value, field: &str) -> Value {
    let mut v = v.clone();
    if let Some(t) = v.as_inline_table_mut() {
        t.insert("field", field.into());
    }
    v
}

/// “line_items[7].amount” of a kept item, at its new index.
fn moved_field(field: &str, moved: &[(usize, usize)]) -> Option<String> {
    let rest = field.strip_prefix("line_items[")?;
    let (i, tail) = rest.split_once(']')?;
    let i: usize = i.parse().ok()?;
    let (_, j) = moved.iter().find(|(o, _)| *o == i)?;
    Some(format!("line_items[{j}]{tail}"))
}

fn under(field: &str, p: &str) -> bool {
    field == p || field.starts_with(&format!("{p}.")) || field.starts_with(&format!("{p}["))
}

/// `--year` stated another year: each imported amount gets an open entry,
/// so the file stays a draft until this year's figures replace them.
fn stated_year(doc: &mut DocumentMut, sections: &[&str], year: i32) {
    let amount = |_: &str, it: &Item| {
        it.as_value().is_some_and(|v| v.is_integer() || v.is_float())
            || it.as_str().is_some_and(|s| crate::model::amount::parse_amount(s).is_ok())
    };
    let keep = |path: &str, it: &Item| {
        amount(path, it) && (!path.starts_with("line_items") || path.ends_with(".amount"))
    };
    let fields = crate::model::todo::carried(doc.as_item(), sections, &keep);
    let note = format!("按 --year {year} 导入的是 {year} 年的数，改成本年的数后自动完成");
    // One comment, on the first entry: the rest follow it.
    let entries: Vec<(String, Option<String>, String)> = fields
        .into_iter()
        .enumerate()
        .map(|(k, f)| (f.field, f.was, if k == 0 { note.clone() } else { String::new() }))
        .collect();
    crate::import::settle::add_entries(doc, &entries, &format!("按 --year {year} 导入的数字"));
}
