//! The classification catalogue by year: the built binary checks fixtures
//! in a temporary folder against the bundled catalogues and the user's own.

use std::fs;
use std::path::Path;
use std::process::Output;

mod common;
use common::{Order, pdf_text, root, stderr, yusuan};

fn fixture(name: &str) -> String {
    fs::read_to_string(root().join("tests/fixtures/catalogue").join(name)).unwrap()
}

/// The 2025 fixture with its year changed.
fn in_year(year: i32) -> String {
    fixture("yunxi-2025.toml").replace("year = 2025", &format!("year = {year}"))
}

/// The 2025 fixture without the two items whose codes came after 2021.
fn without_later_codes(text: &str) -> String {
    let cut =
        text.find("\n[[line_items]]\nunit = \"云溪市文化馆\"\nfunction = \"2130599\"").unwrap();
    text[..cut].to_string() + "\n"
}

/// One more project item at the end of a data file.
fn with_item(text: &str, function: &str, name: &str) -> String {
    format!(
        "{text}\n[[line_items]]\nfunction = \"{function}\"\nfunction_name = \"{name}\"\nproject = \"乡村文化振兴示范村建设\"\namount = 1\n"
    )
}

/// Writes data/x.toml in a fresh folder and checks it.
fn check(text: &str, extra: &[&str]) -> (tempfile::TempDir, Output) {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("data")).unwrap();
    fs::write(dir.path().join("data/x.toml"), text).unwrap();
    let args: Vec<&str> =
        ["check", "data/x.toml"].into_iter().chain(extra.iter().copied()).collect();
    let out = yusuan(dir.path(), &args);
    (dir, out)
}

