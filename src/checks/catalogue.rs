//! 科目核对：明细的功能分类、经济分类编码是否在数据年度的科目表中，名称是否与
//! 科目表一致；没有该年度科目表时说明改用哪一年的。
//!
//! The catalogue is an input here, not a global: the data's year chooses
//! it, and the user's own catalogue file may have extended it.

use crate::diag::{Problem, Topic};
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

/// One warning when the data's year has no bundled catalogue of its own;
/// a run of many files of that year says it once.
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
        .topic(Topic::Shared(format!("fallback:{data_year}:{}", cat.year)))
    })
}

/// What is wrong with the full code of a line item, at `path`; `None` when
/// the catalogue lists it.
pub fn code(s: Scheme, code: &str, path: &str, cat: &Catalogue) -> Option<Problem> {
    code_named(s, code, None, path, cat)
}

/// As [`code`], knowing the name the data gives the code (if any), so that
/// a code one digit off a listed one whose name it carries is taken for the
/// typo it is. A code the year's catalogue lacks is judged at three levels:
/// listed in another year's catalogue, a note; unknown under a 款 whose 项
/// are not all listed, a warning said once per run; unknown where the
/// catalogue is complete (the 款 says so, or the bureau's own catalogue is
/// laid over the bundled one), an error.
pub fn code_named(
    s: Scheme,
    code: &str,
    written: Option<&str>,
    path: &str,
    cat: &Catalogue,
) -> Option<Problem> {
    let year = cat.year;
    let name = |c: &str| cat.name(s, c).unwrap_or("").to_string();
    let verdict = cat.judge(s, code);
    let near = match verdict {
        Verdict::Known(_) => return None,
        Verdict::Shape => return Some(shape(s, code, path, year)),
        _ => nearest(s, code, written, cat),
    };
    if let Verdict::NoItem { kuan, complete } = &verdict
        && let Some(p) = item_level(s, code, written, (kuan, *complete), near.as_ref(), path, cat)
    {
        return Some(p);
    }
    let hint = near.as_ref().map(|n| n.hint()).unwrap_or_default();
    let elsewhere = other_years(s, code, cat)
        .map(|(y, n)| format!("（{y} 年科目表有“{n}”）"))
        .unwrap_or_default();
    match verdict {
        Verdict::NoClass { class } => Some(
            Problem::error(
                path,
                format!(
                    "{}科目 {code}：{}中没有“{class}”这个类{elsewhere}{hint}",
                    s.label(),
                    describe(cat)
                ),
            )
            .expected(how_to_add(year, &format!("\"{class}\" = \"类名称\""))),
        ),
        Verdict::NoKuan { class, kuan } => Some(
            Problem::error(
                path,
                format!(
                    "{}科目 {code}：{}（{class}）下没有“{kuan}”这个款，{}未收录{elsewhere}{hint}",
                    s.label(),
                    name(&class),
                    describe(cat)
                ),
            )
            .expected(how_to_add(year, &kuan_lines(s, code, &kuan))),
        ),
        _ => None,
    }
}

/// A 项 under a listed 款 that the year's catalogue does not list.
fn item_level(
    s: Scheme,
    code: &str,
    written: Option<&str>,
    (kuan, complete): (&str, bool),
    near: Option<&Near>,
    path: &str,
    cat: &Catalogue,
) -> Option<Problem> {
    if let Some((y, n)) = other_years(s, code, cat) {
        return Some(known_elsewhere(s, code, (y, &n), path, cat));
    }
    let strict = complete || cat.user.is_some();
    if let Some(n) = near {
        return Some(typo(s, code, written, n, strict, path, cat));
    }
    let kuan_name = cat.name(s, kuan).unwrap_or("").to_string();
    if strict {
        return Some(complete_error(code, kuan, &kuan_name, complete, path, cat));
    }
    Some(no_item(code, kuan, &kuan_name, path, cat))
}

/// The listed codes one slip away from the one written (a digit changed,
/// or two neighbouring digits swapped), the likeliest first.
#[derive(Debug, Clone)]
struct Near {
    /// Code and name; the first is the one the fix names.
    codes: Vec<(String, String)>,
    /// The name the data gives is the first code's: surely a typo.
    same_name: bool,
}

impl Near {
    fn code(&self) -> &str {
        &self.codes[0].0
    }

    fn hint(&self) -> String {
        let each: Vec<String> = self.codes.iter().map(|(c, n)| format!("{c}（{n}）")).collect();
        format!("；是否想写 {}？", each.join(" 或 "))
    }
}

/// At most this many codes are offered for one slip.
const OFFERED: usize = 3;

