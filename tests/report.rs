//! The sign-off summary of a batch (`yusuan report`, `build --report`): the
//! built binary on the samples and a draft in a temporary folder; the
//! workbook read back with calamine, the page checked by axe-core in
//! headless Chromium.

use std::fs;
use std::path::Path;
use std::process::Command;

use calamine::{Data, Reader, Xlsx};

mod common;
use common::axe::axe;
use common::{root, stderr, yusuan};

/// A folder with the two 2021 samples and the seed's 2022 draft.
fn batch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("data")).unwrap();
    for s in ["101001-2021", "215001-2021"] {
        fs::copy(root().join(format!("data/{s}.toml")), dir.path().join(format!("data/{s}.toml")))
            .unwrap();
    }
    let out = yusuan(dir.path(), &["new", "--from", "data/101001-2021.toml", "--year", "2022"]);
    assert!(out.status.success(), "{}", stderr(&out));
    dir
}

type Sheet = Vec<Vec<Data>>;

fn sheets(path: &Path) -> (Sheet, Sheet) {
    let mut book: Xlsx<_> = calamine::open_workbook(path).expect("the report opens");
    assert_eq!(book.sheet_names(), ["部门汇总", "问题清单"]);
    let rows = |b: &mut Xlsx<_>, name: &str| -> Sheet {
        b.worksheet_range(name).unwrap().rows().map(|r| r.to_vec()).collect()
    };
    (rows(&mut book, "部门汇总"), rows(&mut book, "问题清单"))
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

fn number(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

/// The column of a heading in the department sheet (headings on row 3).
fn col(sheet: &Sheet, heading: &str) -> usize {
    sheet[2].iter().position(|h| text(h) == heading).unwrap_or_else(|| panic!("no {heading}"))
}

fn row_of<'a>(sheet: &'a Sheet, file: &str) -> &'a Vec<Data> {
    sheet.iter().find(|r| r.get(1).map(text).as_deref() == Some(file)).expect("a row")
}

fn pages(pdf: &Path) -> f64 {
    let out = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8_lossy(&out.stdout).into_owned();
    info.lines().find_map(|l| l.strip_prefix("Pages:")?.trim().parse().ok()).unwrap()
}

