//! 政府收支分类科目表：某一年度的支出功能分类（类、款、项）与部门预算支出
//! 经济分类（类、款），以及每个科目来自哪个文件。
//!
//! A catalogue is built from layers, bottom first: the bundled file of the
//! earliest year, each later year's file (which only states what differs),
//! then the user's own file. Every code remembers the layer that last set it,
//! so a message and `yusuan catalogue show` can say where a name was decided.
//! Reading the files is `source::catalogue`'s job; this module only holds and
//! judges.

use std::collections::BTreeMap;
use std::ops::Range;

/// The two classifications a line item carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scheme {
    /// 支出功能分类：类 3 位、款 5 位、项 7 位。
    Function,
    /// 部门预算支出经济分类：类 3 位、款 5 位。
    Economic,
}

impl Scheme {
    pub const ALL: [Scheme; 2] = [Scheme::Function, Scheme::Economic];

    /// Its word in messages.
    pub fn label(self) -> &'static str {
        match self {
            Scheme::Function => "功能分类",
            Scheme::Economic => "经济分类",
        }
    }

    /// Its table in a catalogue file.
    pub fn key(self) -> &'static str {
        match self {
            Scheme::Function => "function",
            Scheme::Economic => "economic",
        }
    }

    /// Lengths of its levels' codes, top first.
    pub fn levels(self) -> &'static [usize] {
        match self {
            Scheme::Function => &[3, 5, 7],
            Scheme::Economic => &[3, 5],
        }
    }

    /// The length of the code a line item carries.
    pub fn leaf(self) -> usize {
        *self.levels().last().unwrap_or(&5)
    }
}

/// The word for a level, by code length.
pub fn level_word(len: usize) -> &'static str {
    match len {
        3 => "类",
        5 => "款",
        _ => "项",
    }
}

/// One entry of a catalogue file as written: a change to what lies below.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Change {
    /// The name from this layer on; `None` keeps the name below (a change of
    /// flags only) or, with `removed`, drops the code.
    pub name: Option<String>,
    /// Where the code or its change was seen (descriptions, not keys).
    pub sources: Vec<String>,
    pub note: Option<String>,
    /// The name it had before (a rename); filled in by [`Catalogue::apply`]
    /// when the layer renames without saying so.
    pub was: Option<String>,
    pub removed: bool,
    pub unconfirmed: bool,
    /// For a 款: whether its 项 are all listed.
    pub items_complete: Option<bool>,
    /// Where in its file the entry is written.
    pub span: Range<usize>,
}

/// One catalogue file, read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Layer {
    /// The file's name in messages: `catalogue/2024.toml` or the user's path.
    pub origin: String,
    /// The year whose catalogue this file continues (bundled files only).
    pub base: Option<i32>,
    pub function: BTreeMap<String, Change>,
    pub economic: BTreeMap<String, Change>,
}

impl Layer {
    pub fn codes(&self, s: Scheme) -> &BTreeMap<String, Change> {
        match s {
            Scheme::Function => &self.function,
            Scheme::Economic => &self.economic,
        }
    }
}

/// A code in the effective catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub name: String,
    /// The file that last set its name or flags.
    pub origin: String,
    pub sources: Vec<String>,
    pub note: Option<String>,
    /// Its earlier name, when a layer renamed it.
    pub was: Option<String>,
    pub unconfirmed: bool,
    /// For a 款: its 项 are all listed, so an unlisted 项 is wrong.
    pub items_complete: bool,
}

/// Why a layer's entry could not be applied: the entry's span and a message.
#[derive(Debug, Clone, PartialEq)]
pub struct ApplyError {
    pub scheme: Scheme,
    pub code: String,
    pub span: Range<usize>,
    pub message: String,
    pub expected: String,
}

