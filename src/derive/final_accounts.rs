//! 部门决算的正文数字：收支总体情况、一般公共预算财政拨款各项的年初预算与决算、
//! “三公”经费、机关运行经费、政府采购、国有资产与绩效自评。
//!
//! Every figure is computed here from the 决算 file and its linked budget;
//! the templates only choose sentences. Completion rates come from the one
//! rule in `model::final_accounts`.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use crate::derive::view::{AssetsView, Change, Money};
use crate::derive::{Formats, clean_clause};
use crate::model::Budget;
use crate::model::amount::Amount;
use crate::model::final_accounts::{
    FinalAccounts, FinalFile, Fund, completion_rate, final_budget, fund_spending,
    general_comparison, needs_reason,
};
use crate::model::lineitems;
use crate::model::profile::Profile;

/// 部门决算的正文数据（`final`）；部门预算没有这一项。
#[derive(Debug, Serialize, JsonSchema)]
pub struct FinalView {
    /// 本年收入合计。
    pub income: Money,
    /// 本年收入的各来源，只列不为 0 的。
    pub income_items: Vec<Share>,
    /// 本年支出合计。
    pub expenditure: Money,
    /// 基本支出（决算明细）。
    pub basic: Share,
    /// 项目支出（决算明细）。
    pub project: Share,
    /// 上缴上级支出、经营支出与对附属单位补助支出之和。
    pub other_spending: Money,
    /// 年初结转和结余（各资金来源合计）。
    pub opening: Money,
    /// 年末结转和结余（各资金来源合计）。
    pub closing: Money,
    /// 与上年决算比较；上年决算数未填时为 null。
    pub change: Option<YearChange>,
    /// 一般公共预算财政拨款支出合计：年初预算、决算与完成率。
    pub general: Compared,
    /// 一般公共预算财政拨款支出的各项级科目，按编码顺序。
    pub general_items: Vec<Compared>,
    /// “三公”经费：合计、因公出国（境）费、公务用车购置费、运行维护费、公务接待费。
    pub sangong: Vec<Compared>,
    /// “三公”经费的团组、车辆与接待数量。
    pub sangong_counts: SangongCounts,
    /// 机关运行经费：预算数（预算文件）与决算数。
    pub operating: Compared,
    /// 政府采购。
    pub procurement: ProcurementFinal,
    /// 国有资产（截至 12 月 31 日）。
    pub assets: AssetsView,
    /// 项目绩效自评。
    pub evaluations: Vec<EvaluationView>,
    /// 其他需要说明的事项。
    pub other_matters: Vec<String>,
    /// 须说明原因的差异门槛（百分数，样式给出）。
    pub threshold: String,
}

/// 一个金额及其占合计的百分比（一位小数）。
#[derive(Debug, Serialize, JsonSchema)]
pub struct Share {
    /// 名称，如“一般公共预算财政拨款收入”。
    pub name: String,
    /// 金额。
    pub amount: Money,
    /// 占合计的百分比，一位小数，如“97.5”。
    pub percent: String,
}

/// 与上年决算比较。
#[derive(Debug, Serialize, JsonSchema)]
pub struct YearChange {
    /// 本年收入合计比上年。
    pub income: Change,
    /// 本年支出合计比上年。
    pub expenditure: Change,
    /// 增减原因，已去掉句末标点。
    pub reason: String,
}

/// 预算数与决算数的比较。
#[derive(Debug, Serialize, JsonSchema)]
pub struct Compared {
    /// 功能分类编码（“三公”等为空）。
    pub code: String,
    /// 名称：项级科目带类、款名称，如“一般公共服务支出（类）人大事务（款）人大会议（项）”；“三公”各项如“公务接待费”。
    pub name: String,
    /// 年初预算（预算文件的数）。
    pub budget: Money,
    /// 决算数。
    pub actual: Money,
    /// 完成率（百分数，一位小数，四舍五入）；年初预算为 0 时为空。
    pub rate: String,
    /// 决算数与年初预算的比较：增加、减少或持平。
    pub change: Change,
    /// 差异超过样式门槛（须说明原因）。
    pub beyond: bool,
    /// 差异原因，已去掉句末标点；没有时为空。
    pub reason: String,
}

