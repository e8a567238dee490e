//! 写出文件：一个文档的全部输出（PDF、xlsx、json）先写成同目录下的临时文件，
//! 全部写好后才逐个改名到位；任何一步失败，原有文件逐字节不变。
//!
//! Temporary files are named `.yusuan-<pid>-<n>.tmp`: unique per write (a
//! counter, not only the process id, since a batch writes from several
//! threads), and short, so the longest legal output name still has a legal
//! temporary name. A write that fails removes its file; one that is killed
//! (kill -9, power loss) leaves it, and the next run in that folder removes
//! every such file whose process is gone (`clean_stale`).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::Error;

const PREFIX: &str = ".yusuan-";
const SUFFIX: &str = ".tmp";

static NEXT: AtomicU64 = AtomicU64::new(0);

/// One output written to its temporary file, waiting to be put in place.
/// Dropped without `commit`, it removes its temporary file.
#[derive(Debug)]
pub struct Staged {
    tmp: PathBuf,
    dest: PathBuf,
    done: bool,
}

impl Staged {
    pub fn dest(&self) -> &Path {
        &self.dest
    }

    fn commit(mut self) -> io::Result<()> {
        fs::rename(&self.tmp, &self.dest)?;
        self.done = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// The folder `path` is written in.
fn folder(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Creates the output folder; a file standing where the folder should be is
/// named as such (the system only says "already exists").
fn make_folder(dir: &Path) -> Result<(), Error> {
    let source = match fs::create_dir_all(dir) {
        Ok(()) => return Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && !dir.is_dir() => {
            io::Error::from(io::ErrorKind::NotADirectory)
        }
        Err(e) => e,
    };
    Err(Error::Write { path: dir.to_path_buf(), source })
}

/// Writes `bytes` to a fresh temporary file beside `dest`, synced to disk.
pub fn stage(dest: &Path, bytes: &[u8]) -> Result<Staged, Error> {
    let err = |source| Error::Write { path: dest.to_path_buf(), source };
    if dest.file_name().is_none() {
        return Err(err(io::Error::from(io::ErrorKind::InvalidInput)));
    }
    let dir = folder(dest);
    make_folder(dir)?;
    if fs::symlink_metadata(dest).is_ok_and(|m| m.is_dir()) {
        return Err(err(io::Error::from(io::ErrorKind::IsADirectory)));
    }
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!("{PREFIX}{}-{n}{SUFFIX}", std::process::id()));
    let staged = Staged { tmp, dest: dest.to_path_buf(), done: false };
    let mut f =
        fs::OpenOptions::new().write(true).create_new(true).open(&staged.tmp).map_err(err)?;
    f.write_all(bytes).and_then(|()| f.sync_all()).map_err(err)?;
    Ok(staged)
}

/// Puts every staged file in place, in order. Returns the paths written; on
/// a failure, also the error (the files after it stay as they were).
pub fn commit_all(staged: Vec<Staged>) -> (Vec<PathBuf>, Option<Error>) {
    let mut written = Vec::new();
    for s in staged {
        let dest = s.dest.clone();
        match s.commit() {
            Ok(()) => written.push(dest),
            Err(source) => return (written, Some(Error::Write { path: dest, source })),
        }
    }
    sync_folders(&written);
    (written, None)
}

/// Makes the renames durable: a crash after the run reports success must not
/// bring the old files back.
fn sync_folders(written: &[PathBuf]) {
    let mut dirs: Vec<&Path> = written.iter().map(|p| folder(p)).collect();
    dirs.dedup();
    for d in dirs {
        if let Ok(f) = fs::File::open(d) {
            let _ = f.sync_all();
        }
    }
}

/// Replaces `path` with `bytes` atomically (a document of one file).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let staged = stage(path, bytes)?;
    match commit_all(vec![staged]) {
        (_, Some(e)) => Err(e),
        (_, None) => Ok(()),
    }
}

/// What makes a file itself, whatever the path naming it: device and inode
/// (hard links and other spellings are one file), or the canonical path
/// where those are not known. A path that does not exist has none.
#[cfg(unix)]
fn identity(p: &Path) -> Option<IdentityOf> {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(p).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(p: &Path) -> Option<IdentityOf> {
    fs::canonicalize(p).ok()
}

/// Whether two paths name one file. A path that does not exist names no
/// input.
pub fn same_file(a: &Path, b: &Path) -> bool {
    identity(a).is_some_and(|x| identity(b) == Some(x))
}

/// Refuses to write `dest` when it is one of the command's own inputs:
/// `--force` allows replacing an earlier output, never what the command
/// read (a budget overwritten by its own 决算 draft is gone).
pub fn not_over(dest: &Path, inputs: &[impl AsRef<Path>]) -> Result<(), Error> {
    let inputs: Vec<&Path> = inputs.iter().map(AsRef::as_ref).collect();
    Over::new(&inputs).check(dest)
}

/// The inputs of a run by identity, looked up once each, so checking
/// thousands of outputs against thousands of inputs stays linear.
struct Over<'a> {
    by_identity: std::collections::HashMap<IdentityOf, &'a Path>,
}

#[cfg(unix)]
type IdentityOf = (u64, u64);
#[cfg(not(unix))]
type IdentityOf = PathBuf;

impl<'a> Over<'a> {
    fn new(inputs: &[&'a Path]) -> Over<'a> {
        let by_identity = inputs.iter().filter_map(|p| Some((identity(p)?, *p))).collect();
        Over { by_identity }
    }

    fn check(&self, dest: &Path) -> Result<(), Error> {
        match identity(dest).and_then(|id| self.by_identity.get(&id)) {
            Some(input) => {
                Err(Error::OverInput { output: dest.to_path_buf(), input: input.to_path_buf() })
            }
            None => Ok(()),
        }
    }
}

/// Checks every file a run will write before any is written: each input's
/// `<stem>.<ext>` for `extensions`, and the run's own files (`run_files`:
/// name and what it is, such as the view's schema). None may be one of the
/// inputs (`read`: the data files and any other file the run reads), and no
/// input's output may have a run file's name (names differing only in case
/// count as one, as on Windows and macOS).
pub fn check_plan(
    inputs: &[PathBuf],
    read: &[PathBuf],
    dir: &Path,
    extensions: &[&str],
    run_files: &[(&str, &str)],
) -> Result<(), Error> {
    let mut written: Vec<(PathBuf, Option<&PathBuf>)> = Vec::new();
    for input in inputs {
        let stem = input.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        for ext in extensions {
            written.push((dir.join(format!("{stem}.{ext}")), Some(input)));
        }
    }
    for (name, what) in run_files {
        let own = dir.join(name);
        let own_lower = lower(&own);
        let clash = written.iter().find(|(p, _)| lower(p) == own_lower);
        if let Some((output, Some(input))) = clash {
            return Err(Error::Shadowed {
                input: (*input).clone(),
                output: output.clone(),
                what: (*what).to_string(),
            });
        }
        written.push((own, None));
    }
    let all: Vec<&Path> = inputs.iter().chain(read).map(PathBuf::as_path).collect();
    let over = Over::new(&all);
    written.iter().try_for_each(|(p, _)| over.check(p))
}

fn lower(p: &Path) -> String {
    p.to_string_lossy().to_lowercase()
}

/// Removes the temporary files of earlier runs in `dir` whose process is
/// gone; returns how many. Files of a run still going (another yusuan
/// writing to the same folder) are left alone.
pub fn clean_stale(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else { return 0 };
    let mut removed = 0;
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = stale_pid(&name.to_string_lossy()) else { continue };
        let regular = e.file_type().is_ok_and(|t| t.is_file());
        if regular && pid != std::process::id() && !alive(pid, &e.path()) {
            removed += usize::from(fs::remove_file(e.path()).is_ok());
        }
    }
    removed
}

/// The process id in one of our temporary names, `.yusuan-<pid>-<n>.tmp`.
fn stale_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let (pid, n) = rest.split_once('-')?;
    n.parse::<u64>().ok()?;
    pid.parse().ok()
}

/// Whether the process that wrote `path` may still be writing. Where
/// processes cannot be looked up (no /proc), a file younger than a day is
/// assumed to belong to a live run.
fn alive(pid: u32, path: &Path) -> bool {
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        return proc.join(pid.to_string()).exists();
    }
    let age = fs::metadata(path).and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok());
    age.is_none_or(|a| a.as_secs() < 24 * 3600)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.pdf");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_failed_stage_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("a.pdf");
        fs::write(&pdf, b"old").unwrap();
        fs::create_dir(dir.path().join("a.xlsx")).unwrap();
        let first = stage(&pdf, b"new").unwrap();
        assert!(stage(&dir.path().join("a.xlsx"), b"x").is_err());
        drop(first);
        assert_eq!(fs::read(&pdf).unwrap(), b"old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn temporary_names_are_unique_and_short() {
        let dir = tempfile::tempdir().unwrap();
        let long = dir.path().join(format!("{}.pdf", "a".repeat(250)));
        let (a, b) = (stage(&long, b"1").unwrap(), stage(&long, b"2").unwrap());
        assert_ne!(a.tmp, b.tmp);
        assert!(a.tmp.file_name().unwrap().len() < 40);
    }

    #[test]
    fn no_output_lands_on_an_input_or_a_run_file() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let input = d.join("x.json");
        fs::write(&input, b"{}").unwrap();
        let inputs = vec![input.clone()];
        let e = check_plan(&inputs, &[], d, &["pdf", "json"], &[]).unwrap_err();
        assert!(matches!(e, Error::OverInput { .. }), "{e}");
        assert!(check_plan(&inputs, &[], d, &["pdf"], &[]).is_ok());
        let schema = vec![d.join("Yusuan-View.Schema.toml")];
        let e = check_plan(&schema, &[], d, &["pdf", "json"], &[("yusuan-view.schema.json", "s")])
            .unwrap_err();
        assert!(matches!(e, Error::Shadowed { .. }), "{e}");
        let read = vec![d.join("x.json")];
        let e = check_plan(&[d.join("a/x.toml")], &read, d, &["json"], &[]).unwrap_err();
        assert!(matches!(e, Error::OverInput { .. }), "{e}");
        fs::hard_link(&input, d.join("y.toml")).unwrap();
        assert!(not_over(&d.join("y.toml"), &[&input]).is_err());
    }

    #[test]
    fn stale_files_of_dead_processes_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let ours = dir.path().join(format!("{PREFIX}{}-7{SUFFIX}", std::process::id()));
        let dead = dir.path().join(format!("{PREFIX}4194305-1{SUFFIX}"));
        let foreign = dir.path().join(".notes.tmp");
        for p in [&ours, &dead, &foreign] {
            fs::write(p, b"x").unwrap();
        }
        assert_eq!(clean_stale(dir.path()), 1);
        assert!(ours.exists() && foreign.exists() && !dead.exists());
    }
}
