//! 结构核对：对照 `model::fields` 走一遍解析后的文档，一次报出每个未知键、缺少的字段与类型错误。
//!
//! Serde stops at the first problem it meets. This walk over the parsed
//! document reports every unknown key, missing field and wrong type of a file
//! in one run, each at its own line and column. The field tables are
//! `model::fields`; the tests here compare them with the model's own serde
//! field lists, so the two cannot drift apart unnoticed.

use std::ops::Range;

use serde::Deserialize;
use toml_edit::{Item, TableLike, Value};

use crate::diag::{Problem, did_you_mean};
use crate::model::amount::Amount;
use crate::model::fields::Kind::{Amount as Money, Bool, Date, Int, List, Table, Text};
use crate::model::fields::{BUDGET, Field, Kind};

/// What the walk found.
#[derive(Debug, Default)]
pub struct Findings {
    /// Unknown keys, missing fields, wrong types: the model cannot be built.
    pub structure: Vec<Problem>,
    /// Well-formed but unusable content (a required text left blank); the
    /// model can still be built and checked.
    pub content: Vec<Problem>,
}

/// Walks a parsed document against [`BUDGET`].
pub fn walk<S: AsRef<str>>(doc: &toml_edit::Document<S>) -> Findings {
    let mut w = Walker { text: doc.raw(), found: Findings::default() };
    w.table(doc.as_table(), Some(0..0), BUDGET, "");
    w.found
}

struct Walker<'a> {
    text: &'a str,
    found: Findings,
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_string() } else { format!("{path}.{key}") }
}

