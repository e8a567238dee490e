//! Profiles (issue 14): the Shanghai-style sample builds with every part in
//! its order; an exported profile, edited, shows exactly its edits; a
//! profile's mistakes and the fields it requires are reported with file,
//! line and column.

mod common;

use std::fs;
use std::path::Path;

use common::{Order, pdf_text, root, stderr, yusuan};

const SHANGHAI: &str = "data/318001-2025.toml";

fn copy_sample(dir: &Path) -> std::path::PathBuf {
    let to = dir.join("318001-2025.toml");
    fs::copy(root().join(SHANGHAI), &to).unwrap();
    to
}

fn build(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["build", "318001-2025.toml", "--no-system-fonts", "-o", "out"];
    all.extend_from_slice(args);
    let o = yusuan(dir, &all);
    assert!(o.status.success(), "build failed: {}", stderr(&o));
    pdf_text(&dir.join("out/318001-2025.pdf"), Order::Raw)
}

/// Positions of each phrase in the text, failing on a missing one.
fn positions(text: &str, phrases: &[&str]) -> Vec<usize> {
    phrases
        .iter()
        .map(|p| text.find(p).unwrap_or_else(|| panic!("“{p}” is missing from the PDF")))
        .collect()
}

fn ascending(v: &[usize]) -> bool {
    v.windows(2).all(|w| w[0] < w[1])
}

const TABLE_TITLES: [&str; 9] = [
    "2025年部门财务收支预算总表",
    "2025年部门收入预算总表",
    "2025年部门支出预算总表",
    "2025年部门财政拨款收支预算总表",
    "2025年部门一般公共预算支出功能分类预算表",
    "2025年部门政府性基金预算支出功能分类预算表",
    "2025年部门国有资本经营预算支出功能分类预算表",
    "2025年部门一般公共预算基本支出部门预算经济分类预算表",
    "2025年部门“三公”经费和机关运行经费预算表",
];

#[test]
fn the_shanghai_sample_has_every_part_in_order() {
    let dir = tempfile::tempdir().unwrap();
    copy_sample(dir.path());
    let text = build(dir.path(), &[]);
    // Cover, then the 目录 listing the parts and tables.
    let cover = positions(
        &text,
        &["上海市东浦区2025年区级部门预算", "预算主管部门：上海市东浦区科学技术委员会", "目录"],
    );
    assert!(ascending(&cover));
    // The body after the 目录: each part's heading, then the tables in order.
    let body_start = text.find("目录").unwrap();
    let body = &text[body_start..];
    let last_toc = body.find("七、项目经费情况说明").unwrap();
    let body = &body[last_toc + "七、项目经费情况说明".len()..];
    let mut order = vec![
        "上海市东浦区科学技术委员会主要职能",
        "上海市东浦区科学技术委员会机构设置",
        "名词解释",
        "2025年部门预算编制说明",
        "财政拨款支出主要内容如下",
    ];
    order.extend(TABLE_TITLES);
    order.extend([
        "其他相关情况说明",
        "一、2025年“三公”经费预算情况说明",
        "二、机关运行经费预算",
        "三、政府采购预算情况",
        "四、绩效目标设置情况",
        "五、国有资产占有使用情况",
        "上海市东浦区科学技术委员会项目经费情况说明",
        "（一）项目概述",
        "（二）立项依据",
        "（三）实施主体",
        "（四）实施方案",
        "（五）实施周期",
        "（六）年度预算安排",
        "（七）绩效目标",
    ]);
    let at = positions(body, &order);
    assert!(ascending(&at), "parts out of order: {:?}", order.iter().zip(&at).collect::<Vec<_>>());
}

#[test]
fn shanghai_units_and_number_formats() {
    let dir = tempfile::tempdir().unwrap();
    copy_sample(dir.path());
    let text = build(dir.path(), &[]);
    // Tables in 元 with thousands separators: the total of the line items,
    // 2,257.8418 万元.
    assert!(text.contains("单位：元"));
    assert!(text.contains("22,578,418.00"), "元 total with separators");
    // The 三公 table in 万元 with the 机关运行经费 column.
    let sangong = text.find("2025年部门“三公”经费和机关运行经费预算表").unwrap();
    let rest = &text[sangong..];
    assert!(rest.contains("单位：万元"));
    assert!(rest.contains("机关运行经费预算数"));
    assert!(rest.contains("109.67"), "机关运行经费 in 万元");
    // The text in 万元 with two decimals and separators.
    assert!(text.contains("收入预算2,257.84万元"));
    // Counts derived from the units; the set-aside; vehicles as of 8月31日.
    assert!(text.contains("行政单位1家，参公单位1家，事业单位1家"));
    assert!(text.contains("下属1家机关和1家参公事业单位"));
    assert!(text.contains("面向中小企业预留政府采购项目预算金额420.00万元"));
    assert!(text.contains("截至2024年8月31日"));
    assert!(text.contains("单价100万元（含）以上设备"));
    assert!(!text.contains("年末固定资产"), "no 年末 for a count taken on 8月31日");
    // Empty tables carry their note.
    assert!(text.contains("本部门2025年无政府性基金预算财政拨款安排的预算，故本表为空表。"));
}

