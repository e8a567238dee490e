//! 数据模型：一个部门一个年度的预算公开数据，与 TOML 文件一一对应。
//!
//! Every struct refuses unknown keys, so a misspelt key is an error instead of
//! a silently missing figure. Only what cannot be derived is stored here:
//! totals, changes, numbering and the wording that follows from them are
//! computed in `derive`.

pub mod amount;
pub mod catalogue;
pub mod fields;
pub mod final_accounts;
pub mod ledger;
pub mod profile;
pub mod lineitems;
pub mod todo;
pub mod totals;

use serde::{Deserialize, Serialize};

use crate::model::amount::Amount;

/// 整份数据文件。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    /// 文件身份：年度、部门、编码、公开依据。
    pub document: Document,
    /// 部门职责。
    pub duties: Duties,
    /// 机构设置：部门所属各单位，至少一个。
    pub units: Vec<Unit>,
    /// 收入预算（万元）；有预算明细时可不填，由明细推算。
    #[serde(default)]
    pub income: Income,
    /// 支出预算（万元）；有预算明细时可不填，由明细推算。
    #[serde(default)]
    pub expenditure: Expenditure,
    /// 上年预算数及增减原因，用于“比上年增减情况”。
    pub previous: Previous,
    /// 机关运行经费。
    pub operating_costs: OperatingCosts,
    /// 财政拨款“三公”经费。
    pub sangong: Sangong,
    /// 预算绩效信息：部门整体绩效目标、项目绩效目标表与绩效目标覆盖情况。
    #[serde(default)]
    pub performance: Performance,
    /// 政府采购预算（万元）。
    #[serde(default)]
    pub procurement: Procurement,
    /// 国有资产占用情况。
    pub assets: Assets,
    /// 名词解释，按顺序编号。
    #[serde(default)]
    pub glossary: Vec<Term>,
    /// 其他需要说明的事项；为空时印“我部门无其他需要说明的事项。”
    #[serde(default)]
    pub other_matters: Vec<String>,
    /// 财政拨款支出主要内容：每个有财政拨款支出的功能分类项一句说明。
    #[serde(default)]
    pub appropriation_notes: Vec<AppropriationNote>,
    /// 项目经费情况说明：每个项目的概述、依据、主体、方案、周期与绩效目标。
    #[serde(default)]
    pub project_details: Vec<ProjectDetail>,
    /// 预算明细：逐条写单位、功能分类、经济分类、资金来源与金额。填写后收入、
    /// 基本支出与各项目的金额由明细推算（另外写了的须与明细相符），并印出附表。
    #[serde(default)]
    pub line_items: Vec<LineItem>,
    /// 草稿中待更新的字段（`yusuan new` 写入）；见 `todo`。不参与更正对比。
    #[serde(default, skip_serializing)]
    pub todo: todo::Todo,
    /// 由明细推算时记下的手填数字与缺项，供核对；不是数据文件的内容。
    #[serde(skip)]
    pub resolution: crate::model::lineitems::Resolution,
    /// 核对与附表所用的科目表：数据年度的内置科目表，叠加用户的科目表；读入
    /// 时设定（`source`），不是数据文件的内容。
    #[serde(skip)]
    pub catalogue: Option<std::sync::Arc<crate::model::catalogue::Catalogue>>,
    /// 部门决算：读入决算文件时，它所决算的预算加上决算文件本身（`source`
    /// 设定）；部门预算为 `None`。
    #[serde(skip)]
    pub final_accounts: Option<std::sync::Arc<final_accounts::FinalAccounts>>,
}

impl Budget {
    /// The kind of document this data makes: a 决算 is a budget with its
    /// final accounts attached.
    pub fn kind(&self) -> profile::DocumentKind {
        match self.final_accounts {
            Some(_) => profile::DocumentKind::Final,
            None => profile::DocumentKind::Budget,
        }
    }
}

