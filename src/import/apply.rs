//! 导入的全过程：读每个工作簿，合在一起，并进数据文件，核对结果。这里什么也不写：
//! 给出并好的文本和改变的字段，或者拒绝的理由。
//!
//! The order matters. Every workbook is read and refused as a whole before
//! anything is merged; several workbooks must each give other units; a
//! workbook of another year than the file is refused unless `--year` says
//! so. After the merge the file is checked: an error in what the import
//! wrote refuses it, an error it newly causes in a part the workbooks did
//! not give (their 三公, say) becomes an open 待办 with both figures, so
//! the file is written and stays a draft until someone settles it. A
//! result beyond the data-file limit is refused before writing.

use std::collections::BTreeSet;
use std::path::Path;

use crate::diag::Problem;
use crate::import::book::{Book, meaning};
use crate::import::sheetxml::Visibility;
use crate::import::{Cover, Imported, Layout, at, platform, read, recognise, settle, standard};
use crate::model::{Budget, SangongFigures};

/// What the command line says of the workbooks.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--layout`: every workbook is of this layout.
    pub layout: Option<Layout>,
    /// `--year`: the workbooks are this year's (stated when it is not the
    /// data file's year).
    pub year: Option<i32>,
}

/// One workbook read, with the name its messages carry.
pub struct Workbook {
    pub name: String,
    pub book: Book,
}

/// A problem with the workbook it lies in (“” for the data file).
pub type Said = (String, Problem);

/// The outcome of importing workbooks into one data file.
pub struct Outcome {
    /// Each workbook's name, layout and the line items it gave.
    pub read: Vec<(String, Layout, usize)>,
    /// The merged data file's text.
    pub text: String,
    /// Every field that changes, as `yusuan diff --fields` lists them.
    pub changes: Vec<crate::diff::Change>,
    /// Notes on the workbooks.
    pub warnings: Vec<Said>,
    /// What no longer agrees in parts the workbooks did not give, now open
    /// 待办: located in `text`.
    pub settled: Vec<Problem>,
    /// Line items in the merged file.
    pub items: usize,
}

/// Why an import did not happen: problems in the workbooks, or in the
/// data file (`data`: located in that text).
pub struct Refusal {
    pub problems: Vec<Said>,
    /// The problems lie in this TOML text (the data file, or the merged one).
    pub data: Option<String>,
    /// That text is the merged file, which was not written.
    pub merged: bool,
}

impl Refusal {
    pub fn books(problems: Vec<Said>) -> Refusal {
        Refusal { problems, data: None, merged: false }
    }

    fn one(book: &str, p: Problem) -> Refusal {
        Refusal::books(vec![(book.to_string(), p)])
    }
}

/// Reads the workbooks, merges their figures into the data file `text`
/// and checks the result; nothing is written here.
pub fn apply(
    books: &[Workbook],
    path: &Path,
    text: &str,
    opts: &Options,
) -> Result<Outcome, Refusal> {
    let old = load(path, text)?;
    let mut warnings = Vec::new();
    // The notes on the workbooks go with a refusal too: “these columns are
    // not read” can be why a row lacks its economic class.
    steps(books, (path, text, &old), opts, &mut warnings).map_err(|mut r| {
        if r.data.is_none() {
            r.problems.append(&mut warnings);
        }
        r
    })
}

