//! `yusuan init`：为一个新部门写出第一个数据文件（或同一年度的决算草稿）。

use std::path::{Path, PathBuf};

use crate::cli::args::InitArgs;
use crate::error::{Error, shown};
use crate::export::output;
use crate::newyear::init::{self, Start};

pub fn run(args: &InitArgs) -> Result<(), Error> {
    if args.final_accounts {
        return final_accounts(args);
    }
    let start = start(args)?;
    let text = init::skeleton(&start).map_err(Error::Usage)?;
    let out = args.output.clone().unwrap_or_else(|| {
        PathBuf::from("data").join(format!("{}-{}.toml", start.code, start.year))
    });
    write_new(&out, &text, args.force)?;
    let open = crate::model::todo::open_count(&text);
    crate::error::errln!(
        "已写出 {} 年 {} 的数据文件：{}",
        start.year,
        start.department,
        shown(&out)
    );
    crate::error::errln!("待办 {open} 项（标着“【待填写】”的文字和还是 0 的金额）；下一步：");
    crate::error::errln!("  yusuan check {}      按部分列出还要填写什么", shown(&out));
    crate::error::errln!("  yusuan preview {}    边填边看排出来的样子", shown(&out));
    Ok(())
}

/// The arguments checked: clap has made sure they are there.
fn start(args: &InitArgs) -> Result<Start, Error> {
    let (Some(year), Some(department), Some(code)) =
        (args.year, args.department.clone(), args.code.clone())
    else {
        return Err(Error::Usage("须给出 --year、--department 和 --code".to_string()));
    };
    if !(1990..=2100).contains(&year) {
        return Err(Error::Usage(format!("预算年度 {year} 不合理，应为四位年份，如 2026")));
    }
    let code = code.trim().to_string();
    if code.is_empty() || !code.chars().all(|c| c.is_ascii_digit()) {
        return Err(Error::Usage(format!("部门编码“{code}”应只含数字，如 213001")));
    }
    if department.trim().is_empty() {
        return Err(Error::Usage("部门名称不能为空".to_string()));
    }
    Ok(Start {
        year,
        department,
        code,
        profile: args.profile.clone(),
        region: args.region.clone(),
        units: args.units.clone(),
    })
}

/// Writes a file that must not exist yet (unless `force`), its folder made.
fn write_new(out: &Path, text: &str, force: bool) -> Result<(), Error> {
    if out.exists() && !force {
        return Err(Error::Exists(out.to_path_buf()));
    }
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|source| Error::Write { path: dir.to_path_buf(), source })?;
    }
    output::write_atomic(out, text.as_bytes())
}

/// The 决算 draft of a budget file: as `yusuan new --final-accounts`.
fn final_accounts(args: &InitArgs) -> Result<(), Error> {
    let Some(budget_path) = &args.budget else {
        return Err(Error::Usage(
            "决算须依据同一年度的预算数据文件：加 --budget 预算文件（还没有预算文件时，先用 yusuan init 写出）"
                .to_string(),
        ));
    };
    let (file, problems, budget) = super::inspect(budget_path, None, None, None);
    let errors: Vec<_> = problems.iter().filter(|p| p.is_error()).cloned().collect();
    super::print_problems(&file, &errors);
    let budget = budget.ok_or(Error::Failed { failed: 1, total: 1 })?;
    if budget.final_accounts.is_some() {
        return Err(Error::Usage(format!(
            "{} 已是决算文件；请给出它所决算的预算文件",
            shown(budget_path)
        )));
    }
    let stem =
        budget_path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| budget_path.with_file_name(format!("{stem}-final.toml")));
    let same = |a: &Path, b: &Path| {
        std::fs::canonicalize(a).ok().is_some_and(|a| std::fs::canonicalize(b).ok() == Some(a))
    };
    if same(&out, budget_path) {
        return Err(Error::Usage(format!("不能把决算草稿写在预算文件 {} 上", shown(budget_path))));
    }
    let text =
        crate::newyear::final_draft::draft(&budget, &super::new::relative(budget_path, &out));
    write_new(&out, &text, args.force)?;
    crate::error::errln!("已写出 {} 年度决算草稿：{}", budget.document.year, shown(&out));
    crate::error::errln!(
        "各项决算数先填着年初预算数，请逐项改为决算数；yusuan check 按部分列出待办。"
    );
    Ok(())
}
