//! The hostile corpus under `tests/hostile/`: inputs a careless or hostile
//! user gives yusuan (files, folder layouts with links and FIFOs, template
//! folders reaching outside their root, odd command lines). Each case is one
//! `NN-name.case` file, run through the built binary in a fresh temp folder.
//!
//! A case file is a list of `key: value` lines (`#` starts a comment):
//!
//! | key | meaning |
//! |---|---|
//! | `setup:` | a shell line run (`sh -e`) in the temp folder before the run; `$ROOT` is the repository, `$SAMPLE` and `$SAMPLE2` the two samples, `$CORPUS` this folder |
//! | `run:` | the arguments, split at spaces; `{root}` is the repository |
//! | `exit:` | the expected exit code |
//! | `stderr:` / `stdout:` | a line fragment that must appear |
//! | `not-stderr:` / `not-stdout:` | a fragment that must not appear |
//! | `unchanged:` | a path whose bytes (or absence) must be the same after the run as before |
//! | `absent:` / `exists:` | a path that must not / must exist after the run; `dir/prefix*` matches names |
//! | `timeout:` | seconds before the run counts as hung (default 120) |
//! | `skip-as-root:` | the case needs a non-root user (permissions) |
//! | `close:` | `stdout`, `stderr` or `both`: closed by the reader at once, as `\| head -1` does |
//! | `ignore:` | why the case is not run yet (a known fault another branch fixes); `YUSUAN_HOSTILE_IGNORED=1` runs it |
//!
//! `setup:` also has `$YUSUAN`, the binary under test (to make a workbook or
//! a profile folder the way a user would).
//!
//! Every case also holds the promises of README: no panic and no signal
//! exit, no raw control character on the terminal, no temporary file left
//! behind.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::root;

/// The binary under test: the one cargo built, or `YUSUAN_HOSTILE_BIN` (to
/// run the corpus against an older build and see which cases it fails).
fn binary() -> PathBuf {
    std::env::var_os("YUSUAN_HOSTILE_BIN")
        .map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_yusuan")), PathBuf::from)
}

fn corpus() -> PathBuf {
    root().join("tests/hostile")
}

#[derive(Default)]
struct Case {
    name: String,
    setup: Vec<String>,
    run: Vec<String>,
    exit: Option<i32>,
    stderr: Vec<String>,
    not_stderr: Vec<String>,
    stdout: Vec<String>,
    not_stdout: Vec<String>,
    unchanged: Vec<String>,
    absent: Vec<String>,
    exists: Vec<String>,
    timeout: u64,
    skip_as_root: bool,
    close: Option<String>,
    ignore: Option<String>,
}

fn parse(name: &str, text: &str) -> Case {
    let mut c = Case { name: name.to_string(), timeout: 120, ..Case::default() };
    for line in text.lines().map(str::trim_end) {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (key, value) = line.split_once(':').unwrap_or_else(|| panic!("{name}: {line}"));
        let value = value.trim().to_string();
        match key.trim() {
            "setup" => c.setup.push(value),
            "run" => c.run = value.split_whitespace().map(str::to_string).collect(),
            "exit" => c.exit = Some(value.parse().unwrap()),
            "stderr" => c.stderr.push(value),
            "not-stderr" => c.not_stderr.push(value),
            "stdout" => c.stdout.push(value),
            "not-stdout" => c.not_stdout.push(value),
            "unchanged" => c.unchanged.push(value),
            "absent" => c.absent.push(value),
            "exists" => c.exists.push(value),
            "timeout" => c.timeout = value.parse().unwrap(),
            "skip-as-root" => c.skip_as_root = value == "yes",
            "close" => {
                assert!(["stdout", "stderr", "both"].contains(&value.as_str()), "{name}: close");
                c.close = Some(value)
            }
            "ignore" => c.ignore = Some(value),
            other => panic!("{name}: unknown key {other}"),
        }
    }
    assert!(!c.run.is_empty(), "{name}: no run line");
    assert!(c.exit.is_some(), "{name}: no exit line");
    c
}

