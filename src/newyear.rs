//! 下一年度草稿：本年数变为上年数，身份、职责、机构、名词解释沿用，
//! 须重新填写的部分在文件中标明。
//!
//! The draft is produced by editing the TOML document itself (toml_edit), so
//! the author's comments, order and layout survive. This year's figures stay
//! in place as placeholders: the draft passes `check` and builds at once,
//! showing every change as 持平 until the new figures are entered.

use toml_edit::{DocumentMut, Item, Table, value};

pub mod final_draft;
pub mod init;

use crate::model::Budget;
use crate::model::todo::STALE_YEARS;

/// The mark put on everything that must be entered again.
pub const MARK: &str = "【待更新】";

/// A draft and the list of what the author must revisit.
pub struct Draft {
    pub text: String,
    /// Fields whose text names an earlier year, to be read again.
    pub mentions_old_year: Vec<String>,
    /// What the command should tell the officer besides (a sample carried
    /// forward, years skipped), one sentence each.
    pub notes: Vec<String>,
}

/// Builds the draft for `year` from a file of an earlier year, which may be
/// a draft itself: its header and marks are replaced, not stacked. When
/// `year` is not the next year, last year's figures are the source year's
/// and the draft says so and lists them as 待办.
pub fn rollover(text: &str, b: &Budget, year: i32) -> Result<Draft, String> {
    let cleaned = without_marks(text);
    let mut doc: DocumentMut = cleaned.parse().map_err(|e| format!("无法解析原文件：{e}"))?;
    let old = b.document.year;
    set_identity(&mut doc, year);
    set_previous(&mut doc, b);
    set_sangong_previous(&mut doc);
    set_assets_date(&mut doc, year, b);
    for (path, what) in TO_UPDATE {
        mark(&mut doc, path, what);
    }
    let years = (year - STALE_YEARS).min(old)..=year - 1;
    let mentions_old_year = old_year_mentions(doc.as_item(), "", &years);
    let mut fields = crate::model::todo::carried(doc.as_item(), CARRIED, &carried_field);
    if year > old + 1 {
        fields.extend(crate::model::todo::carried(doc.as_item(), LAST_YEAR, &last_year_figure));
    }
    crate::model::todo::write(&mut doc, Some(old), &fields);
    let header = header(old, year, &mentions_old_year, b.document.sample);
    let notes = notes(old, year, b.document.sample);
    Ok(Draft { text: format!("{header}{doc}"), mentions_old_year, notes })
}

/// A source that is itself a draft: its header (everything `yusuan new`
/// wrote above the first blank line) and its 【待更新】 lines go, so the
/// new draft's are the only ones.
fn without_marks(text: &str) -> String {
    let body = match text.strip_prefix('\u{feff}').unwrap_or(text) {
        t if is_draft_header(t) => t.split_once("\n\n").map_or("", |(_, rest)| rest),
        t => t,
    };
    let mark = format!("# {MARK}");
    body.split_inclusive('\n').filter(|l| !l.trim_start().starts_with(&mark)).collect()
}

fn is_draft_header(text: &str) -> bool {
    let first = text.lines().next().unwrap_or("");
    first.starts_with("# ") && first.contains("年部门预算数据草稿，由 yusuan new 依据")
}

/// The files beside `from` that hold the same department's data for a
/// later year than `year`, with that year, in year order: rolling forward
/// from an older file when a newer one exists skips the newer one's
/// figures. Files that do not read as data are passed over.
pub fn later_files(
    from: &std::path::Path,
    code: &str,
    year: i32,
) -> Vec<(std::path::PathBuf, i32)> {
    let dir =
        from.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<(std::path::PathBuf, i32)> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
        .filter_map(|p| {
            let file = crate::source::read(&p).ok()?;
            let doc: DocumentMut = file.text.parse().ok()?;
            let d = doc.get("document")?;
            let same = d.get("code").and_then(Item::as_str).map(str::trim) == Some(code.trim());
            let y = d.get("year").and_then(Item::as_integer).and_then(|y| i32::try_from(y).ok())?;
            // A 决算 names its budget; it is not a later budget.
            (same && y > year && doc.get("final_accounts").is_none()).then_some((p, y))
        })
        .collect();
    out.sort_by_key(|(p, y)| (*y, p.clone()));
    out
}

