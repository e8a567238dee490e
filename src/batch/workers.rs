//! 批量生成的排版进程：每个并行的位置一个子进程（同一个程序的隐藏子命令），生成若干份后换新，内存因此有上限。
//!
//! Each slot (one per job) is a thread of this process that owns one child
//! at a time: it hands the child the next file, reads back its outcome
//! (`serve::Reply`) and passes it on as the in-process batch does. A child
//! is replaced after `RENEW_DOCUMENTS` files, or as soon as it holds
//! `RENEW_MIB` after one: whatever a process keeps from the documents it
//! laid out is given back when it exits.
//!
//! The batch's promises hold as with threads. Each child writes its
//! document's files itself, all or nothing (`export::output`). A child
//! that dies (a panic, the system's out-of-memory killer) fails only the
//! file it was building, which is listed with what the child printed; the
//! next file gets a new child. A child stopped by a limit
//! (`typeset::limits`: its time limit, exit code 1) stops the run as a
//! single process does: its message is printed, the other children are
//! ended before they write, and the exit code is 1. The memory limit is
//! the run's: this process adds up its children's memory and its own.

use std::collections::HashMap;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::batch::serve::{Reply, resident_mib};
use crate::batch::{Event, Options, Outcome, jobs, relay};

/// How to start a worker: this program, with the hidden subcommand and the
/// options of the run.
#[derive(Debug, Clone)]
pub struct Spawn {
    pub program: PathBuf,
    pub args: Vec<OsString>,
}

/// A worker is replaced after this many documents…
const RENEW_DOCUMENTS: usize = 100;

/// …or as soon as it holds this much memory (MiB) after one.
const RENEW_MIB: u64 = 180;

/// When a worker is replaced: `RENEW_DOCUMENTS` and `RENEW_MIB`, unless
/// `YUSUAN_WORKER_RENEW=documents,MiB` says otherwise (benchmarks, tests).
fn renew() -> (usize, u64) {
    let given = std::env::var("YUSUAN_WORKER_RENEW").ok().and_then(|v| {
        let (n, m) = v.split_once(',')?;
        Some((n.trim().parse().ok()?, m.trim().parse().ok()?))
    });
    given.unwrap_or((RENEW_DOCUMENTS, RENEW_MIB))
}

/// How often the run's memory is added up against `--memory-limit`.
const MEMORY_TICK: Duration = Duration::from_millis(50);

/// The most of a worker's own messages kept, for a worker that dies.
const STDERR_KEPT: usize = 16 * 1024;

/// Builds every input in worker processes, `jobs` at a time; events come
/// to `on_event` on the calling thread as with `batch::build_all`. Refuses
/// (before building anything) when a path cannot be handed to a worker
/// (not Unicode) or no worker can be started: the caller then builds in
/// this process.
pub fn build_all(
    inputs: &[PathBuf],
    args: &Options,
    spawn: &Spawn,
    on_event: impl FnMut(Event),
) -> Result<(), String> {
    if std::env::var_os("YUSUAN_WORKERS").is_some_and(|v| v == "0") {
        return Err("YUSUAN_WORKERS=0：在本进程中生成".to_string());
    }
    if let Some(p) = inputs.iter().find(|p| p.to_str().is_none()) {
        return Err(format!("文件名不是 Unicode：{}", p.display()));
    }
    let children = Children::default();
    let first = Worker::start(spawn, &children)?;
    let next = AtomicUsize::new(0);
    let finished = AtomicBool::new(false);
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|scope| {
        let mut first = Some(first);
        for _ in 0..jobs(args, inputs.len()) {
            let (tx, worker, next, children) = (tx.clone(), first.take(), &next, &children);
            scope.spawn(move || slot(worker, inputs, next, spawn, children, &tx));
        }
        drop(tx);
        if args.limits.1 > 0 {
            let (children, finished) = (&children, &finished);
            scope.spawn(move || watch_memory(children, args.limits.1, finished));
        }
        relay(&rx, on_event);
        finished.store(true, Ordering::Relaxed);
    });
    Ok(())
}

/// One slot: builds files until none is left, with a worker it renews.
fn slot(
    mut worker: Option<Worker>,
    inputs: &[PathBuf],
    next: &AtomicUsize,
    spawn: &Spawn,
    children: &Children,
    tx: &mpsc::Sender<Event>,
) {
    let (most, mib) = renew();
    while let Some(path) = inputs.get(next.fetch_add(1, Ordering::Relaxed)) {
        let _ = tx.send(Event::Started(path.clone()));
        let mut w = match worker.take().map_or_else(|| Worker::start(spawn, children), Ok) {
            Ok(w) => w,
            Err(why) => {
                let _ = tx.send(Event::Done(failed(path, why, String::new())));
                continue;
            }
        };
        match w.build(path) {
            Some(reply) => {
                w.built += 1;
                let full = reply.resident_mib.is_some_and(|m| m >= mib);
                let _ = tx.send(Event::Done(reply.outcome()));
                if w.built < most && !full {
                    worker = Some(w);
                } else {
                    w.end(children);
                }
            }
            None => {
                let (status, said) = w.end(children);
                let _ = tx.send(Event::Done(died(path, status, said, children)));
            }
        }
    }
    if let Some(w) = worker {
        w.end(children);
    }
}

