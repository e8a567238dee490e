//! 核对：发布前必须成立的算术关系和数据约束。
//!
//! Every check names the field it is about; `source::locate` turns the field
//! path into a line and column. Errors block the build, warnings are printed.

pub mod catalogue;
pub mod content;
pub mod final_accounts;
pub mod profile;
mod lineitems;
pub mod summary;
pub mod todo;

use rust_decimal::Decimal;

use crate::diag::Problem;
use crate::model::amount::{ABSURD, Amount, MAX_DECIMALS};
use crate::model::totals::{Delta, Direction};
use crate::model::{Budget, Indicator, ProjectTable};

/// Runs every check and returns all problems, errors first.
pub fn check(b: &Budget) -> Vec<Problem> {
    let mut out = Vec::new();
    document(b, &mut out);
    // Sums of absurd amounts could overflow even exact decimals; once an
    // amount is out of range the sums say nothing useful anyway.
    if amounts(b, &mut out) {
        totals(b, &mut out);
        stated_totals(b, &mut out);
        changes(b, &mut out);
        operating(b, &mut out);
        sangong(b, &mut out);
        assets(b, &mut out);
        cost_links(b, &mut out);
        // The line-item tables add up the narrative's figures too.
        out.extend(lineitems::check(b));
        out.extend(content::check(b));
    }
    performance(b, &mut out);
    out.sort_by_key(|p| p.severity);
    out
}

fn document(b: &Budget, out: &mut Vec<Problem>) {
    let d = &b.document;
    if !(1990..=2100).contains(&d.year) {
        out.push(
            Problem::error("document.year", format!("预算年度 {} 不合理", d.year))
                .expected("[document] 中写四位年份，如 year = 2021"),
        );
    }
    code("document.code", "部门编码", &d.code, out);
    for (n, u) in b.units.iter().enumerate() {
        if let Some(c) = &u.code {
            code(&format!("units[{n}].code"), "单位编码", c, out);
        }
    }
    if d.unit != "万元" {
        out.push(
            Problem::error("document.unit", format!("不支持的金额单位“{}”", d.unit))
                .expected("万元"),
        );
    }
    if b.units.is_empty() {
        out.push(
            Problem::error("units", "机构设置表至少要有一个单位").expected(
                "加一段 [[units]]，其下四行：name = \"单位名称\"、nature = \"行政\"、rank = \"正处级\"、funding = \"财政拨款\"",
            ),
        );
    }
    if d.sample {
        out.push(
            Problem::warning(
                "document.sample",
                "这是样例文件（sample = true）：每页天头印“样例”，文件中的数字是示意的，不能作为部门正式公开的文件",
            )
            .expected("部门正式公开的文件删去 [document] 中的 sample = true"),
        );
    }
}

/// Where an unbalanced income is pointed at: the copied total when there
/// is one, else the largest income figure (the one most often mistyped),
/// not the `[income]` header.
fn income_figure(b: &Budget) -> &'static str {
    let i = &b.income;
    if i.stated_total.is_some() {
        return "income.stated_total";
    }
    let figures = [
        ("income.general_budget", i.general_budget),
        ("income.government_fund", i.government_fund),
        ("income.special_account", i.special_account),
        ("income.other", i.other),
        ("income.carryover", i.carryover),
        ("income.state_capital", i.state_capital),
        ("income.institution", i.institution),
        ("income.institution_business", i.institution_business),
    ];
    figures
        .iter()
        .filter(|(_, a)| !a.is_zero())
        .max_by_key(|(_, a)| *a)
        .map_or("income", |(p, _)| p)
}

