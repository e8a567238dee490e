//! 批量生成：多个排版进程（或一个进程中的多个线程）各取下一个文件，字体与模板每个进程只加载一次。
//!
//! Two ways to run the same `build_one`:
//! - `workers`: child processes of the same binary (a hidden subcommand,
//!   `serve` is their side), each replaced after some documents or
//!   megabytes. A process's memory rises slowly with the variety of the
//!   documents it has laid out (1.1 GB after 5000 realistic ones at -j 2,
//!   BENCHMARKS.md), for a cause inside Typst that evicting its cache does
//!   not reach; a new process gives it all back, so the batch's memory is
//!   bounded whatever the cause. Used by `yusuan build` for several files.
//! - `build_all`: threads of this process with one Engine each, the Typst
//!   cache shared and emptied when no other compile runs
//!   (compile::Keep). Used for one file, and where a child cannot be run.
//!
//! A file that fails is reported and counted; it never stops the others.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use crate::checks::summary;
use crate::error::shown;
use crate::export::output;
use crate::export::pdf::PdfSettings;
use crate::pipeline;
use crate::pipeline::{Bundle, Profiles};
use crate::typeset::compile::{Engine, Keep, typst_text};
use crate::typeset::fonts::FontSet;
use crate::typeset::{coverage, limits};

pub mod serve;
pub mod workers;

/// What a batch writes for each document, and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// The output folder.
    pub output: PathBuf,
    /// 草稿 watermark on every page.
    pub draft: bool,
    /// No watermark even for a file whose `[todo]` has open items.
    pub final_: bool,
    /// Worker threads; `None`: one per core.
    pub jobs: Option<usize>,
    /// Also write the view as `<stem>.json`.
    pub emit_data: bool,
    /// Also write the attached tables as `<stem>.xlsx`.
    pub xlsx: bool,
    /// Also write the web page as `<stem>.html`.
    pub html: bool,
    /// Also write the Word file as `<stem>.docx`.
    pub docx: bool,
    pub pdf: PdfSettings,
    /// The user's catalogue file, instead of the one beside each data file.
    pub catalogue: Option<PathBuf>,
    /// Seconds one document may take and MiB the run may hold (0: no
    /// limit), kept by `typeset::limits`.
    pub limits: (u64, u64),
    /// Every problem in full, instead of the summary (`checks::summary`).
    pub verbose: bool,
    /// Leave the findings files share out of each file's log, for the run
    /// to say once (`Outcome::shared`).
    pub fold_shared: bool,
}

/// What happened to one file.
#[derive(Debug)]
pub struct Outcome {
    pub input: PathBuf,
    /// Messages for this file (problems, template diagnostics), in order.
    pub log: String,
    /// The PDF written and its page count, or why none was.
    pub result: Result<(PathBuf, usize), String>,
    /// The findings this file shares with others of the run, when the
    /// options fold them.
    pub shared: Vec<crate::checks::summary::Shared>,
    /// The file's problems of severity warning, open 待办 included.
    pub warnings: usize,
    /// Of those, the draft's open 待办 (`[todo]` items not yet updated).
    pub todo: usize,
}

/// What a batch reports to its caller, on the calling thread, as it goes.
#[derive(Debug)]
pub enum Event {
    /// A file is being built now.
    Started(PathBuf),
    /// A file is done, well or not.
    Done(Outcome),
    /// Nothing happened for a while (a progress display redraws its clock).
    Tick,
}

/// How often `Event::Tick` comes when nothing else does.
const TICK: std::time::Duration = std::time::Duration::from_millis(500);

/// Builds every input with `jobs` threads; `on_event` gets each event as it
/// comes, on the calling thread. Outcomes are not kept here: a batch of
/// thousands must not hold every file's messages until it ends.
pub fn build_all(
    inputs: &[PathBuf],
    args: &Options,
    env: (Arc<FontSet>, Arc<Profiles>),
    on_event: impl FnMut(Event),
) {
    let jobs = jobs(args, inputs.len());
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            let (tx, next, env) = (tx.clone(), &next, env.clone());
            scope.spawn(move || {
                let mut engines = Engines::new(env.0, env.1);
                while let Some(path) = inputs.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let _ = tx.send(Event::Started(path.clone()));
                    let _ = tx.send(Event::Done(build_one(&mut engines, path, args)));
                }
            });
        }
        drop(tx);
        relay(&rx, on_event);
    })
}

