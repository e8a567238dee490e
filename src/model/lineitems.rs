//! 预算明细（line_items）的类型：资金来源、支出类别，以及按来源、人员、公用、项目的汇总。
//!
//! When a file has line items they are the source of truth: right after
//! parsing, `source::resolve` sums them into the narrative's figures (income by
//! source, 人员经费, 公用经费, each project), so that `derive`, `checks` and
//! the templates see the same numbers the attached tables are built from.
//! A figure the author also wrote by hand is remembered and `checks::lineitems`
//! reports it when it disagrees; a figure left out is simply derived.
//! Without line items nothing changes, except that the figures the old
//! model required must still be written.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::model::amount::{ABSURD, Amount};
use crate::model::{Budget, Income, LineItem};

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
/// `checks::lineitems`) is read leniently, so derivation stays total.
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

/// What [`resolve`] found, for `checks::lineitems` to report.
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

/// Some line item's amount is too large to be summed safely.
pub fn absurd(b: &Budget) -> bool {
    b.line_items.iter().any(|l| l.amount.0.abs() > Decimal::from(ABSURD))
}

/// The tables also add the “三公” figures (reported by `checks` when absurd).
pub fn absurd_sangong(b: &Budget) -> bool {
    let big = |a: Amount| a.0.abs() > Decimal::from(ABSURD);
    [&b.sangong.current, &b.sangong.previous].iter().any(|f| {
        big(f.overseas) || big(f.vehicle_purchase) || big(f.vehicle_operation) || big(f.reception)
    })
}

/// The income figures line items determine: field path and the source
/// they sum.
pub const INCOME_FIGURES: [(&str, Source); 8] = [
    ("income.general_budget", Source::General),
    ("income.government_fund", Source::Fund),
    ("income.state_capital", Source::Capital),
    ("income.special_account", Source::SpecialAccount),
    ("income.institution", Source::Institution),
    ("income.institution_business", Source::InstitutionBusiness),
    ("income.other", Source::Other),
    ("income.carryover", Source::Carryover),
];

/// The income field that holds the figure for `s`.
pub fn income_figure(i: &mut Income, s: Source) -> &mut Amount {
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
