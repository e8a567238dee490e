//! 模板：一个样式的 Typst 文件，连同所有样式共用的基础模板（base）。
//!
//! Every profile is a folder of the same kind: its profile.toml, its main
//! template and the parts and sentences that are its own. What every
//! document shares — page, folios, headings, paragraphs, tables and their
//! breaking, the 目录, the marks the web page, the Word file and the
//! correction notice read back — is the base, which a profile imports as
//! `/base/…` and never copies (zola's themes inherit templates the same way).
//!
//! A World sees one virtual tree: `/base/…` and the profile's folder, at
//! `/<name>/…` for a bundled profile or `/profile/…` for a folder of the
//! user's. The bundled folders are compiled into the binary; `--templates
//! DIR` (or a `templates/` folder here holding `base/`) replaces any of
//! them folder by folder, which is how a bureau adapts the shared layout.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::source::profile::{BASE, bundled_files};
use crate::source::walk;

/// Where the shared base and the bundled profiles come from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Root {
    /// The copy compiled into the binary.
    #[default]
    Embedded,
    /// A folder laid out like `templates/`: each of its subfolders replaces
    /// the embedded folder of the same name; the others stay embedded.
    Dir(PathBuf),
}

impl Root {
    /// `--templates DIR`, else `./templates` when it holds a base, else
    /// the embedded copy.
    pub fn locate(explicit: Option<&Path>) -> Root {
        match explicit {
            Some(dir) => Root::Dir(dir.to_path_buf()),
            None if Path::new("templates").join(BASE).join("base.typ").is_file() => {
                Root::Dir(PathBuf::from("templates"))
            }
            None => Root::Embedded,
        }
    }

    /// A folder given as the root must be one laid out like `templates/`:
    /// a file, a missing folder or a folder of the old layout (one profile's
    /// templates with main.typ on top) is said, not silently ignored.
    pub fn check(&self) -> Result<(), String> {
        let Root::Dir(dir) = self else { return Ok(()) };
        let shown = dir.display();
        if !dir.is_dir() {
            let what = if dir.exists() { "不是文件夹" } else { "不存在" };
            return Err(format!("模板目录 {shown} {what}"));
        }
        let known = std::iter::once(BASE).chain(crate::source::profile::BUNDLED.iter().copied());
        if known.clone().any(|f| dir.join(f).is_dir()) {
            return Ok(());
        }
        let names: Vec<String> = known.map(|f| format!("{f}/")).collect();
        let old = if dir.join(MAIN).is_file() {
            "；模板目录的结构已改为共用的 base/ 与每个样式一个文件夹，旧的模板请放进 hebei/（见 docs/profiles.md）"
        } else {
            ""
        };
        Err(format!("模板目录 {shown} 中没有 {} 中的任何一个{old}", names.join("、")))
    }

    /// The folder `name` of this root on disk, when it replaces the
    /// embedded one.
    fn folder(&self, name: &str) -> Option<PathBuf> {
        match self {
            Root::Dir(dir) if dir.join(name).is_dir() => Some(dir.join(name)),
            _ => None,
        }
    }
}

/// One folder of the virtual tree and where it came from.
#[derive(Debug, Clone)]
struct Mount {
    /// Its name in the tree: `base`, `hebei`, `profile`.
    prefix: String,
    /// The folder on disk; `None` for an embedded one.
    dir: Option<PathBuf>,
    /// How messages name an embedded folder: `templates/base`.
    shown: String,
}

/// The template set a World compiles: the base and one profile.
#[derive(Debug, Clone)]
pub struct Templates {
    /// Text of each file, keyed by its path in the tree (`base/style.typ`).
    pub files: HashMap<String, String>,
    /// Files that are not UTF-8 text (images, fonts), served to `#image`
    /// and `#read(..., encoding: none)` as stock typst does.
    pub assets: HashMap<String, Vec<u8>>,
    /// What the walk of a folder skipped (links, FIFOs), for a warning.
    pub skipped: Vec<String>,
    /// The main template, by its path in the tree (`hebei/main.typ`).
    pub main: String,
    /// The profile's folder in the tree (`hebei`, `profile`).
    pub profile: String,
    /// Where the base and bundled folders came from (an extended profile
    /// is read from the same place).
    pub root: Root,
    mounts: Vec<Mount>,
}

impl Templates {
    /// The base and the bundled profile `name`, each from `root` when it
    /// has that folder, else embedded. `None`: no such bundled profile.
    pub fn bundled(root: &Root, name: &str) -> Option<Result<Templates, TemplateError>> {
        bundled_files(name)?;
        let mut t = Templates::empty(name, root);
        Some(t.mount(root, BASE).and_then(|()| t.mount(root, name)).map(|()| t))
    }

