//! 预览的当前状态：每次重新排版得到一个新版本，HTTP 线程只读它的快照。

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use serde::Serialize;

/// One page of a successful render.
pub struct PageImage {
    /// Identifies the page's content: the browser reloads only pages whose
    /// key changed, which keeps the scroll position and the traffic small.
    pub key: String,
    /// The SVG. A revision goes on show once the page the reader looks at
    /// is drawn; the other changed pages are drawn after, and a request for
    /// one waits for it.
    pub svg: Slot,
}

impl PageImage {
    /// A page whose SVG is still to be drawn.
    pub fn pending(key: String) -> PageImage {
        PageImage { key, svg: Slot::default() }
    }
}

/// The output of a successful compile.
pub struct Render {
    /// The revision that produced it.
    pub revision: u64,
    pub pages: Vec<Arc<PageImage>>,
    pub pdf: Slot,
    /// The PDF was not exported: a newer build began first (a request
    /// for it waits for that one's).
    pub pdf_superseded: AtomicBool,
    /// The web page (`yusuan build --html`), made from the same view.
    pub html: Slot,
}

impl Render {
    /// A render of these pages; the web page and PDF come later.
    pub fn new(pages: Vec<Arc<PageImage>>) -> Render {
        Render {
            revision: 0,
            pages,
            pdf: Slot::default(),
            pdf_superseded: AtomicBool::new(false),
            html: Slot::default(),
        }
    }

    /// Says the PDF will not be exported, a newer build having begun.
    pub fn superseded(&self) {
        self.pdf_superseded.store(true, Ordering::Relaxed);
        self.pdf.fill(None);
    }
}

/// Bytes made after their revision went on show: a changed page's SVG
/// (drawn after the page the reader looks at) and the PDF (exported after
/// the pages, by another thread: it takes about as long as the compile,
/// and the reader is looking at the pages). A request waits for them.
#[derive(Default)]
pub struct Slot {
    /// `None` until made; then the bytes, or `None` if they could not be.
    state: Mutex<Option<Option<Arc<[u8]>>>>,
    written: Condvar,
}

impl Slot {
    pub fn fill(&self, bytes: Option<Arc<[u8]>>) {
        *self.state.lock().unwrap_or_else(|e| e.into_inner()) = Some(bytes);
        self.written.notify_all();
    }

    /// Whether the bytes are made (or known not to be).
    pub fn is_filled(&self) -> bool {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).is_some()
    }

    /// Whether the bytes are known not to be made.
    pub fn failed(&self) -> bool {
        matches!(*self.state.lock().unwrap_or_else(|e| e.into_inner()), Some(None))
    }

    /// The bytes; `None` if they could not be made or were not within
    /// `timeout`.
    pub fn wait(&self, timeout: Duration) -> Option<Arc<[u8]>> {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (state, _) = self
            .written
            .wait_timeout_while(state, timeout, |s| s.is_none())
            .unwrap_or_else(|e| e.into_inner());
        state.clone().flatten()
    }
}

/// What one rebuild found: its messages and, when it succeeded, its output.
#[derive(Default)]
pub struct Outcome {
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
    pub render: Option<Render>,
    pub timings: Timings,
}

/// Where a rebuild's time went; the benchmark prints it.
#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    /// Reading, parsing and checking the data.
    pub check: Duration,
    /// Typst's compile.
    pub compile: Duration,
    /// Drawing the changed pages that are drawn before the revision goes
    /// on show: the one the reader looks at (SVG).
    pub pages: Duration,
    /// How many pages changed and are drawn (the others were unchanged).
    pub drawn: usize,
    /// From noticing the change to publishing, reloads included.
    pub total: Duration,
    /// The processor time of that, where the system says (Linux): unlike
    /// the wall time, it does not grow when others share the machine.
    pub cpu: Option<Duration>,
}

/// The processor time the calling thread has used, where the system says
/// (Linux's schedstat, in nanoseconds).
pub fn thread_cpu() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(Duration::from_nanos(text.split_whitespace().next()?.parse().ok()?))
}

