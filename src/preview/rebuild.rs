//! 重新排版：读取并核对数据，用常驻的 Engine 编译，画出各页的 SVG，再导出 PDF。

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use typst::diag::SourceDiagnostic;
use typst::foundations::Datetime;
use typst_kit::diagnostics::{self, DiagnosticFormat, termcolor};
use typst_layout::{Page, PagedDocument};
use typst_svg::SvgOptions;

use crate::args::EnvArgs;
use crate::fonts::FontSet;
use crate::model::Budget;
use crate::preview::state::{Outcome, PageImage, Render};
use crate::render::{Engine, PdfSettings};
use crate::world::BudgetWorld;
use crate::{commands, derive, diag};

/// Rebuilds one data file, keeping the Engine (and with it Typst's caches)
/// from one revision to the next.
pub struct Builder {
    path: PathBuf,
    env: EnvArgs,
    fonts: Arc<FontSet>,
    /// The engine, or the message saying why the templates did not load.
    engine: Result<Engine, String>,
    /// The profile the engine's templates belong to.
    bundle: Option<Arc<crate::profiles::Bundle>>,
    /// The SVG of each current page by content hash: an edit usually
    /// changes a few pages, and the others need not be drawn again.
    svgs: HashMap<u128, Arc<PageImage>>,
    /// The document just built, until its PDF is written.
    pending: Option<Pending>,
}

/// What the PDF export needs from a build.
struct Pending {
    document: PagedDocument,
    ident: String,
    today: Datetime,
}

impl Builder {
    pub fn new(path: &Path, env: &EnvArgs) -> Builder {
        let fonts = Arc::new(FontSet::load(&commands::font_options(&env.fonts)));
        let mut builder = Builder {
            path: path.to_path_buf(),
            env: env.clone(),
            fonts,
            engine: Err(String::new()),
            bundle: None,
            svgs: HashMap::new(),
            pending: None,
        };
        builder.reload_templates();
        builder
    }

    /// Rereads the templates into a new World: a World's sources are fixed
    /// when it is made. Typst's cache is global, so unchanged work is kept.
    pub fn reload_templates(&mut self) {
        let set = crate::profiles::ProfileSet::new(self.env.templates.clone());
        let spec = self.env.profile.clone().or_else(|| profile_spec(&self.path));
        let base = self.path.parent().unwrap_or(Path::new("."));
        match set.get(spec.as_deref(), base) {
            Ok(bundle) => {
                self.engine = Ok(Engine::new(self.fonts.clone(), bundle.templates.clone()));
                self.bundle = Some(bundle);
            }
            Err(e) => {
                self.engine = Err(format!("错误：{}", e.render()));
                self.bundle = None;
            }
        }
    }

    /// Scans the fonts again; the World holds them, so it is remade too.
    pub fn reload_fonts(&mut self) {
        self.fonts = Arc::new(FontSet::load(&commands::font_options(&self.env.fonts)));
        self.reload_templates();
    }

    /// One revision: the data's problems, then Typst's, then the pages.
    /// The PDF is left for `pdf`, so the pages can go on show first.
    pub fn build(&mut self) -> Outcome {
        let started = Instant::now();
        self.pending = None;
        let c = commands::inspect_with(
            &self.path,
            &crate::profiles::ProfileSet::new(self.env.templates.clone()),
            self.env.profile.as_deref(),
        );
        let (budget, problems, file) = (c.budget, c.problems, c.file);
        let mut out = Outcome::default();
        for p in &problems {
            let text = diag::render(&file.name(), &file.text, p).trim_end().to_string();
            if p.is_error() { &mut out.errors } else { &mut out.warnings }.push(text);
        }
        out.timings.check = started.elapsed();
        let engine = match &mut self.engine {
            Ok(engine) => engine,
            Err(message) => {
                out.errors.insert(0, message.clone());
                return out;
            }
        };
        let Some(budget) = budget.filter(|_| out.errors.is_empty()) else { return out };
        let profile = match &self.bundle {
            Some(b) => b.profile.clone(),
            None => return out,
        };
        match typeset(engine, &budget, profile, &mut out) {
            Ok(pending) => {
                let started = Instant::now();
                let pages = page_images(&mut self.svgs, &pending.document);
                out.timings.pages = started.elapsed();
                out.render = Some(Render { revision: 0, pages, pdf: Default::default() });
                self.pending = Some(pending);
            }
            Err(errors) => out.errors = errors,
        }
        out
    }

