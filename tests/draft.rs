//! A rolled-forward draft cannot be published by accident (issue 19): the
//! built binary on a fresh `new` draft in a temporary folder, checked
//! through its messages and the PDF's text and metadata.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::{root, stderr, yusuan};

/// A temp folder holding data/101001-2021.toml and the 2022 draft `new`
/// made from it.
fn draft() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("data")).unwrap();
    fs::copy(root().join("data/101001-2021.toml"), dir.path().join("data/101001-2021.toml"))
        .unwrap();
    let out = yusuan(dir.path(), &["new", "--from", "data/101001-2021.toml", "--year", "2022"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let path = dir.path().join("data/101001-2022.toml");
    assert!(path.exists());
    (dir, path)
}

fn check(dir: &Path) -> Output {
    yusuan(dir, &["check", "data/101001-2022.toml"])
}

fn build(dir: &Path, extra: &[&str]) -> Output {
    let templates = root().join("templates");
    let mut args = vec!["build", "data/101001-2022.toml", "--no-system-fonts", "--templates"];
    args.push(templates.to_str().unwrap());
    args.extend(extra);
    yusuan(dir, &args)
}

/// Number of the open-item warnings, and the count the summary states.
fn open_items(err: &str) -> (usize, Option<usize>) {
    let items = err
        .lines()
        .filter(|l| l.starts_with("警告：待更新：") || l.starts_with("警告：待填写："))
        .count();
    let stated = err.lines().find_map(|l| {
        let rest = l.strip_prefix("警告：草稿：还有 ")?;
        rest.split(' ').next()?.parse().ok()
    });
    (items, stated)
}

fn pdf_info(pdf: &Path) -> String {
    let out = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo (poppler-utils)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pages(pdf: &Path) -> usize {
    let info = pdf_info(pdf);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .expect("a page count")
}

/// The text of one page, white space removed.
fn page_text(pdf: &Path, page: usize) -> String {
    let p = page.to_string();
    let out = Command::new("pdftotext")
        .args(["-f", &p, "-l", &p, "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    String::from_utf8_lossy(&out.stdout).split_whitespace().collect()
}

fn watermarked_pages(pdf: &Path) -> usize {
    (1..=pages(pdf)).filter(|&p| page_text(pdf, p).contains("草稿")).count()
}

#[test]
fn a_fresh_draft_warns_item_by_item_and_counts_them() {
    let (dir, _) = draft();
    let out = check(dir.path());
    let err = stderr(&out);
    // Warnings only: the draft still checks, so it can be previewed.
    assert!(out.status.success(), "{err}");
    let (items, stated) = open_items(&err);
    assert!(items >= 30, "one warning per carried field, found {items}:\n{err}");
    assert_eq!(stated, Some(items), "the summary counts the items:\n{err}");
    // Each names file:line:col and the field.
    assert!(err.contains("--> data/101001-2022.toml:"), "{err}");
    assert!(err.contains("待更新：预算明细"), "{err}");
    assert!(err.contains("= 字段：line_items[0].amount"), "{err}");
    assert!(err.contains("本年各项金额与上年逐项相同"), "{err}");
    assert!(err.contains("仍提到“2021年”"), "{err}");
    assert!(!err.contains("核对通过：1 个文件") || err.contains("草稿"), "{err}");
}

#[test]
fn a_draft_builds_only_as_a_draft_unless_told_otherwise() {
    let (dir, _) = draft();
    let out = build(dir.path(), &[]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("草稿"), "build says the PDF is a draft:\n{err}");
    let pdf = dir.path().join("output/101001-2022.pdf");
    assert!(pdf_info(&pdf).contains("草稿"), "title metadata: {}", pdf_info(&pdf));
    assert_eq!(watermarked_pages(&pdf), pages(&pdf), "草稿 on every page");

    let out = build(dir.path(), &["--final"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("未更新"), "--final still says what is left");
    assert!(!pdf_info(&pdf).contains("草稿"));
    assert_eq!(watermarked_pages(&pdf), 0);
}

/// Changes every carried figure: amounts are doubled (which keeps every
/// sum consistent), texts get a sentence of this year's.
fn fill(text: &str, except: Option<&str>) -> String {
    let mut doc: toml_edit::DocumentMut = text.parse().unwrap();
    let fields: Vec<String> = doc["todo"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_inline_table().unwrap().get("field").unwrap().as_str().unwrap().to_string())
        .collect();
    for f in fields.iter().filter(|f| Some(f.as_str()) != except) {
        update(&mut doc, f);
    }
    doc.to_string()
}

fn update(doc: &mut toml_edit::DocumentMut, path: &str) {
    let mut item = doc.as_item_mut();
    for part in path.split('.') {
        let mut pieces = part.split('[');
        if let Some(k) = pieces.next().filter(|k| !k.is_empty()) {
            item = &mut item[k];
        }
        for i in pieces {
            item = &mut item[i.trim_end_matches(']').parse::<usize>().unwrap()];
        }
    }
    let v = item.as_value_mut().expect("a value");
    let new: toml_edit::Value = match &*v {
        toml_edit::Value::Integer(i) => (*i.value() * 2).into(),
        toml_edit::Value::Float(f) => (*f.value() * 2.0).into(),
        toml_edit::Value::String(s) => match s.value().parse::<f64>() {
            Ok(n) => format!("{}", n * 2.0).into(),
            Err(_) => format!("{}（2022年）", s.value()).into(),
        },
        toml_edit::Value::Array(a) => {
            let mut a = a.clone();
            a.push("2022年新增的内容。");
            a.into()
        }
        other => other.clone(),
    };
    *v = new;
}

#[test]
fn filling_every_item_clears_the_draft_and_an_untouched_one_keeps_its_warning() {
    let (dir, path) = draft();
    let text = fs::read_to_string(&path).unwrap();

    // All but the first line item: exactly that one stays open.
    fs::write(&path, fill(&text, Some("line_items[0].amount"))).unwrap();
    let err = stderr(&check(dir.path()));
    assert_eq!(open_items(&err), (1, Some(1)), "{err}");
    assert!(err.contains("= 字段：line_items[0].amount"), "{err}");
    assert!(!err.contains("本年各项金额与上年逐项相同"), "{err}");

    // The diff against last year names the field still unchanged.
    let out =
        yusuan(dir.path(), &["diff", "--fields", "data/101001-2021.toml", "data/101001-2022.toml"]);
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(diff.contains("草稿中仍未更新的字段（1 项）"), "{diff}\n{}", stderr(&out));
    assert!(diff.contains("line_items[0].amount"), "{diff}");

    // Everything: no open item, and the PDF is clean.
    fs::write(&path, fill(&text, None)).unwrap();
    let out = check(dir.path());
    let err = stderr(&out);
    assert_eq!(open_items(&err), (0, None), "{err}");
    let out = build(dir.path(), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = dir.path().join("output/101001-2022.pdf");
    assert!(!pdf_info(&pdf).contains("草稿"));
    assert_eq!(watermarked_pages(&pdf), 0);
}

#[test]
fn a_file_without_todo_is_not_a_draft() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("data")).unwrap();
    fs::copy(root().join("data/101001-2021.toml"), dir.path().join("data/101001-2022.toml"))
        .unwrap();
    let err = stderr(&check(dir.path()));
    assert_eq!(open_items(&err), (0, None), "{err}");
}
