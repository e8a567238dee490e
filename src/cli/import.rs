//! `yusuan import`：读工作簿、并入数据文件、列出改变的字段；不加 --force 时写到旁边的文件。

use std::path::{Path, PathBuf};

use crate::cli::args::{ImportArgs, ImportLayout};
use crate::cli::finish;
use crate::error::{Error, shown};
use crate::import::{self, Layout, Outcome, Refusal};

pub fn run(args: &ImportArgs) -> Result<(), Error> {
    if args.workbooks.len() > 1 && args.output.is_some() {
        return Err(Error::Usage("-o 只用于一个工作簿；多个工作簿请用 --into 目录".into()));
    }
    let mut failed = 0;
    for wb in &args.workbooks {
        let (secs, mib) = (args.limits.time_limit, args.limits.memory_limit);
        let _watch = crate::typeset::limits::Watch::doing(&shown(wb), "导入", secs, mib);
        if let Err(e) = one(args, wb) {
            crate::error::errln!("{}：未导入（{e}）\n", shown(wb));
            failed += 1;
        }
    }
    finish(failed, args.workbooks.len(), "已导入")
}

/// The data file a workbook goes into: `--into` itself, or, when it is a
/// folder, the file there named like the workbook.
fn target(args: &ImportArgs, wb: &Path) -> PathBuf {
    if args.into.is_dir() {
        let stem = wb.file_stem().unwrap_or_default();
        args.into.join(stem).with_extension("toml")
    } else {
        args.into.clone()
    }
}

fn one(args: &ImportArgs, wb: &Path) -> Result<(), Error> {
    let bytes = crate::source::walk::read_regular(wb, crate::source::MAX_WORKBOOK_BYTES)
        .map_err(|source| Error::Read { path: wb.to_path_buf(), source })?;
    let into = target(args, wb);
    if !into.exists() {
        return Err(Error::Message(format!(
            "数据文件 {} 不存在：导入写进一份已有的数据文件（通常是 yusuan new 由上年文件生成的草稿），\
             要另存为新文件时加 -o 新文件名",
            shown(&into)
        )));
    }
    let text = crate::source::walk::read_regular(&into, crate::source::MAX_BYTES)
        .map_err(|source| Error::Read { path: into.clone(), source })
        .and_then(|b| crate::source::decode(&b).map_err(|p| Error::Message(p.message)))?;
    let outcome = import::apply(&bytes, &into, &text, args.layout.map(layout))
        .map_err(|r| refused(wb, &into, &r))?;
    let name = wb.display().to_string();
    for w in &outcome.warnings {
        crate::error::err!("{}", import::render(&name, w));
    }
    crate::error::errln!(
        "{}：{}，{} 条预算明细",
        shown(wb),
        outcome.layout.label(),
        count_items(&outcome)
    );
    write(args, &into, &text, &outcome)
}

fn count_items(o: &Outcome) -> usize {
    o.text.lines().filter(|l| l.trim() == "[[line_items]]").count()
}

fn layout(l: ImportLayout) -> Layout {
    match l {
        ImportLayout::Standard => Layout::Standard,
        ImportLayout::Platform => Layout::Platform,
        ImportLayout::Lineitems => Layout::LineItems,
    }
}

/// Prints why, and says that nothing was written.
fn refused(wb: &Path, into: &Path, r: &Refusal) -> Error {
    match &r.data {
        Some(text) => {
            let name = match r.merged {
                true => format!("{}（导入后的内容，未写入）", into.display()),
                false => into.display().to_string(),
            };
            crate::error::err!("{}", crate::diag::problems_text(&name, text, &r.problems));
        }
        None => {
            let name = wb.display().to_string();
            for p in &r.problems {
                crate::error::err!("{}", import::render(&name, p));
            }
        }
    }
    let n = r.problems.iter().filter(|p| p.is_error()).count().max(1);
    Error::Message(format!("{n} 处错误，什么也没有写"))
}

/// Writes the merged file: over the data file with `--force`, else beside
/// it; the changed fields are listed first either way.
fn write(args: &ImportArgs, into: &Path, before: &str, o: &Outcome) -> Result<(), Error> {
    if o.text == before {
        crate::error::errln!("{} 已是工作簿中的数字，没有改动", shown(into));
        return Ok(());
    }
    if o.changes.is_empty() {
        crate::error::errln!(
            "没有字段改变：数字与工作簿相同，草稿待办（[todo]）中导入的各项已完成"
        );
    } else {
        crate::error::errln!("改变的字段（{} 项）：", o.changes.len());
        crate::error::err!("{}", crate::diff::to_text(&o.changes));
    }
    if args.dry_run {
        crate::error::errln!("（--dry-run：什么也没有写）");
        return Ok(());
    }
    let dest = match &args.output {
        Some(p) => p.clone(),
        None if args.force => into.to_path_buf(),
        None => into.with_extension("imported.toml"),
    };
    // Our own sidecar is rewritten freely; a file named with -o is not.
    if args.output.is_some() && dest.exists() && !args.force {
        return Err(Error::Exists(dest));
    }
    crate::export::output::not_over(&dest, &args.workbooks)?;
    crate::export::output::write_atomic(&dest, o.text.as_bytes())?;
    if dest == into {
        crate::error::errln!("已写入 {}", shown(&dest));
    } else {
        crate::error::errln!(
            "已写到 {}；{} 未改动。核对无误后加 --force 直接写入",
            shown(&dest),
            shown(into)
        );
    }
    Ok(())
}