/// “三公”经费的数量。
#[derive(Debug, Serialize, JsonSchema)]
pub struct SangongCounts {
    /// 因公出国（境）团组数。
    pub overseas_groups: u32,
    /// 因公出国（境）人次。
    pub overseas_people: u32,
    /// 本年购置公务用车辆数。
    pub vehicles_bought: u32,
    /// 年末公务用车保有量。
    pub vehicles_held: u32,
    /// 国内公务接待批次。
    pub reception_batches: u32,
    /// 国内公务接待人次。
    pub reception_people: u32,
}

/// 政府采购实际签订合同的金额。
#[derive(Debug, Serialize, JsonSchema)]
pub struct ProcurementFinal {
    /// 政府采购支出总额。
    pub total: Money,
    /// 货物类。
    pub goods: Money,
    /// 工程类。
    pub works: Money,
    /// 服务类。
    pub services: Money,
    /// 授予中小企业的合同金额。
    pub sme: Money,
    /// 授予中小企业合同金额占政府采购支出的百分比（一位小数）。
    pub sme_percent: String,
    /// 其中授予小微企业的合同金额。
    pub small_micro: Money,
}

/// 一个项目的绩效自评。
#[derive(Debug, Serialize, JsonSchema)]
pub struct EvaluationView {
    /// 表号（正文中的表按各部分的先后连续编号）；没有指标、不印表时为 0。
    pub number: usize,
    /// 项目名称（预算文件中绩效目标表的名称）。
    pub project: String,
    /// 自评得分，如“95.5”。
    pub score: String,
    /// 各指标：三级指标、目标值（预算文件）、实际完成值。
    pub rows: Vec<[String; 3]>,
    /// 自评结论或偏差原因，已去掉句末标点。
    pub summary: String,
}

/// The narrative's figures of a 决算; `None` for a budget.
pub fn view(b: &Budget, p: &Profile, f: &Formats) -> Option<FinalView> {
    let fa = b.final_accounts.as_deref()?;
    let file = &fa.file;
    let fb = final_budget(b);
    let income_items = income_items(file);
    let income: Amount = file.funds.iter().map(|x| x.income_of(&file.other_income)).sum();
    let expenditure: Amount = Fund::ALL.iter().map(|w| fund_spending(&fb, file, *w)).sum();
    let items = lineitems::items(&fb);
    let basic: Amount = items.iter().filter(|i| i.kind.is_basic()).map(|i| i.amount).sum();
    let project: Amount = items.iter().filter(|i| !i.kind.is_basic()).map(|i| i.amount).sum();
    let threshold = p.differences.reason_threshold;
    let general_items = general_items(b, &fb, file, threshold, f);
    Some(FinalView {
        income: f.money(income),
        income_items: income_items.into_iter().map(|(n, a)| share(n, a, income, f)).collect(),
        expenditure: f.money(expenditure),
        basic: share("基本支出", basic, expenditure, f),
        project: share("项目支出", project, expenditure, f),
        other_spending: f.money(file.other_spending.total()),
        opening: f.money(file.funds.iter().map(|x| x.opening).sum()),
        closing: f.money(file.funds.iter().map(|x| x.closing).sum()),
        change: file.previous.as_ref().map(|pv| YearChange {
            income: f.change(income, pv.income),
            expenditure: f.change(expenditure, pv.expenditure),
            reason: clean_clause(&pv.reason),
        }),
        general: general_total(&general_items, f),
        general_items: general_items.into_iter().map(|(c, _)| c).collect(),
        sangong: sangong(b, file, f),
        sangong_counts: counts(file),
        operating: operating(b, file, f),
        procurement: procurement(file, f),
        assets: crate::derive::assets_view(
            &file.assets.as_budget_assets(),
            crate::derive::numbers(b, p).assets,
            p,
        ),
        evaluations: evaluations(b, fa, crate::derive::numbers(b, p).evaluations),
        other_matters: file.other_matters.clone(),
        threshold: threshold.normalize().to_string(),
    })
}

fn percent(part: Amount, whole: Amount) -> String {
    completion_rate(part, whole).map_or(String::new(), |r| format!("{r:.1}"))
}

fn share(name: &str, a: Amount, whole: Amount, f: &Formats) -> Share {
    Share { name: name.to_string(), amount: f.money(a), percent: percent(a, whole) }
}

fn income_items(file: &FinalFile) -> Vec<(&'static str, Amount)> {
    file.income_by_source().into_iter().filter(|(_, a)| !a.is_zero()).collect()
}

