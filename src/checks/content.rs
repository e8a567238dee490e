//! 内容核对：文字与数字相矛盾、审阅者一眼能看出的地方——持平却写了增减原因、
//! 原因的措辞与增减方向相反、有项目支出却没有项目绩效目标、正文所称单位性质与
//! 机构设置不一。都是警告：文字可能有道理，请作者核对。
//!
//! The word rule is deliberately one-sided: a reason is flagged only when it
//! speaks of the opposite direction and has no word of its own direction at
//! all, so a reason weighing both (“人员增加，公用经费压减”) is never flagged.

use crate::diag::Problem;
use crate::model::amount::Amount;
use crate::model::final_accounts::{FinalFile, general_comparison};
use crate::model::totals::{Delta, Direction};
use crate::model::{Budget, SangongReasons};

/// Words that plainly say a figure went up or down: a reason containing one
/// of these is read as speaking of that direction.
const SAYS_UP: &[&str] = &["增加", "增长", "新增", "上升", "追加", "扩大"];
const SAYS_DOWN: &[&str] = &["减少", "下降", "压减", "缩减", "降低", "压缩", "调减", "削减"];

/// Any hint of a direction: a reason with one of these is not flagged for
/// speaking of the other (broad on purpose, so as not to cry wolf).
const HINTS_UP: &[&str] = &["增", "追加", "扩大", "上升", "提高", "上涨", "调高", "多于", "超"];
const HINTS_DOWN: &[&str] = &[
    "减", "少", "降", "低", "缩", "压", "省", "节约", "取消", "未", "无", "没", "停", "结束",
    "到期", "完成", "撤", "退休", "调出",
];

/// The word of the opposite direction a reason speaks of, when it says
/// nothing of its own direction; `None` when the reason is consistent, mixed
/// or silent on direction.
pub fn contradicting_word(reason: &str, direction: Direction) -> Option<&'static str> {
    let (opposite, own) = match direction {
        Direction::Increase => (SAYS_DOWN, HINTS_UP),
        Direction::Decrease => (SAYS_UP, HINTS_DOWN),
        Direction::Flat => return None,
    };
    if own.iter().any(|w| reason.contains(w)) {
        return None;
    }
    opposite.iter().copied().find(|w| reason.contains(w))
}

/// One reason the document prints beside a comparison.
struct Said<'a> {
    field: String,
    /// What is compared, as the message names it: “基本支出”.
    what: &'a str,
    /// What it is compared with: “上年”, “年初预算”, “预算”.
    against: &'a str,
    current: Amount,
    previous: Amount,
    reason: &'a str,
}

/// A reason written where the figures are equal, or worded against their
/// direction.
fn said(s: &Said) -> Option<Problem> {
    let r = s.reason.trim();
    if r.is_empty() || crate::model::todo::MARKS.iter().any(|m| r.contains(m)) {
        return None;
    }
    let d = Delta::between(s.current, s.previous);
    let (what, against) = (s.what, s.against);
    if d.direction == Direction::Flat {
        let msg = format!(
            "{what}{}万元，与{against}持平，却写了原因“{r}”：持平无须说明增减原因",
            s.current.text()
        );
        let fix = format!("删去这条原因（写成 \"\"），或核对{what}本年与{against}的数字");
        return Some(Problem::warning(&s.field, msg).expected(fix));
    }
    let word = contradicting_word(r, d.direction)?;
    let dir = d.direction.word();
    let msg = format!(
        "{what}比{against}{dir}{}万元，但原因“{r}”只说到“{word}”，没有说到{dir}，请核对",
        d.amount.text()
    );
    Some(Problem::warning(&s.field, msg).expected(format!("说明{what}{dir}的原因")))
}

/// The content warnings of a budget.
pub fn check(b: &Budget) -> Vec<Problem> {
    let mut out: Vec<Problem> = budget_reasons(b).iter().filter_map(said).collect();
    out.extend(targets(b));
    out.extend(unit_kinds(b));
    out
}

