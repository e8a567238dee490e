//! 重新排版：读取并核对数据，用常驻的 Engine 编译，先画读者正在看的一页；
//! 新版本上线后，再画其余改动的页、生成网页版、导出 PDF（`Later`）。

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use typst_layout::{Page, PagedDocument};
use typst_svg::SvgOptions;

use crate::diag;
use crate::export::pdf::PdfSettings;
use crate::model::Budget;
use crate::model::profile::Profile;
use crate::pipeline::{self, Environment, Typeset};
use crate::preview::state::{Outcome, PageImage, Render};
use crate::typeset::compile::{Engine, typst_messages};
use crate::typeset::fonts::FontSet;
use crate::typeset::templates::Templates;

/// Rebuilds one data file, keeping the Engine (and with it Typst's caches)
/// from one revision to the next.
pub struct Builder {
    path: PathBuf,
    env: Environment,
    fonts: Arc<FontSet>,
    /// The engine, or the message saying why the templates did not load.
    engine: Result<Engine, String>,
    /// The profiles, read again with the templates; and the one the
    /// engine's templates belong to (its key and description).
    profiles: pipeline::Profiles,
    profile: Option<(String, Arc<Profile>)>,
    /// The SVG of each current page by content hash: an edit usually
    /// changes a few pages, and the others need not be drawn again.
    svgs: HashMap<u128, Arc<PageImage>>,
    /// What is left of the last successful build once it is on show.
    later: Option<Later>,
}

/// The work left of a build once its revision is on show (the page the
/// reader looks at is drawn): the other changed pages, the web page and
/// the PDF, done by `Later::finish` on another thread.
pub struct Later {
    typeset: Typeset,
    /// Changed pages still to draw, nearest the viewed one first.
    pages: ToDraw,
    /// For the PDF's error messages (their template lines).
    fonts: Arc<FontSet>,
    templates: Arc<Templates>,
}

impl Builder {
    pub fn new(path: &Path, env: &Environment) -> Builder {
        let fonts = Arc::new(FontSet::load(&env.fonts));
        let mut builder = Builder {
            path: path.to_path_buf(),
            env: env.clone(),
            fonts,
            engine: Err(String::new()),
            profiles: pipeline::Profiles::new(env),
            profile: None,
            svgs: HashMap::new(),
            later: None,
        };
        builder.reload_templates();
        builder
    }

    /// Rereads the templates into a new World: a World's sources are fixed
    /// when it is made. Typst's cache is global, so unchanged work is kept.
    pub fn reload_templates(&mut self) {
        self.engine = pipeline::load_templates(&self.env)
            .map(|t| Engine::new(self.fonts.clone(), Arc::new(t)))
            .map_err(|e| format!("错误：{e}"));
        self.profiles = pipeline::Profiles::new(&self.env);
        self.profile = None;
    }

    /// The engine for the file's profile, made anew when the profile
    /// differs from the engine's (the data named another, or the
    /// templates were reread).
    fn engine_for(&mut self, bundle: &pipeline::Bundle) -> Result<&mut Engine, String> {
        if self.profile.as_ref().is_none_or(|(key, _)| *key != bundle.key) {
            self.engine = Ok(Engine::new(self.fonts.clone(), bundle.templates.clone()));
            self.profile = Some((bundle.key.clone(), bundle.profile.clone()));
        }
        self.engine.as_mut().map_err(|e| e.clone())
    }

    /// Scans the fonts again; the World holds them, so it is remade too.
    pub fn reload_fonts(&mut self) {
        self.fonts = Arc::new(FontSet::load(&self.env.fonts));
        self.reload_templates();
    }

    /// One revision: the data's problems, then Typst's, then the page the
    /// reader looks at (`viewing`, from 1). The rest is left for `later`,
    /// so the revision can go on show first.
    pub fn build(&mut self, viewing: usize) -> Outcome {
        let started = Instant::now();
        self.later = None;
        let mut loaded = pipeline::inspect(&self.path);
        let bundle = pipeline::with_profile(&mut loaded, &self.path, &self.profiles);
        let (budget, file) = (loaded.budget, loaded.file);
        let mut out = Outcome::default();
        for p in &loaded.problems {
            let text = diag::render(&file.name(), &file.text, p).trim_end().to_string();
            if p.is_error() { &mut out.errors } else { &mut out.warnings }.push(text);
        }
        out.timings.check = started.elapsed();
        let bundle = match bundle {
            Ok(Some(b)) => b,
            Ok(None) => return out,
            Err(message) => {
                out.errors.insert(0, format!("错误：{message}"));
                return out;
            }
        };
        let (profile, templates) = (bundle.profile.clone(), bundle.templates.clone());
        let engine = match self.engine_for(&bundle) {
            Ok(engine) => engine,
            Err(message) => {
                out.errors.insert(0, message);
                return out;
            }
        };
        let Some(budget) = budget.filter(|_| out.errors.is_empty()) else { return out };
        match typeset(engine, &budget, profile, &mut out) {
            Ok(typeset) => {
                let started = Instant::now();
                let doc = &typeset.compiled.document;
                let (pages, rest, now) = page_images(&mut self.svgs, doc, viewing);
                out.timings.pages = started.elapsed();
                out.timings.drawn = rest.len() + usize::from(now);
                out.render = Some(Render::new(pages));
                let fonts = self.fonts.clone();
                self.later = Some(Later { typeset, pages: rest, fonts, templates });
            }
            Err(errors) => out.errors = errors,
        }
        out
    }