/// The catalogue a data file is checked against.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Catalogue {
    /// The year of the bundled catalogue used (the data's year, or the
    /// nearest year that has one).
    pub year: i32,
    /// Every file that went into it, bottom first.
    pub files: Vec<String>,
    /// The user's file laid over the bundled ones, if any.
    pub user: Option<String>,
    function: BTreeMap<String, Entry>,
    economic: BTreeMap<String, Entry>,
}

/// A catalogue with no codes, for a budget read without one.
pub fn empty() -> &'static Catalogue {
    static EMPTY: std::sync::OnceLock<Catalogue> = std::sync::OnceLock::new();
    EMPTY.get_or_init(Catalogue::default)
}

impl Catalogue {
    pub fn new(year: i32) -> Catalogue {
        Catalogue { year, ..Catalogue::default() }
    }

    fn map(&self, s: Scheme) -> &BTreeMap<String, Entry> {
        match s {
            Scheme::Function => &self.function,
            Scheme::Economic => &self.economic,
        }
    }

    fn map_mut(&mut self, s: Scheme) -> &mut BTreeMap<String, Entry> {
        match s {
            Scheme::Function => &mut self.function,
            Scheme::Economic => &mut self.economic,
        }
    }

    pub fn entry(&self, s: Scheme, code: &str) -> Option<&Entry> {
        self.map(s).get(code)
    }

    /// The official name of a code of any level.
    pub fn name(&self, s: Scheme, code: &str) -> Option<&str> {
        self.entry(s, code).map(|e| e.name.as_str())
    }

    /// Every code with its entry, in code order.
    pub fn entries(&self, s: Scheme) -> impl Iterator<Item = (&str, &Entry)> {
        self.map(s).iter().map(|(c, e)| (c.as_str(), e))
    }

    /// The file that names this catalogue in messages: the last one applied
    /// (the user's, when there is one).
    pub fn main_file(&self) -> &str {
        self.files.last().map_or("", String::as_str)
    }

    /// The bundled file of the year used.
    pub fn bundled_file(&self) -> String {
        format!("catalogue/{}.toml", self.year)
    }

    /// Lays `layer` over the catalogue. Entries apply in code order, so a 类
    /// comes before its 款 and a 款 before its 项; every error is returned,
    /// and what could be applied is.
    pub fn apply(&mut self, layer: &Layer) -> Vec<ApplyError> {
        let mut errors = Vec::new();
        for s in Scheme::ALL {
            for (code, change) in layer.codes(s) {
                if let Err(e) = self.apply_one(s, code, change, &layer.origin) {
                    errors.push(e);
                }
            }
        }
        self.files.push(layer.origin.clone());
        errors
    }

    fn apply_one(
        &mut self,
        s: Scheme,
        code: &str,
        c: &Change,
        origin: &str,
    ) -> Result<(), ApplyError> {
        let fail = |message: String, expected: &str| ApplyError {
            scheme: s,
            code: code.to_string(),
            span: c.span.clone(),
            message,
            expected: expected.to_string(),
        };
        if c.removed {
            if self.entry(s, code).is_none() {
                return Err(fail(format!("要取消的科目 {code} 本来就不在科目表中"), "核对编码"));
            }
            self.map_mut(s).retain(|k, _| !k.starts_with(code));
            return Ok(());
        }
        if let Some(parent) = missing_parent(self, s, code) {
            return Err(fail(
                format!("{}科目 {code} 的上级 {parent} 不在科目表中", s.label()),
                &format!("先写上级{} {parent}", level_word(parent.len())),
            ));
        }
        let old = self.entry(s, code).cloned();
        let entry = merged(old, c, origin).ok_or_else(|| {
            fail(
                format!("科目 {code} 没有名称"),
                "写 name = \"科目名称\"，或写成 \"编码\" = \"名称\"",
            )
        })?;
        self.map_mut(s).insert(code.to_string(), entry);
        Ok(())
    }
}

