//! Every profile a full citizen: for the sample of each bundled profile and
//! for a profile that is not bundled (tests/fixtures/profile-reordered, a
//! different part order, its own wording, one table fewer, written only in
//! profile files), one build gives the PDF, the web page, the Word file and
//! `--emit-data`'s outline, and each says what the PDF says; a one-figure
//! correction gives a notice naming exactly the places that changed.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::text::{Block, read_pdf, same_text, squeeze};
use common::{root, stderr, yusuan};
use serde_json::Value;

/// One document to build: a folder holding it (and what it needs), the
/// file's name, the `--profile` to give, and a one-figure correction.
struct Case {
    dir: tempfile::TempDir,
    file: String,
    profile: Option<&'static str>,
    edit: (&'static str, &'static str),
}

impl Case {
    fn path(&self) -> PathBuf {
        self.dir.path().join(&self.file)
    }

    fn stem(&self) -> String {
        self.file.trim_end_matches(".toml").to_string()
    }

    fn out(&self, ext: &str) -> PathBuf {
        self.dir.path().join("output").join(format!("{}.{ext}", self.stem()))
    }

    fn args<'a>(&'a self, head: &[&'a str]) -> Vec<&'a str> {
        let mut args = head.to_vec();
        args.push("--no-system-fonts");
        if let Some(p) = self.profile {
            args.extend(["--profile", p]);
        }
        args
    }
}

/// The figure each sample's correction changes: a 公务接待费 that every
/// sentence, table and total quoting it follows.
fn edit_for(file: &str) -> (&'static str, &'static str) {
    match file {
        "101001-2021.toml" => ("reception = 2.67", "reception = 2.97"),
        "215001-2021.toml" => ("reception = 1.6", "reception = 1.9"),
        "318001-2025.toml" => ("reception = 1.2", "reception = 1.5"),
        "101001-2021-final.toml" => ("reception = 2.31", "reception = 2.41"),
        other => panic!("no correction chosen for the new sample {other}"),
    }
}

fn data_files() -> Vec<PathBuf> {
    common::samples()
}

/// The sample of each bundled profile, each in a folder with the others
/// (a 决算 reads its budget beside it), and the fixture profile.
fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    for sample in data_files() {
        let dir = tempfile::tempdir().unwrap();
        for f in data_files() {
            fs::copy(&f, dir.path().join(f.file_name().unwrap())).unwrap();
        }
        let file = sample.file_name().unwrap().to_str().unwrap().to_string();
        let edit = edit_for(&file);
        out.push(Case { dir, file, profile: None, edit });
    }
    let dir = tempfile::tempdir().unwrap();
    fs::copy(root().join("data/101001-2021.toml"), dir.path().join("101001-2021.toml")).unwrap();
    common::copy_dir(
        &root().join("tests/fixtures/profile-reordered"),
        &dir.path().join("我局样式"),
    );
    let edit = edit_for("101001-2021.toml");
    out.push(Case { dir, file: "101001-2021.toml".into(), profile: Some("我局样式"), edit });
    out
}

fn build(case: &Case) {
    let args = case.args(&["build", &case.file, "--html", "--docx", "--emit-data"]);
    let out = yusuan(case.dir.path(), &args);
    assert!(out.status.success(), "{}: {}", case.file, stderr(&out));
    for ext in ["pdf", "html", "docx", "json", "outline.json"] {
        assert!(case.out(ext).is_file(), "{}: no .{ext} written", case.file);
    }
}

// ---------------------------------------------------------------------------
// The Word file's text, read back from its XML.

/// One part of the archive, as text.
fn docx_part(docx: &Path, name: &str) -> String {
    let file = fs::File::open(docx).unwrap();
    let mut zip = zip::ZipArchive::new(file).expect("the .docx is a zip archive");
    let mut part = zip.by_name(name).unwrap_or_else(|_| panic!("the .docx has {name}"));
    let mut text = String::new();
    std::io::Read::read_to_string(&mut part, &mut text).unwrap();
    text
}

