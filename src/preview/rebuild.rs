//! 重新排版：读取并核对数据，用常驻的 Engine 编译，画出各页的 SVG，再导出 PDF。

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
    /// The document just built, until its PDF is written.
    pending: Option<Typeset>,
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
            pending: None,
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

    /// One revision: the data's problems, then Typst's, then the pages.
    /// The PDF is left for `pdf`, so the pages can go on show first.
    pub fn build(&mut self) -> Outcome {
        let started = Instant::now();
        self.pending = None;
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
        let profile = bundle.profile.clone();
        let engine = match self.engine_for(&bundle) {
            Ok(engine) => engine,
            Err(message) => {
                out.errors.insert(0, message);
                return out;
            }
        };
        let Some(budget) = budget.filter(|_| out.errors.is_empty()) else { return out };
        match typeset(engine, &budget, profile, &mut out) {
            Ok(pending) => {
                let started = Instant::now();
                let (pages, drawn) = page_images(&mut self.svgs, &pending.compiled.document);
                out.timings.pages = started.elapsed();
                out.timings.drawn = drawn;
                let html = crate::export::html::page(&pending.outline()).into();
                out.render = Some(Render { revision: 0, pages, pdf: Default::default(), html });
                self.pending = Some(pending);
            }
            Err(errors) => out.errors = errors,
        }
        out
    }

    /// The PDF of the last successful build, as `yusuan build` writes it
    /// (PDF/UA-1 and PDF/A-2a), so the preview reports what would stop `build`, such as
    /// a character no font has. `None` when there is nothing to export.
    pub fn pdf(&mut self) -> Option<Result<Vec<u8>, Vec<String>>> {
        let typeset = self.pending.take()?;
        let engine = self.engine.as_ref().ok()?;
        let pdf = pipeline::export_pdf(&typeset, &PdfSettings::default());
        Some(pdf.map_err(|d| typst_messages(engine.world(), &d)))
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

/// The SVG of every page, drawing only the pages not seen before, and
/// how many were drawn.
fn page_images(
    cache: &mut HashMap<u128, Arc<PageImage>>,
    document: &PagedDocument,
) -> (Vec<Arc<PageImage>>, usize) {
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
    (pages, new.len())
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
