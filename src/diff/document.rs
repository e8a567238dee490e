//! 更正说明：比较两份文件“印出来的样子”，按读者找得到的位置列出每一处变化。
//!
//! A correction notice speaks of the published document, not of the data:
//! 收入合计, the year-on-year sentence and every cell of the attached tables
//! move when one line item does. So both documents are laid out and each is
//! read back as a list of printed places: every clause of the narrative under
//! its section heading, every cell of every table under its table, row and
//! column. The narrative comes from the compiled document itself (each
//! paragraph leaves a `<yusuan-para>` metadata mark, each table title a
//! `<yusuan-table>` one, headings are headings), so a sentence is compared
//! exactly as the template printed it; the tables come from the view that
//! the templates print cell by cell. Pages are those of the compiled
//! document.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use typst::foundations::{Content, Element, Label, Selector, Value};
use typst::introspection::Introspector;
use typst::layout::{Frame, FrameItem};
use typst::model::HeadingElem;
use typst::utils::PicoStr;
use typst_layout::PagedDocument;

use crate::derive::View;
use crate::derive::tables::chinese_number;
use crate::model::Budget;
use crate::typeset::compile::Engine;

/// One printed figure or clause, as a reader finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Identity for matching the two documents; never shown.
    pub key: String,
    /// 位置：“二、（一）收入说明”或“附表3　部门支出总表 › 2070101 行政运行 › 基本支出”。
    pub location: String,
    /// 页码（从 1 起）。
    pub page: usize,
    /// 印出的文字：一个分句，或一个单元格（空白单元格为空字符串）。
    pub text: String,
}

/// One place whose printed text differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub location: String,
    /// 更正后文件中的页码；删去的内容为更正前文件中的页码。
    pub page: usize,
    /// 更正前；新增的为 `None`。
    pub old: Option<String>,
    /// 更正后；删去的为 `None`。
    pub new: Option<String>,
}

/// A laid-out document and the view it printed.
pub struct Document {
    pub view: View,
    pub document: PagedDocument,
}

impl Document {
    /// Every printed place, in reading order.
    pub fn places(&self) -> Vec<Place> {
        places(&self.view, &self.document)
    }

    /// The glyph runs of every page, white space removed: what a reader
    /// sees, for holding the places against the page.
    pub fn runs(&self) -> Vec<String> {
        let mut out = Vec::new();
        for p in self.document.pages() {
            frame_runs(&p.frame, &mut out);
        }
        out
    }
}

fn frame_runs(frame: &Frame, out: &mut Vec<String>) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(g) => frame_runs(&g.frame, out),
            FrameItem::Text(t) => {
                let s: String = t.text.chars().filter(|c| !c.is_whitespace()).collect();
                if !s.is_empty() {
                    out.push(s);
                }
            }
            _ => {}
        }
    }
}

/// Lays out a checked budget exactly as `build` publishes it (never as a
/// draft: the notice compares published documents). Template errors come
/// back as text.
pub fn lay_out_budget(engine: &mut Engine, b: &Budget) -> Result<Document, String> {
    match crate::pipeline::typeset(engine, b, false) {
        Ok(t) => Ok(Document { view: t.view, document: t.compiled.document }),
        Err(diags) => Err(crate::typeset::compile::typst_text(engine.world(), &diags)),
    }
}

/// An engine on the bundled fonts only and the templates in `dir`: the same
/// layout on every machine.
pub fn engine(dir: &Path) -> Engine {
    let fonts = crate::typeset::fonts::FontSet::load(&crate::typeset::fonts::FontOptions {
        font_paths: Vec::new(),
        no_system_fonts: true,
    });
    let templates =
        crate::typeset::templates::Templates::locate(Some(dir)).expect("the templates load");
    Engine::new(Arc::new(fonts), Arc::new(templates))
}

/// Lays out a data file's text; `None` when it does not pass its checks or
/// its layout fails.
pub fn lay_out(engine: &mut Engine, text: &str) -> Option<Document> {
    let loaded = crate::pipeline::inspect_bytes(Path::new("data.toml"), text.as_bytes());
    let (_, _, budget) = crate::pipeline::usable(loaded);
    lay_out_budget(engine, &budget?).ok()
}

/// Every printed place of a compiled document, in reading order.
pub fn places(view: &View, doc: &PagedDocument) -> Vec<Place> {
    let pages = page_texts(doc);
    let mut reader = Reader { view, pages: &pages, out: Vec::new(), seen: HashMap::new() };
    reader.title();
    let mut at = Section::default();
    for mark in marks(doc) {
        reader.mark(&mut at, mark);
    }
    reader.out
}