/// The text of each `<w:t>` in `xml`, joined, entities decoded.
fn runs_text(xml: &str) -> String {
    let mut out = String::new();
    for piece in xml.split("<w:t").skip(1) {
        // `<w:t>` or `<w:t xml:space=…>`, not `<w:tbl>`, `<w:tc>`…
        if !piece.starts_with(['>', ' ']) {
            continue;
        }
        let Some(start) = piece.find('>') else { continue };
        if piece[..start].ends_with('/') {
            continue;
        }
        let end = piece.find("</w:t>").unwrap_or(piece.len());
        out.push_str(&piece[start + 1..end]);
    }
    out
}

/// The document's paragraphs as running text and its tables as pieces
/// (one per paragraph of a cell), the order of document.xml.
fn docx_blocks(docx: &Path) -> Vec<Block> {
    let xml = docx_part(docx, "word/document.xml");
    let body = &xml[xml.find("<w:body>").unwrap()..];
    let mut blocks = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let table = rest.find("<w:tbl>").unwrap_or(rest.len());
        for p in rest[..table].split("</w:p>") {
            blocks.extend(squeeze(&runs_text(p)).map(Block::Flow));
        }
        if table == rest.len() {
            break;
        }
        let end = rest[table..].find("</w:tbl>").map_or(rest.len(), |e| table + e + 8);
        let cells: Vec<String> =
            rest[table..end].split("</w:p>").filter_map(|p| squeeze(&runs_text(p))).collect();
        blocks.push(Block::Table(cells));
        rest = &rest[end..];
    }
    blocks
}

/// The web page's running text and tables, as the html test reads them.
fn html_blocks(html: &str) -> Vec<Block> {
    let start = html.find("<main>").unwrap();
    let end = html.find("</main>").unwrap();
    let mut blocks = Vec::new();
    let mut in_table = false;
    for (k, piece) in html[start..end].split('<').enumerate() {
        let (tag, text) = piece.split_once('>').unwrap_or((piece, ""));
        if k > 0 && tag.starts_with("table") {
            in_table = true;
            blocks.push(Block::Table(Vec::new()));
        } else if tag.starts_with("/table") {
            in_table = false;
        }
        if let Some(t) = squeeze(text) {
            match blocks.last_mut() {
                Some(Block::Table(pieces)) if in_table => pieces.push(t),
                _ => blocks.push(Block::Flow(t)),
            }
        }
    }
    blocks
}

fn outline(case: &Case) -> Value {
    serde_json::from_str(&fs::read_to_string(case.out("outline.json")).unwrap()).unwrap()
}

fn outline_tables(o: &Value) -> Vec<&Value> {
    o["blocks"].as_array().unwrap().iter().filter(|b| b["k"] == "table").collect()
}

#[test]
fn every_profile_gets_a_web_page_a_word_file_and_an_outline_that_say_what_the_pdf_says() {
    for case in cases() {
        build(&case);
        let name = format!("{} ({:?})", case.file, case.profile);
        let pdf = read_pdf(&case.out("pdf"));
        let html = fs::read_to_string(case.out("html")).unwrap();
        if let Err(e) = same_text(&html_blocks(&html), &pdf) {
            panic!("{name}: web page: {e}");
        }
        if let Err(e) = same_text(&docx_blocks(&case.out("docx")), &pdf) {
            panic!("{name}: Word file: {e}");
        }
        // Tables as Word tables, their header rows repeating on each page.
        let o = outline(&case);
        let tables = outline_tables(&o);
        let xml = docx_part(&case.out("docx"), "word/document.xml");
        assert_eq!(xml.matches("<w:tbl>").count(), tables.len(), "{name}: a Word table each");
        let with_header = tables.iter().filter(|t| {
            t["table"]["head"].as_array().is_some_and(|h| !h.is_empty())
                && t["table"]["pre"].is_null()
        });
        assert!(
            xml.matches("<w:tblHeader/>").count() >= with_header.count(),
            "{name}: header rows repeat"
        );
        assert!(xml.contains("<w:pStyle w:val=\"Heading1\"/>"), "{name}: headings are Word's");
        let styles = docx_part(&case.out("docx"), "word/styles.xml");
        assert!(styles.contains("仿宋_GB2312") && styles.contains("黑体"), "{name}: fonts named");
        // The outline has the document's parts: headings, paragraphs, tables.
        for kind in ["title", "heading", "para", "table"] {
            let n = o["blocks"].as_array().unwrap().iter().filter(|b| b["k"] == kind).count();
            assert!(n > 0, "{name}: the outline has no {kind}");
        }
        let core = docx_part(&case.out("docx"), "docProps/core.xml");
        assert!(core.contains(o["meta"]["title"].as_str().unwrap()), "{name}: the title");
    }
}

