//! `yusuan new`：由本年数据生成下一年度草稿。

use std::path::{Path, PathBuf};

use crate::cli::args::NewArgs;
use crate::cli::load_checked;
use crate::error::Error;
use crate::export::output;
use crate::newyear;

pub fn run(args: &NewArgs) -> Result<(), Error> {
    let (file, budget) =
        load_checked(&args.from, None, None, None).ok_or(Error::Failed { failed: 1, total: 1 })?;
    if args.year <= budget.document.year {
        return Err(Error::Usage(format!(
            "新年度 {} 须晚于原文件 {} 的年度 {}",
            args.year,
            file.name(),
            budget.document.year
        )));
    }
    let draft = newyear::rollover(&file.text, &budget, args.year).map_err(Error::Message)?;
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| next_year_path(&args.from, budget.document.year, args.year));
    if out.exists() && !args.force {
        return Err(Error::Exists(out));
    }
    output::write_atomic(&out, draft.text.as_bytes())?;
    eprintln!("已生成 {} 年草稿：{}", args.year, crate::error::shown(&out));
    eprintln!("标有“{}”的部分须按新年度重新填写。", newyear::MARK);
    for m in &draft.mentions_old_year {
        eprintln!("  提到“{}年”，请核对：{m}", budget.document.year);
    }
    Ok(())
}

/// `data/101001-2021.toml` → `data/101001-2022.toml`; a name without the old
/// year gets the new one appended.
fn next_year_path(from: &Path, old: i32, new: i32) -> PathBuf {
    let stem = from.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let name = if stem.contains(&old.to_string()) {
        stem.replace(&old.to_string(), &new.to_string())
    } else {
        format!("{stem}-{new}")
    };
    from.with_file_name(format!("{name}.toml"))
}
