//! 遍历目录：数据、模板与字体目录都按同一规则遍历。
//!
//! The rule, written once (README “出错时的保证” quotes it):
//! - only regular files are listed; FIFOs, sockets and devices are skipped
//!   with a warning, since reading one blocks for ever or never ends;
//! - symbolic links met during the walk are not followed, so a walk never
//!   leaves the folder it was given and cannot loop; each is reported. A
//!   link named on the command line is followed: the user chose it;
//! - a walk stops with an error past `MAX_DEPTH` folders deep or
//!   `MAX_FILES` files, rather than wander a mistaken folder (`/`) for
//!   minutes.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Folders below the root a walk enters at most.
pub const MAX_DEPTH: usize = 32;

/// Entries a walk looks at at most.
pub const MAX_FILES: usize = 50_000;

/// Something a walk passed over, for a warning.
#[derive(Debug)]
pub enum Skipped {
    Link(PathBuf),
    NotRegular(PathBuf),
    Unreadable(PathBuf, io::Error),
}

/// Why a walk stopped.
#[derive(Debug)]
pub enum WalkError {
    TooDeep(PathBuf),
    TooMany(PathBuf),
    Unreadable(PathBuf, io::Error),
}

/// What a walk found: the regular files `keep` accepted, in a stable order,
/// and what it skipped.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<PathBuf>,
    pub skipped: Vec<Skipped>,
}

/// Walks `root` (a folder) by the rule above. `keep` decides by name which
/// regular files are listed; a link or special file is reported only when
/// `keep` would have listed it or it stands where a folder could be.
pub fn walk(root: &Path, keep: &dyn Fn(&Path) -> bool) -> Result<Walk, WalkError> {
    let mut w = Walk::default();
    let mut seen = 0usize;
    visit(root, root, 0, keep, &mut w, &mut seen)?;
    Ok(w)
}

fn visit(
    root: &Path,
    dir: &Path,
    depth: usize,
    keep: &dyn Fn(&Path) -> bool,
    w: &mut Walk,
    seen: &mut usize,
) -> Result<(), WalkError> {
    if depth > MAX_DEPTH {
        return Err(WalkError::TooDeep(dir.to_path_buf()));
    }
    let entries = fs::read_dir(dir).map_err(|e| WalkError::Unreadable(dir.to_path_buf(), e))?;
    let mut entries: Vec<(PathBuf, io::Result<fs::FileType>)> =
        entries.flatten().map(|e| (e.path(), e.file_type())).collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, kind) in entries {
        *seen += 1;
        if *seen > MAX_FILES {
            return Err(WalkError::TooMany(root.to_path_buf()));
        }
        match kind {
            Err(e) => w.skipped.push(Skipped::Unreadable(path, e)),
            Ok(t) if t.is_dir() => visit(root, &path, depth + 1, keep, w, seen)?,
            Ok(t) if t.is_symlink() => w.skipped.push(Skipped::Link(path)),
            Ok(t) if t.is_file() => {
                if keep(&path) {
                    w.files.push(path);
                }
            }
            Ok(_) if keep(&path) => w.skipped.push(Skipped::NotRegular(path)),
            Ok(_) => {}
        }
    }
    Ok(())
}

/// A path named on the command line: links are followed, but what they
/// lead to must be a regular file.
pub fn regular_file(path: &Path) -> Result<(), io::Error> {
    let meta = fs::metadata(path)?;
    if meta.is_file() { Ok(()) } else { Err(io::Error::other(NOT_REGULAR)) }
}

const NOT_REGULAR: &str = "不是普通文件（可能是管道、设备或目录）";

/// Reads a file named by a walk or on the command line, refusing what is
/// not a regular file (reading a FIFO would wait for ever) and anything
/// larger than `limit` bytes.
pub fn read_regular(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    use std::io::Read;
    regular_file(path)?;
    let file = fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::other(format!("文件超过 {} MiB，不像是本程序的输入", limit >> 20)));
    }
    Ok(bytes)
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Skipped::Link(p) => write!(
                f,
                "跳过符号链接 {}：遍历目录时不跟随链接（要用它指向的文件，请在命令行上直接给出）",
                crate::error::shown(p)
            ),
            Skipped::NotRegular(p) => {
                write!(f, "跳过 {}：不是普通文件（管道、设备或套接字）", crate::error::shown(p))
            }
            Skipped::Unreadable(p, e) => {
                write!(
                    f,
                    "跳过 {}：无法读取（{}）",
                    crate::error::shown(p),
                    crate::error::os_words(e)
                )
            }
        }
    }
}

impl fmt::Display for WalkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WalkError::TooDeep(p) => write!(
                f,
                "目录层数超过 {MAX_DEPTH} 层：{}；请检查目录是否给错，或把文件放到较浅的目录",
                crate::error::shown(p)
            ),
            WalkError::TooMany(p) => write!(
                f,
                "目录 {} 下的条目超过 {MAX_FILES} 个，已停止查找；请检查目录是否给错，或分批给出",
                crate::error::shown(p)
            ),
            WalkError::Unreadable(p, e) => {
                write!(f, "无法读取目录 {}：{}", crate::error::shown(p), crate::error::os_words(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toml(p: &Path) -> bool {
        p.extension().is_some_and(|e| e == "toml")
    }

    #[test]
    fn links_are_reported_not_followed() {
        let d = tempfile::tempdir().unwrap();
        fs::write(d.path().join("a.toml"), "").unwrap();
        std::os::unix::fs::symlink(".", d.path().join("loop")).unwrap();
        std::os::unix::fs::symlink("a.toml", d.path().join("b.toml")).unwrap();
        let w = walk(d.path(), &toml).unwrap();
        assert_eq!(w.files, vec![d.path().join("a.toml")]);
        assert_eq!(w.skipped.len(), 2, "{:?}", w.skipped);
    }

    #[test]
    fn depth_is_limited() {
        let d = tempfile::tempdir().unwrap();
        let mut p = d.path().to_path_buf();
        for _ in 0..=MAX_DEPTH + 1 {
            p.push("s");
        }
        fs::create_dir_all(&p).unwrap();
        assert!(matches!(walk(d.path(), &toml), Err(WalkError::TooDeep(_))));
    }

    #[test]
    fn oversized_files_are_refused() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.toml");
        fs::write(&p, vec![b'x'; 2048]).unwrap();
        assert!(read_regular(&p, 1024).is_err());
        assert_eq!(read_regular(&p, 4096).unwrap().len(), 2048);
    }
}
