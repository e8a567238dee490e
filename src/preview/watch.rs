//! 监视输入文件：文件系统事件唤醒，内容决定是否有改动。
//!
//! The watch sleeps until the system reports activity (inotify, FSEvents,
//! ReadDirectoryChangesW through `notify`), so an idle preview uses no CPU
//! and a save is seen at once instead of at the next poll. What it watches
//! is the folder holding each input, not the file: editors that save by
//! writing a new file and renaming it over the old one replace the file
//! (and a watch on it would die with it). An event only says "look": the
//! contents decide, so a save that changes nothing makes no new revision,
//! and file times (coarse on FAT) play no part.
//!
//! Two fallbacks: where events cannot be had (the system's watch limit,
//! an unsupported filesystem), the inputs are polled as before; and while
//! events work, sizes and times are still compared every few seconds, for
//! network filesystems where another machine's writes raise no event.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};
use typst::utils::hash128;

use crate::pipeline::Environment;

/// How often the inputs are compared when events are not available.
pub const POLL: Duration = Duration::from_millis(25);

/// While events work: how often sizes and times are compared anyway.
const SAFETY_POLL: Duration = Duration::from_secs(3);

/// A save that is not known to be finished (a file written in place, with
/// no close event on this system) is read once no event came for this long.
const QUIET: Duration = Duration::from_millis(15);

/// However busy the files, a save is read after this long.
const SETTLE_MAX: Duration = Duration::from_millis(200);

/// Polling fallback: every 40th poll (once a second) compares contents even
/// if sizes and times did not move, and looks at the font folders.
const SLOW_EVERY: u32 = 40;

/// Symbolic links could make a folder contain itself.
const MAX_DEPTH: usize = 16;

/// Which inputs changed.
#[derive(Debug, Default, Clone, Copy)]
pub struct Changes {
    pub data: bool,
    pub templates: bool,
    pub fonts: bool,
}

impl Changes {
    pub fn any(&self) -> bool {
        self.data || self.templates || self.fonts
    }
}

enum Signal {
    Fs(notify::Result<Event>),
    Wake,
}

/// Ends a `wait` in progress (and the next one, if none is).
#[derive(Clone)]
pub struct Waker(Sender<Signal>);

impl Waker {
    pub fn wake(&self) {
        let _ = self.0.send(Signal::Wake);
    }
}

pub struct Watch {
    data: Inputs,
    /// `--templates`, else `./templates`, which is used when it appears.
    templates: Inputs,
    fonts: Inputs,
    tx: Sender<Signal>,
    rx: Receiver<Signal>,
    /// `None` when events could not be set up: then the inputs are polled.
    events: Option<Events>,
    polls: u32,
}

/// The system watcher and the folders it watches.
struct Events {
    watcher: RecommendedWatcher,
    watched: HashSet<(PathBuf, bool)>,
}

impl Watch {
    /// Takes the first fingerprints and starts watching; call it before the
    /// first build, so an edit saved during that build is seen.
    pub fn new(data: &Path, env: &Environment) -> Watch {
        let templates = env.templates.clone().unwrap_or_else(|| PathBuf::from("templates"));
        let (tx, rx) = mpsc::channel();
        let mut watch = Watch {
            data: Inputs::new(vec![absolute(data)], true),
            templates: Inputs::new(vec![absolute(&templates)], true),
            fonts: Inputs::new(env.fonts.font_paths.iter().map(|p| absolute(p)).collect(), false),
            events: None,
            tx,
            rx,
            polls: 0,
        };
        watch.events = watch.start_events();
        watch
    }

    pub fn waker(&self) -> Waker {
        Waker(self.tx.clone())
    }

    /// Whether file-system events drive the watch (else it polls).
    #[cfg(test)]
    pub fn evented(&self) -> bool {
        self.events.is_some()
    }

    /// Waits until an input changed, or a `Waker` was used (then no change).
    pub fn wait(&mut self) -> Changes {
        loop {
            if let Some(changes) = self.wait_once(None) {
                return changes;
            }
        }
    }

    /// Like `wait`, but gives up after `limit` with no change.
    #[cfg(test)]
    pub fn wait_for(&mut self, limit: Duration) -> Changes {
        let end = Instant::now() + limit;
        while let Some(left) = end.checked_duration_since(Instant::now()) {
            if let Some(changes) = self.wait_once(Some(left)) {
                return changes;
            }
        }
        Changes::default()
    }

    /// One sleep: `Some` when something ended the wait, `None` to go on.
    fn wait_once(&mut self, limit: Option<Duration>) -> Option<Changes> {
        let tick = if self.events.is_some() { SAFETY_POLL } else { POLL };
        let timeout = limit.map_or(tick, |l| l.min(tick));
        match self.rx.recv_timeout(timeout) {
            Ok(Signal::Wake) => Some(Changes::default()),
            Ok(Signal::Fs(first)) => {
                let touched = self.settle(first);
                let changes = self.compare(touched);
                self.arm();
                changes.any().then_some(changes)
            }
            Err(RecvTimeoutError::Timeout) => {
                let changes = self.poll();
                changes.any().then_some(changes)
            }
            Err(RecvTimeoutError::Disconnected) => {
                self.events = None;
                None
            }
        }
    }

