//! 部门决算（issue 18）：决算文件读入它所决算的预算文件，年初预算由预算文件而来；
//! 收支平衡与各表合计在这里独立推算；不平衡或找不到预算文件时拒绝，指明文件、行、列。

mod common;

use std::fs;
use std::path::Path;

use common::{Order, pdf_text, root, stderr, yusuan};
use rust_decimal::Decimal;

const BUDGET: &str = "101001-2021.toml";
const FINAL: &str = "101001-2021-final.toml";

/// The two sample files copied into a fresh folder.
fn setup(dir: &Path) -> (String, String) {
    let budget = fs::read_to_string(root().join("data").join(BUDGET)).unwrap();
    let fin = fs::read_to_string(root().join("data").join(FINAL)).unwrap();
    fs::write(dir.join(BUDGET), &budget).unwrap();
    fs::write(dir.join(FINAL), &fin).unwrap();
    (budget, fin)
}

fn build(dir: &Path) -> std::process::Output {
    yusuan(dir, &["build", FINAL, "-o", "out"])
}

/// `amount = N` values of the `[[line_items]]` of a file, with their function.
fn items(text: &str) -> Vec<(String, Decimal)> {
    let mut out = Vec::new();
    for block in text.split("[[line_items]]").skip(1) {
        let field = |k: &str| {
            block.lines().find_map(|l| {
                let l = l.split('#').next().unwrap().trim();
                l.strip_prefix(k)
                    .and_then(|r| r.trim_start().strip_prefix('='))
                    .map(|v| v.trim().trim_matches('"').to_string())
            })
        };
        out.push((field("function").unwrap(), field("amount").unwrap().parse().unwrap()));
    }
    out
}

fn value(text: &str, key: &str) -> Decimal {
    text.lines()
        .find_map(|l| l.trim().strip_prefix(key).and_then(|r| r.trim_start().strip_prefix('=')))
        .map(|v| v.split('#').next().unwrap().trim().parse().unwrap())
        .unwrap_or_default()
}

