//! 视图：交给模板的全部数据，即模板的契约。模板只读这里的字段，不读数据模型；
//! `yusuan build --emit-data` 同时写出由这些类型生成的 JSON Schema，字段说明即下面的文档注释。

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;

use crate::model::totals::Direction;

/// 一个金额的两种印法（单位由所在位置决定：正文为万元，附表为附表单位）。
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct Money {
    /// 正文形式，去掉末尾的零：`696.6`。
    pub text: String,
    /// 表格形式，固定两位小数：`696.60`。
    pub fixed: String,
    /// 按两位小数印出为零（正文中常省去整句）。
    pub zero: bool,
}

/// 与上年比较的方向，印作“增加”“减少”“持平”。
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, JsonSchema)]
pub enum DirectionWord {
    #[serde(rename = "增加")]
    Increase,
    #[serde(rename = "减少")]
    Decrease,
    #[serde(rename = "持平")]
    Flat,
}

impl From<Direction> for DirectionWord {
    fn from(d: Direction) -> DirectionWord {
        match d {
            Direction::Increase => DirectionWord::Increase,
            Direction::Decrease => DirectionWord::Decrease,
            Direction::Flat => DirectionWord::Flat,
        }
    }
}

impl DirectionWord {
    /// The word as printed, the same as serialized.
    pub fn word(self) -> &'static str {
        match self {
            DirectionWord::Increase => Direction::Increase.word(),
            DirectionWord::Decrease => Direction::Decrease.word(),
            DirectionWord::Flat => Direction::Flat.word(),
        }
    }
}

/// 本年与上年的比较。
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct Change {
    /// 方向：增加、减少或持平。
    pub direction: DirectionWord,
    /// 持平（按两位小数没有差额）。
    pub flat: bool,
    /// 增减额（绝对值）。
    pub amount: Money,
    /// 本年数。
    pub current: Money,
    /// 上年数。
    pub previous: Money,
}

/// 模板收到的全部数据（`/data.json`）。
#[derive(Debug, Serialize, JsonSchema)]
pub struct View {
    /// 文件身份：年度、部门、公开依据等。
    pub doc: DocView,
    /// 部门职责。
    pub duties: DutiesView,
    /// 机构设置：各预算单位。
    pub units: Vec<UnitView>,
    /// 机构设置表的表号（正文中的表按各部分的先后连续编号）；不印时为 0。
    pub units_table: usize,
    /// 收入预算。
    pub income: IncomeView,
    /// 支出预算。
    pub expenditure: ExpenditureView,
    /// 支出比上年增减。
    pub change: ChangeView,
    /// 机关运行经费。
    pub operating: OperatingView,
    /// “三公”经费。
    pub sangong: SangongView,
    /// 预算绩效信息。
    pub performance: PerformanceView,
    /// 政府采购预算。
    pub procurement: ProcurementView,
    /// 国有资产占用情况。
    pub assets: AssetsView,
    /// 名词解释；为空时不印这一部分。
    pub glossary: Vec<TermView>,
    /// 其他需要说明的事项，每段一项。
    pub other_matters: Vec<String>,
    /// 各字体角色可用的字体族，按优先顺序（见 `yusuan fonts`）。
    pub fonts: BTreeMap<String, Vec<String>>,
    /// 附表（由预算明细推算）；没有明细时为 null。
    pub tables: Option<TablesView>,
    /// 样式：文件种类与各部分的先后、目录编号。
    pub profile: ProfileView,
    /// 机构设置中各类单位的家数（由单位性质推算）。
    pub unit_counts: UnitCounts,
    /// 部门预算编制说明：收入、财政拨款比上年与财政拨款支出主要内容。
    pub explanation: ExplanationView,
    /// 项目经费情况说明，按数据中的顺序。
    pub project_details: Vec<ProjectDetailView>,
    /// 部门决算的正文数字；部门预算不带这一项（数据与以前逐字节相同）。
    #[serde(rename = "final", skip_serializing_if = "Option::is_none")]
    pub final_accounts: Option<crate::derive::final_accounts::FinalView>,
    /// 更正说明（只在排更正说明时给出，`yusuan diff --format pdf`）；文件本身不带这一项。
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<NoticeView>,
}

