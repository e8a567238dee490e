//! 核对：发布前必须成立的算术关系和数据约束。
//!
//! Every check names the field it is about; `load::locate` turns the field
//! path into a line and column. Errors block the build, warnings are printed.

use rust_decimal::Decimal;

use crate::amount::{Amount, MAX_DECIMALS};
use crate::derive::{self, Change, Direction};
use crate::diag::Problem;
use crate::model::{Budget, Indicator, ProjectTable};

/// Amounts above this (in 万元, i.e. one trillion 元) are taken as typos.
const ABSURD: i64 = 100_000_000;

/// Runs every check and returns all problems, errors first.
pub fn check(b: &Budget) -> Vec<Problem> {
    let mut out = Vec::new();
    document(b, &mut out);
    amounts(b, &mut out);
    totals(b, &mut out);
    changes(b, &mut out);
    sangong(b, &mut out);
    assets(b, &mut out);
    performance(b, &mut out);
    out.sort_by_key(|p| p.severity);
    out
}

fn document(b: &Budget, out: &mut Vec<Problem>) {
    let d = &b.document;
    if !(1990..=2100).contains(&d.year) {
        out.push(
            Problem::error("document.year", format!("预算年度 {} 不合理", d.year))
                .expected("四位年份，如 2021"),
        );
    }
    if d.department.trim().is_empty() {
        out.push(Problem::error("document.department", "部门名称为空"));
    }
    if d.code.trim().is_empty() || !d.code.trim().chars().all(|c| c.is_ascii_digit()) {
        out.push(
            Problem::error("document.code", format!("部门编码“{}”应为数字", d.code))
                .expected("如 101001"),
        );
    }
    if d.unit != "万元" {
        out.push(
            Problem::error("document.unit", format!("不支持的金额单位“{}”", d.unit))
                .expected("万元"),
        );
    }
    if b.units.is_empty() {
        out.push(
            Problem::error("units", "机构设置表至少要有一个单位")
                .expected("[[units]] name = … nature = … rank = … funding = …"),
        );
    }
}

/// Every amount field with its path, for the checks that apply to all.
fn all_amounts(b: &Budget) -> Vec<(String, Amount)> {
    let i = &b.income;
    let mut v = vec![
        ("income.general_budget".to_string(), i.general_budget),
        ("income.government_fund".into(), i.government_fund),
        ("income.special_account".into(), i.special_account),
        ("income.other".into(), i.other),
        ("income.carryover".into(), i.carryover),
        ("expenditure.basic.personnel".into(), b.expenditure.basic.personnel),
        ("expenditure.basic.public".into(), b.expenditure.basic.public),
        ("previous.basic".into(), b.previous.basic),
        ("previous.projects".into(), b.previous.projects),
        ("procurement.goods".into(), b.procurement.goods),
        ("procurement.works".into(), b.procurement.works),
        ("procurement.services".into(), b.procurement.services),
        ("assets.planned_purchase".into(), b.assets.planned_purchase),
    ];
    for (n, p) in b.expenditure.projects.iter().enumerate() {
        v.push((format!("expenditure.projects[{n}].amount"), p.amount));
    }
    if let Some(a) = b.operating_costs.amount {
        v.push(("operating_costs.amount".into(), a));
    }
    for (when, f) in [("current", &b.sangong.current), ("previous", &b.sangong.previous)] {
        v.push((format!("sangong.{when}.overseas"), f.overseas));
        v.push((format!("sangong.{when}.vehicle_purchase"), f.vehicle_purchase));
        v.push((format!("sangong.{when}.vehicle_operation"), f.vehicle_operation));
        v.push((format!("sangong.{when}.reception"), f.reception));
    }
    let a = &b.assets;
    for (k, h) in [
        ("buildings", &a.buildings),
        ("office_buildings", &a.office_buildings),
        ("vehicles", &a.vehicles),
        ("major_equipment", &a.major_equipment),
        ("other", &a.other),
    ] {
        v.push((format!("assets.{k}.value"), h.value));
        if let Some(q) = h.quantity {
            v.push((format!("assets.{k}.quantity"), q));
        }
    }
    v
}

