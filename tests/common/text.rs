//! The text of a PDF against the text of another rendering of the same
//! document (the web page, the Word file): running text in the PDF's
//! order, each table's cells within the table's stretch of the PDF, and
//! nothing left over in the PDF but repeated table headers and 续表 marks.

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

/// The PDF's text as `pdftotext -raw` gives it (content order), white
/// space removed — lines break anywhere in justified CJK text and table
/// cells — but with where it was kept: two table cells “3” and “4182.60”
/// must not read as one number. Folios and the 目录 page are dropped.
pub struct PdfText {
    text: String,
    /// Byte offsets in `text` that white space preceded.
    gaps: HashSet<usize>,
}

pub fn read_pdf(pdf: &Path) -> PdfText {
    let out = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext is installed (poppler-utils)");
    let raw = String::from_utf8(out.stdout).unwrap();
    let squeezed = |l: &str| l.split_whitespace().collect::<String>();
    // The 目录 (a page's list of headings and page numbers) is not on the
    // web page, which has the headings themselves: from the line “目录” to
    // the end of its page. pdftotext ends each page with a form feed.
    let raw: String = raw
        .split('\u{c}')
        .map(|page| match page.lines().position(|l| squeezed(l) == "目录") {
            Some(k) => page.lines().take(k).collect::<Vec<_>>().join("\n"),
            None => page.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    // The 样例 line heads every PDF page and the web page once, at its top.
    let mut marks = 0;
    let lines: Vec<&str> = raw
        .lines()
        .filter(|l| !is_folio(l))
        .filter(|l| {
            let mark = squeezed(l) == super::SAMPLE_MARK.replace('　', "");
            marks += usize::from(mark);
            !mark || marks == 1
        })
        .collect();
    let mut text = String::new();
    let mut gaps = HashSet::new();
    for word in lines.iter().flat_map(|l| l.split_whitespace()) {
        gaps.insert(text.len());
        text.push_str(word);
    }
    PdfText { text, gaps }
}

fn is_folio(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('—') && t.ends_with('—') && t.trim_matches(['—', ' ']).parse::<u32>().is_ok()
}

/// A rendering's text: running text, and each table's pieces (one per cell
/// or run of text in a cell), white space removed.
#[derive(Debug)]
pub enum Block {
    Flow(String),
    Table(Vec<String>),
}

/// White space removed, entities decoded; `None` when nothing is left.
pub fn squeeze(raw: &str) -> Option<String> {
    let text: String = raw
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .split_whitespace()
        .collect();
    (!text.is_empty()).then_some(text)
}

/// Finds the page's text in the PDF's, marking what it used.
struct Matcher<'a> {
    pdf: &'a PdfText,
    used: Vec<bool>,
}

impl Matcher<'_> {
    /// The first unused place in `from..to` where `piece` stands whole: a
    /// piece that starts or ends in a digit may not match part of a longer
    /// number (white space between them in the PDF does separate them).
    fn find(&self, piece: &str, from: usize, to: usize) -> Option<usize> {
        let text = &self.pdf.text[..to];
        let is_num = |c: char| c.is_ascii_digit() || c == '.';
        let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
        let mut at = from;
        while let Some(i) = text.get(at..)?.find(piece).map(|i| i + at) {
            let end = i + piece.len();
            let joined = |edge: usize, piece_end: Option<char>, next: Option<char>| {
                digit(piece_end) && next.is_some_and(is_num) && !self.pdf.gaps.contains(&edge)
            };
            let cut_before = joined(i, piece.chars().next(), text[..i].chars().next_back());
            let cut_after =
                joined(end, piece.chars().next_back(), self.pdf.text[end..].chars().next());
            if !cut_before && !cut_after && !self.used[i..end].contains(&true) {
                return Some(i);
            }
            at = i + text[i..].chars().next().unwrap().len_utf8();
        }
        None
    }

    fn take(&mut self, piece: &str, from: usize, to: usize) -> Result<usize, String> {
        let i = self.find(piece, from, to).ok_or_else(|| {
            let near: String = self.pdf.text[from..].chars().take(60).collect();
            format!("HTML text {piece:?} is not in the PDF where expected; the PDF goes on: {near}")
        })?;
        self.used[i..i + piece.len()].fill(true);
        Ok(i + piece.len())
    }

    /// What the PDF has that no piece of the page used.
    fn left_over(&self) -> Vec<String> {
        let mut runs = Vec::new();
        let mut run = String::new();
        for (i, c) in self.pdf.text.char_indices() {
            if self.used[i] {
                if !run.is_empty() {
                    runs.push(std::mem::take(&mut run));
                }
            } else {
                run.push(c);
            }
        }
        runs.extend((!run.is_empty()).then_some(run));
        runs
    }
}