/// 更正说明：句子与各行都已写好，模板、网页与 Markdown 只排版，不另写文字。
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct NoticeView {
    /// 标题：“××2021年部门预算信息公开情况说明更正说明”。
    pub title: String,
    /// 开头一段：公开了什么、为什么更正、共几处。
    pub lead: String,
    /// 表头各列：序号、页码、位置、更正前、更正后。
    pub columns: Vec<String>,
    /// 各组：先是直接改动的数，再按章节与表格分组。
    pub groups: Vec<NoticeGroupView>,
    /// 结束语：“特此说明。”
    pub closing: String,
    /// 落款：部门全称。
    pub department: String,
    /// 落款日期：“2021年3月10日”。
    pub date: String,
}

/// 更正说明的一组。
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct NoticeGroupView {
    /// 组的标题，连同处数：“附表3　部门支出总表（5处）”。
    pub heading: String,
    /// 本组各处。
    pub rows: Vec<NoticeRowView>,
}

/// 更正说明的一行。
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct NoticeRowView {
    /// 序号（全文连续）。
    pub n: usize,
    /// 更正后文件的页码（删去的内容为更正前文件的页码）。
    pub page: usize,
    /// 位置：“二、（一）收入说明第1段”或“附表3 › 2070101 行政运行 › 基本支出”。
    pub location: String,
    /// 更正前印出的文字。
    pub old: String,
    /// 更正后印出的文字。
    pub new: String,
}

/// 文件身份。
#[derive(Debug, Serialize, JsonSchema)]
pub struct DocView {
    /// 预算年度。
    pub year: i32,
    /// 上一年度。
    pub previous_year: i32,
    /// 部门全称。
    pub department: String,
    /// 部门简称；没有时为全称。
    pub short_name: String,
    /// 部门编码。
    pub code: String,
    /// 公开依据的文件名（不带书名号）。
    pub legal_basis: Vec<String>,
    /// 正文金额单位，如“万元”。
    pub unit: String,
    /// 公开依据连成一句：《甲》《乙》和《丙》。
    pub legal_basis_text: String,
    /// 是否为草稿（每页加“草稿”水印）。
    pub draft: bool,
    /// 是否为样例（每页天头印“样例”说明：数字是示意的）。
    pub sample: bool,
    /// 地区（封面标题用），如“上海市东浦区”；未填时为空。
    pub region: String,
    /// PDF 的主题，如“2021年部门预算信息公开情况说明”（由样式给出）。
    pub subject: String,
}

/// 部门职责。
#[derive(Debug, Serialize, JsonSchema)]
pub struct DutiesView {
    /// 引言段落。
    pub intro: String,
    /// 各条职责，不带编号。
    pub items: Vec<String>,
}

/// 机构设置表的一行。
#[derive(Debug, Serialize, JsonSchema)]
pub struct UnitView {
    /// 单位名称。
    pub name: String,
    /// 单位性质，如“行政单位”。
    pub nature: String,
    /// 单位规格，如“正处级”。
    pub rank: String,
    /// 经费保障形式，如“财政拨款”。
    pub funding: String,
}

/// 收入预算（万元）。
#[derive(Debug, Serialize, JsonSchema)]
pub struct IncomeView {
    /// 收入合计。
    pub total: Money,
    /// 一般公共预算收入。
    pub general_budget: Money,
    /// 政府性基金预算收入。
    pub government_fund: Money,
    /// 财政专户核拨收入。
    pub special_account: Money,
    /// 其他来源收入。
    pub other: Money,
    /// 上年结转。
    pub carryover: Money,
    /// 国有资本经营预算收入：为 0 时不在正文中提及。
    pub state_capital: Money,
    /// 事业收入：为 0 时不在正文中提及。
    pub institution: Money,
    /// 事业单位经营收入：为 0 时不在正文中提及。
    pub institution_business: Money,
}

/// 支出预算（万元）。
#[derive(Debug, Serialize, JsonSchema)]
pub struct ExpenditureView {
    /// 支出合计。
    pub total: Money,
    /// 基本支出。
    pub basic: Money,
    /// 人员经费。
    pub personnel: Money,
    /// 日常公用经费。
    pub public: Money,
    /// 项目支出合计。
    pub projects_total: Money,
    /// 各项目。
    pub projects: Vec<NamedMoney>,
}

/// 一个有名称的金额（项目）。
#[derive(Debug, Serialize, JsonSchema)]
pub struct NamedMoney {
    /// 名称。
    pub name: String,
    /// 金额。
    pub amount: Money,
}