fn amounts(b: &Budget, out: &mut Vec<Problem>) {
    for (path, a) in all_amounts(b) {
        if a.0.is_sign_negative() && !a.is_zero() {
            out.push(Problem::error(&path, format!("金额 {a} 为负数")).expected("0 或正数"));
        } else if a.0 > Decimal::from(ABSURD) {
            out.push(
                Problem::error(&path, format!("金额 {a} 万元大得不合理，是否把元当成了万元？"))
                    .expected("以万元为单位的金额"),
            );
        }
        if a.0.scale() > MAX_DECIMALS && a.0.normalize().scale() > MAX_DECIMALS {
            out.push(
                Problem::error(&path, format!("金额 {a} 精确到了分以下"))
                    .expected("最多 6 位小数（0.000001 万元即 1 分）"),
            );
        }
    }
}

fn totals(b: &Budget, out: &mut Vec<Problem>) {
    let income = derive::income_total(&b.income);
    let spend = derive::expenditure_total(&b.expenditure);
    if income != spend {
        out.push(
            Problem::error(
                "income",
                format!("收入合计 {} 万元与支出合计 {} 万元不等", income, spend),
            )
            .expected("综合预算收支平衡：收入各项之和等于基本支出与项目支出之和"),
        );
    }
    let mut seen = std::collections::HashMap::new();
    for (n, p) in b.expenditure.projects.iter().enumerate() {
        if let Some(first) = seen.insert(p.name.trim(), n) {
            out.push(Problem::error(
                format!("expenditure.projects[{n}].name"),
                format!("项目“{}”重复（第 {} 条已有）", p.name.trim(), first + 1),
            ));
        }
    }
}

/// A stated change must equal this year minus last year, at display
/// precision (the page cannot show more).
fn change_mismatch(
    field: &str,
    what: &str,
    stated: Amount,
    cur: Amount,
    prev: Amount,
) -> Option<Problem> {
    let diff = cur - prev;
    (Amount(stated.rounded()) != Amount(diff.rounded())).then(|| {
        Problem::error(
            field,
            format!(
                "{what}的增减额写作 {} 万元，但本年 {} 减上年 {} 为 {} 万元",
                stated.text(),
                cur.text(),
                prev.text(),
                diff.text()
            ),
        )
        .expected(format!("{}（或删去此项，由程序推算）", diff.text()))
    })
}

fn changes(b: &Budget, out: &mut Vec<Problem>) {
    let e = &b.expenditure;
    let p = &b.previous;
    let (cur_basic, cur_projects) = (derive::basic_total(e), derive::projects_total(e));
    let basic = Change::between(cur_basic, p.basic);
    let projects = Change::between(cur_projects, p.projects);
    let s = &p.stated;
    let pairs = [
        (
            "previous.stated.total",
            "收支总额",
            s.total,
            cur_basic + cur_projects,
            p.basic + p.projects,
        ),
        ("previous.stated.basic", "基本支出", s.basic, cur_basic, p.basic),
        ("previous.stated.projects", "项目支出", s.projects, cur_projects, p.projects),
    ];
    for (field, what, stated, cur, prev) in pairs {
        if let Some(stated) = stated {
            out.extend(change_mismatch(field, what, stated, cur, prev));
        }
    }
    if let (Some(t), Some(bs), Some(pr)) = (s.total, s.basic, s.projects)
        && t != bs + pr
    {
        out.push(
            Problem::error(
                "previous.stated.total",
                format!(
                    "已公布的总额增减 {t} 万元不等于基本支出增减 {bs} 与项目支出增减 {pr} 之和 {}",
                    bs + pr
                ),
            )
            .expected(format!("{}", bs + pr)),
        );
    }
    if basic.direction != Direction::Flat && p.basic_reason.trim().is_empty() {
        out.push(Problem::warning(
            "previous.basic_reason",
            format!("基本支出{}{}万元，但没有写原因", derive_word(&basic), basic.amount.text),
        ));
    }
    if projects.direction != Direction::Flat && p.projects_reason.trim().is_empty() {
        out.push(Problem::warning(
            "previous.projects_reason",
            format!("项目支出{}{}万元，但没有写原因", derive_word(&projects), projects.amount.text),
        ));
    }
}

fn derive_word(c: &Change) -> &'static str {
    match c.direction {
        Direction::Increase => "增加",
        Direction::Decrease => "减少",
        Direction::Flat => "持平",
    }
}