fn steps(
    books: &[Workbook],
    (path, text, old): (&Path, &str, &Budget),
    opts: &Options,
    warnings: &mut Vec<Said>,
) -> Result<Outcome, Refusal> {
    let parts = read_all(books, old, opts, warnings)?;
    let stated = year_check(&parts, old, opts, warnings)?;
    let combined = combine(&parts, old, warnings)?;
    if combined.rows.is_empty() && combined.cover != Cover::Nothing {
        let name = books.first().map_or("", |b| b.name.as_str());
        return Err(Refusal::one(name, at("", "工作簿中没有一条预算明细（金额行）")));
    }
    settle::fits(&combined, old).map_err(|p| Refusal::one("", p))?;
    magnitude(&combined, old).map_err(|p| Refusal::one(&books[0].name, p))?;
    let merged = crate::import::write::merge(text, old, &combined, stated)
        .map_err(|e| Refusal::one("", Problem::error("", e)))?;
    let before = crate::pipeline::inspect_bytes(path, text.as_bytes()).problems;
    let (text, new, settled) = settle::check(path, merged, &combined, &before)?;
    reconcile(books, &parts, &new)?;
    settle::size(&text).map_err(|p| Refusal::one("", p))?;
    let changes = crate::diff::diff(old, &new);
    let read = parts.iter().map(|(n, l, i)| (n.clone(), *l, i.rows.len())).collect();
    let warnings = std::mem::take(warnings);
    Ok(Outcome { read, items: new.line_items.len(), text, changes, warnings, settled })
}

/// Each workbook's own tables against the merged file.
fn reconcile(books: &[Workbook], parts: &[Part], new: &Budget) -> Result<(), Refusal> {
    let mut problems = Vec::new();
    for (wb, (_, layout, _)) in books.iter().zip(parts) {
        let found = match layout {
            Layout::Standard => crate::import::reconcile::tables(&wb.book, new),
            Layout::Platform => platform::reconcile(&wb.book, new),
            Layout::LineItems => Vec::new(),
        };
        problems.extend(found.into_iter().map(|p| (wb.name.clone(), p)));
    }
    if problems.is_empty() { Ok(()) } else { Err(Refusal::books(problems)) }
}

/// A workbook whose items add up to a thousand times the data file's (or
/// a thousandth) has its unit wrong: 元 read as 万元, or the reverse.
/// Budgets move by percents from one year to the next, not by 10,000.
fn magnitude(imported: &Imported, b: &Budget) -> Result<(), Problem> {
    if imported.cover != Cover::All {
        return Ok(());
    }
    let old: rust_decimal::Decimal =
        crate::model::lineitems::items(b).iter().map(|i| i.amount.0).sum();
    let new: rust_decimal::Decimal = imported.rows.iter().map(|r| r.amount).sum();
    if old <= rust_decimal::Decimal::ZERO || new <= rust_decimal::Decimal::ZERO {
        return Ok(());
    }
    let ratio = new / old;
    let thousand = rust_decimal::Decimal::from(1000);
    if ratio < thousand && ratio * thousand > rust_decimal::Decimal::ONE {
        return Ok(());
    }
    let place = imported.rows.first().map(|r| r.place.clone()).unwrap_or_default();
    Err(at(place, format!(
        "工作簿的金额合计 {} 万元是数据文件原有合计 {} 万元的 {} 倍：多半是单位（元、万元）弄错了",
        new.normalize(),
        old.normalize(),
        ratio.round_sf(3).unwrap_or(ratio).normalize()
    ))
    .expected("核对工作簿的“单位：”行与金额列标题（“金额（元）”或“金额（万元）”）"))
}

/// The data file as it is, or its own problems.
fn load(path: &Path, text: &str) -> Result<Budget, Refusal> {
    let loaded = crate::source::from_bytes(path, text.as_bytes());
    loaded.budget.ok_or_else(|| Refusal {
        problems: loaded.problems.into_iter().map(|p| (String::new(), p)).collect(),
        data: Some(text.to_string()),
        merged: false,
    })
}

type Part = (String, Layout, Imported);

/// Every workbook read; refused together when any has an error.
fn read_all(
    books: &[Workbook],
    b: &Budget,
    opts: &Options,
    warnings: &mut Vec<Said>,
) -> Result<Vec<Part>, Refusal> {
    let mut parts = Vec::new();
    let mut errors = Vec::new();
    for wb in books {
        let mut found = hidden(&wb.book);
        let layout = opts.layout.or_else(|| recognise(&wb.book));
        let Some(layout) = layout else {
            found.push(unknown_layout(&wb.book));
            errors
                .extend(found.into_iter().filter(Problem::is_error).map(|p| (wb.name.clone(), p)));
            continue;
        };
        let imported = read(&wb.book, layout, b);
        found.extend(imported.problems.iter().cloned());
        for p in found {
            match p.is_error() {
                true => errors.push((wb.name.clone(), p)),
                false => warnings.push((wb.name.clone(), p)),
            }
        }
        parts.push((wb.name.clone(), layout, imported));
    }
    if errors.is_empty() { Ok(parts) } else { Err(Refusal::books(errors)) }
}

