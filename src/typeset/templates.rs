//! 模板：`templates/` 目录下的 Typst 文件。
//!
//! A copy of the shipped templates is compiled into the binary so `yusuan`
//! works from any folder; `--templates DIR` (or a `templates/` folder in the
//! working directory) replaces it, which is how a bureau adapts the layout.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::source::walk;

/// The shipped templates, by path relative to `templates/`: the default
/// profile's files (`source::profile` holds every bundled profile).
pub use crate::source::profile::HEBEI as EMBEDDED;

/// The template set a World compiles.
#[derive(Debug, Clone)]
pub struct Templates {
    /// Text of each file, keyed by its path relative to the template root.
    pub files: HashMap<String, String>,
    /// Files that are not UTF-8 text (images, fonts), served to `#image`
    /// and `#read(..., encoding: none)` as stock typst does.
    pub assets: HashMap<String, Vec<u8>>,
    /// What the walk of the folder skipped (links, FIFOs), for a warning.
    pub skipped: Vec<String>,
    /// The folder they were read from; `None` for the embedded copy.
    pub dir: Option<PathBuf>,
    /// The main template, relative to the root (the profile's `main`).
    pub main: String,
    /// How messages name an embedded set's root: `templates`, or
    /// `profiles/shanghai` for a bundled profile.
    pub root: String,
}

impl Templates {
    pub fn embedded() -> Templates {
        Templates::from_files(EMBEDDED)
    }

    /// A bundled template set (a bundled profile's files).
    pub fn from_files(list: &[(&str, &str)]) -> Templates {
        let files = list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Templates {
            files,
            assets: HashMap::new(),
            skipped: Vec::new(),
            dir: None,
            main: MAIN.to_string(),
            root: "templates".to_string(),
        }
    }

    /// The same set, named in messages by a bundled profile's folder.
    pub fn rooted(self, root: &str) -> Templates {
        Templates { root: root.to_string(), ..self }
    }

    /// Reads every regular file below `dir` (templates may include images
    /// or data), by the rule of `walk`: no link is followed, so nothing
    /// outside `dir` is ever read or handed to Typst.
    pub fn from_dir(dir: &Path) -> Result<Templates, TemplateError> {
        let found = walk::walk(dir, &|_| true).map_err(TemplateError::Walk)?;
        let mut t = Templates {
            files: HashMap::new(),
            assets: HashMap::new(),
            skipped: found.skipped.iter().map(ToString::to_string).collect(),
            dir: Some(dir.to_path_buf()),
            main: MAIN.to_string(),
            root: "templates".to_string(),
        };
        // Every file is read into memory before any compile (and before the
        // memory limit watches): the folder's total is checked first.
        let total: u64 =
            found.files.iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum();
        if total > MAX_TOTAL_BYTES {
            let e = std::io::Error::other(format!(
                "模板文件夹中的文件共 {} MiB，超过 {} MiB，不像是模板；请检查文件夹是否给错",
                total >> 20,
                MAX_TOTAL_BYTES >> 20
            ));
            return Err(TemplateError::Read(dir.to_path_buf(), e));
        }
        for path in found.files {
            let bytes = walk::read_regular(&path, MAX_FILE_BYTES)
                .map_err(|e| TemplateError::Read(path.clone(), e))?;
            let rel = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            match String::from_utf8(bytes) {
                Ok(text) => t.files.insert(rel, text),
                Err(e) => t.assets.insert(rel, e.into_bytes()).map(|_| String::new()),
            };
        }
        Ok(t)
    }

    /// `--templates DIR`, else `./templates` when it holds a main.typ, else
    /// the embedded copy.
    pub fn locate(explicit: Option<&Path>) -> Result<Templates, TemplateError> {
        match explicit {
            Some(dir) => Templates::from_dir(dir),
            None if Path::new("templates/main.typ").is_file() => {
                Templates::from_dir(Path::new("templates"))
            }
            None => Ok(Templates::embedded()),
        }
    }

    /// How a template file is named in messages: its path on disk when it
    /// has one.
    pub fn display_path(&self, rel: &str) -> String {
        match &self.dir {
            Some(dir) => dir.join(rel).display().to_string(),
            None => format!("{}/{rel}（内置）", self.root),
        }
    }
}

/// The main template when the profile names no other.
pub const MAIN: &str = "main.typ";

/// A file of a templates folder larger than this is refused (a template
/// set with its images is a few MiB).
const MAX_FILE_BYTES: u64 = 64 << 20;

/// All files of a templates or profile folder together.
const MAX_TOTAL_BYTES: u64 = 256 << 20;

/// Why a templates folder could not be read.
#[derive(Debug)]
pub enum TemplateError {
    Walk(walk::WalkError),
    Read(PathBuf, std::io::Error),
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TemplateError::Walk(e) => write!(f, "{e}"),
            TemplateError::Read(p, e) => {
                write!(f, "无法读取 {}：{}", crate::error::shown(p), crate::error::os_words(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded list must name every file of templates/, or a template
    /// added on disk would be missing from the binary.
    #[test]
    fn embedded_list_matches_the_folder() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let on_disk = Templates::from_dir(&dir).unwrap();
        let mut disk: Vec<_> = on_disk.files.keys().cloned().collect();
        let mut embedded: Vec<_> = EMBEDDED.iter().map(|(k, _)| k.to_string()).collect();
        disk.sort();
        embedded.sort();
        assert_eq!(disk, embedded);
        for (k, v) in EMBEDDED {
            assert_eq!(on_disk.files[*k], *v, "{k} differs from the embedded copy");
        }
    }
}