/// Every reason of a budget with the figures it explains.
fn budget_reasons(b: &Budget) -> Vec<Said<'_>> {
    let (e, p) = (&b.expenditure, &b.previous);
    let one = |field: &str, what, current, previous, reason| Said {
        field: field.to_string(),
        what,
        against: "上年",
        current,
        previous,
        reason,
    };
    let mut v = vec![
        one("previous.basic_reason", "基本支出", e.basic_total(), p.basic, &p.basic_reason),
        one(
            "previous.projects_reason",
            "项目支出",
            e.projects_total(),
            p.projects,
            &p.projects_reason,
        ),
    ];
    // The 财政拨款 of this year is read from the line items, as the page does.
    if let Some(prev) = p.appropriation.as_ref().filter(|_| !b.line_items.is_empty()) {
        let [now, carried] = crate::model::ledger::derive(b).appropriation_income;
        let cur = (0..3).map(|k| now[k] + carried[k]).sum();
        let before = prev.general + prev.fund + prev.capital;
        v.push(one(
            "previous.appropriation_reason",
            "财政拨款",
            cur,
            before,
            &p.appropriation_reason,
        ));
    }
    let (c, q) = (&b.sangong.current, &b.sangong.previous);
    let figures = [
        (c.overseas, q.overseas),
        (c.vehicle(), q.vehicle()),
        (c.vehicle_purchase, q.vehicle_purchase),
        (c.vehicle_operation, q.vehicle_operation),
        (c.reception, q.reception),
    ];
    v.extend(sangong_said("上年", figures, &b.sangong.reasons));
    v
}

/// The five 三公 reasons, each with its figures (this year's, and what they
/// are compared with) in the order of `SangongReasons`.
fn sangong_said<'a>(
    against: &'a str,
    figures: [(Amount, Amount); 5],
    r: &'a SangongReasons,
) -> Vec<Said<'a>> {
    let items = [
        ("overseas", "因公出国（境）费", &r.overseas),
        ("vehicle", "公务用车购置及运维费", &r.vehicle),
        ("vehicle_purchase", "公务用车购置费", &r.vehicle_purchase),
        ("vehicle_operation", "公务用车运行维护费", &r.vehicle_operation),
        ("reception", "公务接待费", &r.reception),
    ];
    items
        .into_iter()
        .zip(figures)
        .map(|((k, what, reason), (current, previous))| Said {
            field: format!("sangong.reasons.{k}"),
            what,
            against,
            current,
            previous,
            reason,
        })
        .collect()
}

/// The content warnings of a 决算's own reasons: each against the figures it
/// explains (决算 against 年初预算 or 预算, this year's against last year's
/// 决算). `fb` is the budget read with the 决算's line items.
pub fn final_check(b: &Budget, fb: &Budget, f: &FinalFile) -> Vec<Problem> {
    let comparisons = general_comparison(b, fb);
    let mut v: Vec<Said> = Vec::new();
    for (i, r) in f.reasons.iter().enumerate() {
        let Some(c) = comparisons.iter().find(|c| c.function == r.function.trim()) else {
            continue;
        };
        v.push(Said {
            field: format!("reasons[{i}].reason"),
            what: &c.name,
            against: "年初预算",
            current: c.final_amount,
            previous: c.budget,
            reason: &r.reason,
        });
    }
    v.extend(final_sangong(b, f));
    v.extend(year_on_year(fb, f));
    v.iter().filter_map(said).collect()
}

