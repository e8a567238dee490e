//! 新部门的第一个数据文件（`yusuan init`）：每个必填的部分都写出来，文字标着
//! “【待填写】”并带一句说明，金额先写 0，全部记入 `[todo]`。
//!
//! The file checks without errors as written (every sum is 0 = 0), so the
//! officer can preview it at once and watch the 待办 shrink; the `[todo]`
//! entries close as the fields are filled, by the same rule as a rolled-over
//! draft's. What a profile requires is written for that profile: the
//! bundled profiles' skeletons are held by a test to check clean.

use toml_edit::DocumentMut;

use crate::model::todo::{MARKS, TodoField};

/// Who and what the new file is for.
#[derive(Debug, Clone)]
pub struct Start {
    pub year: i32,
    pub department: String,
    pub code: String,
    /// `None`: the default profile.
    pub profile: Option<String>,
    pub region: Option<String>,
    /// Units besides the department itself.
    pub units: Vec<String>,
}

/// The profiles `init` knows the shape of.
pub const PROFILES: [&str; 2] = ["hebei", "shanghai"];

/// The new file's text, or why it cannot be written.
pub fn skeleton(s: &Start) -> Result<String, String> {
    let shanghai = match s.profile.as_deref() {
        None | Some("hebei") => false,
        Some("shanghai") => true,
        Some(other) => {
            return Err(format!(
                "yusuan init 只会写出随程序提供的样式（{}）的文件，不认得“{other}”；\
                 可先按 hebei 写出，再在 [document] 中写 profile = \"{other}\"，\
                 yusuan check 会列出该样式还要求的字段",
                PROFILES.join("、")
            ));
        }
    };
    let mut text = head(s, shanghai);
    text.push_str(&units(s));
    if !shanghai {
        text.push_str(INCOME);
    }
    text.push_str(&money(s.year));
    text.push_str(&if shanghai { shanghai_parts(s.year) } else { hebei_parts() });
    text.push_str(&assets(s.year, shanghai));
    if shanghai {
        text.push_str(PLACEHOLDER_ITEM);
    }
    let mut doc: DocumentMut =
        text.parse().map_err(|e| format!("内部错误：写出的文件不是 TOML：{e}"))?;
    crate::model::todo::write(&mut doc, None, &todo(shanghai, s.units.len()));
    Ok(doc.to_string())
}

fn quoted(s: &str) -> String {
    toml_edit::Value::from(s.trim()).to_string()
}

/// A text to fill in: the mark, then what to write.
fn fill(hint: &str) -> String {
    quoted(&format!("{}{hint}", MARKS[0]))
}

fn head(s: &Start, shanghai: bool) -> String {
    let (y, d) = (s.year, s.department.trim());
    let mut h = format!(
        "# {d}{y}年部门预算数据，由 yusuan init 写出。\n\
         #\n\
         # 必填的各项都已写出：文字标着“{mark}”，后面是一句说明，请整句换成本部门的内容；\n\
         # 金额先写 0，请填本年度的数（单位万元）。文件末尾的 [todo] 记着这些待办，改好一项，\n\
         # 它的条目自动完成；还有待办时 yusuan build 只生成带“草稿”水印的 PDF。\n\
         # yusuan check 按部分列出还剩什么。编号、合计、增减额由程序推算，不要写。\n\
         # 字段说明见 docs/data-format.md 第 3 节；收支数字也可以从预算系统的 Excel 导出\n\
         # 用 yusuan import 写入（docs/import.md）。\n\n",
        mark = MARKS[0]
    );
    if shanghai {
        // Top-level keys come before the first table. The profile prints
        // tables summed from line items, which `yusuan import` writes here.
        h.push_str(
            "# 财政拨款支出主要内容与项目经费情况说明：按预算明细中的项、项目逐条填写\n\
             # （见 docs/data-format.md 3.19 节）。\n\
             appropriation_notes = []\nproject_details = []\n\n",
        );
    }
    let _ = std::fmt::Write::write_fmt(
        &mut h,
        format_args!(
            "[document]\nyear = {y}\ndepartment = {}\n\
             # short_name = \"简称\"  # 用于表格的“编制部门”，不写时用全称\n\
             code = {}\n",
            quoted(d),
            quoted(&s.code)
        ),
    );
    if shanghai {
        h.push_str("profile = \"shanghai\"\n");
        let region =
            s.region.as_deref().map_or_else(|| fill("地区，如“上海市××区”，印在封面"), quoted);
        h.push_str(&format!("region = {region}\n"));
    } else {
        h.push_str(&format!(
            "legal_basis = [\"中华人民共和国预算法\", \"地方预决算公开操作规程\", {}]\n",
            fill("本省（市）的预算公开办法，不带书名号；没有的删去这一项")
        ));
    }
    h.push_str(&format!(
        "\n[duties]\nintro = {}\nitems = [\n  {},\n]\n\n",
        fill("部门职责的引言，如“××局是县政府工作部门，主要职责是：”"),
        fill("第一条职责，不写编号，句末写“；”，最后一条写“。”；每条一个字符串")
    ));
    h
}