/// What the compiled document tells about its structure, in document order.
enum Mark {
    Heading { level: usize, numbered: bool, text: String, page: usize },
    Para { text: String, page: usize },
    Table { number: usize, page: usize },
}

const PARA: &str = "yusuan-para";
const TABLE: &str = "yusuan-table";

fn label(name: &str) -> Selector {
    Selector::Label(Label::new(PicoStr::intern(name)).expect("a label name"))
}

fn marks(doc: &PagedDocument) -> Vec<Mark> {
    let intro = doc.introspector();
    let selector = Selector::Or(
        [Element::of::<HeadingElem>().select(), label(PARA), label(TABLE)].into_iter().collect(),
    );
    intro
        .query(&selector)
        .iter()
        .filter_map(|c| {
            let page = c.location().and_then(|l| intro.page(l)).map_or(1, |p| p.get());
            mark(c, page)
        })
        .collect()
}

fn mark(c: &Content, page: usize) -> Option<Mark> {
    let field = |name| c.get_by_name(name).ok();
    if c.elem() == Element::of::<HeadingElem>() {
        let level = match field("level") {
            Some(Value::Int(n)) => usize::try_from(n).unwrap_or(1),
            _ => 1,
        };
        let numbered = !matches!(field("numbering"), None | Some(Value::None));
        let text = match field("body") {
            Some(Value::Content(b)) => b.plain_text().to_string(),
            _ => String::new(),
        };
        return Some(Mark::Heading { level, numbered, text, page });
    }
    match field("value")? {
        Value::Str(s) if c.label() == Label::new(PicoStr::intern(PARA)) => {
            Some(Mark::Para { text: s.to_string(), page })
        }
        Value::Int(n) => Some(Mark::Table { number: usize::try_from(n).ok()?, page }),
        _ => None,
    }
}

/// Where the reader is: the numbered section, the sub-heading under it and
/// how many paragraphs have been read there.
#[derive(Default)]
struct Section {
    number: usize,
    title: String,
    sub: String,
    paras: usize,
    /// In the attached tables: the heading page of the table being read.
    attached: bool,
}

impl Section {
    /// “二、（一）收入说明”, or “一、部门职责及机构设置情况” before any sub-heading.
    fn location(&self) -> String {
        let n = if self.number > 0 {
            format!("{}、", chinese_number(self.number))
        } else {
            String::new()
        };
        if self.sub.is_empty() { format!("{n}{}", self.title) } else { format!("{n}{}", self.sub) }
    }
}

struct Reader<'a> {
    view: &'a View,
    pages: &'a [String],
    out: Vec<Place>,
    /// Keys given so far, so a second place with the same address gets its own.
    seen: HashMap<String, usize>,
}

