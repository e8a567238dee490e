//! 部门决算的核对：各资金来源的收支平衡、收入写法、差异原因与绩效自评的对照。
//!
//! Every problem is located in the 决算 file by its field path; the linked
//! budget's own problems are located in the budget file. Only what the 决算
//! file states is checked here: the 年初预算 are the budget's line items by
//! construction and need no comparison.

use std::collections::HashSet;
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::diag::{Elsewhere, Problem};
use crate::model::Budget;
use crate::model::amount::{ABSURD, Amount};
use crate::model::final_accounts::{
    FinalAccounts, FinalFile, Fund, completion_rate, final_budget, fund_spending,
    general_comparison, needs_reason,
};
use crate::model::profile::Profile;

/// Every problem of a 决算: the linked budget's, in the budget file, then
/// the 决算 file's own.
pub fn check(b: &Budget, fa: &FinalAccounts) -> Vec<Problem> {
    let mut out = budget_problems(b, fa);
    if b.line_items.is_empty() {
        out.push(
            Problem::error(
                "final_accounts.budget",
                "所决算的预算文件没有预算明细（line_items），年初预算无从读出",
            )
            .expected(
                "在预算文件中逐条写出预算明细（见 docs/data-format.md），或由 yusuan import 导入",
            ),
        );
    }
    let f = &fa.file;
    out.extend(linked_budget(b, fa));
    if amounts(f, &mut out) {
        let fb = final_budget(b);
        line_items(&fb, &mut out);
        funds(&fb, f, &mut out);
        out.extend(super::content::final_check(b, &fb, f));
    }
    evaluations(b, f, &mut out);
    out
}

/// Open `[todo]` items of a file, and for a 决算 those of the budget it
/// names too: a 决算 of a budget that is still a draft (next year's
/// `yusuan new` output, last year's figures) is itself a draft, and gets
/// the watermark like one.
pub fn open_count(b: &Budget, text: &str) -> usize {
    let own = crate::model::todo::open_count(text);
    match &b.final_accounts {
        Some(fa) => own + crate::model::todo::open_count(&fa.budget_text),
        None => own,
    }
}

/// The budget a 决算 names must be the finished budget of the year the
/// 决算 closes: not a draft (then the 决算 is one too, with a warning), and
/// of a year that ended before the 决算's date (a 决算 is published after
/// its year; a budget of the year it is published in is another year's).
fn linked_budget(b: &Budget, fa: &FinalAccounts) -> Vec<Problem> {
    let mut out = Vec::new();
    let name = crate::error::shown(&fa.budget_path);
    let open = crate::model::todo::open_count(&fa.budget_text);
    if open > 0 {
        out.push(
            Problem::warning(
                "final_accounts.budget",
                format!(
                    "所决算的预算文件“{name}”还是草稿：[todo] 中还有 {open} 项待更新；本决算因此也按草稿生成（每页“草稿”水印）"
                ),
            )
            .expected("先完成预算文件（yusuan check 预算文件 逐项列出），或指向已公开的预算文件"),
        );
    }
    let year = b.document.year;
    let date = fa.file.final_accounts.date.and_then(|d| d.date);
    if let Some(d) = date.filter(|d| i32::from(d.year) <= year) {
        out.push(
            Problem::error(
                "final_accounts.date",
                format!(
                    "决算的公开日期 {d} 不晚于所决算的预算文件“{name}”的年度 {year}：一个年度的决算在年度结束后才公开"
                ),
            )
            .expected(format!(
                "{} 年或以后的日期；若日期无误，请检查 budget 是否指向了别的年度的预算文件",
                year + 1
            )),
        );
    }
    out
}

/// The 决算's line items by the budget's own rules, the same code: a unit
/// not in 机构设置, a code the catalogue does not have, a name that is not
/// the code's, a missing kind or source — each an error here as in a
/// budget. Only the lines' own problems are taken (the budget's stated
/// figures are checked in the budget); an amount of 0 is no warning here
/// (budgeted, not spent), and one already said by `amounts` is not said twice.
fn line_items(fb: &Budget, out: &mut Vec<Problem>) {
    let said: HashSet<(String, String)> =
        out.iter().map(|p| (p.field.clone(), p.message.clone())).collect();
    for p in super::lineitems::check(fb) {
        let own = p.field.starts_with("line_items[");
        let zero = !p.is_error() && p.field.ends_with(".amount");
        if own && !zero && !said.contains(&(p.field.clone(), p.message.clone())) {
            out.push(p);
        }
    }
}

