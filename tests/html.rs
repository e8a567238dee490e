//! `yusuan build --html`: the web page of each disclosure, read against its
//! PDF and checked by a real checker (axe-core) in a real browser (Debian's
//! headless Chromium). `.ci/run` installs both; run `npm ci` in
//! tests/browser/ by hand elsewhere.

mod common;

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{root, stderr, yusuan};
use serde_json::Value;

/// The samples of the default profile, each built in its own temp folder
/// with `--html`. The web page follows the default profile's chapters; a
/// file of another profile gets no page (a warning says so; see
/// `a_profile_without_a_web_page_says_so`).
fn samples() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(root().join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .filter(|p| other_profile(p).is_none() && !final_accounts(p))
        .collect();
    files.sort();
    assert!(files.len() >= 2, "the samples are in data/");
    files
}

/// A 决算 file: it builds only beside the budget it names, and has no web
/// page yet (its profile is not the default one).
fn final_accounts(p: &Path) -> bool {
    fs::read_to_string(p).unwrap().lines().any(|l| l.trim() == "[final_accounts]")
}

/// The profile a data file names, when it is not the default one.
fn other_profile(p: &Path) -> Option<String> {
    let text = fs::read_to_string(p).unwrap();
    let line = text.lines().find(|l| l.starts_with("profile = "))?;
    let name = line.trim_start_matches("profile = ").trim().trim_matches('"').to_string();
    (name != "hebei").then_some(name)
}

