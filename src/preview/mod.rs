//! `yusuan preview`：在本机浏览器中实时预览一个数据文件。
//!
//! One thread owns the Engine: it sleeps until the data file, the templates
//! or the font folders change (file-system events), then rebuilds and
//! publishes a new revision in `state::Shared`. HTTP threads only read the latest snapshot, so a
//! slow browser never holds up a rebuild, and a bad input only yields a
//! revision with errors over the last good pages. The draft watermark is
//! always on: a preview is never the published document.

mod bench;
mod rebuild;
mod server;
mod state;
mod watch;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use crate::error::Error;
use crate::pipeline::Environment;
use rebuild::{Builder, Later};
use state::{Outcome, Render, Shared, Snapshot};
use watch::{Changes, Watch};

/// What `yusuan preview` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The data file.
    pub file: PathBuf,
    /// The port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Open the page in the default browser.
    pub open: bool,
    /// Measure this many edits instead of serving (hidden option).
    pub bench_edits: Option<usize>,
    pub env: Environment,
    /// Seconds one rebuild may take and MiB the preview may hold (0: no
    /// limit), kept by `typeset::limits`.
    pub limits: (u64, u64),
}

pub fn run(args: &Options) -> Result<(), Error> {
    if let Some(edits) = args.bench_edits {
        return bench::run(args, edits);
    }
    if args.file.is_dir() {
        let dir = args.file.display();
        return Err(Error::Preview(format!("{dir} 是目录；预览一次只看一个数据文件（.toml）")));
    }
    if !args.file.is_file() {
        return Err(Error::MissingPath(args.file.clone()));
    }
    let session = Session::start(&args.file, &args.env, args.port, args.limits)?;
    let url = format!("http://{}/", session.addr);
    crate::error::errln!("预览地址：{url}（按 Ctrl+C 结束）");
    if args.open {
        open_browser(&url);
    }
    session.watch_until(&AtomicBool::new(false));
    Ok(())
}

/// A running preview: the server, and the state the watch loop updates.
struct Session {
    addr: SocketAddr,
    shared: Arc<Shared>,
    builder: Builder,
    watch: Watch,
    /// The data file's name and the limits each rebuild keeps.
    limits: (String, u64, u64),
    /// Counts the builds begun: a revision's PDF export, which runs after
    /// it is on show, is skipped once a newer build has begun.
    builds: Arc<AtomicU64>,
}

impl Session {
    /// Binds the port first, so a busy port fails before the slow first
    /// build; the page shows revision 1 as soon as it is ready.
    fn start(
        file: &Path,
        env: &Environment,
        port: u16,
        limits: (u64, u64),
    ) -> Result<Session, Error> {
        let shared = Arc::new(Shared::new(file.display().to_string()));
        let addr = server::start(port, shared.clone())?;
        let watch = Watch::new(file, env);
        let builder = Builder::new(file, env);
        let limits = (file.display().to_string(), limits.0, limits.1);
        let builds = Arc::new(AtomicU64::new(0));
        let mut session = Session { addr, shared, builder, watch, limits, builds };
        session.rebuild(Changes::default());
        Ok(session)
    }

    /// Rebuilds on every change until `stop` is set (and the watch woken).
    fn watch_until(mut self, stop: &AtomicBool) {
        while !stop.load(Ordering::Relaxed) {
            let changes = self.watch.wait();
            if changes.any() {
                self.rebuild(changes);
            }
        }
    }

    fn rebuild(&mut self, changes: Changes) {
        let (started, cpu) = (Instant::now(), state::thread_cpu());
        let build = self.builds.fetch_add(1, Ordering::SeqCst) + 1;
        let (name, secs, mib) = &self.limits;
        let _limits = crate::typeset::limits::Watch::start(name, *secs, *mib);
        if changes.fonts {
            self.builder.reload_fonts();
        } else if changes.templates {
            self.builder.reload_templates();
        }
        let viewing = self.shared.viewing();
        let mut outcome = self.guarded(|b| b.build(viewing)).unwrap_or_else(internal_error);
        outcome.timings.total = started.elapsed();
        outcome.timings.cpu = cpu.zip(state::thread_cpu()).map(|(a, b)| b.saturating_sub(a));
        let later = self.builder.later();
        let snap = self.shared.publish(outcome);
        log(&snap);
        if let (Some(later), Some(render), true) = (later, snap.render.clone(), snap.ok) {
            let (shared, builds) = (self.shared.clone(), self.builds.clone());
            let superseded = move || builds.load(Ordering::SeqCst) != build;
            std::thread::spawn(move || finish(later, &render, &shared, superseded));
        }
    }

    /// Runs a step of the build; a panic in Typst (a bug, but input can
    /// trigger it) gives `None` instead of ending the preview.
    fn guarded<T>(&mut self, step: impl FnOnce(&mut Builder) -> T) -> Option<T> {
        let builder = &mut self.builder;
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| step(builder))).ok()
    }
}

/// The rest of a revision on show: its other pages, its web page, its
/// PDF. If the export fails (or the work panics), the errors become the
/// next revision, unless another was published meanwhile.
fn finish(later: Later, render: &Arc<Render>, shared: &Shared, superseded: impl Fn() -> bool) {
    let pages = render.pages.clone();
    let run = std::panic::AssertUnwindSafe(|| later.finish(render, superseded));
    let errors = match std::panic::catch_unwind(run) {
        Ok(Ok(())) => return,
        Ok(Err(errors)) => errors,
        Err(_) => {
            Later::abandon(&pages, render);
            internal_error().errors
        }
    };
    let outcome = Outcome { errors, ..Outcome::default() };
    if let Some(snap) = shared.publish_if(outcome, |now| now.revision == render.revision) {
        log(&snap);
    }
}

fn internal_error() -> Outcome {
    let message = "错误：排版时程序内部出错（详见终端）；修改输入后会重试";
    Outcome { errors: vec![message.to_string()], ..Outcome::default() }
}

/// One line per revision on the terminal, with the errors in full as
/// `yusuan check` prints them.
fn log(snap: &Snapshot) {
    let ms = snap.timings.total.as_secs_f64() * 1000.0;
    let warnings = match snap.warnings.len() {
        0 => String::new(),
        n => format!("，{n} 个警告"),
    };
    if snap.ok {
        let pages = snap.render.as_ref().map_or(0, |r| r.pages.len());
        crate::error::errln!("第 {} 版：{pages} 页，用时 {ms:.0} 毫秒{warnings}", snap.revision);
        return;
    }
    for e in &snap.errors {
        crate::error::errln!("{e}\n");
    }
    let kept = match snap.render.as_ref() {
        Some(r) => format!("页面保留第 {} 版的排版", r.revision),
        None => "还没有可显示的排版".to_string(),
    };
    crate::error::errln!("第 {} 版：{} 个错误{warnings}，{kept}", snap.revision, snap.errors.len());
}

/// Starts the system's browser; a failure only costs the user a click.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else {
        std::process::Command::new("xdg-open")
    };
    command.arg(url).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    match command.spawn() {
        // Reap the launcher when it exits rather than leave a zombie.
        Ok(mut child) => drop(std::thread::spawn(move || child.wait())),
        Err(e) => crate::error::errln!("警告：无法打开浏览器（{e}），请手动打开 {url}"),
    }
}
