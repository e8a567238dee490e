//! 数据的字段：每张表有哪些键、中文名称、类型、是否必填，以及字段路径。
//!
//! This is the one table of field keys and their Chinese names: schema
//! messages, checks and the data-field diff all take their labels from it,
//! so a field is called the same everywhere. The tables mirror `model` by
//! hand; `source::schema`'s tests compare them with serde's field lists.

/// What a key holds.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// 文字（字符串）。
    Text,
    /// 整数（年度）。
    Int,
    /// 金额：数字，或写成字符串的数字。
    Amount,
    /// 日期，如 2020-12-31。
    Date,
    /// true 或 false。
    Bool,
    /// 数组，各项同一类型。
    List(&'static Kind),
    /// 表（`[a]` 或 `{ … }`）。
    Table(&'static [Field]),
}

/// One key of a table.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub key: &'static str,
    /// 中文名称，用于提示。
    pub label: &'static str,
    pub kind: Kind,
    pub required: bool,
}

const fn req(key: &'static str, label: &'static str, kind: Kind) -> Field {
    Field { key, label, kind, required: true }
}

const fn opt(key: &'static str, label: &'static str, kind: Kind) -> Field {
    Field { key, label, kind, required: false }
}

use Kind::{Amount as Money, Bool, Date, Int, List, Table, Text};

const TEXTS: Kind = List(&Text);

pub const DOCUMENT: &[Field] = &[
    req("year", "预算年度", Int),
    req("department", "部门全称", Text),
    opt("short_name", "部门简称", Text),
    req("code", "部门编码", Text),
    opt("legal_basis", "公开依据", TEXTS),
    opt("unit", "金额单位", Text),
    opt("date", "公开日期", Date),
    opt("table_unit", "附表金额单位", Text),
    opt("profile", "样式", Text),
    opt("region", "地区", Text),
    opt("sample", "样例", Bool),
];

pub const DUTIES: &[Field] = &[req("intro", "职责引言", Text), opt("items", "各条职责", TEXTS)];

pub const UNIT: &[Field] = &[
    req("name", "单位名称", Text),
    opt("code", "单位编码", Text),
    req("nature", "单位性质", Text),
    req("rank", "单位规格", Text),
    req("funding", "经费保障形式", Text),
];

pub const INCOME: &[Field] = &[
    opt("general_budget", "一般公共预算收入", Money),
    opt("government_fund", "政府性基金预算收入", Money),
    opt("special_account", "财政专户核拨收入", Money),
    opt("other", "其他来源收入", Money),
    opt("carryover", "上年结转", Money),
    opt("state_capital", "国有资本经营预算收入", Money),
    opt("institution", "事业收入", Money),
    opt("institution_business", "事业单位经营收入", Money),
    opt("stated_total", "已公布的收入合计", Money),
];

pub const BASIC: &[Field] = &[
    // Required unless the file has line items: `lineitems::check` says so.
    opt("personnel", "人员经费", Money),
    opt("public", "日常公用经费", Money),
    opt("stated_total", "已公布的基本支出合计", Money),
];

pub const PROJECT_LINE: &[Field] = &[req("name", "项目名称", Text), opt("amount", "金额", Money)];

pub const EXPENDITURE: &[Field] = &[
    opt("basic", "基本支出", Table(BASIC)),
    opt("projects", "项目支出", List(&Table(PROJECT_LINE))),
    opt("stated_total", "已公布的支出合计", Money),
    opt("stated_projects", "已公布的项目支出合计", Money),
];

pub const STATED_CHANGES: &[Field] = &[
    opt("total", "收支总额增减", Money),
    opt("basic", "基本支出增减", Money),
    opt("projects", "项目支出增减", Money),
];

