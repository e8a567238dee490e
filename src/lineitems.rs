//! 预算明细（line_items）：逐条的单位、功能分类、经济分类、资金来源与金额。
//!
//! When a file has line items they are the source of truth: right after
//! parsing, [`resolve`] sums them into the narrative's figures (income by
//! source, 人员经费, 公用经费, each project), so that `derive`, `checks` and
//! the templates see the same numbers the attached tables are built from.
//! A figure the author also wrote by hand is remembered and [`check`]
//! reports it when it disagrees; a figure left out is simply derived.
//! Without line items nothing changes, except that the figures the old
//! model required must still be written.

use std::collections::{BTreeMap, HashMap};

use crate::amount::{Amount, MAX_DECIMALS};
use crate::catalogue;
use crate::diag::Problem;
use crate::model::{Basic, Budget, Income, LineItem, ProjectLine};
use crate::tables;

/// Amounts above this (in 万元) are taken as typos, as in `checks`.
const ABSURD: i64 = 100_000_000;

/// 资金来源。
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    /// 一般公共预算。
    General,
    /// 政府性基金预算。
    Fund,
    /// 国有资本经营预算。
    Capital,
    /// 财政专户管理资金。
    SpecialAccount,
    /// 事业收入。
    Institution,
    /// 事业单位经营收入。
    InstitutionBusiness,
    /// 其他收入。
    Other,
    /// 上年结转。
    Carryover,
}

impl Source {
    /// Every source, in the order of the income tables.
    pub const ALL: [Source; 8] = [
        Source::General,
        Source::Fund,
        Source::Capital,
        Source::SpecialAccount,
        Source::Institution,
        Source::InstitutionBusiness,
        Source::Other,
        Source::Carryover,
    ];

    /// The name written in the data.
    pub fn name(self) -> &'static str {
        match self {
            Source::General => "一般公共预算",
            Source::Fund => "政府性基金",
            Source::Capital => "国有资本经营",
            Source::SpecialAccount => "财政专户",
            Source::Institution => "事业收入",
            Source::InstitutionBusiness => "事业单位经营收入",
            Source::Other => "其他收入",
            Source::Carryover => "上年结转",
        }
    }

    /// Reads a source as written; the longer official forms are accepted.
    pub fn parse(s: &str) -> Option<Source> {
        Some(match s.trim() {
            "一般公共预算" | "一般公共预算拨款" | "一般公共预算拨款收入" => {
                Source::General
            }
            "政府性基金" | "政府性基金预算" | "政府性基金预算拨款" | "政府性基金预算拨款收入" => {
                Source::Fund
            }
            "国有资本经营" | "国有资本经营预算" | "国有资本经营预算拨款" => {
                Source::Capital
            }
            "财政专户" | "财政专户管理资金" | "财政专户管理资金收入" | "财政专户核拨" => {
                Source::SpecialAccount
            }
            "事业收入" => Source::Institution,
            "事业单位经营收入" => Source::InstitutionBusiness,
            "其他收入" => Source::Other,
            "上年结转" => Source::Carryover,
            _ => return None,
        })
    }

    /// 财政拨款：the three budgets the finance bureau appropriates.
    pub fn is_appropriation(self) -> bool {
        matches!(self, Source::General | Source::Fund | Source::Capital)
    }
}

/// What a line item pays for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind<'a> {
    /// 基本支出：人员经费。
    Personnel,
    /// 基本支出：公用经费。
    Public,
    /// 项目支出，带项目名称。
    Project(&'a str),
}

impl Kind<'_> {
    pub fn is_basic(self) -> bool {
        !matches!(self, Kind::Project(_))
    }
}

/// A line item read into its parts. Odd data (already reported by
/// [`check`]) is read leniently, so derivation stays total.
#[derive(Debug, Clone, Copy)]
pub struct Item<'a> {
    /// 单位在 `units` 中的序号。
    pub unit: usize,
    /// 功能分类编码（7 位）。
    pub function: &'a str,
    /// 经济分类编码（5 位），项目支出可无。
    pub economic: Option<&'a str>,
    /// 资金来源。
    pub source: Source,
    /// 资金性质：上年结转按原来源计，其余同 `source`。
    pub fund: Source,
    pub kind: Kind<'a>,
    pub amount: Amount,
}

