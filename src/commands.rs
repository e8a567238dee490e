//! 命令：build、check、fonts。每个命令由几个命名的小步骤组成。

use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst::foundations::Datetime;

use crate::args::{BuildArgs, CheckArgs, Command, EnvArgs, FontArgs, FontsArgs, PdfStandardArg};
use crate::diag::Problem;
use crate::error::{Error, Reported};
use crate::fonts::{FontOptions, FontSet, Origin};
use crate::load::{self, DataFile};
use crate::model::Budget;
use crate::render::{Engine, PdfSettings};
use crate::templates::Templates;
use crate::{checks, derive, output, report};

/// Runs one command.
pub fn run(cli: crate::args::Cli) -> Result<(), Error> {
    match cli.command {
        Command::Build(a) => build(&a),
        Command::Check(a) => check(&a),
        Command::Fonts(a) => fonts(&a),
    }
}

/// The data files named on the command line: files as given, folders
/// searched recursively for `.toml`, in a stable order.
pub fn collect_inputs(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let default = [PathBuf::from("data")];
    let paths = if paths.is_empty() { &default[..] } else { paths };
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let before = out.len();
            walk_toml(p, &mut out);
            if out.len() == before {
                return Err(Error::NoDataFiles(p.clone()));
            }
        } else if p.exists() {
            out.push(p.clone());
        } else {
            return Err(Error::MissingPath(p.clone()));
        }
    }
    Ok(out)
}

fn walk_toml(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk_toml(&p, out);
        } else if p.extension().is_some_and(|e| e == "toml") {
            out.push(p);
        }
    }
}

/// Reads, parses and checks one file, printing every problem found.
/// Returns the budget when no error remains.
pub fn load_checked(path: &Path) -> Option<(DataFile, Budget)> {
    let name = path.display().to_string();
    let file = match load::read(path) {
        Ok(f) => f,
        Err(p) => {
            report::problems(&name, "", &[p]);
            return None;
        }
    };
    let (budget, mut problems) = match load::parse(&file) {
        Ok(b) => {
            let problems = checks::check(&b);
            (Some(b), problems)
        }
        Err(p) => (None, vec![p]),
    };
    report::locate_all(&file, &mut problems);
    report::problems(&file.name(), &file.text, &problems);
    let blocked = problems.iter().any(Problem::is_error);
    budget.filter(|_| !blocked).map(|b| (file, b))
}

fn check(args: &CheckArgs) -> Result<(), Error> {
    let inputs = collect_inputs(&args.paths)?;
    let failed = inputs.iter().filter(|p| load_checked(p).is_none()).count();
    finish(failed, inputs.len(), "核对通过")
}

fn finish(failed: usize, total: usize, ok_word: &str) -> Result<(), Error> {
    if failed > 0 {
        return Err(Error::Failed { failed, total });
    }
    eprintln!("{ok_word}：{total} 个文件");
    Ok(())
}

/// Loads fonts and templates once for all documents of a run.
pub fn environment(env: &EnvArgs) -> Result<(Arc<FontSet>, Arc<Templates>), Error> {
    let templates = Templates::locate(env.templates.as_deref()).map_err(|source| {
        Error::Templates { path: env.templates.clone().unwrap_or("templates".into()), source }
    })?;
    if !templates.files.contains_key("main.typ") {
        return Err(Error::NoMainTemplate(templates.display_path("")));
    }
    Ok((Arc::new(FontSet::load(&font_options(&env.fonts))), Arc::new(templates)))
}

fn font_options(f: &FontArgs) -> FontOptions {
    FontOptions { font_paths: f.font_paths.clone(), no_system_fonts: f.no_system_fonts }
}

fn build(args: &BuildArgs) -> Result<(), Error> {
    let inputs = collect_inputs(&args.paths)?;
    let (fonts, templates) = environment(&args.env)?;
    let mut engine = Engine::new(fonts, templates);
    let settings = pdf_settings(&args.pdf_standards);
    let mut failed = 0;
    for path in &inputs {
        if build_one(&mut engine, path, args, &settings).is_err() {
            failed += 1;
        }
    }
    finish(failed, inputs.len(), "生成完毕")
}