fn cases() -> Vec<Case> {
    let mut out: Vec<Case> = fs::read_dir(corpus())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "case"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            parse(&name, &fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn setup(case: &Case, dir: &Path) -> Result<(), String> {
    if case.setup.is_empty() {
        return Ok(());
    }
    let o = Command::new("sh")
        .arg("-ec")
        .arg(case.setup.join("\n"))
        .current_dir(dir)
        .env("ROOT", root())
        .env("SAMPLE", root().join("data/101001-2021.toml"))
        .env("SAMPLE2", root().join("data/215001-2021.toml"))
        .env("CORPUS", corpus())
        .env("YUSUAN", binary())
        .env_remove("YUSUAN_FONT_PATHS")
        .output()
        .unwrap();
    if o.status.success() {
        Ok(())
    } else {
        Err(format!("setup failed: {}", String::from_utf8_lossy(&o.stderr)))
    }
}

struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: Vec<u8>,
}

/// Runs the binary, killing it when it outlives the case's timeout.
fn run(case: &Case, dir: &Path) -> Result<Ran, String> {
    let args: Vec<String> =
        case.run.iter().map(|a| a.replace("{root}", root().to_str().unwrap())).collect();
    let mut child = Command::new(binary())
        .args(&args)
        .current_dir(dir)
        .env_remove("YUSUAN_FONT_PATHS")
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (out, err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let closed = |which: &str| case.close.as_deref().is_some_and(|c| c == which || c == "both");
    let t_out = reader(out, closed("stdout"));
    let t_err = reader(err, closed("stderr"));
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > Duration::from_secs(case.timeout) {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("hung: still running after {} s", case.timeout));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = String::from_utf8_lossy(&t_out.join().unwrap()).into_owned();
    Ok(Ran { code: status.code(), stdout, stderr: t_err.join().unwrap() })
}

/// Reads a stream to its end on a thread; a `closed` one is dropped at
/// once, so the program's writes meet a broken pipe.
fn reader(mut r: impl Read + Send + 'static, closed: bool) -> std::thread::JoinHandle<Vec<u8>> {
    if closed {
        drop(r);
        return std::thread::spawn(Vec::new);
    }
    std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = r.read_to_end(&mut b);
        b
    })
}

/// Files below `dir` (not following links), with their bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let Ok(t) = e.file_type() else { continue };
            let p = e.path();
            if t.is_dir() {
                stack.push(p);
            } else if t.is_file() {
                out.insert(p.strip_prefix(dir).unwrap().to_path_buf(), fs::read(&p).ok());
            } else {
                out.insert(p.strip_prefix(dir).unwrap().to_path_buf(), None);
            }
        }
    }
    out
}

/// Whether `pattern` (a path, or `dir/prefix*`) names something below `dir`.
fn matches(dir: &Path, pattern: &str) -> bool {
    match pattern.strip_suffix('*') {
        None => fs::symlink_metadata(dir.join(pattern)).is_ok(),
        Some(stem) => {
            let p = dir.join(stem);
            let (parent, prefix) = match stem.ends_with('/') {
                true => (p.as_path(), String::new()),
                false => {
                    (p.parent().unwrap(), p.file_name().unwrap().to_string_lossy().into_owned())
                }
            };
            fs::read_dir(parent).is_ok_and(|r| {
                r.flatten().any(|e| e.file_name().to_string_lossy().starts_with(&prefix))
            })
        }
    }
}

fn is_temporary(p: &Path) -> bool {
    let name = p.file_name().unwrap_or_default().to_string_lossy();
    name.ends_with(".tmp") || name.starts_with(".yusuan-")
}

