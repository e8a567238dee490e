//! `yusuan diff`：更正前后两份文件印出来的每一处变化（更正说明），或按数据字段列出的变化。

use std::path::Path;
use std::sync::Arc;

use crate::cli::args::{DiffArgs, DiffFormat};
use crate::cli::{environment, load_checked, print_problems, stdout};
use crate::error::Error;
use crate::model::Budget;
use crate::pipeline;
use crate::source::DataFile;
use crate::typeset::compile::Engine;
use crate::typeset::fonts::FontSet;

pub fn run(args: &DiffArgs) -> Result<(), Error> {
    if args.fields {
        return diff_fields(args);
    }
    if args.format == DiffFormat::Pdf && args.output.is_none() {
        return Err(Error::Usage(
            "PDF 格式的更正说明须用 -o 指定写到哪个文件\n\n用法：yusuan diff 原文件 新文件 --format pdf -o 更正说明.pdf"
                .into(),
        ));
    }
    // A notice is only made from documents that could be published: both
    // files pass their checks, and the corrected one is no draft.
    let (Some(old), Some(new)) =
        (load_checked(&args.old, None, None, None), load_checked(&args.new, None, None, None))
    else {
        crate::error::errln!("未生成更正说明：先改正以上错误");
        return Err(Error::Failed { failed: 1, total: 2 });
    };
    let open = crate::checks::final_accounts::open_count(&new.1, &new.0.text);
    if open > 0 && args.format != DiffFormat::Text {
        return Err(Error::Usage(format!(
            "未生成更正说明：{} 是草稿，[todo] 中还有 {open} 项待更新",
            new.0.name()
        )));
    }
    if !args.force {
        same_document(&old, &new)?;
    }
    let env = environment(&args.env);
    let profiles = pipeline::Profiles::new(&env);
    let fonts = Arc::new(FontSet::load(&env.fonts));
    let lay_out = |(file, b): &(DataFile, Budget)| {
        let failed = |why: String| {
            crate::error::err!("{why}");
            crate::error::errln!("未生成更正说明：{} 排版失败", file.name());
            Error::Failed { failed: 1, total: 2 }
        };
        // Each file under its own profile, as `build` publishes it.
        let bundle = profiles.for_file(&file.path, b).map_err(|e| failed(e.render() + "\n"))?;
        let mut engine = Engine::new(fonts.clone(), bundle.templates.clone());
        let (secs, mib) = (args.limits.time_limit, args.limits.memory_limit);
        let _watch = crate::typeset::limits::Watch::start(&file.name(), secs, mib);
        crate::diff::document::lay_out_budget(&mut engine, b, bundle.profile.clone())
            .map_err(failed)
    };
    let (a, b) = (lay_out(&old)?, lay_out(&new)?);
    let changes = crate::diff::document::compare(&a.places(), &b.places());
    if changes.is_empty() && !matches!(args.format, DiffFormat::Text | DiffFormat::Csv) {
        crate::error::err!("{}", unprinted(&old.1, &new.1));
        return Err(Error::Message("未生成更正说明：印出的文件没有变化".into()));
    }
    let view = || -> Result<_, Error> {
        let edited = crate::diff::document::Edited::between(&old.1, &new.1);
        let n = notice(args, &new.1, &b.outline)?;
        Ok(crate::diff::document::notice_view(&n, &changes, &edited))
    };
    let bytes = match args.format {
        DiffFormat::Text if changes.is_empty() => unprinted(&old.1, &new.1).into_bytes(),
        DiffFormat::Text => crate::diff::document::to_text(&changes).into_bytes(),
        DiffFormat::Markdown => crate::diff::document::to_markdown(&view()?).into_bytes(),
        DiffFormat::Html => crate::export::html::notice_page(&view()?).into_bytes(),
        DiffFormat::Csv => crate::diff::document::to_csv(&changes).into_bytes(),
        DiffFormat::Pdf => {
            let bundle =
                profiles.for_file(&new.0.path, &new.1).map_err(|e| Error::Message(e.render()))?;
            let t = pipeline::typeset_notice(fonts.clone(), &bundle, &new.1, view()?)
                .map_err(|log| Error::Message(format!("{log}未生成更正说明：排版失败")))?;
            pipeline::export_pdf(&t, &crate::export::pdf::PdfSettings::default()).map_err(|d| {
                Error::Message(format!("未生成更正说明：写 PDF 失败（{}）", d.len()))
            })?
        }
    };
    match &args.output {
        Some(path) => {
            crate::export::output::not_over(path, &[&args.old, &args.new])?;
            crate::export::output::write_atomic(path, &bytes)?;
            crate::error::errln!("已写出更正说明：{}", crate::error::shown(path));
        }
        None => stdout(&String::from_utf8_lossy(&bytes)),
    }
    Ok(())
}

