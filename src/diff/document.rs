//! 更正说明：比较两份文件“印出来的样子”，按读者找得到的位置列出每一处变化。
//!
//! A correction notice speaks of the published document, not of the data:
//! 收入合计, the year-on-year sentence and every cell of the attached tables
//! move when one line item does. So both documents are laid out and each is
//! read back as a list of printed places: every clause of the narrative under
//! its section heading, every cell of every table under its table, row and
//! column. Both come from the compiled document's outline (the marks every
//! heading, paragraph and table of the base leaves, `typeset::outline`), so a
//! sentence is compared exactly as the template printed it, under any
//! profile. Pages are those of the compiled document.
//!
//! The notice itself (`notice_view`) is written here once — its sentences
//! and its groups — and only laid out by Markdown, the web page and the PDF.

use std::collections::HashMap;
use std::fmt::Write;
use std::path::Path;
use std::sync::Arc;

use typst::layout::{Frame, FrameItem};
use typst_layout::PagedDocument;

use crate::derive::view::{NoticeGroupView, NoticeRowView, NoticeView};
use crate::model::Budget;
use crate::model::profile::Profile;
use crate::typeset::compile::Engine;
use crate::typeset::outline::{self, Block, Outline};

/// One printed figure or clause, as a reader finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Identity for matching the two documents; never shown.
    pub key: String,
    /// 位置：“二、（一）收入说明第1段”或“附表3　部门支出总表 › 2070101 行政运行 › 基本支出”。
    pub location: String,
    /// 页码（从 1 起）。
    pub page: usize,
    /// 印出的文字：一个分句，或一个单元格（空白单元格为空字符串）。
    pub text: String,
    /// 所在的章或表：“二、部门预算安排的总体情况”“附表3　部门支出总表”。
    pub group: String,
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
    /// 所在的章或表（见 `Place::group`）。
    pub group: String,
}

/// A laid-out document and its outline.
pub struct Document {
    pub outline: Outline,
    pub document: PagedDocument,
}

impl Document {
    /// Every printed place, in reading order.
    pub fn places(&self) -> Vec<Place> {
        places(&self.outline, &self.document)
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

/// Lays out a checked budget or 决算 under its profile exactly as `build`
/// publishes it (never as a draft: the notice compares published
/// documents). Template errors come back as text.
pub fn lay_out_budget(
    engine: &mut Engine,
    b: &Budget,
    profile: Arc<Profile>,
) -> Result<Document, String> {
    match crate::pipeline::typeset_in(engine, b, false, profile) {
        Ok(t) => Ok(Document { outline: t.outline(), document: t.compiled.document }),
        Err(diags) => Err(crate::typeset::compile::typst_text(engine.world(), &diags)),
    }
}

/// An engine on the bundled fonts only and the default profile's templates
/// from `dir` (a folder laid out like `templates/`): the same layout on
/// every machine.
pub fn engine(dir: &Path) -> Engine {
    let fonts = crate::typeset::fonts::FontSet::load(&crate::typeset::fonts::FontOptions {
        font_paths: Vec::new(),
        no_system_fonts: true,
    });
    let root = crate::typeset::templates::Root::Dir(dir.to_path_buf());
    let templates =
        crate::typeset::templates::Templates::bundled(&root, crate::model::profile::DEFAULT_NAME)
            .expect("the default profile is bundled")
            .expect("the templates load");
    Engine::new(Arc::new(fonts), Arc::new(templates))
}

/// Lays out a data file's text under the default profile; `None` when it
/// does not pass its checks or its layout fails.
pub fn lay_out(engine: &mut Engine, text: &str) -> Option<Document> {
    let loaded = crate::pipeline::inspect_bytes(Path::new("data.toml"), text.as_bytes());
    let (_, _, budget) = crate::pipeline::usable(loaded);
    let profile = Arc::new(crate::model::profile::default_profile());
    lay_out_budget(engine, &budget?, profile).ok()
}

/// Every printed place of a laid-out document, in reading order: each
/// clause of each paragraph under its headings, each cell of each table
/// under its table, row and column.
pub fn places(o: &Outline, doc: &PagedDocument) -> Vec<Place> {
    let pages = page_texts(doc);
    let mut reader = Reader { outline: o, pages: &pages, out: Vec::new(), seen: HashMap::new() };
    let mut at = Section::default();
    for b in &o.blocks {
        reader.block(&mut at, &b.block, b.page);
    }
    reader.out
}

/// Where the reader is: the chapter, the deepest heading under it and how
/// many paragraphs have been read there.
#[derive(Default)]
struct Section {
    chapter: String,
    sub: String,
    paras: usize,
}

/// “二、” of “二、部门预算安排的总体情况”: a chapter's number, when it has one.
fn number_of(heading: &str) -> &str {
    let digits = heading.char_indices().take_while(|(_, c)| "一二三四五六七八九十".contains(*c));
    match digits.last() {
        Some((i, c)) if heading[i + c.len_utf8()..].starts_with('、') => {
            &heading[..i + c.len_utf8() + '、'.len_utf8()]
        }
        _ => "",
    }
}

impl Section {
    /// “二、（一）收入说明”; “一、部门职责及机构设置情况” before any
    /// sub-heading; “部门预算编制说明 › 一、收入预算” under an unnumbered chapter.
    fn location(&self) -> String {
        let n = number_of(&self.chapter);
        match (self.sub.is_empty(), n.is_empty()) {
            (true, _) => self.chapter.clone(),
            (false, false) => format!("{n}{}", self.sub),
            (false, true) => format!("{} › {}", self.chapter, self.sub),
        }
    }

    /// The identity of this place: the headings without their numbers, so
    /// that a chapter renumbered (a 名词解释 added before it) keeps its places.
    fn key(&self) -> String {
        let chapter = &self.chapter[number_of(&self.chapter).len()..];
        format!("{chapter}|{}|{}", self.sub, self.paras)
    }
}

struct Reader<'a> {
    outline: &'a Outline,
    pages: &'a [String],
    out: Vec<Place>,
    /// Keys given so far, so a second place with the same address gets its own.
    seen: HashMap<String, usize>,
}

impl Reader<'_> {
    fn push(&mut self, key: String, location: String, page: usize, text: String) {
        self.push_in(key, location, page, text, "标题".into());
    }

