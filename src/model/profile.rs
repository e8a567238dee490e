//! 样式（profile）：一种公开文件的样子——文件种类、各部分、各表与数字格式。
//!
//! A profile is data: the parts a document has, in order, and the tables it
//! carries, each described by a layout and its columns, never by code
//! written for one region. The sentences live in the profile's templates.
//! Nothing here knows Hebei or Shanghai; the bundled profiles are two
//! `profile.toml` files.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// 整个样式说明（profile.toml）。
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// 样式名，如“shanghai”。
    pub name: String,
    /// 中文名称，如“上海市区级部门预算”，用于提示。
    pub title: String,
    /// 文件种类。
    pub document: DocumentKind,
    /// 主模板，缺省 main.typ。
    #[serde(default = "default_main")]
    pub main: String,
    /// 所继承的随程序提供的样式（如决算样式继承同一地区的预算样式）：它的模板可以
    /// 用 `/样式名/文件` 引入，不必复制。
    #[serde(default)]
    pub extends: Option<String>,
    /// 各部分的模板：其中 `#let parts = (id: 函数, …)` 给出每一部分的函数，缺省 parts.typ。
    #[serde(default = "default_parts_file")]
    pub parts_file: String,
    /// PDF 的主题，标题为部门名称加主题；{year} 换成年度。
    #[serde(default = "default_subject")]
    pub subject: String,
    /// PDF 与网页的关键词（文件种类的词，部门名称与年度由程序加上）；缺省按文件种类，
    /// 如“部门预算”“预算公开”。
    #[serde(default)]
    pub keywords: Option<Vec<String>>,
    /// 数字格式：正文与表格。
    #[serde(default)]
    pub numbers: Numbers,
    /// 国有资产的统计口径。
    #[serde(default)]
    pub assets: AssetRules,
    /// 各部分，按顺序。
    #[serde(default)]
    pub parts: Vec<Part>,
    /// 各表，按顺序编号。
    #[serde(default)]
    pub tables: Vec<TableSpec>,
    /// 部门决算：决算与年初预算的差异须说明原因的门槛。
    #[serde(default)]
    pub differences: Differences,
}

fn default_subject() -> String {
    "{year}年部门预算信息公开情况说明".to_string()
}

fn default_main() -> String {
    "main.typ".to_string()
}

fn default_parts_file() -> String {
    "parts.typ".to_string()
}

/// 文件种类。
///
/// A kind names what the data file holds and which figures the tables'
/// selectors may use; the parts and tables are the profile's own data for
/// every kind. A 部门决算 (`final`) is read from a 决算 file and its linked
/// budget (`model::final_accounts`); its profile is an ordinary
/// profile.toml whose `final` tables read the 决算 figures and whose
/// `classified` tables sum the final line items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum DocumentKind {
    /// 部门预算。
    #[serde(rename = "budget")]
    Budget,
    /// 部门决算：决算数据文件（`[final_accounts]`），连同它所决算的预算文件。
    #[serde(rename = "final")]
    Final,
}

impl DocumentKind {
    /// The word in the profile file and the view: `budget`, `final`.
    pub fn word(self) -> &'static str {
        match self {
            DocumentKind::Budget => "budget",
            DocumentKind::Final => "final",
        }
    }

    /// The keywords a document of this kind carries when its profile names none.
    pub fn keywords(self) -> Vec<String> {
        let words: [&str; 2] = match self {
            DocumentKind::Budget => ["部门预算", "预算公开"],
            DocumentKind::Final => ["部门决算", "决算公开"],
        };
        words.iter().map(|w| w.to_string()).collect()
    }

    /// 部门预算、部门决算: how messages name the kind.
    pub fn chinese(self) -> &'static str {
        match self {
            DocumentKind::Budget => "部门预算",
            DocumentKind::Final => "部门决算",
        }
    }

    /// The bundled profile a file of this kind uses when it names none.
    pub fn default_profile(self) -> &'static str {
        match self {
            DocumentKind::Budget => DEFAULT_NAME,
            DocumentKind::Final => FINAL_NAME,
        }
    }
}

/// 决算与预算比较的规则（部门决算的样式用）。
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Differences {
    /// 决算数与年初预算相差超过年初预算的这个百分数时，须写明原因；缺省 10。
    #[serde(default = "ten")]
    pub reason_threshold: Decimal,
}

fn ten() -> Decimal {
    Decimal::from(10)
}

