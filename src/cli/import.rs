//! `yusuan import`：读工作簿、并入数据文件、列出改变的字段；不加 --force 时写到旁边的文件。
//!
//! `--into` a data file: every workbook given goes into it in one import
//! (several units' workbooks make one department). `--into` a folder: each
//! workbook goes into the file there named like it, one import each.

use std::path::{Path, PathBuf};

use crate::cli::args::{ImportArgs, ImportLayout};
use crate::cli::finish;
use crate::error::{Error, shown};
use crate::import::limits::LIMITS;
use crate::import::{self, Layout, Options, Outcome, Refusal, Workbook};

pub fn run(args: &ImportArgs) -> Result<(), Error> {
    if !args.into.is_dir() {
        let all: Vec<&Path> = args.workbooks.iter().map(PathBuf::as_path).collect();
        return one(args, &all, &args.into).map_err(|e| {
            crate::error::errln!("{}：未导入（{e}）", shown(&args.into));
            Error::Failed { failed: 1, total: 1 }
        });
    }
    if args.output.is_some() {
        return Err(Error::Usage(
            "--into 是目录时不用 -o：每个工作簿写入目录中与它同名的 .toml".into(),
        ));
    }
    let mut failed = 0;
    for wb in &args.workbooks {
        let stem = wb.file_stem().unwrap_or_default();
        let into = args.into.join(stem).with_extension("toml");
        if let Err(e) = one(args, &[wb.as_path()], &into) {
            crate::error::errln!("{}：未导入（{e}）\n", shown(wb));
            failed += 1;
        }
    }
    finish(failed, args.workbooks.len(), "已导入")
}

/// Imports `workbooks` into the data file `into`, within the time and
/// memory limits.
fn one(args: &ImportArgs, workbooks: &[&Path], into: &Path) -> Result<(), Error> {
    let (secs, mib) = (args.limits.time_limit, args.limits.memory_limit);
    let _watch = crate::typeset::limits::Watch::doing(&shown(into), "导入", secs, mib);
    if !into.exists() {
        return Err(Error::Message(format!(
            "数据文件 {} 不存在：导入写进一份已有的数据文件（通常是 yusuan new 由上年文件生成的草稿），\
             要另存为新文件时加 -o 新文件名",
            shown(into)
        )));
    }
    let text = crate::source::walk::read_regular(into, crate::source::MAX_BYTES)
        .map_err(|source| Error::Read { path: into.to_path_buf(), source })
        .and_then(|b| crate::source::decode(&b).map_err(|p| Error::Message(p.message)))?;
    let books = open_all(args, workbooks)?;
    let opts = Options { layout: args.layout.map(layout), year: args.year };
    let outcome = import::apply(&books, into, &text, &opts).map_err(|r| refused(into, &r))?;
    report(into, &outcome);
    write(args, into, &text, &outcome)
}

/// Every workbook read, within the limits; the first that cannot be read
/// stops the import, said with its name.
fn open_all(args: &ImportArgs, workbooks: &[&Path]) -> Result<Vec<Workbook>, Error> {
    let mut out = Vec::new();
    for wb in workbooks {
        let name = wb.display().to_string();
        // Its size is checked before it is read (README 出错时的保证 4).
        let bytes = crate::source::walk::read_regular(wb, crate::source::MAX_WORKBOOK_BYTES)
            .map_err(|source| Error::Read { path: wb.to_path_buf(), source })?;
        let reader = std::io::Cursor::new(bytes);
        match import::Book::read(reader, &args.use_hidden, &LIMITS) {
            Ok(book) => out.push(Workbook { name, book }),
            Err(p) => {
                crate::error::err!("{}", import::render(&name, &p));
                return Err(Error::Message("工作簿读不了，什么也没有写".into()));
            }
        }
    }
    Ok(out)
}

fn layout(l: ImportLayout) -> Layout {
    match l {
        ImportLayout::Standard => Layout::Standard,
        ImportLayout::Platform => Layout::Platform,
        ImportLayout::Lineitems => Layout::LineItems,
    }
}

/// The notes, what each workbook gave, and what became 待办.
fn report(into: &Path, o: &Outcome) {
    let file = into.display().to_string();
    for (book, w) in &o.warnings {
        crate::error::err!("{}", import::render(if book.is_empty() { &file } else { book }, w));
    }
    for (name, layout, rows) in &o.read {
        crate::error::errln!("{}：{}，{rows} 条预算明细", crate::error::safe(name), layout.label());
    }
    if !o.settled.is_empty() {
        crate::error::err!("{}", crate::diag::problems_text(&file, &o.text, &o.settled));
        crate::error::errln!(
            "以上 {} 处是工作簿没有给出的部分，与导入的数不再相符：原数保留，已记入草稿待办（[todo]），核对改正后自动完成",
            o.settled.len()
        );
    }
}

