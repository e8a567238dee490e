//! Times the phases of one document, repeated with a changing figure:
//! `cargo run --release --example phases [N]`. Environment: `YUSUAN_DIR=DIR`
//! cycles through the data files of a folder (a batch), `YUSUAN_TRACE=1`
//! writes Typst's timings of the last compile to /tmp/yusuan-trace.json
//! (`YUSUAN_TRACE=first`: of the first, cold one),
//! `YUSUAN_VARY=reception` changes 公务接待费 by 0.01 each time instead of
//! the department's name (what the preview's edit benchmark does),
//! `YUSUAN_UNTAGGED=1` exports without structure tags and PDF/A,
//! `YUSUAN_A2B=1` as PDF/A-2b alone instead of the default PDF/UA-1 with
//! PDF/A-2a (what the accessible default costs).

use std::sync::Arc;
use std::time::Instant;

use yusuan::export::pdf::PdfSettings;
use yusuan::pipeline;
use yusuan::typeset::compile::Engine;
use yusuan::typeset::fonts::{FontOptions, FontSet};
use yusuan::typeset::templates::{Root, Templates};

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(20);
    let t = Instant::now();
    let fonts = Arc::new(FontSet::load(&FontOptions { font_paths: vec![], no_system_fonts: true }));
    let root = Root::locate(None);
    let templates = Templates::bundled(&root, yusuan::model::profile::DEFAULT_NAME)
        .expect("the default profile is bundled")
        .expect("templates load");
    let templates = Arc::new(templates);
    let mut engine = Engine::new(fonts, templates);
    println!("环境（字体、模板）：{:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    let loaded = pipeline::inspect(std::path::Path::new("data/101001-2021.toml"));
    let mut budget = loaded.budget.expect("the sample loads");
    let mut settings = PdfSettings::default();
    // YUSUAN_UNTAGGED=1: what the structure tree costs (not an option of yusuan).
    if std::env::var_os("YUSUAN_UNTAGGED").is_some() {
        settings = PdfSettings { standards: vec![], tagged: false };
    }
    if std::env::var_os("YUSUAN_A2B").is_some() {
        settings = PdfSettings { standards: vec![typst_pdf::PdfStandard::A_2b], tagged: true };
    }
    let (mut compile, mut pdf) = (Vec::new(), Vec::new());
    // With YUSUAN_DIR, cycle through the data files of a folder (a batch);
    // otherwise vary the department name of the sample.
    let files: Vec<std::path::PathBuf> = std::env::var_os("YUSUAN_DIR")
        .map(|d| pipeline::collect_inputs(&[d.into()]).expect("data files"))
        .unwrap_or_default();
    for i in 0..n {
        match files.get(i % files.len().max(1)) {
            Some(f) => budget = pipeline::inspect(f).budget.expect("loads"),
            None if std::env::var("YUSUAN_VARY").as_deref() == Ok("reception") => {
                budget.sangong.current.reception.0 += rust_decimal::Decimal::new(1, 2);
            }
            None => budget.document.department = format!("第{i}局"),
        }
        let trace = match std::env::var("YUSUAN_TRACE").as_deref() {
            Ok("first") => i == 0,
            Ok(_) => i == n - 1,
            Err(_) => false,
        };
        if trace {
            typst_timing::enable();
        }
        let t = Instant::now();
        let doc = pipeline::typeset(&mut engine, &budget, false).expect("compiles");
        if trace {
            let f = std::fs::File::create("/tmp/yusuan-trace.json").unwrap();
            // Name each span by its template file and line.
            let world = engine.world();
            typst_timing::export_json(f, |raw| {
                use typst::{World as _, WorldExt as _};
                let span = typst::syntax::Span::from_raw(raw);
                let (Some(id), Some(range)) = (span.id(), world.range(span)) else {
                    return (String::new(), 0);
                };
                let Ok(source) = world.source(id) else { return (String::new(), 0) };
                let line = source.lines().byte_to_line(range.start).unwrap_or(0) + 1;
                (format!("{:?}", id.vpath()), line as u32)
            })
            .unwrap();
            typst_timing::disable();
        }
        compile.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        let bytes = pipeline::export_pdf(&doc, &settings).expect("exports");
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
