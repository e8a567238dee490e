//! 读取样式：随程序提供的样式，与 profile.toml 的语法、结构与含义；错误以中文指明
//! 文件、行、列与字段。
//!
//! A profile is read like a data file: the TOML syntax first, then serde
//! into the model (one located problem), then every rule serde cannot
//! express — keys that only some layouts take, selectors, units — each
//! problem at its own field.

use std::collections::HashSet;

use crate::diag::Problem;
use crate::model::profile::{
    DocumentKind, Layout, MoneyUnit, Profile, SELECTOR_WORDS, Selector, TableSpec,
};

/// Parses and checks the text of a profile.toml. Every problem found comes
/// back located; the profile only when there is no error.
pub fn parse(text: &str) -> Result<Profile, Vec<Problem>> {
    if let Err(e) = toml_edit::Document::parse(text) {
        return Err(vec![crate::source::syntax(text, &e)]);
    }
    let profile: Profile =
        toml::from_str(text).map_err(|e| vec![crate::source::translate(text, &e)])?;
    let mut problems = rules(&profile);
    for p in problems.iter_mut().filter(|p| p.span.is_none()) {
        p.span = crate::source::locate(text, &p.field).or(Some(0..0));
    }
    if problems.iter().any(Problem::is_error) { Err(problems) } else { Ok(profile) }
}

/// The rules serde cannot state.
fn rules(p: &Profile) -> Vec<Problem> {
    let mut out = Vec::new();
    if p.name.trim().is_empty() {
        out.push(Problem::error("name", "样式名不能为空"));
    }
    if p.numbers.text.unit != MoneyUnit::Wan {
        out.push(
            Problem::error("numbers.text.unit", "正文中的金额只能以万元表述")
                .expected("unit = \"万元\""),
        );
    }
    for (key, d) in [
        ("numbers.text.decimals", p.numbers.text.decimals),
        ("numbers.table.decimals", p.numbers.table.decimals),
    ] {
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
                    Problem::error(
                        format!("parts[{i}].requires[{k}]"),
                        format!("“{r}”不是字段路径"),
                    )
                    .expected("如 procurement.sme_reserved、assets.as_of"),
                );
            }
        }
    }
    for (i, t) in p.tables.iter().enumerate() {
        table_rules(&mut out, &format!("tables[{i}]"), t);
        kind_rule(&mut out, &format!("tables[{i}].layout"), p.document, t.layout);
    }
    out
}

/// The 决算 forms read 决算 figures, which only a 决算 has; the budget's
/// layouts read line items, which both kinds have.
fn kind_rule(out: &mut Vec<Problem>, at: &str, kind: DocumentKind, layout: Layout) {
    if layout == Layout::Final && kind != DocumentKind::Final {
        out.push(
            Problem::error(at, "final 表样只能用于部门决算的样式")
                .expected("document = \"final\"，或换用 classified、ledger、figures、form143"),
        );
    }
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
            !seg.is_empty()
                && seg.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
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
        Layout::Final => match t.form {
            Some(1..=9) => {}
            _ => out.push(
                Problem::error(format!("{at}.form"), "final 表样要写表样序号 form")
                    .expected("1—9，依次为收入支出决算总表、收入决算表……国有资本经营预算财政拨款收入支出决算表"),
            ),
        },
        Layout::Form143 => match t.form {
            Some(1..=9) => {}
            _ => out.push(
                Problem::error(format!("{at}.form"), "form143 表样要写表样序号 form")
                    .expected("1—9，依次为收支总表、收入总表……国有资本经营预算支出表"),
            ),
        },
        Layout::Classified | Layout::Figures => {
            if t.columns.is_empty() {
                out.push(
                    Problem::error(format!("{at}.columns"), "这张表没有金额列")
                        .expected("columns = [{ label = \"合计\", sum = \"all\" }, …]"),
                );
            }
            let figures = t.layout == Layout::Figures;
            for (k, c) in t.columns.iter().enumerate() {
                selector_rule(out, &format!("{at}.columns[{k}].sum"), &c.sum, figures);
            }
        }
        Layout::Ledger => {
            if t.income.is_empty() {
                out.push(Problem::error(format!("{at}.income"), "收支总表没有收入栏").expected(
                    "income = [{ label = \"一、财政拨款收入\", sum = \"appropriation\" }, …]",
                ));
            }
            for (k, l) in t.income.iter().enumerate() {
                selector_rule(out, &format!("{at}.income[{k}].sum"), &l.sum, false);
            }
            let (key, cols) = if t.spending.is_empty() {
                ("columns", &t.columns)
            } else {
                ("spending", &t.spending)
            };
            if cols.is_empty() {
                out.push(
                    Problem::error(format!("{at}.spending"), "收支总表没有支出栏的列")
                        .expected("spending = [{ label = \"预算数\", sum = \"all\" }]"),
                );
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
            Problem::error(at, why).expected(SELECTOR_WORDS),
        ),
        Ok(sel) if figures && sel.figure().is_none() => out.push(
            Problem::error(at, format!("figures 表样的列只能是一项数字，“{s}”不是"))
                .expected("sangong、sangong.overseas、sangong.reception、sangong.vehicle、sangong.vehicle_purchase、sangong.vehicle_operation、operating"),
        ),
        Ok(sel) if !figures && sel.has_figure() => out.push(
            Problem::error(at, format!("“{s}”是正文中的数字，只能用在 figures 表样中"))
                .expected(SELECTOR_WORDS),
        ),
        Ok(_) => {}
    }
}

