//! Section references (“3.18 节”, “第 3 节”, “见 3.16”, `[3.18](#318-…)`) in
//! README.md, docs/*.md and the file headers the binary writes (`init`,
//! `new`, `init --final-accounts`) point at headings that exist, in the
//! document they name (or, inside docs/X.md, in X itself).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

mod common;
use common::{root, stderr, yusuan};

/// One reference: the section number, the document it names (if any) and an
/// anchor when it is a markdown link.
#[derive(Debug)]
struct Ref {
    number: String,
    doc: Option<String>,
    anchor: Option<String>,
    line: usize,
}

/// A heading's number (“3.18” of “### 3.18 `[todo]`：…”, “1” of “## 1 概述”).
fn heading_number(title: &str) -> Option<String> {
    let n: String = title.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    let n = n.trim_end_matches('.');
    (!n.is_empty() && n.starts_with(|c: char| c.is_ascii_digit())).then(|| n.to_string())
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces to
/// hyphens (CJK letters kept).
fn slug(title: &str) -> String {
    title
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c.to_lowercase().next().unwrap()),
            _ => None,
        })
        .collect()
}

/// Numbered headings of a markdown file: number → slug. Lines inside code
/// blocks are skipped (a TOML comment starts with # too).
fn headings(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut in_code = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        }
        let Some(title) = (!in_code).then(|| line.strip_prefix('#')).flatten() else { continue };
        let title = title.trim_start_matches('#').trim();
        if let Some(n) = heading_number(title) {
            out.insert(n, slug(title));
        }
    }
    out
}

/// The last `something.md` named in `before` (a link or plain text).
fn last_doc(before: &str) -> Option<String> {
    let end = before.rfind(".md")?;
    let stem = &before[..end];
    let start = stem
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/')))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let name = &stem[start..];
    (!name.is_empty()).then(|| format!("{}.md", name.rsplit('/').next().unwrap()))
}

/// A run of digits and dots ending at byte `end` of `line` (spaces before
/// `end` skipped), as (start, number).
fn number_before(line: &str, end: usize) -> Option<(usize, String)> {
    let head = line[..end].trim_end();
    let start = head.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.').len();
    let n = &head[start..];
    n.starts_with(|c: char| c.is_ascii_digit()).then(|| (start, n.trim_end_matches('.').into()))
}

/// A number starting at byte `start` of `line`.
fn number_at(line: &str, start: usize) -> Option<String> {
    let n: String = line[start..].chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    let n = n.trim_end_matches('.');
    n.contains('.').then(|| n.to_string())
}

/// Every reference on one line: “N.N 节”/“第 N 节”, “见 N.N”, “X.md N.N”,
/// “[N.N](#anchor)”.
fn refs_in_line(line: &str, no: usize, out: &mut Vec<Ref>) {
    let mut push = |at: usize, number: String, anchor: Option<String>| {
        let doc = last_doc(&line[..at]);
        out.push(Ref { number, doc, anchor, line: no });
    };
    for (i, _) in line.match_indices('节') {
        if let Some((at, n)) = number_before(line, i) {
            push(at, n, None);
        }
    }
    for (i, m) in line.match_indices("见 ").chain(line.match_indices(".md ")) {
        if let Some(n) = number_at(line, i + m.len())
            && !line[i + m.len() + n.len()..].trim_start().starts_with('节')
        {
            // After “X.md ” the file is the one just named.
            push(if m == ".md " { i + 3 } else { i }, n, None);
        }
    }
    for (i, _) in line.match_indices("](#") {
        let Some(open) = line[..i].rfind('[') else { continue };
        let anchor = &line[i + 3..i + 3 + line[i + 3..].find(')').unwrap()];
        push(open, heading_number(&line[open + 1..i]).unwrap_or_default(), Some(anchor.into()));
    }
}

fn refs(text: &str) -> Vec<Ref> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        refs_in_line(line, i + 1, &mut out);
    }
    out
}

/// The docs by file name (“data-format.md”) with their numbered headings.
fn docs() -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for entry in fs::read_dir(root().join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            out.insert(name, headings(&fs::read_to_string(&path).unwrap()));
        }
    }
    out
}

