//! A bureau's year with the real binary: a folder of departments built in
//! one run, next year's draft, and the corrections diff.

use std::fs;
use std::path::Path;

mod common;
use common::{Order, sample, stderr, yusuan};

fn text_of(pdf: &Path) -> String {
    common::pdf_text(pdf, Order::Layout)
}

#[test]
fn sixty_departments_build_in_one_run_each_with_its_own_name() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    fs::create_dir(&data).unwrap();
    let base = sample();
    for i in 0..60 {
        let name = format!("测试第{i}局");
        let text = base
            .replace("张家口市人大常委会办公室", &name)
            .replace("short_name = \"市人大常委会办公室\"", &format!("short_name = \"{name}\""));
        fs::write(data.join(format!("{:03}.toml", i)), text).unwrap();
    }
    // One broken file must not stop the others.
    fs::write(data.join("zz-broken.toml"), "[document]\nyear = \"x\"\n").unwrap();
    let out = yusuan(dir.path(), &["build", "data", "--no-system-fonts", "-j", "2"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("共 61 个文件：生成 60 个，失败 1 个"), "{err}");
    assert!(err.contains("zz-broken.toml"), "{err}");
    for i in [0, 17, 59] {
        let text = text_of(&dir.path().join(format!("output/{i:03}.pdf")));
        assert!(text.contains(&format!("测试第{i}局2021年部门预算信息公开情况说明")), "doc {i}");
        for other in [1, 42] {
            if other != i {
                assert!(!text.contains(&format!("测试第{other}局")), "doc {i} names {other}");
            }
        }
    }
}

#[test]
fn next_years_draft_checks_and_builds_as_2022() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("101001-2021.toml"), sample()).unwrap();
    let out = yusuan(dir.path(), &["new", "--from", "101001-2021.toml", "--year", "2022"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let draft = fs::read_to_string(dir.path().join("101001-2022.toml")).unwrap();
    assert!(draft.contains("【待更新】收入预算"), "{draft}");
    // Refuses to overwrite without --force.
    let again = yusuan(dir.path(), &["new", "--from", "101001-2021.toml", "--year", "2022"]);
    assert_eq!(again.status.code(), Some(1));
    let check = yusuan(dir.path(), &["check", "101001-2022.toml"]);
    assert!(check.status.success(), "{}", stderr(&check));
    let build = yusuan(dir.path(), &["build", "101001-2022.toml", "--no-system-fonts"]);
    assert!(build.status.success(), "{}", stderr(&build));
    let text = text_of(&dir.path().join("output/101001-2022.pdf"));
    assert!(text.contains("张家口市人大常委会办公室2022年部门预算信息公开情况说明"));
    assert!(text.contains("2022年部门预算收支安排2220.42万元，与2021年持平"), "{text}");
    assert!(text.contains("2021年末固定资产金额"));
}

#[test]
fn diff_lists_exactly_the_corrected_fields() {
    let dir = tempfile::tempdir().unwrap();
    let old = sample();
    let new = old
        .replace("reception = \"在职人员增加\"", "reception = \"在职人员增加、接待任务增多\"")
        .replace("value = \"≥419人\"", "value = \"≥420人\"")
        .replace("amount = 117\n", "amount = \"117.00\"\n");
    assert_ne!(old, new);
    fs::write(dir.path().join("old.toml"), &old).unwrap();
    fs::write(dir.path().join("new.toml"), &new).unwrap();
    let out = yusuan(dir.path(), &["diff", "--fields", "old.toml", "new.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    let changed: Vec<&str> = text.lines().filter(|l| l.contains('→')).collect();
    assert_eq!(changed.len(), 3, "{text}");
    assert!(
        text.contains("增减原因 › 公务接待费增减原因：在职人员增加 → 在职人员增加、接待任务增多"),
        "{text}"
    );
    assert!(text.contains("指标值：≥419人 → ≥420人"), "{text}");
    let md =
        yusuan(dir.path(), &["diff", "--fields", "old.toml", "new.toml", "--format", "markdown"]);
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(
        md.contains("更正说明") && md.contains("| 序号 | 部分 | 项目 | 更正前 | 更正后 |"),
        "{md}"
    );
    let same = yusuan(dir.path(), &["diff", "--fields", "old.toml", "old.toml"]);
    assert_eq!(String::from_utf8(same.stdout).unwrap(), "无变化\n");
}

#[test]
fn emitted_data_is_the_json_the_templates_read() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("x.toml"), sample()).unwrap();
    let out = yusuan(dir.path(), &["build", "x.toml", "--emit-data", "--no-system-fonts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("output/x.json")).unwrap()).unwrap();
    assert_eq!(json["doc"]["department"], "张家口市人大常委会办公室");
    assert_eq!(json["income"]["total"]["text"], "2220.42");
    assert_eq!(json["change"]["total"]["direction"], "增加");
}