// ---------------------------------------------------------------------------
// The bundled profiles: each a set of files (profile.toml and templates),
// compiled into the binary so yusuan works from any folder.

/// The default profile's files: the shipped `templates/` folder.
pub const HEBEI: &[(&str, &str)] = &[
    ("main.typ", include_str!("../../templates/main.typ")),
    ("style.typ", include_str!("../../templates/style.typ")),
    ("units.typ", include_str!("../../templates/units.typ")),
    ("budget.typ", include_str!("../../templates/budget.typ")),
    ("sangong.typ", include_str!("../../templates/sangong.typ")),
    ("overall.typ", include_str!("../../templates/overall.typ")),
    ("perf-table.typ", include_str!("../../templates/perf-table.typ")),
    ("procurement.typ", include_str!("../../templates/procurement.typ")),
    ("assets.typ", include_str!("../../templates/assets.typ")),
    ("glossary.typ", include_str!("../../templates/glossary.typ")),
    ("attached-tables.typ", include_str!("../../templates/attached-tables.typ")),
    ("breaks.typ", include_str!("../../templates/breaks.typ")),
    ("profile.toml", include_str!("../../templates/profile.toml")),
    ("final/profile.toml", include_str!("../../templates/final/profile.toml")),
    ("final/main.typ", include_str!("../../templates/final/main.typ")),
    ("final/narrative.typ", include_str!("../../templates/final/narrative.typ")),
];

/// The Shanghai-style profile's files, by path relative to its folder.
pub const SHANGHAI: &[(&str, &str)] = &[
    ("profile.toml", include_str!("../../profiles/shanghai/profile.toml")),
    ("main.typ", include_str!("../../profiles/shanghai/main.typ")),
    ("style.typ", include_str!("../../profiles/shanghai/style.typ")),
    ("parts.typ", include_str!("../../profiles/shanghai/parts.typ")),
    ("tables.typ", include_str!("../../profiles/shanghai/tables.typ")),
];

/// Every bundled profile, the default first.
pub const BUNDLED: &[(&str, &[(&str, &str)])] = &[
    (crate::model::profile::DEFAULT_NAME, HEBEI),
    ("shanghai", SHANGHAI),
    (crate::model::profile::FINAL_NAME, HEBEI),
];

/// The files of a bundled profile.
pub fn bundled_files(name: &str) -> Option<&'static [(&'static str, &'static str)]> {
    BUNDLED.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

/// The profile.toml of a bundled profile within its files: the 决算
/// profile shares the templates folder (style.typ, breaks.typ) with the
/// default and keeps its own files in `final/`.
pub fn profile_file(name: &str) -> &'static str {
    if name == crate::model::profile::FINAL_NAME { "final/profile.toml" } else { "profile.toml" }
}

/// Whether a bundled profile's files are the templates folder, which
/// `--templates` or a `templates/` folder here replaces.
pub fn uses_templates_folder(name: &str) -> bool {
    [crate::model::profile::DEFAULT_NAME, crate::model::profile::FINAL_NAME].contains(&name)
}