    /// Collects the events of one save. A rename onto an input or a closed
    /// write ends the save at once; otherwise it ends when the events stop.
    fn settle(&mut self, first: notify::Result<Event>) -> Changes {
        let started = Instant::now();
        let mut touched = Changes::default();
        let mut next = Some(first);
        while let Some(event) = next.take() {
            let finished = match event {
                Ok(event) => self.note(&event, &mut touched),
                // Events were lost (queue overflow): look at everything.
                Err(_) => {
                    touched = Changes { data: true, templates: true, fonts: true };
                    true
                }
            };
            if finished && touched.any() {
                break;
            }
            let left = SETTLE_MAX.saturating_sub(started.elapsed());
            next = match self.rx.recv_timeout(QUIET.min(left)) {
                Ok(Signal::Fs(e)) => Some(e),
                // Keep the wake for the next wait.
                Ok(Signal::Wake) => {
                    let _ = self.tx.send(Signal::Wake);
                    None
                }
                Err(_) => None,
            };
        }
        touched
    }

    /// Marks the inputs an event is about; true if it finishes a save.
    fn note(&mut self, event: &Event, touched: &mut Changes) -> bool {
        let replaced = matches!(
            event.kind,
            EventKind::Create(_) | EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
        );
        let mut any = false;
        for path in &event.paths {
            let hit = [
                (self.data.covers(path), &mut touched.data),
                (self.templates.covers(path), &mut touched.templates),
                (self.fonts.covers(path), &mut touched.fonts),
            ];
            for (covers, flag) in hit {
                if covers {
                    *flag = true;
                    any = true;
                }
            }
            // A watched folder that was replaced must be watched anew.
            if let Some(events) = self.events.as_mut().filter(|_| replaced) {
                events.forget(path);
            }
        }
        let finished = match event.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
            EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both)) => {
                event.paths.last().is_some_and(|p| self.covers_any(p))
            }
            _ => false,
        };
        any && finished
    }

    fn covers_any(&self, path: &Path) -> bool {
        self.data.covers(path) || self.templates.covers(path) || self.fonts.covers(path)
    }

    /// Compares the contents of the inputs the events named.
    fn compare(&mut self, touched: Changes) -> Changes {
        Changes {
            data: touched.data && self.data.changed(true),
            templates: touched.templates && self.templates.changed(true),
            fonts: touched.fonts && self.fonts.changed(true),
        }
    }

    /// Sizes and times (and, when polling, contents once a second).
    fn poll(&mut self) -> Changes {
        self.polls = self.polls.wrapping_add(1);
        let slow = self.events.is_some() || self.polls.is_multiple_of(SLOW_EVERY);
        let thorough = self.events.is_none() && slow;
        let changes = Changes {
            data: self.data.changed(thorough),
            templates: self.templates.changed(thorough),
            fonts: slow && self.fonts.changed(true),
        };
        if self.events.is_some() {
            self.arm();
        }
        changes
    }

    fn start_events(&self) -> Option<Events> {
        let tx = self.tx.clone();
        let handler = move |e: notify::Result<Event>| {
            // An error (lost events) is passed on: it means "look at everything".
            if e.as_ref().is_err() || e.as_ref().is_ok_and(relevant) {
                let _ = tx.send(Signal::Fs(e));
            }
        };
        match RecommendedWatcher::new(handler, notify::Config::default()) {
            Ok(watcher) => {
                let mut events = Events { watcher, watched: HashSet::new() };
                let data = &self.data.roots[0];
                if events.watch(data.parent().unwrap_or(data), false) {
                    events.arm(&[&self.data, &self.templates, &self.fonts]);
                    return Some(events);
                }
                crate::error::errln!(
                    "警告：无法监视 {} 所在的文件夹，改为定时查看文件",
                    data.display()
                );
            }
            Err(e) => crate::error::errln!("警告：无法使用文件系统通知（{e}），改为定时查看文件"),
        }
        None
    }

    /// Watches what appeared since the last call (a templates folder made
    /// after the start, a folder replaced by a rename).
    fn arm(&mut self) {
        if let Some(events) = &mut self.events {
            events.arm(&[&self.data, &self.templates, &self.fonts]);
        }
    }
}

impl Events {
    /// Each root's folder (its own changes, and its replacement by a
    /// rename), and a root that is a folder, with everything below it.
    fn arm(&mut self, groups: &[&Inputs]) {
        for root in groups.iter().flat_map(|g| &g.roots) {
            if let Some(parent) = root.parent().filter(|p| p.is_dir()) {
                self.watch(parent, false);
            }
            if root.is_dir() {
                self.watch(root, true);
            }
        }
    }