/// 文件身份。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// 预算年度，例如 2021。
    pub year: i32,
    /// 部门全称，例如“张家口市人大常委会办公室”。
    pub department: String,
    /// 部门简称，用于表格的“编制部门”和表名，例如“市人大常委会办公室”；缺省用全称。
    #[serde(default)]
    pub short_name: Option<String>,
    /// 部门（预算单位）编码，例如“101001”。
    pub code: String,
    /// 公开依据的法规名称，不带书名号，按顺序列出（印出它的样式要求填写）。
    #[serde(default)]
    pub legal_basis: Vec<String>,
    /// 金额单位，目前只支持“万元”。
    #[serde(default = "default_unit")]
    pub unit: String,
    /// 公开日期（写入 PDF 元数据），例如 2021-02-26；缺省用 SOURCE_DATE_EPOCH 或预算年度 1 月 1 日。
    #[serde(default)]
    pub date: Option<toml::value::Datetime>,
    /// 附表的金额单位：“万元”或“元”；缺省用样式的单位。
    #[serde(default)]
    pub table_unit: Option<String>,
    /// 样式：随程序提供的样式名（如“shanghai”），或样式文件夹（相对于数据文件）；缺省“hebei”。
    #[serde(default)]
    pub profile: Option<String>,
    /// 地区，如“上海市东浦区”，印在封面的标题中。
    #[serde(default)]
    pub region: Option<String>,
    /// 样例：数字是示意的，不是部门公开的数据；每页印“样例”说明。
    #[serde(default)]
    pub sample: bool,
}

fn default_unit() -> String {
    "万元".to_string()
}

/// 部门职责：一段引言和若干条，条目由模板编号（一）（二）……
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Duties {
    /// 引言段落。
    pub intro: String,
    /// 各条职责，不带编号。
    #[serde(default)]
    pub items: Vec<String>,
}

/// 机构设置表的一行。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// 单位名称。
    pub name: String,
    /// 单位编码，例如“101001”；下属单位各有编码。
    #[serde(default)]
    pub code: Option<String>,
    /// 单位性质，例如“行政”“参公事业”“全额事业”。
    pub nature: String,
    /// 单位规格，例如“正处级”。
    pub rank: String,
    /// 经费保障形式，例如“财政拨款”。
    pub funding: String,
}

/// 收入预算，各项单位万元，缺省为 0。
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Income {
    /// 一般公共预算收入。
    #[serde(default)]
    pub general_budget: Amount,
    /// 政府性基金预算收入（基金预算收入）。
    #[serde(default)]
    pub government_fund: Amount,
    /// 财政专户核拨收入。
    #[serde(default)]
    pub special_account: Amount,
    /// 其他来源收入。
    #[serde(default)]
    pub other: Amount,
    /// 上年结转。
    #[serde(default)]
    pub carryover: Amount,
    /// 国有资本经营预算收入；不为 0 时才在收入说明中提及。
    #[serde(default)]
    pub state_capital: Amount,
    /// 事业收入；不为 0 时才在收入说明中提及。
    #[serde(default)]
    pub institution: Amount,
    /// 事业单位经营收入；不为 0 时才在收入说明中提及。
    #[serde(default)]
    pub institution_business: Amount,
    /// 照抄的已公布收入合计（可选），仅供核对：与以上各项之和不符时报错；不填则由程序推算。
    #[serde(default)]
    pub stated_total: Option<Amount>,
}

/// 支出预算。
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Expenditure {
    /// 基本支出 = 人员经费 + 日常公用经费；有预算明细时可不填。
    #[serde(default)]
    pub basic: Basic,
    /// 项目支出，按项目逐条列出。
    #[serde(default)]
    pub projects: Vec<ProjectLine>,
    /// 照抄的已公布支出合计（可选），仅供核对：与基本支出与项目支出之和不符时报错；不填则由程序推算。
    #[serde(default)]
    pub stated_total: Option<Amount>,
    /// 照抄的已公布项目支出合计（可选），仅供核对：与各项目金额之和不符时报错；不填则由程序推算。
    #[serde(default)]
    pub stated_projects: Option<Amount>,
}

/// 基本支出。
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Basic {
    /// 人员经费；没有预算明细时必填。
    #[serde(default)]
    pub personnel: Amount,
    /// 日常公用经费；没有预算明细时必填。
    #[serde(default)]
    pub public: Amount,
    /// 照抄的已公布基本支出合计（可选），仅供核对：与人员经费与日常公用经费之和不符时报错；不填则由程序推算。
    #[serde(default)]
    pub stated_total: Option<Amount>,
}