impl Walker<'_> {
    /// Checks the keys of one table, then each value. `anchor` is where a
    /// missing key is reported: the table's header or opening brace.
    fn table(
        &mut self,
        t: &dyn TableLike,
        anchor: Option<Range<usize>>,
        fields: &[Field],
        path: &str,
    ) {
        for (key, item) in t.iter() {
            if item.is_none() {
                continue;
            }
            let span = t.key(key).and_then(|k| k.span());
            match fields.iter().find(|f| f.key == key) {
                Some(f) => self.item(item, f, &join(path, key)),
                None => self.unknown(key, span, fields, path),
            }
        }
        // Implicit tables (only `[a.b]` written, never `[a]`) have no span of
        // their own: point at their first key instead.
        let anchor = anchor.or_else(|| t.iter().find_map(|(_, i)| i.span()));
        for f in fields.iter().filter(|f| f.required && t.get(f.key).is_none_or(Item::is_none)) {
            self.missing(f, anchor.clone(), path);
        }
    }

    fn item(&mut self, item: &Item, f: &Field, path: &str) {
        match (item, f.kind) {
            (Item::Value(v), _) => self.value(v, f, f.kind, path),
            (Item::Table(t), Table(fields)) => self.table(t, table_anchor(t.span()), fields, path),
            (Item::ArrayOfTables(a), List(Table(fields))) => {
                for (n, t) in a.iter().enumerate() {
                    self.table(t, table_anchor(t.span()), fields, &format!("{path}[{n}]"));
                }
            }
            _ => {
                let found =
                    if matches!(item, Item::Table(_)) { "一张表" } else { "表的数组" };
                self.wrong(f, f.kind, path, item.span(), found);
            }
        }
    }

    fn value(&mut self, v: &Value, f: &Field, kind: Kind, path: &str) {
        match (v, kind) {
            (Value::InlineTable(t), Table(fields)) => {
                self.table(t, table_anchor(t.span()), fields, path);
            }
            (Value::Array(a), List(inner)) => {
                for (n, v) in a.iter().enumerate() {
                    self.value(v, f, *inner, &format!("{path}[{n}]"));
                }
            }
            (Value::String(s), Text) => self.text_value(s.value(), f, path, v.span()),
            (_, Text | Int | Money | Date | Bool) => {
                let raw = v.span().and_then(|s| self.text.get(s)).unwrap_or("");
                match scalar_fits(v, kind, raw) {
                    Ok(()) => {}
                    Err(Some(why)) => {
                        let p = Problem::error(path, why)
                            .expected(expectation(f.key, kind))
                            .at_opt(v.span());
                        self.found.structure.push(p);
                    }
                    Err(None) => self.wrong(f, kind, path, v.span(), found_name(v)),
                }
            }
            _ => self.wrong(f, kind, path, v.span(), found_name(v)),
        }
    }

    fn text_value(&mut self, s: &str, f: &Field, path: &str, span: Option<Range<usize>>) {
        if let Some(p) = unprintable(s, path, span.clone()) {
            self.found.content.push(p);
        }
        // Blank required text would print as an empty cell or a sentence
        // with a hole in it.
        if f.required && s.trim().is_empty() && matches!(f.kind, Text) {
            let p = Problem::error(path, format!("“{}”（{}）不能为空", f.label, f.key))
                .expected(format!("填写{}", f.label))
                .at_opt(span);
            self.found.content.push(p);
        }
    }

    fn unknown(&mut self, key: &str, span: Option<Range<usize>>, fields: &[Field], path: &str) {
        let names: Vec<&str> = fields.iter().map(|f| f.key).collect();
        let mut message = format!("未知字段“{key}”");
        if let Some(best) = did_you_mean(key, &names) {
            let label = fields.iter().find(|f| f.key == best).map_or("", |f| f.label);
            message.push_str(&format!("，是否想写“{best}”（{label}）？"));
        } else if let Some(home) = home_of(key, BUDGET, "").filter(|h| h != &join(path, key)) {
            message.push_str(&format!("；这个字段属于 [{}]", parent_of(&home)));
        }
        let known: Vec<String> =
            fields.iter().map(|f| format!("{}（{}）", f.key, f.label)).collect();
        let where_ = if path.is_empty() {
            "文件顶层".to_string()
        } else {
            format!("{} ", crate::diag::toml_table(path))
        };
        let p = Problem::error(join(path, key), message)
            .expected(format!("{where_}中可用的字段：{}", known.join("、")))
            .at_opt(span);
        self.found.structure.push(p);
    }

    fn missing(&mut self, f: &Field, anchor: Option<Range<usize>>, path: &str) {
        let where_ = if path.is_empty() {
            "文件中".to_string()
        } else {
            format!("{} 中", crate::diag::toml_table(path))
        };
        let p =
            Problem::error(join(path, f.key), format!("缺少必填字段“{}”（{}）", f.key, f.label))
                .expected(format!("{where_}写上 {}", example(f.key, f.kind, path)))
                .at_opt(anchor);
        self.found.structure.push(p);
    }

    fn wrong(
        &mut self,
        f: &Field,
        kind: Kind,
        path: &str,
        span: Option<Range<usize>>,
        found: &str,
    ) {
        let raw = span.clone().and_then(|s| self.text.get(s)).unwrap_or("");
        let element = path.ends_with(']');
        let expected = match (kind, found) {
            (Text, "整数" | "小数") if element => format!("文字，加双引号：\"{raw}\""),
            (Text, "整数" | "小数") => format!("文字，加双引号：{} = \"{raw}\"", f.key),
            (List(Text), "文字") => format!("数组，用方括号括起来：{} = [{raw}]", f.key),
            (Date, "文字") => {
                format!("日期，去掉引号：{} = {}", f.key, raw.trim_matches(['"', '\'']))
            }
            _ => expectation(f.key, kind),
        };
        let p =
            Problem::error(path, format!("“{}”（{}）类型不对：这里写的是{found}", f.label, f.key))
                .expected(expected)
                .at_opt(span);
        self.found.structure.push(p);
    }
}

/// A table header span `[a.b]` is short; an inline table's span covers all
/// of `{ … }`, so only its opening brace is marked.
/// Most UTF-16 units a text may have: an xlsx cell holds 32767, and a
/// cell prints at most one text behind a short label (“编制部门：”). Longer
/// text would pass the PDF and fail `--xlsx`, so `check` refuses it.
pub const MAX_TEXT_UNITS: usize = 32_000;

/// A control character (escaped `\u0000` as much as raw), or a text too
/// long for a spreadsheet cell. Tab and line feed print as spaces.
fn unprintable(s: &str, path: &str, span: Option<Range<usize>>) -> Option<Problem> {
    if let Some(c) = s.chars().find(|c| c.is_control() && !matches!(c, '\t' | '\n')) {
        let p = Problem::error(path, format!("文字中有控制字符 U+{:04X}，印不出来", c as u32))
            .expected("删去该字符（也不要写成 \\u0000 这样的转义）");
        return Some(p.at_opt(span));
    }
    let units = s.encode_utf16().count();
    (units > MAX_TEXT_UNITS).then(|| {
        Problem::error(path, format!("文字过长：{units} 个字符（UTF-16 单位）"))
            .expected(format!(
                "不超过 {MAX_TEXT_UNITS} 个字符（Excel 单元格最多 32767 个字符，附表要写入单元格）"
            ))
            .at_opt(span)
    })
}

