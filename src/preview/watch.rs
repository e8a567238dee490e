//! 监视输入文件：定时比较数据文件、模板目录和字体目录的指纹。
//!
//! Polling a handful of small files is cheap, works the same on every
//! system and filesystem, and sees editors that save by writing a new file
//! and renaming it. Data and templates are fingerprinted by content, so a
//! save that changes nothing does not make a new revision, and coarse file
//! times cannot hide an edit.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use typst::utils::hash128;

use crate::args::EnvArgs;

/// How often the inputs are compared. Half of it is the mean delay before
/// a rebuild starts; reading a dozen small files 40 times a second costs
/// well under 1 % of a core.
pub const POLL: Duration = Duration::from_millis(25);

/// Font folders can be large and change rarely: they are looked at every
/// 40th poll (once a second), by file size and time only.
const FONT_EVERY: u32 = 40;

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
    data: PathBuf,
    /// `--templates`, else `./templates`, which is used when it appears.
    templates: PathBuf,
    fonts: Vec<PathBuf>,
    last: [u128; 3],
    polls: u32,
}

impl Watch {
    /// Takes the first fingerprints; call it before the first build, so an
    /// edit saved during that build is seen by the next poll.
    pub fn new(data: &Path, env: &EnvArgs) -> Watch {
        let mut watch = Watch {
            data: data.to_path_buf(),
            templates: env.templates.clone().unwrap_or_else(|| PathBuf::from("templates")),
            fonts: env.fonts.font_paths.clone(),
            last: [0; 3],
            polls: 0,
        };
        watch.last = [watch.print_data(), watch.print_templates(), watch.print_fonts()];
        watch
    }

    pub fn poll(&mut self) -> Changes {
        self.polls = self.polls.wrapping_add(1);
        let data = self.print_data();
        let templates = self.print_templates();
        let fonts =
            if self.polls.is_multiple_of(FONT_EVERY) { self.print_fonts() } else { self.last[2] };
        let changes = Changes {
            data: data != self.last[0],
            templates: templates != self.last[1],
            fonts: fonts != self.last[2],
        };
        self.last = [data, templates, fonts];
        changes
    }

    fn print_data(&self) -> u128 {
        fingerprint(std::slice::from_ref(&self.data), true)
    }

    fn print_templates(&self) -> u128 {
        fingerprint(std::slice::from_ref(&self.templates), true)
    }

    fn print_fonts(&self) -> u128 {
        fingerprint(&self.fonts, false)
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
            templates: Some(dir.path().join("tpl")),
            fonts: crate::args::FontArgs { font_paths: Vec::new(), no_system_fonts: true },
        };
        let mut watch = Watch::new(&data, &env);
        assert!(!watch.poll().any());
        fs::write(&data, "x = 1\n").unwrap();
        assert!(!watch.poll().any());
        fs::write(&data, "x = 2\n").unwrap();
        let c = watch.poll();
        assert!(c.data && !c.templates);
        fs::create_dir(dir.path().join("tpl")).unwrap();
        fs::write(dir.path().join("tpl/main.typ"), "hi").unwrap();
        let c = watch.poll();
        assert!(c.templates && !c.data);
    }
}
