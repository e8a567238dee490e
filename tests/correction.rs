//! The 更正说明 (issue 20): `yusuan diff` lists every printed place a
//! correction changed, as a reader finds it, and nothing else moves.
//!
//! The CLI tests run the built binary on the issue's example. The property
//! test lays out both documents of 50 random single-line-item corrections
//! in-process (one engine, so Typst's cache carries over) and holds the
//! listed places against the glyph runs of the two documents: every run
//! that differs must lie in a listed clause's paragraph or be a listed cell.

use std::fs;
use std::path::Path;

mod common;
use common::{root, stderr, yusuan};

/// old.toml (the sample) and new.toml (the sample with `from` → `to`,
/// first occurrence) in a fresh temp folder.
fn corrected(sample: &str, from: &str, to: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(root().join("data").join(sample)).unwrap();
    assert!(text.contains(from));
    fs::write(dir.path().join("old.toml"), &text).unwrap();
    fs::write(dir.path().join("new.toml"), text.replacen(from, to, 1)).unwrap();
    dir
}

fn diff(dir: &Path, extra: &[&str]) -> (String, String, bool) {
    let templates = root().join("templates");
    let mut args = vec!["diff", "old.toml", "new.toml", "--no-system-fonts", "--templates"];
    args.push(templates.to_str().unwrap());
    args.extend(extra);
    let out = yusuan(dir, &args);
    (String::from_utf8_lossy(&out.stdout).into_owned(), stderr(&out), out.status.success())
}

/// One row of a notice: (page, location, old, new).
type Row = (usize, String, String, String);

/// The table rows of a Markdown notice.
fn rows(md: &str) -> Vec<Row> {
    md.lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| 序号"))
        .map(|l| {
            let c: Vec<&str> = l.trim_matches('|').split(" | ").map(str::trim).collect();
            (c[1].parse().unwrap(), c[2].to_string(), c[3].to_string(), c[4].to_string())
        })
        .collect()
}

/// The groups of a Markdown notice: heading and rows.
fn groups(md: &str) -> Vec<(String, Vec<Row>)> {
    md.split("\n## ")
        .skip(1)
        .map(|g| (g.lines().next().unwrap_or_default().to_string(), rows(g)))
        .collect()
}