pub const PREVIOUS: &[Field] = &[
    req("basic", "上年基本支出", Money),
    req("projects", "上年项目支出", Money),
    opt("basic_reason", "基本支出增减原因", Text),
    opt("projects_reason", "项目支出增减原因", Text),
    opt("stated", "已公布的增减额", Table(STATED_CHANGES)),
    opt("appropriation", "上年财政拨款预算", Table(FUND_FIGURES)),
    opt("appropriation_reason", "财政拨款增减原因", Text),
];

pub const FUND_FIGURES: &[Field] = &[
    opt("general", "一般公共预算", Money),
    opt("fund", "政府性基金", Money),
    opt("capital", "国有资本经营", Money),
];

pub const OPERATING_COSTS: &[Field] = &[
    opt("amount", "机关运行经费", Money),
    opt("same_as_public", "与日常公用经费相同", Bool),
    opt("uses", "主要用途", TEXTS),
];

pub const SANGONG_FIGURES: &[Field] = &[
    opt("overseas", "因公出国（境）费", Money),
    opt("vehicle_purchase", "公务用车购置费", Money),
    opt("vehicle_operation", "公务用车运行维护费", Money),
    opt("reception", "公务接待费", Money),
    opt("stated_total", "已公布的“三公”经费合计", Money),
    opt("stated_vehicle", "已公布的公务用车购置及运维费", Money),
];

pub const SANGONG_REASONS: &[Field] = &[
    opt("overseas", "因公出国（境）费增减原因", Text),
    opt("vehicle", "公务用车购置及运维费增减原因", Text),
    opt("vehicle_purchase", "公务用车购置费增减原因", Text),
    opt("vehicle_operation", "公务用车运行维护费增减原因", Text),
    opt("reception", "公务接待费增减原因", Text),
];

pub const SANGONG: &[Field] = &[
    req("current", "本年“三公”经费", Table(SANGONG_FIGURES)),
    req("previous", "上年“三公”经费", Table(SANGONG_FIGURES)),
    opt("reasons", "增减原因", Table(SANGONG_REASONS)),
];

pub const TARGET: &[Field] = &[
    req("name", "分项名称", Text),
    req("goal", "绩效目标", Text),
    req("indicators", "绩效指标", Text),
];

pub const OVERALL: &[Field] = &[
    req("goal", "总体绩效目标", TEXTS),
    opt("targets", "分项绩效目标", List(&Table(TARGET))),
    opt("measures", "工作保障措施", TEXTS),
];

pub const INDICATOR: &[Field] = &[
    opt("level1", "一级指标", Text),
    req("level2", "二级指标", Text),
    req("level3", "三级指标", Text),
    opt("description", "指标描述", Text),
    req("value", "指标值", Text),
    opt("basis", "指标值确定依据", Text),
];

pub const PROJECT_TABLE: &[Field] = &[
    req("name", "项目名称", Text),
    opt("unit", "表头单位", Text),
    req("goals", "绩效目标", TEXTS),
    req("indicators", "绩效指标", List(&Table(INDICATOR))),
    opt("budget_line", "对应的项目支出", Text),
];

pub const PERFORMANCE: &[Field] = &[
    opt("overall", "部门整体绩效目标", Table(OVERALL)),
    opt("projects", "项目绩效目标表", List(&Table(PROJECT_TABLE))),
    opt("coverage", "绩效目标覆盖情况", Table(COVERAGE)),
];

pub const COVERAGE: &[Field] = &[
    opt("units", "开展编报的预算单位数", Int),
    opt("projects", "编报绩效目标的项目数", Int),
    opt("amount", "涉及的项目预算资金", Money),
];

pub const PROCUREMENT: &[Field] = &[
    opt("goods", "货物类", Money),
    opt("works", "工程类", Money),
    opt("services", "服务类", Money),
    opt("stated_total", "已公布的政府采购预算合计", Money),
    opt("sme_reserved", "面向中小企业预留", Money),
    opt("small_micro_reserved", "预留给小型和微型企业", Money),
];

