//! `yusuan build --html`: the web page of each disclosure, read against its
//! PDF and checked by a real checker (axe-core) in a real browser (Debian's
//! headless Chromium). `.ci/run` installs both; run `npm ci` in
//! tests/browser/ by hand elsewhere.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Order, pdf_text, root, stderr, yusuan};
use serde_json::Value;

/// The samples, each built in its own temp folder with `--html`.
fn samples() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(root().join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 2, "the samples are in data/");
    files
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

/// The text between tags inside `<main>`, one piece per run of text,
/// entities decoded and white space removed (as `pdf_text` does).
fn html_pieces(html: &str) -> Vec<String> {
    let start = html.find("<main>").expect("the page has a <main>");
    let end = html.find("</main>").expect("the page closes <main>");
    let mut pieces = Vec::new();
    let mut rest = &html[start..end];
    while let Some(open) = rest.find('<') {
        push_piece(&mut pieces, &rest[..open]);
        let close = rest[open..].find('>').expect("tags close") + open;
        rest = &rest[close + 1..];
    }
    push_piece(&mut pieces, rest);
    pieces
}

fn push_piece(pieces: &mut Vec<String>, raw: &str) {
    let text: String = raw
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .split_whitespace()
        .collect();
    if !text.is_empty() {
        pieces.push(text);
    }
}

fn is_num(c: char) -> bool {
    c.is_ascii_digit() || c == '.'
}

/// The first place at or after `from` where `piece` stands whole: a piece
/// that starts or ends in a digit may not match part of a longer number.
fn find_whole(text: &str, piece: &str, from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(i) = text[at..].find(piece) {
        let i = at + i;
        let before = text[..i].chars().next_back();
        let after = text[i + piece.len()..].chars().next();
        let starts = piece.starts_with(|c: char| c.is_ascii_digit());
        let ends = piece.ends_with(|c: char| c.is_ascii_digit());
        let cut_before = starts && before.is_some_and(is_num);
        let cut_after = ends && after.is_some_and(is_num);
        if !cut_before && !cut_after {
            return Some(i);
        }
        at = i + text[i..].chars().next().unwrap().len_utf8();
    }
    None
}

/// Finds the page's pieces in the PDF's text, in order. Returns what the
/// PDF has between and after them: only page furniture may be left there.
fn match_in_order(pdf: &str, pieces: &[String]) -> Result<Vec<String>, String> {
    let mut pos = 0;
    let mut left = Vec::new();
    for piece in pieces {
        let Some(i) = find_whole(pdf, piece, pos) else {
            let near: String = pdf[pos..].chars().take(60).collect();
            return Err(format!("HTML text {piece:?} is not in the PDF (in order); PDF goes on: {near}"));
        };
        left.push(pdf[pos..i].to_string());
        pos = i + piece.len();
    }
    left.push(pdf[pos..].to_string());
    Ok(left.into_iter().filter(|s| !s.is_empty()).collect())
}

/// The 目录 page of a long document: page numbers and headings the web
/// page gives as its own headings.
fn without_toc(pdf: &str) -> String {
    match (pdf.find("目录"), pdf.find("按照")) {
        (Some(toc), Some(body)) if toc < body => format!("{}{}", &pdf[..toc], &pdf[body..]),
        _ => pdf.to_string(),
    }
}

/// What the PDF may have that the page has not: repeated table headers and
/// continuation marks, all of which the page has once. A sentence (。) or an
/// amount (a decimal point) left over means the page lacks it.
fn check_left_over(left: &[String], html_text: &str) -> Result<(), String> {
    for run in left {
        let amount = run.as_bytes().windows(3).any(|w| {
            w[0].is_ascii_digit() && w[1] == b'.' && w[2].is_ascii_digit()
        });
        if run.contains('。') || amount {
            return Err(format!("the PDF has {run:?}, the HTML page has not"));
        }
        let furniture = run.replace("续表", "").replace("（续）", "");
        if !furniture.is_empty() && !html_text.contains(&furniture) {
            return Err(format!("the PDF has {run:?}, which the HTML page never shows"));
        }
    }
    Ok(())
}

fn same_text(built: &Built) -> Result<(), String> {
    let html = fs::read_to_string(&built.html).unwrap();
    let pieces = html_pieces(&html);
    let pdf = without_toc(&pdf_text(&built.pdf, Order::Raw));
    let left = match_in_order(&pdf, &pieces)?;
    check_left_over(&left, &pieces.concat())
}

#[test]
fn every_sample_page_has_the_pdfs_text_and_figures() {
    for sample in samples() {
        let built = build(&sample, &[]);
        if let Err(e) = same_text(&built) {
            panic!("{}: {e}", sample.display());
        }
    }
}

#[test]
fn the_comparison_notices_a_missing_figure_or_sentence() {
    let pdf = "标题收入说明本年收入100.5万元。表1项目金额合计12.30续表项目金额";
    let pieces = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let full = pieces(&["标题", "收入说明", "本年收入100.5万元。", "表1", "项目", "金额", "合计", "12.30"]);
    let left = match_in_order(pdf, &full).unwrap();
    assert_eq!(check_left_over(&left, &full.concat()), Ok(()));
    // A figure gone from the page, or a figure matched inside a longer one.
    let no_figure = pieces(&["标题", "收入说明", "本年收入100.5万元。", "表1", "项目", "金额", "合计"]);
    let left = match_in_order(pdf, &no_figure).unwrap();
    assert!(check_left_over(&left, &no_figure.concat()).is_err());
    let partial = pieces(&["标题", "收入说明", "本年收入100.5万元。", "表1", "项目", "金额", "合计", "2.30"]);
    assert!(match_in_order(pdf, &partial).is_err());
    // A sentence gone, or one the PDF does not have.
    let no_sentence = pieces(&["标题", "收入说明", "表1", "项目", "金额", "合计", "12.30"]);
    let left = match_in_order(pdf, &no_sentence).unwrap();
    assert!(check_left_over(&left, &no_sentence.concat()).is_err());
    assert!(match_in_order(pdf, &pieces(&["标题", "支出说明"])).is_err());
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
        .unwrap_or_else(|e| panic!("无法运行 Chromium（{}）：{e}；Debian 上 apt-get install chromium", chromium()));
    let dom = String::from_utf8_lossy(&out.stdout);
    let Some(json) = dom.split("<pre id=\"axe-results\">").nth(1).and_then(|s| s.split("</pre>").next())
    else {
        panic!("axe did not report; Chromium said:\n{}", String::from_utf8_lossy(&out.stderr));
    };
    let json = json.replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", "\u{a0}").replace("&amp;", "&");
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
            for rule in ["html-has-lang", "html-lang-valid", "td-headers-attr", "th-has-data-cells"] {
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
    let broken = page.replacen(" lang=\"zh-CN\"", "", 1).replacen("<h2>", "<h2><img src=\"x.png\">", 1);
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
    assert_eq!(page.matches("<th").count(), page.matches("<th scope=\"").count(), "every th has a scope");
    assert!(page.contains("<th scope=\"row\""), "row headers");
    assert!(page.contains("单位：万元") || page.contains("单位：元"), "the unit line");
    assert!(page.contains("<td class=\"num"), "amounts are marked right-aligned");
    assert!(page.contains("td.num{text-align:right"), "and styled so");
}