/// Budget codes are digits only; a letter is usually a typo (O for 0).
fn code(field: &str, what: &str, code: &str, out: &mut Vec<Problem>) {
    let c = code.trim();
    if c.is_empty() || !c.chars().all(|ch| ch.is_ascii_digit()) {
        out.push(Problem::error(field, format!("{what}“{code}”应只含数字")).expected(format!(
            "只含数字、带引号，如 {} = \"101001\"",
            field.rsplit('.').next().unwrap_or(field)
        )));
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
        ("income.state_capital".into(), i.state_capital),
        ("income.institution".into(), i.institution),
        ("income.institution_business".into(), i.institution_business),
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
    for (path, stated, _) in stated_total_fields(b) {
        v.extend(stated.map(|a| (path.to_string(), a)));
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
        let Some(h) = h else { continue };
        v.extend(h.value.map(|a| (format!("assets.{k}.value"), a)));
        if let Some(q) = h.quantity {
            v.push((format!("assets.{k}.quantity"), q));
        }
    }
    if let Some(a) = b.procurement.sme_reserved {
        v.push(("procurement.sme_reserved".into(), a));
    }
    if let Some(a) = b.procurement.small_micro_reserved {
        v.push(("procurement.small_micro_reserved".into(), a));
    }
    if let Some(c) = &b.performance.coverage {
        v.push(("performance.coverage.amount".into(), c.amount));
    }
    if let Some(p) = &b.previous.appropriation {
        v.push(("previous.appropriation.general".into(), p.general));
        v.push(("previous.appropriation.fund".into(), p.fund));
        v.push(("previous.appropriation.capital".into(), p.capital));
    }
    v
}

/// Sign, size and precision of every amount. Returns whether all are in
/// range, so that sums over them cannot overflow.
fn amounts(b: &Budget, out: &mut Vec<Problem>) -> bool {
    let mut sane = true;
    let stated = &b.previous.stated;
    let changes = [("total", stated.total), ("basic", stated.basic), ("projects", stated.projects)];
    for (k, a) in changes {
        // Stated changes may be negative (a decrease), but not absurd.
        if let Some(a) = a.filter(|a| a.0.abs() > Decimal::from(ABSURD)) {
            sane = false;
            out.push(absurd(&format!("previous.stated.{k}"), a));
        }
    }
    for (path, a) in all_amounts(b) {
        // A huge negative amount is reported as negative, but stops the
        // sums all the same.
        sane &= a.0.abs() <= Decimal::from(ABSURD);
        if a.0.is_sign_negative() && !a.is_zero() {
            out.push(Problem::error(&path, format!("金额 {a} 为负数")).expected("0 或正数"));
        } else if a.0 > Decimal::from(ABSURD) {
            out.push(absurd(&path, a));
        }
        if a.0.scale() > MAX_DECIMALS && a.0.normalize().scale() > MAX_DECIMALS {
            out.push(
                Problem::error(&path, format!("金额 {a} 精确到了分以下"))
                    .expected("最多 6 位小数（0.000001 万元即 1 分）"),
            );
        } else if let Some(p) = finer_than_printed(&path, a).filter(|_| written_by_hand(b, &path)) {
            out.push(p);
        }
    }
    sane
}

/// Whether a figure is the data's own, not summed from line items (which
/// may rightly be kept to the 元, and are added up exactly).
fn written_by_hand(b: &Budget, path: &str) -> bool {
    b.line_items.is_empty() || !(path.starts_with("income.") || path.starts_with("expenditure."))
}

/// A figure the text prints with more decimals than it shows (2.675 印作
/// 2.68): the sums the reader adds up from the page can then differ by a
/// cent from the printed totals, and a table summed from other data may
/// round it the other way. Copied totals are never printed, and quantities
/// print as written, so they are left alone.
fn finer_than_printed(path: &str, a: Amount) -> Option<Problem> {
    let key = path.rsplit('.').next().unwrap_or(path);
    if key.starts_with("stated") || key == "quantity" || path.starts_with("previous.stated") {
        return None;
    }
    let shown = crate::model::amount::SHOWN_DECIMALS;
    let scale = a.0.normalize().scale();
    (scale > shown).then(|| {
        Problem::warning(
            path,
            format!("金额 {a} 有 {scale} 位小数，文中只印到 {shown} 位（印作 {}）", a.text()),
        )
        .expected(format!(
            "写到 {shown} 位小数，如 {} = {}（多出的位数使印出的各项相加可能与合计差 0.01）",
            key,
            a.text()
        ))
    })
}

fn absurd(path: &str, a: Amount) -> Problem {
    Problem::error(path, crate::model::amount::absurd_message(&a.to_string()))
        .expected(crate::model::amount::absurd_expected())
}

/// The sum a stated total is checked against.
type PartsSum = fn(&Budget) -> Amount;

/// The stated (copied) totals with their paths, and how to add up their
/// parts. The sums are computed only once every amount is known to be in
/// range (see `check`), so they are functions here, not values.
fn stated_total_fields(b: &Budget) -> [(&'static str, Option<Amount>, PartsSum); 10] {
    let (e, s) = (&b.expenditure, &b.sangong);
    [
        ("income.stated_total", b.income.stated_total, |b| b.income.total()),
        ("expenditure.stated_total", e.stated_total, |b| b.expenditure.total()),
        ("expenditure.stated_projects", e.stated_projects, |b| b.expenditure.projects_total()),
        ("expenditure.basic.stated_total", e.basic.stated_total, |b| b.expenditure.basic_total()),
        ("sangong.current.stated_total", s.current.stated_total, |b| b.sangong.current.total()),
        ("sangong.current.stated_vehicle", s.current.stated_vehicle, |b| {
            b.sangong.current.vehicle()
        }),
        ("sangong.previous.stated_total", s.previous.stated_total, |b| b.sangong.previous.total()),
        ("sangong.previous.stated_vehicle", s.previous.stated_vehicle, |b| {
            b.sangong.previous.vehicle()
        }),
        ("assets.stated_total", b.assets.stated_total, |b| b.assets.total().unwrap_or_default()),
        ("procurement.stated_total", b.procurement.stated_total, |b| {
            b.procurement.goods + b.procurement.works + b.procurement.services
        }),
    ]
}

/// The name of a stated total, for the message.
fn what_total(path: &str) -> &'static str {
    match path {
        "income.stated_total" => "收入合计",
        "expenditure.stated_total" => "支出合计",
        "expenditure.stated_projects" => "项目支出合计",
        "expenditure.basic.stated_total" => "基本支出合计",
        "sangong.current.stated_total" => "本年“三公”经费合计",
        "sangong.previous.stated_total" => "上年“三公”经费合计",
        "sangong.current.stated_vehicle" => "本年公务用车购置及运维费",
        "sangong.previous.stated_vehicle" => "上年公务用车购置及运维费",
        "assets.stated_total" => "资产总额",
        _ => "政府采购预算合计",
    }
}

/// What each stated total is the sum of, for the message.
fn parts_of(path: &str) -> &'static str {
    match path {
        "income.stated_total" => "收入各项",
        "expenditure.stated_total" => "基本支出与项目支出",
        "expenditure.stated_projects" => "各项目支出",
        "expenditure.basic.stated_total" => "人员经费与日常公用经费",
        p if p.ends_with("stated_vehicle") => "公务用车购置费与运行维护费",
        p if p.starts_with("sangong") => "“三公”经费四项",
        "assets.stated_total" => "房屋、车辆、20 万元以上设备与其他固定资产",
        _ => "货物、工程、服务三类",
    }
}