/// 项目支出的一行。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectLine {
    /// 项目名称，例如“人大会议经费”。
    pub name: String,
    /// 金额；没有预算明细时必填，有明细时可不填（由明细推算）。
    #[serde(default)]
    pub amount: Amount,
}

/// 上年预算数。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Previous {
    /// 上年基本支出。
    pub basic: Amount,
    /// 上年项目支出。
    pub projects: Amount,
    /// 基本支出增减原因，例如“主要是人员增加，相应增加人员经费和日常公用经费”；不带句号。
    #[serde(default)]
    pub basic_reason: String,
    /// 项目支出增减原因；不带句号。
    #[serde(default)]
    pub projects_reason: String,
    /// 照抄的已公布增减额（可选），仅供核对：与本年减上年不符时报错。
    #[serde(default)]
    pub stated: StatedChanges,
    /// 上年财政拨款预算，按一般公共预算、政府性基金、国有资本经营。
    #[serde(default)]
    pub appropriation: Option<FundFigures>,
    /// 财政拨款收入支出增减的主要原因；不带句号。
    #[serde(default)]
    pub appropriation_reason: String,
}

/// 财政拨款的三部分（万元）。
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FundFigures {
    /// 一般公共预算。
    #[serde(default)]
    pub general: Amount,
    /// 政府性基金。
    #[serde(default)]
    pub fund: Amount,
    /// 国有资本经营。
    #[serde(default)]
    pub capital: Amount,
}

/// 已公布的增减额，核对用；正数为增加，负数为减少。
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StatedChanges {
    /// 收支总额增减。
    #[serde(default)]
    pub total: Option<Amount>,
    /// 基本支出增减。
    #[serde(default)]
    pub basic: Option<Amount>,
    /// 项目支出增减。
    #[serde(default)]
    pub projects: Option<Amount>,
}

/// 机关运行经费。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OperatingCosts {
    /// 金额；缺省等于日常公用经费。
    #[serde(default)]
    pub amount: Option<Amount>,
    /// 已公布的说明称机关运行经费与日常公用经费相同时填 true：两者不等时报错。缺省为 false。
    #[serde(default)]
    pub same_as_public: bool,
    /// 主要用途，逐项列出，模板用顿号连接并加“等日常运行支出”（印出它的样式要求填写）。
    #[serde(default)]
    pub uses: Vec<String>,
}

/// 财政拨款“三公”经费：本年、上年与增减原因。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Sangong {
    /// 本年预算。
    pub current: SangongFigures,
    /// 上年预算。
    pub previous: SangongFigures,
    /// 增减原因，按项目填写；不带句号。
    #[serde(default)]
    pub reasons: SangongReasons,
}

/// “三公”经费各项（万元）。
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SangongFigures {
    /// 因公出国（境）费。
    #[serde(default)]
    pub overseas: Amount,
    /// 公务用车购置费。
    #[serde(default)]
    pub vehicle_purchase: Amount,
    /// 公务用车运行维护费。
    #[serde(default)]
    pub vehicle_operation: Amount,
    /// 公务接待费。
    #[serde(default)]
    pub reception: Amount,
    /// 照抄的已公布“三公”经费合计（可选），仅供核对：与以上四项之和不符时报错；不填则由程序推算。
    #[serde(default)]
    pub stated_total: Option<Amount>,
    /// 照抄的已公布公务用车购置及运维费（可选），仅供核对：与购置费与运行维护费之和不符时报错；不填则由程序推算。
    #[serde(default)]
    pub stated_vehicle: Option<Amount>,
}

/// “三公”经费增减原因。
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SangongReasons {
    /// 因公出国（境）费增减原因。
    #[serde(default)]
    pub overseas: String,
    /// 公务用车购置及运维费增减原因。
    #[serde(default)]
    pub vehicle: String,
    /// 公务用车购置费增减原因。
    #[serde(default)]
    pub vehicle_purchase: String,
    /// 公务用车运行维护费增减原因。
    #[serde(default)]
    pub vehicle_operation: String,
    /// 公务接待费增减原因。
    #[serde(default)]
    pub reception: String,
}

/// 预算绩效信息。
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Performance {
    /// 部门整体绩效目标（印出它的样式要求填写）。
    #[serde(default)]
    pub overall: Option<Overall>,
    /// 项目绩效目标表，按顺序编号。
    #[serde(default)]
    pub projects: Vec<ProjectTable>,
    /// 绩效目标覆盖情况。
    #[serde(default)]
    pub coverage: Option<Coverage>,
}