impl Reader<'_> {
    fn push(&mut self, key: String, location: String, page: usize, text: String) {
        let n = self.seen.entry(key.clone()).or_insert(0);
        *n += 1;
        let key = if *n == 1 { key } else { format!("{key}#{n}") };
        self.out.push(Place { key, location, page, text });
    }

    fn title(&mut self) {
        let d = &self.view.doc;
        let text = format!("{}{}年部门预算信息公开情况说明", d.department, d.year);
        self.push("title".into(), "标题".into(), 1, text);
    }

    fn mark(&mut self, at: &mut Section, mark: Mark) {
        match mark {
            Mark::Heading { level: 1, numbered, text, .. } => {
                at.number += usize::from(numbered);
                at.attached = !numbered;
                at.title = text;
                at.sub.clear();
                at.paras = 0;
            }
            Mark::Heading { text, page, .. } if at.attached => self.attached(&text, page),
            Mark::Heading { text, .. } => {
                at.sub = text;
                at.paras = 0;
            }
            Mark::Para { text, page } => {
                at.paras += 1;
                self.para(at, &text, page);
            }
            Mark::Table { number, page } => self.table(number, page),
        }
    }

    /// A paragraph, clause by clause (split after 。；！？), so that a
    /// corrected figure names the clause that quotes it.
    fn para(&mut self, at: &Section, text: &str, page: usize) {
        let base = format!("{}|{}|{}|{}", at.number, at.title, at.sub, at.paras);
        let location = format!("{}第{}段", at.location(), at.paras);
        for (i, clause) in clauses(text).into_iter().enumerate() {
            let page = self.find(page, page + 1, &prefix(&clause, 12)).unwrap_or(page);
            self.push(format!("{base}|{i}"), location.clone(), page, clause);
        }
    }

    /// The first page from `from` to `to` whose text contains `needle`.
    fn find(&self, from: usize, to: usize, needle: &str) -> Option<usize> {
        let needle: String = needle.chars().filter(|c| !c.is_whitespace()).collect();
        if needle.is_empty() {
            return None;
        }
        (from..=to.min(self.pages.len())).find(|&p| self.pages[p - 1].contains(&needle))
    }

    /// The tables printed in the body: 表1 机构设置, the 项目绩效目标表, the
    /// 固定资产占用情况表.
    fn table(&mut self, number: usize, page: usize) {
        let v = self.view;
        if number == 1 {
            self.units(page);
        } else if number == v.assets.table_number {
            self.assets(page);
        } else if let Some(t) = v.performance.projects.iter().find(|t| t.number == number) {
            self.performance(t, page);
        }
    }

    fn cell(&mut self, table: &str, row: &str, column: &str, page: usize, text: &str) {
        let key = format!("{table}|{row}|{column}");
        let location = [table, row, column]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" › ");
        self.push(key, location, page, text.to_string());
    }

    fn units(&mut self, start: usize) {
        let t = "表1　部门机构设置情况";
        for u in &self.view.units {
            let page = self.find(start, start + 2, &u.name).unwrap_or(start);
            for (column, text) in
                [("单位性质", &u.nature), ("单位规格", &u.rank), ("经费保障形式", &u.funding)]
            {
                self.cell(t, &u.name, column, page, text);
            }
        }
    }

    fn performance(&mut self, p: &crate::derive::ProjectTableView, start: usize) {
        let t = format!("表{}　{}", p.number, p.title);
        self.cell(&t, "", "表名", start, &p.title);
        self.cell(&t, "", "编制单位", start, &p.unit);
        for (i, g) in p.goals.iter().enumerate() {
            self.cell(&t, "绩效目标", &format!("目标{}", i + 1), start, g);
        }
        let mut page = start;
        for r in &p.rows {
            let row = format!("{}·{}", r.level2, r.level3);
            page = self.find(page, page + 3, &prefix(&r.description, 8)).unwrap_or(page);
            self.cell(&t, &row, "绩效指标描述", page, &r.description);
            self.cell(&t, &row, "指标值", page, &r.value);
            self.cell(&t, &row, "指标值确定依据", page, &r.basis);
        }
    }

    fn assets(&mut self, page: usize) {
        let a = &self.view.assets;
        let t = format!("表{}　{}固定资产占用情况表", a.table_number, self.view.doc.short_name);
        self.cell(&t, "", "截止时间", page, &a.as_of);
        self.cell(&t, "资产总额", "价值", page, crate::derive::view::fixed_or_dash(&a.total));
        for r in &a.rows {
            let row = r.label.clone();
            let page = self.find(page, page + 1, &prefix(&r.label, 6)).unwrap_or(page);
            self.cell(&t, &row, "数量", page, &r.quantity);
            self.cell(&t, &row, "价值", page, crate::derive::view::fixed_or_dash(&r.value));
        }
    }

    /// An attached table, found by its heading “附表3　部门支出总表”.
    fn attached(&mut self, heading: &str, start: usize) {
        let Some(tv) = &self.view.tables else { return };
        let Some(t) = tv.tables.iter().find(|t| attached_title(t) == heading) else { return };
        let title = attached_title(t);
        let end = self.attached_end(start);
        if t.empty {
            self.cell(&title, "", "说明", start, &t.note);
            return;
        }
        let columns = column_labels(t);
        let money = money_columns(t);
        let mut page = start;
        for r in &t.rows {
            let needle = r.cells.iter().map(|c| c.text.as_str()).find(|s| !s.trim().is_empty());
            page = needle.and_then(|n| self.find(page, end, n)).unwrap_or(page);
            // The text cells before a run of amounts name its row; a text
            // cell after amounts starts the other half of a two-sided table
            // (收入 | 支出 in 附表1 and 附表4).
            let mut label: Vec<String> = Vec::new();
            let mut after_amount = false;
            for (j, c) in r.cells.iter().enumerate() {
                if !money.get(j).copied().unwrap_or(false) {
                    if std::mem::take(&mut after_amount) {
                        label.clear();
                    }
                    label.push(c.text.split_whitespace().collect::<String>());
                    continue;
                }
                after_amount = true;
                let row = label.iter().filter(|s| !s.is_empty()).cloned().collect::<Vec<_>>();
                let column = columns.get(j).map_or("", String::as_str);
                self.cell(&title, &row.join(" "), column, page, &c.text);
            }
        }
    }

    /// The last page an attached table may reach: the page before the next
    /// one whose text starts another 附表 heading, or the document's end.
    fn attached_end(&self, start: usize) -> usize {
        self.pages.len().max(start)
    }
}