/// 支出比上年增减。
#[derive(Debug, Serialize, JsonSchema)]
pub struct ChangeView {
    /// 支出合计的增减。
    pub total: Change,
    /// 基本支出的增减。
    pub basic: Change,
    /// 项目支出的增减。
    pub projects: Change,
    /// 基本支出增减原因，已写成分句（“原因是……”）；没有时为空。
    pub basic_reason: String,
    /// 项目支出增减原因，已写成分句；没有时为空。
    pub projects_reason: String,
}

/// 机关运行经费。
#[derive(Debug, Serialize, JsonSchema)]
pub struct OperatingView {
    /// 金额。
    pub amount: Money,
    /// 用途，已用顿号连接；没有时为空。
    pub uses: String,
}

/// “三公”经费。
#[derive(Debug, Serialize, JsonSchema)]
pub struct SangongView {
    /// 合计的增减。
    pub total: Change,
    /// 因公出国（境）费。
    pub overseas: SangongItem,
    /// 公务用车购置及运行维护费。
    pub vehicle: SangongItem,
    /// 公务用车购置费（本年）。
    pub vehicle_purchase: Money,
    /// 公务用车运行维护费（本年）。
    pub vehicle_operation: Money,
    /// 公务接待费。
    pub reception: SangongItem,
    /// 公务用车购置费与上年比较。
    pub purchase: Change,
    /// 公务用车运行维护费与上年比较。
    pub operation: Change,
    /// 各项增减原因，去掉末尾标点，不加“原因是”。
    pub reasons: ReasonsView,
}

/// “三公”经费各项的增减原因。
#[derive(Debug, Serialize, JsonSchema)]
pub struct ReasonsView {
    /// 因公出国（境）费。
    pub overseas: String,
    /// 公务用车购置及运行维护费。
    pub vehicle: String,
    /// 公务用车购置费。
    pub vehicle_purchase: String,
    /// 公务用车运行维护费。
    pub vehicle_operation: String,
    /// 公务接待费。
    pub reception: String,
}

/// “三公”经费的一项。
#[derive(Debug, Serialize, JsonSchema)]
pub struct SangongItem {
    /// 与上年比较。
    pub change: Change,
    /// 增减原因，已写成分句；没有时为空。
    pub reason: String,
}

/// 预算绩效信息。
#[derive(Debug, Serialize, JsonSchema)]
pub struct PerformanceView {
    /// 部门整体绩效目标，每段一项。
    pub goal: Vec<String>,
    /// 分项绩效目标。
    pub targets: Vec<TargetView>,
    /// 工作保障措施，每段一项。
    pub measures: Vec<String>,
    /// 项目绩效目标表。
    pub projects: Vec<ProjectTableView>,
    /// 绩效目标覆盖情况；未填时为 null。
    pub coverage: Option<CoverageView>,
}

/// 绩效目标覆盖情况。
#[derive(Debug, Serialize, JsonSchema)]
pub struct CoverageView {
    /// 开展编报的预算单位数。
    pub units: u32,
    /// 编报绩效目标的项目数。
    pub projects: u32,
    /// 涉及的项目预算资金。
    pub amount: Money,
}

/// 一项分项绩效目标。
#[derive(Debug, Serialize, JsonSchema)]
pub struct TargetView {
    /// 名称，例如“立法工作”。
    pub name: String,
    /// 绩效目标。
    pub goal: String,
    /// 绩效指标。
    pub indicators: String,
}

/// 一张项目绩效目标表。
#[derive(Debug, Serialize, JsonSchema)]
pub struct ProjectTableView {
    /// 表号：全文表格连续编号，机构设置表为表1。
    pub number: usize,
    /// 表名：“<项目>绩效目标表”。
    pub title: String,
    /// 表头的单位（编制单位）。
    pub unit: String,
    /// 项目绩效目标，每条一项。
    pub goals: Vec<String>,
    /// 指标各行。
    pub rows: Vec<IndicatorRow>,
}

/// 一行指标；`span*` 为合并单元格的行数，0 表示该格被上方合并。
#[derive(Debug, Serialize, PartialEq, JsonSchema)]
pub struct IndicatorRow {
    /// 一级指标（写明的，或由二级指标推出）。
    pub level1: String,
    /// 二级指标。
    pub level2: String,
    /// 三级指标。
    pub level3: String,
    /// 指标描述。
    pub description: String,
    /// 指标值。
    pub value: String,
    /// 指标值确定依据。
    pub basis: String,
    /// 一级指标格向下合并的行数。
    pub span1: usize,
    /// 二级指标格向下合并的行数。
    pub span2: usize,
    /// 三级指标格向下合并的行数。
    pub span3: usize,
}

