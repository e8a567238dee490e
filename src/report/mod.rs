//! 一批部门的汇总：每个部门一行（身份、收支、财政拨款、“三公”经费、机关运行经费、
//! 页数、警告与待办、核对结果、已生成的文件），全局合计，以及每个问题的清单，
//! 写成 Excel 工作簿（`xlsx`）与无障碍网页（`html`），供财政局对账、签发。
//!
//! The report reads what is on disk — the data files, checked the way
//! `check` checks them, and the output folder the build wrote — so it can
//! be made after any build (`yusuan report`) or at the end of one
//! (`build --report`) and always says the same.

mod html;
mod xlsx;

use std::path::{Path, PathBuf};

use crate::checks::summary::{self, Tally};
use crate::diag::{self, Problem, Topic};
use crate::error::Error;
use crate::model::Budget;
use crate::model::amount::Amount;
use crate::pipeline;

/// The files the report is written to, in the output folder.
pub const XLSX_FILE: &str = "yusuan-report.xlsx";
pub const HTML_FILE: &str = "yusuan-report.html";

/// One department's row.
#[derive(Debug, Clone)]
pub struct Row {
    /// The data file as given.
    pub file: String,
    pub code: String,
    pub department: String,
    pub profile: String,
    pub year: Option<i32>,
    /// 预算 or 决算.
    pub kind: &'static str,
    /// The budget's figures; `None` for a file with errors or a 决算.
    pub figures: Option<Figures>,
    /// Pages of the PDF in the output folder, if there is one.
    pub pages: Option<usize>,
    pub tally: Tally,
    /// The outputs of the file found in the output folder.
    pub outputs: Vec<String>,
    /// Every problem, one line each.
    pub problems: Vec<Line>,
}

impl Row {
    /// 草稿 while any 待办 is open.
    pub fn state(&self) -> &'static str {
        if self.tally.todo > 0 { "草稿" } else { "正式" }
    }

    /// The check's verdict in words.
    pub fn status(&self) -> String {
        match (self.tally.errors, self.tally.warnings) {
            (0, 0) => "通过".to_string(),
            (0, w) => format!("通过（{w} 个警告）"),
            (e, _) => format!("未通过（{e} 个错误）"),
        }
    }
}

/// The figures of a budget, in 万元.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    /// Income by source, in [`INCOME`] order, then the total.
    pub income: Vec<Amount>,
    /// 支出合计, 基本支出, 人员经费, 日常公用经费, 项目支出.
    pub spending: Vec<Amount>,
    /// 财政拨款收入 (this year's and carried, all three funds).
    pub appropriation: Amount,
    /// “三公”经费合计 and its parts, in [`SANGONG`] order.
    pub sangong: Vec<Amount>,
    /// 机关运行经费.
    pub operating: Amount,
}

/// Income columns after 收入合计.
pub const INCOME: [&str; 8] = [
    "一般公共预算",
    "政府性基金",
    "国有资本经营预算",
    "财政专户核拨",
    "事业收入",
    "事业单位经营收入",
    "其他来源",
    "上年结转",
];
pub const SPENDING: [&str; 5] = ["支出合计", "基本支出", "人员经费", "日常公用经费", "项目支出"];
pub const SANGONG: [&str; 5] =
    ["“三公”经费合计", "因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费"];

/// One problem of a file, as the problem sheet lists it.
#[derive(Debug, Clone)]
pub struct Line {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// 错误, 警告, 提示, 待办, 旧年度文字 or 草稿 (what the draft as a whole is).
    pub kind: &'static str,
    pub field: String,
    pub message: String,
    pub expected: String,
}

impl Figures {
    fn of(b: &Budget) -> Figures {
        let i = &b.income;
        let income = vec![
            i.total(),
            i.general_budget,
            i.government_fund,
            i.state_capital,
            i.special_account,
            i.institution,
            i.institution_business,
            i.other,
            i.carryover,
        ];
        let e = &b.expenditure;
        let spending =
            vec![e.total(), e.basic_total(), e.basic.personnel, e.basic.public, e.projects_total()];
        let s = &b.sangong.current;
        let sangong =
            vec![s.total(), s.overseas, s.vehicle_purchase, s.vehicle_operation, s.reception];
        Figures {
            income,
            spending,
            appropriation: appropriation(b),
            sangong,
            operating: b.operating_costs.amount.unwrap_or(e.basic.public),
        }
    }

    /// Every amount in column order, for sums and sheets.
    pub fn all(&self) -> Vec<Amount> {
        let mut v = self.income.clone();
        v.extend(&self.spending);
        v.push(self.appropriation);
        v.extend(&self.sangong);
        v.push(self.operating);
        v
    }
}

/// 财政拨款: from the line items when there are any (this year's and
/// carried-over appropriations), else the three appropriated incomes.
fn appropriation(b: &Budget) -> Amount {
    if b.line_items.is_empty() {
        let i = &b.income;
        return i.general_budget + i.government_fund + i.state_capital;
    }
    crate::model::ledger::derive(b).appropriation_income.iter().flatten().copied().sum()
}

/// The headings of the amount columns, in [`Figures::all`] order.
pub fn amount_headings() -> Vec<&'static str> {
    let mut v = vec!["收入合计"];
    v.extend(INCOME);
    v.extend(SPENDING);
    v.push("财政拨款收入");
    v.extend(SANGONG);
    v.push("机关运行经费");
    v
}

/// The rows of a batch: each input checked as `check` does (profile rules
/// included), with what the output folder holds of it.
pub fn collect(inputs: &[PathBuf], out_dir: &Path, catalogue: Option<&Path>) -> Vec<Row> {
    let profiles = pipeline::Profiles::new(&pipeline::Environment::default());
    inputs.iter().map(|p| row(p, out_dir, catalogue, &profiles)).collect()
}

