//! 内容核对（issue 32）：审阅者一眼能看出、程序也能看出的矛盾——持平却写了增减原因、
//! 原因的措辞与增减方向相反、有项目支出却无项目绩效目标、正文所称单位性质与机构设置
//! 不一——给出警告，指明文件、行、字段；决算中超过样式阈值的差异，无论超支还是
//! 结余，都要写明原因。每个测试在临时文件夹中改动样例的一处，运行 `yusuan check`。

mod common;

use std::fs;
use std::path::Path;

use common::{root, stderr, yusuan};

const BUDGET: &str = "101001-2021.toml";
const FINAL: &str = "101001-2021-final.toml";

/// The texts of the new checks: none may appear for an unedited sample.
const NEW_MESSAGES: &[&str] =
    &["持平，却写了原因", "没有说到", "没有任何项目绩效目标表", "正文称", "完成预算的"];

fn sample(name: &str) -> String {
    fs::read_to_string(root().join("data").join(name)).unwrap()
}

/// `yusuan check` of `text` written as `name` in `dir`: its exit success
/// and what it printed.
fn check(dir: &Path, name: &str, text: &str) -> (bool, String) {
    fs::write(dir.join(name), text).unwrap();
    let o = yusuan(dir, &["check", name]);
    (o.status.success(), stderr(&o))
}

/// The 1-based line of the first line starting with `start` at or after
/// the line holding `after`.
fn line_of(text: &str, after: &str, start: &str) -> usize {
    let from = text.find(after).expect(after);
    let first = text[..from].matches('\n').count();
    let mut lines = text.lines().enumerate().skip(first);
    lines.find(|(_, l)| l.trim_start().starts_with(start)).expect(start).0 + 1
}

fn replaced(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1)
}

#[test]
fn unedited_samples_have_none_of_the_new_warnings() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["101001-2021.toml", "215001-2021.toml", "318001-2025.toml", FINAL] {
        // The 决算 reads its budget from beside it.
        fs::write(dir.path().join(BUDGET), sample(BUDGET)).unwrap();
        let (ok, err) = check(dir.path(), name, &sample(name));
        assert!(ok, "{name}: {err}");
        for m in NEW_MESSAGES {
            assert!(!err.contains(m), "{name}: {m}\n{err}");
        }
    }
}

#[test]
fn a_reason_for_a_flat_figure_is_warned_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    // 公务用车购置及运维费 is 53.43 both years.
    let t = replaced(&sample(BUDGET), "vehicle = \"\"", "vehicle = \"严格车辆管理\"");
    let (ok, err) = check(dir.path(), BUDGET, &t);
    assert!(ok, "a warning, not an error: {err}");
    let line = line_of(&t, "[sangong.reasons]", "vehicle =");
    assert!(
        err.contains("警告：公务用车购置及运维费53.43万元，与上年持平，却写了原因“严格车辆管理”"),
        "{err}"
    );
    assert!(err.contains(&format!("{BUDGET}:{line}:11")), "{err}");
    assert!(err.contains("字段：sangong.reasons.vehicle"), "{err}");
}

#[test]
fn a_reason_worded_against_a_decrease_is_warned() {
    let dir = tempfile::tempdir().unwrap();
    // 公务接待费 2.67 against 3 last year: a decrease explained by “在职人员增加”.
    let t = replaced(&sample(BUDGET), "reception = 2.27", "reception = 3");
    let (ok, err) = check(dir.path(), BUDGET, &t);
    assert!(ok, "{err}");
    let line = line_of(&t, "[sangong.reasons]", "reception =");
    assert!(
        err.contains(
            "公务接待费比上年减少0.33万元，但原因“在职人员增加”只说到“增加”，没有说到减少，请核对"
        ),
        "{err}"
    );
    assert!(err.contains(&format!("{BUDGET}:{line}:13")), "{err}");
}

#[test]
fn a_reason_worded_against_an_increase_is_warned_and_a_mixed_one_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let old = "basic_reason = \"主要是人员增加，相应增加人员经费和日常公用经费\"";
    let t = replaced(&sample(BUDGET), old, "basic_reason = \"主要是压减日常公用经费\"");
    let (_, err) = check(dir.path(), BUDGET, &t);
    let line = line_of(&t, "[previous]", "basic_reason");
    assert!(
        err.contains("基本支出比上年增加135.65万元，但原因“主要是压减日常公用经费”只说到“压减”"),
        "{err}"
    );
    assert!(err.contains(&format!("{BUDGET}:{line}:16")), "{err}");
    let mixed = "basic_reason = \"主要是人员增加，日常公用经费压减\"";
    let (_, err) = check(dir.path(), BUDGET, &replaced(&sample(BUDGET), old, mixed));
    assert!(!err.contains("没有说到"), "both directions named: {err}");
}

#[test]
fn project_spending_without_targets_is_warned() {
    let s = sample(BUDGET);
    let (from, to) =
        (s.find("[[performance.projects]]").unwrap(), s.find("[procurement]").unwrap());
    let t = format!("{}{}", &s[..from], &s[to..]);
    let dir = tempfile::tempdir().unwrap();
    let (ok, err) = check(dir.path(), BUDGET, &t);
    assert!(ok, "{err}");
    assert!(
        err.contains("项目支出共 696.6 万元，但没有任何项目绩效目标表（[[performance.projects]]），文件会印出“本部门2021年无预算项目绩效目标”"),
        "{err}"
    );
    // At the first project line item.
    let line = line_of(&t, "[[line_items]]", "project =");
    assert!(err.contains(&format!("{BUDGET}:{line}:")), "{err}");
}

