//! 预览的当前状态：每次重新排版得到一个新版本，HTTP 线程只读它的快照。

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::Serialize;

/// One page of a successful render.
pub struct PageImage {
    /// Identifies the page's content: the browser reloads only pages whose
    /// key changed, which keeps the scroll position and the traffic small.
    pub key: String,
    pub svg: Arc<[u8]>,
}

/// The output of a successful compile.
pub struct Render {
    /// The revision that produced it.
    pub revision: u64,
    pub pages: Vec<Arc<PageImage>>,
    pub pdf: Arc<[u8]>,
}

/// What one rebuild found: its messages and, when it succeeded, its output.
pub struct Outcome {
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
    pub render: Option<Render>,
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
    /// How long the rebuild took, from noticing the change to publishing.
    pub took: Duration,
}

/// The body of `/status`.
#[derive(Serialize)]
struct Status<'a> {
    revision: u64,
    ok: bool,
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
            took: Duration::ZERO,
        };
        Shared { current: Mutex::new(Arc::new(empty)), changed: Condvar::new() }
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
    pub fn publish(&self, outcome: Outcome, took: Duration) -> Arc<Snapshot> {
        let mut current = self.lock();
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
            took,
        });
        *current = next.clone();
        self.changed.notify_all();
        next
    }

    /// Waits until a revision newer than `seen` is published, at most
    /// `timeout`; returns the current snapshot either way.
    pub fn wait_newer(&self, seen: u64, timeout: Duration) -> Arc<Snapshot> {
        let deadline = Instant::now() + timeout;
        let mut current = self.lock();
        while current.revision <= seen {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            current = self.changed.wait_timeout(current, left).unwrap_or_else(|e| e.into_inner()).0;
        }
        current.clone()
    }
}