impl Default for Differences {
    fn default() -> Differences {
        Differences { reason_threshold: ten() }
    }
}

/// 正文与表格的数字格式。
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Numbers {
    /// 正文中的金额。
    #[serde(default = "NumberFormat::text")]
    pub text: NumberFormat,
    /// 表中的金额（各表可另行指定）。
    #[serde(default = "NumberFormat::table")]
    pub table: NumberFormat,
}

impl Default for Numbers {
    fn default() -> Numbers {
        Numbers { text: NumberFormat::text(), table: NumberFormat::table() }
    }
}

/// 金额单位。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum MoneyUnit {
    #[serde(rename = "万元")]
    Wan,
    #[serde(rename = "元")]
    Yuan,
}

impl MoneyUnit {
    pub fn label(self) -> &'static str {
        match self {
            MoneyUnit::Wan => "万元",
            MoneyUnit::Yuan => "元",
        }
    }

    /// Amounts are held in 万元; this is the factor to the unit shown.
    pub fn factor(self) -> Decimal {
        match self {
            MoneyUnit::Wan => Decimal::ONE,
            MoneyUnit::Yuan => Decimal::from(10_000),
        }
    }
}

/// 金额的显示方式：单位、小数位、是否去掉末尾的 0、是否加千位分隔符。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NumberFormat {
    pub unit: MoneyUnit,
    #[serde(default = "two")]
    pub decimals: u32,
    #[serde(default)]
    pub trim_zeros: bool,
    #[serde(default)]
    pub separator: bool,
}

fn two() -> u32 {
    2
}

impl NumberFormat {
    /// 正文的缺省：696.6（万元，末尾的 0 去掉）。
    pub const fn text() -> NumberFormat {
        NumberFormat { unit: MoneyUnit::Wan, decimals: 2, trim_zeros: true, separator: false }
    }

    /// 表格的缺省：696.60（万元，两位小数）。
    pub const fn table() -> NumberFormat {
        NumberFormat { unit: MoneyUnit::Wan, decimals: 2, trim_zeros: false, separator: false }
    }

    /// The same format with every decimal shown: the table form of a text format.
    pub fn fixed(self) -> NumberFormat {
        NumberFormat { trim_zeros: false, ..self }
    }
}

/// 国有资产的统计口径。
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AssetRules {
    /// 统计的设备单价门槛（万元）。
    #[serde(default = "twenty")]
    pub equipment_threshold: Decimal,
    /// 车辆类别，按此顺序列出；数据中的类别须在其中。
    #[serde(default)]
    pub vehicle_kinds: Vec<String>,
}

fn twenty() -> Decimal {
    Decimal::from(20)
}

impl Default for AssetRules {
    fn default() -> AssetRules {
        AssetRules { equipment_threshold: twenty(), vehicle_kinds: Vec::new() }
    }
}

/// 文件的一部分。
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Part {
    /// 模板中的名字。
    pub id: String,
    /// 目录与提示中的名称。
    pub title: String,
    /// 是否列入目录并编号。
    #[serde(default = "yes")]
    pub in_contents: bool,
    /// 这一部分要印出的数据字段（字段路径）。
    #[serde(default)]
    pub requires: Vec<String>,
    /// 这一部分印出的正文表格，按先后：units（机构设置表）、projects（各项目绩效目标表）、
    /// assets（固定资产占用情况表）、evaluations（各项目绩效自评表）。正文中的表按各部分
    /// 的先后连续编号（表1、表2……），删去或挪动一部分，表号随之而变。
    #[serde(default)]
    pub numbered: Vec<String>,
}

/// The kinds of table a part may print numbered in the body.
pub const NUMBERED_KINDS: [&str; 4] = ["units", "projects", "assets", "evaluations"];

/// The 表N of every numbered body table, by the order of the parts that
/// print them: each kind's first number (and for `projects` and
/// `evaluations` the numbers that follow, one per table). 0: not printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TableNumbers {
    pub units: usize,
    pub projects: usize,
    pub assets: usize,
    pub evaluations: usize,
}

