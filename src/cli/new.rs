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
    let Some(year) = args.year else { return final_accounts(args, &budget) };
    if year <= budget.document.year {
        return Err(Error::Usage(format!(
            "新年度 {} 须晚于原文件 {} 的年度 {}",
            year,
            file.name(),
            budget.document.year
        )));
    }
    let draft = newyear::rollover(&file.text, &budget, year).map_err(Error::Message)?;
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| next_year_path(&args.from, budget.document.year, year));
    output::not_over(&out, &[&args.from])?;
    if out.exists() && !args.force {
        return Err(Error::Exists(out));
    }
    output::write_atomic(&out, draft.text.as_bytes())?;
    crate::error::errln!("已生成 {} 年草稿：{}", year, crate::error::shown(&out));
    crate::error::errln!("标有“{}”的部分须按新年度重新填写。", newyear::MARK);
    for m in &draft.mentions_old_year {
        crate::error::errln!("  提到“{}年”，请核对：{m}", budget.document.year);
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

/// `yusuan new --final-accounts`: the same year's 决算 draft beside the
/// budget file (or where `-o` says), naming the budget relative to itself.
fn final_accounts(args: &NewArgs, budget: &crate::model::Budget) -> Result<(), Error> {
    if budget.final_accounts.is_some() {
        return Err(Error::Usage(format!(
            "{} 已是决算文件；请给出它所决算的预算文件",
            crate::error::shown(&args.from)
        )));
    }
    let stem = args.from.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| args.from.with_file_name(format!("{stem}-final.toml")));
    output::not_over(&out, &[&args.from])?;
    if out.exists() && !args.force {
        return Err(Error::Exists(out));
    }
    let named = relative(&args.from, &out);
    if let Err(why) = crate::source::walk::named_in(&out, &named) {
        return Err(Error::Usage(format!(
            "决算草稿 {} 中要写的预算文件路径“{}”{why}：决算文件须放在预算文件所在的文件夹或其上级文件夹",
            crate::error::shown(&out),
            crate::error::safe(&named)
        )));
    }
    let text = newyear::final_draft::draft(budget, &named);
    output::write_atomic(&out, text.as_bytes())?;
    crate::error::errln!(
        "已生成 {} 年度决算草稿：{}",
        budget.document.year,
        crate::error::shown(&out)
    );
    crate::error::errln!(
        "各项决算数先填着年初预算数，请逐项改为决算数；标有“{}”的须填写。",
        crate::model::todo::MARKS[0]
    );
    Ok(())
}

/// The budget file as the draft at `out` names it: its name when they share
/// a folder, else its path from the draft's folder when one is below the
/// other, else its full path.
fn relative(budget: &Path, out: &Path) -> String {
    let abs = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let b = abs(budget);
    let dir =
        out.parent().filter(|d| !d.as_os_str().is_empty()).map_or_else(|| abs(Path::new(".")), abs);
    match b.strip_prefix(&dir) {
        Ok(rel) => rel.to_string_lossy().replace('\\', "/"),
        Err(_) => b.display().to_string(),
    }
}