/// The listed codes of the same length one typing slip from `code`,
/// those in the same 款 and the one whose name the data gives first.
fn nearest(s: Scheme, code: &str, written: Option<&str>, cat: &Catalogue) -> Option<Near> {
    let written = written.map(str::trim).filter(|w| !w.is_empty());
    let fold = crate::model::catalogue::fold;
    let mut found: Vec<(u8, String, String, bool)> = cat
        .entries(s)
        .filter(|(c, _)| c.len() == code.len() && one_slip(c, code))
        .map(|(c, e)| {
            let same_name = written.is_some_and(|w| fold(w) == fold(&e.name));
            let same_kuan = c.get(..5) == code.get(..5);
            let rank = u8::from(same_name) * 2 + u8::from(same_kuan);
            // The name proves a typo only within one 款: 行政运行, 事业运行,
            // 其他…支出 are the names of a 项 under every 款 (2060101 is no
            // slip of 2010101, only a 项 the catalogue does not list yet).
            (rank, c.to_string(), e.name.clone(), same_name && same_kuan)
        })
        .collect();
    let best = found.iter().map(|f| f.0).max()?;
    found.retain(|f| f.0 == best);
    let same_name = found[0].3;
    // A name that matches leaves no doubt which code was meant.
    let take = if same_name { 1 } else { OFFERED };
    let codes = found.into_iter().take(take).map(|(_, c, n, _)| (c, n)).collect();
    Some(Near { codes, same_name })
}

/// Whether two codes of one length differ by one digit, or by two
/// neighbouring digits swapped.
fn one_slip(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    match diff.as_slice() {
        [_] => true,
        [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
        _ => false,
    }
}

/// The nearest other bundled year whose catalogue lists the code, with
/// the name it has there.
fn other_years(s: Scheme, code: &str, cat: &Catalogue) -> Option<(i32, String)> {
    crate::source::catalogue::bundled_years()
        .filter(|y| *y != cat.year)
        .filter_map(|y| {
            let other = crate::source::catalogue::bundled(y);
            other.entry(s, code).map(|e| (y, e.name.clone()))
        })
        .min_by_key(|(y, _)| ((y - cat.year).abs(), *y))
}

fn known_elsewhere(
    s: Scheme,
    code: &str,
    (y, name): (i32, &str),
    path: &str,
    cat: &Catalogue,
) -> Problem {
    Problem::note(
        path,
        format!(
            "{}科目 {code} 不在 {}中，{y} 年科目表（内置 catalogue/{y}.toml）列有“{name}”：请核对 {} 年是否已设这一项（附表印明细中写的名称）",
            s.label(),
            describe(cat),
            cat.year
        ),
    )
    .expected(how_to_add(cat.year, &format!("\"{code}\" = \"{name}\"")))
    .topic(Topic::Shared(format!("elsewhere:{}:{code}:{}", s.key(), cat.year)))
}

/// A code one slip from a listed one: an error when the data gives it the
/// listed code's name (the digits are wrong, not the catalogue) or the
/// catalogue is complete there, else a warning that asks.
fn typo(
    s: Scheme,
    code: &str,
    written: Option<&str>,
    n: &Near,
    strict: bool,
    path: &str,
    cat: &Catalogue,
) -> Problem {
    let listed = format!("{}科目 {code} 不在 {}中", s.label(), describe(cat));
    if strict && !n.same_name {
        return Problem::error(path, format!("{listed}{}", n.hint())).expected(format!(
            "{} = \"{}\"",
            s.key(),
            n.code()
        ));
    }
    if n.same_name {
        let name = written.unwrap_or("").trim();
        return Problem::error(
            path,
            format!(
                "{listed}，这里的名称“{name}”是 {}（{}）的名称{}",
                n.code(),
                n.codes[0].1,
                n.hint()
            ),
        )
        .expected(format!("{} = \"{}\"", s.key(), n.code()));
    }
    Problem::warning(path, format!("{listed}{}", n.hint()))
        .expected(format!(
            "{} = \"{}\"；确实是另一项时，{}",
            s.key(),
            n.code(),
            how_to_add(cat.year, &format!("\"{code}\" = \"项名称\""))
        ))
        .topic(Topic::Shared(format!("typo:{}:{code}:{}", s.key(), cat.year)))
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

/// A 项 the catalogue does not list under a 款 whose 项 it does not all
/// list: most 款 list only the 项 seen in a source, so this is a warning,
/// said once per run however many files use the code.
fn no_item(code: &str, kuan: &str, kuan_name: &str, path: &str, cat: &Catalogue) -> Problem {
    let add = how_to_add(cat.year, &format!("\"{code}\" = \"项名称\""));
    Problem::warning(
        path,
        format!(
            "功能分类科目 {code} 不在 {}中：该表 {kuan_name}（{kuan}）款下的项没有收全，这一项的编码和名称无法核对",
            describe(cat)
        ),
    )
    .expected(add)
    .topic(Topic::Shared(format!("unknown:function:{code}:{}", cat.main_file())))
}

/// A 项 missing where the catalogue is complete: the 款 says its 项 are
/// all listed, or the bureau's own catalogue (from its budget system) is
/// laid over the bundled one and lists every code the bureau uses.
fn complete_error(
    code: &str,
    kuan: &str,
    kuan_name: &str,
    kuan_complete: bool,
    path: &str,
    cat: &Catalogue,
) -> Problem {
    let add = how_to_add(cat.year, &format!("\"{code}\" = \"项名称\""));
    let why = if kuan_complete {
        format!("{}已列全该款的项", describe(cat))
    } else {
        format!(
            "本地科目表 {} 叠加在内置科目表之上，未列出的编码视为写错",
            cat.user.as_deref().unwrap_or("")
        )
    };
    Problem::error(
        path,
        format!("功能分类科目 {code}：{kuan_name}（{kuan}）款下没有这一项（{why}）"),
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