/// 单位：按名称或编码找，缺省为第一个单位。
pub fn unit_index(b: &Budget, unit: Option<&str>) -> Option<usize> {
    match unit.map(str::trim) {
        None | Some("") => (!b.units.is_empty()).then_some(0),
        Some(u) => b
            .units
            .iter()
            .position(|x| x.name.trim() == u || x.code.as_deref().map(str::trim) == Some(u)),
    }
}

fn kind_of(li: &LineItem) -> Kind<'_> {
    match (li.basic.as_deref().map(str::trim), li.project.as_deref().map(str::trim)) {
        (_, Some(p)) if !p.is_empty() => Kind::Project(p),
        (Some("人员经费"), _) => Kind::Personnel,
        _ => Kind::Public,
    }
}

fn source_of(li: &LineItem) -> (Source, Source) {
    let source = li.source.as_deref().and_then(Source::parse).unwrap_or(Source::General);
    let fund = match source {
        Source::Carryover => li
            .carried_from
            .as_deref()
            .and_then(Source::parse)
            .filter(|s| *s != Source::Carryover)
            .unwrap_or(Source::General),
        s => s,
    };
    (source, fund)
}

/// Every line item, read.
pub fn items(b: &Budget) -> Vec<Item<'_>> {
    b.line_items
        .iter()
        .map(|li| {
            let (source, fund) = source_of(li);
            Item {
                unit: unit_index(b, li.unit.as_deref()).unwrap_or(0),
                function: li.function.trim(),
                economic: li.economic.as_deref().map(str::trim).filter(|e| !e.is_empty()),
                source,
                fund,
                kind: kind_of(li),
                amount: li.amount,
            }
        })
        .collect()
}

/// The narrative's figures, summed from the line items.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sums {
    /// 各资金来源的收入（上年结转单列）。
    pub by_source: BTreeMap<Source, Amount>,
    pub personnel: Amount,
    pub public: Amount,
    /// 各项目，按第一次出现的顺序。
    pub projects: Vec<(String, Amount)>,
}

impl Sums {
    pub fn of(b: &Budget) -> Sums {
        let mut s = Sums::default();
        for it in items(b) {
            *s.by_source.entry(it.source).or_default() =
                s.by_source.get(&it.source).copied().unwrap_or_default() + it.amount;
            match it.kind {
                Kind::Personnel => s.personnel = s.personnel + it.amount,
                Kind::Public => s.public = s.public + it.amount,
                Kind::Project(name) => match s.projects.iter_mut().find(|(n, _)| n == name) {
                    Some((_, a)) => *a = *a + it.amount,
                    None => s.projects.push((name.to_string(), it.amount)),
                },
            }
        }
        s
    }

    pub fn source(&self, s: Source) -> Amount {
        self.by_source.get(&s).copied().unwrap_or_default()
    }

    pub fn project(&self, name: &str) -> Option<Amount> {
        self.projects.iter().find(|(n, _)| n == name.trim()).map(|(_, a)| *a)
    }
}

/// A figure written by hand that line items also determine.
#[derive(Debug, Clone, PartialEq)]
pub struct Stated {
    /// 字段路径。
    pub path: String,
    /// 中文名称。
    pub label: String,
    /// 数据中写的数。
    pub stated: Amount,
    /// 明细合计。
    pub derived: Amount,
}

/// What [`resolve`] found, for [`check`] to report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Resolution {
    /// `resolve` has run on this budget.
    pub ran: bool,
    /// 手填且由明细决定的数字。
    pub stated: Vec<Stated>,
    /// 没有明细时缺少的必填数字：字段路径与名称。
    pub missing: Vec<(String, String)>,
    /// `expenditure.projects` 中明细里没有的项目：序号与名称。
    pub unknown_projects: Vec<(usize, String)>,
    /// 明细里有、`expenditure.projects` 未列的项目。
    pub unlisted_projects: Vec<String>,
}

