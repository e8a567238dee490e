//! 监视输入文件：定时比较数据文件、模板目录和字体目录的指纹。
//!
//! Polling a handful of files works the same on every system and
//! filesystem, and sees editors that save by writing a new file and
//! renaming it. Each poll only compares file sizes and times; when they
//! move, the contents decide, so a save that changes nothing makes no new
//! revision. Contents are also compared once a second regardless, because
//! some filesystems (FAT) keep times too coarse to see a quick second save.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use typst::utils::hash128;

use crate::args::EnvArgs;

/// How often the inputs are compared; half of it is the mean delay before
/// a rebuild starts. A poll is a dozen `stat` calls.
pub const POLL: Duration = Duration::from_millis(25);

/// Every 40th poll (once a second) compares contents even if sizes and
/// times did not move, and looks at the font folders, which can be large
/// and change rarely (by size and time only).
const SLOW_EVERY: u32 = 40;

/// Symbolic links could make a folder contain itself.
const MAX_DEPTH: usize = 16;

/// Which inputs changed since the last poll.
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

pub struct Watch {
    data: Inputs,
    /// `--templates`, else `./templates`, which is used when it appears.
    templates: Inputs,
    fonts: Inputs,
    polls: u32,
}

impl Watch {
    /// Takes the first fingerprints; call it before the first build, so an
    /// edit saved during that build is seen by the next poll.
    pub fn new(data: &Path, env: &EnvArgs) -> Watch {
        let templates = env.templates.clone().unwrap_or_else(|| PathBuf::from("templates"));
        Watch {
            data: Inputs::new(vec![data.to_path_buf()], true),
            templates: Inputs::new(vec![templates], true),
            fonts: Inputs::new(env.fonts.font_paths.clone(), false),
            polls: 0,
        }
    }

    pub fn poll(&mut self) -> Changes {
        self.polls = self.polls.wrapping_add(1);
        let slow = self.polls.is_multiple_of(SLOW_EVERY);
        Changes {
            data: self.data.changed(slow),
            templates: self.templates.changed(slow),
            fonts: slow && self.fonts.changed(true),
        }
    }
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

    #[test]
    fn sees_content_changes_but_not_rewrites_of_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("a.toml");
        fs::write(&data, "x = 1\n").unwrap();
        let env = EnvArgs {
            profile: None,
            templates: Some(dir.path().join("tpl")),
            fonts: crate::args::FontArgs { font_paths: Vec::new(), no_system_fonts: true },
        };
        let mut watch = Watch::new(&data, &env);
        assert!(!watch.poll().any());
        fs::write(&data, "x = 1\n").unwrap();
        assert!(!watch.poll().any());
        // A new length: file times may not move between two quick writes.
        fs::write(&data, "x = 22\n").unwrap();
        let c = watch.poll();
        assert!(c.data && !c.templates);
        fs::create_dir(dir.path().join("tpl")).unwrap();
        fs::write(dir.path().join("tpl/main.typ"), "hi").unwrap();
        let c = watch.poll();
        assert!(c.templates && !c.data);
    }
}
