//! 批量生成的进度：终端上是一条进度条，否则每个文件一行；最后列出生成与失败的清单。

use crate::error::shown;
use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::path::PathBuf;

use crate::batch::Outcome;

/// Shows progress: a bar on a terminal, one plain line per file otherwise.
pub struct Progress {
    total: usize,
    done: usize,
    /// The files that failed and why, for the closing list (only these are
    /// kept: each file's messages are printed as it is done).
    failures: Vec<(PathBuf, String)>,
    bar: bool,
}

impl Progress {
    pub fn new(total: usize) -> Progress {
        Progress {
            total,
            done: 0,
            failures: Vec::new(),
            bar: std::io::stderr().is_terminal() && total > 1,
        }
    }

    pub fn record(&mut self, o: Outcome) {
        self.done += 1;
        let mut text = o.log;
        match o.result {
            Ok((pdf, pages)) => {
                if !self.bar {
                    let _ = writeln!(text, "已生成 {}（{} 页）", shown(&pdf), pages);
                }
            }
            Err(why) => {
                let _ = writeln!(text, "{}：{why}", shown(&o.input));
                self.failures.push((o.input, why));
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
            self.failures.len()
        )
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
            "共 {} 个文件：生成 {} 个，失败 {} 个",
            self.total,
            self.total - failed,
            failed
        );
        for (input, why) in &self.failures {
            crate::error::errln!("  失败：{}（{why}）", shown(input));
        }
    }
}
