//! `yusuan profile`：列出、导出、核对样式。

use std::path::Path;

use crate::cli::args::{ProfileAction, ProfileArgs};
use crate::cli::stdout;
use crate::error::Error;
use crate::export::output;
use crate::pipeline::{self, ProfileError};
use crate::source::profile::{BUNDLED, bundled_files, bundled_text, parse};
use crate::typeset::templates::Root;

/// Runs `yusuan profile …`.
pub fn run(a: &ProfileArgs) -> Result<(), Error> {
    match &a.action {
        ProfileAction::List => {
            list();
            Ok(())
        }
        ProfileAction::Export { name, dir, force } => export(name, dir, *force),
        ProfileAction::Check { dir, limits } => {
            let name = dir.display().to_string();
            let (secs, mib) = (limits.time_limit, limits.memory_limit);
            let _watch = crate::typeset::limits::Watch::doing(&name, "核对", secs, mib);
            check(dir)
        }
    }
}

/// One line per bundled profile: its name, kind and title.
fn list() {
    let mut text = String::new();
    for name in BUNDLED {
        if let Some(Ok(p)) = bundled_text(name).map(parse) {
            text += &format!("{name}\t{}\t{}\n", p.document.word(), p.title);
        }
    }
    stdout(&text);
}

/// Writes a bundled profile's folder into `dir`, refusing to overwrite any
/// file unless told to: an edited profile is a bureau's work. The shared
/// base is not copied: the exported folder imports it as every bundled
/// profile does. All the files are written, or none.
fn export(name: &str, dir: &Path, force: bool) -> Result<(), Error> {
    let files = bundled_files(name)
        .ok_or_else(|| Error::Usage(ProfileError::Unknown(name.into()).render()))?;
    if !force && let Some(clash) = files.iter().map(|(rel, _)| dir.join(rel)).find(|p| p.exists()) {
        return Err(Error::Exists(clash));
    }
    let staged = files
        .iter()
        .map(|(rel, text)| output::stage(&dir.join(rel), text.as_bytes()))
        .collect::<Result<Vec<_>, Error>>()?;
    if let (written, Some(e)) = output::commit_all(staged) {
        let shown: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
        return Err(Error::Message(format!("{e}；已写入的文件：{}", shown.join("、"))));
    }
    crate::error::errln!("已把样式 {name} 导出到 {}（{} 个文件）", dir.display(), files.len());
    crate::error::errln!("修改后使用：yusuan build 数据文件 --profile {}", dir.display());
    Ok(())
}

/// Checks a profile folder: every problem of its profile.toml, located,
/// its main template, and that its parts and part functions agree.
fn check(dir: &Path) -> Result<(), Error> {
    let root = Root::locate(None);
    let templates = pipeline::folder(&root, dir).map_err(|e| {
        Error::Message(match e {
            pipeline::FolderError::Missing => {
                ProfileError::Unknown(dir.display().to_string()).render()
            }
            pipeline::FolderError::Read(e) => format!("样式文件夹：{e}"),
        })
    })?;
    let bundle = pipeline::bundle(templates, dir.display().to_string())
        .map_err(|e| Error::Message(e.render()))?;
    let p = &bundle.profile;
    crate::error::errln!(
        "样式 {}（{}）核对通过：{} 个部分，{} 张表",
        p.name,
        p.title,
        p.parts.len(),
        p.tables.len()
    );
    Ok(())
}