/// A copied total must equal the sum of its parts at display precision
/// (published totals are rounded to 0.01 万元).
fn stated_totals(b: &Budget, out: &mut Vec<Problem>) {
    for (path, stated, parts) in stated_total_fields(b) {
        let Some(stated) = stated else { continue };
        let sum = parts(b);
        if stated.rounded() != sum.rounded() {
            out.push(
                Problem::error(
                    path,
                    format!(
                        "{}写作 {} 万元，但{}之和为 {} 万元",
                        what_total(path),
                        stated.text(),
                        parts_of(path),
                        sum.text()
                    ),
                )
                .expected(format!("{}（或删去此项，由程序推算）", sum.text())),
            );
        }
    }
}

/// 机关运行经费 said to equal 日常公用经费 must do so.
fn operating(b: &Budget, out: &mut Vec<Problem>) {
    let o = &b.operating_costs;
    let public = b.expenditure.basic.public;
    let Some(amount) = o.amount.filter(|a| o.same_as_public && a.rounded() != public.rounded())
    else {
        return;
    };
    out.push(
        Problem::error(
            "operating_costs.amount",
            format!(
                "机关运行经费写作 {} 万元，但 same_as_public = true 说明它等于日常公用经费 {} 万元",
                amount.text(),
                public.text()
            ),
        )
        .expected(format!("{}（或删去 amount，由程序取日常公用经费）", public.text())),
    );
}

