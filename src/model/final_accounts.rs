//! 部门决算：一个部门一个年度的决算数据，与它所决算的预算文件相连。
//!
//! A 决算 file holds only what the budget cannot: the final figures per line
//! item, the income actually received, the balances carried in and out per
//! fund, the 三公 and 机关运行经费 决算数, procurement contracted, assets at
//! 31 December, the reasons for differences and the 绩效自评. Everything the
//! budget already says — the department, its 年初预算 per line item, its
//! 三公 预算, its 绩效目标 — is read from the budget file it names, so the
//! 年初预算 column cannot disagree with the published budget.
//!
//! Loaded, a 决算 is the linked budget with this file attached
//! (`Budget::final_accounts`); [`DocumentKind::Final`] says so.

use std::sync::Arc;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::model::amount::Amount;
use crate::model::ledger::{self, Level};
use crate::model::lineitems::{self, Source};
use crate::model::profile::{Rows, Selector, Term};
use crate::model::{Budget, Holding, LineItem, SangongReasons, VehicleCount};

/// 整份决算数据文件。以 `[final_accounts]` 开头的文件即决算文件。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FinalFile {
    /// 文件身份：所决算的预算文件、公开日期、样式、是否样例。
    pub final_accounts: Head,
    /// 各资金来源的结转结余，一种来源一张表：年初结转和结余、本年收入、
    /// 使用非财政拨款结余、结余分配、年末结转和结余。
    pub funds: Vec<FundBalance>,
    /// 非财政拨款的本年收入，按来源（万元），缺省为 0。
    #[serde(default)]
    pub other_income: OtherIncome,
    /// 不列入明细的非财政拨款支出（万元），缺省为 0。
    #[serde(default)]
    pub other_spending: OtherSpending,
    /// 决算明细：写法与预算文件的 line_items 相同，amount 为决算数（万元）。
    pub line_items: Vec<LineItem>,
    /// 决算数与年初预算的差异原因，每个功能分类项级科目一条。
    #[serde(default)]
    pub reasons: Vec<Reason>,
    /// 财政拨款“三公”经费决算数。
    pub sangong: FinalSangong,
    /// 机关运行经费决算数。
    pub operating_costs: FinalOperating,
    /// 政府采购实际签订合同的金额（万元），缺省全部为 0。
    #[serde(default)]
    pub procurement: FinalProcurement,
    /// 国有资产占用情况（截至 12 月 31 日）。
    pub assets: FinalAssets,
    /// 项目绩效自评结果，对照预算文件的项目绩效目标表。
    #[serde(default)]
    pub evaluations: Vec<Evaluation>,
    /// 上年决算数（可选）：填写后说明收支总额比上年增减。
    #[serde(default)]
    pub previous: Option<PreviousFinal>,
    /// 其他需要说明的事项；为空时印“本部门无其他需要说明的事项。”
    #[serde(default)]
    pub other_matters: Vec<String>,
    /// 草稿中待填写的字段（`yusuan new --final-accounts` 写入）；见 `todo`。
    #[serde(default, skip_serializing)]
    pub todo: crate::model::todo::Todo,
}

/// 决算文件的身份。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Head {
    /// 所决算的预算数据文件，相对于本文件所在的文件夹，如 "101001-2021.toml"。
    /// 部门名称、编码、年度与年初预算都从这个文件读出。
    pub budget: String,
    /// 公开日期（写入 PDF 元数据），如 2022-08-26；缺省同预算文件的规则。
    #[serde(default)]
    pub date: Option<toml::value::Datetime>,
    /// 样式：缺省“hebei-final”（部门决算信息公开情况说明）。
    #[serde(default)]
    pub profile: Option<String>,
    /// 样例：数字是示意的；每页印“样例”说明。
    #[serde(default)]
    pub sample: bool,
}

/// 资金来源（决算口径）：三种财政拨款与非财政拨款。
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
pub enum Fund {
    #[serde(rename = "一般公共预算财政拨款")]
    General,
    #[serde(rename = "政府性基金预算财政拨款")]
    Government,
    #[serde(rename = "国有资本经营预算财政拨款")]
    Capital,
    #[serde(rename = "非财政拨款")]
    Other,
}

impl Fund {
    pub const ALL: [Fund; 4] = [Fund::General, Fund::Government, Fund::Capital, Fund::Other];

    pub fn name(self) -> &'static str {
        match self {
            Fund::General => "一般公共预算财政拨款",
            Fund::Government => "政府性基金预算财政拨款",
            Fund::Capital => "国有资本经营预算财政拨款",
            Fund::Other => "非财政拨款",
        }
    }

    /// The fund a line item's money belongs to: a carry-over counts in the
    /// source it came from; every non-appropriated source is 非财政拨款.
    pub fn of(fund: Source) -> Fund {
        match fund {
            Source::General => Fund::General,
            Source::Fund => Fund::Government,
            Source::Capital => Fund::Capital,
            _ => Fund::Other,
        }
    }

    pub fn is_appropriation(self) -> bool {
        self != Fund::Other
    }
}

