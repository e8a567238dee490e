//! 读取样式：profile.toml 的语法、结构与含义，错误以中文指明文件、行、列与字段。
//!
//! A profile is read like a data file: the TOML syntax first, then serde
//! into the model (one located problem), then every rule serde cannot
//! express — keys that only some layouts take, selectors, units — each
//! problem at its own field.

use std::collections::HashSet;

use crate::diag::Problem;
use crate::profile::{Layout, Profile, Selector, TableSpec};

/// Parses and checks the text of a profile.toml. Every problem found comes
/// back located; the profile only when there is no error.
pub fn parse(text: &str) -> Result<Profile, Vec<Problem>> {
    if let Err(e) = toml_edit::Document::parse(text) {
        return Err(vec![crate::load::syntax(text, &e)]);
    }
    let profile: Profile = toml::from_str(text).map_err(|e| vec![crate::load::translate(text, &e)])?;
    let mut problems = rules(&profile);
    for p in problems.iter_mut().filter(|p| p.span.is_none()) {
        p.span = crate::load::locate(text, &p.field).or(Some(0..0));
    }
    if problems.iter().any(Problem::is_error) { Err(problems) } else { Ok(profile) }
}

/// The rules serde cannot state.
fn rules(p: &Profile) -> Vec<Problem> {
    let mut out = Vec::new();
    if p.name.trim().is_empty() {
        out.push(Problem::error("name", "样式名不能为空"));
    }
    if p.numbers.text.unit != crate::profile::MoneyUnit::Wan {
        out.push(
            Problem::error("numbers.text.unit", "正文中的金额只能以万元表述")
                .expected("unit = \"万元\""),
        );
    }
    for (key, d) in [("numbers.text.decimals", p.numbers.text.decimals), ("numbers.table.decimals", p.numbers.table.decimals)] {
        if d > 2 {
            out.push(Problem::error(key, format!("小数位数 {d} 太多")).expected("0、1 或 2"));
        }
    }
    unique(&mut out, "parts", p.parts.iter().map(|x| x.id.as_str()));
    unique(&mut out, "tables", p.tables.iter().map(|x| x.id.as_str()));
    for (i, part) in p.parts.iter().enumerate() {
        for (k, r) in part.requires.iter().enumerate() {
            if !field_path(r) {
                out.push(
                    Problem::error(format!("parts[{i}].requires[{k}]"), format!("“{r}”不是字段路径"))
                        .expected("如 procurement.sme_reserved、assets.as_of"),
                );
            }
        }
    }
    for (i, t) in p.tables.iter().enumerate() {
        table_rules(&mut out, &format!("tables[{i}]"), t);
    }
    out
}

/// Ids must be unique within parts and within tables.
fn unique<'a>(out: &mut Vec<Problem>, list: &str, ids: impl Iterator<Item = &'a str>) {
    let mut seen = HashSet::new();
    for (i, id) in ids.enumerate() {
        if id.trim().is_empty() {
            out.push(Problem::error(format!("{list}[{i}].id"), "id 不能为空"));
        } else if !seen.insert(id) {
            out.push(Problem::error(format!("{list}[{i}].id"), format!("id“{id}”重复")));
        }
    }
}

