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

/// `check --verbose`: every open item on its own.
fn check(dir: &Path) -> Output {
    yusuan(dir, &["check", "data/101001-2022.toml", "--verbose"])
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
    // Text is not called a figure.
    assert!(!err.contains("的数（指纹"), "{err}");
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

/// The lines of `text` that belong to one file's report, up to its closing
/// summary line (“name：共 …” or “name：没有错误…”).
fn lines_for(text: &str, name: &str) -> usize {
    let closing = format!("{name}：");
    let mut n = 0;
    for l in text.lines() {
        n += 1;
        if l.starts_with(&closing) {
            return n;
        }
    }
    panic!("no closing line for {name} in\n{text}")
}

#[test]
fn by_default_a_draft_is_summed_up_in_one_screen_one_line_per_part() {
    let (dir, _) = draft();
    let out = yusuan(dir.path(), &["check", "data/101001-2022.toml"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    // The seed has eight 绩效目标表: each is one line with its count.
    let tables: Vec<&str> = err.lines().filter(|l| l.contains("项目绩效目标表第")).collect();
    assert_eq!(tables.len(), 8, "{err}");
    assert!(tables.iter().all(|l| l.starts_with("  data/101001-2022.toml:") && l.ends_with(" 项")));
    assert!(err.contains("预算明细 [[line_items]]：30 项"), "{err}");
    assert!(err.contains("收入预算 [income]："), "{err}");
    // The counts of the parts add up to the total said.
    let total: usize = err
        .lines()
        .filter_map(|l| l.strip_suffix(" 项")?.rsplit('：').next()?.parse::<usize>().ok())
        .sum();
    let (items, _) = open_items(&stderr(&check(dir.path())));
    assert_eq!(total, items, "{err}");
    assert!(err.contains(&format!("待办 {items} 项（草稿），按要填写的部分：")), "{err}");
    assert!(!err.contains("警告：待更新："), "no item on its own line: {err}");
    assert!(lines_for(&err, "data/101001-2022.toml") <= 40, "more than a screen:\n{err}");
    // A build says the same, briefly.
    let built = build(dir.path(), &[]);
    let berr = stderr(&built);
    assert!(built.status.success(), "{berr}");
    assert!(berr.lines().count() <= 45, "{berr}");
    assert!(berr.contains("项目绩效目标表第8条"), "{berr}");
    let verbose = build(dir.path(), &["--verbose"]);
    assert!(stderr(&verbose).lines().filter(|l| l.starts_with("警告：待更新：")).count() == items);
}

#[test]
fn rolling_a_draft_forward_keeps_one_header_one_set_of_marks_and_flags_every_earlier_year() {
    let (dir, _) = draft();
    let out = yusuan(dir.path(), &["new", "--from", "data/101001-2022.toml", "--year", "2023"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    // The source draft's own warnings are not printed again: one line counts them.
    assert!(!err.contains("警告：待更新"), "{err}");
    assert!(err.contains("原文件 data/101001-2022.toml："), "{err}");
    let text = fs::read_to_string(dir.path().join("data/101001-2023.toml")).unwrap();
    assert_eq!(text.matches("由 yusuan new 依据").count(), 1, "{text}");
    assert!(text.starts_with("# 2023年部门预算数据草稿，由 yusuan new 依据2022年数据生成。"));
    assert_eq!(text.matches("【待更新】收入预算").count(), 1);
    assert_eq!(text.matches("# 草稿待办：").count(), 1);
    // The texts still name 2021, two years back: flagged too.
    let out = yusuan(dir.path(), &["check", "data/101001-2023.toml", "--verbose"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("仍提到“2021年”"), "{err}");
    let p = dir.path().join("data/101001-2023.toml");
    fs::write(&p, text.replacen("立法", "2022年立法", 1)).unwrap();
    let err = stderr(&yusuan(dir.path(), &["check", "data/101001-2023.toml", "--verbose"]));
    assert!(err.contains("“2022年”"), "{err}");
}

#[test]
fn skipping_years_is_refused_unless_the_source_is_the_latest_or_the_flag_says_so() {
    let (dir, _) = draft();
    // 2022 exists: rolling 2021 on to 2024 would skip its figures.
    let args = ["new", "--from", "data/101001-2021.toml", "--year", "2024"];
    let out = yusuan(dir.path(), &args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("data/101001-2022.toml（2022 年）") && err.contains("--skip-years"),
        "{err}"
    );
    assert!(!dir.path().join("data/101001-2024.toml").exists());
    let mut with_flag = args.to_vec();
    with_flag.push("--skip-years");
    let out = yusuan(dir.path(), &with_flag);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = fs::read_to_string(dir.path().join("data/101001-2024.toml")).unwrap();
    assert!(text.contains("是 2021 年的预算数，不是 2023 年的"), "{text}");
    assert!(!text.contains("无需改动"), "{text}");
    fs::remove_file(dir.path().join("data/101001-2024.toml")).unwrap();
    // From the latest file it goes ahead, and says whose figures last year's are.
    let out = yusuan(dir.path(), &["new", "--from", "data/101001-2022.toml", "--year", "2024"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("跨过了 2023 年："), "{err}");
    assert!(err.contains("是 2022 年的预算数，不是 2023 年的"), "{err}");
    // Last year's figures are 待办 now, as the source year's figures.
    let err = stderr(&yusuan(dir.path(), &["check", "data/101001-2024.toml", "--verbose"]));
    assert!(err.contains("= 字段：previous.basic"), "{err}");
    assert!(err.contains("= 字段：sangong.previous.reception"), "{err}");
}

#[test]
fn a_sample_carried_forward_is_said_and_check_reports_a_sample_file() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("data")).unwrap();
    fs::copy(root().join("data/101001-2021.toml"), dir.path().join("data/101001-2021.toml"))
        .unwrap();
    let out = yusuan(dir.path(), &["new", "--from", "data/101001-2021.toml", "--year", "2022"]);
    let err = stderr(&out);
    assert!(err.contains("原文件是样例（document.sample = true）"), "{err}");
    let text = fs::read_to_string(dir.path().join("data/101001-2022.toml")).unwrap();
    assert!(text.contains("# 注意：原文件是样例"), "{text}");
    let err = stderr(&yusuan(dir.path(), &["check", "data/101001-2022.toml"]));
    assert!(err.contains("这是样例文件（sample = true）"), "{err}");
    // Without the mark, no such warning.
    let plain = fs::read_to_string(dir.path().join("data/101001-2021.toml"))
        .unwrap()
        .replace("sample = true\n", "");
    fs::write(dir.path().join("data/101001-2021.toml"), plain).unwrap();
    let err = stderr(&yusuan(dir.path(), &["check", "data/101001-2021.toml"]));
    assert!(!err.contains("样例"), "{err}");
}