fn totals(b: &Budget, out: &mut Vec<Problem>) {
    let income = b.income.total();
    let spend = b.expenditure.total();
    if income != spend {
        let (more, diff) = if income > spend {
            ("收入多", income - spend)
        } else {
            ("支出多", spend - income)
        };
        out.push(
            Problem::error(
                income_figure(b),
                format!("收入合计 {income} 万元与支出合计 {spend} 万元不等，{more} {diff} 万元"),
            )
            .expected(format!(
                "综合预算收支平衡：收入各项（[income]）之和等于人员经费、日常公用经费与各项目金额之和；\
                 核对哪一项差了 {diff} 万元"
            )),
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
    let (cur_basic, cur_projects) = (e.basic_total(), e.projects_total());
    let basic = Delta::between(cur_basic, p.basic);
    let projects = Delta::between(cur_projects, p.projects);
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
                    "已公布的总额增减 {t} 万元不等于基本支出增减（previous.stated.basic）{bs} 万元\
                     与项目支出增减（previous.stated.projects）{pr} 万元之和 {} 万元",
                    bs + pr
                ),
            )
            .expected(format!("{}", bs + pr)),
        );
    }
    if basic.direction != Direction::Flat && p.basic_reason.trim().is_empty() {
        out.push(Problem::warning(
            "previous.basic_reason",
            format!("基本支出{}{}万元，但没有写原因", basic.direction.word(), basic.amount.text()),
        ));
    }
    if projects.direction != Direction::Flat && p.projects_reason.trim().is_empty() {
        out.push(Problem::warning(
            "previous.projects_reason",
            format!(
                "项目支出{}{}万元，但没有写原因",
                projects.direction.word(),
                projects.amount.text()
            ),
        ));
    }
}

fn sangong(b: &Budget, out: &mut Vec<Problem>) {
    let (c, p, r) = (&b.sangong.current, &b.sangong.previous, &b.sangong.reasons);
    let items = [
        ("sangong.reasons.overseas", "因公出国（境）费", c.overseas, p.overseas, &r.overseas),
        ("sangong.reasons.vehicle", "公务用车购置及运维费", c.vehicle(), p.vehicle(), &r.vehicle),
        ("sangong.reasons.reception", "公务接待费", c.reception, p.reception, &r.reception),
    ];
    for (field, what, cur, prev, reason) in items {
        let ch = Delta::between(cur, prev);
        if ch.direction != Direction::Flat && reason.trim().is_empty() {
            out.push(
                Problem::warning(
                    field,
                    format!(
                        "{what}较上年{}{}万元，但没有写增减原因",
                        ch.direction.word(),
                        ch.amount.text()
                    ),
                )
                .expected(format!(
                    "在 [sangong.reasons] 写明原因，如 {} = \"在职人员增加\"",
                    field.rsplit('.').next().unwrap_or(field)
                )),
            );
        }
    }
}

fn assets(b: &Budget, out: &mut Vec<Problem>) {
    let a = &b.assets;
    let (Some(office), Some(all)) = (&a.office_buildings, &a.buildings) else { return };
    if let (Some(o), Some(v)) = (office.value, all.value)
        && o > v
    {
        out.push(
            Problem::error(
                "assets.office_buildings.value",
                format!("办公用房价值 {o} 万元大于房屋总价值 {v} 万元"),
            )
            .expected("办公用房是房屋的一部分，不应大于房屋"),
        );
    }
    if let (Some(o), Some(all)) = (office.quantity, all.quantity)
        && o > all
    {
        out.push(Problem::error(
            "assets.office_buildings.quantity",
            format!("办公用房面积 {o} 平方米大于房屋面积 {all} 平方米"),
        ));
    }
}

fn performance(b: &Budget, out: &mut Vec<Problem>) {
    if let Some(o) = &b.performance.overall
        && o.goal.iter().all(|g| g.trim().is_empty())
    {
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
        let key = format!("{}/{}", ind.level1(), ind.level2.trim());
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
        if !t.indicators.iter().any(|i| i.level1() == needed) {
            out.push(Problem::warning(
                format!("{base}.indicators"),
                format!("“{}”缺少{needed}", t.name),
            ));
        }
    }
}

