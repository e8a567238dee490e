//! 科目核对：明细的功能分类、经济分类编码是否在数据年度的科目表中，名称是否与
//! 科目表一致；没有该年度科目表时说明改用哪一年的。
//!
//! The catalogue is an input here, not a global: the data's year chooses
//! it, and the user's own catalogue file may have extended it.

use crate::diag::Problem;
use crate::model::catalogue::{Catalogue, Entry, Naming, Scheme, Verdict, naming};

/// The catalogue in words, for messages: “2025 年科目表（内置 catalogue/2025.toml）”,
/// naming the user's file too when one was laid over it.
pub fn describe(cat: &Catalogue) -> String {
    let bundled = cat.bundled_file();
    match &cat.user {
        Some(u) => format!("{} 年科目表（内置 {bundled}，及 {u}）", cat.year),
        None => format!("{} 年科目表（内置 {bundled}）", cat.year),
    }
}

/// Where the user adds a missing code for data of `year`.
fn how_to_add(year: i32, lines: &str) -> String {
    format!(
        "核对编码是否写错；确实存在的科目，在数据文件旁的 catalogue/{year}.toml（或 --catalogue 指定的文件）中写 {lines}，不必重新编译 yusuan（见 docs/data-format.md）"
    )
}

/// One warning when the data's year has no bundled catalogue of its own.
pub fn year_fallback(data_year: i32, cat: &Catalogue) -> Option<Problem> {
    (data_year != cat.year).then(|| {
        Problem::warning(
            "document.year",
            format!(
                "没有 {data_year} 年的科目表，按最近的 {}核对科目编码和名称",
                describe(cat)
            ),
        )
        .expected(format!(
            "核对 {data_year} 年的科目是否有变化；有变化时在数据文件旁的 catalogue/{data_year}.toml 中补充或更正"
        ))
    })
}

/// What is wrong with the full code of a line item, at `path`; `None` when
/// the catalogue lists it.
pub fn code(s: Scheme, code: &str, path: &str, cat: &Catalogue) -> Option<Problem> {
    let year = cat.year;
    let name = |c: &str| cat.name(s, c).unwrap_or("").to_string();
    match cat.judge(s, code) {
        Verdict::Known(_) => None,
        Verdict::Shape => Some(shape(s, code, path, year)),
        Verdict::NoClass { class } => Some(
            Problem::error(
                path,
                format!("{}科目 {code}：{}中没有“{class}”这个类", s.label(), describe(cat)),
            )
            .expected(how_to_add(year, &format!("\"{class}\" = \"类名称\""))),
        ),
        Verdict::NoKuan { class, kuan } => Some(
            Problem::error(
                path,
                format!(
                    "{}科目 {code}：{}（{class}）下没有“{kuan}”这个款，{}未收录",
                    s.label(),
                    name(&class),
                    describe(cat)
                ),
            )
            .expected(how_to_add(year, &kuan_lines(s, code, &kuan))),
        ),
        Verdict::NoItem { kuan, complete } => {
            Some(no_item(code, &kuan, &name(&kuan), complete, path, cat))
        }
    }
}

/// The lines that add a missing 款 (and, for a function code, its 项).
fn kuan_lines(s: Scheme, code: &str, kuan: &str) -> String {
    match s {
        Scheme::Function => format!("\"{kuan}\" = \"款名称\" 和 \"{code}\" = \"项名称\""),
        Scheme::Economic => format!("\"{kuan}\" = \"款名称\"（写在 [economic] 下）"),
    }
}

fn shape(s: Scheme, code: &str, path: &str, year: i32) -> Problem {
    let (what, example) = match s {
        Scheme::Function => ("7 位数字（类 3 位、款 2 位、项 2 位）", "项级编码，如 2010101"),
        Scheme::Economic => ("5 位数字（类 3 位、款 2 位）", "款级编码，如 30201"),
    };
    Problem::error(path, format!("{}科目编码“{code}”应为 {what}", s.label()))
        .expected(format!("{year} 年{}科目的{example}", s.label()))
}

/// A 项 the catalogue does not list under a 款 it does. Most 款 list only
/// the 项 seen in a source, so this is a warning unless the 款 says its 项
/// are complete.
fn no_item(
    code: &str,
    kuan: &str,
    kuan_name: &str,
    complete: bool,
    path: &str,
    cat: &Catalogue,
) -> Problem {
    let add = how_to_add(cat.year, &format!("\"{code}\" = \"项名称\""));
    if complete {
        return Problem::error(
            path,
            format!(
                "功能分类科目 {code}：{kuan_name}（{kuan}）款下没有这一项（{}已列全该款的项）",
                describe(cat)
            ),
        )
        .expected(add);
    }
    Problem::warning(
        path,
        format!(
            "功能分类科目 {code} 不在 {}中：该表 {kuan_name}（{kuan}）款下的项没有收全，这一项的编码和名称无法核对",
            describe(cat)
        ),
    )
    .expected(add)
}

/// A name written in the data against the catalogue's: the same name
/// written with other brackets or blanks is a warning that says so, a former
/// name is a warning that gives the new one, any other name an error (a
/// warning when the catalogue's own name is unconfirmed).
pub fn name(
    s: Scheme,
    code: &str,
    written: &str,
    e: &Entry,
    path: &str,
    cat: &Catalogue,
) -> Option<Problem> {
    let (year, official) = (cat.year, e.name.as_str());
    let tables = format!("“{official}”（附表按科目表的写法印出）");
    match naming(written, e) {
        Naming::Same => None,
        Naming::Writing(kinds) => Some(
            Problem::warning(
                path,
                format!(
                    "{}科目 {code} 的名称写作“{}”，{year} 年科目表写作“{official}”：写法不同（{}），不是另一个科目",
                    s.label(),
                    written.trim(),
                    kinds.join("、")
                ),
            )
            .expected(tables),
        ),
        Naming::Former => Some(
            Problem::warning(
                path,
                format!(
                    "{}科目 {code} 在 {year} 年科目表中已改称“{official}”，这里写的是原名称“{}”",
                    s.label(),
                    written.trim()
                ),
            )
            .expected(format!("“{official}”（附表按新名称印出）")),
        ),
        Naming::Different => Some(different(s, code, written.trim(), e, path, cat)),
    }
}

fn different(
    s: Scheme,
    code: &str,
    written: &str,
    e: &Entry,
    path: &str,
    cat: &Catalogue,
) -> Problem {
    let official = &e.name;
    let message = format!(
        "{}科目 {code} 的名称是“{official}”，这里写作“{written}”（{}，来自 {}）",
        s.label(),
        describe(cat),
        e.origin
    );
    let fix = format!(
        "“{official}”；若是科目表有误，在数据文件旁的 catalogue/{}.toml 中更正该科目的名称",
        cat.year
    );
    if e.unconfirmed {
        let message = format!("{message}；科目表中这一名称未经核对");
        return Problem::warning(path, message).expected(fix);
    }
    Problem::error(path, message).expected(fix)
}
