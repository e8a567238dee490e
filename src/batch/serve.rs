//! 排版进程的一侧：从标准输入逐行读要生成的文件，逐个生成，每个文件的结果写一行到标准输出。
//!
//! The lines are JSON: a request is the data file's path as a string, a
//! reply a [`Reply`]. Nothing else is written to standard output, so the
//! parent reads it as it is; messages meant for a person are in the
//! reply's log. The process ends when its input ends (the parent retires
//! it, or is gone).

use std::io::{self, BufRead, Write};
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::batch::{Engines, Options, Outcome, build_one};
use crate::pipeline::Profiles;
use crate::typeset::fonts::FontSet;

/// One document's outcome as it travels from a worker to the batch.
#[derive(Debug, Serialize, Deserialize)]
pub struct Reply {
    pub input: PathBuf,
    pub log: String,
    /// The PDF written and its page count…
    pub pdf: Option<(PathBuf, usize)>,
    /// …or why none was.
    pub error: Option<String>,
    pub warnings: usize,
    pub todo: usize,
    /// Findings shared with other files of the run (checks::summary).
    pub shared: Vec<crate::checks::summary::Shared>,
    /// The worker's resident memory after the document, MiB, where the
    /// system says: the batch replaces a worker that holds too much.
    pub resident_mib: Option<u64>,
}

impl Reply {
    fn of(o: Outcome) -> Reply {
        let (pdf, error) = match o.result {
            Ok(done) => (Some(done), None),
            Err(why) => (None, Some(why)),
        };
        let (input, log, warnings, todo, shared) = (o.input, o.log, o.warnings, o.todo, o.shared);
        let resident_mib = resident_mib(None);
        Reply { input, log, pdf, error, warnings, todo, shared, resident_mib }
    }

    pub fn outcome(self) -> Outcome {
        let result = match (self.pdf, self.error) {
            (Some(done), None) => Ok(done),
            (_, why) => Err(why.unwrap_or_else(|| "排版进程没有给出结果".to_string())),
        };
        let (input, log, warnings, todo) = (self.input, self.log, self.warnings, self.todo);
        Outcome { input, log, result, shared: self.shared, warnings, todo }
    }
}

/// Builds each file named on `input`, one reply line each, until `input`
/// ends. A line that is not a path in JSON ends the worker with an error.
pub fn serve(
    args: &Options,
    env: (Arc<FontSet>, Arc<Profiles>),
    input: impl BufRead,
    mut output: impl Write,
) -> io::Result<()> {
    let mut engines = Engines::new(env.0, env.1);
    for line in input.lines() {
        let path: PathBuf = serde_json::from_str(&line?).map_err(io::Error::other)?;
        let reply = Reply::of(build_one(&mut engines, &path, args));
        serde_json::to_writer(&mut output, &reply)?;
        output.write_all(b"\n")?;
        output.flush()?;
    }
    Ok(())
}

/// The resident memory of a process (this one for `None`), MiB, where the
/// system says (Linux's /proc).
pub fn resident_mib(pid: Option<u32>) -> Option<u64> {
    let who = pid.map_or("self".to_string(), |p| p.to_string());
    let status = std::fs::read_to_string(format!("/proc/{who}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}