    /// The work left of the last build, once it is on show.
    pub fn later(&mut self) -> Option<Later> {
        self.later.take()
    }
}

impl Later {
    /// Draws the other changed pages, makes the web page, then exports the
    /// PDF as `yusuan build` writes it (PDF/UA-1 and PDF/A-2a), so the
    /// preview reports what would stop `build`, such as a character no
    /// font has. The export is skipped when `superseded` says a newer
    /// build has begun. Returns the export's errors.
    pub fn finish(self, render: &Render, superseded: impl Fn() -> bool) -> Result<(), Vec<String>> {
        for (page, svg) in draw_pages(&self.pages) {
            page.svg.fill(Some(svg));
        }
        let html = crate::export::html::page(&self.typeset.outline());
        render.html.fill(Some(html.into_bytes().into()));
        if superseded() {
            render.superseded();
            return Ok(());
        }
        match pipeline::export_pdf(&self.typeset, &PdfSettings::default()) {
            Ok(pdf) => {
                render.pdf.fill(Some(pdf.into()));
                Ok(())
            }
            Err(d) => {
                render.pdf.fill(None);
                let engine = Engine::new(self.fonts, self.templates);
                Err(typst_messages(engine.world(), &d))
            }
        }
    }

    /// Fills every slot this work would have filled with nothing (a panic
    /// ended it), so no request waits for them.
    pub fn abandon(pages: &[Arc<PageImage>], render: &Render) {
        let slots = pages.iter().map(|p| &p.svg).chain([&render.html, &render.pdf]);
        for slot in slots.filter(|s| !s.is_filled()) {
            slot.fill(None);
        }
    }
}

/// Compiles with the draft watermark: a preview is never the published
/// document.
fn typeset(
    engine: &mut Engine,
    budget: &Budget,
    profile: Arc<Profile>,
    out: &mut Outcome,
) -> Result<Typeset, Vec<String>> {
    let started = Instant::now();
    let typeset = pipeline::typeset_in(engine, budget, true, profile)
        .map_err(|d| typst_messages(engine.world(), &d))?;
    out.warnings.extend(typst_messages(engine.world(), &typeset.compiled.warnings));
    out.timings.compile = started.elapsed();
    Ok(typeset)
}

/// Every page of the document: those seen before from `cache`, the page
/// the reader looks at (`viewing`, from 1) drawn now if it changed (then
/// the third value is true), the other changed pages still to draw
/// (returned, nearest the viewed page first).
fn page_images(
    cache: &mut HashMap<u128, Arc<PageImage>>,
    document: &PagedDocument,
    viewing: usize,
) -> (Vec<Arc<PageImage>>, ToDraw, bool) {
    let (mut pages, mut rest, mut now) = (Vec::new(), Vec::new(), false);
    let hashes: Vec<u128> = document.pages().iter().map(typst::utils::hash128).collect();
    for (i, (h, page)) in hashes.iter().zip(document.pages()).enumerate() {
        // A page whose drawing failed (a panic) is drawn again.
        if let Some(seen) = cache.get(h).filter(|seen| !seen.svg.failed()) {
            pages.push(seen.clone());
            continue;
        }
        let image = Arc::new(PageImage::pending(format!("{:016x}", *h as u64)));
        if i + 1 == viewing {
            image.svg.fill(Some(draw(page)));
            now = true;
        } else {
            rest.push((image.clone(), page.clone()));
        }
        cache.insert(*h, image.clone());
        pages.push(image);
    }
    // Only the current pages stay cached, so memory does not grow.
    cache.retain(|h, _| hashes.contains(h));
    let target = viewing.saturating_sub(1);
    rest.sort_by_key(|(image, _)| {
        let at = pages.iter().position(|p| Arc::ptr_eq(p, image)).unwrap_or(usize::MAX);
        at.abs_diff(target)
    });
    (pages, rest, now)
}

/// Pages still to draw, each with the slot its SVG goes in.
type ToDraw = Vec<(Arc<PageImage>, Page)>;

/// Draws pages on all cores; an edit often changes a few pages at once.
fn draw_pages(pages: &[(Arc<PageImage>, Page)]) -> Vec<(&Arc<PageImage>, Arc<[u8]>)> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per_thread = pages.len().div_ceil(cores).max(1);
    std::thread::scope(|s| {
        let workers: Vec<_> = pages
            .chunks(per_thread)
            .map(|chunk| s.spawn(move || chunk.iter().map(|(i, p)| (i, draw(p))).collect()))
            .collect();
        // A panic is passed on to the caller, which reports it.
        let join = |w: std::thread::ScopedJoinHandle<'_, Vec<_>>| {
            w.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
        };
        workers.into_iter().flat_map(join).collect()
    })
}

fn draw(page: &Page) -> Arc<[u8]> {
    typst_svg::svg(page, &SvgOptions::default()).into_bytes().into()
}