#[test]
fn a_unit_called_otherwise_than_in_its_table_is_warned() {
    let dir = tempfile::tempdir().unwrap();
    let said = "other_matters = [\"张家口市人大常委会办公室为市人大常委会直属事业单位。\"]";
    let t = replaced(&sample(BUDGET), "other_matters = []", said);
    let (ok, err) = check(dir.path(), BUDGET, &t);
    assert!(ok, "{err}");
    let line = line_of(&t, "", "other_matters =");
    assert!(
        err.contains(
            "正文称“张家口市人大常委会办公室”为事业单位，但机构设置（units）中它的单位性质是“行政”"
        ),
        "{err}"
    );
    assert!(err.contains(&format!("{BUDGET}:{line}:18")), "{err}");
    // Said as it is, no warning.
    let right = said.replace("直属事业单位", "行政单位");
    let (_, err) =
        check(dir.path(), BUDGET, &replaced(&sample(BUDGET), "other_matters = []", &right));
    assert!(!err.contains("正文称"), "{err}");
}

/// The 决算 sample and its budget in `dir`, the 决算 edited.
fn check_final(dir: &Path, edit: impl Fn(String) -> String) -> (bool, String, String) {
    fs::write(dir.join(BUDGET), sample(BUDGET)).unwrap();
    let t = edit(sample(FINAL));
    let (ok, err) = check(dir, FINAL, &t);
    (ok, err, t)
}

#[test]
fn a_final_sangong_item_beyond_the_threshold_needs_its_reason_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let no_reason = |t: String| replaced(&t, "reception = \"严格控制接待标准和陪同人数\"\n", "");
    // Under: 2.31 against 2.67 is 86.5 %.
    let (ok, err, t) = check_final(dir.path(), no_reason);
    assert!(!ok, "{err}");
    assert!(err.contains("公务接待费决算 2.31 万元，预算 2.67 万元，完成预算的 86.5%，差异超过样式规定的 10%，须说明原因"), "{err}");
    let line = line_of(&t, "[sangong]", "reception =");
    assert!(err.contains(&format!("{FINAL}:{line}:13")), "{err}");
    // Over: 3.2 against 2.67 is 119.9 %.
    let (ok, err, _) =
        check_final(dir.path(), |t| replaced(&no_reason(t), "reception = 2.31", "reception = 3.2"));
    assert!(!ok, "{err}");
    assert!(err.contains("公务接待费决算 3.2 万元，预算 2.67 万元，完成预算的 119.9%"), "{err}");
    // Within: 2.5 is 93.6 %, no reason needed.
    let (ok, err, _) =
        check_final(dir.path(), |t| replaced(&no_reason(t), "reception = 2.31", "reception = 2.5"));
    assert!(ok && !err.contains("须说明原因"), "{err}");
}

#[test]
fn a_final_item_over_its_budget_beyond_the_threshold_needs_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    // 人大监督 300 against 270 (111.1 %); the income grows with it so the
    // balance still closes.
    let over = |t: String| {
        let t = replaced(&t, "amount = 276.4", "amount = 300");
        replaced(&t, "income = 2176.15", "income = 2199.75")
    };
    let (ok, err, t) = check_final(dir.path(), over);
    assert!(!ok, "{err}");
    assert!(
        err.contains("2010106 人大监督：决算 300 万元，年初预算 270 万元，完成年初预算的 111.1%"),
        "{err}"
    );
    let line = line_of(&t, "function = \"2010106\"", "amount =");
    assert!(err.contains(&format!("{FINAL}:{line}:")), "{err}");
    // Its reason given, worded against the overspend: a warning, at the reason.
    let said = |t: String| {
        let r = "[[reasons]]\nfunction = \"2010106\"\nreason = \"执法检查次数减少\"\n\n[[reasons]]\nfunction = \"2010104\"";
        replaced(&over(t), "[[reasons]]\nfunction = \"2010104\"", r)
    };
    let (ok, err, t) = check_final(dir.path(), said);
    assert!(ok, "{err}");
    assert!(
        err.contains("人大监督比年初预算增加30万元，但原因“执法检查次数减少”只说到“减少”"),
        "{err}"
    );
    let line = line_of(&t, "function = \"2010106\"", "reason =");
    assert!(err.contains(&format!("{FINAL}:{line}:10")), "{err}");
}

#[test]
fn a_final_reason_for_an_item_that_met_its_budget_is_warned() {
    let dir = tempfile::tempdir().unwrap();
    // 人大代表履职能力提升: 27 budgeted, 27 spent.
    let (ok, err, t) = check_final(dir.path(), |t| {
        let r =
            "[[reasons]]\nfunction = \"2010107\"\nreason = \"按计划开展代表培训\"\n\n# 财政拨款";
        replaced(&t, "# 财政拨款", r)
    });
    assert!(ok, "{err}");
    assert!(err.contains("人大代表履职能力提升27万元，与年初预算持平，却写了原因"), "{err}");
    let line = line_of(&t, "function = \"2010107\"", "reason =");
    assert!(err.contains(&format!("{FINAL}:{line}:10")), "{err}");
}