#[allow(clippy::too_many_arguments)]
fn compared(
    code: &str,
    name: &str,
    budget: Amount,
    actual: Amount,
    reason: &str,
    beyond: bool,
    f: &Formats,
) -> Compared {
    Compared {
        code: code.to_string(),
        name: name.to_string(),
        budget: f.money(budget),
        actual: f.money(actual),
        rate: percent(actual, budget),
        change: f.change(actual, budget),
        beyond,
        reason: clean_clause(reason),
    }
}

/// Each 项 of 一般公共预算财政拨款支出, with the exact amounts for the total.
fn general_items(
    b: &Budget,
    fb: &Budget,
    file: &FinalFile,
    threshold: Decimal,
    f: &Formats,
) -> Vec<(Compared, (Amount, Amount))> {
    general_comparison(b, fb)
        .into_iter()
        .map(|c| {
            let reason = file
                .reasons
                .iter()
                .find(|r| r.function.trim() == c.function)
                .map_or("", |r| r.reason.as_str());
            let beyond = needs_reason(c.final_amount, c.budget, threshold);
            let v = compared(&c.function, &c.label, c.budget, c.final_amount, reason, beyond, f);
            (v, (c.budget, c.final_amount))
        })
        .collect()
}

fn general_total(items: &[(Compared, (Amount, Amount))], f: &Formats) -> Compared {
    let budget = items.iter().map(|(_, (b, _))| *b).sum();
    let actual = items.iter().map(|(_, (_, a))| *a).sum();
    compared("", "一般公共预算财政拨款支出", budget, actual, "", false, f)
}

fn sangong(b: &Budget, file: &FinalFile, f: &Formats) -> Vec<Compared> {
    let (p, s, r) = (&b.sangong.current, &file.sangong, &file.sangong.reasons);
    let vehicle_reason = if r.vehicle.is_empty() { &r.vehicle_operation } else { &r.vehicle };
    vec![
        compared("", "“三公”经费", p.total(), s.total(), "", false, f),
        compared("", "因公出国（境）费", p.overseas, s.overseas, &r.overseas, false, f),
        compared(
            "",
            "公务用车购置费",
            p.vehicle_purchase,
            s.vehicle_purchase,
            &r.vehicle_purchase,
            false,
            f,
        ),
        compared(
            "",
            "公务用车运行维护费",
            p.vehicle_operation,
            s.vehicle_operation,
            vehicle_reason,
            false,
            f,
        ),
        compared("", "公务接待费", p.reception, s.reception, &r.reception, false, f),
    ]
}

fn operating(b: &Budget, file: &FinalFile, f: &Formats) -> Compared {
    let o = &file.operating_costs;
    compared("", "机关运行经费", b.operating_amount(), o.amount, &o.reason, false, f)
}

fn counts(file: &FinalFile) -> SangongCounts {
    let s = &file.sangong;
    SangongCounts {
        overseas_groups: s.overseas_groups,
        overseas_people: s.overseas_people,
        vehicles_bought: s.vehicles_bought,
        vehicles_held: s.vehicles_held,
        reception_batches: s.reception_batches,
        reception_people: s.reception_people,
    }
}

fn procurement(file: &FinalFile, f: &Formats) -> ProcurementFinal {
    let p = &file.procurement;
    ProcurementFinal {
        total: f.money(p.total()),
        goods: f.money(p.goods),
        works: f.money(p.works),
        services: f.money(p.services),
        sme: f.money(p.sme),
        sme_percent: percent(p.sme, p.total()),
        small_micro: f.money(p.small_micro),
    }
}

/// Each 绩效自评 beside its budget table: the target of each indicator from
/// the budget file, the achieved value from the 决算.
fn evaluations(b: &Budget, fa: &FinalAccounts, first: usize) -> Vec<EvaluationView> {
    let mut next = first;
    fa.file
        .evaluations
        .iter()
        .map(|e| {
            let table = b.performance.projects.iter().find(|t| t.name.trim() == e.project.trim());
            let rows = e
                .achieved
                .iter()
                .map(|a| {
                    let target = table
                        .and_then(|t| {
                            t.indicators.iter().find(|i| i.level3.trim() == a.indicator.trim())
                        })
                        .map_or(String::new(), |i| i.value.clone());
                    [a.indicator.clone(), target, a.value.clone()]
                })
                .collect();
            // Only a self-evaluation with indicators prints a table, numbered.
            let number = if e.achieved.is_empty() { 0 } else { next };
            next += usize::from(number > 0);
            EvaluationView {
                number,
                project: e.project.clone(),
                score: e.score.normalize().to_string(),
                rows,
                summary: clean_clause(&e.summary),
            }
        })
        .collect()
}
