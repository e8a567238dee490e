//! A county bureau's first day, as a test: 40 invented departments started
//! with `yusuan init`, 38 filled in (from the invented minimal example, each
//! with its own name, code and figures) and 2 left as drafts, checked,
//! built as one batch with its report (all 40, `-j 2`: about 11 s on the
//! shared 2-core machine), one published figure corrected and the
//! correction notice written with `yusuan diff --format markdown`. The
//! terminal output stays under one screen per file in the default mode.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use calamine::{Data, Reader, Xlsx};

mod common;
use common::{root, stderr, yusuan};

/// Invented county departments (names only; none is a real document).
const KINDS: [&str; 40] = [
    "农业农村局",
    "教育局",
    "卫生健康局",
    "民政局",
    "财政局",
    "自然资源局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "商务局",
    "文化和旅游局",
    "市场监督管理局",
    "应急管理局",
    "审计局",
    "统计局",
    "医疗保障局",
    "退役军人事务局",
    "人力资源和社会保障局",
    "司法局",
    "林业局",
    "科学技术局",
    "工业和信息化局",
    "发展和改革局",
    "档案馆",
    "图书馆",
    "文化馆",
    "博物馆",
    "气象局",
    "地震局",
    "信访局",
    "机关事务服务中心",
    "融媒体中心",
    "供销合作社",
    "妇女联合会",
    "总工会",
    "共青团委员会",
    "科学技术协会",
    "残疾人联合会",
    "红十字会",
];

/// Departments 39 and 40 stay as `init` wrote them: drafts with open 待办.
const FILLED: usize = 38;

fn code(i: usize) -> String {
    format!("4{i:02}001")
}

fn file(i: usize) -> String {
    format!("data/{}-2026.toml", code(i))
}

fn name(i: usize) -> String {
    format!("云岭县{}", KINDS[i - 1])
}

/// Department `i`'s figures and names written over its `init` file: the
/// minimal example with the department's own name, code, year and amounts
/// (income 520.5 + i = expenditure 440.5 + i + 80).
fn filled(i: usize) -> String {
    let example = fs::read_to_string(root().join("docs/example-minimal.toml")).unwrap();
    let swaps = [
        ("year = 2022", "year = 2026".to_string()),
        ("示例市档案馆", name(i)),
        ("short_name = \"市档案馆\"", format!("short_name = \"{}\"", KINDS[i - 1])),
        ("305001", code(i)),
        ("general_budget = 500.5", format!("general_budget = {}", 500.5 + i as f64)),
        ("personnel = 380.25", format!("personnel = {}", 380.25 + i as f64)),
        ("as_of = 2021-12-31", "as_of = 2025-12-31".to_string()),
    ];
    swaps.iter().fold(example, |text, (from, to)| {
        assert!(text.contains(from), "the example no longer has {from}");
        text.replace(from, to)
    })
}

/// Output lines per file: a line naming a data file belongs to it, and lines
/// naming none (a summary's heading, “加 --verbose”) to the next file named;
/// lines after the last file named are the run's closing lines.
fn lines_per_file(out: &str) -> (BTreeMap<String, usize>, usize) {
    let mut per = BTreeMap::new();
    let mut pending = 0;
    for line in out.lines() {
        let named = (1..=KINDS.len()).map(code).find(|c| line.contains(&format!("{c}-2026")));
        match named {
            Some(c) => *per.entry(c).or_insert(0) += 1 + std::mem::take(&mut pending),
            None => pending += 1,
        }
    }
    (per, pending)
}

/// One screen (25 lines) per file at most, and a handful of closing lines.
fn assert_one_screen_each(what: &str, out: &str) -> BTreeMap<String, usize> {
    let (per, closing) = lines_per_file(out);
    for (c, n) in &per {
        assert!(*n <= 25, "{what}: {c} takes {n} lines\n{out}");
    }
    assert!(closing <= 4, "{what}: {closing} closing lines\n{out}");
    per
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        _ => String::new(),
    }
}

fn number(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

/// The department sheet of the report: headings (row 3) and rows below.
fn departments(dir: &Path) -> (Vec<String>, Vec<Vec<Data>>) {
    let mut book: Xlsx<_> = calamine::open_workbook(dir.join("output/yusuan-report.xlsx")).unwrap();
    let rows: Vec<Vec<Data>> =
        book.worksheet_range("部门汇总").unwrap().rows().map(|r| r.to_vec()).collect();
    (rows[2].iter().map(text).collect(), rows[3..].to_vec())
}

fn col(heads: &[String], h: &str) -> usize {
    heads.iter().position(|x| x == h).unwrap_or_else(|| panic!("no column {h}: {heads:?}"))
}

/// init for all 40, then the first 38 filled in.
fn start_and_fill(dir: &Path) {
    for i in 1..=KINDS.len() {
        let out =
            yusuan(dir, &["init", "--year", "2026", "--department", &name(i), "--code", &code(i)]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stderr(&out).contains(&file(i)), "{}", stderr(&out));
    }
    for i in 1..=FILLED {
        fs::write(dir.join(file(i)), filled(i)).unwrap();
    }
}

fn check_all(dir: &Path) {
    let out = yusuan(dir, &["check", "data"]);
    let said = stderr(&out) + &String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("核对通过：40 个文件"), "{said}");
    let per = assert_one_screen_each("check", &said);
    // A clean file says nothing; the two drafts a summary each.
    assert_eq!(per.len(), 2, "{per:?}\n{said}");
    assert!(said.contains(&format!("{}：没有错误；草稿，待办 22 项", file(40))), "{said}");
    // --verbose lists every 待办: more than the summary's screen.
    let out = yusuan(dir, &["check", &file(40), "--verbose"]);
    let verbose = stderr(&out) + &String::from_utf8_lossy(&out.stdout);
    assert!(verbose.lines().count() > per[&code(40)], "{verbose}");
}

