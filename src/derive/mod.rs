//! 派生数据：合计、增减、措辞与编号，全部由模型算出，交给模板作为数据。
//!
//! The templates never do arithmetic: every figure they print arrives here
//! already computed with exact decimals and already formatted by the one
//! display rule of `amount`. The templates only choose sentences.

pub mod tables;
pub mod view;

use std::collections::BTreeMap;

use crate::model::amount::Amount;
use crate::model::totals::{Delta, Direction};
use crate::model::{self, Budget, Holding, Indicator};
pub use view::*;

impl From<Amount> for Money {
    fn from(a: Amount) -> Money {
        let text = a.text();
        Money { zero: text == "0", text, fixed: a.fixed() }
    }
}

impl Change {
    /// The change from `previous` to `current`, by the model's rule.
    pub fn between(current: Amount, previous: Amount) -> Change {
        let d = Delta::between(current, previous);
        Change {
            direction: d.direction.into(),
            flat: d.direction == Direction::Flat,
            amount: d.amount.into(),
            current: current.into(),
            previous: previous.into(),
        }
    }
}

/// How the document is presented, independent of its data.
#[derive(Debug, Clone, Default)]
pub struct Presentation {
    /// Diagonal 草稿 watermark on every page.
    pub draft: bool,
    /// Font families per role (see `fonts::ROLES`), resolved on this machine.
    pub fonts: BTreeMap<String, Vec<String>>,
}

/// Builds the view. `derive` trusts data that has passed the checks, but stays
/// total: odd data yields odd figures, never a panic.
pub fn view(b: &Budget, how: &Presentation) -> View {
    View {
        doc: doc_view(b, how.draft),
        duties: DutiesView { intro: b.duties.intro.clone(), items: b.duties.items.clone() },
        units: b.units.iter().map(unit_view).collect(),
        income: income_view(&b.income),
        expenditure: expenditure_view(&b.expenditure),
        change: change_view(b),
        operating: operating_view(b),
        sangong: sangong_view(&b.sangong),
        performance: performance_view(b),
        procurement: procurement_view(&b.procurement),
        assets: assets_view(&b.assets, FIRST_PROJECT_TABLE + b.performance.projects.len()),
        glossary: b
            .glossary
            .iter()
            .map(|t| TermView { term: t.term.clone(), definition: t.definition.clone() })
            .collect(),
        other_matters: b.other_matters.clone(),
        fonts: how.fonts.clone(),
        tables: crate::derive::tables::view(b),
    }
}

fn doc_view(b: &Budget, draft: bool) -> DocView {
    let d = &b.document;
    DocView {
        year: d.year,
        previous_year: d.year - 1,
        department: d.department.clone(),
        short_name: d.short_name.clone().unwrap_or_else(|| d.department.clone()),
        code: d.code.clone(),
        legal_basis: d.legal_basis.clone(),
        unit: d.unit.clone(),
        legal_basis_text: join_titles(&d.legal_basis),
        draft,
        sample: d.sample,
    }
}

/// GB/T 15834-2011 4.5.3.5: parallel titles in 书名号 take no 顿号 between
/// them; the last is joined with 和.
pub fn join_titles(titles: &[String]) -> String {
    // A title typed with its own 书名号 gets them once, not twice.
    let quoted: Vec<String> = titles
        .iter()
        .map(|t| format!("《{}》", t.trim().trim_start_matches('《').trim_end_matches('》')))
        .collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{}和{}", rest.concat(), last),
    }
}

fn unit_view(u: &model::Unit) -> UnitView {
    UnitView {
        name: u.name.clone(),
        nature: u.nature.clone(),
        rank: u.rank.clone(),
        funding: u.funding.clone(),
    }
}

fn income_view(i: &model::Income) -> IncomeView {
    IncomeView {
        total: i.total().into(),
        general_budget: i.general_budget.into(),
        government_fund: i.government_fund.into(),
        special_account: i.special_account.into(),
        other: i.other.into(),
        carryover: i.carryover.into(),
        state_capital: i.state_capital.into(),
        institution: i.institution.into(),
        institution_business: i.institution_business.into(),
    }
}

fn expenditure_view(e: &model::Expenditure) -> ExpenditureView {
    ExpenditureView {
        total: e.total().into(),
        basic: e.basic_total().into(),
        personnel: e.basic.personnel.into(),
        public: e.basic.public.into(),
        projects_total: e.projects_total().into(),
        projects: e
            .projects
            .iter()
            .map(|p| NamedMoney { name: p.name.clone(), amount: p.amount.into() })
            .collect(),
    }
}

fn change_view(b: &Budget) -> ChangeView {
    let e = &b.expenditure;
    let p = &b.previous;
    ChangeView {
        total: Change::between(e.total(), p.basic + p.projects),
        basic: Change::between(e.basic_total(), p.basic),
        projects: Change::between(e.projects_total(), p.projects),
        basic_reason: reason_clause(&p.basic_reason),
        projects_reason: reason_clause(&p.projects_reason),
    }
}