/// Prints why, and says that nothing was written.
fn refused(into: &Path, r: &Refusal) -> Error {
    match &r.data {
        Some(text) => {
            let name = match r.merged {
                true => format!("{}（导入后的内容，未写入）", into.display()),
                false => into.display().to_string(),
            };
            let problems: Vec<_> = r.problems.iter().map(|(_, p)| p.clone()).collect();
            crate::error::err!("{}", crate::diag::problems_text(&name, text, &problems));
        }
        None => {
            let file = into.display().to_string();
            for (book, p) in &r.problems {
                crate::error::err!(
                    "{}",
                    import::render(if book.is_empty() { &file } else { book }, p)
                );
            }
        }
    }
    let n = r.problems.iter().filter(|(_, p)| p.is_error()).count().max(1);
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
    crate::error::errln!("导入后共 {} 条预算明细", o.items);
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

/// `yusuan catalogue import`: the workbook's codes and names saved as the
/// user catalogue of their year, checked as one before it is written.
pub fn catalogue(a: &crate::cli::args::CatalogueImportArgs) -> Result<(), Error> {
    let name = a.workbook.display().to_string();
    let fail = |problems: &[crate::diag::Problem]| {
        for p in problems {
            crate::error::err!("{}", import::render(&name, p));
        }
        Error::Message(format!("{}：什么也没有写", shown(&a.workbook)))
    };
    let file = std::fs::File::open(&a.workbook)
        .map_err(|source| Error::Read { path: a.workbook.clone(), source })?;
    let book = import::Book::read(std::io::BufReader::new(file), &a.use_hidden, &LIMITS)
        .map_err(|p| fail(&[p]))?;
    let codes = import::catalogue::codes(&book).map_err(|p| fail(&p))?;
    let year = a.year.or_else(|| import::book_year(&book).map(|(y, _)| y)).ok_or_else(|| {
        fail(&[crate::diag::Problem::error("", "工作簿的表题中没有年度")
            .expected("用 --year 给出年度，例如 --year 2025")])
    })?;
    if codes.is_empty() {
        return Err(fail(&[crate::diag::Problem::error(
            "",
            "工作簿中没有找到科目编码与名称（如“2070101 行政运行”，或类、款、项与科目名称列）",
        )]));
    }
    let dest =
        a.output.clone().unwrap_or_else(|| a.data.join("catalogue").join(format!("{year}.toml")));
    let existing = match dest.exists() {
        true => Some(
            std::fs::read_to_string(&dest)
                .map_err(|source| Error::Read { path: dest.clone(), source })?,
        ),
        false => None,
    };
    let base = a.workbook.file_name().map_or(name.clone(), |f| f.to_string_lossy().into_owned());
    let source = format!("预算系统导出的工作簿 {base}（yusuan catalogue import 读入）");
    let text =
        import::catalogue::merge(existing.as_deref(), &codes, &source, (a.complete, a.force))
            .map_err(|p| fail(&p))?;
    let shown_dest = dest.display().to_string();
    crate::source::catalogue::effective(year, Some((&shown_dest, &text))).map_err(|p| {
        crate::error::err!(
            "{}",
            crate::diag::problems_text(&format!("{shown_dest}（未写入）"), &text, &p)
        );
        Error::Message(format!("{}：科目表有误，什么也没有写", shown(&a.workbook)))
    })?;
    report_catalogue(year, &codes);
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|source| Error::Write { path: dir.to_path_buf(), source })?;
    }
    crate::export::output::write_atomic(&dest, text.as_bytes())?;
    crate::error::errln!("已写入 {}：{} 个科目，来源注明为 {base}", shown(&dest), codes.len());
    Ok(())
}

/// What the workbook adds to, or names otherwise than, the bundled catalogue.
fn report_catalogue(year: i32, codes: &import::catalogue::Codes) {
    let bundled = crate::source::catalogue::bundled(year);
    let mut new = Vec::new();
    let mut renamed = Vec::new();
    for ((s, code), seen) in codes {
        match bundled.name(*s, code) {
            None => new.push(format!("{code} {}", seen.name)),
            Some(n) if n != seen.name => {
                renamed.push(format!("{code} {}（内置为“{n}”）", seen.name))
            }
            Some(_) => {}
        }
    }
    if !new.is_empty() {
        crate::error::errln!("内置科目表没有、由工作簿补上的 {} 个：{}", new.len(), new.join("、"));
    }
    if !renamed.is_empty() {
        crate::error::errln!(
            "名称与内置科目表不同、按工作簿写入的 {} 个：{}",
            renamed.len(),
            renamed.join("、")
        );
    }
}