/// Builds one document; every failure has been reported when this returns.
pub fn build_one(
    engine: &mut Engine,
    path: &Path,
    args: &BuildArgs,
    settings: &PdfSettings,
) -> Result<PathBuf, Reported> {
    let (file, budget) = load_checked(path).ok_or(Reported)?;
    let today = document_date(&budget);
    let view = derive::view(&budget, &presentation(engine, args.draft));
    let compiled = engine.compile(&view, today).map_err(|diags| {
        report::typst(engine.world(), &diags);
        eprintln!("{}：模板编译失败，未生成 PDF", file.name());
        Reported
    })?;
    report::typst(engine.world(), &compiled.warnings);
    let ident = format!("yusuan/{}/{}", budget.document.code, budget.document.year);
    let pdf = engine.pdf(&compiled.document, &ident, today, settings).map_err(|diags| {
        report::typst(engine.world(), &diags);
        eprintln!("{}：PDF 导出失败", file.name());
        Reported
    })?;
    let out = args.output.join(format!("{}.pdf", file.stem()));
    output::write_atomic(&out, &pdf).map_err(|e| {
        eprintln!("错误：{e}");
        Reported
    })?;
    eprintln!("已生成 {}（{} 页）", out.display(), compiled.document.pages().len());
    Ok(out)
}

/// Draft flag and the font families each role resolves to.
pub fn presentation(engine: &Engine, draft: bool) -> derive::Presentation {
    let fonts =
        engine.fonts().roles().into_iter().map(|(k, r)| (k.to_string(), r.families)).collect();
    derive::Presentation { draft, fonts }
}

pub fn pdf_settings(standards: &[PdfStandardArg]) -> PdfSettings {
    use typst_pdf::PdfStandard as S;
    let standards = standards
        .iter()
        .map(|s| match s {
            PdfStandardArg::V17 => S::V_1_7,
            PdfStandardArg::V20 => S::V_2_0,
            PdfStandardArg::A2b => S::A_2b,
            PdfStandardArg::A2u => S::A_2u,
            PdfStandardArg::A2a => S::A_2a,
            PdfStandardArg::A3b => S::A_3b,
            PdfStandardArg::Ua1 => S::Ua_1,
        })
        .collect();
    PdfSettings { standards, tagged: true }
}

/// The document's date: stated in the data, else SOURCE_DATE_EPOCH, else
/// 1 January of the budget year. Never the clock, so builds are repeatable.
pub fn document_date(b: &Budget) -> Datetime {
    let stated = b
        .document
        .date
        .and_then(|d| d.date)
        .and_then(|d| Datetime::from_ymd(i32::from(d.year), d.month, d.day));
    let epoch = || {
        let secs: i64 = std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()?;
        typst_kit::datetime::Time::fixed_timestamp(secs).ok()?.today(None)
    };
    stated
        .or_else(epoch)
        .or_else(|| Datetime::from_ymd(b.document.year, 1, 1))
        .unwrap_or_else(|| Datetime::from_ymd(2000, 1, 1).expect("valid date"))
}

fn fonts(args: &FontsArgs) -> Result<(), Error> {
    let set = FontSet::load(&font_options(&args.fonts));
    println!("字体角色（按优先顺序，第一个为实际使用的字体）：");
    for role in &crate::fonts::ROLES {
        let r = &set.roles()[role.key];
        let bold = if r.has_bold { "有粗体字形" } else { "无粗体字形，不加粗" };
        println!("  {}：{}（{}）", role.label, r.families.join(" → "), bold);
    }
    println!("\n找到的字体（族名、样式、字重、来源）：");
    for (info, origin) in &set.faces {
        let from = match origin {
            Origin::Bundled(name) => format!("内置 {name}"),
            Origin::File(p) => p.display().to_string(),
        };
        println!(
            "  {}\t{:?}\t{}\t{}",
            info.family,
            info.variant.style,
            info.variant.weight.to_number(),
            from
        );
    }
    Ok(())
}
