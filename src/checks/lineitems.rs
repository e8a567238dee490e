//! 预算明细的核对：逐条的单位、科目、资金来源与金额，手填数字与明细合计的一致，以及附表之间的恒等式。

use std::collections::{BTreeMap, HashMap};

use crate::checks::catalogue as judge;
use crate::diag::Problem;
use crate::model::amount::{ABSURD, Amount, MAX_DECIMALS};
use crate::model::catalogue::{Catalogue, Scheme};
use crate::model::fields::label_of;
use crate::model::ledger;
use crate::model::lineitems::{
    INCOME_FIGURES, Source, Stated, Sums, absurd, absurd_sangong, income_figure, items, unit_index,
};
use crate::model::{Basic, Budget, LineItem};

/// Checks the line items and the figures they determine. Returns nothing
/// for a file without line items, beyond the figures it must then state.
pub fn check(b: &Budget) -> Vec<Problem> {
    let mut out = Vec::new();
    let r = &b.resolution;
    if b.line_items.is_empty() {
        for (path, label) in &r.missing {
            let key = path.rsplit('.').next().unwrap_or(path);
            out.push(
                Problem::error(path, format!("缺少必填字段“{key}”（{label}）")).expected(format!(
                    "写上 {key} = …；或者填写预算明细 [[line_items]]，由明细推算"
                )),
            );
        }
        return out;
    }
    lines(b, &mut out);
    out = collapse_repeats(out);
    if absurd(b) {
        return out;
    }
    stated(b, &mut out);
    sangong(b, &mut out);
    if !out.iter().any(Problem::is_error) && !absurd_sangong(b) {
        for m in ledger::consistency(b) {
            out.push(
                Problem::error("line_items", m)
                    .expected("附表之间互相一致（程序内部错误，请报告）"),
            );
        }
    }
    out
}

/// Each line item on its own.
fn lines(b: &Budget, out: &mut Vec<Problem>) {
    let cat = crate::source::catalogue::of(b);
    out.extend(judge::year_fallback(b.document.year, cat));
    let units = unit_labels(b);
    let names = first_names(b);
    let mut used_units = vec![false; b.units.len()];
    for (n, li) in b.line_items.iter().enumerate() {
        match unit_index(b, li.unit.as_deref()) {
            Some(u) => used_units[u] = true,
            None => out.push(unknown_unit(n, li, &units)),
        }
        line_function(cat, n, li, &names, out);
        line_kind(n, li, out);
        economic(cat, n, li, out);
        line_source(n, li, out);
        line_amount(n, li.amount, out);
    }
    for (u, used) in used_units.iter().enumerate() {
        if !used {
            out.push(Problem::warning(
                format!("units[{u}]"),
                format!("单位“{}”没有任何预算明细", b.units[u].name.trim()),
            ));
        }
    }
    match b.document.table_unit.as_deref().map(str::trim) {
        None | Some("万元" | "元") => {}
        Some(other) => out.push(
            Problem::error("document.table_unit", format!("附表金额单位“{other}”不支持"))
                .expected("“万元”或“元”"),
        ),
    }
}

/// The path of field `k` of line item `n`.
fn at(n: usize, k: &str) -> String {
    format!("line_items[{n}].{k}")
}

/// Each unit as a line item may name it: “name” or “name”或“code”.
fn unit_labels(b: &Budget) -> Vec<String> {
    b.units
        .iter()
        .map(|u| match &u.code {
            Some(c) => format!("“{}”或“{}”", u.name.trim(), c.trim()),
            None => format!("“{}”", u.name.trim()),
        })
        .collect()
}

/// One warning per message: a code the catalogue cannot confirm, used by 25
/// line items, is said once, at its first item, naming the other items —
/// not 25 times. Errors stay one per place: each must be fixed where it is.
fn collapse_repeats(problems: Vec<Problem>) -> Vec<Problem> {
    let mut out: Vec<Problem> = Vec::with_capacity(problems.len());
    let mut others: HashMap<String, (usize, Vec<String>)> = HashMap::new();
    for p in problems {
        if p.is_error() {
            out.push(p);
            continue;
        }
        match others.get_mut(&p.message) {
            Some((_, fields)) => fields.push(p.field),
            None => {
                others.insert(p.message.clone(), (out.len(), Vec::new()));
                out.push(p);
            }
        }
    }
    for (at, fields) in others.into_values().filter(|(_, f)| !f.is_empty()) {
        out[at].message.push_str(&also(&fields));
    }
    out
}

