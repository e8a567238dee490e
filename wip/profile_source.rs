//! 读取样式：profile.toml 的语法、结构与含义，错误以中文指明文件、行、列与字段。
//!
//! A profile is read like a data file: the TOML syntax first, then serde
//! into the model (one located problem), then every rule serde cannot
//! express — keys that only some layouts take, selectors, units — each
//! problem at its own field.

use std::collections::HashSet;

use crate::diag::Problem;
use crate::profile::{Layout, Profile, Selector, TableSpec};

/// Parses and checks the text of a profile.toml. Every problem found comes
/// back located; the profile only when there is no error.
pub fn parse(text: &str) -> Result<Profile, Vec<Problem>> {
    if let Err(e) = toml_edit::Document::parse(text) {
        return Err(vec![crate::load::syntax(text, &e)]);
    }
    let profile: Profile = toml::from_str(text).map_err(|e| vec![crate::load::translate(text, &e)])?;
    let mut problems = rules(&profile);
    for p in problems.iter_mut().filter(|p| p.span.is_none()) {
        p.span = crate::load::locate(text, &p.field).or(Some(0..0));
    }
    if problems.iter().any(Problem::is_error) { Err(problems) } else { Ok(profile) }
}

/// The rules serde cannot state.
fn rules(p: &Profile) -> Vec<Problem> {
    let mut out = Vec::new();
    if p.name.trim().is_empty() {
        out.push(Problem::error("name", "样式名不能为空"));
    }
    if p.numbers.text.unit != crate::profile::MoneyUnit::Wan {
        out.push(
            Problem::error("numbers.text.unit", "正文中的金额只能以万元表述")
                .expected("unit = \"万元\""),
        );
    }
    for (key, d) in [("numbers.text.decimals", p.numbers.text.decimals), ("numbers.table.decimals", p.numbers.table.decimals)] {
        if d > 2 {
            out.push(Problem::error(key, format!("小数位数 {d} 太多")).expected("0、1 或 2"));
        }
    }
    unique(&mut out, "parts", p.parts.iter().map(|x| x.id.as_str()));
    unique(&mut out, "tables", p.tables.iter().map(|x| x.id.as_str()));
    for (i, part) in p.parts.iter().enumerate() {
        for (k, r) in part.requires.iter().enumerate() {
            if !field_path(r) {
                out.push(
                    Problem::error(format!("parts[{i}].requires[{k}]"), format!("“{r}”不是字段路径"))
                        .expected("如 procurement.sme_reserved、assets.as_of"),
                );
            }
        }
    }
    for (i, t) in p.tables.iter().enumerate() {
        table_rules(&mut out, &format!("tables[{i}]"), t);
    }
    out
}

/// Ids must be unique within parts and within tables.
fn unique<'a>(out: &mut Vec<Problem>, list: &str, ids: impl Iterator<Item = &'a str>) {
    let mut seen = HashSet::new();
    for (i, id) in ids.enumerate() {
        if id.trim().is_empty() {
            out.push(Problem::error(format!("{list}[{i}].id"), "id 不能为空"));
        } else if !seen.insert(id) {
            out.push(Problem::error(format!("{list}[{i}].id"), format!("id“{id}”重复")));
        }
    }
}

/// `a.b_c`, `a.b`: what a data file's field path looks like.
fn field_path(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|seg| {
            !seg.is_empty() && seg.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
}

/// What each layout needs, and keys it does not take.
fn table_rules(out: &mut Vec<Problem>, at: &str, t: &TableSpec) {
    if t.decimals.is_some_and(|d| d > 2) {
        out.push(Problem::error(format!("{at}.decimals"), "小数位数太多").expected("0、1 或 2"));
    }
    if let Some(f) = &t.filter {
        selector_rule(out, &format!("{at}.filter"), f, false);
    }
    match t.layout {
        Layout::Form143 => match t.form {
            Some(1..=9) => {}
            _ => out.push(
                Problem::error(format!("{at}.form"), "form143 表样要写表样序号 form")
                    .expected("1—9，依次为收支总表、收入总表……国有资本经营预算支出表"),
            ),
        },
        Layout::Classified | Layout::Figures => {
            if t.columns.is_empty() {
                out.push(Problem::error(format!("{at}.columns"), "这张表没有金额列").expected("columns = [{ label = \"合计\", sum = \"all\" }, …]"));
            }
            let figures = t.layout == Layout::Figures;
            for (k, c) in t.columns.iter().enumerate() {
                selector_rule(out, &format!("{at}.columns[{k}].sum"), &c.sum, figures);
            }
        }
        Layout::Ledger => {
            if t.income.is_empty() {
                out.push(Problem::error(format!("{at}.income"), "收支总表没有收入栏").expected("income = [{ label = \"一、财政拨款收入\", sum = \"appropriation\" }, …]"));
            }
            for (k, l) in t.income.iter().enumerate() {
                selector_rule(out, &format!("{at}.income[{k}].sum"), &l.sum, false);
            }
            let (key, cols) = if t.spending.is_empty() { ("columns", &t.columns) } else { ("spending", &t.spending) };
            if cols.is_empty() {
                out.push(Problem::error(format!("{at}.spending"), "收支总表没有支出栏的列").expected("spending = [{ label = \"预算数\", sum = \"all\" }]"));
            }
            for (k, c) in cols.iter().enumerate() {
                selector_rule(out, &format!("{at}.{key}[{k}].sum"), &c.sum, false);
            }
        }
    }
}

/// A selector must parse, and name figures exactly where figures go.
fn selector_rule(out: &mut Vec<Problem>, at: &str, s: &str, figures: bool) {
    match Selector::parse(s) {
        Err(why) => out.push(
            Problem::error(at, format!("{why}")).expected(crate::profile::SELECTOR_WORDS),
        ),
        Ok(sel) if figures && sel.figure().is_none() => out.push(
            Problem::error(at, format!("figures 表样的列只能是一项数字，“{s}”不是"))
                .expected("sangong、sangong.overseas、sangong.reception、sangong.vehicle、sangong.vehicle_purchase、sangong.vehicle_operation、operating"),
        ),
        Ok(sel) if !figures && sel.has_figure() => out.push(
            Problem::error(at, format!("“{s}”是正文中的数字，只能用在 figures 表样中"))
                .expected(crate::profile::SELECTOR_WORDS),
        ),
        Ok(_) => {}
    }
}
