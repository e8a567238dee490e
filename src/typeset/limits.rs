//! 排版的时间与内存上限：模板陷入长循环或耗尽内存时，停下并说明，而不是卡死或崩溃。
//!
//! Typst cannot be interrupted in the middle of a compile, so the limits
//! are kept by a watchdog thread: when one document's compile and export
//! run longer than the time limit, or the process holds more memory than
//! the memory limit, it prints why and ends the process with exit code 1.
//! Files already put in place stay; the documents in progress were only
//! staged, so their previous files are unchanged (README, “出错时的保证”),
//! and the next run removes their temporary files.

use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Seconds one document may take by default: the largest real documents
/// take a few seconds; a template caught in a loop never ends.
pub const DEFAULT_SECONDS: u64 = 300;

/// Memory the whole run may hold by default, in MiB.
pub const DEFAULT_MIB: u64 = 4096;

/// How often the watchdog looks.
const TICK: Duration = Duration::from_millis(20);

/// Watches one document's typesetting until dropped.
pub struct Watch {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Watch {
    /// Starts watching the typesetting of `name`; a limit of 0 is no limit.
    pub fn start(name: &str, seconds: u64, mib: u64) -> Watch {
        Watch::doing(name, "排版", seconds, mib)
    }

    /// Starts watching another step (`doing`: 核对, 读取, 比较…) of `name`:
    /// every command that reads or compiles user files keeps the limits.
    pub fn doing(name: &str, doing: &'static str, seconds: u64, mib: u64) -> Watch {
        if seconds == 0 && mib == 0 {
            return Watch { stop: None, thread: None };
        }
        let (tx, rx) = mpsc::channel::<()>();
        let name = crate::error::safe(name);
        let thread = std::thread::Builder::new()
            .name("yusuan-limits".into())
            .spawn(move || watch(&rx, &name, doing, (seconds, mib)))
            .ok();
        Watch { stop: Some(tx), thread }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn watch(rx: &mpsc::Receiver<()>, name: &str, doing: &str, (seconds, mib): (u64, u64)) {
    let started = Instant::now();
    let (slow, big) = match doing {
        "排版" => ("模板可能陷入了长循环", "模板可能在生成过大的数据"),
        _ => ("输入可能过大或过于复杂", "输入可能过大"),
    };
    // Measured first, then every tick: a run already over its memory limit
    // when the step begins stops however short the step is.
    loop {
        if seconds > 0 && started.elapsed() > Duration::from_secs(seconds) {
            stop(&format!(
                "{name} {doing}超过时间上限 {seconds} 秒，已停止（{slow}；上限可用 --time-limit 秒数 或环境变量 YUSUAN_TIME_LIMIT 调整，0 为不限）"
            ));
        }
        if let Some(used) = resident_mib().filter(|used| mib > 0 && *used > mib) {
            stop(&format!(
                "{name} {doing}时占用内存 {used} MiB，超过上限 {mib} MiB，已停止（{big}；上限可用 --memory-limit MiB 或环境变量 YUSUAN_MEMORY_LIMIT 调整，0 为不限）"
            ));
        }
        match rx.recv_timeout(TICK) {
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            _ => return,
        }
    }
}

fn stop(why: &str) -> ! {
    crate::error::errln!(
        "错误：{why}\n已写出的文件保留；正在生成的文件未写入，其原有文件保持不变。"
    );
    std::process::exit(1)
}

/// The memory the process holds (resident set), where the system says.
fn resident_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}