pub const HOLDING: &[Field] = &[opt("quantity", "数量", Money), opt("value", "价值", Money)];

pub const VEHICLE_COUNT: &[Field] = &[req("kind", "车辆类别", Text), req("count", "数量", Int)];

pub const ASSETS: &[Field] = &[
    req("as_of", "统计截止日期", Date),
    opt("buildings", "房屋", Table(HOLDING)),
    opt("office_buildings", "办公用房", Table(HOLDING)),
    opt("vehicles", "车辆", Table(HOLDING)),
    opt("major_equipment", "单价在门槛以上的设备", Table(HOLDING)),
    opt("other", "其他固定资产", Table(HOLDING)),
    opt("vehicle_counts", "车辆按类别计数", List(&Table(VEHICLE_COUNT))),
    opt("equipment_count", "门槛以上设备台（套）数", Int),
    opt("planned_vehicle_counts", "拟购置车辆按类别计数", List(&Table(VEHICLE_COUNT))),
    opt("planned_equipment_count", "拟购置门槛以上设备台（套）数", Int),
    opt("planned_purchase", "拟购置固定资产总额", Money),
    opt("planned_note", "拟购置资产说明", Text),
    opt("stated_total", "已公布的资产总额", Money),
];

pub const APPROPRIATION_NOTE: &[Field] =
    &[req("function", "功能分类项级编码", Text), req("note", "说明", Text)];

pub const PROJECT_DETAIL: &[Field] = &[
    req("name", "项目名称", Text),
    req("overview", "项目概述", Text),
    req("basis", "立项依据", Text),
    req("implementer", "实施主体", Text),
    req("plan", "实施方案", Text),
    req("period", "实施周期", Text),
    opt("budget_note", "年度预算安排的补充说明", Text),
    req("goal", "绩效目标", Text),
];

pub const TERM: &[Field] = &[req("term", "名词", Text), req("definition", "解释", Text)];

/// The whole file.
pub const BUDGET: &[Field] = &[
    req("document", "文件身份", Table(DOCUMENT)),
    req("duties", "部门职责", Table(DUTIES)),
    req("units", "机构设置", List(&Table(UNIT))),
    opt("income", "收入预算", Table(INCOME)),
    opt("expenditure", "支出预算", Table(EXPENDITURE)),
    req("previous", "上年预算数", Table(PREVIOUS)),
    req("operating_costs", "机关运行经费", Table(OPERATING_COSTS)),
    req("sangong", "“三公”经费", Table(SANGONG)),
    opt("performance", "预算绩效信息", Table(PERFORMANCE)),
    opt("procurement", "政府采购预算", Table(PROCUREMENT)),
    req("assets", "国有资产占用情况", Table(ASSETS)),
    opt("glossary", "名词解释", List(&Table(TERM))),
    opt("other_matters", "其他需要说明的事项", TEXTS),
    opt("appropriation_notes", "财政拨款支出主要内容", List(&Table(APPROPRIATION_NOTE))),
    opt("project_details", "项目经费情况说明", List(&Table(PROJECT_DETAIL))),
    opt("line_items", "预算明细", List(&Table(LINE_ITEM))),
    opt("todo", "草稿待办", Table(TODO)),
];

pub const TODO_FIELD: &[Field] = &[req("field", "字段路径", Text), opt("was", "沿用的原值", Text)];

pub const TODO: &[Field] = &[
    opt("from_year", "草稿所据年度", Int),
    opt("fields", "待更新的字段", List(&Table(TODO_FIELD))),
];

pub const LINE_ITEM: &[Field] = &[
    opt("unit", "单位", Text),
    req("function", "功能分类科目编码", Text),
    opt("function_name", "功能分类项级名称", Text),
    opt("economic", "经济分类科目编码", Text),
    opt("economic_name", "经济分类款名称", Text),
    opt("source", "资金来源", Text),
    opt("carried_from", "上年结转资金的来源", Text),
    opt("basic", "基本支出类别", Text),
    opt("project", "项目名称", Text),
    req("amount", "金额", Money),
];

