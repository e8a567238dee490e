//! 派生数据：合计、增减、措辞与编号，全部由模型算出，交给模板作为数据。
//!
//! The templates never do arithmetic: every figure they print arrives here
//! already computed with exact decimals and already formatted by the one
//! display rule of `amount`. The templates only choose sentences.

pub mod final_accounts;
pub mod final_tables;
pub mod layouts;
pub mod parts;
pub mod tables;
pub mod view;

use std::collections::BTreeMap;

use std::sync::Arc;

use crate::model::amount::Amount;
use crate::model::profile::{NumberFormat, Profile};
use crate::model::totals::{Delta, Direction};
use crate::model::{self, Budget, Holding, Indicator};
pub use view::*;

impl Money {
    /// The amount in a text format and that format with every decimal
    /// shown: the one display rule of `amount`, in the profile's form.
    pub fn with(a: Amount, f: &NumberFormat) -> Money {
        Money { text: a.format(f), fixed: a.format(&f.fixed()), zero: a.is_zero_in(f) }
    }
}

impl From<Amount> for Money {
    fn from(a: Amount) -> Money {
        Money::with(a, &NumberFormat::text())
    }
}

impl Change {
    /// The change from `previous` to `current`, by the model's rule.
    pub fn between(current: Amount, previous: Amount) -> Change {
        Change::in_format(current, previous, &NumberFormat::text())
    }

    /// The same comparison, its amounts printed in a format.
    pub fn in_format(current: Amount, previous: Amount, f: &NumberFormat) -> Change {
        let d = Delta::between(current, previous);
        Change {
            direction: d.direction.into(),
            flat: d.direction == Direction::Flat,
            amount: Money::with(d.amount, f),
            current: Money::with(current, f),
            previous: Money::with(previous, f),
        }
    }
}

/// The format amounts in sentences take, from the profile.
#[derive(Debug, Clone, Copy)]
pub struct Formats {
    pub text: NumberFormat,
}

impl Formats {
    pub fn of(p: &Profile) -> Formats {
        Formats { text: p.numbers.text }
    }

    pub fn money(&self, a: Amount) -> Money {
        Money::with(a, &self.text)
    }

    pub fn change(&self, current: Amount, previous: Amount) -> Change {
        Change::in_format(current, previous, &self.text)
    }
}

/// How the document is presented, independent of its data.
#[derive(Debug, Clone)]
pub struct Presentation {
    /// Diagonal 草稿 watermark on every page.
    pub draft: bool,
    /// Font families per role (see `fonts::ROLES`), resolved on this machine.
    pub fonts: BTreeMap<String, Vec<String>>,
    /// The document's profile: its parts, tables and number formats.
    pub profile: Arc<Profile>,
}

impl Default for Presentation {
    /// No watermark, the templates' own fonts, the default profile.
    fn default() -> Presentation {
        Presentation {
            draft: false,
            fonts: BTreeMap::new(),
            profile: Arc::new(crate::model::profile::default_profile()),
        }
    }
}

/// Builds the view. `derive` trusts data that has passed the checks, but stays
/// total: odd data yields odd figures, never a panic.
pub fn view(b: &Budget, how: &Presentation) -> View {
    let p = &how.profile;
    let f = Formats::of(p);
    View {
        doc: doc_view(b, how.draft, p),
        units_table: numbers(b, p).units,
        duties: DutiesView { intro: b.duties.intro.clone(), items: b.duties.items.clone() },
        units: b.units.iter().map(unit_view).collect(),
        income: income_view(&b.income, &f),
        expenditure: expenditure_view(&b.expenditure, &f),
        change: change_view(b, &f),
        operating: operating_view(b, &f),
        sangong: sangong_view(&b.sangong, &f),
        performance: performance_view(b, &f, numbers(b, p).projects),
        procurement: procurement_view(&b.procurement, &f),
        assets: assets_view(&b.assets, numbers(b, p).assets, p),
        glossary: b
            .glossary
            .iter()
            .map(|t| TermView { term: t.term.clone(), definition: t.definition.clone() })
            .collect(),
        other_matters: b.other_matters.clone(),
        fonts: how.fonts.clone(),
        tables: crate::derive::tables::view(b, p),
        profile: parts::profile_view(p),
        unit_counts: parts::unit_counts(&b.units),
        explanation: parts::explanation_view(b, &f),
        project_details: parts::project_details_view(b, &f),
        final_accounts: final_accounts::view(b, p, &f),
        notice: None,
    }
}

