//! `yusuan catalogue show 年度`：列出某年度实际采用的科目表，每个科目注明来自
//! 哪个文件；用户科目表有错时像数据文件一样报出行列。

use std::fmt::Write as _;

use crate::cli::args::{CatalogueAction, CatalogueArgs, CatalogueShowArgs};
use crate::error::Error;
use crate::model::catalogue::{Catalogue, Entry, Scheme, level_word};
use crate::source::catalogue as source;

pub fn run(args: &CatalogueArgs) -> Result<(), Error> {
    match &args.action {
        CatalogueAction::Show(a) => show(a),
        CatalogueAction::Import(a) => super::import::catalogue(a),
    }
}

fn show(a: &CatalogueShowArgs) -> Result<(), Error> {
    let user = user_file(a)?;
    let cat = match &user {
        Some(f) => source::effective(a.year, Some((&f.name(), &f.text))).map_err(|problems| {
            crate::error::err!("{}", crate::diag::problems_text(&f.name(), &f.text, &problems));
            Error::Failed { failed: 1, total: 1 }
        })?,
        None => Catalogue::clone(source::bundled(a.year)),
    };
    let mut out = heading(a.year, &cat);
    for s in Scheme::ALL {
        if a.stats {
            stats(&mut out, s, &cat);
        } else {
            listing(&mut out, s, &cat, a.code.as_deref().unwrap_or(""), a.verbose);
        }
    }
    super::stdout(&out);
    Ok(())
}

/// Counts of one level's entries: all, unconfirmed, with a source.
#[derive(Default, Clone, Copy)]
struct Count {
    all: usize,
    unconfirmed: usize,
    sourced: usize,
}

impl Count {
    fn add(&mut self, e: &Entry) {
        self.all += 1;
        self.unconfirmed += usize::from(e.unconfirmed);
        self.sourced += usize::from(!e.sources.is_empty());
    }

    fn text(&self, level: &str) -> String {
        format!("{level} {} 个（注明来源 {}，未核对 {}）", self.all, self.sourced, self.unconfirmed)
    }
}

/// `--stats`: how much of each class the catalogue holds, so a bureau sees
/// where its codes will be unconfirmed.
fn stats(out: &mut String, s: Scheme, cat: &Catalogue) {
    let levels = s.levels();
    let mut by_class: std::collections::BTreeMap<&str, Vec<Count>> = Default::default();
    let mut total = vec![Count::default(); levels.len()];
    let mut complete = 0;
    for (code, e) in cat.entries(s) {
        let Some(level) = levels.iter().position(|&l| l == code.len()) else { continue };
        total[level].add(e);
        complete += usize::from(e.items_complete);
        by_class.entry(&code[..3]).or_insert_with(|| vec![Count::default(); levels.len()])[level]
            .add(e);
    }
    let words = ["类", "款", "项"];
    let summary: Vec<String> = total.iter().enumerate().map(|(i, c)| c.text(words[i])).collect();
    let title = match s {
        Scheme::Function => "支出功能分类",
        Scheme::Economic => "部门预算支出经济分类",
    };
    let _ = writeln!(out, "\n{title}：{}", summary.join("；"));
    if s == Scheme::Function {
        let _ = writeln!(
            out,
            "  项已收全（未列的项是错误）的款：{complete} 个；其余各款下未列的项只给警告"
        );
    }
    for (class, counts) in &by_class {
        let name = cat.name(s, class).unwrap_or("");
        let parts: Vec<String> = counts
            .iter()
            .enumerate()
            .skip(1)
            .map(|(i, c)| format!("{} {} 个", words[i], c.all))
            .collect();
        let unconfirmed: usize = counts.iter().skip(1).map(|c| c.unconfirmed).sum();
        let _ = writeln!(out, "  {class} {name}：{}（未核对 {unconfirmed}）", parts.join("，"));
    }
}

/// The user's catalogue: the one given, else `catalogue/<年度>.toml` in the
/// data folder when it exists.
fn user_file(a: &CatalogueShowArgs) -> Result<Option<crate::source::DataFile>, Error> {
    let beside = a.data.join("data.toml");
    let Some(path) = source::user_file(&beside, a.year, a.catalogue.as_deref()) else {
        return Ok(None);
    };
    crate::source::read(&path).map(Some).map_err(|p| {
        crate::error::err!("{}", crate::diag::problems_text(&path.display().to_string(), "", &[p]));
        Error::Failed { failed: 1, total: 1 }
    })
}

fn heading(year: i32, cat: &Catalogue) -> String {
    let mut out = String::new();
    if cat.year != year {
        let _ = writeln!(out, "没有 {year} 年的内置科目表，按最近的 {} 年。", cat.year);
    }
    let _ = writeln!(out, "{} 年政府收支分类科目（yusuan 采用的）", year);
    let _ = writeln!(out, "由这些文件依次叠加而成：{}", cat.files.join(" → "));
    let _ = writeln!(
        out,
        "标记：〔未核对〕编码或名称未经这一年的来源核对（列出的来源可能是别一年的）；〔原称…〕改名前的名称；〔项已收全〕该款下没有列出的项是错误。"
    );
    out
}

fn listing(out: &mut String, s: Scheme, cat: &Catalogue, prefix: &str, verbose: bool) {
    let title = match s {
        Scheme::Function => "支出功能分类（类、款、项）",
        Scheme::Economic => "部门预算支出经济分类（类、款）",
    };
    let _ = writeln!(out, "\n{title}");
    let mut n = 0;
    for (code, e) in cat.entries(s).filter(|(c, _)| c.starts_with(prefix) || prefix.starts_with(c))
    {
        n += 1;
        let indent = "  ".repeat(s.levels().iter().position(|&l| l == code.len()).unwrap_or(0));
        let _ = writeln!(
            out,
            "{indent}{code} {}{}　〔{}〕{}",
            e.name,
            level_mark(code),
            e.origin,
            marks(e)
        );
        if verbose {
            details(out, &indent, e);
        }
    }
    if n == 0 {
        let _ = writeln!(out, "（没有以 {prefix} 开头的科目）");
    }
}

fn level_mark(code: &str) -> String {
    format!("（{}）", level_word(code.len()))
}

fn marks(e: &Entry) -> String {
    let mut m = String::new();
    if e.unconfirmed {
        m.push_str("〔未核对〕");
    }
    if let Some(w) = &e.was {
        let _ = write!(m, "〔原称“{w}”〕");
    }
    if e.items_complete {
        m.push_str("〔项已收全〕");
    }
    m
}

fn details(out: &mut String, indent: &str, e: &Entry) {
    for s in &e.sources {
        let _ = writeln!(out, "{indent}    来源：{s}");
    }
    if let Some(n) = &e.note {
        let _ = writeln!(out, "{indent}    说明：{n}");
    }
}
