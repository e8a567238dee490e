//! Word 版（.docx）：与 PDF 同文同数，局里审阅、批改、在网站上发布时用。
//!
//! Written from the document's outline, like the web page: headings as
//! Word's heading styles (标题 1–4, so the navigation pane and a Word 目录
//! work), paragraphs in the body style, every table a real Word table whose
//! header rows repeat on each page, merged cells merged, amounts right
//! aligned; the profile's fonts named by role (方正小标宋简体, 仿宋_GB2312,
//! 黑体, 楷体_GB2312, 宋体); A4 with the PDF's margins, wide tables on
//! landscape pages, folios “— 1 —” right on odd and left on even pages.
//! No sentence is written here.
//!
//! The file is WordprocessingML written directly into a zip archive with the
//! `zip` crate yusuan already builds (for the workbooks): the Word writers
//! on crates.io either cannot mark header rows to repeat (docx-rs 0.4) or
//! bring another XML stack and zip version into the build (docx-rust). The
//! archive has fixed timestamps: the same input gives the same bytes.

use std::fmt::Write as _;
use std::io::Write as _;

use crate::export::markup::esc;
use crate::typeset::fonts::ROLES;
use crate::typeset::outline::{self, Block, Outline};

/// Twips (1/20 pt) per millimetre.
const TWIPS_PER_MM: f64 = 56.692_913;

/// The PDF's pages: A4, margins of templates/base/style.typ.
const A4: (u32, u32) = (11_906, 16_838);
const PORTRAIT_MARGINS: [f64; 4] = [37.0, 26.0, 35.0, 28.0];
const LANDSCAPE_MARGINS: [f64; 4] = [24.0, 23.0, 24.0, 23.0];

fn twips(mm: f64) -> u32 {
    (mm * TWIPS_PER_MM).round() as u32
}

/// The first (official) face of a font role: what a bureau's Word has.
fn face(role: &str) -> &'static str {
    ROLES.iter().find(|r| r.key == role).map_or("宋体", |r| r.candidates[0])
}

/// The whole .docx for one disclosure.
pub fn document(o: &Outline) -> Result<Vec<u8>, String> {
    let body = Body::of(o).xml;
    let files: [(&str, String); 9] = [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("docProps/core.xml", core(o)),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_string()),
        ("word/document.xml", format!("{DOC_OPEN}{body}{DOC_CLOSE}")),
        ("word/styles.xml", styles()),
        ("word/settings.xml", SETTINGS.to_string()),
        ("word/footer1.xml", footer("right")),
        ("word/footer2.xml", footer("left")),
    ];
    zip(&files).map_err(|e| format!("无法写出 Word 文件：{e}"))
}

fn zip(files: &[(&str, String)]) -> zip::result::ZipResult<Vec<u8>> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, text) in files {
        w.start_file(*name, options)?;
        w.write_all(text.as_bytes())?;
    }
    Ok(w.finish()?.into_inner())
}

/// The document's body: blocks in order, each table in a landscape section
/// of its own when the PDF sets it across.
struct Body {
    xml: String,
    /// The page break or section break a table on pages of its own needs
    /// was made already, before the heading that introduces it (附表).
    opened: bool,
}

/// A table that starts on a page of its own, as the PDF sets it.
fn on_own_page(t: &outline::Table) -> bool {
    t.style == "attached" || t.style == "page"
}

fn own_page(b: Option<&Block>) -> Option<&outline::Table> {
    match b {
        Some(Block::Table { table }) if on_own_page(table) => Some(table),
        _ => None,
    }
}

impl Body {
    fn of(o: &Outline) -> Body {
        let mut b = Body { xml: String::with_capacity(256 * 1024), opened: false };
        let blocks: Vec<&Block> = o
            .blocks
            .iter()
            .map(|p| &p.block)
            .filter(|b| !matches!(b, Block::Rows { .. }))
            .collect();
        for (i, block) in blocks.iter().enumerate() {
            // A heading that stands at the top of a table's first page
            // (附表) goes to that page with it.
            if let (Block::Heading { .. }, Some(t)) = (block, own_page(blocks.get(i + 1).copied()))
            {
                b.open(t);
                b.opened = true;
            }
            b.block(block);
        }
        b.xml.push_str(&section(false));
        b
    }