/// The parent code of `code` that the catalogue lacks, if any.
fn missing_parent(cat: &Catalogue, s: Scheme, code: &str) -> Option<String> {
    let levels = s.levels();
    let at = levels.iter().position(|&l| l == code.len())?;
    let parent = &code[..levels[at.checked_sub(1)?]];
    cat.entry(s, parent).is_none().then(|| parent.to_string())
}

/// The entry after `c` is laid over `old`; `None` when there is no name.
fn merged(old: Option<Entry>, c: &Change, origin: &str) -> Option<Entry> {
    let name = c.name.clone().or_else(|| old.as_ref().map(|o| o.name.clone()))?;
    let renamed = old.as_ref().filter(|o| o.name != name).map(|o| o.name.clone());
    let keep = |f: fn(&Entry) -> bool| old.as_ref().is_some_and(f);
    Some(Entry {
        was: c.was.clone().or(renamed).or_else(|| old.as_ref().and_then(|o| o.was.clone())),
        sources: if c.sources.is_empty() && c.name.is_none() {
            old.as_ref().map(|o| o.sources.clone()).unwrap_or_default()
        } else {
            c.sources.clone()
        },
        note: c.note.clone().or_else(|| old.as_ref().and_then(|o| o.note.clone())),
        unconfirmed: c.unconfirmed || (c.name.is_none() && keep(|o| o.unconfirmed)),
        items_complete: c.items_complete.unwrap_or_else(|| keep(|o| o.items_complete)),
        origin: origin.to_string(),
        name,
    })
}

/// What the catalogue says about a line item's code.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict<'a> {
    /// Listed.
    Known(&'a Entry),
    /// Not the right number of digits.
    Shape,
    /// Its 类 is not listed.
    NoClass { class: String },
    /// Its 类 is listed, its 款 is not.
    NoKuan { class: String, kuan: String },
    /// Its 款 is listed, the 项 is not: an error only when the 款 says its
    /// 项 are complete, since most 款 list only the 项 seen in a source.
    NoItem { kuan: String, complete: bool },
}

impl Catalogue {
    /// Judges the full code of a line item.
    pub fn judge(&self, s: Scheme, code: &str) -> Verdict<'_> {
        if code.len() != s.leaf() || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Verdict::Shape;
        }
        if let Some(e) = self.entry(s, code) {
            return Verdict::Known(e);
        }
        let (class, kuan) = (&code[..3], &code[..5]);
        if self.entry(s, class).is_none() {
            return Verdict::NoClass { class: class.into() };
        }
        match self.entry(s, kuan) {
            None => Verdict::NoKuan { class: class.into(), kuan: kuan.into() },
            Some(k) if code.len() > 5 => {
                Verdict::NoItem { kuan: kuan.into(), complete: k.items_complete }
            }
            // An economic 款 is the leaf: found above if listed.
            Some(_) => Verdict::NoKuan { class: class.into(), kuan: kuan.into() },
        }
    }
}

/// How a name written in the data compares with the catalogue's.
#[derive(Debug, Clone, PartialEq)]
pub enum Naming {
    Same,
    /// The same name written differently: the kinds of difference.
    Writing(Vec<&'static str>),
    /// The name the code had before a rename.
    Former,
    Different,
}

/// Compares a name from the data with a catalogue entry.
pub fn naming(written: &str, e: &Entry) -> Naming {
    let written = written.trim();
    if written == e.name {
        return Naming::Same;
    }
    if fold(written) == fold(&e.name) {
        return Naming::Writing(writing_kinds(written, &e.name));
    }
    if e.was.as_deref().is_some_and(|w| w == written || fold(w) == fold(written)) {
        return Naming::Former;
    }
    Naming::Different
}

/// A name with full-width forms made half-width and blanks dropped, so that
/// “维修(护)费” and “维修（护）费” compare equal.
pub fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '“' | '”' => '"',
            '‘' | '’' => '\'',
            '、' => ',',
            '。' => '.',
            '【' | '〔' => '[',
            '】' | '〕' => ']',
            _ => c,
        })
        .collect()
}