fn units(s: &Start) -> String {
    let one = |name: &str, code: Option<&str>| {
        let code = code.map(|c| format!("code = {}\n", quoted(c))).unwrap_or_default();
        format!(
            "[[units]]\nname = {}\n{code}nature = {}\nrank = {}\nfunding = {}\n\n",
            quoted(name),
            fill("单位性质，如“行政”“参公事业”“全额事业”"),
            fill("单位规格，如“正科级”"),
            fill("经费保障形式，如“财政拨款”")
        )
    };
    let mut out = String::from("# 机构设置：第一个单位是部门本级；每个下属单位一段 [[units]]。\n");
    out.push_str(&one(&s.department, Some(&s.code)));
    for u in &s.units {
        out.push_str(&one(u, None));
    }
    out
}

/// Income and spending written as figures (the default profile's way; a
/// file with line items derives them).
const INCOME: &str = "\
# 收入预算（万元）。有预算明细 [[line_items]] 时这两节可以删去，由明细推算。
[income]
general_budget = 0   # 一般公共预算收入
government_fund = 0  # 政府性基金预算收入
special_account = 0  # 财政专户核拨收入
other = 0            # 其他来源收入
carryover = 0        # 上年结转

# 支出预算（万元）：基本支出；项目支出每个项目一段 [[expenditure.projects]]（name、amount）。
[expenditure.basic]
personnel = 0        # 人员经费
public = 0           # 日常公用经费

";

/// The shanghai profile prints tables summed from line items, so the file
/// starts with one, to be replaced by the imported ones.
const PLACEHOLDER_ITEM: &str = "
# 预算明细：用 yusuan import 从预算系统的导出写入（导入的明细替换下面这一条）。
# 下面这一条只是占位，好让草稿能排版预览：功能分类请换成本部门的项。
[[line_items]]
function = \"2010301\"
economic = \"30101\"
basic = \"人员经费\"
amount = 0
";

/// Last year's figures, 三公: the amounts start at 0 and balance.
fn money(year: i32) -> String {
    format!(
        "# {prev}年预算数（万元），以及本年增减的原因（一个短语，不带句号）。\n\
         [previous]\n\
         basic = 0\n\
         projects = 0\n\
         basic_reason = \"\"\n\
         projects_reason = \"\"\n\n\
         # 财政拨款“三公”经费（万元）：本年与{prev}年，没有的写 0。\n\
         [sangong.current]\n\
         overseas = 0\n\
         vehicle_purchase = 0\n\
         vehicle_operation = 0\n\
         reception = 0\n\n\
         [sangong.previous]\n\
         overseas = 0\n\
         vehicle_purchase = 0\n\
         vehicle_operation = 0\n\
         reception = 0\n\n",
        prev = year - 1
    )
}

fn hebei_parts() -> String {
    format!(
        "[sangong.reasons]\noverseas = \"\"\nvehicle = \"\"\nreception = \"\"\n\n\
         # 机关运行经费：金额缺省等于日常公用经费；主要用途逐项列出。\n\
         [operating_costs]\nuses = [{}]\n\n\
         [performance.overall]\ngoal = [{}]\n\n\
         # 项目绩效目标表：每个项目一段 [[performance.projects]]（name、goals、indicators），\n\
         # 写法见 docs/data-format.md 3.11 节。\n\n\
         # 政府采购预算（万元），没有的写 0。\n\
         [procurement]\ngoods = 0\nworks = 0\nservices = 0\n\n",
        fill("主要用途，如“办公费”“水电费”，每项一个字符串"),
        fill("部门整体绩效目标，一段一个字符串")
    )
}

