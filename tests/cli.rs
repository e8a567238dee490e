//! Integration tests: the built binary on fixtures in a temporary folder,
//! checked through the PDF's extracted text (pdftotext, as a reader's
//! copy-paste would see it).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::{Order, root, sample, stderr, yusuan};

fn pdf_text(pdf: &Path) -> String {
    common::pdf_text(pdf, Order::Layout)
}

/// The sample without its line items (they come last): the narrative's
/// figures are then the ones written, free to be edited on their own.
fn narrative_sample() -> String {
    let s = sample();
    let cut = s.find("[[line_items]]").unwrap_or(s.len());
    s[..cut].to_string()
}

/// Writes `toml` as data/<stem>.toml in a fresh temp folder and builds it.
fn build_text(stem: &str, toml: &str) -> (tempfile::TempDir, Output, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("data")).unwrap();
    fs::write(dir.path().join(format!("data/{stem}.toml")), toml).unwrap();
    let out = yusuan(
        dir.path(),
        &["build", "--no-system-fonts", "--templates"]
            .iter()
            .copied()
            .chain([root().join("templates").to_str().unwrap()])
            .collect::<Vec<_>>(),
    );
    let pdf = dir.path().join(format!("output/{stem}.pdf"));
    (dir, out, pdf)
}

fn assert_contains_all(text: &str, needles: &[&str]) {
    let missing: Vec<_> = needles.iter().filter(|n| !text.contains(*n)).collect();
    assert!(missing.is_empty(), "missing from the PDF text: {missing:?}");
}

#[test]
fn sample_builds_with_every_section_table_and_figure() {
    let (_dir, out, pdf) = build_text("101001-2021", &sample());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = pdf_text(&pdf);
    assert_contains_all(
        &text,
        &[
            "张家口市人大常委会办公室2021年部门预算信息公开情况说明",
            "《中华人民共和国预算法》《地方预决算公开操作规程》和《河北省省级预算公开办法》",
            "一、部门职责及机构设置情况",
            "（十二）法律规定和常务委员会认为应当审议、决定的其他事项。",
            "表1部门机构设置情况",
            "单位名称单位性质单位规格经费保障形式",
            "张家口市人大常委会办公室行政正处级财政拨款",
            "二、部门预算安排的总体情况",
            "2021年预算收入2220.42万元，其中：一般公共预算收入2220.42万元，基金预算收入0万元，财政专户核拨收入0万元，其他来源收入0万元，上年结转0万元。",
            "2021年部门支出预算为2220.42万元，其中基本支出1523.82万元，包括人员经费1193.26万元和日常公用经费330.56万元；项目支出696.6万元，主要为人大会议经费264.6万元、人大立法经费117万元、人大监督经费270万元、人大代表履职能力提升经费27万元、代表工作18万元。",
            "2021年部门预算收支安排2220.42万元，较2020年增加135.65万元，其中：基本支出增加135.65万元，主要是人员增加，相应增加人员经费和日常公用经费；项目支出与上年持平。",
            "三、机关运行经费安排情况",
            "机关运行经费共计安排330.56万元，主要用于办公及印刷费、邮电费",
            "其它商品和服务支出等日常运行支出。",
            "四、财政拨款“三公”经费预算情况及增减变化原因",
            "“三公”经费预算安排56.1万元",
            "因公出国（境）费0万元，与上年持平；公务用车购置及运维费53.43万元（其中：公务用车购置费0万元，公务用车运行维护费53.43万元），与上年持平；公务接待费2.67万元，较上年增加0.4万元，原因是在职人员增加。",
            "五、预算绩效信息",
            "第一部分部门整体绩效目标",
            "（一）总体绩效目标",
            "2021年着重做好以下六方面工作",
            "（二）分项绩效目标",
            "1.立法工作",
            "（三）工作保障措施",
            "6.加强宣传培训。",
            "第二部分预算项目绩效目标",
            "表2选举、任免工作经费绩效目标表",
            "101001张家口市人大常委会办公室本级",
            "二级指标三级指标绩效指标描述指标值",
            "表9人大立法调研审查工作经费绩效目标表",
            "规范性文件备案审查",
            "信息平台维护费",
            "六、政府采购预算情况",
            "2021年，我部门无政府采购预算。",
            "七、国有资产信息",
            "张家口市人大常委会办公室2020年末固定资产金额为141.15万元（详见下表），本年度拟购置固定资产总额为9.42万元",
            "表10市人大常委会办公室固定资产占用情况表",
            "截止时间：2020年12月31日",
            "资产总额——141.15",
            "2.车辆（台、辆）420.30",
            "4.其他固定资产——120.85",
            "八、名词解释",
            "10.事业单位经营支出：",
            "九、其他需要说明的事项",
            "我部门无其他需要说明的事项。",
        ],
    );
    // Word residue and the seed's typos do not reach the page.
    for residue in ["TC", "\\f", "。。", "办室", "2020年着重"] {
        assert!(!text.contains(residue), "the PDF contains {residue:?}");
    }
}