/// “附表3　部门支出总表”, as the template heads the table.
pub fn attached_title(t: &crate::derive::TableView) -> String {
    format!("附表{}　{}", t.number, t.title)
}

/// Columns that hold amounts in some row: a blank cell there is a printed
/// place too (a zero prints blank, and a correction may fill it).
fn money_columns(t: &crate::derive::TableView) -> Vec<bool> {
    let width = t.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    (0..width)
        .map(|j| t.rows.iter().any(|r| r.cells.get(j).is_some_and(|c| c.amount.is_some())))
        .collect()
}

/// Each column's name as the header prints it, from the top row down:
/// “一般公共预算·基本支出” for a column under a spanning head.
fn column_labels(t: &crate::derive::TableView) -> Vec<String> {
    let width: usize = t.widths.len();
    let mut grid: Vec<Vec<String>> = vec![Vec::new(); width];
    // Which columns of each header row are still covered by a rowspan above.
    let mut busy = vec![0usize; width];
    for row in &t.head {
        let mut j = 0;
        for cell in row {
            while j < width && busy[j] > 0 {
                j += 1;
            }
            for k in j..(j + cell.colspan).min(width) {
                let text: String = cell.text.split_whitespace().collect();
                if grid[k].last() != Some(&text) {
                    grid[k].push(text);
                }
                busy[k] = cell.rowspan;
            }
            j += cell.colspan;
        }
        busy.iter_mut().for_each(|b| *b = b.saturating_sub(1));
    }
    grid.into_iter().map(|names| names.join("·")).collect()
}

/// A paragraph cut after each 。；！？ (the mark stays with its clause).
pub fn clauses(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for ch in text.chars() {
        cur.push(ch);
        if matches!(ch, '。' | '；' | '！' | '？') {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out
}

fn prefix(s: &str, n: usize) -> String {
    s.chars().filter(|c| !c.is_whitespace()).take(n).collect()
}

/// The text of each page, without whitespace, for finding where a place is
/// printed.
fn page_texts(doc: &PagedDocument) -> Vec<String> {
    doc.pages()
        .iter()
        .map(|p| {
            let mut s = String::new();
            frame_text(&p.frame, &mut s);
            s.chars().filter(|c| !c.is_whitespace()).collect()
        })
        .collect()
}

fn frame_text(frame: &Frame, out: &mut String) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(g) => frame_text(&g.frame, out),
            FrameItem::Text(t) => out.push_str(&t.text),
            _ => {}
        }
    }
}

/// Every place whose text differs, in the order of the corrected document;
/// a place only the old one printed comes after the place it followed.
pub fn compare(old: &[Place], new: &[Place]) -> Vec<Correction> {
    let old_by_key: HashMap<&str, &Place> = old.iter().map(|p| (p.key.as_str(), p)).collect();
    let new_keys: HashMap<&str, ()> = new.iter().map(|p| (p.key.as_str(), ())).collect();
    // Old-only places, grouped under the last old key the new document keeps.
    let mut orphans: HashMap<Option<&str>, Vec<&Place>> = HashMap::new();
    let mut anchor: Option<&str> = None;
    for p in old {
        if new_keys.contains_key(p.key.as_str()) {
            anchor = Some(p.key.as_str());
        } else {
            orphans.entry(anchor).or_default().push(p);
        }
    }
    let gone = |p: &Place| Correction {
        location: p.location.clone(),
        page: p.page,
        old: Some(p.text.clone()),
        new: None,
    };
    let mut out: Vec<Correction> =
        orphans.get(&None).into_iter().flatten().map(|p| gone(p)).collect();
    for p in new {
        match old_by_key.get(p.key.as_str()) {
            Some(o) if o.text == p.text => {}
            o => out.push(Correction {
                location: p.location.clone(),
                page: p.page,
                old: o.map(|o| o.text.clone()),
                new: Some(p.text.clone()),
            }),
        }
        out.extend(orphans.get(&Some(p.key.as_str())).into_iter().flatten().map(|p| gone(p)));
    }
    out
}

