//! A batch in worker processes (src/batch/workers.rs) keeps the promises of
//! one process: the same files, a failure listed and the others built, the
//! limits, one line per file with its warnings. Every run is the real
//! binary; workers are children of it.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{root, stderr};

/// Runs yusuan in `dir` with extra environment.
fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_yusuan"));
    cmd.args(args).current_dir(dir).env_remove("YUSUAN_FONT_PATHS");
    cmd.env_remove("SOURCE_DATE_EPOCH").env_remove("YUSUAN_WORKERS");
    cmd.envs(env.iter().copied()).output().expect("yusuan runs")
}

/// A folder with two departments (the multi-unit sample under two names),
/// next year's draft of one (open 待办) and a broken file.
fn departments(dir: &Path) {
    let text = fs::read_to_string(root().join("data/215001-2021.toml")).unwrap();
    fs::write(dir.join("a.toml"), &text).unwrap();
    let renamed = text.replacen("name = \"", "name = \"第二", 1);
    assert_ne!(renamed, text);
    fs::write(dir.join("b.toml"), renamed).unwrap();
    let new = run(dir, &["new", "--from", "a.toml", "--year", "2022", "-o", "c.toml"], &[]);
    assert!(new.status.success(), "{}", stderr(&new));
    fs::write(dir.join("zz-broken.toml"), "[document]\nyear = \"x\"\n").unwrap();
}

fn pdfs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
        .iter()
        .map(|p| (p.file_name().unwrap().to_string_lossy().into(), fs::read(p).unwrap()))
        .collect()
}

/// Workers replaced after every file write byte for byte what threads of
/// one process write; the broken file is listed, the others are built, and
/// each file's line says its pages and warnings.
#[test]
fn workers_write_what_one_process_writes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    fs::create_dir(&data).unwrap();
    departments(&data);
    let args = |out: &'static str| ["build", "data", "-o", out, "--no-system-fonts", "-j", "2"];
    let workers = run(dir.path(), &args("w"), &[("YUSUAN_WORKER_RENEW", "1,100000")]);
    let threads = run(dir.path(), &args("t"), &[("YUSUAN_WORKERS", "0")]);
    for o in [&workers, &threads] {
        let err = stderr(o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains("共 4 个文件：生成 3 个，失败 1 个"), "{err}");
        assert!(err.contains("失败：data/zz-broken.toml（数据有"), "{err}");
        assert!(err.contains("w/a.pdf（") || err.contains("t/a.pdf（"), "{err}");
    }
    let (w, t) = (pdfs(&dir.path().join("w")), pdfs(&dir.path().join("t")));
    assert_eq!(w.len(), 3);
    assert!(w == t, "workers and threads wrote different files");
    let err = stderr(&workers);
    let line = |name: &str| err.lines().find(|l| l.contains(name)).unwrap_or_default().to_string();
    // The sample's one warning: it is a sample (sample = true).
    assert!(line("w/a.pdf").ends_with(" 页），警告 1 个"), "{err}");
    let draft = line("w/c.pdf");
    assert!(draft.contains("警告 ") && draft.contains("（其中待办 "), "{draft}");
}

/// A copy of the templates that never finishes a document.
fn looping_templates(dir: &Path) {
    common::copy_templates(&dir.join("t"));
    let main = dir.join("t/hebei/main.typ");
    let mut text = fs::read_to_string(&main).unwrap();
    text.push_str("\n#{ let n = 0; for i in range(1000000000) { n += 1 }; n }\n");
    fs::write(main, text).unwrap();
}

/// Two departments with old PDFs in out/.
fn two_with_old_pdfs(dir: &Path) {
    for name in ["x", "y"] {
        fs::copy(root().join("data/215001-2021.toml"), dir.join(format!("{name}.toml"))).unwrap();
    }
    fs::create_dir(dir.join("out")).unwrap();
    for name in ["x", "y"] {
        fs::write(dir.join(format!("out/{name}.pdf")), "OLD").unwrap();
    }
}