/// The budget's errors, in the budget file. Its warnings are the budget's
/// business, said when the budget is built.
fn budget_problems(b: &Budget, fa: &FinalAccounts) -> Vec<Problem> {
    let mut found: Vec<Problem> = super::check(b).into_iter().filter(Problem::is_error).collect();
    if found.is_empty() {
        return found;
    }
    crate::source::place(&fa.budget_text, &mut found);
    let name = crate::error::shown(&fa.budget_path);
    let file = Arc::new(Elsewhere { name: name.clone(), text: fa.budget_text.to_string() });
    let n = found.len();
    let mut out: Vec<Problem> = found.into_iter().map(|p| p.in_file(&file)).collect();
    out.push(
        Problem::error("final_accounts.budget", format!("所决算的预算文件“{name}”有 {n} 处错误"))
            .expected("先改正预算文件中的错误（各条注明预算文件的行、列），决算的年初预算从它读出"),
    );
    out
}

/// Every amount of the funds, the items and the 三公 within range: none
/// negative, none absurd. Sums are only taken when this holds.
fn amounts(f: &FinalFile, out: &mut Vec<Problem>) -> bool {
    let before = out.len();
    let mut one = |field: String, a: Amount| {
        if a.0 < Decimal::ZERO {
            out.push(
                Problem::error(field, format!("金额 {a} 为负数")).expected("0 或正数（万元）"),
            );
        } else if a.0 > Decimal::from(ABSURD) {
            out.push(
                Problem::error(field, crate::model::amount::absurd_message(&a.to_string()))
                    .expected(crate::model::amount::absurd_expected()),
            );
        }
    };
    for (i, x) in f.funds.iter().enumerate() {
        let at = |k: &str| format!("funds[{i}].{k}");
        one(at("opening"), x.opening);
        one(at("income"), x.income.unwrap_or_default());
        one(at("use_of_balance"), x.use_of_balance);
        one(at("distribution"), x.distribution);
        one(at("closing"), x.closing);
    }
    for (i, li) in f.line_items.iter().enumerate() {
        one(format!("line_items[{i}].amount"), li.amount);
    }
    let s = &f.sangong;
    for (k, a) in [
        ("overseas", s.overseas),
        ("vehicle_purchase", s.vehicle_purchase),
        ("vehicle_operation", s.vehicle_operation),
        ("reception", s.reception),
    ] {
        one(format!("sangong.{k}"), a);
    }
    out.len() == before
}

/// Each fund listed once, its income written as its kind wants, and the
/// balance identity: 年初结转和结余 + 本年收入 + 使用非财政拨款结余 =
/// 本年支出 + 结余分配 + 年末结转和结余.
fn funds(fb: &Budget, f: &FinalFile, out: &mut Vec<Problem>) {
    let mut seen = HashSet::new();
    for (i, x) in f.funds.iter().enumerate() {
        let at = |k: &str| format!("funds[{i}].{k}");
        if !seen.insert(x.source) {
            out.push(Problem::error(at("source"), format!("“{}”写了两次", x.source.name())));
            continue;
        }
        income_rule(f, i, out);
        if x.source.is_appropriation() && !x.use_of_balance.is_zero() {
            out.push(
                Problem::error(at("use_of_balance"), "使用非财政拨款结余只能记在非财政拨款中")
                    .expected("0，或移到 source = \"非财政拨款\" 的一栏"),
            );
        }
        balance(fb, f, i, out);
    }
    for fund in Fund::ALL {
        if !seen.contains(&fund) && !fund_spending(fb, f, fund).is_zero() {
            out.push(
                Problem::error(
                    "funds",
                    format!("决算明细中有{}的支出，funds 中没有这一来源", fund.name()),
                )
                .expected(format!(
                    "[[funds]] source = \"{}\"，写明年初、年末结转和结余",
                    fund.name()
                )),
            );
        }
    }
}