/// 一种资金来源的收支与结转结余（万元）。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FundBalance {
    /// 资金来源：一般公共预算财政拨款、政府性基金预算财政拨款、国有资本经营预算财政拨款或非财政拨款。
    pub source: Fund,
    /// 年初结转和结余。
    #[serde(default)]
    pub opening: Amount,
    /// 本年收入：财政拨款必填；非财政拨款不填，由 [other_income] 各项相加。
    #[serde(default)]
    pub income: Option<Amount>,
    /// 使用非财政拨款结余（只用于非财政拨款）。
    #[serde(default)]
    pub use_of_balance: Amount,
    /// 结余分配（交纳所得税、提取专用结余、转入非财政拨款结余等）。
    #[serde(default)]
    pub distribution: Amount,
    /// 年末结转和结余。
    #[serde(default)]
    pub closing: Amount,
}

/// 非财政拨款的本年收入（万元）。
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OtherIncome {
    /// 上级补助收入。
    #[serde(default)]
    pub superior: Amount,
    /// 事业收入。
    #[serde(default)]
    pub institution: Amount,
    /// 经营收入。
    #[serde(default)]
    pub business: Amount,
    /// 附属单位上缴收入。
    #[serde(default)]
    pub affiliated: Amount,
    /// 其他收入。
    #[serde(default)]
    pub other: Amount,
}

/// 不列入明细的非财政拨款支出（万元）。
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OtherSpending {
    /// 上缴上级支出。
    #[serde(default)]
    pub superior: Amount,
    /// 对附属单位补助支出。
    #[serde(default)]
    pub affiliated: Amount,
    /// 经营支出。
    #[serde(default)]
    pub business: Amount,
}

/// 一个功能分类项级科目的差异原因。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    /// 功能分类项级编码，7 位。
    pub function: String,
    /// 决算数与年初预算不同的原因，如“主要是年中追加人大代表培训经费”；不带句号。
    pub reason: String,
}

/// 财政拨款“三公”经费决算数与相关数量。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FinalSangong {
    /// 因公出国（境）费。
    #[serde(default)]
    pub overseas: Amount,
    /// 公务用车购置费。
    #[serde(default)]
    pub vehicle_purchase: Amount,
    /// 公务用车运行维护费。
    #[serde(default)]
    pub vehicle_operation: Amount,
    /// 公务接待费。
    #[serde(default)]
    pub reception: Amount,
    /// 因公出国（境）团组数、人次。
    #[serde(default)]
    pub overseas_groups: u32,
    #[serde(default)]
    pub overseas_people: u32,
    /// 本年购置公务用车辆数。
    #[serde(default)]
    pub vehicles_bought: u32,
    /// 年末公务用车保有量（辆）。
    #[serde(default)]
    pub vehicles_held: u32,
    /// 国内公务接待批次、人次。
    #[serde(default)]
    pub reception_batches: u32,
    #[serde(default)]
    pub reception_people: u32,
    /// 决算数与预算数不同的原因，按项目；不带句号。
    #[serde(default)]
    pub reasons: SangongReasons,
}

/// 机关运行经费决算数。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FinalOperating {
    /// 决算数（万元）。
    pub amount: Amount,
    /// 与预算数不同的原因；不带句号。
    #[serde(default)]
    pub reason: String,
}

/// 政府采购实际签订合同的金额（万元）。
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FinalProcurement {
    /// 货物类。
    #[serde(default)]
    pub goods: Amount,
    /// 工程类。
    #[serde(default)]
    pub works: Amount,
    /// 服务类。
    #[serde(default)]
    pub services: Amount,
    /// 授予中小企业的合同金额。
    #[serde(default)]
    pub sme: Amount,
    /// 其中授予小微企业的合同金额。
    #[serde(default)]
    pub small_micro: Amount,
}

/// 国有资产占用情况（截至 12 月 31 日）。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FinalAssets {
    /// 统计截止日期，如 2021-12-31。
    pub as_of: toml::value::Datetime,
    /// 房屋：面积（平方米）与价值。
    #[serde(default)]
    pub buildings: Option<Holding>,
    /// 其中：办公用房。
    #[serde(default)]
    pub office_buildings: Option<Holding>,
    /// 车辆：辆数与价值。
    #[serde(default)]
    pub vehicles: Option<Holding>,
    /// 单价在样式门槛（缺省 20 万元）以上的设备。
    #[serde(default)]
    pub major_equipment: Option<Holding>,
    /// 其他固定资产。
    #[serde(default)]
    pub other: Option<Holding>,
    /// 车辆按类别计数。
    #[serde(default)]
    pub vehicle_counts: Vec<VehicleCount>,
    /// 单价在门槛以上的设备（不含车辆）台（套）数。
    #[serde(default)]
    pub equipment_count: u32,
}

