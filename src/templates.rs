//! 模板：`templates/` 目录下的 Typst 文件。
//!
//! A copy of the shipped templates is compiled into the binary so `yusuan`
//! works from any folder; `--templates DIR` (or a `templates/` folder in the
//! working directory) replaces it, which is how a bureau adapts the layout.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The shipped templates, by path relative to `templates/`.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("main.typ", include_str!("../templates/main.typ")),
    ("style.typ", include_str!("../templates/style.typ")),
    ("units.typ", include_str!("../templates/units.typ")),
    ("budget.typ", include_str!("../templates/budget.typ")),
    ("sangong.typ", include_str!("../templates/sangong.typ")),
    ("overall.typ", include_str!("../templates/overall.typ")),
    ("perf-table.typ", include_str!("../templates/perf-table.typ")),
    ("procurement.typ", include_str!("../templates/procurement.typ")),
    ("assets.typ", include_str!("../templates/assets.typ")),
    ("glossary.typ", include_str!("../templates/glossary.typ")),
    ("attached-tables.typ", include_str!("../templates/attached-tables.typ")),
    ("profile.toml", include_str!("../templates/profile.toml")),
];

/// The template set a World compiles.
#[derive(Debug, Clone)]
pub struct Templates {
    /// Text of each file, keyed by its path relative to the template root.
    pub files: HashMap<String, String>,
    /// The folder they were read from; `None` for the embedded copy.
    pub dir: Option<PathBuf>,
    /// The main template, relative to the root (the profile's `main`).
    pub main: String,
}

impl Templates {
    pub fn embedded() -> Templates {
        Templates::from_files(EMBEDDED)
    }

    /// A bundled template set.
    pub fn from_files(list: &[(&str, &str)]) -> Templates {
        let files = list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Templates { files, dir: None, main: "main.typ".to_string() }
    }

    /// Reads every file below `dir` (templates may include images or data).
    pub fn from_dir(dir: &Path) -> std::io::Result<Templates> {
        let mut files = HashMap::new();
        read_tree(dir, dir, &mut files)?;
        Ok(Templates { files, dir: Some(dir.to_path_buf()), main: "main.typ".to_string() })
    }

    /// `--templates DIR`, else `./templates` when it holds a main.typ, else
    /// the embedded copy.
    pub fn locate(explicit: Option<&Path>) -> std::io::Result<Templates> {
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
            None => format!("templates/{rel}（内置）"),
        }
    }
}

fn read_tree(root: &Path, dir: &Path, out: &mut HashMap<String, String>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            read_tree(root, &path, out)?;
        } else if let Ok(text) = fs::read_to_string(&path) {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            out.insert(rel.to_string_lossy().replace('\\', "/"), text);
        }
    }
    Ok(())
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