#[test]
fn every_performance_table_is_numbered_in_order() {
    let (_dir, out, pdf) = build_text("101001-2021", &sample());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = pdf_text(&pdf);
    let titles = [
        "选举、任免工作经费",
        "人大代表培训经费",
        "市人大代表专项活动经费",
        "全国及省人大代表专项活动经费",
        "张家口市十四届人民代表大会第六次会议经费",
        "市人大常委会会议经费",
        "人大代表执法检查工作经费",
        "人大立法调研审查工作经费",
    ];
    let mut last = 0;
    for (i, t) in titles.iter().enumerate() {
        let needle = format!("表{}{}绩效目标表", i + 2, t);
        let at = text.find(&needle).unwrap_or_else(|| panic!("{needle} not found"));
        assert!(at > last, "{needle} is out of order");
        last = at;
    }
}

#[test]
fn a_corrected_figure_moves_every_sentence_that_quotes_it() {
    let toml = narrative_sample()
        .replace("public = 330.56", "public = 340.56")
        .replace("general_budget = 2220.42", "general_budget = 2230.42");
    let (_dir, out, pdf) = build_text("x", &toml);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = pdf_text(&pdf);
    assert_contains_all(
        &text,
        &[
            "2021年预算收入2230.42万元",
            "基本支出1533.82万元，包括人员经费1193.26万元和日常公用经费340.56万元",
            "部门预算收支安排2230.42万元，较2020年增加145.65万元，其中：基本支出增加145.65万元",
            "机关运行经费共计安排340.56万元",
        ],
    );
    assert!(!text.contains("330.56"));
}

#[test]
fn markup_characters_in_text_print_as_themselves() {
    let nasty =
        r#"#set text(red) *粗* _斜_ $x^2$ <标签> @引用 \\ `代码` [方括号] // 注释 /* 块 */ = 标题"#;
    let escaped = nasty.replace('\\', "\\\\").replace('"', "\\\"");
    let toml = narrative_sample()
        .replace("\"其它交通费用及其它商品和服务支出\"", &format!("\"{escaped}\""))
        // The project's name, and the performance tables linked to it.
        .replace("\"人大会议经费\"", &format!("\"{escaped}\""));
    let (_dir, out, pdf) = build_text("x", &toml);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = pdf_text(&pdf);
    let expected: String = nasty.split_whitespace().collect();
    assert!(text.matches(&expected).count() >= 2, "markup was interpreted: {text}");
}

#[test]
fn two_builds_are_byte_identical() {
    let (dir, out, pdf) = build_text("x", &sample());
    assert!(out.status.success(), "{}", stderr(&out));
    let first = fs::read(&pdf).unwrap();
    let again = yusuan(
        dir.path(),
        &["build", "--no-system-fonts", "--templates", root().join("templates").to_str().unwrap()],
    );
    assert!(again.status.success());
    assert_eq!(first, fs::read(&pdf).unwrap());
}

