//! 排版：把派生数据交给 Typst 编译，再导出 PDF。每一步一个小函数。

use std::sync::Arc;

use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::derive::View;
use crate::fonts::FontSet;
use crate::templates::Templates;
use crate::world::BudgetWorld;

/// How the PDF is written.
#[derive(Debug, Clone)]
pub struct PdfSettings {
    /// PDF standards to conform to (PDF/A-2b by default).
    pub standards: Vec<PdfStandard>,
    /// Write the accessibility structure tree.
    pub tagged: bool,
}

impl Default for PdfSettings {
    fn default() -> Self {
        PdfSettings { standards: vec![PdfStandard::A_2b], tagged: true }
    }
}

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
    let info = doc.info_mut();
    info.title = Some(format!("{}{subject}", d.department).into());
    info.author = vec![d.department.clone().into()];
    info.description = Some(subject.into());
    info.keywords = ["部门预算", "预算公开", &d.department, &d.year.to_string()]
        .iter()
        .map(|k| (*k).into())
        .collect();
}

/// Compiles documents with one long-lived World, so the second and later
/// documents reuse the parsed templates, the fonts and Typst's caches.
pub struct Engine {
    world: BudgetWorld,
}

impl Engine {
    pub fn new(fonts: Arc<FontSet>, templates: Arc<Templates>) -> Engine {
        Engine { world: BudgetWorld::new(fonts, templates) }
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
        let Warned { output, warnings } = typst::compile::<PagedDocument>(&self.world);
        let result = output.map(|mut document| {
            set_metadata(&mut document, view);
            Compiled { document, warnings: warnings.to_vec() }
        });
        // Keep memory flat over long batches and preview sessions.
        typst::comemo::evict(10);
        result.map_err(|errors| errors.to_vec())
    }

    /// Exports the PDF with a fixed timestamp, so equal input gives equal bytes.
    pub fn pdf(
        &self,
        doc: &PagedDocument,
        ident: &str,
        today: Datetime,
        settings: &PdfSettings,
    ) -> Result<Vec<u8>, Vec<SourceDiagnostic>> {
        let standards = PdfStandards::new(&settings.standards).map_err(|e| {
            vec![SourceDiagnostic::error(typst::syntax::Span::detached(), e.message().clone())]
        })?;
        let options = PdfOptions {
            ident: Smart::Custom(ident.to_string()),
            creator: Smart::Custom(Some(format!(
                "yusuan {} (Typst 0.15)",
                env!("CARGO_PKG_VERSION")
            ))),
            timestamp: Some(Timestamp::new_utc(today)),
            standards,
            tagged: settings.tagged,
            ..PdfOptions::default()
        };
        typst_pdf::pdf(doc, &options).map_err(|e| e.to_vec())
    }
}