/// A correction of one figure, through `diff --format csv` and `markdown`:
/// both list the same places, every one changed, and every glyph run that
/// differs between the two documents lies in a listed place.
#[test]
fn a_one_figure_correction_names_exactly_the_changed_places_in_every_profile() {
    for case in cases() {
        let name = format!("{} ({:?})", case.file, case.profile);
        let text = fs::read_to_string(case.path()).unwrap();
        assert!(text.contains(case.edit.0), "{name}: the figure to correct");
        let corrected = text.replacen(case.edit.0, case.edit.1, 1);
        let new = case.dir.path().join(format!("{}-更正.toml", case.stem()));
        fs::write(&new, &corrected).unwrap();
        let new_name = new.file_name().unwrap().to_str().unwrap();
        let run = |format: &str| {
            let args = case.args(&["diff", &case.file, new_name, "--format", format]);
            let out = yusuan(case.dir.path(), &args);
            assert!(out.status.success(), "{name}: diff --format {format}: {}", stderr(&out));
            String::from_utf8(out.stdout).unwrap()
        };
        let csv = run("csv");
        let markdown = run("markdown");
        let rows: Vec<&str> = csv.lines().skip(1).collect();
        assert!(rows.len() >= 2, "{name}: the sentence and the table cell at least: {csv}");
        let md_rows =
            markdown.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| 序号")).count();
        assert_eq!(md_rows, rows.len(), "{name}: markdown and csv list the same rows");
        let new_figure = case.edit.1.rsplit(' ').next().unwrap();
        assert!(csv.contains(new_figure), "{name}: the corrected figure is listed: {csv}");
        in_process(&case, &text, &corrected, rows.len(), &name);
    }
}

/// The same correction through the library: the listed places are the
/// places whose glyphs moved, nothing else.
fn in_process(case: &Case, old: &str, new: &str, rows: usize, name: &str) {
    let env = yusuan::pipeline::Environment {
        profile: case.profile.map(|p| case.dir.path().join(p).display().to_string()),
        fonts: yusuan::typeset::fonts::FontOptions {
            font_paths: Vec::new(),
            no_system_fonts: true,
        },
        ..Default::default()
    };
    let profiles = yusuan::pipeline::Profiles::new(&env);
    let fonts = std::sync::Arc::new(yusuan::typeset::fonts::FontSet::load(&env.fonts));
    let lay_out = |text: &str| {
        let loaded = yusuan::pipeline::inspect_bytes(&case.path(), text.as_bytes());
        let (_, problems, budget) = yusuan::pipeline::usable(loaded);
        let budget = budget.unwrap_or_else(|| panic!("{name}: {problems:?}"));
        let bundle = profiles.for_file(&case.path(), &budget).unwrap();
        let mut engine =
            yusuan::typeset::compile::Engine::new(fonts.clone(), bundle.templates.clone());
        yusuan::diff::document::lay_out_budget(&mut engine, &budget, bundle.profile.clone())
            .unwrap()
    };
    let (a, b) = (lay_out(old), lay_out(new));
    let new_places = b.places();
    let changes = yusuan::diff::document::compare(&a.places(), &new_places);
    assert_eq!(changes.len(), rows, "{name}: the command lists what the library finds");
    common::places::only_listed_places_moved(&a, &b, &new_places, &changes, name);
}

// ---------------------------------------------------------------------------
// The profile drives the document.

fn positions(text: &str, phrases: &[&str]) -> Vec<usize> {
    phrases
        .iter()
        .map(|p| text.find(p).unwrap_or_else(|| panic!("“{p}” is not in the text")))
        .collect()
}