/// Names the kinds of difference between two names that fold the same.
fn writing_kinds(a: &str, b: &str) -> Vec<&'static str> {
    let has = |s: &str, set: &[char]| s.chars().any(|c| set.contains(&c));
    let mut kinds = Vec::new();
    let half = ['(', ')'];
    let full = ['（', '）'];
    if (has(a, &half) && has(b, &full)) || (has(a, &full) && has(b, &half)) {
        kinds.push("半角括号“()”与全角括号“（）”");
    }
    let blank = |s: &str| s.chars().filter(|c| c.is_whitespace()).count();
    if blank(a) != blank(b) {
        kinds.push("空格");
    }
    let strip = |s: &str| -> String {
        s.chars().filter(|c| !c.is_whitespace() && !half.contains(c) && !full.contains(c)).collect()
    };
    if strip(a) != strip(b) {
        kinds.push("其他全角、半角字符（引号、标点、数字或字母）");
    }
    kinds
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(name: &str) -> Change {
        Change { name: Some(name.into()), ..Change::default() }
    }

    fn layer(origin: &str, codes: &[(&str, Change)]) -> Layer {
        let mut l = Layer { origin: origin.into(), ..Layer::default() };
        for (c, ch) in codes {
            l.function.insert(c.to_string(), ch.clone());
        }
        l
    }

    fn base() -> Catalogue {
        let mut cat = Catalogue::new(2024);
        let l = layer("a", &[("213", change("农林水支出")), ("21301", change("农业农村"))]);
        assert_eq!(cat.apply(&l), vec![]);
        cat
    }

    #[test]
    fn a_rename_keeps_the_former_name_and_the_file() {
        let mut cat = base();
        assert_eq!(cat.apply(&layer("b", &[("21301", change("农业农村事务"))])), vec![]);
        let e = cat.entry(Scheme::Function, "21301").unwrap();
        assert_eq!(
            (e.name.as_str(), e.was.as_deref(), e.origin.as_str()),
            ("农业农村事务", Some("农业农村"), "b")
        );
        assert_eq!(naming("农业农村", e), Naming::Former);
        assert_eq!(cat.files, ["a", "b"]);
    }

    #[test]
    fn an_orphan_or_nameless_entry_is_refused_and_removal_takes_the_children() {
        let mut cat = base();
        let errs = cat
            .apply(&layer("b", &[("2140101", change("行政运行")), ("21399", Change::default())]));
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(errs[0].message.contains("上级 21399") || errs[1].message.contains("上级 21401"));
        let gone = Change { removed: true, ..Change::default() };
        assert_eq!(cat.apply(&layer("c", &[("213", gone)])), vec![]);
        assert!(cat.entry(Scheme::Function, "21301").is_none());
    }

    #[test]
    fn codes_are_judged_by_level() {
        let cat = base();
        assert!(matches!(cat.judge(Scheme::Function, "21301"), Verdict::Shape));
        assert!(matches!(cat.judge(Scheme::Function, "2880101"), Verdict::NoClass { .. }));
        assert!(matches!(cat.judge(Scheme::Function, "2130599"), Verdict::NoKuan { .. }));
        assert_eq!(
            cat.judge(Scheme::Function, "2130199"),
            Verdict::NoItem { kuan: "21301".into(), complete: false }
        );
    }

    #[test]
    fn width_differences_are_only_writing() {
        let e = Entry {
            name: "维修（护）费".into(),
            origin: String::new(),
            sources: vec![],
            note: None,
            was: None,
            unconfirmed: false,
            items_complete: false,
        };
        assert_eq!(naming("维修(护)费", &e), Naming::Writing(vec!["半角括号“()”与全角括号“（）”"]));
        assert_eq!(naming("维修（护） 费", &e), Naming::Writing(vec!["空格"]));
        assert_eq!(naming("维修费", &e), Naming::Different);
        assert_eq!(naming(" 维修（护）费", &e), Naming::Same);
    }
}