    /// A new page for a table: a section break into landscape pages, or a
    /// page break.
    fn open(&mut self, t: &outline::Table) {
        if t.landscape {
            self.xml.push_str(&format!("<w:p><w:pPr>{}</w:pPr></w:p>", section(false)));
        } else {
            self.xml.push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
        }
    }

    fn block(&mut self, b: &Block) {
        match b {
            Block::Title { lines } => {
                for l in lines {
                    self.para("Title", "", l);
                }
            }
            Block::Heading { level, kind, text } => {
                let style = if kind == "part" {
                    "Part".to_string()
                } else {
                    format!("Heading{}", level.min(&4))
                };
                self.para(&style, "", text);
            }
            Block::Para { text } => self.para("Body", "", text),
            Block::Line { text } => self.para("Line", "", text),
            Block::Sample { text } => self.para("Sample", "", text),
            Block::Draft { text } => self.para("Draft", "", text),
            Block::Table { table } => self.table(table),
            Block::Rows { .. } | Block::Toc => {}
        }
    }

    fn para(&mut self, style: &str, extra: &str, text: &str) {
        let _ = write!(self.xml, "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/>{extra}</w:pPr>");
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.xml.push_str("<w:r><w:br/></w:r>");
            }
            let _ = write!(self.xml, "<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r>", esc(line));
        }
        self.xml.push_str("</w:p>");
    }

    /// Caption, unit line, the table; on landscape pages when the PDF has it so.
    fn table(&mut self, t: &outline::Table) {
        let opened = std::mem::take(&mut self.opened);
        if !opened && (on_own_page(t) || t.landscape) {
            self.open(t);
        }
        let style = if t.style == "body" || t.style.is_empty() { "Caption" } else { "TableTitle" };
        self.para(style, "", &t.caption());
        if let Some(l) = &t.line {
            // The right part across from the left, on a right tab stop.
            let width = text_width(t.landscape);
            let tab = format!("<w:tabs><w:tab w:val=\"right\" w:pos=\"{width}\"/></w:tabs>");
            let line = if l.right.is_empty() {
                l.left.clone()
            } else {
                format!("{}\t{}", l.left, l.right)
            };
            self.unit_line(&tab, &line);
        }
        self.xml.push_str(&Grid::of(t).xml());
        // An empty table's note is its one row; a table with rows may
        // have a note below it.
        if !t.note.is_empty() && !t.empty {
            self.para("TableNote", "", &t.note);
        }
        if t.landscape {
            self.xml.push_str(&format!("<w:p><w:pPr>{}</w:pPr></w:p>", section(true)));
        }
    }

    fn unit_line(&mut self, tabs: &str, text: &str) {
        let _ = write!(self.xml, "<w:p><w:pPr><w:pStyle w:val=\"TableLine\"/>{tabs}</w:pPr>");
        for (i, part) in text.split('\t').enumerate() {
            if i > 0 {
                self.xml.push_str("<w:r><w:tab/></w:r>");
            }
            let _ = write!(self.xml, "<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r>", esc(part));
        }
        self.xml.push_str("</w:p>");
    }
}

/// The text width in twips: 156 mm upright, 251 mm across.
fn text_width(landscape: bool) -> u32 {
    let (w, m) = if landscape { (A4.1, LANDSCAPE_MARGINS) } else { (A4.0, PORTRAIT_MARGINS) };
    w - twips(m[1]) - twips(m[3])
}

/// A section's page: A4 upright or across, the PDF's margins, the folios.
fn section(landscape: bool) -> String {
    let (w, h) = if landscape { (A4.1, A4.0) } else { A4 };
    let m = if landscape { LANDSCAPE_MARGINS } else { PORTRAIT_MARGINS };
    let orient = if landscape { " w:orient=\"landscape\"" } else { "" };
    let footers = "<w:footerReference w:type=\"default\" r:id=\"rIdFooterOdd\"/>\
                   <w:footerReference w:type=\"even\" r:id=\"rIdFooterEven\"/>";
    format!(
        "<w:sectPr>{footers}<w:pgSz w:w=\"{w}\" w:h=\"{h}\"{orient}/>\
         <w:pgMar w:top=\"{}\" w:right=\"{}\" w:bottom=\"{}\" w:left=\"{}\" w:header=\"851\" w:footer=\"{}\" w:gutter=\"0\"/>\
         <w:pgNumType w:fmt=\"decimal\"/></w:sectPr>",
        twips(m[0]),
        twips(m[1]),
        twips(m[2]),
        twips(m[3]),
        twips(m[2] - 7.0),
    )
}