#[test]
fn build_report_writes_one_row_per_department_with_totals_and_every_problem() {
    let dir = batch();
    let out = yusuan(dir.path(), &["build", "data", "--report", "--no-system-fonts", "-j", "2"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("已写出汇总：output/yusuan-report.xlsx、output/yusuan-report.html"),
        "{err}"
    );
    let (depts, problems) = sheets(&dir.path().join("output/yusuan-report.xlsx"));
    // Title, blank, headings, three departments, the totals.
    assert_eq!(depts.len(), 7, "{depts:?}");
    let seed = row_of(&depts, "data/101001-2021.toml");
    assert_eq!(text(&seed[col(&depts, "部门名称")]), "张家口市人大常委会办公室");
    assert_eq!(number(&seed[col(&depts, "收入合计")]), 2220.42);
    assert_eq!(number(&seed[col(&depts, "一般公共预算")]), 2220.42);
    assert_eq!(number(&seed[col(&depts, "“三公”经费合计")]), 56.1);
    assert_eq!(number(&seed[col(&depts, "公务接待费")]), 2.67);
    assert_eq!(number(&seed[col(&depts, "机关运行经费")]), 330.56);
    assert_eq!(text(&seed[col(&depts, "草稿／正式")]), "正式");
    let pdf = dir.path().join("output/101001-2021.pdf");
    assert_eq!(number(&seed[col(&depts, "页数")]), pages(&pdf));
    assert_eq!(text(&seed[col(&depts, "已生成的文件")]), "101001-2021.pdf");
    let other = row_of(&depts, "data/215001-2021.toml");
    assert_eq!(number(&other[col(&depts, "事业收入")]), 83.0);
    let draft = row_of(&depts, "data/101001-2022.toml");
    assert_eq!(text(&draft[col(&depts, "草稿／正式")]), "草稿");
    let text22 = fs::read_to_string(dir.path().join("data/101001-2022.toml")).unwrap();
    let open = text22.matches("{ field = ").count() as f64;
    assert_eq!(number(&draft[col(&depts, "待办")]), open);
    // The totals row adds up the rows, column by column.
    let total = depts.last().unwrap();
    assert!(text(&total[1]).starts_with("全局合计（3 个部门"), "{total:?}");
    for heading in ["收入合计", "财政拨款收入", "“三公”经费合计", "页数", "待办"]
    {
        let c = col(&depts, heading);
        let sum: f64 = depts[3..6].iter().map(|r| number(&r[c])).sum();
        assert!((number(&total[c]) - sum).abs() < 1e-6, "{heading}: {sum} vs {:?}", total[c]);
    }
    // Every problem with its file, line and column: the draft's 待办 among them.
    let todo: Vec<&Vec<Data>> = problems.iter().filter(|r| text(&r[4]) == "待办").collect();
    assert_eq!(todo.len() as f64, open);
    assert!(todo.iter().all(|r| text(&r[1]) == "data/101001-2022.toml" && number(&r[2]) > 0.0));
    assert!(problems.iter().any(|r| text(&r[5]) == "document.sample" && text(&r[4]) == "警告"));
}

#[test]
fn a_report_before_any_build_leaves_pages_and_files_blank() {
    let dir = batch();
    let out = yusuan(dir.path(), &["report", "data", "-o", "汇总"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (depts, _) = sheets(&dir.path().join("汇总/yusuan-report.xlsx"));
    let seed = row_of(&depts, "data/101001-2021.toml");
    assert_eq!(seed[col(&depts, "页数")], Data::Empty);
    assert_eq!(text(&seed[col(&depts, "已生成的文件")]), "");
    // A file with an error is a row too, without figures.
    fs::write(dir.path().join("data/bad.toml"), "[document]\nyear = \"x\"\n").unwrap();
    let out = yusuan(dir.path(), &["report", "data", "-o", "汇总"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (depts, problems) = sheets(&dir.path().join("汇总/yusuan-report.xlsx"));
    let bad = row_of(&depts, "data/bad.toml");
    assert!(text(&bad[col(&depts, "核对结果")]).starts_with("未通过"), "{bad:?}");
    assert_eq!(bad[col(&depts, "收入合计")], Data::Empty);
    assert!(problems.iter().any(|r| text(&r[1]) == "data/bad.toml" && text(&r[4]) == "错误"));
}

// ---------------------------------------------------------------------------
// The page in a real browser.

#[test]
fn the_report_page_has_no_wcag_violation_and_marks_its_headers() {
    let dir = batch();
    fs::write(dir.path().join("data/bad.toml"), "[document]\nyear = \"x\"\n").unwrap();
    let out = yusuan(dir.path(), &["report", "data"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = fs::read_to_string(dir.path().join("output/yusuan-report.html")).unwrap();
    assert!(page.contains("<html lang=\"zh-CN\">") && page.contains("<caption>"));
    assert!(page.contains("<th scope=\"row\">张家口市人大常委会办公室</th>"), "{page}");
    assert!(page.contains("<th scope=\"colgroup\" colspan=\"9\">收入</th>"), "{page}");
    assert!(page.contains("data/bad.toml:"), "the error's place is listed");
    for width in [1280, 390] {
        let result = axe(&page, width);
        let violations = result["violations"].as_array().unwrap();
        assert!(violations.is_empty(), "{width}px: {violations:#?}");
        let passes: Vec<&str> =
            result["passes"].as_array().unwrap().iter().filter_map(|p| p.as_str()).collect();
        for rule in
            ["html-has-lang", "document-title", "th-has-data-cells", "scrollable-region-focusable"]
        {
            assert!(passes.contains(&rule), "axe did not pass {rule} at {width}px: {passes:?}");
        }
    }
}