impl FinalAssets {
    /// The holdings in the budget's shape, so the one asset rule (rows,
    /// total, fleet) serves both documents.
    pub fn as_budget_assets(&self) -> crate::model::Assets {
        crate::model::Assets {
            as_of: self.as_of,
            buildings: self.buildings.clone(),
            office_buildings: self.office_buildings.clone(),
            vehicles: self.vehicles.clone(),
            major_equipment: self.major_equipment.clone(),
            other: self.other.clone(),
            vehicle_counts: Some(self.vehicle_counts.clone()),
            equipment_count: Some(self.equipment_count),
            planned_vehicle_counts: None,
            planned_equipment_count: None,
            planned_purchase: Amount::ZERO,
            planned_note: String::new(),
            stated_total: None,
        }
    }
}

/// 一个项目的绩效自评结果。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Evaluation {
    /// 项目名称：预算文件中一张项目绩效目标表的名称。
    pub project: String,
    /// 自评得分（百分制）。
    pub score: Decimal,
    /// 各指标的实际完成值，与目标表的三级指标对应。
    #[serde(default)]
    pub achieved: Vec<Achieved>,
    /// 自评结论或偏差原因（可选）；不带句号。
    #[serde(default)]
    pub summary: String,
}

/// 一个绩效指标的实际完成值。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Achieved {
    /// 三级指标，须是目标表中的一项。
    pub indicator: String,
    /// 实际完成值，如“7次”“100%”。
    pub value: String,
}

/// 上年决算数（万元）。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PreviousFinal {
    /// 上年本年收入合计。
    pub income: Amount,
    /// 上年本年支出合计。
    pub expenditure: Amount,
    /// 增减原因；不带句号。
    #[serde(default)]
    pub reason: String,
}

/// A 决算 as loaded: the file, and the budget file it names as read (the
/// budget itself is the `Budget` this hangs on).
#[derive(Debug, Clone)]
pub struct FinalAccounts {
    pub file: FinalFile,
    /// The budget file, for messages about it.
    pub budget_path: std::path::PathBuf,
    pub budget_text: Arc<str>,
}

impl OtherIncome {
    pub fn total(&self) -> Amount {
        self.superior + self.institution + self.business + self.affiliated + self.other
    }
}

impl OtherSpending {
    pub fn total(&self) -> Amount {
        self.superior + self.affiliated + self.business
    }
}

impl FinalSangong {
    pub fn total(&self) -> Amount {
        self.overseas + self.vehicle_purchase + self.vehicle_operation + self.reception
    }
}

impl FinalProcurement {
    pub fn total(&self) -> Amount {
        self.goods + self.works + self.services
    }
}

impl FundBalance {
    /// 本年收入: as written for an appropriation; 非财政拨款's is the sum of
    /// its sources.
    pub fn income_of(&self, other: &OtherIncome) -> Amount {
        match self.source {
            Fund::Other => other.total(),
            _ => self.income.unwrap_or_default(),
        }
    }
}

impl FinalFile {
    /// 本年收入 by source, in the order 表1, 表2 and the narrative list them
    /// (each fiscal fund's income as written; the rest by source).
    pub fn income_by_source(&self) -> Vec<(&'static str, Amount)> {
        let fiscal = |w: Fund| -> Amount {
            let of = |x: &&FundBalance| x.source == w;
            self.funds.iter().filter(of).map(|x| x.income_of(&self.other_income)).sum()
        };
        let o = &self.other_income;
        vec![
            ("一般公共预算财政拨款收入", fiscal(Fund::General)),
            ("政府性基金预算财政拨款收入", fiscal(Fund::Government)),
            ("国有资本经营预算财政拨款收入", fiscal(Fund::Capital)),
            ("上级补助收入", o.superior),
            ("事业收入", o.institution),
            ("经营收入", o.business),
            ("附属单位上缴收入", o.affiliated),
            ("其他收入", o.other),
        ]
    }
}

/// The budget as the 决算's tables read it: the same department, its line
/// items the final figures (the budget's are the 年初预算).
pub fn final_budget(b: &Budget) -> Budget {
    let mut out = b.clone();
    if let Some(fa) = &b.final_accounts {
        out.line_items = fa.file.line_items.clone();
    }
    out
}