/// A table as Word's grid: header rows marked to repeat, spans as gridSpan
/// and vMerge, the rows above the header (a 绩效目标表's goals) first.
struct Grid<'a> {
    t: &'a outline::Table,
    widths: Vec<u32>,
}

impl<'a> Grid<'a> {
    fn of(t: &'a outline::Table) -> Grid<'a> {
        let total = text_width(t.landscape) as f64;
        let sum: f64 = t.widths.iter().sum::<f64>().max(1.0);
        let widths = t.widths.iter().map(|w| (total * w / sum).round() as u32).collect();
        Grid { t, widths }
    }

    fn xml(&self) -> String {
        let mut x = String::from(
            "<w:tbl><w:tblPr><w:tblStyle w:val=\"Grid\"/><w:tblW w:w=\"0\" w:type=\"auto\"/>\
             <w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>",
        );
        for w in &self.widths {
            let _ = write!(x, "<w:gridCol w:w=\"{w}\"/>");
        }
        x.push_str("</w:tblGrid>");
        let t = self.t;
        if let Some(pre) = &t.pre {
            let extra = t.widths.len().saturating_sub(pre.widths.len());
            for r in &pre.rows {
                let n = r.cells.len();
                let cells: Vec<(&outline::Cell, usize, Merge)> = r
                    .cells
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        (c, c.colspan + if i + 1 == n { extra } else { 0 }, Merge::from(c.rowspan))
                    })
                    .collect();
                x.push_str(&self.row(&cells, false, false));
            }
        }
        let repeat = t.pre.is_none();
        for r in head_grid(t) {
            x.push_str(&self.row(
                &r.iter().map(|(c, m)| (*c, c.colspan, *m)).collect::<Vec<_>>(),
                repeat,
                true,
            ));
        }
        if t.empty {
            let note =
                outline::Cell { text: t.note.clone(), align: "left".into(), ..Default::default() };
            x.push_str(&self.row(&[(&note, t.widths.len().max(1), Merge::None)], false, false));
        } else {
            for (k, r) in t.rows.iter().enumerate() {
                let cells: Vec<_> = r
                    .cells
                    .iter()
                    .enumerate()
                    .map(|(j, c)| {
                        let merge = match t.rowspan(k, j) {
                            0 => Merge::Continue,
                            1 => Merge::None,
                            _ => Merge::Restart,
                        };
                        (c, c.colspan, merge)
                    })
                    .collect();
                x.push_str(&self.row(&cells, false, false));
            }
        }
        x.push_str("</w:tbl>");
        x
    }

    fn row(&self, cells: &[(&outline::Cell, usize, Merge)], repeat: bool, head: bool) -> String {
        let mut x = String::from("<w:tr><w:trPr><w:cantSplit/>");
        if repeat {
            x.push_str("<w:tblHeader/>");
        }
        x.push_str("</w:trPr>");
        let mut col = 0;
        for (c, span, merge) in cells {
            let width: u32 = self.widths.iter().skip(col).take(*span).sum();
            col += span;
            x.push_str(&cell(c, *span, *merge, width, head));
        }
        x.push_str("</w:tr>");
        x
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Merge {
    None,
    Restart,
    Continue,
}

impl From<usize> for Merge {
    fn from(rowspan: usize) -> Merge {
        if rowspan > 1 { Merge::Restart } else { Merge::None }
    }
}

/// The header rows with every row-spanned cell continued below it: Word
/// wants a cell in each row a merged cell covers.
fn head_grid(t: &outline::Table) -> Vec<Vec<(&outline::Cell, Merge)>> {
    let width = t.widths.len();
    let mut busy: Vec<Option<(&outline::Cell, usize)>> = vec![None; width];
    let mut out = Vec::new();
    for row in &t.head {
        let mut cells = Vec::new();
        let mut j = 0;
        let mut it = row.iter();
        while j < width {
            if let Some((c, left)) = busy[j] {
                cells.push((c, Merge::Continue));
                busy[j] = (left > 1).then_some((c, left - 1));
                j += c.colspan.max(1);
                continue;
            }
            let Some(c) = it.next() else { break };
            if c.rowspan > 1 {
                busy[j] = Some((c, c.rowspan - 1));
            }
            cells.push((c, Merge::from(c.rowspan)));
            j += c.colspan.max(1);
        }
        out.push(cells);
    }
    out
}

fn cell(c: &outline::Cell, span: usize, merge: Merge, width: u32, head: bool) -> String {
    let mut x = format!("<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>");
    if span > 1 {
        let _ = write!(x, "<w:gridSpan w:val=\"{span}\"/>");
    }
    match merge {
        Merge::Restart => x.push_str("<w:vMerge w:val=\"restart\"/>"),
        Merge::Continue => x.push_str("<w:vMerge/>"),
        Merge::None => {}
    }
    x.push_str("<w:vAlign w:val=\"center\"/></w:tcPr>");
    let jc = if head {
        "center"
    } else if c.amount || c.align == "right" {
        "right"
    } else if c.align == "left" {
        "left"
    } else {
        "center"
    };
    let indent = if c.indent > 0 {
        format!("<w:ind w:left=\"{}\"/>", c.indent * 210)
    } else {
        String::new()
    };
    let _ = write!(
        x,
        "<w:p><w:pPr><w:pStyle w:val=\"TableText\"/><w:jc w:val=\"{jc}\"/>{indent}</w:pPr>"
    );
    if merge != Merge::Continue {
        let bold = if head || c.bold { "<w:rPr><w:b/></w:rPr>" } else { "" };
        for (i, line) in c.text.split('\n').enumerate() {
            if i > 0 && !head {
                x.push_str("<w:r><w:br/></w:r>");
            }
            let _ = write!(x, "<w:r>{bold}<w:t xml:space=\"preserve\">{}</w:t></w:r>", esc(line));
        }
    }
    x.push_str("</w:p></w:tc>");
    x
}

fn core(o: &Outline) -> String {
    let m = &o.meta;
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\">\
         <dc:title>{}</dc:title><dc:creator>{}</dc:creator><dc:description>{}</dc:description>\
         <cp:keywords>{}</cp:keywords><dc:language>zh-CN</dc:language></cp:coreProperties>",
        esc(&m.title),
        esc(&m.author),
        esc(&m.description),
        esc(&m.keywords.join(",")),
    )
}