/// Running text must come in the PDF's order. A table's cells may not:
/// Typst draws a cell spanning rows after the rows it spans, so each
/// table is matched as a whole, between the running text around it.
fn match_page(pdf: &PdfText, blocks: &[Block]) -> Result<Vec<String>, String> {
    let mut m = Matcher { pdf, used: vec![false; pdf.text.len()] };
    let mut pos = 0;
    for (k, block) in blocks.iter().enumerate() {
        match block {
            Block::Flow(text) => pos = m.take(text, pos, pdf.text.len())?,
            Block::Table(pieces) => {
                let next = blocks[k + 1..].iter().find_map(|b| match b {
                    Block::Flow(t) => Some(t),
                    Block::Table(_) => None,
                });
                let end = match next {
                    Some(t) => {
                        m.find(t, pos, pdf.text.len()).ok_or(format!("{t:?} not in the PDF"))?
                    }
                    None => pdf.text.len(),
                };
                // Longest first, so a short cell does not take a place
                // inside a longer one.
                let mut pieces: Vec<&String> = pieces.iter().collect();
                pieces.sort_by_key(|p| std::cmp::Reverse(p.len()));
                for piece in pieces {
                    m.take(piece, pos, end)?;
                }
            }
        }
    }
    Ok(m.left_over())
}

/// What the PDF may have that the page has not: table headers repeated on
/// a new page and continuation marks. A sentence (。) or a figure left over
/// means the page lacks it; so does any text the page never shows.
fn check_left_over(left: &[String], html_text: &str) -> Result<(), String> {
    for run in left {
        // “续表2”“续附表3” head a continued part; the number is the table's.
        let unmarked = continuation(run).unwrap_or(run);
        if !repeated(unmarked.trim_end_matches("（续）"), html_text) {
            return Err(format!("the PDF has {run:?}, the HTML page has not"));
        }
    }
    Ok(())
}

/// Whether `run` is made of lines the page already has: a continued
/// table's 编制单位 line, header row and 一级 label, repeated on its new
/// page. Taken greedily, longest piece first; a piece with a figure or a
/// full stop must be a long line (“101001张家口市…本级”), so a bare figure
/// or a sentence the page lacks never passes this way.
fn repeated(run: &str, html_text: &str) -> bool {
    let mut rest = run;
    while !rest.is_empty() {
        let ends: Vec<usize> = rest.char_indices().map(|(i, c)| i + c.len_utf8()).collect();
        let Some(&end) = ends.iter().rev().find(|&&e| html_text.contains(&rest[..e])) else {
            return false;
        };
        let piece = &rest[..end];
        let wide = piece.chars().filter(|c| !c.is_ascii()).count();
        if (piece.contains('。') || piece.contains(|c: char| c.is_ascii_digit())) && wide < 6 {
            return false;
        }
        rest = &rest[end..];
    }
    true
}

/// The rest of a run after its “续表N” or “续附表N” mark, if it has one.
fn continuation(run: &str) -> Option<&str> {
    let rest = run.strip_prefix("续附表").or_else(|| run.strip_prefix("续表"))?;
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    (digits > 0).then(|| &rest[digits..])
}

pub fn same_text(blocks: &[Block], pdf: &PdfText) -> Result<(), String> {
    let left = match_page(pdf, blocks)?;
    let html_text: String = blocks
        .iter()
        .map(|b| match b {
            Block::Flow(t) => t.clone(),
            Block::Table(p) => p.concat(),
        })
        .collect();
    check_left_over(&left, &html_text)
}