/// How many files are built at once: `-j`, else one per core, never more
/// than there are files.
fn jobs(args: &Options, inputs: usize) -> usize {
    args.jobs.unwrap_or_else(default_jobs).clamp(1, inputs.max(1))
}

/// Hands every event to `on_event` until all senders are gone, with a
/// `Tick` whenever nothing came for a while.
fn relay(rx: &mpsc::Receiver<Event>, mut on_event: impl FnMut(Event)) {
    loop {
        match rx.recv_timeout(TICK) {
            Ok(e) => on_event(e),
            Err(mpsc::RecvTimeoutError::Timeout) => on_event(Event::Tick),
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// A worker's engines, one per profile its documents use: a World's
/// templates are fixed when it is made.
pub struct Engines {
    fonts: Arc<FontSet>,
    profiles: Arc<Profiles>,
    by_profile: HashMap<String, Engine>,
}

impl Engines {
    pub fn new(fonts: Arc<FontSet>, profiles: Arc<Profiles>) -> Engines {
        Engines { fonts, profiles, by_profile: HashMap::new() }
    }

    fn for_bundle(&mut self, b: &Bundle) -> &mut Engine {
        let fonts = &self.fonts;
        self.by_profile.entry(b.key.clone()).or_insert_with(|| {
            Engine::new(fonts.clone(), b.templates.clone()).keep(Keep::NothingWhenAlone)
        })
    }
}

pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Builds one document, collecting its messages instead of printing them.
pub fn build_one(engines: &mut Engines, path: &Path, args: &Options) -> Outcome {
    let mut out = Outcome {
        input: path.to_path_buf(),
        log: String::new(),
        result: Err(String::new()),
        shared: Vec::new(),
        warnings: 0,
        todo: 0,
    };
    out.result = build_logged(engines, path, args, &mut out);
    out
}

fn build_logged(
    engines: &mut Engines,
    path: &Path,
    args: &Options,
    out: &mut Outcome,
) -> Result<(PathBuf, usize), String> {
    let mut loaded = pipeline::inspect_with(path, args.catalogue.as_deref());
    if loaded.budget.is_some() {
        loaded.problems.extend(coverage::check(&loaded.file.text, &engines.fonts));
    }
    let bundle = pipeline::with_profile(&mut loaded, path, &engines.profiles);
    count_warnings(out, &loaded);
    let (name, text, problems) = (loaded.file.name(), &loaded.file.text, &loaded.problems);
    out.log.push_str(&summary::report(&name, text, problems, args.verbose, args.fold_shared));
    if args.fold_shared {
        out.shared.extend(summary::shared(&name, text, problems));
    }
    let log = &mut out.log;
    let bundle = bundle.map_err(|e| {
        log.push_str(&e);
        log.push('\n');
        "样式有错误，未生成 PDF".to_string()
    })?;
    let errors = loaded.problems.iter().filter(|p| p.is_error()).count();
    let file = loaded.file;
    let (budget, bundle) = match (loaded.budget, bundle) {
        (Some(b), Some(bundle)) if errors == 0 => (b, bundle),
        _ => return Err(format!("数据有 {} 处错误，未生成 PDF", errors.max(1))),
    };
    let draft = draft_state(&file.text, &budget, args, log);
    let watch = limits::Watch::start(&file.name(), args.limits.0, args.limits.1);
    let engine = engines.for_bundle(&bundle);
    let profile = bundle.profile.clone();
    let typeset = pipeline::typeset_in(engine, &budget, draft, profile).map_err(|diags| {
        log.push_str(&typst_text(engine.world(), &diags));
        "模板编译失败，未生成 PDF".to_string()
    })?;
    log.push_str(&typst_text(engine.world(), &typeset.compiled.warnings));
    let pdf = pipeline::export_pdf(&typeset, &args.pdf).map_err(|diags| {
        log.push_str(&typst_text(engine.world(), &diags));
        "PDF 导出失败，未生成 PDF".to_string()
    })?;
    drop(watch);
    let pdf_path = args.output.join(format!("{}.pdf", file.stem()));
    let staged = stage_all(&pdf_path, pdf, &typeset, &budget, args, log)?;
    commit(staged, log)?;
    Ok((pdf_path, typeset.compiled.document.pages().len()))
}

/// The file's warnings and open 待办, for the line a batch prints per file.
fn count_warnings(out: &mut Outcome, loaded: &crate::source::Loaded) {
    out.warnings = loaded.problems.iter().filter(|p| !p.is_error()).count();
    out.todo = crate::model::todo::open_count(&loaded.file.text);
}

/// Every file of the document written beside its final name; nothing is in
/// place yet. A failure drops (removes) what was staged.
fn stage_all(
    pdf_path: &Path,
    pdf: Vec<u8>,
    typeset: &pipeline::Typeset,
    budget: &crate::model::Budget,
    args: &Options,
    log: &mut String,
) -> Result<Vec<output::Staged>, String> {
    let view = &typeset.view;
    let mut files = vec![(pdf_path.to_path_buf(), pdf)];
    // The text as printed, read back once for every output made from it.
    let outline = (args.emit_data || args.html || args.docx).then(|| typeset.outline());
    if let Some(o) = outline.as_ref().filter(|_| args.emit_data) {
        let json = serde_json::to_vec_pretty(view).expect("the view serializes");
        files.push((pdf_path.with_extension("json"), json));
        files.push((pdf_path.with_extension("outline.json"), o.to_json().into_bytes()));
    }
    if args.xlsx {
        let xlsx = pdf_path.with_extension("xlsx");
        match &view.tables {
            Some(t) => {
                let bytes = crate::export::xlsx::workbook(t, budget).map_err(|e| {
                    format!("无法生成 {}：{e}；{}", shown(&xlsx), unwritten(&files, &xlsx))
                })?;
                files.push((xlsx, bytes));
            }
            None => {
                let _ = writeln!(
                    log,
                    "警告：没有预算明细（line_items），没有附表，未生成 {}",
                    shown(&xlsx)
                );
            }
        }
    }
    if let Some(o) = outline.as_ref().filter(|_| args.html) {
        let page = crate::export::html::page(o);
        files.push((pdf_path.with_extension("html"), page.into_bytes()));
    }
    if let Some(o) = outline.as_ref().filter(|_| args.docx) {
        let docx = pdf_path.with_extension("docx");
        let bytes = crate::export::docx::document(o)
            .map_err(|e| format!("{e}；{}", unwritten(&files, &docx)))?;
        files.push((docx, bytes));
    }
    let mut staged = Vec::new();
    for (path, bytes) in &files {
        let s =
            output::stage(path, bytes).map_err(|e| format!("{e}；{}", unwritten(&files, path)))?;
        staged.push(s);
    }
    Ok(staged)
}

/// “未写入 a、b、c，原有文件保持不变”: every file of the document.
fn unwritten(files: &[(PathBuf, Vec<u8>)], failed: &Path) -> String {
    let mut names: Vec<String> = files.iter().map(|(p, _)| shown(p)).collect();
    if !files.iter().any(|(p, _)| p == failed) {
        names.push(shown(failed));
    }
    format!("本文件的 {} 都未写入，原有文件保持不变", names.join("、"))
}

/// Puts the staged files in place and says what was written.
fn commit(staged: Vec<output::Staged>, log: &mut String) -> Result<(), String> {
    let all: Vec<PathBuf> = staged.iter().map(|s| s.dest().to_path_buf()).collect();
    let (written, error) = output::commit_all(staged);
    for p in written.iter().filter(|p| p.extension().is_some_and(|e| e != "pdf")) {
        let _ = writeln!(log, "已生成 {}", shown(p));
    }
    match error {
        None => Ok(()),
        Some(e) => {
            let rest: Vec<String> = all[written.len()..].iter().map(|p| shown(p)).collect();
            let done: Vec<String> = written.iter().map(|p| shown(p)).collect();
            Err(format!("{e}；已写入：{}；未写入：{}", or_none(&done), rest.join("、")))
        }
    }
}

fn or_none(names: &[String]) -> String {
    if names.is_empty() { "无".to_string() } else { names.join("、") }
}

/// Whether the PDF is a draft: asked for, or a file whose `[todo]` still
/// has open items (unless `--final` says otherwise). Either way the log
/// says so, since the officer must not take a draft for the real thing.
fn draft_state(text: &str, b: &crate::model::Budget, args: &Options, log: &mut String) -> bool {
    // A 决算 counts its budget's open items too (checks::final_accounts).
    let open = crate::checks::final_accounts::open_count(b, text);
    if open == 0 {
        return args.draft;
    }
    if args.final_ {
        log.push_str(&format!(
            "注意：[todo] 中还有 {open} 项未更新，按 --final 生成了不带水印的正式版\n"
        ));
        return false;
    }
    log.push_str(&format!(
        "草稿：[todo] 中还有 {open} 项待更新（yusuan check 逐项列出），PDF 每页加了“草稿”水印；\
         全部更新后重新生成即为正式版（确需提前生成正式版时加 --final）\n"
    ));
    true
}
