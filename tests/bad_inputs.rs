//! The corpus of bad inputs under `tests/bad/`: each case is run through the
//! built binary and its exit code and messages are compared with the case's
//! `.expected` file.
//!
//! A case is `NN-name.toml` (run as `yusuan check NN-name.toml`) or
//! `NN-name.args` (the arguments, with `{file}` for the case's `.toml`,
//! `{out}` for a fresh output folder and `{templates}` for the shipped
//! templates). Cases run from `tests/bad/`, so messages name files as
//! `NN-name.toml:line:column`. The expected file is the line `exit: N`
//! followed by stderr exactly; the output folder is written `{out}` and page
//! counts `N 页` as `# 页`, so the build cases do not depend on the layout.
//!
//! After an intended change of wording, regenerate the expected files with
//! `YUSUAN_BLESS=1 cargo test --release --test bad_inputs` and review the
//! diff before committing.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::{Order, root};

fn pdf_text(pdf: &Path) -> String {
    common::pdf_text(pdf, Order::Raw)
}

fn corpus() -> PathBuf {
    root().join("tests/bad")
}

/// Case names: the stems of every `.toml` and `.args` file.
fn cases() -> Vec<String> {
    let mut names = BTreeSet::new();
    for e in fs::read_dir(corpus()).unwrap().flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "toml" || x == "args") {
            names.insert(p.file_stem().unwrap().to_string_lossy().into_owned());
        }
    }
    names.into_iter().collect()
}

fn args_of(name: &str, out: &Path) -> Vec<String> {
    let file = format!("{name}.toml");
    let line = fs::read_to_string(corpus().join(format!("{name}.args")))
        .unwrap_or_else(|_| "check {file}".to_string());
    let templates = root().join("templates");
    line.split_whitespace()
        .map(|a| {
            a.replace("{file}", &file)
                .replace("{out}", out.to_str().unwrap())
                .replace("{templates}", templates.to_str().unwrap())
        })
        .collect()
}

fn run(args: &[String]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yusuan"))
        .args(args)
        .current_dir(corpus())
        .env_remove("YUSUAN_FONT_PATHS")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("yusuan runs")
}

/// `（12 页）` → `（# 页）`: the layout is not what this corpus tests.
fn mask_pages(s: &str) -> String {
    let mut out = String::new();
    for line in s.split_inclusive('\n') {
        match (line.rfind('（'), line.rfind(" 页）")) {
            (Some(a), Some(b)) if a < b && line[a + '（'.len_utf8()..b].parse::<u32>().is_ok() => {
                out.push_str(&line[..a]);
                out.push_str("（#");
                out.push_str(&line[b..]);
            }
            _ => out.push_str(line),
        }
    }
    out
}

fn actual(o: &Output, out: &Path) -> String {
    let stderr = String::from_utf8_lossy(&o.stderr).replace(out.to_str().unwrap(), "{out}");
    let code = o.status.code().map_or("signal".to_string(), |c| c.to_string());
    format!("exit: {code}\n{}", mask_pages(&stderr))
}

/// Runs one case; returns a description of the difference, if any.
fn check_case(name: &str, bless: bool) -> Option<String> {
    let out = tempfile::tempdir().unwrap();
    let args = args_of(name, out.path());
    let o = run(&args);
    let got = actual(&o, out.path());
    if let Some(problem) = build_result(name, &args, &o, out.path()) {
        return Some(problem);
    }
    let path = corpus().join(format!("{name}.expected"));
    if bless {
        fs::write(&path, &got).unwrap();
        return None;
    }
    let want = fs::read_to_string(&path).unwrap_or_default();
    (want != got)
        .then(|| format!("{name}: output differs\n--- expected\n{want}\n--- actual\n{got}"))
}

/// A build case must leave a PDF exactly when it succeeds.
fn build_result(name: &str, args: &[String], o: &Output, out: &Path) -> Option<String> {
    if args.first().map(String::as_str) != Some("build") {
        return None;
    }
    let pdf = out.join(format!("{name}.pdf"));
    let made = fs::metadata(&pdf).is_ok_and(|m| m.len() > 1000);
    (made != o.status.success())
        .then(|| format!("{name}: exit {:?} but PDF made = {made}", o.status.code()))
}

#[test]
fn every_bad_input_gives_its_expected_message_and_exit_code() {
    let bless = std::env::var("YUSUAN_BLESS").is_ok_and(|v| v == "1");
    let names = cases();
    assert!(names.len() >= 30, "the corpus has only {} cases", names.len());
    let failures: Vec<String> = names.iter().filter_map(|n| check_case(n, bless)).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        names.len(),
        failures.join("\n\n")
    );
}

