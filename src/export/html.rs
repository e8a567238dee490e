//! 网页版：与 PDF 同文同数的无障碍 HTML 页面（一个自包含文件）。
//!
//! Rendered from the same view the templates receive, not through Typst's
//! HTML export: in Typst 0.15 that export is experimental, and its tables
//! carry no `scope`, no caption and no cell alignment (see README). The
//! price is that the sentences exist twice, here and in `templates/`; the
//! `html` test holds the two to the same text and figures on every sample.
//!
//! The page needs no script and no web font: styles are inline, fonts are
//! the reader's own. Every table is a real table: caption (表号、表名 and
//! the unit line), column headers in `thead` with `scope`, row headers as
//! `th scope="row"`, amounts right-aligned in tabular figures.

use std::fmt::Write;

use crate::derive::tables::chinese_number;
use crate::derive::view::fixed_or_dash;
use crate::derive::{
    Align, Change, Money, ProjectTableView, RowView, SangongItem, TableView, TablesView, View,
};

/// The whole page for one disclosure.
pub fn page(v: &View) -> String {
    let mut out = String::with_capacity(64 * 1024);
    head(&mut out, v);
    out.push_str("<body>\n");
    if v.doc.draft {
        // The PDF's watermark is an artifact; here it is hidden from AT too.
        out.push_str("<div class=\"draft\" aria-hidden=\"true\">草稿</div>\n");
    }
    out.push_str("<main>\n");
    if v.doc.sample {
        // The PDF prints this on every page's head (style.typ's sample-mark).
        out.push_str(
            "<p class=\"sample\">样例　本文件中的数字为示意，不是部门正式公开的数据</p>\n",
        );
    }
    let _ = writeln!(
        out,
        "<h1>{}<br>{}年部门预算信息公开情况说明</h1>",
        esc(&v.doc.department),
        v.doc.year
    );
    body(&mut out, v);
    if let Some(tv) = &v.tables {
        attached_tables(&mut out, tv);
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// The document title, as the PDF's metadata has it.
pub fn title(v: &View) -> String {
    format!("{}{}年部门预算信息公开情况说明", v.doc.department, v.doc.year)
}

fn head(out: &mut String, v: &View) {
    let year = v.doc.year.to_string();
    let keywords = ["部门预算", "预算公开", v.doc.department.as_str(), year.as_str()].join(",");
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<meta name=\"author\" content=\"{}\">\n\
         <meta name=\"description\" content=\"{}年部门预算信息公开情况说明\">\n\
         <meta name=\"keywords\" content=\"{}\">\n<style>{STYLE}</style>\n</head>\n",
        esc(&title(v)),
        esc(&v.doc.department),
        v.doc.year,
        esc(&keywords),
    );
}

/// Fonts are the reader's: common Chinese UI and text faces, then the
/// generic family. Colours keep well above 4.5:1 on white.
const STYLE: &str = "
:root{color:#1b1b1b;background:#fff}
body{margin:0;font-family:\"PingFang SC\",\"Hiragino Sans GB\",\"Microsoft YaHei\",\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"WenQuanYi Micro Hei\",sans-serif;font-size:1.0625rem;line-height:1.8}
main{max-width:46rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.6rem;line-height:1.4;text-align:center;margin:1rem 0 2rem}
h2{font-size:1.2rem;margin:2rem 0 .6rem}
h3{font-size:1.08rem;margin:1.4rem 0 .5rem}
h4{font-size:1rem;margin:1rem 0 .4rem}
p{margin:.4rem 0;text-indent:2em;text-align:justify}
.table{overflow-x:auto;margin:1rem 0 1.5rem}
.table:focus{outline:2px solid #1d4ed8;outline-offset:2px}
table{border-collapse:collapse;font-size:.9rem;line-height:1.5;min-width:100%}
caption{text-align:center;font-weight:bold;padding:.3rem 0}
caption h3{margin:0;font-size:1.08rem}
caption .unit{display:flex;flex-wrap:wrap;justify-content:space-between;gap:0 1rem;font-weight:normal;font-size:.85rem;margin-top:.3rem;text-align:left}
th,td{border:1px solid #555;padding:.3rem .45rem;vertical-align:middle}
thead th,tbody th[scope=col]{background:#eef1f5;text-align:center}
tbody th{font-weight:normal;text-align:left}
td{text-align:center}
td.l{text-align:left}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.b{font-weight:bold}
.i1{padding-left:1.45rem}.i2{padding-left:2.45rem}
td.note{text-align:left;padding:.8rem .6rem}
.sample{text-indent:0;text-align:right;font-size:.85rem;color:#444}
.draft{position:fixed;top:40%;left:0;right:0;text-align:center;font-size:6rem;color:rgba(0,0,0,.08);transform:rotate(-30deg);pointer-events:none;z-index:-1}
@media (max-width:40rem){body{font-size:1rem}main{padding:1rem .75rem 2rem}h1{font-size:1.35rem}}
";

fn body(out: &mut String, v: &View) {
    para(
        out,
        &format!(
            "按照{}规定，现将{}{}年部门预算公开如下：",
            v.doc.legal_basis_text, v.doc.department, v.doc.year
        ),
    );
    section(out, 1, "部门职责及机构设置情况");
    part(out, "部门职责");
    para(out, &v.duties.intro);
    for (i, item) in v.duties.items.iter().enumerate() {
        para(out, &format!("（{}）{item}", chinese_number(i + 1)));
    }
    part(out, "机构设置");
    units_table(out, v);
    section(out, 2, "部门预算安排的总体情况");
    para(
        out,
        "按照预算管理有关规定，目前我部门预算的编制实行综合预算制度，即全部收入和支出都反映在预算中。",
    );
    sub(out, 1, "收入说明");
    para(out, &income_text(v));
    sub(out, 2, "支出说明");
    para(out, &expenditure_text(v));
    sub(out, 3, "比上年增减情况");
    para(out, &change_text(v));
    section(out, 3, "机关运行经费安排情况");
    para(out, &operating_text(v));
    section(out, 4, "财政拨款“三公”经费预算情况及增减变化原因");
    para(out, &sangong_text(v));
    section(out, 5, "预算绩效信息");
    performance(out, v);
    section(out, 6, "政府采购预算情况");
    para(out, &procurement_text(v));
    section(out, 7, "国有资产信息");
    para(out, &assets_text(v));
    assets_table(out, v);
    closing_sections(out, v);
}

/// 名词解释 only when there are terms (as main.typ): the chapters after it
/// move up one number.
fn closing_sections(out: &mut String, v: &View) {
    let mut n = 8;
    if !v.glossary.is_empty() {
        section(out, n, "名词解释");
        for (i, t) in v.glossary.iter().enumerate() {
            para(out, &format!("{}.{}：{}", i + 1, t.term, t.definition));
        }
        n += 1;
    }
    section(out, n, "其他需要说明的事项");
    if v.other_matters.is_empty() {
        para(out, "我部门无其他需要说明的事项。");
    }
    for m in &v.other_matters {
        para(out, m);
    }
}

// ---------------------------------------------------------------------------
// Headings and paragraphs: the PDF's levels, one HTML level down (h1 is the
// title).

/// 一级标题“一、”.
fn section(out: &mut String, n: usize, title: &str) {
    let _ = writeln!(out, "<h2>{}、{}</h2>", chinese_number(n), esc(title));
}

/// 二级标题“（一）”.
fn sub(out: &mut String, n: usize, title: &str) {
    let _ = writeln!(out, "<h3>（{}）{}</h3>", chinese_number(n), esc(title));
}

/// 不编号的二级标题（第一部分……）.
fn part(out: &mut String, title: &str) {
    let _ = writeln!(out, "<h3>{}</h3>", esc(title));
}

/// 三级标题“1.”.
fn minor(out: &mut String, n: usize, title: &str) {
    let _ = writeln!(out, "<h4>{n}.{}</h4>", esc(title));
}

fn para(out: &mut String, text: &str) {
    let _ = writeln!(out, "<p>{}</p>", esc(text));
}

// ---------------------------------------------------------------------------
// Sentences: the same as templates/budget.typ, sangong.typ, procurement.typ
// and assets.typ, phrase for phrase.

fn wan(m: &Money) -> String {
    format!("{}万元", m.text)
}

/// “较上年增加0.4万元”或“与上年持平”。
fn versus(c: &Change, than: &str) -> String {
    if c.flat {
        format!("与{than}持平")
    } else {
        format!("较{than}{}{}", c.direction.word(), wan(&c.amount))
    }
}

/// “增加135.65万元”或“与上年持平”。
fn moved(c: &Change) -> String {
    if c.flat {
        "与上年持平".to_string()
    } else {
        format!("{}{}", c.direction.word(), wan(&c.amount))
    }
}

fn with_reason(clause: String, reason: &str) -> String {
    if reason.is_empty() { clause } else { format!("{clause}，{reason}") }
}

/// Sources that not every department has are named only when not zero.
fn if_any(label: &str, m: &Money) -> String {
    if m.zero { String::new() } else { format!("，{label}{}", wan(m)) }
}

fn income_text(v: &View) -> String {
    let i = &v.income;
    format!(
        "反映本部门当年全部收入。{}年预算收入{}，其中：一般公共预算收入{}，基金预算收入{}{}，\
         财政专户核拨收入{}{}{}，其他来源收入{}，上年结转{}。",
        v.doc.year,
        wan(&i.total),
        wan(&i.general_budget),
        wan(&i.government_fund),
        if_any("国有资本经营预算收入", &i.state_capital),
        wan(&i.special_account),
        if_any("事业收入", &i.institution),
        if_any("事业单位经营收入", &i.institution_business),
        wan(&i.other),
        wan(&i.carryover),
    )
}

fn expenditure_text(v: &View) -> String {
    let e = &v.expenditure;
    let projects = if e.projects.is_empty() {
        String::new()
    } else {
        let list: Vec<String> =
            e.projects.iter().map(|p| format!("{}{}", p.name, wan(&p.amount))).collect();
        format!("，主要为{}", list.join("、"))
    };
    format!(
        "收支预算总表支出栏、基本支出表、项目支出表按经济分类和支出功能分类科目编制，反映{}\
         年度部门预算中支出预算的总体情况。{}年部门支出预算为{}，其中基本支出{}，包括人员经费{}\
         和日常公用经费{}；项目支出{}{projects}。",
        v.doc.department,
        v.doc.year,
        wan(&e.total),
        wan(&e.basic),
        wan(&e.personnel),
        wan(&e.public),
        wan(&e.projects_total),
    )
}

fn change_text(v: &View) -> String {
    let c = &v.change;
    format!(
        "{}年部门预算收支安排{}，{}，其中：{}；{}。",
        v.doc.year,
        wan(&c.total.current),
        versus(&c.total, &format!("{}年", v.doc.previous_year)),
        with_reason(format!("基本支出{}", moved(&c.basic)), &c.basic_reason),
        with_reason(format!("项目支出{}", moved(&c.projects)), &c.projects_reason),
    )
}

fn operating_text(v: &View) -> String {
    let o = &v.operating;
    let uses = if o.uses.is_empty() {
        String::new()
    } else {
        format!("，主要用于{}等日常运行支出", o.uses)
    };
    format!("{}年，我部门机关运行经费共计安排{}{uses}。", v.doc.year, wan(&o.amount))
}

fn sangong_text(v: &View) -> String {
    let s = &v.sangong;
    if s.total.current.zero && s.total.previous.zero {
        return format!("{}年，我部门未安排财政拨款“三公”经费预算，上年亦未安排。", v.doc.year);
    }
    let item = |name: &str, it: &SangongItem, extra: &str| {
        with_reason(
            format!("{name}{}{extra}，{}", wan(&it.change.current), versus(&it.change, "上年")),
            &it.reason,
        )
    };
    let vehicle_extra = format!(
        "（其中：公务用车购置费{}，公务用车运行维护费{}）",
        wan(&s.vehicle_purchase),
        wan(&s.vehicle_operation)
    );
    format!(
        "{}年，我部门财政拨款“三公”经费预算安排{}，{}，其中：{}；{}；{}。",
        v.doc.year,
        wan(&s.total.current),
        versus(&s.total, "上年"),
        item("因公出国（境）费", &s.overseas, ""),
        item("公务用车购置及运维费", &s.vehicle, &vehicle_extra),
        item("公务接待费", &s.reception, ""),
    )
}

fn procurement_text(v: &View) -> String {
    let p = &v.procurement;
    if p.total.zero {
        return format!("{}年，我部门无政府采购预算。", v.doc.year);
    }
    format!(
        "{}年，我部门政府采购预算总额{}，其中：政府采购货物预算{}，政府采购工程预算{}，\
         政府采购服务预算{}。",
        v.doc.year,
        wan(&p.total),
        wan(&p.goods),
        wan(&p.works),
        wan(&p.services),
    )
}

fn assets_text(v: &View) -> String {
    let a = &v.assets;
    let planned = if a.planned_purchase.zero {
        "本年度无拟购置固定资产".to_string()
    } else {
        format!("本年度拟购置固定资产总额为{}", wan(&a.planned_purchase))
    };
    let note =
        if a.planned_note.is_empty() { String::new() } else { format!("，{}", a.planned_note) };
    // As assets.typ: “年末” only for a count of 31 December; a total the
    // data does not give is not printed.
    let when = if a.year_end {
        format!("{}{}", v.doc.department, a.as_of_phrase)
    } else {
        format!("{}，{}", a.as_of_phrase, v.doc.department)
    };
    let held = match &a.total {
        Some(t) => format!("固定资产金额为{}（详见下表），", wan(t)),
        None => "固定资产占用情况详见下表，".to_string(),
    };
    format!("{when}{held}{planned}{note}。")
}

/// 预算绩效信息: as templates/overall.typ and main.typ arrange it.
fn performance(out: &mut String, v: &View) {
    let p = &v.performance;
    part(out, "第一部分　部门整体绩效目标");
    sub(out, 1, "总体绩效目标");
    for g in &p.goal {
        para(out, g);
    }
    if !p.targets.is_empty() {
        sub(out, 2, "分项绩效目标");
        for (i, t) in p.targets.iter().enumerate() {
            minor(out, i + 1, &t.name);
            para(out, &format!("绩效目标：{}", t.goal));
            para(out, &format!("绩效指标：{}", t.indicators));
        }
    }
    if !p.measures.is_empty() {
        sub(out, if p.targets.is_empty() { 2 } else { 3 }, "工作保障措施");
        for (i, m) in p.measures.iter().enumerate() {
            para(out, &format!("{}.{m}", i + 1));
        }
    }
    part(out, "第二部分　预算项目绩效目标");
    if p.projects.is_empty() {
        para(out, &format!("本部门{}年无预算项目绩效目标。", v.doc.year));
    }
    for t in &p.projects {
        perf_table(out, t);
    }
}

// ---------------------------------------------------------------------------
// Tables: each printed table maps onto one small model, written out by one
// function.

/// A header cell's `scope`, or a data cell.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Col,
    Row,
    Data,
}

struct Cell {
    text: String,
    kind: Kind,
    colspan: usize,
    rowspan: usize,
    /// CSS classes: `num` (amount), `l` (left), `b` (bold), `i1`/`i2` (indent).
    class: Vec<&'static str>,
}

impl Cell {
    fn new(kind: Kind, text: impl Into<String>) -> Cell {
        Cell { text: text.into(), kind, colspan: 1, rowspan: 1, class: Vec::new() }
    }
    fn col(text: impl Into<String>) -> Cell {
        Cell::new(Kind::Col, text)
    }
    fn row(text: impl Into<String>) -> Cell {
        Cell::new(Kind::Row, text)
    }
    fn data(text: impl Into<String>) -> Cell {
        Cell::new(Kind::Data, text)
    }
    fn num(text: impl Into<String>) -> Cell {
        Cell::data(text).class("num")
    }
    fn span(mut self, colspan: usize, rowspan: usize) -> Cell {
        self.colspan = colspan.max(1);
        self.rowspan = rowspan.max(1);
        self
    }
    fn class(mut self, c: &'static str) -> Cell {
        self.class.push(c);
        self
    }
}

/// How a table is titled: the body's 表N lines are captions; the attached
/// tables' titles are headings in the PDF, so they stay headings (inside
/// the caption).
enum Caption {
    Plain(String),
    Heading(String),
}

struct Table {
    caption: Caption,
    /// The unit line: left and right parts.
    unit: Option<(String, String)>,
    head: Vec<Vec<Cell>>,
    body: Vec<Vec<Cell>>,
}

fn write_table(out: &mut String, t: &Table) {
    // A focusable, labelled region: wide tables scroll sideways on a phone,
    // and keyboard users must be able to scroll them.
    let label = match &t.caption {
        Caption::Plain(s) | Caption::Heading(s) => s,
    };
    let _ = writeln!(
        out,
        "<div class=\"table\" role=\"region\" tabindex=\"0\" aria-label=\"{}\">\n<table>",
        esc(label)
    );
    out.push_str("<caption>");
    match &t.caption {
        Caption::Plain(s) => out.push_str(&esc(s)),
        Caption::Heading(s) => {
            let _ = write!(out, "<h3>{}</h3>", esc(s));
        }
    }
    if let Some((left, right)) = &t.unit {
        let _ = write!(out, "<span class=\"unit\"><span>{}</span>", esc(left));
        if !right.is_empty() {
            let _ = write!(out, "<span>{}</span>", esc(right));
        }
        out.push_str("</span>");
    }
    out.push_str("</caption>\n");
    if !t.head.is_empty() {
        out.push_str("<thead>\n");
        rows(out, &t.head);
        out.push_str("</thead>\n");
    }
    out.push_str("<tbody>\n");
    rows(out, &t.body);
    out.push_str("</tbody>\n</table>\n</div>\n");
}

fn rows(out: &mut String, rows: &[Vec<Cell>]) {
    for r in rows {
        out.push_str("<tr>");
        for c in r {
            cell(out, c);
        }
        out.push_str("</tr>\n");
    }
}

fn cell(out: &mut String, c: &Cell) {
    let (tag, scope) = match c.kind {
        Kind::Col if c.colspan > 1 => ("th", " scope=\"colgroup\""),
        Kind::Col => ("th", " scope=\"col\""),
        Kind::Row => ("th", " scope=\"row\""),
        Kind::Data => ("td", ""),
    };
    let _ = write!(out, "<{tag}{scope}");
    if c.colspan > 1 {
        let _ = write!(out, " colspan=\"{}\"", c.colspan);
    }
    if c.rowspan > 1 {
        let _ = write!(out, " rowspan=\"{}\"", c.rowspan);
    }
    if !c.class.is_empty() {
        let _ = write!(out, " class=\"{}\"", c.class.join(" "));
    }
    let _ = write!(out, ">{}</{tag}>", esc(&c.text));
}

/// 表1 部门机构设置情况.
fn units_table(out: &mut String, v: &View) {
    let head = ["单位名称", "单位性质", "单位规格", "经费保障形式"];
    let table = Table {
        caption: Caption::Plain("表1　部门机构设置情况".to_string()),
        unit: None,
        head: vec![head.iter().map(|h| Cell::col(*h)).collect()],
        body: v
            .units
            .iter()
            .map(|u| {
                vec![
                    Cell::row(&u.name),
                    Cell::data(&u.nature),
                    Cell::data(&u.rank),
                    Cell::data(&u.funding),
                ]
            })
            .collect(),
    };
    write_table(out, &table);
}

/// 项目绩效目标表: the goals, then the indicator header and rows, in one
/// table (the PDF draws them as two tables sharing a rule).
fn perf_table(out: &mut String, t: &ProjectTableView) {
    let mut body: Vec<Vec<Cell>> = t
        .goals
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let mut row = Vec::new();
            if i == 0 {
                row.push(Cell::row("绩效目标").span(1, t.goals.len()));
            }
            row.push(Cell::row(format!("目标{}", i + 1)));
            row.push(Cell::data(g).span(4, 1).class("l"));
            row
        })
        .collect();
    let head = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"];
    body.push(head.iter().map(|h| Cell::col(*h)).collect());
    for r in &t.rows {
        let mut row = Vec::new();
        if r.span1 > 0 {
            row.push(Cell::row(&r.level1).span(1, r.span1));
        }
        if r.span2 > 0 {
            row.push(Cell::row(&r.level2).span(1, r.span2));
        }
        if r.span3 > 0 {
            row.push(Cell::data(&r.level3).span(1, r.span3));
        }
        row.push(Cell::data(&r.description).class("l"));
        row.push(Cell::data(&r.value));
        row.push(Cell::data(&r.basis));
        body.push(row);
    }
    let table = Table {
        caption: Caption::Plain(format!("表{}　{}", t.number, t.title)),
        unit: Some((t.unit.clone(), String::new())),
        head: Vec::new(),
        body,
    };
    write_table(out, &table);
}

/// 固定资产占用情况表.
fn assets_table(out: &mut String, v: &View) {
    let a = &v.assets;
    let mut body =
        vec![vec![Cell::row("资产总额"), Cell::data("——"), Cell::num(fixed_or_dash(&a.total))]];
    for r in &a.rows {
        let label = if r.sub { Cell::row(&r.label).class("i1") } else { Cell::row(&r.label) };
        body.push(vec![label, Cell::data(&r.quantity), Cell::num(fixed_or_dash(&r.value))]);
    }
    let table = Table {
        caption: Caption::Plain(format!(
            "表{}　{}固定资产占用情况表",
            a.table_number, v.doc.short_name
        )),
        unit: Some((format!("编制部门：{}", v.doc.short_name), format!("截止时间：{}", a.as_of))),
        head: vec![vec![Cell::col("项目"), Cell::col("数量"), Cell::col("价值（金额单位：万元）")]],
        body,
    };
    write_table(out, &table);
}

// ---------------------------------------------------------------------------
// 附表.

fn attached_tables(out: &mut String, tv: &TablesView) {
    out.push_str("<h2>附表</h2>\n");
    for t in &tv.tables {
        write_table(out, &attached_table(tv, t));
    }
}

fn attached_table(tv: &TablesView, t: &TableView) -> Table {
    let head = t
        .head
        .iter()
        .map(|row| row.iter().map(|c| Cell::col(&c.text).span(c.colspan, c.rowspan)).collect())
        .collect();
    let width: usize = t.widths.len();
    let body = if t.empty {
        // The PDF prints an empty row and the note below the table; here the
        // note is the table's one row, so the headers have a cell to label.
        vec![vec![Cell::data(&t.note).span(width, 1).class("note")]]
    } else {
        t.rows.iter().map(|r| attached_row(t, r)).collect()
    };
    Table {
        caption: Caption::Heading(format!("附表{}　{}", t.number, t.title)),
        unit: Some((
            format!("编制部门：{}", tv.department),
            format!("单位：{}", if t.unit.is_empty() { &tv.unit } else { &t.unit }),
        )),
        head,
        body,
    }
}

fn attached_row(t: &TableView, r: &RowView) -> Vec<Cell> {
    r.cells
        .iter()
        .enumerate()
        .map(|(x, c)| {
            let mut cell = if c.amount.is_some() {
                Cell::num(&c.text)
            } else if t.header_columns.contains(&x) && !c.text.is_empty() {
                Cell::row(&c.text)
            } else {
                Cell::data(&c.text)
            };
            if c.align == Align::Left && c.amount.is_none() {
                cell = cell.class("l");
            }
            if c.bold {
                cell = cell.class("b");
            }
            match c.indent {
                0 => cell,
                1 => cell.class("i1"),
                _ => cell.class("i2"),
            }
        })
        .collect()
}

/// Text and attribute values: `&`, `<`, `>` and quotes escaped.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_data_is_text() {
        assert_eq!(esc("<b>&\"'"), "&lt;b&gt;&amp;&quot;&#39;");
    }

    #[test]
    fn header_cells_carry_scope() {
        let mut out = String::new();
        cell(&mut out, &Cell::col("合计"));
        cell(&mut out, &Cell::col("本年收入").span(7, 1));
        cell(&mut out, &Cell::row("<项>"));
        cell(&mut out, &Cell::num("1.00"));
        assert_eq!(
            out,
            "<th scope=\"col\">合计</th><th scope=\"colgroup\" colspan=\"7\">本年收入</th>\
             <th scope=\"row\">&lt;项&gt;</th><td class=\"num\">1.00</td>"
        );
    }
}
