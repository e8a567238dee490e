//! Helpers shared by the integration tests: running the built binary and
//! reading a PDF's text.

// Each test crate uses a different subset of these helpers.
#![allow(dead_code)]

pub mod axe;
pub mod places;
pub mod text;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the shipped templates (subfolders included) at `to`, for a
/// test that edits one of them and builds with `--templates`.
pub fn copy_templates(to: &Path) {
    copy_dir(&root().join("templates"), to);
}

/// A copy of folder `from` (subfolders included) at `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let dest = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &dest);
        } else {
            fs::copy(&path, dest).unwrap();
        }
    }
}

/// The seed sample as committed.
pub fn sample() -> String {
    fs::read_to_string(root().join("data/101001-2021.toml")).unwrap()
}

/// Runs yusuan in `dir`, independent of the caller's font path and clock
/// settings.
pub fn yusuan(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yusuan"))
        .args(args)
        .current_dir(dir)
        .env_remove("YUSUAN_FONT_PATHS")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("yusuan runs")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// How pdftotext orders the text.
#[derive(Clone, Copy)]
pub enum Order {
    /// As laid out on the page: table rows stay together.
    Layout,
    /// In content order: a wrapped cell stays together.
    Raw,
}

/// Text of a PDF with all white space removed: lines break anywhere in
/// justified CJK text and in table cells, so phrases are searched without
/// them. Folios (“— 4 —”) and the 样例 line in the top margin are dropped,
/// since they interrupt sentences that run across a page break.
pub fn pdf_text(pdf: &Path, order: Order) -> String {
    let flag = match order {
        Order::Layout => "-layout",
        Order::Raw => "-raw",
    };
    let out = Command::new("pdftotext")
        .args([flag, "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext is installed (poppler-utils)");
    assert!(out.status.success(), "pdftotext failed on {}", pdf.display());
    let text = String::from_utf8(out.stdout).unwrap();
    text.lines()
        .filter(|l| !is_folio(l) && !is_sample_mark(l))
        .flat_map(str::split_whitespace)
        .collect()
}

/// The running line a `document.sample` file carries on every page.
pub const SAMPLE_MARK: &str = "样例　本文件中的数字为示意，不是部门正式公开的数据";

fn is_sample_mark(line: &str) -> bool {
    line.split_whitespace().collect::<String>() == SAMPLE_MARK.replace('　', "")
}

fn is_folio(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('—') && t.ends_with('—') && t.trim_matches(['—', ' ']).parse::<u32>().is_ok()
}

/// Every data file in data/ (the samples of every profile), sorted.
pub fn samples() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(root().join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}