/// What the officer is told on the command line.
fn notes(old: i32, year: i32, sample: bool) -> Vec<String> {
    let mut v = Vec::new();
    if year > old + 1 {
        let (first, last) = (old + 1, year - 1);
        let skipped =
            if first == last { format!("{first} 年") } else { format!("{first}—{last} 年") };
        v.push(format!(
            "跨过了 {skipped}：草稿中的上年数（[previous] 与 [sangong.previous]）是 {old} 年的预算数，不是 {last} 年的，已记入待办，请改为 {last} 年的预算数"
        ));
    }
    if sample {
        v.push(
            "原文件是样例（document.sample = true），草稿也标着样例，每页天头印“样例”；作为正式文件时请删去 sample = true"
                .to_string(),
        );
    }
    v
}

/// Sections to re-enter, with what to do there.
const TO_UPDATE: &[(&str, &str)] = &[
    ("income", "收入预算：以下为上年数，请填写本年预算"),
    ("expenditure.basic", "基本支出：以下为上年数，请填写本年预算"),
    ("expenditure.projects", "项目支出：以下为上年项目，请按本年项目重新填写"),
    ("previous", "上年数已由程序填入；请在本年数填好后写明增减原因"),
    ("operating_costs", "机关运行经费：请核对本年金额与用途"),
    ("sangong.current", "“三公”经费：以下为上年数，请填写本年预算"),
    ("sangong.reasons", "“三公”经费增减原因：请按本年情况填写"),
    ("performance.overall", "部门整体绩效目标：请按本年工作重新填写"),
    ("performance.projects", "项目绩效目标表：请按本年项目重新填写"),
    ("procurement", "政府采购预算：请填写本年数"),
    ("assets", "国有资产：截止日期已改为上一年的同一天，请更新数量与价值及拟购置情况"),
];

/// Where last year's content stays in the draft, to be entered again field
/// by field (`[todo]`). Not 上年数 (set by the program) nor identity,
/// duties, units and glossary (carried over on purpose).
const CARRIED: &[&str] = &[
    "income",
    "expenditure",
    "operating_costs",
    "sangong.current",
    "performance.overall",
    "performance.projects",
    "procurement",
    "assets",
    "line_items",
];

/// Last year's figures, set from the source file: the previous year's
/// only when the draft is for the year after it.
const LAST_YEAR: &[&str] =
    &["previous.basic", "previous.projects", "previous.appropriation", "sangong.previous"];

/// Whether a leaf under [`LAST_YEAR`] is a figure to set again: every
/// amount but a zero (a reason is blank, and the stated checks are gone).
fn last_year_figure(_path: &str, item: &Item) -> bool {
    let c = crate::model::todo::canonical(item);
    c.as_deref().is_some_and(|c| crate::model::amount::parse_amount(c).is_ok_and(|a| !a.is_zero()))
}

/// Whether a leaf under [`CARRIED`] is last year's content to revisit. Zero
/// amounts are not (a zero source of income stays zero far more often than
/// not), nor switches, dates set by the program, or what names a line item
/// or a project rather than its figures.
fn carried_field(path: &str, item: &Item) -> bool {
    let key = path.rsplit('.').next().unwrap_or(path);
    let fixed = [
        "as_of",
        "same_as_public",
        "name",
        "unit",
        "budget_line",
        "function",
        "function_name",
        "economic",
        "economic_name",
        "source",
        "carried_from",
        "basic",
        "project",
        "level1",
        "level2",
        "level3",
    ];
    if fixed.contains(&key) || item.as_bool().is_some() {
        return false;
    }
    let zero = crate::model::todo::canonical(item).is_some_and(|c| c == "0");
    !zero
}

fn table_mut<'a>(doc: &'a mut DocumentMut, path: &str) -> Option<&'a mut Item> {
    let mut item = doc.as_item_mut();
    for key in path.split('.') {
        item = item.get_mut(key)?;
    }
    Some(item)
}