impl Profile {
    /// Numbers the body tables in part order, `projects` and `evaluations`
    /// tables counting as many as there are. A profile that says nothing
    /// numbers as the 部门预算 always has: 表1 units, then the projects,
    /// then assets.
    pub fn table_numbers(&self, projects: usize, evaluations: usize) -> TableNumbers {
        let declared: Vec<&str> =
            self.parts.iter().flat_map(|p| p.numbered.iter().map(String::as_str)).collect();
        let order: Vec<&str> =
            if declared.is_empty() { vec!["units", "projects", "assets"] } else { declared };
        let mut n = TableNumbers::default();
        let mut next = 1;
        for kind in order {
            let (slot, count) = match kind {
                "units" => (&mut n.units, 1),
                "projects" => (&mut n.projects, projects),
                "assets" => (&mut n.assets, 1),
                "evaluations" => (&mut n.evaluations, evaluations),
                _ => continue,
            };
            *slot = next;
            next += count;
        }
        n
    }
}

fn yes() -> bool {
    true
}

/// 表样。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// 按科目逐级汇总。
    Classified,
    /// 左收入、右支出。
    Ledger,
    /// 一行数字（“三公”经费等）。
    Figures,
    /// 财预〔2016〕143号的九张表样原样。
    Form143,
    /// 部门决算的九张表样（form 1—9），由决算数据推算。
    Final,
}

/// classified 表的行：按哪种科目分类。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Rows {
    /// 支出功能分类：类、款、项。
    #[default]
    Function,
    /// 部门预算支出经济分类：类、款。
    Economic,
}

/// 科目编码写在一列，或分列为类、款、项。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Codes {
    #[default]
    Joined,
    Split,
}

/// 合计行的位置。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum TotalAt {
    #[default]
    Top,
    Bottom,
}

/// 一张表的说明。哪些键有意义取决于 layout，`source::profile` 逐一核对。
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    pub id: String,
    pub layout: Layout,
    /// 表名；{year}、{previous_year} 换成年度。
    pub title: String,
    /// form143：表样序号 1—9。
    #[serde(default)]
    pub form: Option<u8>,
    /// classified：行的分类。
    #[serde(default)]
    pub rows: Rows,
    /// 计入本表的预算明细（写法同列的 sum），缺省为全部。
    #[serde(default)]
    pub filter: Option<String>,
    /// 金额单位、小数位与千位分隔符，缺省用 [numbers.table]。
    #[serde(default)]
    pub unit: Option<MoneyUnit>,
    #[serde(default)]
    pub decimals: Option<u32>,
    #[serde(default)]
    pub separator: Option<bool>,
    #[serde(default)]
    pub landscape: bool,
    /// 金额列上方的总标题。
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub codes: Codes,
    #[serde(default)]
    pub total: TotalAt,
    /// 空表说明；缺省“本部门{year}年无……，故本表为空表。”
    #[serde(default)]
    pub empty_note: Option<String>,
    /// classified、figures：金额列；ledger：支出栏的各列。
    #[serde(default)]
    pub columns: Vec<ColumnSpec>,
    /// ledger：收入栏各行。
    #[serde(default)]
    pub income: Vec<LineSpec>,
    /// ledger：支出栏各列（与 columns 同义，写法更直观）。
    #[serde(default)]
    pub spending: Vec<ColumnSpec>,
    #[serde(default)]
    pub income_head: Option<String>,
    #[serde(default)]
    pub spending_head: Option<String>,
    /// ledger：合计行左右两格的文字。
    #[serde(default)]
    pub total_labels: Option<[String; 2]>,
}

/// 一列金额。
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ColumnSpec {
    pub label: String,
    /// 计入这一列的预算明细。
    pub sum: String,
    /// 表头中这一列之上的各级标题，由外到内。
    #[serde(default)]
    pub group: Vec<String>,
}

/// ledger 收入栏的一行。
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LineSpec {
    pub label: String,
    pub sum: String,
    #[serde(default)]
    pub indent: usize,
}

impl Profile {
    /// The number format of a table: its own keys over [numbers.table].
    pub fn table_format(&self, t: &TableSpec) -> NumberFormat {
        let base = self.numbers.table;
        NumberFormat {
            unit: t.unit.unwrap_or(base.unit),
            decimals: t.decimals.unwrap_or(base.decimals),
            separator: t.separator.unwrap_or(base.separator),
            trim_zeros: false,
        }
    }

    /// Whether the profile prints a part.
    pub fn has_part(&self, id: &str) -> bool {
        self.parts.iter().any(|p| p.id == id)
    }

    /// “上海市区级部门预算”（shanghai）: how messages name the profile.
    pub fn label(&self) -> String {
        format!("“{}”（{}）", self.title, self.name)
    }
}

/// `{year}` and `{previous_year}` in a title or note.
pub fn fill_year(s: &str, year: i32) -> String {
    s.replace("{year}", &year.to_string()).replace("{previous_year}", &(year - 1).to_string())
}