fn income_rule(f: &FinalFile, i: usize, out: &mut Vec<Problem>) {
    let x = &f.funds[i];
    let at = format!("funds[{i}].income");
    match (x.source, x.income) {
        (Fund::Other, Some(written)) if written != f.other_income.total() => out.push(
            Problem::error(
                at,
                format!(
                    "非财政拨款的本年收入 {written} 万元与 [other_income] 各项之和 {} 万元不符",
                    f.other_income.total()
                ),
            )
            .expected("不写 income（由 [other_income] 相加），或改为各项之和"),
        ),
        (Fund::Other, _) => {}
        (fund, None) => out.push(
            Problem::error(format!("funds[{i}]"), format!("{}缺少本年收入 income", fund.name()))
                .expected("income = 本年收到的财政拨款（万元）"),
        ),
        _ => {}
    }
}

/// The balance identity of one fund, refused at its 年末结转和结余 with both
/// sides spelled out.
fn balance(fb: &Budget, f: &FinalFile, i: usize, out: &mut Vec<Problem>) {
    let x = &f.funds[i];
    let income = x.income_of(&f.other_income);
    let spending = fund_spending(fb, f, x.source);
    let sources = x.opening + income + x.use_of_balance;
    let uses = spending + x.distribution + x.closing;
    if sources == uses {
        return;
    }
    let should = sources - spending - x.distribution;
    out.push(
        Problem::error(
            format!("funds[{i}].closing"),
            format!(
                "{}收支不平衡：年初结转和结余 {} + 本年收入 {} + 使用非财政拨款结余 {} = {}，\
                 本年支出 {}（决算明细相加）+ 结余分配 {} + 年末结转和结余 {} = {}，相差 {} 万元",
                x.source.name(),
                x.opening,
                income,
                x.use_of_balance,
                sources,
                spending,
                x.distribution,
                x.closing,
                uses,
                (sources - uses).abs()
            ),
        )
        .expected(format!("年末结转和结余为 {should}，或改正收入、支出各数")),
    );
}

/// 绩效自评 against the budget's 绩效目标: the project and each indicator
/// must be in the budget file's tables, the score within 0—100.
fn evaluations(b: &Budget, f: &FinalFile, out: &mut Vec<Problem>) {
    for (i, e) in f.evaluations.iter().enumerate() {
        let Some(t) = b.performance.projects.iter().find(|t| t.name.trim() == e.project.trim())
        else {
            let names: Vec<&str> = b.performance.projects.iter().map(|t| t.name.as_str()).collect();
            out.push(
                Problem::error(
                    format!("evaluations[{i}].project"),
                    format!("预算文件中没有“{}”的绩效目标表", e.project),
                )
                .expected(format!("预算文件中的项目之一：{}", names.join("、"))),
            );
            continue;
        };
        if !(Decimal::ZERO..=Decimal::ONE_HUNDRED).contains(&e.score) {
            out.push(
                Problem::error(
                    format!("evaluations[{i}].score"),
                    format!("自评得分 {} 不在 0—100 之间", e.score),
                )
                .expected("百分制得分，如 95.5"),
            );
        }
        for (k, a) in e.achieved.iter().enumerate() {
            if !t.indicators.iter().any(|x| x.level3.trim() == a.indicator.trim()) {
                out.push(
                    Problem::error(
                        format!("evaluations[{i}].achieved[{k}].indicator"),
                        format!("“{}”的绩效目标表中没有指标“{}”", t.name, a.indicator),
                    )
                    .expected("目标表中的三级指标名称"),
                );
            }
        }
    }
}

