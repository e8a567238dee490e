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
use std::collections::HashMap;

use crate::commands::{document_date, inspect_with, presentation};
use crate::fonts::FontSet;
use crate::profiles::{Bundle, ProfileSet};
use crate::render::{Engine, PdfSettings};
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
    env: (Arc<FontSet>, Arc<ProfileSet>),
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
                let mut engines = Engines { fonts: env.0, by_profile: HashMap::new() };
                while let Some(path) = inputs.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let _ = tx.send(build_one(&mut engines, &env.1, path, args, settings));
                }
            });
        }
        drop(tx);
        rx.iter().inspect(|o| on_done(o)).collect()
    })
}

/// A worker's engines, one per profile its documents use: a World's
/// templates are fixed when it is made.
pub struct Engines {
    pub fonts: Arc<FontSet>,
    pub by_profile: HashMap<String, Engine>,
}

impl Engines {
    pub fn for_bundle(&mut self, b: &Bundle) -> &mut Engine {
        let fonts = &self.fonts;
        self.by_profile
            .entry(b.key.clone())
            .or_insert_with(|| Engine::new(fonts.clone(), b.templates.clone()))
    }
}

pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Builds one document, collecting its messages instead of printing them.
pub fn build_one(
    engines: &mut Engines,
    profiles: &ProfileSet,
    path: &Path,
    args: &BuildArgs,
    settings: &PdfSettings,
) -> Outcome {
    let mut log = String::new();
    let result = build_logged(engines, profiles, path, args, settings, &mut log);
    Outcome { input: path.to_path_buf(), log, result }
}

fn build_logged(
    engines: &mut Engines,
    profiles: &ProfileSet,
    path: &Path,
    args: &BuildArgs,
    settings: &PdfSettings,
    log: &mut String,
) -> Result<(PathBuf, usize), String> {
    let c = inspect_with(path, profiles, args.env.profile.as_deref());
    log.push_str(&report::problems_text(&c.file.name(), &c.file.text, &c.problems));
    if let Some(e) = &c.profile_error {
        log.push_str(e);
        log.push('\n');
        return Err("样式有错误".to_string());
    }
    let errors = c.problems.iter().filter(|p| p.is_error()).count();
    let (budget, bundle) = match (c.budget, c.bundle) {
        (Some(b), Some(bundle)) if errors == 0 => (b, bundle),
        _ => return Err(format!("数据有 {} 处错误", errors.max(1))),
    };
    let file = c.file;
    let engine = engines.for_bundle(&bundle);
    let today = document_date(&budget);
    let view = derive::view(&budget, &presentation(engine, args.draft, bundle.profile.clone()));
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
