//! `yusuan new`：由本年数据生成下一年度草稿。

use std::path::{Path, PathBuf};

use crate::cli::args::NewArgs;
use crate::error::Error;
use crate::export::output;
use crate::newyear;

pub fn run(args: &NewArgs) -> Result<(), Error> {
    let (file, budget) = source(&args.from)?;
    let Some(year) = args.year else { return final_accounts(args, &budget) };
    if year <= budget.document.year {
        return Err(Error::Usage(format!(
            "新年度 {} 须晚于原文件 {} 的年度 {}",
            year,
            file.name(),
            budget.document.year
        )));
    }
    skipping(args, &budget, year)?;
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
    crate::error::errln!(
        "标有“{}”的部分须按新年度重新填写；yusuan check 按部分列出待办。",
        newyear::MARK
    );
    if !draft.mentions_old_year.is_empty() {
        crate::error::errln!(
            "有 {} 处文字提到以前的年度，请核对（草稿开头列出）。",
            draft.mentions_old_year.len()
        );
    }
    for n in &draft.notes {
        crate::error::errln!("注意：{n}");
    }
    Ok(())
}

/// The source file, checked: its errors are printed in full (no draft is
/// made from a file with errors); its warnings and 待办 are not this
/// command's business, and are only counted.
fn source(from: &Path) -> Result<(crate::source::DataFile, crate::model::Budget), Error> {
    let (file, problems, budget) = super::inspect(from, None, None, None);
    let errors: Vec<_> = problems.iter().filter(|p| p.is_error()).cloned().collect();
    super::print_problems(&file, &errors);
    if let Some(line) = crate::checks::summary::closing(&file.name(), &problems) {
        crate::error::errln!("原文件 {line}");
    }
    budget.map(|b| (file, b)).ok_or(Error::Failed { failed: 1, total: 1 })
}

/// Rolling over more than one year: refused when the department has a
/// newer file than `--from` beside it, unless `--skip-years` says so.
fn skipping(args: &NewArgs, b: &crate::model::Budget, year: i32) -> Result<(), Error> {
    let old = b.document.year;
    if year == old + 1 || args.skip_years {
        return Ok(());
    }
    let later: Vec<String> = newyear::later_files(&args.from, &b.document.code, old)
        .into_iter()
        .filter(|(_, y)| *y < year)
        .map(|(p, y)| format!("{}（{y} 年）", crate::error::shown(&p)))
        .collect();
    if later.is_empty() {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "{} 是 {old} 年的，但同一部门还有更近年度的文件：{}。请从最近一年的文件生成（--from），\
         或加 --skip-years 确认跨过这些年度（草稿中的上年数仍是 {old} 年的）",
        crate::error::shown(&args.from),
        later.join("、")
    )))
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
pub(super) fn relative(budget: &Path, out: &Path) -> String {
    let abs = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let b = abs(budget);
    let dir =
        out.parent().filter(|d| !d.as_os_str().is_empty()).map_or_else(|| abs(Path::new(".")), abs);
    match b.strip_prefix(&dir) {
        Ok(rel) => rel.to_string_lossy().replace('\\', "/"),
        Err(_) => b.display().to_string(),
    }
}