/// 政府采购预算。
#[derive(Debug, Serialize, JsonSchema)]
pub struct ProcurementView {
    /// 合计。
    pub total: Money,
    /// 货物类。
    pub goods: Money,
    /// 工程类。
    pub works: Money,
    /// 服务类。
    pub services: Money,
    /// 面向中小企业预留的政府采购项目预算；未填时为 null（不印）。
    pub sme_reserved: Option<Money>,
    /// 其中预留给小型和微型企业的；未填时为 null（不印）。
    pub small_micro_reserved: Option<Money>,
}

/// 国有资产占用情况。
#[derive(Debug, Serialize, JsonSchema)]
pub struct AssetsView {
    /// 表号：排在各项目绩效目标表之后。
    pub table_number: usize,
    /// 截止日期：“2020年12月31日”。
    pub as_of: String,
    /// 截止日期的年份。
    pub as_of_year: i32,
    /// 截止日期为 12 月 31 日。
    pub year_end: bool,
    /// “2020年末”（12 月 31 日）或“截至2024年8月31日”。
    pub as_of_phrase: String,
    /// 固定资产总额；有一类资产未填价值时为 null（不印，不当作 0）。
    pub total: Option<Money>,
    /// 表的各行。
    pub rows: Vec<AssetRow>,
    /// 拟购置固定资产总额。
    pub planned_purchase: Money,
    /// 拟购置资产说明，已去掉句末标点；没有时为空。
    pub planned_note: String,
    /// 设备单价门槛（万元，样式给出），如“20”“100”。
    pub threshold: String,
    /// 车辆按类别（只列有车的类别，按样式的类别顺序）。
    pub fleet: FleetView,
    /// 单价在门槛以上的设备台（套）数；未填为 0。
    pub equipment_count: u32,
    /// 本年预算安排购置的车辆，按类别。
    pub planned_fleet: FleetView,
    /// 本年预算安排购置的门槛以上设备台（套）数；未填为 0。
    pub planned_equipment_count: u32,
}

/// 资产表的一行。
#[derive(Debug, Serialize, JsonSchema)]
pub struct AssetRow {
    /// 项目名称，如“1.房屋（平方米）”。
    pub label: String,
    /// 数量；不适用时为“——”。
    pub quantity: String,
    /// 价值；未填时为 null（印“——”）。
    pub value: Option<Money>,
    /// 是否为“其中”行（缩进）。
    pub sub: bool,
}

/// 车辆：合计与各类别。
#[derive(Debug, Serialize, PartialEq, JsonSchema)]
pub struct FleetView {
    /// 合计辆数。
    pub total: u32,
    /// 有车的类别，按样式的类别顺序。
    pub kinds: Vec<KindCount>,
}

/// 一类车辆的辆数。
#[derive(Debug, Serialize, PartialEq, JsonSchema)]
pub struct KindCount {
    /// 类别，如“机要通信用车”。
    pub kind: String,
    /// 辆数。
    pub count: u32,
}

/// 样式：文件种类与各部分。
#[derive(Debug, Serialize, JsonSchema)]
pub struct ProfileView {
    /// 样式名，如“hebei”“shanghai”。
    pub name: String,
    /// 样式的中文名称。
    pub title: String,
    /// 文件种类：budget（部门预算）。
    pub document: String,
    /// PDF 与网页的关键词（不含部门名称与年度）。
    pub keywords: Vec<String>,
    /// 各部分，按顺序。
    pub parts: Vec<PartView>,
}

/// 文件的一部分。
#[derive(Debug, Serialize, JsonSchema)]
pub struct PartView {
    /// 模板中的名字，如“functions”。
    pub id: String,
    /// 名称，如“部门主要职能”。
    pub title: String,
    /// 目录中的编号“一”“二”……；不列入目录的为空。
    pub number: String,
    /// 是否列入目录。
    pub in_contents: bool,
}

/// 机构设置中各类单位的家数。
#[derive(Debug, Serialize, Default, PartialEq, JsonSchema)]
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

