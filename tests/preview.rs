//! `yusuan preview` end to end: the real binary serving on a free port,
//! driven by editing its input files and read over plain HTTP (std::net),
//! as a browser would. Every wait is a bounded poll of `/status`; nothing
//! asserts on time.

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::Value;

/// How long any one expected change may take before the test gives up.
const PATIENCE: Duration = Duration::from_secs(30);

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A running `yusuan preview`, killed when dropped (also when a test fails).
struct Preview {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the preview of `data.toml` in a temp folder holding the sample,
/// on a port the system picks, with no system fonts.
fn start(setup: impl FnOnce(&Path), args: &[&str]) -> Preview {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(root().join("data/101001-2021.toml"), dir.path().join("data.toml")).unwrap();
    setup(dir.path());
    let mut child = Command::new(env!("CARGO_BIN_EXE_yusuan"))
        .args(["preview", "data.toml", "--port", "0", "--no-system-fonts"])
        .args(args)
        .current_dir(dir.path())
        .env_remove("YUSUAN_FONT_PATHS")
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("yusuan runs");
    let lines = drain(child.stderr.take().unwrap());
    let mut preview = Preview { child, port: 0, dir };
    preview.port = announced_port(&lines);
    preview
}

/// Reads the child's stderr on a thread, so it never blocks on a full pipe.
fn drain(stderr: impl Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("[preview] {line}");
            let _ = tx.send(line);
        }
    });
    rx
}

/// The port in the `预览地址：http://127.0.0.1:PORT/` line.
fn announced_port(lines: &Receiver<String>) -> u16 {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        let Ok(line) = lines.recv_timeout(Duration::from_secs(1)) else { continue };
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            return rest.split('/').next().unwrap().parse().unwrap();
        }
    }
    panic!("the preview never announced its address");
}

impl Preview {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn get(&self, path: &str) -> (u16, Vec<u8>) {
        self.request(&format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n", self.port))
    }