    /// The PDF of the last successful build, as `yusuan build` writes it
    /// (PDF/A-2b), so the preview reports what would stop `build`, such as
    /// a character no font has. `None` when there is nothing to export.
    pub fn pdf(&mut self) -> Option<Result<Vec<u8>, Vec<String>>> {
        let Pending { document, ident, today } = self.pending.take()?;
        let engine = self.engine.as_ref().ok()?;
        let pdf = engine.pdf(&document, &ident, today, &PdfSettings::default());
        Some(pdf.map_err(|d| typst_messages(engine.world(), &d)))
    }
}

/// The `document.profile` a data file names, read without checking the
/// rest of the file: the preview picks its templates before the first build.
fn profile_spec(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let doc = toml_edit::Document::parse(text).ok()?;
    doc.get("document")?.get("profile")?.as_str().map(str::to_string)
}

/// Compiles with the draft watermark.
fn typeset(
    engine: &mut Engine,
    budget: &Budget,
    profile: Arc<crate::profile::Profile>,
    out: &mut Outcome,
) -> Result<Pending, Vec<String>> {
    let started = Instant::now();
    let today = commands::document_date(budget);
    let view = derive::view(budget, &commands::presentation(engine, true, profile));
    let compiled = engine.compile(&view, today).map_err(|d| typst_messages(engine.world(), &d))?;
    out.warnings.extend(typst_messages(engine.world(), &compiled.warnings));
    out.timings.compile = started.elapsed();
    let ident = commands::pdf_ident(budget);
    Ok(Pending { document: compiled.document, ident, today })
}

/// The SVG of every page, drawing only the pages not seen before.
fn page_images(
    cache: &mut HashMap<u128, Arc<PageImage>>,
    document: &PagedDocument,
) -> Vec<Arc<PageImage>> {
    let hashes: Vec<u128> = document.pages().iter().map(typst::utils::hash128).collect();
    let new: Vec<(u128, &Page)> = hashes
        .iter()
        .zip(document.pages())
        .filter(|(h, _)| !cache.contains_key(*h))
        .map(|(h, p)| (*h, p))
        .collect();
    cache.extend(draw_pages(&new));
    let pages = hashes.iter().map(|h| cache[h].clone()).collect();
    // Only the current pages stay cached, so memory does not grow.
    cache.retain(|h, _| hashes.contains(h));
    pages
}

/// Draws pages on all cores; an edit often changes a few pages at once.
fn draw_pages(pages: &[(u128, &Page)]) -> Vec<(u128, Arc<PageImage>)> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per_thread = pages.len().div_ceil(cores).max(1);
    std::thread::scope(|s| {
        let workers: Vec<_> = pages
            .chunks(per_thread)
            .map(|chunk| s.spawn(move || chunk.iter().map(|&(h, p)| (h, draw(h, p))).collect()))
            .collect();
        // A panic is passed on to the rebuild, which reports it.
        let join = |w: std::thread::ScopedJoinHandle<'_, Vec<_>>| {
            w.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
        };
        workers.into_iter().flat_map(join).collect()
    })
}

fn draw(hash: u128, page: &Page) -> Arc<PageImage> {
    let svg = typst_svg::svg(page, &SvgOptions::default());
    Arc::new(PageImage { key: format!("{:016x}", hash as u64), svg: svg.into_bytes().into() })
}

/// Typst's diagnostics as `yusuan build` prints them (file:line:column and
/// the source line), one string each.
fn typst_messages(world: &BudgetWorld, diags: &[SourceDiagnostic]) -> Vec<String> {
    diags
        .iter()
        .map(|d| {
            let mut buf = termcolor::NoColor::new(Vec::new());
            match diagnostics::emit(&mut buf, world, [d], DiagnosticFormat::Human) {
                Ok(()) => String::from_utf8_lossy(buf.get_ref()).trim_end().to_string(),
                Err(_) => format!("模板错误：{}", d.message),
            }
        })
        .collect()
}
