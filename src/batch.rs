//! 批量生成：一个进程、多个线程，字体与模板只加载一次。
//!
//! Each worker owns one Engine (one World) and pulls the next file from a
//! shared index; the Typst cache is shared and evicted after every compile,
//! so memory stays flat however long the batch. A file that fails is
//! reported and counted; it never stops the others.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use crate::diag;
use crate::export::output;
use crate::export::pdf::PdfSettings;
use crate::pipeline;
use crate::typeset::compile::{Engine, typst_text};
use crate::typeset::fonts::FontSet;
use crate::typeset::templates::Templates;

/// What a batch writes for each document, and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// The output folder.
    pub output: PathBuf,
    /// 草稿 watermark on every page.
    pub draft: bool,
    /// Worker threads; `None`: one per core.
    pub jobs: Option<usize>,
    /// Also write the view as `<stem>.json`.
    pub emit_data: bool,
    /// Also write the attached tables as `<stem>.xlsx`.
    pub xlsx: bool,
    pub pdf: PdfSettings,
    /// The user's catalogue file, instead of the one beside each data file.
    pub catalogue: Option<PathBuf>,
}

/// What happened to one file.
pub struct Outcome {
    pub input: PathBuf,
    /// Messages for this file (problems, template diagnostics), in order.
    pub log: String,
    /// The PDF written and its page count, or why none was.
    pub result: Result<(PathBuf, usize), String>,
}

/// Builds every input with `jobs` workers; `on_done` sees each outcome as it
/// arrives, on the calling thread.
pub fn build_all(
    inputs: &[PathBuf],
    args: &Options,
    env: (Arc<FontSet>, Arc<Templates>),
    mut on_done: impl FnMut(&Outcome),
) -> Vec<Outcome> {
    let jobs = args.jobs.unwrap_or_else(default_jobs).clamp(1, inputs.len().max(1));
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            let (tx, next, env) = (tx.clone(), &next, env.clone());
            scope.spawn(move || {
                let mut engine = Engine::new(env.0, env.1);
                while let Some(path) = inputs.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let _ = tx.send(build_one(&mut engine, path, args));
                }
            });
        }
        drop(tx);
        rx.iter().inspect(|o| on_done(o)).collect()
    })
}

pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Builds one document, collecting its messages instead of printing them.
pub fn build_one(engine: &mut Engine, path: &Path, args: &Options) -> Outcome {
    let mut log = String::new();
    let result = build_logged(engine, path, args, &mut log);
    Outcome { input: path.to_path_buf(), log, result }
}

fn build_logged(
    engine: &mut Engine,
    path: &Path,
    args: &Options,
    log: &mut String,
) -> Result<(PathBuf, usize), String> {
    let loaded = pipeline::inspect_with(path, args.catalogue.as_deref());
    log.push_str(&diag::problems_text(&loaded.file.name(), &loaded.file.text, &loaded.problems));
    let errors = loaded.problems.iter().filter(|p| p.is_error()).count();
    let file = loaded.file;
    let budget = match loaded.budget {
        Some(b) if errors == 0 => b,
        _ => return Err(format!("数据有 {} 处错误", errors.max(1))),
    };
    let typeset = pipeline::typeset(engine, &budget, args.draft).map_err(|diags| {
        log.push_str(&typst_text(engine.world(), &diags));
        "模板编译失败".to_string()
    })?;
    log.push_str(&typst_text(engine.world(), &typeset.compiled.warnings));
    let pdf = pipeline::export_pdf(&typeset, &args.pdf).map_err(|diags| {
        log.push_str(&typst_text(engine.world(), &diags));
        "PDF 导出失败".to_string()
    })?;
    let out = args.output.join(format!("{}.pdf", file.stem()));
    output::write_atomic(&out, &pdf).map_err(|e| e.to_string())?;
    if args.emit_data {
        let json = serde_json::to_vec_pretty(&typeset.view).expect("the view serializes");
        let data = args.output.join(format!("{}.json", file.stem()));
        output::write_atomic(&data, &json).map_err(|e| e.to_string())?;
    }
    if args.xlsx {
        crate::export::xlsx::beside(&typeset.view, &out, log)?;
    }
    Ok((out, typeset.compiled.document.pages().len()))
}