#[test]
fn a_profile_without_a_web_page_says_so() {
    let sample = fs::read_dir(root().join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.extension().is_some_and(|e| e == "toml")
                && other_profile(p).is_some()
                && !final_accounts(p)
        })
        .expect("a sample of another profile");
    let dir = tempfile::tempdir().unwrap();
    let name = sample.file_name().unwrap();
    fs::copy(&sample, dir.path().join(name)).unwrap();
    let out = yusuan(dir.path(), &["build", name.to_str().unwrap(), "--html", "--no-system-fonts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let stem = sample.file_stem().unwrap().to_str().unwrap();
    assert!(dir.path().join(format!("output/{stem}.pdf")).exists());
    assert!(!dir.path().join(format!("output/{stem}.html")).exists());
    assert!(stderr(&out).contains("网页"), "the warning names the page: {}", stderr(&out));
}

struct Built {
    _dir: tempfile::TempDir,
    html: PathBuf,
    pdf: PathBuf,
}

fn build(sample: &Path, extra: &[&str]) -> Built {
    let dir = tempfile::tempdir().unwrap();
    let name = sample.file_name().unwrap().to_str().unwrap();
    fs::copy(sample, dir.path().join(name)).unwrap();
    let mut args = vec!["build", name, "--html", "--no-system-fonts"];
    args.extend_from_slice(extra);
    let out = yusuan(dir.path(), &args);
    assert!(out.status.success(), "build --html failed on {name}:\n{}", stderr(&out));
    let stem = name.trim_end_matches(".toml");
    let html = dir.path().join(format!("output/{stem}.html"));
    let pdf = dir.path().join(format!("output/{stem}.pdf"));
    assert!(html.is_file() && pdf.is_file(), "no {stem}.html beside {stem}.pdf");
    Built { _dir: dir, html, pdf }
}

// ---------------------------------------------------------------------------
// The same text and figures as the PDF.

/// The PDF's text as `pdftotext -raw` gives it (content order), white
/// space removed — lines break anywhere in justified CJK text and table
/// cells — but with where it was kept: two table cells “3” and “4182.60”
/// must not read as one number. Folios and the 目录 page are dropped.
struct PdfText {
    text: String,
    /// Byte offsets in `text` that white space preceded.
    gaps: HashSet<usize>,
}

fn read_pdf(pdf: &Path) -> PdfText {
    let out = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext is installed (poppler-utils)");
    let raw = String::from_utf8(out.stdout).unwrap();
    let squeezed = |l: &str| l.split_whitespace().collect::<String>();
    // The 样例 line heads every PDF page and the web page once, at its top.
    let mut marks = 0;
    let mut lines: Vec<&str> = raw
        .lines()
        .filter(|l| !is_folio(l))
        .filter(|l| {
            let mark = squeezed(l) == common::SAMPLE_MARK.replace('　', "");
            marks += usize::from(mark);
            !mark || marks == 1
        })
        .collect();
    // The 目录 of a long document: the page has its headings instead.
    if let Some(toc) = lines.iter().position(|l| squeezed(l) == "目录") {
        let body = (toc..lines.len()).find(|&i| squeezed(lines[i]).starts_with("按照"));
        lines.drain(toc..body.unwrap_or(toc));
    }
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

/// The page's text inside `<main>`: running text, and each table's pieces
/// (one per run of text between tags), entities decoded, white space
/// removed.
#[derive(Debug)]
enum Block {
    Flow(String),
    Table(Vec<String>),
}

fn html_blocks(html: &str) -> Vec<Block> {
    let start = html.find("<main>").expect("the page has a <main>");
    let end = html.find("</main>").expect("the page closes <main>");
    let mut blocks = Vec::new();
    let mut in_table = false;
    let mut rest = &html[start..end];
    while !rest.is_empty() {
        let open = rest.find('<').unwrap_or(rest.len());
        if let Some(text) = squeeze(&rest[..open]) {
            match blocks.last_mut() {
                Some(Block::Table(pieces)) if in_table => pieces.push(text),
                _ => blocks.push(Block::Flow(text)),
            }
        }
        rest = &rest[open..];
        let close = rest.find('>').map_or(rest.len(), |i| i + 1);
        let tag = &rest[..close];
        if tag.starts_with("<table") {
            in_table = true;
            blocks.push(Block::Table(Vec::new()));
        } else if tag.starts_with("</table") {
            in_table = false;
        }
        rest = &rest[close..];
    }
    blocks
}

fn squeeze(raw: &str) -> Option<String> {
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

fn same_text(html: &str, pdf: &PdfText) -> Result<(), String> {
    let blocks = html_blocks(html);
    let left = match_page(pdf, &blocks)?;
    let html_text: String = blocks
        .iter()
        .map(|b| match b {
            Block::Flow(t) => t.clone(),
            Block::Table(p) => p.concat(),
        })
        .collect();
    check_left_over(&left, &html_text)
}

#[test]
fn every_sample_page_has_the_pdfs_text_and_figures() {
    for sample in samples() {
        let built = build(&sample, &[]);
        let html = fs::read_to_string(&built.html).unwrap();
        if let Err(e) = same_text(&html, &read_pdf(&built.pdf)) {
            panic!("{}: {e}", sample.display());
        }
    }
}

#[test]
fn the_comparison_notices_a_missing_figure_or_sentence() {
    let built = build(&samples()[1], &[]);
    let html = fs::read_to_string(&built.html).unwrap();
    let pdf = read_pdf(&built.pdf);
    assert_eq!(same_text(&html, &pdf), Ok(()));
    // Find a table amount and a sentence on the page and take each away.
    let amount = html.split("<td class=\"num").nth(3).unwrap();
    let amount = &amount[amount.find('>').unwrap() + 1..amount.find("</td>").unwrap()];
    assert!(amount.contains('.'), "{amount}");
    let no_figure = html.replacen(&format!(">{amount}</td>"), "></td>", 1);
    assert!(same_text(&no_figure, &pdf).is_err(), "a missing {amount} went unnoticed");
    let sentence = "<p>按照预算管理有关规定，目前我部门预算的编制实行综合预算制度，即全部收入和支出都反映在预算中。</p>";
    assert!(html.contains(sentence));
    assert!(same_text(&html.replacen(sentence, "", 1), &pdf).is_err(), "a missing sentence");
    // Text the PDF does not have, or the same text in another order.
    let extra = html.replacen("<h2>", "<p>本部门无其他收入。</p><h2>", 1);
    assert!(same_text(&extra, &pdf).is_err(), "an extra sentence");
    let swapped = html.replacen("二、部门预算安排的总体情况", "七、国有资产信息", 1);
    assert!(same_text(&swapped, &pdf).is_err(), "headings out of order");
}

// ---------------------------------------------------------------------------
// axe-core in headless Chromium.

fn chromium() -> String {
    std::env::var("YUSUAN_CHROMIUM").unwrap_or_else(|_| "chromium".to_string())
}

fn axe_source() -> String {
    let path = root().join("tests/browser/node_modules/axe-core/axe.min.js");
    fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!("axe-core 未安装：在 tests/browser/ 下运行 npm ci（{} 不存在）", path.display())
    })
}

/// Runs axe on the page's DOM once it has loaded and writes the result into
/// the page, where `--dump-dom` reads it back.
const RUN_AXE: &str = r#"
axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
  .then(r => report({
    violations: r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => n.target.join(' ')) })),
    passes: r.passes.map(p => p.id),
    incomplete: r.incomplete.map(v => v.id),
  }), e => report({ error: String(e) }));
