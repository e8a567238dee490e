//! 批量生成的进度：终端上是一条进度条（完成数、已用时间、预计剩余时间、正在生成的文件），
//! 否则不画进度条；多个文件时每个文件一行（页数、警告数）；最后列出生成与失败的清单。

use crate::error::shown;
use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use unicode_width::UnicodeWidthStr;

use crate::batch::{Event, Outcome};

/// Shows progress: a bar on a terminal, plain lines otherwise.
pub struct Progress {
    total: usize,
    done: usize,
    /// The files that failed and why, for the closing list (only these are
    /// kept: each file's messages are printed as it is done).
    failures: Vec<(PathBuf, String)>,
    bar: bool,
    started: Instant,
    /// The files being built now, in the order they were started.
    running: Vec<PathBuf>,
}

impl Progress {
    pub fn new(total: usize) -> Progress {
        Progress {
            total,
            done: 0,
            failures: Vec::new(),
            bar: std::io::stderr().is_terminal() && total > 1,
            started: Instant::now(),
            running: Vec::new(),
        }
    }

    /// Takes one event of the batch.
    pub fn event(&mut self, e: Event) {
        match e {
            Event::Started(path) => {
                self.running.push(path);
                self.redraw("");
            }
            Event::Done(o) => {
                if let Some(i) = self.running.iter().position(|p| *p == o.input) {
                    self.running.remove(i);
                }
                self.record(o);
            }
            Event::Tick => self.redraw(""),
        }
    }

    fn record(&mut self, o: Outcome) {
        self.done += 1;
        let mut text = o.log;
        match o.result {
            Ok((pdf, pages)) if self.total > 1 => {
                let _ = writeln!(
                    text,
                    "已生成 {}（{pages} 页），{}",
                    shown(&pdf),
                    said(o.warnings, o.todo)
                );
            }
            Ok((pdf, pages)) => {
                let _ = writeln!(text, "已生成 {}（{} 页）", shown(&pdf), pages);
            }
            Err(why) => {
                let _ = writeln!(text, "{}：{why}", shown(&o.input));
                self.failures.push((o.input, why));
            }
        }
        if self.bar {
            self.redraw(&text);
        } else {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "{text}");
            let _ = err.flush();
        }
    }

    /// Prints `text` above the bar and draws the bar again (a terminal only).
    fn redraw(&self, text: &str) {
        if !self.bar {
            return;
        }
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[K{text}{}", self.bar_line(columns()));
        let _ = err.flush();
    }

    /// `[████░░░░] 12/60  失败 0  已用 0:23  约剩 1:40  正在：a.toml、b.toml`,
    /// cut to `width` columns so that it stays one line.
    fn bar_line(&self, width: usize) -> String {
        let cells = 20;
        let filled = cells * self.done / self.total.max(1);
        let elapsed = self.started.elapsed();
        let mut line = format!(
            "[{}{}] {}/{}  失败 {}  已用 {}",
            "█".repeat(filled),
            "░".repeat(cells - filled),
            self.done,
            self.total,
            self.failures.len(),
            clock(elapsed)
        );
        if let Some(left) = remaining(elapsed, self.done, self.total) {
            let _ = write!(line, "  约剩 {}", clock(left));
        }
        if !self.running.is_empty() {
            let names: Vec<String> = self.running.iter().map(|p| file_name(p)).collect();
            let _ = write!(line, "  正在：{}", names.join("、"));
        }
        cut(&line, width.saturating_sub(1))
    }

    /// How many files failed so far.
    pub fn failed(&self) -> usize {
        self.failures.len()
    }

    /// Ends the bar and prints the summary: how many built, which failed and why.
    pub fn finish(&self) {
        if self.bar {
            crate::error::errln!();
        }
        let failed = self.failures.len();
        crate::error::errln!(
            "共 {} 个文件：生成 {} 个，失败 {} 个，用时 {}",
            self.total,
            self.total - failed,
            failed,
            clock(self.started.elapsed())
        );
        for (input, why) in &self.failures {
            crate::error::errln!("  失败：{}（{why}）", shown(input));
        }
    }
}

/// “无警告”, “警告 3 个”, “警告 3 个（其中待办 2 项）”.
fn said(warnings: usize, todo: usize) -> String {
    match (warnings, todo) {
        (0, _) => "无警告".to_string(),
        (w, 0) => format!("警告 {w} 个"),
        (w, t) => format!("警告 {w} 个（其中待办 {t} 项）"),
    }
}

/// The time the rest will take at the pace so far; none before a file is done.
fn remaining(elapsed: Duration, done: usize, total: usize) -> Option<Duration> {
    (done > 0 && done < total).then(|| elapsed.mul_f64((total - done) as f64 / done as f64))
}

/// `1:05` (minutes:seconds), `1:02:03` past an hour.
fn clock(d: Duration) -> String {
    let s = d.as_secs();
    match s / 3600 {
        0 => format!("{}:{:02}", s / 60, s % 60),
        h => format!("{h}:{:02}:{:02}", s / 60 % 60, s % 60),
    }
}

/// The file's name alone, control characters escaped.
fn file_name(p: &std::path::Path) -> String {
    let name =
        p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into());
    crate::error::safe(&name)
}

/// The terminal's width where the shell says (`COLUMNS`), else 80.
fn columns() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
        .filter(|c| *c > 20)
        .unwrap_or(80)
}

/// The longest start of `s` at most `width` columns wide, “…” marking a cut.
fn cut(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if out.width() + c.to_string().width() + 1 > width {
            break;
        }
        out.push(c);
    }
    out + "…"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_the_estimate() {
        assert_eq!(clock(Duration::from_secs(65)), "1:05");
        assert_eq!(clock(Duration::from_secs(3723)), "1:02:03");
        let left = remaining(Duration::from_secs(30), 10, 40).unwrap();
        assert_eq!(left.as_secs(), 90);
        assert!(remaining(Duration::from_secs(3), 0, 40).is_none());
        assert!(remaining(Duration::from_secs(3), 40, 40).is_none());
    }

    #[test]
    fn the_bar_stays_on_one_line() {
        let mut p = Progress::new(60);
        p.done = 12;
        p.running =
            vec![PathBuf::from("data/市人大常委会办公室-很长的名字-2021.toml"); 4];
        let line = p.bar_line(60);
        assert!(line.width() <= 59, "{line}");
        assert!(line.starts_with("[████░░░░░░░░░░░░░░░░] 12/60  失败 0  已用 0:00"), "{line}");
        assert!(line.ends_with('…'), "{line}");
        let wide = p.bar_line(400);
        assert!(wide.contains("约剩") && wide.contains("正在：市人大常委会办公室"), "{wide}");
    }

    #[test]
    fn warnings_are_counted_in_words() {
        assert_eq!(said(0, 0), "无警告");
        assert_eq!(said(3, 0), "警告 3 个");
        assert_eq!(said(5, 2), "警告 5 个（其中待办 2 项）");
    }
}
