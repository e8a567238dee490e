//! `yusuan profile`：列出、导出、核对样式。

use std::path::Path;

use crate::args::{ProfileAction, ProfileArgs};
use crate::error::Error;
use crate::profiles::{BUNDLED, ProfileError, bundled_files, load_folder};

/// Runs `yusuan profile …`.
pub fn run(a: &ProfileArgs) -> Result<(), Error> {
    match &a.action {
        ProfileAction::List => list(),
        ProfileAction::Export { name, dir, force } => export(name, dir, *force),
        ProfileAction::Check { dir } => check(dir),
    }
}

/// One line per bundled profile: its name and title.
fn list() -> Result<(), Error> {
    use std::io::Write;
    let mut text = String::new();
    for (name, files) in BUNDLED {
        let bundle = crate::profiles::bundle(crate::templates::Templates::from_files(files), String::new());
        let title = bundle.map(|b| b.profile.title.clone()).unwrap_or_default();
        text += &format!("{name}\t{title}\n");
    }
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(())
}

/// Writes a bundled profile's files into `dir`, refusing to overwrite any
/// unless told to.
fn export(name: &str, dir: &Path, force: bool) -> Result<(), Error> {
    let files =
        bundled_files(name).ok_or_else(|| Error::Profile(ProfileError::Unknown(name.into()).render()))?;
    if !force && let Some(clash) = files.iter().map(|(rel, _)| dir.join(rel)).find(|p| p.exists()) {
        return Err(Error::Exists(clash));
    }
    for (rel, text) in files {
        crate::output::write_atomic(&dir.join(rel), text.as_bytes())?;
    }
    eprintln!("已把样式 {name} 导出到 {}（{} 个文件）", dir.display(), files.len());
    eprintln!("修改后使用：yusuan build 数据文件 --profile {}", dir.display());
    Ok(())
}

/// Checks a profile folder, printing every problem of its profile.toml.
fn check(dir: &Path) -> Result<(), Error> {
    let bundle = load_folder(dir).map_err(|e| Error::Profile(e.render()))?;
    eprintln!("样式 {}（{}）核对通过", bundle.profile.name, bundle.profile.title);
    Ok(())
}