/// “— 1 —”, right on odd pages, left on even ones, in 宋体 4 号.
fn footer(side: &str) -> String {
    let run = |t: &str| format!("<w:r><w:t xml:space=\"preserve\">{t}</w:t></w:r>");
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:p><w:pPr><w:pStyle w:val=\"Folio\"/><w:jc w:val=\"{side}\"/></w:pPr>{}\
         <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>\
         <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>{}</w:p></w:ftr>",
        run("— "),
        run(" —"),
    )
}

/// One paragraph style: its name as Word shows it, fonts, size (half
/// points) and paragraph settings.
fn style(id: &str, name: &str, font: &str, half_points: u32, ppr: &str, rpr: &str) -> String {
    let outline = match id.strip_prefix("Heading") {
        Some(n) => format!("<w:outlineLvl w:val=\"{}\"/>", n.parse::<u32>().unwrap_or(1) - 1),
        None => String::new(),
    };
    format!(
        "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/>\
         <w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr>{ppr}{outline}</w:pPr><w:rPr>\
         <w:rFonts w:ascii=\"{font}\" w:hAnsi=\"{font}\" w:eastAsia=\"{font}\" w:cs=\"{font}\"/>{rpr}\
         <w:sz w:val=\"{half_points}\"/><w:szCs w:val=\"{half_points}\"/></w:rPr></w:style>"
    )
}