fn old_pdfs_unchanged(dir: &Path) {
    for name in ["x", "y"] {
        assert_eq!(fs::read_to_string(dir.join(format!("out/{name}.pdf"))).unwrap(), "OLD");
    }
}

/// A worker past the time limit stops the run as one process does: its
/// message, exit code 1, no file of the run replaced.
#[test]
fn a_worker_past_the_time_limit_stops_the_run() {
    let dir = tempfile::tempdir().unwrap();
    looping_templates(dir.path());
    two_with_old_pdfs(dir.path());
    let args = ["build", "x.toml", "y.toml", "-o", "out", "--templates", "t", "--no-system-fonts"];
    let o = run(dir.path(), &[&args[..], &["--time-limit", "2", "-j", "2"]].concat(), &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("排版超过时间上限 2 秒，已停止"), "{err}");
    old_pdfs_unchanged(dir.path());
}

/// The memory limit is the run's: its processes added up.
#[test]
fn the_memory_limit_counts_every_worker() {
    let dir = tempfile::tempdir().unwrap();
    two_with_old_pdfs(dir.path());
    let args = ["build", "x.toml", "y.toml", "-o", "out", "--no-system-fonts", "-j", "2"];
    let o = run(dir.path(), &[&args[..], &["--memory-limit", "60"]].concat(), &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    // Said by the batch (its sum), not by one worker on its own.
    assert!(err.contains("个排版进程）共占用内存"), "{err}");
    assert!(err.contains("超过上限 60 MiB，已停止"), "{err}");
    old_pdfs_unchanged(dir.path());
}

/// The worker processes of a running yusuan (Linux's /proc): children of
/// any of its threads, since each slot's thread starts its own.
#[cfg(target_os = "linux")]
fn workers_of(pid: u32) -> Vec<String> {
    let tasks = fs::read_dir(format!("/proc/{pid}/task")).into_iter().flatten().flatten();
    let lists = tasks.map(|t| fs::read_to_string(t.path().join("children")).unwrap_or_default());
    lists.flat_map(|l| l.split_whitespace().map(String::from).collect::<Vec<_>>()).collect()
}

/// A worker killed by the system (as the out-of-memory killer would) fails
/// only the file it was building, which is listed with why; here both are
/// killed, so both are listed, and the old PDFs stay.
#[cfg(target_os = "linux")]
#[test]
fn a_killed_worker_fails_its_file_and_the_batch_says_so() {
    let dir = tempfile::tempdir().unwrap();
    looping_templates(dir.path());
    two_with_old_pdfs(dir.path());
    let child = Command::new(env!("CARGO_BIN_EXE_yusuan"))
        .args(["build", "x.toml", "y.toml", "-o", "out", "--templates", "t"])
        .args(["--no-system-fonts", "-j", "1", "--time-limit", "0"])
        .current_dir(dir.path())
        .env_remove("YUSUAN_WORKERS")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    // -j 1: one worker at a time; kill each as it appears, twice.
    let mut killed = Vec::new();
    while killed.len() < 2 && Instant::now() < deadline {
        let new: Vec<String> =
            workers_of(child.id()).into_iter().filter(|w| !killed.contains(w)).collect();
        for w in new {
            std::thread::sleep(Duration::from_millis(300));
            Command::new("kill").args(["-9", &w]).status().unwrap();
            killed.push(w);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let o = child.wait_with_output().unwrap();
    let err = stderr(&o);
    assert_eq!(killed.len(), 2, "two workers seen: {err}");
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("共 2 个文件：生成 0 个，失败 2 个"), "{err}");
    assert!(err.contains("失败：x.toml（排版进程被系统终止"), "{err}");
    assert!(err.contains("失败：y.toml（排版进程被系统终止"), "{err}");
    old_pdfs_unchanged(dir.path());
}