/// The text with the edits a bureau makes undone, to compare the rest.
fn export(dir: &Path, name: &str, to: &str) {
    let o = yusuan(dir, &["profile", "export", name, to]);
    assert!(o.status.success(), "export failed: {}", stderr(&o));
}

#[test]
fn an_edited_export_shows_exactly_the_edits() {
    let dir = tempfile::tempdir().unwrap();
    copy_sample(dir.path());
    export(dir.path(), "shanghai", "mine");
    let before = build(dir.path(), &["--profile", "mine"]);
    let stock = build(dir.path(), &[]);
    assert_eq!(before, stock, "an exported profile builds the same document");

    // Drop the 国有资本经营 table, rename the 收入 table, reword a sentence.
    let toml_path = dir.path().join("mine/profile.toml");
    let mut spec = fs::read_to_string(&toml_path).unwrap();
    let start = spec.find("[[tables]]\nid = \"capital\"").expect("capital table");
    let end = start + spec[start..].find("\n[[tables]]").unwrap() + 1;
    spec.replace_range(start..end, "");
    spec = spec.replace("{year}年部门收入预算总表", "{year}年部门收入预算汇总表");
    fs::write(&toml_path, spec).unwrap();
    let parts = dir.path().join("mine/parts.typ");
    let typ = fs::read_to_string(&parts)
        .unwrap()
        .replace("按照本区预算绩效管理工作的总体要求", "根据本区预算绩效管理的统一部署");
    fs::write(&parts, typ).unwrap();

    let after = build(dir.path(), &["--profile", "mine"]);
    assert!(!after.contains("国有资本经营预算支出功能分类预算表"));
    assert!(after.contains("2025年部门收入预算汇总表"));
    assert!(after.contains("根据本区预算绩效管理的统一部署"));
    // Undo the three edits in the text: nothing else changed. Only the
    // dropped table's pages and its 目录 line are gone, and the tables after
    // it are numbered one less in the 目录.
    let expected = stock
        .replace("2025年部门收入预算总表", "2025年部门收入预算汇总表")
        .replace("按照本区预算绩效管理工作的总体要求", "根据本区预算绩效管理的统一部署");
    let cut = |t: &str| -> String {
        // Drop the dropped table's page (from its title to the next title).
        let a = t.rfind("2025年部门国有资本经营预算支出功能分类预算表").unwrap();
        let b = a + t[a..].find("2025年部门一般公共预算基本支出部门预算经济分类预算表").unwrap();
        format!("{}{}", &t[..a], &t[b..])
    };
    let tail = |t: &str| t[t.find("上海市东浦区科学技术委员会主要职能").unwrap()..].to_string();
    let expected = cut(&expected);
    // Page numbers after the dropped table shift; compare up to it and after it separately.
    let e = tail(&expected);
    let got = tail(&after);
    let split = "2025年部门一般公共预算基本支出部门预算经济分类预算表";
    let (e1, e2) = e.split_at(e.rfind(split).unwrap());
    let (g1, g2) = got.split_at(got.rfind(split).unwrap());
    assert_eq!(g1, e1, "the document before the dropped table");
    assert_eq!(g2, e2, "the document after the dropped table");
    // The 目录 lost the dropped table's line and renumbered the two after it.
    let toc = |t: &str| t[..t.find("上海市东浦区科学技术委员会主要职能").unwrap()].to_string();
    assert!(toc(&stock).contains("7.2025年部门国有资本经营预算支出功能分类预算表"));
    assert!(!toc(&after).contains("国有资本经营预算支出功能分类预算表"));
    assert!(toc(&after).contains("7.2025年部门一般公共预算基本支出部门预算经济分类预算表"));
    assert!(toc(&after).contains("8.2025年部门“三公”经费和机关运行经费预算表"));
}