/// What a published 更正说明 says besides its rows.
#[derive(Debug, Clone)]
pub struct Notice {
    /// 部门全称。
    pub department: String,
    /// 被更正的文件：“××2021年部门预算信息公开情况说明”。
    pub document: String,
    /// 更正说明的日期：“2021年3月10日”。
    pub date: String,
    /// 更正原因，例如“行政运行人员经费录入有误”；可空。
    pub reason: String,
}

const BLANK: &str = "（空白）";

fn shown(s: Option<&str>, absent: &str) -> String {
    match s {
        None => absent.to_string(),
        Some(t) if t.trim().is_empty() => BLANK.to_string(),
        Some(t) => t.to_string(),
    }
}

/// Plain text for the author: one line per place, “无变化” when none.
pub fn to_text(changes: &[Correction]) -> String {
    if changes.is_empty() {
        return "无变化\n".to_string();
    }
    let mut out = String::new();
    for c in changes {
        let old = shown(c.old.as_deref(), "（无）");
        let new = shown(c.new.as_deref(), "（删去）");
        out.push_str(&format!(
            "第{}页　{}\n  更正前：{old}\n  更正后：{new}\n",
            c.page, c.location
        ));
    }
    out
}

/// The 更正说明 a bureau publishes beside the corrected PDF: title, the
/// sentence of what was corrected and why, the rows in document order, the
/// signature and date.
pub fn to_markdown(n: &Notice, changes: &[Correction]) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let why = if n.reason.trim().is_empty() {
        String::new()
    } else {
        format!("因{}，", crate::derive::clean_clause(n.reason.trim_start_matches('因')))
    };
    let mut out = format!(
        "# {doc}更正说明\n\n{dept}公开的《{doc}》中，{why}有{count}处内容需要更正，现将更正情况说明如下\
         （页码为更正后文件的页码）。更正后的文件已重新公开。\n\n\
         | 序号 | 页码 | 位置 | 更正前 | 更正后 |\n|---:|---:|---|---|---|\n",
        doc = n.document,
        dept = n.department,
        count = changes.len(),
    );
    for (i, c) in changes.iter().enumerate() {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            i + 1,
            c.page,
            cell(&c.location),
            cell(&shown(c.old.as_deref(), "（无）")),
            cell(&shown(c.new.as_deref(), "（删去）")),
        ));
    }
    out.push_str(&format!("\n特此说明。\n\n{}  \n{}\n", n.department, n.date));
    out
}

/// The rows as CSV (UTF-8 with BOM, CRLF, as spreadsheet programs open it).
pub fn to_csv(changes: &[Correction]) -> String {
    // Every cell through export::csv: a cell a spreadsheet would evaluate
    // (`=…`, `+…`, `-…`, `@…`) is written as text.
    let mut out = String::from("\u{feff}");
    out.push_str(&crate::export::csv::row(&["序号", "页码", "位置", "更正前", "更正后"]));
    for (i, c) in changes.iter().enumerate() {
        out.push_str(&crate::export::csv::row(&[
            (i + 1).to_string(),
            c.page.to_string(),
            c.location.clone(),
            shown(c.old.as_deref(), "（无）"),
            shown(c.new.as_deref(), "（删去）"),
        ]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(key: &str, text: &str) -> Place {
        Place { key: key.into(), location: key.to_uppercase(), page: 1, text: text.into() }
    }

    #[test]
    fn clauses_keep_their_marks() {
        assert_eq!(clauses("甲。乙；丙"), ["甲。", "乙；", "丙"]);
        assert_eq!(clauses(""), Vec::<String>::new());
    }

    #[test]
    fn changes_come_in_the_new_documents_order_with_removals_in_place() {
        let old = [place("a", "1"), place("b", "2"), place("c", "3"), place("d", "4")];
        let new = [place("a", "1"), place("c", "30"), place("d", "4"), place("e", "5")];
        let got: Vec<(String, Option<String>, Option<String>)> =
            compare(&old, &new).into_iter().map(|c| (c.location, c.old, c.new)).collect();
        let s = |x: &str| Some(x.to_string());
        assert_eq!(
            got,
            [("B".into(), s("2"), None), ("C".into(), s("3"), s("30")), ("E".into(), None, s("5")),]
        );
        assert!(compare(&new, &new).is_empty());
    }
}