fn row(
    path: &Path,
    out_dir: &Path,
    catalogue: Option<&Path>,
    profiles: &pipeline::Profiles,
) -> Row {
    let mut loaded = pipeline::inspect_with(path, catalogue);
    // A profile that cannot be read is the build's to report; the row
    // still shows what the data says.
    let _ = pipeline::with_profile(&mut loaded, path, profiles);
    let (name, text) = (loaded.file.name(), &loaded.file.text);
    let tally = summary::tally(&loaded.problems);
    let problems = loaded.problems.iter().map(|p| line(&name, text, p)).collect();
    let stem = loaded.file.stem();
    let b = loaded.budget.as_ref();
    let d = b.map(|b| &b.document);
    let final_ = b.is_some_and(|b| b.final_accounts.is_some());
    Row {
        file: name.clone(),
        code: d.map(|d| d.code.clone()).unwrap_or_default(),
        department: d.map(|d| d.department.clone()).unwrap_or_default(),
        profile: b.map(profile_name).unwrap_or_default(),
        year: d.map(|d| d.year),
        kind: if final_ { "决算" } else { "预算" },
        figures: b.filter(|_| tally.errors == 0 && !final_).map(Figures::of),
        pages: page_count(&out_dir.join(format!("{stem}.pdf"))),
        tally,
        outputs: outputs(out_dir, &stem),
        problems,
    }
}

fn profile_name(b: &Budget) -> String {
    b.document.profile.clone().unwrap_or_else(|| b.kind().default_profile().to_string())
}

fn line(name: &str, text: &str, p: &Problem) -> Line {
    let (line, column) = p
        .span
        .as_ref()
        .filter(|_| p.file.is_none())
        .map_or((0, 0), |s| diag::line_col(text, s.start));
    let kind = match (p.subject(), p.severity) {
        (Topic::Todo(_), _) => "待办",
        (Topic::Stale(_), _) => "旧年度文字",
        (Topic::Draft, _) => "草稿",
        (_, s) => s.word(),
    };
    let file = p.file.as_ref().map_or(name.to_string(), |f| f.name.clone());
    Line {
        file,
        line,
        column,
        kind,
        field: p.field.clone(),
        message: p.message.clone(),
        expected: p.expected.clone().unwrap_or_default(),
    }
}

/// The files a build writes for a data file, as found.
fn outputs(out_dir: &Path, stem: &str) -> Vec<String> {
    ["pdf", "xlsx", "html", "json"]
        .iter()
        .map(|e| out_dir.join(format!("{stem}.{e}")))
        .filter(|p| p.is_file())
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect()
}

/// The page count of a PDF yusuan wrote: the `/Count` of its page tree's
/// root, the largest of the `/Type/Pages` nodes. `None` when there is no
/// file or it does not read so.
pub fn page_count(pdf: &Path) -> Option<usize> {
    let bytes = std::fs::read(pdf).ok()?;
    let mut best = None;
    let mut rest = &bytes[..];
    while let Some(i) = find(rest, b"/Type/Pages") {
        rest = &rest[i + 11..];
        let end = find(rest, b">>").unwrap_or(rest.len());
        let dict = &rest[..end];
        if let Some(c) = find(dict, b"/Count ") {
            let digits: String = dict[c + 7..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .map(|&b| b as char)
                .collect();
            best = best.max(digits.parse().ok());
        }
    }
    best
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The bureau's totals of every amount column, over the rows that have
/// figures.
pub fn totals(rows: &[Row]) -> Vec<Amount> {
    let mut sums = vec![Amount::ZERO; amount_headings().len()];
    for f in rows.iter().filter_map(|r| r.figures.as_ref()) {
        for (s, a) in sums.iter_mut().zip(f.all()) {
            *s = *s + a;
        }
    }
    sums
}

/// The title both files carry.
pub fn title(rows: &[Row]) -> String {
    let years: std::collections::BTreeSet<i32> = rows.iter().filter_map(|r| r.year).collect();
    let years: Vec<String> = years.iter().map(|y| format!("{y}年")).collect();
    let years = if years.is_empty() { String::new() } else { years.join("、") };
    format!("{years}部门预算公开汇总（{} 个文件）", rows.len())
}

/// Writes the workbook and the page into the output folder, each whole or
/// not at all; returns their paths.
pub fn write(
    inputs: &[PathBuf],
    out_dir: &Path,
    catalogue: Option<&Path>,
) -> Result<Vec<PathBuf>, Error> {
    let rows = collect(inputs, out_dir, catalogue);
    let book =
        xlsx::workbook(&rows).map_err(|e| Error::Message(format!("无法生成汇总工作簿：{e}")))?;
    let page = html::page(&rows);
    let (x, h) = (out_dir.join(XLSX_FILE), out_dir.join(HTML_FILE));
    crate::export::output::write_atomic(&x, &book)?;
    crate::export::output::write_atomic(&h, page.as_bytes())?;
    Ok(vec![x, h])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_count_is_the_root_of_the_page_tree() {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("x.pdf");
        std::fs::write(&pdf, b"%PDF\n1 0 obj\n<</Type/Pages/Count 27/Kids[2 0 R]>>\nendobj\n3 0 obj\n<</Type/Pages/Count 4/Parent 1 0 R>>\n<</Type/Outlines/Count 10>>").unwrap();
        assert_eq!(page_count(&pdf), Some(27));
        assert_eq!(page_count(&dir.path().join("none.pdf")), None);
    }
}
