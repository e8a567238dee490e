//! 网页版：与 PDF 同文同数的无障碍 HTML 页面（一个自包含文件）。
//!
//! Rendered from the document's outline — the headings, paragraphs and
//! tables the templates printed, read back from the compiled document
//! (`typeset::outline`) — not through Typst's HTML export: in Typst 0.15
//! that export is experimental, and its tables carry no `scope`, no caption
//! and no cell alignment (see README). This file writes no sentence of any
//! document: every word on the page comes from the profile's templates, so
//! every profile gets its page and the page says what the PDF says.
//!
//! The page needs no script and no web font: styles are inline, fonts are
//! the reader's own. Every table is a real table: caption (表号、表名 and
//! the unit line), column headers in `thead` with `scope`, row headers as
//! `th scope="row"`, amounts right-aligned in tabular figures.

use std::fmt::Write;

use crate::derive::view::NoticeView;
use crate::export::markup::esc;
use crate::typeset::outline::{self, Block, Outline};

/// The whole page for one disclosure.
pub fn page(o: &Outline) -> String {
    let mut out = String::with_capacity(64 * 1024);
    head(&mut out, o);
    out.push_str("<body>\n");
    for b in &o.blocks {
        if let Block::Draft { text } = &b.block {
            // The PDF's watermark is an artifact; here it is hidden from AT too.
            let _ = writeln!(out, "<div class=\"draft\" aria-hidden=\"true\">{}</div>", esc(text));
        }
    }
    out.push_str("<main>\n");
    for b in &o.blocks {
        block(&mut out, &b.block);
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn head(out: &mut String, o: &Outline) {
    let m = &o.meta;
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<meta name=\"author\" content=\"{}\">\n\
         <meta name=\"description\" content=\"{}\">\n\
         <meta name=\"keywords\" content=\"{}\">\n<style>{STYLE}</style>\n</head>\n",
        esc(&m.title),
        esc(&m.author),
        esc(&m.description),
        esc(&m.keywords.join(",")),
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
p.line{text-indent:0;text-align:center}
p.sign{text-indent:0;text-align:right;margin-top:1.5rem}
caption h2{margin:0;font-size:1.08rem;text-align:left}
.notice thead th{white-space:nowrap}.notice th[scope=row]{min-width:7em}.notice td.l{min-width:10em}
p.table-note{text-indent:0;font-size:.9rem}
.sample{text-indent:0;text-align:right;font-size:.85rem;color:#444}
.draft{position:fixed;top:40%;left:0;right:0;text-align:center;font-size:6rem;color:rgba(0,0,0,.08);transform:rotate(-30deg);pointer-events:none;z-index:-1}
@media (max-width:40rem){body{font-size:1rem}main{padding:1rem .75rem 2rem}h1{font-size:1.35rem}}
";

/// One block of the outline. Headings keep the PDF's levels one HTML
/// level down (h1 is the title).
fn block(out: &mut String, b: &Block) {
    match b {
        Block::Title { lines } => {
            let lines: Vec<String> = lines.iter().map(|l| esc(l)).collect();
            let _ = writeln!(out, "<h1>{}</h1>", lines.join("<br>"));
        }
        Block::Heading { level, text, .. } => {
            let h = (level + 1).min(6);
            let _ = writeln!(out, "<h{h}>{}</h{h}>", esc(text));
        }
        Block::Para { text } => {
            let _ = writeln!(out, "<p>{}</p>", esc(text));
        }
        Block::Line { text } => {
            let _ = writeln!(out, "<p class=\"line\">{}</p>", esc(text));
        }
        // The PDF prints this on every page's head (the base's sample-mark).
        Block::Sample { text } => {
            let _ = writeln!(out, "<p class=\"sample\">{}</p>", esc(text));
        }
        Block::Table { table } => write_table(out, &Table::of(table)),
        Block::Rows { .. } | Block::Draft { .. } | Block::Toc => {}
    }
}

// ---------------------------------------------------------------------------
// Tables.

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

/// How a table is titled: a 表N line is a caption; a title the PDF sets as
/// a heading (附表N, a table on a page of its own) stays a heading, inside
/// the caption.
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
    /// The line under a table that has rows (an empty table's note is its row).
    note: Option<String>,
}

impl Table {
    /// A table of the outline as the page shows it. Rows set above the
    /// header (a 绩效目标表's goals) come first in the body, the header
    /// row after them as a row of column headers, as the PDF reads.
    fn of(t: &outline::Table) -> Table {
        let caption = if t.style == "body" || t.style.is_empty() {
            Caption::Plain(t.caption())
        } else {
            Caption::Heading(t.caption())
        };
        let unit = t.line.as_ref().map(|l| (l.left.clone(), l.right.clone()));
        let head: Vec<Vec<Cell>> =
            t.head.iter().map(|r| r.iter().map(head_cell).collect()).collect();
        let mut body: Vec<Vec<Cell>> = Vec::new();
        if let Some(pre) = &t.pre {
            // The rows above have a grid of their own: their last cell takes
            // the columns the table has beyond it.
            let extra = t.widths.len().saturating_sub(pre.widths.len());
            body.extend(pre.rows.iter().map(|r| {
                let mut cells: Vec<Cell> =
                    r.cells.iter().map(|c| body_cell(c, c.rowspan)).collect();
                if let Some(last) = cells.last_mut() {
                    last.colspan += extra;
                }
                cells
            }));
        }
        let (head, mut rest) =
            if t.pre.is_some() { (Vec::new(), head) } else { (head, Vec::new()) };
        body.append(&mut rest);
        if t.empty {
            // The PDF prints an empty row and the note below the table; here
            // the note is the table's one row, so the headers have a cell to label.
            let width = t.widths.len().max(1);
            body.push(vec![Cell::data(&t.note).span(width, 1).class("note")]);
        } else {
            body.extend(t.rows.iter().enumerate().map(|(k, r)| {
                r.cells
                    .iter()
                    .enumerate()
                    .filter_map(|(x, c)| match t.rowspan(k, x) {
                        0 => None,
                        n => Some(body_cell(c, n)),
                    })
                    .collect()
            }));
        }
        let note = (!t.empty && !t.note.is_empty()).then(|| t.note.clone());
        Table { caption, unit, head, body, note }
    }
}

fn head_cell(c: &outline::Cell) -> Cell {
    Cell::col(c.flat()).span(c.colspan, c.rowspan)
}

fn body_cell(c: &outline::Cell, rowspan: usize) -> Cell {
    let text = c.flat();
    let mut cell = if c.head && !text.is_empty() {
        Cell::row(text)
    } else if c.amount {
        Cell::num(text)
    } else {
        Cell::data(text)
    };
    cell = cell.span(c.colspan, rowspan);
    if !c.amount {
        match c.align.as_str() {
            "left" => cell = cell.class("l"),
            "right" => cell = cell.class("num"),
            _ => {}
        }
    }
    if c.bold {
        cell = cell.class("b");
    }
    match c.indent {
        0 => cell,
        1 => cell.class("i1"),
        _ => cell.class("i2"),
    }
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
    if let Some(note) = &t.note {
        let _ = writeln!(out, "<p class=\"table-note\">{}</p>", esc(note));
    }
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

/// A correction notice as a page of its own, in the same style: every word
/// comes from the notice's view (`diff::document::notice_view`).
pub fn notice_page(v: &NoticeView) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<meta name=\"author\" content=\"{}\">\n<style>{STYLE}</style>\n</head>\n\
         <body>\n<main>\n<h1>{}</h1>\n<p>{}</p>\n",
        esc(&v.title),
        esc(&v.department),
        esc(&v.title),
        esc(&v.lead),
    );
    for g in &v.groups {
        let _ = write!(
            out,
            "<div class=\"table\" role=\"region\" aria-label=\"{h}\" tabindex=\"0\">\n<table class=\"notice\">\n\
             <caption><h2>{h}</h2></caption>\n<thead><tr>",
            h = esc(&g.heading)
        );
        for c in &v.columns {
            let _ = write!(out, "<th scope=\"col\">{}</th>", esc(c));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for r in &g.rows {
            let _ = writeln!(
                out,
                "<tr><td class=\"num\">{}</td><td class=\"num\">{}</td><th scope=\"row\">{}</th>\
                 <td class=\"l\">{}</td><td class=\"l\">{}</td></tr>",
                r.n,
                r.page,
                esc(&r.location),
                esc(&r.old),
                esc(&r.new)
            );
        }
        out.push_str("</tbody>\n</table>\n</div>\n");
    }
    let _ = write!(
        out,
        "<p>{}</p>\n<p class=\"sign\">{}<br>{}</p>\n</main>\n</body>\n</html>\n",
        esc(&v.closing),
        esc(&v.department),
        esc(&v.date)
    );
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
