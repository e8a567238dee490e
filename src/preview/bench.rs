//! `yusuan preview 文件 --bench-edits N`（隐藏选项）：预览延迟的基准测试。
//!
//! Runs a real preview session (server, watcher, Engine) on a copy of the
//! file, so the original is never written. It then changes one number N
//! times — 当年公务接待费 `sangong.current.reception`, which every check
//! accepts and the text prints — saves the copy as an editor does (write a
//! new file, rename it over the old), and measures from the save to the new
//! revision being published (status servable, the page the reader looks at
//! drawn), to every changed page drawn, and to its PDF being written.
//! The reader is taken to look at the first page the edit changes (as a
//! browser's preview page would report): one edit before the N finds it.
//! Prints every figure and the medians.

use std::fs;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rust_decimal::Decimal;
use toml_edit::{DocumentMut, Item, Value};

use super::state::{Snapshot, Timings};
use super::{Session, Shared};
use crate::error::Error;
use crate::pipeline::Environment;
use crate::preview::Options;

/// One edit: from save to the revision published (its pages servable) and
/// to its PDF written, and where the rebuild's time went.
struct Sample {
    latency: Duration,
    pages: Duration,
    pdf: Duration,
    timings: Timings,
}

pub fn run(args: &Options, edits: usize) -> Result<(), Error> {
    let dir = std::env::temp_dir().join(format!("yusuan-bench-{}", std::process::id()));
    let name = args.file.file_name().unwrap_or("data.toml".as_ref());
    let copy = dir.join(name);
    let io = |e: std::io::Error| Error::Preview(format!("无法准备数据文件的副本：{e}"));
    fs::create_dir_all(&dir).map_err(io)?;
    fs::copy(&args.file, &copy).map_err(io)?;
    let result = measure(&copy, &args.env, edits);
    let _ = fs::remove_dir_all(&dir);
    report(&result?);
    Ok(())
}

/// Runs the watch loop on its own thread while this one edits.
fn measure(copy: &Path, env: &Environment, edits: usize) -> Result<Vec<Sample>, Error> {
    // Any free port: the benchmark must not collide with a real preview.
    let started = Instant::now();
    let session = Session::start(copy, env, 0, (0, 0))?;
    let first = session.shared.get();
    crate::error::outln!(
        "启动（读字体和模板、首次排版、写出 PDF）：{:.1} 毫秒，其中首次排版 {:.1} 毫秒",
        ms(started.elapsed()),
        ms(first.timings.total)
    );
    if !first.ok {
        return Err(Error::Preview(format!("数据文件有错误：\n{}", first.errors.join("\n"))));
    }
    let shared = session.shared.clone();
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let waker = session.watch.waker();
    let watcher = std::thread::spawn(move || session.watch_until(&flag));
    let result = edit_loop(copy, &shared, edits);
    stop.store(true, Ordering::Relaxed);
    waker.wake();
    let _ = watcher.join();
    result
}

fn edit_loop(path: &Path, shared: &Shared, edits: usize) -> Result<Vec<Sample>, Error> {
    let text = fs::read_to_string(path).map_err(|e| Error::Preview(e.to_string()))?;
    let mut doc: DocumentMut = text.parse().map_err(|e| Error::Preview(format!("{e}")))?;
    let base = reception(&mut doc)?.to_string().trim().parse::<Decimal>().map_err(|_| missing())?;
    let mut samples = Vec::new();
    for k in 0..=edits as i64 {
        // Saves at uneven intervals, as a person makes them.
        std::thread::sleep(Duration::from_millis(150 + (k as u64 * 37) % 50));
        let value: Value =
            (base + Decimal::new(k + 1, 2)).to_string().parse().map_err(|_| missing())?;
        *reception(&mut doc)? = Item::Value(value.decorated(" ", ""));
        let before = shared.get();
        let sample = one_edit(path, shared, &doc.to_string(), k)?;
        if k == 0 {
            look_at_the_change(shared, &before);
        } else {
            samples.push(sample);
        }
    }
    Ok(samples)
}

/// Points the preview at the first page that differs from `before`'s.
fn look_at_the_change(shared: &Shared, before: &Snapshot) {
    let keys = |s: &Snapshot| -> Vec<String> {
        s.render
            .as_ref()
            .map(|r| r.pages.iter().map(|p| p.key.clone()).collect())
            .unwrap_or_default()
    };
    let (old, new) = (keys(before), keys(&shared.get()));
    let changed = new.iter().enumerate().find(|(i, k)| old.get(*i) != Some(k));
    let page = changed.map_or(1, |(i, _)| i + 1);
    shared.set_viewing(page);
    crate::error::outln!("读者看的页：第 {page} 页（改动的数所在的第一页）");
}

