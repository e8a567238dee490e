//! 编译：把视图数据交给 Typst 排版，得到分好页的文档；Typst 的诊断保留模板的文件、行、列。

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::Datetime;
use typst_kit::diagnostics::{self, DiagnosticFormat, termcolor};
use typst_layout::PagedDocument;

use crate::derive::View;
use crate::typeset::fonts::FontSet;
use crate::typeset::templates::Templates;
use crate::typeset::world::BudgetWorld;

/// A compiled document and the template warnings it produced.
pub struct Compiled {
    pub document: PagedDocument,
    pub warnings: Vec<SourceDiagnostic>,
}

/// Title, author (the department), subject and keywords of the PDF. Set
/// here rather than by `set document` in the templates, which would make
/// every element's styles differ between departments (see main.typ).
fn set_metadata(doc: &mut PagedDocument, view: &View) {
    let d = &view.doc;
    let subject = d.subject.clone();
    let draft = if d.draft { "（草稿）" } else { "" };
    let info = doc.info_mut();
    info.title = Some(format!("{}{subject}{draft}", d.department).into());
    info.author = vec![d.department.clone().into()];
    info.description = Some(subject.into());
    let year = d.year.to_string();
    let words = view.profile.keywords.iter().chain([&d.department, &year]);
    info.keywords = words.map(|k| k.as_str().into()).collect();
}

/// What a compile leaves in Typst's cache, which is one for the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// What the compile used: the next compile of the same document (the
    /// preview's) reuses it.
    LastUsed,
    /// Nothing, when no other compile is running: a batch's documents share
    /// little, and each costs 200–300 MB while laid out. While another
    /// worker's compile runs, what the last compile used, so that document
    /// keeps its cache (clearing it under a running compile cost a third
    /// more time at -j 2; BENCHMARKS.md).
    NothingWhenAlone,
}

/// Compiles running now in this process, for `Keep::NothingWhenAlone`.
static COMPILING: AtomicUsize = AtomicUsize::new(0);

/// Compiles documents with one long-lived World, so the second and later
/// documents reuse the parsed templates, the fonts and Typst's caches.
pub struct Engine {
    world: BudgetWorld,
    keep: Keep,
}

impl Engine {
    pub fn new(fonts: Arc<FontSet>, templates: Arc<Templates>) -> Engine {
        Engine { world: BudgetWorld::new(fonts, templates), keep: Keep::LastUsed }
    }

    /// Sets what each compile leaves in the cache (a batch: `NothingWhenAlone`).
    pub fn keep(mut self, keep: Keep) -> Engine {
        self.keep = keep;
        self
    }

    pub fn fonts(&self) -> &FontSet {
        self.world.fonts()
    }

    pub fn world(&self) -> &BudgetWorld {
        &self.world
    }

    /// Lays out one document. Errors are Typst's own diagnostics, with
    /// spans into the templates, for the caller to print.
    pub fn compile(
        &mut self,
        view: &View,
        today: Datetime,
    ) -> Result<Compiled, Vec<SourceDiagnostic>> {
        let json = serde_json::to_vec(view).expect("the view serializes");
        self.world.set_input(json, today);
        COMPILING.fetch_add(1, Ordering::SeqCst);
        let Warned { output, warnings } = typst::compile::<PagedDocument>(&self.world);
        let alone = COMPILING.fetch_sub(1, Ordering::SeqCst) == 1;
        let result = output.map(|mut document| {
            set_metadata(&mut document, view);
            Compiled { document, warnings: warnings.to_vec() }
        });
        // Age 1 keeps only what this compile used: on 40 realistic
        // documents at -j 2 it took 33.6 s and 775 MB peak against 37.8 s
        // and 2.45 GB for age 10 (BENCHMARKS.md). A compile that starts
        // between the check and the eviction loses only its first entries.
        let age = if self.keep == Keep::NothingWhenAlone && alone { 0 } else { 1 };
        typst::comemo::evict(age);
        result.map_err(|errors| errors.to_vec())
    }
}

/// Typst's "did not converge" in the reader's words: the PDF is written,
/// but its page numbers may be wrong, which a finance officer must know.
fn unsettled(d: &SourceDiagnostic) -> Option<&'static str> {
    d.message.contains("did not converge within").then_some(
        "警告：排版反复计算后仍未稳定：目录和页脚的页码、跨页表格的断开位置可能不对，请逐页核对这份 PDF",
    )
}

/// Typst's diagnostics with their template file, line and column and the
/// source line, as typst itself prints them (coloured on a terminal).
pub fn typst_text(world: &BudgetWorld, diags: &[SourceDiagnostic]) -> String {
    if diags.is_empty() {
        return String::new();
    }
    let mut buf = if std::io::stderr().is_terminal() {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    let diags = &in_our_words(diags);
    if diagnostics::emit(&mut buf, world, diags, DiagnosticFormat::Human).is_err() {
        return diags.iter().map(|d| format!("模板错误：{}\n", d.message)).collect();
    }
    let said: String = diags.iter().filter_map(unsettled).map(|w| format!("{w}\n")).collect();
    said + &String::from_utf8_lossy(buf.as_slice())
}

/// The same, one uncoloured string per diagnostic (the preview shows them
/// one by one).
pub fn typst_messages(world: &BudgetWorld, diags: &[SourceDiagnostic]) -> Vec<String> {
    in_our_words(diags)
        .iter()
        .map(|d| {
            let mut buf = termcolor::NoColor::new(Vec::new());
            let text = match diagnostics::emit(&mut buf, world, [d], DiagnosticFormat::Human) {
                Ok(()) => String::from_utf8_lossy(buf.get_ref()).trim_end().to_string(),
                Err(_) => format!("模板错误：{}", d.message),
            };
            match unsettled(d) {
                Some(words) => format!("{words}\n{text}"),
                None => text,
            }
        })
        .collect()
}

/// Typst's hints that name an option of the typst command line, which
/// yusuan does not have, said in yusuan's terms (`error::typst_hint`).
fn in_our_words(diags: &[SourceDiagnostic]) -> Vec<SourceDiagnostic> {
    let mut out = diags.to_vec();
    for d in &mut out {
        d.hints = d
            .hints
            .iter()
            .filter_map(|h| {
                let v = crate::error::typst_hint(&h.v)?;
                Some(typst::syntax::Spanned { v: v.into(), span: h.span })
            })
            .collect();
    }
    out
}