/// 绩效目标覆盖情况：开展编报的预算单位数、编报绩效目标的项目数与涉及的项目预算资金。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Coverage {
    /// 开展编报的预算单位数（印出它的样式要求填写）。
    #[serde(default)]
    pub units: u32,
    /// 编报绩效目标的项目数（同上）。
    #[serde(default)]
    pub projects: u32,
    /// 涉及的项目预算资金（同上）。
    #[serde(default)]
    pub amount: Amount,
}

/// 部门整体绩效目标。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Overall {
    /// 总体绩效目标，一段一个字符串。
    pub goal: Vec<String>,
    /// 分项绩效目标。
    #[serde(default)]
    pub targets: Vec<Target>,
    /// 工作保障措施，一条一个字符串，不带编号。
    #[serde(default)]
    pub measures: Vec<String>,
}

/// 一项分项绩效目标。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// 名称，例如“立法工作”。
    pub name: String,
    /// 绩效目标。
    pub goal: String,
    /// 绩效指标。
    pub indicators: String,
}

/// 一张项目绩效目标表。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectTable {
    /// 项目名称，表名为“<名称>绩效目标表”。
    pub name: String,
    /// 表头单位行；缺省为“<部门编码><部门全称>本级”。
    #[serde(default)]
    pub unit: Option<String>,
    /// 绩效目标，按顺序编号为目标1、目标2……
    pub goals: Vec<String>,
    /// 绩效指标，按一级、二级指标分组连续排列。
    pub indicators: Vec<Indicator>,
    /// 本表对应的项目支出：写 `expenditure.projects` 中某个项目的名称（可选）。
    /// 填写后核对本表成本指标之和是否等于该项目金额（不等时只警告）：只计指标值为
    /// “金额+单位”的成本指标，如“3万元”“8万”“350元”（元折算为万元），
    /// 三级指标含“人均”的按标准而非总额，不计；几张表对应同一项目时合计比较。
    #[serde(default)]
    pub budget_line: Option<String>,
}

/// 绩效指标表的一行。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// 一级指标；缺省由二级指标推出（数量/质量/时效/成本指标 → 产出指标，
    /// 经济/社会/生态效益、可持续影响指标 → 效果指标，服务对象满意度指标 → 满意度指标）。
    #[serde(default)]
    pub level1: Option<String>,
    /// 二级指标，例如“数量指标”。
    pub level2: String,
    /// 三级指标；与上一行相同时表格合并单元格。
    pub level3: String,
    /// 绩效指标描述。
    #[serde(default)]
    pub description: String,
    /// 指标值，例如“≥6次”“100%”。
    pub value: String,
    /// 指标值确定依据。
    #[serde(default)]
    pub basis: String,
}

/// 政府采购预算（万元），缺省全部为 0，即“无政府采购预算”。
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Procurement {
    /// 货物类。
    #[serde(default)]
    pub goods: Amount,
    /// 工程类。
    #[serde(default)]
    pub works: Amount,
    /// 服务类。
    #[serde(default)]
    pub services: Amount,
    /// 照抄的已公布政府采购预算合计（可选），仅供核对：与货物、工程、服务三类之和不符时报错；不填则由程序推算。
    #[serde(default)]
    pub stated_total: Option<Amount>,
    /// 面向中小企业预留的政府采购项目预算（可选）。
    #[serde(default)]
    pub sme_reserved: Option<Amount>,
    /// 其中预留给小型和微型企业的（可选）。
    #[serde(default)]
    pub small_micro_reserved: Option<Amount>,
}