    fn push_in(&mut self, key: String, location: String, page: usize, text: String, group: String) {
        let n = self.seen.entry(key.clone()).or_insert(0);
        *n += 1;
        let key = if *n == 1 { key } else { format!("{key}#{n}") };
        self.out.push(Place { key, location, page, text, group });
    }

    fn block(&mut self, at: &mut Section, b: &Block, page: usize) {
        match b {
            Block::Title { lines } => {
                self.push("title".into(), "标题".into(), page, lines.concat())
            }
            Block::Line { text } => {
                self.push("line".into(), "标题".into(), page, text.clone());
            }
            Block::Heading { level: 1, text, .. } => {
                *at = Section { chapter: text.clone(), ..Section::default() };
            }
            Block::Heading { text, .. } => {
                at.sub = text.clone();
                at.paras = 0;
            }
            Block::Para { text } => {
                at.paras += 1;
                self.para(at, text, page);
            }
            Block::Table { table } => self.table(table, page),
            Block::Rows { .. } | Block::Sample { .. } | Block::Draft { .. } | Block::Toc => {}
        }
    }

    /// A paragraph, clause by clause (split after 。；！？), so that a
    /// corrected figure names the clause that quotes it.
    fn para(&mut self, at: &Section, text: &str, page: usize) {
        let base = at.key();
        let location = format!("{}第{}段", at.location(), at.paras);
        for (i, clause) in clauses(text).into_iter().enumerate() {
            let page = self.find(page, page + 1, &prefix(&clause, 12)).unwrap_or(page);
            let group = if at.chapter.is_empty() { "正文".into() } else { at.chapter.clone() };
            self.push_in(format!("{base}|{i}"), location.clone(), page, clause, group);
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

    fn cell(&mut self, t: &outline::Table, row: &str, column: &str, page: usize, text: &str) {
        let key = format!("{}|{row}|{column}", t.id);
        let caption = t.caption();
        let location = [caption.as_str(), row, column]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" › ");
        self.push_in(key, location, page, text.to_string(), caption);
    }

    /// A table: its title and line, then every cell that is not a label,
    /// named by its row's labels and its column's header.
    fn table(&mut self, t: &outline::Table, page: usize) {
        self.cell(t, "", "表名", page, &t.title);
        if let Some(l) = &t.line {
            let line = [l.left.as_str(), l.right.as_str()].join("　");
            self.cell(t, "", "说明行", page, line.trim_end_matches('　'));
        }
        if let Some(pre) = &t.pre {
            for r in &pre.rows {
                self.row(t, &r.cells, &[], &[], page);
            }
        }
        if t.empty {
            self.cell(t, "", "说明", page, &t.note);
            return;
        }
        let columns = column_labels(t);
        let labels = label_columns(t);
        let pages = self.outline.row_pages(&t.id);
        for (k, r) in t.rows.iter().enumerate() {
            let page = pages.iter().find(|(s, e, _)| (*s..*e).contains(&k)).map_or(page, |p| p.2);
            self.row(t, &r.cells, &columns, &labels, page);
        }
    }

    /// One row: the label cells before a run of values name it; a label
    /// after values starts the other half of a two-sided table (收入 | 支出
    /// in 附表1 and 附表4). A merged label stands in every row it covers.
    fn row(
        &mut self,
        t: &outline::Table,
        cells: &[outline::Cell],
        columns: &[String],
        labels: &[bool],
        page: usize,
    ) {
        let mut label: Vec<String> = Vec::new();
        let mut after_value = false;
        for (j, c) in cells.iter().enumerate() {
            let is_label = labels.get(j).copied().unwrap_or(c.head) || c.head;
            if is_label {
                if std::mem::take(&mut after_value) {
                    label.clear();
                }
                label.push(c.flat().split_whitespace().collect::<String>());
                continue;
            }
            after_value = true;
            let row = label.iter().filter(|s| !s.is_empty()).cloned().collect::<Vec<_>>();
            let column = columns.get(j).map_or("", String::as_str);
            self.cell(t, &row.join(" "), column, page, &c.flat());
        }
    }
}

/// Which columns hold labels: the merged ones, and in a table of figures
/// every column that never holds one.
fn label_columns(t: &outline::Table) -> Vec<bool> {
    let width = t.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let figures = t.rows.iter().any(|r| r.cells.iter().any(|c| c.amount));
    (0..width)
        .map(|j| {
            let amounts = t.rows.iter().any(|r| r.cells.get(j).is_some_and(|c| c.amount));
            t.merge.contains(&j) || (figures && !amounts)
        })
        .collect()
}

/// Each column's name as the header prints it, from the top row down:
/// “一般公共预算·基本支出” for a column under a spanning head.
fn column_labels(t: &outline::Table) -> Vec<String> {
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
                let text: String = cell.flat().split_whitespace().collect();
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
        group: p.group.clone(),
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
                group: p.group.clone(),
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

/// The 更正说明 a bureau publishes beside the corrected PDF, as one view
/// that Markdown, the web page and the PDF lay out: title, the sentence of
/// what was corrected and why, the rows in groups, the closing, signature
/// and date. The cells that print a figure the author edited come first
/// (what was wrong); then every place that moved with it, grouped by
/// chapter and table in document order, each group with its count.
pub fn notice_view(n: &Notice, changes: &[Correction], edited: &Edited) -> NoticeView {
    let why = if n.reason.trim().is_empty() {
        String::new()
    } else {
        format!("因{}，", crate::derive::clean_clause(n.reason.trim_start_matches('因')))
    };
    let groups = groups(changes, edited);
    let order = if groups.first().is_some_and(|g| g.0 == EDITED) {
        "先列出改动的数字，再按章节和表格列出随之变动之处；"
    } else {
        "按章节和表格分组；"
    };
    let lead = format!(
        "{dept}公开的《{doc}》中，{why}有{count}处内容需要更正，现将更正情况说明如下\
         （{order}页码为更正后文件的页码）。更正后的文件已重新公开。",
        doc = n.document,
        dept = n.department,
        count = changes.len(),
    );
    let mut k = 0;
    let groups = groups
        .into_iter()
        .map(|(name, rows)| NoticeGroupView {
            heading: format!("{name}（{}处）", rows.len()),
            rows: rows
                .into_iter()
                .map(|c| {
                    k += 1;
                    // Under its table's heading a cell needs no table name.
                    let within = if name == EDITED { "" } else { name.as_str() };
                    row_view(k, c, within)
                })
                .collect(),
        })
        .collect();
    NoticeView {
        title: format!("{}更正说明", n.document),
        lead,
        columns: ["序号", "页码", "位置", "更正前", "更正后"].map(String::from).to_vec(),
        groups,
        closing: "特此说明。".into(),
        department: n.department.clone(),
        date: n.date.clone(),
    }
}

/// What the author changed in the data, to tell the corrected cells from
/// the totals that moved with them.
pub struct Edited {
    /// The 功能科目 and 经济科目 codes of every line item that differs.
    pub codes: Vec<String>,
    /// Every data field that differs (`diff::diff`), for documents without
    /// line items.
    pub fields: Vec<crate::diff::Change>,
}

impl Edited {
    pub fn between(old: &Budget, new: &Budget) -> Edited {
        let mut codes = Vec::new();
        let (a, b) = (&old.line_items, &new.line_items);
        for i in 0..a.len().max(b.len()) {
            let (x, y) = (a.get(i), b.get(i));
            let same = match (x, y) {
                (Some(x), Some(y)) => serde_json::to_value(x).ok() == serde_json::to_value(y).ok(),
                _ => false,
            };
            for item in [x, y].into_iter().flatten().filter(|_| !same) {
                codes.push(item.function.clone());
                codes.extend(item.economic.clone());
            }
        }
        codes.sort();
        codes.dedup();
        Edited { codes, fields: crate::diff::diff(old, new) }
    }
}

/// The group of the figures the author edited.
const EDITED: &str = "改动的数字";

/// The rows in their groups: the edited figures first (when they are not
/// all there is), then by chapter and table, groups in order of first
/// appearance and rows in document order.
fn groups<'a>(changes: &'a [Correction], edited: &Edited) -> Vec<(String, Vec<&'a Correction>)> {
    let direct: Vec<bool> = changes.iter().map(|c| carries_edit(c, edited)).collect();
    let lead = direct.iter().any(|d| *d) && direct.iter().any(|d| !*d);
    let mut out: Vec<(String, Vec<&Correction>)> = Vec::new();
    if lead {
        let first = changes.iter().zip(&direct).filter(|(_, d)| **d).map(|(c, _)| c).collect();
        out.push((EDITED.to_string(), first));
    }
    for (c, d) in changes.iter().zip(&direct) {
        if lead && *d {
            continue;
        }
        match out.iter_mut().find(|g| g.0 == c.group && g.0 != EDITED) {
            Some(g) => g.1.push(c),
            None => out.push((c.group.clone(), vec![c])),
        }
    }
    out
}

/// A cell of the row of an edited line item's 科目 (its 项 or 经济分类款,
/// never the 类 or 款 totals above it); in a document without changed line
/// items, a cell that prints the old and new value of an edited field.
fn carries_edit(c: &Correction, edited: &Edited) -> bool {
    if !edited.codes.is_empty() {
        let row = c.location.split(" › ").nth(1).unwrap_or_default();
        let code = row.split_whitespace().next().unwrap_or_default();
        return c.old.is_some() && c.new.is_some() && edited.codes.iter().any(|k| k == code);
    }
    let number = |s: &str| -> Option<rust_decimal::Decimal> {
        let plain: String = s.chars().filter(|c| *c != ',' && !c.is_whitespace()).collect();
        plain.parse().ok()
    };
    let (Some(old), Some(new)) =
        (c.old.as_deref().and_then(number), c.new.as_deref().and_then(number))
    else {
        return false;
    };
    edited.fields.iter().any(|e| {
        let (a, b) = (e.old.as_deref().and_then(number), e.new.as_deref().and_then(number));
        a == Some(old) && b == Some(new)
    })
}

fn row_view(n: usize, c: &Correction, within: &str) -> NoticeRowView {
    let inner = c.location.strip_prefix(within).and_then(|l| l.strip_prefix(" › "));
    NoticeRowView {
        n,
        page: c.page,
        location: inner.unwrap_or(&c.location).to_string(),
        old: shown(c.old.as_deref(), "（无）"),
        new: shown(c.new.as_deref(), "（删去）"),
    }
}

/// The notice in Markdown, as a bureau pastes it into its site.
pub fn to_markdown(v: &NoticeView) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = format!("# {}\n\n{}\n", v.title, v.lead);
    for g in &v.groups {
        let _ = write!(
            out,
            "\n## {}\n\n| {} |\n|---:|---:|---|---|---|\n",
            g.heading,
            v.columns.join(" | ")
        );
        for r in &g.rows {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                r.n,
                r.page,
                cell(&r.location),
                cell(&r.old),
                cell(&r.new)
            );
        }
    }
    let _ = write!(out, "\n{}\n\n{}  \n{}\n", v.closing, v.department, v.date);
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
        let group = String::new();
        Place { key: key.into(), location: key.to_uppercase(), page: 1, text: text.into(), group }
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