/// Whether `path` (dotted, with `[n]` indices) is written in the document.
fn present(doc: Option<&toml_edit::Document<String>>, path: &str) -> bool {
    let Some(doc) = doc else { return true };
    let mut item = doc.as_item();
    for part in path.split('.') {
        let (key, idx) = match part.split_once('[') {
            Some((k, rest)) => (k, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        match item.get(key) {
            Some(next) => item = next,
            None => return false,
        }
        if let Some(i) = idx {
            match item.get(i) {
                Some(next) => item = next,
                None => return false,
            }
        }
    }
    !item.is_none()
}

/// The income figures line items determine: field path, Chinese label and
/// the source they sum.
const INCOME_FIGURES: [(&str, &str, Source); 8] = [
    ("income.general_budget", "一般公共预算收入", Source::General),
    ("income.government_fund", "政府性基金预算收入", Source::Fund),
    ("income.state_capital", "国有资本经营预算收入", Source::Capital),
    ("income.special_account", "财政专户核拨收入", Source::SpecialAccount),
    ("income.institution", "事业收入", Source::Institution),
    ("income.institution_business", "事业单位经营收入", Source::InstitutionBusiness),
    ("income.other", "其他来源收入", Source::Other),
    ("income.carryover", "上年结转", Source::Carryover),
];

/// The income field that holds the figure for `s`.
fn income_figure(i: &mut Income, s: Source) -> &mut Amount {
    match s {
        Source::General => &mut i.general_budget,
        Source::Fund => &mut i.government_fund,
        Source::Capital => &mut i.state_capital,
        Source::SpecialAccount => &mut i.special_account,
        Source::Institution => &mut i.institution,
        Source::InstitutionBusiness => &mut i.institution_business,
        Source::Other => &mut i.other,
        Source::Carryover => &mut i.carryover,
    }
}

/// Fills the narrative's figures from the line items (when there are any),
/// remembering what the author wrote. `text` is the file the budget was
/// parsed from; it tells a figure written as 0 from one left out.
pub fn resolve(mut b: Budget, text: &str) -> Budget {
    let doc = toml_edit::Document::parse(text.to_string()).ok();
    let doc = doc.as_ref();
    let mut r = Resolution { ran: true, ..Resolution::default() };
    if b.line_items.is_empty() {
        r.missing = missing_required(&b, doc);
    } else if !absurd(&b) {
        // When absurd, sums could overflow; `check` reports the amount and
        // nothing is derived.
        let sums = Sums::of(&b);
        for (path, label, source) in INCOME_FIGURES {
            let field = income_figure(&mut b.income, source);
            settle(&mut r, doc, path, label, field, sums.source(source));
        }
        let basic = &mut b.expenditure.basic;
        settle(
            &mut r,
            doc,
            "expenditure.basic.personnel",
            "人员经费",
            &mut basic.personnel,
            sums.personnel,
        );
        settle(
            &mut r,
            doc,
            "expenditure.basic.public",
            "日常公用经费",
            &mut basic.public,
            sums.public,
        );
        settle_projects(&mut r, doc, &mut b.expenditure.projects, &sums);
    }
    b.resolution = r;
    b
}

/// Without line items, the figures the old model required and the file
/// leaves out: field path and Chinese name.
fn missing_required(
    b: &Budget,
    doc: Option<&toml_edit::Document<String>>,
) -> Vec<(String, String)> {
    let mut required = vec![
        ("income".to_string(), "收入预算".to_string()),
        ("expenditure.basic.personnel".into(), "人员经费".into()),
        ("expenditure.basic.public".into(), "日常公用经费".into()),
    ];
    for n in 0..b.expenditure.projects.len() {
        required.push((format!("expenditure.projects[{n}].amount"), "项目金额".into()));
    }
    required.into_iter().filter(|(p, _)| !present(doc, p)).collect()
}

/// Each listed project takes its line items' sum; projects only the line
/// items name are appended. A written list that disagrees with the line
/// items is noted for `check`.
fn settle_projects(
    r: &mut Resolution,
    doc: Option<&toml_edit::Document<String>>,
    listed: &mut Vec<ProjectLine>,
    sums: &Sums,
) {
    let stated_list = std::mem::take(listed);
    let mut projects = Vec::new();
    if present(doc, "expenditure.projects") {
        for (n, p) in stated_list.into_iter().enumerate() {
            let mut line = p;
            match sums.project(&line.name) {
                Some(derived) => {
                    let path = format!("expenditure.projects[{n}].amount");
                    let label = format!("项目“{}”的金额", line.name.trim());
                    settle(r, doc, &path, &label, &mut line.amount, derived);
                }
                None => r.unknown_projects.push((n, line.name.trim().to_string())),
            }
            projects.push(line);
        }
    }
    for (name, amount) in &sums.projects {
        if !projects.iter().any(|p| p.name.trim() == name) {
            if present(doc, "expenditure.projects") {
                r.unlisted_projects.push(name.clone());
            }
            projects.push(ProjectLine { name: name.clone(), amount: *amount });
        }
    }
    *listed = projects;
}

/// Some line item's amount is too large to be summed safely.
fn absurd(b: &Budget) -> bool {
    b.line_items.iter().any(|l| l.amount.0.abs() > rust_decimal::Decimal::from(ABSURD))
}

/// The tables also add the “三公” figures (reported by `checks` when absurd).
fn absurd_sangong(b: &Budget) -> bool {
    let big = |a: Amount| a.0.abs() > rust_decimal::Decimal::from(ABSURD);
    [&b.sangong.current, &b.sangong.previous].iter().any(|f| {
        big(f.overseas) || big(f.vehicle_purchase) || big(f.vehicle_operation) || big(f.reception)
    })
}

fn settle(
    r: &mut Resolution,
    doc: Option<&toml_edit::Document<String>>,
    path: &str,
    label: &str,
    field: &mut Amount,
    derived: Amount,
) {
    if present(doc, path) {
        r.stated.push(Stated {
            path: path.to_string(),
            label: label.to_string(),
            stated: *field,
            derived,
        });
    }
    *field = derived;
}

/// Equal as printed: stated figures carry two decimals, line items may
/// carry more.
fn same(a: Amount, b: Amount) -> bool {
    a.rounded() == b.rounded()
}

/// Checks the line items and the figures they determine. Returns nothing
/// for a file without line items, beyond the figures it must then state.
pub fn check(b: &Budget) -> Vec<Problem> {
    let mut out = Vec::new();
    let r = &b.resolution;
    if b.line_items.is_empty() {
        for (path, label) in &r.missing {
            let key = path.rsplit('.').next().unwrap_or(path);
            out.push(
                Problem::error(path, format!("缺少必填字段“{key}”（{label}）")).expected(format!(
                    "写上 {key} = …；或者填写预算明细 [[line_items]]，由明细推算"
                )),
            );
        }
        return out;
    }
    lines(b, &mut out);
    if absurd(b) {
        return out;
    }
    stated(b, &mut out);
    sangong(b, &mut out);
    if !out.iter().any(Problem::is_error) && !absurd_sangong(b) {
        for m in tables::consistency(b) {
            out.push(
                Problem::error("line_items", m)
                    .expected("附表之间互相一致（程序内部错误，请报告）"),
            );
        }
    }
    out
}

const SOURCES: &str = "一般公共预算、政府性基金、国有资本经营、财政专户、事业收入、事业单位经营收入、其他收入、上年结转";

/// Each line item on its own.
fn lines(b: &Budget, out: &mut Vec<Problem>) {
    let units = unit_labels(b);
    let names = first_names(b);
    let mut used_units = vec![false; b.units.len()];
    for (n, li) in b.line_items.iter().enumerate() {
        match unit_index(b, li.unit.as_deref()) {
            Some(u) => used_units[u] = true,
            None => out.push(unknown_unit(n, li, &units)),
        }
        line_function(n, li, &names, out);
        line_kind(n, li, out);
        economic(b, n, li, out);
        line_source(n, li, out);
        line_amount(n, li.amount, out);
    }
    for (u, used) in used_units.iter().enumerate() {
        if !used {
            out.push(Problem::warning(
                format!("units[{u}]"),
                format!("单位“{}”没有任何预算明细", b.units[u].name.trim()),
            ));
        }
    }
    match b.document.table_unit.as_deref().map(str::trim) {
        None | Some("万元" | "元") => {}
        Some(other) => out.push(
            Problem::error("document.table_unit", format!("附表金额单位“{other}”不支持"))
                .expected("“万元”或“元”"),
        ),
    }
}

/// The path of field `k` of line item `n`.
fn at(n: usize, k: &str) -> String {
    format!("line_items[{n}].{k}")
}

/// Each unit as a line item may name it: “name” or “name”或“code”.
fn unit_labels(b: &Budget) -> Vec<String> {
    b.units
        .iter()
        .map(|u| match &u.code {
            Some(c) => format!("“{}”或“{}”", u.name.trim(), c.trim()),
            None => format!("“{}”", u.name.trim()),
        })
        .collect()
}

/// 项 code → (name, first line that named it).
fn first_names(b: &Budget) -> HashMap<&str, (&str, usize)> {
    let mut names: HashMap<&str, (&str, usize)> = HashMap::new();
    for (n, li) in b.line_items.iter().enumerate() {
        if let Some(name) = li.function_name.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            names.entry(li.function.trim()).or_insert((name, n));
        }
    }
    names
}

fn unknown_unit(n: usize, li: &LineItem, units: &[String]) -> Problem {
    Problem::error(
        at(n, "unit"),
        format!("单位“{}”不在机构设置中", li.unit.as_deref().unwrap_or("").trim()),
    )
    .expected(format!("单位名称或编码：{}", units.join("、")))
}

/// The function code of one line item, and its 项 name: given somewhere,
/// and the same wherever given.
fn line_function(
    n: usize,
    li: &LineItem,
    names: &HashMap<&str, (&str, usize)>,
    out: &mut Vec<Problem>,
) {
    let f = li.function.trim();
    if let Some(m) = catalogue::function_problem(f) {
        out.push(
            Problem::error(at(n, "function"), m)
                .expected("2021 年支出功能分类科目的项级编码，如 2010101"),
        );
        return;
    }
    let cat = catalogue::get();
    match (li.function_name.as_deref().map(str::trim).filter(|s| !s.is_empty()), names.get(f)) {
        (_, None) => out.push(
            Problem::error(at(n, "function"), format!("功能分类科目 {f} 没有写项级名称")).expected(
                format!(
                    "在这一条（或同一科目的第一条）写 function_name = \"…\"（{} 下的项名称）",
                    cat.function_name(&f[..5]).unwrap_or("")
                ),
            ),
        ),
        (Some(name), Some((first, line))) if name != *first => out.push(
            Problem::error(
                at(n, "function_name"),
                format!("功能分类科目 {f} 的名称写作“{name}”，第 {} 条写作“{first}”", line + 1),
            )
            .expected(format!("同一科目用同一名称：“{first}”")),
        ),
        _ => {}
    }
}

/// Basic spending (人员经费 or 公用经费) or a named project — exactly one.
fn line_kind(n: usize, li: &LineItem, out: &mut Vec<Problem>) {
    let kind = (li.basic.as_deref().map(str::trim), li.project.as_deref().map(str::trim));
    match kind {
        (Some(_), Some(_)) => out.push(
            Problem::error(at(n, "project"), "同一条明细不能既是基本支出（basic）又是项目支出（project）")
                .expected("基本支出写 basic = \"人员经费\" 或 \"公用经费\"；项目支出写 project = \"项目名称\""),
        ),
        (None, None) => out.push(
            Problem::error(format!("line_items[{n}]"), "没有说明是基本支出还是项目支出")
                .expected("写 basic = \"人员经费\" 或 \"公用经费\"，或 project = \"项目名称\""),
        ),
        (Some(k), None) if k != "人员经费" && k != "公用经费" => out.push(
            Problem::error(at(n, "basic"), format!("基本支出类别“{k}”无法识别"))
                .expected("“人员经费”或“公用经费”"),
        ),
        (None, Some("")) => out.push(Problem::error(at(n, "project"), "项目名称为空")),
        _ => {}
    }
}

/// The source of one line item, and carried_from only on a carry-over.
fn line_source(n: usize, li: &LineItem, out: &mut Vec<Problem>) {
    match li.source.as_deref().map(|s| (s, Source::parse(s))) {
        Some((s, None)) => out.push(
            Problem::error(at(n, "source"), format!("资金来源“{}”无法识别", s.trim()))
                .expected(SOURCES),
        ),
        Some((_, Some(Source::Carryover))) => {
            if let Some(c) = li.carried_from.as_deref() {
                match Source::parse(c) {
                    None | Some(Source::Carryover) => out.push(
                        Problem::error(at(n, "carried_from"), format!("上年结转资金的来源“{}”无法识别", c.trim()))
                            .expected("一般公共预算、政府性基金、国有资本经营、财政专户、事业收入、事业单位经营收入、其他收入"),
                    ),
                    _ => {}
                }
            }
        }
        _ if li.carried_from.is_some() => out.push(
            Problem::error(at(n, "carried_from"), "只有上年结转的明细才填写 carried_from")
                .expected("source = \"上年结转\"，或删去 carried_from"),
        ),
        _ => {}
    }
}

/// The amount of one line item: positive, plausible, to the 分.
fn line_amount(n: usize, a: Amount, out: &mut Vec<Problem>) {
    if a.0.is_sign_negative() && !a.is_zero() {
        out.push(Problem::error(at(n, "amount"), format!("金额 {a} 为负数")).expected("正数"));
    } else if a.is_zero() {
        out.push(Problem::warning(at(n, "amount"), "金额为 0 的明细不影响任何数字，可以删去"));
    } else if a.0 > rust_decimal::Decimal::from(ABSURD) {
        out.push(
            Problem::error(
                at(n, "amount"),
                format!("金额 {a} 万元大得不合理，是否把元当成了万元？"),
            )
            .expected("以万元为单位的金额"),
        );
    }
    if a.0.normalize().scale() > MAX_DECIMALS {
        out.push(
            Problem::error(at(n, "amount"), format!("金额 {a} 精确到了分以下"))
                .expected("最多 6 位小数（0.000001 万元即 1 分）"),
        );
    }
}

/// The economic classification of one line item.
fn economic(b: &Budget, n: usize, li: &LineItem, out: &mut Vec<Problem>) {
    let _ = b;
    let basic = li.basic.as_deref().map(str::trim);
    let Some(code) = li.economic.as_deref().map(str::trim).filter(|c| !c.is_empty()) else {
        if basic.is_some() && li.project.is_none() {
            out.push(
                Problem::error(format!("line_items[{n}]"), "基本支出的明细缺少经济分类科目")
                    .expected("economic = \"30101\" 这样的 5 位经济分类款编码"),
            );
        }
        return;
    };
    if let Some(m) = catalogue::economic_problem(code) {
        out.push(
            Problem::error(at(n, "economic"), m)
                .expected("2021 年部门预算支出经济分类的款级编码，如 30201"),
        );
        return;
    }
    let official = catalogue::get().economic_name(code).unwrap_or("");
    if let Some(name) = li.economic_name.as_deref().map(str::trim)
        && name != official
    {
        out.push(
            Problem::error(
                at(n, "economic_name"),
                format!("经济分类科目 {code} 的名称是“{official}”，这里写作“{name}”"),
            )
            .expected(official.to_string()),
        );
    }
    let class = &code[..3];
    let personal = class == "301" || class == "303";
    match basic {
        Some("人员经费") if !personal => out.push(
            Problem::warning(
                at(n, "economic"),
                format!("人员经费通常列工资福利支出（301）或对个人和家庭的补助（303），这里是 {code} {official}"),
            )
            .expected("核对经济分类或改为 basic = \"公用经费\""),
        ),
        Some("公用经费") if personal => out.push(
            Problem::warning(
                at(n, "economic"),
                format!("公用经费通常不列 {class}（{}），这里是 {code} {official}", catalogue::get().economic_name(class).unwrap_or("")),
            )
            .expected("核对经济分类或改为 basic = \"人员经费\""),
        ),
        _ => {}
    }
}

/// Figures written by hand against the line items' sums.
fn stated(b: &Budget, out: &mut Vec<Problem>) {
    let r = &b.resolution;
    let mut list = r.stated.clone();
    if !r.ran {
        // Parsed without `resolve` (a test, a tool): every figure counts as written.
        unresolved_stated(b, &mut list, out);
    }
    for s in list.iter().filter(|s| !same(s.stated, s.derived)) {
        out.push(
            Problem::error(
                &s.path,
                format!(
                    "{}写作 {} 万元，但预算明细合计为 {} 万元",
                    s.label,
                    s.stated.text(),
                    s.derived.text()
                ),
            )
            .expected(format!("{}（或删去此项，由明细推算）", s.derived.text())),
        );
    }
    for (n, name) in &r.unknown_projects {
        out.push(unknown_project(*n, name));
    }
    for name in &r.unlisted_projects {
        out.push(unlisted_project(name));
    }
}

/// What `resolve` would have recorded, for a budget it never saw: every
/// figure against its sum. Projects missing on either side are reported
/// straight away.
fn unresolved_stated(b: &Budget, list: &mut Vec<Stated>, out: &mut Vec<Problem>) {
    let sums = Sums::of(b);
    let mut income = b.income.clone();
    for (path, label, source) in INCOME_FIGURES {
        list.push(Stated {
            path: path.into(),
            label: label.into(),
            stated: *income_figure(&mut income, source),
            derived: sums.source(source),
        });
    }
    list.extend(basic_stated(&b.expenditure.basic, &sums));
    for (n, p) in b.expenditure.projects.iter().enumerate() {
        match sums.project(&p.name) {
            Some(d) => list.push(Stated {
                path: format!("expenditure.projects[{n}].amount"),
                label: format!("项目“{}”的金额", p.name.trim()),
                stated: p.amount,
                derived: d,
            }),
            None => out.push(unknown_project(n, &p.name)),
        }
    }
    for (name, _) in &sums.projects {
        if !b.expenditure.projects.iter().any(|p| p.name.trim() == name) {
            out.push(unlisted_project(name));
        }
    }
}

/// 人员经费 and 日常公用经费 as written, against their sums.
fn basic_stated(e: &Basic, sums: &Sums) -> [Stated; 2] {
    [
        Stated {
            path: "expenditure.basic.personnel".into(),
            label: "人员经费".into(),
            stated: e.personnel,
            derived: sums.personnel,
        },
        Stated {
            path: "expenditure.basic.public".into(),
            label: "日常公用经费".into(),
            stated: e.public,
            derived: sums.public,
        },
    ]
}

fn unknown_project(n: usize, name: &str) -> Problem {
    Problem::error(
        format!("expenditure.projects[{n}].name"),
        format!("项目“{}”在预算明细中没有任何一条", name.trim()),
    )
    .expected("明细中 project = \"…\" 写的项目名称之一（或删去此项目）")
}

fn unlisted_project(name: &str) -> Problem {
    Problem::error(
        "expenditure.projects",
        format!("预算明细中的项目“{name}”没有列入 [[expenditure.projects]]"),
    )
    .expected(format!(
        "补上 {{ name = \"{name}\" }}，或删去全部 [[expenditure.projects]]，由明细列出"
    ))
}

/// Line items of a “三公” kind paid from the general budget cannot exceed
/// the “三公” section's figures (which also cover project spending).
fn sangong(b: &Budget, out: &mut Vec<Problem>) {
    let c = &b.sangong.current;
    let mut spent: BTreeMap<&str, Amount> = BTreeMap::new();
    for it in items(b).iter().filter(|i| i.fund == Source::General) {
        if let Some(e) = it.economic {
            let key = match e {
                "30212" => "overseas",
                "30217" => "reception",
                "30231" => "vehicle_operation",
                "30913" | "31013" => "vehicle_purchase",
                _ => continue,
            };
            *spent.entry(key).or_default() =
                spent.get(key).copied().unwrap_or_default() + it.amount;
        }
    }
    for (key, label, codes, section) in [
        ("overseas", "因公出国（境）费", "30212", c.overseas),
        ("reception", "公务接待费", "30217", c.reception),
        ("vehicle_operation", "公务用车运行维护费", "30231", c.vehicle_operation),
        ("vehicle_purchase", "公务用车购置费", "30913、31013", c.vehicle_purchase),
    ] {
        let s = spent.get(key).copied().unwrap_or_default();
        if s.rounded() > section.rounded() {
            out.push(
                Problem::error(
                    format!("sangong.current.{key}"),
                    format!(
                        "一般公共预算明细中{label}（经济分类 {codes}）合计 {} 万元，大于“三公”经费中的{label} {} 万元",
                        s.text(),
                        section.text()
                    ),
                )
                .expected(format!("不小于 {}", s.text())),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(name: &str) -> String {
        std::fs::read_to_string(format!("{}/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    fn parse(text: &str) -> Budget {
        resolve(toml::from_str(text).unwrap(), text)
    }

    fn errors(b: &Budget) -> Vec<String> {
        check(b)
            .into_iter()
            .filter(Problem::is_error)
            .map(|p| format!("{}: {}", p.field, p.message))
            .collect()
    }

    #[test]
    fn sources_read_in_chinese() {
        for s in Source::ALL {
            assert_eq!(Source::parse(s.name()), Some(s));
        }
        assert_eq!(Source::parse("政府性基金预算"), Some(Source::Fund));
        assert_eq!(Source::parse("基金"), None);
    }

    #[test]
    fn the_seed_agrees_with_its_published_figures() {
        let text = sample("101001-2021.toml");
        let b = parse(&text);
        assert!(!b.line_items.is_empty());
        assert_eq!(errors(&b), Vec::<String>::new());
        assert_eq!(b.expenditure.basic.personnel.text(), "1193.26");
        assert_eq!(b.expenditure.basic.public.text(), "330.56");
        assert_eq!(b.income.general_budget.text(), "2220.42");
        // Every figure of the seed is written and checked.
        assert_eq!(b.resolution.stated.len(), 5 + 2 + b.expenditure.projects.len());
    }

    #[test]
    fn a_stated_figure_that_disagrees_is_an_error() {
        let text = sample("101001-2021.toml").replace("personnel = 1193.26", "personnel = 1193.27");
        let b = parse(&text);
        let e = errors(&b);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].starts_with("expenditure.basic.personnel: 人员经费写作 1193.27 万元，但预算明细合计为 1193.26 万元"), "{e:?}");
    }

    #[test]
    fn figures_left_out_are_derived() {
        let text = sample("215001-2021.toml");
        let b = parse(&text);
        assert_eq!(errors(&b), Vec::<String>::new());
        let s = Sums::of(&b);
        assert_eq!(b.expenditure.basic.personnel, s.personnel);
        assert_eq!(b.income.carryover, s.source(Source::Carryover));
        assert!(!b.income.carryover.is_zero());
        assert!(!b.income.government_fund.is_zero());
        assert_eq!(b.expenditure.projects.len(), s.projects.len());
        assert_eq!(
            crate::derive::income_total(&b.income),
            crate::derive::expenditure_total(&b.expenditure)
        );
    }

    #[test]
    fn bad_lines_get_clear_messages() {
        let text = sample("101001-2021.toml");
        let mut b = parse(&text);
        let li = &mut b.line_items[0];
        li.unit = Some("不存在的单位".into());
        li.function = "2019701".into();
        li.source = Some("基金".into());
        let li = &mut b.line_items[1];
        li.economic = Some("30101".into());
        li.economic_name = Some("工资".into());
        let e = errors(&b);
        let joined = e.join("\n");
        assert!(
            joined.contains("line_items[0].unit: 单位“不存在的单位”不在机构设置中"),
            "{joined}"
        );
        assert!(joined.contains("line_items[0].function: 功能分类科目 2019701：一般公共服务支出（201）下没有“20197”这个款"), "{joined}");
        assert!(joined.contains("line_items[0].source: 资金来源“基金”无法识别"), "{joined}");
        assert!(
            joined.contains(
                "line_items[1].economic_name: 经济分类科目 30101 的名称是“基本工资”，这里写作“工资”"
            ),
            "{joined}"
        );
    }

    #[test]
    fn without_line_items_the_old_figures_stay_required() {
        let text = sample("101001-2021.toml");
        let cut = text.find("[[line_items]]").map_or(text.len(), |i| i);
        let without = text[..cut].replace("personnel = 1193.26\n", "");
        let b = parse(&without);
        assert!(b.line_items.is_empty());
        let e = errors(&b);
        assert!(
            e.iter().any(|m| m.starts_with("expenditure.basic.personnel: 缺少必填字段“personnel”")),
            "{e:?}"
        );
    }
}