    /// The base from `root` and the profile in the folder `dir`, seen as
    /// `/profile/…`.
    pub fn folder(root: &Root, dir: &Path) -> Result<Templates, TemplateError> {
        let mut t = Templates::empty("profile", root);
        t.mount(root, BASE)?;
        t.mount_dir("profile", dir)?;
        Ok(t)
    }

    fn empty(profile: &str, root: &Root) -> Templates {
        Templates {
            root: root.clone(),
            files: HashMap::new(),
            assets: HashMap::new(),
            skipped: Vec::new(),
            main: format!("{profile}/{MAIN}"),
            profile: profile.to_string(),
            mounts: Vec::new(),
        }
    }

    /// Mounts the folder `name` of `root`, or its embedded copy.
    fn mount(&mut self, root: &Root, name: &str) -> Result<(), TemplateError> {
        if let Some(dir) = root.folder(name) {
            return self.mount_dir(name, &dir);
        }
        for (rel, text) in bundled_files(name).unwrap_or_default() {
            self.files.insert(format!("{name}/{rel}"), text.to_string());
        }
        let shown = format!("templates/{name}");
        self.mounts.push(Mount { prefix: name.to_string(), dir: None, shown });
        Ok(())
    }

    /// Reads every regular file below `dir` into the tree at `prefix`, by
    /// the rule of `walk`: no link is followed, so nothing outside `dir` is
    /// ever read or handed to Typst.
    fn mount_dir(&mut self, prefix: &str, dir: &Path) -> Result<(), TemplateError> {
        let found = walk::walk(dir, &|_| true).map_err(TemplateError::Walk)?;
        self.skipped.extend(found.skipped.iter().map(ToString::to_string));
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
            let key = format!("{prefix}/{rel}");
            match String::from_utf8(bytes) {
                Ok(text) => self.files.insert(key, text),
                Err(e) => self.assets.insert(key, e.into_bytes()).map(|_| String::new()),
            };
        }
        let shown = dir.display().to_string();
        self.mounts.push(Mount { prefix: prefix.to_string(), dir: Some(dir.into()), shown });
        Ok(())
    }

    /// Mounts the bundled profile `name` that this profile extends, from
    /// `root` or embedded, so that its templates can be imported as
    /// `/name/…`. `false`: no such bundled profile.
    pub fn extend(&mut self, root: &Root, name: &str) -> Result<bool, TemplateError> {
        if bundled_files(name).is_none() || name == self.profile {
            return Ok(false);
        }
        if !self.mounts.iter().any(|m| m.prefix == name) {
            self.mount(root, name)?;
        }
        Ok(true)
    }

    /// The path in the tree of a file of the profile's folder.
    pub fn in_profile(&self, rel: &str) -> String {
        format!("{}/{rel}", self.profile)
    }

    /// The profile's folder on disk, when it has one.
    pub fn profile_dir(&self) -> Option<&Path> {
        self.mounts.iter().find(|m| m.prefix == self.profile).and_then(|m| m.dir.as_deref())
    }

    /// Every folder on disk the set was read from (the preview watches them).
    pub fn dirs(&self) -> Vec<PathBuf> {
        self.mounts.iter().filter_map(|m| m.dir.clone()).collect()
    }

    /// How a file of the tree is named in messages: its path on disk when
    /// it has one.
    pub fn display_path(&self, path: &str) -> String {
        let (prefix, rel) = path.split_once('/').unwrap_or(("", path));
        match self.mounts.iter().find(|m| m.prefix == prefix) {
            Some(Mount { dir: Some(dir), .. }) => dir.join(rel).display().to_string(),
            Some(m) => format!("{}/{rel}（内置）", m.shown),
            None => format!("{path}（内置）"),
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

    #[test]
    fn a_root_folder_replaces_only_the_folders_it_has() {
        let dir = tempfile_dir();
        std::fs::create_dir_all(dir.join("base")).unwrap();
        std::fs::write(dir.join("base/base.typ"), "// mine").unwrap();
        let t = Templates::bundled(&Root::Dir(dir.clone()), "hebei").unwrap().unwrap();
        assert_eq!(t.files["base/base.typ"], "// mine");
        assert!(t.files.contains_key("hebei/main.typ"), "the profile stays embedded");
        assert!(!t.files.contains_key("base/style.typ"), "a replaced folder is replaced whole");
        assert_eq!(
            t.display_path("base/base.typ"),
            dir.join("base/base.typ").display().to_string()
        );
        assert_eq!(t.display_path("hebei/main.typ"), "templates/hebei/main.typ（内置）");
        assert!(Templates::bundled(&Root::Embedded, "nonesuch").is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn tempfile_dir() -> PathBuf {
        let d = std::env::temp_dir().join(format!("yusuan-tpl-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}
