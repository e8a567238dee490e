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
    DocumentKind, Layout, MoneyUnit, NUMBERED_KINDS, Profile, SELECTOR_WORDS, Selector, TableSpec,
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
    for (i, part) in p.parts.iter().enumerate() {
        for (k, kind) in part.numbered.iter().enumerate() {
            if !NUMBERED_KINDS.contains(&kind.as_str()) {
                out.push(
                    Problem::error(
                        format!("parts[{i}].numbered[{k}]"),
                        format!("不认识正文表格“{kind}”"),
                    )
                    .expected(NUMBERED_KINDS.join("、")),
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
// The parts of profile.toml against the part functions of the template.

/// Each part of `profile` against the keys of the `parts` dictionary in the
/// parts template `typ` (shown as `typ_name`): a part with no function and
/// a function no part names, each said at its file and line.
pub fn parts_agree(
    profile: &Profile,
    (toml_name, toml_text): (&str, &str),
    (typ_name, typ): (&str, &str),
) -> Vec<String> {
    let Some(functions) = part_functions(typ) else {
        let p = Problem::error("parts", "没有找到各部分的函数表").expected(
            "#let parts = (title: …, duties: …)：每一部分一个函数，键为 profile.toml 中的 id",
        );
        return vec![crate::diag::render(typ_name, typ, &p)];
    };
    let mut out = Vec::new();
    for (i, part) in profile.parts.iter().enumerate() {
        if !functions.iter().any(|(k, _)| *k == part.id) {
            let mut p = Problem::error(
                format!("parts[{i}].id"),
                format!("部分“{}”在模板中没有对应的函数", part.id),
            )
            .expected(format!("在 {typ_name} 的 parts 中加上 {}: …，或删去这一部分", part.id));
            p.span = crate::source::locate(toml_text, &p.field);
            out.push(crate::diag::render(toml_name, toml_text, &p));
        }
    }
    for (key, at) in &functions {
        if !profile.parts.iter().any(|p| p.id == *key) {
            let mut p = Problem::error("parts", format!("函数“{key}”没有哪一部分用到")).expected(
                format!("在 profile.toml 中加上 [[parts]] id = \"{key}\"，或删去这个函数"),
            );
            p.span = Some(at.clone());
            out.push(crate::diag::render(typ_name, typ, &p));
        }
    }
    out
}

/// The keys of `#let parts = (…)` in a template, each with its span.
fn part_functions(typ: &str) -> Option<Vec<(String, std::ops::Range<usize>)>> {
    use typst::syntax::{LinkedNode, SyntaxKind, ast};
    let source = typst::syntax::Source::detached(typ);
    let root = LinkedNode::new(source.root());
    let binding = find(&root, &|n| {
        let Some(b) = n.cast::<ast::LetBinding>() else { return false };
        let named_parts = b.kind().bindings().first().is_some_and(|i| i.as_str() == "parts");
        named_parts && matches!(b.init(), Some(ast::Expr::Dict(_)))
    })?;
    let dict = binding.children().find(|c| c.kind() == SyntaxKind::Dict)?;
    let keys = dict
        .children()
        .filter(|c| c.kind() == SyntaxKind::Named)
        .filter_map(|named| {
            let key = named.children().next()?;
            Some((key.leaf_text().to_string(), key.range()))
        })
        .collect();
    Some(keys)
}

/// The first node below `n` (itself included) that `hit` accepts.
fn find<'a>(
    n: &typst::syntax::LinkedNode<'a>,
    hit: &dyn Fn(&typst::syntax::LinkedNode<'a>) -> bool,
) -> Option<typst::syntax::LinkedNode<'a>> {
    if hit(n) {
        return Some(n.clone());
    }
    n.children().find_map(|c| find(&c, hit))
}

// ---------------------------------------------------------------------------
// The bundled templates: the shared base and every bundled profile, each a
// folder of `templates/`, compiled into the binary so yusuan works from any
// folder. A profile folder holds only what differs (profile.toml, its parts
// and sentences); the base is imported as `/base/…`, never copied.

/// Every file of `templates/`, by its path below it.
pub const FILES: &[(&str, &str)] = &[
    ("base/base.typ", include_str!("../../templates/base/base.typ")),
    ("base/style.typ", include_str!("../../templates/base/style.typ")),
    ("base/breaks.typ", include_str!("../../templates/base/breaks.typ")),
    ("base/table.typ", include_str!("../../templates/base/table.typ")),
    ("base/notice.typ", include_str!("../../templates/base/notice.typ")),
    ("hebei/profile.toml", include_str!("../../templates/hebei/profile.toml")),
    ("hebei/main.typ", include_str!("../../templates/hebei/main.typ")),
    ("hebei/parts.typ", include_str!("../../templates/hebei/parts.typ")),
    ("hebei/units.typ", include_str!("../../templates/hebei/units.typ")),
    ("hebei/budget.typ", include_str!("../../templates/hebei/budget.typ")),
    ("hebei/sangong.typ", include_str!("../../templates/hebei/sangong.typ")),
    ("hebei/overall.typ", include_str!("../../templates/hebei/overall.typ")),
    ("hebei/perf-table.typ", include_str!("../../templates/hebei/perf-table.typ")),
    ("hebei/procurement.typ", include_str!("../../templates/hebei/procurement.typ")),
    ("hebei/assets.typ", include_str!("../../templates/hebei/assets.typ")),
    ("hebei/attached-tables.typ", include_str!("../../templates/hebei/attached-tables.typ")),
    ("hebei-final/profile.toml", include_str!("../../templates/hebei-final/profile.toml")),
    ("hebei-final/main.typ", include_str!("../../templates/hebei-final/main.typ")),
    ("hebei-final/parts.typ", include_str!("../../templates/hebei-final/parts.typ")),
    ("shanghai/profile.toml", include_str!("../../templates/shanghai/profile.toml")),
    ("shanghai/main.typ", include_str!("../../templates/shanghai/main.typ")),
    ("shanghai/parts.typ", include_str!("../../templates/shanghai/parts.typ")),
    ("shanghai/style.typ", include_str!("../../templates/shanghai/style.typ")),
    ("shanghai/tables.typ", include_str!("../../templates/shanghai/tables.typ")),
    ("shanghai/notice.typ", include_str!("../../templates/shanghai/notice.typ")),
];

/// The folder of the shared base within `templates/`.
pub const BASE: &str = "base";

/// The bundled profiles, the default first: the folders of `templates/`
/// other than the base, in this order.
pub const BUNDLED: &[&str] =
    &[crate::model::profile::DEFAULT_NAME, crate::model::profile::FINAL_NAME, "shanghai"];

/// The embedded files below one folder of `templates/` (`hebei`), by their
/// path below it; `None` for a folder that is not bundled.
pub fn bundled_files(folder: &str) -> Option<Vec<(&'static str, &'static str)>> {
    let prefix = format!("{folder}/");
    let files: Vec<_> = FILES
        .iter()
        .filter_map(|(k, v)| k.strip_prefix(prefix.as_str()).map(|rel| (rel, *v)))
        .collect();
    (!files.is_empty()).then_some(files)
}

/// The names of the bundled profiles, for messages: “hebei、hebei-final、shanghai”.
pub fn bundled_names() -> String {
    BUNDLED.join("、")
}

/// The profile.toml text of a bundled profile.
pub fn bundled_text(name: &str) -> Option<&'static str> {
    let wanted = format!("{name}/profile.toml");
    FILES.iter().find(|(k, _)| *k == wanted).map(|(_, v)| *v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_profile_parses_and_has_its_main() {
        for name in BUNDLED {
            let text = bundled_text(name).unwrap_or_else(|| panic!("{name} has a profile.toml"));
            let p = parse(text).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert_eq!(p.name, *name);
            let files = bundled_files(name).unwrap();
            assert!(files.iter().any(|(k, _)| *k == p.main), "{name} has its main template");
        }
    }

    /// The embedded list must name every file of templates/, with the same
    /// text: a template added on disk would be missing from the binary.
    #[test]
    fn bundled_files_match_the_folder() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut disk = files_below(&root, "");
        let mut listed: Vec<String> = FILES.iter().map(|(k, _)| k.to_string()).collect();
        disk.sort();
        listed.sort();
        assert_eq!(disk, listed);
        for (k, v) in FILES {
            let text = std::fs::read_to_string(root.join(k)).unwrap();
            assert_eq!(text, *v, "templates/{k} differs from the embedded copy");
        }
        // Every folder but the base is a bundled profile, and the reverse.
        let folders: std::collections::BTreeSet<String> =
            disk.iter().filter_map(|k| k.split_once('/')).map(|(f, _)| f.to_string()).collect();
        let folders: Vec<String> = folders.into_iter().filter(|f| f != BASE).collect();
        let mut bundled: Vec<String> = BUNDLED.iter().map(|s| s.to_string()).collect();
        bundled.sort();
        assert_eq!(folders, bundled);
    }

    /// Every file below `dir`, by its path relative to it (`base/style.typ`).
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
        let fin = bundled_text(crate::model::profile::FINAL_NAME).unwrap();
        assert!(parse(fin).is_ok());
        let p = problems(&fin.replacen("document = \"final\"", "document = \"budget\"", 1));
        assert!(p[0].message.contains("final 表样只能用于部门决算"), "{p:?}");
        assert_eq!(p[0].field, "tables[0].layout");
        let p = problems(&fin.replacen("form = 7", "form = 12", 1));
        assert!(p[0].message.contains("表样序号"), "{p:?}");
    }

    #[test]
    fn selectors_are_checked_by_layout() {
        let sh = bundled_text("shanghai").unwrap();
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
