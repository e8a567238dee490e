//! 文档的文字大纲：从排好的文档中读回每个标题、段落与表格，按阅读顺序，带页码。
//!
//! The templates' base leaves a mark (`metadata(...)<yusuan>`) beside
//! everything it prints: the title, each heading as printed (number
//! included), each paragraph, each table as the data it was drawn from, and
//! where each part of a broken table starts. The web page, the Word file,
//! the correction notice and `--emit-data`'s outline are all made from this
//! outline, so a sentence is written once, in its profile's templates, and
//! every output of every profile says the same thing. Renderers consume the
//! outline; they never rewrite it.

use serde::{Deserialize, Serialize};
use typst::foundations::{Label, Selector, Value};
use typst::introspection::Introspector;
use typst::model::Document;
use typst::utils::PicoStr;
use typst_layout::PagedDocument;

/// The label the base gives its marks.
const MARK: &str = "yusuan";

/// The laid-out document's text, in reading order.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Outline {
    /// 文件标题等元数据（与 PDF 相同）。
    pub meta: Meta,
    /// 各块，按阅读顺序，各带页码。
    pub blocks: Vec<Placed>,
}

/// The document's metadata, as the PDF carries it.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Meta {
    /// 标题：部门名称加主题（草稿带“（草稿）”）。
    pub title: String,
    /// 作者：部门。
    pub author: String,
    /// 主题。
    pub description: String,
    /// 关键词。
    pub keywords: Vec<String>,
}

/// One block and the page (from 1) it starts on.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Placed {
    pub page: usize,
    #[serde(flatten)]
    pub block: Block,
}

/// What the base marks.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "k", rename_all = "lowercase")]
pub enum Block {
    /// 文件标题（一行或几行）。
    Title { lines: Vec<String> },
    /// 标题：级别（1 为一级）、种类（chapter、section、part、item）与印出的文字（含编号）。
    Heading { level: usize, kind: String, text: String },
    /// 正文段落。
    Para { text: String },
    /// 单独居中的一行（如封面上的“预算主管部门：……”）。
    Line { text: String },
    /// 一张表（整张，在它开始的地方）。
    Table { table: Box<Table> },
    /// 一张表在某页上的一段：第 start 行至第 end 行之前。
    Rows { table: String, start: usize, end: usize },
    /// 样例说明（PDF 每页天头印一次）。
    Sample { text: String },
    /// 草稿标记（PDF 每页的水印）。
    Draft { text: String },
    /// 目录的位置。
    Toc,
}

/// A table as the templates drew it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct Table {
    /// 稳定的名字：“units”“attached-3”。
    pub id: String,
    /// 表号：“表1”“附表3”；没有表号时为空。
    pub label: String,
    /// 表名。
    pub title: String,
    /// 表上的说明行（编制部门、单位、截止时间）。
    pub line: Option<Line>,
    /// 标题的印法：body（表N 居中一行）、attached（附表N，目录中的标题）、page（另起一页的标题）。
    pub style: String,
    /// 各列的相对宽度（以字宽计的列折算为比例）。
    #[serde(deserialize_with = "widths")]
    pub widths: Vec<f64>,
    /// 表头各行。
    pub head: Vec<Vec<Cell>>,
    /// 表头之上、只在第一页印的几行（绩效目标），列宽另计。
    pub pre: Option<Pre>,
    /// 表体各行。
    pub rows: Vec<Row>,
    /// 相邻而相同者合并的列。
    pub merge: Vec<usize>,
    /// 表下的说明（空表说明）。
    pub note: String,
    /// 没有数据的空表。
    pub empty: bool,
    /// 横排。
    pub landscape: bool,
}

/// The line above a table: its left part and the part across from it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct Line {
    pub left: String,
    pub right: String,
}

/// Rows set above a table's header, with columns of their own.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct Pre {
    #[serde(deserialize_with = "widths")]
    pub widths: Vec<f64>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct Row {
    pub cells: Vec<Cell>,
}

/// A cell as drawn. `text` may hold "\n" where the PDF breaks a narrow
/// header; the other renderers join the lines.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Cell {
    pub text: String,
    pub colspan: usize,
    pub rowspan: usize,
    /// left、center、right.
    pub align: String,
    pub bold: bool,
    pub indent: usize,
    /// 行标题。
    pub head: bool,
    /// 金额（右对齐）。
    #[serde(deserialize_with = "present")]
    pub amount: bool,
    /// 合并列中据以合并的值；没有时为文字。
    pub key: Option<serde_json::Value>,
}

impl Default for Cell {
    fn default() -> Cell {
        Cell {
            text: String::new(),
            colspan: 1,
            rowspan: 1,
            align: "center".into(),
            bold: false,
            indent: 0,
            head: false,
            amount: false,
            key: None,
        }
    }
}