/// What a column (or a table's filter) adds up: one or more terms, all of
/// which a line item must satisfy (`一般公共预算+basic`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector(pub Vec<Term>);

/// One condition of a selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term {
    All,
    Basic,
    Personnel,
    Public,
    Project,
    /// 财政拨款：一般公共预算、政府性基金、国有资本经营。
    Appropriation,
    /// 按资金性质：上年结转计入原来源。
    Fund(crate::model::lineitems::Source),
    /// 只计上年结转。
    Carryover,
    /// A figure of the narrative (figures layout only).
    Figure(Figure),
}

/// The narrative's figures a `figures` table may show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Sangong,
    Overseas,
    Reception,
    Vehicle,
    VehiclePurchase,
    VehicleOperation,
    Operating,
}

/// Every word a selector may use, for messages.
pub const SELECTOR_WORDS: &str = "all、basic、personnel、public、project、appropriation、资金来源名称（一般公共预算、政府性基金、国有资本经营、财政专户、事业收入、事业单位经营收入、其他收入、上年结转）";

impl Selector {
    /// Reads `a+b`; the error names the word not understood.
    pub fn parse(s: &str) -> Result<Selector, String> {
        let terms = s.split('+').map(|w| term(w.trim())).collect::<Result<Vec<_>, _>>()?;
        Ok(Selector(terms))
    }

    /// Whether every term is a narrative figure (a `figures` column) or none is.
    pub fn figure(&self) -> Option<Figure> {
        match self.0.as_slice() {
            [Term::Figure(f)] => Some(*f),
            _ => None,
        }
    }

    pub fn has_figure(&self) -> bool {
        self.0.iter().any(|t| matches!(t, Term::Figure(_)))
    }
}

impl Selector {
    /// Whether a line item counts in this selector: every term holds.
    pub fn matches(&self, i: &crate::model::lineitems::Item<'_>) -> bool {
        self.0.iter().all(|t| t.matches(i))
    }

    /// A selector already checked when the profile was read; an unreadable
    /// one (impossible after the checks) selects nothing rather than
    /// panicking.
    pub fn lenient(s: &str) -> Selector {
        Selector::parse(s).unwrap_or(Selector(vec![]))
    }
}

impl Term {
    fn matches(self, i: &crate::model::lineitems::Item<'_>) -> bool {
        use crate::model::lineitems::{Kind, Source};
        match self {
            Term::All => true,
            Term::Basic => i.kind.is_basic(),
            Term::Personnel => i.kind == Kind::Personnel,
            Term::Public => i.kind == Kind::Public,
            Term::Project => !i.kind.is_basic(),
            Term::Appropriation => i.fund.is_appropriation(),
            Term::Fund(s) => i.fund == s,
            Term::Carryover => i.source == Source::Carryover,
            Term::Figure(_) => false,
        }
    }
}

fn term(w: &str) -> Result<Term, String> {
    use crate::model::lineitems::Source;
    Ok(match w {
        "all" => Term::All,
        "basic" => Term::Basic,
        "personnel" => Term::Personnel,
        "public" => Term::Public,
        "project" => Term::Project,
        "appropriation" => Term::Appropriation,
        "上年结转" => Term::Carryover,
        "sangong" => Term::Figure(Figure::Sangong),
        "sangong.overseas" => Term::Figure(Figure::Overseas),
        "sangong.reception" => Term::Figure(Figure::Reception),
        "sangong.vehicle" => Term::Figure(Figure::Vehicle),
        "sangong.vehicle_purchase" => Term::Figure(Figure::VehiclePurchase),
        "sangong.vehicle_operation" => Term::Figure(Figure::VehicleOperation),
        "operating" => Term::Figure(Figure::Operating),
        other => match Source::parse(other) {
            Some(s) => Term::Fund(s),
            None => return Err(format!("不认识“{other}”")),
        },
    })
}

/// The default profile (the seed's shape), as bundled.
pub fn default_profile() -> Profile {
    toml::from_str(DEFAULT_TEXT).expect("the bundled default profile parses")
}

/// The text of the bundled default profile.
pub const DEFAULT_TEXT: &str = include_str!("../../templates/hebei/profile.toml");

/// The name of the default profile.
pub const DEFAULT_NAME: &str = "hebei";

/// The name of the bundled 部门决算 profile.
pub const FINAL_NAME: &str = "hebei-final";
