//! 命令：build、check、fonts、preview（见 `preview` 模块）。每个命令由几个命名的小步骤组成。

use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst::foundations::Datetime;

use crate::args::{
    BuildArgs, CheckArgs, Command, DiffArgs, DiffFormat, EnvArgs, FontArgs, FontsArgs, NewArgs,
    PdfStandardArg,
};
use crate::diag::Problem;
use crate::error::Error;
use crate::fonts::{FontOptions, FontSet, Origin};
use crate::load::{self, DataFile};
use crate::model::Budget;
use crate::profiles::{Bundle, ProfileError, ProfileSet};
use crate::templates::Templates;
use crate::render::{Engine, PdfSettings};
use crate::{batch, derive, newyear, output, report};

/// Runs one command.
pub fn run(cli: crate::args::Cli) -> Result<(), Error> {
    match cli.command {
        Command::Build(a) => build(&a),
        Command::Check(a) => check(&a),
        Command::Fonts(a) => fonts(&a),
        Command::New(a) => new_year(&a),
        Command::Diff(a) => diff(&a),
        Command::Preview(a) => crate::preview::run(&a),
        Command::Profile(a) => crate::profile_cmd::run(&a),
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
    let (budget, problems, file) = inspect(path);
    report::problems(&file.name(), &file.text, &problems);
    if let Some(summary) = crate::diag::summary(&file.name(), &problems) {
        eprintln!("{summary}");
    }
    let blocked = problems.iter().any(Problem::is_error);
    budget.filter(|_| !blocked).map(|b| (file, b))
}

/// Reads, parses and checks one file and returns the problems, located but
/// not printed (the preview shows them in the browser). An unreadable file
/// comes back with empty text.
pub fn inspect(path: &Path) -> (Option<Budget>, Vec<Problem>, DataFile) {
    let loaded = load::load(path);
    (loaded.budget, loaded.problems, loaded.file)
}

fn check(args: &CheckArgs) -> Result<(), Error> {
    let inputs = collect_inputs(&args.paths)?;
    let set = ProfileSet::new(args.templates.clone());
    let failed = inputs
        .iter()
        .filter(|p| {
            let c = inspect_with(p, &set, args.profile.as_deref());
            report::problems(&c.file.name(), &c.file.text, &c.problems);
            if let Some(e) = &c.profile_error {
                eprintln!("{e}");
            }
            if let Some(summary) = crate::diag::summary(&c.file.name(), &c.problems) {
                eprintln!("{summary}");
            }
            !c.usable()
        })
        .count();
    finish(failed, inputs.len(), "核对通过")
}

/// A data file read and checked under its profile.
pub struct Checked {
    pub file: DataFile,
    pub budget: Option<Budget>,
    /// The profile and its templates, when they could be read.
    pub bundle: Option<Arc<Bundle>>,
    /// The data file's problems, the profile's requirements among them.
    pub problems: Vec<Problem>,
    /// A profile named on the command line that could not be read, or a
    /// faulty profile.toml, rendered.
    pub profile_error: Option<String>,
}

impl Checked {
    /// Whether the document can be built.
    pub fn usable(&self) -> bool {
        self.budget.is_some()
            && self.bundle.is_some()
            && self.profile_error.is_none()
            && !self.problems.iter().any(Problem::is_error)
    }
}

/// Reads and checks a file, then its profile (`--profile`, else the
/// file's `document.profile`, else the default) and what the profile
/// requires of the data.
pub fn inspect_with(path: &Path, set: &ProfileSet, cli: Option<&str>) -> Checked {
    let (budget, problems, file) = inspect(path);
    let mut c = Checked { file, budget, bundle: None, problems, profile_error: None };
    let Some(b) = &c.budget else { return c };
    let spec = cli.map(str::to_string).or_else(|| b.document.profile.clone());
    let base = path.parent().unwrap_or(Path::new("."));
    match set.get(spec.as_deref(), base) {
        Ok(bundle) => {
            let mut more = crate::profile_checks::check(b, &c.file.text, &bundle.profile);
            c.problems.append(&mut more);
            load::place(&c.file.text, &mut c.problems);
            c.bundle = Some(bundle);
        }
        Err(ProfileError::Unknown(name)) if cli.is_none() => {
            c.problems.push(
                Problem::error("document.profile", format!("找不到样式“{name}”"))
                    .expected(format!(
                        "随程序提供的样式（{}），或含 profile.toml 的样式文件夹（相对于本文件）",
                        crate::profiles::bundled_names()
                    )),
            );
            load::place(&c.file.text, &mut c.problems);
        }
        Err(e) => c.profile_error = Some(e.render()),
    }
    c
}

fn finish(failed: usize, total: usize, ok_word: &str) -> Result<(), Error> {
    if failed > 0 {
        return Err(Error::Failed { failed, total });
    }
    eprintln!("{ok_word}：{total} 个文件");
    Ok(())
}

/// Loads fonts once for all documents of a run, and the profiles as the
/// documents name them.
pub fn environment(env: &EnvArgs) -> Result<(Arc<FontSet>, Arc<ProfileSet>), Error> {
    let set = ProfileSet::new(env.templates.clone());
    // A profile named on the command line is read now, so a mistake in it
    // stops the run before any document.
    if let Some(spec) = &env.profile {
        set.get(Some(spec), Path::new(".")).map_err(|e| Error::Profile(e.render()))?;
    } else {
        load_templates(env)?;
    }
    Ok((Arc::new(FontSet::load(&font_options(&env.fonts))), Arc::new(set)))
}

/// The template set `env` names, refused when it has no main.typ.
pub fn load_templates(env: &EnvArgs) -> Result<Templates, Error> {
    let templates = Templates::locate(env.templates.as_deref()).map_err(|source| {
        Error::Templates { path: env.templates.clone().unwrap_or("templates".into()), source }
    })?;
    if !templates.files.contains_key("main.typ") {
        return Err(Error::NoMainTemplate(templates.display_path("")));
    }
    Ok(templates)
}

pub fn font_options(f: &FontArgs) -> FontOptions {
    FontOptions { font_paths: f.font_paths.clone(), no_system_fonts: f.no_system_fonts }
}

fn build(args: &BuildArgs) -> Result<(), Error> {
    let inputs = collect_inputs(&args.paths)?;
    let env = environment(&args.env)?;
    let settings = pdf_settings(&args.pdf_standards);
    let mut progress = batch::Progress::new(inputs.len());
    let outcomes = batch::build_all(&inputs, args, env, &settings, |o| progress.record(o));
    let failed = outcomes.iter().filter(|o| o.result.is_err()).count();
    if inputs.len() > 1 {
        progress.finish(&outcomes);
    }
    finish(failed, inputs.len(), "生成完毕")
}

fn new_year(args: &NewArgs) -> Result<(), Error> {
    let (file, budget) = load_checked(&args.from).ok_or(Error::Failed { failed: 1, total: 1 })?;
    let draft = newyear::rollover(&file.text, &budget, args.year).map_err(Error::Usage)?;
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| next_year_path(&args.from, budget.document.year, args.year));
    if out.exists() && !args.force {
        return Err(Error::Exists(out));
    }
    output::write_atomic(&out, draft.text.as_bytes())?;
    eprintln!("已生成 {} 年草稿：{}", args.year, out.display());
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

fn diff(args: &DiffArgs) -> Result<(), Error> {
    // A diff needs readable data, not data that passes every check: a draft
    // can be compared too. Unreadable files report why.
    let load = |p: &Path| match inspect(p) {
        (Some(b), _, file) => Ok((file, b)),
        (None, problems, file) => {
            report::problems(&file.name(), &file.text, &problems);
            Err(Error::Failed { failed: 1, total: 2 })
        }
    };
    let (old, new) = (load(&args.old)?, load(&args.new)?);
    let changes = crate::diff::diff(&old.1, &new.1);
    let text = match args.format {
        DiffFormat::Text => crate::diff::to_text(&changes),
        DiffFormat::Markdown => {
            let title = format!(
                "{}{}年部门预算信息公开情况说明",
                new.1.document.department, new.1.document.year
            );
            crate::diff::to_markdown(&changes, &title)
        }
    };
    stdout(&text);
    Ok(())
}

/// The stable identifier of a department's document for one year, which
/// `build` and the preview both give the PDF.
pub fn pdf_ident(b: &Budget) -> String {
    format!("yusuan/{}/{}", b.document.code, b.document.year)
}

/// Draft flag, the font families each role resolves to, and the profile.
pub fn presentation(
    engine: &Engine,
    draft: bool,
    profile: Arc<crate::profile::Profile>,
) -> derive::Presentation {
    let fonts =
        engine.fonts().roles().iter().map(|(k, r)| (k.to_string(), r.families.clone())).collect();
    derive::Presentation { draft, fonts, profile }
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
    let mut text = String::from("字体角色（按优先顺序，第一个为实际使用的字体）：\n");
    for role in &crate::fonts::ROLES {
        let r = &set.roles()[role.key];
        let bold = if r.has_bold { "有粗体字形" } else { "无粗体字形，不加粗" };
        text += &format!("  {}：{}（{}）\n", role.label, r.families.join(" → "), bold);
    }
    text += "\n找到的字体（族名、样式、字重、来源）：\n";
    for (info, origin) in &set.faces {
        let from = match origin {
            Origin::Bundled(name) => format!("内置 {name}"),
            Origin::File(p) => p.display().to_string(),
        };
        let weight = info.variant.weight.to_number();
        text += &format!("  {}\t{:?}\t{weight}\t{from}\n", info.family, info.variant.style);
    }
    stdout(&text);
    Ok(())
}

/// Writes a command's result. A reader that stops early (`| head`) is not
/// an error, and must not make the program panic as `print!` would.
fn stdout(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