/// Runs one case; returns what went wrong, if anything.
fn check(case: &Case) -> Vec<String> {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    if let Err(e) = setup(case, dir) {
        return vec![e];
    }
    let before = snapshot(dir);
    let kept: Vec<(String, Option<Vec<u8>>)> = case
        .unchanged
        .iter()
        .map(|p| (p.clone(), before.get(Path::new(p)).cloned().flatten()))
        .collect();
    let ran = match run(case, dir) {
        Ok(r) => r,
        Err(e) => return vec![e],
    };
    let err = String::from_utf8_lossy(&ran.stderr).into_owned();
    let mut bad = Vec::new();
    if ran.code != case.exit {
        bad.push(format!("exit {:?}, expected {:?}", ran.code, case.exit));
    }
    for s in &case.stderr {
        if !err.contains(s.as_str()) {
            bad.push(format!("stderr lacks {s:?}"));
        }
    }
    for s in &case.not_stderr {
        if err.contains(s.as_str()) {
            bad.push(format!("stderr has {s:?}"));
        }
    }
    for s in &case.stdout {
        if !ran.stdout.contains(s.as_str()) {
            bad.push(format!("stdout lacks {s:?}"));
        }
    }
    for s in &case.not_stdout {
        if ran.stdout.contains(s.as_str()) {
            bad.push(format!("stdout has {s:?}"));
        }
    }
    for (p, old) in &kept {
        let now = fs::read(dir.join(p)).ok();
        if &now != old {
            bad.push(format!("{p} changed"));
        }
    }
    bad.extend(case.absent.iter().filter(|p| matches(dir, p)).map(|p| format!("{p} exists")));
    bad.extend(case.exists.iter().filter(|p| !matches(dir, p)).map(|p| format!("{p} missing")));
    bad.extend(promises(&before, &snapshot(dir), &err, &ran.stderr));
    if !bad.is_empty() {
        bad.push(format!("--- stderr\n{}", err.chars().take(3000).collect::<String>()));
    }
    bad
}

/// What README promises of every run, whatever the input.
fn promises(
    before: &BTreeMap<PathBuf, Option<Vec<u8>>>,
    after: &BTreeMap<PathBuf, Option<Vec<u8>>>,
    err: &str,
    raw: &[u8],
) -> Vec<String> {
    let mut bad = Vec::new();
    if err.contains("panicked") || err.contains("RUST_BACKTRACE") {
        bad.push("panicked".to_string());
    }
    if raw.iter().any(|&b| (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f) {
        bad.push("raw control character on stderr".to_string());
    }
    for p in after.keys().filter(|p| !before.contains_key(*p) && is_temporary(p)) {
        bad.push(format!("temporary file left behind: {}", p.display()));
    }
    bad
}

fn running_as_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

#[test]
fn every_hostile_case_behaves_as_written() {
    let only = std::env::var("YUSUAN_HOSTILE_ONLY").unwrap_or_default();
    let all = cases();
    assert!(all.len() >= 40, "the corpus has only {} cases", all.len());
    let root_user = running_as_root();
    let mut failed = Vec::new();
    let mut ran = 0;
    let ignored_too = std::env::var_os("YUSUAN_HOSTILE_IGNORED").is_some();
    for case in all.iter().filter(|c| c.name.contains(&only)) {
        if case.skip_as_root && root_user {
            eprintln!("{}: skipped (running as root)", case.name);
            continue;
        }
        if let Some(why) = case.ignore.as_deref().filter(|_| !ignored_too) {
            eprintln!("{}: ignored ({why})", case.name);
            continue;
        }
        ran += 1;
        let bad = check(case);
        if !bad.is_empty() {
            failed.push(format!("{}:\n  {}", case.name, bad.join("\n  ")));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {ran} cases failed:\n\n{}",
        failed.len(),
        failed.join("\n\n")
    );
}

// ---------------------------------------------------------------------------
// A batch killed with SIGKILL in the middle of its writes.

fn pdfs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(n, _)| n.ends_with(".pdf"))
        .map(|(n, p)| (n, fs::read(p).unwrap()))
        .collect()
}

fn temporaries(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .map(|r| {
            r.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| is_temporary(Path::new(n)))
                .collect()
        })
        .unwrap_or_default()
}

fn build(dir: &Path, out: &str) -> std::process::Output {
    Command::new(binary())
        .args(["build", "data", "-o", out, "--no-system-fonts", "-j", "2"])
        .current_dir(dir)
        .env_remove("YUSUAN_FONT_PATHS")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap()
}

