//! `yusuan build --html`: the web page of each disclosure, read against its
//! PDF and checked by a real checker (axe-core) in a real browser (Debian's
//! headless Chromium). `.ci/run` installs both; run `npm ci` in
//! tests/browser/ by hand elsewhere.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::axe::{axe, violations};
use common::text::{self, Block, PdfText, read_pdf, squeeze};
use common::{root, stderr, yusuan};

/// Every sample in data/, of every profile: the web page is made from the
/// compiled document's outline, so each profile gets its own page.
fn samples() -> Vec<PathBuf> {
    let files = common::samples();
    assert!(files.len() >= 4, "the samples of every bundled profile are in data/");
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
    // The folder whole: a 决算 reads the budget it names beside it.
    for f in samples() {
        fs::copy(&f, dir.path().join(f.file_name().unwrap())).unwrap();
    }
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

/// The page's text inside `<main>`: running text, and each table's pieces
/// (one per run of text between tags), entities decoded, white space
/// removed.
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

fn same_text(html: &str, pdf: &PdfText) -> Result<(), String> {
    text::same_text(&html_blocks(html), pdf)
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

/// The correction notice's page (`diff --format html`) is held to the same
/// checker as the document's, at desktop and phone widths.
#[test]
fn the_correction_notices_page_passes_too() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(root().join("data/215001-2021.toml")).unwrap();
    fs::write(dir.path().join("old.toml"), &text).unwrap();
    let new = text.replacen("amount = 186.4\n", "amount = 196.4\n", 1);
    assert_ne!(new, text);
    fs::write(dir.path().join("new.toml"), new).unwrap();
    let args = ["diff", "old.toml", "new.toml", "--format", "html", "-o", "n.html"];
    let out = yusuan(dir.path(), &[&args[..], &["--no-system-fonts"]].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    let page = fs::read_to_string(dir.path().join("n.html")).unwrap();
    for width in [1280, 390] {
        let result = axe(&page, width);
        assert!(violations(&result).is_empty(), "at {width}px: {:#}", result["violations"]);
        let passes = result["passes"].to_string();
        for rule in ["html-has-lang", "html-lang-valid", "th-has-data-cells"] {
            assert!(passes.contains(rule), "axe did not pass {rule} on the notice");
        }
    }
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