fn shanghai_parts(year: i32) -> String {
    format!(
        "[sangong.reasons]\noverseas = \"\"\nvehicle = \"\"\nvehicle_purchase = \"\"\n\
         vehicle_operation = \"\"\nreception = \"\"\n\n\
         # 机关运行经费（万元）：行政单位和参公事业单位的日常公用经费。\n\
         [operating_costs]\namount = 0\n\n\
         # 政府采购预算（万元）。\n\
         [procurement]\ngoods = 0\nworks = 0\nservices = 0\n\n\
         # 绩效目标覆盖：开展编报的单位数、编报绩效目标的项目数与涉及的项目预算（万元）。\n\
         [performance.coverage]\nunits = 0\nprojects = 0\namount = 0\n\n\
         # {prev}年财政拨款预算（万元），编制说明据此写“比{prev}年预算增加／减少”。\n\
         [previous.appropriation]\ngeneral = 0\nfund = 0\ncapital = 0\n\n\
         [[glossary]]\nterm = {}\ndefinition = {}\n\n",
        fill("名词，如“财政拨款收入”"),
        fill("名词的解释，一句完整的话"),
        prev = year - 1
    )
}

fn assets(year: i32, shanghai: bool) -> String {
    let as_of = format!("{}-12-31", year - 1);
    if shanghai {
        return format!(
            "# 国有资产：截止日期，车辆按类别计数（类别见样式），单价 100 万元以上的设备台（套）数；\n\
             # 本年预算安排购置的车辆与设备，没有的写空表和 0。\n\
             [assets]\nas_of = {as_of}\nvehicle_counts = []\nequipment_count = 0\n\
             planned_vehicle_counts = []\nplanned_equipment_count = 0\n"
        );
    }
    format!(
        "# 国有资产：截至 {as_of}。quantity 是面积（平方米）、辆数或台（套）数，value 是价值（万元）。\n\
         [assets]\n\
         as_of = {as_of}\n\
         buildings = {{ quantity = 0, value = 0 }}         # 房屋\n\
         office_buildings = {{ quantity = 0, value = 0 }}  # 其中办公用房\n\
         vehicles = {{ quantity = 0, value = 0 }}          # 车辆\n\
         major_equipment = {{ quantity = 0, value = 0 }}   # 单价 20 万元以上的设备\n\
         other = {{ value = 0 }}                           # 其他固定资产\n"
    )
}

/// The file's 待办: every text to fill, and the amounts that cannot stay 0.
fn todo(shanghai: bool, extra_units: usize) -> Vec<TodoField> {
    let text = |f: &str| TodoField { field: f.to_string(), was: None };
    let zero = |f: &str| TodoField { field: f.to_string(), was: Some("0".to_string()) };
    let mut v = Vec::new();
    if shanghai {
        v.push(text("document.region"));
        v.push(zero("line_items[0].amount"));
    } else {
        v.push(text("document.legal_basis"));
    }
    v.extend([text("duties.intro"), text("duties.items")]);
    for u in 0..=extra_units {
        for k in ["nature", "rank", "funding"] {
            v.push(text(&format!("units[{u}].{k}")));
        }
    }
    if !shanghai {
        v.extend(
            ["income.general_budget", "expenditure.basic.personnel", "expenditure.basic.public"]
                .map(zero),
        );
    }
    v.extend(["previous.basic", "previous.projects"].map(zero));
    if shanghai {
        v.extend([zero("previous.appropriation.general"), zero("operating_costs.amount")]);
        v.extend([text("glossary[0].term"), text("glossary[0].definition")]);
    } else {
        v.extend([text("operating_costs.uses"), text("performance.overall.goal")]);
        for k in ["buildings", "office_buildings", "vehicles", "major_equipment"] {
            v.push(zero(&format!("assets.{k}.quantity")));
            v.push(zero(&format!("assets.{k}.value")));
        }
        v.push(zero("assets.other.value"));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(profile: Option<&str>) -> Start {
        Start {
            year: 2026,
            department: "示例县“农业”农村局".into(),
            code: "213001".into(),
            profile: profile.map(str::to_string),
            region: None,
            units: vec!["示例县农业技术推广站".into()],
        }
    }

    #[test]
    fn a_new_file_parses_and_every_required_text_is_an_open_item() {
        for p in [None, Some("shanghai")] {
            let text = skeleton(&start(p)).unwrap();
            let b: crate::model::Budget = toml::from_str(&text).expect("the skeleton parses");
            assert_eq!(b.document.department, "示例县“农业”农村局");
            assert!(!b.document.sample);
            assert_eq!(b.units.len(), 2);
            let open = crate::model::todo::open_count(&text);
            assert!(open >= 14, "{p:?}: {open} open items");
            assert!(!text.contains("from_year"), "{text}");
        }
    }

    #[test]
    fn an_unknown_profile_is_refused_in_words() {
        assert!(skeleton(&start(Some("guangdong"))).unwrap_err().contains("hebei、shanghai"));
    }
}