/// “（同样的还有 3 处：line_items[4]、line_items[9]、line_items[12]）”, at
/// most five named.
fn also(fields: &[String]) -> String {
    let named: Vec<&str> = fields.iter().take(5).map(String::as_str).collect();
    let more = if fields.len() > 5 { "等" } else { "" };
    format!("（同样的还有 {} 处：{}{more}）", fields.len(), named.join("、"))
}

/// 项 code → (name, first line that named it).
fn first_names(b: &Budget) -> HashMap<&str, (&str, usize)> {
    let mut names: HashMap<&str, (&str, usize)> = HashMap::new();
    for (n, li) in b.line_items.iter().enumerate() {
        if let Some(name) = li.function_name.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            names.entry(li.function.trim()).or_insert((name, n));
        }
    }
    names
}

fn unknown_unit(n: usize, li: &LineItem, units: &[String]) -> Problem {
    Problem::error(
        at(n, "unit"),
        format!("单位“{}”不在机构设置中", li.unit.as_deref().unwrap_or("").trim()),
    )
    .expected(format!("单位名称或编码：{}", units.join("、")))
}

/// The function code of one line item, and its 项 name: in the catalogue
/// or given somewhere, the same wherever given, and the catalogue's name
/// when the catalogue lists the 项.
fn line_function(
    cat: &Catalogue,
    n: usize,
    li: &LineItem,
    names: &HashMap<&str, (&str, usize)>,
    out: &mut Vec<Problem>,
) {
    let f = li.function.trim();
    let written = names.get(f).map(|(name, _)| *name);
    if let Some(p) = judge::code_named(Scheme::Function, f, written, &at(n, "function"), cat) {
        let blocking = p.is_error();
        out.push(p);
        if blocking {
            return;
        }
    }
    let listed = cat.entry(Scheme::Function, f);
    match (li.function_name.as_deref().map(str::trim).filter(|s| !s.is_empty()), names.get(f)) {
        (_, None) if listed.is_none() => out.push(
            Problem::error(at(n, "function"), format!("功能分类科目 {f} 没有写项级名称")).expected(
                format!(
                    "在这一条（或同一科目的第一条）写 function_name = \"…\"（{} 下的项名称）",
                    cat.name(Scheme::Function, &f[..5]).unwrap_or("")
                ),
            ),
        ),
        (Some(name), Some((_, line))) if *line == n => {
            let path = at(n, "function_name");
            out.extend(listed.and_then(|e| judge::name(Scheme::Function, f, name, e, &path, cat)));
        }
        (Some(name), Some((first, line))) if name != *first => out.push(
            Problem::error(
                at(n, "function_name"),
                format!("功能分类科目 {f} 的名称写作“{name}”，第 {} 条写作“{first}”", line + 1),
            )
            .expected(format!("同一科目用同一名称：“{first}”")),
        ),
        _ => {}
    }
}

/// Basic spending (人员经费 or 公用经费) or a named project — exactly one.
fn line_kind(n: usize, li: &LineItem, out: &mut Vec<Problem>) {
    let kind = (li.basic.as_deref().map(str::trim), li.project.as_deref().map(str::trim));
    match kind {
        (Some(_), Some(_)) => out.push(
            Problem::error(at(n, "project"), "同一条明细不能既是基本支出（basic）又是项目支出（project）")
                .expected("基本支出写 basic = \"人员经费\" 或 \"公用经费\"；项目支出写 project = \"项目名称\""),
        ),
        (None, None) => out.push(
            Problem::error(format!("line_items[{n}]"), "没有说明是基本支出还是项目支出")
                .expected("写 basic = \"人员经费\" 或 \"公用经费\"，或 project = \"项目名称\""),
        ),
        (Some(k), None) if k != "人员经费" && k != "公用经费" => out.push(
            Problem::error(at(n, "basic"), format!("基本支出类别“{k}”无法识别"))
                .expected("“人员经费”或“公用经费”"),
        ),
        (None, Some("")) => out.push(Problem::error(at(n, "project"), "项目名称为空")),
        _ => {}
    }
}