/// Clauses are spliced into template sentences that bring their own
/// punctuation, so a trailing 。；， typed by the author is dropped.
pub fn clean_clause(s: &str) -> String {
    s.trim().trim_end_matches(['。', '；', '，', '、', ';', ',', '.']).trim_end().to_string()
}

/// A reason as the clause printed after a change: “原因是在职人员增加”.
/// Reasons already phrased as a clause (主要是……, 原因是……) are kept.
pub fn reason_clause(s: &str) -> String {
    let r = clean_clause(s);
    // Not 因 or 是 alone: 因公出国…, 是…… begin ordinary reasons too.
    let phrased = ["主要", "原因", "由于"].iter().any(|p| r.starts_with(p));
    if r.is_empty() || phrased { r } else { format!("原因是{r}") }
}

fn operating_view(b: &Budget) -> OperatingView {
    let uses: Vec<String> = b.operating_costs.uses.iter().map(|u| clean_clause(u)).collect();
    OperatingView { amount: b.operating_amount().into(), uses: uses.join("、") }
}

fn sangong_view(s: &model::Sangong) -> SangongView {
    let (c, p) = (&s.current, &s.previous);
    let item = |cur: Amount, prev: Amount, reason: &str| SangongItem {
        change: Change::between(cur, prev),
        reason: reason_clause(reason),
    };
    SangongView {
        total: Change::between(c.total(), p.total()),
        overseas: item(c.overseas, p.overseas, &s.reasons.overseas),
        vehicle: item(c.vehicle(), p.vehicle(), &s.reasons.vehicle),
        vehicle_purchase: c.vehicle_purchase.into(),
        vehicle_operation: c.vehicle_operation.into(),
        reception: item(c.reception, p.reception, &s.reasons.reception),
    }
}

/// Tables are numbered in the order they appear: 表1 is the units table,
/// then one per project, then the assets table. Numbering here rather than
/// with a Typst counter spares the layout a round of introspection.
pub const FIRST_PROJECT_TABLE: usize = 2;

fn performance_view(b: &Budget) -> PerformanceView {
    let o = &b.performance.overall;
    let default_unit = format!("{}{}本级", b.document.code, b.document.department);
    PerformanceView {
        goal: o.goal.clone(),
        targets: o.targets.iter().map(target_view).collect(),
        measures: o.measures.clone(),
        projects: b
            .performance
            .projects
            .iter()
            .enumerate()
            .map(|(i, p)| ProjectTableView {
                number: FIRST_PROJECT_TABLE + i,
                title: format!("{}绩效目标表", p.name.trim()),
                unit: p.unit.clone().unwrap_or_else(|| default_unit.clone()),
                goals: p.goals.clone(),
                rows: indicator_rows(&p.indicators),
            })
            .collect(),
    }
}

/// Rows with merge spans: equal consecutive 一级 cells merge; 二级 merge
/// within one 一级; 三级 within one 二级.
pub fn indicator_rows(inds: &[Indicator]) -> Vec<IndicatorRow> {
    let keys: Vec<[String; 3]> = inds
        .iter()
        .map(|i| [i.level1(), i.level2.trim().to_string(), i.level3.trim().to_string()])
        .collect();
    let span = |row: usize, depth: usize| -> usize {
        let same = |a: usize, b: usize| keys[a][..=depth] == keys[b][..=depth];
        if row > 0 && same(row - 1, row) {
            return 0;
        }
        (row..keys.len()).take_while(|&r| same(row, r)).count()
    };
    inds.iter()
        .enumerate()
        .map(|(r, i)| IndicatorRow {
            level1: keys[r][0].clone(),
            level2: keys[r][1].clone(),
            level3: keys[r][2].clone(),
            description: i.description.trim().to_string(),
            value: i.value.trim().to_string(),
            basis: i.basis.trim().to_string(),
            span1: span(r, 0),
            span2: span(r, 1),
            span3: span(r, 2),
        })
        .collect()
}

fn procurement_view(p: &model::Procurement) -> ProcurementView {
    ProcurementView {
        total: (p.goods + p.works + p.services).into(),
        goods: p.goods.into(),
        works: p.works.into(),
        services: p.services.into(),
    }
}

fn asset_row(label: &str, h: &Holding, sub: bool) -> AssetRow {
    AssetRow {
        label: label.to_string(),
        quantity: h.quantity.map(|q| q.to_string()).unwrap_or_else(|| "——".to_string()),
        value: h.value.into(),
        sub,
    }
}

fn assets_view(a: &model::Assets, table_number: usize) -> AssetsView {
    let (year, date) = chinese_date(&a.as_of);
    AssetsView {
        table_number,
        as_of: date,
        as_of_year: year,
        total: a.total().into(),
        rows: vec![
            asset_row("1.房屋（平方米）", &a.buildings, false),
            asset_row("其中：办公用房（平方米）", &a.office_buildings, true),
            asset_row("2.车辆（台、辆）", &a.vehicles, false),
            asset_row("3.单价在20万元以上设备", &a.major_equipment, false),
            asset_row("4.其他固定资产", &a.other, false),
        ],
        planned_purchase: a.planned_purchase.into(),
        planned_note: clean_clause(&a.planned_note),
    }
}