fn build_all(dir: &Path) {
    let out = yusuan(dir, &["build", "data", "--report", "--no-system-fonts", "-j", "2"]);
    let said = stderr(&out) + &String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}");
    let per = assert_one_screen_each("build", &said);
    assert_eq!(per.len(), 40, "every file is reported: {per:?}");
    for i in 1..=KINDS.len() {
        assert!(dir.join(format!("output/{}-2026.pdf", code(i))).is_file());
    }
}

/// The report: 40 departments, 2 drafts, totals that add the 40 rows.
fn assert_report(dir: &Path, reception_5: f64) {
    let (heads, rows) = departments(dir);
    assert_eq!(rows.len(), 41, "40 departments and the totals row");
    let (depts, total) = rows.split_at(40);
    let state = col(&heads, "草稿／正式");
    assert_eq!(depts.iter().filter(|r| text(&r[state]) == "草稿").count(), 2);
    for (i, r) in depts.iter().enumerate() {
        assert_eq!(text(&r[col(&heads, "部门名称")]), name(i + 1));
        assert_eq!(text(&r[col(&heads, "文件")]), file(i + 1));
    }
    let income = col(&heads, "收入合计");
    assert_eq!(number(&depts[4][income]), 525.5);
    // Σ (520.5 + i) over the 38 filled departments; the drafts are all 0.
    assert!((number(&total[0][income]) - 20_520.0).abs() < 1e-6, "{:?}", total[0]);
    assert_eq!(number(&depts[4][col(&heads, "公务接待费")]), reception_5);
    let html = fs::read_to_string(dir.join("output/yusuan-report.html")).unwrap();
    assert!(html.contains("全局合计（40 个部门的预算数）"), "{html}");
    assert_eq!(html.matches(&name(7)).count(), 1);
}

/// Department 5's reception figure corrected after publication: the notice
/// names what changed and nothing else.
fn correct_and_notice(dir: &Path) {
    fs::create_dir(dir.join("published")).unwrap();
    let published = format!("published/{}-2026.toml", code(5));
    fs::copy(dir.join(file(5)), dir.join(&published)).unwrap();
    let before = fs::read_to_string(dir.join(file(5))).unwrap();
    let after = before.replacen("reception = 1\n", "reception = 1.5\n", 1).replacen(
        "reception = \"压减公务接待\"",
        "reception = \"接待任务增加\"",
        1,
    );
    assert_ne!(before, after);
    fs::write(dir.join(file(5)), after).unwrap();
    let out = yusuan(dir, &["build", &file(5), "--no-system-fonts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = yusuan(
        dir,
        &["diff", &published, &file(5), "--format", "markdown", "--reason", "公务接待费填写有误"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let notice = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(notice.starts_with(&format!("# {}2026年部门预算信息公开情况说明更正说明", name(5))));
    assert!(notice.contains("因公务接待费填写有误，有2处内容需要更正"), "{notice}");
    let rows: Vec<&str> =
        notice.lines().filter(|l| l.starts_with("| ") && !l.contains("序号")).collect();
    assert_eq!(rows.len(), 2, "{notice}");
    assert!(
        rows[1].contains("公务接待费1万元，较上年减少0.2万元，原因是压减公务接待。"),
        "{notice}"
    );
    assert!(
        rows[1].contains("公务接待费1.5万元，较上年增加0.3万元，原因是接待任务增加。"),
        "{notice}"
    );
    assert!(rows[0].contains("安排4.5万元") && rows[0].contains("安排5万元"), "{notice}");
    assert!(notice.lines().count() <= 25, "the notice of one changed figure is short\n{notice}");
}

#[test]
fn forty_departments_from_init_to_correction_notice() {
    let dir = tempfile::tempdir().unwrap();
    start_and_fill(dir.path());
    check_all(dir.path());
    build_all(dir.path());
    assert_report(dir.path(), 1.0);
    correct_and_notice(dir.path());
    // The report again, from all 40 files and the PDFs in output/.
    let out = yusuan(dir.path(), &["report", "data"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_report(dir.path(), 1.5);
}