/// Problems with the references of `text` (named `name`; `own` is the doc a
/// reference naming no file points at, None when it must name one).
fn broken(name: &str, text: &str, own: Option<&str>) -> Vec<String> {
    let docs = docs();
    let mut bad = Vec::new();
    for r in refs(text) {
        let Some(doc) = r.doc.as_deref().or(own) else {
            bad.push(format!("{name}:{}: {} 节没有写是哪个文件", r.line, r.number));
            continue;
        };
        let Some(heads) = docs.get(doc) else {
            bad.push(format!("{name}:{}: 没有 docs/{doc}", r.line));
            continue;
        };
        match (heads.get(&r.number), &r.anchor) {
            (None, _) if !r.number.is_empty() => {
                bad.push(format!("{name}:{}: docs/{doc} 没有 {} 节", r.line, r.number))
            }
            (Some(s), Some(a)) if s != a => {
                bad.push(format!("{name}:{}: {} 节的锚点是 #{s}，不是 #{a}", r.line, r.number))
            }
            (None, Some(a)) if !heads.values().any(|s| s == a) => {
                bad.push(format!("{name}:{}: docs/{doc} 没有锚点 #{a}", r.line))
            }
            _ => {}
        }
    }
    bad
}

#[test]
fn the_reference_finder_sees_each_kind_and_catches_a_wrong_number() {
    let text = "见 [docs/data-format.md](docs/data-format.md) 3.17 节。\n\
                字段说明见 docs/data-format.md 第 3 节；（见 docs/data-format.md 2.3）\n\
                （见 [3.18](#318-todo草稿中待更新的字段)），见 3.16。\n\
                3.15 部门收入总表 不是引用；这两节可以删去。\n";
    let found: Vec<(String, Option<String>)> =
        refs(text).into_iter().map(|r| (r.number, r.doc)).collect();
    let df = Some("data-format.md".to_string());
    assert_eq!(
        found,
        [
            ("3.17".into(), df.clone()),
            ("3".into(), df.clone()),
            ("2.3".into(), df.clone()),
            ("3.16".into(), None),
            ("3.18".into(), None),
        ]
    );
    let own = Some("data-format.md");
    assert!(broken("t", text, own).is_empty(), "{:?}", broken("t", text, own));
    let bad = broken("t", "（见 docs/data-format.md 3.40 节）\n见 2.1 节\n", None);
    assert_eq!(bad.len(), 2, "{bad:?}");
    assert!(bad[0].contains("没有 3.40 节") && bad[1].contains("没有写是哪个文件"), "{bad:?}");
    let bad = broken("t", "见 [3.18](#317-科目表按年度核对可以自己补充)，[x](#没有)", own);
    assert_eq!(bad.len(), 2, "{bad:?}");
    assert!(bad[0].contains("不是 #317") && bad[1].contains("没有锚点 #没有"), "{bad:?}");
    assert!(broken("t", "见 [3.18](#318-todo草稿中待更新的字段)", own).is_empty());
}

#[test]
fn readme_and_docs_refer_to_sections_that_exist() {
    let mut bad = broken("README.md", &fs::read_to_string(root().join("README.md")).unwrap(), None);
    for name in docs().keys() {
        let text = fs::read_to_string(root().join("docs").join(name)).unwrap();
        bad.extend(broken(&format!("docs/{name}"), &text, Some(name)));
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // The draft's [todo] section is 3.18 (it was once wrongly called 3.17).
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    assert!(readme.contains("docs/data-format.md) 3.18 节"));
}

/// The comment lines of a file the binary wrote.
fn comments(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap();
    text.lines().filter(|l| l.trim_start().starts_with('#')).collect::<Vec<_>>().join("\n")
}

#[test]
fn files_the_binary_writes_refer_to_sections_that_exist() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = yusuan(dir.path(), args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        stderr(&out) + &String::from_utf8_lossy(&out.stdout)
    };
    let mut said =
        run(&["init", "--year", "2026", "--department", "示例县档案馆", "--code", "4010"]);
    said += &run(&[
        "init",
        "--year",
        "2026",
        "--department",
        "示例区文旅局",
        "--code",
        "307001",
        "--profile",
        "shanghai",
        "--region",
        "上海市示例区",
    ]);
    let _ = run(&["init", "--final-accounts", "--budget", "data/4010-2026.toml"]);
    said += &run(&["new", "--from", "data/4010-2026.toml", "--year", "2027"]);
    said += &run(&["new", "--from", "data/4010-2027.toml", "--year", "2028"]);
    // The final-accounts draft of a budget still all 0 has no [[funds]] yet:
    // only the budget files are checked.
    said += &run(&["check", "data/4010-2026.toml", "data/307001-2026.toml", "data/4010-2028.toml"]);
    let mut seen = 0;
    let mut bad = broken("终端输出", &said, None);
    for f in ["4010-2026", "307001-2026", "4010-2026-final", "4010-2027", "4010-2028"] {
        let text = comments(&dir.path().join(format!("data/{f}.toml")));
        seen += refs(&text).len();
        bad.extend(broken(&format!("data/{f}.toml"), &text, None));
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // The headers do point somewhere: the [todo] section among them.
    assert!(seen >= 5, "{seen}");
    let draft = comments(&dir.path().join("data/4010-2028.toml"));
    assert!(draft.contains("docs/data-format.md 3.18 节"), "{draft}");
}