#[test]
fn the_fixture_profiles_order_titles_wording_and_tables_reach_every_output() {
    let case = cases().pop().unwrap();
    build(&case);
    let pdf = common::pdf_text(&case.out("pdf"), common::Order::Raw);
    let html = fs::read_to_string(case.out("html")).unwrap();
    let chapters = [
        "一、收支预算的总体情况",
        "二、职责与机构",
        "三、“三公”经费预算",
        "四、国有资产",
        "五、其他事项",
    ];
    // The 目录 lists the chapters too: read the body, after the first paragraph.
    let body = &pdf[pdf.find("本说明依据").expect("the profile's own opening sentence")..];
    let at = positions(body, &chapters);
    assert!(at.windows(2).all(|w| w[0] < w[1]), "the profile's order: {at:?}");
    let at = positions(&html, &chapters);
    assert!(at.windows(2).all(|w| w[0] < w[1]), "the page's order: {at:?}");
    for gone in
        ["机关运行经费安排情况", "预算绩效信息", "政府采购预算情况", "国有资本经营预算支出表"]
    {
        assert!(!pdf.contains(gone) && !html.contains(gone), "{gone} is not printed");
    }
    assert!(html.contains("年度部门预算公开说明"), "the profile's subject is the title");
    // Body tables are numbered in the profile's order: units 表1, assets 表2.
    assert!(pdf.contains("表2市人大常委会办公室固定资产占用情况表"), "assets table renumbered");
    assert!(pdf.contains("附表8"), "eight attached tables");
    assert!(!pdf.contains("附表9"), "the ninth is removed");
}

#[test]
fn removing_or_retitling_a_part_in_an_exported_profile_changes_pdf_toc_and_page() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(root().join("data/101001-2021.toml"), dir.path().join("a.toml")).unwrap();
    let out = yusuan(dir.path(), &["profile", "export", "hebei", "我局"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let file = dir.path().join("我局/profile.toml");
    let text = fs::read_to_string(&file).unwrap();
    let edited = text
        .replacen("[[parts]]\nid = \"procurement\"\ntitle = \"政府采购预算情况\"\n\n", "", 1)
        .replacen("title = \"国有资产信息\"", "title = \"国有资产占用\"", 1);
    assert_ne!(edited, text);
    fs::write(&file, &edited).unwrap();
    // The function of the removed part is now one no part names: refused.
    let check = yusuan(dir.path(), &["profile", "check", "我局"]);
    assert!(!check.status.success());
    assert!(stderr(&check).contains("函数“procurement”没有哪一部分用到"), "{}", stderr(&check));
    assert!(
        stderr(&check).contains("parts.typ:"),
        "named at its file and line: {}",
        stderr(&check)
    );
    let parts = dir.path().join("我局/parts.typ");
    let typ = fs::read_to_string(&parts).unwrap().replacen("  procurement: procurement,\n", "", 1);
    fs::write(&parts, typ).unwrap();
    let args = ["build", "a.toml", "--profile", "我局", "--html", "--no-system-fonts"];
    let out = yusuan(dir.path(), &args);
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = common::pdf_text(&dir.path().join("output/a.pdf"), common::Order::Raw);
    let html = fs::read_to_string(dir.path().join("output/a.html")).unwrap();
    for text in [&pdf, &html] {
        assert!(!text.contains("政府采购预算情况"), "the removed part is gone");
        assert!(text.contains("六、国有资产占用"), "the retitled part, renumbered");
    }
    // The 目录 lists the new title too (before the body's opening sentence).
    let toc = &pdf[..pdf.find("按照").unwrap()];
    assert!(toc.contains("六、国有资产占用"), "the 目录 follows: {toc}");
}

#[test]
fn profile_check_names_a_part_without_a_function_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&root().join("tests/fixtures/profile-reordered"), &dir.path().join("p"));
    let ok = yusuan(dir.path(), &["profile", "check", "p"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let file = dir.path().join("p/profile.toml");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(&file, text.replacen("id = \"other\"", "id = \"others\"", 1)).unwrap();
    let bad = yusuan(dir.path(), &["profile", "check", "p"]);
    let said = stderr(&bad);
    assert!(!bad.status.success());
    assert!(said.contains("部分“others”在模板中没有对应的函数"), "{said}");
    let line = text[..text.find("id = \"other\"").unwrap()].lines().count() + 1;
    assert!(said.contains(&format!("profile.toml:{line}:")), "at line {line}: {said}");
    assert!(said.contains("函数“other”没有哪一部分用到"), "{said}");
    // A build with that profile stops before any document, with the same words.
    fs::copy(root().join("data/101001-2021.toml"), dir.path().join("a.toml")).unwrap();
    let out = yusuan(dir.path(), &["build", "a.toml", "--profile", "p", "--no-system-fonts"]);
    assert!(!out.status.success() && stderr(&out).contains("没有对应的函数"), "{}", stderr(&out));
}

#[test]
fn a_budget_against_a_final_or_another_department_is_refused_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    for f in data_files() {
        fs::copy(&f, dir.path().join(f.file_name().unwrap())).unwrap();
    }
    let diff = |a: &str, b: &str, force: bool| {
        let mut args = vec!["diff", a, b, "--format", "csv", "--no-system-fonts"];
        if force {
            args.push("--force");
        }
        yusuan(dir.path(), &args)
    };
    let out = diff("101001-2021.toml", "101001-2021-final.toml", false);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("是部门预算") && stderr(&out).contains("是部门决算"),
        "{}",
        stderr(&out)
    );
    let out = diff("101001-2021.toml", "215001-2021.toml", false);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("不是同一个部门"), "{}", stderr(&out));
    let out = diff("101001-2021.toml", "215001-2021.toml", true);
    assert!(out.status.success(), "--force compares: {}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).lines().count() > 10);
}

