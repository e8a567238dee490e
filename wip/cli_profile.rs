//! `yusuan profile`：列出、导出、核对样式。

use std::path::Path;

use crate::error::Error;

/// Runs `yusuan profile …`.
pub fn run(a: &crate::args::ProfileArgs) -> Result<(), Error> {
    match &a.action {
        crate::args::ProfileAction::List => list(),
        crate::args::ProfileAction::Export { name, dir, force } => export(name, dir, *force),
        crate::args::ProfileAction::Check { dir } => check(dir),
    }
}

fn list() -> Result<(), Error> {
    for (name, files) in BUNDLED {
        let title = parse_bundled(files).map(|p| p.title).unwrap_or_default();
        println!("{name}\t{title}");
    }
    Ok(())
}

/// Writes a bundled profile's files into `dir`, refusing to overwrite any.
fn export(name: &str, dir: &Path, force: bool) -> Result<(), Error> {
    let files = bundled_files(name).ok_or_else(|| unknown_profile(name))?;
    if !force {
        if let Some(clash) = files.iter().map(|(rel, _)| dir.join(rel)).find(|p| p.exists()) {
            return Err(Error::Exists(clash));
        }
    }
    for (rel, text) in files {
        write_atomic(&dir.join(rel), text.as_bytes())?;
    }
    eprintln!("已把样式 {name} 导出到 {}（{} 个文件）", dir.display(), files.len());
    eprintln!("使用：yusuan build 数据文件 --profile {}", dir.display());
    Ok(())
}

/// Checks a profile folder's profile.toml, printing every problem.
fn check(dir: &Path) -> Result<(), Error> {
    let bundle = load_folder(dir)?;
    eprintln!("样式 {}（{}）核对通过", bundle.profile.name, bundle.profile.title);
    Ok(())
}