/// The source of one line item, and carried_from only on a carry-over.
fn line_source(n: usize, li: &LineItem, out: &mut Vec<Problem>) {
    match li.source.as_deref().map(|s| (s, Source::parse(s))) {
        Some((s, None)) => out.push(
            Problem::error(at(n, "source"), format!("资金来源“{}”无法识别", s.trim()))
                .expected(Source::ALL.map(Source::name).join("、")),
        ),
        Some((_, Some(Source::Carryover))) => {
            if let Some(c) = li.carried_from.as_deref() {
                match Source::parse(c) {
                    None | Some(Source::Carryover) => out.push(
                        Problem::error(at(n, "carried_from"), format!("上年结转资金的来源“{}”无法识别", c.trim()))
                            .expected("一般公共预算、政府性基金、国有资本经营、财政专户、事业收入、事业单位经营收入、其他收入"),
                    ),
                    _ => {}
                }
            }
        }
        _ if li.carried_from.is_some() => out.push(
            Problem::error(at(n, "carried_from"), "只有上年结转的明细才填写 carried_from")
                .expected("source = \"上年结转\"，或删去 carried_from"),
        ),
        _ => {}
    }
}

/// The amount of one line item: positive, plausible, to the 分.
fn line_amount(n: usize, a: Amount, out: &mut Vec<Problem>) {
    if a.0.is_sign_negative() && !a.is_zero() {
        out.push(Problem::error(at(n, "amount"), format!("金额 {a} 为负数")).expected("正数"));
    } else if a.is_zero() {
        out.push(Problem::warning(at(n, "amount"), "金额为 0 的明细不影响任何数字，可以删去"));
    } else if a.0 > rust_decimal::Decimal::from(ABSURD) {
        out.push(
            Problem::error(at(n, "amount"), crate::model::amount::absurd_message(&a.to_string()))
                .expected(crate::model::amount::absurd_expected()),
        );
    }
    if a.0.normalize().scale() > MAX_DECIMALS {
        out.push(
            Problem::error(at(n, "amount"), format!("金额 {a} 精确到了分以下"))
                .expected("最多 6 位小数（0.000001 万元即 1 分）"),
        );
    }
}

/// The economic classification of one line item.
fn economic(cat: &Catalogue, n: usize, li: &LineItem, out: &mut Vec<Problem>) {
    let basic = li.basic.as_deref().map(str::trim);
    let Some(code) = li.economic.as_deref().map(str::trim).filter(|c| !c.is_empty()) else {
        if basic.is_some() && li.project.is_none() {
            out.push(
                Problem::error(format!("line_items[{n}]"), "基本支出的明细缺少经济分类科目")
                    .expected("economic = \"30101\" 这样的 5 位经济分类款编码"),
            );
        }
        return;
    };
    if let Some(p) = judge::code(Scheme::Economic, code, &at(n, "economic"), cat) {
        out.push(p);
        return;
    }
    let official = cat.name(Scheme::Economic, code).unwrap_or("");
    if let Some(name) = li.economic_name.as_deref().map(str::trim)
        && let Some(e) = cat.entry(Scheme::Economic, code)
    {
        let path = at(n, "economic_name");
        out.extend(judge::name(Scheme::Economic, code, name, e, &path, cat));
    }
    let class = &code[..3];
    let personal = class == "301" || class == "303";
    match basic {
        Some("人员经费") if !personal => out.push(
            Problem::warning(
                at(n, "economic"),
                format!("人员经费通常列工资福利支出（301）或对个人和家庭的补助（303），这里是 {code} {official}"),
            )
            .expected("核对经济分类或改为 basic = \"公用经费\""),
        ),
        Some("公用经费") if personal => out.push(
            Problem::warning(
                at(n, "economic"),
                format!("公用经费通常不列 {class}（{}），这里是 {code} {official}", cat.name(Scheme::Economic, class).unwrap_or("")),
            )
            .expected("核对经济分类或改为 basic = \"人员经费\""),
        ),
        _ => {}
    }
}

/// Figures written by hand against the line items' sums.
fn stated(b: &Budget, out: &mut Vec<Problem>) {
    let r = &b.resolution;
    let mut list = r.stated.clone();
    if !r.ran {
        // Parsed without `resolve` (a test, a tool): every figure counts as written.
        unresolved_stated(b, &mut list, out);
    }
    for s in list.iter().filter(|s| !same(s.stated, s.derived)) {
        out.push(
            Problem::error(
                &s.path,
                format!(
                    "{}写作 {} 万元，但预算明细合计为 {} 万元",
                    s.label,
                    s.stated.text(),
                    s.derived.text()
                ),
            )
            .expected(format!("{}（或删去此项，由明细推算）", s.derived.text())),
        );
    }
    for (n, name) in &r.unknown_projects {
        out.push(unknown_project(*n, name));
    }
    for name in &r.unlisted_projects {
        out.push(unlisted_project(name));
    }
}