fn set_identity(doc: &mut DocumentMut, year: i32) {
    if let Some(d) = table_mut(doc, "document").and_then(Item::as_table_like_mut) {
        d.insert("year", value(i64::from(year)));
        d.remove("date");
    }
}

/// Fills `[previous]` in place, so its comments and position stay.
fn set_previous(doc: &mut DocumentMut, b: &Budget) {
    let e = &b.expenditure;
    if table_mut(doc, "previous").is_none() {
        doc.insert("previous", Item::Table(Table::new()));
    }
    let Some(p) = table_mut(doc, "previous").and_then(Item::as_table_like_mut) else { return };
    p.insert("basic", amount(e.basic_total()));
    p.insert("projects", amount(e.projects_total()));
    p.insert("basic_reason", value(""));
    p.insert("projects_reason", value(""));
    p.remove("stated");
    // A file that compares 财政拨款 with last year gets this year's, per fund.
    if p.contains_key("appropriation") && !b.line_items.is_empty() {
        let [now, carried] = crate::model::ledger::derive(b).appropriation_income;
        let mut t = toml_edit::InlineTable::new();
        for (k, key) in ["general", "fund", "capital"].into_iter().enumerate() {
            t.insert(key, (now[k] + carried[k]).to_string().into());
        }
        p.insert("appropriation", value(t));
        p.insert("appropriation_reason", value(""));
    }
}

fn amount(a: crate::model::amount::Amount) -> Item {
    // Written as a string: it is the exact decimal, whatever its digits.
    value(a.to_string())
}

/// Copies this year's 三公 figures over last year's, key by key, and
/// empties the reasons.
fn set_sangong_previous(doc: &mut DocumentMut) {
    let Some(s) = table_mut(doc, "sangong").and_then(Item::as_table_like_mut) else { return };
    let current: Vec<(String, Item)> = match s.get("current").and_then(Item::as_table_like) {
        Some(c) => c.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
        None => return,
    };
    if let Some(prev) = s.get_mut("previous").and_then(Item::as_table_like_mut) {
        prev.clear();
        for (k, v) in current {
            prev.insert(&k, v);
        }
    }
    if let Some(reasons) = s.get_mut("reasons").and_then(Item::as_table_like_mut) {
        let keys: Vec<String> = reasons.iter().map(|(k, _)| k.to_string()).collect();
        for k in keys {
            reasons.insert(&k, value(""));
        }
    }
}

/// The count is taken on the same day of the year before the new budget
/// year: 12月31日 stays 12月31日, 8月31日 stays 8月31日.
fn set_assets_date(doc: &mut DocumentMut, year: i32, b: &Budget) {
    let (month, day) = b.assets.as_of.date.map_or((12, 31), |d| (d.month, d.day));
    let date = format!("{}-{month:02}-{day:02}", year - 1);
    if let (Some(a), Ok(d)) = (
        table_mut(doc, "assets").and_then(Item::as_table_like_mut),
        date.parse::<toml_edit::Datetime>(),
    ) {
        a.insert("as_of", value(d));
    }
}

/// Puts a `# 【待更新】…` comment line above a table or array of tables.
fn mark(doc: &mut DocumentMut, path: &str, what: &str) {
    let line = format!("# {MARK}{what}\n");
    match table_mut(doc, path) {
        Some(Item::Table(t)) => prepend(t, &line),
        Some(Item::ArrayOfTables(a)) => {
            if let Some(t) = a.get_mut(0) {
                prepend(t, &line);
            }
        }
        _ => {}
    }
}

fn prepend(t: &mut Table, line: &str) {
    let old = t.decor().prefix().and_then(|p| p.as_str()).unwrap_or("").to_string();
    let (blank, rest) = match old.strip_prefix('\n') {
        Some(r) => ("\n", r.to_string()),
        None => ("", old),
    };
    t.decor_mut().set_prefix(format!("{blank}{line}{rest}"));
}

