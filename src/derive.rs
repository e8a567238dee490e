//! 派生数据：合计、增减、措辞与编号，全部由模型算出，交给模板作为数据。
//!
//! The templates never do arithmetic: every figure they print arrives here
//! already computed with exact decimals and already formatted by the one
//! display rule of `amount`. The templates only choose sentences.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::amount::Amount;
use crate::model::{self, Budget, Holding, Indicator};
use crate::profile::{NumberFormat, Profile};
use crate::tables::chinese_number;

/// An amount in the two forms the templates print.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Money {
    /// 正文形式：`696.6`（缺省样式）或 `1,058.85`。
    pub text: String,
    /// 表格形式：`696.60`，所有小数位都印出。
    pub fixed: String,
    /// 按所印的精度是否为 0。
    pub zero: bool,
}

impl Money {
    /// The amount in a text format and that format with every decimal shown.
    pub fn with(a: Amount, f: &NumberFormat) -> Money {
        Money { text: a.format(f), fixed: a.format(&f.fixed()), zero: a.is_zero_in(f) }
    }
}

impl From<Amount> for Money {
    fn from(a: Amount) -> Money {
        Money::with(a, &NumberFormat::text())
    }
}

/// The format amounts in sentences take, from the profile.
#[derive(Debug, Clone, Copy)]
pub struct Formats {
    pub text: NumberFormat,
}

impl Default for Formats {
    fn default() -> Formats {
        Formats { text: NumberFormat::text() }
    }
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

/// 与上年比较的方向。
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub enum Direction {
    #[serde(rename = "增加")]
    Increase,
    #[serde(rename = "减少")]
    Decrease,
    #[serde(rename = "持平")]
    Flat,
}

/// 本年与上年的比较。
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Change {
    /// 增加、减少或持平。
    pub direction: Direction,
    /// 增减额（绝对值）。
    pub amount: Money,
    /// 本年数。
    pub current: Money,
    /// 上年数。
    pub previous: Money,
}

impl Direction {
    /// The word the documents use: 增加, 减少, 持平 (as serialized).
    pub fn word(self) -> &'static str {
        match self {
            Direction::Increase => "增加",
            Direction::Decrease => "减少",
            Direction::Flat => "持平",
        }
    }
}

impl Change {
    /// Compares at display precision: a change that rounds to 0.00 万元 is
    /// 持平, because the page could not show it anyway.
    pub fn between(current: Amount, previous: Amount) -> Change {
        Change::in_format(current, previous, &NumberFormat::text())
    }

    /// The comparison at the precision a format prints.
    pub fn in_format(current: Amount, previous: Amount, f: &NumberFormat) -> Change {
        let diff = current - previous;
        let direction = if diff.is_zero_in(f) {
            Direction::Flat
        } else if diff.0.is_sign_positive() {
            Direction::Increase
        } else {
            Direction::Decrease
        };
        Change {
            direction,
            amount: Money::with(diff.abs(), f),
            current: Money::with(current, f),
            previous: Money::with(previous, f),
        }
    }
}

/// Everything the templates receive, serialized to `/data.json`.
#[derive(Debug, Serialize)]
pub struct View {
    pub doc: DocView,
    pub duties: model::Duties,
    pub units: Vec<UnitView>,
    pub income: IncomeView,
    pub expenditure: ExpenditureView,
    pub change: ChangeView,
    pub operating: OperatingView,
    pub sangong: SangongView,
    pub performance: PerformanceView,
    pub procurement: ProcurementView,
    pub assets: AssetsView,
    pub glossary: Vec<TermView>,
    pub other_matters: Vec<String>,
    /// 各字体角色可用的字体族，按优先顺序。
    pub fonts: BTreeMap<String, Vec<String>>,
    /// 附表（由预算明细推算）；没有明细时为空。
    pub tables: Option<crate::tables::TablesView>,
    /// 样式：各部分的先后与目录编号。
    pub profile: ProfileView,
    /// 机构设置中各类单位的家数。
    pub unit_counts: UnitCounts,
    /// 部门预算编制说明（财政拨款比上年、财政拨款支出主要内容）。
    pub explanation: ExplanationView,
    /// 项目经费情况说明。
    pub project_details: Vec<ProjectDetailView>,
}