/// The reason of the change against last year's 决算, which the page gives
/// for 收入 and 支出 together: judged only when both move the same way.
fn year_on_year<'a>(fb: &Budget, f: &'a FinalFile) -> Option<Said<'a>> {
    use crate::model::final_accounts::{Fund, fund_spending};
    let p = f.previous.as_ref()?;
    let income: Amount = f.funds.iter().map(|x| x.income_of(&f.other_income)).sum();
    let spent: Amount = Fund::ALL.iter().map(|w| fund_spending(fb, f, *w)).sum();
    let same = Delta::between(income, p.income).direction
        == Delta::between(spent, p.expenditure).direction;
    same.then(|| Said {
        field: "previous.reason".into(),
        what: "本年支出合计",
        against: "上年决算",
        current: spent,
        previous: p.expenditure,
        reason: &p.reason,
    })
}

/// The 决算's 三公 and 机关运行经费 reasons against the budget's figures.
fn final_sangong<'a>(b: &'a Budget, f: &'a FinalFile) -> Vec<Said<'a>> {
    let (p, s) = (&b.sangong.current, &f.sangong);
    let figures = [
        (s.overseas, p.overseas),
        (s.vehicle_purchase + s.vehicle_operation, p.vehicle()),
        (s.vehicle_purchase, p.vehicle_purchase),
        (s.vehicle_operation, p.vehicle_operation),
        (s.reception, p.reception),
    ];
    let mut v = sangong_said("预算", figures, &s.reasons);
    v.push(Said {
        field: "operating_costs.reason".into(),
        what: "机关运行经费",
        against: "预算",
        current: f.operating_costs.amount,
        previous: b.operating_amount(),
        reason: &f.operating_costs.reason,
    });
    v
}

/// Project spending without a single 项目绩效目标: the hebei page then says
/// “本部门……年无预算项目绩效目标”, beside project spending in the tables.
/// A coverage statement (`performance.coverage`, the shanghai way) counts.
fn targets(b: &Budget) -> Option<Problem> {
    let spent = b.expenditure.projects_total();
    let covered = b.performance.coverage.as_ref().is_some_and(|c| c.projects > 0);
    if spent.is_zero() || !b.performance.projects.is_empty() || covered {
        return None;
    }
    // Point at the project spending itself: a file without targets may have
    // no [performance] table to point at.
    let field = match b.line_items.iter().position(|li| li.project.is_some()) {
        Some(k) => format!("line_items[{k}].project"),
        None => "expenditure.projects[0]".to_string(),
    };
    Some(
        Problem::warning(
            field,
            format!(
                "项目支出共 {} 万元，但没有任何项目绩效目标表（[[performance.projects]]），\
                 文件会印出“本部门{}年无预算项目绩效目标”",
                spent.text(),
                b.document.year
            ),
        )
        .expected("为项目支出编报绩效目标：[[performance.projects]] name = … goals = […] indicators = […]"),
    )
}

/// What a unit is, as 机构设置 says it (参公 units are 事业单位 managed as
/// 行政; either word fits them, so they are not judged).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Administrative,
    Institution,
}

impl Kind {
    fn of_nature(nature: &str) -> Option<Kind> {
        let n = nature.trim();
        if n.contains("参公") || n.contains("参照公务员") {
            None
        } else if n.starts_with("行政") || n.starts_with("机关") {
            Some(Kind::Administrative)
        } else if n.contains("事业") {
            Some(Kind::Institution)
        } else {
            None
        }
    }

    /// The kind a stretch of text calls something, when it names exactly one.
    fn said_in(text: &str) -> Option<Kind> {
        let inst = text.contains("事业单位") && !text.contains("参公");
        let admin = text.contains("行政单位") || text.contains("行政机关");
        match (admin, inst) {
            (true, false) => Some(Kind::Administrative),
            (false, true) => Some(Kind::Institution),
            _ => None,
        }
    }

    fn word(self) -> &'static str {
        match self {
            Kind::Administrative => "行政单位",
            Kind::Institution => "事业单位",
        }
    }
}