    fn watch(&mut self, path: &Path, recursive: bool) -> bool {
        let key = (path.to_path_buf(), recursive);
        if self.watched.contains(&key) {
            return true;
        }
        let mode = if recursive { RecursiveMode::Recursive } else { RecursiveMode::NonRecursive };
        let ok = self.watcher.watch(path, mode).is_ok();
        if ok {
            self.watched.insert(key);
        }
        ok
    }

    /// Forgets a watched folder an event named (created, removed or
    /// renamed), so the next `arm` watches whatever is there now.
    fn forget(&mut self, path: &Path) {
        for recursive in [false, true] {
            let key = (path.to_path_buf(), recursive);
            if self.watched.remove(&key) {
                let _ = self.watcher.unwatch(path);
            }
        }
    }
}

/// Whether an event can mean new contents. Opening and reading (ours
/// too: each rebuild reads the data) and attribute changes cannot.
fn relevant(event: &Event) -> bool {
    match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_)) => false,
        _ => true,
    }
}

/// The path made absolute (not resolved), as event paths are.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Files watched together, and their last fingerprints.
struct Inputs {
    roots: Vec<PathBuf>,
    /// Compare contents, not only sizes and times.
    by_content: bool,
    meta: u128,
    content: u128,
}

impl Inputs {
    fn new(roots: Vec<PathBuf>, by_content: bool) -> Inputs {
        let mut inputs = Inputs { roots, by_content, meta: 0, content: 0 };
        inputs.changed(true);
        inputs
    }

    /// Whether an event about `path` concerns these inputs.
    fn covers(&self, path: &Path) -> bool {
        self.roots.iter().any(|root| path.starts_with(root))
    }

    /// Whether the files changed; contents are read only when sizes or
    /// times moved, or when `thorough`.
    fn changed(&mut self, thorough: bool) -> bool {
        let meta = fingerprint(&self.roots, false);
        if meta == self.meta && !thorough {
            return false;
        }
        self.meta = meta;
        let content = if self.by_content { fingerprint(&self.roots, true) } else { meta };
        let changed = content != self.content;
        self.content = content;
        changed
    }
}

/// A hash over every file below `roots`: of its bytes, or of its size and
/// modification time when `content` is false.
fn fingerprint(roots: &[PathBuf], content: bool) -> u128 {
    let mut entries = Vec::new();
    for root in roots {
        walk(root, content, 0, &mut entries);
    }
    hash128(&entries)
}

fn walk(path: &Path, content: bool, depth: usize, out: &mut Vec<(PathBuf, u128)>) {
    let Ok(meta) = fs::metadata(path) else {
        // A missing file is a state of its own: its return is a change.
        out.push((path.to_path_buf(), 0));
        return;
    };
    if meta.is_dir() {
        let Ok(entries) = fs::read_dir(path) else { return };
        if depth >= MAX_DEPTH {
            return;
        }
        let mut children: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        children.sort();
        for child in &children {
            walk(child, content, depth + 1, out);
        }
    } else if content {
        let bytes = fs::read(path).unwrap_or_default();
        out.push((path.to_path_buf(), hash128(&bytes)));
    } else {
        out.push((path.to_path_buf(), hash128(&(meta.len(), meta.modified().ok()))));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATIENCE: Duration = Duration::from_secs(20);

    #[test]
    fn events_wake_the_watch_and_contents_decide() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("a.toml");
        fs::write(&data, "x = 1\n").unwrap();
        let env = Environment {
            templates: Some(dir.path().join("tpl")),
            fonts: crate::typeset::fonts::FontOptions {
                font_paths: Vec::new(),
                no_system_fonts: true,
            },
            profile: None,
        };
        let mut watch = Watch::new(&data, &env);
        assert!(watch.evented(), "a temp folder can be watched");
        // An event, but the same bytes: no change.
        fs::write(&data, "x = 1\n").unwrap();
        assert!(!watch.wait_for(Duration::from_millis(300)).any());
        // Saved as editors do: a new file renamed over the old one.
        fs::write(dir.path().join("a.toml.tmp"), "x = 2\n").unwrap();
        fs::rename(dir.path().join("a.toml.tmp"), &data).unwrap();
        let c = watch.wait_for(PATIENCE);
        assert!(c.data && !c.templates, "{c:?}");
        // A templates folder made after the start is watched from then on.
        fs::create_dir(dir.path().join("tpl")).unwrap();
        fs::write(dir.path().join("tpl/main.typ"), "hi").unwrap();
        let c = watch.wait_for(PATIENCE);
        assert!(c.templates && !c.data, "{c:?}");
        fs::write(dir.path().join("tpl/main.typ"), "ho").unwrap();
        assert!(watch.wait_for(PATIENCE).templates);
        // A file beside the data is not the data.
        fs::write(dir.path().join("other.toml"), "y = 1\n").unwrap();
        assert!(!watch.wait_for(Duration::from_millis(300)).any());
        // A waker ends a wait with no change.
        watch.waker().wake();
        let started = Instant::now();
        assert!(!watch.wait_for(PATIENCE).any());
        assert!(started.elapsed() < PATIENCE, "the wake ended the wait");
    }
}