/// The reasons the profile requires: every 项 of 一般公共预算财政拨款, every
/// 三公 item and the 机关运行经费 whose 决算 differs from its 预算 by more
/// than the profile's threshold, over- and under-spending alike.
pub fn reasons(b: &Budget, profile: &Profile) -> Vec<Problem> {
    let Some(fa) = &b.final_accounts else { return Vec::new() };
    let f = &fa.file;
    let threshold = profile.differences.reason_threshold;
    let given: HashSet<&str> =
        f.reasons.iter().filter(|r| is_given(&r.reason)).map(|r| r.function.trim()).collect();
    let fb = final_budget(b);
    let mut out = items_reasons(b, &fb, f, threshold, &given);
    out.extend(sangong_reasons(b, f, threshold));
    out
}

/// The 项 of 一般公共预算财政拨款 beyond the threshold, over- or under-spent,
/// without a reason in `given`.
fn items_reasons(
    b: &Budget,
    fb: &Budget,
    f: &FinalFile,
    threshold: Decimal,
    given: &HashSet<&str>,
) -> Vec<Problem> {
    general_comparison(b, fb)
        .into_iter()
        .filter(|c| needs_reason(c.final_amount, c.budget, threshold))
        .filter(|c| !given.contains(c.function.as_str()))
        .map(|c| {
            let at = f
                .line_items
                .iter()
                .position(|li| li.function.trim() == c.function)
                .map_or("reasons".to_string(), |k| format!("line_items[{k}].amount"));
            let rate = completion_rate(c.final_amount, c.budget)
                .map_or("年初未安排预算".to_string(), |r| format!("完成年初预算的 {r}%"));
            Problem::error(
                at,
                format!(
                    "{} {}：决算 {} 万元，年初预算 {} 万元，{rate}，差异超过样式规定的 {threshold}%，须说明原因",
                    c.function, c.name, c.final_amount, c.budget
                ),
            )
            .expected(format!("[[reasons]] function = \"{}\"，reason = \"主要是……\"", c.function))
        })
        .collect()
}

/// The 三公 items and 机关运行经费 beyond the threshold, over or under their
/// 预算, without a reason: the page compares each with its 预算 as it does
/// the 项. (Totals need no reason of their own: when every part is within
/// the threshold, so is their sum.)
fn sangong_reasons(b: &Budget, f: &FinalFile, threshold: Decimal) -> Vec<Problem> {
    let (p, s, r) = (&b.sangong.current, &f.sangong, &f.sangong.reasons);
    // The page gives 运行维护费 the reason of 购置及运维 when there is one.
    let operation = if r.vehicle.trim().is_empty() { &r.vehicle_operation } else { &r.vehicle };
    let o = &f.operating_costs;
    [
        ("sangong.overseas", "因公出国（境）费", "[sangong.reasons] overseas", s.overseas, p.overseas, &r.overseas),
        ("sangong.vehicle_purchase", "公务用车购置费", "[sangong.reasons] vehicle_purchase", s.vehicle_purchase, p.vehicle_purchase, &r.vehicle_purchase),
        ("sangong.vehicle_operation", "公务用车运行维护费", "[sangong.reasons] vehicle_operation", s.vehicle_operation, p.vehicle_operation, operation),
        ("sangong.reception", "公务接待费", "[sangong.reasons] reception", s.reception, p.reception, &r.reception),
        ("operating_costs.amount", "机关运行经费", "[operating_costs] reason", o.amount, b.operating_amount(), &o.reason),
    ]
    .into_iter()
    .filter(|(.., actual, budget, reason)| {
        needs_reason(*actual, *budget, threshold) && !is_given(reason)
    })
    .map(|(field, what, key, actual, budget, _)| {
        let rate = completion_rate(actual, budget)
            .map_or("预算未安排".to_string(), |r| format!("完成预算的 {r}%"));
        let (table, key) = key.split_once(' ').unwrap_or(("", key));
        Problem::error(
            field,
            format!(
                "{what}决算 {actual} 万元，预算 {budget} 万元，{rate}，差异超过样式规定的 {threshold}%，须说明原因"
            ),
        )
        .expected(format!("{table} {key} = \"主要是……\""))
    })
    .collect()
}

/// A reason written, and not a placeholder of a draft.
fn is_given(reason: &str) -> bool {
    !reason.trim().is_empty() && !crate::model::todo::MARKS.iter().any(|m| reason.contains(m))
}
