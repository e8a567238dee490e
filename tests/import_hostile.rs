//! The hostile workbook corpus (tests/hostile_import/, made at test time):
//! zip bombs of both kinds, a dimension of a billion cells, a million
//! rows, hidden sheets, duplicate entries, huge numbers, formulas without
//! their value, encrypted files, .xls, CSV renamed, empty files, wrong
//! units… Each is given to the built binary; each must be refused (exit 1,
//! said in Chinese, nothing written) or imported, as README's
//! “出错时的保证” promises, within its time and under 300 MB. Time and peak
//! memory are the child's own (`/usr/bin/time`, else the kernel's VmHWM
//! polled): a guard on a shared machine, not a benchmark.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use rust_decimal::Decimal;

mod import_support;
use import_support::{folder, lines, stderr};

#[path = "hostile_import/corpus.rs"]
mod corpus;
use corpus::*;

const DRAFT: &str = "data/215001-2022.toml";
/// Peak memory allowed to any import of the corpus.
const MB: u64 = 300;

/// The sample's line items as the corpus writes them.
fn sample() -> Vec<Line> {
    lines("215001")
        .into_iter()
        .map(|l| (l.unit, l.project, l.function, l.economic, l.fund, l.yuan))
        .collect()
}

/// Runs `yusuan import` on one case; gives its exit code, stderr, wall
/// seconds and peak memory in MB.
fn run(dir: &Path, file: &str, args: &[&str]) -> (Option<i32>, String, f64, u64) {
    let mut all = vec!["import", file, "--into", DRAFT, "--force"];
    all.extend(args);
    let bin = env!("CARGO_BIN_EXE_yusuan");
    let timer = Path::new("/usr/bin/time");
    let start = Instant::now();
    if timer.exists() {
        let report = dir.join("time.txt");
        let o = Command::new(timer)
            .args(["-f", "%M", "-o"])
            .arg(&report)
            .arg(bin)
            .args(&all)
            .current_dir(dir)
            .output()
            .unwrap();
        let kb: u64 =
            fs::read_to_string(&report).unwrap().lines().last().unwrap().trim().parse().unwrap();
        return (o.status.code(), stderr(&o), start.elapsed().as_secs_f64(), kb / 1024);
    }
    polled(dir, bin, &all, start)
}

/// Without /usr/bin/time: the child's VmHWM read while it runs.
fn polled(dir: &Path, bin: &str, args: &[&str], start: Instant) -> (Option<i32>, String, f64, u64) {
    let err = dir.join("stderr.txt");
    let mut child = Command::new(bin)
        .args(args)
        .current_dir(dir)
        .stderr(fs::File::create(&err).unwrap())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let status = format!("/proc/{}/status", child.id());
    let mut kb = 0;
    let code = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s.code();
        }
        let hwm = fs::read_to_string(&status).unwrap_or_default();
        let now = hwm
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
        kb = kb.max(now.unwrap_or(0));
        std::thread::sleep(Duration::from_millis(5));
    };
    (code, fs::read_to_string(err).unwrap(), start.elapsed().as_secs_f64(), kb / 1024)
}