/// 本年支出 of one fund: the final line items of that fund, and for
/// 非财政拨款 the spending not itemised (上缴上级、对附属单位补助、经营支出).
pub fn fund_spending(fb: &Budget, fa: &FinalFile, fund: Fund) -> Amount {
    let items: Amount =
        lineitems::items(fb).iter().filter(|i| Fund::of(i.fund) == fund).map(|i| i.amount).sum();
    if fund == Fund::Other { items + fa.other_spending.total() } else { items }
}

/// One 项级科目 of 一般公共预算财政拨款支出: 年初预算 beside 决算.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub function: String,
    pub name: String,
    /// 带类、款名称的全称，如“一般公共服务支出（类）人大事务（款）行政运行（项）”。
    pub label: String,
    /// 年初预算：预算文件中这一项的一般公共预算明细之和。
    pub budget: Amount,
    /// 决算：决算文件中这一项的一般公共预算明细之和。
    pub final_amount: Amount,
}

/// Every 项 with a 年初预算 or a 决算 of 一般公共预算财政拨款, in code order.
/// `fb` is [`final_budget`] of `b`.
pub fn general_comparison(b: &Budget, fb: &Budget) -> Vec<Comparison> {
    let general = Selector(vec![Term::Fund(Source::General)]);
    let all = [Selector(vec![Term::All])];
    let mut by_code: std::collections::BTreeMap<String, Comparison> = Default::default();
    let mut names: std::collections::HashMap<String, String> = Default::default();
    for (k, doc) in [b, fb].into_iter().enumerate() {
        for r in ledger::selected(doc, Rows::Function, &general, &all) {
            if !r.name.is_empty() {
                names.entry(r.code.clone()).or_insert_with(|| r.name.clone());
            }
            if r.level != Level::Xiang {
                continue;
            }
            let c = by_code.entry(r.code.clone()).or_insert_with(|| Comparison {
                function: r.code.clone(),
                name: r.name.clone(),
                label: String::new(),
                budget: Amount::ZERO,
                final_amount: Amount::ZERO,
            });
            if c.name.is_empty() {
                c.name = r.name.clone();
            }
            let v = r.values.first().copied().unwrap_or_default();
            if k == 0 { c.budget = c.budget + v } else { c.final_amount = c.final_amount + v }
        }
    }
    let mut out: Vec<Comparison> = by_code.into_values().collect();
    for c in &mut out {
        c.label = label(&c.function, &c.name, &names);
    }
    out
}

/// “一般公共服务（类）人大事务（款）行政运行（项）”: a 项 named with the 类
/// and 款 above it, as the disclosures write it.
fn label(code: &str, name: &str, names: &std::collections::HashMap<String, String>) -> String {
    let above = |n: usize| code.get(..n).and_then(|c| names.get(c)).cloned().unwrap_or_default();
    format!("{}（类）{}（款）{name}（项）", above(3), above(5))
}

/// The completion rate, in percent: 决算 ÷ 年初预算 × 100, to one decimal,
/// half away from zero (四舍五入). `None` when nothing was budgeted. The one
/// place the rule is written; checks, narrative and tables all call it.
pub fn completion_rate(final_amount: Amount, budget: Amount) -> Option<Decimal> {
    if budget.is_zero() {
        return None;
    }
    let rate = final_amount.0 * Decimal::ONE_HUNDRED / budget.0;
    Some(rate.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero))
}

/// Whether a difference needs its reason: |决算 − 年初预算| above
/// `threshold` percent of 年初预算, or anything spent on nothing budgeted.
pub fn needs_reason(final_amount: Amount, budget: Amount, threshold: Decimal) -> bool {
    let diff = (final_amount - budget).abs();
    if budget.is_zero() {
        return !diff.is_zero();
    }
    diff.0 * Decimal::ONE_HUNDRED > threshold * budget.0.abs()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(s: &str) -> Amount {
        Amount(s.parse().unwrap())
    }

    #[test]
    fn completion_rate_rounds_half_away_from_zero() {
        // 1.0005 → 100.05 % → 100.1 %, not banker's 100.0.
        assert_eq!(completion_rate(a("100.05"), a("100")).unwrap().to_string(), "100.1");
        assert_eq!(completion_rate(a("2"), a("3")).unwrap().to_string(), "66.7");
        assert_eq!(completion_rate(a("1"), a("0")), None);
    }

    #[test]
    fn reasons_are_needed_above_the_threshold() {
        let t = Decimal::from(10);
        assert!(!needs_reason(a("110"), a("100"), t), "exactly 10 % is within");
        assert!(needs_reason(a("110.01"), a("100"), t));
        assert!(needs_reason(a("1"), a("0"), t));
        assert!(!needs_reason(a("0"), a("0"), t));
    }
}
