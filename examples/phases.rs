//! Times the phases of one document, repeated with a changing figure:
//! `cargo run --release --example phases [N]`. Environment: `YUSUAN_DIR=DIR`
//! cycles through the data files of a folder (a batch), `YUSUAN_TRACE=1`
//! writes Typst's timings of the last compile to /tmp/yusuan-trace.json,
//! `YUSUAN_UNTAGGED=1` exports without structure tags and PDF/A.

use std::sync::Arc;
use std::time::Instant;

use yusuan::commands::{document_date, inspect, pdf_settings, presentation};
use yusuan::derive;
use yusuan::fonts::{FontOptions, FontSet};
use yusuan::render::Engine;
use yusuan::templates::Templates;

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(20);
    let t = Instant::now();
    let fonts = Arc::new(FontSet::load(&FontOptions { font_paths: vec![], no_system_fonts: true }));
    let templates = Arc::new(Templates::locate(None).expect("templates load"));
    let mut engine = Engine::new(fonts, templates);
    println!("环境（字体、模板）：{:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    let (budget, _, _) = inspect(std::path::Path::new("data/101001-2021.toml"));
    let mut budget = budget.expect("the sample loads");
    let mut settings = pdf_settings(&[yusuan::args::PdfStandardArg::A2b]);
    // YUSUAN_UNTAGGED=1: what the structure tree costs (not an option of yusuan).
    if std::env::var_os("YUSUAN_UNTAGGED").is_some() {
        settings = yusuan::render::PdfSettings { standards: vec![], tagged: false };
    }
    let (mut compile, mut pdf) = (Vec::new(), Vec::new());
    // With YUSUAN_DIR, cycle through the data files of a folder (a batch);
    // otherwise vary the department name of the sample.
    let files: Vec<std::path::PathBuf> = std::env::var_os("YUSUAN_DIR")
        .map(|d| yusuan::commands::collect_inputs(&[d.into()]).expect("data files"))
        .unwrap_or_default();
    for i in 0..n {
        match files.get(i % files.len().max(1)) {
            Some(f) => budget = inspect(f).0.expect("loads"),
            None => budget.document.department = format!("第{i}局"),
        }
        let view = derive::view(&budget, &presentation(&engine, false, Arc::new(yusuan::profile::default_profile())));
        let trace = i == n - 1 && std::env::var_os("YUSUAN_TRACE").is_some();
        if trace {
            typst_timing::enable();
        }
        let t = Instant::now();
        let doc = engine.compile(&view, document_date(&budget)).expect("compiles");
        if trace {
            let f = std::fs::File::create("/tmp/yusuan-trace.json").unwrap();
            typst_timing::export_json(f, |_| (String::new(), 0)).unwrap();
            typst_timing::disable();
        }
        compile.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        let bytes =
            engine.pdf(&doc.document, "x", document_date(&budget), &settings).expect("exports");
        pdf.push(t.elapsed().as_secs_f64() * 1e3);
        assert!(!bytes.is_empty());
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!("首次排版 {:.1} ms，首次 PDF {:.1} ms", compile[0], pdf[0]);
    println!(
        "排版中位数 {:.1} ms，PDF 导出中位数 {:.1} ms（{n} 次）",
        median(&mut compile),
        median(&mut pdf)
    );
}