fn doc_view(b: &Budget, draft: bool, p: &Profile) -> DocView {
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
        region: d.region.clone().unwrap_or_default(),
        subject: crate::model::profile::fill_year(&p.subject, d.year),
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

fn income_view(i: &model::Income, f: &Formats) -> IncomeView {
    IncomeView {
        total: f.money(i.total()),
        general_budget: f.money(i.general_budget),
        government_fund: f.money(i.government_fund),
        special_account: f.money(i.special_account),
        other: f.money(i.other),
        carryover: f.money(i.carryover),
        state_capital: f.money(i.state_capital),
        institution: f.money(i.institution),
        institution_business: f.money(i.institution_business),
    }
}

fn expenditure_view(e: &model::Expenditure, f: &Formats) -> ExpenditureView {
    ExpenditureView {
        total: f.money(e.total()),
        basic: f.money(e.basic_total()),
        personnel: f.money(e.basic.personnel),
        public: f.money(e.basic.public),
        projects_total: f.money(e.projects_total()),
        projects: e
            .projects
            .iter()
            .map(|p| NamedMoney { name: p.name.clone(), amount: f.money(p.amount) })
            .collect(),
    }
}

fn change_view(b: &Budget, f: &Formats) -> ChangeView {
    let e = &b.expenditure;
    let p = &b.previous;
    ChangeView {
        total: f.change(e.total(), p.basic + p.projects),
        basic: f.change(e.basic_total(), p.basic),
        projects: f.change(e.projects_total(), p.projects),
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

fn operating_view(b: &Budget, f: &Formats) -> OperatingView {
    let uses: Vec<String> = b.operating_costs.uses.iter().map(|u| clean_clause(u)).collect();
    OperatingView { amount: f.money(b.operating_amount()), uses: uses.join("、") }
}

fn sangong_view(s: &model::Sangong, f: &Formats) -> SangongView {
    let (c, p) = (&s.current, &s.previous);
    let item = |cur: Amount, prev: Amount, reason: &str| SangongItem {
        change: f.change(cur, prev),
        reason: reason_clause(reason),
    };
    let r = &s.reasons;
    SangongView {
        total: f.change(c.total(), p.total()),
        overseas: item(c.overseas, p.overseas, &r.overseas),
        vehicle: item(c.vehicle(), p.vehicle(), &r.vehicle),
        vehicle_purchase: f.money(c.vehicle_purchase),
        vehicle_operation: f.money(c.vehicle_operation),
        reception: item(c.reception, p.reception, &r.reception),
        purchase: f.change(c.vehicle_purchase, p.vehicle_purchase),
        operation: f.change(c.vehicle_operation, p.vehicle_operation),
        reasons: ReasonsView {
            overseas: clean_clause(&r.overseas),
            vehicle: clean_clause(&r.vehicle),
            vehicle_purchase: clean_clause(&r.vehicle_purchase),
            vehicle_operation: clean_clause(&r.vehicle_operation),
            reception: clean_clause(&r.reception),
        },
    }
}

/// Tables are numbered in the order they appear, by the order of the
/// profile's parts (`Profile::table_numbers`). Numbering here rather than
/// with a Typst counter spares the layout a round of introspection.
pub fn numbers(b: &Budget, p: &Profile) -> crate::model::profile::TableNumbers {
    // A self-evaluation without indicators prints no table, and takes no number.
    let evaluations = b
        .final_accounts
        .as_ref()
        .map_or(0, |fa| fa.file.evaluations.iter().filter(|e| !e.achieved.is_empty()).count());
    p.table_numbers(b.performance.projects.len(), evaluations)
}

fn performance_view(b: &Budget, f: &Formats, first: usize) -> PerformanceView {
    // A profile that prints no 整体绩效目标 lets the data leave it out.
    let none = model::Overall { goal: Vec::new(), targets: Vec::new(), measures: Vec::new() };
    let o = b.performance.overall.as_ref().unwrap_or(&none);
    let default_unit = format!("{}{}本级", b.document.code, b.document.department);
    PerformanceView {
        goal: o.goal.clone(),
        targets: o.targets.iter().map(target_view).collect(),
        measures: o.measures.clone(),
        coverage: b.performance.coverage.as_ref().map(|c| CoverageView {
            units: c.units,
            projects: c.projects,
            amount: f.money(c.amount),
        }),
        projects: b
            .performance
            .projects
            .iter()
            .enumerate()
            .map(|(i, p)| ProjectTableView {
                number: first + i,
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

fn procurement_view(p: &model::Procurement, f: &Formats) -> ProcurementView {
    ProcurementView {
        total: f.money(p.goods + p.works + p.services),
        goods: f.money(p.goods),
        works: f.money(p.works),
        services: f.money(p.services),
        sme_reserved: p.sme_reserved.map(|a| f.money(a)),
        small_micro_reserved: p.small_micro_reserved.map(|a| f.money(a)),
    }
}

fn asset_row(label: &str, h: &Option<Holding>, sub: bool) -> AssetRow {
    let h = h.as_ref();
    AssetRow {
        label: label.to_string(),
        quantity: h
            .and_then(|h| h.quantity)
            .map(|q| q.to_string())
            .unwrap_or_else(|| "——".to_string()),
        value: h.and_then(|h| h.value).map(Money::from),
        sub,
    }
}

pub(crate) fn assets_view(a: &model::Assets, table_number: usize, p: &Profile) -> AssetsView {
    let (year, date) = chinese_date(&a.as_of);
    let threshold = p.assets.equipment_threshold.normalize().to_string();
    let kinds = &p.assets.vehicle_kinds;
    AssetsView {
        table_number,
        as_of: date,
        as_of_year: year,
        year_end: a.as_of.date.is_some_and(|d| d.month == 12 && d.day == 31),
        as_of_phrase: parts::as_of_phrase(&a.as_of),
        total: a.total().map(Money::from),
        rows: vec![
            asset_row("1.房屋（平方米）", &a.buildings, false),
            asset_row("其中：办公用房（平方米）", &a.office_buildings, true),
            asset_row("2.车辆（台、辆）", &a.vehicles, false),
            asset_row(&format!("3.单价在{threshold}万元以上设备"), &a.major_equipment, false),
            asset_row("4.其他固定资产", &a.other, false),
        ],
        planned_purchase: a.planned_purchase.into(),
        planned_note: clean_clause(&a.planned_note),
        fleet: parts::fleet(a.vehicle_counts.as_deref().unwrap_or(&[]), kinds),
        equipment_count: a.equipment_count.unwrap_or(0),
        planned_fleet: parts::fleet(a.planned_vehicle_counts.as_deref().unwrap_or(&[]), kinds),
        planned_equipment_count: a.planned_equipment_count.unwrap_or(0),
        threshold,
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