/// What `resolve` would have recorded, for a budget it never saw: every
/// figure against its sum. Projects missing on either side are reported
/// straight away.
fn unresolved_stated(b: &Budget, list: &mut Vec<Stated>, out: &mut Vec<Problem>) {
    let sums = Sums::of(b);
    let mut income = b.income.clone();
    for (path, source) in INCOME_FIGURES {
        list.push(Stated {
            path: path.into(),
            label: label_of(path).unwrap_or(path).into(),
            stated: *income_figure(&mut income, source),
            derived: sums.source(source),
        });
    }
    list.extend(basic_stated(&b.expenditure.basic, &sums));
    for (n, p) in b.expenditure.projects.iter().enumerate() {
        match sums.project(&p.name) {
            Some(d) => list.push(Stated {
                path: format!("expenditure.projects[{n}].amount"),
                label: format!("项目“{}”的金额", p.name.trim()),
                stated: p.amount,
                derived: d,
            }),
            None => out.push(unknown_project(n, &p.name)),
        }
    }
    for (name, _) in &sums.projects {
        if !b.expenditure.projects.iter().any(|p| p.name.trim() == name) {
            out.push(unlisted_project(name));
        }
    }
}

/// 人员经费 and 日常公用经费 as written, against their sums.
fn basic_stated(e: &Basic, sums: &Sums) -> [Stated; 2] {
    [
        Stated {
            path: "expenditure.basic.personnel".into(),
            label: label_of("expenditure.basic.personnel").unwrap_or_default().into(),
            stated: e.personnel,
            derived: sums.personnel,
        },
        Stated {
            path: "expenditure.basic.public".into(),
            label: label_of("expenditure.basic.public").unwrap_or_default().into(),
            stated: e.public,
            derived: sums.public,
        },
    ]
}

fn unknown_project(n: usize, name: &str) -> Problem {
    Problem::error(
        format!("expenditure.projects[{n}].name"),
        format!("项目“{}”在预算明细中没有任何一条", name.trim()),
    )
    .expected("明细中 project = \"…\" 写的项目名称之一（或删去此项目）")
}

fn unlisted_project(name: &str) -> Problem {
    Problem::error(
        "expenditure.projects",
        format!("预算明细中的项目“{name}”没有列入 [[expenditure.projects]]"),
    )
    .expected(format!(
        "补上 {{ name = \"{name}\" }}，或删去全部 [[expenditure.projects]]，由明细列出"
    ))
}

/// Line items of a “三公” kind paid from the general budget cannot exceed
/// the “三公” section's figures (which also cover project spending).
fn sangong(b: &Budget, out: &mut Vec<Problem>) {
    let c = &b.sangong.current;
    let mut spent: BTreeMap<&str, Amount> = BTreeMap::new();
    for it in items(b).iter().filter(|i| i.fund == Source::General) {
        if let Some(e) = it.economic {
            let key = match e {
                "30212" => "overseas",
                "30217" => "reception",
                "30231" => "vehicle_operation",
                "30913" | "31013" => "vehicle_purchase",
                _ => continue,
            };
            *spent.entry(key).or_default() =
                spent.get(key).copied().unwrap_or_default() + it.amount;
        }
    }
    for (key, label, codes, section) in [
        ("overseas", "因公出国（境）费", "30212", c.overseas),
        ("reception", "公务接待费", "30217", c.reception),
        ("vehicle_operation", "公务用车运行维护费", "30231", c.vehicle_operation),
        ("vehicle_purchase", "公务用车购置费", "30913、31013", c.vehicle_purchase),
    ] {
        let s = spent.get(key).copied().unwrap_or_default();
        if s.rounded() > section.rounded() {
            out.push(
                Problem::error(
                    format!("sangong.current.{key}"),
                    format!(
                        "一般公共预算明细中{label}（经济分类 {codes}）合计 {} 万元，大于“三公”经费中的{label} {} 万元",
                        s.text(),
                        section.text()
                    ),
                )
                .expected(format!("不小于 {}", s.text())),
            );
        }
    }
}