#[test]
fn every_font_is_embedded() {
    let (_dir, out, pdf) = build_text("x", &sample());
    assert!(out.status.success(), "{}", stderr(&out));
    let fonts = Command::new("pdffonts").arg(&pdf).output().expect("pdffonts is installed");
    let listing = String::from_utf8_lossy(&fonts.stdout);
    let rows: Vec<&str> = listing.lines().skip(2).collect();
    assert!(rows.len() >= 4, "{listing}");
    for row in &rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type encoding emb sub uni object ID; "emb" is the 4th from the end.
        assert_eq!(cols[cols.len() - 5], "yes", "not embedded: {row}");
    }
    for family in ["FandolFang", "FandolHei", "FandolKai", "FandolSong"] {
        assert!(listing.contains(family), "{family} is not used:\n{listing}");
    }
}

#[test]
fn the_seeds_faithful_year_on_year_figures_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = root().join("tests/fixtures/seed-faithful-yoy.toml");
    let out = yusuan(dir.path(), &["check", fixture.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("previous.stated.total"), "{err}");
    assert!(err.contains("135.65") && err.contains("136.65"), "{err}");
    assert!(err.contains("seed-faithful-yoy.toml:"), "{err}");
}

#[test]
fn the_sample_passes_check_without_errors() {
    let out = yusuan(&root(), &["check", "data"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(!err.lines().any(|l| l.starts_with("错误")), "{err}");
    assert!(err.contains("没有错误"), "each file's summary says so: {err}");
}

#[test]
fn a_failed_rebuild_leaves_the_previous_pdf() {
    let (dir, out, pdf) = build_text("x", &sample());
    assert!(out.status.success(), "{}", stderr(&out));
    let before = fs::read(&pdf).unwrap();
    let broken = sample().replace("personnel = 1193.26", "personnel = \"abc\"");
    fs::write(dir.path().join("data/x.toml"), broken).unwrap();
    let again = yusuan(dir.path(), &["build"]);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(before, fs::read(&pdf).unwrap());
    let left: Vec<_> = fs::read_dir(dir.path().join("output")).unwrap().collect();
    assert_eq!(left.len(), 1, "temporary files were left behind");
}

#[test]
fn help_speaks_chinese() {
    let out = yusuan(&root(), &["--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("用法") && help.contains("生成") && help.contains("核对"), "{help}");
    let out = yusuan(&root(), &["build", "--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("输出目录") && help.contains("--font-path"), "{help}");
}

#[test]
fn missing_paths_and_empty_folders_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let out = yusuan(dir.path(), &["check", "nope.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("找不到路径"), "{}", stderr(&out));
    fs::create_dir(dir.path().join("empty")).unwrap();
    let out = yusuan(dir.path(), &["check", "empty"]);
    assert!(stderr(&out).contains("没有 .toml"), "{}", stderr(&out));
}

/// The words of clap's and of the program's that may stand in Chinese
/// text: the program's own names (commands, values an option takes, file
/// kinds, default folders, environment variables). Anything else in ASCII
/// letters is a word of English that slipped through, unless the user typed
/// it (a misspelt command is quoted back).
const NAMES: &[&str] = &[
    "yusuan",
    "build",
    "check",
    "fonts",
    "new",
    "diff",
    "import",
    "profile",
    "preview",
    "catalogue",
    "help",
    "list",
    "export",
    "show",
    "text",
    "markdown",
    "csv",
    "standard",
    "platform",
    "lineitems",
    "hebei",
    "shanghai",
    "final",
    "todo",
    "typst",
    "TOML",
    "PDF",
    "UA",
    "JSON",
    "HTML",
    "Excel",
    "WPS",
    "Word",
    "init",
    "report",
    "html",
    "pdf",
    "xlsx",
    "CPU",
    "MiB",
    "UTF",
    "BOM",
    "Markdown",
    "CSV",
    "Schema",
    "output",
    "data",
    "ua",
];

/// The ASCII words of `text` that are neither an option (`--draft`, `-o`),
/// a path or field (`data/`, `document.profile`, `<文件名>.json`), an
/// environment variable (`YUSUAN_…`), nor one of `NAMES`.
fn english_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let seps = |c: char| {
        c.is_whitespace() || !c.is_ascii() || "，。；：、（）［］“”,;:()[]\"'|=".contains(c)
    };
    for token in text.split(seps).filter(|t| !t.is_empty()) {
        let named = token.starts_with('-')
            || token.contains(['/', '.', '<', '>', '_', '\\'])
            || token.chars().all(|c| !c.is_ascii_alphabetic());
        if named {
            continue;
        }
        for word in token.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| w.len() > 1) {
            if !NAMES.contains(&word) {
                out.push(format!("{word} (in “{token}”)"));
            }
        }
    }
    out
}

/// Done-when of issue 30: `yusuan --help`, every `yusuan X --help` and
/// `yusuan help X`, and every kind of usage error print no English word
/// other than option names, paths and the program's own names.
#[test]
fn help_and_usage_errors_have_no_english_words() {
    let commands: &[&[&str]] = &[
        &[],
        &["build"],
        &["check"],
        &["fonts"],
        &["new"],
        &["diff"],
        &["import"],
        &["profile"],
        &["profile", "list"],
        &["profile", "export"],
        &["profile", "check"],
        &["preview"],
        &["catalogue"],
        &["catalogue", "show"],
        &["help"],
    ];
    let mut runs: Vec<Vec<String>> = Vec::new();
    for c in commands {
        let words = |extra: &[&str]| c.iter().chain(extra).map(|s| s.to_string()).collect();
        runs.push(words(&["--help"]));
        runs.push(words(&["-h"]));
        runs.push(["help"].iter().chain(c.iter()).map(|s| s.to_string()).collect());
    }
    let errors: &[&[&str]] = &[
        &[],
        &["biuld"],
        &["build", "--fianl"],
        &["build", "--final", "--draft"],
        &["build", "-o", "a", "-o", "b"],
        &["build", "-o"],
        &["build", "--pdf-standard", "a-9"],
        &["build", "-j", "many"],
        &["check", "--time-limit", "soon"],
        &["new", "--from", "x.toml"],
        &["new", "--from", "x.toml", "--year", "2022", "--final-accounts"],
        &["new", "--year", "2022"],
        &["diff", "a.toml"],
        &["diff", "a.toml", "b.toml", "c.toml"],
        &["diff", "a.toml", "b.toml", "--format", "docx"],
        &["diff", "a.toml", "b.toml", "--format", "pdf"],
        &["import", "--into", "x.toml"],
        &["preview", "x.toml", "--port", "99999"],
        &["profile"],
        &["profile", "export", "hebei"],
        &["catalogue", "show"],
        &["catalogue", "show", "二〇二一"],
        &["help", "nope"],
        &["fonts", "extra"],
    ];
    runs.extend(errors.iter().map(|e| e.iter().map(|s| s.to_string()).collect()));
    let dir = tempfile::tempdir().unwrap();
    let mut bad = Vec::new();
    for args in &runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = yusuan(dir.path(), &args);
        let text = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
        assert!(text.contains("用法"), "{args:?} says nothing of its usage:\n{text}");
        let found: Vec<String> = english_words(&text)
            .into_iter()
            .filter(|w| !args.iter().any(|a| w.starts_with(&format!("{a} "))))
            .collect();
        if !found.is_empty() {
            bad.push(format!("yusuan {}: {}", args.join(" "), found.join(", ")));
        }
    }
    assert!(bad.is_empty(), "English words:\n{}", bad.join("\n"));
}

/// The finder of English words finds them: clap's own words of before.
#[test]
fn english_words_are_found() {
    let clap = "Usage: yusuan build [OPTIONS] [路径]...\n\nOptions:\n  -o, --output <目录>  PDF 输出目录 [default: output]\n  [possible values: text, csv]\n  [env: YUSUAN_TIME_LIMIT=]";
    let found = english_words(clap);
    for w in ["Usage", "OPTIONS", "Options", "default", "possible", "values", "env"] {
        assert!(found.iter().any(|f| f.starts_with(&format!("{w} "))), "{w} not found: {found:?}");
    }
    assert!(
        english_words("用法：yusuan build [选项] --output <目录> data/ YUSUAN_TIME_LIMIT")
            .is_empty()
    );
}