/// The names of the bundled profiles, for messages: “hebei、shanghai”.
pub fn bundled_names() -> String {
    BUNDLED.iter().map(|(n, _)| *n).collect::<Vec<_>>().join("、")
}

/// The profile.toml text of a bundled profile.
pub fn bundled_text(name: &str, files: &[(&'static str, &'static str)]) -> &'static str {
    let wanted = profile_file(name);
    files.iter().find(|(k, _)| *k == wanted).map_or(crate::model::profile::DEFAULT_TEXT, |(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_profile_parses_and_has_its_main() {
        for (name, files) in BUNDLED {
            let p = parse(bundled_text(name, files)).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert_eq!(p.name, *name);
            assert!(files.iter().any(|(k, _)| *k == p.main), "{name} has its main template");
        }
    }

    /// Each embedded list must name every file of its folder, with the
    /// same text.
    #[test]
    fn bundled_lists_match_their_folders() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for (dir, list) in [("templates", HEBEI), ("profiles/shanghai", SHANGHAI)] {
            let mut disk = files_below(&root.join(dir), "");
            let mut listed: Vec<String> = list.iter().map(|(k, _)| k.to_string()).collect();
            disk.sort();
            listed.sort();
            assert_eq!(disk, listed, "{dir}");
            for (k, v) in list {
                let text = std::fs::read_to_string(root.join(dir).join(k)).unwrap();
                assert_eq!(text, *v, "{dir}/{k} differs from the embedded copy");
            }
        }
    }

    /// Every file below `dir`, by its path relative to it (`final/main.typ`).
    fn files_below(dir: &std::path::Path, prefix: &str) -> Vec<String> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let name = format!("{prefix}{}", e.file_name().to_string_lossy());
            if e.file_type().unwrap().is_dir() {
                out.extend(files_below(&e.path(), &format!("{name}/")));
            } else {
                out.push(name);
            }
        }
        out
    }

    fn problems(text: &str) -> Vec<crate::diag::Problem> {
        parse(text).err().unwrap_or_default()
    }

    #[test]
    fn mistakes_are_located_at_their_field() {
        let base = crate::model::profile::DEFAULT_TEXT;
        let bad = base.replacen("form = 3", "form = 12", 1);
        let p = problems(&bad);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].field, "tables[2].form");
        let at = p[0].span.clone().unwrap();
        assert_eq!(&bad[at], "12");
        let unknown =
            base.replacen("layout = \"form143\"\nform = 1", "layout = \"form144\"\nform = 1", 1);
        assert!(!problems(&unknown).is_empty(), "an unknown layout is refused");
        let typo = base.replacen("title = \"部门收入总表\"", "titel = \"部门收入总表\"", 1);
        assert!(problems(&typo)[0].message.contains("titel"));
    }

    #[test]
    fn final_forms_belong_to_a_final_profile() {
        let fin = bundled_text(crate::model::profile::FINAL_NAME, HEBEI);
        assert!(parse(fin).is_ok());
        let p = problems(&fin.replacen("document = \"final\"", "document = \"budget\"", 1));
        assert!(p[0].message.contains("final 表样只能用于部门决算"), "{p:?}");
        assert_eq!(p[0].field, "tables[0].layout");
        let p = problems(&fin.replacen("form = 7", "form = 12", 1));
        assert!(p[0].message.contains("表样序号"), "{p:?}");
    }

    #[test]
    fn selectors_are_checked_by_layout() {
        let sh = SHANGHAI[0].1;
        let p = problems(&sh.replacen("sum = \"事业收入\"", "sum = \"事业收人\"", 1));
        assert!(p[0].message.contains("不认识“事业收人”"), "{p:?}");
        let p = problems(&sh.replacen("sum = \"sangong.overseas\"", "sum = \"basic\"", 1));
        assert!(p[0].message.contains("figures"), "{p:?}");
        let p = problems(&sh.replacen("sum = \"all\"", "sum = \"operating\"", 1));
        assert!(p[0].message.contains("只能用在 figures"), "{p:?}");
        let p = problems(&sh.replacen("id = \"income\"", "id = \"overview\"", 1));
        assert!(p[0].message.contains("重复"), "{p:?}");
        let p =
            problems(&sh.replacen("requires = [\"project_details\"]", "requires = [\"项目\"]", 1));
        assert!(p[0].message.contains("不是字段路径"), "{p:?}");
    }
}