/// One step of a field path such as `performance.projects[2].indicators[4]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// The steps of a dotted field path with `[n]` indices: the one parser of
/// field paths (locating spans, telling written fields, labelling).
pub fn segments(path: &str) -> Vec<Seg<'_>> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut pieces = part.split('[');
        if let Some(key) = pieces.next().filter(|k| !k.is_empty()) {
            out.push(Seg::Key(key));
        }
        for idx in pieces {
            if let Ok(i) = idx.trim_end_matches(']').parse() {
                out.push(Seg::Index(i));
            }
        }
    }
    out
}

/// The field a chain of keys names, walking the tables from the file's top.
/// List indices are skipped: every element of a list has the same fields.
pub fn field<'a, I: IntoIterator<Item = &'a str>>(keys: I) -> Option<&'static Field> {
    let mut fields = BUDGET;
    let mut found = None;
    for key in keys {
        let f = fields.iter().find(|f| f.key == key)?;
        found = Some(f);
        fields = match element(f.kind) {
            Kind::Table(inner) => inner,
            _ => &[],
        };
    }
    found
}

/// What one element of a field holds: a list's element kind, else itself.
fn element(kind: Kind) -> Kind {
    match kind {
        Kind::List(inner) => element(*inner),
        other => other,
    }
}

/// The Chinese name of the field at `path`, `None` for an unknown path.
pub fn label_of(path: &str) -> Option<&'static str> {
    let keys = segments(path).into_iter().filter_map(|s| match s {
        Seg::Key(k) => Some(k),
        Seg::Index(_) => None,
    });
    field(keys).map(|f| f.label)
}

/// The name of a key wherever it first stands in the tables, for keys
/// shown out of their place (the fields of a removed list element).
pub fn label_anywhere(key: &str) -> Option<&'static str> {
    fn search(fields: &'static [Field], key: &str, depth: usize) -> Option<&'static str> {
        let here = fields.iter().find(|f| f.key == key).map(|f| f.label);
        here.or_else(|| {
            (depth < 8).then(|| {
                fields.iter().find_map(|f| match element(f.kind) {
                    Kind::Table(inner) => search(inner, key, depth + 1),
                    _ => None,
                })
            })?
        })
    }
    search(BUDGET, key, 0)
}

/// Where a key stands among its siblings in the tables (document order),
/// for listing changes in the order a reader meets them.
pub fn rank_of(parent: &[&str], key: &str) -> usize {
    let fields = match parent.is_empty() {
        true => BUDGET,
        false => match field(parent.iter().copied()).map(|f| element(f.kind)) {
            Some(Kind::Table(inner)) => inner,
            _ => &[],
        },
    };
    fields.iter().position(|f| f.key == key).unwrap_or(fields.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_follow_the_path() {
        assert_eq!(label_of("income.other"), Some("其他来源收入"));
        assert_eq!(label_of("assets.other"), Some("其他固定资产"));
        assert_eq!(label_of("performance.projects[2].indicators[4].value"), Some("指标值"));
        assert_eq!(label_of("assets.buildings.value"), Some("价值"));
        assert_eq!(label_of("income.nope"), None);
    }

    #[test]
    fn paths_split_into_keys_and_indices() {
        let s = segments("b[0].y[1].z");
        assert_eq!(
            s,
            vec![Seg::Key("b"), Seg::Index(0), Seg::Key("y"), Seg::Index(1), Seg::Key("z")]
        );
    }

    #[test]
    fn ranks_are_document_order() {
        assert!(rank_of(&[], "document") < rank_of(&[], "income"));
        assert!(rank_of(&["income"], "general_budget") < rank_of(&["income"], "carryover"));
        assert_eq!(rank_of(&[], "unknown"), BUDGET.len());
    }
}