/// Hidden sheets: refused when one is named like a sheet the import reads
/// (it may be a stale copy of the shown one), else noted as unread.
fn hidden(book: &Book) -> Vec<Problem> {
    let mut out = Vec::new();
    for (sheet, state) in &book.hidden {
        let name = &sheet.name;
        let how = match state {
            Visibility::VeryHidden => "深度隐藏的（Excel 的“取消隐藏”里也列不出来）",
            _ => "隐藏的",
        };
        if looks_read(sheet) {
            out.push(
                at(name.clone(), format!("工作表“{name}”是{how}，而它的名称是导入要读的表：可能是留下的旧表，不知道该用哪一张，拒绝导入"))
                    .expected(format!("在 Excel 中删去不用的那张；确要用这张隐藏的表时加 --use-hidden \"{name}\"")),
            );
        } else {
            out.push(Problem::warning(name.clone(), format!("工作表“{name}”是{how}，没有用")));
        }
    }
    out
}

/// Whether a sheet is one a layout reads: by its name, its title, or a
/// line-item header.
fn looks_read(s: &crate::import::book::Sheet) -> bool {
    let title = crate::import::book::strip_year(&s.title());
    let named = |t: &str| {
        let m = meaning(t);
        let standard = standard::titles().iter().any(|x| m.ends_with(&meaning(x)));
        platform::is_table(t) || standard || m.contains("明细") || m.contains("预算表")
    };
    named(&s.name) || named(&title) || crate::import::lineitems::has_header(s)
}

fn unknown_layout(book: &Book) -> Problem {
    let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
    let hidden = match book.hidden.is_empty() {
        true => String::new(),
        false => format!("（另有隐藏的工作表 {} 个，没有用）", book.hidden.len()),
    };
    at("", format!("认不出工作簿的格式；其中的工作表：{}{hidden}", names.join("、"))).expected(
        "yusuan build --xlsx 的九张附表（工作表名“附表1 部门收支总表”……）、区级平台导出（“部门收支总表”等）或预算明细导出（有“支出功能分类”“金额”列标题）；格式可用 --layout 指定",
    )
}

/// A workbook of another year than the data file is refused, unless
/// `--year` names that year; the year stated, if it is not the file's.
fn year_check(
    parts: &[Part],
    b: &Budget,
    opts: &Options,
    warnings: &mut Vec<Said>,
) -> Result<Option<i32>, Refusal> {
    let file = b.document.year;
    let mut errors = Vec::new();
    for (name, _, imported) in parts {
        let Some((year, place)) = &imported.year else { continue };
        let p = match opts.year {
            Some(y) if y == *year => continue,
            Some(y) => at(place.clone(), format!("--year {y} 与工作簿写明的 {year} 年不符"))
                .expected(format!("--year {year}，或换用 {y} 年的工作簿")),
            None if *year == file => continue,
            None => at(
                place.clone(),
                format!("工作簿是 {year} 年的预算，数据文件是 {file} 年的：多半拿错了工作簿"),
            )
            .expected(format!(
                "{file} 年的工作簿；确要把 {year} 年的数字导入 {file} 年的文件时加 --year {year}"
            )),
        };
        errors.push((name.clone(), p));
    }
    if !errors.is_empty() {
        return Err(Refusal::books(errors));
    }
    let stated = opts.year.filter(|y| *y != file);
    if let Some(y) = stated {
        warnings.push((
            String::new(),
            Problem::warning("", format!("按 --year {y}：把 {y} 年的数字导入 {file} 年的数据文件；导入的各项记为草稿待办，改成本年的数后自动完成")),
        ));
    }
    Ok(stated)
}