#[test]
fn the_budget_line_items_are_the_final_accounts_year_start_figures() {
    let dir = tempfile::tempdir().unwrap();
    let (budget, _) = setup(dir.path());
    let o = build(dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let text = pdf_text(&dir.path().join("out/101001-2021-final.pdf"), Order::Raw);
    assert!(text.contains("一般公共服务支出（类）人大事务（款）人大会议（项）。年初预算为264.6万元，支出决算为241.35万元，完成年初预算的91.2%"), "{text}");
    // One budget line item changes; the 决算 follows without being touched.
    let changed = budget.replacen(
        "project = \"人大会议经费\"\namount = 264.6",
        "project = \"人大会议经费\"\namount = 250",
        1,
    );
    assert_ne!(changed, budget);
    let changed = changed.replacen(
        "name = \"人大会议经费\"\namount = 264.6",
        "name = \"人大会议经费\"\namount = 250",
        1,
    );
    // The budget's stated income follows its line items, or the budget
    // itself is refused (tested below).
    let changed = changed.replacen("general_budget = 2220.42", "general_budget = 2205.82", 1);
    fs::write(dir.path().join(BUDGET), changed).unwrap();
    let o = build(dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let text = pdf_text(&dir.path().join("out/101001-2021-final.pdf"), Order::Raw);
    assert!(
        text.contains("年初预算为250万元，支出决算为241.35万元，完成年初预算的96.5%"),
        "{text}"
    );
}

#[test]
fn the_sample_balances_and_its_totals_are_printed() {
    let dir = tempfile::tempdir().unwrap();
    let (budget, fin) = setup(dir.path());
    // Independently: 本年支出 is the final line items; the identity closes.
    let spent: Decimal = items(&fin).iter().map(|(_, a)| *a).sum();
    let (opening, income, closing) =
        (value(&fin, "opening"), value(&fin, "income"), value(&fin, "closing"));
    assert_eq!(opening + income, spent + closing, "the sample closes");
    let budgeted: Decimal = items(&budget).iter().map(|(_, a)| *a).sum();
    let o = build(dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let text = pdf_text(&dir.path().join("out/101001-2021-final.pdf"), Order::Raw);
    let shown = |d: Decimal| d.round_dp(2).normalize().to_string();
    assert!(text.contains(&format!("本年支出合计{}万元", shown(spent))), "{text}");
    assert!(
        text.contains(&format!(
            "年初预算为{}万元，支出决算为{}万元",
            shown(budgeted),
            shown(spent)
        )),
        "{text}"
    );
    let table = pdf_text(&dir.path().join("out/101001-2021-final.pdf"), Order::Layout);
    assert!(table.contains(&format!("本年支出合计{:.2}", spent)), "table 1 total");
    assert!(
        table.contains(&format!("总计{:.2}总计{:.2}", opening + income, spent + closing)),
        "table 1 总计"
    );
}

#[test]
fn a_file_that_does_not_close_is_refused_at_its_closing_balance() {
    let dir = tempfile::tempdir().unwrap();
    let (_, fin) = setup(dir.path());
    let bad = fin.replacen("closing = 3.65", "closing = 5", 1);
    assert_ne!(bad, fin);
    fs::write(dir.path().join(FINAL), &bad).unwrap();
    let o = build(dir.path());
    assert!(!o.status.success());
    let err = stderr(&o);
    let line = bad.lines().position(|l| l.starts_with("closing = 5")).unwrap() + 1;
    assert!(err.contains("一般公共预算财政拨款收支不平衡"), "{err}");
    assert!(err.contains(&format!("{FINAL}:{line}:11")), "{err}");
    assert!(err.contains("相差 1.35 万元"), "{err}");
    assert!(!dir.path().join("out/101001-2021-final.pdf").exists());
}

#[test]
fn a_missing_budget_file_is_refused_at_the_budget_key() {
    let dir = tempfile::tempdir().unwrap();
    let (_, fin) = setup(dir.path());
    fs::remove_file(dir.path().join(BUDGET)).unwrap();
    let o = build(dir.path());
    assert!(!o.status.success());
    let err = stderr(&o);
    let line = fin.lines().position(|l| l.starts_with("budget = ")).unwrap() + 1;
    assert!(err.contains("找不到所决算的预算文件"), "{err}");
    assert!(err.contains(&format!("{FINAL}:{line}:10")), "{err}");
}

#[test]
fn a_large_difference_without_its_reason_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (_, fin) = setup(dir.path());
    let bad =
        fin.replacen("function = \"2010105\"\nreason = ", "function = \"2010199\"\nreason = ", 1);
    assert_ne!(bad, fin);
    fs::write(dir.path().join(FINAL), &bad).unwrap();
    let err = stderr(&build(dir.path()));
    assert!(
        err.contains("2010105 人大立法：决算 98.6 万元，年初预算 117 万元，完成年初预算的 84.3%"),
        "{err}"
    );
}

#[test]
fn a_faulty_budget_file_is_reported_in_the_budget_file() {
    let dir = tempfile::tempdir().unwrap();
    let (budget, _) = setup(dir.path());
    let bad = budget.replacen("general_budget = 2220.42", "general_budget = 2220.43", 1);
    assert_ne!(bad, budget);
    fs::write(dir.path().join(BUDGET), &bad).unwrap();
    let o = build(dir.path());
    assert!(!o.status.success());
    let err = stderr(&o);
    let line = bad.lines().position(|l| l.starts_with("general_budget")).unwrap() + 1;
    assert!(err.contains(&format!("{BUDGET}:{line}:18")), "{err}");
    assert!(err.contains("所决算的预算文件“101001-2021.toml”有 1 处错误"), "{err}");
}

#[test]
fn a_draft_from_the_budget_carries_every_line_item_and_closes() {
    let dir = tempfile::tempdir().unwrap();
    let (budget, _) = setup(dir.path());
    fs::remove_file(dir.path().join(FINAL)).unwrap();
    let o = yusuan(dir.path(), &["new", "--final-accounts", "--from", BUDGET]);
    assert!(o.status.success(), "{}", stderr(&o));
    let draft = fs::read_to_string(dir.path().join(FINAL)).unwrap();
    assert!(draft.contains("budget = \"101001-2021.toml\""), "{draft}");
    // Every budget line item, with its 年初预算 as the starting figure.
    assert_eq!(items(&draft), items(&budget));
    assert!(draft.contains("【待填写】"));
    // It balances as written; only its to-dos are open, so it builds as a draft.
    let o = yusuan(dir.path(), &["check", FINAL]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("待"), "the open items are listed");
    let o = build(dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("草稿"), "{}", stderr(&o));
    // A second run does not overwrite the officer's work.
    let o = yusuan(dir.path(), &["new", "--final-accounts", "--from", BUDGET]);
    assert!(!o.status.success());
}

#[test]
fn a_budget_without_line_items_cannot_be_closed() {
    let dir = tempfile::tempdir().unwrap();
    let (budget, fin) = setup(dir.path());
    let cut = budget.find("[[line_items]]").unwrap();
    fs::write(dir.path().join(BUDGET), &budget[..cut]).unwrap();
    let err = stderr(&build(dir.path()));
    let line = fin.lines().position(|l| l.starts_with("budget = ")).unwrap() + 1;
    assert!(err.contains("所决算的预算文件没有预算明细"), "{err}");
    assert!(err.contains(&format!("{FINAL}:{line}:10")), "{err}");
}

#[test]
fn a_profile_of_the_other_kind_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    let o = yusuan(dir.path(), &["build", BUDGET, "-o", "out", "--profile", "hebei-final"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("用于部门决算，本文件是部门预算"), "{}", stderr(&o));
    let o = yusuan(dir.path(), &["build", FINAL, "-o", "out", "--profile", "hebei"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("用于部门预算，本文件是部门决算"), "{}", stderr(&o));
}