// ---------------------------------------------------------------------------
// One source of each sentence.

/// Non-comment code of a Rust file, its unit tests left out: string
/// literals kept.
fn code(path: &str) -> String {
    let text = fs::read_to_string(root().join(path)).unwrap();
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(|l| l.split(" // ").next().unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

#[test]
fn the_web_page_and_the_word_file_write_no_sentence() {
    let html = code("src/export/html.rs");
    let han: String = html.chars().filter(|c| is_han(*c)).collect();
    assert!(han.is_empty(), "src/export/html.rs writes document text: {han}");
    // The Word file names its styles and fonts for the reader of Word, and
    // says in Chinese when it cannot be written; no sentence of the document.
    let docx = code("src/export/docx.rs");
    let lines: Vec<&str> = docx.lines().collect();
    for (i, line) in lines.iter().enumerate().filter(|(_, l)| l.chars().any(is_han)) {
        // The line itself, or the call it continues (rustfmt breaks long calls).
        let context = lines[i.saturating_sub(2)..=i].concat();
        let allowed = ["style(", "w:name", "宋体", "无法写出"].iter().any(|w| context.contains(w));
        assert!(allowed, "src/export/docx.rs: {line}");
    }
}

#[test]
fn the_document_subject_is_written_once_in_rust_and_once_in_each_profile() {
    let mut in_rust = Vec::new();
    let mut stack = vec![root().join("src")];
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p.strip_prefix(root()).unwrap().display().to_string();
                let n = code(&rel).matches("年部门预算信息公开情况说明").count();
                in_rust.extend(std::iter::repeat_n(rel, n));
            }
        }
    }
    assert_eq!(in_rust, ["src/model/profile.rs"], "the subject in Rust: {in_rust:?}");
    for profile in ["hebei", "hebei-final", "shanghai"] {
        let toml =
            fs::read_to_string(root().join(format!("templates/{profile}/profile.toml"))).unwrap();
        let subjects = toml.lines().filter(|l| l.starts_with("subject = ")).count();
        assert_eq!(subjects, 1, "{profile}: its subject, once");
        let mut typ = String::new();
        for e in fs::read_dir(root().join(format!("templates/{profile}"))).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "typ") {
                typ += &fs::read_to_string(p).unwrap();
            }
        }
        assert!(
            !typ.contains("年部门预算信息公开情况说明"),
            "{profile}: the templates take it from the view"
        );
    }
}