/// Equal as printed: stated figures carry two decimals, line items may
/// carry more.
fn same(a: Amount, b: Amount) -> bool {
    a.rounded() == b.rounded()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(name: &str) -> String {
        std::fs::read_to_string(format!("{}/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    fn parse(text: &str) -> Budget {
        crate::source::resolve::resolve(toml::from_str(text).unwrap(), text)
    }

    fn errors(b: &Budget) -> Vec<String> {
        check(b)
            .into_iter()
            .filter(Problem::is_error)
            .map(|p| format!("{}: {}", p.field, p.message))
            .collect()
    }

    #[test]
    fn sources_read_in_chinese() {
        for s in Source::ALL {
            assert_eq!(Source::parse(s.name()), Some(s));
        }
        assert_eq!(Source::parse("政府性基金预算"), Some(Source::Fund));
        assert_eq!(Source::parse("基金"), None);
    }

    #[test]
    fn the_seed_agrees_with_its_published_figures() {
        let text = sample("101001-2021.toml");
        let b = parse(&text);
        assert!(!b.line_items.is_empty());
        assert_eq!(errors(&b), Vec::<String>::new());
        assert_eq!(b.expenditure.basic.personnel.text(), "1193.26");
        assert_eq!(b.expenditure.basic.public.text(), "330.56");
        assert_eq!(b.income.general_budget.text(), "2220.42");
        // Every figure of the seed is written and checked.
        assert_eq!(b.resolution.stated.len(), 5 + 2 + b.expenditure.projects.len());
    }

    #[test]
    fn a_stated_figure_that_disagrees_is_an_error() {
        let text = sample("101001-2021.toml").replace("personnel = 1193.26", "personnel = 1193.27");
        let b = parse(&text);
        let e = errors(&b);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].starts_with("expenditure.basic.personnel: 人员经费写作 1193.27 万元，但预算明细合计为 1193.26 万元"), "{e:?}");
    }

    #[test]
    fn figures_left_out_are_derived() {
        let text = sample("215001-2021.toml");
        let b = parse(&text);
        assert_eq!(errors(&b), Vec::<String>::new());
        let s = Sums::of(&b);
        assert_eq!(b.expenditure.basic.personnel, s.personnel);
        assert_eq!(b.income.carryover, s.source(Source::Carryover));
        assert!(!b.income.carryover.is_zero());
        assert!(!b.income.government_fund.is_zero());
        assert_eq!(b.expenditure.projects.len(), s.projects.len());
        assert_eq!(b.income.total(), b.expenditure.total());
    }

    #[test]
    fn bad_lines_get_clear_messages() {
        let text = sample("101001-2021.toml");
        let mut b = parse(&text);
        let li = &mut b.line_items[0];
        li.unit = Some("不存在的单位".into());
        li.function = "2019701".into();
        li.source = Some("基金".into());
        let li = &mut b.line_items[1];
        li.economic = Some("30101".into());
        li.economic_name = Some("工资".into());
        let e = errors(&b);
        let joined = e.join("\n");
        assert!(
            joined.contains("line_items[0].unit: 单位“不存在的单位”不在机构设置中"),
            "{joined}"
        );
        assert!(joined.contains("line_items[0].function: 功能分类科目 2019701：一般公共服务支出（201）下没有“20197”这个款"), "{joined}");
        assert!(joined.contains("line_items[0].source: 资金来源“基金”无法识别"), "{joined}");
        assert!(
            joined.contains(
                "line_items[1].economic_name: 经济分类科目 30101 的名称是“基本工资”，这里写作“工资”"
            ),
            "{joined}"
        );
    }

    #[test]
    fn without_line_items_the_old_figures_stay_required() {
        let text = sample("101001-2021.toml");
        let cut = text.find("[[line_items]]").map_or(text.len(), |i| i);
        let without = text[..cut].replace("personnel = 1193.26\n", "");
        let b = parse(&without);
        assert!(b.line_items.is_empty());
        let e = errors(&b);
        assert!(
            e.iter().any(|m| m.starts_with("expenditure.basic.personnel: 缺少必填字段“personnel”")),
            "{e:?}"
        );
    }

    #[test]
    fn a_repeated_warning_is_said_once_naming_the_other_places() {
        let w = |n: usize| Problem::warning(format!("line_items[{n}].function"), "科目无法核对");
        let e = |n: usize| Problem::error(format!("line_items[{n}].amount"), "金额不对");
        let got = collapse_repeats(vec![w(0), e(1), w(2), w(3), e(4)]);
        let msgs: Vec<&str> = got.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "科目无法核对（同样的还有 2 处：line_items[2].function、line_items[3].function）",
                "金额不对",
                "金额不对"
            ]
        );
        assert_eq!(got[0].field, "line_items[0].function");
    }
}