function report(result) {
  const pre = document.createElement('pre');
  pre.id = 'axe-results';
  pre.textContent = JSON.stringify(result);
  document.body.appendChild(pre);
}
"#;

/// axe's result for `page` at a window `width` pixels wide.
fn axe(page: &str, width: u32) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let scripts = format!(
        "<script>{}</script>\n<script>{RUN_AXE}</script>\n</body>",
        axe_source().replace("</script", "<\\/script")
    );
    assert!(page.contains("</body>"));
    let file = dir.path().join("page.html");
    fs::write(&file, page.replacen("</body>", &scripts, 1)).unwrap();
    let out = Command::new(chromium())
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        .args(["--no-first-run", "--virtual-time-budget=60000", "--dump-dom"])
        .arg(format!("--window-size={width},900"))
        .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
        .arg(format!("file://{}", file.display()))
        .output()
        .unwrap_or_else(|e| {
            panic!("无法运行 Chromium（{}）：{e}；Debian 上 apt-get install chromium", chromium())
        });
    let dom = String::from_utf8_lossy(&out.stdout);
    let Some(json) =
        dom.split("<pre id=\"axe-results\">").nth(1).and_then(|s| s.split("</pre>").next())
    else {
        panic!("axe did not report; Chromium said:\n{}", String::from_utf8_lossy(&out.stderr));
    };
    let json = json
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&");
    let result: Value = serde_json::from_str(&json).expect("axe's result is JSON");
    assert!(result.get("error").is_none(), "axe failed: {result}");
    result
}

fn violations(result: &Value) -> &Vec<Value> {
    result["violations"].as_array().expect("axe lists violations")
}

#[test]
fn axe_finds_no_wcag_21_aa_violation_on_any_sample() {
    for sample in samples() {
        let built = build(&sample, &[]);
        let page = fs::read_to_string(&built.html).unwrap();
        for width in [1280, 390] {
            let result = axe(&page, width);
            assert!(
                violations(&result).is_empty(),
                "{} at {width}px: {:#}",
                sample.display(),
                result["violations"]
            );
            // The checker did look: the table and language rules ran and passed.
            let passes = result["passes"].to_string();
            for rule in ["html-has-lang", "html-lang-valid", "td-headers-attr", "th-has-data-cells"]
            {
                assert!(passes.contains(rule), "axe did not pass {rule} on {}", sample.display());
            }
        }
    }
}

#[test]
fn a_draft_page_passes_too() {
    let built = build(&samples()[0], &["--draft"]);
    let page = fs::read_to_string(&built.html).unwrap();
    let result = axe(&page, 1280);
    assert!(violations(&result).is_empty(), "{:#}", result["violations"]);
}

#[test]
fn axe_in_this_harness_reports_what_is_wrong() {
    let built = build(&samples()[0], &[]);
    let page = fs::read_to_string(&built.html).unwrap();
    let broken =
        page.replacen(" lang=\"zh-CN\"", "", 1).replacen("<h2>", "<h2><img src=\"x.png\">", 1);
    let ids: Vec<String> = violations(&axe(&broken, 1280))
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect();
    assert!(ids.contains(&"html-has-lang".to_string()), "{ids:?}");
    assert!(ids.contains(&"image-alt".to_string()), "{ids:?}");
}

// ---------------------------------------------------------------------------
// The page's own promises, read from its markup.

#[test]
fn every_table_has_a_caption_scoped_headers_and_right_aligned_amounts() {
    let built = build(&samples()[1], &[]);
    let page = fs::read_to_string(&built.html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    assert!(!page.contains("<script") && !page.contains("<link"), "the page is self-contained");
    let tables = page.matches("<table>").count();
    assert!(tables >= 12, "units, performance, assets and nine attached tables: {tables}");
    assert_eq!(page.matches("<caption>").count(), tables);
    assert_eq!(
        page.matches("<th ").count(),
        page.matches("<th scope=\"").count(),
        "every th has a scope"
    );
    assert!(page.contains("<th scope=\"row\""), "row headers");
    assert!(page.contains("单位：万元") || page.contains("单位：元"), "the unit line");
    assert!(page.contains("<td class=\"num"), "amounts are marked right-aligned");
    assert!(page.contains("td.num{text-align:right"), "and styled so");
}
