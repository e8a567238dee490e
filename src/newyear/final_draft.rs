//! 决算草稿：由一份预算数据文件写出同一年度的决算数据文件，待财务人员填写决算数。
//!
//! Every line item of the budget is written with its 年初预算 as the
//! starting figure and a `[todo]` entry carrying that value: the entry
//! closes by itself once the officer types the final figure (or deletes the
//! entry to confirm it). Texts still to be written hold 【待填写】. The
//! draft balances as written (income = spending, no balances), so `check`
//! shows only what is left to fill in.

use std::fmt::Write as _;

use crate::model::Budget;
use crate::model::amount::Amount;
use crate::model::final_accounts::Fund;
use crate::model::lineitems::{self, Kind};
use crate::model::todo::MARKS;

/// The draft's text. `budget_ref` is the budget file as the draft names it
/// (relative to the draft's folder).
pub fn draft(b: &Budget, budget_ref: &str) -> String {
    let mut todo = Vec::new();
    let mut out = head(b, budget_ref);
    funds(b, &mut out, &mut todo);
    sangong(b, &mut out, &mut todo);
    rest(b, &mut out, &mut todo);
    evaluations(b, &mut out, &mut todo);
    items(b, &mut out, &mut todo);
    todo_table(&mut out, &todo);
    out
}

fn quoted(s: &str) -> String {
    toml_edit::Value::from(s).to_string()
}

fn head(b: &Budget, budget_ref: &str) -> String {
    let y = b.document.year;
    format!(
        "# {}{y}年度部门决算数据（草稿，由 yusuan new --final-accounts 生成）。\n\
         #\n\
         # 部门名称、编码、年度、年初预算、“三公”经费预算与项目绩效目标都从下面 budget\n\
         # 所指的预算文件读出，不在这里重写。各项决算数先填着年初预算数，请逐项改为决算数；\n\
         # 标有“{mark}”的文字须填写。文件末尾的 [todo] 记着尚未改动的数字，改完之前\n\
         # yusuan build 只生成草稿（yusuan check 逐项列出）。说明见 docs/final-accounts.md。\n\n\
         other_matters = []\n\n\
         [final_accounts]\n\
         budget = {}\n\
         # date = {}-08-31  # 公开日期\n\n",
        b.document.department,
        quoted(budget_ref),
        y + 1,
        mark = MARKS[0],
    )
}

/// One balance table per fund the budget spends from, closing as written:
/// 本年收入 starts equal to the budgeted spending.
fn funds(b: &Budget, out: &mut String, todo: &mut Vec<(String, Option<String>)>) {
    out.push_str(
        "# 各资金来源：年初结转和结余 + 本年收入 + 使用非财政拨款结余\n\
         #   = 本年支出（决算明细相加）+ 结余分配 + 年末结转和结余\n",
    );
    let items = lineitems::items(b);
    let mut k = 0;
    for fund in Fund::ALL {
        let spent: Amount =
            items.iter().filter(|i| Fund::of(i.fund) == fund).map(|i| i.amount).sum();
        if spent.is_zero() {
            continue;
        }
        let _ =
            writeln!(out, "[[funds]]\nsource = {}\nopening = 0\nclosing = 0", quoted(fund.name()));
        if fund.is_appropriation() {
            let _ = writeln!(out, "income = {spent}  # 年初预算数，请改为本年收到的财政拨款");
            todo.push((format!("funds[{k}].income"), Some(spent.to_string())));
        } else {
            let _ = writeln!(out, "# 非财政拨款的本年收入写在 [other_income] 中");
        }
        out.push('\n');
        k += 1;
    }
    let other: Amount =
        items.iter().filter(|i| !Fund::of(i.fund).is_appropriation()).map(|i| i.amount).sum();
    if !other.is_zero() {
        let _ = writeln!(
            out,
            "# 非财政拨款的本年收入（先把预算数记在其他收入下，请按来源分列）\n\
             [other_income]\nsuperior = 0\ninstitution = 0\nbusiness = 0\naffiliated = 0\nother = {other}\n"
        );
        todo.push(("other_income.other".into(), Some(other.to_string())));
    }
}