/// Dotted paths of string values that mention one of `years` (`2021年`).
fn old_year_mentions(
    item: &Item,
    path: &str,
    years: &std::ops::RangeInclusive<i32>,
) -> Vec<String> {
    let needles: Vec<String> = years.clone().map(|y| format!("{y}年")).collect();
    let mut out = Vec::new();
    let join = |k: &str| if path.is_empty() { k.to_string() } else { format!("{path}.{k}") };
    match item {
        Item::Table(t) => {
            for (k, v) in t.iter().filter(|(k, _)| *k != "todo") {
                out.extend(old_year_mentions(v, &join(k), years));
            }
        }
        Item::ArrayOfTables(a) => {
            for (i, t) in a.iter().enumerate() {
                out.extend(old_year_mentions(
                    &Item::Table(t.clone()),
                    &format!("{path}[{i}]"),
                    years,
                ));
            }
        }
        Item::Value(v) => scan_value(v, path, &needles, &mut out),
        Item::None => {}
    }
    out
}

fn scan_value(v: &toml_edit::Value, path: &str, needles: &[String], out: &mut Vec<String>) {
    match v {
        toml_edit::Value::String(s) if needles.iter().any(|n| s.value().contains(n.as_str())) => {
            out.push(path.to_string())
        }
        toml_edit::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                scan_value(x, &format!("{path}[{i}]"), needles, out);
            }
        }
        toml_edit::Value::InlineTable(t) => {
            for (k, x) in t.iter() {
                scan_value(x, &format!("{path}.{k}"), needles, out);
            }
        }
        _ => {}
    }
}

/// How many fields naming an earlier year the header lists by name.
const LISTED: usize = 8;

fn header(old: i32, year: i32, mentions: &[String], sample: bool) -> String {
    let last = if year == old + 1 {
        "已由程序填入，无需改动".to_string()
    } else {
        format!(
            "是 {old} 年的预算数，不是 {} 年的：请改为 {} 年的预算数（已记入 [todo]）",
            year - 1,
            year - 1
        )
    };
    let mut h = format!(
        "# {year}年部门预算数据草稿，由 yusuan new 依据{old}年数据生成。\n\
         # 标有“{MARK}”的部分仍是{old}年的内容，请逐项改为{year}年预算；\n\
         # 文件末尾的 [todo] 逐个字段记着这些内容，改完之前只能生成草稿（yusuan check 按部分列出）；\n\
         # 部门身份、职责、机构设置与名词解释已沿用，请核对。\n\
         # 上年数（[previous] 与 [sangong.previous]）{last}。\n"
    );
    if sample {
        h.push_str("# 注意：原文件是样例（sample = true），每页印“样例”；作为正式文件时删去 [document] 中的 sample = true。\n");
    }
    if !mentions.is_empty() {
        h.push_str(&format!("# 以下字段提到{year}年以前的年度，请确认是否应改为{year}年：\n"));
        for m in mentions.iter().take(LISTED) {
            h.push_str(&format!("#   {m}\n"));
        }
        if mentions.len() > LISTED {
            h.push_str(&format!("#   ……共 {} 处，yusuan check 逐处列出\n", mentions.len()));
        }
    }
    h.push('\n');
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> String {
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/101001-2021.toml"))
            .unwrap()
    }

    #[test]
    fn this_years_figures_become_last_years() {
        let text = sample();
        let b: Budget = toml::from_str(&text).unwrap();
        let draft = rollover(&text, &b, 2022).unwrap();
        let next: Budget = toml::from_str(&draft.text).unwrap();
        assert_eq!(next.document.year, 2022);
        assert_eq!(next.previous.basic, b.expenditure.basic_total());
        assert_eq!(next.previous.projects, b.expenditure.projects_total());
        assert_eq!(next.sangong.previous.reception, b.sangong.current.reception);
        assert!(next.sangong.reasons.reception.is_empty());
        assert_eq!(next.assets.as_of.to_string(), "2021-12-31");
        assert_eq!(next.duties.items, b.duties.items);
        assert!(draft.text.contains(&format!("# {MARK}收入预算")));
        assert!(draft.mentions_old_year.iter().any(|m| m.starts_with("performance.overall.goal")));
        assert!(crate::checks::check(&next).iter().all(|p| !p.is_error()));
    }
}