/// The workbooks' figures as one: several workbooks give other units
/// each; the 三公 figures are the department's, or the sum of every
/// unit's own when each unit's workbook is given.
fn combine(parts: &[Part], b: &Budget, warnings: &mut Vec<Said>) -> Result<Imported, Refusal> {
    let several = parts.len() > 1;
    let mut out = Imported { cover: Cover::Nothing, ..Imported::default() };
    let mut owner: Vec<Option<&str>> = vec![None; b.units.len()];
    let mut errors = Vec::new();
    for (name, _, p) in parts {
        let cover = cover_of(p, several);
        if let Cover::Units(units) = &cover {
            for &u in units {
                match owner.get(u).copied().flatten() {
                    Some(first) => errors.push((
                        name.clone(),
                        at(
                            "",
                            format!(
                                "单位“{}”的预算明细在 {first} 与 {name} 中都有：不知道用哪一份",
                                b.units[u].name
                            ),
                        )
                        .expected("每个单位只给一个工作簿"),
                    )),
                    None => owner[u] = Some(name),
                }
            }
        }
        out.cover = join_cover(std::mem::take(&mut out.cover), cover);
        out.rows.extend(p.rows.iter().cloned());
        if out.sangong.is_none() {
            out.sangong = p.sangong.clone();
        }
        out.year = out.year.take().or_else(|| p.year.clone());
    }
    if !errors.is_empty() {
        return Err(Refusal::books(errors));
    }
    if out.sangong.is_none() {
        out.sangong = unit_sangong(parts, b, warnings);
    }
    Ok(out)
}

/// Whose items a workbook gives: a unit's workbook its unit's; one of
/// several the units its rows name.
fn cover_of(p: &Imported, several: bool) -> Cover {
    match (&p.cover, p.unit) {
        (Cover::Nothing, _) => Cover::Nothing,
        (_, Some(u)) => Cover::Units(BTreeSet::from([u])),
        (Cover::All, None) if several => Cover::Units(p.rows.iter().map(|r| r.unit).collect()),
        (c, None) => c.clone(),
    }
}

fn join_cover(a: Cover, b: Cover) -> Cover {
    match (a, b) {
        (Cover::Nothing, x) | (x, Cover::Nothing) => x,
        (Cover::All, _) | (_, Cover::All) => Cover::All,
        (Cover::Units(mut x), Cover::Units(y)) => {
            x.extend(y);
            Cover::Units(x)
        }
    }
}

/// The sum of every unit's own 三公 figures, when each unit's workbook
/// brought them; otherwise none, said.
fn unit_sangong(
    parts: &[Part],
    b: &Budget,
    warnings: &mut Vec<Said>,
) -> Option<(SangongFigures, String)> {
    let own: Vec<(&str, &(usize, SangongFigures, String))> = parts
        .iter()
        .filter_map(|(n, _, p)| p.unit_sangong.as_ref().map(|s| (n.as_str(), s)))
        .collect();
    let units: BTreeSet<usize> = own.iter().map(|(_, (u, _, _))| *u).collect();
    if own.is_empty() {
        return None;
    }
    if units.len() < b.units.len() {
        let (name, (u, _, _)) = own[0];
        warnings.push((name.to_string(), Problem::warning("", format!(
            "单位“{}”的“三公”经费只是该单位的数，没有全部单位的工作簿，不导入（部门的“三公”经费请用部门的工作簿，或一次给出每个单位的工作簿）",
            b.units[*u].name
        ))));
        return None;
    }
    let mut sum = SangongFigures::default();
    for (_, (_, f, _)) in &own {
        sum.overseas = sum.overseas + f.overseas;
        sum.vehicle_purchase = sum.vehicle_purchase + f.vehicle_purchase;
        sum.vehicle_operation = sum.vehicle_operation + f.vehicle_operation;
        sum.reception = sum.reception + f.reception;
    }
    Some((sum, format!("{} 个单位工作簿的“三公”经费之和", own.len())))
}