/// A correction notice compares two versions of one document: the same
/// kind (预算 or 决算), department and year. Anything else is refused in
/// the reader's words, unless `--force` says it is meant.
fn same_document(old: &(DataFile, Budget), new: &(DataFile, Budget)) -> Result<(), Error> {
    let (a, b) = (&old.1, &new.1);
    let (da, db) = (&a.document, &b.document);
    let what = if a.kind() != b.kind() {
        format!(
            "{} 是{}，{} 是{}",
            old.0.name(),
            a.kind().chinese(),
            new.0.name(),
            b.kind().chinese()
        )
    } else if da.code != db.code || da.department != db.department {
        format!(
            "两个文件不是同一个部门：{}（{}）与 {}（{}）",
            da.department, da.code, db.department, db.code
        )
    } else if da.year != db.year {
        format!("两个文件不是同一年度：{} 年与 {} 年", da.year, db.year)
    } else {
        return Ok(());
    };
    Err(Error::Usage(format!(
        "未生成更正说明：{what}。更正说明比较同一份文件更正前后的两个版本；确要比较时加 --force"
    )))
}

/// Nothing printed changed: say so, and list the data fields that did
/// change without reaching the page (a stated figure, a note), so that
/// "no change" is never said of two different files.
fn unprinted(old: &Budget, new: &Budget) -> String {
    let fields = crate::diff::diff(old, new);
    if fields.is_empty() {
        return crate::diff::document::to_text(&[]);
    }
    format!(
        "印出的文件无变化；数据有 {} 处改动没有印在文件中：\n{}",
        fields.len(),
        crate::diff::to_text(&fields)
    )
}

/// Title, date and reason of the 更正说明.
fn notice(
    args: &DiffArgs,
    b: &Budget,
    outline: &crate::typeset::outline::Outline,
) -> Result<crate::diff::document::Notice, Error> {
    let d = &b.document;
    let date = match &args.date {
        Some(s) => {
            let t: toml::value::Datetime = s
                .trim()
                .parse()
                .map_err(|_| Error::Usage(format!("日期“{s}”应写成 2021-03-10")))?;
            crate::derive::chinese_date(&t).1
        }
        None => today(),
    };
    Ok(crate::diff::document::Notice {
        department: d.department.clone(),
        // The corrected document's title, as its PDF carries it.
        document: outline.meta.title.clone(),
        date,
        reason: args.reason.clone().unwrap_or_default(),
    })
}

/// Today's date in Chinese (UTC): a notice is dated the day it is written.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year}年{month}月{day}日")
}

/// The author's view: every data field that differs, and what a draft
/// still carries unchanged.
fn diff_fields(args: &DiffArgs) -> Result<(), Error> {
    let (old, new) = (readable(&args.old)?, readable(&args.new)?);
    let changes = crate::diff::diff(&old.1, &new.1);
    let mut text = match args.format {
        DiffFormat::Text | DiffFormat::Csv => crate::diff::to_text(&changes),
        DiffFormat::Markdown => crate::diff::to_markdown(&changes, &title_of(args, &new)),
        DiffFormat::Html | DiffFormat::Pdf => {
            return Err(Error::Usage("--fields 只能与 text、markdown、csv 格式同用".into()));
        }
    };
    text.push_str(&still_drafted(&new.0.text));
    stdout(&text);
    Ok(())
}

/// The document's title, department and subject, by the file's profile.
fn title_of(args: &DiffArgs, (file, b): &(DataFile, Budget)) -> String {
    let profiles = pipeline::Profiles::new(&environment(&args.env));
    let subject = match profiles.for_file(&file.path, b) {
        Ok(bundle) => crate::model::profile::fill_year(&bundle.profile.subject, b.document.year),
        Err(_) => format!("{}年{}", b.document.year, b.kind().chinese()),
    };
    format!("{}{subject}", b.document.department)
}

/// “草稿中仍未更新的字段（N 项）” and the list, or nothing for a file with
/// no open `[todo]` item.
fn still_drafted(text: &str) -> String {
    // The parsed document, not a `DocumentMut`: it keeps the spans that give line numbers.
    let Ok(doc) = toml_edit::Document::parse(text) else { return String::new() };
    let root = doc.as_item();
    let open = crate::model::todo::open_items(root, &crate::model::todo::read(root));
    if open.is_empty() {
        return String::new();
    }
    let mut out = format!("\n草稿中仍未更新的字段（{} 项）\n", open.len());
    for o in &open {
        let line = o.span.as_ref().map_or(0, |s| crate::diag::line_col(text, s.start).0);
        let was = o.was.as_deref().map(|w| format!("：{w}")).unwrap_or_default();
        out.push_str(&format!(
            "  第{line}行　{}（{}）{was}\n",
            crate::model::todo::describe(root, &o.field),
            o.field
        ));
    }
    out
}

/// A diff of data fields needs readable data, not data that passes every
/// check: a draft can be compared too. Unreadable files report why.
fn readable(p: &Path) -> Result<(DataFile, Budget), Error> {
    let loaded = pipeline::inspect(p);
    match loaded.budget {
        Some(b) => {
            let errors = loaded.problems.iter().filter(|p| p.is_error()).count();
            if errors > 0 {
                let name = loaded.file.name();
                crate::error::errln!(
                    "注意：{name} 未通过核对（{errors} 个错误，用 yusuan check {name} 查看）；下面仍列出变化"
                );
            }
            Ok((loaded.file, b))
        }
        None => {
            print_problems(&loaded.file, &loaded.problems);
            Err(Error::Failed { failed: 1, total: 2 })
        }
    }
}