fn sangong(b: &Budget, out: &mut Vec<Problem>) {
    let (c, p, r) = (&b.sangong.current, &b.sangong.previous, &b.sangong.reasons);
    let items = [
        ("sangong.reasons.overseas", "因公出国（境）费", c.overseas, p.overseas, &r.overseas),
        (
            "sangong.reasons.vehicle",
            "公务用车购置及运维费",
            c.vehicle_purchase + c.vehicle_operation,
            p.vehicle_purchase + p.vehicle_operation,
            &r.vehicle,
        ),
        ("sangong.reasons.reception", "公务接待费", c.reception, p.reception, &r.reception),
    ];
    for (field, what, cur, prev, reason) in items {
        let ch = Change::between(cur, prev);
        if ch.direction != Direction::Flat && reason.trim().is_empty() {
            out.push(
                Problem::warning(
                    field,
                    format!(
                        "{what}较上年{}{}万元，但没有写增减原因",
                        derive_word(&ch),
                        ch.amount.text
                    ),
                )
                .expected("如 reception = \"在职人员增加\""),
            );
        }
    }
}

fn assets(b: &Budget, out: &mut Vec<Problem>) {
    let a = &b.assets;
    if a.office_buildings.value > a.buildings.value {
        out.push(
            Problem::error(
                "assets.office_buildings.value",
                format!(
                    "办公用房价值 {} 万元大于房屋总价值 {} 万元",
                    a.office_buildings.value, a.buildings.value
                ),
            )
            .expected("办公用房是房屋的一部分，不应大于房屋"),
        );
    }
    if let (Some(o), Some(all)) = (a.office_buildings.quantity, a.buildings.quantity)
        && o > all
    {
        out.push(Problem::error(
            "assets.office_buildings.quantity",
            format!("办公用房面积 {o} 平方米大于房屋面积 {all} 平方米"),
        ));
    }
}

fn performance(b: &Budget, out: &mut Vec<Problem>) {
    if b.performance.overall.goal.iter().all(|g| g.trim().is_empty()) {
        out.push(Problem::error("performance.overall.goal", "总体绩效目标为空"));
    }
    let mut seen = std::collections::HashMap::new();
    for (n, t) in b.performance.projects.iter().enumerate() {
        let base = format!("performance.projects[{n}]");
        if let Some(first) = seen.insert(t.name.trim(), n) {
            out.push(Problem::error(
                format!("{base}.name"),
                format!("项目绩效目标表“{}”重复（第 {} 张已有）", t.name.trim(), first + 1),
            ));
        }
        project_table(&base, t, out);
    }
}

fn project_table(base: &str, t: &ProjectTable, out: &mut Vec<Problem>) {
    if t.goals.iter().all(|g| g.trim().is_empty()) {
        out.push(
            Problem::error(format!("{base}.goals"), format!("“{}”没有绩效目标", t.name))
                .expected("至少一条目标"),
        );
    }
    if t.indicators.is_empty() {
        out.push(Problem::error(format!("{base}.indicators"), format!("“{}”没有绩效指标", t.name)));
        return;
    }
    let mut closed: Vec<String> = Vec::new();
    let mut last = String::new();
    for (n, ind) in t.indicators.iter().enumerate() {
        let field = format!("{base}.indicators[{n}]");
        indicator(&field, ind, out);
        let key = format!("{}/{}", derive::level1(ind), ind.level2.trim());
        if key != last {
            if closed.contains(&key) {
                out.push(
                    Problem::error(
                        format!("{field}.level2"),
                        format!("“{}”的指标没有连续排列，表格无法合并单元格", ind.level2.trim()),
                    )
                    .expected("同一二级指标的各行排在一起"),
                );
            }
            closed.push(last.clone());
            last = key;
        }
    }
    for needed in ["产出指标", "效果指标", "满意度指标"] {
        if !t.indicators.iter().any(|i| derive::level1(i) == needed) {
            out.push(Problem::warning(
                format!("{base}.indicators"),
                format!("“{}”缺少{needed}", t.name),
            ));
        }
    }
}

fn indicator(field: &str, ind: &Indicator, out: &mut Vec<Problem>) {
    if derive::level1(ind).is_empty() {
        out.push(
            Problem::error(
                format!("{field}.level2"),
                format!("无法由二级指标“{}”推出一级指标", ind.level2.trim()),
            )
            .expected("标准二级指标（数量指标、质量指标、时效指标、成本指标、社会效益指标、服务对象满意度指标等），或写明 level1"),
        );
    }
    if ind.level3.trim().is_empty() {
        out.push(
            Problem::error(format!("{field}.level3"), "三级指标为空")
                .expected("三级指标名称；与上一行相同则写相同的名称"),
        );
    }
    if ind.value.trim().is_empty() {
        out.push(Problem::error(format!("{field}.value"), "指标值为空"));
    }
}
