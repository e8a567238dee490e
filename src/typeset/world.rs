//! Typst 的 World：模板、数据、字体与固定的时钟。
//!
//! One World is built per template set and kept alive: each document only
//! swaps the bytes of `/data.json` and the clock, so Typst's memoization
//! reuses everything the change does not touch. Nothing is read from the
//! network or from outside the template set.

use std::collections::HashMap;
use std::sync::Arc;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Dict, Duration, IntoValue};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::diagnostics::DiagnosticWorld;

use crate::typeset::fonts::FontSet;
use crate::typeset::templates::Templates;

/// The virtual path the templates read the data from.
pub const DATA_PATH: &str = "/data.json";

/// A compilation environment for budget documents.
pub struct BudgetWorld {
    library: LazyHash<Library>,
    fonts: Arc<FontSet>,
    templates: Arc<Templates>,
    sources: HashMap<FileId, Source>,
    main: FileId,
    data_id: FileId,
    data: Bytes,
    today: Datetime,
}

fn file_id(path: &str) -> FileId {
    // Template paths come from our own folder walk, so they are valid.
    let vpath = VirtualPath::new(path).unwrap_or_else(|_| VirtualPath::new("/invalid").unwrap());
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

impl BudgetWorld {
    pub fn new(fonts: Arc<FontSet>, templates: Arc<Templates>) -> BudgetWorld {
        let mut inputs = Dict::new();
        inputs.insert("data".into(), DATA_PATH.into_value());
        // Tells the templates that yusuan sets the PDF metadata itself.
        inputs.insert("yusuan".into(), env!("CARGO_PKG_VERSION").into_value());
        // YUSUAN_VERIFY_BREAKS=1: breaks.typ lays out every part whose
        // height it adds up and stops on a difference (tests, template work).
        if std::env::var_os("YUSUAN_VERIFY_BREAKS").is_some_and(|v| !v.is_empty()) {
            inputs.insert("verify-breaks".into(), true.into_value());
        }
        // YUSUAN_NATIVE_BREAKS=1: tables break where Typst breaks them, with
        // none of the page rules: the floor the rules are measured against
        // (BENCHMARKS.md), never a way to publish.
        if std::env::var_os("YUSUAN_NATIVE_BREAKS").is_some_and(|v| !v.is_empty()) {
            inputs.insert("native-breaks".into(), true.into_value());
        }
        let library = Library::builder()
            .with_inputs(inputs)
            .with_features([typst::Feature::A11yExtras].into_iter().collect())
            .build();
        let sources = templates
            .files
            .iter()
            .filter(|(path, _)| path.ends_with(".typ"))
            .map(|(path, text)| {
                let id = file_id(&format!("/{path}"));
                (id, Source::new(id, text.clone()))
            })
            .collect();
        let main = file_id(&format!("/{}", templates.main));
        BudgetWorld {
            library: LazyHash::new(library),
            fonts,
            templates,
            sources,
            main,
            data_id: file_id(DATA_PATH),
            data: Bytes::new(b"{}".to_vec()),
            today: Datetime::from_ymd(1970, 1, 1).expect("valid date"),
        }
    }

    /// Sets the document data and the fixed date for the next compile.
    pub fn set_input(&mut self, data_json: Vec<u8>, today: Datetime) {
        self.data = Bytes::new(data_json);
        self.today = today;
    }

    pub fn fonts(&self) -> &FontSet {
        &self.fonts
    }

    fn template_rel(id: FileId) -> String {
        id.vpath().get_without_slash().to_string()
    }
}

impl World for BudgetWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.store.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.sources
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.vpath().get_with_slash().into()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            return Ok(self.data.clone());
        }
        if let Some(source) = self.sources.get(&id) {
            return Ok(Bytes::from_string(source.clone()));
        }
        let rel = Self::template_rel(id);
        match (self.templates.files.get(&rel), self.templates.assets.get(&rel)) {
            (Some(text), _) => Ok(Bytes::new(text.clone().into_bytes())),
            (None, Some(bytes)) => Ok(Bytes::new(bytes.clone())),
            (None, None) => Err(FileError::NotFound(id.vpath().get_with_slash().into())),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.store.font(index)
    }

    /// The fixed date of this compile, whatever the offset: two builds of
    /// the same input must be identical.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

impl DiagnosticWorld for BudgetWorld {
    fn name(&self, id: FileId) -> String {
        if id == self.data_id {
            return "data.json（由数据文件生成）".to_string();
        }
        self.templates.display_path(&Self::template_rel(id))
    }
}