#[test]
fn a_mistake_in_a_profile_is_located() {
    let dir = tempfile::tempdir().unwrap();
    copy_sample(dir.path());
    export(dir.path(), "shanghai", "mine");
    let toml_path = dir.path().join("mine/profile.toml");
    let spec = fs::read_to_string(&toml_path).unwrap().replacen(
        "unit = \"万元\"\ncolumns",
        "unit = \"千元\"\ncolumns",
        1,
    );
    fs::write(&toml_path, &spec).unwrap();
    let o = yusuan(dir.path(), &["build", "318001-2025.toml", "--profile", "mine", "-o", "out"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    let line = spec.lines().position(|l| l.contains("千元")).unwrap() + 1;
    assert!(err.contains(&format!("profile.toml:{line}:")), "{err}");
    assert!(!dir.path().join("out/318001-2025.pdf").exists());

    let spec = fs::read_to_string(&toml_path).unwrap().replace("千元", "元").replacen(
        "sum = \"事业收入\"",
        "sum = \"事业收人\"",
        1,
    );
    fs::write(&toml_path, &spec).unwrap();
    let o = yusuan(dir.path(), &["check", "318001-2025.toml", "--profile", "mine"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    let line = spec.lines().position(|l| l.contains("事业收人")).unwrap() + 1;
    assert!(err.contains(&format!("profile.toml:{line}:")), "{err}");
    assert!(err.contains("不认识“事业收人”"), "{err}");
}

#[test]
fn fields_a_profile_prints_are_required_and_the_message_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_sample(dir.path());
    let text = fs::read_to_string(&path).unwrap();
    let cut = text.replace("[performance.coverage]\nunits = 3\nprojects = 3\namount = 853.5\n", "");
    fs::write(&path, cut).unwrap();
    let o = yusuan(dir.path(), &["check", "318001-2025.toml"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("“上海市区级部门预算”（shanghai）"), "{err}");
    assert!(err.contains("其他相关情况说明"), "{err}");
    assert!(err.contains("performance.coverage.units"), "{err}");
    // The same file under the default profile does not need it, but needs
    // what that profile prints.
    let o = yusuan(dir.path(), &["check", "318001-2025.toml", "--profile", "hebei"]);
    let err = stderr(&o);
    assert!(!err.contains("performance.coverage"), "{err}");
    assert!(err.contains("“部门预算信息公开情况说明”（hebei）"), "{err}");
}

#[test]
fn an_unknown_profile_is_refused_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_sample(dir.path());
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("profile = \"shanghai\"", "profile = \"beijing\"");
    fs::write(&path, &text).unwrap();
    let o = yusuan(dir.path(), &["check", "318001-2025.toml"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    let line = text.lines().position(|l| l.starts_with("profile = \"beijing\"")).unwrap() + 1;
    assert!(err.contains(&format!("318001-2025.toml:{line}:")), "{err}");
    assert!(err.contains("shanghai"), "lists the bundled profiles: {err}");
}

#[test]
fn export_refuses_to_overwrite_and_lists_profiles() {
    let dir = tempfile::tempdir().unwrap();
    export(dir.path(), "hebei", "h");
    assert!(dir.path().join("h/profile.toml").is_file());
    assert!(dir.path().join("h/main.typ").is_file());
    let o = yusuan(dir.path(), &["profile", "export", "hebei", "h"]);
    assert!(!o.status.success());
    let o = yusuan(dir.path(), &["profile", "export", "nowhere", "x"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("shanghai"));
    let o = yusuan(dir.path(), &["profile", "list"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("hebei") && out.contains("shanghai"), "{out}");
}

/// Fields the data leaves out never print as a zero or a false sentence:
/// an asset value the document does not publish is “——” and the total is
/// not stated; a count taken on 8月31日 is not called 年末.
#[test]
fn an_omitted_asset_value_and_a_mid_year_date_print_no_false_figure() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(root().join("data/101001-2021.toml")).unwrap();
    let edited = text
        .replace("as_of = 2020-12-31", "as_of = 2020-08-31")
        .replace("vehicles = { quantity = 4, value = 20.3 }", "vehicles = { quantity = 4 }");
    assert_ne!(edited, text, "the sample has the lines this test edits");
    fs::write(dir.path().join("a.toml"), edited).unwrap();
    let o = yusuan(dir.path(), &["build", "a.toml", "--no-system-fonts", "-o", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = pdf_text(&dir.path().join("out/a.pdf"), Order::Raw);
    let flat: String = pdf.split_whitespace().collect();
    assert!(
        flat.contains("截至2020年8月31日，张家口市人大常委会办公室固定资产占用情况详见下表"),
        "{flat}"
    );
    assert!(!flat.contains("固定资产金额为"), "no total of what is given");
    assert!(!flat.contains("2020年末"), "a count of 8月31日 is not 年末");
}