fn sangong(b: &Budget, out: &mut String, todo: &mut Vec<(String, Option<String>)>) {
    let s = &b.sangong.current;
    out.push_str("# 财政拨款“三公”经费决算数（先填着预算数）\n[sangong]\n");
    for (key, a) in [
        ("overseas", s.overseas),
        ("vehicle_purchase", s.vehicle_purchase),
        ("vehicle_operation", s.vehicle_operation),
        ("reception", s.reception),
    ] {
        let _ = writeln!(out, "{key} = {a}");
        todo.push((format!("sangong.{key}"), Some(a.to_string())));
    }
    out.push_str(
        "overseas_groups = 0\noverseas_people = 0\nvehicles_bought = 0\nvehicles_held = 0\n\
         reception_batches = 0\nreception_people = 0\n\n",
    );
}

fn rest(b: &Budget, out: &mut String, todo: &mut Vec<(String, Option<String>)>) {
    let op = b.operating_amount();
    let _ =
        writeln!(out, "# 机关运行经费决算数（先填着预算数）\n[operating_costs]\namount = {op}\n");
    todo.push(("operating_costs.amount".into(), Some(op.to_string())));
    let p = &b.procurement;
    let _ = writeln!(
        out,
        "# 政府采购实际签订合同的金额（先填着预算数）\n[procurement]\ngoods = {}\nworks = {}\nservices = {}\nsme = 0\n",
        p.goods, p.works, p.services
    );
    let y = b.document.year;
    let _ = writeln!(
        out,
        "# 国有资产：截至{y}年12月31日（数量、价值请按资产报表填写）\n[assets]\nas_of = {y}-12-31\n"
    );
    todo.push(("assets.vehicles".into(), None));
}

/// One 绩效自评 per project table of the budget, each indicator's
/// achieved value to be filled in.
fn evaluations(b: &Budget, out: &mut String, todo: &mut Vec<(String, Option<String>)>) {
    for (n, t) in b.performance.projects.iter().enumerate() {
        todo.push((format!("evaluations[{n}].score"), Some("0".into())));
        todo.extend(
            (0..t.indicators.len())
                .map(|k| (format!("evaluations[{n}].achieved[{k}].value"), None)),
        );
        let _ = writeln!(
            out,
            "[[evaluations]]\nproject = {}\nscore = 0  # 自评得分\nachieved = [",
            quoted(&t.name)
        );
        for i in &t.indicators {
            let _ = writeln!(
                out,
                "  {{ indicator = {}, value = {} }},  # 目标 {}",
                quoted(&i.level3),
                quoted(MARKS[0]),
                i.value
            );
        }
        out.push_str("]\n\n");
    }
}

/// Every budget line item with its 年初预算 as the starting 决算数.
fn items(b: &Budget, out: &mut String, todo: &mut Vec<(String, Option<String>)>) {
    out.push_str("# 决算明细：每行的年初预算来自预算文件，amount 请改为决算数（万元）\n");
    for (k, (li, i)) in b.line_items.iter().zip(lineitems::items(b)).enumerate() {
        let _ = writeln!(out, "[[line_items]]");
        if let Some(u) = &li.unit {
            let _ = writeln!(out, "unit = {}", quoted(u));
        }
        let _ = writeln!(out, "function = {}", quoted(i.function));
        if let Some(n) = &li.function_name {
            let _ = writeln!(out, "function_name = {}", quoted(n));
        }
        if let Some(e) = i.economic {
            let _ = writeln!(out, "economic = {}", quoted(e));
        }
        if let Some(s) = &li.source {
            let _ = writeln!(out, "source = {}", quoted(s));
        }
        if let Some(s) = &li.carried_from {
            let _ = writeln!(out, "carried_from = {}", quoted(s));
        }
        match i.kind {
            Kind::Project(p) => {
                let _ = writeln!(out, "project = {}", quoted(p));
            }
            Kind::Personnel => out.push_str("basic = \"人员经费\"\n"),
            Kind::Public => out.push_str("basic = \"公用经费\"\n"),
        }
        let _ = writeln!(out, "amount = {}  # 年初预算 {}\n", li.amount, li.amount);
        todo.push((format!("line_items[{k}].amount"), Some(li.amount.to_string())));
    }
}

fn todo_table(out: &mut String, todo: &[(String, Option<String>)]) {
    out.push_str(
        "# 草稿待办：以下字段仍是年初预算数或尚未填写。改动一个字段，它的条目就自动完成；\n\
         # 决算数与年初预算相同的，删去那一条。全部完成后可删去整张表。\n[todo]\nfields = [\n",
    );
    for (field, was) in todo {
        match was {
            Some(w) => {
                let _ = writeln!(out, "  {{ field = {}, was = {} }},", quoted(field), quoted(w));
            }
            None => {
                let _ = writeln!(out, "  {{ field = {} }},", quoted(field));
            }
        }
    }
    out.push_str("]\n");
}