/// A published revision. `render` is the last good render, which may be
/// older than `revision` while the input has errors.
pub struct Snapshot {
    pub revision: u64,
    pub ok: bool,
    pub file: String,
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
    pub render: Option<Arc<Render>>,
    pub timings: Timings,
}

/// The body of `/status`.
#[derive(Serialize)]
struct Status<'a> {
    revision: u64,
    ok: bool,
    /// “compiling” before the first revision, then “ok” or “failed”: a
    /// client tells a preview still starting from one that failed.
    state: &'static str,
    file: &'a str,
    errors: &'a [String],
    warnings: &'a [String],
    /// Revision of the pages and PDF being served (0 when none yet).
    rendered: u64,
    /// Content key of each page, in order.
    pages: Vec<&'a str>,
}

impl Snapshot {
    pub fn status_json(&self) -> Vec<u8> {
        let render = self.render.as_deref();
        let status = Status {
            revision: self.revision,
            ok: self.ok,
            state: match (self.revision, self.ok) {
                (0, _) => "compiling",
                (_, true) => "ok",
                (_, false) => "failed",
            },
            file: &self.file,
            errors: &self.errors,
            warnings: &self.warnings,
            rendered: render.map_or(0, |r| r.revision),
            pages: render
                .map(|r| r.pages.iter().map(|p| p.key.as_str()).collect())
                .unwrap_or_default(),
        };
        serde_json::to_vec(&status).expect("the status serializes")
    }
}

/// The latest snapshot, and a signal for the event streams waiting on it.
pub struct Shared {
    current: Mutex<Arc<Snapshot>>,
    changed: Condvar,
    /// The page the reader looks at (from 1), as the preview page says:
    /// drawn first after a change.
    viewing: AtomicUsize,
}

impl Shared {
    pub fn new(file: String) -> Shared {
        let empty = Snapshot {
            revision: 0,
            ok: false,
            file,
            errors: Vec::new(),
            warnings: Vec::new(),
            render: None,
            timings: Timings::default(),
        };
        Shared {
            current: Mutex::new(Arc::new(empty)),
            changed: Condvar::new(),
            viewing: AtomicUsize::new(1),
        }
    }

    /// The page the reader looks at, from 1.
    pub fn viewing(&self) -> usize {
        self.viewing.load(Ordering::Relaxed)
    }

    pub fn set_viewing(&self, page: usize) {
        self.viewing.store(page.max(1), Ordering::Relaxed);
    }

    fn lock(&self) -> MutexGuard<'_, Arc<Snapshot>> {
        // A panicking reader cannot leave a half-written Arc behind, so a
        // poisoned lock still holds a valid snapshot.
        self.current.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn get(&self) -> Arc<Snapshot> {
        self.lock().clone()
    }

    /// Publishes the next revision; a failed build keeps the last render.
    pub fn publish(&self, outcome: Outcome) -> Arc<Snapshot> {
        self.publish_if(outcome, |_| true).expect("published unconditionally")
    }

    /// Publishes the next revision only if `still(current)` holds, checked
    /// under the lock (a late PDF export must not hide a newer revision).
    pub fn publish_if(
        &self,
        outcome: Outcome,
        still: impl FnOnce(&Snapshot) -> bool,
    ) -> Option<Arc<Snapshot>> {
        let mut current = self.lock();
        if !still(&current) {
            return None;
        }
        let revision = current.revision + 1;
        let ok = outcome.render.is_some();
        let render = match outcome.render {
            Some(r) => Some(Arc::new(Render { revision, ..r })),
            None => current.render.clone(),
        };
        let next = Arc::new(Snapshot {
            revision,
            ok,
            file: current.file.clone(),
            errors: outcome.errors,
            warnings: outcome.warnings,
            render,
            timings: outcome.timings,
        });
        *current = next.clone();
        self.changed.notify_all();
        Some(next)
    }

    /// Waits until a revision newer than `seen` is published, at most
    /// `timeout`; returns the current snapshot either way.
    pub fn wait_newer(&self, seen: u64, timeout: Duration) -> Arc<Snapshot> {
        let current = self.lock();
        let (current, _) = self
            .changed
            .wait_timeout_while(current, timeout, |c| c.revision <= seen)
            .unwrap_or_else(|e| e.into_inner());
        current.clone()
    }
}
