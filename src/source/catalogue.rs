//! 科目表文件：随程序内置的各年度 catalogue/<年度>.toml，以及用户自己的科目表
//! （数据文件旁的 catalogue/<年度>.toml 或 --catalogue 指定的文件）。
//!
//! Both are read the same way, into a [`Layer`] whose entries keep their
//! spans, so a mistake in the user's file is reported at its line and column
//! like a mistake in a data file.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use toml_edit::{Item, Value};

use crate::diag::{Elsewhere, Problem};
use crate::model::Budget;
use crate::model::catalogue::{Catalogue, Change, Layer, Scheme, level_word};

/// The bundled catalogues, oldest first; each later file names the one
/// before it as its base.
const BUNDLED: &[(i32, &str)] = &[
    (2021, include_str!("../../catalogue/2021.toml")),
    (2022, include_str!("../../catalogue/2022.toml")),
    (2023, include_str!("../../catalogue/2023.toml")),
    (2024, include_str!("../../catalogue/2024.toml")),
    (2025, include_str!("../../catalogue/2025.toml")),
    (2026, include_str!("../../catalogue/2026.toml")),
];

/// The bundled year closest to `year`; on a tie, the earlier one (a code
/// added later is less likely to apply than one that already existed).
pub fn nearest(year: i32) -> i32 {
    BUNDLED.iter().map(|(y, _)| *y).min_by_key(|y| ((y - year).abs(), *y)).unwrap_or(year)
}

/// The years that have a bundled catalogue.
pub fn bundled_years() -> impl Iterator<Item = i32> {
    BUNDLED.iter().map(|(y, _)| *y)
}

/// The bundled catalogue of a year that has one, or of the nearest year.
pub fn bundled(year: i32) -> &'static Arc<Catalogue> {
    static ALL: OnceLock<Vec<Arc<Catalogue>>> = OnceLock::new();
    let all = ALL.get_or_init(|| build_bundled().into_iter().map(Arc::new).collect());
    let want = nearest(year);
    all.iter().find(|c| c.year == want).unwrap_or(&all[0])
}

/// The catalogue a budget was read with, else the bundled one of its year.
pub fn of(b: &Budget) -> &Catalogue {
    b.catalogue.as_deref().unwrap_or_else(|| bundled(b.document.year))
}

/// Every bundled catalogue, each laid over the one before. The files are
/// part of the program and unit-tested, so a fault here is a bug.
fn build_bundled() -> Vec<Catalogue> {
    let mut out: Vec<Catalogue> = Vec::new();
    for (year, text) in BUNDLED {
        let origin = format!("catalogue/{year}.toml");
        let layer = parse(&origin, text, false)
            .unwrap_or_else(|p| panic!("{origin} is valid (unit-tested): {p:?}"));
        let mut cat = match layer.base {
            Some(b) => out.iter().find(|c| c.year == b).cloned().unwrap_or_default(),
            None => Catalogue::default(),
        };
        cat.year = *year;
        let errors = cat.apply(&layer);
        assert!(errors.is_empty(), "{origin} applies (unit-tested): {errors:?}");
        out.push(cat);
    }
    out
}

/// The user's catalogue for a data file: the one given with --catalogue,
/// else `catalogue/<year>.toml` in the data file's folder, if there is one
/// that may be read (see [`beside`]).
pub fn user_file(data: &Path, year: i32, given: Option<&Path>) -> Option<PathBuf> {
    match given {
        Some(g) => Some(g.to_path_buf()),
        None => beside(data, year).ok().flatten(),
    }
}