fn styles() -> String {
    // 22 lines in the 225 mm 版心: 28.9 pt, exactly.
    let grid = "<w:spacing w:line=\"578\" w:lineRule=\"exact\" w:before=\"0\" w:after=\"0\"/>";
    let indented = format!("{grid}<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/>");
    let body = format!("{indented}<w:jc w:val=\"both\"/>");
    let centred = "<w:jc w:val=\"center\"/>";
    let tight = "<w:spacing w:before=\"0\" w:after=\"0\"/>";
    let list = [
        style(
            "Title",
            "标题",
            face("title"),
            44,
            &format!("{centred}<w:spacing w:after=\"480\"/>"),
            "<w:b/>",
        ),
        style("Heading1", "heading 1", face("hei"), 32, &format!("{indented}<w:keepNext/>"), ""),
        style("Heading2", "heading 2", face("kai"), 32, &format!("{indented}<w:keepNext/>"), ""),
        style("Heading3", "heading 3", face("body"), 32, &format!("{indented}<w:keepNext/>"), ""),
        style("Heading4", "heading 4", face("body"), 32, &format!("{indented}<w:keepNext/>"), ""),
        style("Part", "部分标题", face("kai"), 32, &format!("{grid}{centred}<w:keepNext/>"), ""),
        style("Body", "正文段落", face("body"), 32, &body, ""),
        style("Line", "居中一行", face("body"), 32, &format!("{grid}{centred}"), ""),
        style(
            "Caption",
            "表名",
            face("hei"),
            24,
            &format!("{centred}<w:spacing w:before=\"240\" w:after=\"120\"/><w:keepNext/>"),
            "",
        ),
        style(
            "TableTitle",
            "附表名",
            face("hei"),
            30,
            &format!("{centred}<w:spacing w:before=\"240\" w:after=\"120\"/><w:keepNext/>"),
            "",
        ),
        style("TableLine", "表上说明行", face("song"), 21, &format!("{tight}<w:keepNext/>"), ""),
        style("TableText", "表格文字", face("song"), 21, tight, ""),
        style(
            "TableNote",
            "表下说明",
            face("song"),
            21,
            "<w:spacing w:before=\"160\" w:after=\"0\"/>",
            "",
        ),
        style("Sample", "样例说明", face("hei"), 21, "<w:jc w:val=\"right\"/>", ""),
        style("Draft", "草稿", face("hei"), 32, centred, "<w:color w:val=\"A6A6A6\"/>"),
        style("Folio", "页码", face("song"), 28, tight, ""),
    ];
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"{body}\" w:hAnsi=\"{body}\" w:eastAsia=\"{body}\" w:cs=\"{body}\"/>\
         <w:sz w:val=\"32\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:spacing w:after=\"0\"/></w:pPr></w:pPrDefault></w:docDefaults>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style>\
         <w:style w:type=\"table\" w:styleId=\"Grid\"><w:name w:val=\"表格网格\"/><w:tblPr><w:tblBorders>\
         <w:top w:val=\"single\" w:sz=\"4\"/><w:left w:val=\"single\" w:sz=\"4\"/><w:bottom w:val=\"single\" w:sz=\"4\"/>\
         <w:right w:val=\"single\" w:sz=\"4\"/><w:insideH w:val=\"single\" w:sz=\"4\"/><w:insideV w:val=\"single\" w:sz=\"4\"/>\
         </w:tblBorders><w:tblCellMar><w:left w:w=\"70\" w:type=\"dxa\"/><w:right w:w=\"70\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
         {}</w:styles>",
        list.concat(),
        body = face("body"),
    )
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/word/footer2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
</Types>";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
</Relationships>";

const DOCUMENT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
<Relationship Id=\"rIdFooterOdd\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>\
<Relationship Id=\"rIdFooterEven\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer2.xml\"/>\
</Relationships>";

const SETTINGS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:evenAndOddHeaders/><w:defaultTabStop w:val=\"420\"/><w:characterSpacingControl w:val=\"compressPunctuation\"/>\
</w:settings>";

const DOC_OPEN: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>";

const DOC_CLOSE: &str = "</w:body></w:document>";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_data_is_text() {
        assert_eq!(esc("<b>&\"\u{1}"), "&lt;b&gt;&amp;&quot;");
    }

    #[test]
    fn header_rows_continue_their_row_spans() {
        let c = |text: &str, colspan, rowspan| outline::Cell {
            text: text.into(),
            colspan,
            rowspan,
            ..Default::default()
        };
        let t = outline::Table {
            widths: vec![1.0, 1.0, 1.0],
            head: vec![
                vec![c("科目", 1, 2), c("本年", 2, 1)],
                vec![c("基本", 1, 1), c("项目", 1, 1)],
            ],
            ..Default::default()
        };
        let g = head_grid(&t);
        let shape: Vec<Vec<(String, Merge)>> =
            g.iter().map(|r| r.iter().map(|(c, m)| (c.text.clone(), *m)).collect()).collect();
        assert_eq!(shape[0], [("科目".into(), Merge::Restart), ("本年".into(), Merge::None)]);
        assert_eq!(
            shape[1],
            [
                ("科目".into(), Merge::Continue),
                ("基本".into(), Merge::None),
                ("项目".into(), Merge::None)
            ]
        );
    }
}