/// “2020年12月31日” from a TOML date.
pub fn chinese_date(d: &toml::value::Datetime) -> (i32, String) {
    match &d.date {
        Some(date) => {
            (i32::from(date.year), format!("{}年{}月{}日", date.year, date.month, date.day))
        }
        None => (0, d.to_string()),
    }
}

fn target_view(t: &model::Target) -> TargetView {
    TargetView { name: t.name.clone(), goal: t.goal.clone(), indicators: t.indicators.clone() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::amount::parse_amount;

    fn a(s: &str) -> Amount {
        parse_amount(s).unwrap()
    }

    #[test]
    fn direction_words_match_what_the_templates_receive() {
        for d in [Direction::Increase, Direction::Decrease, Direction::Flat] {
            let word = DirectionWord::from(d);
            assert_eq!(serde_json::to_string(&word).unwrap(), format!("\"{}\"", d.word()));
        }
    }

    #[test]
    fn change_words() {
        let up = Change::between(a("2220.42"), a("2084.77"));
        assert_eq!(up.direction, DirectionWord::Increase);
        assert_eq!(up.amount.text, "135.65");
        let down = Change::between(a("2.27"), a("2.67"));
        assert_eq!(down.direction, DirectionWord::Decrease);
        assert_eq!(down.amount.text, "0.4");
        let flat = Change::between(a("53.43"), a("53.430"));
        assert_eq!(flat.direction, DirectionWord::Flat);
        assert_eq!(flat.amount.text, "0");
        // Below display precision counts as 持平.
        assert_eq!(Change::between(a("1.001"), a("1")).direction, DirectionWord::Flat);
        assert_eq!(Change::between(a("1.005"), a("1")).direction, DirectionWord::Increase);
    }

    #[test]
    fn titles_join_without_dun_hao() {
        let t = |v: &[&str]| join_titles(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(t(&[]), "");
        assert_eq!(t(&["预算法"]), "《预算法》");
        assert_eq!(t(&["甲", "乙", "丙"]), "《甲》《乙》和《丙》");
        assert_eq!(t(&["《预算法》", "乙"]), "《预算法》和《乙》");
    }

    #[test]
    fn reasons_read_as_clauses() {
        assert_eq!(reason_clause("在职人员增加。"), "原因是在职人员增加");
        assert_eq!(reason_clause("主要是人员增加"), "主要是人员增加");
        assert_eq!(reason_clause("由于车辆报废"), "由于车辆报废");
        assert_eq!(reason_clause("因公出国任务调整"), "原因是因公出国任务调整");
        assert_eq!(reason_clause("  "), "");
    }

    #[test]
    fn clauses_lose_trailing_punctuation() {
        assert_eq!(clean_clause("在职人员增加。"), "在职人员增加");
        assert_eq!(clean_clause(" 主要是人员增加； "), "主要是人员增加");
        assert_eq!(clean_clause("无"), "无");
    }

    fn ind(l2: &str, l3: &str) -> Indicator {
        Indicator {
            level1: None,
            level2: l2.into(),
            level3: l3.into(),
            description: String::new(),
            value: "1".into(),
            basis: String::new(),
        }
    }

    #[test]
    fn level1_follows_level2() {
        assert_eq!(crate::model::totals::level1_of("成本指标"), Some("产出指标"));
        assert_eq!(crate::model::totals::level1_of("社会效益指标"), Some("效果指标"));
        assert_eq!(crate::model::totals::level1_of("服务对象满意度指标"), Some("满意度指标"));
        assert_eq!(crate::model::totals::level1_of("自定义指标"), None);
        let mut i = ind("自定义指标", "x");
        i.level1 = Some("产出指标".into());
        assert_eq!(i.level1(), "产出指标");
    }

    #[test]
    fn merge_spans() {
        let rows = indicator_rows(&[
            ind("数量指标", "a"),
            ind("数量指标", "b"),
            ind("成本指标", "c"),
            ind("成本指标", "c"),
            ind("成本指标", "c"),
            ind("社会效益指标", "c"),
            ind("服务对象满意度指标", "d"),
        ]);
        let spans: Vec<_> = rows.iter().map(|r| (r.span1, r.span2, r.span3)).collect();
        assert_eq!(
            spans,
            vec![(5, 2, 1), (0, 0, 1), (0, 3, 3), (0, 0, 0), (0, 0, 0), (1, 1, 1), (1, 1, 1)]
        );
    }

    #[test]
    fn equal_level3_in_another_level2_does_not_merge() {
        let rows = indicator_rows(&[ind("数量指标", "x"), ind("质量指标", "x")]);
        assert_eq!((rows[1].span2, rows[1].span3), (1, 1));
    }

    #[test]
    fn dates_read_in_chinese() {
        let d: toml::value::Datetime = "2020-12-31".parse().unwrap();
        assert_eq!(chinese_date(&d), (2020, "2020年12月31日".to_string()));
    }
}