fn build(dir: &Path, extra: &[&str]) -> String {
    let templates = root().join("templates");
    let mut args = vec![
        "build",
        "data/x.toml",
        "--no-system-fonts",
        "--templates",
        templates.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let out = yusuan(dir, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    pdf_text(&dir.join("output/x.pdf"), Order::Layout)
}

#[test]
fn a_2025_file_with_current_codes_passes() {
    let (_d, out) = check(&fixture("yunxi-2025.toml"), &[]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("科目"), "no catalogue message expected: {err}");
}

#[test]
fn the_2021_catalogue_still_refuses_a_code_it_lacks_and_says_how_to_add_it() {
    let (_d, out) = check(&in_year(2021), &[]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(
        err.contains(
            "农林水支出（213）下没有“21305”这个款，2021 年科目表（内置 catalogue/2021.toml）未收录"
        ),
        "{err}"
    );
    assert!(err.contains("在数据文件旁的 catalogue/2021.toml"), "{err}");
    assert!(err.contains("data/x.toml:"), "{err}");
}

#[test]
fn a_typo_in_a_code_is_still_an_error() {
    let (_d, out) = check(&fixture("yunxi-2025.toml").replace("\"2130599\"", "\"2135099\""), &[]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("没有“21350”这个款"), "{err}");
    let (_d, out) = check(&fixture("yunxi-2025.toml").replace("\"30311\"", "\"30371\""), &[]);
    assert!(stderr(&out).contains("没有“30371”这个款"), "{}", stderr(&out));
}

#[test]
fn a_year_between_uses_its_own_catalogue() {
    // 2022's catalogue is 2021's: a 2024 款 is refused, naming 2022's file.
    let (_d, out) = check(&in_year(2022), &[]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(err.contains("2022 年科目表（内置 catalogue/2022.toml）未收录"), "{err}");
    assert!(!err.contains("最近的"), "2022 has a catalogue: {err}");
    let (_d, out) = check(&without_later_codes(&in_year(2023)), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_year_outside_the_catalogues_takes_the_nearest_and_says_so_once() {
    for (year, near, text) in
        [(2027, 2026, in_year(2027)), (2019, 2021, without_later_codes(&in_year(2019)))]
    {
        let (_d, out) = check(&text, &[]);
        let err = stderr(&out);
        assert!(out.status.success(), "{year}: {err}");
        let says = format!(
            "没有 {year} 年的科目表，按最近的 {near} 年科目表（内置 catalogue/{near}.toml）核对"
        );
        assert_eq!(err.matches(&says).count(), 1, "{year}: {err}");
        assert!(err.contains("document.year"), "{err}");
    }
}

#[test]
fn an_unlisted_item_under_a_listed_kuan_is_a_warning_naming_the_catalogue() {
    let (_d, out) =
        check(&with_item(&fixture("yunxi-2025.toml"), "2070199", "其他文化和旅游支出"), &[]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("警告：功能分类科目 2070199 不在 2025 年科目表（内置 catalogue/2025.toml）中"),
        "{err}"
    );
}

#[test]
fn a_half_width_bracket_is_only_a_different_writing_and_the_table_prints_the_catalogue() {
    let text =
        with_item(&fixture("yunxi-2025.toml"), "2010399", "其他政府办公厅(室)及相关机构事务支出");
    let (dir, out) = check(&text, &[]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("写法不同（半角括号“()”与全角括号“（）”）"), "{err}");
    assert!(err.contains("“其他政府办公厅（室）及相关机构事务支出”"), "{err}");
    let pdf = build(dir.path(), &[]);
    assert!(pdf.contains("其他政府办公厅（室）及相关机构事务支出"), "{pdf}");
    assert!(!pdf.contains("(室)"));
}

#[test]
fn another_name_is_an_error_showing_both() {
    let text =
        fixture("yunxi-2025.toml").replace("\"其他行政事业单位养老支出\"", "\"其他养老支出\"");
    let (_d, out) = check(&text, &[]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(
        err.contains(
            "功能分类科目 2080599 的名称是“其他行政事业单位养老支出”，这里写作“其他养老支出”"
        ),
        "{err}"
    );
}

#[test]
fn a_renamed_code_prints_its_new_name_and_the_old_name_gets_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("data")).unwrap();
    fs::write(dir.path().join("data/x.toml"), fixture("yunxi-2025.toml")).unwrap();
    let rename = root().join("tests/fixtures/catalogue/rename.toml");
    let flag = ["--catalogue", rename.to_str().unwrap()];
    let out = yusuan(dir.path(), &["check", "data/x.toml", flag[0], flag[1]]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("2070104 在 2025 年科目表中已改称“公共图书馆”，这里写的是原名称“图书馆”"),
        "{err}"
    );
    let pdf = build(dir.path(), &flag);
    assert!(pdf.contains("文化和旅游事务") && pdf.contains("公共图书馆"), "{pdf}");
}

#[test]
fn a_user_catalogue_beside_the_data_makes_a_refused_file_pass() {
    let text = with_item(&fixture("yunxi-2025.toml"), "2014001", "行政运行");
    let (dir, out) = check(&text, &[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("没有“20140”这个款"), "{}", stderr(&out));
    fs::create_dir(dir.path().join("data/catalogue")).unwrap();
    fs::copy(
        root().join("tests/fixtures/catalogue/override/catalogue/2025.toml"),
        dir.path().join("data/catalogue/2025.toml"),
    )
    .unwrap();
    // The folder form too: the catalogue folder is not taken for data.
    let out = yusuan(dir.path(), &["check", "data"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("1 个文件"), "{}", stderr(&out));
    let shown = yusuan(dir.path(), &["catalogue", "show", "2025", "--code", "20140"]);
    let listing = String::from_utf8_lossy(&shown.stdout);
    assert!(
        listing.contains("2014001 行政运行") && listing.contains("data/catalogue/2025.toml"),
        "{listing}"
    );
}

#[test]
fn a_broken_user_catalogue_is_reported_at_its_lines() {
    let (dir, _) = check(&fixture("yunxi-2025.toml"), &[]);
    fs::create_dir(dir.path().join("data/catalogue")).unwrap();
    fs::copy(
        root().join("tests/fixtures/catalogue/broken/catalogue/2025.toml"),
        dir.path().join("data/catalogue/2025.toml"),
    )
    .unwrap();
    let out = yusuan(dir.path(), &["check", "data/x.toml"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("data/catalogue/2025.toml:5:1"), "{err}");
    assert!(err.contains("功能分类科目编码“201400001”应为"), "{err}");
    assert!(err.contains("data/catalogue/2025.toml:6:15"), "{err}");
    assert!(err.contains("没有“nmae”这一项"), "{err}");
}

#[test]
fn catalogue_show_lists_each_code_with_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = yusuan(dir.path(), &["catalogue", "show", "2025", "--code", "21305", "-v"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(text.contains("21305 巩固脱贫攻坚成果衔接乡村振兴"), "{text}");
    assert!(text.contains("〔catalogue/2024.toml〕"), "{text}");
    assert!(
        text.contains("2130599 其他巩固脱贫攻坚成果衔接乡村振兴支出")
            && text.contains("〔未核对〕"),
        "{text}"
    );
    assert!(text.contains("财预〔2023〕83号"), "{text}");
    let out = yusuan(dir.path(), &["catalogue", "show", "2027", "--code", "201"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("没有 2027 年的内置科目表，按最近的 2026 年")
    );
}

#[test]
fn the_samples_check_without_catalogue_messages() {
    for sample in ["101001-2021", "215001-2021"] {
        let (_d, out) =
            check(&fs::read_to_string(root().join(format!("data/{sample}.toml"))).unwrap(), &[]);
        let err = stderr(&out);
        assert!(out.status.success(), "{sample}: {err}");
        assert!(!err.contains("科目表"), "{sample}: {err}");
    }
}

/// 2021 knows the 项 that later years' public tables show (the 2025 fixture's
/// 2080599 among them), but only as unchecked for 2021: another name there
/// is a warning, and an error from the year the table was seen.
#[test]
fn items_seen_in_later_tables_are_known_in_2021_but_unchecked() {
    let in_2021 = without_later_codes(&in_year(2021));
    let (_d, out) = check(&with_item(&in_2021, "2040601", "行政运行"), &[]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("不在 2021 年科目表"), "{err}");
    let (_d, out) = check(&with_item(&in_2021, "2040607", "法律援助"), &[]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("功能分类科目 2040607 的名称是“公共法律服务”，这里写作“法律援助”")
            && err.contains("科目表中这一名称未经核对"),
        "{err}"
    );
    let in_2023 = without_later_codes(&in_year(2023));
    let (_d, out) = check(&with_item(&in_2023, "2040607", "法律援助"), &[]);
    assert!(!out.status.success(), "{}", stderr(&out));
    let dir = tempfile::tempdir().unwrap();
    let shown = yusuan(dir.path(), &["catalogue", "show", "2021", "--code", "2040601", "-v"]);
    let listing = String::from_utf8_lossy(&shown.stdout);
    assert!(
        listing.contains("2040601 行政运行")
            && listing.contains("〔未核对〕")
            && listing.contains("来源：上海市普陀区司法局")
            && listing.contains("说明：见于 2026 年公开表，2021 年未核对")
            && listing.contains("〔未核对〕编码或名称未经这一年的来源核对"),
        "{listing}"
    );
}

/// Writes each text as data/<name>.toml in one fresh folder and checks
/// them in one run.
fn check_many(files: &[(&str, String)], extra: &[&str]) -> (tempfile::TempDir, Output) {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("data")).unwrap();
    for (name, text) in files {
        fs::write(dir.path().join(format!("data/{name}.toml")), text).unwrap();
    }
    let args: Vec<&str> = ["check", "data"].into_iter().chain(extra.iter().copied()).collect();
    let out = yusuan(dir.path(), &args);
    (dir, out)
}

#[test]
fn a_code_one_digit_off_a_listed_one_asks_and_refuses_when_it_carries_that_name() {
    let base = fixture("yunxi-2025.toml");
    // 2010194 written for 2010104 人大会议: the name gives the typo away.
    let (_d, out) = check(&with_item(&base, "2010194", "人大会议"), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("错误：功能分类科目 2010194 不在 2025 年科目表"), "{err}");
    assert!(err.contains("是否想写 2010104（人大会议）？"), "{err}");
    assert!(err.contains("= 应为：function = \"2010104\""), "{err}");
    // Another name: perhaps a real 项 the catalogue lacks; it asks.
    let (_d, out) = check(&with_item(&base, "2010194", "人大专项工作"), &[]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("警告：功能分类科目 2010194") && err.contains("是否想写 2010104"),
        "{err}"
    );
    // A 项 name every 款 has (行政运行) under another 款: no proof of a
    // slip (2060101 is a real 项 the bundled catalogue lacks); it asks.
    let (_d, out) = check(&with_item(&base, "2060101", "行政运行"), &[]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("警告：功能分类科目 2060101"), "{err}");
    // Two neighbouring digits swapped, and an economic 款 one digit off.
    let (_d, out) = check(&with_item(&base, "2010140", "人大会议"), &[]);
    assert!(stderr(&out).contains("是否想写 2010104"), "{}", stderr(&out));
    let (_d, out) = check(&base.replace("\"30311\"", "\"30371\""), &[]);
    assert!(stderr(&out).contains("或 30311（代缴社会保险费）？"), "{}", stderr(&out));
}

#[test]
fn a_code_listed_in_another_years_catalogue_is_one_note_not_a_warning() {
    // 2130599 is listed from 2025 on; a 2024 file using it gets a note.
    let (_d, out) = check(&in_year(2024), &[]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(err.matches("提示：功能分类科目 2130599 不在 2024 年科目表").count(), 1, "{err}");
    assert!(
        err.contains(
            "2025 年科目表（内置 catalogue/2025.toml）列有“其他巩固脱贫攻坚成果衔接乡村振兴支出”"
        ),
        "{err}"
    );
    assert!(!err.contains("警告：功能分类科目"), "a note, not a warning: {err}");
    assert!(!err.contains("个警告"), "notes are not counted as warnings: {err}");
}

#[test]
fn an_unknown_code_used_by_many_files_is_one_warning_naming_them_all() {
    let base = fixture("yunxi-2025.toml");
    let files: Vec<(String, String)> =
        (0..5).map(|i| (format!("d{i}"), with_item(&base, "2130153", "农田建设"))).collect();
    let refs: Vec<(&str, String)> = files.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
    let (_d, out) = check_many(&refs, &[]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(err.matches("功能分类科目 2130153 不在 2025 年科目表").count(), 1, "{err}");
    assert!(err.contains("见于 5 个文件：data/d0.toml:"), "{err}");
    for i in 0..5 {
        assert!(err.contains(&format!("data/d{i}.toml:733:12")), "{err}");
    }
    // --verbose lists it in each file instead.
    let (_d, out) = check_many(&refs, &["--verbose"]);
    assert_eq!(stderr(&out).matches("功能分类科目 2130153 不在 2025 年科目表").count(), 5);
}

#[test]
fn the_bureaus_own_catalogue_makes_an_unknown_code_an_error() {
    let text = with_item(&fixture("yunxi-2025.toml"), "2130153", "农田建设");
    let (dir, out) = check(&text, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    fs::create_dir(dir.path().join("data/catalogue")).unwrap();
    fs::write(
        dir.path().join("data/catalogue/2025.toml"),
        "# 本局预算系统导出的科目（示例）\n[function]\n\"2130104\" = \"事业运行\"\n",
    )
    .unwrap();
    let out = yusuan(dir.path(), &["check", "data/x.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("功能分类科目 2130153：农业农村（21301）款下没有这一项"), "{err}");
    assert!(err.contains("本地科目表 data/catalogue/2025.toml"), "{err}");
    // Listing it there makes it known.
    fs::write(
        dir.path().join("data/catalogue/2025.toml"),
        "[function]\n\"2130153\" = \"农田建设\"\n",
    )
    .unwrap();
    let out = yusuan(dir.path(), &["check", "data/x.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("2130153"), "{}", stderr(&out));
}

#[test]
fn catalogue_show_stats_counts_each_level_with_its_sources() {
    let dir = tempfile::tempdir().unwrap();
    let out = yusuan(dir.path(), &["catalogue", "show", "2025", "--stats"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", stderr(&out));
    let line = text.lines().find(|l| l.starts_with("支出功能分类：")).expect("a summary line");
    // “项 N 个（注明来源 S，未核对 U）”: the counts add up to the listing.
    let items: usize =
        line.split("项 ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    let listed = yusuan(dir.path(), &["catalogue", "show", "2025"]);
    let listing = String::from_utf8_lossy(&listed.stdout);
    assert_eq!(items, listing.matches("（项）").count(), "{line}");
    assert!(text.contains("  213 农林水支出：款 "), "{text}");
    assert!(text.contains("部门预算支出经济分类：类 "), "{text}");
}