impl Cell {
    /// The text as one line: the PDF's forced breaks removed.
    pub fn flat(&self) -> String {
        self.text.replace('\n', "")
    }

    /// A figure, right-aligned.
    pub fn is_amount(&self) -> bool {
        self.amount || self.align == "right"
    }
}

impl Table {
    /// “附表3　部门支出总表”, or the title alone.
    pub fn caption(&self) -> String {
        if self.label.is_empty() {
            self.title.clone()
        } else {
            format!("{}　{}", self.label, self.title)
        }
    }

    /// The merge key of row `k` in column `x`: the keys of the merged
    /// columns up to `x`, as the base merges them.
    fn merge_key(&self, k: usize, x: usize) -> Vec<String> {
        self.merge
            .iter()
            .filter(|&&m| m <= x)
            .map(|&m| {
                let c = self.rows.get(k).and_then(|r| r.cells.get(m));
                c.map_or(String::new(), |c| {
                    c.key.as_ref().map_or(c.text.clone(), |v| v.to_string())
                })
            })
            .collect()
    }

    /// How many rows the cell of row `k` in merged column `x` covers: 0
    /// when a cell above covers it.
    pub fn rowspan(&self, k: usize, x: usize) -> usize {
        if !self.merge.contains(&x) {
            return 1;
        }
        if k > 0 && self.merge_key(k - 1, x) == self.merge_key(k, x) {
            return 0;
        }
        (k..self.rows.len()).take_while(|&j| self.merge_key(j, x) == self.merge_key(k, x)).count()
    }
}

/// Widths as fractions: a number as it is, a length in em (the 绩效目标表's
/// narrow columns) as that many characters of a 10.5 pt text against a
/// fraction of about 3.5 characters.
fn widths<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
    let raw: Vec<serde_json::Value> = Deserialize::deserialize(d)?;
    Ok(raw.iter().map(width).collect())
}

fn width(v: &serde_json::Value) -> f64 {
    match v {
        serde_json::Value::Number(n) => n.as_f64().unwrap_or(1.0),
        serde_json::Value::String(s) => {
            let number = |suffix: &str| s.strip_suffix(suffix).and_then(|n| n.parse::<f64>().ok());
            number("fr").or_else(|| number("em").map(|em| em / 3.5)).unwrap_or(1.0)
        }
        _ => 1.0,
    }
}

/// Whether an optional field is there at all (an amount is a dictionary).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let v: serde_json::Value = Deserialize::deserialize(d)?;
    Ok(!matches!(v, serde_json::Value::Null | serde_json::Value::Bool(false)))
}

/// Reads the outline of a laid-out document. A mark the base did not make
/// (a profile's own metadata under the same label) is skipped.
pub fn read(doc: &PagedDocument) -> Outline {
    let intro = doc.introspector();
    let label = Label::new(PicoStr::intern(MARK)).expect("a label name");
    let blocks = intro
        .query(&Selector::Label(label))
        .iter()
        .filter_map(|c| {
            let page = c.location().and_then(|l| intro.page(l)).map_or(1, |p| p.get());
            let value = c.get_by_name("value").ok()?;
            Some(Placed { page, block: block(&value)? })
        })
        .collect();
    Outline { meta: meta(doc), blocks }
}

fn block(v: &Value) -> Option<Block> {
    let json = serde_json::to_value(v).ok()?;
    serde_json::from_value(json).ok()
}

fn meta(doc: &PagedDocument) -> Meta {
    let info = doc.info();
    Meta {
        title: info.title.as_ref().map(|t| t.to_string()).unwrap_or_default(),
        author: info.author.join("、"),
        description: info.description.as_ref().map(|t| t.to_string()).unwrap_or_default(),
        keywords: info.keywords.iter().map(|k| k.to_string()).collect(),
    }
}

impl Outline {
    /// Every table, in order.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match &b.block {
            Block::Table { table } => Some(table.as_ref()),
            _ => None,
        })
    }

    /// The page each row of table `id` is printed on.
    pub fn row_pages(&self, id: &str) -> Vec<(usize, usize, usize)> {
        self.blocks
            .iter()
            .filter_map(|b| match &b.block {
                Block::Rows { table, start, end } if table == id => Some((*start, *end, b.page)),
                _ => None,
            })
            .collect()
    }

    /// Whether the document is a draft (草稿 on every page).
    pub fn draft(&self) -> bool {
        self.blocks.iter().any(|b| matches!(b.block, Block::Draft { .. }))
    }

    /// The outline as JSON, for `--emit-data`.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("the outline serializes") + "\n"
    }
}