/// 国有资产占用情况。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Assets {
    /// 统计截止日期，例如 2020-12-31。
    pub as_of: toml::value::Datetime,
    /// 房屋：面积（平方米）与价值。
    #[serde(default)]
    pub buildings: Option<Holding>,
    /// 其中：办公用房。
    #[serde(default)]
    pub office_buildings: Option<Holding>,
    /// 车辆：台（辆）数与价值。
    #[serde(default)]
    pub vehicles: Option<Holding>,
    /// 单价在样式门槛（缺省 20 万元）以上的设备。
    #[serde(default)]
    pub major_equipment: Option<Holding>,
    /// 其他固定资产。
    #[serde(default)]
    pub other: Option<Holding>,
    /// 车辆按类别计数。
    #[serde(default)]
    pub vehicle_counts: Option<Vec<VehicleCount>>,
    /// 单价在样式门槛以上的设备（不含车辆）台（套）数。
    #[serde(default)]
    pub equipment_count: Option<u32>,
    /// 本年预算安排购置的车辆，按类别。
    #[serde(default)]
    pub planned_vehicle_counts: Option<Vec<VehicleCount>>,
    /// 本年预算安排购置的门槛以上设备台（套）数。
    #[serde(default)]
    pub planned_equipment_count: Option<u32>,
    /// 本年度拟购置固定资产总额。
    #[serde(default)]
    pub planned_purchase: Amount,
    /// 拟购置资产的说明，接在总额之后，不带句号。
    #[serde(default)]
    pub planned_note: String,
    /// 照抄的已公布资产总额（可选），仅供核对：与房屋、车辆、20 万元以上设备与其他固定资产的价值之和（办公用房已含在房屋中，不另计）不符时报错；不填则由程序推算。
    #[serde(default)]
    pub stated_total: Option<Amount>,
}

/// 一类资产：数量（可缺省，表中印“——”）与价值。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Holding {
    /// 数量（面积、台数等）；不适用时不填。
    #[serde(default)]
    pub quantity: Option<Amount>,
    /// 价值（万元）；文件不公布时不填，不印成 0。
    #[serde(default)]
    pub value: Option<Amount>,
}

/// 一类车辆的数量。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VehicleCount {
    /// 类别，须是样式所列类别之一，如“机要通信用车”。
    pub kind: String,
    pub count: u32,
}

/// 财政拨款支出主要内容的一项。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AppropriationNote {
    /// 功能分类项级编码，7 位。
    pub function: String,
    /// 说明，如“主要用于……”；不带句号。
    pub note: String,
}

/// 项目经费情况说明的一个项目。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectDetail {
    /// 项目名称，须是项目支出中的项目。
    pub name: String,
    /// 项目概述。
    pub overview: String,
    /// 立项依据。
    pub basis: String,
    /// 实施主体。
    pub implementer: String,
    /// 实施方案。
    pub plan: String,
    /// 实施周期。
    pub period: String,
    /// 年度预算安排的补充说明，接在金额之后（可选）。
    #[serde(default)]
    pub budget_note: Option<String>,
    /// 绩效目标。
    pub goal: String,
}

/// 名词解释的一条。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// 名词。
    pub term: String,
    /// 解释，不带名词本身。
    pub definition: String,
}

/// 预算明细的一行：某单位、某功能分类项、某经济分类款、某资金来源的一笔预算。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LineItem {
    /// 单位：机构设置中单位的名称或编码；缺省为第一个单位（本级）。
    #[serde(default)]
    pub unit: Option<String>,
    /// 支出功能分类科目编码，7 位（类、款、项），例如“2010104”。
    pub function: String,
    /// 功能分类项级科目名称，例如“人大会议”；同一编码只需在第一次出现时填写。
    #[serde(default)]
    pub function_name: Option<String>,
    /// 部门预算支出经济分类款级编码，5 位，例如“30101”；基本支出必填，项目支出可不填。
    #[serde(default)]
    pub economic: Option<String>,
    /// 经济分类款名称（可选），仅供核对：与科目表不符时报错。
    #[serde(default)]
    pub economic_name: Option<String>,
    /// 资金来源：一般公共预算、政府性基金、国有资本经营、财政专户、事业收入、
    /// 事业单位经营收入、其他收入或上年结转；缺省为一般公共预算。
    #[serde(default)]
    pub source: Option<String>,
    /// 上年结转资金原来的来源（只在 source 为“上年结转”时填写）；缺省为一般公共预算。
    #[serde(default)]
    pub carried_from: Option<String>,
    /// 基本支出的类别：“人员经费”或“公用经费”；项目支出不填此项而填 project。
    #[serde(default)]
    pub basic: Option<String>,
    /// 项目支出所属项目的名称，例如“人大会议经费”；基本支出不填。
    #[serde(default)]
    pub project: Option<String>,
    /// 金额（万元）。
    pub amount: Amount,
}