fn table_anchor(span: Option<Range<usize>>) -> Option<Range<usize>> {
    span.map(|s| s.start..(s.start + 1).min(s.end.max(s.start + 1)))
}

/// Whether a scalar fits: `Err(None)` for the wrong type, `Err(Some(why))`
/// for the right type with an unusable value. `raw` is the literal as written.
fn scalar_fits(v: &Value, kind: Kind, raw: &str) -> Result<(), Option<String>> {
    match (kind, v) {
        (Text, Value::String(_)) | (Bool, Value::Boolean(_)) => Ok(()),
        (Int, Value::Integer(i)) => i32::try_from(*i.value())
            .map(drop)
            .map_err(|_| Some(format!("整数 {} 超出范围", i.value()))),
        (Date, Value::Datetime(d)) if d.value().date.is_some() => Ok(()),
        (Money, Value::Float(_)) => {
            let a = amount_of(v).map_err(Some)?;
            float_is_exact(a, raw).map_err(Some)
        }
        (Money, Value::Integer(_) | Value::String(_)) => amount_of(v).map(drop).map_err(Some),
        _ => Err(None),
    }
}

/// The model reads a TOML float through f64; a literal with more digits than
/// f64 keeps would silently become another number.
fn float_is_exact(read: Amount, raw: &str) -> Result<(), String> {
    match crate::model::amount::parse_amount(raw) {
        Ok(exact) if exact != read => Err(format!(
            "金额 {raw} 位数过多，按小数读取会变成 {read}；请写成带引号的字符串：\"{raw}\""
        )),
        _ => Ok(()),
    }
}

/// Parses an amount exactly as the model does, so the walk and serde agree.
fn amount_of(v: &Value) -> Result<Amount, String> {
    let value = match v {
        Value::Integer(i) => toml::Value::Integer(*i.value()),
        Value::Float(f) => toml::Value::Float(*f.value()),
        Value::String(s) => toml::Value::String(s.value().clone()),
        _ => return Err(String::new()),
    };
    Amount::deserialize(value).map_err(|e| e.message().to_string())
}

fn found_name(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "文字",
        Value::Integer(_) => "整数",
        Value::Float(_) => "小数",
        Value::Boolean(_) => "布尔值（true/false）",
        Value::Datetime(d) if d.value().date.is_none() => "时刻（没有日期）",
        Value::Datetime(_) => "日期",
        Value::Array(_) => "数组",
        Value::InlineTable(_) => "表",
    }
}

/// What a key should hold, in words.
fn expectation(key: &str, kind: Kind) -> String {
    match kind {
        Text => format!("文字，加双引号，如 {key} = \"……\""),
        Int => format!("整数，如 {key} = 2021"),
        Money => format!("金额（单位万元的数字），如 {key} = 1193.26"),
        Date => format!("日期，不加引号，如 {key} = 2020-12-31"),
        Bool => format!("true 或 false，如 {key} = true"),
        List(Text) => format!("文字数组，如 {key} = [\"……\", \"……\"]"),
        List(_) => format!("表的数组：每项一个 [[{key}]] 表，或 {key} = [ {{ … }}, {{ … }} ]"),
        Table(_) => format!("一张表：[{key}] 或 {key} = {{ … }}"),
    }
}

/// A line to add for a missing key.
fn example(key: &str, kind: Kind, path: &str) -> String {
    match kind {
        Table(_) => format!("[{}]", join(path, key)),
        List(Table(_)) => format!("[[{}]]", join(path, key)),
        Text => format!("{key} = \"……\""),
        Int => format!("{key} = 2021"),
        Money => format!("{key} = 0"),
        Date => format!("{key} = 2020-12-31"),
        Bool => format!("{key} = false"),
        List(_) => format!("{key} = [\"……\"]"),
    }
}

/// Where in the schema a key is defined, for a key written in the wrong table.
fn home_of(key: &str, fields: &[Field], path: &str) -> Option<String> {
    for f in fields {
        let here = join(path, f.key);
        if f.key == key {
            return Some(here);
        }
        let inner: &[Field] = match f.kind {
            Table(inner) => inner,
            List(Table(inner)) => inner,
            _ => continue,
        };
        if let Some(found) = home_of(key, inner, &here) {
            return Some(found);
        }
    }
    None
}