fn indicator(field: &str, ind: &Indicator, out: &mut Vec<Problem>) {
    if ind.level1().is_empty() {
        out.push(
            Problem::error(
                format!("{field}.level2"),
                format!("无法由二级指标“{}”推出一级指标", ind.level2.trim()),
            )
            .expected("标准二级指标（数量指标、质量指标、时效指标、成本指标、社会效益指标、服务对象满意度指标等），或写明 level1"),
        );
    }
}

/// A cost indicator's value in 万元: “3万元”, “8万”, “350元”, “≤5万元”.
/// Anything else (“≥6次”, “100%”, “约3万元”) is not an amount.
pub fn cost_amount(value: &str) -> Option<Amount> {
    let v = value.trim().trim_start_matches(['≤', '<', '＜', '≦']).trim();
    let (number, yuan) = if let Some(n) = v.strip_suffix("万元").or_else(|| v.strip_suffix('万'))
    {
        (n, false)
    } else {
        (v.strip_suffix('元')?, true)
    };
    let n = number.trim();
    if n.is_empty() || !n.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '，')) {
        return None;
    }
    let a = crate::model::amount::parse_amount(n).ok()?;
    Some(if yuan { Amount(a.0.checked_div(Decimal::from(10_000))?) } else { a })
}

/// Sum of the cost indicators of one table; `None` if it overflows.
/// Per-head rates (三级指标 containing 人均) are standards, not totals.
fn cost_total(t: &ProjectTable) -> Option<Decimal> {
    t.indicators
        .iter()
        .filter(|i| i.level2.trim() == "成本指标" && !i.level3.contains("人均"))
        .filter_map(|i| cost_amount(&i.value))
        .try_fold(Decimal::ZERO, |sum, a| sum.checked_add(a.0))
}

/// Project tables that name their budget line: the name must exist, and
/// the cost indicators of all tables naming one line should add up to it.
fn cost_links(b: &Budget, out: &mut Vec<Problem>) {
    let names: Vec<&str> = b.expenditure.projects.iter().map(|p| p.name.trim()).collect();
    let mut linked: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (n, t) in b.performance.projects.iter().enumerate() {
        let Some(line) = &t.budget_line else { continue };
        match names.iter().position(|x| *x == line.trim()) {
            Some(i) => linked.entry(i).or_default().push(n),
            None => out.push(unknown_line(n, line, &names)),
        }
    }
    for (line, tables) in linked {
        let sum = tables.iter().try_fold(Decimal::ZERO, |s, &n| {
            s.checked_add(cost_total(&b.performance.projects[n])?)
        });
        let amount = b.expenditure.projects[line].amount;
        if let Some(sum) = sum.map(Amount).filter(|s| s.rounded() != amount.rounded()) {
            out.push(cost_mismatch(b, &tables, names[line], sum, amount));
        }
    }
}

fn unknown_line(n: usize, line: &str, names: &[&str]) -> Problem {
    let mut message = format!("项目支出中没有“{line}”");
    if let Some(best) = crate::diag::did_you_mean(line.trim(), names) {
        message.push_str(&format!("，是否想写“{best}”？"));
    }
    Problem::error(format!("performance.projects[{n}].budget_line"), message)
        .expected(format!("expenditure.projects 中的项目名称之一：{}", names.join("、")))
}