/// 部门预算编制说明。
#[derive(Debug, Serialize, JsonSchema)]
pub struct ExplanationView {
    /// 收入预算合计。
    pub income_total: Money,
    /// 支出预算合计。
    pub spending_total: Money,
    /// 事业收入。
    pub institution: Money,
    /// 事业单位经营收入。
    pub institution_business: Money,
    /// 财政专户管理资金收入。
    pub special_account: Money,
    /// 其他收入。
    pub other: Money,
    /// 上年结转。
    pub carryover: Money,
    /// 财政拨款合计，本年与上年。
    pub appropriation: Change,
    /// 一般公共预算财政拨款。
    pub general: Change,
    /// 政府性基金财政拨款。
    pub fund: Change,
    /// 国有资本经营预算财政拨款。
    pub capital: Change,
    /// 增减原因，不带句号。
    pub reason: String,
    /// 财政拨款支出主要内容，每个有财政拨款支出的功能分类项一条。
    pub notes: Vec<NoteView>,
}

/// 财政拨款支出主要内容的一项。
#[derive(Debug, Serialize, JsonSchema)]
pub struct NoteView {
    /// “科学技术支出（类）科学技术管理事务（款）行政运行（项）”。
    pub label: String,
    /// 财政拨款支出金额。
    pub amount: Money,
    /// 说明，不带句号。
    pub note: String,
}

/// 项目经费情况说明的一个项目。
#[derive(Debug, Serialize, JsonSchema)]
pub struct ProjectDetailView {
    /// 项目名称。
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
    /// 年度预算安排：该项目的金额（由明细推算）。
    pub budget: Money,
    /// 年度预算安排的补充说明；没有时为空。
    pub budget_note: String,
    /// 绩效目标。
    pub goal: String,
}

/// 一条名词解释。
#[derive(Debug, Serialize, JsonSchema)]
pub struct TermView {
    /// 名词。
    pub term: String,
    /// 解释。
    pub definition: String,
}

/// 全部附表，交给模板和 xlsx。
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TablesView {
    /// 编制部门。
    pub department: String,
    /// 金额单位：“万元”或“元”。
    pub unit: String,
    /// 金额单位为元（数字长四位，模板用小一号的字）。
    pub yuan: bool,
    /// 各表，按序号。
    pub tables: Vec<TableView>,
}

/// 一张附表。
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TableView {
    /// 附表序号，从 1 起。
    pub number: usize,
    /// 表名，如“部门收支总表”。
    pub title: String,
    /// 这张表的金额单位：“万元”或“元”（样式可逐表指定）。
    pub unit: String,
    /// 是否横排（列多的表）。
    pub landscape: bool,
    /// 各列相对宽度。
    pub widths: Vec<u32>,
    /// 表头各行。
    pub head: Vec<Vec<HeadCell>>,
    /// 表体各行。
    pub rows: Vec<RowView>,
    /// 行标题列（从 0 起）：这些列中不空的格子是所在行的标题（PDF 标为 TH /Row，
    /// 网页版为 `<th scope="row">`）。
    pub header_columns: Vec<usize>,
    /// 没有数据（印空表说明）。
    pub empty: bool,
    /// 空表说明；有数据时为空字符串。
    pub note: String,
}

/// 表头单元格。
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct HeadCell {
    /// 文字。
    pub text: String,
    /// 跨几列。
    pub colspan: usize,
    /// 跨几行。
    pub rowspan: usize,
}

/// 表体的一行。
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RowView {
    /// “合计”“类”“款”“项”；汇总表中的普通行为空。
    pub level: String,
    /// 各单元格，与列一一对应。
    pub cells: Vec<CellView>,
}

/// 单元格的水平对齐。
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    Left,
    Center,
    Right,
}

/// 表体单元格：文字，或金额（右对齐两位小数）。
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CellView {
    /// 印出的文字（金额为两位小数形式）。
    pub text: String,
    /// 金额；文字单元格与不印的零为 null。
    pub amount: Option<Money>,
    /// 缩进级数（每级一个字宽）。
    pub indent: usize,
    /// 加粗（合计行与类级行）。
    pub bold: bool,
    /// 水平对齐。
    pub align: Align,
    /// 这一格是所在行的标题（行标题列中不空的格子）。
    pub head: bool,
}

/// The table form of an amount the data may leave out: “——” when it does,
/// never 0 (assets.typ prints the same).
pub fn fixed_or_dash(m: &Option<Money>) -> &str {
    m.as_ref().map_or("——", |m| m.fixed.as_str())
}

/// The JSON Schema of [`View`], with every field's documentation, for
/// template authors (written beside the data by `--emit-data`).
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(View);
    serde_json::to_string_pretty(&schema).expect("the schema serializes") + "\n"
}