/// How the document is presented, independent of its data.
#[derive(Debug, Clone)]
pub struct Presentation {
    /// Diagonal 草稿 watermark on every page.
    pub draft: bool,
    /// Font families per role (see `fonts::ROLES`), resolved on this machine.
    pub fonts: BTreeMap<String, Vec<String>>,
    /// The document's profile.
    pub profile: std::sync::Arc<Profile>,
}

impl Default for Presentation {
    /// No watermark, the templates' own fonts, the default profile.
    fn default() -> Presentation {
        Presentation {
            draft: false,
            fonts: BTreeMap::new(),
            profile: std::sync::Arc::new(crate::profile::default_profile()),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct DocView {
    pub year: i32,
    pub previous_year: i32,
    pub department: String,
    pub short_name: String,
    pub code: String,
    pub legal_basis: Vec<String>,
    pub unit: String,
    /// 公开依据连成一句：《甲》《乙》和《丙》。
    pub legal_basis_text: String,
    /// 是否为草稿（加水印）。
    pub draft: bool,
    /// 地区（封面标题用）；未填时为空。
    pub region: String,
    /// PDF 的主题，如“2021年部门预算信息公开情况说明”（样式给出）。
    pub subject: String,
}

#[derive(Debug, Serialize)]
pub struct UnitView {
    pub name: String,
    pub nature: String,
    pub rank: String,
    pub funding: String,
}

#[derive(Debug, Serialize)]
pub struct IncomeView {
    pub total: Money,
    pub general_budget: Money,
    pub government_fund: Money,
    pub special_account: Money,
    pub other: Money,
    pub carryover: Money,
    /// 国有资本经营预算收入、事业收入、事业单位经营收入：为 0 时不在正文中提及。
    pub state_capital: Money,
    pub institution: Money,
    pub institution_business: Money,
}

#[derive(Debug, Serialize)]
pub struct ExpenditureView {
    pub total: Money,
    pub basic: Money,
    pub personnel: Money,
    pub public: Money,
    pub projects_total: Money,
    pub projects: Vec<NamedMoney>,
}

#[derive(Debug, Serialize)]
pub struct NamedMoney {
    pub name: String,
    pub amount: Money,
}

#[derive(Debug, Serialize)]
pub struct ChangeView {
    pub total: Change,
    pub basic: Change,
    pub projects: Change,
    pub basic_reason: String,
    pub projects_reason: String,
}

#[derive(Debug, Serialize)]
pub struct OperatingView {
    pub amount: Money,
    /// 用途，已用顿号连接。
    pub uses: String,
}

#[derive(Debug, Serialize)]
pub struct SangongView {
    pub total: Change,
    pub overseas: SangongItem,
    pub vehicle: SangongItem,
    pub vehicle_purchase: Money,
    pub vehicle_operation: Money,
    pub reception: SangongItem,
    /// 公务用车购置费、运行费各自与上年比较。
    pub purchase: Change,
    pub operation: Change,
    /// 各项增减原因，去掉末尾标点，不加“原因是”。
    pub reasons: ReasonsView,
}

#[derive(Debug, Serialize)]
pub struct ReasonsView {
    pub overseas: String,
    pub vehicle: String,
    pub vehicle_purchase: String,
    pub vehicle_operation: String,
    pub reception: String,
}

#[derive(Debug, Serialize)]
pub struct SangongItem {
    pub change: Change,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct PerformanceView {
    pub goal: Vec<String>,
    pub targets: Vec<model::Target>,
    pub measures: Vec<String>,
    pub projects: Vec<ProjectTableView>,
    /// 绩效目标覆盖情况；未填时为空。
    pub coverage: Option<CoverageView>,
}

#[derive(Debug, Serialize)]
pub struct CoverageView {
    pub units: u32,
    pub projects: u32,
    pub amount: Money,
}

#[derive(Debug, Serialize)]
pub struct ProjectTableView {
    /// 表号：全文表格连续编号，机构设置表为表1。
    pub number: usize,
    /// 表名：“<项目>绩效目标表”。
    pub title: String,
    pub unit: String,
    pub goals: Vec<String>,
    pub rows: Vec<IndicatorRow>,
}

/// 一行指标；`span*` 为合并单元格的行数，0 表示该格被上方合并。
#[derive(Debug, Serialize, PartialEq)]
pub struct IndicatorRow {
    pub level1: String,
    pub level2: String,
    pub level3: String,
    pub description: String,
    pub value: String,
    pub basis: String,
    pub span1: usize,
    pub span2: usize,
    pub span3: usize,
}

#[derive(Debug, Serialize)]
pub struct ProcurementView {
    pub total: Money,
    pub goods: Money,
    pub works: Money,
    pub services: Money,
    /// 面向中小企业预留及其中小微企业的；未填时为空（不印）。
    pub sme_reserved: Option<Money>,
    pub small_micro_reserved: Option<Money>,
}

#[derive(Debug, Serialize)]
pub struct AssetsView {
    /// 表号：排在各项目绩效目标表之后。
    pub table_number: usize,
    /// 截止日期：“2020年12月31日”。
    pub as_of: String,
    pub as_of_year: i32,
    /// 截止日期为 12 月 31 日。
    pub year_end: bool,
    /// “2020年末”或“截至2024年8月31日”。
    pub as_of_phrase: String,
    /// 资产总额；有一类资产未填价值时为空（不印）。
    pub total: Option<Money>,
    pub rows: Vec<AssetRow>,
    pub planned_purchase: Money,
    pub planned_note: String,
    /// 设备单价门槛（万元），如“20”“100”。
    pub threshold: String,
    /// 车辆按类别（只列有车的类别）与门槛以上设备；拟购置的同。
    pub fleet: FleetView,
    pub equipment_count: u32,
    pub planned_fleet: FleetView,
    pub planned_equipment_count: u32,
}

#[derive(Debug, Serialize)]
pub struct AssetRow {
    pub label: String,
    /// 数量；不适用时为“——”。
    pub quantity: String,
    /// 价值；未填时为空（印“——”）。
    pub value: Option<Money>,
    /// 是否为“其中”行（缩进）。
    pub sub: bool,
}

#[derive(Debug, Serialize)]
pub struct TermView {
    pub term: String,
    pub definition: String,
}

/// Builds the view. `derive` trusts data that has passed the checks, but stays
/// total: odd data yields odd figures, never a panic.
pub fn view(b: &Budget, how: &Presentation) -> View {
    let p = &how.profile;
    let f = Formats::of(p);
    View {
        doc: doc_view(b, how.draft, p),
        duties: b.duties.clone(),
        units: b.units.iter().map(unit_view).collect(),
        income: income_view(&b.income, &f),
        expenditure: expenditure_view(&b.expenditure, &f),
        change: change_view(b, &f),
        operating: operating_view(b, &f),
        sangong: sangong_view(&b.sangong, &f),
        performance: performance_view(b, &f),
        procurement: procurement_view(&b.procurement, &f),
        assets: assets_view(&b.assets, FIRST_PROJECT_TABLE + b.performance.projects.len(), p),
        glossary: b
            .glossary
            .iter()
            .map(|t| TermView { term: t.term.clone(), definition: t.definition.clone() })
            .collect(),
        other_matters: b.other_matters.clone(),
        fonts: how.fonts.clone(),
        tables: crate::tables::view(b, p),
        profile: profile_view(p),
        unit_counts: unit_counts(&b.units),
        explanation: explanation_view(b, &f),
        project_details: project_details_view(b, &f),
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
        region: d.region.clone().unwrap_or_default(),
        subject: crate::profile::fill_year(&p.subject, d.year),
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

/// 收入合计：各来源之和（有预算明细时各来源已由明细推算）。
pub fn income_total(i: &model::Income) -> Amount {
    i.general_budget
        + i.government_fund
        + i.special_account
        + i.other
        + i.carryover
        + i.state_capital
        + i.institution
        + i.institution_business
}

fn income_view(i: &model::Income, f: &Formats) -> IncomeView {
    IncomeView {
        total: f.money(income_total(i)),
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

pub fn basic_total(e: &model::Expenditure) -> Amount {
    e.basic.personnel + e.basic.public
}

pub fn projects_total(e: &model::Expenditure) -> Amount {
    e.projects.iter().map(|p| p.amount).sum()
}

pub fn expenditure_total(e: &model::Expenditure) -> Amount {
    basic_total(e) + projects_total(e)
}

fn expenditure_view(e: &model::Expenditure, f: &Formats) -> ExpenditureView {
    ExpenditureView {
        total: f.money(expenditure_total(e)),
        basic: f.money(basic_total(e)),
        personnel: f.money(e.basic.personnel),
        public: f.money(e.basic.public),
        projects_total: f.money(projects_total(e)),
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
        total: f.change(expenditure_total(e), p.basic + p.projects),
        basic: f.change(basic_total(e), p.basic),
        projects: f.change(projects_total(e), p.projects),
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

/// 机关运行经费: stated, or else equal to 日常公用经费.
pub fn operating_amount(b: &Budget) -> Amount {
    b.operating_costs.amount.unwrap_or(b.expenditure.basic.public)
}

fn operating_view(b: &Budget, f: &Formats) -> OperatingView {
    let uses: Vec<String> = b.operating_costs.uses.iter().map(|u| clean_clause(u)).collect();
    OperatingView { amount: f.money(operating_amount(b)), uses: uses.join("、") }
}

pub fn sangong_total(f: &model::SangongFigures) -> Amount {
    f.overseas + f.vehicle_purchase + f.vehicle_operation + f.reception
}

fn sangong_view(s: &model::Sangong, f: &Formats) -> SangongView {
    let (c, p) = (&s.current, &s.previous);
    let item = |cur: Amount, prev: Amount, reason: &str| SangongItem {
        change: f.change(cur, prev),
        reason: reason_clause(reason),
    };
    let r = &s.reasons;
    SangongView {
        total: f.change(sangong_total(c), sangong_total(p)),
        overseas: item(c.overseas, p.overseas, &s.reasons.overseas),
        vehicle: item(
            c.vehicle_purchase + c.vehicle_operation,
            p.vehicle_purchase + p.vehicle_operation,
            &s.reasons.vehicle,
        ),
        vehicle_purchase: f.money(c.vehicle_purchase),
        vehicle_operation: f.money(c.vehicle_operation),
        reception: item(c.reception, p.reception, &s.reasons.reception),
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

/// Tables are numbered in the order they appear: 表1 is the units table,
/// then one per project, then the assets table. Numbering here rather than
/// with a Typst counter spares the layout a round of introspection.
pub const FIRST_PROJECT_TABLE: usize = 2;

fn performance_view(b: &Budget, f: &Formats) -> PerformanceView {
    let o = b.performance.overall.clone().unwrap_or(model::Overall {
        goal: Vec::new(),
        targets: Vec::new(),
        measures: Vec::new(),
    });
    let default_unit = format!("{}{}本级", b.document.code, b.document.department);
    PerformanceView {
        goal: o.goal,
        targets: o.targets,
        measures: o.measures,
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
                number: FIRST_PROJECT_TABLE + i,
                title: format!("{}绩效目标表", p.name.trim()),
                unit: p.unit.clone().unwrap_or_else(|| default_unit.clone()),
                goals: p.goals.clone(),
                rows: indicator_rows(&p.indicators),
            })
            .collect(),
    }
}

/// The standard three-level framework: a 二级指标 belongs to one 一级指标.
pub fn level1_of(level2: &str) -> Option<&'static str> {
    match level2.trim() {
        "数量指标" | "质量指标" | "时效指标" | "成本指标" => Some("产出指标"),
        "经济效益指标" | "社会效益指标" | "生态效益指标" | "可持续影响指标" => {
            Some("效果指标")
        }
        "服务对象满意度指标" | "满意度指标" => Some("满意度指标"),
        _ => None,
    }
}

/// The 一级指标 of a row: stated, or derived from its 二级指标.
pub fn level1(ind: &Indicator) -> String {
    match &ind.level1 {
        Some(l) if !l.trim().is_empty() => l.trim().to_string(),
        _ => level1_of(&ind.level2).unwrap_or("").to_string(),
    }
}

/// Rows with merge spans: equal consecutive 一级 cells merge; 二级 merge
/// within one 一级; 三级 within one 二级.
pub fn indicator_rows(inds: &[Indicator]) -> Vec<IndicatorRow> {
    let keys: Vec<[String; 3]> = inds
        .iter()
        .map(|i| [level1(i), i.level2.trim().to_string(), i.level3.trim().to_string()])
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

/// Top-level holdings; 办公用房 is part of 房屋 and is not added again.
/// `None` when any of them has no value: a total of what is given would
/// be a false figure.
pub fn assets_total(a: &model::Assets) -> Option<Amount> {
    [&a.buildings, &a.vehicles, &a.major_equipment, &a.other]
        .into_iter()
        .map(|h| h.as_ref().and_then(|h| h.value))
        .sum()
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

fn assets_view(a: &model::Assets, table_number: usize, p: &Profile) -> AssetsView {
    let (year, date) = chinese_date(&a.as_of);
    let threshold = p.assets.equipment_threshold.normalize().to_string();
    let kinds = &p.assets.vehicle_kinds;
    AssetsView {
        table_number,
        as_of: date,
        as_of_year: year,
        year_end: a.as_of.date.is_some_and(|d| d.month == 12 && d.day == 31),
        as_of_phrase: as_of_phrase(&a.as_of),
        total: assets_total(a).map(Money::from),
        rows: vec![
            asset_row("1．房屋（平方米）", &a.buildings, false),
            asset_row("其中：办公用房（平方米）", &a.office_buildings, true),
            asset_row("2．车辆（台、辆）", &a.vehicles, false),
            asset_row(&format!("3．单价在{threshold}万元以上设备"), &a.major_equipment, false),
            asset_row("4．其他固定资产", &a.other, false),
        ],
        planned_purchase: a.planned_purchase.into(),
        planned_note: clean_clause(&a.planned_note),
        fleet: fleet(a.vehicle_counts.as_deref().unwrap_or(&[]), kinds),
        equipment_count: a.equipment_count.unwrap_or(0),
        planned_fleet: fleet(a.planned_vehicle_counts.as_deref().unwrap_or(&[]), kinds),
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

// ---------------------------------------------------------------------------
// What a profile's parts print beyond the seed's chapters.

/// 样式：各部分（目录中的编号）与名称，交给模板。
#[derive(Debug, Serialize)]
pub struct ProfileView {
    pub name: String,
    pub title: String,
    pub parts: Vec<PartView>,
}

#[derive(Debug, Serialize)]
pub struct PartView {
    pub id: String,
    pub title: String,
    /// 目录中的编号“一”“二”……；不列入目录的为空。
    pub number: String,
    pub in_contents: bool,
}

fn profile_view(p: &Profile) -> ProfileView {
    let mut n = 0;
    let parts = p
        .parts
        .iter()
        .map(|q| {
            let number = if q.in_contents {
                n += 1;
                chinese_number(n)
            } else {
                String::new()
            };
            PartView { id: q.id.clone(), title: q.title.clone(), number, in_contents: q.in_contents }
        })
        .collect();
    ProfileView { name: p.name.clone(), title: p.title.clone(), parts }
}

/// 机构设置中各类单位的家数（由单位性质推算）。
#[derive(Debug, Serialize, Default, PartialEq)]
pub struct UnitCounts {
    /// 下属单位（本部以外）。
    pub subordinate: usize,
    /// 行政单位（机关）。
    pub administrative: usize,
    /// 参照公务员法管理的事业单位。
    pub civil_service: usize,
    /// 其他事业单位。
    pub institution: usize,
    /// 性质不属以上三类的单位。
    pub other: usize,
}

/// The class of a unit by its 性质 as written: 参公 first, since 参公事业
/// is also 事业.
pub fn unit_counts(units: &[model::Unit]) -> UnitCounts {
    let mut c = UnitCounts { subordinate: units.len().saturating_sub(1), ..UnitCounts::default() };
    for u in units {
        let n = u.nature.trim();
        if n.contains("参公") || n.contains("参照公务员") {
            c.civil_service += 1;
        } else if n.starts_with("行政") || n.starts_with("机关") {
            c.administrative += 1;
        } else if n.contains("事业") {
            c.institution += 1;
        } else {
            c.other += 1;
        }
    }
    c
}

/// 部门预算编制说明：收入、财政拨款比上年与财政拨款支出主要内容。
#[derive(Debug, Serialize)]
pub struct ExplanationView {
    pub income_total: Money,
    pub spending_total: Money,
    pub institution: Money,
    pub institution_business: Money,
    pub special_account: Money,
    pub other: Money,
    pub carryover: Money,
    /// 财政拨款（本年与上年）。
    pub appropriation: Change,
    pub general: Change,
    pub fund: Change,
    pub capital: Change,
    /// 增减原因，不带句号。
    pub reason: String,
    pub notes: Vec<NoteView>,
}

/// 财政拨款支出主要内容的一项。
#[derive(Debug, Serialize)]
pub struct NoteView {
    /// “科学技术支出（类）科学技术管理事务（款）行政运行（项）”。
    pub label: String,
    pub amount: Money,
    pub note: String,
}

/// Appropriated spending per 项 with the 类 and 款 names above it, in code
/// order: what 财政拨款支出主要内容 lists.
pub fn appropriation_items(b: &Budget) -> Vec<(String, String, Amount)> {
    let d = crate::tables::derive(b);
    let name = |code: &str| {
        d.appropriation.iter().find(|r| r.code == code).map(|r| r.name.clone()).unwrap_or_default()
    };
    d.appropriation
        .iter()
        .filter(|r| r.level == crate::tables::Level::Xiang && !r.values[0].is_zero())
        .map(|r| {
            let label = format!(
                "{}（类）{}（款）{}（项）",
                name(&r.code[..3]),
                name(&r.code[..5]),
                r.name
            );
            (r.code.clone(), label, r.values[0])
        })
        .collect()
}

fn explanation_view(b: &Budget, f: &Formats) -> ExplanationView {
    let d = crate::tables::derive(b);
    let [now, carried] = d.appropriation_income;
    let fund = |k: usize| now[k] + carried[k];
    let prev = b.previous.appropriation.clone().unwrap_or_default();
    let i = &b.income;
    let notes = appropriation_items(b)
        .into_iter()
        .map(|(code, label, amount)| NoteView {
            label,
            amount: f.money(amount),
            note: b
                .appropriation_notes
                .iter()
                .find(|n| n.function.trim() == code)
                .map(|n| clean_clause(&n.note))
                .unwrap_or_default(),
        })
        .collect();
    ExplanationView {
        income_total: f.money(income_total(i)),
        spending_total: f.money(expenditure_total(&b.expenditure)),
        institution: f.money(i.institution),
        institution_business: f.money(i.institution_business),
        special_account: f.money(i.special_account),
        other: f.money(i.other),
        carryover: f.money(i.carryover),
        appropriation: f.change(fund(0) + fund(1) + fund(2), prev.general + prev.fund + prev.capital),
        general: f.change(fund(0), prev.general),
        fund: f.change(fund(1), prev.fund),
        capital: f.change(fund(2), prev.capital),
        reason: clean_clause(&b.previous.appropriation_reason),
        notes,
    }
}

/// A project's 项目经费情况说明.
#[derive(Debug, Serialize)]
pub struct ProjectDetailView {
    pub name: String,
    pub overview: String,
    pub basis: String,
    pub implementer: String,
    pub plan: String,
    pub period: String,
    /// 年度预算安排：该项目的金额（由明细推算）。
    pub budget: Money,
    pub budget_note: String,
    pub goal: String,
}

fn project_details_view(b: &Budget, f: &Formats) -> Vec<ProjectDetailView> {
    b.project_details
        .iter()
        .map(|p| {
            let amount = b
                .expenditure
                .projects
                .iter()
                .filter(|x| x.name.trim() == p.name.trim())
                .map(|x| x.amount)
                .sum();
            ProjectDetailView {
                name: p.name.trim().to_string(),
                overview: p.overview.trim().to_string(),
                basis: p.basis.trim().to_string(),
                implementer: p.implementer.trim().to_string(),
                plan: p.plan.trim().to_string(),
                period: p.period.trim().to_string(),
                budget: f.money(amount),
                budget_note: clean_clause(p.budget_note.as_deref().unwrap_or("")),
                goal: p.goal.trim().to_string(),
            }
        })
        .collect()
}

/// Vehicles as counted: the total and each kind with a vehicle, in the
/// profile's order of kinds.
#[derive(Debug, Serialize, PartialEq)]
pub struct FleetView {
    pub total: u32,
    pub kinds: Vec<KindCount>,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct KindCount {
    pub kind: String,
    pub count: u32,
}

pub fn fleet(counts: &[model::VehicleCount], order: &[String]) -> FleetView {
    let count = |k: &str| -> u32 { counts.iter().filter(|c| c.kind.trim() == k).map(|c| c.count).sum() };
    let mut names: Vec<String> = order.to_vec();
    // Kinds the profile does not list (the checks report them) still count.
    for c in counts {
        if !names.iter().any(|n| n == c.kind.trim()) {
            names.push(c.kind.trim().to_string());
        }
    }
    let kinds = names
        .into_iter()
        .map(|k| KindCount { count: count(&k), kind: k })
        .filter(|k| k.count > 0)
        .collect();
    FleetView { total: counts.iter().map(|c| c.count).sum(), kinds }
}

/// “截至2024年8月31日” for a count taken during the year, “2020年末” for one
/// taken on 31 December.
pub fn as_of_phrase(d: &toml::value::Datetime) -> String {
    match &d.date {
        Some(date) if date.month == 12 && date.day == 31 => format!("{}年末", date.year),
        _ => format!("截至{}", chinese_date(d).1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amount::parse_amount;

    fn a(s: &str) -> Amount {
        parse_amount(s).unwrap()
    }

    #[test]
    fn direction_words_match_what_the_templates_receive() {
        for d in [Direction::Increase, Direction::Decrease, Direction::Flat] {
            assert_eq!(serde_json::to_string(&d).unwrap(), format!("\"{}\"", d.word()));
        }
    }

    #[test]
    fn change_words() {
        let up = Change::between(a("2220.42"), a("2084.77"));
        assert_eq!(up.direction, Direction::Increase);
        assert_eq!(up.amount.text, "135.65");
        let down = Change::between(a("2.27"), a("2.67"));
        assert_eq!(down.direction, Direction::Decrease);
        assert_eq!(down.amount.text, "0.4");
        let flat = Change::between(a("53.43"), a("53.430"));
        assert_eq!(flat.direction, Direction::Flat);
        assert_eq!(flat.amount.text, "0");
        // Below display precision counts as 持平.
        assert_eq!(Change::between(a("1.001"), a("1")).direction, Direction::Flat);
        assert_eq!(Change::between(a("1.005"), a("1")).direction, Direction::Increase);
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
        assert_eq!(level1_of("成本指标"), Some("产出指标"));
        assert_eq!(level1_of("社会效益指标"), Some("效果指标"));
        assert_eq!(level1_of("服务对象满意度指标"), Some("满意度指标"));
        assert_eq!(level1_of("自定义指标"), None);
        let mut i = ind("自定义指标", "x");
        i.level1 = Some("产出指标".into());
        assert_eq!(level1(&i), "产出指标");
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
