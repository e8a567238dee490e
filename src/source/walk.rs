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
    let meta = fs::metadata(path)?;
    if !meta.is_file() {
        return Err(io::Error::other(NOT_REGULAR));
    }
    // The size is checked before a byte is read; `take` below still holds
    // for a file that grows while it is read.
    if meta.len() > limit {
        return Err(too_large(limit));
    }
    let file = fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(limit));
    }
    Ok(bytes)
}

fn too_large(limit: u64) -> io::Error {
    io::Error::other(format!("文件超过 {} MiB，不像是本程序的输入", limit >> 20))
}

/// Why a file named inside a data file (a 决算's budget, the catalogue
/// beside the data) is not read.
#[derive(Debug)]
pub enum Named {
    /// Nothing there.
    Missing,
    /// An absolute path, or one with `..`: it may leave the folder.
    Outside,
    /// A symbolic link on the way (`via`): links met inside a folder are
    /// not followed, as in a walk.
    Link(PathBuf),
    /// A folder, not a file.
    Folder,
    /// A FIFO, device or socket.
    NotRegular,
    /// Not a `.toml` file: only files of yusuan's own format are read (and
    /// quoted in messages) on a data file's word.
    NotToml,
    Unreadable(io::Error),
}

/// The file that `written`, found inside the data file `data`, names: a
/// path relative to the data file's folder that stays inside that folder's
/// tree, reaches a regular `.toml` file, and passes no symbolic link on
/// the way. A data file from elsewhere (a CI job, a colleague) can thus
/// make yusuan read, and quote, only its own kind of file beside it —
/// never `/etc/passwd` or `../../secret`.
pub fn named_in(data: &Path, written: &str) -> Result<PathBuf, Named> {
    let rel = Path::new(written.trim());
    let plain = rel.components().all(|c| matches!(c, std::path::Component::Normal(_)));
    if written.trim().is_empty() || !plain {
        return Err(Named::Outside);
    }
    if rel.extension().is_none_or(|e| e != "toml") {
        return Err(Named::NotToml);
    }
    // The data file's folder as it was named (empty: the current folder), so
    // messages name the file as the user would.
    let mut at = data.parent().unwrap_or(Path::new("")).to_path_buf();
    let parts: Vec<_> = rel.components().collect();
    for (i, part) in parts.iter().enumerate() {
        at.push(part);
        let t = match fs::symlink_metadata(&at) {
            Ok(m) => m.file_type(),
            Err(e)
                if matches!(e.kind(), io::ErrorKind::NotFound | io::ErrorKind::NotADirectory) =>
            {
                return Err(Named::Missing);
            }
            Err(e) => return Err(Named::Unreadable(e)),
        };
        let last = i + 1 == parts.len();
        if t.is_symlink() {
            return Err(Named::Link(at));
        } else if !last && !t.is_dir() {
            return Err(Named::Missing);
        } else if last && t.is_dir() {
            return Err(Named::Folder);
        } else if last && !t.is_file() {
            return Err(Named::NotRegular);
        }
    }
    Ok(at)
}

impl fmt::Display for Named {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Named::Missing => write!(f, "不存在"),
            Named::Outside => write!(
                f,
                "须是本文件所在文件夹（或其下级文件夹）中的文件，写相对路径，不能是绝对路径，不能含 .."
            ),
            Named::Link(p) => write!(
                f,
                "经过符号链接 {}：数据文件中写的路径不跟随链接，请把文件本身放在这里",
                crate::error::shown(p)
            ),
            Named::Folder => write!(f, "是文件夹，不是文件"),
            Named::NotRegular => write!(f, "{NOT_REGULAR}"),
            Named::NotToml => write!(f, "不是 .toml 数据文件"),
            Named::Unreadable(e) => write!(f, "无法读取（{}）", crate::error::os_words(e)),
        }
    }
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
    fn a_named_file_stays_in_its_folder() {
        let d = tempfile::tempdir().unwrap();
        let data = d.path().join("a-final.toml");
        fs::create_dir(d.path().join("sub")).unwrap();
        fs::write(d.path().join("sub/b.toml"), "").unwrap();
        fs::write(d.path().join("c.txt"), "").unwrap();
        std::os::unix::fs::symlink("sub", d.path().join("ln")).unwrap();
        assert_eq!(named_in(&data, "sub/b.toml").unwrap(), d.path().join("sub/b.toml"));
        for (written, want) in [
            ("/etc/passwd.toml", "Outside"),
            ("../x.toml", "Outside"),
            ("sub/../sub/b.toml", "Outside"),
            ("", "Outside"),
            ("c.txt", "NotToml"),
            ("ln/b.toml", "Link"),
            ("nope.toml", "Missing"),
            ("c.txt/b.toml", "Missing"),
        ] {
            let got = format!("{:?}", named_in(&data, written).unwrap_err());
            assert!(got.starts_with(want), "{written}: {got}");
        }
        fs::create_dir(d.path().join("dir.toml")).unwrap();
        assert!(matches!(named_in(&data, "dir.toml"), Err(Named::Folder)));
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
