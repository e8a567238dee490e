//! 流水线：数据文件 → 核对过的模型 → 视图 → 排好的文档 → PDF。build、批量、预览、示例与测试都走这一条线。

use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst::diag::SourceDiagnostic;
use typst::foundations::Datetime;

use crate::derive::{self, Presentation, View};
use crate::diag::Problem;
use crate::error::Error;
use crate::export::pdf::{self, PdfSettings};
use crate::model::Budget;
use crate::model::profile::Profile;
use crate::source::{self, Loaded, walk};
use crate::typeset::compile::{Compiled, Engine};
use crate::typeset::fonts::{FontOptions, FontSet};
use crate::typeset::templates::{Root, Templates};
use crate::{checks, source::DataFile};

/// Where the templates and fonts of a run come from.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    /// A templates folder; `None`: `templates/` here, else the bundled set.
    pub templates: Option<PathBuf>,
    pub fonts: FontOptions,
    /// `--profile`: a bundled profile's name or a profile folder, over every
    /// file's `document.profile`.
    pub profile: Option<String>,
}

/// The data files named on the command line: files as given (a link is
/// followed), folders walked for `.toml` by the rule of `walk`, in a
/// stable order. What a walk skipped is said.
pub fn collect_inputs(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let default = [PathBuf::from("data")];
    let paths = if paths.is_empty() { &default[..] } else { paths };
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => Error::MissingPath(p.clone()),
            _ => Error::Read { path: p.clone(), source },
        })?;
        if meta.is_dir() {
            // A catalogue folder among the data holds the user's catalogues
            // (`catalogue/<年度>.toml`), not data files.
            let in_catalogue =
                |f: &Path| f.parent().and_then(Path::file_name).is_some_and(|n| n == "catalogue");
            let is_toml = |f: &Path| f.extension().is_some_and(|e| e == "toml") && !in_catalogue(f);
            let found = walk::walk(p, &is_toml).map_err(|e| Error::Message(e.to_string()))?;
            for skipped in &found.skipped {
                crate::error::errln!("警告：{skipped}");
            }
            if found.files.is_empty() {
                return Err(Error::NoDataFiles(p.clone()));
            }
            out.extend(found.files);
        } else {
            walk::regular_file(p).map_err(|source| Error::Read { path: p.clone(), source })?;
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// Refuses a run in which two inputs would write one output: the second
/// would silently replace the first. Names differing only in case count as
/// one, as they are on Windows and macOS.
pub fn one_output_per_input(inputs: &[PathBuf], out_dir: &Path) -> Result<(), Error> {
    let mut seen: std::collections::HashMap<String, &PathBuf> = Default::default();
    for p in inputs {
        let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        if let Some(first) = seen.get(&stem.to_lowercase()) {
            let same = std::fs::canonicalize(first).ok() == std::fs::canonicalize(p).ok();
            return Err(Error::Collision {
                output: out_dir.join(format!("{stem}.pdf")),
                first: (*first).clone(),
                second: p.clone(),
                same,
            });
        }
        seen.insert(stem.to_lowercase(), p);
    }
    Ok(())
}

/// Reads, parses and checks one file: every problem, located and in
/// reporting order (errors first, then by position). Never fails.
pub fn inspect(path: &Path) -> Loaded {
    inspect_with(path, None)
}

/// As [`inspect`], with the user's catalogue file given (`--catalogue`)
/// instead of the one beside the data.
pub fn inspect_with(path: &Path, catalogue: Option<&Path>) -> Loaded {
    checked(source::load_with(path, catalogue))
}

/// As [`inspect`], for bytes already read (tests, the preview).
pub fn inspect_bytes(path: &Path, bytes: &[u8]) -> Loaded {
    checked(source::from_bytes(path, bytes))
}

/// Runs the checks on a parsed model and locates every problem.
fn checked(mut loaded: Loaded) -> Loaded {
    if let Some(b) = &loaded.budget {
        match &b.final_accounts {
            None => loaded.problems.extend(checks::check(b)),
            Some(fa) => loaded.problems.extend(checks::final_accounts::check(b, fa)),
        }
        loaded.problems.extend(checks::todo::check(&loaded.file.text));
    }
    source::place(&loaded.file.text, &mut loaded.problems);
    loaded
}

/// The budget of a file that passes every check, or `None`.
pub fn usable(loaded: Loaded) -> (DataFile, Vec<Problem>, Option<Budget>) {
    let ok = loaded.usable();
    (loaded.file, loaded.problems, loaded.budget.filter(|_| ok))
}

/// Loads fonts and templates once for all documents of a run.
pub fn environment(env: &Environment) -> Result<(Arc<FontSet>, Arc<Templates>), Error> {
    let templates = load_templates(env)?;
    Ok((Arc::new(FontSet::load(&env.fonts)), Arc::new(templates)))
}

/// Loads fonts once for a run, and the profiles as its documents name them.
/// A profile named on the command line is read now, so a mistake in it
/// stops the run before any document.
pub fn profiles(env: &Environment) -> Result<(Arc<FontSet>, Arc<Profiles>), Error> {
    let profiles = Profiles::new(env);
    match &env.profile {
        Some(spec) => {
            profiles.get(Some(spec), Path::new(".")).map_err(|e| Error::Message(e.render()))?;
        }
        None => {
            load_templates(env)?;
        }
    }
    Ok((Arc::new(FontSet::load(&env.fonts)), Arc::new(profiles)))
}

/// The default profile's template set, from where `env` says.
pub fn load_templates(env: &Environment) -> Result<Templates, Error> {
    let bundle =
        Profiles::new(env).get(None, Path::new(".")).map_err(|e| Error::Message(e.render()))?;
    Ok(bundle.templates.as_ref().clone())
}

/// The stable identifier of a department's document for one year, which
/// every PDF of it carries.
pub fn pdf_ident(b: &Budget) -> String {
    match b.kind() {
        crate::model::profile::DocumentKind::Budget => {
            format!("yusuan/{}/{}", b.document.code, b.document.year)
        }
        // A 决算 is another document of the same department and year.
        k => format!("yusuan/{}/{}/{}", b.document.code, b.document.year, k.word()),
    }
}

/// Draft flag, the font families each role resolves to, and the profile.
pub fn presentation(engine: &Engine, draft: bool, profile: Arc<Profile>) -> Presentation {
    let fonts =
        engine.fonts().roles().iter().map(|(k, r)| (k.to_string(), r.families.clone())).collect();
    Presentation { draft, fonts, profile }
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

/// A document laid out, with what its export needs.
pub struct Typeset {
    /// The data the templates received.
    pub view: View,
    pub compiled: Compiled,
    /// The PDF's identifier and date.
    pub ident: String,
    pub today: Datetime,
}

impl Typeset {
    /// The document's text as printed: what the web page, the Word file and
    /// the correction notice are made from.
    pub fn outline(&self) -> crate::typeset::outline::Outline {
        crate::typeset::outline::read(&self.compiled.document)
    }
}

/// The one typeset sequence: model → view → layout. Errors are Typst's
/// diagnostics, with their template locations.
pub fn typeset(
    engine: &mut Engine,
    budget: &Budget,
    draft: bool,
) -> Result<Typeset, Vec<SourceDiagnostic>> {
    typeset_in(engine, budget, draft, Arc::new(crate::model::profile::default_profile()))
}

/// As [`typeset`], under a profile; `engine` holds that profile's templates.
pub fn typeset_in(
    engine: &mut Engine,
    budget: &Budget,
    draft: bool,
    profile: Arc<Profile>,
) -> Result<Typeset, Vec<SourceDiagnostic>> {
    let today = document_date(budget);
    let view = derive::view(budget, &presentation(engine, draft, profile));
    let compiled = engine.compile(&view, today)?;
    Ok(Typeset { view, compiled, ident: pdf_ident(budget), today })
}

/// A correction notice laid out in the house style of the corrected
/// document's profile: the profile's own `notice.typ` when it has one, else
/// the base's. The view is the corrected document's, with the notice's
/// sentences and rows (written by `diff::document::notice_view`).
pub fn typeset_notice(
    fonts: Arc<FontSet>,
    bundle: &Bundle,
    budget: &Budget,
    notice: crate::derive::view::NoticeView,
) -> Result<Typeset, String> {
    let mut templates = bundle.templates.as_ref().clone();
    let own = templates.in_profile("notice.typ");
    templates.main = if templates.files.contains_key(&own) {
        own
    } else {
        format!("{}/notice.typ", crate::source::profile::BASE)
    };
    let mut engine = Engine::new(fonts, Arc::new(templates));
    let today = document_date(budget);
    let mut view = derive::view(budget, &presentation(&engine, false, bundle.profile.clone()));
    let title = notice.title.clone();
    view.notice = Some(notice);
    let mut compiled = engine
        .compile(&view, today)
        .map_err(|d| crate::typeset::compile::typst_text(engine.world(), &d))?;
    compiled.document.info_mut().title = Some(title.into());
    let ident = format!("{}/notice", pdf_ident(budget));
    Ok(Typeset { view, compiled, ident, today })
}

/// The PDF of a laid-out document.
pub fn export_pdf(t: &Typeset, settings: &PdfSettings) -> Result<Vec<u8>, Vec<SourceDiagnostic>> {
    pdf::export(&t.compiled.document, &t.ident, t.today, settings)
}

// ---------------------------------------------------------------------------
// Profiles: which one a file uses, read once per run with its templates.

/// A profile with its templates, ready to compile.
#[derive(Debug)]
pub struct Bundle {
    pub profile: Arc<Profile>,
    pub templates: Arc<Templates>,
    /// How the profile was named: a bundled name or a folder; one Engine
    /// per key.
    pub key: String,
}

/// Why a profile could not be used, in Chinese.
#[derive(Debug)]
pub enum ProfileError {
    /// Neither a bundled name nor a folder with a profile.toml.
    Unknown(String),
    /// Anything else, said in full (a faulty profile.toml is rendered with
    /// file, line and column like a data file).
    Message(String),
}

impl ProfileError {
    pub fn render(&self) -> String {
        match self {
            ProfileError::Unknown(name) => format!(
                "找不到样式“{name}”：既不是随程序提供的样式（{}），也不是含 profile.toml 的文件夹",
                source::profile::bundled_names()
            ),
            ProfileError::Message(m) => m.clone(),
        }
    }
}

/// The profiles of a run, each read once and shared by every document that
/// names it.
#[derive(Debug, Default)]
pub struct Profiles {
    env: Environment,
    cache: std::sync::Mutex<std::collections::HashMap<String, Arc<Bundle>>>,
}

impl Profiles {
    pub fn new(env: &Environment) -> Profiles {
        Profiles { env: env.clone(), cache: Default::default() }
    }

    /// The profile for a file: `--profile` (a folder relative to the
    /// current directory, as every command-line path), else its
    /// `document.profile` (relative to the data file, as every path inside
    /// a file), else its kind's bundled profile.
    pub fn for_file(&self, path: &Path, b: &Budget) -> Result<Arc<Bundle>, ProfileError> {
        if let Some(spec) = &self.env.profile {
            return self.get(Some(spec), Path::new("."));
        }
        let spec = b.document.profile.clone();
        let spec = spec.unwrap_or_else(|| b.kind().default_profile().to_string());
        if !crate::source::profile::BUNDLED.contains(&spec.trim()) {
            folder_named_in(path, &spec)?;
        }
        self.get(Some(&spec), path.parent().unwrap_or(Path::new(".")))
    }

    /// A bundled profile by name, or the profile folder `spec` relative to
    /// `base`; `None` is the default profile.
    pub fn get(&self, spec: Option<&str>, base: &Path) -> Result<Arc<Bundle>, ProfileError> {
        let spec = spec.map(str::trim).filter(|s| !s.is_empty());
        let name = spec.unwrap_or(crate::model::profile::DEFAULT_NAME);
        let root = Root::locate(self.env.templates.as_deref());
        root.check().map_err(ProfileError::Message)?;
        let (key, templates) = match Templates::bundled(&root, name) {
            Some(t) => (name.to_string(), t.map_err(FolderError::Read)),
            None => {
                let dir = base.join(name);
                (dir.display().to_string(), folder(&root, &dir))
            }
        };
        if let Some(b) = self.cache.lock().expect("profile cache").get(&key) {
            return Ok(b.clone());
        }
        let templates = templates.map_err(|e| match e {
            FolderError::Missing => ProfileError::Unknown(name.to_string()),
            FolderError::Read(e) => ProfileError::Message(format!("样式文件夹：{e}")),
        })?;
        for skipped in &templates.skipped {
            crate::error::errln!("警告：{skipped}");
        }
        let bundle = Arc::new(bundle(templates, key.clone())?);
        self.cache.lock().expect("profile cache").insert(key, bundle.clone());
        Ok(bundle)
    }
}

/// Why a profile folder could not be read.
pub enum FolderError {
    /// No folder there, or one without a profile.toml.
    Missing,
    Read(crate::typeset::templates::TemplateError),
}

impl From<crate::typeset::templates::TemplateError> for FolderError {
    fn from(e: crate::typeset::templates::TemplateError) -> FolderError {
        FolderError::Read(e)
    }
}

/// A profile folder's files with the base from `root`. A profile.toml that
/// is a link is refused by name: the folder walk never follows one, and a
/// profile silently replaced by the default would print the wrong document.
pub fn folder(root: &Root, dir: &Path) -> Result<Templates, FolderError> {
    let file = dir.join("profile.toml");
    let meta = std::fs::symlink_metadata(&file).map_err(|_| FolderError::Missing)?;
    if !meta.is_file() {
        let what =
            if meta.file_type().is_symlink() { "符号链接" } else { "不是普通文件" };
        let why = format!("样式说明 {} 是{what}：不跟随链接，也不读特殊文件", file.display());
        return Err(FolderError::Read(crate::typeset::templates::TemplateError::Read(
            file,
            std::io::Error::other(why),
        )));
    }
    Ok(Templates::folder(root, dir)?)
}

/// A profile folder written in a data file (`document.profile`) follows the
/// rule of every path written in data (`source::walk::named_in`): inside the
/// data file's folder, no `..`, no absolute path, no link on the way — so a
/// department's file cannot make the build read templates from anywhere.
fn folder_named_in(data: &Path, written: &str) -> Result<(), ProfileError> {
    let rel = Path::new(written.trim());
    let refuse = |why: &str| {
        ProfileError::Message(format!(
            "{}：document.profile = \"{}\" {why}；样式文件夹须写成数据文件所在文件夹之内的相对路径，\
             或随程序提供的样式名（{}）",
            crate::error::shown(data),
            crate::error::safe(written),
            crate::source::profile::BUNDLED.join("、")
        ))
    };
    if !rel.components().all(|c| matches!(c, std::path::Component::Normal(_))) {
        return Err(refuse("指到了数据文件所在文件夹之外"));
    }
    let mut at = data.parent().unwrap_or(Path::new("")).to_path_buf();
    for part in rel.components() {
        at.push(part);
        if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(refuse("途中经过符号链接（不跟随链接）"));
        }
    }
    Ok(())
}

/// Reads a template set's profile.toml, checks that its main template is
/// there and that its parts and the template's part functions agree.
pub fn bundle(mut templates: Templates, key: String) -> Result<Bundle, ProfileError> {
    let profile_file = templates.in_profile("profile.toml");
    let Some(text) = templates.files.get(&profile_file).cloned() else {
        let shown = templates.display_path(&profile_file);
        return Err(ProfileError::Message(format!("样式中没有样式说明 {shown}")));
    };
    let file = templates.display_path(&profile_file);
    let render = |problems: Vec<Problem>, file: &str, text: &str| {
        let shown: Vec<String> =
            problems.iter().map(|p| crate::diag::render(file, text, p)).collect();
        ProfileError::Message(format!("样式说明 {file} 有错误：\n{}", shown.join("\n")))
    };
    let profile = source::profile::parse(&text).map_err(|p| render(p, &file, &text))?;
    if let Some(parent) = &profile.extends {
        let root = templates.root.clone();
        let found =
            templates.extend(&root, parent).map_err(|e| ProfileError::Message(e.to_string()))?;
        if !found {
            let mut p = Problem::error("extends", format!("“{parent}”不是随程序提供的样式"))
                .expected(source::profile::bundled_names());
            p.span = source::locate(&text, "extends");
            return Err(render(vec![p], &file, &text));
        }
    }
    templates.main = templates.in_profile(&profile.main);
    if !templates.files.contains_key(&templates.main) {
        let main = templates.display_path(&templates.main);
        return Err(ProfileError::Message(format!("样式中没有主模板 {main}")));
    }
    parts_agree(&templates, &profile, (&file, &text))?;
    Ok(Bundle { profile: Arc::new(profile), templates: Arc::new(templates), key })
}

/// Every part of profile.toml has its function in the profile's parts
/// template, and every function there is named by a part: a part without
/// a function would fail the build, and a function no part names is a part
/// a bureau removed from the file but still expects to see.
fn parts_agree(
    templates: &Templates,
    profile: &Profile,
    toml: (&str, &str),
) -> Result<(), ProfileError> {
    let parts_file = templates.in_profile(&profile.parts_file);
    let Some(typ) = templates.files.get(&parts_file) else {
        let shown = templates.display_path(&parts_file);
        return Err(ProfileError::Message(format!("样式中没有各部分的模板 {shown}")));
    };
    let shown = templates.display_path(&parts_file);
    let said = source::profile::parts_agree(profile, toml, (&shown, typ));
    if said.is_empty() { Ok(()) } else { Err(ProfileError::Message(said.join("\n"))) }
}

/// Resolves a checked file's profile and adds what the profile requires of
/// the data to its problems, located. A profile the data names that does
/// not exist is a problem at `document.profile`; any other fault of the
/// profile comes back as its message.
pub fn with_profile(
    loaded: &mut Loaded,
    path: &Path,
    profiles: &Profiles,
) -> Result<Option<Arc<Bundle>>, String> {
    let Some(b) = &loaded.budget else { return Ok(None) };
    match profiles.for_file(path, b) {
        Ok(bundle) => {
            let more = checks::profile::check(b, &loaded.file.text, &bundle.profile);
            loaded.problems.extend(more);
            source::place(&loaded.file.text, &mut loaded.problems);
            Ok(Some(bundle))
        }
        Err(ProfileError::Unknown(name)) if profiles.env.profile.is_none() => {
            loaded.problems.push(
                Problem::error("document.profile", format!("找不到样式“{name}”")).expected(
                    format!(
                        "随程序提供的样式（{}），或含 profile.toml 的样式文件夹（相对于本文件）",
                        source::profile::bundled_names()
                    ),
                ),
            );
            source::place(&loaded.file.text, &mut loaded.problems);
            Ok(None)
        }
        Err(e) => Err(e.render()),
    }
}