/// `a.b_c`, `a.b`: what a data file's field path looks like.
fn field_path(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|seg| {
            !seg.is_empty() && seg.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
}

/// What each layout needs, and keys it does not take.
fn table_rules(out: &mut Vec<Problem>, at: &str, t: &TableSpec) {
    if t.decimals.is_some_and(|d| d > 2) {
        out.push(Problem::error(format!("{at}.decimals"), "小数位数太多").expected("0、1 或 2"));
    }
    if let Some(f) = &t.filter {
        selector_rule(out, &format!("{at}.filter"), f, false);
    }
    match t.layout {
        Layout::Form143 => match t.form {
            Some(1..=9) => {}
            _ => out.push(
                Problem::error(format!("{at}.form"), "form143 表样要写表样序号 form")
                    .expected("1—9，依次为收支总表、收入总表……国有资本经营预算支出表"),
            ),
        },
        Layout::Classified | Layout::Figures => {
            if t.columns.is_empty() {
                out.push(Problem::error(format!("{at}.columns"), "这张表没有金额列").expected("columns = [{ label = \"合计\", sum = \"all\" }, …]"));
            }
            let figures = t.layout == Layout::Figures;
            for (k, c) in t.columns.iter().enumerate() {
                selector_rule(out, &format!("{at}.columns[{k}].sum"), &c.sum, figures);
            }
        }
        Layout::Ledger => {
            if t.income.is_empty() {
                out.push(Problem::error(format!("{at}.income"), "收支总表没有收入栏").expected("income = [{ label = \"一、财政拨款收入\", sum = \"appropriation\" }, …]"));
            }
            for (k, l) in t.income.iter().enumerate() {
                selector_rule(out, &format!("{at}.income[{k}].sum"), &l.sum, false);
            }
            let (key, cols) = if t.spending.is_empty() { ("columns", &t.columns) } else { ("spending", &t.spending) };
            if cols.is_empty() {
                out.push(Problem::error(format!("{at}.spending"), "收支总表没有支出栏的列").expected("spending = [{ label = \"预算数\", sum = \"all\" }]"));
            }
            for (k, c) in cols.iter().enumerate() {
                selector_rule(out, &format!("{at}.{key}[{k}].sum"), &c.sum, false);
            }
        }
    }
}

/// A selector must parse, and name figures exactly where figures go.
fn selector_rule(out: &mut Vec<Problem>, at: &str, s: &str, figures: bool) {
    match Selector::parse(s) {
        Err(why) => out.push(
            Problem::error(at, format!("{why}")).expected(crate::profile::SELECTOR_WORDS),
        ),
        Ok(sel) if figures && sel.figure().is_none() => out.push(
            Problem::error(at, format!("figures 表样的列只能是一项数字，“{s}”不是"))
                .expected("sangong、sangong.overseas、sangong.reception、sangong.vehicle、sangong.vehicle_purchase、sangong.vehicle_operation、operating"),
        ),
        Ok(sel) if !figures && sel.has_figure() => out.push(
            Problem::error(at, format!("“{s}”是正文中的数字，只能用在 figures 表样中"))
                .expected(crate::profile::SELECTOR_WORDS),
        ),
        Ok(_) => {}
    }
}

// ---------------------------------------------------------------------------
// Bundled profiles and profile folders.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::templates::Templates;

/// The Shanghai-style profile's files, by path relative to its folder.
pub const SHANGHAI: &[(&str, &str)] = &[
    ("profile.toml", include_str!("../profiles/shanghai/profile.toml")),
    ("main.typ", include_str!("../profiles/shanghai/main.typ")),
    ("style.typ", include_str!("../profiles/shanghai/style.typ")),
    ("parts.typ", include_str!("../profiles/shanghai/parts.typ")),
    ("tables.typ", include_str!("../profiles/shanghai/tables.typ")),
];

/// Every bundled profile, the default first.
pub const BUNDLED: &[(&str, &[(&str, &str)])] =
    &[(crate::profile::DEFAULT_NAME, crate::templates::EMBEDDED), ("shanghai", SHANGHAI)];

/// The files of a bundled profile.
pub fn bundled_files(name: &str) -> Option<&'static [(&'static str, &'static str)]> {
    BUNDLED.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

/// The names of the bundled profiles, for messages: “hebei、shanghai”.
pub fn bundled_names() -> String {
    BUNDLED.iter().map(|(n, _)| *n).collect::<Vec<_>>().join("、")
}

/// A profile and its templates, ready to compile.
#[derive(Debug)]
pub struct Bundle {
    pub profile: Arc<crate::profile::Profile>,
    pub templates: Arc<Templates>,
    /// How the profile was named: a bundled name or a folder.
    pub key: String,
}

/// Why a profile could not be used.
#[derive(Debug)]
pub enum ProfileError {
    /// Neither a bundled name nor a folder with a profile.toml.
    Unknown(String),
    /// A folder that cannot be read.
    Io(PathBuf, std::io::Error),
    /// profile.toml has mistakes: its display name, text and problems.
    Invalid { file: String, text: String, problems: Vec<crate::diag::Problem> },
    /// The profile's main template is missing.
    NoMain(String),
}

impl ProfileError {
    /// The message, in Chinese; a faulty profile.toml is rendered with
    /// file, line and column like a data file.
    pub fn render(&self) -> String {
        match self {
            ProfileError::Unknown(name) => format!(
                "找不到样式“{name}”：既不是随程序提供的样式（{}），也不是含 profile.toml 的文件夹",
                bundled_names()
            ),
            ProfileError::Io(path, e) => format!("无法读取样式文件夹 {}：{e}", path.display()),
            ProfileError::Invalid { file, text, problems } => problems
                .iter()
                .map(|p| crate::diag::render(file, text, p))
                .collect::<Vec<_>>()
                .join("\n"),
            ProfileError::NoMain(what) => format!("样式中没有主模板 {what}"),
        }
    }
}

/// The profiles a run uses, each read once and shared by every document
/// that names it.
#[derive(Debug, Default)]
pub struct ProfileSet {
    /// `--templates DIR`: the default profile's templates from a folder.
    pub legacy_templates: Option<PathBuf>,
    cache: Mutex<HashMap<String, Arc<Bundle>>>,
}

impl ProfileSet {
    pub fn new(legacy_templates: Option<PathBuf>) -> ProfileSet {
        ProfileSet { legacy_templates, cache: Mutex::new(HashMap::new()) }
    }

    /// The profile `spec` names (none: the default), a folder being
    /// relative to `base` (the data file's folder).
    pub fn get(&self, spec: Option<&str>, base: &Path) -> Result<Arc<Bundle>, ProfileError> {
        let key = key_of(spec, base);
        if let Some(b) = self.cache.lock().expect("profile cache").get(&key) {
            return Ok(b.clone());
        }
        let bundle = Arc::new(self.read(spec, base, key.clone())?);
        self.cache.lock().expect("profile cache").insert(key, bundle.clone());
        Ok(bundle)
    }

    fn read(&self, spec: Option<&str>, base: &Path, key: String) -> Result<Bundle, ProfileError> {
        let templates = match spec.map(str::trim).filter(|s| !s.is_empty()) {
            None | Some(crate::profile::DEFAULT_NAME) => {
                Templates::locate(self.legacy_templates.as_deref())
                    .map_err(|e| ProfileError::Io(PathBuf::from("templates"), e))?
            }
            Some(name) => match bundled_files(name) {
                Some(files) => local_copy(name).unwrap_or_else(|| Templates::from_files(files)),
                None => {
                    let dir = base.join(name);
                    if !dir.join("profile.toml").is_file() {
                        return Err(ProfileError::Unknown(name.to_string()));
                    }
                    Templates::from_dir(&dir).map_err(|e| ProfileError::Io(dir, e))?
                }
            },
        };
        bundle(templates, key)
    }
}

/// A bundled profile's folder in the working directory (`profiles/NAME`),
/// as `templates/` is for the default: how a template author edits one.
fn local_copy(name: &str) -> Option<Templates> {
    let dir = Path::new("profiles").join(name);
    dir.join("profile.toml").is_file().then(|| Templates::from_dir(&dir).ok()).flatten()
}

fn key_of(spec: Option<&str>, base: &Path) -> String {
    match spec.map(str::trim).filter(|s| !s.is_empty()) {
        None => crate::profile::DEFAULT_NAME.to_string(),
        Some(n) if bundled_files(n).is_some() => n.to_string(),
        Some(p) => base.join(p).display().to_string(),
    }
}

/// Reads a template set's profile.toml (the bundled default's when a
/// `--templates` folder has none) and checks its main template is there.
pub fn bundle(mut templates: Templates, key: String) -> Result<Bundle, ProfileError> {
    let text = templates
        .files
        .get("profile.toml")
        .cloned()
        .unwrap_or_else(|| crate::profile::DEFAULT_TEXT.to_string());
    let file = templates.display_path("profile.toml");
    let profile = parse(&text).map_err(|problems| ProfileError::Invalid { file, text, problems })?;
    if !templates.files.contains_key(&profile.main) {
        return Err(ProfileError::NoMain(templates.display_path(&profile.main)));
    }
    templates.main = profile.main.clone();
    Ok(Bundle { profile: Arc::new(profile), templates: Arc::new(templates), key })
}

/// Reads a profile folder for `yusuan profile check`.
pub fn load_folder(dir: &Path) -> Result<Bundle, ProfileError> {
    if !dir.join("profile.toml").is_file() {
        return Err(ProfileError::Unknown(dir.display().to_string()));
    }
    let templates = Templates::from_dir(dir).map_err(|e| ProfileError::Io(dir.to_path_buf(), e))?;
    bundle(templates, dir.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_profile_parses_and_has_its_main() {
        for (name, files) in BUNDLED {
            let b = bundle(Templates::from_files(files), name.to_string())
                .unwrap_or_else(|e| panic!("{name}: {}", e.render()));
            assert_eq!(b.profile.name, *name);
        }
    }

    /// The embedded Shanghai list must name every file of its folder.
    #[test]
    fn shanghai_list_matches_the_folder() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles/shanghai");
        let disk = Templates::from_dir(&dir).unwrap();
        let mut names: Vec<_> = disk.files.keys().cloned().collect();
        let mut listed: Vec<_> = SHANGHAI.iter().map(|(k, _)| k.to_string()).collect();
        names.sort();
        listed.sort();
        assert_eq!(names, listed);
        for (k, v) in SHANGHAI {
            assert_eq!(disk.files[*k], *v, "{k} differs from the embedded copy");
        }
    }

    fn problems(text: &str) -> Vec<crate::diag::Problem> {
        parse(text).err().unwrap_or_default()
    }

    #[test]
    fn mistakes_are_located_at_their_field() {
        let base = crate::profile::DEFAULT_TEXT;
        let bad = base.replacen("form = 3", "form = 12", 1);
        let p = problems(&bad);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].field, "tables[2].form");
        let at = p[0].span.clone().unwrap();
        assert_eq!(&bad[at], "12");
        let unknown = base.replacen("layout = \"form143\"\nform = 1", "layout = \"form144\"\nform = 1", 1);
        assert!(!problems(&unknown).is_empty(), "an unknown layout is refused");
        let typo = base.replacen("title = \"部门收入总表\"", "titel = \"部门收入总表\"", 1);
        assert!(problems(&typo)[0].message.contains("titel"));
    }

    #[test]
    fn selectors_are_checked_by_layout() {
        let sh = SHANGHAI[0].1;
        let p = problems(&sh.replacen("sum = \"事业收入\"", "sum = \"事业收人\"", 1));
        assert!(p[0].message.contains("不认识“事业收人”"), "{p:?}");
        let p = problems(&sh.replacen("sum = \"sangong.overseas\"", "sum = \"basic\"", 1));
        assert!(p[0].message.contains("figures"), "{p:?}");
        let p = problems(&sh.replacen("sum = \"all\"", "sum = \"operating\"", 1));
        assert!(p[0].message.contains("只能用在 figures"), "{p:?}");
        let p = problems(&sh.replacen("id = \"income\"", "id = \"overview\"", 1));
        assert!(p[0].message.contains("重复"), "{p:?}");
        let p = problems(&sh.replacen("requires = [\"project_details\"]", "requires = [\"项目\"]", 1));
        assert!(p[0].message.contains("不是字段路径"), "{p:?}");
    }
}