fn parent_of(path: &str) -> &str {
    path.rsplit_once('.').map_or("", |(p, _)| p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk_text(t: &str) -> Findings {
        walk(&toml_edit::Document::parse(t.to_string()).unwrap())
    }

    fn sample() -> String {
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/101001-2021.toml"))
            .unwrap()
    }

    #[test]
    fn the_sample_fits_the_schema() {
        let f = walk_text(&sample());
        assert!(f.structure.is_empty() && f.content.is_empty(), "{f:?}");
    }

    #[test]
    fn every_unknown_key_is_reported_with_a_suggestion() {
        let t = sample()
            .replace("personnel = 1193.26", "personel = 1193.26")
            .replace("[income]", "[income]\ngeneral = 1")
            .replace("year = 2021", "yaer = 2021");
        let f = walk_text(&t);
        let msgs: Vec<&str> = f.structure.iter().map(|p| p.message.as_str()).collect();
        assert!(
            msgs.contains(&"未知字段“personel”，是否想写“personnel”（人员经费）？"),
            "{msgs:?}"
        );
        assert!(msgs.contains(&"未知字段“yaer”，是否想写“year”（预算年度）？"), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("未知字段“general”")), "{msgs:?}");
        // personnel itself may be left out: the sample's line items give it
        // (`lineitems::check` requires it of files without line items).
        assert!(msgs.contains(&"缺少必填字段“year”（预算年度）"), "{msgs:?}");
        assert_eq!(f.structure.len(), 4, "{msgs:?}");
    }

    #[test]
    fn a_key_in_the_wrong_table_names_its_table() {
        let t = sample().replace("[income]", "[income]\nvehicle_purchase = 1");
        let f = walk_text(&t);
        assert!(
            f.structure[0].message.ends_with("这个字段属于 [sangong.current]"),
            "{:?}",
            f.structure
        );
    }

    #[test]
    fn wrong_types_say_what_was_expected() {
        let t = sample()
            .replace("code = \"101001\"\nlegal", "code = 101001\nlegal")
            .replace("personnel = 1193.26", "personnel = \"一千\"")
            .replace("as_of = 2020-12-31", "as_of = \"2020-12-31\"");
        let f = walk_text(&t);
        let got: Vec<(&str, &str)> = f
            .structure
            .iter()
            .map(|p| (p.field.as_str(), p.expected.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            got,
            [
                ("document.code", "文字，加双引号：code = \"101001\""),
                ("expenditure.basic.personnel", "金额（单位万元的数字），如 personnel = 1193.26"),
                ("assets.as_of", "日期，去掉引号：as_of = 2020-12-31"),
            ]
        );
    }

    #[test]
    fn blank_required_text_is_content_not_structure() {
        let t = sample().replace("nature = \"行政\"", "nature = \"  \"");
        let f = walk_text(&t);
        assert!(f.structure.is_empty());
        assert_eq!(f.content[0].field, "units[0].nature");
    }

    /// The keys serde accepts for `T`, read from its unknown-field error.
    fn serde_keys<T: serde::de::DeserializeOwned>() -> Vec<String> {
        let e = toml::from_str::<T>("zz_probe = 0").err().expect("probe is refused");
        let msg = e.message().to_string();
        let (_, known) = msg.split_once("expected").expect(&msg);
        let mut keys: Vec<String> =
            known.split('`').skip(1).step_by(2).map(str::to_string).collect();
        keys.sort();
        keys
    }

    fn schema_keys(fields: &[Field]) -> Vec<String> {
        let mut keys: Vec<String> = fields.iter().map(|f| f.key.to_string()).collect();
        keys.sort();
        keys
    }

    #[test]
    fn every_model_field_is_in_the_schema() {
        use crate::model as m;
        use crate::model::fields::*;
        let pairs: Vec<(&str, Vec<String>, &[Field])> = vec![
            ("Budget", serde_keys::<m::Budget>(), BUDGET),
            ("Document", serde_keys::<m::Document>(), DOCUMENT),
            ("Duties", serde_keys::<m::Duties>(), DUTIES),
            ("Unit", serde_keys::<m::Unit>(), UNIT),
            ("Income", serde_keys::<m::Income>(), INCOME),
            ("Expenditure", serde_keys::<m::Expenditure>(), EXPENDITURE),
            ("Basic", serde_keys::<m::Basic>(), BASIC),
            ("ProjectLine", serde_keys::<m::ProjectLine>(), PROJECT_LINE),
            ("Previous", serde_keys::<m::Previous>(), PREVIOUS),
            ("StatedChanges", serde_keys::<m::StatedChanges>(), STATED_CHANGES),
            ("OperatingCosts", serde_keys::<m::OperatingCosts>(), OPERATING_COSTS),
            ("Sangong", serde_keys::<m::Sangong>(), SANGONG),
            ("SangongFigures", serde_keys::<m::SangongFigures>(), SANGONG_FIGURES),
            ("SangongReasons", serde_keys::<m::SangongReasons>(), SANGONG_REASONS),
            ("Performance", serde_keys::<m::Performance>(), PERFORMANCE),
            ("Overall", serde_keys::<m::Overall>(), OVERALL),
            ("Target", serde_keys::<m::Target>(), TARGET),
            ("ProjectTable", serde_keys::<m::ProjectTable>(), PROJECT_TABLE),
            ("Indicator", serde_keys::<m::Indicator>(), INDICATOR),
            ("Procurement", serde_keys::<m::Procurement>(), PROCUREMENT),
            ("Assets", serde_keys::<m::Assets>(), ASSETS),
            ("Holding", serde_keys::<m::Holding>(), HOLDING),
            ("FundFigures", serde_keys::<m::FundFigures>(), FUND_FIGURES),
            ("Coverage", serde_keys::<m::Coverage>(), COVERAGE),
            ("VehicleCount", serde_keys::<m::VehicleCount>(), VEHICLE_COUNT),
            ("AppropriationNote", serde_keys::<m::AppropriationNote>(), APPROPRIATION_NOTE),
            ("ProjectDetail", serde_keys::<m::ProjectDetail>(), PROJECT_DETAIL),
            ("Term", serde_keys::<m::Term>(), TERM),
            ("LineItem", serde_keys::<m::LineItem>(), LINE_ITEM),
            ("Todo", serde_keys::<m::todo::Todo>(), TODO),
            ("TodoField", serde_keys::<m::todo::TodoField>(), TODO_FIELD),
        ];
        for (name, model, schema) in pairs {
            assert_eq!(model, schema_keys(schema), "schema and model differ for {name}");
        }
    }

    /// Removing a key the sample has must fail in serde exactly when the
    /// schema calls it required.
    #[test]
    fn required_means_required_in_the_model() {
        let doc: toml::Table = toml::from_str(&sample()).unwrap();
        let mut checked = 0;
        each_table(&toml::Value::Table(doc.clone()), BUDGET, &mut |path, key, required| {
            let mut d = toml::Value::Table(doc.clone());
            remove_at(&mut d, path, key);
            let text = toml::to_string(&d).unwrap();
            let ok = toml::from_str::<crate::model::Budget>(&text).is_ok();
            assert_eq!(ok, !required, "{path:?}.{key}: required = {required}");
            checked += 1;
        });
        assert!(checked > 60, "only {checked} keys checked");
    }

    /// Calls `f` for each key present in the sample (first element of arrays).
    fn each_table(v: &toml::Value, fields: &[Field], f: &mut dyn FnMut(&[String], &str, bool)) {
        fn go(
            v: &toml::Value,
            fields: &[Field],
            at: &mut Vec<String>,
            f: &mut dyn FnMut(&[String], &str, bool),
        ) {
            for field in fields {
                let Some(child) = v.get(field.key) else { continue };
                f(at, field.key, field.required);
                let (inner, child) = match (field.kind, child) {
                    (Table(inner), c) => (inner, c),
                    (List(Table(inner)), toml::Value::Array(a)) if !a.is_empty() => (*inner, &a[0]),
                    _ => continue,
                };
                at.push(field.key.to_string());
                go(child, inner, at, f);
                at.pop();
            }
        }
        go(v, fields, &mut Vec::new(), f);
    }

    fn remove_at(v: &mut toml::Value, path: &[String], key: &str) {
        let mut cur = v;
        for seg in path {
            cur = cur.get_mut(seg.as_str()).unwrap();
            if let toml::Value::Array(a) = cur {
                cur = &mut a[0];
            }
        }
        cur.as_table_mut().unwrap().remove(key);
    }
}