    /// Sends one request (head lines without the final blank line) and
    /// returns the status code and body.
    fn request(&self, head: &str) -> (u16, Vec<u8>) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(s, "{head}Connection: close\r\n\r\n").unwrap();
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).unwrap();
        let split = buf.windows(4).position(|w| w == b"\r\n\r\n").expect("a full response");
        let head = String::from_utf8_lossy(&buf[..split]);
        let code = head.split(' ').nth(1).unwrap().parse().unwrap();
        (code, buf[split + 4..].to_vec())
    }

    /// The served web page: the built page, reloading itself on a new render.
    fn html(&self) -> String {
        let (code, page) = self.get("/document.html");
        assert_eq!(code, 200);
        let page = String::from_utf8(page).unwrap();
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"), "{page:.200}");
        assert!(page.contains("new EventSource(\"/events\")"), "the page follows new renders");
        page
    }

    fn status(&self) -> Value {
        let (code, body) = self.get("/status");
        assert_eq!(code, 200);
        serde_json::from_slice(&body).unwrap()
    }

    /// Polls `/status` until `done` holds; panics with the last status
    /// after `PATIENCE`.
    fn wait_for(&self, what: &str, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let status = self.status();
            if done(&status) {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "gave up waiting for {what}; last status: {status:#}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The served PDF's text without white space (lines break anywhere in CJK).
    fn pdf_text(&self) -> String {
        let (code, pdf) = self.get("/document.pdf");
        assert_eq!(code, 200);
        assert!(
            pdf.starts_with(b"%PDF-") && pdf.trim_ascii_end().ends_with(b"%%EOF"),
            "a whole PDF"
        );
        let file = self.path("fetched.pdf");
        fs::write(&file, &pdf).unwrap();
        // Without folios and the 样例 line: a sentence may run across pages.
        // In content order: by layout, the 草稿 watermark's two characters
        // land inside whatever line they cross.
        common::pdf_text(&file, common::Order::Raw)
    }
}

fn revision(s: &Value) -> u64 {
    s["revision"].as_u64().unwrap()
}

fn ok(s: &Value) -> bool {
    s["ok"].as_bool().unwrap()
}

fn messages(s: &Value, kind: &str) -> String {
    let list = s[kind].as_array().unwrap();
    list.iter().map(|m| m.as_str().unwrap()).collect::<Vec<_>>().join("\n")
}

/// The sample with 当年公务接待费 (`sangong.current.reception`) written
/// as `value`, and the 1-based line it is on.
fn with_reception(text: &str, value: &str) -> (String, usize) {
    let table = text.find("[sangong.current]").expect("the sample has [sangong.current]");
    let start = table + text[table..].find("\nreception = ").unwrap() + 1;
    let end = start + text[start..].find('\n').unwrap();
    let line = text[..start].matches('\n').count() + 1;
    (format!("{}reception = {value}{}", &text[..start], &text[end..]), line)
}

#[test]
fn data_edits_show_up_errors_are_reported_and_the_preview_recovers() {
    let p = start(|_| {}, &["--templates", root().join("templates").to_str().unwrap()]);
    let first = p.wait_for("the first build", |s| revision(s) >= 1);
    assert!(ok(&first), "the sample builds: {first:#}");
    assert!(!p.pdf_text().contains("公务接待费9.87万元"));
    let sample = fs::read_to_string(p.path("data.toml")).unwrap();
    let mut events = EventStream::open(p.port);
    // The preview page says which page the reader looks at (drawn first).
    assert_eq!(p.get("/view?page=4").0, 204);
    for wrong in ["/view", "/view?page=0", "/view?page=x"] {
        assert_eq!(p.get(wrong).0, 400, "{wrong}");
    }

    let (edited, line) = with_reception(&sample, "9.87");
    fs::write(p.path("data.toml"), &edited).unwrap();
    let edit = p.wait_for("the edit", |s| revision(s) > revision(&first) && ok(s));
    // Every page the edit changed is served, drawn before or after the
    // revision went on show.
    let keys = |s: &Value| s["pages"].as_array().unwrap().clone();
    let (old, new) = (keys(&first), keys(&edit));
    let changed: Vec<usize> = (0..new.len()).filter(|i| old.get(*i) != Some(&new[*i])).collect();
    assert!(!changed.is_empty(), "the edit changes a page");
    for i in changed {
        let (code, svg) = p.get(&format!("/page/{}.svg", i + 1));
        assert_eq!(code, 200, "page {}", i + 1);
        assert!(String::from_utf8_lossy(&svg).contains("<svg"), "page {}", i + 1);
    }
    assert!(p.pdf_text().contains("公务接待费9.87万元"), "the PDF shows the new number");
    assert!(p.html().contains("公务接待费9.87万元"), "so does the web page");
    assert!(events.next_revision_after(revision(&first)) > revision(&first));

    let (broken, _) = with_reception(&sample, "\"abc\"");
    fs::write(p.path("data.toml"), broken).unwrap();
    // Saving in place can briefly show an empty file: wait for the real error.
    let bad = p.wait_for("the error", |s| messages(s, "errors").contains("\"abc\""));
    let errors = messages(&bad, "errors");
    assert!(errors.contains(&format!("data.toml:{line}:")), "error names file and line: {errors}");
    assert!(errors.contains("sangong.current.reception"), "{errors}");
    // The last good render stays on show meanwhile.
    assert!(p.pdf_text().contains("公务接待费9.87万元"));
    assert!(p.html().contains("公务接待费9.87万元"));
    assert_eq!(bad["rendered"], edit["revision"]);
    let (code, page) = p.get("/page/1.svg");
    assert_eq!(code, 200);
    assert!(String::from_utf8_lossy(&page).contains("<svg"));

    let (fixed, _) = with_reception(&sample, "5.55");
    fs::write(p.path("data.toml"), fixed).unwrap();
    let back = p.wait_for("recovery", |s| ok(s) && revision(s) > revision(&bad));
    assert!(messages(&back, "errors").is_empty());
    assert!(p.pdf_text().contains("公务接待费5.55万元"));
    assert!(p.html().contains("公务接待费5.55万元"));
}

/// Saves `text` as most editors do: a new file renamed over the old one.
fn save_by_rename(path: &Path, text: &str) {
    let tmp = path.with_extension("toml.saving");
    fs::write(&tmp, text).unwrap();
    fs::rename(&tmp, path).unwrap();
}

/// Waits for the revision after `seen` and checks it shows `value` as
/// 公务接待费 in the text, page and PDF; returns its number.
fn shows(p: &Preview, seen: u64, value: &str) -> u64 {
    let s = p.wait_for(value, |s| revision(s) > seen && ok(s));
    assert!(p.pdf_text().contains(&format!("公务接待费{value}万元")), "revision shows {value}");
    revision(&s)
}

/// Editors save in place, by renaming a new file over the old one, or by
/// moving the old file aside and writing a new one (vim's backup). Each is
/// followed. Only contents count: a save of the same bytes makes no
/// revision, and a change that keeps the size and the time (two quick
/// saves on a FAT disk, whose times are coarse) is still seen.
#[test]
fn every_way_editors_save_is_followed_and_only_real_changes_count() {
    let p = start(|_| {}, &[]);
    let first = p.wait_for("the first build", |s| revision(s) >= 1 && ok(s));
    let data = p.path("data.toml");
    let sample = fs::read_to_string(&data).unwrap();

    save_by_rename(&data, &with_reception(&sample, "9.87").0);
    let renamed = shows(&p, revision(&first), "9.87");
    assert_eq!(renamed, revision(&first) + 1, "one save, one revision");

    // The same bytes again, then a real change: exactly one revision between.
    save_by_rename(&data, &with_reception(&sample, "9.87").0);
    save_by_rename(&data, &with_reception(&sample, "6.54").0);
    let after_same = shows(&p, renamed, "6.54");
    assert_eq!(after_same, renamed + 1, "the save that changed nothing made no revision");

    fs::rename(&data, p.path("data.toml~")).unwrap();
    fs::write(&data, with_reception(&sample, "3.21").0).unwrap();
    let replaced = shows(&p, after_same, "3.21");

    // Same length, and the file's time put back as a coarse clock would.
    let time = fs::metadata(&data).unwrap().modified().unwrap();
    fs::write(&data, with_reception(&sample, "4.32").0).unwrap();
    fs::File::options().write(true).open(&data).unwrap().set_modified(time).unwrap();
    shows(&p, replaced, "4.32");
}

#[test]
fn template_errors_are_reported_with_their_line_and_the_preview_recovers() {
    let templates = |dir: &Path| common::copy_templates(&dir.join("tpl"));
    let p = start(templates, &["--templates", "tpl"]);
    let first = p.wait_for("the first build", |s| revision(s) >= 1);
    assert!(ok(&first), "{first:#}");

    let main = p.path("tpl/hebei/main.typ");
    let good = fs::read_to_string(&main).unwrap();
    let broken = format!("{good}\n#no-such-function-here()\n");
    let line = broken.lines().position(|l| l.starts_with("#no-such")).unwrap() + 1;
    fs::write(&main, broken).unwrap();
    let bad = p.wait_for("the template error", |s| messages(s, "errors").contains("no-such"));
    let errors = messages(&bad, "errors");
    assert!(errors.contains(&format!("main.typ:{line}:")), "error names file and line: {errors}");
    assert!(errors.contains("no-such-function-here"), "{errors}");

    fs::write(&main, good).unwrap();
    p.wait_for("recovery", |s| ok(s) && revision(s) > revision(&bad));
}

/// A character no font has still shows (as a box) on the pages, but stops
/// the PDF/A export, as it would stop `yusuan build`: the preview says so.
#[test]
fn pdf_export_errors_are_reported() {
    let p = start(|_| {}, &[]);
    p.wait_for("the first build", |s| revision(s) >= 1 && ok(s));
    let sample = fs::read_to_string(p.path("data.toml")).unwrap();
    let rare = sample.replacen("basic_reason = \"", "basic_reason = \"\u{20000}", 1);
    assert_ne!(rare, sample, "the sample has a basic_reason");
    fs::write(p.path("data.toml"), rare).unwrap();
    let bad = p.wait_for("the PDF error", |s| messages(s, "errors").contains("PDF/A"));
    assert!(messages(&bad, "errors").contains("PDF/A"), "{bad:#}");
    assert_eq!(p.get("/document.pdf").0, 503, "no PDF for that revision");

    fs::write(p.path("data.toml"), sample).unwrap();
    p.wait_for("recovery", |s| ok(s) && revision(s) > revision(&bad));
    assert_eq!(p.get("/document.pdf").0, 200);
}

#[test]
fn serves_only_its_own_resources_and_only_to_local_names() {
    let p = start(|_| {}, &[]);
    p.wait_for("the first build", |s| revision(s) >= 1);
    let (code, page) = p.get("/");
    assert_eq!(code, 200);
    assert!(String::from_utf8_lossy(&page).contains("EventSource"));
    for path in [
        "/data.toml",
        "/../data.toml",
        "/%2e%2e/data.toml",
        "/templates/main.typ",
        "/page/0.svg",
        "/page/999.svg",
    ] {
        assert_eq!(p.get(path).0, 404, "{path}");
    }
    let port = p.port;
    let foreign = p.request(&format!("GET /status HTTP/1.1\r\nHost: attacker.example:{port}\r\n"));
    assert_eq!(foreign.0, 403, "a rebinding host name is refused");
    let local = p.request(&format!("GET /status HTTP/1.1\r\nHost: localhost:{port}\r\n"));
    assert_eq!(local.0, 200);
    let post = p.request(&format!(
        "POST /status HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\n"
    ));
    assert_eq!(post.0, 405);
}

/// A client of `/events`, reading revisions as the page's EventSource does.
struct EventStream {
    reader: BufReader<TcpStream>,
}

impl EventStream {
    fn open(port: u16) -> EventStream {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(s, "GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
        EventStream { reader: BufReader::new(s) }
    }

    /// Reads events until one names a revision after `seen`.
    fn next_revision_after(&mut self, seen: u64) -> u64 {
        let mut line = String::new();
        loop {
            line.clear();
            assert!(self.reader.read_line(&mut line).unwrap() > 0, "event stream closed");
            if let Some(n) = line.trim().strip_prefix("data: ") {
                let n: u64 = n.parse().unwrap();
                if n > seen {
                    return n;
                }
            }
        }
    }
}