/// The texts a department writes itself, with their field paths.
fn texts(b: &Budget) -> Vec<(String, &str)> {
    let mut v = vec![("duties.intro".to_string(), b.duties.intro.as_str())];
    for (base, items) in [("duties.items", &b.duties.items), ("other_matters", &b.other_matters)] {
        for (i, t) in items.iter().enumerate() {
            v.push((format!("{base}[{i}]"), t.as_str()));
        }
    }
    for (i, d) in b.project_details.iter().enumerate() {
        for (k, t) in [
            ("overview", &d.overview),
            ("implementer", &d.implementer),
            ("basis", &d.basis),
            ("plan", &d.plan),
        ] {
            v.push((format!("project_details[{i}].{k}"), t.as_str()));
        }
    }
    for (i, n) in b.appropriation_notes.iter().enumerate() {
        v.push((format!("appropriation_notes[{i}].note"), n.note.as_str()));
    }
    for (i, t) in b.glossary.iter().enumerate() {
        v.push((format!("glossary[{i}].definition"), t.definition.as_str()));
    }
    v
}

/// A unit called in the text by a kind other than its 机构设置 kind: “科普馆
/// 为区科委直属行政单位” for a 事业 unit. Only a claim next to the unit's
/// name in one clause is read (see [`claim`]).
fn unit_kinds(b: &Budget) -> Vec<Problem> {
    let names: Vec<String> = b.units.iter().map(|u| bare_name(&u.name)).collect();
    let mut out = Vec::new();
    for (field, text) in texts(b) {
        for (u, name) in b.units.iter().zip(&names) {
            let Some(kind) = Kind::of_nature(&u.nature) else { continue };
            let Some(called) = claim(text, name, &names).filter(|c| *c != kind) else { continue };
            out.push(
                Problem::warning(
                    &field,
                    format!(
                        "正文称“{name}”为{}，但机构设置（units）中它的单位性质是“{}”，请核对",
                        called.word(),
                        u.nature.trim()
                    ),
                )
                .expected(format!("正文与机构设置一致：{}", kind.word())),
            );
        }
    }
    out
}

/// A unit's name without the “（本部）” the 机构设置 table adds.
fn bare_name(name: &str) -> String {
    name.trim().trim_end_matches("（本部）").trim_end_matches("(本部)").trim().to_string()
}

/// Clause ends: a claim is read within one clause only.
const CLAUSE: &[char] = &['。', '；', '，', '、', ';', ',', '：', ':', '\n'];

/// The kind the text gives the unit `name` at one of its mentions: in a
/// bracket right after it (“科普馆（事业单位）”), after 是/为/系/属于/作为
/// in the same clause before any other unit is named, or as the words just
/// before it (“直属事业单位科普馆”).
fn claim(text: &str, name: &str, names: &[String]) -> Option<Kind> {
    if name.chars().count() < 2 {
        return None;
    }
    text.match_indices(name).find_map(|(at, _)| {
        let before = &text[..at];
        let clause_start = before
            .rfind(CLAUSE)
            .map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
        let lead = before[clause_start..].trim_end();
        if lead.ends_with("事业单位") || lead.ends_with("行政单位") {
            return Kind::said_in(&lead[lead.len().saturating_sub("事业单位".len())..]);
        }
        after(&text[at + name.len()..], name, names)
    })
}

