//! 批量生成：一个进程、多个线程，字体与模板只加载一次。
//!
//! Each worker owns one Engine (one World) and pulls the next file from a
//! shared index; the Typst cache is shared and evicted after every compile,
//! so memory stays flat however long the batch. A file that fails is
//! reported and counted; it never stops the others.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use crate::args::BuildArgs;
use crate::commands::{document_date, inspect, presentation};
use crate::fonts::FontSet;
use crate::render::{Engine, PdfSettings};
use crate::templates::Templates;
use crate::{derive, output, report};

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
    args: &BuildArgs,
    env: (Arc<FontSet>, Arc<Templates>),
    settings: &PdfSettings,
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
                    let _ = tx.send(build_one(&mut engine, path, args, settings));
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
pub fn build_one(
    engine: &mut Engine,
    path: &Path,
    args: &BuildArgs,
    settings: &PdfSettings,
) -> Outcome {
    let mut log = String::new();
    let result = build_logged(engine, path, args, settings, &mut log);
    Outcome { input: path.to_path_buf(), log, result }
}

fn build_logged(
    engine: &mut Engine,
    path: &Path,
    args: &BuildArgs,
    settings: &PdfSettings,
    log: &mut String,
) -> Result<(PathBuf, usize), String> {
    let (budget, problems, file) = inspect(path);
    log.push_str(&report::problems_text(&file.name(), &file.text, &problems));
    let errors = problems.iter().filter(|p| p.is_error()).count();
    let budget = match budget {
        Some(b) if errors == 0 => b,
        _ => return Err(format!("数据有 {} 处错误", errors.max(1))),
    };
    let today = document_date(&budget);
    let draft = draft_state(&file.text, args, log);
    let view = derive::view(&budget, &presentation(engine, draft));
    let compiled = engine.compile(&view, today).map_err(|diags| {
        log.push_str(&report::typst_text(engine.world(), &diags));
        "模板编译失败".to_string()
    })?;
    log.push_str(&report::typst_text(engine.world(), &compiled.warnings));
    let ident = crate::commands::pdf_ident(&budget);
    let pdf = engine.pdf(&compiled.document, &ident, today, settings).map_err(|diags| {
        log.push_str(&report::typst_text(engine.world(), &diags));
        "PDF 导出失败".to_string()
    })?;
    let out = args.output.join(format!("{}.pdf", file.stem()));
    output::write_atomic(&out, &pdf).map_err(|e| e.to_string())?;
    if args.emit_data {
        let json = serde_json::to_vec_pretty(&view).expect("the view serializes");
        let data = args.output.join(format!("{}.json", file.stem()));
        output::write_atomic(&data, &json).map_err(|e| e.to_string())?;
    }
    if args.xlsx {
        crate::xlsx::beside(&view, &out, log)?;
    }
    Ok((out, compiled.document.pages().len()))
}

/// Whether the PDF is a draft: asked for, or a file whose `[todo]` still
/// has open items (unless `--final` says otherwise). Either way the log
/// says so, since the officer must not take a draft for the real thing.
fn draft_state(text: &str, args: &BuildArgs, log: &mut String) -> bool {
    let open = crate::todo::open_count(text);
    if open == 0 {
        return args.draft;
    }
    if args.final_ {
        let _ = writeln!(
            log,
            "注意：[todo] 中还有 {open} 项未更新，按 --final 生成了不带水印的正式版"
        );
        return false;
    }
    let _ = writeln!(
        log,
        "草稿：[todo] 中还有 {open} 项待更新（yusuan check 逐项列出），PDF 每页加了“草稿”水印；\
         全部更新后重新生成即为正式版（确需提前生成正式版时加 --final）"
    );
    true
}

/// Shows progress: a bar on a terminal, one plain line per file otherwise.
pub struct Progress {
    total: usize,
    done: usize,
    failed: usize,
    bar: bool,
}

impl Progress {
    pub fn new(total: usize) -> Progress {
        Progress { total, done: 0, failed: 0, bar: std::io::stderr().is_terminal() && total > 1 }
    }

    pub fn record(&mut self, o: &Outcome) {
        self.done += 1;
        let mut text = o.log.clone();
        match &o.result {
            Ok((pdf, pages)) => {
                if !self.bar {
                    let _ = writeln!(text, "已生成 {}（{} 页）", pdf.display(), pages);
                }
            }
            Err(why) => {
                self.failed += 1;
                let _ = writeln!(text, "{}：{why}，未生成 PDF", o.input.display());
            }
        }
        let mut err = std::io::stderr().lock();
        if self.bar {
            let _ = write!(err, "\r\x1b[K{text}{}", self.bar_line());
        } else {
            let _ = write!(err, "{text}");
        }
        let _ = err.flush();
    }

    fn bar_line(&self) -> String {
        let width = 30;
        let filled = width * self.done / self.total.max(1);
        format!(
            "[{}{}] {}/{}  失败 {}",
            "█".repeat(filled),
            "░".repeat(width - filled),
            self.done,
            self.total,
            self.failed
        )
    }

    /// Ends the bar and prints the summary: how many built, which failed and why.
    pub fn finish(&self, outcomes: &[Outcome]) {
        if self.bar {
            eprintln!();
        }
        let failed: Vec<&Outcome> = outcomes.iter().filter(|o| o.result.is_err()).collect();
        eprintln!(
            "共 {} 个文件：生成 {} 个，失败 {} 个",
            self.total,
            self.total - failed.len(),
            failed.len()
        );
        for o in failed {
            if let Err(why) = &o.result {
                eprintln!("  失败：{}（{why}）", o.input.display());
            }
        }
    }
}
