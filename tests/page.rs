//! Page quality as a 财政局 reviewer and an archive check it: A4, PDF/A,
//! tagged, metadata, embedded faces of every role, qpdf's structural check,
//! folios, the draft watermark.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build(dir: &Path, extra: &[&str]) -> PathBuf {
    fs::copy(root().join("data/101001-2021.toml"), dir.join("s.toml")).unwrap();
    let out: Output = Command::new(env!("CARGO_BIN_EXE_yusuan"))
        .args(["build", "s.toml", "--no-system-fonts"])
        .args(extra)
        .current_dir(dir)
        .env_remove("YUSUAN_FONT_PATHS")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    dir.join("output/s.pdf")
}

fn tool(name: &str, args: &[&str], pdf: &Path) -> String {
    // pdftotext writes to a file unless told "-".
    let stdout: &[&str] = if name == "pdftotext" { &["-"] } else { &[] };
    let out = Command::new(name)
        .args(args)
        .arg(pdf)
        .args(stdout)
        .output()
        .unwrap_or_else(|_| panic!("{name} is installed (poppler-utils, qpdf)"));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn pdfinfo_shows_a4_tagged_pdfa_and_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = build(dir.path(), &[]);
    let info = tool("pdfinfo", &[], &pdf);
    for needle in [
        "Title:           张家口市人大常委会办公室2021年部门预算信息公开情况说明",
        "Author:          张家口市人大常委会办公室",
        "Subject:         2021年部门预算信息公开情况说明",
        "Keywords:        部门预算",
        "Tagged:          yes",
        "(A4)",
        "CreationDate:    Fri Jan  1 00:00:00 2021 UTC",
    ] {
        assert!(info.contains(needle), "pdfinfo lacks {needle:?}:\n{info}");
    }
    let meta = tool("pdfinfo", &["-meta"], &pdf);
    assert!(meta.contains("<pdfaid:part>2</pdfaid:part>"), "no PDF/A-2 identification");
    assert!(meta.contains("<pdfaid:conformance>A</pdfaid:conformance>"), "PDF/A-2a");
    assert!(meta.contains("<pdfuaid:part>1</pdfuaid:part>"), "PDF/UA-1");
    assert!(meta.contains("<rdf:li>zh-CN</rdf:li>"), "no zh-CN language");
}

#[test]
fn the_creation_date_follows_source_date_epoch() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(root().join("data/101001-2021.toml"), dir.path().join("s.toml")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_yusuan"))
        .args(["build", "s.toml", "--no-system-fonts"])
        .current_dir(dir.path())
        .env("SOURCE_DATE_EPOCH", "1614297600") // 2021-02-26
        .output()
        .unwrap();
    assert!(out.status.success());
    let info = tool("pdfinfo", &[], &dir.path().join("output/s.pdf"));
    assert!(info.contains("CreationDate:    Fri Feb 26 00:00:00 2021 UTC"), "{info}");
}

#[test]
fn every_role_uses_an_embedded_face() {
    let dir = tempfile::tempdir().unwrap();
    let listing = tool("pdffonts", &[], &build(dir.path(), &[]));
    for face in ["FandolFang-Regular", "FandolHei-Regular", "FandolKai-Regular", "FandolSong-Bold"]
    {
        assert!(listing.contains(face), "{face} not used:\n{listing}");
    }
    assert!(listing.lines().skip(2).all(|l| l.split_whitespace().rev().nth(4) == Some("yes")));
}

#[test]
fn qpdf_finds_no_structural_error() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = build(dir.path(), &[]);
    let out = Command::new("qpdf").arg("--check").arg(&pdf).output().expect("qpdf is installed");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("No syntax or stream encoding errors found"), "{text}");
}

#[test]
fn folios_are_em_dash_numbers_alternating_sides() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = build(dir.path(), &[]);
    let page = |n: &str| tool("pdftotext", &["-layout", "-f", n, "-l", n], &pdf);
    let p2 = page("2");
    let last = p2.lines().rev().find(|l| !l.trim().is_empty()).unwrap();
    assert_eq!(last.trim(), "— 2 —");
    // Even pages at the left, odd pages at the right.
    assert!(
        last.starts_with(|c: char| !c.is_whitespace()) || last.len() - last.trim_start().len() < 10,
        "{last:?}"
    );
    let p3 = page("3");
    let last3 = p3.lines().rev().find(|l| !l.trim().is_empty()).unwrap();
    assert_eq!(last3.trim(), "— 3 —");
    assert!(last3.len() - last3.trim_start().len() > 30, "odd folio not at the right: {last3:?}");
}

/// Grey pixels of each page rendered at low resolution.
fn page_images(pdf: &Path, dir: &Path, prefix: &str) -> Vec<image::GrayImage> {
    let stem = dir.join(prefix);
    let ok = Command::new("pdftoppm")
        .args(["-r", "20", "-gray", "-png"])
        .arg(pdf)
        .arg(&stem)
        .status()
        .expect("pdftoppm is installed");
    assert!(ok.success());
    let mut pages: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect();
    pages.sort();
    pages.iter().map(|p| image::open(p).unwrap().to_luma8()).collect()
}

/// The watermark is a background artifact (screen readers skip it, and so
/// does pdftotext), so it is checked on the rendered pages.
#[test]
fn draft_puts_a_watermark_on_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let final_pdf = build(dir.path(), &[]);
    fs::rename(&final_pdf, dir.path().join("final.pdf")).unwrap();
    let draft_pdf = build(dir.path(), &["--draft"]);
    let a = page_images(&dir.path().join("final.pdf"), dir.path(), "f-");
    let b = page_images(&draft_pdf, dir.path(), "d-");
    assert_eq!(a.len(), b.len());
    for (n, (x, y)) in a.iter().zip(&b).enumerate() {
        let grey = x.pixels().zip(y.pixels()).filter(|(p, q)| p.0[0] > 250 && q.0[0] < 240).count();
        assert!(grey > 50, "page {} has no watermark ({grey} pixels)", n + 1);
    }
}