#[test]
fn the_corrected_cells_come_first_then_every_chapter_and_table_with_its_count() {
    let dir = corrected("215001-2021.toml", "amount = 186.4\n", "amount = 196.4\n");
    let (md, err, ok) = diff(dir.path(), &["--format", "markdown", "--date", "2021-03-10"]);
    assert!(ok, "{err}");
    let groups = groups(&md);
    // The item is 2070101 行政运行 / 30101 基本工资: the rows of those
    // codes first, then the places that moved with them.
    let (first, rows) = &groups[0];
    assert!(first.starts_with("改动的数字（"), "{md}");
    assert!(!rows.is_empty());
    for r in rows {
        assert!(
            r.1.contains("› 2070101 行政运行 ›") || r.1.contains("› 30101 基本工资 ›"),
            "{r:?}"
        );
    }
    assert!(rows.iter().any(|r| r.1.contains("30101")), "the 经济分类 row too:\n{md}");
    let total: usize = groups.iter().map(|g| g.1.len()).sum();
    assert!(md.contains(&format!("有{total}处内容需要更正")), "{md}");
    for (heading, rows) in &groups {
        assert!(heading.ends_with(&format!("（{}处）", rows.len())), "{heading}");
    }
    // Numbered through, and no row twice.
    let numbers: Vec<usize> = md
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| 序号"))
        .map(|l| l[2..].split(' ').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(numbers, (1..=total).collect::<Vec<_>>());
}

/// The web page and the PDF are laid out from the same notice as Markdown.
#[test]
fn the_notice_as_a_web_page_and_a_pdf_in_the_profiles_style() {
    let dir = corrected("215001-2021.toml", "amount = 186.4\n", "amount = 196.4\n");
    let (md, _, _) = diff(dir.path(), &["--format", "markdown", "--date", "2021-03-10"]);
    let groups = groups(&md);
    let (_, err, ok) =
        diff(dir.path(), &["--format", "html", "-o", "n.html", "--date", "2021-03-10"]);
    assert!(ok, "{err}");
    let html = fs::read_to_string(dir.path().join("n.html")).unwrap();
    assert_eq!(html.matches("<h2>").count(), groups.len(), "{html}");
    let body_rows: usize = groups.iter().map(|g| g.1.len()).sum();
    assert_eq!(html.matches("<tr><td class=\"num\">").count(), body_rows);
    assert!(html.contains("lang=\"zh-CN\"") && html.contains("scope=\"col\""));
    let (_, err, ok) =
        diff(dir.path(), &["--format", "pdf", "-o", "n.pdf", "--date", "2021-03-10"]);
    assert!(ok, "{err}");
    let text = common::pdf_text(&dir.path().join("n.pdf"), common::Order::Raw);
    let flat: String = text.split_whitespace().collect();
    let title = md.lines().next().unwrap().trim_start_matches("# ");
    assert!(flat.contains(title), "{text}");
    for (heading, _) in &groups {
        let h: String = heading.split_whitespace().collect();
        assert!(flat.contains(&h), "{h} missing from the PDF:\n{text}");
    }
    assert!(flat.contains("特此说明。") && flat.contains("2021年3月10日"), "{text}");
    // A PDF needs a file to go to.
    let (_, err, ok) = diff(dir.path(), &["--format", "pdf"]);
    assert!(!ok && err.contains("-o"), "{err}");
}

/// A profile with its own notice.typ (shanghai) lays the notice out in its
/// house style; a correction without line items groups by chapter.
#[test]
fn a_shanghai_notice_is_grouped_by_chapter_and_laid_out_in_its_style() {
    let dir = corrected("318001-2025.toml", "services = 520\n", "services = 530\n");
    let (md, err, ok) = diff(dir.path(), &["--format", "markdown", "--date", "2025-03-10"]);
    assert!(ok, "{err}");
    let groups = groups(&md);
    assert!(!groups.is_empty() && !groups[0].0.starts_with("改动的数字"), "{md}");
    let (_, err, ok) =
        diff(dir.path(), &["--format", "pdf", "-o", "n.pdf", "--date", "2025-03-10"]);
    assert!(ok, "{err}");
    let text = common::pdf_text(&dir.path().join("n.pdf"), common::Order::Raw);
    let flat: String = text.split_whitespace().collect();
    assert!(flat.contains("530") && flat.contains("520"), "{text}");
}

#[test]
fn the_issues_example_lists_every_printed_place_in_document_order() {
    let dir = corrected("215001-2021.toml", "amount = 186.4\n", "amount = 196.4\n");
    let (md, err, ok) = diff(
        dir.path(),
        &["--format", "markdown", "--reason", "行政运行人员经费录入有误", "--date", "2021-03-10"],
    );
    assert!(ok, "{err}");
    assert!(
        md.starts_with("# 云溪市文化广电旅游体育局2021年部门预算信息公开情况说明更正说明"),
        "{md}"
    );
    assert!(md.contains("行政运行人员经费录入有误"), "{md}");
    assert!(md.contains("2021年3月10日"), "{md}");
    let rows = rows(&md);
    let find = |loc: &str| rows.iter().find(|r| r.1 == loc);
    // The cell of the issue, addressed by table, row and column.
    let cell =
        find("附表3　部门支出总表 › 2070101 行政运行 › 基本支出").unwrap_or_else(|| panic!("{md}"));
    // The row adds up every 2070101 item of the department, 186.4 among them.
    assert_eq!((cell.2.as_str(), cell.3.as_str()), ("539.40", "549.40"));
    // The narrative: 收入, 支出 and the year-on-year sentence.
    for section in ["二、（一）收入说明", "二、（二）支出说明", "二、（三）比上年增减情况"]
    {
        assert!(rows.iter().any(|r| r.1.starts_with(section)), "{section} missing:\n{md}");
    }
    assert!(rows.iter().any(|r| r.2.contains("1965.7") && r.3.contains("1975.7")), "{md}");
    // Every attached table that adds the item up: 附表1—6, each a group.
    for n in 1..=6 {
        assert!(md.contains(&format!("\n## 附表{n}　")), "附表{n}:\n{md}");
    }
    // Readers' words only; within each group in the order of the document.
    assert!(!md.contains("line_items") && !md.contains("第1项"), "{md}");
    for (heading, rows) in groups(&md) {
        assert!(rows.windows(2).all(|w| w[0].0 <= w[1].0), "pages in order in {heading}:\n{md}");
    }
    let mut seen = std::collections::HashSet::new();
    for (heading, rows) in groups(&md) {
        let fresh = rows.iter().all(|r| seen.insert((heading.clone(), r.1.clone(), r.2.clone())));
        assert!(fresh, "no duplicate rows in {heading}:\n{md}");
    }
}

/// docs/correction-sample.md shows the notice yusuan makes today, word for
/// word, after its marker line.
#[test]
fn the_documented_notice_is_what_yusuan_makes() {
    let dir = corrected("215001-2021.toml", "amount = 186.4\n", "amount = 196.4\n");
    let (md, err, ok) = diff(
        dir.path(),
        &["--format", "markdown", "--reason", "行政运行人员经费录入有误", "--date", "2021-03-10"],
    );
    assert!(ok, "{err}");
    let doc = fs::read_to_string(root().join("docs/correction-sample.md")).unwrap();
    let marker = "<!-- 以下由 yusuan 生成 -->\n";
    let shown = &doc[doc.find(marker).expect("the marker line") + marker.len()..];
    assert_eq!(shown, md, "regenerate docs/correction-sample.md (see its command)");
}

#[test]
fn the_data_field_view_stays_available() {
    let dir = corrected("215001-2021.toml", "amount = 186.4\n", "amount = 196.4\n");
    let (text, err, ok) = diff(dir.path(), &["--fields"]);
    assert!(ok, "{err}");
    assert!(text.contains("186.4") && text.contains("196.4"), "{text}");
}

#[test]
fn csv_has_the_same_rows() {
    let dir = corrected("215001-2021.toml", "amount = 186.4\n", "amount = 196.4\n");
    let (md, _, _) = diff(dir.path(), &["--format", "markdown"]);
    let (csv, err, ok) = diff(dir.path(), &["--format", "csv"]);
    assert!(ok, "{err}");
    assert!(csv.starts_with("\u{feff}序号,页码,位置,更正前,更正后\r\n"), "{csv}");
    assert_eq!(csv.lines().count() - 1, rows(&md).len());
}

#[test]
fn a_file_that_does_not_pass_its_checks_gets_no_notice() {
    // 收入合计 no longer equals 支出合计.
    let dir = corrected("101001-2021.toml", "general_budget = 2220.42", "general_budget = 2230.42");
    let (out, err, ok) = diff(dir.path(), &["--format", "markdown"]);
    assert!(!ok);
    assert!(out.is_empty(), "no notice is written: {out}");
    assert!(err.contains("new.toml:"), "{err}");
    assert!(err.contains("未生成更正说明"), "{err}");
}

#[test]
fn an_unchanged_document_has_nothing_to_correct() {
    let dir = corrected("101001-2021.toml", "amount = 117\n", "amount = 117.00\n");
    let (out, err, ok) = diff(dir.path(), &[]);
    assert!(ok, "{err}");
    assert_eq!(out, "无变化\n");
}

mod property {
    use super::*;
    use yusuan::diff::document::compare;

    /// A small deterministic generator: the test is the same on every run.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) as usize) % n
        }
    }

    /// Byte ranges of the `amount = …` lines inside [[line_items]].
    fn item_amounts(text: &str) -> Vec<std::ops::Range<usize>> {
        let start = text.find("[[line_items]]").unwrap();
        let mut out = Vec::new();
        let mut at = start;
        for line in text[start..].split_inclusive('\n') {
            if line.starts_with("amount = ") {
                out.push(at + "amount = ".len()..at + line.trim_end().len());
            }
            at += line.len();
        }
        out
    }

    #[test]
    fn fifty_single_item_corrections_change_exactly_the_listed_places() {
        let mut engine = yusuan::diff::document::engine(&root().join("templates"));
        let mut rng = Lcg(20);
        let deltas = ["0.01", "-0.01", "1", "-3.5", "10", "120.75", "-0.5", "1000"];
        let mut tried = 0;
        // 215001 gives its figures by line item only. 101001 also states its
        // totals, so a single changed line item breaks a check there and is
        // refused before any notice (a_file_that_does_not_pass_its_checks…):
        // it has no single-item correction to try.
        for sample in ["215001-2021.toml"] {
            let text = fs::read_to_string(root().join("data").join(sample)).unwrap();
            let old =
                yusuan::diff::document::lay_out(&mut engine, &text).expect("the sample lays out");
            let old_places = old.places();
            let amounts = item_amounts(&text);
            let (mut done, mut attempts) = (0, 0);
            while done < 50 {
                attempts += 1;
                assert!(attempts < 1000, "{sample}: only {done} of {attempts} corrections pass");
                let r = amounts[rng.next(amounts.len())].clone();
                let was: rust_decimal::Decimal = text[r.clone()].trim_matches('"').parse().unwrap();
                let delta: rust_decimal::Decimal = deltas[rng.next(deltas.len())].parse().unwrap();
                let now = was + delta;
                if now.is_sign_negative() || now.is_zero() {
                    continue;
                }
                let new_text = format!("{}{}{}", &text[..r.start], now, &text[r.end..]);
                let Some(new) = yusuan::diff::document::lay_out(&mut engine, &new_text) else {
                    // A correction that breaks a check (a stated total, a cost
                    // link) is refused before any notice: not this test's case.
                    continue;
                };
                let new_places = new.places();
                let changes = compare(&old_places, &new_places);
                assert!(!changes.is_empty(), "{sample}: {was} → {now} changed nothing");
                assert!(changes.iter().all(|c| c.old != c.new));
                // Some listed cell moved by exactly the correction (the row
                // of the item's 项 adds up every item of that 项).
                let figure = |s: &Option<String>| {
                    s.as_deref()?.replace(',', "").parse::<rust_decimal::Decimal>().ok()
                };
                assert!(
                    changes.iter().any(|c| match (figure(&c.old), figure(&c.new)) {
                        (Some(o), Some(n)) => n - o == delta,
                        _ => false,
                    }),
                    "{sample}: {was} → {now}: no cell moved by {delta}"
                );
                crate::common::places::only_listed_places_moved(
                    &old,
                    &new,
                    &new_places,
                    &changes,
                    sample,
                );
                done += 1;
                tried += 1;
            }
        }
        assert!(tried >= 50);
    }
}