fn cost_mismatch(b: &Budget, tables: &[usize], line: &str, sum: Amount, amount: Amount) -> Problem {
    let titles: Vec<String> =
        tables.iter().map(|&n| format!("“{}”", b.performance.projects[n].name.trim())).collect();
    let which = if tables.len() == 1 {
        titles.concat()
    } else {
        format!("{}这 {} 张表", titles.concat(), tables.len())
    };
    Problem::warning(
        format!("performance.projects[{}].budget_line", tables[0]),
        format!(
            "{which}的成本指标合计 {} 万元，与项目支出“{line}”的 {} 万元不符",
            sum.text(),
            amount.text()
        ),
    )
    .expected(format!(
        "成本指标之和等于 {} 万元（只计以“万元”“万”“元”为单位的成本指标，人均标准不计）",
        amount.text()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::amount::parse_amount;

    fn a(s: &str) -> Amount {
        parse_amount(s).unwrap()
    }

    /// The seed sample as a department's own file (without its sample
    /// mark, which is a warning of its own).
    fn sample() -> String {
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/101001-2021.toml"))
            .unwrap()
            .replace("sample = true\n", "")
    }

    #[test]
    fn a_sample_file_says_so_and_a_finer_figure_is_a_warning_at_its_field() {
        let marked = sample().replace("[document]\n", "[document]\nsample = true\n");
        let ps = problems(&marked);
        assert!(ps.iter().any(|p| p.field == "document.sample" && !p.is_error()), "{ps:?}");
        let finer = sample().replace("reception = 2.67\n", "reception = 2.675\n");
        assert_ne!(finer, sample());
        let ps = problems(&finer);
        let p = ps.iter().find(|p| p.field == "sangong.current.reception").expect("a warning");
        assert!(
            !p.is_error() && p.message.contains("有 3 位小数") && p.message.contains("印作 2.68"),
            "{p:?}"
        );
        assert!(p.expected.as_deref().is_some_and(|e| e.contains("reception = 2.68")), "{p:?}");
    }

    #[test]
    fn an_unbalanced_total_gives_the_difference_at_a_figure() {
        let minimal = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/docs/example-minimal.toml"
        ))
        .unwrap();
        assert!(problems(&minimal).is_empty());
        let text = minimal.replace("general_budget = 500.5", "general_budget = 480.5");
        assert_ne!(text, minimal);
        let ps = problems(&text);
        let p = ps.iter().find(|p| p.message.starts_with("收入合计")).expect("an error");
        assert_eq!(p.field, "income.general_budget");
        assert!(p.message.ends_with("支出多 20 万元"), "{p:?}");
    }

    /// The sample without its `budget_line` links, for tests that link
    /// tables themselves.
    fn unlinked_sample() -> String {
        sample()
            .lines()
            .filter(|l| !l.starts_with("budget_line"))
            .map(|l| format!("{l}\n"))
            .collect()
    }

    fn problems(text: &str) -> Vec<Problem> {
        let b: Budget = toml::from_str(text).unwrap();
        check(&crate::source::resolve::resolve(b, text))
    }

    #[test]
    fn cost_values_read_as_amounts_in_wan_yuan() {
        assert_eq!(cost_amount("3万元"), Some(a("3")));
        assert_eq!(cost_amount("8.58万"), Some(a("8.58")));
        assert_eq!(cost_amount("350元"), Some(a("0.035")));
        assert_eq!(cost_amount("1,000元"), Some(a("0.1")));
        assert_eq!(cost_amount("≤5万元"), Some(a("5")));
        for not in ["≥6次", "100%", "约3万元", "万元", "三万元", "1e400元"] {
            assert_eq!(cost_amount(not), None, "{not}");
        }
    }

    #[test]
    fn the_sample_has_no_problems() {
        assert_eq!(problems(&sample()), vec![]);
    }

    #[test]
    fn linked_cost_indicators_are_compared_with_their_line() {
        let link = |table: &str, line: &str| {
            unlinked_sample().replace(
                &format!("name = \"{table}\"\n"),
                &format!("name = \"{table}\"\nbudget_line = \"{line}\"\n"),
            )
        };
        // 5 + 57 + 15 + 25 + 9.4 + 5.6 = 117 = 人大立法经费.
        assert_eq!(problems(&link("人大立法调研审查工作经费", "人大立法经费")), vec![]);
        let p = problems(&link("选举、任免工作经费", "人大会议经费"));
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(!p[0].is_error());
        assert!(p[0].message.contains("成本指标合计 18 万元"), "{}", p[0].message);
        let p = problems(&link("选举、任免工作经费", "人大会议"));
        assert!(p[0].is_error() && p[0].message.contains("是否想写“人大会议经费”"), "{p:?}");
    }

    #[test]
    fn several_tables_on_one_line_are_summed_together() {
        let t = unlinked_sample()
            .replace(
                "name = \"人大立法调研审查工作经费\"\n",
                "name = \"人大立法调研审查工作经费\"\nbudget_line = \"人大监督经费\"\n",
            )
            .replace(
                "name = \"人大代表执法检查工作经费\"\n",
                "name = \"人大代表执法检查工作经费\"\nbudget_line = \"人大监督经费\"\n",
            );
        // 117 + 135 = 252, against 270.
        let p = problems(&t);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].message.contains("这 2 张表的成本指标合计 252 万元"), "{}", p[0].message);
    }

    #[test]
    fn operating_costs_said_to_match_must_match() {
        let t =
            sample().replace("[operating_costs]\n", "[operating_costs]\nsame_as_public = true\n");
        assert_eq!(problems(&t), vec![], "no amount: it is 日常公用经费 by default");
        let t = sample().replace(
            "[operating_costs]\n",
            "[operating_costs]\nsame_as_public = true\namount = 1\n",
        );
        let p = problems(&t);
        assert_eq!(p[0].field, "operating_costs.amount");
        let t = sample().replace("[operating_costs]\n", "[operating_costs]\namount = 1\n");
        assert_eq!(problems(&t), vec![], "without same_as_public any amount is allowed");
    }

    #[test]
    fn stated_totals_are_checked_at_display_precision() {
        let t = sample().replace("reception = 2.67\n", "reception = 2.67\nstated_total = 56.1\n");
        assert_eq!(problems(&t), vec![]);
        let t = sample().replace("reception = 2.67\n", "reception = 2.67\nstated_total = 56.11\n");
        let p = problems(&t);
        assert_eq!(p[0].field, "sangong.current.stated_total");
        assert!(p[0].message.contains("之和为 56.1 万元"), "{}", p[0].message);
    }

    /// Every amount field of the schema (line items have their own check),
    /// as a path with `[0]` for arrays.
    fn money_paths(fields: &[crate::model::fields::Field], path: &str, out: &mut Vec<String>) {
        use crate::model::fields::Kind;
        for f in fields {
            let here =
                if path.is_empty() { f.key.to_string() } else { format!("{path}.{}", f.key) };
            match f.kind {
                Kind::Amount => out.push(here),
                Kind::Table(inner) => money_paths(inner, &here, out),
                Kind::List(Kind::Table(inner)) if f.key != "line_items" => {
                    money_paths(inner, &format!("{here}[0]"), out)
                }
                _ => {}
            }
        }
    }

    fn set(v: &mut toml::Value, path: &str, to: toml::Value) {
        let (parents, leaf) = path.rsplit_once('.').unwrap();
        let mut cur = v;
        for seg in parents.split('.') {
            let (key, first) = seg.strip_suffix("[0]").map_or((seg, false), |k| (k, true));
            cur = cur
                .as_table_mut()
                .unwrap()
                .entry(key)
                .or_insert(toml::Value::Table(Default::default()));
            if first {
                cur = &mut cur.as_array_mut().unwrap()[0];
            }
        }
        cur.as_table_mut().unwrap().insert(leaf.to_string(), to);
    }

    /// A field added to the model but not to `all_amounts` would escape the
    /// range check, and its sums could overflow: every amount of the schema,
    /// set to the largest decimal either way round, must give an error on
    /// that field and no panic.
    #[test]
    fn every_amount_field_is_range_checked() {
        let mut paths = Vec::new();
        money_paths(crate::model::fields::BUDGET, "", &mut paths);
        assert!(paths.len() > 40, "{paths:?}");
        // Without line items, so that no figure is derived over the one set.
        let mut base: toml::Value = toml::from_str(&sample()).unwrap();
        base.as_table_mut().unwrap().remove("line_items");
        assert_eq!(problems(&toml::to_string(&base).unwrap()), vec![]);
        for path in paths {
            for huge in ["79228162514264337593543950335", "-79228162514264337593543950335"] {
                let mut v = base.clone();
                set(&mut v, &path, toml::Value::String(huge.into()));
                let text = toml::to_string(&v).unwrap();
                let p = std::panic::catch_unwind(|| problems(&text));
                let p = p.unwrap_or_else(|_| panic!("{path} = {huge} panicked"));
                assert!(
                    p.iter().any(|p| p.is_error() && p.field == path),
                    "{path} = {huge}: {p:?}"
                );
            }
        }
    }

    #[test]
    fn absurd_amounts_stop_the_sums_instead_of_overflowing() {
        let t =
            sample().replace("reception = 2.67", "reception = \"79228162514264337593543950335\"");
        let p = problems(&t);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].message.contains("大得不合理"));
    }
}