/// The outcome of a file whose worker died building it. A worker that
/// stopped itself on a limit (exit code 1, its message said) stops the
/// run instead, as a single process would.
fn died(path: &Path, status: Option<ExitStatus>, said: String, children: &Children) -> Outcome {
    let code = status.and_then(|s| s.code());
    if code == Some(1) {
        stop(children, said.trim_end());
    }
    let last = said.lines().rev().find(|l| !l.trim().is_empty()).map(crate::error::safe);
    let why = match (code, last) {
        (None, _) => "排版进程被系统终止（可能是内存不足），未生成 PDF".to_string(),
        (Some(c), None) => format!("排版进程意外退出（退出码 {c}），未生成 PDF"),
        (Some(c), Some(l)) => format!("排版进程意外退出（退出码 {c}：{l}），未生成 PDF"),
    };
    failed(path, why, said)
}

fn failed(path: &Path, why: String, said: String) -> Outcome {
    let log = if said.trim().is_empty() {
        String::new()
    } else {
        format!("{}\n", crate::error::safe(said.trim_end()))
    };
    Outcome {
        input: path.to_path_buf(),
        log,
        result: Err(why),
        shared: Vec::new(),
        warnings: 0,
        todo: 0,
    }
}

/// Ends the run: every worker is killed before it puts a file in place
/// (what it staged stays a temporary file, which the next run removes),
/// and the reason is printed. Exit code 1, as `typeset::limits` does.
fn stop(children: &Children, message: &str) -> ! {
    children.kill_all();
    let message = match message {
        "" => "错误：排版进程停止，本次运行中止".to_string(),
        m => m.to_string(),
    };
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "\n{message}");
    let _ = err.flush();
    std::process::exit(1)
}

/// Adds up the memory of this process and its workers until the run is
/// finished; over `limit` MiB, stops the run.
fn watch_memory(children: &Children, limit: u64, finished: &AtomicBool) {
    while !finished.load(Ordering::Relaxed) {
        std::thread::sleep(MEMORY_TICK);
        let pids = children.pids();
        let theirs: u64 = pids.iter().filter_map(|p| resident_mib(Some(*p))).sum();
        let used = resident_mib(None).unwrap_or(0) + theirs;
        if used > limit {
            stop(
                children,
                &format!(
                    "错误：排版时本次运行（{} 个排版进程）共占用内存 {used} MiB，超过上限 {limit} MiB，已停止（模板可能在生成过大的数据；上限可用 --memory-limit MiB 或环境变量 YUSUAN_MEMORY_LIMIT 调整，0 为不限）\n已写出的文件保留；正在生成的文件未写入，其原有文件保持不变。",
                    pids.len()
                ),
            );
        }
    }
}

/// The running workers, by a number of their own, so that any thread can
/// end them all.
#[derive(Default)]
struct Children {
    running: Mutex<HashMap<u64, Child>>,
    next: AtomicU64,
}

impl Children {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Child>> {
        self.running.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn add(&self, child: Child) -> u64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        self.lock().insert(id, child);
        id
    }

    /// Waits for a worker to exit; it is no longer counted or killed.
    fn wait(&self, id: u64) -> Option<ExitStatus> {
        let child = self.lock().remove(&id);
        child.and_then(|mut c| c.wait().ok())
    }

    fn pids(&self) -> Vec<u32> {
        self.lock().values().map(Child::id).collect()
    }

    fn kill_all(&self) {
        for child in self.lock().values_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// One worker process and its pipes.
struct Worker {
    id: u64,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    /// Reads what the worker prints for a person (kept for a death).
    stderr: Option<JoinHandle<String>>,
    built: usize,
}

impl Worker {
    fn start(spawn: &Spawn, children: &Children) -> Result<Worker, String> {
        let mut child = Command::new(&spawn.program)
            .args(&spawn.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("无法启动排版进程 {}：{e}", spawn.program.display()))?;
        let pipes = (child.stdin.take(), child.stdout.take(), child.stderr.take());
        let (Some(stdin), Some(stdout), Some(stderr)) = pipes else {
            let _ = child.kill();
            return Err("无法连接排版进程".to_string());
        };
        let stderr = std::thread::spawn(move || kept_tail(stderr));
        let id = children.add(child);
        Ok(Worker {
            id,
            stdin: Some(stdin),
            stdout: BufReader::new(stdout),
            stderr: Some(stderr),
            built: 0,
        })
    }

    /// Has the worker build `path`; `None` when it died instead of
    /// replying.
    fn build(&mut self, path: &Path) -> Option<Reply> {
        let request = serde_json::to_string(path).ok()?;
        let stdin = self.stdin.as_mut()?;
        stdin.write_all(format!("{request}\n").as_bytes()).and_then(|()| stdin.flush()).ok()?;
        let mut line = String::new();
        match self.stdout.read_line(&mut line) {
            Ok(n) if n > 0 => serde_json::from_str(&line).ok(),
            _ => None,
        }
    }

    /// Closes the worker's input, which ends it, and waits; its exit
    /// status and what it printed.
    fn end(mut self, children: &Children) -> (Option<ExitStatus>, String) {
        drop(self.stdin.take());
        let status = children.wait(self.id);
        let said = self.stderr.take().and_then(|h| h.join().ok()).unwrap_or_default();
        (status, said)
    }
}

/// Everything read from `r` until it ends, only the last `STDERR_KEPT`
/// bytes kept.
fn kept_tail(mut r: impl Read) -> String {
    let mut kept = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = r.read(&mut buf) {
        if n == 0 {
            break;
        }
        kept.extend_from_slice(&buf[..n]);
        if kept.len() > 2 * STDERR_KEPT {
            kept.drain(..kept.len() - STDERR_KEPT);
        }
    }
    String::from_utf8_lossy(&kept).into_owned()
}