/// Every expected file belongs to a case, so a renamed case leaves no stale
/// expectation behind.
#[test]
fn every_expected_file_has_its_case() {
    let names: BTreeSet<String> = cases().into_iter().collect();
    for e in fs::read_dir(corpus()).unwrap().flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "expected") {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            assert!(names.contains(&stem), "{} has no case", p.display());
        }
    }
}

/// No message may end the program abnormally, and every data message names
/// file:line:column and, for problems in the data, the field.
#[test]
fn every_data_message_names_its_place() {
    for name in cases().iter().filter(|n| corpus().join(format!("{n}.toml")).exists()) {
        let o = run(&["check".to_string(), format!("{name}.toml")]);
        assert!(matches!(o.status.code(), Some(0 | 1)), "{name}: {:?}", o.status);
        let err = String::from_utf8_lossy(&o.stderr);
        let place = format!("--> {name}.toml:");
        for block in
            err.split("\n\n").filter(|b| b.starts_with("错误：") || b.starts_with("警告："))
        {
            assert!(block.contains(&place), "{name}: no file:line:column in\n{block}");
            let line_col = block.split(&place).nth(1).unwrap().lines().next().unwrap();
            let mut parts = line_col.split(':');
            assert!(parts.next().unwrap().parse::<u32>().is_ok(), "{name}: {line_col}");
            assert!(parts.next().unwrap().parse::<u32>().is_ok(), "{name}: {line_col}");
        }
    }
}

/// The markup case puts the same run of Typst markup characters in front of
/// every kind of printed text field; each must come out literally.
#[test]
fn markup_characters_print_as_themselves() {
    let name = "51-markup-in-every-text-field";
    let out = tempfile::tempdir().unwrap();
    let o = run(&args_of(name, out.path()));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = pdf_text(&out.path().join(format!("{name}.pdf")));
    let mark: String = r"= #*_$@<x>\[]`~// ".split_whitespace().collect();
    let fields = [
        "张家口市人大常委会办公室",
        "中华人民共和国预算法",
        "市人民代表大会常务委员会",
        "授予地方荣誉称号",
        "行政",
        "正处级",
        "财政拨款",
        "人大会议经费",
        "主要是人员增加",
        "邮电费",
        "在职人员增加",
        "2021年是中国共产党",
        "立法工作",
        "按照《张家口市人大常委会2021年立法工作计划》",
        "立法任务完成率",
        "加强宣传培训",
        "选举、任免工作经费",
        "101001张家口市人大常委会办公室本级",
        "为补选国家机关领导人员",
        "产出",
        "数量",
        "召开会议次数",
        "召开人大常委会会议",
        "≥6次",
        "组织法、选举法、代表法",
        "主要为计算机",
        "一般公共预算拨款收入",
        "指市级财政当年拨付的资金",
        "本部门无其他事项",
    ];
    let missing: Vec<&str> =
        fields.iter().copied().filter(|f| !text.contains(&format!("{mark}{f}"))).collect();
    assert!(missing.is_empty(), "not printed literally after {mark:?}: {missing:?}");
}

/// A template a user broke is reported with the template's file, line and
/// column and Typst's own message, and no PDF is written.
#[test]
fn a_broken_template_names_its_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    common::copy_templates(&templates);
    let main = templates.join("hebei/main.typ");
    let before = format!("{}\n", fs::read_to_string(&main).unwrap());
    let line = before.matches('\n').count() + 1;
    fs::write(&main, format!("{before}#undefined_yusuan(1)\n")).unwrap();
    let sample = root().join("data/101001-2021.toml");
    let o = Command::new(env!("CARGO_BIN_EXE_yusuan"))
        .args(["build", "--no-system-fonts", "--templates"])
        .arg(&templates)
        .arg(&sample)
        .arg("-o")
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("unknown variable: undefined_yusuan"), "{err}");
    let place = format!("main.typ:{line}:");
    let column = err.split(&place).nth(1).and_then(|r| r.split_whitespace().next());
    assert!(column.is_some_and(|c| c.parse::<u32>().is_ok()), "expected {place}N in:\n{err}");
    assert!(!dir.path().join("out/101001-2021.pdf").exists());
}

/// clap's usage errors exit with 2, distinct from data errors (1).
#[test]
fn a_usage_error_exits_with_2() {
    for args in [&["check", "--no-such-flag"][..], &["no-such-command"], &["build", "-o"]] {
        let o = Command::new(env!("CARGO_BIN_EXE_yusuan")).args(args).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    }
}

#[test]
fn the_faithful_fixture_names_the_mismatch_and_its_fields() {
    let o = run(&["check".to_string(), "../fixtures/seed-faithful-yoy.toml".to_string()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for needle in [
        "--> ../fixtures/seed-faithful-yoy.toml:",
        "= 字段：previous.stated.total",
        "135.65",
        "136.65",
        "previous.stated.basic",
        "previous.stated.projects",
    ] {
        assert!(err.contains(needle), "{needle:?} missing from:\n{err}");
    }
}