/// The claim in the clause following a mention.
fn after(rest: &str, name: &str, names: &[String]) -> Option<Kind> {
    let mut rest = rest.trim_start();
    if let Some(inner) = rest.strip_prefix('（').and_then(|r| r.split_once('）')) {
        if let Some(k) = Kind::said_in(inner.0) {
            return Some(k);
        }
        rest = inner.1.trim_start();
    }
    let verb = ["是", "为", "系", "属于", "作为"].iter().find(|v| rest.starts_with(*v))?;
    let mut clause = &rest[verb.len()..];
    clause = &clause[..clause.find(CLAUSE).unwrap_or(clause.len())];
    // Stop at another unit: what follows is said of it.
    let other = names.iter().filter(|n| n.as_str() != name && n.chars().count() >= 2);
    let end = other.filter_map(|n| clause.find(n.as_str())).min().unwrap_or(clause.len());
    Kind::said_in(&clause[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    const UP: Direction = Direction::Increase;
    const DOWN: Direction = Direction::Decrease;

    #[test]
    fn a_decrease_explained_only_by_increases_is_flagged() {
        assert_eq!(contradicting_word("主要是科技创新券项目增加", DOWN), Some("增加"));
        assert_eq!(
            contradicting_word("新设科普活动", DOWN),
            None,
            "新设 alone is no word of increase"
        );
        assert_eq!(contradicting_word("新增科普活动项目", DOWN), Some("新增"));
    }

    #[test]
    fn an_increase_explained_only_by_decreases_is_flagged() {
        assert_eq!(contradicting_word("压减一般性支出", UP), Some("压减"));
        assert_eq!(contradicting_word("会议次数下降", UP), Some("下降"));
        assert_eq!(contradicting_word("在职人员增加", UP), None);
    }

    #[test]
    fn mixed_or_silent_reasons_are_not_flagged() {
        for mixed in ["人员增加，公用经费压减", "项目增加，但会议经费减少", "增减相抵后略有增长"]
        {
            assert_eq!(contradicting_word(mixed, UP), None, "{mixed}");
            assert_eq!(contradicting_word(mixed, DOWN), None, "{mixed}");
        }
        // A decrease told as what did not happen, or ended, is consistent.
        assert_eq!(contradicting_word("部分项目到期，新增项目较少", DOWN), None);
        assert_eq!(contradicting_word("人员经费标准调整", UP), None);
        assert_eq!(contradicting_word("人员经费标准调整", DOWN), None);
        assert_eq!(contradicting_word("人员增加", Direction::Flat), None);
    }

    fn unit(name: &str, nature: &str) -> crate::model::Unit {
        crate::model::Unit {
            name: name.into(),
            code: None,
            nature: nature.into(),
            rank: String::new(),
            funding: String::new(),
        }
    }

    fn kinds(text: &str) -> Vec<(String, Option<Kind>)> {
        let units = [unit("东浦区科委（本部）", "行政"), unit("东浦区科普馆", "公益一类事业单位")];
        let names: Vec<String> = units.iter().map(|u| bare_name(&u.name)).collect();
        names.iter().map(|n| (n.clone(), claim(text, n, &names))).collect()
    }

    #[test]
    fn claims_next_to_a_name_are_read() {
        let k = kinds("东浦区科委为区政府直属事业单位。");
        assert_eq!(k[0].1, Some(Kind::Institution));
        let k = kinds("下设直属行政单位东浦区科普馆，负责科普场馆管理。");
        assert_eq!(k[1].1, Some(Kind::Administrative));
        let k = kinds("由东浦区科普馆（事业单位）实施");
        assert_eq!(k[1].1, Some(Kind::Institution));
    }

    #[test]
    fn claims_about_another_unit_or_both_kinds_are_not_read() {
        // What follows the other name is said of it.
        let k = kinds("东浦区科委是主管东浦区科普馆等事业单位的部门");
        assert_eq!(k[0].1, None);
        let k = kinds("东浦区科委负责全区行政事务，东浦区科普馆承担科普工作");
        assert_eq!((k[0].1, k[1].1), (None, None));
        let k = kinds("东浦区科委为行政单位，与事业单位合署办公");
        assert_eq!(k[0].1, Some(Kind::Administrative));
        assert_eq!(kinds("东浦区科委是行政机关和事业单位的联合体")[0].1, None);
    }

    #[test]
    fn natures_read_as_kinds() {
        assert_eq!(Kind::of_nature("行政"), Some(Kind::Administrative));
        assert_eq!(Kind::of_nature("全额事业"), Some(Kind::Institution));
        assert_eq!(Kind::of_nature("参公事业"), None);
        assert_eq!(Kind::of_nature("企业"), None);
    }
}