/// Runs every case against a fresh copy of the 2022 draft.
fn check(cases: Vec<Case>) {
    let dir = folder("215001");
    let d = dir.path();
    let draft = fs::read_to_string(d.join(DRAFT)).unwrap();
    let mut failures = Vec::new();
    for c in cases {
        fs::write(d.join(DRAFT), &draft).unwrap();
        let _ = fs::remove_file(d.join("data/215001-2022.imported.toml"));
        let file = format!("{}.xlsx", c.name);
        fs::write(d.join(&file), &c.bytes).unwrap();
        let before = listing(&d.join("data"));
        let (code, err, secs, mb) = run(d, &file, &c.args);
        fs::remove_file(d.join(&file)).unwrap();
        let after = fs::read_to_string(d.join(DRAFT)).unwrap();
        let mut why = Vec::new();
        // Nothing beside the draft either: no .imported.toml, no temporary file.
        if listing(&d.join("data")) != before {
            why.push(format!("files beside the draft changed: {:?}", listing(&d.join("data"))));
        }
        if err.contains("panicked") || err.contains("memory allocation") {
            why.push("crashed".to_string());
        }
        let needles = match c.expect {
            Expect::Refused(n) => {
                if code != Some(1) || after != draft || !err.contains("什么也没有写") {
                    why.push(format!(
                        "not refused cleanly (exit {code:?}, draft changed: {})",
                        after != draft
                    ));
                }
                // Every refusal names the workbook.
                if !err.contains(&format!("--> {file}")) {
                    why.push("the workbook is not named".into());
                }
                n
            }
            Expect::Imported(n) => {
                if code != Some(0) || after == draft {
                    why.push(format!("not imported (exit {code:?})"));
                }
                n
            }
        };
        why.extend(
            needles.iter().filter(|n| !err.contains(**n)).map(|n| format!("“{n}” not said")),
        );
        if !err.chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)) {
            why.push("not said in Chinese".into());
        }
        if secs > c.seconds {
            why.push(format!("took {secs:.1} s (allowed {})", c.seconds));
        }
        if mb > MB {
            why.push(format!("peaked at {mb} MB"));
        }
        let first = err.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        eprintln!("{:<28} exit {:?}  {secs:>6.2} s  {mb:>4} MB  {first}", c.name, code);
        if !why.is_empty() {
            failures.push(format!("{}: {}\n{err}", c.name, why.join("; ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The names in a folder, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn case(name: &'static str, bytes: Vec<u8>, expect: Expect) -> Case {
    Case { name, bytes, args: Vec::new(), expect, seconds: 60.0 }
}

/// The sample's export as a workbook's entries, one sheet changed by `f`.
fn export_with(f: impl Fn(&mut Sheet)) -> Vec<Entry> {
    let mut sh = export(&sample());
    f(&mut sh);
    entries(&[sh])
}

fn exported(f: impl Fn(&mut Sheet)) -> Vec<u8> {
    zip(&export_with(f), None, None)
}

/// The index of the sheet's entry among `entries`.
fn sheet_entry(e: &[Entry]) -> usize {
    e.iter().position(|x| x.name == "xl/worksheets/sheet1.xml").unwrap()
}

/// A sheet entry that inflates to `bytes` of XML tags with space between
/// them, declaring `declared` bytes.
fn bomb_entry(name: &str, bytes: u64, declared: Option<u64>) -> Entry {
    let head = b"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>";
    let unit = format!("<x>{}</x>", " ".repeat(1017));
    let (data, size, crc) = bomb(head, unit.as_bytes(), bytes, b"</sheetData></worksheet>");
    Entry { name: name.into(), data, method: 8, flags: 0, crc, size: declared.unwrap_or(size) }
}

#[test]
fn zip_bombs_and_lying_containers() {
    let mut cases = Vec::new();
    let gb = 2_200_000_000u64;
    let mut e = export_with(|_| {});
    let k = sheet_entry(&e);
    e[k] = bomb_entry("xl/worksheets/sheet1.xml", gb, None);
    cases.push(case(
        "bomb-2.2GB-declared",
        zip(&e, None, None),
        Expect::Refused(&["解压后有 2098 MiB", "超过上限 256 MiB"]),
    ));
    e[k] = bomb_entry("xl/worksheets/sheet1.xml", gb, Some(4096));
    cases.push(case(
        "bomb-2.2GB-lying",
        zip(&e, None, None),
        Expect::Refused(&["工作表“预算明细”"]),
    ));
    let mut three = entries(&[export(&sample()), export(&sample()), export(&sample())]);
    for k in 1..=3 {
        let at =
            three.iter().position(|x| x.name == format!("xl/worksheets/sheet{k}.xml")).unwrap();
        three[at] = bomb_entry(&three[at].name.clone(), 200 << 20, None);
    }
    cases.push(case(
        "bomb-three-sheets-total",
        zip(&three, None, None),
        Expect::Refused(&["合计超过上限 512 MiB"]),
    ));
    for e in three.iter_mut().filter(|x| x.name.starts_with("xl/worksheets/")) {
        e.size = 2048;
    }
    cases.push(case(
        "bomb-three-sheets-lying",
        zip(&three, None, None),
        Expect::Refused(&["工作表"]),
    ));
    let mut sst = export_with(|_| {});
    let at = sst.iter().position(|x| x.name == "xl/sharedStrings.xml").unwrap();
    sst[at] = bomb_entry("xl/sharedStrings.xml", 1 << 30, None);
    cases.push(case(
        "bomb-shared-strings",
        zip(&sst, None, None),
        Expect::Refused(&["共享文字表解压后有"]),
    ));

    let e = export_with(|_| {});
    let k = sheet_entry(&e);
    let mut two = e.clone();
    two.push(Entry { name: "xl/worksheets/sheet9.xml".into(), ..e[k].clone() });
    let last = two.len() - 1;
    cases.push(case(
        "overlapping-entries",
        zip(&two, Some((last, k)), None),
        Expect::Refused(&["共用同一段压缩数据"]),
    ));
    let mut dup = e.clone();
    dup.push(e[k].clone());
    cases.push(case("duplicate-entry", zip(&dup, None, None), Expect::Refused(&["出现两次"])));
    let mut case_dup = e.clone();
    case_dup.push(Entry { name: "xl/worksheets/SHEET1.xml".into(), ..e[k].clone() });
    cases.push(case(
        "duplicate-entry-other-case",
        zip(&case_dup, None, None),
        Expect::Refused(&["出现两次"]),
    ));
    let mut many = e.clone();
    many.extend((0..20_000).map(|i| Entry::deflated(&format!("x/{i}.txt"), b"")));
    cases.push(case(
        "entries-20000",
        zip(&many, None, None),
        Expect::Refused(&["个条目，超过上限 10,000"]),
    ));
    cases.push(case(
        "entries-count-lies",
        zip(&e, None, Some(65_535)),
        Expect::Refused(&["65,535 个条目"]),
    ));
    let mut enc = e.clone();
    enc[k].flags = 1;
    cases.push(case("encrypted-entry", zip(&enc, None, None), Expect::Refused(&["已加密"])));
    let mut bz = e.clone();
    bz[k].method = 12;
    cases.push(case("bzip2-entry", zip(&bz, None, None), Expect::Refused(&["压缩方式"])));
    let whole = zip(&e, None, None);
    cases.push(case("truncated", whole[..whole.len() / 2].to_vec(), Expect::Refused(&["已损坏"])));
    let mut crc = e.clone();
    crc[k].crc ^= 0xFFFF;
    cases.push(case("wrong-checksum", zip(&crc, None, None), Expect::Refused(&["已损坏"])));
    check(cases);
}

#[test]
fn what_is_not_an_xlsx_workbook() {
    let mut cases = Vec::new();
    let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    let docx = [
        Entry::deflated("_rels/.rels", rels.as_bytes()),
        Entry::deflated("word/document.xml", b"<w:document/>"),
    ];
    cases.push(case("docx-renamed", zip(&docx, None, None), Expect::Refused(&["Word 文档"])));
    let ods = [
        Entry::deflated("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
        Entry::deflated("content.xml", b"<office:document-content/>"),
    ];
    cases.push(case("ods-renamed", zip(&ods, None, None), Expect::Refused(&["OpenDocument"])));
    let xlsb_rels = rels.replace("word/document.xml", "xl/workbook.bin");
    let xlsb = [
        Entry::deflated("_rels/.rels", xlsb_rels.as_bytes()),
        Entry::deflated("xl/workbook.bin", &[1, 2, 3]),
    ];
    cases.push(case("xlsb-renamed", zip(&xlsb, None, None), Expect::Refused(&[".xlsb"])));
    cases.push(case(
        "zip-of-text",
        zip(&[Entry::deflated("说明.txt", b"hello")], None, None),
        Expect::Refused(&["不是 Excel 工作簿"]),
    ));
    cases.push(case("empty-file", Vec::new(), Expect::Refused(&["文件是空的"])));
    cases.push(case(
        "csv-renamed",
        "预算单位,金额\n本级,100\n".as_bytes().to_vec(),
        Expect::Refused(&["CSV"]),
    ));
    cases.push(case(
        "html-renamed",
        b"<html><body><table><tr><td>1</td></tr></table></body></html>".to_vec(),
        Expect::Refused(&["文本文件"]),
    ));
    let mut xls = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    xls.extend([0u8; 4096]);
    cases.push(case("xls", xls.clone(), Expect::Refused(&["旧版 Excel（.xls）"])));
    xls.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    cases.push(case("password-protected", xls, Expect::Refused(&["打开密码"])));
    let noise: Vec<u8> =
        (1..10_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    cases.push(case("binary-noise", noise, Expect::Refused(&["不是 Excel 工作簿"])));
    let mut e = export_with(|_| {});
    e.retain(|x| x.name != "xl/worksheets/sheet1.xml");
    cases.push(case("sheet-part-missing", zip(&e, None, None), Expect::Refused(&["缺少部件"])));
    cases.push(case(
        "no-sheets",
        zip(&entries(&[]), None, None),
        Expect::Refused(&["认不出工作簿的格式"]),
    ));
    check(cases);
}

#[test]
fn sheets_that_lie_about_their_size_or_shape() {
    let mut cases = Vec::new();
    let huge = r#"<dimension ref="A1:XFD1048576"/>"#.to_string();
    cases.push(case(
        "dimension-a-billion-cells",
        exported(|s| s.before = huge.clone()),
        Expect::Imported(&["83 条预算明细"]),
    ));
    let far = |s: &mut Sheet| s.after = String::new();
    let mut e = export_with(far);
    let k = sheet_entry(&e);
    let mut xml = String::from_utf8(flate_back(&e[k])).unwrap();
    xml = xml.replace(
        "</sheetData>",
        r#"<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>"#,
    );
    e[k] = Entry::deflated(&e[k].name.clone(), xml.as_bytes());
    cases.push(case(
        "cell-at-XFD1048576",
        zip(&e, None, None),
        Expect::Imported(&["83 条预算明细"]),
    ));
    let big_text: &'static str = format!(
        "<row r=\"900\"><c r=\"B900\" t=\"inlineStr\"><is><t>{}</t></is></c></row>",
        "字".repeat(700_000)
    )
    .leak();
    let rows = |extra: &'static str| {
        let mut e = export_with(|_| {});
        let k = sheet_entry(&e);
        let xml = String::from_utf8(flate_back(&e[k]))
            .unwrap()
            .replace("</sheetData>", &format!("{extra}</sheetData>"));
        e[k] = Entry::deflated(&e[k].name.clone(), xml.as_bytes());
        zip(&e, None, None)
    };
    cases.push(case(
        "row-beyond-excel",
        rows(r#"<row r="1048577"/>"#),
        Expect::Refused(&["超出 Excel 的范围"]),
    ));
    cases.push(case("rows-backwards", rows(r#"<row r="2"/>"#), Expect::Refused(&["行的顺序错乱"])));
    cases.push(case(
        "cell-twice",
        rows(r#"<row r="900"><c r="A900"><v>1</v></c><c r="A900"><v>2</v></c></row>"#),
        Expect::Refused(&["A900 出现两次"]),
    ));
    cases.push(case(
        "shared-string-out-of-range",
        rows(r#"<row r="900"><c r="B900" t="s"><v>99999</v></c></row>"#),
        Expect::Refused(&["B900 指向第 100000 条共享文字"]),
    ));
    cases.push(case("text-node-of-2MiB", rows(big_text), Expect::Refused(&["超过 1 MiB"])));
    cases.push(case(
        "malformed-xml",
        rows("<row r=\"900\"><c r=\"A900\"><v>1</v></row>"),
        Expect::Refused(&["格式有误"]),
    ));
    let mut bad = export_with(|_| {});
    let k = sheet_entry(&bad);
    let mut x = flate_back(&bad[k]);
    let at = x.windows(11).position(|w| w == b"</sheetData").unwrap();
    x.splice(
        at..at,
        b"<row r=\"900\"><c r=\"A900\" t=\"inlineStr\"><is><t>\xff\xfe</t></is></c></row>"
            .iter()
            .copied(),
    );
    bad[k] = Entry::deflated(&bad[k].name.clone(), &x);
    cases.push(case("not-utf8", zip(&bad, None, None), Expect::Refused(&["工作表“预算明细”"])));
    // Ten million cells, a row of 16,384 repeated: refused at the cell limit.
    let row = format!("<row>{}</row>", "<c><v>1</v></c>".repeat(16_384));
    let head = b"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>";
    let (data, size, crc) =
        bomb(head, row.as_bytes(), 611 * row.len() as u64, b"</sheetData></worksheet>");
    let mut cells = export_with(|_| {});
    let k = sheet_entry(&cells);
    cells[k] = Entry { name: cells[k].name.clone(), data, method: 8, flags: 0, crc, size };
    let mut c = case(
        "ten-million-cells",
        zip(&cells, None, None),
        Expect::Refused(&["单元格超过上限 10,000,000 个"]),
    );
    c.seconds = 120.0;
    cases.push(c);
    let merges: String = (1..=100_001).map(|r| format!("<mergeCell ref=\"H{r}:I{r}\"/>")).collect();
    let m = format!("<mergeCells count=\"100001\">{merges}</mergeCells>");
    cases.push(case(
        "merges-100001",
        exported(|s| s.after = m.clone()),
        Expect::Refused(&["合并区域超过上限 100,000 个"]),
    ));
    let text = "x".repeat(1_000_000);
    let mut long = export(&sample());
    for r in 0..70 {
        long.rows
            .push(vec![Cell::Raw("t=\"inlineStr\"".into(), format!("<is><t>{text}</t></is>"))]);
        let _ = r;
    }
    cases.push(case(
        "text-over-64MiB",
        workbook(&[long]),
        Expect::Refused(&["文字超过上限 64 MiB"]),
    ));
    let lol = r#"<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;"><!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">]>"#;
    let project = sample().iter().position(|l| l.1 != "人员经费" && l.1 != "公用经费").unwrap();
    let mut laughs = export_with(|s| {
        s.rows[FIRST + project][1] =
            Cell::Raw("t=\"inlineStr\"".into(), "<is><t>&i;</t></is>".into())
    });
    let k = sheet_entry(&laughs);
    let xml = String::from_utf8(flate_back(&laughs[k])).unwrap().replacen(
        "<worksheet",
        &format!("{lol}<worksheet"),
        1,
    );
    laughs[k] = Entry::deflated(&laughs[k].name.clone(), xml.as_bytes());
    cases.push(case(
        "billion-laughs",
        zip(&laughs, None, None),
        Expect::Refused(&["基本支出须有部门预算经济分类编码"]),
    ));
    let dtd = r#"<!DOCTYPE worksheet SYSTEM "http://example.invalid/x.dtd">"#;
    let mut ext = export_with(|_| {});
    let k = sheet_entry(&ext);
    let xml = String::from_utf8(flate_back(&ext[k])).unwrap().replacen(
        "<worksheet",
        &format!("{dtd}<worksheet"),
        1,
    );
    ext[k] = Entry::deflated(&ext[k].name.clone(), xml.as_bytes());
    cases.push(case(
        "external-dtd-ignored",
        zip(&ext, None, None),
        Expect::Imported(&["83 条预算明细"]),
    ));
    check(cases);
}

/// A deflated entry's plain bytes.
fn flate_back(e: &Entry) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(&e.data[..]).read_to_end(&mut out).unwrap();
    out
}

#[test]
fn cells_that_are_not_amounts() {
    let mut cases = Vec::new();
    let at = |c: Cell| exported(move |s| s.rows[FIRST][AMOUNT] = c.clone());
    cases.push(case(
        "formula-without-value",
        at(Cell::F("SUM(F5:F9)".into())),
        Expect::Refused(&["没有保存计算结果", "预算明细!F4"]),
    ));
    cases.push(case(
        "error-value",
        at(Cell::E("#DIV/0!".into())),
        Expect::Refused(&["错误值 #DIV/0!", "预算明细!F4"]),
    ));
    cases.push(case(
        "text-number-beyond-2^53",
        at(s("9007199254740993")),
        Expect::Refused(&["大得不合理", "预算明细!F4"]),
    ));
    cases.push(case(
        "number-1e300",
        at(n("1E+300")),
        Expect::Refused(&["超出金额的范围", "预算明细!F4"]),
    ));
    cases.push(case(
        "finer-than-a-cent",
        at(n("1864.005")),
        Expect::Refused(&["比一分钱还细", "预算明细!F4"]),
    ));
    cases.push(case(
        "negative-text",
        at(s("-1,000.00")),
        Expect::Refused(&["为负数", "预算明细!F4"]),
    ));
    cases.push(case(
        "thousands-wrong",
        at(s("1,86,400")),
        Expect::Refused(&["千位分隔符", "预算明细!F4"]),
    ));
    cases.push(case(
        "boolean-amount",
        at(Cell::Raw("t=\"b\"".into(), "<v>1</v>".into())),
        Expect::Refused(&["不是金额", "预算明细!F4"]),
    ));
    // 万元 figures (to the 0.0001) in a sheet that says 元.
    cases.push(case(
        "units-wan-written-as-yuan",
        at(n("186.4235")),
        Expect::Refused(&["比一分钱还细"]),
    ));
    // 元 figures in a sheet that says 万元: ten thousand times the draft.
    let yuan_as_wan = exported(|s| s.rows[1][0] = self::s("单位：万元"));
    cases.push(case(
        "units-yuan-written-as-wan",
        yuan_as_wan,
        Expect::Refused(&["倍", "单位（元、万元）弄错了"]),
    ));
    let mut old = export(&sample());
    old.rows[0][0] = s("2021年部门预算明细");
    cases.push(case(
        "another-year",
        workbook(&[old]),
        Expect::Refused(&["2021 年的预算", "2022 年的"]),
    ));
    let mut empty = export(&sample());
    empty.rows.truncate(FIRST);
    cases.push(case("header-only", workbook(&[empty]), Expect::Refused(&["没有一条预算明细"])));
    check(cases);
}

#[test]
fn hidden_sheets() {
    let mut cases = Vec::new();
    let stale = |state| {
        let mut old = export(&sample());
        old.name = "旧明细".into();
        old.state = Some(state);
        old.rows[FIRST][AMOUNT] = n("1");
        workbook(&[export(&sample()), old])
    };
    cases.push(case(
        "hidden-stale-copy",
        stale("hidden"),
        Expect::Refused(&["工作表“旧明细”是隐藏的"]),
    ));
    cases.push(case("very-hidden-stale-copy", stale("veryHidden"), Expect::Refused(&["深度隐藏"])));
    let cover =
        Sheet {
            name: "封面".into(), rows: vec![vec![s("预算系统导出")]], ..Sheet::default()
        };
    let mut data = export(&sample());
    data.state = Some("hidden");
    let behind = workbook(&[cover, data]);
    cases.push(case(
        "hidden-data-sheet",
        behind.clone(),
        Expect::Refused(&["工作表“预算明细”是隐藏的", "--use-hidden"]),
    ));
    let mut named = case("hidden-data-sheet-named", behind, Expect::Imported(&["83 条预算明细"]));
    named.args = vec!["--use-hidden", "预算明细"];
    cases.push(named);
    let helper = Sheet {
        name: "代码表".into(),
        state: Some("hidden"),
        rows: vec![vec![s("01"), s("区级")]],
        ..Sheet::default()
    };
    cases.push(case(
        "hidden-helper-sheet",
        workbook(&[export(&sample()), helper]),
        Expect::Imported(&["工作表“代码表”是隐藏的，没有用"]),
    ));
    check(cases);
}

/// A million-row export written straight as XML (rust_xlsxwriter would
/// hold it all): `distinct` gives each row its own project.
fn million(distinct: bool) -> Vec<u8> {
    let items = sample();
    let mut sst: Vec<String> = HEADS.iter().map(|h| h.to_string()).collect();
    sst.push("2022年部门预算明细".into());
    let mut index = std::collections::HashMap::new();
    let mut id = |t: String, sst: &mut Vec<String>| -> usize {
        *index.entry(t.clone()).or_insert_with(|| {
            sst.push(t);
            sst.len() - 1
        })
    };
    let mut xml = String::from(
        r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>6</v></c></row><row r="2">"#,
    );
    for (c, h) in ["A", "B", "C", "D", "E", "F"].iter().zip(0..) {
        xml.push_str(&format!("<c r=\"{c}2\" t=\"s\"><v>{h}</v></c>"));
    }
    xml.push_str("</row>");
    let per = 1_000_000 / items.len() + 1;
    let mut r = 3;
    for (k, l) in items.iter().enumerate() {
        let cents = (l.5 * Decimal::from(100)).trunc();
        let base = (cents / Decimal::from(per)).trunc();
        let extra = cents - base * Decimal::from(per);
        for p in 0..per {
            let project = if distinct && !l.1.ends_with("经费") {
                format!("{}{k}-{p}", l.1)
            } else {
                l.1.clone()
            };
            let ids = [
                id(l.0.clone(), &mut sst),
                id(project, &mut sst),
                id(l.2.clone(), &mut sst),
                id(l.3.clone(), &mut sst),
                id(l.4.clone(), &mut sst),
            ];
            let cents = base + if Decimal::from(p) < extra { Decimal::ONE } else { Decimal::ZERO };
            xml.push_str(&format!("<row r=\"{r}\">"));
            for (c, i) in ["A", "B", "C", "D", "E"].iter().zip(ids) {
                xml.push_str(&format!("<c r=\"{c}{r}\" t=\"s\"><v>{i}</v></c>"));
            }
            xml.push_str(&format!(
                "<c r=\"F{r}\"><v>{}</v></c></row>",
                (cents / Decimal::from(100)).normalize()
            ));
            r += 1;
        }
    }
    xml.push_str("</sheetData></worksheet>");
    let names = [("预算明细", None)];
    let mut e: Vec<Entry> =
        frame(&names, true).iter().map(|(n, d)| Entry::deflated(n, d)).collect();
    e.push(Entry::deflated("xl/worksheets/sheet1.xml", xml.as_bytes()));
    e.push(Entry::deflated("xl/sharedStrings.xml", &sst_xml(&sst)));
    zip(&e, None, None)
}

#[test]
fn a_million_rows() {
    let mut same =
        case("rows-1M-of-83-items", million(false), Expect::Imported(&["83 条预算明细"]));
    same.seconds = 240.0;
    let mut distinct = case("rows-1M-all-different", million(true), Expect::Refused(&["多于"]));
    distinct.seconds = 240.0;
    check(vec![same, distinct]);
}

#[test]
fn a_bomb_inflates_to_what_it_says() {
    use std::io::Read;
    let (data, size, crc) = bomb(b"<a>", b"<x/>", 10 << 20, b"</a>");
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(&data[..]).read_to_end(&mut out).unwrap();
    assert_eq!(out.len() as u64, size);
    let mut c = flate2::Crc::new();
    c.update(&out);
    assert_eq!(c.sum(), crc);
    assert!(out.starts_with(b"<a><x/><x/>") && out.ends_with(b"<x/></a>"));
    assert!(data.len() < 100_000, "{} bytes of deflate", data.len());
}

/// The corpus holds the forty-odd cases README.md lists.
#[test]
fn the_corpus_is_listed() {
    let readme =
        fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hostile_import/README.md"))
            .unwrap();
    let source = fs::read_to_string(file!()).unwrap();
    let named: Vec<&str> = source
        .split("case(")
        .skip(1)
        .filter_map(|s| s.trim_start().strip_prefix('"'))
        .filter_map(|s| s.split('"').next())
        .filter(|n| n.chars().all(|c| c.is_ascii_alphanumeric() || "-.^".contains(c)))
        .collect();
    assert!(named.len() >= 40, "{} cases", named.len());
    for n in &named {
        assert!(readme.contains(&format!("`{n}`")), "README.md lists {n}");
    }
}