/// README: a run killed at any moment leaves every PDF either as it was or
/// as the new run made it, never a partial file under its final name; the
/// temporary files it leaves are removed by the next run.
#[test]
fn a_batch_killed_with_sigkill_leaves_whole_files_only() {
    use std::os::unix::process::ExitStatusExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::create_dir(dir.join("data")).unwrap();
    let sample = common::sample();
    let names: Vec<String> = (1..=8).map(|i| format!("d{i}")).collect();
    for n in &names {
        fs::write(dir.join(format!("data/{n}.toml")), &sample).unwrap();
    }
    assert!(build(dir, "out").status.success());
    let old = pdfs(&dir.join("out"));
    assert_eq!(old.len(), names.len());
    // A correction changes every document; `ref` holds what the new run makes.
    let changed = sample.replace("在职人员增加\"", "在职人员增加较多\"");
    assert_ne!(changed, sample);
    for n in &names {
        fs::write(dir.join(format!("data/{n}.toml")), &changed).unwrap();
    }
    assert!(build(dir, "ref").status.success());
    let new = pdfs(&dir.join("ref"));

    let out = dir.join("out");
    let mut child = Command::new(binary())
        .args(["build", "data", "-o", "out", "--no-system-fonts", "-j", "2"])
        .current_dir(dir)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill as soon as a write is under way: a temporary file exists, or a
    // PDF was already replaced.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let writing =
            !temporaries(&out).is_empty() || pdfs(&out).iter().any(|(n, b)| old.get(n) != Some(b));
        if writing || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(9), "the batch ended before it could be killed");

    let after = pdfs(&out);
    assert_eq!(after.keys().collect::<Vec<_>>(), old.keys().collect::<Vec<_>>());
    for (n, bytes) in &after {
        assert!(
            bytes == &old[n] || bytes == &new[n],
            "{n} is neither the old nor the new PDF ({} bytes)",
            bytes.len()
        );
    }
    let o = build(dir, "out");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(temporaries(&out), Vec::<String>::new(), "stale temporary files after the next run");
    assert_eq!(pdfs(&out), new);
}

// ---------------------------------------------------------------------------
// The preview from its first moment.

/// A free port: bound, read and released (the preview binds it next).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// One GET; `None` while nothing listens yet.
fn get(port: u16, path: &str) -> Option<(u16, Vec<u8>)> {
    use std::io::Write;
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(120))).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n").ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).ok()?;
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..split]);
    let code = head.split_whitespace().nth(1)?.parse().ok()?;
    Some((code, raw[split + 4..].to_vec()))
}

/// A preview whose first render is slowed by its template, so requests can
/// arrive before it.
struct SlowPreview {
    child: std::process::Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for SlowPreview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn slow_preview(data: &str) -> SlowPreview {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("t");
    common::copy_templates(&t);
    let main = fs::read_to_string(t.join("hebei/main.typ")).unwrap();
    let slow = "#{ let n = 0; for i in range(3000000) { n += 1 }; none }\n";
    fs::write(t.join("hebei/main.typ"), format!("{slow}{main}")).unwrap();
    fs::write(dir.path().join("x.toml"), data).unwrap();
    let port = free_port();
    let child = Command::new(binary())
        .args(["preview", "x.toml", "--no-system-fonts", "--templates", "t", "--port"])
        .arg(port.to_string())
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    SlowPreview { child, port, _dir: dir }
}

/// The first answer of `path` once the server listens.
fn first_answer(p: &SlowPreview, path: &str) -> (u16, Vec<u8>) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Some(a) = get(p.port, path) {
            return a;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("the preview never listened on {}", p.port);
}

#[test]
fn the_preview_pdf_waits_for_the_first_render() {
    let p = slow_preview(&common::sample());
    let (code, body) = first_answer(&p, "/document.pdf");
    assert_eq!(code, 200, "{}", String::from_utf8_lossy(&body));
    assert!(body.starts_with(b"%PDF"));
}

#[test]
fn the_preview_status_tells_compiling_from_failed() {
    let p = slow_preview(&common::sample());
    let (_, body) = first_answer(&p, "/status");
    let s: serde_json::Value = serde_json::from_slice(&body).unwrap();
    if s["revision"] == 0 {
        assert_eq!(s["state"], "compiling", "{s}");
    }
    drop(p);
    let broken = common::sample().replace("reception = 2.67", "reception = -1");
    let p = slow_preview(&broken);
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let (_, body) = first_answer(&p, "/status");
        let s: serde_json::Value = serde_json::from_slice(&body).unwrap();
        if s["revision"] != 0 {
            assert_eq!(s["state"], "failed", "{s}");
            break;
        }
        assert_eq!(s["state"], "compiling", "{s}");
        assert!(Instant::now() < deadline, "no revision published");
        std::thread::sleep(Duration::from_millis(50));
    }
}