/// `catalogue/<year>.toml` beside a data file, by the rule of every file
/// found beside the data (`walk::named_in`): a link, or a link on the way,
/// is not followed — the walk of the data folder says it skips it, and no
/// other path may read it. `Ok(None)`: there is none.
pub fn beside(data: &Path, year: i32) -> Result<Option<PathBuf>, crate::source::walk::Named> {
    use crate::source::walk::{Named, named_in};
    match named_in(data, &format!("catalogue/{year}.toml")) {
        Ok(p) => Ok(Some(p)),
        Err(Named::Missing) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The user's catalogue for data of `year` read from `path`, laid over the
/// bundled one; `None` when there is no user file. Problems are located in
/// the user's file.
pub fn for_data(
    path: &Path,
    year: i32,
    given: Option<&Path>,
) -> Result<Option<Arc<Catalogue>>, Vec<Problem>> {
    let found = match given {
        Some(g) => Ok(Some(g.to_path_buf())),
        None => beside(path, year),
    };
    let user = match found {
        Ok(Some(u)) => u,
        Ok(None) => return Ok(None),
        Err(why) => return Err(vec![refused(path, year, &why)]),
    };
    let name = crate::error::shown(&user);
    let read = crate::source::read(&user).map_err(|p| {
        let nowhere = Arc::new(Elsewhere { name: name.clone(), text: String::new() });
        let message = format!("科目表 {name}：{}", p.message);
        vec![Problem { message, span: Some(0..0), ..p }.in_file(&nowhere)]
    })?;
    let file = Arc::new(Elsewhere { name, text: read.text });
    effective(year, Some((&file.name, &file.text)))
        .map(|c| Some(Arc::new(c)))
        .map_err(|ps| ps.into_iter().map(|p| p.in_file(&file)).collect())
}

/// The catalogue beside the data exists but may not be read: said in no
/// file but its own name, since nothing of it was read.
fn refused(data: &Path, year: i32, why: &crate::source::walk::Named) -> Problem {
    let dir = data.parent().unwrap_or(Path::new(""));
    let name = crate::error::shown(&dir.join("catalogue").join(format!("{year}.toml")));
    let nowhere = Arc::new(Elsewhere { name: name.clone(), text: String::new() });
    Problem::error("", format!("科目表 {name} {why}，未读取"))
        .expected(
            "把科目表文件本身放在数据文件旁的 catalogue/ 中，或用 --catalogue 文件 在命令行上给出",
        )
        .at(0..0)
        .in_file(&nowhere)
}

/// The catalogue a file of `year` is checked against: the bundled one of
/// that year (or the nearest), with the user's file laid over it. Errors are
/// the user file's, located in `user_text`.
pub fn effective(year: i32, user: Option<(&str, &str)>) -> Result<Catalogue, Vec<Problem>> {
    let mut cat = Catalogue::clone(bundled(year));
    let Some((name, text)) = user else { return Ok(cat) };
    let layer = parse(name, text, true)?;
    let errors = cat.apply(&layer);
    cat.user = Some(name.to_string());
    if errors.is_empty() {
        return Ok(cat);
    }
    Err(errors
        .into_iter()
        .map(|e| {
            Problem::error(format!("{}.\"{}\"", e.scheme.key(), e.code), e.message)
                .expected(e.expected)
                .at(e.span)
        })
        .collect())
}

/// Reads one catalogue file. `user` files may not name a base: they always
/// extend the bundled catalogue of the data's year.
pub fn parse(origin: &str, text: &str, user: bool) -> Result<Layer, Vec<Problem>> {
    let doc = toml_edit::Document::parse(text).map_err(|e| {
        let p = crate::source::syntax(text, &e);
        vec![Problem { message: format!("科目表中的 {}", p.message), ..p }]
    })?;
    let mut r = Reader { text, problems: Vec::new(), sources: BTreeMap::new() };
    let mut layer = Layer { origin: origin.to_string(), ..Layer::default() };
    let root = doc.as_table();
    if let Some(s) = root.get("sources") {
        r.sources(s);
    }
    for (key, item) in root.iter() {
        match key {
            "sources" => {}
            "base" if !user => layer.base = r.base(item),
            "function" => layer.function = r.codes(Scheme::Function, item),
            "economic" => layer.economic = r.codes(Scheme::Economic, item),
            _ => r.unknown_top(key, root.key(key).and_then(|k| k.span()), user),
        }
    }
    if r.problems.is_empty() { Ok(layer) } else { Err(r.problems) }
}

struct Reader<'a> {
    text: &'a str,
    problems: Vec<Problem>,
    sources: BTreeMap<String, String>,
}

impl Reader<'_> {
    fn error(
        &mut self,
        field: String,
        span: Option<Range<usize>>,
        message: String,
        expected: &str,
    ) {
        let p = Problem::error(field, message).expected(expected).at(span.unwrap_or(0..0));
        self.problems.push(p);
    }

    fn unknown_top(&mut self, key: &str, span: Option<Range<usize>>, user: bool) {
        let (message, expected) = if key == "base" {
            ("用户科目表不写 base：它总是补充或更正数据年度的内置科目表".to_string(), "删去 base")
        } else {
            (
                format!("科目表中没有“{key}”这一部分"),
                "[function]（功能分类）、[economic]（经济分类）或 [sources]",
            )
        };
        let _ = user;
        self.error(key.to_string(), span, message, expected);
    }

    fn base(&mut self, item: &Item) -> Option<i32> {
        let year = item.as_integer().and_then(|y| i32::try_from(y).ok());
        if year.is_none() {
            self.error("base".into(), item.span(), "base 应为年度数字".into(), "如 base = 2024");
        }
        year
    }

    fn sources(&mut self, item: &Item) {
        let Some(t) = item.as_table_like() else {
            return self.error(
                "sources".into(),
                item.span(),
                "[sources] 应为一张表".into(),
                "键 = \"来源说明\"",
            );
        };
        for (k, v) in t.iter() {
            match v.as_str() {
                Some(s) => drop(self.sources.insert(k.to_string(), s.to_string())),
                None => self.error(
                    format!("sources.{k}"),
                    v.span(),
                    "来源说明应为文字".into(),
                    "键 = \"来源说明\"",
                ),
            }
        }
    }

    fn codes(&mut self, s: Scheme, item: &Item) -> BTreeMap<String, Change> {
        let mut out = BTreeMap::new();
        let Some(t) = item.as_table_like() else {
            self.error(
                s.key().into(),
                item.span(),
                format!("[{}] 应为一张表", s.key()),
                "\"编码\" = \"名称\"",
            );
            return out;
        };
        for (code, v) in t.iter() {
            let key_span = t.get_key_value(code).and_then(|(k, _)| k.span());
            if !self.code_ok(s, code, key_span.clone()) {
                continue;
            }
            let span = key_span.or_else(|| v.span()).unwrap_or(0..0);
            if let Some(c) = self.entry(s, code, v, span) {
                out.insert(code.to_string(), c);
            }
        }
        out
    }

    fn code_ok(&mut self, s: Scheme, code: &str, span: Option<Range<usize>>) -> bool {
        let digits = code.bytes().all(|b| b.is_ascii_digit());
        if digits && s.levels().contains(&code.len()) {
            return true;
        }
        let lens: Vec<String> =
            s.levels().iter().map(|l| format!("{l} 位（{}）", level_word(*l))).collect();
        let (last, rest) =
            lens.split_last().map_or((String::new(), &[][..]), |(l, r)| (l.clone(), r));
        self.error(
            format!("{}.\"{code}\"", s.key()),
            span,
            format!("{}科目编码“{code}”应为 {}或 {last}数字", s.label(), rest.join("、")),
            "如 \"2130599\" = \"其他巩固脱贫攻坚成果衔接乡村振兴支出\"",
        );
        false
    }

    /// One entry: a name, or a table of the fields a [`Change`] has.
    fn entry(&mut self, s: Scheme, code: &str, v: &Item, span: Range<usize>) -> Option<Change> {
        let path = format!("{}.\"{code}\"", s.key());
        if let Some(name) = v.as_str() {
            let name = self.name(&path, name, v.span())?;
            return Some(Change { name: Some(name), span, ..Change::default() });
        }
        let Some(t) = v.as_table_like() else {
            self.error(
                path,
                v.span(),
                format!("科目 {code} 应写名称或一张表"),
                "\"编码\" = \"名称\" 或 { name = \"名称\", source = [\"…\"] }",
            );
            return None;
        };
        let mut c = Change { span, ..Change::default() };
        for (k, f) in t.iter() {
            let key_span = t.get_key_value(k).and_then(|(key, _)| key.span());
            self.field(s, code, (&path, key_span), k, f, &mut c);
        }
        Some(c)
    }

    fn field(
        &mut self,
        s: Scheme,
        code: &str,
        (path, key_span): (&str, Option<Range<usize>>),
        k: &str,
        f: &Item,
        c: &mut Change,
    ) {
        let at = format!("{path}.{k}");
        match k {
            "name" => c.name = self.text_of(&at, f).and_then(|n| self.name(&at, &n, f.span())),
            "note" => c.note = self.text_of(&at, f),
            "was" => c.was = self.text_of(&at, f),
            "source" => c.sources = self.source(&at, f),
            "removed" => c.removed = self.flag(&at, f),
            "unconfirmed" => c.unconfirmed = self.flag(&at, f),
            "items_complete" if s == Scheme::Function && code.len() == 5 => {
                c.items_complete = Some(self.flag(&at, f))
            }
            "items_complete" => {
                self.error(at, key_span, "items_complete 只用于功能分类的款（5 位）".into(), "删去")
            }
            _ => self.error(
                at,
                key_span,
                format!("科目表条目中没有“{k}”这一项"),
                "name、source、note、was、removed、unconfirmed、items_complete",
            ),
        }
    }

    fn text_of(&mut self, at: &str, f: &Item) -> Option<String> {
        let s = f.as_str().map(str::to_string);
        if s.is_none() {
            self.error(at.into(), f.span(), "这里应为文字（加引号）".into(), "\"…\"");
        }
        s
    }

    fn name(&mut self, at: &str, name: &str, span: Option<Range<usize>>) -> Option<String> {
        if name.trim().is_empty() {
            self.error(at.into(), span, "科目名称为空".into(), "财政部科目表中的名称");
            return None;
        }
        if name.trim() != name {
            self.error(at.into(), span, format!("科目名称“{name}”前后有空格"), name.trim());
            return None;
        }
        Some(name.to_string())
    }

    fn flag(&mut self, at: &str, f: &Item) -> bool {
        let b = f.as_bool();
        if b.is_none() {
            self.error(at.into(), f.span(), "这里应为 true 或 false（不加引号）".into(), "true");
        }
        b.unwrap_or(false)
    }

    /// Source keys from [sources] become their descriptions; other text is
    /// taken as the description itself.
    fn source(&mut self, at: &str, f: &Item) -> Vec<String> {
        let list: Vec<&Value> = match f.as_value() {
            Some(Value::Array(a)) => a.iter().collect(),
            Some(v @ Value::String(_)) => vec![v],
            _ => Vec::new(),
        };
        if list.is_empty() || list.iter().any(|v| v.as_str().is_none()) {
            self.error(
                at.into(),
                f.span(),
                "source 应为文字或文字的数组".into(),
                "source = [\"来源\"]",
            );
            return Vec::new();
        }
        let _ = self.text;
        list.iter()
            .filter_map(|v| v.as_str())
            .map(|s| self.sources.get(s).cloned().unwrap_or_else(|| s.to_string()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::catalogue::Verdict;

    #[test]
    fn every_bundled_file_reads_and_chains() {
        for (year, text) in BUNDLED {
            let layer = parse(&format!("catalogue/{year}.toml"), text, false).unwrap();
            assert_eq!(layer.base, (*year > 2021).then(|| year - 1), "{year}");
            // Every change after 2021 says where it was seen, or that it was not.
            for s in Scheme::ALL {
                for (code, c) in layer.codes(s) {
                    if *year > 2021 {
                        assert!(!c.sources.is_empty() || c.unconfirmed, "{year} {code}: no source");
                    }
                    for src in &c.sources {
                        assert!(
                            src.chars().count() > 6,
                            "{year} {code}: source key {src} unresolved"
                        );
                    }
                }
            }
        }
        for y in bundled_years() {
            assert_eq!(bundled(y).year, y);
        }
    }

    #[test]
    fn bundled_names_are_clean_and_the_2021_classes_are_all_there() {
        let c = bundled(2021);
        for s in Scheme::ALL {
            for (code, e) in c.entries(s) {
                assert!(!e.name.contains(['(', ')']), "{code}: half-width brackets");
                assert_eq!(e.name.trim(), e.name, "{code}");
            }
        }
        for class in ["201", "213", "229", "234"] {
            assert!(c.name(Scheme::Function, class).is_some(), "{class}");
        }
        assert_eq!(c.name(Scheme::Function, "20101"), Some("人大事务"));
        assert_eq!(c.name(Scheme::Economic, "30201"), Some("办公费"));
    }

    #[test]
    fn later_years_know_later_codes() {
        assert!(matches!(bundled(2021).judge(Scheme::Function, "2130599"), Verdict::NoKuan { .. }));
        assert!(matches!(bundled(2025).judge(Scheme::Function, "2130599"), Verdict::Known(_)));
        assert!(matches!(bundled(2024).judge(Scheme::Function, "2013901"), Verdict::Known(_)));
        assert!(matches!(bundled(2023).judge(Scheme::Function, "2013901"), Verdict::NoKuan { .. }));
        assert!(matches!(bundled(2025).judge(Scheme::Economic, "30311"), Verdict::Known(_)));
        let e = bundled(2025).entry(Scheme::Function, "20139").unwrap();
        assert_eq!(e.origin, "catalogue/2024.toml");
    }

    #[test]
    fn years_without_a_file_take_the_nearest() {
        assert_eq!(nearest(2019), 2021);
        assert_eq!(nearest(2027), 2026);
        assert_eq!(nearest(2023), 2023);
        assert_eq!(bundled(2030).year, 2026);
    }

    #[test]
    fn a_broken_user_file_is_located() {
        let text = "[function]\n\"2130599\" = \"其他\"\n\"21X\" = \"坏\"\n[fun]\n";
        let p = parse("my.toml", text, true).unwrap_err();
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!(&text[p[0].span.clone().unwrap()], "\"21X\"");
        let base = "base = 2024\n[economic]\n\"30250\" = { name = \"x\", colour = 1 }\n";
        let p = parse("my.toml", base, true).unwrap_err();
        assert_eq!(p.len(), 2, "{p:?}");
        let orphan = "[function]\n\"2135001\" = \"其他\"\n";
        let Err(e) = effective(2025, Some(("my.toml", orphan))) else {
            panic!("accepted an orphan")
        };
        assert!(e[0].message.contains("上级"), "{e:?}");
    }

    #[test]
    fn a_user_file_extends_and_corrects() {
        let text = "[function]\n\"21399\" = \"其他农林水支出\"\n\"2139999\" = { name = \"其他农林水支出\", source = \"本局指标文件\" }\n\"20101\" = { name = \"人大事务（改）\", was = \"人大事务\" }\n";
        let cat = effective(2025, Some(("my.toml", text))).unwrap();
        let e = cat.entry(Scheme::Function, "2139999").unwrap();
        assert_eq!(
            (e.origin.as_str(), e.sources.as_slice()),
            ("my.toml", &["本局指标文件".to_string()][..])
        );
        assert_eq!(cat.name(Scheme::Function, "20101"), Some("人大事务（改）"));
        assert_eq!(cat.main_file(), "my.toml");
    }
}