/// Saves `text` and times the new revision, then its PDF.
fn one_edit(path: &Path, shared: &Shared, text: &str, k: i64) -> Result<Sample, Error> {
    let wait = Duration::from_secs(30);
    let fail = |what: String| Error::Preview(format!("第 {k} 次改动后{what}"));
    let seen = shared.get().revision;
    save(path, text)?;
    let saved = Instant::now();
    let snap = next_revision(shared, seen, wait).ok_or_else(|| fail("30 秒内没有新版本".into()))?;
    let latency = saved.elapsed();
    let render = snap.render.as_ref().filter(|_| snap.ok);
    let render = render.ok_or_else(|| fail(format!("排版失败：\n{}", snap.errors.join("\n"))))?;
    for page in &render.pages {
        page.svg.wait(wait).ok_or_else(|| fail("有一页未能画出".into()))?;
    }
    let pages = saved.elapsed();
    render.pdf.wait(wait).ok_or_else(|| fail("PDF 未能导出".into()))?;
    Ok(Sample { latency, pages, pdf: saved.elapsed(), timings: snap.timings })
}

/// Waits for the revision after `seen`; `None` after `timeout`.
fn next_revision(shared: &Shared, seen: u64, timeout: Duration) -> Option<Arc<Snapshot>> {
    let snap = shared.wait_newer(seen, timeout);
    (snap.revision > seen).then_some(snap)
}

fn reception(doc: &mut DocumentMut) -> Result<&mut Item, Error> {
    doc.get_mut("sangong")
        .and_then(|t| t.get_mut("current"))
        .and_then(|t| t.get_mut("reception"))
        .filter(|i| i.is_value())
        .ok_or_else(missing)
}

fn missing() -> Error {
    Error::Preview("基准测试改动 sangong.current.reception，数据文件中没有这个数".to_string())
}

/// Writes a new file and renames it over the old one, as most editors save.
fn save(path: &Path, text: &str) -> Result<(), Error> {
    let tmp = path.with_extension("toml.saving");
    fs::write(&tmp, text)
        .and_then(|()| fs::rename(&tmp, path))
        .map_err(|e| Error::Preview(format!("无法保存 {}：{e}", path.display())))
}

fn report(samples: &[Sample]) {
    let each: Vec<String> = samples.iter().map(|s| format!("{:.0}", ms(s.latency))).collect();
    crate::error::outln!("每次改动（毫秒）：{}", each.join(" "));
    let latency: Vec<Duration> = samples.iter().map(|s| s.latency).collect();
    crate::error::outln!(
        "预览延迟（保存 → 新版本就绪：/status 显示新版本，读者看的页已画好），{} 次：中位数 {:.1} 毫秒，最小 {:.1}，最大 {:.1}",
        samples.len(),
        ms(median(&latency)),
        ms(latency.iter().copied().min().unwrap_or_default()),
        ms(latency.iter().copied().max().unwrap_or_default()),
    );
    let pages: Vec<Duration> = samples.iter().map(|s| s.pages).collect();
    crate::error::outln!("保存 → 改动的各页都已画好：中位数 {:.1} 毫秒", ms(median(&pages)));
    let pdf: Vec<Duration> = samples.iter().map(|s| s.pdf).collect();
    crate::error::outln!("保存 → 该版本的 PDF 也已写出：中位数 {:.1} 毫秒", ms(median(&pdf)));
    let phase = |f: fn(&Timings) -> Duration| {
        ms(median(&samples.iter().map(|s| f(&s.timings)).collect::<Vec<_>>()))
    };
    crate::error::outln!(
        "新版本的重新排版（中位数）：{:.1} 毫秒 = 读取核对 {:.1} + Typst 编译 {:.1} + 画读者看的页 {:.1}；其余为文件系统通知与线程唤醒",
        phase(|t| t.total),
        phase(|t| t.check),
        phase(|t| t.compile),
        phase(|t| t.pages),
    );
    let cpu: Vec<Duration> = samples.iter().filter_map(|s| s.timings.cpu).collect();
    if !cpu.is_empty() {
        crate::error::outln!(
            "新版本的重新排版所用的处理器时间（不随机器上别的负载变化）：中位数 {:.1} 毫秒，最大 {:.1}",
            ms(median(&cpu)),
            ms(cpu.iter().copied().max().unwrap_or_default())
        );
    }
    let mut drawn: Vec<usize> = samples.iter().map(|s| s.timings.drawn).collect();
    drawn.sort_unstable();
    crate::error::outln!(
        "每次改动的页数（先画读者看的一页，其余在新版本就绪后画）：中位数 {}，最少 {}，最多 {}",
        drawn.get(drawn.len() / 2).copied().unwrap_or_default(),
        drawn.first().copied().unwrap_or_default(),
        drawn.last().copied().unwrap_or_default(),
    );
}

fn median(values: &[Duration]) -> Duration {
    let mut sorted = values.to_vec();
    sorted.sort();
    sorted.get(sorted.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
